"""The site model: what every page and feed lists, assembled once from the content (pure).

The day files decide which papers a day featured and in what order; a paper's days and its
place in feeds are derived from them, so no page can contradict another.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sitegen.config import SiteConfig
from sitegen.dates import iso_month
from sitegen.model import (
    Appearance,
    ContentSnapshot,
    Paper,
    Papers,
    PlainEntry,
    Topic,
    most_upvotes,
    utc_moment,
)
from sitegen.periods import (
    DIGEST_PERIODS,
    MONTH,
    WEEK,
    Counts,
    Period,
    PeriodListing,
    is_open,
    period_of,
    periods,
    rank_by_upvotes,
)
from sitegen.topics import assign_topics, compile_topics
from sitegen.trends import Trend, trend


@dataclass(frozen=True, slots=True, kw_only=True)
class DayListing:
    day: date
    papers: Papers  # paper ids in rank order: the most upvoted first (rank_by_upvotes)
    # Its papers featured on other days too, with the upvotes it ranks them by, where they
    # are not the paper's own (_upvotes_recorded).
    again: Counts = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class TopicListing:
    """A topic's papers, paged so that new papers never move old ones to another page.

    Archive pages are full blocks of `page_size` papers numbered from the oldest (page 1), so a
    page, once made, keeps its papers and a reader's link keeps pointing at them; the front page
    holds the newest rest, `page_size` to 2 × `page_size` − 1 papers (fewer while the topic is
    small). A new day changes the front page alone, and now and then adds an archive page.
    """

    topic: Topic
    papers: tuple[str, ...]  # paper ids, newest first
    trend: Trend | None = None  # its papers per month; none while the site has no day
    per_year: tuple[tuple[int, int], ...] = ()  # (year, its papers), newest first

    def archive_pages(self, page_size: int) -> int:
        return max(0, len(self.papers) // page_size - 1)

    def year_pages(self, page_size: int) -> tuple[tuple[int, int], ...]:
        """(year, the archive page its newest paper is on) of each year that begins in the
        archive, newest first: a reader of a topic six years old was hundreds of "Older" taps
        from its papers of a year."""
        found, newer = [], 0  # papers of the years after
        for year, count in self.per_year:
            page = (len(self.papers) - 1 - newer) // page_size + 1
            if page <= self.archive_pages(page_size):
                found.append((year, page))
            newer += count
        return tuple(found)

    def front_page(self, page_size: int) -> tuple[str, ...]:
        """The papers the topic's own page lists, newest first."""
        return self.papers[: len(self.papers) - self.archive_pages(page_size) * page_size]

    def archive_page(self, number: int, page_size: int) -> tuple[str, ...]:
        """Archive page `number` (1 holds the oldest papers), newest first."""
        end = len(self.papers) - (number - 1) * page_size
        return self.papers[end - page_size : end]


@dataclass(frozen=True, slots=True, kw_only=True)
class DigestItems:
    """What the digest feeds list: the daily digest's days, the weekly and monthly digests'
    closed weeks and months, each newest first (outputs.DigestFeed, outputs.PeriodDigestFeed;
    sitegen.digest_dates records when each came out)."""

    days: tuple[date, ...] = ()
    weeks: tuple[Period, ...] = ()
    months: tuple[Period, ...] = ()

    def by_name(self) -> dict[str, date]:
        """Each item by its name in content/digests.toml (2026-11-09, 2026-W46, 2026-11), to
        the day it is dated by when no line gives its time: its own, its period's last."""
        days = {day.isoformat(): day for day in self.days}
        return days | {p.slug: p.last for p in self.weeks + self.months}

    def periods(self, kind: str) -> tuple[Period, ...]:
        """The items of the weekly (WEEK) or monthly digest."""
        return self.weeks if kind == WEEK else self.months


def digest_items(
    days: Sequence[date],
    *,
    whole: Collection[date],
    awaited: Collection[date],
    digest_days: int,
) -> DigestItems:
    """The digests' items of a site showing `days` (newest first). The daily digest holds the
    latest `digest_days` days but the newest, which may still be filling (the workflow fetches
    today early), unless a fetch had it after it ended (`whole`), and but those `awaited`: a
    reader marks an item read, and does not see it grow. The window is counted before the
    awaited days are taken out: reaching back past one, it brought an item dropped before back.
    The weekly and monthly ones hold the latest DIGEST_PERIODS closed weeks and months
    (periods.is_open)."""
    if not days:
        return DigestItems()
    newest = days[0]
    # Had whole as Site.had_whole says: a day whose papers are all hidden is shown no more,
    # and the day before it, had whole too, kept its item.
    start = 0 if any(newest <= day for day in whole) else 1
    window = [day for day in days[start : start + digest_days] if day not in awaited]

    def closed(kind: str) -> tuple[Period, ...]:
        held = sorted({period_of(day, kind) for day in days}, reverse=True)
        return tuple(p for p in held if not is_open(p, newest, awaited))[:DIGEST_PERIODS]

    return DigestItems(days=tuple(window), weeks=closed(WEEK), months=closed(MONTH))


def shown_days(
    entries: Mapping[date, Sequence[PlainEntry]], papers: Collection[str], hidden: Collection[str]
) -> list[date]:
    """The days a site shows, newest first (assemble_site's rule): those listing a paper held
    (`papers`, by id) and not hidden."""
    return sorted(
        (
            day
            for day, listed in entries.items()
            if any(e[0] in papers and e[0] not in hidden for e in listed)
        ),
        reverse=True,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Site:
    """What every page and feed lists, by paper id; `papers` holds the papers themselves."""

    config: SiteConfig
    papers: Mapping[str, Paper]  # by id; may read each paper only when it is looked up
    days: tuple[DayListing, ...]  # newest first
    topics: tuple[TopicListing, ...]  # in site.toml order
    newest: tuple[str, ...]  # every featured paper, newest first
    ids: tuple[str, ...]  # every paper, featured or not, sorted
    unfeatured: tuple[str, ...]  # the papers no day lists, sorted
    paper_topics: Mapping[str, tuple[str, ...]]  # paper id -> topic slugs
    appearances: Mapping[str, tuple[Appearance, ...]]  # paper id -> its days, oldest first
    digests: Mapping[str, str]  # paper id -> digest of its file (what it is made of)
    titles: Mapping[str, str]  # paper id -> its title, without reading the paper
    upvotes: Mapping[str, int | None]  # paper id -> its upvotes, without reading the paper
    periods: Mapping[str, tuple[PeriodListing, ...]]  # WEEK, MONTH -> each, newest first
    late_days: Mapping[date, date]  # days that came after a later one: to the newest day then
    awaited: frozenset[date]  # days to be fetched again that hold their periods open
    whole: frozenset[date]  # days a fetch had after they ended (see had_whole)
    filling: frozenset[date]  # days a fetch had only before they ended
    # day -> paper id -> when a fetch brought it, of the day entries that say (DayEntry.added),
    # in seconds since the epoch (ContentSnapshot.entries_added)
    added: Mapping[date, Mapping[str, int]]
    # digest item (2026-11-09, 2026-W46, 2026-11) -> when it first came out, of those a fetch
    # recorded (content/digests.toml)
    digest_dates: Mapping[str, datetime]
    digest_listing: DigestItems  # what the digest feeds list (digest_items)
    # The files of static/, published as they are: (path under the site, file, size and time)
    own_files: tuple[tuple[str, str, str], ...]
    # The files of templates/ published as they are (the stylesheet, the icon): name -> a
    # digest of its bytes, their outputs' key (sitegen.outputs.StaticFile)
    copied: Mapping[str, str]

    def featured_at(self, paper_id: str, day: date) -> datetime:
        """When the paper's item of `day` is dated, in feeds: its entry's `added` (when a fetch
        first brought it, and the time to publish it: the rest of a day comes the next
        morning, hours after the day began), or for an entry that does not say, its day's
        start. Not by rank: a day fetched again in a new order (upvotes move) would change the
        dates of items already published, which some readers show again as updated."""
        return self.added_at(paper_id, day) or day_moment(day)

    def added_at(self, paper_id: str, day: date) -> datetime | None:
        """The `added` of the paper's entry on `day`, if it says one."""
        seconds = self.added.get(day, {}).get(paper_id)
        return None if seconds is None else utc_moment(seconds)

    def digest_dated(self, item: str, day: date) -> datetime:
        """When a digest item (its name, as DigestItems.by_name) is dated: when it first came out,
        if a fetch recorded it (a day's item comes with the run after the day, a week's with
        the first day after it: dated by their day, they were a day and more older than a
        reader's last poll), else by `day` (its day, or its period's last day)."""
        at = self.digest_dates.get(item)
        return day_moment(day) if at is None else at

    def had_whole(self, day: date) -> bool:
        """Whether a fetch had `day` with every paper it will list: the newest day marked
        whole, and every day before it but those still awaited. content/fetch-state.json keeps
        only the newest mark: a feed dated by the end of the day marked before went back a day
        when the mark moved on."""
        return bool(self.whole) and day <= max(self.whole) and day not in self.awaited


# Each paper's topics, for the papers of the snapshot given by id (a build caches them).
TopicAssigner = Callable[[ContentSnapshot, list[str], tuple[Topic, ...]], list[tuple[str, ...]]]


def assign_all_topics(papers: list[Paper], taxonomy: tuple[Topic, ...]) -> list[tuple[str, ...]]:
    """Each paper's topics, in order."""
    matcher = compile_topics(taxonomy)
    return [assign_topics(paper, matcher) for paper in papers]


def _assign_each(
    snapshot: ContentSnapshot, ids: list[str], taxonomy: tuple[Topic, ...]
) -> list[tuple[str, ...]]:
    return assign_all_topics([snapshot.papers[i] for i in ids], taxonomy)


def assemble_site(
    snapshot: ContentSnapshot,
    config: SiteConfig,
    *,
    assign: TopicAssigner = _assign_each,
    awaited: frozenset[date] = frozenset(),
    whole: frozenset[date] = frozenset(),
    filling: frozenset[date] = frozenset(),
    digest_dates: Mapping[str, datetime] | None = None,
    own_files: tuple[tuple[str, str, str], ...] = (),
    copied: Mapping[str, str] | None = None,
) -> Site:
    """Order and group the content for rendering (`assign` may cache or spread topic matching).
    `awaited`: the days a fetch missed while they were new and will try again
    (sitegen.fetch_state.awaited_days); `whole`: the days a fetch had after they ended
    (sitegen.fetch_state.whole_days); `filling`: those it had only before they ended
    (sitegen.fetch_state.filling_shown); `digest_dates`: when each digest item came out
    (sitegen.digest_dates.load_digest_dates); `own_files`: static/'s (sitegen.own_files);
    `copied`: the digests of the files of templates/ published as they are (Site.copied)."""
    # Each id as the one object the papers' mapping holds, not the day file's copy: the plan
    # looks up 300,000 states by id, each then found by identity (the rebuild budget, under
    # 2 s at 50k papers).
    known = {paper_id: paper_id for paper_id in snapshot.papers if paper_id not in config.hidden}
    appearances: dict[str, tuple[Appearance, ...]] = {}
    days: list[DayListing] = []
    firsts: list[list[str]] = []  # of each day: the papers it was the first to feature
    listed = snapshot.day_entries
    featured_again = _featured_again(listed)
    for day in sorted(listed):
        again = _upvotes_recorded(listed[day], snapshot.upvotes, featured_again)
        # A paper file deleted by hand takes the paper off the site, as [content] hidden does;
        # its day entry is left behind.
        unique = [k for i in dict.fromkeys([e[0] for e in listed[day]]) if (k := known.get(i))]
        if not unique:
            continue
        # Most upvoted first, as Hugging Face shows a day (its API lists them otherwise: a
        # reader scrolled past 27 cards to the paper everyone read); no count, listing order.
        unique = list(rank_by_upvotes(unique, snapshot.upvotes, again))
        first = []
        for rank, paper_id in enumerate(unique, start=1):
            found = appearances.get(paper_id)
            if found is None:
                appearances[paper_id] = (Appearance(day=day, rank=rank),)
                first.append(paper_id)
            else:  # a paper featured again: rare
                appearances[paper_id] = (*found, Appearance(day=day, rank=rank))
        firsts.append(first)
        days.append(DayListing(day=day, papers=Papers(unique), again=again))
    days.reverse()
    # Newest first: by the first day a paper was featured, then its rank there (the loop met
    # them in that order, oldest day first).
    newest = [paper_id for first in reversed(firsts) for paper_id in first]
    ids = sorted(known)
    paper_topics = dict(zip(ids, assign(snapshot, ids, config.topics), strict=True))
    by_topic: dict[str, list[str]] = {topic.slug: [] for topic in config.topics}
    # Each topic's papers per month that first featured them, counted as they are listed:
    # its trend (the rebuild budget, under 2 s at 50k papers: each paper's first day looked
    # up again took 0.06 s).
    per_month: dict[str, dict[date, int]] = {slug: {} for slug in by_topic}
    for listing, first in zip(days, reversed(firsts), strict=True):
        month = listing.day.replace(day=1)
        for paper_id in first:
            for slug in paper_topics[paper_id]:
                by_topic[slug].append(paper_id)
                counted = per_month[slug]
                counted[month] = counted.get(month, 0) + 1
    held = {listing.day.replace(day=1) for listing in days}  # months with data
    return Site(
        config=config,
        papers=snapshot.papers,
        days=tuple(days),
        topics=tuple(
            TopicListing(
                topic=t,
                papers=tuple(by_topic[t.slug]),
                trend=trend(per_month[t.slug], days[0].day, days[-1].day, held) if days else None,
                per_year=_per_year(per_month[t.slug]),
            )
            for t in config.topics
        ),
        newest=tuple(newest),
        ids=tuple(ids),
        unfeatured=tuple(sorted(known.keys() - appearances.keys())),
        paper_topics=paper_topics,
        appearances=appearances,
        digests=snapshot.digests,
        titles=snapshot.titles,
        upvotes=snapshot.upvotes,
        periods={
            kind: periods([(d.day, d.papers, d.again) for d in days], kind, awaited=awaited)
            for kind in (WEEK, MONTH)
        },
        late_days=snapshot.late_days,
        awaited=awaited,
        whole=whole,
        filling=filling,
        added=snapshot.entries_added,
        digest_dates=digest_dates or {},
        digest_listing=digest_items(
            [listing.day for listing in days],
            whole=whole,
            awaited=awaited,
            digest_days=config.feeds.digest_days,
        ),
        own_files=own_files,
        copied=copied or {},
    )


def _upvotes_recorded(
    entries: Sequence[PlainEntry], upvotes: Mapping[str, int | None], featured_again: set[str]
) -> Counts:
    """The upvotes a day ranks its papers featured on other days too by, where they are not the
    paper's own: the count its day file recorded, capped by the paper's own (a hand edit counts
    everywhere); none if it recorded none. So a later day's higher count, or an edit of another
    day file, leaves a day and its closed week and month ranked as published (a subscriber's
    trial and two reviews: a closed week's feed gained an item), and a day listed without
    counts keeps its order (a reader's trial: a paper counted a year before ranked first of
    278). A paper of one day ranks by its own count (hand edits win)."""
    recorded: dict[str, int | None] = {}
    for paper_id, _, count in entries if featured_again else ():
        if paper_id in featured_again:
            recorded[paper_id] = most_upvotes(recorded.get(paper_id), count)  # listed twice
    found: dict[str, int | None] = {}
    for paper_id, most in recorded.items():
        own = upvotes.get(paper_id)
        count = None if most is None or own is None else min(most, own)
        if count != own:
            found[paper_id] = count
    return tuple(found.items())


def _featured_again(listed: Mapping[date, Sequence[PlainEntry]]) -> set[str]:
    """The papers on more than one day."""
    days = Counter(paper_id for entries in listed.values() for paper_id in {e[0] for e in entries})
    return {paper_id for paper_id, n in days.items() if n > 1}


def papers_by_month(site: Site) -> Mapping[str, tuple[str, ...]]:
    """The site's papers by the month ("YYYY-MM") of the first day that featured them, newest
    first, each month's in the site's order; those no day lists last, under ""."""
    return _papers_by_month(site.ids, site.days)


# Asked three times a build (the API's index and months, the search index): 0.04 s each at
# 50k papers, of the rebuild budget (under 2 s). Hashing its arguments takes a millisecond.
@functools.lru_cache(maxsize=1)
def _papers_by_month(
    ids: tuple[str, ...], days: tuple[DayListing, ...]
) -> dict[str, tuple[str, ...]]:
    month_of: dict[str, str] = {}
    for listing in days:  # newest first: a paper's first day is the last to set it
        month_of.update(dict.fromkeys(listing.papers, iso_month(listing.day)))
    found: dict[str, list[str]] = {}
    for paper_id in ids:
        found.setdefault(month_of.get(paper_id, ""), []).append(paper_id)
    return {month: tuple(found[month]) for month in sorted(found, reverse=True)}  # "" last


def day_moment(day: date) -> datetime:
    """When a day's items are dated: 00:00 UTC, as Hugging Face dates a day's papers
    (`submittedOnDailyAt`). Noon put the items of a build early in the day (the scheduled one)
    hours in the future, which readers pin above newer items."""
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


def _per_year(per_month: Mapping[date, int]) -> tuple[tuple[int, int], ...]:
    """(year, papers) from papers per month, newest first."""
    years: dict[int, int] = {}
    for month, count in per_month.items():
        years[month.year] = years.get(month.year, 0) + count
    return tuple(sorted(years.items(), reverse=True))
