"""A stand-in for huggingface.co on 127.0.0.1 that can misbehave on purpose (issue #4)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0
    reset: bool = False  # close the connection without an answer
    truncate: bool = False  # promise more bytes than are sent


class FaultyHF:
    """Serves day answers by path; each path holds a list of replies, the last one repeats."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []

    def set(self, day: str, api: list[Reply], page: list[Reply] | None = None) -> None:
        self.routes[f"/api/daily_papers?date={day}"] = api
        self.routes[f"/papers/date/{day}"] = page or [Reply(500)]

    def next_reply(self, path: str) -> Reply:
        parts = urlsplit(path)
        key = parts.path
        if parts.path == "/api/daily_papers":
            key += f"?date={parse_qs(parts.query)['date'][0]}"
        replies = self.routes.get(key, [Reply(404)])
        return replies.pop(0) if len(replies) > 1 else replies[0]


@contextmanager
def running_hf() -> Iterator[tuple[FaultyHF, str]]:
    """A stand-in for huggingface.co on 127.0.0.1: (the source to program, its base URL)."""
    source = FaultyHF()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            source.requests.append((self.path, dict(self.headers)))
            reply = source.next_reply(self.path)
            time.sleep(reply.delay)
            if reply.reset:
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                )
                self.connection.close()
                return
            self.send_response(reply.status)
            for name, value in reply.headers:
                self.send_header(name, value)
            length = len(reply.body) * 2 if reply.truncate else len(reply.body)
            self.send_header("Content-Length", str(length))
            self.end_headers()
            self.wfile.write(reply.body)
            if reply.truncate:
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield source, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
