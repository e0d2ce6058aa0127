"""A workspace's settings as one value (what is in effect, or what the modal proposes), the
column each is kept in, and how each is shown to admins (in the modal's hints, the log and the
receipt). Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.cadence import WEEKDAYS
from bot.config import ReviewScope, WorkspaceConfig
from bot.workspace.ids import Setting


@dataclass(frozen=True)
class Proposed:
    """Every setting an admin can change in Slack."""

    values: tuple[str, ...]
    daily_allowance: int
    per_recipient_daily_cap: int  # 0: no cap
    kudos_channel: str | None  # None: post where the kudos is given
    emoji: str
    shoutout_weekday: int  # 0 = Monday
    shoutout_minute: int  # minutes after midnight
    suggestion_box: str | None  # None: not set up
    admins: tuple[str, ...]
    erase_departed_after_days: int | None  # None: off
    review_scope: ReviewScope = ReviewScope.LEADS  # who may /review a teammate


FIELDS: dict[Setting, str] = {
    Setting.VALUES: "values",
    Setting.ALLOWANCE: "daily_allowance",
    Setting.CAP: "per_recipient_daily_cap",
    Setting.KUDOS_CHANNEL: "kudos_channel",
    Setting.EMOJI: "emoji",
    Setting.SHOUTOUT_DAY: "shoutout_weekday",
    Setting.SHOUTOUT_TIME: "shoutout_minute",
    Setting.SUGGESTION_BOX: "suggestion_box",
    Setting.ADMINS: "admins",
    Setting.ERASE_DEPARTED: "erase_departed_after_days",
    Setting.REVIEW_SCOPE: "review_scope",
}

REVIEW_SCOPES: dict[ReviewScope, str] = {
    ReviewScope.LEADS: "their coaches, team leads and admins",
    ReviewScope.ANYONE: "anyone in the workspace",
}


def in_effect(config: WorkspaceConfig, suggestion_box: str | None) -> Proposed:
    """The settings the workspace runs with now (its choices over the environment's)."""
    rules = config.kudos
    return Proposed(
        values=rules.values,
        daily_allowance=rules.daily_allowance,
        per_recipient_daily_cap=rules.per_recipient_daily_cap,
        kudos_channel=rules.kudos_channel or None,
        emoji=rules.emoji,
        shoutout_weekday=config.shoutout_weekday,
        shoutout_minute=config.shoutout_minute,
        suggestion_box=suggestion_box,
        admins=config.admins,
        erase_departed_after_days=config.erase_departed_after_days,
        review_scope=config.review_scope,
    )


def value_of(settings: Proposed, setting: Setting) -> Any:
    return getattr(settings, FIELDS[setting])


def changed(old: Proposed, new: Proposed) -> list[Setting]:
    """The settings ``new`` changes, in the modal's order. The admins are a set: picking the
    same people in another order changes nothing."""
    out = []
    for setting in Setting:
        before, after = value_of(old, setting), value_of(new, setting)
        if setting == Setting.ADMINS:
            before, after = set(before), set(after)
        if before != after:
            out.append(setting)
    return out


def column_values(new: Proposed, settings: list[Setting]) -> dict[str, Any]:
    """``workspace_config`` columns for the changed ``settings`` (the suggestion box is kept by
    the suggestion box itself)."""
    columns: dict[str, Any] = {}
    for setting in settings:
        if setting == Setting.VALUES:
            columns["values_csv"] = ",".join(new.values)
        elif setting == Setting.KUDOS_CHANNEL:
            columns["kudos_channel"] = new.kudos_channel or ""  # "": post where given
        elif setting == Setting.ADMINS:
            columns["admins_csv"] = ",".join(new.admins)  # "": none besides Slack's admins
        elif setting != Setting.SUGGESTION_BOX:
            columns[FIELDS[setting]] = value_of(new, setting)
    return columns


def hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def shown(settings: Proposed, setting: Setting, names: Mapping[str, str]) -> str:
    """How a setting's value reads to admins, as mrkdwn (people as ``<@U|name>``: repeat it
    through ``bot.text.said``, which never leaves a live mention)."""
    value = value_of(settings, setting)
    if setting == Setting.VALUES:
        return ", ".join(value)
    if setting == Setting.CAP:
        return str(value) if value else "none"
    if setting == Setting.KUDOS_CHANNEL:
        return f"<#{value}>" if value else "none (posted where the kudos is given)"
    if setting == Setting.SUGGESTION_BOX:
        return f"<#{value}>" if value else "not set up"
    if setting == Setting.EMOJI:
        return f":{value}:"
    if setting == Setting.SHOUTOUT_DAY:
        return WEEKDAYS[value]
    if setting == Setting.SHOUTOUT_TIME:
        return hhmm(value)
    if setting == Setting.ADMINS:
        people = [f"<@{u}|{names[u]}>" if names.get(u) else f"<@{u}>" for u in value]
        return ", ".join(people) or "none besides the workspace's admins and owners"
    if setting == Setting.ERASE_DEPARTED:
        return f"after {value} days" if value else "off"
    if setting == Setting.REVIEW_SCOPE:
        return REVIEW_SCOPES[ReviewScope(value)]
    return str(value)
