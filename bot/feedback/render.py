"""Block Kit for feedback, feedback requests and customer feedback. Pure functions.

Everything a person typed in a modal is escaped (``bot.text.escape``) before it goes into
mrkdwn; request topics are stored as safe mrkdwn already.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from bot.blocks import Block, button, clip, context, message, quote, section
from bot.feedback import ids
from bot.feedback.customer import KINDS, SOURCES
from bot.feedback.rules import Audience, FeedbackDraft, Inbox
from bot.text import escape, person, said, trim
from storage.models.feedback import (
    CustomerFeedback,
    CustomerKind,
    Feedback,
    FeedbackRequest,
    FeedbackVisibility,
)

VISIBILITY = {
    FeedbackVisibility.RECIPIENT: "Only them",
    FeedbackVisibility.COACH: "Them and their coach",
}


def meta(**values: Any) -> str:
    return json.dumps(values, separators=(",", ":"))


def _text(value: str, limit: int = 1000) -> str:
    return escape(trim(value, limit))


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": clip(text, 75)}, "value": value}


def _input(
    block_id: str,
    label: str,
    element: Block,
    hint: str | None = None,
    *,
    optional: bool = False,
) -> Block:
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": label},
        "element": {"action_id": ids.INPUT, **element},
        "optional": optional,
    }
    if hint:
        block["hint"] = {"type": "plain_text", "text": hint}
    return block


def _text_input(block: str, initial: str = "") -> Block:
    """A text field that takes at most what Bravo keeps (``ids.LIMITS``, enforced by rules)."""
    limit = ids.LIMITS[block]
    element: Block = {"type": "plain_text_input", "multiline": True, "max_length": limit}
    if initial:
        element["initial_value"] = initial[:limit]
    return element


def _select(
    options: list[dict[str, Any]], initial: str | None, kind: str = "static_select"
) -> Block:
    element: Block = {"type": kind, "options": options}
    chosen = [o for o in options if o["value"] == initial]
    if chosen:
        element["initial_option"] = chosen[0]
    return element


def _modal(
    callback: str, title: str, submit: str, meta_: str, blocks: list[Block]
) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback,
        "private_metadata": meta_,
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": submit},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks[:100],
    }


# Giving feedback -------------------------------------------------------------------------------


def feedback_modal(
    *,
    skills: Sequence[str],
    private_metadata: str,
    recipient_id: str | None = None,
    request: FeedbackRequest | None = None,
    draft: FeedbackDraft | None = None,
    nudges: Sequence[str] = (),
) -> dict[str, Any]:
    """Feedback built to be acted on: situation, behaviour, impact, a suggestion, the skill and
    who may see it. From a request, the recipient is fixed (the person who asked)."""
    blocks: list[Block] = [_nudge(nudges)] if nudges else []
    blocks.append(_asked_by(request) if request is not None else _recipient_input(recipient_id))
    blocks += _feedback_inputs(draft or FeedbackDraft("", "", "", "", "", False), skills)
    return _modal(ids.FEEDBACK_MODAL, "Give feedback", "Send", private_metadata, blocks)


def _nudge(nudges: Sequence[str]) -> Block:
    return section(
        ":mag: *Could this be more specific?* Specific feedback is easier to act on.\n"
        + "\n".join("• " + n for n in nudges)
        + "\nEdit below, or press *Send* again to send it as it is."
    )


def _asked_by(request: FeedbackRequest) -> Block:
    about = f" about {said(request.topic)}" if request.topic else ""
    return section(f"<@{request.requester_id}> asked for your feedback{about}.")


def _recipient_input(recipient_id: str | None) -> Block:
    person: Block = {"type": "users_select"}
    if recipient_id:
        person["initial_user"] = recipient_id
    return _input(ids.RECIPIENT, "Feedback for", person)


def _feedback_inputs(d: FeedbackDraft, skills: Sequence[str]) -> list[Block]:
    """The form's fields, filled in from ``d`` (empty, or what was sent before a nudge)."""
    visibility = FeedbackVisibility.COACH if d.share_with_coach else FeedbackVisibility.RECIPIENT
    return [
        _input(
            ids.SITUATION,
            "The situation",
            _text_input(ids.SITUATION, d.situation),
            "When and where? e.g. 'Tuesday's call with the Acme billing team'.",
        ),
        _input(
            ids.BEHAVIOUR,
            "What they did",
            _text_input(ids.BEHAVIOUR, d.behaviour),
            "The behaviour you saw or heard, not a judgement: 'you paused and summarised...'.",
        ),
        _input(
            ids.IMPACT,
            "Its impact",
            _text_input(ids.IMPACT, d.impact),
            "What it changed for the customer, the team or you.",
        ),
        _input(
            ids.SUGGESTION,
            "A suggestion (optional)",
            _text_input(ids.SUGGESTION, d.suggestion),
            "One thing to try next time, if you have one.",
            optional=True,
        ),
        _input(ids.SKILL, "Skill", _select([_option("#" + s, s) for s in skills[:100]], d.skill)),
        _input(
            ids.VISIBILITY,
            "Who may see it",
            _select(
                [_option(label, key) for key, label in VISIBILITY.items()],
                visibility,
                "radio_buttons",
            ),
            "Never posted in a channel. Their coach sees it only if you (or they) share it.",
        ),
    ]


def feedback_body(fb: Feedback) -> str:
    lines = [
        f"*Situation:* {_text(fb.situation)}",
        f"*What you did:* {_text(fb.behaviour)}",
        f"*Impact:* {_text(fb.impact)}",
    ]
    if fb.suggestion:
        lines.append(f"*Suggestion:* {_text(fb.suggestion)}")
    return "\n".join(lines)


def _about(fb: Feedback) -> str:
    return f"`#{fb.skill}` · {fb.created_at:%d %b %Y}"


def _names(user_ids: Sequence[str]) -> str:
    return ", ".join(f"<@{u}>" for u in user_ids)


def _recipient_seen(a: Audience) -> str:
    """The recipient's line on who sees it, from the audience rule."""
    people = "you and your coach, who wrote it," if a.written_by_coach else "you and the giver"
    if a.coaches_who_see:
        coach = "your other coach" if a.written_by_coach else "your coach"
        by = ": the giver shared it" if a.shared_by == a.giver_id else ""
        return f"Private: {people} see it, and so does {coach} {_names(a.coaches_who_see)}{by}."
    if a.shared and not a.written_by_coach:
        return (
            f"Private: only {people} see it for now; the giver shared it with your coach, "
            "who will see it once you have one."
        )
    return f"Private: only {people} see it."


def feedback_dm(
    fb: Feedback,
    audience: Audience,
    request: FeedbackRequest | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """To the recipient: the feedback, who sees it, and what they can do with it (``note``:
    what they just did, when the message is redrawn)."""
    answer = ""
    if request is not None:
        about = f" about {said(request.topic)}" if request.topic else ""
        answer = f" in answer to your request{about}"
    text = f":speech_balloon: <@{fb.giver_id}> sent you feedback{answer}"
    actions = [] if fb.thanked_at else [button("Thank them", ids.THANK, str(fb.id), "primary")]
    actions.append(button("Turn this into a goal", ids.TO_GOAL, str(fb.id)))
    if audience.can_share:
        actions.append(button("Share with my coach", ids.SHARE, str(fb.id)))
    blocks = [
        section(text + "."),
        section(feedback_body(fb)),
        context(_about(fb) + " · " + _recipient_seen(audience)),
        *([context(note)] if note else []),
        {"type": "actions", "block_id": f"feedback_{fb.id}", "elements": actions},
    ]
    return {"channel": fb.recipient_id, **message(text, blocks)}


def _giver_seen(a: Audience) -> str:
    if a.coaches_who_see:
        return f"them and their coach {_names(a.coaches_who_see)}"
    if a.shared and a.written_by_coach:
        return "them; as their coach, you have it already"
    if a.shared:
        return "them for now: they have no coach yet, and one they pair with will see it"
    return "only them"


def giver_sent(fb: Feedback, audience: Audience) -> dict[str, Any]:
    text = (
        f":white_check_mark: Your feedback for <@{fb.recipient_id}> is on its way "
        f"(to {_giver_seen(audience)})."
    )
    return {"channel": fb.giver_id, **message(text, [section(text), section(feedback_body(fb))])}


def coach_dm(fb: Feedback, audience: Audience, coach_id: str) -> dict[str, Any]:
    """To a coach it was just shared with, saying who shared it."""
    if audience.shared_by == fb.giver_id:
        text = (
            f":speech_balloon: <@{fb.giver_id}> sent feedback to <@{fb.recipient_id}> "
            "and shared it with you, their coach"
        )
    else:
        text = (
            f":speech_balloon: <@{fb.recipient_id}> shared feedback from <@{fb.giver_id}> with you"
        )
    blocks = [section(text + "."), section(feedback_body(fb)), context(_about(fb))]
    return {"channel": coach_id, **message(text, blocks)}


def thanks_dm(fb: Feedback) -> dict[str, Any]:
    text = f":pray: <@{fb.recipient_id}> thanked you for your feedback (`#{fb.skill}`)."
    return {"channel": fb.giver_id, **message(text, [section(text)])}


def without_button(blocks: Sequence[Block], action_id: str, note: str) -> list[Block]:
    """A posted message's blocks with one button gone (it was used), and a note in its place."""
    out: list[Block] = []
    for block in blocks:
        if block.get("type") == "actions":
            kept = [e for e in block.get("elements", []) if e.get("action_id") != action_id]
            if len(kept) < len(block.get("elements", [])):
                out.append(context(note))
            if kept:
                out.append({**block, "elements": kept})
        else:
            out.append(block)
    return out


def thanked_note(fb: Feedback) -> str:
    return f":pray: <@{fb.giver_id}> knows you're grateful."


ACTED_ON_NOTE = ":white_check_mark: Marked as acted on. Nice work following through."


def shared_note(audience: Audience) -> str:
    return f":handshake: Shared with your coach {_names(audience.coaches_who_see)}."


# Asking for feedback ---------------------------------------------------------------------------


def request_dm(row: FeedbackRequest) -> dict[str, Any]:
    about = f" about {said(row.topic)}" if row.topic else ""
    text = f":raised_hand: <@{row.requester_id}> would value your feedback{about}"
    blocks = [
        section(text + "."),
        context("Specific and kind beats long: a situation, what they did, its impact."),
        {
            "type": "actions",
            "block_id": f"feedback_request_{row.id}",
            "elements": [button("Give feedback", ids.ANSWER, str(row.id), "primary")],
        },
    ]
    return {"channel": row.giver_id, **message(text, blocks)}


def request_reminder(row: FeedbackRequest) -> dict[str, Any]:
    about = f" about {said(row.topic)}" if row.topic else ""
    text = (
        f":hourglass_flowing_sand: A gentle reminder: <@{row.requester_id}> asked for your "
        f"feedback{about}"
    )
    blocks = [
        section(text + ". The request closes in a few days."),
        {
            "type": "actions",
            "block_id": f"feedback_reminder_{row.id}",
            "elements": [button("Give feedback", ids.ANSWER, str(row.id), "primary")],
        },
    ]
    return {"channel": row.giver_id, **message(text, blocks)}


def request_expired_edit(row: FeedbackRequest) -> dict[str, Any]:
    text = f"<@{row.requester_id}>'s feedback request has closed."
    return message(text, [section(":lock: " + text)])


def request_expired_note(row: FeedbackRequest) -> dict[str, Any]:
    text = (
        f":lock: Your feedback request to <@{row.giver_id}> closed after a week without an answer."
    )
    return {"channel": row.requester_id, **message(text, [section(text)])}


def request_answered_edit(row: FeedbackRequest) -> dict[str, Any]:
    text = f"You answered <@{row.requester_id}>'s feedback request. Thank you!"
    return message(text, [section(":white_check_mark: " + text)])


def requests_sent(user_ids: Sequence[str], topic: str) -> str:
    names = ", ".join(f"<@{u}>" for u in user_ids)
    about = f" about {said(topic)}" if topic else ""
    return (
        f":outbox_tray: I asked {names} for feedback{about}. You'll get a DM as answers arrive; "
        "one reminder goes out after two working days, and requests close after a week."
    )


# The inbox -------------------------------------------------------------------------------------


def inbox_blocks(box: Inbox) -> dict[str, Any]:
    mine = box.owner_id == box.viewer_id
    title = "Your feedback inbox" if mine else f"Feedback for <@{box.owner_id}> shared with you"
    blocks: list[Block] = [section(f"*{title}*")]
    if box.total == 0:
        blocks.append(
            section(
                "Nothing yet. Ask for some: `/feedback request @ana @ben about the Q3 calls`."
                if mine
                else "Nothing shared with you yet."
            )
        )
    else:
        lines = [
            f"`#{skill}`: {c.total} in all · {c.last_30_days} in 30 days · "
            f"{c.last_90_days} in 90 days · {c.acted_on} acted on"
            for skill, c in box.by_skill.items()
        ]
        blocks.append(section("*By skill*\n" + "\n".join(lines[:20])))
        months = " · ".join(f"{m}: {n}" for m, n in box.months.items())
        blocks.append(context(f"Received by month: {months}"))
        for fb in box.items:
            item = section(
                f"*From {person(fb.giver_id)}* · {_about(fb)}\n{clip(feedback_body(fb), 2800)}"
            )
            if mine and fb.acted_on_at is None:
                item["accessory"] = button("Mark acted on", ids.ACTED_ON, str(fb.id))
            elif fb.acted_on_at is not None:
                item["text"]["text"] += f"\n:white_check_mark: Acted on {fb.acted_on_at:%d %b}"
            blocks.append(item)
        if box.total > len(box.items):
            blocks.append(context(f"The {len(box.items)} most recent of {box.total}."))
    c = box.customer
    if c.praise or c.complaints:
        avg = f" · average rating {c.average_rating:.1f}/5" if c.average_rating else ""
        blocks.append(
            section(f"*From customers:* {c.praise} praise · {c.complaints} complaints{avg}")
        )
    blocks.append(context(":lock: Feedback is private: never posted, never on a leaderboard."))
    return message(title, blocks)


# Customer feedback -----------------------------------------------------------------------------


def customer_modal(*, private_metadata: str, text: str) -> dict[str, Any]:
    blocks = [
        _input(ids.CF_TEAMMATE, "About which teammate?", {"type": "users_select"}),
        _input(
            ids.CF_KIND,
            "Kind",
            _select(
                [_option(v, k) for k, v in KINDS.items()], CustomerKind.PRAISE, "radio_buttons"
            ),
        ),
        _input(
            ids.CF_RATING,
            "Rating",
            _select([_option("★" * n + f" ({n})", str(n)) for n in range(1, 6)], None),
        ),
        _input(
            ids.CF_SOURCE,
            "Came by",
            _select([_option(v, k) for k, v in SOURCES.items()], None),
        ),
        _input(
            ids.CF_TEXT,
            "What the customer said",
            _text_input(ids.CF_TEXT, text),
            "Trim anything private (names, order numbers) before saving.",
        ),
    ]
    return _modal(ids.CUSTOMER_MODAL, "Log customer feedback", "Save", private_metadata, blocks)


def _stars(rating: int) -> str:
    return "★" * rating + "☆" * (5 - rating)


def customer_dm(row: CustomerFeedback) -> dict[str, Any]:
    if row.kind == CustomerKind.PRAISE:
        text = (
            f":star2: A customer praised you ({SOURCES[row.source].lower()}, {_stars(row.rating)})"
        )
    else:
        text = (
            f":memo: A customer raised a concern about a conversation with you "
            f"({SOURCES[row.source].lower()}, {_stars(row.rating)})"
        )
    blocks = [
        section(text + "."),
        section(quote(_text(row.text, 2000))),
        context(f"Logged by {person(row.logged_by)}. Your counts are in `/feedback inbox`."),
    ]
    return {"channel": row.teammate_id, **message(text, blocks)}


def customer_logged(row: CustomerFeedback, *, told: bool) -> dict[str, Any]:
    """The receipt to whoever logged it; ``told``: a DM to the teammate was queued with it."""
    kind = KINDS[row.kind].lower()
    text = f":inbox_tray: Logged customer {kind} for <@{row.teammate_id}> ({_stars(row.rating)})."
    blocks: list[Block] = [section(text + (" They've been told by DM." if told else ""))]
    if row.kind == CustomerKind.PRAISE:
        blocks.append(
            {
                "type": "actions",
                "block_id": f"customer_{row.id}",
                "elements": [button("Turn into kudos", ids.CUSTOMER_KUDOS, str(row.id), "primary")],
            }
        )
    return {"channel": row.logged_by, **message(text, blocks)}


def praise_reason(row: CustomerFeedback) -> str:
    """The kudos reason for praise turned into kudos (safe mrkdwn)."""
    how = f"{SOURCES[row.source].lower()}, {_stars(row.rating)}"
    return f"a customer's praise ({how}): “{_text(row.text, 600)}”"


def praise_kudos_sent(row: CustomerFeedback) -> str:
    return f":clap: Kudos sent to <@{row.teammate_id}> for the customer's praise."
