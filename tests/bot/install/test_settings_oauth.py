"""The OAuth settings: both credentials or neither, a key required with them and checked at
start-up in one line that never shows a secret, `bravo keys new`, and the scopes Bravo asks for
matching manifest.yml."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from cryptography.fernet import Fernet

from bot.__main__ import main
from bot.install.crypto import Sealer
from bot.install.oauth import BOT_SCOPES
from bot.install.store import InstallStore
from bot.settings import SettingsError, load_settings
from storage.db import Database
from storage.migrate import upgrade
from tests.bot.install.test_store import Clock, install

KEY, OTHER = Fernet.generate_key().decode(), Fernet.generate_key().decode()
OAUTH = {"SLACK_CLIENT_ID": "1111.2222", "SLACK_CLIENT_SECRET": "s3cret-value"}


def problems(env: dict[str, str]) -> list[str]:
    with pytest.raises(SettingsError) as caught:
        load_settings(env)
    return caught.value.problems


def test_oauth_settings_are_read() -> None:
    settings = load_settings({**OAUTH, "BRAVO_ENCRYPTION_KEY": f"{KEY}, {OTHER}"})
    assert settings.oauth is True
    assert settings.encryption_keys == (KEY, OTHER)
    assert settings.slack_bot_token is None
    assert KEY not in repr(settings) and "s3cret-value" not in repr(settings)
    assert load_settings({}).oauth is False
    assert load_settings({"BRAVO_ENCRYPTION_KEY": ""}).encryption_keys == ()


def test_the_key_is_required_with_the_credentials() -> None:
    [problem] = problems(OAUTH)
    assert problem.startswith("BRAVO_ENCRYPTION_KEY is missing")
    assert "python -m bot keys new" in problem


@pytest.mark.parametrize(
    ("raw", "which"),
    [("not-a-key", "it is"), (f"{KEY},{KEY[:-2]}", "key 2 of 2 is"), ("é" * 44, "it is")],
)
def test_a_wrong_key_is_one_line_that_does_not_show_it(raw: str, which: str) -> None:
    [problem] = problems({**OAUTH, "BRAVO_ENCRYPTION_KEY": raw})
    assert problem.startswith(f"BRAVO_ENCRYPTION_KEY: {which} not a Fernet key")
    assert raw not in problem and KEY[:10] not in problem
    assert "\n" not in str(SettingsError([problem]))


def test_one_credential_alone_or_both_token_kinds_are_refused() -> None:
    [alone] = problems({"SLACK_CLIENT_ID": "1111.2222", "BRAVO_ENCRYPTION_KEY": KEY})
    assert "SLACK_CLIENT_SECRET is not" in alone
    both = problems({**OAUTH, "BRAVO_ENCRYPTION_KEY": KEY, "SLACK_BOT_TOKEN": "xoxb-1-2"})
    assert both == [
        "Set SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET "
        "(installed by OAuth in many), not both."
    ]
    assert "s3cret-value" not in " ".join(both)


def test_the_redirect_url_is_https_or_local() -> None:
    env = {**OAUTH, "BRAVO_ENCRYPTION_KEY": KEY}
    assert load_settings(
        {**env, "SLACK_REDIRECT_URI": "https://bravo.example/slack/oauth_redirect"}
    )
    assert load_settings(
        {**env, "SLACK_REDIRECT_URI": "http://localhost:3000/slack/oauth_redirect"}
    )
    [problem] = problems({**env, "SLACK_REDIRECT_URI": "http://bravo.example/slack/oauth_redirect"})
    assert problem.startswith("SLACK_REDIRECT_URI must be an https:// URL")


def test_oauth_needs_http_mode_and_no_bot_token() -> None:
    settings = load_settings({**OAUTH, "BRAVO_ENCRYPTION_KEY": KEY, "SLACK_SIGNING_SECRET": "x"})
    settings.require_for_run(http=True)  # no SLACK_BOT_TOKEN needed
    with pytest.raises(SettingsError, match="bravo run --http"):
        settings.require_for_run(http=False)


def test_keys_new_prints_a_key_that_works(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keys", "new"]) == 0
    key = capsys.readouterr().out.strip()
    assert Fernet(key.encode()).decrypt(Fernet(key.encode()).encrypt(b"x")) == b"x"
    assert load_settings({**OAUTH, "BRAVO_ENCRYPTION_KEY": key}).encryption_keys == (key,)


def test_the_scopes_asked_for_are_the_manifests() -> None:
    manifest = yaml.safe_load((Path(__file__).parents[3] / "manifest.yml").read_text())
    assert list(BOT_SCOPES) == manifest["oauth_config"]["scopes"]["bot"]


def test_keys_reseal_seals_every_token_with_the_new_first_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'bravo.db'}"
    db = Database.from_url(url)
    upgrade(db.engine)
    InstallStore(db, Sealer((KEY,)), client_id="1111.2222", clock=Clock()).save(install("T1"))
    monkeypatch.setenv("BRAVO_ENV_FILE", str(tmp_path / "no.env"))
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    for name, value in {
        **OAUTH,
        "DATABASE_URL": url,
        "BRAVO_ENCRYPTION_KEY": f"{OTHER},{KEY}",
    }.items():
        monkeypatch.setenv(name, value)
    assert main(["keys", "reseal"]) == 0
    assert "1 installation(s)" in capsys.readouterr().out
    only_new = InstallStore(db, Sealer((OTHER,)), client_id="1111.2222", clock=Clock())
    found = only_new.find_installation(enterprise_id=None, team_id="T1")
    assert found is not None and found.bot_token == install("T1").bot_token
    db.dispose()


def _hook(db: Database, team: str, secret: str, key: str) -> None:
    from storage.models import RatingHook

    with db.write() as session:
        session.add(
            RatingHook(
                team_id=team,
                hook_id=f"hook-{team}",
                secret_sealed=Sealer((key,)).seal(secret) or "",
                created_by="UADMIN",
                created_at=Clock()(),
            )
        )


def _sealed_of(db: Database, team: str) -> str:
    from storage.models import RatingHook

    with db.read() as session:
        hook = session.get(RatingHook, team)
        assert hook is not None
        return hook.secret_sealed


def test_keys_reseal_seals_webhook_secrets_again_with_one_bot_token_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The customer-rating webhooks' secrets are sealed with the same keys, OAuth or not: after a
    reseal the old key can go and each hook's secret is still the same."""
    url = f"sqlite:///{tmp_path / 'bravo.db'}"
    db = Database.from_url(url)
    upgrade(db.engine)
    _hook(db, "T1", "secret-one", KEY)
    _hook(db, "T2", "secret-two", "z" * 43 + "=")  # sealed with a key that is gone
    monkeypatch.setenv("BRAVO_ENV_FILE", str(tmp_path / "no.env"))
    for name in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    for name, value in {
        "SLACK_BOT_TOKEN": "xoxb-one",
        "DATABASE_URL": url,
        "BRAVO_ENCRYPTION_KEY": f"{OTHER},{KEY}",
    }.items():
        monkeypatch.setenv(name, value)
    before = _sealed_of(db, "T2")
    assert main(["keys", "reseal"]) == 1  # one secret none of the keys opens: said, not hidden
    out, err = capsys.readouterr()
    assert "1 customer-rating webhook secret(s)" in out and "installation" not in out
    assert "T2" in err and "/bravo ratings" in err
    assert Sealer((OTHER,)).open(_sealed_of(db, "T1")) == "secret-one"  # the old key can go
    assert _sealed_of(db, "T2") == before  # left as it was
    db.dispose()


def test_keys_reseal_without_a_key_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BRAVO_ENV_FILE", str(tmp_path / "no.env"))
    monkeypatch.delenv("BRAVO_ENCRYPTION_KEY", raising=False)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-one")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bravo.db'}")
    assert main(["keys", "reseal"]) == 2
    assert "BRAVO_ENCRYPTION_KEY is not set" in capsys.readouterr().out
