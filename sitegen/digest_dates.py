"""content/digests.toml: when each item of the digest feeds came out, which dates it.

The daily digest lists a day's papers once the day is had whole, the weekly and monthly ones
a week's or month's top papers once it is closed (site.digest_items): a day and more after
the day they would be dated by otherwise, so tools that take only items newer than their
last poll passed over every one. `sitegen fetch` records the items its run brings out with
its time, and it and `sitegen ingest` record any other item listed without a line with the
day it is dated by; lines are only added, so a published item's date never moves.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sitegen.config import SiteConfig
from sitegen.errors import ContentError, Location, reason_of
from sitegen.fetch_state import FETCH_STATE, held_open_days, load_fetch_state, whole_days
from sitegen.formats import decode_content, parse_digest_dates, render_digest_dates
from sitegen.ingest import Merged
from sitegen.layout import CONTENT_DIR
from sitegen.model import ContentSnapshot, PlainEntry, plain_entries
from sitegen.site import DigestItems, day_moment, digest_items, shown_days
from sitegen.whole_files import read_regular_file

DIGEST_DATES = f"{CONTENT_DIR}/digests.toml"
MAX_DIGEST_DATES_BYTES = 16 * 2**20  # ~40 bytes an item: far more than centuries of them


def load_digest_dates(root: Path) -> dict[str, datetime]:
    """content/digests.toml: digest item (2026-11-09, 2026-W46, 2026-11) -> when it came
    out; empty when none is recorded."""
    path = root / DIGEST_DATES
    try:
        data = read_regular_file(path, limit=MAX_DIGEST_DATES_BYTES)
    except FileNotFoundError:
        return {}
    except OSError as error:  # a directory, a FIFO, a device in its place; or no permission
        raise ContentError(
            f"cannot read it: {reason_of(error)}",
            location=Location(DIGEST_DATES),
            # Mode 000 is nothing in its way: "move it away" misled (found by a flag driver).
            hint="fix its permissions (sitegen reads it to build the site), then run again"
            if isinstance(error, PermissionError)
            else "it is a file sitegen fetch writes: move what is there away",
        ) from None
    return parse_digest_dates(decode_content(data, path=DIGEST_DATES), path=DIGEST_DATES)


@dataclass(frozen=True)
class DigestRules:
    """What of site.toml decides which items the digests list (site.digest_items)."""

    hidden: frozenset[str]  # [content] hidden
    digest_days: int  # [feeds] digest_days

    @classmethod
    def of(cls, config: SiteConfig) -> DigestRules:
        return cls(hidden=config.hidden, digest_days=config.feeds.digest_days)


@dataclass(frozen=True)
class DigestDates:
    """Adds to content/digests.toml the digest items listed after a merge (site.digest_items)
    that have no line: those a fetch brings out (listed after its merge, not before) at `at`,
    the time its papers are dated by; the others (listed before with no line: held before
    sitegen kept them, or brought out by an ingest, which has no `at`) at the day they are
    dated by, so that an item gone for a while (a day hidden) and back keeps its date. Lines
    are only added: a published item's date never moves. `states`: the fetch state before
    and after the merge, when it changes it (else the one on disk)."""

    root: Path
    rules: DigestRules
    at: datetime | None = None
    states: tuple[Mapping[str, Mapping[str, str]], Mapping[str, Mapping[str, str]]] | None = None

    def files(self, before: ContentSnapshot, merged: Merged) -> dict[str, bytes]:
        """content/digests.toml, if there is an item to add, for the merge to write."""
        state_before, state_after = self.states or (load_fetch_state(self.root),) * 2
        entries = before.day_entries
        after = {**entries, **{day: plain_entries(held) for day, held in merged.days.items()}}
        papers = before.titles.keys() | merged.papers.keys()
        dates = load_digest_dates(self.root)  # under the store's lock, as the merge
        listed_items = self._items(entries, before.titles.keys(), state_before)
        listed = listed_items.by_name()
        newest = [day.isoformat() for day in listed_items.days[:1]]
        if newest and newest[0] not in dates and self._fetched_unmarked(state_before):
            # The newest day listed without a line, and no day ever marked had whole: a store
            # kept by a sitegen older than both (before 2026-12-03), which recorded no item
            # (an update brings a fork that kept the demo the demo's lines alone) and listed
            # the newest day at once, dated by its day; dated by this run, it moved (an
            # upgrade trial). One that marks days held it back until had whole: it comes out
            # with this run. Another line missing was deleted by hand, and only it is added
            # back (a maintainer's trial: the demo's W24 deleted brought 2026-11-22 out too).
            listed = self._items(
                entries, before.titles.keys(), state_before, all_whole=True
            ).by_name()
        new = self._items(after, papers, state_after).by_name()
        added = {item: day_moment(day) for item, day in (new | listed).items() if item not in dates}
        if self.at is not None:
            added |= {item: self.at for item in new.keys() - listed.keys() - dates.keys()}
        return {DIGEST_DATES: render_digest_dates(dates | added).encode()} if added else {}

    def _fetched_unmarked(self, state: Mapping[str, Mapping[str, str]]) -> bool:
        """Whether the store was fetched (the site a workflow published) and no fetch marked
        a day had whole, as a sitegen before 2026-12-03 kept it. One never fetched (the demo,
        a site of captures ingested by hand) has no mark either: there a day written by hand,
        or the newest listed day's line deleted, took it for one, and brought out its newest
        day, which no digest lists (maintainers' trials)."""
        return not whole_days(state) and (self.root / FETCH_STATE).is_file()

    def _items(
        self,
        entries: Mapping[date, Sequence[PlainEntry]],
        papers: Collection[str],
        state: Mapping[str, Mapping[str, str]],
        *,
        all_whole: bool = False,
    ) -> DigestItems:
        shown = shown_days(entries, papers, self.rules.hidden)
        return digest_items(
            shown,
            whole=whole_days(state) | frozenset(shown[:1] if all_whole else ()),
            awaited=held_open_days(state),
            digest_days=self.rules.digest_days,
        )
