"""Slack ids of the skill profile's buttons (renderer, listeners and parser share them)."""

from __future__ import annotations

# A coach's "Skill profile" button beside a coachee on their home: the value is the coachee's id.
OPEN_FOR_COACHEE = "profile_open_coachee"
MODAL = "profile_modal"
# The person's "Send me my chart" button on their home (the value is unused).
SEND_CHART = "profile_send_chart"
CHART = "profile_chart"  # the outbox kind of the chart's upload to the person's DM
