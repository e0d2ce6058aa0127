"""Slack ids and kinds for goals and check-ins: renderers, listeners and parsers share them."""

from enum import StrEnum

GOAL_COMMAND = "/goal"

GOAL_MODAL = "goal_modal"
NOTE_MODAL = "checkin_note_modal"
PAUSE_MODAL = "goal_pause_modal"

# goal modal blocks (block_id == the field key used by rules.check_draft) and their actions
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

# The longest text each field takes: the modal shows it (max_length) and Bravo enforces it.
LIMITS = {WHAT: 1000, MEASURE: 1000, NOTE_PROGRESS: 1000, NOTE_WELL: 1000, NOTE_NEXT: 1000}

# buttons: the value carries the prompt / goal id
CHECKIN_ACTION = "checkin_answer"  # value "<prompt id>:<status>"; one action id per status
NOTE_ACTION = "checkin_note"  # value "<prompt id>"
GOAL_MENU = "goal_menu"  # overflow on a listed goal; option value "<verb>:<goal id>"
KUDOS_FOR = "coach_kudos"  # a coach's button: opens the kudos modal for a coachee


class MenuVerb(StrEnum):
    """What a listed goal's overflow menu offers."""

    CHECKIN = "checkin"
    EDIT = "edit"
    PAUSE = "pause"
    RESUME = "resume"
    COMPLETE = "complete"
    ARCHIVE = "archive"


# outbox kinds
PROMPT = "checkin_prompt"
PROMPT_EDIT = "checkin_prompt_edit"
REMINDER = "checkin_reminder"
COACH_ALERT = "coach_alert"
GOAL_DONE = "goal_done"
GOAL_SAVED = "goal_saved"
CHECKIN_SAVED = "checkin_saved"
MILESTONE = "goal_milestone"

# delivery record kinds (storage/outbox ScheduledSend): each is sent once
SENT_CHECKIN = "checkin"
SENT_REMINDER = "reminder"
