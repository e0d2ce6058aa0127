"""Slack ids shared by renderers, listener registration and payload parsers."""

COMMAND = "/kudos"
MODAL_CALLBACK = "kudos_modal"
SHORTCUT_CALLBACK = "give_kudos"
UNDO_ACTION = "kudos_undo"

RECIPIENTS_BLOCK = "kudos_recipients"
RECIPIENTS_ACTION = "recipients"
VALUE_BLOCK = "kudos_value"
VALUE_ACTION = "value"
REASON_BLOCK = "kudos_reason"
REASON_ACTION = "reason"
CHANNEL_BLOCK = "kudos_channel"
CHANNEL_ACTION = "channel"

# outbox kinds
POST = "kudos_post"
DM = "kudos_dm"
CELEBRATION = "celebration"
