"""The site model (pure): which papers each listing shows, in what order, and where."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from sitegen.config import parse_config
from sitegen.model import ContentSnapshot, Day, DayEntry, Paper
from sitegen.site import assemble_site, shown_days
from sitegen.sitemaps import sitemap_blocks
from sitegen.urls import Routes
from tests.conftest import REPO

CONFIG = parse_config((REPO / "site.toml").read_text(), source="site.toml")
IDS = [f"p{i}" for i in range(8)]


@given(
    listed=st.lists(st.lists(st.sampled_from([*IDS, "gone"]), max_size=6), max_size=6),
    stored=st.dictionaries(st.sampled_from(IDS), st.none() | st.integers(0, 3)),
    hidden=st.frozensets(st.sampled_from(IDS), max_size=2),
)
def test_newest_first_is_by_first_day_then_rank_then_id(
    listed: list[list[str]], stored: dict[str, int | None], hidden: frozenset[str]
) -> None:
    """A paper's rank is its place on the day's page: the most upvoted first, as Hugging Face
    shows a day; papers with no count after them, each group in listing order."""
    # Days may list a paper twice, or one whose file was deleted ("gone", or not stored).
    days = {
        date(2026, 1, 1) + timedelta(days=n): Day(
            day=date(2026, 1, 1) + timedelta(days=n),
            entries=tuple(DayEntry(paper_id=i, title=i, upvotes=stored.get(i)) for i in ids),
        )
        for n, ids in enumerate(listed)
    }
    held = {i: Paper(id=i, title=i, abstract="", upvotes=stored[i]) for i in sorted(stored)}
    snapshot = ContentSnapshot.of(held, days)
    config = dataclasses.replace(CONFIG, hidden=hidden)
    site = assemble_site(snapshot, config, assign=lambda _, ids, __: [() for _ in ids])
    # The rule the fetch applies to tell which digest items a run brings out (digest_dates).
    assert shown_days(snapshot.day_entries, held.keys(), hidden) == [d.day for d in site.days]
    papers = {i: paper for i, paper in held.items() if i not in hidden}

    first: dict[str, tuple[date, int]] = {}
    for day in sorted(days):
        listing = [i for i in dict.fromkeys(e.paper_id for e in days[day].entries) if i in papers]
        shown = sorted(
            listing,
            key=lambda i: (stored[i] is None, -(stored[i] or 0), listing.index(i)),
        )
        if shown:  # a day with no stored paper is no day of the site
            assert list(next(d.papers for d in site.days if d.day == day)) == shown
        for rank, paper_id in enumerate(shown, start=1):
            first.setdefault(paper_id, (day, rank))
    expected = sorted(first, key=lambda i: (-first[i][0].toordinal(), first[i][1], i))
    assert list(site.newest) == expected
    assert list(site.unfeatured) == sorted(papers.keys() - first.keys())
    assert [d.day for d in site.days] == sorted(
        (d for d in days if any(e.paper_id in papers for e in days[d].entries)), reverse=True
    )

    assert [paper_id for block in sitemap_blocks(site) for paper_id in block] == [
        *reversed(expected),
        *sorted(papers.keys() - first.keys()),
    ]


@given(st.from_regex(r"[a-z0-9][a-z0-9.-]{0,30}", fullmatch=True))
def test_a_paper_page_path_is_its_route_path(paper_id: str) -> None:
    # Planning asks paper_path for 50,000 papers; the pages link with paper(): one file.
    routes = Routes("https://example.org/")
    assert routes.paper_path(paper_id) == routes.paper(paper_id).path


def test_a_topics_trend_counts_each_paper_in_the_month_that_first_featured_it() -> None:
    listed = {
        date(2024, 1, 1): ["e"],  # before the trend's months
        date(2026, 9, 30): ["a", "b"],
        date(2026, 10, 1): ["a", "c"],  # "a" again: counted in September
        date(2026, 11, 3): ["d", "b"],
    }
    days = {
        day: Day(day=day, entries=tuple(DayEntry(paper_id=i, title=i) for i in ids))
        for day, ids in listed.items()
    }
    papers = {i: Paper(id=i, title=i, abstract="") for i in "abcde"}
    slug = CONFIG.topics[0].slug
    site = assemble_site(
        ContentSnapshot.of(papers, days),
        CONFIG,
        assign=lambda _, ids, __: [() if i == "c" else (slug,) for i in ids],
    )
    found = site.topics[0].trend
    assert found is not None and found.last_month == date(2026, 11, 1)
    assert found.counts[-3:] == (2, 0, 1)
    # The months before, of which the site holds no day: no data, not no papers.
    assert set(found.counts[:-3]) == {None}
    assert site.topics[0].papers == ("d", "a", "b", "e")
    assert all(t.trend is not None and t.trend.counts[-3:] == (0, 0, 0) for t in site.topics[1:])


def _ranked(days: dict[date, Day], counts: dict[str, int | None]) -> list[tuple[str, ...]]:
    """Each day's papers in rank order, oldest day first, and what it ranks papers featured
    again by where that is not their own count."""
    papers = {i: Paper(id=i, title=i, abstract="", upvotes=u) for i, u in counts.items()}
    snapshot = ContentSnapshot.of(papers, days)
    site = assemble_site(snapshot, CONFIG, assign=lambda _, ids, __: [() for _ in ids])
    return [(*d.papers, *(f"{i}={n}" for i, n in d.again)) for d in reversed(site.days)]


def _day(n: int, *entries: tuple[str, int | None]) -> Day:
    listed = tuple(DayEntry(paper_id=i, title=i, upvotes=u) for i, u in entries)
    return Day(day=date(2026, 6, n), entries=listed)


def test_a_paper_featured_again_ranks_on_a_day_by_the_count_that_day_recorded() -> None:
    """A paper featured again later with more upvotes, or a later day file edited or deleted,
    leaves an earlier day as it was published, and with it its closed week's and month's
    rankings and the feeds readers read (found by a subscriber's trial, then two reviews: a
    day with no count took the later day's), and a day with no counts keeps its listing order
    (a reader's trial: a count of a year before ranked the paper first of 278). A paper's own
    count lowered or deleted by hand counts on every day; a paper of one day ranks by its own."""
    first = _day(1, ("a", None), ("b", 5), ("c", 9), ("d", None), ("g", 3))
    second = _day(8, ("e", 1), ("a", 500), ("g", 300))
    third = _day(15, ("a", 40), ("f", 45))
    fourth = _day(22, ("h", None), ("a", None), ("i", None))
    counts: dict[str, int | None] = {
        "a": 500, "b": 5, "c": 2, "d": 7, "e": 1, "f": 45, "g": 300, "h": None, "i": None
    }  # fmt: skip
    days = {d.day: d for d in (first, second, third, fourth)}
    # "a" had no count on Jun 1: last; "c" lowered by hand and "d" given a count, each of one
    # day, count as theirs. On Jun 15 "a" had fewer than "f", and on Jun 22 no count.
    expected = [
        ("d", "b", "g", "c", "a", "a=None", "g=3"),
        ("a", "g", "e"),
        ("f", "a", "a=40"),
        ("h", "a", "i", "a=None"),
    ]
    assert _ranked(days, counts) == expected
    # The later day's counts edited: the first day as it was.
    edited = _day(8, ("e", 1), ("a", None), ("g", 200))
    assert _ranked({**days, edited.day: edited}, counts)[0] == expected[0]
    # Its later days deleted, a paper is of one day: its own count is what it ranks by.
    assert _ranked({first.day: first}, counts) == [("a", "g", "d", "b", "c")]
    # The paper's own count lowered by hand: no day ranks it above that.
    assert _ranked(days, {**counts, "a": 3})[:3] == [expected[0], ("g", "a", "e"), ("f", "a")]
    # Deleted by hand (unknown), it ranks last on every day that has counts.
    assert _ranked(days, {**counts, "a": None})[1:3] == [("g", "e", "a"), ("f", "a")]
