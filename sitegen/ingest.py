"""Merge a listing into the content store, as pure values (issue #2).

One paper per arXiv id or title identity; its days accumulate, missing fields are filled, and
upvotes keep the highest count seen. A value a maintainer edited by hand is kept: for the
fill-only fields any present value is kept, and for upvotes the file's value counts as hand-set
when it differs from the highest count the day files recorded.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from sitegen.content import ContentSnapshot
from sitegen.listings import Listing, ListingEntry
from sitegen.model import Appearance, Day, DayEntry, Paper, slug_for_title, title_key


def ingest_listing(
    snapshot: ContentSnapshot,
    listing: Listing,
    *,
    source: str | None = None,
    topics: tuple[str, ...] = (),
) -> ContentSnapshot:
    """The store after merging `listing` (kept as `source`), with `topics` added to its papers."""
    return ingest_listings(snapshot, [(listing, source)], topics=topics)


def ingest_listings(
    snapshot: ContentSnapshot,
    listings: Iterable[tuple[Listing, str | None]],
    *,
    topics: tuple[str, ...] = (),
) -> ContentSnapshot:
    """Merge several (listing, kept source) pairs in order; the index is built once."""
    merger = _Merger(snapshot)
    for listing, source in listings:
        merger.add(listing, source=source, topics=topics)
    return ContentSnapshot(papers=merger.papers, days=merger.days)


class _Merger:
    def __init__(self, snapshot: ContentSnapshot) -> None:
        self.papers = dict(snapshot.papers)
        self.days = dict(snapshot.days)
        self.index = _PaperIndex(self.papers.values(), self.days.values())
        self.recorded_upvotes = _recorded_upvotes(self.days.values())

    def add(self, listing: Listing, *, source: str | None, topics: tuple[str, ...]) -> None:
        previous_day = self.days.get(listing.day)
        listed: list[DayEntry] = []
        seen_ids: set[str] = set()
        for entry in listing.entries:
            existing = self.index.find(entry)
            if existing is None:
                paper = _new_paper(entry, paper_id=self.index.new_id(entry))
            else:
                recorded = self.recorded_upvotes.get(existing.id)
                paper = _merge(existing, entry, recorded=recorded)
            if topics:
                paper = dataclasses.replace(paper, topics=_union(paper.topics, topics))
            self.papers[paper.id] = paper
            self.index.add(paper, entry.title)
            if paper.id in seen_ids:  # listed twice on one day: the first place counts
                continue
            seen_ids.add(paper.id)
            listed.append(DayEntry(paper_id=paper.id, title=entry.title, upvotes=entry.upvotes))

        entries = _merge_day_entries(previous_day.entries if previous_day else (), listed)
        sources = previous_day.sources if previous_day else ()
        if source and source not in sources:
            sources = tuple(sorted((*sources, source)))
        self.days[listing.day] = Day(day=listing.day, entries=entries, sources=sources)
        for rank, day_entry in enumerate(entries, start=1):
            paper = self.papers[day_entry.paper_id]
            paper = _with_appearance(paper, Appearance(day=listing.day, rank=rank))
            self.papers[paper.id] = paper
            self.index.add(paper, day_entry.title)
            self.recorded_upvotes[paper.id] = _max(
                self.recorded_upvotes.get(paper.id), day_entry.upvotes
            )


class _PaperIndex:
    """Finds the paper a listing entry is about: by arXiv id, else by title identity."""

    def __init__(self, papers: Iterable[Paper], days: Iterable[Day]) -> None:
        self.by_id: dict[str, Paper] = {}
        self.by_arxiv: dict[str, str] = {}
        self.by_title: dict[str, str] = {}
        for paper in papers:
            self.add(paper, paper.title)
        # Titles as listed find a paper whose title was later edited by hand.
        for day in days:
            for entry in day.entries:
                listed = self.by_id.get(entry.paper_id)
                if listed is not None and entry.title != listed.title:
                    self.by_title.setdefault(title_key(entry.title), entry.paper_id)

    def add(self, paper: Paper, listed_title: str) -> None:
        self.by_id[paper.id] = paper
        if paper.arxiv_id:
            self.by_arxiv[paper.arxiv_id] = paper.id
        self.by_title.setdefault(title_key(paper.title), paper.id)
        if listed_title != paper.title:
            self.by_title.setdefault(title_key(listed_title), paper.id)

    def find(self, entry: ListingEntry) -> Paper | None:
        if entry.arxiv_id and entry.arxiv_id in self.by_arxiv:
            return self.by_id[self.by_arxiv[entry.arxiv_id]]
        paper_id = self.by_title.get(title_key(entry.title))
        if paper_id is None:
            return None
        paper = self.by_id[paper_id]
        if entry.arxiv_id and paper.arxiv_id and paper.arxiv_id != entry.arxiv_id:
            return None  # two papers that share a title
        return paper

    def new_id(self, entry: ListingEntry) -> str:
        if entry.arxiv_id and entry.arxiv_id not in self.by_id:
            return entry.arxiv_id
        # A digest of the title keeps slugs apart; lengthen it in the rare case two collide.
        for digest_chars in range(8, 65, 4):
            candidate = slug_for_title(entry.title, digest_chars=digest_chars)
            if candidate not in self.by_id:
                return candidate
        raise AssertionError("a 256-bit title digest collided")  # pragma: no cover


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


def _merge(paper: Paper, entry: ListingEntry, *, recorded: int | None) -> Paper:
    """Fill what the paper lacks; never replace a value that is there."""
    upvotes = paper.upvotes
    if paper.upvotes == recorded:  # not edited by hand since the listings set it
        upvotes = _max(paper.upvotes, entry.upvotes)
    return dataclasses.replace(
        paper,
        title=paper.title or entry.title,
        abstract=paper.abstract or entry.abstract,
        arxiv_id=paper.arxiv_id or entry.arxiv_id,
        authors=paper.authors or entry.authors,
        authors_count=_first(paper.authors_count, entry.authors_count),
        organization=paper.organization or entry.organization,
        published=paper.published or entry.published,
        upvotes=upvotes,
        keywords=paper.keywords or entry.keywords,
        github_url=paper.github_url or entry.github_url,
        project_url=paper.project_url or entry.project_url,
    )


def _recorded_upvotes(days: Iterable[Day]) -> dict[str, int | None]:
    best: dict[str, int | None] = {}
    for day in days:
        for entry in day.entries:
            best[entry.paper_id] = _max(best.get(entry.paper_id), entry.upvotes)
    return best


def _merge_day_entries(old: tuple[DayEntry, ...], new: list[DayEntry]) -> tuple[DayEntry, ...]:
    """The new listing's order, then papers only the earlier listing of the day had.

    A paper on both keeps the higher upvote count and the title first recorded for it.
    """
    old_by_id = {entry.paper_id: entry for entry in old}
    new_ids = {entry.paper_id for entry in new}
    merged = [
        DayEntry(
            paper_id=entry.paper_id,
            title=old_by_id[entry.paper_id].title if entry.paper_id in old_by_id else entry.title,
            upvotes=_max(old_by_id[entry.paper_id].upvotes, entry.upvotes)
            if entry.paper_id in old_by_id
            else entry.upvotes,
        )
        for entry in new
    ]
    merged.extend(entry for entry in old if entry.paper_id not in new_ids)
    return tuple(merged)


def _with_appearance(paper: Paper, appearance: Appearance) -> Paper:
    others = [a for a in paper.featured if a.day != appearance.day]
    featured = tuple(sorted((*others, appearance), key=lambda a: a.day))
    return dataclasses.replace(paper, featured=featured)


def _union(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*first, *second)))


def _max(a: int | None, b: int | None) -> int | None:
    if a is None:
        return b
    return a if b is None else max(a, b)


def _first(a: int | None, b: int | None) -> int | None:
    return a if a is not None else b
