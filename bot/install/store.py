"""Slack's ``InstallationStore`` and ``OAuthStateStore`` over Bravo's own database.

One installation per workspace and app (the newest install wins), its bot token and refresh
token sealed with ``BRAVO_ENCRYPTION_KEY`` (``bot.install.crypto``). Bravo asks for bot scopes
only: user tokens and incoming webhooks are not kept.

Enterprise Grid: a workspace install inside an organisation is stored and found by its team
(its ``enterprise_id`` kept beside it). An org-wide install (``is_enterprise_install``, no team)
is stored under its enterprise and serves every workspace of the organisation: a request names
its enterprise; scheduled work knows only a team, so the workspaces of the organisation are
recorded as they are seen (``note_workspace``: at install from ``auth.teams.list``, and at each
workspace's first request), and a team with no install of its own is served by its
organisation's. Each workspace's data and settings stay its own (by its team id).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from logging import Logger

from slack_sdk.oauth.installation_store import Bot, Installation, InstallationStore
from slack_sdk.oauth.state_store import OAuthStateStore
from sqlmodel import Session

from bot.install.crypto import Sealer
from storage import install as queries
from storage import privacy as workspaces
from storage.db import Database
from storage.models import Installation as Row

STATE_TTL = timedelta(minutes=10)
log = logging.getLogger(__name__)


def _utc(epoch: float | int | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(float(epoch), UTC)


class InstallStore(InstallationStore):
    def __init__(
        self, db: Database, sealer: Sealer, *, client_id: str, clock: Callable[[], datetime]
    ) -> None:
        self._db, self._sealer, self._client_id, self.clock = db, sealer, client_id, clock

    @property
    def logger(self) -> Logger:
        return log

    def __repr__(self) -> str:
        return f"InstallStore(client_id={self._client_id!r})"

    # ---- writing -----------------------------------------------------------------------------

    def save(self, installation: Installation) -> None:
        """Store the installation; a workspace that had uninstalled Bravo is back (its sends
        resume at once, not at its first request)."""
        row = self._row(installation)
        with self._db.write() as session:
            queries.save_installation(session, row)
            teams = [row.team_id] if row.team_id else self._org_teams(session, row.enterprise_id)
            for team in teams:
                workspaces.mark_reinstalled(session, team_id=team, now=self.clock())
        log.info(
            "Bravo installed in %s (%s)",
            installation.team_id or installation.enterprise_id,
            "org-wide" if installation.is_enterprise_install else "workspace",
        )

    def note_workspace(self, *, enterprise_id: str, team_id: str) -> bool:
        """``team_id`` is a workspace of the organisation ``enterprise_id`` (served by its
        org-wide install); True when it was not known."""
        with self._db.write() as session:
            return queries.note_org_workspace(
                session, enterprise_id=enterprise_id, team_id=team_id, now=self.clock()
            )

    @staticmethod
    def _org_teams(session: Session, enterprise_id: str) -> list[str]:
        return queries.org_teams(session, enterprise_id=enterprise_id) if enterprise_id else []

    def save_bot(self, bot: Bot) -> None:
        """Bolt saves the installation itself (``save``); a bot alone carries the same columns."""
        self.save(
            Installation(
                app_id=bot.app_id,
                enterprise_id=bot.enterprise_id,
                enterprise_name=bot.enterprise_name,
                team_id=bot.team_id,
                team_name=bot.team_name,
                bot_token=bot.bot_token,
                bot_id=bot.bot_id,
                bot_user_id=bot.bot_user_id,
                bot_scopes=bot.bot_scopes,
                bot_refresh_token=bot.bot_refresh_token,
                bot_token_expires_at=bot.bot_token_expires_at,
                is_enterprise_install=bot.is_enterprise_install,
                installed_at=bot.installed_at,
                user_id="",
            )
        )

    def _row(self, inst: Installation) -> Row:
        org_wide = bool(inst.is_enterprise_install)
        return Row(
            client_id=self._client_id,
            enterprise_id=inst.enterprise_id or "",
            team_id="" if org_wide else (inst.team_id or ""),
            is_enterprise_install=org_wide,
            app_id=inst.app_id,
            enterprise_name=inst.enterprise_name,
            enterprise_url=inst.enterprise_url,
            team_name=inst.team_name,
            bot_id=inst.bot_id,
            bot_user_id=inst.bot_user_id,
            bot_scopes=",".join(inst.bot_scopes or []),
            bot_token_sealed=self._sealer.seal(inst.bot_token),
            bot_refresh_token_sealed=self._sealer.seal(inst.bot_refresh_token),
            bot_token_expires_at=_utc(inst.bot_token_expires_at),
            installer_user_id=inst.user_id or None,
            token_type=inst.token_type,
            installed_at=self.clock(),
        )

    def reseal(self) -> int:
        """Seal every stored token again with the first key (after a new key was put first),
        so the old key can be dropped. Returns how many installations were sealed again."""
        with self._db.write() as session:
            rows = queries.all_installations(session, client_id=self._client_id)
            for row in rows:
                row.bot_token_sealed = self._sealer.seal(self._sealer.open(row.bot_token_sealed))
                row.bot_refresh_token_sealed = self._sealer.seal(
                    self._sealer.open(row.bot_refresh_token_sealed)
                )
                session.add(row)
        return len(rows)

    # ---- reading -----------------------------------------------------------------------------

    def find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        """The workspace's installation (Bravo keeps bot installs only: ``user_id`` asks for an
        installer's user token, which Bravo never has)."""
        if user_id is not None:
            return None
        with self._db.read() as session:
            row = queries.find_installation(
                session,
                client_id=self._client_id,
                enterprise_id=enterprise_id,
                team_id=team_id,
                is_enterprise_install=bool(is_enterprise_install),
            )
        return None if row is None else self._installation(row)

    def find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        found = self.find_installation(
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=is_enterprise_install,
        )
        return None if found is None else found.to_bot()

    def _installation(self, row: Row) -> Installation:
        expires = row.bot_token_expires_at
        return Installation(
            app_id=row.app_id,
            enterprise_id=row.enterprise_id or None,
            enterprise_name=row.enterprise_name,
            enterprise_url=row.enterprise_url,
            team_id=row.team_id or None,
            team_name=row.team_name,
            bot_token=self._sealer.open(row.bot_token_sealed),
            bot_id=row.bot_id,
            bot_user_id=row.bot_user_id,
            bot_scopes=row.bot_scopes,
            bot_refresh_token=self._sealer.open(row.bot_refresh_token_sealed),
            bot_token_expires_at=None if expires is None else int(expires.timestamp()),
            user_id=row.installer_user_id or "",
            is_enterprise_install=row.is_enterprise_install,
            token_type=row.token_type,
            installed_at=row.installed_at.timestamp(),
        )

    # ---- deleting ----------------------------------------------------------------------------

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self.delete_all(enterprise_id=enterprise_id, team_id=team_id)

    def delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        if user_id is None:  # an installer's user token alone: Bravo keeps none
            self.delete_all(enterprise_id=enterprise_id, team_id=team_id)

    def delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        with self._db.write() as session:
            queries.delete_installations(
                session, client_id=self._client_id, enterprise_id=enterprise_id, team_id=team_id
            )


class StateStore(OAuthStateStore):
    """States handed to installers: each is good once, for ``STATE_TTL``."""

    def __init__(self, db: Database, *, clock: Callable[[], datetime]) -> None:
        self._db, self._clock = db, clock

    @property
    def logger(self) -> Logger:
        return log

    def issue(self, *args: object, **kwargs: object) -> str:
        state = secrets.token_urlsafe(32)
        with self._db.write() as session:
            now = self._clock()
            queries.add_state(session, state=state, expires_at=now + STATE_TTL, now=now)
        return state

    def consume(self, state: str) -> bool:
        if not state or len(state) > 64:
            return False
        with self._db.write() as session:
            return queries.consume_state(session, state=state, now=self._clock())
