"""Slack ids for learning: renderers, listeners and parsers share them."""

LEARNED_COMMAND = "/learned"

# The message shortcut that saves someone's message as a lesson credited to its author.
SAVE_SHORTCUT = "save_as_lesson"

# Outbox kinds.
LESSON_POST = "lesson_post"  # a lesson posted to a team channel (with its This helped me button)

MAX_LEARNED = 1000  # characters of what was learned (the modal's max_length says so too)
MAX_STORY = 2000  # characters of what happened
MAX_LINK = 1000  # characters of a link
MAX_TITLE = 200  # characters of a training's title

# Training (``/learned course``): the course modal, its blocks, and the button on a recorded one.
COURSE_MODAL = "learned_course_modal"
COURSE_TITLE, COURSE_DATE, COURSE_SKILL = "course_title", "course_date", "course_skill"
COURSE_NEXT, COURSE_LINK = "course_next", "course_link"
COURSE_GOAL = "learned_course_goal"  # Make it a goal; value: the training id
TRAINING_SHOWN = 20  # at most this many trainings in a list
