"""The Slack edge for feedback: /feedback, its modal and nudge, the recipient's buttons,
feedback requests, the inbox, and logging customer feedback from a message.

Listeners ack first; modals open at once (a trigger_id lasts 3 s); other work goes to the work
queue. Each service call runs in one transaction with the messages it queues.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.commands import command_help
from bot.deps import Deps
from bot.errors import BravoError, error_text
from bot.feedback import customer, ids, render, requests
from bot.feedback import service as feedback
from bot.feedback.errors import FeedbackPersonError, SelfFeedbackError
from bot.feedback.parse import (
    FeedbackHelp,
    OpenFeedbackModal,
    RequestFeedback,
    ShowInbox,
    parse_feedback_command,
)
from bot.goals.render import goal_modal
from bot.goals.render import meta as goal_meta
from bot.kudos.errors import DuplicateKudosError
from bot.kudos.service import Gift, KudosSource, give
from bot.outbox.envelope import OutMessage, SlackMethod
from bot.text import plain
from handlers.common import ephemeral, later, tell, view_input


def _state(view: dict[str, Any], block: str, key: str) -> Any:
    return view_input(view, block, key, ids.INPUT)


def _option(view: dict[str, Any], block: str) -> str:
    return str((_state(view, block, "selected_option") or {}).get("value") or "")


def _int(text: Any) -> int | None:
    text = str(text or "")
    return int(text) if text.isdigit() and len(text) <= 12 else None


def _dm(kind: str, payload: dict[str, Any], **extra: Any) -> OutMessage:
    return OutMessage(kind=kind, method=SlackMethod.POST, payload=payload, **extra)


def register(app: App, deps: Deps) -> None:
    skills = deps.settings.kudos.values

    def enqueue(session: Any, team: str, messages: list[OutMessage]) -> list[Any]:
        return deps.outbox.enqueue(session, team, messages, deps.clock()) if messages else []

    # /feedback --------------------------------------------------------------------------------

    @app.command(ids.FEEDBACK_COMMAND)
    def on_feedback(ack: Ack, command: dict[str, Any], respond: Respond, client: Any) -> None:
        ack()
        try:
            parsed = parse_feedback_command(command.get("text") or "")
            if isinstance(parsed, OpenFeedbackModal) and parsed.user_id == command["user_id"]:
                raise SelfFeedbackError()
        except BravoError as err:
            respond(ephemeral(error_text(err)))
            return
        if isinstance(parsed, OpenFeedbackModal):
            client.views_open(
                trigger_id=command["trigger_id"],
                view=render.feedback_modal(
                    skills=skills, private_metadata=render.meta(), recipient_id=parsed.user_id
                ),
            )
        elif isinstance(parsed, FeedbackHelp):
            respond(ephemeral(command_help(ids.FEEDBACK_COMMAND)))
        else:
            later(deps, command, respond, lambda: feedback_command(command, parsed, respond))

    def feedback_command(command: dict[str, Any], parsed: Any, respond: Respond) -> None:
        team, user = command["team_id"], command["user_id"]
        now = deps.clock()
        try:
            if isinstance(parsed, ShowInbox):
                with deps.db.read() as session:
                    box = feedback.inbox(
                        session,
                        team_id=team,
                        owner_id=parsed.owner_id or user,
                        viewer_id=user,
                        now=now,
                    )
                respond({"response_type": "ephemeral", **render.inbox_blocks(box)})
            elif isinstance(parsed, RequestFeedback):
                people = deps.directory.people(team, [user, *parsed.user_ids], now)
                with deps.db.write() as session:
                    asked = requests.request_feedback(
                        session,
                        team_id=team,
                        requester=people[user],
                        asked=[people[u] for u in parsed.user_ids],
                        topic=parsed.topic,
                        now=now,
                    )
                    for row in asked.requests:
                        [sent] = enqueue(
                            session, team, [_dm(ids.REQUEST_DM, render.request_dm(row))]
                        )
                        row.outbox_id = sent.id
                        session.add(row)
                deps.deliverer.kick()
                respond(ephemeral(render.requests_sent(parsed.user_ids, parsed.topic)))
        except BravoError as err:
            respond(ephemeral(error_text(err)))

    # The feedback modal -----------------------------------------------------------------------

    @app.view(ids.FEEDBACK_MODAL)
    def on_feedback_modal(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        team, user = body["team"]["id"], body["user"]["id"]
        meta = json.loads(view.get("private_metadata") or "{}")
        request_id = meta.get("request") if isinstance(meta.get("request"), int) else None
        draft = feedback.FeedbackDraft(
            situation=_state(view, ids.SITUATION, "value") or "",
            behaviour=_state(view, ids.BEHAVIOUR, "value") or "",
            impact=_state(view, ids.IMPACT, "value") or "",
            suggestion=_state(view, ids.SUGGESTION, "value") or "",
            skill=_option(view, ids.SKILL),
            share_with_coach=_option(view, ids.VISIBILITY) == "coach",
        )
        now = deps.clock()
        request = None
        recipient_id = str(_state(view, ids.RECIPIENT, "selected_user") or "")
        errors = feedback.check_draft(draft, skills=skills)
        try:
            if request_id is not None:
                with deps.db.read() as session:
                    request = requests.open_request_for(
                        session, team_id=team, request_id=request_id, giver_id=user, now=now
                    )
                recipient_id = request.requester_id
            elif not recipient_id:
                errors[ids.RECIPIENT] = "Who is this feedback for?"
            elif recipient_id == user:
                errors[ids.RECIPIENT] = error_text(SelfFeedbackError())
        except BravoError as err:
            errors[ids.SITUATION] = error_text(err)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        if not meta.get("nudged") and (nudges := feedback.vague_parts(draft)):
            again = render.meta(request=request_id, nudged=True)
            ack(
                response_action="update",
                view=render.feedback_modal(
                    skills=skills,
                    private_metadata=again,
                    recipient_id=recipient_id,
                    request=request,
                    draft=draft,
                    nudges=nudges,
                ),
            )
            return
        people = deps.directory.people(team, [user, recipient_id], now)
        try:
            with deps.db.write() as session:
                given = feedback.give_feedback(
                    session,
                    team_id=team,
                    giver=people[user],
                    recipient=people[recipient_id],
                    draft=draft,
                    skills=skills,
                    now=now,
                    request_id=request_id,
                )
                enqueue(session, team, _given_messages(given))
        except BravoError as err:
            block = ids.RECIPIENT if isinstance(err, FeedbackPersonError) else ids.SITUATION
            if request_id is not None and block == ids.RECIPIENT:
                block = ids.SITUATION
            ack(response_action="errors", errors={block: error_text(err)})
            return
        ack()
        deps.deliverer.kick()

    def _given_messages(given: feedback.Given) -> list[OutMessage]:
        fb = given.feedback
        out = [
            _dm(ids.FEEDBACK_DM, render.feedback_dm(fb, given.request), ref=f"feedback:{fb.id}"),
            _dm(ids.FEEDBACK_NOTE, render.giver_sent(fb)),
        ]
        out += [_dm(ids.FEEDBACK_NOTE, render.coach_dm(fb, c)) for c in given.coaches]
        if given.request is not None and given.request.outbox_id is not None:
            out.append(
                OutMessage(
                    kind=ids.REQUEST_EDIT,
                    method=SlackMethod.UPDATE,
                    payload=render.request_answered_edit(given.request),
                    update_of=given.request.outbox_id,
                )
            )
        return out

    def open_checked(
        body: dict[str, Any], respond: Respond, client: Any, build: Callable[[Any], dict[str, Any]]
    ) -> None:
        """Open a modal from a button, once ``build`` (reading the database) says this person
        may: a foreign or stale button gets words instead of a form."""
        try:
            with deps.db.read() as session:
                view = build(session)
        except BravoError as err:
            tell(respond, error_text(err))
            return
        client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.action(ids.ANSWER)
    def on_answer(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: Any, respond: Respond
    ) -> None:
        ack()

        def build(session: Any) -> dict[str, Any]:
            row = requests.open_request_for(
                session,
                team_id=body["team"]["id"],
                request_id=_int(action.get("value")) or 0,
                giver_id=body["user"]["id"],
                now=deps.clock(),
            )
            meta = render.meta(request=row.id)
            return render.feedback_modal(skills=skills, private_metadata=meta, request=row)

        open_checked(body, respond, client, build)

    # The recipient's buttons ------------------------------------------------------------------

    @app.action(ids.THANK)
    @app.action(ids.SHARE)
    @app.action(ids.ACTED_ON)
    def on_recipient_button(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        later(deps, body, respond, lambda: recipient_button(body, action, respond))

    def recipient_button(body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        team, user = body["team"]["id"], body["user"]["id"]
        feedback_id = _int(action.get("value")) or 0
        verb, now = action.get("action_id"), deps.clock()
        try:
            with deps.db.write() as session:
                if verb == ids.THANK:
                    fb, first = feedback.thank_giver(
                        session, team_id=team, feedback_id=feedback_id, actor_id=user, now=now
                    )
                    if first:
                        enqueue(session, team, [_dm(ids.FEEDBACK_NOTE, render.thanks_dm(fb))])
                    text = f":pray: <@{fb.giver_id}> knows you're grateful."
                elif verb == ids.SHARE:
                    fb, coaches, fresh = feedback.share_with_coach(
                        session, team_id=team, feedback_id=feedback_id, actor_id=user
                    )
                    if fresh:
                        notes = [_dm(ids.FEEDBACK_NOTE, render.coach_dm(fb, c)) for c in coaches]
                        enqueue(session, team, notes)
                    text = render.shared_note(coaches)
                else:
                    feedback.mark_acted_on(
                        session, team_id=team, feedback_id=feedback_id, actor_id=user, now=now
                    )
                    text = ":white_check_mark: Marked as acted on. Nice work following through."
        except BravoError as err:
            tell(respond, error_text(err))
            return
        deps.deliverer.kick()
        original = body.get("message") or {}
        if verb in {ids.SHARE, ids.THANK} and original.get("blocks"):  # the used button goes
            blocks = render.without_button(original["blocks"], str(verb), text)
            respond({"replace_original": True, "text": original.get("text", ""), "blocks": blocks})
        tell(respond, text)

    @app.action(ids.TO_GOAL)
    def on_to_goal(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: Any, respond: Respond
    ) -> None:
        ack()

        def build(session: Any) -> dict[str, Any]:
            fb = feedback.received_feedback(
                session,
                team_id=body["team"]["id"],
                feedback_id=_int(action.get("value")) or 0,
                actor_id=body["user"]["id"],
                action="goal",
            )
            return goal_modal(
                skills=skills,
                private_metadata=goal_meta(channel=None),
                draft=render.goal_draft(fb, deps.clock().date()),
            )

        open_checked(body, respond, client, build)

    # Customer feedback ------------------------------------------------------------------------

    @app.shortcut(ids.CUSTOMER_SHORTCUT)
    def on_customer_shortcut(ack: Ack, shortcut: dict[str, Any], client: Any) -> None:
        ack()
        msg = shortcut.get("message") or {}
        channel = (shortcut.get("channel") or {}).get("id")
        meta = render.meta(msg_channel=channel, msg_ts=msg.get("ts"))
        client.views_open(
            trigger_id=shortcut["trigger_id"],
            view=render.customer_modal(
                private_metadata=meta, text=plain(msg.get("text") or "")[:2000]
            ),
        )

    @app.view(ids.CUSTOMER_MODAL)
    def on_customer_modal(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        team, user = body["team"]["id"], body["user"]["id"]
        meta = json.loads(view.get("private_metadata") or "{}")
        ref = f"{meta['msg_channel']}:{meta['msg_ts']}" if meta.get("msg_ts") else None
        draft = customer.CustomerDraft(
            teammate_id=str(_state(view, ids.CF_TEAMMATE, "selected_user") or ""),
            kind=_option(view, ids.CF_KIND),
            rating=_int(_option(view, ids.CF_RATING)),
            source=_option(view, ids.CF_SOURCE),
            text=_state(view, ids.CF_TEXT, "value") or "",
            source_ref=ref,
        )
        if errors := customer.check_customer_draft(draft):
            ack(response_action="errors", errors=errors)
            return
        now = deps.clock()
        people = deps.directory.people(team, [user, draft.teammate_id], now)
        try:
            with deps.db.write() as session:
                row = customer.log_customer_feedback(
                    session,
                    team_id=team,
                    logger=people[user],
                    teammate=people[draft.teammate_id],
                    draft=draft,
                    now=now,
                )
                messages = [_dm(ids.CUSTOMER_DM, render.customer_dm(row))]
                if row.teammate_id != user:
                    messages.append(_dm(ids.CUSTOMER_DM, render.customer_logged(row)))
                else:
                    messages[0] = _dm(ids.CUSTOMER_DM, render.customer_logged(row))
                enqueue(session, team, messages)
        except BravoError as err:
            ack(response_action="errors", errors={ids.CF_TEAMMATE: error_text(err)})
            return
        ack()
        deps.deliverer.kick()

    @app.action(ids.CUSTOMER_KUDOS)
    def on_customer_kudos(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        later(deps, body, respond, lambda: customer_kudos(body, action, respond))

    def customer_kudos(body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        team, user = body["team"]["id"], body["user"]["id"]
        row_id = _int(action.get("value")) or 0
        try:
            with deps.db.read() as session:
                row = customer.praise_to_recognise(
                    session, team_id=team, row_id=row_id, actor_id=user
                )
            channel = (row.source_ref or "").split(":")[0] or None
            result = give(
                deps,
                Gift(
                    team_id=team,
                    giver_id=user,
                    user_ids=(row.teammate_id,),
                    reason=render.praise_reason(row),
                    values=(),
                    channel_id=channel,
                    source=KudosSource.CUSTOMER,
                    source_ref=f"customer:{row_id}",
                ),
            )
        except DuplicateKudosError:
            tell(respond, "This praise was already turned into kudos.")
            return
        except BravoError as err:
            tell(respond, error_text(err))
            return
        if result is not None:
            with deps.db.write() as session:
                customer.link_kudos(session, team_id=team, row_id=row_id, batch_id=result.batch_id)
        tell(respond, f":clap: Kudos sent to <@{row.teammate_id}> for the customer's praise.")
