"""Rules mined from the labels: phrases a topic's papers hold and others rarely do (issue #18).

Run from the repository root: `python -m tests.topics.mine` (a few minutes). Reads the labelled
rounds 1 to 16 only (the tuning split counts as round 1; the fresh split, per_topic.py's FRESH,
never).
Offline only: nothing here runs at build time.

Candidates, per topic:
- add: a phrase of one to three words (title and abstract, the rules' own tokens) that at least
  `MIN_SUPPORT` papers filed under the topic hold and that no more than `MAX_OTHERS_SHARE` of the
  papers holding it are filed elsewhere, not yet one of the topic's keywords (a generic word of
  the topic found this way is a promotion);
- demote: one of the topic's one-word keywords that papers filed elsewhere hold more often than
  papers filed under it (it becomes a generic word: it counts only beside another keyword).
Each candidate is judged by leave-one-round-out: for each round r of 1 to 16 it must be mined
again from the other fifteen rounds (the same thresholds) and gain there (right topics less
wrong ones); what it does to round r is then its held-out effect. A candidate is kept when its
held-out effect is better on more rounds than it is worse and no worse pooled. The kept
candidates are then applied together, dropping (last-mined first) any that puts a round of
tests/test_topics.py's ROUNDS under its floor or lowers pooled precision or recall.
Prints every candidate with its held-out effect and the kept ones as site.toml edits.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from sitegen.model import Paper, Topic
from sitegen.topics import assign_topics, compile_topics, text_tokens
from tests.test_topics import ROUNDS, _all_papers, _default_taxonomy, _labelled
from tests.topics.per_topic import FRESH

MIN_SUPPORT = 4  # papers under the topic that hold the phrase
MAX_OTHERS_SHARE = 0.25  # of the papers holding it, the share filed under other topics only
PER_TOPIC = 12  # candidates tried per topic, the best supported first
MAX_WORDS = 3
# Words a mined phrase may not start or end with: they make no phrase of their own.
_STOP = frozenset(
    {
        "a",
        "an",
        "the",
        "of",
        "for",
        "and",
        "or",
        "to",
        "in",
        "on",
        "with",
        "by",
        "from",
        "via",
        "as",
        "at",
        "is",
        "are",
        "we",
        "our",
        "this",
        "that",
        "its",
        "their",
        "be",
        "can",
        "which",
        "into",
        "than",
        "not",
        "no",
        "it",
        "based",
        "using",
        "use",
        "new",
        "while",
        "both",
        "such",
        "these",
        "more",
        "most",
    }
)


# Mined and gaining, but no description of the topic a reader would file by: the papers that
# hold it share the topic by the chance of a few rounds (read before round 17 was measured).
REJECTED = {
    ("benchmarks", "personalization"),  # three personalization benchmarks, not a kind of paper
    ("agents", "reusable"),  # reusable skills and workflows, said of many methods
    ("data", "fully open"),  # fully open models and recipes, not what data papers are
}


@dataclass(frozen=True, slots=True)
class Edit:
    kind: str  # "add" or "demote"
    slug: str
    phrase: str

    def __str__(self) -> str:
        return f"{self.kind} {self.slug}: {self.phrase!r}"


def apply(taxonomy: tuple[Topic, ...], edits: Iterable[Edit]) -> tuple[Topic, ...]:
    by_slug = {t.slug: t for t in taxonomy}
    for edit in edits:
        topic = by_slug[edit.slug]
        if edit.kind == "add":
            topic = replace(
                topic,
                keywords=(*topic.keywords, edit.phrase),
                generic=tuple(g for g in topic.generic if g != edit.phrase),
            )
        else:
            topic = replace(
                topic,
                keywords=tuple(k for k in topic.keywords if k != edit.phrase),
                generic=(*topic.generic, edit.phrase),
            )
        by_slug[edit.slug] = topic
    return tuple(by_slug[t.slug] for t in taxonomy)


def _round(split: str) -> int:
    return 1 if split == "tuning" else int(split.removeprefix("held-out-"))


def _ngrams(tokens: tuple[str, ...]) -> set[tuple[str, ...]]:
    grams = set()
    for n in range(1, MAX_WORDS + 1):
        for i in range(len(tokens) - n + 1):
            gram = tokens[i : i + n]
            if gram[0] in _STOP or gram[-1] in _STOP or any(w.isdigit() for w in gram):
                continue
            grams.add(gram)
    return grams


@dataclass(frozen=True)
class Labelled:
    papers: Mapping[str, Paper]
    want: Mapping[str, frozenset[str]]  # paper id -> topics filed by hand
    round_of: Mapping[str, int]
    split_of: Mapping[str, str]
    grams: Mapping[str, frozenset[tuple[str, ...]]]  # paper id -> its phrases

    @classmethod
    def load(cls) -> Labelled:
        every = _all_papers()
        entries = [e for e in _labelled() if e["split"] != FRESH]
        papers = {e["id"]: every[e["id"]] for e in entries}
        return cls(
            papers=papers,
            want={e["id"]: frozenset(e["topics"]) for e in entries},
            round_of={e["id"]: _round(e["split"]) for e in entries},
            split_of={e["id"]: e["split"] for e in entries},
            grams={
                pid: frozenset(_ngrams(text_tokens(p.title)) | _ngrams(text_tokens(p.abstract)))
                for pid, p in papers.items()
            },
        )


def mine(data: Labelled, taxonomy: tuple[Topic, ...], rounds: set[int]) -> list[Edit]:
    """Candidate edits from the papers of `rounds`, the best supported first per topic."""
    ids = [pid for pid in data.papers if data.round_of[pid] in rounds]
    holding: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for pid in ids:
        for gram in data.grams[pid]:
            holding[gram].append(pid)
    edits = []
    for topic in taxonomy:
        have = {text_tokens(k) for k in topic.keywords}
        scored = []
        for gram, pids in holding.items():
            inside = sum(1 for pid in pids if topic.slug in data.want[pid])
            if (
                gram not in have
                and inside >= MIN_SUPPORT
                and (len(pids) - inside) <= MAX_OTHERS_SHARE * len(pids)
            ):
                scored.append((-inside, len(pids), " ".join(gram)))
        edits += [Edit("add", topic.slug, phrase) for *_, phrase in sorted(scored)[:PER_TOPIC]]
        for keyword in topic.keywords:
            gram = text_tokens(keyword)
            pids = holding.get(gram, [])
            inside = sum(1 for pid in pids if topic.slug in data.want[pid])
            if len(gram) == 1 and len(pids) >= MIN_SUPPORT and inside < len(pids) - inside:
                edits.append(Edit("demote", topic.slug, keyword))
    return edits


@dataclass
class Effect:
    right: Counter[int]  # round -> topics right gained (less lost)
    wrong: Counter[int]  # round -> wrong topics gained (less lost)

    def net(self, rounds: Iterable[int]) -> int:
        return sum(self.right[r] - self.wrong[r] for r in rounds)


def effect(
    data: Labelled,
    base: Mapping[str, frozenset[str]],
    taxonomy: tuple[Topic, ...],
    edits: list[Edit],
) -> Effect:
    """What `edits` change against `base`, per round; only papers holding an edited phrase can
    change, so only they are matched again."""
    phrases = {text_tokens(e.phrase) for e in edits}
    matcher = compile_topics(apply(taxonomy, edits))
    right: Counter[int] = Counter()
    wrong: Counter[int] = Counter()
    for pid, grams in data.grams.items():
        if not phrases & grams:
            continue
        now = frozenset(assign_topics(data.papers[pid], matcher))
        want, before, r = data.want[pid], base[pid], data.round_of[pid]
        right[r] += len(now & want) - len(before & want)
        wrong[r] += len(now - want) - len(before - want)
    return Effect(right, wrong)


def _pooled(data: Labelled, assigned: Mapping[str, frozenset[str]]) -> tuple[float, float]:
    right = sum(len(assigned[p] & data.want[p]) for p in data.papers)
    given = sum(len(assigned[p]) for p in data.papers)
    wanted = sum(len(data.want[p]) for p in data.papers)
    return right / given, right / wanted


def _under_a_floor(data: Labelled, assigned: Mapping[str, frozenset[str]]) -> list[str]:
    broken = []
    for splits, precision, recall, worst in ROUNDS:
        ids = [p for p in data.papers if data.split_of[p] in splits]
        right = sum(len(assigned[p] & data.want[p]) for p in ids)
        given = Counter(s for p in ids for s in assigned[p])
        good = Counter(s for p in ids for s in assigned[p] & data.want[p])
        least = min((good[s] / n for s, n in given.items() if n >= 5), default=1.0)
        if (
            right / sum(given.values()) < precision
            or right / sum(len(data.want[p]) for p in ids) < recall
            or least < worst
        ):
            broken.append("+".join(splits))
    return broken


def main(args: list[str]) -> None:
    data = Labelled.load()
    taxonomy = _default_taxonomy()
    matcher = compile_topics(taxonomy)
    base = {pid: frozenset(assign_topics(p, matcher)) for pid, p in data.papers.items()}
    all_rounds = set(data.round_of.values())
    # Leave one round out: mined and gaining without round r, then judged on r.
    held_out: dict[Edit, list[int]] = defaultdict(list)  # edit -> its net on each round left out
    effects: dict[Edit, Effect] = {}
    for r in sorted(all_rounds):
        others = all_rounds - {r}
        for edit in mine(data, taxonomy, others):
            if edit not in effects:
                effects[edit] = effect(data, base, taxonomy, [edit])
            if effects[edit].net(others) > 0:
                held_out[edit].append(effects[edit].net([r]))
    kept = []
    rejected = {e for e in held_out if (e.slug, e.phrase) in REJECTED}
    print("candidate                                   folds  better worse  held-out net")
    for edit, nets in sorted(held_out.items(), key=lambda kv: (kv[0].slug, kv[0].phrase)):
        better, worse = sum(n > 0 for n in nets), sum(n < 0 for n in nets)
        ok = better > worse and sum(nets) > 0 and edit not in rejected
        mark = "*" if ok else " "
        print(f"{mark} {edit!s:<42} {len(nets):>4} {better:>6} {worse:>5} {sum(nets):>6}")
        if ok:
            kept.append(edit)
    # Together, dropping any edit that breaks a floor or lowers pooled precision or recall.
    before = _pooled(data, base)
    assert not _under_a_floor(data, base), _under_a_floor(data, base)
    chosen = list(kept)
    while True:
        m = compile_topics(apply(taxonomy, chosen))
        now = {pid: frozenset(assign_topics(p, m)) for pid, p in data.papers.items()}
        pooled, broken = _pooled(data, now), _under_a_floor(data, now)
        if not broken and pooled[0] >= before[0] and pooled[1] >= before[1]:
            break

        # Drop the edit whose removal leaves the fewest floors broken, then the best pooled.
        def without(edit: Edit) -> tuple[int, float]:
            rest = compile_topics(apply(taxonomy, [e for e in chosen if e != edit]))
            got = {pid: frozenset(assign_topics(p, rest)) for pid, p in data.papers.items()}
            return len(_under_a_floor(data, got)), -sum(_pooled(data, got))

        worst = min(chosen, key=without)
        print(f"dropped {worst}: floors {broken}, pooled {pooled[0]:.3f} {pooled[1]:.3f}")
        chosen.remove(worst)
    print(
        f"\nrounds 1 to 16 pooled: precision {before[0]:.3f} -> {pooled[0]:.3f}, "
        f"recall {before[1]:.3f} -> {pooled[1]:.3f}; {len(chosen)} edits:"
    )
    for edit in chosen:
        print(f"  {edit}")


if __name__ == "__main__":
    main(sys.argv[1:])
