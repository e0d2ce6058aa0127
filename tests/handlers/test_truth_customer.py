"""Customer feedback says what happened: logging it about yourself is refused kindly, and the
receipt claims a DM to the teammate only when one was sent."""

from __future__ import annotations

import json

from bot.feedback.messages import customer_logged
from storage.models import CustomerFeedback
from tests.handlers import test_feedback
from tests.handlers.conftest import Bravo
from tests.handlers.test_feedback import (
    ADMIN,
    GIVER,
    OUTSIDER,
    RECIPIENT,
    count,
    customer_form,
    log_customer,
    posts_to,
    submit,
)

bravo = test_feedback.bravo  # the same workspace (an admin, an outsider) as test_feedback


def test_logging_about_yourself_is_refused_kindly(bravo: Bravo) -> None:
    view, _ = log_customer(bravo, logger=RECIPIENT)
    refused = submit(bravo, view, customer_form(RECIPIENT), RECIPIENT)
    assert "That's about you, so it isn't logged" in refused["errors"]["cf_teammate"]
    bravo.deliver()
    assert count(bravo, CustomerFeedback) == 0
    assert not bravo.slack.calls("chat.postMessage")


def test_the_receipt_says_they_were_told_only_with_the_dm(bravo: Bravo) -> None:
    view, _ = log_customer(bravo)
    assert submit(bravo, view, customer_form(RECIPIENT)) == {}
    bravo.deliver()
    [told] = posts_to(bravo, RECIPIENT, "A customer praised you")
    [receipt] = posts_to(bravo, GIVER, "Logged customer praise")
    assert "They've been told by DM." in json.dumps(receipt.args["blocks"])
    for nobody in (ADMIN, OUTSIDER):
        assert not posts_to(bravo, nobody)
    assert told.args["channel"] == RECIPIENT


def test_no_dm_no_claim() -> None:
    row = CustomerFeedback(
        id=1,
        team_id="T",
        logged_by="UANA",
        teammate_id="UANA",  # an old row logged before this was refused
        kind="praise",
        rating=5,
        source="email",
        text="thanks",
    )
    [receipt] = customer_logged(row)
    assert receipt.payload["channel"] == "UANA"
    assert "told by DM" not in json.dumps(receipt.payload)
