"""What every listing parser produces, and the decoding they share."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath

from sitegen.errors import ListingError, Location
from sitegen.model import Organization

HF_URL = "https://huggingface.co"  # the live source; fetch --base-url points elsewhere
FETCH_URL_VARIABLE = "SITEGEN_FETCH_URL"  # the fetch source when --source is not given
# The largest listing read: a real day (a few hundred papers) is 1-3 MB as a page, less as
# API answers; anything far larger is not a listing (`ingest /dev/zero`: issue #19).
MAX_LISTING_BYTES = 32 * 1024 * 1024
_ISO_DAY_IN_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True, slots=True, kw_only=True)
class ListingEntry:
    title: str
    abstract: str
    line: int  # 1-based line of the title in the source, for error messages
    arxiv_id: str | None = None
    authors: tuple[str, ...] = ()
    authors_count: int | None = None
    organization: Organization | None = None
    published: date | None = None
    upvotes: int | None = None
    keywords: tuple[str, ...] = ()
    github_url: str | None = None
    project_url: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Listing:
    day: date
    entries: tuple[ListingEntry, ...]  # listing order
    origin: str  # where it came from (a path), for messages
    # "full", "bare", "compact", "hf-json", "hf-html", or "hf-cards": a page's paper cards
    # alone (titles and ids), its data-props missing, so it does not say which day it shows
    shape: str
    notes: tuple[str, ...] = ()  # what the parser left out or merged, to tell the user


def json_kind(value: object) -> str:
    """What JSON calls `value` ("an object", "null"), for a message: Python's names ("a
    dict", "a NoneType") said nothing to a reader of the answer (a trial)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    kinds = {dict: "an object", list: "an array", str: "a string", int: "a number"}
    return kinds.get(type(value), "a number")


def day_from_name(origin: str) -> date | None:
    """The listing day a file name carries (`2025-10-31.txt`, `daily-2025-10-31.json`), if any."""
    match = _ISO_DAY_IN_NAME.search(PurePath(origin).name)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def listing_too_large(origin: str) -> ListingError:
    return ListingError(
        f"the file is larger than {MAX_LISTING_BYTES // 2**20} MB: no Daily Papers listing is",
        location=Location(origin),
        hint="give one day's listing (a text capture, an API answer or a saved page)",
    )


def decode_listing(raw: bytes, *, origin: str) -> str:
    """Bytes to text: UTF-8 (a byte-order mark is fine), or a ListingError that says where."""
    if len(raw) > MAX_LISTING_BYTES:
        raise listing_too_large(origin)
    if not raw.strip():
        raise ListingError(
            "the file is empty",
            location=Location(origin),
            hint="give a Daily Papers listing (a text capture, an API answer or a saved page)",
        )
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise ListingError(
            "this is a binary file, not a listing (it holds NUL bytes)",
            location=Location(origin, line),
            hint="give a Daily Papers listing saved as UTF-8 text",
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ListingError(
            f"not UTF-8 text (byte 0x{raw[error.start]:02x} at offset {error.start})",
            location=Location(origin, line),
            hint="save the listing as UTF-8 and ingest it again",
        ) from None


# arXiv's titles are LaTeX text, as its abstracts are: "\$OneMillion-Bench" is "$OneMillion-Bench"
# (2603.07980), as the abstract reads on the paper's page, where Markdown drops the backslash.
# Only LaTeX's escapes of its special characters: another backslash is a command or text.
_LATEX_ESCAPE = re.compile(r"\\([#$%&_{}])")


def latex_escapes_read(title: str) -> str:
    """`title` with LaTeX's escapes of its special characters read as them, whichever listing
    gives it: the page shows the escape as it is, so a text capture of it holds it too."""
    return _LATEX_ESCAPE.sub(r"\1", title) if "\\" in title else title
