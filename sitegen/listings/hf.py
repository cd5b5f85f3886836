"""The live source: HF Daily Papers API answers (JSON) and saved pages (HTML, via selectolax).

API entry: {"paper": {"id", "title", "summary", "authors": [{"name", "hidden"}], "publishedAt",
"submittedOnDailyAt", "upvotes", "ai_keywords", "githubRepo", "projectPage", ...}, "title",
"summary", "organization": {"name", "fullname"}, ...}. Fields come and go: an absent field is
unknown, never zero. A page carries the same entries as JSON in the `data-props` attribute of
its `[data-target="DailyPapers"]` element; without it, the paper cards' links and titles are
read so a markup change still yields the titles and arXiv ids.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from sitegen.errors import ListingError, Location
from sitegen.listings.base import Listing, ListingEntry
from sitegen.model import Organization, clean_line, is_arxiv_id


def parse_hf_json(text: str, *, origin: str, day: date | None) -> Listing:
    """An API answer (a JSON array of entries, or an object holding `dailyPapers`)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ListingError(
            f"invalid JSON: {error.msg} (column {error.colno})",
            location=Location(origin, error.lineno),
            hint="the answer is truncated or not JSON; fetch the day again",
        ) from None
    if isinstance(data, dict) and isinstance(data.get("dailyPapers"), list):
        data = data["dailyPapers"]
    if not isinstance(data, list):
        raise ListingError(
            "not a Daily Papers listing: expected a JSON array of papers (an API answer), "
            f"found a JSON {type(data).__name__}",
            location=Location(origin, 1),
            hint="give an /api/daily_papers answer, a saved page or a text capture",
        )
    return _listing_from_entries(data, origin=origin, day=day, shape="hf-json")


def parse_hf_html(text: str, *, origin: str, day: date | None) -> Listing:
    """A saved Daily Papers or search page."""
    tree = LexborHTMLParser(text)
    for node in tree.css("[data-props]"):
        props_text = node.attributes.get("data-props") or ""
        if "paper" not in props_text:
            continue
        try:
            props = json.loads(props_text)
        except json.JSONDecodeError:
            continue
        entries = _entries_in_props(props)
        if entries is not None:
            return _listing_from_entries(entries, origin=origin, day=day, shape="hf-html")
    cards = _cards(tree)
    if cards:
        return _listing_from_entries(cards, origin=origin, day=day, shape="hf-html")
    raise ListingError(
        "no papers found in the page: neither its data-props nor paper cards are there",
        location=Location(origin),
        hint="the page markup changed; save the page and report it",
    )


def _entries_in_props(props: Any) -> list[Any] | None:
    if isinstance(props, dict):
        for key in ("dailyPapers", "papers", "searchResults"):
            value = props.get(key)
            if isinstance(value, list):
                return value
    return None


def _cards(tree: LexborHTMLParser) -> list[dict[str, Any]]:
    cards: list[dict[str, Any]] = []
    for article in tree.css("article"):
        link = article.css_first('h3 a[href^="/papers/"]') or article.css_first(
            'a[href^="/papers/"]'
        )
        if link is None:
            continue
        arxiv_id = (link.attributes.get("href") or "").removeprefix("/papers/").split("?")[0]
        cards.append({"paper": {"id": arxiv_id, "title": link.text(strip=True)}})
    return cards


def _listing_from_entries(
    raw_entries: Sequence[Any], *, origin: str, day: date | None, shape: str
) -> Listing:
    entries = [_entry(raw, index, origin=origin) for index, raw in enumerate(raw_entries, 1)]
    listing_day = day or _featured_day(raw_entries)
    if listing_day is None:
        raise ListingError(
            "cannot tell which day this answer lists",
            location=Location(origin),
            hint="pass --date YYYY-MM-DD, or name the file after its day (2025-10-31.json)",
        )
    return Listing(day=listing_day, entries=tuple(entries), origin=origin, shape=shape)


def _featured_day(raw_entries: Sequence[Any]) -> date | None:
    days = Counter(
        day
        for raw in raw_entries
        if isinstance(raw, dict)
        and (day := _iso_day(_dict(raw.get("paper")).get("submittedOnDailyAt")))
    )
    return days.most_common(1)[0][0] if days else None


def _entry(raw: Any, index: int, *, origin: str) -> ListingEntry:
    where = Location(origin)
    if not isinstance(raw, dict):
        raise ListingError(f"paper {index} is not a JSON object", location=where, hint="report it")
    paper = _dict(raw.get("paper"))
    title = clean_line(_text(raw.get("title")) or _text(paper.get("title")))
    if not title:
        raise ListingError(
            f"paper {index} has no title",
            location=where,
            hint="the answer is incomplete; fetch the day again or report it",
        )
    authors = [a for a in paper.get("authors") or [] if isinstance(a, dict)]
    names = tuple(clean_line(_text(a.get("name"))) for a in authors if _text(a.get("name")))
    arxiv_id = _text(paper.get("id"))
    organization = _dict(raw.get("organization")) or _dict(paper.get("organization"))
    handle = clean_line(_text(organization.get("name")))
    keywords = paper.get("ai_keywords")
    return ListingEntry(
        title=title,
        abstract=clean_line(_text(paper.get("summary")) or _text(raw.get("summary"))),
        line=index,
        arxiv_id=arxiv_id if is_arxiv_id(arxiv_id) else None,
        authors=names,
        authors_count=len(authors) if authors else None,
        organization=Organization(
            handle=handle, name=clean_line(_text(organization.get("fullname"))) or handle
        )
        if handle
        else None,
        published=_iso_day(paper.get("publishedAt")),
        upvotes=_count(paper.get("upvotes")),
        keywords=tuple(clean_line(k) for k in keywords if isinstance(k, str) and clean_line(k))
        if isinstance(keywords, list)
        else (),
        github_url=_url(paper.get("githubRepo")),
        project_url=_url(paper.get("projectPage")),
    )


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _url(value: Any) -> str | None:
    text = clean_line(_text(value))
    return text if text.startswith(("https://", "http://")) else None


def _iso_day(value: Any) -> date | None:
    try:
        return date.fromisoformat(_text(value)[:10])
    except ValueError:
        return None
