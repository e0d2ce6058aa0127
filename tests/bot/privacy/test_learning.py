"""Learning in a person's export and erasure, on both databases: Ana's lessons (written, or saved
from Cy's message), the lessons she said helped her, her training. Ben's and Cy's lessons and
training are never part of her data, and erasing her leaves them as they were (a helped count
lowered by her click alone). A workspace purged after its retention loses all three tables."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from bot.deps import Deps
from bot.privacy import ids
from bot.privacy.service import erase_person
from bot.sandbox.server import FakeSlack
from storage import privacy as store
from storage.db import Database
from storage.models.learning import Lesson, LessonHelp, LessonOrigin, LessonVisibility, Training
from tests.bot.privacy.seed import ANA, AT, BEN, CY, T
from tests.db_scan import where_found
from tests.handlers.conftest import deps_alone

OTHER_TEAM = "T0OTHER"
ANA_WORDS = "zebracorn refunds need a calm voice"  # Ana's own lesson: gone with her
CY_WORDS = "Cy explained the chargeback window"  # Cy's message Ana saved: stays with Cy
BEN_WORDS = "Ben: always confirm the address"  # Ben's posted lesson Ana found helpful
BEN_HIDDEN = "Ben's lesson no longer posted"  # helped Ana once; now private to Ben
BEN_NAMES_ANA = f"Ben: ask <@{ANA}> about refunds"


def lesson(s: Session, author: str, learned: str, *, added_by: str = "", team: str = T) -> int:
    row = Lesson(
        team_id=team,
        author_id=author,
        added_by=added_by or author,
        learned=learned,
        what_happened="a long call",
        skill="empathy",
        origin=LessonOrigin.SHORTCUT if added_by else LessonOrigin.COMMAND,
        visibility=LessonVisibility.PRIVATE if added_by else LessonVisibility.TEAM,
        created_at=AT,
        updated_at=AT,
    )
    s.add(row)
    s.flush()
    assert row.id is not None
    return row.id


def helped(s: Session, lesson_id: int, *who: str, team: str = T) -> None:
    for user in who:
        s.add(LessonHelp(lesson_id=lesson_id, user_id=user, team_id=team, created_at=AT))
        row = s.get(Lesson, lesson_id)
        assert row is not None
        row.helped_count += 1
        s.add(row)
    s.flush()


def training(s: Session, who: str, title: str, team: str = T) -> None:
    s.add(
        Training(
            team_id=team,
            user_id=who,
            title=title,
            skill="empathy",
            taken_on=date(2026, 11, 2),
            next_step=f"try it, as <@{ANA}> suggested" if who != ANA else "smile",
            created_at=AT,
            updated_at=AT,
        )
    )


Ids = dict[str, int]


@pytest.fixture
def rows(db: Database) -> Ids:
    with db.write() as s:
        found = {
            "ana": lesson(s, ANA, ANA_WORDS),
            "saved": lesson(s, CY, CY_WORDS, added_by=ANA),
            "ben": lesson(s, BEN, BEN_WORDS),
            "hidden": lesson(s, BEN, BEN_HIDDEN),
            "names": lesson(s, BEN, BEN_NAMES_ANA),
            "far": lesson(s, ANA, "another workspace's Ana", team=OTHER_TEAM),
        }
        helped(s, found["ana"], BEN, CY)
        helped(s, found["ben"], ANA, CY)
        helped(s, found["hidden"], ANA)
        hidden = s.get(Lesson, found["hidden"])
        assert hidden is not None
        hidden.visibility = LessonVisibility.PRIVATE
        s.add(hidden)
        training(s, ANA, "Ana's de-escalation course")
        training(s, ANA, "Ana's second course")
        training(s, BEN, "Ben's course")
        training(s, ANA, "Ana elsewhere", team=OTHER_TEAM)
    return found


@pytest.fixture
def deps(slack: FakeSlack, db: Database, rows: Ids) -> Iterator[Deps]:
    yield from deps_alone(slack, db)


def test_her_export_holds_her_lessons_her_helpful_ones_and_her_training(
    deps: Deps, rows: Ids
) -> None:
    with deps.db.read() as s:
        data = store.person_data(s, team_id=T, user_id=ANA)
    assert {r["id"] for r in data["lessons"]} == {rows["ana"], rows["saved"]}
    helpful = {r["lesson_id"]: r for r in data["lessons_that_helped_you"]}
    assert helpful.keys() == {rows["ben"], rows["hidden"]}
    assert helpful[rows["ben"]]["learned"] == BEN_WORDS
    assert helpful[rows["hidden"]]["learned"] is None  # no longer hers to read: its id only
    assert sorted(r["title"] for r in data["training"]) == [
        "Ana's de-escalation course",
        "Ana's second course",
    ]
    flat = repr(data)
    assert "Ben's course" not in flat and BEN_HIDDEN not in flat and "elsewhere" not in flat


def snapshot(db: Database, team: str) -> dict[str, list[tuple[object, ...]]]:
    with db.read() as s:
        lessons = s.exec(select(Lesson).where(Lesson.team_id == team).order_by(Lesson.id)).all()
        trainings = s.exec(select(Training).where(Training.team_id == team)).all()
        helps = s.exec(select(LessonHelp).where(LessonHelp.team_id == team)).all()
    return {
        "lesson": [(r.id, r.author_id, r.added_by, r.learned, r.helped_count) for r in lessons],
        "training": sorted((r.user_id, r.title, r.next_step) for r in trainings),
        "lesson_help": sorted((r.lesson_id, r.user_id) for r in helps),
    }


def found_by_search(db: Database, words: str) -> list[int]:
    with db.read() as s:
        if db.engine.dialect.name == "sqlite":
            query = "SELECT rowid FROM lesson_fts WHERE lesson_fts MATCH :q"
        else:
            query = (
                "SELECT id FROM lesson WHERE to_tsvector('english', learned || ' ' || "
                "what_happened) @@ plainto_tsquery('english', :q)"
            )
        return [int(r[0]) for r in s.execute(text(query), {"q": words}).all()]


def test_erasure_removes_her_learning_and_keeps_everyone_elses(deps: Deps, rows: Ids) -> None:
    far = snapshot(deps.db, OTHER_TEAM)
    erased = erase_person(deps, T, ANA, requested_by=None, why=ids.SELF)
    assert erased.removed["lesson"] == 1 and erased.removed["training"] == 2
    # Her two clicks and the two on her lesson.
    assert erased.removed["lesson_help"] == 4
    after = snapshot(deps.db, T)
    assert after["lesson"] == [
        (rows["saved"], CY, "erased", CY_WORDS, 0),
        (rows["ben"], BEN, BEN, BEN_WORDS, 1),  # Cy's click stays, Ana's is gone
        (rows["hidden"], BEN, BEN, BEN_HIDDEN, 0),
        (rows["names"], BEN, BEN, "Ben: ask someone who has left Bravo about refunds", 0),
    ]
    assert after["lesson_help"] == [(rows["ben"], CY)]
    assert after["training"] == [
        ("UBEN", "Ben's course", "try it, as someone who has left Bravo suggested")
    ]
    assert snapshot(deps.db, OTHER_TEAM) == far  # the same Ana elsewhere: untouched
    assert found_by_search(deps.db, "zebracorn") == []  # her words left the search index
    assert found_by_search(deps.db, "chargeback") == [rows["saved"]]
    assert found_by_search(deps.db, "refunds") == [rows["names"]]
    with deps.db.write() as s:  # the same id in another workspace is another person's
        store.purge_workspace(s, OTHER_TEAM)
    assert where_found(deps.db, ANA) == []


def test_the_index_pages_no_longer_hold_her_words(deps: Deps, db: Database, rows: Ids) -> None:
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's index is an expression index over the rows themselves")
    erase_person(deps, T, ANA, requested_by=None, why=ids.SELF)
    with db.read() as s:
        pages = s.execute(text("SELECT block FROM lesson_fts_data")).all()
    assert not any(b"zebracorn" in bytes(p[0] or b"") for p in pages)


def test_a_purged_workspace_loses_its_learning(deps: Deps, db: Database, rows: Ids) -> None:
    far = snapshot(db, OTHER_TEAM)
    with db.write() as s:
        removed = store.purge_workspace(s, T)
    assert removed["lesson"] == 5 and removed["training"] == 3 and removed["lesson_help"] == 5
    assert snapshot(db, T) == {"lesson": [], "training": [], "lesson_help": []}
    assert snapshot(db, OTHER_TEAM) == far
    assert found_by_search(db, "zebracorn") == []
    if db.engine.dialect.name == "sqlite":
        with db.read() as s:
            pages = s.execute(text("SELECT block FROM lesson_fts_data")).all()
        assert not any(b"zebracorn" in bytes(p[0] or b"") for p in pages)
    assert found_by_search(db, "workspace") == [rows["far"]]  # the other workspace's is still found
