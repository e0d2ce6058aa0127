"""Homes kept fresh without a publish storm: marks only for people who opened their home, one
publish per burst, never another person's home, nothing when nothing changed."""

from __future__ import annotations

from datetime import timedelta

from bot.deps import Deps
from bot.home import jobs
from bot.home import service as home
from bot.kudos import service as kudos
from bot.sandbox.server import FakeSlack
from storage import home as store
from storage.db import Database
from storage.models import WorkspaceConfig
from tests.bot.home.conftest import TEAM, Clock


def publishes(slack: FakeSlack, user: str) -> int:
    return sum(1 for c in slack.calls("views.publish") if c.args.get("user_id") == user)


def gift(giver: str, recipient: str, reason: str) -> kudos.Gift:
    return kudos.Gift(TEAM, giver, (recipient,), reason, (), None, kudos.KudosSource.COMMAND)


def run_for(deps: Deps, clock: Clock, seconds: int) -> None:
    """The refresh job as the scheduler runs it: every second for a while."""
    for _ in range(seconds):
        clock.at += timedelta(seconds=1)
        jobs.refresh_homes(deps, clock.at)


def test_opening_the_home_publishes_it_and_remembers_the_viewer(
    deps: Deps, slack: FakeSlack, db: Database
) -> None:
    assert home.open_home(deps, team_id=TEAM, user_id="UANA")
    assert slack.home_view("UANA") is not None
    assert publishes(slack, "UANA") == 1
    with db.read() as session:
        assert store.viewer(session, team_id=TEAM, user_id="UANA") is not None


def test_a_bot_or_an_unknown_account_gets_no_home(
    deps: Deps, slack: FakeSlack, db: Database
) -> None:
    assert not home.open_home(deps, team_id=TEAM, user_id="UBRAVO")
    assert not home.open_home(deps, team_id=TEAM, user_id="UNOBODY")
    assert slack.calls("views.publish") == []
    with db.read() as session:
        assert store.viewers_among(session, team_id=TEAM, user_ids=["UBRAVO", "UNOBODY"]) == []


def test_a_burst_of_changes_publishes_once(deps: Deps, slack: FakeSlack, clock: Clock) -> None:
    home.open_home(deps, team_id=TEAM, user_id="UANA")
    for i in range(10):
        kudos.give(deps, gift(("UBEN", "UCY")[i % 2], "UANA", f"burst {i}"))  # DMs UANA: a mark
        home.mark_changed(deps, team_id=TEAM, user_ids=["UANA"])
        clock.at += timedelta(milliseconds=200)
    run_for(deps, clock, 20)
    assert publishes(slack, "UANA") == 2  # the open, and one refresh for the ten changes
    assert "burst 9" in str(slack.home_view("UANA"))


def test_someone_who_never_opened_the_home_gets_no_publish(
    deps: Deps, slack: FakeSlack, clock: Clock
) -> None:
    kudos.give(deps, gift("UANA", "UBEN", "for the help"))
    assert home.mark_changed(deps, team_id=TEAM, user_ids=["UBEN"]) == 0
    run_for(deps, clock, 10)
    assert slack.calls("views.publish") == []


def test_a_change_to_one_person_does_not_publish_another(
    deps: Deps, slack: FakeSlack, clock: Clock
) -> None:
    home.open_home(deps, team_id=TEAM, user_id="UANA")
    home.open_home(deps, team_id=TEAM, user_id="UBEN")
    clock.at += timedelta(seconds=10)
    kudos.give(deps, gift("UCY", "UANA", "for the queue"))
    run_for(deps, clock, 10)
    assert publishes(slack, "UANA") == 2
    assert publishes(slack, "UBEN") == 1


def test_a_home_found_unchanged_is_not_sent_again(
    deps: Deps, slack: FakeSlack, clock: Clock, db: Database
) -> None:
    home.open_home(deps, team_id=TEAM, user_id="UANA")
    clock.at += timedelta(seconds=10)
    assert home.mark_changed(deps, team_id=TEAM, user_ids=["UANA"]) == 1
    run_for(deps, clock, 10)
    assert publishes(slack, "UANA") == 1
    with db.read() as session:
        row = store.viewer(session, team_id=TEAM, user_id="UANA")
        assert row is not None and row.dirty_at is None  # looked at, and put down


def test_a_mark_made_as_a_request_comes_in_waits_for_its_change(
    deps: Deps, slack: FakeSlack, clock: Clock
) -> None:
    home.open_home(deps, team_id=TEAM, user_id="UANA")
    clock.at += timedelta(seconds=10)
    home.mark_changed(deps, team_id=TEAM, user_ids=["UANA"], later=True)
    jobs.refresh_homes(deps, clock.at + timedelta(seconds=1))  # too early: still under way
    kudos.give(deps, gift("UBEN", "UANA", "the slow one"))
    run_for(deps, clock, 10)
    assert "the slow one" in str(slack.home_view("UANA"))
    assert publishes(slack, "UANA") == 2


def test_the_job_says_when_it_is_next_due(deps: Deps, clock: Clock) -> None:
    assert jobs.next_refresh(deps, clock.at) is None
    home.open_home(deps, team_id=TEAM, user_id="UANA")
    home.mark_changed(deps, team_id=TEAM, user_ids=["UANA"])
    assert jobs.next_refresh(deps, clock.at) == clock.at + home.SETTLE


def test_an_uninstalled_workspace_gets_no_publish_and_its_marks_are_put_down(
    deps: Deps, slack: FakeSlack, clock: Clock, db: Database
) -> None:
    home.open_home(deps, team_id=TEAM, user_id="UANA")
    with db.write() as session:
        session.add(WorkspaceConfig(team_id=TEAM, uninstalled_at=clock.at, updated_at=clock.at))
    clock.at += timedelta(seconds=10)
    kudos.give(deps, gift("UBEN", "UANA", "after the uninstall"))
    run_for(deps, clock, 10)
    assert publishes(slack, "UANA") == 1  # the open, before
    assert not home.open_home(deps, team_id=TEAM, user_id="UANA")
    with db.read() as session:
        row = store.viewer(session, team_id=TEAM, user_id="UANA")
        assert row is not None and row.dirty_at is None


def test_a_home_slack_cannot_take_does_not_hold_up_the_others(
    deps: Deps, slack: FakeSlack, clock: Clock
) -> None:
    home.open_home(deps, team_id=TEAM, user_id="UANA")
    home.open_home(deps, team_id=TEAM, user_id="UBEN")
    clock.at += timedelta(seconds=10)
    kudos.give(deps, gift("UCY", "UANA", "for one"))
    kudos.give(deps, gift("UCY", "UBEN", "for the other"))
    slack.fail_next("views.publish", status=500, times=2)  # the first home, and its one retry
    run_for(deps, clock, 10)
    refreshed = [
        "for one" in str(slack.home_view("UANA")),
        "for the other" in str(slack.home_view("UBEN")),
    ]
    assert sorted(refreshed) == [False, True]
    assert jobs.next_refresh(deps, clock.at) is None  # nothing left marked, nothing looping
