"""Topic assignment: keyword rules from site.toml over a paper's title, abstract and keywords.

Rules are data (site.toml) applied at build time, so editing them re-topics every paper without
re-ingesting anything. A paper gets at most three rule topics, the best-scoring.

A keyword is a phrase of words; text and keywords are split into the same lowercase word
tokens (a trailing plural "s" dropped), so "Diffusion Models" matches the keyword
"diffusion model" and "RL" never matches inside "world".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from sitegen.model import Paper, Topic

_TITLE_WEIGHT = 2  # a keyword in the title decides on its own
_THRESHOLD = 2  # otherwise two mentions in the abstract, or a source keyword plus one mention
MAX_RULE_TOPICS = 3  # the best-scoring topics only: five tags on a paper tell a reader nothing
_WORD = re.compile(r"[^\W_]+")
# A trailing "s" of a word of four or more letters, unless "ss": "models" -> "model".
_PLURAL_S = re.compile(r"(?<![^\W_])([^\W_]{2,}[^\W_s])s(?![^\W_])")


@dataclass(frozen=True, slots=True)
class TopicMatcher:
    phrases: Mapping[tuple[str, ...], tuple[str, ...]]  # keyword tokens -> topic slugs
    lengths: Mapping[str, tuple[int, ...]]  # first word of a keyword -> its keywords' lengths
    known: frozenset[str]
    order: Mapping[str, int]  # topic slug -> its place in site.toml


def compile_topics(topics: tuple[Topic, ...]) -> TopicMatcher:
    phrases: dict[tuple[str, ...], list[str]] = {}
    for topic in topics:
        for keyword in topic.keywords:
            tokens = _tokens(keyword)
            if tokens and topic.slug not in phrases.setdefault(tokens, []):
                phrases[tokens].append(topic.slug)
    lengths: dict[str, set[int]] = {}
    for tokens in phrases:
        lengths.setdefault(tokens[0], set()).add(len(tokens))
    return TopicMatcher(
        phrases={tokens: tuple(slugs) for tokens, slugs in phrases.items()},
        lengths={word: tuple(sorted(n)) for word, n in lengths.items()},
        known=frozenset(topic.slug for topic in topics),
        order={topic.slug: index for index, topic in enumerate(topics)},
    )


def assign_topics(paper: Paper, matcher: TopicMatcher) -> tuple[str, ...]:
    """The paper's topic slugs: those it was given by hand, then those its text matches."""
    scores: dict[str, int] = {}
    for text, weight in (
        (paper.title, _TITLE_WEIGHT),
        (paper.abstract, 1),
        (" ; ".join(paper.keywords), 1),
    ):
        for slug in _matches(_tokens(text), matcher):
            scores[slug] = scores.get(slug, 0) + weight
    ranked = sorted(
        (slug for slug, score in scores.items() if score >= _THRESHOLD),
        key=lambda slug: (-scores[slug], matcher.order[slug]),
    )
    matched = sorted(ranked[:MAX_RULE_TOPICS], key=matcher.order.__getitem__)
    manual = tuple(slug for slug in paper.topics if slug in matcher.known)
    return tuple(dict.fromkeys((*manual, *matched)))


def _matches(tokens: tuple[str, ...], matcher: TopicMatcher) -> list[str]:
    # Most words start no keyword: one dict lookup each, n-grams only where one may start.
    found: list[str] = []
    phrases, lengths = matcher.phrases, matcher.lengths
    remaining = len(tokens)
    for start, word in enumerate(tokens):
        for length in lengths.get(word, ()):
            if length > remaining - start:
                break  # lengths are sorted; a cut-off slice must not match a shorter keyword
            slugs = phrases.get(tokens[start : start + length])
            if slugs:
                found.extend(slugs)
    return found


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(_PLURAL_S.sub(r"\1", text.casefold())))
