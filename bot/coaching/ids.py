"""Slack ids and kinds for coaching: renderers, listeners and parsers share them."""

COACH_COMMAND = "/coach"

# buttons: the value carries the pairing id
COACH_ACCEPT = "coach_accept"
COACH_DECLINE = "coach_decline"
COACH_END = "coach_end"

# outbox kinds
DIGEST = "coach_digest"
COACH_REQUEST = "coach_request"
COACH_NOTE = "coach_note"

# delivery record kinds (storage/outbox ScheduledSend): each is sent once
SENT_DIGEST = "digest"
