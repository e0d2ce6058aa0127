"""The one-on-one prep shows the training a coachee recorded (``/learned course``) to their
coach only once the coachee lets their coaches see it; to no other coach of nobody's, never
another person's, never before."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.learning import training
from tests.handlers.conftest import CHANNEL, Bravo
from tests.handlers.test_oneonones import ANA, COACH, OTHER, T, bravo, coach, preps_to

__all__ = ["bravo"]  # the fixture, shared with test_oneonones


def learned(bravo: Bravo, user: str, text: str) -> str:
    before = len(bravo.slack.calls("response_url"))
    bravo.send.slash_command(user, "/learned", text, channel_id=CHANNEL)
    return json.dumps(bravo.slack.wait_for("response_url", count=before + 1)[before].args)


def test_the_prep_shows_training_only_when_the_coachee_shares_it(bravo: Bravo) -> None:
    assert "Recorded" in learned(
        bravo, ANA, 'course "De-escalation basics" #empathy next: name the feeling first'
    )
    learned(
        bravo, OTHER, 'course "Cy\'s own course" #empathy'
    )  # someone else's: never in Ana's prep
    coach(bravo, COACH, "1on1 <@UANA|ana> every tuesday 14:00")
    coach(bravo, COACH, "prep <@UANA|ana>")
    [note] = preps_to(bravo, COACH)
    assert "Training they recorded" not in note and "De-escalation basics" not in note
    training.set_shared_with_coaches(bravo.deps, team_id=T, user_id=ANA, on=True)
    coach(bravo, COACH, "prep <@UANA|ana>")
    shared = preps_to(bravo, COACH)[-1]
    assert "Training they recorded" in shared and "De-escalation basics" in shared
    assert "name the feeling first" in shared and "own course" not in shared
    # Taken more than 90 days before the prep: left out, and the section says none.
    bravo.clock.at += timedelta(days=91)
    coach(bravo, COACH, "prep <@UANA|ana>")
    later = preps_to(bravo, COACH)[-1]
    assert "Training they recorded" in later and "De-escalation basics" not in later
    assert "None recorded." in later
    # Turned off again: the section is gone.
    training.set_shared_with_coaches(bravo.deps, team_id=T, user_id=ANA, on=False)
    coach(bravo, COACH, "prep <@UANA|ana>")
    assert "Training they recorded" not in preps_to(bravo, COACH)[-1]
