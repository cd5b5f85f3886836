"""The scheduled build from a restored cache (issue #17): publish.yml's build job restores the
last deployed public/ with its record and .sitegen-cache/ into a fresh clone, as actions/cache
does (tar, zstd), and builds. Whatever was restored, the site it deploys is a cold build's,
byte for byte: an older site is brought up to date, and files that differ from the record
(edited, cut short, missing) or a site without its record are made again, never trusted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import tree_bytes
from tests.hf_server import FaultyHF, Reply
from tests.test_fetch import API_ANSWER
from tests.test_publish import _run_step, _step, _workflow
from tests.test_publish import small_scratch_repo as small_scratch_repo  # the fixture, here

BASE_URL = "https://you.github.io/fork"
NEW_DAY = "2025-12-01"
_ENV = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}


def _cached_paths() -> list[str]:
    (cache,) = [
        step["with"]
        for step in _workflow("publish.yml")["jobs"]["build"]["steps"]
        if step.get("uses", "").startswith("actions/cache@")
    ]
    return str(cache["path"]).split()


def _save_cache(workspace: Path, archive: Path) -> None:
    """What actions/cache saves at the end of the build job: its paths, tar'd and zstd'd."""
    present = [p for p in _cached_paths() if os.path.lexists(workspace / p)]
    subprocess.run(
        ["tar", "--posix", "-cf", str(archive), "-P", "-C", str(workspace)]
        + ["--use-compress-program", "zstdmt", *present],
        check=True,
    )


def _restore_cache(archive: Path, workspace: Path) -> None:
    subprocess.run(
        [
            "tar",
            "-xf",
            str(archive),
            "-P",
            "-C",
            str(workspace),
            "--use-compress-program",
            "unzstd",
        ],
        check=True,
    )


def _build(workspace: Path, base_url: str = BASE_URL) -> str:
    """The workflow's Build step; its output."""
    built = _run_step(_step("build", "Build"), workspace, BASE_URL=base_url)
    assert built.returncode == 0, built.stderr
    return built.stdout


def _cold_build(workspace: Path, tmp_path: Path, base_url: str = BASE_URL) -> dict[str, bytes]:
    cold = tmp_path / "cold"
    subprocess.run(
        ["sitegen", "--root", str(workspace), "build", "--clean"]
        + ["--base-url", f"{base_url}/", "--out", str(cold)],
        check=True,
        capture_output=True,
        env=_ENV,
    )
    return tree_bytes(cold)


@pytest.fixture
def restored(
    hf: tuple[FaultyHF, str],
    small_scratch_repo: Path,
    tmp_path: Path,
) -> tuple[Path, Path]:
    """(a fresh clone of the fork after a new day was fetched and committed, the cache that the
    build before that day saved): the build job's state before its cache is restored. The fork
    holds the small site: restoring, trusting and rebuilding hold for any content."""
    _build(small_scratch_repo)
    archive = tmp_path / "cache.tar.zst"
    _save_cache(small_scratch_repo, archive)
    source, url = hf
    source.set(NEW_DAY, [Reply(200, API_ANSWER.replace(b"2025-10-31", NEW_DAY.encode()))])
    env = {"SITEGEN_FETCH_URL": url, "SINCE": NEW_DAY, "UNTIL": NEW_DAY}
    assert _run_step(_step("fetch", "Fetch"), small_scratch_repo, **env).returncode == 0
    assert (
        "changed=true" in _run_step(_step("fetch", "Commit new content"), small_scratch_repo).stdout
    )
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(small_scratch_repo), str(clone)], check=True)
    return clone, archive


def test_the_build_job_caches_the_deployed_site_with_its_record_and_the_caches() -> None:
    assert _cached_paths() == [".sitegen-cache", ".public.outputs", "public"]


def test_a_restored_older_site_is_brought_up_to_date_with_a_cold_builds_bytes(
    restored: tuple[Path, Path], tmp_path: Path
) -> None:
    clone, archive = restored
    _restore_cache(archive, clone)
    output = _build(clone)
    assert "the rest were up to date" in output, "the restored site was used, not rebuilt"
    day = (clone / "public" / "days" / NEW_DAY / "index.html").read_text()
    assert "Agentic Reinforcement Learning for Tool Use" in day
    assert tree_bytes(clone / "public") == _cold_build(clone, tmp_path)


def test_restored_files_that_differ_from_the_record_are_made_again(
    restored: tuple[Path, Path], tmp_path: Path
) -> None:
    clone, archive = restored
    _restore_cache(archive, clone)
    public = clone / "public"
    edited, cut_short, missing = sorted(public.glob("papers/*/index.html"))[:3]
    data = edited.read_bytes()
    edited.write_bytes(data.replace(b"<title>", b"<title>X", 1)[: len(data)])  # same size
    cut_short.write_bytes(cut_short.read_bytes()[:100])  # as by a restore cut short
    missing.unlink()
    output = _build(clone)
    assert "the rest were up to date" in output
    assert tree_bytes(public) == _cold_build(clone, tmp_path)


def test_a_restored_site_without_its_record_is_built_whole(
    restored: tuple[Path, Path], tmp_path: Path
) -> None:
    """A restore cut short before the record: sitegen would refuse public/ as a directory it
    did not build; the Build step drops it and builds the site whole."""
    clone, archive = restored
    _restore_cache(archive, clone)
    (clone / ".public.outputs").unlink()
    for page in sorted((clone / "public").rglob("*.html"))[::2]:
        page.unlink()
    refused = subprocess.run(
        ["sitegen", "--root", str(clone), "build", "--base-url", f"{BASE_URL}/"],
        capture_output=True,
        text=True,
        env=_ENV,
    )
    assert refused.returncode == 2 and "did not build" in refused.stderr
    output = _build(clone)
    assert "a full build" in output
    assert tree_bytes(clone / "public") == _cold_build(clone, tmp_path)


def test_a_site_restored_for_another_base_url_is_rendered_again_whole(
    restored: tuple[Path, Path], tmp_path: Path
) -> None:
    """A fork renamed (its Pages URL changed): every output's key differs, nothing is kept."""
    clone, archive = restored
    _restore_cache(archive, clone)
    renamed = "https://you.github.io/renamed"
    output = _build(clone, renamed)
    rendered, files = (int(n) for n in output.split("\n")[1].split()[:3:2])
    assert rendered == files
    assert tree_bytes(clone / "public") == _cold_build(clone, tmp_path, renamed)
