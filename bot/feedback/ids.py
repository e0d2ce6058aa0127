"""Slack ids for feedback: renderers, listeners and parsers share them."""

from storage.models.feedback import FeedbackKind

FEEDBACK_COMMAND = "/feedback"

FEEDBACK_MODAL = "feedback_modal"
CUSTOMER_MODAL = "customer_feedback_modal"
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

# The longest text each field takes: the modal shows it (max_length) and Bravo enforces it.
LIMITS = {SITUATION: 1000, BEHAVIOUR: 1000, IMPACT: 1000, SUGGESTION: 1000, CF_TEXT: 2000}

# buttons: the value carries the feedback / request / customer feedback id
THANK = "feedback_thank"
TO_GOAL = "feedback_goal"
SHARE = "feedback_share"
ACTED_ON = "feedback_acted_on"
ANSWER = "feedback_answer"  # on a request DM: opens the feedback modal
CUSTOMER_KUDOS = "customer_kudos"

# outbox kinds
FEEDBACK_DM = FeedbackKind.FEEDBACK_DM
FEEDBACK_NOTE = FeedbackKind.FEEDBACK_NOTE
REQUEST_DM = FeedbackKind.REQUEST_DM
REQUEST_EDIT = FeedbackKind.REQUEST_EDIT
REQUEST_REMINDER = FeedbackKind.REQUEST_REMINDER
CUSTOMER_DM = FeedbackKind.CUSTOMER_DM

JOB = "feedback_requests"
