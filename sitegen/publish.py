"""The output edge: artifacts -> public/, whole or in part, never leaving it half-written.

A full build fills a fresh directory beside public/ and swaps it in (one atomic exchange of
the two directories on Linux; elsewhere two renames, repaired by the next build if cut between
them). An incremental build stages only the files whose bytes change and moves them in as one
transaction (see `transaction`). Either way a build that fails leaves the previous public/
whole, and a record of what each file was rendered from (`.public.outputs` beside it,
`sitegen.build_record`) tells the next build what it may keep.

A build replaces the files its output holds that it wrote, so it only builds into a directory
sitegen made (`sitegen.output_folder.check_output`): never the site, its sources, a git
working tree, or a user's files. Files a user put in a site it made (a CNAME, a .nojekyll) are
not in the record: every build keeps them as they are, and refuses to render a path one of
them holds (sitegen.others_files).

An output named `*.tar` is the site as one tar archive (`sitegen.archive`), written whole
beside the old one and renamed over it; its record holds where each file lies in it.
"""

from __future__ import annotations

import errno
import glob
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen import build_record, transaction, whole_files
from sitegen.build_record import UNKNOWN, Outputs, PreviousBuild
from sitegen.errors import BuildError, Location, reason_of
from sitegen.model import Artifact
from sitegen.others_files import carry_over, others_in, refuse_in_the_way, refuse_others
from sitegen.output_folder import (
    STAGING_FILES,
    is_archive,
    journal_file,
    record_file,
    safe_relative,
)

if TYPE_CHECKING:
    from sitegen.archive import Member


@dataclass(frozen=True, slots=True)
class PublishReport:
    files: int
    bytes: int

    def __add__(self, other: PublishReport) -> PublishReport:
        return PublishReport(files=self.files + other.files, bytes=self.bytes + other.bytes)


@contextmanager
def write_errors_reported(out: Path) -> Iterator[None]:
    """A site that cannot be written (a full disk, say) is one line, not a traceback; the
    previous site is whole either way (issue #19)."""
    try:
        yield
    except OSError as error:
        raise BuildError(
            f"cannot write the site: {reason_of(error)}",
            location=Location(str(error.filename or out)),
            hint="free some space or fix the permissions; the previous site is unchanged",
        ) from None


def remove_leftovers(public: Path) -> None:
    """Clear what killed builds left beside `public`: staging directories and their files;
    restore the last good site if a build was killed between the two renames of a swap; and
    complete a transaction killed past its commit point (drop one killed before it), which
    a full build too must do, or the next incremental one would apply it over the new site."""
    public = public.absolute()
    for stale in _made_beside(public, "staging"):
        if stale.is_dir() and not stale.is_symlink():
            remove_made_tree(stale)
        else:  # the job a build's workers read (sitegen.render)
            stale.unlink(missing_ok=True)
    for stale in _made_beside(public, "search"):
        # a search index being made outside the lock (search_index.publish_search_index), unless
        # the process making it is gone
        if not _running(int(stale.name.rpartition("-")[2])):
            remove_made_tree(stale)
    for stale in _made_beside(public, "old"):
        if os.path.lexists(public):
            remove_made_tree(stale)
        elif stale.is_dir() and not stale.is_symlink():  # killed between the two renames:
            stale.rename(public)  # the old site is the last good one (a link is not sitegen's)
    _recover(public)
    transaction.remove_probes(public)


def _recover(public: Path) -> None:
    """Complete a change to `public` committed by a build that did not end, or say in one line
    what keeps it from being completed (a review: a traceback at every later build)."""
    try:
        transaction.recover(public.parent, journal_file(public))
    except OSError as error:
        raise BuildError(
            f"cannot complete the interrupted change of {public.name}/: {reason_of(error)}"
            + (f" ({error.filename})" if error.filename else ""),
            location=Location(str(journal_file(public))),
            hint="fix that (space, permissions, a file put in its way), then build again: the"
            " change is completed then",
        ) from None


def _made_beside(public: Path, kind: str) -> list[Path]:
    """The `.<public>.<kind>-<pid>` entries beside `public` (and a staging directory's job
    files, or an archive's half-written next one): named as sitegen names them, so a user's
    `.www.old-backup` is left alone (found by a review: it was renamed into the site)."""
    files = STAGING_FILES if kind == "staging" else ""
    made = re.compile(rf"\.{re.escape(public.name)}\.{kind}-\d+{files}")
    # Escaped: an output named `site[1]` was a pattern that missed its own leftovers.
    pattern = f".{glob.escape(public.name)}.{kind}-*"
    return [path for path in public.parent.glob(pattern) if made.fullmatch(path.name)]


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def publish(
    write: Callable[[Path], PublishReport], public: Path, outputs: Outputs
) -> tuple[PublishReport, tuple[str, ...]]:
    """Have `write` fill a fresh directory beside `public`, then swap it in as `public`, with
    the files the last build did not write carried over untouched. The caller has cleared
    what killed builds left (`remove_leftovers`), under the lock.

    Returns what was written and the files kept (sitegen.others_files)."""
    public = public.absolute()
    staging = public.with_name(f".{public.name}.staging-{os.getpid()}")
    if is_archive(public):
        return _update_archive(write, public, outputs, previous=None)[0], ()
    # Every file the last record lists, of an older version too: none is a user's.
    recorded = build_record.recorded_paths(public)
    staging.mkdir(parents=True)
    try:
        report = write(staging)
        others = others_in(public, recorded, deep=True) if public.is_dir() else []
        # With no record it can read, sitegen cannot tell its files from others: a file at
        # a path it renders is taken as its own, every other one is kept.
        kept: list[str] = []
        for path in others:
            kept += carry_over(path, public, staging, overwrite=recorded is None)
        # A record is never missing beside a site (check_output), and lists every file
        # sitegen wrote there, or a later build would take them for a user's: the one
        # written before the swap lists the files of both sites (a rename keeps the mtimes
        # it holds), the one after it those of the new site alone.
        files = build_record.entries(outputs, {}, directory=staging)
        build_record.write_record(public, dict.fromkeys(recorded or (), UNKNOWN) | files)
        _swap(staging, public)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if recorded:
        build_record.write_record(public, files)
    return report, tuple(sorted(kept))


def update(
    write: Callable[[Path], PublishReport],
    public: Path,
    outputs: Outputs,
    *,
    previous: PreviousBuild,
    rendered: Iterable[str],
) -> tuple[PublishReport, int, frozenset[str]]:
    """Have `write` stage the `rendered` files whose bytes change, then move them into
    `public` and remove the files the site no longer has, all or nothing.

    Returns what was written, how many files were removed, and the files written (of an
    archive: none named, it is written whole).
    """
    public = public.absolute()
    if is_archive(public):
        return (*_update_archive(write, public, outputs, previous=previous), frozenset())
    journal = journal_file(public)
    _recover(public)
    staging = journal / "files" / public.name
    staging.mkdir(parents=True)
    try:
        report = write(staging)
        staged = {
            f"{public.name}/{path.relative_to(staging).as_posix()}": path
            for path in staging.rglob("*")
            if path.is_file()
        }
        removed = previous.recorded - outputs.keys()
        ways: set[str] = set()  # directories looked at: a page's way is its neighbours' too
        for path in sorted(outputs.keys() - previous.recorded):  # new: never over a user's file
            refuse_others(public, path, removed, ways)
        # Before the commit point: once committed, a move or delete that fails there fails
        # again in every later build's recovery.
        moved = {name.removeprefix(f"{public.name}/") for name in staged}
        for path in sorted(previous.recorded & moved | removed):
            refuse_in_the_way(public, path, ways)
        fresh = set(rendered)
        kept = {path: entry for path, entry in previous.files.items() if path not in fresh}
        files = build_record.entries(outputs, kept, directory=public, staged=staging)
    except BaseException:
        shutil.rmtree(journal, ignore_errors=True)
        raise
    delete = [f"{public.name}/{safe_relative(path)}" for path in sorted(removed)]
    # The new record is moved in with the files, in the same transaction: it lists the new
    # files as they are moved in (or a later build would take them for a user's), and is
    # written once, not before the moves and again after them (the rebuild budget, under
    # 2 s at 50k papers: each write of the record of 55,000 files took 0.05 to 0.1 s).
    record = {record_file(public).name: build_record.record_bytes(files)}
    transaction.commit(public.parent, journal, staged=staged, delete=delete, written=record)
    return report, len(delete), frozenset(moved)


def _update_archive(
    write: Callable[[Path], PublishReport],
    archive: Path,
    outputs: Outputs,
    *,
    previous: PreviousBuild | None,
) -> tuple[PublishReport, int]:
    """Have `write` stage files in a fresh directory, then write the archive of `outputs`
    beside `archive` (each file staged, or kept from `archive`) and rename it over it.

    Returns what was written and how many files of the previous archive were dropped."""
    # Only here: a build into a directory does without tarfile (imported when first needed).
    from sitegen.archive import write_archive  # noqa: PLC0415

    staging = archive.with_name(f".{archive.name}.staging-{os.getpid()}")
    fresh = staging.with_name(f"{staging.name}.tar")  # both cleared by remove_leftovers
    kept: dict[str, Member] = {}
    if previous is not None:
        recorded = build_record.read_archive_record(archive)
        # The record matched it when the build began (previous_build), and no sitegen writes
        # it meanwhile (output_folder.exclusive): another program did (a copy, a restore).
        if recorded is None:
            raise BuildError(
                "another program wrote it during the build, so its files could not be kept",
                location=Location(str(archive)),
                hint="run the build again",
            )
        kept = {path: (start, end) for path, (_, start, end) in previous.files.items()}
        kept |= recorded[1]
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        report = write(staging)
        members = write_archive(
            fresh, outputs, staged=staging, old=None if previous is None else archive, kept=kept
        )
        fresh.replace(archive)
    except BaseException:
        fresh.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    build_record.write_archive_record(archive, outputs, members)
    removed = 0 if previous is None else len(previous.recorded - outputs.keys())
    return report, removed


def write_artifacts(
    artifacts: Iterable[Artifact], directory: Path, *, unless_in: Path | None = None
) -> PublishReport:
    """Write artifacts under `directory` (several writers may share it: disjoint paths),
    except those whose bytes `unless_in` already holds at the same path."""
    files = total = 0
    made_dirs: set[str] = set()
    # Strings and os calls, not a Path per file: five times less CPU outside the kernel
    # (the cold-build budget: 0.3 CPU-s at 10k papers).
    root = os.fspath(directory)
    for artifact in artifacts:
        relative = safe_relative(artifact.path)
        if unless_in is not None and whole_files.holds(unless_in / relative, artifact.data):
            continue
        parent = relative.rpartition("/")[0]
        if parent not in made_dirs:
            os.makedirs(f"{root}/{parent}", exist_ok=True)  # noqa: PTH103 (see above)
            made_dirs.add(parent)
        with open(f"{root}/{relative}", "wb") as file:  # noqa: PTH123 (see above)
            file.write(artifact.data)
        files += 1
        total += len(artifact.data)
    return PublishReport(files=files, bytes=total)


def remove_made_tree(tree: Path) -> None:
    """Remove a tree sitegen made beside the site (a staging copy, the old site), folders made
    read-only in it too: a folder of public/ chmod 555 by hand stayed beside the site after a
    `--clean` build, and after every later one. Only folders inside `tree` are made writable,
    never the site's folder; what cannot be removed even so is left, as before."""
    try:
        shutil.rmtree(tree)
    except FileNotFoundError:
        return
    except OSError:
        if tree.is_symlink() or not tree.is_dir():  # not a tree sitegen made: left alone
            return
        folders = [tree]
        while folders:
            folder = folders.pop()
            with suppress(OSError):
                folder.chmod(0o700)
                folders += [p for p in folder.iterdir() if p.is_dir() and not p.is_symlink()]
        shutil.rmtree(tree, ignore_errors=True)


def _swap(staging: Path, public: Path) -> None:
    """Make `staging` the new `public`; at no moment is there no `public` (issue #15)."""
    if not os.path.lexists(public):
        staging.rename(public)
        return
    if _exchange(staging, public):
        remove_made_tree(staging)  # now the old site
        return
    # Two renames: a kill between them leaves no public/ until the next build restores it.
    old = public.with_name(f".{public.name}.old-{os.getpid()}")
    public.rename(old)
    staging.rename(public)
    remove_made_tree(old)


_AT_FDCWD, _RENAME_EXCHANGE = -100, 2  # from <fcntl.h> and <linux/fs.h>


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories in one atomic step: Linux's renameat2(RENAME_EXCHANGE), through
    ctypes. False where the system or the file system has no such call (macOS, old kernels)."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes  # noqa: PLC0415 (a full build's alone: imported when first needed)

    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:  # a libc older than glibc 2.28
        return False
    renameat2.argtypes = (
        ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint
    )  # fmt: skip
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False  # the kernel or this file system cannot exchange
    raise OSError(code, os.strerror(code), str(b))
