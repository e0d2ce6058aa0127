"""Slack ids for reviews: renderers, listeners and parsers share them."""

REVIEW_COMMAND = "/review"
SCALE = 4  # each skill is scored 1..SCALE, or "not applicable"
