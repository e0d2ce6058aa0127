"""Managing a workspace's scenarios (the use cases behind ``/practice scenarios``), on SQLite
and PostgreSQL, with Slack asked who is an admin (the fake Slack)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlmodel import select

from bot.deps import Deps
from bot.errors import error_text
from bot.practice import catalog
from bot.practice.catalog import MAX_PASTE, MAX_ROWS, RowKind
from bot.practice.catalog_errors import (
    CatalogKeyError,
    ScenariosAdminOnlyError,
    ScenarioTextError,
    ScenarioTextLengthError,
    TooManyScenariosError,
)
from bot.practice.scenarios import shipped
from bot.sandbox.server import FakeSlack
from storage.db import Database
from storage.models import PracticeScenario
from tests.handlers.conftest import deps_alone, people_and_channels

T, OTHER_TEAM = "T0SANDBOX", "T0OTHER"
ADMIN, AGENT, STRANGER = "UADA", "UANA", "UFAR"
SHIPPED = "empathy-double-charge"


@pytest.fixture
def deps(db: Database) -> Iterator[Deps]:
    with FakeSlack(team_id=T, bot_user_id="UBRAVO") as slack:
        people_and_channels(slack)
        slack.add_user(ADMIN, "ada", is_admin=True)
        yield from deps_alone(slack, db)


def toml(key: str, skill: str = "empathy", title: str = "Our own") -> str:
    return (
        f'[[scenario]]\nkey = "{key}"\nskill = "{skill}"\ntitle = "{title}"\n'
        'situation = "A parcel is late and the customer needs it today."\n'
        'message = "Where is it?"\n'
        'checklist = ["Said sorry once", "Gave the date", "Offered a choice"]\n'
    )


def rows(deps: Deps, team: str = T) -> dict[str, PracticeScenario]:
    with deps.db.read() as s:
        found = s.exec(select(PracticeScenario).where(PracticeScenario.team_id == team)).all()
    return {r.key: r for r in found}


def test_an_admin_adds_a_scenario_of_their_own(deps: Deps) -> None:
    saved = catalog.add_scenarios(deps, team_id=T, admin_id=ADMIN, text=toml("our-parcel"))
    assert saved.added == ("our-parcel",) and saved.replaced == ()
    assert catalog.scenarios_for(deps, T)["our-parcel"].title == "Our own"
    row = rows(deps)["our-parcel"]
    assert row.updated_by == ADMIN and not row.retired
    assert json.loads(row.body)["checklist"][1] == "Gave the date"
    assert saved.catalog.counts["empathy"] == 8  # seven of Bravo's and theirs
    assert [(r.key, r.kind) for r in saved.catalog.rows] == [("our-parcel", RowKind.OWN)]
    assert "our-parcel" not in catalog.scenarios_for(deps, OTHER_TEAM)  # that workspace's only


def test_someone_not_an_admin_changes_nothing(deps: Deps) -> None:
    for who in (AGENT, STRANGER):  # a teammate; someone Slack does not know here
        with pytest.raises(ScenariosAdminOnlyError):
            catalog.add_scenarios(deps, team_id=T, admin_id=who, text=toml("our-parcel"))
        with pytest.raises(ScenariosAdminOnlyError):
            catalog.retire(deps, team_id=T, admin_id=who, key=SHIPPED)
        with pytest.raises(ScenariosAdminOnlyError):
            catalog.catalog(deps, team_id=T, admin_id=who)
    assert rows(deps) == {}
    assert "admins" in error_text(ScenariosAdminOnlyError())


def test_a_broken_paste_saves_nothing_of_it(deps: Deps) -> None:
    text = toml("good-one") + toml("bad-one", skill="juggling")
    with pytest.raises(ScenarioTextError) as raised:
        catalog.add_scenarios(deps, team_id=T, admin_id=ADMIN, text=text)
    assert raised.value.problems == (
        "scenario 2 (bad-one): skill 'juggling' is not one of "
        + ", ".join(catalog.skills_of(deps, T)),
    )
    assert rows(deps) == {}  # not even the good one
    assert error_text(raised.value).startswith("Nothing was saved. ")


@pytest.mark.parametrize("text", ["", "   \n\t"])
def test_an_empty_paste(deps: Deps, text: str) -> None:
    with pytest.raises(ScenarioTextError) as raised:
        catalog.add_scenarios(deps, team_id=T, admin_id=ADMIN, text=text)
    assert "it is empty" in error_text(raised.value)


def test_a_huge_paste_is_refused_before_it_is_read(deps: Deps) -> None:
    text = toml("big") + "# " + "x" * 40_000
    with pytest.raises(ScenarioTextLengthError) as raised:
        catalog.add_scenarios(deps, team_id=T, admin_id=ADMIN, text=text)
    assert raised.value.limit == MAX_PASTE
    assert "40," in error_text(raised.value) and "3,000" in error_text(raised.value)
    assert rows(deps) == {}


def test_many_problems_are_all_named_but_the_words_stay_short(deps: Deps) -> None:
    text = "".join(toml(f"k{n}", skill="juggling") for n in range(12))
    with pytest.raises(ScenarioTextError) as raised:
        catalog.add_scenarios(deps, team_id=T, admin_id=ADMIN, text=text)
    assert len(raised.value.problems) == 12
    words = error_text(raised.value)
    assert "and 4 more problem(s)" in words and len(words) < 2000


def test_replacing_one_of_bravos_then_going_back(deps: Deps) -> None:
    saved = catalog.add_scenarios(
        deps, team_id=T, admin_id=ADMIN, text=toml(SHIPPED, title="Our take")
    )
    assert saved.replaced == (SHIPPED,) and saved.added == ()
    assert catalog.scenarios_for(deps, T)[SHIPPED].title == "Our take"
    assert saved.catalog.rows[0].kind is RowKind.REPLACES
    back = catalog.remove(deps, team_id=T, admin_id=ADMIN, key=SHIPPED)
    assert catalog.scenarios_for(deps, T)[SHIPPED] == shipped()[SHIPPED]
    assert back.rows == () and rows(deps) == {}


def test_retire_and_restore_one_of_bravos(deps: Deps) -> None:
    shown = catalog.retire(deps, team_id=T, admin_id=ADMIN, key=SHIPPED)
    assert SHIPPED not in catalog.scenarios_for(deps, T)
    assert SHIPPED in catalog.scenarios_for(deps, OTHER_TEAM)  # another workspace keeps it
    assert [(r.key, r.kind) for r in shown.rows] == [(SHIPPED, RowKind.RETIRED)]
    assert shown.counts["empathy"] == 6
    assert SHIPPED not in {s.key for s in shown.retirable}
    with pytest.raises(CatalogKeyError):  # twice: it is not in use any more
        catalog.retire(deps, team_id=T, admin_id=ADMIN, key=SHIPPED)
    with pytest.raises(CatalogKeyError):  # a retired one is restored, not removed
        catalog.remove(deps, team_id=T, admin_id=ADMIN, key=SHIPPED)
    catalog.restore(deps, team_id=T, admin_id=ADMIN, key=SHIPPED)
    assert catalog.scenarios_for(deps, T)[SHIPPED] == shipped()[SHIPPED]
    assert rows(deps) == {}
    with pytest.raises(CatalogKeyError):
        catalog.restore(deps, team_id=T, admin_id=ADMIN, key=SHIPPED)


def test_retiring_a_replaced_one_keeps_the_replacement_for_restore(deps: Deps) -> None:
    catalog.add_scenarios(deps, team_id=T, admin_id=ADMIN, text=toml(SHIPPED, title="Ours"))
    catalog.retire(deps, team_id=T, admin_id=ADMIN, key=SHIPPED)
    assert SHIPPED not in catalog.scenarios_for(deps, T)
    catalog.restore(deps, team_id=T, admin_id=ADMIN, key=SHIPPED)
    assert catalog.scenarios_for(deps, T)[SHIPPED].title == "Ours"


def test_pasting_a_retired_key_brings_it_back_as_pasted(deps: Deps) -> None:
    catalog.retire(deps, team_id=T, admin_id=ADMIN, key=SHIPPED)
    saved = catalog.add_scenarios(deps, team_id=T, admin_id=ADMIN, text=toml(SHIPPED))
    assert saved.replaced == (SHIPPED,)
    assert catalog.scenarios_for(deps, T)[SHIPPED].title == "Our own"


@pytest.mark.parametrize("key", ["", "no-such-scenario", "<!channel>", "x" * 300])
def test_keys_that_are_not_there(deps: Deps, key: str) -> None:
    for change in (catalog.retire, catalog.restore, catalog.remove):
        with pytest.raises(CatalogKeyError) as raised:
            change(deps, team_id=T, admin_id=ADMIN, key=key)
        assert "<!" not in error_text(raised.value)
        assert len(error_text(raised.value)) < 200
    assert rows(deps) == {}


def test_own_scenarios_of_another_workspace_are_out_of_reach(deps: Deps) -> None:
    catalog.import_scenarios(deps, team_id=OTHER_TEAM, text=toml("theirs"), where="f.toml")
    with pytest.raises(CatalogKeyError):
        catalog.remove(deps, team_id=T, admin_id=ADMIN, key="theirs")
    assert "theirs" in rows(deps, OTHER_TEAM)
    assert "theirs" not in catalog.scenarios_for(deps, T)
    assert rows(deps, OTHER_TEAM)["theirs"].updated_by == catalog.CLI


def test_a_workspace_keeps_a_bounded_number_of_rows(deps: Deps) -> None:
    text = "".join(toml(f"own-{n}") for n in range(MAX_ROWS))
    catalog.import_scenarios(deps, team_id=T, text=text, where="f.toml")
    with pytest.raises(TooManyScenariosError):
        catalog.add_scenarios(deps, team_id=T, admin_id=ADMIN, text=toml("one-more"))
    with pytest.raises(TooManyScenariosError):
        catalog.retire(deps, team_id=T, admin_id=ADMIN, key=SHIPPED)
    # replacing one already there is no new row: allowed
    catalog.add_scenarios(deps, team_id=T, admin_id=ADMIN, text=toml("own-3", title="Better"))
    assert len(rows(deps)) == MAX_ROWS
    assert catalog.scenarios_for(deps, T)["own-3"].title == "Better"


def test_a_stored_row_for_a_skill_since_removed_is_shown_as_not_in_use(deps: Deps) -> None:
    catalog.add_scenarios(deps, team_id=T, admin_id=ADMIN, text=toml("our-parcel"))
    with deps.db.write() as s:
        row = s.get(PracticeScenario, (T, "our-parcel"))
        assert row is not None
        row.body = json.dumps({**json.loads(row.body), "skill": "juggling"})
        s.add(row)
    shown = catalog.catalog(deps, team_id=T, admin_id=ADMIN)
    assert "not in use" in shown.rows[0].title
    assert "our-parcel" not in catalog.scenarios_for(deps, T)


def test_erasing_the_admin_unnames_them_in_the_scenarios_they_saved(deps: Deps) -> None:
    from storage.privacy import ERASED_ID, unname

    mention = toml("named").replace("Where is it?", f"Ask <@{ADMIN}> where it is")
    catalog.add_scenarios(deps, team_id=T, admin_id=ADMIN, text=mention)
    with deps.db.write() as s:
        unname(s, team_id=T, user_id=ADMIN)
    row = rows(deps)["named"]
    assert row.updated_by == ERASED_ID and ADMIN not in row.body
    assert catalog.scenarios_for(deps, T)["named"].message.startswith("Ask ")  # still reads
