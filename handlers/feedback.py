"""The Slack edge for feedback: /feedback, its modal and nudge, the recipient's buttons,
feedback requests, the inbox, and logging customer feedback from a message.

Listeners ack first; modals open at once (a trigger_id lasts 3 s); other work goes to the work
queue. Each use case (``bot.feedback.service``) runs in one transaction with the messages it
queues.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk.web import WebClient

from bot import payload
from bot.commands import command_help
from bot.deps import Deps
from bot.errors import BravoError
from bot.feedback import customer, ids, render, service
from bot.feedback.errors import FeedbackPersonError
from bot.feedback.parse import (
    FeedbackCommand,
    FeedbackForm,
    FeedbackHelp,
    OpenFeedbackModal,
    RequestFeedback,
    ShowInbox,
    customer_draft,
    feedback_form,
    number,
    parse_feedback_command,
)
from bot.goals.render import goal_modal
from bot.goals.render import meta as goal_meta
from bot.text import plain
from handlers.common import (
    after_ack,
    answering,
    deps_of,
    ephemeral,
    field_error,
    later,
    tell,
    telling,
)


def _value(action: dict[str, Any]) -> int:
    """The id a button carries (0, found nowhere, when it carries none)."""
    return number(action.get("value")) or 0


# /feedback --------------------------------------------------------------------------------------


def on_feedback(
    ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient, context: BoltContext
) -> None:
    ack()
    deps = deps_of(context)
    with answering(respond):
        parsed = parse_feedback_command(command.get("text") or "")
        if isinstance(parsed, OpenFeedbackModal):  # now: the trigger_id expires in 3 seconds
            service.check_recipient(giver_id=command["user_id"], recipient_id=parsed.user_id)
            view = render.feedback_modal(
                skills=deps.config(command["team_id"]).kudos.values,
                private_metadata=render.meta(),
                recipient_id=parsed.user_id,
            )
            client.views_open(trigger_id=command["trigger_id"], view=view)
        elif isinstance(parsed, FeedbackHelp):
            respond(ephemeral(command_help(ids.FEEDBACK_COMMAND)))
        else:
            later(deps, command, respond, lambda: feedback_later(deps, command, parsed, respond))


def feedback_later(
    deps: Deps, command: dict[str, Any], parsed: FeedbackCommand, respond: Respond
) -> None:
    """``/feedback inbox`` and ``/feedback request``, after the ack."""
    team, user = command["team_id"], command["user_id"]
    with answering(respond):
        if isinstance(parsed, ShowInbox):
            owner = parsed.owner_id or user
            box = service.inbox(deps, team_id=team, owner_id=owner, viewer_id=user)
            respond({"response_type": "ephemeral", **render.inbox_blocks(box)})
        elif isinstance(parsed, RequestFeedback):
            service.ask(
                deps,
                team_id=team,
                requester_id=user,
                user_ids=parsed.user_ids,
                topic=parsed.topic,
                key=payload.request_key(command),
            )
            respond(ephemeral(render.requests_sent(parsed.user_ids, parsed.topic)))


# The feedback modal -----------------------------------------------------------------------------


def on_feedback_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    deps = deps_of(context)
    form = feedback_form(body, view)
    try:
        sent = service.send_feedback(deps, form)
    except BravoError as err:
        field_error(ack, _field_of(err, form), err)
        return
    if isinstance(sent, service.Refused):
        ack(response_action="errors", errors=sent.errors)
    elif isinstance(sent, service.Nudged):
        again = render.feedback_modal(
            skills=deps.config(form.team_id).kudos.values,
            private_metadata=render.meta(request=form.request_id, nudged=True),
            recipient_id=sent.recipient_id,
            request=sent.request,
            draft=form.draft,
            nudges=sent.nudges,
        )
        ack(response_action="update", view=again)
    else:
        ack()


def _field_of(err: BravoError, form: FeedbackForm) -> str:
    """Where the form shows a refusal: under the person picked, or else the situation."""
    if isinstance(err, FeedbackPersonError) and form.request_id is None:
        return ids.RECIPIENT
    return ids.SITUATION


def on_answer(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
) -> None:
    """ "Give feedback" on a request DM opens the form, if the request is this person's and open."""
    ack()
    deps = deps_of(context)
    with telling(respond):
        row = service.request_to_answer(
            deps, team_id=body["team"]["id"], request_id=_value(action), giver_id=body["user"]["id"]
        )
        view = render.feedback_modal(
            skills=deps.config(body["team"]["id"]).kudos.values,
            private_metadata=render.meta(request=row.id),
            request=row,
        )
        client.views_open(trigger_id=body["trigger_id"], view=view)


# The recipient's buttons ------------------------------------------------------------------------


Pressed = tuple[str, dict[str, Any] | None]  # the answer, and the message redrawn (if it is)


def _thank(deps: Deps, team: str, user: str, feedback_id: int, key: str | None) -> Pressed:
    fb = service.thank(deps, team_id=team, feedback_id=feedback_id, actor_id=user, key=key)
    return render.thanked_note(fb), None


def _share(deps: Deps, team: str, user: str, feedback_id: int, key: str | None) -> Pressed:
    """Shared: the recipient's message is redrawn with who sees it now."""
    done = service.share(deps, team_id=team, feedback_id=feedback_id, actor_id=user, key=key)
    note = render.shared_note(done.audience)
    return note, render.feedback_dm(done.feedback, done.audience, done.request, note)


def _acted_on(deps: Deps, team: str, user: str, feedback_id: int, key: str | None) -> Pressed:
    service.mark_acted_on(deps, team_id=team, feedback_id=feedback_id, actor_id=user, key=key)
    return render.ACTED_ON_NOTE, None


PRESSED: dict[str, Callable[[Deps, str, str, int, str | None], Pressed]] = {
    ids.THANK: _thank,
    ids.SHARE: _share,
    ids.ACTED_ON: _acted_on,
}


def recipient_button(
    deps: Deps, body: dict[str, Any], action: dict[str, Any], respond: Respond
) -> None:
    """Thank them, Share with my coach, Mark acted on."""
    verb = str(action.get("action_id"))
    with telling(respond):
        team, user, key = body["team"]["id"], body["user"]["id"], payload.request_key(body)
        text, redrawn = PRESSED[verb](deps, team, user, _value(action), key)
        original = body.get("message") or {}
        if redrawn is not None and original:
            redrawn.pop("channel", None)
            respond({"replace_original": True, **redrawn})
            return  # the redraw carries the note: one acknowledgement
        elif verb == ids.THANK and original.get("blocks"):  # the used button goes
            blocks = render.without_button(original["blocks"], verb, text)
            respond({"replace_original": True, "text": original.get("text", ""), "blocks": blocks})
            return  # the redraw says it: one acknowledgement, not a second message
        tell(respond, text)


on_recipient_button = after_ack(recipient_button)


def on_to_goal(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
) -> None:
    """ "Turn this into a goal": the goal form, prefilled with the feedback as a plan."""
    ack()
    deps = deps_of(context)
    with telling(respond):
        draft = service.goal_from(
            deps,
            team_id=body["team"]["id"],
            feedback_id=_value(action),
            actor_id=body["user"]["id"],
        )
        view = goal_modal(
            skills=deps.config(body["team"]["id"]).kudos.values,
            private_metadata=goal_meta(channel=None),
            draft=draft,
        )
        client.views_open(trigger_id=body["trigger_id"], view=view)


# Customer feedback ------------------------------------------------------------------------------


def on_customer_shortcut(ack: Ack, shortcut: dict[str, Any], client: WebClient) -> None:
    """ "Log customer feedback" on a message: the form, with the message's text to trim."""
    ack()
    msg = shortcut.get("message") or {}
    channel = (shortcut.get("channel") or {}).get("id")
    view = render.customer_modal(
        private_metadata=render.meta(msg_channel=channel, msg_ts=msg.get("ts")),
        text=plain(msg.get("text") or "")[:2000],
    )
    client.views_open(trigger_id=shortcut["trigger_id"], view=view)


def on_customer_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    draft = customer_draft(view)
    if errors := customer.check_customer_draft(draft):
        ack(response_action="errors", errors=errors)
        return
    try:
        service.log_customer(
            deps_of(context), team_id=body["team"]["id"], logger_id=body["user"]["id"], draft=draft
        )
    except BravoError as err:
        field_error(ack, ids.CF_TEAMMATE, err)
        return
    ack()


def customer_kudos(
    deps: Deps, body: dict[str, Any], action: dict[str, Any], respond: Respond
) -> None:
    """ "Turn into kudos" on logged customer praise."""
    with telling(respond):
        row = service.praise_to_kudos(
            deps,
            team_id=body["team"]["id"],
            actor_id=body["user"]["id"],
            row_id=_value(action),
            key=payload.request_key(body),
        )
        tell(respond, render.praise_kudos_sent(row))


on_customer_kudos = after_ack(customer_kudos)


def register(app: App, deps: Deps) -> None:
    app.command(ids.FEEDBACK_COMMAND)(on_feedback)
    app.view(ids.FEEDBACK_MODAL)(on_feedback_modal)
    app.action(ids.ANSWER)(on_answer)
    for verb in PRESSED:
        app.action(verb)(on_recipient_button)
    app.action(ids.TO_GOAL)(on_to_goal)
    app.shortcut(ids.CUSTOMER_SHORTCUT)(on_customer_shortcut)
    app.view(ids.CUSTOMER_MODAL)(on_customer_modal)
    app.action(ids.CUSTOMER_KUDOS)(on_customer_kudos)
