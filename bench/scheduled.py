"""The scheduled workflow's job, replayed as it runs on a GitHub runner (issue #17).

Each day, `.github/workflows/publish.yml` starts from a fresh clone: its job clones the site,
restores its cache (the last deployed site, one tar archive, with its record, and
.sitegen-cache/), fetches the new day from Hugging Face, commits it, builds the next archive
and uploads it for Pages; then its push job, in a fresh clone of its own, applies that commit
and pushes it. This module replays that job day after day against a local
git repository and a stand-in of the API on 127.0.0.1 (the tests',
tests/hf_server.py), with the commands, cached paths and key
prefixes read from publish.yml itself, so the bench runs what the workflow runs. The cache is
saved and restored with tar and zstd as actions/cache does (@actions/cache's tar.ts), so each
file comes back with its bytes and its mtime.

Used by run.py (`python bench/run.py`); method in bench/README.md, figures in bench/HISTORY.md.
"""

from __future__ import annotations

import filecmp
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml  # PyYAML, installed with sitegen's test extras

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # for the tests' stand-in of huggingface.co, tests/hf_server.py
from sitegen.hf_client import PAGE_SIZE  # noqa: E402
from tests.hf_server import running_hf  # noqa: E402

WORKFLOW = REPO / ".github" / "workflows" / "publish.yml"
BASE_URL = "https://you.github.io/daily-papers"  # what actions/configure-pages would give
# The job of publish.yml that fetches and builds, and its steps run by name, in order (the patch
# is made when the commit step changed something: here it always does); the rest (checkout,
# setup-python, Pages, the uploads) are GitHub's. Then the push job's step, in its own clone.
JOB = "fetch-and-build"
STEPS = ("Fetch", "Commit new content", "The new content as a patch", "Build")
PUSH_JOB, PUSH_STEP = "push", "Push"
# GitHub's command for a `run:` step of `shell: bash`, which publish.yml names for every step
# (`defaults.run.shell`; a step that names none runs as `bash -e`, without pipefail).
SHELL = ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c"]

Timer = Callable[..., tuple[float, int, int, float]]  # run.py's timed(command, cwd=...)


@dataclass(frozen=True, slots=True)
class CacheStep:
    """One actions/cache step of the workflow: what it keeps and under which key prefix."""

    paths: tuple[str, ...]
    restore_prefix: str


@dataclass(frozen=True, slots=True)
class Job:
    steps: dict[str, str]  # name -> its `run` script
    cache: CacheStep
    push: str  # the push job's step's script


def deployed_artifact() -> str:
    """The file the job uploads for Pages (its upload-artifact step's `path`)."""
    workflow = yaml.safe_load(WORKFLOW.read_text())
    (upload,) = [
        s["with"]
        for s in workflow["jobs"][JOB]["steps"]
        if s.get("uses", "").startswith("actions/upload-artifact@")
        and s["with"]["name"] == "github-pages"
    ]
    return str(upload["path"])


def workflow_job() -> Job:
    """The job of publish.yml that fetches and builds: its scripts and its cache step."""
    workflow = yaml.safe_load(WORKFLOW.read_text())
    if workflow.get("defaults", {}).get("run", {}).get("shell") != "bash":
        sys.exit(f"{WORKFLOW}: names no `shell: bash` for its steps, which SHELL replays")
    steps = workflow["jobs"][JOB]["steps"]
    (cache,) = [s["with"] for s in steps if s.get("uses", "").startswith("actions/cache@")]
    (push,) = [s["run"] for s in workflow["jobs"][PUSH_JOB]["steps"] if s.get("name") == PUSH_STEP]
    return Job(
        steps={s["name"]: s["run"] for s in steps if "run" in s and "name" in s},
        cache=CacheStep(
            paths=tuple(cache["path"].split()), restore_prefix=cache["restore-keys"].strip()
        ),
        push=push,
    )


# ---- the stand-in of the API ------------------------------------------------------------------


def api_entry(paper: dict[str, Any]) -> dict[str, Any]:
    """A paper of gen_corpus.py's JSON lines as Hugging Face's API gives it (2025-26 shape:
    /work/shared/fixtures/hf/README.md): no nulls, absent fields left out."""
    day, arxiv = paper["day"], paper["id"]
    uid = hashlib.blake2b(arxiv.encode(), digest_size=12).hexdigest()  # the right shape
    inner: dict[str, Any] = {
        "id": arxiv,
        "authors": [
            {"_id": f"{uid[:20]}{n:04x}", "name": f"Author {n + 1} of {arxiv}", "hidden": False}
            for n in range(paper["authors"] or 0)
        ],
        "publishedAt": f"{paper['published']}T00:00:00.000Z",
        "submittedOnDailyAt": f"{day}T00:00:00.000Z",
        "title": paper["title"],
        "summary": paper["abstract"],
        "upvotes": paper["upvotes"],
        "discussionId": uid,
    }
    entry: dict[str, Any] = {
        "paper": inner,
        "publishedAt": f"{paper['published']}T00:00:00.000Z",
        "title": paper["title"],
        "summary": paper["abstract"],
        "thumbnail": f"https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{arxiv}.png",
        "numComments": 0,
        "isAuthorParticipating": False,
    }
    if paper["org"]:
        handle, _, name = paper["org"].partition(" ")
        organization = {"_id": uid, "name": handle, "fullname": name or handle}
        inner["organization"] = entry["organization"] = organization
    return entry


def api_answers(corpus_jsonl: Path, days: set[str]) -> dict[str, list[dict[str, Any]]]:
    """The API's entries of each of `days`, in the listing's order."""
    answers: dict[str, list[dict[str, Any]]] = {day: [] for day in days}
    with corpus_jsonl.open() as lines:
        for line in lines:
            paper = json.loads(line)
            if paper["day"] in answers:
                answers[paper["day"]].append(api_entry(paper))
    return answers


# ---- the caches, as actions/cache keeps them ---------------------------------------------------


def save_cache(step: CacheStep, workspace: Path, archive: Path, timed: Timer) -> Took:
    """actions/cache's save at the end of a job: the paths that exist, in one tar archive
    (POSIX format: mtimes to the nanosecond) compressed with zstd."""
    present = [p for p in step.paths if os.path.lexists(workspace / p)]
    manifest = archive.with_suffix(".manifest")
    manifest.write_text("".join(f"{p}\n" for p in present))
    command = ["tar", "--posix", "-cf", str(archive), "-P", "-C", str(workspace)]
    command += ["--files-from", str(manifest), "--use-compress-program", "zstdmt --long=30"]
    return timed_cpu(timed, command)


def restore_cache(archive: Path, workspace: Path, timed: Timer) -> Took:
    """actions/cache's restore: the archive extracted into the workspace (the download is not
    counted: it depends on GitHub's network, not on sitegen)."""
    command = ["tar", "-xf", str(archive), "-P", "-C", str(workspace)]
    return timed_cpu(timed, [*command, "--use-compress-program", "unzstd --long=30"])


Took = tuple[float, float]  # wall seconds, CPU seconds (user + system, children included)


def timed_cpu(timed: Timer, command: list[str], cwd: Path | None = None) -> Took:
    """Wall and CPU seconds of a command. On this shared machine the wall time waits for other
    work; the CPU time (GNU time's, of the command and every process it waited for) does less."""
    report = REPO / "bench" / "out" / "cpu-time"
    report.parent.mkdir(exist_ok=True)
    wall = timed(["/usr/bin/time", "-f", "%U %S", "-o", str(report), *command], cwd=cwd)[0]
    user, system = report.read_text().split()[-2:]
    return wall, float(user) + float(system)


# ---- the replay --------------------------------------------------------------------------------


@dataclass
class DayReplay:
    """Wall and CPU seconds of each step of one day's replay, the bytes of the caches restored."""

    took: dict[str, Took]
    cache_bytes: dict[str, int]

    @property
    def sitegen_share(self) -> Took:
        """What the budget counts: restoring the caches, the fetch, the build."""
        return sum(self.took[s][0] for s in SHARE), sum(self.took[s][1] for s in SHARE)


SHARE = ("restore cache", "sitegen fetch", "sitegen build")


def git(*args: str, cwd: Path) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True)
    return done.stdout.strip()


def make_origin(site: Path, origin: Path) -> None:
    """The site's git repository, as a fork on GitHub holds it: site.toml, templates/, content/,
    .github/ (the workflow's scripts) and .gitignore committed on main; a bare repository the
    jobs clone and push to."""
    seed = site.with_name(f"{site.name}-git")
    shutil.rmtree(seed, ignore_errors=True)
    seed.mkdir()
    for name in ("site.toml", "templates", "content"):
        source = site / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, seed / name)
    shutil.copytree(REPO / ".github", seed / ".github")
    shutil.copy(REPO / ".gitignore", seed / ".gitignore")
    git("init", "-q", "-b", "main", cwd=seed)
    git("add", "-A", cwd=seed)
    git(
        "-c",
        "user.name=fork",
        "-c",
        "user.email=fork@example.org",
        "commit",
        "-qm",
        "site",
        cwd=seed,
    )
    shutil.rmtree(origin, ignore_errors=True)
    git("clone", "-q", "--bare", str(seed), str(origin), cwd=seed.parent)
    shutil.rmtree(seed)
    # GitHub packs its repositories out of the runner's sight. Here a push's `git gc --auto`
    # ran detached in the origin while the next day's clone copied its objects (exit 128 in
    # the 38th and 40th sessions' runs at 50k): the push leaves it to `pack_origin`.
    git("config", "receive.autogc", "false", cwd=origin)


def pack_origin(origin: Path) -> None:
    """Between two replayed days, untimed: what GitHub's own maintenance does to the origin."""
    git("-c", "gc.autoDetach=false", "gc", "--auto", "--quiet", cwd=origin)


def replay_day(
    *,
    since: str,
    until: str,
    origin: Path,
    work: Path,
    sitegen_bin: Path,
    api_url: str,
    job: Job,
    timed: Timer,
) -> DayReplay:
    """One scheduled run that finds the new day `until` (it asks again for `since`, the last
    day held, as `sitegen fetch` does): the job in a fresh clone with its cache restored from
    the previous run's archive, saved again at its end.
    The scheduled run's `sitegen fetch` asks from the last day held to today; here the
    workflow's own SINCE/UNTIL inputs name those two days, as the bench's "today" is not."""
    took: dict[str, Took] = {}
    cache_bytes: dict[str, int] = {}
    env = {
        "PATH": f"{sitegen_bin}:{os.environ['PATH']}",  # the bench's `pip install .`
        "SITEGEN_FETCH_URL": api_url,
        "SINCE": since,
        "UNTIL": until,
        "BASE_URL": BASE_URL,
        "GITHUB_OUTPUT": str(work / "github-output"),
        "RUNNER_TEMP": str(work / "runner-temp"),  # where the patch goes, as on a runner
    }
    (work / "runner-temp").mkdir(exist_ok=True)
    with_env = ["env", *(f"{k}={v}" for k, v in env.items())]
    clone = work / "clone"
    shutil.rmtree(clone, ignore_errors=True)
    took["git clone"] = timed_cpu(timed, ["git", "clone", "-q", str(origin), str(clone)])
    archive = work / "cache.tar.zst"
    if archive.exists():  # the newest cache of the job's paths under its key prefix
        cache_bytes[JOB] = archive.stat().st_size
        took["restore cache"] = restore_cache(archive, clone, timed)
    else:
        cache_bytes[JOB], took["restore cache"] = 0, (0.0, 0.0)
    for step in STEPS:
        label = {"Fetch": "sitegen fetch", "Build": "sitegen build"}.get(step, step.lower())
        took[label] = timed_cpu(timed, [*with_env, *SHELL, job.steps[step]], cwd=clone)
    took["save cache"] = save_cache(job.cache, clone, archive, timed)
    # The push job: a clone of its own, given the patch (download-artifact's), pushes it.
    pushing = work / "push-clone"
    shutil.rmtree(pushing, ignore_errors=True)
    shallow = ["git", "clone", "-q", "--depth", "1", f"file://{origin}", str(pushing)]
    took["push job: git clone"] = timed_cpu(timed, shallow)  # as actions/checkout makes it
    push = [*with_env, "TOKEN=token-of-the-run", *SHELL, job.push]  # the token: its alone
    took["push job: push"] = timed_cpu(timed, push, cwd=pushing)
    return DayReplay(took=took, cache_bytes=cache_bytes)


def same_tree(a: Path, b: Path) -> str:
    """'' when the two directories hold the same files with the same bytes, else what differs."""

    def files(root: Path) -> set[str]:
        return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}

    left, right = files(a), files(b)
    if left != right:
        return f"files only in one: {sorted(left ^ right)[:5]}"
    differ = [p for p in sorted(left) if not filecmp.cmp(a / p, b / p, shallow=False)]
    return f"{len(differ)} files differ, e.g. {differ[:5]}" if differ else ""


def cold_build_differs(work: Path, sitegen_bin: Path, timed: Timer) -> str:
    """Build the last job's clone cold (`--clean`, into a new directory, as public/ is built)
    and compare it with the files of the archive that job would deploy, extracted by GNU tar
    as Pages unpacks it: '' when every byte is the same."""
    clone, cold, deployed = work / "clone", work / "cold-public", work / "deployed"
    for directory in (cold, deployed):
        shutil.rmtree(directory, ignore_errors=True)
    deployed.mkdir()
    sitegen = [str(sitegen_bin / "sitegen"), "--root", str(clone), "build", "--clean"]
    timed([*sitegen, "--base-url", f"{BASE_URL}/", "--out", str(cold)])
    artifact = clone / deployed_artifact()
    subprocess.run(["tar", "-xf", str(artifact), "-C", str(deployed)], check=True)
    return same_tree(deployed, cold)


def replay_days(
    *,
    site: Path,
    corpus_jsonl: Path,
    days: list[str],
    work: Path,
    sitegen_bin: Path,
    timed: Timer,
) -> tuple[DayReplay, list[DayReplay], str]:
    """Replay the scheduled run on each of `days` in turn, from `site` (content of the days
    before them): (the first run, with no cache yet; the runs after it; what differs from a
    cold build after the last, '' when nothing)."""
    work.mkdir(parents=True, exist_ok=True)
    for stale in work.glob("cache*.tar.zst"):
        stale.unlink()
    origin = work / "origin.git"
    make_origin(site, origin)
    job = workflow_job()
    last_held = sorted(p.stem for p in (site / "content" / "days").glob("*.toml"))[-1]
    answers = api_answers(corpus_jsonl, {last_held, *days})
    replays = []
    # The tests' stand-in of huggingface.co, paged as sitegen asks (PAGE_SIZE entries a page).
    with running_hf() as (source, url):
        source.serve_days(
            {day: json.dumps(entries).encode() for day, entries in answers.items()},
            per_page=PAGE_SIZE,
        )
        for since, until in zip([last_held, *days], days, strict=False):
            replays.append(
                replay_day(
                    since=since,
                    until=until,
                    origin=origin,
                    work=work,
                    sitegen_bin=sitegen_bin,
                    api_url=url,
                    job=job,
                    timed=timed,
                )  # fmt: skip
            )
            pack_origin(origin)
            steps = ", ".join(f"{k} {w:.2f}/{c:.2f}" for k, (w, c) in replays[-1].took.items())
            print(f"  replayed {until}: {steps}", flush=True)
    differs = cold_build_differs(work, sitegen_bin, timed)
    return replays[0], replays[1:], differs


def summary(first: DayReplay, replays: list[DayReplay], differs: str) -> list[str]:
    """Lines of the figures: each step's median wall time (min-max) and CPU time over
    `replays`, and the first run's."""

    def figures(took: list[Took], first: Took) -> str:
        walls = [wall for wall, _ in took]
        return (
            f"{statistics.median(walls):6.2f} s ({min(walls):.2f}-{max(walls):.2f}), "
            f"CPU {statistics.median(cpu for _, cpu in took):.2f} s"
            f"  [first run, no cache: {first[0]:.2f} s, CPU {first[1]:.2f} s]"
        )

    lines = [
        f"  {step:<26} {figures([r.took[step] for r in replays], first.took[step])}"
        for step in first.took
    ]
    share = " + ".join(SHARE)
    lines.append(f"  sitegen's share: {share}")
    lines.append(f"  {'':<26} {figures([r.sitegen_share for r in replays], first.sitegen_share)}")
    sizes = [f"{job} {size / 2**20:.1f} MiB" for job, size in replays[-1].cache_bytes.items()]
    lines.append(f"  caches restored (tar, zstd): {', '.join(sizes)}")
    same = "yes" if not differs else f"NO: {differs}"
    lines.append(f"  the site deployed is a cold build's, byte for byte: {same}")
    return lines
