"""manifest.yml is a valid Slack app manifest and matches what Bravo registers."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from bot.commands import REGISTRY, SHORTCUTS
from bot.feedback import ids as feedback_ids
from bot.kudos import ids
from bot.learning import ids as learning_ids

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT.parent / "shared" / "slack" / "manifest.schema.1.0.0.json"


@pytest.fixture(scope="module")
def manifest() -> dict:
    return yaml.safe_load((ROOT / "manifest.yml").read_text())


def test_manifest_validates_against_slacks_schema(manifest) -> None:
    if not SCHEMA.exists():
        pytest.skip(f"Slack's manifest schema not found at {SCHEMA}")
    schema = json.loads(SCHEMA.read_text())
    jsonschema.validate(manifest, schema)


def test_manifest_schema_rejects_a_broken_manifest(manifest) -> None:
    if not SCHEMA.exists():
        pytest.skip(f"Slack's manifest schema not found at {SCHEMA}")
    broken = dict(manifest, display_information={"description": "no name"})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, json.loads(SCHEMA.read_text()))


def test_every_registered_command_and_shortcut_is_in_the_manifest(manifest) -> None:
    commands = {c["command"] for c in manifest["features"]["slash_commands"]}
    assert {c.command for c in REGISTRY} == commands
    shortcuts = {s["callback_id"] for s in manifest["features"]["shortcuts"]}
    assert shortcuts == {
        ids.SHORTCUT_CALLBACK,
        feedback_ids.CUSTOMER_SHORTCUT,
        learning_ids.SAVE_SHORTCUT,
    }
    assert len(SHORTCUTS) == len(shortcuts)
    assert all(c["should_escape"] for c in manifest["features"]["slash_commands"])


def test_scopes_are_least_privilege(manifest) -> None:
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert scopes == {
        "commands",
        "chat:write",
        "users:read",
        "usergroups:read",
        "reactions:read",
    } | {
        "channels:read",  # /bravo shoutouts: conversations.info and .members
        "groups:read",
        "files:write",  # the weekly chart
    } | {  # after a crash: was a post in flight delivered? (bot.outbox.recovery)
        "channels:history",
        "groups:history",
        "im:history",
        "mpim:history",
        "im:write",  # conversations.open: the DM a post named by user id went to
    } | {
        "mpim:write",  # /review Discuss: a group DM of the agent, reviewer and a team lead
        # users.lookupByEmail: a customer rating by webhook that names its agent by email
        "users:read.email",
    }
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == {
        "app_home_opened",  # the Home tab
        "reaction_added",
        "reaction_removed",
        "app_uninstalled",  # stop sending, delete after retention
        "tokens_revoked",
        "app_uninstalled_team",  # an org-wide install removed from one workspace
        "user_change",  # a deactivated account (automatic erasure)
        "user_status_changed",  # an away status holds prompts back (users:read)
    }
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
