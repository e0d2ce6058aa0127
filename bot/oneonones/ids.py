"""Slack ids and kinds for one-on-ones: renderers, listeners and parsers share them."""

COMMAND = "/coach"  # ``/coach 1on1 ...`` and ``/coach prep @ana`` live under /coach
SUB = "1on1"
PREP_SUB = "prep"

# outbox kinds
NOTE = "one_on_one_note"  # set, moved, cancelled: to both
PREP = "one_on_one_prep"  # the prep note, to the coach
ASK_TOPICS = "one_on_one_topics"  # the coachee's "add a topic" note
ITEM = "one_on_one_item"  # an action item proposed to the coachee as a goal

# buttons and modals
ADD_TOPIC = "oneonone_add_topic"  # value: the meeting id
TOPIC_MODAL = "oneonone_topic_modal"
TOPIC_BLOCK = "oneonone_topic"
ADD_NOTES = "oneonone_add_notes"  # value: the meeting id
NOTES_MODAL = "oneonone_notes_modal"
NOTES_BLOCK = "oneonone_notes"
ITEM_BLOCK = "oneonone_item_"  # + 0..4: an action item's text
ITEM_OWNER_BLOCK = "oneonone_owner_"  # + 0..4: whose it is
MAKE_GOAL = "oneonone_make_goal"  # value: the action item id
NO_THANKS = "oneonone_no_thanks"  # value: the action item id
GOAL_MODAL = "oneonone_goal_modal"  # the goal modal opened from an action item
ITEM_DONE = "oneonone_item_done"  # value: the action item id

# the scheduled job
JOB = "one_on_one_preps"
