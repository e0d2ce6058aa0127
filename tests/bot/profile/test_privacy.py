"""The coaches toggle is the person's data: it is in their export and goes with an erasure."""

from __future__ import annotations

from bot.deps import Deps
from bot.privacy.service import erase_person, export_person
from bot.profile.service import set_shared_with_coaches, shared_with_coaches
from tests.bot.profile.history import TEAM


def test_the_toggle_is_exported_and_erased(deps: Deps) -> None:
    set_shared_with_coaches(deps, team_id=TEAM, user_id="UANA", on=True)
    set_shared_with_coaches(deps, team_id=TEAM, user_id="UBEN", on=True)
    prefs = export_person(deps, TEAM, "UANA").data["preferences"]
    assert [p["profile_to_coaches"] for p in prefs] == [True]
    assert all(p["user_id"] == "UANA" for p in prefs)
    erase_person(deps, TEAM, "UANA", requested_by="UANA", why="asked")
    assert not shared_with_coaches(deps, team_id=TEAM, user_id="UANA")
    assert shared_with_coaches(deps, team_id=TEAM, user_id="UBEN")  # nobody else's
