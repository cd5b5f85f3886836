"""Where a cold build's render spends its CPU: by kind of output, and in each by step.

    VENV/bin/python bench/render_kinds.py SITE [--runs 3] [--jobs N]

Builds SITE (a copy: its output, record and cache are removed before each build) with
`sitegen build --clean`, in a new process each run, with the sitegen installed in this Python
(`pip install .` into a venv of its own, as bench/run.py does), and prints, for each kind of
output (`sitegen.outputs`), its outputs, files and bytes, and the CPU seconds (the process's
own, user and system, so a file's creation in the kernel counts) of each step: Jinja's
`Template.render`, markdown-it, the abstracts markdown-it is spared (`render_abstract`'s
plain path), feed entries filled in feedgen's templates, feedgen itself, writing the files,
and the rest ("own": sitegen's code, summaries, JSON Feeds). Steps are timed exclusively: a
step inside another counts for itself alone. Medians of the runs. With workers (no `--jobs 1`)
the figures are the sums over them, abstracts and cards made in both included; each worker's
warm-up and topic matching are given apart. It reaches into sitegen's internals by name: a
measuring tool, to be mended when they move (issue #17; HISTORY.md, "where a 1k cold
build's render spends its CPU").
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

STEPS = ("jinja", "markdown-it", "plain abstracts", "feed entries", "feedgen", "own", "writes")


def _instrumented_build(out: Path, argv: list[str]) -> None:
    """Run `sitegen ARGV` in this process with the timers in; each process that renders
    writes its figures to OUT.<pid>.json."""
    import jinja2.environment  # noqa: PLC0415
    import markdown_it  # noqa: PLC0415

    import sitegen.abstracts  # noqa: PLC0415
    import sitegen.build  # noqa: PLC0415
    import sitegen.feeds  # noqa: PLC0415
    import sitegen.render  # noqa: PLC0415
    from sitegen.publish import PublishReport, safe_relative  # noqa: PLC0415

    cpu = time.process_time
    spent: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    files: dict[str, int] = defaultdict(int)
    sizes: dict[str, int] = defaultdict(int)
    outputs: dict[str, int] = defaultdict(int)
    kind_of_path: dict[str, str] = {}
    now = {"kind": "", "since": cpu()}
    steps: list[str] = []

    def charge() -> None:
        t = cpu()
        spent[now["kind"]][steps[-1] if steps else "own"] += t - now["since"]
        now["since"] = t

    def step(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            charge()
            steps.append(name)
            try:
                return function(*args, **kwargs)
            finally:
                charge()
                steps.pop()

        return timed

    def as_kind(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            charge()
            before, now["kind"] = now["kind"], name
            try:
                return function(*args, **kwargs)
            finally:
                charge()
                now["kind"] = before

        return timed

    rendered = sitegen.render._rendered

    def kind_rendered(output: Any, r: Any) -> Any:
        kind = type(output.inputs).__name__
        artifacts = as_kind(kind, rendered)(output, r)
        outputs[kind] += 1
        for artifact in artifacts:
            kind_of_path[artifact.path] = kind
        return artifacts

    def write_artifacts(artifacts: Any, directory: Path, *, unless_in: Path | None = None) -> Any:
        # publish.write_artifacts for a --clean build (nothing to compare with), timed per file.
        assert unless_in is None, "the output, its record and cache are removed before each build"
        made: set[str] = set()
        written = total = 0
        root = os.fspath(directory)
        charge()
        before = now["kind"]
        for artifact in artifacts:
            now["kind"] = kind = kind_of_path.get(artifact.path, "?")
            steps.append("writes")
            relative = safe_relative(artifact.path)
            parent = relative.rpartition("/")[0]
            if parent not in made:
                os.makedirs(f"{root}/{parent}", exist_ok=True)  # noqa: PTH103 (as publish's)
                made.add(parent)
            with open(f"{root}/{relative}", "wb") as file:  # noqa: PTH123 (as publish's)
                file.write(artifact.data)
            charge()
            steps.pop()
            files[kind] += 1
            sizes[kind] += len(artifact.data)
            written += 1
            total += len(artifact.data)
        now["kind"] = before
        return PublishReport(files=written, bytes=total)

    def save() -> None:
        charge()
        usage = os.times()
        figures = {
            "spent": spent,
            "files": files,
            "bytes": sizes,
            "outputs": outputs,
            "cpu": usage.user + usage.system,
        }
        Path(f"{out}.{os.getpid()}.json").write_text(json.dumps(figures))

    def after_fork() -> None:  # a worker's CPU starts at its fork
        for figures in (spent, files, sizes, outputs):
            figures.clear()
        now.update(kind="", since=cpu())

    os.register_at_fork(after_in_child=after_fork)
    jinja2.environment.Template.render = step("jinja", jinja2.environment.Template.render)
    markdown_it.MarkdownIt.render = step("markdown-it", markdown_it.MarkdownIt.render)
    sitegen.abstracts.render_abstract = step("plain abstracts", sitegen.abstracts.render_abstract)
    sitegen.feeds._entries_xml = step("feed entries", sitegen.feeds._entries_xml)
    for name in ("_entries_by_feedgen", "_feed_generator", "_feed_xml"):
        setattr(sitegen.feeds, name, step("feedgen", getattr(sitegen.feeds, name)))
    sitegen.render._rendered = kind_rendered
    sitegen.render.write_artifacts = write_artifacts
    sitegen.render.WarmUp.__call__ = as_kind("(warm-up)", sitegen.render.WarmUp.__call__)
    sitegen.build._AssignChunk.__call__ = as_kind("(topics)", sitegen.build._AssignChunk.__call__)
    share = sitegen.render._RenderInWorker.__call__

    def worker_share(self: Any, chunk: Any) -> Any:
        try:
            return share(self, chunk)
        finally:
            save()  # a worker ends without exit handlers: its figures so far, at each share

    sitegen.render._RenderInWorker.__call__ = worker_share
    sys.argv = ["sitegen", *argv]
    from sitegen.cli import main  # noqa: PLC0415

    try:
        main()
    finally:
        save()


def _merged(paths: list[Path]) -> dict[str, Any]:
    """One build's figures: its processes' summed."""
    merged: dict[str, Any] = {
        "spent": defaultdict(lambda: defaultdict(float)),
        "files": defaultdict(int),
        "bytes": defaultdict(int),
        "outputs": defaultdict(int),
    }
    for path in paths:
        figures = json.loads(path.read_text())
        for kind, by_step in figures["spent"].items():
            for name, seconds in by_step.items():
                merged["spent"][kind][name] += seconds
        for field in ("files", "bytes", "outputs"):
            for kind, n in figures[field].items():
                merged[field][kind] += n
    return merged


def _table(builds: list[dict[str, Any]]) -> str:
    kinds = set().union(*(b["spent"] for b in builds)) - {"", "?"}

    def seconds(kind: str, name: str) -> float:
        return statistics.median(b["spent"].get(kind, {}).get(name, 0.0) for b in builds)

    rows = sorted(kinds, key=lambda k: -sum(seconds(k, s) for s in STEPS))
    first = builds[0]
    lines = [
        "| kind | outputs | files | bytes | " + " | ".join(STEPS) + " | CPU-s |",
        "|---|" + "---|" * (len(STEPS) + 4),
    ]
    for kind in rows:
        by_step = [seconds(kind, s) for s in STEPS]
        lines.append(
            f"| {kind} | {first['outputs'].get(kind, 0):,} | {first['files'].get(kind, 0):,}"
            f" | {first['bytes'].get(kind, 0) / 1e6:.2f} MB | "
            + " | ".join(f"{x:.3f}" if x >= 0.0005 else "" for x in by_step)
            + f" | **{sum(by_step):.3f}** |"
        )
    totals = [sum(seconds(k, s) for k in kinds if not k.startswith("(")) for s in STEPS]
    made = f"{sum(first['files'].values()):,} | {sum(first['bytes'].values()) / 1e6:.2f} MB"
    lines.append(
        f"| all outputs | | {made} | "
        + " | ".join(f"{x:.3f}" for x in totals)
        + f" | **{sum(totals):.3f}** |"
    )
    return "\n".join(lines)


def main() -> None:
    if sys.argv[1:2] == ["--child"]:  # one build, as the runs below start it
        _instrumented_build(Path(sys.argv[2]), sys.argv[3:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a copy of a site: its output is replaced")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, help="sitegen build --jobs (default: one per core)")
    args = parser.parse_args()
    site: Path = args.site
    command = ["--root", str(site), "build", "--clean"]
    if args.jobs is not None:
        command += ["--jobs", str(args.jobs)]
    builds = []
    with tempfile.TemporaryDirectory() as scratch:
        for run in range(args.runs):
            for name in ("public", ".public.outputs", ".sitegen-cache"):
                path = site / name
                if path.is_dir():
                    shutil.rmtree(path)
                path.unlink(missing_ok=True)
            os.sync()
            out = Path(scratch) / f"run{run}"
            child = [sys.executable, __file__, "--child", str(out), *command]
            subprocess.run(child, check=True, stdout=subprocess.DEVNULL)
            builds.append(_merged(sorted(Path(scratch).glob(f"run{run}.*.json"))))
    print(_table(builds))


if __name__ == "__main__":
    main()
