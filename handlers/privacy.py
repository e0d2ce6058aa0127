"""The Slack edge for a person's data: ``/bravo export``, ``/bravo forget me|@someone`` (with a
confirmation modal), and ``app_uninstalled`` / ``tokens_revoked``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App, Respond
from slack_sdk.web import WebClient

from bot.deps import Deps


def on_export(
    deps: Deps, command: dict[str, Any], words: tuple[str, ...], respond: Respond, client: WebClient
) -> None:
    raise NotImplementedError  # TODO(issue 12)


def on_forget(
    deps: Deps, command: dict[str, Any], words: tuple[str, ...], respond: Respond, client: WebClient
) -> None:
    raise NotImplementedError  # TODO(issue 12)


BRAVO_WORDS: dict[str, Callable[..., None]] = {"export": on_export, "forget": on_forget}


def register(app: App, deps: Deps) -> None:
    pass
