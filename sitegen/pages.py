"""HTML pages: view models in Python, presentation in templates (the files for crawlers
and scripts are sitegen.sitemaps' and sitegen.api's).

Each page is rendered from the inputs its output names (sitegen.outputs): the papers it lists
are given by id, and only those are read. Templates receive ready values (text, relative
hrefs, pre-rendered abstract HTML: sitegen.abstracts) and decide nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import partial
from itertools import groupby
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, Template, UndefinedError
from markupsafe import Markup

from sitegen.abstracts import AbstractHTML, summarize
from sitegen.bylines import (
    AUTHORS_NAMED,
    ELSEWHERE,
    Link,
    authors_line,
    card_links,
    paper_links,
    unnamed_authors,
)
from sitegen.custom_feeds import CUSTOM_FEED_DAYS, CustomFeed
from sitegen.dates import human_date, iso_month, month_abbreviation, month_name, short_month
from sitegen.errors import NAMES_GIVEN
from sitegen.letters import OWN_LETTERS
from sitegen.model import ARXIV_ID_SHAPE, Artifact
from sitegen.parts import PaperParts
from sitegen.periods import MONTH, WEEK, Period, first_in, period_of, ranked_count
from sitegen.site import Site
from sitegen.trends import RISING_RULE, BarChart, Sparkline, Trend, bar_chart, sparkline
from sitegen.urls import SEARCH_MANIFEST, SEARCH_WORDS, ListingRoutes, Route, Routes
from sitegen.wording import thousands


def card_anchor(paper_id: str) -> str:
    """The id of a paper's card on a day's page (a browser opens the fold it is in)."""
    return f"paper-{paper_id}"


@dataclass(frozen=True, slots=True)
class FeedRow:
    """A feed as /feeds/ lists it: its name, linking its page, what it holds, its formats."""

    name: str
    text: str
    page: str
    rss: str
    atom: str
    json: str | None  # JSON Feed, where it has one

    def __iter__(self) -> Iterator[str | None]:
        """(name, text, rss, atom, json): a feeds.html of 0.2.0 unpacks each row so."""
        return iter((self.name, self.text, self.rss, self.atom, self.json))


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
    rank: int | None  # on a day's page, and a period's top papers
    featured: Link | None  # the day that first featured it, on lists that are not a day's
    upvotes: int | None
    authors: str  # names, else their count
    organization: str
    summary: str
    links: tuple[Link, ...]  # to the paper elsewhere: Hugging Face, arXiv, PDF, code, project
    topics: tuple[Link, ...]
    line: bool = False  # one line of facts (a topic's archive), the day as text
    anchor: str = ""  # its id on a day's page, which the paper's page links to
    published: str = ""  # its arXiv date, "Nov 3, 2025"; a _card.html of 0.2.0 shows it

    @property
    def byline(self) -> str:
        """Its authors and organization in one line, as a _card.html of 0.2.0 shows them."""
        return " · ".join(part for part in (self.authors, self.organization) if part)


DAYS_TITLE = "All days"  # /days/'s
TOP_TITLE = "Top papers by week and month"  # /top/'s
# The digests' feeds, as the pages that list them name them.
WEEKLY_DIGEST, MONTHLY_DIGEST = "Top papers of each week", "Top papers of each month"
DAILY_DIGEST = "The daily digest"

_SLOT = "{}"  # where a url pattern's id, day or slug goes (the 404 page's url_patterns)

# A card's form: paper id, link prefix, rank, on its day, topic, compact, period, upvotes shown.
CardKey = tuple[str, str, int | None, bool, str, bool, Period | None, int | None]


class Pages:
    """Renders the site's pages; the pages one instance renders share their paper cards."""

    def __init__(
        self,
        site: Site,
        routes: Routes,
        env: Environment,
        abstracts: AbstractHTML,
        parts: PaperParts,
    ):
        self.site, self.routes, self.env = site, routes, env
        self.abstracts, self.parts = abstracts, parts
        self.topic_names = site.config.topic_names()
        self.site_feeds = routes.home()
        # Loaded when first used: a build's own process, which renders the API while the
        # workers render pages, never compiles it.
        self.card_template: Template | None = None
        self.cards: dict[CardKey, Markup] = {}
        self._day_routes: dict[date, ListingRoutes] = {}  # made once each (day_routes)

    def day_routes(self, day: date) -> ListingRoutes:
        """`routes.day(day)`, made once: every card and paper page links its papers' days."""
        found = self._day_routes.get(day)
        if found is None:
            found = self._day_routes[day] = self.routes.day(day)
        return found

    def page(
        self,
        template: str,
        route: Route,
        *,
        title: str,
        feeds: ListingRoutes | None,
        description: str | None = None,
        absolute_links: bool = False,
        advertise_feeds: bool = True,
        feed_title: str | None = None,
        more_feeds: tuple[tuple[str, ListingRoutes], ...] = (),
        goes_on_in: tuple[str, ListingRoutes] | None = None,
        **values: Any,
    ) -> Artifact:
        """`goes_on_in`: where the page's own feeds, which stop getting items (a day's, a
        week's), go on (the site's, the weekly digest's), advertised first: a reader's
        "subscribe" takes the first feed a page advertises."""
        href: Callable[[Route], str] = (
            self.routes.root_relative if absolute_links else partial(Routes.relative, route)
        )
        feed_title = feed_title or (title if feeds else self.site.config.title)

        def rss_and_atom(name: str, listing: ListingRoutes) -> tuple[FeedLink, FeedLink]:
            return (
                FeedLink(f"{name} (RSS)", href(listing.rss), "application/rss+xml"),
                FeedLink(f"{name} (Atom)", href(listing.atom), "application/atom+xml"),
            )

        site = self.site_feeds
        the_sites = (
            rss_and_atom(self.site.config.title, site)
            if feeds and feeds != site and (goes_on_in is None or goes_on_in[1] != site)
            else ()
        )
        context = {
            "lang": self.site.config.language,
            "site_title": self.site.config.title,
            "page_title": title if route.url else self.site.config.title,
            "description": self.site.config.description if description is None else description,
            # Its absolute URL: today's base.html links none (pages link relatively), 0.2.0's did.
            "canonical": self.routes.absolute(route),
            "css": href(self.routes.stylesheet()),
            "icon": href(self.routes.icon()),
            "nav": self.nav(href, route),
            "home": href(self.site_feeds.html),
            "search": href(self.routes.search()),
            "alternates": ()
            if not advertise_feeds
            else (
                *(rss_and_atom(*goes_on_in) if goes_on_in else ()),
                *rss_and_atom(feed_title, feeds or self.site_feeds),
                *(
                    (FeedLink(f"{feed_title} (JSON)", href(json_feed), "application/feed+json"),)
                    if feeds and (json_feed := feeds.json)
                    else ()
                ),
                # Then the page's other feeds (titled), in RSS and Atom.
                *(link for name, other in more_feeds for link in rss_and_atom(name, other)),
                # Then the site's: a reader's "subscribe" on a past day or a closed week picked
                # a feed that never gets a new item.
                *the_sites,
            ),
        }
        # A page's value named as one every page is given would replace it on that page alone,
        # in silence (a contributor's trial: /orgs/'s `orgs` became its footer's link).
        if shadowed := sorted(context.keys() & values.keys()):
            raise TypeError(f"{template}: {', '.join(shadowed)} is a name every page is given")
        context |= values
        try:
            html = self.env.get_template(template).render(context)
        except (UndefinedError, TypeError, ValueError) as error:
            # What the template could have named (a fork owner's trial: `base_url`), which
            # `templating.kept_template_hint` puts in its hint; a value unpacked as a kept
            # template expects it (`for month, days in months`) is a ValueError or TypeError.
            error.add_note(f"{NAMES_GIVEN}{', '.join(sorted(context))}")
            raise
        return Artifact(route.path, html.encode())

    def nav(self, href: Callable[[Route], str], current: Route) -> tuple[tuple[Link, str], ...]:
        """The sections, each with its aria-current: "page" on the section's own page, "true"
        on a page inside it (a day of Days, which is not the page Days links to), else ""."""
        sections = (
            ("Days", self.routes.days_index().html),
            ("Topics", self.routes.topics_index()),
            ("Top", self.routes.top_index().html),
            ("Feeds", self.routes.feeds_page()),
        )
        here = current.url
        return tuple(
            (
                Link(name, href(r)),
                "page" if here == r.url else "true" if here.startswith(r.url) else "",
            )
            for name, r in sections
        )

    def card(
        self,
        paper_id: str,
        source: Route,
        *,
        rank: int | None = None,
        on_day: bool = False,
        topic: str = "",
        compact: bool = False,
        within: Period | None = None,
        ranked_by: Mapping[str, int | None] | None = None,
    ) -> Markup:
        """A paper in a list, rendered once per link depth, rank, topic and form, then reused.

        On its day's page (`on_day`) it has no day and no topics; on a topic's page, the other
        topics; in `compact` form (a topic's archive) no summary or topics; on a week's or a
        month's page (`within`), the day of that period that featured it. Its upvotes are the
        count the list ranks it by (`ranked_by`, of papers featured again: a day's own count),
        else its own. What a page repeats for each of its papers is most of the site's bytes
        (issue #17); the paper's page has it all."""
        # Cards link from the root, so any page of the same depth can reuse them (a compact
        # card on every topic's archive).
        prefix = "../" * source.path.count("/")
        topic = "" if compact else topic
        upvotes = ranked_count(paper_id, self.site.upvotes, ranked_by or {})
        key = (paper_id, prefix, rank, on_day, topic, compact, within, upvotes)
        if (html := self.cards.get(key)) is None:
            # A card with no rank, day or form of its own is what a topic's page and a custom
            # feed's show, which a new day changes: kept in the paper's parts.
            def make() -> str:
                return self._card_html(
                    paper_id, prefix, rank, on_day, topic, compact, within, upvotes
                )

            kept = rank is None and not on_day and not compact
            text = self.parts.kept(paper_id, f"card {prefix} {topic}", make) if kept else make()
            html = self.cards[key] = Markup(text)
        return html

    def _card_html(
        self,
        paper_id: str,
        prefix: str,
        rank: int | None,
        on_day: bool,
        topic: str,
        compact: bool,
        within: Period | None,
        upvotes: int | None,
    ) -> str:
        paper = self.site.papers[paper_id]
        appearances = self.site.appearances.get(paper.id, ())
        # On a week's page, its day of that week (a paper of Nov 3, 2025 featured again on
        # Nov 22, 2026 said "Nov 3, 2025" on that week's page: found by a reader's review).
        first = (first_in(within, appearances),) if within else appearances[:1]
        card = Card(
            title=paper.title,
            href=prefix + self.routes.paper_url(paper.id),
            rank=rank,
            featured=(
                Link(  # to its card there, not the top of a long day
                    human_date(first[0].day),
                    f"{prefix}{self.day_routes(first[0].day).html.url}#{card_anchor(paper.id)}",
                )
                if first and not on_day
                else None
            ),
            upvotes=upvotes,
            authors=authors_line(paper),
            organization=paper.organization_name,
            summary=""
            if compact
            else summarize(paper.abstract, self.site.config.pages.summary_chars),
            links=tuple(card_links(paper)),
            topics=tuple(
                Link(self.topic_names[slug], prefix + self.routes.topic(slug).html.url)
                for slug in self.site.paper_topics[paper.id]
                if slug != topic and not on_day and not compact
            ),
            line=compact,
            anchor=card_anchor(paper.id) if on_day else "",
            published=human_date(paper.published) if paper.published else "",
        )
        if self.card_template is None:
            self.card_template = self.env.get_template("_card.html")
        try:
            return self.card_template.render(card=card)
        except (UndefinedError, TypeError, ValueError) as error:  # as a page's: its names
            error.add_note(f"{NAMES_GIVEN}card ({', '.join(Card.__dataclass_fields__)})")
            raise

    def empty_home(self) -> Artifact:
        home = self.routes.home()
        return self.page("empty.html", home.html, title=self.site.config.title, feeds=home)

    def day(
        self,
        day: date,
        papers: tuple[str, ...],
        ranked_by: Mapping[str, int | None],
        newer: date | None,
        older: date | None,
        *,
        filling: bool,
        home: bool,
    ) -> Artifact:
        """A day's papers in rank order, those featured again ranked by the count of
        `ranked_by` (DayListing.again); `filling`: had only before it ended, so more may come;
        `home`: as the home page, at the root."""
        route = self.routes.day(day)
        target = self.site_feeds.html if home else route.html
        href = partial(Routes.relative, target)

        def link(other: date | None) -> Link | None:
            return Link(human_date(other), href(self.routes.day(other).html)) if other else None

        title = f"Papers of {human_date(day)}"
        week = period_of(day, WEEK)
        settings = self.site.config.pages
        # The home page shows the day's first papers and links the rest; a day's own page
        # folds a long day's tail, so a 278-paper day is not one endless page.
        shown = papers[: settings.home_papers if home else settings.day_papers]
        cards = [
            self.card(p, target, rank=i, on_day=True, ranked_by=ranked_by)
            for i, p in enumerate(papers, start=1)
        ]
        whole_day = None
        if home and len(shown) < len(papers):
            whole_day = Link(
                f"All {thousands(len(papers))} papers of {human_date(day)}", href(route.html)
            )
        return self.page(
            "day.html",
            target,
            title=title,
            feeds=self.site_feeds if home else route,
            # The home page's feeds are the site's, of all papers, not the day's.
            feed_title=self.site.config.title if home else None,
            goes_on_in=None if home else (self.site.config.title, self.site_feeds),
            heading=title,
            is_home=home,
            count=len(papers),
            # The morning's run has today's first papers: a reader took them for the whole day.
            filling=filling,
            # Every paper of the day (a day.html of 0.2.0 lists them all), and apart the first
            # ones, shown open, and on the day's own page the others, folded.
            cards=cards,
            open_cards=cards[: len(shown)],
            folded_cards=[] if home else cards[len(shown) :],
            whole_day=whole_day,
            newer=link(newer),
            older=link(older),
            day_feeds=_feed_links(href, route),
            site_feeds=_feed_links(href, self.site_feeds, json=False),
            digest=Link("daily digest", href(self.routes.days_index().rss)),
            # How many are ranked by a count (a day of a text listing without: none).
            counted=sum(
                1 for p in papers if ranked_count(p, self.site.upvotes, ranked_by) is not None
            ),
            # Its week's most upvoted, which the day's page is where a reader looks for them
            # (found by a reader's review: reached only from Top, then the week).
            week=Link(week.name, href(self.routes.top(WEEK, week.slug).html)),
        )

    def days_index(self, days: tuple[tuple[date, int], ...]) -> Artifact:
        """Every day by month, newest first: (day, number of papers) of each."""
        route = self.routes.days_index()
        href = partial(Routes.relative, route.html)
        by_month = [
            (month, list(in_month))
            for month, in_month in groupby(days, key=lambda d: d[0].replace(day=1))
        ]
        # Pairs, as a days.html of 0.2.0 loops over them; each month's anchor (where the 404
        # page sends "days/2026-06/") a name of its own, by heading.
        months = [
            (
                month_name(month),
                [
                    (Link(human_date(day), href(self.routes.day(day).html)), count)
                    for day, count in in_month
                ],
            )
            for month, in_month in by_month
        ]
        # Each year's months, to jump to: the index of six years of days is 92 screens of a
        # phone (a trial of a site of 100,000 papers).
        years = [
            (
                year,
                [Link(month_abbreviation(month), f"#{iso_month(month)}") for month, _ in in_year],
            )
            for year, in_year in groupby(by_month, key=lambda m: m[0].year)
        ]
        return self.page(
            "days.html",
            route.html,
            title=DAYS_TITLE,
            feeds=route,
            feed_title=DAILY_DIGEST,  # /digest/'s feeds, by the name they have there
            months=months,
            month_anchors={month_name(month): iso_month(month) for month, _ in by_month},
            years=years if len(by_month) > 1 else [],
            papers=href(self.routes.papers_index()),
        )

    def topics_index(self, counts: tuple[int, ...], trends: tuple[Trend, ...]) -> Artifact:
        """Every topic of site.toml with its number of papers (`counts`, in that order) and,
        given `trends`, a sparkline of its papers per month and whether it is rising."""
        route = self.routes.topics_index()
        topics = [
            (
                Link(topic.name, Routes.relative(route, self.routes.topic(topic.slug).html)),
                topic.description,
                count,
            )
            for topic, count in zip(self.site.config.topics, counts, strict=True)
        ]
        lines: list[tuple[Sparkline, bool] | None] = [(sparkline(t), t.rising) for t in trends]
        return self.page(
            "topics.html",
            route,
            title="Topics",
            feeds=None,
            topics=topics,
            trends=lines or [None] * len(topics),
            rising_rule=RISING_RULE,
            months=(short_month(trends[0].months()[0]), short_month(trends[0].last_month))
            if trends
            else None,
            gaps=bool(trends) and None in trends[0].counts,  # the same months for every topic
        )

    def topic_front(
        self,
        slug: str,
        papers: tuple[str, ...],
        archive_pages: int,
        count: int,
        *,
        trend: Trend | None,
        years: tuple[tuple[int, int], ...] = (),
    ) -> Artifact:
        """A topic's own page: its newest `papers` of `count`, linking its archive pages (and
        the page each of `years` begins on), with a chart of its `trend`."""
        return self._topic(
            slug,
            None,
            papers,
            count=count,
            older=archive_pages or None,
            chart=bar_chart(trend) if trend else None,
            years=years,
        )

    def topic_archive(
        self, slug: str, number: int, papers: tuple[str, ...], last: bool
    ) -> Artifact:
        """Archive page `number` of a topic (1 holds the oldest papers); the `last` one links
        to the topic's own page as its newer one. What it shows never depends on newer papers."""
        return self._topic(
            slug, number, papers, count=None, older=number - 1 or None, newer_is_front=last
        )

    def _topic(
        self,
        slug: str,
        number: int | None,
        papers: tuple[str, ...],
        *,
        count: int | None,
        older: int | None,
        newer_is_front: bool = False,
        chart: BarChart | None = None,
        years: tuple[tuple[int, int], ...] = (),
    ) -> Artifact:
        size = self.site.config.pages.topic_page_size
        topic = self.site.config.topic(slug)
        route = self.routes.topic(slug, number)

        def href(page: int | None) -> str:
            return Routes.relative(route.html, self.routes.topic(slug, page).html)

        if number is None:
            title, newer, span = topic.name, None, None
        else:
            span = ((number - 1) * size + 1, number * size)
            # Its papers, not "page 1" for the page "Older" leads to: pages
            # are numbered from the oldest, so that a page's address and bytes never change.
            title = f"{topic.name}: papers {thousands(span[0])} to {thousands(span[1])}"
            newer = href(None if newer_is_front else number + 1)
        return self.page(
            "topic.html",
            route.html,
            title=title,
            feeds=route,
            feed_title=topic.name,  # an archive page's feeds are the topic's own
            topic_feeds=_feed_links(partial(Routes.relative, route.html), route)
            if number is None
            else (),
            description=topic.description,
            topic=topic,
            count=count,
            span=span,
            # An archive page is an index of older papers: one line of facts each, which is
            # most of the site's size budget (#17) a paper's summary would otherwise take again.
            cards=[self.card(p, route.html, topic=slug, compact=span is not None) for p in papers],
            newest=href(None) if number is not None else None,
            oldest=href(1) if older else None,
            newer=newer,
            older=href(older) if older else None,
            years=[Link(str(year), href(page)) for year, page in years],
            chart=chart,
        )

    def paper(self, paper_id: str) -> Artifact:
        """A paper's own page: its abstract, links, days and topics."""
        paper = self.site.papers[paper_id]
        route = self.routes.paper(paper.id)
        href = partial(Routes.relative, route)

        def searched(words: str) -> str:
            return f"{href(self.routes.search())}?{urlencode({'q': words})}"

        featured = [  # oldest first: the first is the day it was featured first
            Link(
                f"{human_date(a.day)} (#{a.rank})",
                f"{href(self.day_routes(a.day).html)}#{card_anchor(paper.id)}",
            )
            for a in self.site.appearances.get(paper.id, ())
        ]
        return self.page(
            "paper.html",
            route,
            title=paper.title,
            feeds=None,
            # A paper's page lists no papers: the site's feeds are one click away (Feeds), and
            # on 50,000 pages its links to them were 10 MiB (#17). Its first text is the
            # abstract, which search engines show: no description.
            advertise_feeds=False,
            description="",
            paper=paper,
            # Every author here, each a search of their papers alone, `author:"Jun Wang"` (a
            # reader's trial: the page said "and 7 more" and named them nowhere; another's:
            # "Jun Wang" also found Junke Wang's); else their count, if known.
            authors=[
                Link(name, searched(f'author:"{name.replace(chr(34), "")}"'))
                for name in paper.authors
            ],
            authors_shown=AUTHORS_NAMED,  # the others are folded
            # Authors the listing counted but did not name, said as the card says them.
            unnamed=unnamed_authors(paper),
            byline=authors_line(paper),
            organization=Link(paper.organization.name, searched(paper.organization.name))
            if paper.organization
            else None,
            published=human_date(paper.published) if paper.published else None,
            abstract_html=self.abstracts[paper.id],
            links=paper_links(paper),
            featured=featured,
            topics=[
                Link(self.topic_names[s], href(self.routes.topic(s).html))
                for s in self.site.paper_topics[paper.id]
            ],
        )

    def feeds_page(self) -> Artifact:
        """Every standing feed, and the OPML of them all."""
        routes = self.routes
        route = routes.feeds_page()
        href = partial(Routes.relative, route)

        def row(name: str, text: str, feeds: ListingRoutes) -> FeedRow:
            json = href(feeds.json) if feeds.json else None
            return FeedRow(name, text, href(feeds.html), href(feeds.rss), href(feeds.atom), json)

        config = self.site.config
        # Each feed's name links its page (a reader's trial: topics were plain text here).
        rows = [
            row(
                "All papers",
                # "First": a paper shown again is in its first day's items, not again (a
                # reader's trial read "every paper of the latest days" as the day's 278).
                f"Every paper first featured on the latest {config.feeds.days} days,"
                f" and at least the newest {config.feeds.items}",
                routes.home(),
            ),
            row("Daily digest", "One item per day, linking the day's page", routes.days_index()),
            *(
                row(
                    f"Top papers of each {kind}",
                    f"One item per closed {kind} with its most upvoted papers",
                    routes.period_digest(kind),
                )
                for kind in (WEEK, MONTH)
            ),
            *(
                row(
                    f.name, f.description or f.summary(self.topic_names), routes.custom_feed(f.slug)
                )
                for f in config.custom_feeds
            ),
            # The topics' many last: the site's few feeds and its own custom ones were found
            # under them only by scrolling past every topic.
            *(row(t.name, t.description, routes.topic(t.slug)) for t in config.topics),
        ]
        return self.page(
            "feeds.html",
            route,
            title="Feeds",
            feeds=None,
            rows=rows,
            opml=href(routes.opml()),
            top=href(routes.top_index().html),
        )

    def search_page(self) -> Artifact:
        """The search form and its results, found by the script of the search index."""
        route = self.routes.search()
        return self.page(
            "search.html",
            route,
            title="Search",
            feeds=None,
            site_root=Routes.relative(route, self.routes.home().html),
            script=Routes.relative(route, self.routes.search_index()),
            # Its ways on without the search, named apart from `nav`, whose links a fork's
            # menu may add to or reorder (issue #13: `nav[0]` was a fork's "About").
            days=Routes.relative(route, self.routes.days_index().html),
            topics=Routes.relative(route, self.routes.topics_index()),
            # sitegen's own files of the index, which the script fetches, named from its folder.
            index_files={"manifest": SEARCH_MANIFEST, "words": SEARCH_WORDS},
            elsewhere=ELSEWHERE,  # a result's links, as a card's
            own_letters=OWN_LETTERS,  # a query folded as the index folds a paper's words
            arxiv_id_shape=ARXIV_ID_SHAPE,  # a pasted id no paper has is linked where it is
        )

    def papers_index(self, count: int, first: date | None, newest: date | None) -> Artifact:
        """/papers/: how many papers have a page under it, and the ways to find one (a trial:
        a reader who cut a paper's address back to /papers/ met the 404 page)."""
        route = self.routes.papers_index()
        href = partial(Routes.relative, route)
        return self.page(
            "papers.html",
            route,
            title="Papers",
            feeds=None,
            count=count,
            first=human_date(first) if first else None,
            newest=human_date(newest) if newest else None,
            days=href(self.routes.days_index().html),
            topics=href(self.routes.topics_index()),
            top=href(self.routes.top_index().html),
        )

    def folder(
        self,
        folder: Route,
        target: Route,
        name: str,
        feeds: ListingRoutes | None,
        feeds_name: str,
    ) -> Artifact:
        """A folder with no page of its own, linking the reader to `target`, and to the
        `feeds` it holds, named `feeds_name` (FolderPage)."""
        href = partial(Routes.relative, folder)
        return self.page(
            "folder.html",
            folder,
            title=feeds_name or "No page here",
            name=name,
            feeds=feeds,
            feed_title=feeds_name or None,
            advertise_feeds=feeds is not None,
            href=href(target),
            feed_links=_feed_links(href, feeds) if feeds else (),
            moved=False,
        )

    def moved_topic(self, route: Route, target: Route, slug: str) -> Artifact:
        """A page (`route`) of a topic's slug of before a rename: where it is now (`target`),
        and the topic's feeds, which the old feeds' addresses carry too (MovedTopicPage)."""
        feeds = self.routes.topic(slug)
        href = partial(Routes.relative, route)
        name = self.topic_names[slug]
        return self.page(
            "folder.html",
            route,
            title=f"{name}: moved",
            name=name,
            feeds=feeds,
            feed_title=name,
            href=href(target),
            feed_links=_feed_links(href, feeds),
            moved=True,
        )

    def not_found(self) -> Artifact:
        routes = self.routes
        return self.page(
            "404.html",
            routes.not_found(),
            title="Page not found",
            feeds=None,
            absolute_links=True,
            papers=routes.root_relative(routes.papers_index()),
            days=routes.root_relative(routes.days_index().html),  # not `nav[0]`, as search's
            # The pages its script guesses an address meant, from the site root, "{}" where
            # the id, day or slug goes: the routes', so that a page moved is guessed there.
            url_patterns={
                "paper": routes.paper_url(_SLOT),
                "day": routes.day_url(_SLOT),
                "days": routes.days_index().html.url,
                "week": routes.top(WEEK, _SLOT).html.url,
                "month": routes.top(MONTH, _SLOT).html.url,
                "topic": routes.topic(_SLOT).html.url,
                "custom_feed": routes.custom_feed(_SLOT).html.url,
                "feeds": routes.feeds_page().url,
            },
            # For a mistyped or guessed topic or custom feed address ("topics/vision/",
            # "feeds/difusion/"): the nearest is offered.
            topic_slugs=[topic.slug for topic in self.site.config.topics],
            custom_feed_slugs=[feed.slug for feed in self.site.config.custom_feeds],
            elsewhere=ELSEWHERE,  # for an arXiv id the site holds no paper of
            arxiv_id_shape=ARXIV_ID_SHAPE,  # an id arXiv gives, not one cut by a digit
        )

    def top(
        self,
        period: Period,
        papers: tuple[str, ...],
        ranked_by: Mapping[str, int | None],
        featured: int,
        still_open: bool,
        newer: Period | None,
        older: Period | None,
    ) -> Artifact:
        """A week's or month's most upvoted `papers` of the `featured` ones, those featured
        again ranked by the count of `ranked_by` (PeriodListing.again)."""
        route = self.routes.top(period.kind, period.slug)
        href = partial(Routes.relative, route.html)
        digest = self.routes.period_digest(period.kind)

        def link(other: Period | None) -> Link | None:
            if other is None:
                return None
            return Link(other.name, href(self.routes.top(other.kind, other.slug).html))

        return self.page(
            "top.html",
            route.html,
            title=f"Top papers of {period.name}",
            feeds=route,
            goes_on_in=(WEEKLY_DIGEST if period.kind == WEEK else MONTHLY_DIGEST, digest),
            period=period,
            still_open=still_open,
            featured=featured,
            unrated=sum(1 for i in papers if ranked_count(i, self.site.upvotes, ranked_by) is None),
            cards=[
                self.card(p, route.html, rank=i, within=period, ranked_by=ranked_by)
                for i, p in enumerate(papers, start=1)
            ],
            newer=link(newer),
            older=link(older),
            own_feeds=_feed_links(href, route),
            # Named first: the week's own feeds stop getting items (a reader's trial).
            digest_feeds=_feed_links(href, digest),
            index=href(self.routes.top_index().html),
        )

    def top_index(
        self,
        weeks: tuple[tuple[Period, int, bool], ...],
        months: tuple[tuple[Period, int, bool], ...],
    ) -> Artifact:
        """Every week and month (period, papers featured, still open), newest first."""
        route = self.routes.top_index()
        href = partial(Routes.relative, route.html)

        def rows(found: tuple[tuple[Period, int, bool], ...]) -> list[tuple[Link, int, bool]]:
            return [
                (Link(p.name, href(self.routes.top(p.kind, p.slug).html)), n, still_open)
                for p, n, still_open in found
            ]

        # Each year's first week listed, to jump to: six years of weeks are 312 lines before
        # the months (a trial of a site of 100,000 papers).
        week_rows = rows(weeks)
        year_starts: dict[str, tuple[str, str]] = {}  # year -> (anchor, the week's link)
        for (period, _, _), (link, _, _) in zip(weeks, week_rows, strict=True):
            year = period.slug[:4]  # the ISO year of "2026-W47"
            year_starts.setdefault(year, (f"weeks-{year}", link.href))
        if len(year_starts) < 2:  # one year's weeks: nothing to jump to
            year_starts.clear()

        return self.page(
            "top_index.html",
            route.html,
            title=TOP_TITLE,
            feeds=route,
            feed_title=WEEKLY_DIGEST,  # the weekly digest: an item a week
            # The monthly digest too: it was linked in the body only.
            more_feeds=((MONTHLY_DIGEST, self.routes.period_digest(MONTH)),),
            # Pairs, as templates kept through an update of sitegen loop over them; an empty
            # site's sections say so (`none_yet`), kept for the "#months" the OPML links.
            sections=(("Weeks", week_rows), ("Months", rows(months))),
            week_years=[Link(y, f"#{a}") for y, (a, _) in year_starts.items()],
            row_ids={week: anchor for anchor, week in year_starts.values()},
            none_yet={"Weeks": "No week yet.", "Months": "No month yet."},
            # The sections' ids, and the link to the months', as the routes spell the monthly
            # digest's page ("top/#months"): one name, not three kept alike by hand (#13).
            section_ids={
                "Weeks": self.routes.top_section(WEEK),
                "Months": self.routes.top_section(MONTH),
            },
            months_section=href(self.routes.period_digest(MONTH).html),
            monthly=href(self.routes.period_digest(MONTH).rss),
        )

    def custom_feed(self, feed: CustomFeed, papers: tuple[str, ...]) -> Artifact:
        """A custom feed's page: its rules and the newest `papers` it admits."""
        route = self.routes.custom_feed(feed.slug)
        href = partial(Routes.relative, route.html)
        return self.page(
            "custom_feed.html",
            route.html,
            title=feed.name,
            feeds=route,
            description=feed.description or None,
            feed=feed,
            summary=feed.summary(self.topic_names),
            cards=[self.card(p, route.html) for p in papers],
            limit=self.site.config.feeds.items,
            recent_days=self.site.config.feeds.days,
            days=max(CUSTOM_FEED_DAYS, self.site.config.feeds.days),
            own_feeds=_feed_links(href, route),
        )


def _feed_links(
    href: Callable[[Route], str], feeds: ListingRoutes, *, json: bool = True
) -> tuple[Link, ...]:
    """A listing's feeds linked by their kinds: RSS, Atom, and JSON where it has one."""
    kinds = (("RSS", feeds.rss), ("Atom", feeds.atom), ("JSON", feeds.json if json else None))
    return tuple(Link(kind, href(route)) for kind, route in kinds if route is not None)
