"""A static host on 127.0.0.1, as GitHub Pages serves a site, for the tests and
docs/screenshots.py: a missing path gets the site's 404.html with status 404."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote


class QuietHandler(SimpleHTTPRequestHandler):
    """A static host: as GitHub Pages, a missing path of a project site ("/repo/...") gets
    that site's 404.html, with status 404; else the 404.html at the root, if any."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        folder = unquote(self.path.split("?")[0].lstrip("/").partition("/")[0])
        site = folder if folder.isidentifier() or "-" in folder else ""  # not "..", not ""
        page = Path(self.directory, site, "404.html")
        if not page.is_file():  # a site at the host's root
            page = Path(self.directory, "404.html")
        if code != HTTPStatus.NOT_FOUND or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


# How often the server looks for a shutdown: with serve_forever's default, 0.5 s, every test
# that served a site waited up to that long at its end (0.25 s on average) for nothing.
SHUTDOWN_POLL = 0.05


@contextmanager
def serving_as(
    handler: Callable[..., BaseHTTPRequestHandler],
) -> Iterator[ThreadingHTTPServer]:
    """A server on 127.0.0.1 (any free port) answering as `handler` while the block runs."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, args=(SHUTDOWN_POLL,), daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def serving(directory: Path) -> AbstractContextManager[ThreadingHTTPServer]:
    """`directory` served over HTTP on 127.0.0.1 (any free port) while the block runs."""
    return serving_as(functools.partial(QuietHandler, directory=str(directory)))
