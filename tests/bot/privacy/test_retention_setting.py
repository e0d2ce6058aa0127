"""``BRAVO_RETENTION_DAYS``: how long an uninstalled workspace's data is kept."""

from __future__ import annotations

import pytest

from bot.settings import SettingsError, load_settings


def test_retention_defaults_to_30_days_and_reads_a_number() -> None:
    assert load_settings({}).retention_days == 30
    assert load_settings({"BRAVO_RETENTION_DAYS": "7"}).retention_days == 7
    assert load_settings({"BRAVO_RETENTION_DAYS": "0"}).retention_days == 0


@pytest.mark.parametrize("raw", ["-1", "thirty", "99999", "7.5"])
def test_a_wrong_retention_is_named_in_words(raw: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings({"BRAVO_RETENTION_DAYS": raw})
    assert "BRAVO_RETENTION_DAYS must be" in str(caught.value)
