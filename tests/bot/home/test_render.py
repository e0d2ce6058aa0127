"""The home renderer is pure: whatever people typed, it is repeated with no live mention, and the
view stays within Block Kit's limits however many things there are."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.home.render import (
    AdminSummary,
    Coaching,
    HomeData,
    KudosNumbers,
    Prefs,
    home_view,
)
from tests.bot.home.history import feedback, goal, kudos, request

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
PEOPLE = {"UANA", "UBEN"}
PIECES = [*"<>@!&|^#:*_ ~`\nabcUBEN0123", "<!channel>", "<@UBEN>", "<!subteam^S1|@all>"]
TYPED = st.lists(st.sampled_from(PIECES), max_size=120).map("".join)


def data_with(text: str, n: int) -> HomeData:
    at = NOW - timedelta(hours=1)
    return HomeData(
        user_id="UANA",
        zone=ZoneInfo("Asia/Tokyo"),
        numbers=KudosNumbers(received=n, given=n, allowance=5, remaining_today=5),
        received=tuple(kudos("UBEN", "UANA", at, text, i) for i in range(n)),
        given=tuple(kudos("UANA", "UBEN", at, text, i) for i in range(n)),
        goals=tuple(
            goal("UANA", text, NOW, last_progress=text, last_status="blocked") for _ in range(n)
        ),
        requests_to_me=tuple(request("UBEN", "UANA", text, at) for _ in range(n)),
        feedback=tuple(feedback("UBEN", "UANA", text, at, i) for i in range(n)),
        my_requests=tuple(request("UANA", "UBEN", text, at) for _ in range(n)),
        coaching=Coaching(coaches=("UBEN",) * n, coachees=("UBEN",) * n),
        prefs=Prefs(),
        admin=AdminSummary(("empathy",), 5, 0, None, "clap", 4, 960, ("UANA",)),
    )


def view_of(text: str, n: int) -> dict[str, object]:
    return home_view(data_with(text, n), history_action="more", settings_action="settings")


@settings(max_examples=60, deadline=None)
@given(TYPED)
def test_typed_text_never_mentions_anyone(text: str) -> None:
    body = json.dumps(view_of(text, 2))
    assert "<!" not in body
    assert set(re.findall(r"<@([A-Z0-9]+)>", body)) <= PEOPLE  # only the people Bravo names
    assert all(m in ("UANA>", "UBEN>") for m in re.findall(r"<@(\w+>)", body))


def test_a_lot_of_everything_fits_in_a_home() -> None:
    view = view_of("x" * 5000, 200)
    blocks = view["blocks"]
    assert isinstance(blocks, list) and len(blocks) <= 100
    for block in blocks:
        text = (block.get("text") or {}).get("text", "")
        assert len(text) <= 3000
        for element in block.get("elements", []):
            assert len(element.get("value", "")) <= 2000
    assert len(json.dumps(view)) < 250_000
