"""The fake Slack Web API, driven over real HTTP by slack_sdk's WebClient."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox.server import FakeSlack

KUDOS, RANDOM, OLD, SECRET_ROOM = "C0KUDOS", "C0RANDOM", "C0OLD", "C0SECRET"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(ts_start=1732350000) as slack:
        slack.add_user("UANA", "Ana")
        slack.add_user("UBEN", "Ben", tz="Europe/Berlin", real_name="Ben Ode")
        slack.add_user("UCY", "Cy", tz="Asia/Tokyo")
        slack.add_user("UROBOT", "deploybot", is_bot=True)
        slack.add_user("UGONE", "Gone", deleted=True)
        slack.add_channel(KUDOS, "kudos", members=("UBRAVO", "UANA", "UBEN", "UCY"))
        slack.add_channel(RANDOM, "random", members=("UANA", "UBEN"))
        slack.add_channel(OLD, "old", members=("UBRAVO",), is_archived=True)
        slack.add_channel(SECRET_ROOM, "secret", members=("UANA",), is_private=True)
        slack.add_usergroup("S0SUPPORT", "support", ("UBEN", "UCY"))
        yield slack


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(token="xoxb-sandbox", base_url=fake.base_url, timeout=5)


def error_of(call: Any, **kwargs: Any) -> str:
    with pytest.raises(SlackApiError) as info:
        call(**kwargs)
    return str(info.value.response["error"])


def post_json(url: str, data: Any) -> tuple[int, str]:
    request = urllib.request.Request(
        url, data=json.dumps(data).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def test_post_message_is_recorded_with_increasing_ts(fake: FakeSlack, client: WebClient) -> None:
    first = client.chat_postMessage(channel=KUDOS, text="Kudos to <@UBEN>", blocks=[section("a")])
    second = client.chat_postMessage(channel=KUDOS, text="again")
    assert first["channel"] == KUDOS and first["message"]["user"] == "UBRAVO"
    assert float(second["ts"]) > float(first["ts"])
    assert first["ts"] == "1732350000.000100"
    [call, _] = fake.calls("chat.postMessage")
    assert call.args["text"] == "Kudos to <@UBEN>" and call.args["blocks"] == [section("a")]
    assert call.status == 200 and call.response["ts"] == first["ts"] and call.warnings == []
    assert [m["text"] for m in fake.messages(KUDOS)] == ["Kudos to <@UBEN>", "again"]


def test_blocks_without_text_are_accepted_with_a_recorded_warning(
    fake: FakeSlack, client: WebClient
) -> None:
    with pytest.warns(UserWarning):  # slack_sdk warns client-side too
        client.chat_postMessage(channel=KUDOS, blocks=[section("no fallback")])
        assert error_of(client.chat_postMessage, channel=KUDOS) == "no_text"
    assert fake.calls("chat.postMessage")[0].warnings == ["missing_text_fallback"]


def test_dm_to_a_user_id_gets_a_stable_d_channel(fake: FakeSlack, client: WebClient) -> None:
    first = client.chat_postMessage(channel="UBEN", text="You got kudos")
    second = client.chat_postMessage(channel="UBEN", text="And more")
    assert first["channel"] == second["channel"] == fake.dm_channel("UBEN")
    assert first["channel"].startswith("D")
    assert client.conversations_open(users="UBEN")["channel"]["id"] == first["channel"]
    assert [m["text"] for m in fake.messages("UBEN")] == ["You got kudos", "And more"]
    assert fake.calls("chat.postMessage")[0].context == {"dm_user": "UBEN"}
    assert error_of(client.chat_postMessage, channel="UROBOT", text="hi") == "cannot_dm_bot"
    assert error_of(client.chat_postMessage, channel="UGONE", text="hi") == "user_disabled"


def test_channel_errors_match_slack(fake: FakeSlack, client: WebClient) -> None:
    post = client.chat_postMessage
    assert error_of(post, channel=RANDOM, text="hi") == "not_in_channel"
    assert error_of(post, channel="C0NOPE", text="hi") == "channel_not_found"
    assert error_of(post, channel=OLD, text="hi") == "is_archived"
    assert error_of(post, channel=SECRET_ROOM, text="hi") == "channel_not_found"
    assert client.chat_postMessage(channel="#kudos", text="by name")["channel"] == KUDOS
    assert fake.messages(RANDOM) == []
    assert [c.response["error"] for c in fake.calls("chat.postMessage", ok=False)] == [
        "not_in_channel",
        "channel_not_found",
        "is_archived",
        "channel_not_found",
    ]


def test_too_many_blocks_and_long_section_are_invalid_blocks(
    fake: FakeSlack, client: WebClient
) -> None:
    with pytest.raises(SlackApiError) as many:
        client.chat_postMessage(channel=KUDOS, text="x", blocks=[section("b")] * 51)
    assert many.value.response["error"] == "invalid_blocks"
    assert any("50" in e and "/blocks" in e for e in many.value.response["errors"])
    with pytest.raises(SlackApiError) as long:
        client.chat_postMessage(channel=KUDOS, text="x", blocks=[section("a" * 3001)])
    assert long.value.response["errors"] == [
        "must be at most 3000 characters [json-pointer:/blocks/0/text/text]"
    ]
    client.chat_postMessage(channel=KUDOS, text="x", blocks=[section("a" * 3000)] * 50)
    assert len(fake.messages(KUDOS)) == 1


def test_form_encoded_blocks_are_decoded(fake: FakeSlack) -> None:
    body = "channel=C0KUDOS&text=hi&blocks=" + urllib.request.quote(json.dumps([section("x")]))
    request = urllib.request.Request(
        fake.base_url + "chat.postMessage",
        data=body.encode(),
        headers={
            "Authorization": "Bearer xoxb-sandbox",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert json.loads(response.read())["ok"] is True
    assert fake.calls("chat.postMessage")[0].args["blocks"] == [section("x")]


def test_auth_and_unknown_method(fake: FakeSlack) -> None:
    assert error_of(WebClient(base_url=fake.base_url).auth_test) == "not_authed"
    wrong = WebClient(token="xoxb-wrong", base_url=fake.base_url)
    assert error_of(wrong.auth_test) == "invalid_auth"
    right = WebClient(token="xoxb-sandbox", base_url=fake.base_url)
    assert error_of(right.api_call, api_method="chat.teleport") == "unknown_method"
    me = right.auth_test()
    assert (me["user_id"], me["team_id"], me["bot_id"]) == ("UBRAVO", "T0SANDBOX", "B0BRAVO")


def test_rate_limited_429_with_retry_after_then_success(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("chat.postMessage", status=429, retry_after=7)
    with pytest.raises(SlackApiError) as info:
        client.chat_postMessage(channel=KUDOS, text="hi")
    assert info.value.response.status_code == 429
    assert info.value.response.headers["Retry-After"] == "7"
    assert info.value.response["error"] == "ratelimited"
    assert client.chat_postMessage(channel=KUDOS, text="hi")["ok"] is True
    assert [c.status for c in fake.calls("chat.postMessage")] == [429, 200]
    assert len(fake.calls("chat.postMessage", ok=True)) == 1


def test_server_errors_and_injected_errors(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("chat.postMessage", status=503, times=2)
    fake.fail_next("users.info", error="fatal_error")
    for _ in range(2):
        with pytest.raises(SlackApiError) as info:
            client.chat_postMessage(channel=KUDOS, text="hi")
        assert info.value.response.status_code == 503
    assert client.chat_postMessage(channel=KUDOS, text="hi")["ok"] is True
    assert error_of(client.users_info, user="UANA") == "fatal_error"
    assert client.users_info(user="UANA")["ok"] is True


def test_fake_enforces_a_per_channel_rate(fake: FakeSlack, client: WebClient) -> None:
    fake.set_rate_limit("chat.postMessage", 1)
    client.chat_postMessage(channel=KUDOS, text="1")
    client.chat_postMessage(channel="UBEN", text="other channel is fine")
    with pytest.raises(SlackApiError) as info:
        client.chat_postMessage(channel=KUDOS, text="2")
    assert info.value.response.status_code == 429
    assert int(info.value.response.headers["Retry-After"]) >= 1
    fake.set_rate_limit("chat.postMessage", None)
    assert client.chat_postMessage(channel=KUDOS, text="3")["ok"] is True


def test_fake_enforces_a_workspace_wide_rate(fake: FakeSlack, client: WebClient) -> None:
    fake.set_workspace_rate_limit(60, burst=3)  # one a second after a burst of three
    for channel in (KUDOS, "UANA", "UBEN"):  # different channels all count
        client.chat_postMessage(channel=channel, text="in the burst")
    with pytest.raises(SlackApiError) as info:
        client.chat_postMessage(channel="UCY", text="one too many")
    assert info.value.response.status_code == 429
    assert info.value.response["error"] == "ratelimited"
    assert int(info.value.response.headers["Retry-After"]) >= 1
    with pytest.raises(SlackApiError):  # an edit counts against the same limit
        client.chat_update(channel=KUDOS, ts="1732350000.000100", text="x")
    assert client.users_info(user="UANA")["ok"] is True  # other methods are not limited
    fake.set_workspace_rate_limit(None)
    assert client.chat_postMessage(channel="UCY", text="limit off")["ok"] is True
    statuses = [c.status for c in fake.calls("chat.postMessage")]
    assert statuses == [200, 200, 200, 429, 200]


def test_workspace_rate_refills_and_keeps_the_channel_limit(
    fake: FakeSlack, client: WebClient
) -> None:
    fake.set_workspace_rate_limit(600, burst=1)  # ten a second, no burst
    fake.set_rate_limit("chat.postMessage", 1)
    assert client.chat_postMessage(channel=KUDOS, text="1")["ok"] is True
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="UANA", text="too soon for the workspace")
    time.sleep(0.15)
    with pytest.raises(SlackApiError) as info:  # the workspace has room, the channel does not
        client.chat_postMessage(channel=KUDOS, text="too soon for the channel")
    assert info.value.response.status_code == 429
    # The refused call took no workspace token: another channel may post at once.
    assert client.chat_postMessage(channel="UANA", text="2")["ok"] is True
    control(fake, "workspace_rate_limit", {"per_minute": None})
    fake.set_rate_limit("chat.postMessage", None)
    assert client.chat_postMessage(channel="UBEN", text="3")["ok"] is True


def test_latency_delays_answers(fake: FakeSlack, client: WebClient) -> None:
    fake.set_latency(0.2)
    started = time.perf_counter()
    client.auth_test()
    assert time.perf_counter() - started >= 0.2


def modal(title: str = "Give kudos", **extra: Any) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": "kudos_modal",
        "title": {"type": "plain_text", "text": title},
        "blocks": [section("Who deserves it?")],
        **extra,
    }


def test_trigger_id_works_once(fake: FakeSlack, client: WebClient) -> None:
    trigger = fake.new_trigger_id("UANA")
    opened = client.views_open(trigger_id=trigger, view=modal())
    assert opened["view"]["id"].startswith("V") and opened["view"]["callback_id"] == "kudos_modal"
    assert error_of(client.views_open, trigger_id=trigger, view=modal()) == "expired_trigger_id"
    assert fake.calls("views.open")[0].context == {"user": "UANA"}
    assert error_of(client.views_open, trigger_id="", view=modal()) == "invalid_arguments"


def test_stale_trigger_id_is_expired() -> None:
    with FakeSlack(trigger_ttl=0.0) as fake:
        client = WebClient(token="xoxb-sandbox", base_url=fake.base_url)
        trigger = fake.new_trigger_id("UANA")
        time.sleep(0.01)
        assert error_of(client.views_open, trigger_id=trigger, view=modal()) == "expired_trigger_id"


def test_views_limits_update_and_publish(fake: FakeSlack, client: WebClient) -> None:
    too_long = modal(title="A title that is far too long")
    with pytest.raises(SlackApiError) as info:
        client.views_open(trigger_id=fake.new_trigger_id(), view=too_long)
    assert info.value.response["error"] == "invalid_blocks"
    assert any("/view/title" in e for e in info.value.response["errors"])
    view = client.views_open(trigger_id=fake.new_trigger_id("UANA"), view=modal())["view"]
    updated = client.views_update(view_id=view["id"], view=modal("Thanks!"), hash=view["hash"])
    assert updated["view"]["id"] == view["id"] and updated["view"]["title"]["text"] == "Thanks!"
    stale = {"view_id": view["id"], "view": modal(), "hash": view["hash"]}
    assert error_of(client.views_update, **stale) == "hash_conflict"
    assert error_of(client.views_update, view_id="VNOPE", view=modal()) == "not_found"
    home = {"type": "home", "blocks": [section("Your kudos")]}
    assert client.views_publish(user_id="UBEN", view=home)["view"]["type"] == "home"
    assert fake.home_view("UBEN")["blocks"] == [section("Your kudos")]  # type: ignore[index]
    assert error_of(client.views_publish, user_id="UNOPE", view=home) == "user_not_found"


def test_users_info_and_list(fake: FakeSlack, client: WebClient) -> None:
    ben = client.users_info(user="UBEN")["user"]
    assert (ben["name"], ben["real_name"], ben["tz"]) == ("Ben", "Ben Ode", "Europe/Berlin")
    assert ben["tz_offset"] in (3600, 7200) and ben["is_bot"] is False and ben["deleted"] is False
    assert ben["profile"]["display_name"] == "Ben" and ben["profile"]["real_name"] == "Ben Ode"
    assert client.users_info(user="UGONE")["user"]["deleted"] is True
    assert error_of(client.users_info, user="UNOPE") == "user_not_found"
    ids = [m["id"] for page in client.users_list(limit=2) for m in page["members"]]
    assert ids == ["UBRAVO", "UANA", "UBEN", "UCY", "UROBOT", "UGONE"]
    assert error_of(client.users_list, cursor="bogus") == "invalid_cursor"


def test_conversations_members_paginates(fake: FakeSlack, client: WebClient) -> None:
    pages = [page["members"] for page in client.conversations_members(channel=KUDOS, limit=3)]
    assert pages == [["UBRAVO", "UANA", "UBEN"], ["UCY"]]
    assert error_of(client.conversations_members, channel="C0NOPE") == "channel_not_found"
    info = client.conversations_info(channel=KUDOS)["channel"]
    assert (info["name"], info["is_member"], info["num_members"]) == ("kudos", True, 4)
    assert client.conversations_info(channel=RANDOM)["channel"]["is_member"] is False


def test_usergroup_members(fake: FakeSlack, client: WebClient) -> None:
    assert client.usergroups_users_list(usergroup="S0SUPPORT")["users"] == ["UBEN", "UCY"]
    assert error_of(client.usergroups_users_list, usergroup="S0NOPE") == "no_such_subteam"


def test_update_delete_permalink_and_reactions(fake: FakeSlack, client: WebClient) -> None:
    posted = client.chat_postMessage(channel=KUDOS, text="Kudos!", blocks=[section("Kudos!")])
    ts = posted["ts"]
    client.chat_update(channel=KUDOS, ts=ts, text="Withdrawn")
    [message] = fake.messages(KUDOS)
    assert message["text"] == "Withdrawn" and message["blocks"] == [section("Kudos!")]
    assert "edited" in message
    theirs = fake.add_message(KUDOS, "UANA", "my own words")
    no = error_of(client.chat_update, channel=KUDOS, ts=theirs["ts"], text="x")
    assert no == "cant_update_message"
    assert (
        error_of(client.chat_update, channel=KUDOS, ts="1.000001", text="x") == "message_not_found"
    )
    dm = client.chat_postMessage(channel="UBEN", text="dm")
    assert (
        error_of(client.chat_update, channel="UBEN", ts=dm["ts"], text="x") == "channel_not_found"
    )
    client.chat_update(channel=dm["channel"], ts=dm["ts"], text="edited dm")
    link = client.chat_getPermalink(channel=KUDOS, message_ts=ts)["permalink"]
    assert link == f"https://sandbox.slack.com/archives/{KUDOS}/p{ts.replace('.', '')}"
    client.reactions_add(channel=KUDOS, name="clap", timestamp=ts)
    assert error_of(client.reactions_add, channel=KUDOS, name="clap", timestamp=ts) == (
        "already_reacted"
    )
    client.chat_delete(channel=KUDOS, ts=ts)
    assert [m["text"] for m in fake.messages(KUDOS)] == ["my own words"]


def test_ephemeral_needs_the_user_in_the_channel(fake: FakeSlack, client: WebClient) -> None:
    answer = client.chat_postEphemeral(channel=KUDOS, user="UBEN", text="only you")
    assert answer["message_ts"]
    no = error_of(client.chat_postEphemeral, channel=RANDOM, user="UCY", text="x")
    assert no == "user_not_in_channel"
    assert fake.messages() == []  # ephemeral messages are not stored


def test_file_upload_records_bytes_and_title(fake: FakeSlack, client: WebClient) -> None:
    result = client.files_upload_v2(
        channel=KUDOS, content=b"name,kudos\nBen,3\n", filename="kudos.csv", title="Kudos export"
    )
    assert result["file"]["title"] == "Kudos export"
    [stored] = fake.files()
    assert stored["content"] == b"name,kudos\nBen,3\n" and stored["channels"] == [KUDOS]
    assert fake.calls("file_upload")[0].args["length"] == len(stored["content"])


def test_response_url_records_posts_and_refuses_the_sixth(fake: FakeSlack) -> None:
    url = fake.new_response_url(user_id="UANA", channel_id=KUDOS)
    assert url.startswith(fake.root_url + "/_response/")
    for n in range(5):
        assert post_json(url, {"response_type": "ephemeral", "text": f"reply {n}"}) == (200, "ok")
    assert post_json(url, {"text": "one too many"}) == (404, "used_url")
    calls = fake.calls("response_url")
    assert [c.args["text"] for c in calls[:5]] == [f"reply {n}" for n in range(5)]
    assert calls[0].args["response_type"] == "ephemeral"
    assert calls[0].args["url_id"] == url.rsplit("/", 1)[1]
    assert calls[0].context["user"] == "UANA" and calls[-1].status == 404


def test_response_url_in_channel_and_replace_original(fake: FakeSlack) -> None:
    assert (
        post_json(
            fake.new_response_url(channel_id=KUDOS),
            {"response_type": "in_channel", "text": "for all"},
        )[0]
        == 200
    )
    [shown] = fake.messages(KUDOS)
    url = fake.new_response_url(user_id="UANA", channel_id=KUDOS, message_ts=shown["ts"])
    assert post_json(url, {"replace_original": True, "text": "replaced"})[0] == 200
    assert [m["text"] for m in fake.messages(KUDOS)] == ["replaced"]
    assert post_json(url, {"delete_original": True})[0] == 200
    assert fake.messages(KUDOS) == []
    assert post_json(url, {"text": "x", "blocks": [section("a" * 3001)]}) == (400, "invalid_blocks")


def test_wait_for_sees_calls_from_other_threads_and_explains_timeouts(
    fake: FakeSlack, client: WebClient
) -> None:
    timer = threading.Timer(0.05, lambda: client.chat_postMessage(channel=KUDOS, text="later"))
    timer.start()
    [call] = fake.wait_for("chat.postMessage", timeout=2)
    assert call.args["text"] == "later"
    with pytest.raises(AssertionError) as info:
        fake.wait_for("views.open", timeout=0.05)
    assert "views.open" in str(info.value) and "chat.postMessage [200 ok]" in str(info.value)
    found = fake.wait_for("chat.postMessage", predicate=lambda c: c.args["text"] == "later")
    assert len(found) == 1


def test_reset_forgets_activity_but_keeps_the_workspace(fake: FakeSlack, client: WebClient) -> None:
    client.chat_postMessage(channel=KUDOS, text="hi")
    fake.fail_next("auth.test", error="fatal_error")
    fake.reset()
    assert fake.calls() == [] and fake.messages() == []
    assert client.auth_test()["ok"] is True
    assert client.users_info(user="UANA")["ok"] is True


def control(fake: FakeSlack, path: str, data: Any = None) -> Any:
    url = f"{fake.root_url}/_sandbox/{path}"
    body = None if data is None else json.dumps(data).encode()
    with urllib.request.urlopen(urllib.request.Request(url, data=body), timeout=5) as response:
        raw = response.read().decode()
    return json.loads(raw) if raw.startswith("{") else raw


def test_control_api_seeds_fails_records_and_resets(fake: FakeSlack, client: WebClient) -> None:
    control(fake, "users", {"user_id": "UDEV", "name": "Dev", "tz": "Asia/Kolkata"})
    control(fake, "channels", {"channel_id": "C0DEV", "name": "dev", "members": ["UBRAVO"]})
    control(fake, "usergroups", {"group_id": "S0DEV", "handle": "devs", "members": ["UDEV"]})
    assert client.users_info(user="UDEV")["user"]["tz_offset"] == 19800
    control(fake, "fail_next", {"method": "chat.postMessage", "status": 500})
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="C0DEV", text="hi")
    client.chat_postMessage(channel="C0DEV", text="hi")
    calls = control(fake, "calls?method=chat.postMessage")["calls"]
    assert [c["status"] for c in calls] == [500, 200] and calls[1]["args"]["text"] == "hi"
    assert "#dev  Bravo: hi" in control(fake, "transcript")
    url = control(fake, "response_urls", {"user_id": "UDEV"})["url"]
    assert post_json(url, {"text": "psst"}) == (200, "ok")
    control(fake, "reset", {})
    assert control(fake, "calls")["calls"] == []
    assert client.usergroups_users_list(usergroup="S0DEV")["users"] == ["UDEV"]


def test_runs_as_a_module_in_the_foreground() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.sandbox.server", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        base_url = next(word for word in banner.split() if word.endswith("/api/"))
        assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/api/")
        client = WebClient(token="xoxb-sandbox", base_url=base_url)
        assert client.auth_test()["user_id"] == "UBRAVO"
    finally:
        process.terminate()
        assert process.wait(timeout=5) == 0
