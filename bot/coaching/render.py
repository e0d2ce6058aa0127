"""Block Kit for coaching: the request and its answers, the list of pairings, the weekly
digest. Pure functions.

Everything a person typed is escaped (``bot.text.escape``) before it goes into mrkdwn.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from bot.blocks import Block, button, clip, context, header, message, section
from bot.coaching import ids
from bot.coaching.digest import CoacheeWeek
from bot.goals import ids as goal_ids
from bot.goals.render import STATUS_LABEL
from bot.text import escape, person
from storage.models.coaching import CoachPairing, PairingStatus


def _text(value: str, limit: int = 1500) -> str:
    return escape(clip(value, limit))


def asked(coachee_id: str) -> str:
    return (
        f"I asked <@{coachee_id}> if you may coach them. "
        "You'll hear back by DM; nothing is shared until they accept."
    )


def coach_request_dm(pairing: CoachPairing) -> dict[str, Any]:
    pid = str(pairing.id)
    text = (
        f"<@{pairing.coach_id}> would like to coach you. As your coach they would see the goals "
        "you share with your coach, with their check-ins and notes, and get a weekly digest. "
        "Nothing is shared until you accept."
    )
    blocks = [
        section(":handshake: " + text),
        {
            "type": "actions",
            "elements": [
                button("Accept", ids.COACH_ACCEPT, pid, "primary"),
                button("Decline", ids.COACH_DECLINE, pid),
            ],
        },
    ]
    return {
        "channel": pairing.coachee_id,
        **message(f"<@{pairing.coach_id}> would like to coach you", blocks),
    }


def coach_answered(pairing: CoachPairing) -> dict[str, Any]:
    if pairing.status == PairingStatus.ACTIVE:
        text = (
            f"You accepted <@{pairing.coach_id}> as your coach. End it any time with `/coach list`."
        )
    else:
        text = f"You declined <@{pairing.coach_id}>'s offer to coach you. Nothing was shared."
    return message(text, [section(text)])


def coach_told(pairing: CoachPairing) -> dict[str, Any]:
    if pairing.status == PairingStatus.ACTIVE:
        text = f":handshake: <@{pairing.coachee_id}> accepted: you are now their coach."
    elif pairing.status == PairingStatus.DECLINED:
        text = f"<@{pairing.coachee_id}> declined your offer to coach them."
    else:
        text = "Your coaching pairing ended."
    return {"channel": pairing.coach_id, **message(text, [section(text)])}


def pairing_ended(pairing: CoachPairing, ended_by: str, other: str) -> dict[str, Any]:
    text = (
        f"<@{ended_by}> ended the coaching between <@{pairing.coach_id}> (coach) "
        f"and <@{pairing.coachee_id}>."
    )
    return {"channel": other, **message(text, [section(text)])}


def you_ended(pairings: Sequence[CoachPairing]) -> str:
    """``/coach end @someone`` done: what ended (the other side is told by DM)."""
    ended = " ".join(
        f"You ended the coaching between <@{p.coach_id}> (coach) and <@{p.coachee_id}>."
        for p in pairings
    )
    return ended + " I've let them know."


def coach_list(pairings: Sequence[CoachPairing], viewer_id: str) -> dict[str, Any]:
    live = [p for p in pairings if p.status in {PairingStatus.ACTIVE, PairingStatus.PENDING}]
    if not live:
        text = "No coaching yet. Offer to coach someone with `/coach @name`."
        return message(text, [section(text)])
    blocks: list[Block] = [section("*Your coaching*")]
    for p in live:
        if p.coach_id == viewer_id:
            line = f"You coach <@{p.coachee_id}>"
        else:
            line = f"<@{p.coach_id}> coaches you"
        if p.status == PairingStatus.PENDING:
            line += " (waiting for an answer)"
        block = section(line)
        block["accessory"] = button(
            "End" if p.status == PairingStatus.ACTIVE else "Withdraw", ids.COACH_END, str(p.id)
        )
        blocks.append(block)
    return message("Your coaching", blocks)


def practice_line(week: CoacheeWeek) -> str:
    """Practice this week: how many rounds and which skills, never what was written."""
    done = week.practice
    if not done.rounds:
        return ":dart: No practice this week."
    times = "once" if done.rounds == 1 else f"{done.rounds} times"
    return f":dart: Practised {times} this week ({', '.join(done.skills)})."


def coach_digest(coach_id: str, coachees: Sequence[CoacheeWeek], week_of: date) -> dict[str, Any]:
    blocks: list[Block] = [header(f"Your coaching digest, week of {week_of:%d %b}")]
    for c in coachees[:12]:
        # Only "away": the status behind it may say more than a coach should read.
        lines = [f"*<@{c.coachee_id}>*" + (" · away" if c.away else "")]
        if not c.goals:
            lines.append("No goals shared with you yet.")
        for goal in c.goals[:5]:
            recent = c.checkins.get(goal.id or 0, ())
            status = STATUS_LABEL[recent[0].status] if recent else "no check-in this week"
            changed = ""
            if len(recent) > 1 and recent[0].status != recent[-1].status:
                changed = f" (was {STATUS_LABEL[recent[-1].status]})"
            missed = c.missed.get(goal.id or 0, 0)
            miss = f" · missed {missed}" if missed else ""
            lines.append(f"• {_text(goal.what, 120)}: {status}{changed}{miss}")
            if recent and recent[0].progress:
                lines.append(f"   _{_text(recent[0].progress, 200)}_")
        if c.kudos:
            reasons = "; ".join(f"from {person(k.giver_id)}" for k in c.kudos[:3])
            lines.append(f":clap: {len(c.kudos)} kudos this week ({reasons})")
        lines.append(practice_line(c))
        lines += list(c.extra)
        block = section("\n".join(lines))
        block["accessory"] = button("Recognise progress", goal_ids.KUDOS_FOR, c.coachee_id)
        blocks.append(block)
    if len(coachees) > 12:
        blocks.append(context(f"And {len(coachees) - 12} more people you coach."))
    blocks.append(context("Progress noticed is progress repeated: a kudos takes ten seconds."))
    return {"channel": coach_id, **message("Your weekly coaching digest", blocks)}
