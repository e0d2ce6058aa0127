"""The words of ``/bravo forget`` and ``/bravo export``, and the forget modal's metadata."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.privacy.errors import ExportWordsError, ForgetManyError, ForgetWordsError
from bot.text import tokenize

ME = {"me", "myself"}


@dataclass(frozen=True)
class ForgetMe:
    pass


@dataclass(frozen=True)
class ForgetOther:
    user_id: str


def parse_forget(words: tuple[str, ...]) -> ForgetMe | ForgetOther:
    text = " ".join(words).strip()
    if len(words) == 1 and words[0].lower() in ME:
        return ForgetMe()
    tokens = tokenize(text)
    users = [t.id for t in tokens if t.kind == "user"]
    others = [t for t in tokens if t.kind != "user" and t.raw.strip()]
    if len(users) > 1:
        raise ForgetManyError()
    if len(users) == 1 and not others:
        return ForgetOther(users[0])
    raise ForgetWordsError(text)


def parse_export(words: tuple[str, ...]) -> None:
    if words:
        raise ExportWordsError(" ".join(words))


def forget_meta(*, mode: str, user_id: str) -> str:
    """What the confirmation modal carries to its submission: whom, and as whom it was asked."""
    return json.dumps({"mode": mode, "user": user_id})


def read_meta(raw: Any) -> tuple[str, str] | None:
    try:
        meta = json.loads(raw or "")
    except ValueError:
        return None
    if not isinstance(meta, dict):
        return None
    mode, user = meta.get("mode"), meta.get("user")
    if mode not in {"self", "admin"} or not isinstance(user, str) or not user:
        return None
    return mode, user
