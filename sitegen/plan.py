"""What a build writes: every output of the site as a unit, keyed by what decides its bytes (pure).

A unit's key is a digest of everything its rendering reads: `setup` (sitegen's code, the
templates, site.toml, the base URL), and the content it lists, where each paper stands for
itself by its file's fingerprint and its topics. A build renders only the units whose key
differs from the last build's, so a new day re-renders that day, its papers, and the pages and
feeds that list them, and nothing else. The keys must name every input: a unit whose bytes
could change while its key stays the same would go stale (tests build every kind of change
both ways and compare the bytes).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from operator import attrgetter
from typing import NamedTuple

from sitegen.model import Paper
from sitegen.site import Site, sitemap_blocks
from sitegen.urls import Routes

_ID = attrgetter("id")


class Unit(NamedTuple):
    """One renderable output: a page, a feed in both formats, or a file."""

    # Named tuples, not dataclasses: a plan makes 55,000 of each, and a tuple is made in half
    # the time (0.05 s of a day's rebuild at 50k papers).
    kind: str  # see `plan_site` for the kinds
    position: int = 0  # which day, topic or paper: its place in the Site's tuples
    page: int | None = None  # a topic's archive page; None is its front page


class PlannedUnit(NamedTuple):
    unit: Unit
    paths: tuple[str, ...]  # the files it writes, under public/
    key: str


def plan_site(
    site: Site, routes: Routes, fingerprints: Mapping[str, str], *, setup: str
) -> Iterator[PlannedUnit]:
    """Every unit of the site with its paths and key, in a fixed order."""
    # A paper as every page that lists it shows it: its file's bytes and its topics.
    state = {
        paper_id: f"{fingerprints[paper_id]}:{','.join(topics)}"
        for paper_id, topics in site.paper_topics.items()
    }
    days_shown = {day.day: day.day.isoformat() for day in site.days}
    # Where it was featured, for its own page and its API record.
    shown = {
        paper_id: ",".join(f"{days_shown[a.day]}#{a.rank}" for a in found)
        for paper_id, found in site.appearances.items()
    }

    def unit(
        kind: str, paths: Iterable[str], *parts: object, position: int = 0, page: int | None = None
    ) -> PlannedUnit:
        key = _key(setup, kind, map(str, parts))
        return PlannedUnit(Unit(kind, position, page), tuple(paths), key)

    def listed(papers: Iterable[Paper]) -> str:
        return ";".join(map(state.__getitem__, map(_ID, papers)))  # C loops: 170k papers listed

    days = site.days
    newest_day = days[0].day.isoformat() if days else ""
    home, digest = routes.home(), routes.days_index()

    for i, route in enumerate((routes.stylesheet(), routes.icon())):
        yield unit("static", [route.path], position=i)
    yield unit(
        "home", [home.html.path], newest_day, listed(days[0].papers) if days else "",
        *_neighbours(site, 0),
    )  # fmt: skip
    for i, day in enumerate(days):
        r = routes.day(day.day)
        papers = listed(day.papers)
        yield unit("day", [r.html.path], day.day, papers, *_neighbours(site, i), position=i)
        yield unit("day-feed", [r.rss.path, r.atom.path], day.day, papers, position=i)
    yield unit("days-index", [digest.html.path], [(d.day, len(d.papers)) for d in days])
    yield unit(
        "digest-feed",
        [digest.rss.path, digest.atom.path],
        [(d.day, listed(d.papers)) for d in days[: site.config.feeds.digest_days]],
        newest_day,
    )

    size = site.config.pages.topic_page_size
    limit = site.config.feeds.items
    yield unit("topics-index", [routes.topics_index().path], [len(t.papers) for t in site.topics])
    for t, listing in enumerate(site.topics):
        slug = listing.topic.slug
        archive = listing.archive_pages(size)
        front = routes.topic(slug)
        yield unit(
            "topic",
            [front.html.path],
            slug, len(listing.papers), archive, listed(listing.front_page(size)),
            position=t,
        )  # fmt: skip
        for number in range(1, archive + 1):
            yield unit(
                "topic",
                [routes.topic(slug, number).html.path],
                slug, number, number == archive, listed(listing.archive_page(number, size)),
                position=t, page=number,
            )  # fmt: skip
        yield unit(
            "topic-feed",
            [front.rss.path, front.atom.path],
            slug, _first_days(site, listing.papers[:limit]), listed(listing.papers[:limit]),
            newest_day if not listing.papers else "",
            position=t,
        )  # fmt: skip

    newest = site.newest[:limit]
    all_papers = (_first_days(site, newest), listed(newest), newest_day if not newest else "")
    yield unit("all-feed", [home.rss.path, home.atom.path], *all_papers)
    yield unit("json-feed", [routes.json_feed().path], *all_papers)
    # The OPML is dated by its newest feed, the digest: by the newest day.
    yield unit("opml", [routes.opml().path], newest_day)

    paper_keys = []
    paper_key = _Key(setup, "paper")
    paper_path = routes.paper_path
    for i, paper_id in enumerate(map(_ID, site.papers)):
        # Not through unit(): this loop runs once per paper, and its parts are strings already.
        key = paper_key(paper_id, state[paper_id], shown.get(paper_id, ""))
        paper_keys.append(key)
        yield PlannedUnit(Unit("paper", i), (paper_path(paper_id),), key)
    blocks = sitemap_blocks(site)
    yield unit("sitemap", [routes.sitemap().path], len(blocks))
    yield unit(
        "sitemap-pages",
        [routes.sitemap_part("pages").path],
        [d.day for d in days],
        [t.archive_pages(size) for t in site.topics],
    )
    for number, block in enumerate(blocks, start=1):
        yield unit(
            "sitemap-papers",
            [routes.sitemap_part(f"papers-{number}").path],
            ",".join(p.id for p in block),
            position=number,
        )
    # A paper's API record is made from what its page is: its page's key keys it too.
    yield unit("papers-api", [routes.papers_api().path], ",".join(paper_keys))
    for kind, route in (
        ("feeds-page", routes.feeds_page()),
        ("not-found", routes.not_found()),
        ("robots", routes.robots()),
    ):
        yield unit(kind, [route.path])


def _key(setup: str, kind: str, parts: Iterable[str]) -> str:
    return _Key(setup, kind)(*parts)


class _Key:
    """The keys of units of one kind: digests of the setup, the kind and their parts, with
    the digest of the shared start computed once."""

    def __init__(self, setup: str, kind: str) -> None:
        self._start = hashlib.blake2b(f"{setup}\x1f{kind}".encode(), digest_size=12)

    def __call__(self, *parts: str) -> str:
        digest = self._start.copy()
        digest.update(("\x1f" + "\x1f".join(parts)).encode())
        return digest.hexdigest()


def _neighbours(site: Site, index: int) -> tuple[str, str]:
    newer = site.days[index - 1].day.isoformat() if index > 0 else ""
    older = site.days[index + 1].day.isoformat() if index + 1 < len(site.days) else ""
    return newer, older


def _first_days(site: Site, papers: Iterable[Paper]) -> str:
    # A standing feed dates each item by the paper's first appearance.
    firsts = (site.appearances[p.id][0] for p in papers)
    return ",".join(f"{a.day}#{a.rank}" for a in firsts)
