"""The domain: papers, the days that featured them, topics. Frozen values, no I/O."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import NamedTuple

_NOT_IN_TITLE_KEYS = re.compile(r"(?:[^\w+#]|_)+")
# YYMM.NNNN from April 2007, YYMM.NNNNN from 2015: "2606.6113" links a page arXiv never had.
_ARXIV_ID = re.compile(
    r"(?:070[4-9]|071[0-2]|(?:0[89]|1[0-4])(?:0[1-9]|1[0-2]))\.\d{4}"
    r"|(?:1[5-9]|[2-9]\d)(?:0[1-9]|1[0-2])\.\d{5}"
)
# The search and 404 pages' scripts take the same shape (a copy by hand could drift).
ARXIV_ID_SHAPE = _ARXIV_ID.pattern
_PAPER_ID = re.compile(r"[a-z0-9][a-z0-9.-]{0,119}")
# The largest upvote or author count believed: real ones are in the thousands, and a source
# that says 2**63 would break every JSON reader downstream (issue #19).
MAX_COUNT = 10**9


# The days a site can hold: none before arXiv began, and none whose week or month would run
# past the calendar's end (a listing of 9999-12-31 stopped every later build).
FIRST_DAY, LAST_DAY = date(1991, 1, 1), date(2999, 12, 31)


def day_out_of_range(day: date) -> str | None:
    """Why `day` cannot be a day of the site, or None when it can."""
    if FIRST_DAY <= day <= LAST_DAY:
        return None
    return f"{day} is not a day a site can hold (years {FIRST_DAY.year} to {LAST_DAY.year})"


# Letters and digits, and "+" and "#": "C++" and "C#" name two languages (a review: two papers
# of those titles were merged into one).
_ASCII_NOT_IN_TITLE_KEYS = bytes(c for c in range(128) if not (chr(c).isalnum() or chr(c) in "+#"))


def title_key(title: str) -> str:
    """The identity of a title: equal up to case, whitespace, punctuation (but "+" and "#")
    and Unicode form."""
    if title.isascii():  # the same key, five times faster: ingest keys 100,000 titles a run
        key = title.encode().lower().translate(None, _ASCII_NOT_IN_TITLE_KEYS).decode()
    else:
        key = _NOT_IN_TITLE_KEYS.sub("", unicodedata.normalize("NFKC", title).casefold())
    return key or _symbols_key(title)


def _symbols_key(title: str) -> str:
    # A title of no letters or digits ("???", "— · —") would have the empty key, and every such
    # paper would merge into one (issue #19): its symbols tell it apart. No key of letters and
    # digits starts with a NUL.
    return "\0" + "".join(unicodedata.normalize("NFKC", title).casefold().split())


def is_arxiv_id(value: str) -> bool:
    return _ARXIV_ID.fullmatch(value) is not None


def arxiv_identity(paper_id: str, arxiv_id: str | None) -> str | None:
    """The arXiv id a paper is: its `arxiv_id`, else its file's name when that is one (a file
    named after an arXiv id, its arxiv_id deleted by hand, is still that id's paper)."""
    return arxiv_id or (paper_id if is_arxiv_id(paper_id) else None)


def is_paper_id(value: str) -> bool:
    """Paper ids are file and URL names: lowercase ASCII, digits, dots, hyphens; no '..', and
    not a page's name: `index.html`'s page would be /papers/index.html/, beside the papers'
    own index page."""
    return _PAPER_ID.fullmatch(value) is not None and ".." not in value and value[-5:] != ".html"


def slug_for_title(title: str, *, digest_chars: int = 8, exact: bool = False) -> str:
    """A path-safe id for a paper without arXiv id: readable words plus a digest of its title.

    The digest makes two different titles with the same words distinct; `digest_chars` grows
    only when two titles share even that: "C++" and "C#" ones do (see ingest), and it is of
    the `exact` title key, marked, once 15 of them have taken every length (a review: the 16th
    failed).
    """
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_title)
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > 60:
            break
        slug = f"{slug}-{word}" if slug else word
    # The key without "+" and "#", as ids were made before title keys kept them: a replay of
    # the listings gives every paper the id it had (a review: its URLs and feed ids moved).
    # The exact key is marked: a title without "+" or "#" has ids of its own there too.
    key = title_key(title)
    key = f"exact:{key}" if exact else without_plus_and_hash(key) or _symbols_key(title)
    digest = hashlib.sha256(key.encode()).hexdigest()[:digest_chars]
    return f"{slug}-{digest}" if slug else f"paper-{digest}"


def is_own_id(paper_id: str, title: str) -> bool:
    """Whether sitegen may have named a paper listed under `title` `paper_id`: an arXiv id, or
    that title's slug, of any digest length (not a typo: a file deleted)."""
    if is_arxiv_id(paper_id):
        return True
    slugs = (slug_for_title(title, digest_chars=64, exact=exact) for exact in (False, True))
    return any(slug.startswith(paper_id) and len(paper_id) >= len(slug) - 56 for slug in slugs)


def without_plus_and_hash(key: str) -> str:
    """A title key as sitegen made them before they kept "+" and "#"."""
    return key.translate(_PLUS_AND_HASH)


_PLUS_AND_HASH = str.maketrans("", "", "+#")


@dataclass(frozen=True, slots=True, kw_only=True)
class Organization:
    handle: str  # the Hugging Face account, e.g. "tencent"
    name: str  # the display name, e.g. "Tencent"


@dataclass(frozen=True, slots=True, kw_only=True)
class Appearance:
    """A paper featured on a listing day."""

    day: date
    rank: int  # 1-based place on that day's page: the most upvoted first


@dataclass(frozen=True, slots=True, kw_only=True)
class Paper:
    """A paper as its file holds it. The days that featured it are the day files' to say."""

    id: str  # stable forever: the file name and URL; never renamed once created
    title: str
    abstract: str
    arxiv_id: str | None = None
    authors: tuple[str, ...] = ()
    authors_count: int | None = None
    organization: Organization | None = None
    published: date | None = None  # the arXiv (or source) publication date
    upvotes: int | None = None  # None: never reported, which is not zero
    topics: tuple[str, ...] = ()  # slugs chosen by hand or with --topic; rules add more at build
    not_topics: tuple[str, ...] = ()  # slugs the rules may not give it (an editor's call)
    keywords: tuple[str, ...] = ()  # keywords from the source (HF ai_keywords), a topic signal
    github_url: str | None = None  # "": taken off by hand, never filled by a listing
    project_url: str | None = None

    @property
    def organization_name(self) -> str:
        """Its organisation's name, as a card, a feed item and a search result show it; ""."""
        return self.organization.name if self.organization else ""


def most_upvotes(a: int | None, b: int | None) -> int | None:
    """The higher of two upvote counts, either of which may be unknown."""
    return b if a is None else a if b is None else max(a, b)


def epoch_seconds(moment: datetime) -> int:
    """A time as the parse cache and the rebuild's path hold a day entry's `added`: whole
    seconds since the epoch (50,000 datetimes made and printed each rebuild took 0.1 s of the
    rebuild budget, under 2 s at 50k papers)."""
    return int(moment.timestamp())


def utc_moment(seconds: int) -> datetime:
    """A time held as epoch_seconds, in UTC."""
    return datetime.fromtimestamp(seconds, UTC)


@dataclass(frozen=True, slots=True, kw_only=True)
class DayEntry:
    """One line of what a day featured: which paper, under which title, with how many upvotes."""

    paper_id: str
    title: str  # as the listing showed it; also lets a later listing find a hand-retitled paper
    upvotes: int | None = None
    # When a fetch first brought it, and the time to publish it (UTC: sitegen.fetch), which
    # dates its feed item: the rest of a day comes with the next morning's run, and an item
    # dated by its day came hours older than a reader's last poll (a feed review). None:
    # ingested by hand, history filled in, or from before sitegen kept it.
    added: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Day:
    day: date
    entries: tuple[DayEntry, ...]  # listing order: rank 1 first
    sources: tuple[str, ...] = ()  # kept listings this day came from, relative to content/
    # The store's newest day when this one was first ingested, if that was later (a day missed
    # and fetched days after): feeds take its papers as if they came with that day.
    arrived_after: date | None = None


_KEPT_NAME = re.compile(r"\d{4}-\d{2}-\d{2}(?:-(\d{1,7})|-([0-9a-f]{8}))?\.")


def kept_order(name: str) -> tuple[int, int]:
    """A listing's place among its day's kept ones (`Day.sources`) by its file name:
    `<day>.json` first, then names of sitegen 0.2 (`<day>-<digest>.json`, which came after
    it), then `<day>-<n>.json` by n; any other name first. Replaying content/listings/*
    merges them in the order they came, whatever order the shell lists them in."""
    kept = _KEPT_NAME.match(name)
    if kept is None or not (kept.group(1) or kept.group(2)):
        return (1, 0)
    return (1, 1) if kept.group(2) else (int(kept.group(1)), 0)


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
    formerly: tuple[str, ...] = ()  # its slugs before a rename: their pages and feeds lead here


def renamed_slugs(topics: Iterable[Topic]) -> dict[str, str]:
    """Each slug a topic had before a rename (`formerly`) -> its slug now: what names it still
    in paper files, `yields_to`, custom feeds and `ingest --topic`."""
    return {old: topic.slug for topic in topics for old in topic.formerly}


def as_renamed(slugs: Iterable[str], renamed: Mapping[str, str]) -> tuple[str, ...]:
    """`slugs`, each of before a rename (`renamed_slugs`) read as the topic's now, once each."""
    return tuple(dict.fromkeys(renamed.get(slug, slug) for slug in slugs))


class PaperKeys(NamedTuple):
    """What tells a paper apart when a listing names it: its arXiv id and its title's key."""

    arxiv_id: str | None
    title_key: str  # title_key(title)

    @classmethod
    def of(cls, paper: Paper) -> PaperKeys:
        return cls(paper.arxiv_id, title_key(paper.title))


PlainEntry = tuple[str, str, int | None]  # a DayEntry's paper id, title and upvotes


def plain_entries(day: Day) -> list[PlainEntry]:
    """A day's entries as plain values, in listing order."""
    return [(e.paper_id, e.title, e.upvotes) for e in day.entries]


@dataclass(frozen=True, slots=True, kw_only=True)
class ContentSnapshot:
    """Everything in content/ as values.

    `papers` may read each paper only when it is looked up (see sitegen.store); `keys`,
    `digests`, `titles` and `upvotes` answer for every paper without that.
    """

    papers: Mapping[str, Paper]  # by id
    days: Mapping[date, Day]
    keys: Mapping[str, PaperKeys] = field(default_factory=dict)  # by id; ingest matches on them
    digests: Mapping[str, str] = field(default_factory=dict)  # id -> digest of its file's bytes
    titles: Mapping[str, str] = field(default_factory=dict)  # by id; every paper's
    upvotes: Mapping[str, int | None] = field(default_factory=dict)  # by id; every paper's
    # Each day's entries as plain values, (paper id, title as listed, upvotes) in listing
    # order: the store gives them without making each Day (the rebuild and ingest budgets at
    # 50k papers, see sitegen.store.StoredDays).
    day_entries: Mapping[date, Sequence[PlainEntry]]
    # The days first ingested after a later day was, each to that day (arrived_after).
    late_days: Mapping[date, date]
    # Each day's entries that say when a fetch brought them: paper id -> `added`, in
    # epoch_seconds.
    entries_added: Mapping[date, Mapping[str, int]]
    # Paper files (content/ paths) of one title and not two arXiv ids, of those just changed:
    # maybe one paper made twice (sitegen.store._check_changed_papers).
    same_title: tuple[tuple[str, str], ...] = ()
    # (paper file, key, value) of the links of the files just changed that no page carries,
    # not being web addresses (web_url): a hand edit's typo, which was left off in silence.
    unlinked: tuple[tuple[str, str, str], ...] = ()

    @classmethod
    def of(cls, papers: Mapping[str, Paper], days: Mapping[date, Day]) -> ContentSnapshot:
        """A snapshot of values held in memory (no files behind them)."""
        return cls(
            papers=papers,
            days=days,
            keys={paper_id: PaperKeys.of(paper) for paper_id, paper in papers.items()},
            titles={paper_id: paper.title for paper_id, paper in papers.items()},
            upvotes={paper_id: paper.upvotes for paper_id, paper in papers.items()},
            day_entries={day: plain_entries(held) for day, held in days.items()},
            late_days={day: held.arrived_after for day, held in days.items() if held.arrived_after},
            entries_added={
                day: {e.paper_id: epoch_seconds(e.added) for e in held.entries if e.added}
                for day, held in days.items()
                if any(e.added for e in held.entries)
            },
        )


class Papers(tuple[str, ...]):
    """Ids of the papers a listing or an output shows; in an output's key, each stands for its
    paper's state (sitegen.output_keys). The site's day and period listings are each one value,
    which the outputs that show them share: a plan joins each one's states once."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Artifact:
    """One file of the built site."""

    path: str  # relative to public/, POSIX separators
    data: bytes
