"""Who may change Bravo's workspace settings: Slack's own admins and owners, plus the workspace's
Bravo admins (chosen in ``/bravo settings``; ``BRAVO_ADMINS`` until an admin chooses).

Slack is asked at the moment of an admin action (users.info, never the day-old cache), so a
person who lost their admin role cannot use it again; admin actions are rare enough for that.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from slack_sdk.errors import SlackApiError
from slack_sdk.web import WebClient

from bot.config import WorkspaceConfig

log = logging.getLogger(__name__)


def is_admin(client: WebClient, config: WorkspaceConfig, user_id: str) -> bool:
    """``config``: the workspace's settings now (``Deps.config``), for its Bravo admins. A
    deactivated account or a bot is no admin, whoever named it; when Slack cannot be asked, the
    Bravo admins still are (and nobody else)."""
    try:
        user = client.users_info(user=user_id)["user"]
    except SlackApiError as err:
        log.warning("users.info failed while checking admin rights: %s", err.response.get("error"))
        return user_id in config.admins and err.response.get("error") != "user_not_found"
    if user.get("deleted") or user.get("is_bot"):
        return False
    if user_id in config.admins:
        return True
    return bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))


GLANCE_SECONDS = 300.0  # how long a glance at someone's admin rights is remembered
_glances: dict[tuple[str, str], tuple[float, bool]] = {}


def looks_admin(
    client: WebClient,
    config: WorkspaceConfig,
    user_id: str,
    *,
    clock: Callable[[], float] = time.monotonic,
) -> bool:
    """For SHOWING admin things (the settings section of a Home tab), never for doing them: the
    answer is remembered for a few minutes, so a home refreshed after every kudos does not ask
    Slack each time. Every admin action still asks ``is_admin`` at the moment it happens."""
    now = clock()
    key = (config.team_id, user_id)
    seen = _glances.get(key)
    if seen is not None and now - seen[0] < GLANCE_SECONDS:
        return seen[1]
    answer = is_admin(client, config, user_id)
    if len(_glances) > 50_000:  # bounded: forget everything rather than grow without end
        _glances.clear()
    _glances[key] = (now, answer)
    return answer
