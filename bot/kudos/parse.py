"""Parsing ``/kudos`` text and the kudos payloads (reactions, the message shortcut, the form) into
typed values. Pure: no Slack, no database."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot import payload
from bot.commands import meant
from bot.errors import (
    BravoError,
    NoRecipientError,
    OnePersonError,
    TextTooLongError,
    UnknownCommandError,
    error_text,
)
from bot.kudos import ids
from bot.kudos.errors import (
    PICK_SOMEONE,
    BotRecipientError,
    HistoryButtonError,
    MissingReasonError,
    SelfKudosError,
    UnknownValueError,
)
from bot.kudos.history import HistoryAsk
from bot.kudos.ids import HistoryDirection, HistoryScope, Period
from bot.payload import UnreadableError
from bot.text import Token, escape, plain, safe_mrkdwn, tokenize, visible_length
from storage.kudos import Mark

HASHTAG_RE = re.compile(r"(?<![\w&])#([A-Za-z][A-Za-z0-9_-]*)")
TRAILING_TAGS_RE = re.compile(r"(?:\s*#[A-Za-z][A-Za-z0-9_-]*[.,!]?)+\s*$")
BARE_AT_RE = re.compile(r"(?<![\w<])@([\w.\-]+)")
LEAD_WORDS = {"for", "because", "thanks", "thank", "you"}
JOINERS = {"and", "&amp;", "&", ",", "+"}
PERIODS = tuple(Period)
COMMAND = ids.COMMAND


@dataclass(frozen=True)
class GiveKudos:
    user_ids: tuple[str, ...]
    group_ids: tuple[str, ...]
    reason: str  # mrkdwn, already safe to post
    values: tuple[str, ...]


@dataclass(frozen=True)
class OpenModal:
    pass


@dataclass(frozen=True)
class ShowHelp:
    pass


@dataclass(frozen=True)
class ShowStats:
    user_id: str | None = None


@dataclass(frozen=True)
class ShowLeaderboard:
    period: Period = Period.WEEK
    value: str | None = None


@dataclass(frozen=True)
class SetLeaderboardOptOut:
    opt_out: bool


@dataclass(frozen=True)
class ShowHistory:
    user_id: str | None = None  # None: one's own


@dataclass(frozen=True)
class KudosLimits:
    values: tuple[str, ...]
    max_reason_chars: int = 1000
    max_text_chars: int = 3000
    extra: dict[str, int] = field(default_factory=dict)


KudosCommand = (
    GiveKudos
    | OpenModal
    | ShowHelp
    | ShowStats
    | ShowLeaderboard
    | SetLeaderboardOptOut
    | ShowHistory
)


def parse_kudos_command(text: str, limits: KudosLimits) -> KudosCommand:
    """Turn the text after ``/kudos`` into a command, or raise a ``BravoError`` saying why not."""
    stripped = text.strip()
    if not stripped:
        return OpenModal()
    if len(stripped) > limits.max_text_chars:
        raise TextTooLongError("text", limits.max_text_chars, len(stripped))
    first, _, rest = stripped.partition(" ")
    word = first.lower()
    if word in {"help", "?"}:
        return ShowHelp()
    if word == "stats":
        return _stats(rest)
    if word == "history":
        return _history(rest)
    if word in {"leaderboard", "top", "board"}:
        return _leaderboard(rest, limits.values)
    if word in {"optout", "opt-out"}:
        return SetLeaderboardOptOut(True)
    if word in {"optin", "opt-in"}:
        return SetLeaderboardOptOut(False)
    if meant(COMMAND, word):  # "/kudos halp": a typo, not kudos for nobody
        raise UnknownCommandError(COMMAND, first)
    return _give(stripped, limits)


def _stats(rest: str) -> ShowStats:
    tokens = [t for t in tokenize(rest.strip()) if t.kind != "text" or t.raw.strip()]
    if not tokens:
        return ShowStats()
    if len(tokens) == 1 and tokens[0].kind == "user":
        return ShowStats(tokens[0].id)
    raise NoRecipientError(COMMAND, tuple(BARE_AT_RE.findall(rest)), sub="stats")


def _leaderboard(rest: str, values: tuple[str, ...]) -> ShowLeaderboard:
    period, value = Period.WEEK, None
    for word in rest.lower().split():
        if word in PERIODS:
            period = Period(word)
        elif word.startswith("#") and word[1:] in values:
            value = word[1:]
        elif word.startswith("#"):
            raise UnknownValueError((word[1:],), values)
        else:
            raise UnknownCommandError(COMMAND, word, sub="leaderboard")
    return ShowLeaderboard(period, value)


def _give(text: str, limits: KudosLimits) -> GiveKudos:
    tokens = tokenize(text)
    users: list[str] = []
    groups: list[str] = []
    index = 0
    # Recipients are the mentions at the start ("@ana @ben and @cy for ..."); mentions later on
    # belong to the reason.
    while index < len(tokens):
        tok = tokens[index]
        if tok.kind == "user":
            if tok.id not in users:
                users.append(tok.id)
        elif tok.kind == "group":
            if tok.id not in groups:
                groups.append(tok.id)
        elif tok.kind == "text" and all(w.lower() in JOINERS for w in tok.raw.split()):
            pass
        else:
            break
        index += 1
    if not users and not groups:
        raise NoRecipientError(COMMAND, tuple(BARE_AT_RE.findall(plain(text))))

    reason_tokens, values = _split_values(tokens[index:], limits.values)
    reason_tokens = _trim_lead(reason_tokens)
    if not reason_tokens or not "".join(t.raw for t in reason_tokens).strip():
        raise MissingReasonError()
    length = visible_length(reason_tokens)
    if length > limits.max_reason_chars:
        raise TextTooLongError("reason", limits.max_reason_chars, length)
    return GiveKudos(tuple(users), tuple(groups), safe_mrkdwn(reason_tokens).strip(), values)


def _split_values(
    tokens: list[Token], allowed: tuple[str, ...]
) -> tuple[list[Token], tuple[str, ...]]:
    """Pull ``#value`` tags out of the reason. Tags at the end are dropped from the text; a tag
    mid-sentence keeps its word ("great #empathy on the call")."""
    found: list[str] = []
    unknown: list[str] = []

    def note(name: str) -> None:
        name = name.lower()
        bucket = found if name in allowed else unknown
        if name not in bucket:
            bucket.append(name)

    tokens = list(tokens)
    if tokens and tokens[-1].kind == "text":
        last = tokens[-1].raw
        tail = TRAILING_TAGS_RE.search(last)
        if tail:
            for match in HASHTAG_RE.finditer(tail.group(0)):
                note(match.group(1))
            tokens[-1] = Token("text", last[: tail.start()])
    out: list[Token] = []
    for tok in tokens:
        if tok.kind == "channel" and tok.label.lower() in allowed:
            # Slack turned "#empathy" into a channel link because such a channel exists.
            note(tok.label)
            out.append(Token("text", tok.label))
        elif tok.kind == "text":
            for match in HASHTAG_RE.finditer(tok.raw):
                note(match.group(1))
            out.append(Token("text", HASHTAG_RE.sub(lambda m: m.group(1), tok.raw)))
        else:
            out.append(tok)
    if unknown:
        raise UnknownValueError(tuple(unknown), allowed)
    return out, tuple(found)


def _trim_lead(tokens: list[Token]) -> list[Token]:
    if not tokens or tokens[0].kind != "text":
        return tokens
    words = tokens[0].raw.lstrip(" :,-–—").split(" ")
    while words and words[0].lower() in LEAD_WORDS:
        words.pop(0)
    head = " ".join(words).lstrip(" :,-–—")
    return [Token("text", head), *tokens[1:]] if head else tokens[1:]


def modal_reason(text: str, limit: int) -> str:
    """A reason typed in the modal is plain text: escape all of it."""
    text = text.strip()
    if not text:
        raise MissingReasonError()
    if len(text) > limit:
        raise TextTooLongError("reason", limit, len(text))
    return escape(text)


# Payloads


def is_kudos_reaction(event: dict[str, Any], emoji: str) -> bool:
    """The kudos emoji (any skin tone: ``clap::skin-tone-3`` counts as ``clap``) on a message."""
    reaction = str(event.get("reaction", "")).split("::")[0]
    return reaction == emoji and (event.get("item") or {}).get("type") == "message"


@dataclass(frozen=True)
class Reaction:
    """A kudos reaction added to (or removed from) a message."""

    team_id: str
    giver_id: str
    author_id: str | None  # None: a file, or a message without a person behind it
    channel_id: str
    ts: str
    event_id: str | None

    @property
    def source_ref(self) -> str:
        return f"{self.channel_id}:{self.ts}"


def parse_reaction(body: dict[str, Any], event: dict[str, Any]) -> Reaction:
    item = event["item"]
    return Reaction(
        team_id=body.get("team_id") or "",
        giver_id=event["user"],
        author_id=event.get("item_user"),
        channel_id=item["channel"],
        ts=item["ts"],
        event_id=body.get("event_id"),
    )


@dataclass(frozen=True)
class MessageKudos:
    """Kudos for the author of one message (the message shortcut)."""

    author_id: str
    channel_id: str | None
    ts: str | None
    snippet: str  # the start of the message, on one line

    def metadata(self) -> str:
        """What the form opened about this message keeps for its submission."""
        return json.dumps(
            {"channel": self.channel_id, "msg_channel": self.channel_id, "msg_ts": self.ts}
        )


def parse_shortcut(shortcut: dict[str, Any]) -> MessageKudos:
    """The message the shortcut was used on; raises when its author cannot get kudos from the
    person who used it (a bot, or themselves)."""
    msg = shortcut.get("message") or {}
    author = msg.get("user")
    if not author or msg.get("bot_id"):
        raise BotRecipientError((msg.get("bot_id") or "bot",))
    if author == shortcut["user"]["id"]:
        raise SelfKudosError()
    return MessageKudos(
        author_id=author,
        channel_id=(shortcut.get("channel") or {}).get("id"),
        ts=msg.get("ts"),
        snippet=(msg.get("text") or "").replace("\n", " ")[:150],
    )


def modal_metadata(channel_id: str | None) -> str:
    """What the form opened by ``/kudos`` keeps for its submission: where it was opened."""
    return json.dumps({"channel": channel_id})


@dataclass(frozen=True)
class ModalKudos:
    """The kudos form as submitted."""

    user_ids: tuple[str, ...]
    reason: str  # escaped, safe to post
    values: tuple[str, ...]
    channel_id: str | None
    msg_channel: str | None = None  # the message it is about (from the shortcut)
    msg_ts: str | None = None


def parse_modal(view: dict[str, Any], max_reason_chars: int) -> tuple[ModalKudos, dict[str, str]]:
    """The submitted form, and the words to show under each field that needs fixing (block id ->
    words); give the kudos only when there are none."""
    state = view["state"]["values"]
    meta = payload.meta(view)
    users = tuple(
        _field(state, ids.RECIPIENTS_BLOCK, ids.RECIPIENTS_ACTION, "selected_users") or ()
    )
    value = _field(state, ids.VALUE_BLOCK, ids.VALUE_ACTION, "selected_option") or {}
    channel = _field(
        state, ids.CHANNEL_BLOCK, ids.CHANNEL_ACTION, "selected_conversation"
    ) or payload.meta_text(meta, "channel")
    problems: dict[str, str] = {}
    reason = ""
    try:
        typed = _field(state, ids.REASON_BLOCK, ids.REASON_ACTION, "value") or ""
        reason = modal_reason(typed, max_reason_chars)
    except BravoError as err:
        problems[ids.REASON_BLOCK] = error_text(err)
    if not users:
        problems[ids.RECIPIENTS_BLOCK] = PICK_SOMEONE
    submitted = ModalKudos(
        user_ids=users,
        reason=reason,
        values=(value["value"],) if value.get("value") else (),
        channel_id=channel,
        msg_channel=payload.meta_text(meta, "msg_channel"),
        msg_ts=payload.meta_text(meta, "msg_ts"),
    )
    return submitted, problems


def _field(state: dict[str, Any], block: str, action: str, key: str) -> Any:
    return (state.get(block) or {}).get(action, {}).get(key)


# Kudos history

SELF_WORDS = {"me", "mine", "myself"}
USER_ID_RE = re.compile(r"^[UW][A-Z0-9]{2,30}$")


def _history(rest: str) -> ShowHistory:
    """``/kudos history``, ``/kudos history me`` or ``/kudos history @someone``: one person."""
    tokens = [t for t in tokenize(rest.strip()) if t.kind != "text" or t.raw.strip()]
    if not tokens:
        return ShowHistory()
    people = [t for t in tokens if t.kind in {"user", "group"}]
    if len(tokens) == 1 and tokens[0].kind == "user":
        return ShowHistory(tokens[0].id)
    if len(people) > 1 or (people and people[0].kind == "group"):
        raise OnePersonError(COMMAND, sub="history")
    words = plain(" ".join(t.raw for t in tokens if t.kind == "text")).split()
    if not people and len(words) == 1 and words[0].lower() in SELF_WORDS:
        return ShowHistory()
    if unresolved := tuple(BARE_AT_RE.findall(plain(rest))):
        raise NoRecipientError(COMMAND, unresolved, sub="history")
    raise UnknownCommandError(COMMAND, words[0] if words else plain(tokens[0].raw), sub="history")


def parse_history_value(raw: str) -> HistoryAsk:
    """What a history page button carries (``HistoryAsk.value``); HistoryButtonError for any
    value Bravo did not write."""
    data = _history_json(raw)
    subject, viewer = _user_id(data.get("s")), _user_id(data.get("v"))
    try:
        scope = HistoryScope(str(data.get("k")))
        direction = HistoryDirection(data["d"]) if "d" in data else None
    except ValueError:
        raise HistoryButtonError() from None
    mark = _mark(data.get("c")) if direction is not None else None
    return HistoryAsk(subject, viewer, scope, direction, mark)


def parse_history_open(raw: str) -> str:
    """Whose history the Home tab's "See more" opens: ``{"subject": "U123"}``."""
    return _user_id(_history_json(raw).get("subject"))


def _history_json(raw: str) -> dict[str, Any]:
    try:
        data = json.loads(raw) if len(raw) <= 2000 else None
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise HistoryButtonError()
    return data


def _user_id(value: object) -> str:
    if isinstance(value, str) and USER_ID_RE.match(value):
        return value
    raise HistoryButtonError()


def _mark(value: object) -> Mark:
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], str)):
        raise HistoryButtonError()
    try:
        at = datetime.fromisoformat(value[0])
        kudos_id = payload.an_id(value[1])
    except (ValueError, UnreadableError):
        raise HistoryButtonError() from None
    if at.tzinfo is None or kudos_id is None:
        raise HistoryButtonError()
    return Mark(at, kudos_id)
