#!/usr/bin/env python3
"""Where a command's memory goes: every process's RSS over its run, sampled from /proc.

    python bench/memory.py [--every 0.05] [--timeline] -- sitegen --root SITE build --clean

Prints the command's wall and CPU seconds (its own and its waited-for children's, from
wait4), the peak of all its processes together and what each held at that moment, and the
peak of each phase. A phase is a stretch with the same kinds of process alive: the build
alone, with its worker processes (parsing, topics, rendering), with Pagefind's. `--timeline`
prints a line per half second too. RSS counts pages that processes share once in each, as
bench/run.py's sampler does (the budget's figure: issue #13, all processes under 1 GiB).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

_PAGE = os.sysconf("SC_PAGE_SIZE")


def processes_under(root: int) -> dict[int, tuple[str, int]]:
    """{pid: (kind, RSS in bytes)} of `root` and every process under it."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry.name))
    found: dict[int, tuple[str, int]] = {}
    stack = [root]
    while stack:
        pid = stack.pop()
        try:
            rss = int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE
            command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except (OSError, ValueError, IndexError):
            continue
        found[pid] = (_kind(pid, root, command), rss)
        stack.extend(children.get(pid, ()))
    return found


def _kind(pid: int, root: int, command: list[bytes]) -> str:
    if pid == root:
        return "main"
    text = b" ".join(command)
    if b"pagefind" in command[0].rsplit(b"/", 1)[-1]:
        return "pagefind"
    if b"resource_tracker" in text:
        return "tracker"
    if b"multiprocessing" in text:
        return "worker"
    return "other"


@dataclass
class Phase:
    kinds: tuple[str, ...]
    start: float
    end: float = 0.0
    peak: int = 0
    at_peak: dict[int, tuple[str, int]] = field(default_factory=dict)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--every", type=float, default=0.05, help="seconds between samples")
    parser.add_argument("--timeline", action="store_true")
    parser.add_argument("command", nargs="+")
    args = parser.parse_args()
    started = time.perf_counter()
    process = subprocess.Popen(args.command, stdout=subprocess.DEVNULL)
    phases: list[Phase] = []
    line_due = 0.0
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        now = time.perf_counter() - started
        found = processes_under(process.pid)
        kinds = tuple(sorted(kind for kind, _ in found.values() if kind != "tracker"))
        total = sum(rss for _, rss in found.values())
        if not phases or phases[-1].kinds != kinds:
            phases.append(Phase(kinds, now))
        phase = phases[-1]
        phase.end = now
        if total > phase.peak:
            phase.peak, phase.at_peak = total, found
        if args.timeline and now >= line_due:
            line_due = now + 0.5
            print(f"{now:7.1f} s {total / 2**20:7.0f} MiB  {_held(found)}")
        time.sleep(args.every)
    wall = time.perf_counter() - started
    cpu = usage.ru_utime + usage.ru_stime
    peak = max(phases, key=lambda p: p.peak, default=None)
    print(f"exit {os.waitstatus_to_exitcode(status)}, wall {wall:.1f} s, CPU {cpu:.1f} s")
    if peak is not None:
        print(f"peak, all processes: {peak.peak / 2**20:.0f} MiB ({_held(peak.at_peak)})")
    for phase in _merged(phases):
        print(
            f"  {phase.start:6.1f}-{phase.end:6.1f} s  {'+'.join(phase.kinds) or '-':<32}"
            f" peak {phase.peak / 2**20:5.0f} MiB ({_held(phase.at_peak)})"
        )


def _held(found: dict[int, tuple[str, int]]) -> str:
    return ", ".join(
        f"{kind} {rss / 2**20:.0f}" for kind, rss in sorted(found.values(), key=lambda v: v[0])
    )


def _merged(phases: list[Phase]) -> list[Phase]:
    """Phases shorter than a sample (a process starting or ending) folded into the one before."""
    merged: list[Phase] = []
    for phase in phases:
        if merged and (phase.kinds == merged[-1].kinds or phase.end - phase.start < 0.2):
            last = merged[-1]
            last.end = phase.end
            if phase.peak > last.peak:
                last.peak, last.at_peak = phase.peak, phase.at_peak
        else:
            merged.append(phase)
    return merged


if __name__ == "__main__":
    main()
