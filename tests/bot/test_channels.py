"""conversations.info, remembered for a minute per workspace and channel."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk.errors import SlackApiError

from bot.channels import ChannelInfo


class Client:
    """Answers conversations.info like Slack; ``missing`` channels raise channel_not_found."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.archived: set[str] = set()
        self.missing: set[str] = set()

    def conversations_info(self, *, channel: str) -> dict[str, Any]:
        self.asked.append(channel)
        if channel in self.missing:
            raise SlackApiError("not found", {"ok": False, "error": "channel_not_found"})
        return {"ok": True, "channel": {"id": channel, "is_archived": channel in self.archived}}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_an_answer_is_reused_within_the_minute_then_asked_again() -> None:
    client, clock = Client(), Clock()
    channels = ChannelInfo(ttl=60, now=clock)
    assert channels.info(client, "T1", "C1")["is_archived"] is False  # type: ignore[arg-type]
    client.archived.add("C1")
    clock.now += 59
    assert channels.info(client, "T1", "C1")["is_archived"] is False  # type: ignore[arg-type]
    assert client.asked == ["C1"]
    clock.now += 2
    assert channels.info(client, "T1", "C1")["is_archived"] is True  # type: ignore[arg-type]
    assert client.asked == ["C1", "C1"]


def test_workspaces_are_apart_errors_are_not_kept_and_forget_asks_again() -> None:
    client = Client()
    channels = ChannelInfo(now=Clock())
    channels.info(client, "T1", "C1")  # type: ignore[arg-type]
    channels.info(client, "T2", "C1")  # type: ignore[arg-type]
    assert client.asked == ["C1", "C1"]
    client.missing.add("C9")
    for _ in range(2):
        with pytest.raises(SlackApiError):
            channels.info(client, "T1", "C9")  # type: ignore[arg-type]
    assert client.asked.count("C9") == 2
    channels.forget("T1", "C1")
    channels.info(client, "T1", "C1")  # type: ignore[arg-type]
    assert client.asked.count("C1") == 3


def test_it_keeps_at_most_max_channels_the_oldest_going_first() -> None:
    client = Client()
    channels = ChannelInfo(max_channels=2, now=Clock())
    for channel in ("C1", "C2", "C3", "C1"):
        channels.info(client, "T1", channel)  # type: ignore[arg-type]
    assert client.asked == ["C1", "C2", "C3", "C1"]  # C1 was dropped for C3
