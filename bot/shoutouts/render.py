"""Block Kit for weekly shout-outs, the fairness note and the ``/bravo`` shout-out replies.

Pure functions. A weekly post stays within Slack's limits however busy the week: a fixed set of
blocks (never one per kudos), each section clipped under 3,000 characters, long lists cut with
"and N more", and the full list one command away (``/bravo shoutouts list``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.blocks import Block, context, header, message, quote, section
from bot.cadence import WEEKDAYS
from bot.celebrations.service import milestone_words
from bot.shoutouts.week import REASON_CHARS, Moment, Week
from bot.suggestions.service import DoneSuggestion
from bot.text import escape, person, said, trim
from storage.models import ShoutoutChannel
from storage.shoutouts import WeekLesson

MAX_NAMES = 25
LIST_LINES_PER_SECTION = 12
MAX_LIST_SECTIONS = 47  # with the title and the "more" note: 49 blocks
FULL_LIST = "`/bravo shoutouts list`"
SECTION_CHARS = 2900  # Slack's limit is 3,000; room for "…and N more"
DONE_CHARS = 300  # each side of a "you said, we did" item
LESSON_CHARS = 400  # the lesson of the week, as its author wrote it
SKILL_CHARS = 40


def clip_mrkdwn(text: str, limit: int) -> str:
    """Clip safe mrkdwn without cutting a mention or link (``<...>``) or an entity in half."""
    if len(text) <= limit:
        return text
    cut = trim(text, limit).removesuffix("…")  # at a word boundary
    if cut.rfind("<") > cut.rfind(">"):
        cut = cut[: cut.rfind("<")]
    if cut.rfind("&") > cut.rfind(";"):
        cut = cut[: cut.rfind("&")]
    return cut.rstrip() + "…"


def names(user_ids: tuple[str, ...] | list[str], limit: int = MAX_NAMES) -> str:
    shown = [f"<@{u}>" for u in user_ids[:limit]]
    more = len(user_ids) - len(shown)
    if more > 0:
        return ", ".join(shown) + f" and {more} more"
    if len(shown) <= 2:
        return " and ".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def schedule_text(cfg: ShoutoutChannel) -> str:
    return f"{WEEKDAYS[cfg.weekday]}s at {cfg.minute // 60:02d}:{cfg.minute % 60:02d} ({cfg.tz})"


def reason_text(reason: str, limit: int) -> str:
    """A stored reason, made safe again (idempotent on safe text: a ``<!channel>`` that got in
    some other way pings nobody), clipped without breaking a mention."""
    return clip_mrkdwn(said(reason), limit)


def _moment(m: Moment) -> str:
    tags = " ".join(f"`#{v}`" for v in m.values)
    who = f"<@{m.giver_id}> → {names(m.recipient_ids, 8)}"
    return f"{who}{'  ' + tags if tags else ''}\n{quote(reason_text(m.reason, REASON_CHARS))}"


def packed(title: str, lines: list[str], limit: int = SECTION_CHARS) -> str:
    """A section's text: ``title`` and as many whole lines as fit in ``limit``, then how many
    more there are (each line is already clipped, so at least one always fits)."""
    text = title
    for n, line in enumerate(lines):
        rest = f"\n…and {len(lines) - n} more"
        if len(text) + 1 + len(line) + len(rest) > limit:
            return text + rest
        text += "\n" + line
    return text


def _done(item: DoneSuggestion) -> str:
    """One suggestion and what was done about it; nobody is named (a suggestion has no author)."""
    did = reason_text(item.what_we_did, DONE_CHARS) or "Done."
    return f"• {reason_text(item.suggestion, DONE_CHARS)}\n   :white_check_mark: {did}"


def lesson_text(lesson: WeekLesson) -> str:
    """The lesson of the week: what was learned (mention-safe, clipped), who learned it, its
    skill, and how many it helped this week."""
    skill = f"  `#{escape(trim(lesson.skill, SKILL_CHARS))}`" if lesson.skill else ""
    people = "person" if lesson.helped == 1 else "people"
    text = reason_text(trim(lesson.learned, 4 * LESSON_CHARS), LESSON_CHARS) or "…"
    return (
        f":bulb: *Lesson of the week*, from {person(lesson.author_id)}{skill}\n{quote(text)}\n"
        f"It helped {lesson.helped} {people} this week. Share yours with `/learned`."
    )


def _period(week: Week) -> str:
    first = week.per_day[0][0]
    last = week.per_day[-1][0]
    return f"{first:%b} {first.day} – {last:%b} {last.day}"


def weekly_post(week: Week) -> dict[str, Any]:
    """The weekly shout-out for a team channel (or a friendly nudge after a quiet week)."""
    if week.quiet:
        return quiet_post(week)
    people = len(week.recognised)
    summary = (
        f"{week.kudos} kudos this week{week.counted_note}: "
        f"{people} {'person' if people == 1 else 'people'} "
        f"recognised by {week.givers} {'teammate' if week.givers == 1 else 'teammates'}."
    )
    blocks: list[Block] = [
        header(f":star2: This week in the team ({_period(week)})"),
        section(f"*{summary}*" if week.kudos else "*No kudos this week, but plenty to cheer.*"),
    ]
    if week.best:
        blocks.append(section("*Moments worth repeating*"))
        blocks += [section(_moment(m)) for m in week.best]
    facts: list[str] = []
    if week.values:
        top = ", ".join(f"`#{v}` ({n})" for v, n in week.values[:3])
        facts.append(f":bar_chart: *Values recognised most:* {top}")
    again = [u for u in week.recognised if u not in week.first_timers]  # each person once
    if again:
        facts.append(f":raised_hands: *Recognised:* {names(again)}")
    if week.first_timers:
        facts.append(f":seedling: *First kudos ever:* {names(list(week.first_timers))}")
    if facts:
        blocks.append(section("\n".join(facts)))
    if week.milestones:
        lines = [milestone_words(r) for r in week.milestones[:MAX_NAMES]]
        if len(week.milestones) > MAX_NAMES:
            lines.append(f"…and {len(week.milestones) - MAX_NAMES} more")
        blocks.append(section("*Milestones*\n" + "\n".join(lines)))
    if week.goals:
        lines = [f":trophy: <@{g.owner_id}>: *{escape(trim(g.what, 200))}*" for g in week.goals]
        shown = lines[:10] + ([f"…and {len(lines) - 10} more"] if len(lines) > 10 else [])
        blocks.append(section("*Goals completed*\n" + "\n".join(shown)))
    if week.done:
        title = ":speech_balloon: *You said, we did* (from the anonymous suggestion box)"
        blocks.append(section(packed(title, [_done(d) for d in week.done])))
    if week.lesson is not None:
        blocks.append(section(lesson_text(week.lesson)))
    more = len(week.moments) - len(week.best)
    tail = f"{more} more {'moment' if more == 1 else 'moments'} this week. " if more > 0 else ""
    blocks.append(context(f"{tail}See them all with {FULL_LIST}; recognise someone with `/kudos`."))
    text = f"This week in the team: {summary}"
    return {"channel": week.channel_id, "unfurl_links": False, **message(text, blocks)}


def quiet_post(week: Week) -> dict[str, Any]:
    text = (
        "A quiet week for kudos here. Who made your week easier? Tell them: "
        "`/kudos @name for ...` takes ten seconds and makes someone's day."
    )
    blocks = [section(":seedling: " + text)]
    return {"channel": week.channel_id, "unfurl_links": False, **message(text, blocks)}


def chart_alt_text(week: Week) -> str:
    if week.values:
        parts = ", ".join(f"#{v}: {n}" for v, n in week.values[:8])
        return f"Kudos per value this week: {parts}"
    parts = ", ".join(f"{d:%a} {d.day}: {n}" for d, n in week.per_day)
    return f"Kudos per day this week: {parts}"


def preview(week: Week, cfg: ShoutoutChannel, next_at: datetime) -> dict[str, Any]:
    post = weekly_post(week)
    note = (
        f":eyes: Preview (only you see this): <#{cfg.channel_id}> gets it "
        f"{when_text(next_at, cfg.tz)}, with a chart when Bravo may upload files."
    )
    return {
        "response_type": "ephemeral",
        "text": post["text"],
        "blocks": [context(note), *post["blocks"]][:50],
    }


def week_list(week: Week) -> dict[str, Any]:
    """Every moment of the last seven days, several to a section, within 50 blocks."""
    if not week.moments:
        text = "No kudos among this channel's members in the last seven days yet."
        return {"response_type": "ephemeral", **message(text, [section(text)])}
    blocks: list[Block] = [section(f"*All {week.kudos} kudos, {_period(week)}*{week.counted_note}")]
    lines = [
        f"• <@{m.giver_id}> → {names(m.recipient_ids, 8)}: {reason_text(m.reason, 200)}"
        for m in week.moments
    ]
    sections: list[list[str]] = []
    for line in lines:
        last = sections[-1] if sections else []
        if last and len(last) < LIST_LINES_PER_SECTION and len("\n".join([*last, line])) <= 2900:
            last.append(line)
        elif len(sections) < MAX_LIST_SECTIONS:
            sections.append([line])
        else:
            break
    blocks += [section("\n".join(part)) for part in sections]
    shown = sum(len(part) for part in sections)
    if shown < len(lines):
        blocks.append(context(f"…and {len(lines) - shown} more (Slack shows 50 blocks at most)."))
    return {"response_type": "ephemeral", **message("This week's kudos", blocks)}


def fairness_note(*, lead_id: str, channel_id: str, quiet: list[str], weeks: int) -> dict[str, Any]:
    """Private to the lead (a DM): who in the team nobody recognised for a while."""
    if quiet:
        text = (
            f"Just for you: in <#{channel_id}>, nobody has recognised {names(quiet, 40)} in the "
            f"last {weeks} weeks. Good work often goes unseen; is there something of theirs "
            "worth a kudos?"
        )
    else:
        text = (
            f"Just for you: everyone in <#{channel_id}> was recognised in the last {weeks} "
            "weeks. Nice spread!"
        )
    blocks = [section(":mag: " + text), context("Only you get this note. `/bravo fairness off`")]
    return {"channel": lead_id, **message("Your weekly recognition check", blocks)}


def stopped_dm(*, user_id: str, channel_id: str) -> dict[str, Any]:
    text = (
        f"Weekly shout-outs for <#{channel_id}> have stopped: the channel was archived, or I "
        "was removed from it. To start again, invite me and type `/bravo shoutouts on` there."
    )
    return {"channel": user_id, **message("Weekly shout-outs stopped", [section(text)])}


# Replies to /bravo ------------------------------------------------------------------------------


def when_text(at_local: datetime, tz: str) -> str:
    return f"on {at_local:%a} {at_local.day} {at_local:%b} at {at_local:%H:%M} ({tz})"


def turned_on(cfg: ShoutoutChannel, first: datetime, members: int) -> str:
    return (
        f":star2: Weekly shout-outs are on for <#{cfg.channel_id}>: {schedule_text(cfg)}, first "
        f"{when_text(first, cfg.tz)}. The team is the channel's {members} members. "
        "`/bravo shoutouts preview` shows the post so far; `/bravo shoutouts off` stops it."
    )


TURNED_OFF = "Weekly shout-outs are off for this channel. `/bravo shoutouts on` any time."


def lead_named(*, user_id: str, channel_id: str) -> str:
    return f"<@{user_id}> is a team lead for <#{channel_id}>."


def fairness_set(on: bool) -> str:
    if on:
        return (
            ":mag: Fairness note on. With each weekly shout-out you get a private DM listing "
            "members nobody has recognised for four weeks. It is never posted in the channel."
        )
    return "Fairness note off."
