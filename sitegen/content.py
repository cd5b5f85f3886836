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

import contextlib
import functools
import hashlib
import os
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from stat import S_ISREG
from typing import Any

from sitegen import __version__, transaction
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
    # paper id -> digest of its file's bytes, when read from disk: what a build keys pages on
    fingerprints: Mapping[str, str] = field(default_factory=dict)


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


PaperParser = Callable[[list[tuple[str, str]], frozenset[str] | None], list[tuple[Paper, str]]]


def parse_paper_files(
    files: list[tuple[str, str]], known_topics: frozenset[str] | None
) -> list[tuple[Paper, str]]:
    """Parse paper files given as (path, name shown in errors); each with its fingerprint."""
    parsed = []
    for path, shown in files:
        data = Path(path).read_bytes()
        paper = parse_paper_file(_decode(data, shown), path=shown, known_topics=known_topics)
        parsed.append((paper, fingerprint(data)))
    return parsed


def fingerprint(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=12).hexdigest()


def _has_fingerprint(path: Path, expected: str) -> bool:
    try:
        return fingerprint(path.read_bytes()) == expected
    except OSError:
        return False


@functools.cache
def code_fingerprint() -> str:
    """A digest of sitegen's own source: caches and build keys made by other code are stale."""
    package = Path(__file__).parent
    digest = hashlib.blake2b(digest_size=12)
    for path in sorted(package.rglob("*.py")):
        digest.update(f"{path.relative_to(package).as_posix()}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


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
    fingerprints: dict[str, str] = {}
    to_parse: list[tuple[str, _FileIdentity]] = []
    papers_dir = root / PAPERS_DIR
    for name, identity in listed_files(papers_dir, ".md"):
        cached = cache.papers.get(name)
        if (
            cached is not None
            and cached[0] != identity
            and _has_fingerprint(papers_dir / name, cached[2])
        ):
            # Same bytes, new inode or mtime: a fresh clone, or a cache restored in CI.
            cached = cache.papers[name] = (identity, cached[1], cached[2])
        if (
            cached is None
            or cached[0] != identity
            # Parsed again when naming a topic no longer known, for the error.
            or (known_topics is not None and not known_topics.issuperset(cached[1].topics))
        ):
            to_parse.append((name, identity))
        else:
            papers[cached[1].id] = cached[1]
            fingerprints[cached[1].id] = cached[2]
    parsed = parse_papers(
        [(str(papers_dir / name), f"{PAPERS_DIR}/{name}") for name, _ in to_parse], known_topics
    )
    for (name, identity), (paper, digest) in zip(to_parse, parsed, strict=True):
        cache.papers[name] = (identity, paper, digest)
        papers[paper.id] = paper
        fingerprints[paper.id] = digest
    papers = dict(sorted(papers.items()))
    days: dict[date, Day] = {}
    days_dir = root / DAYS_DIR
    for name, identity in listed_files(days_dir, ".toml"):
        cached_day = cache.days.get(name)
        if cached_day is not None and cached_day[0] == identity:
            day = cached_day[1]
        else:
            day = read_day_file(root, name)
            cache.days[name] = (identity, day)
        days[day.day] = day
    cache.save(keep_papers=papers.keys(), keep_days={f"{d.isoformat()}.toml" for d in days})
    return ContentSnapshot(papers=papers, days=days, fingerprints=fingerprints)


_FileIdentity = tuple[int, int, int]  # inode, size, mtime in ns


def stored_days(root: Path) -> list[date]:
    """The days the store holds, oldest first, from the day files' names."""
    days = []
    for name, _ in listed_files(root / DAYS_DIR, ".toml"):
        with contextlib.suppress(ValueError):  # a stray name is the build's error to report
            days.append(date.fromisoformat(name.removesuffix(".toml")))
    return days


def listed_files(directory: Path, suffix: str) -> list[tuple[str, _FileIdentity]]:
    """(name, identity) of the directory's files ending in `suffix`, sorted by name."""
    try:
        names = sorted(n for n in os.listdir(directory) if n.endswith(suffix))  # noqa: PTH208
    except FileNotFoundError:
        return []
    # Relative to an open directory where the OS allows: a third faster than scandir and
    # DirEntry.stat at 50,000 files, which is every build's cost of noticing edits.
    at = os.open(directory, os.O_RDONLY) if os.stat in os.supports_dir_fd else None
    found = []
    try:
        for name in names:
            try:
                stat = os.stat(name if at is not None else directory / name, dir_fd=at)
            except FileNotFoundError:
                continue  # removed meanwhile
            if S_ISREG(stat.st_mode):
                found.append((name, (stat.st_ino, stat.st_size, stat.st_mtime_ns)))
    finally:
        if at is not None:
            os.close(at)
    return found


class BuildCache:
    """Mappings a run keeps in .sitegen-cache/ for the next: the whole as once written, plus
    the changes since.

    Only a speed-up: a missing, unreadable or outdated cache is ignored, never an error. It
    holds values this program wrote into the site's own directory, like __pycache__. A run
    that changed a few entries writes only those, beside the whole (writing 50,000 papers or
    API records again for a day's 50 would cost a tenth of a second each); the whole is
    written again once the changes grow.
    """

    _REWRITE_AT = 0.05  # share of changed entries at which the whole is written again

    def __init__(self, root: Path, name: str, version: str, *, tables: int = 1) -> None:
        self.whole_path = root / CACHE_DIR / f"{name}.pickle"
        self.changes_path = root / CACHE_DIR / f"{name}-changes.pickle"
        self.version = f"{__version__}/{code_fingerprint()}/{version}"  # new code starts afresh
        self._whole: tuple[dict[str, Any], ...] = ({},) * tables  # as last written
        self._whole_id = ""

    def load(self) -> tuple[dict[str, Any], ...]:
        """The tables as the last run saved them (empty ones without a usable cache)."""
        whole = _load_pickle(self.whole_path)
        if not self._saved_here(whole):
            return tuple({} for _ in self._whole)
        self._whole_id, self._whole = whole[1], whole[2]
        tables = tuple(dict(table) for table in self._whole)
        changes = _load_pickle(self.changes_path)
        if self._saved_here(changes) and changes[1] == self._whole_id:
            for table, (changed, removed) in zip(tables, changes[2], strict=True):
                table.update(changed)
                for name in removed:
                    table.pop(name, None)
        return tables

    def _saved_here(self, value: Any) -> bool:
        """Whether `value` is a whole or changes this version saved: (version, id, tables)."""
        return (
            isinstance(value, tuple)
            and len(value) == 3
            and value[0] == self.version
            and len(value[2]) == len(self._whole)
        )

    def save(self, *tables: dict[str, Any]) -> None:
        diffs = [_diff(old, new) for old, new in zip(self._whole, tables, strict=True)]
        changes = sum(len(changed) + len(removed) for changed, removed in diffs)
        size = max(sum(map(len, tables)), 1)
        try:
            if changes > self._REWRITE_AT * size or not self._whole_id:
                whole_id = os.urandom(8).hex()
                _save_pickle(self.whole_path, (self.version, whole_id, tables))
                self.changes_path.unlink(missing_ok=True)
                self._whole, self._whole_id = tuple(dict(t) for t in tables), whole_id
            elif changes or self.changes_path.exists():
                _save_pickle(self.changes_path, (self.version, self._whole_id, diffs))
        except OSError:
            pass  # a read-only checkout still builds, just without the speed-up


class _ParseCache:
    """Parsed content files by name and identity (see BuildCache)."""

    def __init__(self, root: Path) -> None:
        self._kept = BuildCache(root, "content", "", tables=2)
        self.papers: dict[str, tuple[_FileIdentity, Paper, str]] = {}  # with its fingerprint
        self.days: dict[str, tuple[_FileIdentity, Day]] = {}

    @classmethod
    def load(cls, root: Path) -> _ParseCache:
        cache = cls(root)
        cache.papers, cache.days = cache._kept.load()
        return cache

    def save(self, *, keep_papers: Iterable[str], keep_days: set[str]) -> None:
        names = {f"{paper_id}.md" for paper_id in keep_papers}
        self.papers = {n: v for n, v in self.papers.items() if n in names}
        self.days = {n: v for n, v in self.days.items() if n in keep_days}
        self._kept.save(self.papers, self.days)


def _diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """(entries new or changed, names removed) from `old` to `new`."""
    changed = {name: value for name, value in new.items() if old.get(name) is not value}
    return changed, [name for name in old if name not in new]


def _load_pickle(path: Path) -> Any:
    """A value `_save_pickle` saved, its bytes values (the papers' packed fields) left in the
    file and mapped: only those read are ever paged in. None if it cannot be read."""
    # Imported here, as in _save_pickle: only builds keep caches, and `sitegen ingest`, which
    # a scheduled job runs every day, starts 3 ms faster without it.
    import pickle

    try:
        data, *buffers = mapped_parts(path)
        return pickle.loads(data, buffers=buffers)
    except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError, AttributeError):
        return None


def _save_pickle(path: Path, value: object) -> None:
    """`value` pickled, then the buffers it gives out of band (see model._PickledLazily)."""
    import pickle

    buffers: list[pickle.PickleBuffer] = []
    data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL, buffer_callback=buffers.append)
    write_parts(path, [data, *(buffer.raw() for buffer in buffers)])


def write_parts(path: Path, parts: Sequence[bytes | memoryview]) -> None:
    """A cache file of `parts`, after a header of their sizes, for `mapped_parts` to read back
    without copying them. Replaced atomically, not flushed: a cache is checked when read."""
    import marshal

    sizes = marshal.dumps([len(part) for part in parts])
    transaction.write_atomic(path, [len(sizes).to_bytes(8, "little"), sizes, *parts], durable=False)


def mapped_parts(path: Path) -> list[memoryview]:
    """The parts of a file `write_parts` wrote, as views of the file mapped into memory (pages
    are read only when touched). OSError when it cannot be read, ValueError or EOFError when
    it is not such a file."""
    import marshal
    import mmap
    from itertools import accumulate

    with path.open("rb") as handle:
        view = memoryview(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ))
    head = 8 + int.from_bytes(view[:8], "little")
    sizes = marshal.loads(view[8:head])
    if not isinstance(sizes, list):
        raise ValueError(f"{path}: not a file of parts")
    ends = list(accumulate(sizes, initial=head))
    if ends[-1] != len(view):
        raise ValueError(f"{path}: cut off or padded")
    return list(map(view.__getitem__, map(slice, ends, ends[1:])))


def read_day_file(root: Path, name: str) -> Day:
    """The day file `name` (e.g. 2026-01-08.toml) of the store under `root`."""
    return parse_day_file(
        _decode((root / DAYS_DIR / name).read_bytes(), f"{DAYS_DIR}/{name}"),
        path=f"{DAYS_DIR}/{name}",
    )


def _decode(data: bytes, shown: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ContentError(
            f"not UTF-8 text (offset {error.start})",
            location=Location(shown),
            hint="save the file as UTF-8",
        ) from None


def snapshot_changes(before: ContentSnapshot, after: ContentSnapshot) -> dict[str, bytes]:
    """The files (relative to the root) whose content differs between two snapshots."""
    return content_files(*changed_records(before, after))


def changed_records(
    before: ContentSnapshot, after: ContentSnapshot
) -> tuple[list[Paper], list[Day]]:
    """The papers and days of `after` that are new or differ from `before`."""
    papers = []
    for paper_id, paper in after.papers.items():
        old = before.papers.get(paper_id)
        # Identity first: a merge hands back the very objects it did not change.
        if old is not paper and old != paper:
            papers.append(paper)
    days = [record for day, record in after.days.items() if before.days.get(day) != record]
    return papers, days


def content_files(papers: Iterable[Paper], days: Iterable[Day]) -> dict[str, bytes]:
    """The files (relative to the root) that hold `papers` and `days`."""
    files = {f"{PAPERS_DIR}/{paper.id}.md": render_paper_file(paper).encode() for paper in papers}
    for day in days:
        files[f"{DAYS_DIR}/{day.day.isoformat()}.toml"] = render_day_file(day).encode()
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
        rel: data for rel, data in sorted(files.items()) if not transaction.holds(root / rel, data)
    }
    if not changed:
        return []
    recover_interrupted_write(root)
    journal = root / _TXN_DIR
    transaction.commit(root, journal, staged={}, written=changed)
    return list(changed)


def recover_interrupted_write(root: Path) -> None:
    transaction.recover(root, root / _TXN_DIR)


def _check_inside(rel: str) -> None:
    # Paper ids are validated, but this is the last line of defence against writing elsewhere.
    parts = PurePosixPath(rel).parts
    if not parts or parts[0] != CONTENT_DIR or ".." in parts or "\\" in rel:
        raise ContentError(f"refusing to write outside content/: {rel}")
