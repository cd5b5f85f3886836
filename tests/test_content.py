"""The content store on disk: files round-trip, broken files say where, writes are atomic."""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitegen.config import parse_config
from sitegen.content import (
    BuildCache,
    _load_pickle,
    _save_pickle,
    load_content,
    mapped_parts,
    parse_day_file,
    parse_paper_file,
    parse_paper_files,
    render_day_file,
    render_paper_file,
    write_files,
    write_parts,
)
from sitegen.errors import ContentError
from sitegen.model import Appearance, Day, DayEntry, Organization, Paper, clean_block, clean_line
from sitegen.pages import AbstractHTML
from sitegen.plan import plan_site
from sitegen.site import assemble_site
from sitegen.urls import Routes
from tests.conftest import REPO

_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)


@given(
    title=_text.map(clean_line).filter(bool),
    abstract=_text.map(clean_block),
    authors=st.lists(_text.map(clean_line).filter(bool), max_size=3),
    upvotes=st.one_of(st.none(), st.integers(0, 10**6)),
    org=st.one_of(
        st.none(), st.tuples(_text.map(clean_line).filter(bool), _text.map(clean_line).filter(bool))
    ),
    days=st.lists(st.dates(date(2023, 1, 1), date(2030, 1, 1)), unique=True, max_size=3),
)
def test_paper_files_round_trip(title, abstract, authors, upvotes, org, days) -> None:  # type: ignore[no-untyped-def]
    paper = Paper(
        id="2501.00001",
        title=title,
        abstract=abstract,
        authors=tuple(authors),
        upvotes=upvotes,
        organization=Organization(handle=org[0], name=org[1]) if org else None,
        featured=tuple(Appearance(day=d, rank=i + 1) for i, d in enumerate(sorted(days))),
    )
    assert parse_paper_file(render_paper_file(paper), path="content/papers/2501.00001.md") == paper


def test_day_files_round_trip() -> None:
    day = Day(
        day=date(2026, 1, 8),
        entries=(
            DayEntry(paper_id="a-1", title='Quote " and \\', upvotes=3),
            DayEntry(paper_id="b", title="B"),
        ),
        sources=("listings/2026-01-08.txt",),
    )
    assert parse_day_file(render_day_file(day), path="content/days/2026-01-08.toml") == day


BROKEN = {
    "no front matter": ("Just an abstract\n", 1, "must start with"),
    "unclosed": ('+++\ntitle = "T"\n', 1, "never closed"),
    "bad toml": ('+++\ntitle = "T"\nupvotes = = 3\n+++\nA\n', 3, "bad TOML"),
    "bad date": (
        '+++\ntitle = "T"\npublished = "last week"\n+++\nA\n',
        3,
        "`published` must be a date",
    ),
    "negative upvotes": ('+++\ntitle = "T"\nupvotes = -2\n+++\nA\n', 3, "`upvotes`"),
    "unknown field": ('+++\ntitle = "T"\ncolour = "red"\n+++\nA\n', 3, "unknown field"),
    "no title": ("+++\nupvotes = 2\n+++\nA\n", 2, "`title` is missing"),
    "bad featured": (
        '+++\ntitle = "T"\nfeatured = [{ day = 2026-01-01, rank = 0 }]\n+++\n',
        3,
        "`featured`",
    ),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_paper_file_names_its_line(case: str) -> None:
    text, line, words = BROKEN[case]
    with pytest.raises(ContentError) as caught:
        parse_paper_file(text, path="content/papers/x.md")
    assert words in str(caught.value)
    assert caught.value.location is not None and caught.value.location.line == line
    assert caught.value.hint


def test_a_file_name_that_is_not_an_id_is_refused() -> None:
    with pytest.raises(ContentError, match="not a valid paper id"):
        parse_paper_file('+++\ntitle = "T"\n+++\n', path="content/papers/Bad Name.md")


def test_writes_land_together_and_skip_identical_files(tmp_path: Path) -> None:
    files = {"content/papers/a.md": b"one", "content/days/2026-01-01.toml": b"two"}
    assert sorted(write_files(tmp_path, files)) == sorted(files)
    assert write_files(tmp_path, files) == []
    assert not (tmp_path / ".sitegen-txn").exists()


def test_a_write_interrupted_after_its_commit_point_is_completed(tmp_path: Path) -> None:
    txn = tmp_path / ".sitegen-txn"
    (txn / "files").mkdir(parents=True)
    (txn / "files" / "w0").write_bytes(b'+++\ntitle = "T"\n+++\nA\n')
    manifest = {"move": [["content/papers/t.md", "w0"]], "delete": []}
    (txn / "manifest.json").write_text(json.dumps(manifest))
    snapshot = load_content(tmp_path)
    assert list(snapshot.papers) == ["t"] and not txn.exists()


def test_a_write_interrupted_before_its_commit_point_leaves_nothing(tmp_path: Path) -> None:
    txn = tmp_path / ".sitegen-txn"
    (txn / "files").mkdir(parents=True)
    (txn / "files" / "0").write_bytes(b"partial")
    assert load_content(tmp_path).papers == {} and not txn.exists()


def test_writes_outside_content_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ContentError):
        write_files(tmp_path, {"content/../evil.txt": b"x"})
    assert not (tmp_path / "evil.txt").exists()


def _store_with_one_paper(root: Path, title: str = "T") -> Path:
    paper = root / "content" / "papers" / "p-1.md"
    paper.parent.mkdir(parents=True, exist_ok=True)
    paper.write_text(f'+++\ntitle = "{title}"\ntopics = ["llm"]\n+++\nAbstract.\n')
    return paper


def test_the_parse_cache_sees_every_edit(tmp_path: Path) -> None:
    paper = _store_with_one_paper(tmp_path)
    assert load_content(tmp_path).papers["p-1"].title == "T"
    assert (tmp_path / ".sitegen-cache" / "content.pickle").is_file()
    paper.write_text(paper.read_text().replace('title = "T"', 'title = "U"'))  # same size
    assert load_content(tmp_path).papers["p-1"].title == "U"
    paper.unlink()
    assert load_content(tmp_path).papers == {}


def test_a_broken_cache_is_ignored(tmp_path: Path) -> None:
    _store_with_one_paper(tmp_path)
    load_content(tmp_path)
    (tmp_path / ".sitegen-cache" / "content.pickle").write_bytes(b"\x80\x05garbage")
    assert load_content(tmp_path).papers["p-1"].title == "T"


def test_a_build_cache_writes_a_few_changes_beside_the_whole(tmp_path: Path) -> None:
    whole, changes = (tmp_path / ".sitegen-cache" / f for f in ("t.pickle", "t-changes.pickle"))
    values = {f"k{i}": f"v{i}" for i in range(100)}
    BuildCache(tmp_path, "t", "1").save(values)
    written = whole.read_bytes()
    cache = BuildCache(tmp_path, "t", "1")
    (loaded,) = cache.load()
    assert loaded == values
    loaded["new"] = "n"  # three changes of a hundred entries: only they are written
    loaded["k1"] = "changed"
    del loaded["k2"]
    cache.save(loaded)
    assert whole.read_bytes() == written and changes.is_file()
    assert BuildCache(tmp_path, "t", "1").load() == (loaded,)
    assert BuildCache(tmp_path, "t", "2").load() == ({},)  # another version: none of it

    cache = BuildCache(tmp_path, "t", "1")
    (loaded,) = cache.load()
    cache.save({k: "all new" for k in loaded})  # many changes: the whole is written again
    assert whole.read_bytes() != written and not changes.exists()
    assert BuildCache(tmp_path, "t", "1").load() == ({k: "all new" for k in loaded},)


def test_changes_to_another_whole_or_damaged_ones_are_ignored(tmp_path: Path) -> None:
    changes = tmp_path / ".sitegen-cache" / "t-changes.pickle"
    first = BuildCache(tmp_path, "t", "1")
    first.save({f"k{i}": i for i in range(100)})
    first.save({"k0": -1, **{f"k{i}": i for i in range(1, 100)}})
    kept = changes.read_bytes()
    BuildCache(tmp_path, "t", "1").save({"other": 0})  # a whole of its own
    changes.write_bytes(kept)  # the changes of the first whole, restored
    assert BuildCache(tmp_path, "t", "1").load() == ({"other": 0},)
    changes.write_bytes(b"\x80\x05damaged")
    assert BuildCache(tmp_path, "t", "1").load() == ({"other": 0},)


def test_a_cached_paper_still_fails_on_a_topic_no_longer_defined(tmp_path: Path) -> None:
    _store_with_one_paper(tmp_path)
    load_content(tmp_path, known_topics=frozenset({"llm"}))
    with pytest.raises(ContentError) as caught:
        load_content(tmp_path, known_topics=frozenset({"robotics"}))
    assert str(caught.value).startswith("content/papers/p-1.md:3: unknown topic 'llm'")


def test_the_parse_cache_survives_a_fresh_clone(tmp_path: Path) -> None:
    # A clone (or a cache restored in CI) has new inodes and mtimes but the same bytes.
    original = tmp_path / "original"
    _store_with_one_paper(original)
    load_content(original)
    clone = tmp_path / "clone"
    shutil.copytree(original, clone)
    paper = clone / "content" / "papers" / "p-1.md"
    os.utime(paper, (1, 1))
    asked: list[list[tuple[str, str]]] = []

    def parse(files: list[tuple[str, str]], known: frozenset[str] | None) -> list[Any]:
        asked.append(files)
        return parse_paper_files(files, known)

    assert list(load_content(clone, parse_papers=parse).papers) == ["p-1"]
    paper.write_text(paper.read_text().replace('title = "T"', 'title = "U"'))
    assert load_content(clone, parse_papers=parse).papers["p-1"].title == "U"
    assert asked == [[], [(str(paper), "content/papers/p-1.md")]]


def _is_packed(paper: Paper) -> bool:
    try:
        object.__getattribute__(paper, "_packed")
    except AttributeError:
        return False
    return True


@given(
    title=_text.map(clean_line).filter(bool),
    authors=st.lists(_text.map(clean_line).filter(bool), max_size=3),
    upvotes=st.one_of(st.none(), st.integers(0, 10**6)),
)
def test_a_pickled_paper_is_the_same_value_unpacked_or_not(title, authors, upvotes) -> None:  # type: ignore[no-untyped-def]
    paper = Paper(
        id="2501.00001",
        title=title,
        abstract="A",
        authors=tuple(authors),
        upvotes=upvotes,
        topics=("llm",),
        organization=Organization(handle="h", name="n"),
        featured=(Appearance(day=date(2026, 1, 2), rank=3),),
    )
    for protocol in (4, 5):  # bytes up to 4 (worker pipes); from 5 a buffer (cache files)
        assert pickle.loads(pickle.dumps(paper, protocol)) == paper
    packed = pickle.loads(pickle.dumps(paper))
    assert _is_packed(packed) and packed.id == paper.id and packed.topics == paper.topics
    assert _is_packed(packed)  # reading id and topics does not unpack
    twice = pickle.loads(pickle.dumps(packed))  # pickled again while still packed
    assert packed == paper and hash(packed) == hash(paper) and repr(packed) == repr(paper)
    assert not _is_packed(packed)
    assert twice == paper and dataclasses.replace(twice, upvotes=1).title == title
    with pytest.raises(AttributeError):
        twice.no_such_field  # noqa: B018


def test_cache_files_keep_packed_papers_out_of_band_and_days_as_columns(tmp_path: Path) -> None:
    paper = Paper(id="p", title="T", abstract="An abstract. " * 50, topics=("llm",))
    entries = (DayEntry(paper_id="p", title="T", upvotes=2), DayEntry(paper_id="q", title="U"))
    days = [
        Day(day=date(2026, 1, 2), entries=entries, sources=("s",)),
        Day(day=date(2026, 1, 3), entries=()),
    ]
    path = tmp_path / "cache.pickle"
    _save_pickle(path, (paper, days))
    assert path.read_bytes().count(paper.abstract.encode()) == 1
    loaded, loaded_days = _load_pickle(path)
    assert _is_packed(loaded) and isinstance(object.__getattribute__(loaded, "_packed"), memoryview)
    assert loaded == paper and loaded_days == days
    assert pickle.loads(pickle.dumps(loaded)) == paper  # a mapped paper pickles like any other


def test_planning_a_build_reads_no_paper_beyond_its_id_and_topics(tmp_path: Path) -> None:
    """The rebuild after a new day plans 50,000 papers and renders a few hundred; unpacking
    them all from the parse cache cost a third of a second (see model.Paper)."""
    site = tmp_path / "site"
    shutil.copytree(REPO / "content", site / "content")
    config = parse_config((REPO / "site.toml").read_text(), source="site.toml")
    load_content(site)
    snapshot = load_content(site)  # from the cache
    assert all(_is_packed(paper) for paper in snapshot.papers.values())
    # As the build's cache of topic assignments answers: from the paper's id alone.
    built = assemble_site(snapshot, config, assign=lambda papers, _: [p.topics for p in papers])
    list(plan_site(built, Routes(config.base_url), snapshot.fingerprints, setup=""))
    AbstractHTML(built.papers)
    assert all(_is_packed(paper) for paper in snapshot.papers.values())


def test_a_file_of_parts_reads_back_as_written_and_a_cut_off_one_is_refused(
    tmp_path: Path,
) -> None:
    path = tmp_path / "cache" / "parts"
    parts = [b"header", b"", bytes(range(256)) * 40, memoryview(b"a view")]
    write_parts(path, parts)
    assert [bytes(part) for part in mapped_parts(path)] == [bytes(part) for part in parts]
    data = path.read_bytes()
    for damaged in (data[:-1], data + b"x", b"\0" * 8):
        path.write_bytes(damaged)
        with pytest.raises((ValueError, EOFError)):
            mapped_parts(path)
