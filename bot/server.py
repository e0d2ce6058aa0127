"""Production HTTP mode: gunicorn with threaded workers (not Bolt's development server)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication

from bot.malloc import limit_arenas


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
        on_ready: Callable[[], None] | None = None,
        on_exit: Callable[[], None] | None = None,
    ) -> None:
        """``on_ready`` runs once the port is bound; ``on_exit`` in each worker as it exits
        (to stop its scheduler and deliverer before the interpreter shuts down)."""
        limit_arenas()  # in the arbiter, before it forks: its workers inherit the cap
        self._load_app = load_app
        self._options: dict[str, Any] = {
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
        if on_ready is not None:
            self._options["when_ready"] = lambda _server: on_ready()
        if on_exit is not None:
            self._options["worker_exit"] = lambda _server, _worker: on_exit()
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self._load_app()
