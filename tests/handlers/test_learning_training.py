"""``/learned course`` end to end: signed requests in, what Slack was asked to show out, and who
could see what. Training is the person's own; an active coach sees it only once the coachee
shares it; nobody else does (an admin neither), and everyone refused reads the same words."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlmodel import func, select

from bot.learning import ids
from bot.learning import training as service
from bot.sandbox.blockkit import check_view
from bot.sandbox.server import Call, FakeSlack
from bot.work import WorkQueue
from bot.worker import record_for
from storage.db import Database
from storage.models import CoachPairing, Goal
from storage.models.learning import Training
from tests.handlers.conftest import CHANNEL, Bravo, start_bravo
from tests.handlers.test_replay import done_twice

T = "T0SANDBOX"
ANA, BEN, COACH, BOSS = "UANA", "UBEN", "UCOCO", "UBOSS"
REFUSED = "can't see that person's training"


@pytest.fixture
def bravo(slack: FakeSlack, db: Database) -> Iterator[Bravo]:
    slack.add_user(COACH, "coco")
    slack.add_user(BOSS, "boss", is_admin=True, is_owner=True)
    for bravo in start_bravo(slack, db):
        with bravo.deps.db.write() as s:
            s.add(
                CoachPairing(
                    team_id=T,
                    coach_id=COACH,
                    coachee_id=ANA,
                    status="active",
                    requested_at=bravo.clock(),
                )
            )
        yield bravo


def course(bravo: Bravo, user: str, text: str) -> tuple[str, dict[str, Any]]:
    """``/learned course <text>``: the reply's words, and the reply."""
    replies = len(bravo.slack.calls("response_url"))
    sent = bravo.send.slash_command(user, "/learned", f"course {text}", channel_id=CHANNEL)
    assert sent.status == 200
    reply = bravo.slack.wait_for("response_url", replies + 1, timeout=5)[-1].args
    return reply["text"] + json.dumps(reply.get("blocks") or []), reply


def trainings(bravo: Bravo) -> list[Training]:
    with bravo.deps.db.read() as s:
        return list(s.exec(select(Training).order_by(Training.id)).all())  # type: ignore[arg-type]


def goals(bravo: Bravo) -> int:
    with bravo.deps.db.read() as s:
        return int(s.exec(select(func.count()).select_from(Goal)).one())


def press(bravo: Bravo, user: str, value: str) -> str:
    """Make it a goal, on the ephemeral reply: the words of the answer."""
    before = len(bravo.slack.calls("response_url"))
    assert bravo.send.block_action(user, ids.COURSE_GOAL, value, channel_id=CHANNEL).status == 200
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        calls = bravo.slack.calls("response_url")
        if len(calls) > before:
            return str(calls[-1].args.get("text", ""))
        time.sleep(0.02)
    return ""


def share(bravo: Bravo, user: str, on: bool = True) -> None:
    service.set_shared_with_coaches(bravo.deps, team_id=T, user_id=user, on=on)


# Recording -------------------------------------------------------------------------------------


def test_a_course_is_recorded_privately_on_the_persons_local_date(bravo: Bravo) -> None:
    bravo.clock.at = bravo.clock.at.replace(hour=3)  # 03:00 UTC: still Sunday 22:00 in New York
    words, reply = course(
        bravo, ANA, '"De-escalation <@UBEN> basics" #empathy next: name the feeling <!channel>'
    )
    [row] = trainings(bravo)
    assert row.user_id == ANA and row.skill == "empathy" and row.taken_on == date(2026, 11, 22)
    assert row.next_step.startswith("name the feeling")
    assert "Recorded" in words and "Only you see it" in words
    assert "<@UBEN>" not in words and "<!channel>" not in words  # never a live mention
    assert ids.COURSE_GOAL in words and f'"value": "{row.id}"' in words
    assert reply["response_type"] == "ephemeral"
    assert not bravo.slack.calls("chat.postMessage")  # nothing posted anywhere


def test_a_course_without_a_next_step_has_no_goal_button(bravo: Bravo) -> None:
    words, _ = course(bravo, ANA, '"Phone basics" #communication on friday')
    [row] = trainings(bravo)
    assert row.taken_on == date(2026, 11, 20) and ids.COURSE_GOAL not in words


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('"" #empathy', "Say which training you took"),
        ("x" * 40_000 + " #empathy", "at most 200 characters"),
        ('"Title" next: ' + "n" * 40_000, "at most 1,000 characters"),
        ('"Title" on 2026-11-30 next: try', "in the future"),
        ('"Title" on 2026-02-31 next: try', "isn't a date"),
        ('"Title" on 1990-01-01', "more than five years ago"),
        ('"Title" #empahty next: try', "Did you mean `#empathy`"),
        ('"Title" #nonsense next: try', "no skill called"),
    ],
)
def test_bad_input_is_answered_and_nothing_is_saved(bravo: Bravo, text: str, said: str) -> None:
    words, _ = course(bravo, ANA, text)
    assert said in words, words
    assert len(words) < 3000
    assert trainings(bravo) == []


def test_a_replayed_command_saves_once(bravo: Bravo) -> None:
    asked = service.Recorded("Tone", "empathy", None, "smile")  # type: ignore[attr-defined]
    first = service.record(bravo.deps, team_id=T, user_id=ANA, asked=asked, key="command:t1")
    assert first.fresh
    from bot.work import Replayed

    with pytest.raises(Replayed):
        service.record(bravo.deps, team_id=T, user_id=ANA, asked=asked, key="command:t1")
    assert len(trainings(bravo)) == 1


# Make it a goal --------------------------------------------------------------------------------


def test_make_it_a_goal_once_and_only_for_the_owner(bravo: Bravo) -> None:
    course(bravo, ANA, '"De-escalation basics" #empathy next: name the feeling first')
    [row] = trainings(bravo)
    assert "isn't one of yours" in press(bravo, BEN, str(row.id))  # the wrong person
    assert goals(bravo) == 0
    assert "now a goal" in press(bravo, ANA, str(row.id))
    assert goals(bravo) == 1
    [row] = trainings(bravo)
    with bravo.deps.db.read() as s:
        goal = s.get(Goal, row.goal_id)
        assert goal is not None and goal.owner_id == ANA
        assert goal.what == "name the feeling first" and goal.skill == "empathy"
    assert "already a goal" in press(bravo, ANA, str(row.id))  # a second click
    assert goals(bravo) == 1
    assert "isn't one of yours" in press(bravo, ANA, "999999")
    bravo.deliver()  # the goals room confirms the new goal by DM, as for any goal
    assert any(c.args.get("channel") == ANA for c in bravo.slack.calls("chat.postMessage"))


def test_a_next_step_too_short_for_a_goal_says_why(bravo: Bravo) -> None:
    course(bravo, ANA, '"Basics" #empathy next: hm')
    [row] = trainings(bravo)
    assert "couldn't make that a goal" in press(bravo, ANA, str(row.id))
    assert goals(bravo) == 0 and trainings(bravo)[0].goal_id is None


def test_a_replayed_click_makes_one_goal(bravo: Bravo) -> None:
    course(bravo, ANA, '"Basics" #empathy next: ask one more question')
    [row] = trainings(bravo)
    assert row.id is not None
    service.make_goal(bravo.deps, team_id=T, training_id=row.id, actor_id=ANA, key="action:k")
    with pytest.raises(Exception) as raised:
        service.make_goal(bravo.deps, team_id=T, training_id=row.id, actor_id=ANA, key="action:k")
    assert type(raised.value).__name__ in ("Replayed", "AlreadyAGoalError")
    assert goals(bravo) == 1


# The form --------------------------------------------------------------------------------------


def opened(bravo: Bravo, user: str, text: str = "") -> dict[str, Any]:
    before = len(bravo.slack.calls("views.open"))
    bravo.send.slash_command(user, "/learned", f"course {text}".strip(), channel_id=CHANNEL)
    call: Call = bravo.slack.wait_for("views.open", before + 1, timeout=5)[-1]
    view = call.args["view"]
    return json.loads(view) if isinstance(view, str) else view


def form_values(title: str, day: str, next_step: str = "", skill: str = "") -> dict[str, Any]:
    values: dict[str, Any] = {
        ids.COURSE_TITLE: {"input": {"type": "plain_text_input", "value": title}},
        ids.COURSE_DATE: {"input": {"type": "datepicker", "selected_date": day}},
        ids.COURSE_NEXT: {"input": {"type": "plain_text_input", "value": next_step}},
        ids.COURSE_LINK: {"input": {"type": "plain_text_input", "value": None}},
    }
    if skill:
        option = {"text": {"type": "plain_text", "text": skill}, "value": skill}
        values[ids.COURSE_SKILL] = {"input": {"type": "static_select", "selected_option": option}}
    return values


def test_the_form_opens_with_a_typed_title_and_saves_once(bravo: Bravo) -> None:
    view = opened(bravo, ANA, '"Listening lab"')
    assert view["callback_id"] == ids.COURSE_MODAL and "Listening lab" in json.dumps(view)
    assert check_view(view) == []
    bad = bravo.send.view_submission(ANA, view, form_values("Lab", "2027-01-01", "try"))
    assert (bad.json() or {})["errors"].keys() == {ids.COURSE_DATE}
    res = bravo.send.view_submission(
        ANA, view, form_values("Listening lab", "2026-11-20", "pause before answering", "empathy")
    )
    got = res.json() or {}
    assert got["response_action"] == "update" and check_view(got["view"]) == []
    [row] = trainings(bravo)
    assert row.taken_on == date(2026, 11, 20) and row.skill == "empathy"
    again = bravo.send.view_submission(ANA, view, form_values("Listening lab", "2026-11-20"))
    assert again.status == 200 and len(trainings(bravo)) == 1  # the same form: saved once
    # Make it a goal, from the form once saved: the form is redrawn with the answer.
    updates = len(bravo.slack.calls("views.update"))
    bravo.send.block_action(ANA, ids.COURSE_GOAL, str(row.id), view=got["view"])
    bravo.slack.wait_for("views.update", updates + 1, timeout=5)
    assert "now a goal" in json.dumps(bravo.slack.calls("views.update")[-1].args)
    assert goals(bravo) == 1


# Who sees it -----------------------------------------------------------------------------------


def test_only_the_person_and_a_coach_they_share_with_see_their_training(bravo: Bravo) -> None:
    course(bravo, ANA, '"Secret course title" #empathy next: try it')
    mine, _ = course(bravo, ANA, "list")
    assert "Secret course title" in mine and "Only you see it" in mine
    for viewer in (COACH, BEN, BOSS):  # sharing off: the coach, someone else, an admin
        words, _ = course(bravo, viewer, f"list <@{ANA}|ana>")
        assert REFUSED in words and "Secret" not in words, (viewer, words)
    share(bravo, ANA)
    words, _ = course(bravo, COACH, f"list <@{ANA}|ana>")
    assert "Secret course title" in words
    for viewer in (BEN, BOSS):  # still nobody else, with the same words
        words, _ = course(bravo, viewer, f"list <@{ANA}|ana>")
        assert REFUSED in words and "Secret" not in words
    with bravo.deps.db.write() as s:  # a pairing ended: no longer their coach
        pairing = s.exec(select(CoachPairing)).one()
        pairing.status = "ended"
        s.add(pairing)
    words, _ = course(bravo, COACH, f"list <@{ANA}|ana>")
    assert REFUSED in words


def test_another_workspace_sees_nothing(bravo: Bravo) -> None:
    course(bravo, ANA, '"Secret course title" #empathy')
    share(bravo, ANA)
    with pytest.raises(Exception) as raised:
        service.training_for_viewer(bravo.deps, team_id="T0OTHER", viewer_id=COACH, person_id=ANA)
    assert type(raised.value).__name__ == "TrainingNotSharedError"
    own = service.trainings(bravo.deps, team_id="T0OTHER", user_id=ANA)
    assert own.rows == []


def test_the_prep_lines_show_only_shared_training_since_a_day(bravo: Bravo) -> None:
    course(bravo, ANA, '"Old course" #empathy on 2026-10-01')
    course(bravo, ANA, '"New <@UBEN> course" #empathy on 2026-11-20 next: try <!here>')
    since = date(2026, 11, 1)

    def lines(coach: str, team: str = T) -> list[str]:
        with bravo.deps.db.read() as s:
            return service.training_lines_for(
                s, team_id=team, coach_id=coach, coachee_id=ANA, since=since
            )

    assert lines(COACH) == []  # not shared yet
    share(bravo, ANA)
    assert lines(BEN) == [] and lines(BOSS) == [] and lines(ANA) == []  # not her coach
    assert lines(COACH, "T0OTHER") == []
    found = lines(COACH)
    assert len(found) == 1 and "New" in found[0] and "Old" not in found[0]
    assert "<@UBEN>" not in found[0] and "<!here>" not in found[0]


# The Home tab ----------------------------------------------------------------------------------


def test_the_home_shows_your_training_and_its_toggle_lets_your_coach_see_it(bravo: Bravo) -> None:
    from tests.handlers.test_home import home_of, open_home

    course(bravo, ANA, '"Home <@UBEN> course" #empathy on friday next: try it')
    open_home(bravo, ANA)
    view = home_of(bravo, ANA)
    body = json.dumps(view)
    assert "Your training" in body and "Home @" in body and "<@UBEN>" not in body
    assert "Only you see it" in body and "Let my coaches see the training I record" in body
    assert REFUSED in course(bravo, COACH, f"list <@{ANA}>")[0]
    bravo.send.block_action(ANA, "home_toggle", "training_to_coaches", view=view)
    view = home_of(bravo, ANA, 2)
    body = json.dumps(view)
    assert "Your coaches see it too" in body and "Only I see my training" in body
    assert "Home @" in course(bravo, COACH, f"list <@{ANA}>")[0]
    bravo.send.block_action(ANA, "home_toggle", "training_to_me", view=view)
    home_of(bravo, ANA, 3)
    assert REFUSED in course(bravo, COACH, f"list <@{ANA}>")[0]


# Queue mode: a request replayed after its work was done does nothing more ----------------------


@pytest.fixture
def web(slack: FakeSlack, db: Database) -> Iterator[Bravo]:
    yield from start_bravo(slack, db, work=WorkQueue(record=record_for(db)))


def test_a_course_and_its_goal_click_replayed_happen_once(web: Bravo) -> None:
    web.send.slash_command(
        ANA, "/learned", 'course "Replayed" #empathy next: say it twice', channel_id=CHANNEL
    )
    done_twice(web)
    [row] = trainings(web)
    recorded = [c for c in web.slack.calls("response_url") if "Recorded" in json.dumps(c.args)]
    assert len(recorded) == 1
    web.send.block_action(ANA, ids.COURSE_GOAL, str(row.id), channel_id=CHANNEL)
    done_twice(web)
    assert goals(web) == 1 and trainings(web)[0].goal_id is not None
    answers = [json.dumps(c.args) for c in web.slack.calls("response_url")]
    assert sum("now a goal" in a for a in answers) == 1
    assert not any("already a goal" in a for a in answers)  # the replay said nothing


def test_two_clicks_at_once_make_one_goal(bravo: Bravo) -> None:
    import threading

    from bot.errors import BravoError

    course(bravo, ANA, '"Basics" #empathy next: ask one more question')
    [row] = trainings(bravo)
    assert row.id is not None
    said: list[str] = []
    start = threading.Barrier(4)

    def click(n: int) -> None:
        start.wait()
        try:
            service.make_goal(
                bravo.deps, team_id=T, training_id=row.id or 0, actor_id=ANA, key=f"action:{n}"
            )
            said.append("made")
        except BravoError as err:
            said.append(type(err).__name__)

    threads = [threading.Thread(target=click, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert said.count("made") == 1 and said.count("AlreadyAGoalError") == 3, said
    assert goals(bravo) == 1
