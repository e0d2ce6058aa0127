"""Production HTTP mode: gunicorn with threaded workers (not Bolt's development server)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication


class GunicornServer(BaseApplication):
    """Runs a WSGI app built by ``load_app`` inside each worker (after the fork, so database
    connections and the delivery thread belong to the worker)."""

    def __init__(
        self,
        load_app: Callable[[], Any],
        *,
        host: str,
        port: int,
        workers: int = 1,
        threads: int = 32,
        log_level: str = "info",
    ) -> None:
        self._load_app = load_app
        self._options = {
            "bind": f"{host}:{port}",
            "workers": workers,
            "worker_class": "gthread",
            "threads": threads,
            "timeout": 60,
            "graceful_timeout": 20,
            "keepalive": 5,
            "loglevel": log_level.lower(),
            "accesslog": None,
        }
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self._load_app()
