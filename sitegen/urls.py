"""Every output path and URL of the site, decided in one place.

A route's `path` is the file under public/; its `url` is relative to the site root ("" for the
home page, "days/2025-10-31/" for a day). Pages link to each other relatively, so the site works
under any base URL subpath and from a local server at "/"; feeds, the sitemap and the API use
absolute URLs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from sitegen.periods import MONTH, WEEK


@dataclass(frozen=True, slots=True)
class Route:
    path: str  # file under public/
    url: str  # relative to the site root, "" is the root


@dataclass(frozen=True, slots=True)
class ListingRoutes:
    """A listing page and its feeds."""

    html: Route
    rss: Route
    atom: Route
    json: Route | None = None  # its JSON Feed, where it has one

    @property
    def feed_paths(self) -> tuple[str, ...]:
        """The files of its feeds: RSS, Atom, and the JSON Feed where it has one."""
        return (self.rss.path, self.atom.path, *((self.json.path,) if self.json else ()))


def _page(url: str) -> Route:
    return Route(path=_page_path(url), url=url)


def _page_path(url: str) -> str:
    return f"{url}index.html"


def page_at(path: str) -> Route:
    """The page whose file is `path`, an `index.html`."""
    return _page(path.removesuffix("index.html"))


def _file(path: str) -> Route:
    return Route(path=path, url=path)


# Every feed of the site is one of these files, beside its listing page.
RSS, ATOM, JSON_FEED = "rss.xml", "atom.xml", "feed.json"


def is_feed(path: str) -> bool:
    return path.rpartition("/")[2] in (RSS, ATOM, JSON_FEED)


def _listing(url: str, *, json: bool = False) -> ListingRoutes:
    json_feed = _file(f"{url}{JSON_FEED}") if json else None
    return ListingRoutes(_page(url), _file(f"{url}{RSS}"), _file(f"{url}{ATOM}"), json_feed)


# Of each kind of period ("week", "month"): where its digest's feeds are, and the id of the
# section of /top/ that lists those periods.
_PERIOD_DIGESTS = {WEEK: ("top/weekly/", "weeks"), MONTH: ("top/monthly/", "months")}

# The folders of the pages and feeds readers follow for good (sitegen.build says when one
# goes): the topics' and site.toml's `[[custom_feeds]]`, which the feeds page lists.
TOPICS_FOLDER, CUSTOM_FEEDS_FOLDER = "topics/", "feeds/"
SEARCH_INDEX_DIR = "pagefind"  # Pagefind's index, under public/ (made by sitegen.search)
# sitegen's own files in it, which the search page fetches: the shards' list, at its root, and
# each shard's title words, in the shard's folder.
SEARCH_MANIFEST, SEARCH_WORDS = "sitegen-shards.json", "sitegen-words.txt"


@dataclass(frozen=True, slots=True)
class Routes:
    base_url: str  # absolute, ends with "/"

    # -- listing pages and their feeds
    def home(self) -> ListingRoutes:
        """The home page and the feeds of all papers."""
        return _listing("", json=True)

    def day(self, day: date) -> ListingRoutes:
        return _listing(self.day_url(day.isoformat()))

    def day_url(self, day: str) -> str:
        """`day(…).html.url` of a day written YYYY-MM-DD, or of the 404 page's "{}"."""
        return f"days/{day}/"

    def days_index(self) -> ListingRoutes:
        # The archive of days pairs with the daily digest: one item per day.
        digest = _listing("digest/")
        return ListingRoutes(html=_page("days/"), rss=digest.rss, atom=digest.atom)

    def topic(self, slug: str, page: int | None = None) -> ListingRoutes:
        """A topic's front page, or its archive page `page` (1 holds the oldest papers)."""
        feeds = _listing(f"{TOPICS_FOLDER}{slug}/")
        if page is None:
            return feeds
        return ListingRoutes(
            html=_page(f"{TOPICS_FOLDER}{slug}/page/{page}/"), rss=feeds.rss, atom=feeds.atom
        )

    def topics_index(self) -> Route:
        return _page(TOPICS_FOLDER)

    def top(self, kind: str, slug: str) -> ListingRoutes:
        """The top papers of a week ("2026-W47") or a month ("2026-11"), and their feeds."""
        return _listing(f"top/{kind}/{slug}/", json=True)

    def top_index(self) -> ListingRoutes:
        """Every week and month with its top papers; its feeds are the weekly digest."""
        return self.period_digest("week")

    def period_digest(self, kind: str) -> ListingRoutes:
        """The feeds of an item per closed week or month (`kind`), and the part of the top
        papers' index that lists those."""
        digest = _listing(_PERIOD_DIGESTS[kind][0])
        # The weeks come first: the weekly digest's page is /top/ itself.
        listed = "top/" if kind == WEEK else f"top/#{self.top_section(kind)}"
        html = Route(path=_page_path("top/"), url=listed)
        return ListingRoutes(html=html, rss=digest.rss, atom=digest.atom)

    def top_section(self, kind: str) -> str:
        """The id of /top/'s section listing the periods of `kind` ("months"): the monthly
        digest's page is that section, which /top/'s intro links too."""
        return _PERIOD_DIGESTS[kind][1]

    def custom_feed(self, slug: str) -> ListingRoutes:
        """A feed of site.toml's `[[custom_feeds]]`: its page and its feeds."""
        return _listing(f"{CUSTOM_FEEDS_FOLDER}{slug}/", json=True)

    # -- single pages and files
    def paper(self, paper_id: str) -> Route:
        return _page(self.paper_url(paper_id))

    def paper_url(self, paper_id: str) -> str:
        """`paper(paper_id).url`, without making a Route: every card asks."""
        return f"papers/{paper_id}/"

    def paper_path(self, paper_id: str) -> str:
        """`paper(paper_id).path`, without making a Route: planning asks once per paper."""
        return _page_path(self.paper_url(paper_id))

    def papers_index(self) -> Route:
        """/papers/, above every paper's page: how to find one."""
        return _page("papers/")

    def search(self) -> Route:
        return _page("search/")

    def search_index(self) -> Route:
        """Pagefind's script; the rest of the index sits beside it (sitegen.search)."""
        return _file(f"{SEARCH_INDEX_DIR}/pagefind.js")

    def feeds_page(self) -> Route:
        return _page(CUSTOM_FEEDS_FOLDER)

    def opml(self) -> Route:
        return _file("feeds.opml")

    def papers_api(self) -> Route:
        return _file("api/papers.json")

    def papers_api_month(self, month: str) -> Route:
        """The papers first featured in `month` ("YYYY-MM"; "" for those no day lists)."""
        return _file(f"api/papers/{month or 'unfeatured'}.json")

    def sitemap(self) -> Route:
        """The sitemap index: one sitemap may list at most 50,000 URLs."""
        return _file("sitemap.xml")

    def pages_sitemap(self) -> Route:
        return _file("sitemaps/pages.xml")

    def papers_sitemap(self, number: int) -> Route:
        """Papers' sitemap `number` (1-based), gzipped as the protocol allows (#17)."""
        return _file(f"sitemaps/papers-{number}.xml.gz")

    def robots(self) -> Route:
        return _file("robots.txt")

    def not_found(self) -> Route:
        return _file("404.html")

    def stylesheet(self) -> Route:
        return _file("style.css")

    def icon(self) -> Route:
        return _file("favicon.svg")

    # -- turning routes into links
    def absolute(self, route: Route) -> str:
        return self.base_url + route.url

    def root_relative(self, route: Route) -> str:
        """ "/subpath/x/": for pages served at unknown paths (404.html)."""
        return urlsplit(self.base_url).path + route.url

    @staticmethod
    def folder_of(route: Route) -> Route:
        """The page of the folder holding `route` (a page or a file): "top/weekly/" of the
        weekly digest's feeds, "top/week/" of a week's page."""
        return _page(route.url.removesuffix("/").rpartition("/")[0] + "/")

    @staticmethod
    def relative(source: Route, target: Route) -> str:
        """The link from the page at `source` to `target`.

        Every route lives under the site root, so this is string work, not path resolution:
        it runs for every link of every page (tens of millions at scale).
        """
        here, _, _ = source.path.rpartition("/")
        if not here:
            return target.url or "./"
        if target.url.startswith(here + "/"):
            return target.url[len(here) + 1 :] or "./"
        # Up to the deepest folder both are in, not to the root: a day's page links the day
        # before as "../2026-06-11/", not "../../days/2026-06-11/" (the output size budget).
        ups, folder = 1, here.rpartition("/")[0]
        while folder and not target.url.startswith(folder + "/"):
            ups, folder = ups + 1, folder.rpartition("/")[0]
        return "../" * ups + target.url[len(folder) + 1 if folder else 0 :]


def slash_places(path: str) -> Iterator[int]:
    """The places of `path`'s slashes: `path[:i]` is each folder on its way."""
    index = path.find("/")
    while index != -1:
        yield index
        index = path.find("/", index + 1)


# The strictest of three checks: for paths sitegen spells itself (see transaction._is_inside).
def is_plain_relative(path: str) -> bool:
    """Whether `path` names a file below a directory in the one way sitegen spells paths: parts
    joined by "/", none empty, "." or "..", and no backslash or NUL. String tests: a
    PurePosixPath each took 0.15 s at 50k files (the rebuild budget, under 2 s)."""
    parts = path.split("/")
    return not ("" in parts or "." in parts or ".." in parts or "\\" in path or "\0" in path)
