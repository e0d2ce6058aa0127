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

# Sharing lessons (the lesson's buttons, its form and the shortcut's form) ------------------------
LESSON_MODAL = "lesson_form"  # /learned alone, Edit, and Save as a lesson's form
REMOVE_CONFIRM_MODAL = "lesson_remove_confirm"
POST_LESSON = "lesson_post_to"  # value "<lesson id>:<channel id>"
EDIT_LESSON = "lesson_edit"  # value: the lesson id
REMOVE_LESSON = "lesson_remove"  # value: the lesson id
HELPED = "lesson_helped"  # This helped me, on a posted lesson; value: the lesson id

STORY_BLOCK = "lesson_story"
LEARNED_BLOCK = "lesson_learned"
SKILL_BLOCK = "lesson_skill"
LINK_BLOCK = "lesson_link"
POST_BLOCK = "lesson_post_choice"
INPUT = "input"
NO_POST = "-"  # the post choice that keeps the lesson private

LESSON_DM = "lesson_dm"  # to a message's author: someone saved it as a lesson
MINE_SHOWN = 20  # /learned mine lists at most this many
MAX_TYPED = 40_000  # longer than any form allows: refused before anything is read
