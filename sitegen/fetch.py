"""`sitegen fetch`: days of Daily Papers fetched whole (sitegen.hf_client) and merged into
content/ through the store, with the raw answers and the HTTP validators
(content/fetch-state.json) in the same write; the days a run misses are remembered, to be
retried by later runs (issues #4, #14).
"""

from __future__ import annotations

import re
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Final, Literal

import httpx

from sitegen.config import SiteConfig
from sitegen.dates import iso_day
from sitegen.digest_dates import DigestDates, DigestRules, load_digest_dates
from sitegen.errors import FetchError, Location, UsageError, printable
from sitegen.fetch_state import (
    FAILURE_KEYS,
    FETCH_STATE,
    FILLING,
    OVERTAKEN,
    WHOLE,
    filling_to_ask,
    forget_filling,
    load_fetch_state,
    render_fetch_state,
    scheduled_days,
)
from sitegen.hf_client import (
    DayAnswer,
    DayFetcher,
    FetchCancelled,
    FetchPolicy,
    FetchStopped,
    Validators,
    make_client,
)
from sitegen.ingest import LATE_WITHIN_DAYS
from sitegen.listing_files import keep_answer
from sitegen.listings import Listing
from sitegen.listings.base import FETCH_URL_VARIABLE, HF_URL
from sitegen.progress import progress_display
from sitegen.reports import (
    print_fetch_report,
    say_fetch_waits,
    say_merge_notes,
    say_note,
    say_scheduled_days,
    say_wrong_source,
)
from sitegen.store import stored_days
from sitegen.store_lock import content_lock
from sitegen.store_writes import IngestReport, ingest_into_store

# A day that fails is retried by later runs for this many days after its first failure, then
# given up on (said once); `sitegen fetch --date` still asks for it.
RETRY_WINDOW_DAYS = LATE_WITHIN_DAYS  # and a day had within it is new to the feeds (ingest)
# A day missed on this many days' runs in a row is said as failing, and the run's exit status
# says so (4): an outage of a day is the source's, three are worth a look before it is given up
# on (a review: 14 scheduled runs each passed with a warning, then the day was lost).
FAILING_AFTER_DAYS = 3
# How long the workflow may take from a fetch to the site live (the build, then the push and
# deploy jobs: minutes on GitHub's runners, more when they queue): the papers a fetch brings
# are dated this much after it merged them. Dated by its start, a reader that polled the old
# site in between, and takes only items newer than that poll, skipped them for good (a
# feed-reader review: a 09:19 poll missed the 09:17 run's papers every day).
PUBLISHING_TAKES = timedelta(minutes=30)
# Daily Papers lists a day by US Pacific time: its list grows until past midnight there, 08:00
# UTC the next morning. A day is over, so had whole, only from 09:00 UTC (the scheduled run's
# 09:17 is past it): had before by a run started by hand at 00:01 UTC, it was marked whole and
# its later papers were never asked for (a replay of the workflow at midnight).
DAY_OVER_AFTER = timedelta(days=1, hours=9)
DAILY_PAPERS_BEGAN = date(2023, 5, 1)  # its first listings are of early May 2023


@dataclass(frozen=True, slots=True, kw_only=True)
class DayOutcome:
    day: date
    # "papers", "empty", "unchanged", "failed", or "not fetched" (the run stopped first)
    status: str
    papers: int = 0  # in the day's listing, as fetched
    notes: tuple[str, ...] = ()
    problem: str = ""  # why it failed

    @property
    def missed(self) -> bool:  # not had whole: failed, or not asked for
        return self.status in ("failed", "not fetched")


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchReport:
    days: tuple[DayOutcome, ...]  # oldest first
    stopped: str = ""  # why the run stopped before asking for every day; "" when it did not
    interrupted: bool = False  # by Ctrl-C or SIGTERM, the days had until then stored
    not_asked: frozenset[date] = frozenset()  # of an interrupted run: not noted, not retried
    # What storing the days had wrote and noticed (none stored: nothing).
    stored: IngestReport = field(default_factory=lambda: IngestReport(0, 0, []))
    # Missed days that failed for RETRY_WINDOW_DAYS: no later run asks for them again.
    given_up: tuple[DayOutcome, ...] = ()
    # Missed days failing on FAILING_AFTER_DAYS days or more, not given up yet, each with the
    # day it first failed on.
    failing: tuple[tuple[DayOutcome, date], ...] = ()
    # Days earlier runs missed (noted in the fetch state) that this one had, oldest first.
    had_at_last: tuple[date, ...] = ()

    @property
    def missed(self) -> tuple[DayOutcome, ...]:
        """The days not had whole: failed, or not asked for."""
        return tuple(d for d in self.days if d.missed)


SCHEDULED: Final = "scheduled"  # the days of a run without --date or --since: see run_fetch


def run_fetch(
    root: Path,
    config: SiteConfig,
    days: Sequence[date] | Literal["scheduled"],
    *,
    source_url: str,
    policy: FetchPolicy,
    now: datetime,
) -> FetchReport:
    """`sitegen fetch`: fetch `days` from `source_url` into the store under `root`, with a
    progress display, and say what was had, missed and merged. SCHEDULED days are those from
    the last day held to today, and the days missed before (fetch_state.scheduled_days).
    `now` is the run's start, in UTC."""
    today = now.date()
    with content_lock(root):  # a killed run's write completed: its days and state are held
        held, fetch_state = stored_days(root), load_fetch_state(root)
    scheduled = days == SCHEDULED
    if isinstance(days, str):
        days, retried = scheduled_days(held, today, fetch_state)
        say_scheduled_days(retried, held=bool(held), today=today)
    if note := policy.timeout_note():
        say_note(note)
    with (
        make_client(policy) as client,
        progress_display("Fetching days", enabled=sys.stderr.isatty(), total=len(days)) as advance,
    ):
        source = DayFetcher(client, base_url=source_url, policy=policy, on_wait=say_fetch_waits)
        report = fetch_days(
            root, days, source=source, on_progress=advance, now=now, scheduled=scheduled,
            feed_days=config.feeds.days, known_topics=config.topic_slugs(),
            digests=DigestRules.of(config),
        )  # fmt: skip
    print_fetch_report(report, held=frozenset(held), scheduled=scheduled)
    if report.missed and source.statuses == {404} and not source.unanswered:
        say_wrong_source(source.base_url)
    say_merge_notes(report.stored)
    return report


# Whatever comes before the URL's last "@", but its scheme: a password may hold "/", "?", "#"
# or a line break, and a URL typed without "//" its user still (reviews). More, when an "@"
# is in its query: an error's URL half hidden is better than a password shown.
_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*:/+)?.*@", re.DOTALL)


def source_url(given: str | None, from_environment: str | None) -> str:
    """The source a fetch asks: `given` (--source), else `from_environment`
    ($SITEGEN_FETCH_URL; set but empty is unset, as a workflow's `${{ vars.SITEGEN_FETCH_URL }}`
    is when the variable is not defined), else Hugging Face. One that is not an http(s) URL
    with a host alone: a UsageError naming where it was given."""
    if given is not None:
        text, given_by = given, "--source"
    elif from_environment:
        text, given_by = from_environment, f"${FETCH_URL_VARIABLE}"
    else:
        return HF_URL
    try:
        url = httpx.URL(text)
        # As the connection will spell it: an empty label ("a..b") or a bad IDN ("xn--a")
        # failed each day's requests instead, as "a bug in sitegen".
        url.host.encode("idna")
    except (httpx.InvalidURL, UnicodeError):  # idna's errors are UnicodeErrors
        url = None
    shown = _USERINFO.sub(r"\1***@", text)  # a password is said nowhere (see hf_client.DayFetcher)
    if url is None or url.scheme not in ("http", "https") or not url.host:
        raise UsageError(
            f"{given_by} {shown!r} is not an http(s) URL with a host",
            hint="e.g. https://huggingface.co, or http://127.0.0.1:8000 for a local stand-in",
        )
    if "?" in text or "#" in text:  # every request's path is put after it: they went to "/"
        raise UsageError(
            f"{given_by} {shown!r} has a query or a fragment: sitegen adds each request's path",
            hint="give the source's address alone, e.g. http://127.0.0.1:8000",
        )
    return text


def days_asked(
    *, day: date | None, since: date | None, until: date | None, today: date
) -> list[date]:
    """The days `sitegen fetch --date DAY`, or `--since` and `--until`, ask for: none that
    Daily Papers cannot have (before it began, or after tomorrow), said as a UsageError."""
    if until and not since:
        raise UsageError(
            "--until goes with --since", hint="sitegen fetch --since 2025-10-01 --until 2025-10-31"
        )
    latest = today + timedelta(days=1)  # a day ahead: east of UTC it may be today
    for flag, given in (("date", day), ("since", since)):
        # --since too: a review's --since 2999-12-30 --until 2999-12-31 fetched both days.
        if given and given > latest:
            raise UsageError(
                f"nothing to fetch: {given} is not here yet (today is {today}, UTC)",
                hint=f"check --{flag}",
            )
        # A review: a --since of 2013 typed for 2023 asked 3,700 days of nothing for over an
        # hour, past the Publish job's time, which then kept none.
        if given and given < DAILY_PAPERS_BEGAN:
            raise UsageError(
                f"nothing to fetch before {DAILY_PAPERS_BEGAN}: Daily Papers began in May 2023",
                hint=f"--since {DAILY_PAPERS_BEGAN} asks for its whole history",
            )
    if day:
        return [day]
    assert since is not None  # the flags are --date or --since: argparse allows no other
    # Up to the days there are: "--until 2026-12-31" in December asks the month so far (an
    # --until of 2999 set out to ask 355,000 days to come: a review).
    end = min(until or max(today, since), latest)  # --since tomorrow: tomorrow
    if since > end:
        raise UsageError(
            f"nothing to fetch: {since} is after {end}", hint="check --since and --until"
        )
    return [date.fromordinal(n) for n in range(since.toordinal(), end.toordinal() + 1)]


INTERRUPTED = (
    "interrupted: the days fetched until then are stored; the days not asked yet are not noted"
    " to retry (run the fetch again for them)"
)


def fetch_days(
    root: Path,
    days: Iterable[date],
    *,
    source: DayFetcher,
    on_progress: Callable[[str], None] = lambda status: None,
    now: datetime,
    scheduled: bool = False,
    feed_days: int | None = None,
    known_topics: frozenset[str] | None = None,
    digests: DigestRules,
) -> FetchReport:
    """Fetch `days` from `source` and merge each day had whole into the store under `root`,
    with its raw answer and HTTP validators, in one all-or-nothing write. The days missed are
    remembered for later runs (days_to_retry), unless no day at all was had: then nothing is
    written. `now` (UTC, the run's start) dates a missed day's note; the entries brought are
    dated by when they were merged plus PUBLISHING_TAKES (ingest_listings: not on days older
    than the newest held), and so are the digest items the run brings out by `digests`' rules
    (digest_dates.DigestDates). A `scheduled` run's days older than the newest held came late
    (within the feeds' `feed_days`); `known_topics`: see ingest_into_store."""
    days = sorted(set(days))
    today = now.date()
    started = time.monotonic()
    with content_lock(root):  # a killed run's write completed: its days and state are held
        state = load_fetch_state(root)
        load_digest_dates(root)  # a broken one stops the run before it asks anything
        held = frozenset(stored_days(root))
    stop = threading.Event()
    stopped: list[str] = []
    counting = threading.Lock()  # days are fetched on several threads
    papers_found = 0

    def fetch_one(day: date) -> DayAnswer | FetchError | None:
        nonlocal papers_found
        if stop.is_set():
            return None
        # The validators of a day the store holds: of one whose file is gone (deleted by hand),
        # a 304 would leave it gone for good.
        known = state.get(day.isoformat(), {}) if day in held else {}
        try:
            answer = source.fetch_day(
                day,
                Validators(etag=known.get("etag"), last_modified=known.get("last_modified")),
                past=day < today,
            )
        except FetchCancelled:
            return None
        except FetchStopped as error:
            with counting:
                if not stop.is_set():
                    stop.set()
                    stopped.append(str(error))
            return error
        except FetchError as error:
            on_progress(f"{day} failed")
            return error
        except Exception as error:  # noqa: BLE001
            # One day's answer must not cost the other days theirs (docs/fetching.md's promise):
            # what no check foresaw fails that day alone, and says it is a bug.
            on_progress(f"{day} failed")
            return FetchError(
                f"unexpected {type(error).__name__}: {error} (a bug in sitegen: please report it)",
                location=Location(day.isoformat()),
            )
        with counting:
            papers_found += len(answer.listing.entries) if answer.listing else 0
            status = f"{papers_found} papers found"
        on_progress(status)
        return answer

    answers: list[DayAnswer | FetchError | None] = [None] * len(days)
    pending = deque(enumerate(days))

    def work() -> None:
        while True:
            try:
                index, day = pending.popleft()  # a deque's pops are thread-safe
            except IndexError:  # the last day is taken
                return
            answers[index] = fetch_one(day)

    # Daemon threads, not a ThreadPoolExecutor (whose threads the interpreter joins at exit):
    # Ctrl-C ends the process at once, even while a worker is stuck in a TCP connect; the
    # other waits (a backoff, a read, a rate-limit window) end on source.cancel().
    workers = [
        threading.Thread(target=work, name=f"fetch-{n}", daemon=True)
        for n in range(min(source.policy.concurrency, len(days)))
    ]
    interrupted = False
    had = answers
    try:
        for worker in workers:
            worker.start()
        for worker in workers:
            # Woken at times: a Ctrl-C the kernel hands to a worker thread would leave a join
            # without a timeout waiting for that worker's read or rate-limit wait to end.
            while worker.is_alive():
                worker.join(0.2)
    except KeyboardInterrupt:
        source.cancel()
        # The days had until then are stored, not fetched again (a new user's trial: a
        # backfill interrupted lost its minutes); with none had, nothing is written.
        had = list(answers)  # not what a worker still waiting finds later
        if not any(isinstance(answer, DayAnswer) for answer in had):
            raise
        interrupted = True
        stopped.insert(0, INTERRUPTED)
    except BaseException:
        source.cancel()
        raise

    with content_lock(root):
        # From the merge's time, not the start's: a backfill of a year takes minutes.
        merged_at = now + timedelta(seconds=time.monotonic() - started)
        return _merge_answers(
            root, zip(days, had, strict=True), now=now, interrupted=interrupted,
            stop_reason=stopped[0] if stopped else "",
            added=(merged_at + PUBLISHING_TAKES).replace(microsecond=0),
            scheduled=scheduled, feed_days=feed_days, known_topics=known_topics, digests=digests,
        )  # fmt: skip


def _merge_answers(
    root: Path,
    answers: Iterable[tuple[date, DayAnswer | FetchError | None]],
    *,
    now: datetime,
    interrupted: bool,
    stop_reason: str,
    added: datetime,
    scheduled: bool,
    feed_days: int | None,
    known_topics: frozenset[str] | None,
    digests: DigestRules,
) -> FetchReport:
    """Merge each day's answer (None: not asked) into the store under `root`, whose lock the
    caller holds, with the fetch state; the arguments as fetch_days'."""
    # The kept names and the fetch state depend on what the store holds: read again under
    # its lock (another fetch or ingest may have written since the run began).
    state, held = load_fetch_state(root), frozenset(stored_days(root))
    today, unended = now.date(), oldest_unended(now)
    newest_held = max(held, default=None)
    outcomes: list[DayOutcome] = []
    kept: dict[str, bytes] = {}
    parsed: list[tuple[Listing, str | None]] = []
    state_before = {day: dict(validators) for day, validators in state.items()}
    answers = list(answers)
    # The newest day held once this run's days are stored: an unended day before it is
    # overtaken (OVERTAKEN).
    had = [
        day
        for day, answer in answers
        if isinstance(answer, DayAnswer) and answer.status == "papers"
    ]
    newest_after = max([*held, *had], default=None)
    for day, answer in answers:
        if answer is None or isinstance(answer, FetchStopped):  # the stop is said once
            problem = printable(answer.message) if answer else ""  # the day that met it was asked
            outcomes.append(DayOutcome(day=day, status="not fetched", problem=problem))
            continue
        if isinstance(answer, FetchError):
            # Shown in a log and kept in fetch-state.json: the source's text in it escaped.
            outcomes.append(DayOutcome(day=day, status="failed", problem=printable(answer.message)))
            continue
        papers = 0
        if answer.status == "papers" and answer.listing is not None:
            name = keep_answer(root, answer.listing, answer.raw, pending=kept)
            parsed.append((answer.listing, name))
            papers = len(answer.listing.entries)
        outcomes.append(
            DayOutcome(day=day, status=answer.status, papers=papers, notes=answer.notes)
        )
        entry = {k: v for k, v in state.get(day.isoformat(), {}).items() if k not in FAILURE_KEYS}
        # An API answer without validators: none are stale. The HTML page's are not the API's,
        # whose would be sent for it next time (found by a review: the API's were replaced).
        # A day without papers is not held, so none are sent for it: kept, they made each
        # weekend's run commit.
        whole = {WHOLE: entry[WHOLE]} if WHOLE in entry else {}  # its digest item is out
        if answer.status == "empty":
            entry = dict(whole)
        elif answer.status != "unchanged" and answer.suffix == ".json":
            entry = {**answer.validators.as_state(), **whole}
        if answer.status != "empty" and day >= unended:  # still filling: asked again
            entry[FILLING] = "yes"
        else:
            entry.pop(FILLING, None)
        if day >= unended and newest_after is not None and day < newest_after:
            entry[OVERTAKEN] = "yes"
        elif day < unended:  # had after it ended
            entry.pop(OVERTAKEN, None)
        state[day.isoformat()] = entry
        if not entry:
            del state[day.isoformat()]
    if all(outcome.missed for outcome in outcomes):
        # The run failed whole (offline, rate-limited, the source down): the same days are
        # asked for next time anyway, and a failed run is not committed.
        return FetchReport(days=tuple(outcomes), stopped=stop_reason)
    _mark_newest_whole(state, outcomes, unended=unended, today=today, held=held)
    # A day the user stopped the run before it was asked is no miss of the source's: its note,
    # if any, stays as it was (a review: one was given up on, for good). One before the newest
    # day had was being asked (days go out oldest first): noted, as no later run asks for it.
    unasked = _not_asked(outcomes, state) if interrupted else frozenset()
    noted = [o for o in outcomes if o.day not in unasked]
    given_up, failing = _remember_missed(state, noted, today=today, newest_held=newest_held)
    forget_filling(state, today)
    files = dict(kept)
    if state != state_before:
        files[FETCH_STATE] = render_fetch_state(state)
    # A scheduled run's day older than the newest held is a missed day had at last: it came late.
    report = ingest_into_store(
        root,
        parsed,
        files=files,
        mark_late=scheduled,
        feed_days=feed_days,
        added=added,
        known_topics=known_topics,
        more_files=DigestDates(root, digests, at=added, states=(state_before, state)).files,
    )
    noted_before = {day for day, entry in state_before.items() if "failed_on" in entry}
    return FetchReport(
        days=tuple(outcomes),
        stopped=stop_reason,
        stored=report,
        had_at_last=tuple(
            o.day for o in outcomes if not o.missed and o.day.isoformat() in noted_before
        ),
        given_up=given_up,
        failing=failing,
        interrupted=interrupted,
        # Said not asked again: those left as they were with no note to retry them.
        not_asked=frozenset(d for d in unasked if "failed_on" not in state.get(d.isoformat(), {})),
    )


def oldest_unended(now: datetime) -> date:
    """The oldest day whose list may still grow at `now` (UTC): today, and before 09:00 UTC
    yesterday too (DAY_OVER_AFTER)."""
    return (now - (DAY_OVER_AFTER - timedelta(days=1))).date()


def _mark_newest_whole(
    state: dict[str, dict[str, str]],
    outcomes: Sequence[DayOutcome],
    *,
    unended: date,
    today: date,
    held: frozenset[date],
) -> None:
    """Mark the newest day held "whole" when this run had it after it ended (the workflow asks
    early the next morning), so its digest item need not wait for a later day with papers (a
    Friday's waited for Monday: found by a subscriber's trial). Only the newest day's mark
    counts (fetch_state.whole_days): older ones are taken off, so the file keeps one. A day
    marked is not asked for again by a scheduled run (fetch_state.scheduled_days): its item
    is out, and must not change. Nor while a day before it is still
    filling (fetch_state.filling_to_ask): the mark would take that day as had whole."""
    had = [o.day for o in outcomes if o.status in ("papers", "unchanged")]
    newest = max([*had, *held], default=None)
    if newest is None or newest not in had or newest >= unended:
        return
    missed = {o.day for o in outcomes if o.missed}  # to retry
    if any(d < newest and d in held and d not in missed for d in filling_to_ask(state, today)):
        return
    for key, entry in list(state.items()):
        if key != newest.isoformat() and entry.pop(WHOLE, "") and not entry:
            del state[key]
    state.setdefault(newest.isoformat(), {})[WHOLE] = "yes"


def _not_asked(
    outcomes: Sequence[DayOutcome], state: Mapping[str, Mapping[str, str]]
) -> frozenset[date]:
    """The days of an interrupted run to leave as they were: those not fetched after the
    newest had (not asked yet), and those noted as missed before (the runs after ask for them
    anyway; noted again, one was given up on: a review)."""
    had = [o.day for o in outcomes if not o.missed]
    newest_had = max(had, default=None)
    noted = {day for day, entry in state.items() if "failed_on" in entry}
    return frozenset(
        o.day
        for o in outcomes
        if o.status == "not fetched"
        and (newest_had is None or o.day > newest_had or o.day.isoformat() in noted)
    )


def _remember_missed(
    state: dict[str, dict[str, str]],
    outcomes: Iterable[DayOutcome],
    *,
    today: date,
    newest_held: date | None,
) -> tuple[tuple[DayOutcome, ...], tuple[tuple[DayOutcome, date], ...]]:
    """Note each missed day in `state` (since when, why, and whether it was new when missed:
    the newest day held before the run, or one after it; fetch_state.awaited_days) for later
    runs to retry. Returned to be said: the days missed for RETRY_WINDOW_DAYS, given up on
    now, and those failing on FAILING_AFTER_DAYS days or more, with the day they first did."""
    given_up, failing = [], []
    for outcome in outcomes:
        if not outcome.missed:
            continue
        entry = dict(state.get(outcome.day.isoformat(), {}))
        # By any run (a backfill --since over recent days too), and on any miss: a state
        # written before the mark existed gains it (both found by a review).
        if newest_held is None or outcome.day >= newest_held:
            entry["new_when_missed"] = "yes"
        since = iso_day(entry.get("failed_on", ""))
        if since is None or since > today:  # missed first now, or edited by hand: from now
            since = today
            entry["failed_on"] = today.isoformat()
        entry["problem"] = outcome.problem or "not asked: the run stopped first"
        if (today - since).days >= RETRY_WINDOW_DAYS and "gave_up_on" not in entry:
            entry["gave_up_on"] = today.isoformat()
            entry.pop(FILLING, None)  # never asked again
            entry.pop(OVERTAKEN, None)
            given_up.append(outcome)
        elif "gave_up_on" not in entry and (today - since).days >= FAILING_AFTER_DAYS - 1:
            failing.append((outcome, since))
        state[outcome.day.isoformat()] = entry
    return tuple(given_up), tuple(failing)
