"""The scorecard: each skill scored 1..SCALE or "not applicable", with a note, plus the customer's
outcome, what went well and one thing to try next. Shared by reviews and calibration rounds:
the modal's blocks, and reading a submission back with an error per block. Pure functions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.blocks import Block, clip
from bot.reviews.ids import SCALE
from storage.models.reviews import ReviewOutcome

INPUT = "input"  # the action_id of every input element in a scorecard
NOT_APPLICABLE = "na"
SCORE_LABELS: dict[int, str] = {1: "Needs work", 2: "Developing", 3: "Good", 4: "Excellent"}
OUTCOMES: dict[str, str] = {
    ReviewOutcome.RESOLVED: "Resolved",
    ReviewOutcome.PARTLY: "Partly resolved",
    ReviewOutcome.UNRESOLVED: "Not resolved",
    ReviewOutcome.ESCALATED: "Escalated",
}
OUTCOME_BLOCK = "sc_outcome"
WENT_WELL_BLOCK = "sc_went_well"
TRY_NEXT_BLOCK = "sc_try_next"
MAX_NOTE = 500
MAX_WENT_WELL = 2000
MAX_TRY_NEXT = 1000
# A modal holds at most 100 blocks: two per skill, the summary's three and a line about the
# conversation leave room for 46 skills (a workspace may name up to 50 values).
MAX_SKILLS = 46

assert set(SCORE_LABELS) == set(range(1, SCALE + 1))


@dataclass(frozen=True)
class SkillScore:
    skill: str
    score: int | None  # None: not applicable
    note: str = ""


@dataclass(frozen=True)
class Scorecard:
    scores: tuple[SkillScore, ...]
    outcome: str = ""
    went_well: str = ""
    try_next: str = ""

    def score_of(self, skill: str) -> int | None:
        return next((s.score for s in self.scores if s.skill == skill), None)


def score_block(skill: str) -> str:
    return f"sc_score:{skill}"


def note_block(skill: str) -> str:
    return f"sc_note:{skill}"


def scored_skills(skills: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The skills a scorecard asks about: the workspace's, in order, at most ``MAX_SKILLS``."""
    return tuple(dict.fromkeys(skills))[:MAX_SKILLS]


def score_text(score: int | None) -> str:
    """ "3/4 Good", or "n/a"."""
    return "n/a" if score is None else f"{score}/{SCALE} {SCORE_LABELS.get(score, '')}".strip()


def _option(text: str, value: str) -> Block:
    return {"text": {"type": "plain_text", "text": clip(text, 75)}, "value": value}


def _score_options() -> list[Block]:
    options = [_option(score_text(n), str(n)) for n in sorted(SCORE_LABELS, reverse=True)]
    return [*options, _option("Not applicable", NOT_APPLICABLE)]


def _text_input(
    block: str, label: str, *, limit: int, optional: bool, initial: str, multiline: bool
) -> Block:
    element: Block = {
        "type": "plain_text_input",
        "action_id": INPUT,
        "multiline": multiline,
        "max_length": limit,
    }
    if initial:
        element["initial_value"] = initial[:limit]
    return {
        "type": "input",
        "block_id": block,
        "optional": optional,
        "label": {"type": "plain_text", "text": clip(label, 2000)},
        "element": element,
    }


def scorecard_blocks(
    skills: tuple[str, ...] | list[str],
    *,
    initial: Scorecard | None = None,
    with_summary: bool = True,
) -> list[Block]:
    """Input blocks: per skill a score (required: a score or "not applicable") and an optional
    note; with ``with_summary``, the outcome for the customer, what went well and one thing to
    try next. ``initial`` fills them in (a reviewer changing a review)."""
    blocks: list[Block] = []
    options = _score_options()
    for skill in scored_skills(skills):
        select: Block = {
            "type": "static_select",
            "action_id": INPUT,
            "placeholder": {"type": "plain_text", "text": "Score"},
            "options": options,
        }
        if initial is not None and any(s.skill == skill for s in initial.scores):
            score = initial.score_of(skill)
            value = NOT_APPLICABLE if score is None else str(score)
            select["initial_option"] = next(o for o in options if o["value"] == value)
        blocks.append(
            {
                "type": "input",
                "block_id": score_block(skill),
                "label": {
                    "type": "plain_text",
                    "text": clip(skill.replace("-", " ").title(), 2000),
                },
                "element": select,
            }
        )
        note = next((s.note for s in initial.scores if s.skill == skill), "") if initial else ""
        blocks.append(
            _text_input(
                note_block(skill),
                f"Note on {skill} (optional)",
                limit=MAX_NOTE,
                optional=True,
                initial=note,
                multiline=False,
            )
        )
    return [*blocks, *_summary_blocks(initial)] if with_summary else blocks


def _summary_blocks(initial: Scorecard | None) -> list[Block]:
    """The outcome for the customer, what went well and one thing to try next."""
    blocks: list[Block] = []
    outcome: Block = {
        "type": "static_select",
        "action_id": INPUT,
        "placeholder": {"type": "plain_text", "text": "Outcome"},
        "options": [_option(label, value) for value, label in OUTCOMES.items()],
    }
    if initial is not None and initial.outcome in OUTCOMES:
        outcome["initial_option"] = _option(OUTCOMES[initial.outcome], initial.outcome)
    blocks.append(
        {
            "type": "input",
            "block_id": OUTCOME_BLOCK,
            "label": {"type": "plain_text", "text": "The customer's outcome"},
            "element": outcome,
        }
    )
    blocks.append(
        _text_input(
            WENT_WELL_BLOCK,
            "What went well",
            limit=MAX_WENT_WELL,
            optional=False,
            initial=initial.went_well if initial else "",
            multiline=True,
        )
    )
    blocks.append(
        _text_input(
            TRY_NEXT_BLOCK,
            "One thing to try next",
            limit=MAX_TRY_NEXT,
            optional=False,
            initial=initial.try_next if initial else "",
            multiline=True,
        )
    )
    return blocks


def _state(values: dict[str, Any], block: str) -> dict[str, Any]:
    found = (values.get(block) or {}).get(INPUT)
    return found if isinstance(found, dict) else {}


def _text(values: dict[str, Any], block: str) -> str:
    value = _state(values, block).get("value")
    return value.strip() if isinstance(value, str) else ""


def read_scorecard(
    values: dict[str, Any],
    skills: tuple[str, ...] | list[str],
    *,
    with_summary: bool = True,
) -> tuple[Scorecard | None, dict[str, str]]:
    """A submitted scorecard (``view["state"]["values"]``) and the errors per block. Nothing
    is trusted: a missing or forged score, an all "not applicable" card, a text over its limit
    or an unknown outcome is an error on its own block (the card is None when there is any)."""
    errors: dict[str, str] = {}
    scores: list[SkillScore] = []
    for skill in scored_skills(skills):
        picked = (_state(values, score_block(skill)).get("selected_option") or {}).get("value")
        note = _text(values, note_block(skill))
        if len(note) > MAX_NOTE:
            errors[note_block(skill)] = f"Please keep this note under {MAX_NOTE} characters."
        if picked == NOT_APPLICABLE:
            scores.append(SkillScore(skill, None, note))
        elif isinstance(picked, str) and picked.isdigit() and int(picked) in SCORE_LABELS:
            scores.append(SkillScore(skill, int(picked), note))
        else:
            errors[score_block(skill)] = f"Pick a score from 1 to {SCALE}, or Not applicable."
    if (
        scores
        and len(scores) == len(scored_skills(skills))
        and all(s.score is None for s in scores)
    ):
        first = score_block(scores[0].skill)
        errors.setdefault(first, "Score at least one skill (not every one can be not applicable).")
    outcome = went_well = try_next = ""
    if with_summary:
        outcome = str((_state(values, OUTCOME_BLOCK).get("selected_option") or {}).get("value"))
        if outcome not in OUTCOMES:
            errors[OUTCOME_BLOCK] = "What was the outcome for the customer?"
        went_well, try_next = _text(values, WENT_WELL_BLOCK), _text(values, TRY_NEXT_BLOCK)
        for block, text, limit, ask in (
            (WENT_WELL_BLOCK, went_well, MAX_WENT_WELL, "What went well?"),
            (TRY_NEXT_BLOCK, try_next, MAX_TRY_NEXT, "What is one thing to try next?"),
        ):
            if not text:
                errors[block] = ask
            elif len(text) > limit:
                errors[block] = f"Please keep this under {limit} characters."
    if errors:
        return None, errors
    return Scorecard(tuple(scores), outcome, went_well, try_next), {}


def agreement(cards: list[Scorecard], skills: tuple[str, ...] | list[str]) -> float | None:
    """The share of skills on which every reviewer who scored it is within one point of every
    other (skills nobody or only one reviewer scored are left out); None when none counts."""
    counted = agreed = 0
    for skill in scored_skills(skills):
        given = [s for c in cards if (s := c.score_of(skill)) is not None]
        if len(given) < 2:
            continue
        counted += 1
        agreed += max(given) - min(given) <= 1
    return agreed / counted if counted else None
