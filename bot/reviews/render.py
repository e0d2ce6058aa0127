"""Reviews in Block Kit: the scorecard modal, the agent's DM and its buttons, the reason modal,
the discussion, the notes, and ``/review list``. Pure functions.

Everything a person typed (notes, what went well, the reason) goes through ``bot.text.escape``
before it is shown, so a typed ``<@U…>`` or ``<!channel>`` is text, never a live mention."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.blocks import Block, button, context, header, message, quote, section
from bot.reviews import ids
from bot.reviews.scorecard import OUTCOMES, Scorecard, SkillScore, score_text, scorecard_blocks
from bot.text import escape, person, trim
from storage.models.reviews import Review, ReviewScore, ReviewStatus
from storage.reviews import SkillAverage

View = dict[str, Any]
STATUS_WORDS: dict[str, str] = {
    ReviewStatus.SENT: "waiting to be acknowledged",
    ReviewStatus.ACKNOWLEDGED: "acknowledged",
    ReviewStatus.DISCUSSING: "being discussed",
    ReviewStatus.KEPT: "discussed, scores kept",
    ReviewStatus.CHANGED: "discussed, scores changed",
}


def typed(text: str, limit: int = 1500) -> str:
    """Text a person typed in a form, as safe mrkdwn."""
    return escape(trim(text, limit))


def link(url: str) -> str:
    """A stored link as mrkdwn (it was checked to be http(s) without ``<``, ``>`` or ``|``)."""
    return f"<{escape(url)}|{escape(trim(url, 80))}>"


def skill_name(skill: str) -> str:
    return skill.replace("-", " ").title()


def card_of(review: Review, scores: Sequence[ReviewScore]) -> Scorecard:
    return Scorecard(
        tuple(SkillScore(s.skill, s.score, s.note) for s in scores),
        review.outcome,
        review.went_well,
        review.try_next,
    )


# The scorecard modal ---------------------------------------------------------------------------


def scorecard_modal(
    *,
    skills: Sequence[str],
    agent_id: str,
    url: str,
    private_metadata: str,
    initial: Scorecard | None = None,
    changing: bool = False,
) -> View:
    """Score one of ``agent_id``'s conversations (``changing``: the reviewer's own review,
    prefilled, after a discussion)."""
    what = "Changing your review of" if changing else "Reviewing"
    intro = section(
        f"{what} {person(agent_id)}'s conversation: {link(url)}\n"
        "Only they, you, their coaches and their team's leads will see it."
    )
    return {
        "type": "modal",
        "callback_id": ids.CHANGE_MODAL if changing else ids.REVIEW_MODAL,
        "private_metadata": private_metadata,
        "title": {"type": "plain_text", "text": "Change scores" if changing else "Review"},
        "submit": {"type": "plain_text", "text": "Save" if changing else "Send review"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [intro, *scorecard_blocks(list(skills), initial=initial)],
    }


def discuss_modal(review_id: int, private_metadata: str) -> View:
    return {
        "type": "modal",
        "callback_id": ids.DISCUSS_MODAL,
        "private_metadata": private_metadata,
        "title": {"type": "plain_text", "text": "Discuss a review"},
        "submit": {"type": "plain_text", "text": "Ask to discuss"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            section(
                "What would you like to talk about? Your reviewer (and a lead of your team) "
                "will see this and talk it through with you."
            ),
            {
                "type": "input",
                "block_id": ids.REASON_BLOCK,
                "label": {"type": "plain_text", "text": "Reason"},
                "element": {
                    "type": "plain_text_input",
                    "action_id": "input",
                    "multiline": True,
                    "max_length": ids.MAX_REASON,
                },
            },
        ],
    }


# The agent's DM --------------------------------------------------------------------------------


def score_lines(scores: Sequence[ReviewScore]) -> str:
    lines = []
    for s in scores:
        note = f" — {typed(s.note, 500)}" if s.note else ""
        lines.append(f"• *{skill_name(s.skill)}*: {score_text(s.score)}{note}")
    return "\n".join(lines) or "No skill was scored."


def _summary(review: Review, scores: Sequence[ReviewScore]) -> list[Block]:
    outcome = OUTCOMES.get(review.outcome, review.outcome)
    return [
        section(f"*Conversation*: {link(review.link)}\n*Customer's outcome*: {outcome}"),
        section(trim(score_lines(scores), 2900)),
        section("*What went well*\n" + quote(typed(review.went_well, 2000))),
        section("*One thing to try next*\n" + quote(typed(review.try_next, 1000))),
    ]


def agent_buttons(review: Review) -> list[Block]:
    value = str(review.id)
    row: list[Block] = []
    if review.status == ReviewStatus.SENT:
        row += [
            button("Acknowledge", ids.ACKNOWLEDGE, value, "primary"),
            button("Discuss", ids.DISCUSS, value),
        ]
    if review.goal_id is None:
        row.append(button("Make it a goal", ids.TO_GOAL, value))
    return [{"type": "actions", "elements": row}] if row else []


def review_dm(review: Review, scores: Sequence[ReviewScore], note: str = "") -> dict[str, Any]:
    """The review, to its agent (redrawn in place when they press a button)."""
    title = f"{person(review.reviewer_id)} reviewed one of your conversations"
    blocks = [header("A review of your conversation"), section(title + ".")]
    blocks += _summary(review, scores)
    blocks += agent_buttons(review)
    status = STATUS_WORDS.get(review.status, review.status)
    blocks.append(
        context(
            note
            or f"Private: only you, your reviewer, your coaches and your "
            f"team's leads see it. Status: {status}."
        )
    )
    return {"channel": review.agent_id, **message(title, blocks)}


def reviewer_sent(review: Review) -> dict[str, Any]:
    text = (
        f"Your review of {person(review.agent_id)}'s conversation ({link(review.link)}) was "
        "sent to them. You'll hear when they acknowledge it or ask to discuss it."
    )
    return {"channel": review.reviewer_id, **message(text, [section(text)])}


def acknowledged_note(review: Review) -> dict[str, Any]:
    text = f"{person(review.agent_id)} acknowledged your review of {link(review.link)}."
    return {"channel": review.reviewer_id, **message(text, [section(text)])}


ACKNOWLEDGED = "Acknowledged: your reviewer has been told. Thank you."
DISCUSS_ASKED = "Asked to discuss: your reviewer has been told."
GOAL_LINKED = "This review became one of your goals."


# The discussion --------------------------------------------------------------------------------


def discussion(
    review: Review,
    scores: Sequence[ReviewScore],
    *,
    channel: str,
    lead_id: str | None,
    reviewer_buttons: bool = True,
) -> dict[str, Any]:
    """The conversation about a review (in a group DM, or one person's DM); the reviewer
    records the outcome with its buttons."""
    who = f" with {person(lead_id)}, a lead of the team," if lead_id else ""
    text = (
        f"{person(review.agent_id)} would like to discuss {person(review.reviewer_id)}'s review"
        f"{who} of {link(review.link)}."
    )
    blocks = [
        section(text),
        section("*Their reason*\n" + quote(typed(review.discuss_reason or "", ids.MAX_REASON))),
        section(trim(score_lines(scores), 2900)),
    ]
    if reviewer_buttons:
        value = str(review.id)
        prompt = context(f"When you've talked, {person(review.reviewer_id)} records it:")
        blocks.append({**prompt, "block_id": TALK_PROMPT})
        blocks.append(
            {
                "type": "actions",
                "block_id": TALK_BUTTONS,
                "elements": [
                    button("Keep the scores", ids.KEEP, value),
                    button("Change scores", ids.CHANGE, value),
                ],
            }
        )
    return {"channel": channel, **message(text, blocks)}


TALK_PROMPT = "review_talk_prompt"
TALK_BUTTONS = "review_talk_buttons"


def discussion_settled(posted: dict[str, Any], review: Review) -> dict[str, Any]:
    """A discussion post as it was sent (``posted``: its payload), once the reviewer recorded
    the outcome: the buttons gone, the outcome said."""
    gone = {TALK_PROMPT, TALK_BUTTONS}
    blocks = [b for b in posted.get("blocks") or [] if b.get("block_id") not in gone]
    blocks.append(context(f"Recorded by {person(review.reviewer_id)}: {settled(review)}"))
    return {**posted, "blocks": blocks}


def settled(review: Review) -> str:
    return STATUS_WORDS.get(review.status, review.status).capitalize() + "."


def kept_note(review: Review) -> dict[str, Any]:
    text = (
        f"{person(review.reviewer_id)} kept the scores of their review of {link(review.link)} "
        "after your discussion."
    )
    return {"channel": review.agent_id, **message(text, [section(text)])}


def changed_note(review: Review, changes: Sequence[str]) -> dict[str, Any]:
    text = (
        f"{person(review.reviewer_id)} changed their review of {link(review.link)} after your "
        "discussion:"
    )
    body = "\n".join(f"• {c}" for c in changes) or "• (the notes only)"
    return {"channel": review.agent_id, **message(text, [section(text), section(trim(body, 2900))])}


def change_line(skill: str, before: int | None, after: int | None) -> str:
    return f"*{skill_name(skill)}*: {score_text(before)} → {score_text(after)}"


# /review list ----------------------------------------------------------------------------------


def _row(review: Review, *, mine_given: bool) -> str:
    other = review.agent_id if mine_given else review.reviewer_id
    who = f"of {person(other)}" if mine_given else f"by {person(other)}"
    status = STATUS_WORDS.get(review.status, review.status)
    return f"• {_day(review.created_at)} {who} · {link(review.link)} · {status}"


def _day(at: datetime) -> str:
    return at.strftime("%Y-%m-%d")


def _averages(last30: Sequence[SkillAverage], last90: Sequence[SkillAverage]) -> str:
    month = {a.skill: a for a in last30}
    lines = []
    for a in last90:
        m = month.get(a.skill)
        recent = f"{m.average:.1f} ({m.scores})" if m else "–"
        lines.append(
            f"• *{skill_name(a.skill)}*: 30 days {recent} · 90 days {a.average:.1f} ({a.scores})"
        )
    return "\n".join(lines)


def review_list(
    *,
    subject_id: str,
    viewer_id: str,
    received: Sequence[Review],
    given: Sequence[Review],
    last30: Sequence[SkillAverage],
    last90: Sequence[SkillAverage],
) -> dict[str, Any]:
    """``/review list``: the latest reviews received (and given, for oneself) and each skill's
    average out of ``SCALE``, with how many scores it is over."""
    whose = "Your" if subject_id == viewer_id else f"{person(subject_id)}'s"
    blocks: list[Block] = [header("Reviews")]
    got = "\n".join(_row(r, mine_given=False) for r in received)
    blocks.append(section(f"*{whose} latest reviews received*\n" + (got or "None yet.")))
    if subject_id == viewer_id:
        gave = "\n".join(_row(r, mine_given=True) for r in given)
        blocks.append(section("*Reviews you gave*\n" + (gave or "None yet.")))
    averages = _averages(last30, last90)
    blocks.append(
        section(
            f"*Average per skill (out of {ids.SCALE}, number of scores)*\n"
            + (averages or "No scores in the last 90 days.")
        )
    )
    blocks.append(context("Private: reviews are never shown in a channel or a leaderboard."))
    return message(f"{whose} reviews", blocks)
