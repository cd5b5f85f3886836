"""Every page and feed, rendered from values alone (no disk, no CLI): each kind writes exactly
the paths it names, and its key changes whenever its bytes do."""

from __future__ import annotations

import dataclasses
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Collection, Iterator, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urljoin

import feedparser
import pytest

from sitegen import outputs
from sitegen.api import api_record
from sitegen.config import SiteConfig, parse_config
from sitegen.model import Artifact, ContentSnapshot, Day, DayEntry, Organization, Paper
from sitegen.output_keys import paper_states
from sitegen.outputs import (
    KINDS,
    EmptyHome,
    Output,
    PaperOutputs,
    Renderers,
    SitemapOfPages,
    output_key,
    plan,
    plan_keyed,
    renderers,
)
from sitegen.site import Site, assemble_site
from sitegen.templating import template_environment
from sitegen.urls import Route, Routes, page_at
from tests.conftest import REPO, item_date, item_time

BASE = "https://example.org/sub/"
CONFIG = dataclasses.replace(
    parse_config((REPO / "site.toml").read_text(), source="site.toml"),
    base_url=BASE,
    pages=dataclasses.replace(
        parse_config((REPO / "site.toml").read_text(), source="site.toml").pages,
        topic_page_size=2,
    ),
)
ENV = template_environment(REPO / "templates")


def _paper(n: int, **changes: object) -> Paper:
    paper = Paper(
        id=f"2501.{n:05d}",
        title=f"Paper {n} on reinforcement learning and language models",
        abstract=f"We study *reinforcement learning* with language models, part {n}.",
        arxiv_id=f"2501.{n:05d}",
        authors=("Ada Lovelace", "Alan Turing"),
        upvotes=n,
        organization=Organization(handle="org", name="Org"),
    )
    return dataclasses.replace(paper, **changes)  # type: ignore[arg-type]


def _site(
    papers: dict[str, Paper] | None = None,
    days: int = 4,
    config: SiteConfig = CONFIG,
    *,
    missed: frozenset[date] = frozenset(),
    held: bool = False,
    whole: frozenset[date] = frozenset(),
    recorded: Mapping[tuple[int, str], int | None] | None = None,
) -> Site:
    """Papers on `days` days from Jan 1, 2026 (a Thursday), each day three, the last of one
    the first of the next. The scheduled fetch missed the `missed` days while they were new
    and will ask again; they are not held, unless `held` (had while filling, and missed when
    asked for again). It had the `whole` days after they ended. A day's entries have the
    upvotes `recorded` gives (by day number and paper id), else the paper's, as an ingest
    records them."""
    papers = papers or {p.id: p for p in map(_paper, range(1, 9))}
    ids = sorted(papers)
    counts = recorded or {}
    listed = {
        date(2026, 1, 1) + timedelta(days=d): Day(
            day=date(2026, 1, 1) + timedelta(days=d),
            entries=tuple(
                DayEntry(paper_id=i, title=i, upvotes=counts.get((d, i), papers[i].upvotes))
                for i in ids[d * 2 : d * 2 + 3]
            ),
        )
        for d in range(days)
    }
    kept = {day: d for day, d in listed.items() if held or day not in missed}
    return assemble_site(ContentSnapshot.of(papers, kept), config, awaited=missed, whole=whole)


def _render(
    site: Site, only: Collection[str] = (), *, routes: Routes | None = None
) -> dict[str, bytes]:
    """Every output of `site`, or `only` the outputs that write one of those paths (a site of
    300 papers has 300 pages a test of its feeds would render for nothing); at the addresses
    `routes` gives (a fork's), else sitegen's."""
    routes = routes or Routes(site.config.base_url)
    records = {i: api_record(site, routes, i) for i in site.ids}
    r = renderers(
        site,
        routes,
        ENV,
        templates=str(REPO / "templates"),
        read_file=lambda path: Path(path).read_bytes(),
        api_records=records,
    )
    files: dict[str, bytes] = {}
    for output in plan(site, routes):
        if only and not set(output.paths) & set(only):
            continue
        artifacts = list(output.inputs.render(r))
        assert sorted(a.path for a in artifacts) == sorted(output.paths), type(output.inputs)
        files.update((a.path, a.data) for a in artifacts)
    return files


def _keys(site: Site) -> dict[str, str]:
    states = paper_states(site)
    return {
        path: output_key(output, setup="", paper_states=states)
        for output in plan(site, Routes(site.config.base_url))
        for path in output.paths
    }


def test_every_kind_writes_exactly_the_paths_it_names_and_no_two_share_one(
    tmp_path: Path,
) -> None:
    own = tmp_path / "CNAME"  # a file of the site's static/
    own.write_text("papers.example.org\n")
    renamed = dataclasses.replace(CONFIG.topics[0], formerly=("old-slug",))  # a topic renamed
    config = dataclasses.replace(CONFIG, topics=(renamed, *CONFIG.topics[1:]))
    site = dataclasses.replace(_site(config=config), own_files=(("CNAME", str(own), "d1"),))
    outputs: list[Output] = list(plan(site, Routes(BASE)))
    paths = [path for output in outputs for path in output.paths]
    assert len(paths) == len(set(paths))
    # Every kind but the home page of a site without days, and the sitemap of pages.
    assert {type(o.inputs) for o in outputs} == {*KINDS, SitemapOfPages} - {EmptyHome}
    files = _render(site)
    assert set(files) == set(paths)
    assert "index.html" in files and "papers/2501.00001/index.html" in files
    assert "topics/reinforcement-learning/page/1/index.html" in files
    assert files["CNAME"] == b"papers.example.org\n"
    old, now = "topics/old-slug/", f"topics/{renamed.slug}/"
    assert files[f"{old}atom.xml"] == files[f"{now}atom.xml"]
    assert f'href="../{renamed.slug}/"' in files[f"{old}index.html"].decode()


class _AboutPage(NamedTuple):
    """A kind of page a fork might add: one page, named in `KINDS` and nowhere else."""

    @staticmethod
    def outputs(site: Site, routes: Routes) -> Iterator[Output]:
        yield Output(("about/index.html",), _AboutPage())

    def render(self, r: Renderers) -> Iterator[Artifact]:
        yield Artifact("about/index.html", b"<!doctype html><title>About</title>")


def test_the_sitemap_of_pages_lists_every_page_but_the_papers_and_404_a_new_kind_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(outputs, "KINDS", (*outputs.KINDS, _AboutPage))
    files = _render(_site())
    sitemap = ET.fromstring(files["sitemaps/pages.xml"])
    listed = [loc.text or "" for loc in sitemap.iterfind(".//{*}loc")]
    pages = [
        BASE + page_at(path).url
        for path in files
        if path.endswith(".html")
        and not re.fullmatch(r"papers/[^/]+/index\.html", path)  # but /papers/ itself
        and path != "404.html"
        and b'content="noindex"' not in files[path]  # a folder's, which sends a reader on
    ]
    assert sorted(listed) == sorted(pages)  # each once
    assert listed[0] == BASE and BASE + "about/" in listed


def test_the_sitemap_of_pages_made_from_a_whole_plan_leaves_the_papers_pages_out() -> None:
    """`of_plan` keeps its word whatever plan it is given: the papers' pages are in their own
    sitemaps, never in that of the pages too (a search engine told of each twice)."""
    routes = Routes(BASE)
    site = _site()
    sitemap = SitemapOfPages.of_plan(plan(site, routes), routes).inputs
    assert isinstance(sitemap, SitemapOfPages)
    assert routes.paper_path(site.ids[0]) not in sitemap.pages
    assert not [path for path in sitemap.pages if re.fullmatch(r"papers/[^/]+/index\.html", path)]


def test_the_papers_sitemap_is_the_same_bytes_under_every_python_and_system() -> None:
    """Found trying other machines: Python 3.11 and 3.12 took the gzip header from zlib, whose
    OS byte is the system's (3 on Linux, 19 on macOS), while 3.13 writes 255, so the same
    content built a different sitemaps/papers-1.xml.gz (and site.tar) on a fork owner's Mac,
    or after the workflow's Python moved on, than in CI. The header is fixed: mtime 0, OS 255."""
    files = _render(_site())
    data = files["sitemaps/papers-1.xml.gz"]
    assert data[:4] == b"\x1f\x8b\x08\x00" and data[4:8] == bytes(4)  # no name, mtime 0
    assert data[9] == 255  # "unknown", whatever system zlib was built for


def test_planning_by_paper_gives_each_output_the_paths_and_key_output_key_does() -> None:
    site = _site()
    routes = Routes(BASE)
    states = paper_states(site)
    expected = [
        (output.paths, output_key(output, setup="setup", paper_states=states))
        for output in plan(site, routes)
    ]
    planned: list[tuple[tuple[str, ...], str]] = []
    for item in plan_keyed(site, routes, setup="setup", paper_states=states):
        if isinstance(item, PaperOutputs):
            for i, (path, key) in enumerate(zip(item.paths, item.keys, strict=True)):
                assert item.output(i, routes).paths == (path,)
                planned.append(((path,), key))
        else:
            planned.append((item[0].paths, item[1]))
    assert planned == expected
    assert len({key for _, key in planned}) == len(planned)


CHANGES: dict[str, Callable[[dict[str, Paper]], dict[str, Paper]]] = {
    "a title": lambda ps: {**ps, "2501.00003": _paper(3, title="A New Title")},
    "an abstract": lambda ps: {**ps, "2501.00004": _paper(4, abstract="Now about robots.")},
    "upvotes": lambda ps: {**ps, "2501.00005": _paper(5, upvotes=99)},
    "authors": lambda ps: {**ps, "2501.00002": _paper(2, authors=())},
    "an organisation": lambda ps: {**ps, "2501.00002": _paper(2, organization=None)},
    "a code link": lambda ps: {**ps, "2501.00007": _paper(7, github_url="https://github.com/a/b")},
    "a project page": lambda ps: {**ps, "2501.00008": _paper(8, project_url="https://a.org/")},
    "an arXiv id": lambda ps: {**ps, "2501.00001": _paper(1, arxiv_id=None)},
    "a paper removed": lambda ps: {k: v for k, v in ps.items() if k != "2501.00006"},
    "a paper added": lambda ps: {**ps, "2501.00009": _paper(9)},
}


@pytest.mark.parametrize("change", CHANGES)
def test_an_output_whose_bytes_change_has_a_new_key(change: str) -> None:
    """The registry's promise: no input an output is rendered from is missing from its key."""
    papers = {p.id: p for p in map(_paper, range(1, 9))}
    before, after = _site(papers), _site(CHANGES[change](papers))
    old_files, new_files = _render(before), _render(after)
    old_keys, new_keys = _keys(before), _keys(after)
    changed = {p for p in new_files if old_files.get(p) != new_files[p]}
    assert changed, "the change shows somewhere"
    assert all(old_keys.get(path) != new_keys[path] for path in changed)
    unchanged = {p for p in new_files if old_files.get(p) == new_files[p]}
    assert any(old_keys.get(path) == new_keys[path] for path in unchanged), "keys are not all new"


# Other values of each field of a paper, so that a kind holding what it renders other than
# as `Papers` (a count, a name read at render time) is caught by whichever field it shows.
_OTHER_VALUES: dict[str, tuple[object, ...]] = {
    "title": ("A New Title", "Zeta: last in order"),
    "abstract": ("Now about robots.", "A *diffusion model* for images."),
    "arxiv_id": (None, "2412.00042"),
    "authors": ((), ("Grace Hopper",), ("A", "B", "C", "D")),
    "authors_count": (None, 1, 12),
    "organization": (
        None,
        Organization(handle="org", name="Renamed Org"),
        Organization(handle="lab", name="Lab"),
    ),
    "published": (None, date(2025, 12, 24)),
    "upvotes": (None, 0, 99),
    "topics": ((), ("llm",), ("vision", "robotics")),
    "not_topics": ((), ("reinforcement-learning",), ("llm", "reinforcement-learning")),
    "keywords": ((), ("diffusion model",), ("reinforcement learning", "agent")),
    "github_url": (None, "https://github.com/a/b"),
    "project_url": (None, "https://a.org/"),
}


def test_other_values_are_given_for_every_field_a_paper_has() -> None:
    fields = {f.name for f in dataclasses.fields(Paper)} - {"id"}  # the id is its file name
    assert fields == set(_OTHER_VALUES), "a new field of Paper needs its values above"


def _new_keys_where_bytes_change(
    before: Site | tuple[dict[str, bytes], dict[str, str]], after: Site
) -> bool:
    """The registry's promise: an output's bytes never change under its key (`before`: a
    site, or its files and keys). Whether some output's bytes changed."""
    old_files, old_keys = (_render(before), _keys(before)) if isinstance(before, Site) else before
    new_files, new_keys = _render(after), _keys(after)
    changed = [path for path, new in new_files.items() if old_files.get(path) != new]
    assert [path for path in changed if old_keys.get(path) == new_keys[path]] == []
    return bool(changed)


@pytest.mark.parametrize("field", sorted(_OTHER_VALUES))
def test_any_field_of_a_paper_changed_gives_each_output_it_changes_a_new_key(field: str) -> None:
    papers = {p.id: p for p in map(_paper, range(1, 9))}
    number = sorted(_OTHER_VALUES).index(field) % 8 + 1  # papers of one day, two, the last
    before = _site(papers)
    rendered = (_render(before), _keys(before))
    shown = [
        _new_keys_where_bytes_change(rendered, _site({**papers, changed.id: changed}))
        for value in _OTHER_VALUES[field]
        for changed in (_paper(number, **{field: value}),)
    ]
    assert any(shown), "a value shows somewhere"


def _entry(day: int, paper: int | str) -> tuple[int, str]:
    return day, paper if isinstance(paper, str) else f"2501.{paper:05d}"


@pytest.mark.parametrize(
    "edits",
    [
        {_entry(0, 3): 0},
        {_entry(1, 5): 1},
        {_entry(1, 5): None},
        {_entry(1, 5): 1, _entry(2, 5): 1},
        {_entry(0, 3): 6, _entry(1, 3): 6},
    ],
    ids=["earlier of two", "earlier lower", "earlier none", "both days", "periods"],
)
def test_a_days_recorded_upvotes_changed_give_each_output_they_change_a_new_key(
    edits: dict[tuple[int, str], int | None],
) -> None:
    """A day file's upvotes edited by hand: they rank a paper featured on several days there,
    and in its weeks and months, if below its own (papers 3 and 5 are on two days each: the
    later day's count does not rank it on the earlier, nor does a lower one after a higher).
    Paper 3, first on both its days with 50, is still first on both with 6, but not in its
    week and month."""
    papers = {p.id: p for p in map(_paper, range(1, 9))} | {"2501.00003": _paper(3, upvotes=50)}
    recorded = {
        _entry(d, n): papers[_entry(d, n)[1]].upvotes for d in range(4) for n in range(1, 9)
    }
    before = _site(papers, days=4, recorded=recorded)
    after = _site(papers, days=4, recorded={**recorded, **edits})
    assert _new_keys_where_bytes_change(before, after), "the change shows somewhere"


def test_a_new_day_leaves_the_keys_of_older_days_and_papers_alone() -> None:
    before, after = _keys(_site(days=3)), _keys(_site(days=4))
    assert before["days/2026-01-01/index.html"] == after["days/2026-01-01/index.html"]
    assert before["papers/2501.00001/index.html"] == after["papers/2501.00001/index.html"]
    assert before["index.html"] != after["index.html"]


def test_routes_link_relatively_and_feeds_absolutely() -> None:
    routes = Routes(BASE)
    day = routes.day(date(2026, 1, 2))
    assert day.html == Route(path="days/2026-01-02/index.html", url="days/2026-01-02/")
    assert Routes.relative(day.html, routes.paper("2501.00001")) == "../../papers/2501.00001/"
    assert Routes.relative(routes.home().html, day.html) == "days/2026-01-02/"
    assert Routes.relative(day.html, routes.home().html) == "../../"
    assert routes.absolute(day.rss) == BASE + "days/2026-01-02/rss.xml"
    assert routes.root_relative(routes.stylesheet()) == "/sub/style.css"
    assert routes.topic("llm", 3).html.path == "topics/llm/page/3/index.html"
    assert routes.topic("llm", 3).atom == routes.topic("llm").atom


def test_pages_link_every_paper_they_list_and_escape_its_text() -> None:
    hostile = _paper(
        1, title='<script>alert("x")</script> & more', abstract="<b>bold</b> [a](javascript:x)"
    )
    files = _render(_site({hostile.id: hostile, **{p.id: p for p in map(_paper, range(2, 5))}}))
    day = files["days/2026-01-01/index.html"].decode()
    assert (
        "<script>alert" not in day
        and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; more" in day
    )
    assert 'href="../../papers/2501.00001/"' in day
    page = files["papers/2501.00001/index.html"].decode()
    assert "<b>bold</b>" not in page and 'href="javascript' not in page
    assert 'href="https://arxiv.org/abs/2501.00001"' in page
    # The paper elsewhere, on its page and its card: Hugging Face, arXiv, the PDF (h11: the
    # Hugging Face link dropped survived every test).
    for html, hf in ((page, "Hugging Face"), (day, "HF")):
        links = re.findall(r'<a href="(https://[^"]+/2501\.00001)"[^>]*>([^<]+)</a>', html)
        assert links == [
            ("https://huggingface.co/papers/2501.00001", hf),
            ("https://arxiv.org/abs/2501.00001", "arXiv"),
            ("https://arxiv.org/pdf/2501.00001", "PDF"),
        ]


def test_feeds_parse_and_carry_every_listed_paper_once() -> None:
    files = _render(_site())
    for path in ("rss.xml", "atom.xml", "topics/llm/atom.xml"):
        feed = feedparser.parse(files[path])
        assert not feed.bozo, (path, feed.get("bozo_exception"))
        ids = [entry.id for entry in feed.entries]
        assert len(ids) == len(set(ids)) and all(i.startswith("tag:sitegen,2023:") for i in ids)
    # Newest first: the papers each day was the first to feature, in its rank order (paper n
    # has n upvotes: the most upvoted first).
    atom = feedparser.parse(files["atom.xml"])
    assert [e.link for e in atom.entries] == [
        f"{BASE}papers/2501.{n:05d}/" for n in (8, 7, 6, 5, 4, 3, 2, 1)
    ]
    # A day's feeds list its papers in rank order, each brief: a summary, no abstract.
    day = feedparser.parse(files["days/2026-01-01/rss.xml"])
    assert not day.bozo and [e.link for e in day.entries] == [
        f"{BASE}papers/2501.{n:05d}/" for n in (3, 2, 1)
    ]
    assert all("content" not in e and e.summary for e in day.entries)
    # RSS gives a full item's content as its description too: only Atom tells the two apart,
    # and a brief item names no links (a full one ends with its HF, arXiv and PDF links).
    day_atom = feedparser.parse(files["days/2026-01-01/atom.xml"])
    assert len(day_atom.entries) == 3 and all("content" not in e for e in day_atom.entries)
    assert not any("arxiv.org" in e.summary for e in (*day.entries, *day_atom.entries))


def test_a_reader_sees_days_named_as_the_pages_name_them_under_ids_that_never_change() -> None:
    files = _render(_site())
    page = files["days/2026-01-02/index.html"].decode()
    assert "Papers of Jan 2, 2026" in page
    for path in ("days/2026-01-02/rss.xml", "days/2026-01-02/atom.xml"):
        assert feedparser.parse(files[path]).feed.title == "Daily Papers: Jan 2, 2026", path
    digest = feedparser.parse(files["digest/atom.xml"])
    assert [(e.title, e.id) for e in digest.entries[-2:]] == [
        ("Papers of Jan 2, 2026", "tag:sitegen,2023:day/2026-01-02"),
        ("Papers of Jan 1, 2026", "tag:sitegen,2023:day/2026-01-01"),
    ]
    assert digest.entries[-1].content[0].value.startswith("<p>3 papers</p><ol>")


def test_a_late_day_never_dates_back_an_item_already_published() -> None:
    """Found by a subscriber's trial: a paper of Jan 2 was in the feeds, dated Jan 2; a day
    missed before it, Dec 31, came late listing it too, and its date went back to Dec 31."""
    papers = {p.id: p for p in map(_paper, range(1, 4))}
    first, second, third = sorted(papers)
    days = {
        date(2026, 1, n): Day(day=date(2026, 1, n), entries=(DayEntry(paper_id=i, title=i),))
        for n, i in ((1, first), (2, second), (3, third))
    }
    before = _render(assemble_site(ContentSnapshot.of(papers, days), CONFIG), only=["atom.xml"])
    late = date(2025, 12, 31)
    days[late] = Day(
        day=late, entries=(DayEntry(paper_id=second, title=second),), arrived_after=date(2026, 1, 3)
    )
    after = _render(assemble_site(ContentSnapshot.of(papers, days), CONFIG), only=["atom.xml"])
    dated = [
        {e.id: item_date(e) for e in feedparser.parse(files["atom.xml"]).entries}
        for files in (before, after)
    ]
    assert dated[0] == dated[1]
    assert dated[1][f"tag:sitegen,2023:paper/{second}"].startswith("2026-01-02")


def test_the_digest_has_a_days_item_once_the_next_day_has_come() -> None:
    """Found by a subscriber's trial: the newest day's item, made while it was filling,
    was rewritten from 5 to 40 papers, and readers kept it read: the 35 went unseen."""
    files = _render(_site(days=4), only=["digest/atom.xml"])
    digest = feedparser.parse(files["digest/atom.xml"])
    assert [e.id for e in digest.entries] == [
        f"tag:sitegen,2023:day/2026-01-0{d}" for d in (3, 2, 1)
    ]
    assert "Jan 4, 2026" not in files["digest/atom.xml"].decode()


def test_the_digest_has_the_newest_days_item_once_a_fetch_had_it_after_it_ended() -> None:
    """Found by a subscriber's trial: a Friday's item waited for Monday, the next day with
    papers, though Saturday's run had Friday whole."""
    files = _render(_site(days=4, whole=frozenset({date(2026, 1, 4)})), only=["digest/atom.xml"])
    digest = feedparser.parse(files["digest/atom.xml"])
    assert [e.id for e in digest.entries] == [
        f"tag:sitegen,2023:day/2026-01-0{d}" for d in (4, 3, 2, 1)
    ]
    # Only the newest day waits for it: an older one whole changes nothing.
    older = _render(_site(days=4, whole=frozenset({date(2026, 1, 3)})), only=["digest/atom.xml"])
    assert older == _render(_site(days=4), only=["digest/atom.xml"])


def test_the_digest_has_a_days_item_once_a_retry_has_it_whole() -> None:
    """Found by a subscriber's trial: a day held while filling, whose completion failed, had
    its item made short and rewritten when a retry had it whole. It waits, as the newest day
    does."""

    def digest_ids(missed: frozenset[date]) -> list[str]:
        files = _render(_site(days=4, missed=missed, held=True), only=["digest/atom.xml"])
        return [e.id for e in feedparser.parse(files["digest/atom.xml"]).entries]

    days = [f"tag:sitegen,2023:day/2026-01-0{d}" for d in (3, 2, 1)]
    assert digest_ids(frozenset({date(2026, 1, 2)})) == [days[0], days[2]]
    assert digest_ids(frozenset()) == days
    # A window of two days holds no older day meanwhile (found by a review: Jan 1's item,
    # dropped before, came back while Jan 3 was awaited, and was dropped again).
    two_days = dataclasses.replace(CONFIG, feeds=dataclasses.replace(CONFIG.feeds, digest_days=2))
    site = _site(days=4, config=two_days, missed=frozenset({date(2026, 1, 3)}), held=True)
    files = _render(site, only=["digest/atom.xml"])
    assert [e.id for e in feedparser.parse(files["digest/atom.xml"]).entries] == [days[1]]


def test_the_navigation_says_which_section_a_page_is_in_and_which_page_it_is() -> None:
    """Found by an accessibility review: on a day's page "Days" was announced as the current
    page (aria-current="page"), though it links to the index of days."""
    files = _render(_site(), only=["days/index.html", "days/2026-01-02/index.html"])
    assert 'aria-current="page">Days</a>' in files["days/index.html"].decode()
    day = files["days/2026-01-02/index.html"].decode()
    assert 'aria-current="true">Days</a>' in day and 'aria-current="page"' not in day


def test_an_empty_site_has_a_home_page_and_feeds_that_say_nothing_is_there_yet() -> None:
    site = assemble_site(ContentSnapshot.of({}, {}), CONFIG)
    files = _render(site)
    assert "index.html" in files
    for name in ("atom.xml", "rss.xml"):  # readers refuse a feed without an item
        feed = feedparser.parse(files[name])
        (entry,) = feed.entries
        assert entry.title == "Nothing here yet" and entry.link == BASE
        assert entry.id == "tag:sitegen,2023:nothing-yet/"
        # Not 1970, before its own item (a new user's trial).
        assert feed.feed.updated_parsed == item_time(entry)
    (item,) = json.loads(files["feed.json"])["items"]  # the JSON Feed says it too
    assert item["title"] == "Nothing here yet" and item["id"] == "tag:sitegen,2023:nothing-yet/"
    # The OPML is as old as the feeds it lists, not 1970 (a fork owner's trial).
    created = re.search(r"<dateCreated>([^<]*)</dateCreated>", files["feeds.opml"].decode())
    assert created and created[1] == "Sun, 01 Jan 2023 00:00:00 +0000"  # as the RSS feeds date
    assert feedparser.parse(files["atom.xml"]).feed.updated.startswith("2023-01-01T00:00:00")


def _words(page: bytes) -> str:
    """A page's <main> as a reader sees it: its text, one space between words."""
    main = page.decode().split("<main", 1)[1].split("</main>", 1)[0]
    return " ".join(re.sub(r"<[^>]*>", " ", main).split())


def test_an_empty_site_says_so_on_its_days_top_and_topics_pages() -> None:
    """Found by a fork owner's trial of the README's "start empty": the days page was a
    heading and an intro over nothing, the top papers page two headings over nothing, and
    the topics page said "0 papers" under each of its 26 topics."""
    site = assemble_site(ContentSnapshot.of({}, {}), CONFIG)
    files = _render(site, only=["days/index.html", "top/index.html", "topics/index.html"])
    days = _words(files["days/index.html"])
    assert "No day yet: the days come here as they are fetched." in days
    top = _words(files["top/index.html"])
    assert "Weeks No week yet." in top and "Months No month yet." in top
    assert 'id="months"' in files["top/index.html"].decode()  # what the OPML and intro link
    topics = _words(files["topics/index.html"])
    assert "0 papers" not in topics
    assert topics.count("no paper yet") == len(CONFIG.topics)


def test_a_site_of_one_day_names_its_day_and_month_once_not_as_a_range() -> None:
    """Found by a fork owner's trial of a first fetch: the papers page said "featured from
    Jan 1, 2026 to Jan 1, 2026", the topics page and a topic's chart "from Jan 2026 to Jan
    2026", and the chart "the busiest month was Jan 2026" of its one month."""
    files = _render(_site({p.id: p for p in map(_paper, range(1, 4))}, days=1))
    papers = _words(files["papers/index.html"])
    assert "3 papers featured on Jan 1, 2026, each with a page of its own." in papers
    topics = _words(files["topics/index.html"])
    assert "Each line shows a topic's papers per month in Jan 2026 (so far)." in topics
    charts = [
        _words(page)
        for path, page in files.items()
        if re.fullmatch(r"topics/[^/]+/index\.html", path) and b"Papers per month:" in page
    ]
    assert charts
    for chart in charts:
        said = re.search(
            r"Papers per month: (\d+ papers? in Jan 2026 \(so far\)|none in Jan 2026)\.", chart
        )
        assert said, chart
    for text in [papers, topics, *charts]:
        assert not re.search(r"from (\w+ )?(\d+, )?2026 to", text), text


def test_papers_no_day_lists_are_counted_without_a_day_they_were_featured_on() -> None:
    """89d617c named a site's one day once ("featured on Jan 1, 2026"), by its first and newest
    day being the same: a store whose papers no day file lists (every day file deleted, the
    papers kept) has neither, and the papers page said "1 paper featured on None"."""
    alone = {"2501.00001": _paper(1)}
    files = _render(
        assemble_site(ContentSnapshot.of(alone, {}), CONFIG), only=["papers/index.html"]
    )
    papers = _words(files["papers/index.html"])
    assert "Papers 1 paper, each with a page of its own." in papers, papers


def test_a_day_or_topic_of_one_paper_claims_no_order_among_one() -> None:
    """Found by a fork owner's trial: a first fetch early in the day, or a topic's first
    paper, said "1 paper so far, the most upvoted first" and "1 paper, newest first"."""
    alone = {"2501.00001": _paper(1)}
    only = ["days/2026-01-01/index.html", "topics/reinforcement-learning/index.html"]
    files = _render(_site(alone, days=1), only=only)
    day = _words(files["days/2026-01-01/index.html"])
    topic = _words(files["topics/reinforcement-learning/index.html"])
    assert "Papers of Jan 1, 2026 1 paper. Top papers of the week" in day
    assert "1 paper. Follow this topic in a feed reader" in topic
    for text in (day, topic):
        assert "most upvoted first" not in text and "newest first" not in text


def test_counts_in_the_thousands_are_grouped_by_thousands_as_a_reader_reads_them() -> None:
    """Found living a six-year site (100,000 papers, HISTORY.md): "27387 papers" on a topic's
    page and "papers 13601 to 13650" on its archive's, where a reader reads 27,387."""
    papers = {p.id: p for p in map(_paper, range(1, 1202))}
    site = _site(papers, days=600)  # 1,201 papers, all of the topic
    topic = "topics/reinforcement-learning/"
    only = [f"{topic}index.html", f"{topic}page/501/index.html", "topics/index.html"]
    files = _render(site, only=[*only, "papers/index.html", "top/index.html"])
    assert "1,201 papers, newest first" in _words(files[f"{topic}index.html"])
    archive = files[f"{topic}page/501/index.html"].decode()
    assert "Reinforcement Learning: papers 1,001 to 1,002" in archive  # <title> and <h1>
    assert "The topic's papers 1,001 to 1,002, counted from its oldest" in _words(archive.encode())
    assert "Reinforcement Learning 1,201 papers" in _words(files["topics/index.html"])
    assert "Papers 1,201 papers featured from" in _words(files["papers/index.html"])
    for page in files.values():
        assert not re.search(r"\b1[0-9]{3} papers|\b1[0-9]{3} to\b", _words(page))


def test_a_topics_page_leads_to_where_each_older_year_begins_in_its_archive() -> None:
    """Found living a six-year site (100,000 papers, HISTORY.md): a topic of 27,387 papers had
    546 archive pages, and a reader wanting its papers of 2025 had only "Older" and "« Oldest"
    to tap, hundreds of times."""
    papers = {p.id: p for p in map(_paper, range(1, 1202))}
    site = _site(papers, days=600)  # from Jan 1, 2026 into 2027
    topic = "topics/reinforcement-learning/"
    front = _render(site, only=[f"{topic}index.html"])[f"{topic}index.html"]
    years = re.search(r'<nav aria-label="Older papers by year">(.*?)</nav>', front.decode())
    assert years, "no way to a year"
    links = re.findall(r'<a href="([^"]+)">(\d{4})</a>', years[1])
    assert [year for _, year in links] == ["2026"]  # 2027 begins on the front page
    target = topic + links[0][0] + "index.html"
    number = int(re.fullmatch(rf"{topic}page/(\d+)/index.html", target)[1])  # type: ignore[index]
    newer = f"{topic}page/{number + 1}/index.html"
    files = _render(site, only=[target, newer])
    # Its page holds 2026's newest paper (the 731st, first on day 364, Dec 31), the page newer none.
    assert "2501.00731" in _listed(files[target])
    assert all(int(i.split(".")[1]) > 731 for i in _listed(files[newer]))


def test_the_days_index_leads_to_each_month_by_its_year() -> None:
    """Found living a six-year site (100,000 papers, HISTORY.md): the index of its days was 92
    screens of a phone, with no way to a month but scrolling."""
    papers = {p.id: p for p in map(_paper, range(1, 142))}
    page = _render(_site(papers, days=70), only=["days/index.html"])["days/index.html"].decode()
    jump = re.search(r'<nav aria-label="Months">(.*?)</nav>', page, re.S)
    assert jump, "no way to a month"
    lines = [
        " ".join(re.sub(r"<[^>]*>", " ", line).split()) for line in jump[1].strip().splitlines()
    ]
    assert lines == ["2026: Mar · Feb · Jan"]
    for month in ("2026-03", "2026-02", "2026-01"):
        assert f'<a href="#{month}" aria-label=' in jump[1] and f'id="{month}"' in page
    assert (
        '<nav aria-label="Months">'
        not in _render(_site(days=3), only=["days/index.html"])["days/index.html"].decode()
    ), "one month: nothing to jump to"


def test_the_top_papers_index_leads_to_each_years_weeks() -> None:
    """Found living a six-year site (100,000 papers, HISTORY.md): its 312 weeks were one list
    to scroll before the months."""
    papers = {p.id: p for p in map(_paper, range(1, 802))}
    site = _site(papers, days=400)  # Jan 1, 2026 to Feb 4, 2027
    page = _render(site, only=["top/index.html"])["top/index.html"].decode()
    jump = re.search(r'<nav aria-label="Weeks by year"><p>(.*?)</p></nav>', page)
    assert jump, "no way to a year's weeks"
    links = re.findall(r'<a href="#([^"]+)">(\d{4})</a>', jump[1])
    assert [year for _, year in links] == ["2027", "2026"]
    for anchor, year in links:
        # Each leads to its year's newest week, the first of the year's weeks listed.
        week = re.search(rf'<li id="{anchor}"><a href="week/(\d{{4}})-W(\d\d)/">', page)
        assert week and week[1] == year, anchor
    assert re.search(r'<li id="weeks-2026"><a href="week/2026-W53/">', page)
    one_year = _render(_site(), only=["top/index.html"])["top/index.html"].decode()
    assert "Weeks by year" not in one_year and 'id="weeks-' not in one_year


def test_a_topic_and_a_custom_feed_say_how_a_feed_is_followed() -> None:
    """A reader's trial on a phone: "Follow this topic as a feed (RSS, Atom, JSON)" and
    "Subscribe: RSS" opened a page of XML code; only the feeds' page said to copy the link
    into a reader."""
    text = (REPO / "site.toml").read_text() + (
        '\n[[custom_feeds]]\nname = "RL"\nslug = "rl"\nmatch = ["reinforcement learning"]\n'
    )
    config = dataclasses.replace(parse_config(text, source="site.toml"), base_url=BASE)
    only = ["topics/reinforcement-learning/index.html", "feeds/rl/index.html"]
    files = _render(_site(config=config), only=only)
    topic, custom = (_words(files[path]) for path in only)
    for text, asked in ((topic, "Follow this topic"), (custom, "Subscribe")):
        said = f"{asked} in a feed reader: copy the link of a feed into it ( RSS , Atom "
        assert said in text, text


# A topic no paper has (the acceptance test adds it to the small site too).
EMPTY_TOPIC = """
[[topics]]
slug = "quantum-chess"
name = "Quantum Chess"
kind = "facet"
description = "Chess on qubits."
keywords = ["quantum chess"]
"""


def test_a_topic_with_no_paper_has_feeds_that_say_so() -> None:
    """Readers refuse a feed without an item (feed-extractor: an Atom feed without <entry>
    is "Unrecognized feed format"): the feed has one saying why, that never changes its id."""
    text = (REPO / "site.toml").read_text() + EMPTY_TOPIC
    config = dataclasses.replace(parse_config(text, source="site.toml"), base_url=BASE)
    papers = {p.id: p for p in map(_paper, range(1, 13))}
    only = ["topics/quantum-chess/atom.xml", "topics/quantum-chess/index.html"]
    files = _render(_site(papers, days=4, config=config), only=only)
    page = files["topics/quantum-chess/index.html"].decode()
    # Its page says so once (a fork owner's trial: "0 papers, newest first").
    assert "No papers in this topic yet." in page and "0 papers" not in page
    # A day later: the same item, of the same date (found by a subscriber's trial: dated by
    # the newest day, it came back as updated every day).
    later = _render(_site(papers, days=5, config=config), only=["topics/quantum-chess/atom.xml"])
    for name in ("atom.xml", "rss.xml"):
        feed = feedparser.parse(files[f"topics/quantum-chess/{name}"])
        assert not feed.bozo, feed.get("bozo_exception")
        (entry,) = feed.entries
        assert entry.title == "Nothing here yet" and "Chess on qubits." in entry.summary
        assert entry.id == "tag:sitegen,2023:nothing-yet/topics/quantum-chess/"
        assert entry.link == f"{BASE}topics/quantum-chess/" and item_time(entry)
        (again,) = feedparser.parse(later[f"topics/quantum-chess/{name}"]).entries
        assert again == entry
    # The whole file too (a subscriber's trial: its own time moved with the newest day, so
    # the file changed every day with nothing new).
    assert later["topics/quantum-chess/atom.xml"] == files["topics/quantum-chess/atom.xml"]


# The window the tests of feeds' windows lay their days out for (site.toml's is 4).
def _three_days(config: SiteConfig) -> SiteConfig:
    return dataclasses.replace(config, feeds=dataclasses.replace(config.feeds, days=3))


def _site_with_a_big_day(config: object = CONFIG, *, reordered: bool = False) -> Site:
    """Four days: three of 5 papers, then one of 300 (the bundled latest day has 278); each
    day `reordered` lists its papers in the reverse order."""
    sizes = (5, 5, 5, 300)
    papers: dict[str, Paper] = {}
    days = {}
    for d, size in enumerate(sizes):
        day = date(2026, 2, 1) + timedelta(days=d)
        ids = [f"2602.{d}{n:04d}" for n in range(size)]
        papers.update(
            (i, _paper(1, id=i, arxiv_id=i, title=f"Reinforcement learning {i}")) for i in ids
        )
        entries = tuple(DayEntry(paper_id=i, title=i) for i in ids)
        days[day] = Day(day=day, entries=entries[::-1] if reordered else entries)
    return assemble_site(ContentSnapshot.of(papers, days), config)  # type: ignore[arg-type]


def _site_with_a_late_day(arrived_after: date | None, config: SiteConfig = CONFIG) -> Site:
    """Six days of 60 papers, Feb 1 to 6; Feb 1's ingested when the store's newest day was
    `arrived_after` (a day missed, then fetched again)."""
    return assemble_site(ContentSnapshot.of(*_days_with_a_late_day(arrived_after)), config)


def _days_with_a_late_day(arrived_after: date | None) -> tuple[dict[str, Paper], dict[date, Day]]:
    """The papers and days of `_site_with_a_late_day`."""
    papers: dict[str, Paper] = {}
    days = {}
    for d in range(6):
        day = date(2026, 2, 1) + timedelta(days=d)
        ids = [f"2602.{d}{n:04d}" for n in range(60)]
        papers.update(
            (i, _paper(1, id=i, arxiv_id=i, title=f"Reinforcement learning {i}")) for i in ids
        )
        late = arrived_after if d == 0 else None
        entries = tuple(DayEntry(paper_id=i, title=i) for i in ids)
        days[day] = Day(day=day, entries=entries, arrived_after=late)
    return papers, days


@pytest.mark.parametrize(
    ("arrived_after", "in_feeds"),
    [
        (None, False),
        (date(2026, 2, 3), False),
        (date(2026, 2, 4), True),  # with the window's oldest day: new to a reader who missed it
        (date(2026, 2, 5), True),
        (date(2026, 2, 6), True),
    ],
)
def test_a_day_that_came_late_is_in_the_feeds_while_the_day_it_came_with_is(
    arrived_after: date | None, in_feeds: bool
) -> None:
    """Found by a trial as a daily reader: a day fetched days late (a retried miss) is older
    than the latest [feeds] days = 3 (Feb 4 to 6), and no standing feed ever held its papers."""
    text = (REPO / "site.toml").read_text() + (
        '\n[[custom_feeds]]\nname = "RL"\nslug = "rl"\nmatch = ["reinforcement learning"]\n'
    )
    config = dataclasses.replace(parse_config(text, source="site.toml"), base_url=BASE)
    site = _site_with_a_late_day(arrived_after, _three_days(config))
    feeds = ("feed.json", "topics/reinforcement-learning/atom.xml", "feeds/rl/feed.json")
    files = _render(site, only=feeds)
    late = {f"tag:sitegen,2023:paper/2602.0{n:04d}" for n in range(60)}
    recent = {f"tag:sitegen,2023:paper/2602.{d}{n:04d}" for d in (3, 4, 5) for n in range(60)}
    for path in feeds:
        if path.endswith(".json"):
            ids = [item["id"] for item in json.loads(files[path])["items"]]
        else:
            ids = [entry.id for entry in feedparser.parse(files[path]).entries]
        got = set(ids)
        assert len(ids) == len(got) and set(ids[:180]) == recent, path  # the latest days first
        assert (late <= got) if in_feeds else not (late & got), path


def test_a_day_that_came_late_brings_into_a_feed_only_its_own_new_papers_of_that_feed() -> None:
    """A day fetched late (Feb 1, with Feb 5) that also lists a paper first featured on the day
    before it (Jan 31) and a paper of no topic of the feed: the feeds gain Feb 1's new papers, a
    topic's feed only those of the topic, and no feed brings back the paper of Jan 31."""
    papers, days = _days_with_a_late_day(date(2026, 2, 5))
    old, other = "2601.31000", "2602.09999"  # first featured on Jan 31; of no RL topic
    papers[old] = _paper(1, id=old, arxiv_id=old, title=f"Reinforcement learning {old}")
    papers[other] = _paper(
        1, id=other, arxiv_id=other, title="Protein folding", abstract="Proteins."
    )
    late, before = date(2026, 2, 1), date(2026, 1, 31)
    also = (DayEntry(paper_id=old, title=old), DayEntry(paper_id=other, title=other))
    days[late] = dataclasses.replace(days[late], entries=(*days[late].entries, *also))
    days[before] = Day(day=before, entries=also[:1])
    site = assemble_site(ContentSnapshot.of(papers, days), _three_days(CONFIG))
    topic = "topics/reinforcement-learning/atom.xml"
    files = _render(site, only=("feed.json", topic))
    in_all = {item["id"] for item in json.loads(files["feed.json"])["items"]}
    in_topic = {entry.id for entry in feedparser.parse(files[topic]).entries}
    tag = "tag:sitegen,2023:paper/"
    brought = {f"{tag}2602.0{n:04d}" for n in range(60)}
    assert brought <= in_all and brought <= in_topic
    assert f"{tag}{other}" in in_all and f"{tag}{other}" not in in_topic
    assert f"{tag}{old}" not in in_all | in_topic


def test_a_day_listed_in_a_new_order_keeps_the_dates_of_its_items() -> None:
    """Hugging Face lists a day by upvotes, which move: fetched again the next morning, a day
    comes in another order, and no item already published may change its date (some readers
    show an item whose date changed again, as updated)."""
    feeds = ("rss.xml", "atom.xml", "days/2026-02-04/rss.xml")

    def dates(site: Site) -> dict[str, dict[str, tuple[str, str]]]:
        files = _render(site, only=feeds)
        found: dict[str, dict[str, tuple[str, str]]] = {}
        for path in feeds:
            entries = feedparser.parse(files[path]).entries
            found[path] = {e.id: item_date(e) for e in entries}
        return found

    before, after = dates(_site_with_a_big_day()), dates(_site_with_a_big_day(reordered=True))
    assert all(len(before[path]) >= 300 for path in feeds)
    assert before == after


def test_a_300_paper_day_is_entirely_in_the_feeds_a_daily_reader_polls() -> None:
    site = _site_with_a_big_day(_three_days(CONFIG))
    feeds = ("feed.json", "rss.xml", "atom.xml", "topics/reinforcement-learning/atom.xml")
    files = _render(site, only=feeds)
    day = {f"tag:sitegen,2023:paper/2602.3{n:04d}" for n in range(300)}
    older = {f"tag:sitegen,2023:paper/2602.{d}{n:04d}" for d in (1, 2) for n in range(5)}
    items = json.loads(files["feed.json"])["items"]  # feedparser reads no JSON Feed
    assert len(items) == 310
    assert {i["id"] for i in items[:300]} == day and {i["id"] for i in items[300:]} == older
    assert items[0]["authors"] == [{"name": "Ada Lovelace"}, {"name": "Alan Turing"}]
    for path in ("rss.xml", "atom.xml", "topics/reinforcement-learning/atom.xml"):
        feed = feedparser.parse(files[path])
        assert not feed.bozo, (path, feed.get("bozo_exception"))
        ids = [entry.id for entry in feed.entries]
        # The latest [feeds] days = 3 days whole, newest first, however large; the day
        # before them only up to [feeds] items = 50.
        assert len(ids) == len(set(ids)) == 310, path
        assert set(ids[:300]) == day and set(ids[300:]) == older, path
        first = feed.entries[0]
        names = (
            ["Ada Lovelace, Alan Turing"] if path == "rss.xml" else ["Ada Lovelace", "Alan Turing"]
        )
        assert [a["name"] for a in first.authors] == names, path


def test_a_paper_of_hundreds_of_authors_names_twenty_and_counts_the_rest() -> None:
    """A reader's trial: a real 2024 paper of 533 authors filled a phone's first 6,000 px of
    its page with names, and a reader's item header with 90 lines. Its page names 20 and
    folds the rest (each still a link); its feed items name 20 and say how many more. A
    paper of exactly 20 is named whole, as before."""
    many = tuple(f"Author {n}" for n in range(533))
    papers = {p.id: p for p in map(_paper, range(1, 9))}
    papers["2501.00008"] = dataclasses.replace(papers["2501.00008"], authors=many)
    papers["2501.00007"] = dataclasses.replace(papers["2501.00007"], authors=many[:20])
    papers["2501.00006"] = dataclasses.replace(papers["2501.00006"], authors=many[:21])
    site = _site(papers)
    files = _render(
        site,
        only=(
            "rss.xml", "atom.xml", "feed.json",
            "papers/2501.00008/index.html", "papers/2501.00007/index.html",
            "papers/2501.00006/index.html",
        ),
    )  # fmt: skip
    page = files["papers/2501.00008/index.html"].decode()
    shown, folded = page.split('<details class="more-authors">')
    assert shown.count('href="../../search/?q=author%3A%22Author+') == 20
    assert "<summary>and 513 more authors</summary>" in folded
    assert folded.split("</details>")[0].count('href="../../search/?q=author%3A%22') == 513
    assert 'href="../../search/?q=author%3A%22Author+532%22"' in folded
    assert "<summary>and 1 more author</summary>" in files["papers/2501.00006/index.html"].decode()
    whole = files["papers/2501.00007/index.html"].decode()
    assert "more-authors" not in whole and whole.count("?q=author%3A%22Author+") == 20
    named = [*many[:20], "and 513 more"]
    for path in ("rss.xml", "atom.xml"):
        entries = {e.id: e for e in feedparser.parse(files[path]).entries}
        long, twenty = (entries[f"tag:sitegen,2023:paper/2501.0000{n}"] for n in (8, 7))
        got = [a["name"] for a in long.authors]
        assert got == ([", ".join(named)] if path == "rss.xml" else named), path
        assert len(twenty.authors) == (1 if path == "rss.xml" else 20), path
    items = {i["id"]: i for i in json.loads(files["feed.json"])["items"]}
    assert [a["name"] for a in items["tag:sitegen,2023:paper/2501.00008"]["authors"]] == named


def test_authors_a_listing_did_not_name_are_counted_on_the_paper_page_and_in_feeds() -> None:
    """64f0fa2 counted an author whose name shows nothing on the card ("A, B and 2 more"), but
    the paper's page named the two alone and said no more, nor did its feed items' authors: a
    reader of the page or the feed was told of two authors of four."""
    many = tuple(f"Author {n}" for n in range(21))
    papers = {p.id: p for p in map(_paper, range(1, 9))}
    papers["2501.00008"] = dataclasses.replace(papers["2501.00008"], authors_count=4)
    papers["2501.00007"] = dataclasses.replace(papers["2501.00007"], authors=many, authors_count=23)
    files = _render(
        _site(papers),
        only=(
            "rss.xml", "atom.xml", "feed.json", "days/2026-01-04/index.html",
            "papers/2501.00008/index.html", "papers/2501.00007/index.html",
        ),
    )  # fmt: skip
    assert "Ada Lovelace, Alan Turing and 2 more" in files["days/2026-01-04/index.html"].decode()
    few = _words(files["papers/2501.00008/index.html"])
    assert "Ada Lovelace , Alan Turing and 2 more" in few, few
    page = files["papers/2501.00007/index.html"].decode()
    assert "<summary>and 3 more authors</summary>" in page
    assert "Author 20 and 2 more" in _words(page.encode())
    named = {
        "tag:sitegen,2023:paper/2501.00008": ["Ada Lovelace", "Alan Turing", "and 2 more"],
        "tag:sitegen,2023:paper/2501.00007": [*many[:20], "and 3 more"],
    }
    for path in ("rss.xml", "atom.xml"):
        entries = {e.id: e for e in feedparser.parse(files[path]).entries}
        for item_id, names in named.items():
            got = [a["name"] for a in entries[item_id].authors]
            assert got == ([", ".join(names)] if path == "rss.xml" else names), (path, item_id)
    items = {i["id"]: i for i in json.loads(files["feed.json"])["items"]}
    for item_id, names in named.items():
        assert [a["name"] for a in items[item_id]["authors"]] == names, item_id


def test_a_custom_feed_holds_every_paper_it_admits_of_the_latest_days() -> None:
    """As the standing feeds: the 300 papers of the latest day and the 10 before it that the
    feed admits, not the newest [feeds] items = 50 alone."""
    text = (REPO / "site.toml").read_text() + (
        '\n[[custom_feeds]]\nname = "RL"\nslug = "rl"\nmatch = ["reinforcement learning"]\n'
    )
    config = dataclasses.replace(parse_config(text, source="site.toml"), base_url=BASE)
    files = _render(
        _site_with_a_big_day(_three_days(config)),
        only=["feeds/rl/feed.json", "feeds/rl/index.html"],
    )
    items = json.loads(files["feeds/rl/feed.json"])["items"]
    assert len(items) == 310
    latest = "tag:sitegen,2023:paper/2602.3"  # 2602.3NNNN: the latest day's, first
    assert all(i["id"].startswith(latest) for i in items[:300])
    page = " ".join(files["feeds/rl/index.html"].decode().split())
    held = "every paper it admits first featured on the latest 3 days, and at least the newest 50"
    assert held in page


def test_the_feeds_window_is_set_in_site_toml() -> None:
    feeds = dataclasses.replace(CONFIG.feeds, days=1, items=20)
    site = _site_with_a_big_day(dataclasses.replace(CONFIG, feeds=feeds))
    entries = feedparser.parse(_render(site, only=["rss.xml"])["rss.xml"]).entries
    assert len(entries) == 300
    small = dataclasses.replace(CONFIG.feeds, days=1, items=400)
    site = _site_with_a_big_day(dataclasses.replace(CONFIG, feeds=small))
    assert len(feedparser.parse(_render(site, only=["rss.xml"])["rss.xml"]).entries) == 315


def test_authors_and_organisations_are_text_on_cards_and_in_feeds() -> None:
    hostile = _paper(
        1,
        authors=("<img src=x onerror=alert(1)>", "Ada & Co"),
        organization=Organization(handle="evil", name="<script>x</script>"),
        github_url="https://github.com/a/b?x=1&y='2'",
        project_url="https://example.org/?q=<2>",  # no URL: not linked (pages.web_url)
        upvotes=99,  # its day's first, so on its topic's front page
    )
    files = _render(_site({hostile.id: hostile, **{p.id: p for p in map(_paper, range(2, 5))}}))
    for path in ("days/2026-01-01/index.html", "topics/reinforcement-learning/index.html"):
        page = files[path].decode()
        assert "<img" not in page and "<script>x" not in page, path
        assert "&lt;img src=x onerror=alert(1)&gt;, Ada &amp; Co" in page, path
        assert 'href="https://github.com/a/b?x=1&amp;y=&#39;2&#39;"' in page, path
        assert "example.org" not in page, path
    entry = next(
        e for e in feedparser.parse(files["atom.xml"]).entries if e.id.endswith("/2501.00001")
    )
    assert [a["name"] for a in entry.authors] == ["<img src=x onerror=alert(1)>", "Ada & Co"]
    content = entry.content[0].value
    assert "<script>" not in content and "&lt;script&gt;x&lt;/script&gt;" in content


def test_a_card_shows_the_abstracts_start_and_a_topics_archive_line_its_facts_alone() -> None:
    """A day's card says what the paper is about, the start of its abstract; a topic's
    archive page is an index of one line a paper, no summary. Its authors unnamed, a card
    counts them: "1 author", "2 authors" (h11: cards without their summary, and the archive
    lines with one, survived every test; so did "1 authors")."""
    papers = {p.id: p for p in map(_paper, range(1, 9))}
    for n, count in ((1, 1), (2, 2)):
        papers[f"2501.0000{n}"] = _paper(n, authors=(), authors_count=count)
    papers["2501.00004"] = _paper(4, authors=("A", "B", "C", "D"))
    papers["2501.00005"] = _paper(5, authors=("E", "F", "G"))
    files = _render(_site(papers))
    day = files["days/2026-01-01/index.html"].decode()
    # Three names, then how many more (h11: "and 1 more" left off survived).
    assert "<span>A, B, C and 1 more</span>" in files["days/2026-01-02/index.html"].decode()
    assert "<span>E, F, G</span>" in files["days/2026-01-02/index.html"].decode()
    # Off its day, a card links the day that featured it, at its card (h11: dropped, survived).
    front = files["topics/llm/index.html"].decode()
    card = front.split('href="../../papers/2501.00008/"')[1].split("</li>")[0]
    assert '<a href="../../days/2026-01-04/#paper-2501.00008">Jan 4, 2026</a>' in card
    # On a topic's page, a card links the paper's other topics, not the one it is on (h11:
    # a card made for one topic's page shown on another's survived).
    for topic, other in (("llm", "reinforcement-learning"), ("reinforcement-learning", "llm")):
        card = files[f"topics/{topic}/index.html"].decode().split("papers/2501.00008/")[1]
        linked = re.findall(r'<a href="../../topics/([^"/]+)/">', card.split("</li>")[0])
        assert linked == [other], topic
    for n in (3, 2, 1):
        card = day.split(f'id="paper-2501.0000{n}"')[1].split("</li>")[0]
        assert f"<p>We study *reinforcement learning* with language models, part {n}.</p>" in card
    assert "<span>1 author</span>" in day and "<span>2 authors</span>" in day
    archive = files["topics/llm/page/1/index.html"].decode()
    assert _listed(archive.encode()) == ["2501.00002", "2501.00001"]
    assert "We study" not in archive and "<small>Jan 1, 2026 · 1 upvote · 1 author ·" in archive


# Top papers, custom feeds and trends: a site of six days, Thursday Jan 1 to Tuesday Jan 6, 2026,
# so ISO week 1 is closed and week 2 (the newest day's) is open.
def _six_days(papers: dict[str, Paper]) -> Site:
    return _site(papers, days=6)


def _twelve() -> dict[str, Paper]:
    return {p.id: p for p in map(_paper, range(1, 13))}


DIFFUSION = "We train a diffusion model to denoise reinforcement learning rollouts."
NEW_KINDS: list[tuple[str, Callable[[dict[str, Paper]], dict[str, Paper]], tuple[str, ...]]] = [
    (
        "upvotes that reorder the top",
        lambda ps: {**ps, "2501.00001": _paper(1, upvotes=500)},
        (
            "top/week/2026-W01/index.html",
            "top/week/2026-W01/feed.json",
            "top/month/2026-01/atom.xml",
            "top/weekly/rss.xml",
        ),
    ),
    (
        "an abstract that a custom feed matches",
        lambda ps: {**ps, "2501.00004": _paper(4, abstract=DIFFUSION)},
        ("feeds/diffusion-models/index.html", "feeds/diffusion-models/feed.json"),
    ),
    (
        "a paper added",
        lambda ps: {**ps, "2501.00013": _paper(13)},
        ("topics/index.html", "topics/llm/index.html", "top/week/2026-W02/rss.xml"),
    ),
]


def test_a_papers_page_names_each_day_that_featured_it_with_its_rank_there() -> None:
    """The rank a paper's page gives for each of its days is the one its card has on that
    day's page, and the link leads to that card (h11: ranks counted from 2 on paper pages
    alone survived every test)."""
    files = _render(_site())
    page = files["papers/2501.00003/index.html"].decode()
    days = re.findall(r'<a href="([^"]*days/[^"]+)">([^<]+)</a>', page)
    assert days[0] == ("../../days/2026-01-01/#paper-2501.00003", "Jan 1, 2026 (#1)")
    assert days[1:] == [
        ("../../days/2026-01-01/#paper-2501.00003", "Jan 1, 2026 (#1)"),
        ("../../days/2026-01-02/#paper-2501.00003", "Jan 2, 2026 (#3)"),
    ]
    for day, rank in (("2026-01-01", 1), ("2026-01-02", 3)):
        card = files[f"days/{day}/index.html"].decode().split('id="paper-2501.00003"')[1]
        assert card.split("</li>")[0].count(f'<span class="rank">#{rank}</span>') == 1


def test_a_weeks_top_page_shows_the_day_of_that_week_that_featured_a_paper() -> None:
    """Found by a reader's review: a paper of Nov 3, 2025, featured again on Nov 22, 2026,
    said "Nov 3, 2025" on the page of Nov 16 to 22, 2026."""
    papers = {p.id: p for p in map(_paper, range(1, 3))}
    first, second = sorted(papers)
    days = {
        day: Day(day=day, entries=tuple(DayEntry(paper_id=i, title=i) for i in ids))
        for day, ids in (
            (date(2026, 1, 1), (first,)),
            (date(2026, 1, 8), (second, first)),
            (date(2026, 1, 15), (second,)),
        )
    }
    site = assemble_site(ContentSnapshot.of(papers, days), CONFIG)
    page = _render(site, only=["top/week/2026-W02/index.html"])["top/week/2026-W02/index.html"]
    assert "Jan 8, 2026" in page.decode() and "Jan 1, 2026" not in page.decode()
    # Each period's page its own day, the whole site rendered at once: the week of Jan 8 and
    # the month rank the two papers alike, and a card made for one was shown on the other
    # (h11: a mutant that left the period out of the cards' cache survived).
    files = _render(site)

    def featured(path: str) -> dict[str, str]:
        cards = re.findall(
            r'<a href="[^"]*papers/([^"/]+)/">.*?<a href="[^"]*days/[^"]+">([^<]+)</a>',
            files[path].decode(),
            re.S,
        )
        return dict(cards)

    assert featured("top/week/2026-W02/index.html") == {first: "Jan 8, 2026", second: "Jan 8, 2026"}
    assert featured("top/month/2026-01/index.html") == {first: "Jan 1, 2026", second: "Jan 8, 2026"}
    assert featured("top/week/2026-W03/index.html") == {second: "Jan 15, 2026"}


def test_each_weeks_and_months_top_page_links_the_one_before_and_after() -> None:
    """A week's or a month's page of top papers leads to the one before (←) and the one after
    (→), and the first and last to none: a reader goes from week to week (h11: the links
    dropped, every period's page a dead end, survived every test)."""
    papers = {p.id: p for p in map(_paper, range(1, 4))}
    days = {
        day: Day(day=day, entries=(DayEntry(paper_id=i, title=i),))
        for day, i in zip(
            (date(2025, 12, 24), date(2026, 1, 1), date(2026, 1, 8)), sorted(papers), strict=True
        )
    }
    files = _render(assemble_site(ContentSnapshot.of(papers, days), CONFIG))
    for kind, periods in (
        ("week", ["2025-W52", "2026-W01", "2026-W02"]),
        ("month", ["2025-12", "2026-01"]),
    ):
        pages = [f"top/{kind}/{slug}/index.html" for slug in periods]
        for rel, order in (("next", pages), ("prev", pages[::-1])):
            followed = [order[0]]
            while (path := _pager(files[followed[-1]], followed[-1], rel)) is not None:
                followed.append(path)
            assert followed == order, (kind, rel)
    week = files["top/week/2026-W01/index.html"].decode()
    assert (
        "← Week 52 of 2025 (Dec 22 to 28)</a>" in week and "Week 2 of 2026 (Jan 5 to 11) →" in week
    )
    # Its papers ranked from #1 (h11: ranks counted from 2 on these pages survived).
    assert re.findall(r'<span class="rank">(#\d+)</span>', week) == ["#1"]
    month = files["top/month/2026-01/index.html"].decode()
    assert re.findall(r'<span class="rank">(#\d+)</span>', month) == ["#1", "#2"]


def test_a_day_and_a_week_show_the_counts_they_rank_by_and_claim_no_ranking_without() -> None:
    """A reader's trial: a paper featured again showed its later count on an earlier day,
    which ranked it by that day's; a day and a week whose listings had no count said "the most
    upvoted first" of papers counted on other days."""
    papers = {
        p.id: p for p in (_paper(1, upvotes=50), _paper(2, upvotes=7), _paper(3, upvotes=None))
    }
    one, two, three = sorted(papers)
    listed = (
        (date(2026, 1, 1), ((one, 5), (two, 7))),  # one: 5 that day, 50 since
        (date(2026, 1, 8), ((one, 50),)),
        (date(2026, 1, 22), ((three, None), (one, None))),  # a text capture without counts
    )
    days = {
        day: Day(day=day, entries=tuple(DayEntry(paper_id=i, title=i, upvotes=n) for i, n in ids))
        for day, ids in listed
    }
    site = assemble_site(ContentSnapshot.of(papers, days), CONFIG)
    paths = ["days/2026-01-01/index.html", "days/2026-01-22/index.html"]
    paths += ["top/week/2026-W04/index.html", "top/weekly/rss.xml", "top/week/2026-W04/rss.xml"]
    first, counted_none, week, weekly, week_feed = (
        page.decode() for page in map(_render(site, paths).get, paths)
    )
    assert re.findall(r"<span>(\d+) upvotes?</span>", first) == ["7", "5"]  # ranked so
    assert "the most upvoted first" in first
    assert "upvote" not in counted_none.partition("<ol")[2]
    assert "in the order Daily Papers listed them" in counted_none
    assert "most upvoted" not in week
    assert "No paper featured in Week 4 of 2026 (Jan 19 to 25) has an upvote count yet" in week
    # The feeds as the pages: the weekly digest's item of the closed week 1, the open week 4.
    digest = next(e for e in feedparser.parse(weekly).entries if "Week 1 " in e.title).description
    assert re.findall(r"\((\d+) upvotes?\)", digest) == ["7", "5"]
    described = feedparser.parse(week_feed).feed.description
    assert "most upvoted" not in described and "none has an upvote count yet" in described


@pytest.mark.parametrize(("change", "edit", "paths"), NEW_KINDS, ids=[c[0] for c in NEW_KINDS])
def test_top_custom_and_trend_outputs_change_under_a_new_key(
    change: str, edit: Callable[[dict[str, Paper]], dict[str, Paper]], paths: tuple[str, ...]
) -> None:
    before, after = _six_days(_twelve()), _six_days(edit(_twelve()))
    old_files, new_files = _render(before), _render(after)
    old_keys, new_keys = _keys(before), _keys(after)
    for path in paths:
        assert old_files.get(path) != new_files[path], (change, path)
        assert old_keys.get(path) != new_keys[path], (change, path)
    assert old_keys["feeds/index.html"] == new_keys["feeds/index.html"]


def test_a_week_ranks_by_upvotes_and_the_newest_week_is_open() -> None:
    papers = {**_twelve(), "2501.00002": _paper(2, upvotes=None)}
    files = _render(_six_days(papers))
    closed = files["top/week/2026-W01/index.html"].decode()
    assert "still open" not in closed and "Week 1 of 2026 (Dec 29 to Jan 4)" in closed
    ranked = re.findall(r'href="../../../papers/([\d.]+)/"', closed)
    # Days 1-4 featured papers 1 to 9; most upvotes first, no count last.
    assert ranked == [f"2501.{n:05d}" for n in (9, 8, 7, 6, 5, 4, 3, 1, 2)]
    # Said of the list (a reader's trial: "the 30 most upvoted" where 3 had a count).
    assert (
        "the 8 with an upvote count, the most upvoted first, then 1 without one, in the order"
        " Daily Papers featured them" in closed
    )
    assert "most upvoted of" not in closed
    assert "still open" in files["top/week/2026-W02/index.html"].decode()
    assert "still open" in files["top/index.html"].decode()
    digest = feedparser.parse(files["top/weekly/atom.xml"])
    assert not digest.bozo and [e.id for e in digest.entries] == ["tag:sitegen,2023:week/2026-W01"]
    # The week's item lists its papers as the page does: each with the count it ranks by, the
    # one without a count with none, and nothing else between them.
    shown = re.sub(r"<[^>]+>", "\n", digest.entries[0].content[0].value).split()
    said = " ".join(shown).replace(" on reinforcement learning and language models", "")
    assert said == (
        "Paper 9 (9 upvotes) Paper 8 (8 upvotes) Paper 7 (7 upvotes) Paper 6 (6 upvotes)"
        " Paper 5 (5 upvotes) Paper 4 (4 upvotes) Paper 3 (3 upvotes) Paper 1 (1 upvote)"
        " Paper 2"
    )


def test_a_week_or_month_of_few_papers_lists_them_all_without_a_rank_among_as_many() -> None:
    """Found by a fork owner's trial of its first week: a young site's open week said "The 7
    most upvoted of the 7 papers featured", a week of one paper "The 1 most upvoted of the 1
    paper", and a week of some without a count "3 of the 3 papers featured"."""
    papers = {p.id: p for p in map(_paper, range(1, 4))}
    one_day = _render(_site(papers, days=1), only=["top/week/2026-W01/index.html"])
    week = _words(one_day["top/week/2026-W01/index.html"])
    assert (
        "The 3 papers featured in Week 1 of 2026 (Dec 29 to Jan 4) so far, the most upvoted"
        " first: days may still arrive in this week, so its ranking may change." in week
    )
    alone = {"2501.00001": _paper(1)}
    one_paper = _render(_site(alone, days=1), only=["top/month/2026-01/index.html"])
    month = _words(one_paper["top/month/2026-01/index.html"])
    assert "The one paper featured in January 2026 so far: days may still arrive" in month
    unrated = {**papers, "2501.00002": _paper(2, upvotes=None)}
    some = _render(_site(unrated, days=1), only=["top/week/2026-W01/index.html"])
    assert "The 3 papers featured in Week 1 of 2026 (Dec 29 to Jan 4) so far: the 2 with" in (
        _words(some["top/week/2026-W01/index.html"])
    )
    for text in (week, month, _words(some["top/week/2026-W01/index.html"])):
        assert not re.search(r"\b(\d+) most upvoted of the \1\b|\b(\d+) of the \2\b", text)


def test_a_week_with_a_day_a_fetch_will_try_again_stays_open_and_out_of_the_weekly_feed() -> None:
    """Closed short of a day only late, a week's item in the weekly feed would change under its
    readers when the day came (found by a subscriber's trial)."""
    saturday = frozenset({date(2026, 1, 3)})  # of week 1, which ends on Jan 4; Jan 5 and 6: week 2
    for held in (False, True):  # missed on its day; or had while filling, its completion missed
        files = _render(_site(_twelve(), days=6, missed=saturday, held=held))
        assert "still open" in files["top/week/2026-W01/index.html"].decode()
        assert 'Week 1 of 2026 (Dec 29 to Jan 4)</a> <span class="count">' in (
            files["top/index.html"].decode()
        )
        digest = feedparser.parse(files["top/weekly/atom.xml"])
        assert [e.id for e in digest.entries] == ["tag:sitegen,2023:nothing-yet/top/"]
    files = _render(_site(_twelve(), days=6))
    digest = feedparser.parse(files["top/weekly/atom.xml"])
    assert [e.id for e in digest.entries] == ["tag:sitegen,2023:week/2026-W01"]


def test_the_monthly_feed_has_an_item_per_closed_month_listing_its_top_papers() -> None:
    """Found by a subscriber's trial: a reader could follow the top papers of each week, but
    of each month only one month's feed at a time, a new URL every month."""
    papers = {p.id: p for p in map(_paper, range(1, 4))}
    listed = {date(2026, 1, 30): (1, 2), date(2026, 2, 2): (3,)}  # January closed, February open
    days = {
        day: Day(day=day, entries=tuple(DayEntry(paper_id=f"2501.{n:05d}", title="") for n in ns))
        for day, ns in listed.items()
    }
    site = assemble_site(ContentSnapshot.of(papers, days), CONFIG)
    monthly = ("top/monthly/atom.xml", "top/monthly/rss.xml")
    files = _render(site, only=(*monthly, "feeds/index.html", "feeds.opml", "top/index.html"))
    for path in monthly:
        feed = feedparser.parse(files[path])
        assert not feed.bozo and [e.id for e in feed.entries] == ["tag:sitegen,2023:month/2026-01"]
        (item,) = feed.entries
        assert (
            item.title == "Top papers of January 2026" and item.link == BASE + "top/month/2026-01/"
        )
        ranked = re.findall(r"papers/(2501\.\d+)/", item.description)
        assert ranked == ["2501.00002", "2501.00001"]  # most upvoted first
        assert feed.feed.link == BASE + "top/#months"
    top_index = files["top/index.html"].decode()
    assert '<section class="month" id="months">' in top_index
    # In the format of the weekly feed's link beside it (a fork owner's trial: RSS, then Atom).
    weekly = re.search(r'href="([^"]*)">weekly feed</a>', top_index)
    assert weekly and weekly[1].endswith("/rss.xml")
    assert 'href="monthly/rss.xml">monthly feed</a>' in top_index
    assert 'href="../top/monthly/rss.xml"' in files["feeds/index.html"].decode()
    assert f'xmlUrl="{BASE}top/monthly/atom.xml"' in files["feeds.opml"].decode()


def test_a_weeks_page_and_feeds_list_its_20_top_papers_and_a_months_its_30() -> None:
    """docs/configuration.md: "a page of its most upvoted papers (20 of a week, 30 of a
    month)"; no test counted them (a mutation test: 21 and 31 passed)."""
    site = _site_with_a_big_day()  # Feb 2 to 4, 2026 (week 6): 310 papers; February: 315
    week, month = "top/week/2026-W06/", "top/month/2026-02/"
    paths = [f"{folder}{name}" for folder in (week, month) for name in ("index.html", "feed.json")]
    files = _render(site, only=paths)
    for folder, count in ((week, 20), (month, 30)):
        page = files[f"{folder}index.html"].decode()
        assert len(set(re.findall(r'href="../../../papers/([\d.]+)/"', page))) == count, folder
        assert len(json.loads(files[f"{folder}feed.json"])["items"]) == count, folder


def test_the_weekly_and_monthly_feeds_keep_the_newest_12_closed_periods() -> None:
    """docs/configuration.md: the weekly feed has "one item per closed week, the newest 12",
    the monthly one "the same of the newest 12 closed months"; no test held more than 12."""
    papers = {p.id: p for p in map(_paper, range(1, 4))}
    # A day a week for 60 weeks from Thursday Jan 1, 2026: 59 closed weeks, 13 closed months.
    days = {
        day: Day(day=day, entries=tuple(DayEntry(paper_id=i, title=i) for i in papers))
        for day in (date(2026, 1, 1) + timedelta(weeks=n) for n in range(60))
    }
    site = assemble_site(ContentSnapshot.of(papers, days), CONFIG)
    feeds = ("top/weekly/atom.xml", "top/monthly/atom.xml")
    weekly, monthly = (feedparser.parse(f) for f in map(_render(site, only=feeds).get, feeds))
    assert [e.id.rpartition("/")[2] for e in weekly.entries] == [
        f"2027-W{n:02d}" for n in range(6, 0, -1)
    ] + [f"2026-W{n:02d}" for n in range(53, 47, -1)]
    assert [e.id.rpartition("/")[2] for e in monthly.entries] == [
        "2027-01",
        *(f"2026-{n:02d}" for n in range(12, 1, -1)),
    ]


def test_a_custom_feeds_key_moves_with_its_window_though_its_candidates_stay() -> None:
    """Found by a review: a new day that only features papers again leaves a custom feed's
    candidates as they were, but moves the window of the latest [feeds] days that chooses
    among them; its key did not move, and an incremental build kept the feed a cold build
    no longer made (it had moved with the newest day, dropped from the feeds' inputs)."""
    text = (REPO / "site.toml").read_text() + (
        '\n[[custom_feeds]]\nname = "RL"\nslug = "rl"\nmatch = ["reinforcement learning"]\n'
    )
    config = dataclasses.replace(parse_config(text, source="site.toml"), base_url=BASE)
    config = dataclasses.replace(config, feeds=dataclasses.replace(config.feeds, items=1, days=2))
    papers = {p.id: p for p in map(_paper, range(1, 81))}
    ids = sorted(papers)

    def site(days: int) -> Site:
        """Two new papers a day for 40 days, but the 11th and the 41st feature again two of
        the first day's: the 41st leaves the papers of the latest CUSTOM_FEED_DAYS (30) days,
        the custom feeds' candidates, as they were."""
        listed = {}
        for d in range(days):
            day = date(2026, 1, 1) + timedelta(days=d)
            shown = ids[:2] if d in (10, 40) else ids[2 * d : 2 * d + 2]
            listed[day] = Day(day=day, entries=tuple(DayEntry(paper_id=i, title=i) for i in shown))
        return assemble_site(ContentSnapshot.of(papers, listed), config)

    paths = ("feeds/rl/atom.xml", "feeds/rl/index.html")
    rendered, keys = [], []
    for each in (site(40), site(41)):
        routes, states = Routes(each.config.base_url), paper_states(each)
        rendered.append(_render(each, only=paths))
        keys.append(
            {
                path: output_key(output, setup="", paper_states=states)
                for output in plan(each, routes)
                for path in output.paths
                if path in paths
            }
        )
    for path in paths:
        assert rendered[0][path] != rendered[1][path], path  # the window moved
        assert keys[0][path] != keys[1][path], path  # and so did its key


def test_a_custom_feed_chooses_among_the_latest_thirty_days_alone() -> None:
    """docs/configuration.md: a custom feed holds at least the newest `[feeds] items` papers
    it admits "of the latest 30 days the site lists": a paper it admits on the 31st day back
    is in none of its outputs, though the feed has room (h14: 31 days survived the tests)."""
    text = (REPO / "site.toml").read_text() + (
        '\n[[custom_feeds]]\nname = "RL"\nslug = "rl"\nmatch = ["reinforcement learning"]\n'
    )
    config = dataclasses.replace(parse_config(text, source="site.toml"), base_url=BASE)
    config = dataclasses.replace(config, feeds=dataclasses.replace(config.feeds, items=50, days=2))
    papers = {p.id: p for p in map(_paper, range(1, 32))}
    listed = {
        day: Day(day=day, entries=(DayEntry(paper_id=f"2501.{d + 1:05d}", title="t"),))
        for d in range(31)
        for day in [date(2026, 1, 1) + timedelta(days=d)]
    }
    site = assemble_site(ContentSnapshot.of(papers, listed), config)
    feed = feedparser.parse(_render(site, only=["feeds/rl/atom.xml"])["feeds/rl/atom.xml"])
    held = [e.link.rstrip("/").rpartition("/")[2] for e in feed.entries]
    assert held == [f"2501.{n:05d}" for n in range(31, 1, -1)]  # Jan 31 back to Jan 2
    # With fewer `items` than it admits, the newest `items` of them and no more (h14: a
    # mutant that held one more survived): each day's one paper is of the latest 2 days.
    config = dataclasses.replace(config, feeds=dataclasses.replace(config.feeds, items=3))
    site = assemble_site(ContentSnapshot.of(papers, listed), config)
    feed = feedparser.parse(_render(site, only=["feeds/rl/atom.xml"])["feeds/rl/atom.xml"])
    held = [e.link.rstrip("/").rpartition("/")[2] for e in feed.entries]
    assert held == ["2501.00031", "2501.00030", "2501.00029"]


def test_a_custom_feeds_time_moves_with_its_own_items_days_alone() -> None:
    """Found by a review: a custom feed took the end of every day a fetch had whole among all
    its candidates as its time, so it moved with days it listed nothing of."""
    text = (REPO / "site.toml").read_text() + (
        '\n[[custom_feeds]]\nname = "Chess"\nslug = "chess"\nmatch = ["quantum chess"]\n'
    )
    config = dataclasses.replace(parse_config(text, source="site.toml"), base_url=BASE)
    papers = {p.id: p for p in map(_paper, range(1, 9))}
    papers["2501.00002"] = _paper(2, title="Quantum chess engines")  # on Jan 1 alone
    site = _site(papers, days=4, config=config, whole=frozenset({date(2026, 1, 4)}))
    feed = feedparser.parse(_render(site, only=["feeds/chess/atom.xml"])["feeds/chess/atom.xml"])
    (entry,) = feed.entries
    assert entry.title == "Quantum chess engines"
    # The end of its item's day, which a fetch had whole: not of Jan 4, which lists none of it.
    assert feed.feed.updated_parsed[:6] == (2026, 1, 2, 0, 0, 0)


def test_top_and_custom_feeds_parse_and_each_page_advertises_its_three_feeds() -> None:
    papers = {**_twelve(), "2501.00004": _paper(4, abstract=DIFFUSION)}
    files = _render(_six_days(papers))
    for listing in ("top/week/2026-W01/", "top/month/2026-01/", "feeds/diffusion-models/"):
        for name in ("rss.xml", "atom.xml"):
            feed = feedparser.parse(files[listing + name])
            assert not feed.bozo and feed.entries, listing + name
        json_feed = json.loads(files[listing + "feed.json"])
        assert json_feed["feed_url"] == BASE + listing + "feed.json"
        assert json_feed["home_page_url"] == BASE + listing and json_feed["items"]
        page = files[listing + "index.html"].decode()
        for kind, name in (
            ("rss+xml", "rss.xml"),
            ("atom+xml", "atom.xml"),
            ("feed+json", "feed.json"),
        ):
            assert f'<link rel="alternate" type="application/{kind}"' in page
            assert f'href="{name}">' in page
    # The most upvoted papers, each with its count first, as on the period's page (a user's
    # trial: the feed showed none); paper n has n upvotes.
    for name in ("rss.xml", "atom.xml"):
        entries = feedparser.parse(files["top/week/2026-W01/" + name]).entries
        shown = [re.match(r"(\d+) upvotes? · \w", entry.summary) for entry in entries]
        counts = [int(match[1]) if match else None for match in shown]
        assert counts == [int(e.link.rstrip("/").rsplit(".", 1)[1]) for e in entries], counts
        assert counts == sorted(counts, reverse=True), counts  # type: ignore[type-var]
    custom = json.loads(files["feeds/diffusion-models/feed.json"])
    assert [item["id"] for item in custom["items"]] == ["tag:sitegen,2023:paper/2501.00004"]
    listed = files["feeds/index.html"].decode() + files["feeds.opml"].decode()
    assert "feeds/diffusion-models/atom.xml" in listed and "top/weekly/atom.xml" in listed


def test_a_json_feed_item_of_a_paper_with_no_abstract_and_no_count_still_has_content() -> None:
    """JSON Feed 1.1: an item's `content_html` or `content_text` "must be present" (the
    checkers' jsonfeed check wants one not empty). A week's feed gives a paper its summary
    after its count: a paper of a text capture (no count) whose abstract is empty (a
    listing without one, or deleted by hand) had `"content_text": ""`."""
    papers = {p.id: p for p in map(_paper, range(1, 13))}
    papers["2501.00005"] = _paper(5, abstract="", upvotes=None)
    files = _render(_six_days(papers))
    feeds = [path for path in files if path.endswith("feed.json")]
    assert "top/week/2026-W01/feed.json" in feeds
    for path in feeds:
        for item in json.loads(files[path])["items"]:
            assert item.get("content_html") or item.get("content_text"), (path, item["id"])
    (item,) = (
        i
        for i in json.loads(files["top/week/2026-W01/feed.json"])["items"]
        if i["id"].endswith("2501.00005")
    )
    assert item["content_text"] == item["title"]  # what its page's card shows first


def _listed(page: bytes) -> list[str]:
    """The ids of the papers a listing page shows, in its order (each card's title links the
    paper's page)."""
    return re.findall(r'<a href="[^"]*papers/([^"/]+)/">', page.decode())


def _pager(page: bytes, path: str, rel: str) -> str | None:
    """The path of the page a listing's pager links as `rel` ("next": older), followed from
    `path` as a browser resolves the link, if it has one."""
    found = re.search(rf'<a rel="{rel}" href="([^"]+)"', page.decode())
    if found is None:
        return None
    return urljoin(f"{BASE}{path}", found[1]).removeprefix(BASE) + "index.html"


def test_a_topics_pages_followed_from_its_own_list_each_paper_once_newest_first() -> None:
    """A topic's page and its archive, read as a reader reads them: from the topic's page,
    "Older papers" to the oldest, every paper once, newest first; each archive page a full
    page (here 2 papers) numbered from the oldest, the topic's page the newest rest (2 to 3),
    and "Newer papers" leads back the same way. A front page that showed one paper more, or
    an archive page shifted by one, showed a paper twice and left another on no page, which
    only the golden feeds' tests could not see (h11: mutants of TopicListing survived)."""
    site = _site({p.id: p for p in map(_paper, range(1, 12))}, days=5)
    files = _render(site)
    pages: list[str] = []
    path: str | None = "topics/llm/index.html"
    while path is not None:
        pages.append(path)
        path = _pager(files[path], path, "next")
    assert pages == [
        "topics/llm/index.html",
        *(f"topics/llm/page/{n}/index.html" for n in (4, 3, 2, 1)),
    ]
    shown = [_listed(files[p]) for p in pages]
    newest_first = [
        f"2501.{n:05d}" for n in range(11, 0, -1)
    ]  # paper n first featured on day n // 2
    assert [i for listed in shown for i in listed] == newest_first
    assert [len(listed) for listed in shown] == [3, 2, 2, 2, 2]
    assert "11 papers, newest first" in files[pages[0]].decode()
    assert "<h1>Large Language Models: papers 1 to 2</h1>" in files[pages[-1]].decode()
    back = []
    path = pages[-1]
    while path is not None:
        back.append(path)
        path = _pager(files[path], path, "prev")
    assert back == pages[::-1]
    # "« Oldest" and "Newest »" where they lead further than "Older" and "Newer".
    for name, target in (("« Oldest", pages[-1]), ("Newest »", pages[0])):
        leading = []
        for path in pages:
            found = re.search(rf'<a href="([^"]+)">{name}</a>', files[path].decode())
            if found is not None:
                assert urljoin(f"{BASE}{path}", found[1]) == f"{BASE}{target}".removesuffix(
                    "index.html"
                ), (path, name)
                leading.append(path)
        assert leading == (pages[:3] if name == "« Oldest" else pages[2:]), name
    # A topic of fewer than two pages' papers: all on its page, and no archive page.
    files = _render(_site({p.id: p for p in map(_paper, range(1, 4))}, days=1))
    front = files["topics/llm/index.html"]
    assert _listed(front) == [f"2501.{n:05d}" for n in (3, 2, 1)]
    assert _pager(front, "topics/llm/index.html", "next") is None
    assert not any(p.startswith("topics/llm/page/1/") for p in files)


def test_topic_pages_chart_their_papers_per_month_without_script() -> None:
    files = _render(_six_days(_twelve()))
    page = files["topics/reinforcement-learning/index.html"].decode()
    assert '<svg role="img" aria-labelledby="trend-title"' in page and "<script" not in page
    # Its numbers in words, seen: a phone has no hover for a bar's <title>.
    caption = re.search(r"<figcaption>([^<]*)</figcaption>", page)
    # Of one month (six days of January): that month, no range (tests/test_periods.py: many).
    assert caption and caption[1] == "Papers per month: 12 papers in Jan 2026 (so far).", caption
    assert '<th scope="row">Jan 2026</th><td>12</td>' in page  # the table fallback
    index = files["topics/index.html"].decode()
    assert index.count('<svg class="sparkline"') == len(CONFIG.topics)
    # The rule as Trend.rising applies it (tests/test_periods.py), in the words it is shown by.
    rule = (
        "Rising: at least 3 papers in the last 3 full months, and at least 1.5 times as many as"
        " in the 3 months before them."
    )
    assert rule in index


def test_a_topic_page_links_the_topic_feeds_a_reader_can_follow() -> None:
    files = _render(_six_days(_twelve()))
    page = files["topics/reinforcement-learning/index.html"].decode()
    visible = page.split("<main", 1)[1]  # not only the <link>s of the head
    links = re.findall(r'<a href="([^"]+)">(RSS|Atom)</a>', visible)
    assert [text for _, text in links] == ["RSS", "Atom"]
    for href, _ in links:
        feed = feedparser.parse(files[f"topics/reinforcement-learning/{href}"])
        assert not feed.bozo and feed.entries, href
    archive = next(p for p in files if re.fullmatch(r"topics/[^/]+/page/\d+/index\.html", p))
    assert "Follow this topic" not in files[archive].decode()  # the front page's alone


def test_a_custom_feed_name_cannot_inject_markup() -> None:
    hostile = parse_config(
        'title = "T"\ndescription = "D"\nbase_url = "https://example.org/"\n'
        '[[custom_feeds]]\nname = "<script>alert(1)</script>"\nslug = "x"\nmin_upvotes = 1\n',
        source="site.toml",
    )
    papers = _twelve()
    ids = sorted(papers)
    day = Day(day=date(2026, 1, 1), entries=tuple(DayEntry(paper_id=i, title=i) for i in ids))
    site = assemble_site(ContentSnapshot.of(papers, {day.day: day}), hostile)
    files = _render(site)
    for path in ("feeds/x/index.html", "feeds/index.html", "feeds.opml", "feeds/x/atom.xml"):
        assert b"<script>alert" not in files[path], path
    assert not feedparser.parse(files["feeds/x/rss.xml"]).bozo


def test_names_from_site_toml_are_escaped_in_the_opml() -> None:
    named = "Quotes \"double\" & 'single' <b>"
    text = (REPO / "site.toml").read_text()
    assert '"Large Language Models"' in text
    config = parse_config(text.replace('"Large Language Models"', json.dumps(named), 1), source="")
    files = _render(dataclasses.replace(_site(), config=config), only=["feeds.opml"])
    outlines = ET.fromstring(files["feeds.opml"]).iter("outline")
    assert any(named in o.attrib["text"] and named in o.attrib["title"] for o in outlines)


def test_top_cards_show_the_day_each_paper_was_featured_and_its_topics() -> None:
    site = _six_days(_twelve())
    files = _render(site)
    top = files["top/week/2026-W01/index.html"].decode()
    cards = top.split('<li class="card">')[1:]
    assert cards
    for card in cards:
        paper_id = re.search(r'href="[./]*papers/([^/]+)/"', card)
        assert paper_id, card
        first = site.appearances[paper_id.group(1)][0].day
        # At its card there, not the top of the day (a reader's trial: 278 cards above it).
        anchor = f"paper-{paper_id.group(1)}"
        link = f'days/{first.isoformat()}/#{anchor}">{first:%b} {first.day}, {first.year}</a>'
        assert link in card
        assert f'id="{anchor}"' in files[f"days/{first.isoformat()}/index.html"].decode()
        assert 'href="../../../topics/' in card
    day = files["days/2026-01-03/index.html"].decode().split('<li class="card" id="paper-')[1:]
    assert day and not any("days/2026-01-03/" in card or "topics/" in card for card in day)


def test_the_home_page_advertises_the_feeds_of_all_papers_by_the_site_title() -> None:
    site = _six_days(_twelve())
    files = _render(site)
    head = files["index.html"].decode().split("</head>", 1)[0]
    advertised = re.findall(
        r'<link rel="alternate" type="([^"]+)" title="([^"]+)" href="([^"]+)"', head
    )
    assert advertised == [
        ("application/rss+xml", f"{CONFIG.title} (RSS)", "rss.xml"),
        ("application/atom+xml", f"{CONFIG.title} (Atom)", "atom.xml"),
        ("application/feed+json", f"{CONFIG.title} (JSON)", "feed.json"),
    ]
    # The feeds of all papers, which a reader lists by the site's title.
    assert f"<title>{CONFIG.title}</title>" in files["rss.xml"].decode()
    assert f"<title>{CONFIG.title}</title>" in files["atom.xml"].decode()
    assert json.loads(files["feed.json"])["title"] == CONFIG.title
    day = files["days/2026-01-06/index.html"].decode().split("</head>", 1)[0]
    assert 'title="Papers of Jan 6, 2026 (RSS)" href="rss.xml"' in day


def test_each_pages_feeds_are_advertised_by_the_name_of_what_they_hold() -> None:
    files = _render(_six_days(_twelve()))

    def advertised(path: str) -> list[tuple[str, str]]:
        head = files[path].decode().split("</head>", 1)[0]
        return re.findall(
            r'<link rel="alternate" type="[^"]+" title="([^"]+)" href="([^"]+)"', head
        )

    # A topic's archive page advertises the topic's own feeds, not feeds of "page 1".
    topic = next(p for p in files if re.fullmatch(r"topics/[^/]+/page/1/index.html", p))
    front = topic.replace("page/1/", "")
    name = re.search(r"<h1>([^<]+)</h1>", files[front].decode())
    assert name is not None
    to_front = "../../"  # up from page/1/ to the topic's folder, not to the root
    # Then the site's, by the site's title: on a past day or a closed week, the feed its
    # own page offers never gets a new item (found by a reader's review).
    the_sites = [
        (f"{CONFIG.title} (RSS)", "../../../../rss.xml"),
        (f"{CONFIG.title} (Atom)", "../../../../atom.xml"),
    ]
    assert advertised(topic) == [
        (f"{name[1]} (RSS)", to_front + "rss.xml"),
        (f"{name[1]} (Atom)", to_front + "atom.xml"),
        *the_sites,
    ]
    # Where a page's own feeds stop getting items, where they go on is first: a reader's
    # "subscribe" takes the first feed a page advertises (a reader's review).
    assert advertised("days/2026-01-02/index.html") == [
        *((title, href.removeprefix("../../")) for title, href in the_sites),
        ("Papers of Jan 2, 2026 (RSS)", "rss.xml"),
        ("Papers of Jan 2, 2026 (Atom)", "atom.xml"),
    ]
    week = next(p for p in files if re.fullmatch(r"top/week/[^/]+/index.html", p))
    assert advertised(week)[:3] == [
        ("Top papers of each week (RSS)", "../../weekly/rss.xml"),
        ("Top papers of each week (Atom)", "../../weekly/atom.xml"),
        (f"{re.search(r'<h1>([^<]+)</h1>', files[week].decode())[1]} (RSS)", "rss.xml"),
    ]
    # /days/ and /digest/ advertise the daily digest by one name.
    assert advertised("days/index.html")[0] == ("The daily digest (RSS)", "../digest/rss.xml")
    assert advertised("digest/index.html")[0] == ("The daily digest (RSS)", "rss.xml")
    # /top/'s feeds are the weekly digest's, then the monthly's (a reader's trial: it was
    # linked in the page only).
    assert advertised("top/index.html")[:4] == [
        ("Top papers of each week (RSS)", "weekly/rss.xml"),
        ("Top papers of each week (Atom)", "weekly/atom.xml"),
        ("Top papers of each month (RSS)", "monthly/rss.xml"),
        ("Top papers of each month (Atom)", "monthly/atom.xml"),
    ]
    assert [title for title, _ in advertised("top/index.html")][4:] == [
        f"{CONFIG.title} (RSS)",
        f"{CONFIG.title} (Atom)",
    ]


def test_papers_has_a_page_above_every_papers_own_that_says_how_to_find_one() -> None:
    """Found by a reader's trial: a paper's address cut back to /papers/ met the 404 page."""
    site = _six_days(_twelve())
    files = _render(site)
    page = files["papers/index.html"].decode()
    assert f"{len(site.ids)} papers featured from Jan 1, 2026 to Jan 6, 2026" in page
    links = dict(re.findall(r'<a href="([^"]+)">([^<]+)</a>', page.split("<main", 1)[1]))
    assert set(links.values()) >= {"search", "day", "topic"}
    for href in links:
        assert f"{href.removeprefix('../')}index.html" in files, href
    assert "papers/" in files["sitemaps/pages.xml"].decode().replace(BASE, "")


def test_a_papers_code_link_has_one_name_on_its_card_and_its_page() -> None:
    papers = {**_twelve(), "2501.00003": _paper(3, github_url="https://github.com/o/r")}
    files = _render(_six_days(papers))
    page = files["papers/2501.00003/index.html"].decode()
    day = next(
        files[p].decode()
        for p in files
        if p.startswith("days/2026-01-0") and "2501.00003" in files[p].decode()
    )
    for html in (page, day):
        assert re.search(r'<a [^>]*href="https://github.com/o/r"[^>]*>Code</a>', html), html


def test_the_home_page_shows_the_first_papers_and_a_days_page_folds_the_rest() -> None:
    """site.toml's home_papers and day_papers: the home page shows the latest day's first
    papers and links the whole day only when it holds more; a day's page shows its first
    papers open and the rest, ranked on, folded. Held only by the browser tests before (h11:
    the link shown under a home page that already showed every paper survived)."""

    def rendered(home: int, day: int) -> tuple[str, str]:
        pages = dataclasses.replace(CONFIG.pages, home_papers=home, day_papers=day)
        files = _render(_site(days=3, config=dataclasses.replace(CONFIG, pages=pages)))
        return files["index.html"].decode(), files["days/2026-01-03/index.html"].decode()

    whole_day = '<a href="days/2026-01-03/">All 3 papers of Jan 3, 2026 →</a>'
    home, day = rendered(2, 1)
    assert _listed(home.encode()) == ["2501.00007", "2501.00006"] and whole_day in home
    shown, folded = day.split('<details class="fold">')
    assert _listed(shown.encode()) == ["2501.00007"] and 'class="whole-day"' not in day
    assert _listed(folded.encode()) == ["2501.00006", "2501.00005"]
    assert '<ol class="cards" start="2">' in folded and '<span class="rank">#3</span>' in folded
    assert "<summary>Show the other 2 papers of this day</summary>" in folded
    home, day = rendered(3, 2)
    assert _listed(home.encode()) == ["2501.00007", "2501.00006", "2501.00005"]
    assert "All 3 papers" not in home and 'class="whole-day"' not in home
    assert "<summary>Show the other paper of this day</summary>" in day  # not "1 papers"
    home, day = rendered(3, 3)
    assert "<details" not in day and _listed(day.encode()) == _listed(home.encode())


def test_each_days_page_links_the_day_before_and_after_and_the_home_page_the_day_before() -> None:
    """A reader goes from day to day: each day's page links the day before (←) and after
    (→), the first and the last none after them, and the home page, the latest day, the day
    before it (h11: day pages without these links survived every test)."""
    files = _render(_site())
    pages = [f"days/2026-01-0{n}/index.html" for n in (1, 2, 3, 4)]
    for rel, order in (("next", pages), ("prev", pages[::-1])):
        followed = [order[0]]
        while (path := _pager(files[followed[-1]], followed[-1], rel)) is not None:
            followed.append(path)
        assert followed == order, rel
    assert '<a rel="prev" href="../2026-01-01/">← Jan 1, 2026</a>' in files[pages[1]].decode()
    assert _pager(files["index.html"], "index.html", "prev") == pages[2]
    assert _pager(files["index.html"], "index.html", "next") is None


def test_a_days_page_says_its_order_and_links_its_weeks_top_papers() -> None:
    """Found by a reader: the page said "in the order Daily Papers listed them" once it was
    by upvotes, and its week's top papers were reached only from Top, then the week."""
    counted = _site()
    files = _render(counted)
    page = files["days/2026-01-02/index.html"].decode()
    assert "3 papers, the most upvoted first." in page
    week = re.search(
        r'Top papers of the week: <a href="([^"]+)">Week 1 of 2026 \(Dec 29 to Jan 4\)</a>', page
    )
    assert (
        week
        and f"days/2026-01-02/{week[1]}index.html".replace("days/2026-01-02/../../", "") in files
    )
    uncounted = {p.id: dataclasses.replace(p, upvotes=None) for p in map(_paper, range(1, 9))}
    page = _render(_site(uncounted))["days/2026-01-02/index.html"].decode()
    assert "3 papers, in the order Daily Papers listed them." in page
    # Some counted: said so (a reader's trial: 3 of 42 counted, "the most upvoted first").
    some = {**uncounted, "2501.00004": _paper(4)}
    page = _render(_site(some))["days/2026-01-02/index.html"].decode()
    assert (
        "3 papers, the 1 with an upvote count by upvotes, then the others in the order Daily"
        " Papers listed them." in page
    )


def test_a_pages_own_value_named_as_one_every_page_is_given_is_refused() -> None:
    """A contributor's trial: a page per organisation given its list as `orgs`, the name of
    the footer's link to it, rendered the list's repr as that link on that page alone, and
    every test but one that followed each link passed."""
    site = _site()
    routes = Routes(BASE)
    r = renderers(
        site, routes, ENV, templates=str(REPO / "templates"), read_file=bytes, api_records={}
    )
    with pytest.raises(TypeError, match="search is a name every page is given"):
        r.pages.page("papers.html", routes.papers_index(), title="Papers", feeds=None, search="x")


def test_a_folder_of_feeds_is_titled_by_them_and_one_of_pages_says_it_has_none() -> None:
    """A folder without a page of its own: one holding a digest's feeds is named by the feeds
    a reader pasted its address for, one holding pages (a topic's page/) says it is no page
    (h11: a title of either kind swapped survived every test)."""
    files = _render(_site())

    def title(path: str) -> str:
        page = files[path].decode()
        assert 'content="noindex"' in page, path
        heading = re.search(r"<h1>(.*?)</h1>", page)
        assert heading, path
        return heading[1]

    assert title("digest/index.html") == "The daily digest"
    assert title("top/weekly/index.html") == "Top papers of each week"
    assert title("top/monthly/index.html") == "Top papers of each month"
    for folder in ("top/week/", "top/month/", "topics/llm/page/"):
        assert title(f"{folder}index.html") == "No page here", folder


def _advertised(page: bytes) -> list[tuple[str, str, str]]:
    """The feeds a page's head advertises: (type, title, href) of each, in its order."""
    head = page.decode().split("</head>", 1)[0]
    return re.findall(r'<link rel="alternate" type="([^"]+)" title="([^"]+)" href="([^"]+)"', head)


def test_a_page_without_feeds_of_its_own_advertises_the_sites_rss_and_atom_alone() -> None:
    """Not the site's JSON Feed, which only the home page advertises (a mutation audit: a page
    without feeds of its own advertising it went unseen)."""
    files = _render(_six_days(_twelve()))
    for folder in ("topics", "feeds", "search", "papers"):
        assert _advertised(files[f"{folder}/index.html"]) == [
            ("application/rss+xml", f"{CONFIG.title} (RSS)", "../rss.xml"),
            ("application/atom+xml", f"{CONFIG.title} (Atom)", "../atom.xml"),
        ], folder


def test_a_custom_feeds_page_advertises_its_feeds_and_says_what_it_holds() -> None:
    """Its head: its RSS, Atom and JSON Feed by its name, then the site's; its description is
    the feed's, else the site's (a mutation audit found both unpinned)."""
    papers = {**_twelve(), "2501.00004": _paper(4, abstract=DIFFUSION)}
    site = _six_days(papers)
    feed = next(f for f in CONFIG.custom_feeds if f.slug == "diffusion-models")
    assert feed.description
    page = _render(site, only=["feeds/diffusion-models/index.html"])[
        "feeds/diffusion-models/index.html"
    ]
    assert _advertised(page) == [
        ("application/rss+xml", f"{feed.name} (RSS)", "rss.xml"),
        ("application/atom+xml", f"{feed.name} (Atom)", "atom.xml"),
        ("application/feed+json", f"{feed.name} (JSON)", "feed.json"),
        ("application/rss+xml", f"{CONFIG.title} (RSS)", "../../rss.xml"),
        ("application/atom+xml", f"{CONFIG.title} (Atom)", "../../atom.xml"),
    ]
    meta = '<meta name="description" content="{}">'
    assert meta.format(feed.description) in page.decode()
    undescribed = dataclasses.replace(
        site,
        config=dataclasses.replace(
            CONFIG,
            custom_feeds=tuple(dataclasses.replace(f, description="") for f in CONFIG.custom_feeds),
        ),
    )
    page = _render(undescribed, only=["feeds/diffusion-models/index.html"])[
        "feeds/diffusion-models/index.html"
    ]
    assert meta.format(CONFIG.description) in page.decode()
