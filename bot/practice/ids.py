"""Slack ids for practice: renderers, listeners and parsers share them."""

PRACTICE_COMMAND = "/practice"

# Scenarios (admins)
SCENARIOS_MODAL = "practice_scenarios"  # callback_id of the admins' modal
SCENARIOS_PASTE = "practice_scenarios_paste"  # block_id (with ":<n>") of the TOML input
SCENARIOS_INPUT = "input"  # action_id of the TOML input
SCENARIOS_RETIRE = "practice_scenarios_retire"  # the menu of Bravo's scenarios to retire
SCENARIOS_RESTORE = "practice_scenarios_restore"  # button: value = the key
SCENARIOS_REMOVE = "practice_scenarios_remove"  # button: value = the key
