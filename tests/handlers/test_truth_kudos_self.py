"""Naming yourself among others (or being in the group you name) gives the others their kudos
and says you were left out; naming only yourself is still refused."""

from __future__ import annotations

from sqlmodel import select

from storage.models import Kudos
from tests.handlers.conftest import CHANNEL, Bravo

LEFT_OUT = "You can't give kudos to yourself, so you were left out; the others got theirs."


def give(bravo: Bravo, text: str) -> str:
    before = len(bravo.slack.calls("response_url"))
    assert bravo.send.slash_command("UANA", "/kudos", text, channel_id=CHANNEL).status == 200
    answer = str(bravo.slack.wait_for("response_url", before + 1)[-1].args["text"])
    bravo.deliver()
    return answer


def recipients(bravo: Bravo) -> list[str]:
    with bravo.deps.db.read() as s:
        return sorted(k.recipient_id for k in s.exec(select(Kudos)).all())


def dms_to(bravo: Bravo, user: str) -> list[str]:
    calls = bravo.slack.calls("chat.postMessage", ok=True)
    return [c.args["text"] for c in calls if c.args.get("channel") == user]


def test_yourself_among_others_gives_the_others_theirs(bravo: Bravo) -> None:
    answer = give(bravo, "<@UANA|ana> <@UBEN|ben> for the launch")
    assert "Kudos sent to <@UBEN> in" in answer and "<@UANA>" not in answer.split(".")[0]
    assert recipients(bravo) == ["UBEN"]
    assert "<@UANA> gave you kudos" in dms_to(bravo, "UBEN")
    [confirmation] = bravo.slack.calls("response_url")[-1:]
    assert LEFT_OUT in str(confirmation.args.get("blocks"))


def test_in_the_group_you_name_you_are_told_you_were_left_out(bravo: Bravo) -> None:
    give(bravo, "<!subteam^S0SUPPORT|@support> for the launch")  # Ana is in @support
    [confirmation] = bravo.slack.calls("response_url")[-1:]
    assert LEFT_OUT in str(confirmation.args.get("blocks"))
    assert recipients(bravo) == ["UBEN", "UCY"]


def test_others_only_say_nothing_about_you(bravo: Bravo) -> None:
    give(bravo, "<@UBEN|ben> for the launch")
    [confirmation] = bravo.slack.calls("response_url")[-1:]
    assert "left out" not in str(confirmation.args.get("blocks"))


def test_yourself_alone_is_still_refused(bravo: Bravo) -> None:
    answer = give(bravo, "<@UANA|ana> for being me")
    assert "can't give them to yourself" in answer and "left out" not in answer
    assert recipients(bravo) == []
