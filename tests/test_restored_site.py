"""The scheduled build from a restored cache (issue #17): publish.yml's job restores the
last deployed site, one tar archive (`artifact.tar`, the file GitHub Pages deploys), with its
record and .sitegen-cache/ into a fresh clone, as actions/cache does (tar, zstd), builds the
next archive from it, and uploads it as actions/upload-pages-artifact would. Whatever was
restored, the site it deploys is a cold build's, byte for byte: an older archive is brought up
to date, and an archive that differs from its record, or has none, is built again whole."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from sitegen.archive import write_archive
from tests.conftest import sitegen_here, tree_bytes
from tests.hf_server import Reply, running_hf
from tests.test_fetch import API_ANSWER
from tests.test_publish import JOB, _fork, _run_step, _step, _workflow

BASE_URL = "https://you.github.io/fork"
NEW_DAY = "2025-12-01"
ARCHIVE, RECORD = "artifact.tar", ".artifact.tar.outputs"
_ENV = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}


def _build_steps() -> list[dict[str, object]]:
    steps: list[dict[str, object]] = _workflow("publish.yml")["jobs"][JOB]["steps"]
    return steps


def _cached_paths() -> list[str]:
    (cache,) = [
        step["with"]
        for step in _build_steps()
        if str(step.get("uses", "")).startswith("actions/cache@")
    ]
    return str(cache["path"]).split()  # type: ignore[index]


def _save_cache(workspace: Path, archive: Path) -> None:
    """What actions/cache saves at the end of the job: its paths, tar'd and zstd'd."""
    present = [p for p in _cached_paths() if os.path.lexists(workspace / p)]
    subprocess.run(
        ["tar", "--posix", "-cf", str(archive), "-P", "-C", str(workspace)]
        + ["--use-compress-program", "zstdmt", *present],
        check=True,
    )


def _restore_cache(archive: Path, workspace: Path) -> None:
    subprocess.run(
        ["tar", "-xf", str(archive), "-P", "-C", str(workspace)]
        + ["--use-compress-program", "unzstd"],
        check=True,
    )


def _build(workspace: Path, base_url: str = BASE_URL) -> str:
    """The workflow's Build step; its output."""
    built = _run_step(_step(JOB, "Build"), workspace, BASE_URL=base_url)
    assert built.returncode == 0, built.stderr
    return built.stdout


def _deployed(workspace: Path, tmp_path: Path) -> dict[str, bytes]:
    """The files of the archive the upload step would send to Pages, extracted by GNU tar."""
    site = tmp_path / "deployed"
    site.mkdir()
    subprocess.run(["tar", "-xf", str(workspace / ARCHIVE), "-C", str(site)], check=True)
    return tree_bytes(site)


def _cold_build(workspace: Path, out: Path, base_url: str = BASE_URL) -> Path:
    """`sitegen build --clean` of the workspace into `out`: a directory, or NAME.tar (run here:
    the reference the job's own runs are held to)."""
    args = ["--root", str(workspace), "build", "--clean", "--base-url", f"{base_url}/"]
    built = sitegen_here(*args, "--out", str(out))
    assert built.returncode == 0, built.stderr
    return out


def _cold_site(workspace: Path, tmp_path: Path, base_url: str = BASE_URL) -> dict[str, bytes]:
    """The files of a cold build into a directory, as `sitegen build` makes public/."""
    return tree_bytes(_cold_build(workspace, tmp_path / "cold", base_url))


@pytest.fixture(scope="module")
def fetched_clone(
    tiny_build: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path, dict[str, bytes]]:
    """(a fresh clone of the fork after a new day was fetched and committed, the cache that the
    build before that day saved, the files of a cold build of that clone): made once for this
    file, each test restoring into its own copy (`restored`). The fork holds the tiny site:
    restoring, trusting and rebuilding hold for any content."""
    tmp_path = tmp_path_factory.mktemp("restored")
    fork = _fork(tmp_path / "fork", tiny_build / "content")
    _build(fork)
    archive = tmp_path / "cache.tar.zst"
    _save_cache(fork, archive)
    with running_hf() as (source, url):
        source.set(NEW_DAY, [Reply(200, API_ANSWER.replace(b"2025-10-31", NEW_DAY.encode()))])
        env = {"SITEGEN_FETCH_URL": url, "SINCE": NEW_DAY, "UNTIL": NEW_DAY}
        assert _run_step(_step(JOB, "Fetch"), fork, **env).returncode == 0
    assert "changed=true" in _run_step(_step(JOB, "Commit new content"), fork).stdout
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(fork), str(clone)], check=True)
    # Built in a copy: the clone stays as a clone is, without the caches a build leaves.
    cold = _cold_site(shutil.copytree(clone, tmp_path / "built-clone", symlinks=True), tmp_path)
    return clone, archive, cold


@pytest.fixture
def restored(
    fetched_clone: tuple[Path, Path, dict[str, bytes]], tmp_path: Path
) -> tuple[Path, Path]:
    """(a copy of `fetched_clone`'s clone, as fresh as a clone: new files, with their times,
    for this test to change; the cache to restore into it): the build job's state before its
    cache is restored."""
    clone, archive, _ = fetched_clone
    return shutil.copytree(clone, tmp_path / "clone", symlinks=True), archive


@pytest.fixture
def cold_site(fetched_clone: tuple[Path, Path, dict[str, bytes]]) -> dict[str, bytes]:
    """The files of a cold build (`sitegen build --clean`) of the clone's content, as
    `sitegen build` makes public/."""
    return fetched_clone[2]


def test_the_build_job_caches_the_deployed_archive_with_its_record_and_the_caches() -> None:
    assert _cached_paths() == [".sitegen-cache", RECORD, ARCHIVE]
    assert f"--out {ARCHIVE}" in _step(JOB, "Build")


def test_the_upload_is_the_one_upload_pages_artifact_makes() -> None:
    """actions/upload-pages-artifact tars the directory into artifact.tar, then runs
    actions/upload-artifact with these inputs; deploy-pages takes the artifact by name."""
    (upload,) = [s for s in _build_steps() if s.get("name") == "Upload artifact"]
    assert upload["uses"] == "actions/upload-artifact@v6"
    assert upload["with"] == {
        "name": "github-pages",
        "path": ARCHIVE,
        "retention-days": 1,
        "if-no-files-found": "error",
        "overwrite": True,  # a run re-run whole uploads it again
    }
    assert [s.get("uses") for s in _build_steps()][-1] == "actions/upload-artifact@v6"


def test_the_archive_holds_files_and_their_directories_only_as_tar_names_them(
    restored: tuple[Path, Path], tmp_path: Path, cold_site: dict[str, bytes]
) -> None:
    """What Pages accepts: files and directories, no links; each directory before its files.
    (The archive the job writes from the restored one has a cold build's bytes: the test
    below.)"""
    clone, cache = restored
    _restore_cache(cache, clone)
    _build(clone)
    with tarfile.open(clone / ARCHIVE) as archive:
        members = archive.getmembers()
    assert members[0].name == "." and members[0].isdir()  # tarfile reads "./" as "."
    seen = {"."}
    for member in members[1:]:
        assert member.name.startswith("./") and (member.isfile() or member.isdir()), member.name
        assert member.name.rpartition("/")[0] in seen, f"{member.name} before its directory"
        seen.add(member.name)
    assert _deployed(clone, tmp_path) == cold_site


def test_a_restored_older_archive_is_brought_up_to_date_with_a_cold_builds_bytes(
    restored: tuple[Path, Path], tmp_path: Path, cold_site: dict[str, bytes]
) -> None:
    clone, archive = restored
    _restore_cache(archive, clone)
    output = _build(clone)
    assert "the rest were up to date" in output, "the restored archive was used, not rebuilt"
    deployed = _deployed(clone, tmp_path)
    assert "Agentic Reinforcement Learning for Tool Use" in deployed[
        f"days/{NEW_DAY}/index.html"
    ].decode("utf-8")
    assert deployed == cold_site
    # The archive itself is the one a cold build writes, byte for byte.
    cold_archive = _cold_build(clone, tmp_path / "cold.tar")
    assert (clone / ARCHIVE).read_bytes() == cold_archive.read_bytes()


@pytest.mark.parametrize("damage", ["cut short", "edited"])
def test_a_restored_archive_that_differs_from_its_record_is_built_whole(
    restored: tuple[Path, Path], tmp_path: Path, cold_site: dict[str, bytes], damage: str
) -> None:
    clone, archive = restored
    _restore_cache(archive, clone)
    site = clone / ARCHIVE
    data = site.read_bytes()
    if damage == "cut short":  # as by a restore cut short
        site.write_bytes(data[: len(data) // 2])
    else:  # the same size, another mtime
        site.write_bytes(data.replace(b"<title>", b"<title>X", 1)[: len(data)])
    output = _build(clone)
    assert "a full build" in output
    assert _deployed(clone, tmp_path) == cold_site


def test_a_restored_archive_without_its_record_is_built_whole(
    restored: tuple[Path, Path], tmp_path: Path, cold_site: dict[str, bytes]
) -> None:
    """A restore cut short before the record: sitegen would refuse the archive as a file it
    did not write; the Build step drops it and builds the site whole."""
    clone, archive = restored
    _restore_cache(archive, clone)
    (clone / RECORD).unlink()
    refused = subprocess.run(
        ["sitegen", "--root", str(clone), "build", "--base-url", f"{BASE_URL}/"]
        + ["--out", ARCHIVE],
        capture_output=True,
        text=True,
        env=_ENV,
        cwd=clone,
    )
    assert refused.returncode == 2 and "did not write" in refused.stderr
    output = _build(clone)
    assert "a full build" in output
    assert _deployed(clone, tmp_path) == cold_site


def test_a_failed_build_keeps_the_last_archive_and_its_record(
    restored: tuple[Path, Path], tmp_path: Path, cold_site: dict[str, bytes]
) -> None:
    """Nothing of the cached site is lost when the build step fails (a broken template): the
    job stops, and the next build is still incremental from the same archive."""
    clone, archive = restored
    _restore_cache(archive, clone)
    before = (clone / ARCHIVE).read_bytes(), (clone / RECORD).read_bytes()
    page = clone / "templates" / "day.html"
    page.write_text(page.read_text() + "{% broken %}")
    failed = _run_step(_step(JOB, "Build"), clone, BASE_URL=BASE_URL)
    assert failed.returncode != 0
    assert ((clone / ARCHIVE).read_bytes(), (clone / RECORD).read_bytes()) == before
    assert sorted(p.name for p in clone.glob(".artifact.tar.staging-*")) == []
    subprocess.run(["git", "checkout", "-q", "templates"], cwd=clone, check=True)
    assert "the rest were up to date" in _build(clone)
    assert _deployed(clone, tmp_path) == cold_site


def test_a_site_restored_for_another_base_url_is_rendered_again_whole(
    restored: tuple[Path, Path], tmp_path: Path
) -> None:
    """A fork renamed (its Pages URL changed): every output's key differs, nothing is kept."""
    clone, archive = restored
    _restore_cache(archive, clone)
    renamed = "https://you.github.io/renamed"
    output = _build(clone, renamed)
    assert output.split("\n")[1].startswith("  all "), output  # "all N files rendered, ..."
    assert "files rendered, " in output.split("\n")[1] and "a full build" not in output
    assert _deployed(clone, tmp_path) == _cold_site(clone, tmp_path, renamed)


def test_an_archive_written_from_the_last_one_is_the_cold_ones_bytes(tmp_path: Path) -> None:
    """The next archive copies what it keeps from the last one: after files changed, were
    added (in a new directory too) and removed, it is the archive written from scratch, and
    GNU tar gives back every file."""
    before = {"index.html": b"home", "a/x.html": b"x" * 700, "a/y/z.html": b"z", "b/q.txt": b""}
    after = {**before, "a/y/z.html": b"zz", "a/w/v.html": b"new", "c.html": b"c"}
    del after["b/q.txt"]

    def staged(files: dict[str, bytes], name: str) -> Path:
        directory = tmp_path / name
        for path, data in files.items():
            (directory / path).parent.mkdir(parents=True, exist_ok=True)
            (directory / path).write_bytes(data)
        return directory

    old = tmp_path / "old.tar"
    kept = write_archive(old, before, staged=staged(before, "all-before"))
    changed = {p: after[p] for p in ("a/y/z.html", "a/w/v.html", "c.html")}
    write_archive(
        tmp_path / "next.tar", after, staged=staged(changed, "changed"), old=old, kept=kept
    )
    write_archive(tmp_path / "cold.tar", after, staged=staged(after, "all-after"))
    assert (tmp_path / "next.tar").read_bytes() == (tmp_path / "cold.tar").read_bytes()
    extracted = tmp_path / "extracted"
    extracted.mkdir()
    subprocess.run(["tar", "-xf", str(tmp_path / "next.tar"), "-C", str(extracted)], check=True)
    assert tree_bytes(extracted) == {str(Path(p)): data for p, data in after.items()}


# How copy_file_range says it cannot: across file systems, not in the kernel, not supported.
_REFUSALS = {"EXDEV": errno.EXDEV, "ENOSYS": errno.ENOSYS, "EOPNOTSUPP": errno.EOPNOTSUPP}


@pytest.mark.parametrize("kernel", ["copy_file_range", "no copy_file_range", *_REFUSALS])
def test_a_run_of_kept_members_larger_than_one_write_is_copied_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kernel: str
) -> None:
    """The kept members are copied in runs, in pieces where a run is larger than one copy
    takes: on a system without copy_file_range (macOS, a fork owner's build) each piece is
    1 MiB. Each piece must start where the last one ended, or the archive repeats its first
    megabyte (h14: a mutant that never moved on past the first piece survived). Where the
    kernel refuses copy_file_range, the copy goes on by read and write (h14: a mutant that
    failed the build there survived: this machine's kernel never refuses it)."""
    if kernel == "no copy_file_range":
        monkeypatch.delattr(os, "copy_file_range", raising=False)
    elif kernel in _REFUSALS:  # a file system or kernel without it: copied by read and write

        def refused(*args: object) -> int:
            raise OSError(_REFUSALS[kernel], os.strerror(_REFUSALS[kernel]))

        monkeypatch.setattr(os, "copy_file_range", refused, raising=False)
    files = {"big/a.bin": os.urandom(1_500_000), "big/b.bin": os.urandom(900_000), "c.html": b"c"}
    staged = tmp_path / "staged"
    for path, data in files.items():
        (staged / path).parent.mkdir(parents=True, exist_ok=True)
        (staged / path).write_bytes(data)
    old = tmp_path / "old.tar"
    kept = write_archive(old, files, staged=staged)
    changed = tmp_path / "changed"
    changed.mkdir()
    (changed / "c.html").write_bytes(b"cc")
    after = {**files, "c.html": b"cc"}
    write_archive(tmp_path / "next.tar", after, staged=changed, old=old, kept=kept)
    extracted = tmp_path / "extracted"
    extracted.mkdir()
    subprocess.run(["tar", "-xf", str(tmp_path / "next.tar"), "-C", str(extracted)], check=True)
    assert tree_bytes(extracted) == {str(Path(p)): data for p, data in after.items()}


@pytest.mark.parametrize("kernel", ["copy_file_range", "no copy_file_range"])
def test_a_kept_member_past_the_end_of_the_last_archive_is_an_error_not_a_hang(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kernel: str
) -> None:
    """A record that places a kept member past the end of the last archive (one cut short
    under it) stops the build with an error: copying on from the end reads nothing, and the
    copy never got further (h14: dropping that check survived; a scheduled run would hang)."""
    if kernel == "no copy_file_range":
        monkeypatch.delattr(os, "copy_file_range", raising=False)
    staged = tmp_path / "staged"
    staged.mkdir()
    (staged / "a.html").write_bytes(b"a")
    old = tmp_path / "old.tar"
    kept = write_archive(old, ["a.html"], staged=staged)
    size = old.stat().st_size
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(OSError, match="shorter than its record says"):
        write_archive(
            tmp_path / "next.tar",
            ["a.html"],
            staged=empty,
            old=old,
            kept={**kept, "a.html": (size, size + 1024)},
        )
