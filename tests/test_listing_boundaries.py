"""Where the listing parsers draw their lines, tested on both sides: what a mutation audit of
sitegen/listings/ found no test pinning down (a limit one off, a number shown cut wrong)."""

from __future__ import annotations

import html
import json
from typing import Any

import pytest

from sitegen.errors import ListingError
from sitegen.listings import parse_listing
from sitegen.listings.hf import MAX_HTML_DEPTH
from tests.conftest import REPO

REAL_ANSWER = REPO / "tests" / "fixtures" / "hf-real" / "api-2026-06-12.json"


def _real_entries() -> list[Any]:
    entries = json.loads(REAL_ANSWER.read_bytes())
    assert isinstance(entries, list) and len(entries) == 30
    return entries


def _page_nested(entries: list[Any], *, depth: int) -> bytes:
    """A day's page for 2026-06-12 whose entries sit `depth` elements deep, one per line."""
    props = html.escape(json.dumps({"date": "2026-06-12T00:00:00.000Z", "dailyPapers": entries}))
    around = depth - 1
    return (
        "<html><body>\n"
        + "<div>\n" * around
        + f'<div data-target="DailyPapers" data-props="{props}"></div>\n'
        + "</div>\n" * around
        + "</body></html>\n"
    ).encode()


def test_a_page_nested_as_deep_as_allowed_is_read_and_one_deeper_refused_at_its_line() -> None:
    """Killed mutants: MAX_HTML_DEPTH + 1; the error's line one off (hf.py)."""
    entries = _real_entries()
    deepest = parse_listing(_page_nested(entries, depth=MAX_HTML_DEPTH), origin="2026-06-12.html")
    assert (deepest.shape, len(deepest.entries)) == ("hf-html", 30)
    with pytest.raises(ListingError, match="nests its elements over 1,000 deep") as refused:
        parse_listing(_page_nested(entries, depth=MAX_HTML_DEPTH + 1), origin="2026-06-12.html")
    # The tag past the limit is the data-props element, on the line after 1,000 <div> lines.
    assert refused.value.location is not None and refused.value.location.line == 1_002


@pytest.mark.parametrize(
    ("upvotes", "shown"),
    [
        (10**19, "10000000000000000000"),  # 20 digits: shown whole
        (10**30 + 7, "10000000000000000000... (31 digits)"),
    ],
)
def test_upvotes_past_range_in_an_api_answer_are_shown_whole_up_to_twenty_digits(
    upvotes: int, shown: str
) -> None:
    """Killed mutants: the 20-digit cut of _shortened at 21, its `<= 20` flipped (hf.py)."""
    entries = _real_entries()
    entries[1]["paper"]["upvotes"] = upvotes
    with pytest.raises(ListingError) as refused:
        parse_listing(json.dumps(entries).encode(), origin="2026-06-12.json")
    expected = f"paper 2: upvotes {shown} is out of range (at most 1,000,000,000)"
    assert refused.value.message == expected
