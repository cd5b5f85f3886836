"""Ingest reads only what a listing touches: its index must answer as the whole store would."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen import store_index
from sitegen.cli import main
from sitegen.content import ContentSnapshot, load_content
from sitegen.ingest import MemoryIndex, ingest_listings
from sitegen.listings import Listing, ListingEntry
from sitegen.model import Day, DayEntry, Paper, title_key
from sitegen.store import CHANGES_FILE, INDEX_FILE, _read_index, ingest_into_store
from sitegen.store_index import PackedIndex
from tests.conftest import REPO, tree_bytes

# Small pools, so that ids, arXiv ids and titles collide the way hand edits make them.
_IDS = [f"p{n}" for n in range(6)]
_ARXIV = [None, "2501.00001", "2501.00002"]
_TITLES = ["A Survey", "a survey!", "Other Paper", "Third", "Ｔhird"]

_papers = st.dictionaries(
    st.sampled_from(_IDS),
    st.tuples(st.sampled_from(_ARXIV), st.sampled_from(_TITLES)),
)
_days = st.dictionaries(
    st.integers(1, 4),
    st.lists(
        st.tuples(
            st.sampled_from([*_IDS, "gone"]),
            st.sampled_from(_TITLES),
            st.none() | st.integers(0, 9),
        ),
        max_size=4,
    ),
)


def _snapshot(
    papers: dict[str, tuple[str | None, str]], days: dict[int, list[tuple[str, str, int | None]]]
) -> ContentSnapshot:
    return ContentSnapshot(
        papers={
            pid: Paper(id=pid, title=title, abstract="", arxiv_id=arxiv)
            for pid, (arxiv, title) in papers.items()
        },
        days={
            date(2026, 1, n): Day(
                day=date(2026, 1, n),
                entries=tuple(DayEntry(paper_id=p, title=t, upvotes=u) for p, t, u in entries),
            )
            for n, entries in days.items()
        },
    )


def _parts(chunks: list[bytes]) -> list[memoryview]:
    """An index's base as mapped_parts gives it back from its file."""
    return [memoryview(chunk) for chunk in chunks]


def _assert_answers_as_memory(saved: PackedIndex, snapshot: ContentSnapshot) -> None:
    memory = MemoryIndex.of(snapshot.papers, snapshot.days.values())
    for arxiv_id in _ARXIV[1:]:
        assert saved.by_arxiv(arxiv_id) == memory.by_arxiv(arxiv_id)
    for title in _TITLES:
        assert saved.by_title(title_key(title)) == memory.by_title(title_key(title))
    for paper_id in [*_IDS, "gone"]:
        assert saved.recorded_upvotes(paper_id) == memory.recorded_upvotes(paper_id)
        assert saved.has_paper(paper_id) == memory.has_paper(paper_id)
    assert saved.paper_count == len(snapshot.papers)
    assert all(saved.agrees_with(paper) for paper in snapshot.papers.values())


@settings(max_examples=300, deadline=None)
@given(papers=_papers, days=_days)
def test_the_saved_index_answers_as_the_index_of_the_whole_store(
    papers: dict[str, tuple[str | None, str]],
    days: dict[int, list[tuple[str, str, int | None]]],
) -> None:
    snapshot = _snapshot(papers, days)
    made = PackedIndex.of(snapshot.papers.values(), snapshot.days.values())
    saved, stamp = PackedIndex.unpacked(_parts(made.packed_base({"a": 1})), None)
    assert stamp == {"a": 1}
    _assert_answers_as_memory(saved, snapshot)


@settings(max_examples=300, deadline=None)
@given(before=st.tuples(_papers, _days), after=st.tuples(_papers, _days))
def test_an_index_brought_up_to_date_answers_as_one_made_afresh(
    before: tuple[dict[str, tuple[str | None, str]], dict[int, list[tuple[str, str, int | None]]]],
    after: tuple[dict[str, tuple[str | None, str]], dict[int, list[tuple[str, str, int | None]]]],
) -> None:
    """Papers added or retitled, days listed again (with fewer upvotes too) or dropped, as
    ingest and hand edits change them; saved and loaded between the two."""
    old = _snapshot(*before)
    new = _snapshot({**before[0], **after[0]}, after[1])
    base = _parts(PackedIndex.of(old.papers.values(), old.days.values()).packed_base({}))
    saved, _ = PackedIndex.unpacked(base, None)
    saved.put_papers(new.papers.values())
    for day in old.days.keys() - new.days.keys():
        saved.forget_day(day.isoformat())
    for day in new.days.values():
        if old.days.get(day.day) != day:  # as ingest does: only the days that changed
            saved.put_day(day)
    _assert_answers_as_memory(saved, new)
    # Saved as changes to the base, and folded into a new base.
    changes = saved.packed_changes({"after": 1})
    replayed, stamp = PackedIndex.unpacked(base, changes)
    assert stamp == {"after": 1}
    _assert_answers_as_memory(replayed, new)
    folded, _ = PackedIndex.unpacked(_parts(replayed.packed_base({})), None)
    _assert_answers_as_memory(folded, new)
    # Changes saved for another base are not applied to it.
    other = _parts(PackedIndex.of((), ()).packed_base({"other": 1}))
    assert PackedIndex.unpacked(other, changes)[1] == {"other": 1}


def test_a_paper_listed_under_one_title_on_two_days_is_found_by_it_after_one_changes() -> None:
    paper = Paper(id="p1", title="Own Title", abstract="")
    listed = DayEntry(paper_id="p1", title="Listed Title", upvotes=3)
    days = [Day(day=date(2026, 1, n), entries=(listed,)) for n in (1, 2)]
    base = _parts(PackedIndex.of([paper], days).packed_base({}))
    saved, _ = PackedIndex.unpacked(base, None)
    saved.put_day(Day(day=date(2026, 1, 1), entries=()))
    assert saved.by_title(title_key("Listed Title")) == "p1"
    assert saved.recorded_upvotes("p1") == 3
    saved.forget_day("2026-01-02")
    assert saved.by_title(title_key("Listed Title")) is None
    assert saved.recorded_upvotes("p1") is None


def _ingest(site: Path, *listings: Path | str) -> int:
    return main(["--root", str(site), "ingest", *map(str, listings)])


@pytest.mark.parametrize("fold_after", [1024, 3])
def test_ingesting_day_by_day_gives_what_one_run_gives(
    site: Path, fold_after: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each run after the first merges through the saved index, reading a few files; its
    changes are saved beside the base, or (after `fold_after` new ids) folded into it."""
    monkeypatch.setattr(store_index, "_FOLD_AFTER", fold_after)
    for listing in sorted((REPO / "content" / "listings").glob("*.txt")):
        assert _ingest(site, listing) == 0
        # The count the report gives, kept in the index rather than counted each run.
        saved, _ = _read_index(site) or (PackedIndex(), {})
        assert saved.paper_count == len(list((site / "content" / "papers").glob("*.md")))
        assert (site / CHANGES_FILE).is_file() == (fold_after > 3)
    assert (site / INDEX_FILE).is_file()
    assert tree_bytes(site / "content") == tree_bytes(REPO / "content")


def _day_listing(tmp_path: Path, day: str, *titles: str) -> Path:
    """A listing in the bare shape of the 2026-03-14 seed: titles and abstracts."""
    path = tmp_path / f"{day}.txt"
    header = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\n"
    header += "byAK and the research community\n\nFeb 1\n\n"
    path.write_text(
        header + "".join(f"{title}\n\nAn abstract for {title}.\n\n" for title in titles)
    )
    return path


def _paper_titled(site: Path, title: str) -> list[Path]:
    return [
        path
        for path in (site / "content" / "papers").iterdir()
        if f'title = "{title}"' in path.read_text()
    ]


def test_a_listing_finds_a_paper_retitled_by_a_replaced_file(site: Path, tmp_path: Path) -> None:
    assert _ingest(site, _day_listing(tmp_path, "2026-02-01", "First Title", "Other")) == 0
    (paper,) = _paper_titled(site, "First Title")
    edited = paper.read_text().replace("First Title", "Second Title")
    replacement = paper.with_suffix(".tmp")
    replacement.write_text(edited)
    replacement.replace(paper)  # as git and most editors write
    assert _ingest(site, _day_listing(tmp_path, "2026-02-02", "Second Title")) == 0
    assert len(list((site / "content" / "papers").iterdir())) == 2
    assert "2026-02-02" in paper.read_text()


def test_a_paper_the_listing_names_is_read_even_when_edited_in_place(
    site: Path, tmp_path: Path
) -> None:
    assert _ingest(site, _day_listing(tmp_path, "2026-02-01", "Some Title")) == 0
    (paper,) = _paper_titled(site, "Some Title")
    paper.write_text(paper.read_text().replace("An abstract", "A hand-written abstract"))
    assert _ingest(site, _day_listing(tmp_path, "2026-02-02", "Some Title")) == 0
    text = paper.read_text()
    assert "A hand-written abstract" in text and "2026-02-02" in text


def _ingest_as_a_full_read_would(site: Path, listing: Listing) -> None:
    """Ingest through the saved index, and check the store is what merging into the whole
    store, read afresh, gives."""
    expected = ingest_listings(load_content(site, use_cache=False), [(listing, None)])
    ingest_into_store(site, [(listing, None)])
    after = load_content(site, use_cache=False)
    assert (after.papers, after.days) == (expected.papers, expected.days)


def test_a_named_paper_whose_arxiv_id_was_edited_in_place_is_not_matched_by_the_old_one(
    site: Path,
) -> None:
    def listing(day: int) -> Listing:
        entry = ListingEntry(title="T", abstract="A", line=1, arxiv_id="2501.00001")
        return Listing(day=date(2026, 2, day), entries=(entry,), origin="test", shape="hf-json")

    _ingest_as_a_full_read_would(site, listing(1))
    paper = site / "content" / "papers" / "2501.00001.md"
    paper.write_text(paper.read_text().replace('"2501.00001"', '"2501.00009"'))
    _ingest_as_a_full_read_would(site, listing(2))
    assert len(load_content(site).papers) == 2  # the edited paper no longer claims that id


def test_a_day_whose_paper_was_deleted_by_hand_can_be_ingested_again(site: Path) -> None:
    entries = tuple(
        ListingEntry(title=title, abstract="A", line=1, arxiv_id=arxiv)
        for title, arxiv in (("Kept", "2501.00001"), ("Deleted", "2501.00002"))
    )
    listing = Listing(day=date(2026, 2, 1), entries=entries, origin="test", shape="hf-json")
    _ingest_as_a_full_read_would(site, dataclasses.replace(listing, entries=entries[:1]))
    _ingest_as_a_full_read_would(site, listing)
    (site / "content" / "papers" / "2501.00002.md").unlink()
    _ingest_as_a_full_read_would(site, dataclasses.replace(listing, entries=entries[:1]))
    _ingest_as_a_full_read_would(site, listing)


def test_a_day_file_edited_in_place_is_read_again(site: Path, tmp_path: Path) -> None:
    """A day keeps the title a paper was listed under, which later listings find it by."""
    assert _ingest(site, _day_listing(tmp_path, "2026-02-01", "Listed Title")) == 0
    day_file = site / "content" / "days" / "2026-02-01.toml"
    day_file.write_text(day_file.read_text().replace("Listed Title", "As Listed Elsewhere"))
    assert _ingest(site, _day_listing(tmp_path, "2026-02-02", "As Listed Elsewhere")) == 0
    assert len(list((site / "content" / "papers").iterdir())) == 1


def test_the_sqlite_index_of_earlier_versions_is_removed(site: Path, tmp_path: Path) -> None:
    old = [site / ".sitegen-cache" / f"ingest-index.sqlite{end}" for end in ("", "-wal", "-shm")]
    for path in old:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"SQLite format 3\0")
    assert _ingest(site, _day_listing(tmp_path, "2026-02-01", "A Paper")) == 0
    assert not any(path.exists() for path in old)
    assert (site / INDEX_FILE).is_file()


@pytest.mark.parametrize("damaged", [INDEX_FILE, CHANGES_FILE])
def test_a_damaged_index_is_made_again(site: Path, tmp_path: Path, damaged: str) -> None:
    assert _ingest(site, _day_listing(tmp_path, "2026-02-01", "A Paper")) == 0
    assert _ingest(site, _day_listing(tmp_path, "2026-02-02", "Another")) == 0
    assert (site / damaged).is_file()
    (site / damaged).write_bytes(b"not an index" * 100)
    assert _ingest(site, _day_listing(tmp_path, "2026-02-03", "A Paper", "New One")) == 0
    assert len(list((site / "content" / "papers").iterdir())) == 3
    assert _ingest(site, _day_listing(tmp_path, "2026-02-04", "A Paper", "Another")) == 0
    assert len(list((site / "content" / "papers").iterdir())) == 3


def test_a_store_copied_elsewhere_is_indexed_afresh(site: Path, tmp_path: Path) -> None:
    assert _ingest(site, _day_listing(tmp_path, "2026-02-01", "A Paper")) == 0
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in ("site.toml", "content", ".sitegen-cache"):
        source = site / name
        if source.is_dir():
            for path in sorted(source.rglob("*")):
                target = copy / name / path.relative_to(source)
                if path.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                else:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.hardlink_to(path)
        else:
            (copy / name).hardlink_to(source)
    index_before = (site / INDEX_FILE).read_bytes()
    assert _ingest(copy, _day_listing(tmp_path, "2026-02-02", "Another")) == 0
    # The copy made its own index instead of changing the hard-linked one of the original.
    assert (site / INDEX_FILE).read_bytes() == index_before
    assert len(load_content(copy).papers) == 2 and len(load_content(site).papers) == 1
