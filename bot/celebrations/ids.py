"""Slack ids shared by renderers, listener registration and payload parsers."""

# the admins' date import (a modal opened from ``/bravo celebrate import``)
IMPORT_CALLBACK = "bravo_import_dates"
IMPORT_BLOCK = "bravo_import_csv"
IMPORT_ACTION = "csv"
# The longest text each field takes: the modal shows it (max_length) and Bravo enforces it.
LIMITS = {IMPORT_BLOCK: 3000}

# the scheduled job that posts birthdays, anniversaries and milestones (bot.scheduling.registry)
JOB = "celebrations"

# outbox kinds
CELEBRATE = "celebrate_dates"
MILESTONE = "milestone_post"
IMPORTED = "dates_imported"
