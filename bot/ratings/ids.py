"""Ids and limits of customer ratings by webhook: the buttons of ``/bravo ratings``, what it
sends, its jobs, and what a webhook request may hold."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

HOOK_PATH = "/hooks/customer-feedback/"  # + the workspace's hook id
LOGGED_BY = "webhook"  # customer_feedback.logged_by of a rating that came by webhook

# The request
MAX_BODY = 64 * 1024  # bytes, checked from Content-Length before the body is read
MAX_COMMENT = 2000  # as customer feedback logged by hand
MAX_SOURCE = 64
MAX_URL = 2000
MAX_EMAIL = 254
SIGNATURE_MAX_AGE = 5 * 60  # seconds either way, as Slack's own
RECEIPTS_KEPT = timedelta(seconds=2 * SIGNATURE_MAX_AGE)  # a replay is refused while it is kept

# Telling the agent: this many ratings a day each get a DM of their own; the rest wait for one
# digest a day, at DIGEST_HOUR in the agent's own time zone.
OWN_DMS_PER_DAY = 3
DIGEST_HOUR = 17
DIGEST_ITEMS = 10

# Buttons and menus of ``/bravo ratings``
ROTATE = "ratings_rotate"
MATCH = "ratings_match"  # a users_select; its block id carries the rating's id
DISMISS = "ratings_dismiss"
MATCH_BLOCK = "ratings_match_"  # + the rating's id
UNMATCHED_SHOWN = 10


class RatingKind(StrEnum):
    """Outbox kinds and delivery records."""

    RATING_DM = "rating_dm"
    COACH_PRAISE = "rating_coach_praise"  # praise told one by one, to the agent's coaches
    DIGEST = "rating_digest"


SETTLE_JOB = "ratings_settle"
DIGEST_JOB = "ratings_digests"
RECEIPTS_JOB = "ratings_receipts"
