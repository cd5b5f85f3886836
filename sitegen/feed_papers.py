"""Which papers a feed holds: the newest `[feeds] items` of its list, and every paper first
featured on the site's latest `[feeds] days` days or on a day that came late with one of them,
so a reader who polls once a day misses none. A custom feed chooses among the papers of the
newest days (`custom_feed_candidates`) when it is rendered.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from itertools import takewhile

from sitegen.custom_feeds import CUSTOM_FEED_DAYS
from sitegen.model import Papers
from sitegen.site import Site


def papers_in_feed(site: Site, newest_first: tuple[str, ...]) -> Papers:
    """The papers a standing feed holds: its newest `[feeds] items`, and at least every paper
    first featured on the site's latest `[feeds] days` days, so a reader who polls once a day
    misses none of a 300-paper day."""
    recent = sum(1 for _ in takewhile(is_recent(site), newest_first))
    held = newest_first[: max(site.config.feeds.items, recent)]
    return Papers(held + _late_papers(site, newest_first, held))


def _late_papers(
    site: Site, newest_first: tuple[str, ...], held: tuple[str, ...]
) -> tuple[str, ...]:
    """The papers of `newest_first` not `held` that were first featured on a day that came
    late, newest first: new to the feeds' readers too. Those days' papers are looked up, not
    every paper after the held ones (the rebuild budget: 0.2 s for 22 topics at 50k papers)."""
    late = came_late(site)
    if not late:
        return ()
    among, skip = set(newest_first), set(held)
    return tuple(
        paper_id
        for listing in site.days  # newest first
        if listing.day in late
        for paper_id in listing.papers
        if site.appearances[paper_id][0].day == listing.day
        and paper_id in among
        and paper_id not in skip
    )


def is_recent(site: Site) -> Callable[[str], bool]:
    """Whether a paper was first featured on one of the site's latest `[feeds] days` days, or
    on a day that came with one of them, late: every standing and custom feed holds those."""
    since = feeds_since(site)
    if since is None:
        return lambda paper_id: True
    late = came_late(site)
    return lambda paper_id: (first := site.appearances[paper_id][0].day) >= since or first in late


def came_late(site: Site) -> frozenset[date]:
    """The days older than the latest `[feeds] days` that came with one of those."""
    since = feeds_since(site)
    if since is None:
        return frozenset()
    return frozenset(day for day, came in site.late_days.items() if day < since <= came)


def feeds_since(site: Site) -> date | None:
    """The oldest of the site's latest `[feeds] days` days; None while it has no older one."""
    days = site.config.feeds.days
    return site.days[days - 1].day if len(site.days) > days else None


# A custom feed's outputs name the papers of the newest CUSTOM_FEED_DAYS days and choose among
# them when rendered (the rebuild budget, under 2 s at 50k papers): choosing while planning
# reads papers.
def custom_feed_days(site: Site) -> int:
    """How many of the site's newest days a custom feed chooses its papers from."""
    return min(len(site.days), max(CUSTOM_FEED_DAYS, site.config.feeds.days))


def custom_feed_candidates(site: Site) -> Papers:
    """The papers a custom feed chooses from: those of the newest days, newest first."""
    newest_days = {d.day for d in site.days[: custom_feed_days(site)]}
    # The first of site.newest: not all 50,000 looked at (the rebuild budget, under 2 s).
    return Papers(takewhile(lambda i: site.appearances[i][0].day in newest_days, site.newest))
