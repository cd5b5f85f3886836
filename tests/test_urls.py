"""URLs, pages and feeds from values alone (no disk, no CLI), as a reader's client meets them:
every relative link lands where its absolute URL says, every link of every page reaches a file
the build writes, and a paper's feed item keeps its id whatever the base URL or the days after."""

from __future__ import annotations

import dataclasses
import html.parser
import json
from datetime import date
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitegen.model import is_paper_id
from sitegen.urls import Route, Routes, is_feed, is_plain_relative, page_at, slash_places
from tests.conftest import REPO, item_date
from tests.test_outputs import CONFIG, _paper, _render, _site

# Every kind of route, from the arguments a site gives them (a route needs no base URL).
_ANY = Routes("https://unused.example/")
_SLUGS = st.from_regex(r"[a-z0-9][a-z0-9-]{0,12}", fullmatch=True)
_DAYS = st.dates(date(2000, 1, 1), date(2099, 12, 31))
_ROUTES = st.one_of(
    st.just(_ANY.home().html),
    st.builds(lambda d: _ANY.day(d).html, _DAYS),
    st.builds(lambda d: _ANY.day(d).atom, _DAYS),
    st.just(_ANY.days_index().rss),
    st.builds(lambda s, n: _ANY.topic(s, n).html, _SLUGS, st.none() | st.integers(1, 99)),
    st.builds(lambda s: _ANY.topic(s).rss, _SLUGS),
    st.just(_ANY.topics_index()),
    st.just(_ANY.top("week", "2026-W47").html),
    st.builds(lambda: _ANY.top("month", "2026-11").json),
    st.builds(lambda s: _ANY.custom_feed(s).html, _SLUGS),
    # A paper's id as sitegen takes one: "0.." is none, and its "../" read as a climb (a trial).
    st.builds(
        _ANY.paper, st.from_regex(r"[a-z0-9][a-z0-9.-]{0,20}", fullmatch=True).filter(is_paper_id)
    ),
    st.sampled_from([_ANY.search(), _ANY.home().json, _ANY.not_found(), _ANY.sitemap()]),
)
_BASES = st.sampled_from(["https://example.org/", "https://you.github.io/fork/", "http://a/b/c/"])


@given(source=_ROUTES, target=_ROUTES, base=_BASES)
def test_a_relative_link_lands_on_its_targets_absolute_url(
    source: Route, target: Route, base: str
) -> None:
    routes = Routes(base)
    link = Routes.relative(source, target)
    assert not link.startswith("/") and "//" not in link
    assert urljoin(routes.absolute(source), link) == routes.absolute(target)
    # It climbs only to the deepest folder both are in: a day's page links the day before as
    # "../2026-06-11/", not "../../days/2026-06-11/" (the output size budget, #17).
    ups = link.count("../")
    if ups:
        lower = urljoin(routes.absolute(source), "../" * (ups - 1) or "./")
        assert not routes.absolute(target).startswith(lower), (link, lower)


@given(route=_ROUTES, base=_BASES)
def test_a_route_is_served_from_its_file_and_its_root_relative_url_is_under_the_base(
    route: Route, base: str
) -> None:
    routes = Routes(base)
    # A page's URL ends with "/" and is served from its index.html; a file's URL is its path.
    page = route.url == "" or route.url.endswith("/")
    assert route.path == (f"{route.url}index.html" if page else route.url)
    assert routes.root_relative(route) == urlsplit(routes.absolute(route)).path


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def test_every_link_of_every_page_reaches_a_file_the_build_writes() -> None:
    files = _render(_site())
    base = CONFIG.base_url
    written = set(files) | {"pagefind/pagefind.js"}  # the search index is written beside them
    assert written > {"index.html", "404.html", "feeds.opml", "sitemap.xml"}
    checked = 0
    for path, data in files.items():
        if not path.endswith(".html"):
            continue
        parser = _Links()
        parser.feed(data.decode())
        for link in parser.links:
            url = urljoin(base + path.removesuffix("index.html"), link).split("#")[0]
            if not url.startswith(base):
                # arXiv, GitHub, ...: another host. A link of the site's host outside the base
                # is one gone up too many folders (h11: the home page's cards reused from a
                # day's page, "../../papers/...", led to example.org/papers/, and passed).
                assert url.startswith("https://"), (path, link)
                assert urlsplit(url).netloc != urlsplit(base).netloc, f"{path} links {link}"
                continue
            target = url.removeprefix(base).split("?")[0]
            target = f"{target}index.html" if target.endswith("/") or not target else target
            assert target in written, f"{path} links {link}: no such file"
            checked += 1
    assert checked > 500


class _SectionsRenamed(Routes):
    """A fork's routes naming /top/'s sections otherwise ("top/#by-month")."""

    __slots__ = ()

    def top_section(self, kind: str) -> str:
        return f"by-{kind}"


class _Ids(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.update(value for name, value in attrs if name == "id" and value)


@pytest.mark.parametrize(
    ("routes", "named"),
    [(Routes(CONFIG.base_url), "months"), (_SectionsRenamed(CONFIG.base_url), "by-month")],
)
def test_the_monthly_digests_page_is_the_section_of_top_that_lists_the_months(
    routes: Routes, named: str
) -> None:
    """The monthly digest's page, which its feeds, the feeds page and the OPML link, and the
    "months" /top/'s intro links, are /top/'s section of months, whatever the routes name it:
    its name was written in three places (urls.py, top_index.html's link, the section's id
    from its heading) that had to agree by hand (issue #13)."""
    site = _site(days=40)  # Jan 1 to Feb 9, 2026: a closed month
    files = _render(site, routes=routes)
    base = CONFIG.base_url
    page = routes.absolute(routes.period_digest("month").html)
    top, _, months = page.partition("#")
    assert top == base + "top/" and months == named
    ids = _Ids()
    ids.feed(files["top/index.html"].decode())
    assert months in ids.ids
    # Every link to /top/'s sections, from every page, lands on one; the intro's among them.
    landed = set()
    for path, data in files.items():
        if not path.endswith(".html"):
            continue
        links = _Links()
        links.feed(data.decode())
        for link in links.links:
            url, _, section = urljoin(base + path.removesuffix("index.html"), link).partition("#")
            if url == top and section:
                assert section in ids.ids, f"{path} links {link}: no such section"
                landed.add((path, section))
    assert {("top/index.html", months), ("feeds/index.html", months)} <= landed, landed
    opml = files["feeds.opml"].decode()
    assert f'htmlUrl="{page}"' in opml

    def items(base: str, days: int) -> dict[str, tuple[str, str]]:
        """The topic feed's items: id -> (published, link under the base URL)."""
        site = _site(days=days)
        config = dataclasses.replace(site.config, base_url=base)
        files = _render(dataclasses.replace(site, config=config))
        feed = feedparser.parse(files["topics/reinforcement-learning/atom.xml"])
        assert not feed.bozo, feed.get("bozo_exception")
        return {e.id: (item_date(e), e.link.removeprefix(base)) for e in feed.entries}

    before = items(CONFIG.base_url, days=2)
    after = items("https://papers.example.org/", days=4)
    assert len(before) == 5 and before.items() < after.items()
    assert f"papers/{_paper(1).id}/" in {link for _, link in before.values()}


@pytest.mark.parametrize(
    ("template", "path"), [("404.html", "404.html"), ("search.html", "search/index.html")]
)
def test_a_template_spells_no_address_of_another_site(template: str, path: str) -> None:
    """A paper's pages elsewhere (Hugging Face, arXiv) are the code's (bylines.ELSEWHERE), as a
    card links them: a template that spelt them kept its own when the code's changed."""
    from sitegen.bylines import ELSEWHERE

    assert "https://" not in (REPO / "templates" / template).read_text()
    page = _render(_site(), only=[path])[path].decode()
    for address in (ELSEWHERE.hugging_face, ELSEWHERE.arxiv):
        assert json.dumps(address) in page, address


def test_the_search_page_asks_for_the_index_files_by_the_names_the_index_is_written_with() -> None:
    """Its script fetches sitegen's own files of the index (the shards' list, each shard's
    words): by the names sitegen.search writes them under, given, not spelt again."""
    from sitegen.urls import SEARCH_MANIFEST, SEARCH_WORDS

    template = (REPO / "templates" / "search.html").read_text()
    assert SEARCH_MANIFEST not in template and SEARCH_WORDS not in template
    page = _render(_site(), only=["search/index.html"])["search/index.html"].decode()
    assert json.dumps(SEARCH_MANIFEST) in page and json.dumps(SEARCH_WORDS) in page


def test_every_kind_of_page_and_feed_has_the_address_docs_building_md_gives_it() -> None:
    """A site's addresses are its readers' bookmarks and subscriptions and its crawlers' files:
    each kind at the one address docs/building.md gives it, a page served from its folder's
    index.html, and a JSON Feed only beside the lists that have one (the home page, a week's or
    a month's top papers, a custom feed)."""
    routes = Routes("https://you.github.io/papers/")
    day = routes.day(date(2026, 11, 22))
    week, month = routes.top("week", "2026-W47"), routes.top("month", "2026-11")
    weekly, monthly = routes.period_digest("week"), routes.period_digest("month")
    expected = {
        "home": (routes.home(), "", "feed.json"),
        "day": (day, "days/2026-11-22/", None),
        "topic": (routes.topic("nlp"), "topics/nlp/", None),
        "week": (week, "top/week/2026-W47/", "top/week/2026-W47/feed.json"),
        "month": (month, "top/month/2026-11/", "top/month/2026-11/feed.json"),
        "custom": (routes.custom_feed("agents"), "feeds/agents/", "feeds/agents/feed.json"),
    }
    for name, (listing, url, json_feed) in expected.items():
        assert listing.html == Route(f"{url}index.html", url), name
        assert listing.rss.url == f"{url}rss.xml" and listing.atom.url == f"{url}atom.xml", name
        assert (listing.json and listing.json.url) == json_feed, name
    # Pages whose feeds are another list's: the day digest, the weekly and monthly digests.
    days = routes.days_index()
    assert (days.html.url, days.rss.path, days.json) == ("days/", "digest/rss.xml", None)
    assert routes.topic("nlp", 3).html.url == "topics/nlp/page/3/"
    assert routes.topic("nlp", 3).atom == routes.topic("nlp").atom
    assert (weekly.html.url, weekly.atom.path) == ("top/", "top/weekly/atom.xml")
    assert (monthly.html.url, monthly.rss.path) == ("top/#months", "top/monthly/rss.xml")
    assert routes.top_index() == weekly
    assert {r.path for r in (routes.papers_index(), routes.topics_index(), routes.search())} == {
        "papers/index.html", "topics/index.html", "search/index.html"
    }  # fmt: skip
    files = (
        routes.papers_api(), routes.papers_api_month("2026-11"), routes.papers_api_month(""),
        routes.sitemap(), routes.pages_sitemap(), routes.papers_sitemap(2), routes.robots(),
        routes.opml(), routes.not_found(), routes.paper(_paper(1).id),
    )  # fmt: skip
    assert [f.url for f in files] == [
        "api/papers.json", "api/papers/2026-11.json", "api/papers/unfeatured.json",
        "sitemap.xml", "sitemaps/pages.xml", "sitemaps/papers-2.xml.gz", "robots.txt",
        "feeds.opml", "404.html", f"papers/{_paper(1).id}/",
    ]  # fmt: skip


def test_a_feed_is_told_from_a_page_by_its_file_name() -> None:
    """What a build counts as feeds, and warns of when a followed one goes: every RSS, Atom and
    JSON Feed file, at the root or in a folder, and no page."""
    routes = Routes("https://you.github.io/papers/")
    feeds = [*routes.home().feed_paths, *routes.topic("nlp").feed_paths]
    feeds += routes.custom_feed("agents").feed_paths
    assert all(map(is_feed, feeds)) and len(feeds) == 8
    pages = [routes.home().html.path, routes.topic("nlp").html.path, routes.opml().path]
    assert not any(map(is_feed, [*pages, "topics/rss.xml/index.html"]))


def test_a_page_is_found_from_its_file_and_a_folder_from_what_it_holds() -> None:
    """The sitemap lists each page by its file (`page_at`); a folder cut back from an address
    (`folder_of`) is the page of the folder holding it."""
    routes = Routes("https://you.github.io/papers/")
    for page in (routes.home().html, routes.day(date(2026, 11, 22)).html, routes.papers_index()):
        assert page_at(page.path) == page
    week = routes.top("week", "2026-W47")
    assert Routes.folder_of(week.html) == Route("top/week/index.html", "top/week/")
    assert Routes.folder_of(week.rss) == week.html
    assert Routes.folder_of(routes.period_digest("week").atom).url == "top/weekly/"


def test_a_path_is_plain_only_as_sitegen_spells_one() -> None:
    """What the build, the store and the search index trust as a file below their folder:
    parts joined by "/", none empty, "." or ".."; no backslash, no NUL."""
    assert is_plain_relative("papers/2511.01234/index.html")
    assert is_plain_relative("a..b/.c")
    refused = ["", "/etc/passwd", "a//b", "a/", "./a", "a/./b", "../a", "a/..", "a\\b", "a\0"]
    assert not any(map(is_plain_relative, refused))
    assert list(slash_places("top/week/2026-W47/index.html")) == [3, 8, 17]
    assert list(slash_places("robots.txt")) == []
