"""The settings modal, the refusal, the change log and the admin's receipt: pure Block Kit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.blocks import Block, context, header, message, section
from bot.cadence import WEEKDAYS
from bot.text import said
from bot.workspace.ids import (
    INPUT,
    LABELS,
    MAX_ADMINS,
    MAX_ERASE_DAYS,
    MAX_VALUES,
    MODAL,
    Setting,
)
from bot.workspace.values import REVIEW_SCOPES, Proposed, hhmm
from storage.models import SettingChange

View = dict[str, Any]


def _input(setting: Setting, element: Block, *, hint: str, optional: bool = False) -> Block:
    block: Block = {
        "type": "input",
        "block_id": setting.value,
        "label": {"type": "plain_text", "text": LABELS[setting]},
        "element": {"action_id": INPUT, **element},
        "hint": {"type": "plain_text", "text": hint[:150]},
    }
    if optional:
        block["optional"] = True
    return block


def _text(initial: str, *, max_length: int, multiline: bool = False) -> Block:
    element: Block = {"type": "plain_text_input", "max_length": max_length}
    if multiline:
        element["multiline"] = True
    if initial:
        element["initial_value"] = initial
    return element


def _channel(initial: str | None) -> Block:
    element: Block = {
        "type": "conversations_select",
        "filter": {
            "include": ["public", "private"],
            "exclude_bot_users": True,
            "exclude_external_shared_channels": True,
        },
        "placeholder": {"type": "plain_text", "text": "Pick a channel"},
    }
    if initial:
        element["initial_conversation"] = initial
    return element


def _day(weekday: int) -> Block:
    options = [
        {"text": {"type": "plain_text", "text": name}, "value": str(i)}
        for i, name in enumerate(WEEKDAYS)
    ]
    return {"type": "static_select", "options": options, "initial_option": options[weekday]}


def settings_modal(now: Proposed) -> View:
    """The workspace's settings as they are now, ready to change."""
    intro = section(
        "The workspace's settings. They apply at once, everywhere; every change is recorded "
        "(`/bravo settings log`)."
    )
    return {
        "type": "modal",
        "callback_id": MODAL,
        "title": {"type": "plain_text", "text": "Bravo settings"},
        "submit": {"type": "plain_text", "text": "Save"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [intro, *_kudos_fields(now), *_workspace_fields(now)],
    }


def _kudos_fields(now: Proposed) -> list[Block]:
    return [
        _input(
            Setting.VALUES,
            _text(", ".join(now.values), max_length=2000, multiline=True),
            hint=f"Comma separated, at most {MAX_VALUES}. Kudos already given keep their values.",
        ),
        _input(
            Setting.ALLOWANCE,
            _text(str(now.daily_allowance), max_length=6),
            hint="Kudos each person can give a day (1 to 1000).",
        ),
        _input(
            Setting.CAP,
            _text(str(now.per_recipient_daily_cap), max_length=6),
            hint="Kudos one person can receive from the same giver a day; empty or 0: no cap.",
            optional=True,
        ),
        _input(
            Setting.KUDOS_CHANNEL,
            _channel(now.kudos_channel),
            hint="Where every kudos is posted. Empty: in the channel it is given in.",
            optional=True,
        ),
        _input(
            Setting.EMOJI,
            _text(now.emoji, max_length=66),
            hint="Reacting with it to a message gives its author kudos (like clap).",
        ),
    ]


def _workspace_fields(now: Proposed) -> list[Block]:
    admins: Block = {"type": "multi_users_select", "max_selected_items": MAX_ADMINS}
    if now.admins:
        admins["initial_users"] = list(now.admins)
    erase = str(now.erase_departed_after_days or "")
    return [
        _input(
            Setting.SHOUTOUT_DAY,
            _day(now.shoutout_weekday),
            hint="For `/bravo shoutouts on` typed with no day.",
        ),
        _input(
            Setting.SHOUTOUT_TIME,
            {"type": "timepicker", "initial_time": hhmm(now.shoutout_minute)},
            hint="For `/bravo shoutouts on` typed with no time (the channel's own time zone).",
        ),
        _input(
            Setting.SUGGESTION_BOX,
            _channel(now.suggestion_box),
            hint="Where anonymous /suggest posts go (invite Bravo there first).",
            optional=True,
        ),
        _input(
            Setting.ADMINS,
            admins,
            hint="Besides the workspace's admins and owners, who always are.",
            optional=True,
        ),
        _input(
            Setting.ERASE_DEPARTED,
            _text(erase, max_length=4),
            hint=f"Days after someone is deactivated in Slack (1 to {MAX_ERASE_DAYS}). "
            "Empty: off, they are kept.",
            optional=True,
        ),
        _input(
            Setting.REVIEW_SCOPE,
            _review_scope(now),
            hint="Who may score a teammate's conversation with /review. Reviews stay private.",
        ),
    ]


def _review_scope(now: Proposed) -> Block:
    options = [
        {"text": {"type": "plain_text", "text": label.capitalize()}, "value": scope.value}
        for scope, label in REVIEW_SCOPES.items()
    ]
    chosen = next(o for o in options if o["value"] == now.review_scope)
    return {"type": "static_select", "options": options, "initial_option": chosen}


def notice_modal(text: str) -> View:
    """A modal that only says something: the refusal after a non-admin pressed a settings
    button (there is nowhere else to answer a click on the Home tab), or "nothing changed"."""
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Bravo settings"},
        "close": {"type": "plain_text", "text": "OK"},
        "blocks": [section(text)],
    }


def change_line(setting: Setting, old: str, new: str) -> str:
    return f"*{LABELS[setting]}*: {said(old)} → {said(new)}"


def receipt(user_id: str, lines: Sequence[str]) -> dict[str, Any]:
    """The admin's receipt, by DM: what changed."""
    text = "Bravo's settings changed:\n" + "\n".join(f"• {line}" for line in lines)
    return {"channel": user_id, **message(text, [section(text)])}


def nothing_changed() -> str:
    return "Nothing changed: the settings were already as you left them."


def _label(key: str) -> str:
    try:
        return LABELS[Setting(key)]
    except ValueError:
        return key


def log_message(
    changes: Sequence[SettingChange],
    names: Mapping[str, str],
    page: int = 1,
    pages: int = 1,
) -> dict[str, Any]:
    """``/bravo settings log``: the latest changes, newest first (who, when, from, to). Nothing
    in it mentions anyone: people read as plain @names."""
    if not changes:
        text = "No setting has been changed in Slack yet: the environment's defaults apply."
        return message(text, [section(text)])
    lines = [
        f"{c.changed_at.strftime('%Y-%m-%d %H:%M')} · {said(f'<@{c.changed_by}>', names)} · "
        f"*{_label(c.key)}*: {said(c.old, names)} → {said(c.new, names)}"
        for c in changes
    ]
    blocks: list[Block] = [header("Bravo settings: recent changes")]
    chunk: list[str] = []
    for line in lines:  # a section holds 3000 characters: several lines each
        if chunk and sum(len(x) + 1 for x in chunk) + len(line) > 2800:
            blocks.append(section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
    blocks.append(section("\n".join(chunk)))
    where = f"Page {page} of {pages}. " if pages > 1 else ""
    older = f"Older changes: `/bravo settings log {page + 1}`. " if page < pages else ""
    blocks.append(context(where + older + "Times in UTC."))
    return message(f"Bravo settings: recent changes (page {page} of {pages})", blocks[:50])
