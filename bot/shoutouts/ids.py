"""Slack ids shared by renderers, listener registration and payload parsers."""

COMMAND = "/bravo"
IMPORT_CALLBACK = "bravo_import_dates"
IMPORT_BLOCK = "bravo_import_csv"
IMPORT_ACTION = "csv"

# the scheduled job that posts the weekly shout-outs (bot.scheduling.registry)
JOB = "shoutouts"

# outbox kinds
WEEKLY = "shoutout_week"
CHART = "shoutout_chart"
FAIRNESS = "fairness_note"
CELEBRATE = "celebrate_dates"
MILESTONE = "milestone_post"
IMPORTED = "dates_imported"
STOPPED = "shoutouts_stopped"
