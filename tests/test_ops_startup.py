"""Start-up errors an operator makes are one or two lines saying what is wrong and how to fix
it, never a traceback; exit 2 for settings, 1 for anything else (``python -m bot run``)."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.sandbox.server import FakeSlack
from tests.conftest import PG_ADMIN_URL, require_pg
from tests.ops_run import ROOT, Ran, bravo_env, free_port, run_bravo


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as slack:
        yield slack


def one_clear_line(ran: Ran, code: int, *words: str) -> None:
    assert ran.code == code, ran.err
    assert 1 <= len(ran.lines) <= 2, ran.err
    assert "Traceback" not in ran.err
    for word in words:
        assert word in ran.err, ran.err


def test_the_example_env_file_as_it_is_is_refused(tmp_path: Path, fake: FakeSlack) -> None:
    example = tmp_path / "example.env"
    shutil.copy(ROOT / ".env.example", example)
    env = bravo_env(tmp_path, fake.base_url, BRAVO_ENV_FILE=str(example))
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "DATABASE_URL", "LOG_LEVEL"):
        del env[name]  # as if the example were the operator's .env
    ran = run_bravo(env)
    one_clear_line(ran, 2, "SLACK_BOT_TOKEN", "still the example", "OAuth & Permissions")


def test_a_bot_token_slack_refuses_is_one_line_in_socket_mode(
    tmp_path: Path, fake: FakeSlack
) -> None:
    ran = run_bravo(bravo_env(tmp_path, fake.base_url, SLACK_BOT_TOKEN="xoxb-revoked"))
    one_clear_line(ran, 1, "SLACK_BOT_TOKEN (invalid_auth)", "OAuth & Permissions")
    assert not fake.sockets.connections


def test_a_bot_token_slack_refuses_is_one_line_before_any_worker(
    tmp_path: Path, fake: FakeSlack
) -> None:
    env = bravo_env(tmp_path, fake.base_url, SLACK_BOT_TOKEN="xoxb-revoked")
    ran = run_bravo(env, "--http", "--host", "127.0.0.1", "--port", str(free_port()))
    one_clear_line(ran, 1, "SLACK_BOT_TOKEN (invalid_auth)")
    assert "Worker failed to boot" not in ran.err


def test_an_app_token_slack_refuses_is_one_line(tmp_path: Path, fake: FakeSlack) -> None:
    ran = run_bravo(bravo_env(tmp_path, fake.base_url, SLACK_APP_TOKEN="xapp-1-wrong"))
    one_clear_line(ran, 1, "SLACK_APP_TOKEN (invalid_auth)", "App-Level Tokens")
    assert "connected" not in ran.err


def test_slack_out_of_reach_is_one_line(tmp_path: Path) -> None:
    api = f"http://127.0.0.1:{free_port()}/api/"
    ran = run_bravo(bravo_env(tmp_path, api))
    one_clear_line(ran, 1, "Cannot reach Slack", api)


def test_sqlite_with_two_slashes_says_three(tmp_path: Path, fake: FakeSlack) -> None:
    ran = run_bravo(bravo_env(tmp_path, fake.base_url, DATABASE_URL="sqlite://data/x.db"))
    one_clear_line(ran, 2, "two slashes", "sqlite:///data/x.db")


def test_a_sqlite_folder_that_cannot_be_made_is_one_line(tmp_path: Path, fake: FakeSlack) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    url = f"sqlite:///{blocker}/bravo.db"
    ran = run_bravo(bravo_env(tmp_path, fake.base_url, DATABASE_URL=url))
    one_clear_line(ran, 1, "Cannot create the database", url)


def test_a_postgresql_server_that_is_down_is_one_line(tmp_path: Path, fake: FakeSlack) -> None:
    url = f"postgresql://bravo:s3cret@127.0.0.1:{free_port()}/bravo"
    ran = run_bravo(bravo_env(tmp_path, fake.base_url, DATABASE_URL=url))
    one_clear_line(ran, 1, "Connection refused", "postgresql://bravo:***@127.0.0.1")
    assert "s3cret" not in ran.err


def test_a_postgresql_database_that_does_not_exist_is_one_line(
    tmp_path: Path, fake: FakeSlack
) -> None:
    require_pg()
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/bravo_no_such_database"
    ran = run_bravo(bravo_env(tmp_path, fake.base_url, DATABASE_URL=url))
    one_clear_line(ran, 1, '"bravo_no_such_database" does not exist', "createdb")


def test_the_postgres_maintenance_database_is_refused(tmp_path: Path, fake: FakeSlack) -> None:
    url = "postgresql://postgres@127.0.0.1:5432/postgres"
    ran = run_bravo(bravo_env(tmp_path, fake.base_url, DATABASE_URL=url))
    one_clear_line(ran, 2, "'postgres' database", "BRAVO_ALLOW_MAINTENANCE_DB=1")


def test_a_misspelled_setting_is_named_with_the_closest_one(
    tmp_path: Path, fake: FakeSlack
) -> None:
    env = bravo_env(tmp_path, fake.base_url, BRAVO_DAILY_ALLOWENCE="3")
    ran = run_bravo(env)
    one_clear_line(ran, 2, "BRAVO_DAILY_ALLOWENCE", "Did you mean BRAVO_DAILY_ALLOWANCE?")


def test_a_port_in_use_is_one_line(tmp_path: Path, fake: FakeSlack) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        env = bravo_env(tmp_path, fake.base_url)
        ran = run_bravo(env, "--http", "--host", "127.0.0.1", "--port", str(port))
    one_clear_line(ran, 1, f"Port {port} is already in use", "--port")


def test_the_maintenance_database_is_allowed_when_asked() -> None:
    from bot.settings import load_settings

    url = "postgresql://postgres@127.0.0.1:5432/postgres"
    settings = load_settings({"DATABASE_URL": url, "BRAVO_ALLOW_MAINTENANCE_DB": "1"})
    assert settings.allow_maintenance_db and settings.database_url == url
    assert not load_settings(
        {"DATABASE_URL": url.replace("/postgres", "/bravo")}
    ).allow_maintenance_db


def test_an_api_url_that_is_not_slack_is_one_line(tmp_path: Path, fake: FakeSlack) -> None:
    ran = run_bravo(bravo_env(tmp_path, fake.root_url + "/nope/"))
    one_clear_line(ran, 1, "answered HTTP 404, not the Web API", "SLACK_API_URL")
