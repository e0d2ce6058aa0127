"""Slack ids for the suggestion box: renderers, listeners and parsers share them."""

from storage.models.suggestions import SuggestionKind

SUGGEST_COMMAND = "/suggest"

SUGGEST_MODAL = "suggest_modal"
DONE_MODAL = "suggestion_done_modal"
HIDE_MODAL = "suggestion_hide_modal"

INPUT = "input"  # action_id of every input element in these modals

# modal blocks
SUGGEST_TEXT = "suggest_text"
DONE_NOTE = "done_note"
HIDE_REASON = "hide_reason"

# buttons
SUGGEST_ANYWAY = "suggest_anyway"  # an older preview's "Post anonymously": posts like SUGGEST_POST
# a preview's buttons; value: the draft (bot.suggestions.parse.draft_value)
SUGGEST_POST = "suggest_post"
SUGGEST_EDIT = "suggest_edit"
SUGGEST_CANCEL = "suggest_cancel"
SUGGEST_DONE = "suggestion_done"  # value: the suggestion id
SUGGEST_HIDE = "suggestion_hide"  # value: the suggestion id (never anything about its author)
CONFIRM_BLOCK = "suggest_confirm"

# outbox kinds
SUGGESTION_POST = SuggestionKind.POST
SUGGESTION_EDIT = SuggestionKind.EDIT
SUGGESTION_HIDE = SuggestionKind.HIDE

JOB = "forget_suggestion_counts"
