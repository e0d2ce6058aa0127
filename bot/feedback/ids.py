"""Slack ids for feedback and suggestions: renderers, listeners and parsers share them."""

FEEDBACK_COMMAND = "/feedback"
SUGGEST_COMMAND = "/suggest"

FEEDBACK_MODAL = "feedback_modal"
CUSTOMER_MODAL = "customer_feedback_modal"
SUGGEST_MODAL = "suggest_modal"
DONE_MODAL = "suggestion_done_modal"
CUSTOMER_SHORTCUT = "log_customer_feedback"

INPUT = "input"  # action_id of every input element in these modals

# feedback modal blocks
RECIPIENT, SITUATION, BEHAVIOUR, IMPACT, SUGGESTION, SKILL, VISIBILITY = (
    "fb_recipient",
    "fb_situation",
    "fb_behaviour",
    "fb_impact",
    "fb_suggestion",
    "fb_skill",
    "fb_visibility",
)
TEXT_FIELDS = (SITUATION, BEHAVIOUR, IMPACT, SUGGESTION)

# customer feedback modal blocks
CF_TEAMMATE, CF_KIND, CF_RATING, CF_SOURCE, CF_TEXT = (
    "cf_teammate",
    "cf_kind",
    "cf_rating",
    "cf_source",
    "cf_text",
)

# suggestion modals
SUGGEST_TEXT = "suggest_text"
DONE_NOTE = "done_note"

# buttons: the value carries the feedback / request / customer feedback / suggestion id
THANK = "feedback_thank"
TO_GOAL = "feedback_goal"
SHARE = "feedback_share"
ACTED_ON = "feedback_acted_on"
ANSWER = "feedback_answer"  # on a request DM: opens the feedback modal
CUSTOMER_KUDOS = "customer_kudos"
SUGGEST_ANYWAY = "suggest_anyway"  # value: the suggestion text (a small workspace's warning)
SUGGEST_DONE = "suggestion_done"

# outbox kinds
FEEDBACK_DM = "feedback_dm"
FEEDBACK_NOTE = "feedback_note"
REQUEST_DM = "feedback_request"
REQUEST_EDIT = "feedback_request_edit"
REQUEST_REMINDER = "feedback_request_reminder"
CUSTOMER_DM = "customer_feedback_dm"
SUGGESTION_POST = "suggestion_post"
SUGGESTION_EDIT = "suggestion_edit"
