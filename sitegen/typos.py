"""How far a word typed is from one meant (pure): the edits of a misspelling, which a
misspelt command or flag and a custom feed's phrase no paper mentions are offered by."""

from __future__ import annotations

from collections.abc import Sequence


def edits(a: str, b: str, most: int) -> int:
    """The edits that make `b` of `a` (a letter added, dropped or changed, two neighbours
    swapped: the optimal string alignment distance), or `most` + 1 when it takes more; as
    templates/_edits.js counts them, which the search page respells by."""
    if abs(len(a) - len(b)) > most:
        return most + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i]
        for j in range(1, len(b) + 1):
            cost = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] != b[j - 1]))
            if before and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cost = min(cost, before[j - 2] + 1)
            row.append(cost)
        if min(row) > most:
            return most + 1
        before, previous = previous, row
    return previous[len(b)]


def nearest(word: str, candidates: Sequence[str], most: int) -> str | None:
    """The candidate fewest edits from `word`, if at most `most`, the first of a tie."""
    scored = sorted((edits(word, c, most), i, c) for i, c in enumerate(candidates))
    return scored[0][2] if scored and scored[0][0] <= most else None
