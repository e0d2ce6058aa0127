"""Kudos use cases, each in its own transaction, on a real database and the fake Slack."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.deps import Deps
from bot.kudos import service
from bot.kudos.errors import UndoNotAllowedError
from bot.kudos.ids import OutboxKind, Period, UndoRefusal
from bot.kudos.parse import GiveKudos, ModalKudos, Reaction
from storage.models import Kudos, KudosRevocation, OutboxRow
from storage.models.kudos import KudosSource, RevocationReason
from tests.bot.kudos.conftest import CHANNEL, TEAM, Clock


def outbox(deps: Deps) -> list[OutboxRow]:
    with deps.db.read() as s:
        return list(s.exec(select(OutboxRow).order_by(OutboxRow.id)).all())


def kudos_rows(deps: Deps) -> list[Kudos]:
    with deps.db.read() as s:
        return list(s.exec(select(Kudos).order_by(Kudos.id)).all())


def give(deps: Deps, giver: str = "UANA", to: tuple[str, ...] = ("UBEN",)) -> service.KudosResult:
    parsed = GiveKudos(user_ids=to, group_ids=(), reason="for the save", values=("empathy",))
    result = service.give(
        deps, service.command_gift(parsed, team_id=TEAM, giver_id=giver, channel_id=CHANNEL)
    )
    assert result is not None
    return result


def reaction(
    giver: str = "UANA", author: str | None = "UBEN", event_id: str | None = "Ev1"
) -> Reaction:
    return Reaction(
        team_id=TEAM,
        giver_id=giver,
        author_id=author,
        channel_id=CHANNEL,
        ts="1732350000.000100",
        event_id=event_id,
    )


def test_a_command_gift_is_recorded_and_announced(deps: Deps) -> None:
    result = give(deps)
    [row] = kudos_rows(deps)
    assert (row.source, row.recipient_id, row.batch_id) == ("command", "UBEN", result.batch_id)
    kinds = [r.kind for r in outbox(deps)]
    assert kinds == [OutboxKind.POST, OutboxKind.DM]  # the first kudos is told inside the DM
    assert kinds == ["kudos_post", "kudos_dm"]  # what the database holds


def test_a_form_about_a_message_is_a_shortcut_kudos(deps: Deps) -> None:
    submitted = ModalKudos(
        user_ids=("UBEN",),
        reason="Great FAQ",
        values=(),
        channel_id=CHANNEL,
        msg_channel=CHANNEL,
        msg_ts="1.2",
    )
    gift = service.modal_gift(submitted, team_id=TEAM, giver_id="UANA", permalink=None)
    assert (gift.source, gift.source_ref) == (KudosSource.SHORTCUT, f"{CHANNEL}:1.2")
    plain = service.modal_gift(
        ModalKudos(("UBEN",), "x", (), CHANNEL), team_id=TEAM, giver_id="UANA", permalink=None
    )
    assert (plain.source, plain.source_ref) == (KudosSource.MODAL, None)


def test_undo_is_for_the_giver_and_withdraws_what_was_sent(deps: Deps, clock: Clock) -> None:
    result = give(deps)
    with pytest.raises(UndoNotAllowedError) as info:
        service.undo(deps, team_id=TEAM, batch_id=result.batch_id, giver_id="UBEN")
    assert info.value.why == UndoRefusal.NOT_GIVER
    undone = service.undo(deps, team_id=TEAM, batch_id=result.batch_id, giver_id="UANA")
    assert (len(undone.revoked), undone.remaining_today) == (1, 5)
    with deps.db.read() as s:
        [revocation] = s.exec(select(KudosRevocation)).all()
    assert revocation.why == RevocationReason.UNDO
    # Nothing had been sent yet: the post and the DM are cancelled, not edited.
    assert [r.status for r in outbox(deps) if r.ref == result.batch_id] == ["cancelled"] * 2


def test_undo_too_late_is_refused(deps: Deps, clock: Clock) -> None:
    result = give(deps)
    clock.at += timedelta(minutes=11)
    with pytest.raises(UndoNotAllowedError) as info:
        service.undo(deps, team_id=TEAM, batch_id=result.batch_id, giver_id="UANA")
    assert info.value.why == UndoRefusal.EXPIRED


def test_a_reaction_gives_once_per_message_and_giver(deps: Deps) -> None:
    first = service.react(deps, reaction(event_id="Ev1"), permalink=None)
    assert first is not None and first.source == KudosSource.REACTION
    assert first.reason == f":clap: on a message in <#{CHANNEL}>"
    assert service.react(deps, reaction(event_id="Ev1"), permalink=None) is None  # a retry
    assert service.react(deps, reaction(event_id="Ev2"), permalink=None) is None  # again
    assert service.react(deps, reaction(author=None, event_id="Ev3"), permalink=None) is None
    [row] = kudos_rows(deps)
    assert row.source_ref == f"{CHANNEL}:1732350000.000100"
    [post] = [r for r in outbox(deps) if r.kind == OutboxKind.POST]
    assert json.loads(post.payload)["thread_ts"] == "1732350000.000100"


def test_removing_the_reaction_takes_it_back_once(deps: Deps) -> None:
    service.react(deps, reaction(event_id="Ev1"), permalink="https://x.slack.com/archives/1")
    revoked = service.unreact(deps, reaction(event_id="Ev2"))
    assert [k.recipient_id for k in revoked] == ["UBEN"]
    assert service.unreact(deps, reaction(event_id="Ev2")) == []  # a retried delivery
    with deps.db.read() as s:
        [revocation] = s.exec(select(KudosRevocation)).all()
    assert revocation.why == RevocationReason.REACTION_REMOVED


def test_the_confirmation_goes_by_dm_when_it_cannot_be_shown_in_place(deps: Deps) -> None:
    result = give(deps)
    service.confirm_by_dm(deps, result)
    [dm] = [r for r in outbox(deps) if r.kind == OutboxKind.CONFIRM]
    assert dm.kind == "kudos_confirm"
    payload = json.loads(dm.payload)
    assert payload["channel"] == "UANA" and result.batch_id in json.dumps(payload["blocks"])


def test_stats_leaderboard_and_opting_out(deps: Deps) -> None:
    give(deps, to=("UBEN", "UCY"))
    give(deps, giver="UCY", to=("UBEN",))
    ben = service.stats(deps, team_id=TEAM, viewer_id="UANA", user_id="UBEN")
    assert (ben.user_id, ben.received, ben.remaining_today) == ("UBEN", 2, None)
    own = service.stats(deps, team_id=TEAM, viewer_id="UANA", user_id=None)
    assert (own.user_id, own.given, own.remaining_today) == ("UANA", 2, 3)
    board = service.leaderboard(deps, team_id=TEAM, period=Period.WEEK, value=None)
    assert [(r.user_id, r.count) for r in board.rows] == [("UBEN", 2), ("UCY", 1)]
    service.set_opt_out(deps, team_id=TEAM, user_id="UBEN", opt_out=True)
    board = service.leaderboard(deps, team_id=TEAM, period=Period.ALL, value=None)
    assert [r.user_id for r in board.rows] == ["UCY"]
