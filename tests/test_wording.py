"""Counts said as a reader says them: the command line printed "1 day(s)", "1 new paper(s)"."""

import dataclasses
from datetime import date, timedelta
from pathlib import Path

import pytest

from sitegen.build import PapersWithoutArea
from sitegen.fetch import DayOutcome, FetchReport
from sitegen.publish import PublishReport
from sitegen.reports import (
    build_changes,
    print_fetch_report,
    print_ingest_report,
    say_build_notes,
    say_built,
)
from sitegen.store_writes import IngestReport
from sitegen.wording import counted
from tests.conftest import build_report


def test_a_count_of_one_is_singular_and_any_other_plural() -> None:
    assert [counted(n, "day") for n in (0, 1, 2)] == ["0 days", "1 day", "2 days"]
    assert counted(1, "entry", "entries") == "1 entry"
    assert counted(3, "entry", "entries") == "3 entries"
    assert counted(1, "new paper") == "1 new paper"


def test_a_fetch_of_years_of_days_groups_both_counts_of_its_summary(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A backfill of four years (`sitegen fetch --since`) said "fetched 1461 of 1,461 days":
    `counted` groups its number by thousands (1ac4cf6), the count beside it did not."""
    first = date(2022, 1, 1)
    days = tuple(DayOutcome(day=first + timedelta(days=n), status="empty") for n in range(1461))
    print_fetch_report(FetchReport(days=days), held=frozenset(), scheduled=False)
    assert "fetched 1,461 of 1,461 days;" in capsys.readouterr().out


def test_papers_without_an_area_in_the_thousands_are_grouped_as_the_site_is(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A taxonomy kept without its `fallback` area on a six-year site: "1200 of 27,387 papers
    have no area" grouped one count of the line and not the other."""
    ids = tuple(f"2608.{n:05d}" for n in range(1200))
    say_build_notes(
        build_report(
            newest_day=date(2026, 8, 3),
            without_area=PapersWithoutArea(ids=ids, of=27387, fallback=None),
        )
    )
    assert "sitegen: note: 1,200 of 27,387 papers have no area" in capsys.readouterr().err


def test_an_ingest_into_a_store_of_thousands_of_papers_groups_their_count(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Each day's ingest into a six-year site said "3 new papers, 27387 in all" beside counts
    grouped by thousands."""
    report = IngestReport(new_papers=3, papers=27387, written=[])
    print_ingest_report(report, [], today=date(2026, 12, 7), latest=date(2026, 12, 7))
    assert "3 new papers, 27,387 in all;" in capsys.readouterr().out


def test_a_build_of_thousands_of_pages_groups_every_count_it_says(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A six-year site's build said "built 152034 pages and 2113 feeds ... all 154147 files
    rendered and 154203 written" beside a search index of "27,387 papers indexed" (a review)."""
    report = build_report(
        pages=152034, feeds=2113, files=154147, rendered=1204, removed=1001, full=False,
        written=PublishReport(1530, 9_000_000),
    )  # fmt: skip
    say_built(report, Path("public"), 1.5)
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == [
        "built 152,034 pages and 2,113 feeds into public in 1.50 s",
        "  1,204 of 154,147 files rendered (the rest were up to date), 1,530 written (9.0 MB),"
        " 1,001 removed",
    ]
    full = dataclasses.replace(report, rendered=154147, full=True)
    assert build_changes(full).startswith("all 154,147 files rendered and 1,530 written")


def test_days_failed_and_days_not_fetched_are_all_said_to_be_asked_again(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A review: after "2 days FAILED and skipped: ...; 1 day not fetched: ...", "the next runs
    ask again for them" read as the day not fetched alone."""
    first = date(2026, 8, 1)
    statuses = ("papers", "failed", "failed", "not fetched")
    days = tuple(
        DayOutcome(day=first + timedelta(days=n), status=status)
        for n, status in enumerate(statuses)
    )
    print_fetch_report(FetchReport(days=days), held=frozenset(), scheduled=False)
    assert (
        capsys.readouterr()
        .out.rstrip()
        .endswith(
            "2 days FAILED and skipped: 2026-08-02, 2026-08-03; 1 day not fetched: 2026-08-04;"
            " the next runs ask again for all 3"
        )
    )


def test_a_builds_files_kept_and_made_again_in_the_thousands_are_grouped(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A review of 1fb4b4c, which grouped "a build's own lines": its lines of files kept and
    of files made again (a folder of public/ deleted by hand) still said "1000 files"."""
    paths = tuple(f"papers/2608.{n:05d}/index.html" for n in range(1000))
    report = build_report(
        pages=1000, files=1000, rendered=1000, written=PublishReport(1000, 0), full=False,
        kept=paths, remade=paths,
    )  # fmt: skip
    say_built(report, Path("public"), 1.5)
    out = capsys.readouterr().out
    assert "  kept 1,000 files sitegen did not make: " in out
    assert "  made again 1,000 files changed or deleted by hand in public: " in out


def test_a_thousand_days_failed_and_not_fetched_are_all_said_grouped(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """aebd39e's "the next runs ask again for all N" beside "1,000 days ..." said "all 1000"."""
    first = date(2024, 1, 1)
    statuses = ["papers"] + ["failed", "not fetched"] * 500  # one had: the rest are retried
    days = tuple(
        DayOutcome(day=first + timedelta(days=n), status=status)
        for n, status in enumerate(statuses)
    )
    print_fetch_report(FetchReport(days=days), held=frozenset(), scheduled=False)
    assert capsys.readouterr().out.rstrip().endswith("the next runs ask again for all 1,000")
