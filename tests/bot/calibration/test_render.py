"""The spread, the agreed score and the forms within Slack's limits at their largest (46 skills,
10 reviewers), the median, the trend, and nothing of a score before the reveal."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from bot.calibration import render
from bot.calibration.spread import medians, spread_of
from bot.reviews.scorecard import MAX_SKILLS
from storage.models.reviews import Calibration, CalibrationReviewer, CalibrationScore

AT = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
SKILLS = [f"skill-{i:02d}" for i in range(MAX_SKILLS)]
REVIEWERS = [f"U{i:010d}" for i in range(10)]


def a_round(**over: object) -> Calibration:
    values: dict[str, object] = {
        "id": 7,
        "team_id": "T1",
        "lead_id": "ULEAD",
        "link": "https://help.example.com/t/1",
        "skills": ",".join(SKILLS),
        "deadline_at": AT + timedelta(days=3),
        "request_key": "k",
        "created_at": AT,
        **over,
    }
    return Calibration(**values)  # type: ignore[arg-type]


def invited() -> list[CalibrationReviewer]:
    return [CalibrationReviewer(team_id="T1", calibration_id=7, reviewer_id=r) for r in REVIEWERS]


def scores(skip: str = "") -> list[CalibrationScore]:
    return [
        CalibrationScore(
            team_id="T1",
            calibration_id=7,
            reviewer_id=r,
            skill=s,
            score=None if s == "skill-01" else 1 + (n + k) % 4,
            created_at=AT,
        )
        for n, r in enumerate(REVIEWERS)
        if r != skip
        for k, s in enumerate(SKILLS)
    ]


def test_the_largest_spread_fits_in_one_message() -> None:
    spread = spread_of(a_round(), invited(), scores(skip=REVIEWERS[-1]))
    assert spread.missing == (REVIEWERS[-1],) and len(spread.scored) == 9
    for payload in (render.reveal_dm(spread, "ULEAD"), render.agreed_dm(spread, REVIEWERS[0])):
        blocks = payload["blocks"]
        assert len(blocks) <= 50
        assert all(len(b["text"]["text"]) <= 3000 for b in blocks if b["type"] == "section")
    lead = json.dumps(render.reveal_dm(spread, "ULEAD"))
    assert "calibration_agree" in lead
    assert "calibration_agree" not in json.dumps(render.reveal_dm(spread, REVIEWERS[0]))
    assert f"Did not score by the deadline: <@{REVIEWERS[-1]}>" in lead


def test_the_forms_fit_in_a_modal_and_the_agreed_one_starts_at_the_median() -> None:
    spread = spread_of(a_round(), invited()[:3], scores()[: 3 * MAX_SKILLS])
    for view in (render.score_modal(a_round()), render.agree_modal(spread, medians(spread))):
        assert len(view["blocks"]) <= 100 and len(view["title"]["text"]) <= 24
        assert len(json.dumps(view)) < 250_000
    assert "initial_option" not in json.dumps(render.score_modal(a_round()))
    agree = render.agree_modal(spread, medians(spread))
    first = next(b for b in agree["blocks"] if b.get("block_id") == "sc_score:skill-00")
    assert first["element"]["initial_option"]["value"] == "2"  # 1, 2, 3: the median is 2
    na = next(b for b in agree["blocks"] if b.get("block_id") == "sc_score:skill-01")
    assert na["element"]["initial_option"]["value"] == "na"  # nobody scored it


def test_a_median_of_an_even_count_rounds_its_half_up() -> None:
    two = [
        CalibrationScore(
            team_id="T1", calibration_id=7, reviewer_id=r, skill="skill-00", score=v, created_at=AT
        )
        for r, v in (("UA", 2), ("UB", 3))
    ]
    reviewers = [
        CalibrationReviewer(team_id="T1", calibration_id=7, reviewer_id=r) for r in ("UA", "UB")
    ]
    spread = spread_of(a_round(skills="skill-00"), reviewers, two)
    assert spread.skills[0].median == 3 and spread.agreement == 1.0


def test_before_the_reveal_nothing_shows_a_score() -> None:
    row = a_round()
    for payload in (
        render.invite_dm(row, "UA"),
        render.invite_scored(row),
        render.invite_closed(row),
    ):
        assert "Agreement" not in json.dumps(payload)


def test_the_trend_compares_newer_rounds_with_older_ones() -> None:
    def rounds(*shares: float | None) -> list[Calibration]:
        return [a_round(id=i, agreement=s) for i, s in enumerate(shares)]

    assert "improving" in render.trend(rounds(0.9, 0.8, 0.5, 0.4))
    assert "slipping" in render.trend(rounds(0.4, 0.5, 0.9))
    assert "steady" in render.trend(rounds(0.5, None, 0.52))
    assert "Not enough" in render.trend(rounds(0.5, None))
    assert "erased" not in spread_of(a_round(lead_id="erased"), [], []).audience
