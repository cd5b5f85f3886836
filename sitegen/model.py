"""The domain: papers, the days that featured them, topics. Frozen values, no I/O."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, SupportsIndex

# Characters that XML 1.0 cannot carry or that only confuse readers: C0/C1 controls (tab and
# newline are folded to spaces by the callers that need it), and the two non-characters.
_UNSAFE_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_INVISIBLE = re.compile("[\u200b\ufeff]")  # zero-width space, stray byte-order mark
_NOT_ALNUM = re.compile(r"[\W_]+")
_ARXIV_ID = re.compile(r"\d{4}\.\d{4,5}")
_PAPER_ID = re.compile(r"[a-z0-9][a-z0-9.-]{0,119}")


def clean_line(text: str) -> str:
    """One line of text as data: no control characters, whitespace folded to single spaces."""
    # str.split() folds every Unicode space (NBSP, thin and figure spaces) and line break.
    return " ".join(_INVISIBLE.sub("", _UNSAFE_CHARS.sub("", text)).split())


def clean_block(text: str) -> str:
    """Multi-line text (an abstract body): control characters removed, line ends normalised."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _UNSAFE_CHARS.sub("", text).strip()


_ASCII_NOT_ALNUM = bytes(c for c in range(128) if not chr(c).isalnum())


def title_key(title: str) -> str:
    """The identity of a title: equal up to case, whitespace, punctuation and Unicode form."""
    if title.isascii():  # most titles: the same result, five times faster (ingest indexes all)
        return title.encode().lower().translate(None, _ASCII_NOT_ALNUM).decode()
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", title).casefold())


def is_arxiv_id(value: str) -> bool:
    return _ARXIV_ID.fullmatch(value) is not None


def is_paper_id(value: str) -> bool:
    """Paper ids are file and URL names: lowercase ASCII, digits, dots, hyphens; no '..'."""
    return _PAPER_ID.fullmatch(value) is not None and ".." not in value


def slug_for_title(title: str, *, digest_chars: int = 8) -> str:
    """A path-safe id for a paper without arXiv id: readable words plus a digest of its title.

    The digest makes two different titles with the same words distinct; `digest_chars` grows
    only when two titles share even that (see ingest).
    """
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_title)
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > 60:
            break
        slug = f"{slug}-{word}" if slug else word
    digest = hashlib.sha256(title_key(title).encode()).hexdigest()[:digest_chars]
    return f"{slug}-{digest}" if slug else f"paper-{digest}"


class _Pickled:
    """Pickled as its field values. A slotted dataclass otherwise unpickles through a
    __setstate__ that calls dataclasses.fields() for every object: most of the second it
    takes to load the parse cache of 50,000 papers."""

    __slots__ = ()

    def __reduce__(self) -> tuple[object, ...]:
        names: tuple[str, ...] = self.__slots__
        return (_unpickle, (type(self), tuple(getattr(self, name) for name in names)))


def _unpickle(cls: type[_Pickled], values: tuple[object, ...]) -> _Pickled:
    value = object.__new__(cls)
    _assign(value, cls.__slots__, values)
    return value


def _assign(value: object, names: Iterable[str], values: Iterable[object]) -> None:
    for name, field_value in zip(names, values, strict=True):
        object.__setattr__(value, name, field_value)  # frozen: the dataclass's own way round


class _PickledLazily:
    """Pickled as its id and topics, with every other field packed into one bytes value that
    is unpacked when one of them is first read.

    The parse cache holds 50,000 papers, 1.2 million objects with their authors, dates and
    appearances; unpickling them all took 0.4 s, when a build after a new day reads the
    fields of a few hundred (planning and grouping need only ids and topics). Python calls
    __getattr__ only for an attribute not found, here a slot not yet set, so reading a
    field costs nothing once it is unpacked.
    """

    __slots__ = ("_packed",)
    _EAGER = ("id", "topics")

    def __reduce_ex__(self, protocol: SupportsIndex) -> tuple[object, ...]:
        import pickle  # here: only builds pickle papers, and `sitegen ingest` starts faster

        try:
            packed = object.__getattribute__(self, "_packed")
        except AttributeError:  # unpacked, or never packed
            packed = pickle.dumps(
                tuple(getattr(self, name) for name in _packed_names(type(self))),
                pickle.HIGHEST_PROTOCOL,
            )
        eager = tuple(getattr(self, name) for name in self._EAGER)
        # From protocol 5 a buffer, which a cache file stores out of band and maps back in
        # without a copy (the packed fields of 50,000 papers are 80 MB).
        packing = pickle.PickleBuffer(packed) if int(protocol) >= 5 else bytes(packed)
        return (_unpickle_lazily, (type(self), eager, packing))

    def __getattr__(self, name: str) -> object:
        try:
            packed = object.__getattribute__(self, "_packed")
        except AttributeError:
            raise AttributeError(name) from None  # a name that is no field at all
        import pickle

        _assign(self, _packed_names(type(self)), pickle.loads(packed))
        object.__delattr__(self, "_packed")
        return object.__getattribute__(self, name)


def _packed_names(cls: type[_PickledLazily]) -> tuple[str, ...]:
    names: tuple[str, ...] = cls.__slots__
    return tuple(name for name in names if name not in cls._EAGER)


def _unpickle_lazily(
    cls: type[_PickledLazily], eager: tuple[object, ...], packed: bytes | memoryview
) -> _PickledLazily:
    # Once per paper of the parse cache: the slots' own setters, no loop (a third faster).
    setters = _EAGER_SETTERS.get(cls)
    if setters is None:
        setters = _EAGER_SETTERS[cls] = _slot_setters(cls, (*cls._EAGER, "_packed"))
    value = object.__new__(cls)
    set_id, set_topics, set_packed = setters
    set_id(value, eager[0])
    set_topics(value, eager[1])
    set_packed(value, packed)
    return value


_Setter = Callable[[object, object], None]
_EAGER_SETTERS: dict[type, tuple[_Setter, ...]] = {}


def _slot_setters(cls: type, names: Iterable[str]) -> tuple[_Setter, ...]:
    """The slot descriptors' setters, which set a frozen dataclass's fields as its own
    __init__ does, without looking the name up each time."""
    return tuple(getattr(cls, name).__set__ for name in names)


@dataclass(frozen=True, slots=True, kw_only=True)
class Organization(_Pickled):
    handle: str  # the Hugging Face account, e.g. "tencent"
    name: str  # the display name, e.g. "Tencent"


@dataclass(frozen=True, slots=True, kw_only=True)
class Appearance(_Pickled):
    """A paper featured on a listing day."""

    day: date
    rank: int  # 1-based position in that day's listing


@dataclass(frozen=True, slots=True, kw_only=True)
class Paper(_PickledLazily):
    id: str  # stable forever: the file name and URL; never renamed once created
    title: str
    abstract: str
    arxiv_id: str | None = None
    authors: tuple[str, ...] = ()
    authors_count: int | None = None
    organization: Organization | None = None
    published: date | None = None  # the arXiv (or source) publication date
    upvotes: int | None = None  # None: never reported, which is not zero
    featured: tuple[Appearance, ...] = ()  # oldest day first
    topics: tuple[str, ...] = ()  # slugs chosen by hand or with --topic; rules add more at build
    keywords: tuple[str, ...] = ()  # keywords from the source (HF ai_keywords), a topic signal
    github_url: str | None = None
    project_url: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DayEntry(_Pickled):
    """One line of what a day featured: which paper, under which title, with how many upvotes."""

    paper_id: str
    title: str  # as the listing showed it; also lets a later listing find a hand-retitled paper
    upvotes: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Day:
    day: date
    entries: tuple[DayEntry, ...]  # listing order: rank 1 first
    sources: tuple[str, ...] = ()  # kept listings this day came from, relative to content/

    def __reduce__(self) -> tuple[object, ...]:
        # Its entries as three columns: one object per entry in the pickle, not three, and
        # the 50,000 entries of the parse cache load in 40 ms instead of 100.
        columns = tuple(zip(*((e.paper_id, e.title, e.upvotes) for e in self.entries), strict=True))
        return (_unpickle_day, (self.day, columns or ((), (), ()), self.sources))


def _unpickle_day(day: date, columns: tuple[tuple[Any, ...], ...], sources: tuple[str, ...]) -> Day:
    value = object.__new__(Day)
    _assign(value, Day.__slots__, (day, tuple(map(_day_entry, *columns)), sources))
    return value


def _day_entry(paper_id: str, title: str, upvotes: int | None) -> DayEntry:
    value = object.__new__(DayEntry)
    set_paper_id, set_title, set_upvotes = _DAY_ENTRY_SETTERS
    set_paper_id(value, paper_id)
    set_title(value, title)
    set_upvotes(value, upvotes)
    return value


_DAY_ENTRY_SETTERS = _slot_setters(DayEntry, DayEntry.__slots__)


@dataclass(frozen=True, slots=True, kw_only=True)
class Topic:
    """One topic of site.toml's taxonomy and the rules that give it to a paper."""

    slug: str
    name: str
    description: str
    keywords: tuple[str, ...] = ()  # phrases that are evidence on their own
    kind: str = "area"  # "area": the paper's field (one at least); "facet": a cross-cutting theme
    generic: tuple[str, ...] = ()  # words that count only beside one of `keywords`
    yields_to: tuple[str, ...] = ()  # slugs: this topic is dropped when one of them is given
    fallback: bool = False  # an area given when no other area is
