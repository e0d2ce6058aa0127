"""Production HTTP mode: gunicorn with threaded workers (not Bolt's development server); and
beside Socket Mode, a small threaded server for the few things that come by HTTP even there."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from gunicorn.app.base import BaseApplication

from bot.malloc import limit_arenas

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


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


class _Threads(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 128


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass  # Bravo's own log says what matters; no access log


def only_paths(wsgi: WSGIApp, prefixes: tuple[str, ...]) -> WSGIApp:
    """``wsgi`` for the paths starting with one of ``prefixes``; 404 for every other."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO", "").startswith(prefixes):
            return wsgi(environ, start_response)
        start_response("404 Not Found", [("Content-Type", "application/json")])
        return [b'{"ok": false, "error": "not_found"}']

    return app


class SideServer:
    """A small threaded HTTP server beside Socket Mode, for what must come by HTTP even there
    (the customer-rating webhook, the health check). Slack's own requests come through the
    socket, so ``wsgi`` should answer nothing else (``only_paths``)."""

    def __init__(self, wsgi: WSGIApp, *, host: str, port: int) -> None:
        self._server = make_server(
            host, port, wsgi, server_class=_Threads, handler_class=_QuietHandler
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="bravo-side-http", daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._server.server_port)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
