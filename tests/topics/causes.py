"""Why the topic rules miss or wrongly give topics on the labelled rounds (issue #18).

Run from the repository root: `python -m tests.topics.causes [SPLIT ...]` (every split but the
fresh one, tests/topics/per_topic.py's FRESH, when none is named). Each topic a researcher gave
and the rules did not (missed) is put down to the first stage of `explain_topics` that lost it:
- no keyword: none of the topic's keywords is in the paper (generic words alone count nothing);
- below threshold: keywords found, but too little evidence for the topic to qualify;
- yielded: qualified, then dropped for a topic it `yields_to`;
- cap: qualified, but under two fifths of the best topic's score or past the cap of its kind.
Each topic given that the researcher did not (wrong) is put down to its evidence: a single
one-word keyword, a keyword in the title, or several keywords in the abstract; or the fallback.
Prints the counts per cause and per topic, and the phrases most often behind each.
Offline only: nothing here runs at build time.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict

from sitegen.model import Paper
from sitegen.topics import (
    MAX_AREAS,
    MAX_FACETS,
    TopicMatcher,
    _best,
    _evidence,
    _gives_way,
    _qualifies,
    compile_topics,
    explain_topics,
)
from tests.test_topics import _all_papers, _default_taxonomy, _labelled
from tests.topics.per_topic import tuning_splits


def missed_cause(paper: Paper, slug: str, matcher: TopicMatcher) -> str:
    topics = matcher.topics
    found = _evidence(paper, matcher)
    if slug not in found:
        return "no keyword"
    is_area = topics[slug].kind == "area"
    qualified = {s: e for s, e in found.items() if _qualifies(e, topics[s].kind == "area")}
    if slug not in qualified:
        return "below threshold"
    if any(_gives_way(qualified, slug, other, matcher) for other in topics[slug].yields_to):
        return "yielded"
    kept = {
        s: e
        for s, e in qualified.items()
        if not any(_gives_way(qualified, s, o, matcher) for o in topics[s].yields_to)
    }
    same_kind = [e for e in kept.values() if (topics[e.slug].kind == "area") == is_area]
    best = _best(same_kind, MAX_AREAS if is_area else MAX_FACETS, matcher)
    return "cap" if slug not in {e.slug for e in best} else "other"


def main(splits: list[str]) -> None:
    matcher = compile_topics(_default_taxonomy())
    papers = _all_papers()
    labelled = _labelled()
    splits = splits or tuning_splits(labelled)
    missed: Counter[str] = Counter()
    missed_by: dict[str, Counter[str]] = defaultdict(Counter)
    wrong: Counter[str] = Counter()
    wrong_by: dict[str, Counter[str]] = defaultdict(Counter)
    phrases: dict[str, Counter[str]] = defaultdict(Counter)
    for entry in (e for e in labelled if e["split"] in splits):
        paper = papers[entry["id"]]
        evidence = {e.slug: e for e in explain_topics(paper, matcher)}
        want = set(entry["topics"])
        for slug in sorted(want - set(evidence)):
            cause = missed_cause(paper, slug, matcher)
            missed[cause] += 1
            missed_by[slug][cause] += 1
        for slug in sorted(set(evidence) - want):
            e = evidence[slug]
            if e.fallback:
                cause = "fallback"
            elif e.rests_on_one_word:
                cause = "one one-word keyword"
            elif e.in_title:
                cause = "keyword in title"
            else:
                cause = "abstract alone"
            wrong[cause] += 1
            wrong_by[slug][cause] += 1
            phrases[cause].update(f"{slug}:{k}" for k in e.keywords[:2])
    print("missed:", dict(missed.most_common()))
    for slug, causes in sorted(missed_by.items(), key=lambda kv: -sum(kv[1].values())):
        print(f"  {slug:<26} {sum(causes.values()):>3}  {dict(causes.most_common())}")
    print("wrong:", dict(wrong.most_common()))
    for slug, causes in sorted(wrong_by.items(), key=lambda kv: -sum(kv[1].values())):
        print(f"  {slug:<26} {sum(causes.values()):>3}  {dict(causes.most_common())}")
    for cause, counts in phrases.items():
        print(f"  {cause}: {', '.join(f'{p} {n}' for p, n in counts.most_common(12))}")


if __name__ == "__main__":
    main(sys.argv[1:])
