"""What sitegen keeps in .sitegen-cache/ between runs: only ever a speed-up.

- The parse cache: what the build and ingest need of every content file (a day file whole; of
  a paper file its digest, what ingest matches it on, its hand-set topics, its title), by file
  identity (inode, size, mtime) and by the digest of its bytes, so an unchanged file is not parsed
  again, even in a fresh clone. Papers themselves are read from their files when needed.
- Keyed caches: values computed from a digest (a paper's topics, its API record).
- Paper parts: what the lists that a new day changes show of a paper (a card's HTML, a feed
  item), kept by the paper's state and the setup (`PaperParts`).

Every cache file records the version of sitegen's code that wrote it and starts with a
checksum of its bytes; another version's, a damaged one (the checksum differs) or a file that
cannot be read is ignored and replaced, never decoded (issue #19: garbled bytes may decode
into other values). Deleting .sitegen-cache/ is always safe.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import zlib
from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from sitegen import __version__
from sitegen.model import Day, DayEntry, Paper, PaperKeys
from sitegen.transaction import write_atomic

CACHE_DIR = ".sitegen-cache"
FileIdentity = tuple[int, int, int]  # inode, size, mtime in ns
# What the parse cache keeps of a paper file: its digest, what ingest matches it on (arXiv id,
# title key), its hand-set topics, its title and upvotes (which the digest feeds list and the
# top pages rank by, for thousands of papers: reading their files passed the rebuild budget,
# under 2 s at 50k papers). Plain values, which marshal writes (see _save).
PaperFacts = tuple[str, str | None, str, tuple[str, ...], str, int | None]


def digest(data: bytes) -> str:
    """The digest sitegen names file contents and cache keys by."""
    return hashlib.blake2b(data, digest_size=12).hexdigest()


@functools.cache
def code_version() -> str:
    """sitegen's version and a digest of its source: what another code wrote is not reused."""
    package = Path(__file__).parent
    source = hashlib.blake2b(digest_size=12)
    for path in sorted(package.rglob("*.py")):
        source.update(f"{path.relative_to(package).as_posix()}\0".encode())
        source.update(path.read_bytes())
    return f"{__version__}/{source.hexdigest()}"


def paper_facts(paper: Paper, data: bytes) -> PaperFacts:
    """What the parse cache keeps of `paper`, parsed from `data` (its file's bytes)."""
    keys = PaperKeys.of(paper)
    return digest(data), keys.arxiv_id, keys.title_key, paper.topics, paper.title, paper.upvotes


class ParseCache:
    """Parsed content files by name, with the identity of the file each was parsed from."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.papers: dict[str, tuple[FileIdentity, PaperFacts]] = {}
        self.days: dict[str, tuple[FileIdentity, str, Day]] = {}  # with its file's digest
        # The days as loaded, saved again as they are: making 50,000 entries plain again on
        # every save cost the rebuild budget (under 2 s at 50k papers) a tenth of a second.
        self._plain_days: dict[str, _PlainDay] = {}
        self._changed = False  # since loaded: then it is saved again

    @classmethod
    def empty(cls, root: Path) -> ParseCache:
        """A cache holding nothing, which replaces the saved one when saved."""
        cache = cls(root / CACHE_DIR / "parsed.marshal")
        cache._changed = True
        return cache

    @classmethod
    def load(cls, root: Path) -> ParseCache:
        cache = cls(root / CACHE_DIR / "parsed.marshal")
        held = _load(cache.path)
        if held is not None:
            cache.papers = held[0]
            cache.days = {name: (i, d, _day(day)) for name, (i, d, day) in held[1].items()}
            cache._plain_days = {name: day for name, (_, _, day) in held[1].items()}
        return cache

    def papers_as_listed(
        self, listed: list[tuple[str, FileIdentity]], directory: Path
    ) -> dict[str, PaperFacts]:
        """The cached parse of each listed (name, identity) paper file that is still what was
        parsed, in the order listed."""
        held = self.papers
        # One comprehension for the files unchanged since (all, on a kept checkout), a call
        # each for the others: a method call per file cost the ingest budget (under 1 s at
        # 50k papers) a tenth of a second.
        found = {
            name: cached[1]
            for name, identity in listed
            if (cached := held.get(name)) is not None and cached[0] == identity
        }
        if len(found) == len(listed):
            return found
        for name, identity in listed:
            if name not in found and (facts := self.paper(name, identity, directory)) is not None:
                found[name] = facts
        return {name: found[name] for name, _ in listed if name in found}

    def paper(self, name: str, identity: FileIdentity, directory: Path) -> PaperFacts | None:
        """The cached parse of paper file `name`, if the file is still what was parsed."""
        held = self.papers.get(name)
        if held is None:
            return None
        if held[0] != identity:
            if not _holds(directory / name, held[1][0]):
                return None
            self.add_paper(name, identity, held[1])
        return held[1]

    def day(self, name: str, identity: FileIdentity, directory: Path) -> Day | None:
        """The cached parse of day file `name`, if the file is still what was parsed."""
        held = self.days.get(name)
        if held is None:
            return None
        if held[0] != identity:
            if not _holds(directory / name, held[1]):
                return None
            self.add_day(name, identity, held[1], held[2])
        return held[2]

    def add_paper(self, name: str, identity: FileIdentity, facts: PaperFacts) -> None:
        self.papers[name] = (identity, facts)
        self._changed = True

    def add_day(self, name: str, identity: FileIdentity, file_digest: str, day: Day) -> None:
        held = self.days.get(name)
        if held is None or held[2] is not day:  # else the same day under a new file identity
            self._plain_days.pop(name, None)
        self.days[name] = (identity, file_digest, day)
        self._changed = True

    def save(self, *, keep_papers: AbstractSet[str], keep_days: AbstractSet[str]) -> None:
        """Save what is held of the files named, if anything changed since loading."""
        if (
            not self._changed
            and keep_papers == self.papers.keys()
            and keep_days == self.days.keys()
        ):
            return
        papers = {n: v for n, v in self.papers.items() if n in keep_papers}
        # Days as plain tuples, which marshal writes.
        days = {
            n: (i, d, self._plain_days.get(n) or _plain_day(day))
            for n, (i, d, day) in self.days.items()
            if n in keep_days
        }
        _save(self.path, (papers, days))
        self._changed = False


def _holds(path: Path, expected_digest: str) -> bool:
    """Whether the file has the bytes of that digest: the same file under a new inode or
    mtime, as in a fresh clone or with a cache restored in CI."""
    try:
        return digest(path.read_bytes()) == expected_digest
    except OSError:
        return False


_PlainDay = tuple[int, tuple[str, ...], tuple[tuple[str, str, int | None], ...]]


def _plain_day(day: Day) -> _PlainDay:
    entries = tuple((e.paper_id, e.title, e.upvotes) for e in day.entries)
    return day.day.toordinal(), day.sources, entries


def _day(plain: _PlainDay) -> Day:
    day, sources, entries = plain
    return Day(
        day=date.fromordinal(day),
        sources=sources,
        entries=tuple(DayEntry(paper_id=i, title=t, upvotes=u) for i, t, u in entries),
    )


class KeyedCache:
    """Values by key (a digest of all they are made from), kept from one run for the next.
    The values are plain: str, int, float, None, and tuples, lists and dicts of them."""

    def __init__(self, root: Path, name: str, *, reuse: bool = True) -> None:
        self.path = root / CACHE_DIR / f"{name}.marshal"
        held = _load(self.path) if reuse else None
        self.values: dict[str, Any] = held[0] if held is not None else {}
        self._saved = dict(self.values)

    def save(self, values: Mapping[str, Any]) -> None:
        """Keep exactly `values` (what this run used) for the next run."""
        if values != self._saved:
            _save(self.path, (dict(values),))
            self._saved = dict(values)


_V = TypeVar("_V")


class PaperParts:
    """Parts of pages and feeds rendered from one paper (its card's HTML on a topic's page,
    its item in a feed, whether a custom feed admits it), by paper id and part name. A build
    reuses the parts of papers whose state is unchanged, so the lists a new day changes
    neither read nor render again the papers they showed the day before: the rebuild budget
    (under 2 s at 50k papers) needs it, those papers' files took ~2 s to parse and render."""

    def __init__(self, held: dict[str, dict[str, Any]] | None = None) -> None:
        self.held: dict[str, dict[str, Any]] = held if held is not None else {}
        self.made: dict[str, dict[str, Any]] = {}  # since last taken (`take_made`)

    def get(self, paper_id: str, part: str) -> Any:
        """The part, if held; else None (no part is None)."""
        parts = self.held.get(paper_id)
        return None if parts is None else parts.get(part)

    def put(self, paper_id: str, part: str, value: Any) -> Any:
        """Hold `value` (plain: str, bytes, bool, tuples of them) as the part; returns it."""
        self.held.setdefault(paper_id, {})[part] = value
        self.made.setdefault(paper_id, {})[part] = value
        return value

    def kept(self, paper_id: str, part: str, make: Callable[[], _V]) -> _V:
        """The part if held, else `make()`, held from now on."""
        value: _V | None = self.get(paper_id, part)
        return self.put(paper_id, part, make()) if value is None else value

    def take_made(self) -> dict[str, dict[str, Any]]:
        """The parts made since last taken: a build worker hands them to the build."""
        made, self.made = self.made, {}
        return made

    def add(self, made: Mapping[str, Mapping[str, Any]]) -> None:
        """Hold the parts another process made."""
        for paper_id, parts in made.items():
            self.held.setdefault(paper_id, {}).update(parts)


_MAGIC = b"sitegen cache\n"
_CHECKSUM_SIZE = 4


def _checksum(data: bytes | memoryview) -> bytes:
    # CRC-32 catches a damaged or cut-off file as well as a digest would (nothing here is
    # adversarial) at a fifth of the time over 90 MB at 50k papers: the rebuild budget (< 2 s).
    return zlib.crc32(data).to_bytes(_CHECKSUM_SIZE, "big")


def _load(path: Path) -> tuple[Any, ...] | None:
    """What `_save` saved at `path` with this code, else None."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    start = len(_MAGIC) + _CHECKSUM_SIZE
    body = memoryview(data)[start:]
    if not data.startswith(_MAGIC) or data[len(_MAGIC) : start] != _checksum(body):
        return None  # not ours, cut off or garbled
    try:
        version, value = marshal.loads(body)
    except (EOFError, ValueError, TypeError):
        return None  # written by another sitegen or Python
    return value if version == code_version() and isinstance(value, tuple) else None


def _save(path: Path, value: tuple[Any, ...]) -> None:
    # marshal, not pickle: it writes the caches' plain values (str, int, tuple, dict) four
    # times faster, and every run rewrites three of them: the rebuild budget (under 2 s at 50k).
    body = marshal.dumps((code_version(), value))
    data = _MAGIC + _checksum(body) + body
    # Not flushed to disk: a cache lost in a crash is only made again. A read-only checkout
    # still builds, without the speed-up.
    with contextlib.suppress(OSError):
        write_atomic(path, data, durable=False)
