"""Merging listings into the content store: one paper per identity, hand edits win."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from sitegen.content import EMPTY_SNAPSHOT, ContentSnapshot, snapshot_changes
from sitegen.ingest import ingest_listing, ingest_listings
from sitegen.listings import Listing, ListingEntry, parse_listing
from sitegen.model import Appearance, Organization, is_paper_id, slug_for_title, title_key


def _seed_snapshot(seed_bytes: dict[str, bytes]) -> ContentSnapshot:
    listings = [
        (parse_listing(raw, origin=name), f"listings/{name}") for name, raw in seed_bytes.items()
    ]
    return ingest_listings(EMPTY_SNAPSHOT, listings)


def _listing(day: date, *entries: ListingEntry) -> Listing:
    return Listing(day=day, entries=entries, origin="test", shape="full")


def test_the_seeds_hold_450_papers_36_repeated_one_in_all_five(
    seed_bytes: dict[str, bytes],
) -> None:
    snapshot = _seed_snapshot(seed_bytes)
    assert len(snapshot.papers) == 450
    repeats = [p for p in snapshot.papers.values() if len(p.featured) > 1]
    assert len(repeats) == 36
    assert [len(p.featured) for p in snapshot.papers.values()].count(5) == 1
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
    assert Appearance(day=date(2026, 11, 22), rank=1) in first.featured
    for rank, entry in enumerate(day.entries, start=1):
        assert Appearance(day=day.day, rank=rank) in snapshot.papers[entry.paper_id].featured


def test_ingesting_again_changes_nothing(seed_bytes: dict[str, bytes]) -> None:
    once = _seed_snapshot(seed_bytes)
    twice = ingest_listings(
        once, [(parse_listing(raw, origin=n), f"listings/{n}") for n, raw in seed_bytes.items()]
    )
    assert snapshot_changes(once, twice) == {}


def test_same_title_up_to_case_punctuation_and_unicode_form_is_one_paper() -> None:
    a = ListingEntry(title="Ｌarge Models: A Survey", abstract="x", line=1)
    b = ListingEntry(title="large models -- a survey", abstract="y", line=1)
    snapshot = ingest_listing(EMPTY_SNAPSHOT, _listing(date(2026, 1, 1), a))
    snapshot = ingest_listing(snapshot, _listing(date(2026, 1, 2), b))
    (paper,) = snapshot.papers.values()
    assert paper.abstract == "x"  # the first value stays
    assert [a.day for a in paper.featured] == [date(2026, 1, 1), date(2026, 1, 2)]


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
    hand_edited = ContentSnapshot(papers=papers, days=snapshot.days)
    again = ingest_listings(
        hand_edited,
        [(parse_listing(raw, origin=n), f"listings/{n}") for n, raw in seed_bytes.items()],
    )
    assert again.papers[paper.id] == edited, "the maintainer's word wins"
    assert len(again.papers) == 450, "the listed title still finds the retitled paper"
    assert snapshot_changes(hand_edited, again) == {}


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


@given(st.text(alphabet=st.characters(max_codepoint=0x7F)) | st.text())
def test_title_keys_of_ascii_titles_follow_the_unicode_rule(title: str) -> None:
    # title_key takes a fast path for ASCII titles; it must agree with the general rule.
    general = re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", title).casefold())
    assert title_key(title) == general
