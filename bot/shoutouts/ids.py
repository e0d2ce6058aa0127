"""Slack ids shared by renderers, listener registration and payload parsers."""

COMMAND = "/bravo"  # one command for shout-outs and celebrations (``/bravo celebrate ...``)

# the scheduled job that posts the weekly shout-outs (bot.scheduling.registry)
JOB = "shoutouts"

# outbox kinds
WEEKLY = "shoutout_week"
CHART = "shoutout_chart"
FAIRNESS = "fairness_note"
STOPPED = "shoutouts_stopped"
