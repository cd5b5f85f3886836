"""site.toml: the site's settings and its topic taxonomy, as a validated, typed value."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from typing import Any

from sitegen.errors import ConfigError, Location
from sitegen.frontmatter import describe_toml_error
from sitegen.model import Topic

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedSettings:
    items: int = 50  # newest papers in the all-papers and per-topic feeds
    digest_days: int = 30  # days in the daily digest feed


@dataclass(frozen=True, slots=True, kw_only=True)
class PageSettings:
    topic_page_size: int = 50  # papers per page of a topic listing
    summary_chars: int = 320  # characters of the abstract shown in lists


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteConfig:
    title: str
    description: str
    language: str
    base_url: str  # absolute, ends with "/"; may carry a subpath (GitHub Pages project sites)
    feeds: FeedSettings
    pages: PageSettings
    topics: tuple[Topic, ...]

    def topic_slug(self, name_or_slug: str) -> str | None:
        """The slug of a topic given by slug or by name (any case)."""
        wanted = name_or_slug.strip().casefold()
        for topic in self.topics:
            if wanted in (topic.slug, topic.name.casefold()):
                return topic.slug
        return None


_TOP_KEYS = {"title", "description", "language", "base_url", "feeds", "pages", "topics"}


def parse_config(text: str, *, source: str) -> SiteConfig:
    """Parse and validate site.toml; errors name the line and say what to write instead."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message, line = describe_toml_error(error)
        raise ConfigError(
            f"bad TOML: {message}",
            location=Location(source, line),
            hint="fix the syntax of site.toml",
        ) from None
    reader = _Reader(data, text, source)
    reader.only(data, _TOP_KEYS, "site.toml")
    base_url = reader.string(data, "base_url")
    if not re.match(r"https?://[^/\s]+(/\S*)?$", base_url):
        raise reader.error(
            "base_url", "must be an absolute http(s) URL", "https://you.github.io/repo/"
        )
    feeds = reader.table(data, "feeds", {"items", "digest_days"})
    pages = reader.table(data, "pages", {"topic_page_size", "summary_chars"})
    topics = _topics(reader, data.get("topics", []))
    return SiteConfig(
        title=reader.string(data, "title"),
        description=reader.string(data, "description"),
        language=reader.string(data, "language", default="en"),
        base_url=base_url if base_url.endswith("/") else base_url + "/",
        feeds=FeedSettings(
            items=reader.positive(feeds, "items", 50),
            digest_days=reader.positive(feeds, "digest_days", 30),
        ),
        pages=PageSettings(
            topic_page_size=reader.positive(pages, "topic_page_size", 50),
            summary_chars=reader.positive(pages, "summary_chars", 320),
        ),
        topics=topics,
    )


def _topics(reader: _Reader, raw: Any) -> tuple[Topic, ...]:
    if not isinstance(raw, list):
        raise reader.error("topics", "must be an array of tables", "[[topics]] ...")
    topics: list[Topic] = []
    seen: set[str] = set()
    for item in raw:
        if not isinstance(item, dict):
            raise reader.error("topics", "must be an array of tables", "[[topics]] ...")
        reader.only(item, _TOPIC_KEYS, "a [[topics]] table")
        slug = reader.string(item, "slug")
        if not _SLUG.fullmatch(slug) or slug in seen:
            raise reader.error(
                "slug", f"{slug!r} is not a unique lowercase-hyphenated slug", 'slug = "robotics"'
            )
        seen.add(slug)
        kind = item.get("kind", "area")
        if kind not in ("area", "facet"):
            raise reader.error("kind", 'must be "area" or "facet"', 'kind = "facet"')
        fallback = item.get("fallback", False)
        if not isinstance(fallback, bool):
            raise reader.error("fallback", "must be true or false", "fallback = true")
        topics.append(
            Topic(
                slug=slug,
                name=reader.string(item, "name"),
                description=reader.string(item, "description", default=""),
                keywords=_strings(reader, item, "keywords", '["robot"]'),
                kind=kind,
                generic=_strings(reader, item, "generic", '["robot"]'),
                yields_to=_strings(reader, item, "yields_to", '["agents"]'),
                fallback=fallback,
            )
        )
    for topic in topics:
        for other in topic.yields_to:
            if other not in seen:
                raise reader.error(
                    "yields_to", f"names {other!r}, which is no topic's slug", '["agents"]'
                )
    return tuple(topics)


_TOPIC_KEYS = {
    "slug",
    "name",
    "description",
    "kind",
    "keywords",
    "generic",
    "yields_to",
    "fallback",
}


def _strings(reader: _Reader, item: dict[str, Any], key: str, example: str) -> tuple[str, ...]:
    values = item.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise reader.error(key, "must be an array of non-empty strings", example)
    return tuple(v.strip() for v in values)


class _Reader:
    def __init__(self, data: dict[str, Any], text: str, source: str) -> None:
        self.data, self.text, self.source = data, text, source

    def location(self, key: str) -> Location:
        match = re.search(rf"^\s*{re.escape(key)}\s*=|^\s*\[+{re.escape(key)}\]", self.text, re.M)
        return Location(self.source, self.text.count("\n", 0, match.start()) + 1 if match else None)

    def error(self, key: str, problem: str, example: str) -> ConfigError:
        return ConfigError(
            f"`{key}` {problem}", location=self.location(key), hint=f"e.g. {example}"
        )

    def only(self, table: dict[str, Any], known: set[str], where: str) -> None:
        for key in table:
            if key not in known:
                raise ConfigError(
                    f"unknown key `{key}` in {where}",
                    location=self.location(key),
                    hint=f"known keys: {', '.join(sorted(known))}",
                )

    def string(self, table: dict[str, Any], key: str, *, default: str | None = None) -> str:
        value = table.get(key, default)
        if not isinstance(value, str) or (default is None and not value.strip()):
            raise self.error(key, "must be a non-empty string", f'{key} = "..."')
        return value.strip()

    def positive(self, table: dict[str, Any], key: str, default: int) -> int:
        value = table.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise self.error(key, "must be a whole number, 1 or more", f"{key} = {default}")
        return value

    def table(self, data: dict[str, Any], key: str, known: set[str]) -> dict[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            raise self.error(key, "must be a table", f"[{key}]")
        self.only(value, known, f"[{key}]")
        return value
