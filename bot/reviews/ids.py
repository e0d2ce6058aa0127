"""Slack ids for reviews: renderers, listeners and parsers share them."""

REVIEW_COMMAND = "/review"
SCALE = 4  # each skill is scored 1..SCALE, or "not applicable"
MAX_LINK = 2000  # characters in a link to a ticket or call
MAX_REASON = 1000  # characters in a reason to discuss a review
LIST_SIZE = 10  # reviews shown by /review list, each way

# Modals (callback ids) and their blocks
REVIEW_MODAL = "review_scorecard"  # a new review
CHANGE_MODAL = "review_change_scores"  # the reviewer changing scores after a discussion
DISCUSS_MODAL = "review_discuss"  # the agent's reason to discuss
GOAL_MODAL = "review_goal"  # the goal modal, opened from a review
REASON_BLOCK = "review_reason"

# Buttons: the agent's on the review DM, the reviewer's once it is discussed
ACKNOWLEDGE = "review_acknowledge"
DISCUSS = "review_discuss_open"
TO_GOAL = "review_to_goal"
KEEP = "review_keep"
CHANGE = "review_change"

# Outbox kinds
REVIEW_DM = "review_dm"  # the review, to its agent
REVIEW_NOTE = "review_note"  # short notes: to the reviewer, the agent told what changed
DISCUSSION = "review_discussion"  # the conversation about a review (group DM, or each's DM)
