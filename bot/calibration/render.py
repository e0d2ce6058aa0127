"""The words and Block Kit of calibration (pure functions). Before a round's reveal nothing here
shows a score: the invitation, its edit and the scorecard carry none; the spread is drawn only
from a revealed round."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.blocks import Block, button, context, header, message, section
from bot.calibration import ids
from bot.calibration.results import Opened, RoundView
from bot.calibration.spread import SkillSpread, Spread, skills_of
from bot.reviews.ids import SCALE
from bot.reviews.scorecard import Scorecard, score_text, scorecard_blocks
from bot.text import person
from storage.models.reviews import Calibration, CalibrationStatus

SECTION_ROOM = 2900  # lines per section, under Slack's 3000


def when(at: datetime) -> str:
    """A moment each reader sees in their own time zone."""
    stamp = int(at.timestamp())
    return f"<!date^{stamp}^{{date_short_pretty}} at {{time}}|{at:%Y-%m-%d %H:%M} UTC>"


def link(row: Calibration) -> str:
    return f"<{row.link}>"


def names(user_ids: Sequence[str]) -> str:
    people = [person(u) for u in user_ids]
    if len(people) <= 2:
        return " and ".join(people)
    return ", ".join(people[:-1]) + " and " + people[-1]


def percent(share: float | None) -> str:
    return "n/a" if share is None else f"{round(share * 100)}%"


def _sections(lines: Sequence[str]) -> list[Block]:
    """Lines packed into as few sections as fit."""
    blocks: list[Block] = []
    chunk = ""
    for line in lines:
        if chunk and len(chunk) + len(line) + 1 > SECTION_ROOM:
            blocks.append(section(chunk))
            chunk = ""
        chunk = f"{chunk}\n{line}" if chunk else line
    if chunk:
        blocks.append(section(chunk))
    return blocks


def _skill_name(skill: str) -> str:
    return skill.replace("-", " ").title()


# Opening a round -------------------------------------------------------------------------------


def receipt(opened: Opened) -> str:
    row = opened.round
    return (
        f"Calibration round #{row.id} is open: I asked {names(opened.reviewer_ids)} to score "
        f"{link(row)} blind, each without seeing the others. Everyone invited and you see the "
        f"spread once all have scored, or {when(row.deadline_at)} at the latest."
    )


def invite_dm(row: Calibration, reviewer_id: str) -> dict[str, Any]:
    about = f" (a conversation of {person(row.agent_id)})" if row.agent_id else ""
    text = (
        f"{person(row.lead_id)} asks you to score {link(row)}{about} for calibration round "
        f"#{row.id}. Score it on your own: nobody sees anyone's scores until everyone has "
        f"scored, or {when(row.deadline_at)}."
    )
    blocks = [
        section(text),
        {"type": "actions", "elements": [button("Score it", ids.SCORE, str(row.id), "primary")]},
    ]
    return {"channel": reviewer_id, **message(text, blocks)}


def invite_scored(row: Calibration) -> dict[str, Any]:
    text = (
        f"Thanks: your scores for calibration round #{row.id} ({link(row)}) are in. You'll see "
        f"everyone's once all have scored, or {when(row.deadline_at)}."
    )
    return message(text, [section(text)])


def invite_closed(row: Calibration) -> dict[str, Any]:
    text = f"Calibration round #{row.id} ({link(row)}) was revealed; it takes no more scores."
    return message(text, [section(text)])


def invite_cancelled(row: Calibration) -> dict[str, Any]:
    text = (
        f"Calibration round #{row.id} ({link(row)}) was cancelled by "
        f"{person(row.lead_id)}, who opened it; it takes no more scores and won't be revealed."
    )
    return message(text, [section(text)])


def cancel_receipt(row: Calibration) -> str:
    return (
        f"Calibration round #{row.id} ({link(row)}) is cancelled. Its reviewers' invitations say "
        "so, and nobody will see the scores given so far."
    )


def score_modal(row: Calibration) -> dict[str, Any]:
    intro = (
        f"Round #{row.id}: {link(row)}\nScore each skill from 1 to {SCALE} (or not applicable). "
        "Nobody sees your scores until the reveal, and you score once."
    )
    return {
        "type": "modal",
        "callback_id": ids.SCORE_MODAL,
        "private_metadata": str(row.id),
        "title": {"type": "plain_text", "text": "Calibration"},
        "submit": {"type": "plain_text", "text": "Submit scores"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [section(intro), *scorecard_blocks(skills_of(row), with_summary=False)],
    }


# The reveal ------------------------------------------------------------------------------------


def _score(score: int | None) -> str:
    return "n/a" if score is None else str(score)


def skill_line(s: SkillSpread) -> str:
    given = " · ".join(f"{person(r)} {_score(score)}" for r, score in s.given) or "no scores"
    if s.low is None:
        spread = "nobody scored it"
    else:
        spread = f"{s.low}-{s.high}" + (" :warning: more than a point apart" if s.apart else "")
    agreed = f"\n      agreed: *{score_text(s.agreed)}*" if s.agreed is not None else ""
    return f"*{_skill_name(s.skill)}*: {spread}\n      {given}{agreed}"


def agreement_line(spread: Spread) -> str:
    counted = [s for s in spread.skills if len(s.numbers) >= 2]
    close = sum(not s.apart for s in counted)
    if spread.agreement is None:
        return "*Agreement*: n/a (no skill was scored by two reviewers or more)"
    return (
        f"*Agreement*: {percent(spread.agreement)} ({close} of {len(counted)} skills with "
        "everyone within one point)"
    )


def spread_blocks(spread: Spread) -> list[Block]:
    row = spread.round
    blocks: list[Block] = [
        header(f"Calibration round #{row.id}: the scores"),
        section(f"{link(row)}, opened by {person(row.lead_id)}\n{agreement_line(spread)}"),
        *_sections([skill_line(s) for s in spread.skills]),
    ]
    if spread.missing:
        blocks.append(context(f"Did not score by the deadline: {names(spread.missing)}"))
    return blocks


def reveal_dm(spread: Spread, user_id: str) -> dict[str, Any]:
    row = spread.round
    text = f"Calibration round #{row.id} is revealed: agreement {percent(spread.agreement)}."
    blocks = spread_blocks(spread)
    if user_id == row.lead_id:
        agree = button("Record the agreed score", ids.AGREE, str(row.id), "primary")
        blocks.append({"type": "actions", "elements": [agree]})
    return {"channel": user_id, **message(text, blocks)}


def agree_modal(spread: Spread, initial: Scorecard) -> dict[str, Any]:
    row = spread.round
    intro = (
        f"Round #{row.id}: {link(row)} · {agreement_line(spread)}\n"
        "Each skill starts at the reviewers' median. Everyone invited is told what you record."
    )
    return {
        "type": "modal",
        "callback_id": ids.AGREE_MODAL,
        "private_metadata": str(row.id),
        "title": {"type": "plain_text", "text": "Agreed score"},
        "submit": {"type": "plain_text", "text": "Record"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            section(intro),
            *scorecard_blocks(skills_of(row), initial=initial, with_summary=False),
        ],
    }


def agreed_dm(spread: Spread, user_id: str) -> dict[str, Any]:
    row = spread.round
    text = f"{person(row.lead_id)} recorded the agreed score of calibration round #{row.id}."
    lines = [f"*{_skill_name(s.skill)}*: {score_text(s.agreed)}" for s in spread.skills]
    blocks = [section(f"{text}\n{link(row)}"), *_sections(lines)]
    return {"channel": user_id, **message(text, blocks)}


# Seeing a round, and agreement over time -------------------------------------------------------


def round_view(view: RoundView) -> dict[str, Any]:
    row = view.round
    if view.spread is not None:
        blocks = spread_blocks(view.spread)
        return {"response_type": "ephemeral", **message(f"Calibration round #{row.id}", blocks)}
    waiting = f" Still to score: {names(view.waiting)}." if view.waiting else ""
    text = (
        f"Calibration round #{row.id} ({link(row)}) is open: {len(view.scored)} of "
        f"{len(view.scored) + len(view.waiting)} have scored.{waiting} The scores stay hidden "
        f"until everyone has scored, or {when(row.deadline_at)}."
    )
    return {"response_type": "ephemeral", **message(text, [section(text)])}


STATUS: dict[str, str] = {
    CalibrationStatus.OPEN: "open",
    CalibrationStatus.REVEALED: "revealed",
    CalibrationStatus.AGREED: "agreed",
    CalibrationStatus.CANCELLED: "cancelled",
}


def trend(rounds: Sequence[Calibration]) -> str:
    """Newer rounds' average agreement against older ones' (rounds newest first)."""
    shares = [r.agreement for r in rounds if r.agreement is not None]
    if len(shares) < 2:
        return "Not enough revealed rounds for a trend yet."
    half = len(shares) // 2
    newer, older = shares[:half], shares[half:]
    now_avg, before = sum(newer) / len(newer), sum(older) / len(older)
    word = (
        "improving"
        if now_avg - before > 0.05
        else "slipping"
        if before - now_avg > 0.05
        else "steady"
    )
    return (
        f"Trend: *{word}*: {percent(now_avg)} on average over the newest {len(newer)} "
        f"revealed rounds, {percent(before)} over the {len(older)} before."
    )


def history_blocks(rounds: Sequence[Calibration]) -> dict[str, Any]:
    if not rounds:
        text = (
            "You haven't run a calibration round yet. Start one with "
            "`/review calibrate <link> @ben @cy @dee`."
        )
        return {"response_type": "ephemeral", **message(text, [section(text)])}
    lines = [
        f"#{r.id} · {r.created_at:%Y-%m-%d} · {link(r)} · {STATUS.get(r.status, r.status)}"
        f" · agreement {percent(r.agreement)}"
        for r in rounds
    ]
    title = "Agreement in your calibration rounds, newest first"
    blocks = [section(f"*{title}*"), *_sections(lines), context(trend(rounds))]
    return {"response_type": "ephemeral", **message(title, blocks)}


HELP = (
    "*Calibration* (team leads and admins)\n"
    "`/review calibrate <link> @ben @cy @dee [for @ana] [by friday]`: 2 to 10 reviewers score "
    "the same conversation blind; all of them and you see the spread when everyone has scored "
    "or at the deadline (`by friday`, `by 2026-12-10`, `in 2 days`; 3 days when none is given).\n"
    "`/review calibrate show 12`: a round you opened or were invited to.\n"
    "`/review calibrate cancel 12`: call off an open round you opened.\n"
    "`/review calibrate history`: agreement over your rounds, newest first."
)
