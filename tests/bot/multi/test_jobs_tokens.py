"""Jobs and tokens: the goal check-ins and coach digests skip, up front and with one log line, a
workspace nothing can be sent to (no token for it, or Bravo uninstalled there) and serve the
others; ``bravo jobs run`` delivers with each installation's token when installed by OAuth."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from bot.__main__ import main
from bot.cadence import Cadence
from bot.coaching import service as coaching
from bot.coaching.jobs import refresh_people, run_coach_digests
from bot.deps import Deps, build_deps
from bot.goals import service as goals
from bot.goals.jobs import run_checkins, run_reminders
from bot.install.crypto import new_key
from bot.install.oauth import tokens_for
from bot.install.tokens import StoreTokens
from bot.sandbox.api.oauth import CLIENT_ID, CLIENT_SECRET
from bot.sandbox.hosted import WorkspaceHandle
from bot.sandbox.server import FakeSlack
from bot.settings import load_settings
from bot.users import Person
from storage import privacy
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Goal, OutboxRow
from tests.bot.install.test_store import install
from tests.bot.multi.conftest import TOKEN_A, TOKEN_B, A, B
from tests.bot.multi.tokens import TeamTokens
from tests.handlers.conftest import Clock

CREATED = datetime(2026, 11, 22, tzinfo=UTC)  # a Sunday
MONDAY_0931 = datetime(2026, 11, 23, 9, 31, tzinfo=UTC)  # the check-ins are due at 09:30
FRIDAY_1500 = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)  # the coaches' digests are due
SPEC = goals.GoalSpec(
    "Answer chats within 2 minutes",
    "Median under 2 min",
    "empathy",
    date(2027, 1, 1),
    Cadence("weekly", weekday=0, minute=570),
    "coach",
)


@pytest.fixture
def deps(fake: FakeSlack, beta: WorkspaceHandle, db: Database) -> Iterator[Deps]:
    settings = load_settings({"SLACK_BOT_TOKEN": TOKEN_A, "SLACK_API_URL": fake.base_url})
    tokens = TeamTokens({A: TOKEN_A, B: TOKEN_B})
    clock = Clock()
    clock.at = MONDAY_0931
    deps = build_deps(settings, db, clock=clock, tokens=tokens)
    yield deps
    deps.work.shutdown(wait=True)


def goal_in(db: Database, team_id: str, owner: str) -> None:
    with db.write() as s:
        goals.create_goal(
            s,
            team_id=team_id,
            owner=Person(owner, tz="UTC"),
            spec=SPEC,
            channel_id=None,
            now=CREATED,
        )


def coach_in(db: Database, team_id: str, coach: str, coachee: str) -> None:
    with db.write() as s:
        row = coaching.request_coaching(
            s, team_id=team_id, coach=Person(coach), coachee=Person(coachee), now=CREATED
        )
        coaching.answer_request(
            s, team_id=team_id, pairing_id=row.id or 0, actor_id=coachee, accept=True, now=CREATED
        )


def queued_for(db: Database, team_id: str) -> list[OutboxRow]:
    with db.read() as s:
        return list(s.exec(select(OutboxRow).where(OutboxRow.team_id == team_id)).all())


def skip_lines(caplog: pytest.LogCaptureFixture, team_id: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if f"skipped in {team_id}" in r.getMessage()]


def test_check_ins_skip_a_workspace_with_no_token_up_front_and_prompt_the_other(
    deps: Deps, beta: WorkspaceHandle, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    goal_in(deps.db, A, "UANA")
    goal_in(deps.db, B, "UZED")
    goal_in(deps.db, B, "UZED")
    assert isinstance(deps.tokens, TeamTokens)
    del deps.tokens.tokens[B]  # B's installation is gone
    with caplog.at_level(logging.INFO):
        counts = run_checkins(deps, MONDAY_0931)
    assert counts == {"prompt": 1, "not_installed": 2}
    assert len(skip_lines(caplog, B)) == 1 and "not installed" in skip_lines(caplog, B)[0]
    assert queued_for(deps.db, B) == []  # nothing queued to fail as not_installed
    with deps.db.read() as s:  # moved on to next week: neither stuck due nor holding others up
        b_goals = s.exec(select(Goal).where(Goal.team_id == B)).all()
    assert all(g.next_due_at and g.next_due_at > MONDAY_0931 + timedelta(days=6) for g in b_goals)
    assert run_checkins(deps, MONDAY_0931 + timedelta(minutes=1)) == {}  # nothing due again
    deps.deliverer.drain()
    [prompt] = fake.calls("chat.postMessage", team_id=A)
    assert prompt.args["channel"] == "UANA"
    assert beta.calls() == []


def test_reminders_skip_a_workspace_uninstalled_since_its_prompt(
    deps: Deps, beta: WorkspaceHandle, caplog: pytest.LogCaptureFixture
) -> None:
    goal_in(deps.db, A, "UANA")
    goal_in(deps.db, B, "UZED")
    assert run_checkins(deps, MONDAY_0931) == {"prompt": 2}
    with deps.db.write() as s:
        privacy.mark_uninstalled(s, team_id=B, now=MONDAY_0931)
    before = len(queued_for(deps.db, B))
    with caplog.at_level(logging.INFO):
        counts = run_reminders(deps, MONDAY_0931 + timedelta(days=2))
    assert counts == {"reminded": 1, "not_installed": 1}
    assert len(skip_lines(caplog, B)) == 1 and "uninstalled" in skip_lines(caplog, B)[0]
    assert len(queued_for(deps.db, B)) == before
    assert run_reminders(deps, MONDAY_0931 + timedelta(days=3)) == {}  # not looked at again


def test_digests_skip_an_uninstalled_workspace_and_one_with_no_token(
    deps: Deps, beta: WorkspaceHandle, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    coach_in(deps.db, A, "UBEN", "UANA")
    coach_in(deps.db, B, "UZED", "UYAN")
    coach_in(deps.db, "T0GONE", "UOLD", "UOLDER")  # no token was ever held for it
    with deps.db.write() as s:
        privacy.mark_uninstalled(s, team_id=B, now=CREATED)
    with caplog.at_level(logging.INFO):
        counts = run_coach_digests(deps, FRIDAY_1500)
    assert counts == {"sent": 1, "not_installed": 2}
    assert len(skip_lines(caplog, B)) == 1 and "uninstalled" in skip_lines(caplog, B)[0]
    assert len(skip_lines(caplog, "T0GONE")) == 1
    assert queued_for(deps.db, B) == [] and queued_for(deps.db, "T0GONE") == []
    assert isinstance(deps.clock, Clock)
    deps.clock.at = FRIDAY_1500
    deps.deliverer.drain()
    [digest] = fake.calls("chat.postMessage", team_id=A)
    assert digest.args["channel"] == "UBEN"
    caplog.clear()
    with caplog.at_level(logging.INFO):
        refreshed = refresh_people(deps, FRIDAY_1500)  # the coaches' profiles: A's only
    assert sum(refreshed.values()) == 1
    assert len(skip_lines(caplog, B)) == 1 and len(skip_lines(caplog, "T0GONE")) == 1
    assert beta.calls() == []


def test_jobs_run_delivers_with_the_installation_s_token_when_installed_by_oauth(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'bravo.db'}"
    env = {
        "BRAVO_ENV_FILE": str(tmp_path / "none.env"),
        "DATABASE_URL": url,
        "SLACK_BOT_TOKEN": "",  # none of its own: each workspace's comes with its install
        "SLACK_CLIENT_ID": CLIENT_ID,
        "SLACK_CLIENT_SECRET": CLIENT_SECRET,
        "BRAVO_ENCRYPTION_KEY": new_key(),
    }
    with FakeSlack(team_id=A, token=TOKEN_A) as fake:
        env["SLACK_API_URL"] = fake.base_url
        fake.add_user("UANA", "ana")
        db = Database.from_url(url)
        upgrade(db.engine)
        tokens = tokens_for(load_settings(env), db, lambda: CREATED)
        assert isinstance(tokens, StoreTokens)
        tokens.store.save(install(A, TOKEN_A))
        goal_in(db, A, "UANA")
        db.dispose()
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        assert main(["jobs", "run", "checkins", "--at", "2026-11-23T09:31Z"]) == 0
        assert "prompt 1" in capsys.readouterr().out
        [prompt] = fake.calls("chat.postMessage", ok=True)
        assert prompt.args["channel"] == "UANA" and "Time to check in" in prompt.args["text"]


def test_shoutouts_and_celebrations_queue_nothing_for_an_uninstalled_workspace(
    deps: Deps, caplog: pytest.LogCaptureFixture
) -> None:
    """Marked uninstalled but its token still held (one-token self-hosting): nothing is queued
    there, one log line each, while the other workspace's channel is still handled."""
    from bot.celebrations.jobs import run_celebrations
    from bot.shoutouts.jobs import run_shoutouts
    from storage.models import ShoutoutChannel

    friday_1600 = datetime(2026, 11, 27, 16, 0, 30, tzinfo=UTC)
    with deps.db.write() as s:
        for team in (A, B):
            s.add(
                ShoutoutChannel(
                    team_id=team,
                    channel_id="CTEAM",
                    enabled_by="ULEAD",
                    members_at=friday_1600,
                    since=CREATED,
                    updated_at=CREATED,
                )
            )
        privacy.mark_uninstalled(s, team_id=B, now=CREATED)
    with caplog.at_level(logging.INFO):
        shoutouts = run_shoutouts(deps, friday_1600)
        celebrations = run_celebrations(deps, friday_1600)
    assert shoutouts["not_installed"] == 1 and shoutouts["sent"] == 1
    assert celebrations["not_installed"] == 1
    assert queued_for(deps.db, B) == []
    assert [r.team_id for r in queued_for(deps.db, A)] != []
    assert len([line for line in skip_lines(caplog, B) if "shout-outs" in line]) == 1
    assert len([line for line in skip_lines(caplog, B) if "celebrations" in line]) == 1
