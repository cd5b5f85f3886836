"""Where the listing parsers draw their lines, tested on both sides: what a mutation audit of
sitegen/listings/ found no test pinning down (a limit one off, a number shown cut wrong)."""

from __future__ import annotations

import dataclasses
import html
import json
from datetime import date
from typing import Any

import pytest

from sitegen.errors import ListingError
from sitegen.listings import parse_listing
from sitegen.listings.hf import MAX_HTML_DEPTH
from tests.conftest import REPO, SEEDS

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


def test_elements_without_an_end_tag_are_no_nesting_however_many() -> None:
    """Killed mutants: _NOT_NESTING's names misspelt; its `not in` flipped (hf.py)."""
    page = _page_nested(_real_entries(), depth=2).decode()
    # Every element that takes no end tag (or may leave it out), more often than the limit.
    unclosed = "".join(
        f"<{name}>" * (MAX_HTML_DEPTH + 1)
        for name in ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta")
        + ("param", "source", "track", "wbr", "p", "li", "dt", "dd", "option", "optgroup")
        + ("tr", "td", "th", "thead", "tbody", "tfoot", "rb", "rt", "rp", "html", "head", "body")
    )
    listing = parse_listing((unclosed + page).encode(), origin="2026-06-12.html")
    assert (listing.shape, len(listing.entries)) == ("hf-html", 30)


def test_json_nested_too_deeply_is_named_at_the_line_of_the_page_that_is() -> None:
    """Killed mutant: the line counted by another text than "\\n" (hf.py, line 78)."""
    first_page = REAL_ANSWER.read_text(encoding="utf-8").rstrip("\n")
    assert "\n" not in first_page  # one line of compact JSON, as served
    kept = f"{first_page}\n\n{'[' * 100_000}{']' * 100_000}\n"
    with pytest.raises(ListingError, match="nested too deeply") as refused:
        parse_listing(kept.encode(), origin="2026-06-12.json")
    assert refused.value.location is not None and refused.value.location.line == 3


def test_an_answer_named_after_no_day_is_filed_under_the_day_most_of_its_papers_were_featured() -> (
    None
):
    """Killed mutant: `and` for `or` in _featured_day (hf.py, line 295): a NameError."""
    real = REPO / "tests" / "fixtures" / "hf-real"
    august = json.loads((real / "api-2026-08-03-partial.json").read_bytes())
    for entries in (_real_entries() + august, august + _real_entries()):
        listing = parse_listing(json.dumps(entries).encode(), origin="answer.json")
        assert (listing.day.isoformat(), len(listing.entries)) == ("2026-06-12", 30)
        assert listing.notes[0].startswith("3 papers of 2026-08-03 left out")


@pytest.mark.parametrize("line_end", ["\r\n", "\r"], ids=["windows", "old-mac"])
@pytest.mark.parametrize("name", SEEDS)
def test_a_capture_saved_with_other_line_ends_names_the_same_lines(
    seed_bytes: dict[str, bytes], name: str, line_end: str
) -> None:
    """Killed mutant: "\\r\\n" not joined first, so CRLF counted as two lines (text.py, line
    180): every paper's line, which errors name, doubled."""
    original = parse_listing(seed_bytes[name], origin=name)
    variant = seed_bytes[name].decode().replace("\n", line_end).encode()
    assert parse_listing(variant, origin=name) == original


def _full_capture(papers: list[tuple[str, str, str | None]]) -> bytes:
    """A full-shape capture of Jan 8 from (title, abstract, date line or None: undated)."""
    lines = ["new", "Subscribe", "Daily Papers", "byAK and the research community", "Jan 8"]
    for title, abstract, when in papers:
        lines += [title, abstract]
        lines += ["  \u2022 3 authors", "\u00b7", when] if when else []
    return "\n\n".join(lines).encode()


@pytest.mark.parametrize(
    ("undated_before_last", "read"),
    [(1, False), (2, True)],
    ids=["one-undated-before: cut off", "two-undated-before: read"],
)
def test_a_last_paper_without_a_date_is_a_cut_off_capture_unless_undated_ones_are_common(
    seed_bytes: dict[str, bytes], undated_before_last: int, read: bool
) -> None:
    """Killed mutant: `len(drafts) - 2` for `- 1` in counting the undated papers before the
    last (text.py, line 304): a capture with two undated papers before an undated last one,
    as a page that dates few papers is, was refused as cut off."""
    real = parse_listing(seed_bytes["2026-01-08.txt"], origin="2026-01-08.txt").entries[:4]
    dates = ["Jul 18, 2025"] * (3 - undated_before_last) + [None] * undated_before_last
    capture = _full_capture(
        [(e.title, e.abstract, when) for e, when in zip(real, [*dates, None], strict=True)]
    )
    if read:
        entries = parse_listing(capture, origin="2026-01-08.txt").entries
        assert [e.title for e in entries] == [e.title for e in real]
        assert [e.published for e in entries] == [date(2025, 7, 18), None, None, None]
    else:
        with pytest.raises(ListingError, match="the listing is cut off: the last paper") as cut:
            parse_listing(capture, origin="2026-01-08.txt")
        last_title = capture.decode().split("\n").index(real[3].title) + 1
        assert cut.value.location is not None and cut.value.location.line == last_title


def test_a_title_refused_as_an_abstract_s_line_is_shown_cut_with_dots_past_sixty_chars() -> None:
    """Killed mutant: `> 61` for `> 60` (text.py, line 373): a line of 61 characters was shown
    cut to 60 without the dots that say so."""
    for length, dots in ((60, ""), (61, "...")):
        sentence = "and " + "x" * (length - 5) + "."
        shown = repr(sentence[:60]) + dots
        capture = f"Jan 8\n\nA Title\n\nIts abstract.\n\n{sentence}\n\nMore.".encode()
        with pytest.raises(ListingError) as refused:
            parse_listing(capture, origin="2026-01-08.txt")
        assert refused.value.message.endswith(f": {shown}"), refused.value.message


@pytest.mark.parametrize(("digits", "dots"), [(20, ""), (21, "...")])
def test_upvotes_past_range_in_a_capture_are_shown_with_dots_only_when_cut(
    seed_bytes: dict[str, bytes], digits: int, dots: str
) -> None:
    """Killed mutant: `>= 20` for `> 20` (text.py, line 442): a 20-digit count, shown whole,
    was followed by dots that said it was cut."""
    number = "9" * digits
    capture = seed_bytes["2026-01-08.txt"].replace(
        b"\nJul 18, 2025\n", f"\nJul 18, 2025 {number}\n".encode(), 1
    )
    with pytest.raises(ListingError) as refused:
        parse_listing(capture, origin="2026-01-08.txt")
    assert refused.value.message.startswith(f"upvotes count {'9' * 20}{dots} is out of range")


def test_a_day_line_with_a_year_that_is_no_calendar_date_is_refused_at_it(
    seed_bytes: dict[str, bytes],
) -> None:
    """Killed mutant: its error dropped (text.py, line 469): the parse went on past it."""
    capture = seed_bytes["2026-01-08.txt"].replace(b"\nJan 8\n", b"\nFeb 30, 2026\n", 1)
    with pytest.raises(ListingError, match="'Feb 30, 2026' is not a calendar date") as refused:
        parse_listing(capture, origin="capture.txt")
    assert refused.value.location is not None and refused.value.location.line == 11


def test_a_compact_capture_copied_from_its_subscribe_button_down_is_the_same_listing(
    seed_bytes: dict[str, bytes],
) -> None:
    """Killed mutant: `saw_header = True` dropped after "Subscribe" is unglued (text.py, line
    204): the capture was refused as no listing."""
    whole = seed_bytes["2026-11-22.txt"]
    cut = whole.index(b"SubscribeOneRec")
    from_button = parse_listing(whole[cut:], origin="2026-11-22.txt")
    lines_cut = whole[:cut].count(b"\n")
    shifted = [dataclasses.replace(e, line=e.line + lines_cut) for e in from_button.entries]
    assert shifted == list(parse_listing(whole, origin="2026-11-22.txt").entries)


def test_a_paper_without_its_abstract_is_named_as_such(seed_bytes: dict[str, bytes]) -> None:
    """Killed mutant: the error's "an abstract" changed (text.py, line 252)."""
    lines = seed_bytes["2026-01-08.txt"].decode().split("\n")
    second_abstract = next(
        i for i, line in enumerate(lines) if line.startswith("Language models traditionally")
    )
    del lines[second_abstract]
    with pytest.raises(ListingError) as refused:
        parse_listing("\n".join(lines).encode(), origin="2026-01-08.txt")
    assert refused.value.message == "expected an abstract, found the metadata line '• 3 authors'"
    assert refused.value.location is not None
    assert refused.value.location.line == lines.index("  \u2022 3 authors") + 1


def _as_in_2024(entries: list[Any]) -> list[Any]:
    """The real entries without `submittedOnDailyAt`, as the API answered before 2025."""
    for entry in entries:
        del entry["paper"]["submittedOnDailyAt"]
    return entries


def test_an_answer_that_states_its_day_nowhere_is_refused_and_one_stating_it_is_held_to_it() -> (
    None
):
    """Killed mutants: the 'cannot tell which day' error dropped (hf.py, line 231); `and` for
    `or` in taking an answer object's `date` (line 41: a 2024-style answer asked for another
    day was filed under it)."""
    entries = _as_in_2024(_real_entries())
    with pytest.raises(ListingError, match="cannot tell which day this answer lists"):
        parse_listing(json.dumps(entries).encode(), origin="answer.json")
    stated = json.dumps({"date": "2026-06-12T00:00:00.000Z", "dailyPapers": entries}).encode()
    assert parse_listing(stated, origin="answer.json").day.isoformat() == "2026-06-12"
    with pytest.raises(ListingError, match="this answer lists 2026-06-12, not 2026-06-13"):
        parse_listing(stated, origin="2026-06-13.json")


def test_an_answer_of_two_other_days_names_both() -> None:
    """Killed mutant: the days joined by another text than ", " (hf.py, line 266)."""
    real = REPO / "tests" / "fixtures" / "hf-real"
    august = json.loads((real / "api-2026-08-03-partial.json").read_bytes())
    with pytest.raises(ListingError) as refused:
        parse_listing(json.dumps(_real_entries() + august).encode(), origin="2026-07-01.json")
    assert refused.value.message.startswith(
        "this answer lists 2026-06-12, 2026-08-03, not 2026-07-01"
    )


def test_closed_elements_leave_the_nesting_however_many_there_are() -> None:
    """Killed mutant: a closing tag not taking one off the depth (hf.py, line 177): a real
    page, with thousands of elements one after another, was refused as nested too deeply."""
    siblings = "<div><span>a card</span></div>\n" * (MAX_HTML_DEPTH + 1)
    page = _page_nested(_real_entries(), depth=2).decode().replace("<body>", "<body>" + siblings)
    assert len(parse_listing(page.encode(), origin="2026-06-12.html").entries) == 30
