"""What a listing (and a site's own settings) could put into the site's outputs, found by an
adversarial review: each test shows one fault through the real CLI (ingest, then build) and
the files it writes."""

from __future__ import annotations

import html
import json
import shutil
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest

from sitegen.abstracts import render_abstract
from sitegen.clean import BIDI_CONTROLS, clean_line, web_url
from tests.conftest import REPO, sitegen_here

DAY = "2026-12-03"


def _answer(*papers: dict[str, object]) -> bytes:
    """An API answer of DAY holding `papers` (each a `paper` object's own fields)."""
    entries = []
    for number, fields in enumerate(papers, 1):
        paper = {
            "id": f"2612.{number:05d}",
            "title": f"Probe paper {number}",
            "summary": f"The abstract of probe paper {number}.",
            "authors": [{"name": "Ada Lovelace"}],
            "upvotes": number,
            "submittedOnDailyAt": f"{DAY}T00:00:00.000Z",
            **fields,
        }
        entries.append({"title": paper["title"], "paper": paper})
    return json.dumps(entries).encode()


class _Hrefs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs += [value for name, value in attrs if name == "href" and value]


def _hrefs(page: Path) -> list[str]:
    parser = _Hrefs()
    parser.feed(page.read_text())
    return parser.hrefs


# ---- links that are no URL a browser can follow ---------------------------------------------

# (the link, what in it makes it no valid URL, as the Nu HTML checker says of it). Each is an
# http(s) address with a host, no space or quote: `clean.web_url` kept it as the paper's code
# or project link, and markdown-it's link check (`pages._is_whole_address`) looked at its scheme
# alone. The checker (check_site's html/vnu) refused every page showing one: the paper's page,
# its day's page and the home page, as it refused `http://x" onmouseover=...` (a review, see
# tests/test_fetch_real_answers.py); a browser cannot parse most of them (Chromium's
# `a.protocol` is ":"), so the link is dead; and `http://github.com:80@evil.example/` shows
# github.com, written out in an abstract, and leads to evil.example.
BAD_LINKS = {
    "port past 65535": ("https://x.org:99999/", "x.org:99999"),
    "port not a number": ("https://x.org:abc/", "x.org:abc"),
    "percent in the host": ("https://exa%mple.org/", "exa%"),
    "IPv4 part past 255": ("https://1.2.3.999/", "1.2.3.999"),
    "empty label": ("https://x..org/", "x..org"),
    "credentials": ("https://user:pw@x.org/", "user:pw@"),
    "credentials spoofing a host": ("http://github.com:80@evil.example/", "@evil.example"),
    "a second #": ("https://x.org/#a#b", "#a#b"),
    "bad percent escape": ("https://x.org/%zz", "/%zz"),
    "[ in the path": ("https://x.org/a[b]", "a[b]"),
}


@pytest.fixture(scope="module")
def built_with_bad_links(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site of one listing whose papers each give one of BAD_LINKS as their code and project
    links, and in their abstract, as a Markdown link and written out; built."""
    root = tmp_path_factory.mktemp("bad-links") / "site"
    root.mkdir()
    shutil.copy(REPO / "site.toml", root / "site.toml")
    shutil.copytree(REPO / "templates", root / "templates")
    listing = root.parent / f"{DAY}.json"
    listing.write_bytes(
        _answer(
            *(
                {
                    "githubRepo": url,
                    "projectPage": url,
                    "summary": f"Our [code]({url}) is at {url} for all.",
                }
                for url, _ in BAD_LINKS.values()
            )
        )
    )
    assert sitegen_here("--root", str(root), "ingest", str(listing)).returncode == 0
    result = sitegen_here("--root", str(root), "build")
    assert result.returncode == 0, result.stderr
    return root / "public"


@pytest.mark.parametrize("case", BAD_LINKS)
def test_a_link_no_browser_can_follow_is_never_published(
    built_with_bad_links: Path, case: str
) -> None:
    number = list(BAD_LINKS).index(case) + 1
    url, bad = BAD_LINKS[case]
    public = built_with_bad_links
    for page in (
        public / "papers" / f"2612.{number:05d}" / "index.html",  # code, project page, abstract
        public / "days" / DAY / "index.html",  # its card's links
    ):
        linked = [href for href in _hrefs(page) if bad in href]
        assert not linked, f"{page.relative_to(public)} links {url!r} ({case}): {linked}"


# ---- base_url ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "base_url",
    [
        "https://x.org/a\x01b/",  # a control character: a traceback from lxml, exit 1
        'https://x.org/a"b/',  # built: 404.html's links (root-relative) are no URLs
        "https://x.org/a<b>/",
    ],
    ids=ascii,
)
def test_a_base_url_no_link_can_carry_is_refused_in_one_line(site: Path, base_url: str) -> None:
    """`--base-url` was checked by `config.site_url`, which refused spaces, "?", "#" and "\\"
    but took the characters `clean.web_url` refuses in any link: a control character stopped
    the build with lxml's traceback in the feeds ("All strings must be XML compatible"), and
    `"` or `<` made every link of 404.html one the Nu checker refuses (`Illegal character in
    path segment`)."""
    result = sitegen_here("--root", str(site), "build", "--base-url", base_url)
    assert "Traceback" not in result.stderr, result.stderr[-600:]
    assert result.returncode == 2, (result.returncode, result.stderr[-600:])
    assert "is not an absolute http(s) URL" in result.stderr
    assert not (site / "public").exists()


# ---- invisible titles ----------------------------------------------------------------------

# Format characters (Unicode category Cf) that show as nothing: word joiner, invisible
# separator, soft hyphen, Mongolian vowel separator, tag characters ("ASCII smuggling": tag
# letters carry text no reader sees).
INVISIBLE = "\u2060\u2063\u00ad\u180e\U000e0041\U000e0042"


def _visible(text: str) -> bool:
    return any(not c.isspace() and unicodedata.category(c) != "Cf" for c in text)


def test_a_title_of_invisible_characters_is_no_title(site: Path, tmp_path: Path) -> None:
    """A title of a zero-width space and a byte-order mark is refused ("paper 1 has no
    title"), as they are taken out as invisible (`model._INVISIBLE`); one of the other
    invisible format characters was filed, and the paper's page, its card and its feed items
    were titled with nothing a reader sees (an empty link, a blank item)."""
    listing = tmp_path / f"{DAY}.json"
    listing.write_bytes(_answer({"title": INVISIBLE}, {"title": "A visible title"}))
    result = sitegen_here("--root", str(site), "ingest", str(listing))
    if result.returncode != 0:  # refused, as a title of "\u200b\ufeff" is
        assert result.returncode == 2 and "has no title" in result.stderr, result.stderr
        return
    assert sitegen_here("--root", str(site), "build").returncode == 0
    public = site / "public"
    for name in ("atom.xml", "rss.xml"):
        titles = [entry.title for entry in feedparser.parse((public / name).read_bytes()).entries]
        assert all(map(_visible, titles)), f"{name}: {[ascii(t) for t in titles]}"
    items = json.loads((public / "feed.json").read_text())["items"]
    assert all(_visible(item["title"]) for item in items)


# ---- references that a feed reader decodes -----------------------------------------------


def test_a_reference_in_a_title_brings_no_bidi_override_into_a_feed_reader(
    site: Path, tmp_path: Path
) -> None:
    """A right-to-left override ("\\u202e") is taken out of every text (a "Trojan Source"
    spoof in pages and feed readers: test_safety.py), and a reference to one in an abstract
    ("&#8238;") is shown as written (test_pages.py). In a title the reference was kept as text,
    and an RSS item's title is text whose markup readers guess: feedparser takes one holding a
    reference for HTML (`title_detail.type` "text/html", the reference left as it is), so a
    reader that shows it as feedparser says shows the override, and the title reversed from
    there ("Invoice fdp.exe" reads "Invoice exe.pdf"). check_site's feed-extractor decodes
    such references in Atom titles too."""
    title = "Invoice &#x202e;fdp.exe and &#8238;gnp.js"
    listing = tmp_path / f"{DAY}.json"
    listing.write_bytes(_answer({"title": title}))
    assert sitegen_here("--root", str(site), "ingest", str(listing)).returncode == 0
    assert sitegen_here("--root", str(site), "build").returncode == 0
    public = site / "public"
    for name in ("rss.xml", f"days/{DAY}/rss.xml"):
        feed = feedparser.parse((public / name).read_bytes())
        assert not feed.bozo
        (entry,) = feed.entries
        shown = entry.title
        if entry.title_detail.type == "text/html":  # what a reader shows of it
            shown = html.unescape(shown)
        assert not BIDI_CONTROLS.search(shown), f"{name}: {entry.title_detail.type} {shown!a}"


# ---- review h4: what the fixes above still let through, or now refuse -----------------------


@pytest.mark.parametrize(
    "title",
    [
        "Invoice &#&#&#8238;8238;8238;fdp.exe",  # a reference whose removal makes another
        "Invoice &#\u200b&#\u200b8238;8238;fdp.exe",  # a zero-width space, taken out after
    ],
    ids=ascii,
)
def test_a_reference_a_cleaning_makes_brings_no_bidi_override_into_a_feed_reader(
    site: Path, tmp_path: Path, title: str
) -> None:
    """`clean_line` took references to bidi controls out in one pass, before the characters
    it takes out as invisible or unsafe: what was left could be such a reference, which the
    content file kept and the build's own clean_line of it left one level lower, so the
    RSS title read `&#8238;` again, which feedparser takes for HTML (review h4)."""
    listing = tmp_path / f"{DAY}.json"
    listing.write_bytes(_answer({"title": title}))
    assert sitegen_here("--root", str(site), "ingest", str(listing)).returncode == 0
    assert sitegen_here("--root", str(site), "build").returncode == 0
    feed = feedparser.parse((site / "public" / "rss.xml").read_bytes())
    (entry,) = feed.entries
    shown = entry.title
    if entry.title_detail.type == "text/html":  # what a reader shows of it
        shown = html.unescape(shown)
    assert not BIDI_CONTROLS.search(shown), f"{entry.title_detail.type} {shown!a}"


@pytest.mark.parametrize("title", ["&#8238;", "&#x202e; &#X2066"], ids=ascii)
def test_a_title_of_references_to_bidi_controls_alone_still_builds(
    site: Path, tmp_path: Path, title: str
) -> None:
    """A title of nothing but references to bidi controls is a title (the pages show it as
    written), but its feed items' title, the references taken out, was empty: feedgen raised
    "Required fields not set" and the build failed with a traceback, every day until the
    paper file was edited (review h7). The items are titled by the paper's id instead."""
    listing = tmp_path / f"{DAY}.json"
    listing.write_bytes(_answer({"title": title}))
    assert sitegen_here("--root", str(site), "ingest", str(listing)).returncode == 0
    result = sitegen_here("--root", str(site), "build")
    assert result.returncode == 0, result.stderr
    public = site / "public"
    for name in ("atom.xml", "rss.xml", f"days/{DAY}/rss.xml"):
        feed = feedparser.parse((public / name).read_bytes())
        assert not feed.bozo
        assert [entry.title for entry in feed.entries] == ["2612.00001"], name
    assert [i["title"] for i in json.loads((public / "feed.json").read_text())["items"]] == [
        "2612.00001"
    ]


def _built_with(site: Path, tmp_path: Path, fields: dict[str, object]) -> Path:
    """The site built after a day of one paper of `fields` was ingested: its output."""
    listing = tmp_path / f"{DAY}.json"
    listing.write_bytes(_answer(fields))
    assert sitegen_here("--root", str(site), "ingest", str(listing)).returncode == 0
    assert sitegen_here("--root", str(site), "build").returncode == 0
    return site / "public"


@pytest.mark.parametrize(
    "names",
    [
        ["&#8238;", "Ada Lovelace"],
        ["&#8238;\u2060", "&#8238;\u00ad", "Ada &#8238; Lovelace"],
    ],
    ids=["references alone", "what shows nothing once they are out"],
)
def test_an_author_named_by_references_to_bidi_controls_alone_is_no_empty_author(
    site: Path, tmp_path: Path, names: list[str]
) -> None:
    """Review h7: an author whose name is "&#8238;" alone, the reference taken out of feeds,
    was an empty <dc:creator>, Atom <name> and JSON Feed name. Such a name is left out of the
    feeds; the others stay. A later review: names left out were those the references' removal
    left empty or of spaces alone, so "&#8238;" and a word joiner or a soft hyphen (kept at
    ingest: the reference shows) was an author every feed named and no reader shows, and
    "Ada &#8238; Lovelace" was "Ada  Lovelace". What is left of such a name is cleaned as a
    title is (clean.clean_line)."""
    public = _built_with(site, tmp_path, {"authors": [{"name": n} for n in names]})
    for name in ("atom.xml", "rss.xml"):
        (entry,) = feedparser.parse((public / name).read_bytes()).entries
        assert [a.get("name") for a in entry.authors] == ["Ada Lovelace"], name
    (item,) = json.loads((public / "feed.json").read_text())["items"]
    assert item["authors"] == [{"name": "Ada Lovelace"}]


def test_a_paper_whose_every_author_is_left_out_of_the_feeds_is_counted(
    site: Path, tmp_path: Path
) -> None:
    """A review: a paper whose every author is named by references to bidi controls alone had
    no authors in its items, and its Atom entry then named as its author the references
    themselves ("&#8238;, &#x202E;"), which the feeds take out. It says how many wrote it, as
    for a listing that names no one (docs/building.md); RSS and JSON Feed name none."""
    authors = [{"name": "&#8238;"}, {"name": "&#x202E;"}]
    public = _built_with(site, tmp_path, {"authors": authors})
    (entry,) = feedparser.parse((public / "atom.xml").read_bytes()).entries
    assert [a.get("name") for a in entry.authors] == ["2 authors"]
    (entry,) = feedparser.parse((public / "rss.xml").read_bytes()).entries
    assert "authors" not in entry
    (item,) = json.loads((public / "feed.json").read_text())["items"]
    assert "authors" not in item


@pytest.mark.parametrize(
    ("kept", "named"),
    [
        ([], ["25 authors"]),  # every name left out, as above
        (["Ada Lovelace", "Bob"], ["Ada Lovelace", "Bob"]),
    ],
)
def test_names_left_out_of_a_paper_of_more_authors_than_feeds_name_are_not_counted_among_them(
    site: Path, tmp_path: Path, kept: list[str], named: list[str]
) -> None:
    """A review: the feeds name 20 authors and then "and N more" (bylines.named_authors), and
    took names of references to bidi controls alone out of those 20 after. A paper whose first
    25 authors were such names had "and 5 more" as its only author in every feed; one whose
    first 20 were, then Ada Lovelace and Bob, "and 2 more": its real authors never named. The
    names are left out first, then the first 20 of the rest named."""
    authors = [{"name": "&#8238;"}] * 25 if not kept else [{"name": "&#8238;"}] * 20
    public = _built_with(site, tmp_path, {"authors": authors + [{"name": n} for n in kept]})
    (entry,) = feedparser.parse((public / "atom.xml").read_bytes()).entries
    assert [a.get("name") for a in entry.authors] == named
    (item,) = json.loads((public / "feed.json").read_text())["items"]
    assert [a["name"] for a in item.get("authors", [])] == kept


def test_a_reference_in_an_abstract_is_shown_as_written(site: Path, tmp_path: Path) -> None:
    """docs/building.md: an abstract's character references "are arXiv's plain text there
    ... and show as written", and pages.py's Markdown reads none (test_pages.py). A reference to
    a bidi control is safe there (escaped in pages and feeds alike), but the reference removal
    meant for titles runs in every `clean_line`, and the API's abstracts are cleaned line by
    line: a paper on "Trojan Source" attacks lost the very reference it is about (review h4)."""
    summary = "Attackers write &#x202E; into comments."
    listing = tmp_path / f"{DAY}.json"
    listing.write_bytes(_answer({"summary": summary}))
    assert sitegen_here("--root", str(site), "ingest", str(listing)).returncode == 0
    assert sitegen_here("--root", str(site), "build").returncode == 0
    page = (site / "public" / "papers" / "2612.00001" / "index.html").read_text()
    assert "Attackers write &amp;#x202E; into comments." in page


# Default_Ignorable_Code_Point characters (Unicode's "shown as nothing" property) that are not
# of category Cf: the Hangul fillers (Lo, the best-known "invisible name"), the combining
# grapheme joiner and a variation selector (Mn).
INVISIBLE_NOT_CF = ["\u3164\u3164", "\uffa0", "\u115f\u1160", "\u034f", "\ufe0f"]


@pytest.mark.parametrize("title", INVISIBLE_NOT_CF, ids=ascii)
def test_a_title_of_other_invisible_characters_is_no_title(
    site: Path, tmp_path: Path, title: str
) -> None:
    """`clean_line` emptied a title of format characters (Cf) alone, "a title a reader sees as
    none"; these show as nothing too, and were filed, titling the paper's page, card and feed
    items with nothing a reader sees (review h4)."""
    listing = tmp_path / f"{DAY}.json"
    listing.write_bytes(_answer({"title": title}, {"title": "A visible title"}))
    result = sitegen_here("--root", str(site), "ingest", str(listing))
    assert result.returncode == 2 and "has no title" in result.stderr, (
        f"filed: {result.stdout}{result.stderr}"
    )


def test_a_link_to_an_idn_host_whose_letters_have_marks_is_kept(site: Path, tmp_path: Path) -> None:
    """`web_url`'s host check was `[\\w-]+` labels, and Python's \\w takes no combining mark
    (Mn, Mc): a Devanagari or Tamil host (India's own TLD, .भारत, and most names under it),
    which every browser follows and the abstract's links keep (markdown-it writes it in
    punycode), was dropped from the listing as no web address (review h4)."""
    code = "https://सीडैक.भारत/code"
    listing = tmp_path / f"{DAY}.json"
    listing.write_bytes(_answer({"githubRepo": code, "projectPage": code}))
    assert sitegen_here("--root", str(site), "ingest", str(listing)).returncode == 0
    assert sitegen_here("--root", str(site), "build").returncode == 0
    hrefs = _hrefs(site / "public" / "papers" / "2612.00001" / "index.html")
    assert any("सीडैक.भारत" in href or "xn--11bx2e6a3b" in href for href in hrefs), hrefs


def test_a_host_ending_in_a_number_that_is_no_ipv4_address_is_no_link() -> None:
    """The URL Standard reads a host whose last label is a number as an IPv4 address, and
    fails it when the rest is none: browsers (and Node's URL) refuse `http://foo.1/` and
    `http://a.b.c.0x10/`; `web_url` checked IPv4 only when every label was decimal (review h4)."""
    assert web_url("https://x.org:99999/") is None  # as BAD_LINKS
    assert web_url("http://foo.1/") is None
    assert web_url("http://a.b.c.0x10/") is None


def test_a_reference_to_another_character_is_left_as_it_is() -> None:
    """`_BIDI_REFERENCES` matched a prefix of a longer reference: `&#82380;` (U+201CC) and
    `&#x202a0;` (U+202A0), CJK ideographs, lost their start and read "0;" (review h4)."""
    assert clean_line("Kanji &#82380; and &#x202a0; here") == "Kanji &#82380; and &#x202a0; here"


@pytest.mark.parametrize(
    "base_url",
    ["https://exa%mple.org/", "https://1.2.3.999/", "https://x..org/", "https://x.org/%zz/"]
    + ["https://x.org/a[b]/"],
)
def test_a_base_url_no_browser_can_follow_is_refused(site: Path, base_url: str) -> None:
    """config.py said base_url refuses what no URL holds "as in a paper's links
    (clean.web_url)"; web_url then learnt hosts and escapes (BAD_LINKS) and site_url did not:
    each of these was built, every feed item, sitemap entry and canonical link under it a
    link no browser can follow (review h4)."""
    result = sitegen_here("--root", str(site), "build", "--base-url", base_url)
    assert result.returncode == 2, (result.returncode, result.stderr[-300:])
    assert "is not an absolute http(s) URL" in result.stderr


# ---- review h6: markup in the site's own words ---------------------------------------------


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()  # references decoded, as a reader shows them
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _as_shown(detail: feedparser.FeedParserDict) -> str:
    """What a reader shows of a feed's text as feedparser gives it: HTML's text, or the text."""
    if detail.type != "text/html":
        return str(detail.value)
    text = _Text()
    text.feed(detail.value)
    text.close()
    return "".join(text.parts)


@pytest.mark.parametrize(
    "description",
    ["Models of <1B & their <b>tricks</b>", "A </title><script>alert(1)</script> feed"],
    ids=ascii,
)
def test_a_description_of_markup_is_read_as_written_in_an_rss_reader(
    site: Path, description: str
) -> None:
    """An RSS <description> is read as HTML (feedparser's `subtitle_detail.type` is
    "text/html"), as an item's is, which is written escaped; the channel's (site.toml's
    `description`, a topic's or a custom feed's) was written as text: a reader made an element
    of its markup ("<b>") and lost its words, feedparser's sanitizer dropped everything from
    "<script>" to the end (review h6)."""
    toml = (site / "site.toml").read_text()
    toml = toml.replace(
        'description = "Machine learning papers featured on Hugging Face Daily Papers, by day'
        ' and by topic."',
        f"description = {json.dumps(description)}",
        1,
    )
    toml = toml.replace(
        'description = "Diffusion and flow-matching models; surveys left out."',
        f"description = {json.dumps(description)}",
        1,
    )
    (site / "site.toml").write_text(toml)
    assert sitegen_here("--root", str(site), "build").returncode == 0
    for name in ("rss.xml", "feeds/diffusion-models/rss.xml"):
        feed = feedparser.parse((site / "public" / name).read_bytes())
        assert not feed.bozo, name
        assert _as_shown(feed.feed.subtitle_detail) == description, name


@pytest.mark.parametrize(
    "text", ["[write to us](mailto:a@b.org#x#y)", "<mailto:a@b.org#x#y>", "[us](MAILTO:a@b.org##)"]
)
def test_a_mail_address_of_two_fragments_is_no_link(text: str) -> None:
    """An abstract's mailto: link was taken whatever followed it (`pages._is_whole_address`):
    one with a second "#" was linked, and the Nu checker (check_site's html/vnu) refused the
    paper's page ("Illegal character in fragment"), as it refused an http(s) link so (BAD_LINKS;
    review h6)."""
    parser = _Hrefs()
    parser.feed(render_abstract(f"Questions: {text}."))
    assert not parser.hrefs, parser.hrefs
    assert render_abstract("Questions: [write to us](mailto:a@b.org#x).") == (
        '<p>Questions: <a href="mailto:a@b.org#x">write to us</a>.</p>\n'
    )


@pytest.mark.parametrize("label", ["", " ", "\n", "  \n ", "\u2060", "\u3164\u00ad"], ids=ascii)
def test_a_link_whose_label_shows_nothing_shows_its_address(label: str) -> None:
    """`[](https://...)` in an abstract made a link of no text: an element a reader cannot
    see or tell the destination of, which axe (check_site's browser/axe) refused on the
    paper's page ("link-name: Links must have discernible text", serious; review h6)."""
    html = render_abstract(f"Our code is [{label}](https://github.com/a/b) and more.")
    assert '<a href="https://github.com/a/b">https://github.com/a/b</a>' in html, html
