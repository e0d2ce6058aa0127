"""Ids of the privacy room: modal callbacks, outbox kinds, events and jobs."""

from __future__ import annotations

FORGET_MODAL = "privacy_forget"  # the confirmation modal of /bravo forget
EXPORT_FILE = "privacy_export"  # outbox kind: a file of a person's export, by DM

USER_CHANGE = "user_change"
APP_UNINSTALLED = "app_uninstalled"
TOKENS_REVOKED = "tokens_revoked"
# An org-wide app removed from one workspace of the organisation (the org install stays).
APP_UNINSTALLED_TEAM = "app_uninstalled_team"

ERASE_DEPARTED_JOB = "erase_departed"
PURGE_UNINSTALLED_JOB = "retention"

# Why a person was erased (``Erasure.why``).
SELF = "self"
ADMIN = "admin"
DEPARTED = "departed"
