"""The network edge: fetch one day of Daily Papers, politely and reliably (issue #4).

The JSON API first (paged until a short page), the HTML page as the fallback when the API
fails or answers something unusable. Timeouts on connect and read; retries with exponential
backoff and full jitter on connection errors, 5xx and 429 (honouring Retry-After) within a
bounded total time; conditional requests with the validators of the last answer. This module
returns raw answers and never writes: content.py keeps them.
"""

from __future__ import annotations

import dataclasses
import email.utils
import json
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import httpx

from sitegen import __version__
from sitegen.errors import FetchError, ListingError, Location
from sitegen.listings import Listing
from sitegen.listings.base import HF_URL
from sitegen.listings.hf import parse_hf_html, parse_hf_json

USER_AGENT = f"sitegen/{__version__} (static site and feeds of HF Daily Papers)"
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
PAGE_SIZE = 100  # the API's largest page


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchPolicy:
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    attempts: int = 5  # per request, the first one included
    backoff: float = 1.0  # seconds before the first retry, doubled each time, with jitter
    max_backoff: float = 60.0
    budget: float = 300.0  # seconds one request may take, retries and waits included
    concurrency: int = 3  # days fetched at once


@dataclass(frozen=True, slots=True, kw_only=True)
class Validators:
    """What a server said about its answer, for a conditional request next time."""

    etag: str | None = None
    last_modified: str | None = None

    def as_state(self) -> dict[str, str]:
        """The non-empty validators, as kept in content/fetch-state.json."""
        fields = {"etag": self.etag, "last_modified": self.last_modified}
        return {key: value for key, value in fields.items() if value}

    def headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True, slots=True, kw_only=True)
class DayAnswer:
    day: date
    status: str  # "papers", "empty" (no papers that day), "unchanged" (304)
    raw: bytes = b""  # the answer to keep: a JSON array, or the page's HTML
    suffix: str = ".json"  # ".json" or ".html"
    listing: Listing | None = None
    validators: Validators = field(default_factory=Validators)
    notes: tuple[str, ...] = ()  # what went wrong on the way (e.g. the API failed, HTML used)


class DayFetcher:
    """Fetches days from one source through one shared httpx client."""

    def __init__(
        self,
        client: httpx.Client,
        *,
        base_url: str = HF_URL,
        policy: FetchPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.client = client
        self.base_url = base_url.rstrip("/")
        self.policy = policy or FetchPolicy()
        self.sleep, self.clock, self.jitter = sleep, clock, jitter

    def fetch_day(self, day: date, known: Validators | None = None) -> DayAnswer:
        """One day's papers; a FetchError naming the day when neither source gives them."""
        try:
            return self._from_api(day, known)
        except (FetchError, ListingError) as api_problem:
            note = f"API: {api_problem.message}"
        try:
            answer = self._from_page(day)
        except (FetchError, ListingError) as page_problem:
            raise FetchError(
                f"{day.isoformat()}: no usable answer ({note}; page: {page_problem.message})",
                location=Location(day.isoformat()),
                hint="the day is skipped; run the fetch again later, or report a changed source",
            ) from None
        return dataclasses.replace(answer, notes=(note, "used the HTML page"))

    def _from_api(self, day: date, known: Validators | None) -> DayAnswer:
        entries: list[object] = []
        validators = Validators()
        page = 0
        while True:
            params = {"date": day.isoformat(), "p": str(page), "limit": str(PAGE_SIZE)}
            # Only the first page is conditional: it changes whenever the day does.
            headers = known.headers() if known and page == 0 else {}
            response = self._get("/api/daily_papers", params=params, headers=headers, day=day)
            if response.status_code == 304:
                return DayAnswer(day=day, status="unchanged", validators=known or Validators())
            if page == 0:
                validators = _validators(response)
            _expect_ok(response, day)
            try:
                answer = json.loads(response.content)
            except json.JSONDecodeError as error:
                raise FetchError(
                    f"invalid JSON from the API (page {page + 1}): "
                    f"{error.msg} at line {error.lineno}",
                    location=Location(day.isoformat()),
                ) from None
            if not isinstance(answer, list):
                raise FetchError(
                    f"the API answered a {type(answer).__name__}, not a list of papers",
                    location=Location(day.isoformat()),
                )
            entries.extend(answer)
            if len(answer) < PAGE_SIZE:
                break
            page += 1
        raw = json.dumps(entries, ensure_ascii=False, indent=1).encode() + b"\n"
        if not entries:
            return DayAnswer(day=day, status="empty", validators=validators)
        # Parsed from the bytes that are kept, so what is ingested is what a replay will read.
        listing = parse_hf_json(raw.decode(), origin=f"{day.isoformat()}.json", day=day)
        return DayAnswer(day=day, status="papers", raw=raw, listing=listing, validators=validators)

    def _from_page(self, day: date) -> DayAnswer:
        response = self._get(f"/papers/date/{day.isoformat()}", params={}, headers={}, day=day)
        _expect_ok(response, day)
        listing = parse_hf_html(response.text, origin=f"{day.isoformat()}.html", day=day)
        status = "papers" if listing.entries else "empty"
        return DayAnswer(
            day=day, status=status, raw=response.content, suffix=".html", listing=listing,
            validators=_validators(response),
        )  # fmt: skip

    def _get(
        self, path: str, *, params: Mapping[str, str], headers: Mapping[str, str], day: date
    ) -> httpx.Response:
        """GET with retries on connection errors, 5xx and 429, within the time budget."""
        deadline = self.clock() + self.policy.budget
        problem = ""
        for attempt in range(self.policy.attempts):
            try:
                response = self.client.get(self.base_url + path, params=params, headers=headers)
                response.read()
            except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as error:
                problem = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
                wait = self._backoff(attempt)
            else:
                if response.status_code not in _RETRY_STATUSES:
                    return response
                problem = f"HTTP {response.status_code}"
                wait = _retry_after(response, now=datetime.now(UTC)) or self._backoff(attempt)
            if attempt + 1 == self.policy.attempts:
                break
            if self.clock() + wait > deadline:
                problem += f"; the next retry would pass the {self.policy.budget:g} s budget"
                break
            self.sleep(wait)
        raise FetchError(
            f"{path}: {problem} after {attempt + 1} attempt(s)", location=Location(day.isoformat())
        )

    def _backoff(self, attempt: int) -> float:
        # Full jitter: spreads retries of concurrent clients instead of synchronising them.
        ceiling = min(self.policy.max_backoff, self.policy.backoff * 2.0**attempt)
        return ceiling * self.jitter()


def make_client(policy: FetchPolicy) -> httpx.Client:
    timeout = httpx.Timeout(policy.read_timeout, connect=policy.connect_timeout)
    limits = httpx.Limits(
        max_connections=policy.concurrency, max_keepalive_connections=policy.concurrency
    )
    return httpx.Client(
        timeout=timeout,
        limits=limits,
        headers={"User-Agent": USER_AGENT, "Accept": "application/json, text/html;q=0.9"},
        follow_redirects=True,
    )


def _expect_ok(response: httpx.Response, day: date) -> None:
    if response.status_code != 200:
        raise FetchError(
            f"HTTP {response.status_code} for {response.url.path}",
            location=Location(day.isoformat()),
        )


def _validators(response: httpx.Response) -> Validators:
    return Validators(
        etag=response.headers.get("ETag"), last_modified=response.headers.get("Last-Modified")
    )


def _retry_after(response: httpx.Response, *, now: datetime) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - now).total_seconds())


FETCH_STATE = "content/fetch-state.json"  # HTTP validators of the last answer per day


def load_fetch_state(root: Path) -> dict[str, dict[str, str]]:
    """day (YYYY-MM-DD) -> {"etag": ..., "last_modified": ...}; empty when never fetched."""
    path = root / FETCH_STATE
    try:
        state = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return {}
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}  # only an optimisation: without it every day is fetched in full
    return state if isinstance(state, dict) else {}


def render_fetch_state(state: Mapping[str, Mapping[str, str]]) -> bytes:
    return (json.dumps(state, sort_keys=True, indent=1, ensure_ascii=False) + "\n").encode()
