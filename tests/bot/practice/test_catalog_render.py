"""The admins' modal within Slack's limits, whatever the catalog holds."""

from __future__ import annotations

from bot.practice import ids
from bot.practice.catalog import MAX_ROWS, Catalog, Row, RowKind
from bot.practice.catalog_render import catalog_modal, notice_modal, saved_notice
from bot.practice.scenarios import shipped
from bot.sandbox.blockkit import check_view


def test_the_fullest_catalog_fits_a_modal() -> None:
    skills = tuple(f"skill-{n:02d}-" + "x" * 50 for n in range(50))
    rows = tuple(
        Row(key=f"k-{n}" + "y" * 60, skill=skills[n % 50], title="T" * 80, kind=kind)
        for n, kind in zip(range(MAX_ROWS), list(RowKind) * MAX_ROWS, strict=False)
    )
    full = Catalog(
        skills=skills,
        counts={s: 99 for s in skills},
        rows=rows,
        retirable=tuple(shipped().values()),
    )
    view = catalog_modal(full, notice="x" * 5000, paste=999_999)
    assert check_view(view) == []
    assert len(view["blocks"]) <= 100
    assert sum(1 for b in view["blocks"] if str(b.get("block_id", "")).startswith("row:")) == 80


def test_an_empty_workspace_list_and_no_menu() -> None:
    view = catalog_modal(Catalog(skills=("empathy",), counts={}, rows=(), retirable=()))
    assert check_view(view) == []
    words = str(view["blocks"])
    assert "empathy: 0  (none: add some)" in words and "None yet" in words
    assert not any(b.get("block_id") == ids.SCENARIOS_RETIRE for b in view["blocks"])


def test_each_kind_of_row_has_its_button() -> None:
    rows = tuple(Row(key=k.value, skill="empathy", title="A", kind=k) for k in RowKind)
    view = catalog_modal(Catalog(skills=("empathy",), counts={}, rows=rows, retirable=()))
    buttons = {
        b["block_id"]: (b["accessory"]["action_id"], b["accessory"]["text"]["text"])
        for b in view["blocks"]
        if str(b.get("block_id", "")).startswith("row:")
    }
    assert buttons == {
        "row:own": (ids.SCENARIOS_REMOVE, "Remove"),
        "row:replaces": (ids.SCENARIOS_REMOVE, "Use Bravo's"),
        "row:retired": (ids.SCENARIOS_RESTORE, "Restore"),
    }


def test_notices() -> None:
    assert check_view(notice_modal("Only admins")) == []
    assert saved_notice(("a",), ()) == ":white_check_mark: Saved: added 1 (a)."
    assert len(saved_notice(tuple("k" * 64 for _ in range(80)), ())) <= 3000
