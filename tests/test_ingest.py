"""Merging listings into the content store: one paper per identity, hand edits win."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.formats import parse_paper_file, render_paper_file
from sitegen.ingest import Merged, ingest_listings
from sitegen.listings import Listing, ListingEntry, parse_listing
from sitegen.model import (
    ContentSnapshot,
    Organization,
    Paper,
    is_arxiv_id,
    is_paper_id,
    slug_for_title,
    title_key,
)
from tests.listing_steps import FORGOTTEN, Edit, HandEdits, applied, listed_days, listing, steps

EMPTY_SNAPSHOT = ContentSnapshot.of({}, {})


def ingest_listing(
    snapshot: ContentSnapshot,
    listing: Listing,
    *,
    source: str | None = None,
    topics: tuple[str, ...] = (),
) -> ContentSnapshot:
    """The store after merging `listing` (kept as `source`), with `topics` added to its papers."""
    return applied(ingest_listings(snapshot, [(listing, source)], topics=topics), snapshot)


def _seed_listings(seed_bytes: dict[str, bytes]) -> list[tuple[Listing, str | None]]:
    return [(parse_listing(raw, origin=n), f"listings/{n}") for n, raw in seed_bytes.items()]


def _seed_snapshot(seed_bytes: dict[str, bytes]) -> ContentSnapshot:
    return applied(ingest_listings(EMPTY_SNAPSHOT, _seed_listings(seed_bytes)), EMPTY_SNAPSHOT)


def _days_of(snapshot: ContentSnapshot, paper_id: str) -> list[tuple[date, int]]:
    """(day, rank) of each day that featured the paper, oldest first."""
    return [
        (day, rank)
        for day, record in sorted(snapshot.days.items())
        for rank, entry in enumerate(record.entries, start=1)
        if entry.paper_id == paper_id
    ]


def _changes(before: ContentSnapshot, merged: Merged) -> list[object]:
    """What a merge would write: papers and days that differ from the store's."""
    papers = [p for p in merged.papers.values() if before.papers.get(p.id) != p]
    return [*papers, *(d for day, d in merged.days.items() if before.days.get(day) != d)]


def _listing(day: date, *entries: ListingEntry) -> Listing:
    return Listing(day=day, entries=entries, origin="test", shape="full")


def test_the_seeds_hold_450_papers_36_repeated_one_in_all_five(
    seed_bytes: dict[str, bytes],
) -> None:
    snapshot = _seed_snapshot(seed_bytes)
    assert len(snapshot.papers) == 450
    featured = [len(_days_of(snapshot, paper_id)) for paper_id in snapshot.papers]
    assert sum(1 for times in featured if times > 1) == 36
    assert featured.count(5) == 1
    assert sorted(snapshot.days) == [
        date(2025, 10, 31),
        date(2025, 11, 3),
        date(2026, 1, 8),
        date(2026, 3, 14),
        date(2026, 11, 22),
    ]


def test_days_keep_listing_order_and_papers_know_their_rank(seed_bytes: dict[str, bytes]) -> None:
    snapshot = _seed_snapshot(seed_bytes)
    day = snapshot.days[date(2026, 11, 22)]
    assert len(day.entries) == 278
    first = snapshot.papers[day.entries[0].paper_id]
    assert first.title.startswith("OneRec")
    assert (date(2026, 11, 22), 1) in _days_of(snapshot, first.id)
    assert len({entry.paper_id for entry in day.entries}) == 278


def test_ingesting_again_changes_nothing(seed_bytes: dict[str, bytes]) -> None:
    once = _seed_snapshot(seed_bytes)
    assert _changes(once, ingest_listings(once, _seed_listings(seed_bytes))) == []


def test_same_title_up_to_case_punctuation_and_unicode_form_is_one_paper() -> None:
    a = ListingEntry(title="Ｌarge Models: A Survey", abstract="x", line=1)
    b = ListingEntry(title="large models -- a survey", abstract="y", line=1)
    snapshot = ingest_listing(EMPTY_SNAPSHOT, _listing(date(2026, 1, 1), a))
    snapshot = ingest_listing(snapshot, _listing(date(2026, 1, 2), b))
    (paper,) = snapshot.papers.values()
    assert paper.abstract == "x"  # the first value stays
    assert _days_of(snapshot, paper.id) == [(date(2026, 1, 1), 1), (date(2026, 1, 2), 1)]


def test_fields_merge_missing_ones_filled_upvotes_highest() -> None:
    bare = ListingEntry(title="T", abstract="A", line=1, upvotes=5)
    rich = ListingEntry(
        title="T",
        abstract="B",
        line=1,
        upvotes=3,
        authors_count=4,
        published=date(2025, 1, 2),
        organization=Organization(handle="o", name="O"),
        arxiv_id="2501.00001",
    )
    snapshot = ingest_listing(EMPTY_SNAPSHOT, _listing(date(2026, 1, 1), bare))
    snapshot = ingest_listing(snapshot, _listing(date(2026, 1, 2), rich))
    (paper,) = snapshot.papers.values()
    assert (paper.abstract, paper.upvotes, paper.authors_count, paper.arxiv_id) == (
        "A",
        5,
        4,
        "2501.00001",
    )
    assert paper.organization == Organization(handle="o", name="O")
    more = dataclasses.replace(bare, upvotes=9)
    snapshot = ingest_listing(snapshot, _listing(date(2026, 1, 3), more))
    assert snapshot.papers[paper.id].upvotes == 9


def test_a_paper_known_by_title_gains_its_arxiv_id_and_keeps_its_id() -> None:
    snapshot = ingest_listing(
        EMPTY_SNAPSHOT,
        _listing(date(2026, 1, 1), ListingEntry(title="T one", abstract="A", line=1)),
    )
    (slug,) = snapshot.papers
    with_id = ListingEntry(title="T One", abstract="A", line=1, arxiv_id="2501.00002")
    snapshot = ingest_listing(snapshot, _listing(date(2026, 1, 2), with_id))
    assert list(snapshot.papers) == [slug]  # URLs and feed ids never change
    assert snapshot.papers[slug].arxiv_id == "2501.00002"
    again = ingest_listing(
        snapshot, _listing(date(2026, 1, 3), dataclasses.replace(with_id, title="Renamed"))
    )
    assert list(again.papers) == [slug], "the arXiv id finds the paper whatever its title"


def test_new_papers_with_an_arxiv_id_are_named_by_it() -> None:
    entry = ListingEntry(title="T", abstract="A", line=1, arxiv_id="2510.12345")
    assert list(ingest_listing(EMPTY_SNAPSHOT, _listing(date(2026, 1, 1), entry)).papers) == [
        "2510.12345"
    ]


def test_hand_edits_are_kept(seed_bytes: dict[str, bytes]) -> None:
    snapshot = _seed_snapshot(seed_bytes)
    day = snapshot.days[date(2025, 11, 3)]
    voted = next(e for e in day.entries if e.upvotes)
    paper = snapshot.papers[voted.paper_id]
    edited = dataclasses.replace(
        paper,
        title="A Better Title",
        upvotes=1,
        organization=Organization(handle="me", name="Me"),
        abstract="Fixed.",
    )
    papers = dict(snapshot.papers)
    papers[paper.id] = edited
    hand_edited = ContentSnapshot.of(papers, snapshot.days)
    again = ingest_listings(hand_edited, _seed_listings(seed_bytes))
    assert again.papers[paper.id] == edited, "the maintainer's word wins"
    assert again.new_papers == 0, "the listed title still finds the retitled paper"
    assert _changes(hand_edited, again) == []


def test_names_a_later_listing_brings_come_with_its_count_when_the_file_counted_fewer() -> None:
    """A text capture counts a paper's authors (`• 2 authors`) and names none; an API answer
    of a later day names three (one added on Hugging Face since). The count kept was the
    capture's, below the names, which a paper file may not say (formats: refused at its
    line): the names come with their listing's count."""
    counted = ListingEntry(title="T", abstract="A", line=1, authors_count=2)
    named = dataclasses.replace(counted, authors=("Ada", "Bob", "Cy"), authors_count=3)
    snapshot = ingest_listing(EMPTY_SNAPSHOT, _listing(date(2026, 1, 1), counted))
    snapshot = ingest_listing(snapshot, _listing(date(2026, 1, 2), named))
    (paper,) = snapshot.papers.values()
    assert (paper.authors, paper.authors_count) == (("Ada", "Bob", "Cy"), 3)
    path = f"content/papers/{paper.id}.md"
    assert parse_paper_file(render_paper_file(paper), path=path) == paper


@pytest.mark.parametrize(
    ("held", "names", "listed", "kept"),
    [(3, 3, 4, 3), (0, 1, 1, 1)],
    ids=["as many names: the file's count stays", "more names: their count comes"],
)
def test_a_files_author_count_stays_unless_a_listing_names_more_authors_than_it(
    held: int, names: int, listed: int, kept: int
) -> None:
    """docs/content.md: a field the file has is kept, and `authors_count` counts every author,
    named or not: names a listing fills come with its count only when they are more than the
    file counts (a file counting fewer than its names reads as counting the names). Found by
    mutation testing: a count of as many as the names given way to the listing's, and a count
    of none kept beside one name, passed every test of the merge."""
    counted = ListingEntry(title="T", abstract="A", line=1, authors_count=held)
    named = dataclasses.replace(counted, authors=("Ada", "Bob", "Cy")[:names], authors_count=listed)
    snapshot = ingest_listing(EMPTY_SNAPSHOT, _listing(date(2026, 1, 1), counted))
    snapshot = ingest_listing(snapshot, _listing(date(2026, 1, 2), named))
    (paper,) = snapshot.papers.values()
    assert (paper.authors, paper.authors_count) == (named.authors, kept)


def test_every_fill_only_field_edited_by_hand_is_kept_and_deleted_is_filled() -> None:
    """The README: your edits win over later listings, and a field you delete is filled again.
    Found by mutation testing: a listing's authors, author count, date, keywords or links
    written over the file's, or never filling them, passed every test of the merge."""
    day = date(2026, 1, 5)
    listed = ListingEntry(
        title="Sparse Attention",
        abstract="A.",
        line=1,
        arxiv_id="2501.00007",
        authors=("Ada Listed", "Bob Listed"),
        authors_count=2,
        published=date(2026, 1, 2),
        keywords=("attention",),
        github_url="https://github.com/listed/code",
        project_url="https://listed.example/project",
    )
    snapshot = ingest_listing(EMPTY_SNAPSHOT, _listing(day, listed))
    paper = snapshot.papers["2501.00007"]
    by_hand = {
        "authors": ("Ada Corrected",),
        "authors_count": 1,
        "published": date(2025, 12, 30),
        "keywords": ("sparsity",),
        "github_url": "",  # a wrong link taken off for good
        "project_url": "https://corrected.example/",
    }
    later = _listing(day + timedelta(days=1), listed)
    for field, value in by_hand.items():
        edited = dataclasses.replace(paper, **{field: value})
        store = ContentSnapshot.of({paper.id: edited}, snapshot.days)
        assert ingest_listing(store, later).papers[paper.id] == edited, field
    deleted = dataclasses.replace(
        paper,
        authors=(),
        authors_count=None,
        published=None,
        keywords=(),
        github_url=None,
        project_url=None,
    )
    store = ContentSnapshot.of({paper.id: deleted}, snapshot.days)
    assert ingest_listing(store, later).papers[paper.id] == paper


def test_a_count_deleted_by_hand_is_unknown_and_a_later_listing_fills_it(
    seed_bytes: dict[str, bytes],
) -> None:
    """The README: a field you delete counts as unknown, and a later listing may fill it."""
    snapshot = _seed_snapshot(seed_bytes)
    voted = next(e for e in snapshot.days[date(2025, 11, 3)].entries if e.upvotes)
    papers = dict(snapshot.papers)
    papers[voted.paper_id] = dataclasses.replace(papers[voted.paper_id], upvotes=None)
    deleted = ContentSnapshot.of(papers, snapshot.days)
    entry = ListingEntry(title=voted.title, abstract="A", line=1, upvotes=3)
    again = ingest_listing(deleted, _listing(date(2026, 12, 1), entry))
    assert again.papers[voted.paper_id].upvotes == 3


def test_topics_given_at_ingest_are_added() -> None:
    entry = ListingEntry(title="T", abstract="A", line=1)
    snapshot = ingest_listing(
        EMPTY_SNAPSHOT, _listing(date(2026, 1, 1), entry), topics=("robotics",)
    )
    snapshot = ingest_listing(
        snapshot, _listing(date(2026, 1, 1), entry), topics=("llm", "robotics")
    )
    assert next(iter(snapshot.papers.values())).topics == ("robotics", "llm")


def test_a_later_listing_of_the_same_day_keeps_papers_the_day_had() -> None:
    a, b, c = (ListingEntry(title=t, abstract="x", line=1) for t in ("A a", "B b", "C c"))
    snapshot = ingest_listing(EMPTY_SNAPSHOT, _listing(date(2026, 1, 1), a, b))
    snapshot = ingest_listing(snapshot, _listing(date(2026, 1, 1), c, a))
    titles = [e.title for e in snapshot.days[date(2026, 1, 1)].entries]
    assert titles == ["C c", "A a", "B b"]


@given(st.text(min_size=1, max_size=200))
def test_a_title_slug_is_always_a_safe_file_name(title: str) -> None:
    slug = slug_for_title(title)
    assert is_paper_id(slug)
    assert "/" not in slug and "\\" not in slug and not slug.startswith(".")


def test_hostile_titles_never_make_a_path() -> None:
    for title in ("../../etc/passwd", "/root/.ssh", "..", "CON", "a/b\\c", "日本語のタイトル"):
        entry = ListingEntry(title=title, abstract="x", line=1)
        (paper_id,) = ingest_listing(EMPTY_SNAPSHOT, _listing(date(2026, 1, 1), entry)).papers
        assert is_paper_id(paper_id) and ".." not in paper_id


def test_a_day_entry_taken_off_by_hand_leaves_the_papers_count_free_to_rise(
    seed_bytes: dict[str, bytes],
) -> None:
    """Found by a review: taking a paper off a day (or lowering the day's count) made the
    paper's own count differ from the days' highest, which froze it as if set by hand."""
    snapshot = _seed_snapshot(seed_bytes)
    day = snapshot.days[date(2025, 11, 3)]
    voted = next(e for e in day.entries if e.upvotes)
    assert snapshot.papers[voted.paper_id].upvotes == voted.upvotes
    for edited_entries in (
        tuple(e for e in day.entries if e.paper_id != voted.paper_id),  # taken off
        tuple(dataclasses.replace(e, upvotes=0) if e is voted else e for e in day.entries),
    ):
        days = dict(snapshot.days)
        days[day.day] = dataclasses.replace(day, entries=edited_entries)
        edited = ContentSnapshot.of(snapshot.papers, days)
        higher = (voted.upvotes or 0) + 50
        entry = ListingEntry(title=voted.title, abstract="A", line=1, upvotes=higher)
        again = ingest_listing(edited, _listing(date(2026, 12, 1), entry))
        assert again.papers[voted.paper_id].upvotes == higher


def test_a_count_lowered_by_hand_below_its_days_stays_when_a_new_day_lists_it_higher() -> None:
    """docs/content.md: a paper's count lowered by hand below what its days recorded stays so.
    Found by mutation testing: a new day's listing raising it passed every merge test."""
    entry = ListingEntry(title="T t", abstract="A", line=1, arxiv_id="2501.00010", upvotes=25)
    snapshot = ingest_listing(EMPTY_SNAPSHOT, _listing(date(2026, 1, 5), entry))
    lowered = dataclasses.replace(snapshot.papers["2501.00010"], upvotes=3)
    store = ContentSnapshot.of({lowered.id: lowered}, snapshot.days)
    higher = dataclasses.replace(entry, upvotes=40)
    after = ingest_listing(store, _listing(date(2026, 1, 6), higher), source="listings/6.json")
    assert after.papers[lowered.id].upvotes == 3
    assert [e.upvotes for e in after.days[date(2026, 1, 6)].entries] == [40]


def test_a_later_listing_of_a_day_keeps_each_entrys_first_title_time_and_highest_count() -> None:
    """docs/content.md: a paper on both listings of a day keeps the higher count, and the title
    and time added first recorded for it, so a published feed item's date never moves. Found by
    mutation testing: the later listing's title, time or lower count passed the merge tests."""
    day = date(2026, 1, 5)
    morning = datetime(2026, 1, 5, 9, 47, tzinfo=UTC)
    first = ListingEntry(title="Sparse Attention", abstract="A.", line=1, upvotes=12)
    store = applied(
        ingest_listings(
            EMPTY_SNAPSHOT, [(_listing(day, first), "l/a.json")], mark_late=True, added=morning
        ),
        EMPTY_SNAPSHOT,
    )
    (held,) = store.days[day].entries
    assert held.added == morning  # a scheduled fetch's: it dates the paper's feed item
    later = dataclasses.replace(first, title="sparse attention", upvotes=4)
    merged = ingest_listings(
        store, [(_listing(day, later), "l/b.json")], mark_late=True, added=morning + timedelta(1)
    )
    assert merged.days[day].entries == (held,)


def test_a_days_sources_are_listed_in_the_order_they_came() -> None:
    """Found by a trial: sorted as text, a day's tenth kept listing came before its second,
    and its first after both ("-" sorts before "."), which made a day file's diff hard to read."""
    day = date(2026, 7, 1)
    snapshot = EMPTY_SNAPSHOT
    for n in (1, 2, 10, 3):
        entry = ListingEntry(title=f"Paper number {n} of the day", abstract="An abstract.", line=1)
        name = "listings/2026-07-01" + ("" if n == 1 else f"-{n}") + ".json"
        snapshot = ingest_listing(snapshot, _listing(day, entry), source=name)
    assert snapshot.days[day].sources == (
        "listings/2026-07-01.json",
        "listings/2026-07-01-2.json",
        "listings/2026-07-01-3.json",
        "listings/2026-07-01-10.json",
    )


@settings(max_examples=300, deadline=None)
@given(listed_days)
def test_any_sequence_of_listings_loses_no_paper_and_merges_again_to_nothing(
    made: list[tuple[date, list[ListingEntry]]],
) -> None:
    """The promises a review tested with sequences of listings (its property, in the suite):
    no arXiv id a listing gave is lost, none is on two papers, every entry of a day is a
    paper, and ingesting the same listings again changes nothing."""
    listings = [
        (_listing(day, *entries), f"listings/{day}-{number}.json")
        for number, (day, entries) in enumerate(made)
    ]
    snapshot = EMPTY_SNAPSHOT
    for taken, source in listings:
        snapshot = ingest_listing(snapshot, taken, source=source)
    held = [paper.arxiv_id for paper in snapshot.papers.values() if paper.arxiv_id]
    assert sorted(held) == sorted(set(held)), "an arXiv id on two papers"
    given = {entry.arxiv_id for _, entries in made for entry in entries if entry.arxiv_id}
    # An entry whose arXiv id is another's than its paper's (the same title listed with two
    # ids) is another paper: every id given is a paper's.
    assert given <= set(held), "an arXiv id a listing gave was lost"
    # A paper is of the title its arXiv id was listed with: "C++" is not "C" (a review).
    by_id = {paper.arxiv_id: paper for paper in snapshot.papers.values() if paper.arxiv_id}
    for _, entries in made:
        for entry in entries:
            if entry.arxiv_id:
                assert title_key(by_id[entry.arxiv_id].title) == title_key(entry.title)
    for day in snapshot.days.values():
        assert all(entry.paper_id in snapshot.papers for entry in day.entries)
    assert _changes(snapshot, ingest_listings(snapshot, listings)) == []


@settings(max_examples=300, deadline=None)
@given(steps)
def test_hand_edits_between_listings_stay_and_a_replay_only_fills_deleted_fields(
    made: list[tuple[date, list[ListingEntry]] | Edit],
) -> None:
    """The README: hand edits win. A title or abstract edited by hand stays whatever listings
    come after (and the title the paper was listed under, or the arXiv id its file is named
    after, still finds it: no second paper); ingesting the listings taken again fills the
    fields deleted by hand (a count with the highest listed, no less than the days recorded)
    and changes nothing else: a count lowered by hand, a paper taken off a day included."""
    snapshot = EMPTY_SNAPSHOT
    listings: list[tuple[Listing, str]] = []
    hand = HandEdits()
    kept: dict[tuple[str, str], str] = {}  # (paper, field) -> its value edited by hand
    for number, step in enumerate(made):
        if isinstance(step[0], str):
            before, snapshot = snapshot, hand.apply(snapshot, step, number)
            field = FORGOTTEN.get(step[0], step[0])
            for paper in snapshot.papers.values():
                if field in ("title", "abstract") and before.papers[paper.id] != paper:
                    if value := getattr(paper, field):
                        kept[paper.id, field] = value
                    else:
                        kept.pop((paper.id, field), None)  # deleted: a listing may fill it
            for paper_id, field in list(kept):
                if paper_id not in snapshot.papers:  # taken off the site: its edits with it
                    del kept[paper_id, field]
            continue
        day, entries = step
        taken = (listing(day, entries), f"listings/{day}-{number}.json")
        listings.append(taken)
        before = snapshot
        snapshot = applied(ingest_listings(snapshot, [taken]), snapshot)
        if hand.touched["delete file"]:  # a new paper may be one taken off the site before
            hand.touched["delete file"] |= snapshot.papers.keys() - before.papers.keys()
        for (paper_id, field), value in kept.items():
            assert getattr(snapshot.papers[paper_id], field) == value, (paper_id, field)
        assert len(snapshot.papers) <= len(before.papers) + len(entries)
        for paper in snapshot.papers.values():  # no arXiv id is corrected by hand here
            if is_arxiv_id(paper.id):
                assert paper.arxiv_id in (None, paper.id), "two arXiv ids on one paper"
    again = ingest_listings(snapshot, listings)
    assert again.new_papers == 0, "a paper edited by hand, or taken off the site, was made again"
    deleted = {
        (paper_id, field) for kind, field in FORGOTTEN.items() for paper_id in hand.touched[kind]
    }
    for paper_id in hand.touched["delete file"]:  # listed again since: each field was deleted
        deleted |= {(paper_id, field) for field in FORGOTTEN.values()}
    for changed in _changes(snapshot, again):
        assert isinstance(changed, Paper), f"a replay changed a day: {changed}"
        held = snapshot.papers[changed.id]
        for name in ("title", "abstract", "arxiv_id", "upvotes", "authors", "topics"):
            before, after = getattr(held, name), getattr(changed, name)
            if before != after:
                assert (changed.id, name) in deleted, (changed.id, name, before, after)
                if name == "upvotes":
                    assert (after or 0) >= (before or 0)
                elif name == "abstract" and before:  # filled since by a text capture: the
                    assert before.split() == after.split()  # API answer's paragraphs come
                else:
                    assert not before, (changed.id, name, before, after)
    replayed = applied(again, snapshot)
    lowered = hand.touched["lower count"]
    for paper in replayed.papers.values():
        recorded = [
            e.upvotes for d in replayed.days.values() for e in d.entries if e.paper_id == paper.id
        ]
        if paper.upvotes is not None and paper.id not in lowered:
            assert paper.upvotes >= max((n for n in recorded if n is not None), default=0)
    assert _changes(replayed, ingest_listings(replayed, listings)) == []


def test_a_listings_new_title_is_noted_once_and_the_title_a_day_listed_never() -> None:
    """docs/content.md: a new listing that titles a paper otherwise than its file and its
    day's first listing is said in a note. A listing of the title a day listed the paper
    under, its file's edited by hand since, says nothing; a new title is said by the first
    listing that gives it, whether the next days come in one run or one run each. Found by
    mutation testing: a note on the title listed before, and one for each day of a run,
    passed every test of the merge."""
    listed = ListingEntry(title="Sparse Attention", abstract="A.", line=1, arxiv_id="2501.00007")
    snapshot = ingest_listing(EMPTY_SNAPSHOT, _listing(date(2026, 1, 5), listed))
    edited = dataclasses.replace(snapshot.papers["2501.00007"], title="Sparse Attention, Revised")
    snapshot = ContentSnapshot.of({edited.id: edited}, snapshot.days)
    merged = ingest_listings(snapshot, [(_listing(date(2026, 1, 6), listed), None)])
    assert merged.retitled == ()
    fixed = dataclasses.replace(listed, title="Sparse Attention for All")
    two_days = [(_listing(date(2026, 1, day), fixed), None) for day in (7, 8)]
    assert ingest_listings(snapshot, two_days).retitled == (
        (date(2026, 1, 7), edited.id, fixed.title, edited.title),
    )


def test_a_paper_retitled_and_taken_off_its_day_is_found_by_the_file_its_title_named() -> None:
    """docs/content.md: a paper is still found by the title it was listed under, or the file
    name that title gave it: retitled by hand and taken off its day, so that no day lists its
    old title, a listing of that title merges into its file, not into a second paper. Found by
    mutation testing: the file name passed over passed every test of the merge."""
    listed = ListingEntry(title="Sparse Attention", abstract="A.", line=1)
    day = date(2026, 1, 5)
    snapshot = ingest_listing(EMPTY_SNAPSHOT, _listing(day, listed))
    (paper,) = snapshot.papers.values()
    edited = dataclasses.replace(paper, title="Sparse Attention, Revised")
    taken_off = dataclasses.replace(snapshot.days[day], entries=())
    snapshot = ContentSnapshot.of({paper.id: edited}, {day: taken_off})
    after = ingest_listing(snapshot, _listing(day + timedelta(days=1), listed))
    assert list(after.papers) == [paper.id]
    assert after.papers[paper.id] == edited


def test_a_deleted_count_of_one_of_two_papers_of_a_title_comes_from_their_api_answer() -> None:
    """docs/content.md: a text capture's entry fills neither of two papers of one title, since
    it cannot tell them apart; the API answer of their day, which can, fills a count deleted
    by hand with the highest its listings and days give. Found by mutation testing: the
    capture's count, the other paper's, filled it, and passed every test of the merge."""
    day = date(2026, 6, 13)
    capture = ListingEntry(title="Same Title", abstract="A.", line=1, upvotes=9)
    first = dataclasses.replace(capture, arxiv_id="2606.00467")
    second = dataclasses.replace(capture, abstract="B.", upvotes=2, arxiv_id="2606.99001")
    listings = [
        (_listing(day, capture), "listings/2026-06-13.txt"),
        (_listing(day, first, second), "listings/2026-06-13.json"),
    ]
    snapshot = applied(ingest_listings(EMPTY_SNAPSHOT, listings), EMPTY_SNAPSHOT)
    assert snapshot.papers["2606.99001"].upvotes == 2
    deleted = dataclasses.replace(snapshot.papers["2606.99001"], upvotes=None)
    store = ContentSnapshot.of({**snapshot.papers, deleted.id: deleted}, snapshot.days)
    assert ingest_listings(store, listings).papers[deleted.id].upvotes == 2


def test_a_replayed_capture_fills_the_papers_after_a_title_two_papers_share() -> None:
    """A text capture ingested again skips its entry of a title two papers share (it cannot
    tell which it is) and goes on: a count deleted by hand of a paper listed after it comes
    back. Found by mutation testing: the replay stopped at that entry, and passed every test."""
    day = date(2026, 6, 13)
    shared = ListingEntry(title="Same Title", abstract="A.", line=1, upvotes=9)
    after = ListingEntry(title="A Paper Listed After It", abstract="C.", line=2, upvotes=4)
    listings = [
        (_listing(day, shared, after), "listings/2026-06-13.txt"),
        (
            _listing(
                day,
                dataclasses.replace(shared, arxiv_id="2606.00467"),
                dataclasses.replace(shared, abstract="B.", upvotes=2, arxiv_id="2606.99001"),
            ),
            "listings/2026-06-13.json",
        ),
    ]
    snapshot = applied(ingest_listings(EMPTY_SNAPSHOT, listings), EMPTY_SNAPSHOT)
    (paper,) = (p for p in snapshot.papers.values() if p.title == after.title)
    assert paper.upvotes == 4
    deleted = dataclasses.replace(paper, upvotes=None)
    store = ContentSnapshot.of({**snapshot.papers, deleted.id: deleted}, snapshot.days)
    assert ingest_listings(store, listings).papers[deleted.id].upvotes == 4


def test_a_paper_a_capture_lists_twice_is_one_entry_of_its_first_title_and_higher_count() -> None:
    """The day's entry of a paper listed twice keeps its first place and title and the higher
    count, which a replay fills a count deleted by hand with. Found by mutation testing: the
    first place's lower count stayed on the day, and passed every test."""
    day = date(2026, 6, 13)
    first = ListingEntry(title="Sparse Attention", abstract="A.", line=1, upvotes=3)
    other = ListingEntry(title="Another Paper", abstract="B.", line=2, upvotes=5)
    again = ListingEntry(title="Sparse attention.", abstract="A.", line=3, upvotes=7)
    snapshot = ingest_listing(EMPTY_SNAPSHOT, _listing(day, first, other, again))
    entries = [(e.title, e.upvotes) for e in snapshot.days[day].entries]
    assert entries == [("Sparse Attention", 7), ("Another Paper", 5)]


def test_a_title_apart_by_a_plus_from_a_retitled_papers_listed_title_is_another_paper() -> None:
    """Found by the property test of hand edits: "Fuzzing C Compilers" merged into the paper
    "Fuzzing C++ Compilers" made once that title was edited by hand, its file being the one
    the "C" title names (ids keep their old digest, made without "+" and "#")."""
    cpp = ListingEntry(title="Fuzzing C++ Compilers", abstract="About C++.", line=1)
    snapshot = ingest_listing(EMPTY_SNAPSHOT, _listing(date(2026, 1, 5), cpp))
    (paper,) = snapshot.papers.values()
    assert paper.id == slug_for_title("Fuzzing C Compilers")
    edited = dataclasses.replace(paper, title="Fuzzing the Compilers of C++")
    snapshot = ContentSnapshot.of({paper.id: edited}, snapshot.days)
    c = ListingEntry(title="Fuzzing C Compilers", abstract="About C.", line=1)
    after = ingest_listing(snapshot, _listing(date(2026, 1, 6), c))
    assert after.papers[paper.id] == edited
    assert sorted(p.abstract for p in after.papers.values()) == ["About C++.", "About C."]


@pytest.mark.parametrize("text_first", [True, False], ids=["text capture first", "API first"])
def test_a_count_deleted_by_hand_is_filled_by_a_replay_with_the_highest_and_rises_after(
    text_first: bool,
) -> None:
    """Found by a review: after a count was deleted by hand, a replay filled it with the first
    listing's count, lower than the days recorded, which then stayed as if lowered by hand."""
    text = ListingEntry(title="Sparse Attention", abstract="A.", line=1, upvotes=5)
    api = dataclasses.replace(text, upvotes=1, arxiv_id="2501.00006")
    days = [(date(2026, 1, 5), text), (date(2026, 1, 6), api)]
    listings = [(_listing(day, entry), f"listings/{day}.json") for day, entry in days]
    if not text_first:
        listings.reverse()
    snapshot = applied(ingest_listings(EMPTY_SNAPSHOT, listings), EMPTY_SNAPSHOT)
    (paper,) = snapshot.papers.values()
    assert paper.upvotes == 5
    forgotten = ContentSnapshot.of(
        {paper.id: dataclasses.replace(paper, upvotes=None)}, snapshot.days
    )
    replayed = applied(ingest_listings(forgotten, listings), forgotten)
    assert replayed.papers[paper.id].upvotes == 5
    more = dataclasses.replace(api, upvotes=9)
    assert ingest_listing(replayed, _listing(date(2026, 1, 7), more)).papers[paper.id].upvotes == 9


def test_a_replay_gives_back_a_deleted_abstract_in_the_paragraphs_the_api_answer_gave() -> None:
    """Found by a review: the older day's text capture (one paragraph) filled the deleted
    abstract first, and the API answer's paragraphs were then taken for a hand edit's join."""
    text = ListingEntry(title="Sparse Attention", abstract="P1. P2.", line=1)
    api = dataclasses.replace(text, abstract="P1.\n\nP2.", arxiv_id="2501.00006")
    listings = [
        (_listing(date(2026, 1, 5), text), "listings/2026-01-05.txt"),
        (_listing(date(2026, 1, 6), api), "listings/2026-01-06.json"),
    ]
    snapshot = applied(ingest_listings(EMPTY_SNAPSHOT, listings), EMPTY_SNAPSHOT)
    (paper,) = snapshot.papers.values()
    assert paper.abstract == "P1.\n\nP2."
    deleted = ContentSnapshot.of({paper.id: dataclasses.replace(paper, abstract="")}, snapshot.days)
    assert ingest_listings(deleted, listings).papers[paper.id] == paper
    joined = dataclasses.replace(paper, abstract="P1. P2.")  # by hand: it stays joined
    by_hand = ContentSnapshot.of({paper.id: joined}, snapshot.days)
    assert ingest_listings(by_hand, listings).papers[paper.id] == joined


@pytest.mark.parametrize(
    "by_hand",
    ["P1 as listed.\n\nP2.\n\nP3.", "P1 as\nlisted.\n\nP2. P3."],
    ids=["split into more paragraphs", "a line wrapped"],
)
def test_a_text_captures_abstract_edited_by_hand_keeps_its_lines_when_the_api_answer_comes(
    by_hand: str,
) -> None:
    """docs/content.md: a text capture's abstract takes the paragraphs of the API answer that
    brings its arXiv id only when they are more; hand edits win. Split by hand into as many
    paragraphs or more, or a line wrapped, it stays as edited. Found by mutation testing: the
    answer's fewer or as many paragraphs taken over the edit passed every test of the merge."""
    text = ListingEntry(title="Sparse Attention", abstract="P1 as listed. P2. P3.", line=1)
    api = dataclasses.replace(text, abstract="P1 as listed.\n\nP2. P3.", arxiv_id="2501.00006")
    snapshot = ingest_listing(EMPTY_SNAPSHOT, _listing(date(2026, 1, 5), text))
    (paper,) = snapshot.papers.values()
    edited = dataclasses.replace(paper, abstract=by_hand)
    store = ContentSnapshot.of({paper.id: edited}, snapshot.days)
    after = ingest_listing(store, _listing(date(2026, 1, 6), api)).papers[paper.id]
    assert (after.abstract, after.arxiv_id) == (edited.abstract, "2501.00006")


def test_a_count_lowered_by_hand_in_the_paper_and_its_day_stays_after_a_replay() -> None:
    """Found by a review: a replay raised the paper's count to its listing's again."""
    listings = [
        (
            _listing(date(2026, 1, 5), ListingEntry(title="T t", abstract="A", line=1, upvotes=25)),
            "listings/a.json",
        )
    ]
    snapshot = applied(ingest_listings(EMPTY_SNAPSHOT, listings), EMPTY_SNAPSHOT)
    (paper,) = snapshot.papers.values()
    (day,) = snapshot.days.values()
    lowered = ContentSnapshot.of(
        {paper.id: dataclasses.replace(paper, upvotes=3)},
        {
            day.day: dataclasses.replace(
                day, entries=(dataclasses.replace(day.entries[0], upvotes=3),)
            )
        },
    )
    assert _changes(lowered, ingest_listings(lowered, listings)) == []


def test_a_paper_file_named_after_its_arxiv_id_is_found_by_it_after_the_id_was_edited() -> None:
    """Found by a review: with its arxiv_id deleted or corrected by hand, a listing of the
    id went by the title to another paper of that title, and made a third file."""
    first = ListingEntry(title="Same Title", abstract="A.", line=1, arxiv_id="2606.00467")
    second = dataclasses.replace(first, abstract="B.", arxiv_id="2606.99001")
    snapshot = ingest_listing(EMPTY_SNAPSHOT, _listing(date(2026, 6, 13), first, second))
    assert sorted(snapshot.papers) == ["2606.00467", "2606.99001"]
    for edited_id in (None, "2606.99011"):
        paper = dataclasses.replace(snapshot.papers["2606.99001"], arxiv_id=edited_id)
        edited = ContentSnapshot.of({**snapshot.papers, paper.id: paper}, snapshot.days)
        again = ingest_listing(edited, _listing(date(2026, 6, 14), second))
        assert sorted(again.papers) == ["2606.00467", "2606.99001"], edited_id
        assert again.papers["2606.99001"].arxiv_id == (edited_id or "2606.99001")


def test_a_deleted_abstract_comes_back_as_the_first_api_answer_split_it() -> None:
    """Found by a review: two answers splitting one abstract otherwise, the later's came back."""
    first = ListingEntry(title="T t", abstract="P1.\n\nP2. P3.", line=1, arxiv_id="2501.00008")
    listings = [
        (_listing(date(2026, 1, 5), first), "l/5.json"),
        (
            _listing(date(2026, 1, 6), dataclasses.replace(first, abstract="P1.\n\nP2.\n\nP3.")),
            "l/6.json",
        ),
    ]
    snapshot = applied(ingest_listings(EMPTY_SNAPSHOT, listings), EMPTY_SNAPSHOT)
    paper = snapshot.papers["2501.00008"]
    assert paper.abstract == first.abstract
    deleted = ContentSnapshot.of({paper.id: dataclasses.replace(paper, abstract="")}, snapshot.days)
    assert ingest_listings(deleted, listings).papers[paper.id] == paper


def test_a_count_lowered_then_deleted_by_hand_takes_the_highest_listed_at_a_replay() -> None:
    """Found by a review: the first day's count filled it, and the next day's listing, taken
    before, could not raise it to the highest its listings give, as docs/content.md says."""
    entry = ListingEntry(title="T t", abstract="A", line=1, arxiv_id="2501.00009")
    listings = [
        (_listing(date(2026, 1, day), dataclasses.replace(entry, upvotes=count)), f"l/{day}.json")
        for day, count in ((5, 20), (6, 25))
    ]
    snapshot = applied(ingest_listings(EMPTY_SNAPSHOT, listings), EMPTY_SNAPSHOT)
    paper = dataclasses.replace(snapshot.papers["2501.00009"], upvotes=None)
    days = {
        day: dataclasses.replace(
            held, entries=tuple(dataclasses.replace(e, upvotes=3) for e in held.entries)
        )
        for day, held in snapshot.days.items()
    }
    edited = ContentSnapshot.of({paper.id: paper}, days)
    assert ingest_listings(edited, listings).papers[paper.id].upvotes == 25


def test_a_file_named_after_an_arxiv_id_its_id_deleted_is_not_another_ids_paper() -> None:
    """Found by the property with deleted files: "Agents: A Survey" of arXiv id 2501.00004
    merged into the file 2501.00005.md of the same title whose arxiv_id was deleted by hand,
    giving it the other paper's id (two arXiv ids are two papers; the file's name says its)."""
    mine = ListingEntry(title="Agents: a survey", abstract="Mine.", line=1, arxiv_id="2501.00005")
    snapshot = ingest_listing(EMPTY_SNAPSHOT, _listing(date(2026, 1, 5), mine))
    forgotten = dataclasses.replace(snapshot.papers["2501.00005"], arxiv_id=None)
    snapshot = ContentSnapshot.of({forgotten.id: forgotten}, snapshot.days)
    other = ListingEntry(title="Agents: A Survey", abstract="Other.", line=1, arxiv_id="2501.00004")
    after = ingest_listing(snapshot, _listing(date(2026, 1, 6), other))
    assert after.papers["2501.00005"] == forgotten
    assert after.papers["2501.00004"].abstract == "Other."


def test_a_fetch_by_date_dates_the_entries_of_days_no_older_than_the_newest_held_alone() -> None:
    """docs/content.md: a fetch with --date or --since writes `added` on the days no older than
    the newest held before it, the newest itself too (the rest of it came), and not on an older
    day, which is history filled in that feeds do not repeat. Found by mutation testing: either
    comparison turned passed every test."""
    older, newest = date(2026, 3, 2), date(2026, 3, 4)
    held = [
        (_listing(d, ListingEntry(title=f"Held on {d}", abstract="A.", line=1)), None)
        for d in (older, newest)
    ]
    store = applied(ingest_listings(EMPTY_SNAPSHOT, held), EMPTY_SNAPSHOT)
    morning = datetime(2026, 3, 5, 9, 47, tzinfo=UTC)
    fetched = [
        (_listing(d, ListingEntry(title=f"Fetched for {d}", abstract="B.", line=1)), None)
        for d in (date(2026, 3, 1), older, newest, date(2026, 3, 5))
    ]
    merged = ingest_listings(store, fetched, added=morning)  # not a scheduled fetch
    added = {
        day: [entry.added for entry in merged.days[day].entries if entry.title.startswith("F")]
        for day in merged.days
    }
    assert added == {
        date(2026, 3, 1): [None],
        older: [None],
        newest: [morning],
        date(2026, 3, 5): [morning],
    }
