"""What merging asks about a store of tens of thousands of papers, in files a run barely reads.

A day's ingest asks some 400 questions (a paper with this arXiv id? with this title? which
upvotes did the days record?) and adds fifty papers. Asked of a B-tree on disk (the SQLite
index this replaces, 40 MB at 50,000 papers), each question and each update read pages
scattered over the file: 3 ms in all while the file was in the page cache, but a daily run
usually finds it evicted, and then they took 60 ms. Here the index is
- a base: sorted arrays of 64-bit keys and per-paper columns, 9 MB at 50,000 papers, mapped
  into memory and searched by bisection (when evicted, the kernel reads it back in a few large
  reads, not hundreds of small ones);
- the changes since the base was written, a small file each run rewrites. After about 1,000
  new ids (20 days) they are folded into a new base.

A key is the first 8 bytes of a BLAKE2b digest of an arXiv id, a title key or a paper id. Ids
found by a key are compared in full; two different arXiv ids or titles would share a key with a
chance of about 1e-15 per question, and merging reads every paper it finds.

Papers, and the ids days list, are numbered in the order the index first met them: arrays
hold those numbers, so adding a paper never renumbers others.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Literal

from sitegen.model import Day, Paper, title_key

_NO_UPVOTES = -(2**63)  # a day listed the paper without a count
_NEVER_LISTED = -(2**63) + 1
_FOLD_AFTER = 1024  # ids numbered since the base (20 days): then a new base is written


def key_of(text: str) -> int:
    """The 64-bit key of an id or title key."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


class _SortedKeys:
    """(key, number) pairs, a pair possibly more than once (a paper listed on several days
    under one title). The base's pairs are sorted arrays, searched by bisection; those added
    and removed since are kept beside them."""

    __slots__ = ("added", "keys", "numbers", "removed")

    def __init__(self, keys: Sequence[int] = (), numbers: Sequence[int] = ()) -> None:
        self.keys, self.numbers = keys, numbers
        self.added: dict[int, list[int]] = {}
        self.removed: dict[tuple[int, int], int] = {}  # how many of the base's pairs

    def numbers_of(self, key: int) -> Iterator[int]:
        at = bisect_left(self.keys, key)
        skipped: dict[int, int] = {}
        while at < len(self.keys) and self.keys[at] == key:
            number = self.numbers[at]
            at += 1
            if skipped.get(number, 0) < self.removed.get((key, number), 0):
                skipped[number] = skipped.get(number, 0) + 1
                continue
            yield number
        yield from self.added.get(key, ())

    def add(self, key: int, number: int) -> None:
        self.added.setdefault(key, []).append(number)

    def remove(self, key: int, number: int) -> None:
        added = self.added.get(key, [])
        if number in added:
            added.remove(number)
        else:
            self.removed[key, number] = self.removed.get((key, number), 0) + 1

    def folded(self) -> tuple[bytes, bytes]:
        """All pairs as sorted arrays, for a new base: the base's copied a run at a time
        between the places where pairs are added or removed."""
        if not self.keys:  # an index made from the whole store: only additions, sorted once
            pairs = sorted((key, n) for key, numbers in self.added.items() for n in numbers)
            return (
                array("Q", [key for key, _ in pairs]).tobytes(),
                array("q", [n for _, n in pairs]).tobytes(),
            )
        events = [(bisect_right(self.keys, k), 0, k, n) for k, ns in self.added.items() for n in ns]
        for (key, number), count in self.removed.items():
            at = bisect_left(self.keys, key)
            while count:  # an IndexError here means the pairs are not the base's: damaged
                if self.numbers[at] == number:
                    events.append((at, 1, key, number))
                    count -= 1
                at += 1
        events.sort()  # at one place, additions go before the base's pair there is removed
        keys, numbers = _typed(self.keys, "Q"), _typed(self.numbers, "q")
        folded_keys, folded_numbers = array("Q"), array("q")
        start = 0
        for at, removal, key, number in events:
            folded_keys.frombytes(keys[start:at].cast("B"))
            folded_numbers.frombytes(numbers[start:at].cast("B"))
            if removal:
                start = at + 1
            else:
                folded_keys.append(key)
                folded_numbers.append(number)
                start = at
        folded_keys.frombytes(keys[start:].cast("B"))
        folded_numbers.frombytes(numbers[start:].cast("B"))
        return folded_keys.tobytes(), folded_numbers.tobytes()

    def changes(self) -> tuple[dict[int, list[int]], dict[tuple[int, int], int]]:
        return self.added, self.removed

    def replay(self, changes: tuple[dict[int, list[int]], dict[tuple[int, int], int]]) -> None:
        self.added = {key: list(numbers) for key, numbers in changes[0].items()}
        self.removed = dict(changes[1])


class _Column:
    """A value per number: the base's array, and the values set since."""

    __slots__ = ("base", "changed", "default", "typecode")

    def __init__(self, typecode: Literal["q", "Q"], default: int) -> None:
        self.typecode, self.default = typecode, default
        self.base: Sequence[int] = ()
        self.changed: dict[int, int] = {}

    def __getitem__(self, number: int) -> int:
        if number in self.changed:
            return self.changed[number]
        return self.base[number] if number < len(self.base) else self.default

    def __setitem__(self, number: int, value: int) -> None:
        self.changed[number] = value

    def folded(self, count: int) -> bytes:
        values = array(self.typecode)
        values.frombytes(_typed(self.base, self.typecode).cast("B"))
        values.extend([self.default] * (count - len(values)))
        for number, value in self.changed.items():
            values[number] = value
        return values.tobytes()


class PackedIndex:
    """A StoreIndex (see ingest) over a mapped base and the changes since; the ties are
    MemoryIndex's."""

    def __init__(self) -> None:
        self._ids = _Ids()
        self._is_paper = _Column("q", 0)
        self._arxiv_of = _Column("Q", 0)  # the key of the paper's arXiv id; 0: none
        self._title_of = _Column("Q", 0)
        self._upvotes = _Column("q", _NEVER_LISTED)  # the most a day recorded
        self._by_id = _SortedKeys()
        self._by_arxiv = _SortedKeys()
        self._by_title = _SortedKeys()
        self._by_listed_title = _SortedKeys()  # one pair per day entry
        self._base_days: Mapping[str, bytes] = {}  # day (ISO) -> its rows, to forget them
        self._days: dict[str, bytes | None] = {}  # changed since the base; None: forgotten
        self._base_count = 0  # numbers the base gave
        self._base_token = ""  # names the base the changes are relative to
        self.paper_count = 0

    # ---- StoreIndex ----

    def by_arxiv(self, arxiv_id: str) -> str | None:
        return self._smallest_id(self._by_arxiv.numbers_of(key_of(arxiv_id)))

    def by_title(self, key: str) -> str | None:
        hashed = key_of(key)
        return self._smallest_id(self._by_title.numbers_of(hashed)) or self._smallest_id(
            n for n in self._by_listed_title.numbers_of(hashed) if self._is_paper[n]
        )

    def recorded_upvotes(self, paper_id: str) -> int | None:
        number = self._number(paper_id)
        if number is None or self._upvotes[number] in (_NO_UPVOTES, _NEVER_LISTED):
            return None
        return self._upvotes[number]

    def has_paper(self, paper_id: str) -> bool:
        number = self._number(paper_id)
        return number is not None and bool(self._is_paper[number])

    def agrees_with(self, paper: Paper) -> bool:
        """Whether the index holds `paper` with its arXiv id and title."""
        number = self._number(paper.id)
        return (
            number is not None
            and bool(self._is_paper[number])
            and self._arxiv_of[number] == (key_of(paper.arxiv_id) if paper.arxiv_id else 0)
            and self._title_of[number] == key_of(title_key(paper.title))
        )

    def _smallest_id(self, numbers: Iterable[int]) -> str | None:
        return min((self._ids[n] for n in numbers), default=None)

    def _number(self, paper_id: str, key: int | None = None) -> int | None:
        """The id's number; `key`, its key, when already known."""
        for number in self._by_id.numbers_of(key_of(paper_id) if key is None else key):
            if self._ids[number] == paper_id:
                return number
        return None

    # ---- changes ----

    @classmethod
    def of(cls, papers: Iterable[Paper], days: Iterable[Day]) -> PackedIndex:
        """The index of a whole store."""
        index = cls()
        index.put_papers(papers)
        for day in days:
            index.put_day(day)
        return index

    def put_papers(self, papers: Iterable[Paper]) -> None:
        """Add papers, or change the arXiv id or title of those already held."""
        for paper in papers:
            number = self._number_for(paper.id)
            arxiv = key_of(paper.arxiv_id) if paper.arxiv_id else 0
            title = key_of(title_key(paper.title))
            if self._is_paper[number]:
                if (self._arxiv_of[number], self._title_of[number]) == (arxiv, title):
                    continue
                if self._arxiv_of[number]:
                    self._by_arxiv.remove(self._arxiv_of[number], number)
                self._by_title.remove(self._title_of[number], number)
            else:
                self._is_paper[number] = 1
                self.paper_count += 1
            self._arxiv_of[number], self._title_of[number] = arxiv, title
            if arxiv:
                self._by_arxiv.add(arxiv, number)
            self._by_title.add(title, number)

    def put_day(self, day: Day) -> None:
        """Hold what `day` lists, instead of what the day of that date listed before."""
        name = day.day.isoformat()
        lowered = self._forget_day(name)
        rows = array("q")
        for entry in day.entries:
            number = self._number_for(entry.paper_id)
            title = key_of(title_key(entry.title))
            upvotes = _NO_UPVOTES if entry.upvotes is None else entry.upvotes
            rows.extend((number, _signed(title), upvotes))
            self._by_listed_title.add(title, number)
            self._upvotes[number] = max(self._upvotes[number], upvotes)
        self._days[name] = rows.tobytes()
        if lowered:
            self._recount_upvotes(lowered)

    def forget_day(self, name: str) -> None:
        """Drop what the day `name` (ISO date) listed."""
        lowered = self._forget_day(name)
        if lowered:
            self._recount_upvotes(lowered)

    def _day_rows(self, name: str) -> bytes | None:
        return self._days[name] if name in self._days else self._base_days.get(name)

    def _all_days(self) -> dict[str, bytes]:
        merged = {**self._base_days, **self._days}
        return {name: rows for name, rows in merged.items() if rows is not None}

    def _forget_day(self, name: str) -> set[int]:
        """Drop the day's rows; returns the numbers whose most upvotes may have come from it."""
        rows = _unpacked_rows(self._day_rows(name) or b"")
        self._days[name] = None
        for number, title, _ in rows:
            self._by_listed_title.remove(_unsigned(title), number)
        return {number for number, _, upvotes in rows if upvotes == self._upvotes[number]}

    def _recount_upvotes(self, numbers: set[int]) -> None:
        # Rare (a day listed again with fewer upvotes, or dropped): every day is read.
        for number in numbers:
            self._upvotes[number] = _NEVER_LISTED
        for packed in self._all_days().values():
            for number, _, upvotes in _unpacked_rows(packed):
                if number in numbers:
                    self._upvotes[number] = max(self._upvotes[number], upvotes)

    def _number_for(self, paper_id: str) -> int:
        """The id's number, given one if it has none."""
        key = key_of(paper_id)
        number = self._number(paper_id, key)
        if number is None:
            number = len(self._ids)
            self._ids.append(paper_id)
            self._by_id.add(key, number)
        return number

    # ---- files ----

    def base_is_due(self) -> bool:
        """Whether the changes have grown enough to be folded into a new base."""
        return not self._base_token or len(self._ids) - self._base_count >= _FOLD_AFTER

    def packed_base(self, stamp: Mapping[str, object]) -> list[bytes]:
        """A base holding everything, as the parts of a file (content.write_parts): a header,
        then the arrays. `stamp` says what it was made from."""
        count = len(self._ids)
        days = self._all_days()
        header = marshal.dumps(
            {
                "format": _FORMAT,
                "stamp": stamp,
                "token": os.urandom(8).hex(),
                "count": count,
                "paper_count": self.paper_count,
                "days": [(name, len(rows)) for name, rows in days.items()],
            }
        )
        return [
            header,
            *self._ids.folded(),
            *(c.folded(count) for c in self._columns()),
            *(part for pairs in self._pairs() for part in pairs.folded()),
            b"".join(days.values()),
        ]

    def packed_changes(self, stamp: Mapping[str, object]) -> bytes:
        """What changed since the base, with what the run left the store as (`stamp`)."""
        return marshal.dumps(
            {
                "base": self._base_token,
                "stamp": stamp,
                "ids": self._ids.added,
                "columns": [c.changed for c in self._columns()],
                "pairs": [pairs.changes() for pairs in self._pairs()],
                "days": self._days,
                "paper_count": self.paper_count,
            }
        )

    @classmethod
    def unpacked(
        cls, base: Sequence[memoryview], changes: bytes | None
    ) -> tuple[PackedIndex, Mapping[str, object]]:
        """The index, from the parts of its base (see packed_base) and its changes, and the
        stamp of the latest of them. `changes` belonging to another base are left out.
        ValueError when they are not of this format."""
        if len(base) != 16:
            raise ValueError("not an index of this format")
        try:
            header = marshal.loads(base[0])
            if header["format"] != _FORMAT:
                raise ValueError("not an index of this format")
            base_stamp, count = dict(header["stamp"]), int(header["count"])
            token = str(header["token"])
            day_lengths = [(str(name), int(n)) for name, n in header["days"]]
        except (EOFError, ValueError, TypeError, KeyError) as error:
            raise ValueError("damaged index") from error
        sections = base[1:]
        index = cls()
        index._ids = _Ids.mapped(sections[0], sections[1].cast("q"))
        for column, section in zip(index._columns(), sections[2:6], strict=True):
            column.base = section.cast(column.typecode)
        for pairs, at in zip(index._pairs(), range(6, 14, 2), strict=True):
            pairs.keys, pairs.numbers = sections[at].cast("Q"), sections[at + 1].cast("q")
            if len(pairs.keys) != len(pairs.numbers):
                raise ValueError("damaged index")
        days, at = {}, 0
        for name, length in day_lengths:
            days[name] = bytes(sections[14][at : at + length])
            at += length
        if at != len(sections[14]):
            raise ValueError("damaged index")
        index._base_days = days
        index._base_count, index.paper_count = count, int(header["paper_count"])
        index._base_token = token
        if len(index._ids) != count or any(len(c.base) != count for c in index._columns()):
            raise ValueError("damaged index")
        if changes is None:
            return index, base_stamp
        try:
            replayed = index._replay(marshal.loads(changes))
        except (EOFError, ValueError, TypeError, KeyError) as error:
            raise ValueError("damaged index") from error
        return index, base_stamp if replayed is None else replayed

    def _replay(self, changes: dict[str, Any]) -> dict[str, object] | None:
        if changes.get("base") != self._base_token:
            return None  # written for an earlier base, which folded them in
        self._ids.added = list(changes["ids"])
        for column, changed in zip(self._columns(), changes["columns"], strict=True):
            column.changed = dict(changed)
        for pairs, changed in zip(self._pairs(), changes["pairs"], strict=True):
            pairs.replay(changed)
        self._days = dict(changes["days"])
        self.paper_count = int(changes["paper_count"])
        return dict(changes["stamp"])

    def _columns(self) -> tuple[_Column, ...]:
        return (self._is_paper, self._arxiv_of, self._title_of, self._upvotes)

    def _pairs(self) -> tuple[_SortedKeys, ...]:
        return (self._by_id, self._by_arxiv, self._by_title, self._by_listed_title)


_FORMAT = f"sitegen ingest index 2 {sys.byteorder}"


class _Ids:
    """Ids by number: the base's, one block of bytes decoded when asked for, and those
    added since."""

    __slots__ = ("_block", "_ends", "added")

    def __init__(self) -> None:
        self._block: bytes | memoryview = b""
        self._ends: Sequence[int] = ()  # where each id of the base ends in the block
        self.added: list[str] = []

    @classmethod
    def mapped(cls, block: memoryview, ends: Sequence[int]) -> _Ids:
        if len(ends) and ends[-1] != len(block):
            raise ValueError("damaged index")
        ids = cls()
        ids._block, ids._ends = block, ends
        return ids

    def __len__(self) -> int:
        return len(self._ends) + len(self.added)

    def __getitem__(self, number: int) -> str:
        if number >= len(self._ends):
            return self.added[number - len(self._ends)]
        start = self._ends[number - 1] if number else 0
        return str(self._block[start : self._ends[number]], "utf-8")

    def append(self, paper_id: str) -> None:
        self.added.append(paper_id)

    def folded(self) -> tuple[bytes, bytes]:
        ends = array("q", self._ends)
        end = ends[-1] if ends else 0
        for paper_id in self.added:
            end += len(paper_id.encode())
            ends.append(end)
        return b"".join([self._block, *(i.encode() for i in self.added)]), ends.tobytes()


def _typed(values: Sequence[int], typecode: Literal["q", "Q"]) -> memoryview:
    """A view of a base's array (or of an empty one)."""
    return values if isinstance(values, memoryview) else memoryview(array(typecode, values))


def _signed(key: int) -> int:  # a 64-bit key in a signed array
    return key - 2**64 if key >= 2**63 else key


def _unsigned(value: int) -> int:
    return value + 2**64 if value < 0 else value


def _unpacked_rows(packed: bytes) -> list[tuple[int, int, int]]:
    values = array("q")
    values.frombytes(packed)
    return list(zip(values[0::3], values[1::3], values[2::3], strict=True))
