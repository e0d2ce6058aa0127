"""Search over lessons on both databases: who finds what, in which order, and that no words a
person types can break the query (each test runs on SQLite and on PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from storage.db import Database
from storage.learning_search import (
    MAX_TERMS,
    POOL,
    Found,
    search_lessons,
    terms_of,
)
from storage.models.learning import Lesson, LessonOrigin, LessonVisibility

T, OTHER_T = "T1", "T2"
ANA, BEN, CY = "UANA", "UBEN", "UCY"
NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
HOSTILE = [
    '"',
    '"refund',
    "refund*",
    "*",
    "NEAR(refund calm)",
    "refund NEAR calm",
    "-refund",
    "refund -calm",
    "learned: refund",
    "what_happened:refund",
    "(refund",
    "refund)",
    "refund OR calm",
    "OR",
    "AND NOT",
    "^refund",
    "refund & calm | !x",
    "'refund'",
    "refund:*",
    "🙂🔥",
    "refund 🙂",
    "a\x00b refund",
    "\x00",
    "x" * 40_000,
    "refund " * 6_000,
    "<@U1> <!channel> <!subteam^S1|@support>",
    "\\",
    "%_",
    "ﬁ ǅ ² ٣",
]


def lesson(
    n: int,
    learned: str,
    *,
    author: str = ANA,
    added_by: str | None = None,
    team: str = T,
    visibility: LessonVisibility = LessonVisibility.TEAM,
    skill: str | None = None,
    helped: int = 0,
    story: str = "",
    age_days: int = 0,
) -> Lesson:
    at = NOW - timedelta(days=age_days, minutes=n)
    return Lesson(
        team_id=team,
        author_id=author,
        added_by=added_by or author,
        learned=learned,
        what_happened=story,
        skill=skill,
        origin=LessonOrigin.COMMAND,
        visibility=visibility,
        posted_channel="C1" if visibility == LessonVisibility.TEAM else None,
        helped_count=helped,
        request_key=f"k{n}",
        created_at=at,
        updated_at=at,
    )


def add(db: Database, *rows: Lesson) -> list[int]:
    with db.write() as s:
        for row in rows:
            s.add(row)
        s.flush()
        return [int(r.id or 0) for r in rows]


def find(
    db: Database,
    words: str,
    *,
    viewer: str = BEN,
    team: str = T,
    skill: str | None = None,
    limit: int = 10,
    offset: int = 0,
) -> Found:
    with db.read() as s:
        return search_lessons(
            s,
            team_id=team,
            viewer_id=viewer,
            words=words,
            skill=skill,
            limit=limit,
            offset=offset,
        )


def learned(found: Found) -> list[str]:
    return [r.learned for r in found.lessons]


# Terms (pure) -----------------------------------------------------------------------------------


def test_terms_drop_stop_words_symbols_and_repeats_and_keep_twelve() -> None:
    terms = terms_of("How do I handle the REFUND, refund!! for an angry-caller? 🙂")
    assert terms.words == ("handle", "refund", "angry", "caller")
    assert terms.prefix
    many = terms_of(" ".join(f"word{n}" for n in range(20)))
    assert len(many.words) == MAX_TERMS and many.dropped == 20 - MAX_TERMS
    assert terms_of("the and of 🙂 --").words == ()


def test_every_term_is_quoted_for_fts5_and_tsquery() -> None:
    terms = terms_of('NEAR OR "x" refund* (calm) -angry col:umn')
    assert terms.fts5() == (
        '"near" AND "x" AND "refund" AND "calm" AND "angry" AND "col" AND ("umn" OR "umn"*)'
    )
    assert terms.tsquery() == "'near' & 'x' & 'refund' & 'calm' & 'angry' & 'col' & 'umn':*"
    short = terms_of("refund to")  # "to" is a stop word; "refund" last, long enough
    assert short.tsquery() == "'refund':*"
    assert not terms_of("refund ab").prefix  # a two-letter last word is no prefix


# Who finds what -----------------------------------------------------------------------------


def test_posted_lessons_are_found_by_anyone_private_ones_only_by_their_people(
    db: Database,
) -> None:
    add(
        db,
        lesson(1, "Offer the refund before they ask", author=ANA),
        lesson(2, "A refund said early calms the call", author=CY, visibility="private"),
        lesson(3, "Refund the shipping too", author=ANA, team=OTHER_T),
        lesson(4, "Saved refund tip", author=CY, added_by=BEN, visibility="private"),
    )
    assert sorted(learned(find(db, "refund", viewer=BEN))) == [
        "Offer the refund before they ask",
        "Saved refund tip",  # Ben saved it from Cy's message
    ]
    assert sorted(learned(find(db, "refund", viewer=CY))) == [
        "A refund said early calms the call",
        "Offer the refund before they ask",
        "Saved refund tip",
    ]
    # Ana finds her posted one, never Cy's private ones, never the other workspace's
    assert learned(find(db, "refund", viewer=ANA)) == ["Offer the refund before they ask"]
    assert learned(find(db, "refund", viewer=ANA, team=OTHER_T)) == ["Refund the shipping too"]
    assert learned(find(db, "", viewer=ANA, skill=None)) == ["Offer the refund before they ask"]


def test_a_skill_filters_and_a_skill_alone_lists_its_most_helpful(db: Database) -> None:
    add(
        db,
        lesson(1, "Listen to the end", skill="empathy", helped=1),
        lesson(2, "Listen, then summarise", skill="active-listening", helped=9),
        lesson(3, "Name the feeling", skill="empathy", helped=5),
        lesson(4, "Private empathy note", skill="empathy", author=CY, visibility="private"),
        lesson(5, "Listen for the real ask", skill="empathy", helped=2, team=OTHER_T),
    )
    assert learned(find(db, "listen", skill="empathy")) == ["Listen to the end"]
    assert learned(find(db, "", skill="empathy")) == ["Name the feeling", "Listen to the end"]
    assert learned(find(db, "", skill="empathy", viewer=CY)) == [
        "Name the feeling",
        "Listen to the end",
        "Private empathy note",
    ]
    assert learned(find(db, "", skill="no-such-skill")) == []


def test_most_helpful_first_then_relevance_then_newest(db: Database) -> None:
    add(
        db,
        lesson(1, "Refund early", helped=0, age_days=1),
        lesson(2, "Refund, refund, refund: say it plainly", helped=0, age_days=5),
        lesson(3, "Quick refund tip", helped=7, age_days=9),
        lesson(4, "Refund early, too", helped=0, age_days=2),
        lesson(5, "A long story about a call that ended with a refund", helped=3),
    )
    assert learned(find(db, "refund")) == [
        "Quick refund tip",  # helped 7
        "A long story about a call that ended with a refund",  # helped 3
        "Refund, refund, refund: say it plainly",  # most about refunds
        "Refund early",  # as relevant as the next, and newer
        "Refund early, too",
    ]


def test_pages_and_the_more_flag(db: Database) -> None:
    add(db, *[lesson(n, f"Refund lesson {n}", helped=n) for n in range(1, 8)])
    first = find(db, "refund", limit=3)
    assert learned(first) == ["Refund lesson 7", "Refund lesson 6", "Refund lesson 5"]
    assert first.more
    last = find(db, "refund", limit=3, offset=6)
    assert learned(last) == ["Refund lesson 1"] and not last.more
    skill_page = find(db, "", limit=3, offset=3)
    assert learned(skill_page) == ["Refund lesson 4", "Refund lesson 3", "Refund lesson 2"]
    assert skill_page.more
    beyond = find(db, "refund", limit=3, offset=POOL * 5)  # a page past the most shown
    assert beyond.lessons == [] and not beyond.more


def test_stems_and_a_half_typed_last_word_find_the_same_on_both(db: Database) -> None:
    add(
        db,
        lesson(1, "Refunds go out within five days", story="The customer was calm"),
        lesson(2, "Apologising once is enough", story="then fix it"),
        lesson(3, "Escalations need a summary", story="for tier two"),
        lesson(4, "Customers remember the callback", story=""),
    )
    cases = {
        "refund": ["Refunds go out within five days"],
        "refunding": ["Refunds go out within five days"],
        "refu": ["Refunds go out within five days"],
        "escalation summary": ["Escalations need a summary"],
        "customer": ["Customers remember the callback", "Refunds go out within five days"],
        "customer calm": ["Refunds go out within five days"],
        "tier two": ["Escalations need a summary"],
        "callback": ["Customers remember the callback"],
        "callbacks refund": [],
        "apologis": ["Apologising once is enough"],
        "zebra": [],
    }
    for words, expected in cases.items():
        assert sorted(learned(find(db, words))) == sorted(expected), words


@pytest.mark.parametrize("words", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_words_answer_normally(db: Database, words: str) -> None:
    add(db, lesson(1, "Offer the refund before they ask", story="calm caller, near the end"))
    found = find(db, words)
    terms = set(terms_of(words).words)
    if terms and terms <= {"offer", "refund", "ask", "calm", "caller", "near", "end"}:
        assert learned(found) == ["Offer the refund before they ask"], words[:80]
    else:
        assert learned(found) == [], words[:80]


def test_a_lesson_full_of_syntax_is_found_by_its_plain_words(db: Database) -> None:
    add(db, lesson(1, 'Say "NEAR" (never OR) - it:works * <@U1> <!channel> 🙂 refund'))
    for words in ("near", "works refund", '"NEAR" OR', "channel"):
        assert len(find(db, words).lessons) == 1, words


# The indexes are used ---------------------------------------------------------------------------


def _statements(db: Database, run: Callable[[], Any]) -> list[tuple[str, Any]]:
    seen: list[tuple[str, Any]] = []

    def grab(_c: Any, _cur: Any, statement: str, params: Any, _ctx: Any, _m: bool) -> None:
        if "ORDER BY" in statement:
            seen.append((statement, params))

    event.listen(db.engine, "before_cursor_execute", grab)
    try:
        run()
    finally:
        event.remove(db.engine, "before_cursor_execute", grab)
    return seen


def test_the_full_text_indexes_are_used(db: Database) -> None:
    add(db, *[lesson(n, f"Lesson {n} about a caller", story="the story") for n in range(400)])
    add(db, lesson(400, "Refund early", story="the caller was calm"))
    [(statement, params)] = _statements(db, lambda: find(db, "refund caller"))
    with db.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        if db.dialect == "sqlite":
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).all()
            plan = "\n".join(str(r[-1]) for r in rows)
            assert "VIRTUAL TABLE INDEX" in plan and "lesson_fts" in plan
        else:
            rows = conn.exec_driver_sql("EXPLAIN " + statement, params).all()
            plan = "\n".join(str(r[0]) for r in rows)
            assert "lesson_fts_search" in plan, plan


def test_walking_in_help_order_finds_what_the_index_finds(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both databases walk the posted lessons in help order when the words are common: the
    same lessons, in the same order, as reading every match."""
    rows = [
        lesson(
            n,
            f"Refund tip {n}" + (" with a callback" if n % 3 else ""),
            helped=n % 7,
            author=(CY if n % 5 == 0 else ANA),
            visibility=("private" if n % 5 == 0 else "team"),
            skill=("empathy" if n % 2 else None),
            age_days=n % 11,
        )
        for n in range(120)
    ]
    add(db, *rows, lesson(500, "Refund elsewhere", team=OTHER_T, helped=50))
    asks = [("refund", None), ("refund callback", None), ("refund", "empathy"), ("tip", None)]
    seen = {}
    for factor in (0, 10**9):  # always walk, never walk
        monkeypatch.setattr("storage.learning_search.WALK_FACTOR", factor)
        monkeypatch.setattr("storage.learning_search.PG_WALK_FACTOR", factor)
        for viewer in (BEN, CY):
            for words, skill in asks:
                pages = [find(db, words, viewer=viewer, skill=skill, offset=o) for o in (0, 10)]
                seen[factor, viewer, words, skill] = [learned(p) for p in pages]
    for key, pages in seen.items():
        if key[0] == 0:
            assert pages == seen[(10**9, *key[1:])], key
            assert len(pages[0]) == 10 and "Refund elsewhere" not in pages[0]
    cy_sees = {t for page in seen[0, CY, "refund", None] for t in page}
    ben_sees = {t for page in seen[0, BEN, "refund", None] for t in page}
    assert "Refund tip 20 with a callback" in cy_sees  # Cy's own private one, helped 6
    assert not any(int(t.split()[2]) % 5 == 0 for t in ben_sees)  # never Cy's private ones
