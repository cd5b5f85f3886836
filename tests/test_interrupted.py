"""kill -9 at every phase (issue #15): ingest and build are killed with -9 once in each phase
of their runs: the files written but not committed, committed but not moved in, half moved in
(and the next run's recovery killed halfway too), moved in but the record not rewritten; the
worker processes rendering, the pages rendered before the swap, swapped in. Each kill falls
where it is aimed (tests/killed_at.py), not at a timed moment that a loaded machine moves.
After each, content/ or public/ is the old state or the new one, whole, or the run died past
its commit point; no process of the killed run is left; and the next run gives exactly what an
uninterrupted one gives: for the ingest, one ingest of every listing; for the incremental
build, a clean build."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen import transaction
from sitegen.cli import main
from tests.conftest import REPO, TINY_PER_DAY, assert_group_ends, small_listings
from tests.hf_server import FaultyHF

OLD, NEW, COMMITTED = "the old state", "the new state", "past its commit point"
WORKERS = ("--jobs", "2")  # worker processes render, even for a site this small
# Each phase: what it is, the kill point of each run killed in turn (tests/killed_at.py), the
# state the kill leaves, and the killed runs' flags. The points: a transaction's commit
# (`sitegen.transaction.commit`, whose manifest's rename is the commit point) and completion
# (`_complete`, also the next run's recovery), a full build's swap (`sitegen.publish._swap`).
INGEST_PHASES = (
    ("the files written, not committed", ["sitegen.transaction._make_durable:1:leave"], OLD, ()),
    ("committed, nothing moved in", ["sitegen.transaction._complete:1:enter"], COMMITTED, ()),
    (
        "half moved in, and half of the rest by the next run's recovery",
        ["sitegen.transaction._complete:1:halfway"] * 2,
        COMMITTED,
        (),
    ),
)
UPDATE_PHASES = (  # an incremental build of a new day
    ("the pages staged, not committed", ["sitegen.transaction.commit:1:enter"], OLD, WORKERS),
    (
        "half the pages moved in, and half of the rest by the next run's recovery",
        ["sitegen.transaction._complete:1:halfway"] * 2,
        COMMITTED,
        (),
    ),
    ("moved in with the record", ["sitegen.transaction.commit:1:leave"], NEW, ()),
)
FULL_PHASES = (  # a clean build over the site
    # The third of its stages in the workers renders the pages (the first two read the
    # papers): killed when the first pages are back, the workers at work on the others.
    ("the workers rendering", ["sitegen.workers.Workers.map_chunks:3:yielded"], OLD, WORKERS),
    ("the pages rendered, before the swap", ["sitegen.publish._swap:1:enter"], OLD, ()),
    ("swapped in, the record not rewritten", ["sitegen.publish._swap:1:leave"], NEW, ()),
)


def _tree_digest(root: Path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digest.update(f"{path.relative_to(root)}\0".encode())
            digest.update(hashlib.blake2b(path.read_bytes(), digest_size=16).digest())
    return digest.hexdigest() if root.exists() else "missing"


def _restore(snapshot: Path, site: Path) -> None:
    """`site` as `snapshot` is, with its files' times (the build record holds)."""
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(snapshot, site, symlinks=True)


def _under_fire(
    site: Path,
    command: list[str],
    phases: tuple[tuple[str, list[str], str, tuple[str, ...]], ...],
    *,
    tree: Path,
    journal: Path,
) -> str:
    """For each phase, from the site as it is now: run `command`, killed at the phase's points
    one run after another; check the state each kill leaves; then run it to its end, which
    gives the uninterrupted run's state. Returns that state's digest; the site is left in it."""
    before = site.with_name(f"{site.name}-before")
    _restore(site, before)
    old = _tree_digest(tree)
    assert main(["--root", str(site), *command]) == 0
    new = _tree_digest(tree)
    assert new != old, f"{command} changed nothing: its kills would prove nothing"
    for phase, points, leaves, flags in phases:
        _restore(before, site)
        for point in points:
            run = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tests.killed_at",
                    point,
                    "--root",
                    str(site),
                    *command,
                    *flags,
                ],
                cwd=REPO,
                start_new_session=True,  # its own process group: the run and its workers
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            assert run.wait() == -9, f"{command} ran past {phase}: the kill missed it"
            assert_group_ends(run.pid, within=3, start_up=60)
            state = {old: OLD, new: NEW}.get(_tree_digest(tree), "a mix")
            if (journal / "manifest.json").is_file():
                state = COMMITTED
            assert state == leaves, f"{command} killed with {phase}: {tree.name}/ is {state}"
        assert main(["--root", str(site), *command]) == 0
        assert _tree_digest(tree) == new, f"{command} after a kill with {phase}"
        assert not journal.exists(), f"{command} after a kill with {phase}"
    shutil.rmtree(before)
    return new


def test_kill_9_at_every_phase_leaves_the_old_or_the_new_state_whole(
    site: Path, tmp_path: Path
) -> None:
    *days, new_day = small_listings(tmp_path / "listings", TINY_PER_DAY)
    assert main(["--root", str(site), "ingest", *map(str, days)]) == 0
    assert main(["--root", str(site), "build"]) == 0
    content, public = site / "content", site / "public"

    ingested = _under_fire(
        site,
        ["ingest", str(new_day)],
        INGEST_PHASES,
        tree=content,
        journal=site / ".sitegen-txn",
    )
    reference = tmp_path / "reference"
    reference.mkdir()
    shutil.copy(site / "site.toml", reference / "site.toml")
    assert main(["--root", str(reference), "ingest", *map(str, days), str(new_day)]) == 0
    assert ingested == _tree_digest(reference / "content"), "one uninterrupted ingest's"

    # Both builds from the site with the new day ingested, its pages not yet built.
    ingested_site = tmp_path / "ingested"
    _restore(site, ingested_site)
    builds = {"tree": public, "journal": site / ".public.journal"}
    full = _under_fire(site, ["build", "--clean"], FULL_PHASES, **builds)
    _restore(ingested_site, site)
    updated = _under_fire(site, ["build"], UPDATE_PHASES, **builds)
    assert updated == full, "the incremental build gives the bytes of a clean one"


@pytest.mark.parametrize(
    "point", ["sitegen.transaction._remove:1:enter", "sitegen.transaction._complete:1:halfway"]
)
@pytest.mark.parametrize("flip", ["file to folder", "folder to file"])
def test_a_build_killed_as_a_file_of_static_becomes_a_folder_is_completed_by_the_next(
    tiny_built: Path, tmp_path: Path, flip: str, point: str
) -> None:
    """A review: a completion interrupted after it had removed what was in a move's way, done
    again, stopped on the folder (or the file) moved in there, at every later build."""
    static = tiny_built / "static"
    if flip == "file to folder":
        static.mkdir()
        (static / "x").write_text("a file\n")
    else:
        (static / "x").mkdir(parents=True)
        (static / "x" / "a.txt").write_text("in a folder\n")
    assert main(["--root", str(tiny_built), "build"]) == 0
    shutil.rmtree(static / "x") if flip == "folder to file" else (static / "x").unlink()
    if flip == "file to folder":
        (static / "x").mkdir()
        (static / "x" / "y.txt").write_text("in a folder now\n")
    else:
        (static / "x").write_text("a file now\n")
    run = subprocess.run(
        [sys.executable, "-m", "tests.killed_at", point, "--root", str(tiny_built), "build"],
        cwd=REPO,
        capture_output=True,
        check=False,
    )
    assert run.returncode == -9, run.stderr
    assert (tiny_built / ".public.journal" / "manifest.json").is_file(), "killed once committed"
    assert main(["--root", str(tiny_built), "build"]) == 0
    cold = tmp_path / "cold"
    assert main(["--root", str(tiny_built), "build", "--clean", "--out", str(cold)]) == 0
    assert _tree_digest(tiny_built / "public") == _tree_digest(cold)


def test_ctrl_c_while_a_committed_ingest_is_moved_in_waits_for_it_to_be_whole(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by a review: Ctrl-C after the commit point left the change for the next command to
    complete, said "nothing was half-written", and a file edited by hand in between was
    overwritten by that completion. Now the change is moved in whole first, and said so."""
    real_complete = transaction._complete

    def interrupted(root: Path, journal: Path) -> None:
        os.kill(os.getpid(), signal.SIGINT)  # as a terminal's Ctrl-C, to this process
        real_complete(root, journal)

    monkeypatch.setattr(transaction, "_complete", interrupted)
    # Ctrl-C's default action, as at a terminal: a runner started in the background (`pytest &`)
    # ignores SIGINT, and a process that ignores it rightly goes on.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    listings = small_listings(site.parent / "listings", TINY_PER_DAY)
    try:
        assert main(["--root", str(site), "ingest", *map(str, listings)]) == 130
    finally:
        signal.signal(signal.SIGINT, previous)
    assert "interrupted after its changes were made, all of them" in capsys.readouterr().err
    assert not (site / ".sitegen-txn").exists(), "nothing left to complete"
    monkeypatch.setattr(transaction, "_complete", real_complete)
    whole = _tree_digest(site / "content")
    assert main(["--root", str(site), "ingest", *map(str, listings)]) == 0
    assert _tree_digest(site / "content") == whole, "every change was made"


def test_a_process_that_stops_waits_for_a_change_another_thread_is_moving_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found by a review: Ctrl-C stopped `sitegen serve` while its thread moved the search
    index in, and the next run had the change to complete. A stopping process now waits."""
    import threading
    import time

    real_complete = transaction._complete
    started = threading.Event()

    def slow(root: Path, journal: Path) -> None:
        started.set()
        time.sleep(0.5)
        real_complete(root, journal)

    monkeypatch.setattr(transaction, "_complete", slow)
    root = tmp_path / "site"
    root.mkdir()
    thread = threading.Thread(
        target=transaction.commit,
        args=(root, tmp_path / "journal"),
        kwargs={"staged": {}, "written": {f"page{n}.html": b"x" for n in range(5)}},
    )
    thread.start()
    assert started.wait(10)
    transaction.no_more_changes()
    try:
        assert sorted(p.name for p in root.iterdir()) == [f"page{n}.html" for n in range(5)]
        assert not (tmp_path / "journal").exists(), "moved in whole before the stop"
    finally:
        transaction._APPLYING.release()  # for the tests after this one, in this process
        thread.join()


@pytest.mark.parametrize("command", ["ingest", "fetch"])
def test_the_listing_after_a_killed_one_is_taken_whole_and_both_are_kept(
    site: Path, tmp_path: Path, hf: tuple[FaultyHF, str], command: str
) -> None:
    """A review: a run killed once its write was committed left a journal that the next run's
    merge completed, but that run had chosen its kept listing's name (and read the fetch
    state) before: the killed run's name, so its bigger listing of the same day was taken
    for the one the day had, its 5 new papers never arrived, and the first listing's bytes
    were written over."""
    answer = json.loads(
        (REPO / "tests" / "fixtures" / "hf-real" / "api-2026-06-12.json").read_bytes()
    )
    first, whole = json.dumps(answer[:25]).encode(), json.dumps(answer).encode()
    (tmp_path / "first.json").write_bytes(first)
    (tmp_path / "whole.json").write_bytes(whole)
    source, url = hf
    source.serve_answer("2026-06-12", first)
    killed = ["ingest", "--date", "2026-06-12", str(tmp_path / "first.json")]
    rerun = ["ingest", str(tmp_path / "whole.json")]
    if command == "fetch":
        killed = rerun = ["fetch", "--date", "2026-06-12", "--base-url", url]
    run = subprocess.run(
        [sys.executable, "-m", "tests.killed_at", "sitegen.transaction._complete:1:enter",
         "--root", str(site), *killed],
        cwd=REPO, capture_output=True, check=False,
    )  # fmt: skip
    assert run.returncode == -9, run.stderr
    assert (site / ".sitegen-txn" / "manifest.json").is_file(), "killed once committed"
    source.serve_answer("2026-06-12", whole)
    assert main(["--root", str(site), *rerun]) == 0
    papers = list((site / "content" / "papers").glob("*.md"))
    assert len(papers) == 30, "the 5 papers only the second listing holds"
    listings = sorted((site / "content" / "listings").iterdir())
    assert [p.name for p in listings] == ["2026-06-12-2.json", "2026-06-12.json"]
    assert listings[1].read_bytes() == first, "the first listing kept as it came"


def test_a_file_edited_after_a_killed_runs_commit_is_not_overwritten_by_its_completion(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A review: an ingest killed once its write was committed looked as if it had changed
    nothing; a title corrected by hand then was put back by the next command, without a word."""
    answer = json.loads(
        (REPO / "tests" / "fixtures" / "hf-real" / "api-2026-06-12.json").read_bytes()
    )
    assert (
        main(
            [
                "--root",
                str(site),
                "ingest",
                "--date",
                "2026-06-12",
                str(_written(tmp_path / "a.json", answer)),
            ]
        )
        == 0
    )
    for entry in answer:
        entry["paper"]["upvotes"] += 100
    later = _written(tmp_path / "b.json", answer)
    run = subprocess.run(
        [sys.executable, "-m", "tests.killed_at", "sitegen.transaction._complete:1:enter",
         "--root", str(site), "ingest", "--date", "2026-06-12", str(later)],
        cwd=REPO, capture_output=True, check=False,
    )  # fmt: skip
    assert run.returncode == -9, run.stderr
    # A copy of the site (new inodes and times), a touch: no edit, and the write is completed.
    copy = shutil.copytree(site, tmp_path / "copy", symlinks=True)
    for path in (copy / "content" / "papers").iterdir():
        path.touch()
    assert main(["--root", str(copy), "build"]) == 0
    assert not (copy / ".sitegen-txn").exists()
    # A journal of the commit before 87eeeb3, which held inodes, sizes and mtimes, or "was" of
    # no digests at all: unknown, so completed (a review: every file was taken for edited, and
    # a string or a list was a traceback on every command).
    held = json.loads((site / ".sitegen-txn" / "manifest.json").read_bytes())
    for number, was in enumerate(
        ({rel: [1, 2, 3] for rel in held["was"]}, "abc", [1], {rel: "x" for rel in held["was"]})
    ):
        older = shutil.copytree(site, tmp_path / f"older-{number}", symlinks=True)
        (older / ".sitegen-txn" / "manifest.json").write_text(json.dumps({**held, "was": was}))
        assert main(["--root", str(older), "build"]) == 0, was
    papers = [site / "content" / "papers" / f"{entry['paper']['id']}.md" for entry in answer[:4]]
    paper = papers[0]
    edited = paper.read_text().replace('title = "', 'title = "My Corrected Title: ', 1)
    paper.write_text(edited)
    capsys.readouterr()
    assert main(["--root", str(site), "build"]) == 2
    err = capsys.readouterr().err
    written = len(json.loads((site / ".sitegen-txn" / "manifest.json").read_bytes())["move"])
    assert err == (
        f"sitegen: error: {site}/.sitegen-txn: content/papers/{paper.name} changed after a write"
        f" of {written} file{'' if written == 1 else 's'} was committed and cut short (a run"
        " killed at its end):"
        " completing it would overwrite it\n  hint: move your version of it elsewhere and run"
        " the command again: it completes the write; then bring your changes back into it\n"
    ), err
    for other in papers[1:]:  # each named, however many (a review: three, "and 1 more")
        other.write_text(other.read_text() + "Edited.\n")
    assert main(["--root", str(site), "build"]) == 2
    said = capsys.readouterr().err.splitlines()[0]
    assert all(f"content/papers/{p.name}" in said for p in papers) and "more" not in said
    assert paper.read_text() == edited and not (site / "public").exists()
    for number, moved in enumerate(papers):  # as the hint says
        moved.rename(tmp_path / f"mine-{number}.md")
    assert main(["--root", str(site), "build"]) == 0
    assert f"upvotes = {answer[0]['paper']['upvotes']}" in paper.read_text(), "the write whole"


def _written(path: Path, answer: object) -> Path:
    path.write_text(json.dumps(answer))
    return path
