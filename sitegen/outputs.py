"""Every kind of file the site has, each in one place: its paths, its inputs, its rendering.

A kind is a NamedTuple of the inputs of one of its outputs: every value that output's bytes are
made from beyond the setup (sitegen's code, the templates, site.toml). Its `outputs` lists them
for a site, each with the paths it writes; its `render` makes the files from those inputs alone.
Papers are passed by id (`Papers`), each standing for its file's digest, its topics and its days.
So an output's key, a digest of its inputs (sitegen.output_keys), changes whenever its bytes may,
and a build renders only the outputs whose key changed (tests build every kind of change both
ways and compare).

A new kind of page or feed is one new class in `KINDS` (and in `NEWEST_LISTS` if it lists the
newest papers, which a rebuild then renders faster). Its pages are in the sitemap by that alone,
and its keys, incremental builds, the static/ clash check, hand-edit checks and `serve` need no
word. Elsewhere, it needs (as a page per organisation did, in a contributor's trial):

- its route: a method of `sitegen.urls.Routes`;
- its rendering: a method of `sitegen.pages.Pages` (`page()`: a page's own values may not take
  a name every page is given, such as `search` or `home`) or of `sitegen.feeds.Feeds`, and
  its template in templates/; a link to it from every page is base.html's, through a name
  `Pages.page` gives every page;
- for lists grouped or ordered by a paper's field other than its title, upvotes, topics and
  days: that field among the parse cache's facts (`sitegen.cache.PaperFacts`, read into
  `ContentSnapshot` by `sitegen.store`, grouped in `sitegen.site.assemble_site`), since
  planning must not read every paper's file (the rebuild budget);
- for a feed: its papers chosen by `sitegen.feed_papers.papers_in_feed` (the newest
  `[feeds] items`, and every paper of the latest `[feeds] days`), as every list's feed does;
- for a standing feed to be in /feeds/ and feeds.opml: `Pages.feeds_page` and
  `feeds.render_opml`, which list them by hand;
- tests: tests/test_outputs.py covers a kind of `KINDS` by itself (it writes the paths it
  names; its keys change with every field of a paper); the small site's counts in
  tests/test_build.py and the bundled site's in README.md change; a feed's bytes belong in
  tests/golden/.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import NamedTuple, Protocol

from jinja2 import Environment

from sitegen.abstracts import AbstractHTML
from sitegen.api import papers_api, papers_api_index
from sitegen.custom_feeds import CustomFeed, FeedMatcher, select_papers
from sitegen.errors import ContentError, Location
from sitegen.feed_papers import FeedWindow, custom_feed_candidates, papers_in_feed
from sitegen.feeds import (
    Feeds,
    render_feed,
    render_opml,
    whole_days_of_items,
)
from sitegen.layout import STATIC_DIR
from sitegen.model import Artifact, Papers
from sitegen.output_keys import Ids, Joined, key_of, one_paper_key, shown_of
from sitegen.pages import DAILY_DIGEST, DAYS_TITLE, MONTHLY_DIGEST, TOP_TITLE, WEEKLY_DIGEST, Pages
from sitegen.parts import PaperParts
from sitegen.periods import MONTH, WEEK, Counts, Period, featured, top_papers
from sitegen.site import Site, papers_by_month
from sitegen.sitemaps import (
    robots,
    sitemap_blocks,
    sitemap_index,
    sitemap_of_pages,
    sitemap_of_papers,
)
from sitegen.trends import Trend
from sitegen.urls import ListingRoutes, Route, Routes, page_at, slash_places


@dataclass(frozen=True, slots=True)
class Renderers:
    """What rendering needs besides an output's inputs; one per build process."""

    site: Site  # papers are read by the ids an output's inputs name, and only those
    routes: Routes
    pages: Pages
    feeds: Feeds
    templates: str  # the folder of the stylesheet and the icon
    # The bytes of a file published as it is, read by the edge that renders (render.py).
    read_file: Callable[[str], bytes]
    api_records: Mapping[str, str]  # every paper's API record, by id (see PapersApi)
    parts: PaperParts  # of papers, rendered before (sitegen.parts)


class Inputs(Protocol):
    """A kind of output: the inputs of one output, which it renders from."""

    def render(self, r: Renderers) -> Iterator[Artifact]: ...


@dataclass(frozen=True, slots=True)
class Output:
    paths: tuple[str, ...]  # the files it writes, under public/
    inputs: Inputs  # everything its bytes are made from but the setup; its type is its kind


def _newest_day(site: Site) -> date | None:
    return site.days[0].day if site.days else None


class StaticFile(NamedTuple):
    """The stylesheet or the icon, copied from templates/."""

    name: str
    # A digest of its bytes: the setup leaves them out (pages only link them), so an edit of
    # the stylesheet renders that file alone (a review: every page, 10.5 s at 10k papers).
    made_of: str

    @staticmethod
    def copied(routes: Routes) -> tuple[Route, ...]:
        """Each file of templates/ published as it is: its path there is its path on the site."""
        return (routes.stylesheet(), routes.icon())

    @staticmethod
    def outputs(site: Site, routes: Routes) -> Iterator[Output]:
        for route in StaticFile.copied(routes):
            yield Output((route.path,), StaticFile(route.path, site.copied.get(route.path, "")))

    def render(self, r: Renderers) -> Iterator[Artifact]:
        yield Artifact(self.name, r.read_file(f"{r.templates}/{self.name}"))


class OwnFile(NamedTuple):
    """A file of the site's static/ folder (sitegen.own_files), published as it is."""

    path: str
    source: str  # the file it is copied from
    # Its size and time, which change with its bytes: not a digest of them, which read every
    # file at every build (a review: 1.4 s for a no-op build beside a 400 MB video).
    stamp: str

    @staticmethod
    def outputs(site: Site, routes: Routes) -> Iterator[Output]:
        for path, source, stamp in site.own_files:
            yield Output((path,), OwnFile(path, source, stamp))

    def render(self, r: Renderers) -> Iterator[Artifact]:
        yield Artifact(self.path, r.read_file(self.source))


class DayPage(NamedTuple):
    """A day's papers in rank order, linking the days before and after it; the newest day's
    is also the home page."""

    day: date
    papers: Papers
    again: Counts  # its papers featured again and ranked so (DayListing.again)
    newer: date | None
    older: date | None
    filling: bool  # a fetch had it only before it ended: more papers may come (Site.filling)
    home: bool = False

    @staticmethod
    def outputs(site: Site, routes: Routes) -> Iterator[Output]:
        days = site.days
        for i, day in enumerate(days):
            newer = days[i - 1].day if i > 0 else None
            older = days[i + 1].day if i + 1 < len(days) else None
            filling = day.day in site.filling
            page = DayPage(day.day, day.papers, day.again, newer, older, filling)
            yield Output((routes.day(day.day).html.path,), page)
            if i == 0:
                yield Output((routes.home().html.path,), page._replace(home=True))

    def render(self, r: Renderers) -> Iterator[Artifact]:
        yield r.pages.day(
            self.day,
            self.papers,
            dict(self.again),
            self.newer,
            self.older,
            filling=self.filling,
            home=self.home,
        )


class EmptyHome(NamedTuple):
    """The home page of a site with no day yet."""

    @staticmethod
    def outputs(site: Site, routes: Routes) -> Iterator[Output]:
        if not site.days:
            yield Output((routes.home().html.path,), EmptyHome())

    def render(self, r: Renderers) -> Iterator[Artifact]:
        yield r.pages.empty_home()


class DayFeed(NamedTuple):
    """A day's papers in rank order, as RSS and Atom, each item brief."""

    day: date
    papers: Papers
    whole: bool  # a fetch had the day whole (its feed's updated time: feeds.render_feed)

    @staticmethod
    def outputs(site: Site, routes: Routes) -> Iterator[Output]:
        for day in site.days:
            inputs = DayFeed(day.day, day.papers, site.had_whole(day.day))
            yield Output(routes.day(day.day).feed_paths, inputs)

    def render(self, r: Renderers) -> Iterator[Artifact]:
        spec = r.feeds.day(self.day, self.papers)
        whole = (self.day,) if self.whole else ()
        yield from render_feed(spec, r.site.config, r.routes, whole=whole)


class DaysIndex(NamedTuple):
    """Every day by month, with its number of papers."""

    days: tuple[tuple[date, int], ...]  # newest first

    @staticmethod
    def outputs(site: Site, routes: Routes) -> Iterator[Output]:
        days = tuple((d.day, len(d.papers)) for d in site.days)
        yield Output((routes.days_index().html.path,), DaysIndex(days))

    def render(self, r: Renderers) -> Iterator[Artifact]:
        yield r.pages.days_index(self.days)


class DigestFeed(NamedTuple):
    """One item per day listing its papers, newest first: the feed of the days index. A day has
    its item once a later day has come or a fetch had it after it ended (Site.whole), a day whose
    completion failed once a retry has it whole or gives up (site.digest_items): the newest may
    still be filling (the workflow fetches today early), and an item rewritten from "5 papers" to
    "40 papers" stayed read in readers, which showed none of the other 35. Each item is dated
    when it first came out, where a fetch recorded it (Site.digest_dated)."""

    days: tuple[tuple[date, Papers, datetime], ...]

    @staticmethod
    def outputs(site: Site, routes: Routes) -> Iterator[Output]:
        papers = {listing.day: listing.papers for listing in site.days}
        days = tuple(
            (day, papers[day], site.digest_dated(day.isoformat(), day))
            for day in site.digest_listing.days
        )
        yield Output(routes.days_index().feed_paths, DigestFeed(days))

    def render(self, r: Renderers) -> Iterator[Artifact]:
        yield from render_feed(r.feeds.digest(self.days), r.site.config, r.routes)


class TopicsIndex(NamedTuple):
    """Every topic with its number of papers."""

    counts: tuple[int, ...]  # in site.toml order
    trends: tuple[Trend, ...]  # in site.toml order; none while the site has no day

    @staticmethod
    def outputs(site: Site, routes: Routes) -> Iterator[Output]:
        counts = tuple(len(t.papers) for t in site.topics)
        trends = tuple(t.trend for t in site.topics if t.trend is not None)
        yield Output((routes.topics_index().path,), TopicsIndex(counts, trends))

    def render(self, r: Renderers) -> Iterator[Artifact]:
        yield r.pages.topics_index(self.counts, self.trends)


class TopicPage(NamedTuple):
    """A topic's own page: its newest papers, linking its archive."""

    slug: str
    papers: Papers  # newest first
    archive_pages: int
    total: int  # the topic's papers in all
    trend: Trend | None  # its papers per month; none while the site has no day
    years: tuple[tuple[int, int], ...]  # (year, the archive page it begins on), newest first

    @staticmethod
    def outputs(site: Site, routes: Routes) -> Iterator[Output]:
        size = site.config.pages.topic_page_size
        for t in site.topics:
            page = TopicPage(
                t.topic.slug,
                Papers(t.front_page(size)),
                t.archive_pages(size),
                len(t.papers),
                t.trend,
                t.year_pages(size),
            )
            yield Output((routes.topic(t.topic.slug).html.path,), page)

    def render(self, r: Renderers) -> Iterator[Artifact]:
        yield r.pages.topic_front(
            self.slug,
            self.papers,
            self.archive_pages,
            self.total,
            trend=self.trend,
            years=self.years,
        )


class TopicArchivePage(NamedTuple):
    """A topic's older papers in full pages, which keep their papers as days are added."""

    slug: str
    number: int  # 1 holds the oldest papers
    papers: Papers  # newest first
    last: bool  # the newest archive page: its newer page is the topic's own

    @staticmethod
    def outputs(site: Site, routes: Routes) -> Iterator[Output]:
        size = site.config.pages.topic_page_size
        for t in site.topics:
            archive = t.archive_pages(size)
            for n in range(1, archive + 1):
                page = TopicArchivePage(
                    t.topic.slug, n, Papers(t.archive_page(n, size)), n == archive
                )
                yield Output((routes.topic(t.topic.slug, n).html.path,), page)

    def render(self, r: Renderers) -> Iterator[Artifact]:
        yield r.pages.topic_archive(self.slug, self.number, self.papers, self.last)


class TopicFeed(NamedTuple):
    """A topic's newest papers as RSS and Atom; at the addresses of its slugs of before a
    rename too (`formerly`), so their subscribers go on getting its papers."""

    slug: str
    papers: Papers  # newest first
    # Of its items' days, those a fetch had whole (feeds.whole_days_of_items).
    whole: tuple[date, ...]
    formerly: tuple[str, ...]

    @staticmethod
    def outputs(site: Site, routes: Routes) -> Iterator[Output]:
        for t in site.topics:
            papers = papers_in_feed(site, t.papers)
            inputs = TopicFeed(
                t.topic.slug, papers, whole_days_of_items(site, papers), t.topic.formerly
            )
            feeds = [routes.topic(slug) for slug in (t.topic.slug, *t.topic.formerly)]
            yield Output(tuple(path for f in feeds for path in f.feed_paths), inputs)

    def render(self, r: Renderers) -> Iterator[Artifact]:
        spec = r.feeds.topic(self.slug, self.papers)
        feeds = list(render_feed(spec, r.site.config, r.routes, whole=self.whole))
        yield from feeds
        now = r.routes.topic(self.slug)
        data = {f.path: f.data for f in feeds}
        for old in map(r.routes.topic, self.formerly):  # the same bytes: they name its address
            yield Artifact(old.rss.path, data[now.rss.path])
            yield Artifact(old.atom.path, data[now.atom.path])


class MovedTopicPage(NamedTuple):
    """A page of a topic's slug of before a rename (`formerly`): where it is now. Its front
    page's, each of its archive pages' and their folder's (a review: bookmarks of those were
    the 404 page's, which offered "Topics")."""

    old: str
    slug: str
    page: int | None  # an archive page's number; 0 their folder (/page/); None the front page

    @staticmethod
    def outputs(site: Site, routes: Routes) -> Iterator[Output]:
        size = site.config.pages.topic_page_size
        for t in site.topics:
            archive = t.archive_pages(size)
            pages = [None, *([0] if archive else []), *range(1, archive + 1)]
            for old in t.topic.formerly:
                for page in pages:
                    route = MovedTopicPage.route(routes, old, page)
                    yield Output((route.path,), MovedTopicPage(old, t.topic.slug, page))

    @staticmethod
    def route(routes: Routes, slug: str, page: int | None) -> Route:
        if page == 0:
            return Routes.folder_of(routes.topic(slug, 1).html)
        return routes.topic(slug, page).html

    def render(self, r: Renderers) -> Iterator[Artifact]:
        yield r.pages.moved_topic(
            MovedTopicPage.route(r.routes, self.old, self.page),
            MovedTopicPage.route(r.routes, self.slug, self.page),
            self.slug,
        )


class AllPapersFeed(NamedTuple):
    """The site's newest papers as RSS, Atom and JSON Feed."""

    papers: Papers  # newest first
    whole: tuple[date, ...]  # as TopicFeed's

    @staticmethod
    def outputs(site: Site, routes: Routes) -> Iterator[Output]:
        papers = papers_in_feed(site, site.newest)
        yield Output(
            routes.home().feed_paths, AllPapersFeed(papers, whole_days_of_items(site, papers))
        )

    def render(self, r: Renderers) -> Iterator[Artifact]:
        spec = r.feeds.all_papers(self.papers)
        yield from render_feed(spec, r.site.config, r.routes, whole=self.whole)


class FeedsPage(NamedTuple):
    """Every standing feed, to subscribe to."""

    @staticmethod
    def outputs(site: Site, routes: Routes) -> Iterator[Output]:
        yield Output((routes.feeds_page().path,), FeedsPage())

    def render(self, r: Renderers) -> Iterator[Artifact]:
        yield r.pages.feeds_page()


class SearchPage(NamedTuple):
    """The search page; its results come from the search index (sitegen.search)."""

    @staticmethod
    def outputs(site: Site, routes: Routes) -> Iterator[Output]:
        yield Output((routes.search().path,), SearchPage())

    def render(self, r: Renderers) -> Iterator[Artifact]:
        yield r.pages.search_page()


class PapersIndex(NamedTuple):
    """/papers/: how many papers have a page there, and the ways to find one."""

    papers: int  # how many
    first: date | None
    newest: date | None

    @staticmethod
    def outputs(site: Site, routes: Routes) -> Iterator[Output]:
        first = site.days[-1].day if site.days else None
        index = PapersIndex(len(site.ids), first, _newest_day(site))
        yield Output((routes.papers_index().path,), index)

    def render(self, r: Renderers) -> Iterator[Artifact]:
        yield r.pages.papers_index(self.papers, self.first, self.newest)


class Opml(NamedTuple):
    """The standing feeds as OPML, to subscribe to all at once."""

    newest: date | None

    @staticmethod
    def outputs(site: Site, routes: Routes) -> Iterator[Output]:
        yield Output((routes.opml().path,), Opml(_newest_day(site)))

    def render(self, r: Renderers) -> Iterator[Artifact]:
        yield render_opml(r.site.config, r.routes, self.newest)


class PaperPage(NamedTuple):
    """A paper's own page: its abstract, links, days and topics."""

    paper: Papers  # the one paper

    @staticmethod
    def outputs(site: Site, routes: Routes) -> Iterator[Output]:
        """Every paper's page; a build plans them as one `PaperOutputs`, by their states."""
        for paper_id in site.ids:
            yield PaperPage.of_paper(paper_id, routes)

    @staticmethod
    def of_paper(paper_id: str, routes: Routes) -> Output:
        return Output((routes.paper_path(paper_id),), PaperPage(Papers((paper_id,))))

    def render(self, r: Renderers) -> Iterator[Artifact]:
        yield r.pages.paper(self.paper[0])


class PapersApi(NamedTuple):
    """/api/papers.json: the site's months (`PapersApiMonth`), each with its number of papers."""

    months: tuple[tuple[str, int], ...]  # newest first; "" (the papers no day lists) last

    @staticmethod
    def outputs(site: Site, routes: Routes) -> Iterator[Output]:
        months = tuple((month, len(ids)) for month, ids in papers_by_month(site).items())
        yield Output((routes.papers_api().path,), PapersApi(months))

    def render(self, r: Renderers) -> Iterator[Artifact]:
        yield papers_api_index(r.routes, self.months)


class PapersApiMonth(NamedTuple):
    """/api/papers/YYYY-MM.json: every field of the papers first featured in a month, for
    scripts. One file for all grew with the site and changed every day (23 MB at 50k papers);
    a closed month's changes only when one of its papers does (featured again, upvoted)."""

    month: str  # "YYYY-MM"; "" for the papers no day lists
    papers: Papers  # in the site's order

    @staticmethod
    def outputs(site: Site, routes: Routes) -> Iterator[Output]:
        for month, ids in papers_by_month(site).items():
            yield Output((routes.papers_api_month(month).path,), PapersApiMonth(month, Papers(ids)))

    def render(self, r: Renderers) -> Iterator[Artifact]:
        yield papers_api(r.routes.papers_api_month(self.month), self.papers, r.api_records)


class SitemapIndex(NamedTuple):
    """The sitemap index: a sitemap may list at most 50,000 URLs."""

    blocks: int  # sitemaps of papers

    @staticmethod
    def outputs(site: Site, routes: Routes) -> Iterator[Output]:
        yield Output((routes.sitemap().path,), SitemapIndex(len(sitemap_blocks(site))))

    def render(self, r: Renderers) -> Iterator[Artifact]:
        yield sitemap_index(r.routes, self.blocks)


class SitemapOfPages(NamedTuple):
    """The sitemap of every page but the papers' (in their own sitemaps) and the 404 page.
    Not in `KINDS`: planned last, from the pages of the kinds planned before it, so a new
    kind's pages are in it without a word here."""

    pages: tuple[str, ...]  # their paths

    @staticmethod
    def of_plan(outputs: Iterable[Output], routes: Routes) -> Output:
        pages = [
            path
            for output in outputs
            if not isinstance(
                output.inputs, (PaperPage, NotFoundPage, FolderPage, MovedTopicPage, OwnFile)
            )
            for path in output.paths
            if path.endswith(".html")
        ]
        pages.sort(key=lambda path: page_at(path).url)  # the home page first
        return Output((routes.pages_sitemap().path,), SitemapOfPages(tuple(pages)))

    def render(self, r: Renderers) -> Iterator[Artifact]:
        yield sitemap_of_pages(r.routes, self.pages)


class SitemapOfPapers(NamedTuple):
    """The papers' pages in sitemaps of 10,000, oldest first: a new day changes the last."""

    number: int  # 1-based
    paper_ids: Ids  # not Papers: only their URLs are shown

    @staticmethod
    def outputs(site: Site, routes: Routes) -> Iterator[Output]:
        for number, block in enumerate(sitemap_blocks(site), start=1):
            path = routes.papers_sitemap(number).path
            yield Output((path,), SitemapOfPapers(number, Ids(block)))

    def render(self, r: Renderers) -> Iterator[Artifact]:
        yield sitemap_of_papers(r.routes, self.number, self.paper_ids)


class FolderPage(NamedTuple):
    """A folder of pages or feeds with no page of its own (/top/week/, the weekly digest's
    /top/weekly/): a page linking a reader who cut an address back to the page listing what
    it holds (a reader's trial met the 404 page there)."""

    folder: Route
    target: Route
    name: str  # the target page's title
    feeds: ListingRoutes | None = None  # the feeds the folder holds (a digest's): advertised
    feeds_name: str = ""  # theirs, which a reader subscribes to

    @staticmethod
    def outputs(site: Site, routes: Routes) -> Iterator[Output]:
        # A digest's folder holds its feeds: a reader who pastes it into a feed reader finds
        # them (a reader's trial found none).
        digests = (
            (routes.period_digest(WEEK), TOP_TITLE, WEEKLY_DIGEST),
            (routes.period_digest(MONTH), TOP_TITLE, MONTHLY_DIGEST),
            (routes.days_index(), DAYS_TITLE, DAILY_DIGEST),
        )
        for feeds, name, feeds_name in digests:
            folder = Routes.folder_of(feeds.rss)
            yield Output((folder.path,), FolderPage(folder, feeds.html, name, feeds, feeds_name))
        for kind in (WEEK, MONTH):  # /top/week/, /top/month/: to the part of /top/ listing them
            if periods := site.periods[kind]:
                inside = routes.top(kind, periods[0].period.slug).html
                yield FolderPage._of(inside, routes.period_digest(kind).html, TOP_TITLE)
        size = site.config.pages.topic_page_size
        for t in site.topics:  # a topic's page/ folder: to the topic's own page
            if t.archive_pages(size):
                inside = routes.topic(t.topic.slug, 1).html
                yield FolderPage._of(inside, routes.topic(t.topic.slug).html, t.topic.name)

    @staticmethod
    def _of(inside: Route, target: Route, name: str) -> Output:
        """The page of the folder holding the page `inside`, linking `target`, titled `name`."""
        folder = Routes.folder_of(inside)
        return Output((folder.path,), FolderPage(folder, target, name))

    def render(self, r: Renderers) -> Iterator[Artifact]:
        yield r.pages.folder(self.folder, self.target, self.name, self.feeds, self.feeds_name)


class NotFoundPage(NamedTuple):
    """404.html, which static hosts serve for any missing path."""

    @staticmethod
    def outputs(site: Site, routes: Routes) -> Iterator[Output]:
        yield Output((routes.not_found().path,), NotFoundPage())

    def render(self, r: Renderers) -> Iterator[Artifact]:
        yield r.pages.not_found()


class RobotsTxt(NamedTuple):
    """robots.txt, naming the sitemap; a robots.txt of static/ is the site's instead."""

    @staticmethod
    def outputs(site: Site, routes: Routes) -> Iterator[Output]:
        path = routes.robots().path
        if not any(own == path for own, _, _ in site.own_files):
            yield Output((path,), RobotsTxt())

    def render(self, r: Renderers) -> Iterator[Artifact]:
        yield robots(r.routes)


# A period's outputs name every paper it featured, so an edit of any of them changes their
# key, with the upvotes its days ranked them by (PeriodListing.again), and rank them when
# rendered; a new day re-ranks only the open week and month. They name them by day, each
# day's papers the value its day's outputs name, whose states a plan joins once (the rebuild
# budget, under 2 s at 50k papers: 100,000 lookups of a state, not joined again for weeks and
# months).
class TopPage(NamedTuple):
    """A week's or month's most upvoted papers, linking the periods before and after it."""

    period: Period
    days: tuple[Papers, ...]  # the papers of each of its days, oldest first
    again: Counts  # its papers featured again and ranked so (PeriodListing.again)
    still_open: bool  # more days may come (PeriodListing.open)
    newer: Period | None
    older: Period | None

    @staticmethod
    def outputs(site: Site, routes: Routes) -> Iterator[Output]:
        for kind in (WEEK, MONTH):
            found = site.periods[kind]
            for i, p in enumerate(found):
                newer = found[i - 1].period if i > 0 else None
                older = found[i + 1].period if i + 1 < len(found) else None
                page = TopPage(p.period, p.days, p.again, p.open, newer, older)
                yield Output((routes.top(kind, p.period.slug).html.path,), page)

    def render(self, r: Renderers) -> Iterator[Artifact]:
        papers = featured(self.days)
        top = top_papers(self.period.kind, papers, self.again, r.site.upvotes)
        yield r.pages.top(
            self.period, top, dict(self.again), len(papers), self.still_open, self.newer, self.older
        )


class TopFeed(NamedTuple):
    """A week's or month's most upvoted papers as RSS, Atom and JSON Feed."""

    period: Period
    days: tuple[Papers, ...]  # the papers of each of its days, oldest first
    again: Counts  # its papers featured again and ranked so (PeriodListing.again)
    still_open: bool

    @staticmethod
    def outputs(site: Site, routes: Routes) -> Iterator[Output]:
        for kind in (WEEK, MONTH):
            for listing in site.periods[kind]:
                inputs = TopFeed(listing.period, listing.days, listing.again, listing.open)
                yield Output(routes.top(kind, listing.period.slug).feed_paths, inputs)

    def render(self, r: Renderers) -> Iterator[Artifact]:
        top = top_papers(self.period.kind, featured(self.days), self.again, r.site.upvotes)
        spec = r.feeds.top(self.period, top, dict(self.again), still_open=self.still_open)
        yield from render_feed(spec, r.site.config, r.routes)


class TopIndex(NamedTuple):
    """Every week and month, newest first, with its number of papers."""

    weeks: tuple[tuple[Period, int, bool], ...]  # (week, papers featured, still open)
    months: tuple[tuple[Period, int, bool], ...]

    @staticmethod
    def outputs(site: Site, routes: Routes) -> Iterator[Output]:
        weeks, months = (
            tuple((p.period, len(p.papers), p.open) for p in site.periods[kind])
            for kind in (WEEK, MONTH)
        )
        yield Output((routes.top_index().html.path,), TopIndex(weeks, months))

    def render(self, r: Renderers) -> Iterator[Artifact]:
        yield r.pages.top_index(self.weeks, self.months)


class PeriodDigestFeed(NamedTuple):
    """One item per closed week (the weekly digest) or month (the monthly), listing its top
    papers, newest first."""

    kind: str  # WEEK or MONTH
    # As TopFeed's, and when the item is dated (Site.digest_dated)
    periods: tuple[tuple[Period, tuple[Papers, ...], Counts, datetime], ...]

    @staticmethod
    def outputs(site: Site, routes: Routes) -> Iterator[Output]:
        for kind in (WEEK, MONTH):
            listed = {p.period: p for p in site.periods[kind]}
            closed = [listed[period] for period in site.digest_listing.periods(kind)]
            periods = tuple(
                (p.period, p.days, p.again, site.digest_dated(p.period.slug, p.period.last))
                for p in closed
            )
            yield Output(routes.period_digest(kind).feed_paths, PeriodDigestFeed(kind, periods))

    def render(self, r: Renderers) -> Iterator[Artifact]:
        periods = tuple(
            (period, top_papers(self.kind, featured(days), again, r.site.upvotes), dict(again), at)
            for period, days, again, at in self.periods
        )
        spec = r.feeds.period_digest(self.kind, periods)
        yield from render_feed(spec, r.site.config, r.routes)


def _custom_feed_papers(r: Renderers, inputs: CustomFeedPage | CustomFeedFeed) -> tuple[str, ...]:
    """The papers a custom feed's page or feeds show: of its candidates, those it admits."""
    site = r.site
    matcher = FeedMatcher.of(inputs.feed)
    part = f"admitted by {inputs.feed.slug}"  # the papers' parts keep it: matching reads the paper

    def admits(paper_id: str) -> bool:
        def match() -> bool:
            return matcher.admits(site.papers[paper_id], site.paper_topics[paper_id])

        return r.parts.kept(paper_id, part, match)

    recent = partial(inputs.window.holds, site)
    return select_papers(admits, inputs.candidates, site.config.feeds.items, recent)


class CustomFeedPage(NamedTuple):
    """A custom feed's page: its rules and the newest papers it admits."""

    feed: CustomFeed
    candidates: Papers  # newest first
    window: FeedWindow  # which candidates it shows however many (if it admits them)

    @staticmethod
    def outputs(site: Site, routes: Routes) -> Iterator[Output]:
        candidates, window = custom_feed_candidates(site), FeedWindow.of(site)
        for feed in site.config.custom_feeds:
            inputs = CustomFeedPage(feed, candidates, window)
            yield Output((routes.custom_feed(feed.slug).html.path,), inputs)

    def render(self, r: Renderers) -> Iterator[Artifact]:
        yield r.pages.custom_feed(self.feed, _custom_feed_papers(r, self))


class CustomFeedFeed(NamedTuple):
    """A custom feed's newest papers as RSS, Atom and JSON Feed."""

    feed: CustomFeed
    candidates: Papers  # newest first
    window: FeedWindow  # as CustomFeedPage's
    whole: tuple[date, ...]  # as TopicFeed's, of the candidates' days

    @staticmethod
    def outputs(site: Site, routes: Routes) -> Iterator[Output]:
        candidates, window = custom_feed_candidates(site), FeedWindow.of(site)
        whole = whole_days_of_items(site, candidates)
        for f in site.config.custom_feeds:
            inputs = CustomFeedFeed(f, candidates, window, whole)
            yield Output(routes.custom_feed(f.slug).feed_paths, inputs)

    def render(self, r: Renderers) -> Iterator[Artifact]:
        papers = _custom_feed_papers(r, self)
        spec = r.feeds.custom(self.feed, papers)
        # Of its own items' days (self.whole, of every candidate's, keys it): a day it lists
        # nothing of moved its time (a review).
        whole = [day for day in whole_days_of_items(r.site, papers) if day in self.whole]
        yield from render_feed(spec, r.site.config, r.routes, whole=whole)


KINDS = (
    StaticFile, EmptyHome, DayPage, DayFeed, DaysIndex, DigestFeed, TopicsIndex, TopicPage,
    TopicArchivePage, TopicFeed, MovedTopicPage, AllPapersFeed, FeedsPage, Opml, PaperPage,
    PapersApi, PapersApiMonth, SitemapIndex, SitemapOfPapers, NotFoundPage, RobotsTxt,
    TopPage, TopFeed, TopIndex, PeriodDigestFeed, CustomFeedPage, CustomFeedFeed,
    SearchPage, PapersIndex, FolderPage, OwnFile,
)  # fmt: skip
# Kinds that list the newest papers, which a new day changes: a build keeps the parts
# (sitegen.parts) of the papers they show for the next one, which renders them again.
NEWEST_LISTS = (TopicPage, TopicFeed, AllPapersFeed, CustomFeedPage, CustomFeedFeed)


@dataclass(frozen=True, slots=True)
class PaperOutputs:
    """The paper pages, one per paper, planned without making them: each one's path and key
    (the paper's state alone), and the output itself only when asked (`output`). The rebuild
    budget (a new day at 50k papers under 2 s) needs it: 50,000 Outputs and their keys took
    a second to make at each build, for the 150 a day renders."""

    ids: tuple[str, ...]  # site.ids
    paths: list[str]  # of each paper, in the order of `ids`
    keys: list[str]  # of each paper's output: changes with the setup and the paper's state

    @staticmethod
    def plan(
        site: Site, routes: Routes, *, setup: str, paper_states: Mapping[str, str]
    ) -> PaperOutputs:
        kind_digest = one_paper_key(setup, PaperPage.__name__, "")  # the same for every paper
        keys = [kind_digest + paper_states[i] for i in site.ids]
        paths = [routes.paper_path(paper_id) for paper_id in site.ids]
        return PaperOutputs(site.ids, paths, keys)

    def output(self, index: int, routes: Routes) -> Output:
        return PaperPage.of_paper(self.ids[index], routes)


def plan_keyed(
    site: Site, routes: Routes, *, setup: str, paper_states: Mapping[str, str]
) -> Iterator[tuple[Output, str] | PaperOutputs]:
    """Every output of the site with its key (`output_key`), in a fixed order: each kind's of
    `KINDS`, the paper pages as one `PaperOutputs`, then the sitemap of the pages planned."""
    joined: Joined = {}  # for the whole plan: outputs share the site's listings
    planned: list[Output] = []
    paper_pages = PaperOutputs.plan(site, routes, setup=setup, paper_states=paper_states)
    for kind in KINDS:
        if kind is PaperPage:
            yield paper_pages
            continue
        for output in kind.outputs(site, routes):
            planned.append(output)
            yield output, output_key(output, setup=setup, paper_states=paper_states, joined=joined)
    sitemap = SitemapOfPages.of_plan(planned, routes)
    _check_own_files(site, [*planned, sitemap], paper_pages.paths)
    yield sitemap, output_key(sitemap, setup=setup, paper_states=paper_states, joined=joined)


def plan(site: Site, routes: Routes) -> Iterator[Output]:
    """Every output of the site, one by one, in `plan_keyed`'s order, without their keys: what
    tests and tools render from values."""
    paper_states = dict.fromkeys(site.ids, "")
    for planned in plan_keyed(site, routes, setup="", paper_states=paper_states):
        if isinstance(planned, PaperOutputs):
            yield from PaperPage.outputs(site, routes)
        else:
            yield planned[0]


def _check_own_files(site: Site, planned: list[Output], more: Iterable[str]) -> None:
    """A file of static/ where the site has a page or feed (of `planned`, or `more` paths),
    or a folder of them, or below one of its files, is an error naming it: one of the two
    would be lost."""
    if not site.own_files:
        return
    made = {p for o in planned if not isinstance(o.inputs, OwnFile) for p in o.paths}
    made.update(more)
    copied = {p for o in planned if isinstance(o.inputs, StaticFile) for p in o.paths}
    folders = {path[:i] for path in made for i in slash_places(path)}
    for path, _, _ in site.own_files:
        above = [path[:i] for i in slash_places(path)]
        if path in made or path in folders or any(folder in made for folder in above):
            raise ContentError(
                f"the site makes {path} itself" if path in made
                else f"the site has pages or feeds where this file would be ({path})",
                # From the site's folder, as content/'s files are named (a new user's trial).
                location=Location(f"{STATIC_DIR}/{path}"),
                hint=f"edit templates/{path} instead: the site copies it from there"
                if path in copied
                else "rename it or move it: static/ is for files the site does not make",
            )  # fmt: skip
    # Names that differ only by case are one file on macOS and Windows: a build there keeps one
    # of the two (static/RSS.xml or the feed rss.xml), and a clone there one of two own files.
    by_case = {p.casefold(): p for p in made}
    for path, _, _ in site.own_files:
        other = by_case.setdefault(path.casefold(), path)
        if other != path:
            whose = "the site makes " if other in made else "there is static/"
            raise ContentError(
                f"{whose}{other} too, a name that differs only by case",
                location=Location(f"{STATIC_DIR}/{path}"),
                hint="rename it: macOS and Windows take names that differ only by case for one"
                " file, and a build or clone there keeps one of the two",
            )


def output_key(
    output: Output,
    *,
    setup: str,
    paper_states: Mapping[str, str],
    joined: Joined | None = None,
) -> str:
    """A digest of everything `output`'s bytes are made from; `joined` may be shared by the
    outputs of one plan."""
    kind = type(output.inputs).__name__
    if isinstance(output.inputs, PaperPage):
        (paper_id,) = output.inputs.paper
        return one_paper_key(setup, kind, paper_states[paper_id])
    shown = shown_of(output.inputs, paper_states, {} if joined is None else joined)
    return key_of(setup, kind, shown)


def renderers(
    site: Site,
    routes: Routes,
    env: Environment,
    *,
    templates: str,
    read_file: Callable[[str], bytes],
    api_records: Mapping[str, str],
    abstracts: AbstractHTML | None = None,
    parts: PaperParts | None = None,
) -> Renderers:
    """Renderers for a batch of outputs; `abstracts` may be shared by the batches of a process,
    `parts` by its builds."""
    abstracts = abstracts if abstracts is not None else AbstractHTML(site.papers)
    parts = parts if parts is not None else PaperParts()
    return Renderers(
        site=site,
        routes=routes,
        pages=Pages(site, routes, env, abstracts, parts),
        feeds=Feeds(site, routes, abstracts, parts),
        templates=templates,
        read_file=read_file,
        api_records=api_records,
        parts=parts,
    )
