"""Slack ids for the suggestion box: renderers, listeners and parsers share them."""

from storage.models.suggestions import SuggestionKind

SUGGEST_COMMAND = "/suggest"

SUGGEST_MODAL = "suggest_modal"
DONE_MODAL = "suggestion_done_modal"

INPUT = "input"  # action_id of every input element in these modals

# modal blocks
SUGGEST_TEXT = "suggest_text"
DONE_NOTE = "done_note"

# buttons
SUGGEST_ANYWAY = "suggest_anyway"  # value: the suggestion text (a small workspace's warning)
SUGGEST_DONE = "suggestion_done"  # value: the suggestion id
CONFIRM_BLOCK = "suggest_confirm"

# outbox kinds
SUGGESTION_POST = SuggestionKind.POST
SUGGESTION_EDIT = SuggestionKind.EDIT

JOB = "forget_suggestion_counts"
