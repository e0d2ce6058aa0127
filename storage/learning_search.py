"""Search over lessons: the words people type made into a safe full-text query, on SQLite's FTS5
index (``lesson_fts``) and PostgreSQL's expression GIN index (``lesson_fts_search``), both made by
migration 0016_learning.

Who finds what: lessons of the workspace its author posted (``visibility`` ``team``), and the
viewer's own (authored, or saved from a message by them) even while private. Never another
person's private lesson, never another workspace's.

The order: most helpful first (``helped_count``), then relevance, then newest. The database
finds the first ``POOL`` visible matches by help and age; relevance (``score``, computed here the
same way for both databases, so both show the same order) then orders those that helped as many
people. Not ``bm25``/``ts_rank`` over every match: on PostgreSQL each costs a parse of the
lesson's text (the index is an expression index, there is no stored tsvector), 0.8 s for the
40,000 lessons holding "customer" in ``bench.learning``. A search shows at most ``POOL`` lessons;
``more`` says whether there are more (no COUNT over every match).

How the first ``POOL`` are found depends on how common the words are (``_sqlite``,
``_postgres``): rare words, every match from the full-text index, then sorted; common words, the
posted lessons walked in help order on ``ix_lesson_visible`` and kept when they match, which
stops after a few hundred rows instead of reading tens of thousands of matches.

The words are free text. They are cut into terms here (runs of letters and digits, lowercased),
English stop words are dropped (the list PostgreSQL's ``english`` configuration drops, so both
databases see the same terms), and at most ``MAX_TERMS`` are kept. Each term goes to FTS5 in
double quotes (so ``NEAR``, ``OR``, ``-``, ``*``, ``:`` or parentheses are words, never syntax)
and to PostgreSQL's ``to_tsquery`` in single quotes (a term holds no quote: it is letters and
digits only). Both stem the terms (Porter), so ``refunds`` finds ``refund``. The last term, when
it has at least ``PREFIX_MIN`` letters, also matches as a prefix (``refun`` finds ``refund``):
FTS5 ``"refun"*`` and PostgreSQL ``'refun':*``, both after stemming, so both find the same.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import Session, col, select

from storage.models.learning import Lesson, LessonVisibility

MAX_TERMS = 12  # the words a search keeps (the first twelve that are not stop words)
MAX_TERM = 60  # a longer "word" is no word in a lesson (a pasted blob): dropped
MAX_READ = 2000  # characters of the typed words read at all
PREFIX_MIN = 3  # the last term matches as a prefix only from this length
MAX_LIMIT = 50

# PostgreSQL's english.stop (Snowball's English list), which ``to_tsvector('english', ...)``
# leaves out of the index: dropped here for both databases, so "the refund" finds on SQLite
# what it finds on PostgreSQL.
STOP_LIST = """i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what which who
    whom this that these those am is are was were be been being have has had having do does did
    doing a an the and but if or because as until while of at by for with about against between
    into through during before after above below to from up down in out on off over under again
    further then once here there when where why how all any both each few more most other some
    such no nor not only own same so than too very s t can will just don should now"""
STOP_WORDS = frozenset(STOP_LIST.split())

# Letters and digits (any script); underscores, punctuation, symbols and emoji separate terms.
TERM_RE = re.compile(r"[^\W_]+")

# The text a lesson is found by: exactly the expression of the index ``lesson_fts_search``.
PG_DOCUMENT = "to_tsvector('english', lesson.learned || ' ' || lesson.what_happened)"
PG_QUERY = "to_tsquery('english', :query)"
VISIBLE = (
    "lesson.team_id = :team AND (lesson.visibility = :team_visible"
    " OR lesson.author_id = :viewer OR lesson.added_by = :viewer)"
)


@dataclass(frozen=True)
class Terms:
    words: tuple[str, ...]  # what is searched for, lowercased, in the order typed
    dropped: int  # terms over MAX_TERMS, left out
    prefix: bool  # the last one also matches as a prefix

    def fts5(self) -> str:
        """The FTS5 MATCH string: every term, quoted; the last one also as a prefix."""
        quoted = [f'"{w}"' for w in self.words]
        if self.prefix:
            quoted[-1] = f"({quoted[-1]} OR {quoted[-1]}*)"
        return " AND ".join(quoted)

    def tsquery(self) -> str:
        """The text given to PostgreSQL's ``to_tsquery('english', ...)``."""
        quoted = [f"'{w}'" for w in self.words]
        if self.prefix:
            quoted[-1] += ":*"
        return " & ".join(quoted)


def terms_of(words: str) -> Terms:
    """The terms a search looks for in what was typed (perhaps none: only stop words, symbols or
    emoji)."""
    read = words[:MAX_READ]
    if len(words) > MAX_READ and words[MAX_READ].isalnum():  # not a word cut in two
        read = read[: max(0, max(read.rfind(" "), read.rfind("\n")))]
    seen: list[str] = []
    for match in TERM_RE.finditer(read.lower()):
        term = match.group(0)
        if term in STOP_WORDS or len(term) > MAX_TERM or term in seen:
            continue
        seen.append(term)
    kept = tuple(seen[:MAX_TERMS])
    prefix = bool(kept) and len(kept[-1]) >= PREFIX_MIN and not kept[-1].isdigit()
    return Terms(kept, max(0, len(seen) - MAX_TERMS), prefix)


@dataclass(frozen=True)
class Found:
    lessons: list[Lesson]  # at most ``limit``, in order
    more: bool  # there are more after these (within the first ``POOL``)


def search_lessons(
    session: Session,
    *,
    team_id: str,
    viewer_id: str,
    words: str,
    skill: str | None,
    limit: int,
    offset: int = 0,
) -> Found:
    """The lessons ``viewer_id`` may see in ``team_id`` that hold every term of ``words`` (no
    words: every lesson), of ``skill`` if given; most helpful first, then relevance, then
    newest. Words that leave no term (only stop words or symbols) find nothing.

    The database finds the first ``POOL`` matches by help and age (the index says which lessons
    match); relevance then orders lessons that helped as many people, among those (``score``,
    the same on both databases). Ranking every match in SQL (``bm25``, ``ts_rank``) costs a read
    of each match's text: a common word matches tens of thousands of lessons. So among lessons
    that helped as many people, a more relevant one older than the pool's last is not shown, and
    a search shows at most ``POOL`` lessons."""
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    terms = terms_of(words)
    if (words.strip() and not terms.words) or offset >= POOL:
        return Found([], False)
    params: dict[str, object] = {
        "team": team_id,
        "viewer": viewer_id,
        "team_visible": LessonVisibility.TEAM.value,
        "pool": POOL,
    }
    if skill is not None:
        params["skill"] = skill
    one = SKILL if skill is not None else ""
    if not terms.words:
        sql = _merged(one)
    elif _dialect(session) == "sqlite":
        params["query"] = terms.fts5()
        sql = _sqlite(session, params, one)
    else:
        params["query"] = terms.tsquery()
        sql = _postgres(session, params, one)
    ids = [int(r[0]) for r in session.connection().execute(text(sql), params)]
    if not terms.words:  # no relevance to order by: only the page is read
        page = _lessons(session, ids[offset : offset + limit])
        return Found(page, len(ids) > offset + limit)
    pool = sorted(
        _lessons(session, ids),
        key=lambda r: (-r.helped_count, -score(r, terms), -r.created_at.timestamp(), -(r.id or 0)),
    )
    return Found(pool[offset : offset + limit], len(pool) > offset + limit)


POOL = 50  # the matches ordered by relevance; the most a search shows
SKILL = " AND lesson.skill = :skill"
ORDER = "lesson.helped_count DESC, lesson.created_at DESC, lesson.id DESC"


def _merged(also: str, posted_from: str = "lesson", order: str = ORDER) -> str:
    """The workspace's posted lessons and the viewer's own private ones, each read in help
    order (posted: on ``ix_lesson_visible``, which PostgreSQL walks backwards when the words are
    common and leaves for the full-text index when they are rare), then merged. One read with
    ``visibility = 'team' OR author_id = ...`` could not walk that index: it would read every
    match to sort them."""
    return (
        "SELECT id FROM ("
        "SELECT * FROM (SELECT lesson.id, lesson.helped_count, lesson.created_at"
        f" FROM {posted_from}"
        f" WHERE lesson.team_id = :team AND lesson.visibility = :team_visible{also}"
        f" ORDER BY {order} LIMIT :pool) AS posted"
        " UNION ALL "
        "SELECT * FROM (SELECT lesson.id, lesson.helped_count, lesson.created_at FROM lesson"
        " WHERE lesson.team_id = :team AND lesson.visibility != :team_visible"
        f" AND (lesson.author_id = :viewer OR lesson.added_by = :viewer){also}"
        f" ORDER BY {ORDER} LIMIT :pool) AS own"
        ") AS found ORDER BY helped_count DESC, created_at DESC, id DESC LIMIT :pool"
    )


WALK_FACTOR = 4  # see _sqlite
PG_WALK_FACTOR = 25  # see _postgres: a row's text parsed costs about 25 rows read
BY_MATCHES = "lesson.helped_count + 0 DESC, lesson.created_at DESC, lesson.id DESC"


def _enough(session: Session, factor: int) -> int:
    """How many matches make walking the posted lessons in help order find the pool sooner
    than reading every match: the walk reads about ``POOL * lessons / matches`` rows at
    ``factor`` times a match's cost, so it wins when ``matches² >= factor * POOL * lessons``."""
    lessons = session.connection().execute(text("SELECT max(id) FROM lesson")).scalar()
    return math.isqrt(factor * POOL * int(lessons or 0)) + 1


def _sqlite_many(session: Session, query: str) -> bool:
    """Counted on the FTS5 index alone (no row read), and only up to what decides."""
    enough = _enough(session, WALK_FACTOR)
    counted = session.connection().execute(
        text(
            "SELECT count(*) FROM (SELECT 1 FROM lesson_fts WHERE lesson_fts MATCH :query"
            " LIMIT :enough) AS enough"
        ),
        {"query": query, "enough": enough},
    )
    return int(counted.scalar_one()) >= enough


def _postgres_many(session: Session, query: str) -> bool:
    """PostgreSQL's own estimate (from the statistics ANALYZE keeps on the GIN index's
    expression): counting the matches would read each one's row, which is the cost avoided."""
    enough = _enough(session, PG_WALK_FACTOR)
    plan = session.connection().execute(
        text(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM lesson WHERE {PG_DOCUMENT} @@ {PG_QUERY}"),
        {"query": query},
    )
    found = plan.scalar_one()
    estimate = (json.loads(found) if isinstance(found, str) else found)[0]["Plan"]["Plan Rows"]
    return int(estimate) >= enough


def _postgres(session: Session, params: dict[str, object], one: str) -> str:
    """Common words: the posted lessons walked in help order (``ix_lesson_visible`` backwards)
    and kept when they match; each row kept costs a parse of its text (the GIN index says which
    lessons match, not in which order). Rarer words: every match read from the GIN index, then
    sorted (``helped_count + 0`` keeps the planner off the walk, which it would pick for a word
    with a skill and read thousands of rows)."""
    match = f" AND {PG_DOCUMENT} @@ {PG_QUERY}"
    if _postgres_many(session, str(params["query"])):
        return _merged(one + match)
    return _merged(one + match, order=BY_MATCHES)


def _sqlite(session: Session, params: dict[str, object], one: str) -> str:
    """SQLite's planner always starts from the full-text index, which costs a row read per
    match: fine for a rare word, slow for a word in half the lessons. So the matches are
    counted first (the index alone, up to what decides), and when there are many, the posted
    lessons are walked in help order (``ix_lesson_visible``) and kept when they are among the
    matches: the walk reads about ``POOL * lessons / matches`` rows, the index ``matches``, so
    it walks when ``matches² >= WALK_FACTOR * POOL * lessons``."""
    if not _sqlite_many(session, str(params["query"])):
        return (
            "SELECT lesson.id FROM lesson_fts JOIN lesson ON lesson.id = lesson_fts.rowid"
            f" WHERE lesson_fts MATCH :query AND {VISIBLE}{one} ORDER BY {ORDER} LIMIT :pool"
        )
    hits = "(SELECT rowid FROM lesson_fts WHERE lesson_fts MATCH :query)"
    # ``+lesson.id``: not a way in (the viewer's own are read from their indexes, not per match)
    return _merged(f"{one} AND +lesson.id IN {hits}", "lesson INDEXED BY ix_lesson_visible")


STEM = 5  # a term is counted in a lesson's words by its first letters ("refunds": "refun")


def score(lesson: Lesson, terms: Terms) -> float:
    """How much a lesson is about the terms: each term's words in what was learned count twice,
    in the story once, over the square root of the lesson's length (a short lesson that says it
    twice beats a long one that says it once)."""
    learned = TERM_RE.findall(lesson.learned.lower())
    story = TERM_RE.findall(lesson.what_happened.lower())
    total = 0
    for term in terms.words:
        stem = term[:STEM]
        total += 2 * sum(w.startswith(stem) for w in learned) + sum(
            w.startswith(stem) for w in story
        )
    return total / math.sqrt(1 + len(learned) + len(story))


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _lessons(session: Session, ids: Sequence[int]) -> list[Lesson]:
    if not ids:
        return []
    rows = session.exec(select(Lesson).where(col(Lesson.id).in_(ids))).all()
    by_id = {row.id: row for row in rows}
    return [by_id[i] for i in ids if i in by_id]
