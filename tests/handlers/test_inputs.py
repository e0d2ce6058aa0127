"""What people type reaches Bravo without invisible padding or control characters: a field of
only zero-width characters is empty, and a NUL byte behaves the same on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlmodel import select

from storage.models import Kudos
from tests.handlers.conftest import CHANNEL, Bravo

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"


def kudos_reasons(bravo: Bravo) -> list[str]:
    with bravo.deps.db.read() as session:
        return [k.reason for k in session.exec(select(Kudos)).all()]


def test_a_reason_of_only_zero_width_characters_is_no_reason(bravo: Bravo) -> None:
    sent = bravo.send.slash_command(
        "UANA", "/kudos", f"<@UBEN|ben> {ZERO_WIDTH}", channel_id=CHANNEL
    )
    assert sent.status == 200
    told = bravo.slack.wait_for("response_url", count=1)[-1].args
    assert "need a reason" in told["text"]
    assert kudos_reasons(bravo) == []


def test_a_nul_byte_is_dropped_and_the_kudos_is_given_on_either_database(bravo: Bravo) -> None:
    text = "<@UBEN|ben> for calm\x00ing an angry caller"
    sent = bravo.send.slash_command("UANA", "/kudos", text, channel_id=CHANNEL)
    assert sent.status == 200
    bravo.slack.wait_for("response_url", count=1)
    assert kudos_reasons(bravo) == ["calming an angry caller"]


def test_joiners_inside_an_emoji_are_kept(bravo: Bravo) -> None:
    coder = "\U0001f469\u200d\U0001f4bb"
    sent = bravo.send.slash_command(
        "UANA", "/kudos", f"<@UBEN|ben> for the {coder} fix", channel_id=CHANNEL
    )
    assert sent.status == 200
    bravo.slack.wait_for("response_url", count=1)
    assert kudos_reasons(bravo) == [f"the {coder} fix"]
