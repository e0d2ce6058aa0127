"""A skill profile as Block Kit (pure): the person's lines in their Home tab, and the modal a
coach opens for a coachee who shared it.

Skills are the workspace's values (typed by an admin), escaped. Figures only: one person
against their own past, never a rank or a comparison with anyone else."""

from __future__ import annotations

from typing import Any

from bot.blocks import Block, clip, context, section
from bot.profile import ids
from bot.profile.service import (
    Average,
    Count,
    CustomerSignals,
    Direction,
    LessonSignals,
    Profile,
    Scores,
    SkillSignals,
)
from bot.text import escape

SKILLS_SHOWN = 12
SKILL_CHARS = 40
ARROW = {
    Direction.UP: ":arrow_upper_right: up",
    Direction.DOWN: ":arrow_lower_right: down",
    Direction.STEADY: ":arrow_right: steady",
}
EXPLAINED = (
    "Last 90 days (before: the 90 days before that). A skill goes up or down only when kudos "
    "or review scores changed by more than chance would; feedback, practice and lessons shared "
    "show attention and effort."
)


def _count(label: str, c: Count) -> str:
    return f"{label} {c.recent} (before {c.previous})"


def _mean(a: Average) -> str:
    return "–" if a.mean is None else f"{a.mean:.1f}"


def _scores(label: str, s: Scores, scale: int) -> str:
    if not s.recent.n and not s.previous.n:
        return ""
    return (
        f"{label} {_mean(s.recent)}/{scale} from {s.recent.n} "
        f"(before {_mean(s.previous)} from {s.previous.n})"
    )


def skill_line(s: SkillSignals) -> str:
    parts = [_count("kudos", s.kudos)]
    reviews = _scores("reviews", s.reviews, 4)
    if reviews:
        parts.append(reviews)
    if s.feedback.recent or s.feedback.previous:
        parts.append(_count("feedback", s.feedback))
    if s.practice.recent or s.practice.previous:
        rated = f", {s.practice_ratings.recent} rated" if s.practice_ratings.recent else ""
        parts.append(_count("practice", s.practice) + rated)
    parts += lesson_parts(s.lessons, s.helped)
    name = escape(clip(s.skill, SKILL_CHARS))
    return f"*#{name}* {ARROW[s.direction]} · " + " · ".join(parts)


def lesson_parts(lessons: Count, helped: Count) -> list[str]:
    """Lessons shared and found helpful, each only when there is some (as feedback is)."""
    parts = []
    if lessons.recent or lessons.previous:
        parts.append(_count("lessons shared", lessons))
    if helped.recent or helped.previous:
        parts.append(_count("found helpful", helped))
    return parts


def other_lessons_line(o: LessonSignals) -> str:
    return "*Lessons on other things* · " + " · ".join(lesson_parts(o.lessons, o.helped))


def customer_line(c: CustomerSignals) -> str:
    parts = [_count("praise", c.praise), _count("complaints", c.complaints)]
    rating = _scores("rating", c.rating, 5)
    if rating:
        parts.append(rating)
    return f"*Customers* {ARROW[c.direction]} · " + " · ".join(parts)


def profile_text(profile: Profile) -> str:
    shown = [skill_line(s) for s in profile.skills[:SKILLS_SHOWN]]
    if len(profile.skills) > SKILLS_SHOWN:
        shown.append(f"…and {len(profile.skills) - SKILLS_SHOWN} more skills")
    if not profile.other_lessons.empty:
        shown.append(other_lessons_line(profile.other_lessons))
    if not profile.customer.empty:
        shown.append(customer_line(profile.customer))
    return "\n".join(shown) or "No skills set up in this workspace yet."


def profile_blocks(
    profile: Profile, *, chart_file_id: str | None = None, who_sees: str = ""
) -> list[Block]:
    """The profile's blocks (no header: the home and the modal put their own above)."""
    if profile.empty:
        nothing = section(
            "Nothing in the last 180 days yet: kudos tagged with a value, feedback, "
            "reviews, practice and lessons shared will show here."
        )
        return [nothing, context(who_sees)] if who_sees else [nothing]
    blocks = [section(profile_text(profile))]
    if chart_file_id:
        blocks.append(
            {
                "type": "image",
                "slack_file": {"id": chart_file_id},
                "alt_text": "Kudos received per skill, the last 90 days and the 90 before",
            }
        )
    blocks.append(context(EXPLAINED + (f" {who_sees}" if who_sees else "")))
    return blocks


def coach_modal(profile: Profile) -> dict[str, Any]:
    """A coach's view of a coachee's profile (only built once the use case allowed it)."""
    intro = section(
        f"<@{profile.user_id}>'s skill profile, shared with their coaches. "
        "Use it to prepare a one-on-one; it is theirs, so please don't pass it on."
    )
    return {
        "type": "modal",
        "callback_id": ids.MODAL,
        "title": {"type": "plain_text", "text": "Skill profile"},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": [intro, *profile_blocks(profile)],
    }
