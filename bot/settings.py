"""Bravo's settings: one typed object built from the environment (and ``.env``).

Every problem is collected and reported at once, in words a new user understands.
"""

from __future__ import annotations

import base64
import binascii
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_VALUES = (
    "empathy",
    "active-listening",
    "problem-solving",
    "communication",
    "personalization",
    "professionalism",
)
DEFAULT_DATABASE_URL = "sqlite:///" + str(Path("data") / "bravo.db")
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
# Every variable Bravo reads; .env.example documents exactly these (a test checks).
ENV_VARS = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "DATABASE_URL",
    "SLACK_API_URL",
    "LOG_LEVEL",
    "BRAVO_VALUES",
    "BRAVO_KUDOS_EMOJI",
    "BRAVO_DAILY_ALLOWANCE",
    "BRAVO_PER_RECIPIENT_DAILY_CAP",
    "BRAVO_KUDOS_CHANNEL",
    "BRAVO_CHECKIN_GRACE_HOURS",
    "BRAVO_REMINDER_WORKING_HOURS",
    "BRAVO_POSTS_PER_MINUTE",
    "BRAVO_ADMINS",
    "BRAVO_SHOUTOUT_GRACE_HOURS",
    "BRAVO_ALLOW_MAINTENANCE_DB",
    "BRAVO_RETENTION_DAYS",
    "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET",
    "SLACK_REDIRECT_URI",
    "BRAVO_ENCRYPTION_KEY",
    "BRAVO_PUBLIC_URL",
)
# Read by Bravo's tools, not settings of the app: never reported as unknown.
TOOL_VARS = ("BRAVO_ENV_FILE", "BRAVO_TEST_PG", "BRAVO_BENCH_PG")
# The token .env.example shows: a copied example that was never filled in.
PLACEHOLDER_TOKENS = ("xoxb-your-bot-token",)
# PostgreSQL's own databases: Bravo's tables do not belong there (BRAVO_ALLOW_MAINTENANCE_DB).
MAINTENANCE_DATABASES = ("postgres", "template0", "template1")
VALUE_RE = re.compile(r"^[a-z][a-z0-9-]{0,31}$")
LOCAL_OR_HTTPS_RE = re.compile(r"^(https://|http://(localhost|127\.0\.0\.1)[:/])")
EMOJI_RE = re.compile(r"^[a-z0-9_+\-']{1,64}$")


class SettingsError(Exception):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))

    def __str__(self) -> str:
        if len(self.problems) == 1:  # one problem, one line
            return f"Bravo's settings need attention: {self.problems[0]}"
        lines = ["Bravo's settings need attention:"]
        lines += [f"  - {p}" for p in self.problems]
        lines.append("See .env.example for what each setting means.")
        return "\n".join(lines)


@dataclass(frozen=True)
class KudosRules:
    values: tuple[str, ...] = DEFAULT_VALUES
    emoji: str = "clap"
    daily_allowance: int = 5
    per_recipient_daily_cap: int = 0  # 0: no cap
    kudos_channel: str | None = None
    undo_minutes: int = 10
    max_reason_chars: int = 1000
    max_recipients: int = 20


@dataclass(frozen=True)
class GoalRules:
    # A check-in that came due while Bravo was down is still sent (once) if Bravo is back within
    # this many hours; later than that it is skipped and the next one is scheduled.
    grace_hours: int = 12
    # An unanswered prompt gets one reminder after this many working hours (Mon-Fri 09-17 local).
    reminder_working_hours: int = 4
    # Two missed check-ins in a row tell the coach (when the goal is shared with one).
    missed_before_coach_alert: int = 2


@dataclass(frozen=True)
class Settings:
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    database_url: str = DEFAULT_DATABASE_URL
    slack_api_url: str = DEFAULT_SLACK_API_URL
    log_level: str = "INFO"
    kudos: KudosRules = field(default_factory=KudosRules)
    goals: GoalRules = field(default_factory=GoalRules)
    # Pacing of everything Bravo posts, per workspace (Slack allows several hundred a minute).
    posts_per_minute: int = 300
    # Bravo admins besides the workspace's own admins and owners (Slack user ids).
    admins: tuple[str, ...] = ()
    # A weekly shout-out or celebration missed while Bravo was down is posted once, late, if
    # Bravo is back within this many hours; otherwise that week's is skipped.
    shoutout_grace_hours: int = 24
    # Let DATABASE_URL name PostgreSQL's maintenance database (``postgres``): off, as a rule.
    allow_maintenance_db: bool = False
    # Days a workspace's data is kept after Bravo is uninstalled; then all of it is deleted.
    retention_days: int = 30
    # Install by OAuth in many workspaces (bot.install): the app's credentials, the redirect
    # URL Slack is told (None: the one set in the app's config), and the Fernet keys that seal
    # stored tokens (the first seals, each opens: rotation).
    slack_client_id: str | None = None
    slack_client_secret: str | None = field(default=None, repr=False)
    slack_redirect_uri: str | None = None
    encryption_keys: tuple[str, ...] = field(default=(), repr=False)
    # Where Slack and other tools reach this Bravo (https://bravo.example.com, no trailing
    # slash): the customer-rating webhook's address is built on it. None: not known.
    public_url: str | None = None

    @property
    def oauth(self) -> bool:
        """Installed by OAuth (a token per workspace), not one SLACK_BOT_TOKEN."""
        return bool(self.slack_client_id and self.slack_client_secret)

    def require_for_run(self, *, http: bool) -> None:
        """Raise ``SettingsError`` listing everything missing for the chosen run mode."""
        problems: list[str] = []
        if self.oauth and not http:
            problems.append(
                "SLACK_CLIENT_ID is set: installing by OAuth needs HTTP mode, where Slack can "
                "reach /slack/oauth_redirect: run `bravo run --http`."
            )
        elif not self.slack_bot_token and not self.oauth:
            problems.append(
                "SLACK_BOT_TOKEN is missing: copy the Bot User OAuth Token (xoxb-...) from your "
                "Slack app's OAuth & Permissions page."
            )
        if http and not self.slack_signing_secret:
            problems.append(
                "SLACK_SIGNING_SECRET is missing: HTTP mode needs it to check that requests "
                "come from Slack (Basic Information > App Credentials)."
            )
        if not http and not self.slack_app_token:
            problems.append(
                "SLACK_APP_TOKEN is missing: Socket Mode needs an app-level token (xapp-...) "
                "with connections:write; or run `bravo run --http` instead."
            )
        if problems:
            raise SettingsError(problems)


def _is_fernet_key(key: str) -> bool:
    """32 bytes in url-safe base64, as ``cryptography.fernet.Fernet`` takes (checked here
    without importing it: settings load at every command)."""
    try:
        return len(base64.urlsafe_b64decode(key.encode("ascii"))) == 32
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return False


def _int(
    env: Mapping[str, str], name: str, default: int, lo: int, hi: int, problems: list[str]
) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        problems.append(f"{name} must be a whole number, got {raw!r}.")
        return default
    if not lo <= value <= hi:
        problems.append(f"{name} must be between {lo} and {hi}, got {value}.")
        return default
    return value


def load_settings(env: Mapping[str, str]) -> Settings:
    """Build settings from an environment mapping; raise ``SettingsError`` with every problem."""
    read = _Reader(env)
    slack = read.slack()
    allow_maintenance_db = read.flag("BRAVO_ALLOW_MAINTENANCE_DB")
    database_url = read.database_url(allow_maintenance_db=allow_maintenance_db)
    log_level = read.log_level()
    kudos = read.kudos_rules()
    goals = GoalRules(
        grace_hours=read.int("BRAVO_CHECKIN_GRACE_HOURS", 12, 0, 24 * 14),
        reminder_working_hours=read.int("BRAVO_REMINDER_WORKING_HOURS", 4, 1, 40),
    )
    posts_per_minute = read.int("BRAVO_POSTS_PER_MINUTE", 300, 10, 100_000)
    admins = read.admins()
    shoutout_grace_hours = read.int("BRAVO_SHOUTOUT_GRACE_HOURS", 24, 0, 24 * 6)
    retention_days = read.int("BRAVO_RETENTION_DAYS", 30, 0, 3650)
    client_id, client_secret, redirect_uri, keys = read.oauth(has_bot_token=bool(slack[0]))
    public_url = read.public_url()
    read.unknown_names()
    if read.problems:
        raise SettingsError(read.problems)
    bot_token, signing_secret, app_token, api_url = slack
    return Settings(
        slack_bot_token=bot_token,
        slack_signing_secret=signing_secret,
        slack_app_token=app_token,
        database_url=database_url,
        slack_api_url=api_url,
        log_level=log_level,
        kudos=kudos,
        goals=goals,
        posts_per_minute=posts_per_minute,
        admins=admins,
        shoutout_grace_hours=shoutout_grace_hours,
        allow_maintenance_db=allow_maintenance_db,
        retention_days=retention_days,
        slack_client_id=client_id,
        slack_client_secret=client_secret,
        slack_redirect_uri=redirect_uri,
        encryption_keys=keys,
        public_url=public_url,
    )


class _Reader:
    """Reads one environment, collecting every problem instead of stopping at the first."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env
        self.problems: list[str] = []

    def text(self, name: str) -> str | None:
        value = self.env.get(name, "").strip()
        return value or None

    def int(self, name: str, default: int, lo: int, hi: int) -> int:
        return _int(self.env, name, default, lo, hi, self.problems)

    def slack(self) -> tuple[str | None, str | None, str | None, str]:
        bot_token = self.text("SLACK_BOT_TOKEN")
        if bot_token in PLACEHOLDER_TOKENS:
            self.problems.append(
                f"SLACK_BOT_TOKEN is still the example {bot_token!r}: paste your app's Bot User "
                "OAuth Token (api.slack.com/apps > your app > OAuth & Permissions)."
            )
        elif bot_token and not bot_token.startswith("xoxb-"):
            self.problems.append(
                "SLACK_BOT_TOKEN should start with xoxb- (the Bot User OAuth Token)."
            )
        app_token = self.text("SLACK_APP_TOKEN")
        if app_token and not app_token.startswith("xapp-"):
            self.problems.append("SLACK_APP_TOKEN should start with xapp- (an app-level token).")
        api_url = self.text("SLACK_API_URL") or DEFAULT_SLACK_API_URL
        if not re.match(r"^https?://", api_url):
            self.problems.append(f"SLACK_API_URL must be an http(s) URL, got {api_url!r}.")
        elif not api_url.endswith("/"):
            api_url += "/"
        return bot_token, self.text("SLACK_SIGNING_SECRET"), app_token, api_url

    def oauth(
        self, *, has_bot_token: bool
    ) -> tuple[str | None, str | None, str | None, tuple[str, ...]]:
        """SLACK_CLIENT_ID/SECRET (both or neither), SLACK_REDIRECT_URI, BRAVO_ENCRYPTION_KEY
        (required with them). No problem ever quotes a secret or a key."""
        client_id, secret = self.text("SLACK_CLIENT_ID"), self.text("SLACK_CLIENT_SECRET")
        redirect_uri = self.text("SLACK_REDIRECT_URI")
        if bool(client_id) != bool(secret):
            given, missing = (
                ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET")
                if client_id
                else ("SLACK_CLIENT_SECRET", "SLACK_CLIENT_ID")
            )
            self.problems.append(
                f"{given} is set but {missing} is not: installing by OAuth needs both "
                "(Basic Information > App Credentials)."
            )
        if client_id and secret and has_bot_token:
            self.problems.append(
                "Set SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET "
                "(installed by OAuth in many), not both."
            )
        if redirect_uri and not LOCAL_OR_HTTPS_RE.match(redirect_uri):
            self.problems.append(
                "SLACK_REDIRECT_URI must be an https:// URL ending in /slack/oauth_redirect "
                "(http:// only for localhost)."
            )
        known = len(self.problems)
        keys = self.encryption_keys()
        if client_id and secret and not keys and len(self.problems) == known:
            self.problems.append(
                "BRAVO_ENCRYPTION_KEY is missing: installing by OAuth keeps each workspace's "
                "token encrypted with it. Make one with `python -m bot keys new`."
            )
        return client_id, secret, redirect_uri, keys

    def public_url(self) -> str | None:
        url = self.text("BRAVO_PUBLIC_URL")
        if url is None:
            return None
        if not re.match(r"^https?://[^\s/]+(/\S*)?$", url):
            self.problems.append(
                f"BRAVO_PUBLIC_URL must be an http(s) URL like https://bravo.example.com, "
                f"got {url[:80]!r}."
            )
            return None
        return url.rstrip("/")

    def encryption_keys(self) -> tuple[str, ...]:
        raw = self.text("BRAVO_ENCRYPTION_KEY") or ""
        keys = tuple(k.strip() for k in raw.split(",") if k.strip())
        for n, key in enumerate(keys, 1):
            if not _is_fernet_key(key):
                which = "it is" if len(keys) == 1 else f"key {n} of {len(keys)} is"
                self.problems.append(
                    f"BRAVO_ENCRYPTION_KEY: {which} not a Fernet key (44 characters of url-safe "
                    "base64); make one with `python -m bot keys new`."
                )
                return ()
        return keys

    def flag(self, name: str) -> bool:
        raw = (self.text(name) or "0").lower()
        if raw not in {"0", "1", "true", "false", "yes", "no"}:
            self.problems.append(f"{name} must be 1 or 0, got {raw!r}.")
        return raw in {"1", "true", "yes"}

    def database_url(self, *, allow_maintenance_db: bool = False) -> str:
        database_url = self.text("DATABASE_URL") or DEFAULT_DATABASE_URL
        scheme, sep, rest = database_url.partition("://")
        if not sep or not re.match(r"^(sqlite|postgres|postgresql)(\+\w+)?$", scheme):
            self.problems.append(
                "DATABASE_URL must be a sqlite:/// or postgresql:// URL, "
                f"got {database_url.split('://')[0]!r}."
            )
        elif scheme.startswith("sqlite") and rest and not rest.startswith("/"):
            self.problems.append(
                f"DATABASE_URL {database_url!r} has two slashes after sqlite:; a file needs three, "
                f"sqlite:///{rest} (four for an absolute path: sqlite:////srv/bravo.db)."
            )
        elif scheme.startswith("postgres") and not allow_maintenance_db:
            name = rest.rsplit("/", 1)[-1].split("?")[0] if "/" in rest else ""
            if name in MAINTENANCE_DATABASES:
                self.problems.append(
                    f"DATABASE_URL names PostgreSQL's own {name!r} database: create one for Bravo "
                    "(createdb bravo) and name it in the URL; or set BRAVO_ALLOW_MAINTENANCE_DB=1."
                )
        return database_url

    def log_level(self) -> str:
        log_level = (self.text("LOG_LEVEL") or "INFO").upper()
        if log_level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            self.problems.append(
                f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {log_level!r}."
            )
        return log_level

    def kudos_rules(self) -> KudosRules:
        emoji = (self.text("BRAVO_KUDOS_EMOJI") or "clap").strip(":")
        if not EMOJI_RE.match(emoji):
            self.problems.append(
                f"BRAVO_KUDOS_EMOJI must be an emoji name like clap, got {emoji!r}."
            )
        kudos_channel = self.text("BRAVO_KUDOS_CHANNEL")
        if kudos_channel and not re.match(r"^[CG][A-Z0-9]{2,}$", kudos_channel):
            self.problems.append(
                "BRAVO_KUDOS_CHANNEL must be a channel id like C0123ABCD "
                "(in Slack: channel details > About, at the bottom)."
            )
        return KudosRules(
            values=self.values(),
            emoji=emoji,
            daily_allowance=self.int("BRAVO_DAILY_ALLOWANCE", 5, 1, 1000),
            per_recipient_daily_cap=self.int("BRAVO_PER_RECIPIENT_DAILY_CAP", 0, 0, 1000),
            kudos_channel=kudos_channel,
        )

    def values(self) -> tuple[str, ...]:
        raw_values = self.text("BRAVO_VALUES")
        if not raw_values:
            return DEFAULT_VALUES
        parsed = tuple(v.strip().lower().lstrip("#") for v in raw_values.split(",") if v.strip())
        bad = [v for v in parsed if not VALUE_RE.match(v)]
        if bad or not parsed:
            self.problems.append(
                "BRAVO_VALUES must be a comma-separated list of short lowercase words "
                f"(letters, digits, dashes), got {raw_values!r}."
            )
        elif len(set(parsed)) != len(parsed) or len(parsed) > 50:
            self.problems.append("BRAVO_VALUES must list at most 50 values, each once.")
        else:
            return parsed
        return DEFAULT_VALUES

    def unknown_names(self) -> None:
        """A misspelled BRAVO_ variable would be silently ignored: name it, and the closest."""
        known = (*ENV_VARS, *TOOL_VARS)
        for name in sorted(n for n in self.env if n.startswith("BRAVO_") and n not in known):
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            hint = f" Did you mean {close[0]}?" if close else " See .env.example for the settings."
            self.problems.append(f"{name} is not a Bravo setting.{hint}")

    def admins(self) -> tuple[str, ...]:
        admins = tuple(a.strip() for a in (self.text("BRAVO_ADMINS") or "").split(",") if a.strip())
        bad_admins = [a for a in admins if not re.match(r"^[UW][A-Z0-9]{2,}$", a)]
        if bad_admins:
            self.problems.append(
                "BRAVO_ADMINS must be a comma-separated list of Slack user ids like U0123ABCD "
                f"(in Slack: profile > ⋯ > Copy member ID), got {', '.join(bad_admins)!r}."
            )
        return admins
