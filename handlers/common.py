"""Pieces every listener shares: the ``Deps`` in Bolt's context, ephemeral replies, domain errors
turned into the reply or the modal's field error, the apology, handing work to the queue.

Listeners are module-level functions; Bolt injects ``context`` and ``deps_of(context)`` gives
them what the composition root built (``with_deps`` puts it there, for every request)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from slack_bolt import Ack, BoltContext

from bot.blocks import message, section
from bot.deps import Deps
from bot.errors import BUSY, SORRY, BravoError, echo, error_text
from bot.text import clean
from bot.work import NotRecorded, serving

log = logging.getLogger(__name__)


DEPS = "bravo_deps"


def with_deps(deps: Deps) -> Callable[..., None]:
    """A Bolt middleware that puts ``deps`` in every request's context (before the listener)."""

    def provide(context: BoltContext, next: Callable[[], None]) -> None:
        context[DEPS] = deps
        next()

    return provide


def clean_inputs(body: dict[str, Any], next: Callable[[], None]) -> None:
    """A Bolt middleware (after the signature check): every text in the request loses control
    characters and invisible padding (``bot.text.clean``) before any listener reads it, so a
    field of only zero-width characters is empty everywhere, and NUL bytes never reach the
    database (PostgreSQL refuses them; SQLite would keep them)."""
    _clean_in_place(body)
    next()


def _clean_in_place(value: Any) -> Any:
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        for key, item in value.items():
            value[key] = _clean_in_place(item)
    elif isinstance(value, list):
        value[:] = [_clean_in_place(item) for item in value]
    return value


def deps_of(context: BoltContext | dict[str, Any]) -> Deps:
    deps = context[DEPS]
    assert isinstance(deps, Deps)
    return deps


@contextmanager
def answering(respond: Any) -> Iterator[None]:
    """Domain errors raised inside become the friendly ephemeral reply; anything else goes on
    to the one error handler (``handlers.app``)."""
    try:
        yield
    except BravoError as err:
        respond(ephemeral(error_text(err)))


@contextmanager
def telling(respond: Any) -> Iterator[None]:
    """``answering`` for a button press: the words come as a new ephemeral message and leave the
    pressed message as it is."""
    try:
        yield
    except BravoError as err:
        tell(respond, error_text(err))


def field_error(ack: Ack, block_id: str, err: BravoError) -> None:
    """Answer a modal submission with the domain error shown under one of its fields."""
    ack(response_action="errors", errors={block_id: error_text(err)})


def ephemeral(text: str) -> dict[str, Any]:
    return {"response_type": "ephemeral", **message(text, [section(text)])}


def apologise(body: dict[str, Any], respond: Any) -> None:
    """Tell the person something broke on our side, echoing what they typed."""
    if respond is None or not body.get("response_url"):
        return
    try:
        respond({"replace_original": False, **ephemeral(SORRY + echo(body))})
    except Exception:  # the apology itself failed; the error is already logged
        log.warning("could not tell the user about the error")


def serving_request(body: dict[str, Any], context: BoltContext, next: Callable[[], None]) -> None:
    """A Bolt middleware: the request is known to ``later`` while its listener runs, so in queue
    mode it can be handed on to a worker (``bot.work``)."""
    serving(str(context.team_id or body.get("team_id") or ""), body)
    next()


def later(
    deps: Deps,
    body: dict[str, Any],
    respond: Any,
    fn: Callable[[], None],
    *,
    here: bool = False,
) -> None:
    """Run a person's request after the ack; if Bravo is overloaded, say so instead. In queue
    mode the request goes to a worker, which replays its listener; ``here``: the listener did
    something before that must not be done twice, so the work stays in this process. A request
    that cannot be recorded (the database is down) is answered "busy" too: nothing was saved."""
    try:
        if not here and deps.work.hand_on():
            return
    except NotRecorded:
        respond(ephemeral(BUSY + echo(body)))
        return
    if not deps.work.submit(fn, on_error=lambda _err: apologise(body, respond)):
        respond(ephemeral(BUSY + echo(body)))


def later_or_now(deps: Deps, fn: Callable[[], None], *, here: bool = False) -> None:
    """Run an event's work after the ack; when the queue is full, run it here (never drop it).
    Queue mode and ``here``: as ``later``; an event that cannot be recorded fails its request
    (``NotRecorded`` reaches the error handler, which answers 500), so Slack sends it again."""
    if not here and deps.work.hand_on():
        return
    if not deps.work.submit(fn, on_error=lambda _err: None):
        fn()


# A button's work after the ack: (deps, body, action, respond).
Pressed = Callable[[Deps, dict[str, Any], dict[str, Any], Any], None]


def after_ack(work: Pressed) -> Callable[..., None]:
    """The listener of a button whose work runs after the ack: it acks and hands
    ``work(deps, body, action, respond)`` to ``later`` (in queue mode a worker replays the
    listener, and the work runs there)."""

    def listener(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Any, context: BoltContext
    ) -> None:
        ack()
        deps = deps_of(context)
        later(deps, body, respond, lambda: work(deps, body, action, respond))

    listener.__name__ = listener.__qualname__ = f"on_{work.__name__}"
    listener.__doc__ = work.__doc__
    return listener


def saving_goal(ack: Ack, block_id: str, save: Callable[[], dict[str, str]]) -> None:
    """A goal form's submission (Make it a goal, opened by a review, an action item, a course):
    ``save`` is the use case; it returns the form's field errors (none: saved). A domain error
    is shown under ``block_id`` (the goal's first field)."""
    try:
        errors = save()
    except BravoError as err:
        field_error(ack, block_id, err)
        return
    if errors:
        ack(response_action="errors", errors=errors)
        return
    ack()


def tell(respond: Any, text: str) -> None:
    """An ephemeral answer to a button press, leaving the message pressed on as it is."""
    respond({"replace_original": False, **ephemeral(text)})


def view_input(view: dict[str, Any], block: str, key: str, action: str = "input") -> Any:
    """A submitted modal's value: ``key`` ("value", "selected_user"...) of one input element."""
    values = ((view.get("state") or {}).get("values") or {}).get(block) or {}
    return (values.get(action) or {}).get(key)
