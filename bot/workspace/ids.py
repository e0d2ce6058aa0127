"""Ids of the workspace settings' Block Kit elements (shared with the Home tab's admin section)."""

from __future__ import annotations

OPEN_SETTINGS = "workspace_open_settings"  # the button on an admin's home: opens the modal
