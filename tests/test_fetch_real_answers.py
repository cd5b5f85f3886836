"""Fetching Hugging Face's real answers (issue #14): every paper of a day, filed under its own
day, at Hugging Face's pace.

The answers are the saved ones of ../shared/fixtures/hf/ (see its README), copied as they are
into tests/fixtures/hf-real/ so that a clone tests alone: the newest day when
saved, 2026-06-12 (30 papers, one line as served), and three papers of 2026-08-03. Pages are
made from those entries the way Hugging Face embeds them; 2024's shape is those entries with
only the fields 2024 had. Unit tests use httpx.MockTransport and a clock that only moves when
slept on; the end-to-end tests run sitegen against a real server on 127.0.0.1.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sitegen.errors import ListingError
from sitegen.listings import parse_listing
from tests.hf_server import day_page, paper_page

REAL = Path(__file__).parent / "fixtures" / "hf-real"  # ../shared/fixtures/hf, copied as is
NEWEST = (REAL / "api-2026-06-12.json").read_bytes()  # saved without a date: the newest day
PARTIAL = (REAL / "api-2026-08-03-partial.json").read_bytes()
JUNE_12, AUGUST_3 = date(2026, 6, 12), date(2026, 8, 3)
TWO_PARAGRAPHS = "2606.13120"  # its abstract holds one paragraph break, "\n  "
THREE_PARAGRAPHS = "2606.09446"


def _entries(raw: bytes) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads(raw)
    return entries


def _as_in_2024(entry: dict[str, Any]) -> dict[str, Any]:
    """An entry with only the fields 2024's answers had (the fixtures' README)."""
    paper = entry["paper"]
    kept = ("id", "authors", "publishedAt", "title", "summary", "upvotes", "discussionId")
    outer = ("publishedAt", "title", "thumbnail", "numComments", "submittedBy")
    return {
        "paper": {key: paper[key] for key in kept if key in paper},
        **{key: entry[key] for key in outer if key in entry},
        "upvoted": False,
    }


# ---- the real shape, parsed ------------------------------------------------------------------


def test_every_paper_and_field_of_a_real_answer_is_read() -> None:
    listing = parse_listing(NEWEST, origin="api-2026-06-12.json")
    assert listing.day == JUNE_12, "the entries say which day they were featured"
    assert [e.arxiv_id for e in listing.entries] == [e["paper"]["id"] for e in _entries(NEWEST)]
    for entry, raw in zip(listing.entries, _entries(NEWEST), strict=True):
        paper = raw["paper"]
        assert entry.title == raw["title"]
        assert entry.authors == tuple(a["name"] for a in paper["authors"])
        assert entry.upvotes == paper["upvotes"], "0 is a count, not a missing value"
        assert entry.published == date.fromisoformat(paper["publishedAt"][:10])
        assert entry.keywords == tuple(paper["ai_keywords"])
        assert entry.github_url == paper.get("githubRepo")
        assert entry.project_url == paper.get("projectPage")
        organization = raw.get("organization")
        assert (entry.organization.handle if entry.organization else None) == (
            organization["name"] if organization else None
        )


def test_paragraphs_of_an_abstract_are_kept() -> None:
    by_id = {e.arxiv_id: e for e in parse_listing(NEWEST, origin="2026-06-12.json").entries}
    for arxiv_id, count in ((TWO_PARAGRAPHS, 2), (THREE_PARAGRAPHS, 3)):
        paragraphs = by_id[arxiv_id].abstract.split("\n\n")
        assert len(paragraphs) == count and all("\n" not in p for p in paragraphs)
        assert all(p == p.strip() and "  " not in p for p in paragraphs)


def test_a_saved_page_without_a_date_in_its_name_is_filed_under_the_day_it_states() -> None:
    entries = [_as_in_2024(e) for e in _entries(NEWEST)[:13]]  # 2024: no submittedOnDailyAt
    listing = parse_listing(day_page(entries, day="2024-08-01"), origin="Daily Papers.html")
    assert listing.day == date(2024, 8, 1) and len(listing.entries) == 13


def test_a_page_of_another_day_is_not_that_days_listing() -> None:
    entries = [_as_in_2024(e) for e in _entries(NEWEST)[:13]]
    with pytest.raises(ListingError, match="lists 2024-08-01, not 2024-08-03"):
        parse_listing(day_page(entries, day="2024-08-01"), origin="2024-08-03.html")


def test_entries_of_another_day_are_left_out_and_named() -> None:
    mixed = json.dumps(_entries(PARTIAL) + _entries(NEWEST)[:2]).encode()
    listing = parse_listing(mixed, origin="x.json", day=AUGUST_3)
    assert [e.arxiv_id for e in listing.entries] == [e["paper"]["id"] for e in _entries(PARTIAL)]
    (note,) = listing.notes
    assert "2 paper(s) of 2026-06-12 left out" in note and "2606.00467, 2606.12730" in note
    with pytest.raises(ListingError, match="lists 2026-06-12, not 2026-06-10"):
        parse_listing(NEWEST, origin="2026-06-10.json")


def test_a_papers_own_page_is_named_for_what_it_is() -> None:
    with pytest.raises(ListingError, match=r"the page of one paper \(2606.00467\), not a day's"):
        parse_listing(paper_page(_entries(NEWEST)[0]), origin="2606.00467.html")


def test_pages_one_after_another_are_one_listing_and_a_paper_on_two_pages_is_one() -> None:
    first, second = _entries(NEWEST)[:3], _entries(NEWEST)[2:5]  # the list moved by one
    second[0] = {**second[0], "paper": {**second[0]["paper"], "upvotes": 9}}
    raw = json.dumps(first).encode() + b"\n" + json.dumps(second).encode()
    listing = parse_listing(raw, origin="2026-06-12.json")
    assert [e.arxiv_id for e in listing.entries] == [e["paper"]["id"] for e in _entries(NEWEST)[:5]]
    assert listing.entries[2].upvotes == 9, "the higher count of the two"
    assert listing.notes == ("1 paper(s) listed twice (the list moved while paged), kept once",)
