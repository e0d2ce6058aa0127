"""What practice sends, to whom: results in, envelopes out (the words are in render.py). Every
message is a DM to one person: a round never reaches a channel."""

from __future__ import annotations

from typing import Any

from bot.outbox.envelope import OutMessage, SlackMethod
from bot.practice import ids, render
from storage.models.practice import PracticeRating, PracticeRound


def scenario(row: PracticeRound, found: Any) -> OutMessage:
    """The scenario, to the person practising."""
    return OutMessage(
        kind=ids.SCENARIO_DM,
        method=SlackMethod.POST,
        payload=render.scenario_dm(row, found),
        dedupe_key=f"practice:{row.team_id}:{row.id}:scenario",
    )


def rate_ask(row: PracticeRound, found: Any, rater_id: str) -> OutMessage:
    """The reply to rate, to one rater the person asked (who hears if it fails: the person)."""
    return OutMessage(
        kind=ids.RATE_ASK_DM,
        method=SlackMethod.POST,
        payload=render.rate_ask_dm(row, found, rater_id),
        notify_user=row.user_id,
        dedupe_key=f"practice:{row.team_id}:{row.id}:ask:{rater_id}",
    )


def result(row: PracticeRound, found: Any, raters: tuple[str, ...], streak: int) -> OutMessage:
    """The self-assessment's summary, to the person."""
    return OutMessage(
        kind=ids.RESULT_DM,
        method=SlackMethod.POST,
        payload=render.result_dm(row, found, raters, streak),
        dedupe_key=f"practice:{row.team_id}:{row.id}:result",
    )


def rated(row: PracticeRound, found: Any, rating: PracticeRating) -> OutMessage:
    """A rater's rating, to the person who practised."""
    return OutMessage(
        kind=ids.RATED_DM,
        method=SlackMethod.POST,
        payload=render.rated_dm(row, found, rating),
        dedupe_key=f"practice:{row.team_id}:{row.id}:rated:{rating.rater_id}",
    )
