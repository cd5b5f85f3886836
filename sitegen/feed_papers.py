"""Which papers a feed holds: the newest `[feeds] items` of its list, and every paper first
featured on the site's latest `[feeds] days` days or on a day that came late with one of them,
so a reader who polls once a day misses none. A custom feed chooses among the papers of the
newest days (`custom_feed_candidates`) when it is rendered.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from itertools import takewhile
from typing import NamedTuple

from sitegen.custom_feeds import CUSTOM_FEED_DAYS
from sitegen.model import Papers
from sitegen.site import Site


class FeedWindow(NamedTuple):
    """Which papers every feed holds, however many: those first featured on the site's latest
    `[feeds] days` days, or on an older day that came late with one of them, so a reader who
    polls once a day misses none of a 300-paper day."""

    since: date | None  # the oldest of those days; None while the site has no older one: all
    late: tuple[date, ...]  # the older days that came late with one of them, oldest first

    @staticmethod
    def of(site: Site) -> FeedWindow:
        """The window of `site`'s feeds."""
        days = site.config.feeds.days
        if len(site.days) <= days:
            return FeedWindow(None, ())
        since = site.days[days - 1].day
        late = sorted(day for day, came in site.late_days.items() if day < since <= came)
        return FeedWindow(since, tuple(late))

    def holds(self, site: Site, paper_id: str) -> bool:
        """Whether the paper `paper_id` of `site` was first featured within the window."""
        first = site.appearances[paper_id][0].day
        return self.since is None or first >= self.since or first in self.late


def papers_in_feed(site: Site, newest_first: tuple[str, ...]) -> Papers:
    """The papers a standing feed holds: its newest `[feeds] items`, and at least every paper
    of the window (FeedWindow)."""
    window = FeedWindow.of(site)
    recent = sum(1 for _ in takewhile(partial(window.holds, site), newest_first))
    held = newest_first[: max(site.config.feeds.items, recent)]
    return Papers(held + _late_papers(site, window.late, newest_first, held))


def _late_papers(
    site: Site, late: tuple[date, ...], newest_first: tuple[str, ...], held: tuple[str, ...]
) -> tuple[str, ...]:
    """The papers of `newest_first` not `held` that were first featured on a `late` day,
    newest first: new to the feeds' readers too. Those days' papers are looked up, not every
    paper after the held ones (the rebuild budget: 0.2 s for 22 topics at 50k papers)."""
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
