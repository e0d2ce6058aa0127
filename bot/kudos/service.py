"""Kudos use cases: each resolves the people, owns its transaction, applies the rules
(``rules.py``), queues what the result sends (``messages.py``) and returns what happened."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot import events
from bot.celebrations.service import milestones_in_channel
from bot.deps import Deps
from bot.kudos import history as kudos_history
from bot.kudos import rules
from bot.kudos.errors import BotRecipientError, DuplicateKudosError, UnknownUserError
from bot.kudos.history import HistoryAsk, HistoryPage
from bot.kudos.ids import HistoryDirection, HistoryScope, OutboxKind, Period
from bot.kudos.messages import announcements, confirmation_dm, withdraw_edit
from bot.kudos.parse import GiveKudos, ModalKudos, Reaction
from bot.kudos.render import reaction_reason
from bot.kudos.rules import Board, KudosResult, Place, Stats, Undone
from bot.users import is_teammate
from storage.kudos import Mark
from storage.models import Kudos
from storage.models.kudos import KudosSource as KudosSource  # re-exported: a Gift names its source

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Gift:
    """A kudos request from any surface, after parsing."""

    team_id: str
    giver_id: str
    user_ids: tuple[str, ...]
    reason: str
    values: tuple[str, ...]
    channel_id: str | None
    source: KudosSource
    group_ids: tuple[str, ...] = ()
    source_ref: str | None = None
    permalink: str | None = None
    thread_ts: str | None = None
    event_id: str | None = None


def command_gift(
    parsed: GiveKudos,
    *,
    team_id: str,
    giver_id: str,
    channel_id: str | None,
    trigger_id: str | None = None,
) -> Gift:
    """``/kudos @ana for ...`` typed in ``channel_id``. ``trigger_id`` (the command's own, one
    per command typed) makes it once only: a worker that replays it after another died midway
    gives nothing twice (``bot.worker``)."""
    return Gift(
        team_id=team_id,
        giver_id=giver_id,
        user_ids=parsed.user_ids,
        group_ids=parsed.group_ids,
        reason=parsed.reason,
        values=parsed.values,
        channel_id=channel_id,
        source=KudosSource.COMMAND,
        event_id=f"command:{trigger_id}"[:64] if trigger_id else None,
    )


def modal_gift(
    submitted: ModalKudos, *, team_id: str, giver_id: str, permalink: str | None
) -> Gift:
    """The kudos form, opened by ``/kudos`` or (about one message) by the message shortcut."""
    about = bool(submitted.msg_ts)
    return Gift(
        team_id=team_id,
        giver_id=giver_id,
        user_ids=submitted.user_ids,
        reason=submitted.reason,
        values=submitted.values,
        channel_id=submitted.channel_id,
        source=KudosSource.SHORTCUT if about else KudosSource.MODAL,
        source_ref=f"{submitted.msg_channel}:{submitted.msg_ts}" if about else None,
        permalink=permalink,
    )


# Slack's answers that mean Bravo cannot post in a channel (anything else: it may, and the
# outbox tells the giver if the post fails after all).
CANNOT_POST = ("channel_not_found", "not_in_channel", "is_archived")


def where_to_post(
    deps: Deps, team_id: str, channel_id: str | None, kudos_channel: str | None
) -> Place:
    """Where a kudos given in ``channel_id`` is really posted: the workspace's kudos channel if
    it has one, else the channel it was given in, if Bravo is in it and it is not archived;
    else nowhere (a DM, or a channel Bravo cannot post in): the recipients hear by DM."""
    wanted = kudos_channel or channel_id
    if not wanted or wanted.startswith("D"):
        return Place(None)
    if why := _cannot_post_in(deps, team_id, wanted):
        return Place(None, passed_over=wanted, why=why)
    return Place(wanted)


def _cannot_post_in(deps: Deps, team_id: str, channel_id: str) -> str:
    """Why Bravo cannot post in ``channel_id`` ("" when it can, or when Slack can't say)."""
    try:
        info = deps.channels.info(deps.client_for(team_id), team_id, channel_id)
    except SlackApiError as err:
        error = str(err.response.get("error", ""))
        return error if error in CANNOT_POST else ""
    if info.get("is_im") or info.get("is_mpim"):
        return ""
    if info.get("is_archived"):
        return "is_archived"
    return "" if info.get("is_member", True) else "not_in_channel"


def give(deps: Deps, gift: Gift) -> KudosResult | None:
    """Resolve people, record the kudos and queue its announcements in one transaction.
    Returns None when ``event_id`` was already handled (a retried event)."""
    now = deps.clock()
    policy = deps.config(gift.team_id).kudos  # the workspace's rules, as of now
    from_groups = (
        [
            u
            for u in deps.directory.group_members(gift.group_ids, team_id=gift.team_id)
            if u not in gift.user_ids
        ]
        if gift.group_ids
        else []
    )
    left_out = rules.leave_giver_out(gift.giver_id, gift.user_ids, from_groups)
    named = [u for u in gift.user_ids if not (left_out and u == gift.giver_id)]
    people = deps.directory.people(
        team_id=gift.team_id, user_ids=[gift.giver_id, *named, *from_groups], now=now
    )
    # Named people must all be valid; a group's bots, departed members and the giver are skipped.
    recipients = [people[u] for u in named] + [
        p for p in (people[u] for u in from_groups) if is_teammate(p) and p.user_id != gift.giver_id
    ]
    place = where_to_post(deps, gift.team_id, gift.channel_id, policy.kudos_channel)
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
        result = replace(result, place=place, left_giver_out=left_out)
        in_channel = milestones_in_channel(
            session, team_id=gift.team_id, user_ids=[c.user_id for c in result.celebrations]
        )
        messages = announcements(
            result,
            place.channel_id,
            gift.permalink,
            in_channel=in_channel,
            thread_ts=gift.thread_ts if place.channel_id == gift.channel_id else None,
            giver_confirmed=gift.source not in (KudosSource.REACTION, KudosSource.CUSTOMER),
        )
        deps.outbox.enqueue(session, gift.team_id, messages, now)
    deps.deliverer.kick()
    return result


def withdraw(deps: Deps, session: Session, *, team_id: str, batch_id: str, giver_id: str) -> None:
    """Queue the edits that mark a batch's post and DMs withdrawn (or cancel them if unsent),
    in the caller's transaction, so a revocation and its announcement stand or fall together."""
    edit = withdraw_edit(giver_id)
    kinds = [OutboxKind.POST, OutboxKind.DM]
    deps.outbox.withdraw(session, team_id, batch_id, kinds, edit, deps.clock())


def confirm_by_dm(deps: Deps, result: KudosResult) -> None:
    """Tell the giver it worked (with Undo) by DM: they could not be told where they gave it."""
    undo_minutes = deps.config(result.team_id).kudos.undo_minutes
    with deps.db.write() as session:
        message = confirmation_dm(result, undo_minutes)
        deps.outbox.enqueue(session, result.team_id, [message], deps.clock())
    deps.deliverer.kick()


def undo(
    deps: Deps, *, team_id: str, batch_id: str, giver_id: str, key: str | None = None
) -> Undone:
    """The giver pressed Undo: take the batch back and withdraw what it sent, if still allowed."""
    now = deps.clock()
    giver = deps.directory.person(team_id=team_id, user_id=giver_id, now=now)
    policy = deps.config(team_id).kudos
    with deps.db.write() as session:
        events.once(session=session, team_id=team_id, key=key, now=deps.clock())
        undone = rules.undo_kudos(
            session=session,
            team_id=team_id,
            batch_id=batch_id,
            giver=giver,
            rules=policy,
            now=now,
        )
        withdraw(deps, session, team_id=team_id, batch_id=batch_id, giver_id=giver_id)
    deps.deliverer.kick()
    return undone


def react(deps: Deps, reaction: Reaction, permalink: str | None) -> KudosResult | None:
    """The kudos emoji on someone's message gives them kudos for it. None when nothing was
    given: the message has no person behind it, the event was a retry, or the giver already
    recognised this message (another skin tone of the emoji)."""
    if not reaction.author_id:
        return None
    try:
        return give(
            deps,
            Gift(
                team_id=reaction.team_id,
                giver_id=reaction.giver_id,
                user_ids=(reaction.author_id,),
                reason=reaction_reason(
                    deps.config(reaction.team_id).kudos.emoji, permalink, reaction.channel_id
                ),
                values=(),
                channel_id=reaction.channel_id,
                source=KudosSource.REACTION,
                source_ref=reaction.source_ref,
                thread_ts=reaction.ts,
                event_id=reaction.event_id,
            ),
        )
    except DuplicateKudosError:
        return None


def unreact(deps: Deps, reaction: Reaction) -> list[Kudos]:
    """The giver removed their kudos reaction: the kudos it gave is taken back, whenever that
    is, and what it sent withdrawn. Returns the kudos taken back (none for a retried event)."""
    now = deps.clock()
    with deps.db.write() as session:
        if not events.first_delivery(
            session=session, team_id=reaction.team_id, event_id=reaction.event_id, now=now
        ):
            return []
        revoked = rules.take_back_reaction(
            session=session,
            team_id=reaction.team_id,
            giver_id=reaction.giver_id,
            source_ref=reaction.source_ref,
            now=now,
        )
        for batch_id in dict.fromkeys(k.batch_id for k in revoked):
            withdraw(
                deps,
                session,
                team_id=reaction.team_id,
                batch_id=batch_id,
                giver_id=reaction.giver_id,
            )
    deps.deliverer.kick()
    return revoked


def stats(deps: Deps, *, team_id: str, viewer_id: str, user_id: str | None) -> Stats:
    """``/kudos stats [@someone]``: the viewer's own numbers, or someone else's (a person this
    workspace knows, not a bot)."""
    now = deps.clock()
    person = deps.directory.person(team_id=team_id, user_id=user_id or viewer_id, now=now)
    if not person.known:
        raise UnknownUserError((person.user_id,))
    if person.is_bot:
        raise BotRecipientError((person.user_id,))
    policy = deps.config(team_id).kudos
    with deps.db.read() as session:
        return rules.kudos_stats(
            session=session,
            team_id=team_id,
            person=person,
            viewer_id=viewer_id,
            rules=policy,
            now=now,
        )


def leaderboard(deps: Deps, *, team_id: str, period: Period, value: str | None) -> Board:
    """``/kudos leaderboard [week|month|all] [#value]``: the most recognised people."""
    with deps.db.read() as session:
        return rules.kudos_leaderboard(
            session=session, team_id=team_id, period=period, value=value, now=deps.clock()
        )


def set_opt_out(deps: Deps, *, team_id: str, user_id: str, opt_out: bool) -> None:
    """``/kudos optout`` and ``optin``: leave the leaderboards, or come back."""
    with deps.db.write() as session:
        rules.set_leaderboard_opt_out(
            session=session, team_id=team_id, user_id=user_id, opt_out=opt_out
        )


def history(
    deps: Deps,
    *,
    team_id: str,
    viewer_id: str,
    subject_id: str | None = None,
    direction: HistoryDirection | None = None,
    mark: Mark | None = None,
) -> HistoryPage:
    """``/kudos history [@someone]`` and its pages: all of one's own kudos, received and given;
    of someone else (a person Slack knows, not a bot; deactivated is fine, what was public
    stays public) only those given in a public channel. The scope follows who asks, never
    what a button says."""
    subject = subject_id or viewer_id
    scope = HistoryScope.OWN if subject == viewer_id else HistoryScope.PUBLIC
    channels: tuple[str, ...] | None = None
    left = False
    if scope is HistoryScope.PUBLIC:
        person = deps.directory.person(team_id=team_id, user_id=subject, now=deps.clock())
        if not person.known:
            raise UnknownUserError((subject,))
        if person.is_bot:
            raise BotRecipientError((subject,))
        left = person.deleted
        with deps.db.read() as session:
            seen = kudos_history.channels_of(session, team_id=team_id, user_id=subject)
        channels = public_channels(deps, team_id, seen)
    ask = HistoryAsk(subject, viewer_id, scope, direction, mark)
    with deps.db.read() as session:
        return kudos_history.read_page(
            session, team_id=team_id, ask=ask, channels=channels, subject_left=left
        )


def public_channels(deps: Deps, team_id: str, channel_ids: list[str]) -> tuple[str, ...]:
    """Those of ``channel_ids`` anyone in the workspace can read and Bravo is in (so a kudos
    given there was posted there): one conversations.info each, reused for a minute. A channel
    Slack will not describe (deleted, private without Bravo, Slack in trouble) is not public."""
    public: list[str] = []
    for channel_id in channel_ids:
        try:
            info = deps.channels.info(deps.client_for(team_id), team_id, channel_id)
        except SlackApiError as err:
            log.info("history: %s not described: %s", channel_id, err.response.get("error"))
            continue
        hidden = info.get("is_private") or info.get("is_im") or info.get("is_mpim")
        if info and not hidden and info.get("is_member", True):
            public.append(channel_id)
    return tuple(public)


def stats_in(
    deps: Deps,
    session: Session,
    *,
    team_id: str,
    person: rules.Person,
    kudos_rules: rules.KudosRules,
) -> Stats:
    """A person's own numbers (with what is left of today's allowance, their local day), read
    in the caller's transaction (the Home tab reads everything in one)."""
    return rules.kudos_stats(
        session=session,
        team_id=team_id,
        person=person,
        viewer_id=person.user_id,
        rules=kudos_rules,
        now=deps.clock(),
    )
