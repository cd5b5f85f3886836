"""The built site in a real browser (Debian's Chromium driven by Playwright), served over HTTP
under a subpath, as GitHub Pages serves a project site."""

from __future__ import annotations

import dataclasses
import json
import os
import re
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from sitegen.urls import ListingRoutes, Route, Routes
from tests.conftest import CHROMIUM, REPO, copy_site, open_page, serving

if CHROMIUM is None and not os.environ.get("CI"):
    pytest.skip(
        "needs Debian's chromium (apt-get install chromium); CI installs it",
        allow_module_level=True,
    )

from playwright.sync_api import Browser, Page, expect  # noqa: E402
from playwright.sync_api import Route as PlaywrightRoute  # noqa: E402

pytestmark = pytest.mark.browser


@pytest.fixture
def base_url(served_bundled: tuple[Path, str]) -> str:
    """The bundled site's URL (conftest's `served_bundled`, shared with tests/test_search.py)."""
    return served_bundled[1]


def _page(
    browser: Browser, *, width: int = 1280, dark: bool = False, javascript: bool = True
) -> Page:
    page = open_page(browser, width=width, height=844, dark=dark, javascript=javascript)
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.errors = errors  # type: ignore[attr-defined]
    return page


def test_a_reader_goes_from_home_to_a_day_to_a_paper(browser: Browser, base_url: str) -> None:
    page = _page(browser)
    page.goto(base_url)
    assert page.locator("h1").inner_text() == "Papers of Nov 22, 2026"
    assert page.locator("ol.cards > li").count() == 20  # the home page: the day's first 20
    page.get_by_role("link", name="All 278 papers of Nov 22, 2026").click()
    # The URL changes when the page starts coming in, not when its 278 cards are in.
    page.wait_for_url(base_url + "days/2026-11-22/", wait_until="load")
    assert page.locator("ol.cards > li").count() == 278
    page.get_by_role("link", name="Days", exact=True).click()
    assert page.url == base_url + "days/"
    page.get_by_role("link", name="Nov 3, 2025").click()
    assert page.locator("ol.cards > li").count() == 63
    first = page.locator("ol.cards > li h2 a").first
    title = first.inner_text()
    first.click()
    assert page.locator("h1").inner_text() == title
    assert "Abstract" in page.locator("main").inner_text()
    page.get_by_role("link", name="Nov 3, 2025 (#1)").first.click()
    assert page.url.startswith(base_url + "days/2025-11-03/#paper-")  # at the paper's card
    page.get_by_role("link", name="Topics", exact=True).click()
    page.get_by_role("link", name="Reinforcement Learning").first.click()
    assert page.url == base_url + "topics/reinforcement-learning/"
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "path",
    [
        "",
        "days/",
        "days/2025-11-03/",
        "topics/",
        "topics/llm/",
        "feeds/",
        "top/",
        "top/week/2026-W47/",
        "feeds/diffusion-models/",
    ],
)
@pytest.mark.parametrize("text", ["100%", "200%"])
def test_no_horizontal_scroll_on_a_phone(
    browser: Browser, base_url: str, path: str, text: str
) -> None:
    page = _page(browser, width=390)
    page.goto(base_url + path)
    # Text made twice as large, as a reader who needs it sets it: the feeds' formats were off
    # the screen, in a table scrolled sideways (a reader's trial).
    page.add_style_tag(content=f"html {{ font-size: {text} }}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    scrolled_sideways = """[...document.querySelectorAll("main *")]
        .filter((e) => getComputedStyle(e).overflowX === "auto" && e.scrollWidth > e.clientWidth)
        .map((e) => e.className)"""
    assert page.evaluate(scrolled_sideways) == []
    assert page.locator('meta[name="viewport"]').count() == 1


def test_long_paper_pages_fit_a_phone(browser: Browser, base_url: str) -> None:
    page = _page(browser, width=390)
    page.goto(base_url + "days/2025-11-03/")
    page.locator("ol.cards > li h2 a").first.click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_long_unbroken_name_wraps_on_a_phone(
    browser: Browser, site: Path, tmp_path: Path
) -> None:
    """A card's facts and a paper page's are a flex line, whose items were never narrower than
    their longest word: an organisation's or author's name of 65 letters without a space put
    the home page, the day's, the week's and the paper's own wider than a phone (review h7: a
    listing's values through check_site's browser check)."""
    from tests.conftest import sitegen_here

    long = "International" * 5
    listing = tmp_path / "2026-12-03.json"
    paper = {"id": "2612.00001", "title": "A paper", "summary": "An abstract.", "upvotes": 1}
    paper |= {"authors": [{"name": long}], "submittedOnDailyAt": "2026-12-03T00:00:00.000Z"}
    listing.write_text(json.dumps([{"paper": paper, "organization": {"name": long}}]))
    assert sitegen_here("--root", str(site), "ingest", str(listing)).returncode == 0
    assert sitegen_here("--root", str(site), "build").returncode == 0
    with serving(site / "public") as server:
        page = _page(browser, width=390)
        for path in ("", "days/2026-12-03/", "papers/2612.00001/"):
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/{path}")
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, path


def test_dark_mode_follows_the_system(browser: Browser, base_url: str) -> None:
    backgrounds = []
    for dark in (False, True):
        page = _page(browser, dark=dark)
        page.goto(base_url)
        backgrounds.append(page.evaluate("getComputedStyle(document.body).backgroundColor"))
    light, dark_bg = backgrounds
    assert light != dark_bg
    assert sum(int(c) for c in dark_bg[4:-1].split(",")[:3]) < 150  # a dark background


def _luminance(css_rgb: str) -> float:
    channels = [int(c) / 255 for c in re.findall(r"\d+", css_rgb)[:3]]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(one: str, other: str) -> float:
    high, low = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_search_box_is_seen_and_does_not_zoom_a_phone(
    browser: Browser, base_url: str, dark: bool
) -> None:
    """Found by an accessibility review: the box's edge was 1.26:1 against the page (WCAG
    1.4.11 asks 3:1), its placeholder, its only visible label, 3.7:1 in dark (1.4.3: 4.5:1),
    and its 14.4 px text made iOS zoom in when tapped (under 16 px)."""
    page = _page(browser, width=390, dark=dark)
    page.goto(base_url + "days/")
    box = page.get_by_role("search").first.get_by_role("searchbox")
    style = box.evaluate(
        "(e) => { const s = getComputedStyle(e), p = getComputedStyle(e, '::placeholder');"
        " return [s.borderTopColor, s.fontSize, p.color, getComputedStyle(document.body)"
        ".backgroundColor, s.backgroundColor]; }"
    )
    border, size, placeholder, page_bg, box_bg = style
    assert _contrast(border, page_bg) >= 3, style
    assert _contrast(placeholder, box_bg) >= 4.5, style
    assert size == "16px", style


def test_pages_read_without_javascript(browser: Browser, base_url: str) -> None:
    page = _page(browser, javascript=False)
    page.goto(base_url + "topics/continual-learning/")
    assert page.locator("ul.cards > li").count() > 10
    assert page.locator("nav.pager a").count() >= 1
    # Before the cards too, as a day's page has it (found by an accessibility review).
    assert page.locator("nav.pager").count() == 2
    assert page.locator("nav.pager").first.evaluate(
        "(pager) => pager.compareDocumentPosition(document.querySelector('ul.cards')) & 4"
    )


def test_feeds_are_discoverable_from_the_head(browser: Browser, base_url: str) -> None:
    page = _page(browser)
    page.goto(base_url + "days/2025-10-31/")
    links = page.locator('head link[rel="alternate"]')
    found = [links.nth(i).evaluate("l => l.href") for i in range(links.count())]
    # The site's first, where a past day's feed goes on, then the day's own.
    assert found == [
        base_url + "rss.xml",
        base_url + "atom.xml",
        base_url + "days/2025-10-31/rss.xml",
        base_url + "days/2025-10-31/atom.xml",
    ]
    for url in found[2:]:
        response = page.request.get(url)
        assert (
            response.ok
            and b"paper/hierarchical-modeling-for-medical-visual-question-answering-b4002504"
            in response.body()
        )


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_a_card_shows_day_upvotes_authors_organisation_and_links(
    browser: Browser, base_url: str, width: int
) -> None:
    page = _page(browser, width=width)
    page.goto(base_url + "topics/agents/")
    card = page.locator("li.card").filter(
        has=page.get_by_role("link", name="See What I See, Know What I Think", exact=False)
    )
    meta = card.locator(".meta").inner_text()
    for fact in ("Jun 12, 2026", "3 upvotes", "Siyi Chen, Xiaoyan Zhang, Meng Wu and 7 more"):
        assert fact in meta
    assert "University of Michigan" in meta
    anchors = card.locator(".more a")
    links = {
        anchors.nth(i).inner_text(): anchors.nth(i).get_attribute("href")
        for i in range(anchors.count())
    }
    assert links["HF"] == "https://huggingface.co/papers/2606.13594"
    assert links["arXiv"] == "https://arxiv.org/abs/2606.13594"
    assert links["PDF"] == "https://arxiv.org/pdf/2606.13594"
    assert links["Project"] == "https://chicychen.github.io/dense-hetero-latent-mas/"
    assert "Agents and Tool Use" not in links  # the page's own topic is not repeated
    for name in ("HF", "arXiv", "PDF", "Project"):
        box = card.get_by_role("link", name=name, exact=True).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    card.get_by_role("link", name="Jun 12, 2026").click()
    # At its card on that day, not the top of the day (a reader's trial).
    assert page.url == base_url + "days/2026-06-12/#paper-2606.13594"
    expect(page.locator('[id="paper-2606.13594"] h2')).to_be_in_viewport()
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_a_long_day_folds_its_tail_and_links_other_days_at_the_top(
    browser: Browser, base_url: str, width: int
) -> None:
    page = _page(browser, width=width)
    page.goto(base_url + "days/2026-11-22/")
    cards = page.locator("ol.cards > li")
    assert cards.count() == 278
    visible = [i for i in range(cards.count()) if cards.nth(i).is_visible()]
    assert visible == list(range(50))
    height = page.evaluate("document.documentElement.scrollHeight")
    page.get_by_text("Show the other 228 papers of this day").click()
    assert cards.nth(277).is_visible()
    assert page.evaluate("document.documentElement.scrollHeight") > height
    pagers = page.locator("nav.pager")
    assert pagers.count() == 2  # above the papers and below them
    top = pagers.first.bounding_box()
    first_card = cards.first.bounding_box()
    assert top is not None and first_card is not None and top["y"] < first_card["y"]
    assert top["y"] < 844  # on the first screen, phone or desktop
    pagers.first.get_by_role("link", name="← Jun 12, 2026").click()
    assert page.url == base_url + "days/2026-06-12/"
    assert page.locator("nav.pager").first.get_by_role("link", name="Nov 22, 2026 →").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.errors == []  # type: ignore[attr-defined]


def test_back_from_a_paper_of_the_fold_finds_the_fold_open_at_that_paper(
    browser: Browser, base_url: str
) -> None:
    """A reader's trial: Back from a paper read in a day's fold showed the fold closed, the
    page scrolled far above the paper (where the browser keeps no page in its cache)."""
    page = _page(browser, width=390)
    page.goto(base_url + "days/2026-11-22/")
    # Another script's state of another shape is not spread into its letters (a review).
    page.evaluate("history.replaceState('a state of another script', '')")
    page.get_by_text("Show the other 228 papers of this day").click()
    assert page.evaluate("history.state") == {"fold": True}
    card = page.locator("ol.cards > li").nth(120)
    card.locator("h2 a").click()
    page.wait_for_url(base_url + "papers/**")
    page.go_back()
    page.wait_for_url(base_url + "days/2026-11-22/")
    assert page.evaluate("document.querySelector('details.fold').open")
    expect(card.locator("h2")).to_be_in_viewport()
    # Closed again, it stays closed for the next visit through Back.
    page.locator("details.fold > summary").click()
    card = page.locator("ol.cards > li").nth(10)
    card.locator("h2 a").click()
    page.wait_for_url(base_url + "papers/**")
    page.go_back()
    assert not page.evaluate("document.querySelector('details.fold').open")
    assert page.errors == []  # type: ignore[attr-defined]


def test_a_papers_day_link_opens_the_day_at_its_card_even_in_the_fold(
    browser: Browser, base_url: str
) -> None:
    page = _page(browser, width=390)
    paper = "transformers-learn-in-context-by-gradient-descent-310b6969"
    page.goto(base_url + f"papers/{paper}/")
    day_link = page.locator("article > p.meta a")
    assert day_link.inner_text().startswith("Nov 22, 2026 (#")
    rank = int(day_link.inner_text().split("#")[1].rstrip(")"))
    assert rank > 50, "a paper in the folded tail of its day"
    day_link.click()
    page.wait_for_url(base_url + f"days/2026-11-22/#paper-{paper}")
    expect(page.locator(f'[id="paper-{paper}"] h2')).to_be_in_viewport()
    assert page.errors == []  # type: ignore[attr-defined]


def test_a_papers_page_names_its_authors_once_and_its_topics_on_the_first_screen(
    browser: Browser, base_url: str
) -> None:
    """A reader's trial on a phone: the page listed every author twice (the byline and an
    "Authors" section) and the topics last, under a long abstract."""
    page = _page(browser, width=390)
    page.goto(base_url + "papers/2606.06113/")
    authors = page.locator("article > p.byline a").all_inner_texts()
    assert len(authors) == 10
    article = page.locator("article").inner_text()
    assert [a for a in authors if article.count(a) != 1] == []
    topics = page.get_by_role("list", name="Topics").get_by_role("link")
    assert topics.count() >= 1
    expect(topics.first).to_be_in_viewport()
    for i in range(topics.count()):
        assert topics.nth(i).bounding_box()["height"] >= 24  # type: ignore[index]  # a tap target
    abstract = page.get_by_role("heading", name="Abstract", exact=True)
    assert topics.last.bounding_box()["y"] < abstract.bounding_box()["y"]  # type: ignore[index]
    assert page.errors == []  # type: ignore[attr-defined]


def test_without_the_stylesheet_a_cards_facts_do_not_run_together(
    browser: Browser, base_url: str
) -> None:
    # Reader views and text browsers drop the style that spaces them.
    page = _page(browser, width=390)
    page.route("**/*.css", lambda route: route.abort())
    page.goto(base_url + "papers/2606.13681/")
    facts = page.locator("article > p.meta").inner_text()
    assert "2026 (#" in facts and re.search(r"\) \d+ upvotes? ", facts), facts
    page.goto(base_url + "top/week/2026-W24/")
    card = page.locator("li.card").first
    assert re.search(r"#1 \w{3} \d+, \d{4} \d+ upvotes? ", card.locator("p.meta").inner_text())
    assert re.search(r"HF arXiv PDF", card.locator("p.more").inner_text())


def _alternates(page: Page) -> dict[str | None, str]:
    """The page's own feeds, in its folder, by type."""
    links = page.locator('head link[rel="alternate"]')
    found: dict[str | None, str] = {}
    for i in range(links.count()):
        href = links.nth(i).evaluate("l => l.href")
        if href.rpartition("/")[0] + "/" == page.url:
            found[links.nth(i).get_attribute("type")] = href
    return found


def test_a_reader_finds_the_top_papers_of_a_week_and_its_feeds(
    browser: Browser, base_url: str
) -> None:
    page = _page(browser)
    page.goto(base_url)
    page.get_by_role("link", name="Top", exact=True).click()
    assert page.url == base_url + "top/"
    page.get_by_role("link", name="Week 47 of 2026 (Nov 16 to 22)").click()
    assert page.url == base_url + "top/week/2026-W47/"
    # Its papers have no upvote count (text captures): no ranking claimed.
    assert page.locator("h1").inner_text() == "Papers of Week 47 of 2026 (Nov 16 to 22), not ranked"
    assert page.locator("ol.cards > li").count() == 20
    assert "still open" in page.locator(".page-head").inner_text().casefold()
    found = _alternates(page)
    assert set(found) == {"application/rss+xml", "application/atom+xml", "application/feed+json"}
    first = page.locator("ol.cards > li h2 a").first.inner_text()
    for url in found.values():
        response = page.request.get(url)
        assert response.ok and first.encode() in response.body(), url
    page.get_by_role("link", name="← Week 24 of 2026 (Jun 8 to 14)").click()
    assert "still open" not in page.locator(".page-head").inner_text().casefold()
    assert page.errors == []  # type: ignore[attr-defined]


def test_a_reader_on_a_phone_finds_last_months_top_papers_without_scrolling_past_every_week(
    browser: Browser, base_url: str
) -> None:
    """Review h6: /top/ lists every week, then every month; on a phone the months of a site of
    200 days began three screens down, past 29 weeks (a year of days: 52), and nothing on the
    first screen said they were there."""
    page = _page(browser, width=360)
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(base_url + "top/")  # the bundled site's months start at the first screen's edge
    months = page.get_by_role("heading", name="Months")
    link = page.locator("main a[href='#months']")
    expect(link).to_be_in_viewport()
    link.click()
    expect(months).to_be_in_viewport()
    page.get_by_role("link", name="November 2026").click()
    assert page.url == base_url + "top/month/2026-11/"


@pytest.mark.parametrize("path", ["top/", "days/"])
def test_a_lists_counts_are_not_split_over_two_lines_on_a_phone(
    browser: Browser, base_url: str, path: str
) -> None:
    """Review h6: on /top/ at 360 px "300" ended a line and "papers · still open" began the
    next, as "103 / papers" did on /topics/ (a reader's trial, fixed there alone)."""
    page = _page(browser, width=360)
    page.goto(base_url + path)
    for count in page.locator("main .count").all():
        assert len(count.evaluate("e => [...e.getClientRects()]")) == 1, count.inner_text()


def test_a_lists_counts_fit_a_320_px_phone_at_200_percent_text(
    browser: Browser, base_url: str
) -> None:
    """A count kept on one line whole ("278 papers · still open") ran 16 px past a 320 px
    phone at 200% text on /top/, the page scrolled sideways: a count keeps its number with
    "papers", and "still open" may go to the next line."""
    page = _page(browser, width=320)
    page.goto(base_url + "top/")
    page.add_style_tag(content="html { font-size: 200% }")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    for count in page.locator("main .count").all():
        assert len(count.evaluate("e => [...e.getClientRects()]")) == 1, count.inner_text()


@pytest.mark.parametrize("width", [320, 667], ids=["phone", "phone-turned"])
def test_the_feeds_table_fits_a_phone_at_200_percent_text(
    browser: Browser, base_url: str, width: int
) -> None:
    """A reader's trial: at 200% text the table of /feeds/ was wider than its box, which
    scrolls sideways, and every feed's note was cut at the right ("linking the day's pag"):
    58 px on a 320 px phone, 139 px on a phone turned sideways (667 px, where the formats
    stay on one line). "Recommendation", a word too long for the line, held the table wide."""
    page = _page(browser, width=width)
    page.goto(base_url + "feeds/")
    page.add_style_tag(content="html { font-size: 200% }")
    box = page.locator(".table-wrap")
    assert box.evaluate("e => e.scrollWidth - e.clientWidth") <= 0
    link = page.get_by_role("link", name="Retrieval, Search and Recommendation", exact=True)
    expect(link).to_be_visible()


def test_a_reader_subscribes_to_a_custom_feed(browser: Browser, base_url: str) -> None:
    page = _page(browser)
    page.goto(base_url + "feeds/")
    page.get_by_role("link", name="Diffusion, without surveys", exact=True).click()
    assert page.url == base_url + "feeds/diffusion-models/"
    assert page.locator("h1").inner_text() == "Diffusion, without surveys"
    assert (
        "mentioning “diffusion model” or “flow matching”" in page.locator(".page-head").inner_text()
    )
    titles = page.locator("ul.cards > li h2 a").all_inner_texts()
    assert titles and not any("survey" in t.casefold() for t in titles)
    found = _alternates(page)
    assert set(found) == {"application/rss+xml", "application/atom+xml", "application/feed+json"}
    for url in found.values():
        response = page.request.get(url)
        assert response.ok and titles[0].encode() in response.body(), url
    assert page.errors == []  # type: ignore[attr-defined]


def _links_by_name(page: Page, within: str = "main") -> dict[str, set[str]]:
    """The links of `within` as a screen reader lists them: accessible name, addresses."""
    found: dict[str, set[str]] = {}
    snapshot = page.locator(within).aria_snapshot()
    for name, url in re.findall(r'link "([^"]*)"\'?:\n\s*- /url: (\S+)', snapshot):
        found.setdefault(name, set()).add(url)
    return found


def test_the_feeds_pages_links_each_name_their_feed(browser: Browser, base_url: str) -> None:
    """Found by an accessibility review: a screen reader's list of the page's links read
    "RSS", "Atom", "RSS", "Atom"... 32 times, each a different feed."""
    page = _page(browser)
    page.goto(base_url + "feeds/")
    links = _links_by_name(page)
    assert {name: urls for name, urls in links.items() if len(urls) > 1} == {}
    assert links["RSS: Large Language Models"] == {"../topics/llm/rss.xml"}
    assert links["Atom: All papers"] == {"../atom.xml"}
    assert links["JSON: Diffusion, without surveys"] == {"diffusion-models/feed.json"}
    # What is seen is unchanged, and starts the name (WCAG 2.5.3: a voice says "RSS").
    row = page.get_by_role("row").filter(has_text="Large Language Models")
    assert row.get_by_role("cell").inner_text().split() == ["RSS", "Atom"]
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("path", "named"),
    [
        (
            "",
            {
                "RSS: every new paper": "rss.xml",
                "Atom: Papers of Nov 22, 2026": "days/2026-11-22/atom.xml",
            },
        ),
        (
            "days/2025-11-03/",
            {"Atom: every new paper": "../../atom.xml", "RSS: Papers of Nov 3, 2025": "rss.xml"},
        ),
        (
            "top/week/2026-W47/",
            {
                "RSS: top papers of each week": "../../weekly/rss.xml",
                "JSON: top papers of Week 47 of 2026 (Nov 16 to 22)": "feed.json",
            },
        ),
    ],
    ids=["home", "day", "week"],
)
def test_a_pages_two_sets_of_feed_links_say_which_feed_each_is(
    browser: Browser, base_url: str, path: str, named: dict[str, str]
) -> None:
    """Found by an accessibility review: a screen reader's list of links read "RSS", "Atom",
    "RSS", "Atom", the site's feeds then the page's own, with nothing to tell them apart."""
    page = _page(browser)
    page.goto(base_url + path)
    links = _links_by_name(page, ".page-head")
    assert {name: urls for name, urls in links.items() if len(urls) > 1} == {}
    assert {name: links.get(name) for name in named} == {n: {u} for n, u in named.items()}
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("width", [1280, 320], ids=["desktop", "phone"])
def test_the_focus_ring_of_a_feeds_link_is_whole(
    browser: Browser, base_url: str, width: int
) -> None:
    """Found by an accessibility review: the table's box scrolled sideways (for a narrow
    screen) cut the left of the focus ring of every feed's name and, on a phone, its RSS."""
    page = _page(browser, width=width)
    page.goto(base_url + "feeds/")
    page.get_by_role("link", name="OPML file").focus()
    outside = """(a) => { const s = getComputedStyle(a), r = a.getBoundingClientRect();
        const ring = parseFloat(s.outlineWidth) + parseFloat(s.outlineOffset);
        const box = a.closest(".table-wrap").getBoundingClientRect();
        return [box.left - (r.left - ring), r.right + ring - box.right].map(Math.round); }"""
    for name in ("All papers", "RSS: All papers"):
        page.keyboard.press("Tab")
        link = page.get_by_role("link", name=name, exact=True)
        expect(link).to_be_focused()
        assert max(link.evaluate(outside)) <= 0, name


@pytest.mark.parametrize(
    ("path", "chips"),
    [
        ("papers/onerec-unifying-retrieve-and-rank-with-generative-741d7587/", "ul.tags a"),
        ("topics/llm/", "p.more a"),
        ("search/?q=diffusion", "p.more a"),
    ],
    ids=["paper", "card", "search"],
)
def test_a_chip_keeps_its_edge_in_forced_colours(
    browser: Browser, base_url: str, path: str, chips: str
) -> None:
    """Forced colours (Windows' high contrast) drop backgrounds, a topic chip's only edge: a
    paper's topics read as one run of links, "Image and Media Generation Retrieval, Search and
    Recommendation Reinforcement Learning", where one name holds a comma."""
    page = _page(browser)
    page.emulate_media(forced_colors="active")
    page.goto(base_url + path)
    page.locator(chips).first.wait_for()
    edges = page.locator(chips).evaluate_all(
        "(chips) => chips.map((a) => { const s = getComputedStyle(a); return [a.textContent,"
        " ...['Top', 'Right', 'Bottom', 'Left'].map((side) => s[`border${side}Style`] !== 'none'"
        " && parseFloat(s[`border${side}Width`]) > 0)]; })"
    )
    assert [edge for edge in edges if not all(edge[1:])] == []
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", ["", "papers/2606.13174/"])
def test_a_page_printed_from_a_dark_system_prints_the_light_colours(
    browser: Browser, base_url: str, path: str
) -> None:
    """A print trial (h4): printed where the system is dark, a page kept the dark scheme's
    pale text (#ececef) and links, on paper, where no background is printed: a paper's
    abstract came out light grey on white. Printed, a page has the light scheme's colours."""
    colours = """() => [document.body, ...document.querySelectorAll("main a, main p")]
        .map((e) => getComputedStyle(e).color)"""
    printed = {}
    for dark in (False, True):
        page = _page(browser, dark=dark)
        page.emulate_media(media="print")
        page.goto(base_url + path)
        printed[dark] = page.evaluate(colours)
    assert printed[True] == printed[False]
    assert printed[False][0] == "rgb(29, 29, 31)"  # the light scheme's text (--fg)


def test_charts_take_the_system_text_colour_in_forced_colours(
    browser: Browser, base_url: str
) -> None:
    """An accessibility trial: in forced colours a topic's chart and the topics' sparklines
    stayed the page's blue, not the colour the reader's theme gives text."""
    page = _page(browser)
    page.emulate_media(forced_colors="active")
    text_colour = "getComputedStyle(document.body).color"
    for address, chart in (("topics/llm/", ".trend svg"), ("topics/", "svg.sparkline")):
        page.goto(base_url + address)
        colours = page.locator(chart).evaluate_all(
            "(all) => all.map((c) => getComputedStyle(c).color)"
        )
        assert colours and set(colours) == {page.evaluate(text_colour)}, address


def test_a_charts_table_names_each_row_by_its_month(browser: Browser, base_url: str) -> None:
    """An accessibility trial: the chart's table gave its months as data cells, so a screen
    reader moving down the counts heard "12" with no month."""
    page = _page(browser)
    page.goto(base_url + "topics/llm/")
    page.get_by_text("As a table").click()
    rows = page.locator(".trend-table tbody tr")
    assert rows.count() > 1
    for row in rows.all():
        expect(row.get_by_role("rowheader")).to_have_count(1)
        expect(row.get_by_role("cell")).to_have_count(1)


def test_a_charts_table_fits_a_320_px_phone_at_200_percent_text(
    browser: Browser, base_url: str
) -> None:
    """A phone trial (h4): the chart's table opened on a topic's page at 320 px and 200% text
    ran 20 px past the screen, and the page scrolled sideways: its last column's right padding
    held it wide, a gap after the table, beside nothing."""
    page = _page(browser, width=320)
    page.goto(base_url + "topics/llm/")
    page.add_style_tag(content="html { font-size: 200% }")
    page.get_by_text("As a table").click()
    expect(page.locator(".trend-table")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_a_topics_count_and_trend_wrap_as_one_under_its_name_on_a_narrow_phone(
    browser: Browser, base_url: str
) -> None:
    """A reader's trial at 320 px: "103 / papers" was split over two lines, and the trend's top
    touched the topic's link above it."""
    page = _page(browser, width=320)
    page.goto(base_url + "topics/")
    for topic in page.locator("ul.topics > li h2").all():
        link, count = topic.locator("a").bounding_box(), topic.locator(".count").bounding_box()
        line = topic.locator("svg.sparkline").bounding_box()
        assert link and count and line
        assert len(topic.locator(".count").evaluate("e => [...e.getClientRects()]")) == 1
        if count["y"] >= link["y"] + link["height"]:  # wrapped: the trend with it, below
            assert line["y"] >= link["y"] + link["height"], topic.inner_text()


def test_a_rising_topics_count_trend_and_mark_fit_a_phone_at_200_percent_text(
    browser: Browser, site: Path, tmp_path: Path
) -> None:
    """Review h6: on a site of 200 days a topic marked "rising" had its count, trend and mark
    on one line that would not wrap: at 200% text /topics/ was 410 px wide on a 360 px phone,
    the mark off the screen. The bundled site has no rising topic."""
    from tests.conftest import sitegen_here

    listings = []
    # October 2025 (a trend of 15 months, as the bundled site's), then April to November 2026:
    # six closed months to compare, Robotics rising in the last three, and 100 papers of it
    # in the open month (the count of a topic of a larger site).
    for day in ["2025-10-10"] + [f"2026-{month:02d}-10" for month in range(4, 12)]:
        titles = ["A study of vision transformers"]
        if day[5:7] in ("08", "09", "10"):
            titles += [f"Robot grasping with legged humanoid robots {n}" for n in (1, 2)]
        if day.startswith("2026-11"):
            titles += [f"Humanoid robots {n}" for n in range(100)]
        entries = []
        for n, title in enumerate(titles):
            paper = {"id": f"{day[2:4]}{day[5:7]}.{n:05d}", "title": title, "upvotes": 1}
            paper |= {"summary": "An abstract.", "submittedOnDailyAt": f"{day}T00:00:00.000Z"}
            entries.append({"paper": paper})
        listing = tmp_path / f"{day}.json"
        listing.write_text(json.dumps(entries))
        listings.append(str(listing))
    assert sitegen_here("--root", str(site), "ingest", *listings).returncode == 0
    assert sitegen_here("--root", str(site), "build").returncode == 0
    with serving(site / "public") as server:
        page = _page(browser, width=360)
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/topics/")
        assert page.locator(".rising").count() >= 1
        page.add_style_tag(content="html { font-size: 200% }")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_topic_trends_are_drawn_without_script(browser: Browser, base_url: str) -> None:
    page = _page(browser, javascript=False)
    page.goto(base_url + "topics/")
    assert page.locator("svg.sparkline").count() == page.locator("ul.topics > li").count()
    expect(page.get_by_text("a gap is a month the site holds no day of")).to_be_visible()
    page.get_by_role("link", name="Large Language Models").click()
    chart = page.get_by_role("img", name="Large Language Models: papers per month")
    assert chart.is_visible() and chart.bounding_box()["height"] > 20  # type: ignore[index]
    # Its numbers in words, seen under it, the figure's name: a phone has no hover for a bar's.
    caption = page.locator(".trend figcaption")
    expect(caption).to_be_visible()
    expect(page.get_by_role("figure")).to_have_accessible_name(caption.inner_text())
    assert re.search(
        r"the busiest month was \w{3} \d{4} with \d+\. Months the site holds no day of are left"
        r" blank\.$",
        caption.inner_text(),
    )
    # A month from the site's first day's to its newest (no data before it: a reader's trial
    # took the months before for a topic's interest collapsing), and a bar, over its piece of
    # the baseline, for each month the site holds a day of: the others are gaps (the same).
    days = sorted(date.fromisoformat(p.stem) for p in (REPO / "content" / "days").glob("*.toml"))
    months = (days[-1].year - days[0].year) * 12 + days[-1].month - days[0].month + 1
    held = len({(day.year, day.month) for day in days})
    assert 1 < held < months < 24 and page.locator(".trend rect").count() == 2 * held
    page.get_by_text("As a table").click()
    assert page.locator(".trend-table tbody tr").count() == months
    assert page.get_by_role("cell", name="no day held").count() == months - held


@pytest.mark.parametrize(
    ("asked", "meant", "heading"),
    [
        ("papers/2606.07867v2/", "papers/2606.07867/", None),  # a versioned arXiv id
        ("abs/2606.07867", "papers/2606.07867/", None),  # arXiv's own address
        ("papers/2606.07867/figures/", "papers/2606.07867/", None),  # cut back
        ("top/week/2026-w47/", "top/week/2026-W47/", None),
        ("days/2025-11-3/", "days/2025-11-03/", "Papers of Nov 3, 2025"),
        ("days/2025-11/", "days/#2025-11", "November 2025"),
        # A day not held: the day held nearest it (a reader's trial: its month's days).
        ("days/2025-11-04/", "days/2025-11-03/", "Papers of Nov 3, 2025"),
        ("days/2026-06-13/", "days/2026-06-12/", "Papers of Jun 12, 2026"),
        ("days/2025-12-04/", "days/2025-11-03/", "Papers of Nov 3, 2025"),  # a month not held
        # A feed's address as other sites have it: the feeds' page (was: a search for "rss").
        ("rss", "feeds/", None),
        ("feed.xml", "feeds/", None),
        ("index.xml", "feeds/", None),
        ("feeds.xml", "feeds/", None),
        ("Topics/LLM/", "topics/llm/", "Large Language Models"),
        ("Days/2025-11-3/", "days/2025-11-03/", "Papers of Nov 3, 2025"),
        # A folder's own "No page here" page is no page meant: the page above it is.
        ("top/week/2030-W01/", "top/", "Top papers by week and month"),
        ("topics/llm/index.html.bak", "topics/llm/", "Large Language Models"),
        # A mistyped or guessed topic: the nearest (a reader's trial was offered /topics/).
        ("topics/llmm/", "topics/llm/", "Large Language Models"),
        ("topics/robotic/", "topics/robotics/", None),
        ("topics/vision/", "topics/computer-vision/", None),
        ("topics/vison/", "topics/computer-vision/", None),  # a word of its slug mistyped
        ("topics/cdoe/", "topics/code/", None),  # two letters swapped: one edit
        ("topics/rl/", "topics/", None),  # two edits from "llm": too many for two letters
        # A section named in the singular (a reader's trial was offered nothing).
        ("day/2026-06-12/", "days/2026-06-12/", "Papers of Jun 12, 2026"),
        ("topic/llm/", "topics/llm/", "Large Language Models"),
        ("topic/robotic/", "topics/robotics/", None),
        # A custom feed's, as a topic's (a forker's trial: "feeds/difusion/" was offered Feeds).
        ("feeds/difusion-models/", "feeds/diffusion-models/", "Diffusion, without surveys"),
        ("feeds/diffusion/", "feeds/diffusion-models/", "Diffusion, without surveys"),
        ("feed/upvoted-llm/", "feeds/upvoted-llm/", "Upvoted language model papers"),
        # A topic's slug under feeds/ is the topic, not a custom feed holding the word
        # (noticed in a reader's trial: "feeds/llm/" was offered "upvoted-llm").
        ("feeds/llm/", "topics/llm/", "Large Language Models"),
        ("feeds/robotics/", "topics/robotics/", None),
    ],
)
def test_the_404_page_offers_the_page_an_address_meant(
    browser: Browser, base_url: str, asked: str, meant: str, heading: str | None
) -> None:
    """Found by readers' trials: a versioned arXiv id, a lowercase week or a month of days met
    the 404 page with nothing nearer than the home page."""
    page = _page(browser)
    assert page.goto(base_url + asked).status == 404  # type: ignore[union-attr]
    nearest = page.locator("#nearest a")
    expect(nearest).to_have_attribute("href", base_url + meant)
    if heading:
        expect(nearest).to_have_text(heading)
    if meant == "feeds/":  # not also a search for "rss" (a review)
        assert page.locator("#search-for").is_hidden()
    nearest.click()
    page.wait_for_url(base_url + meant)


def test_the_menu_marks_the_section_of_every_page_of_it(browser: Browser, base_url: str) -> None:
    """A reader's trial: a day page's menu showed no "you are here", only the days' index did."""
    page = _page(browser)
    for address, section in (("days/2025-11-03/", "Days"), ("topics/llm/", "Topics")):
        page.goto(base_url + address)
        menu = page.get_by_role("banner").locator("nav a")
        colour = {
            name: menu.get_by_text(name, exact=True).evaluate("a => getComputedStyle(a).color")
            for name in ("Days", "Topics", "Top", "Feeds")
        }
        text = page.locator("h1").evaluate("h => getComputedStyle(h).color")
        assert colour.pop(section) == text, (address, section)
        assert text not in colour.values(), colour


# A fork's menu with a link of its own first, put in `nav` so that it is drawn as the sections
# are (one loop: the same markup, spacing and aria-current): the Jinja a fork writes.
_ABOUT_FIRST = (
    '{% set nav = [({"href": home ~ "about/", "text": "About"}, "")] + nav | list %}<header>\n'
)


def test_the_404_and_search_pages_link_days_and_topics_under_a_forks_own_menu(
    browser: Browser, bundled_built: Path, tmp_path: Path
) -> None:
    """Issue #13: the 404 page's "all days" and the search page's "by day or by topic" were
    the menu's first and second links (`nav[0]`, `nav[1]`): a fork's "About" first made them
    About and Days, in silence."""
    from sitegen.cli import main
    from tests.conftest import SUBPATH, rewrite

    rewrite(
        bundled_built / "templates" / "base.html", lambda t: t.replace("<header>\n", _ABOUT_FIRST)
    )
    served = tmp_path / "served"
    with serving(served) as server:
        site = f"http://127.0.0.1:{server.server_address[1]}/{SUBPATH}/"
        out = served / SUBPATH
        assert (
            main(["--root", str(bundled_built), "build", "--out", str(out), "--base-url", site])
            == 0
        )
        page = _page(browser)
        page.goto(site)
        expect(page.get_by_role("banner").locator("nav a").first).to_have_text("About")

        assert page.goto(site + "nowhere/").status == 404  # type: ignore[union-attr]
        all_days = page.get_by_role("main").get_by_role("link", name="all days")
        expect(all_days).to_have_attribute("href", f"/{SUBPATH}/days/")
        all_days.click()
        page.wait_for_url(site + "days/")

        # The search with its index unreachable: its way on is the days' and topics' pages.
        page.route(re.compile(r"/pagefind/"), lambda route: route.abort())
        page.goto(site + "search/?q=diffusion")
        status = page.locator("#search-status")
        expect(status).to_contain_text("could not load its index")
        hrefs = [a.get_attribute("href") for a in status.get_by_role("link").all()]
        assert hrefs == ["../days/", "../topics/"], hrefs
        status.get_by_role("link", name="topic").click()
        page.wait_for_url(site + "topics/")


@pytest.mark.parametrize("asked", ["papers/2410.12345/", "abs/2410.12345v3", "2410.12345"])
def test_the_404_page_of_an_arxiv_id_not_held_says_where_the_paper_is(
    browser: Browser, base_url: str, asked: str
) -> None:
    """A reader's trial put this site's address before an arXiv id from Hugging Face and was
    offered "Papers" alone."""
    page = _page(browser)
    assert page.goto(base_url + asked).status == 404  # type: ignore[union-attr]
    elsewhere = page.locator("#elsewhere")
    expect(elsewhere).to_contain_text("This site holds no paper 2410.12345")
    assert [a.get_attribute("href") for a in elsewhere.locator("a").all()] == [
        "https://arxiv.org/abs/2410.12345",
        "https://huggingface.co/papers/2410.12345",
    ]
    # A paper it holds is offered, not sent elsewhere.
    assert page.goto(base_url + "papers/2606.07867v2/").status == 404  # type: ignore[union-attr]
    expect(page.locator("#nearest a")).to_have_attribute("href", base_url + "papers/2606.07867/")
    assert page.locator("#elsewhere").is_hidden()


@pytest.mark.parametrize("asked", ["papers/2606.0786/", "2606.0786"])
def test_the_404_page_of_a_cut_arxiv_id_sends_no_reader_to_a_page_arxiv_never_had(
    browser: Browser, base_url: str, asked: str
) -> None:
    """An address cut by a digit (the site holds 2606.07867): the 404 page's new line said
    "This site holds no paper 2606.0786" and linked arxiv.org/abs/2606.0786, which arXiv has
    never had (YYMM.NNNNN since 2015; `model._ARXIV_ID` knows it: "2606.6113" links a page
    arXiv never had). The site may well hold the paper meant (review h4)."""
    page = _page(browser)
    assert page.goto(base_url + asked).status == 404  # type: ignore[union-attr]
    page.wait_for_load_state("networkidle")
    hrefs = [a.get_attribute("href") for a in page.locator("#elsewhere a").all()]
    shown = page.locator("#elsewhere").is_visible()
    assert not shown, (page.locator("#elsewhere").text_content(), hrefs)


def test_the_404_page_asks_for_each_page_once(browser: Browser, base_url: str) -> None:
    """A day of a month the site does not hold: /days/ is asked for the day nearest it, then
    as the folder cut back; it was fetched twice."""
    page = _page(browser)
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    assert page.goto(base_url + "days/2025-12-04/").status == 404  # type: ignore[union-attr]
    expect(page.locator("#nearest a")).to_have_attribute("href", base_url + "days/2025-11-03/")
    assert asked.count(base_url + "days/") == 1, asked


def test_the_404_page_searches_an_addresss_words_and_never_runs_them(
    browser: Browser, base_url: str
) -> None:
    page = _page(browser)
    page.goto(base_url + "papers/<img src=x onerror=alert(1)>-diffusion-transformers")
    search = page.locator("#search-for a")
    expect(search).to_have_text(
        "Search the papers for “img src x onerror alert 1 diffusion transformers”"
    )
    assert page.locator("main img").count() == 0
    search.click()
    expect(page.locator("#search-query")).to_have_value(
        "img src x onerror alert 1 diffusion transformers"
    )
    page.goto(base_url + "nowhere/at/all/2606")
    expect(page.locator("h1")).to_have_text("Page not found")
    page.wait_for_load_state("networkidle")
    assert page.locator("#nearest").is_hidden() and page.locator("#search-for").is_hidden()
    # At its own address (a checker's visit) it guesses nothing: no request, none failed.
    page.errors.clear()  # type: ignore[attr-defined]
    page.goto(base_url + "404.html")
    page.wait_for_load_state("networkidle")
    assert page.errors == [] and page.locator("#nearest").is_hidden()  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", ["", "caf%C3%A9/"], ids=["root", "non-ASCII"])
def test_the_404_page_asks_nothing_of_another_host_or_above_its_site(
    browser: Browser, tiny_build: Path, tmp_path: Path, path: str
) -> None:
    """Found by reviews: at a host's root, "//evil.example/x" made the 404 page fetch and
    offer another host's page, and "..%2F" a page above the site (or its home page); under a
    path of other letters than ASCII ("/café/"), it guessed nothing."""
    from sitegen.cli import main

    served = tmp_path / "served"
    (served / unquote(path)).mkdir(parents=True)
    with serving(served) as server:
        host = f"http://127.0.0.1:{server.server_address[1]}/"
        site = host + path
        root = copy_site(tiny_build, tmp_path / "site")
        out = served / unquote(path)
        assert main(["--root", str(root), "build", "--out", str(out), "--base-url", site]) == 0
        page = _page(browser)
        asked: list[str] = []
        page.on("request", lambda request: asked.append(request.url))
        for address in ("/evil.example/x", "%2Fevil.example/x/", "days/..%2F..%2F..%2Fetc/"):
            assert page.goto(site + address).status == 404  # type: ignore[union-attr]
            page.wait_for_load_state("networkidle")
            assert asked and all(url.startswith(site) for url in asked), asked
            assert not any(url.startswith(site + "etc") for url in asked), asked  # not above
            nearest = page.locator("#nearest a")
            if nearest.is_visible():
                href = nearest.get_attribute("href") or ""
                assert href.startswith(site) and href != site, href  # nor the home page
            asked.clear()
        # And it still guesses, in any case, through an encoded "/".
        for address in ("Days/", "%2FDays/2025-11-3/"):
            page.goto(site + address)
            expect(page.locator("#nearest a")).to_have_attribute(
                "href", site + ("days/" if address == "Days/" else "days/2025-11-03/")
            )


class _MovedRoutes(Routes):
    """The site's pages at other addresses than sitegen's: a fork's, or a later sitegen's."""

    __slots__ = ()

    def paper_url(self, paper_id: str) -> str:
        return f"paper/{paper_id}/"

    def day_url(self, day: str) -> str:
        return f"on/{day}/"

    def topic(self, slug: str, page: int | None = None) -> ListingRoutes:
        return _moved(super().topic(slug, page), "topics/", "subjects/")

    def top(self, kind: str, slug: str) -> ListingRoutes:
        return _moved(super().top(kind, slug), "top/", "best/")

    def feeds_page(self) -> Route:
        return Route("subscribe/index.html", "subscribe/")

    def custom_feed(self, slug: str) -> ListingRoutes:
        return _moved(super().custom_feed(slug), "feeds/", "subscribe/")


def _moved(routes: ListingRoutes, folder: str, to: str) -> ListingRoutes:
    def move(route: Route | None) -> Route | None:
        return route and Route(
            to + route.path.removeprefix(folder), to + route.url.removeprefix(folder)
        )

    return ListingRoutes(*map(move, (routes.html, routes.rss, routes.atom, routes.json)))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("asked", "meant"),
    [
        ("abs/2501.00002v3", "paper/2501.00002/"),
        ("on/2026-1-2/", "on/2026-01-02/"),
        ("on/2026-01-09/", "on/2026-01-04/"),  # a day not held: the nearest held
        ("on/2026-01/", "days/#2026-01"),
        ("best/week/2026-w01/", "best/week/2026-W01/"),
        ("best/month/2026-1/", "best/month/2026-01/"),
        ("subject/llmm/", "subjects/llm/"),  # its section in the singular, its slug mistyped
        ("feed.xml", "subscribe/"),
        ("subscribe/difusion-models/", "subscribe/diffusion-models/"),
    ],
)
def test_the_404_page_offers_the_pages_at_the_addresses_the_routes_give(
    browser: Browser, asked: str, meant: str
) -> None:
    """Its guesses are the site's routes (sitegen/urls.py), not addresses of its own: pages
    moved by the routes are offered where they are."""
    from tests.test_outputs import CONFIG, _render, _site

    site_url = "http://moved.test/sub/"
    site = _site(config=dataclasses.replace(CONFIG, base_url=site_url))
    files = _render(site, routes=_MovedRoutes(site_url))
    assert "paper/2501.00002/index.html" in files and "on/2026-01-04/index.html" in files

    def answer(route: PlaywrightRoute) -> None:
        path = urlsplit(route.request.url).path.removeprefix("/sub/")
        found = files.get(path + "index.html" if path.endswith("/") or not path else path)
        body = found if found is not None else files["404.html"]
        route.fulfill(status=200 if found is not None else 404, body=body, content_type="text/html")

    page = _page(browser)
    page.route("http://moved.test/**", answer)
    assert page.goto(site_url + asked).status == 404  # type: ignore[union-attr]
    expect(page.locator("#nearest a")).to_have_attribute("href", site_url + meant)
