"""The skill profile's payloads -> typed values (pure)."""

from __future__ import annotations

import re

USER_ID = re.compile(r"[UW][A-Z0-9]{2,31}")


def person(value: object) -> str | None:
    """The person a "Skill profile" button names, if it names one."""
    text = str(value or "")
    return text if USER_ID.fullmatch(text) else None
