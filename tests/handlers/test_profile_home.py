"""The skill profile over HTTP: the person's "Your skills" on their home with the coaches
toggle, a coach's "Skill profile" for a coachee who shared it (checked in the use case, whatever
the button says), and the chart sent to the person's DM once a day."""

from __future__ import annotations

import json
from datetime import timedelta

from storage.kudos import add_kudos
from storage.models import CoachPairing, Kudos, Lesson, LessonHelp, UserPref
from tests.handlers.conftest import TEAM, Bravo
from tests.handlers.test_home import home_of, open_home, view_of


def pair(bravo: Bravo, coach: str, coachee: str, status: str = "active") -> None:
    with bravo.deps.db.write() as session:
        session.add(
            CoachPairing(
                team_id=TEAM,
                coach_id=coach,
                coachee_id=coachee,
                status=status,
                requested_at=bravo.clock(),
            )
        )


def tagged_kudos(bravo: Bravo, recipient: str, n: int) -> None:
    rows = [
        Kudos(
            team_id=TEAM,
            batch_id=f"b{i}",
            giver_id="UBEN",
            recipient_id=recipient,
            reason="calm",
            values="empathy",
            source="command",
            created_at=bravo.clock() - timedelta(days=i + 1),
        )
        for i in range(n)
    ]
    with bravo.deps.db.write() as session:
        add_kudos(session, rows)  # with the daily tallies the profile reads


def profile_buttons(view: dict[str, object]) -> list[dict[str, object]]:
    found = []
    for block in view["blocks"]:  # type: ignore[attr-defined]
        accessory = block.get("accessory")
        if accessory and accessory.get("action_id") == "profile_open_coachee":
            found.append(accessory)
    return found


def shared(bravo: Bravo, user: str) -> bool:
    with bravo.deps.db.read() as session:
        row = session.get(UserPref, (TEAM, user))
        return bool(row and row.profile_to_coaches)


def test_the_home_shows_your_skills_and_the_toggle_shares_them(bravo: Bravo) -> None:
    open_home(bravo, "UANA")
    view = home_of(bravo, "UANA")
    body = json.dumps(view)
    assert "Your skills" in body and "Only you see this" in body
    assert "Let my coaches see my skill profile" in body
    bravo.send.block_action("UANA", "home_toggle", "profile_to_coaches", view=view)
    view = home_of(bravo, "UANA", 2)
    assert shared(bravo, "UANA")
    body = json.dumps(view)
    assert "Your coaches see this too" in body and "Only I see my skill profile" in body
    bravo.send.block_action("UANA", "home_toggle", "profile_to_me", view=view)
    home_of(bravo, "UANA", 3)
    assert not shared(bravo, "UANA")


def test_a_coach_sees_a_coachees_profile_only_once_shared(bravo: Bravo) -> None:
    pair(bravo, "UBEN", "UANA")
    tagged_kudos(bravo, "UANA", 2)
    open_home(bravo, "UBEN")
    assert profile_buttons(home_of(bravo, "UBEN")) == []  # not shared: no button
    # a forged click is refused by the use case, with words that reveal nothing
    bravo.send.block_action("UBEN", "profile_open_coachee", "UANA", view=home_of(bravo, "UBEN"))
    [refusal] = bravo.slack.wait_for("views.open")
    assert "skill profile is theirs" in json.dumps(view_of(refusal))
    assert "Skill profile" not in view_of(refusal)["title"]["text"]

    open_home(bravo, "UANA")
    bravo.send.block_action(
        "UANA", "home_toggle", "profile_to_coaches", view=home_of(bravo, "UANA")
    )
    home_of(bravo, "UANA", 2)
    open_home(bravo, "UBEN")
    view = home_of(bravo, "UBEN", 2)
    [button] = profile_buttons(view)
    assert button["value"] == "UANA"
    bravo.send.block_action("UBEN", "profile_open_coachee", "UANA", view=view)
    modal = view_of(bravo.slack.wait_for("views.open", 2)[-1])
    assert modal["title"]["text"] == "Skill profile" and "<@UANA>" in json.dumps(modal)
    assert "*#empathy* :arrow_right: steady · kudos 2 (before 0)" in json.dumps(
        modal, ensure_ascii=False
    )
    assert "kudos 2 (before 0)" not in json.dumps(view)  # the coach's home holds no figures

    # Ana takes it back: the button still on Ben's old home opens nothing
    bravo.send.block_action("UANA", "home_toggle", "profile_to_me", view=home_of(bravo, "UANA"))
    home_of(bravo, "UANA", 3)
    bravo.send.block_action("UBEN", "profile_open_coachee", "UANA", view=view)
    stale = view_of(bravo.slack.wait_for("views.open", 3)[-1])
    assert "skill profile is theirs" in json.dumps(stale) and "#empathy" not in json.dumps(stale)


def test_nobody_else_opens_a_shared_profile(bravo: Bravo) -> None:
    pair(bravo, "UBEN", "UANA", status="ended")
    pair(bravo, "UCY", "UANA", status="pending")
    open_home(bravo, "UANA")
    bravo.send.block_action(
        "UANA", "home_toggle", "profile_to_coaches", view=home_of(bravo, "UANA")
    )
    home_of(bravo, "UANA", 2)
    for n, viewer in enumerate(("UBEN", "UCY"), start=1):
        bravo.send.block_action(viewer, "profile_open_coachee", "UANA", view={"id": "V1"})
        opened = view_of(bravo.slack.wait_for("views.open", n)[-1])
        assert "skill profile is theirs" in json.dumps(opened)
    bravo.send.block_action("UCY", "profile_open_coachee", "<!here>", view={"id": "V1"})
    gone = view_of(bravo.slack.wait_for("views.open", 3)[-1])
    assert "isn't there any more" in json.dumps(gone)


def test_send_me_my_chart_uploads_a_png_to_the_dm_once_a_day(bravo: Bravo) -> None:
    open_home(bravo, "UANA")
    view = home_of(bravo, "UANA")
    bravo.send.block_action("UANA", "profile_send_chart", "chart", view=view)
    nothing = view_of(bravo.slack.wait_for("views.open")[-1])
    assert "No chart this time" in json.dumps(nothing)  # no kudos tagged with a skill yet

    tagged_kudos(bravo, "UANA", 4)
    for n in (2, 3):  # the second click the same day sends nothing more
        bravo.send.block_action("UANA", "profile_send_chart", "chart", view=view)
        bravo.slack.wait_for("views.open", n)
    bravo.deliver()
    [upload] = bravo.slack.calls("files.completeUploadExternal", ok=True)
    [chart] = bravo.slack.files()
    assert chart["content"][:8] == b"\x89PNG\r\n\x1a\n"
    assert upload.args["channel_id"].startswith("D")
    replies = [json.dumps(view_of(c)) for c in bravo.slack.calls("views.open")]
    assert "on its way" in replies[1] and "No chart this time" in replies[2]
    # Once uploaded, the Home tab shows that chart (by the file id Slack gave the upload).
    published = len(bravo.slack.calls("views.publish"))
    open_home(bravo, "UANA")
    home = home_of(bravo, "UANA", published + 1)
    [image] = [b for b in home["blocks"] if b.get("type") == "image"]
    assert image["slack_file"] == {"id": upload.response["files"][0]["id"]}
    assert "Send me a new chart" in json.dumps(home)
    first = view_of(bravo.slack.calls("views.publish")[0])  # before any chart: none shown
    assert not [b for b in first["blocks"] if b.get("type") == "image"]


def posted_lesson(bravo: Bravo, author: str, helped_by: list[str], visibility: str) -> None:
    now = bravo.clock()
    with bravo.deps.db.write() as session:
        row = Lesson(
            team_id=TEAM,
            author_id=author,
            added_by=author,
            learned="Name the feeling first",
            skill="empathy",
            origin="command",
            visibility=visibility,
            posted_channel="C0TEAM" if visibility == "team" else None,
            posted_at=now - timedelta(days=3) if visibility == "team" else None,
            helped_count=len(helped_by),
            created_at=now - timedelta(days=3),
            updated_at=now - timedelta(days=3),
        )
        session.add(row)
        session.flush()
        for user in helped_by:
            session.add(
                LessonHelp(
                    lesson_id=row.id or 0, user_id=user, team_id=TEAM, created_at=now - timedelta(1)
                )
            )


def test_the_home_and_the_coachs_modal_count_lessons_shared_not_private_ones(
    bravo: Bravo,
) -> None:
    posted_lesson(bravo, "UANA", ["UBEN", "UCY"], "team")
    posted_lesson(bravo, "UANA", ["UBEN"], "private")  # hers alone: never counted
    pair(bravo, "UBEN", "UANA")
    open_home(bravo, "UANA")
    view = home_of(bravo, "UANA")
    body = json.dumps(view, ensure_ascii=False)
    assert "lessons shared 1 (before 0) · found helpful 2 (before 0)" in body
    bravo.send.block_action("UANA", "home_toggle", "profile_to_coaches", view=view)
    home_of(bravo, "UANA", 2)
    open_home(bravo, "UBEN")
    bravo.send.block_action("UBEN", "profile_open_coachee", "UANA", view=home_of(bravo, "UBEN"))
    modal = json.dumps(view_of(bravo.slack.wait_for("views.open")[-1]), ensure_ascii=False)
    assert "lessons shared 1 (before 0) · found helpful 2 (before 0)" in modal
