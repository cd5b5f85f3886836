"""site.toml: the site's settings and its topic taxonomy, as a validated, typed value."""

from __future__ import annotations

import contextlib
import dataclasses
import re
from dataclasses import asdict, dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import unquote

from idna import IDNAError, uts46_remap

from sitegen.clean import web_url
from sitegen.custom_feeds import CustomFeed, parse_custom_feeds, word_phrases
from sitegen.errors import ConfigError, Location
from sitegen.fields import TomlFields, as_toml, check_name, check_slug, is_slug, load_toml
from sitegen.model import Topic, as_renamed, is_paper_id, renamed_slugs

if TYPE_CHECKING:
    from collections.abc import Mapping


# Each field of FeedSettings and PageSettings is a key of site.toml's [feeds] or [pages]: a
# whole number of 1 or more, the field's default when absent (parse_config).
@dataclass(frozen=True, slots=True, kw_only=True)
class FeedSettings:
    items: int = 50  # newest papers in the all-papers and per-topic feeds, at least
    # ... and every paper first featured on the latest `days` days, however many: the newest
    # is still filling when fetched (the workflow asks for today early, and again, whole, the
    # next morning), so 4 are 3 whole days: a reader who misses two polls misses no paper.
    days: int = 4
    digest_days: int = 30  # days in the daily digest feed


@dataclass(frozen=True, slots=True, kw_only=True)
class PageSettings:
    topic_page_size: int = 50  # papers per page of a topic listing
    summary_chars: int = 120  # characters of the abstract shown in lists
    home_papers: int = 20  # papers of the latest day the home page shows; it links the rest
    day_papers: int = 50  # papers a day's page shows open; a longer day's others are folded


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteConfig:
    title: str
    description: str
    language: str
    # Absolute, ends with "/"; may carry a subpath (GitHub Pages project sites). None when
    # site.toml has none: `--base-url` gives it (the workflow gives the Pages URL), and only
    # what renders the site needs it (`required_base_url`); ingest and fetch do not.
    base_url: str | None
    feeds: FeedSettings
    pages: PageSettings
    topics: tuple[Topic, ...]
    custom_feeds: tuple[CustomFeed, ...] = ()  # [[custom_feeds]], in site.toml order
    # [content] hidden: papers taken off the site, whose files stay, so that a listing that has
    # them again merges into them and they stay off (a deleted file would come back).
    hidden: frozenset[str] = frozenset()
    # Where each of them is written in site.toml, in its order: a note names the line of an
    # id no paper file has (a typo leaves the paper on the site). Not part of what the config
    # is (its repr is the build's setup key): a comment above `hidden` renders nothing again.
    hidden_where: tuple[tuple[str, Location], ...] = field(default=(), repr=False, compare=False)

    def topic(self, slug: str) -> Topic:
        """The topic of this slug (a KeyError for one site.toml does not have)."""
        for topic in self.topics:
            if topic.slug == slug:
                return topic
        raise KeyError(slug)

    def topic_slugs(self) -> frozenset[str]:
        """The slugs a paper's `topics` may name: a slug of before a rename (`formerly`) is
        read as the topic's (its papers need no edit)."""
        return frozenset(s for topic in self.topics for s in (topic.slug, *topic.formerly))

    def topic_names(self) -> dict[str, str]:
        """Each topic's name by its slug."""
        return {topic.slug: topic.name for topic in self.topics}

    def topic_slug(self, name_or_slug: str) -> str | None:
        """The slug of a topic given by slug (or one it had before a rename) or by name (any
        case)."""
        wanted = name_or_slug.strip().casefold()
        for topic in self.topics:
            if wanted in (topic.slug, topic.name.casefold(), *topic.formerly):
                return topic.slug
        return None


_TOP_KEYS = frozenset(
    {
        "title", "description", "language", "base_url", "feeds", "pages", "content", "topics",
        "custom_feeds",
    }
)  # fmt: skip
# The site's own keys: of the top-level table, and no table. One written below a [table]
# header is that table's (TOML's rule), and is said to be so.
_SITE_KEYS = frozenset({"title", "description", "language", "base_url"})

_FEED_SETTINGS = frozenset(field.name for field in dataclasses.fields(FeedSettings))
_PAGE_SETTINGS = frozenset(field.name for field in dataclasses.fields(PageSettings))
# The settings of the tables of one name; `[[topics]]` and `[[custom_feeds]]` hold many.
_TABLE_KEYS = {
    "feeds": _FEED_SETTINGS,
    "pages": _PAGE_SETTINGS,
    "content": frozenset({"hidden"}),
}
# The tables of site.toml as their headers are written: topics and custom feeds are arrays of
# tables, even one of them.
_HEADERS = {
    **{table: f"[{table}]" for table in _TABLE_KEYS},
    "topics": "[[topics]]",
    "custom_feeds": "[[custom_feeds]]",
}
_TOPIC_KEYS = frozenset(
    {"slug", "name", "description", "kind", "keywords", "generic", "yields_to", "fallback"}
    | {"formerly"}
)


# No query or fragment: every page's URL is made by appending its path.
# No backslash: browsers read it as "/", so ".../\\evil.example/" links to another host.
# Nor a control character (lxml's traceback in the feeds); the rest of what no URL holds is
# clean.web_url's to refuse.
_NOT_IN_SITE_URLS = r"\s?#\\\x00-\x1f\x7f-\x9f"
_SITE_URL = re.compile(rf"(https?://[^/{_NOT_IN_SITE_URLS}]+)(/[^{_NOT_IN_SITE_URLS}]*)?$")
# A page's address, not its folder's: every link would be under it ("index.html/rss.xml").
_A_PAGE = re.compile(r"\.(html?|xml|json|php|txt)$", re.IGNORECASE)


# A language tag as HTML's lang and the feeds' <language> take it (BCP 47's shape): "en",
# "pt-BR", "zh-Hans"; "english!" went into every page, which the HTML checker refused. Its
# language is 2 or 3 letters: "english" and "chinese" passed, and longer
# ones are reserved or registered only. A singleton (an extension's letter, x- private, i- old)
# is followed by a subtag: "en-US-x" passed.
_LANGUAGE_TAG = re.compile(
    r"""[a-z]{2,3} (-[a-z0-9]{2,8})*        # language, script, region, variants: "zh-Hant-TW"
        (-[a-wyz0-9] (-[a-z0-9]{2,8})+)*    # extensions: "-u-ca-buddhist"
        (-x (-[a-z0-9]{1,8})+)?             # private use: "-x-twain"
      | [xi] (-[a-z0-9]{1,8})+              # private or old, whole: "x-klingon", "i-klingon"
    """,
    re.IGNORECASE | re.VERBOSE,
)


def _language(top: TomlFields) -> str:
    if "language" not in top.table:
        return "en"
    # Given, checked as written: `language = ""` was English in silence (a fork owner's trial).
    language = top.text_or_none("language") or ""
    if not _LANGUAGE_TAG.fullmatch(language):
        raise top.fail("language", 'a language tag such as "en" or "pt-BR"', 'language = "en"')
    return language


# What a base_url must be, as its errors say (a review: a host no browser reaches was refused
# with words that each such URL met).
BASE_URL_SHAPE = (
    "an absolute http(s) URL without spaces, ?, # or \\, of a host a browser reaches, with %"
    " only as an escape, of the site's folder, not a page (index.html)"
)


def site_url(text: str) -> str | None:
    """`text` as a site's base URL, its path's slashes single and one at its end ("$BASE_URL/"
    of a URL that had one made "repo//" URLs, and a path "//evil.example/" made its pages'
    links to the stylesheet and feeds point at that host); None when it breaks a rule of
    BASE_URL_SHAPE (`site_url_fault` says which)."""
    text = _scheme_and_host_lowered(text)
    if site_url_fault(text) or not (match := _SITE_URL.match(text)):
        return None
    return match[1] + re.sub("/+", "/", f"/{match[2] or ''}/")


def site_url_fault(text: str) -> str:
    """The first rule of BASE_URL_SHAPE that `text` breaks, in words; "" if none (a new user's
    trial: `--base-url example.com` was told every rule, not the one it broke)."""
    text = _scheme_and_host_lowered(text)
    if not text.startswith(("http://", "https://")):
        return "it does not start with https:// (or http://)"
    if odd := re.search(rf"[{_NOT_IN_SITE_URLS}]", text):
        return "it holds a space" if odd[0] == " " else f"it holds {odd[0]!r}"
    if not (match := _SITE_URL.match(text)):
        return "a browser would not reach its host"
    if _A_PAGE.search(match[2] or ""):
        return "it names a page, not the site's folder"
    try:
        text.encode()
    except UnicodeEncodeError:  # a byte of no UTF-8 given to --base-url: no page can carry it
        return "it holds a byte of no UTF-8"
    # No "." or ".." folder (a browser takes ".../a/../" for "/", where the preview redirected
    # to itself: a review).
    segments = {unquote(segment) for segment in (match[2] or "").split("/")}  # %2e%2e is ..
    if "." in segments or ".." in segments:
        return "it has a '.' or '..' folder"
    # A URL a browser follows, as a paper's links (a review: a host, port or escape they refuse
    # was every link's).
    if web_url(text) is None:
        if re.search("%(?![0-9A-Fa-f]{2})", text):
            return "it has a % that is no escape (%XX)"
        return "a browser would not reach its host or port"
    return ""


def _scheme_and_host_lowered(text: str) -> str:
    # A scheme and a host are of any case, as web_url takes them: "HTTPS://..." was refused as
    # no URL, and "https://Me.GitHub.io/" built other bytes than "https://me.github.io/" for
    # the same site (every link and feed's self link: a trial of deterministic output). The
    # path's case is the server's to tell apart.
    scheme, given, rest = text.partition("://")
    if not given or scheme.lower() not in ("http", "https"):
        return text
    host, slash, path = rest.partition("/")
    # Lowered as a browser maps a host (UTS 46), not by str.lower, whose "Σ" at a word's end
    # is "ς": "https://ΟΔΟΣ:8000/" linked "οδος", another host than the "οδοσ" browsers reach
    # (a review). A host it cannot map is left as written, for site_url_fault to name.
    with contextlib.suppress(IDNAError):
        host = uts46_remap(host, std3_rules=False, transitional=False)
    return f"{scheme.lower()}://{host}{slash}{path}"


def parse_config(text: str, *, source: str, base_url: str | None = None) -> SiteConfig:
    """Parse and validate site.toml; errors name the line and say what to write instead.
    `base_url` (`--base-url`'s, checked by `site_url`) wins over the file's, which may then
    be left out, as Hugo's --baseURL does; one the file has is checked all the same."""
    # Lines as TOML counts them; the messages that name a table find its header by "\n" (a
    # file saved with CRLF line ends had none of them: found by a review).
    text = text.replace("\r\n", "\n")
    data = load_toml(
        text,
        source=source,
        error=ConfigError,
        hint=f"fix the syntax of {PurePosixPath(source).name}",
        top_keys=_SITE_KEYS,
        # Each setting's example is its default, as its error's is; a feed's count, a count's.
        numbers={**asdict(FeedSettings()), **asdict(PageSettings()), "min_upvotes": 12},
        headers=_HEADERS,
    )
    top = TomlFields(
        data,
        text=text,
        source=source,
        error=ConfigError,
        top_keys=_SITE_KEYS,
        top_lacks=_SITE_KEYS - data.keys(),
        is_top=True,
        table_keys={key: f"[{table}]" for table, keys in _TABLE_KEYS.items() for key in keys},
    )
    top.only(_TOP_KEYS, PurePosixPath(source).name)
    # The tables first: a site's key written below a table's header is found there, and said
    # to be, before the site is said to lack it.
    feeds = top.subtable("feeds", _FEED_SETTINGS)
    pages = top.subtable("pages", _PAGE_SETTINGS)
    hidden_where = _hidden(top.subtable("content", _TABLE_KEYS["content"]))
    topics = _topics(top)
    custom_feeds = parse_custom_feeds(top, topics)
    return SiteConfig(
        title=top.required_text("title"),
        description=top.required_text("description"),
        language=_language(top),
        base_url=_base_url(top, given=base_url),
        # Each setting a whole number of 1 or more, its dataclass default when absent.
        feeds=FeedSettings(**{k: feeds.positive(k, v) for k, v in asdict(FeedSettings()).items()}),
        pages=PageSettings(**{k: pages.positive(k, v) for k, v in asdict(PageSettings()).items()}),
        topics=topics,
        custom_feeds=custom_feeds,
        hidden=frozenset(paper_id for paper_id, _ in hidden_where),
        hidden_where=hidden_where,
    )


def _base_url(top: TomlFields, *, given: str | None) -> str | None:
    """`given` (--base-url's), else the file's; the file's is checked even when overridden:
    a mistake in site.toml is one for every command."""
    if "base_url" not in top.table:
        return given  # None: refused by what renders the site (required_base_url)
    if top.table["base_url"] == "":
        # A fork owner's trial: blanked for the workflow's --base-url to fill, and told only
        # 'e.g. base_url = "..."'; it is left out for that, as `language` is for its default.
        raise top.error(
            "`base_url` may not be empty",
            location=top.where("base_url"),
            hint="delete the line to take --base-url's (the publish workflow gives your Pages"
            ' URL), or give the site\'s URL: base_url = "https://you.github.io/repo/"',
        )
    base_url = site_url(top.required_text("base_url"))
    if base_url is None:
        example = 'base_url = "https://you.github.io/repo/"'
        fault = site_url_fault(top.table["base_url"])
        raise top.fail("base_url", BASE_URL_SHAPE, example, because=fault)
    return given or base_url


def required_base_url(config: SiteConfig, *, source: str) -> str:
    """The site's base URL, which its pages and feeds are built for: a ConfigError naming
    both ways to give it when neither did (`source`: the site.toml read)."""
    if config.base_url is None:
        raise ConfigError(
            "base_url is missing, and no --base-url was given",
            location=Location(source),
            hint='add base_url = "https://you.github.io/repo/" above the first [table] header,'
            " or pass --base-url with the site's URL",
        )
    return config.base_url


def _hidden(content: TomlFields) -> tuple[tuple[str, Location], ...]:
    """The ids of `[content] hidden`, each with its line (an item of an array written over
    several lines has its own)."""
    hidden = tuple(
        (paper_id, content.where_value("hidden", paper_id)) for paper_id in content.texts("hidden")
    )
    if odd := [(paper_id, where) for paper_id, where in hidden if not is_paper_id(paper_id)]:
        # The one named (a review: the whole array was shown, cut before it), at its line.
        raise content.error(
            f"`hidden` must be an array of paper ids: {as_toml(odd[0][0])} is not one",
            location=odd[0][1],
            hint="a paper's id is its file's name without .md: hidden = [\"2606.06113\"]",
        )
    return hidden


def _check_formerly(topics: list[Topic], tables: list[TomlFields], slugs: set[str]) -> None:
    """A topic's former slugs: each a slug no topic has now, nor another topic had."""
    had: dict[str, str] = {}
    for topic, item in zip(topics, tables, strict=True):
        for old in topic.formerly:
            where = item.where_value("formerly", old)
            if not is_slug(old):
                raise ConfigError(
                    f"`formerly` holds {old!r}, which is no slug",
                    location=where,
                    hint="name the slug the topic had: lower-case letters, digits and hyphens",
                )
            if had.get(old) == topic.slug:
                raise ConfigError(
                    f"`formerly` holds {old!r} twice", location=where, hint="delete one of them"
                )
            named = next((t.slug for t in topics if t.name.casefold() == old), None)
            if named is not None and named != topic.slug:  # `--topic NAME` would be ambiguous
                raise ConfigError(
                    f"`formerly` holds {old!r}, the name of the topic {named!r}",
                    location=where,
                    hint="a former slug leads to one topic: give that one another name",
                )
            if old in slugs or old in had:
                whose = (
                    "a topic's slug now" if old in slugs else f"a former slug of {had[old]!r} too"
                )
                raise ConfigError(
                    f"`formerly` holds {old!r}, {whose}",
                    location=where,
                    hint="a former slug leads to one topic, and no topic has it now",
                )
            had[old] = topic.slug


def _topics(top: TomlFields) -> tuple[Topic, ...]:
    topics: list[Topic] = []
    slug_lines: dict[str, int | None] = {}  # of the topics before, where each slug is said
    name_lines: dict[str, int | None] = {}  # and each name
    tables = top.tables("topics")
    for item in tables:
        item.only(_TOPIC_KEYS, "a [[topics]] table")
        slug = item.required_text("slug")
        check_slug(slug, item.where("slug"), slug_lines, table="topics", example="robotics")
        name = item.required_text("name")
        check_name(name, item.where("name"), name_lines, table="topics")
        kind = item.text_or_none("kind") if "kind" in item.table else "area"  # "" is none
        if kind not in ("area", "facet"):
            raise item.fail("kind", '"area" or "facet"', 'kind = "facet"')
        fallback = item.table.get("fallback", False)
        if not isinstance(fallback, bool):
            raise item.fail("fallback", "true or false", "fallback = true")
        if fallback and kind != "area":
            raise ConfigError(
                "`fallback` is for an area: the area a paper gets when no other area fits",
                location=item.where("fallback"),
                hint='give it `kind = "area"`, or take `fallback` off',
            )
        if fallback and (first := next((t for t in topics if t.fallback), None)):
            raise ConfigError(
                f"a second fallback area: {first.slug!r} is the fallback already",
                location=item.where("fallback"),
                hint="keep `fallback = true` on one topic",
            )
        topics.append(
            Topic(
                slug=slug,
                name=name,
                description=item.text_or_none("description") or "",
                keywords=word_phrases(item, "keywords"),
                kind=kind,
                generic=word_phrases(item, "generic"),
                yields_to=item.texts("yields_to"),
                fallback=fallback,
                formerly=item.texts("formerly"),
            )
        )
    slugs = {t.slug for t in topics}
    _check_formerly(topics, tables, slugs)
    # A slug of before a rename names the topic now, as in paper files (a review: a rename
    # stopped the build at each `yields_to` naming the old slug).
    renamed = renamed_slugs(topics)
    for topic, item in zip(topics, tables, strict=True):
        for named in topic.yields_to:
            other = renamed.get(named, named)
            if other == topic.slug:
                itself = "the topic itself" if named == other else "a former slug of this topic"
                raise ConfigError(
                    f"`yields_to` names {named!r}, {itself}: it would give up every paper",
                    location=item.where_value("yields_to", named),
                    hint="name the topics this one gives way to, not itself (a topic merged"
                    " into it by `formerly` is it now: drop its slug here)",
                )
            if other not in slugs:
                raise ConfigError(
                    f"`yields_to` names {named!r}, which is no topic's slug",
                    location=item.where_value("yields_to", named),
                    hint="use slugs of [[topics]] tables: "
                    + ", ".join(sorted(slugs))
                    + "; a slug renamed goes in its topic's `formerly`",
                )
    _refuse_circles(topics, tables, renamed)
    return tuple(dataclasses.replace(t, yields_to=as_renamed(t.yields_to, renamed)) for t in topics)


def _refuse_circles(
    topics: list[Topic], tables: list[TomlFields], renamed: Mapping[str, str]
) -> None:
    """Refuse topics that give way to each other, through others or not: the one first in
    site.toml gave way, and with evidence too weak to qualify either, both did (a fork owner's
    trial). Named at the `yields_to` of the circle's last topic in site.toml."""
    gives_way_to: dict[str, list[str]] = {}  # of the topics so far
    for topic, item in zip(topics, tables, strict=True):
        gives_way_to[topic.slug] = [renamed.get(s, s) for s in topic.yields_to]
        for named in topic.yields_to:
            path = _way_back(renamed.get(named, named), topic.slug, gives_way_to)
            if path is not None:
                circle = " -> ".join((topic.slug, *path))
                raise ConfigError(
                    f"`yields_to` names {named!r}, which gives way to this topic in turn"
                    f" ({circle}): topics in a circle cannot all give way",
                    location=item.where_value("yields_to", named),
                    hint=f"keep one way: take {named!r} out of this `yields_to`, or"
                    f" {topic.slug!r} out of the `yields_to` of {path[-2]!r}",
                )


def _way_back(start: str, goal: str, gives_way_to: Mapping[str, list[str]]) -> list[str] | None:
    """The shortest chain of `yields_to` from `start` to `goal` (both in it), if any."""
    chains = {start: [start]}
    queue = [start]
    for slug in queue:
        if slug == goal:
            return chains[slug]
        for other in gives_way_to.get(slug, ()):
            if other not in chains:
                chains[other] = [*chains[slug], other]
                queue.append(other)
    return None
