"""Skill profile errors and their words."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import BravoError, error_text


@dataclass
class ProfileNotShared(BravoError):
    """The viewer may not see this person's skill profile. The same words whether the person
    has no coach, has not shared it, or the viewer is an admin: nobody learns which."""

    person_id: str


@error_text.register
def _(err: ProfileNotShared) -> str:
    return (
        f"<@{err.person_id}>'s skill profile is theirs: only they, and their coaches when they "
        "choose to share it, can see it."
    )
