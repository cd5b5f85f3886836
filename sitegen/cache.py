"""What sitegen keeps in .sitegen-cache/ between runs: only ever a speed-up.

- The parse cache: what the build and ingest need of every content file (a day file whole; of
  a paper file its digest, what ingest matches it on, the topics it names, its title), by name,
  with the digest of its bytes, so an unchanged file is not parsed again, even in a fresh clone;
  whether a file is unchanged is told by its state (inode, size, mtime), which
  sitegen.file_states keeps beside it (`content-states`), else by its digest. Papers themselves
  are read from their files when needed. Saved as a base and a log of changes (`LoggedDicts`),
  as is:
- the topic cache: each paper's topics by its file's digest, under the rules (sitegen.build).
- Keyed caches: values computed from a digest (a paper's API record, its search record).
- Paper parts (sitegen.parts): what the lists that a new day changes show of a paper (a card's
  HTML, a feed item), kept by the paper's state and the setup.

Every cache file records the version of sitegen's code that wrote it (`code_version`, with
the releases of the libraries it renders with) and starts with a checksum of its bytes;
another version's, a damaged one (the checksum differs) or a file that cannot be read is
ignored and replaced, never decoded (issue #19: garbled bytes may decode into other values).
Deleting .sitegen-cache/ is always safe.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import zlib
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sitegen.layout import CACHE_DIR
from sitegen.model import Day, DayEntry, Paper, PaperKeys, epoch_seconds, utc_moment
from sitegen.versions import code_version
from sitegen.whole_files import write_atomic

# What the parse cache keeps of a paper file: its digest, what ingest matches it on (arXiv id,
# title key), the topics it names (`topics`, `not_topics`), its title and upvotes (which the
# digest feeds list and the top pages rank by, for thousands of papers: reading their files
# passed the rebuild budget, under 2 s at 50k papers). Plain values, which marshal writes
# (see _save).
PaperFacts = tuple[str, str | None, str, tuple[str, ...], str, int | None]


def digest(data: bytes) -> str:
    """The digest sitegen names file contents and cache keys by."""
    return hashlib.blake2b(data, digest_size=12).hexdigest()


def paper_facts(paper: Paper, data: bytes) -> PaperFacts:
    """What the parse cache keeps of `paper`, parsed from `data` (its file's bytes)."""
    keys = PaperKeys.of(paper)
    named = (*paper.topics, *paper.not_topics)  # a build checks that site.toml still has them
    return digest(data), keys.arxiv_id, keys.title_key, named, paper.title, paper.upvotes


class LoggedDicts:
    """Dicts of plain values saved as a base file and a log of the changes since, which each
    save rewrites: a run that changes a few entries of 50,000 writes those alone (the ingest
    and rebuild budgets at 50k papers: rewriting the whole 24 MB parse cache took 0.18 s).

    The log is folded into a new base when it holds a quarter of the entries. A log that is
    not its base's (a crash between the two writes) is ignored: what uses this must find the
    base alone, an older save, still true. `extra` is saved whole each time. A base is saved
    in key order; `load(ordered=True)` keeps the dicts in key order with the log's keys too.
    """

    def __init__(self, root: Path, name: str, count: int) -> None:
        self._base = root / CACHE_DIR / f"{name}.marshal"
        self._log = root / CACHE_DIR / f"{name}-log.marshal"
        self.dicts: tuple[dict[str, Any], ...] = tuple({} for _ in range(count))
        self.extra: Any = None
        self._token = ""  # of the base held: its log names it
        self._changes: tuple[dict[str, Any], ...] = tuple({} for _ in range(count))
        self._touched = False  # since loaded: a log loaded holds changes not made by this run

    @classmethod
    def load(cls, root: Path, name: str, count: int, *, ordered: bool = False) -> LoggedDicts:
        held = cls(root, name, count)
        base = _load(held._base)
        if base is None or len(base[1]) != count:
            return held
        held._token, held.dicts, held.extra = base
        log = _load(held._log)
        if log is not None and log[0] == held._token:
            _, held._changes, held.extra = log
            held.dicts = tuple(
                _changed(d, c, ordered=ordered)
                for d, c in zip(held.dicts, held._changes, strict=True)
            )
        return held

    def set(self, which: int, key: str, value: Any) -> None:
        self.dicts[which][key] = self._changes[which][key] = value
        self._touched = True

    def drop(self, which: int, key: str) -> None:
        del self.dicts[which][key]
        self._changes[which][key] = None
        self._touched = True

    def save(self, extra: Any) -> None:
        """Save the dicts and `extra`, if anything changed since loaded."""
        if not self._touched and extra == self.extra:
            return
        self._touched = False
        changes = sum(map(len, self._changes))
        self.extra = extra
        if self._token and changes * 4 < sum(map(len, self.dicts)):
            _save(self._log, (self._token, self._changes, extra))
            return
        self._token = os.urandom(8).hex()
        # In key order, whatever order the runs since the last base added their keys in.
        ordered = tuple(dict(sorted(held.items())) for held in self.dicts)
        _save(self._base, (self._token, ordered, extra))
        self._changes = tuple({} for _ in self.dicts)
        with contextlib.suppress(OSError):
            self._log.unlink(missing_ok=True)


def _changed(held: dict[str, Any], changes: Mapping[str, Any], *, ordered: bool) -> dict[str, Any]:
    """`held` with the `changes` of a log made (None: removed), in key order if `ordered`.
    Unordered, new keys are not sorted in: sorting the topic cache's 50,000 digests at each
    load took 0.05 to 0.1 s (the rebuild budget, under 2 s at 50k papers)."""
    if not ordered or changes.keys() <= held.keys():
        held.update(changes)
    else:
        held = dict(sorted({**held, **changes}.items()))
    for name in [name for name, value in changes.items() if value is None]:
        del held[name]
    return held


class ParseCache:
    """What the build and ingest need of each content file, by name (papers' facts, days as
    plain tuples with their file's digest), and the token of the states of the files it was
    taken from (sitegen.file_states keeps them: whether a file is still what was parsed). The
    facts of the files whose state is unchanged are true without reading them, those of an
    older save too."""

    def __init__(self, held: LoggedDicts) -> None:
        self._held = held
        self.papers: dict[str, PaperFacts] = held.dicts[0]  # by file name, in name order
        self.days: dict[str, tuple[str, PlainDay]] = held.dicts[1]  # its digest, the day
        self.states_token: str = held.extra or ""  # of the files' states when last checked

    @classmethod
    def load(cls, root: Path, *, reuse: bool) -> ParseCache:
        """The saved cache, or without `reuse` one holding nothing, which replaces it when saved."""
        if not reuse:
            return cls(LoggedDicts(root, "parsed", 2))
        return cls(LoggedDicts.load(root, "parsed", 2, ordered=True))  # papers in name order

    def set_paper(self, name: str, facts: PaperFacts) -> None:
        self._held.set(0, name, facts)

    def drop_paper(self, name: str) -> None:
        self._held.drop(0, name)

    def set_day(self, name: str, file_digest: str, day: PlainDay) -> None:
        self._held.set(1, name, (file_digest, day))

    def drop_day(self, name: str) -> None:
        self._held.drop(1, name)

    def in_name_order(self) -> None:
        """Put the papers in name order again, after papers were added."""
        ordered = dict(sorted(self.papers.items()))
        self.papers.clear()
        self.papers.update(ordered)

    def save(self, states_token: str) -> None:
        """Save what is held, as of the files' states of that token, if anything changed."""
        self._held.save(states_token)


def holds(path: Path, expected_digest: str) -> bool:
    """Whether the file has the bytes of that digest: the same file under a new inode or
    mtime, as in a fresh clone or with a cache restored in CI."""
    try:
        return digest(path.read_bytes()) == expected_digest
    except OSError:
        return False


# The day, its sources, its entries, the day it arrived after (0: none), as ordinals, and
# the entries a fetch stamped: (paper id, `added` in seconds since the epoch).
PlainDay = tuple[
    int,
    tuple[str, ...],
    tuple[tuple[str, str, int | None], ...],
    int,
    tuple[tuple[str, int], ...],
]


def plain_day(day: Day) -> PlainDay:
    """A day as the parse cache keeps it: plain values, which marshal writes."""
    entries = tuple((e.paper_id, e.title, e.upvotes) for e in day.entries)
    after = day.arrived_after.toordinal() if day.arrived_after else 0
    added = tuple((e.paper_id, epoch_seconds(e.added)) for e in day.entries if e.added)
    return day.day.toordinal(), day.sources, entries, after, added


def day_of(plain: PlainDay) -> Day:
    """The day the parse cache kept as `plain`."""
    day, sources, entries, after, stamps = plain
    added = dict(stamps)
    return Day(
        day=date.fromordinal(day),
        sources=sources,
        entries=tuple(
            DayEntry(
                paper_id=i, title=t, upvotes=u, added=utc_moment(added[i]) if i in added else None
            )
            for i, t, u in entries
        ),
        arrived_after=date.fromordinal(after) if after else None,
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


def kept_by_month(
    root: Path,
    name: str,
    months: Mapping[str, Sequence[str]],
    *,
    key: Callable[[str], str],
    make: Callable[[str], str],
    reuse: bool,
) -> dict[str, str]:
    """`make` of each paper of `months` (paper ids by the month that first featured them),
    kept by `key` in a cache file a month: a new day reads and writes the open month's alone,
    where one file of 50,000 was read and written whole (the rebuild budget, under 2 s at
    50k papers: 0.4 s)."""
    made: dict[str, str] = {}
    for month, papers in months.items():
        cache = KeyedCache(root, f"{name}-{month or 'unfeatured'}", reuse=reuse)
        keys = [key(paper_id) for paper_id in papers]
        values = [cache.values.get(k) or make(i) for i, k in zip(papers, keys, strict=True)]
        cache.save(dict(zip(keys, values, strict=True)))
        made.update(zip(papers, values, strict=True))
    return made


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
