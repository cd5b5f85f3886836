"""Merging listings into the content store on disk, reading only the files they touch.

A day adds some fifty papers to a store of tens of thousands. Merging them needs to know
which stored paper has an entry's arXiv id or title, and what upvotes the days recorded;
reading every file to find out took a second at 50,000 papers. So ingest keeps those facts in
an index, a SQLite file in .sitegen-cache/, and reads just the papers and days a listing names.

The index is trusted while
- content/papers/ is the directory it was made from with the same entries: its mtime moves
  whenever a file is added, removed or replaced, which is how sitegen, git and most editors
  write (`_directory_state`);
- every day file is as it was (day files are few, so each is checked; one that changed is
  read again);
- every paper the listing names reads back as the index has it.
Otherwise it is made again from the whole store. What it cannot see is a paper file edited in
place (not replaced), one the listing does not name, whose title or arXiv id changed: a later
entry with the new title or id may then become a new paper. `sitegen build` still reads every
file, and reports a broken one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitegen import __version__
from sitegen.content import (
    CACHE_DIR,
    DAYS_DIR,
    PAPERS_DIR,
    ContentSnapshot,
    changed_records,
    code_fingerprint,
    content_files,
    listed_files,
    load_content,
    parse_paper_files,
    read_day_file,
    recover_interrupted_write,
    write_files,
)
from sitegen.errors import ContentError
from sitegen.ingest import merge_listings, papers_to_read
from sitegen.listings import Listing
from sitegen.model import Day, Paper, title_key

INDEX_FILE = f"{CACHE_DIR}/ingest-index.sqlite"

_TABLES = """
DROP TABLE IF EXISTS meta;
DROP TABLE IF EXISTS papers;
DROP TABLE IF EXISTS listed;
DROP TABLE IF EXISTS day_files;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE papers (id TEXT PRIMARY KEY, arxiv_id TEXT, title_key TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE listed (day TEXT NOT NULL, paper_id TEXT NOT NULL, title_key TEXT NOT NULL,
                     upvotes INTEGER);
CREATE TABLE day_files (name TEXT PRIMARY KEY, ino INTEGER, size INTEGER, mtime_ns INTEGER)
    WITHOUT ROWID;
"""
_INDEXES = """
CREATE INDEX papers_by_arxiv ON papers (arxiv_id);
CREATE INDEX papers_by_title ON papers (title_key);
CREATE INDEX listed_by_day ON listed (day);
CREATE INDEX listed_by_paper ON listed (paper_id);
CREATE INDEX listed_by_title ON listed (title_key);
"""


@dataclass(frozen=True, slots=True)
class IngestReport:
    new_papers: int
    papers: int  # in the store afterwards
    written: list[str]  # files, relative to the root


def ingest_into_store(
    root: Path,
    listings: Sequence[tuple[Listing, str | None]],
    *,
    topics: tuple[str, ...] = (),
    files: Mapping[str, bytes] | None = None,
) -> IngestReport:
    """Merge (listing, kept source) pairs into the store under `root` and write the files
    that changed, with `files` (kept listings, fetch state) in the same transaction."""
    recover_interrupted_write(root)
    plain = [listing for listing, _ in listings]
    with _open_index(root) as index:
        read = _read_touched(root, index, plain)
        if read is None:  # the index disagrees with a file: make it again from them all
            index.rebuild(load_content(root))
            read = _read_touched(root, index, plain)
            if read is None:
                raise ContentError("content/ changed while ingesting", hint="run the command again")
        merged = merge_listings(index, read.papers, read.days, listings, topics=topics)
        changed_papers, changed_days = changed_records(
            read, ContentSnapshot(papers=merged.papers, days=merged.days)
        )
        written = write_files(
            root, {**(files or {}), **content_files(changed_papers, changed_days)}
        )
        index.record(changed_papers, changed_days)
        return IngestReport(
            new_papers=merged.new_papers, papers=index.paper_count(), written=written
        )


def _read_touched(root: Path, index: _Index, listings: list[Listing]) -> ContentSnapshot | None:
    """The stored days and papers merging `listings` may change, as read from their files;
    None when a paper file is missing or says something else than the index."""
    stored_days = {}
    for listing in listings:
        name = f"{listing.day.isoformat()}.toml"
        if (root / DAYS_DIR / name).is_file():
            stored_days[listing.day] = read_day_file(root, name)
    wanted = sorted(papers_to_read(index, listings, stored_days))
    files = [(str(root / PAPERS_DIR / f"{i}.md"), f"{PAPERS_DIR}/{i}.md") for i in wanted]
    try:
        parsed = parse_paper_files(files, None)
    except FileNotFoundError:
        return None
    papers = {paper.id: paper for paper, _ in parsed}
    if not index.agrees_with(papers.values()):
        return None
    return ContentSnapshot(papers=papers, days=stored_days)


class _Index:
    """A StoreIndex kept in SQLite; the rules for ties are MemoryIndex's."""

    def __init__(self, root: Path, connection: sqlite3.Connection) -> None:
        self.root, self.db = root, connection
        # Each question is asked of SQLite once between changes: merging a day asks ~400,
        # most of them more than once.
        self._answers: dict[tuple[str, str], Any] = {}

    # ---- StoreIndex ----

    def by_arxiv(self, arxiv_id: str) -> str | None:
        found: str | None = self._one("SELECT min(id) FROM papers WHERE arxiv_id = ?", arxiv_id)
        return found

    def by_title(self, key: str) -> str | None:
        found: str | None = self._one(
            "SELECT min(id) FROM papers WHERE title_key = ?", key
        ) or self._one(
            "SELECT min(paper_id) FROM listed WHERE title_key = ?"
            " AND paper_id IN (SELECT id FROM papers)",
            key,
        )
        return found

    def recorded_upvotes(self, paper_id: str) -> int | None:
        upvotes: int | None = self._one(
            "SELECT max(upvotes) FROM listed WHERE paper_id = ?", paper_id
        )
        return upvotes

    def has_paper(self, paper_id: str) -> bool:
        return self._one("SELECT 1 FROM papers WHERE id = ?", paper_id) is not None

    def paper_count(self) -> int:
        return int(self._one("SELECT value FROM meta WHERE key = ?", "count") or 0)

    def _one(self, query: str, value: str) -> Any:  # the first column of the first row
        asked = (query, value)
        if asked not in self._answers:
            row = self.db.execute(query, (value,)).fetchone()
            self._answers[asked] = row[0] if row else None
        return self._answers[asked]

    # ---- keeping it true ----

    def agrees_with(self, papers: Iterable[Paper]) -> bool:
        for paper in papers:
            row = self.db.execute(
                "SELECT arxiv_id, title_key FROM papers WHERE id = ?", (paper.id,)
            ).fetchone()
            if row != (paper.arxiv_id, title_key(paper.title)):
                return False
        return True

    def is_current(self) -> bool:
        """Whether the index was made by this sitegen from content/papers/ as it is now; the
        day files it is behind on are read again."""
        meta = dict(self.db.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("version") != _version() or meta.get("papers") != self._papers_state():
            return False
        held = {
            name: (ino, size, mtime)
            for name, ino, size, mtime in self.db.execute("SELECT * FROM day_files")
        }
        on_disk = dict(listed_files(self.root / DAYS_DIR, ".toml"))
        if held != on_disk:
            with self.db:
                for name in held.keys() - on_disk.keys():
                    self._forget_day(name)
                for name, identity in on_disk.items():
                    if held.get(name) != identity:
                        self._put_day(read_day_file(self.root, name), identity)
        return True

    def rebuild(self, snapshot: ContentSnapshot) -> None:
        """Make the index again from the whole store. The meta rows, which make it current,
        are written last; the indexes are made after the rows, five times faster."""
        self.db.executescript(_TABLES)
        with self.db:
            self._put_papers(snapshot.papers.values())
            identities = dict(listed_files(self.root / DAYS_DIR, ".toml"))
            for day in snapshot.days.values():
                self._add_day(day, identities.get(f"{day.day.isoformat()}.toml"))
        self.db.executescript(_INDEXES)
        with self.db:
            self._put_meta(count=len(snapshot.papers))

    def record(self, papers: Iterable[Paper], days: Iterable[Day]) -> None:
        """Note papers and days this run wrote."""
        count = self.paper_count()
        with self.db:
            count += self._put_papers(papers)
            for day in days:
                path = self.root / DAYS_DIR / f"{day.day.isoformat()}.toml"
                stat = path.stat()
                self._put_day(day, (stat.st_ino, stat.st_size, stat.st_mtime_ns))
            self._put_meta(count=count)

    def _put_papers(self, papers: Iterable[Paper]) -> int:
        """Add or update the papers' rows; returns how many were new."""
        self._answers.clear()
        rows = [(p.id, p.arxiv_id, title_key(p.title)) for p in papers]
        added = self.db.executemany("INSERT OR IGNORE INTO papers VALUES (?, ?, ?)", rows).rowcount
        self.db.executemany(
            "UPDATE papers SET arxiv_id = ?, title_key = ? WHERE id = ?",
            (row[1:] + row[:1] for row in rows),
        )
        return added

    def _put_day(self, day: Day, identity: tuple[int, int, int] | None) -> None:
        self._forget_day(f"{day.day.isoformat()}.toml")
        self._add_day(day, identity)

    def _add_day(self, day: Day, identity: tuple[int, int, int] | None) -> None:
        self._answers.clear()
        name = f"{day.day.isoformat()}.toml"
        self.db.executemany(
            "INSERT INTO listed VALUES (?, ?, ?, ?)",
            ((day.day.isoformat(), e.paper_id, title_key(e.title), e.upvotes) for e in day.entries),
        )
        self.db.execute(
            "INSERT INTO day_files VALUES (?, ?, ?, ?)", (name, *(identity or (None,) * 3))
        )

    def _forget_day(self, name: str) -> None:
        self._answers.clear()
        self.db.execute("DELETE FROM listed WHERE day = ?", (name.removesuffix(".toml"),))
        self.db.execute("DELETE FROM day_files WHERE name = ?", (name,))

    def _put_meta(self, *, count: int) -> None:
        self._answers.clear()
        self.db.executemany(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)",
            (("version", _version()), ("papers", self._papers_state()), ("count", str(count))),
        )

    def _papers_state(self) -> str:
        return _directory_state(self.root / PAPERS_DIR)


def _directory_state(directory: Path) -> str:
    """Which directory this is and when an entry was last added, removed or replaced in it."""
    try:
        stat = directory.stat()
    except FileNotFoundError:
        return "absent"
    return f"{stat.st_dev}:{stat.st_ino}:{stat.st_mtime_ns}"


def _version() -> str:
    return f"{__version__}/{code_fingerprint()}"


@contextmanager
def _open_index(root: Path) -> Iterator[_Index]:
    """The store's index, made again from the whole store if it is missing or stale. When
    it cannot be kept on disk (a read-only cache, a damaged file), it lives in memory."""
    path = root / INDEX_FILE
    db = _current_index(root, path)
    if db is None:
        for stale in (path, *(path.with_name(path.name + end) for end in ("-wal", "-shm"))):
            with suppress(OSError):
                stale.unlink()  # not changed in place: a hard-linked copy keeps its own
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = _connect(str(path))
        except (sqlite3.Error, OSError):
            db = _connect(":memory:")
        _Index(root, db).rebuild(load_content(root))
    with closing(db):
        yield _Index(root, db)


def _current_index(root: Path, path: Path) -> sqlite3.Connection | None:
    if not path.is_file():
        return None
    try:
        db = _connect(str(path))
    except sqlite3.Error:
        return None
    try:
        if _Index(root, db).is_current():
            return db
    except sqlite3.Error:
        pass  # damaged, or of another schema: made again
    except BaseException:
        db.close()
        raise
    db.close()
    return None


def _connect(path: str) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    # A cache: a lost last transaction only means the next run finds it stale.
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    return db
