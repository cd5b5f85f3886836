"""The content store on disk: one Markdown file per paper, one TOML file per day, raw listings.

Layout under the site root:
    content/papers/<id>.md        front matter (TOML) + the abstract as body
    content/days/YYYY-MM-DD.toml  what the day featured, in listing order
    content/listings/...          the raw listings the days came from (replayable)

Writes are transactions: every file of one run is staged, a manifest is committed with one
atomic rename, then the files are moved into place. A run interrupted after the commit point is
completed by the next run; one interrupted before it leaves the store untouched.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
import shutil
import tempfile
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from sitegen import __version__
from sitegen.errors import ContentError, Location
from sitegen.frontmatter import (
    describe_toml_error,
    dump_toml,
    join_front_matter,
    split_front_matter,
)
from sitegen.model import (
    Appearance,
    Day,
    DayEntry,
    Organization,
    Paper,
    clean_block,
    clean_line,
    is_paper_id,
)

CONTENT_DIR = "content"
PAPERS_DIR = "content/papers"
DAYS_DIR = "content/days"
LISTINGS_DIR = "content/listings"
FETCH_STATE = "content/fetch-state.json"  # HTTP validators of the last answer per day
_TXN_DIR = ".sitegen-txn"
CACHE_DIR = ".sitegen-cache"
_PAPER_KEYS = frozenset(
    {
        "title", "arxiv_id", "authors", "authors_count", "organization", "published", "upvotes",
        "topics", "keywords", "github", "project_page", "featured",
    }
)  # fmt: skip
_DAY_KEYS = frozenset({"day", "sources", "papers"})


@dataclass(frozen=True, slots=True, kw_only=True)
class ContentSnapshot:
    """Everything in content/ as values."""

    papers: Mapping[str, Paper]
    days: Mapping[date, Day]


EMPTY_SNAPSHOT = ContentSnapshot(papers={}, days={})


# ---- paper files -------------------------------------------------------------------------------


def render_paper_file(paper: Paper) -> str:
    """The canonical text of a paper file."""
    organization = (
        {"handle": paper.organization.handle, "name": paper.organization.name}
        if paper.organization
        else None
    )
    featured = [{"day": a.day, "rank": a.rank} for a in paper.featured]
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
            ("keywords", list(paper.keywords) or None),
            ("github", paper.github_url),
            ("project_page", paper.project_url),
            ("featured", featured),
        ],
        paper.abstract,
    )


def parse_paper_file(text: str, *, path: str, known_topics: frozenset[str] | None = None) -> Paper:
    """A paper file's text as a Paper; a ContentError naming the line of anything wrong."""
    paper_id = Path(path).name.removesuffix(".md")
    if not is_paper_id(paper_id):
        raise ContentError(
            f"{paper_id!r} is not a valid paper id (lowercase letters, digits, '.' and '-')",
            location=Location(path),
            hint="rename the file",
        )
    fields, body, _ = split_front_matter(text, path=path)
    check = _FieldCheck(fields, text, path)
    check.no_unknown_keys(_PAPER_KEYS)
    organization = check.table("organization", ("handle", "name"))
    return Paper(
        id=paper_id,
        title=check.text("title", required=True) or "",
        abstract=clean_block(body),
        arxiv_id=check.text("arxiv_id"),
        authors=check.texts("authors"),
        authors_count=check.count("authors_count"),
        organization=Organization(**organization) if organization else None,
        published=check.date("published"),
        upvotes=check.count("upvotes"),
        topics=check.topics(known_topics),
        keywords=check.texts("keywords"),
        github_url=check.url("github"),
        project_url=check.url("project_page"),
        featured=check.appearances("featured"),
    )


# ---- day files ---------------------------------------------------------------------------------


def render_day_file(day: Day) -> str:
    entries = [
        {"id": entry.paper_id, "title": entry.title, "upvotes": entry.upvotes}
        for entry in day.entries
    ]
    return dump_toml([("day", day.day), ("sources", list(day.sources)), ("papers", entries)])


def parse_day_file(text: str, *, path: str) -> Day:
    try:
        fields = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message, line = describe_toml_error(error)
        raise ContentError(
            f"bad TOML: {message}",
            location=Location(path, line),
            hint="fix the TOML syntax",
        ) from None
    check = _FieldCheck(fields, text, path)
    check.no_unknown_keys(_DAY_KEYS)
    day = check.date("day")
    if day is None or Path(path).name != f"{day.isoformat()}.toml":
        raise ContentError(
            "a day file needs `day = YYYY-MM-DD` matching its file name",
            location=check.where("day"),
            hint=f"set day = {Path(path).stem}",
        )
    raw_entries = fields.get("papers", [])
    if not isinstance(raw_entries, list):
        raise ContentError("`papers` must be an array", location=check.where("papers"))
    entries = []
    for raw in raw_entries:
        if (
            not isinstance(raw, dict)
            or not isinstance(raw.get("id"), str)
            or not is_paper_id(raw["id"])
            or not isinstance(raw.get("title", ""), str)
            or not _is_count(raw.get("upvotes"))
        ):
            raise ContentError(
                f"bad entry in `papers`: {raw!r}",
                location=check.where_value(raw.get("id") if isinstance(raw, dict) else None),
                hint='each entry is { id = "<paper id>", title = "...", upvotes = N }',
            )
        entries.append(
            DayEntry(
                paper_id=raw["id"],
                title=clean_line(raw.get("title", "")),
                upvotes=raw.get("upvotes"),
            )
        )
    return Day(day=day, entries=tuple(entries), sources=check.texts("sources"))


def _is_count(value: object) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 0)


class _FieldCheck:
    """Typed access to front matter fields; errors point at the field's line."""

    def __init__(self, fields: dict[str, Any], text: str, path: str) -> None:
        self.fields, self.source, self.path = fields, text, path

    def where(self, key: str) -> Location:
        match = re.search(rf"^\s*{re.escape(key)}\s*=", self.source, re.MULTILINE)
        line = self.source.count("\n", 0, match.start()) + 1 if match else None
        return Location(self.path, line)

    def where_value(self, value: str | None) -> Location:
        if value and (index := self.source.find(value)) >= 0:
            return Location(self.path, self.source.count("\n", 0, index) + 1)
        return Location(self.path)

    def fail(self, key: str, expected: str) -> ContentError:
        return ContentError(
            f"`{key}` must be {expected}, not {self.fields[key]!r}",
            location=self.where(key),
            hint=f"fix `{key}`, or remove the line to leave it unknown",
        )

    def no_unknown_keys(self, known: frozenset[str]) -> None:
        for key in self.fields:
            if key not in known:
                raise ContentError(
                    f"unknown field `{key}`",
                    location=self.where(key),
                    hint=f"known fields: {', '.join(sorted(known))}",
                )

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self.fields.get(key)
        if value is None:
            if required:
                raise ContentError(
                    f"the required field `{key}` is missing",
                    location=Location(self.path, 2),
                    hint=f'add `{key} = "..."` to the front matter',
                )
            return None
        if not isinstance(value, str) or (required and not clean_line(value)):
            raise self.fail(key, "a non-empty string" if required else "a string")
        return clean_line(value)

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.fields.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(key, "an array of strings")
        return tuple(clean_line(item) for item in value if clean_line(item))

    def topics(self, known: frozenset[str] | None) -> tuple[str, ...]:
        slugs = self.texts("topics")
        for slug in slugs:
            if known is not None and slug not in known:
                raise ContentError(
                    f"unknown topic {slug!r} in `topics`",
                    location=self.where("topics"),
                    hint="use a topic slug from site.toml: " + ", ".join(sorted(known)),
                )
        return slugs

    def count(self, key: str) -> int | None:
        value = self.fields.get(key)
        if not _is_count(value):
            raise self.fail(key, "a whole number, 0 or more")
        return value

    def date(self, key: str) -> date | None:
        value = self.fields.get(key)
        if value is None:
            return None
        if not isinstance(value, date) or hasattr(value, "hour"):
            raise self.fail(key, "a date written YYYY-MM-DD (no quotes)")
        return value

    def url(self, key: str) -> str | None:
        value = self.text(key)
        if value is not None and not value.startswith(("https://", "http://")):
            raise self.fail(key, "an http(s) URL")
        return value

    def table(self, key: str, names: tuple[str, ...]) -> dict[str, str] | None:
        value = self.fields.get(key)
        if value is None:
            return None
        if (
            not isinstance(value, dict)
            or set(value) != set(names)
            or not all(isinstance(v, str) and clean_line(v) for v in value.values())
        ):
            raise self.fail(key, "{ " + ", ".join(f'{n} = "..."' for n in names) + " }")
        return {name: clean_line(value[name]) for name in names}

    def appearances(self, key: str) -> tuple[Appearance, ...]:
        value = self.fields.get(key, [])
        result = []
        if isinstance(value, list):
            for item in value:
                if (
                    isinstance(item, dict)
                    and set(item) == {"day", "rank"}
                    and isinstance(item["day"], date)
                    and not hasattr(item["day"], "hour")
                    and isinstance(item["rank"], int)
                    and not isinstance(item["rank"], bool)
                    and item["rank"] >= 1
                ):
                    result.append(Appearance(day=item["day"], rank=item["rank"]))
                    continue
                raise self.fail(key, "an array of { day = YYYY-MM-DD, rank = N }")
        else:
            raise self.fail(key, "an array of { day = YYYY-MM-DD, rank = N }")
        return tuple(sorted(result, key=lambda a: a.day))


# ---- reading and writing the store -------------------------------------------------------------


PaperParser = Callable[[list[tuple[Path, str]], frozenset[str] | None], list[Paper]]


def parse_paper_files(
    files: list[tuple[Path, str]], known_topics: frozenset[str] | None
) -> list[Paper]:
    """Parse paper files given as (path, name shown in errors)."""
    return [
        parse_paper_file(_decode(path.read_bytes(), shown), path=shown, known_topics=known_topics)
        for path, shown in files
    ]


def load_content(
    root: Path,
    *,
    known_topics: frozenset[str] | None = None,
    use_cache: bool = True,
    parse_papers: PaperParser = parse_paper_files,
) -> ContentSnapshot:
    """Read the whole content store (completing an interrupted write first).

    With `known_topics`, a paper naming a topic not in that set is an error. Parsed files are
    cached in .sitegen-cache/ by file identity (inode, size, mtime), so only files that
    changed are parsed again; `use_cache=False` ignores the cache and replaces it.
    `parse_papers` may spread the parsing over processes.
    """
    recover_interrupted_write(root)
    cache = _ParseCache.load(root) if use_cache else _ParseCache(root)
    papers: dict[str, Paper] = {}
    to_parse: list[tuple[Path, _FileIdentity]] = []
    for path, identity in _listed(root / PAPERS_DIR, ".md"):
        paper = (
            cache.papers.get(path.name, (None, None))[1] if cache.fresh(path, identity) else None
        )
        if paper is None or (
            known_topics is not None and not known_topics.issuperset(paper.topics)
        ):
            # Parsed again when new, changed, or naming a topic no longer known (for the error).
            to_parse.append((path, identity))
        else:
            papers[paper.id] = paper
    parsed = parse_papers([(path, _display(path, root)) for path, _ in to_parse], known_topics)
    for (path, identity), paper in zip(to_parse, parsed, strict=True):
        cache.store_paper(path.name, identity, paper)
        papers[paper.id] = paper
    papers = dict(sorted(papers.items()))
    days: dict[date, Day] = {}
    for path, identity in _listed(root / DAYS_DIR, ".toml"):
        day = cache.days.get(path.name, (None, None))[1] if cache.fresh(path, identity) else None
        if day is None:
            day = parse_day_file(_read_text(path, root), path=_display(path, root))
            cache.store_day(path.name, identity, day)
        days[day.day] = day
    cache.save(keep_papers=papers.keys(), keep_days={f"{d.isoformat()}.toml" for d in days})
    return ContentSnapshot(papers=papers, days=days)


_FileIdentity = tuple[int, int, int]  # inode, size, mtime in ns


def _listed(directory: Path, suffix: str) -> list[tuple[Path, _FileIdentity]]:
    try:
        with os.scandir(directory) as scan:
            # Sorted by name (plain strings: comparing Path objects costs seconds at 50k).
            entries = sorted((e for e in scan if e.name.endswith(suffix)), key=lambda e: e.name)
    except FileNotFoundError:
        return []
    found = []
    for entry in entries:
        if entry.is_file():
            stat = entry.stat()
            found.append((directory / entry.name, (stat.st_ino, stat.st_size, stat.st_mtime_ns)))
    return found


class _ParseCache:
    """Parsed content files by name and identity, in .sitegen-cache/content.pickle.

    Only a speed-up: a missing, unreadable or outdated cache is ignored, never an error. It
    holds values this program wrote into the site's own directory, like __pycache__.
    """

    _VERSION = f"{__version__}/1"  # a new release or schema bump starts afresh

    def __init__(self, root: Path) -> None:
        self.path = root / CACHE_DIR / "content.pickle"
        self.papers: dict[str, tuple[_FileIdentity, Paper]] = {}
        self.days: dict[str, tuple[_FileIdentity, Day]] = {}
        self.identities: dict[str, _FileIdentity] = {}
        self.changed = True

    @classmethod
    def load(cls, root: Path) -> _ParseCache:
        cache = cls(root)
        try:
            with cache.path.open("rb") as handle:
                version, papers, days = pickle.load(handle)
        except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError, AttributeError):
            return cache
        if version == cls._VERSION:
            cache.papers, cache.days, cache.changed = papers, days, False
        return cache

    def fresh(self, path: Path, identity: _FileIdentity) -> bool:
        table: Mapping[str, tuple[_FileIdentity, object]] = (
            self.papers if path.suffix == ".md" else self.days
        )
        cached = table.get(path.name)
        return cached is not None and cached[0] == identity

    def store_paper(self, name: str, identity: _FileIdentity, paper: Paper) -> None:
        self.papers[name] = (identity, paper)
        self.changed = True

    def store_day(self, name: str, identity: _FileIdentity, day: Day) -> None:
        self.days[name] = (identity, day)
        self.changed = True

    def save(self, *, keep_papers: Iterable[str], keep_days: set[str]) -> None:
        names = {f"{paper_id}.md" for paper_id in keep_papers}
        if set(self.papers) != names or set(self.days) != keep_days:
            self.papers = {n: v for n, v in self.papers.items() if n in names}
            self.days = {n: v for n, v in self.days.items() if n in keep_days}
            self.changed = True
        if not self.changed:
            return
        try:
            data = pickle.dumps((self._VERSION, self.papers, self.days), pickle.HIGHEST_PROTOCOL)
            _write_atomic(self.path, data)
        except OSError:
            pass  # a read-only checkout still builds, just without the speed-up


def _read_text(path: Path, root: Path) -> str:
    return _decode(path.read_bytes(), _display(path, root))


def _decode(data: bytes, shown: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ContentError(
            f"not UTF-8 text (offset {error.start})",
            location=Location(shown),
            hint="save the file as UTF-8",
        ) from None


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def snapshot_changes(before: ContentSnapshot, after: ContentSnapshot) -> dict[str, bytes]:
    """The files (relative to the root) whose content differs between two snapshots."""
    files: dict[str, bytes] = {}
    for paper_id, paper in after.papers.items():
        if before.papers.get(paper_id) != paper:
            files[f"{PAPERS_DIR}/{paper_id}.md"] = render_paper_file(paper).encode()
    for day, record in after.days.items():
        if before.days.get(day) != record:
            files[f"{DAYS_DIR}/{day.isoformat()}.toml"] = render_day_file(record).encode()
    return files


def kept_listing_name(
    root: Path, day: date, raw: bytes, suffix: str, *, pending: Mapping[str, bytes]
) -> str:
    """Where a raw listing for `day` is kept: `<day><suffix>`, or with a digest of its bytes
    when a different listing of that day is kept there already, on disk or among the
    `pending` files of this run. The same bytes always get the same name."""
    plain = f"{LISTINGS_DIR}/{day.isoformat()}{suffix}"
    held = pending.get(plain)
    if held is None and (root / plain).exists():
        held = (root / plain).read_bytes()
    if held is None or held == raw:
        return plain
    digest = hashlib.sha256(raw).hexdigest()[:8]
    return f"{LISTINGS_DIR}/{day.isoformat()}-{digest}{suffix}"


def write_files(root: Path, files: Mapping[str, bytes]) -> list[str]:
    """Write files (paths relative to root) all together or not at all; return those written.

    Files whose bytes are already on disk are skipped, so a repeated run changes nothing.
    """
    for rel in files:
        _check_inside(rel)  # before any I/O, so a bad path is never even read
    changed = {
        rel: data
        for rel, data in sorted(files.items())
        if not (root / rel).is_file() or (root / rel).read_bytes() != data
    }
    if not changed:
        return []
    recover_interrupted_write(root)
    txn = root / _TXN_DIR
    staged = txn / "files"
    staged.mkdir(parents=True, exist_ok=True)
    for index, data in enumerate(changed.values()):
        (staged / str(index)).write_bytes(data)
    os.sync()  # one flush for every staged file (an fsync each costs ~0.3 ms per file)
    manifest = json.dumps(list(changed), ensure_ascii=False).encode()
    _write_atomic(txn / "manifest.json", manifest)  # the commit point
    _complete(root, txn)
    return list(changed)


def recover_interrupted_write(root: Path) -> None:
    txn = root / _TXN_DIR
    if not txn.exists():
        return
    if (txn / "manifest.json").is_file():
        _complete(root, txn)
    else:
        shutil.rmtree(txn)


def _complete(root: Path, txn: Path) -> None:
    names: list[str] = json.loads((txn / "manifest.json").read_text("utf-8"))
    for index, rel in enumerate(names):
        source = txn / "files" / str(index)
        if source.exists():  # moved already when an earlier completion was interrupted
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            source.replace(root / rel)
    shutil.rmtree(txn)


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _check_inside(rel: str) -> None:
    # Paper ids are validated, but this is the last line of defence against writing elsewhere.
    parts = PurePosixPath(rel).parts
    if not parts or parts[0] != CONTENT_DIR or ".." in parts or "\\" in rel:
        raise ContentError(f"refusing to write outside content/: {rel}")


def load_fetch_state(root: Path) -> dict[str, dict[str, str]]:
    """day (YYYY-MM-DD) -> {"etag": ..., "last_modified": ...}; empty when never fetched."""
    path = root / FETCH_STATE
    try:
        state = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return {}
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}  # only an optimisation: without it every day is fetched in full
    return state if isinstance(state, dict) else {}


def render_fetch_state(state: Mapping[str, Mapping[str, str]]) -> bytes:
    return (json.dumps(state, sort_keys=True, indent=1, ensure_ascii=False) + "\n").encode()
