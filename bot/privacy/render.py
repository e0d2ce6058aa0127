"""Words and views of a person's data: the confirmation modals of ``/bravo forget``, their
outcome, and the messages around an export. Pure."""

from __future__ import annotations

from typing import Any

from bot.blocks import context, section
from bot.privacy import ids

DELETED = (
    "• goals, check-ins and check-in prompts\n"
    "• feedback received, and feedback requests made or asked of {them}\n"
    "• what customers said about {them}, coaching pairings\n"
    "• birthday and start date, preferences and opt-outs\n"
    "• kudos received (they leave the counts and leaderboards too), milestones and streaks\n"
    "• practice rounds with the ratings on them, the practice plan, and ratings asked of {them} "
    "but not given\n"
    "• one-on-ones with {them} as coach or coachee, with their meetings' topics and notes "
    "and the action items from them\n"
    "• lessons {them} wrote (with every “This helped me” on them), {whose_} “This helped me” "
    "clicks, and the training {them} recorded"
)
KEPT = (
    "• kudos, feedback and practice ratings {who} gave stay with the people who received them, "
    "shown as from “someone who has left Bravo”\n"
    "• lessons {who} saved from other people's messages stay with their authors, unnamed\n"
    "• messages already posted in Slack stay in Slack (they are Slack's, not Bravo's)\n"
    "• a record that an erasure happened, with a keyed hash instead of {whose} id"
)

EXPORT_ON_ITS_WAY = (
    ":package: Your data is on its way: Bravo is sending you, by DM, a JSON file of everything "
    "it holds about you and a CSV of your kudos."
)


def forget_modal(*, mode: str, user_id: str, metadata: str) -> dict[str, Any]:
    whose = "your" if mode == "self" else f"<@{user_id}>'s"
    them = "you" if mode == "self" else "them"
    intro = (
        "This erases everything Bravo holds about you, for good. It can't be undone."
        if mode == "self"
        else f"This erases everything Bravo holds about <@{user_id}>, who has left the "
        "workspace, for good. It can't be undone."
    )
    return {
        "type": "modal",
        "callback_id": ids.FORGET_MODAL,
        "private_metadata": metadata,
        "title": {"type": "plain_text", "text": "Erase data"},
        "submit": {"type": "plain_text", "text": "Erase"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            section(intro),
            section(f"*Deleted* ({whose} data):\n" + DELETED.format(them=them, whose_=whose)),
            section(
                "*Kept*:\n" + KEPT.format(who="you" if mode == "self" else "they", whose=whose)
            ),
            context("Want a copy first? `/bravo export` sends you your data by DM."),
        ],
    }


def done_text(mode: str, user_id: str, removed: int) -> str:
    if mode == "self":
        return (
            f":white_check_mark: Done: Bravo has erased your data ({removed} records). "
            "Kudos and feedback you gave stay with their recipients, without your name."
        )
    return f":white_check_mark: Done: Bravo has erased <@{user_id}>'s data ({removed} records)."


def done_view(*, mode: str, user_id: str, removed: int) -> dict[str, Any]:
    return note_view(done_text(mode, user_id, removed))


def erasing_view() -> dict[str, Any]:
    return note_view(":hourglass_flowing_sand: Erasing… this takes a few seconds.")


def note_view(text: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Erase data"},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": [section(text)],
    }
