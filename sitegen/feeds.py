"""Feeds: RSS 2.0 and Atom 1.0 (feedgen) of the standing lists, JSON Feed 1.1, and OPML.

Standing feeds (all papers, each topic, the digest) carry full abstracts: a feed reader is
where their subscribers read. A day's own feed is the day's page as a feed, for the reader who
wants one day: each item its title, link, authors and summary, since at 50 papers a day, with
full abstracts, a thousand days' feeds were two fifths of the site's bytes (the output size
budget, #17).

Nothing here reads the clock: an item is dated by when a fetch first brought it, as its day
entry says, or else by the day that featured it (`Site.featured_at`); a feed's updated time is
its newest item's (or the end of a day its items are dated by, once a fetch had the day whole:
content/fetch-state.json); and ids are tag URIs built from paper ids, which never change, so
readers never see an item twice or a feed churn.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sitegen.abstracts import summarize
from sitegen.bylines import (
    authors_counted,
    authors_line,
    card_links,
    named_authors,
    unnamed_authors,
)
from sitegen.clean import clean_line
from sitegen.config import SiteConfig
from sitegen.custom_feeds import CustomFeed
from sitegen.dates import human_date
from sitegen.model import Appearance, Artifact, Topic
from sitegen.parts import PaperParts
from sitegen.periods import MONTH, WEEK, Period, first_in, ranked_count
from sitegen.site import Site, day_moment
from sitegen.urls import ListingRoutes, Route, Routes
from sitegen.wording import counted

# Ids must not depend on base_url (a site may move) or on the build: a tag URI per paper/day.
_ID_PREFIX = "tag:sitegen,2023:"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # what feedgen is given where no date shows
_NOTHING_YET = datetime(2023, 1, 1, tzinfo=UTC)  # the date of the ids' tag (_ID_PREFIX)


@dataclass(frozen=True, slots=True)
class _Item:
    item_id: str
    title: str
    url: str
    when: datetime
    content_html: str  # a paper's facts, abstract and links; the digest's list; "" if brief
    summary: str = ""  # plain text, the whole item's text when it has no content
    categories: tuple[str, ...] = ()  # its topics' names
    authors: tuple[str, ...] = ()  # who wrote a paper (bylines.named_authors: at most 20)
    # What an Atom entry names as its author when `authors` is empty ("14 authors"): Atom
    # gives an entry without one the feed's, and readers named the site as a paper's author
    # (a reader's review: Miniflux). "" for an item the site wrote (a digest's).
    unnamed: str = ""
    xml: tuple[bytes, ...] = ()  # its entry in Atom and in RSS, when rendered before


@dataclass(frozen=True, slots=True)
class FeedSpec:
    """One feed, in RSS and Atom."""

    title: str
    description: str
    routes: ListingRoutes
    items: tuple[_Item, ...]  # newest first


class Feeds:
    """The site's feeds, each made from the inputs its output names (sitegen.outputs)."""

    def __init__(
        self, site: Site, routes: Routes, abstracts: Mapping[str, str], parts: PaperParts
    ) -> None:
        self.site, self.routes, self.abstracts, self.parts = site, routes, abstracts, parts
        self.topic_names = site.config.topic_names()

    def _item(
        self,
        paper_id: str,
        appearance: Appearance,
        *,
        brief: bool = False,
        ranked_by: int | None = None,
    ) -> _Item:
        """A paper as an item: its facts (upvotes, organisation, authors), abstract and links;
        `brief` (a day's or a period's feed): its summary as plain text instead, after the
        count it is `ranked_by` if any (a period's)."""
        paper = self.site.papers[paper_id]
        # A name of bidi-control references alone is none (h7: an empty <dc:creator>), left out
        # before the first 20 are named: after, "and 5 more" was the only author of a paper.
        said = tuple(filter(None, map(_as_items_say, paper.authors)))
        # An author the listing counted but did not name is counted, as on the card.
        authors = named_authors(said, unnamed_authors(paper))
        content, summary = "", ""
        if brief:
            summary = summarize(paper.abstract, self.site.config.pages.summary_chars)
            if ranked_by is not None:
                summary = f"{_upvotes_said(ranked_by)} · {summary}"
        else:
            content = self._content_html(paper_id)
        return _Item(
            item_id=f"{_ID_PREFIX}paper/{paper.id}",
            # An item must have a title (feedgen raised, and the build failed: h7).
            title=_as_items_say(paper.title) or paper.id,
            url=self.routes.absolute(self.routes.paper(paper.id)),
            when=self.site.featured_at(paper_id, appearance.day),
            content_html=content,
            summary=summary,
            # A brief item is its card on a day's or period's page, which shows no topics.
            categories=()
            if brief
            else tuple(self.topic_names[slug] for slug in self.site.paper_topics[paper.id]),
            authors=authors,
            # Every name left out: counted, as a listing's of no names (its references were
            # the Atom entry's author, "&#8238;").
            unnamed=(
                authors_line(paper)
                if authors or not paper.authors
                else authors_counted(len(paper.authors))
            )
            or "Authors not listed",
        )

    def _content_html(self, paper_id: str) -> str:
        """A paper's facts, its abstract, and its links, as HTML."""
        paper = self.site.papers[paper_id]
        facts = " · ".join(
            html.escape(fact)
            for fact in (
                _upvotes_said(paper.upvotes) if paper.upvotes is not None else "",
                paper.organization_name,
                authors_line(paper),
            )
            if fact
        )
        links = " · ".join(
            f'<a href="{html.escape(link.href)}">{html.escape(link.text)}</a>'
            for link in card_links(paper)
        )
        # A line between the parts, as between the abstract's paragraphs: a reader that strips
        # the tags for its list view ran "... and 11 more" into the abstract's first word.
        return (
            (f"<p>{facts}</p>\n" if facts else "")
            + self.abstracts[paper.id]
            + (f"<p>{links}</p>" if links else "")
        )

    def _first_items(self, paper_ids: Sequence[str]) -> tuple[_Item, ...]:
        # A standing feed dates each paper by the day that first featured it. A new day
        # changes every standing feed: their items are kept in the papers' parts, rendered.
        held = {i: self.parts.get(i, _ITEM_PART) for i in paper_ids}
        missing = [i for i, part in held.items() if part is None]
        if missing:
            items = [self._item(i, first_seen(self.site, i)) for i in missing]
            for paper_id, item, xml in zip(missing, items, _entries_xml(items), strict=True):
                held[paper_id] = self.parts.put(paper_id, _ITEM_PART, _plain_item(item, xml))
        return tuple(_item_of(held[i]) for i in paper_ids)

    def all_papers(self, paper_ids: tuple[str, ...]) -> FeedSpec:
        """The newest papers of the site (`paper_ids`, newest first)."""
        config = self.site.config
        return FeedSpec(
            title=config.title,
            description=config.description,
            routes=self.routes.home(),
            items=self._first_items(paper_ids),
        )

    def digest(self, days: tuple[tuple[date, tuple[str, ...], datetime], ...]) -> FeedSpec:
        """One item per day (day, its papers, when the item is dated), newest first."""
        return FeedSpec(
            title=digest_title(self.site.config),
            description="One item per day with the day's papers.",
            routes=self.routes.days_index(),
            items=tuple(
                _Item(
                    item_id=f"{_ID_PREFIX}day/{day.isoformat()}",
                    # The count is in the content, not the title: a day may gain or lose a
                    # paper after its item is out (`fetch --date`, a hand edit, a paper hidden),
                    # and a retitled item is shown twice by readers that tell items apart by
                    # title (sfeed).
                    title=f"Papers of {human_date(day)}",
                    url=self.routes.absolute(self.routes.day(day).html),
                    when=when,
                    content_html=f"<p>{counted(len(ids), 'paper')}</p>{self._listed(ids)}",
                )
                for day, ids, when in days
            ),
        )

    def _listed(
        self, paper_ids: Sequence[str], ranked_by: Mapping[str, int | None] | None = None
    ) -> str:
        """A digest item's papers as a list, each its title linking its page; given the counts
        a period ranks papers featured again by (`ranked_by`), with the count it ranks each by,
        as the period's page shows it."""
        routes, upvotes = self.routes, self.site.upvotes
        entries = []
        for paper_id in paper_ids:
            href = html.escape(routes.absolute(routes.paper(paper_id)))
            title = html.escape(self.site.titles[paper_id])
            count = None if ranked_by is None else ranked_count(paper_id, upvotes, ranked_by)
            shown = "" if count is None else f" ({_upvotes_said(count)})"
            entries.append(f'<li><a href="{href}">{title}</a>{shown}</li>')
        return "<ol>" + "".join(entries) + "</ol>"

    def day(self, day: date, paper_ids: tuple[str, ...]) -> FeedSpec:
        """A day's papers in rank order, each item brief (the day page's cards as a feed)."""
        return FeedSpec(
            # The day as every page names it ("Jan 9, 2026"); item ids keep the ISO form.
            title=f"{self.site.config.title}: {human_date(day)}",
            description=f"The papers featured on {human_date(day)}.",
            routes=self.routes.day(day),
            items=tuple(
                self._item(paper_id, Appearance(day=day, rank=rank), brief=True)
                for rank, paper_id in enumerate(paper_ids, start=1)
            ),
        )

    def topic(self, slug: str, paper_ids: tuple[str, ...]) -> FeedSpec:
        """A topic's newest papers (`paper_ids`, newest first)."""
        topic = self.site.config.topic(slug)
        return FeedSpec(
            title=topic_title(self.site.config, topic),
            description=topic.description or topic.name,
            routes=self.routes.topic(topic.slug),
            items=self._first_items(paper_ids),
        )

    def top(
        self,
        period: Period,
        paper_ids: tuple[str, ...],
        ranked_by: Mapping[str, int | None],
        *,
        still_open: bool,
    ) -> FeedSpec:
        """A week's or month's top papers (`paper_ids`, most upvoted first, those featured
        again by the count of `ranked_by`)."""
        upvotes = self.site.upvotes
        counted = any(ranked_count(i, upvotes, ranked_by) is not None for i in paper_ids)
        return FeedSpec(
            title=f"{self.site.config.title}: top papers of {period.name}"
            + (" so far" if still_open else ""),
            description=f"The most upvoted papers featured in {period.name}."
            if counted or not paper_ids  # no count at all: no ranking to claim (as its page)
            else f"The first papers featured in {period.name}: none has an upvote count"
            + (" yet." if still_open else "."),
            routes=self.routes.top(period.kind, period.slug),
            # Brief, as a day's: a closed period never gets a new item.
            # With the count each is ranked by, as on the period's page (a user's trial: the
            # feed of the most upvoted papers showed no upvotes).
            items=tuple(
                self._item(
                    i,
                    first_in(period, self.site.appearances[i]),
                    brief=True,
                    ranked_by=ranked_count(i, upvotes, ranked_by),
                )
                for i in paper_ids
            ),
        )

    def period_digest(
        self,
        kind: str,
        periods: tuple[tuple[Period, tuple[str, ...], Mapping[str, int | None], datetime], ...],
    ) -> FeedSpec:
        """One item per closed week or month (`kind`): (period, its top papers, the counts it
        ranks those featured again by, when the item is dated), newest first. Each paper
        shows the count it ranks by, as the period's page does."""
        routes = self.routes
        return FeedSpec(
            title=period_digest_title(self.site.config, kind),
            description=f"One item per closed {kind} with its most upvoted papers.",
            routes=routes.period_digest(kind),
            items=tuple(
                _Item(
                    item_id=f"{_ID_PREFIX}{period.kind}/{period.slug}",
                    title=f"Top papers of {period.name}",
                    url=routes.absolute(routes.top(period.kind, period.slug).html),
                    when=when,
                    content_html=self._listed(paper_ids, ranked_by),
                )
                for period, paper_ids, ranked_by, when in periods
            ),
        )

    def custom(self, feed: CustomFeed, paper_ids: tuple[str, ...]) -> FeedSpec:
        """A custom feed of site.toml: the newest papers it admits (`paper_ids`)."""
        return FeedSpec(
            title=custom_title(self.site.config, feed),
            description=feed.description or feed.summary(self.topic_names),
            routes=self.routes.custom_feed(feed.slug),
            items=self._first_items(paper_ids),
        )


_ITEM_PART = "feed item"
_PlainItem = tuple[Any, ...]  # an _Item's fields as PaperParts keeps them: plain values


def _plain_item(item: _Item, xml: tuple[bytes, bytes]) -> _PlainItem:
    return (
        item.item_id, item.title, item.url, item.when.isoformat(), item.content_html,
        item.summary, item.categories, item.authors, item.unnamed, *xml,
    )  # fmt: skip


def _item_of(plain: _PlainItem) -> _Item:
    item_id, title, url, when, content, summary, categories, authors, unnamed, *xml = plain
    when = datetime.fromisoformat(when)
    return _Item(
        item_id, title, url, when, content, summary, categories, authors, unnamed, tuple(xml)
    )


def digest_title(config: SiteConfig) -> str:
    return f"{config.title}: daily digest"


def topic_title(config: SiteConfig, topic: Topic) -> str:
    return f"{config.title}: {topic.name}"


def period_digest_title(config: SiteConfig, kind: str) -> str:
    return f"{config.title}: top papers of each {kind}"


def custom_title(config: SiteConfig, feed: CustomFeed) -> str:
    return f"{config.title}: {feed.name}"


def _upvotes_said(count: int) -> str:
    return counted(count, "upvote")


def first_seen(site: Site, paper_id: str) -> Appearance:
    """The day that first featured a paper as readers saw it, which a standing feed dates its
    item by: the one a fetch brought it to first, else the first day, where a day that came
    late counts from the day it came with, so it never dates back an item already published
    (a subscriber's trial: a late day listing a paper of the next day moved its date; a
    review: a late day brought by a later run, from its start, moved an item a run had dated)."""
    late = site.late_days

    def published(appearance: Appearance) -> tuple[datetime, date]:
        came = day_moment(late.get(appearance.day, appearance.day))
        return site.added_at(paper_id, appearance.day) or came, appearance.day

    return min(site.appearances[paper_id], key=published)


def whole_days_of_items(site: Site, paper_ids: Iterable[str]) -> tuple[date, ...]:
    """The days the papers' items are dated by that a fetch had whole (`Site.had_whole`),
    oldest first: what a feed's updated time depends on (`render_feed`). An item dated by
    when a fetch brought it is not dated by its day."""
    days = set()
    for paper_id in paper_ids:
        day = first_seen(site, paper_id).day
        if site.added_at(paper_id, day) is None:
            days.add(day)
    return tuple(sorted(day for day in days if site.had_whole(day)))


def render_feed(
    spec: FeedSpec,
    config: SiteConfig,
    routes: Routes,
    *,
    whole: Collection[date] = (),
) -> Iterator[Artifact]:
    """The feed in Atom, in RSS, and as a JSON Feed where its routes name one; `whole`: the
    days of its items a fetch had whole."""
    items = spec.items or (_nothing_yet(spec, routes),)
    rendered = all(item.xml for item in items)  # before, as a standing feed's items are
    entries = [item.xml for item in items] if rendered else _entries_xml(items)
    # The newest item's time, or the end of a day its items are dated by that a fetch had
    # whole, if later: the rest of that day comes next morning dated by it, and readers skipped
    # a feed whose time did not move (a feed review). An empty feed is as old as its one item:
    # not the newest day (it churned daily: a subscriber's trial), nor 1970 (a user's trial).
    ends = [day_moment(day) + timedelta(days=1) for day in whole]
    updated = max([item.when for item in spec.items] + ends) if spec.items else _NOTHING_YET
    for kind, route in (("atom", spec.routes.atom), ("rss", spec.routes.rss)):
        description = _description_as_given(kind, spec.description)
        generator = _feed_generator(route.path, spec.title, description, config.title)
        generator.language(config.language)
        if kind == "atom":  # readers show it beside the feed (RSS's <image> takes no SVG)
            generator.icon(routes.absolute(routes.icon()))
        # The RSS <channel><link> is the last link added, so the page link goes last.
        generator.link(href=routes.absolute(route), rel="self")
        generator.link(href=routes.absolute(spec.routes.html), rel="alternate")
        generator.updated(updated)  # Atom's <updated>, RSS's <lastBuildDate> (feedgen sets both)
        # Each entry as _entries_xml makes it (or made it before), put in the feed's own
        # head and tail as they are: the same bytes as a feed of them all.
        head, tail = _cut(_feed_xml(generator, kind), kind)[::2]
        entry = 0 if kind == "atom" else 1
        data = head + b"".join(xml[entry] for xml in entries) + tail
        yield Artifact(route.path, data)
    if spec.routes.json is not None:
        yield _json_feed(spec, spec.routes.json, config, routes)


# A reference to a bidi control written as text ("&#8238;"): a feed reader that takes an RSS
# title for HTML, as feedparser does when it holds a reference, shows the control itself (a
# review: "Invoice &#8238;fdp.exe" read "Invoice exe.pdf").
_BIDI_REFERENCE = re.compile(
    r"&#(?:[xX]0*(?:202[a-eA-E]|206[6-9])(?![0-9a-fA-F])|0*(?:823[4-8]|829[4-7])(?![0-9]));?"
)


def _as_items_say(line: str) -> str:
    """A title or an author's name as items give it: without references to bidi controls (taken
    out until none is left: taking one out of "&#&#8238;8238;" makes another), and cleaned again
    where one was taken out (lines are cleaned at ingest, but not of what those references hid),
    so "" where what is left shows nothing ("&#8238;" alone, or with a word joiner: reviews)."""
    shown = line
    while "&#" in shown and (fewer := _BIDI_REFERENCE.sub("", shown)) != shown:
        shown = fewer
    return line if shown == line else clean_line(shown)


def _feed_generator(path: str, title: str, description: str, author: str) -> Any:
    # Imported when first used: a build's own process writes no feed when workers do (the
    # cold-build budget at 1k papers: 0.1 s of CPU before the first page); the workers' fork
    # server imports it (workers._worker_context).
    from feedgen.feed import FeedGenerator  # noqa: PLC0415

    generator = FeedGenerator()
    generator.load_extension("dc", atom=False, rss=True)  # RSS names authors in dc:creator
    generator.id(f"{_ID_PREFIX}feed/{path}")
    generator.title(title)
    generator.subtitle(description)
    generator.author({"name": author})
    # No version: upgrades don't churn feeds.
    generator.generator("sitegen", uri="https://github.com/sitegen/sitegen")
    return generator


def _add_entry(generator: Any, kind: str, item: _Item) -> None:
    entry = generator.add_entry(order="append")
    entry.id(item.item_id)
    entry.title(item.title)
    entry.link(href=item.url)
    # Atom's <updated> alone: a <published> would say the same time again, 50 bytes an entry
    # (the output size budget, no larger than Hugo's).
    if kind == "rss":
        entry.published(item.when)  # pubDate
    else:
        entry.updated(item.when)
    if item.content_html:
        entry.content(item.content_html, type="html")
    else:
        entry.summary(_summary_as_given(kind, item.summary))
    if kind == "atom":
        # In one call: each call walks every author added before it (a review: a listing of
        # 20,000 authors took 25 s to build, 200,000 no end).
        if names := _atom_authors(item):
            entry.author([{"name": name} for name in names])
    elif item.authors:
        # One dc:creator of every name: readers show one of several, some the last (a
        # reader's trial: newsboat and feedparser named the 14th author of 14 alone).
        entry.dc.dc_creator(", ".join(item.authors))
    for name in item.categories:
        # Atom readers show the term, not the label (a reader's trial: "generative-models").
        entry.category(term=name)


def _atom_authors(item: _Item) -> tuple[str, ...]:
    return item.authors or ((item.unnamed,) if item.unnamed else ())


def _summary_as_given(kind: str, summary: str) -> str:
    if kind == "atom":  # plain text, as Atom's <summary> is by default
        return summary
    return html.escape(summary)  # RSS <description> is read as HTML: escaped text


def _description_as_given(kind: str, description: str) -> str:
    if kind == "atom":  # plain text, as Atom's <subtitle> is by default
        return description
    # RSS's <description> is read as HTML, the channel's as an item's (feedparser's
    # subtitle_detail is "text/html"): escaped text. Quotes as they are, which text needs not
    # escaped: the same bytes as before for a description without "&", "<" or ">".
    return html.escape(description, quote=False)


def _feed_xml(generator: Any, kind: str) -> bytes:
    data = generator.atom_str(pretty=True) if kind == "atom" else generator.rss_str(pretty=True)
    return _unindented(data)


# Each entry of a feed starts a line (see _unindented) with its tag, which text and attribute
# values cannot hold ("<" is an entity there): where a feed is cut into its entries.
_ENTRY_START = {"atom": b"\n<entry>\n", "rss": b"\n<item>\n"}
_FEED_END = {"atom": b"\n</feed>\n", "rss": b"\n</channel>\n</rss>\n"}


def _cut(xml: bytes, kind: str) -> tuple[bytes, list[bytes], bytes]:
    """A feed as its head, each entry (its lines) and its tail."""
    end = xml.rindex(_FEED_END[kind]) + 1
    starts = []
    found = xml.find(_ENTRY_START[kind])
    while 0 <= found < end:
        starts.append(found + 1)
        found = xml.find(_ENTRY_START[kind], found + 1)
    bounds = [*starts, end]
    entries = [xml[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    return xml[: bounds[0]], entries, xml[end:]


def _entries_xml(items: Sequence[_Item]) -> list[tuple[bytes, bytes]]:
    """Each item's entry in Atom and in RSS as feedgen writes it in a feed."""
    filled = [_filled_entries(item) for item in items]
    others = [item for item, xml in zip(items, filled, strict=True) if xml is None]
    made = iter(_entries_by_feedgen(others) if others else ())
    return [xml if xml is not None else next(made) for xml in filled]


def _entries_by_feedgen(items: Sequence[_Item]) -> list[tuple[bytes, bytes]]:
    """Each item's entry in Atom and in RSS, rendered by feedgen in one feed of them all,
    which is then cut into its entries."""
    made = []
    for kind in ("atom", "rss"):
        generator = _feed_generator("entries", "entries", "entries", "entries")
        generator.link(href="entries", rel="alternate")
        generator.updated(_EPOCH)
        for item in items:
            _add_entry(generator, kind, item)
        made.append(_cut(_feed_xml(generator, kind), kind)[1])
    return list(zip(*made, strict=True))


# An entry is feedgen's entry of an item of the same shape whose texts are these marks, with
# the item's texts put in their place, escaped as lxml escapes them: feedgen building and
# serialising each entry was a fifth of a cold build's render at 10k papers (the cold-build
# budget, no slower than Hugo at 1k and 10k papers). tests/test_feed_entries.py holds the two
# to the same bytes.
_MARK = "\ue000{}\ue001"  # private-use characters: neither lxml nor html.escape changes them
_MARKED = re.compile("\ue000([0-9]+)\ue001")
_MARK_WHEN = datetime(1111, 11, 11, 11, 11, 11, tzinfo=UTC)
# What lxml refuses or writes as a character reference in text (\r), and surrogates: feedgen
# renders items with these (or raises as it would).
_NOT_PLAIN = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")
_Template = tuple[str, tuple[tuple[int, bool], ...]]  # str.format's, what each {n} is
_templates: dict[tuple[str, bool, int, int], _Template] = {}


def _filled_entries(item: _Item) -> tuple[bytes, bytes] | None:
    """The item's entries in Atom and in RSS from feedgen's templates; None for an item
    with an empty or unusual text (feedgen renders it)."""
    common = [
        item.item_id, item.title, item.url, item.content_html or item.summary, *item.categories,
    ]  # fmt: skip
    if item.when.tzinfo is None or not _plain(common) or not _plain(_atom_authors(item)):
        return None  # RSS's authors are Atom's, or none
    made = []
    for kind in ("atom", "rss"):
        authors = _atom_authors(item) if kind == "atom" else item.authors
        texts = [*common, *authors]
        shape = (kind, bool(item.content_html), len(item.categories), len(authors))
        template = _templates.get(shape) or _templates.setdefault(shape, _template(*shape))
        values = [*texts, _date(kind, item.when)]
        if not item.content_html:
            values[3] = _summary_as_given(kind, item.summary)
        text, places = template
        filled = text.format(*(_attribute(values[f]) if a else _text(values[f]) for f, a in places))
        made.append(_unindented(filled.encode()))  # as a text of "\n" and spaces is
    return made[0], made[1]


def _plain(texts: Sequence[str]) -> bool:
    """Whether every text is one the templates can fill in: not empty, nothing lxml refuses."""
    return all(texts) and not _NOT_PLAIN.search("".join(texts))


# RFC 2822's names, as feedgen's formatRFC2822 writes them in the C locale it sets.
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _date(kind: str, when: datetime) -> str:
    """The item's time as feedgen writes it (Atom: updated; RSS: pubDate), in any locale; not
    by formatRFC2822, whose three calls to setlocale were a quarter of an entry's making (the
    cold-build budget, no slower than Hugo at 10k papers). tests/test_feed_entries.py holds them."""
    if kind == "atom":
        return when.isoformat()
    day, month = _WEEKDAYS[when.weekday()], _MONTHS[when.month - 1]
    return f"{day}, {when:%d} {month} {when:%Y %H:%M:%S %z}"


def _template(kind: str, content: bool, categories: int, authors: int) -> _Template:
    marks = [_MARK.format(n) for n in range(4 + categories + authors)]
    item = _Item(
        item_id=marks[0],
        title=marks[1],
        url=marks[2],
        when=_MARK_WHEN,
        content_html=marks[3] if content else "",
        summary="" if content else marks[3],
        categories=tuple(marks[4 : 4 + categories]),
        authors=tuple(marks[4 + categories :]),
    )
    entry = _entries_by_feedgen([item])[0][0 if kind == "atom" else 1].decode()
    entry = entry.replace(_date(kind, _MARK_WHEN), _MARK.format(len(marks)))  # the time's
    parts = _MARKED.split(entry)
    # A mark inside a tag (after a "<" that no ">" closed yet) is an attribute's value.
    places: list[tuple[int, bool]] = []
    in_tag = False
    for before, field in zip(parts[::2], parts[1::2], strict=False):
        in_tag = before.rfind("<") > before.rfind(">") if "<" in before or ">" in before else in_tag
        places.append((int(field), in_tag))
    between = [part.replace("{", "{{").replace("}", "}}") for part in parts[::2]]
    return "{}".join(between), tuple(places)


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute(value: str) -> str:
    return _text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


# Whitespace between two tags: in text, lxml writes "<" and ">" as entities.
_INDENT = re.compile(rb">\n +<")


def _unindented(xml: bytes) -> bytes:
    """One element a line, as lxml's pretty print, without its indentation: a tenth of the
    bytes of a thousand day feeds (the output size budget, #17)."""
    return _INDENT.sub(b">\n<", xml)


def _nothing_yet(spec: FeedSpec, routes: Routes) -> _Item:
    """The item of a feed with none yet (a topic no paper has): readers refuse a feed without
    an item (feed-extractor: "Unrecognized feed format"), and it tells a subscriber why. Its
    date never changes: dated by the newest day, readers showed it again as updated each day."""
    return _Item(
        item_id=f"{_ID_PREFIX}nothing-yet/{spec.routes.html.url}",
        title="Nothing here yet",
        url=routes.absolute(spec.routes.html),
        when=_NOTHING_YET,
        content_html="",
        summary=f"{spec.description} Nothing is listed here now: items come as days bring some.",
    )


def _json_feed(spec: FeedSpec, json_route: Route, config: SiteConfig, routes: Routes) -> Artifact:
    items = spec.items or (_nothing_yet(spec, routes),)  # as the XML feeds say it
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": spec.title,
        "home_page_url": routes.absolute(spec.routes.html),
        "feed_url": routes.absolute(json_route),
        "description": spec.description,
        "favicon": routes.absolute(routes.icon()),
        "language": config.language,
        # No authors of the feed's: JSON Feed gives them to an item without its own, and a
        # paper's listing may name none (see _Item.unnamed).
        "items": [
            {
                "id": item.item_id,
                "url": item.url,
                "title": item.title,
                # JSON Feed 1.1 wants content: a brief item of a paper with no count and no
                # abstract has no summary, and says its title, as its card does first.
                **(
                    {"content_html": item.content_html}
                    if item.content_html
                    else {"content_text": item.summary or item.title}
                ),
                "date_published": item.when.isoformat().replace("+00:00", "Z"),
                **({"tags": list(item.categories)} if item.categories else {}),
                **({"authors": [{"name": name} for name in item.authors]} if item.authors else {}),
            }
            for item in items
        ],
    }
    # Key order as in the spec, "version" first: readers sniff the start of the file.
    text = json.dumps(feed, ensure_ascii=False, indent=0)  # a line each, as the XML feeds
    return Artifact(json_route.path, (text + "\n").encode())


def _xml_attribute(value: str) -> str:
    # Not xml.sax.saxutils.quoteattr, which imports urllib.request (10 ms of every build).
    return f'"{html.escape(value, quote=True)}"'


def render_opml(config: SiteConfig, routes: Routes, newest_day: date | None) -> Artifact:
    """The list of the standing feeds (all papers, the digests, each topic, each custom feed),
    each in Atom, in a folder each: the site's, the topics', the custom feeds'. A topic's feed
    repeats papers of the all-papers feed, and readers import a folder as one, so a reader
    keeps the folder they follow (a feed review: all at once showed a paper 2.6 times)."""
    # A feed of one past day never gets a new item, so subscribing to a thousand helps nobody.
    folders = {
        config.title: [
            (config.title, routes.home()),
            (digest_title(config), routes.days_index()),
            *(
                (period_digest_title(config, kind), routes.period_digest(kind))
                for kind in (WEEK, MONTH)
            ),
        ],
        f"{config.title}: topics": [
            (topic_title(config, t), routes.topic(t.slug)) for t in config.topics
        ],
        f"{config.title}: custom feeds": [
            (custom_title(config, f), routes.custom_feed(f.slug)) for f in config.custom_feeds
        ],
    }
    outlines = "".join(
        f"    <outline text={_xml_attribute(folder)} title={_xml_attribute(folder)}>\n"
        + "".join(
            f'      <outline type="rss" text={_xml_attribute(title)} title={_xml_attribute(title)}'
            f" xmlUrl={_xml_attribute(routes.absolute(feed.atom))}"
            f" htmlUrl={_xml_attribute(routes.absolute(feed.html))}/>\n"
            for title, feed in feeds
        )
        + "    </outline>\n"
        for folder, feeds in folders.items()
        if feeds
    )
    # The all-papers feed has items of the newest day: no standing feed is newer. An empty
    # site's feeds are as old as their one item, and so is the list of them (not 1970).
    newest = day_moment(newest_day) if newest_day else _NOTHING_YET
    date_created = f"    <dateCreated>{_date('rss', newest)}</dateCreated>\n"  # RFC 822
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">\n  <head>\n'
        f"    <title>{html.escape(config.title)} feeds</title>\n{date_created}"
        f"  </head>\n  <body>\n{outlines}  </body>\n</opml>\n"
    )
    return Artifact(routes.opml().path, text.encode())
