"""Topic assignment: site.toml's rules over a paper's title, abstract and source keywords.

Rules are data (site.toml) applied at build time, so editing them re-topics every paper without
re-ingesting anything. The taxonomy has two kinds of topic (issue #18): areas, the field a paper
belongs to (one to three, the `fallback` area when no other is found), and facets, a method or
theme across fields (at most two), so a method tag never pushes a paper's field out.

Evidence, weighed so that one stray word decides nothing:
- text and keywords are split into the same lowercase word tokens (a trailing plural "s"
  dropped), so "Diffusion Models" matches "diffusion model" and "RL" never matches in "world";
- the longest phrase wins and each word counts once: "vision-language model" is evidence for
  multimodal models and not also for "language model";
- a phrase in the title weighs 3; one of the listing's own keywords (Hugging Face's
  `ai_keywords`) weighs 2; one in the abstract weighs 1, three mentions of a phrase at most;
- a topic's `generic` words ("benchmark", "efficient") count only beside one of its keywords;
- an area needs a keyword in its title (3) or 4 from the abstract; so does a facet its title
  names, or 5 from the abstract with two different keywords (a generic word in the title
  counts as one); a second topic needs two fifths of the best one's score, unless it
  is a facet the title names (measured on the labelled papers of issue #18: what the
  abstract alone suggests is right half the time, what the title names nine in ten);
- a topic that `yields_to` others is dropped when one of them is found ("Language Models" gives
  way to "Agents"), but the `fallback` area stays when the title names it and not the other;
  with no area found, the area with the most evidence (3, or two of its keywords) is given,
  and failing that the `fallback` area.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sitegen.model import Paper, Topic, as_renamed, renamed_slugs
from sitegen.wording import counted, thousands

_TITLE_WEIGHT = 3  # a keyword in the title decides an area on its own
_SOURCE_KEYWORD_WEIGHT = 2  # the listing's own keyword for the paper
_ABSTRACT_REPEATS = 3  # a phrase said ten times in the abstract is not ten times the evidence
# The score a topic needs when its title names it and when only the abstract does: one title
# keyword, or four mentions for an area. A facet is a claim about what the paper contributes,
# not its field: the title's word decides ("DepthBench: Measuring ...", "... Evaluation
# Platform"; the labelled rounds 1 to 8 gain recall 0.753 from 0.750 at precision 0.821 from
# 0.823), while from the abstract it needs five mentions of at least two different keywords
# (one phrase repeated is often just the setting).
_AREA_NEEDS = (3, 4)
_FACET_NEEDS = (3, 5)
_FACET_ABSTRACT_KEYWORDS = 2
# A second area or facet must have two fifths of the first one's score: a paper mostly about
# continual learning that mentions "image" three times is not a vision paper.
_RUNNER_UP_SHARE = 2 / 5
# With no area qualified, the best area with this much evidence beats the fallback area, as
# does one with two different keywords of its own however briefly said: two phrases of one
# field say more than "no field found" (labelled rounds 1 to 15: 11 wrong fallback areas fewer
# and 7 right areas more; 7 of the 16 splits better, none worse).
_WEAK_AREA = 3
_WEAK_AREA_KEYWORDS = 2
MAX_AREAS = 3
MAX_FACETS = 2
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class TopicMatcher:
    """The taxonomy compiled once for matching many papers."""

    # phrase tokens -> (topic slug, whether the phrase is only a generic word of that topic)
    phrases: Mapping[tuple[str, ...], tuple[tuple[str, bool], ...]]
    lengths: Mapping[str, tuple[int, ...]]  # a phrase's first word -> lengths, longest first
    topics: Mapping[str, Topic]  # slug -> topic, in site.toml order
    order: Mapping[str, int]  # topic slug -> its place in site.toml
    renamed: Mapping[str, str]  # a slug of before a rename (`formerly`) -> the topic's now
    # (topic slug, phrase tokens) -> the phrase as site.toml writes it, to name it to an editor
    written: Mapping[tuple[str, tuple[str, ...]], str]


@dataclass(frozen=True, slots=True, kw_only=True)
class TopicEvidence:
    """Why a paper has a topic: its score and the phrases found."""

    slug: str
    score: int
    keywords: tuple[str, ...]  # the topic's keywords found, as written in the text's tokens
    generic: tuple[str, ...]  # its generic words found (they counted because keywords did)
    in_title: bool = False  # one of its keywords is in the title
    generic_in_title: bool = False  # one of its generic words is in the title
    by_hand: bool = False  # given in the paper's `topics`; no rule needed
    fallback: bool = False  # the fallback area, given because no other area was found

    @property
    def rests_on_one_word(self) -> bool:
        """Given by a rule on the strength of a single one-word keyword (a fragile assignment)."""
        return (
            not self.by_hand
            and not self.fallback
            and len(self.keywords) == 1
            and " " not in self.keywords[0]
        )


def compile_topics(topics: tuple[Topic, ...]) -> TopicMatcher:
    phrases: dict[tuple[str, ...], dict[str, bool]] = {}
    written: dict[tuple[str, tuple[str, ...]], str] = {}
    for topic in topics:
        for words, generic in (
            *((k, False) for k in topic.keywords),
            *((g, True) for g in topic.generic),
        ):
            tokens = text_tokens(words)
            if tokens:
                found = phrases.setdefault(tokens, {})
                # A phrase listed both ways for one topic is a keyword.
                found[topic.slug] = found.get(topic.slug, True) and generic
                written.setdefault((topic.slug, tokens), words)
    lengths: dict[str, set[int]] = {}
    for tokens in phrases:
        lengths.setdefault(tokens[0], set()).add(len(tokens))
    return TopicMatcher(
        phrases={tokens: tuple(slugs.items()) for tokens, slugs in phrases.items()},
        lengths={word: tuple(sorted(n, reverse=True)) for word, n in lengths.items()},
        topics={topic.slug: topic for topic in topics},
        order={topic.slug: index for index, topic in enumerate(topics)},
        renamed=renamed_slugs(topics),
        written=written,
    )


def _with_topics_renamed(paper: Paper, renamed: Mapping[str, str]) -> Paper:
    """The paper with its `topics` and `not_topics` of before a rename read as now."""
    if not renamed or not renamed.keys() & {*paper.topics, *paper.not_topics}:
        return paper
    return dataclasses.replace(
        paper,
        topics=as_renamed(paper.topics, renamed),
        not_topics=as_renamed(paper.not_topics, renamed),
    )


def assign_topics(paper: Paper, matcher: TopicMatcher) -> tuple[str, ...]:
    """The paper's topic slugs: those it was given by hand, then its areas, then its facets."""
    return tuple(evidence.slug for evidence in explain_topics(paper, matcher))


def explain_topics(paper: Paper, matcher: TopicMatcher) -> tuple[TopicEvidence, ...]:
    """The paper's topics, as `assign_topics` gives them, each with the evidence for it. The
    rules choose among the topics but its `not_topics` (so another area may take a refused
    one's place)."""
    return _choose(paper, matcher, explain=False)[0]


# Why a topic with evidence was not given, by kind: what `_qualifies` asks.
_TOO_LITTLE = {
    "area": "too little for an area: a keyword in the title, or a score of"
    f" {_AREA_NEEDS[1]} without one",
    "facet": "too little for a facet: a keyword in the title, or a score of"
    f" {_FACET_NEEDS[1]} from two different keywords without one",
}


def _choose(
    paper: Paper, matcher: TopicMatcher, *, explain: bool
) -> tuple[tuple[TopicEvidence, ...], dict[str, str]]:
    """`explain_topics`, and with `explain`, why each other topic with evidence was passed over
    (by slug): one copy of the rules for the build and for `--topics-why`, whose reasons the
    build does not spend time writing."""
    paper = _with_topics_renamed(paper, matcher.renamed)
    found = {
        slug: evidence
        for slug, evidence in _evidence(paper, matcher).items()
        if slug not in paper.not_topics
    }
    topics = matcher.topics
    passed_over: dict[str, str] = {}
    qualified = {}
    for slug, evidence in found.items():
        if _qualifies(evidence, topics[slug].kind == "area"):
            qualified[slug] = evidence
        elif explain:
            passed_over[slug] = _TOO_LITTLE[topics[slug].kind]
    for slug in list(qualified):
        ways = (o for o in topics[slug].yields_to if _gives_way(qualified, slug, o, matcher))
        if (other := next(ways, None)) is not None:
            del qualified[slug]
            if explain:
                passed_over[slug] = f"gives way to {other} (its yields_to)"
    areas = _best(
        [e for e in qualified.values() if topics[e.slug].kind == "area"], MAX_AREAS, matcher
    )
    facets = _best(
        [e for e in qualified.values() if topics[e.slug].kind != "area"], MAX_FACETS, matcher
    )
    if explain:
        passed_over |= _left_out(qualified.values(), areas, facets, matcher)
    if not areas:
        weak = [
            e
            for e in found.values()
            if topics[e.slug].kind == "area"
            and (e.score >= _WEAK_AREA or len(e.keywords) >= _WEAK_AREA_KEYWORDS)
            and not any(other in found for other in topics[e.slug].yields_to)
        ]
        areas = _best(weak, 1, matcher)
    if not areas:
        areas = [
            TopicEvidence(slug=t.slug, score=0, keywords=(), generic=(), fallback=True)
            for t in topics.values()
            if t.fallback and t.kind == "area" and t.slug not in paper.not_topics
        ]
    manual = [
        TopicEvidence(slug=slug, score=0, keywords=(), generic=(), by_hand=True)
        for slug in paper.topics
        if slug in topics
    ]
    chosen: dict[str, TopicEvidence] = {}
    for evidence in (*manual, *areas, *facets):
        chosen.setdefault(evidence.slug, evidence)
    return tuple(chosen.values()), passed_over


def _left_out(
    qualified: Iterable[TopicEvidence],
    areas: Sequence[TopicEvidence],
    facets: Sequence[TopicEvidence],
    matcher: TopicMatcher,
) -> dict[str, str]:
    """Why each qualified topic `_best` did not keep was left out: the two fifths of the best
    one's score, or the cap of its kind."""
    reasons = {}
    # The caps in words: MAX_AREAS and MAX_FACETS.
    for kind, kept, many in (("area", areas, "three areas"), ("facet", facets, "two facets")):
        ranked = _ranked((e for e in qualified if matcher.topics[e.slug].kind == kind), matcher)
        kept_slugs = {e.slug for e in kept}
        for evidence, clears in ranked:
            if evidence.slug in kept_slugs:
                continue
            if not clears:
                best = ranked[0][0]
                reasons[evidence.slug] = (
                    f"under two fifths of the score of {best.slug} ({best.score})"
                )
            else:
                first = [e.slug for e, _ in ranked if e.slug in kept_slugs]
                listed = f"{', '.join(first[:-1])} and {first[-1]}" if len(first) > 1 else first[0]
                reasons[evidence.slug] = f"{many} at most: {listed} came first"
    return reasons


def _qualifies(evidence: TopicEvidence, is_area: bool) -> bool:
    in_title, in_abstract = _AREA_NEEDS if is_area else _FACET_NEEDS
    if evidence.in_title:
        return evidence.score >= in_title
    if is_area:
        return evidence.score >= in_abstract
    # A facet from the abstract: two different keywords, or one and a generic word in the title
    # ("Efficient ..." and "parameter-efficient" in the abstract).
    distinct = len(evidence.keywords) + evidence.generic_in_title
    return evidence.score >= in_abstract and distinct >= _FACET_ABSTRACT_KEYWORDS


def _gives_way(
    qualified: Mapping[str, TopicEvidence], slug: str, other: str, matcher: TopicMatcher
) -> bool:
    if other not in qualified:
        return False
    # The fallback area gives way to every other area, but a method its title names ("federated
    # learning", "label noise") is the paper's subject beside an area only its abstract suggests.
    # ("LLM" in a title is no such claim: Language Models give way all the same.)
    named_alone = qualified[slug].in_title and not qualified[other].in_title
    return not (matcher.topics[slug].fallback and named_alone)


def _best(found: list[TopicEvidence], limit: int, matcher: TopicMatcher) -> list[TopicEvidence]:
    kept = [evidence for evidence, clears in _ranked(found, matcher) if clears][:limit]
    return sorted(kept, key=lambda e: matcher.order[e.slug])


def _ranked(
    found: Iterable[TopicEvidence], matcher: TopicMatcher
) -> list[tuple[TopicEvidence, bool]]:
    """`found` (topics of one kind), the best first, each with whether it clears two fifths of
    the best one's score: what `_best` keeps, up to its kind's cap, and `_left_out` explains."""
    ranked = sorted(found, key=lambda e: (-e.score, matcher.order[e.slug]))
    if not ranked:
        return []
    floor = ranked[0].score * _RUNNER_UP_SHARE
    # A facet the title names is a claim of the paper's, however much more the abstract says
    # of another ("Compute-Aware Evaluation of Adversarial Robustness").
    facets = matcher.topics[ranked[0].slug].kind != "area"
    return [(e, e.score >= floor or (facets and e.in_title)) for e in ranked]


def _evidence(paper: Paper, matcher: TopicMatcher) -> dict[str, TopicEvidence]:
    scores: dict[str, int] = {}
    keywords: dict[str, dict[str, None]] = {}
    generic: dict[str, dict[str, None]] = {}
    in_title: set[str] = set()
    generic_in_title: set[str] = set()
    for text, weight, repeats, is_title in (
        (paper.title, _TITLE_WEIGHT, None, True),
        (" ; ".join(paper.keywords), _SOURCE_KEYWORD_WEIGHT, None, False),
        (paper.abstract, 1, _ABSTRACT_REPEATS, False),
    ):
        seen: dict[tuple[str, ...], int] = {}
        for phrase in _phrases(text_tokens(text), matcher):
            seen[phrase] = seen.get(phrase, 0) + 1
            if repeats is not None and seen[phrase] > repeats:
                continue
            for slug, is_generic in matcher.phrases[phrase]:
                scores[slug] = scores.get(slug, 0) + weight
                words = " ".join(phrase)
                if is_generic:
                    generic.setdefault(slug, {})[words] = None
                    if is_title:
                        generic_in_title.add(slug)
                else:
                    keywords.setdefault(slug, {})[words] = None
                    if is_title:
                        in_title.add(slug)
    # Generic words count only beside a keyword of their topic.
    return {
        slug: TopicEvidence(
            slug=slug,
            score=scores[slug],
            keywords=tuple(found),
            generic=tuple(generic.get(slug, ())),
            in_title=slug in in_title,
            generic_in_title=slug in generic_in_title,
        )
        for slug, found in keywords.items()
    }


def _phrases(tokens: tuple[str, ...], matcher: TopicMatcher) -> Iterable[tuple[str, ...]]:
    # Leftmost longest: a phrase found consumes its words, so "policy optimization" is not also
    # "optimization". Most words start no phrase: one dict lookup each.
    phrases, lengths = matcher.phrases, matcher.lengths
    start, end = 0, len(tokens)
    while start < end:
        for length in lengths.get(tokens[start], ()):
            phrase = tokens[start : start + length]
            if len(phrase) == length and phrase in phrases:
                yield phrase
                start += length
                break
        else:
            start += 1


def text_words(text: str) -> list[str]:
    """The words of `text` that `text_tokens` gives, as spelt (casefolded, a plural kept)."""
    return _WORD.findall(text.casefold())


def text_tokens(text: str) -> tuple[str, ...]:
    """The words topic rules compare (any case, punctuation and a plural "s" ignored); custom
    feeds match their phrases the same way."""
    # A trailing "s" of a word of four or more letters, unless "ss": "models" -> "model". Cut
    # per word, not by a regex over the text: 2.4x faster, and matching every paper's
    # abstract was a fifth of a cold build's CPU at 10k papers (the cold-build budget).
    return tuple(
        w[:-1] if w[-1] == "s" and len(w) > 3 and w[-2] != "s" else w for w in text_words(text)
    )


def why_topics(paper: Paper, taxonomy: tuple[Topic, ...]) -> list[str]:
    """Lines that say why the paper has each of its topics, and what evidence other topics
    found that was not enough: what a site's editor reads to mend a rule."""
    matcher = compile_topics(taxonomy)
    paper = _with_topics_renamed(paper, matcher.renamed)
    given, passed_over = _choose(paper, matcher, explain=True)
    chosen = {evidence.slug for evidence in given}
    lines = [f"{paper.id}: {paper.title}"]
    for evidence in given:
        lines.append(f"  {evidence.slug}: {_evidence_said(evidence, matcher)}")
    for slug in sorted(paper.not_topics):
        lines.append(f"  not {slug}: refused by the paper's not_topics")
    unused = [e for e in _evidence(paper, matcher).values() if e.slug not in chosen]
    for evidence in sorted(unused, key=lambda e: (-e.score, matcher.order[e.slug])):
        if evidence.slug not in paper.not_topics:
            said = _evidence_said(evidence, matcher)
            lines.append(f"  not {evidence.slug}: {said}; {passed_over[evidence.slug]}")
    if not any(matcher.topics[slug].kind == "area" for slug in chosen):
        fallback = [t.slug for t in matcher.topics.values() if t.fallback and t.kind == "area"]
        none = "none it does not refuse" if paper.not_topics else "none"
        lines.append(
            f"  no area: {none} had evidence enough, and "
            + (
                f"it refuses {fallback[0]}, the fallback area"
                if fallback
                else "site.toml has no fallback area"
            )
        )
    return lines


def _evidence_said(evidence: TopicEvidence, matcher: TopicMatcher) -> str:
    if evidence.by_hand:
        return "given by hand (the paper's topics)"
    if evidence.fallback:
        return "the fallback area: no other area had evidence enough"

    def as_written(phrases: tuple[str, ...]) -> str:
        # As site.toml writes them ("diagnosis", "X-ray"), not as matched ("diagnosi", "x ray").
        key = evidence.slug
        return ", ".join(f'"{matcher.written[key, tuple(p.split(" "))]}"' for p in phrases)

    found, generic = as_written(evidence.keywords), as_written(evidence.generic)
    also = f", generic {generic}" if generic else ""
    where = "one in the title" if evidence.in_title else "none in the title"
    return f"score {evidence.score} from {found}{also} ({where})"


@dataclass(frozen=True, slots=True, kw_only=True)
class TopicChange:
    """One topic's line in a `TopicReport`."""

    slug: str
    name: str
    papers: int  # papers with the topic under the current rules
    one_word: int  # of those, papers that have it on the strength of a single one-word keyword
    gained: tuple[str, ...] = ()  # paper ids that have it now and did not before, sorted
    lost: tuple[str, ...] = ()  # paper ids that had it before and do not now, sorted


@dataclass(frozen=True, slots=True, kw_only=True)
class TopicReport:
    """What the topic rules do to a set of papers, and what changed since other rules."""

    papers: int
    without_area: int  # papers left with no area (no fallback area in the taxonomy)
    topics: tuple[TopicChange, ...]  # in site.toml order, then topics the rules no longer have
    compared: bool  # whether previous rules were given (gained and lost are meaningful)
    titles: Mapping[str, str]  # of papers moved
    # (slug before, slug now) of a topic whose papers all went to a new one: a rename without
    # `formerly`, said in one line rather than each paper lost and gained
    moved_whole: tuple[tuple[str, str], ...] = ()

    def lines(self) -> list[str]:
        """Each paper moved, if compared, then the table and what a rename did: the summary
        last, where a terminal leaves it in view (a trial: at thousands of papers the list of
        moves scrolled the table out of sight)."""
        said = {slug for pair in self.moved_whole for slug in pair}
        out = [
            f"{sign} {topic.slug}: {paper_id}  {self.titles.get(paper_id, '')[:70]}"
            for topic in (self.topics if self.compared else ())
            if topic.slug not in said
            for sign, ids in (("+", topic.gained), ("-", topic.lost))
            for paper_id in ids
        ]
        width = max((len(t.slug) for t in self.topics), default=5)
        header = f"{'topic':<{width}}  papers  one-word"
        if self.compared:
            header += "  gained  lost"
        papers = f"topics of {counted(self.papers, 'paper')}; {thousands(self.without_area)}"
        out += [f"{papers} without an area", header]
        for topic in self.topics:
            line = f"{topic.slug:<{width}}  {topic.papers:>6}  {topic.one_word:>8}"
            if self.compared:
                gained, lost = _change(len(topic.gained)), _change(-len(topic.lost))
                line += f"  {gained:>6}  {lost:>4}"
            out.append(line)
        if self.compared:
            for old, new in self.moved_whole:
                count = next(len(t.gained) for t in self.topics if t.slug == new)
                out.append(
                    f"{old} -> {new}: its {counted(count, 'paper')} under a new"
                    " slug; the pages and feeds"
                    f' of {old} are gone, unless {new}\'s table says formerly = ["{old}"]'
                )
            out.append("why a paper has its topics: sitegen build --topics-why ID")
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())


def _change(count: int) -> str:
    """+3, -2, and 0 for none (not "+0": found by a trial)."""
    return f"{count:+}" if count else "0"


def topic_report(
    papers: Sequence[Paper],
    taxonomy: tuple[Topic, ...],
    *,
    previous: tuple[Topic, ...] | None = None,
) -> TopicReport:
    """Per topic: its papers, how many rest on one single-word keyword, and, given the rules
    before an edit (`previous`), the papers each topic gained and lost."""
    matcher = compile_topics(taxonomy)
    now = {paper.id: explain_topics(paper, matcher) for paper in papers}
    before: dict[str, set[str]] = {}
    # A topic renamed since (`formerly`) is compared with itself under its old slug (a review:
    # a rename alone listed each of its papers as lost, and again as gained).
    renamed = matcher.renamed
    if previous is not None:
        old = compile_topics(previous)
        before = {
            paper.id: {renamed.get(slug, slug) for slug in assign_topics(paper, old)}
            for paper in papers
        }
    names = {t.slug: t.name for t in (*(previous or ()), *taxonomy)}
    was = (renamed.get(t.slug, t.slug) for t in previous or ())
    slugs = list(dict.fromkeys((*(t.slug for t in taxonomy), *was)))
    changes = []
    for slug in slugs:
        having = {pid for pid, found in now.items() if any(e.slug == slug for e in found)}
        had = {pid for pid, found in before.items() if slug in found}
        changes.append(
            TopicChange(
                slug=slug,
                name=names[slug],
                papers=len(having),
                one_word=sum(
                    e.slug == slug and e.rests_on_one_word for f in now.values() for e in f
                ),
                gained=tuple(sorted(having - had)) if previous is not None else (),
                lost=tuple(sorted(had - having)),
            )
        )
    areas = {t.slug for t in taxonomy if t.kind == "area"}
    moved = {pid for change in changes for pid in (*change.gained, *change.lost)}
    return TopicReport(
        moved_whole=_moved_whole(changes, taxonomy, previous or ()),
        papers=len(papers),
        without_area=sum(1 for found in now.values() if not any(e.slug in areas for e in found)),
        topics=tuple(changes),
        compared=previous is not None,
        titles={paper.id: paper.title for paper in papers if paper.id in moved},
    )


def _moved_whole(
    changes: Sequence[TopicChange], taxonomy: tuple[Topic, ...], previous: tuple[Topic, ...]
) -> tuple[tuple[str, str], ...]:
    """Each topic of the old rules gone, whose papers a new topic has, all and only them."""
    new = {t.slug for t in taxonomy} - {t.slug for t in previous}
    gone = {t.slug for t in previous} - {t.slug for t in taxonomy} - {*renamed_slugs(taxonomy)}
    by_slug = {change.slug: change for change in changes}
    pairs = []
    for old in sorted(gone, key=[t.slug for t in previous].index):
        lost = by_slug[old].lost
        heir = next((s for s in sorted(new) if lost and by_slug[s].gained == lost), None)
        if heir is not None:
            pairs.append((old, heir))
            new.discard(heir)
    return tuple(pairs)
