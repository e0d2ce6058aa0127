"""The settings' domain errors and their words (registered on ``bot.errors.error_text``)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import BravoError, error_text
from bot.workspace.ids import LABELS, Setting


@dataclass
class SettingsAdminOnlyError(BravoError):
    """Someone who is not an admin asked for the settings (or their log), or sent the modal."""

    what: str = "settings"  # "settings" | "log"


@dataclass
class CannotEmptyError(BravoError):
    """A setting that can be changed here but not removed (the suggestion box)."""

    setting: Setting


@error_text.register
def _(err: SettingsAdminOnlyError) -> str:
    what = "read the log of Bravo's settings" if err.what == "log" else "change Bravo's settings"
    return (
        f"Only your workspace's admins and owners, and the people named as Bravo admins, can "
        f"{what}. Ask one of them if something should change."
    )


@error_text.register
def _(err: CannotEmptyError) -> str:
    return f"The {LABELS[err.setting].lower()} can be moved to another channel, not removed."
