"""The person's chart, sent to their DM on request (the Home tab's "Send me my chart").

The Home tab shows the profile as text, and the chart once one was uploaded: an image block
needs the id of a file already uploaded, and drawing and uploading on every publish would slow
every home. So the chart is drawn on the click and uploaded through the outbox, at most once a
UTC day; the deliverer keeps the upload's file id, and the Home tab shows the latest chart of
the last eight days (``chart_in``)."""

from __future__ import annotations

from datetime import datetime

from bot.deps import Deps
from bot.outbox.envelope import OutMessage, SlackMethod
from bot.outbox.uploads import upload_payload
from bot.profile import chart, ids
from bot.profile.service import chart_ref, profile_of


def send_chart(deps: Deps, *, team_id: str, user_id: str, now: datetime) -> bool:
    """Draw the person's chart and queue its upload to their DM, at most once a UTC day (a
    second click that day, or a replayed one, queues nothing). The drawing happens here, on the
    click, never while a home is published. False when there was nothing to draw or it was
    already sent today."""
    profile = profile_of(deps, team_id, user_id, now)
    png = chart.chart_png(profile)
    if png is None:
        return False
    dm = deps.client_for(team_id).conversations_open(users=user_id)["channel"]["id"]
    day = now.date().isoformat()
    message = OutMessage(
        kind=ids.CHART,
        method=SlackMethod.UPLOAD,
        payload=upload_payload(
            channel=dm,
            filename=f"bravo-skills-{day}.png",
            title=f"Your skills, the last 90 days ({day})",
            alt_text=chart.alt_text(profile),
            content=png,
        ),
        dedupe_key=f"profile_chart:{team_id}:{user_id}:{day}",
        ref=chart_ref(user_id),
        notify_user=user_id,
    )
    with deps.db.write() as session:
        queued = deps.outbox.enqueue(session, team_id, [message], now)
    deps.deliverer.kick()
    return bool(queued)
