"""The Web API methods the fake answers: method name -> handler."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.sandbox.api import auth, chat, conversations, files, oauth, reactions, users, views
from bot.sandbox.calls import CallContext
from bot.sandbox.state import Workspace

Handler = Callable[[Workspace, dict[str, Any], CallContext], dict[str, Any]]

METHODS: dict[str, Handler] = {
    "auth.test": auth.auth_test,
    "auth.teams.list": auth.teams_list,
    "apps.connections.open": auth.not_socket_mode,
    "team.info": auth.team_info,
    "chat.postMessage": chat.post_message,
    "chat.postEphemeral": chat.post_ephemeral,
    "chat.update": chat.update,
    "chat.delete": chat.delete,
    "chat.getPermalink": chat.get_permalink,
    "chat.scheduleMessage": chat.schedule_message,
    "views.open": views.open_view,
    "views.push": views.push,
    "views.update": views.update,
    "views.publish": views.publish,
    "users.info": users.users_info,
    "users.list": users.users_list,
    "users.profile.get": users.users_profile_get,
    "users.lookupByEmail": users.users_lookup_by_email,
    "usergroups.users.list": users.usergroups_users_list,
    "conversations.info": conversations.info,
    "conversations.members": conversations.members,
    "conversations.open": conversations.open_conversation,
    "conversations.list": conversations.list_conversations,
    "conversations.history": conversations.history,
    "conversations.replies": conversations.replies,
    "reactions.add": reactions.add,
    "files.getUploadURLExternal": files.get_upload_url,
    "files.completeUploadExternal": files.complete_upload,
    "oauth.v2.access": oauth.v2_access,
}
