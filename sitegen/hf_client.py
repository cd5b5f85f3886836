"""The Hugging Face client: one day's answer, asked for politely and reliably (issues #4, #14).

For each day the JSON API first, paged until an empty page (a server may answer fewer entries
than asked), and the HTML page as the fallback when the API fails or answers something
unusable, but never when the API said "too many requests": the pages' quota is the stricter
one. Requests are paced under Hugging Face's quotas (counted per 5-minute window) and wait out
a window its `RateLimit` header says is spent. Timeouts on connect and read; retries with
exponential backoff and full jitter on connection errors and 5xx, within a time budget; a run
stops at once when the host cannot be reached at all or would make it wait past the budget.
An answer is kept as served: the bytes of its pages, one after another.
"""

from __future__ import annotations

import contextlib
import dataclasses
import email.utils
import json
import math
import random
import re
import socket
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from http.cookiejar import DefaultCookiePolicy

import httpx

from sitegen import __version__
from sitegen.errors import FetchError, ListingError, Location, OtherDayListing
from sitegen.listings import Listing, parse_listing
from sitegen.listings.base import HF_URL, json_kind
from sitegen.wording import counted

USER_AGENT = f"sitegen/{__version__} (static site and feeds of HF Daily Papers)"
PAGE_SIZE = 100  # entries asked for per page; the server may answer fewer
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_TOO_MANY_REQUESTS = 429
_MAX_REDIRECTS = 5
_A_REDIRECT = 302  # what statuses holds of a redirect whose status went with httpx's error
_SAY_RETRIES_AFTER = 5.0  # seconds of an attempt and its backoff: a retry is said in a log
_LONG_WAIT = 10.0  # seconds of a quota's wait that are said


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchPolicy:
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    attempts: int = 5  # per request, the first one included
    backoff: float = 1.0  # seconds before the first retry, doubled each time, with jitter
    max_backoff: float = 60.0
    budget: float = 300.0  # seconds one request may take, retries and waits included
    # Seconds one attempt may take in all: the read timeout bounds each read, and a server
    # sending a byte a second would never pass it (issue #19). See `with_timeout`.
    attempt_deadline: float = 60.0
    concurrency: int = 3  # days fetched at once
    max_pages: int = 20  # per day: a day has a few hundred papers at most
    # What one day's answer may take, decoded, its pages together: a real day is under 2 MB.
    # More is refused before it is all read (a hostile answer, a compressed bomb).
    max_day_bytes: int = 16 * 2**20
    # HF's anonymous quotas are 500 API and 100 page requests per IP and 5-minute window;
    # a tenth is left for whoever else shares the address (a browser, another job).
    api_quota: int = 450
    page_quota: int = 90
    quota_window: float = 300.0  # seconds

    @classmethod
    def with_timeout(cls, read_timeout: float, *, attempts: int) -> FetchPolicy:
        """The policy of `--timeout` and `--attempts`: an attempt may take twice the read
        timeout in all when that is longer than the default's 60 s (a --timeout of 120 for
        a slow mirror was cut at 60 s: a maintainer's trial)."""
        deadline = max(cls().attempt_deadline, 2 * read_timeout)
        return cls(read_timeout=read_timeout, attempts=attempts, attempt_deadline=deadline)

    def timeout_note(self) -> str:
        """What to tell a user whose one attempt may take the whole budget, so that a request
        that times out is never tried again (a maintainer's trial: --timeout 150, in silence);
        "" when retries have time."""
        if self.attempts == 1 or self.attempt_deadline < self.budget:
            return ""
        return (
            f"--timeout {self.read_timeout:g} lets one attempt take up to"
            f" {self.attempt_deadline:g} s in all, and a request is given {self.budget:g} s"
            f" for its retries: one that times out may not be tried again (--attempts"
            f" {self.attempts}); a --timeout under {self.budget / 2:g} leaves time for them"
        )


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
        """The conditional request's headers: only those a header can carry (an ETag "v1-é"
        kept from a server failed every later fetch of its day: found by a review)."""
        headers = {"If-None-Match": self.etag, "If-Modified-Since": self.last_modified}
        return {name: value for name, value in headers.items() if value and _sendable(value)}


@dataclass(frozen=True, slots=True, kw_only=True)
class DayAnswer:
    day: date
    status: str  # "papers", "empty" (no papers that day), "unchanged" (304)
    raw: bytes = b""  # the answer to keep, as served: the API's pages one after another, or HTML
    suffix: str = ".json"  # ".json" or ".html"
    listing: Listing | None = None
    validators: Validators = field(default_factory=Validators)  # the API's; a page has none
    notes: tuple[str, ...] = ()  # what went wrong or was left out on the way


class FetchStopped(FetchError):
    """The source cannot serve this run (unreachable, or rate-limited past the time budget):
    asking for the next days would only fail the same way."""


class FetchCancelled(Exception):  # noqa: N818 (not an error: the user asked to stop)
    """The fetch was cancelled (Ctrl-C): a wait ended early or a connection was cut."""


class _GaveUp(FetchError):
    """Every attempt of a request failed as a retry may mend (a 5xx, a 429, a connection
    error, a timeout): the source is not serving that path now."""


class _RateLimited(_GaveUp):
    """Too many requests, still: the HTML page is not asked instead (its quota is stricter)."""


class _TimedOut(_GaveUp):
    """Every attempt timed out."""


class _AnsweredNothing(_TimedOut):
    """Every attempt timed out, and the source has answered no request of this run."""


class DayFetcher:
    """Fetches days from one source through one shared httpx client (thread-safe)."""

    def __init__(
        self,
        client: httpx.Client,
        *,
        base_url: str,
        policy: FetchPolicy,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        jitter: Callable[[], float] = random.random,
        on_wait: Callable[[str], None] = lambda line: None,
    ) -> None:
        self.client = client
        # No cookie kept: sitegen has no use for one, and one httpx cannot send again (not
        # ASCII) failed every later request of the run (a review).
        client.cookies.jar.set_policy(DefaultCookiePolicy(allowed_domains=[]))
        # A user and password in the URL are sent as Basic auth, and said nowhere: each
        # message names the URL, and a missed day's is committed in content/fetch-state.json
        # (a review found a password there).
        source = httpx.URL(base_url)
        self._auth = httpx.BasicAuth(source.username, source.password) if source.userinfo else None
        self.base_url = str(source.copy_with(userinfo=b"")).rstrip("/")
        # What waits and stops are said to come from: not Hugging Face when `--source` names
        # another source, a mirror.
        self.source = "Hugging Face" if self.base_url == HF_URL.rstrip("/") else self.base_url
        self.policy = policy
        # Every wait is on this event, and every attempt's connections are known to `cancel`:
        # Ctrl-C stops the run within a second, not after a backoff, a slow read or a window.
        self._cancelled = threading.Event()
        self._in_flight: set[_Watchdog] = set()
        self._in_flight_lock = threading.Lock()
        self.sleep = sleep or self._sleep_unless_cancelled
        self.clock, self.jitter = clock, jitter
        self.on_wait = on_wait  # one line when the source makes the run wait (a log shows it)
        self._api_quota = self._quota("API", policy.api_quota)
        self._page_quota = self._quota("page", policy.page_quota)
        # The final HTTP statuses the source answered in this run: 404 alone, it is not Daily
        # Papers (a wrong --source). A redirect not followed is a final answer: a source
        # that redirected some requests off it and answered the rest 404 was said to answer
        # all with 404 (a hostile-input trial).
        self.statuses: set[int] = set()
        self.reached = False  # a status line came in this run (a redirect's too)
        self.failed_connects = 0  # attempts of this run that could not connect
        # A page that refused or stalled a confirmation (_page_confirming): not asked to
        # confirm another day of this run.
        self.pages_unconfirming = False
        # An answer of this run read to its end (a redirect's status line is one): a source
        # that sends its headers and then stalls, or trickles, has answered nothing usable
        # (a maintainer's trial: ten minutes a day, every day of a backfill).
        self.answered_whole = False
        # A request of this run whose last attempt got no status (it timed out, or was cut):
        # what the source answers it is not known, so a run is not blamed on 404s alone.
        self.unanswered = False
        # The API answered nothing in time at every attempt while a day's page answered: the
        # run's later days go to their pages (a maintainer's trial: five minutes a day on a
        # stalled API, a month's backfill 50 minutes).
        self.api_stalled = False

    def _quota(self, kind: str, limit: int) -> _Quota:
        window = self.policy.quota_window

        def say(seconds: float) -> None:
            # Which of the two: a run of empty days waits on the page quota, the stricter one
            # (a new user's trial read "the quota" as the API's 450).
            self.on_wait(
                f"pacing {kind} requests under the quota of {self.source}"
                f" ({limit} in {window:g} s): the next in {math.ceil(seconds)} s"
            )

        return _Quota(
            limit, window, clock=self.clock, sleep=self.sleep, on_long_wait=say,
            longest_close=self.policy.budget, source=self.source,
        )  # fmt: skip

    def cancel(self) -> None:
        """Stop every request at once, from any thread: waits end and the connections in
        flight are cut; each request raises FetchCancelled."""
        self._cancelled.set()
        with self._in_flight_lock:
            watchdogs = list(self._in_flight)
        for watchdog in watchdogs:
            watchdog.fire()

    def _sleep_unless_cancelled(self, seconds: float) -> None:
        if self._cancelled.wait(seconds):
            raise FetchCancelled

    def _check_cancelled(self) -> None:
        if self._cancelled.is_set():
            raise FetchCancelled

    def fetch_day(
        self, day: date, known: Validators | None = None, *, past: bool = False
    ) -> DayAnswer:
        """One day's papers, whole; a FetchError naming the day when neither source gives them
        (FetchStopped when no further day can be had either). A `past` day (before today, UTC)
        the API lists no papers for is asked of its page too: a day over is not filling, and
        taken as empty it would never be asked again."""
        api_problem: FetchError | ListingError
        if self.api_stalled:
            api_problem = FetchError(
                "skipped: it answered nothing in time earlier in this run",
                location=Location(day.isoformat()),
            )
        else:
            try:
                answer = self._from_api(day, known)
            except (FetchStopped, _RateLimited):
                raise
            except (FetchError, ListingError) as problem:
                api_problem = problem
            else:
                return (
                    self._page_confirming(answer) if past and answer.status == "empty" else answer
                )
        note = f"API: {api_problem.message}"
        try:
            answer = self._from_page(day)
        except FetchStopped:
            raise
        except (FetchError, ListingError) as page_problem:
            both = (api_problem, page_problem)
            if all(isinstance(p, _AnsweredNothing) for p in both) and not self.answered_whole:
                # A source that takes connections and never answers: every other day would
                # wait out its attempts as well (a new user's trial: five minutes a day, past
                # the scheduled job's hour in a month's backfill).
                raise FetchStopped(
                    f"{self.source} answered nothing in time, neither the API nor the day's page"
                    f" ({page_problem.message})",
                    hint="try again later, or check the source (--source, or"
                    " $SITEGEN_FETCH_URL); nothing more was asked",
                ) from None
            raise FetchError(
                f"no usable answer ({note}; page: {page_problem.message})",
                location=Location(day.isoformat()),
                hint="the day is skipped; run the fetch again later, or report a changed source",
            ) from None
        # From the run's start or after days it answered (a maintainer's trial: an API that
        # stalled mid-backfill cost each later day its attempts all the same).
        if isinstance(api_problem, _TimedOut):
            self.api_stalled = True
        return dataclasses.replace(answer, notes=(note, "used the HTML page", *answer.notes))

    def _page_confirming(self, empty: DayAnswer) -> DayAnswer:
        """The day's page where it lists papers the API's answer (`empty`) did not, else that
        answer (a source without pages, a mirror, is believed as before)."""
        if self.pages_unconfirming:
            return empty
        try:
            page = self._from_page(empty.day)
        except (FetchStopped, _GaveUp):
            # A 429 past the budget, or every attempt failed (no answer in time, a 5xx or 429
            # each time), of a request only confirming a day the API answered: it stopped the
            # run (later days' API was still open), or cost each later empty day its attempts
            # and their waits (a review: 240 s a weekend day with a 503's Retry-After 120).
            self.pages_unconfirming = True
            return empty
        except OtherDayListing:
            # The page of the day before, as Hugging Face shows for a day without papers
            # (issue #14): it reads, and says nothing of this day, as a 404.
            return empty
        except ListingError as unread:
            # Served, but in a shape not read (Hugging Face changed its page): the day stays
            # as the API answered it, said, not in silence (a review); nor will other pages.
            self.pages_unconfirming = True
            note = (
                "the API lists no papers for this day, which is over, and its page does not"
                f" read ({unread.message}): kept as the API answered, and no other day's page"
                " is asked in this run"
            )
            return dataclasses.replace(empty, notes=(note, *empty.notes))
        except FetchError:  # a 404 (a mirror without pages), a page of cards naming no day
            return empty
        if page.status == "empty" or page.listing is None:
            return empty
        note = (
            f"the API lists no papers for this day, which is over; its page lists"
            f" {len(page.listing.entries)}: used the HTML page"
        )
        return dataclasses.replace(page, notes=(note, *page.notes))

    def _from_api(self, day: date, known: Validators | None) -> DayAnswer:
        pages: list[bytes] = []
        validators = Validators()
        for page in range(self.policy.max_pages):
            # Only the first page is conditional: its validators are kept for the day.
            headers = known.headers() if known and page == 0 else {}
            response = self._api_page(day, page, headers, read_already=sum(map(len, pages)))
            if response.status_code == 304 and not headers:
                # Nothing was asked to compare with: no answer of the day (a review: believed,
                # it marked a day the store lacks whole, or asked again without end).
                raise FetchError(
                    f'the API answered page {page + 1} "304 Not Modified", which this request'
                    " did not ask for (it named no version of the day)",
                    location=Location(day.isoformat()),
                    hint="a cache or mirror before the source answers wrongly; report it",
                )
            if response.status_code == 304:
                # The first page's validators say nothing of the next page, where a paper
                # added to a full first page goes: believed while that page is still empty.
                second = self._api_page(day, 1, {})
                _expect_ok(second, day)
                if _is_empty_page(second.content, day=day, page=1):
                    return DayAnswer(day=day, status="unchanged", validators=known or Validators())
                return self._from_api(day, None)
            _expect_ok(response, day)
            if page == 0:
                validators = _validators(response)
            # Only an empty page ends the day: a short one may be all the server gives at once.
            if _is_empty_page(response.content, day=day, page=page):
                break
            if pages and response.content == pages[-1]:  # a static file, whatever is asked
                # Said in the message: the day's error keeps only the API's message.
                raise FetchError(
                    f"the API answered page {page + 1} with page {page}'s bytes again: the "
                    "source ignores paging (the `p` parameter; a mirror must answer [] past a "
                    "day's last page)",
                    location=Location(day.isoformat()),
                )
            pages.append(response.content)
        else:
            raise FetchError(
                f"the API still lists papers after {self.policy.max_pages} pages: "
                "the day was not had whole",
                location=Location(day.isoformat()),
                hint="report it: the API's paging may have changed",
            )
        if not pages:
            return DayAnswer(day=day, status="empty", validators=validators)
        # The pages as served, one after another: what is parsed is what a replay will read.
        raw = pages[0] if len(pages) == 1 else b"\n".join(pages)
        listing = parse_listing(raw, origin=f"{day.isoformat()}.json", day=day)
        return DayAnswer(
            day=day, status="papers", raw=raw, listing=listing, validators=validators,
            notes=listing.notes,
        )  # fmt: skip

    def _api_page(
        self, day: date, page: int, headers: Mapping[str, str], read_already: int = 0
    ) -> httpx.Response:
        params = {"date": day.isoformat(), "p": str(page), "limit": str(PAGE_SIZE)}
        return self._get(
            "/api/daily_papers", params=params, headers=headers, day=day, quota=self._api_quota,
            read_already=read_already,
        )  # fmt: skip

    def _from_page(self, day: date) -> DayAnswer:
        response = self._get(
            f"/papers/date/{day.isoformat()}",
            params={},
            headers={},
            day=day,
            quota=self._page_quota,
        )
        _expect_ok(response, day)
        listing = parse_listing(response.content, origin=f"{day.isoformat()}.html", day=day)
        if listing.shape == "hf-cards":  # a day without papers may show another day's
            raise FetchError(
                "the page has paper cards but no data-props: it does not say which day it shows",
                location=Location(day.isoformat()),
            )
        status = "papers" if listing.entries else "empty"
        return DayAnswer(
            day=day, status=status, raw=response.content, suffix=".html", listing=listing,
            notes=listing.notes,
        )  # fmt: skip

    def _get(
        self,
        path: str,
        *,
        params: Mapping[str, str],
        headers: Mapping[str, str],
        day: date,
        quota: _Quota,
        read_already: int = 0,
    ) -> httpx.Response:
        """GET with retries on connection errors, 5xx and 429, within the time budget; the
        answer is read up to what the day may still take (`read_already` is taken)."""
        url = self.base_url + path
        # Said whole in each line of it, to be pasted into curl (a maintainer's trial: a path
        # named neither the source nor the API's page).
        shown = str(httpx.URL(url, params=params))
        timed_out = 0  # attempts that ended in a timeout
        for attempt in range(self.policy.attempts):
            status = 0  # this attempt's: a 429 before made later timeouts said as rate limits
            self._check_cancelled()
            quota.wait_turn()
            if attempt == 0:  # our own pacing is not the source's delay
                deadline = self.clock() + self.policy.budget
            started = self.clock()
            try:
                response = self._get_once(
                    url, params=params, headers=headers, day=day,
                    limit=self.policy.max_day_bytes - read_already,
                )  # fmt: skip
            except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as error:
                problem = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
                connecting = isinstance(error, (httpx.ConnectError, httpx.ConnectTimeout))
                timed_out += isinstance(error, httpx.TimeoutException)
                self.failed_connects += connecting
                # A second attempt that cannot connect: of this request, or without retries
                # (--attempts 1) of another one, else every day was asked and a year's backfill
                # paced by the quota for half an hour (found by a flag driver).
                second = attempt > 0 or (self.policy.attempts == 1 and self.failed_connects > 1)
                if connecting and not self.reached and second:
                    # Offline, or a wrong --source: every other day would fail the same way.
                    raise FetchStopped(
                        f"cannot reach {self.base_url} ({problem})",
                        hint="check the network and the source (--source, or $SITEGEN_FETCH_URL);"
                        " nothing more was asked",
                    ) from None
                wait = self._backoff(attempt)
            else:
                left, reset = _rate_limit(response)
                # The window is spent: every thread waits (past the budget, the next request
                # stops the run instead: see _Quota.wait_turn). A 429's wait is taken below.
                spent = left == 0 and response.status_code != _TOO_MANY_REQUESTS
                if spent and reset and quota.close_for(reset) and reset <= self.policy.budget:
                    self._say_rate_limited(reset)
                if response.status_code not in _RETRY_STATUSES:
                    return response
                status = response.status_code
                asked = _retry_after(response, now=datetime.now(UTC))
                problem = f"HTTP {status}{_waits_asked(asked, left=left, reset=reset)}"
                wait = self._retry_wait(response, asked, attempt, reset=reset, deadline=deadline)
                if status == _TOO_MANY_REQUESTS:
                    # Waited out in the quota, so that the other days' requests wait too.
                    if quota.close_for(wait):
                        self._say_rate_limited(wait)
                    wait = 0.0
            if attempt + 1 == self.policy.attempts:
                break
            if self.clock() + wait > deadline:
                problem += f"; the next retry would pass the {self.policy.budget:g} s budget"
                break
            # A log showed nothing for minutes while a source that took connections but never
            # answered was tried again; a rate limit's wait is said above.
            silent = self.clock() - started + wait
            if status != _TOO_MANY_REQUESTS and silent >= _SAY_RETRIES_AFTER:
                self.on_wait(
                    f"{day}: {shown}: {problem}; trying again in {math.ceil(wait)} s"
                    f" ({attempt + 2} of {self.policy.attempts})"
                )
            if wait:
                self.sleep(wait)
        failure = _RateLimited if status == _TOO_MANY_REQUESTS else _GaveUp
        if not status:
            self.unanswered = True
        if timed_out == attempt + 1:
            failure = _TimedOut if self.answered_whole else _AnsweredNothing
        raise failure(
            f"{shown}: {problem} after {counted(attempt + 1, 'attempt')}",
            location=Location(day.isoformat()),
        )

    def _say_rate_limited(self, seconds: float) -> None:
        self.on_wait(
            f"rate limited by {self.source}: waiting {math.ceil(seconds)} s "
            f"(budget {self.policy.budget:g} s)"
        )

    def _get_once(
        self,
        url: str,
        *,
        params: Mapping[str, str],
        headers: Mapping[str, str],
        day: date,
        limit: int,
    ) -> httpx.Response:
        """One attempt: a GET, read whole within `attempt_deadline` seconds and `limit` bytes
        (see _capped), following redirects only within the source (issue #19: another host's
        data is not ours)."""
        watchdog = _Watchdog(self.policy.attempt_deadline)
        # A new connection for each request ("Connection: close") lets the watchdog cut the
        # very socket of this request when the time is up, even while the headers trickle in.
        request = self.client.build_request(
            "GET", url, params=params, headers={**headers, "Connection": "close"},
            extensions={"trace": watchdog.trace},
        )  # fmt: skip
        with self._in_flight_lock:
            self._in_flight.add(watchdog)
        try:
            self._check_cancelled()  # cancelled before the watchdog was known to `cancel`
            with watchdog:
                for _ in range(_MAX_REDIRECTS + 1):
                    try:
                        response = self.client.send(
                            request, auth=self._auth, follow_redirects=False, stream=True
                        )
                    except (UnicodeError, httpx.InvalidURL, httpx.RemoteProtocolError) as error:
                        # The redirect's next request, which httpx makes unasked: to a host idna
                        # refuses ("xn--a"), of another scheme without "//" ("javascript:x"), or
                        # a Location it cannot parse ("http://[::1", said as a protocol error
                        # and retried ten times) (reviews). Told by httpx 0.28-0.29's words; if
                        # they change, that Location is retried as before (test_odd_answers).
                        unparsed = str(error).startswith("Invalid URL in location header")
                        if isinstance(error, httpx.RemoteProtocolError) and not unparsed:
                            raise
                        self.reached = self.answered_whole = True
                        self.statuses.add(_A_REDIRECT)  # its own status is not known here
                        raise FetchError(
                            f"{request.url} redirects to an address no one can reach ({error})",
                            location=Location(day.isoformat()),
                            hint="check --source; report it if it is Hugging Face's",
                        ) from None
                    self.reached = True  # however slow the rest
                    try:
                        if response.next_request is None:
                            self.statuses.add(response.status_code)
                            answer = _capped(
                                response, limit=limit, cap=self.policy.max_day_bytes, day=day
                            )
                            self.answered_whole = True
                            return answer
                    finally:
                        response.close()
                    self.answered_whole = True  # a redirect needs no more than its headers
                    request = response.next_request  # with this attempt's trace hook
                    if _origin(request.url) != _origin(httpx.URL(self.base_url)):
                        self.statuses.add(response.status_code)  # its final answer
                        raise FetchError(
                            f"{response.url} redirects to {str(request.url)[:100]}, "
                            "outside the source: not followed",
                            location=Location(day.isoformat()),
                            hint="check --source; only redirects within it are followed",
                        )
                self.statuses.add(response.status_code)  # a loop's last
                raise FetchError(
                    f"{httpx.URL(url, params=params)}: more than {_MAX_REDIRECTS} redirects",
                    location=Location(day.isoformat()),
                    hint="the source redirects in a loop; report it",
                )
        except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError):
            self._check_cancelled()
            if watchdog.fired:
                raise httpx.ReadTimeout(
                    f"the answer took over {self.policy.attempt_deadline:g} s in all"
                ) from None
            raise
        except httpx.HTTPError as error:  # undecodable content, a malformed answer
            raise FetchError(
                f"{request.url}: {type(error).__name__}: {error}",
                location=Location(day.isoformat()),
            ) from None
        finally:
            with self._in_flight_lock:
                self._in_flight.discard(watchdog)

    def _retry_wait(
        self,
        response: httpx.Response,
        asked: float | None,
        attempt: int,
        *,
        reset: float | None,
        deadline: float,
    ) -> float:
        """Seconds before retrying: what the server asked for (`asked`: its Retry-After), else
        (no Retry-After, or one of no time) a backoff. A rate limit that would outlast the
        budget stops the run: no other day could be had either."""
        if response.status_code == _TOO_MANY_REQUESTS:
            asked = max(asked or 0.0, reset or 0.0) or None
            if asked is not None and self.clock() + asked > deadline:
                # A wait shorter than the budget passes it after waits before it: said, or
                # "in 240 s, past the 300 s budget" read as a contradiction (a month replayed).
                spent = round(self.clock() - (deadline - self.policy.budget))
                raise FetchStopped(
                    f"rate limited by {self.source}: {response.url} may be asked again in "
                    f"{asked:g} s, past the {self.policy.budget:g} s budget"
                    + (f" ({spent} s of it spent already)" if spent else ""),
                    hint="run the fetch again later (what it had before this is kept)",
                )
        # "Now" (0, or a date gone by) is a backoff all the same, as urllib3 takes it: at once,
        # each attempt of each day of a backfill hammered a source that said it was busy.
        return asked if asked else self._backoff(attempt)

    def _backoff(self, attempt: int) -> float:
        # Full jitter: spreads retries of concurrent clients instead of synchronising them.
        ceiling = min(self.policy.max_backoff, self.policy.backoff * 2.0**attempt)
        return ceiling * self.jitter()


class _Watchdog:
    """Cuts the connections of one attempt once `seconds` have passed (a context manager)."""

    def __init__(self, seconds: float) -> None:
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self.fire)
        self._timer.daemon = True
        self.fired = False

    def trace(self, event: str, info: Mapping[str, object]) -> None:
        """httpcore's trace hook: note the socket of each connection the attempt opens (TLS
        wraps it in a new one)."""
        if event in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            stream = info.get("return_value")
            sock = getattr(stream, "get_extra_info", lambda name: None)("socket")
            if isinstance(sock, socket.socket):
                with self._lock:
                    self._sockets.append(sock)
                    if self.fired:
                        _cut(sock)

    def fire(self) -> None:
        """Cut the attempt's connections now (its time is up, or the run was cancelled)."""
        with self._lock:
            self.fired = True
            for sock in self._sockets:
                _cut(sock)

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()


def _cut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # closed already
        sock.shutdown(socket.SHUT_RDWR)  # the blocked read returns at once


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    default_port = {"http": 80, "https": 443}.get(url.scheme)
    return url.scheme, url.host, url.port or default_port


class _Quota:
    """Spaces one kind of request so that no window holds more than `limit` of them, and
    holds them all back while the server says the window is spent."""

    def __init__(
        self,
        limit: int,
        window: float,
        *,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
        on_long_wait: Callable[[float], None],
        longest_close: float,
        source: str,
    ) -> None:
        self._limit, self._window = max(1, limit), window
        self._longest_close = longest_close  # the budget: a longer hold stops the run
        self._source = source  # whose quota: the errors name it
        self._clock, self._sleep = clock, sleep
        self._turns: deque[float] = deque()  # start times given out, oldest first
        self._closed_until = 0.0
        self._lock = threading.Lock()
        # A wait this long is said (a backfill spends minutes on the window), once per wait.
        self._on_long_wait, self._said_until = on_long_wait, 0.0

    def wait_turn(self) -> None:
        """Sleep until a request may start; FetchStopped when the server holds requests back
        for longer than the budget."""
        with self._lock:
            now = self._clock()
            if self._closed_until - now > self._longest_close:
                raise FetchStopped(
                    f"rate limited by {self._source}: no request may be made for "
                    f"{math.ceil(self._closed_until - now)} s, past the "
                    f"{self._longest_close:g} s budget",
                    hint="run the fetch again later (what it had before this is kept)",
                )
            while self._turns and self._turns[0] <= now - self._window:
                self._turns.popleft()
            turn = max(now, self._closed_until)
            if len(self._turns) >= self._limit:
                turn = max(turn, self._turns[-self._limit] + self._window)
            self._turns.append(turn)
            say = turn - now >= _LONG_WAIT and now >= self._said_until
            if say:
                self._said_until = turn
        if say:
            self._on_long_wait(turn - now)
        if turn > now:
            self._sleep(turn - now)

    def close_for(self, seconds: float) -> bool:
        """Hold every request back `seconds` from now; whether this starts a wait (the quota
        was open), so that the wait is announced once, not by each thread that meets it."""
        with self._lock:
            now = self._clock()
            opened = self._closed_until <= now
            self._closed_until = max(self._closed_until, now + seconds)
            self._said_until = self._closed_until  # said by the caller, not again as pacing
            return opened


def make_client(policy: FetchPolicy) -> httpx.Client:
    """The client a fetch shares: `policy`'s timeouts and connections, sitegen's headers.
    Redirects are followed by DayFetcher, within the source only."""
    timeout = httpx.Timeout(policy.read_timeout, connect=policy.connect_timeout)
    limits = httpx.Limits(
        max_connections=policy.concurrency, max_keepalive_connections=policy.concurrency
    )
    return httpx.Client(
        timeout=timeout,
        limits=limits,
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "application/json, text/html;q=0.9",
            "Accept-Encoding": "gzip",  # what _read_capped can inflate within its cap
        },
    )


def _is_empty_page(content: bytes, *, day: date, page: int) -> bool:
    try:
        answer = json.loads(content)
    except RecursionError:  # arrays in arrays, thousands deep
        raise FetchError(
            f"the API answered JSON nested too deeply to read (page {page + 1})",
            location=Location(day.isoformat()),
        ) from None
    except ValueError as error:  # invalid JSON, or not UTF-8
        raise FetchError(
            # What it begins with: an HTML error page is said as one (a maintainer's trial).
            f"invalid JSON from the API (page {page + 1}): {error}; it begins"
            f" {content[:80].decode('utf-8', 'replace')!r}",
            location=Location(day.isoformat()),
        ) from None
    if not isinstance(answer, list):
        raise FetchError(
            f"the API answered {json_kind(answer)}, not a list of papers" + _error_said(answer),
            location=Location(day.isoformat()),
        )
    return not answer


def _capped(response: httpx.Response, *, limit: int, cap: int, day: date) -> httpx.Response:
    """`response` read whole, at most `limit` bytes of its body (decoded): past that, a
    FetchError before the rest is read. It comes back with its encoding undone."""
    body = _read_capped(response, limit=limit, cap=cap, day=day)
    # As sent (bytes): a header of Latin-1 text ("X-Note: café") is not made again from
    # decoded text, which failed every day with a UnicodeEncodeError.
    served = [
        (name, value)
        for name, value in response.headers.raw
        if name.lower() not in (b"content-encoding", b"content-length", b"transfer-encoding")
    ]
    return httpx.Response(
        response.status_code, headers=served, content=body, request=response.request
    )


def _read_capped(response: httpx.Response, *, limit: int, cap: int, day: date) -> bytes:
    if response.is_stream_consumed:  # read whole already (an httpx.MockTransport answer)
        if len(response.content) > limit:
            raise _too_large(cap, day)
        return response.content
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding not in ("identity", "", "gzip", "x-gzip"):
        raise FetchError(
            f"the answer is encoded as {encoding!r}, which sitegen did not ask for",
            location=Location(day.isoformat()),
            hint="the day is skipped; a server should answer gzip or plain bytes",
        )
    # Inflated here, not by httpx: its decoders inflate a whole network read at once (a bomb
    # of 64 KB becomes 64 MB, and "gzip, gzip" a thousand times that) before any cap applies.
    inflate = zlib.decompressobj(zlib.MAX_WBITS | 16) if "gzip" in encoding else None
    # Pieces joined once at the end: a growing bytearray moved its bytes as it grew, holding
    # them twice for the moment (a few MB of a hostile answer's peak at the 16 MB cap).
    body: list[bytes] = []
    size = 0
    encoded = False  # a byte of the gzip stream came: no body at all (a 304's) is no stream
    # Only a 200's body is read as the day's: another's (a 503's page, cut short or mislabelled
    # as gzip) failed the day as a broken encoding, its status not retried.
    read = response.status_code == 200
    try:
        for chunk in response.iter_raw():
            encoded = encoded or bool(chunk)
            pending = chunk
            while pending:
                if inflate is None:
                    piece, pending = pending, b""
                else:  # a MB at a time: what a read inflates to is held only up to the cap
                    piece = inflate.decompress(pending, 2**20)
                    pending = inflate.unconsumed_tail
                    # A member's end: what follows is the next member (RFC 1952), inflated as
                    # the first, or no gzip, which fails below; zlib would keep it whole past
                    # any cap (a review).
                    if inflate.eof and inflate.unused_data:
                        pending = inflate.unused_data
                        inflate = zlib.decompressobj(zlib.MAX_WBITS | 16)
                body.append(piece)
                size += len(piece)
                if size > limit:
                    body.clear()  # not held by the error's frames while a page is read next
                    raise _too_large(cap, day)
    except zlib.error as error:
        if not read:  # an error's page, not the day's: its status is what is said
            return b"".join(body)
        raise FetchError(
            f"the answer's gzip encoding is broken ({error})", location=Location(day.isoformat())
        ) from None
    if inflate is not None and encoded and read and not inflate.eof:  # said invalid JSON, read so
        raise FetchError(
            "the answer's gzip encoding is cut short: its stream stops before its end",
            location=Location(day.isoformat()),
        )
    return b"".join(body)


def _too_large(cap: int, day: date) -> FetchError:
    return FetchError(
        f"the answer is larger than {cap / 2**20:g} MB for the day, far more than a day of "
        "Daily Papers; it was not read further",
        location=Location(day.isoformat()),
        hint="the day is skipped; check --source (a wrong source, or a broken one)",
    )


def _expect_ok(response: httpx.Response, day: date) -> None:
    if response.status_code == 200:
        return
    try:
        answer = json.loads(response.content)
    except (ValueError, RecursionError):
        answer = None
    raise FetchError(
        f"HTTP {response.status_code} for {response.url}{_error_said(answer)}",
        location=Location(day.isoformat()),
    )


def _error_said(answer: object) -> str:
    """What an answer `{"error": "..."}` (HF's shape of a refusal) says, after a message (a
    maintainer's trial: "the API answered a dict", the source's reason left out)."""
    error = answer.get("error") if isinstance(answer, dict) else None
    return f": the source says {error[:200]!r}" if isinstance(error, str) and error else ""


def _validators(response: httpx.Response) -> Validators:
    etag, last_modified = response.headers.get("ETag"), response.headers.get("Last-Modified")
    return Validators(
        etag=etag if etag and _sendable(etag) else None,
        last_modified=last_modified if last_modified and _sendable(last_modified) else None,
    )


def _sendable(value: str) -> bool:
    return value.isascii() and value.isprintable() and len(value) <= 1024


# At most 12 digits: more is no count a server means, and int() refuses 4,300 and more.
_RATE_LIMIT_PARAM = re.compile(r";\s*([rt])\s*=\s*(\d{1,12})(?!\d)")


def _rate_limit(response: httpx.Response) -> tuple[int | None, float | None]:
    """(requests left, seconds until the window resets) from `RateLimit: "api";r=0;t=120`."""
    found = dict(_RATE_LIMIT_PARAM.findall(response.headers.get("RateLimit", "")))
    left = int(found["r"]) if "r" in found else None
    reset = float(found["t"]) if "t" in found else None
    return left, reset


def _waits_asked(asked: float | None, *, left: int | None, reset: float | None) -> str:
    """What the source asked to wait (`asked`: Retry-After), as said after its status:
    " (Retry-After: 6 s)" (a maintainer's trial: a failed day said "HTTP 503" alone)."""
    said = [f"RateLimit: t={reset:g} s"] if reset is not None and left == 0 else []
    if asked is not None:  # 400 digits are infinity: no int (a review: an OverflowError)
        said.append(f"Retry-After: {math.ceil(asked) if math.isfinite(asked) else asked:g} s")
    return f" ({', '.join(said)})" if said else ""


def _retry_after(response: httpx.Response, *, now: datetime) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isascii() and value.isdigit():  # not "²", which isdigit() takes (a review)
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, OverflowError):  # a year past datetime's: the default wait
        return None
    if when.tzinfo is None:  # "-0000": UTC, said to be of unknown origin (RFC 5322)
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())
