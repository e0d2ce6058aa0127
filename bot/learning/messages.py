"""What lessons send, to whom: a posted lesson to its team channel (redrawn as it helps people,
struck when removed), and a message's author told that someone saved it as a lesson."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.learning import ids, render
from bot.outbox.envelope import OutMessage, SlackMethod
from storage.models.learning import Lesson


def post_ref(row: Lesson) -> str:
    """The outbox ref of a lesson's channel post."""
    return f"lesson:{row.id}:post"


def post(row: Lesson) -> OutMessage:
    assert row.posted_channel is not None
    return OutMessage(
        kind=ids.LESSON_POST,
        method=SlackMethod.POST,
        payload={"channel": row.posted_channel, **render.post(row)},
        ref=post_ref(row),
        dedupe_key=f"lesson:{row.team_id}:{row.id}:post",
        notify_user=row.author_id,
    )


def post_redrawn(row: Lesson, posted_id: int) -> OutMessage:
    """The channel post (outbox row ``posted_id``) with its count as it is now."""
    return OutMessage(
        kind=ids.LESSON_POST,
        method=SlackMethod.UPDATE,
        payload=render.post(row),
        update_of=posted_id,
    )


def post_struck(posted_id: int) -> OutMessage:
    return OutMessage(
        kind=ids.LESSON_POST,
        method=SlackMethod.UPDATE,
        payload=render.post_removed(),
        update_of=posted_id,
    )


def author_told(
    row: Lesson, saver: str, channels: Sequence[str], names: Mapping[str, str]
) -> OutMessage:
    """To a message's author: it was saved as a lesson credited to them (Edit, Remove, Post)."""
    return OutMessage(
        kind=ids.LESSON_DM,
        method=SlackMethod.POST,
        payload={"channel": row.author_id, **render.author_dm(row, saver, channels, names)},
        dedupe_key=f"lesson:{row.team_id}:{row.id}:told",
        ref=told_ref(row),
    )


def told_ref(row: Lesson) -> str:
    """The outbox ref of the DM telling a message's author it was saved as a lesson."""
    return f"lesson:{row.id}:told"


def told_struck(posted_id: int) -> OutMessage:
    """The author's DM once the lesson is gone: no buttons left to press."""
    return OutMessage(
        kind=ids.LESSON_DM,
        method=SlackMethod.UPDATE,
        payload=render.told_removed(),
        update_of=posted_id,
    )
