"""The parts of pages and feeds rendered from one paper, which a build keeps for the next
(in .sitegen-cache/, by the paper's state: sitegen.build) and its renders share."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

_V = TypeVar("_V")


class PaperParts:
    """Parts of pages and feeds rendered from one paper (its card's HTML on a topic's page,
    its item in a feed, whether a custom feed admits it), by paper id and part name. A build
    reuses the parts of papers whose state is unchanged, so the lists a new day changes
    neither read nor render again the papers they showed the day before: the rebuild budget
    (under 2 s at 50k papers) needs it, those papers' files took ~2 s to parse and render."""

    def __init__(self, held: dict[str, dict[str, Any]] | None = None) -> None:
        self.held: dict[str, dict[str, Any]] = held if held is not None else {}
        self.made: dict[str, dict[str, Any]] = {}  # since last taken (`take_made`)

    def get(self, paper_id: str, part: str) -> Any:
        """The part, if held; else None (no part is None)."""
        parts = self.held.get(paper_id)
        return None if parts is None else parts.get(part)

    def put(self, paper_id: str, part: str, value: Any) -> Any:
        """Hold `value` (plain: str, bytes, bool, tuples of them) as the part; returns it."""
        self.held.setdefault(paper_id, {})[part] = value
        self.made.setdefault(paper_id, {})[part] = value
        return value

    def kept(self, paper_id: str, part: str, make: Callable[[], _V]) -> _V:
        """The part if held, else `make()`, held from now on."""
        value: _V | None = self.get(paper_id, part)
        return self.put(paper_id, part, make()) if value is None else value

    def take_made(self) -> dict[str, dict[str, Any]]:
        """The parts made since last taken: a build worker hands them to the build."""
        made, self.made = self.made, {}
        return made

    def add(self, made: Mapping[str, Mapping[str, Any]]) -> None:
        """Hold the parts another process made."""
        for paper_id, parts in made.items():
            self.held.setdefault(paper_id, {}).update(parts)
