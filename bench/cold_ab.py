"""Cold builds of two checkouts of sitegen and Hugo's, in turns: wall and CPU seconds.

    python bench/cold_ab.py --site SITE --hugo HUGO_SITE [--runs 5] CHECKOUT...

On a machine others load, one figure against another taken minutes apart says little:
this times `sitegen build --clean` of each CHECKOUT (run as `python -m sitegen` with the
checkout first on PYTHONPATH, this Python's libraries) and Hugo's cold build
(`../shared/bench/cold_build.sh`, as bench/run.py runs it) one after the other, `--runs`
rounds, each round in a new order. Before each build, untimed: the last output is removed and
the disk flushed. CPU seconds are the build's and all its processes' (workers, Pagefind,
Hugo's threads), from the kernel (`wait4`). SITE and HUGO_SITE are copies (their output is
replaced): `cp -a /tmp/sitegen-bench/site-1k /tmp/x-1k`, `.../hugo-20` for Hugo.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

COLD_BUILD = Path(__file__).resolve().parents[1] / ".." / "shared" / "bench" / "cold_build.sh"


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of it and its processes, peak RSS MiB of the largest)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(command)}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--hugo", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("checkouts", type=Path, nargs="+")
    args = parser.parse_args()
    contenders: dict[str, tuple[list[str], dict[str, str] | None, Path]] = {}
    for checkout in args.checkouts:  # compiled first, untimed, as `pip install` does
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", str(checkout / "sitegen")], check=True
        )
        env = {**os.environ, "PYTHONPATH": str(checkout.resolve())}
        command = [sys.executable, "-m", "sitegen", "--root", str(args.site), "build", "--clean"]
        contenders[checkout.name] = (command, env, args.site / "public")
    if args.hugo:
        command = ["sh", str(COLD_BUILD), "hugo", str(args.hugo)]
        contenders["hugo"] = (command, None, args.hugo / ".trash")
    figures: dict[str, list[tuple[float, float, int]]] = {name: [] for name in contenders}
    names = list(contenders)
    for run in range(args.runs):
        for name in names[run % len(names) :] + names[: run % len(names)]:
            run_command, run_env, output = contenders[name]
            shutil.rmtree(output, ignore_errors=True)
            os.sync()
            figures[name].append(timed(run_command, run_env))
            wall, cpu, rss = figures[name][-1]
            load = os.getloadavg()[0]
            print(
                f"run {run + 1} {name:>12}: {wall:6.2f} s wall {cpu:6.2f} s CPU {rss} MiB"
                f" (load {load:.1f})",
                flush=True,
            )
    for name, runs in figures.items():
        walls, cpus = [r[0] for r in runs], [r[1] for r in runs]
        print(
            f"{name:>12}: wall median {statistics.median(walls):.2f} s"
            f" ({min(walls):.2f}-{max(walls):.2f}), CPU median {statistics.median(cpus):.2f} s"
            f" ({min(cpus):.2f}-{max(cpus):.2f})"
        )


if __name__ == "__main__":
    main()
