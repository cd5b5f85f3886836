"""The content store on disk: files round-trip, broken files say where, writes are atomic, and
ingesting day by day gives what one run gives, whatever was edited by hand in between."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import tempfile
import tomllib
from datetime import date
from pathlib import Path

import feedparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.clean import clean_block, clean_line
from sitegen.cli import main
from sitegen.errors import ContentError, ListingError
from sitegen.formats import (
    carry_comments,
    carry_written_keys,
    parse_day_file,
    parse_paper_file,
    render_day_file,
    render_paper_file,
)
from sitegen.ingest import ingest_listings
from sitegen.layout import CONFIG_FILE, DAYS_DIR, PAPERS_DIR
from sitegen.listings import Listing, ListingEntry, parse_listing
from sitegen.model import ContentSnapshot, Day, DayEntry, Organization, Paper
from sitegen.store import (
    ParsedPaper,
    StoredPapers,
    load_content,
    parse_paper_files,
    stored_days,
)
from sitegen.store_writes import content_files, ingest_into_store, write_files
from tests.conftest import REPO, item_date, sitegen_here, tree_bytes
from tests.hf_server import running_hf
from tests.listing_steps import Edit, HandEdits, applied, listing, steps

_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)


@given(
    title=_text.map(clean_line).filter(bool),
    abstract=_text.map(clean_block),
    authors=st.lists(_text.map(clean_line).filter(bool), max_size=3),
    upvotes=st.one_of(st.none(), st.integers(0, 10**6)),
    org=st.one_of(
        st.none(), st.tuples(_text.map(clean_line).filter(bool), _text.map(clean_line).filter(bool))
    ),
    published=st.one_of(st.none(), st.dates(date(2000, 1, 1), date(2030, 1, 1))),
    not_topics=st.lists(st.sampled_from(["rl", "nlp", "llm"]), max_size=2, unique=True),
)
def test_paper_files_round_trip(
    title, abstract, authors, upvotes, org, published, not_topics
) -> None:  # type: ignore[no-untyped-def]
    paper = Paper(
        id="2501.00001",
        title=title,
        abstract=abstract,
        authors=tuple(authors),
        upvotes=upvotes,
        organization=Organization(handle=org[0], name=org[1]) if org else None,
        published=published,
        not_topics=tuple(not_topics),
    )
    assert parse_paper_file(render_paper_file(paper), path="content/papers/2501.00001.md") == paper


_comment = _text.map(lambda text: "# " + clean_line(text).replace("\n", " "))


def _with_comments(text: str, first: int, end: int, comments: list[tuple[int, str, bool]]) -> str:
    """`text` with each comment after the value on, or on a line above, a line from `first`
    to `end` (excluded), as a person would write them."""
    lines = text.split("\n")
    for at, comment, inline in comments:
        line = first + at % (end - first)
        if inline and "#" not in lines[line]:
            lines[line] += "  " + comment
        else:
            lines.insert(line, comment)
            end += 1
    return "\n".join(lines)


# (a line, a comment, after the line's value or on a line above it)
_comments = st.lists(st.tuples(st.integers(0, 40), _comment, st.booleans()), max_size=5)


@given(
    title=_text.map(clean_line).filter(bool),
    authors=st.lists(_text.map(clean_line).filter(bool), max_size=3),
    comments=_comments,
    spread=st.booleans(),
    line_end=st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_comments_written_in_a_paper_file_stay_when_it_is_rewritten(  # type: ignore[no-untyped-def]
    title, authors, comments, spread, line_end
) -> None:
    """Found by reviews: a comment after a value (`upvotes = 3  # by hand`) was dropped when
    ingest rewrote the file, so was one in an array written over several lines, and a line
    starting with "#" inside a string became a comment; a file of CR line ends (an old Mac
    editor's) was one line, and the new file was written after it."""
    paper = Paper(id="2501.00001", title=title, authors=tuple(authors), upvotes=3, abstract="A #1")
    text = render_paper_file(paper)
    if spread and authors:  # the authors one a line, as a person may write them
        line = next(line for line in text.split("\n") if line.startswith("authors = ["))
        names = [json.dumps(name, ensure_ascii=False) for name in authors]
        text = text.replace(line, "authors = [\n" + "".join(f"  {n},\n" for n in names) + "]")
    edited = _with_comments(text, 1, text.split("\n").index("+++", 1), comments)
    edited = edited.replace("\n", line_end)
    raised = dataclasses.replace(paper, upvotes=4)
    rewritten = carry_comments(edited, render_paper_file(raised))
    assert parse_paper_file(rewritten, path="content/papers/2501.00001.md") == raised
    for _, comment, _ in comments:
        assert comment in rewritten


@given(
    title=_text.map(clean_line).filter(bool),
    authors=st.lists(_text.map(clean_line).filter(bool), min_size=1, max_size=3),
    comments=_comments,
    spread=st.booleans(),
    changed=st.sampled_from(["upvotes", "authors"]),
    line_end=st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_a_rewrite_keeps_what_was_written_by_hand_and_changes_what_changed(  # type: ignore[no-untyped-def]
    title, authors, comments, spread, changed, line_end
) -> None:
    """What an ingest does to a paper file edited by hand (store_writes): the keys whose
    values stay are kept as written, comments and all, and the file reads as the paper."""
    paper = Paper(id="2501.00001", title=title, authors=tuple(authors), upvotes=3, abstract="A")
    text = render_paper_file(paper)
    if spread:  # the authors one a line, as a person may write them
        line = next(line for line in text.split("\n") if line.startswith("authors = ["))
        names = [json.dumps(name, ensure_ascii=False) for name in authors]
        text = text.replace(line, "authors = [\n" + "".join(f"  {n},\n" for n in names) + "]")
    edited = _with_comments(text, 1, text.split("\n").index("+++", 1), comments)
    edited = edited.replace("\n", line_end)
    new = {"upvotes": 4} if changed == "upvotes" else {"authors": (*authors, "Another")}
    raised = dataclasses.replace(paper, **new)  # type: ignore[arg-type]
    rewritten, rest = carry_written_keys(edited, render_paper_file(raised))
    rewritten = carry_comments(rest, rewritten)
    assert parse_paper_file(rewritten, path="content/papers/2501.00001.md") == raised
    for _, comment, _ in comments:
        assert comment in rewritten
    lines = edited.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    front_matter = lines[1 : lines.index("+++", 1)]
    kept = [line for line in front_matter if not line.startswith(changed)]
    if changed == "authors":  # the title's line kept as written; the authors' lines not
        kept = [line for line in front_matter if line.startswith("title = ")]
    assert set(kept) <= set(rewritten.split("\n"))


@given(
    titles=st.lists(_text.map(clean_line).filter(bool), min_size=1, max_size=3),
    comments=_comments,
    line_end=st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_comments_written_in_a_day_file_stay_when_it_is_rewritten(  # type: ignore[no-untyped-def]
    titles, comments, line_end
) -> None:
    """Found by a review: a comment after the closing `]` of a day's papers was dropped."""
    entries = tuple(DayEntry(paper_id=f"p{n}", title=t, upvotes=n) for n, t in enumerate(titles))
    day = Day(day=date(2026, 1, 8), entries=entries, sources=("listings/2026-01-08.txt",))
    text = render_day_file(day)
    edited = _with_comments(text, 0, len(text.split("\n")) - 1, comments).replace("\n", line_end)
    raised = dataclasses.replace(
        day, entries=(dataclasses.replace(entries[0], upvotes=9), *entries[1:])
    )
    rewritten = carry_comments(edited, render_day_file(raised))
    assert parse_day_file(rewritten, path="content/days/2026-01-08.toml") == raised
    for _, comment, _ in comments:
        assert comment in rewritten


@pytest.mark.parametrize(
    ("title", "comments"),
    [
        ('"""a \\""" b"""', ["# c1"]),  # an escaped quote, then two: no end of the string
        ("'''it''''", ["# c1 don't"]),  # the string's last quote, then its end
        ('"""a \\""" #c9 in the title"""', []),  # "#" inside the string: no comment
    ],
)
def test_a_multi_line_string_ends_where_toml_ends_it(title: str, comments: list[str]) -> None:
    """Found by a review: after `\\\"""` the rest of the file was read as inside the string,
    so its comments were dropped, and a string's "#" was carried as a comment."""
    paper = Paper(
        id="2501.00001", title=tomllib.loads(f"t = {title}")["t"], abstract="A", upvotes=3
    )
    lines = render_paper_file(paper).split("\n")
    title_line = next(i for i, line in enumerate(lines) if line.startswith("title = "))
    lines[title_line] = "  ".join([f"title = {title}", *comments])
    lines = [line + "  # c2" if line.startswith("upvotes = ") else line for line in lines]
    raised = dataclasses.replace(paper, upvotes=4)
    rewritten = carry_comments("\n".join(lines), render_paper_file(raised))
    assert parse_paper_file(rewritten, path="content/papers/2501.00001.md") == raised
    for comment in [*comments, "# c2"]:
        assert rewritten.count(comment) == 1, comment
    assert "#c9" not in rewritten.replace(json.dumps(raised.title), "")


def test_a_comment_in_an_array_sitegen_writes_on_one_line_is_not_moved_into_another() -> None:
    """Found by a review: the comment after a hand-written `sources` array's closing `]` went
    to the papers' `]`, as if about them. It goes to the top; the papers' own stays."""
    day = Day(
        day=date(2026, 6, 12),
        entries=(DayEntry(paper_id="a", title="A [1]", upvotes=1),),
        sources=("listings/2026-06-12.json",),
    )
    edited = (
        render_day_file(day)
        .replace(
            'sources = ["listings/2026-06-12.json"]',
            'sources = [\n  "listings/2026-06-12.json",\n]  # s',
        )
        .replace("upvotes = 1 },\n]", "upvotes = 1 },\n]  # p")
    )
    raised = dataclasses.replace(day, entries=(dataclasses.replace(day.entries[0], upvotes=2),))
    rewritten = carry_comments(edited, render_day_file(raised))
    assert rewritten.startswith("# s\nday = 2026-06-12\n")
    assert rewritten.endswith("upvotes = 2 },\n]  # p\n")
    assert parse_day_file(rewritten, path="content/days/2026-06-12.toml") == raised


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
    late = dataclasses.replace(day, arrived_after=date(2026, 1, 12))
    text = render_day_file(late)
    assert text.startswith("day = 2026-01-08\narrived_after = 2026-01-12\n")
    assert parse_day_file(text, path="content/days/2026-01-08.toml") == late
    wrong = text.replace("arrived_after = 2026-01-12", "arrived_after = 2026-01-08")
    with pytest.raises(ContentError) as refused:
        parse_day_file(wrong, path="content/days/2026-01-08.toml")
    assert refused.value.location is not None and refused.value.location.line == 2


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("2026-01-09", "set day = 2026-01-09"),
        # Found by a trial: "set day = 2026-08-32", which was then refused as no day.
        ("2026-08-32", "name the file after the day it holds: content/days/2026-01-08.toml"),
        ("monday", "name the file after the day it holds: content/days/2026-01-08.toml"),
        # A day no site holds; and a new user's trial, a day's name written unpadded: the
        # hint named content/days/YYYY-MM-DD.toml, though the file says its day.
        ("1066-01-01", "name the file after the day it holds: content/days/2026-01-08.toml"),
        ("2026-1-8", "name the file after the day it holds: content/days/2026-01-08.toml"),
    ],
)
def test_a_day_file_named_after_another_day_says_what_to_mend(name: str, hint: str) -> None:
    text = 'day = 2026-01-08\n\n[[papers]]\nid = "2601.00001"\nrank = 1\n'
    with pytest.raises(ContentError) as caught:
        parse_day_file(text, path=f"content/days/{name}.toml")
    assert "matching its file name" in caught.value.message and hint in caught.value.hint
    if "name the file" in hint:  # renamed over a day file that is there, that one was lost
        assert "if that file is there, move what this one adds into it" in caught.value.hint


BROKEN = {
    "no front matter": ("Just an abstract\n", 1, "must start with"),
    "a topic given and refused": (
        '+++\ntitle = "T"\ntopics = ["rl"]\nnot_topics = ["nlp", "rl"]\n+++\nA\n',
        4,
        "`not_topics` refuses 'rl', which `topics` gives",
    ),
    "unclosed": ('+++\ntitle = "T"\n', 1, "never closed"),
    "bad toml": ('+++\ntitle = "T"\nupvotes = = 3\n+++\nA\n', 3, "bad TOML"),
    "bad date": (
        '+++\ntitle = "T"\npublished = "last week"\n+++\nA\n',
        3,
        "`published` must be a date",
    ),
    # TOML reads no day there and says "Expected newline": found by a trial
    "no such day": (
        '+++\ntitle = "T"\npublished = 2026-13-45\n+++\nA\n',
        3,
        "`published` = 2026-13-45 is not a day (YYYY-MM-DD)",
    ),
    # the parser says "Cannot overwrite a value": which key, and why? (found by a trial)
    "a key twice": (
        '+++\ntitle = "T"\nupvotes = 13\nupvotes = 14\n+++\nA\n',
        4,
        "`upvotes` is given a second time",
    ),
    # a date written as another country writes it: the parser said "Expected newline" (a
    # maintainer's trial)
    "a day of another format": (
        '+++\ntitle = "T"\npublished = 06/04/2026\n+++\nA\n',
        3,
        "`published` = 06/04/2026 is not a day (YYYY-MM-DD)",
    ),
    "a day with dots": (
        '+++\ntitle = "T"\npublished = 4.6.2026\n+++\nA\n',
        3,
        "`published` = 4.6.2026 is not a day (YYYY-MM-DD)",
    ),
    # a date written in words was hinted to be quoted (a381843: published = "June 4, 2026"),
    # which the next run refused for its quotes
    "a day in words": (
        '+++\ntitle = "T"\npublished = June 4, 2026\n+++\nA\n',
        3,
        "`published` = June 4, 2026 is not a day (YYYY-MM-DD)",
    ),
    "a day in words, the day first": (
        '+++\ntitle = "T"\npublished = 4 Jun. 2026  # from arXiv\n+++\nA\n',
        3,
        "`published` = 4 Jun. 2026 is not a day (YYYY-MM-DD)",
    ),
    # a line separator TOML keeps in a string does not move the line looked at (a review)
    "no such day after U+2028": (
        '+++\ntitle = "A\u2028B"\npublished = 2026-13-45\n+++\nA\n',
        3,
        "`published` = 2026-13-45 is not a day",
    ),
    # a day, then something else: the parser's words stand
    "after a day": ('+++\ntitle = "T"\npublished = 2026-01-05 x\n+++\nA\n', 3, "Expected newline"),
    "negative upvotes": ('+++\ntitle = "T"\nupvotes = -2\n+++\nA\n', 3, "`upvotes`"),
    "unknown key": ('+++\ntitle = "T"\ncolour = "red"\n+++\nA\n', 3, "unknown key `colour`"),
    # more digits than int() takes: the parser's ValueError, said with no line (h14: a mutant
    # that let it through, a traceback, survived)
    "an integer of 5,000 digits": (
        '+++\ntitle = "T"\nupvotes = ' + "9" * 5000 + "\n+++\nA\n",
        None,
        "bad TOML: Exceeds the limit (4300 digits)",
    ),
    "no title": ("+++\nupvotes = 2\n+++\nA\n", 2, "`title` is missing"),
    # Days are the day files' to say: a paper file that says them would be ignored.
    "featured": (
        '+++\ntitle = "T"\nfeatured = [{ day = 2026-01-01, rank = 1 }]\n+++\n',
        3,
        "unknown key `featured`",
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


@pytest.mark.parametrize(
    ("case", "hint"),
    [
        ("a key twice", "keep one of its two lines"),
        ("no such day", "published = 2025-10-31"),
        ("a day in words", "published = 2025-10-31"),
    ],
)
def test_a_key_twice_or_a_day_of_no_calendar_is_not_hinted_as_toml_syntax(
    case: str, hint: str
) -> None:
    """Found by a trial: each was hinted to check the TOML syntax and quoting."""
    with pytest.raises(ContentError) as caught:
        parse_paper_file(BROKEN[case][0], path="content/papers/x.md")
    assert hint in caught.value.hint


def test_a_key_twice_is_the_key_the_parser_stopped_at_not_text_inside_a_string() -> None:
    """Found by a review: lines of a multi-line string were read as keys given twice."""
    text = (
        '+++\ntitle = "T"\nkeywords = ["""\nup = 1\nup = 2\n"""]\nupvotes = 1\nupvotes = 2\n+++\n'
    )
    with pytest.raises(ContentError) as caught:
        parse_paper_file(text, path="content/papers/x.md")
    assert caught.value.message == "bad TOML: `upvotes` is given a second time"
    assert caught.value.location is not None and caught.value.location.line == 8


def test_a_table_declared_twice_in_front_matter_names_the_first_at_its_line_in_the_file() -> None:
    """h14: the first `[organization]` was named at its line in the front matter (2), not in
    the file (3, below the opening +++), though the second was named at its line in the file."""
    text = '+++\ntitle = "T"\n[organization]\nhandle = "a"\n[organization]\nname = "b"\n+++\nA\n'
    with pytest.raises(ContentError) as caught:
        parse_paper_file(text, path="content/papers/x.md")
    assert caught.value.message == "bad TOML: `[organization]` is declared a second time"
    assert caught.value.location is not None and caught.value.location.line == 5
    assert caught.value.hint == "merge the two tables into one (the first is on line 3)"


def test_a_paper_file_that_names_its_days_says_where_days_are_kept() -> None:
    with pytest.raises(ContentError) as caught:
        parse_paper_file(BROKEN["featured"][0], path="content/papers/x.md")
    assert "content/days/" in caught.value.hint


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
    assert len(load_content(tmp_path).papers) == 0 and not txn.exists()


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
    paper.write_text(paper.read_text().replace('title = "T"', 'title = "U"'))  # same size
    assert load_content(tmp_path).papers["p-1"].title == "U"
    paper.unlink()
    assert len(load_content(tmp_path).papers) == 0


def test_a_damaged_cache_is_ignored(tmp_path: Path) -> None:
    _store_with_one_paper(tmp_path)
    load_content(tmp_path)
    caches = sorted((tmp_path / ".sitegen-cache").iterdir())
    assert [cache.name for cache in caches] == ["content-states", "parsed.marshal"]
    for cache in caches:
        good = cache.read_bytes()
        for damaged in (b"\x80\x05garbage", good[:-7], b""):
            cache.write_bytes(damaged)
            assert load_content(tmp_path).papers["p-1"].title == "T"
        cache.write_bytes(good)


@pytest.mark.parametrize("older", ["parsed.marshal", "content-states"])
def test_a_cache_and_states_out_of_step_give_the_files_as_they_are(
    tmp_path: Path, older: str
) -> None:
    # The parse cache is saved, then the files' states (sitegen.file_states): a run killed
    # between the two leaves older states; a cache that could not be saved, an older cache.
    # Neither may claim that a file is what an older run parsed.
    paper = _store_with_one_paper(tmp_path)
    second = _store_with_one_paper(tmp_path / "second")
    shutil.move(second, paper.with_name("p-2.md"))
    load_content(tmp_path)
    kept = tmp_path / ".sitegen-cache" / older
    before = kept.read_bytes()
    paper.write_text(paper.read_text().replace('title = "T"', 'title = "U"'))  # same size
    paper.with_name("p-2.md").unlink()
    assert load_content(tmp_path).papers["p-1"].title == "U"
    assert kept.read_bytes() != before
    kept.write_bytes(before)
    for _ in range(2):  # and the next run
        snapshot = load_content(tmp_path)
        assert snapshot.titles == {"p-1": "U"}, "the facts of the file as it is, and no other"


def test_a_cached_paper_still_fails_on_a_topic_no_longer_defined(tmp_path: Path) -> None:
    _store_with_one_paper(tmp_path)
    load_content(tmp_path, known_topics=frozenset({"llm"}))
    with pytest.raises(ContentError) as caught:
        load_content(tmp_path, known_topics=frozenset({"robotics"}))
    assert str(caught.value).startswith("content/papers/p-1.md:3: unknown topic 'llm'")


def test_a_paper_edited_as_its_topic_leaves_site_toml_is_said_once(tmp_path: Path) -> None:
    """A maintainer edits a paper naming `llm` and, in the same sitting, takes `llm` out of
    site.toml: the next run says the paper's unknown topic once, not once for the edit and
    again for the topic gone."""
    paper = _store_with_one_paper(tmp_path)
    load_content(tmp_path, known_topics=frozenset({"llm"}))
    paper.write_text(paper.read_text().replace('title = "T"', 'title = "T, edited"'))
    with pytest.raises(ContentError) as caught:
        load_content(tmp_path, known_topics=frozenset({"robotics"}))
    assert str(caught.value) == (
        "content/papers/p-1.md:3: unknown topic 'llm' in `topics`\n"
        "  hint: use a topic slug from site.toml: robotics"
    )


def test_a_cached_paper_still_fails_on_a_refused_topic_no_longer_defined(tmp_path: Path) -> None:
    """A review: the cache's facts named `topics` alone, so a slug of `not_topics` renamed in
    site.toml was ignored without a word."""
    paper = tmp_path / "content" / "papers" / "p-1.md"
    paper.parent.mkdir(parents=True)
    paper.write_text('+++\ntitle = "T"\nnot_topics = ["llm"]\n+++\nAbstract.\n')
    load_content(tmp_path, known_topics=frozenset({"llm"}))
    with pytest.raises(ContentError) as caught:
        load_content(tmp_path, known_topics=frozenset({"robotics"}))
    assert str(caught.value).startswith(
        "content/papers/p-1.md:3: unknown topic 'llm' in `not_topics`"
    )


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

    def parse(files: list[tuple[str, str]], known: frozenset[str] | None) -> list[ParsedPaper]:
        asked.append(files)
        return parse_paper_files(files, known)

    assert list(load_content(clone, parse_papers=parse).papers) == ["p-1"]
    paper.write_text(paper.read_text().replace('title = "T"', 'title = "U"'))
    assert load_content(clone, parse_papers=parse).papers["p-1"].title == "U"
    assert asked == [[], [(str(paper), "content/papers/p-1.md")]]


def _ingest(site: Path, *listings: Path) -> int:
    return main(["--root", str(site), "ingest", *map(str, listings)])


def test_ingesting_day_by_day_gives_what_one_run_gives(site: Path) -> None:
    for kept in sorted((REPO / "content" / "listings").iterdir()):
        assert _ingest(site, kept) == 0
    assert tree_bytes(site / "content") == tree_bytes(REPO / "content")


def _day_listing(tmp_path: Path, day: str, *titles: str) -> Path:
    """A listing in the bare shape of the 2026-03-14 seed: titles and abstracts."""
    path = tmp_path / f"{day}.txt"
    header = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\n"
    shown = date.fromisoformat(day)
    header += f"byAK and the research community\n\n{shown:%b} {shown.day}\n\n"
    path.write_text(
        header + "".join(f"{title}\n\nAn abstract for {title}.\n\n" for title in titles)
    )
    return path


def test_a_day_that_came_late_says_so_in_its_file(site: Path, tmp_path: Path) -> None:
    """A day missed and had later by a scheduled fetch is new to the feeds' readers
    (sitegen.outputs): its file says which day was the store's newest when it came; a day
    more than 14 days older is a backfill of history, and says nothing."""
    for day in ("2026-02-10", "2026-02-07", "2026-01-01"):
        listing = _day_listing(tmp_path, day, f"Paper of {day}")
        parsed = parse_listing(listing.read_bytes(), origin=str(listing))
        kept = {f"content/listings/{day}.txt": listing.read_bytes()}  # as fetch keeps it
        ingest_into_store(site, [(parsed, f"listings/{day}.txt")], files=kept, mark_late=True)
    days = site / "content" / "days"
    assert "arrived_after = 2026-02-10\n" in (days / "2026-02-07.toml").read_text()
    assert "arrived_after" not in (days / "2026-01-01.toml").read_text()  # 40 days older
    assert "arrived_after" not in (days / "2026-02-10.toml").read_text()
    before = tree_bytes(site / "content")
    assert _ingest(site, _day_listing(tmp_path, "2026-02-07", "Paper of 2026-02-07")) == 0
    assert _ingest(site, _day_listing(tmp_path, "2026-02-11", "Paper of 2026-02-11")) == 0
    assert _ingest(site, _day_listing(tmp_path, "2026-02-09", "Paper of 2026-02-09")) == 0
    assert "arrived_after" not in (days / "2026-02-09.toml").read_text()  # by hand: history
    assert {k: v for k, v in tree_bytes(site / "content").items() if k in before} == before
    assert load_content(site).late_days == {date(2026, 2, 7): date(2026, 2, 10)}


def _scheduled_run(site: Path, tmp_path: Path, days: dict[str, int]) -> None:
    """A scheduled fetch that had `days`, each with its first N papers."""
    listings = []
    for day, count in days.items():
        path = _day_listing(tmp_path, day, *(f"Paper {k} of {day}" for k in range(count)))
        listings.append((parse_listing(path.read_bytes(), origin=str(path)), None))
    ingest_into_store(site, listings, mark_late=True)


def _run_of_titles(
    site: Path, tmp_path: Path, days: dict[str, list[str]], *, feed_days: int | None = None
) -> None:
    """A scheduled fetch that had `days`, each listing these titles."""
    listings = []
    for day, titles in days.items():
        path = _day_listing(tmp_path, day, *titles)
        listings.append((parse_listing(path.read_bytes(), origin=str(path)), None))
    ingest_into_store(site, listings, mark_late=True, feed_days=feed_days)


def _dated(site: Path) -> dict[str, str]:
    assert main(["--root", str(site), "build"]) == 0
    atom = feedparser.parse((site / "public" / "atom.xml").read_bytes())
    return {entry.title: item_date(entry) for entry in atom.entries}


def test_a_published_items_date_never_changes_as_days_are_completed(
    site: Path, tmp_path: Path
) -> None:
    """Found by a review: P, featured on Mar 2 and Mar 3, was dated Mar 2; Mar 2 completed
    later (its completion had failed) was marked as come with Mar 4, and P's date moved to
    Mar 3. A day's mark is set when the day comes, never after."""
    _run_of_titles(site, tmp_path, {"2026-03-02": ["P", "A"]})
    first = _dated(site)["P"]
    _run_of_titles(site, tmp_path, {"2026-03-03": ["P", "B"]})
    assert _dated(site)["P"] == first
    _run_of_titles(
        site,
        tmp_path,
        {"2026-03-02": ["P", "A", "C"], "2026-03-03": ["P", "B"], "2026-03-04": ["D"]},
    )
    dated = _dated(site)
    assert dated["P"] == first and "C" in dated
    assert "arrived_after" not in (site / "content" / "days" / "2026-03-02.toml").read_text()


@pytest.mark.parametrize("on_a_later_day", [True, False])
def test_a_day_completed_past_the_feeds_window_came_late_unless_a_date_would_move(
    site: Path, tmp_path: Path, on_a_later_day: bool
) -> None:
    """Found by a subscriber's trial: Mar 2, fetched while filling and completed only after
    four newer days, gained C, dated Mar 2 and past the feeds' window: C reached no feed. The
    day now comes late with the newest, unless a paper it listed (P) is on a later day too,
    whose published date would then move."""
    later = ["P", "B"] if on_a_later_day else ["B"]
    _run_of_titles(site, tmp_path, {"2026-03-02": ["P", "A"]}, feed_days=4)
    _run_of_titles(site, tmp_path, {"2026-03-03": later}, feed_days=4)
    first = _dated(site)["P"]
    for day in ("04", "05", "06"):  # more than `[feeds] items` = 50 papers
        titles = [f"Paper {k} of Mar {day}" for k in range(20)]
        _run_of_titles(site, tmp_path, {f"2026-03-{day}": titles}, feed_days=4)
    _run_of_titles(site, tmp_path, {"2026-03-02": ["P", "A", "C"]}, feed_days=4)
    marked = "arrived_after = 2026-03-06\n" in (site / "content/days/2026-03-02.toml").read_text()
    dated = _dated(site)
    assert marked is not on_a_later_day
    assert ("C" in dated) is not on_a_later_day, "past the window, unless it came late"
    assert dated.get("P", first) == first, "a published item keeps its date"


def test_a_day_completed_two_builds_before_it_leaves_the_feeds_reaches_a_reader_missing_two_polls(
    site: Path, tmp_path: Path
) -> None:
    """Found by a subscriber's trial: Mar 2, completed by a retry with two newer days held,
    was the third newest day, so its new papers were in the feeds for two builds: a reader
    who missed two polls never saw them (README: "misses two polls, misses no paper")."""
    _run_of_titles(site, tmp_path, {"2026-03-02": ["A"]}, feed_days=4)
    for day in ("03", "04"):  # more than `[feeds] items` = 50 papers
        titles = [f"Paper {k} of Mar {day}" for k in range(30)]
        _run_of_titles(site, tmp_path, {f"2026-03-{day}": titles}, feed_days=4)
    _run_of_titles(site, tmp_path, {"2026-03-02": ["A", "C"]}, feed_days=4)
    assert "arrived_after = 2026-03-04\n" in (site / "content/days/2026-03-02.toml").read_text()
    for day in ("05", "06"):  # the reader misses the polls after the build of the retry
        titles = [f"Paper {k} of Mar {day}" for k in range(30)]
        _run_of_titles(site, tmp_path, {f"2026-03-{day}": titles}, feed_days=4)
    assert "C" in _dated(site)


def _in_the_feed(site: Path) -> set[str]:
    assert main(["--root", str(site), "build"]) == 0
    atom = feedparser.parse((site / "public" / "atom.xml").read_bytes())
    return {entry.title for entry in atom.entries}


def test_a_run_that_brings_several_days_puts_all_their_papers_in_the_feeds(
    site: Path, tmp_path: Path
) -> None:
    """Found by a subscriber's trial: after two runs failed, one brought six days, and the
    papers of the three before the feeds' latest three (`[feeds] days`) were in no feed, ever.
    They come with the newest day of the run, as a retried missed day does."""
    _scheduled_run(site, tmp_path, {"2026-02-01": 2})
    brought = {f"2026-02-0{d}": 20 for d in range(2, 8)}  # more than `[feeds] items` = 50
    _scheduled_run(site, tmp_path, brought)
    days = site / "content" / "days"
    for day in list(brought)[:-1]:
        assert "arrived_after = 2026-02-07\n" in (days / f"{day}.toml").read_text()
    assert "arrived_after" not in (days / "2026-02-07.toml").read_text()
    assert {f"Paper {k} of {d}" for d in brought for k in range(20)} <= _in_the_feed(site)


def test_a_day_had_on_its_last_retry_came_late(site: Path, tmp_path: Path) -> None:
    """Found by a review: fetch retries a missed day for 14 days after the newest held; had on
    the last retry, with the next day, it is 15 days older than the newest day after the run,
    and was taken for history: its papers reached no feed."""
    _scheduled_run(site, tmp_path, {"2026-03-16": 1})
    _scheduled_run(site, tmp_path, {"2026-03-02": 2, "2026-03-01": 2, "2026-03-17": 1})
    days = site / "content" / "days"
    assert "arrived_after = 2026-03-17\n" in (days / "2026-03-02.toml").read_text()
    assert "arrived_after" not in (days / "2026-03-01.toml").read_text()  # 15 days: history


def test_the_rest_of_a_day_fetched_while_filling_reaches_a_reader_who_missed_two_polls(
    site: Path, tmp_path: Path
) -> None:
    """Found by a subscriber's trial: the workflow fetches today early, so a day is completed
    by the next run; a reader who polled after the first and missed the next two never saw
    the rest of that day: it was older than the feeds' latest three days by then. The window
    is four days ([feeds] days): three whole ones and the one still filling."""
    _scheduled_run(site, tmp_path, {"2026-03-02": 2})  # the reader polls after this run
    seen = _in_the_feed(site)
    _scheduled_run(site, tmp_path, {"2026-03-02": 30, "2026-03-03": 1})  # 30: more than
    _scheduled_run(site, tmp_path, {"2026-03-03": 30, "2026-03-04": 1})  # `[feeds] items` = 50
    _scheduled_run(site, tmp_path, {"2026-03-04": 30, "2026-03-05": 1})  # in the last 3 days
    now = _in_the_feed(site)  # and again after this one
    papers = {f"Paper {k} of 2026-03-0{d}" for d in (2, 3, 4) for k in range(30)}
    assert papers <= seen | now
    unchanged_day = {"2026-03-05": 1}  # a day fetched again as it was marks nothing
    _scheduled_run(site, tmp_path, unchanged_day)
    assert "arrived_after" not in (site / "content" / "days" / "2026-03-05.toml").read_text()


def test_two_paper_files_of_one_arxiv_id_are_refused_naming_both(site: Path) -> None:
    """Found by a trial: a paper file copied by hand was a second page of the same paper."""
    assert _ingest(site, REPO / "content" / "listings" / "2026-06-12.json") == 0
    papers = site / "content" / "papers"
    shutil.copy(papers / "2606.13594.md", papers / "copy.md")
    for command in (["build"], ["ingest", str(REPO / "content" / "listings" / "2026-06-12.json")]):
        result = sitegen_here("--root", str(site), *command)
        assert result.returncode == 2 and "Traceback" not in result.stderr
        first, hint = result.stderr.splitlines()
        assert first == (  # at the copy's arxiv_id line: the file named so is the paper's
            "sitegen: error: content/papers/copy.md:3: the arXiv id 2606.13594 is also the one"
            " of content/papers/2606.13594.md, its name: one paper, two files"
        )
        assert hint == (
            "  hint: if they are one paper, keep content/papers/2606.13594.md (its name is the"
            " paper's address and feed id): merge into it what this file adds, delete this file"
            ' and point its day entries at it (id = "2606.13594"); if not, correct this arxiv_id'
        )
    (papers / "copy.md").unlink()
    assert main(["--root", str(site), "build"]) == 0


def test_a_file_given_the_arxiv_id_another_is_named_after_is_refused_by_every_command(
    site: Path, tmp_path: Path
) -> None:
    """A maintainer's trial: a file of notes made by hand, `my-notes.md` with the arXiv id of
    `2606.13594.md`, whose `arxiv_id` line was deleted (its name is its id). Builds made two
    pages of the paper; the day's next listing, fetched or ingested, filled the notes file and
    listed it on the day beside the other, without a word. Every command now refuses at the
    notes file's `arxiv_id` line, naming the other file, and changes nothing."""
    listing = REPO / "content" / "listings" / "2026-06-12.json"
    assert _ingest(site, listing) == 0
    assert main(["--root", str(site), "build"]) == 0
    papers = site / "content" / "papers"
    named = papers / "2606.13594.md"
    named.write_text(named.read_text().replace('arxiv_id = "2606.13594"\n', ""))
    (papers / "my-notes.md").write_text(
        '+++\ntitle = "My notes on dense latent communication"\narxiv_id = "2606.13594"\n+++\n'
        "What I make of it.\n"
    )
    answer = json.loads(listing.read_bytes())
    for entry in answer:  # the day's next answer: every count one higher
        entry["paper"]["upvotes"] += 1
    later = tmp_path / "2026-06-12.json"
    later.write_text(json.dumps(answer))
    content, public = tree_bytes(site / "content"), tree_bytes(site / "public")
    with running_hf() as (source, url):
        source.serve_answer("2026-06-12", later.read_bytes(), per_page=10)
        for command in (
            ["build"],
            ["ingest", str(later)],
            ["fetch", "--source", url, "--date", "2026-06-12"],
        ):
            result = sitegen_here("--root", str(site), *command)
            assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
            error, hint = result.stderr.splitlines()
            assert error == (
                "sitegen: error: content/papers/my-notes.md:3: the arXiv id 2606.13594 is also"
                " the one of content/papers/2606.13594.md, its name: one paper, two files"
            )
            assert "keep content/papers/2606.13594.md" in hint
            assert tree_bytes(site / "content") == content
            assert tree_bytes(site / "public") == public


def test_two_files_of_notes_given_one_arxiv_id_are_refused_at_both_lines(site: Path) -> None:
    """Neither file named after the id: the error is at the first's `arxiv_id` line and names
    the other's, written as a person writes TOML (single quotes, a comment above it)."""
    papers = site / "content" / "papers"
    papers.mkdir(parents=True)
    (papers / "notes-a.md").write_text("+++\ntitle = 'A'\narxiv_id = '2601.00001'\n+++\nA.\n")
    (papers / "notes-b.md").write_text(
        '+++\n# mine\ntitle = "B"\n\narxiv_id = "2601.00001"\n+++\nB.\n'
    )
    with pytest.raises(ContentError) as refused:
        load_content(site)
    assert str(refused.value.location) == "content/papers/notes-a.md:3"
    assert refused.value.message == (
        "the arXiv id 2601.00001 is also the one of content/papers/notes-b.md (line 5): one"
        " paper, two files"
    )


def test_one_paper_made_by_two_clones_is_said_after_their_merge(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A text capture ingested in one clone and the API's answer fetched in another each take
    a paper as new, under two ids; git merges the two new files without a conflict. The next
    run says so, naming both, and on the Actions run's page; two papers of one title and two
    arXiv ids are two papers, and a run that reads neither file again says nothing."""
    other, fetched, captured = _one_paper_in_two_clones(site, tmp_path)
    assert fetched.name == "2606.00467.md" and not captured.name.startswith("2606.")
    for kind in ("papers", "days"):  # the merge: files only one side added
        for path in (other / "content" / kind).iterdir():
            shutil.copy(path, site / "content" / kind / path.name)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = sitegen_here("--root", str(site), "build")
    assert result.returncode == 0, result.stderr
    [note] = [line for line in result.stderr.splitlines() if "note:" in line]
    assert note.startswith(
        f"sitegen: note: content/papers/{fetched.name} and content/papers/{captured.name} have"
        " the same title: if they are one paper"
    )
    warning = f"::warning title=sitegen: one paper twice?::content/papers/{fetched.name} and"
    assert f"{warning} content/papers/{captured.name} have the same title" in result.stdout
    again = sitegen_here("--root", str(site), "build")
    assert again.returncode == 0 and "note:" not in again.stderr

    merged = site / "content" / "papers" / captured.name  # the site's, not the other clone's
    merged.write_text(
        merged.read_text().replace('title = "', 'arxiv_id = "2601.00001"\ntitle = "', 1)
    )
    assert 'arxiv_id = "2601.00001"' in merged.read_text()
    two_ids = sitegen_here("--root", str(site), "build")
    assert two_ids.returncode == 0 and "note:" not in two_ids.stderr
    # The fetched file's arxiv_id line deleted: its name is its arXiv id (as ingest finds it),
    # still another than the captured file's.
    fetched.write_text(fetched.read_text().replace('arxiv_id = "2606.00467"\n', "", 1))
    named_id = sitegen_here("--root", str(site), "build")
    assert named_id.returncode == 0 and "note:" not in named_id.stderr, named_id.stderr


def test_one_paper_made_by_two_clones_is_said_in_the_clone_that_built_the_capture(
    site: Path, tmp_path: Path
) -> None:
    """The merge the other way: the clone that took the paper from a text capture (no arXiv
    id) has built since, and the API's file of it (with its arXiv id) comes in by git. The
    build that reads the new file says so: the built file has no arXiv id, so they may be one."""
    other, fetched, captured = _one_paper_in_two_clones(site, tmp_path)
    built = sitegen_here("--root", str(other), "build")
    assert built.returncode == 0 and "same title" not in built.stderr, built.stderr
    for kind in ("papers", "days"):  # the merge: files only the fetching clone added
        for path in (site / "content" / kind).iterdir():
            if not (other / "content" / kind / path.name).exists():
                shutil.copy(path, other / "content" / kind / path.name)
    result = sitegen_here("--root", str(other), "build")
    assert result.returncode == 0, result.stderr
    [note] = [line for line in result.stderr.splitlines() if "same title" in line]
    assert note.startswith(
        f"sitegen: note: content/papers/{fetched.name} and content/papers/{captured.name} have"
        " the same title: if they are one paper"
    )


def _one_paper_in_two_clones(site: Path, tmp_path: Path) -> tuple[Path, Path, Path]:
    """A clone of `site` (returned first) that took a paper from a text capture, and `site`
    that took it from the API's answer: the other clone, then the two papers' files."""
    title = (
        "On the Limits of LLM Adaptability: Impact of Model-Internalized Priors on Annotation"
        " Task Performance"
    )
    other = tmp_path / "other-clone"
    shutil.copytree(site, other)
    assert _ingest(site, REPO / "content" / "listings" / "2026-06-12.json") == 0
    assert _ingest(other, _day_listing(tmp_path, "2026-06-13", title)) == 0
    [fetched], [captured] = _paper_titled(site, title), _paper_titled(other, title)
    return other, fetched, captured


def _paper_titled(site: Path, title: str) -> list[Path]:
    return [
        path
        for path in (site / "content" / "papers").iterdir()
        if f'title = "{title}"' in path.read_text()
    ]


def _days_listing(site: Path, paper: Path) -> list[str]:
    paper_id = f'id = "{paper.stem}"'
    return [
        p.stem for p in sorted((site / "content" / "days").iterdir()) if paper_id in p.read_text()
    ]


@pytest.mark.parametrize("in_place", [False, True])
def test_a_listing_finds_a_paper_retitled_by_hand(
    site: Path, tmp_path: Path, in_place: bool
) -> None:
    assert _ingest(site, _day_listing(tmp_path, "2026-02-01", "First Title", "Other")) == 0
    (paper,) = _paper_titled(site, "First Title")
    edited = paper.read_text().replace("First Title", "Second Title")
    if in_place:
        paper.write_text(edited)
    else:  # as git and most editors write
        replacement = paper.with_suffix(".tmp")
        replacement.write_text(edited)
        replacement.replace(paper)
    assert _ingest(site, _day_listing(tmp_path, "2026-02-02", "Second Title")) == 0
    assert len(list((site / "content" / "papers").iterdir())) == 2
    assert _days_listing(site, paper) == ["2026-02-01", "2026-02-02"]


def test_a_paper_edited_by_hand_keeps_the_edit_when_listed_again(
    site: Path, tmp_path: Path
) -> None:
    assert _ingest(site, _day_listing(tmp_path, "2026-02-01", "Some Title")) == 0
    (paper,) = _paper_titled(site, "Some Title")
    paper.write_text(paper.read_text().replace("An abstract", "A hand-written abstract"))
    assert _ingest(site, _day_listing(tmp_path, "2026-02-02", "Some Title")) == 0
    assert "A hand-written abstract" in paper.read_text()
    assert _days_listing(site, paper) == ["2026-02-01", "2026-02-02"]


def test_a_file_rewritten_keeps_the_mode_a_user_gave_it_and_a_read_only_one_is_refused(
    site: Path, tmp_path: Path
) -> None:
    """Found by a review: a day file made 600 came back 644, and one made read-only (444)
    was replaced without a word (as any user but root; root may write any file)."""
    for name in ("again", "third"):
        (tmp_path / name).mkdir()
    assert _ingest(site, _day_listing(tmp_path, "2026-02-01", "First Title")) == 0
    day = site / "content" / "days" / "2026-02-01.toml"
    day.chmod(0o600)
    assert _ingest(site, _day_listing(tmp_path / "again", "2026-02-01", "Second Title")) == 0
    assert "Second Title" in day.read_text() and day.stat().st_mode & 0o777 == 0o600
    before = day.read_bytes()
    day.chmod(0o444)  # refused by its mode, as root too (whom os.access lets write any file)
    with pytest.raises(ContentError) as caught:
        ingest_into_store(
            site,
            [
                (
                    parse_listing(
                        _day_listing(tmp_path / "third", "2026-02-01", "Third Title").read_bytes(),
                        origin="2026-02-01.txt",
                    ),
                    None,
                )
            ],
        )
    assert str(caught.value).startswith(f"{day}: read-only: a file made so is not replaced")
    assert day.read_bytes() == before


def _ingest_as_a_full_read_would(site: Path, listing: Listing) -> None:
    """Ingest into the store, and check it is what merging into the store read afresh gives."""
    before = load_content(site, use_cache=False)
    expected = applied(ingest_listings(before, [(listing, None)]), before)
    ingest_into_store(site, [(listing, None)])
    after = load_content(site, use_cache=False)
    assert dict(after.papers) == dict(expected.papers) and after.days == expected.days


def test_a_paper_whose_arxiv_id_was_edited_is_still_found_by_the_one_it_was_listed_under(
    site: Path,
) -> None:
    def listing(day: int) -> Listing:
        entry = ListingEntry(title="T", abstract="A", line=1, arxiv_id="2501.00001")
        return Listing(day=date(2026, 2, day), entries=(entry,), origin="test", shape="hf-json")

    _ingest_as_a_full_read_would(site, listing(1))
    paper = site / "content" / "papers" / "2501.00001.md"
    paper.write_text(paper.read_text().replace('"2501.00001"', '"2501.00009"'))
    _ingest_as_a_full_read_would(site, listing(2))
    # A corrected id is a hand edit, which wins; the paper's file is named after the old one.
    papers = load_content(site).papers
    assert list(papers) == ["2501.00001"] and papers["2501.00001"].arxiv_id == "2501.00009"


def test_a_paper_file_deleted_by_hand_its_day_entries_left_stops_ingest_and_writes_nothing(
    site: Path,
) -> None:
    """Reviews found that making such a file again from a listing merged two papers of one
    title (which arXiv id a file named after its title had is kept nowhere else): a store that
    names a paper it does not have is refused, by ingest as by the build, with the way out."""
    entries = tuple(
        ListingEntry(title=title, abstract="A", line=1, arxiv_id=arxiv)
        for title, arxiv in (("Kept", "2501.00001"), ("Deleted", "2501.00002"))
    )
    listing = Listing(day=date(2026, 2, 1), entries=entries, origin="test", shape="hf-json")
    _ingest_as_a_full_read_would(site, listing)
    (site / "content" / "papers" / "2501.00002.md").unlink()
    before = tree_bytes(site / "content")
    with pytest.raises(ContentError) as refused:
        _ingest_as_a_full_read_would(site, listing)
    assert refused.value.message == (
        "no paper has the id '2501.00002' (no content/papers/2501.00002.md)"
    )
    assert refused.value.location is not None
    assert refused.value.location.path == "content/days/2026-02-01.toml"
    assert refused.value.hint == (
        "if content/papers/2501.00002.md was deleted, restore it from a copy; to take the paper"
        " off the site, delete its day entries too"
    )
    assert tree_bytes(site / "content") == before
    day_file = site / "content" / "days" / "2026-02-01.toml"  # taken off the site, as it says
    day_file.write_text("\n".join(x for x in day_file.read_text().split("\n") if "00002" not in x))
    _ingest_as_a_full_read_would(site, dataclasses.replace(listing, entries=entries[:1]))
    assert sorted(load_content(site).papers) == ["2501.00001"]


def test_a_day_file_edited_by_hand_is_read_again(site: Path, tmp_path: Path) -> None:
    """A day keeps the title a paper was listed under, which later listings find it by."""
    assert _ingest(site, _day_listing(tmp_path, "2026-02-01", "Listed Title")) == 0
    day_file = site / "content" / "days" / "2026-02-01.toml"
    day_file.write_text(day_file.read_text().replace("Listed Title", "As Listed Elsewhere"))
    assert _ingest(site, _day_listing(tmp_path, "2026-02-02", "As Listed Elsewhere")) == 0
    assert len(list((site / "content" / "papers").iterdir())) == 1


def test_a_file_saved_with_windows_line_ends_keeps_them_when_an_ingest_rewrites_it(
    site: Path, tmp_path: Path
) -> None:
    """Found by a maintainer's trial: a paper or day file a Windows editor saved (CRLF, a
    byte-order mark) was rewritten with LF by the next day's ingest, so the daily commit's
    diff showed every line of it changed, the one change among them unseen."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert _ingest(site, _day_listing(tmp_path / "a", "2026-02-01", "Listed Title")) == 0
    content = site / "content"
    day_file = content / "days" / "2026-02-01.toml"
    (paper_file,) = (content / "papers").iterdir()
    front_matter = paper_file.read_bytes().split(b"+++\n")[1]  # the abstract deleted by hand
    windows = {
        day_file: b"\xef\xbb\xbf" + day_file.read_bytes().replace(b"\n", b"\r\n"),
        paper_file: b"+++\r\n" + front_matter.replace(b"\n", b"\r\n") + b"+++\r\n",
    }
    for path, data in windows.items():
        path.write_bytes(data)
    again = _day_listing(tmp_path / "b", "2026-02-01", "Listed Title", "Another Title")
    assert _ingest(site, again) == 0
    for path, before in windows.items():
        after = path.read_bytes()
        assert after != before, f"{path.name} is rewritten"
        assert after.count(b"\n") == after.count(b"\r\n"), f"{path.name} keeps CRLF"
        assert after.startswith(b"\xef\xbb\xbf") == before.startswith(b"\xef\xbb\xbf")
    assert b"An abstract for Listed Title." in paper_file.read_bytes()
    assert b"Another Title" in day_file.read_bytes()


def _paper_file_edited_by_hand(site: Path, tmp_path: Path, front_matter: str, end: str) -> Path:
    """The one paper file of a store that took a listing of "Listed Title", written by hand:
    `front_matter`'s lines, then its abstract as ingest wrote it and `end` after it."""
    assert _ingest(site, _day_listing(tmp_path, "2026-02-01", "Listed Title")) == 0
    (paper_file,) = (site / "content" / "papers").iterdir()
    abstract = paper_file.read_text().split("+++\n")[2].rstrip("\n")
    paper_file.write_text(f"+++\n{front_matter}+++\n{abstract}{end}")
    return paper_file


def _ingest_with_topic(site: Path, tmp_path: Path) -> None:
    """Ingest a new listing of the paper's day with `--topic llm`: its file is rewritten."""
    (tmp_path / "again").mkdir()
    again = _day_listing(tmp_path / "again", "2026-02-01", "Listed Title", "Another Title")
    assert main(["--root", str(site), "ingest", "--topic", "llm", str(again)]) == 0


def test_a_paper_file_keeps_the_order_its_keys_were_written_in_when_an_ingest_rewrites_it(
    site: Path, tmp_path: Path
) -> None:
    """Found by a maintainer's trial: a key added at the bottom of the front matter by hand
    (`topics`) was moved up by the next ingest that rewrote the file, and the keys below it
    with it, so the day's diff showed lines deleted and added that no one changed."""
    by_hand = 'authors = ["A. Person"]\ntitle = "Listed Title"\n'
    paper_file = _paper_file_edited_by_hand(site, tmp_path, by_hand, "\n")
    before = paper_file.read_text()
    _ingest_with_topic(site, tmp_path)
    topic_after_title = 'title = "Listed Title"\ntopics = ["llm"]\n'
    assert paper_file.read_text() == before.replace('title = "Listed Title"\n', topic_after_title)


def test_a_key_written_by_hand_is_kept_as_written_while_its_value_is_the_same(
    site: Path, tmp_path: Path
) -> None:
    """Found by a maintainer's trial: authors written one a line, a title in single quotes or
    a key aligned with tabs were written back on sitegen's one line by the next ingest that
    rewrote the file for another key, so the day's diff showed them changed though their
    values were the same; a comment between two authors went to the top of the file."""
    by_hand = (
        "title\t=\t'Listed Title'\n"
        'authors = [\n  "A. Person",  # the corresponding author\n  # then\n  "B. Person",\n]\n'
    )
    paper_file = _paper_file_edited_by_hand(site, tmp_path, by_hand, "\n")
    before = paper_file.read_text()
    _ingest_with_topic(site, tmp_path)
    assert paper_file.read_text() == before.replace("]\n", ']\ntopics = ["llm"]\n')


def test_comment_and_blank_lines_stay_where_they_were_written_when_an_ingest_rewrites_a_file(
    site: Path, tmp_path: Path
) -> None:
    """Found by a review: the blank line under a comment above a key whose value changed was
    dropped, and a comment after the last key, with a blank line below it, went to the top of
    the front matter, though no one changed them: the day's diff showed lines moved."""
    by_hand = '# Checked against the PDF.\n\ntopics = []\ntitle = "Listed Title"\n\n# Last.\n\n'
    paper_file = _paper_file_edited_by_hand(site, tmp_path, by_hand, "\n")
    before = paper_file.read_text()
    _ingest_with_topic(site, tmp_path)
    assert paper_file.read_text() == before.replace("topics = []", 'topics = ["llm"]')


def test_comments_on_a_day_entry_written_with_its_id_last_stay_with_it(
    site: Path, tmp_path: Path
) -> None:
    """Found by a review: the comments above and after a day's entry written by hand with its
    keys in another order (`{ title = ..., id = ... }`) went to the top of the file when an
    ingest rewrote it: they were found only beside an entry whose line starts with its id."""
    assert _ingest(site, _day_listing(tmp_path, "2026-02-01", "Listed Title")) == 0
    day_file = site / "content" / "days" / "2026-02-01.toml"
    entry = '{ id = "listed-title-e4afbe8e", title = "Listed Title" },'
    by_hand = '  # Checked.\n  { title = "Listed Title", id = "listed-title-e4afbe8e" },  # kept'
    day_file.write_text(day_file.read_text().replace(f"  {entry}", by_hand))
    _ingest_with_topic(site, tmp_path)
    lines = day_file.read_text().split("\n")
    at = lines.index("  # Checked.")
    assert lines[at + 1].startswith('  { id = "listed-title-e4afbe8e", ')
    assert lines[at + 1].endswith("},  # kept")
    assert lines[0] == "day = 2026-02-01"  # no comment went to the top
    assert day_file.read_text().count("#") == 2


@given(order=st.permutations(range(6)), dropped=st.integers(0, 5))
def test_keys_written_in_any_order_keep_it_through_a_rewrite(
    order: list[int], dropped: int
) -> None:
    """Whatever order a person wrote the keys in, and whichever one of them they deleted (which
    the rewrite fills again), the rewrite reads as the paper sitegen meant and keeps the order
    of the keys written."""
    paper = Paper(
        id="2501.00001", title="T", abstract="A", authors=("B",), upvotes=3,
        published=date(2026, 1, 2), topics=("llm",), keywords=("k",),
    )  # fmt: skip
    lines = render_paper_file(paper).split("\n")
    keys = lines[1:7]
    by_hand = [keys[i] for i in order if i != dropped]
    edited = "\n".join([lines[0], *by_hand, *lines[7:]])
    raised = dataclasses.replace(paper, upvotes=4)
    rewritten, _ = carry_written_keys(edited, render_paper_file(raised))
    assert parse_paper_file(rewritten, path="content/papers/2501.00001.md") == raised
    written = rewritten.split("\n")[1:7]
    as_before = [line.replace("upvotes = 4", "upvotes = 3") for line in written]
    assert [line for line in as_before if line != keys[dropped]] == by_hand


@pytest.mark.parametrize("end", ["", "\n\n", "\n  ", "\n\t\n"])
def test_a_paper_file_keeps_how_it_ends_when_an_ingest_rewrites_it(
    site: Path, tmp_path: Path, end: str
) -> None:
    """Found by a maintainer's trial: a file an editor saved without a newline after its last
    line (or with blank lines after it) was rewritten with one, so the day's diff showed the
    abstract, the file's last line, changed. A review: one ending in a line of spaces lost its
    last newline, and a spaced line after the last was dropped."""
    paper_file = _paper_file_edited_by_hand(site, tmp_path, 'title = "Listed Title"\n', end)
    before = paper_file.read_text()
    _ingest_with_topic(site, tmp_path)
    with_topic = 'title = "Listed Title"\ntopics = ["llm"]\n'
    assert paper_file.read_text() == before.replace('title = "Listed Title"\n', with_topic)


def test_content_files_with_windows_line_ends_are_read() -> None:
    """Found by a review: a checkout with core.autocrlf turns every paper file's line ends to
    CRLF, and each was refused as bad TOML on its last front-matter line."""
    paper = Paper(id="2501.00001", title="A title", abstract="One.\n\nTwo.", upvotes=3)
    text = render_paper_file(paper).replace("\n", "\r\n")
    assert parse_paper_file(text, path="content/papers/2501.00001.md") == paper
    day = Day(day=date(2026, 1, 8), entries=(DayEntry(paper_id="2501.00001", title="A title"),))
    crlf = render_day_file(day).replace("\n", "\r\n")
    assert parse_day_file(crlf, path="content/days/2026-01-08.toml") == day


def test_a_paper_file_with_old_mac_line_ends_is_read() -> None:
    """Found by a review: CR alone (an old Mac editor's line ends) was refused as a file that
    "must start with a '+++' line", which it did."""
    paper = Paper(id="2501.00001", title="A title", abstract="One.\n\nTwo.", upvotes=3)
    text = render_paper_file(paper).replace("\n", "\r")
    assert parse_paper_file(text, path="content/papers/2501.00001.md") == paper


@pytest.mark.parametrize("emptied", ["", "\n", " \r\n\t\n"])
def test_an_emptied_content_file_is_told_to_be_restored_not_to_be_filled_in(emptied: str) -> None:
    """Found by a maintainer's trial: an emptied day file (an editor's crash, a `>` typed for
    `>>`) was told to "set day = 2026-01-08", which makes a day of no papers: every paper it
    listed went off the site without a word. An emptied paper file is said to be empty too."""
    for parse, path in (
        (parse_day_file, "content/days/2026-01-08.toml"),
        (parse_paper_file, "content/papers/2501.00001.md"),
    ):
        with pytest.raises(ContentError) as caught:
            parse(emptied, path=path)  # type: ignore[operator]
        assert str(caught.value).startswith(f"{path}:1: the file is empty"), caught.value
        assert f"git checkout HEAD -- {path}" in (caught.value.hint or "")
        assert "set day" not in (caught.value.hint or "")
    day = "day = 2026-01-08\npapers = []\n"  # a day emptied on purpose says so: read as it is
    assert parse_day_file(day, path="content/days/2026-01-08.toml").entries == ()


def test_a_content_file_of_nul_bytes_is_told_to_be_restored() -> None:
    """A crash while a file was saved (an editor's, a full disk's) leaves its length in NUL
    bytes: a day file of them was "bad TOML: Invalid statement", "fix the TOML syntax"."""
    for parse, path in (
        (parse_day_file, "content/days/2026-01-08.toml"),
        (parse_paper_file, "content/papers/2501.00001.md"),
    ):
        with pytest.raises(ContentError) as caught:
            parse("\0" * 3000, path=path)  # type: ignore[operator]
        assert str(caught.value).startswith(f"{path}:1: the file holds only NUL bytes")
        assert f"git checkout HEAD -- {path}" in (caught.value.hint or "")
        with pytest.raises(ContentError, match="holds only NUL bytes"):
            parse("\0\0\n\0\r\n", path=path)  # type: ignore[operator]


@pytest.mark.parametrize("line_end", ["\n", "\r\n"])
def test_merge_conflict_markers_are_refused_at_their_line_not_published(line_end: str) -> None:
    """Found by a review: markers a merge left in an abstract were published on the paper's
    page and in the feeds; in a day file or front matter they were "bad TOML"."""
    paper = Paper(id="2501.00001", title="A title", abstract="One.", upvotes=3)
    day = Day(day=date(2026, 1, 8), entries=(DayEntry(paper_id="2501.00001", title="A title"),))
    conflict = "<<<<<<< HEAD\nupvotes = 4\n=======\nupvotes = 5\n>>>>>>> theirs\n"
    for parse, text, path, at in (
        (parse_paper_file, render_paper_file(paper) + conflict, "content/papers/2501.00001.md", 6),
        (parse_day_file, conflict + render_day_file(day), "content/days/2026-01-08.toml", 1),
    ):
        text = text.replace("\n", line_end)
        with pytest.raises(ContentError) as caught:
            parse(text, path=path)  # type: ignore[operator]
        assert str(caught.value).startswith(f"{path}:{at}: a merge conflict left unresolved")
    seven = "A proof sketch:\n<<<<<<< is how git marks it, and a line of >>> is a quote."
    assert (
        parse_paper_file(
            render_paper_file(dataclasses.replace(paper, abstract=seven)),
            path="content/papers/2501.00001.md",
        ).abstract
        == seven
    ), "markers without their closing line are an abstract's text"


@pytest.mark.parametrize(
    ("name", "text", "says"),
    [
        ("papers/deep.md", "+++\ntitle = " + "[" * 5000 + "]" * 5000 + "\n+++\n", "bad TOML"),
        ("fetch-state.json", "[" * 100_000, "not what sitegen writes"),
        ("fetch-state.json", '{"2025-11-01": ' + "9" * 5000 + "}", "not what sitegen writes"),
    ],
)
def test_content_files_nested_too_deep_or_with_huge_numbers_are_one_line(
    tiny_built: Path, name: str, text: str, says: str
) -> None:
    """Found by a review: each was a traceback (RecursionError, ValueError)."""
    (tiny_built / "content" / name).write_text(text)
    command = "fetch" if name == "fetch-state.json" else "build"
    args = (
        ["--date", "2025-11-01", "--base-url", "http://127.0.0.1:9"] if command == "fetch" else []
    )
    result = sitegen_here("--root", str(tiny_built), command, *args)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"sitegen: error: content/{name}") and says in first, first


@pytest.mark.parametrize(
    ("entry", "says"),
    [
        (
            '{ id = "2501.00001", upvotes = -1 }',
            "`upvotes` must be a whole number from 0 to 1,000,000,000, not -1",
        ),
        (
            '{ id = "2501.00001", upvotes = "13" }',
            '`upvotes` must be a whole number from 0 to 1,000,000,000, not "13"',
        ),
        # Said to be "0 or more", as if it were not (h8): a paper file's `upvotes` said the range.
        (
            '{ id = "2501.00001", upvotes = 2000000000 }',
            "`upvotes` must be a whole number from 0 to 1,000,000,000, not 2000000000",
        ),
        ('{ id = "" }', '`id` "" is not a paper id'),
        # A new user's trial: said "is not a paper id" of an id whose file is there.
        ("{ id = 2606.12730 }", "`id` must be in quotes, as its file in content/papers/ is named"),
        ('{ id = "2501.00001", title = 7 }', "`title` must be a string, not 7"),
    ],
)
def test_a_bad_day_entry_names_its_field_and_value_as_toml_writes_it(entry: str, says: str) -> None:
    """Found by a review: the entry was shown whole as a Python dict, cut at 80 characters,
    without saying which field was wrong."""
    text = f"day = 2026-01-08\npapers = [\n  {entry},\n]\n"
    with pytest.raises(ContentError) as caught:
        parse_day_file(text, path="content/days/2026-01-08.toml")
    assert str(caught.value).startswith(
        f"content/days/2026-01-08.toml:3: an entry of `papers`: {says}"
    )


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("published = 2026-06-04T10:00:00Z", "not 2026-06-04T10:00:00Z"),
        ('organization = { name = "Only Name" }', 'not { name = "Only Name" }'),
        ('organization = { handle = "", name = "X" }', 'not { handle = "", name = "X" }'),
        ('organization = { handle = 3, name = "X" }', 'not { handle = 3, name = "X" }'),
        ('github = "ftp://example.org/code"', 'an http(s) URL, not "ftp://example.org/code"'),
        # A control character TOML has no short escape for, as \uXXXX; an array of tables
        # on one line (h14: mutants that failed on the one and broke the other survived).
        ('upvotes = "1\\u0007\\r2\\n"', 'not "1\\u0007\\u000d2\\n"\n'),
        ("upvotes = [{ a = 1 }]", "not [{ a = 1 }]\n"),
    ],
)
def test_a_bad_field_is_shown_as_toml_writes_it_not_as_python_does(line: str, says: str) -> None:
    text = f'+++\ntitle = "T"\n{line}\n+++\nAn abstract.\n'
    with pytest.raises(ContentError) as caught:
        parse_paper_file(text, path="content/papers/2501.00001.md")
    assert "content/papers/2501.00001.md:3: " in str(caught.value)
    assert says in str(caught.value) and "datetime" not in str(caught.value)


def test_a_day_file_not_named_after_a_day_is_told_to_be() -> None:
    with pytest.raises(ContentError) as caught:
        parse_day_file("day = 2026-06-12\n", path="content/days/june12.toml")
    assert "name the file after the day it holds: content/days/2026-06-12.toml" in str(caught.value)


def test_a_day_file_without_its_day_is_told_the_shape_of_its_name() -> None:
    with pytest.raises(ContentError) as caught:
        parse_day_file('sources = ["listings/x.txt"]\n', path="content/days/june12.toml")
    assert "name the file after the day it holds: content/days/YYYY-MM-DD.toml" in str(caught.value)


def test_a_bidi_control_in_a_bad_value_is_shown_escaped_in_the_message() -> None:
    """Found by a review: U+202E reversed the rest of the error's line in a terminal."""
    text = '+++\ntitle = "T"\norganization = { name = "x\u202e" }\n+++\nAn abstract.\n'
    with pytest.raises(ContentError) as caught:
        parse_paper_file(text, path="content/papers/2501.00001.md")
    assert "\u202e" not in str(caught.value) and '"x\\u202e"' in str(caught.value)


@pytest.mark.parametrize(
    ("arxiv_id", "kept"),
    [
        ("2606.12282", True),
        ("1409.0473", True),  # four digits before 2015
        ("1706.03762", True),
        ("hep-th/9901001", True),
        ("2606.6113", False),  # found by a reader's trial: linked arXiv pages that never were
        ("1409.04730", False),
        ("2613.12282", False),  # no month 13
        ("0612.1234", False),  # before new-style ids
        ("0703.1234", False),  # they began in April 2007
        ("0704.0001", True),
    ],
)
def test_an_arxiv_id_is_one_arxiv_gives(arxiv_id: str, kept: bool) -> None:
    text = f'+++\ntitle = "T"\narxiv_id = "{arxiv_id}"\n+++\nAbstract.\n'
    if kept:
        assert parse_paper_file(text, path="content/papers/t.md").arxiv_id == arxiv_id
        return
    with pytest.raises(ContentError, match="must be an arXiv id") as caught:
        parse_paper_file(text, path="content/papers/t.md")
    assert caught.value.location is not None and caught.value.location.line == 3


def test_a_paper_file_gone_before_it_is_read_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    """Found by a fork owner's trial: a `git rm` of content/ while serve rebuilt stopped serve
    with a FileNotFoundError (the build had listed the file and read it later)."""
    papers = StoredPapers(tmp_path, {"2501.00001": None}, {})
    with pytest.raises(ContentError) as caught:
        papers["2501.00001"]
    assert str(caught.value).startswith(
        "content/papers/2501.00001.md: cannot read it: No such file or directory"
    )
    # Gone since listed: nothing to fix but to run again (not the hint of an unreadable file).
    assert caught.value.hint == (
        "content/ changed while it was read (a deletion, a checkout): run again"
    )
    # A review: the files a build parses for having changed are read the same way.
    gone = (str(tmp_path / "2501.00001.md"), "content/papers/2501.00001.md")
    with pytest.raises(ContentError) as caught:
        parse_paper_files([gone], None)
    assert str(caught.value).startswith("content/papers/2501.00001.md: cannot read it:")


def test_a_paper_file_gone_and_back_while_it_is_parsed_is_one_line(tmp_path: Path) -> None:
    """Found by a review: a file gone as its parse read it and back when read again to say
    every broken file (a checkout) left no error to say, and a ValueError stopped the run."""
    shutil.copytree(REPO / "content", tmp_path / "content")
    paper = tmp_path / "content" / "papers" / "2606.00467.md"

    def checkout(files: list[tuple[str, str]], known: frozenset[str] | None) -> list[ParsedPaper]:
        data = paper.read_bytes()
        paper.unlink()
        try:
            return parse_paper_files(files, known)
        finally:
            paper.write_bytes(data)

    with pytest.raises(ContentError) as caught:
        load_content(tmp_path, use_cache=False, parse_papers=checkout)
    assert str(caught.value).startswith("content/papers/2606.00467.md: cannot read it:")
    assert load_content(tmp_path).papers["2606.00467"].id == "2606.00467"  # run again: it is


def test_a_stylesheet_missing_from_templates_is_named_in_one_line(tiny_built: Path) -> None:
    (tiny_built / "templates" / "style.css").unlink()
    result = sitegen_here("--root", str(tiny_built), "build")
    assert result.returncode == 2, result.stderr
    first, *rest = result.stderr.splitlines()
    assert first == (
        f"sitegen: error: {tiny_built / 'templates' / 'style.css'}: cannot read it:"
        " No such file or directory"
    )
    assert [line for line in rest if not line.startswith("  hint: ")] == []


@settings(max_examples=25, deadline=None)
@given(steps)
def test_listings_and_hand_edits_through_the_files_give_what_the_merge_of_values_gives(
    made: list[tuple[date, list[ListingEntry]] | Edit],
) -> None:
    """The store on disk is the merge of values (tests/test_ingest.py's properties): the same
    listings and hand edits, through the files (the parse cache and its index of titles and
    counts included), hold the same papers and days, and a replay writes what the merge of
    values changes (counts deleted by hand, filled), then nothing."""
    hand = HandEdits()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        snapshot = ContentSnapshot.of({}, {})
        listings: list[tuple[Listing, str]] = []
        for number, step in enumerate(made):
            if isinstance(step[0], str):
                after = hand.apply(snapshot, step, number)
                papers = [p for p in after.papers.values() if snapshot.papers[p.id] != p]
                days = [d for day, d in after.days.items() if snapshot.days[day] != d]
                write_files(root, content_files(papers, days))  # as by hand
                for deleted in snapshot.papers.keys() - after.papers.keys():
                    (root / PAPERS_DIR / f"{deleted}.md").unlink()
                snapshot = after
                continue
            day, entries = step
            taken = (listing(day, entries), f"listings/{day}-{number}.json")
            listings.append(taken)
            ingest_into_store(root, [taken])
            snapshot = applied(ingest_listings(snapshot, [taken]), snapshot)
            stored = load_content(root)
            assert dict(stored.papers) == dict(snapshot.papers)
            assert dict(stored.days) == dict(snapshot.days)
        ingest_into_store(root, listings)
        replayed = applied(ingest_listings(snapshot, listings), snapshot)
        assert dict(load_content(root).papers) == dict(replayed.papers)
        assert ingest_into_store(root, listings).written == []


def test_every_day_entry_naming_no_paper_is_said_at_once_ten_at_most(tmp_path: Path) -> None:
    """One run names the first entry with no paper file, the next ten, and how many more: not
    one a run (found by a mutation audit: dropping the others went unnoticed)."""
    ids = [f"2501.{n:05d}" for n in range(1, 14)]
    entries = tuple(DayEntry(paper_id=i, title=f"Paper {i}") for i in ids)
    write_files(tmp_path, content_files([], [Day(day=date(2026, 2, 1), entries=entries)]))
    with pytest.raises(ContentError) as refused:
        load_content(tmp_path)
    assert refused.value.message == f"no paper has the id '{ids[0]}' (no {PAPERS_DIR}/{ids[0]}.md)"
    assert refused.value.location is not None
    assert (refused.value.location.path, refused.value.location.line) == (
        "content/days/2026-02-01.toml",
        4,
    )
    others = ", ".join(
        f"content/days/2026-02-01.toml:{4 + n} ({i})" for n, i in enumerate(ids[1:11], 1)
    )
    assert refused.value.hint is not None
    assert refused.value.hint.endswith(f"; also naming no paper: {others} and 2 more")


def test_a_listing_that_repeats_another_day_is_named_among_the_listings_of_one_run(
    tmp_path: Path,
) -> None:
    """The error names the listing of the repeated day, not another of the same run (found by a
    mutation audit: the origin of any other listing went unnoticed)."""
    entries = tuple(
        ListingEntry(title=f"Paper {n}", abstract="A", line=n, arxiv_id=f"2501.{n:05d}")
        for n in range(1, 11)
    )
    held = Listing(day=date(2026, 2, 1), entries=entries, origin="held.json", shape="hf-json")
    ingest_into_store(tmp_path, [(held, None)])
    new = Listing(day=date(2026, 2, 3), entries=entries[:1], origin="new.json", shape="hf-json")
    copied = dataclasses.replace(held, day=date(2026, 2, 2), origin="copied.json")
    before = tree_bytes(tmp_path / "content")
    with pytest.raises(ListingError) as refused:
        ingest_into_store(tmp_path, [(new, None), (copied, None)], refuse_repeated_day=True)
    assert refused.value.location is not None
    assert refused.value.location.path == "copied.json"
    assert refused.value.message.startswith("every one of the 10 papers it adds to 2026-02-02")
    assert tree_bytes(tmp_path / "content") == before


def test_an_entry_whose_paper_file_is_gone_outside_git_offers_both_ways_out(
    tmp_path: Path,
) -> None:
    """Without git, which cannot tell a deleted file from a typo, the hint offers the paper of
    that title and restoring the file (found by a mutation audit: either alone went unnoticed)."""
    kept = Paper(id="2501.00001", title="Same Title", abstract="A", arxiv_id="2501.00001")
    entries = (DayEntry(paper_id="2501.00002", title="Same Title"),)
    write_files(tmp_path, content_files([kept], [Day(day=date(2026, 2, 1), entries=entries)]))
    with pytest.raises(ContentError) as refused:
        load_content(tmp_path)
    assert refused.value.hint == (
        'write id = "2501.00001" if the paper is in content/papers/2501.00001.md now; if'
        " content/papers/2501.00002.md was deleted, restore it from a copy; to take the paper"
        " off the site, delete its day entries too"
    )


def test_the_store_reads_the_same_when_no_child_process_can_stat_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the stat child cannot start (no sys.executable, no fork), this process stats the
    files itself (found by a mutation audit: that fallback was never run)."""
    from sitegen import beside

    paper = Paper(id="2501.00001", title="A Title", abstract="A", arxiv_id="2501.00001")
    day = Day(day=date(2026, 2, 1), entries=(DayEntry(paper_id=paper.id, title=paper.title),))
    write_files(tmp_path, content_files([paper], [day]))
    monkeypatch.setattr(beside, "started", lambda *args: lambda: None)
    snapshot = load_content(tmp_path)
    assert dict(snapshot.papers) == {paper.id: paper} and dict(snapshot.days) == {day.day: day}
    edited = dataclasses.replace(paper, title="An Edited Title")
    write_files(tmp_path, content_files([edited], []))
    assert load_content(tmp_path).papers[paper.id] == edited


def test_two_paper_files_of_one_title_one_without_an_arxiv_id_are_said_as_maybe_one_paper(
    tmp_path: Path,
) -> None:
    """Only two arXiv ids tell two papers of one title apart: one id and none is a pair to check
    (found by a mutation audit: the pair went unsaid when the file with the id changed alone)."""
    with_id = Paper(id="2501.00001", title="One Title", abstract="A", arxiv_id="2501.00001")
    without = Paper(id="one-title-0a1b2c3d", title="One Title", abstract="A")
    days = [Day(day=date(2026, 2, 1), entries=(DayEntry(paper_id=without.id, title="One Title"),))]
    write_files(tmp_path, content_files([without], days))
    assert load_content(tmp_path).same_title == ()
    write_files(tmp_path, content_files([with_id], []))  # the file with an id, changed alone
    assert load_content(tmp_path).same_title == (
        (f"{PAPERS_DIR}/2501.00001.md", f"{PAPERS_DIR}/one-title-0a1b2c3d.md"),
    )


@pytest.mark.parametrize("name", ["20301116.toml", "2030-W46-6.toml"])
def test_a_day_file_name_the_store_refuses_is_no_day_held_for_fetch(
    tmp_path: Path, name: str
) -> None:
    """Found by a review: fetch took its days held from the day files' names with
    date.fromisoformat, which reads 20301116 (the dashes lost) and a week date too, so a stray
    `20301116.toml` was a day held in 2030 ("content/ holds a later day": today alone asked),
    while reading the store refuses that name."""
    shutil.copy(REPO / CONFIG_FILE, tmp_path / CONFIG_FILE)
    days = tmp_path / DAYS_DIR
    days.mkdir(parents=True)
    (tmp_path / PAPERS_DIR).mkdir()
    shutil.copy(next((REPO / DAYS_DIR).glob("*.toml")), days / name)
    with pytest.raises(ContentError):
        load_content(tmp_path)
    assert stored_days(tmp_path) == []
