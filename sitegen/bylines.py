"""A paper's byline, as a card, its page, a feed item and the search index show it: who
wrote it (`authors_line`, `named_authors`) and where else to read it (`card_links`,
`paper_links`; the day in words is sitegen.dates'). Plain values: pages, feeds and search
use them without loading the page renderer.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlencode

from sitegen.clean import web_url
from sitegen.listings.base import HF_URL
from sitegen.model import Paper
from sitegen.wording import counted


@dataclass(frozen=True, slots=True)
class Link:
    text: str
    href: str


ARXIV = "https://arxiv.org/"


@dataclass(frozen=True, slots=True, kw_only=True)
class Elsewhere:
    """Where a paper of an arXiv id is read elsewhere, each address less the id, which follows:
    the cards' and paper pages' links, and the search and 404 pages' scripts (given it)."""

    hugging_face: str
    arxiv: str  # its abstract's page
    pdf: str


ELSEWHERE = Elsewhere(hugging_face=f"{HF_URL}/papers/", arxiv=f"{ARXIV}abs/", pdf=f"{ARXIV}pdf/")


def card_links(paper: Paper) -> Iterator[Link]:
    """The paper's links a card shows, short: only those that lead to the paper itself (a
    paper without arXiv id has no Hugging Face page, only a search, which its page links)."""
    return _links(paper, hugging_face="HF", project="Project")


def paper_links(paper: Paper) -> list[Link]:
    """Where else to read the paper: Hugging Face, arXiv and its PDF, code, project page. A
    paper without arXiv id (most of a plain-text listing's) has no known page there: arXiv's
    search of its title instead, so that its page is not a dead end (found by a reader)."""
    links = list(_links(paper, hugging_face="Hugging Face", project="Project page"))
    if not paper.arxiv_id:
        query = urlencode({"query": paper.title, "searchtype": "title"})
        links.insert(0, Link("Find it on arXiv", f"{ARXIV}search/?{query}"))
    return links


def _links(paper: Paper, *, hugging_face: str, project: str) -> Iterator[Link]:
    if paper.arxiv_id:
        yield Link(hugging_face, ELSEWHERE.hugging_face + paper.arxiv_id)
        yield Link("arXiv", ELSEWHERE.arxiv + paper.arxiv_id)
        yield Link("PDF", ELSEWHERE.pdf + paper.arxiv_id)
    # A link only where it is a URL: a paper file of sitegen 0.x may hold one that is not
    # ("https://a.io/x, https://b.io/y"), which a build reads, as it did, and leaves unlinked.
    if code := web_url(paper.github_url or ""):
        yield Link("Code", code)
    if page := web_url(paper.project_url or ""):
        yield Link(project, page)


# Names a paper's page shows at once and a feed item carries: a 2024 paper has 533 authors,
# whose names filled a phone's first 6,000 px and a reader's item header (a reader's trial).
AUTHORS_NAMED = 20


def named_authors(authors: tuple[str, ...], unnamed: int = 0) -> tuple[str, ...]:
    """The first AUTHORS_NAMED names, then "and N more" for the rest, if any: the names past
    them and the `unnamed` authors (`unnamed_authors`), as `authors_line` counts them."""
    more = len(authors) - min(len(authors), AUTHORS_NAMED) + unnamed
    if not authors or more <= 0:
        return authors
    return (*authors[:AUTHORS_NAMED], f"and {more} more")


def unnamed_authors(paper: Paper) -> int:
    """The authors the listing counted but gave no name of (a name that shows nothing)."""
    return max(0, (paper.authors_count or 0) - len(paper.authors))


def authors_line(paper: Paper) -> str:
    """Who wrote it, as briefly as the listing allows: three names, else the count."""
    if paper.authors:
        names = ", ".join(paper.authors[:3])
        # Counted past the names a listing gave (an author of no name: counted, not named).
        more = len(paper.authors) - min(3, len(paper.authors)) + unnamed_authors(paper)
        return f"{names} and {more} more" if more > 0 else names
    return authors_counted(paper.authors_count) if paper.authors_count else ""


def authors_counted(count: int) -> str:
    return counted(count, "author")
