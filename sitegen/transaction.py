"""All-or-nothing changes to many files: stage them, commit a manifest, then apply.

The manifest's atomic rename is the commit point. A run interrupted before it leaves the tree
untouched; one interrupted after it is completed by the next run (`recover`). The content store
and the incremental build of public/ both change thousands of files this way.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import signal
import stat
import threading
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from sitegen.errors import Location, SitegenError, first_of, reason_of
from sitegen.mounts import mount_points, mounts_under
from sitegen.urls import slash_places
from sitegen.whole_files import write_atomic
from sitegen.wording import counted


def commit(
    root: Path,
    journal: Path,
    *,
    staged: Mapping[str, Path],
    delete: Iterable[str] = (),
    written: Mapping[str, bytes] = {},
    edited_by_hand: bool = False,
) -> None:
    """Move `staged` files (already inside `journal`/files, path under root -> file) and
    `written` bytes into place under `root`, and remove `delete`, as one transaction. Where
    files are `edited_by_hand` (content/), a file changed after the commit point is not
    overwritten by the completion of a run killed there (`recover` refuses it instead)."""
    files = journal / "files"
    files.mkdir(parents=True, exist_ok=True)
    moves = [(rel, str(source.relative_to(files))) for rel, source in staged.items()]
    writes = []
    for rel, data in written.items():
        name = f"w{len(moves)}"
        writes.append((files / name, data))
        moves.append((rel, name))
    deletions = sorted(delete)
    try:
        _on_one_filesystem(root, journal, [rel for rel, _ in moves])
        _refuse_unwritable(root, [*(rel for rel, _ in moves), *deletions])
        _make_durable(list(staged.values()), writes)
    except BaseException:  # refused before the commit point: no staged copy of a site left
        _remove(journal)
        raise
    manifest: dict[str, object] = {"move": moves, "delete": deletions}
    if edited_by_hand:
        manifest["was"] = {rel: _digest_of(root / rel) for rel, _ in moves}
    with _applied_whole():
        write_atomic(journal / "manifest.json", json.dumps(manifest, ensure_ascii=False).encode())
        _complete(root, journal)


def _on_one_filesystem(root: Path, journal: Path, paths: Iterable[str]) -> None:
    """Refuse, before the commit point, a change whose files would move to another filesystem
    or mount than the journal's, or into a folder it cannot write: a committed change that
    cannot be completed stopped every later run (reviews: content/ a link to another disk, a
    bind mount of public/, which st_dev does not tell apart, a folder made read-only). A probe
    file is renamed into each folder of the first two levels the change moves files into, and
    back, so a change of 50,000 pages probes a few folders; a mount deeper than that is found
    in Linux's list of mounts."""
    paths = list(paths)
    _refuse_mounts_inside(root, paths)
    folders = {""}
    for path in paths:
        parts = path.split("/")[:-1]
        folders.update("/".join(parts[:depth]) for depth in (1, 2) if len(parts) >= depth)
    name = f"{_PROBE}{os.getpid()}-{os.urandom(4).hex()}"
    probe = journal / name
    probe.touch()
    try:
        for folder in sorted(folders):
            target = root / folder
            if target.is_dir():  # else the change makes it, in a folder probed before it
                _probe(probe, target / name, journal)
    finally:
        probe.unlink(missing_ok=True)


def remove_probes(folder: Path) -> None:
    """Remove the probe a run killed between its two renames left in `folder` (`_probe`): a
    file sitegen made, named so no other file is. Not in the folders below it, which a listing
    of public/papers/ (50,000 entries) would cost every build; a kill -9 just there is rare."""
    for left in folder.glob(f"{_PROBE}*"):
        left.unlink(missing_ok=True)


_PROBE = ".sitegen-probe-"


def _probe(probe: Path, there: Path, journal: Path) -> None:
    """Rename `probe` to `there` and back, or say why it cannot be. Back in a `finally`: a
    Ctrl-C between the two left it in public/, where it was published."""
    try:
        try:
            probe.rename(there)
        finally:  # whatever came after the rename: a Ctrl-C, a failure
            if os.path.lexists(there):
                there.rename(probe)
    except OSError as error:
        if error.errno == errno.EXDEV:
            raise SitegenError(
                "on another filesystem or mount than the site folder (a link to another"
                " disk, a bind mount): sitegen moves each file into place whole, which"
                " cannot cross them",
                location=Location(str(there.parent)),
                hint=f"keep it on the filesystem of {journal.parent.absolute()}",
            ) from None
        if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise _not_writable(str(there.parent), reason_of(error)) from None
        raise


def _refuse_unwritable(root: Path, paths: Iterable[str]) -> None:
    """Refuse, before the commit point, a change in a folder this process may not write,
    however deep (`_on_one_filesystem` probes two levels): a folder of public/ made read-only
    by hand was found after the commit, and stopped every later run until fixed."""
    if (found := unwritable_folder(root, paths)) is not None:
        raise _not_writable(str(found[1]), "this process may not write in it")


def unwritable_folder(root: Path, paths: Iterable[str]) -> tuple[str, Path] | None:
    """The first of `paths` (under `root`) whose folder, or the nearest one above it that is
    there, this process may not write, with that folder. One access() a folder: 0.3 s when all
    50,000 paper pages change."""
    checked: set[str] = set()
    for path in paths:
        folder = path.rpartition("/")[0]
        while folder not in checked:
            checked.add(folder)
            place = root / folder
            if os.access(place, os.W_OK | os.X_OK):
                break
            if place.is_dir():
                return path, place
            folder = folder.rpartition("/")[0]  # made by the change, in its parent
    return None


def _not_writable(folder: str, reason: str) -> SitegenError:
    return SitegenError(
        f"cannot write in it: {reason}",
        location=Location(folder),
        hint="fix its permissions; nothing was changed",
    )


def _refuse_mounts_inside(root: Path, paths: list[str]) -> None:
    """A mount inside the folders the change moves files into (public/assets/video/): the
    probe looks at two levels only."""
    base = str(root.resolve())
    for mount in mounts_under(base, mount_points()):
        if any(path.startswith(mount + "/") for path in paths):
            raise SitegenError(
                "a mount inside the site's folders: sitegen moves each file into place whole,"
                " which cannot cross it",
                location=Location(str(root / mount)),
                hint=f"keep it on the filesystem of {base}",
            )


class InterruptedAfterCommit(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM) came while a committed change was applied: it was applied whole
    first, so this run's changes are all made."""


_DEFERRED = (signal.SIGINT, signal.SIGTERM)
# Held while a committed change is moved in, by any thread: a process that stops waits for it
# (`no_more_changes`), as serve does for the search index its thread publishes.
_APPLYING = threading.Lock()


def no_more_changes() -> None:
    """Wait for a change being moved in by another thread, and let none start: for a process
    about to stop (a thread's change cut short was left for the next run: found by a review)."""
    _APPLYING.acquire()


@contextmanager
def _applied_whole() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until the block ends, then act on them: a change interrupted
    after its commit was left for the next run to complete, and a file edited by hand
    meanwhile was overwritten by it. kill -9 still leaves it to `recover`."""
    caught: list[int] = []
    # Python runs signal handlers in the main thread only: another thread's change is waited
    # for by it instead (no_more_changes).
    held = (
        {signum: signal.signal(signum, lambda n, _: caught.append(n)) for signum in _DEFERRED}
        if threading.current_thread() is threading.main_thread()
        else {}
    )
    try:
        with _APPLYING:
            yield
    finally:
        for signum, handler in held.items():
            signal.signal(signum, handler)
    for number in dict.fromkeys(caught):
        if held[signal.Signals(number)] is signal.default_int_handler:
            raise InterruptedAfterCommit
        signal.raise_signal(number)  # to the handler it had, if not Ctrl-C's (a test's, say)


_SYNC_ALL_FROM = 256  # files: from here one os.sync() for all is faster than an fsync each


def _make_durable(staged: list[Path], writes: list[tuple[Path, bytes]]) -> None:
    """Write `writes` (path, bytes), and flush them and the `staged` files to disk, before the
    manifest commits them."""
    for path, data in writes:
        path.write_bytes(data)
    if len(staged) + len(writes) >= _SYNC_ALL_FROM:
        os.sync()  # an incremental build that changes thousands of files
        return
    # Side by side, not one after another: the disk writes out many files' flushes together
    # (a day's rebuild flushes about 150 files: the rebuild budget, under 2 s at 50k papers).
    with ThreadPoolExecutor(_FLUSHING_THREADS) as flushing:
        list(flushing.map(_flush, [*staged, *(path for path, _ in writes)]))


_FLUSHING_THREADS = 16


def _flush(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def recover(root: Path, journal: Path) -> None:
    """Finish a committed transaction that was interrupted; drop an uncommitted one."""
    if not journal.exists():
        return
    _refuse_others_in(journal)
    if (journal / "manifest.json").is_file():
        _refuse_edited_since(root, journal)
        _complete(root, journal)
    else:
        _remove(journal)


def _is_digest(value: object) -> bool:
    return value is None or (
        isinstance(value, str) and re.fullmatch("[0-9a-f]{64}", value) is not None
    )


def _digest_of(path: Path) -> str | None:
    """A digest of a file's bytes (None: no file): what an edit changes, and a copy of the
    site, a checkout or a touch does not (a review: inodes and mtimes refused those)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def _refuse_edited_since(root: Path, journal: Path) -> None:
    """Refuse to complete a change over a file edited after its commit point (a review: a run
    killed there, then a paper's title corrected by hand, and the next command put the old one
    back without a word). A file moved away is no refusal: the change is completed, and the
    edit is the user's to bring back."""
    moves, _ = _manifest(journal / "manifest.json")  # refuses a broken one
    was = json.loads((journal / "manifest.json").read_bytes()).get("was")
    if not isinstance(was, dict):
        return  # none recorded (an older journal): completed as before
    edited = [
        rel
        for rel, name in moves
        if _is_digest(was.get(rel, 0))  # known: a digest, or None for no file
        and (journal / "files" / name).exists()  # not moved in yet
        and (now := _digest_of(root / rel)) is not None
        and now != was[rel]
    ]
    if edited:
        them = "them" if len(edited) > 1 else "it"
        raise SitegenError(  # each named: each is to be moved aside
            f"{', '.join(edited)} changed after a write of {counted(len(moves), 'file')} was"
            " committed and cut short (a run killed at its end): completing it would overwrite"
            f" {them}",
            location=Location(str(journal)),
            hint=f"move your version of {them} elsewhere and run the command again: it completes"
            f" the write; then bring your changes back into {them}",
        )


def _complete(root: Path, journal: Path) -> None:
    moves, deletions = _manifest(journal / "manifest.json")
    # A file removed where a moved one needs a folder, or files removed from a folder a moved
    # file takes the place of (a file of static/ made a folder: a review), go first.
    first, deletions = _in_the_way_of(moves, deletions)
    for rel in first:
        target = root / rel
        # A completion interrupted after its moves, done again: the file is a folder now, or
        # under a file (a review: every later run stopped on it).
        with contextlib.suppress(IsADirectoryError, NotADirectoryError):
            target.unlink(missing_ok=True)
            _remove_empty_parents(target.parent, root)
    made: set[Path] = set()
    for rel, name in moves:
        source = journal / "files" / name
        if source.exists():  # moved already when an earlier completion was interrupted
            target = root / rel
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            with contextlib.suppress(FileNotFoundError):  # a new file takes the default
                # The mode a user gave the file stays (found by a review: 600 became 644).
                source.chmod(stat.S_IMODE(target.stat().st_mode))
            source.replace(target)
    for rel in deletions:
        target = root / rel
        target.unlink(missing_ok=True)
        _remove_empty_parents(target.parent, root)
    _remove(journal)


def _refuse_others_in(journal: Path) -> None:
    """A journal holds its files/, its manifest, the manifest's temporary copy and a probe
    alone (_JOURNALS_OWN): a folder of that name holding anything else is not one to complete
    or delete (a hostile-input trial: `.sitegen-txn/notes.txt` was deleted without a word)."""
    try:
        others = [e.name for e in os.scandir(journal) if not _JOURNALS_OWN.fullmatch(e.name)]
        what = f"it holds {first_of(others, 3)}"
    except NotADirectoryError:
        others, what = [journal.name], "it is a file"
    if others:
        raise SitegenError(
            f"not a journal sitegen wrote: {what}",
            location=Location(str(journal)),
            hint=f"sitegen keeps an interrupted write's journal there: move {journal.name} away",
        )


# files/, manifest.json, write_atomic's copy of it (.manifest.json.<pid>.<12 hex digits>), and
# the probe _on_one_filesystem makes in it (.sitegen-probe-<pid>-<8 hex digits>)
_JOURNALS_OWN = re.compile(
    r"files|manifest\.json|\.manifest\.json\.\d+\.[0-9a-f]{12}|\.sitegen-probe-\d+-[0-9a-f]{8}"
)


def _in_the_way_of(
    moves: list[tuple[str, str]], deletions: list[str]
) -> tuple[list[str], list[str]]:
    """`deletions` split: those in the way of a move (a folder of it, or inside it), and the
    rest, removed once the moves are in, so a page is never missing meanwhile."""
    if not deletions:
        return [], deletions
    targets = {rel for rel, _ in moves}
    folders = {rel[:i] for rel in targets for i in slash_places(rel)}
    first: list[str] = []
    rest: list[str] = []
    for rel in deletions:
        inside = any(rel[:i] in targets for i in slash_places(rel))
        (first if rel in folders or inside else rest).append(rel)
    return first, rest


def _manifest(path: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """A journal's moves and deletions; an error for one sitegen did not write (a copied or
    committed journal could name any file: it must name none outside its root)."""
    try:
        manifest = json.loads(path.read_bytes())
        moves = [(rel, name) for rel, name in manifest["move"]]
        deletions = list(manifest["delete"])
        if all(_is_inside(rel) and _is_inside(name) for rel, name in moves) and all(
            _is_inside(rel) for rel in deletions
        ):
            return moves, deletions
    except (ValueError, TypeError, KeyError, RecursionError):
        pass
    raise SitegenError(
        "not a journal sitegen wrote: it names files outside the site, or is broken",
        location=Location(str(path)),
        hint=f"delete {path.parent} (it is not an interrupted write of this sitegen)",
    )


# Not urls.is_plain_relative: a journal's paths start with --out's name, which may hold a "\".
def _is_inside(rel: object) -> bool:
    return (
        isinstance(rel, str)
        and bool(rel)
        and not PurePosixPath(rel).is_absolute()
        and ".." not in PurePosixPath(rel).parts
        and "\0" not in rel  # a backslash is a name's character here: --out 'out\site'
    )


def _remove(journal: Path) -> None:
    """Remove a journal: once completed, only its manifest and an empty files/ are left."""
    try:
        (journal / "manifest.json").unlink(missing_ok=True)
        (journal / "files").rmdir()
        journal.rmdir()
    except OSError:  # staged files never moved (an uncommitted transaction), or other debris
        import shutil  # only here: ingest runs without it (and the bz2 and lzma it imports)

        shutil.rmtree(journal)


def _remove_empty_parents(directory: Path, root: Path) -> None:
    # A deleted page leaves its directory (papers/<id>/) behind; an empty one is removed.
    while directory != root and directory.is_relative_to(root):
        try:
            directory.rmdir()
        except OSError:  # not empty, or already gone
            return
        directory = directory.parent
