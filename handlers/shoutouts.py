"""The Slack edge for ``/bravo``: team channels' weekly shout-outs, celebrations, leads, the
fairness note, and the admins' date import (a modal to paste CSV into).

Listeners ack first. The import modal opens at once (its ``trigger_id`` expires in 3 s); other
work goes to the work queue, reads Slack before opening a writing transaction, and answers with
an ephemeral reply. Every domain error becomes a friendly reply; nothing is half-saved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.admins import is_admin
from bot.commands import command_help
from bot.deps import Deps
from bot.errors import BravoError, error_text
from bot.outbox.envelope import OutMessage, SlackMethod
from bot.shoutouts import ids, render, service
from bot.shoutouts import parse as p
from bot.shoutouts.errors import CsvRejectedError, NotAChannelError, NotAllowedError, csv_problems
from bot.shoutouts.jobs import MEMBERS_TTL, next_post, refresh_members
from bot.shoutouts.team import check_channel, fetch_members
from bot.shoutouts.week import Week, build_week
from handlers.common import ephemeral, later
from storage import shoutouts as store
from storage.models import ShoutoutChannel


@dataclass(frozen=True)
class Asked:
    team: str
    user: str
    channel: str
    now: datetime


def register(app: App, deps: Deps) -> None:
    @app.command(ids.COMMAND)
    def on_bravo(ack: Ack, command: dict[str, Any], respond: Respond, client: Any) -> None:
        ack()
        try:
            parsed = p.parse_bravo_command(command.get("text") or "")
        except BravoError as err:
            respond(ephemeral(error_text(err)))
            return
        if isinstance(parsed, p.BravoHelp):
            respond(ephemeral(command_help(ids.COMMAND)))
        elif isinstance(parsed, p.ImportDates):
            if not is_admin(deps.client, deps.settings, command["user_id"]):
                respond(ephemeral(error_text(NotAllowedError("admin"))))
                return
            client.views_open(trigger_id=command["trigger_id"], view=render.import_modal())
        else:
            later(deps, command, respond, lambda: answer(command, parsed, respond))

    def answer(command: dict[str, Any], parsed: Any, respond: Respond) -> None:
        asked = Asked(command["team_id"], command["user_id"], command["channel_id"], deps.clock())
        try:
            if isinstance(parsed, p.ShoutoutsPreview | p.ShoutoutsList):
                cfg, week = week_so_far(asked)
                if isinstance(parsed, p.ShoutoutsPreview):
                    respond(render.preview(week, cfg, next_post(cfg, asked.now)))
                else:
                    respond(render.week_list(week))
                return
            respond(ephemeral(ACTIONS[type(parsed)](asked, parsed)))
        except BravoError as err:
            respond(ephemeral(error_text(err)))

    def shoutouts_on(asked: Asked, parsed: p.ShoutoutsOn) -> str:
        # Slack first, outside any transaction: can Bravo post here, and who is the team?
        info = check_channel(deps.client, asked.channel)
        members = fetch_members(deps.client, asked.channel)
        # Slack has no workspace time zone for bots: default to the time zone of the person
        # turning shout-outs on (the time-zone argument overrides it).
        tz = parsed.tz or deps.directory.person(asked.team, asked.user, asked.now).tz
        admin = is_admin(deps.client, deps.settings, asked.user)
        with deps.db.write() as session:
            cfg = service.turn_on(
                session=session,
                team_id=asked.team,
                channel_id=asked.channel,
                user_id=asked.user,
                request=parsed,
                tz=tz,
                creator_id=info.get("creator") or None,
                members=members,
                admin=admin,
                now=asked.now,
            )
        first = next_post(cfg, asked.now)
        # Polled every few minutes: a post due sooner than that would be late without a nudge.
        deps.wake(ids.JOB, first)
        return render.turned_on(cfg, first, len(members))

    def shoutouts_off(asked: Asked, parsed: p.ShoutoutsOff) -> str:
        admin = is_admin(deps.client, deps.settings, asked.user)
        with deps.db.write() as session:
            service.turn_off(
                session=session,
                team_id=asked.team,
                channel_id=asked.channel,
                user_id=asked.user,
                admin=admin,
                now=asked.now,
            )
        return render.TURNED_OFF

    def set_date(asked: Asked, parsed: p.SetDate) -> str:
        with deps.db.write() as session:
            service.set_date(
                session=session,
                team_id=asked.team,
                user_id=asked.user,
                kind=parsed.kind,
                month=parsed.month,
                day=parsed.day,
                year=parsed.year,
                now=asked.now,
            )
        return render.date_saved(parsed.kind, parsed.month, parsed.day, parsed.year)

    def forget_date(asked: Asked, parsed: p.ForgetDate) -> str:
        with deps.db.write() as session:
            gone = service.forget_date(
                session=session, team_id=asked.team, user_id=asked.user, kind=parsed.kind
            )
        return render.date_forgotten(parsed.kind, gone)

    def opt_out(asked: Asked, parsed: p.CelebrateOptOut) -> str:
        with deps.db.write() as session:
            service.set_opt_out(
                session=session, team_id=asked.team, user_id=asked.user, opt_out=parsed.opt_out
            )
        return render.opted_out(parsed.opt_out)

    def milestones_where(asked: Asked, parsed: p.MilestonesWhere) -> str:
        with deps.db.write() as session:
            service.set_milestones_where(
                session=session, team_id=asked.team, user_id=asked.user, where=parsed.where
            )
        return render.milestones_where(parsed.where)

    def name_lead(asked: Asked, parsed: p.NameLead) -> str:
        if asked.channel[:1] not in "CG":
            raise NotAChannelError()
        admin = is_admin(deps.client, deps.settings, asked.user)
        with deps.db.write() as session:
            service.name_lead(
                session=session,
                team_id=asked.team,
                channel_id=asked.channel,
                lead_id=parsed.user_id,
                by=asked.user,
                admin=admin,
                now=asked.now,
            )
        return render.lead_named(parsed.user_id, asked.channel)

    def fairness(asked: Asked, parsed: p.Fairness) -> str:
        with deps.db.write() as session:
            service.set_fairness(
                session=session,
                team_id=asked.team,
                channel_id=asked.channel,
                user_id=asked.user,
                on=parsed.on,
                now=asked.now,
            )
        return render.fairness_set(parsed.on)

    ACTIONS: dict[type, Callable[[Asked, Any], str]] = {
        p.ShoutoutsOn: shoutouts_on,
        p.ShoutoutsOff: shoutouts_off,
        p.SetDate: set_date,
        p.ForgetDate: forget_date,
        p.CelebrateOptOut: opt_out,
        p.MilestonesWhere: milestones_where,
        p.NameLead: name_lead,
        p.Fairness: fairness,
    }

    def week_so_far(asked: Asked) -> tuple[ShoutoutChannel, Week]:
        with deps.db.read() as session:
            cfg = service.team_channel(session, asked.team, asked.channel)
        if cfg.members_at is None or asked.now - cfg.members_at > MEMBERS_TTL:
            refresh_members(deps, asked.team, asked.channel, asked.now)
        with deps.db.read() as session:
            week = build_week(
                session=session,
                team_id=asked.team,
                channel_id=asked.channel,
                members=store.members(session, asked.team, asked.channel),
                tz=cfg.tz,
                end=asked.now,
                so_far=True,
            )
        return cfg, week

    @app.view(ids.IMPORT_CALLBACK)
    def on_import(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        team, user = body["team"]["id"], body["user"]["id"]
        values = (view.get("state") or {}).get("values") or {}
        text = (values.get(ids.IMPORT_BLOCK, {}).get(ids.IMPORT_ACTION) or {}).get("value") or ""
        now = deps.clock()
        if not is_admin(deps.client, deps.settings, user):
            refused = error_text(NotAllowedError("admin"))
            ack(response_action="errors", errors={ids.IMPORT_BLOCK: refused})
            return
        try:
            rows = p.parse_dates_csv(text, today=now.date())
        except CsvRejectedError as err:
            ack(response_action="errors", errors={ids.IMPORT_BLOCK: csv_problems(err)})
            return
        if not rows:
            ack(response_action="errors", errors={ids.IMPORT_BLOCK: "Paste at least one row."})
            return
        with deps.db.write() as session:
            people, count = service.import_dates(session=session, team_id=team, rows=rows, now=now)
            report = OutMessage(
                kind=ids.IMPORTED,
                method=SlackMethod.POST,
                payload=render.imported_dm(user, people, count),
            )
            deps.outbox.enqueue(session, team, [report], now)
        ack()
        deps.deliverer.kick()
