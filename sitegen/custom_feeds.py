"""Custom feeds: site.toml's `[[custom_feeds]]`, saved searches that get a page and feeds.

A paper is in a feed when it passes every rule the feed gives: one of its phrases (`match`)
in the title, abstract or keywords, one of its `topics`, `organizations` or `authors`, at least
`min_upvotes`, and none of its `exclude` phrases. Phrases compare as topic keywords do: any
case, punctuation and a plural "s" ignored, whole words only.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields

from sitegen.clean import clean_line
from sitegen.errors import ConfigError
from sitegen.fields import TomlFields, check_name, check_slug, slug_of
from sitegen.model import Paper, Topic, as_renamed, renamed_slugs
from sitegen.topics import text_tokens, text_words
from sitegen.typos import edits

CUSTOM_FEED_DAYS = 30  # a custom feed chooses among the papers of the newest days, so many at least


# Each field is a key of a [[custom_feeds]] table of site.toml (_KEYS), and only those.
@dataclass(frozen=True, slots=True, kw_only=True)
class CustomFeed:
    slug: str  # its URL name: feeds/<slug>/
    name: str
    description: str
    match: tuple[str, ...] = ()  # phrases; any one of them, in the title, abstract or keywords
    topics: tuple[str, ...] = ()  # topic slugs; any one of them
    organizations: tuple[str, ...] = ()  # Hugging Face handles or names, any case
    authors: tuple[str, ...] = ()  # full names, any case
    min_upvotes: int | None = None  # a paper with no upvote count never passes it
    exclude: tuple[str, ...] = ()  # phrases that keep a paper out

    def rules(self, topic_names: Mapping[str, str]) -> tuple[str, ...]:
        """The feed's rules in words, for its page; its topics by their names."""
        said = (
            ("mentioning", self.match),
            ("in the topic", tuple(topic_names.get(slug, slug) for slug in self.topics)),
            ("from", self.organizations),
            ("by", self.authors),
            ("not mentioning", self.exclude),
        )
        rules = [
            f"{what} {' or '.join(f'“{value}”' for value in values)}"
            for what, values in said
            if values
        ]
        if self.min_upvotes is not None:
            rules.insert(
                len(rules) - bool(self.exclude), f"with at least {self.min_upvotes} upvotes"
            )
        return tuple(rules)

    def summary(self, topic_names: Mapping[str, str]) -> str:
        """The feed's rules as one sentence."""
        return f"Papers {'; '.join(self.rules(topic_names))}."


_KEYS = frozenset(field.name for field in fields(CustomFeed))  # a table's keys: the feed's fields


def parse_custom_feeds(top: TomlFields, topics: Sequence[Topic]) -> tuple[CustomFeed, ...]:
    """The `[[custom_feeds]]` tables of site.toml, each checked; errors name the line."""
    # A slug of before a rename names the topic now, as in paper files.
    renamed = renamed_slugs(topics)
    known_topics = frozenset(topic.slug for topic in topics) | renamed.keys()
    topic_names = {topic.name.casefold() for topic in topics}
    feeds: list[CustomFeed] = []
    slug_lines: dict[str, int | None] = {}  # of the feeds before, where each one's slug is said
    name_lines: dict[str, int | None] = {}  # and each one's name
    for item in top.tables("custom_feeds"):
        item.only(_KEYS, "a [[custom_feeds]] table")
        name = item.required_text("name")
        check_name(name, item.where("name"), name_lines, table="custom_feeds")
        if name.casefold() in topic_names:  # found by a trial: two alike in /feeds/ and the OPML
            raise ConfigError(
                f"custom feed name {name[:60]!r} is a topic's: /feeds/ and feeds.opml would list"
                " two feeds of that name",
                location=item.where("name"),
                hint="give the feed a name of its own",
            )
        slug = _feed_slug(item, name, slug_lines)
        for key in ("match", "topics", "organizations", "authors"):  # each would widen it
            if key in item.table and not item.texts(key):
                raise ConfigError(
                    f"`{key}` is empty: a rule that holds nothing does not choose papers",
                    location=item.where(key),
                    hint=f'give it what to look for, {key} = ["..."], or delete the line',
                )
        for topic in item.texts("topics"):
            if topic not in known_topics:
                named = next((t.slug for t in topics if t.name.casefold() == topic.casefold()), "")
                raise ConfigError(
                    f"`topics` names {topic!r}, which is no topic's slug",
                    location=item.where_value("topics", topic),
                    # A fork owner's trial wrote a topic's name.
                    hint=f"that is the name of the topic {named!r}: write its slug"
                    if named
                    else "use slugs of [[topics]] tables: "
                    + ", ".join(sorted(t.slug for t in topics)),
                )
        feed = CustomFeed(
            slug=slug,
            name=name,
            description=item.text_or_none("description") or "",
            match=word_phrases(item, "match"),
            topics=as_renamed(item.texts("topics"), renamed),
            organizations=item.texts("organizations"),
            authors=item.texts("authors"),
            min_upvotes=item.count("min_upvotes"),
            exclude=word_phrases(item, "exclude"),
        )
        if not (feed.match or feed.topics or feed.organizations or feed.authors) and (
            feed.min_upvotes is None
        ):
            raise ConfigError(
                f"custom feed {name!r} has no rule to choose papers by",
                location=item.where("name"),
                hint='add e.g. match = ["diffusion"], topics = [...] or min_upvotes = 50',
            )
        _refuse_excluded_matches(item, feed)
        feeds.append(feed)
    return tuple(feeds)


def _feed_slug(item: TomlFields, name: str, taken: dict[str, int | None]) -> str:
    """The feed's slug, given or made from its `name`, unless one of the feeds before has it."""
    given = item.text_or_none("slug")
    slug = slug_of(name) if given is None else given
    if given is None and not slug:
        # Found by a trial: a name of no Latin letter ("扩散模型") was given the URL feeds/feed/.
        raise ConfigError(
            f"custom feed name {name[:60]!r} has no Latin letter or digit to make its URL from",
            location=item.where("name"),
            # A feed published before this check had feeds/feed/: `slug = "feed"` keeps it.
            hint='add slug = "my-feed" (letters a-z, digits and hyphens: its address,'
            ' feeds/my-feed/; slug = "feed" keeps feeds/feed/, where such a feed was before)',
        )
    where = item.where("name" if given is None else "slug")
    made_from = None if given else name
    check_slug(slug, where, taken, table="custom_feeds", example="small-models",
               made_from=made_from)  # fmt: skip
    return slug


def _refuse_excluded_matches(item: TomlFields, feed: CustomFeed) -> None:
    """Refuse an `exclude` phrase that a `match` phrase holds (the same words, say): every
    paper that phrase finds holds it too, so the phrase can never choose one."""
    for phrase in feed.exclude:
        for matched in feed.match:
            if _padded(phrase) in _padded(matched):
                raise ConfigError(
                    f"`exclude` holds {phrase!r}, which the `match` phrase {matched!r} holds "
                    "too: a paper found by that phrase is always left out",
                    location=item.where_value("exclude", phrase),
                    hint=f"take {phrase!r} out of `exclude`, or {matched!r} out of `match`",
                )


def word_phrases(item: TomlFields, key: str) -> tuple[str, ...]:
    """The array of phrases `key`, each with a word to match: one without is refused, as is one
    written as a pattern (punctuation is no part of a word: "c++" would match "C")."""
    # Composed, as text is written: a letter typed with a separate accent matched nothing.
    phrases = tuple(unicodedata.normalize("NFC", phrase) for phrase in item.texts(key))
    # `texts` drops a string that shows nothing; a phrase such as "" (an edit's leftover) is
    # refused as "--" is, not dropped in silence (a fork owner's trial).
    empty = [raw for raw in item.table.get(key, ()) if not clean_line(raw)]
    for phrase in (*empty, *phrases):
        if not text_tokens(phrase):
            raise ConfigError(
                f"`{key}` holds {phrase!r}, which has no word to match",
                location=item.where(key),
                hint=f'{key} = ["a phrase", "a word"]',
            )
        if pattern := _PATTERN_CHARS.search(phrase):
            words = " ".join(text_tokens(phrase))
            raise ConfigError(
                f"`{key}` holds {phrase!r}, but a phrase is matched as words, without "
                f"punctuation: {pattern[0]!r} is dropped and it matches {words!r}",
                location=item.where(key),
                hint=f'list each wording as plain words: {key} = ["hospital", "clinic"]',
            )
    return phrases


# What a regular expression or a language name like "C++" or "C#" is written with: no word
# holds it. Not parentheses, which phrases hold ("retrieval-augmented generation (RAG)").
_PATTERN_CHARS = re.compile(r"[*+?|\[\]{}\\^$#]")


@dataclass(frozen=True, slots=True)
class FeedMatcher:
    """A custom feed compiled once for matching many papers."""

    feed: CustomFeed
    match: tuple[str, ...]  # each phrase's words, " "-joined with a space either side
    exclude: tuple[str, ...]
    # The first word of each phrase: a text that holds none of them (as any substring of its
    # lowercase form) cannot match, and need not be split into words (the rebuild budget: a
    # feed looks at 1,500 papers a day, and splitting them took a second).
    match_starts: tuple[str, ...]
    exclude_starts: tuple[str, ...]
    topics: frozenset[str]
    organizations: frozenset[str]
    authors: frozenset[str]

    @classmethod
    def of(cls, feed: CustomFeed) -> FeedMatcher:
        return cls(
            feed,
            match=tuple(map(_padded, feed.match)),
            exclude=tuple(map(_padded, feed.exclude)),
            match_starts=tuple(text_tokens(phrase)[0] for phrase in feed.match),
            exclude_starts=tuple(text_tokens(phrase)[0] for phrase in feed.exclude),
            topics=frozenset(feed.topics),
            organizations=frozenset(_name_key(o) for o in feed.organizations),
            authors=frozenset(_name_key(a) for a in feed.authors),
        )

    def admits(self, paper: Paper, topics: tuple[str, ...]) -> bool:
        """Whether `paper`, of `topics`, passes every rule of the feed."""
        least = self.feed.min_upvotes
        if least is not None and (paper.upvotes is None or paper.upvotes < least):
            return False
        if self.topics and self.topics.isdisjoint(topics):
            return False
        org = paper.organization
        if self.organizations and (
            org is None
            or self.organizations.isdisjoint((_name_key(org.handle), _name_key(org.name)))
        ):
            return False
        if self.authors and self.authors.isdisjoint(map(_name_key, paper.authors)):
            return False
        if not (self.match or self.exclude):
            return True
        raw = _matched_text(paper)
        lowered = raw.casefold()
        may_match = any(start in lowered for start in self.match_starts)
        if self.match and not may_match:
            return False
        if not (may_match or any(start in lowered for start in self.exclude_starts)):
            return True  # no exclusion is there, and no phrase to match was asked for
        text = _padded(raw)
        if self.match and not any(phrase in text for phrase in self.match):
            return False
        return not any(phrase in text for phrase in self.exclude)


def _matched_text(paper: Paper) -> str:
    """What a feed's `match` and `exclude` phrases are looked for in."""
    return " ".join((paper.title, paper.abstract, *paper.keywords))


def _padded(text: str) -> str:
    return f" {' '.join(text_tokens(text))} "


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


@dataclass(frozen=True, slots=True, kw_only=True)
class EmptyFeed:
    """A custom feed that admits none of the papers it chooses among, and the names it gives
    that none of them has, each with the nearest names they have (a typo, most likely)."""

    slug: str
    looked_at: int  # the papers it chooses among: those first featured on the newest `days`
    days: int
    # ("from", an organization, nearest handles), ("by", an author, nearest names) or
    # ("mentioning", a `match` phrase, the nearest phrase they mention)
    unmatched: tuple[tuple[str, str, tuple[str, ...]], ...]


def find_empty_feeds(
    feeds: Sequence[CustomFeed],
    candidates: Sequence[Paper],
    paper_topics: Mapping[str, tuple[str, ...]],
    *,
    days: int,
) -> tuple[EmptyFeed, ...]:
    """The `feeds` that admit none of `candidates`, the papers first featured on the site's
    newest `days` days (what their pages list from)."""
    if not candidates:
        return ()
    handles: dict[str, str] = {}  # a handle's or a name's key -> the handle, as a hint shows it
    for paper in candidates:
        if (org := paper.organization) is not None:
            handles[_name_key(org.handle)] = org.handle
            handles.setdefault(_name_key(org.name), org.handle)
    authors = {_name_key(author): author for paper in candidates for author in paper.authors}
    wording = _Wording(candidates)
    empty = []
    for feed in feeds:
        matcher = FeedMatcher.of(feed)
        if any(matcher.admits(paper, paper_topics[paper.id]) for paper in candidates):
            continue
        unmatched = (
            *(("mentioning", phrase, wording.respelled(phrase)) for phrase in feed.match
              if not wording.mentioned(phrase)),
            *(("from", o, _nearest(o, handles)) for o in feed.organizations
              if _name_key(o) not in handles),
            *(("by", a, _nearest(a, authors)) for a in feed.authors if _name_key(a) not in authors),
        )  # fmt: skip
        empty.append(
            EmptyFeed(slug=feed.slug, looked_at=len(candidates), days=days, unmatched=unmatched)
        )
    return tuple(empty)


class _Wording:
    """The words of the papers a feed chooses among (titles, abstracts, keywords, as `match`
    reads them), read only when a phrase of an empty feed is looked up: tokenizing the newest
    30 days' abstracts takes a few tenths of a second, paid once after an edit of the feed."""

    def __init__(self, papers: Sequence[Paper]) -> None:
        self._papers = papers
        self._texts: tuple[str, ...] = ()
        self._held: Counter[str] = Counter()  # a word as matched -> the papers holding it
        self._spelt: dict[str, Counter[str]] = {}  # a word as matched -> as the papers spell it

    def _read(self) -> tuple[str, ...]:
        if not self._texts:
            texts = []
            for paper in self._papers:
                raw = _matched_text(paper)
                tokens = text_tokens(raw)
                for token, word in zip(tokens, text_words(raw), strict=True):
                    self._spelt.setdefault(token, Counter())[word] += 1
                self._held.update(set(tokens))
                texts.append(f" {' '.join(tokens)} ")
            self._texts = tuple(texts)
        return self._texts

    def mentioned(self, phrase: str) -> bool:
        """Whether a paper mentions `phrase`, as `match` reads it."""
        padded = _padded(phrase)
        return any(padded in text for text in self._read())

    def respelled(self, phrase: str) -> tuple[str, ...]:
        """`phrase` with each word no paper has replaced by the one they have nearest in
        spelling (one edit, two from six letters; the one more papers hold first), if some
        paper mentions that: the search page's "Did you mean" (docs/search.md)."""
        self._read()
        words = []
        for token, word in zip(text_tokens(phrase), text_words(phrase), strict=True):
            if token in self._held:
                words.append(word)
                continue
            most = 2 if len(token) >= 6 else 1
            near = [(distance, -held, known) for known, held in self._held.items()
                    if (distance := edits(token, known, most)) <= most]  # fmt: skip
            if not near:
                return ()
            words.append(self._spelt[min(near)[2]].most_common(1)[0][0])
        again = " ".join(words)
        return (again,) if self.mentioned(again) else ()


def _nearest(name: str, known: Mapping[str, str]) -> tuple[str, ...]:
    """The names of `known` (by key) nearest `name`, as a misspelling is near its word."""
    close = difflib.get_close_matches(_name_key(name), sorted(known), n=3, cutoff=0.8)
    return tuple(dict.fromkeys(known[key] for key in close))


def select_papers(
    admits: Callable[[str], bool],
    newest: Iterable[str],
    limit: int,
    recent: Callable[[str], bool],
) -> tuple[str, ...]:
    """The papers of `newest` (newest first) that the feed `admits`: every `recent` one, so a
    reader who polls once a day misses none of a large day, and at least the newest `limit`."""
    chosen: list[str] = []
    for paper_id in newest:
        # Once `limit` are chosen, only recent ones: a day that came late is further on.
        if (len(chosen) < limit or recent(paper_id)) and admits(paper_id):
            chosen.append(paper_id)
    return tuple(chosen)
