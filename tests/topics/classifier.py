"""A trained classifier beside the topic rules, measured on the fresh rounds (issue #18).

Run from the repository root with scikit-learn installed (`pip install scikit-learn`; not a
dependency of sitegen, nothing here runs at build time): `python -m tests.topics.classifier`.

For each round from `held-out-8` to `held-out-17`, one-against-the-rest logistic regressions
(one per topic, TF-IDF of words and word pairs, title and listing keywords apart from the
abstract) learn from every other round and file that round's papers: the best area, then a
second or third area and up to two facets whose probability reaches the threshold. Printed,
precision and recall per round and over the ten, for:
- rules: site.toml's rules as the build applies them (tuned on rounds 8 to 16 since they were
  measured, so better there than they measured fresh);
- text: the classifier alone;
- stacked: the classifier with the topics the rules give as ten more features, so it learns
  when to trust a rule.
tests/topics/ANALYSIS.md has the figures and why the rules stay.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from tests.test_topics import (
    _all_papers,
    _assigned_by_the_default_rules,
    _default_taxonomy,
    _labelled,
)

ROUNDS = tuple(f"held-out-{n}" for n in range(8, 18))
THRESHOLDS = (0.5, 0.4, 0.3)
TITLE_WEIGHT = 1.5  # of the title's TF-IDF against the abstract's


def main() -> None:
    papers, labelled, rules = _all_papers(), _labelled(), _assigned_by_the_default_rules()
    taxonomy = _default_taxonomy()
    slugs = [topic.slug for topic in taxonomy]
    areas = [n for n, topic in enumerate(taxonomy) if topic.kind == "area"]
    facets = [n for n, topic in enumerate(taxonomy) if topic.kind != "area"]
    titles = [f"{papers[e['id']].title} {' ; '.join(papers[e['id']].keywords)}" for e in labelled]
    abstracts = [papers[e["id"]].abstract for e in labelled]
    given = [[slug in rules[e["id"]] for slug in slugs] for e in labelled]
    by_rules = csr_matrix(np.array(given, dtype=float))
    wanted = np.array([[slug in e["topics"] for slug in slugs] for e in labelled], dtype=int)
    rounds = np.array([e["split"] for e in labelled])

    def features(train: Sequence[int], rows: Sequence[int], stacked: bool) -> csr_matrix:
        title = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
        abstract = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
        title.fit([titles[n] for n in train])
        abstract.fit([abstracts[n] for n in train])
        parts = [
            title.transform([titles[n] for n in rows]) * TITLE_WEIGHT,
            abstract.transform([abstracts[n] for n in rows]),
        ]
        return hstack([*parts, by_rules[rows]] if stacked else parts).tocsr()

    def filed(probabilities: np.ndarray, threshold: float) -> list[set[str]]:
        result = []
        for row in probabilities:
            best_areas = sorted(areas, key=lambda n: -row[n])
            chosen = best_areas[:1] + [n for n in best_areas[1:3] if row[n] >= threshold]
            chosen += [n for n in sorted(facets, key=lambda n: -row[n])[:2] if row[n] >= threshold]
            result.append({slugs[n] for n in chosen})
        return result

    totals: dict[str, list[int]] = {}
    for held_out in ROUNDS:
        test = np.flatnonzero(rounds == held_out)
        train = np.flatnonzero(rounds != held_out)
        results = {"rules": [set(rules[labelled[n]["id"]]) for n in test]}
        for stacked in (False, True):
            x_train, x_test = features(train, train, stacked), features(train, test, stacked)
            probabilities = np.zeros((len(test), len(slugs)))
            for topic in range(len(slugs)):
                if wanted[train, topic].sum() >= 2:
                    model = LogisticRegression(C=10, max_iter=2000)
                    model.fit(x_train, wanted[train, topic])
                    probabilities[:, topic] = model.predict_proba(x_test)[:, 1]
            for threshold in THRESHOLDS:
                name = f"{'stacked' if stacked else 'text'} {threshold}"
                results[name] = filed(probabilities, threshold)
        line = [held_out]
        for name, got in results.items():
            want = [set(labelled[n]["topics"]) for n in test]
            right = sum(len(g & w) for g, w in zip(got, want, strict=True))
            counts = [right, sum(map(len, got)), sum(map(len, want))]
            total = totals.setdefault(name, [0, 0, 0])
            total[:] = [a + b for a, b in zip(total, counts, strict=True)]
            line.append(f"{name} {counts[0] / counts[1]:.3f}/{counts[0] / counts[2]:.3f}")
        print("  ".join(line))
    overall = (f"{name} {r / a:.3f}/{r / w:.3f}" for name, (r, a, w) in totals.items())
    print("all ten  " + "  ".join(overall))


if __name__ == "__main__":
    main()
