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

import contextlib
import functools
import json
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from sitegen.abstracts import render_abstract
from sitegen.bylines import card_links, paper_links
from sitegen.cli import main
from sitegen.errors import ContentError, FetchError, ListingError
from sitegen.fetch import fetch_days
from sitegen.formats import parse_paper_file
from sitegen.hf_client import HF_URL, DayFetcher, FetchPolicy, FetchStopped, Validators
from sitegen.listings import parse_listing
from sitegen.model import Organization
from sitegen.store import load_content
from tests.conftest import (
    REPO,
    api_papers,
    ctrl_c_stops,
    digest_rules,
    sitegen_here,
    tree_bytes,
)
from tests.hf_server import (
    FakeTime,
    FaultyHF,
    Reply,
    api_pages,
    day_page,
    mock_fetcher,
    paper_page,
)
from tests.static_host import QuietHandler, serving_as
from tests.test_publish import _lines_until

REAL = Path(__file__).parent / "fixtures" / "hf-real"  # ../shared/fixtures/hf, copied as is
NEWEST = (REAL / "api-2026-06-12.json").read_bytes()  # saved without a date: the newest day
PARTIAL = (REAL / "api-2026-08-03-partial.json").read_bytes()
JUNE_12, AUGUST_3 = date(2026, 6, 12), date(2026, 8, 3)
AUGUST_3_MORNING = datetime(2026, 8, 3, 9, 17, tzinfo=UTC)  # a scheduled run's time
TWO_PARAGRAPHS = "2606.13120"  # its abstract holds one paragraph break, "\n  "
THREE_PARAGRAPHS = "2606.09446"
POLICY = FetchPolicy(read_timeout=2, connect_timeout=2, attempts=3, backoff=0.01, budget=60)


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


def _fetcher(
    handler: Callable[[httpx.Request], httpx.Response],
    policy: FetchPolicy = POLICY,
    time: FakeTime | None = None,
) -> tuple[DayFetcher, FakeTime]:
    return mock_fetcher(handler, policy=policy, time=time)


def _paging(pages: list[bytes], seen: list[str]) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.params["p"])
        number = int(request.url.params["p"])
        return httpx.Response(200, content=pages[number] if number < len(pages) else b"[]")

    return handler


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


# Every real entry held: the answers above and the entries of tests/topics/hf/ (its README),
# 704 papers, each read as a one-paper answer of the day it was featured on.
HELD = sorted((Path(__file__).parent / "topics" / "hf").glob("*.json"))
_LATEX_ESCAPE = re.compile(r"\\([#$%&_{}])")


def _featured_on(raw: dict[str, Any], answer: Path) -> str:
    """`submittedOnDailyAt`; entries saved without it carry their day in their file's name
    (excerpt-*) or, put in the API's shape by hand, in `publishedAt` (blog-*, mirror-*)."""
    paper = raw["paper"]
    if "submittedOnDailyAt" in paper:
        return str(paper["submittedOnDailyAt"])[:10]
    if answer.name.startswith("excerpt-"):
        return answer.name.removeprefix("excerpt-")[:10]
    return str(paper["publishedAt"])[:10]


@pytest.mark.parametrize("answer", HELD, ids=lambda path: path.name)
def test_every_field_of_every_real_entry_held_is_read(answer: Path) -> None:
    for raw in _entries(answer.read_bytes()):
        paper, day = raw["paper"], _featured_on(raw, answer)
        (entry,) = parse_listing(json.dumps([raw]).encode(), origin=f"{day}.json").entries
        assert entry.arxiv_id == paper["id"]
        # The outer title is the clean one; arXiv's LaTeX escapes read as their characters.
        title = " ".join((raw.get("title") or paper["title"]).split())
        assert entry.title == _LATEX_ESCAPE.sub(r"\1", title)
        # "\n" wraps a line, "\n  " starts a paragraph.
        paragraphs = re.split(r"\n[ \t]*\n|\n[ \t]+", paper["summary"])
        assert entry.abstract.split("\n\n") == [" ".join(p.split()) for p in paragraphs]
        # Every author, those marked `hidden` too (2606.12575's Dengyang Jiang).
        authors = paper.get("authors", [])
        assert entry.authors == tuple(a["name"] for a in authors)
        assert entry.authors_count == (len(authors) or None)
        organization = raw.get("organization") or paper.get("organization")
        assert entry.organization == (
            Organization(handle=organization["name"], name=organization["fullname"])
            if organization
            else None
        )
        assert entry.published == date.fromisoformat(paper["publishedAt"][:10])
        assert entry.upvotes == paper["upvotes"], "0 is a count, not a missing value"
        assert entry.keywords == tuple(paper.get("ai_keywords", ()))
        assert entry.github_url == paper.get("githubRepo")
        assert entry.project_url == paper.get("projectPage")


@pytest.mark.parametrize(
    ("published", "read"),
    [
        ("0001-01-01T00:00:00.000Z", None),  # a review: "Published Jan 1, 1" on its page
        ("9999-12-31T00:00:00.000Z", None),  # and "Dec 31, 9999"
        ("2026-06-13T02:00:00.000Z", date(2026, 6, 13)),  # a day ahead, east of UTC
        ("1991-08-14T00:00:00.000Z", date(1991, 8, 14)),  # arXiv's first day
    ],
)
def test_a_published_date_no_paper_of_the_day_can_have_is_unknown(
    published: str, read: date | None
) -> None:
    raw = _entries(NEWEST)[:1]
    raw[0]["paper"]["publishedAt"] = published
    (entry,) = parse_listing(json.dumps(raw).encode(), origin="2026-06-12.json").entries
    assert entry.published == read


def test_paragraphs_of_an_abstract_are_kept() -> None:
    by_id = {e.arxiv_id: e for e in parse_listing(NEWEST, origin="2026-06-12.json").entries}
    for arxiv_id, count in ((TWO_PARAGRAPHS, 2), (THREE_PARAGRAPHS, 3)):
        paragraphs = by_id[arxiv_id].abstract.split("\n\n")
        assert len(paragraphs) == count and all("\n" not in p for p in paragraphs)
        assert all(p == p.strip() and "  " not in p for p in paragraphs)


# 2603.07980 as Hugging Face sent it: arXiv's LaTeX, its title "\$OneMillion-Bench: ..." (an
# entry of tests/topics/hf/, which public projects saved from Daily Papers).
ONE_MILLION = Path(__file__).parent / "topics" / "hf" / "blog-2026-03-10-to-04-22.json"


@pytest.mark.parametrize(
    ("title", "read"),
    [
        (None, "$OneMillion-Bench: How Far are Language Agents from Human Experts?"),
        ("R\\&D Agents at 100\\% of \\#1: \\{x\\_1\\}", "R&D Agents at 100% of #1: {x_1}"),
        ("\\alpha-Flow and a\\\\b", "\\alpha-Flow and a\\\\b"),  # a command, a line break: text
    ],
)
def test_a_titles_latex_escape_reads_as_its_character_as_the_abstracts_do(
    title: str | None, read: str
) -> None:
    raw = [e for e in json.loads(ONE_MILLION.read_bytes()) if e["paper"]["id"] == "2603.07980"]
    if title is not None:
        raw[0]["title"] = raw[0]["paper"]["title"] = title
    (entry,) = parse_listing(json.dumps(raw).encode(), origin="2026-03-10.json").entries
    # The page showed "\$OneMillion-Bench" over an abstract that reads "$OneMillion-Bench".
    assert entry.title == read
    assert "Together, $OneMillion-Bench provides" in render_abstract(entry.abstract)


def test_a_text_captures_title_reads_its_latex_escape_as_the_api_answers_does(
    site: Path,
) -> None:
    """The page shows arXiv's LaTeX as it is ("\\$OneMillion-Bench"), so a text capture of it
    holds the escape too: read only in API answers, the site's title was "$OneMillion-Bench" or
    "\\$OneMillion-Bench" by which listing of the day came first."""
    (raw,) = [e for e in json.loads(ONE_MILLION.read_bytes()) if e["paper"]["id"] == "2603.07980"]
    title = raw["paper"]["title"]
    capture = site.parent / "2026-03-10.txt"
    summary = " ".join(raw["paper"]["summary"].split())
    capture.write_text(
        "\n\n".join(["Daily Papers", "Mar 10", title, summary, "·", "Mar 9, 2026 7"])
    )
    (entry,) = parse_listing(capture.read_bytes(), origin=capture.name).entries
    assert entry.title == "$OneMillion-Bench: How Far are Language Agents from Human Experts?"
    answer = site.parent / "2026-03-10.json"
    answer.write_text(
        json.dumps([raw | {"paper": raw["paper"] | {"submittedOnDailyAt": "2026-03-10"}}])
    )
    assert main(["--root", str(site), "ingest", str(capture)]) == 0
    assert main(["--root", str(site), "ingest", str(answer)]) == 0
    (paper,) = [p for p in load_content(site).papers.values() if "OneMillion" in p.title]
    assert paper.title == entry.title


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
    assert "2 papers of 2026-06-12 left out" in note and "'2606.00467', '2606.12730'" in note
    with pytest.raises(ListingError, match="lists 2026-06-12, not 2026-06-10"):
        parse_listing(NEWEST, origin="2026-06-10.json")


def test_an_id_left_out_is_named_as_text_a_terminal_or_a_log_cannot_run() -> None:
    """Found by a review: an id of another day was printed as sent, so escape sequences
    reached the terminal and "\n::error ...", "::add-mask::" lines the Actions log."""
    other = _entries(NEWEST)[0]
    hostile = "\x1b]0;HIJACK\x07\x1b[2J\n::error file=README.md,line=1::forged\n::add-mask::x"
    other["paper"]["id"] = hostile
    mixed = json.dumps([*_entries(PARTIAL), other] + _entries(NEWEST)[1:13]).encode()
    (note,) = parse_listing(mixed, origin="x.json", day=AUGUST_3).notes
    assert note.isprintable() and "\x1b" not in note and "\n" not in note
    assert "13 papers of 2026-06-12 left out" in note and note.endswith(" and 3 more")


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
    assert listing.notes == ("1 paper listed twice (the list moved while paged), kept once",)


# ---- fetching, with httpx.MockTransport ------------------------------------------------------


@pytest.mark.parametrize("per_page", [2, 50])
def test_a_day_is_paged_until_an_empty_page_and_kept_as_served(per_page: int) -> None:
    pages = api_pages(NEWEST, per_page=per_page)  # fewer than the 100 asked for
    seen: list[str] = []
    answer = _fetcher(_paging(pages, seen))[0].fetch_day(JUNE_12)
    assert answer.listing is not None and len(answer.listing.entries) == 30
    assert len(seen) == len(pages) + 1, "every page, and the empty one that ends the day"
    assert answer.raw == b"\n".join(pages), "the pages' bytes, one after another"


@pytest.mark.parametrize("per_page", [20, 30])
def test_a_304_for_the_first_page_is_believed_while_the_next_page_is_empty(
    per_page: int,
) -> None:
    # HF's ETag is of the page it comes with: a paper added to a full first page (full at the
    # server's own cap, which is not documented) goes to the next page, and the first page
    # is unchanged.
    entries = _entries(NEWEST)
    added = json.loads(json.dumps(entries[-1]))
    added["paper"]["id"] = "2606.99990"
    added["title"] = added["paper"]["title"] = "A paper added to the day's end"
    answers = [api_pages(NEWEST, per_page=per_page)]
    answers.append(api_pages(json.dumps([*entries, added]).encode(), per_page=per_page))
    assert answers[1][0] == answers[0][0], "the first page is the same"
    later = False

    def handler(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params["p"])
        if number == 0 and request.headers.get("If-None-Match") == '"first"':
            return httpx.Response(304)
        pages = answers[1] if later else answers[0]
        body = pages[number] if number < len(pages) else b"[]"
        return httpx.Response(200, content=body, headers={"ETag": '"first"'} if number == 0 else {})

    first = _fetcher(handler)[0].fetch_day(JUNE_12)
    assert first.validators == Validators(etag='"first"')
    same = _fetcher(handler)[0].fetch_day(JUNE_12, first.validators)
    if per_page < len(entries):  # the next page holds papers: the day is asked for whole
        assert same.listing is not None and len(same.listing.entries) == 30
    else:
        assert same.status == "unchanged"
    later = True
    again = _fetcher(handler)[0].fetch_day(JUNE_12, first.validators)
    assert again.status == "papers" and again.listing is not None
    assert len(again.listing.entries) == 31


def test_a_single_page_is_kept_byte_for_byte() -> None:
    answer = _fetcher(_paging([NEWEST], []))[0].fetch_day(JUNE_12)
    assert answer.raw == NEWEST and answer.suffix == ".json"


def test_paging_is_bounded() -> None:
    pages = api_pages(NEWEST, per_page=2)[:2]  # two pages, in turn, past any real day's end

    def handler(request: httpx.Request) -> httpx.Response:
        if "/api/" not in request.url.path:
            return httpx.Response(500)
        return httpx.Response(200, content=pages[int(request.url.params["p"]) % 2])

    with pytest.raises(FetchError, match="still lists papers after 20 pages"):
        _fetcher(handler)[0].fetch_day(JUNE_12)


def test_a_source_answering_every_page_alike_is_said_to_ignore_paging() -> None:
    page = api_pages(NEWEST, per_page=2)[0]
    asked: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        return httpx.Response(200 if "/api/" in request.url.path else 500, content=page)

    with pytest.raises(FetchError, match="page 2 with page 1's bytes again"):
        _fetcher(handler)[0].fetch_day(JUNE_12)
    assert asked.count("/api/daily_papers") == 2


def test_a_429_waits_as_long_as_its_ratelimit_header_says_and_never_asks_the_page() -> None:
    seen: list[str] = []
    replies = iter([httpx.Response(429, headers={"RateLimit": '"api";r=0;t=7'})])

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return next(replies, None) or httpx.Response(
            200, content=NEWEST if request.url.params.get("p") == "0" else b"[]"
        )

    fetcher, time = _fetcher(handler)
    assert fetcher.fetch_day(JUNE_12).status == "papers"
    assert time.slept == [7.0] and "/papers/date/2026-06-12" not in seen


def test_a_rate_limit_past_the_budget_stops_the_run_without_burning_retries() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return httpx.Response(429, headers={"RateLimit": '"api";r=0;t=120'})

    fetcher, time = _fetcher(handler, policy=FetchPolicy(budget=60))
    # Named by its source, here the fake's base URL (a review: a mirror's was "Hugging Face's").
    stop = "rate limited by http://hf.test: .* asked again in 120 s, past the 60 s budget"
    with pytest.raises(FetchStopped, match=stop):
        fetcher.fetch_day(JUNE_12)
    assert seen == ["/api/daily_papers"] and time.slept == []


def test_a_second_429_says_the_wait_already_spent_that_puts_it_past_the_budget() -> None:
    """Found by a month of scheduled runs replayed: Hugging Face answered 429 with
    `t=240` twice; the first was waited out, and the run stopped saying the request "may be
    asked again in 240 s, past the 300 s budget", which reads as a contradiction (240 < 300)
    in the run's error annotation: the 240 s already waited is what passes it."""
    limited = httpx.Response(429, headers={"RateLimit": '"api";r=0;t=240'})
    fetcher, time = _fetcher(lambda request: limited, policy=FetchPolicy())
    with pytest.raises(FetchStopped) as stopped:
        fetcher.fetch_day(JUNE_12)
    assert time.slept == [240.0]
    assert "asked again in 240 s, past the 300 s budget" in str(stopped.value)
    assert "budget (240 s of it spent already)" in str(stopped.value)


def test_a_window_spent_past_the_budget_stops_the_run_instead_of_waiting_it_out() -> None:
    # A 200 whose RateLimit says no request may follow for a day: the next request, of this
    # day's paging or another day's, is not waited for.
    def handler(request: httpx.Request) -> httpx.Response:
        first = request.url.params.get("p") == "0"
        return httpx.Response(
            200, content=NEWEST if first else b"[]", headers={"RateLimit": '"api";r=0;t=86400'}
        )

    fetcher, time = _fetcher(handler, policy=FetchPolicy(budget=60))
    said: list[str] = []
    fetcher.on_wait = said.append
    stop = "rate limited by http://hf.test: no request may be made for 86400 s, past the 60 s"
    with pytest.raises(FetchStopped, match=stop):
        fetcher.fetch_day(JUNE_12)
    assert time.slept == [] and said == []


def test_retries_that_keep_a_log_waiting_are_said_in_it() -> None:
    """Found by a new user's trial: a source that took connections and never answered was
    tried again for minutes, and a log showed nothing. A retry after a quick failure and a
    short wait is not said."""
    fetcher, time = _fetcher(
        lambda request: httpx.Response(503), policy=FetchPolicy(attempts=5, backoff=1.0)
    )
    said: list[str] = []
    fetcher.on_wait = said.append
    with pytest.raises(FetchError):
        fetcher.fetch_day(JUNE_12)
    assert time.slept[:4] == [1.0, 2.0, 4.0, 8.0]
    api = f"http://hf.test/api/daily_papers?date={JUNE_12}&p=0&limit=100"
    assert said == [  # the API's, then its page's
        f"{JUNE_12}: {api}: HTTP 503; trying again in 8 s (5 of 5)",
        f"{JUNE_12}: http://hf.test/papers/date/{JUNE_12}: HTTP 503; trying again in 8 s (5 of 5)",
    ]


def test_a_timeout_after_a_429_is_said_as_a_timeout_and_the_page_is_tried() -> None:
    """Found by a review: after a 429, every later failure of the request kept its status, so
    a timeout was not said in the log, and the day failed as rate limited, its page untried."""
    asked: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        if len(asked) == 1:
            return httpx.Response(429, headers={"Retry-After": "1"})
        raise httpx.ReadTimeout("timed out", request=request)

    fetcher, time = _fetcher(handler, policy=FetchPolicy(attempts=4, backoff=8.0))
    said: list[str] = []
    fetcher.on_wait = said.append
    with pytest.raises(FetchError) as failed:
        fetcher.fetch_day(JUNE_12)
    assert "ReadTimeout" in str(failed.value) and "/papers/date/" in asked[-1]
    api = f"http://hf.test/api/daily_papers?date={JUNE_12}&p=0&limit=100"
    assert f"{JUNE_12}: {api}: ReadTimeout: timed out; trying again in 16 s (3 of 4)" in said


def test_the_day_that_met_the_stop_keeps_its_reason_for_the_next_run(site: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("date") == str(AUGUST_3):
            return httpx.Response(429, headers={"RateLimit": '"api";r=0;t=3600'})
        return httpx.Response(200, content=b"[]")

    fetcher, time = _fetcher(handler, policy=FetchPolicy(budget=60, concurrency=1))
    report = fetch_days(
        site,
        [AUGUST_3 - timedelta(days=1), AUGUST_3],
        source=fetcher,
        now=AUGUST_3_MORNING,
        digests=digest_rules(site),
    )
    assert "past the 60 s budget" in report.stopped and time.slept == []
    state = json.loads((site / "content" / "fetch-state.json").read_text())
    assert "asked again in 3600 s" in state[str(AUGUST_3)]["problem"]


@pytest.mark.parametrize(
    ("base_url", "source"), [(HF_URL, "Hugging Face"), ("http://hf.test/", "http://hf.test")]
)
def test_a_429_wait_is_said_once_as_long_as_it_is(base_url: str, source: str) -> None:
    # RateLimit's t and Retry-After disagree: the longer is waited, and said, once, naming
    # the source: not Hugging Face when --source names another (a new user's trial).
    replies = iter(
        [httpx.Response(429, headers={"RateLimit": '"api";r=0;t=2', "Retry-After": "12"})]
    )

    def handler(request: httpx.Request) -> httpx.Response:
        return next(replies, None) or httpx.Response(
            200, content=NEWEST if request.url.params.get("p") == "0" else b"[]"
        )

    fetcher, time = mock_fetcher(handler, policy=POLICY, base_url=base_url)
    said: list[str] = []
    fetcher.on_wait = said.append
    assert fetcher.fetch_day(JUNE_12).status == "papers"
    assert time.slept == [12.0]
    assert said == [f"rate limited by {source}: waiting 12 s (budget 60 s)"]


def test_a_year_of_backfill_stays_under_the_anonymous_quota_and_finishes(site: Path) -> None:
    """HF allows 500 API requests per 5-minute window; a year is 730 (a page and `[]` a day)."""
    time = FakeTime()
    arrivals: list[float] = []
    entry = _entries(PARTIAL)[0]

    def quota_keeping_hf(request: httpx.Request) -> httpx.Response:
        arrivals.append(time.now)
        recent = [t for t in arrivals if t > time.now - 300]
        if len(recent) > 500:
            return httpx.Response(429, headers={"RateLimit": '"api";r=0;t=300'})
        day = request.url.params["date"]
        featured = {**entry["paper"], "submittedOnDailyAt": f"{day}T00:00:00.000Z"}
        page = [{**entry, "paper": featured}] if request.url.params["p"] == "0" else []
        headers = {"RateLimit": f'"api";r={500 - len(recent)};t=300'}
        return httpx.Response(200, json=page, headers=headers)

    fetcher, _ = mock_fetcher(
        quota_keeping_hf, policy=FetchPolicy(concurrency=1), time=time, base_url=HF_URL
    )
    said: list[str] = []  # found by a trial: minutes of waiting, and not a line in a log
    fetcher.on_wait = said.append
    days = [AUGUST_3 - timedelta(days=n) for n in range(365)]
    report = fetch_days(
        site, days, source=fetcher, now=AUGUST_3_MORNING, digests=digest_rules(site)
    )
    assert not report.missed and not report.stopped
    assert said and all(
        re.fullmatch(
            r"pacing API requests under the quota of Hugging Face \(450 in 300 s\): the next in "
            r"\d+ s",
            line,
        )
        for line in said
    ), said
    assert len(said) <= 2, "said once a wait, not once a request"
    assert len(arrivals) == 730 and all(
        len([t for t in arrivals if start <= t < start + 300]) <= 450 for start in arrivals
    ), "a tenth of the quota left for the user's own browsing"
    assert time.now < 2 * 300, "and no slower than the quota needs"
    stored = load_content(site)
    paper_id = entry["paper"]["id"]
    assert paper_id in stored.papers
    assert sum(any(e.paper_id == paper_id for e in d.entries) for d in stored.days.values()) == 365


def test_empty_days_paced_by_the_page_quota_say_it_is_the_pages(site: Path) -> None:
    """Found by a new user's trial: a backfill of empty days (each confirmed by its page)
    waited on the page quota, 90 in 300 s, and said "pacing requests under the quota (90 in
    300 s)", which docs/fetching.md's "450 API and 90 page requests" did not explain."""
    time = FakeTime()

    def empty_days(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/daily_papers":
            return httpx.Response(200, json=[])
        return httpx.Response(404)  # no page for the day: it stays empty

    fetcher, _ = mock_fetcher(empty_days, policy=FetchPolicy(concurrency=1), time=time)
    said: list[str] = []
    fetcher.on_wait = said.append
    days = [AUGUST_3 - timedelta(days=n) for n in range(1, 100)]
    fetch_days(site, days, source=fetcher, now=AUGUST_3_MORNING, digests=digest_rules(site))
    assert said and all(
        re.fullmatch(
            r"pacing page requests under the quota of http://hf\.test \(90 in 300 s\): the next"
            r" in \d+ s",
            line,
        )
        for line in said
    ), said


# ---- end to end: sitegen against a real server on 127.0.0.1 --------------------------------


def _fetch(root: Path, url: str, *args: str) -> int:
    return main(["--root", str(root), "fetch", "--base-url", url + "/", "--timeout", "2", *args])


@pytest.mark.parametrize("per_page", [None, 2, 50])
def test_a_fetch_of_the_real_answers_reaches_the_api_the_paper_pages_and_the_day_pages(
    hf: tuple[FaultyHF, str], site: Path, tmp_path: Path, per_page: int | None
) -> None:
    source, url = hf
    source.serve_answer("2026-06-12", NEWEST, per_page=per_page)
    source.serve_answer("2026-08-03", PARTIAL, per_page=per_page)
    assert _fetch(site, url, "--date", "2026-06-12") == 0
    assert _fetch(site, url, "--date", "2026-08-03") == 0
    assert main(["--root", str(site), "build"]) == 0

    entries = _entries(NEWEST) + _entries(PARTIAL)
    records = {r["id"]: r for r in api_papers(site / "public")}
    assert set(records) == {e["paper"]["id"] for e in entries}
    for entry in entries:
        paper = entry["paper"]
        record = records[paper["id"]]
        assert record["title"] == entry["title"] and record["upvotes"] == paper["upvotes"]
        assert record["authors"] == [a["name"] for a in paper["authors"]]
        assert record["published"] == paper["publishedAt"][:10]
        assert record["days"] == [paper["submittedOnDailyAt"][:10]]
        organization = entry.get("organization")
        assert record["organization"] == (organization["fullname"] if organization else None)
        page = (site / "public/papers" / paper["id"] / "index.html").read_text()
        for link in (paper.get("githubRepo"), paper.get("projectPage")):
            assert link is None or f'href="{link}"' in page
    for day, listed in (("2026-06-12", _entries(NEWEST)), ("2026-08-03", _entries(PARTIAL))):
        day_page_html = (site / "public/days" / day / "index.html").read_text()
        assert all(f"papers/{e['paper']['id']}/" in day_page_html for e in listed)
    page = (site / "public/papers" / THREE_PARAGRAPHS / "index.html").read_text()
    assert page.count("<p>Advances in handwritten") == 1 and "<p>Our contributions" in page

    # What was kept replays to the same content, byte for byte, but for what a fetch alone
    # knows: the newest day was had after it ended (these answers send no validators), when
    # the papers of a day no older than the newest held came (`added`), and when the digest
    # items came out: June 12's with the first fetch (had after it ended), the others with the
    # second.
    replay = tmp_path / "replay"
    replay.mkdir()
    (replay / "site.toml").write_bytes((site / "site.toml").read_bytes())
    kept = sorted((site / "content/listings").iterdir())
    assert [p.name for p in kept] == ["2026-06-12.json", "2026-08-03.json"]
    assert main(["--root", str(replay), "ingest", *map(str, kept)]) == 0
    fetched = tree_bytes(site / "content")
    assert json.loads(fetched.pop("fetch-state.json")) == {"2026-08-03": {"whole": "yes"}}
    stamped = fetched["days/2026-08-03.toml"]
    assert stamped.count(b", added = ") == len(_entries(PARTIAL))
    second_fetch = min(re.findall(rb", added = ([0-9T:Z-]+)", stamped)).decode()
    digest_dates = {
        item: at.strftime("%Y-%m-%dT%H:%M:%SZ")
        for item, at in tomllib.loads(fetched.pop("digests.toml").decode()).items()
    }
    assert digest_dates.pop("2026-06-12") <= second_fetch
    assert digest_dates == {item: second_fetch for item in ("2026-W24", "2026-06", "2026-08-03")}
    replayed = tree_bytes(replay / "content")
    by_hand = tomllib.loads(replayed.pop("digests.toml").decode())  # dated by their day
    assert by_hand["2026-W24"] == datetime(2026, 6, 14, tzinfo=UTC)
    assert by_hand.keys() == {"2026-06-12", "2026-W24", "2026-06"}  # no fetch had Aug 3 whole
    assert b"added" not in fetched["days/2026-06-12.toml"]  # the first day: history filled in
    fetched["days/2026-08-03.toml"] = re.sub(rb", added = [0-9T:Z-]+", b"", stamped)
    assert replayed == fetched


def test_a_429_with_ratelimit_is_waited_out_end_to_end(
    hf: tuple[FaultyHF, str], site: Path
) -> None:
    source, url = hf
    too_many = Reply(429, headers=(("RateLimit", '"api";r=0;t=1'),))
    source.serve_answer("2026-06-12", NEWEST, first=(too_many,))
    started = time.monotonic()
    assert _fetch(site, url, "--date", "2026-06-12") == 0
    assert time.monotonic() - started >= 1.0, "t=1 was honoured"
    assert not any(path.startswith("/papers/") for path, _ in source.requests)
    assert len(load_content(site).days[JUNE_12].entries) == 30


def test_a_page_of_another_day_is_reported_and_nothing_is_filed_under_the_wrong_day(
    hf: tuple[FaultyHF, str], site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, url = hf
    in_2024 = [_as_in_2024(e) for e in _entries(NEWEST)[:13]]
    august_1 = day_page(in_2024, day="2024-08-01")
    source.set("2024-08-01", [Reply(500)], [Reply(200, august_1)])
    source.set("2024-08-02", [Reply(200, b"[]")])
    source.set("2024-08-03", [Reply(500)], [Reply(200, august_1)])  # what HF shows for Saturday
    status = _fetch(site, url, "--since", "2024-08-01", "--until", "2024-08-03", "--attempts", "1")
    err = capsys.readouterr().err
    assert status == 3 and "2024-08-03: FAILED" in err
    assert "this answer lists 2024-08-01, not 2024-08-03" in err
    days = load_content(site).days
    assert list(days) == [date(2024, 8, 1)], "the right day is kept, the wrong one not filed"
    assert len(days[date(2024, 8, 1)].entries) == 13


def test_a_day_that_is_over_and_empty_in_the_api_is_had_from_its_page_when_that_lists_papers(
    hf: tuple[FaultyHF, str], site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The API's `[]` for a day that is over (a glitch, a cache) was believed: the day was
    never asked again, its papers missing for good. Its page is asked too; a day still filling,
    today's, is not (its `[]` is asked again by the next run anyway)."""
    source, url = hf
    source.set(
        "2026-06-12",
        [Reply(200, b"[]")],
        [Reply(200, day_page(_entries(NEWEST), day="2026-06-12"))],
    )
    assert _fetch(site, url, "--date", "2026-06-12") == 0
    assert len(load_content(site).days[JUNE_12].entries) == 30
    assert (
        "2026-06-12: note: the API lists no papers for this day, which is over; its page lists 30:"
        " used the HTML page"
    ) in capsys.readouterr().err
    today = datetime.now(UTC).date().isoformat()
    source.set(today, [Reply(200, b"[]")], [Reply(200, day_page(_entries(NEWEST), day=today))])
    assert _fetch(site, url, "--date", today) == 0
    assert not any(path.startswith(f"/papers/date/{today}") for path, _ in source.requests)
    assert date.fromisoformat(today) not in load_content(site).days


def test_a_weekend_page_showing_the_day_before_leaves_the_apis_empty_answer_in_silence() -> None:
    """What Hugging Face shows for a Saturday is Friday's page (issue #14). For a day over
    that the API lists no papers for, that page was taken for one that does not read (`its
    page does not read (this answer lists 2024-08-02, not 2024-08-03 ...)`, as if Hugging
    Face had changed its page), and no later day's page of the run was asked: a weekday the
    API then answered `[]` (a glitch, a cache) stayed empty for good, which is what its
    page is asked for. A page of another day leaves the API's answer as it was, as a 404."""
    in_2024 = [_as_in_2024(e) for e in _entries(NEWEST)[:13]]
    pages = {
        "2024-08-03": day_page(in_2024, day="2024-08-02"),  # Saturday: Friday's page
        "2024-08-05": day_page(in_2024, day="2024-08-05"),  # Monday: its own
    }

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith("/papers/date/"):
            return httpx.Response(200, content=pages[request.url.path.rsplit("/", 1)[1]])
        return httpx.Response(200, content=b"[]")

    fetcher = _fetcher(handler)[0]
    saturday = fetcher.fetch_day(date(2024, 8, 3), past=True)
    assert saturday.status == "empty" and saturday.notes == ()
    monday = fetcher.fetch_day(date(2024, 8, 5), past=True)
    assert monday.listing is not None and len(monday.listing.entries) == 13


# Also with --attempts 1 (found by the flag driver): no retry ever failed to connect, so every
# day was asked, and a year's backfill waited out the quota's pacing for half an hour.
@pytest.mark.parametrize("attempts", [(), ("--attempts", "1")])
def test_an_unreachable_host_stops_the_run_at_once_with_one_line(
    site: Path, capsys: pytest.CaptureFixture[str], attempts: tuple[str, ...]
) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    started = time.monotonic()
    status = _fetch(site, url, "--since", "2026-06-01", "--until", "2026-06-10", *attempts)
    out, err = capsys.readouterr()
    assert status == 1 and time.monotonic() - started < 5
    (line,) = [line for line in err.splitlines() if not line.startswith("  hint:")]
    assert line.startswith(f"sitegen: fetch stopped: cannot reach {url} (ConnectError")
    assert "10 days not fetched" in out and not (site / "content").exists()


# What a source that never answers whole sends before it stalls: nothing; or its headers and
# a first byte (a proxy whose upstream hung, a server trickling a byte a second).
_STALLS = {
    "nothing": b"",
    "headers": b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 99\r\n\r\n[",
}


@pytest.mark.parametrize("sent", _STALLS)
def test_a_source_that_takes_connections_and_never_answers_stops_the_run_after_one_request(
    site: Path, capsys: pytest.CaptureFixture[str], sent: str
) -> None:
    """Found by a new user's trial: a source that accepted connections and answered nothing
    cost five minutes a day (each attempt's read timeout, the API's and then the page's), so a
    month's backfill outlasted the scheduled job's hour; a refused connection stops at once.
    Found by a maintainer's trial since: one that sent its headers and then stalled, or
    trickled (ten minutes a day then, each attempt's 60 s), still cost that for every day."""
    asked: list[bytes] = []
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        listener.settimeout(0.1)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        held: list[socket.socket] = []  # open, and never answered
        done = threading.Event()

        def accept() -> None:
            while not done.is_set():
                with contextlib.suppress(TimeoutError):
                    connection, _ = listener.accept()
                    connection.settimeout(5)
                    asked.append(connection.recv(4096).split(b"\r\n", 1)[0])
                    connection.sendall(_STALLS[sent])
                    held.append(connection)

        thread = threading.Thread(target=accept)
        thread.start()
        try:
            started = time.monotonic()
            month = ("--since", "2026-06-01", "--until", "2026-06-30")
            status = _fetch(site, url, *month, "--attempts", "2", "--timeout", "0.5")
            took = time.monotonic() - started
        finally:
            done.set()
            thread.join()
            for connection in held:
                connection.close()
    out, err = capsys.readouterr()
    assert status == 1
    (line,) = [line for line in err.splitlines() if not line.startswith("  hint:")]
    said = f"sitegen: fetch stopped: {url} answered nothing in time, neither the API nor the"
    assert line.startswith(said) and "ReadTimeout" in line, err
    assert "nothing more was asked" in err
    # The days fetched at once (3) asked the API and then the page twice each; no later day.
    assert len(asked) <= 12 and all(
        b"date=2026-06-0" in a or b"/date/2026-06-0" in a for a in asked
    )
    assert took < 15, "two attempts of 0.5 s and a backoff, twice, not 2 s a day for 30 days"
    assert "30 days not fetched" in out and not (site / "content").exists()


def test_a_source_that_redirects_to_what_never_answers_has_answered(
    hf: tuple[FaultyHF, str], site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by a review: a redirect within the source is an answer; the day failed then, but
    the run was stopped as for a source that answered nothing."""
    source, url = hf
    moved = Reply(302, headers=(("Location", "/hang"),))
    source.set("2026-06-12", [moved], [moved])
    source.routes["/hang"] = [Reply(200, b"[]", delay=3)]
    args = ("--date", "2026-06-12", "--timeout", "1", "--attempts", "1")
    assert main(["--root", str(site), "fetch", "--base-url", url, *args]) == 1  # no day had
    err = capsys.readouterr().err
    assert "2026-06-12: FAILED" in err and "answered nothing" not in err, err


def test_an_api_that_never_answers_leaves_the_days_to_their_pages(
    hf: tuple[FaultyHF, str], site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by a review: a run stopped once the API's attempts had all timed out, before the
    day's page, which answered, was asked."""
    source, url = hf
    late = Reply(200, NEWEST, delay=3)
    source.set(
        "2026-06-12", [late, late], [Reply(200, day_page(_entries(NEWEST), day="2026-06-12"))]
    )
    args = ("--date", "2026-06-12", "--timeout", "1", "--attempts", "2")
    assert main(["--root", str(site), "fetch", "--base-url", url, *args]) == 0
    out, err = capsys.readouterr()
    assert "2026-06-12: 30 papers" in out and "used the HTML page" in err, (out, err)


def test_an_api_that_timed_out_at_every_attempt_is_not_waited_on_again_in_the_run(
    hf: tuple[FaultyHF, str], site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A maintainer's trial (h3): an API that stalls while the days' pages answer cost each
    day its API attempts (five minutes with the defaults) before its page was asked: a
    month's backfill 50 minutes. Once the API has answered nothing in time, the run's other
    days go to their pages."""
    source, url = hf
    late = Reply(200, NEWEST, delay=3)
    days = [f"2026-06-{day:02d}" for day in range(1, 10)]
    for day in days:
        featured = [
            {**e, "paper": {**e["paper"], "submittedOnDailyAt": f"{day}T00:00:00.000Z"}}
            for e in _entries(NEWEST)
        ]
        source.set(day, [late], [Reply(200, day_page(featured, day=day))])
    args = ("--since", days[0], "--until", days[-1], "--timeout", "1", "--attempts", "2")
    assert main(["--root", str(site), "fetch", "--base-url", url, *args]) in (0, 3)
    api_days = {path for path, _ in source.requests if path.startswith("/api/")}
    # The days in flight when the first stall ended (three at once) asked it; no later one.
    assert len(api_days) <= 3, sorted(api_days)
    assert "API: skipped" in capsys.readouterr().err


def test_an_api_that_stalls_after_answering_is_not_waited_on_again_in_the_run(
    hf: tuple[FaultyHF, str], site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A maintainer's trial (h4): an API that answered the first days of a backfill and then
    stalled cost every later day all its attempts before its page was asked (five minutes a
    day with the defaults): the API was skipped only for a stall from the run's start."""
    source, url = hf
    late = Reply(200, NEWEST, delay=3)
    days = [f"2026-06-{day:02d}" for day in range(1, 13)]
    for day in days[:3]:  # answered at once: no papers those days
        source.set(day, [Reply(200, b"[]")])
    for day in days[3:]:
        featured = [
            {**e, "paper": {**e["paper"], "submittedOnDailyAt": f"{day}T00:00:00.000Z"}}
            for e in _entries(NEWEST)
        ]
        source.set(day, [late], [Reply(200, day_page(featured, day=day))])
    args = ("--since", days[0], "--until", days[-1], "--timeout", "1", "--attempts", "2")
    assert main(["--root", str(site), "fetch", "--base-url", url, *args]) == 0
    api_days = {p.split("date=")[1][:10] for p, _ in source.requests if p.startswith("/api/")}
    # The days in flight when the first stall ended (three at once) asked it; no later one.
    assert len(api_days - set(days[:3])) <= 3, sorted(api_days)
    assert "API: skipped" in capsys.readouterr().err


def _fetched_from(handler: type[QuietHandler], root: Path, *args: str) -> int:
    """`sitegen fetch` of a local server answering as `handler` does."""
    with serving_as(handler) as server:
        return _fetch(root, f"http://127.0.0.1:{server.server_address[1]}", *args)


class _RedirectingApi(QuietHandler):
    """The API redirected off the host, each day's page missing."""

    location = "http://elsewhere.invalid/api"

    def do_GET(self) -> None:
        if self.path.startswith("/api/"):
            self.send_response(302)
            self.send_header("Location", self.location)
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_error(404)


def test_a_source_that_redirects_some_requests_is_not_said_to_answer_all_with_404(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A hostile-input trial: an API that answered with redirects alone, its pages 404, was
    said to answer every request with 404 Not Found."""
    status = _fetched_from(_RedirectingApi, site, "--date", "2026-06-01")
    err = capsys.readouterr().err
    assert status == 1 and "redirects to http://elsewhere.invalid/api" in err
    assert "404 Not Found: it is not Daily Papers" not in err


class _RedirectingApiToABadHost(_RedirectingApi):
    """The API redirected to a host idna refuses, each day's page missing."""

    location = "http://xn--a/api"


def test_a_source_that_redirects_to_a_host_idna_refuses_is_not_said_to_answer_all_with_404(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A review: such a redirect was said in a branch of its own, which recorded neither its
    status nor that the source answered (the branch of a redirect outside the source does
    both): the run then said "answered every request with 404 Not Found: it is not Daily
    Papers", the fault the test above was written against."""
    status = _fetched_from(_RedirectingApiToABadHost, site, "--date", "2026-06-01")
    err = capsys.readouterr().err
    assert status == 1 and "redirects to an address no one can reach" in err, err
    assert "it is not Daily Papers" not in err


class _RedirectingWithin(QuietHandler):
    """Every address redirected to one under /www/ on the same host, which is missing."""

    def do_GET(self) -> None:
        if self.path.startswith("/www/"):
            self.send_error(404)
            return
        self.send_response(301)
        self.send_header("Location", "/www" + self.path)
        self.send_header("Content-Length", "0")
        self.end_headers()


def test_a_source_that_redirects_within_itself_to_404_is_named_as_the_wrong_source(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A review: once every redirect counted as an answer, a source whose redirects, followed,
    all ended in 404 was no longer named as the wrong one."""
    status = _fetched_from(_RedirectingWithin, site, "--date", "2026-06-01")
    err = capsys.readouterr().err
    assert status == 1 and "404 Not Found: it is not Daily Papers" in err


def test_a_server_that_is_not_daily_papers_is_named_as_the_wrong_source(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by a new user's trial: `--source` (then `--base-url`) at a plain file server
    (every address 404) said only "FAILED: no usable answer (API: HTTP 404 ...)" for each
    day."""
    files = tmp_path / "files"
    files.mkdir()
    handler = functools.partial(QuietHandler, directory=str(files))
    with serving_as(handler) as server:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        status = _fetch(site, url, "--since", "2026-06-01", "--until", "2026-06-02")
    err = capsys.readouterr().err
    assert status == 1 and "2026-06-01: FAILED" in err
    assert f"{url} answered every request with 404 Not Found: it is not Daily Papers" in err
    assert "hint: check --source" in err
    assert not (site / "content").exists()


def test_a_source_whose_api_never_answers_is_not_blamed_on_its_pages_404(
    hf: tuple[FaultyHF, str], site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The only statuses were the page's 404, but the API's answer was never had: the message
    that the source "answered every request with 404" would be untrue (a review's point)."""
    source, url = hf
    late = Reply(200, NEWEST, delay=3)
    source.set("2026-06-12", [late, late], [Reply(404, b"Not Found")])
    args = ("--date", "2026-06-12", "--timeout", "1", "--attempts", "2")
    assert main(["--root", str(site), "fetch", "--base-url", url, *args]) == 1
    err = capsys.readouterr().err
    assert "2026-06-12: FAILED" in err and "HTTP 404" in err, err
    assert "it is not Daily Papers" not in err


def test_a_day_the_source_does_not_know_is_not_blamed_on_the_source(
    hf: tuple[FaultyHF, str], site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, url = hf
    source.serve_answer("2026-06-12", NEWEST)
    assert _fetch(site, url, "--since", "2026-06-11", "--until", "2026-06-12") == 3
    err = capsys.readouterr().err
    assert "2026-06-11: FAILED" in err and "it is not Daily Papers" not in err


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ('http://x" onmouseover="alert(1)', None),
        ("javascript:alert(1)", None),
        ("https://", None),
        ("HTTPS://github.com/a/b", "https://github.com/a/b"),
        ("https://github.com/a/b", "https://github.com/a/b"),
        ("https://a.github.io/demo, https://b.github.io/code", None),  # sitegen 0.x kept it
    ],
)
def test_a_link_is_kept_only_as_an_http_url_with_a_host(given: str, kept: str | None) -> None:
    """Found by a review: `http://x" onmouseover=...` was kept (inert, escaped, but not a
    URL: the HTML checker refused every page showing it), and "HTTPS://" was dropped."""
    entry = _entries(NEWEST)[0]
    entry["paper"]["githubRepo"] = entry["paper"]["projectPage"] = given
    (parsed,) = parse_listing(json.dumps([entry]).encode(), origin="2026-06-12.json").entries
    assert parsed.github_url == kept and parsed.project_url == kept
    if '"' not in given:  # a paper file's `github`: linked only as a URL, and one that an
        # earlier sitegen wrote still builds (found by a review: it stopped every build)
        text = f'+++\ntitle = "T"\ngithub = "{given}"\n+++\nAbstract.\n'
        if not given.lower().startswith("http"):
            with pytest.raises(ContentError, match="an http"):
                parse_paper_file(text, path="content/papers/t.md")
        else:
            paper = parse_paper_file(text, path="content/papers/t.md")
            for links in (paper_links(paper), list(card_links(paper))):
                assert [link.href for link in links if link.text == "Code"] == [kept] * bool(kept)


def test_a_static_mirror_that_ignores_paging_is_said_to_after_two_api_requests(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by a new user's trial: a real answer saved where the API's path is, under a plain
    file server (which answers every page with the file), was asked 20 times, and the error
    blamed the API's paging as if Hugging Face had changed it."""
    mirror = tmp_path / "mirror"
    (mirror / "api").mkdir(parents=True)
    (mirror / "api" / "daily_papers").write_bytes(PARTIAL)
    asked: list[str] = []

    class Counting(QuietHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            super().do_GET()

    handler = functools.partial(Counting, directory=str(mirror))
    with serving_as(handler) as server:
        status = _fetch(
            site, f"http://127.0.0.1:{server.server_address[1]}", "--date", "2026-08-03"
        )
    said = capsys.readouterr()
    assert status != 0
    assert (
        "page 2 with page 1's bytes again: the source ignores paging (the `p` parameter; a "
        "mirror must answer [] past a day's last page)" in said.out + said.err
    )
    assert [path.split("?")[0] for path in asked] == [
        "/api/daily_papers", "/api/daily_papers", "/papers/date/2026-08-03",
    ]  # fmt: skip
    assert not (site / "content").exists()


def test_saved_answers_served_as_the_readme_says_are_fetched(site: Path) -> None:
    """The README's way to try `fetch` offline: `python -m tests.hf_server ANSWER.json...`,
    then the command it prints (a new user's trial found no way but the tests' own code)."""
    answers = [str(REAL / "api-2026-08-03-partial.json"), str(REAL / "api-2026-06-12.json")]
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.hf_server", *answers],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=ctrl_c_stops,
    )
    try:
        assert server.stdout is not None
        said = "".join(_lines_until(server.stdout, "sitegen fetch", timeout=60))
        command = re.search(r"sitegen (fetch --source \S+ .*)\n", said)
        assert command and "--since 2026-06-12 --until 2026-08-03" in command[1], said
        result = sitegen_here("--root", str(site), *command[1].split())
        assert result.returncode == 0, result.stderr
        assert "2026-06-12: 30 papers" in result.stdout and "2026-08-03: 3 papers" in result.stdout
        # The days between: none, as Hugging Face answers a day without papers.
        assert "2026-06-13 to 2026-08-02: no papers those days" in result.stdout
        papers = {p.stem for p in (site / "content" / "papers").glob("*.md")}
        assert papers == {e["paper"]["id"] for e in _entries(PARTIAL) + _entries(NEWEST)}
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=30) == 0
    finally:
        if server.poll() is None:
            server.kill()
        server.communicate()
