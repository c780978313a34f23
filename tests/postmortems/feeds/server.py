"""A local HTTP server that serves recorded feeds, with ETags and redirects like real hosts."""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "application/json"
    status: int = 200
    location: str = ""


@dataclass
class FeedServerState:
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = FeedServerState()
        self.lock = threading.Lock()


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        with self.server.lock:
            self.server.state.requests.append((self.path, dict(self.headers.items())))
            route = self.server.state.routes.get(self.path)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            if route is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if route.location:
                self.send_response(route.status or 302)
                self.send_header("Location", route.location)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            etag = '"' + hashlib.sha256(route.body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", "Mon, 20 Oct 2025 10:00:00 GMT")
            self.end_headers()
            self.wfile.write(route.body)


class FeedServer:
    def __init__(self, server: _Server) -> None:
        self._server = server

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    def serve(self, path: str, body: bytes, content_type: str = "application/json") -> str:
        with self._server.lock:
            self._server.state.routes[path] = Route(body=body, content_type=content_type)
        return self.url(path)

    def redirect(self, path: str, location: str) -> str:
        with self._server.lock:
            self._server.state.routes[path] = Route(status=302, location=location)
        return self.url(path)

    @property
    def requests(self) -> list[tuple[str, dict[str, str]]]:
        return list(self._server.state.requests)


@pytest.fixture
def feed_server(settings) -> Iterator[FeedServer]:
    server = _Server()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    # The test server is on loopback, which the fetcher refuses unless told otherwise.
    settings.CASCADE_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    try:
        yield FeedServer(server)
    finally:
        server.shutdown()
        server.server_close()
