"""Daily privacy work: erase people who left (where the workspace chose to), and delete the data
of workspaces that uninstalled Bravo longer ago than the retention period."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timedelta

from bot.deps import Deps
from bot.privacy import ids
from bot.privacy.service import erase_person
from storage import files as stored
from storage import privacy as store

log = logging.getLogger(__name__)

# An export's files are deleted once uploaded; the outbox gives an upload up after two days, so
# one older than this was left behind (a crash between the upload and its deletion).
EXPORT_FILES_KEPT = timedelta(days=3)


def erase_departed(deps: Deps, at: datetime) -> Counter[str]:
    """People Slack deactivated more than the workspace's chosen number of days ago."""
    done: Counter[str] = Counter()
    with deps.db.read() as session:
        teams = store.teams_with_departures(session)
    for team_id, days in teams:
        if deps.config(team_id).erase_departed_after_days is None:
            continue
        with deps.db.read() as session:
            people = store.departed(session, team_id=team_id, before=at - timedelta(days=days))
        for user_id in people:
            erase_person(deps, team_id, user_id, requested_by=None, why=ids.DEPARTED)
            done["erased"] += 1
    return done


def purge_uninstalled(deps: Deps, at: datetime) -> Counter[str]:
    """Every row of a workspace uninstalled more than ``BRAVO_RETENTION_DAYS`` ago, and export
    files left behind."""
    done: Counter[str] = Counter()
    cutoff = at - timedelta(days=deps.settings.retention_days)
    with deps.db.read() as session:
        teams = store.uninstalled_before(session, cutoff)
    with deps.db.write() as session:  # an export's files never kept past their upload's end
        left = stored.delete_files_before(session, at - EXPORT_FILES_KEPT)
    if left:
        done["export_files"] += left
    for team_id in teams:
        with deps.db.write() as session:
            removed = store.purge_workspace(session, team_id)
        if removed:
            log.info("deleted the data of uninstalled workspace %s", team_id)
            done["workspaces"] += 1
            done["rows"] += sum(removed.values())
    return done
