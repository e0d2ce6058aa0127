"""The Slack edge for goals, check-ins and coaching: /goal, /coach, their modals and buttons.

Listeners ack first. Modals that need a ``trigger_id`` open at once (it expires in 3 s); other
work goes to the work queue. Services run in one transaction with the messages they queue.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import date
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.celebrations.service import milestones_in_channel
from bot.coaching import service as coaching
from bot.commands import command_help
from bot.deps import Deps
from bot.errors import BadDateError, BravoError, error_text
from bot.goals import ids as g
from bot.goals import notify, render
from bot.goals import service as goals
from bot.goals.errors import GoalNotFoundError, PromptClosedError
from bot.goals.parse import (
    AskToCoach,
    CoachHelp,
    GoalHelp,
    ListCoaching,
    ListGoals,
    OpenGoalModal,
    SetAway,
    parse_coach_command,
    parse_goal_command,
)
from bot.kudos.render import kudos_modal
from bot.outbox.envelope import OutMessage, SlackMethod
from handlers.common import ephemeral, later
from storage import goals as store
from storage.models import Goal

log = logging.getLogger(__name__)
VALUE_RE = re.compile(r"^(\d{1,12}):(on_track|at_risk|blocked|done)$")
MENU_RE = re.compile(r"^(checkin|edit|pause|resume|complete|archive):(\d{1,12})$")


def _state(view: dict[str, Any], block: str, key: str) -> Any:
    return ((view.get("state") or {}).get("values") or {}).get(block, {}).get(g.INPUT, {}).get(key)


def _option(view: dict[str, Any], block: str) -> str:
    return str((_state(view, block, "selected_option") or {}).get("value") or "")


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) <= 12 else None


def _replace(respond: Respond, payload: dict[str, Any]) -> None:
    respond({"replace_original": True, **payload})


def _tell(respond: Respond, text: str) -> None:
    respond({"replace_original": False, **ephemeral(text)})


def register(app: App, deps: Deps) -> None:
    skills = deps.settings.kudos.values
    rules = deps.settings.goals

    def enqueue(session: Any, team: str, messages: list[OutMessage]) -> None:
        if messages:
            deps.outbox.enqueue(session, team, messages, deps.clock())

    def celebration_channel() -> str | None:
        return deps.settings.kudos.kudos_channel

    def channel_milestones(session: Any, result: goals.CheckInResult) -> frozenset[str]:
        """The owner, when their new streak milestone goes to their team channel, not a DM."""
        owner = [result.goal.owner_id] if result.streak_milestone else []
        return milestones_in_channel(session, team_id=result.goal.team_id, user_ids=owner)

    # /goal ------------------------------------------------------------------------------------

    @app.command(g.GOAL_COMMAND)
    def on_goal(ack: Ack, command: dict[str, Any], respond: Respond, client: Any) -> None:
        ack()
        try:
            parsed = parse_goal_command(command.get("text") or "")
        except BravoError as err:
            respond(ephemeral(error_text(err)))
            return
        if isinstance(parsed, OpenGoalModal):
            meta = render.meta(channel=command.get("channel_id"))
            client.views_open(
                trigger_id=command["trigger_id"],
                view=render.goal_modal(skills=skills, private_metadata=meta),
            )
        elif isinstance(parsed, GoalHelp):
            respond(ephemeral(command_help(g.GOAL_COMMAND)))
        else:
            later(deps, command, respond, lambda: goal_command(command, parsed, respond))

    def goal_command(command: dict[str, Any], parsed: Any, respond: Respond) -> None:
        team, user = command["team_id"], command["user_id"]
        now = deps.clock()
        viewer = deps.directory.person(team, user, now)
        try:
            if isinstance(parsed, ListGoals):
                owner = parsed.owner_id or user
                with deps.db.read() as session:
                    shown = coaching.goals_visible(
                        session, team_id=team, owner_id=owner, viewer_id=user
                    )
                body = render.goal_list(shown, viewer.zone, owner_id=owner, viewer_id=user)
                respond({"response_type": "ephemeral", **body})
            elif isinstance(parsed, SetAway):
                today = now.astimezone(viewer.zone).date()
                if parsed.until is not None and parsed.until < today:
                    raise BadDateError(parsed.until.isoformat())
                with deps.db.write() as session:
                    goals.set_away(session, team_id=team, user_id=user, until=parsed.until)
                text = (
                    f":palm_tree: No check-ins through {parsed.until:%a %d %b}; your streaks "
                    "are kept. `/goal back` when you return early."
                    if parsed.until
                    else "Welcome back! Check-ins resume on schedule."
                )
                respond(ephemeral(text))
        except BravoError as err:
            respond(ephemeral(error_text(err)))

    @app.view(g.GOAL_MODAL)
    def on_goal_modal(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        team, user = body["team"]["id"], body["user"]["id"]
        meta = json.loads(view.get("private_metadata") or "{}")
        now = deps.clock()
        owner = deps.directory.person(team, user, now)
        target_text = _state(view, g.TARGET, "selected_date") or ""
        try:
            target: date | None = date.fromisoformat(target_text) if target_text else None
        except ValueError:
            target = None
        day = _option(view, g.DAY)
        draft = goals.GoalDraft(
            what=_state(view, g.WHAT, "value") or "",
            measure=_state(view, g.MEASURE, "value") or "",
            skill=_option(view, g.SKILL),
            target_date=target,
            cadence=_option(view, g.CADENCE) or "weekly",
            weekday=int(day) if day.isdigit() else 0,
            time_text=_state(view, g.TIME, "selected_time") or "",
            visibility=_option(view, g.VISIBILITY),
        )
        spec, errors = goals.check_draft(
            draft,
            skills=skills,
            today=now.astimezone(owner.zone).date(),
            max_chars=rules.max_text_chars,
        )
        if spec is None:
            ack(response_action="errors", errors=errors)
            return
        goal_id = meta.get("goal")
        try:
            with deps.db.write() as session:
                if isinstance(goal_id, int):
                    goal = goals.update_goal(
                        session, team_id=team, goal_id=goal_id, owner=owner, spec=spec, now=now
                    )
                else:
                    goal = goals.create_goal(
                        session,
                        team_id=team,
                        owner=owner,
                        spec=spec,
                        channel_id=meta.get("channel"),
                        now=now,
                    )
                saved = render.goal_saved(goal, owner.zone, edited=isinstance(goal_id, int))
                enqueue(
                    session,
                    team,
                    [
                        OutMessage(
                            kind="goal_saved",
                            method=SlackMethod.POST,
                            payload={"channel": user, **saved},
                        )
                    ],
                )
        except BravoError as err:
            ack(response_action="errors", errors={g.WHAT: error_text(err)})
            return
        ack()
        deps.deliverer.kick()

    # Check-ins --------------------------------------------------------------------------------

    @app.action(re.compile(f"^{g.CHECKIN_ACTION}"))
    def on_answer(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        ack()
        later(deps, body, respond, lambda: answer(body, action, respond))

    def answer(body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        team, user = body["team"]["id"], body["user"]["id"]
        match = VALUE_RE.match(str(action.get("value") or ""))
        if not match:
            _tell(respond, "That button is out of date. Try `/goal list`.")
            return
        try:
            with deps.db.write() as session:
                result = goals.record_checkin(
                    session,
                    team_id=team,
                    actor_id=user,
                    goal_id=None,
                    prompt_id=int(match.group(1)),
                    status=match.group(2),
                    now=deps.clock(),
                )
                enqueue(
                    session,
                    team,
                    notify.checkin_messages(
                        result,
                        celebration_channel(),
                        from_prompt_buttons=True,
                        in_channel=channel_milestones(session, result),
                    ),
                )
        except BravoError as err:
            _tell(respond, error_text(err))
            return
        deps.deliverer.kick()
        _replace(respond, render.prompt_answered(result.goal, match.group(2), result.goal.streak))

    @app.action(g.NOTE_ACTION)
    def on_note(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: Any, respond: Respond
    ) -> None:
        ack()
        team, user = body["team"]["id"], body["user"]["id"]
        prompt_id = _int(str(action.get("value") or ""))
        try:
            with deps.db.read() as session:
                prompt = store.get_prompt(session, team, prompt_id or 0)
                if prompt is None:
                    raise GoalNotFoundError()
                goal = goals.own_goal(session, team, prompt.goal_id, user, lock=False)
                if prompt.status != "open":
                    raise PromptClosedError(prompt.status)
        except BravoError as err:
            _tell(respond, error_text(err))
            return
        client.views_open(
            trigger_id=body["trigger_id"],
            view=render.note_modal(goal=goal, private_metadata=render.meta(prompt=prompt_id)),
        )

    @app.view(g.NOTE_MODAL)
    def on_note_modal(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        team, user = body["team"]["id"], body["user"]["id"]
        meta = json.loads(view.get("private_metadata") or "{}")
        status = _option(view, g.NOTE_STATUS) or "on_track"
        progress = _state(view, g.NOTE_PROGRESS, "value") or ""
        if not progress.strip():
            ack(response_action="errors", errors={g.NOTE_PROGRESS: "A line on where you stand."})
            return
        if status not in goals.CHECKIN_STATUSES:
            ack(response_action="errors", errors={g.NOTE_STATUS: "Pick how it is going."})
            return
        prompt_id, goal_id = meta.get("prompt"), meta.get("goal")
        try:
            with deps.db.write() as session:
                result = goals.record_checkin(
                    session,
                    team_id=team,
                    actor_id=user,
                    goal_id=goal_id if isinstance(goal_id, int) else None,
                    prompt_id=prompt_id if isinstance(prompt_id, int) else None,
                    status=status,
                    progress=progress,
                    went_well=_state(view, g.NOTE_WELL, "value") or "",
                    next_step=_state(view, g.NOTE_NEXT, "value") or "",
                    now=deps.clock(),
                )
                messages = notify.checkin_messages(
                    result,
                    celebration_channel(),
                    from_prompt_buttons=False,
                    in_channel=channel_milestones(session, result),
                )
                saved = render.checkin_saved(result.goal, status, counted=result.counted)
                messages.append(
                    OutMessage(
                        kind="checkin_saved",
                        method=SlackMethod.POST,
                        payload={"channel": user, **saved},
                    )
                )
                enqueue(session, team, messages)
        except BravoError as err:
            ack(response_action="errors", errors={g.NOTE_PROGRESS: error_text(err)})
            return
        ack()
        deps.deliverer.kick()

    # The goal menu (from /goal list) ----------------------------------------------------------

    @app.action(g.GOAL_MENU)
    def on_menu(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: Any, respond: Respond
    ) -> None:
        ack()
        match = MENU_RE.match(str((action.get("selected_option") or {}).get("value") or ""))
        if not match:
            _tell(respond, "That menu is out of date. Try `/goal list`.")
            return
        verb, goal_id = match.group(1), int(match.group(2))
        team, user = body["team"]["id"], body["user"]["id"]
        if verb in {"checkin", "edit", "pause"}:
            try:
                with deps.db.read() as session:
                    goal = goals.own_goal(session, team, goal_id, user, lock=False)
                    goals.ensure_open(goal)
            except BravoError as err:
                _tell(respond, error_text(err))
                return
            client.views_open(trigger_id=body["trigger_id"], view=_menu_modal(verb, goal))
            return
        later(deps, body, respond, lambda: menu_change(team, user, verb, goal_id, respond))

    def _menu_modal(verb: str, goal: Goal) -> dict[str, Any]:
        meta = render.meta(goal=goal.id)
        if verb == "checkin":
            return render.note_modal(goal=goal, private_metadata=meta)
        if verb == "pause":
            return render.pause_modal(goal=goal, private_metadata=meta)
        return render.goal_modal(skills=skills, private_metadata=meta, goal=goal)

    def menu_change(team: str, user: str, verb: str, goal_id: int, respond: Respond) -> None:
        now = deps.clock()
        owner = deps.directory.person(team, user, now)
        try:
            with deps.db.write() as session:
                if verb == "resume":
                    goal = goals.resume_goal(
                        session, team_id=team, goal_id=goal_id, owner=owner, now=now
                    )
                    text = f"Check-ins resumed. Next: {render.when(goal.next_due_at, owner.zone)}."
                else:
                    close = goals.complete_goal if verb == "complete" else goals.archive_goal
                    closed = close(session, team_id=team, goal_id=goal_id, actor_id=user, now=now)
                    enqueue(session, team, notify.closed_messages(closed, celebration_channel()))
                    text = (
                        ":trophy: Goal completed. Well done!"
                        if verb == "complete"
                        else "Goal archived. It stays in your history; no more check-ins."
                    )
        except BravoError as err:
            _tell(respond, error_text(err))
            return
        deps.deliverer.kick()
        _tell(respond, text)

    @app.view(g.PAUSE_MODAL)
    def on_pause_modal(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        team, user = body["team"]["id"], body["user"]["id"]
        meta = json.loads(view.get("private_metadata") or "{}")
        text = _state(view, g.PAUSE_UNTIL, "selected_date") or ""
        try:
            until = date.fromisoformat(text)
        except ValueError:
            ack(response_action="errors", errors={g.PAUSE_UNTIL: "Pick a date."})
            return
        now = deps.clock()
        owner = deps.directory.person(team, user, now)
        try:
            with deps.db.write() as session:
                goal = goals.pause_goal(
                    session,
                    team_id=team,
                    goal_id=int(meta.get("goal") or 0),
                    owner=owner,
                    until=until,
                    now=now,
                )
        except BravoError as err:
            ack(response_action="errors", errors={g.PAUSE_UNTIL: error_text(err)})
            return
        log.info("goal %s paused until %s", goal.id, until)
        ack()

    # /coach -----------------------------------------------------------------------------------

    @app.command(g.COACH_COMMAND)
    def on_coach(ack: Ack, command: dict[str, Any], respond: Respond) -> None:
        ack()
        try:
            parsed = parse_coach_command(command.get("text") or "")
        except BravoError as err:
            respond(ephemeral(error_text(err)))
            return
        if isinstance(parsed, CoachHelp):
            respond(ephemeral(command_help(g.COACH_COMMAND)))
            return
        later(deps, command, respond, lambda: coach_command(command, parsed, respond))

    def coach_command(command: dict[str, Any], parsed: Any, respond: Respond) -> None:
        team, user = command["team_id"], command["user_id"]
        now = deps.clock()
        try:
            if isinstance(parsed, ListCoaching):
                with deps.db.read() as session:
                    rows = store.pairings_of(session, team, user)
                respond({"response_type": "ephemeral", **render.coach_list(rows, user)})
            elif isinstance(parsed, AskToCoach):
                people = deps.directory.people(team, [user, parsed.user_id], now)
                with deps.db.write() as session:
                    row = coaching.request_coaching(
                        session,
                        team_id=team,
                        coach=people[user],
                        coachee=people[parsed.user_id],
                        now=now,
                    )
                    enqueue(
                        session,
                        team,
                        [
                            OutMessage(
                                kind=g.COACH_REQUEST,
                                method=SlackMethod.POST,
                                payload=render.coach_request_dm(row),
                                notify_user=user,
                            )
                        ],
                    )
                deps.deliverer.kick()
                respond(
                    ephemeral(
                        f"I asked <@{parsed.user_id}> if you may coach them. "
                        "You'll hear back by DM; nothing is shared until they accept."
                    )
                )
        except BravoError as err:
            respond(ephemeral(error_text(err)))

    @app.action(g.COACH_ACCEPT)
    @app.action(g.COACH_DECLINE)
    def on_coach_answer(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        later(deps, body, respond, lambda: coach_answer(body, action, respond))

    def coach_answer(body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        team, user = body["team"]["id"], body["user"]["id"]
        accept = action.get("action_id") == g.COACH_ACCEPT
        try:
            with deps.db.write() as session:
                row = coaching.answer_request(
                    session,
                    team_id=team,
                    pairing_id=_int(str(action.get("value") or "")) or 0,
                    actor_id=user,
                    accept=accept,
                    now=deps.clock(),
                )
                enqueue(
                    session,
                    team,
                    [
                        OutMessage(
                            kind=g.COACH_NOTE,
                            method=SlackMethod.POST,
                            payload=render.coach_told(row),
                        )
                    ],
                )
        except BravoError as err:
            _tell(respond, error_text(err))
            return
        deps.deliverer.kick()
        _replace(respond, render.coach_answered(row))

    @app.action(g.COACH_END)
    def on_coach_end(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        later(deps, body, respond, lambda: coach_end(body, action, respond))

    def coach_end(body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        team, user = body["team"]["id"], body["user"]["id"]
        try:
            with deps.db.write() as session:
                row = coaching.end_pairing(
                    session,
                    team_id=team,
                    pairing_id=_int(str(action.get("value") or "")) or 0,
                    actor_id=user,
                    now=deps.clock(),
                )
                other = row.coachee_id if user == row.coach_id else row.coach_id
                enqueue(
                    session,
                    team,
                    [
                        OutMessage(
                            kind=g.COACH_NOTE,
                            method=SlackMethod.POST,
                            payload=render.pairing_ended(row, user, other),
                        )
                    ],
                )
                rows = store.pairings_of(session, team, user)
        except BravoError as err:
            _tell(respond, error_text(err))
            return
        deps.deliverer.kick()
        _replace(respond, {"response_type": "ephemeral", **render.coach_list(rows, user)})

    @app.action(g.KUDOS_FOR)
    def on_kudos_for(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: Any) -> None:
        ack()
        person = str(action.get("value") or "")
        client.views_open(
            trigger_id=body["trigger_id"],
            view=kudos_modal(
                values=deps.settings.kudos.values,
                private_metadata=json.dumps({"channel": None}),
                initial_users=[person] if re.match(r"^[UW][A-Z0-9]+$", person) else None,
            ),
        )
