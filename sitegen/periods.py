"""Weeks and months of featured days, and their top papers by upvotes (pure).

A period is an ISO week (Monday to Sunday) or a calendar month that featured at least one day.
The period holding the newest day is open: days may still arrive in it, so its ranking may
change; so is one holding a day a fetch missed while it was new and will try again.
Every other one is closed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import date, timedelta
from itertools import chain
from typing import NamedTuple

from sitegen.dates import iso_month, month_day, month_name
from sitegen.model import Appearance, Papers, most_upvotes

WEEK, MONTH = "week", "month"
TOP_PAPERS = {WEEK: 20, MONTH: 30}  # papers a period's page and feeds list
DIGEST_PERIODS = 12  # closed weeks in the weekly digest feed, closed months in the monthly


class Period(NamedTuple):
    kind: str  # WEEK or MONTH
    first: date
    last: date  # inclusive

    @property
    def slug(self) -> str:
        """ "2026-W47" or "2026-11": the period's URL name."""
        if self.kind == WEEK:
            year, week, _ = self.first.isocalendar()
            return f"{year}-W{week:02d}"
        return iso_month(self.first)

    @property
    def name(self) -> str:
        """ "Week 47 of 2026 (Nov 16 to 22)" or "November 2026"."""
        if self.kind == MONTH:
            return month_name(self.first)
        year, week, _ = self.first.isocalendar()
        start, end = month_day(self.first), f"{self.last.day}"
        if self.last.month != self.first.month:
            end = month_day(self.last)
        return f"Week {week} of {year} ({start} to {end})"

    def holds(self, day: date) -> bool:
        return self.first <= day <= self.last


def period_of(day: date, kind: str) -> Period:
    """The week or month `day` falls in."""
    if kind == WEEK:
        monday = day - timedelta(days=day.weekday())
        return Period(WEEK, monday, monday + timedelta(days=6))
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return Period(MONTH, first, following - timedelta(days=1))


# Papers with the upvotes a day or a period ranks them by where those are not the paper's own
# (a paper featured again: what the day recorded, sitegen.site._upvotes_recorded).
Counts = tuple[tuple[str, int | None], ...]


class PeriodListing(NamedTuple):
    """A period and the papers its days featured."""

    period: Period
    papers: Papers  # every paper featured in it, once, by its first day there and rank
    open: bool  # it holds the newest day, or one a fetch will try again: more may come
    days: tuple[Papers, ...]  # the papers of each of its days, oldest first
    again: Counts  # the most its days ranked them by, where they ranked none by its own


def periods(
    days: Iterable[tuple[date, Papers, Counts]], kind: str, *, awaited: Collection[date] = ()
) -> tuple[PeriodListing, ...]:
    """The periods of `kind` of the featured `days` ((day, papers in rank order, the counts it
    ranked papers featured again by: DayListing.again), newest first), newest first. A period
    holding one of the `awaited` days (missed by a fetch while they were new, to be tried
    again: fetch_state.awaited_days) stays open too (found by reviews: closed short of that
    day, its top papers changed under a published item)."""
    found: dict[Period, list[tuple[date, Papers, Counts]]] = {}
    oldest_first = sorted(days)  # a paper counts from its first day here
    for day in oldest_first:
        found.setdefault(period_of(day[0], kind), []).append(day)
    return tuple(
        PeriodListing(
            period,
            featured(papers for _, papers, _ in listed),
            is_open(period, oldest_first[-1][0], awaited),  # there is a day: the newest
            tuple(papers for _, papers, _ in listed),
            _most_again(listed),
        )
        for period, listed in sorted(found.items(), reverse=True)
    )


def is_open(period: Period, newest: date, awaited: Collection[date]) -> bool:
    """Whether days may still come to `period`: it holds the site's `newest` day, or a day
    missed while it was new, to be tried again (`awaited`)."""
    return period.holds(newest) or any(map(period.holds, awaited))


def _most_again(days: list[tuple[date, Papers, Counts]]) -> Counts:
    """The counts of papers featured again a period ranks by: the most its days ranked each
    by, of those no day of it ranked by their own (which is at least any other)."""
    most: dict[str, int | None] = {}
    for _, _, again in days:
        for paper_id, count in again:
            most[paper_id] = most_upvotes(most.get(paper_id), count)
    if not most:
        return ()
    for _, papers, again in days:
        own = set(papers).difference(paper_id for paper_id, _ in again)
        for paper_id in own.intersection(most):
            del most[paper_id]
    return tuple(most.items())


def featured(days: Iterable[Papers]) -> Papers:
    """The papers of `days` (oldest first), each once, by its first day there and rank."""
    return Papers(dict.fromkeys(chain.from_iterable(days)))


def ranked_count(
    paper_id: str, upvotes: Mapping[str, int | None], again: Mapping[str, int | None]
) -> int | None:
    """The upvotes a day or a period ranks a paper by, and its cards and digests show: the
    count of `again` for a paper featured again (DayListing.again, PeriodListing.again), else
    the paper's own."""
    return again.get(paper_id, upvotes[paper_id])


def rank_by_upvotes(
    papers: Iterable[str], upvotes: Mapping[str, int | None], again: Counts = ()
) -> tuple[str, ...]:
    """`papers` (in the order they were featured) by upvotes, most first, those of `again`
    by the count it gives them (`ranked_count`). Ties keep the featured order (a stable
    sort); papers with no upvote count (text listings may lack one) come last."""
    recorded = dict(again)

    def most_first(paper_id: str) -> int:  # counts are never negative: none sorts after 0
        count = ranked_count(paper_id, upvotes, recorded)
        return 1 if count is None else -count

    return tuple(sorted(dict.fromkeys(papers), key=most_first))


def top_papers(
    kind: str, papers: Papers, again: Counts, upvotes: Mapping[str, int | None]
) -> tuple[str, ...]:
    """A period's top papers (`TOP_PAPERS`) of its `papers`, most upvoted first: by their
    `upvotes`, but those it ranks papers featured again by (PeriodListing.again)."""
    return rank_by_upvotes(papers, upvotes, again)[: TOP_PAPERS[kind]]


def first_in(period: Period, appearances: Iterable[Appearance]) -> Appearance:
    """A paper's first appearance in `period` (it has one): when a period's feed dates it."""
    return next(a for a in appearances if period.holds(a.day))
