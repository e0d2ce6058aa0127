"""Slack ids for practice: renderers, listeners and parsers share them."""

PRACTICE_COMMAND = "/practice"

# The scenario DM's buttons (value: the round's id).
WRITE_REPLY = "practice_write_reply"
SKIP = "practice_skip"
# The reply modal, then the self-assessment it turns into.
REPLY_MODAL = "practice_reply_modal"
REPLY_BLOCK = "pr_reply"
ASSESS_MODAL = "practice_assess_modal"
CHECKS_BLOCK = "pr_checks"
NOTE_BLOCK = "pr_note"
RATERS_BLOCK = "pr_raters"
INPUT = "input"  # the action id of every modal input
# A rater's DM (value: the round's id) and their modal.
RATE = "practice_rate"
DECLINE = "practice_decline"
RATE_MODAL = "practice_rate_modal"

# Outbox kinds.
SCENARIO_DM = "practice_scenario"
RATE_ASK_DM = "practice_rate_ask"
RESULT_DM = "practice_result"
RATED_DM = "practice_rated"

JOB = "practice_plans"

MAX_REPLY = 3000  # characters of a reply (the modal's max_length says so too)
MAX_NOTE = 500  # characters of a self-note or a rater's note
MAX_RATERS = 3  # people one round may be sent to for a rating
HISTORY = 10  # rounds /practice history shows

# Scenarios (admins)
SCENARIOS_MODAL = "practice_scenarios"  # callback_id of the admins' modal
SCENARIOS_PASTE = "practice_scenarios_paste"  # block_id (with ":<n>") of the TOML input
SCENARIOS_INPUT = "input"  # action_id of the TOML input
SCENARIOS_RETIRE = "practice_scenarios_retire"  # the menu of Bravo's scenarios to retire
SCENARIOS_RESTORE = "practice_scenarios_restore"  # button: value = the key
SCENARIOS_REMOVE = "practice_scenarios_remove"  # button: value = the key
