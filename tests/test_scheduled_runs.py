"""Random runs of the scheduled workflow: mornings of `sitegen fetch` and `sitegen build`
against a stand-in Hugging Face whose days fill over a day or so, that fails now and then
(5xx, 404, truncated answers, outages of a run or several), with weekends empty, runs
skipped, twice a day or at odd hours. After each run the site's feeds are read as subscribers
read them, and across the whole sequence:

- every paper that reached content/ reaches a reader who polls after every run, and one who
  polls once a day, in the all-papers feeds ("every paper must reach every subscriber");
- an item's id and date never change once it has appeared, in any feed;
- a reader that takes only items dated after its last poll misses none;
- a failed run loses nothing of content/, and the incremental site is a cold build's bytes.

Seeded (`random.Random`), so a failing seed replays; drive more of them by hand with
SITEGEN_SCHEDULED_SEEDS="1-60" (each takes 5 to 10 s of CPU).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import feedparser
import pytest

from sitegen.cli import main
from sitegen.config import parse_config
from sitegen.digest_dates import DigestRules
from sitegen.fetch import PUBLISHING_TAKES, fetch_days
from sitegen.fetch_state import load_fetch_state, scheduled_days
from sitegen.hf_client import DayFetcher, FetchPolicy, make_client
from sitegen.store import load_content, stored_days
from tests.conftest import REPO, item_time, tree_bytes
from tests.hf_server import FaultyHF, Reply, day_page

REAL = json.loads((REPO / "content" / "listings" / "2026-06-12.json").read_text())
ALL_PAPERS = ("atom.xml", "rss.xml", "feed.json")
FAULTS = ("500", "404", "truncated")  # no timeouts: they are slow, and fetch's tests have them


def _seeds() -> list[int]:
    given = os.environ.get("SITEGEN_SCHEDULED_SEEDS", "")
    if "-" in given:
        first, last = given.split("-")
        return list(range(int(first), int(last) + 1))
    return [int(seed) for seed in given.split(",") if seed] or [3]


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


@dataclass
class Listed:
    """A paper on a day's list from `since` on."""

    day: date
    since: datetime
    entry: dict[str, Any]


class FillingHF:
    """Hugging Face's day lists as they fill: each weekday's papers come in over the day and
    the night after (now and then until the evening after, or starting a day late); a
    weekend lists none. `now` and `faults` are the current run's."""

    def __init__(self, rng: random.Random, first: date, last: date) -> None:
        self.now = _midnight(first)
        self.faults: dict[date, str] = {}
        self.page_works: set[date] = set()  # the HTML page answers while the API fails
        self.lists: dict[date, list[Listed]] = {}
        self.broken_until: dict[date, datetime] = {}  # a day failing for days on end
        number = 0
        for n in range((last - first).days + 3):
            day = first + timedelta(days=n)
            if day.weekday() >= 5:
                continue
            hours = rng.choice([(0, 31)] * 8 + [(0, 50), (24, 48)])  # done by 07:00, mostly
            papers = []
            for _ in range(rng.randint(2, 6)):
                entry = json.loads(json.dumps(REAL[number % len(REAL)]))
                paper_id = f"2611.{10000 + number:05d}"
                entry["paper"].update(id=paper_id, upvotes=rng.randint(0, 5))
                entry["paper"]["title"] = entry["title"] = f"{entry['title']} ({paper_id})"
                entry["paper"]["submittedOnDailyAt"] = f"{day}T00:00:00.000Z"
                since = _midnight(day) + timedelta(hours=rng.uniform(*hours))
                papers.append(Listed(day, since, entry))
                number += 1
            self.lists[day] = sorted(papers, key=lambda listed: listed.since)
            if rng.random() < 0.06:
                self.broken_until[day] = _midnight(day) + timedelta(days=rng.randint(1, 17))

    def listed(self, day: date) -> list[dict[str, Any]]:
        """The day's list at `now`, upvotes still coming in."""
        entries = []
        for listed in self.lists.get(day, []):
            if listed.since <= self.now:
                entry = json.loads(json.dumps(listed.entry))
                entry["paper"]["upvotes"] += (self.now - listed.since) // timedelta(hours=6)
                entries.append(entry)
        return entries

    def serve_on(self, source: FaultyHF, days: list[date]) -> None:
        for day in days:

            def api(page: int, limit: int, day: date = day) -> Reply:
                return self._api(day, page, source.requests[-1][1])

            def html(page: int, limit: int, day: date = day) -> Reply:
                if day in self.page_works:
                    return Reply(200, day_page(self.listed(day), day=day.isoformat()))
                return Reply(500)

            source.routes[f"/api/daily_papers?date={day}"] = api
            source.routes[f"/papers/date/{day}"] = html

    def _api(self, day: date, page: int, headers: dict[str, str]) -> Reply:
        fault = self.faults.get(day)
        if fault in ("500", "404"):
            return Reply(int(fault))
        body = b"[]" if page > 0 else json.dumps(self.listed(day)).encode()
        if fault == "truncated":
            return Reply(200, body, truncate=True)
        if body == b"[]":
            return Reply(200, body)
        etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
        if headers.get("If-None-Match") == etag:
            return Reply(304, b"", (("ETag", etag),))
        return Reply(200, body, (("ETag", etag),))


@dataclass
class Run:
    now: datetime
    outage: bool = False  # every request fails
    clean: bool = False  # no request fails


def _mornings(rng: random.Random, count: int) -> list[Run]:
    """`count` days of runs at 09:17 UTC and up to 75 minutes late, as GitHub starts them: a
    day skipped now and then, another at an odd hour, outages of a run or several; then two
    clean mornings that settle what is pending."""
    first = date(2026, 8, 17) + timedelta(days=rng.randint(0, 60))
    runs = []
    for n in range(count):
        day = _midnight(first + timedelta(days=n))
        if n and rng.random() < 0.12:
            continue
        times = [day + timedelta(hours=9, minutes=17 + rng.randint(0, 75))]
        if rng.random() < 0.18:
            times.append(day + timedelta(minutes=rng.randint(0, 24 * 60 - 1)))
        runs.extend(Run(now) for now in sorted(times))
    n = 0
    while n < len(runs):
        if rng.random() < 0.05:
            for run in runs[n : n + rng.randint(1, 4)]:
                run.outage = True
            n += 4
        n += 1
    settle = runs[-1].now.date()
    return runs + [
        Run(_midnight(settle + timedelta(days=n)) + timedelta(hours=9, minutes=17), clean=True)
        for n in (1, 2)
    ]


Feeds = dict[str, dict[str, datetime]]  # feed -> item id -> its date


@dataclass
class Reader:
    """A subscriber to every feed the site offers, polling at `polls` (a time, the build it
    then sees), by item id and by date (items dated after its last poll only)."""

    polls: list[tuple[datetime, Feeds]]
    seen: dict[str, set[str]] = field(default_factory=dict)
    taken_by_date: dict[str, set[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        last_poll = None
        for poll, feeds in self.polls:
            for feed, items in feeds.items():
                self.seen.setdefault(feed, set()).update(items)
                self.taken_by_date.setdefault(feed, set()).update(
                    item for item, dated in items.items() if last_poll is None or dated > last_poll
                )
            last_poll = poll


class ScheduledSite:
    def __init__(self, root: Path, hf: tuple[FaultyHF, str], seed: int) -> None:
        self.root, (self.source, self.url) = root, hf
        self.source.other_api_days = [Reply(200, b"[]")]
        self.rng = random.Random(seed)
        self.runs = _mornings(self.rng, self.rng.randint(10, 14))
        first, last = self.runs[0].now.date(), self.runs[-1].now.date()
        self.hf = FillingHF(self.rng, first, last)
        self.hf.serve_on(self.source, [first + timedelta(days=n) for n in range(-20, 40)])
        self.config = parse_config((root / "site.toml").read_text(), source="site.toml")
        self.builds: list[tuple[datetime, Feeds]] = []  # each run's start, its site's feeds
        self.held: set[tuple[date, str]] = set()  # (day, paper) content/ ever held

    def run_all(self) -> None:
        for run in self.runs:
            self._fail_some(run)
            self._fetch(run.now)
            days = load_content(self.root).days
            held = {(day, entry.paper_id) for day, d in days.items() for entry in d.entries}
            assert self.held <= held, f"the run of {run.now} lost {self.held - held}"
            self.held |= held
            assert main(["--root", str(self.root), "build"]) == 0
            self.builds.append((run.now, _read_feeds(self.root / "public")))

    def _fail_some(self, run: Run) -> None:
        self.hf.now, self.hf.faults, self.hf.page_works = run.now, {}, set()
        for n in range(-20, 2):
            day = run.now.date() + timedelta(days=n)
            broken = run.now < self.hf.broken_until.get(day, run.now)
            if not run.clean and (run.outage or broken or self.rng.random() < 0.12):
                self.hf.faults[day] = self.rng.choice(FAULTS)
                if not run.outage and self.rng.random() < 0.3:
                    self.hf.page_works.add(day)

    def _fetch(self, now: datetime) -> None:
        """What `sitegen fetch` does when the workflow runs it at `now`."""
        held = sorted(stored_days(self.root))
        days, _ = scheduled_days(held, now.date(), load_fetch_state(self.root))
        policy = FetchPolicy(read_timeout=2, attempts=1)
        with make_client(policy) as client:
            fetch_days(
                self.root,
                days,
                source=DayFetcher(client, base_url=self.url, policy=policy),
                now=now,
                scheduled=True,
                feed_days=self.config.feeds.days,
                known_topics=self.config.topic_slugs(),
                digests=DigestRules.of(self.config),
            )

    def reader_after_each_run(self) -> Reader:
        return Reader([(now + PUBLISHING_TAKES, feeds) for now, feeds in self.builds])

    def daily_reader(self) -> Reader:
        """Polling once a day at a time of its own, the site last published by then."""
        poll = _midnight(self.runs[0].now.date()) + timedelta(minutes=self.rng.randint(0, 1439))
        polls = []
        while poll <= self.runs[-1].now + timedelta(days=1):
            published = [feeds for now, feeds in self.builds if now + PUBLISHING_TAKES <= poll]
            if published:
                polls.append((poll, published[-1]))
            poll += timedelta(days=1)
        return Reader(polls)


def _read_feeds(public: Path) -> Feeds:
    """Every standing feed's items (the placeholder of an empty feed left out)."""
    names = ["atom.xml", "rss.xml", "digest/atom.xml", "digest/rss.xml"]
    names += ["top/weekly/atom.xml", "top/monthly/atom.xml"]
    names += sorted(str(p.relative_to(public)) for p in public.glob("topics/*/atom.xml"))
    feeds = {
        name: {
            entry.id: datetime(*item_time(entry)[:6], tzinfo=UTC)
            for entry in feedparser.parse(public / name).entries
            if "nothing-yet" not in entry.id
        }
        for name in names
    }
    items = json.loads((public / "feed.json").read_text())["items"]
    feeds["feed.json"] = {
        item["id"]: datetime.fromisoformat(item["date_published"]).astimezone(UTC)
        for item in items
        if "nothing-yet" not in item["id"]
    }
    return feeds


@pytest.mark.parametrize("seed", _seeds())
def test_scheduled_runs_bring_every_paper_to_every_subscriber_and_move_no_item(
    site: Path, hf: tuple[FaultyHF, str], tmp_path: Path, seed: int
) -> None:
    scheduled = ScheduledSite(site, hf, seed)
    scheduled.run_all()

    published: dict[tuple[str, str], datetime] = {}
    for now, feeds in scheduled.builds:
        for feed, items in feeds.items():
            for item, dated in items.items():
                assert published.setdefault((feed, item), dated) == dated, (feed, item, now)
        assert feeds["atom.xml"] == feeds["rss.xml"] == feeds["feed.json"], now

    papers = {f"tag:sitegen,2023:paper/{paper}" for _, paper in scheduled.held}
    for reader in (scheduled.reader_after_each_run(), scheduled.daily_reader()):
        for feed in ALL_PAPERS:
            assert papers <= reader.seen[feed], (feed, papers - reader.seen[feed])
        for feed, seen in reader.seen.items():
            assert seen == reader.taken_by_date[feed], (feed, seen - reader.taken_by_date[feed])
    digest = set().union(*(feeds["digest/atom.xml"] for _, feeds in scheduled.builds))
    before_settling = scheduled.runs[-1].now.date() - timedelta(days=1)
    assert {
        f"tag:sitegen,2023:day/{day}" for day, _ in scheduled.held if day < before_settling
    } <= digest

    cold = tmp_path / "cold"
    assert main(["--root", str(site), "build", "--clean", "--out", str(cold)]) == 0
    assert tree_bytes(cold) == tree_bytes(site / "public")
