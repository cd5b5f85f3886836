"""Where the topic rules go wrong on the labelled set: areas and facets apart, per topic.

Run from the repository root: `python -m tests.topics.per_topic [SPLIT ...]` (every split but
the newest, held-out-17, when none is named: a fresh split is measured once, not studied).
Prints precision and recall of areas and of facets per split, then a table per topic of
assignments right and wrong and topics missed, each wrong or missed one with the evidence the
rules found (score; `T` when a keyword is in the title, `t` when only a generic word is).
Offline only: nothing here runs at build time.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from typing import Any

from sitegen.topics import TopicEvidence, _evidence, compile_topics, explain_topics
from tests.test_topics import _all_papers, _default_taxonomy, _labelled

FRESH = "held-out-17"


def _ratio(right: int, total: int) -> str:
    return f"{right / total:.3f} ({right}/{total})" if total else "-"


def _why(evidence: TopicEvidence | None) -> str:
    if evidence is None:
        return "no evidence"
    where = "T" if evidence.in_title else "t" if evidence.generic_in_title else ""
    return f"{evidence.score}{where} {'/'.join(evidence.keywords + evidence.generic)}"


def tuning_splits(labelled: list[dict[str, Any]]) -> list[str]:
    """Every split of `labelled` but the fresh one: what a rule change may look at."""
    return sorted({e["split"] for e in labelled} - {FRESH})


def main(splits: list[str]) -> None:
    taxonomy = _default_taxonomy()
    kinds = {t.slug: t.kind for t in taxonomy}
    matcher = compile_topics(taxonomy)
    papers = _all_papers()
    labelled = _labelled()
    splits = splits or tuning_splits(labelled)
    right: Counter[str] = Counter()
    wrong: dict[str, list[str]] = defaultdict(list)
    missed: dict[str, list[str]] = defaultdict(list)
    print(f"{'split':<11} {'areas P':<17} {'areas R':<17} {'facets P':<17} facets R")
    for split in splits:
        counts: Counter[str] = Counter()
        for entry in (e for e in labelled if e["split"] == split):
            paper = papers[entry["id"]]
            got = {e.slug for e in explain_topics(paper, matcher)}
            want = set(entry["topics"])
            found = _evidence(paper, matcher)
            for kind in ("area", "facet"):
                g = {s for s in got if kinds[s] == kind}
                w = {s for s in want if kinds[s] == kind}
                counts[kind + "_right"] += len(g & w)
                counts[kind + "_got"] += len(g)
                counts[kind + "_want"] += len(w)
            for slug in got & want:
                right[slug] += 1
            for slug in got - want:
                wrong[slug].append(f"{split} {paper.title[:60]!r} [{_why(found.get(slug))}]")
            for slug in want - got:
                missed[slug].append(f"{split} {paper.title[:60]!r} [{_why(found.get(slug))}]")
        print(
            f"{split:<11} {_ratio(counts['area_right'], counts['area_got']):<17} "
            f"{_ratio(counts['area_right'], counts['area_want']):<17} "
            f"{_ratio(counts['facet_right'], counts['facet_got']):<17} "
            f"{_ratio(counts['facet_right'], counts['facet_want'])}"
        )
    print(f"\n{'topic':<26} {'kind':<6} right wrong missed precision")
    for topic in taxonomy:
        slug = topic.slug
        n = right[slug] + len(wrong[slug])
        print(
            f"{slug:<26} {topic.kind:<6} {right[slug]:>5} {len(wrong[slug]):>5} "
            f"{len(missed[slug]):>6} {_ratio(right[slug], n)}"
        )
    for slug in (t.slug for t in taxonomy):
        for label, items in (("wrong", wrong[slug]), ("missed", missed[slug])):
            for item in items:
                print(f"{slug} {label}: {item}")


if __name__ == "__main__":
    main(sys.argv[1:])
