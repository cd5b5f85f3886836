"""The live source: HF Daily Papers API answers (JSON) and saved pages (HTML, via selectolax).

API entry: {"paper": {"id", "title", "summary", "authors": [{"name", "hidden"}], "publishedAt",
"submittedOnDailyAt", "upvotes", "ai_keywords", "githubRepo", "projectPage", ...}, "title",
"summary", "organization": {"name", "fullname"}, ...}. Fields come and go: an absent field is
unknown, never zero (tests/fixtures/hf-real/README.md describes the real shape, 2024-2026). A
page carries the same entries as JSON in the `data-props` attribute of its
`[data-target="DailyPapers"]` element, beside the `date` it shows; without them, the paper
cards' links and titles are read so a markup change still yields the titles and arXiv ids.

An answer states its own day (the page's `date`, each entry's `paper.submittedOnDailyAt` since
2025): entries of another day are left out of the listing, never filed under the wrong day
(issue #14). A kept answer of a paged day is its pages as served, one after another.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from sitegen.clean import clean_line, web_url
from sitegen.errors import ListingError, Location, OtherDayListing, first_of
from sitegen.listings.base import Listing, ListingEntry, json_kind, latex_escapes_read
from sitegen.model import MAX_COUNT, Organization, is_arxiv_id
from sitegen.wording import counted


def parse_hf_json(text: str, *, origin: str, day: date | None) -> Listing:
    """An API answer (a JSON array of entries, or an object holding `dailyPapers`), or the pages
    of one day's answer as served, one after another (what fetch keeps of a paged day)."""
    entries: list[Any] = []
    stated: date | None = None
    for page in _json_values(text, origin=origin):
        if isinstance(page, dict) and isinstance(page.get("dailyPapers"), list):
            _check_period(page, origin=origin)
            stated = stated or _iso_day(page.get("date"))
            page = page["dailyPapers"]
        if not isinstance(page, list):
            raise ListingError(
                "not a Daily Papers listing: expected a JSON array of papers (an API answer), "
                f"found {json_kind(page)}",
                location=Location(origin, 1),
                hint="give an /api/daily_papers answer, a saved page or a text capture",
            )
        entries.extend(page)
    return _listing_from_entries(
        entries, origin=origin, day=_checked_day(day, stated, origin=origin), shape="hf-json"
    )


def _json_values(text: str, *, origin: str) -> Iterator[Any]:
    """The JSON texts of `text`, one after another (a single answer is one of them)."""
    decoder = json.JSONDecoder()
    position = start = _after_space(text, 0)
    while True:
        try:
            value, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            if position == start and not _JSON_START.match(text, start):  # "[build-system]"
                raise ListingError(
                    f"not a Daily Papers listing: it starts with {text[start]!r} but is not JSON",
                    location=Location(origin, error.lineno),
                    hint="give an /api/daily_papers answer, a saved page or a text capture",
                ) from None
            raise ListingError(
                f"invalid JSON: {error.msg} (column {error.colno})",
                location=Location(origin, error.lineno),
                hint="the answer is truncated or not JSON; fetch the day again",
            ) from None
        except RecursionError:  # arrays in arrays, thousands deep: no answer looks like that
            raise ListingError(
                "not a Daily Papers listing: its JSON is nested too deeply to read",
                location=Location(origin, text.count("\n", 0, position) + 1),
                hint="give an /api/daily_papers answer, a saved page or a text capture",
            ) from None
        except ValueError as error:  # a number of over 4,300 digits (int's own limit)
            raise ListingError(
                f"unusable JSON: {str(error)[:80]}",
                location=Location(origin, text.count("\n", 0, position) + 1),
                hint="the answer holds values no real listing has; report the source",
            ) from None
        yield value
        position = _after_space(text, position)
        if position == len(text):
            return


_JSON_SPACE = re.compile(r"[ \t\n\r]*")  # what JSON allows between values
# How a JSON array or object starts: a text that starts otherwise ("[build-system]", "[ tool ]",
# "{ name: 1 }") is not JSON at all, not an answer cut short.
_JSON_START = re.compile(r'\[[ \t\n\r]*(?:[\]\[{"\d-]|true\b|false\b|null\b)|\{[ \t\n\r]*["}]')


def _after_space(text: str, position: int) -> int:
    match = _JSON_SPACE.match(text, position)
    return match.end() if match else position


def parse_hf_html(text: str, *, origin: str, day: date | None) -> Listing:
    """A saved Daily Papers or search page."""
    _check_nesting(text, origin=origin)
    tree = LexborHTMLParser(text)
    for node in tree.css("[data-props]"):
        props_text = node.attributes.get("data-props") or ""
        if "paper" not in props_text.lower():  # "dailyPapers": [] of a day without papers
            continue
        try:
            props = json.loads(props_text)
        except (ValueError, RecursionError):  # not JSON, or a number of 4,300 digits and more
            continue
        if node.attributes.get("data-target") == "PaperContent":
            paper_id = _text(_dict(_dict(props).get("paper")).get("id")) or "?"
            raise ListingError(
                f"this is the page of one paper ({paper_id}), not a day's listing",
                location=Location(origin),
                hint="give a day's page (/papers/date/YYYY-MM-DD) or an /api/daily_papers answer",
            )
        entries = _entries_in_props(props)
        if entries is not None:
            _check_period(props, origin=origin)
            listing_day = _checked_day(day, _iso_day(props.get("date")), origin=origin)
            return _listing_from_entries(entries, origin=origin, day=listing_day, shape="hf-html")
    cards = _cards(tree)
    if cards:
        return _listing_from_entries(cards, origin=origin, day=day, shape="hf-cards")
    title = tree.css_first("title")
    titled = clean_line(title.text()) if title is not None else ""
    raise ListingError(
        "no papers found in the page"
        + (f" (titled {ascii(titled[:60])})" if titled else "")
        + ": neither its data-props nor paper cards are there",
        location=Location(origin),
        hint="a login, error or rate-limit page is no listing: save the day's page again; "
        "if it is a Daily Papers page, its markup changed: report it",
    )


def _check_period(props: dict[str, Any], *, origin: str) -> None:
    """Refuse a week's or a month's page (`periodType`, since 2025): its papers are of
    several days, and filed under one they were."""
    period = props.get("periodType")
    if period is not None and period != "day":
        raise ListingError(
            f"this is a page of a {ascii(period)[1:-1][:20]}, not a day's listing",
            location=Location(origin),
            hint="give a day's page (/papers/date/YYYY-MM-DD) or an /api/daily_papers answer",
        )


# Deeper nesting than any real page has: 200,000 nested elements took the parser minutes to
# refuse (issue #19). A Daily Papers page nests about 20 deep.
MAX_HTML_DEPTH = 1_000
# [^<>]: a "<" never closed by ">" ends the scan of that tag, so it stays linear.
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^<>]*?(/?)>")
# Elements without an end tag, or whose end tag may be left out: not counted as nesting.
_NOT_NESTING = frozenset(
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td",
        "th", "thead", "tbody", "tfoot", "rb", "rt", "rp", "html", "head", "body",
    }
)  # fmt: skip


def _check_nesting(text: str, *, origin: str) -> None:
    """Refuse a page nested past MAX_HTML_DEPTH, before it is parsed: its tags are counted,
    which takes linear time."""
    depth = 0
    for match in _TAG.finditer(text):
        closing, name, self_closing = match.groups()
        if closing:
            depth = max(0, depth - 1)
        elif not self_closing and name.lower() not in _NOT_NESTING:
            depth += 1
            if depth > MAX_HTML_DEPTH:
                raise ListingError(
                    f"the page nests its elements over {MAX_HTML_DEPTH:,} deep: "
                    "not a Daily Papers page",
                    location=Location(origin, text.count("\n", 0, match.start()) + 1),
                    hint="give a day's page as Hugging Face serves it",
                )


def _checked_day(wanted: date | None, stated: date | None, *, origin: str) -> date | None:
    """The listing's day: the one asked for, which must be the one the answer states."""
    if wanted and stated and wanted != stated:
        # A page asked for one day may show another (issue #14: 2024-08-01's for 2024-08-03).
        raise OtherDayListing(
            f"this answer lists {stated.isoformat()}, not {wanted.isoformat()}: "
            "it is not that day's listing",
            location=Location(origin),
            hint=f"nothing is filed under {wanted.isoformat()}; "
            "ingest it without --date, named after the day it lists",
        )
    return wanted or stated


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
        # The text as a browser shows it: text(strip=True) joined "MiniMax <span>Sparse</span>
        # Attention" into "MiniMaxSparseAttention".
        cards.append({"paper": {"id": arxiv_id, "title": clean_line(link.text())}})
    return cards


def _listing_from_entries(
    raw_entries: Sequence[Any], *, origin: str, day: date | None, shape: str
) -> Listing:
    listing_day = day or _featured_day(raw_entries)
    if listing_day is None:
        raise ListingError(
            "cannot tell which day this answer lists",
            location=Location(origin),
            hint="pass --date YYYY-MM-DD, or name the file after its day (2025-10-31.json)",
        )
    entries: list[ListingEntry] = []
    position: dict[str, int] = {}  # identity -> index in entries
    elsewhere: dict[date, list[str]] = defaultdict(list)  # another day -> its papers here
    twice = 0
    for index, raw in enumerate(raw_entries, 1):
        paper = _dict(_dict(raw).get("paper"))
        featured = _iso_day(paper.get("submittedOnDailyAt"))
        if featured is not None and featured != listing_day:
            elsewhere[featured].append(_text(paper.get("id")) or "?")
            continue
        entry = _entry(raw, index, origin=origin)
        if entry.published and not _FIRST_ARXIV_DAY <= entry.published <= listing_day + _A_DAY:
            # A date no paper of the day can have (a review: "Published Jan 1, 1" and "Dec 31,
            # 9999" on its page), unknown then, as a text capture's is refused.
            entry = dataclasses.replace(entry, published=None)
        identity = entry.arxiv_id or entry.title
        if identity in position:
            # The list moved while it was paged: the same paper on two pages is one paper,
            # at its first place, with the higher count.
            first = entries[position[identity]]
            upvotes = max(
                (n for n in (first.upvotes, entry.upvotes) if n is not None), default=None
            )
            entries[position[identity]] = dataclasses.replace(first, upvotes=upvotes)
            twice += 1
            continue
        position[identity] = len(entries)
        entries.append(entry)
    if elsewhere and not entries:
        stated = ", ".join(sorted(d.isoformat() for d in elsewhere))
        raise OtherDayListing(
            f"this answer lists {stated}, not {listing_day.isoformat()}: "
            "it is not that day's listing",
            location=Location(origin),
            hint=f"nothing is filed under {listing_day.isoformat()}",
        )
    notes = [
        f"{counted(len(ids), 'paper')} of {other.isoformat()} left out, not filed under "
        # Quoted: an id is the source's text, which a terminal or an Actions log must not
        # take for commands (escape sequences, "\n::error ...").
        f"{listing_day.isoformat()}: {first_of([ascii(i)[:60] for i in ids], 10)}"
        for other, ids in sorted(elsewhere.items())
    ]
    if twice:
        notes.append(
            f"{counted(twice, 'paper')} listed twice (the list moved while paged), kept once"
        )
    return Listing(
        day=listing_day, entries=tuple(entries), origin=origin, shape=shape, notes=tuple(notes)
    )


_FIRST_ARXIV_DAY = date(1991, 8, 14)  # arXiv's first paper
_A_DAY = timedelta(days=1)  # the day after, in time zones east of the listing's


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
    title = latex_escapes_read(clean_line(_text(raw.get("title")) or _text(paper.get("title"))))
    if not title:
        raise ListingError(
            f"paper {index} has no title",
            location=where,
            hint="the answer is incomplete; fetch the day again or report it",
        )
    authors = [a for a in _list(paper.get("authors")) if isinstance(a, dict)]
    # A name that shows nothing (spaces, a zero-width space) is an author counted, not named.
    names = tuple(name for a in authors if (name := clean_line(_text(a.get("name")))))
    # Its version taken off ("2401.00001v2"), as the papers' files keep them: an id with one
    # was dropped, and the paper then made twice (a review).
    arxiv_id = re.sub(r"(?<=\d)v\d+$", "", _text(paper.get("id")))
    organization = _dict(raw.get("organization")) or _dict(paper.get("organization"))
    handle = clean_line(_text(organization.get("name")))
    keywords = paper.get("ai_keywords")
    return ListingEntry(
        title=title,
        abstract=_abstract(_text(paper.get("summary")) or _text(raw.get("summary"))),
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
        upvotes=_count(paper.get("upvotes"), f"paper {index}: upvotes", where),
        keywords=tuple(clean_line(k) for k in keywords if isinstance(k, str) and clean_line(k))
        if isinstance(keywords, list)
        else (),
        github_url=_url(paper.get("githubRepo")),
        project_url=_url(paper.get("projectPage")),
    )


# arXiv abstracts wrap lines with "\n" and start a paragraph with "\n  " (issue #14).
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n|\n[ \t]+")


def _abstract(text: str) -> str:
    """Paragraphs kept (a blank line between them, as Markdown reads it), lines joined."""
    paragraphs = (clean_line(part) for part in _PARAGRAPH_BREAK.split(text))
    return "\n\n".join(p for p in paragraphs if p)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _count(value: Any, what: str, where: Location) -> int | None:
    """A count; not a whole number is unknown, but one past MAX_COUNT refuses the answer: the
    source is broken or hostile (issue #19)."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        return None
    if value > MAX_COUNT:
        raise ListingError(
            f"{what} {_shortened(str(value))} is out of range (at most {MAX_COUNT:,})",
            location=where,
            hint="the answer is damaged or not from Daily Papers; report the source",
        )
    return value


def _shortened(digits: str) -> str:
    return digits if len(digits) <= 20 else f"{digits[:20]}... ({len(digits)} digits)"


def _url(value: Any) -> str | None:
    return web_url(clean_line(_text(value)))


def _iso_day(value: Any) -> date | None:
    try:
        return date.fromisoformat(_text(value)[:10])
    except ValueError:
        return None
