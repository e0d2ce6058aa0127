"""Errors of ``/bravo export`` and ``/bravo forget``, and their words."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import BravoError, error_text
from bot.text import said, trim

FORGET_USAGE = (
    "`/bravo forget me` erases everything Bravo holds about you (it asks you to confirm first). "
    "Admins: `/bravo forget @someone` erases a person who has left the workspace."
)


@dataclass
class ForgetWordsError(BravoError):
    """``/bravo forget`` with nothing, or words that are neither ``me`` nor one mention."""

    words: str


@dataclass
class ForgetManyError(BravoError):
    pass


@dataclass
class ForgetNotAdminError(BravoError):
    pass


@dataclass
class ForgetYourselfError(BravoError):
    pass


@dataclass
class ForgetActiveError(BravoError):
    user_id: str


@dataclass
class ForgetBotError(BravoError):
    user_id: str


@dataclass
class ForgetUnknownError(BravoError):
    user_id: str


@dataclass
class ExportWordsError(BravoError):
    words: str


@error_text.register
def _(err: ForgetWordsError) -> str:
    if not err.words:
        return "Whom should Bravo forget? " + FORGET_USAGE
    return f"`/bravo forget` doesn't know “{trim(said(err.words), 60)}”. " + FORGET_USAGE


@error_text.register
def _(err: ForgetManyError) -> str:
    return "`/bravo forget` erases one person at a time: name just one. Nothing was erased."


@error_text.register
def _(err: ForgetNotAdminError) -> str:
    return (
        "Only Bravo admins can erase someone else. To erase your own data, use "
        "`/bravo forget me`. Nothing was erased."
    )


@error_text.register
def _(err: ForgetYourselfError) -> str:
    return "To erase your own data, use `/bravo forget me`. Nothing was erased."


@error_text.register
def _(err: ForgetActiveError) -> str:
    return (
        f"<@{err.user_id}> is still active in this workspace: only they can erase their data, "
        "with `/bravo forget me`. Admins can erase people who have left. Nothing was erased."
    )


@error_text.register
def _(err: ForgetBotError) -> str:
    return f"<@{err.user_id}> is a bot: Bravo keeps nothing about bots. Nothing was erased."


@error_text.register
def _(err: ForgetUnknownError) -> str:
    return "Slack doesn't know that person in this workspace. Nothing was erased."


@error_text.register
def _(err: ExportWordsError) -> str:
    return (
        f"`/bravo export` takes no other words (got “{trim(said(err.words), 60)}”): it sends "
        "you, by DM, everything Bravo holds about you."
    )
