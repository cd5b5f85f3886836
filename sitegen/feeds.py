"""Feeds: RSS 2.0 and Atom 1.0 (feedgen) for every listing page, JSON Feed 1.1, and OPML.

Nothing here reads the clock: an item is dated by the day that featured it (`featured_at`),
a feed's updated time is its newest item's, and ids are tag URIs built from paper ids, which
never change, so readers never see an item twice or a feed churn.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from feedgen.feed import FeedGenerator

from sitegen.model import Appearance, Paper
from sitegen.publish import Artifact
from sitegen.site import DayListing, Site, day_moment, featured_at
from sitegen.urls import ListingRoutes, Routes

# Ids must not depend on base_url (a site may move) or on the build: a tag URI per paper/day.
_ID_PREFIX = "tag:sitegen,2023:"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # the updated time of a site with no days yet
_GENERATOR = "sitegen"
_GENERATOR_URI = "https://github.com/sitegen/sitegen"


def paper_item_id(paper_id: str) -> str:
    return f"{_ID_PREFIX}paper/{paper_id}"


def day_item_id(day_listing: DayListing) -> str:
    return f"{_ID_PREFIX}day/{day_listing.day.isoformat()}"


@dataclass(frozen=True, slots=True)
class _Item:
    item_id: str
    title: str
    url: str
    when: datetime
    content_html: str = ""  # the digest's own HTML; paper items use their abstract
    paper_id: str | None = None  # whose abstract is the content, looked up only when written
    categories: tuple[tuple[str, str], ...] = ()  # (slug, name)

    def content(self, abstracts: Mapping[str, str]) -> str:
        return abstracts[self.paper_id] if self.paper_id else self.content_html


@dataclass(frozen=True, slots=True)
class FeedSpec:
    """One feed, in RSS and Atom."""

    title: str
    description: str
    routes: ListingRoutes
    items: tuple[_Item, ...]  # newest first


class FeedSpecs:
    """Each listing page's feed, made on demand: a build renders only the feeds it must."""

    def __init__(self, site: Site, routes: Routes) -> None:
        self.site, self.routes = site, routes
        self.names = {t.topic.slug: t.topic.name for t in site.topics}
        self.limit = site.config.feeds.items

    def _item(self, paper: Paper, appearance: Appearance) -> _Item:
        return _Item(
            item_id=paper_item_id(paper.id),
            title=paper.title,
            url=self.routes.absolute(self.routes.paper(paper.id)),
            when=featured_at(appearance),
            paper_id=paper.id,
            categories=tuple((slug, self.names[slug]) for slug in self.site.paper_topics[paper.id]),
        )

    def _first_items(self, papers: Sequence[Paper]) -> tuple[_Item, ...]:
        return tuple(self._item(p, self.site.appearances[p.id][0]) for p in papers[: self.limit])

    def all_papers(self) -> FeedSpec:
        return FeedSpec(
            title=self.site.config.title,
            description=self.site.config.description,
            routes=self.routes.home(),
            items=self._first_items(self.site.newest),
        )

    def digest(self) -> FeedSpec:
        return FeedSpec(
            title=f"{self.site.config.title}: daily digest",
            description="One item per day with the day's papers.",
            routes=self.routes.days_index(),
            items=tuple(
                _digest_item(d, self.routes)
                for d in self.site.days[: self.site.config.feeds.digest_days]
            ),
        )

    def topic(self, index: int) -> FeedSpec:
        listing = self.site.topics[index]
        return FeedSpec(
            title=f"{self.site.config.title}: {listing.topic.name}",
            description=listing.topic.description or listing.topic.name,
            routes=self.routes.topic(listing.topic.slug),
            items=self._first_items(listing.papers),
        )

    def day(self, index: int) -> FeedSpec:
        listing = self.site.days[index]
        return FeedSpec(
            title=f"{self.site.config.title}: {listing.day.isoformat()}",
            description=f"The papers featured on {listing.day.isoformat()}.",
            routes=self.routes.day(listing.day),
            items=tuple(
                self._item(p, Appearance(day=listing.day, rank=rank))
                for rank, p in enumerate(listing.papers, start=1)
            ),
        )

    def standing(self) -> list[FeedSpec]:
        """The feeds that get new items over time: all papers, the digest, each topic."""
        return [
            self.all_papers(),
            self.digest(),
            *(self.topic(i) for i in range(len(self.site.topics))),
        ]


def _digest_item(listing: DayListing, routes: Routes) -> _Item:
    entries = "".join(
        f'<li><a href="{html.escape(url)}">{html.escape(paper.title)}</a></li>'
        for paper in listing.papers
        if (url := routes.absolute(routes.paper(paper.id)))
    )
    count = len(listing.papers)
    return _Item(
        item_id=day_item_id(listing),
        title=f"{count} paper{'s' if count != 1 else ''} of {listing.day.isoformat()}",
        url=routes.absolute(routes.day(listing.day).html),
        when=day_moment(listing.day),
        content_html=f"<ol>{entries}</ol>",
    )


def render_feed(
    spec: FeedSpec, site: Site, routes: Routes, abstracts: Mapping[str, str]
) -> Iterator[Artifact]:
    """The feed in Atom and in RSS."""
    for kind, route in (("atom", spec.routes.atom), ("rss", spec.routes.rss)):
        generator = FeedGenerator()
        generator.id(f"{_ID_PREFIX}feed/{route.path}")
        generator.title(spec.title)
        generator.subtitle(spec.description)
        generator.language(site.config.language)
        generator.author({"name": site.config.title})
        generator.generator(
            _GENERATOR, uri=_GENERATOR_URI
        )  # no version: upgrades don't churn feeds
        # The RSS <channel><link> is the last link added, so the page link goes last.
        generator.link(href=routes.absolute(route), rel="self")
        generator.link(href=routes.absolute(spec.routes.html), rel="alternate")
        updated = _updated(spec, site)
        generator.updated(updated)
        generator.lastBuildDate(updated)
        for entry_data in spec.items:
            entry = generator.add_entry(order="append")
            entry.id(entry_data.item_id)
            entry.title(entry_data.title)
            entry.link(href=entry_data.url)
            entry.published(entry_data.when)
            entry.updated(entry_data.when)
            entry.content(entry_data.content(abstracts), type="html")
            for slug, name in entry_data.categories:
                entry.category(term=slug, label=name)
        data = generator.atom_str(pretty=True) if kind == "atom" else generator.rss_str(pretty=True)
        yield Artifact(route.path, data)


def _updated(spec: FeedSpec, site: Site) -> datetime:
    if spec.items:
        return max(item.when for item in spec.items)
    # An empty feed is as new as the newest day: still the content's time, never the clock's.
    return day_moment(site.days[0].day) if site.days else _EPOCH


def render_json_feed(
    spec: FeedSpec, site: Site, routes: Routes, abstracts: Mapping[str, str]
) -> Artifact:
    """The JSON Feed of `spec` (the all-papers feed)."""
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": spec.title,
        "home_page_url": routes.absolute(routes.home().html),
        "feed_url": routes.absolute(routes.json_feed()),
        "description": spec.description,
        "language": site.config.language,
        "authors": [{"name": site.config.title}],
        "items": [
            {
                "id": item.item_id,
                "url": item.url,
                "title": item.title,
                "content_html": item.content(abstracts),
                "date_published": item.when.isoformat().replace("+00:00", "Z"),
                "tags": [name for _, name in item.categories],
            }
            for item in spec.items
        ],
    }
    # Key order as in the spec, "version" first: readers sniff the start of the file.
    text = json.dumps(feed, ensure_ascii=False, indent=1)
    return Artifact(routes.json_feed().path, (text + "\n").encode())


def _xml_attribute(value: str) -> str:
    # Not xml.sax.saxutils.quoteattr, which imports urllib.request (10 ms of every build).
    return f'"{html.escape(value, quote=True)}"'


def render_opml(site: Site, routes: Routes, standing: Sequence[FeedSpec]) -> Artifact:
    """The list of the standing feeds, each once, in Atom."""
    # A feed of one past day never gets a new item, so subscribing to a thousand helps nobody.
    outlines = "".join(
        f'    <outline type="rss" text={_xml_attribute(s.title)} title={_xml_attribute(s.title)} '
        f"xmlUrl={_xml_attribute(routes.absolute(s.routes.atom))} "
        f"htmlUrl={_xml_attribute(routes.absolute(s.routes.html))}/>\n"
        for s in standing
    )
    newest = max((_updated(s, site) for s in standing), default=None)
    date_created = (
        f"    <dateCreated>{newest.strftime('%a, %d %b %Y %H:%M:%S GMT')}</dateCreated>\n"
        if newest
        else ""
    )
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">\n  <head>\n'
        f"    <title>{html.escape(site.config.title)} feeds</title>\n{date_created}"
        f"  </head>\n  <body>\n{outlines}  </body>\n</opml>\n"
    )
    return Artifact(routes.opml().path, text.encode())
