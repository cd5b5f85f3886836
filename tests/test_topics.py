"""Topic rules: areas and facets from site.toml, judged against papers filed by hand (issue #18)."""

from __future__ import annotations

import functools
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from sitegen.config import parse_config
from sitegen.errors import ConfigError
from sitegen.listings import parse_listing
from sitegen.model import Paper, Topic
from sitegen.store import load_content
from sitegen.topics import (
    assign_topics,
    compile_topics,
    explain_topics,
    topic_report,
    why_topics,
)
from tests.conftest import REPO, build_report, rewrite, tree_bytes

LABELLED = Path(__file__).parent / "topics"

TOPICS = (
    Topic(slug="nli", name="NLI", description="", keywords=("natural language inference",)),
    Topic(slug="nl", name="NL", description="", keywords=("natural language",)),
    Topic(slug="rl", name="RL", description="", keywords=("rl", "reinforcement learning")),
    Topic(slug="diffusion", name="Diffusion", description="", keywords=("diffusion model",)),
    Topic(
        slug="llm",
        name="LLM",
        description="",
        keywords=("language model",),
        generic=("transformer",),
        yields_to=("agents",),
    ),
    Topic(slug="vlm", name="VLM", description="", keywords=("vision-language model",)),
    Topic(slug="agents", name="Agents", description="", keywords=("agent",)),
    Topic(slug="ml", name="ML", description="", fallback=True),
    Topic(
        slug="benchmarks",
        name="Benchmarks",
        description="",
        kind="facet",
        keywords=("a benchmark", "leaderboard"),
        generic=("benchmark", "evaluation"),
    ),
)
MATCHER = compile_topics(TOPICS)


def _paper(title: str, abstract: str = "", **fields: object) -> Paper:
    return Paper(id="p", title=title, abstract=abstract, **fields)  # type: ignore[arg-type]


def test_a_keyword_in_the_title_decides() -> None:
    assert assign_topics(_paper("Diffusion Models Beat GANs"), MATCHER) == ("diffusion",)


def test_the_abstract_must_say_it_four_times_or_three_when_no_other_area_is_found() -> None:
    assert assign_topics(_paper("T", "RL helps. More RL."), MATCHER) == ("ml",)
    # Three mentions are the best evidence there is: better than the fallback area.
    assert assign_topics(_paper("T", "RL helps. More RL. RL again."), MATCHER) == ("rl",)
    # Beside an area the title names, an area the abstract mentions three times is not given.
    three = "RL helps. More RL. RL again."
    assert assign_topics(_paper("Diffusion Models", three), MATCHER) == ("diffusion",)
    four = "Reinforcement learning: RL helps. More RL. RL again."
    assert assign_topics(_paper("Diffusion Models", four), MATCHER) == ("rl", "diffusion")


def test_with_no_area_qualified_a_general_area_still_yields_to_a_specific_one() -> None:
    # Three mentions each, no area qualified: Language Models, first in the taxonomy and as
    # strong, gives way to Agents, found too, as it would if both qualified.
    abstract = "A language model. A language model. A language model. An agent. An agent. An agent."
    assert assign_topics(_paper("T", abstract), MATCHER) == ("agents",)


def test_with_no_area_qualified_only_the_best_weak_area_is_given() -> None:
    abstract = (
        "RL helps. More RL. RL again. A diffusion model, a diffusion model, a diffusion model."
    )
    assert assign_topics(_paper("T", abstract), MATCHER) == ("rl",)


def test_with_no_area_qualified_two_keywords_of_an_area_said_once_each_beat_the_fallback() -> None:
    """Two phrases of one field say more than "no field found", however briefly said."""
    assert assign_topics(_paper("T", "Reinforcement learning helps, as RL does."), MATCHER) == (
        "rl",
    )


def test_words_match_whole_not_inside_other_words() -> None:
    assert assign_topics(_paper("A world of control", "world world world"), MATCHER) == ("ml",)


def test_the_longest_phrase_wins_and_its_words_count_once() -> None:
    # "vision-language model" is not also evidence for "language model".
    assert assign_topics(_paper("A Vision-Language Model"), MATCHER) == ("vlm",)
    # "natural language inference" ends the text: it must not match "natural language" instead.
    found = assign_topics(_paper("T", "natural language inference " * 3), MATCHER)
    assert found == ("nli",)


def test_generic_words_count_only_beside_a_keyword() -> None:
    # "Benchmark" and "evaluation" alone put no paper under Benchmarks (issue #18).
    words = "Benchmark results and evaluation. The benchmark, the evaluation, one benchmark."
    assert "benchmarks" not in assign_topics(_paper("Benchmark Evaluation", words), MATCHER)
    with_keyword = _paper("We Release a Benchmark", words)
    assert "benchmarks" in assign_topics(with_keyword, MATCHER)


def test_a_phrase_listed_as_keyword_and_generic_word_of_one_topic_is_a_keyword() -> None:
    matcher = compile_topics(
        (
            Topic(slug="graphs", name="G", description="", keywords=("graph",), generic=("graph",)),
            Topic(slug="ml", name="ML", description="", fallback=True),
        )
    )
    assert assign_topics(_paper("Graph Networks"), matcher) == ("graphs",)


def test_a_facet_from_the_abstract_alone_needs_two_different_keywords() -> None:
    # One phrase repeated is often the paper's setting, not its contribution.
    words = "We use a benchmark. On a benchmark, evaluation. A benchmark again, evaluation."
    assert "benchmarks" not in assign_topics(_paper("T", words), MATCHER)
    both = _paper("T", words + " We top the leaderboard.")
    assert "benchmarks" in assign_topics(both, MATCHER)
    # Two keywords, but a score of 4 where a facet from the abstract needs 5 (an area, 4).
    four = _paper("T", "We use a benchmark. We top the leaderboard. A benchmark, evaluation.")
    assert "benchmarks" not in assign_topics(four, MATCHER)
    # A generic word in the title counts as the second one.
    assert "benchmarks" in assign_topics(_paper("Benchmark Study", words), MATCHER)


def test_the_listing_keywords_count_twice_an_abstract_mention() -> None:
    paper = _paper("T", "RL once.", keywords=("reinforcement learning",))
    assert assign_topics(paper, MATCHER) == ("rl",)


def test_a_general_area_yields_to_a_specific_one() -> None:
    assert assign_topics(_paper("Language Model Agents"), MATCHER) == ("agents",)
    # Without the specific area it yields to, it stays beside another.
    assert assign_topics(_paper("Language Models for RL"), MATCHER) == ("rl", "llm")
    assert assign_topics(_paper("Language Models"), MATCHER) == ("llm",)


def test_the_fallback_area_stays_beside_an_area_only_the_abstract_suggests() -> None:
    matcher = compile_topics(
        (
            Topic(slug="rl", name="RL", description="", keywords=("rl", "reinforcement learning")),
            Topic(
                slug="ml",
                name="ML",
                description="",
                keywords=("federated learning",),
                yields_to=("rl",),
                fallback=True,
            ),
        )
    )
    abstract = "Reinforcement learning: RL helps. More RL. RL again."
    assert assign_topics(_paper("Federated Learning", abstract), matcher) == ("rl", "ml")
    assert assign_topics(_paper("Federated Learning for RL", abstract), matcher) == ("rl",)
    assert assign_topics(_paper("T", abstract + " Federated learning."), matcher) == ("rl",)


def test_the_fallback_area_is_given_when_no_other_area_is() -> None:
    assert assign_topics(_paper("On Nothing in Particular"), MATCHER) == ("ml",)
    (evidence,) = explain_topics(_paper("On Nothing in Particular"), MATCHER)
    assert evidence.fallback and not evidence.rests_on_one_word


def test_hand_given_topics_come_first_and_unknown_ones_are_ignored() -> None:
    paper = _paper("Diffusion models", topics=("rl", "astrology"))
    assert assign_topics(paper, MATCHER) == ("rl", "diffusion")


def test_a_topic_refused_by_hand_is_not_given_and_the_rules_choose_among_the_others() -> None:
    """Found by a reader's trial: a site's editor could not take one wrong topic off one paper
    ("OneRec: ... Generative Recommender" in Image and Media Generation)."""
    paper = _paper("Diffusion Models for RL", "Reinforcement learning with diffusion models.")
    assert assign_topics(paper, MATCHER) == ("rl", "diffusion")
    assert assign_topics(replace(paper, not_topics=("diffusion",)), MATCHER) == ("rl",)
    # A general area that gave way to the refused one is given again; without any, the fallback.
    agents = _paper("Language Model Agents")
    assert assign_topics(replace(agents, not_topics=("agents",)), MATCHER) == ("llm",)
    assert assign_topics(replace(agents, not_topics=("agents", "llm")), MATCHER) == ("ml",)
    # Every area refused, the fallback too: no area, as the editor asked (the report counts it).
    assert assign_topics(replace(agents, not_topics=("agents", "llm", "ml")), MATCHER) == ()


def test_a_paper_naming_a_topic_by_its_slug_before_a_rename_means_the_topic_now() -> None:
    """docs/topics.md: the old slug (`formerly`) goes on naming the topic in paper files'
    `topics` and `not_topics`."""
    renamed = compile_topics(
        tuple(
            replace(t, slug="reinforcement", formerly=(t.slug,)) if t.slug == "rl" else t
            for t in TOPICS
        )
    )
    given = _paper("Diffusion Models", topics=("rl",))
    assert assign_topics(given, renamed) == ("reinforcement", "diffusion")
    refused = _paper("Diffusion Models for RL", not_topics=("rl",))
    assert assign_topics(refused, renamed) == ("diffusion",)
    both = _paper("Diffusion Models for RL", topics=("agents",), not_topics=("rl",))
    assert assign_topics(both, renamed) == ("agents", "diffusion")


def test_at_most_three_areas_each_with_two_fifths_of_the_best_score() -> None:
    topics = tuple(
        Topic(
            slug=f"t{i}", name=f"T{i}", description="", keywords=(f"word{i}",), generic=(f"gen{i}",)
        )
        for i in range(5)
    )
    matcher = compile_topics(topics)
    # Scores: a title mention weighs 3, an abstract mention 1. t4=6 and t3=4 (in the title),
    # t1=4 and t0=3 (abstract only, where an area needs 4), t2=2.
    paper = _paper("word4 word4 word3", "word3 word0 word0 gen0 word1 word1 word1 gen1 word2 gen2")
    assert assign_topics(paper, matcher) == ("t1", "t3", "t4")  # in taxonomy order
    # t1 and t3 have 4, under two fifths of t4's 12: a paper about one thing that mentions
    # another, even in its title.
    paper = _paper("word4 word4 word4 word4 word3", "word1 word1 word1 gen1")
    assert assign_topics(paper, matcher) == ("t4",)


def test_at_most_two_facets_the_best_ones_and_the_areas_do_not_count_among_them() -> None:
    """A facet is a method or theme across fields: a paper gets its two best facets at most,
    beside its areas, however many areas it has."""
    facets = (("data", "dataset"), ("efficiency", "quantization"), ("safety", "jailbreak"))
    matcher = compile_topics(
        (
            Topic(slug="ml", name="ML", description="", fallback=True),
            Topic(slug="rl", name="RL", description="", keywords=("rl",)),
            Topic(slug="diffusion", name="Diffusion", description="", keywords=("diffusion",)),
            *(
                Topic(slug=slug, name=slug, description="", kind="facet", keywords=(keyword,))
                for slug, keyword in facets
            ),
        )
    )
    # Each facet in the title (3); Safety and Data said again in the abstract (4).
    paper = _paper("Jailbreaks: Quantization of a Dataset", "A jailbreak. A dataset.")
    assert assign_topics(paper, matcher) == ("ml", "data", "safety")
    # Two areas and a facet, each named by the title: all three.
    paper = _paper("Diffusion for RL: a Dataset")
    assert assign_topics(paper, matcher) == ("rl", "diffusion", "data")


def test_a_second_facet_from_the_abstract_needs_two_fifths_of_the_best_ones_score() -> None:
    matcher = compile_topics(
        (
            Topic(slug="ml", name="ML", description="", fallback=True),
            Topic(
                slug="data",
                name="Data",
                description="",
                kind="facet",
                keywords=("dataset", "data curation"),
            ),
            Topic(
                slug="efficiency",
                name="Efficiency",
                description="",
                kind="facet",
                keywords=("quantization", "pruning"),
            ),
        )
    )
    # Efficiency qualifies from the abstract (5, two keywords); Data has 12 from its title.
    title = "A Dataset of Data Curation, a Dataset for Data Curation"
    abstract = "Quantization, pruning, quantization, pruning, quantization."
    assert assign_topics(_paper(title, abstract), matcher) == ("ml", "data", "efficiency")
    # One more mention of Data's, 13: 5 is under its two fifths, and the title names no
    # Efficiency keyword.
    assert assign_topics(_paper(title, "A dataset. " + abstract), matcher) == ("ml", "data")


def test_evidence_names_the_phrases_found() -> None:
    (evidence,) = explain_topics(_paper("Diffusion Models", "A diffusion model."), MATCHER)
    assert evidence.slug == "diffusion" and evidence.score == 4
    assert evidence.keywords == ("diffusion model",) and not evidence.rests_on_one_word
    (rl,) = explain_topics(_paper("RL at scale"), MATCHER)
    assert rl.keywords == ("rl",) and rl.rests_on_one_word
    # Two keywords, the first of one word: not fragile (the report's one-word column).
    (rl,) = explain_topics(_paper("RL as Reinforcement Learning"), MATCHER)
    assert rl.keywords == ("rl", "reinforcement learning") and not rl.rests_on_one_word


# --- site.toml's taxonomy ------------------------------------------------------------------


def _config_with(topic_toml: str) -> str:
    head = (REPO / "site.toml").read_text().split("[[topics]]")[0]
    return head + topic_toml


def test_a_topic_table_refuses_unknown_keys_with_their_line() -> None:
    text = _config_with('[[topics]]\nslug = "a"\nname = "A"\nkeywords = ["a"]\nweight = 2\n')
    with pytest.raises(ConfigError) as error:
        parse_config(text, source="site.toml")
    assert "unknown key `weight`" in str(error.value)
    assert error.value.location.line == text.splitlines().index("weight = 2") + 1


def test_a_slug_used_twice_names_the_line_of_its_first_use() -> None:
    text = _config_with(
        '[[topics]]\nslug = "a"\nname = "A"\nkeywords = ["a"]\n\n'
        '[[topics]]\nslug = "a"\nname = "B"\nkeywords = ["b"]\n'
    )
    lines = text.splitlines()
    first = lines.index('slug = "a"') + 1
    with pytest.raises(ConfigError, match=f"topic slug 'a' is another topic's, on line {first}\\n"):
        parse_config(text, source="site.toml")


@pytest.mark.parametrize(
    "keyword", ["c++", "C#", "(clinic|hospital)s?", "med.*ical", "[Tt]ransformer"]
)
def test_a_keyword_written_as_a_pattern_is_refused_with_its_line(keyword: str) -> None:
    # A site owner's trial: punctuation is ignored, so "c++" matched every paper saying "C"
    # and "(clinic|hospital)s?" the phrase "clinic hospital s", which no paper says.
    text = _config_with(f'[[topics]]\nslug = "a"\nname = "A"\nkeywords = ["{keyword}"]\n')
    with pytest.raises(ConfigError) as error:
        parse_config(text, source="site.toml")
    assert f"holds {keyword!r}, but a phrase is matched as words" in str(error.value)
    assert error.value.location.line == text.splitlines().index(f'keywords = ["{keyword}"]') + 1


def test_a_keyword_may_hold_parentheses_as_a_phrase_does() -> None:
    site_toml = (REPO / "site.toml").read_text()
    keyword = "retrieval-augmented generation (RAG)"
    text = f'{site_toml}\n[[topics]]\nslug = "rag"\nname = "RAG"\nkeywords = ["{keyword}"]\n'
    matcher = compile_topics(parse_config(text, source="site.toml").topics)
    title = "Retrieval-Augmented Generation (RAG) for Long Documents"
    assert "rag" in assign_topics(_paper(title), matcher)


def test_a_keyword_typed_with_a_separate_accent_matches_the_text_with_its_letter() -> None:
    # "médical" typed as e and a combining accent split into "me" and "dical" and matched nothing.
    decomposed = "me\u0301dical imaging"
    site_toml = (REPO / "site.toml").read_text()
    text = f'{site_toml}\n[[topics]]\nslug = "med"\nname = "Med"\nkeywords = ["{decomposed}"]\n'
    matcher = compile_topics(parse_config(text, source="site.toml").topics)
    assert "med" in assign_topics(_paper("Médical Imaging at Scale"), matcher)


def test_kind_and_yields_to_are_checked() -> None:
    bad_kind = _config_with('[[topics]]\nslug = "a"\nname = "A"\nkind = "tag"\n')
    with pytest.raises(ConfigError, match="area"):
        parse_config(bad_kind, source="site.toml")
    bad_yield = _config_with('[[topics]]\nslug = "a"\nname = "A"\nyields_to = ["b"]\n')
    with pytest.raises(ConfigError, match="no topic"):
        parse_config(bad_yield, source="site.toml")


def _default_taxonomy() -> tuple[Topic, ...]:
    return parse_config((REPO / "site.toml").read_text(), source="site.toml").topics


def _all_papers() -> dict[str, Paper]:
    """The 450 bundled papers, the 33 of the real Hugging Face answers (with ai_keywords) and 84
    entries of real answers saved by other projects, 515 papers of Daily Papers pages one saved
    and 72 of a public mirror of Daily Papers (tests/topics/hf/README.md)."""
    papers = dict(load_content(REPO).papers)
    for answer in sorted((LABELLED / "hf").glob("*.json")):
        for entry in parse_listing(answer.read_bytes(), origin=answer.name).entries:
            assert entry.arxiv_id
            papers[entry.arxiv_id] = Paper(
                id=entry.arxiv_id,
                title=entry.title,
                abstract=entry.abstract,
                keywords=entry.keywords,
            )
    return papers


def test_the_default_taxonomy_has_areas_and_facets_and_no_topic_holds_most_papers() -> None:
    taxonomy = _default_taxonomy()
    kinds = Counter(topic.kind for topic in taxonomy)
    assert kinds["area"] >= 12 and kinds["facet"] >= 4
    matcher = compile_topics(taxonomy)
    areas = {t.slug for t in taxonomy if t.kind == "area"}
    papers = _all_papers()
    found = {pid: assign_topics(paper, matcher) for pid, paper in papers.items()}
    assert len(found) == 1154
    assert all(areas & set(slugs) for slugs in found.values())  # every paper has a field
    counts = Counter(slug for slugs in found.values() for slug in slugs)
    assert max(counts.values()) < len(found) / 3, counts.most_common(3)


# --- the labelled set (tests/topics/labelled.toml) -----------------------------------------


def _labelled() -> list[dict[str, Any]]:
    """Every entry of tests/topics/labelled.toml: id, title, split and the topics given."""
    entries: list[dict[str, Any]] = tomllib.loads((LABELLED / "labelled.toml").read_text())["paper"]
    return entries


@dataclass(frozen=True)
class Judgement:
    precision: float  # share of assigned topics a researcher gave too
    recall: float  # share of the researcher's topics that were assigned
    worst_topic: tuple[str, float]  # the least precise topic assigned at least 5 times
    without_topic: float  # share of papers with no topic at all


def _judge(assign: dict[str, tuple[str, ...]], *splits: str) -> Judgement:
    labelled = _labelled()
    right = assigned = wanted = empty = 0
    per_topic: Counter[str] = Counter()
    per_topic_right: Counter[str] = Counter()
    papers = [entry for entry in labelled if entry["split"] in splits]
    for entry in papers:
        got, want = set(assign[entry["id"]]), set(entry["topics"])
        right, assigned, wanted = right + len(got & want), assigned + len(got), wanted + len(want)
        empty += not got
        per_topic.update(got)
        per_topic_right.update(got & want)
    worst = min(
        ((slug, per_topic_right[slug] / n) for slug, n in per_topic.items() if n >= 5),
        key=lambda item: item[1],
    )
    return Judgement(
        precision=right / assigned,
        recall=right / wanted,
        worst_topic=worst,
        without_topic=empty / len(papers),
    )


def test_the_labelled_set_is_large_and_names_real_papers_and_topics() -> None:
    labelled = _labelled()
    papers = _all_papers()
    slugs = {topic.slug for topic in _default_taxonomy()}
    splits = Counter(entry["split"] for entry in labelled)
    assert len(labelled) >= 1154
    assert all(splits[f"held-out-{n}"] >= 60 for n in range(1, 8))
    assert splits["held-out-8"] >= 45
    assert all(splits[f"held-out-{n}"] >= 60 for n in (9, 10, 11, 12, 13, 14, 15, 16))
    assert splits["held-out-17"] >= 70
    assert set(splits) == {"tuning", *(f"held-out-{n}" for n in range(1, 18))}
    assert len({entry["id"] for entry in labelled}) == len(labelled)
    for entry in labelled:
        assert papers[entry["id"]].title == entry["title"]
        assert entry["topics"] and set(entry["topics"]) <= slugs, entry["id"]


@functools.cache
def _assigned_by_the_default_rules() -> dict[str, tuple[str, ...]]:
    matcher = compile_topics(_default_taxonomy())
    return {pid: assign_topics(paper, matcher) for pid, paper in _all_papers().items()}


def _assert_floors(*splits: str, precision: float, recall: float, worst_topic: float) -> None:
    """The default rules on `splits` at least at these floors, and under 3% without a topic."""
    judged = _judge(_assigned_by_the_default_rules(), *splits)
    assert judged.precision >= precision
    assert judged.recall >= recall
    assert judged.worst_topic[1] >= worst_topic, judged.worst_topic
    assert judged.without_topic < 0.03


# Each round of the labelled set and the floors its papers hold the rules to: what they measure,
# raised as the rules get better, never lowered. Beside each round, how it was drawn and what
# each set of rules measured on it. A new round is one row.
ROUNDS = [
    # Round 1's held-out papers, since tuned on: the rules of round 7 measure precision 0.855,
    # recall 0.875, least precise topic 0.60 (Theory and Optimization), none without a topic;
    # those of round 9 precision 0.862, the rest alike.
    (("held-out-1",), 0.86, 0.89, 0.6),
    # Rounds 2 and 3 (128 bundled papers) were fresh for the rules of round 1 (precision 0.779,
    # recall 0.700, least precise topic 0.58), round 4 (60) for those of round 4 (0.845, 0.707,
    # 0.60), round 5 (60) for those of round 5 (0.796, 0.638, 0.44), round 6 (60) for those of
    # round 6 (0.755, 0.597, 0.43); all were studied to write the rules of round 7, which
    # measure 0.846, 0.764, 0.71 (Machine Learning Methods) on rounds 2 and 3, 0.925, 0.845,
    # 0.86 (Efficiency) on round 4, 0.800, 0.690, 0.44 on round 5 and 0.752, 0.613, 0.43 on
    # round 6 (Machine Learning Methods both), none without a topic. The rules of round 9
    # measure the same.
    (("held-out-2", "held-out-3"), 0.84, 0.77, 0.72),
    (("held-out-4",), 0.92, 0.84, 0.85),
    (("held-out-5",), 0.81, 0.70, 0.5),
    (("held-out-6",), 0.76, 0.62, 0.5),
    # Round 7 (held-out-7: the 22 bundled papers no round had labelled and 39 real Daily
    # Papers entries of 2026) was labelled after these rules were tuned on every other split,
    # and measured once: precision 0.736 (81 of 110), recall 0.643 (81 of 126), none without
    # a topic. Areas 64 of the 89 given by hand (0.72), facets 17 of 37 (0.46). The least
    # precise topic assigned 5 times or more is the fallback area, Machine Learning Methods,
    # wrong all 5 times: on these papers it is given only for lack of evidence, and a floor of
    # 0 would assert nothing, so none is set. Agents come next, 7 of 12. Issue #18 asks for
    # 0.90, 0.85, 0.80 and under 3%: only the last is met. The 27 entries whose abstract was
    # saved shortened have recall 0.55 (32 of 58), the rest 0.72 (49 of 68). Raise these
    # floors as the rules get better, never lower them; after tuning on these papers, label a
    # new sample. The rules since (round 8, changed after reading rounds 7 and 8: coding
    # agents are Code's alone) measure 0.743 and 0.643 here; those of round 9 (tuned on rounds
    # 1 to 8) 0.754 and 0.683, least precise topic 0.62 (Theory and Optimization, 5 of 8);
    # those of round 11 0.757 and 0.690.
    (("held-out-7",), 0.76, 0.69, 0.62),
    # Round 8 (held-out-8: the other 45 entries of a real answer of September 2026, whole
    # abstracts with ai_keywords, the papers the site lists) was labelled after round 7 was
    # measured, the rules unchanged, and measured once: precision 0.750 (66 of 88), recall
    # 0.680 (66 of 97), least precise topic assigned 5 times or more 0.60 (Large Language
    # Models, 6 of 10), none without a topic. Areas 54 of 74 (0.73), facets 12 of 23 (0.52).
    # The rules changed after reading it (round 8's, see round 7) measure the same here; those
    # of round 9 0.773 and 0.701, least precise topic 0.67 (Reinforcement Learning, 8 of 12),
    # and 0.761, 0.698 and 0.62 (Large Language Models, 5 of 8) once a label was fixed in round
    # 9 (MetroLLM-Bench is Agents', not also Language Models': see labelled.toml).
    (("held-out-8",), 0.78, 0.72, 0.62),
    # Round 9 (held-out-9: 62 real Daily Papers entries of March and April 2026, whole
    # abstracts, no ai_keywords) was labelled before the rules of round 9 were written (tuned
    # on rounds 1 to 8 only) and measured once: precision 0.798 (99 of 124), recall 0.702 (99
    # of 141), none without a topic. Areas 82 of 101 right and 82 of the 112 given by hand
    # (0.81, 0.73); facets 17 of 23 and 17 of 29 (0.74, 0.59). Least precise topic assigned 5
    # times or more: Computer Vision, 2 of 5 (vision words in 3D, vision-language and
    # robustness papers); Efficiency 6 of 11; the fallback area wrong all 3 times. Issue #18
    # asks for 0.90, 0.85, 0.80 and under 3%: only the last is met. The rules of round 11
    # measure 0.800 and 0.709 here.
    (("held-out-9",), 0.80, 0.70, 0.4),
    # Round 10 (held-out-10: 62 more real entries of the same saved pages, other days) was
    # labelled after round 9 was measured, the rules unchanged, and measured once: precision
    # 0.831 (113 of 136), recall 0.758 (113 of 149), none without a topic. Areas 86 of 106 and
    # 86 of 105 (0.81, 0.82); facets 27 of 30 and 27 of 44 (0.90, 0.61). Least precise topic
    # assigned 5 times or more: Large Language Models, 5 of 7; Video 12 of 15 (reconstruction
    # and optical flow from video); the fallback area wrong all 3 times again. Rounds 9 and 10
    # together: 0.815 and 0.731. The rules of round 11 measure 0.839 and 0.772 here; those of
    # round 15 (Agents yield to Code) 0.852 and 0.772.
    (("held-out-10",), 0.85, 0.77, 0.71),
    # Round 11 (held-out-11: 68 real entries of the same saved pages, other days, labelled by
    # another session before any rule ran on them) measured the rules of round 9 once:
    # precision 0.779 (106 of 136), recall 0.675 (106 of 157), none without a topic. Areas 87
    # of 114 and 87 of 118 (0.76, 0.74); facets 19 of 22 and 19 of 39 (0.86, 0.49). Least
    # precise topic assigned 5 times or more: Reasoning, 3 of 8 ("multimodal reasoning",
    # "spatial reasoning", "chain of thought" in vision-language, agent and editing papers);
    # Image and Media Generation 15 of 21 ("diffusion" in diffusion language models and a CT
    # reconstruction); most missed are facets (Efficiency 0 of 5, Data 5 of 11) and Large
    # Language Models (4 of 10: yielding to areas with less evidence). The rules of round 11,
    # tuned on these papers among others, measure 0.820 and 0.726, Reasoning 2 of 5.
    (("held-out-11",), 0.82, 0.72, 0.4),
    # Round 12 (held-out-12: 63 more real entries of the same saved pages, labelled before any
    # rule ran on them) measured the rules of round 11 (tuned on rounds 1 to 11) once:
    # precision 0.800 (104 of 130), recall 0.765 (104 of 136), none without a topic. Areas 81
    # of 104 and 81 of 101 (0.78, 0.80); facets 23 of 26 and 23 of 35 (0.88, 0.66). Least
    # precise topic assigned 5 times or more: Retrieval, Search and Recommendation, 1 of 5
    # ("search agent", "retrieval", "search" in agent papers); Reinforcement Learning 6 of 9;
    # the fallback area wrong all 3 times. Most missed: Data (2 of 7), Robotics (4 of 7),
    # Vision-Language (11 of 15). The rules of round 9 measure 0.798 and 0.757 here: the
    # tuning of round 11 gained one topic on fresh papers. Issue #18's targets (0.90, 0.85,
    # 0.80, under 3%) are not met but the last.
    (("held-out-12",), 0.80, 0.79, 0.2),
    # Round 13 (held-out-13: 65 real entries of ten more days of the same saved pages,
    # labelled by another session before any rule ran on them) measured the rules of round 11
    # once: precision 0.789 (105 of 133), recall 0.755 (105 of 139), none without a topic.
    # Areas 87 of 113 and 87 of 108 (0.77, 0.81); facets 18 of 20 and 18 of 31 (0.90, 0.58).
    # Least precise topic assigned 5 times or more: Reasoning, 2 of 6; Agents 13 of 19 (every
    # Agents paper found, and 6 more); Computer Vision wrong all 3 times. Most missed: Data (1
    # of 4), Efficiency (5 of 10), Architectures (1 of 3), Vision-Language (7 of 11). Fresh
    # rounds 8 to 13 now all measure precision 0.75 to 0.83 and recall 0.68 to 0.77. The rules
    # of round 15 (Agents yield to Code) measure 0.795 and 0.755 here.
    (("held-out-13",), 0.81, 0.77, 0.33),
    # Round 14 (held-out-14: 65 real entries of ten more days of the same saved pages, labelled
    # by the session of round 13 before any rule ran on them, the rules unchanged) measured the
    # rules of round 11 once more: precision 0.811 (107 of 132), recall 0.738 (107 of 145),
    # none without a topic. Areas 85 of 106 and 85 of 104 (0.80, 0.82); facets 22 of 26 and
    # 22 of 41 (0.85, 0.54). Least precise topic assigned 5 times or more: Reasoning, 4 of 7;
    # Vision-Language 12 of 16; Agents 15 of 18. Most missed: Benchmarks (8 of 14), Data (2 of
    # 8), Vision-Language (12 of 19). Rounds 13 and 14 together: 0.800 and 0.746. The margin
    # rule tried after round 13 (tests/topics/compare_mechanisms.py) measures 0.840 and 0.690
    # here; the rules of round 15 (Agents yield to Code) 0.817 and 0.738.
    (("held-out-14",), 0.82, 0.76, 0.62),
    # Round 15 (held-out-15: 61 real entries of nine more days of the same saved pages,
    # labelled by another session before any rule ran on them) measured once the rules of
    # round 11, unchanged since round 13: precision 0.815 (97 of 119), recall 0.703 (97 of 138),
    # and the one change proposed after reading rounds 13 and 14, Agents yield to Code (coding
    # agents are Code's, the labels' convention): 0.822 (97 of 118) and 0.703, kept, as on
    # rounds 1 to 14 together it gains precision too (0.818 from 0.816, 5 wrong topics fewer)
    # with recall the same (0.744). None without a topic. Areas 79 of 98 and 79 of 102
    # (0.81, 0.77); facets 18 of 20 and 18 of 36 (0.90, 0.50). Least precise topics assigned 5
    # times or more: 3D, 4 of 6 ("3D" in game-world and gameplay titles), and Reasoning, 8 of
    # 12 ("reasoning" in vision-language, editing and robot-action papers); Computer Vision
    # wrong all 3 times. Most missed: Benchmarks (11 of 18), Image and Media Generation (8 of
    # 14), Data (2 of 6), Architectures (0 of 3). Fresh rounds 8 to 15: precision 0.75 to 0.83,
    # recall 0.68 to 0.77.
    (("held-out-15",), 0.83, 0.73, 0.66),
    # Round 16 (held-out-16: the last 69 real entries of the same saved pages, seven days drawn
    # with Random(1826), labelled by another session before any rule ran on them) measured once
    # the rules of round 15 and the change tuned on rounds 1 to 15 after an analysis of why they
    # miss and err (tests/topics/ANALYSIS.md: with no area qualified, an area with two keywords
    # of its own beats the fallback; 17 phrases for topics the rules found no keyword of): the
    # rules of round 15 precision 0.780 (110 of 141), recall 0.696 (110 of 158), least precise
    # topic Computer Vision 4 of 8; the change 0.786 (110 of 140) and 0.696, Computer Vision 4
    # of 7, none without a topic either way. Kept, as on rounds 1 to 15 together it gains both
    # (0.824 from 0.819, 0.763 from 0.746; 13 splits better, 1 worse) and here it is no worse:
    # the recall it gains on the papers it was tuned on did not carry over. Two of its phrases
    # ("bench", "multimodal generation") were dropped after the measure, as they put rounds 8
    # and 10 under their floors; without them (the rules now: 0.825 and 0.759 on rounds 1 to
    # 15) round 16 measures 0.791 (110 of 139) and 0.696. Areas 90 of 116 and 90 of 118 (0.78,
    # 0.76); facets 20 of 23 and 20 of 40 (0.87, 0.50). Most missed: Data (2 of 10), Image and
    # Media Generation (17 of 23), Vision-Language (9 of 15); most wrong: Reinforcement
    # Learning (5 of 16 given: RL as the training method of agent papers, a reward model in a
    # video one). Fresh rounds 8 to 16: precision 0.75 to 0.83, recall 0.68 to 0.77; issue
    # #18's targets (0.90, 0.85, 0.80, under 3%) are not met but the last.
    (("held-out-16",), 0.79, 0.69, 0.57),
    # Round 17 (held-out-17: 72 real Daily Papers entries of May to September 2026 from a new
    # source, a public mirror of the listings; eleven pages of its archive drawn with
    # Random(1827), labelled by another session before any rule ran on them) measured once the
    # rules of round 16 and the rules mined from the labels of rounds 1 to 16
    # (tests/topics/mine.py, tests/topics/ANALYSIS.md): the rules of round 16 precision 0.732
    # (109 of 149), recall 0.727 (109 of 150); the mined rules 0.740 (108 of 146) and 0.720
    # (108 of 150), better on rounds 1 to 16 (0.831 from 0.823, 0.763 from 0.755) but worse
    # here on recall, so not kept. None without a topic. Areas 82 of 114 and 82 of 111 (0.72,
    # 0.74); facets 27 of 35 and 27 of 39 (0.77, 0.69). Least precise topic assigned 5 times
    # or more: Reinforcement Learning, 4 of 9 (RL as the training method of four agent papers
    # and an embodied vision-language model); Efficiency 10 of 15, Computer Vision 4 of 7; the
    # fallback area wrong all 4 times. Most missed: Language Models (5 of 13: language-model
    # papers about caches, attention or interpretability), Science, Health and Finance (3 of
    # 7), Vision-Language (11 of 15). The lowest fresh round yet: fresh rounds 8 to 17 measure
    # precision 0.73 to 0.83 and recall 0.68 to 0.77; issue #18's targets (0.90, 0.85, 0.80,
    # under 3%) are not met but the last.
    (("held-out-17",), 0.73, 0.72, 0.44),
]


@pytest.mark.parametrize(
    ("splits", "precision", "recall", "worst_topic"),
    ROUNDS,
    ids=["+".join(splits) for splits, *_ in ROUNDS],
)
def test_the_rules_file_papers_as_a_researcher_would(
    splits: tuple[str, ...], precision: float, recall: float, worst_topic: float
) -> None:
    _assert_floors(*splits, precision=precision, recall=recall, worst_topic=worst_topic)


# --- the report an editor reads after changing the rules -----------------------------------


def test_the_report_counts_one_word_assignments_and_what_a_rule_change_moved() -> None:
    papers = list(_all_papers().values())
    taxonomy = _default_taxonomy()
    before = topic_report(papers, taxonomy)
    assert before.papers == 1154 and before.without_area == 0 and not before.compared
    # Drop the keyword "diffusion" from its topic: the papers that had the topic only through
    # that word lose it, and none gains it.
    edited = tuple(
        replace(t, keywords=tuple(k for k in t.keywords if k != "diffusion"))
        if t.slug == "generative-models"
        else t
        for t in taxonomy
    )
    after = topic_report(papers, edited, previous=taxonomy)
    generative = next(t for t in after.topics if t.slug == "generative-models")
    assert generative.lost and not generative.gained
    was = next(t for t in before.topics if t.slug == "generative-models")
    assert generative.papers == was.papers - len(generative.lost)
    text = str(after)
    lost = generative.lost[0]
    # The paper named with its title, to be judged without looking it up (a site owner's
    # trial: ids alone), and where to see why.
    title = next(p.title for p in papers if p.id == lost)
    assert "gained" in text and f"- generative-models: {lost}  {title[:70]}" in text.splitlines()
    assert text.splitlines()[-1] == "why a paper has its topics: sitegen build --topics-why ID"
    row = next(line for line in text.splitlines() if line.startswith("generative-models "))
    assert row.split()[-2:] == ["0", f"-{len(generative.lost)}"]  # nothing gained: 0, not +0


def test_the_report_finds_the_one_word_assignments_of_the_old_rules() -> None:
    # The rules before issue #18 gave "Safety & Evaluation" for one word such as "benchmark".
    old = (
        Topic(
            slug="safety-evaluation",
            name="Safety",
            description="",
            keywords=("benchmark", "evaluation", "safety"),
        ),
    )
    report = topic_report(list(_all_papers().values()), old)
    (line,) = report.topics
    assert line.papers > 0 and line.one_word > 0
    assert report.without_area > 0  # no fallback area in that taxonomy


def test_build_reports_what_an_edit_of_the_rules_did(
    small_built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sitegen.cli import main

    # The small site (90 papers), built already: this build renders what the new rules change.
    site = small_built
    before = tmp_path / "before.toml"
    before.write_text((site / "site.toml").read_text())
    rules = (site / "site.toml").read_text()
    assert '"reinforcement learning"' in rules
    edited = rules.replace('"reinforcement learning"', '"no such phrase at all"')
    (site / "site.toml").write_text(edited)
    assert main(["--root", str(site), "build", "--topics-before", str(before)]) == 0
    out = capsys.readouterr().out
    assert "topics of 90 papers" in out and "one-word" in out and "gained" in out
    lines = out.splitlines()
    lost = [line for line in lines if line.startswith("- ")]
    assert lost and all(": " in line for line in lost), "each lost paper is named"
    # The table after the list of papers, where a terminal leaves it in view (a trial: at
    # thousands of papers the list scrolled it out of sight).
    table = next(i for i, line in enumerate(lines) if line.startswith("topics of 90 papers"))
    assert table > max(i for i, line in enumerate(lines) if line.startswith(("- ", "+ ")))


def test_a_topic_renamed_with_formerly_is_compared_with_itself_before() -> None:
    """A review: --topics-before after a rename alone listed each of its papers as lost from
    the old slug and gained by the new."""
    papers = [_paper("Reinforcement learning at scale", "Reinforcement learning, again.")]
    renamed = tuple(
        replace(t, slug="reinforcement", formerly=(t.slug,)) if t.slug == "rl" else t
        for t in TOPICS
    )
    report = topic_report(papers, renamed, previous=TOPICS)
    (line,) = [t for t in report.topics if t.slug == "reinforcement"]
    assert line.papers == 1 and line.gained == () and line.lost == ()
    assert [t.slug for t in report.topics].count("rl") == 0


def test_a_topic_renamed_without_formerly_is_said_to_be_one_with_what_its_subscribers_lose() -> (
    None
):
    """A re-topicing trial: graphs renamed graph-learning, without `formerly`, was listed as
    19 papers lost and the same 19 gained, 38 lines that did not say it was one topic, nor
    that its old pages and feeds were gone."""
    papers = [
        replace(_paper("Reinforcement learning at scale"), id="a"),
        replace(_paper("RL for robots"), id="b"),
    ]
    renamed = tuple(replace(t, slug="reinforcement") if t.slug == "rl" else t for t in TOPICS)
    report = topic_report(papers, renamed, previous=TOPICS)
    lines = report.lines()
    assert (
        "rl -> reinforcement: its 2 papers under a new slug; the pages and feeds of rl are"
        ' gone, unless reinforcement\'s table says formerly = ["rl"]'
    ) in lines
    assert not [line for line in lines if line.startswith(("+ reinforcement", "- rl"))]
    # Its rows in the table still count them.
    assert "reinforcement       2         1      +2     0" in lines
    assert "rl                  0         0       0    -2" in lines


def test_a_topic_of_one_paper_renamed_without_formerly_is_said_with_its_one_paper() -> None:
    """6c0b87a's line counted a renamed topic's papers as "its 1 papers" when it had one."""
    papers = [replace(_paper("Reinforcement learning at scale"), id="a")]
    renamed = tuple(replace(t, slug="reinforcement") if t.slug == "rl" else t for t in TOPICS)
    lines = topic_report(papers, renamed, previous=TOPICS).lines()
    assert [line for line in lines if line.startswith("rl -> ")] == [
        "rl -> reinforcement: its 1 paper under a new slug; the pages and feeds of rl are"
        ' gone, unless reinforcement\'s table says formerly = ["rl"]'
    ]


def test_the_report_names_the_papers_of_a_topic_the_rules_no_longer_have() -> None:
    papers = [_paper("Reinforcement learning at scale", "Reinforcement learning, again.")]
    report = topic_report(papers, tuple(t for t in TOPICS if t.slug != "rl"), previous=TOPICS)
    (line,) = [t for t in report.topics if t.slug == "rl"]
    assert line.name == "RL" and line.papers == 0 and line.lost == ("p",)
    assert "- rl: p  Reinforcement learning at scale" in report.lines()


def test_the_report_counts_one_word_assignments_and_gains_exactly() -> None:
    papers = [
        replace(_paper("RL at scale"), id="a"),
        replace(_paper("Reinforcement Learning with RL"), id="b"),
        replace(_paper("Diffusion Models"), id="c"),
    ]
    before = tuple(
        replace(t, keywords=("reinforcement learning",)) if t.slug == "rl" else t for t in TOPICS
    )
    report = topic_report(papers, TOPICS, previous=before)
    rows = {t.slug: t for t in report.topics}
    # Only "a" has RL on one one-word keyword; "rl" added, it gained "a" from the fallback.
    assert (rows["rl"].papers, rows["rl"].one_word) == (2, 1)
    assert rows["rl"].gained == ("a",) and rows["ml"].lost == ("a",)
    assert rows["diffusion"].one_word == 0 and rows["diffusion"].gained == ()
    assert "+ rl: a  RL at scale" in report.lines() and "- ml: a  RL at scale" in report.lines()


def test_the_report_counts_a_paper_with_a_facet_and_no_area_as_without_an_area() -> None:
    no_fallback = tuple(t for t in TOPICS if t.slug != "ml")
    facet_only = replace(_paper("A Benchmark and a Leaderboard"), id="b")
    assert assign_topics(facet_only, compile_topics(no_fallback)) == ("benchmarks",)
    report = topic_report([facet_only, replace(_paper("Diffusion Models"), id="d")], no_fallback)
    assert report.without_area == 1
    assert report.lines()[0] == "topics of 2 papers; 1 without an area"


def test_why_a_paper_has_its_topics_names_the_evidence_and_what_was_not_enough() -> None:
    """A new user's trial: a paper under a wrong topic, and no way but reading the code to
    find which keyword put it there."""
    paper = _paper(
        "Diffusion Models for Control",
        "A language model helps. Reinforcement learning with RL too.",
        topics=("agents",),
        not_topics=("llm",),
    )
    lines = why_topics(paper, TOPICS)
    assert lines[0] == "p: Diffusion Models for Control"
    said = dict(line.strip().split(": ", 1) for line in lines[1:])
    assert said["agents"] == "given by hand (the paper's topics)"
    assert said["diffusion"] == 'score 3 from "diffusion model" (one in the title)'
    assert said["not llm"] == "refused by the paper's not_topics"
    assert said["not rl"] == (
        'score 2 from "reinforcement learning", "rl" (none in the title); too little for an'
        " area: a keyword in the title, or a score of 4 without one"
    )
    assert [slug for slug in said if not slug.startswith("not ")] == list(
        assign_topics(paper, MATCHER)
    )
    fallback = why_topics(_paper("Nothing Here"), TOPICS)
    assert fallback[1:] == ["  ml: the fallback area: no other area had evidence enough"]


def test_why_says_that_a_paper_refusing_the_fallback_area_has_no_area() -> None:
    paper = _paper("On Nothing in Particular", not_topics=("machine-learning",))
    assert why_topics(paper, _default_taxonomy())[1:] == [
        "  not machine-learning: refused by the paper's not_topics",
        "  no area: none it does not refuse had evidence enough, and it refuses"
        " machine-learning, the fallback area",
    ]


def test_why_says_what_kept_each_topic_with_evidence_out() -> None:
    """A re-topicing trial: after `yields_to = ["moe"]` on Architectures, `--topics-why` said
    "not architectures: score 8 ... (one in the title); not chosen", and the editor could not
    tell the rule just written from a cap or a threshold."""

    def said(paper: Paper, topics: tuple[Topic, ...] = TOPICS) -> dict[str, str]:
        lines = why_topics(paper, topics)[1:]
        return dict(line.strip().split("; ", 1) for line in lines if line.startswith("  not "))

    yielded = said(_paper("Language Model Agents"))
    assert yielded == {
        'not llm: score 3 from "language model" (one in the title)': (
            "gives way to agents (its yields_to)"
        )
    }
    facet = said(_paper("Diffusion Models", "We release a benchmark."))
    assert list(facet.values()) == [
        "too little for a facet: a keyword in the title, or a score of 5 from two different"
        " keywords without one"
    ]
    numbered = tuple(
        Topic(slug=f"t{i}", name=f"T{i}", description="", keywords=(f"word{i}",)) for i in range(5)
    )
    # t4 has 12, t3 3 (in the title): under two fifths of 12.
    share = said(_paper("word4 word4 word4 word4 word3"), numbered)
    assert list(share.values()) == ["under two fifths of the score of t4 (12)"]
    # Four areas named in the title, t4 twice: three at most, the first three by score, then
    # by their order in site.toml.
    cap = said(_paper("word4 word4 word3 word2 word1"), numbered)
    assert list(cap.values()) == ["three areas at most: t4, t1 and t2 came first"]


def test_build_says_why_a_paper_has_its_topics(
    small_built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sitegen.cli import main

    paper_id = next((small_built / "content" / "papers").glob("*.md")).stem
    capsys.readouterr()
    assert main(["--root", str(small_built), "build", "--topics-why", paper_id]) == 0
    out = capsys.readouterr().out
    assert f"\n{paper_id}: " in out and "score " in out
    # A paper kept off the site is explained, and said to be.
    rules = (small_built / "site.toml").read_text()
    (small_built / "site.toml").write_text(rules + f'\n[content]\nhidden = ["{paper_id}"]\n')
    assert main(["--root", str(small_built), "build", "--topics-why", paper_id]) == 0
    assert "(hidden by site.toml's [content] hidden: on no page or feed)" in capsys.readouterr().out
    # An id of no paper is refused before the build: nothing is published.
    (small_built / "site.toml").write_text(rules)
    before = tree_bytes(small_built / "public")
    assert main(["--root", str(small_built), "build", "--topics-why", "no-such-paper"]) == 2
    err = capsys.readouterr().err
    assert "--topics-why no-such-paper: no such paper" in err and "or its arXiv id" in err
    assert tree_bytes(small_built / "public") == before
    # A typed id a letter off is offered the paper's.
    typo = paper_id[:-2] + paper_id[-1] + paper_id[-2]
    assert main(["--root", str(small_built), "build", "--topics-why", typo]) == 2
    assert f"did you mean {paper_id}?" in capsys.readouterr().err


@pytest.mark.parametrize("named", ["2606.10896v2", "arXiv:2606.10896", "arXiv:2606.10896v1"])
def test_topics_why_takes_a_paper_by_its_arxiv_id_as_arxiv_writes_it(
    bundled_built: Path, capsys: pytest.CaptureFixture[str], named: str
) -> None:
    """A new user's trial: the id copied from arXiv's page (`arXiv:2606.10896v2`) was "no such
    paper", although the version names the same paper and the site holds it."""
    from sitegen.cli import main

    assert main(["--root", str(bundled_built), "build", "--topics-why", named]) == 0
    out = capsys.readouterr().out
    title = "Flash-GMM: A Memory-Efficient Kernel for Scalable Soft Clustering"
    assert f"\n2606.10896: {title}\n" in out
    assert "  efficiency: score 20 from " in out


def test_topics_why_takes_a_paper_named_after_its_title_by_its_arxiv_id(
    bundled_built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A paper first had from a text capture keeps the file its title named, whatever arXiv
    id a later listing gives it: that id, as arXiv writes it, names it too."""
    from sitegen.cli import main

    paper = next(p for p in sorted((bundled_built / "content" / "papers").glob("*.md"))
                 if not p.stem[0].isdigit())  # fmt: skip
    rewrite(paper, lambda text: text.replace("+++\n", '+++\narxiv_id = "2511.09999"\n', 1))
    assert main(["--root", str(bundled_built), "build", "--topics-why", "arXiv:2511.09999v3"]) == 0
    assert f"\n{paper.stem}: " in capsys.readouterr().out


def test_a_topic_no_rule_can_give_and_no_paper_names_is_noted_by_the_build(
    tiny_built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A fork owner's trial: a topic added with `generic` words only (or none) had empty pages
    and feeds, in silence: generic words never give a topic alone."""
    from sitegen.cli import main

    rules = (tiny_built / "site.toml").read_text()
    cosmology = (
        '\n[[topics]]\nslug = "cosmology"\nname = "Cosmology"\nkind = "facet"\n'
        'description = "The universe."\ngeneric = ["universe", "galaxy"]\n'
    )
    (tiny_built / "site.toml").write_text(rules + cosmology)
    capsys.readouterr()
    assert main(["--root", str(tiny_built), "build"]) == 0
    assert (
        "sitegen: note: topic cosmology has no paper, and no `keywords` to give it one"
    ) in capsys.readouterr().err
    # Named by hand in a paper's file, it has one: said no more.
    paper = next((tiny_built / "content" / "papers").glob("*.md"))
    rewrite(paper, lambda text: text.replace("\n", '\ntopics = ["cosmology"]\n', 1))
    assert main(["--root", str(tiny_built), "build"]) == 0
    assert "cosmology" not in capsys.readouterr().err


def _only_topics(rules: str, *slugs: str) -> str:
    """site.toml's text keeping only the topics `slugs`, their `yields_to` and the custom feed
    naming the others left out: a fork that keeps its own fields of the bundled taxonomy."""
    head, _, tables = rules.partition("\n[[topics]]\n")
    kept = [
        re.sub(r"^yields_to = .*\n", "", table, flags=re.M)
        for table in tables.split("\n[[topics]]\n")
        if any(f'slug = "{slug}"\n' in table for slug in slugs)
    ]
    assert len(kept) == len(slugs)
    head = head.replace('topics = ["llm", "reasoning", "agents"]\n', "")
    return head + "".join(f"\n[[topics]]\n{table.rstrip()}\n" for table in kept)


def test_papers_left_without_an_area_are_said_once_by_the_build(
    bundled_built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A forker's trial: keeping only robotics and reinforcement-learning (no `fallback` area)
    left 432 of 483 papers with no area, which only --topics-report showed; site.toml's "every
    paper gets at least one" was then untrue, in silence."""
    from sitegen.cli import main

    site_toml = bundled_built / "site.toml"
    capsys.readouterr()
    assert main(["--root", str(bundled_built), "build", "--clean"]) == 0
    assert "no area" not in capsys.readouterr().err, "the demo: every paper has one"

    rewrite(site_toml, lambda t: _only_topics(t, "robotics", "reinforcement-learning"))
    config = parse_config(site_toml.read_text(), source="site.toml")
    papers = load_content(bundled_built, known_topics=config.topic_slugs()).papers
    without = topic_report(list(dict(papers).values()), config.topics).without_area
    assert without > 400
    assert main(["--root", str(bundled_built), "build"]) == 0
    err = capsys.readouterr().err
    (note,) = [line for line in err.splitlines() if "no area" in line]
    assert note.startswith(f"sitegen: note: {without} of 480 papers have no area"), note
    assert "`fallback = true`" in note and "--topics-why" in note, "what to do, how to see one"
    newest = note.split(", the newest ")[1].split(",")[0]
    assert main(["--root", str(bundled_built), "build", "--topics-why", newest]) == 0
    why = capsys.readouterr().out
    assert "\n  no area: none had evidence enough, and site.toml has no fallback area\n" in why
    assert main(["--root", str(bundled_built), "build"]) == 0
    assert "no area" not in capsys.readouterr().err, "said once, not at every build"
    # The fallback area back: every paper has one again, said no more.
    rules = (REPO / "site.toml").read_text()
    site_toml.write_text(
        _only_topics(rules, "robotics", "reinforcement-learning", "machine-learning")
    )
    assert main(["--root", str(bundled_built), "build"]) == 0
    assert "no area" not in capsys.readouterr().err


def test_why_names_the_keywords_as_site_toml_writes_them() -> None:
    """A re-topicing trial: `--topics-why` said `"diagnosi"`, `"x ray"` and generic
    `"analysi"`, words site.toml does not hold (the plural "s" the matcher drops, the hyphen it
    ignores), so the editor could not find by them the keyword to edit."""
    medicine = Topic(
        slug="medicine",
        name="Medicine",
        description="",
        keywords=("diagnosis", "X-ray"),
        generic=("analysis",),
    )
    paper = _paper("Diagnosis from X-Ray Images", "An analysis of diagnoses.")
    lines = why_topics(paper, (medicine,))
    assert lines[1] == (
        '  medicine: score 7 from "diagnosis", "X-ray", generic "analysis" (one in the title)'
    )


def test_papers_without_an_area_are_said_once_papers_come_to_a_site_that_had_none(
    bundled_built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by a review, as a custom feed's check was: a fork started empty (the README's
    "start empty") with no fallback area had its rules recorded checked while it had no
    paper, and the builds after its first fetch never said that papers have no area."""
    from sitegen.cli import main

    rewrite(
        bundled_built / "site.toml",
        lambda t: _only_topics(t, "robotics", "reinforcement-learning"),
    )
    content = bundled_built / "content"
    aside = {name: bundled_built / f"{name}-aside" for name in ("days", "papers")}
    for name, place in aside.items():
        (content / name).rename(place)
        (content / name).mkdir()
    capsys.readouterr()
    assert main(["--root", str(bundled_built), "build"]) == 0
    assert "no area" not in capsys.readouterr().err  # no paper to say it of
    for name, place in aside.items():
        (content / name).rmdir()
        place.rename(content / name)  # the first fetch's days and papers
    assert main(["--root", str(bundled_built), "build"]) == 0
    assert "papers have no area" in capsys.readouterr().err


def test_one_paper_without_an_area_is_said_in_the_singular(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Noticed reading the note: a paper that refuses the fallback area in its `not_topics`
    was said as "1 of 480 papers have no area (each refuses ...)"."""
    from datetime import date

    from sitegen.build import PapersWithoutArea
    from sitegen.reports import say_build_notes

    def note(ids: tuple[str, ...]) -> str:
        say_build_notes(
            build_report(
                newest_day=date(2026, 8, 3),
                without_area=PapersWithoutArea(ids=ids, of=480, fallback="machine-learning"),
            )
        )
        (line,) = [line for line in capsys.readouterr().err.splitlines() if "no area" in line]
        return line

    assert note(("2608.00001",)).startswith(
        "sitegen: note: 1 of 480 papers has no area (it refuses the fallback area,"
        " machine-learning, in its `not_topics`), 2608.00001: "
    )
    assert note(("2608.00002", "2608.00001")).startswith(
        "sitegen: note: 2 of 480 papers have no area (each refuses the fallback area,"
        " machine-learning, in its `not_topics`), the newest 2608.00002, 2608.00001: "
    )


def test_one_paper_without_an_area_and_no_fallback_is_said_in_the_singular(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """2bcc2cc said one paper refusing the fallback area in the singular; without a fallback
    area, one paper was still told "mark an area `fallback = true` to file them there"."""
    from datetime import date

    from sitegen.build import PapersWithoutArea
    from sitegen.reports import say_build_notes

    def note(ids: tuple[str, ...]) -> str:
        say_build_notes(
            build_report(
                newest_day=date(2026, 8, 3),
                without_area=PapersWithoutArea(ids=ids, of=480, fallback=None),
            )
        )
        (line,) = [line for line in capsys.readouterr().err.splitlines() if "no area" in line]
        return line

    one = note(("2608.00001",))
    assert one.startswith("sitegen: note: 1 of 480 papers has no area (")
    assert one.endswith("mark an area `fallback = true` to file it there (docs/topics.md)")
    two = note(("2608.00002", "2608.00001"))
    assert two.endswith("mark an area `fallback = true` to file them there (docs/topics.md)")
