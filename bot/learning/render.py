"""Lessons in Block Kit (pure). Whatever a person typed is shown through ``bot.text.said``: no
live user, user-group or broadcast mention survives, in a channel post, a DM or a reply."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.blocks import Block, button, clip, context, message, section
from bot.learning import ids
from bot.text import escape, person, plain, said, trim
from storage.models.learning import Lesson, LessonVisibility

CMD = ids.LEARNED_COMMAND
SHOWN = 600  # characters of a lesson shown in a list or a confirmation
NO_TEAM_CHANNEL = (
    "To post lessons for your team, you need a team channel: a "
    "channel with weekly shout-outs that you are a member of. Type `/bravo shoutouts on` in "
    "your team's channel to make it one."
)


def learned_text(row: Lesson, limit: int = SHOWN) -> str:
    return said(trim(row.learned, limit))


def _skill(row: Lesson) -> str:
    return f" · #{escape(row.skill)}" if row.skill else ""


def _link(row: Lesson) -> str:
    return f" · <{row.link}|link>" if row.link else ""


def lesson_blocks(row: Lesson, limit: int = SHOWN) -> list[Block]:
    blocks = [section(f":bulb: *{learned_text(row, limit)}*")]
    if row.what_happened:
        blocks.append(context(said(trim(row.what_happened, limit))))
    return blocks


def channel_label(channel_id: str, names: Mapping[str, str]) -> str:
    return "#" + names[channel_id] if names.get(channel_id) else "your team channel"


def lesson_buttons(row: Lesson, channels: Sequence[str], names: Mapping[str, str]) -> Block:
    """Post (one button per team channel, up to three), Edit, Remove."""
    lesson_id = str(row.id)
    posts = (
        [
            button(
                f"Post to {channel_label(c, names)}",
                ids.POST_LESSON,
                f"{lesson_id}:{c}",
                "primary",
            )
            for c in channels[:3]
        ]
        if row.visibility == LessonVisibility.PRIVATE
        else []
    )
    return {
        "type": "actions",
        "elements": [
            *posts,
            button("Edit", ids.EDIT_LESSON, lesson_id),
            button("Remove", ids.REMOVE_LESSON, lesson_id, "danger"),
        ],
    }


def saved(
    row: Lesson, channels: Sequence[str], names: Mapping[str, str], posted: bool
) -> dict[str, Any]:
    """The reply to ``/learned <text>`` (or the form): what was saved, and what next."""
    if posted and row.posted_channel:
        lead = f"Saved and posted to <#{row.posted_channel}>{_skill(row)}{_link(row)}."
    elif channels:
        lead = f"Saved, private to you{_skill(row)}{_link(row)}. Post it for your team?"
    else:
        lead = f"Saved, private to you{_skill(row)}{_link(row)}. {NO_TEAM_CHANNEL}"
    blocks = [section(lead), *lesson_blocks(row), lesson_buttons(row, channels, names)]
    return message(lead, blocks)


def posted_reply(row: Lesson) -> str:
    return (
        f"Posted to <#{row.posted_channel}>: your team can find it with `{CMD} search`, and "
        "each person it helps thanks you with a kudos."
    )


def post(row: Lesson) -> dict[str, Any]:
    """The lesson in its team channel, with This helped me and its count."""
    lead = f"{person(row.author_id)} shared a lesson{_skill(row)}"
    count = row.helped_count
    helped = f"Helped {count} {'person' if count == 1 else 'people'}" if count else "New lesson"
    blocks = [
        section(lead + _link(row)),
        *lesson_blocks(row, ids.MAX_LEARNED),
        {
            "type": "actions",
            "elements": [button("This helped me", ids.HELPED, str(row.id), "primary")],
        },
        context(f"{helped} · `{CMD} search` finds it again"),
    ]
    return message(f"{lead}: {learned_text(row, 200)}", blocks)


def post_removed() -> dict[str, Any]:
    text = "~This lesson was removed by its author.~"
    return message(text, [context(text)])


def told_removed() -> dict[str, Any]:
    text = "~A lesson saved from your message~: it was removed."
    return message(text, [context(text)])


def helped_reply(row: Lesson, *, fresh: bool, thanked: bool, why_not: str | None) -> str:
    if not fresh:
        return f"You already saved this lesson; it's in `{CMD} mine`. Nothing was given twice."
    thanks = (
        f"and {person(row.author_id)} got a kudos from you for sharing it."
        if thanked
        else f"but your thanks could not count as a kudos: {why_not or 'the kudos rules say no'}"
    )
    return f"Saved to `{CMD} mine`, {thanks}"


THANKS_REASON = "sharing a lesson that helped me"


def kudos_reason(row: Lesson) -> str:
    """A kudos reason is stored as mrkdwn safe to post (``Kudos.reason``): the lesson's words
    go in mention-safe."""
    return f"{THANKS_REASON}: “{said(trim(row.learned, 80))}”"


def removed(count: int) -> str:
    return "Removed." + (
        f" It was saved by {count} {'person' if count == 1 else 'people'}." if count else ""
    )


REMOVED_SAVE = "Removed from your lessons. The lesson stays with its author."


def remove_confirm(row: Lesson, count: int) -> dict[str, Any]:
    """Ask before removing a lesson others saved (``count`` of them)."""
    people = f"{count} {'person' if count == 1 else 'people'}"
    return {
        "type": "modal",
        "callback_id": ids.REMOVE_CONFIRM_MODAL,
        "private_metadata": str(row.id),
        "title": {"type": "plain_text", "text": "Remove this lesson?"},
        "submit": {"type": "plain_text", "text": "Remove"},
        "close": {"type": "plain_text", "text": "Keep it"},
        "blocks": [
            section(
                f"{people} saved this lesson. Removing it takes it from them too"
                + (" and from its channel post." if row.posted_channel else ".")
            ),
            *lesson_blocks(row),
        ],
    }


def mine(
    rows: Sequence[Lesson],
    user_id: str,
    saved_ids: set[int],
    channels: Sequence[str] = (),
    names: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """``/learned mine``: each lesson with its visibility and count, and its buttons."""
    if not rows:
        text = (
            "You have no lessons yet. Share one with "
            f"`{CMD} <what you learned> #skill`, or save a good message with the "
            "*Save as a lesson* shortcut."
        )
        return message(text, [section(text)])
    lead = f"*Your lessons* (newest first, up to {ids.MINE_SHOWN}):"
    blocks: list[Block] = [section(lead)]
    for row in rows[: ids.MINE_SHOWN]:
        blocks.append(
            section(f"• {learned_text(row, 300)}{_skill(row)}\n_{_whose(row, user_id, saved_ids)}_")
        )
        if (actions := mine_actions(row, user_id, channels, names or {})) is not None:
            blocks.append(actions)
    return message("Your lessons", blocks[:49])


def _whose(row: Lesson, user_id: str, saved_ids: set[int]) -> str:
    where = (
        f"posted in <#{row.posted_channel}>"
        if row.visibility == LessonVisibility.TEAM and row.posted_channel
        else "private"
    )
    helped = f", helped {row.helped_count}"
    if row.author_id == user_id:
        return f"yours, {where}{helped}"
    if row.added_by == user_id:
        return f"by {person(row.author_id)}, saved by you, {where}{helped}"
    return f"by {person(row.author_id)}, helped you{helped}" if row.id in saved_ids else where


def author_dm(
    row: Lesson, saver: str, channels: Sequence[str], names: Mapping[str, str]
) -> dict[str, Any]:
    """To a message's author: someone saved it as a lesson credited to them."""
    lead = (
        f"{person(saver)} saved your message in <#{row.source_channel}> as a lesson credited to "
        "you. It's private to the two of you until you post it."
    )
    blocks = [section(lead), *lesson_blocks(row), lesson_buttons(row, channels, names)]
    return message(lead, blocks)


SAVED_MESSAGE = (
    f"Saved as a lesson, private to you and its author (who was told). Find it in `{CMD} mine`."
)
SAVED_AGAIN = (
    f"That message was already a lesson: it's saved for you now too. Find it in `{CMD} mine`."
)


# The lesson form ---------------------------------------------------------------------------------


def _text_input(
    block: str,
    label: str,
    limit: int,
    *,
    initial: str = "",
    optional: bool,
    multiline: bool = True,
    hint: str = "",
) -> Block:
    element: Block = {
        "type": "plain_text_input",
        "action_id": ids.INPUT,
        "multiline": multiline,
        "max_length": limit,
    }
    if initial:
        element["initial_value"] = initial[:limit]
    field: Block = {
        "type": "input",
        "block_id": block,
        "optional": optional,
        "label": {"type": "plain_text", "text": label},
        "element": element,
    }
    if hint:
        field["hint"] = {"type": "plain_text", "text": hint}
    return field


def editable(text: str) -> str:
    """Stored text as a form shows it to edit: mentions as the names they read as."""
    return plain(said(text))


def _option(text: str, value: str) -> Block:
    return {"text": {"type": "plain_text", "text": clip(text, 75)}, "value": value}


def _select(block: str, label: str, options: list[Block], initial: Block | None) -> Block:
    element: Block = {"type": "static_select", "action_id": ids.INPUT, "options": options[:100]}
    if initial is not None:
        element["initial_option"] = initial
    return {
        "type": "input",
        "block_id": block,
        "optional": True,
        "label": {"type": "plain_text", "text": label},
        "element": element,
    }


def lesson_modal(
    *,
    skills: Sequence[str],
    channels: Sequence[str],
    names: Mapping[str, str],
    metadata: str,
    row: Lesson | None = None,
    note: str = "",
) -> dict[str, Any]:
    """The lesson form: new (``row`` None), an edit, or a message to save (``row`` prefilled,
    unsaved, ``note`` says where it came from). The post choice shows only for a private
    lesson with a team channel to post to."""
    skill_options = [_option(f"#{s}", s) for s in skills]
    chosen = next((o for o in skill_options if row is not None and o["value"] == row.skill), None)
    blocks: list[Block] = [context(note)] if note else []
    blocks += [
        _text_input(
            ids.STORY_BLOCK,
            "What happened",
            ids.MAX_STORY,
            initial=editable(row.what_happened) if row else "",
            optional=True,
        ),
        _text_input(
            ids.LEARNED_BLOCK,
            "What you learned",
            ids.MAX_LEARNED,
            initial=editable(row.learned) if row else "",
            optional=False,
        ),
    ]
    if skill_options:
        blocks.append(_select(ids.SKILL_BLOCK, "Skill", skill_options, chosen))
    blocks.append(
        _text_input(
            ids.LINK_BLOCK,
            "Link (optional)",
            ids.MAX_LINK,
            initial=row.link or "" if row else "",
            optional=True,
            multiline=False,
            hint="A page, a ticket or a message link: https:// only.",
        )
    )
    if channels and (row is None or row.visibility == LessonVisibility.PRIVATE):
        keep = _option("No, keep it private", ids.NO_POST)
        posts = [_option(f"Yes, post it to {channel_label(c, names)}", c) for c in channels[:10]]
        blocks.append(_select(ids.POST_BLOCK, "Post it for your team?", [keep, *posts], keep))
    elif not channels and row is None:
        blocks.append(context(NO_TEAM_CHANNEL))
    return {
        "type": "modal",
        "callback_id": ids.LESSON_MODAL,
        "private_metadata": metadata,
        "title": {"type": "plain_text", "text": "A lesson learned"},
        "submit": {"type": "plain_text", "text": "Save"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks,
    }


def done_modal(text: str) -> dict[str, Any]:
    """What a lesson form turns into once saved."""
    return {
        "type": "modal",
        "callback_id": ids.LESSON_MODAL + "_done",
        "title": {"type": "plain_text", "text": "A lesson learned"},
        "close": {"type": "plain_text", "text": "Done"},
        "blocks": [section(text)],
    }


def form_saved(row: Lesson, posted: bool, has_channels: bool) -> str:
    if posted and row.posted_channel:
        return posted_reply(row)
    tail = "" if has_channels else " " + NO_TEAM_CHANNEL
    return f"Saved, private to you. `{CMD} mine` lists it, to edit, post or remove.{tail}"


def mine_actions(
    row: Lesson, user_id: str, channels: Sequence[str], names: Mapping[str, str]
) -> Block | None:
    """What the person may do to one of their lessons: the author everything, a saver Remove."""
    if row.author_id == user_id:
        return lesson_buttons(row, channels, names)
    return {
        "type": "actions",
        "elements": [button("Remove from mine", ids.REMOVE_LESSON, str(row.id))],
    }
