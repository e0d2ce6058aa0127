"""Ids of the workspace settings' Block Kit elements (shared with the Home tab's admin section)."""

from __future__ import annotations

from enum import StrEnum

OPEN_SETTINGS = "workspace_open_settings"  # the button on an admin's home: opens the modal
MODAL = "workspace_settings_modal"  # the settings modal's callback_id
INPUT = "input"  # the action_id of every element in the modal (one per input block)
CONFIRMED = "workspace_settings_changed"  # outbox kind: the admin's receipt, by DM
LOG_PAGE = 25  # changes shown by `/bravo settings log` (newest first)
MAX_VALUES = 50
MAX_ADMINS = 50
MAX_ERASE_DAYS = 3650


class Setting(StrEnum):
    """One setting an admin can change; also the input block id of its field and the key of
    its rows in the change log."""

    VALUES = "values"
    ALLOWANCE = "daily_allowance"
    CAP = "per_recipient_daily_cap"
    KUDOS_CHANNEL = "kudos_channel"
    EMOJI = "emoji"
    SHOUTOUT_DAY = "shoutout_day"
    SHOUTOUT_TIME = "shoutout_time"
    SUGGESTION_BOX = "suggestion_box"
    ADMINS = "admins"
    ERASE_DEPARTED = "erase_departed_after_days"
    REVIEW_SCOPE = "review_scope"


LABELS: dict[Setting, str] = {
    Setting.VALUES: "Kudos values",
    Setting.ALLOWANCE: "Daily allowance",
    Setting.CAP: "Per-recipient daily cap",
    Setting.KUDOS_CHANNEL: "Kudos channel",
    Setting.EMOJI: "Reaction emoji",
    Setting.SHOUTOUT_DAY: "Default shout-out day",
    Setting.SHOUTOUT_TIME: "Default shout-out time",
    Setting.SUGGESTION_BOX: "Suggestion box channel",
    Setting.ADMINS: "Bravo admins",
    Setting.ERASE_DEPARTED: "Erase people who left Slack",
    Setting.REVIEW_SCOPE: "Who may review",
}
