"""Lesson use cases: share one (typed or by the form), post it to a team channel, say it helped
you (saved for you, its author thanked with a kudos through the kudos rules), edit or remove it,
list your own. Each opens its own transaction, applies the rules and queues what it sends.

Who may do what: a lesson is seen by its author, by whoever saved it from a message and by those
it helped; the workspace sees it once its author posts it. Only the author edits, posts or
removes it; a saver removes only their own save. Anyone else gets ``LessonNotFoundError``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot.deps import Deps
from bot.errors import BravoError, error_text
from bot.events import once
from bot.kudos.service import Gift, KudosSource, give
from bot.learning import ids, messages, render, training
from bot.learning.errors import (
    BadLinkError,
    EmptyLessonError,
    LessonNotFoundError,
    MistypedError,
    NotTeamChannelError,
    OwnLessonError,
    TooLongError,
    UnknownSkillError,
)
from bot.learning.parse import Share, Submitted, lesson_text, link_of, mistyped
from bot.learning.skills import nearest
from bot.learning.skills import skills_of as skills_of  # the rooms' and the edge's
from bot.learning.training import training_lines_for as training_lines_for  # the prep note's
from storage import learning as store
from storage.models.learning import Lesson, LessonHelp, LessonOrigin, LessonVisibility

# Skills and fields --------------------------------------------------------------------------------


def may_see_training(session: Session, *, team_id: str, viewer_id: str, person_id: str) -> bool:
    """Whether ``viewer_id`` sees ``person_id``'s training: themself, or an active coach of
    theirs when they share it (for the one-on-one prep, in the caller's transaction)."""
    return training.may_see(session, team_id=team_id, viewer_id=viewer_id, person_id=person_id)


def check_skill(deps: Deps, team_id: str, typed: Sequence[str]) -> str | None:
    """One skill of the workspace, or None; ``UnknownSkillError`` with the nearest one."""
    skills = skills_of(deps, team_id)
    if not typed:
        return None
    if len(set(typed)) > 1:
        raise UnknownSkillError(" ".join(f"#{t}" for t in typed), None, skills, several=True)
    word = typed[0].lower()
    if word in skills:
        return word
    raise UnknownSkillError(typed[0], nearest(word, skills), skills)


def check_fields(learned: str, story: str, link: str | None) -> str | None:
    """The lesson's limits (``ids.MAX_*``); returns the link Bravo keeps."""
    if not learned.strip():
        raise EmptyLessonError()
    if len(learned) > ids.MAX_LEARNED:
        raise TooLongError("lesson", len(learned), ids.MAX_LEARNED)
    if len(story) > ids.MAX_STORY:
        raise TooLongError("story", len(story), ids.MAX_STORY)
    try:
        return link_of(link)
    except ValueError:
        raise BadLinkError(link or "") from None


# Team channels ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Channels:
    """The person's team channels (weekly shout-outs on, they are a member) and their names."""

    ids: tuple[str, ...] = ()
    names: dict[str, str] = field(default_factory=dict)


def team_channels(deps: Deps, team_id: str, user_id: str) -> Channels:
    with deps.db.read() as session:
        found = tuple(store.team_channels(session, team_id=team_id, user_id=user_id))
    names: dict[str, str] = {}
    for channel in found[:10]:
        try:
            info = deps.channels.info(deps.client_for(team_id), team_id, channel)
        except SlackApiError:
            continue
        if info.get("name"):
            names[channel] = str(info["name"])
    return Channels(found, names)


# Sharing ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Saved:
    lesson: Lesson
    channels: Channels
    posted: bool = False


def share(deps: Deps, *, team_id: str, user_id: str, asked: Share, key: str | None) -> Saved:
    """``/learned <what you learned> [#skill] [link]``: a private lesson of the typer's."""
    if len(asked.text) > ids.MAX_LEARNED + ids.MAX_LINK + 200:  # a paste: no need to read it
        raise TooLongError("lesson", len(asked.text), ids.MAX_LEARNED)
    if meant := mistyped(asked):
        raise MistypedError(asked.text, meant)
    typed = lesson_text(asked.text)
    skill = check_skill(deps, team_id, typed.skills)
    link = check_fields(typed.learned, "", typed.link)
    channels = team_channels(deps, team_id, user_id)
    now = deps.clock()
    with deps.db.write() as session:
        once(session=session, team_id=team_id, key=key, now=now)
        row = _new(team_id, user_id, typed.learned, "", skill, link, LessonOrigin.COMMAND, key, now)
        store.save(session, row)
    return Saved(row, channels)


def _new(
    team_id: str,
    user_id: str,
    learned: str,
    story: str,
    skill: str | None,
    link: str | None,
    origin: LessonOrigin,
    key: str | None,
    now: datetime,
) -> Lesson:
    return Lesson(
        team_id=team_id,
        author_id=user_id,
        added_by=user_id,
        learned=learned,
        what_happened=story,
        skill=skill,
        link=link,
        origin=origin,
        request_key=key,
        created_at=now,
        updated_at=now,
    )


def draft(team_id: str, author_id: str, learned: str) -> Lesson:
    """An unsaved lesson to fill a form with."""
    now = datetime.min
    return _new(team_id, author_id, learned, "", None, None, LessonOrigin.SHORTCUT, None, now)


def create(deps: Deps, *, team_id: str, user_id: str, got: Submitted, key: str | None) -> Saved:
    """The lesson form: a new lesson, posted at once when the person chose a team channel."""
    skill = check_skill(deps, team_id, [got.skill] if got.skill else [])
    link = check_fields(got.learned, got.what_happened, got.link)
    channels = team_channels(deps, team_id, user_id)
    if got.post_to and got.post_to not in channels.ids:
        raise NotTeamChannelError()
    now = deps.clock()
    with deps.db.write() as session:
        once(session=session, team_id=team_id, key=key, now=now)
        row = _new(
            team_id,
            user_id,
            got.learned,
            got.what_happened,
            skill,
            link,
            LessonOrigin.MODAL,
            key,
            now,
        )
        store.save(session, row)
        if got.post_to:
            _post_in(deps, session, row, got.post_to, now)
    deps.deliverer.kick()
    return Saved(row, channels, posted=bool(got.post_to))


def _post_in(deps: Deps, session: Session, row: Lesson, channel: str, now: datetime) -> None:
    row.visibility = LessonVisibility.TEAM
    row.posted_channel = channel
    row.posted_at = now
    row.updated_at = now
    store.save(session, row)
    deps.outbox.enqueue(session, row.team_id, [messages.post(row)], now)


def _authors(session: Session, team_id: str, lesson_id: int, user_id: str) -> Lesson:
    """The lesson, locked, if ``user_id`` wrote it; else not found."""
    row = store.lesson(session, team_id=team_id, lesson_id=lesson_id, lock=True)
    if row is None or row.author_id != user_id:
        raise LessonNotFoundError()
    return row


def post(
    deps: Deps, *, team_id: str, user_id: str, lesson_id: int, channel_id: str, key: str | None
) -> Lesson:
    """The author posts their lesson to one of their team channels: the workspace finds it."""
    channels = team_channels(deps, team_id, user_id)
    now = deps.clock()
    with deps.db.write() as session:
        once(session=session, team_id=team_id, key=key, now=now)
        row = _authors(session, team_id, lesson_id, user_id)
        if row.visibility == LessonVisibility.TEAM:
            return row  # posted already (another click): said where
        if channel_id not in channels.ids:
            raise NotTeamChannelError()
        _post_in(deps, session, row, channel_id, now)
    deps.deliverer.kick()
    return row


def redraw_post(deps: Deps, session: Session, row: Lesson, now: datetime) -> None:
    deps.outbox.redraw(
        session,
        row.team_id,
        messages.post_ref(row),
        [ids.LESSON_POST],
        lambda posted: messages.post_redrawn(row, posted.id or 0),
        now,
    )


# This helped me ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Helped:
    lesson: Lesson
    fresh: bool  # False: it had helped them before (nothing given twice)
    thanked: bool = False  # the author got a kudos
    why_not: str | None = None  # the kudos rules' words when they refused


def helped(deps: Deps, *, team_id: str, user_id: str, lesson_id: int, key: str | None) -> Helped:
    """The clicker saves a posted lesson and thanks its author with a kudos. The save and its
    count are one transaction; the kudos is the kudos rules' own (allowance, caps, never
    yourself): when they refuse, the lesson stays saved and the clicker hears why."""
    now = deps.clock()
    with deps.db.write() as session:
        once(session=session, team_id=team_id, key=key, now=now)
        row = store.lesson(session, team_id=team_id, lesson_id=lesson_id, lock=True)
        if row is None or row.visibility != LessonVisibility.TEAM:
            raise LessonNotFoundError()
        if row.author_id == user_id:
            raise OwnLessonError()
        help_row = LessonHelp(lesson_id=lesson_id, user_id=user_id, team_id=team_id, created_at=now)
        fresh = store.add_help(session, help_row)
        if fresh:
            session.refresh(row)
            redraw_post(deps, session, row, now)
    deps.deliverer.kick()
    if not fresh:
        return Helped(row, fresh=False)
    return _thank(deps, row, user_id)


def _thank(deps: Deps, row: Lesson, user_id: str) -> Helped:
    values = (row.skill,) if row.skill and row.skill in skills_of(deps, row.team_id) else ()
    gift = Gift(
        team_id=row.team_id,
        giver_id=user_id,
        user_ids=(row.author_id,),
        reason=render.kudos_reason(row),
        values=values,
        channel_id=None,  # the kudos channel if the workspace has one, else the author's DM
        source=KudosSource.LESSON,
        source_ref=f"lesson:{row.id}",
        event_id=f"lesson:{row.id}:helped:{user_id}"[:64],
    )
    try:
        result = give(deps, gift)
    except BravoError as err:
        return Helped(row, fresh=True, why_not=error_text(err))
    if result is None:
        return Helped(row, fresh=True, thanked=True)
    with deps.db.write() as session:
        store.set_help_kudos(
            session, lesson_id=row.id or 0, user_id=user_id, batch_id=result.batch_id
        )
    return Helped(row, fresh=True, thanked=True)


# Edit and remove --------------------------------------------------------------------------------


def editable(deps: Deps, *, team_id: str, user_id: str, lesson_id: int) -> tuple[Lesson, Channels]:
    """The lesson for its Edit form: the author's only."""
    with deps.db.read() as session:
        row = store.lesson(session, team_id=team_id, lesson_id=lesson_id)
    if row is None or row.author_id != user_id:
        raise LessonNotFoundError()
    return row, team_channels(deps, team_id, user_id)


def edit(
    deps: Deps, *, team_id: str, user_id: str, lesson_id: int, got: Submitted, key: str | None
) -> Saved:
    """The author changes their lesson (its post is redrawn), and may post it now."""
    skill = check_skill(deps, team_id, [got.skill] if got.skill else [])
    link = check_fields(got.learned, got.what_happened, got.link)
    channels = team_channels(deps, team_id, user_id)
    now = deps.clock()
    with deps.db.write() as session:
        once(session=session, team_id=team_id, key=key, now=now)
        row = _authors(session, team_id, lesson_id, user_id)
        row.learned, row.what_happened, row.skill, row.link = (
            got.learned,
            got.what_happened,
            skill,
            link,
        )
        row.updated_at = now
        store.save(session, row)
        posting = bool(got.post_to) and row.visibility == LessonVisibility.PRIVATE
        if posting:
            if got.post_to not in channels.ids:
                raise NotTeamChannelError()
            _post_in(deps, session, row, got.post_to or "", now)
        else:
            redraw_post(deps, session, row, now)
    deps.deliverer.kick()
    return Saved(row, channels, posted=posting)


@dataclass(frozen=True)
class Removal:
    """What Remove would do for the clicker: ``whole`` (the author removes the lesson, which
    ``others`` people had saved) or only their own save."""

    lesson: Lesson
    whole: bool
    others: int


def removal(deps: Deps, *, team_id: str, user_id: str, lesson_id: int) -> Removal:
    with deps.db.read() as session:
        row = store.lesson(session, team_id=team_id, lesson_id=lesson_id)
        if row is None:
            raise LessonNotFoundError()
        return _removal(session, row, user_id)


def _removal(session: Session, row: Lesson, user_id: str) -> Removal:
    others = store.helps_of(session, lesson_id=row.id or 0) + (row.added_by != row.author_id)
    if row.author_id == user_id:
        return Removal(row, whole=True, others=others)
    saver = row.added_by == user_id
    if saver or store.helped(session, lesson_id=row.id or 0, user_id=user_id):
        return Removal(row, whole=False, others=others)
    raise LessonNotFoundError()


def remove(deps: Deps, *, team_id: str, user_id: str, lesson_id: int, key: str | None) -> Removal:
    """The author removes their lesson (and who it helped; its post is struck) in one
    transaction; a saver removes their save: a message's saver hands it to its author alone (or
    removes it, when nobody else has it yet), someone it helped drops it from their list."""
    now = deps.clock()
    with deps.db.write() as session:
        once(session=session, team_id=team_id, key=key, now=now)
        row = store.lesson(session, team_id=team_id, lesson_id=lesson_id, lock=True)
        if row is None:
            raise LessonNotFoundError()
        what = _removal(session, row, user_id)
        lonely = row.visibility == LessonVisibility.PRIVATE and not row.helped_count
        if what.whole or (row.added_by == user_id and lonely):
            _strike(deps, session, row, now)
            store.delete_lesson(session, lesson_id=lesson_id)
        elif row.added_by == user_id:
            row.added_by = row.author_id
            store.save(session, row)
        else:
            store.remove_help(session, lesson_id=lesson_id, user_id=user_id)
            row.helped_count = max(0, row.helped_count - 1)
            store.save(session, row)
            redraw_post(deps, session, row, now)
    deps.deliverer.kick()
    return what


def _strike(deps: Deps, session: Session, row: Lesson, now: datetime) -> None:
    deps.outbox.withdraw(
        session,
        row.team_id,
        messages.post_ref(row),
        [ids.LESSON_POST],
        lambda posted: messages.post_struck(posted.id or 0),
        now,
    )
    deps.outbox.withdraw(
        session,
        row.team_id,
        messages.told_ref(row),
        [ids.LESSON_DM],
        lambda told: messages.told_struck(told.id or 0),
        now,
    )


# Yours ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mine:
    lessons: list[Lesson]
    saved_ids: set[int]


def mine(deps: Deps, *, team_id: str, user_id: str) -> Mine:
    """Your lessons: authored, added from a message, and those that helped you; newest first."""
    with deps.db.read() as session:
        rows = store.mine(session, team_id=team_id, user_id=user_id, limit=ids.MINE_SHOWN)
        saved = store.saved_by(
            session, team_id=team_id, user_id=user_id, lesson_ids=[r.id or 0 for r in rows]
        )
    return Mine(rows, saved)
