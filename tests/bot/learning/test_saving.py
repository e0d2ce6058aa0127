"""Save as a lesson, on both databases: a message becomes a lesson credited to its author (told
by DM), private to the two of them; saved again it is one lesson saved for one more person;
refused with nothing saved for a bot's message, an empty one, one Bravo cannot read, one from
another workspace. The saver removes only their own save."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import func, select

from bot.deps import Deps
from bot.errors import error_text
from bot.learning import ids, saving, service
from bot.learning.errors import CannotSaveError, LessonNotFoundError
from bot.learning.parse import FormMeta, Message, Submitted
from bot.sandbox.server import FakeSlack
from storage.db import Database
from storage.models import OutboxRow
from storage.models.learning import Lesson, LessonHelp, LessonVisibility
from tests.bot.learning.lessons_kit import TEAM_CHANNEL, T, make_team_channel
from tests.handlers.conftest import CHANNEL, NO_BOT_CHANNEL, deps_alone

ANA, BEN, CY = "UANA", "UBEN", "UCY"
TS = "1700000000.000100"
SAID = "Refunds over $50 need a lead <@UCY> <!channel> <!subteam^S1|@support>: ask in #help"


@pytest.fixture
def deps(slack: FakeSlack, db: Database) -> Iterator[Deps]:
    slack.add_channel(TEAM_CHANNEL, "team-care", members=("UBRAVO", ANA, BEN))
    for built in deps_alone(slack, db):
        with built.db.write() as s:
            make_team_channel(s, (ANA, BEN))
        yield built


def msg(**kw: Any) -> Message:
    base: dict[str, Any] = {
        "team_id": T,
        "message_team": T,
        "channel": CHANNEL,
        "ts": TS,
        "author": ANA,
        "is_bot": False,
        "text": SAID,
    }
    base.update(kw)
    return Message(**base)


def save(deps: Deps, saver: str, key: str, learned: str = "Refunds over $50 need a lead") -> Any:
    meta = FormMeta(channel=CHANNEL, ts=TS, author=ANA)
    got = Submitted("", learned, None, "", None)
    return saving.save(deps, team_id=T, user_id=saver, meta=meta, got=got, key=key)


def dms(deps: Deps) -> list[OutboxRow]:
    with deps.db.read() as s:
        return list(s.exec(select(OutboxRow).where(OutboxRow.kind == ids.LESSON_DM)).all())


def lessons(deps: Deps) -> int:
    with deps.db.read() as s:
        return int(s.exec(select(func.count()).select_from(Lesson)).one())


def test_the_form_is_filled_with_the_message_mention_safe(deps: Deps) -> None:
    ready = saving.prefill(deps, user_id=BEN, msg=msg())
    assert ready.meta == FormMeta(channel=CHANNEL, ts=TS, author=ANA)
    assert "@cy" in ready.learned and "@channel" in ready.learned
    for live in ("<@UCY>", "<!channel>", "<!subteam"):
        assert live not in ready.learned
    assert not ready.trimmed and ready.channels.ids == ()  # only the author posts


def test_a_long_message_is_trimmed_to_the_limit_and_says_so(deps: Deps) -> None:
    ready = saving.prefill(deps, user_id=BEN, msg=msg(text="word " * 9000))
    assert ready.trimmed and len(ready.learned) <= ids.MAX_LEARNED


@pytest.mark.parametrize(
    ("kw", "why"),
    [
        ({"is_bot": True}, "bot"),
        ({"author": None}, "bot"),
        ({"author": "UROBOT"}, "bot"),
        ({"text": "   "}, "empty"),
        ({"channel": NO_BOT_CHANNEL}, "unreadable"),
        ({"channel": "C0NOSUCH"}, "unreadable"),
        ({"message_team": "T0ELSE"}, "workspace"),
    ],
)
def test_messages_that_cannot_be_lessons_are_refused(
    deps: Deps, kw: dict[str, Any], why: str
) -> None:
    with pytest.raises(CannotSaveError) as caught:
        saving.prefill(deps, user_id=BEN, msg=msg(**kw))
    assert caught.value.why == why
    assert "Nothing was saved" in error_text(caught.value)
    assert lessons(deps) == 0


def test_a_saved_message_is_credited_to_its_author_who_is_told(deps: Deps) -> None:
    done = save(deps, BEN, "s1")
    row = done.lesson
    assert done.fresh and (row.author_id, row.added_by) == (ANA, BEN)
    assert (row.source_channel, row.source_ts, row.origin) == (CHANNEL, TS, "shortcut")
    assert row.visibility == LessonVisibility.PRIVATE
    [dm] = dms(deps)
    payload = json.loads(dm.payload)
    shown = json.dumps(payload)
    assert payload["channel"] == ANA and "<@UBEN> saved your message" in shown
    for action in (ids.EDIT_LESSON, ids.REMOVE_LESSON, ids.POST_LESSON):
        assert action in shown
    # The saver sees it in theirs; the author too; nobody else.
    assert [r.id for r in service.mine(deps, team_id=T, user_id=BEN).lessons] == [row.id]
    assert [r.id for r in service.mine(deps, team_id=T, user_id=ANA).lessons] == [row.id]
    assert service.mine(deps, team_id=T, user_id=CY).lessons == []


def test_saving_a_saved_message_again_saves_it_for_that_person(deps: Deps) -> None:
    first = save(deps, BEN, "s1")
    again = save(deps, CY, "s2")
    assert not again.fresh and again.lesson.id == first.lesson.id and lessons(deps) == 1
    with deps.db.read() as s:
        assert s.get(LessonHelp, (first.lesson.id, CY)) is not None
    assert [r.id for r in service.mine(deps, team_id=T, user_id=CY).lessons] == [first.lesson.id]
    assert len(dms(deps)) == 1  # the author is told once


def test_saving_your_own_message_is_your_own_lesson_and_tells_nobody(deps: Deps) -> None:
    done = save(deps, ANA, "s1")
    assert (done.lesson.author_id, done.lesson.added_by) == (ANA, ANA) and dms(deps) == []


def test_only_the_author_edits_or_posts_a_saved_message(deps: Deps) -> None:
    row = save(deps, BEN, "s1").lesson
    with pytest.raises(LessonNotFoundError):
        service.post(
            deps, team_id=T, user_id=BEN, lesson_id=row.id or 0, channel_id=TEAM_CHANNEL, key="p1"
        )
    with pytest.raises(LessonNotFoundError):
        service.editable(deps, team_id=T, user_id=BEN, lesson_id=row.id or 0)
    service.post(
        deps, team_id=T, user_id=ANA, lesson_id=row.id or 0, channel_id=TEAM_CHANNEL, key="p2"
    )
    with deps.db.read() as s:
        assert (s.get(Lesson, row.id) or Lesson()).visibility == LessonVisibility.TEAM


def test_the_saver_removes_their_save_a_lonely_one_goes(deps: Deps) -> None:
    row = save(deps, BEN, "s1").lesson
    what = service.remove(deps, team_id=T, user_id=BEN, lesson_id=row.id or 0, key="r1")
    assert not what.whole and lessons(deps) == 0


def test_the_saver_removes_their_save_the_author_keeps_a_shared_one(deps: Deps) -> None:
    row = save(deps, BEN, "s1").lesson
    save(deps, CY, "s2")
    service.remove(deps, team_id=T, user_id=BEN, lesson_id=row.id or 0, key="r1")
    with deps.db.read() as s:
        kept = s.get(Lesson, row.id)
    assert kept is not None and kept.added_by == ANA
    assert service.mine(deps, team_id=T, user_id=BEN).lessons == []
    asked = service.removal(deps, team_id=T, user_id=ANA, lesson_id=row.id or 0)
    assert asked.whole and asked.others == 1
