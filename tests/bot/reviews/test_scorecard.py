"""The scorecard's blocks and reading a submission back (shared by reviews and calibration)."""

from __future__ import annotations

from typing import Any

from bot.reviews import scorecard as sc

SKILLS = ("empathy", "active-listening", "problem-solving")


def _values(scores: dict[str, str | None], **summary: str | None) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for skill, picked in scores.items():
        option = {"value": picked} if picked is not None else None
        values[sc.score_block(skill)] = {sc.INPUT: {"selected_option": option}}
        values[sc.note_block(skill)] = {sc.INPUT: {"value": f"note on {skill}"}}
    outcome = summary.get("outcome", "resolved")
    values[sc.OUTCOME_BLOCK] = {sc.INPUT: {"selected_option": outcome and {"value": outcome}}}
    values[sc.WENT_WELL_BLOCK] = {sc.INPUT: {"value": summary.get("went_well", "Calm tone")}}
    values[sc.TRY_NEXT_BLOCK] = {sc.INPUT: {"value": summary.get("try_next", "Summarise")}}
    return values


def test_blocks_ask_each_skill_then_the_summary_and_fit_a_modal() -> None:
    blocks = sc.scorecard_blocks(SKILLS)
    ids = [b["block_id"] for b in blocks]
    assert ids[:2] == [sc.score_block("empathy"), sc.note_block("empathy")]
    assert ids[-3:] == [sc.OUTCOME_BLOCK, sc.WENT_WELL_BLOCK, sc.TRY_NEXT_BLOCK]
    options = [o["value"] for o in blocks[0]["element"]["options"]]
    assert options == ["4", "3", "2", "1", sc.NOT_APPLICABLE]
    fifty = tuple(f"skill-{n}" for n in range(50))
    assert len(sc.scorecard_blocks(fifty)) + 1 <= 100


def test_a_full_card_reads_back_with_not_applicable_as_none() -> None:
    card, errors = sc.read_scorecard(
        _values({"empathy": "4", "active-listening": "na", "problem-solving": "2"}), SKILLS
    )
    assert errors == {}
    assert card is not None
    assert [(s.skill, s.score) for s in card.scores] == [
        ("empathy", 4),
        ("active-listening", None),
        ("problem-solving", 2),
    ]
    assert card.outcome == "resolved" and card.went_well == "Calm tone"
    again = sc.scorecard_blocks(SKILLS, initial=card)
    assert again[0]["element"]["initial_option"]["value"] == "4"
    assert again[2]["element"]["initial_option"]["value"] == sc.NOT_APPLICABLE


def test_forged_missing_or_out_of_range_scores_are_errors_on_their_block() -> None:
    card, errors = sc.read_scorecard(
        _values({"empathy": "9", "active-listening": None, "problem-solving": "0"}), SKILLS
    )
    assert card is None
    assert set(errors) == {sc.score_block(s) for s in SKILLS}


def test_all_not_applicable_empty_summary_and_long_text_are_refused() -> None:
    _, errors = sc.read_scorecard(
        _values(
            dict.fromkeys(SKILLS, "na"), outcome="delighted", went_well="", try_next="x" * 1001
        ),
        SKILLS,
    )
    assert sc.score_block("empathy") in errors
    assert set(errors) >= {sc.OUTCOME_BLOCK, sc.WENT_WELL_BLOCK, sc.TRY_NEXT_BLOCK}


def test_agreement_is_the_share_of_skills_all_within_one_point() -> None:
    def card(*scores: int | None) -> sc.Scorecard:
        return sc.Scorecard(tuple(sc.SkillScore(s, v) for s, v in zip(SKILLS, scores, strict=True)))

    # empathy 4/3 agree, listening 1/4 do not, problem-solving scored once: left out
    assert sc.agreement([card(4, 1, None), card(3, 4, 2)], SKILLS) == 0.5
    assert sc.agreement([card(4, None, None)], SKILLS) is None
