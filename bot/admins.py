"""Who may change Bravo's workspace settings: Slack's own admins and owners, plus the workspace's
Bravo admins (chosen in ``/bravo settings``; ``BRAVO_ADMINS`` until an admin chooses).

Slack is asked at the moment of an admin action (users.info, never the day-old cache), so a
person who lost their admin role cannot use it again; admin actions are rare enough for that.
"""

from __future__ import annotations

import logging

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
