"""The admins' modal for a workspace's practice scenarios (``/practice scenarios``): pure Block
Kit from a ``Catalog``. Titles and keys admins typed are shown escaped (never a live mention)."""

from __future__ import annotations

from typing import Any

from bot.blocks import Block, clip, context, section
from bot.practice import ids
from bot.practice.catalog import MAX_PASTE, Catalog, Row, RowKind
from bot.practice.scenarios import Scenario
from bot.text import escape

TITLE = "Practice scenarios"
EXAMPLE = '[[scenario]]\nkey = "refund-late"\nskill = "empathy"\ntitle = "…"'
HINT = (
    "TOML: one [[scenario]] table each, with key, skill, title, situation, message and "
    "checklist (2-6 items of up to 75 characters). A key already in use is replaced; nothing "
    "is saved while anything is wrong."
)
HELP = (
    "*/practice scenarios* (admins): the scenarios your workspace practises with. It opens a "
    "form where you can paste scenarios in TOML to add them (or to replace one of Bravo's: "
    "use its key), retire one of Bravo's and restore it, or remove your own. Operators can "
    "import a whole file: `bravo practice scenarios import FILE --team T0123`."
)
MAX_ROWS_SHOWN = 85  # rows of the modal's list; with the rest, within Slack's 100 blocks


def catalog_modal(catalog: Catalog, notice: str = "", paste: int = 0) -> dict[str, Any]:
    """``paste``: a number for the input's block_id, changed after each save so the box comes
    back empty (Slack keeps what was typed in an input whose block_id stays the same)."""
    blocks: list[Block] = []
    if notice:
        blocks.append(section(notice))
    blocks.append(section(_counts(catalog)))
    blocks.append(_paste_input(paste))
    if catalog.retirable:
        blocks.append(_retire_menu(catalog.retirable))
    blocks.append({"type": "divider"})
    blocks.append(section("*This workspace's own and retired scenarios*"))
    if not catalog.rows:
        blocks.append(context("None yet: everyone practises with Bravo's library."))
    for row in catalog.rows[:MAX_ROWS_SHOWN]:
        blocks.append(_row(row))
    return {
        "type": "modal",
        "callback_id": ids.SCENARIOS_MODAL,
        "title": {"type": "plain_text", "text": TITLE},
        "submit": {"type": "plain_text", "text": "Add scenarios"},
        "close": {"type": "plain_text", "text": "Done"},
        "private_metadata": str(paste),
        "blocks": blocks,
    }


def notice_modal(text: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": ids.SCENARIOS_MODAL + "_notice",
        "title": {"type": "plain_text", "text": TITLE},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": [section(text)],
    }


def _counts(catalog: Catalog) -> str:
    total = sum(catalog.counts.values())
    lines = [f"*{total} scenario(s) in use*, by skill:"]
    for skill in catalog.skills:
        count = catalog.counts.get(skill, 0)
        lines.append(f"• {escape(skill)}: {count}" + ("  (none: add some)" if not count else ""))
    return clip("\n".join(lines), 3000)


def _paste_input(paste: int) -> Block:
    return {
        "type": "input",
        "block_id": f"{ids.SCENARIOS_PASTE}:{paste}",
        "label": {"type": "plain_text", "text": "Add or replace scenarios (paste TOML)"},
        "hint": {"type": "plain_text", "text": HINT},
        "element": {
            "type": "plain_text_input",
            "action_id": ids.SCENARIOS_INPUT,
            "multiline": True,
            "max_length": MAX_PASTE,
            "placeholder": {"type": "plain_text", "text": clip(EXAMPLE, 150)},
        },
    }


def _option(scenario: Scenario) -> dict[str, Any]:
    return {
        "text": {"type": "plain_text", "text": clip(scenario.title, 75)},
        "value": scenario.key,
    }


def _retire_menu(retirable: tuple[Scenario, ...]) -> Block:
    groups: dict[str, list[dict[str, Any]]] = {}
    for scenario in retirable:
        groups.setdefault(scenario.skill, []).append(_option(scenario))
    return {
        "type": "section",
        "block_id": ids.SCENARIOS_RETIRE,
        "text": {"type": "mrkdwn", "text": "*Retire one of Bravo's scenarios* (restore it later)"},
        "accessory": {
            "type": "static_select",
            "action_id": ids.SCENARIOS_RETIRE,
            "placeholder": {"type": "plain_text", "text": "Choose one to retire"},
            "option_groups": [
                {"label": {"type": "plain_text", "text": clip(skill, 75)}, "options": opts[:100]}
                for skill, opts in list(groups.items())[:100]
            ],
        },
    }


_KIND = {
    RowKind.OWN: "this workspace's own",
    RowKind.REPLACES: "replaces Bravo's",
    RowKind.RETIRED: "retired",
}


def _row(row: Row) -> Block:
    text = f"*{escape(row.title)}*\n{escape(row.skill)} · `{escape(row.key)}` · {_KIND[row.kind]}"
    if row.kind is RowKind.RETIRED:
        button = _button("Restore", ids.SCENARIOS_RESTORE, row.key, None)
    elif row.kind is RowKind.REPLACES:
        button = _button("Use Bravo's", ids.SCENARIOS_REMOVE, row.key, _confirm(row, "Bravo's"))
    else:
        button = _button("Remove", ids.SCENARIOS_REMOVE, row.key, _confirm(row, None))
    return {
        "type": "section",
        "block_id": f"row:{row.key}",
        "text": {"type": "mrkdwn", "text": clip(text, 3000)},
        "accessory": button,
    }


def _button(text: str, action_id: str, key: str, confirm: dict[str, Any] | None) -> Block:
    element: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": text},
        "action_id": action_id,
        "value": key,
    }
    if confirm:
        element["confirm"] = confirm
    return element


def _confirm(row: Row, back: str | None) -> dict[str, Any]:
    then = f"{back} version comes back." if back else "Nobody will be sent it again."
    return {
        "title": {"type": "plain_text", "text": "Remove it?"},
        "text": {"type": "plain_text", "text": clip(f"{row.title}: removed for good. {then}", 300)},
        "confirm": {"type": "plain_text", "text": "Remove"},
        "deny": {"type": "plain_text", "text": "Keep it"},
    }


def saved_notice(added: tuple[str, ...], replaced: tuple[str, ...]) -> str:
    parts = []
    if added:
        parts.append(f"added {len(added)} ({escape(', '.join(added))})")
    if replaced:
        parts.append(f"replaced {len(replaced)} ({escape(', '.join(replaced))})")
    return clip(":white_check_mark: Saved: " + "; ".join(parts) + ".", 3000)
