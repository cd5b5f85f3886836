"""Every kind of file the site has, each in one place: its paths, its inputs, its rendering.

A kind lists its outputs for a site: each `Output` names the files it writes and its `inputs`,
every value its bytes are made from beyond the setup (sitegen's code, the templates,
site.toml). The kind's `render` makes the files from those inputs alone; papers are passed by
id (`Papers`), each standing for its file's digest, its topics and its days. So an output's
key, a digest of its inputs, changes whenever its bytes may, and a build renders only the
outputs whose key changed (tests build every kind of change both ways and compare the bytes).

A new kind of page or feed is one new class in `KINDS`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, ClassVar, Generic, NamedTuple, TypeVar

from jinja2 import Environment

from sitegen.feeds import Feeds, render_feed, render_json_feed, render_opml
from sitegen.model import Artifact
from sitegen.pages import (
    AbstractHTML,
    Pages,
    papers_api,
    robots,
    sitemap_index,
    sitemap_of_pages,
    sitemap_of_papers,
)
from sitegen.site import Site, sitemap_blocks
from sitegen.urls import Routes


class Papers(tuple[str, ...]):
    """Ids of the papers an output shows; in its key, each stands for its paper's state."""

    __slots__ = ()


_Inputs = TypeVar("_Inputs", bound=tuple[Any, ...])


@dataclass(frozen=True, slots=True)
class Output(Generic[_Inputs]):
    kind: str  # the name of the Kind that renders it
    paths: tuple[str, ...]  # the files it writes, under public/
    inputs: _Inputs  # everything its bytes are made from but the setup


@dataclass(frozen=True, slots=True)
class Renderers:
    """What rendering needs besides an output's inputs; one per build process."""

    site: Site  # papers are read by the ids an output's inputs name, and only those
    routes: Routes
    pages: Pages
    feeds: Feeds
    templates: Path
    api_records: Mapping[str, str]  # API records still right, by paper id (see PapersApi)


class Kind(Generic[_Inputs]):
    """A kind of output: which outputs a site has, and how one is rendered from its inputs."""

    name: ClassVar[str]
    is_feed: ClassVar[bool] = False  # counted as feeds in a build's report

    def outputs(self, site: Site, routes: Routes) -> Iterator[Output[_Inputs]]:
        raise NotImplementedError

    def render(self, inputs: _Inputs, r: Renderers) -> Iterator[Artifact]:
        raise NotImplementedError

    def output(self, *paths: str, inputs: _Inputs) -> Output[_Inputs]:
        return Output(self.name, paths, inputs)


class Nothing(NamedTuple):
    """The inputs of an output made from the setup alone."""


class _Newest(NamedTuple):
    day: date | None  # the newest day: an empty feed is dated by it


def _newest_day(site: Site) -> date | None:
    return site.days[0].day if site.days else None


class StaticFile(NamedTuple):
    name: str  # under templates/


class StaticFiles(Kind[StaticFile]):
    """The stylesheet and the icon, copied from templates/."""

    name = "static"

    def outputs(self, site: Site, routes: Routes) -> Iterator[Output[StaticFile]]:
        for route in (routes.stylesheet(), routes.icon()):
            yield self.output(route.path, inputs=StaticFile(route.path))

    def render(self, inputs: StaticFile, r: Renderers) -> Iterator[Artifact]:
        yield Artifact(inputs.name, (r.templates / inputs.name).read_bytes())


class DayInputs(NamedTuple):
    day: date
    papers: Papers  # rank order
    newer: date | None
    older: date | None


class HomePage(Kind[DayInputs | Nothing]):
    """The home page: the newest day's papers."""

    name = "home"

    def outputs(self, site: Site, routes: Routes) -> Iterator[Output[DayInputs | Nothing]]:
        path = routes.home().html.path
        if not site.days:
            yield self.output(path, inputs=Nothing())
            return
        older = site.days[1].day if len(site.days) > 1 else None
        yield self.output(
            path, inputs=DayInputs(site.days[0].day, Papers(site.days[0].papers), None, older)
        )

    def render(self, inputs: DayInputs | Nothing, r: Renderers) -> Iterator[Artifact]:
        if isinstance(inputs, DayInputs):
            yield r.pages.day(*inputs, home=True)
        else:
            yield r.pages.empty_home()


class DayPages(Kind[DayInputs]):
    """A day's papers in rank order, linking the days before and after it."""

    name = "day"

    def outputs(self, site: Site, routes: Routes) -> Iterator[Output[DayInputs]]:
        days = site.days
        for i, day in enumerate(days):
            newer = days[i - 1].day if i > 0 else None
            older = days[i + 1].day if i + 1 < len(days) else None
            inputs = DayInputs(day.day, Papers(day.papers), newer, older)
            yield self.output(routes.day(day.day).html.path, inputs=inputs)

    def render(self, inputs: DayInputs, r: Renderers) -> Iterator[Artifact]:
        yield r.pages.day(*inputs)


class DayFeedInputs(NamedTuple):
    day: date
    papers: Papers  # rank order


class DayFeeds(Kind[DayFeedInputs]):
    """A day's papers as RSS and Atom."""

    name = "day-feed"
    is_feed = True

    def outputs(self, site: Site, routes: Routes) -> Iterator[Output[DayFeedInputs]]:
        for day in site.days:
            feed = routes.day(day.day)
            inputs = DayFeedInputs(day.day, Papers(day.papers))
            yield self.output(feed.rss.path, feed.atom.path, inputs=inputs)

    def render(self, inputs: DayFeedInputs, r: Renderers) -> Iterator[Artifact]:
        spec = r.feeds.day(inputs.day, inputs.papers)
        yield from render_feed(spec, r.site.config, r.routes, inputs.day)


class DaysIndexInputs(NamedTuple):
    days: tuple[tuple[date, int], ...]  # (day, papers), newest first


class DaysIndex(Kind[DaysIndexInputs]):
    """Every day by month, with its number of papers."""

    name = "days-index"

    def outputs(self, site: Site, routes: Routes) -> Iterator[Output[DaysIndexInputs]]:
        days = tuple((d.day, len(d.papers)) for d in site.days)
        yield self.output(routes.days_index().html.path, inputs=DaysIndexInputs(days))

    def render(self, inputs: DaysIndexInputs, r: Renderers) -> Iterator[Artifact]:
        yield r.pages.days_index(inputs.days)


class DigestInputs(NamedTuple):
    days: tuple[tuple[date, Papers], ...]  # the newest days, newest first
    newest: date | None


class DigestFeed(Kind[DigestInputs]):
    """One item per day, listing its papers: the feed of the days index."""

    name = "digest-feed"
    is_feed = True

    def outputs(self, site: Site, routes: Routes) -> Iterator[Output[DigestInputs]]:
        days = tuple((d.day, Papers(d.papers)) for d in site.days[: site.config.feeds.digest_days])
        feed = routes.days_index()
        inputs = DigestInputs(days, _newest_day(site))
        yield self.output(feed.rss.path, feed.atom.path, inputs=inputs)

    def render(self, inputs: DigestInputs, r: Renderers) -> Iterator[Artifact]:
        spec = r.feeds.digest(inputs.days)
        yield from render_feed(spec, r.site.config, r.routes, inputs.newest)


class TopicsIndexInputs(NamedTuple):
    counts: tuple[int, ...]  # papers of each topic, in site.toml order


class TopicsIndex(Kind[TopicsIndexInputs]):
    """Every topic with its number of papers."""

    name = "topics-index"

    def outputs(self, site: Site, routes: Routes) -> Iterator[Output[TopicsIndexInputs]]:
        counts = tuple(len(t.papers) for t in site.topics)
        yield self.output(routes.topics_index().path, inputs=TopicsIndexInputs(counts))

    def render(self, inputs: TopicsIndexInputs, r: Renderers) -> Iterator[Artifact]:
        yield r.pages.topics_index(inputs.counts)


class TopicFrontInputs(NamedTuple):
    slug: str
    papers: Papers  # newest first
    archive_pages: int
    total: int  # the topic's papers in all


class TopicFrontPages(Kind[TopicFrontInputs]):
    """A topic's own page: its newest papers, linking its archive."""

    name = "topic"

    def outputs(self, site: Site, routes: Routes) -> Iterator[Output[TopicFrontInputs]]:
        size = site.config.pages.topic_page_size
        for listing in site.topics:
            slug = listing.topic.slug
            inputs = TopicFrontInputs(
                slug,
                Papers(listing.front_page(size)),
                listing.archive_pages(size),
                len(listing.papers),
            )
            yield self.output(routes.topic(slug).html.path, inputs=inputs)

    def render(self, inputs: TopicFrontInputs, r: Renderers) -> Iterator[Artifact]:
        yield r.pages.topic_front(*inputs)


class TopicArchiveInputs(NamedTuple):
    slug: str
    number: int  # 1 holds the oldest papers
    papers: Papers  # newest first
    last: bool  # the newest archive page: its newer page is the topic's own


class TopicArchivePages(Kind[TopicArchiveInputs]):
    """A topic's older papers in full pages that keep their papers as days are added."""

    name = "topic-archive"

    def outputs(self, site: Site, routes: Routes) -> Iterator[Output[TopicArchiveInputs]]:
        size = site.config.pages.topic_page_size
        for listing in site.topics:
            slug, archive = listing.topic.slug, listing.archive_pages(size)
            for number in range(1, archive + 1):
                papers = Papers(listing.archive_page(number, size))
                inputs = TopicArchiveInputs(slug, number, papers, number == archive)
                yield self.output(routes.topic(slug, number).html.path, inputs=inputs)

    def render(self, inputs: TopicArchiveInputs, r: Renderers) -> Iterator[Artifact]:
        yield r.pages.topic_archive(*inputs)


class TopicFeedInputs(NamedTuple):
    slug: str
    papers: Papers  # the newest, newest first
    newest: date | None


class TopicFeeds(Kind[TopicFeedInputs]):
    """A topic's newest papers as RSS and Atom."""

    name = "topic-feed"
    is_feed = True

    def outputs(self, site: Site, routes: Routes) -> Iterator[Output[TopicFeedInputs]]:
        limit, newest = site.config.feeds.items, _newest_day(site)
        for listing in site.topics:
            feed = routes.topic(listing.topic.slug)
            papers = Papers(listing.papers[:limit])
            inputs = TopicFeedInputs(listing.topic.slug, papers, None if papers else newest)
            yield self.output(feed.rss.path, feed.atom.path, inputs=inputs)

    def render(self, inputs: TopicFeedInputs, r: Renderers) -> Iterator[Artifact]:
        topic = next(t for t in r.site.config.topics if t.slug == inputs.slug)
        spec = r.feeds.topic(topic, inputs.papers)
        yield from render_feed(spec, r.site.config, r.routes, inputs.newest)


class AllPapersInputs(NamedTuple):
    papers: Papers  # the newest, newest first
    newest: date | None


class AllPapersFeeds(Kind[AllPapersInputs]):
    """The site's newest papers as RSS, Atom and JSON Feed."""

    name = "all-feed"
    is_feed = True

    def outputs(self, site: Site, routes: Routes) -> Iterator[Output[AllPapersInputs]]:
        papers = Papers(site.newest[: site.config.feeds.items])
        inputs = AllPapersInputs(papers, None if papers else _newest_day(site))
        home = routes.home()
        yield self.output(home.rss.path, home.atom.path, routes.json_feed().path, inputs=inputs)

    def render(self, inputs: AllPapersInputs, r: Renderers) -> Iterator[Artifact]:
        spec = r.feeds.all_papers(inputs.papers)
        yield from render_feed(spec, r.site.config, r.routes, inputs.newest)
        yield render_json_feed(spec, r.site.config, r.routes)


class FeedsPage(Kind[Nothing]):
    """Every standing feed, to subscribe to."""

    name = "feeds-page"

    def outputs(self, site: Site, routes: Routes) -> Iterator[Output[Nothing]]:
        yield self.output(routes.feeds_page().path, inputs=Nothing())

    def render(self, inputs: Nothing, r: Renderers) -> Iterator[Artifact]:
        yield r.pages.feeds_page()


class Opml(Kind[_Newest]):
    """The standing feeds as OPML, to subscribe to all at once."""

    name = "opml"

    def outputs(self, site: Site, routes: Routes) -> Iterator[Output[_Newest]]:
        yield self.output(routes.opml().path, inputs=_Newest(_newest_day(site)))

    def render(self, inputs: _Newest, r: Renderers) -> Iterator[Artifact]:
        yield render_opml(r.site.config, r.routes, inputs.day)


class PaperInputs(NamedTuple):
    paper: Papers  # the one paper


class PaperPages(Kind[PaperInputs]):
    """A paper's own page: its abstract, links, days and topics."""

    name = "paper"

    def outputs(self, site: Site, routes: Routes) -> Iterator[Output[PaperInputs]]:
        path = routes.paper_path
        for paper_id in site.ids:
            yield Output(self.name, (path(paper_id),), PaperInputs(Papers((paper_id,))))

    def render(self, inputs: PaperInputs, r: Renderers) -> Iterator[Artifact]:
        (paper_id,) = inputs.paper
        yield r.pages.paper(paper_id)


class PapersApiInputs(NamedTuple):
    papers: Papers  # every paper, by id


class PapersApi(Kind[PapersApiInputs]):
    """/api/papers.json: every paper's fields, for scripts."""

    name = "papers-api"

    def outputs(self, site: Site, routes: Routes) -> Iterator[Output[PapersApiInputs]]:
        yield self.output(routes.papers_api().path, inputs=PapersApiInputs(Papers(site.ids)))

    def render(self, inputs: PapersApiInputs, r: Renderers) -> Iterator[Artifact]:
        yield papers_api(r.routes, inputs.papers, r.api_records)


class SitemapIndexInputs(NamedTuple):
    blocks: int  # sitemaps of papers


class SitemapIndex(Kind[SitemapIndexInputs]):
    """The sitemap index: a sitemap may list at most 50,000 URLs."""

    name = "sitemap"

    def outputs(self, site: Site, routes: Routes) -> Iterator[Output[SitemapIndexInputs]]:
        inputs = SitemapIndexInputs(len(sitemap_blocks(site)))
        yield self.output(routes.sitemap().path, inputs=inputs)

    def render(self, inputs: SitemapIndexInputs, r: Renderers) -> Iterator[Artifact]:
        yield sitemap_index(r.routes, inputs.blocks)


class SitemapPagesInputs(NamedTuple):
    days: tuple[date, ...]
    topics: tuple[tuple[str, int], ...]  # (slug, archive pages)


class SitemapOfPages(Kind[SitemapPagesInputs]):
    """The sitemap of every page but the papers'."""

    name = "sitemap-pages"

    def outputs(self, site: Site, routes: Routes) -> Iterator[Output[SitemapPagesInputs]]:
        size = site.config.pages.topic_page_size
        days = tuple(d.day for d in site.days)
        topics = tuple((t.topic.slug, t.archive_pages(size)) for t in site.topics)
        yield self.output(
            routes.sitemap_part("pages").path, inputs=SitemapPagesInputs(days, topics)
        )

    def render(self, inputs: SitemapPagesInputs, r: Renderers) -> Iterator[Artifact]:
        yield sitemap_of_pages(r.routes, inputs.days, inputs.topics)


class SitemapPapersInputs(NamedTuple):
    number: int  # 1-based
    paper_ids: tuple[str, ...]  # ids, not Papers: only their URLs are shown


class SitemapsOfPapers(Kind[SitemapPapersInputs]):
    """The papers' pages in sitemaps of 10,000, oldest first: a new day changes the last."""

    name = "sitemap-papers"

    def outputs(self, site: Site, routes: Routes) -> Iterator[Output[SitemapPapersInputs]]:
        for number, block in enumerate(sitemap_blocks(site), start=1):
            path = routes.sitemap_part(f"papers-{number}").path
            yield self.output(path, inputs=SitemapPapersInputs(number, block))

    def render(self, inputs: SitemapPapersInputs, r: Renderers) -> Iterator[Artifact]:
        yield sitemap_of_papers(r.routes, inputs.number, inputs.paper_ids)


class NotFoundPage(Kind[Nothing]):
    """404.html, which static hosts serve for any missing path."""

    name = "not-found"

    def outputs(self, site: Site, routes: Routes) -> Iterator[Output[Nothing]]:
        yield self.output(routes.not_found().path, inputs=Nothing())

    def render(self, inputs: Nothing, r: Renderers) -> Iterator[Artifact]:
        yield r.pages.not_found()


class Robots(Kind[Nothing]):
    """robots.txt, naming the sitemap."""

    name = "robots"

    def outputs(self, site: Site, routes: Routes) -> Iterator[Output[Nothing]]:
        yield self.output(routes.robots().path, inputs=Nothing())

    def render(self, inputs: Nothing, r: Renderers) -> Iterator[Artifact]:
        yield robots(r.routes)


KINDS: dict[str, Kind[Any]] = {
    kind.name: kind
    for kind in (
        StaticFiles(), HomePage(), DayPages(), DayFeeds(), DaysIndex(), DigestFeed(),
        TopicsIndex(), TopicFrontPages(), TopicArchivePages(), TopicFeeds(), AllPapersFeeds(),
        FeedsPage(), Opml(), PaperPages(), PapersApi(), SitemapIndex(), SitemapOfPages(),
        SitemapsOfPapers(), NotFoundPage(), Robots(),
    )
}  # fmt: skip


def plan_outputs(site: Site, routes: Routes) -> Iterator[Output[Any]]:
    """Every output of the site, in a fixed order."""
    for kind in KINDS.values():
        yield from kind.outputs(site, routes)


def render_output(output: Output[Any], r: Renderers) -> Iterator[Artifact]:
    return KINDS[output.kind].render(output.inputs, r)


def output_key(output: Output[Any], *, setup: str, paper_states: Mapping[str, str]) -> str:
    """A digest of everything `output`'s bytes are made from."""
    made_of = f"{setup}\x1f{output.kind}\x1f{_shown(output.inputs, paper_states)}"
    return hashlib.blake2b(made_of.encode(), digest_size=12).hexdigest()


def _shown(value: object, paper_states: Mapping[str, str]) -> str:
    if isinstance(value, Papers):
        return ";".join(map(paper_states.__getitem__, value))
    if isinstance(value, tuple):
        return "(" + ",".join(_shown(v, paper_states) for v in value) + ")"
    return repr(value)


def paper_states(site: Site) -> dict[str, str]:
    """Each paper as the outputs that show it may: its file's bytes, its topics, its days."""
    states = {}
    for paper_id in site.ids:
        made_of = site.digests.get(paper_id) or repr(site.papers[paper_id])  # held in memory
        days = ",".join(f"{a.day}#{a.rank}" for a in site.appearances.get(paper_id, ()))
        states[paper_id] = f"{made_of}:{','.join(site.paper_topics[paper_id])}:{days}"
    return states


def renderers(
    site: Site, routes: Routes, env: Environment, *, templates: Path, api_records: Mapping[str, str]
) -> Renderers:
    """The renderers of one build process."""
    abstracts = AbstractHTML(site.papers)
    return Renderers(
        site=site,
        routes=routes,
        pages=Pages(site, routes, env, abstracts),
        feeds=Feeds(site, routes, abstracts),
        templates=templates,
        api_records=api_records,
    )
