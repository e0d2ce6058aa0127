"""What can go wrong managing a workspace's practice scenarios, and its words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.errors import BravoError, error_text
from bot.text import escape

CatalogAction = Literal["retire", "restore", "remove"]


@dataclass
class ScenariosAdminOnlyError(BravoError):
    pass


@dataclass
class ScenarioTextError(BravoError):
    """A pasted (or imported) text that is not a set of good scenarios: nothing of it saved."""

    problems: tuple[str, ...]


@dataclass
class ScenarioTextLengthError(BravoError):
    length: int
    limit: int


@dataclass
class TooManyScenariosError(BravoError):
    limit: int
    adding: int


@dataclass
class CatalogKeyError(BravoError):
    """A retire/restore/remove of a key that cannot be: nothing changed."""

    action: CatalogAction
    key: str


@error_text.register
def _(err: ScenariosAdminOnlyError) -> str:
    return (
        "Only Bravo's admins (and the workspace's Slack admins and owners) can manage practice "
        "scenarios. Everyone can practise with them: `/practice`."
    )


@error_text.register
def _(err: ScenarioTextError) -> str:
    lines = [escape(p) for p in err.problems[:8]]
    more = len(err.problems) - len(lines)
    if more > 0:
        lines.append(f"and {more} more problem(s)")
    return "Nothing was saved. " + " • ".join(lines)


@error_text.register
def _(err: ScenarioTextLengthError) -> str:
    return (
        f"That's {err.length:,} characters; at most {err.limit:,} fit at a time. Nothing was "
        "saved: paste fewer scenarios at once (an operator can import a whole file with "
        "`bravo practice scenarios import`)."
    )


@error_text.register
def _(err: TooManyScenariosError) -> str:
    return (
        f"A workspace keeps at most {err.limit} scenarios of its own (added, replaced or "
        f"retired); this would make more. Nothing was saved: remove some first."
    )


_WHY = {
    "retire": "is not one of Bravo's scenarios in use here",
    "restore": "is not retired",
    "remove": "is not one of this workspace's own scenarios",
}


@error_text.register
def _(err: CatalogKeyError) -> str:
    key = escape(err.key[:64])
    return f"Nothing changed: the scenario {key or '(no key)'} {_WHY[err.action]} (any more)."
