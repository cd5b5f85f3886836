"""The content store's file formats, as text <-> values (pure).

    content/papers/<id>.md        TOML front matter + the abstract (Markdown) as body
    content/days/YYYY-MM-DD.toml  what the day featured, in listing order
    content/digests.toml          when each digest item came out, as fetch and ingest record

A paper's days are said once, by the day files; a paper file holds the paper alone.

tomllib reads; this module writes the small, fixed subset sitegen emits (strings, integers,
dates, arrays of those, arrays of inline tables) in a stable order, so files diff cleanly.
Front matter is fenced by `+++` lines, as Hugo reads it.
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import PurePosixPath
from typing import Any

from sitegen.clean import clean_block, clean_line
from sitegen.dates import iso_day
from sitegen.errors import ContentError, Location, SitegenError
from sitegen.fields import (
    COUNT,
    TomlFields,
    TomlValue,
    as_toml,
    is_count,
    load_toml,
    must_be,
    toml_value,
)
from sitegen.layout import CONFIG_FILE, DAYS_DIR, PAPERS_DIR
from sitegen.model import (
    Day,
    DayEntry,
    Organization,
    Paper,
    day_out_of_range,
    is_arxiv_id,
    is_paper_id,
)

_PAPER_KEYS = frozenset(
    {
        "title", "arxiv_id", "authors", "authors_count", "organization", "published", "upvotes",
        "topics", "not_topics", "keywords", "github", "project_page",
    }
)  # fmt: skip
# Written by sitegen before 0.2; the day files always decided a paper's days.
_RETIRED_PAPER_KEYS = {
    "featured": "delete this line: the days a paper was featured are the day files' to say "
    f"({DAYS_DIR}/*.toml), and `sitegen ingest` no longer writes it",
}
# Keys a person writes to take a paper off the site (Hugo's `draft`), which site.toml does.
_HIDING_KEYS = ("draft", "hidden", "hide")
_DAY_KEYS = frozenset({"day", "arrived_after", "sources", "papers"})
_DAY_ENTRY_KEYS = frozenset({"id", "title", "upvotes", "added"})
# The keys of paper and day files whose values are counts, each to the example its error
# gives (TomlFields.count's).
_COUNTS = {"authors_count": 12, "upvotes": 12}


def _hiding(paper_id: str) -> dict[str, str]:
    """The hint of each key a person may write in a paper file to hide it."""
    hint = (
        f'a paper is kept off the site by {CONFIG_FILE}: [content] hidden = ["{paper_id}"] (its'
        " file stays, so later listings merge into it); delete this line"
    )
    return dict.fromkeys(_HIDING_KEYS, hint)


def render_paper_file(paper: Paper) -> str:
    """The canonical text of a paper file."""
    organization = (
        {"handle": paper.organization.handle, "name": paper.organization.name}
        if paper.organization
        else None
    )
    return join_front_matter(
        [
            ("title", paper.title),
            ("arxiv_id", paper.arxiv_id),
            ("authors", list(paper.authors) or None),
            ("authors_count", paper.authors_count),
            ("organization", organization),
            ("published", paper.published),
            ("upvotes", paper.upvotes),
            ("topics", list(paper.topics) or None),
            ("not_topics", list(paper.not_topics) or None),
            ("keywords", list(paper.keywords) or None),
            ("github", paper.github_url),
            ("project_page", paper.project_url),
        ],
        _without_conflict(paper.abstract),
    )


def _without_conflict(abstract: str) -> str:
    """`abstract`, its lines that git would read as a conflict's markers, which the reader
    refuses (`refuse_conflict_markers`), written one space in: the same Markdown."""
    if "<<<<<<<" in abstract and _CONFLICT.search(abstract):
        return _MARKER_LINE.sub(r" \1", abstract)
    return abstract


# A line of an abstract that git would write to mark a conflict, written one space in (the same
# Markdown): a listing's abstract holding them made a paper file that every run then refused
# as a merge left unresolved. Reading it keeps the space: writing it again is the same.
_MARKER_LINE = re.compile(r"^([<=>]{7}(?: |$))", re.MULTILINE)


_OLD_ARXIV_ID = re.compile(r"[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7}")


def parse_paper_file(text: str, *, path: str, known_topics: frozenset[str] | None = None) -> Paper:
    """A paper file's text as a Paper; a ContentError naming the line of anything wrong.

    With `known_topics`, a topic not in that set is an error."""
    paper_id = PurePosixPath(path).name.removesuffix(".md")
    if not is_paper_id(paper_id):
        plain = unicodedata.normalize("NFKD", paper_id).encode("ascii", "ignore").decode()
        named = re.sub(r"[^a-z0-9.]+", "-", plain.lower()).strip("-.")
        raise ContentError(
            f"{paper_id!r} is not a valid paper id (lowercase letters, digits, '.' and '-',"
            " not ending in .html)",
            location=Location(path),
            hint=f"rename it to {named}.md, say, and its day entries' ids with it"
            if is_paper_id(named)
            else "rename the file: its name is the paper's id, in its address",
        )
    refuse_emptied(text, path=path)
    refuse_conflict_markers(text, path=path)
    table, body, _ = split_front_matter(text, path=path)
    fields = TomlFields(table, text=text, source=path, error=ContentError)
    fields.only(_PAPER_KEYS, "the front matter", hints=_RETIRED_PAPER_KEYS | _hiding(paper_id))
    organization = fields.strings_table("organization", ("handle", "name"))
    topics, not_topics = fields.texts("topics"), fields.texts("not_topics")
    for key, slugs in (("topics", topics), ("not_topics", not_topics)):
        for slug in slugs:
            if known_topics is not None and slug not in known_topics:
                raise ContentError(
                    f"unknown topic {slug!r} in `{key}`",
                    location=fields.where(key),
                    hint="use a topic slug from site.toml: " + ", ".join(sorted(known_topics)),
                )
    if both := [slug for slug in not_topics if slug in topics]:
        raise ContentError(
            f"`not_topics` refuses {both[0]!r}, which `topics` gives",
            location=fields.where("not_topics"),
            hint=f"take {both[0]!r} out of one of them",
        )
    arxiv_id = fields.text_or_none("arxiv_id") or None
    # It makes links and finds the paper. Listings give new-style ids only; a hand may add an
    # old-style one (hep-th/9901001), which no paper file is named after.
    if arxiv_id is not None and not (is_arxiv_id(arxiv_id) or _OLD_ARXIV_ID.fullmatch(arxiv_id)):
        raise fields.fail(
            "arxiv_id",
            "an arXiv id (2606.12282, 1409.0473 or hep-th/9901001) without its version",
            'arxiv_id = "2606.12282"',
        )
    authors, authors_count = fields.texts("authors"), fields.count("authors_count")
    # It counts every author, named or not (pages say "and N more" of those past the names),
    # so one below the names counts the names. Not refused: a sitegen before December 2026
    # wrote it so (a text capture's count kept when a later listing named more; ingest now
    # takes the listing's), and a fork's scheduled build stopped at such a file (a review).
    if authors_count is not None and authors_count < len(authors):
        authors_count = len(authors)
    return Paper(
        id=paper_id,
        title=fields.required_text("title"),
        abstract=clean_block(body),
        arxiv_id=arxiv_id,
        authors=authors,
        authors_count=authors_count,
        organization=Organization(**organization) if organization else None,
        published=fields.date("published"),
        upvotes=fields.count("upvotes"),
        topics=topics,
        not_topics=not_topics,
        keywords=fields.texts("keywords"),
        github_url=fields.url("github"),
        project_url=fields.url("project_page"),
    )


def render_day_file(day: Day) -> str:
    entries = [
        {"id": entry.paper_id, "title": entry.title, "upvotes": entry.upvotes, "added": entry.added}
        for entry in day.entries
    ]
    late = [("arrived_after", day.arrived_after)] if day.arrived_after else []
    return dump_toml([("day", day.day), *late, ("sources", list(day.sources)), ("papers", entries)])


def _day_or_shape(day: date | None) -> str:
    return day.isoformat() if day is not None and not day_out_of_range(day) else "YYYY-MM-DD"


def parse_day_file(text: str, *, path: str) -> Day:
    """A day file's text as a Day; a ContentError naming the line of anything wrong."""
    text = with_newlines(text)
    refuse_emptied(text, path=path)
    refuse_conflict_markers(text, path=path)
    table = load_toml(
        text, source=path, error=ContentError, hint="fix the TOML syntax", numbers=_COUNTS
    )
    fields = TomlFields(table, text=text, source=path, error=ContentError)
    fields.only(_DAY_KEYS, "a day file")
    day = fields.date("day")
    stem = PurePosixPath(path).stem
    if day is None or stem != day.isoformat():
        raise ContentError(
            "a day file needs `day = YYYY-MM-DD` matching its file name",
            location=fields.where("day"),
            hint=f"set day = {stem}"
            # Not "2026-08-32" nor "1066-01-01": refused next.
            if (named := iso_day(stem)) and not day_out_of_range(named)
            # The day it says, when it says one a site may hold (a name written "2026-1-8":
            # a new user's trial); not a rename alone, over a file that may be there (a review).
            else f"name the file after the day it holds: {DAYS_DIR}/{_day_or_shape(day)}.toml"
            " (if that file is there, move what this one adds into it instead)",
        )
    arrived_after = fields.date("arrived_after")
    for key, value in (("day", day), ("arrived_after", arrived_after)):
        if value is not None and (problem := day_out_of_range(value)):
            raise ContentError(problem, location=fields.where(key), hint="fix the date")
    if arrived_after is not None and arrived_after <= day:
        raise ContentError(
            "`arrived_after` is the store's newest day when this one came late: a later day",
            location=fields.where("arrived_after"),
            hint=f"delete the line, or give a day after {day}",
        )
    raw_entries = table.get("papers", [])
    if not isinstance(raw_entries, list):
        raise fields.fail("papers", "an array", 'papers = [{ id = "...", title = "..." }]')
    entries = []
    listed: set[str] = set()
    for raw in raw_entries:
        unknown = sorted(set(raw) - _DAY_ENTRY_KEYS) if isinstance(raw, dict) else []
        if unknown:
            raise ContentError(
                f"unknown key `{unknown[0]}` in an entry of `papers`",
                location=_entry_location(path, text, raw),
                hint=f"known keys: {', '.join(sorted(_DAY_ENTRY_KEYS))}",
            )
        if isinstance(raw, dict) and "id" not in raw:
            raise ContentError(
                f"an entry of `papers` has no `id`: {as_toml(raw):.80}",
                location=_entry_location(path, text, raw),
                hint='add the paper\'s id: { id = "<paper id>", title = "...", upvotes = N }',
            )
        if problem := _entry_problem(raw):
            raise ContentError(
                f"an entry of `papers`: {problem}",
                location=_entry_location(path, text, raw, otherwise=fields.where("papers")),
                hint='each entry is { id = "<paper id>", title = "...", upvotes = N }',
            )
        if raw["id"] in listed:  # which one counts? (the first did, without a word: a trial)
            raise _listed_twice(path, text, raw["id"], fields.where("papers"))
        listed.add(raw["id"])
        entries.append(
            DayEntry(
                paper_id=raw["id"],
                title=clean_line(raw.get("title", "")),
                upvotes=raw.get("upvotes"),
                added=_to_the_second(raw["added"]) if raw.get("added") else None,
            )
        )
    return Day(
        day=day,
        entries=tuple(entries),
        sources=fields.texts("sources"),
        arrived_after=arrived_after,
    )


def _entry_problem(raw: TomlValue) -> str | None:
    """What is wrong with a day file's entry, naming its field (found by a review: the entry
    was shown whole, cut at 80 characters, as a Python dict)."""
    if not isinstance(raw, dict):
        return f"not a table: {as_toml(raw):.60}"
    if not isinstance(raw["id"], str):  # quotes forgotten: TOML read 2606.12730 as 2606.1273
        return must_be("id", f"in quotes, as its file in {PAPERS_DIR}/ is named", raw["id"])
    if not is_paper_id(raw["id"]):
        return f"`id` {as_toml(raw['id']):.60} is not a paper id (a file name in {PAPERS_DIR}/)"
    if not isinstance(raw.get("title", ""), str):
        return must_be("title", "a string", raw["title"])
    if not (raw.get("upvotes") is None or is_count(raw["upvotes"])):
        return must_be("upvotes", COUNT, raw["upvotes"])
    return _not_a_moment("`added`", raw.get("added"))


def _not_a_moment(what: str, value: TomlValue | None) -> str | None:
    """What is wrong with a time sitegen fetch wrote (`what`), if anything."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        try:
            value.astimezone(UTC)
        except OverflowError:  # 9999-12-31T23:00:00-01:00 (a review: a traceback)
            return f"{what} is no time a site can hold in UTC: {as_toml(value)}"
        return None
    if value is None:
        return None
    # A local time is no moment: readers would each take it in their own zone.
    return (
        f"{what} must be a time with its zone, such as 2026-12-05T09:17:00Z, not {as_toml(value)}"
    )


def _to_the_second(moment: datetime) -> datetime:
    """A time sitegen fetch wrote in UTC, to the second, as the parse cache keeps it."""
    return moment.astimezone(UTC).replace(microsecond=0)


_DIGEST_DATES_HEADER = """\
# When each item of the digest feeds came out, which dates it: a day's papers (2026-11-09),
# a week's top papers (2026-W46), a month's (2026-11). A fetch dates the items it brings out
# by its run's time and 30 minutes; anything else is dated by its day (a week or a month by
# its last day). Lines are only added: changed or deleted, a published item's date moves.
# sitegen keeps them in time order, in UTC, without comments.
"""


def render_digest_dates(dates: Mapping[str, datetime]) -> str:
    """content/digests.toml: oldest first, so a run's lines come at its end."""
    by_time = sorted(dates.items(), key=lambda record: (record[1], record[0]))
    lines = [f"{item} = {toml_value(at)}\n" for item, at in by_time]
    return _DIGEST_DATES_HEADER + "".join(lines)


def parse_digest_dates(text: str, *, path: str) -> dict[str, datetime]:
    """content/digests.toml's records; a ContentError naming the line of anything wrong."""
    text = with_newlines(text)
    refuse_emptied(text, path=path)
    refuse_conflict_markers(text, path=path)
    table = load_toml(text, source=path, error=ContentError, hint="fix the TOML syntax")
    fields = TomlFields(table, text=text, source=path, error=ContentError)
    dates = {}
    for item, at in table.items():
        where = fields.where(item)
        if not is_digest_item(item):
            raise ContentError(
                f"{json.dumps(item)} is no digest item: a day (2026-11-09), a week (2026-W46)"
                " or a month (2026-11)",
                location=where,
                hint="name the item as sitegen does, or delete the line",
            )
        if problem := _not_a_moment(f"the time of {item}", at):
            raise ContentError(problem, location=where, hint="fix the time")
        dates[item] = _to_the_second(at)
    return dates


_WEEK = re.compile(r"(\d{4})-W(\d{2})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")


def is_digest_item(name: str) -> bool:
    """Whether `name` names a digest item as Period.slug and date.isoformat do."""
    if (day := iso_day(name)) is not None:
        return day_out_of_range(day) is None
    if week := _WEEK.fullmatch(name):
        try:
            monday = date.fromisocalendar(int(week[1]), int(week[2]), 1)
        except ValueError:
            return False
        return day_out_of_range(monday) is None
    if (month := _MONTH.fullmatch(name)) is None or not 1 <= int(month[2]) <= 12:
        return False
    return day_out_of_range(date(int(month[1]), int(month[2]), 1)) is None


def _listed_twice(path: str, text: str, paper_id: str, otherwise: Location) -> ContentError:
    """The error of a day file listing `paper_id` twice, at its second entry's line."""
    lines = _lines_of(text, "id", paper_id)
    return ContentError(
        f"paper {paper_id} is listed twice on this day"
        + (f" (lines {lines[0]} and {lines[1]})" if len(lines) > 1 else ""),
        location=Location(path, lines[1]) if len(lines) > 1 else otherwise,
        hint="keep one of its two entries: a day lists a paper once, at its rank",
    )


def _entry_location(
    path: str, text: str, entry: object, *, otherwise: Location | None = None
) -> Location:
    """Where an entry of a day file's `papers` is (else `otherwise`), for its error: looked
    for only then, as a search per entry took 2.7 s of a cold build at 10,000 papers (cold
    builds no slower than Hugo's)."""
    line = day_entry_line(text, entry) if isinstance(entry, dict) else None
    if line is None and otherwise is not None:
        return otherwise
    return Location(path, line)


def day_entry_line(text: str, entry: Mapping[str, Any]) -> int | None:
    """The 1-based line of a day file's `papers` entry, found by its id, else by another of
    its values as written (an entry without an id has none to find it by)."""
    values = sorted(entry.items(), key=lambda item: item[0] != "id")
    for key, value in values:
        if lines := _lines_of(text, key, value):
            return lines[0]
    return None


def front_matter_line(text: str, key: str, value: str) -> int | None:
    """The 1-based line of a paper file on which `key = "value"` is written, for an error
    about that value found across files (looked for only then)."""
    lines = _lines_of(with_newlines(text), key, value)
    return lines[0] if lines else None


def _lines_of(text: str, key: str, value: object) -> list[int]:
    """The 1-based lines on which `key = value` is written, as sitegen writes it."""
    if isinstance(value, str):
        written = rf"""(["']){re.escape(value)}\1"""
    elif isinstance(value, int) and not isinstance(value, bool):
        written = rf"{value}(?![\w.])"
    elif isinstance(value, float):  # an id without its quotes: 2606.12730, read as 2606.1273
        written = rf"{re.escape(repr(value))}0*(?![\w.])"
    else:
        return []
    found = re.finditer(rf"(?<![\w-]){re.escape(key)}[ \t]*=[ \t]*{written}", text)
    return [text.count("\n", 0, match.start()) + 1 for match in found]


# What a comment is about: a key, or a day file's entry by id; else the line's own code.
_ANCHOR = re.compile(r'[ \t]*(?:([A-Za-z0-9_-]+)[ \t]*=|\{[ \t]*id[ \t]*=[ \t]*"([^"\\]*)")')
_STRING_PARTS = re.compile(r'"""|\'\'\'|"(?:[^"\\]|\\.)*"|\'[^\']*\'|#|[\[\]{}]')


def carry_comments(old: str, new: str) -> str:
    """`new`, the file sitegen rewrites, with the comments a person wrote in `old` (a review
    found them dropped in silence): a comment line above the key, day entry or line it was
    above, a comment after a value after that value again; one whose place is gone goes to the
    top of the TOML. A paper's body is the abstract, where "#" is text; so is a string's."""
    if "#" not in old:
        return new
    above: dict[str, list[str]] = {}
    after: dict[str, list[str]] = {}
    loose: list[str] = []
    run: list[str] = []
    old_lines = old.replace("\r\n", "\n").replace("\r", "\n").split("\n")  # as parsing does
    start, end = _toml_lines(old_lines)
    for line, at, anchor, _ in _comments(old_lines[start:end]):
        if at is not None and not line[:at].strip():
            run.append(line)
            continue
        if at is not None:
            after.setdefault(anchor or "", []).append(line[at:])
        if run:
            (above.setdefault(anchor, []) if anchor else loose).extend(run)
            run = []
    if not (above or after or loose or run):
        return new
    new_lines = new.split("\n")
    start, end = _toml_lines(new_lines)
    toml: list[str] = []
    for line, at, anchor, open_after in _comments(new_lines[start:end]):
        toml.extend(above.pop(anchor or "", []))
        comments = after.pop(anchor, []) if anchor else []
        if comments and at is None and open_after is None:
            line = "  ".join([line, *comments])
        else:
            loose += comments
        toml.append(line)
    loose += [line for lines in above.values() for line in lines]  # their place is gone
    loose += [comment for comments in after.values() for comment in comments]
    return "\n".join([*new_lines[:start], *loose, *toml, *run, *new_lines[end:]])


def carry_written_keys(old: str, new: str) -> tuple[str, str]:
    """(`new`, the file sitegen rewrites, with its keys in the order `old` has them, each key
    `old` lacks after the one sitegen writes before it, each key whose value is the same as
    `old` writes it there, comments and all, and the comment and blank lines of `old` above a
    key or after the last where they were; the lines of `old` not carried, for
    `carry_comments`). Maintainers' trials: a key added by hand at the bottom (`topics`) was
    moved up by the next ingest, with the keys below it; authors written one a line were
    written back on one; the day's diff showed lines changed that no one changed."""
    old_lines = with_newlines(old).split("\n")
    start, end = _toml_lines(old_lines)
    written = _key_blocks(old_lines[start:end])
    new_lines = new.split("\n")
    first, last = _toml_lines(new_lines)
    blocks = _key_blocks(new_lines[first:last])
    if written is None or blocks is None or blocks.loose:
        return new, old  # a file sitegen does not write (a table, a dotted key): left as is
    order = _keys_in_order(list(written.lines), list(blocks.lines))
    same = {key for key in order if _same_value(written.lines.get(key), blocks.lines[key])}
    # Comment and blank lines stay where they were written, above a key whose value changes
    # too: carry_comments drops blank lines, and took a comment after the last key, a blank
    # line below it, to the top (a review).
    toml = [
        line
        for key in order
        for line in [*written.above.get(key, []), *(written if key in same else blocks).lines[key]]
    ]
    kept = [  # a changed key's own lines; a dropped key's, with those above it
        line
        for key, lines in written.lines.items()
        if key not in same
        for line in [*([] if key in blocks.lines else written.above[key]), *lines]
    ]
    rest = [*old_lines[:start], *kept, *old_lines[end:]]
    text = [*new_lines[:first], *toml, *written.loose, *new_lines[last:]]
    return "\n".join(text), "\n".join(rest)


@dataclass(frozen=True)
class _KeyBlocks:
    """TOML lines by the top-level key they write: each key's line and the lines of its value
    after it; `above`, the comment and blank lines above each key; `loose`, those after the
    last key."""

    lines: dict[str, list[str]]
    above: dict[str, list[str]]
    loose: list[str]


def _key_blocks(toml: list[str]) -> _KeyBlocks | None:
    """The `toml` lines by key; None if a line writes something else (a table header, a
    dotted key), which sitegen never writes."""
    lines: dict[str, list[str]] = {}
    above: dict[str, list[str]] = {}
    comments: list[str] = []
    key = None
    inside = False  # in a multi-line string a key's line opened
    for line, _, anchor, open_after in _comments(toml):
        if not inside and anchor is not None and _is_key(anchor):
            if anchor in lines:
                return None  # given twice: never a file that reads
            key, lines[anchor], above[anchor], comments = anchor, [line], comments, []
        elif inside or (anchor is not None and anchor.startswith(("in ", "end of ", "entry "))):
            if key is None:
                return None
            lines[key].append(line)
        elif anchor is None:
            comments.append(line)  # a comment or blank line: with the key below it
        else:
            return None
        inside = open_after is not None
    return _KeyBlocks(lines, above, comments)


def _same_value(written: list[str] | None, new: list[str]) -> bool:
    """Whether the lines of one key, `written` by hand and `new` by sitegen, give it one
    value."""
    if written is None:
        return False
    try:
        return tomllib.loads("\n".join(written)) == tomllib.loads("\n".join(new))
    except tomllib.TOMLDecodeError:
        return False


def _is_key(anchor: str) -> bool:
    """Whether a line `_comments` says is about `anchor` is a top-level key's."""
    return _KEY_NAME.fullmatch(anchor) is not None


_KEY_NAME = re.compile(r"[A-Za-z0-9_-]+")


def _keys_in_order(written: list[str], keys: list[str]) -> list[str]:
    """`keys` (in sitegen's order) in the order of `written`, each key it lacks after the last
    of the keys before it."""
    order = [key for key in written if key in keys]
    for index, key in enumerate(keys):
        if key not in order:
            order.insert(max((order.index(k) + 1 for k in keys[:index]), default=0), key)
    return order


def _comments(lines: list[str]) -> Iterator[tuple[str, int | None, str | None, str | None]]:
    """Each of the TOML `lines`, where its comment starts (None: it has none), what it is
    about, and the multi-line string still open after it, if any. A line inside a multi-line
    string is about the key that opened it; a line of an array written over several lines is
    "in" or at the "end of" that key's array, but a day file's entry, about its paper (a
    comment after a hand-written `sources` array's `]` went to the papers' `]`: a review)."""
    open_string: str | None = None
    opened_by: str | None = None
    depth = 0  # of the arrays and inline tables open
    array_of: str | None = None  # the key of the outermost array open
    for line in lines:
        inside = open_string is not None
        depth_before = depth
        at = None
        position = 0
        while at is None:
            if open_string is not None:
                closing = _string_end(line, position, open_string)
                if closing is None:
                    break
                position, open_string = closing, None
            part = _STRING_PARTS.search(line, position)
            if part is None:
                break
            if part[0] == "#":
                at = part.start()
            elif part[0] in ('"""', "'''"):
                open_string = part[0]
            elif part[0] in "[{":
                depth += 1
            elif part[0] in "]}":
                depth = max(0, depth - 1)
            position = part.end()
        if inside:
            anchor = opened_by
        elif depth_before:
            if (paper_id := _entry_id(line[:at])) is not None:
                anchor = f"entry {paper_id}"
            else:
                anchor = f"{'end of' if not depth else 'in'} {array_of}"
        else:
            anchor = _anchor(line[:at])
            array_of = anchor if depth else array_of
        if open_string is not None and not inside:
            opened_by = anchor
        yield line, at, anchor, open_string


def _entry_id(code: str) -> str | None:
    """The id of the day entry that a line of TOML `code` (its comment cut off) writes, if
    it writes one, wherever its keys put it: an entry written `{ title = ..., id = ... }` by
    hand was not found, and its comments went to the top of the file (a review)."""
    found = _ANCHOR.match(code)
    if found and found[2] is not None:
        return found[2]
    written = code.strip().removesuffix(",")
    if not written.startswith("{"):
        return None
    try:
        paper_id = tomllib.loads(f"entry = {written}")["entry"].get("id")
    except tomllib.TOMLDecodeError:
        return None
    return paper_id if isinstance(paper_id, str) else None


def _string_end(line: str, position: int, delimiter: str) -> int | None:
    """Where the multi-line string that `delimiter` opened ends in `line`, from `position`
    (after its closing quotes, of which TOML allows two more), or None if it goes on: a basic
    string's backslash escapes the next character (`\"""` is no end: found by a review)."""
    index = position
    while index < len(line):
        if delimiter == '"""' and line[index] == "\\":
            index += 2
        elif line.startswith(delimiter, index):
            end = index + 3
            while end < min(len(line), index + 5) and line[end] == delimiter[0]:
                end += 1
            return end
        else:
            index += 1
    return None


def _toml_lines(lines: list[str]) -> tuple[int, int]:
    """(first, end) of the TOML lines: a paper file's front matter, or a whole day file."""
    if lines and lines[0].rstrip() == FENCE:
        closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() == FENCE), 1)
        return 1, closing
    return 0, len(lines) - 1 if lines and not lines[-1] else len(lines)


def _anchor(code: str) -> str | None:
    """What a line of TOML `code` (its comment cut off) is about, if anything."""
    match = _ANCHOR.match(code)
    if match:
        return match[1] or f"entry {match[2]}"
    return f"line {code.strip()}" if code.strip() else None


def decode_content(data: bytes, *, path: str, error: type[SitegenError] = ContentError) -> str:
    """A file's bytes as text (a byte-order mark, as Windows editors save, dropped), or an
    `error` naming the line that is not UTF-8: content files, site.toml and templates."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        raise error(
            "not UTF-8 text",
            location=Location(path, data.count(b"\n", 0, problem.start) + 1),
            hint="save the file as UTF-8",
        ) from None


def refuse_emptied(text: str, *, path: str) -> None:
    """A ContentError when a content file holds nothing (an editor's crash, a `>` typed for
    `>>`) or NUL bytes alone (a crash while it was saved): an emptied day file was told to be
    given its `day` line, which makes a day of no papers, every paper it listed taken off the
    site without a word (a maintainer's trial)."""
    if not text.strip():
        problem = "the file is empty"
    elif not text.replace("\0", "").strip():  # NULs, with line ends between them or not
        problem = "the file holds only NUL bytes, as a crash while saving it leaves one"
    else:
        return
    raise ContentError(
        problem,
        location=Location(path, 1),
        hint=f"restore it, from git (`git checkout HEAD -- {path}`) or a copy",
    )


_CONFLICT = re.compile(r"^<{7}(?: |$)(?:.*\n)*?^>{7}(?: |$)", re.MULTILINE)


def refuse_conflict_markers(text: str, *, path: str) -> None:
    """A ContentError at the line of git's `<<<<<<<` when a merge left its markers in a file:
    in an abstract they were published as its text."""
    if "<<<<<<<" not in text:
        return
    lines = text.replace("\r\n", "\n")
    if conflict := _CONFLICT.search(lines):
        raise ContentError(
            "a merge conflict left unresolved: git's <<<<<<<, ======= and >>>>>>> lines",
            location=Location(path, lines.count("\n", 0, conflict.start()) + 1),
            hint="keep the lines you want of each side, delete the marker lines, then run again",
        )


# ---- TOML front matter and documents -------------------------------------------------------

FENCE = "+++"


_BOM = "\ufeff".encode()
_LINE_END = re.compile(rb"\r\n|\r|\n")


def carry_line_ends(old: bytes, new: bytes) -> bytes:
    """`new`, a file sitegen rewrites (LF, no byte-order mark), with the line ends of `old`
    (its first), what `old` has after its last line, and its byte-order mark: a file a
    Windows editor saved was rewritten with LF, and the day's commit showed every line of it
    changed; one saved without a newline at its end showed its last line, the abstract,
    changed (maintainers' trials)."""
    found = _LINE_END.search(old)
    if found is not None and found.group() != b"\n":
        new = new.replace(b"\n", found.group())
    # What follows its last line (line ends or none, blank lines an editor left, spaced or
    # not) as `old` has it: sitegen ends no line in a space, so none of its own is cut.
    new = new.rstrip() + old[len(old.rstrip()) :]
    return _BOM + new if old.startswith(_BOM) and not new.startswith(_BOM) else new


def with_newlines(text: str) -> str:
    """`text` with its line ends as "\n": CRLF, a Windows checkout's; CR alone, an old Mac
    editor's (found by two reviews: a paper file's, then a day file's)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str, *, path: str) -> tuple[dict[str, Any], str, int]:
    """Split a content file into (front matter, body, 1-based line where the body starts)."""
    lines = with_newlines(text).split("\n")
    if lines[0].strip() == _YAML_FENCE:
        raise _yaml_fence(path, line=1, opening=True)
    if lines[0].strip() != FENCE:
        raise ContentError(
            f"the file must start with a '{FENCE}' line that opens its TOML front matter",
            location=Location(path, 1),
            # Not "delete the file and ingest its listing again": ingest does not make again
            # a file whose day entries are left (sitegen.orphan_entries).
            hint="restore the front matter, from git (`git diff` shows what changed) or a copy",
        )
    try:
        closing = next(i for i in range(1, len(lines)) if lines[i].strip() == FENCE)
    except StopIteration:
        # A `---` line where the closing fence belongs, in a file opened with '+++'.
        dashes = next((i for i in range(1, len(lines)) if lines[i].strip() == _YAML_FENCE), None)
        if dashes is not None:
            raise _yaml_fence(path, line=dashes + 1, opening=False) from None
        raise ContentError(
            f"the front matter is never closed by a '{FENCE}' line",
            location=Location(path, 1),
            hint=f"add a '{FENCE}' line after the last front matter field",
        ) from None
    fields = load_toml(
        "\n".join(lines[1:closing]),
        source=path,
        error=ContentError,
        first_line=2,
        hint="fix the TOML syntax (strings need double quotes, dates are YYYY-MM-DD)",
        numbers=_COUNTS,
    )
    return fields, "\n".join(lines[closing + 1 :]), closing + 2


# Jekyll's and Hugo's fence of YAML front matter, which a file added by hand may well take.
_YAML_FENCE = "---"


def _yaml_fence(path: str, *, line: int, opening: bool) -> ContentError:
    if opening:
        return ContentError(
            f"the front matter opens with a '{_YAML_FENCE}' line, YAML's fence;"
            f" sitegen's front matter is TOML between '{FENCE}' lines",
            location=Location(path, line),
            hint=f"write '{FENCE}' for each '{_YAML_FENCE}' line around the front matter",
        )
    # Perhaps the abstract's rule, the closing fence forgotten above it (a review).
    return ContentError(
        f"the front matter is never closed by a '{FENCE}' line; this line is"
        f" '{_YAML_FENCE}', YAML's fence",
        location=Location(path, line),
        hint=f"if the front matter ends here, write '{FENCE}' for it; if not, add a '{FENCE}'"
        " line after the last front matter field",
    )


def join_front_matter(fields: Sequence[tuple[str, TomlValue | None]], body: str) -> str:
    """Render front matter (fields in the given order, None values left out) and a body."""
    text = f"{FENCE}\n{dump_toml(fields)}{FENCE}\n"
    return text + (body.strip() + "\n" if body.strip() else "")


def dump_toml(fields: Sequence[tuple[str, TomlValue | None]]) -> str:
    """A TOML document of top-level keys, in order."""
    return "".join(
        f"{key} = {toml_value(value, multiline=True)}\n"
        for key, value in fields
        if value is not None
    )
