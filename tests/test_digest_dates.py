"""Digest items (a day's papers, a week's and a month's top papers) are dated by the fetch run
after which a build first listed them (content/digests.toml), and never move.

Dated by their day (a period's by its last day), they were a day and more older than the run
that published them, and tools that take only items newer than their last poll passed over
every one. Each scenario runs `sitegen fetch` against the stand-in Hugging Face on 127.0.0.1
with a clock set by the test, builds after each run, and checks every digest item as a date
filter would: dated no earlier than the run that brought it out, and never changed after.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import feedparser
import pytest

from sitegen.cli import main
from sitegen.digest_dates import load_digest_dates
from sitegen.errors import ContentError
from sitegen.fetch import PUBLISHING_TAKES, fetch_days
from sitegen.fetch_state import filling_shown, load_fetch_state, scheduled_days
from sitegen.formats import parse_digest_dates, render_digest_dates
from sitegen.hf_client import DayFetcher, FetchPolicy, make_client
from sitegen.store import load_content, stored_days
from tests.conftest import REPO, digest_rules, item_time, rewrite, tree_bytes
from tests.hf_server import FaultyHF, Reply

REAL = json.loads((REPO / "content" / "listings" / "2026-06-12.json").read_text())
DIGESTS = ("digest", "top/weekly", "top/monthly")


def _nov(day: int) -> date:
    return date(2026, 11, day)  # Nov 9, 2026 is a Monday


def _morning(day: date, hour: int = 9, minute: int = 17) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


class Site:
    """A site fetched by runs at the times a test gives, checked after each as a date filter
    reads its digests (adapted from a review's reproductions)."""

    def __init__(self, root: Path, hf: tuple[FaultyHF, str]) -> None:
        self.root, (self.source, self.url) = root, hf
        self.source.other_api_days = [Reply(200, b"[]")]
        self.published: dict[tuple[str, str], datetime] = {}  # (feed, item) -> its date
        self.came_with: dict[tuple[str, str], datetime] = {}  # (feed, item) -> the run's start

    def serve(self, day: date, first: int, last: int, *then: Reply) -> None:
        entries = json.loads(json.dumps(REAL[first:last]))
        for entry in entries:
            entry["paper"]["submittedOnDailyAt"] = f"{day}T00:00:00.000Z"
        etag = (("ETag", f'"{day}-{last - first}"'),)
        self.source.set(day.isoformat(), [Reply(200, json.dumps(entries).encode(), etag), *then])

    def fail(self, day: date) -> None:
        self.source.set(day.isoformat(), [Reply(500)], [Reply(500)])

    def run(self, now: datetime, days: list[date] | None = None) -> None:
        """A scheduled run at `now` (its days as the CLI asks them), or a run with `days`
        asked for by hand (--date, --since)."""
        if days is None:
            held = sorted(stored_days(self.root))
            asked, _ = scheduled_days(held, now.date(), load_fetch_state(self.root))
        policy = FetchPolicy(read_timeout=2, attempts=1)
        with make_client(policy) as client:
            fetcher = DayFetcher(client, base_url=self.url, policy=policy)
            fetch_days(
                self.root,
                days or asked,
                source=fetcher,
                now=now,
                scheduled=days is None,
                digests=digest_rules(self.root),
            )
        self.check(now)

    def hide(self, day: date) -> None:
        """Take the papers of `day` off the site (site.toml's [content] hidden)."""
        ids = [f'"{e.paper_id}"' for e in load_content(self.root).days[day].entries]
        toml = self.root / "site.toml"
        toml.write_text(toml.read_text() + f"\n[content]\nhidden = [{', '.join(ids)}]\n")

    def check(self, now: datetime | None) -> None:
        """Build, and check each digest item: dated no earlier than the run at `now` that
        brought it out (None: a hand edit, which records nothing), and as first published
        ever after."""
        listed = self.items()
        if now is not None:  # the run's view of what the digests list is the build's
            assert {item for _, item in listed} <= load_digest_dates(self.root).keys()
        for item, dated in listed.items():
            if item not in self.published:
                self.published[item] = dated
                if now is not None:
                    self.came_with[item] = now
                    assert dated >= now, f"{item} came with the run of {now}, dated {dated}"
            assert dated == self.published[item], f"{item} moved at the run of {now}"

    def items(self) -> dict[tuple[str, str], datetime]:
        assert main(["--root", str(self.root), "build"]) == 0
        found = {}
        for feed in DIGESTS:
            for entry in feedparser.parse(self.root / "public" / feed / "atom.xml").entries:
                if "nothing-yet" not in entry.id:  # an empty feed's placeholder
                    found[feed, entry.id.rsplit("/", 1)[1]] = datetime(
                        *item_time(entry)[:6], tzinfo=UTC
                    )
        return found

    def dated_by(self, feed: str, item: str, now: datetime) -> bool:
        """Whether the item came with the run at `now` and is dated by it."""
        dated = self.published[feed, item]
        return self.came_with.get((feed, item)) == now and timedelta(0) <= (
            dated - now - PUBLISHING_TAKES
        ) < timedelta(seconds=30)

    def is_a_cold_build(self, tmp_path: Path) -> bool:
        cold = tmp_path / "cold"
        assert main(["--root", str(self.root), "build", "--clean", "--out", str(cold)]) == 0
        return tree_bytes(cold) == tree_bytes(self.root / "public")


@pytest.fixture
def fetched(hf: tuple[FaultyHF, str], site: Path) -> Site:
    return Site(site, hf)


def test_each_morning_brings_out_the_day_before_and_a_day_after_a_week_closes_it(
    fetched: Site, tmp_path: Path
) -> None:
    """A day's item comes with the run that has it after it ended (even unchanged: a 304),
    a week's and a month's with the run that brings a day after them; a day asked for again
    once its item is out, or a later day's later papers, move nothing."""
    fetched.serve(_nov(27), 0, 2, Reply(304))
    fetched.run(_morning(_nov(27), 20), [_nov(27)])  # by hand, while it is filling
    assert not fetched.published
    fetched.serve(_nov(28), 2, 4)
    saturday = _morning(_nov(28))
    fetched.source.requests.clear()
    fetched.run(saturday)
    (asked,) = [h for path, h in fetched.source.requests if "date=2026-11-27&p=0" in path]
    assert asked.get("If-None-Match") == '"2026-11-27-2"'  # answered 304
    assert list(fetched.published) == [("digest", "2026-11-27")]
    assert fetched.dated_by("digest", "2026-11-27", saturday)
    fetched.serve(_nov(27), 0, 3)  # asked again by hand with a paper more
    fetched.run(_morning(_nov(28), 12), [_nov(27)])
    sunday = _morning(_nov(29))
    fetched.run(sunday)
    assert fetched.dated_by("digest", "2026-11-28", sunday)
    # The first day of the next week closes the week, of the next month the month.
    fetched.serve(_nov(30), 4, 6)
    fetched.serve(date(2026, 12, 1), 6, 8)
    monday, tuesday = _morning(_nov(30)), _morning(date(2026, 12, 1))
    fetched.run(monday)
    assert fetched.dated_by("top/weekly", "2026-W48", monday)
    fetched.serve(_nov(30), 4, 7)  # more papers of that day with the next run
    fetched.run(tuesday)
    assert fetched.dated_by("top/monthly", "2026-11", tuesday)
    assert fetched.dated_by("digest", "2026-11-30", tuesday)
    assert fetched.is_a_cold_build(tmp_path)
    written = load_digest_dates(fetched.root)
    assert set(written) == {"2026-11-27", "2026-11-28", "2026-11-30", "2026-W48", "2026-11"}


def test_a_day_had_while_it_fills_says_more_may_come_until_a_run_has_it_whole(
    fetched: Site, tmp_path: Path
) -> None:
    """A reader's trial: after the morning's run, which has today's first papers, the home
    page said "3 papers, the most upvoted first", and the reader took them for the day."""

    def said(page: str) -> str:
        text = (fetched.root / "public" / page).read_text()
        return " ".join(text.split())

    fetched.serve(_nov(27), 0, 2)
    fetched.run(_morning(_nov(27)))  # today, early: still filling
    for page in ("index.html", "days/2026-11-27/index.html"):
        assert "2 papers so far, " in said(page), page
        assert "More may come: Hugging Face was still adding papers" in said(page), page
    fetched.serve(_nov(27), 0, 3)
    fetched.serve(_nov(28), 3, 4)
    fetched.run(_morning(_nov(28)))  # the 27th whole, the 28th filling
    whole = said("days/2026-11-27/index.html")
    assert "3 papers, the most upvoted first" in whole and "More may come" not in whole
    assert "1 paper so far. More may come" in said("index.html")  # no order among one
    assert fetched.is_a_cold_build(tmp_path)


def test_a_filling_mark_no_run_will_ask_again_is_taken_off(fetched: Site) -> None:
    """A review: a mark left on a day no scheduled run asks for again (past the late window)
    said "so far" for ever; the window is a fetch's, which knows the day, as the build does not."""
    page = fetched.root / "public" / "days" / "2026-11-03" / "index.html"
    fetched.serve(_nov(3), 0, 2)
    fetched.run(_morning(_nov(3)))  # today, early: still filling
    assert "2 papers so far" in page.read_text()
    fetched.serve(_nov(20), 2, 4)
    fetched.run(_morning(_nov(20)), [_nov(20)])  # by hand, 17 days on
    assert "filling" not in load_fetch_state(fetched.root)["2026-11-03"]
    assert "2 papers, " in page.read_text() and "so far" not in page.read_text()
    # Nor where no fetch runs to take it off (days ingested by hand, a review): the build
    # shows a mark within the late window of the newest day held alone.
    state = {"2025-11-03": {"filling": "yes"}}
    assert filling_shown(state, newest=date(2025, 11, 17)) == {date(2025, 11, 3)}
    assert filling_shown(state, newest=date(2025, 11, 18)) == set()
    assert filling_shown(state, newest=None) == set()


def test_a_week_held_open_by_a_day_missed_comes_with_the_run_that_has_it_or_gives_up(
    fetched: Site,
) -> None:
    """A day missed while it was new holds its week open: the week's item comes with the run
    that has it at last, whether with papers or without, or that gives it up."""
    fetched.serve(_nov(12), 0, 2)
    fetched.serve(_nov(13), 2, 4)
    fetched.run(_morning(_nov(13), 20), [_nov(12), _nov(13)])
    fetched.fail(_nov(14))
    fetched.run(_morning(_nov(14)))
    fetched.run(_morning(_nov(15)))
    fetched.serve(_nov(16), 4, 6)
    fetched.run(_morning(_nov(16)))
    assert ("top/weekly", "2026-W46") not in fetched.published  # Saturday awaited
    fetched.source.set("2026-11-14", [Reply(200, b"[]")])  # no papers after all
    retried = _morning(_nov(17))
    fetched.run(retried)
    assert fetched.dated_by("top/weekly", "2026-W46", retried)


def test_a_day_held_while_filling_then_missed_comes_with_the_run_that_gives_it_up(
    fetched: Site,
) -> None:
    fetched.serve(_nov(12), 0, 2)
    fetched.serve(_nov(13), 2, 4)
    fetched.run(_morning(_nov(13), 20), [_nov(12), _nov(13)])
    fetched.fail(_nov(13))
    fetched.run(_morning(_nov(14)))  # Friday missed while new: awaited
    fetched.serve(_nov(16), 4, 6)
    fetched.run(_morning(_nov(16)))
    fetched.run(_morning(_nov(17)))
    given_up = _morning(_nov(28))
    fetched.run(given_up)  # 14 days after its first failure
    assert fetched.dated_by("digest", "2026-11-13", given_up)
    assert fetched.dated_by("top/weekly", "2026-W46", given_up)


@pytest.mark.parametrize("by_hand", [False, True], ids=["scheduled", "--date"])
def test_a_day_filling_when_fetched_comes_out_with_the_run_that_brings_a_later_day(
    fetched: Site, by_hand: bool
) -> None:
    """The newest day, held while filling, answers no papers the next morning (or is not
    asked: `fetch --date` of the next day): the later day brings its item out."""
    fetched.serve(_nov(10), 0, 2)
    fetched.serve(_nov(11), 2, 4)
    fetched.run(_morning(_nov(11), 20), [_nov(10), _nov(11)])
    fetched.source.set("2026-11-11", [Reply(200, b"[]")])
    fetched.serve(_nov(12), 4, 6)
    then = _morning(_nov(12), 12)
    fetched.run(then, [_nov(12)] if by_hand else None)
    assert fetched.dated_by("digest", "2026-11-11", then)


@pytest.mark.parametrize("run_ended_the_day", [False, True])
def test_a_day_filling_when_a_later_one_came_by_hand_is_asked_again_for_its_late_papers(
    fetched: Site, run_ended_the_day: bool
) -> None:
    """Found by a review: a day fetched while filling, then a later day fetched by --date
    (before or after the first ended), and the scheduled runs asked from the later day on:
    the first day's late papers were never had (a --date after the later day ended marked it
    whole, and the first with it). A day had while filling is asked again."""
    fetched.serve(_nov(10), 0, 2)
    fetched.serve(_nov(11), 2, 4)
    fetched.run(_morning(_nov(11), 9), [_nov(10)])  # had whole (over in California)
    fetched.run(_morning(_nov(11), 20), [_nov(11)])  # filling
    fetched.serve(_nov(11), 2, 6)  # its late papers
    fetched.serve(_nov(12), 6, 8)
    fetched.run(_morning(_nov(13) if run_ended_the_day else _nov(12), 9), [_nov(12)])
    fetched.source.requests.clear()
    fetched.run(_morning(_nov(13)))
    assert _asked(fetched) == {"2026-11-11", "2026-11-12", "2026-11-13"}
    ids = {e.paper_id for e in load_content(fetched.root).days[_nov(11)].entries}
    assert ids == {entry["paper"]["id"] for entry in REAL[2:6]}
    assert load_fetch_state(fetched.root)["2026-11-12"]["whole"] == "yes"


def test_a_run_just_after_midnight_utc_leaves_yesterday_filling_for_its_late_papers(
    fetched: Site,
) -> None:
    """Found by a replay of the workflow at 23:59 and 00:01 UTC (a run started by hand):
    Daily Papers lists a day by US Pacific time, whose Nov 10 goes on for eight hours after
    UTC's. The 00:01 run marked it whole, so no run asked for it again and its last papers
    were lost. It is still filling then; the 09:17 run has it whole and brings out its item."""
    fetched.serve(_nov(10), 0, 2)
    fetched.run(_morning(_nov(10), 23, 59))  # today so far
    fetched.serve(_nov(10), 0, 4)
    fetched.run(_morning(_nov(11), 0, 1))  # UTC's yesterday, still Nov 10 in California
    assert "whole" not in load_fetch_state(fetched.root).get("2026-11-10", {})
    fetched.serve(_nov(10), 0, 6)  # its last papers, before midnight Pacific
    fetched.run(_morning(_nov(11)))
    ids = {e.paper_id for e in load_content(fetched.root).days[_nov(10)].entries}
    assert ids == {entry["paper"]["id"] for entry in REAL[0:6]}
    assert load_fetch_state(fetched.root)["2026-11-10"]["whole"] == "yes"
    assert fetched.came_with["digest", "2026-11-10"] == _morning(_nov(11))


@pytest.mark.parametrize("sunday_so_far", [1, 0], ids=["its first paper", "none yet"])
def test_a_run_before_nine_on_monday_closes_no_week_short_of_its_sunday(
    fetched: Site, sunday_so_far: int, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by a trial of the workflow over a month: a run by hand at 07:30 UTC on a Monday
    (Sunday still going on in California) had Monday's first papers, which closed the week:
    its item went out with Sunday's list so far, and the 09:17 run's Sunday papers changed its
    top papers under it; a Sunday that listed nothing yet was never asked again. A day a run
    had before it ended, with a later day, is asked again, and holds its item and its week."""
    fetched.serve(_nov(13), 0, 2)
    fetched.run(_morning(_nov(14)))  # Friday had whole
    fetched.serve(_nov(15), 2, 2 + sunday_so_far)
    fetched.serve(_nov(16), 6, 7)
    capsys.readouterr()
    fetched.run(_morning(_nov(16), 7, 30))
    assert ("top/weekly", "2026-W46") not in fetched.published
    assert ("digest", "2026-11-15") not in fetched.published
    # The build says what holds the week back (a review: it named only days missed).
    assert "  waiting for 2026-11-15: had before it ended" in capsys.readouterr().out
    fetched.serve(_nov(15), 2, 5)  # the rest of Sunday, listed before it ended
    scheduled = _morning(_nov(16))
    fetched.run(scheduled)
    assert "waiting for" not in capsys.readouterr().out
    ids = {e.paper_id for e in load_content(fetched.root).days[_nov(15)].entries}
    assert ids == {entry["paper"]["id"] for entry in REAL[2:5]}
    assert fetched.dated_by("top/weekly", "2026-W46", scheduled)
    assert fetched.dated_by("digest", "2026-11-15", scheduled)
    fetched.source.requests.clear()
    fetched.run(_morning(_nov(17)))  # Sunday had whole: not asked again
    assert _asked(fetched) == {"2026-11-16", "2026-11-17"}


def test_scheduled_mornings_ask_yesterday_and_today_and_a_weekend_nothing_more(
    fetched: Site,
) -> None:
    """The normal case: a run each morning at 09:17 UTC has yesterday whole and today filling
    (a review found a rule that asked every day since the last weekend again)."""
    asked = _mornings(fetched, _nov(9), 12)  # Monday Nov 9 to Friday Nov 20
    day = lambda n: f"2026-11-{n:02d}"  # noqa: E731
    assert asked == [
        [day(8), day(9)],  # an empty store: yesterday too (a fork owner's trial)
        *([day(n - 1), day(n)] for n in range(10, 15)),  # to Saturday, which has none
        [day(14), day(15)],  # Sunday: Friday was marked whole on Saturday
        [day(14), day(15), day(16)],  # Monday: from the day after the newest held
        *([day(n - 1), day(n)] for n in range(17, 21)),
    ]


def test_a_day_that_fails_after_it_was_had_filling_is_retried_as_any_missed_day(
    fetched: Site,
) -> None:
    """Found by a review: a day had while filling, then failing, was asked with every day from
    it on at each run, and held every later day's mark back (Friday's item waited for
    Monday). It is a day to retry, as before: asked alone, and later days marked meanwhile."""

    def failing_from_friday(day: date) -> None:
        if day == _nov(13):
            fetched.fail(_nov(12))  # from the morning after it was had filling, for good

    asked = _mornings(fetched, _nov(11), 7, before=failing_from_friday)  # Wed to Tue
    day = lambda n: f"2026-11-{n:02d}"  # noqa: E731
    assert asked == [
        [day(10), day(11)],  # an empty store: yesterday too
        [day(11), day(12)],
        [day(12), day(13)],
        [day(12), day(13), day(14)],  # Friday had whole: its item comes out on Saturday
        [day(12), day(14), day(15)],
        [day(12), day(14), day(15), day(16)],
        [day(12), day(16), day(17)],
    ]
    assert fetched.came_with["digest", "2026-11-13"] == _morning(_nov(14))


def test_an_overtaken_day_that_fails_when_asked_again_holds_no_later_mark_back(
    fetched: Site,
) -> None:
    """Found by a review: Thursday had filling, Friday fetched by --date, Thursday failing on
    Saturday's run: Friday's mark and item waited for Sunday. A day this run missed is a day
    to retry, with its own rules."""
    fetched.serve(_nov(11), 0, 2)
    fetched.run(_morning(_nov(12)), [_nov(11)])  # had whole
    fetched.serve(_nov(12), 2, 4)
    fetched.run(_morning(_nov(12), 20), [_nov(12)])  # Thursday, filling
    fetched.serve(_nov(13), 4, 6)
    fetched.run(_morning(_nov(13), 21), [_nov(13)])  # Friday by --date, filling
    fetched.fail(_nov(12))
    saturday = _morning(_nov(14))
    fetched.run(saturday)
    assert load_fetch_state(fetched.root)["2026-11-13"].get("whole") == "yes"
    assert fetched.dated_by("digest", "2026-11-13", saturday)


def test_a_day_held_past_today_is_not_asked_before_it_comes() -> None:
    """Found by a review: a day fetched by --date ahead of UTC's today, still filling, was
    asked by the scheduled run of the day before; it asks for today, as it did."""
    state = {"2026-11-14": {"filling": "yes"}, "2026-11-12": {"whole": "yes"}}
    assert scheduled_days([_nov(12), _nov(14)], _nov(13), state) == ([_nov(13)], [])


def _mornings(
    fetched: Site, first: date, count: int, *, before: Callable[[date], None] = lambda day: None
) -> list[list[str]]:
    """`count` scheduled runs, one each morning from `first`, each weekday serving two papers
    of its own (`before` changes the source before the day's run): the days each run asked."""
    asked = []
    for n in range(count):
        day = first + timedelta(days=n)
        if day.weekday() < 5:
            fetched.serve(day, 2 * (n % 8), 2 * (n % 8) + 2)
        before(day)
        fetched.source.requests.clear()
        fetched.run(_morning(day))
        asked.append(sorted(_asked(fetched)))
    return asked


def _asked(fetched: Site) -> set[str]:
    """The days the source was asked for since its requests were last cleared."""
    return {p.split("date=")[1][:10] for p, _ in fetched.source.requests if "p=0" in p}


def test_a_day_missed_by_a_backfill_and_had_later_leaves_its_closed_week_as_published(
    fetched: Site, tmp_path: Path
) -> None:
    fetched.serve(_nov(9), 0, 2)
    fetched.fail(_nov(10))
    fetched.serve(_nov(11), 2, 4)
    fetched.serve(_nov(16), 4, 6)
    fetched.serve(_nov(17), 6, 8)
    fetched.run(_morning(_nov(17), 20), [_nov(17)])
    fetched.run(_morning(_nov(17), 21), [_nov(9), _nov(10), _nov(11), _nov(16)])  # --since
    week = fetched.published["top/weekly", "2026-W46"]
    fetched.serve(_nov(10), 8, 10)
    fetched.serve(_nov(18), 10, 12)
    retried = _morning(_nov(18))
    fetched.run(retried)  # retries Nov 10: the week's top papers may change, not its date
    assert fetched.published["top/weekly", "2026-W46"] == week
    assert fetched.dated_by("digest", "2026-11-10", retried)  # in the digest's window: new
    assert fetched.is_a_cold_build(tmp_path)


def test_a_week_a_hand_ingested_day_closed_keeps_its_date_after_later_fetches(
    fetched: Site, tmp_path: Path
) -> None:
    """What a listing ingested by hand brings out is dated by its day, and recorded so: it
    stays so when a later fetch brings it out again (a review: the week the hand-ingested day
    closed, reopened by that day's papers hidden, was dated by the fetch that closed it
    again)."""
    fetched.serve(_nov(12), 0, 2)
    fetched.serve(_nov(13), 2, 4)
    fetched.run(_morning(_nov(13), 20), [_nov(12), _nov(13)])
    fetched.run(_morning(_nov(14)))
    entries = json.loads(json.dumps(REAL[4:6]))
    for entry in entries:
        entry["paper"]["submittedOnDailyAt"] = "2026-11-16T00:00:00.000Z"
    listing = tmp_path / "2026-11-16.json"
    listing.write_text(json.dumps(entries))
    assert main(["--root", str(fetched.root), "ingest", str(listing)]) == 0
    fetched.check(None)
    assert fetched.published["top/weekly", "2026-W46"] == datetime(2026, 11, 15, tzinfo=UTC)
    fetched.hide(_nov(16))
    assert ("top/weekly", "2026-W46") not in fetched.items()  # open again
    fetched.serve(_nov(17), 7, 9)
    fetched.run(_morning(_nov(18)))  # checks that the week's date did not move
    assert load_digest_dates(fetched.root)["2026-W46"] == datetime(2026, 11, 15, tzinfo=UTC)
    assert fetched.is_a_cold_build(tmp_path)


def test_items_published_before_dates_were_kept_keep_their_dates_when_they_come_back(
    fetched: Site, tmp_path: Path
) -> None:
    """Found by a review: a site of an older sitegen, whose items are dated by their day, once
    fetched, then a day hidden: the item it took out of the digest came back with the next
    fetch dated by it. The first fetch records the items it finds listed, as dated."""
    fetched.serve(_nov(12), 0, 2)
    fetched.serve(_nov(13), 2, 4)
    fetched.run(_morning(_nov(13), 20), [_nov(12), _nov(13)])
    fetched.run(_morning(_nov(14)))
    (fetched.root / "content" / "digests.toml").unlink()  # the content of an older sitegen
    fetched.published.clear()
    fetched.check(None)
    fetched.run(_morning(_nov(15)))  # the first fetch of the new one
    assert load_digest_dates(fetched.root)["2026-11-12"] == datetime(2026, 11, 12, tzinfo=UTC)
    fetched.hide(_nov(13))
    fetched.check(None)
    fetched.serve(_nov(16), 4, 6)
    fetched.run(_morning(_nov(17)))  # checks that the day's date did not move
    assert fetched.is_a_cold_build(tmp_path)


@pytest.mark.parametrize("held_back", [False, True])
@pytest.mark.parametrize("digests", ["none", "the demo's"])
def test_the_newest_day_an_older_sitegen_published_keeps_its_date_at_the_first_fetch(
    fetched: Site, tmp_path: Path, held_back: bool, digests: str
) -> None:
    """An upgrade trial (h10): a sitegen older than content/digests.toml and the "whole" mark
    of fetch-state.json listed every day in the daily digest, the newest too, dated by its
    day. The first fetch after the update held the newest day back as not had whole, then
    dated it by its own run: a week on in the trial, the item read twice by a reader that
    goes by dates. One that marked days whole (`held_back`) held the newest day back too: it
    comes out with the first fetch, dated by it. A fork that kept the demo is given the demo's
    content/digests.toml by the update, whose lines name none of its own days."""
    fetched.serve(_nov(12), 0, 2)
    fetched.serve(_nov(13), 2, 4)
    fetched.run(_morning(_nov(13), 20), [_nov(12), _nov(13)])  # the 13th not over yet
    digests_file = fetched.root / "content" / "digests.toml"  # the content of an older sitegen
    digests_file.unlink()
    if digests == "the demo's":
        shutil.copy(REPO / "content" / "digests.toml", digests_file)
    state = fetched.root / "content" / "fetch-state.json"
    state.write_text(json.dumps({"2026-11-12": {"whole": "yes"}} if held_back else {}))
    published = (12,) if held_back else (12, 13)
    fetched.published = {
        ("digest", f"2026-11-{day}"): datetime(2026, 11, day, tzinfo=UTC) for day in published
    }
    fetched.run(_morning(_nov(20)))  # the first fetch of the new one: checks no date moved
    assert fetched.dated_by("digest", "2026-11-13", _morning(_nov(20))) == held_back
    assert fetched.is_a_cold_build(tmp_path)


@pytest.mark.parametrize("line", ["2026-W24", "2026-03-14", "2026-06-12"])
def test_a_line_deleted_by_hand_comes_back_alone(site: Path, line: str) -> None:
    """A maintainer's trial: a line of the demo's content/digests.toml deleted by hand, then
    its listings ingested again. The line came back, dated by its day (docs/content.md: an
    item with no line gets one), and so did a line for the newest day, 2026-11-22, which no
    digest lists: the deletion was taken for a store of a sitegen older than these lines,
    which listed the newest day at once. Ingested again, the store is as it was. The line of
    the newest day listed (2026-06-12) did so still (another maintainer's trial)."""
    shutil.copytree(REPO / "content", site / "content")
    digests = site / "content" / "digests.toml"
    kept = digests.read_bytes()
    rewrite(digests, lambda text: re.sub(f"(?m)^{line} = .*\n", "", text))
    listings = sorted((site / "content" / "listings").iterdir())
    assert main(["--root", str(site), "ingest", *map(str, listings)]) == 0
    assert digests.read_bytes() == kept


def test_a_day_added_by_hand_brings_out_no_other_day(site: Path) -> None:
    """A maintainer's trial: a day file written by hand in the demo (2026-08-01, between its
    days), then its listings ingested again: the new day's items got their lines, and so did
    the newest day, 2026-11-22, which no digest lists (taken for a store of a sitegen older
    than these lines, which listed the newest day at once), its date fixed before it came."""
    shutil.copytree(REPO / "content", site / "content")
    title = "On the Limits of LLM Adaptability"
    (site / "content" / "days" / "2026-08-01.toml").write_text(
        f'day = 2026-08-01\npapers = [{{ id = "2606.00467", title = "{title}" }}]\n'
    )
    listings = sorted((site / "content" / "listings").iterdir())
    assert main(["--root", str(site), "ingest", *map(str, listings)]) == 0
    added = load_digest_dates(site).keys() - load_digest_dates(REPO).keys()
    assert added == {"2026-08-01", "2026-W31", "2026-08"}


def test_the_newest_day_hidden_leaves_the_day_before_in_the_digest(fetched: Site) -> None:
    """Found by a review: the newest day had whole, its papers all hidden, emptied the daily
    digest: the day before, had whole too, lost its item until a later day came."""
    fetched.serve(_nov(12), 0, 2)
    fetched.serve(_nov(13), 2, 4)
    fetched.run(_morning(_nov(13), 20), [_nov(12), _nov(13)])
    fetched.run(_morning(_nov(14)))
    assert {"2026-11-12", "2026-11-13"} <= {item for _, item in fetched.items()}
    fetched.hide(_nov(13))
    fetched.check(None)
    assert "2026-11-12" in {item for _, item in fetched.items()}


def test_digest_dates_are_kept_in_time_order_and_refused_at_their_line_when_wrong() -> None:
    dates = {
        "2026-W46": datetime(2026, 11, 16, 9, 47, tzinfo=UTC),
        "2026-11-13": datetime(2026, 11, 14, 9, 47, tzinfo=UTC),
        "2026-10": datetime(2026, 11, 2, 9, 47, tzinfo=UTC),
    }
    text = render_digest_dates(dates)
    assert text.splitlines()[-3:] == [
        "2026-10 = 2026-11-02T09:47:00Z",
        "2026-11-13 = 2026-11-14T09:47:00Z",
        "2026-W46 = 2026-11-16T09:47:00Z",
    ]
    assert parse_digest_dates(text, path="content/digests.toml") == dates
    edited = text.replace("2026-11-02T09:47:00Z", "2026-11-02T10:47:00+01:00")
    assert parse_digest_dates(edited, path="content/digests.toml") == dates
    lines = text.count("\n")
    for wrong, said in [
        ("2026-W54 = 2027-01-04T09:47:00Z", '"2026-W54" is no digest item'),
        ("2026-13 = 2027-01-04T09:47:00Z", '"2026-13" is no digest item'),
        ("2026-11-14 = 2026-11-15T09:47:00", "the time of 2026-11-14 must be a time with its zone"),
        ('2026-11-14 = "yesterday"', "the time of 2026-11-14 must be a time with its zone"),
        # Before year 1 in UTC (a review: a traceback).
        ("2026-11-14 = 0001-01-01T00:00:00+01:00", "the time of 2026-11-14 is no time a site"),
        ('"2026-11-14 " = 2026-11-15T09:47:00Z', '"2026-11-14 " is no digest item'),
    ]:
        with pytest.raises(ContentError) as refused:
            parse_digest_dates(text + wrong + "\n", path="content/digests.toml")
        assert said in refused.value.message
        assert refused.value.location is not None and refused.value.location.line == lines + 1


@pytest.mark.parametrize("kind", ["directory", "fifo", "device"])
def test_a_digests_file_that_is_no_file_stops_the_build_in_one_line(
    tiny_built: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    """A directory, a FIFO or /dev/zero where content/digests.toml belongs: one line naming it,
    with the hint to move it away (a FIFO would hang a build, /dev/zero eat its memory), and
    public/ as it was."""
    digests = tiny_built / "content" / "digests.toml"
    digests.unlink(missing_ok=True)
    if kind == "directory":
        digests.mkdir()
    elif kind == "fifo":
        os.mkfifo(digests)
    else:
        digests.symlink_to("/dev/zero")
    before = tree_bytes(tiny_built / "public")
    assert main(["--root", str(tiny_built), "build"]) == 2
    said = capsys.readouterr().err.splitlines()
    assert said[0].startswith("sitegen: error: content/digests.toml: cannot read it: "), said
    assert said[1:] == ["  hint: it is a file sitegen fetch writes: move what is there away"]
    assert tree_bytes(tiny_built / "public") == before
