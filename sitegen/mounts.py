"""Where filesystems are mounted: what a change of many files, or a build that replaces its
output whole, must not cross or remove (sitegen.transaction, sitegen.output_folder).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path


def mount_points() -> frozenset[str]:
    """Where filesystems are mounted, as Linux lists them (bind mounts too); none elsewhere."""
    try:
        mounts = Path("/proc/self/mountinfo").read_bytes()
    except OSError:
        return frozenset()
    # The fifth field, a space, tab, newline or backslash in it written as an octal escape; other
    # bytes as they are, which need not be UTF-8 (a review: a mount's name of Latin-1 was a
    # traceback in every run): decoded as file names are.
    points = (line.split(b" ")[4] for line in mounts.splitlines() if line.count(b" ") >= 4)
    return frozenset(
        os.fsdecode(re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m[1], 8)]), p)) for p in points
    )


def mounts_under(folder: str, points: Iterable[str]) -> list[str]:
    """The mount `points` inside `folder` (a resolved path), sorted, as paths under it."""
    return sorted(m[len(folder) + 1 :] for m in points if m.startswith(f"{folder}/"))
