"""Block Kit for customer ratings by webhook: the admin's view of the hook, the ratings waiting
to be matched, and the agent's DMs. Pure functions. What a customer or a help desk wrote is
escaped: it can never mention anyone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.blocks import Block, button, clip, context, message, quote, section
from bot.feedback.ids import CUSTOMER_KUDOS
from bot.ratings import ids
from bot.text import escape, person
from storage.models.feedback import CustomerFeedback, CustomerKind
from storage.models.ratings import UnmatchedRating


@dataclass(frozen=True)
class HookView:
    """What an admin sees of the workspace's hook (the secret only ever ephemerally)."""

    hook_id: str
    secret: str
    public_url: str | None
    created: bool  # made just now, by this request
    rotated_at: datetime | None
    waiting: int  # ratings waiting for an admin


def stars(rating: int) -> str:
    return "★" * rating + "☆" * (5 - rating)


def hook_url(view: HookView) -> str:
    return f"{view.public_url or ''}{ids.HOOK_PATH}{view.hook_id}"


def hook_message(view: HookView, *, rotated: bool = False) -> dict[str, Any]:
    url = hook_url(view)
    if rotated:
        head = ":arrows_counterclockwise: *New secret.* The old one stopped working just now."
    elif view.created:
        head = ":link: *Customer-rating webhook created.* Only you see this message."
    else:
        head = ":link: *Customer-rating webhook.* Only you see this message."
    where = (
        f"*Address:* `POST {url}`"
        if view.public_url
        else f"*Address:* `POST https://<your Bravo>{url}`\n:warning: Bravo does not know its "
        "public address: whoever runs it sets `BRAVO_PUBLIC_URL` (like "
        "`https://bravo.example.com`), and the full address shows here."
    )
    blocks: list[Block] = [
        section(head),
        section(where),
        section(f"*Secret:* `{view.secret}`\nKeep it in your help desk's webhook settings only."),
        section(
            "*Signing:* send the JSON body with `X-Bravo-Timestamp: <Unix seconds>` and "
            "`X-Bravo-Signature: v0=<hex HMAC-SHA256 of v0:<timestamp>:<body> with the secret>`."
            ' Fields: `agent_slack_id` or `agent_email`, `rating` (1-5, or "good"/"bad"), '
            "`comment`, `source`, `ticket_url`. The same ticket from the same source is stored "
            "once; requests more than five minutes old, or seen before, are refused."
        ),
        {
            "type": "actions",
            "block_id": "ratings_hook",
            "elements": [button("Rotate secret", ids.ROTATE, view.hook_id, "danger")],
        },
        context(
            "Rotating takes effect at once: requests signed with the old secret are refused "
            "from then on."
            + (f" Last rotated {view.rotated_at:%d %b %Y %H:%M} UTC." if view.rotated_at else "")
            + (
                f" {_ratings(view.waiting)} to be matched: `/bravo ratings unmatched`."
                if view.waiting
                else ""
            )
        ),
    ]
    return {"response_type": "ephemeral", **message("The customer-rating webhook", blocks)}


def _ratings(n: int) -> str:
    """ "1 rating waits", "3 ratings wait"."""
    return "1 rating waits" if n == 1 else f"{n} ratings wait"


def _agent(row: UnmatchedRating) -> str:
    named = [f"Slack id `{escape(row.agent_slack_id)}`" if row.agent_slack_id else ""]
    named.append(f"email `{escape(row.agent_email)}`" if row.agent_email else "")
    return " and ".join(n for n in named if n)


def unmatched_message(rows: Sequence[UnmatchedRating], total: int) -> dict[str, Any]:
    if not rows:
        text = ":white_check_mark: No customer ratings are waiting to be matched."
        return {"response_type": "ephemeral", **message(text, [section(text)])}
    some = "1 customer rating names" if total == 1 else f"{total} customer ratings name"
    text = f":mag: {some} someone Bravo could not find."
    blocks: list[Block] = [
        section(text + " Match each to a teammate (it joins their feedback), or dismiss it.")
    ]
    for row in rows[: ids.UNMATCHED_SHOWN]:
        about = f"{stars(row.rating)} from {escape(row.source)} for {_agent(row)}"
        if row.comment:
            about += "\n" + quote(escape(clip(row.comment, 300)))
        blocks.append(section(about))
        blocks.append(
            {
                "type": "actions",
                "block_id": f"{ids.MATCH_BLOCK}{row.id}",
                "elements": [
                    {
                        "type": "users_select",
                        "action_id": ids.MATCH,
                        "placeholder": {"type": "plain_text", "text": "Match to…"},
                    },
                    button("Dismiss", ids.DISMISS, str(row.id)),
                ],
            }
        )
    if total > len(rows[: ids.UNMATCHED_SHOWN]):
        blocks.append(context(f"Showing the oldest {ids.UNMATCHED_SHOWN} of {total}."))
    return {"response_type": "ephemeral", **message(text, blocks)}


def matched_text(fb: CustomerFeedback) -> str:
    return (
        f":white_check_mark: Matched to {person(fb.teammate_id)}: the rating is in their "
        "customer feedback, and they are told."
    )


def dismissed_text() -> str:
    return ":wastebasket: Dismissed: the rating is not kept in anyone's feedback."


def _line(fb: CustomerFeedback) -> str:
    ticket = f" · <{fb.ticket_url}|ticket>" if fb.ticket_url else ""
    return f"{stars(fb.rating)} from {escape(fb.origin or 'a survey')}{ticket}"


def rating_dm(fb: CustomerFeedback) -> dict[str, Any]:
    if fb.kind == CustomerKind.PRAISE:
        text = ":star2: A customer rated a conversation with you"
    else:
        text = ":memo: A customer rated a conversation with you: something to look at"
    blocks: list[Block] = [section(f"{text}.\n{_line(fb)}")]
    if fb.text:
        blocks.append(section(quote(escape(clip(fb.text, 2000)))))
    blocks.append(context("It came from your help desk. Your counts are in `/feedback inbox`."))
    return {"channel": fb.teammate_id, **message(f"{text}: {stars(fb.rating)}", blocks)}


def digest(user_id: str, rows: Sequence[CustomerFeedback]) -> dict[str, Any]:
    praise = sum(1 for r in rows if r.kind == CustomerKind.PRAISE)
    average = sum(r.rating for r in rows) / len(rows)
    text = (
        f":bar_chart: Today's customer ratings: {len(rows)} more "
        f"({praise} praise, {len(rows) - praise} to look at, average {average:.1f})"
    )
    blocks: list[Block] = [section(text + ".")]
    for fb in rows[: ids.DIGEST_ITEMS]:
        said = f"\n{quote(escape(clip(fb.text, 300)))}" if fb.text else ""
        blocks.append(section(_line(fb) + said))
    if len(rows) > ids.DIGEST_ITEMS:
        blocks.append(context(f"And {len(rows) - ids.DIGEST_ITEMS} more in `/feedback inbox`."))
    blocks.append(
        context(
            f"You get up to {ids.OWN_DMS_PER_DAY} ratings a day one by one; the rest come "
            "together, once a day."
        )
    )
    return {"channel": user_id, **message(text, blocks)}


def coach_praise_dm(fb: CustomerFeedback, coach_id: str) -> dict[str, Any]:
    """To a coach of the agent: the customer's praise, and one click to make it kudos."""
    text = f":star2: A customer praised {person(fb.teammate_id)}, whom you coach"
    blocks: list[Block] = [section(f"{text}.\n{_line(fb)}")]
    if fb.text:
        blocks.append(section(quote(escape(clip(fb.text, 2000)))))
    blocks.append(
        {
            "type": "actions",
            "block_id": f"customer_{fb.id}",
            "elements": [button("Turn into kudos", CUSTOMER_KUDOS, str(fb.id), "primary")],
        }
    )
    return {"channel": coach_id, **message(text, blocks)}
