"""Topic rules: keywords over title, abstract and source keywords; taxonomy as data."""

from __future__ import annotations

import shutil
from pathlib import Path

from sitegen.config import parse_config
from sitegen.model import Paper, Topic
from sitegen.store import load_content
from sitegen.topics import assign_topics, compile_topics
from tests.conftest import REPO

TOPICS = (
    Topic(slug="nli", name="NLI", description="", keywords=("natural language inference",)),
    Topic(slug="nl", name="NL", description="", keywords=("natural language",)),
    Topic(slug="rl", name="RL", description="", keywords=("rl", "reinforcement learning")),
    Topic(slug="diffusion", name="Diffusion", description="", keywords=("diffusion model",)),
)
MATCHER = compile_topics(TOPICS)


def _paper(title: str, abstract: str = "", **fields: object) -> Paper:
    return Paper(id="p", title=title, abstract=abstract, **fields)  # type: ignore[arg-type]


def test_a_keyword_in_the_title_decides() -> None:
    assert assign_topics(_paper("Diffusion Models Beat GANs"), MATCHER) == ("diffusion",)


def test_one_mention_in_the_abstract_is_not_enough_two_are() -> None:
    assert assign_topics(_paper("T", "We use RL here."), MATCHER) == ()
    assert assign_topics(_paper("T", "RL helps. More RL."), MATCHER) == ("rl",)


def test_words_match_whole_not_inside_other_words() -> None:
    assert assign_topics(_paper("A world of control", "world world"), MATCHER) == ()


def test_a_phrase_cut_off_by_the_end_of_the_text_counts_once() -> None:
    # "natural language" ends the abstract: the three-word keyword must not match it again.
    assert assign_topics(_paper("T", "It reads natural language"), MATCHER) == ()


def test_hand_given_topics_come_first_and_unknown_ones_are_ignored() -> None:
    paper = _paper("Diffusion models", topics=("rl", "astrology"))
    assert assign_topics(paper, MATCHER) == ("rl", "diffusion")


def test_source_keywords_count_as_one_mention() -> None:
    paper = _paper("T", "RL once.", keywords=("reinforcement learning",))
    assert assign_topics(paper, MATCHER) == ("rl",)


def test_at_most_three_rule_topics_the_best_scoring() -> None:
    topics = tuple(
        Topic(slug=f"t{i}", name=f"T{i}", description="", keywords=(f"word{i}",)) for i in range(5)
    )
    matcher = compile_topics(topics)
    # Scores: a title mention weighs 2, an abstract mention 1. t4=4, t3=3, t1=3, t0=2, t2=2.
    paper = _paper("word4 word4 word3", "word3 word0 word0 word1 word1 word1 word2 word2")
    assert assign_topics(paper, matcher) == ("t1", "t3", "t4")  # in taxonomy order
    # Equal scores are broken by the taxonomy's order.
    assert assign_topics(
        _paper("T", "word2 word2 word0 word0 word1 word1 word3 word3"), matcher
    ) == ("t0", "t1", "t2")


def test_the_default_taxonomy_fits_the_bundled_papers(site: Path) -> None:
    shutil.copytree(REPO / "content", site / "content")
    config = parse_config((site / "site.toml").read_text(), source="site.toml")
    assert 12 <= len(config.topics) <= 20
    matcher = compile_topics(config.topics)
    papers = load_content(site).papers.values()
    with_topic = sum(1 for paper in papers if assign_topics(paper, matcher))
    assert len(papers) == 450 and with_topic / len(papers) >= 0.9
