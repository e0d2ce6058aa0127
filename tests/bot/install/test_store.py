"""The installation and OAuth state stores: tokens sealed at rest, found per workspace (and per
Enterprise Grid organisation), deleted; a state good once, for ten minutes; key rotation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from slack_sdk.oauth.installation_store import Installation
from sqlmodel import select

from bot.install.crypto import Sealer, UnreadableSecret, new_key
from bot.install.store import InstallStore, StateStore
from storage.db import Database
from storage.models import Installation as Row
from tests.db_scan import where_found

TOKEN = "xoxb-1111-secret-bot-token"
REFRESH = "xoxe-1-secret-refresh-token"
NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.at = NOW

    def __call__(self) -> datetime:
        return self.at


def install(team: str = "T1", token: str = TOKEN, **extra: object) -> Installation:
    fields: dict[str, object] = {
        "app_id": "A0BRAVO",
        "team_id": team,
        "team_name": f"Team {team}",
        "bot_token": token,
        "bot_id": "B1",
        "bot_user_id": "UBRAVO",
        "bot_scopes": "commands,chat:write",
        "user_id": "U0INSTALL",
        **extra,
    }
    return Installation(**fields)  # type: ignore[arg-type]


def store_on(db: Database, keys: tuple[str, ...], clock: Clock | None = None) -> InstallStore:
    return InstallStore(db, Sealer(keys), client_id="1111.2222", clock=clock or Clock())


@pytest.fixture
def key() -> str:
    return new_key()


def test_saved_tokens_are_sealed_in_every_column_and_opened_on_find(db: Database, key: str) -> None:
    store = store_on(db, (key,))
    store.save(install(bot_refresh_token=REFRESH, bot_token_expires_in=43_200))
    assert where_found(db, TOKEN) == []
    assert where_found(db, REFRESH) == []
    assert where_found(db, "secret") == []
    found = store.find_installation(enterprise_id=None, team_id="T1")
    assert found is not None
    assert (found.bot_token, found.bot_refresh_token) == (TOKEN, REFRESH)
    assert (found.team_id, found.bot_user_id, found.app_id) == ("T1", "UBRAVO", "A0BRAVO")
    assert found.bot_scopes == ["commands", "chat:write"]
    bot = store.find_bot(enterprise_id=None, team_id="T1")
    assert bot is not None and bot.bot_token == TOKEN


def test_no_token_in_the_database_file_bytes(sqlite_db: Database, key: str, tmp_path: Path) -> None:
    store_on(sqlite_db, (key,)).save(install(bot_refresh_token=REFRESH))
    sqlite_db.dispose()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("bravo.db*"))
    assert b"UBRAVO" in raw  # the file was read
    assert TOKEN.encode() not in raw and REFRESH.encode() not in raw


def test_each_workspace_has_its_own_installation_and_the_newest_wins(
    db: Database, key: str
) -> None:
    store = store_on(db, (key,))
    store.save(install("T1", "xoxb-one"))
    store.save(install("T2", "xoxb-two"))
    store.save(install("T1", "xoxb-one-again"))
    one = store.find_installation(enterprise_id=None, team_id="T1")
    two = store.find_installation(enterprise_id=None, team_id="T2")
    assert one is not None and one.bot_token == "xoxb-one-again"
    assert two is not None and two.bot_token == "xoxb-two"
    assert store.find_installation(enterprise_id=None, team_id="T3") is None
    assert store.find_installation(enterprise_id=None, team_id="T1", user_id="U0INSTALL") is None
    with db.read() as s:
        assert len(s.exec(select(Row)).all()) == 2


def test_delete_removes_only_that_workspace(db: Database, key: str) -> None:
    store = store_on(db, (key,))
    store.save(install("T1"))
    store.save(install("T2"))
    store.delete_installation(enterprise_id=None, team_id="T1")
    assert store.find_installation(enterprise_id=None, team_id="T1") is None
    assert store.find_installation(enterprise_id=None, team_id="T2") is not None
    store.delete_all(enterprise_id=None, team_id="T2")
    assert store.find_bot(enterprise_id=None, team_id="T2") is None


def test_enterprise_grid_workspace_and_org_wide_installs(db: Database, key: str) -> None:
    store = store_on(db, (key,))
    store.save(install("T1", "xoxb-grid-workspace", enterprise_id="E1"))
    store.save(
        install(None, "xoxb-org-wide", enterprise_id="E2", is_enterprise_install=True)  # type: ignore[arg-type]
    )
    # A workspace install in an organisation is found by its team, with or without the org.
    for enterprise in (None, "E1"):
        found = store.find_installation(enterprise_id=enterprise, team_id="T1")
        assert found is not None and found.bot_token == "xoxb-grid-workspace"
        assert found.enterprise_id == "E1"
    # An org-wide install serves a request from any workspace of its organisation.
    org = store.find_installation(enterprise_id="E2", team_id="T9", is_enterprise_install=True)
    assert org is not None and org.bot_token == "xoxb-org-wide" and org.is_enterprise_install
    assert (
        store.find_installation(enterprise_id="E3", team_id="T9", is_enterprise_install=True)
        is None
    )
    store.delete_installation(enterprise_id="E2", team_id=None)
    assert (
        store.find_installation(enterprise_id="E2", team_id=None, is_enterprise_install=True)
        is None
    )
    assert store.find_installation(enterprise_id=None, team_id="T1") is not None


def test_a_new_first_key_reads_the_old_rows_and_reseal_lets_the_old_key_go(db: Database) -> None:
    old, new = new_key(), new_key()
    store_on(db, (old,)).save(install("T1", "xoxb-written-with-old"))
    rotated = store_on(db, (new, old))
    found = rotated.find_installation(enterprise_id=None, team_id="T1")
    assert found is not None and found.bot_token == "xoxb-written-with-old"
    rotated.save(install("T2", "xoxb-written-with-new"))  # new writes use the first key
    with db.read() as s:
        sealed = s.get(Row, ("1111.2222", "", "T2"))
        assert sealed is not None and sealed.bot_token_sealed is not None
        assert (
            Fernet(new.encode()).decrypt(sealed.bot_token_sealed.encode())
            == b"xoxb-written-with-new"
        )
    assert rotated.reseal() == 2
    only_new = store_on(db, (new,))
    for team, token in (("T1", "xoxb-written-with-old"), ("T2", "xoxb-written-with-new")):
        found = only_new.find_installation(enterprise_id=None, team_id=team)
        assert found is not None and found.bot_token == token


def test_a_row_no_key_opens_says_so_without_the_token(db: Database) -> None:
    store_on(db, (new_key(),)).save(install("T1"))
    with pytest.raises(UnreadableSecret) as caught:
        store_on(db, (new_key(),)).find_installation(enterprise_id=None, team_id="T1")
    assert TOKEN not in str(caught.value)
    assert "BRAVO_ENCRYPTION_KEY" in str(caught.value)


def test_a_state_is_good_once_and_for_ten_minutes(db: Database) -> None:
    clock = Clock()
    states = StateStore(db, clock=clock)
    first, second, third = states.issue(), states.issue(), states.issue()
    assert len({first, second, third}) == 3
    assert states.consume(first) is True
    assert states.consume(first) is False  # replayed
    assert states.consume("made-up") is False
    assert states.consume("x" * 5000) is False
    clock.at = NOW + timedelta(minutes=9)
    assert states.consume(second) is True
    clock.at = NOW + timedelta(minutes=10, seconds=1)
    assert states.consume(third) is False  # expired
