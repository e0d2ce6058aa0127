"""Slack ids for goals, check-ins and coaching: renderers, listeners and parsers share them."""

GOAL_COMMAND = "/goal"
COACH_COMMAND = "/coach"

GOAL_MODAL = "goal_modal"
NOTE_MODAL = "checkin_note_modal"
PAUSE_MODAL = "goal_pause_modal"

# goal modal blocks (block_id == the field key used by service.check_draft) and their actions
WHAT, MEASURE, SKILL, TARGET, CADENCE, DAY, TIME, VISIBILITY = (
    "what",
    "measure",
    "skill",
    "target",
    "cadence",
    "day",
    "time",
    "visibility",
)
INPUT = "input"  # action_id of every input element in Bravo's goal modals

# note modal blocks
NOTE_STATUS, NOTE_PROGRESS, NOTE_WELL, NOTE_NEXT = "status", "progress", "went_well", "next_step"
PAUSE_UNTIL = "until"

# buttons: the value carries the prompt / goal / pairing id
CHECKIN_ACTION = "checkin_answer"  # value "<prompt id>:<status>"
NOTE_ACTION = "checkin_note"  # value "<prompt id>"
GOAL_MENU = "goal_menu"  # overflow on a listed goal; option value "<verb>:<goal id>"
COACH_ACCEPT = "coach_accept"
COACH_DECLINE = "coach_decline"
COACH_END = "coach_end"  # value "<pairing id>"
KUDOS_FOR = "coach_kudos"  # digest button: opens the kudos modal for a coachee

# outbox kinds
PROMPT = "checkin_prompt"
PROMPT_EDIT = "checkin_prompt_edit"
REMINDER = "checkin_reminder"
DIGEST = "coach_digest"
COACH_ALERT = "coach_alert"
COACH_REQUEST = "coach_request"
COACH_NOTE = "coach_note"
GOAL_DONE = "goal_done"
MILESTONE = "goal_milestone"
