"""``bravo practice scenarios check|import FILE``: an operator's route for a whole file."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from bot.__main__ import main
from bot.practice.catalog import CLI
from storage.db import Database
from storage.models import PracticeScenario

T = "T0SANDBOX"


def toml(key: str, skill: str = "empathy") -> str:
    return (
        f'[[scenario]]\nkey = "{key}"\nskill = "{skill}"\ntitle = "Title of {key}"\n'
        'situation = "A parcel is late and the customer needs it today."\n'
        'message = "Where is it?"\n'
        'checklist = ["Said sorry once", "Gave the date", "Offered a choice"]\n'
    )


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BRAVO_ENV_FILE", str(tmp_path / "none.env"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bravo.db'}")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-sandbox")
    monkeypatch.delenv("BRAVO_VALUES", raising=False)
    return tmp_path


def stored(tmp_path: Path) -> dict[str, PracticeScenario]:
    db = Database.from_url(f"sqlite:///{tmp_path / 'bravo.db'}")
    try:
        with db.read() as s:
            return {r.key: r for r in s.exec(select(PracticeScenario)).all()}
    finally:
        db.dispose()


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "ours.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_check_reads_a_file_and_stores_nothing(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(env, toml("one") + toml("two", "communication"))
    assert main(["practice", "scenarios", "check", path]) == 0
    out = capsys.readouterr().out
    assert "2 scenario(s), all fine (empathy 1, communication 1)" in out
    assert not (env / "bravo.db").exists()  # no workspace named: no database opened


def test_check_names_every_problem(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(env, toml("one") + toml("two", "juggling") + toml("one"))
    assert main(["practice", "scenarios", "check", path]) == 1
    err = capsys.readouterr().err
    assert "nothing was stored" in err
    assert "scenario 2 (two): skill 'juggling' is not one of" in err
    assert "key(s) used twice: one" in err


def test_import_stores_for_the_workspace(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(env, toml("one") + toml("empathy-double-charge"))
    assert main(["practice", "scenarios", "import", path, "--team", T]) == 0
    out = capsys.readouterr().out
    assert "added 1 (one), replaced 1 (empathy-double-charge)" in out
    rows = stored(env)
    assert set(rows) == {"one", "empathy-double-charge"}
    assert {r.team_id for r in rows.values()} == {T} and rows["one"].updated_by == CLI
    assert main(["practice", "scenarios", "check", path, "--team", T]) == 0


def test_a_broken_import_stores_nothing(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(env, toml("one") + '[[scenario]]\nkey = "two"\n')
    assert main(["practice", "scenarios", "import", path, "--team", T]) == 1
    assert "scenario 2 (two): missing skill, title" in capsys.readouterr().err
    assert stored(env) == {}


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["import", "{path}"], "needs --team"),
        (["import", "{path}", "--team", "not a team"], "--team must be a Slack workspace id"),
        (["check", "{missing}"], "cannot read"),
        (["check", "{binary}"], "cannot read"),
    ],
)
def test_wrong_arguments(
    env: Path, capsys: pytest.CaptureFixture[str], argv: list[str], says: str
) -> None:
    path = write(env, toml("one"))
    (env / "bin.toml").write_bytes(b"\xff\xfe\x00bad")
    filled = [a.format(path=path, missing=env / "nope.toml", binary=env / "bin.toml") for a in argv]
    assert main(["practice", "scenarios", *filled]) == 2
    assert says in capsys.readouterr().err


def test_an_empty_file(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["practice", "scenarios", "check", write(env, "")]) == 1
    assert "it is empty" in capsys.readouterr().err
