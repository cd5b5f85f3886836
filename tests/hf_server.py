"""Stand-ins for huggingface.co that can misbehave on purpose (issues #4, #14): a server on
127.0.0.1, and a DayFetcher on httpx.MockTransport with a clock that only moves when slept on.
The server also serves the scheduled bench's days (bench/scheduled.py), and saved answers
for a user to try `sitegen fetch` offline: `python -m tests.hf_server ANSWER.json...`.

The server serves saved answers as Hugging Face does: the API pages a day with `p` and `limit` (and
may answer fewer entries than asked), a page past the end is `[]`, a day's page carries its
entries and the `date` it shows in the `data-props` of `[data-target="DailyPapers"]`.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import json
import re
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from sitegen.hf_client import DayFetcher, FetchPolicy

EMPTY_PAGE = b"[]"


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0
    reset: bool = False  # close the connection without an answer
    truncate: bool = False  # promise more bytes than are sent
    # Seconds between pieces sent: the body a byte at a time, or with `drip_headers` header
    # lines ("X-Drip: n") before the real ones, one at a time.
    drip: float = 0.0
    drip_headers: int = 0


class FakeTime:
    """A clock that only moves when slept on: waits are measured, never spent."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


def mock_fetcher(
    handler: Callable[[httpx.Request], httpx.Response],
    *,
    policy: FetchPolicy,
    time: FakeTime | None = None,
    base_url: str = "http://hf.test",
) -> tuple[DayFetcher, FakeTime]:
    """A DayFetcher whose requests `handler` answers, on a FakeTime, without jitter."""
    time = time or FakeTime()
    client = httpx.Client(transport=httpx.MockTransport(handler))
    fetcher = DayFetcher(
        client,
        base_url=base_url,
        policy=policy,
        sleep=time.sleep,
        clock=time.clock,
        jitter=lambda: 1.0,
    )
    return fetcher, time


def api_pages(answer: bytes, *, per_page: int) -> list[bytes]:
    """A saved answer as a server that gives at most `per_page` entries a page would send it."""
    entries = json.loads(answer)
    return [
        json.dumps(
            entries[start : start + per_page], ensure_ascii=False, separators=(",", ":")
        ).encode()
        for start in range(0, len(entries), per_page)
    ]


def day_page(entries: list[Any], *, day: str) -> bytes:
    """The HTML page /papers/date/<day> of these entries, shaped as Hugging Face's."""
    shown = date.fromisoformat(day)
    props = {
        "dailyPapers": entries,
        "date": f"{day}T00:00:00.000Z",
        "prevDate": f"{shown - timedelta(days=1)}T00:00:00.000Z",
        "nextDate": f"{shown + timedelta(days=1)}T00:00:00.000Z",
        "canSubmit": False,
    }
    cards = "".join(
        f'<article><h3><a href="/papers/{html.escape(e["paper"]["id"])}">'
        f"{html.escape(e['title'])}</a></h3></article>"
        for e in entries
    )
    return (
        "<!doctype html><html><head><title>Daily Papers - Hugging Face</title></head><body><main>"
        '<div class="SVELTE_HYDRATER contents" data-target="DailyPapers" '
        f'data-props="{html.escape(json.dumps(props, ensure_ascii=False))}">{cards}</div>'
        "</main></body></html>"
    ).encode()


def paper_page(entry: dict[str, Any]) -> bytes:
    """The HTML page /papers/<id> of one paper: its props are a PaperContent."""
    props = html.escape(json.dumps({"paper": entry["paper"], "comments": []}))
    return (
        "<!doctype html><html><body><main>"
        f'<div class="SVELTE_HYDRATER contents" data-target="PaperContent" data-props="{props}">'
        "</div></main></body></html>"
    ).encode()


Route = list[Reply] | Callable[[int, int], Reply]  # replies in turn, or (page, limit) -> reply


class FaultyHF:
    """Serves day answers by path; each path holds a list of replies, the last one repeats.
    A path given none is answered 404, or for the API `[]` after `serve_days`."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.other_api_days = [Reply(404)]

    def set(self, day: str, api: list[Reply], page: list[Reply] | None = None) -> None:
        """The first API page's replies for `day` (later pages are `[]`), and its HTML page's."""
        self.routes[f"/api/daily_papers?date={day}"] = api
        self.routes[f"/papers/date/{day}"] = page or [Reply(404)]

    def serve_answer(
        self,
        day: str,
        answer: bytes,
        *,
        per_page: int | None = None,
        first: tuple[Reply, ...] = (),
        page: list[Reply] | None = None,
    ) -> None:
        """Serve a saved API answer for `day`: whole (its bytes as saved) or at most `per_page`
        entries a page whatever `limit` asks; `first` replies come before any page."""
        pages = [answer] if per_page is None else api_pages(answer, per_page=per_page)
        pending = list(first)

        def reply(number: int, limit: int) -> Reply:
            if pending:
                return pending.pop(0)
            if per_page is not None and limit < per_page:
                raise AssertionError("the test server pages at per_page; ask for more")
            return Reply(200, pages[number] if number < len(pages) else EMPTY_PAGE)

        self.routes[f"/api/daily_papers?date={day}"] = reply
        self.routes[f"/papers/date/{day}"] = page or [Reply(404)]

    def serve_days(self, answers: Mapping[str, bytes], *, per_page: int) -> None:
        """Serve many days' saved answers, at most `per_page` entries a page, and any other day
        as Hugging Face answers a day without papers, `[]` (bench/scheduled.py's replay)."""
        for day, answer in answers.items():
            self.serve_answer(day, answer, per_page=per_page)
        self.other_api_days = [Reply(200, EMPTY_PAGE)]

    def next_reply(self, path: str) -> Reply:
        parts = urlsplit(path)
        query = parse_qs(parts.query)
        key = parts.path
        if parts.path == "/api/daily_papers":
            key += f"?date={query['date'][0]}"
        other = self.other_api_days if parts.path == "/api/daily_papers" else [Reply(404)]
        route = self.routes.get(key, other)
        if callable(route):
            return route(int(query.get("p", ["0"])[0]), int(query.get("limit", ["50"])[0]))
        if parts.path == "/api/daily_papers" and query.get("p", ["0"])[0] != "0":
            return Reply(200, EMPTY_PAGE)
        return route.pop(0) if len(route) > 1 else route[0]


@contextmanager
def running_hf() -> Iterator[tuple[FaultyHF, str]]:
    """A stand-in for huggingface.co on 127.0.0.1: (the source to program, its base URL)."""
    source = FaultyHF()
    lock = threading.Lock()  # replies are taken in turn by the server's threads

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with lock:
                source.requests.append((self.path, dict(self.headers)))
                reply = source.next_reply(self.path)
            time.sleep(reply.delay)
            # A client that timed out before a delayed answer has closed its end.
            with contextlib.suppress(OSError) if reply.delay else contextlib.nullcontext():
                self._answer(reply)

        def _answer(self, reply: Reply) -> None:
            if reply.reset:
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                )
                self.connection.close()
                return
            if reply.drip:
                with contextlib.suppress(OSError):  # the client gave up
                    self._send_dripping(reply)
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

        def _send_dripping(self, reply: Reply) -> None:
            self.wfile.write(f"HTTP/1.1 {reply.status} OK\r\n".encode())
            for number in range(reply.drip_headers):
                self.wfile.write(f"X-Drip: {number}\r\n".encode())
                self.wfile.flush()
                time.sleep(reply.drip)
            self.wfile.write(f"Content-Length: {len(reply.body)}\r\n\r\n".encode())
            pieces = [reply.body] if reply.drip_headers else [bytes([b]) for b in reply.body]
            for piece in pieces:
                self.wfile.write(piece)
                self.wfile.flush()
                time.sleep(reply.drip)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    # A short poll interval: shutting the server down waits for one.
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield source, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _answer(path: str) -> tuple[str, bytes, list[Any]]:
    """(its day, its bytes, its entries) of a saved answer; the day a YYYY-MM-DD in its name,
    else the one its entries were featured on (`submittedOnDailyAt`, given since 2025)."""
    try:
        raw = Path(path).read_bytes()
        entries = json.loads(raw)
    except (OSError, ValueError) as error:
        sys.exit(f"{path}: {error}")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        sys.exit(f"{path}: not an answer of the Daily Papers API (a JSON array of entries)")
    if named := re.search(r"\d{4}-\d{2}-\d{2}", Path(path).name):
        return named[0], raw, entries
    featured = {str((e.get("paper") or {}).get("submittedOnDailyAt", ""))[:10] for e in entries}
    if len(featured) != 1 or not (day := featured.pop()):
        sys.exit(f"{path}: name it after its day (YYYY-MM-DD.json): its entries do not say it")
    return day, raw, entries


def main(argv: list[str] | None = None) -> None:
    """Serve saved API answers as Hugging Face serves them (the API a page of 10 entries at a
    time, each day's page, and any other day as one without papers), until Ctrl-C:
    `sitegen fetch` tried offline (README)."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.hf_server",
        description="Serve saved Daily Papers API answers as huggingface.co, on 127.0.0.1,"
        " and print the `sitegen fetch` command that fetches them (run it in a site directory).",
        epilog="Real saved answers: tests/fixtures/hf-real/*.json",
    )
    parser.add_argument(
        "answers", nargs="+", metavar="ANSWER.json", help="an /api/daily_papers answer, saved"
    )
    answers = [_answer(path) for path in parser.parse_args(argv).answers]
    days = sorted(day for day, _, _ in answers)
    with contextlib.suppress(KeyboardInterrupt), running_hf() as (hf, url):
        hf.serve_days({day: raw for day, raw, _ in answers}, per_page=10)
        for day, _, entries in answers:
            hf.routes[f"/papers/date/{day}"] = [Reply(200, day_page(entries, day=day))]
        asked = f"--date {days[0]}" if len(days) == 1 else f"--since {days[0]} --until {days[-1]}"
        print(f"Serving {', '.join(days)} as Hugging Face at {url} (Ctrl-C to stop)", flush=True)
        print(f"  sitegen fetch --source {url} {asked}", flush=True)
        # Woken at times: a Ctrl-C the kernel hands to a server thread leaves a wait without
        # a timeout blocked for good.
        while True:
            time.sleep(0.2)


if __name__ == "__main__":
    main()
