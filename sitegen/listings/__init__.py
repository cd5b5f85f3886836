"""Listings: what one day of Daily Papers showed, parsed from a text capture or the live source."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from sitegen.errors import ListingError, Location
from sitegen.listings.base import Listing, ListingEntry, day_from_name, decode_listing
from sitegen.listings.text import parse_text_listing
from sitegen.model import day_out_of_range

__all__ = ["Listing", "ListingEntry", "day_from_name", "decode_listing", "parse_listing"]


def parse_listing(
    raw: bytes, *, origin: str, day: date | None = None, latest: date | None = None
) -> Listing:
    """Parse any listing, sniffing its shape. `day` overrides the day found in name or text;
    a day found from the papers' dates is never after `latest` (tomorrow, east of UTC)."""
    text = decode_listing(raw, origin=origin)
    day_from = "--date" if day else "the file name"
    day = day or day_from_name(origin)
    start = text.lstrip()[:1]
    if start in ("[", "{", "<"):
        from sitegen.listings import hf  # selectolax: only for what the live source answers

        if start == "<":
            listing = hf.parse_hf_html(text, origin=origin, day=day)
        else:
            listing = hf.parse_hf_json(text, origin=origin, day=day)
    else:
        listing = parse_text_listing(text, origin=origin, day=day, day_from=day_from, latest=latest)
    if problem := day_out_of_range(listing.day):
        raise ListingError(
            f"the listing's day: {problem}",
            location=Location(origin),
            hint="give its day with --date YYYY-MM-DD",
        )
    _check_lengths(listing)
    return listing


# The longest text a listing's field may hold, far past any real one (the bundled listings'
# and the saved answers' longest: a title of 181 characters, an abstract of 1,921 (arXiv's
# limit is 1,920), a name of 30): a 3 MB abstract was copied into every feed listing it,
# 57 MB of site from one 7 MB listing (a hostile-input trial).
MAX_TITLE_CHARS, MAX_ABSTRACT_CHARS, MAX_NAME_CHARS = 2_000, 100_000, 1_000


def _check_lengths(listing: Listing) -> None:
    for entry in listing.entries:
        for field, text, most in _texts(entry):
            if len(text) > most:
                raise ListingError(
                    f"{field} of {len(text):,} characters: no real one is longer than {most:,}",
                    location=Location(listing.origin, entry.line),
                    hint="this is not a Daily Papers listing as it was shown; mend or drop it",
                )


def _texts(entry: ListingEntry) -> Iterator[tuple[str, str, int]]:
    yield "a paper's title", entry.title, MAX_TITLE_CHARS
    yield "a paper's abstract", entry.abstract, MAX_ABSTRACT_CHARS
    for name in entry.authors:
        yield "an author's name", name, MAX_NAME_CHARS
    for keyword in entry.keywords:
        yield "a keyword", keyword, MAX_NAME_CHARS
    if entry.organization:
        yield "an organisation's name", entry.organization.name, MAX_NAME_CHARS
