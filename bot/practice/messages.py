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
        ref=scenario_ref(row),
    )


def scenario_ref(row: PracticeRound) -> str:
    """The outbox ref of a round's scenario DM."""
    return f"practice:{row.id}:scenario"


def ask_ref(row: PracticeRound, rater_id: str) -> str:
    """The outbox ref of the DM asking ``rater_id`` to rate a round."""
    return f"practice:{row.id}:ask:{rater_id}"


def scenario_closed(row: PracticeRound, found: Any, posted_id: int, how: str) -> OutMessage:
    """The scenario DM (outbox row ``posted_id``) once the round is done or skipped (``how``):
    no buttons left to press, and what happened said."""
    note = render.SCENARIO_SKIPPED if how == "skipped" else render.SCENARIO_DONE
    return OutMessage(
        kind=ids.SCENARIO_DM,
        method=SlackMethod.UPDATE,
        payload=render.scenario_closed(row, found, note),
        update_of=posted_id,
    )


def ask_closed(
    row: PracticeRound, found: Any, rater_id: str, posted_id: int, how: str
) -> OutMessage:
    """A rater's DM (outbox row ``posted_id``) once they rated or passed (``how``): no buttons
    left."""
    note = render.ASK_PASSED if how == "passed" else render.ASK_RATED
    return OutMessage(
        kind=ids.RATE_ASK_DM,
        method=SlackMethod.UPDATE,
        payload=render.ask_closed(row, found, rater_id, note),
        update_of=posted_id,
    )


def rate_ask(row: PracticeRound, found: Any, rater_id: str) -> OutMessage:
    """The reply to rate, to one rater the person asked (who hears if it fails: the person)."""
    return OutMessage(
        kind=ids.RATE_ASK_DM,
        method=SlackMethod.POST,
        payload=render.rate_ask_dm(row, found, rater_id),
        notify_user=row.user_id,
        dedupe_key=f"practice:{row.team_id}:{row.id}:ask:{rater_id}",
        ref=ask_ref(row, rater_id),
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
