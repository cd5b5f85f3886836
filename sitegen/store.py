"""The content store on disk: reading it whole, and merging listings into it all or nothing.

Layout under the site root (file formats in sitegen.formats):
    content/papers/<id>.md        one file per paper
    content/days/YYYY-MM-DD.toml  what each day featured
    content/listings/...          the raw listings the days came from (replayable)

Writes are transactions (sitegen.transaction): every file of one run is staged, a manifest is
committed with one atomic rename, then the files are moved into place. A run interrupted after
the commit point is completed by the next run; one interrupted before it changes nothing.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from stat import S_ISREG

from sitegen import transaction
from sitegen.cache import FileIdentity, PaperFacts, ParseCache, digest, paper_facts
from sitegen.errors import ContentError
from sitegen.formats import (
    decode_content,
    parse_day_file,
    parse_paper_file,
    render_day_file,
    render_paper_file,
)
from sitegen.ingest import ingest_listings
from sitegen.listings import Listing
from sitegen.model import ContentSnapshot, Day, Paper, PaperKeys

CONTENT_DIR = "content"
PAPERS_DIR = "content/papers"
DAYS_DIR = "content/days"
LISTINGS_DIR = "content/listings"
_JOURNAL = ".sitegen-txn"

PaperFiles = list[tuple[str, str]]  # (path to read, path shown in errors)
# A paper file parsed: what the parse cache keeps of it, and the Paper pickled, for this run.
ParsedPaper = tuple[PaperFacts, bytes]
PaperParser = Callable[[PaperFiles, frozenset[str] | None], list[ParsedPaper]]


def parse_paper_files(files: PaperFiles, known_topics: frozenset[str] | None) -> list[ParsedPaper]:
    """Read and parse paper files (a build spreads this over processes, and hands the papers
    on pickled: a worker unpickles only those it renders)."""
    parsed = []
    for path, shown in files:
        data = Path(path).read_bytes()
        paper = _parse_paper(data, shown, known_topics)
        parsed.append((paper_facts(paper, data), pickle.dumps(paper, pickle.HIGHEST_PROTOCOL)))
    return parsed


def _parse_paper(data: bytes, shown: str, known_topics: frozenset[str] | None) -> Paper:
    return parse_paper_file(decode_content(data, path=shown), path=shown, known_topics=known_topics)


class StoredPapers(Mapping[str, Paper]):
    """The store's papers by id, each read from its file when first looked up (or taken from
    those this run parsed already).

    The rebuild budget (a new day at 50,000 papers under 2 s) needs it: a rebuild reads the
    fields of a few hundred papers, and reading them all takes seconds.
    """

    def __init__(self, root: Path, ids: list[str], parsed: Mapping[str, bytes]) -> None:
        self._root, self._ids, self._parsed = root, ids, parsed
        self._known = frozenset(ids)
        self._papers: dict[str, Paper] = {}

    def __getitem__(self, paper_id: str) -> Paper:
        paper = self._papers.get(paper_id)
        if paper is None:
            if paper_id not in self._known:
                raise KeyError(paper_id)
            if paper_id in self._parsed:
                paper = pickle.loads(self._parsed[paper_id])
            else:
                shown = f"{PAPERS_DIR}/{paper_id}.md"
                paper = _parse_paper((self._root / shown).read_bytes(), shown, None)
            self._papers[paper_id] = paper
        return paper

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, paper_id: object) -> bool:
        return paper_id in self._known

    def __reduce__(self) -> tuple[object, ...]:
        return (StoredPapers, (self._root, self._ids, self._parsed))  # a worker reads its own


def load_content(
    root: Path,
    *,
    known_topics: frozenset[str] | None = None,
    use_cache: bool = True,
    parse_papers: PaperParser = parse_paper_files,
) -> ContentSnapshot:
    """Read the whole content store (completing an interrupted write first).

    With `known_topics`, a paper naming a topic not in that set is an error. Files parsed
    before are taken from the parse cache; `use_cache=False` parses every file again."""
    recover_interrupted_write(root)
    cache = ParseCache.load(root) if use_cache else ParseCache.empty(root)
    papers_dir = root / PAPERS_DIR
    found: dict[str, PaperFacts] = {}
    to_parse: list[tuple[str, FileIdentity]] = []
    for name, identity in listed_files(papers_dir, ".md"):
        held = cache.paper(name, identity, papers_dir)
        # Parsed again when it names a topic no longer known, for the error.
        if held is None or (known_topics is not None and not known_topics.issuperset(held[3])):
            to_parse.append((name, identity))
        else:
            found[name] = held
    parsed = parse_papers(
        [(str(papers_dir / name), f"{PAPERS_DIR}/{name}") for name, _ in to_parse], known_topics
    )
    for (name, identity), (facts, _) in zip(to_parse, parsed, strict=True):
        cache.add_paper(name, identity, facts)
        found[name] = facts
    days: dict[date, Day] = {}
    for name, identity in listed_files(root / DAYS_DIR, ".toml"):
        day = cache.day(name, identity, root / DAYS_DIR)
        if day is None:
            data = (root / DAYS_DIR / name).read_bytes()
            shown = f"{DAYS_DIR}/{name}"
            day = parse_day_file(decode_content(data, path=shown), path=shown)
            cache.add_day(name, identity, digest(data), day)
        days[day.day] = day
    cache.save(keep_papers=set(found), keep_days={f"{d.isoformat()}.toml" for d in days})
    ids = {name: name.removesuffix(".md") for name in sorted(found)}
    return ContentSnapshot(
        papers=StoredPapers(
            root.absolute(),
            list(ids.values()),
            {
                name.removesuffix(".md"): pickled
                for (name, _), (_, pickled) in zip(to_parse, parsed, strict=True)
            },
        ),
        days=dict(sorted(days.items())),
        keys={ids[name]: PaperKeys(found[name][1], found[name][2]) for name in ids},
        digests={ids[name]: found[name][0] for name in ids},
    )


def read_day_file(root: Path, name: str) -> Day:
    """The day file `name` (e.g. 2026-01-08.toml) of the store under `root`."""
    shown = f"{DAYS_DIR}/{name}"
    return parse_day_file(decode_content((root / shown).read_bytes(), path=shown), path=shown)


def stored_days(root: Path) -> list[date]:
    """The days the store holds, oldest first, from the day files' names."""
    days = []
    for name, _ in listed_files(root / DAYS_DIR, ".toml"):
        try:
            days.append(date.fromisoformat(name.removesuffix(".toml")))
        except ValueError:
            continue  # a stray name is the build's error to report
    return days


def listed_files(directory: Path, suffix: str) -> list[tuple[str, FileIdentity]]:
    """(name, identity) of the directory's files ending in `suffix`, sorted by name."""
    try:
        entries = [e for e in os.scandir(directory) if e.name.endswith(suffix)]
    except FileNotFoundError:
        return []
    found = []
    for entry in sorted(entries, key=lambda e: e.name):
        try:
            stat = entry.stat()
        except FileNotFoundError:
            continue  # removed meanwhile
        if S_ISREG(stat.st_mode):
            found.append((entry.name, (stat.st_ino, stat.st_size, stat.st_mtime_ns)))
    return found


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
    before = load_content(root)
    merged = ingest_listings(before, listings, topics=topics)
    papers = [p for p in merged.papers.values() if before.papers.get(p.id) != p]
    days = [d for day, d in merged.days.items() if before.days.get(day) != d]
    written = write_files(root, {**(files or {}), **content_files(papers, days)})
    new_ids = merged.papers.keys() - before.papers.keys()
    return IngestReport(
        new_papers=merged.new_papers, papers=len(before.papers) + len(new_ids), written=written
    )


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
    short = hashlib.sha256(raw).hexdigest()[:8]
    return f"{LISTINGS_DIR}/{day.isoformat()}-{short}{suffix}"


def write_files(root: Path, files: Mapping[str, bytes]) -> list[str]:
    """Write files (paths relative to root) all together or not at all; return those written.

    Files whose bytes are already on disk are skipped, so a repeated run changes nothing.
    """
    for rel in files:
        _check_inside(rel)  # before any I/O, so a bad path is never even read
    changed = {
        rel: data for rel, data in sorted(files.items()) if not transaction.holds(root / rel, data)
    }
    if changed:
        recover_interrupted_write(root)
        transaction.commit(root, root / _JOURNAL, staged={}, written=changed)
    return list(changed)


def recover_interrupted_write(root: Path) -> None:
    transaction.recover(root, root / _JOURNAL)


def _check_inside(rel: str) -> None:
    # Paper ids are validated, but this is the last line of defence against writing elsewhere.
    parts = PurePosixPath(rel).parts
    if not parts or parts[0] != CONTENT_DIR or ".." in parts or "\\" in rel:
        raise ContentError(f"refusing to write outside content/: {rel}")
