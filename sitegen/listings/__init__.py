"""Listings: what one day of Daily Papers showed, parsed from a text capture or the live source."""

from __future__ import annotations

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
    return listing
