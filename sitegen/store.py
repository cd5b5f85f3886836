"""Merging listings into the content store on disk, reading only the files they touch.

A day adds some fifty papers to a store of tens of thousands. Merging them needs to know
which stored paper has an entry's arXiv id or title, and what upvotes the days recorded;
reading every file to find out took a second at 50,000 papers. So ingest keeps those facts in
an index (`store_index`), a file in .sitegen-cache/, and reads just the papers and days a
listing names.

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

from collections.abc import Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

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
    mapped_parts,
    parse_paper_files,
    read_day_file,
    recover_interrupted_write,
    write_files,
    write_parts,
)
from sitegen.errors import ContentError
from sitegen.ingest import merge_listings, papers_to_read
from sitegen.listings import Listing
from sitegen.model import Day, Paper
from sitegen.store_index import PackedIndex
from sitegen.transaction import write_atomic

INDEX_FILE = f"{CACHE_DIR}/ingest-index"
CHANGES_FILE = f"{INDEX_FILE}-changes"
# The SQLite index this one replaced: 40 MB at 50,000 papers, removed when the index is made.
_OLD_INDEX_FILES = [f"ingest-index.sqlite{end}" for end in ("", "-wal", "-shm")]


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
    index = _StoredIndex.load(root)
    read = _read_touched(root, index, plain)
    if read is None:  # the index disagrees with a file: make it again from them all
        index = _StoredIndex.made_from_store(root)
        read = _read_touched(root, index, plain)
        if read is None:
            raise ContentError("content/ changed while ingesting", hint="run the command again")
    merged = merge_listings(index.index, read.papers, read.days, listings, topics=topics)
    changed_papers, changed_days = changed_records(
        read, ContentSnapshot(papers=merged.papers, days=merged.days)
    )
    written = write_files(root, {**(files or {}), **content_files(changed_papers, changed_days)})
    index.record(changed_papers, changed_days)
    return IngestReport(
        new_papers=merged.new_papers, papers=index.index.paper_count, written=written
    )


def _read_touched(
    root: Path, stored: _StoredIndex, listings: list[Listing]
) -> ContentSnapshot | None:
    """The stored days and papers merging `listings` may change, as read from their files;
    None when a paper file is missing or says something else than the index."""
    stored_days = {}
    for listing in listings:
        name = f"{listing.day.isoformat()}.toml"
        if (root / DAYS_DIR / name).is_file():
            stored_days[listing.day] = read_day_file(root, name)
    wanted = sorted(papers_to_read(stored.index, listings, stored_days))
    files = [(str(root / PAPERS_DIR / f"{i}.md"), f"{PAPERS_DIR}/{i}.md") for i in wanted]
    try:
        parsed = parse_paper_files(files, None)
    except FileNotFoundError:
        return None
    papers = {paper.id: paper for paper, _ in parsed}
    if not all(stored.index.agrees_with(paper) for paper in papers.values()):
        return None
    return ContentSnapshot(papers=papers, days=stored_days)


_Identity = tuple[int, int, int]


class _StoredIndex:
    """The store's PackedIndex, with what it was made from: the version of sitegen, the state
    of content/papers/ and the identity of each day file."""

    def __init__(self, root: Path, index: PackedIndex, day_files: dict[str, _Identity]) -> None:
        self.root, self.index, self.day_files = root, index, day_files

    @classmethod
    def load(cls, root: Path) -> _StoredIndex:
        """The saved index, brought up to date with the day files that changed since; made
        again from the whole store when it is missing, damaged or stale."""
        loaded = _read_index(root)
        if loaded is None:
            return cls.made_from_store(root)
        index, stamp = loaded
        held = stamp.get("days")
        if (
            stamp.get("version") != _version()
            or stamp.get("papers") != _papers_state(root)
            or not isinstance(held, dict)
        ):
            return cls.made_from_store(root)
        on_disk = dict(listed_files(root / DAYS_DIR, ".toml"))
        if held != on_disk:
            for name in held.keys() - on_disk.keys():
                index.forget_day(name.removesuffix(".toml"))
            for name, identity in on_disk.items():
                if held.get(name) != identity:
                    index.put_day(read_day_file(root, name))
        return cls(root, index, on_disk)

    @classmethod
    def made_from_store(cls, root: Path) -> _StoredIndex:
        """The index of the whole store, saved at once: making it reads every file."""
        for name in _OLD_INDEX_FILES:
            with suppress(OSError):
                (root / CACHE_DIR / name).unlink()
        day_files = dict(listed_files(root / DAYS_DIR, ".toml"))
        snapshot = load_content(root)
        made = cls(
            root, PackedIndex.of(snapshot.papers.values(), snapshot.days.values()), day_files
        )
        made.save()
        # Changes from here on are saved relative to the base just written (when it could be).
        loaded = _read_index(root)
        return made if loaded is None else cls(root, loaded[0], day_files)

    def record(self, papers: Iterable[Paper], days: Iterable[Day]) -> None:
        """Note the papers and days this run wrote, and save."""
        self.index.put_papers(papers)
        for day in days:
            name = f"{day.day.isoformat()}.toml"
            self.index.put_day(day)
            stat = (self.root / DAYS_DIR / name).stat()
            self.day_files[name] = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
        self.save()

    def save(self) -> None:
        stamp = {"version": _version(), "papers": _papers_state(self.root), "days": self.day_files}
        # A cache: a lost or unwritable index only means the next run makes it again. Files
        # are replaced, not changed in place, so a hard-linked copy of the store keeps its own.
        base, changes = self.root / INDEX_FILE, self.root / CHANGES_FILE
        with suppress(OSError):
            if self.index.base_is_due():
                write_parts(base, self.index.packed_base(stamp))
                changes.unlink(missing_ok=True)
            else:
                write_atomic(changes, self.index.packed_changes(stamp), durable=False)


def _read_index(root: Path) -> tuple[PackedIndex, Mapping[str, object]] | None:
    """The saved index and the stamp it was saved with; None when missing or damaged."""
    try:
        base = mapped_parts(root / INDEX_FILE)
        try:
            changes: bytes | None = (root / CHANGES_FILE).read_bytes()
        except FileNotFoundError:
            changes = None
        return PackedIndex.unpacked(base, changes)
    except (OSError, ValueError, EOFError):
        return None


def _papers_state(root: Path) -> str:
    return _directory_state(root / PAPERS_DIR)


def _directory_state(directory: Path) -> str:
    """Which directory this is and when an entry was last added, removed or replaced in it."""
    try:
        stat = directory.stat()
    except FileNotFoundError:
        return "absent"
    return f"{stat.st_dev}:{stat.st_ino}:{stat.st_mtime_ns}"


def _version() -> str:
    return f"{__version__}/{code_fingerprint()}"
