"""HTML pages and the site's other files: view models in Python, presentation in templates.

Templates receive ready values (text, relative hrefs, pre-rendered abstract HTML) and decide
nothing. Abstracts are Markdown rendered by markdown-it-py with raw HTML and images off, so no
listing can put markup, script or a remote request into a page.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from html import escape
from itertools import groupby
from typing import Any
from urllib.parse import quote

from jinja2 import Environment
from markdown_it import MarkdownIt
from markupsafe import Markup

from sitegen.listings.base import HF_URL
from sitegen.model import Paper
from sitegen.publish import Artifact
from sitegen.site import DayListing, Site, TopicListing, sitemap_blocks
from sitegen.urls import ListingRoutes, Route, Routes

# The commonmark preset turns raw HTML *on*; images would make readers fetch remote URLs.
_MARKDOWN = MarkdownIt("commonmark", {"html": False}).disable("image")
HF_PAPER = f"{HF_URL}/papers/"
ARXIV = "https://arxiv.org/"


def render_abstract(text: str) -> str:
    """The abstract as safe HTML."""
    html: str = _MARKDOWN.render(text)
    return html


def summarize(text: str, limit: int) -> str:
    """The abstract's first `limit` characters, cut at a word."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


@dataclass(frozen=True, slots=True)
class Link:
    text: str
    href: str


@dataclass(frozen=True, slots=True)
class FeedLink:
    title: str
    href: str
    type: str  # MIME type


@dataclass(frozen=True, slots=True)
class Card:
    """A paper in a list."""

    title: str
    href: str
    rank: int | None
    upvotes: int | None
    byline: str
    published: str
    summary: str
    topics: tuple[Link, ...]


class _Renderer:
    def __init__(self, site: Site, routes: Routes, env: Environment, abstracts: Mapping[str, str]):
        self.site, self.routes, self.env, self.abstracts = site, routes, env, abstracts
        self.topic_names = {t.topic.slug: t.topic.name for t in site.topics}
        self.site_feeds = routes.home()
        self.card_template = env.get_template("_card.html")
        self.cards: dict[tuple[str, str, int | None], Markup] = {}

    def page(
        self,
        template: str,
        route: Route,
        *,
        title: str,
        feeds: ListingRoutes | None,
        description: str | None = None,
        absolute_links: bool = False,
        **values: Any,
    ) -> Artifact:
        def href(target: Route) -> str:
            if absolute_links:
                return self.routes.root_relative(target)
            return Routes.relative(route, target)

        feed_routes = feeds or self.site_feeds
        feed_title = title if feeds else self.site.config.title
        context = {
            "lang": self.site.config.language,
            "site_title": self.site.config.title,
            "page_title": title if route.url else self.site.config.title,
            "description": description or self.site.config.description,
            "canonical": self.routes.absolute(route),
            "css": href(self.routes.stylesheet()),
            "icon": href(self.routes.icon()),
            "nav": self.nav(href, route),
            "home": href(self.routes.home().html),
            "alternates": (
                FeedLink(f"{feed_title} (RSS)", href(feed_routes.rss), "application/rss+xml"),
                FeedLink(f"{feed_title} (Atom)", href(feed_routes.atom), "application/atom+xml"),
            ),
            **values,
        }
        html = self.env.get_template(template).render(context)
        return Artifact(route.path, html.encode())

    def nav(self, href: Callable[[Route], str], current: Route) -> tuple[tuple[Link, bool], ...]:
        sections = (
            ("Days", self.routes.days_index().html),
            ("Topics", self.routes.topics_index()),
            ("Feeds", self.routes.feeds_page()),
        )
        return tuple((Link(name, href(r)), current.url.startswith(r.url)) for name, r in sections)

    def card(self, paper: Paper, source: Route, *, rank: int | None = None) -> Markup:
        """A paper in a list, rendered once per link depth and rank, then reused."""
        prefix = "../" * source.path.count("/")  # cards link from the root, so any page of
        key = (paper.id, prefix, rank)  # the same depth can reuse them
        if (html := self.cards.get(key)) is None:
            card = Card(
                title=paper.title,
                href=prefix + self.routes.paper(paper.id).url,
                rank=rank,
                upvotes=paper.upvotes,
                byline=byline(paper),
                published=human_date(paper.published) if paper.published else "",
                summary=summarize(paper.abstract, self.site.config.pages.summary_chars),
                topics=tuple(
                    Link(self.topic_names[slug], prefix + self.routes.topic(slug).html.url)
                    for slug in self.site.paper_topics[paper.id]
                ),
            )
            html = self.cards[key] = Markup(self.card_template.render(card=card))
        return html

    def day_page(
        self, index: int, listing: DayListing, route: ListingRoutes, *, home: bool
    ) -> Artifact:
        newer = self.site.days[index - 1] if index > 0 else None
        older = self.site.days[index + 1] if index + 1 < len(self.site.days) else None
        target = self.routes.home().html if home else route.html

        def href(r: Route) -> str:
            return Routes.relative(target, r)

        title = f"Papers of {human_date(listing.day)}"
        return self.page(
            "day.html",
            target,
            title=title,
            feeds=self.routes.home() if home else route,
            heading=title,
            is_home=home,
            count=len(listing.papers),
            cards=[self.card(p, target, rank=i) for i, p in enumerate(listing.papers, start=1)],
            newer=Link(human_date(newer.day), href(self.routes.day(newer.day).html))
            if newer
            else None,
            older=Link(human_date(older.day), href(self.routes.day(older.day).html))
            if older
            else None,
            day_feeds=(Link("RSS", href(route.rss)), Link("Atom", href(route.atom))),
        )


class AbstractHTML(Mapping[str, str]):
    """Each paper's abstract as HTML, rendered on first use (a build process renders only the
    abstracts of the pages and feeds it writes)."""

    def __init__(self, papers: Iterable[Paper]) -> None:
        # Papers, not their abstracts: reading a paper's fields unpacks it (see model.Paper).
        self._papers = {paper.id: paper for paper in papers}
        self._html: dict[str, str] = {}

    def __getitem__(self, paper_id: str) -> str:
        html = self._html.get(paper_id)
        if html is None:
            html = self._html[paper_id] = render_abstract(self._papers[paper_id].abstract)
        return html

    def __iter__(self) -> Iterator[str]:
        return iter(self._papers)

    def __len__(self) -> int:
        return len(self._papers)


class SitePages:
    """Renders any one page or file of the site; pages rendered by one instance share cards."""

    def __init__(
        self, site: Site, routes: Routes, env: Environment, abstracts: Mapping[str, str]
    ) -> None:
        self.site, self.routes = site, routes
        self._r = _Renderer(site, routes, env, abstracts)

    def home(self) -> Artifact:
        if not self.site.days:
            return self._r.page(
                "empty.html",
                self.routes.home().html,
                title=self.site.config.title,
                feeds=self.routes.home(),
            )
        return self._r.day_page(
            0, self.site.days[0], self.routes.day(self.site.days[0].day), home=True
        )

    def day(self, index: int) -> Artifact:
        listing = self.site.days[index]
        return self._r.day_page(index, listing, self.routes.day(listing.day), home=False)

    def days_index(self) -> Artifact:
        return _days_index(self._r)

    def topics_index(self) -> Artifact:
        return _topics_index(self._r)

    def topic(self, index: int, page: int | None) -> Artifact:
        """A topic's front page (`page` None) or archive page."""
        return _topic_page(self._r, self.site.topics[index], page)

    def paper(self, index: int) -> Artifact:
        return _paper_page(self._r, self.site.papers[index])

    def feeds_page(self) -> Artifact:
        return _feeds_page(self._r)

    def not_found(self) -> Artifact:
        return self._r.page(
            "404.html",
            self.routes.not_found(),
            title="Page not found",
            feeds=None,
            absolute_links=True,
        )

    def robots(self) -> Artifact:
        sitemap = self.routes.absolute(self.routes.sitemap())
        text = f"User-agent: *\nAllow: /\nSitemap: {sitemap}\n"
        return Artifact(self.routes.robots().path, text.encode())

    def sitemap(self) -> Artifact:
        """The sitemap index."""
        return _sitemap_index(self.site, self.routes)

    def sitemap_of_pages(self) -> Artifact:
        return _sitemap_of_pages(self.site, self.routes)

    def sitemap_of_papers(self, number: int) -> Artifact:
        """The sitemap of the papers of block `number` (1-based) of `sitemap_blocks`."""
        return _sitemap_of_papers(self.site, self.routes, number)

    def papers_api(self, known: Mapping[str, str]) -> tuple[Artifact, dict[str, str]]:
        """Every paper as a JSON object; `known` holds records (by paper id) that are still
        right, so only the others are made. Returns the file and every record."""
        return _papers_api(self.site, self.routes, known)


def _days_index(r: _Renderer) -> Artifact:
    route = r.routes.days_index()

    def href(target: Route) -> str:
        return Routes.relative(route.html, target)

    months = [
        (
            month,
            [
                (Link(human_date(d.day), href(r.routes.day(d.day).html)), len(d.papers))
                for d in days
            ],
        )
        for month, days in groupby(r.site.days, key=lambda d: d.day.strftime("%B %Y"))
    ]
    return r.page("days.html", route.html, title="All days", feeds=route, months=months)


def _topics_index(r: _Renderer) -> Artifact:
    route = r.routes.topics_index()

    def href(target: Route) -> str:
        return Routes.relative(route, target)

    topics = [
        (
            Link(t.topic.name, href(r.routes.topic(t.topic.slug).html)),
            t.topic.description,
            len(t.papers),
        )
        for t in r.site.topics
    ]
    return r.page("topics.html", route, title="Topics", feeds=None, topics=topics)


def _topic_page(r: _Renderer, listing: TopicListing, number: int | None) -> Artifact:
    """The front page (`number` None) or an archive page: what it shows never depends on
    papers newer than its own, except the front page's."""
    size = r.site.config.pages.topic_page_size
    slug = listing.topic.slug
    archive = listing.archive_pages(size)
    route = r.routes.topic(slug, number)

    def href(page: int | None) -> str:
        return Routes.relative(route.html, r.routes.topic(slug, page).html)

    if number is None:
        papers = listing.front_page(size)
        title = listing.topic.name
        newer = None
        older = href(archive) if archive else None
        span = None
    else:
        papers = listing.archive_page(number, size)
        title = f"{listing.topic.name}, page {number}"
        newer = href(number + 1 if number < archive else None)
        older = href(number - 1) if number > 1 else None
        span = ((number - 1) * size + 1, number * size)
    return r.page(
        "topic.html",
        route.html,
        title=title,
        feeds=route,
        description=listing.topic.description,
        topic=listing.topic,
        count=len(listing.papers) if number is None else None,
        span=span,
        cards=[r.card(p, route.html) for p in papers],
        newest=href(None) if number is not None else None,
        oldest=href(1) if archive and number != 1 else None,
        newer=newer,
        older=older,
    )


def _paper_page(r: _Renderer, paper: Paper) -> Artifact:
    route = r.routes.paper(paper.id)

    def href(target: Route) -> str:
        return Routes.relative(route, target)

    links = [
        Link(
            "Hugging Face",
            HF_PAPER + paper.arxiv_id
            if paper.arxiv_id
            else f"{HF_URL}/papers?q={quote(paper.title)}",
        )
    ]
    if paper.arxiv_id:
        links += [
            Link("arXiv", f"{ARXIV}abs/{paper.arxiv_id}"),
            Link("PDF", f"{ARXIV}pdf/{paper.arxiv_id}"),
        ]
    if paper.github_url:
        links.append(Link("GitHub", paper.github_url))
    if paper.project_url:
        links.append(Link("Project page", paper.project_url))
    featured = [
        Link(f"{human_date(a.day)} (#{a.rank})", href(r.routes.day(a.day).html))
        for a in r.site.appearances.get(paper.id, ())
    ]
    return r.page(
        "paper.html",
        route,
        title=paper.title,
        feeds=None,
        description=summarize(paper.abstract, 200),
        paper=paper,
        byline=byline(paper),
        published=human_date(paper.published) if paper.published else None,
        abstract_html=r.abstracts[paper.id],
        links=links,
        featured=featured,
        topics=[
            Link(r.topic_names[s], href(r.routes.topic(s).html))
            for s in r.site.paper_topics[paper.id]
        ],
    )


def _feeds_page(r: _Renderer) -> Artifact:
    route = r.routes.feeds_page()

    def href(target: Route) -> str:
        return Routes.relative(route, target)

    home, digest = r.routes.home(), r.routes.days_index()
    rows = [
        (
            "All papers",
            f"The newest {r.site.config.feeds.items} papers",
            href(home.rss),
            href(home.atom),
            href(r.routes.json_feed()),
        ),
        (
            "Daily digest",
            "One item per day, linking the day's page",
            href(digest.rss),
            href(digest.atom),
            None,
        ),
    ]
    rows += [
        (
            t.topic.name,
            t.topic.description,
            href(r.routes.topic(t.topic.slug).rss),
            href(r.routes.topic(t.topic.slug).atom),
            None,
        )
        for t in r.site.topics
    ]
    return r.page(
        "feeds.html", route, title="Feeds", feeds=None, rows=rows, opml=href(r.routes.opml())
    )


def _sitemap_index(site: Site, routes: Routes) -> Artifact:
    parts = ["pages"] + [f"papers-{n}" for n in range(1, len(sitemap_blocks(site)) + 1)]
    entries = "".join(
        f"<sitemap><loc>{_xml_text(routes.absolute(routes.sitemap_part(name)))}</loc></sitemap>\n"
        for name in parts
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}</sitemapindex>\n"
    )
    return Artifact(routes.sitemap().path, xml.encode())


def _sitemap_of_pages(site: Site, routes: Routes) -> Artifact:
    pages = [
        routes.home().html,
        routes.days_index().html,
        routes.topics_index(),
        routes.feeds_page(),
        *(routes.day(d.day).html for d in site.days),
    ]
    size = site.config.pages.topic_page_size
    for t in site.topics:
        pages += [
            routes.topic(t.topic.slug, n).html for n in (None, *range(1, t.archive_pages(size) + 1))
        ]
    return _urlset(routes, "pages", pages)


def _sitemap_of_papers(site: Site, routes: Routes, number: int) -> Artifact:
    block = sitemap_blocks(site)[number - 1]
    return _urlset(routes, f"papers-{number}", [routes.paper(p.id) for p in block])


def _urlset(routes: Routes, name: str, pages: Iterable[Route]) -> Artifact:
    body = "".join(f"<url><loc>{_xml_text(routes.absolute(r))}</loc></url>\n" for r in pages)
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{body}</urlset>\n"
    )
    return Artifact(routes.sitemap_part(name).path, xml.encode())


def _xml_text(text: str) -> str:
    # As xml.sax.saxutils.escape, which imports urllib.request (10 ms of every build).
    return escape(text, quote=False)


def _papers_api(
    site: Site, routes: Routes, known: Mapping[str, str]
) -> tuple[Artifact, dict[str, str]]:
    records = {
        p.id: known.get(p.id) or json.dumps(_paper_record(site, routes, p), **_API_JSON)
        for p in site.papers
    }
    text = "[" + ",".join(records.values()) + "]\n"
    return Artifact(routes.papers_api().path, text.encode()), records


_API_JSON: dict[str, Any] = {"ensure_ascii": False, "sort_keys": True, "separators": (",", ":")}


def _paper_record(site: Site, routes: Routes, p: Paper) -> dict[str, Any]:
    return {
        "id": p.id,
        "title": p.title,
        "url": routes.absolute(routes.paper(p.id)),
        "arxiv_id": p.arxiv_id,
        "published": p.published.isoformat() if p.published else None,
        "days": [a.day.isoformat() for a in site.appearances.get(p.id, ())],
        "topics": list(site.paper_topics[p.id]),
        "upvotes": p.upvotes,
        "authors": list(p.authors),
        "authors_count": p.authors_count,
        "organization": p.organization.name if p.organization else None,
    }


def byline(paper: Paper) -> str:
    """Who wrote it, as briefly as the listing allows."""
    if paper.authors:
        names = ", ".join(paper.authors[:3])
        more = len(paper.authors) - 3
        by = f"{names} and {more} more" if more > 0 else names
    elif paper.authors_count:
        by = f"{paper.authors_count} author{'s' if paper.authors_count != 1 else ''}"
    else:
        by = ""
    if paper.organization:
        return f"{by} · {paper.organization.name}" if by else paper.organization.name
    return by


def human_date(day: date) -> str:
    return f"{day.strftime('%b')} {day.day}, {day.year}"
