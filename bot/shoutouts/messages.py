"""What the weekly shout-out sends, to whom: results in, envelopes out (words in render.py)."""

from __future__ import annotations

from bot.outbox.envelope import OutMessage, SlackMethod
from bot.outbox.uploads import upload_payload
from bot.shoutouts import ids, render
from bot.shoutouts.week import Week


def week_post(week: Week, key: str) -> OutMessage:
    return OutMessage(
        kind=ids.WEEKLY, method=SlackMethod.POST, payload=render.weekly_post(week), dedupe_key=key
    )


def chart(week: Week, key: str, png: bytes, post_id: int | None) -> OutMessage:
    """The chart goes after the post it belongs to (and not at all if the post failed)."""
    payload = upload_payload(
        channel=week.channel_id,
        filename=f"kudos-week-{week.per_day[-1][0].isoformat()}.png",
        title="This week's kudos",
        alt_text=render.chart_alt_text(week),
        content=png,
    )
    return OutMessage(
        kind=ids.CHART,
        method=SlackMethod.UPLOAD,
        payload=payload,
        dedupe_key=key + ":chart",
        update_of=post_id,
    )


def fairness(
    *, lead_id: str, channel_id: str, quiet: list[str], weeks: int, key: str
) -> OutMessage:
    """The lead's private note: a DM, never a channel post."""
    note = render.fairness_note(lead_id=lead_id, channel_id=channel_id, quiet=quiet, weeks=weeks)
    return OutMessage(kind=ids.FAIRNESS, method=SlackMethod.POST, payload=note, dedupe_key=key)


def stopped(*, user_id: str, channel_id: str, key: str) -> OutMessage:
    """Tell who turned shout-outs on that they stopped (the channel is archived, or Bravo out)."""
    payload = render.stopped_dm(user_id=user_id, channel_id=channel_id)
    return OutMessage(kind=ids.STOPPED, method=SlackMethod.POST, payload=payload, dedupe_key=key)
