"""Slack ids of the Home tab's own buttons (renderer, listeners and parser share them), and the
name of the job that keeps homes fresh."""

from __future__ import annotations

from enum import StrEnum

EVENT = "app_home_opened"
HOME_TAB = "home"  # the event's ``tab`` for the Home tab ("messages" is the DM tab)

# A goal's buttons on the home: the value is the goal id.
GOAL_CHECKIN = "home_goal_checkin"  # opens the goals room's note modal
GOAL_PAUSE = "home_goal_pause"  # opens the goals room's pause modal
GOAL_RESUME = "home_goal_resume"
GOAL_COMPLETE = "home_goal_complete"

# A preference toggle: the value is a ``Toggle``.
TOGGLE = "home_toggle"

JOB = "home_refresh"


class Toggle(StrEnum):
    """What a preference button on the home sets."""

    LEADERBOARDS_OUT = "leaderboards_out"
    LEADERBOARDS_IN = "leaderboards_in"
    CELEBRATIONS_OUT = "celebrations_out"
    CELEBRATIONS_IN = "celebrations_in"
    MILESTONES_DM = "milestones_dm"
    MILESTONES_CHANNEL = "milestones_channel"
    PROFILE_TO_COACHES = "profile_to_coaches"  # let my coaches see my skill profile
    PROFILE_TO_ME = "profile_to_me"  # only I see it
    TRAINING_TO_COACHES = "training_to_coaches"  # let my coaches see the training I record
    TRAINING_TO_ME = "training_to_me"  # only I see it
