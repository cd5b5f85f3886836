#!/usr/bin/env python3
"""Benchmarks of sitegen against Hugo on the shared synthetic corpus (method: bench/README.md).

    python bench/run.py                       # 1k, 10k and 50k papers, 3 runs each
    python bench/run.py --sizes 1k,10k --runs 5 --skip-hugo

sitegen runs from a virtual environment in the work directory, installed from this checkout
with `pip install .` as the scheduled workflow installs it. For each size it generates the
corpus with ../shared/bench/gen_corpus.py (listing and Hugo formats; D days x 50 papers, plus
one more day per run held back), ingests the D days, then times, in turns: a cold build
(`build --clean`: fresh process, empty output, no cache), the ingest of the next held-back
day in a fresh clone with the cache restored and on the kept checkout, the rebuild after it,
and Hugo's cold build of the equivalent site; then it replays the scheduled workflow's run
day after day (bench/scheduled.py; `--scheduled-only` for that alone). It prints medians, peak
RSS and sitegen/Hugo ratios. Wall time is read with time.perf_counter, peak RSS from the
kernel (wait4) and, for all processes together, sampled from /proc, by a small process that
starts each timed command (see _TIMER).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED_BENCH = REPO.parent / "shared" / "bench"
SIZES = {"1k": 20, "10k": 200, "50k": 1000}  # days of 50 papers


@dataclass
class Sample:
    seconds: list[float] = field(default_factory=list)
    rss_mib: list[float] = field(default_factory=list)
    tree_mib: list[float] = field(default_factory=list)  # all processes together
    cpu: list[float] = field(default_factory=list)  # CPU seconds of all processes together

    def add(self, seconds: float, rss_kib: int, tree_kib: int, cpu: float) -> None:
        self.seconds.append(seconds)
        self.cpu.append(cpu)
        self.rss_mib.append(rss_kib / 1024)
        self.tree_mib.append(tree_kib / 1024)

    def __str__(self) -> str:
        if not self.seconds:
            return "-"
        digits = 3 if max(self.seconds) < 1 else 2  # milliseconds for the daily steps
        low, median, high = (
            f"{x:.{digits}f}" for x in (min(self.seconds), self.median, max(self.seconds))
        )
        spread = f" ({low}-{high})" if len(self.seconds) > 1 else ""
        cpu = f"CPU {statistics.median(self.cpu):.{digits}f} s"
        memory = f"{max(self.rss_mib):.0f} MiB, all {max(self.tree_mib):.0f} MiB"
        return f"{median} s{spread}, {cpu}, {memory}"

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


# Runs each timed command, from a process that stays small. The peak RSS the kernel reports
# for a command counts the memory of the process it was started from (its child, before exec,
# is a copy of it), and this script's own grows to 60 MB over a run: a day's ingest at 50k
# papers, 25 MB, showed as 60.
_TIMER = r"""
import json, os, subprocess, sys, tempfile, time

def tree_rss(root):
    # The resident memory of `root` and every process under it, from /proc: a build's workers
    # are not in its own peak RSS (issue #13 counts all processes together).
    children = {}
    for name in os.listdir("/proc"):
        try:
            with open(f"/proc/{name}/stat") as file:
                ppid = int(file.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(name)
    total, stack = 0, [str(root)]
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/statm") as file:
                total += int(file.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            pass
        stack.extend(children.get(int(pid), ()))
    return total // 1024

for line in sys.stdin:
    command, cwd = json.loads(line)
    os.sync()
    start = time.perf_counter()
    errors = tempfile.TemporaryFile()  # what a failed command said (its last lines)
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors)
    tree = 0
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        tree = max(tree, tree_rss(process.pid))
        time.sleep(0.1)  # a sample takes about 3 ms of a core
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    # The command's CPU and that of the processes it waited for (its workers, Pagefind): a
    # machine that runs slower for a while shows in wall and CPU seconds alike.
    cpu = usage.ru_utime + usage.ru_stime
    errors.seek(max(0, errors.seek(0, 2) - 2000))
    said = errors.read().decode(errors="replace") if code else ""
    errors.close()
    peak = max(tree, usage.ru_maxrss)
    print(json.dumps([seconds, code, usage.ru_maxrss, peak, cpu, said]), flush=True)
"""
_timer: subprocess.Popen[str] | None = None


def timed(command: list[str], *, cwd: Path | None = None) -> tuple[float, int, int, float]:
    """Run a command; (wall seconds, peak RSS KiB, peak RSS KiB of all its processes, CPU
    seconds of all its processes). The
    wall time is read to the microsecond (GNU time's is to the hundredth, too coarse for a
    0.1 s step); the peak RSS is the kernel's for the largest process, as GNU time reports
    it; all processes together are sampled every 100 ms (a peak between samples is missed,
    and pages two processes share count twice: an upper bound but for the missed peak). The disk is
    flushed first, untimed, so that no step waits for the writes of the one before (a cold
    build leaves 600 MB to write back, which a later fsync would wait for)."""
    global _timer
    if _timer is None:
        _timer = subprocess.Popen(
            [sys.executable, "-c", _TIMER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
    assert _timer.stdin is not None and _timer.stdout is not None
    _timer.stdin.write(json.dumps([command, None if cwd is None else str(cwd)]) + "\n")
    _timer.stdin.flush()
    seconds, returncode, rss_kib, tree_kib, cpu, said = json.loads(_timer.stdout.readline())
    if returncode != 0:
        # The 50k scheduled replay once stopped on a `git clone` that exited 128, saying why
        # to no one (38th session).
        print(f"{shlex.join(command)} exited {returncode}; it said:\n{said}", file=sys.stderr)
        raise subprocess.CalledProcessError(returncode, command, stderr=said)
    return seconds, rss_kib, tree_kib, cpu  # KiB on Linux


def ensure_hugo() -> None:
    if shutil.which("hugo"):
        return
    if os.geteuid() != 0:
        sys.exit("install hugo (the Debian package) first, or pass --skip-hugo")
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "hugo"], check=True, stdout=subprocess.DEVNULL
    )


def generate(days: int, held_back: int, work: Path) -> tuple[Path, list[Path], Path]:
    """(listings of `days` days, the listings of the `held_back` days after, the Hugo site)."""
    gen = [sys.executable, str(SHARED_BENCH / "gen_corpus.py"), "-P", "50"]
    listings = work / f"listing-{days + held_back}"
    if not listings.exists():
        subprocess.run(
            [*gen, "-D", str(days + held_back), "-f", "listing", "-o", str(listings)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    hugo = work / f"hugo-{days}"
    if not hugo.exists():
        subprocess.run(
            [*gen, "-D", str(days), "-f", "hugo", "-o", str(hugo)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    files = sorted(listings.glob("*.txt"))
    first = work / f"first-{days}"
    if not first.exists():
        first.mkdir()
        for path in files[:days]:
            os.link(path, first / path.name)
    return first, files[days:], hugo


def fresh_site(work: Path, name: str) -> Path:
    site = work / name
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir()
    shutil.copy(REPO / "site.toml", site / "site.toml")
    shutil.copytree(REPO / "templates", site / "templates")
    return site


def fresh_clone(site: Path, clone: Path) -> Path:
    """A copy of `site`'s sources, content and cache, every file new, as a checkout makes."""
    shutil.rmtree(clone, ignore_errors=True)
    clone.mkdir()
    for name in ("site.toml", "templates", "content", ".sitegen-cache"):
        source = site / name
        if source.is_dir():
            shutil.copytree(source, clone / name, copy_function=shutil.copyfile)
        else:
            shutil.copyfile(source, clone / name)
    return clone


def discard(path: Path, trash: Path) -> None:
    # Renamed, not deleted, so a cold build starts from an empty output at O(1) cost.
    if path.exists():
        trash.mkdir(exist_ok=True)
        path.rename(trash / f"{path.name}.{len(list(trash.iterdir()))}")


def install(work: Path) -> Path:
    """This checkout's sitegen installed in a virtual environment of the bench's own, as the
    scheduled workflow installs it (`pip install .`, which compiles its bytecode); returns
    its Python, beside which is its `sitegen` command. So the figures are the installed
    tool's: not those of an editable install, nor of hooks in this machine's own
    site-packages, which every Python start runs."""
    venv = work / "venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    for step in (["--force-reinstall", "--no-deps"], []):  # then the dependencies, when missing
        done = subprocess.run([*pip, *step, str(REPO)], capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"pip could not install sitegen:\n{done.stderr}")
    return python


def startup_ms(python: str) -> float:
    """How long this Python takes to start and exit doing nothing (median of 9)."""
    runs = []
    for _ in range(9):
        start = time.perf_counter()
        subprocess.run([python, "-c", "pass"], check=True)
        runs.append(time.perf_counter() - start)
    return 1000 * statistics.median(runs)


def bench_size(
    label: str, days: int, runs: int, work: Path, skip_hugo: bool, python: Path
) -> dict[str, Sample]:
    first, next_days, hugo_site = generate(days, runs, work)
    # The installed command, as the scheduled workflow runs it. Not `python -m sitegen`: that
    # puts the working directory first on sys.path, and from this checkout it would import
    # the source here rather than the installed, compiled package.
    sitegen = [str(python.parent / "sitegen")]
    trash = work / "trash"
    results = {
        name: Sample()
        for name in (
            "ingest all",
            "cold build",
            "ingest one day",
            "ingest one day, fresh clone",
            "rebuild after one day",
            "hugo cold",
        )
    }
    site = fresh_site(work, f"site-{label}")
    results["ingest all"].add(
        *timed([*sitegen, "--root", str(site), "ingest", *map(str, sorted(first.glob("*.txt")))])
    )
    output = ""
    for next_day in next_days:
        discard(site / "public", trash)
        # --clean: no parse cache either, a true cold build.
        results["cold build"].add(*timed([*sitegen, "--root", str(site), "build", "--clean"]))
        # Sized as first built, from the same D days as Hugo's: later runs ingest held-back days.
        output = output or output_size(site / "public", days * 50)
        # As the scheduled job runs it: a fresh clone (new inodes and mtimes) with
        # .sitegen-cache/ restored, here a copy of the kept site's.
        clone = fresh_clone(site, work / f"clone-{label}")
        results["ingest one day, fresh clone"].add(
            *timed([*sitegen, "--root", str(clone), "ingest", str(next_day)])
        )
        shutil.rmtree(clone)
        results["ingest one day"].add(
            *timed([*sitegen, "--root", str(site), "ingest", str(next_day)])
        )
        results["rebuild after one day"].add(*timed([*sitegen, "--root", str(site), "build"]))
        if not skip_hugo:
            results["hugo cold"].add(
                *timed(["sh", str(SHARED_BENCH / "cold_build.sh"), "hugo", str(hugo_site)])
            )
    shutil.rmtree(trash, ignore_errors=True)
    shutil.rmtree(hugo_site / ".trash", ignore_errors=True)
    if output:  # none with --runs 0
        print(f"  output of {label}: sitegen {output}")
    if not skip_hugo:
        print(f"  output of {label}: Hugo    {output_size(hugo_site / 'public', days * 50)}")
    return results


def bench_scheduled(label: str, days: int, runs: int, work: Path, python: Path) -> None:
    """The scheduled workflow's run replayed on the days after the corpus (bench/scheduled.py):
    a first run with no cache, then `runs` runs each from the caches the one before saved."""
    import scheduled  # beside this file; needs PyYAML to read the workflow

    first, _, _ = generate(days, runs, work)
    # The API's answers of the days after: the same corpus (prefix-stable) as JSON lines.
    corpus = work / f"jsonl-{days + runs + 1}"
    if not corpus.exists():
        subprocess.run(
            [sys.executable, str(SHARED_BENCH / "gen_corpus.py"), "-P", "50"]
            + ["-D", str(days + runs + 1), "-f", "jsonl", "-o", str(corpus)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    site = fresh_site(work, f"scheduled-{label}")
    subprocess.run(
        [
            str(python.parent / "sitegen"),
            "--root",
            str(site),
            "ingest",
            *map(str, sorted(first.glob("*.txt"))),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    held = sorted(p.stem for p in first.glob("*.txt"))[-1]
    start = date.fromisoformat(held).toordinal()
    after = [date.fromordinal(start + n).isoformat() for n in range(1, runs + 2)]
    first_run, replays, differs = scheduled.replay_days(
        site=site, corpus_jsonl=corpus / "corpus.jsonl", days=after,
        work=work / f"scheduled-{label}-replay", sitegen_bin=python.parent, timed=timed,
    )  # fmt: skip
    shutil.rmtree(site)
    print(f"\n{label} papers, the scheduled run replayed: fresh clones, caches restored")
    print("\n".join(scheduled.summary(first_run, replays, differs)))


def output_size(public: Path, papers: int) -> str:
    """The size of a built site: bytes on disk (4 KiB blocks, as a host stores them), files,
    bytes of content per paper, and the content bytes of each top-level part."""
    parts: dict[str, int] = {}
    files = disk = 0
    for path in public.rglob("*"):
        if path.is_file():
            size = path.stat().st_size
            files += 1
            disk += -(-size // 4096) * 4096
            top = path.relative_to(public).parts[0]
            part = top if (public / top).is_dir() else "(files at the root)"
            parts[part] = parts.get(part, 0) + size
    content = sum(parts.values())
    biggest = ", ".join(
        f"{name} {size / 2**20:.0f} MiB"
        for name, size in sorted(parts.items(), key=lambda p: -p[1])[:5]
    )
    return (
        f"{content / 2**20:.1f} MiB in {files:,} files ({disk / 2**20:.0f} MiB on disk), "
        f"{content / max(papers, 1) / 1024:.1f} KiB a paper; {biggest}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1k,10k,50k", help="comma-separated: 1k, 10k, 50k")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "sitegen-bench")
    parser.add_argument("--skip-hugo", action="store_true")
    parser.add_argument(
        "--scheduled-only", action="store_true", help="only replay the scheduled workflow's run"
    )
    args = parser.parse_args()
    if not args.skip_hugo:
        ensure_hugo()
    args.work.mkdir(parents=True, exist_ok=True)
    hugo_version = (
        ""
        if args.skip_hugo
        else subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.split()[1]
    )
    timed(["true"])  # the timer starts now, while this process is small
    python = install(args.work)
    print(
        f"machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}"
        + (f", Hugo {hugo_version}" if hugo_version else "")
    )
    print(
        f"Python start: {startup_ms(str(python)):.0f} ms in the bench's environment, "
        f"{startup_ms(sys.executable):.0f} ms for {sys.executable}"
    )
    for label in args.sizes.split(","):
        if args.scheduled_only:
            bench_scheduled(label, SIZES[label], args.runs, args.work, python)
            continue
        results = bench_size(label, SIZES[label], args.runs, args.work, args.skip_hugo, python)
        print(
            f"\n{label} papers ({SIZES[label]} days x 50), median of {args.runs} runs "
            "(min-max), peak RSS of the largest process and of all together:"
        )
        for name, sample in results.items():
            print(f"  {name:<24} {sample}")
        if results["hugo cold"].seconds:
            ratio = results["cold build"].median / results["hugo cold"].median
            print(f"  sitegen/Hugo cold build  {ratio:.2f}x")
        bench_scheduled(label, SIZES[label], args.runs, args.work, python)


if __name__ == "__main__":
    main()
