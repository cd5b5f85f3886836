"""Random sequences of listings and hand edits between them, for the properties of the merge
(tests/test_ingest.py) and of the content store on disk (tests/test_store.py)."""

from __future__ import annotations

import dataclasses
from datetime import date

from hypothesis import strategies as st

from sitegen.ingest import Merged
from sitegen.listings import Listing, ListingEntry
from sitegen.model import ContentSnapshot

# Papers as listings name them: titles apart in case, punctuation, "+" or "#" only, one title
# that two papers of two arXiv ids share, each entry with its arXiv id or without (a text
# capture's, whose abstract is one paragraph), so that sequences of listings meet the ways the
# merge tells papers apart.
TITLES = [
    ("Fuzzing C Compilers", "2501.00001"),
    ("Fuzzing C++ Compilers", "2501.00002"),
    ("fuzzing c# compilers", "2501.00003"),
    ("Agents: A Survey", "2501.00004"),
    ("agents -- a survey", "2501.00004"),
    ("Agents: a survey", "2501.00005"),
]
entries = st.builds(
    lambda titled, with_id, upvotes: ListingEntry(
        title=titled[0],
        abstract=f"About {titled[0]}." + ("\n\n" if with_id else " ") + "In two paragraphs.",
        line=1,
        arxiv_id=titled[1] if with_id else None,
        upvotes=upvotes,
    ),
    st.sampled_from(TITLES),
    st.booleans(),
    st.integers(0, 50),
)
listed_day = st.tuples(
    st.sampled_from([date(2026, 1, d) for d in (5, 6, 7)]),
    st.lists(entries, min_size=1, max_size=4),
)
listed_days = st.lists(listed_day, min_size=1, max_size=5)

# A hand edit: a paper's title or abstract rewritten, a field deleted (unknown), its count
# lowered in its file and its days, a paper taken off a day, or off the site (its file and its
# day entries deleted); each picks its paper (or day entry) by its place among those held.
Edit = tuple[str, int]
FORGOTTEN = {"forget upvotes": "upvotes", "forget abstract": "abstract", "forget id": "arxiv_id"}
EDITS = ["title", "abstract", *FORGOTTEN, "lower count", "take off", "delete file"]
edits = st.tuples(st.sampled_from(EDITS), st.integers(0, 20))
steps = st.lists(st.one_of(listed_day, edits), min_size=1, max_size=8)


def listing(day: date, listed: list[ListingEntry]) -> Listing:
    return Listing(day=day, entries=tuple(listed), origin="test", shape="full")


class HandEdits:
    """Edits made by hand, as a store's maintainer makes them, and the papers each touched.
    Not a paper both retitled and taken off a day, or retitled and its arXiv id deleted:
    nothing then says which listed entries are that paper, and a later listing makes it again
    (as docs/content.md says), which a replay of the listings before may fill."""

    def __init__(self) -> None:
        self.touched: dict[str, set[str]] = {kind: set() for kind in EDITS}

    def _refused(self, kind: str, paper_id: str) -> bool:
        lost = self.touched["take off"] | self.touched["forget id"]
        return (kind == "title" and paper_id in lost) or (
            kind in ("take off", "forget id") and paper_id in self.touched["title"]
        )

    def apply(self, snapshot: ContentSnapshot, edit: Edit, number: int) -> ContentSnapshot:
        kind, place = edit
        papers, days = dict(snapshot.papers), dict(snapshot.days)
        if not papers:
            return snapshot
        if kind == "take off":
            listed = [
                (day, entry)
                for day in sorted(days)
                for entry in days[day].entries
                if not self._refused(kind, entry.paper_id)
            ]
            if not listed:
                return snapshot
            day, gone = listed[place % len(listed)]
            entries = tuple(e for e in days[day].entries if e != gone)
            days[day] = dataclasses.replace(days[day], entries=entries)
            self.touched[kind].add(gone.paper_id)
            return ContentSnapshot.of(papers, days)
        paper = papers[sorted(papers)[place % len(papers)]]
        if self._refused(kind, paper.id):
            return snapshot
        if kind == "delete file":
            del papers[paper.id]
            for day, held in days.items():
                kept = tuple(e for e in held.entries if e.paper_id != paper.id)
                days[day] = dataclasses.replace(held, entries=kept)
        elif kind in FORGOTTEN:
            unknown = "" if kind == "forget abstract" else None  # an abstract is text
            papers[paper.id] = dataclasses.replace(paper, **{FORGOTTEN[kind]: unknown})
        elif kind == "lower count":
            papers[paper.id] = dataclasses.replace(paper, upvotes=0)
            for day, held in days.items():
                entries = tuple(
                    dataclasses.replace(e, upvotes=0) if e.paper_id == paper.id else e
                    for e in held.entries
                )
                days[day] = dataclasses.replace(held, entries=entries)
        else:
            papers[paper.id] = dataclasses.replace(paper, **{kind: f"Edited by hand {number}"})
        self.touched[kind].add(paper.id)
        return ContentSnapshot.of(papers, days)


def applied(merged: Merged, snapshot: ContentSnapshot) -> ContentSnapshot:
    """The whole store after `merged`, as the content store writes it over `snapshot`."""
    return ContentSnapshot.of(
        {**snapshot.papers, **merged.papers}, {**snapshot.days, **merged.days}
    )
