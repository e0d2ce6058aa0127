from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.settings import DEFAULT_VALUES, ENV_VARS, SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[2]


def test_defaults() -> None:
    s = load_settings({})
    assert s.database_url.startswith("sqlite:///") and "data" in s.database_url
    assert s.slack_api_url == "https://slack.com/api/"
    assert s.kudos.values == DEFAULT_VALUES and s.kudos.daily_allowance == 5
    assert s.kudos.emoji == "clap"


def test_all_problems_are_reported_at_once() -> None:
    with pytest.raises(SettingsError) as info:
        load_settings(
            {
                "SLACK_BOT_TOKEN": "xoxp-user",
                "DATABASE_URL": "mysql://x",
                "BRAVO_DAILY_ALLOWANCE": "lots",
                "BRAVO_VALUES": "Empathy!,",
                "SLACK_API_URL": "ftp://x",
                "BRAVO_KUDOS_CHANNEL": "#general",
            }
        )
    problems = info.value.problems
    assert len(problems) == 6
    text = str(info.value)
    for name in (
        "SLACK_BOT_TOKEN",
        "DATABASE_URL",
        "BRAVO_DAILY_ALLOWANCE",
        "BRAVO_VALUES",
        "SLACK_API_URL",
        "BRAVO_KUDOS_CHANNEL",
    ):
        assert name in text


def test_run_mode_requirements() -> None:
    s = load_settings({})
    with pytest.raises(SettingsError) as info:
        s.require_for_run(http=True)
    assert [p.split()[0] for p in info.value.problems] == [
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
    ]
    with pytest.raises(SettingsError) as info:
        s.require_for_run(http=False)
    assert "SLACK_APP_TOKEN" in str(info.value)
    ok = load_settings({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"})
    ok.require_for_run(http=True)


def test_custom_values_and_api_url() -> None:
    s = load_settings(
        {
            "BRAVO_VALUES": "#Kindness, speed",
            "SLACK_API_URL": "http://127.0.0.1:9/api",
            "BRAVO_KUDOS_EMOJI": ":taco:",
        }
    )
    assert s.kudos.values == ("kindness", "speed")
    assert s.slack_api_url == "http://127.0.0.1:9/api/"
    assert s.kudos.emoji == "taco"


def test_env_example_documents_exactly_the_settings() -> None:
    text = (ROOT / ".env.example").read_text()
    names = re.findall(r"^([A-Z_]+)=", text, flags=re.M)
    assert sorted(names) == sorted(ENV_VARS)
    for name in names:  # each one has a comment right above it
        before = text.split(f"\n{name}=")[0].rstrip().splitlines()[-1]
        assert before.startswith("#"), name


def test_a_misspelled_setting_is_named_with_the_closest_one() -> None:
    with pytest.raises(SettingsError) as info:
        load_settings({"BRAVO_DAILY_ALLOWENCE": "3", "BRAVO_NONSENSE_XYZ": "1"})
    assert info.value.problems == [
        "BRAVO_DAILY_ALLOWENCE is not a Bravo setting. Did you mean BRAVO_DAILY_ALLOWANCE?",
        "BRAVO_NONSENSE_XYZ is not a Bravo setting. See .env.example for the settings.",
    ]
    load_settings({"BRAVO_ENV_FILE": "/dev/null", "BRAVO_TEST_PG": "x", "OTHER_TOOL": "y"})


def test_the_example_token_is_refused_with_where_to_find_the_real_one() -> None:
    with pytest.raises(SettingsError) as info:
        load_settings({"SLACK_BOT_TOKEN": "xoxb-your-bot-token"})
    assert "still the example" in str(info.value) and "OAuth & Permissions" in str(info.value)
