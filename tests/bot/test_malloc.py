"""The malloc arena cap of long-running processes, in a fresh interpreter each time (it changes
the process's allocator)."""

from __future__ import annotations

import os
import platform
import subprocess
import sys

import pytest

ASK = "from bot.malloc import limit_arenas; print(limit_arenas())"


def _run(env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-c", ASK], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's mallopt")
def test_the_cap_is_taken_on_glibc() -> None:
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    assert _run(env) == "True"


def test_an_arena_count_chosen_in_the_environment_is_left_alone() -> None:
    assert _run({**os.environ, "MALLOC_ARENA_MAX": "4"}) == "False"
