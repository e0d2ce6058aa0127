"""The Slack edge for quality reviews: ``/review @ana <link>`` and its scorecard, ``/review
list``, the agent's buttons (Acknowledge, Discuss, Make it a goal), the reviewer's (Keep the
scores, Change scores), and ``/review calibrate`` handed on to ``handlers.calibration``.

Modals open at once (a trigger_id lasts 3 s); button work goes to the work queue. Each use
case (``bot.reviews.service``) runs in one transaction with the messages it queues."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk.web import WebClient

from bot.commands import command_help
from bot.deps import Deps
from bot.errors import BravoError
from bot.goals import ids as goal_ids
from bot.goals.parse import goal_form
from bot.goals.render import goal_modal
from bot.goals.render import meta as goal_meta
from bot.payload import team_of, user_of
from bot.reviews import ids, render, service
from bot.reviews.parse import (
    ListReviews,
    ReviewHelp,
    button_id,
    discuss_meta,
    dm_of,
    id_meta,
    new_review,
    parse_review_command,
    reason_of,
    review_id_of,
    review_meta,
)
from handlers import calibration
from handlers.common import (
    after_ack,
    answering,
    deps_of,
    ephemeral,
    field_error,
    later,
    saving_goal,
    tell,
    telling,
)


def _first_field(view: dict[str, Any]) -> str:
    """The first input of a modal: where an error about the whole form is shown."""
    blocks: list[dict[str, Any]] = view.get("blocks") or []
    block = next((b for b in blocks if b.get("type") == "input"), {})
    return str(block.get("block_id") or ids.REASON_BLOCK)


# /review ---------------------------------------------------------------------------------------


def on_review(
    ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient, context: BoltContext
) -> None:
    ack()
    deps = deps_of(context)
    with answering(respond):
        words = tuple((command.get("text") or "").split())
        if words and words[0].lower() == "calibrate":
            calibration.on_calibrate(deps, command, words[1:], respond, client)
            return
        parsed = parse_review_command(command.get("text") or "")
        if isinstance(parsed, ReviewHelp):
            respond(ephemeral(command_help(ids.REVIEW_COMMAND)))
        elif isinstance(parsed, ListReviews):
            later(deps, command, respond, lambda: list_later(deps, command, parsed, respond))
        else:  # now: the trigger_id expires in 3 seconds
            team, user = command["team_id"], command["user_id"]
            service.check_reviewer(deps, team_id=team, reviewer_id=user, agent_id=parsed.agent_id)
            view = render.scorecard_modal(
                skills=service.skills_of(deps, team),
                agent_id=parsed.agent_id,
                url=parsed.link,
                private_metadata=review_meta(agent_id=parsed.agent_id, link=parsed.link),
            )
            client.views_open(trigger_id=command["trigger_id"], view=view)


def list_later(deps: Deps, command: dict[str, Any], parsed: ListReviews, respond: Respond) -> None:
    team, user = command["team_id"], command["user_id"]
    with answering(respond):
        found = service.list_reviews(
            deps, team_id=team, viewer_id=user, subject_id=parsed.user_id or user
        )
        shown = render.review_list(
            subject_id=found.subject_id,
            viewer_id=user,
            received=found.received,
            given=found.given,
            last30=found.last30,
            last90=found.last90,
        )
        respond({"response_type": "ephemeral", **shown})


def on_review_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    """The scorecard submitted: errors on their fields, or the review sent (once)."""
    deps = deps_of(context)
    try:
        new = new_review(view)
        sent = service.send_review(
            deps,
            team_id=team_of(body),
            reviewer_id=user_of(body),
            agent_id=new.agent_id,
            link=new.link,
            values=(view.get("state") or {}).get("values") or {},
            request_key=f"view:{view.get('id') or body.get('trigger_id')}",
        )
    except BravoError as err:
        field_error(ack, _first_field(view), err)
        return
    if isinstance(sent, service.Refused):
        ack(response_action="errors", errors=sent.errors)
        return
    ack()


# The agent's buttons ---------------------------------------------------------------------------


def acknowledge(deps: Deps, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
    with telling(respond):
        shown = service.acknowledge(
            deps, team_id=team_of(body), review_id=button_id(action), actor_id=user_of(body)
        )
        redrawn = render.review_dm(shown.review, shown.scores, render.ACKNOWLEDGED)
        redrawn.pop("channel", None)
        if body.get("message"):
            respond({"replace_original": True, **redrawn})  # the redraw says it: one answer
        else:
            tell(respond, render.ACKNOWLEDGED)


on_acknowledge = after_ack(acknowledge)


def on_discuss(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
) -> None:
    """Discuss: the reason modal, if the review is the clicker's and not settled."""
    ack()
    deps = deps_of(context)
    with telling(respond):
        review = service.discussable(
            deps, team_id=team_of(body), review_id=button_id(action), actor_id=user_of(body)
        )
        assert review.id is not None
        where = body.get("container") or {}
        meta = discuss_meta(review.id, where.get("channel_id"), where.get("message_ts"))
        view = render.discuss_modal(review.id, meta)
        client.views_open(trigger_id=body["trigger_id"], view=view)


def on_discuss_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    deps = deps_of(context)
    try:
        service.discuss(
            deps,
            team_id=team_of(body),
            review_id=review_id_of(view),
            actor_id=user_of(body),
            reason=reason_of(view),
            redraw=dm_of(view),
        )
    except BravoError as err:
        field_error(ack, ids.REASON_BLOCK, err)
        return
    ack()


def on_to_goal(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
) -> None:
    """Make it a goal: the goal modal, prefilled with one thing to try next."""
    ack()
    deps = deps_of(context)
    with telling(respond):
        team, review_id = team_of(body), button_id(action)
        draft = service.goal_draft(deps, team_id=team, review_id=review_id, actor_id=user_of(body))
        view = goal_modal(
            skills=service.skills_of(deps, team),
            private_metadata=goal_meta(channel=None, review=review_id),
            draft=draft,
        )
        view["callback_id"] = ids.GOAL_MODAL  # saved by goals, linked to the review here
        client.views_open(trigger_id=body["trigger_id"], view=view)


def on_goal_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    deps = deps_of(context)
    saving_goal(
        ack,
        goal_ids.WHAT,
        lambda: service.make_goal(
            deps,
            team_id=team_of(body),
            review_id=review_id_of(view),
            actor_id=user_of(body),
            form=goal_form(view),
        ),
    )


# The reviewer's buttons ------------------------------------------------------------------------


def keep(deps: Deps, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
    with telling(respond):
        review = service.keep(
            deps, team_id=team_of(body), review_id=button_id(action), actor_id=user_of(body)
        )
        tell(respond, f"Recorded: {render.settled(review).lower()} They've been told.")


on_keep = after_ack(keep)


def on_change(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
) -> None:
    """Change scores: the reviewer's scorecard, prefilled."""
    ack()
    deps = deps_of(context)
    with telling(respond):
        team = team_of(body)
        shown = service.changeable(
            deps, team_id=team, review_id=button_id(action), actor_id=user_of(body)
        )
        assert shown.review.id is not None
        view = render.scorecard_modal(
            skills=service.card_skills(deps, team, shown.scores),
            agent_id=shown.review.agent_id,
            url=shown.review.link,
            private_metadata=id_meta(shown.review.id),
            initial=render.card_of(shown.review, shown.scores),
            changing=True,
        )
        client.views_open(trigger_id=body["trigger_id"], view=view)


def on_change_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    deps = deps_of(context)
    try:
        changed = service.change_scores(
            deps,
            team_id=team_of(body),
            review_id=review_id_of(view),
            actor_id=user_of(body),
            values=(view.get("state") or {}).get("values") or {},
        )
    except BravoError as err:
        field_error(ack, _first_field(view), err)
        return
    if isinstance(changed, service.Refused):
        ack(response_action="errors", errors=changed.errors)
        return
    ack()


def register(app: App, deps: Deps) -> None:
    app.command(ids.REVIEW_COMMAND)(on_review)
    app.view(ids.REVIEW_MODAL)(on_review_modal)
    app.action(ids.ACKNOWLEDGE)(on_acknowledge)
    app.action(ids.DISCUSS)(on_discuss)
    app.view(ids.DISCUSS_MODAL)(on_discuss_modal)
    app.action(ids.TO_GOAL)(on_to_goal)
    app.view(ids.GOAL_MODAL)(on_goal_modal)
    app.action(ids.KEEP)(on_keep)
    app.action(ids.CHANGE)(on_change)
    app.view(ids.CHANGE_MODAL)(on_change_modal)
