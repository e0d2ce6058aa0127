"""Messages about delivery itself."""

from __future__ import annotations

from bot.blocks import message, section
from bot.outbox.envelope import OutMessage, SlackMethod

HINTS = {
    "not_in_channel": "I'm not a member of <#{channel}>. Invite me with `/invite @Bravo` there.",
    "channel_not_found": "I can't see that channel. Invite me to it, or pick another one.",
    "is_archived": "<#{channel}> is archived.",
}


def delivery_failed_dm(*, user_id: str, channel: str | None, error: str) -> OutMessage:
    hint = HINTS.get(error, "Slack said: `{error}`.").format(channel=channel, error=error)
    text = f"Your kudos is saved, but I couldn't post it in <#{channel}>. {hint}"
    return OutMessage(
        kind="delivery_failed",
        method=SlackMethod.POST,
        payload={"channel": user_id, **message(text, [section(":warning: " + text)])},
    )
