"""`sitegen build` of pages and feeds alone (no search index), timed: wall and CPU seconds.

    python bench/pages_build.py SITE [--clean] [--pin-code-version]

For measuring the rebuild after a day (bench/HISTORY.md, "The rebuild after a day, pages and
feeds"): site.toml has no switch for the search index, so this calls `build_site(search=False)`,
which leaves the index as it is. `--pin-code-version` has sitegen's caches and build record
written under one fixed code version, so two checkouts of sitegen (PYTHONPATH=...) can be timed
on copies of one site without each rendering it whole first; for benchmarks only.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path


def main() -> None:
    args = sys.argv[1:]
    root = Path(args[0])
    started = time.perf_counter()
    import sitegen.build
    import sitegen.cache

    if "--pin-code-version" in args:
        sitegen.cache.code_version = lambda: "pinned"  # type: ignore[assignment]
        sitegen.build.code_version = lambda: "pinned"  # type: ignore[attr-defined]
    from sitegen.cli import load_config
    from sitegen.workers import without_cycle_collection

    with without_cycle_collection():  # as `sitegen build` runs it
        report = sitegen.build.build_site(
            root, load_config(root), out=root / "public", clean="--clean" in args, search=False
        )
    wall = time.perf_counter() - started
    own, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    print(
        f"wall {wall:.2f} s, CPU {cpu:.2f} s: {report.rendered} of {report.files} files rendered, "
        f"{report.written.files} written"
    )


if __name__ == "__main__":  # workers are spawned: they import this file without running it
    main()
