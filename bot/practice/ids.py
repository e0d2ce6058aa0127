"""Slack ids for practice: renderers, listeners and parsers share them."""

PRACTICE_COMMAND = "/practice"
