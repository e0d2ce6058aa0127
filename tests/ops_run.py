"""Running ``python -m bot`` as an operator does: a subprocess from the worktree root, with an
environment of its own (never the developer's .env), for the start-up and shutdown tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Lines that must never appear in Bravo's own output at the default level.
NOISE = ("Traceback", "apscheduler", "Running job", "executed successfully", "will be unused")


def bravo_env(tmp_path: Path, api_url: str, **overrides: str) -> dict[str, str]:
    """A clean environment: the sandbox's tokens, a SQLite file under ``tmp_path``."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "BRAVO_ENV_FILE": os.devnull,
        "SLACK_BOT_TOKEN": "xoxb-sandbox",
        "SLACK_APP_TOKEN": "xapp-sandbox",
        "SLACK_SIGNING_SECRET": "sandbox-secret",
        "SLACK_API_URL": api_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bravo.db'}",
        "LOG_LEVEL": "INFO",
    }
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


@dataclass
class Ran:
    code: int
    err: str

    @property
    def lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


def run_bravo(env: dict[str, str], *args: str, timeout: float = 30) -> Ran:
    """``python -m bot run ARGS`` to its end: its exit code and what it wrote to stderr."""
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return Ran(done.returncode, done.stderr + done.stdout)


class Bravo:
    """A running ``python -m bot run``; its stderr collected in a file."""

    def __init__(self, env: dict[str, str], tmp_path: Path, *args: str, cmd: str = "run") -> None:
        self.log_path = tmp_path / f"bravo-{time.monotonic_ns()}.log"
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", cmd, *args],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    @property
    def output(self) -> str:
        return self.log_path.read_text()

    def wait_for(self, text: str, timeout: float = 90) -> None:
        """A process starting under a loaded machine (CI, parallel tests) may take tens of
        seconds to import and migrate: waiting longer costs nothing when it is quick."""
        self.wait_until(lambda: text in self.output, timeout, f"{text!r} in Bravo's log")

    def wait_until(self, ok: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not ok():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"no {what}; exit {self.process.poll()}:\n{self.output}")
            time.sleep(0.05)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout)
        finally:
            self.close()

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)
        self._log.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
