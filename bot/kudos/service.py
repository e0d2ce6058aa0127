"""Kudos use cases: each resolves the people, owns its transaction, applies the rules
(``rules.py``), queues what the result sends (``messages.py``) and returns what happened."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from bot import events
from bot.celebrations.service import milestones_in_channel
from bot.deps import Deps
from bot.kudos import ids, rules
from bot.kudos.messages import announcements, withdraw_edit


@dataclass(frozen=True)
class Gift:
    """A kudos request from any surface, after parsing."""

    team_id: str
    giver_id: str
    user_ids: tuple[str, ...]
    reason: str
    values: tuple[str, ...]
    channel_id: str | None
    source: str
    group_ids: tuple[str, ...] = ()
    source_ref: str | None = None
    permalink: str | None = None
    thread_ts: str | None = None
    event_id: str | None = None


def give(deps: Deps, gift: Gift) -> rules.KudosResult | None:
    """Resolve people, record the kudos and queue its announcements in one transaction.
    Returns None when ``event_id`` was already handled (a retried event)."""
    now = deps.clock()
    policy = deps.settings.kudos
    from_groups = (
        [u for u in deps.directory.group_members(gift.group_ids) if u not in gift.user_ids]
        if gift.group_ids
        else []
    )
    people = deps.directory.people(gift.team_id, [gift.giver_id, *gift.user_ids, *from_groups], now)
    # Named people must all be valid; a group's bots, departed members and the giver are skipped.
    recipients = [people[u] for u in gift.user_ids] + [
        p
        for p in (people[u] for u in from_groups)
        if p.known and not p.is_bot and not p.deleted and p.user_id != gift.giver_id
    ]
    post_channel = policy.kudos_channel or gift.channel_id
    if post_channel and post_channel.startswith("D"):
        post_channel = None  # given in a DM: the recipients hear by DM, nothing is posted
    with deps.db.write() as session:
        if not events.first_delivery(
            session=session, team_id=gift.team_id, event_id=gift.event_id, now=now
        ):
            return None
        result = rules.give_kudos(
            session=session,
            team_id=gift.team_id,
            giver=people[gift.giver_id],
            recipients=recipients,
            reason=gift.reason,
            values=gift.values,
            channel_id=gift.channel_id,
            source=gift.source,
            source_ref=gift.source_ref,
            rules=policy,
            now=now,
        )
        in_channel = milestones_in_channel(
            session, team_id=gift.team_id, user_ids=[c.user_id for c in result.celebrations]
        )
        messages = announcements(result, post_channel, gift.permalink, in_channel=in_channel)
        if gift.thread_ts and not policy.kudos_channel:
            for msg in messages:
                if msg.kind == ids.POST:
                    msg.payload["thread_ts"] = gift.thread_ts
        deps.outbox.enqueue(session, gift.team_id, messages, now)
    deps.deliverer.kick()
    return result


def withdraw(deps: Deps, session: Session, *, team_id: str, batch_id: str, giver_id: str) -> None:
    """Queue the edits that mark a batch's post and DMs withdrawn (or cancel them if unsent),
    in the caller's transaction, so a revocation and its announcement stand or fall together."""
    edit = withdraw_edit(giver_id)
    deps.outbox.withdraw(session, team_id, batch_id, [ids.POST, ids.DM], edit, deps.clock())
