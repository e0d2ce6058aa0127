"""The Slack edge for ``/bravo``: team channels' weekly shout-outs, celebrations, leads, the
fairness note, and the admins' date import (a modal to paste CSV into).

Listeners ack first. The import modal opens at once (its ``trigger_id`` expires in 3 s); other
work goes to the work queue, reads Slack before opening a writing transaction, and answers with
an ephemeral reply. Every domain error becomes a friendly reply; nothing is half-saved.
"""

from __future__ import annotations

import calendar
import logging
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.admins import is_admin
from bot.commands import command_help
from bot.delivery import OutMessage
from bot.deps import Deps
from bot.errors import BravoError
from bot.goals.schedule import next_due
from bot.render import shoutouts as render
from bot.render.errors import error_text
from bot.shoutouts import ids, service
from bot.shoutouts import parse as p
from bot.shoutouts.errors import CsvRejectedError, NotAChannelError, NotAllowedError
from bot.shoutouts.jobs import MEMBERS_TTL, refresh_members, weekly
from bot.shoutouts.team import check_channel, fetch_members
from bot.shoutouts.week import build_week
from bot.users import zone_or_utc
from handlers.common import ephemeral, later
from storage import shoutouts as store

log = logging.getLogger(__name__)
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _next_text(cfg: Any, now: datetime) -> str:
    zone = zone_or_utc(cfg.tz)
    at = next_due(weekly(cfg), zone, now).astimezone(zone)
    return f"on {at:%a} {at.day} {at:%b} at {at:%H:%M} ({cfg.tz})"


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
            later(deps, command, respond, lambda: bravo_command(command, parsed, respond))

    def run(command: dict[str, Any], parsed: Any) -> str:
        team, user, channel = command["team_id"], command["user_id"], command["channel_id"]
        now = deps.clock()
        if isinstance(parsed, p.ShoutoutsOn):
            return shoutouts_on(team, user, channel, parsed, now)
        if isinstance(parsed, p.ShoutoutsOff):
            admin = is_admin(deps.client, deps.settings, user)
            with deps.db.write() as session:
                service.turn_off(
                    session=session,
                    team_id=team,
                    channel_id=channel,
                    user_id=user,
                    admin=admin,
                    now=now,
                )
            return "Weekly shout-outs are off for this channel. `/bravo shoutouts on` any time."
        if isinstance(parsed, p.SetDate):
            with deps.db.write() as session:
                service.set_date(
                    session=session,
                    team_id=team,
                    user_id=user,
                    kind=parsed.kind,
                    month=parsed.month,
                    day=parsed.day,
                    year=parsed.year,
                    now=now,
                )
            when = f"{parsed.day} {calendar.month_name[parsed.month]}"
            if parsed.kind == "birthday":
                return (
                    f":birthday: Saved: your birthday is on {when}. Your team channels celebrate "
                    "it at 09:00 (weekends on the Friday before); no year is kept or shown. "
                    "`/bravo celebrate optout` to skip celebrations."
                )
            return (
                f":confetti_ball: Saved: you started on {when} {parsed.year}. Your team channels "
                "celebrate each anniversary at 09:00."
            )
        if isinstance(parsed, p.ForgetDate):
            with deps.db.write() as session:
                gone = service.forget_date(
                    session=session, team_id=team, user_id=user, kind=parsed.kind
                )
            word = "birthday" if parsed.kind == "birthday" else "start date"
            return f"Forgotten: your {word}." if gone else f"I didn't have your {word}."
        if isinstance(parsed, p.CelebrateOptOut):
            with deps.db.write() as session:
                service.set_opt_out(
                    session=session, team_id=team, user_id=user, opt_out=parsed.opt_out
                )
            if parsed.opt_out:
                return (
                    "Done: no birthday or anniversary celebrations for you. "
                    "`/bravo celebrate optin` to undo."
                )
            return "Welcome back: your birthday and anniversaries will be celebrated again."
        if isinstance(parsed, p.MilestonesWhere):
            with deps.db.write() as session:
                service.set_milestones_where(
                    session=session, team_id=team, user_id=user, where=parsed.where
                )
            if parsed.where == "channel":
                return "Your milestones will also be announced in your team channel."
            return "Your milestones will reach you by DM only."
        if isinstance(parsed, p.NameLead):
            if channel[:1] not in "CG":
                raise NotAChannelError()
            admin = is_admin(deps.client, deps.settings, user)
            with deps.db.write() as session:
                service.name_lead(
                    session=session,
                    team_id=team,
                    channel_id=channel,
                    lead_id=parsed.user_id,
                    by=user,
                    admin=admin,
                    now=now,
                )
            return f"<@{parsed.user_id}> is a team lead for <#{channel}>."
        if isinstance(parsed, p.Fairness):
            with deps.db.write() as session:
                service.set_fairness(
                    session=session,
                    team_id=team,
                    channel_id=channel,
                    user_id=user,
                    on=parsed.on,
                    now=now,
                )
            if parsed.on:
                return (
                    ":mag: Fairness note on. With each weekly shout-out you get a private DM "
                    "listing members nobody has recognised for four weeks. It is never posted "
                    "in the channel."
                )
            return "Fairness note off."
        raise AssertionError(f"unhandled {parsed!r}")

    def shoutouts_on(
        team: str, user: str, channel: str, parsed: p.ShoutoutsOn, now: datetime
    ) -> str:
        # Slack first, outside any transaction: can Bravo post here, and who is the team?
        info = check_channel(deps.client, channel)
        members = fetch_members(deps.client, channel)
        # Slack has no workspace time zone for bots: default to the time zone of the person
        # turning shout-outs on (the time-zone argument overrides it).
        tz = parsed.tz or deps.directory.person(team, user, now).tz
        admin = is_admin(deps.client, deps.settings, user)
        with deps.db.write() as session:
            cfg = service.turn_on(
                session=session,
                team_id=team,
                channel_id=channel,
                user_id=user,
                request=parsed,
                tz=tz,
                creator_id=info.get("creator") or None,
                members=members,
                admin=admin,
                now=now,
            )
            text = (
                f":star2: Weekly shout-outs are on for <#{channel}>: "
                f"{render.schedule_text(cfg)}, first {_next_text(cfg, now)}. The team is the "
                f"channel's {len(members)} members. `/bravo shoutouts preview` shows the post "
                "so far; `/bravo shoutouts off` stops it."
            )
        return text

    def week_so_far(team: str, channel: str, now: datetime) -> tuple[Any, Any]:
        with deps.db.read() as session:
            cfg = service.team_channel(session, team, channel)
        if cfg.members_at is None or now - cfg.members_at > MEMBERS_TTL:
            refresh_members(deps, team, channel, now)
        with deps.db.read() as session:
            members = store.members(session, team, channel)
            week = build_week(
                session=session,
                team_id=team,
                channel_id=channel,
                members=members,
                tz=cfg.tz,
                end=now,
            )
        return cfg, week

    def rich(command: dict[str, Any], parsed: Any, respond: Respond) -> None:
        team, channel, now = command["team_id"], command["channel_id"], deps.clock()
        try:
            cfg, week = week_so_far(team, channel, now)
        except BravoError as err:
            respond(ephemeral(error_text(err)))
            return
        if isinstance(parsed, p.ShoutoutsPreview):
            respond(render.preview(week, cfg, _next_text(cfg, now)))
        else:
            respond(render.week_list(week))

    def bravo_command(command: dict[str, Any], parsed: Any, respond: Respond) -> None:
        if isinstance(parsed, (p.ShoutoutsPreview, p.ShoutoutsList)):
            rich(command, parsed, respond)
        else:
            try:
                respond(ephemeral(run(command, parsed)))
            except BravoError as err:
                respond(ephemeral(error_text(err)))

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
            ack(response_action="errors", errors={ids.IMPORT_BLOCK: render.csv_problems(err)})
            return
        if not rows:
            ack(response_action="errors", errors={ids.IMPORT_BLOCK: "Paste at least one row."})
            return
        with deps.db.write() as session:
            people, count = service.import_dates(session=session, team_id=team, rows=rows, now=now)
            report = OutMessage(
                kind=ids.IMPORTED,
                method="chat.postMessage",
                payload=render.imported_dm(user, people, count),
            )
            deps.outbox.enqueue(session, team, [report], now)
        ack()
        deps.deliverer.kick()
