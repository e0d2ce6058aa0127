"""Reviews end to end: signed requests in, what Slack was asked to show out, and who could do
and see what (the access matrix: agent, reviewer, coach, team lead, admin, unrelated
teammate, someone of another workspace) for each action. A review never reaches a channel."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import func, select

from bot.reviews import ids
from bot.sandbox.server import Call, FakeSlack
from storage.db import Database
from storage.models import (
    CoachPairing,
    Goal,
    Review,
    ReviewScore,
    ShoutoutChannel,
    ShoutoutMember,
    TeamLead,
)
from storage.models.reviews import ReviewStatus
from tests.handlers.conftest import CHANNEL, Bravo, start_bravo

T = "T0SANDBOX"
AGENT, LEAD, COACH, ADMIN, OTHER = "UANA", "ULEA", "UCOCO", "UADA", "UDEV"
STRANGER = "UFAR"  # a user of another workspace: Slack here does not know them
LINK = "<https://help.example.com/tickets/4521|ticket 4521>"
URL = "https://help.example.com/tickets/4521"
REFUSED = "couldn't find that review"


@pytest.fixture
def bravo(slack: FakeSlack, db: Database) -> Iterator[Bravo]:
    slack.add_user(LEAD, "lea")
    slack.add_user(COACH, "coco")
    slack.add_user(ADMIN, "ada", is_admin=True)
    slack.add_user(OTHER, "dev")
    for bravo in start_bravo(slack, db):
        now = bravo.clock()
        with bravo.deps.db.write() as s:
            s.add(
                CoachPairing(
                    team_id=T, coach_id=COACH, coachee_id=AGENT, status="active", requested_at=now
                )
            )
            s.add(
                ShoutoutChannel(
                    team_id=T, channel_id=CHANNEL, enabled_by=AGENT, since=now, updated_at=now
                )
            )
            s.add_all(
                ShoutoutMember(team_id=T, channel_id=CHANNEL, user_id=u)
                for u in (AGENT, LEAD, OTHER)
            )
            s.add(
                TeamLead(team_id=T, channel_id=CHANNEL, user_id=LEAD, named_by=ADMIN, named_at=now)
            )
        yield bravo


def view_of(call: Call) -> dict[str, Any]:
    view = call.args["view"]
    return json.loads(view) if isinstance(view, str) else view


def command(bravo: Bravo, user: str, text: str) -> tuple[dict[str, Any] | None, str]:
    """``/review text``: the modal it opened, or the reply's words."""
    views = len(bravo.slack.calls("views.open"))
    replies = len(bravo.slack.calls("response_url"))
    assert bravo.send.slash_command(user, "/review", text, channel_id=CHANNEL).status == 200
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if len(bravo.slack.calls("views.open")) > views:
            return view_of(bravo.slack.calls("views.open")[-1]), ""
        if len(bravo.slack.calls("response_url")) > replies:
            reply = bravo.slack.calls("response_url")[-1].args
            return None, reply["text"] + json.dumps(reply.get("blocks") or [])
        time.sleep(0.02)
    raise AssertionError("no modal and no reply")


def card(view: dict[str, Any], score: str = "3", **texts: str) -> dict[str, Any]:
    """A scorecard filled in: every skill ``score``, the summary from ``texts``."""
    values: dict[str, Any] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        key = block["block_id"]
        if key.startswith("sc_score:"):
            got = {"type": "static_select", "selected_option": {"value": score}}
        elif key == "sc_outcome":
            got = {"type": "static_select", "selected_option": {"value": "resolved"}}
        else:
            name = key.split(":")[0]
            got = {"type": "plain_text_input", "value": texts.get(name, "")}
        values[key] = {"input": got}
    return values


GOOD = {
    "sc_went_well": "You summarised the problem <@UBEN> before fixing it <!channel>",
    "sc_try_next": "Offer a follow-up call when the fix needs a restart",
    "sc_note": "Warm <!here> & calm",
}


def review(bravo: Bravo, reviewer: str = LEAD, score: str = "3") -> Review:
    view, words = command(bravo, reviewer, f"<@{AGENT}|ana> {LINK}")
    assert view is not None, words
    result = bravo.send.view_submission(reviewer, view, card(view, score, **GOOD))
    assert result.status == 200 and (result.json() or {}) == {}, result.body
    bravo.deliver()
    with bravo.deps.db.read() as s:
        return s.exec(select(Review).order_by(Review.id.desc())).first()  # type: ignore[union-attr]


def count(bravo: Bravo, model: Any) -> int:
    with bravo.deps.db.read() as s:
        return int(s.exec(select(func.count()).select_from(model)).one())


def dms_to(bravo: Bravo, user: str, words: str = "") -> list[Call]:
    return [
        c
        for c in bravo.slack.calls("chat.postMessage", ok=True)
        if c.args.get("channel") == user and words in json.dumps(c.args)
    ]


def press(bravo: Bravo, user: str, action_id: str, value: str, message: Any = None) -> str:
    """A button press; the words of the answer ("" when none came)."""
    before = len(bravo.slack.calls("response_url"))
    res = bravo.send.block_action(user, action_id, value, channel_id="D0DM", message=message)
    assert res.status == 200
    try:
        calls = bravo.slack.wait_for("response_url", before + 1, timeout=3)
    except AssertionError:
        return ""
    return calls[-1].args.get("text", "") + json.dumps(calls[-1].args.get("blocks") or [])


def status(bravo: Bravo, review_id: int | None) -> str:
    with bravo.deps.db.read() as s:
        row = s.get(Review, review_id)
        assert row is not None
        return row.status


def never_in_a_channel(bravo: Bravo) -> None:
    for method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
        for call in bravo.slack.calls(method):
            channel = str(call.args.get("channel"))
            assert not channel.startswith("C"), (method, call.args)


# Creating a review -----------------------------------------------------------------------------


def test_a_lead_reviews_the_agent_gets_it_by_dm_with_typed_mentions_made_harmless(
    bravo: Bravo,
) -> None:
    row = review(bravo)
    assert (row.agent_id, row.reviewer_id, row.link) == (AGENT, LEAD, URL)
    assert count(bravo, ReviewScore) == len(bravo.deps.config(T).kudos.values)
    [dm] = dms_to(bravo, AGENT, "reviewed one of your conversations")
    shown = json.dumps(dm.args)
    assert URL in shown and "summarised the problem" in shown and "Offer a follow-up" in shown
    assert "<@UBEN>" not in shown and "<!channel>" not in shown and "<!here>" not in shown
    assert "&lt;@UBEN&gt;" in shown
    actions = [
        e["action_id"] for b in dm.args["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert actions == [ids.ACKNOWLEDGE, ids.DISCUSS, ids.TO_GOAL]
    assert dms_to(bravo, LEAD, "was sent to them")
    never_in_a_channel(bravo)


def test_the_same_submission_twice_makes_one_review_and_one_dm(bravo: Bravo) -> None:
    view, _ = command(bravo, LEAD, f"<@{AGENT}|ana> {LINK}")
    assert view is not None
    values = card(view, **GOOD)
    full = {**view, "id": "V0SAME"}
    for _ in range(2):
        assert (bravo.send.view_submission(LEAD, full, values).json() or {}) == {}
    bravo.deliver()
    assert count(bravo, Review) == 1
    assert len(dms_to(bravo, AGENT, "reviewed one of your conversations")) == 1


def test_a_scorecard_with_problems_shows_them_on_their_fields_and_writes_nothing(
    bravo: Bravo,
) -> None:
    view, _ = command(bravo, LEAD, f"<@{AGENT}|ana> {LINK}")
    assert view is not None
    values = card(view, "9", sc_went_well="", sc_try_next="x" * 1001)
    body = bravo.send.view_submission(LEAD, view, values).json() or {}
    assert body["response_action"] == "errors"
    assert "sc_score:empathy" in body["errors"] and "sc_went_well" in body["errors"]
    assert "sc_try_next" in body["errors"]
    assert count(bravo, Review) == 0


WHO_MAY_REVIEW = [(LEAD, True), (COACH, True), (ADMIN, True), (OTHER, False), (AGENT, False)]


def test_who_may_open_a_review(bravo: Bravo) -> None:
    for user, allowed in WHO_MAY_REVIEW:
        view, words = command(bravo, user, f"<@{AGENT}|ana> {LINK}")
        assert (view is not None) == allowed, (user, words)
        if user == OTHER:
            assert "Only" in words and "Nothing was opened" in words
        if user == AGENT:
            assert "your own conversations" in words
    view, words = command(bravo, LEAD, f"<@{STRANGER}|far> {LINK}")
    assert view is None and "isn't someone I can find" in words


def test_a_forged_submission_by_someone_who_may_not_review_is_refused(bravo: Bravo) -> None:
    view, _ = command(bravo, LEAD, f"<@{AGENT}|ana> {LINK}")
    assert view is not None
    body = bravo.send.view_submission(OTHER, view, card(view, **GOOD)).json() or {}
    assert body["response_action"] == "errors" and "Only" in json.dumps(body["errors"])
    assert count(bravo, Review) == 0


def test_anyone_may_review_when_the_workspace_says_so(bravo: Bravo) -> None:
    from storage.models import WorkspaceConfig

    with bravo.deps.db.write() as s:
        s.add(WorkspaceConfig(team_id=T, review_scope="anyone", updated_at=bravo.clock()))
    view, words = command(bravo, OTHER, f"<@{AGENT}|ana> {LINK}")
    assert view is not None, words


BAD = [
    ("", "Help"),
    (LINK, "Whose conversation"),
    ("@ana https://x.example.com", "Whose conversation"),
    ("<@UROBOT|deploybot> " + LINK, "is a bot"),
    ("<@UGONE|gone> " + LINK, "has left the workspace"),
    (f"<@{LEAD}|lea> " + LINK, "your own conversations"),
    (f"<@{AGENT}|ana>", "Add the link"),
    (f"<@{AGENT}|ana> not-a-link", "isn't a link I can use"),
    (f"<@{AGENT}|ana> javascript:alert(1)", "isn't a link I can use"),
    (f"<@{AGENT}|ana> ftp://files.example.com/x", "isn't a link I can use"),
    (f"<@{AGENT}|ana> https://" + "a" * 40_000, "too long"),
    (f"<@{AGENT}|ana> <@UBEN|ben>", "That's a person, not a link"),
    (f"<@{AGENT}|ana> <@UBEN|ben> {LINK}", "one person's conversation"),
]


def test_bad_input_gets_a_clear_answer_in_review_words_and_opens_nothing(bravo: Bravo) -> None:
    for text, words in BAD:
        view, reply = command(bravo, LEAD, text)
        assert view is None, text
        assert words in reply, (text[:60], reply[:300])
        if words not in {"Help", "is a bot", "has left the workspace", "your own conversations"}:
            assert "/review @ana https://" in reply  # an example to copy
        assert "<@UBEN>" not in reply
    assert count(bravo, Review) == 0


# The agent's buttons ---------------------------------------------------------------------------


def test_only_the_agent_acknowledges_and_the_dm_is_redrawn_in_place(bravo: Bravo) -> None:
    row = review(bravo)
    [dm] = dms_to(bravo, AGENT, "reviewed one of your conversations")
    message = {"ts": dm.response.get("ts"), "text": dm.args["text"], "blocks": dm.args["blocks"]}
    for user in (LEAD, COACH, ADMIN, OTHER, STRANGER):
        assert REFUSED in press(bravo, user, ids.ACKNOWLEDGE, str(row.id), message), user
    assert status(bravo, row.id) == ReviewStatus.SENT
    assert REFUSED in press(bravo, AGENT, ids.ACKNOWLEDGE, "999999", message)
    redrawn = press(bravo, AGENT, ids.ACKNOWLEDGE, str(row.id), message)
    assert "Acknowledged" in redrawn and ids.ACKNOWLEDGE not in redrawn
    replaced = bravo.slack.calls("response_url")[-1].args
    assert replaced.get("replace_original") is True
    assert status(bravo, row.id) == ReviewStatus.ACKNOWLEDGED
    assert "already acknowledged" in press(bravo, AGENT, ids.ACKNOWLEDGE, str(row.id), message)
    bravo.deliver()
    assert len(dms_to(bravo, LEAD, "acknowledged your review")) == 1
    never_in_a_channel(bravo)


def discuss(bravo: Bravo, row: Review, reason: str = "The caller hung up <!here>") -> dict:
    before = len(bravo.slack.calls("views.open"))
    [dm] = dms_to(bravo, AGENT, "reviewed one of your conversations")
    where, ts = dm.response["channel"], dm.response["ts"]
    message = {"ts": ts, "text": dm.args["text"], "blocks": dm.args["blocks"]}
    bravo.send.block_action(AGENT, ids.DISCUSS, str(row.id), channel_id=where, message=message)
    [*_, opened] = bravo.slack.wait_for("views.open", before + 1)
    view = view_of(opened)
    assert view["callback_id"] == ids.DISCUSS_MODAL
    values = {ids.REASON_BLOCK: {"input": {"type": "plain_text_input", "value": reason}}}
    body = bravo.send.view_submission(AGENT, view, values).json() or {}
    bravo.deliver()
    return body


def test_discuss_brings_reviewer_and_lead_into_a_group_dm_and_keep_is_the_reviewers(
    bravo: Bravo,
) -> None:
    row = review(bravo, reviewer=COACH)
    for user in (LEAD, COACH, ADMIN, OTHER):
        assert REFUSED in press(bravo, user, ids.DISCUSS, str(row.id)), user
    assert bravo.slack.calls("views.open", ok=True)[-1:] and status(bravo, row.id) == "sent"
    assert discuss(bravo, row) == {}
    [opened] = bravo.slack.calls("conversations.open", ok=True)
    assert set(opened.args["users"].split(",")) == {AGENT, COACH, LEAD}
    group = opened.response["channel"]["id"]
    [post] = [
        c for c in bravo.slack.calls("chat.postMessage", ok=True) if c.args["channel"] == group
    ]
    shown = json.dumps(post.args)
    assert "The caller hung up" in shown and "<!here>" not in shown
    assert status(bravo, row.id) == ReviewStatus.DISCUSSING
    [redrawn] = bravo.slack.calls("chat.update", ok=True)  # the agent's DM, without buttons
    assert "Asked to discuss" in json.dumps(redrawn.args)
    assert ids.ACKNOWLEDGE not in json.dumps(redrawn.args)
    for user in (AGENT, LEAD, ADMIN, OTHER):
        assert REFUSED in press(bravo, user, ids.KEEP, str(row.id)), user
    assert "scores kept" in press(bravo, COACH, ids.KEEP, str(row.id))
    assert status(bravo, row.id) == ReviewStatus.KEPT
    assert "scores were kept" in press(bravo, COACH, ids.KEEP, str(row.id))
    bravo.deliver()
    assert dms_to(bravo, AGENT, "kept the scores")
    # Both places redrawn once: the agent's DM says how it ended, the discussion has no buttons.
    updates = bravo.slack.calls("chat.update", ok=True)[1:]
    [dm] = [u for u in updates if u.args["channel"] != group]
    assert "discussed, scores kept" in json.dumps(dm.args) and ids.DISCUSS not in json.dumps(
        dm.args
    )
    [talk] = [u for u in updates if u.args["channel"] == group]
    assert talk.args["ts"] == post.response["ts"]
    shown = json.dumps(talk.args)
    assert ids.KEEP not in shown and ids.CHANGE not in shown and "scores kept" in shown
    assert "The caller hung up" in shown and "<!here>" not in shown  # the rest as it was
    never_in_a_channel(bravo)


def test_change_scores_reopens_the_scorecard_prefilled_and_tells_the_agent_what_changed(
    bravo: Bravo,
) -> None:
    row = review(bravo, reviewer=LEAD)
    body = discuss(bravo, row, "")  # no reason: the modal says so
    assert "What would you like to discuss" in body["errors"][ids.REASON_BLOCK]
    assert status(bravo, row.id) == ReviewStatus.SENT
    assert discuss(bravo, row) == {}
    for user in (AGENT, COACH, ADMIN, OTHER):
        assert REFUSED in press(bravo, user, ids.CHANGE, str(row.id)), user
    before = len(bravo.slack.calls("views.open"))
    bravo.send.block_action(LEAD, ids.CHANGE, str(row.id), channel_id="D0DM")
    [*_, opened] = bravo.slack.wait_for("views.open", before + 1)
    view = view_of(opened)
    assert view["callback_id"] == ids.CHANGE_MODAL
    first = next(b for b in view["blocks"] if b.get("block_id") == "sc_score:empathy")
    assert first["element"]["initial_option"]["value"] == "3"
    values = card(view, "3", **GOOD)
    values["sc_score:empathy"]["input"]["selected_option"] = {"value": "4"}
    assert (bravo.send.view_submission(LEAD, view, values).json() or {}) == {}
    bravo.deliver()
    assert status(bravo, row.id) == ReviewStatus.CHANGED
    [told] = dms_to(bravo, AGENT, "changed their review")
    assert "Empathy" in json.dumps(told.args) and "4/4" in json.dumps(told.args)
    with bravo.deps.db.read() as s:
        scores = {r.skill: r.score for r in s.exec(select(ReviewScore))}
    assert scores["empathy"] == 4 and count(bravo, ReviewScore) == len(scores)
    # The agent's DM shows the scores as they now stand, once.
    dm_updates = [
        u
        for u in bravo.slack.calls("chat.update", ok=True)
        if "scores changed" in json.dumps(u.args)
    ]
    [dm] = [u for u in dm_updates if "A review of your conversation" in json.dumps(u.args)]
    assert "4/4" in json.dumps(dm.args)


def test_make_it_a_goal_opens_the_goal_form_prefilled_and_links_the_goal(bravo: Bravo) -> None:
    row = review(bravo)
    assert REFUSED in press(bravo, LEAD, ids.TO_GOAL, str(row.id))
    before = len(bravo.slack.calls("views.open"))
    bravo.send.block_action(AGENT, ids.TO_GOAL, str(row.id), channel_id="D0DM")
    [*_, opened] = bravo.slack.wait_for("views.open", before + 1)
    view = view_of(opened)
    assert view["callback_id"] == ids.GOAL_MODAL
    what = next(b for b in view["blocks"] if b.get("block_id") == "what")
    assert what["element"]["initial_value"] == GOOD["sc_try_next"]
    values = goal_values(view, measure="Offered on 5 restart tickets")
    assert (bravo.send.view_submission(AGENT, view, values).json() or {}) == {}
    with bravo.deps.db.read() as s:
        goal = s.exec(select(Goal)).one()
        linked = s.get(Review, row.id)
    assert linked is not None and linked.goal_id == goal.id and goal.owner_id == AGENT
    again = bravo.send.view_submission(AGENT, view, values).json() or {}
    assert again["response_action"] == "errors" and count(bravo, Goal) == 1


def goal_values(view: dict[str, Any], **typed: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        el, key = block["element"], block["block_id"]
        kind = el["type"]
        if kind == "plain_text_input":
            got = {"value": typed.get(key, el.get("initial_value", ""))}
        elif kind in ("static_select", "radio_buttons"):
            got = {"selected_option": el.get("initial_option")}
        elif kind == "datepicker":
            got = {"selected_date": el.get("initial_date")}
        else:
            got = {"selected_time": el.get("initial_time")}
        values[key] = {el["action_id"]: {"type": kind, **got}}
    return values


# /review list ----------------------------------------------------------------------------------


def test_who_sees_whose_reviews_in_the_list(bravo: Bravo) -> None:
    review(bravo, reviewer=LEAD, score="2")
    review(bravo, reviewer=COACH, score="4")
    for user in (AGENT, LEAD, COACH):
        _, words = command(bravo, user, f"list <@{AGENT}|ana>")
        assert URL in words and "30 days 3.0 (2)" in words, (user, words[:400])
    _, mine = command(bravo, AGENT, "list")
    assert URL in mine and "Reviews you gave" in mine
    _, given = command(bravo, LEAD, "list")
    assert "Reviews you gave" in given and URL in given
    for user in (ADMIN, OTHER):
        _, words = command(bravo, user, f"list <@{AGENT}|ana>")
        _, nobody = command(bravo, user, f"list <@{LEAD}|lea>")  # no reviews received at all
        assert "Reviews are private" in words and URL not in words
        assert words == nobody  # the refusal says nothing about whether there are any
    never_in_a_channel(bravo)


def test_without_mpim_write_the_discussion_goes_to_the_reviewer_and_the_lead_by_dm(
    bravo: Bravo,
) -> None:
    import yaml

    with open("manifest.yml") as f:
        scopes = set(yaml.safe_load(f)["oauth_config"]["scopes"]["bot"])
    row = review(bravo, reviewer=COACH)
    bravo.slack.set_scopes(scopes - {"mpim:write"})
    assert discuss(bravo, row) == {}
    [refused] = bravo.slack.calls("conversations.open")
    assert refused.response.get("error") == "missing_scope"
    [to_reviewer] = dms_to(bravo, COACH, "would like to discuss")
    [to_lead] = dms_to(bravo, LEAD, "would like to discuss")
    assert ids.KEEP in json.dumps(to_reviewer.args) and ids.KEEP not in json.dumps(to_lead.args)
    assert status(bravo, row.id) == ReviewStatus.DISCUSSING
    never_in_a_channel(bravo)


def test_someone_of_another_workspace_sees_and_changes_nothing(bravo: Bravo) -> None:
    from bot.sandbox.signing import SlackRequester
    from tests.handlers.conftest import SECRET

    row = review(bravo)
    far = SlackRequester(bravo.url + "/slack/events", SECRET, team_id="T0FAR", fake=bravo.slack)
    before = len(bravo.slack.calls("response_url"))
    assert (
        far.slash_command(STRANGER, "/review", f"list <@{AGENT}|ana>", channel_id="C0FAR").status
        == 200
    )
    assert (
        far.block_action(STRANGER, ids.ACKNOWLEDGE, str(row.id), channel_id="D0FAR").status == 200
    )
    answers = bravo.slack.wait_for("response_url", before + 1)[before:]
    shown = json.dumps([c.args for c in answers])
    assert URL not in shown and "summarised" not in shown
    assert status(bravo, row.id) == ReviewStatus.SENT
