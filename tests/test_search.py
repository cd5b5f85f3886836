"""Search in a real browser (Debian's Chromium driven by Playwright): the box on every page,
the results page, and the links of its results, at desktop and mobile widths, on the site
served under a subpath as GitHub Pages serves a project site, and from `sitegen serve`."""

from __future__ import annotations

import contextlib
import json
import marshal
import os
import re
import shutil
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from sitegen import output_folder
from sitegen.cli import load_config, main
from sitegen.formats import parse_paper_file
from sitegen.letters import OWN_LETTERS
from sitegen.search import (
    CLOSED_DIRECTORY,
    NAME_JOINT,
    OPEN_DIRECTORY,
    PAPERS_PER_DOCUMENT,
    WARM_UP_WORD,
    SearchRecord,
    SearchShard,
    first_day,
    folded_words,
    make_shard,
    name_words,
    search_record,
    shard_directory,
    shard_layout,
    title_words,
    warm_up_shard,
)
from sitegen.site import assemble_site
from sitegen.store import load_content
from sitegen.urls import SEARCH_INDEX_DIR, SEARCH_MANIFEST, Routes

# The browser tests' skip when Chromium is missing.
from tests import test_browser  # noqa: F401
from tests.conftest import EXPECT_TIMEOUT_MS, LISTINGS, REPO, SUBPATH, open_page, serving

pytestmark = pytest.mark.browser
# A real Daily Papers answer with author names and organisations.
# The real answer of ../shared/fixtures/hf, copied as it is (a fork has no ../shared).
RICH_LISTING = REPO / "tests" / "fixtures" / "hf-real" / "api-2026-06-12.json"
WIDTHS = {"desktop": 1280, "mobile": 390}


@dataclass(frozen=True)
class Target:
    """A paper to find, and the words that should find it."""

    title: str
    title_word: str  # a word of its title that few papers hold
    author: str  # one of its authors' names
    arxiv_id: str
    record: SearchRecord  # what its result shows


def _target(root: Path) -> Target:
    """A paper with authors, and its title's rarest word among every paper's searchable words."""
    config = load_config(root)
    site = assemble_site(load_content(root), config)
    routes = Routes(config.base_url)
    records = {i: search_record(site, routes, i) for i in site.ids}
    holding = Counter(
        word
        for r in records.values()
        for word in set(re.findall(r"\w+", f"{r.title} {r.text}".lower()))
    )
    paper = next(
        site.papers[i]
        for i in site.ids
        if len(site.papers[i].authors) >= 2
        and records[i].upvotes
        and records[i].topics
        and site.papers[i].arxiv_id
        and site.papers[i].organization
    )
    words = [w for w in re.findall(r"[A-Za-z]{5,}", paper.title)]
    word = min(words, key=lambda w: (holding[w.lower()], w))
    record = records[paper.id]
    # Not of the newest month: its result comes from a shard the search page merges.
    assert record.day[:7] < max(r.day for r in records.values())[:7]
    assert paper.arxiv_id is not None
    return Target(
        title=paper.title,
        title_word=word,
        author=paper.authors[1],
        arxiv_id=paper.arxiv_id,
        record=record,
    )


def test_the_bundled_site_holds_the_rich_listing() -> None:
    """So the site the browser tests share (conftest's `served_bundled`) is `_site`'s."""
    assert (LISTINGS / "2026-06-12.json").read_bytes() == RICH_LISTING.read_bytes()


@pytest.fixture
def site_root(served_bundled: tuple[Path, str]) -> Path:
    """The bundled site's directory, shared with tests/test_browser.py: read it only."""
    return served_bundled[0]


@pytest.fixture(scope="module")
def target(served_bundled: tuple[Path, str]) -> Target:
    return _target(served_bundled[0])


@pytest.fixture(scope="module")
def records(served_bundled: tuple[Path, str]) -> dict[str, SearchRecord]:
    """The bundled site's papers' search records, by title, made once for the file's tests
    (a fifth of a second each time): read them only."""
    return _records(served_bundled[0])


@pytest.fixture
def base_url(served_bundled: tuple[Path, str]) -> str:
    root, url = served_bundled
    assert (root.parent / "served" / SUBPATH / SEARCH_INDEX_DIR / "pagefind.js").is_file()
    return url


def _page(browser: Browser, width: int, *, javascript: bool = True) -> Page:
    page = open_page(browser, width=width, height=900, javascript=javascript)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.errors = errors  # type: ignore[attr-defined]
    return page


def test_a_count_of_matches_in_the_thousands_is_grouped_as_the_pages_group_theirs(
    browser: Browser,
) -> None:
    """Found living a six-year site (100,000 papers, HISTORY.md): its search said "About
    73000 papers match" where its pages say "27,387 papers"."""
    script = (REPO / "templates" / "search.html").read_text()
    functions = [
        re.search(rf"^function {name}\(.*?^}}$", script, re.M | re.S)[0]  # type: ignore[index]
        for name in ("rounded", "papersMatch")
    ]
    page = _page(browser, 390)
    said = page.evaluate(
        "(() => {\n"
        + "\n".join(functions)
        + "\nreturn [1, 2, 999, 1000, 73000, rounded(73412)].map(papersMatch); })()"
    )
    assert said == [
        "1 paper matches",
        "2 papers match",
        "999 papers match",
        "1,000 papers match",
        "73,000 papers match",
        "73,000 papers match",
    ]


# A chip's background, as the reader sees it.
tag_background = "a => getComputedStyle(a).backgroundColor"


def _search_from_box(page: Page, words: str) -> None:
    """Type into the masthead's box and press Enter, as a reader would."""
    box = page.get_by_role("search").first.get_by_role("searchbox")
    expect(box).to_be_visible()
    box.fill(words)
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))


def _result_titles(page: Page) -> list[str]:
    expect(page.locator("#search-status")).to_contain_text("match")
    return page.locator("#search-results h2 a").all_inner_texts()


def _every_result_title(page: Page) -> list[str]:
    """The titles of every page of results, "Show more" pressed until it goes."""
    expect(page.locator("#search-status")).to_contain_text("match")
    while page.locator("#search-more").is_visible():
        page.locator("#search-more").click()
        page.wait_for_function("!document.querySelector('#search-more').disabled")
    return _result_titles(page)


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_a_title_word_typed_on_any_page_finds_the_paper(
    browser: Browser, base_url: str, target: Target, width: int
) -> None:
    page = _page(browser, width)
    page.goto(base_url + "days/")
    _search_from_box(page, target.title_word)
    assert target.title in _result_titles(page)
    assert page.url.startswith(base_url + "search/")
    assert page.errors == []  # type: ignore[attr-defined]


def test_a_papers_page_names_every_author_each_a_search_of_their_papers(
    browser: Browser, base_url: str
) -> None:
    """A reader's trial: the page said "Siyi Chen, Xiaoyan Zhang, Meng Wu and 7 more" and
    named the seven nowhere, and a name led to no other paper."""
    title = "See What I See, Know What I Think"
    page = _page(browser, WIDTHS["mobile"])
    page.goto(base_url + "papers/2606.13594/")
    byline = page.locator("p.byline a")
    assert byline.count() == 10 and "more" not in page.locator("p.byline").inner_text()
    byline.nth(9).click()  # the last of the ten, one the cards leave out
    page.wait_for_url(re.compile(r"/search/\?q=author%3A"))
    assert any(found.startswith(title) for found in _result_titles(page))
    page.go_back()
    page.locator("p.meta .org a").click()  # the organisation's papers
    page.wait_for_url(re.compile(r"/search/\?q=University"))
    assert any(found.startswith(title) for found in _result_titles(page))
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_results_coming_in_move_nothing_on_the_screen(
    browser: Browser, base_url: str, width: int
) -> None:
    """A reader's trial: the footer stood under the box, then jumped as the results came (a
    cumulative layout shift of 0.15 on a phone; readers feel 0.1)."""
    page = _page(browser, width)
    page.add_init_script(
        "window.shifted = 0; new PerformanceObserver((list) => { for (const shift of"
        " list.getEntries()) if (!shift.hadRecentInput) window.shifted += shift.value; })"
        ".observe({ type: 'layout-shift', buffered: true });"
    )
    for query in ("diffusion", "EvoArena", "zqxjvk"):  # many results, one, none
        page.goto(base_url + f"search/?q={query}")
        expect(page.locator("#search-status")).to_contain_text("match")
        # A shift is reported after the frame that made it: two frames on.
        page.evaluate("new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
        assert page.evaluate("window.shifted") < 0.01, query
    assert page.errors == []  # type: ignore[attr-defined]
    # No query, or no script to run one: no screen kept empty (a review: a blank screen).
    for javascript in (True, False):
        bare = _page(browser, width, javascript=javascript)
        bare.goto(base_url + ("search/" if javascript else "search/?q=diffusion"))
        assert (
            bare.evaluate("document.documentElement.scrollHeight") <= bare.viewport_size["height"]
        )


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("Efficiency and Systems", "efficiency"),
        ("computer vision", "computer-vision"),
        ("LLM", "llm"),
    ],
)
def test_a_topic_s_name_offers_its_page(
    browser: Browser, base_url: str, query: str, slug: str
) -> None:
    """A reader's trial: "Efficiency and Systems", the label of a chip on the results, found
    no paper, and "Computer Vision" only the papers holding those words."""
    page = _page(browser, WIDTHS["mobile"])
    page.goto(base_url + f"search/?q={query}")
    status = page.locator("#search-status")
    expect(status).to_contain_text(re.compile(r"(a topic’s name|\(and the topic .+\)[;:]).*$"))
    link = page.locator("#search-status a").first
    expect(link).to_have_attribute("href", base_url + f"topics/{slug}/")
    link.click()
    page.wait_for_url(base_url + f"topics/{slug}/")
    assert page.errors == []  # type: ignore[attr-defined]


def test_an_authors_link_lists_that_authors_papers_alone(browser: Browser, base_url: str) -> None:
    """A reader's trial: "Jun Wang" on EvoArena's page also found Junke Wang's paper, and
    Limin Wang's beside Junzhe Li's, and the cards name only three authors: no telling."""
    page = _page(browser, WIDTHS["mobile"])
    page.goto(base_url + "papers/2606.13681/")
    title = page.locator("h1").inner_text()
    page.locator("p.byline a", has_text=re.compile("^Jun Wang$")).click()
    page.wait_for_url(re.compile(r"/search/\?q=author"))
    assert _every_result_title(page) == [title]
    expect(page.locator("#search-status")).to_have_text("1 paper matches author Jun Wang:")
    box = page.locator("#search-query")
    expect(box).to_have_value('author:"Jun Wang"')
    box.fill("Jun Wang")  # the same words typed: every paper holding them
    expect(page.locator("#search-status")).to_contain_text("3 papers match")
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_an_authors_name_finds_the_paper_and_its_link_opens_it(
    browser: Browser, base_url: str, site_root: Path, target: Target, width: int
) -> None:
    page = _page(browser, width)
    page.goto(base_url)
    _search_from_box(page, target.author)
    assert target.title in _result_titles(page)
    result = page.locator("#search-results article", has_text=target.title).first
    expect(result.locator(".meta").first).to_contain_text("Featured Jun 12, 2026")
    upvotes = f"{target.record.upvotes} upvote{'' if target.record.upvotes == '1' else 's'}"
    expect(result.locator(".meta").first).to_contain_text(upvotes)
    # Chips, as the site's cards show them: where else to read it (a reader's review: a result
    # had no arXiv or PDF link), then its topics, each a link to its topic's page (joined by
    # commas, they ran together: names hold commas), styled as the cards' (tag_background).
    names = {t.slug: t.name for t in load_config(site_root).topics}
    chips = result.locator(".more a")
    expect(chips).to_have_text(["HF", "arXiv", "PDF", *(names[s] for s in target.record.topics)])
    hrefs = [
        f"https://huggingface.co/papers/{target.arxiv_id}",
        f"https://arxiv.org/abs/{target.arxiv_id}",
        f"https://arxiv.org/pdf/{target.arxiv_id}",
        *(base_url + f"topics/{slug}/" for slug in target.record.topics),
    ]
    assert [chips.nth(i).evaluate("a => a.href") for i in range(chips.count())] == hrefs
    backgrounds = [chips.nth(i).evaluate(tag_background) for i in range(chips.count())]
    assert len(set(backgrounds[:3])) == len(set(backgrounds[3:])) == 1
    assert backgrounds[0] != backgrounds[3]
    assert target.record.organization
    expect(result.locator(".meta .org")).to_have_text(target.record.organization)
    # Who wrote it, as the site's cards say it: the author searched for is there to see.
    assert target.author in target.record.authors
    expect(result.locator(".meta").first).to_contain_text(target.record.authors)
    result.get_by_role("link", name=target.title).click()
    page.wait_for_load_state()
    assert page.url.startswith(base_url + "papers/")
    expect(page.locator("h1")).to_have_text(target.title)
    expect(page.locator("main")).to_contain_text(upvotes)  # as the paper's page writes it
    assert page.errors == []  # type: ignore[attr-defined]


def test_a_searchs_results_are_not_for_a_search_engines_index_the_search_page_is(
    browser: Browser, base_url: str
) -> None:
    """A paper page's author links are searches: at 50,000 papers a search engine following
    them would index millions of result pages holding what the papers' own pages do."""
    page = _page(browser, WIDTHS["mobile"])
    noindex = page.locator('head meta[name="robots"][content="noindex"]')
    page.goto(base_url + "papers/2606.13681/")
    page.locator("p.byline a", has_text=re.compile("^Jun Wang$")).click()
    page.wait_for_url(re.compile(r"/search/\?q=author"))
    expect(noindex).to_have_count(1)
    page.goto(base_url + "search/")
    expect(page.locator("#search-query")).to_be_editable()
    expect(noindex).to_have_count(0)
    assert page.errors == []  # type: ignore[attr-defined]


def test_a_result_without_an_arxiv_id_links_no_arxiv_page(browser: Browser, base_url: str) -> None:
    """A paper of a plain-text listing has no arXiv id: its result shows its topics alone."""
    page = _page(browser, WIDTHS["mobile"])
    page.goto(base_url)
    title = "OCD: Learning to Overfit with Conditional Diffusion Models"
    _search_from_box(page, f'"{title}"')
    result = page.locator("#search-results article", has_text=title).first
    expect(result.locator(".more a").first).to_be_visible()
    hrefs = [a.evaluate("a => a.href") for a in result.locator(".more a").all()]
    assert all(h.startswith(base_url + "topics/") for h in hrefs), hrefs
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("pasted", ["{id}", "arXiv:{id}", "https://arxiv.org/abs/{id}v2"])
def test_a_pasted_arxiv_id_finds_its_paper_alone(
    browser: Browser, base_url: str, target: Target, pasted: str
) -> None:
    page = _page(browser, WIDTHS["desktop"])
    page.goto(base_url)
    _search_from_box(page, pasted.format(id=target.arxiv_id))
    assert _result_titles(page) == [target.title]
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("pasted", ["2410.12345", "https://arxiv.org/abs/2410.12345v2"])
def test_a_pasted_arxiv_id_of_no_paper_here_says_where_the_paper_is(
    browser: Browser, base_url: str, pasted: str
) -> None:
    """An id the site holds no paper of was told "check its spelling, or try other words (of an
    abstract, only the first words are searched)", which no id needs, and nothing of arXiv: the
    404 page of the same id links it on arXiv and Hugging Face (review h9)."""
    page = _page(browser, WIDTHS["mobile"])
    page.goto(base_url)
    _search_from_box(page, pasted)
    status = page.locator("#search-status")
    expect(status).to_contain_text("No paper on this site has the arXiv id 2410.12345")
    assert "spelling" not in status.inner_text()
    assert [a.get_attribute("href") for a in status.locator("a").all()] == [
        "https://arxiv.org/abs/2410.12345",
        "https://huggingface.co/papers/2410.12345",
    ]
    assert page.errors == []  # type: ignore[attr-defined]


def test_a_pasted_arxiv_id_cut_by_a_digit_links_no_page_arxiv_never_had(
    browser: Browser, base_url: str
) -> None:
    """2606.0786 is 2606.07867 cut (arXiv's ids have had five digits since 2015): the reader is
    told to check it, not sent to a page arXiv never had."""
    page = _page(browser, WIDTHS["desktop"])
    page.goto(base_url)
    _search_from_box(page, "2606.0786")
    status = page.locator("#search-status")
    expect(status).to_contain_text("check its spelling")
    assert status.locator("a[href*='arxiv.org'], a[href*='huggingface.co']").count() == 0
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("handle", ["SJTU", "caltech"])
def test_an_organisations_hugging_face_handle_finds_its_papers(
    browser: Browser, base_url: str, site_root: Path, handle: str
) -> None:
    """The handle is in the organisation's URL and in custom feeds' rules; its name is shown."""
    papers = load_content(site_root).papers.values()
    titles = [p.title for p in papers if p.organization and p.organization.handle == handle]
    assert titles
    page = _page(browser, WIDTHS["desktop"])
    page.goto(base_url)
    _search_from_box(page, handle)
    assert set(titles) <= set(_result_titles(page))
    assert page.errors == []  # type: ignore[attr-defined]


def test_an_index_that_does_not_load_leaves_the_reader_a_way_on(
    browser: Browser, base_url: str
) -> None:
    """Found by an accessibility review: with the index blocked (a flaky network) the page
    said to "build the site", a message for its owner, and hid its links to days and topics."""
    page = _page(browser, WIDTHS["mobile"])
    page.route(re.compile(r"/pagefind/"), lambda route: route.abort())
    page.goto(base_url + "search/?q=diffusion")
    status = page.locator("#search-status")
    expect(status).to_contain_text("could not load its index")
    expect(status.get_by_role("link", name="day")).to_have_attribute("href", "../days/")
    status.get_by_role("link", name="topic").click()
    page.wait_for_url(re.compile(r"/topics/$"))


def _failing_until_tried_again(page: Page, base_url: str, pattern: str) -> None:
    """The index's files matching `pattern` fail (a network blip) until the page says so and
    its "Try again" is pressed; then the query's papers come."""
    failing = True

    def blip(route: Route) -> None:
        if failing:
            route.abort()
        else:
            route.continue_()

    page.route(re.compile(f"/{SEARCH_INDEX_DIR}/{pattern}"), blip)
    page.goto(base_url + "search/?q=diffusion")
    status = page.locator("#search-status")
    expect(status).to_contain_text("could not load its index")
    failing = False
    status.get_by_role("button", name="Try again").click()
    expect(status).to_contain_text("match")
    assert page.locator("#search-results h2 a").count() > 0


def test_pagefind_that_failed_to_load_is_loaded_by_a_retry(browser: Browser, base_url: str) -> None:
    """Found by a review: pagefind.js failing once (a network blip), the page said "try again in
    a moment", and every try failed until a reload: the browser keeps a module's failed import
    for the page, and the page imported it at the same address."""
    page = _page(browser, WIDTHS["mobile"])
    _failing_until_tried_again(page, base_url, r"pagefind\.js")


@pytest.mark.parametrize(
    "pattern",
    [
        r"wasm\.en\.pagefind",
        f"{CLOSED_DIRECTORY}pagefind-entry\\.json",
        r".*/fragment/",
        r".*/index/",
    ],
    ids=["wasm", "shard", "fragment", "chunk"],
)
def test_an_index_file_that_fails_to_load_is_said_and_loaded_by_a_retry(
    browser: Browser, base_url: str, pattern: str
) -> None:
    """Found by a review: Pagefind's wasm failing once (a network blip) left "Searching…" for
    good, as Pagefind merges a shard only once its wasm has come; a document that failed
    failed every try of its query until a reload, as Pagefind keeps what failed (a shard's
    entry file too, until a retry imported Pagefind anew). A chunk of the index that failed
    said "No paper matches", for good: Pagefind searches without it."""
    page = _page(browser, WIDTHS["mobile"])
    _failing_until_tried_again(page, base_url, pattern)


def test_a_slow_index_is_said_to_be_searched_until_the_papers_come(
    browser: Browser, base_url: str
) -> None:
    """A reader's trial: on a phone's slow network the first results took 3.5 s, with nothing
    said meanwhile."""
    page = _page(browser, WIDTHS["mobile"])
    page.clock.install()
    page.goto(base_url + "search/")
    # The index's files held back until the page has said so: a network as slow as need be on
    # any machine, without waiting out a latency for each file (700 ms made the test 7 s).
    held: list[Route] = []
    released = False

    def hold(route: Route) -> None:  # once released, at once: one asked as the route was
        if released:  # taken off stayed held, and the search never ended (a CI run)
            route.continue_()
        else:
            held.append(route)

    page.route(re.compile(f"/{SEARCH_INDEX_DIR}/"), hold)
    # In the page's own time, which moves only as the test says: "Searching…" within 1,400 ms
    # of real time measured the machine as much as the page (the page's CPU slowed 50 times,
    # as a loaded machine slows it, said it later, and the test failed).
    page.clock.pause_at(page.evaluate("Date.now()") + 1000)
    page.locator("#search-query").fill("diffusion")
    status = page.locator("#search-status")
    page.clock.run_for(120 + 300)  # search.html: the typing's pause, then SEARCHING_AFTER_MS
    expect(status).to_have_text("Searching…")
    page.clock.resume()
    released = True
    for route in held:
        route.continue_()
    expect(status).to_contain_text("match")
    assert page.locator("#search-results h2 a").count() > 0
    assert page.errors == []  # type: ignore[attr-defined]


def test_the_index_files_a_first_query_needs_are_asked_for_together_not_one_after_another(
    browser: Browser, base_url: str
) -> None:
    """A reader's trial on a phone's slow network (2 s a request): 17 to 21 s to the first
    results, as each of the index's files was asked for only once the one before had come
    (pagefind.js, its entry file, its wasm; the warm-up index, then each shard's entry file).
    Counted in waves, every answer held until the wave is asked for: no timing."""
    page = _page(browser, WIDTHS["mobile"])
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    held: list[Route] = []
    released = False

    def hold(route: Route) -> None:
        if released:
            route.continue_()
        else:
            held.append(route)

    page.route(re.compile(f"/{SEARCH_INDEX_DIR}/"), hold)

    def wave(names: set[str]) -> set[str]:
        """The index's files asked for while none of them is answered, once `names` are."""
        # As long as an expect() waits: a loaded machine's page asks late, not never.
        for _ in range(EXPECT_TIMEOUT_MS // 50):
            files = {
                re.sub(rf"^.*/{SEARCH_INDEX_DIR}/|\?.*$", "", route.request.url) for route in held
            }
            if names <= files:
                break
            page.wait_for_timeout(50)
        return files

    page.goto(base_url + "search/")  # its warm-up searches run before the shards are merged
    first = {"pagefind.js", "wasm.en.pagefind", "sitegen-shards.json", "pagefind-entry.json"}
    assert wave(first) == first
    answered, held[:] = held[:], []
    for route in answered:
        route.continue_()
    shards = {"open/pagefind-entry.json", "closed/pagefind-entry.json"}
    assert shards <= wave(shards)  # with the warm-up index's meta, before its searches
    released = True
    for route in held:
        route.continue_()
    page.locator("#search-query").fill("diffusion")
    expect(page.locator("#search-status")).to_contain_text("match")
    # Each file once: the page's early requests are those Pagefind makes (no byte more).
    index_files = [url for url in asked if f"/{SEARCH_INDEX_DIR}/" in url]
    assert len(index_files) == len(set(index_files)), index_files
    # Asked for by fetch(), not <link rel=preload as=fetch>: Safari fetched those twice (the
    # wasm and the JSON again, on a phone's slow network). pagefind.js's modulepreload stays.
    assert page.locator("link[rel=preload]").count() == 0
    assert page.locator("link[rel=modulepreload]").count() == 1
    assert page.errors == []  # type: ignore[attr-defined]


# What the page fetches itself (Pagefind's and its own requests, the head's early ones among
# them, as this wrapper is the first): a file the head asked for and the page never took is
# bytes for nothing.
RECORD_FETCHES = """
window.fetched = [];
const fetchFirst = window.fetch;
window.fetch = function (input, init) {
  const url = input instanceof Request ? input.url : String(input);
  window.fetched.push(new URL(url, location.href).href);
  return fetchFirst.call(this, input, init);
};
"""


def _asked_early_not_taken(page: Page) -> set[str]:
    """The files the search page's head asked for that the page has not taken (waited for:
    the page loads its index as it opens), by their names in the index's directory."""
    waiting: set[str] = set()
    for _ in range(EXPECT_TIMEOUT_MS // 100):  # as long as an expect() waits
        waiting = set(page.evaluate("() => window.searchEarly.waiting()"))
        if not waiting:
            break
        page.wait_for_timeout(100)
    # Asked for once each, by the head (the wrapper above sees only the first request).
    fetched = page.evaluate("() => window.fetched")
    assert any(url.endswith("/wasm.en.pagefind") for url in fetched), fetched
    assert len(fetched) == len(set(fetched)), fetched
    return {re.sub(rf"^.*/{SEARCH_INDEX_DIR}/|\?.*$", "", url) for url in waiting}


@pytest.mark.parametrize("query", ["%20", "%3C%3E"])
def test_a_search_page_opened_with_no_word_to_look_for_uses_the_files_it_asked_for(
    browser: Browser, base_url: str, query: str
) -> None:
    """A space searched from the masthead's box (its `required` lets it through), or "<>": the
    page asked for Pagefind's files as it opened (117 KB) and loaded none of them, as it does
    for a page opened without a query, until a word was typed; Chromium warned of each."""
    page = _page(browser, WIDTHS["mobile"])
    page.add_init_script(RECORD_FETCHES)
    page.goto(base_url + f"search/?q={query}")
    assert _asked_early_not_taken(page) == set()
    page.locator("#search-query").fill("diffusion")
    expect(page.locator("#search-status")).to_contain_text("match")
    assert page.errors == []  # type: ignore[attr-defined]


def test_a_site_with_no_paper_yet_says_so_when_searched(browser: Browser, tmp_path: Path) -> None:
    """Found by a new user's trial: a fork started empty, as the README shows, said its
    search "could not load its index" until its first fetch."""
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(REPO / "site.toml", root / "site.toml")
    shutil.copytree(REPO / "templates", root / "templates")
    assert main(["--root", str(root), "build"]) == 0
    with serving(root / "public") as server:
        page = _page(browser, WIDTHS["mobile"])
        page.add_init_script(RECORD_FETCHES)
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/search/?q=diffusion")
        status = page.locator("#search-status")
        expect(status).to_have_text("This site has no papers yet: there is nothing to search.")
        expect(page.locator("#search-results > li")).to_have_count(0)
        # Nothing to merge nor warm up with a query: the wasm and entry file the head asked
        # for were never used (Chromium said "preloaded but not used").
        assert _asked_early_not_taken(page) == set()
        assert page.errors == []  # type: ignore[attr-defined]


def test_a_word_no_paper_holds_finds_nothing_and_a_name_finds_only_papers_that_hold_it(
    browser: Browser, base_url: str, records: dict[str, SearchRecord], target: Target
) -> None:
    """Pagefind answers a word a shard lacks with its longest known prefix ("Alvarez" gave
    every paper with a word in "a"): the page shows only papers that hold the word."""
    page = _page(browser, WIDTHS["desktop"])
    page.goto(base_url + "search/?q=Capybara")
    expect(page.locator("#search-status")).to_have_text(
        "No paper matches “Capybara”: check its spelling, or try other words"
        " (of an abstract, only the first words are searched)."
    )
    # Found by an accessibility review: every search's tab and history entry was "Search".
    expect(page).to_have_title("“Capybara” · Search · Daily Papers")
    expect(page.locator("#search-results article")).to_have_count(0)
    surname = target.author.split()[-1]
    holding = {t for t, r in records.items() if surname.lower() in f"{t} {r.text}".lower()}
    page.goto(base_url + f"search/?q={surname}")
    titles = _result_titles(page)
    assert target.title in titles
    assert set(titles) <= holding, set(titles) - holding
    assert page.errors == []  # type: ignore[attr-defined]


def test_a_word_finds_papers_holding_it_or_its_inflections_not_words_sharing_its_start(
    browser: Browser, base_url: str, records: dict[str, SearchRecord]
) -> None:
    """ "MiniMax" once listed five papers about "minimize" and "minimal"; "learner" listed
    papers holding "learning" only, above those holding "learner"."""

    def holding(start: str) -> set[str]:
        return {
            r.title
            for r in records.values()
            if any(w.startswith(start) for w in re.findall(r"\w+", f"{r.title} {r.text}".lower()))
        }

    page = _page(browser, WIDTHS["desktop"])
    page.goto(base_url + "search/?q=MiniMax")
    expect(page.locator("#search-status")).to_contain_text("“MiniMax”")
    titles = _result_titles(page)
    assert titles and set(titles) <= holding("minimax"), set(titles) - holding("minimax")
    # A word held whole before one held only as the start of a longer word (a reader's
    # trial: the one paper of MIT came 4th of 7, after "Mitigating" and "Mitigates").
    page.goto(base_url + "search/?q=MIT")
    expect(page.locator("#search-status")).to_contain_text("“MIT”")
    titles = _result_titles(page)
    whole = {t for t, r in records.items() if "mit" in re.findall(r"\w+", f"{t} {r.text}".lower())}
    as_word = [title in whole for title in titles]
    assert as_word[0] and len(as_word) > sum(as_word), as_word
    assert as_word == sorted(as_word, reverse=True), as_word
    page.goto(base_url + "search/?q=learner")
    expect(page.locator("#search-status")).to_contain_text("“learner”")
    titles = _result_titles(page)
    as_typed = [title in holding("learner") for title in titles]
    assert as_typed[0] and as_typed == sorted(as_typed, reverse=True), as_typed  # first
    assert page.errors == []  # type: ignore[attr-defined]


def test_the_warm_up_index_shows_nothing_and_the_papers_are_found_after_it(
    browser: Browser, base_url: str, target: Target
) -> None:
    """The page searches the warm-up index's word as it opens (sitegen/search.py): a query
    for that word, or for its first characters, shows no paper, and the shards are merged."""
    page = _page(browser, WIDTHS["desktop"])
    for query in (WARM_UP_WORD, WARM_UP_WORD[:6]):
        page.goto(base_url + f"search/?q={query}")
        expect(page.locator("#search-status")).to_contain_text("No paper ")
        expect(page.locator("#search-status")).to_contain_text(f"matches “{query}”")
        expect(page.locator("#search-results article")).to_have_count(0)
    page.locator("#search-query").fill(target.title_word)
    expect(page.locator("#search-status")).to_contain_text(f"“{target.title_word}”")
    assert target.title in _result_titles(page)
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_a_common_word_shows_the_best_papers_as_cards_that_fit_the_screen(
    browser: Browser, base_url: str, width: int
) -> None:
    page = _page(browser, width)
    page.goto(base_url + "search/?q=learning")
    expect(page.locator("#search-status")).to_contain_text("papers match “learning”; the best 10")
    cards = page.locator("#search-results article")
    expect(cards).to_have_count(10)
    for card in cards.all():  # each a paper of its own, with its day, linking to its page
        link = card.locator("h2 a")
        assert re.fullmatch(
            re.escape(base_url) + r"papers/[^/]+/", link.get_attribute("href") or ""
        )
        day = re.compile(r"Featured [A-Z][a-z]{2} \d{1,2}, \d{4}")  # as the site writes days
        expect(card.locator(".meta").first).to_contain_text(day)
    hrefs = [a.get_attribute("href") for a in page.locator("#search-results h2 a").all()]
    assert len(set(hrefs)) == 10
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.errors == []  # type: ignore[attr-defined]


# Quoted too: its history entry once held the query without its quotes (a review).
@pytest.mark.parametrize("query", ["learning", '"language model"'])
def test_back_to_a_search_shows_the_results_it_had_where_they_were_read(
    browser: Browser, base_url: str, query: str
) -> None:
    """Found by a new user's trial: Back from a result opened after "Show more" showed the
    first 10 again, at the top, where the browser does not keep the page as it was left (its
    back/forward cache, which Playwright's pages never get, as a page may not)."""
    page = _page(browser, WIDTHS["desktop"])
    page.goto(base_url + f"search/?q={query}")
    cards = page.locator("#search-results article")
    expect(cards).to_have_count(10)
    for count in (20, 30):
        page.get_by_role("button", name="Show more").click()
        expect(cards).to_have_count(count)
    opened = page.locator("#search-results h2 a").nth(24)
    opened.scroll_into_view_if_needed()
    read_at = page.evaluate("scrollY")
    assert read_at > 0
    opened.click()
    page.wait_for_url(lambda url: "/search/" not in url)
    page.go_back()
    expect(cards).to_have_count(30)
    page.wait_for_function(f"Math.abs(scrollY - {read_at}) < 2")
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(("width", "text"), [(320, "200%"), (390, "200%"), (390, "100%")])
def test_the_search_field_keeps_room_for_the_query_on_a_phone(
    browser: Browser, base_url: str, width: int, text: str
) -> None:
    """A phone trial (h4): at 320 px and 200% text the Search button took the line and left
    the field 70 px, its clear button and one letter, so the query typed was not seen. Where
    both do not fit, the button goes under the field, which keeps the form's width; where
    they do (a phone at 100% text), they share the line."""
    page = _page(browser, width)
    page.goto(base_url + "search/?q=reinforcement")
    page.add_style_tag(content=f"html {{ font-size: {text} }}")
    form, field = page.locator(".search-form"), page.locator("#search-query")
    button = form.get_by_role("button", name="Search")
    form_box, field_box, button_box = (
        form.bounding_box(),
        field.bounding_box(),
        button.bounding_box(),
    )
    assert form_box and field_box and button_box
    if text == "200%":
        assert field_box["width"] == pytest.approx(form_box["width"], abs=1)
        assert button_box["y"] >= field_box["y"] + field_box["height"]
    else:
        assert button_box["y"] == pytest.approx(field_box["y"], abs=1)
        assert field_box["width"] >= form_box["width"] / 2


def test_back_to_a_search_by_the_keyboard_finds_the_focus_on_the_result_followed(
    browser: Browser, base_url: str
) -> None:
    """A keyboard reader on a phone follows the 9th result and comes Back: the place was
    restored but the focus was the search box at the top, so the next Tab went to the Search
    button and the page jumped back up (an accessibility trial, h4)."""
    page = _page(browser, WIDTHS["mobile"])
    page.goto(base_url + "search/?q=agent")
    results = page.locator("#search-results h2 a")
    expect(results).to_have_count(10)
    followed = results.nth(8)
    page.keyboard.press("Tab")  # from the search box, as the page opens
    while not followed.evaluate("(link) => link === document.activeElement"):
        page.keyboard.press("Tab")
    title = followed.inner_text()
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/search/" not in url)
    page.go_back()
    expect(results).to_have_count(10)
    expect(results.nth(8)).to_be_focused()
    page.keyboard.press("Tab")  # on from there, not from the page's top
    assert page.evaluate("document.activeElement.closest('#search-results') !== null")
    assert page.evaluate("document.activeElement.textContent") != title
    assert page.errors == []  # type: ignore[attr-defined]


def test_back_to_a_search_in_a_browser_without_focus_visible_finds_its_place(
    browser: Browser, base_url: str
) -> None:
    """Safari before 15.4 knows no :focus-visible, and `matches` throws on it: the page's
    leaving, which asks it of the link followed, then kept no place to come back to (a
    review)."""
    page = _page(browser, WIDTHS["mobile"])
    page.add_init_script(
        """const matches = Element.prototype.matches;
        Element.prototype.matches = function (selector) {
          if (selector.includes(":focus-visible")) throw new SyntaxError(selector);
          return matches.call(this, selector);
        };"""
    )
    page.goto(base_url + "search/?q=agent")
    results = page.locator("#search-results h2 a")
    expect(results).to_have_count(10)
    results.nth(8).focus()
    place = page.evaluate("scrollY")
    assert place > 0
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/search/" not in url)
    page.go_back()
    expect(results).to_have_count(10)
    page.wait_for_function(f"scrollY === {place}")
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_show_more_adds_the_next_papers_below_the_first_from_the_keyboard(
    browser: Browser, base_url: str, width: int
) -> None:
    """The first page is 10 papers (a first query opens about half the documents of 20: the
    200 ms budget); "Show more", reached and pressed from the keyboard, appends the next 10
    below them, which stay as they were, and takes the focus to the first new one."""
    page = _page(browser, width)
    page.goto(base_url + "search/?q=learning")
    expect(page.locator("#search-results article")).to_have_count(10)
    links = page.locator("#search-results h2 a")
    first = [a.get_attribute("href") for a in links.all()]
    more = page.get_by_role("button", name="Show more")
    expect(more).to_be_visible()
    page.locator("#search-results a").last.focus()  # the last card's last topic
    page.keyboard.press("Tab")
    expect(more).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#search-results article")).to_have_count(20)
    expect(links.nth(10)).to_be_focused()
    hrefs = [a.get_attribute("href") for a in links.all()]
    assert hrefs[:10] == first and len(set(hrefs)) == 20
    expect(page.locator("#search-status")).to_contain_text("papers match “learning”; the best 20")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # A query whose papers are all shown has no more to show; a new query starts again at 10.
    page.locator("#search-query").fill("Raphaël")
    expect(page.locator("#search-status")).to_have_text("1 paper matches “Raphaël”:")
    expect(more).to_be_hidden()
    page.locator("#search-query").fill("learning")
    expect(page.locator("#search-status")).to_contain_text("; the best 10")
    expect(page.locator("#search-results article")).to_have_count(10)
    assert [a.get_attribute("href") for a in links.all()] == first
    assert page.errors == []  # type: ignore[attr-defined]


def test_show_more_that_finds_no_more_leaves_the_focus_on_the_last_result(
    browser: Browser, base_url: str
) -> None:
    """Found by an accessibility review: "continual" is counted "about 51" with 50 shown, and
    "Show more", pressed from the keyboard, found none: the button went, and the focus with it,
    to the page's start (a screen reader lost its place). It goes to the last result instead."""
    page = _page(browser, 1280)
    page.goto(base_url + "search/?q=continual")
    more = page.get_by_role("button", name="Show more")
    expect(page.locator("#search-results article")).to_have_count(10)
    for shown in (20, 30, 40, 50):
        more.focus()
        page.keyboard.press("Enter")
        expect(page.locator("#search-results article")).to_have_count(shown)
    expect(more).to_be_visible()  # the count is an estimate: more may come
    more.focus()
    page.keyboard.press("Enter")
    expect(more).to_be_hidden()
    expect(page.locator("#search-status")).to_have_text("50 papers match “continual”:")
    expect(page.locator("#search-results > li").last.locator("h2 a")).to_be_focused()
    assert page.errors == []  # type: ignore[attr-defined]


def test_back_returns_to_the_query_before_the_one_typed(browser: Browser, base_url: str) -> None:
    """A reader's trial: each query replaced the last in the history, so Back from a second
    query left the search page. Each query typed is an entry of its own; Back and Forward
    show their results."""
    page = _page(browser, WIDTHS["desktop"])
    # The page's clock, moved on by the while a reader reads (over a second: SETTLED_MS in the
    # search page's script), not waited out.
    page.clock.install()
    page.goto(base_url)
    page.goto(base_url + "search/?q=learning")
    cards = page.locator("#search-results article")
    expect(cards).to_have_count(10)
    page.get_by_role("button", name="Show more").click()
    expect(cards).to_have_count(20)
    page.clock.fast_forward(1200)  # read a while
    box = page.locator("#search-query")
    box.select_text()
    box.press_sequentially("agent", delay=40)  # as typed, letter by letter: one entry
    expect(page.locator("#search-status")).to_contain_text("“agent”")
    page.clock.fast_forward(1200)
    box.select_text()
    box.press_sequentially("diffusion", delay=40)
    page.keyboard.press("Enter")
    expect(page.locator("#search-status")).to_contain_text("“diffusion”")
    page.go_back()
    expect(page.locator("#search-status")).to_contain_text("“agent”")
    expect(box).to_have_value("agent")
    page.go_back()  # as many as were shown (a review: 10 of 30)
    expect(page.locator("#search-status")).to_contain_text("“learning”")
    expect(cards).to_have_count(20)
    assert page.url.endswith("/search/?q=learning")
    page.go_forward()
    expect(page.locator("#search-status")).to_contain_text("“agent”")
    page.go_back()
    page.go_back()
    page.wait_for_url(base_url)
    assert page.errors == []  # type: ignore[attr-defined]


# The paper of the next test, on `special_site`.
MARKUP_TITLE = 'Zyxwvut <img src=x onerror="window.pwned=1"> & "quoted" | 100% <b>bold</b>'


def test_a_title_with_markup_is_shown_as_text(browser: Browser, special_site: str) -> None:
    url, title = special_site, MARKUP_TITLE
    page = _page(browser, WIDTHS["mobile"])
    page.goto(url + "search/?q=zyxwvut")
    assert _result_titles(page) == [title]
    expect(page.locator("#search-results img, #search-results b")).to_have_count(0)
    assert page.evaluate("window.pwned") is None
    page.locator("#search-results h2 a").click()
    expect(page.locator("h1")).to_have_text(title)


@contextlib.contextmanager
def _served_day(
    root: Path, papers: list[tuple[str, str]], *, authors: list[list[str]] | None = None
) -> Iterator[str]:
    """A site at `root` of one day of `papers` (title, abstract), built and served: its URL.
    With `authors` (each paper's), the day is an API answer, which names them."""
    root.mkdir()
    shutil.copy(REPO / "site.toml", root / "site.toml")
    shutil.copytree(REPO / "templates", root / "templates")
    if authors is None:
        blocks = [line for t, a in papers for line in (t, a, "·", "Nov 20, 2026 7")]
        listing = root.parent / "2026-11-23.txt"
        listing.write_text("\n\n".join(["Daily Papers", "Nov 23", *blocks]) + "\n")
    else:
        entries = [
            {
                "paper": {
                    "id": f"2611.{number:05d}",
                    "title": title,
                    "summary": abstract,
                    "authors": [{"name": name} for name in names],
                    "submittedOnDailyAt": "2026-11-23T00:00:00.000Z",
                }
            }
            for number, ((title, abstract), names) in enumerate(zip(papers, authors, strict=True))
        ]
        listing = root.parent / "2026-11-23.json"
        listing.write_text(json.dumps(entries))
    assert main(["--root", str(root), "ingest", str(listing)]) == 0
    assert main(["--root", str(root), "build"]) == 0
    with serving(root / "public") as server:
        yield f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="module")
def special_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The special papers of several tests (`MARKUP_TITLE`, `TYPEWRITER`, `FEW_SHOT`,
    `CO_TRAINING`) on one day of one site, built, indexed and served once for them all (a
    build and its index took a second of each test): its URL. Each list of papers below is a
    Pagefind document of its own, filled up with papers that hold no word any test searches:
    no test's papers share a document with another test's."""
    documents = [[(MARKUP_TITLE, "An abstract.")], TYPEWRITER, *FEW_SHOT, *CO_TRAINING]
    papers: list[tuple[str, str]] = []
    for document in documents:
        assert len(document) <= PAPERS_PER_DOCUMENT
        papers += document
        while len(papers) % PAPERS_PER_DOCUMENT:
            papers.append((f"Filler {len(papers)}", "Nothing."))
    root = tmp_path_factory.mktemp("special") / "site"
    # An API answer, whose arXiv ids order the papers as listed (a text listing's are made of
    # their titles), and which names no author here.
    with _served_day(root, papers, authors=[[] for _ in papers]) as url:
        # The index's documents hold the papers in the site's order: as listed here.
        assert list(_records(root)) == [title for title, _ in papers]
        yield url


def test_typing_on_the_search_page_updates_the_results_and_the_address(
    browser: Browser, base_url: str, target: Target
) -> None:
    page = _page(browser, WIDTHS["desktop"])
    page.goto(base_url + "search/")
    expect(page.locator("#search-needs-script")).to_be_hidden()
    page.locator("#search-query").press_sequentially(target.title_word, delay=20)
    # A pause in typing (a loaded machine) searches the word so far first: wait for the whole.
    expect(page).to_have_url(re.compile(re.escape(f"?q={target.title_word}") + "$"))
    expect(page.locator("#search-status")).to_contain_text(f"match “{target.title_word}”")
    expect(page.locator("#search-results h2 a", has_text=target.title).first).to_be_visible()
    page.locator("#search-query").fill("zzzznotawordanywhere")
    expect(page.locator("#search-status")).to_contain_text("No paper matches")
    expect(page.locator("#search-results li")).to_have_count(0)


def test_a_query_typed_before_the_pages_script_has_come_is_kept_and_searched(
    browser: Browser, base_url: str
) -> None:
    """Found by a review: on a slow network the search page's box shows before its script has
    come (the page's last bytes); a reader who typed in it saw their words replaced by the
    address's query, and its results, once the script ran (and by nothing, from no query)."""
    page = _page(browser, WIDTHS["mobile"])
    network = page.context.new_cdp_session(page)
    network.send("Network.enable")
    network.send("Network.setCacheDisabled", {"cacheDisabled": True})  # as earlier tests left it
    slow = {"offline": False, "latency": 0, "downloadThroughput": 4_000, "uploadThroughput": -1}
    network.send("Network.emulateNetworkConditions", slow)
    page.goto(base_url + "search/?q=diffusion", wait_until="commit")
    box = page.locator("#search-query")
    box.fill("agents")
    expect(page.locator("#search-more")).to_have_count(0)  # no script yet: it makes the button
    network.send("Network.emulateNetworkConditions", {**slow, "downloadThroughput": -1})
    expect(page.locator("#search-status")).to_contain_text("match “agents”")
    expect(box).to_have_value("agents")
    expect(page).to_have_url(re.compile(r"\?q=agents$"))
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_a_reader_with_javascript_is_never_told_the_search_needs_it(
    browser: Browser, base_url: str, width: int
) -> None:
    """Found by Lighthouse (a layout shift of 0.03 on a phone, the footer): the note for
    readers without JavaScript showed until the page's script, its last bytes, had come and
    hid it; on a slow network a reader with JavaScript read that the search needs it, then
    saw the note go and the footer jump up."""
    page = _page(browser, width)
    page.add_init_script(
        "window.shifted = 0; new PerformanceObserver((list) => { for (const shift of"
        " list.getEntries()) if (!shift.hadRecentInput) window.shifted += shift.value; })"
        ".observe({ type: 'layout-shift', buffered: true });"
    )
    network = page.context.new_cdp_session(page)
    network.send("Network.enable")
    network.send("Network.setCacheDisabled", {"cacheDisabled": True})
    slow = {"offline": False, "latency": 0, "downloadThroughput": 4_000, "uploadThroughput": -1}
    network.send("Network.emulateNetworkConditions", slow)
    page.goto(base_url + "search/", wait_until="commit")
    expect(page.locator("#search-status")).to_be_attached()  # the page's start, not its script
    expect(page.locator("#search-more")).to_have_count(0)  # which makes this button
    expect(page.locator("#search-needs-script")).to_be_hidden()
    network.send("Network.emulateNetworkConditions", {**slow, "downloadThroughput": -1})
    expect(page.locator("#search-more")).to_have_count(1)
    page.wait_for_load_state("load")
    # A shift is reported after the frame that made it: two frames on.
    page.evaluate("new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
    assert page.evaluate("window.shifted") < 0.01
    assert page.errors == []  # type: ignore[attr-defined]


def test_the_search_pages_masthead_keeps_the_sections_where_every_page_has_them(
    browser: Browser, base_url: str
) -> None:
    """Found by a reader's trial: without the masthead's box, which the search page has in its
    body, the sections' links jumped right on a desktop; on a phone the box is not missed."""
    page = _page(browser, WIDTHS["desktop"])
    places = []
    for path in ("", "search/?q=diffusion"):  # neither is a section's: no link is bold
        page.goto(base_url + path)
        places.append(page.get_by_role("banner").locator("nav").bounding_box())
    assert places[0] == places[1]
    expect(page.get_by_role("searchbox")).to_have_count(1)  # the page's own, not the room's
    assert page.errors == []  # type: ignore[attr-defined]


def test_without_javascript_the_search_page_says_so_and_offers_browsing(
    browser: Browser, base_url: str
) -> None:
    page = _page(browser, WIDTHS["mobile"], javascript=False)
    page.goto(base_url)
    page.get_by_role("search").first.get_by_role("searchbox").fill("diffusion")
    page.get_by_role("search").first.get_by_role("searchbox").press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=diffusion"))
    expect(page.locator("main")).to_contain_text("needs JavaScript")
    expect(page.locator("#search-needs-script")).to_be_visible()
    page.get_by_role("link", name="topic", exact=True).click()
    assert page.url == base_url + "topics/"


def test_search_works_from_sitegen_serve_at_the_root(
    browser: Browser, tmp_path: Path, small_build: Path
) -> None:
    """On the small site (conftest's `small_listings`, its papers with authors from the API
    answer): serving and indexing in the background hold for any content."""
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(REPO / "site.toml", root / "site.toml")
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(small_build / "content", root / "content")
    target = _target(root)
    process = subprocess.Popen(
        ["sitegen", "--root", str(root), "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        url = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not url:
            line = process.stdout.readline()
            if match := re.search(r"at (http://\S+/) ", line):
                url = match.group(1)
        assert url, "sitegen serve did not announce its address"
        # The index is made after the pages, in the background: wait for its script.
        index = root / "public" / SEARCH_INDEX_DIR / "pagefind.js"
        while time.monotonic() < deadline and not index.exists():
            time.sleep(0.2)
        page = _page(browser, WIDTHS["desktop"])
        page.goto(url)
        _search_from_box(page, target.title_word)
        assert target.title in _result_titles(page)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        if process.stdout is not None:
            process.stdout.close()


def _built_copy(small_built: Path) -> tuple[Path, Path]:
    """A copy of the small site, built (`small_built`: the bundled site's days and months, 90
    papers): its root and its index's directory."""
    return small_built, small_built / "public" / SEARCH_INDEX_DIR


def _files(directory: Path) -> dict[Path, bytes]:
    return {p.relative_to(directory): p.read_bytes() for p in directory.rglob("*") if p.is_file()}


def test_a_new_day_indexes_only_its_month_again(
    small_built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, index = _built_copy(small_built)
    shards = json.loads((index / SEARCH_MANIFEST).read_bytes())["shards"]
    assert shards == ["open/", "closed/"]  # the open month (November 2026), the months before
    closed = shards[1:]
    before = {p: p.stat().st_mtime_ns for p in index.rglob("*") if p.is_file()}
    entry = (index / OPEN_DIRECTORY / "pagefind-entry.json").read_bytes()
    listing = tmp_path / "2026-11-23.txt"
    lines = ["Daily Papers", "Nov 23", "Sparse Mixtures of Tiny Experts", "Tiny experts.", "·"]
    listing.write_text("\n\n".join([*lines, "Nov 20, 2026 7"]) + "\n")
    assert main(["--root", str(root), "ingest", str(listing)]) == 0
    site = assemble_site(load_content(root), load_config(root))
    firsts = [min(a.day for a in site.appearances[i]) for i in site.ids]
    november = sum(1 for day in firsts if (day.year, day.month) == (2026, 11))
    capsys.readouterr()
    assert main(["--root", str(root), "build"]) == 0
    # The papers first featured in the open month alone (November 2026, the new one's).
    assert f"search index: {november} papers indexed" in capsys.readouterr().out
    after = {p: p.stat().st_mtime_ns for p in index.rglob("*") if p.is_file()}
    in_closed = {p for p in before if p.relative_to(index).parts[0] + "/" in closed}
    assert in_closed and all(after.get(p) == before[p] for p in in_closed)
    # The warm-up index (the root's files) is not made again either.
    at_root = {p for p in before if len(p.relative_to(index).parts) == 1}
    assert at_root and all(after.get(p) == before[p] for p in at_root)
    entry_after = (index / OPEN_DIRECTORY / "pagefind-entry.json").read_bytes()
    assert entry_after != entry  # the open month's, made again


def test_a_site_indexed_in_yearly_shards_gets_the_closed_shard_and_loses_the_years(
    small_built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # An index made by an earlier sitegen: a shard per year where the closed shard is now.
    root, index = _built_copy(small_built)
    closed = _files(index / CLOSED_DIRECTORY)
    (index / CLOSED_DIRECTORY).rename(index / "2025")
    record_file = output_folder.record_file(root / "public")
    record = marshal.loads(record_file.read_bytes())
    old = f"{SEARCH_INDEX_DIR}/{CLOSED_DIRECTORY}"
    record["files"] = {
        path.replace(old, f"{SEARCH_INDEX_DIR}/2025/", 1): entry
        for path, entry in record["files"].items()
    }
    record_file.write_bytes(marshal.dumps(record))
    capsys.readouterr()
    assert main(["--root", str(root), "build"]) == 0
    assert "search index: up to date" not in capsys.readouterr().out
    assert not (index / "2025").exists()  # removed: sitegen wrote it
    assert _files(index / CLOSED_DIRECTORY) == closed


def _record(*, day: str = "", number: int = 1, title: str = "T", text: str = "") -> str:
    """A paper's search record, encoded, of no upvotes, topics, authors, organisation, arXiv id."""
    fields = {"upvotes": "", "topics": (), "authors": "", "organization": "", "arxiv_id": ""}
    return SearchRecord(
        url=f"/papers/{number}/", title=title, text=text, day=day, **fields
    ).encoded()


def _shards_of(
    records: list[tuple[str, str]], topics: dict[str, tuple[str, str]]
) -> list[SearchShard]:
    """The shards a build makes of `records` (each with its paper's first day), as
    search_index.pending_index lays them out: the warm-up index, then the open and closed
    months'."""
    layout = shard_layout({day[:7] for day, _ in records})
    return [
        warm_up_shard([directory for _, directory, _ in layout], topics),
        *(
            make_shard(period, directory, [line for day, line in records if day[:7] in months])
            for period, directory, months in layout
        ),
    ]


def test_shards_are_the_open_month_and_the_months_before_it() -> None:
    def record(day: str, number: int) -> str:
        return _record(day=day, number=number)

    days = ["2025-10-31", "", "2026-11-22", "2026-03-14", "2025-11-03", "2026-11-02"]
    records = [(day, record(day, number)) for number, day in enumerate(days)]
    topics = {"vision": ("Vision, Video", "topics/vision/")}
    shards = _shards_of(records, topics)
    assert [(s.period, s.directory) for s in shards] == [
        ("", ""),  # the warm-up index, the primary: no paper
        ("2026-11", OPEN_DIRECTORY),  # the open month, with the papers of no day
        ("before-2026-11", CLOSED_DIRECTORY),  # every year's other months, one shard
    ]
    assert [len(s.records) for s in shards] == [0, 3, 3]
    assert json.loads(shards[0].manifest) == {
        "shards": ["open/", "closed/"],
        "papers_per_document": PAPERS_PER_DOCUMENT,
        "warm_up": WARM_UP_WORD,
        "name_joint": NAME_JOINT,
        "topics": {"vision": ["Vision, Video", "topics/vision/"]},
    }
    assert [s.manifest for s in shards[1:]] == [b"", b""]
    # A changed paper of a closed month changes the closed shard alone.
    edited = _shards_of(
        [*records[:3], ("2026-03-15", record("2026-03-15", 3)), *records[4:]], topics
    )
    changed = [a.key != b.key for a, b in zip(shards, edited, strict=True)]
    assert changed == [False, False, True]
    # A site of no paper has the warm-up index alone, which lists no shard to merge.
    (alone,) = _shards_of([], topics)
    assert json.loads(alone.manifest)["shards"] == []
    # A site of one month has the open shard alone.
    assert [s.directory for s in _shards_of(records[1:3] + records[5:], topics)] == ["", "open/"]
    # A file of the index belongs to its shard; the warm-up index's, at the root, to "".
    assert [
        shard_directory(path)
        for path in ("pagefind.js", "index/en_1.pf_index", "open/fragment/f.pf_fragment",
                     "closed/pagefind-entry.json", "2025/index/en_2.pf_index")
    ] == ["", "", "open/", "closed/", "2025/"]  # fmt: skip
    # The warm-up index's documents hold its word alone, and no heading a result would show.
    warm_up = shards[0].documents()
    assert warm_up and not any(re.search(r"<h\d", document) for document in warm_up)
    words = {word for document in warm_up for word in re.findall(r"\w+", document)}
    assert words == {"html", "lang", "en", "body", "p", WARM_UP_WORD}


def test_a_shards_title_words_are_folded_counted_by_title_and_the_most_held_first() -> None:
    titles = [
        "Diffusion Models, diffusion!",
        "Raphaël's Diffusion: 3D-VP3D via LLMs",
        "Sim2Real models",
    ]
    # As the search page folds a query; words of four letters or more, digits in none.
    records = [_record(title=title, text="abstract words") for title in titles]
    assert title_words(records) == b"diffusion 2\nmodels 2\nllms 1\nraphael 1\n"


def test_a_quoted_phrase_no_paper_holds_in_a_row_is_offered_without_its_quotes(
    browser: Browser, base_url: str
) -> None:
    """A researcher's trial quoted "reinforcement learning from human feedback" from an
    abstract that says "human" before it (the index holds an abstract's words once each):
    nothing was found, and the page said to check the spelling, which was right. It now
    offers the same words without the quotes, which find the paper."""
    page = _page(browser, WIDTHS["mobile"])
    status = page.locator("#search-status")
    page.goto(base_url + 'search/?q="reinforcement learning from human feedback"')
    expect(status).to_contain_text(
        "Without the quotes: reinforcement learning from human feedback."
    )
    page.get_by_role("link", name="reinforcement learning from human feedback").click()
    page.wait_for_url(re.compile(r"\?q=reinforcement\+learning\+from\+human\+feedback$"))
    assert "Latent Collective Preference Optimization" in " ".join(_result_titles(page))
    # A misspelt phrase is still offered respelled, in its quotes.
    page.goto(base_url + 'search/?q="difussion modles"')
    expect(status).to_contain_text('Did you mean "diffusion models"?')


@pytest.mark.parametrize(
    "typed",
    [
        f"{opening}reinforcement learning from human feedback{closing}"
        for opening, closing in ["„“", "“”"]
    ],
    ids=["low-high", "curly"],
)
def test_a_phrase_in_any_quotes_the_page_takes_is_offered_without_them(
    browser: Browser, base_url: str, typed: str
) -> None:
    """docs/search.md: curly quotes are quotes, German „…“ too (the page reads them so). A
    review: the offer without quotes took off only straight and English curly ones, so a
    phrase quoted „…“ was offered as "„reinforcement learning …", its opening mark kept."""
    page = _page(browser, WIDTHS["mobile"])
    status = page.locator("#search-status")
    page.goto(base_url + "search/?q=" + quote(typed))
    expect(status).to_contain_text(
        "Without the quotes: reinforcement learning from human feedback."
    )
    assert page.errors == []  # type: ignore[attr-defined]


def test_a_misspelt_query_is_offered_respelled_with_title_words(
    browser: Browser, base_url: str
) -> None:
    """A typo ("difussion") found nothing, and the page said only to check the spelling: it
    now offers the query with each word that finds nothing alone respelled, as typed else,
    when that finds papers."""
    page = _page(browser, WIDTHS["desktop"])
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(base_url + "search/?q=diffusion")
    assert _result_titles(page)
    assert not any("sitegen-words" in url for url in fetched)  # never for papers found
    status = page.locator("#search-status")
    page.goto(base_url + 'search/?q="difussion modles"')
    expect(status).to_have_text(
        'No paper matches "difussion modles": check its spelling, or try other words'
        " (of an abstract, only the first words are searched)."
        ' Did you mean "diffusion models"?'
    )
    page.get_by_role("link", name='"diffusion models"').click()
    page.wait_for_url(re.compile(r"\?q=%22diffusion\+models%22$"))
    expect(status).to_contain_text(re.compile(r'papers? match(es)? "diffusion models"'))
    assert _result_titles(page)
    expect(page.locator("#search-results h2 a").first).to_be_focused()  # the link is gone
    page.go_back()  # to the typo, as a link followed
    expect(status).to_contain_text('Did you mean "diffusion models"?')
    # A click with a modifier opens a tab, as any link's: the page's script leaves it to the
    # browser (a click of Playwright's opened a tab whose close hung twice under load).
    left_to_the_browser = page.get_by_role("link", name='"diffusion models"').evaluate(
        """a => new Promise(done => {
            addEventListener("click", e => { done(!e.defaultPrevented); e.preventDefault(); },
                             {once: true});
            a.dispatchEvent(new MouseEvent("click", {bubbles: true, cancelable: true,
                                                     ctrlKey: true}));
        })"""
    )
    assert left_to_the_browser
    assert "difussion" in page.url
    expect(status).to_contain_text('Did you mean "diffusion models"?')
    # Two letters swapped in a word of five, its capital kept; capitals all kept.
    page.goto(base_url + "search/?q=Agnet")
    expect(status).to_contain_text("Did you mean Agent?")
    page.goto(base_url + "search/?q=DIFUSSION")
    expect(status).to_contain_text("Did you mean DIFFUSION?")
    # Only the first eight words no title holds are looked at: a ninth typo is not.
    page.goto(base_url + "search/?q=" + "Chen " * 7 + "difussion")
    expect(status).to_contain_text("Did you mean " + "Chen " * 7 + "diffusion?")
    page.goto(base_url + "search/?q=" + "Chen " * 8 + "difussion")
    expect(status).to_contain_text("No paper matches")
    page.wait_for_load_state("networkidle")
    expect(status).not_to_contain_text("Did you mean")
    # Markup typed is no word, as for the query's own search.
    page.goto(base_url + "search/?q=<b>difussion</b> modles")
    expect(status).to_contain_text("Did you mean diffusion models?")
    # A word that finds papers alone is no typo, though no title holds it (a review: an
    # author's "Chen" was offered as "when").
    page.goto(base_url + "search/?q=Chen difussion")
    expect(status).to_contain_text("Did you mean Chen diffusion?")
    # An offer that would find nothing is none: "zqxjvk continual" finds no paper.
    page.goto(base_url + "search/?q=contnual")
    expect(status).to_contain_text("Did you mean continual?")
    page.goto(base_url + "search/?q=zqxjvk contnual")
    expect(status).to_contain_text("No paper matches")
    page.wait_for_load_state("networkidle")  # the words fetched, their searches made
    expect(status).to_have_text(
        "No paper matches “zqxjvk contnual”: check its spelling, or try other words"
        " (of an abstract, only the first words are searched)."
    )
    assert page.errors == []  # type: ignore[attr-defined]


def _records(site_root: Path) -> dict[str, SearchRecord]:
    """Every paper's search record, by title."""
    config = load_config(site_root)
    site = assemble_site(load_content(site_root), config)
    routes = Routes(config.base_url)
    return {r.title: r for r in (search_record(site, routes, i) for i in site.ids)}


def _title_with(records: dict[str, SearchRecord], start: str) -> str:
    return next(title for title in records if title.startswith(start))


@pytest.mark.parametrize(
    ("query", "title"), [("Sim2Real", "Stable-Sim2Real: "), ("3D", "VP3D: "), ("to-3D", "VP3D: ")]
)
def test_a_part_of_a_hyphenated_word_finds_the_paper(
    browser: Browser, base_url: str, records: dict[str, SearchRecord], query: str, title: str
) -> None:
    """ "Sim2Real" finds "Stable-Sim2Real: ...", "3D" finds "VP3D: ... Text-to-3D Generation"."""
    page = _page(browser, WIDTHS["desktop"])
    page.goto(base_url + f"search/?q={query}")
    assert _title_with(records, title) in _every_result_title(page)
    assert page.errors == []  # type: ignore[attr-defined]


def _papers_saying(site_root: Path, pattern: str, *, in_title: bool = True) -> set[str]:
    """The titles of the papers whose title (`in_title`) or abstract holds `pattern`, read from
    their files."""
    found = set()
    for path in (site_root / "content" / "papers").glob("*.md"):
        paper = parse_paper_file(path.read_text(), path=str(path))
        if re.search(pattern, paper.abstract) or (in_title and re.search(pattern, paper.title)):
            found.add(paper.title)
    return found


@pytest.mark.parametrize("acronym", ["DPO", "CoT", "VLM", "2D", "7B"])
def test_an_acronym_finds_every_paper_that_names_it(
    browser: Browser, base_url: str, site_root: Path, acronym: str
) -> None:
    """Found by a reader: "DPO" found 1 of the 4 papers naming it, "MoE" none of 14 (three
    letters, or past an abstract's first words, were not indexed); and "3D" 10 of 15 (a digit
    first was no acronym)."""
    holding = _papers_saying(site_root, rf"(?<![A-Za-z0-9]){acronym}(?![A-Za-z0-9])")
    assert 1 < len(holding) <= 10  # all on the first page of results
    page = _page(browser, WIDTHS["desktop"])
    page.goto(base_url + f"search/?q={acronym}")
    assert holding <= set(_result_titles(page))
    assert page.errors == []  # type: ignore[attr-defined]


def test_a_joined_name_in_a_title_is_found_by_its_parts(
    browser: Browser, base_url: str, records: dict[str, SearchRecord]
) -> None:
    """ "MoE" finds "MaskMoE: ..." (a reader's query that found nothing)."""
    page = _page(browser, WIDTHS["desktop"])
    page.goto(base_url + "search/?q=MoE")
    assert _title_with(records, "MaskMoE") in _result_titles(page)


@pytest.mark.parametrize("query", ["text-to-image", "text to image"])
def test_a_hyphenated_word_of_an_abstract_is_found_as_typed_with_or_without_hyphens(
    browser: Browser, base_url: str, site_root: Path, query: str
) -> None:
    """Found by a reader: "multi-agent" found 9 papers, "multi agent" 13, and neither found
    a paper whose abstract begins "Text-to-image models ..." (only its title's were)."""
    holding = _papers_saying(site_root, r"(?i)^(?:\S+\s+){0,8}text-to-image", in_title=False)
    assert holding
    page = _page(browser, WIDTHS["desktop"])
    page.goto(base_url + f"search/?q={query}")
    assert holding <= set(_result_titles(page))
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(("joined", "hyphenated"), [("GPT4", "GPT-4"), ("gpt3", "GPT-3")])
def test_a_name_and_its_version_typed_joined_find_them_hyphenated(
    browser: Browser, base_url: str, records: dict[str, SearchRecord], joined: str, hyphenated: str
) -> None:
    """A researcher's trial: "GPT4" found no paper, where "GPT-4" found Orca's "... Traces
    of GPT-4": a joined word's last part of one digit spelled no hyphenated word."""
    holding = {t for t, r in records.items() if hyphenated.lower() in f"{t} {r.text}".lower()}
    assert holding
    page = _page(browser, WIDTHS["mobile"])
    page.goto(base_url + f"search/?q={joined}")
    assert holding <= set(_result_titles(page))
    assert page.errors == []  # type: ignore[attr-defined]


def test_a_hyphenated_word_held_joined_ranks_as_the_word_held_whole(
    browser: Browser, base_url: str, site_root: Path
) -> None:
    """A researcher's trial: "multi-modal" ranked "A Concept-Centric Approach to
    Multi-Modality Learning" first, above the nine papers titled "... Multimodal ...": a
    paper holding the word joined counted as holding "multi" alone."""
    joined = _papers_saying(site_root, r"(?i)\bmultimodal\b")
    page = _page(browser, WIDTHS["desktop"])
    page.goto(base_url + "search/?q=multi-modal")
    titles = _every_result_title(page)
    longer = titles.index("A Concept-Centric Approach to Multi-Modality Learning")
    titled = [i for i, title in enumerate(titles) if re.search(r"(?i)\bmultimodal\b", title)]
    assert len(titled) >= 5 and {titles[i] for i in titled} <= joined
    assert max(titled) < longer, titles
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", ["Raphaël", "raphael", "RAPHAËL"])
def test_an_accented_name_finds_its_paper_alone_with_or_without_its_accent(
    browser: Browser, base_url: str, records: dict[str, SearchRecord], name: str
) -> None:
    """Split on ASCII non-word characters, "Raphaël" was "rap" and "l": any word in "l" kept
    a paper. Pagefind folds case and diacritics, and so does the page."""
    holding = [t for t, r in records.items() if "Raphaël" in f"{t} {r.text}"]
    assert len(holding) == 1
    page = _page(browser, WIDTHS["desktop"])
    page.goto(base_url + f"search/?q={name}")
    assert _result_titles(page) == holding
    expect(page.locator("#search-status")).to_have_text(f"1 paper matches “{name}”:")
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("R. Michael Alvarez", ["michael", "alvarez"]),  # the initial is not required
        ("learnable typewriter", ["learnable", "typewriter"]),
        ("Ecole des Ponts", ["ecole", "des", "ponts"]),
    ],
)
def test_every_word_of_two_letters_or_more_must_be_in_the_paper(
    browser: Browser,
    base_url: str,
    records: dict[str, SearchRecord],
    query: str,
    words: list[str],
) -> None:
    """Several words find the papers holding all of them, not those holding any one (where
    common words buried the paper)."""

    def folded(text: str) -> str:
        return text.lower().replace("é", "e").replace("É", "e")

    holding = {
        t
        for t, r in records.items()
        if all(re.search(rf"(?<![^\W_]){w}", folded(f"{t} {r.text}")) for w in words)
    }
    assert holding
    page = _page(browser, WIDTHS["desktop"])
    page.goto(base_url + f"search/?q={query}")
    assert set(_result_titles(page)) == holding
    assert page.errors == []  # type: ignore[attr-defined]


# The papers of the next test, in one Pagefind document on `special_site`: the phrase, its
# words apart, one of its words.
TYPEWRITER = [
    ("Learnable Typewriter Models for Old Scripts", "Glyphs."),
    (
        "Typewriter Study: Is Typewriter Use Learnable, or Learnable by Typewriter Experts?",
        "Typewriter learnable.",
    ),
    ("Learnable Filters", "Sound."),
]


def test_papers_with_the_exact_phrase_rank_first(browser: Browser, special_site: str) -> None:
    """A paper holding the words as typed ranks above one holding them apart, however often,
    and a paper holding one word only is not shown."""
    (phrase, _), (apart, _), _ = TYPEWRITER
    page = _page(browser, WIDTHS["desktop"])
    page.goto(special_site + "search/?q=learnable+typewriter")
    assert _result_titles(page) == [phrase, apart]
    expect(page.locator("#search-status")).to_have_text("2 papers match “learnable typewriter”:")
    assert page.errors == []  # type: ignore[attr-defined]


# The papers of the next test, each in a Pagefind document of its own on `special_site`:
# hyphenated, spaced, its words apart (no phrase); and an abstract's words of three letters
# or fewer are not indexed: "of" only ranks.
FEW_SHOT = [
    [("Few-Shot Learning of Glyphs", "Scripts.")],
    [("Glyphs by few shot learning", "Scripts.")],
    [("A Shot of Few Glyphs Learning", "Scripts.")],
    [("Sparse Routing at Scale", "We train a mixture of experts.")],
]


def test_a_hyphen_is_a_space_and_markup_no_word_in_a_query_and_a_paper(
    browser: Browser, special_site: str
) -> None:
    """Found by a reader's trial: "Mixture-of-Experts" found 9 of the 14 papers "mixture of
    experts" found, a quoted "few shot learning" missed "Few-Shot Learning", and
    "<b>diffusion</b>" found nothing. Here each paper is in a Pagefind document of its own,
    with others that hold none of the words. A stop word only ranks."""
    [(hyphenated, _)], [(spaced, _)], [(apart, _)], [(routed, _)] = FEW_SHOT
    url = special_site
    page = _page(browser, WIDTHS["desktop"])
    for query in ("few shot learning", "<b>few</b> shot learning"):
        page.goto(url + f"search/?q={quote(query)}")
        titles = _result_titles(page)
        assert set(titles[:2]) == {hyphenated, spaced} and titles[2:] == [apart], query
        expect(page.locator("#search-status")).to_have_text(f"3 papers match “{query}”:")
    # A hyphenated word is one: its parts in a row (see the next test).
    for query in ("few-shot learning", "<b>few-shot</b> learning"):
        page.goto(url + f"search/?q={quote(query)}")
        assert set(_result_titles(page)) == {hyphenated, spaced}, query
    for query, holding in [
        ('"few shot learning"', {hyphenated, spaced}),
        ('"few-shot learning"', {hyphenated, spaced}),
        ('"Few-Shot" learning', {hyphenated, spaced}),  # "Shot of Few": not in a row
    ]:
        page.goto(url + f"search/?q={quote(query)}")
        assert set(_result_titles(page)) == holding, query
    page.goto(url + "search/?q=mixture+of+experts")
    assert _result_titles(page) == [routed]
    assert page.errors == []  # type: ignore[attr-defined]


# The papers of the next test, each in a Pagefind document of its own on `special_site`.
CO_TRAINING_HELD = ["Co-Training of Glyphs", "Glyph Co Training", "Cotraining Glyphs"]
CO_TRAINING_OTHER = ["Compute-Efficient Glyph Training", "Cooperative Training of Glyphs"]
CO_TRAINING_JOINED = "Multimodal Glyph Parsing"  # holding no "modal"
CO_TRAINING = [
    [(title, "Scripts.")] for title in [*CO_TRAINING_OTHER, *CO_TRAINING_HELD, CO_TRAINING_JOINED]
]


def test_a_hyphenated_word_is_one_word_held_hyphenated_spaced_or_joined(
    browser: Browser, special_site: str
) -> None:
    """A review: with a hyphen a space, "co-training" found "Compute-Efficient ... Training"
    and 110 more, its two papers 31st and 66th. Its parts must stand in a row, each but the
    last whole, or joined; a paper holding them so ranks and is opened first."""
    held, joined, url = CO_TRAINING_HELD, CO_TRAINING_JOINED, special_site
    page = _page(browser, WIDTHS["desktop"])
    page.goto(url + "search/?q=co-training")
    assert set(_result_titles(page)) == set(held)
    expect(page.locator("#search-status")).to_have_text("3 papers match “co-training”:")
    # Joined, it is the same word, and the hyphenated query finds it joined (a reader's
    # trial: "finetuning" missed every "Fine-Tuning", "multi-modal" every "Multimodal").
    page.goto(url + "search/?q=cotraining")  # not "Co Training": that is two words
    assert set(_result_titles(page)) == {"Co-Training of Glyphs", "Cotraining Glyphs"}
    page.goto(url + "search/?q=multi-modal")
    assert _result_titles(page) == [joined]
    # Curly quotes are quotes; formatting markup is no word, other angle brackets are.
    page.goto(url + f"search/?q={quote('“co training”')}")
    assert set(_result_titles(page)) == {"Co-Training of Glyphs", "Glyph Co Training"}
    expect(page.locator("#search-status")).to_have_text("2 papers match “co training”:")
    page.goto(url + f"search/?q={quote('<i>cooperative</i> <glyphs>')}")
    assert _result_titles(page) == ["Cooperative Training of Glyphs"]
    unpaired = '"cooperative training'  # no phrase
    page.goto(url + f"search/?q={quote(unpaired)}")
    assert _result_titles(page) == ["Cooperative Training of Glyphs"]
    expect(page.locator("#search-status")).to_have_text('1 paper matches “"cooperative training”:')
    assert page.errors == []  # type: ignore[attr-defined]


def test_the_count_of_a_common_word_is_near_the_truth_before_every_paper_is_opened(
    browser: Browser, base_url: str
) -> None:
    """A reader's trial: "at least 39 papers" matched "learning", of 335. The first page says
    about how many; every page shown, the count is exact."""
    page = _page(browser, WIDTHS["desktop"])
    page.goto(base_url + "search/?q=learning")
    status = page.locator("#search-status")
    expect(status).to_contain_text("; the best 10:")
    about = re.fullmatch(r"About (\d+) papers match “learning”; the best 10:", status.inner_text())
    assert about, status.inner_text()
    truth = len(_every_result_title(page))
    expect(status).to_have_text(f"{truth} papers match “learning”:")
    assert truth > 100 and abs(int(about[1]) - truth) <= truth / 5, (about[1], truth)
    assert page.errors == []  # type: ignore[attr-defined]


# Each quoted phrase's words' stems as the search page takes them: "learning" also finds
# "learned"; "continually learn" is not "continual learning" (but for its last word, a word
# is whole: a review found "co training" finding "cooperative training").
@pytest.mark.parametrize(
    ("query", "phrases"),
    [
        ('"language model"', [("language", "model")]),
        ('"continual learning"', [("continual", "learn")]),
        # Two phrases: Pagefind took them as one, "large language language model" (a review).
        ('"large language" "language model"', [("large", "language"), ("language", "model")]),
        # One word: Pagefind's exact search gives each document's first place only (a review:
        # "learning" found 25 of 306).
        ('"diffusion"', [("diffusion",)]),
    ],
)
def test_quoted_phrases_find_every_paper_holding_each_in_a_row_and_no_other(
    browser: Browser,
    base_url: str,
    records: dict[str, SearchRecord],
    query: str,
    phrases: list[tuple[str, ...]],
) -> None:
    """Found by a reader's trial: "language model" in quotes found 25 papers and none of the
    42 whose titles hold it (Pagefind gives a phrase's first place in a document only), and
    the status quoted the quotes."""
    # Each word but the last whole, or with an ending of inflection; the last, its start.
    whole = r"(?:ations?|ings?|ies|ed|e?s|ers?)?[\W_]+"
    in_rows = [re.compile(r"(?<![^\W_])" + whole.join(stems), re.IGNORECASE) for stems in phrases]
    holding = {t for t, r in records.items() if all(row.search(f"{t} {r.text}") for row in in_rows)}
    assert len(holding) >= 5
    page = _page(browser, WIDTHS["desktop"])
    page.goto(base_url + f"search/?q={query}")
    assert set(_every_result_title(page)) == holding
    expect(page.locator("#search-status")).to_contain_text(f"match {query}")  # as typed
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("title", ["Memory Networks", "Language Model Cascades"])
def test_a_pasted_title_finds_that_paper_first(
    browser: Browser, base_url: str, site_root: Path, title: str
) -> None:
    """Before papers whose longer titles hold it ("End-To-End Memory Networks")."""
    titles = {p.title for p in load_content(site_root).papers.values()}
    longer = [t for t in titles if title.lower() in t.lower() and t != title]
    assert title in titles and longer
    page = _page(browser, WIDTHS["desktop"])
    page.goto(base_url)
    _search_from_box(page, title)
    assert _result_titles(page)[0] == title
    assert page.errors == []  # type: ignore[attr-defined]


def test_a_full_name_opens_the_documents_holding_it_not_those_holding_its_words_apart(
    browser: Browser, tmp_path: Path
) -> None:
    """At 50,000 papers a full name's first query opened 30 to 35 Pagefind documents for its
    20 papers (over the 200 ms and 300 KB budgets): most held "Maria" in one paper and
    "Suzuki" in another, and Pagefind ranked them first. Here 10 documents hold the name in
    two papers each, and 5, ranked first, hold its words apart ten times each: only the 10
    are opened (5 for the first page of 10, 5 more for the next), for a full name as for a
    part of one."""
    papers = []
    for number in range(15 * PAPERS_PER_DOCUMENT):
        document, place = divmod(number, PAPERS_PER_DOCUMENT)
        if document % 3 == 2:
            words = "Maria Wolters" if place % 2 else "Kenji Suzuki"
        else:
            words = "Maria Suzuki" if place % 10 == 0 else "Filler"
        papers.append((f"P{number:04d} {words} notes", "Nothing."))
    root = tmp_path / "site"
    with _served_day(root, papers) as url:
        # The index's documents hold the papers in the site's order: as listed here.
        assert list(_records(root)) == [title for title, _ in papers]
        for query in ("Maria Suzuki", "maria suz"):
            page = _page(browser, WIDTHS["desktop"])
            requested: list[str] = []
            page.on("request", lambda request, urls=requested: urls.append(request.url))
            page.goto(url + f"search/?q={query}")
            titles = _result_titles(page)
            assert len(titles) == 10 and all("Maria Suzuki" in t for t in titles), titles
            expect(page.locator("#search-status")).to_have_text(
                f"At least 15 papers match “{query}”; the best 10:"
            )  # the 5 documents not opened that hold the words in a row: a paper each
            fragments = [u for u in requested if f"/{SEARCH_INDEX_DIR}/" in u and "/fragment/" in u]
            assert len(fragments) == 5, fragments
            page.get_by_role("button", name="Show more").click()
            expect(page.locator("#search-results article")).to_have_count(20)
            titles = _result_titles(page)
            assert all("Maria Suzuki" in t for t in titles), titles
            # 5 documents holding the words apart are not opened yet (the name is no author's):
            # "Show more" may find more.
            expect(page.locator("#search-status")).to_have_text(
                f"At least 20 papers match “{query}”; the best 20:"
            )
            fragments = [u for u in requested if f"/{SEARCH_INDEX_DIR}/" in u and "/fragment/" in u]
            assert len(fragments) == 10, fragments
            assert page.errors == []  # type: ignore[attr-defined]
            page.close()


def test_a_full_name_finds_that_authors_papers_by_one_word_and_a_part_of_it_by_its_words(
    browser: Browser, tmp_path: Path
) -> None:
    """Each author's name is also one word of the index, which the page looks two or three
    words up as first (at 50,000 papers two common names' words were in 1,400 documents:
    over the first query's 200 ms budget). Here 10 documents hold the author "Maria Suzuki"
    in two papers each, and 5, ranked first by Pagefind for the words, hold "Ana Maria" and
    "Suzuki Kenji" in a row in each paper: the name finds its author's papers, opening only
    their documents; a part of it, reversed or with an initial, any paper holding its words."""
    papers, authors = [], []
    for number in range(15 * PAPERS_PER_DOCUMENT):
        document, place = divmod(number, PAPERS_PER_DOCUMENT)
        if document % 3 == 2:
            names = ["Ana Maria", "Suzuki Kenji", "Maria Wolters"]
        else:
            names = ["Maria Suzuki" if place % 10 == 0 else "Filler Person", "Noor Haddad"]
        papers.append((f"P{number:04d} notes", "Nothing."))
        authors.append(names)
    by_name = {f"P{n:04d} notes" for n, names in enumerate(authors) if "Maria Suzuki" in names}
    holding = {f"P{n:04d} notes" for n, names in enumerate(authors) if "Filler Person" not in names}
    root = tmp_path / "site"
    with _served_day(root, papers, authors=authors) as url:
        assert list(_records(root)) == [title for title, _ in papers]  # in documents so
        for query in ("Maria Suzuki", "maria SUZUKI", "maria suz", "Suzuki, Maria", "M. Suzuki"):
            page = _page(browser, WIDTHS["desktop"])
            requested: list[str] = []
            page.on("request", lambda request, urls=requested: urls.append(request.url))
            page.goto(url + f"search/?q={query}")
            titles = _result_titles(page)
            assert len(titles) == 10, titles
            full = query in ("Maria Suzuki", "maria SUZUKI")  # the full name, in any case
            if full:  # the documents holding it count on one paper each: all 10 opened
                expect(page.locator("#search-status")).to_have_text(
                    f"20 papers match “{query}”; the best 10:"
                )
            page.get_by_role("button", name="Show more").click()
            expect(page.locator("#search-results article")).to_have_count(20)
            titles = _result_titles(page)
            fragments = [u for u in requested if f"/{SEARCH_INDEX_DIR}/" in u and "/fragment/" in u]
            if full:
                assert set(titles) == by_name, set(titles) ^ by_name
                expect(page.locator("#search-status")).to_have_text(f"20 papers match “{query}”:")
                assert len(fragments) == 10, fragments
            else:  # its words
                assert set(titles) <= holding, set(titles) - holding
            assert page.errors == []  # type: ignore[attr-defined]
            page.close()


def test_a_count_of_no_upvotes_is_shown_as_the_paper_page_shows_it(
    browser: Browser, base_url: str, records: dict[str, SearchRecord]
) -> None:
    """0 upvotes is a fact, shown on the result as on the paper's page; an unknown count is
    shown on neither."""
    none = next(t for t, r in records.items() if r.upvotes == "0" and r.text.startswith("2606."))
    arxiv_id = records[none].text.split(".")[0] + "." + records[none].text.split(".")[1]
    page = _page(browser, WIDTHS["desktop"])
    page.goto(base_url + f"search/?q={arxiv_id}")
    assert _result_titles(page) == [none]
    expect(page.locator("#search-results .meta").first).to_contain_text("0 upvotes")
    page.locator("#search-results h2 a").click()
    expect(page.locator("main")).to_contain_text("0 upvotes")
    unknown = next(t for t, r in records.items() if r.upvotes == "" and "Sim2Real" in t)
    page.goto(base_url + "search/?q=Stable-Sim2Real")
    result = page.locator("#search-results article", has_text=unknown)
    expect(result).to_have_count(1)
    expect(result).not_to_contain_text("upvote")
    expect(result).not_to_contain_text("▲")


def test_each_authors_name_is_one_word_folded_as_the_search_page_folds_a_query() -> None:
    names = ["Maria Suzuki", "R. Michael Alvarez", "Raphaël Jean-Pierre", "", "Prabhat", "O'Brien"]
    names += ["Yılmaz IŞIK", "Jürgen Groß"]
    assert name_words(names).split() == [
        NAME_JOINT.join(["maria", "suzuki"]),
        NAME_JOINT.join(["r", "michael", "alvarez"]),
        NAME_JOINT.join(["raphael", "jean", "pierre"]),
        NAME_JOINT.join(["o", "brien"]),
        NAME_JOINT.join(["yilmaz", "isik"]),
        NAME_JOINT.join(["jurgen", "gross"]),
    ]  # a name of one word is a word already
    assert name_words([]) == ""


def test_a_huge_title_of_joined_words_makes_a_record_of_its_own_size() -> None:
    """Found by a review: each rest after a join of a camel-case word was a part, so one title
    of 80 KB made gigabytes of record, and the build ran out of memory."""
    from datetime import date

    from sitegen.config import parse_config
    from sitegen.model import ContentSnapshot, Day, DayEntry, Paper

    config = parse_config((REPO / "site.toml").read_text(), source="site.toml")
    title = "Mask" + "aB" * 40_000 + " MaskMoE"
    paper = Paper(id="2501.00001", title=title, abstract="An abstract.")
    day = Day(day=date(2026, 1, 8), entries=(DayEntry(paper_id=paper.id, title=title),))
    site = assemble_site(ContentSnapshot.of({paper.id: paper}, {day.day: day}), config)
    record = search_record(site, Routes(config.base_url), paper.id)
    assert len(record.text) < 2 * len(title)
    assert " MoE" in record.text, "a short rest is still a part"


def test_a_pagefind_package_whose_binary_is_gone_is_said_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found by a review: Pagefind's binary package installed but its binary deleted (a broken
    install, a cleaned cache) raised FileNotFoundError from its lookup: a traceback, not the
    error that says what to install."""
    import sys
    import types

    from sitegen.errors import BuildError
    from sitegen.search import write_search_shards

    def gone() -> Path:
        raise FileNotFoundError("Could not find any of [.../pagefind_extended]")

    broken = types.ModuleType("pagefind_bin_extended")
    broken.get_executable = gone  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pagefind_bin_extended", broken)
    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no pagefind on the PATH either
    with pytest.raises(BuildError, match="the Pagefind binary is missing"):
        write_search_shards((), tmp_path / "index", jobs=1)


# Papers as Daily Papers writes them: titles pasted from PDFs (ligatures, decomposed accents),
# full-width letters, and authors of every script. Their arXiv ids are 2611.00000 onwards.
UNICODE_PAPERS = [
    ("Eﬃcient ﬁne-tuning of Zyxformers", "We study ﬁnetuning.", ["Yılmaz Işık", "Łukasz Wróbel"]),
    ("ＧＲＰＯ ｆｏｒ Ｑｕｉｘｏｔｉｃ Reasoning", "Nothing.", ["Jürgen Groß", "Søren Ægirsson"]),
    ("Cafe\u0301 Baselines", "Nothing.", ["张伟", "山田 太郎"]),
    ("Pretraining Quokkas", "Nothing.", []),
    # Greek letters, as ML papers name models and methods ("π0", "μP", "λ-returns").
    ("π0: A Vision-Language-Action Flow Model", "Nothing.", []),
    ("ΩMEGA: Transfer with μP", "We learn λ-returns.", []),
]


@pytest.fixture(scope="module")
def unicode_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`UNICODE_PAPERS` on one day of a site, built, indexed and served: its URL."""
    root = tmp_path_factory.mktemp("unicode") / "site"
    papers = [(title, abstract) for title, abstract, _ in UNICODE_PAPERS]
    with _served_day(root, papers, authors=[names for *_, names in UNICODE_PAPERS]) as url:
        yield url


def _found_alone(browser: Browser, url: str, query: str, title: str) -> None:
    page = _page(browser, WIDTHS["mobile"])
    page.goto(url + "search/?q=" + quote(query))
    assert _result_titles(page) == [title]
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("query", "paper"),
    [
        ("efficient", 0),  # the title's "ﬃ" is one letter, "ffi"
        ("Efficient fine-tuning", 0),
        ("finetuning", 0),
        ("Eﬃcient", 0),  # pasted as the title has it
        ("GRPO", 1),  # full-width in the title
        ("quixotic", 1),
        ("ＧＲＰＯ", 1),  # typed full-width (a Japanese keyboard)
        ("２６１１．０００01", 1),  # an arXiv id typed so
    ],
)
def test_ligatures_and_full_width_letters_are_the_letters_they_stand_for(
    browser: Browser, unicode_site: str, query: str, paper: int
) -> None:
    """A PDF's "ﬁ" is "fi" and a full-width "Ｇ" is "G" (Unicode's compatibility forms, NFKD):
    "efficient" found no "Eﬃcient", nor "GRPO" a title in full-width letters."""
    _found_alone(browser, unicode_site, query, UNICODE_PAPERS[paper][0])


@pytest.mark.parametrize(
    ("query", "paper"),
    [
        ("Yilmaz", 0),  # "ı", the Turkish dotless i
        ("YILMAZ", 0),  # a Turkish capital I is i in lower case everywhere but Turkish
        ("Isik", 0),
        ("yilmaz isik", 0),  # the full name, one word in the index
        ("Lukasz Wrobel", 0),
        ("Gross", 1),  # "ß" is "ss"
        ("GROSS", 1),
        ("Jurgen Gross", 1),
        ("Soren", 1),  # "ø", "æ" as an English keyboard types them
        ("Aegirsson", 1),
        ("Yılmaz Işık", 0),  # as the paper writes them
        ("Groß", 1),
        ("Café", 2),  # the title's accent decomposed, the query's not
    ],
)
def test_letters_without_an_accent_to_drop_are_found_as_an_english_keyboard_types_them(
    browser: Browser, unicode_site: str, query: str, paper: int
) -> None:
    """ "ı", "ł", "ø", "ß" and "æ" are letters of their own, not a letter and an accent: Unicode
    does not decompose them, so "Yilmaz", "YILMAZ", "Lukasz" and "Gross" found nothing."""
    _found_alone(browser, unicode_site, query, UNICODE_PAPERS[paper][0])


@pytest.mark.parametrize(
    ("query", "paper"),
    [
        ("pi0", 4),  # "π" as its name
        ("PI0", 4),
        ("π0", 4),  # as the paper writes it
        ("omega", 5),  # a capital "Ω" of the title: "ΩMEGA" is "omegamega", which it starts
        ("ΩMEGA", 5),
        ("ωmega", 5),
        ("muP", 5),
        ("μP", 5),
        ("µP", 5),  # the micro sign, which a keyboard's AltGr+m types
        ("lambda", 5),  # of the abstract
        ("lambda-returns", 5),
        ("λ-returns", 5),
    ],
)
def test_a_greek_letter_is_found_by_its_english_name(
    browser: Browser, unicode_site: str, query: str, paper: int
) -> None:
    """ "pi0" found no "π0" and "omega" no "ΩMEGA" (it offered "Did you mean ωmega?"): a
    reader types a Greek letter by its name, as ML papers are named in speech."""
    _found_alone(browser, unicode_site, query, UNICODE_PAPERS[paper][0])


def test_a_greek_letter_is_one_indexed_word_more_as_its_name() -> None:
    """A word holding a Greek letter is indexed once more, as its name ("π0" also as "pi0");
    the titles' words the search page respells a query with hold it so too, so that "omega",
    which finds "Ωmega", is offered no "Did you mean ωmega?"."""
    assert folded_words("π0 and μP: Learning λ-Returns of Σ") == ["pi0", "mup", "lambda", "sigma"]
    assert folded_words("Learning λ-Returns of λ") == ["lambda"]
    records = [_record(title="Ωmega: λ-Returns", text="abstract words")]
    assert title_words(records) == b"lambda 1\nomegamega 1\nreturns 1\n"


# Pagefind in the search page's stead: each search's words kept, none found.
ASKED_ONLY = """
globalThis.asked = [];
export async function options() {}
export async function init() {}
export async function mergeIndex() {}
export async function preload() {}
export async function search(term) {
  globalThis.asked.push(term);
  return { results: [] };
}
"""


def test_every_letter_of_its_own_is_indexed_as_an_english_keyboard_types_it() -> None:
    """Each Greek letter by its English name, and each letter Unicode does not decompose as
    the letters a reader types for it, written out here: the search page's test takes them
    from sitegen.letters' table, which a wrong entry there passes ("ø" as "q")."""
    greek = "α β γ δ ε ζ η θ ι κ λ μ ν ξ ο π ρ σ ς τ υ φ χ ψ ω"  # "ς", a final "σ": "sigma" too
    assert folded_words(greek) == [
        "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
        "lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "sigma", "tau", "upsilon", "phi",
        "chi", "psi", "omega",
    ]  # fmt: skip
    names = "Yılmaz Groß Łukasz Søren Ægir Œuvre Þór Guðrún Điện Ħal"
    assert folded_words(names) == [
        "yilmaz", "gross", "lukasz", "soren", "aegir", "oeuvre", "thor", "gudrun", "dien", "hal",
    ]  # fmt: skip


def test_the_search_page_folds_every_letter_as_the_index_does(
    browser: Browser, base_url: str, site_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search page's table of letters ("ı" is "i", "π" is "pi") was a copy of the
    build's, typed by hand: a letter added to one only would make the papers holding it
    unfindable, silently. Each letter the index folds, capital or not, the page folds alike,
    a letter new to the build's table too ("ŋ", which Unicode does not decompose)."""
    from tests.test_outputs import _render  # a module of the suite's, not imported by all

    for letter, typed in OWN_LETTERS.items():
        assert folded_words(f"x{letter}x") == [f"x{typed}x"], letter
    monkeypatch.setitem(OWN_LETTERS, "ŋ", "ng")
    site = assemble_site(load_content(site_root), load_config(site_root))
    search_page = _render(site, ["search/index.html"])["search/index.html"]
    page = _page(browser, WIDTHS["mobile"])
    page.route(
        re.compile(r"/search/\?q="),
        lambda route: route.fulfill(body=search_page, content_type="text/html"),
    )
    page.route(
        re.compile(rf"/{SEARCH_INDEX_DIR}/pagefind\.js"),
        lambda route: route.fulfill(body=ASKED_ONLY, content_type="text/javascript"),
    )
    letters = [*OWN_LETTERS, *(letter.upper() for letter in OWN_LETTERS)]
    page.goto(base_url + "search/?q=" + quote(" ".join(f"x{letter}x" for letter in letters)))
    expect(page.locator("#search-status")).to_contain_text("No paper matches")
    # The query's words, as searched first (Pagefind's "" merges the shards' indexes).
    asked = next(term for term in page.evaluate("globalThis.asked") if term)
    assert asked.split() == list(dict.fromkeys(f"x{typed}x" for typed in OWN_LETTERS.values()))
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("query", ["张", "山"])
def test_one_chinese_or_japanese_character_is_a_word_not_an_initial(
    browser: Browser, unicode_site: str, query: str
) -> None:
    """A surname of one character ("张" of "张伟", "山" of "山田") found nothing: a query word
    of one letter is an initial, held only by a word of that letter alone; in Han or kana a
    character is a syllable or a word."""
    _found_alone(browser, unicode_site, query, UNICODE_PAPERS[2][0])


@pytest.mark.parametrize(
    "hyphen", ["\u2010", "\u2011", "\u2013"], ids=["hyphen", "non-breaking", "en-dash"]
)
def test_a_hyphen_pasted_from_a_pdf_is_a_hyphen(
    browser: Browser, unicode_site: str, hyphen: str
) -> None:
    """ "pre‐training" (U+2010, as PDFs and arXiv's typesetting write it) was two words apart,
    so it missed the papers writing "pretraining", which "pre-training" finds."""
    _found_alone(browser, unicode_site, f"pre{hyphen}training", UNICODE_PAPERS[3][0])


# Each text a screen reader is given to say: a live region's, as it changes.
_LIVE_TEXTS = """() => { window.said = [];
  const live = [...document.querySelectorAll('[role=status], [role=alert], [aria-live]')]
    .filter((e) => e.getAttribute('aria-live') !== 'off');
  new MutationObserver(() => live.forEach((e) => e.textContent.trim() && said.push(e.textContent)))
    .observe(document.body, { childList: true, subtree: true, characterData: true }); }"""


def test_a_screen_reader_hears_the_count_once_the_typing_stops_not_at_each_letter(
    browser: Browser, base_url: str
) -> None:
    """Each letter's results changed the live status: a screen reader was given "About 430
    papers match “re”; the best 10:", then "About 31 papers match “rei”...", twelve times as
    "reinforcement" was typed, each cutting off the one before and the letters' echo."""
    page = _page(browser, WIDTHS["desktop"])
    page.clock.install()
    page.goto(base_url + "search/")
    page.evaluate(_LIVE_TEXTS)
    # A letter every 180 ms of the page's own time, which moves only as the test says: typed
    # at 180 ms of real time, a loaded machine (a suite beside it) let a second pass between
    # two letters, and their count was said, as to a reader who paused.
    page.clock.pause_at(page.evaluate("Date.now()") + 1000)
    for letter in "reinforcement":
        page.locator("#search-query").press(letter)
        page.clock.run_for(180)
    status = page.locator("#search-status")
    expect(status).to_contain_text("papers match “reinforcement”")
    assert page.evaluate("window.said") == [], "nothing said while the reader types"
    page.clock.run_for(1100)  # the typing settled
    page.wait_for_function("window.said.some((text) => text.includes('“reinforcement”'))")
    page.clock.run_for(300)
    assert page.evaluate("window.said") == [status.inner_text()]
    page.clock.resume()
    # "Show more" is said too, when the page's own query is shown.
    page.get_by_role("button", name="Show more").click()
    expect(status).to_contain_text("the best 20")
    page.wait_for_function("window.said.some((text) => text.includes('the best 20'))")
    assert page.errors == []  # type: ignore[attr-defined]


def test_the_search_benchs_made_up_names_and_earlier_years_are_records_the_index_reads() -> None:
    """`bench/search.py --names` (and `--doubled`) failed with a TypeError once SearchRecord
    had an `arxiv_id`: its helpers spelt a record's fields one by one. A bench that cannot
    run measures nothing; its records are checked here as the index reads them."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("search_bench", REPO / "bench" / "search.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    site = assemble_site(load_content(REPO), load_config(REPO))
    routes = Routes(site.config.base_url)
    paper_id = next(i for i in site.ids if site.papers[i].arxiv_id is None)
    day = first_day(site, paper_id)
    named = bench.with_names([(day, search_record(site, routes, paper_id).encoded())])
    doubled = bench.doubled_records(named)
    ((_, record),) = named
    made = SearchRecord.decoded(record)
    assert re.fullmatch(r"\d{4}\.\d{5}", made.arxiv_id), made.arxiv_id
    assert made.authors and made.text.startswith(f"{made.arxiv_id}. {made.authors}. ")
    earlier = SearchRecord.decoded(doubled[0][1])
    assert earlier.url.endswith("-earlier/") and earlier.arxiv_id.startswith("9")
    assert int(earlier.day[:4]) == int(made.day[:4]) - 3
    assert doubled[1] == named[0]
