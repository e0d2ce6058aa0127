"""Tokens encrypted at rest: ``BRAVO_ENCRYPTION_KEY`` holds one or more Fernet keys, comma
separated. New writes use the first; reads try each, so a key is rotated by putting a new one
first, and the old one is dropped once every row was written again (``reseal`` does that at
once; any save or token refresh does it for its row). Keys are checked in ``bot.settings``."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class UnreadableSecret(Exception):
    """A stored secret none of the keys opens (the key that wrote it was removed)."""


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")


class Sealer:
    """Encrypts and decrypts the secrets Bravo stores (bot and refresh tokens)."""

    def __init__(self, keys: tuple[str, ...]) -> None:
        if not keys:
            raise ValueError("no encryption key (BRAVO_ENCRYPTION_KEY)")
        self._fernet = MultiFernet([Fernet(k.encode("ascii")) for k in keys])

    def seal(self, secret: str | None) -> str | None:
        if secret is None:
            return None
        return self._fernet.encrypt(secret.encode("utf-8")).decode("ascii")

    def open(self, sealed: str | None) -> str | None:
        if sealed is None:
            return None
        try:
            return self._fernet.decrypt(sealed.encode("ascii")).decode("utf-8")
        except InvalidToken:
            raise UnreadableSecret(
                "a stored token cannot be decrypted with any key in BRAVO_ENCRYPTION_KEY "
                "(was the key that wrote it removed?)"
            ) from None

    def __repr__(self) -> str:  # never show keys
        return "Sealer(...)"
