"""Publishing: the workflows (linted by actionlint, checked for what they must do), the publish
steps run locally against a stand-in source, and `sitegen serve`."""

from __future__ import annotations

import contextlib
import gc
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import IO, Any

import feedparser
import httpx
import pytest
import watchfiles
import yaml

from sitegen.cli import load_config
from sitegen.serve import Rebuilt, changed_paths, file_stamps, serve, transient_files
from tests.conftest import (
    REPO,
    build_report,
    copy_site,
    ctrl_c_stops,
    demo_digest,
    rewrite,
    sitegen_here,
)
from tests.hf_server import FaultyHF, Reply
from tests.test_fetch import API_ANSWER

WORKFLOWS = REPO / ".github" / "workflows"
JOB = "fetch-and-build"  # the job of publish.yml that fetches, commits and builds


def _workflow(name: str) -> dict[str, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text())
    data["on"] = data.pop(True)  # YAML 1.1 reads the key `on` as true
    return data


def test_actionlint_passes_on_every_workflow() -> None:
    actionlint = shutil.which("actionlint")
    assert actionlint, "pip install -e '.[test]' installs actionlint"
    result = subprocess.run(
        [actionlint, "-no-color"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in WORKFLOWS.iterdir()) == ["ci.yml", "publish.yml"]


def test_ci_runs_the_readme_test_command_on_every_supported_python() -> None:
    ci = _workflow("ci.yml")
    assert set(ci["on"]) == {"push", "pull_request"}
    assert ci["permissions"] == {"contents": "read"}
    job = ci["jobs"]["test"]
    assert job["strategy"]["matrix"]["python"][0] == "3.11"  # requires-python >= 3.11
    commands = [step.get("run", "") for step in job["steps"]]
    readme = (REPO / "README.md").read_text()
    test_command = "pip install -e '.[test]' && python -m pytest"
    assert test_command in commands and test_command in readme
    ci_run = (REPO / ".ci" / "run").read_text()
    # The README's two steps, in a fresh virtual environment (the options only quiet pip).
    assert "python3 -m venv" in ci_run and "-e '.[test]'\npython -m pytest\n" in ci_run
    assert 'trap \'rm -rf "$(dirname "$venv")"\' EXIT' in ci_run, "no 400 MB venv left a run"


def _tests_or_build(root: Path, tmp_path: Path, *, fork: bool) -> str:
    """What ci.yml's demo step decides in `root`: test=true or test=false."""
    (step,) = [s for s in _workflow("ci.yml")["jobs"]["test"]["steps"] if s.get("id") == "demo"]
    output = tmp_path / "github-output"
    output.write_text("")
    env = {**os.environ, "FORK": "true" if fork else "false", "GITHUB_OUTPUT": str(output)}
    subprocess.run([*_shell_of("ci.yml"), step["run"]], cwd=root, env=env, check=True)
    return output.read_text().strip()


def test_the_suite_stops_in_one_line_on_a_store_that_is_not_the_demo(tmp_path: Path) -> None:
    """Found by a new user's trial: after the README's offline fetch, the tests failed by the
    dozen on counts of papers ("assert 483 == 480"), saying nothing of why."""
    repo = tmp_path / "clone"
    shutil.copytree(REPO / "tests", repo / "tests", ignore=shutil.ignore_patterns("test_*"))
    shutil.copytree(REPO / "content", repo / "content")
    shutil.copytree(REPO / "templates", repo / "templates")
    shutil.copy(REPO / "site.toml", repo)
    (repo / "tests" / "test_one.py").write_text("def test_one() -> None:\n    pass\n")

    # No plugin but the suite's conftest, whose check this is: loading the installed ones
    # (xdist, hypothesis, timeout) took most of each run's 1 to 2 s.
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}

    def run_tests() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider",
             "-o", "addopts=", "tests/test_one.py"],
            cwd=repo, capture_output=True, text=True, timeout=120, env=env,
        )  # fmt: skip

    assert run_tests().returncode == 0, "the demo as bundled"
    # A file git ignores, which the tests would read as a listing, named (a review).
    git = ["git", "-C", str(repo), "-c", "user.name=A", "-c", "user.email=a@example.org"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "The demo"]):
        subprocess.run([*git, *args], check=True)
    (repo / ".git" / "info" / "exclude").write_text(".DS_Store\n")
    (repo / "content" / "listings" / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    refused = run_tests()
    assert refused.returncode == pytest.ExitCode.USAGE_ERROR, refused.stdout
    assert len(refused.stderr.strip().splitlines()) == 1, refused.stderr
    assert "not the bundled demo" in refused.stderr
    assert "git stash --all -- content site.toml" in refused.stderr
    assert "demo the tests describe (content/listings/.DS_Store)" in refused.stderr
    # A fork's own menu, as docs/building.md shows it: the tests of the bundled pages would fail.
    (repo / "content" / "listings" / ".DS_Store").unlink()
    assert run_tests().returncode == 0
    rewrite(repo / "templates" / "base.html", lambda t: t.replace("</nav>", _OWN_LINK, 1))
    refused = run_tests()
    assert refused.returncode == pytest.ExitCode.USAGE_ERROR, refused.stdout
    assert "demo the tests describe (templates/base.html)" in refused.stderr
    assert "git stash --all -- content site.toml templates`" in refused.stderr


# A link of a fork's own in the menu, as docs/building.md ("Your own templates") writes it.
_OWN_LINK = ' <a href="https://github.com/you/papers">Source</a></nav>'


def test_ci_tests_the_demo_and_builds_a_forks_own_site(site: Path, tmp_path: Path) -> None:
    """Found by a trial: once Publish had fetched a day into a fork, or its owner had edited a
    paper, every push failed CI on tests that describe the bundled demo (480 papers...)."""
    digest = (REPO / "tests" / "demo-content.sha256").read_text().strip()
    assert _tests_or_build(REPO, tmp_path, fork=True) == "test=true", (
        "content/, site.toml or templates/ changed: if that is the new demo, write its digest to "
        f"tests/demo-content.sha256 (it is not {digest})"
    )
    shutil.copytree(REPO / "content", site / "content")  # a fork as it starts
    (site / "tests").mkdir()
    shutil.copy(REPO / "tests" / "demo-content.sha256", site / "tests")
    assert _tests_or_build(site, tmp_path, fork=True) == "test=true"
    assert demo_digest(site) == digest, "the suite's own check at its start agrees"
    paper = next((site / "content" / "papers").iterdir())
    paper.write_text(paper.read_text().replace('title = "', 'title = "My own ', 1))
    assert _tests_or_build(site, tmp_path, fork=True) == "test=false"
    assert demo_digest(site) != digest
    assert _tests_or_build(site, tmp_path, fork=False) == "test=true"  # this repository
    # A fork started empty, as the README says (the step failed: find found no content/).
    shutil.rmtree(site / "content")
    assert _tests_or_build(site, tmp_path, fork=True) == "test=false"
    build = [s["run"] for s in _workflow("ci.yml")["jobs"]["test"]["steps"] if "if" in s]
    assert build == [
        "pip install -e '.[test]' && python -m pytest",
        'pip install . && sitegen build --out "$RUNNER_TEMP/site" --base-url "$SITE_URL"',
    ]


def test_ci_builds_a_fork_whose_site_toml_leaves_base_url_to_the_workflow(
    tiny_built: Path, tmp_path: Path
) -> None:
    """The README's step 3 says base_url only matters for local builds: a fork owner who
    deleted it had the publish workflow build (it gives --base-url) and CI's build fail on
    every push. CI's build step, run as GitHub runs it, builds such a site."""
    config = tiny_built / "site.toml"
    config.write_text(re.sub(r"(?m)^base_url = .*\n", "", config.read_text()))
    (step,) = [
        s for s in _workflow("ci.yml")["jobs"]["test"]["steps"] if "SITE_URL" in s.get("env", {})
    ]
    github = {"github.repository_owner": "Me", "github.event.repository.name": "fork"}
    url = re.sub(r"\$\{\{ ([\w.]+) \}\}", lambda m: github[m[1]], step["env"]["SITE_URL"])
    script = step["run"].removeprefix("pip install . && ")
    runner = tmp_path / "runner"
    runner.mkdir()
    built = _run_step(script, tiny_built, RUNNER_TEMP=str(runner), SITE_URL=url)
    assert built.returncode == 0, built.stderr
    feed = feedparser.parse((runner / "site" / "rss.xml").read_bytes())
    assert feed.feed.link == "https://me.github.io/fork/"


def test_ci_builds_a_fork_whose_templates_are_its_own(site: Path, tmp_path: Path) -> None:
    """A forker's trial: docs/building.md invites a fork to edit templates/ (a link in the menu,
    a card's date), and the tests describe the bundled pages (a card links the day that featured
    it), so a fork that edited a template and nothing else had CI fail on every push."""
    digest = (REPO / "tests" / "demo-content.sha256").read_text().strip()
    shutil.copytree(REPO / "content", site / "content")  # a fork as it starts
    (site / "tests").mkdir()
    shutil.copy(REPO / "tests" / "demo-content.sha256", site / "tests")
    # Its own files in static/ leave the tests true: they build the demo without static/.
    (site / "static").mkdir()
    (site / "static" / "CNAME").write_text("papers.example.org\n")
    assert _tests_or_build(site, tmp_path, fork=True) == "test=true"
    assert demo_digest(site) == digest

    rewrite(site / "templates" / "base.html", lambda t: t.replace("</nav>", _OWN_LINK, 1))
    assert _tests_or_build(site, tmp_path, fork=True) == "test=false"
    assert demo_digest(site) != digest, "the suite's own check at its start agrees"
    assert _tests_or_build(site, tmp_path, fork=False) == "test=true"  # this repository
    (site / "templates" / "base.html").unlink()
    shutil.copy(REPO / "templates" / "base.html", site / "templates")
    (site / "templates" / "_note.html").write_text("<p>A template of its own.</p>\n")
    assert _tests_or_build(site, tmp_path, fork=True) == "test=false"


def test_publish_runs_daily_and_by_hand_with_least_privilege() -> None:
    publish = _workflow("publish.yml")
    (schedule,) = publish["on"]["schedule"]
    minute, hour, *every_day = schedule["cron"].split()
    assert every_day == ["*", "*", "*"] and int(hour) < 24
    assert set(publish["on"]["workflow_dispatch"]["inputs"]) == {"since", "until"}
    # An edit of the site pushed to the default branch is published then, not the next day;
    # such a run fetches nothing (a review: at any hour it marked yesterday had whole, before
    # the day was over in US time, and committed a partial today with each edit).
    push = publish["on"]["push"]
    assert push["branches"] == ["main"]
    assert {"site.toml", "templates/**", "content/**", "sitegen/**"} <= set(push["paths"])
    by_name = {s.get("name"): s for s in publish["jobs"][JOB]["steps"]}
    for name in ("Fetch", "Commit new content"):
        assert by_name[name]["if"] == "github.event_name != 'push'"
    for name in ("The new content as a patch", "Upload the patch"):
        assert by_name[name]["if"] == "steps.commit.outputs.changed == 'true'"
    assert publish["permissions"] == {}
    jobs = publish["jobs"]
    # The job that runs what pip installs may not push (a review: code installed there took
    # the Push step's token through git's config); the job that may runs no code but git.
    assert jobs[JOB]["permissions"] == {"contents": "read", "pages": "read"}
    assert jobs["push"]["permissions"] == {"contents": "write"}
    assert jobs["push"]["needs"] == JOB
    assert jobs["push"]["if"] == "needs.fetch-and-build.outputs.changed == 'true'"
    assert jobs[JOB]["outputs"] == {
        "changed": "${{ steps.commit.outputs.changed }}",
        "failing": "${{ steps.fetch.outputs.failing }}",
        "had-no-day": "${{ steps.fetch.outputs.had-no-day }}",
    }
    push_steps = jobs["push"]["steps"]
    assert [s.get("uses", "").split("@")[0] for s in push_steps if "uses" in s] == [
        "actions/checkout",
        "actions/download-artifact",
    ]
    scripts = " ".join(s.get("run", "") for s in push_steps)
    assert not re.search(r"\b(pip|python|sitegen)\b|\.github/", scripts), scripts
    given_token = [s.get("name") for s in push_steps if re.search(r"github\.token", str(s))]
    assert given_token == ["Push"]
    (push_checkout,) = [s for s in push_steps if s.get("uses", "").startswith("actions/checkout@")]
    assert push_checkout["with"] == {"ref": "${{ github.ref }}", "persist-credentials": False}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    # After the push: the site deployed is the content the repository holds.
    assert jobs["deploy"]["needs"] == [JOB, "push"]
    pushed = "(needs.push.result == 'success' || needs.push.result == 'skipped')"
    assert pushed in jobs["deploy"]["if"]  # not a push cancelled (a timeout): a review
    uses = [s.get("uses", "") for job in jobs.values() for s in job["steps"]]
    assert any(u.startswith("actions/configure-pages@") for u in uses)
    # sitegen writes the Pages artifact itself (tests/test_restored_site.py checks the upload)
    assert any(u.startswith("actions/upload-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    steps = jobs[JOB]["steps"]
    cache = [
        s["with"].get("cache")
        for s in steps
        if s.get("uses", "").startswith("actions/setup-python@")
    ]
    assert cache == ["pip"]
    # One cache, restored once: the store's parse cache with the last site.
    caches = [s for s in steps if s.get("uses", "").startswith("actions/cache@")]
    assert [s["with"]["path"].split()[0] for s in caches] == [".sitegen-cache"]
    # What is built is what was fetched and committed.
    names = [s.get("name") for s in steps]
    # A fork whose Pages are not set up yet stops before it fetches or commits anything.
    assert names.index("Pages URL") < names.index("Fetch")
    assert names.index("Fetch") < names.index("Commit new content")
    assert names.index("Commit new content") < names.index("The new content as a patch")
    assert names.index("The new content as a patch") < names.index("Build")
    assert names.index("Build") < names.index("Upload artifact")
    by_name = {s.get("name"): s for s in steps}
    assert '--base-url "$BASE_URL/"' in by_name["Build"]["run"]
    # No step of it is given a token: the checkout does not keep one in .git/config.
    (checkout,) = [s for s in steps if s.get("uses", "").startswith("actions/checkout@")]
    assert checkout["with"]["persist-credentials"] is False
    # The branch's head when the run starts: a run queued behind another (the concurrency
    # group) builds on what that one pushed, not on the commit it was queued at.
    assert checkout["with"]["ref"] == "${{ github.ref }}"
    assert not [s for s in steps if re.search(r"github\.token|secrets\.", str(s))]
    assert jobs["deploy"]["environment"]["name"] == "github-pages"


def test_no_publish_run_is_dropped_while_another_runs() -> None:
    """Review h3: with one run at most waiting, each new run cancelled the one waiting: a
    scheduled fetch waiting behind a backfill was replaced by an edit's push (which fetches
    nothing) and that day was not fetched, and a backfill by the next morning's run. Runs
    wait their turn in order (`queue: max`), never two at once, none cancelled."""
    assert _workflow("publish.yml")["concurrency"] == {
        "group": "publish",
        "cancel-in-progress": False,
        "queue": "max",
    }
    said = (REPO / "docs" / "publishing.md").read_text()
    assert "a third replaces it" not in said and "`queue: max`" in said


def test_the_push_job_puts_new_content_on_top_of_a_commit_pushed_meanwhile(
    small_scratch_repo: Path, tmp_path: Path
) -> None:
    origin, other = tmp_path / "origin.git", tmp_path / "other"
    fork = ["git", "-C", str(small_scratch_repo)]
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(origin)], check=True)
    subprocess.run([*fork, "remote", "add", "origin", str(origin)], check=True)
    subprocess.run([*fork, "push", "-q", "-u", "origin", "main"], check=True)
    # While the run fetches, the owner pushes a hand edit from elsewhere.
    subprocess.run(["git", "clone", "-q", str(origin), str(other)], check=True)
    (other / "site.toml").write_text((other / "site.toml").read_text() + "# edited by hand\n")
    subprocess.run(
        ["git", "-C", str(other), "-c", "user.name=o", "-c", "user.email=o@o", "commit",
         "-qam", "hand edit"],
        check=True,
    )  # fmt: skip
    subprocess.run(["git", "-C", str(other), "push", "-q"], check=True)
    (small_scratch_repo / "content" / "days" / "2099-01-01.toml").write_text('day = "x"\n')
    pushed = _push_job(small_scratch_repo, origin, tmp_path)
    assert pushed.returncode == 0, pushed.stderr
    log = subprocess.run(
        ["git", "-C", str(origin), "log", "--format=%s%n%an", "main"],
        capture_output=True, text=True, check=True,
    ).stdout.splitlines()  # fmt: skip
    assert log[:4] == [
        "content: Daily Papers of 2099-01-01",
        "github-actions[bot]",
        "hand edit",
        "o",
    ]
    shown = subprocess.run(
        ["git", "-C", str(origin), "show", "main:content/days/2099-01-01.toml"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert shown == 'day = "x"\n'


def _push_job(
    fork: Path,
    origin: Path,
    tmp_path: Path,
    *,
    commit: bool = True,
    meanwhile: Callable[[], None] = lambda: None,
    push_path: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """The fork's new content committed (unless it is) and handed on as the fetch-and-build
    job does, then the push job: a fresh clone of `origin` as it is now, given the patch and
    the token (`meanwhile`: what happens between its checkout and its step)."""
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir(exist_ok=True)
    env = {"GITHUB_OUTPUT": str(tmp_path / "out"), "RUNNER_TEMP": str(runner_temp)}
    if commit:
        committed = _run_step(_step(JOB, "Commit new content"), fork, **env)
        assert "changed=true" in committed.stdout
    handed_on = _run_step(_step(JOB, "The new content as a patch"), fork, **env)
    assert handed_on.returncode == 0, handed_on.stderr
    checkout = tmp_path / "push-job"  # shallow, as actions/checkout makes it
    clone = ["git", "clone", "-q", "--depth", "1", f"file://{origin}", str(checkout)]
    subprocess.run(clone, check=True)
    meanwhile()
    if push_path:  # the push step's PATH: a git of the test's
        env["PATH"] = push_path
    return _run_step(_step("push", "Push"), checkout, TOKEN="token-of-the-run", **env)


def _origin_of(fork: Path, tmp_path: Path) -> Path:
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(origin)], check=True)
    subprocess.run(["git", "-C", str(fork), "push", "-q", str(origin), "main"], check=True)
    return origin


def _commit_by_hand(repo: Path, message: str) -> None:
    git = ["git", "-C", str(repo), "-c", "user.name=o", "-c", "user.email=o@o"]
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", message], check=True)


def _head(repo: Path) -> str:
    found = subprocess.run(["git", "-C", str(repo), "rev-parse", "main"], capture_output=True)
    return found.stdout.decode()


@pytest.mark.parametrize("outside", ["sitegen/x.py", ".github/scripts/commit-content"])
def test_the_push_job_pushes_content_alone_whatever_patch_it_is_given(
    small_scratch_repo: Path, tmp_path: Path, outside: str
) -> None:
    """Found by a review: the patch comes from a job that runs what pip installs, and a
    dependency compromised there could hand on code for `main` beside the content."""
    origin = _origin_of(small_scratch_repo, tmp_path)
    before = _head(origin)
    (small_scratch_repo / "content" / "days" / "2099-01-01.toml").write_text('day = "x"\n')
    (small_scratch_repo / outside).parent.mkdir(parents=True, exist_ok=True)
    (small_scratch_repo / outside).write_text("echo taken over\n")
    # Committed by code of its own, which may also have rewritten the commit step.
    _commit_by_hand(small_scratch_repo, "content: Daily Papers")
    pushed = _push_job(small_scratch_repo, origin, tmp_path, commit=False)
    assert pushed.returncode != 0
    assert f"the patch changes {outside}, not a file of content/: nothing pushed" in pushed.stdout
    assert _head(origin) == before


def test_the_push_job_pushes_nothing_when_git_cannot_list_what_the_patch_changes(
    small_scratch_repo: Path, tmp_path: Path
) -> None:
    """h2: GitHub runs a step that names no shell as `bash -e`, without pipefail: the push
    job's check of what the patch changes (`git diff ... | awk ...`) read nothing when git
    failed, found nothing outside content/, and the patch was pushed unchecked. A check that
    guards the branch from the job that runs what pip installs fails closed."""
    origin = _origin_of(small_scratch_repo, tmp_path)
    before = _head(origin)
    (small_scratch_repo / "content" / "days" / "2099-01-01.toml").write_text('day = "x"\n')
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "git").write_text(
        "#!/bin/sh\n"
        'if [ "$1" = diff ]; then echo "fatal: unable to read tree" >&2; exit 128; fi\n'
        f'exec {shutil.which("git")} "$@"\n'
    )
    (shim / "git").chmod(0o755)
    failing_diff = f"{shim}:{Path(sys.executable).parent}:{os.environ['PATH']}"
    pushed = _push_job(small_scratch_repo, origin, tmp_path, push_path=failing_diff)
    assert pushed.returncode != 0, pushed.stdout
    assert _head(origin) == before


def test_the_content_commit_names_the_days_it_brings(small_scratch_repo: Path) -> None:
    """A review: every commit said "content: Daily Papers up to <the run's day>", a backfill
    of 2024 and a weekend of nothing new alike."""

    def committed() -> str:
        assert (
            "changed=true" in _run_step(_step(JOB, "Commit new content"), small_scratch_repo).stdout
        )
        return _head_subject(small_scratch_repo)

    days = small_scratch_repo / "content" / "days"
    for n in range(1, 6):
        (days / f"2099-01-0{n}.toml").write_text(f'day = "2099-01-0{n}"\n')
    assert committed() == "content: Daily Papers of 5 days, 2099-01-01 to 2099-01-05"
    (days / "2099-01-05.toml").write_text('day = "2099-01-05" # more papers\n')
    (days / "2099-01-06.toml").write_text('day = "2099-01-06"\n')
    assert committed() == "content: Daily Papers of 2099-01-05, 2099-01-06"
    (small_scratch_repo / "content" / "fetch-state.json").write_text("{}\n")
    assert committed().startswith("content: what the fetch of ")


def _head_subject(repo: Path) -> str:
    log = ["git", "-C", str(repo), "log", "-1", "--format=%s"]
    return subprocess.run(log, capture_output=True, text=True, check=True).stdout.strip()


def test_a_hand_edit_of_the_same_lines_pushed_meanwhile_fails_the_push_job_saying_why(
    small_scratch_repo: Path, tmp_path: Path
) -> None:
    """A review of the deploy path: the push job failed with git's "sha1 information is
    lacking or useless ... could not build fake ancestor" alone."""
    day = small_scratch_repo / "content" / "days" / "2099-01-01.toml"
    day.write_text('day = "2099-01-01"\n')
    _commit_by_hand(small_scratch_repo, "a day")
    origin = _origin_of(small_scratch_repo, tmp_path)
    by_hand = tmp_path / "by-hand"
    subprocess.run(["git", "clone", "-q", f"file://{origin}", str(by_hand)], check=True)
    (by_hand / "content" / "days" / "2099-01-01.toml").write_text('day = "2099-01-01" # mine\n')
    _commit_by_hand(by_hand, "an edit by hand")
    subprocess.run(["git", "-C", str(by_hand), "push", "-q", "origin", "main"], check=True)
    edited = _head(origin)
    day.write_text('day = "2099-01-01" # the run\'s\n')
    pushed = _push_job(small_scratch_repo, origin, tmp_path)
    assert pushed.returncode != 0
    assert (
        "::error::the new content does not apply to the branch as it is now: a commit pushed"
        " during this run changed the same files of content/." in pushed.stdout
    )
    assert _head(origin) == edited


def test_a_commit_pushed_between_the_push_jobs_checkout_and_its_push_is_kept_under_the_content(
    small_scratch_repo: Path, tmp_path: Path
) -> None:
    """A replay of the workflow with an edit pushed in the seconds between the push job's
    checkout and its push: the push was refused and the run failed (a review had made it say
    why), its days left to the next morning's run. The job takes the branch again and puts
    the content on top of the edit, as it does for an edit pushed before its checkout."""
    origin = _origin_of(small_scratch_repo, tmp_path)
    by_hand = tmp_path / "by-hand"
    subprocess.run(["git", "clone", "-q", f"file://{origin}", str(by_hand)], check=True)

    def an_edit_pushed() -> None:
        (by_hand / "README.md").write_text("mine\n")
        _commit_by_hand(by_hand, "an edit by hand")
        subprocess.run(["git", "-C", str(by_hand), "push", "-q", "origin", "main"], check=True)

    (small_scratch_repo / "content" / "days" / "2099-01-01.toml").write_text("day = 2099-01-01\n")
    pushed = _push_job(small_scratch_repo, origin, tmp_path, meanwhile=an_edit_pushed)
    assert pushed.returncode == 0, pushed.stdout + pushed.stderr
    assert "the branch moved since this job's checkout" in pushed.stdout
    log = subprocess.run(
        ["git", "-C", str(origin), "log", "--format=%s", "main"],
        capture_output=True, text=True, check=True,
    ).stdout.splitlines()  # fmt: skip
    assert log[:2] == ["content: Daily Papers of 2099-01-01", "an edit by hand"]
    shown = [
        "git",
        "-C",
        str(origin),
        "show",
        "main:README.md",
        "main:content/days/2099-01-01.toml",
    ]
    assert subprocess.run(shown, capture_output=True, text=True, check=True).stdout == (
        "mine\nday = 2099-01-01\n"
    )


def test_a_push_the_branch_refuses_for_another_reason_fails_the_job_saying_why(
    small_scratch_repo: Path, tmp_path: Path
) -> None:
    """A push refused while the branch did not move (a protected branch, say) is not asked
    again: the job fails at once, saying nothing was pushed or deployed."""
    origin = _origin_of(small_scratch_repo, tmp_path)
    hook = origin / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'protected branch' >&2\nexit 1\n")
    hook.chmod(0o755)
    before = _head(origin)
    (small_scratch_repo / "content" / "days" / "2099-01-01.toml").write_text("day = 2099-01-01\n")
    pushed = _push_job(small_scratch_repo, origin, tmp_path)
    assert pushed.returncode != 0
    assert (
        "::error::the branch refused the new content (git's reason above). Nothing was pushed"
        " or deployed" in pushed.stdout
    ), pushed.stdout
    assert pushed.stderr.count("protected branch") == 1, "asked once"
    assert _head(origin) == before


def test_the_push_job_pushes_one_commit_alone(small_scratch_repo: Path, tmp_path: Path) -> None:
    """A patch of two commits, each of content alone, as code of the job that makes patches
    could write it in place of the one the workflow makes: refused (found by a review)."""
    origin = _origin_of(small_scratch_repo, tmp_path)
    before = _head(origin)
    for day in ("2099-01-01", "2099-01-02"):
        (small_scratch_repo / "content" / "days" / f"{day}.toml").write_text(f"day = {day}\n")
        _commit_by_hand(small_scratch_repo, day)
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir()
    patch = subprocess.run(
        ["git", "-C", str(small_scratch_repo), "format-patch", "-2", "--stdout"],
        capture_output=True,
        check=True,
    ).stdout
    (runner_temp / "content.patch").write_bytes(patch)
    checkout = tmp_path / "push-job"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{origin}", str(checkout)])
    pushed = _run_step(_step("push", "Push"), checkout, TOKEN="t", RUNNER_TEMP=str(runner_temp))
    assert pushed.returncode != 0 and "more than one commit: nothing pushed" in pushed.stdout
    assert _head(origin) == before


def test_the_push_job_pushes_the_content_bytes_as_committed(
    small_scratch_repo: Path, tmp_path: Path
) -> None:
    """A content file with CRLF line ends (sitegen reads them) arrives as it was committed:
    git am took the CRs off, and failed on a file stored with them (found by a review). Stored
    so by a fork from before .gitattributes (text=auto leaves a file stored with CRs as it is)."""
    crlf = small_scratch_repo / "content" / "days" / "2099-01-01.toml"
    attributes = small_scratch_repo / ".gitattributes"
    kept = attributes.read_bytes()
    attributes.unlink()
    crlf.write_bytes(b"day = 2099-01-01\r\npapers = []\r\n")
    _commit_by_hand(small_scratch_repo, "a file of CRLF, stored so")
    attributes.write_bytes(kept)
    _commit_by_hand(small_scratch_repo, ".gitattributes, pulled from upstream")
    origin = _origin_of(small_scratch_repo, tmp_path)
    crlf.write_bytes(crlf.read_bytes() + b"# again\r\n")
    pushed = _push_job(small_scratch_repo, origin, tmp_path)
    assert pushed.returncode == 0, pushed.stderr

    def stored(repo: Path) -> bytes:
        path = "main:content/days/2099-01-01.toml"
        return subprocess.run(["git", "-C", str(repo), "show", path], capture_output=True).stdout

    # git keeps a file stored with CRs so (text=auto): the bytes the build job committed
    assert stored(origin) == stored(small_scratch_repo) == crlf.read_bytes()


def test_a_fork_started_empty_commits_nothing_while_no_day_has_papers(
    small_scratch_repo: Path, tmp_path: Path
) -> None:
    """The README's "start empty": the first fetch may have had a day without papers (a
    weekend), which writes nothing, so content/ is not there (`git add` failed on it)."""
    git = ["git", "-C", str(small_scratch_repo)]
    subprocess.run([*git, "rm", "-r", "-q", "content"], check=True)
    subprocess.run(
        [*git, "-c", "user.name=o", "-c", "user.email=o@o", "commit", "-qm", "Start empty"],
        check=True,
    )
    env = {"GITHUB_OUTPUT": str(tmp_path / "out")}
    committed = _run_step(_step(JOB, "Commit new content"), small_scratch_repo, **env)
    assert committed.returncode == 0, committed.stderr
    assert "changed=false" in committed.stdout
    (small_scratch_repo / "content" / "days").mkdir(parents=True)
    (small_scratch_repo / "content" / "days" / "2099-01-01.toml").write_text('day = "x"\n')
    committed = _run_step(_step(JOB, "Commit new content"), small_scratch_repo, **env)
    assert "changed=true" in committed.stdout


def _step(job: str, name: str) -> str:
    steps = {s.get("name"): s for s in _workflow("publish.yml")["jobs"][job]["steps"]}
    return str(steps[name]["run"])


@pytest.fixture
def scratch_repo(tmp_path: Path) -> Path:
    """A fork of the project as a fresh git repository."""
    return _fork(tmp_path / "fork", REPO / "content")


@pytest.fixture
def small_scratch_repo(tmp_path: Path, tiny_build: Path) -> Path:
    """A fork of the project holding the small site's content (`small_listings`), as a fresh
    git repository: what the publish steps do holds for any content, and builds it fast."""
    return _fork(tmp_path / "fork", tiny_build / "content")


def _fork(repo: Path, content: Path) -> Path:
    repo.mkdir()
    shutil.copytree(content, repo / "content")
    for name in ("site.toml", "templates", ".github", ".gitignore", ".gitattributes"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, repo / name)
    for command in (
        ["init", "-q", "-b", "main"],
        ["add", "-A"],
        ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "fork"],
    ):
        subprocess.run(["git", *command], cwd=repo, check=True)
    return repo


def test_a_clone_by_git_for_windows_has_the_bytes_the_workflow_builds(
    scratch_repo: Path, tmp_path: Path
) -> None:
    """A collaborator's clone with Git for Windows' default, core.autocrlf=true, had every text
    file with CRLF: content/, the templates (a build published style.css so), .ci/run (which
    bash then cannot run). `.gitattributes` keeps LF in every checkout."""
    clone = tmp_path / "windows"
    subprocess.run(
        ["git", "clone", "-q", "-c", "core.autocrlf=true", str(scratch_repo), str(clone)],
        check=True,
    )
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=clone, capture_output=True, check=True
    ).stdout.decode()
    names = [name for name in tracked.split("\0") if name]
    assert "templates/style.css" in names and any(n.startswith("content/papers/") for n in names)
    assert [n for n in names if (clone / n).read_bytes() != (scratch_repo / n).read_bytes()] == []


def test_a_file_of_static_is_committed_and_cloned_byte_for_byte(
    scratch_repo: Path, tmp_path: Path
) -> None:
    """static/ is published as it is: a calendar (.ics, whose lines end CRLF by its RFC) or a
    file a checksum names, committed with `* text=auto eol=lf`, was stored with LF, so the
    workflow's clone published other bytes than the local build did."""
    calendar = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
    (scratch_repo / "static").mkdir()
    (scratch_repo / "static" / "deadlines.ics").write_bytes(calendar)
    for command in (
        ["add", "static"],
        ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "a calendar"],
    ):
        subprocess.run(["git", *command], cwd=scratch_repo, check=True, capture_output=True)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(scratch_repo), str(clone)], check=True)
    assert (clone / "static" / "deadlines.ics").read_bytes() == calendar


# The commands GitHub runs a `run:` step with on Linux: `bash -e {0}` when the workflow names no
# shell, `bash --noprofile --norc -eo pipefail {0}` for `shell: bash`.
GITHUB_SHELLS = {
    None: ["bash", "-e", "-c"],
    "bash": ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c"],
}


def _shell_of(workflow: str) -> list[str]:
    """The command GitHub runs the steps of `workflow` with (its `defaults.run.shell`)."""
    named = _workflow(workflow).get("defaults", {}).get("run", {}).get("shell")
    return GITHUB_SHELLS[named]


def _run_step(script: str, repo: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}", **env}
    return subprocess.run(
        [*_shell_of("publish.yml"), script],
        cwd=repo,
        env=full_env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_day_failing_for_days_fails_the_run_after_the_rest_is_deployed(
    hf: tuple[FaultyHF, str], small_scratch_repo: Path, tmp_path: Path
) -> None:
    """A review: a day that failed on every scheduled run passed each with a warning, and
    after 14 runs was given up on; GitHub tells an owner of failed runs only. On its third
    day of failures the Fetch step hands the days it had on (committed and deployed as ever)
    and the run's last job fails, saying why."""
    source, url = hf
    today = datetime.now(UTC).date()
    had, failing = today - timedelta(days=9), today - timedelta(days=8)
    day_answer = API_ANSWER.replace(b"2025-10-31", had.isoformat().encode())
    out = tmp_path / "out"
    env = {"SITEGEN_FETCH_URL": url, "SINCE": had.isoformat(), "UNTIL": failing.isoformat()}

    def fetch_step(failed_since: int) -> subprocess.CompletedProcess[str]:
        state = {failing.isoformat(): {"failed_on": str(today - timedelta(days=failed_since))}}
        (small_scratch_repo / "content" / "fetch-state.json").write_text(json.dumps(state))
        source.set(had.isoformat(), [Reply(200, day_answer)])
        # An answer no retry changes: a 5xx's backoff would only spend the suite's time.
        refused = Reply(403)
        source.set(failing.isoformat(), [refused], [refused])
        out.write_text("")
        return _run_step(_step(JOB, "Fetch"), small_scratch_repo, GITHUB_OUTPUT=str(out), **env)

    second_day = fetch_step(failed_since=1)
    assert second_day.returncode == 0, second_day.stderr
    assert "failing" not in out.read_text() and "FAILED on every run" not in second_day.stderr
    third_day = fetch_step(failed_since=2)
    assert third_day.returncode == 0, third_day.stderr
    assert "failing=true" in out.read_text()
    assert (
        f"sitegen: {failing} has FAILED on every run since {today - timedelta(days=2)} (last:"
        in third_day.stderr
    )
    assert (small_scratch_repo / "content" / "days" / f"{had}.toml").is_file()  # to commit
    _fails_the_run_after_the_deploy("days-failing", "failing", small_scratch_repo)


def _fails_the_run_after_the_deploy(job: str, output: str, repo: Path) -> None:
    """The workflow's last `job`, run when the fetch's `output` is true, after the deploy: it
    fails the run, saying so, since GitHub tells a workflow's owner of failed runs."""
    last = _workflow("publish.yml")["jobs"][job]
    assert last["needs"] == [JOB, "deploy"]
    assert (
        last["if"] == f"${{{{ !cancelled() && needs.fetch-and-build.outputs.{output} == 'true' }}}}"
    )
    (step,) = last["steps"]
    said = _run_step(step["run"], repo)
    assert said.returncode == 1 and said.stdout.startswith("::error title=sitegen fetch::")


def test_a_run_whose_fetch_had_no_day_deploys_what_the_branch_holds_then_fails(
    hf: tuple[FaultyHF, str], small_scratch_repo: Path, tmp_path: Path
) -> None:
    """A replay of the workflow's bad days: a run's deploy failed (GitHub Pages down) after its
    day was pushed, and the next runs' fetch had no day (Hugging Face down): each stopped at
    Fetch, and the day pushed stayed off the site until a fetch succeeded again. The build is
    the branch's content, byte for byte: such a run builds and deploys it, and fails at its
    end so that GitHub tells its owner."""
    source, url = hf
    out = tmp_path / "out"
    env = {"SITEGEN_FETCH_URL": url, "SINCE": "2025-12-01", "UNTIL": "2025-12-01"}
    env |= {"GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": str(out)}
    source.set("2025-12-01", [Reply(200, API_ANSWER.replace(b"2025-10-31", b"2025-12-01"))])
    assert _run_step(_step(JOB, "Fetch"), small_scratch_repo, **env).returncode == 0
    assert "changed=true" in _run_step(_step(JOB, "Commit new content"), small_scratch_repo).stdout
    # That run's deploy failed; the next one's fetch has no day.
    source.set("2025-12-01", [Reply(500)], [Reply(500)])
    out.write_text("")
    script = _step(JOB, "Fetch").replace("sitegen fetch", "sitegen fetch --attempts 1")
    fetched = _run_step(script, small_scratch_repo, **env)
    assert fetched.returncode == 0, "the run goes on to build and deploy what the branch holds"
    assert "had-no-day=true" in out.read_text().splitlines()
    (said,) = [line for line in fetched.stdout.splitlines() if line.startswith("::error")]
    assert said.startswith("::error title=sitegen fetch::sitegen fetch had none of the 1 day")
    committed = _run_step(_step(JOB, "Commit new content"), small_scratch_repo, **env)
    assert "changed=false" in committed.stdout, "nothing to push: the push job is skipped"
    built = _run_step(_step(JOB, "Build"), small_scratch_repo, BASE_URL="https://you.github.io/f")
    assert built.returncode == 0, built.stderr
    with tarfile.open(small_scratch_repo / "artifact.tar") as deployed:
        assert "./days/2025-12-01/index.html" in deployed.getnames()
    jobs = _workflow("publish.yml")["jobs"]
    assert jobs[JOB]["outputs"]["had-no-day"] == "${{ steps.fetch.outputs.had-no-day }}"
    # Deployed after a job that succeeded and a push skipped (the deploy job's condition, above).
    _fails_the_run_after_the_deploy("fetch-had-no-day", "had-no-day", small_scratch_repo)


def test_the_run_after_an_outage_says_it_had_the_days_the_runs_before_missed(
    hf: tuple[FaultyHF, str], small_scratch_repo: Path, tmp_path: Path
) -> None:
    """A replay of the workflow's bad days: after three red runs, the good one listed each day
    it had, as any morning's run does, and said nowhere that the runs before had missed them,
    nor, when they were in its range from the last day held, that it was retrying them."""
    source, url = hf
    today = datetime.now(UTC).date()
    newest, older = today - timedelta(days=5), today - timedelta(days=8)
    missed = [older, *(today - timedelta(days=n) for n in (4, 3, 2))]
    source.other_api_days = [Reply(200, b"[]")]
    for day in (newest, *missed):
        answer = API_ANSWER.replace(b"2025-10-31", day.isoformat().encode())
        source.set(day.isoformat(), [Reply(200, answer)])
    env = {"SITEGEN_FETCH_URL": url, "GITHUB_OUTPUT": str(tmp_path / "out")}
    one_day = {"SINCE": newest.isoformat(), "UNTIL": newest.isoformat()}
    assert _run_step(_step(JOB, "Fetch"), small_scratch_repo, **one_day, **env).returncode == 0
    # The days as the red runs left them: missed for three days, Hugging Face down.
    state_file = small_scratch_repo / "content" / "fetch-state.json"
    state = json.loads(state_file.read_text())
    noted = {"failed_on": str(today - timedelta(days=3)), "problem": "HTTP 503"}
    state |= {day.isoformat(): noted for day in missed}
    state_file.write_text(json.dumps(state))
    fetched = _run_step(_step(JOB, "Fetch"), small_scratch_repo, **env)  # the scheduled run
    assert fetched.returncode == 0, fetched.stderr
    lines = fetched.stdout.splitlines()
    assert f"retrying 1 day missed before: {older}" in lines, "the one out of its range"
    days = ", ".join(day.isoformat() for day in missed)
    assert f"had 4 days missed by the runs before: {days}" in lines, fetched.stdout
    state = json.loads(state_file.read_text())
    assert not [day for day in missed if "failed_on" in state.get(day.isoformat(), {})]


def test_the_publish_steps_fetch_commit_and_build(
    hf: tuple[FaultyHF, str], small_scratch_repo: Path, tmp_path: Path
) -> None:
    source, url = hf
    source.set("2025-12-01", [Reply(200, API_ANSWER.replace(b"2025-10-31", b"2025-12-01"))])
    source.set("2025-12-02", [Reply(200, b"[]")])  # a day without papers is not a failure
    env = {
        "SITEGEN_FETCH_URL": url,
        "SINCE": "2025-12-01",
        "UNTIL": "2025-12-02",
        "GITHUB_OUTPUT": str(tmp_path / "out"),
    }

    origin = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(origin)], check=True)
    subprocess.run(
        ["git", "-C", str(small_scratch_repo), "push", "-q", str(origin), "main"], check=True
    )
    fetched = _run_step(_step(JOB, "Fetch"), small_scratch_repo, **env)
    assert fetched.returncode == 0, fetched.stderr
    # Committed, handed on as a patch, and pushed by the push job, with the token given to it
    # alone.
    pushed = _push_job(small_scratch_repo, origin, tmp_path)
    assert pushed.returncode == 0, pushed.stderr
    assert "changed=true" in (tmp_path / "out").read_text()
    log = subprocess.run(
        ["git", "-C", str(origin), "log", "-1", "--format=%an <%ae>%n%s", "--name-only", "main"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert log.startswith(
        "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>\n"
        "content: Daily Papers of 2025-12-01\n"  # the day that had papers
    )
    assert "content/days/2025-12-01.toml" in log and "content/listings/2025-12-01.json" in log
    assert "token-of-the-run" not in (tmp_path / "push-job" / ".git" / "config").read_text()

    # The same day again: nothing new, so no commit and (in the workflow) no push.
    source.set("2025-12-01", [Reply(200, API_ANSWER.replace(b"2025-10-31", b"2025-12-01"))])
    assert _run_step(_step(JOB, "Fetch"), small_scratch_repo, **env).returncode == 0
    again = _run_step(_step(JOB, "Commit new content"), small_scratch_repo, **env)
    assert "changed=false" in again.stdout
    count = subprocess.run(
        ["git", "rev-list", "--count", "HEAD"],
        cwd=small_scratch_repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert count.strip() == "2"

    built = _run_step(
        _step(JOB, "Build"), small_scratch_repo, BASE_URL="https://you.github.io/fork"
    )
    assert built.returncode == 0, built.stderr
    with tarfile.open(small_scratch_repo / "artifact.tar") as deployed:  # the Pages artifact
        day = deployed.extractfile("./days/2025-12-01/index.html").read().decode()  # type: ignore[union-attr]
        digest = deployed.extractfile("./digest/atom.xml").read().decode()  # type: ignore[union-attr]
    assert "Agentic Reinforcement Learning for Tool Use" in day
    assert "https://you.github.io/fork/days/2025-12-01/" in digest


def test_a_fetch_that_had_no_day_leaves_nothing_to_commit(
    hf: tuple[FaultyHF, str], small_scratch_repo: Path, tmp_path: Path
) -> None:
    """Nothing written, nothing committed: the run deploys what the branch holds, then fails
    (test_a_run_whose_fetch_had_no_day_deploys_what_the_branch_holds_then_fails)."""
    source, url = hf
    source.set("2025-12-01", [Reply(500)], [Reply(500)])
    env = {"SITEGEN_FETCH_URL": url, "SINCE": "2025-12-01", "UNTIL": "2025-12-01"}
    out = tmp_path / "out"
    script = _step(JOB, "Fetch").replace("sitegen fetch", "sitegen fetch --attempts 1")
    assert _run_step(script, small_scratch_repo, GITHUB_OUTPUT=str(out), **env).returncode == 0
    assert out.read_text() == "had-no-day=true\n"
    status = subprocess.run(
        ["git", "status", "--porcelain"],
        cwd=small_scratch_repo,
        capture_output=True,
        text=True,
        check=True,
    )
    assert status.stdout == ""


def test_a_fetch_that_missed_a_day_commits_the_others_and_the_run_shows_a_warning(
    hf: tuple[FaultyHF, str], small_scratch_repo: Path
) -> None:
    source, url = hf
    source.set("2025-12-01", [Reply(200, API_ANSWER.replace(b"2025-10-31", b"2025-12-01"))])
    source.set("2025-12-02", [Reply(500)], [Reply(500)])  # a day the source keeps failing
    env = {
        "SITEGEN_FETCH_URL": url,
        "SINCE": "2025-12-01",
        "UNTIL": "2025-12-02",
        "GITHUB_ACTIONS": "true",
    }
    script = _step(JOB, "Fetch").replace("sitegen fetch", "sitegen fetch --attempts 1")
    fetched = _run_step(script, small_scratch_repo, **env)
    assert fetched.returncode == 0, "the run goes on to commit and deploy the day it had"
    warning = "::warning title=sitegen fetch::sitegen fetch missed 1 day: 2025-12-02"
    assert warning + "; the next runs ask again for 2025-12-02" in fetched.stdout.splitlines()
    committed = _run_step(_step(JOB, "Commit new content"), small_scratch_repo, **env)
    assert "changed=true" in committed.stdout
    names = subprocess.run(
        ["git", "show", "--name-only", "--format=", "HEAD"],
        cwd=small_scratch_repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert "content/days/2025-12-01.toml" in names and "content/fetch-state.json" in names
    state = (small_scratch_repo / "content" / "fetch-state.json").read_text()
    assert '"2025-12-02"' in state and '"failed_on"' in state, "the missed day is remembered"


def test_a_run_stopped_by_a_mistake_or_the_source_says_why_on_its_page(
    small_scratch_repo: Path,
) -> None:
    """A review: a failed run's page showed "exit code 2" or "exit code 1", and the cause
    (a `since` typed with a space, a source that cannot be reached) only in the log."""
    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        nowhere = f"http://127.0.0.1:{closed.getsockname()[1]}"
    env = {"SITEGEN_FETCH_URL": nowhere, "GITHUB_ACTIONS": "true"}
    typed = _run_step(_step(JOB, "Fetch"), small_scratch_repo, SINCE=" 2026-12-01", **env)
    assert typed.returncode == 2
    assert (
        "::error title=sitegen::sitegen fetch: argument --since: ' 2026-12-01' is not a date"
        in typed.stdout
    )
    one_day = {"SINCE": "2026-12-01", "UNTIL": "2026-12-01"}
    offline = _run_step(_step(JOB, "Fetch"), small_scratch_repo, **one_day, **env)
    assert offline.returncode != 0
    (said,) = [line for line in offline.stdout.splitlines() if line.startswith("::error")]
    assert said.startswith(
        f"::error title=sitegen fetch::sitegen fetch had none of the 1 day it asked for:"
        f" cannot reach {nowhere} (ConnectError"
    ), said
    assert "%0A  hint: check the network" in said  # one line, its hint kept


def test_a_run_that_had_no_day_says_on_its_page_whether_to_do_anything(
    hf: tuple[FaultyHF, str], small_scratch_repo: Path, tmp_path: Path
) -> None:
    """A replay of the workflow on a day Hugging Face answered 500 to everything: the run's
    page said each URL failed, not that nothing was written and the next run asks for those
    days again (nothing to do), nor, for a backfill, that it is to be run again."""
    source, url = hf
    source.other_api_days = [Reply(500)]  # Hugging Face down: each day's API and page fail
    out = tmp_path / "out"
    env = {"SITEGEN_FETCH_URL": url, "GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": str(out)}
    script = _step(JOB, "Fetch").replace("sitegen fetch", "sitegen fetch --attempts 1")
    backfill = _run_step(script, small_scratch_repo, SINCE="2025-12-01", UNTIL="2025-12-01", **env)
    assert backfill.returncode == 0 and out.read_text() == "had-no-day=true\n"  # the run fails
    (said,) = [line for line in backfill.stdout.splitlines() if line.startswith("::error")]
    assert said.endswith("; nothing was written: run this fetch again once the source answers")
    shutil.rmtree(small_scratch_repo / "content" / "days")  # yesterday and today alone
    out.write_text("")
    scheduled = _run_step(script, small_scratch_repo, **env)
    assert scheduled.returncode == 0 and out.read_text() == "had-no-day=true\n"
    (said,) = [line for line in scheduled.stdout.splitlines() if line.startswith("::error")]
    assert said.startswith("::error title=sitegen fetch::sitegen fetch had none of the 2 days")
    assert said.endswith("; nothing was written, and the next run asks for these days again")


# ---- sitegen serve ---------------------------------------------------------------------------


@pytest.fixture
def served(tiny_built: Path) -> Iterator[tuple[subprocess.Popen[str], str, Path]]:
    """`sitegen serve` on a copy of the built small site: its first build renders nothing."""
    with _serving(tiny_built) as (process, url, _):
        yield process, url, tiny_built


@pytest.fixture(scope="module")
def served_as_built(
    tiny_build: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[subprocess.Popen[str], str, Path]]:
    """`served`, one server for the tests that only ask it for files and change nothing."""
    root = copy_site(tiny_build, tmp_path_factory.mktemp("served") / "site")
    with _serving(root) as (process, url, _):
        yield process, url, root


@contextmanager
def _serving(root: Path, *flags: str) -> Iterator[tuple[subprocess.Popen[str], str, list[str]]]:
    """`sitegen serve` on `root` (with `flags`): the process, its URL, and what it printed
    until serving."""
    process = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "--root", str(root), "serve", "--port", "0", *flags],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=ctrl_c_stops,
    )
    assert process.stdout is not None
    try:
        lines = _lines_until(process.stdout, "http://127.0.0.1:", timeout=120)
        match = re.search(r"http://127\.0\.0\.1:\d+/\S*", lines[-1])  # at the site's path
        assert match, lines
        yield process, match[0], lines
    finally:  # a server that failed to start is not left running either
        if process.poll() is None:
            process.kill()
        process.communicate()  # waits and closes the pipes


def test_serve_says_that_the_feeds_link_the_sites_url_not_the_preview(tiny_built: Path) -> None:
    """A new user's trial: a feed reader subscribed to the preview's feed followed its items
    to base_url, a site that was not there; serve said nothing of it."""
    base_url = load_config(tiny_built).base_url
    with _serving(tiny_built) as (_, _url, lines):
        said = f"the feeds and their items link base_url, {base_url}, not this preview"
        assert any(said in line for line in lines), lines


def test_serve_of_a_site_toml_without_base_url_serves_at_its_own_address(
    tiny_built: Path,
) -> None:
    """A fork owner who left base_url to the publish workflow (--base-url) previews the site
    as `hugo server` and `mkdocs serve` do: at /, its feeds linking the preview itself (serve
    stopped at the missing key)."""
    config = tiny_built / "site.toml"
    config.write_text(re.sub(r"(?m)^base_url = .*\n", "", config.read_text()))
    with _serving(tiny_built) as (_, url, lines):
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", url), url
        said = f"no base_url in site.toml: the feeds and their items link this preview, {url}"
        assert any(said in line for line in lines), lines
        feed = feedparser.parse(httpx.get(f"{url}rss.xml", timeout=30).content)
        assert not feed.bozo and feed.feed.link == url
        assert feed.entries and all(e.link.startswith(f"{url}papers/") for e in feed.entries)
        assert httpx.get(feed.entries[0].link, timeout=30).status_code == 200


def test_serve_says_no_base_url_is_missing_when_it_is_the_previews_own_address(
    tiny_built: Path,
) -> None:
    """A review: base_url written as the preview's own address was said to be missing from
    site.toml, the preview's own being taken for the fallback's."""
    with socket.socket() as probe:  # a free port, for base_url to name before serve takes it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = tiny_built / "site.toml"
    own = f"http://127.0.0.1:{port}/"
    config.write_text(re.sub(r"(?m)^base_url = .*$", f'base_url = "{own}"', config.read_text()))
    with _serving(tiny_built, "--port", str(port)) as (_, _url, lines):
        assert not any("no base_url in site.toml" in line for line in lines), lines
        assert any(f"link base_url, {own}" in line for line in lines), lines


def test_serve_given_a_base_url_serves_at_its_path_as_build_takes_it(tiny_built: Path) -> None:
    """`sitegen serve --base-url` was refused (an option of build and fetch alone): the URL
    the workflow builds with is previewed at its path, site.toml's overridden, as build's."""
    with _serving(tiny_built, "--base-url", "https://me.github.io/fork") as (_, url, lines):
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/fork/", url), url
        said = "the feeds and their items link base_url, https://me.github.io/fork/, not this"
        assert any(said in line for line in lines), lines
        feed = feedparser.parse(httpx.get(f"{url}rss.xml", timeout=30).content)
        assert feed.feed.link == "https://me.github.io/fork/"


def test_serve_on_every_interface_prints_an_address_a_browser_opens(tiny_built: Path) -> None:
    """A docs trial: `--bind 0.0.0.0` printed http://0.0.0.0:PORT/, the address it listens
    on, as the one to open; the loopback address opens it on this machine."""
    with _serving(tiny_built, "--bind", "0.0.0.0") as (_, url, lines):
        assert "0.0.0.0" not in lines[-1], lines
        assert httpx.get(url, timeout=30).status_code == 200


def test_serve_serves_pages_and_the_404_page(
    served_as_built: tuple[subprocess.Popen[str], str, Path],
) -> None:
    _, url, _ = served_as_built
    home = httpx.get(url)
    assert home.status_code == 200 and "Papers of Nov 22, 2026" in home.text
    assert "/__sitegen__/generation" in home.text, "the reload script is added when serving"
    missing = httpx.get(url + "no/such/page/")
    assert missing.status_code == 404 and "Page not found" in missing.text
    # 404.html answers at any depth, so it links from the site's own path (base_url's):
    # served from there too, its stylesheet and links work locally as on GitHub Pages.
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', missing.text)
    assert stylesheet and stylesheet[1].startswith("/daily-papers/"), missing.text[:300]
    host = url.removesuffix("/daily-papers/")
    assert httpx.get(host + stylesheet[1]).status_code == 200
    home = re.search(r'<a [^>]*href="(/daily-papers/[^"]*)"', missing.text)
    assert home and "Papers of" in httpx.get(host + home[1]).text
    assert httpx.get(url + "atom.xml").headers["content-type"].startswith("application/")
    # The site's own path without its slash, as a reader types it: sent on, as Pages does.
    for asked in ("daily-papers", "daily-papers?ref=x"):
        moved = httpx.get(f"{host}/{asked}")
        assert moved.status_code == 301
        assert moved.headers["location"] == "/" + asked.replace("papers", "papers/", 1)
    # The site is at its path alone, as on GitHub Pages: "/" leads there (for a while: a
    # permanent redirect outlives an edit of base_url in the browser), and any other address
    # is a 404, so a link that climbs out of the site fails here as it will there.
    moved = httpx.get(f"{host}/")
    assert moved.status_code == 302 and moved.headers["location"] == "/daily-papers/"
    for asked in ("atom.xml", "search/?q=a+b", "papers/", "days"):
        outside = httpx.get(f"{host}/{asked}")
        assert outside.status_code == 404 and "Page not found" in outside.text, asked


def test_serve_answers_a_files_address_with_a_trailing_slash_with_the_404_page(
    served_as_built: tuple[subprocess.Popen[str], str, Path],
) -> None:
    """A reader's trial: "atom.xml/" was Python's bare "Error response" page, and
    "days/index.html/" the days' page, its relative links one folder too deep; a file is no
    folder, and GitHub Pages answers both with the site's 404 page."""
    _, url, _ = served_as_built
    for path in ("atom.xml/", "style.css/", "days/index.html/", "index.html/"):
        missing = httpx.get(url + path, timeout=30)
        assert missing.status_code == 404 and "Page not found" in missing.text, path


def test_serve_answers_a_page_of_static_asked_without_html_as_github_pages_does(
    tiny_built: Path,
) -> None:
    """A forker's trial: a header link "about" to static/about.html, which GitHub Pages
    serves at ".../about", was a 404 in the preview, so a link that works there looked
    broken here. A folder of that name still comes first, and "about/" is no page."""
    static = tiny_built / "static"
    (static / "notes").mkdir(parents=True)
    (static / "about.html").write_text("<!doctype html><title>About</title><p>About me\n")
    (static / "notes" / "index.html").write_text("<!doctype html><title>Notes</title>\n")
    (static / "notes.html").write_text("<!doctype html><title>Notes page</title>\n")
    with _serving(tiny_built) as (_, url, _):
        about = httpx.get(url + "about", timeout=30)
        assert about.status_code == 200 and "About me" in about.text
        assert httpx.get(url + "about?x=1", timeout=30).status_code == 200
        assert httpx.get(url + "about/", timeout=30).status_code == 404
        assert httpx.get(url + "notes", timeout=30).status_code == 301  # to the folder
        assert httpx.get(url + "nowhere", timeout=30).status_code == 404


def test_serve_pages_know_their_build_and_no_answer_is_kept_unasked(
    served_as_built: tuple[subprocess.Popen[str], str, Path],
) -> None:
    """Found by a trial: an edited stylesheet was not shown at the reload (kept fresh by its
    Last-Modified), and a rebuild that ended before a page's first poll never reached it."""
    _, url, _ = served_as_built
    generation = httpx.get(url + "__sitegen__/generation", timeout=30).text
    for path in ("", "style.css", "atom.xml", "papers/", "no/such/page/"):
        answer = httpx.get(url + path, timeout=30)
        assert answer.headers["cache-control"] == "no-cache", path
    # Each page says which build it is of, so a later one reloads it, however soon it came.
    assert f'const built = "{generation}";' in httpx.get(url, timeout=30).text


def test_serve_lets_a_script_of_another_origin_read_the_api_and_feeds_as_pages_does(
    served_as_built: tuple[subprocess.Popen[str], str, Path],
) -> None:
    """Found by a trial of a browser client: its fetch() of /api/papers.json from its own
    origin was blocked by CORS against the preview, while GitHub Pages answers every file
    with `Access-Control-Allow-Origin: *`."""
    _, url, _ = served_as_built
    for path in ("api/papers.json", "feed.json", "atom.xml", "no/such.json"):
        answer = httpx.get(url + path, headers={"Origin": "http://localhost:3000"}, timeout=30)
        assert answer.headers.get("access-control-allow-origin") == "*", path


def test_a_page_left_open_across_a_restart_of_serve_is_of_another_build(tiny_built: Path) -> None:
    """Found by a review: each run numbered its builds from 0, so a page of the last run's
    build 0 took this run's for its own and never showed an edit made while serve was down."""
    builds = []
    for _ in range(2):
        with _serving(tiny_built) as (_, url, _):
            builds.append(httpx.get(url + "__sitegen__/generation", timeout=30).text)
            assert f'const built = "{builds[-1]}";' in httpx.get(url, timeout=30).text
    assert builds[0] != builds[1] and all(re.fullmatch(r"[0-9]+-0", b) for b in builds), builds


def test_serve_answers_a_path_too_long_for_the_system_with_the_404_page(
    served_as_built: tuple[subprocess.Popen[str], str, Path],
) -> None:
    """Issue #19, case 14: a 5,000-character path was a traceback and a dropped connection."""
    _, url, _ = served_as_built
    for path in ("a" * 5000 + ".html", "a/" * 2500, "a" * 5000):
        missing = httpx.get(url + path)
        assert missing.status_code == 404 and "Page not found" in missing.text


def test_serve_rebuilds_after_a_content_change_then_stops_on_a_signal(
    served: tuple[subprocess.Popen[str], str, Path],
) -> None:
    process, url, repo = served
    paper = next((repo / "content" / "papers").glob("*.md"))
    page_url = f"{url}papers/{paper.stem}/"
    generation = httpx.get(url + "__sitegen__/generation", timeout=30).text
    # What the build does not read sets nothing off (a review: macOS's `._x.md` rebuilt).
    (paper.parent / f"._{paper.name}").write_bytes(b"\0\5\26\7")
    (repo / "content" / "days" / ".drafts").mkdir()
    (repo / "content" / "days" / ".drafts" / "2026-01-01.toml").write_text("day = 2026-01-01\n")
    paper.write_text(paper.read_text().replace('title = "', 'title = "Freshly Edited: ', 1))
    assert process.stdout is not None
    # Generous: a rebuild on a loaded machine; the wait ends with the line, not the timeout.
    # What set it off is said first (found by a trial: the log never said).
    said = _line_with(process.stdout, "changed: ", timeout=120)
    assert said.strip() == f"changed: content/papers/{paper.name}", said
    _line_with(process.stdout, "rebuilt in", timeout=120)
    # Files are swapped in first, then the generation the pages poll moves on.
    assert "Freshly Edited: " in httpx.get(page_url, timeout=30).text
    deadline = time.monotonic() + 30
    while httpx.get(url + "__sitegen__/generation", timeout=30).text == generation:
        assert time.monotonic() < deadline, "the reload generation never moved"
        time.sleep(0.05)
    assert "__sitegen__" not in (repo / "public" / "papers" / paper.stem / "index.html").read_text()
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) == 0
    with pytest.raises(httpx.ConnectError):
        httpx.get(url, timeout=2)


def test_serve_says_names_of_terminal_controls_escaped(tiny_built: Path, tmp_path: Path) -> None:
    """`sitegen serve` said "Serving ROOT/public at ..." and "changed: FILE" with the names as
    they were: an escape sequence in the site's folder or in a file saved in it reached the
    terminal (`\\x1b[2J` clears it, `\\x1b]0;` retitles it), which `build` and every error
    write escaped (review h6)."""
    root = tmp_path / "site\x1b[2J"
    shutil.copytree(tiny_built, root)
    (root / "static").mkdir()
    with _serving(root) as (process, _url, lines):
        assert "\x1b" not in "".join(lines), lines
        said = f"Serving {tmp_path}/site\\x1b[2J/public at "
        # The address to open after it, not the folder's name again (as 0e17d95 had it).
        assert re.fullmatch(
            rf"{re.escape(said)}http://127\.0\.0\.1:\d+/daily-papers/ \(Ctrl-C to stop\)\n",
            lines[-1],
        ), lines
        (root / "static" / "note\x1b]0;retitled\x07.txt").write_text("hello\n")
        assert process.stdout is not None
        said = _line_with(process.stdout, "changed: ", timeout=120)
        assert said.strip() == "changed: static/note\\x1b]0;retitled\\x07.txt", said


def test_serve_rebuilds_for_a_hidden_template_a_page_includes(tiny_built: Path) -> None:
    """Found by a review: hidden paths were skipped in every watched folder, but templates/
    may include one (content/ is read without them)."""
    partial = tiny_built / "templates" / ".partials" / "note.html"
    partial.parent.mkdir()
    partial.write_text("<!-- partial v1 -->")
    base = tiny_built / "templates" / "base.html"
    base.write_text(
        base.read_text().replace("</body>", '{% include ".partials/note.html" %}</body>')
    )
    with _serving(tiny_built) as (process, url, _):
        assert "partial v1" in httpx.get(url, timeout=30).text
        partial.write_text("<!-- partial v2 -->")
        assert process.stdout is not None
        said = _line_with(process.stdout, "changed: ", timeout=120)
        assert said.strip() == "changed: templates/.partials/note.html", said
        _line_with(process.stdout, "rebuilt in", timeout=120)
        assert "partial v2" in httpx.get(url, timeout=30).text


def test_serve_reloads_and_warns_on_pages_whose_template_leaves_out_the_end_tags(
    tiny_built: Path,
) -> None:
    """Trial h11: base.html saved without `</body></html>` (end tags HTML lets one leave
    out, or written `</BODY>`) gave pages with no reload script: the open page never reloaded
    again, and a failed rebuild's banner was never shown."""
    base = tiny_built / "templates" / "base.html"
    for end in ("", "</BODY>\n"):
        base.write_text(base.read_text().replace("</body>\n</html>\n", end))
        with _serving(tiny_built) as (process, url, _):
            generation = httpx.get(url + "__sitegen__/generation", timeout=30).text
            assert f'const built = "{generation}";' in httpx.get(url, timeout=30).text
            paper = next((tiny_built / "content" / "papers").glob("*.md"))
            good = paper.read_text()
            paper.write_text(good.replace("+++\n", "+++\nupvotes = = 1\n", 1))
            assert process.stderr is not None
            _line_with(process.stderr, "sitegen: error:", timeout=120)
            page = httpx.get(url, timeout=30).text
            assert "The last build failed" in page and page.endswith(end), page[-300:]
            paper.write_text(good)
        base.write_text(base.read_text().removesuffix(end) + "</body>\n</html>\n")


def test_serve_says_site_toml_is_gone_and_to_restore_it_when_deleted_while_serving(
    served: tuple[subprocess.Popen[str], str, Path],
) -> None:
    """Trial h11: site.toml moved away while serving (a `git checkout` of a branch without
    it) was "no site.toml here" with the hint to run sitegen from a site directory or pass
    --root, which serve, running in one, cannot take; its return was built."""
    process, url, repo = served
    config = repo / "site.toml"
    kept = config.read_bytes()
    config.unlink()
    assert process.stderr is not None and process.stdout is not None
    said = _lines_until(process.stderr, "  hint:", timeout=120)
    assert "site.toml: no site.toml: it was deleted or moved while serving" in said[-2], said
    assert "--root" not in said[-1] and "restore it" in said[-1], said
    config.write_bytes(kept)
    _line_with(process.stdout, "rebuilt in", timeout=120)
    assert httpx.get(url, timeout=30).status_code == 200


def test_serve_sends_an_edited_stylesheet_rebuilt_within_the_second_of_the_last(
    served: tuple[subprocess.Popen[str], str, Path],
) -> None:
    """Review h5: restyling under serve, a save of style.css rebuilt that file alone, in a
    fraction of a second; a second save within the same second was answered 304 Not Modified
    to the browser's revalidation (If-Modified-Since, whole seconds), which kept showing the
    stylesheet of the first."""
    process, url, repo = served
    assert process.stdout is not None
    stylesheet = repo / "templates" / "style.css"
    held = httpx.get(url + "style.css", timeout=30)  # what the open page's browser holds
    stylesheet.write_text(stylesheet.read_text() + "\n.card { outline: 0; }\n")
    said = _line_with(process.stdout, "changed: ", timeout=120)
    assert said.strip() == "changed: templates/style.css", said
    rebuilt = _line_with(process.stdout, "rebuilt in", timeout=120)
    assert re.search(r": 1 of \d+ files rendered", rebuilt), rebuilt
    # Its browser asks again, as `no-cache` says, naming the second its copy was of; the
    # rebuild's file is of that second too when it came within it (set so here).
    second = parsedate_to_datetime(held.headers["last-modified"]).timestamp()
    os.utime(repo / "public" / "style.css", (second, second))
    asked = {"If-Modified-Since": held.headers["last-modified"]}
    answer = httpx.get(url + "style.css", headers=asked, timeout=30)
    assert answer.status_code == 200 and answer.text.endswith(".card { outline: 0; }\n")
    assert answer.headers["cache-control"] == "no-cache"


def _ingest(root: Path, listing: Path) -> None:
    """`sitegen ingest LISTING` beside a serve process, run in this one (`sitegen_here`): serve
    sees the files an ingest writes, not its process (a process of its own took 0.5 s more)."""
    ingested = sitegen_here("--root", str(root), "ingest", str(listing))
    assert ingested.returncode == 0, ingested.stderr


def test_serve_on_a_site_started_empty_builds_its_first_ingest(tmp_path: Path) -> None:
    """Found by a review: a fork started empty has no content/ until its first ingest, and
    serve watched only the folders there were when it began: the ingest was never built."""
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(REPO / "site.toml", root / "site.toml")
    shutil.copytree(REPO / "templates", root / "templates")
    with _serving(root) as (process, url, _):
        assert not (root / "content").exists()
        _ingest(root, REPO / "content" / "listings" / "2025-10-31.txt")
        assert process.stdout is not None
        # content/ first, and under load the files the ingest wrote into it in the same batch
        # (a CI run: "changed: content, content/papers/... and 14 more").
        said = _line_with(process.stdout, "changed: ", timeout=120).strip()
        assert said == "changed: content" or said.startswith("changed: content, content/"), said
        _line_with(process.stdout, "rebuilt in", timeout=120)
        assert httpx.get(url + "days/2025-10-31/", timeout=30).status_code == 200


def test_serve_watches_content_again_once_it_is_deleted_and_made_again(tmp_path: Path) -> None:
    """Found by a new user's trial: the README's own `git rm -r content/...` deletes content/,
    and serve, its watch gone with the folder, never saw the ingest that made it again."""
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(REPO / "site.toml", root / "site.toml")
    shutil.copytree(REPO / "templates", root / "templates")
    listing = REPO / "content" / "listings" / "2025-10-31.txt"
    _ingest(root, listing)
    with _serving(root) as (process, url, _):
        assert process.stdout is not None
        shutil.rmtree(root / "content")
        assert "content" in _line_with(process.stdout, "changed: ", timeout=120)
        _line_with(process.stdout, "rebuilt in", timeout=120)
        assert httpx.get(url + "days/2025-10-31/", timeout=30).status_code == 404
        _ingest(root, listing)
        assert "content" in _line_with(process.stdout, "changed: ", timeout=120)
        _line_with(process.stdout, "rebuilt in", timeout=120)
        assert httpx.get(url + "days/2025-10-31/", timeout=30).status_code == 200
        # Deleted and made again at once, while the build its deletion set off runs (a
        # review): the folder made again is watched, and an edit in it is built.
        backup = tmp_path / "backup"
        shutil.copytree(root / "content", backup)
        shutil.rmtree(root / "content")
        shutil.copytree(backup, root / "content")
        _line_with(process.stdout, "rebuilt in", timeout=120)
        paper = sorted((root / "content" / "papers").glob("*.md"))[0]
        paper.write_text(re.sub(r'(?m)^title = ".*"$', 'title = "Made Again"', paper.read_text()))
        deadline = time.monotonic() + 120
        while "Made Again" not in httpx.get(url + f"papers/{paper.stem}/", timeout=30).text:
            assert time.monotonic() < deadline, "the edit in the folder made again was built"
            time.sleep(0.2)


def test_serve_rebuilds_after_every_save_that_replaces_site_toml(
    served: tuple[subprocess.Popen[str], str, Path],
) -> None:
    """Editors save by writing a new file over the old (sed -i, vim): each save is seen, not
    only the first (the watch on the replaced file was lost)."""
    process, url, repo = served
    config = repo / "site.toml"
    original = config.read_text()
    assert process.stdout is not None
    for title in ("Daily Papers Y", "Daily Papers Z"):
        replacement = repo / "site.toml.new"
        replacement.write_text(re.sub(r'(?m)^title = ".*"$', f'title = "{title}"', original))
        replacement.replace(config)
        assert "site.toml" in _line_with(process.stdout, "changed: ", timeout=120)
        _line_with(process.stdout, "rebuilt in", timeout=120)
        assert title in httpx.get(url, timeout=30).text


@pytest.mark.parametrize("during", ["the first build", "a rebuild of a site.toml save"])
def test_serve_builds_an_edit_made_while_a_build_runs(tmp_path: Path, during: str) -> None:
    """Found by a fork owner's trial: a save of site.toml made serve watch anew after its
    rebuild, and every edit made while that ran was lost (the README's `git rm` of the demo
    right after its title edit: the deleted papers were served on); then by a review: a save
    of site.toml during the first build was lost too. The build here makes the edit itself, so
    it surely comes while one runs. (A folder's edit during the first build is seen with the
    next change: the watch begins after it, so that a busy folder never holds the site back.)"""
    public, content = tmp_path / "public", tmp_path / "content"
    public.mkdir()
    content.mkdir()
    config, paper = tmp_path / "site.toml", content / "paper.md"
    config.write_text('title = "A"\n')
    paper.write_text("one\n")
    edited = config if during == "the first build" else paper
    rebuilt: list[tuple[Path, ...]] = []
    serving, edit_built = threading.Event(), threading.Event()

    def save_config(title: str) -> None:
        saved = tmp_path / "site.toml.new"
        saved.write_text(f'title = "{title}"\n')
        saved.replace(config)  # as an editor saves it

    def build() -> str | None:
        if during == "the first build":
            save_config("B")
        return None

    def rebuild(changed: tuple[Path, ...]) -> Rebuilt:
        rebuilt.append(changed)
        if edited in changed:
            edit_built.set()
            raise KeyboardInterrupt  # ends serve, as Ctrl-C does
        paper.write_text("two\n")  # while the rebuild of site.toml's save runs
        return Rebuilt(None, lambda: None)

    def run() -> None:
        with contextlib.suppress(KeyboardInterrupt):
            serve(
                public=public, watch=(content, config), build=build, rebuild=rebuild,
                host="127.0.0.1", port=0, announce=lambda _: serving.set(),
            )  # fmt: skip

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert serving.wait(60)
    if during != "the first build":
        save_config("B")
    try:
        assert edit_built.wait(30), f"the edit made during the build was never built: {rebuilt}"
    finally:
        if not edit_built.is_set():
            paper.write_text("three\n")  # a change the watch sees, to end serve
        thread.join(30)


@pytest.mark.parametrize("first, then", [("broken", "fixed"), ("fixed", "broken")])
def test_serve_says_a_rebuild_once_its_pages_are_the_ones_served(
    tmp_path: Path, first: str, then: str
) -> None:
    """Found by a full test run under load: serve printed "rebuilt in" before it served the
    rebuilt site, so a page fetched on reading that line still carried the last failure's
    banner (and a failure's error line came before its banner). What a rebuild says is said
    once its pages, or its failure, are the ones served."""
    public, content = tmp_path / "public", tmp_path / "content"
    public.mkdir()
    content.mkdir()
    (public / "index.html").write_text("<!doctype html><html><body>a page</body></html>\n")
    paper = content / "paper.md"
    paper.write_text("one\n")
    failure = {"broken": "content/paper.md:1: bad TOML", "fixed": None}
    addresses: list[str] = []
    page_when_said: list[str] = []

    def rebuild(changed: tuple[Path, ...]) -> Rebuilt:
        def say() -> None:
            page_when_said.append(httpx.get(addresses[0], timeout=30).text)
            raise KeyboardInterrupt  # ends serve, as Ctrl-C does

        return Rebuilt(failure[then], say)

    def announce(line: str) -> None:
        addresses.append(line.split(" at ", 1)[1].split()[0])
        paper.write_text("two\n")  # the edit, once the watch runs

    with contextlib.suppress(KeyboardInterrupt):
        serve(
            public=public, watch=(content,), build=lambda: failure[first], rebuild=rebuild,
            host="127.0.0.1", port=0, announce=announce,
        )  # fmt: skip
    (page,) = page_when_said
    assert "a page" in page
    assert ('id="sitegen-serve-failed"' in page) == (then == "broken"), page


def test_serve_builds_the_site_again_when_public_is_deleted(
    served: tuple[subprocess.Popen[str], str, Path],
) -> None:
    """Trial h11: `rm -rf public` while serving left every page a bare "Not found", the open
    page never told, until some other file was saved. Its deletion is a change, built once."""
    process, url, repo = served
    assert process.stdout is not None
    shutil.rmtree(repo / "public")
    said = _line_with(process.stdout, "changed: ", timeout=120)
    assert said.strip() == "changed: public", said
    assert "a full build" in _line_with(process.stdout, "rebuilt in", timeout=120)
    home = httpx.get(url, timeout=30)
    assert home.status_code == 200 and "Papers of Nov 22, 2026" in home.text
    generation = httpx.get(url + "__sitegen__/generation", timeout=30).text
    time.sleep(2)  # once: no build after it while nothing changes
    assert httpx.get(url + "__sitegen__/generation", timeout=30).text == generation


@pytest.mark.parametrize("deleted_on_reading", ["built", "rebuilt in"])
def test_serve_builds_public_again_when_it_is_deleted_on_reading_that_it_was_built(
    tmp_path: Path, deleted_on_reading: str
) -> None:
    """Found by a hunt for races under load: whether a build left a site was looked at after
    the build was said, so a public/ deleted on reading that line (a script's `rm -rf public`)
    was taken for one no build had left, and never built again. A build that succeeded left
    a site, whenever public/ is looked at."""
    public, content = tmp_path / "public", tmp_path / "content"
    content.mkdir()
    paper = content / "paper.md"
    paper.write_text("one\n")
    rebuilt: list[tuple[Path, ...]] = []

    def built() -> None:
        public.mkdir(exist_ok=True)
        (public / "index.html").write_text("a page\n")

    def build() -> str | None:
        built()
        if deleted_on_reading == "built":
            shutil.rmtree(public)
        return None

    def deleted_then_saved() -> None:  # the line read, public/ deleted, then a file saved
        shutil.rmtree(public)
        paper.write_text("three\n")

    def rebuild(changed: tuple[Path, ...]) -> Rebuilt:
        rebuilt.append(changed)
        if deleted_on_reading == "built" or len(rebuilt) == 2:
            raise KeyboardInterrupt  # ends serve, as Ctrl-C does
        built()
        return Rebuilt(None, deleted_then_saved)

    with contextlib.suppress(KeyboardInterrupt):
        serve(
            public=public, watch=(content,), build=build, rebuild=rebuild,
            host="127.0.0.1", port=0, announce=lambda _: paper.write_text("two\n"),
        )  # fmt: skip
    assert public in rebuilt[-1], f"public/ deleted after a build said so was not built: {rebuilt}"


def test_serve_stops_cleanly_on_sigterm(served: tuple[subprocess.Popen[str], str, Path]) -> None:
    process, url, _ = served
    assert httpx.get(url).status_code == 200
    process.terminate()
    assert process.wait(timeout=60) == 0
    stdout, _ = process.communicate()
    assert "stopped" in stdout


def test_serve_keeps_the_last_good_site_when_a_rebuild_fails(
    served: tuple[subprocess.Popen[str], str, Path],
) -> None:
    process, url, repo = served
    paper = next((repo / "content" / "papers").glob("*.md"))
    paper.write_text(paper.read_text().replace("+++\n", "+++\nupvotes = = 1\n", 1))
    assert process.stderr is not None
    reported = _line_with(process.stderr, "sitegen: error:", timeout=20)
    assert f"content/papers/{paper.name}:2: bad TOML" in reported, "the rebuild was tried"
    assert process.poll() is None, "a broken file does not stop the server"
    assert httpx.get(f"{url}papers/{paper.stem}/").status_code == 200


def test_serve_started_on_a_broken_file_serves_the_last_good_site_and_rebuilds_on_the_fix(
    tiny_built: Path,
) -> None:
    paper = next((tiny_built / "content" / "papers").glob("*.md"))
    good = paper.read_text()
    paper.write_text(good.replace("+++\n", "+++\nupvotes = = 1\n", 1))
    with _serving(tiny_built) as (process, url, _):
        assert process.stderr is not None
        reported = _line_with(process.stderr, "sitegen: error:", timeout=20)
        assert f"content/papers/{paper.name}:2: bad TOML" in reported
        said = _line_with(process.stderr, "saving a fix rebuilds it", timeout=20)
        assert "the last good site is served" in said
        page = httpx.get(f"{url}papers/{paper.stem}/", timeout=30)
        assert page.status_code == 200 and "__sitegen__" in page.text, "the last good site"
        # Said over the page too, not only in the terminal (found by a trial).
        assert 'id="sitegen-serve-failed"' in page.text
        assert f"content/papers/{paper.name}:2: bad TOML" in page.text
        paper.write_text(good.replace('title = "', 'title = "Fixed: ', 1))
        assert process.stdout is not None
        _line_with(process.stdout, "rebuilt in", timeout=120)
        fixed = httpx.get(f"{url}papers/{paper.stem}/", timeout=30).text
        assert "Fixed: " in fixed and "sitegen-serve-failed" not in fixed
        assert process.poll() is None


@pytest.mark.skipif(os.geteuid() == 0, reason="root enters any folder")
def test_serve_whose_first_build_fails_on_a_public_it_cannot_enter_says_so_in_one_line(
    tiny_built: Path,
) -> None:
    """A review: serve on a public/ of mode 444 (listed, not entered) whose first build failed
    said the error, then a traceback: PermissionError from asking whether public/index.html is
    a file, to say whether the last good site is served. It is not: no page can be read."""
    paper = next((tiny_built / "content" / "papers").glob("*.md"))
    paper.write_text(paper.read_text().replace("+++\n", "+++\nupvotes = = 1\n", 1))
    (tiny_built / "public").chmod(0o444)
    try:
        with _serving(tiny_built) as (process, _, _):
            assert process.stderr is not None
            said = _line_with(process.stderr, "saving a fix rebuilds it", timeout=20)
            assert "each page says why the build failed" in said
            assert process.poll() is None
    finally:
        (tiny_built / "public").chmod(0o755)


def test_serve_names_a_file_whose_name_is_not_utf8_and_goes_on_serving(tiny_built: Path) -> None:
    """Found by a review: such a file saved while serving stopped serve with a traceback (the
    watcher's), and an error naming it was no answer at all (it could not be encoded)."""
    with _serving(tiny_built) as (process, url, _):
        papers = os.fsencode(tiny_built / "content" / "papers")
        os.close(os.open(papers + b"/caf\xe9.md", os.O_CREAT | os.O_WRONLY))
        assert process.stderr is not None
        reported = _line_with(process.stderr, "sitegen: error:", timeout=120)
        assert "content/papers/caf\\xe9.md" in reported, reported
        page = httpx.get(url, timeout=30)
        assert page.status_code == 200 and "caf\\xe9.md" in page.text, "said over the page"
        assert process.poll() is None


def test_serve_refuses_an_output_holding_files_sitegen_did_not_make_in_one_line(
    tiny_built: Path,
) -> None:
    """Found by a trial: serve said "the last good site is served; saving a fix rebuilds it"
    and served the user's own index.html, though no save could fix it (public/ is not watched)."""
    shutil.rmtree(tiny_built / "public")
    (tiny_built / ".public.outputs").unlink()
    (tiny_built / "public").mkdir()
    (tiny_built / "public" / "index.html").write_text("mine")
    result = subprocess.run(
        [sys.executable, "-m", "sitegen", "--root", str(tiny_built), "serve", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    first, *rest = result.stderr.strip().splitlines()
    assert first.startswith("sitegen: error: ") and "refusing to build into public/" in first
    assert all(line.startswith("  hint: ") for line in rest) and "served" not in result.stderr
    assert (tiny_built / "public" / "index.html").read_text() == "mine"


def test_serve_started_on_a_broken_site_toml_serves_under_its_base_path_once_fixed(
    tiny_built: Path,
) -> None:
    config = tiny_built / "site.toml"
    good = config.read_text()
    config.write_text(good.replace("title = ", "title = = ", 1))
    with _serving(tiny_built) as (process, url, _):
        assert process.stderr is not None
        assert "site.toml:" in _line_with(process.stderr, "sitegen: error:", timeout=20)
        assert httpx.get(url, timeout=30).status_code == 200, "the last good site"
        config.write_text(good)
        assert process.stdout is not None
        _line_with(process.stdout, "rebuilt in", timeout=120)
        # base_url's path, which the 404 page links from, is known once site.toml reads
        home = httpx.get(url + "daily-papers/", timeout=30)
        assert home.status_code == 200 and "Papers of Nov 22, 2026" in home.text


def test_serve_says_where_the_site_moved_when_base_url_is_edited_and_its_pages_follow(
    tiny_built: Path,
) -> None:
    """A new user's trial: base_url edited while serving sent the open page to a 404 at its
    reload, and the site's new address was said nowhere. A review: then the query was lost,
    a move to "/" or to the path's parent was followed by no page, and after a move from "/"
    every address outside the site led into it, as none does on GitHub Pages."""
    config = tiny_built / "site.toml"
    text = config.read_text()
    with _serving(tiny_built) as (process, url, _):
        assert process.stdout is not None
        host = url.removesuffix("/daily-papers/")

        def moved_to(path: str) -> str:
            config.write_text(text.replace("/daily-papers/", path, 1))
            said = _line_with(process.stdout, "Serving", timeout=120)  # type: ignore[arg-type]
            assert said.endswith(f"at {host}{path} now\n"), said
            return path

        moved_to("/a/b/")
        moved = httpx.get(url + "search/?q=diffusion", timeout=30)  # open before the edit
        assert moved.status_code == 302
        assert moved.headers["location"] == "/a/b/search/?q=diffusion"
        assert httpx.get(f"{host}/a/b/days/", timeout=30).status_code == 200
        assert httpx.get(f"{host}/elsewhere/", timeout=30).status_code == 404
        root = httpx.get(url.removesuffix("/"), timeout=30)  # typed without its slash
        assert root.headers["location"] == "/a/b/", "the old root, typed, found no page"
        moved_to("/a/")  # its parent: the old addresses are inside the site now
        assert httpx.get(f"{host}/a/b/days/", timeout=30).headers["location"] == "/a/days/"
        assert httpx.get(url + "days/", timeout=30).headers["location"] == "/a/days/"
        moved_to("/")  # a user's site, or a domain of its own
        assert httpx.head(f"{host}/a/days/", timeout=30).headers["location"] == "/days/"
        assert httpx.get(f"{host}/days/", timeout=30).status_code == 200
        moved_to("/daily-papers/")  # from "/": no address outside the site leads into it
        assert httpx.get(f"{host}/days/", timeout=30).status_code == 404
        assert httpx.get(f"{host}/a/days/", timeout=30).headers["location"] == "/daily-papers/days/"
        moved_to("/daily-papers/sub/")  # below its old path: a missing page is a 404 (a review:
        missing = httpx.get(f"{host}/daily-papers/sub/nope/", timeout=30)  # it led to sub/sub/)
        assert missing.status_code == 404
        moved = httpx.get(f"{host}/daily-papers/days/", timeout=30)
        assert moved.headers["location"] == "/daily-papers/sub/days/"
        moved_to("/daily-papers/days/")  # below it, named as a folder of the site: its old
        old = httpx.get(f"{host}/daily-papers/days/2026-11-22/", timeout=30)  # pages are found
        assert old.headers["location"] == "/daily-papers/days/days/2026-11-22/"
        assert httpx.get(f"{host}/daily-papers/days/nope/", timeout=30).status_code == 404
        for outside in ("/a//etc/passwd", "/a/%2Fetc%2Fpasswd"):  # no file off public/ is
            assert httpx.get(host + outside, timeout=30).status_code == 404  # looked at


def test_serve_keeps_the_site_at_its_path_while_a_base_url_edit_fails_to_build(
    tiny_built: Path,
) -> None:
    """Trial h11: base_url's path edited while a paper was broken moved the served site there
    ("Serving ... now", the open page sent along) though the build failed: the last good site,
    built for the old path, was served at the new one, its 404 page's stylesheet and links
    leading to the old path, now a redirect. It moves with the build that makes it."""
    config = tiny_built / "site.toml"
    paper = next((tiny_built / "content" / "papers").glob("*.md"))
    good = paper.read_text()
    with _serving(tiny_built) as (process, url, _):
        assert process.stdout is not None and process.stderr is not None
        host = url.removesuffix("/daily-papers/")
        paper.write_text(good.replace("+++\n", "+++\nupvotes = = 1\n", 1))
        _line_with(process.stderr, "sitegen: error:", timeout=120)
        config.write_text(config.read_text().replace("/daily-papers/", "/moved/", 1))
        _line_with(process.stderr, "sitegen: error:", timeout=120)
        assert httpx.get(url + "days/", timeout=30).status_code == 200, "the last good site"
        assert httpx.get(f"{host}/moved/days/", timeout=30).status_code == 404
        paper.write_text(good)
        said = _lines_until(process.stdout, "rebuilt in", timeout=120)
        assert not any("Serving" in line for line in said), "moved before it was built"
        moved = _line_with(process.stdout, "Serving", timeout=120)
        assert moved.endswith(f"at {host}/moved/ now\n"), moved
        assert httpx.get(f"{host}/moved/days/", timeout=30).status_code == 200


def test_serve_started_with_no_site_yet_says_why_the_build_failed_until_it_is_fixed(
    site: Path, tiny_build: Path
) -> None:
    shutil.copytree(tiny_build / "content", site / "content")  # never built
    stray = site / "content" / "days" / "<img src=x onerror=alert(1)>.toml"
    stray.write_text("day = 2026-01-01\npapers = []\n")
    with _serving(site) as (process, url, _):
        assert process.stderr is not None
        reported = _line_with(process.stderr, "sitegen: error:", timeout=20)
        assert stray.name in reported and "day" in reported, reported
        for path in ("", "papers/", "style.css"):
            answer = httpx.get(url + path, timeout=30)
            assert answer.status_code == 503, path
            assert answer.headers["content-type"] == "text/html; charset=utf-8"
            assert "The build failed" in answer.text and "hint:" in answer.text
            assert "&lt;img src=x onerror=alert(1)&gt;.toml" in answer.text, "escaped"
            assert "<img" not in answer.text and "Traceback" not in answer.text
            assert "/__sitegen__/generation" in answer.text, "it reloads after a rebuild"
        stray.unlink()
        assert process.stdout is not None
        _line_with(process.stdout, "rebuilt in", timeout=120)
        home = httpx.get(url, timeout=30)
        assert home.status_code == 200 and "Papers of Nov 22, 2026" in home.text
        assert process.poll() is None


def _line_with(stream: IO[str], needle: str, *, timeout: float) -> str:
    """The first line of `stream` holding `needle`, within `timeout` seconds."""
    return _lines_until(stream, needle, timeout=timeout)[-1]


# What was read of a stream's pipe past the last line returned. The pipe is read directly:
# select() cannot see lines already read into the stream's own buffer (two lines that came
# together were read as one, and the second then waited for a line that never came).
_unread: weakref.WeakKeyDictionary[IO[str], bytes] = weakref.WeakKeyDictionary()


def _lines_until(stream: IO[str], needle: str, *, timeout: float) -> list[str]:
    """The lines of `stream` up to the first holding `needle`, within `timeout` seconds."""
    lines: list[str] = []
    pending = _unread.pop(stream, b"")
    deadline = time.monotonic() + timeout
    while True:
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            lines.append(line.decode() + "\n")
            if needle in lines[-1]:
                _unread[stream] = pending
                return lines
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([stream], [], [], left)[0]:
            break
        chunk = os.read(stream.fileno(), 65536)
        if not chunk:
            break  # the process closed its output
        pending += chunk
    _unread[stream] = pending
    raise AssertionError(f"no line with {needle!r} within {timeout} s: {lines}")


def test_serve_reports_its_build_rebuilds_and_search_index_as_one_story(
    site: Path, tiny_build: Path
) -> None:
    small = site
    shutil.copytree(tiny_build / "content", small / "content")  # not built yet
    with _serving(small) as (process, _, started):
        assert process.stdout is not None
        assert started[0].startswith("built ") and " pages and " in started[0]
        assert started[1].startswith("  all ") and "; the search index follows" in started[1]
        # Made beside the server's start: its line may come before the address's.
        papers = len(list((small / "content" / "papers").glob("*.md")))
        indexed = f"search index: {papers} papers indexed in"
        if not any(indexed in line for line in started):
            _line_with(process.stdout, indexed, timeout=120)
        day = next((small / "content" / "days").glob("*.toml"))
        day.write_bytes(day.read_bytes())  # saved unchanged: nothing to render or index
        line = _line_with(process.stdout, "rebuilt in", timeout=120)
        assert line.rstrip().endswith("; the search index is up to date"), line
        paper = next((small / "content" / "papers").glob("*.md"))
        paper.write_text(paper.read_text().replace('title = "', 'title = "Edited: ', 1))
        line = _line_with(process.stdout, "rebuilt in", timeout=120)
        assert line.rstrip().endswith("; the search index follows"), line
        lines = _lines_until(process.stdout, "search index: ", timeout=120)
        assert re.fullmatch(r"search index: \d+ papers indexed in [\d.]+ s\n", lines[-1]), lines


def test_serve_types_every_kind_of_file_as_github_pages_does(
    served_as_built: tuple[subprocess.Popen[str], str, Path],
) -> None:
    _, url, root = served_as_built
    public = root / "public"
    types = {
        ".html": "text/html",
        ".css": "text/css",
        ".js": "text/javascript",
        ".json": "application/json",
        ".xml": "application/xml",
        ".opml": "text/x-opml",
        ".svg": "image/svg+xml",
        ".txt": "text/plain",
        ".gz": "application/gzip",
        **dict.fromkeys(
            (".pagefind", ".pf_meta", ".pf_index", ".pf_fragment"), "application/octet-stream"
        ),
    }
    one_of_each: dict[str, Path] = {}
    for path in sorted(public.rglob("*.*")):
        if path.is_file():
            one_of_each.setdefault(path.suffix, path)
    assert one_of_each.keys() == types.keys(), "a new kind of file: type it in sitegen/serve.py"
    for suffix, path in one_of_each.items():
        served_type = httpx.get(url + path.relative_to(public).as_posix(), timeout=30).headers[
            "content-type"
        ]
        assert served_type.split(";")[0] == types[suffix], path
        if types[suffix].startswith("text/") or suffix in (".json", ".xml", ".svg"):
            assert served_type.endswith("; charset=utf-8"), path


def test_a_backfill_given_until_without_since_stops_with_one_line(small_scratch_repo: Path) -> None:
    """Found by a new user: `until` alone was ignored, and the run fetched from the last day
    held instead of the range asked for."""
    fetched = _run_step(_step(JOB, "Fetch"), small_scratch_repo, UNTIL="2025-12-02", SINCE="")
    assert fetched.returncode == 2
    assert fetched.stdout.strip() == "::error::'until' needs 'since': give both to backfill a range"


def test_a_file_made_and_deleted_within_one_batch_is_not_said_changed(tmp_path: Path) -> None:
    """Found by a new user's trial: `sed -i` on a paper made serve say "changed: ...,
    content/papers/sedmKFaLa", sed's temporary file, gone by then."""
    paper, temporary, deleted = tmp_path / "paper.md", tmp_path / "sedmKFaLa", tmp_path / "old.md"
    paper.write_text("edited")
    batch = {
        (watchfiles.Change.added, str(temporary)),
        (watchfiles.Change.modified, str(temporary)),
        (watchfiles.Change.deleted, str(temporary)),
        (watchfiles.Change.added, str(paper)),  # renamed over the old one
        (watchfiles.Change.deleted, str(paper)),
        (watchfiles.Change.deleted, str(deleted)),  # deleted by hand: a change to say
    }
    assert transient_files(batch) == {temporary}


def test_a_save_already_built_by_its_stamp_is_not_built_again_by_its_events(
    tmp_path: Path,
) -> None:
    """Found by CI: serve saw a replaced site.toml by its stamp and rebuilt, then its events
    came and it rebuilt again, so a second "changed: site.toml" stood for a save not made."""
    config, paper = tmp_path / "site.toml", tmp_path / "paper.md"
    config.write_text("old")
    paper.write_text("a paper")
    files = {config}
    before = file_stamps(files)
    config.with_name("site.toml.new").write_text("new")
    config.with_name("site.toml.new").replace(config)
    after = file_stamps(files)
    events = {
        (watchfiles.Change.deleted, str(config)),
        (watchfiles.Change.modified, str(config)),
    }
    assert changed_paths(set(), files, before, after) == {config}, "the stamp sees the save"
    assert changed_paths(events, files, after, after) == set(), "its late events add nothing"
    assert changed_paths(events, files, before, after) == {config}
    # Events name what stamps do not watch (a directory's files): those always count.
    with_paper = events | {(watchfiles.Change.modified, str(paper))}
    assert changed_paths(with_paper, files, after, after) == {paper}


def test_serve_says_a_failed_search_index_and_goes_on_when_no_one_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A review: the background index's error line was the one line of serve's not guarded
    against a terminal gone (its thread died on BrokenPipeError)."""
    from sitegen import serve as serve_module
    from sitegen.errors import BuildError

    def failing(out: Path, pending: object, *, indexed: int | None) -> str:
        raise BuildError("pagefind failed")

    monkeypatch.setattr(serve_module, "publish_after_pages", failing)
    preview = serve_module._Preview(tmp_path, tmp_path / "public", lambda: None)  # type: ignore[arg-type, return-value]
    report = build_report(search_index=object())
    preview.builds = 1
    preview._publish_index(report, 1)
    assert capsys.readouterr().err == "sitegen: error: pagefind failed\n"

    class Gone:
        def write(self, text: str) -> int:
            raise BrokenPipeError

        def flush(self) -> None:
            raise BrokenPipeError

    monkeypatch.setattr(sys, "stderr", Gone())
    preview._publish_index(report, 1)  # returns: the thread ends quietly


def test_ctrl_c_during_serves_first_build_stops_it_as_it_stops_a_build(
    tiny_built: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A review: moved out of cli.py, the first build's Ctrl-C was taken for one while serving:
    `stopped`, exit status 0, instead of `interrupted`, 130."""
    from sitegen import serve as serve_module
    from sitegen.cli import main

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(serve_module, "build_site", interrupted)
    assert main(["--root", str(tiny_built), "serve", "--port", "0"]) == 130
    out, err = capsys.readouterr()
    assert "stopped" not in out and err == "sitegen: interrupted; nothing was half-written\n"


def test_serve_names_the_base_url_it_built_with_and_a_slip_saved_meanwhile_stops_nothing(
    tiny_built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Review h8 of 5f279d1: the note read site.toml again after the first build. Saved while
    that build ran (40 s at 50,000 papers), a new base_url was said of a site built with the
    old one, and a slip in it (a build later would show it on the page, keeping the last good
    site) raised out of serve's first build: serve stopped, the good site unserved."""
    from sitegen import serve as serve_module
    from sitegen.errors import ConfigError

    config = load_config(tiny_built)
    reads = iter([config])

    def configured() -> Any:
        if (read := next(reads, None)) is not None:
            return read
        raise ConfigError("site.toml:3: bad TOML: saved with a slip while the build ran")

    preview = serve_module._Preview(tiny_built, tiny_built / "public", configured)
    preview._index_in_background = lambda report: None  # type: ignore[method-assign]
    assert preview.build() is None, "the first build succeeded: serve goes on"
    said = capsys.readouterr().out
    assert f"the feeds and their items link base_url, {config.base_url}, not" in said, said


def test_serve_frees_what_each_rebuild_left_so_a_day_of_edits_does_not_grow_it(
    tiny_built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Review h13: a day of edits under `sitegen serve` (a 10,000-paper site) grew its memory
    from 217 MiB to over 700 MiB in 20 minutes. Each build runs without the cycle collector,
    and its survivors are aged into the oldest generation, whose collection Python's own
    heuristic then never starts: every build's cycles stayed. A rebuild frees them."""
    from sitegen import serve as serve_module

    preview = serve_module._Preview(
        tiny_built, tiny_built / "public", lambda: load_config(tiny_built)
    )
    preview._index_in_background = lambda report: None  # type: ignore[method-assign]
    base = tiny_built / "templates" / "base.html"
    page = base.read_text(encoding="utf-8")
    counts = []
    for n in range(6):  # a template's edit: every page rendered again
        base.write_text(page.replace("Built with sitegen.", f"Built with sitegen. {n}"), "utf-8")
        outcome = preview.rebuild((base,))
        assert outcome.failure is None
        outcome.say()
        counts.append(len(gc.get_objects()))
    capsys.readouterr()
    assert counts[-1] - counts[1] < 1000, f"objects after each rebuild: {counts}"
