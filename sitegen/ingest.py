"""Merge listings into the content store, as pure values (issue #2).

One paper per arXiv id or title identity; its days accumulate, missing fields are filled, and
upvotes keep the highest count seen. A value a maintainer edited by hand is kept: for the
fill-only fields any present value is kept, and a paper's upvotes lowered by hand below the
highest count the day files recorded stay so (any other count gives way to a higher one).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sitegen.listings import Listing, ListingEntry
from sitegen.model import (
    ContentSnapshot,
    Day,
    DayEntry,
    Paper,
    PaperKeys,
    PlainEntry,
    arxiv_identity,
    kept_order,
    most_upvotes,
    slug_for_title,
    title_key,
    without_plus_and_hash,
)


@dataclass(frozen=True, slots=True)
class StoreIndex:
    """What merging asks about the stored papers: which has this arXiv id or title, and what
    upvotes the days recorded. Ties go to the smallest paper id, and a paper's own title wins
    over a title a day listed it under."""

    arxiv: Mapping[str, str]
    titles: Mapping[str, str]
    upvotes: Mapping[str, int | None]  # the highest each day recorded, of every paper listed
    shared: frozenset[str] = frozenset()  # title keys of more than one paper

    @classmethod
    def of(
        cls,
        keys: Mapping[str, PaperKeys],
        days: Iterable[Sequence[PlainEntry]],
        titles: Mapping[str, str],
    ) -> StoreIndex:
        """The index of the stored papers (`keys`, with their own `titles`) and the days that
        listed them (each day's entries, ContentSnapshot.day_entries)."""
        arxiv: dict[str, str] = {}
        own_titles: dict[str, str] = {}
        shared: set[str] = set()
        for paper_id in sorted(keys):
            arxiv_id, key = keys[paper_id]
            if arxiv_id:
                arxiv.setdefault(arxiv_id, paper_id)
            if own_titles.setdefault(key, paper_id) != paper_id:
                shared.add(key)
        listed_titles: dict[str, str] = {}
        upvotes: dict[str, int | None] = {}
        # Inline, not a call per day entry: 50,000 of them at 50k papers (the ingest budget,
        # under 1 s).
        for entries in days:
            for paper_id, listed_title, count in entries:
                held_count = upvotes.get(paper_id)
                if held_count is None or (count is not None and count > held_count):
                    upvotes[paper_id] = count
                # Listed under its own title (most are), its key is its own, which wins: one
                # title_key fewer per day entry.
                if listed_title != titles.get(paper_id) and paper_id in keys:
                    key = title_key(listed_title)
                    held = listed_titles.get(key)
                    if held is None or paper_id < held:
                        listed_titles[key] = paper_id
                    if held is not None and held != paper_id:
                        shared.add(key)
        for key, paper_id in listed_titles.items():
            if own_titles.setdefault(key, paper_id) != paper_id:
                shared.add(key)
        return cls(arxiv=arxiv, titles=own_titles, upvotes=upvotes, shared=frozenset(shared))


@dataclass(frozen=True, slots=True)
class Merged:
    """What merging changed: the papers and days it made or merged into."""

    papers: dict[str, Paper]  # new or merged papers, by id
    days: dict[date, Day]  # days listed
    new_papers: int
    # Two titles of one listing taken as one paper, their words being the same (up to case
    # and punctuation: "C++" and "C#"): (day, the first, the other), for the user to check.
    one_title: tuple[tuple[date, str, str], ...] = ()
    # Papers held before on no day, that a listing put on one: (day, paper id), for the user
    # to check (found by a review: an entry taken off by hand came back in silence).
    put_back: tuple[tuple[date, str], ...] = ()
    # Papers a new listing titles otherwise than their files and the listings the store keeps
    # the titles of (a day's first): (day, id, the listing's title, the file's), the file's
    # kept (a hand edit, or a typo the source fixed since: dropped in silence before).
    retitled: tuple[tuple[date, str, str, str], ...] = ()


# A listing adding this many papers or more to a day, every one already on one other day, is
# that day's listing under a wrong date: real days share a few papers, never all of ten.
_MIN_PAPERS_OF_A_COPIED_DAY = 10


def repeated_day(before: ContentSnapshot, merged: Merged) -> tuple[date, date, int] | None:
    """(the day, the other day held before, how many) when the papers the merge adds to a day
    are all on another day's listing already: a listing ingested with a wrong --date (found by
    a new user's trial, which filed the same 278 papers under two days, and by the next one,
    which merged a day's papers into another day held)."""
    for day, listed in sorted(merged.days.items()):
        held_here = before.days.get(day)
        ids = {entry.paper_id for entry in listed.entries} - (
            {entry.paper_id for entry in held_here.entries} if held_here else set()
        )
        if len(ids) < _MIN_PAPERS_OF_A_COPIED_DAY or not ids <= before.papers.keys():
            continue
        for other, held in before.days.items():
            if other != day and ids <= {entry.paper_id for entry in held.entries}:
                return day, other, len(ids)
    return None


def ingest_listings(
    snapshot: ContentSnapshot,
    listings: Iterable[tuple[Listing, str | None]],
    *,
    topics: tuple[str, ...] = (),
    mark_late: bool = False,
    feed_days: int | None = None,
    added: datetime | None = None,
) -> Merged:
    """Merge (listing, kept source) pairs in order into the store; only the papers merging
    touches are read from `snapshot.papers`. `mark_late`: the run is a scheduled fetch, and a
    new day older than the newest day held after it came late, and says so (Day.arrived_after):
    a retried miss, or a day before the newest of a run that brought several (after runs that
    failed). So does a day held before that gains papers when it is past the feeds' window
    (`feed_days`, [feeds] days): one first fetched while it was filling, completed late.
    `added`: when the fetch had them, the time each entry new to its day says (DayEntry.added),
    on any day of a scheduled fetch, and of another on the days no older than the newest held
    before it, or held with entries so dated: a day older is history filled in, which feeds
    do not repeat.
    """
    listings = list(listings)
    before = max(snapshot.days, default=None)
    held_after = frozenset([*snapshot.days, *(listing.day for listing, _ in listings)])
    merger = _Merger(
        snapshot,
        newest_before=before,
        newest=max(held_after, default=None) if mark_late else None,
        held_after=held_after,
        feed_days=feed_days,
        added=added,
    )
    for listing, source in listings:
        merger.add(listing, source=source, topics=topics)
    return Merged(
        papers=merger.papers,
        days=merger.days,
        new_papers=merger.new_papers,
        one_title=tuple(merger.one_title),
        put_back=tuple(merger.put_back),
        retitled=tuple(merger.retitled),
    )


# A day a scheduled fetch gives papers, older than the newest day held after it and at most
# this many days older than the newest held before it (fetch's retry window counts so), came
# late, and feeds take its papers as new. A day ingested by hand or fetched by date is
# history filled in, which feeds do not repeat.
LATE_WITHIN_DAYS = 14
# The polls in a row a reader may miss and still see every paper (docs/building.md, Feeds).
_POLLS_MISSED = 2


class _Merger:
    def __init__(
        self,
        snapshot: ContentSnapshot,
        *,
        newest_before: date | None,
        newest: date | None,
        held_after: frozenset[date] = frozenset(),
        feed_days: int | None = None,
        added: datetime | None = None,
    ) -> None:
        self.stored = snapshot
        self.added = added
        self.newest_before = newest_before
        self.newest = newest  # held after the run, when it marks late days
        self.held_after = held_after
        self.feed_days = feed_days
        self.papers: dict[str, Paper] = {}  # made or changed by this run
        self.days: dict[date, Day] = {}
        self.new_papers = 0
        self.index = _RunIndex(
            StoreIndex.of(snapshot.keys, snapshot.day_entries.values(), snapshot.titles), self
        )
        self.recorded_upvotes: dict[str, int | None] = {}  # as changed by this run
        self.one_title: list[tuple[date, str, str]] = []  # see Merged
        self.put_back: list[tuple[date, str]] = []  # see Merged
        self.retitled: list[tuple[date, str, str, str]] = []  # see Merged
        self._listed: dict[str, set[str]] | None = None  # see listed_keys
        # (paper, field) this run filled, deleted by hand: a count a replay may raise on, a
        # text capture's abstract an API answer may give paragraphs (see _merge).
        self._refilled: dict[str, set[str]] = {}  # paper id -> fields

    def paper(self, paper_id: str) -> Paper | None:
        return self.papers.get(paper_id) or self.stored.papers.get(paper_id)

    def add(self, listing: Listing, *, source: str | None, topics: tuple[str, ...]) -> None:
        previous_day = self.days.get(listing.day) or self.stored.days.get(listing.day)
        sources = previous_day.sources if previous_day else ()
        old = previous_day.entries if previous_day else ()
        # A listing the day has taken before (replayed, or fetched again unchanged) leaves the
        # day as it is: what differs from it there is a hand edit (a paper taken off the day,
        # a count lowered). It still fills the papers the day lists.
        known = source is not None and source in sources
        on_the_day = frozenset(entry.paper_id for entry in old)
        listed: list[DayEntry] = []
        # Every day of a scheduled fetch (one that marks late days), and the newest days of
        # another: a backfill by --since that reaches them left their new papers dated by their
        # day for good. And a day published as news (an entry dated by its fetch) that another
        # fetch completes after a later day came (a trial: the rest of Dec 31, fetched by
        # --date after Jan 1, was dated before the papers published of it, as history).
        news = (
            self.newest is not None
            or (self.newest_before is not None and listing.day >= self.newest_before)
            or any(entry.added is not None for entry in old)
        )
        fetched_at = self.added if news else None
        seen_ids: dict[str, int] = {}  # the papers listed, each to its place in `listed`
        for entry in listing.entries:
            existing = self.index.find(entry)
            paper_id = existing.id if existing else self.index.new_id(entry)
            if known and paper_id not in on_the_day:  # taken off the day by hand
                continue
            if known and not entry.arxiv_id and self.index.shared(entry.title):
                # A text capture's entry cannot tell papers of one title and two arXiv ids
                # apart, nor say which it filled when taken: filling another raised its count
                # (the property tests in tests/test_ingest.py).
                continue
            if existing is None:
                paper = _new_paper(entry, paper_id=paper_id)
                self.new_papers += 1
            else:
                if not known and self.index.titled_otherwise(existing, entry.title):
                    self.retitled.append((listing.day, existing.id, entry.title, existing.title))
                refilled = frozenset(self._refilled.get(existing.id, ()))
                paper = _merge(
                    existing, entry, recorded=self._recorded(existing.id), known=known,
                    refilled=refilled,
                )  # fmt: skip
                if existing.upvotes is None and paper.upvotes is not None:
                    self._refilled.setdefault(paper.id, set()).add("upvotes")
                if not existing.abstract and paper.abstract and not entry.arxiv_id:
                    self._refilled.setdefault(paper.id, set()).add("abstract")  # a text capture's
            if added := tuple(t for t in topics if t not in paper.not_topics):  # the editor's call
                paper = dataclasses.replace(
                    paper, topics=tuple(dict.fromkeys((*paper.topics, *added)))
                )
            self.papers[paper.id] = paper
            self.index.add(paper, entry.title)
            if paper.id in seen_ids:  # listed twice on one day: the first place counts
                first = listed[seen_ids[paper.id]]
                if entry.title.casefold() != first.title.casefold():  # a review: in silence
                    self.one_title.append((listing.day, first.title, entry.title))
                # and the higher count, as the paper's: the day's record of it is the highest a
                # replay fills a count deleted by hand with (the property tests).
                counted = most_upvotes(first.upvotes, entry.upvotes)
                listed[seen_ids[paper.id]] = dataclasses.replace(first, upvotes=counted)
                continue
            seen_ids[paper.id] = len(listed)
            if existing and paper.id not in on_the_day and self._on_no_day(paper.id):
                self.put_back.append((listing.day, paper.id))
            listed.append(
                DayEntry(
                    paper_id=paper.id, title=entry.title, upvotes=entry.upvotes, added=fetched_at
                )
            )

        entries = old if known else _merge_day_entries(old, listed)
        if source and not known:
            # In the order they came (found by a trial: "-10" was listed before "-2").
            sources = tuple(
                sorted((*sources, source), key=lambda s: (kept_order(s.rpartition("/")[2]), s))
            )
        # Set when the day comes, never after: it dates the day's papers in the feeds, and a
        # day marked again later moved a published item's date. The rest
        # of a day that was filling when fetched is in the feeds' window ([feeds] days).
        arrived_after = previous_day.arrived_after if previous_day else self._late(listing.day)
        gained = {entry.paper_id for entry in listed} - on_the_day
        if previous_day and not arrived_after and gained and not known:
            undated = frozenset(entry.paper_id for entry in old if entry.added is None)
            arrived_after = self._completed_late(listing.day, undated)
        self.days[listing.day] = Day(
            day=listing.day, entries=entries, sources=sources, arrived_after=arrived_after
        )
        for day_entry in entries:
            paper_or_none = self.paper(day_entry.paper_id)
            if paper_or_none is None:
                continue  # no file: the store refuses such a day (sitegen.store), values may not
            self.index.add(paper_or_none, day_entry.title)
            self.recorded_upvotes[day_entry.paper_id] = most_upvotes(
                self._recorded(day_entry.paper_id), day_entry.upvotes
            )

    def listed_keys(self, paper_id: str) -> set[str]:
        """The title keys the days, stored and of this run, list a paper under. Read whole the
        first time: only a paper found by its slug file after its title was edited asks."""
        if self._listed is None:
            self._listed = {}
            for entries in self.stored.day_entries.values():
                for listed_id, title, _ in entries:
                    self._listed.setdefault(listed_id, set()).add(title_key(title))
        run = (e.title for day in self.days.values() for e in day.entries if e.paper_id == paper_id)
        return self._listed.get(paper_id, set()) | {title_key(title) for title in run}

    def _on_no_day(self, paper_id: str) -> bool:
        """Whether a paper held before this run is on no stored day (taken off by hand?)."""
        # The store index counts every paper a stored day lists.
        return paper_id in self.stored.papers and paper_id not in self.index.store.upvotes

    def _late(self, day: date) -> date | None:
        newest = self.newest
        if newest is None or day >= newest:
            return None
        # From the newest day held before the run, as fetch's retry window counts: a day retried
        # on its last chance is 15 days older than the newest after it.
        if ((self.newest_before or newest) - day).days <= LATE_WITHIN_DAYS:
            return newest
        return None

    def _completed_late(self, day: date, undated: frozenset[str]) -> date | None:
        """The day a held `day` that gains papers now came late with, if it did: it leaves the
        feeds' window within two builds, so a reader who misses two polls would miss its new
        papers (subscribers' trials: a day completed by a retry four days on reached no
        reader; three days on, one poll). Not when a paper it listed before with no `added`
        time (`undated`: its item is dated by its day) is on a later day too: its published
        item would move to the later day. One dated by its fetch stays where it is."""
        came = self._late(day)
        if came is None or self.feed_days is None:  # not a scheduled run, or the day too old
            return None
        newer = [held for held in self.held_after if held > day]
        if len(newer) < self.feed_days - _POLLS_MISSED:
            return None
        for later in newer:
            held = self.days.get(later) or self.stored.days.get(later)
            if later < came and held and any(e.paper_id in undated for e in held.entries):
                return None
        return came

    def _recorded(self, paper_id: str) -> int | None:
        if paper_id in self.recorded_upvotes:
            return self.recorded_upvotes[paper_id]
        return self.index.store.upvotes.get(paper_id)


class _RunIndex:
    """The store's index with what this run has changed on top."""

    def __init__(self, store: StoreIndex, merger: _Merger) -> None:
        self.store = store
        self.merger = merger
        self.by_arxiv: dict[str, str] = {}
        self.by_title: dict[str, str] = {}
        self.shared_titles: set[str] = set()  # title keys this run gave a second paper

    def add(self, paper: Paper, listed_title: str) -> None:
        if paper.arxiv_id:
            self.by_arxiv[paper.arxiv_id] = paper.id
        for title in (paper.title, listed_title):
            key = title_key(title)
            held = self.by_title.get(key) or self.store.titles.get(key)
            if held is None:
                self.by_title[key] = paper.id
            elif held != paper.id:
                self.shared_titles.add(key)

    def shared(self, title: str) -> bool:
        """Whether more than one paper has `title`, as its own or as a day lists it."""
        key = title_key(title)
        return key in self.store.shared or key in self.shared_titles

    def titled_otherwise(self, paper: Paper, title: str) -> bool:
        """Whether `title` is neither the paper's nor one a listing gave it before."""
        key = title_key(title)
        if key == title_key(paper.title):
            return False
        return paper.id not in (self.store.titles.get(key), self.by_title.get(key))

    def find(self, entry: ListingEntry) -> Paper | None:
        """The paper `entry` is: by its arXiv id, else by its title as the paper has it or as a
        listing had it, or as the slug file it made, so an edited title still finds it. A paper
        of the same title with another arXiv id is another paper, unless its file is named
        after the entry's id: the listing made it, and the id was corrected by hand."""
        if entry.arxiv_id:
            paper_id = self.by_arxiv.get(entry.arxiv_id) or self.store.arxiv.get(entry.arxiv_id)
            if paper_id is not None and (found := self.merger.paper(paper_id)) is not None:
                return found
        key = title_key(entry.title)
        if entry.arxiv_id:
            # The file the id named, its arxiv_id deleted by hand since (whatever its title: a
            # review), or corrected and of the entry's title (a review: a title another paper
            # holds led to that one, and a third file was made). Corrected and of another
            # title, it is another paper the old id now names.
            named_by_id = self.merger.paper(entry.arxiv_id)
            if named_by_id is not None and (
                named_by_id.arxiv_id is None or title_key(named_by_id.title) == key
            ):
                return named_by_id
        named = self.by_title.get(key) or self.store.titles.get(key)
        for paper_id in (named, slug_for_title(entry.title)):
            paper = self.merger.paper(paper_id) if paper_id is not None else None
            if paper is None:
                continue
            held = title_key(paper.title)
            if paper_id != named and held != key and self._titled_alike(paper, held, key):
                continue  # "C++" and "C#" titles: two papers, whose slugs are alike
            held_id = arxiv_identity(paper.id, paper.arxiv_id)
            if entry.arxiv_id and held_id and entry.arxiv_id not in (held_id, paper.id):
                continue  # two papers that share a title
            return paper
        return None

    def _titled_alike(self, paper: Paper, held: str, key: str) -> bool:
        """Whether `paper`, found by the slug file the title of `key` makes, has a title apart
        from it only by "+" or "#", as its own (`held`) or as a day lists it: its title edited
        by hand no longer says which of the two made the slug (the property test)."""
        alike = without_plus_and_hash(key)
        return any(
            other != key and without_plus_and_hash(other) == alike
            for other in (held, *self.merger.listed_keys(paper.id))
        )

    def new_id(self, entry: ListingEntry) -> str:
        if entry.arxiv_id and not self._taken(entry.arxiv_id):
            return entry.arxiv_id
        # A digest of the title keeps slugs apart; lengthen it in the rare case two collide.
        for exact in (False, True):
            for digest_chars in range(8, 65, 4):
                candidate = slug_for_title(entry.title, digest_chars=digest_chars, exact=exact)
                if not self._taken(candidate):
                    return candidate
        raise AssertionError("a 256-bit title digest collided")  # pragma: no cover

    def _taken(self, paper_id: str) -> bool:
        return self.merger.paper(paper_id) is not None


def _new_paper(entry: ListingEntry, *, paper_id: str) -> Paper:
    return Paper(
        id=paper_id,
        title=entry.title,
        abstract=entry.abstract,
        arxiv_id=entry.arxiv_id,
        authors=entry.authors,
        authors_count=entry.authors_count,
        organization=entry.organization,
        published=entry.published,
        upvotes=entry.upvotes,
        keywords=entry.keywords,
        github_url=entry.github_url,
        project_url=entry.project_url,
    )


def _merge(
    paper: Paper,
    entry: ListingEntry,
    *,
    recorded: int | None,
    known: bool,
    refilled: frozenset[str],
) -> Paper:
    """Fill what the paper lacks; never replace a value that is there. `known`: the listing
    was taken before (a replay); `refilled`: the fields this run filled, deleted by hand."""
    upvotes = paper.upvotes
    # Kept only when lowered by hand below what the day files recorded: unknown (a deleted field
    # counts as unknown), or at least that count, it takes the higher (a day entry taken off or
    # lowered by hand froze the paper's count for good: found by a review). Unknown, it takes
    # the highest the days recorded too: a lower listed count would be taken for one lowered
    # by hand, and kept (a review: a replay after a count was deleted). A replay raises none:
    # its counts were taken, and one lowered by hand in the paper and its day stays so; but
    # for a count it filled, which takes the highest its listings give (a review).
    if paper.upvotes is None:
        upvotes = most_upvotes(recorded, entry.upvotes)
    elif (not known or "upvotes" in refilled) and (recorded is None or paper.upvotes >= recorded):
        upvotes = most_upvotes(paper.upvotes, entry.upvotes)
    authors_count = entry.authors_count if paper.authors_count is None else paper.authors_count
    if not paper.authors and len(entry.authors) > (authors_count or 0):
        # Names filled past the count a text capture gave (an author added on Hugging Face
        # since): they come with their listing's count, as a paper file may not count fewer.
        authors_count = entry.authors_count
    # The title is never filled: every paper has one (a file without it is refused).
    return dataclasses.replace(
        paper,
        abstract=_richer_abstract(paper, entry, refilled="abstract" in refilled),
        arxiv_id=paper.arxiv_id or entry.arxiv_id,
        authors=paper.authors or entry.authors,
        authors_count=authors_count,
        organization=paper.organization or entry.organization,
        published=paper.published or entry.published,
        upvotes=upvotes,
        keywords=paper.keywords or entry.keywords,
        # "" is a link taken off by hand (a maintainer's trial: a wrong one came back).
        github_url=entry.github_url if paper.github_url is None else paper.github_url,
        project_url=entry.project_url if paper.project_url is None else paper.project_url,
    )


def _richer_abstract(paper: Paper, entry: ListingEntry, *, refilled: bool) -> str:
    """The held abstract, or the listed one when it is the same text in more paragraphs and
    the listing brings the paper its arXiv id: an API answer after a text capture, which has
    neither (found by a review). Once the paper has its id, paragraphs joined by hand stay
    joined (a review: a fetch of the day filling split them again), but for a text capture's
    abstract this run `refilled` (deleted by hand, a replay gives it back as the first ingest
    made it: a review); other words are kept."""
    held, listed = paper.abstract, entry.abstract
    if not held:
        return listed
    if not entry.arxiv_id or (paper.arxiv_id and not refilled):
        return held
    more_paragraphs = listed.count("\n\n") > held.count("\n\n")
    return listed if more_paragraphs and listed.split() == held.split() else held


def _merge_day_entries(old: tuple[DayEntry, ...], new: list[DayEntry]) -> tuple[DayEntry, ...]:
    """The day's entries in the new listing's order, then the papers only the day had. A paper
    on both keeps the higher upvote count, and the title and time added first recorded for it
    (a published item's date never moves)."""
    old_by_id = {entry.paper_id: entry for entry in old}
    new_by_id = {entry.paper_id: entry for entry in new}
    merged: dict[str, DayEntry] = {}
    for entry in (*new, *old):
        if entry.paper_id in merged:
            continue
        before, now = old_by_id.get(entry.paper_id), new_by_id.get(entry.paper_id)
        merged[entry.paper_id] = DayEntry(
            paper_id=entry.paper_id,
            title=(before or entry).title,
            upvotes=most_upvotes(before.upvotes if before else None, now.upvotes if now else None),
            added=(before or entry).added,
        )
    return tuple(merged.values())
