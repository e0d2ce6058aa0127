from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk.web import WebClient

from bot.admins import GLANCE_SECONDS, is_admin, looks_admin
from bot.config import from_row
from bot.sandbox.server import FakeSlack
from bot.settings import SettingsError, load_settings


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    slack = FakeSlack(team_id="T0ADMIN", bot_user_id="UBRAVO")
    slack.start()
    slack.add_user("UBRAVO", "bravo", is_bot=True)
    slack.add_user("UADMIN", "ada", is_admin=True)
    slack.add_user("UOWNER", "olu", is_owner=True)
    slack.add_user("UPLAIN", "pat")
    slack.add_user("UNAMED", "nia")
    slack.add_user("UGONE", "gus", is_admin=True, deleted=True)
    yield slack
    slack.stop()


def test_workspace_admins_owners_and_named_people_are_admins(fake: FakeSlack) -> None:
    settings = load_settings({"BRAVO_ADMINS": "UNAMED", "SLACK_API_URL": fake.base_url})
    client = WebClient(token="xoxb-sandbox", base_url=fake.base_url)
    config = from_row(settings, "T0ADMIN", None)  # no choice made in Slack: BRAVO_ADMINS
    assert is_admin(client, config, "UADMIN")
    assert is_admin(client, config, "UOWNER")
    assert is_admin(client, config, "UNAMED")
    assert not is_admin(client, config, "UPLAIN")
    assert not is_admin(client, config, "UGONE")  # a deactivated admin is no admin
    assert not is_admin(client, config, "UBRAVO")
    assert not is_admin(client, config, "UNOSUCH")  # users.info says user_not_found
    fake.add_user("UNAMED", "nia", deleted=True)  # a named Bravo admin who left Slack
    assert not is_admin(client, config, "UNAMED")


def test_bravo_admins_must_be_user_ids() -> None:
    with pytest.raises(SettingsError) as info:
        load_settings({"BRAVO_ADMINS": "U0GOOD, @ana"})
    assert "BRAVO_ADMINS" in str(info.value) and "@ana" in str(info.value)
    assert load_settings({"BRAVO_ADMINS": "U0AAA, W0BBB"}).admins == ("U0AAA", "W0BBB")


def test_a_glance_at_admin_rights_is_remembered_a_few_minutes(fake: FakeSlack) -> None:
    settings = load_settings({"SLACK_API_URL": fake.base_url})
    client = WebClient(token="xoxb-sandbox", base_url=fake.base_url)
    config = from_row(settings, "T0ADMIN", None)
    now = [1000.0]
    asked = len(fake.calls("users.info"))
    assert looks_admin(client, config, "UADMIN", clock=lambda: now[0])
    assert not looks_admin(client, config, "UPLAIN", clock=lambda: now[0])
    fake.add_user("UADMIN", "ada")  # no longer an admin in Slack
    now[0] += 60
    assert looks_admin(client, config, "UADMIN", clock=lambda: now[0])  # the glance is kept
    assert not is_admin(client, config, "UADMIN")  # an admin action asks Slack again
    assert len(fake.calls("users.info")) == asked + 3
    now[0] += GLANCE_SECONDS
    assert not looks_admin(client, config, "UADMIN", clock=lambda: now[0])  # looked again
