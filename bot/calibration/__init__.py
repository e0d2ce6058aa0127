"""Calibration: a lead asks several reviewers to score the same conversation, blind to each
other; once all have scored (or at the deadline) everyone invited sees the spread per skill and
the agreement, and the lead records the agreed score."""
