"""What an output's key is made of: a digest of its kind, the setup (sitegen's code, the
templates, site.toml) and its inputs, each paper in them standing for its state (its file's
digest, its topics and its days), so the key changes whenever the output's bytes may.
`outputs.output_key` keys an output of the registry with these.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from sitegen.model import Papers
from sitegen.site import Site

if TYPE_CHECKING:
    from sitegen.outputs import Output


class Ids(tuple[str, ...]):
    """Ids of papers an output shows by their URLs alone: in its key, the ids, not their
    states; joined, not each one's repr (the rebuild budget: 0.03 s for 50,000 at 50k)."""

    __slots__ = ()


# The states of a Papers value joined, by its identity (it is held, so the identity stays
# its own): the outputs of a day, a week or a month share one value, which is joined once
# (the rebuild budget, under 2 s at 50k papers: 150,000 of 450,000 lookups of a state).
Joined = dict[int, tuple["Papers", str]]


def one_paper_key(setup: str, kind: str, state: str) -> str:
    """The key of an output of one paper (a paper's page), of the paper's `state`."""
    # The digest of the setup and the kind, then the paper's state, a digest already: not a
    # digest of all three, one for each of 50,000 papers (the rebuild budget, under 2 s at
    # 50k papers: 0.05 s).
    return key_of(setup, kind, "")[:16] + state


def key_of(setup: str, kind: str, shown: str) -> str:
    """The key of an output of `kind` whose inputs are `shown` (`shown_of`)."""
    return hashlib.blake2b(f"{setup}\x1f{kind}{shown}".encode(), digest_size=12).hexdigest()


def shown_of(value: object, paper_states: Mapping[str, str], joined: Joined) -> str:
    """Inputs as the text their key is a digest of: each paper of a `Papers` as its state."""
    if type(value) is Papers:
        held = joined.get(id(value))
        if held is None:
            held = joined[id(value)] = (value, ";".join(map(paper_states.__getitem__, value)))
        return held[1]
    if type(value) is Ids:
        return f"[{';'.join(value)}]"  # no paper id holds a ";" (model.is_paper_id)
    if type(value) is tuple and not any(isinstance(v, tuple) for v in value):
        return repr(value)  # plain values: not a call each
    if isinstance(value, tuple):
        return "(" + ",".join([shown_of(v, paper_states, joined) for v in value]) + ")"
    return repr(value)


def papers_named(outputs: Iterable[Output]) -> set[str]:
    """The ids of the papers the inputs of `outputs` name: all the papers they show."""
    named: set[str] = set()

    def add(value: object) -> None:
        if type(value) is Papers:
            named.update(value)
        elif isinstance(value, tuple):
            for v in value:
                add(v)

    for output in outputs:
        add(output.inputs)
    return named


def paper_states(site: Site) -> dict[str, str]:
    """Each paper as the outputs that show it may: its id, a digest of its file's bytes, its
    topics and its days (with the day a late one came with, and when a fetch brought it: they date
    feed items)."""
    # Each paper's days as text, made day by day (its appearances, oldest first), not looked
    # up paper by paper (the rebuild budget, under 2 s at 50k papers: 0.03 s).
    days: dict[str, str] = {}
    late = site.late_days
    for listing in reversed(site.days):
        iso = listing.day.isoformat()
        if (came := late.get(listing.day)) is not None:
            iso += f">{came.isoformat()}"
        added = site.added.get(listing.day, {})
        for rank, paper_id in enumerate(listing.papers, start=1):
            day = f"{iso}#{rank}"
            if paper_id in added:
                day += f"@{added[paper_id]}"
            shown = days.get(paper_id)
            days[paper_id] = day if shown is None else f"{shown},{day}"
    states = {}
    digests, topics, blake2b = site.digests, site.paper_topics, hashlib.blake2b
    for paper_id in site.ids:
        made_of = digests.get(paper_id) or repr(site.papers[paper_id])  # held in memory
        # Its id too: a file renamed by hand has the same bytes, and the outputs and records
        # kept by its state named the old id, a dead link.
        state = f"{paper_id}:{made_of}:{','.join(topics[paper_id])}:{days.get(paper_id, '')}"
        # Digested: the keys of the outputs that show all 50,000 papers join their states
        # (ten times over at 50k papers: 0.3 s of the rebuild budget, under 2 s, at full length).
        states[paper_id] = blake2b(state.encode(), digest_size=10).hexdigest()
    return states
