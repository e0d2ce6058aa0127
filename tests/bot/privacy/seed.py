"""A workspace where Ana, Ben and Cy have a bit of everything: what the privacy tests export,
erase and purge. Ben gives Cy private feedback and Cy has a goal: never part of Ana's data."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, select

from bot.kudos import rules as kudos
from bot.settings import KudosRules
from bot.users import Person
from storage import kudos as ledger
from storage.db import Database
from storage.models import (
    CelebrationPref,
    CheckIn,
    CoachPairing,
    CustomerFeedback,
    Feedback,
    FeedbackRequest,
    Goal,
    HomeViewer,
    Kudos,
    OutboxRow,
    PersonDate,
    SettingChange,
    SlackUser,
    UserPref,
    WorkspaceConfig,
)
from storage.models.kudos import RevocationReason

T = "T0SANDBOX"
ANA, BEN, CY = "UANA", "UBEN", "UCY"
AT = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
CY_GOAL = "Cy's secret goal: shorter handle times"
BEN_TO_CY = "Ben told Cy privately about the escalation"


def give(session: Session, team: str, giver: str, to: str, reason: str, at: datetime) -> None:
    kudos.give_kudos(
        session=session,
        team_id=team,
        giver=Person(giver),
        recipients=[Person(to)],
        reason=reason,
        values=("empathy",),
        channel_id="C0KUDOS",
        source="command",
        rules=KudosRules(daily_allowance=1000),
        now=at,
    )


def goal(team: str, owner: str, what: str) -> Goal:
    return Goal(
        team_id=team,
        owner_id=owner,
        what=what,
        measure="a number",
        skill="empathy",
        target_date=date(2027, 1, 1),
        cadence_anchor=date(2026, 11, 16),
        created_at=AT,
        updated_at=AT,
    )


def feedback(team: str, giver: str, to: str, text: str) -> Feedback:
    return Feedback(
        team_id=team,
        giver_id=giver,
        recipient_id=to,
        situation=text,
        behaviour="b",
        impact="i",
        skill="empathy",
        fingerprint=hashlib.sha256(f"{giver}{to}{text}".encode()).hexdigest(),
        created_at=AT,
    )


def seed(db: Database, team: str = T) -> None:
    with db.write() as s:
        give(s, team, ANA, BEN, "Ana thanks Ben for the handover", AT)
        give(s, team, BEN, ANA, "Ben thanks Ana for calming a caller", AT)
        give(s, team, CY, ANA, "Cy thanks Ana, then took it back", AT)
        give(s, team, BEN, CY, f"Ben thanks Cy for pairing with <@{ANA}>", AT)
        [taken] = [k for k in ledger_rows(s, team) if k.giver_id == CY]
        ledger.revoke(s, [taken], by=CY, why=RevocationReason.UNDO, now=AT)
        for owner, what in ((ANA, "Ana's goal: learn the billing tool"), (CY, CY_GOAL)):
            g = goal(team, owner, what)
            s.add(g)
            s.flush()
            s.add(
                CheckIn(
                    team_id=team,
                    goal_id=g.id or 0,
                    user_id=owner,
                    status="on_track",
                    progress=f"{owner} progress",
                    source="self",
                    created_at=AT,
                )
            )
        s.add(feedback(team, BEN, CY, BEN_TO_CY))
        s.add(feedback(team, BEN, ANA, "Ben to Ana: great tone"))
        s.add(feedback(team, ANA, BEN, "Ana to Ben: clear notes"))
        for requester, giver in ((ANA, BEN), (CY, BEN), (BEN, ANA)):
            s.add(
                FeedbackRequest(
                    team_id=team,
                    batch_id=f"b-{requester}",
                    requester_id=requester,
                    giver_id=giver,
                    topic=f"{requester} asks {giver}",
                    expires_at=AT + timedelta(days=7),
                    created_at=AT,
                )
            )
        for mate, said in ((ANA, "Ana was wonderful"), (CY, "Cy was rude, said a customer")):
            s.add(
                CustomerFeedback(
                    team_id=team,
                    logged_by=BEN,
                    teammate_id=mate,
                    kind="praise",
                    rating=5,
                    source="email",
                    text=said,
                    created_at=AT,
                )
            )
        s.add(
            CustomerFeedback(
                team_id=team,
                logged_by=ANA,
                teammate_id=CY,
                kind="complaint",
                rating=1,
                source="chat",
                text="Cy's private complaint",
                created_at=AT,
            )
        )
        for coach, coachee in ((BEN, ANA), (BEN, CY)):
            s.add(
                CoachPairing(
                    team_id=team,
                    coach_id=coach,
                    coachee_id=coachee,
                    status="active",
                    requested_at=AT,
                )
            )
        s.add(
            PersonDate(team_id=team, user_id=ANA, kind="birthday", month=3, day=14, updated_at=AT)
        )
        s.add(CelebrationPref(team_id=team, user_id=ANA, opt_out=True))
        s.add(UserPref(team_id=team, user_id=ANA, leaderboard_opt_out=False))
        s.add(HomeViewer(team_id=team, user_id=ANA, opened_at=AT))
        for uid in (ANA, BEN, CY):
            s.add(SlackUser(team_id=team, user_id=uid, name=uid.lower(), fetched_at=AT))
        s.add(
            SettingChange(
                team_id=team,
                key="admins",
                old=BEN,
                new=f"{BEN},{ANA}",
                changed_by=ANA,
                changed_at=AT,
            )
        )
        s.add(WorkspaceConfig(team_id=team, admins_csv=f"{BEN},{ANA}", updated_at=AT))
        s.add(outbox(team, ANA, "A DM for Ana"))
        s.add(outbox(team, "C0KUDOS", f"<@{ANA}> gave kudos to <@{BEN}>"))


def outbox(team: str, channel: str, text: str, at: datetime = AT) -> OutboxRow:
    return OutboxRow(
        team_id=team,
        kind="test",
        method="chat.postMessage",
        payload=json.dumps({"channel": channel, "text": text}),
        created_at=at,
        next_attempt_at=at,
    )


def ledger_rows(session: Session, team: str) -> list[Kudos]:
    return list(session.exec(select(Kudos).where(Kudos.team_id == team)).all())
