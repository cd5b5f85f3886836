"""All-or-nothing changes to many files: stage them, commit a manifest, then apply.

The manifest's atomic rename is the commit point. A run interrupted before it leaves the tree
untouched; one interrupted after it is completed by the next run (`recover`). The content store
and the incremental build of public/ both change thousands of files this way.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path


def write_atomic(
    path: Path, data: bytes | Sequence[bytes | memoryview], *, durable: bool = True
) -> None:
    """Replace one file with `data` (or its chunks, in order): readers see the old bytes or
    the new, never a part.

    `durable` also waits until the bytes are on disk; a cache, which is checked when read and
    only saves time, need not (24 MB of API records would wait 0.1 s)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # A name of its own, as tempfile.mkstemp would make (whose import, with random's, is
    # 2 ms of every `sitegen ingest`).
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(6).hex()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, bytes):
                handle.write(data)
            else:
                handle.writelines(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def holds(path: Path, data: bytes) -> bool:
    """Whether `path` is a file with exactly these bytes (then writing it again is no change)."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def commit(
    root: Path,
    journal: Path,
    *,
    staged: Mapping[str, Path],
    delete: Iterable[str] = (),
    written: Mapping[str, bytes] = {},
) -> None:
    """Move `staged` files (already inside `journal`/files, path under root -> file) and
    `written` bytes into place under `root`, and remove `delete`, as one transaction."""
    files = journal / "files"
    files.mkdir(parents=True, exist_ok=True)
    moves = [(rel, str(source.relative_to(files))) for rel, source in staged.items()]
    writes = []
    for rel, data in written.items():
        name = f"w{len(moves)}"
        writes.append((files / name, data))
        moves.append((rel, name))
    _make_durable(list(staged.values()), writes)
    manifest = {"move": moves, "delete": sorted(delete)}
    write_atomic(journal / "manifest.json", json.dumps(manifest, ensure_ascii=False).encode())
    _complete(root, journal)


_SYNC_ALL_FROM = 256  # files; below, each is flushed on its own


def _make_durable(staged: list[Path], writes: list[tuple[Path, bytes]]) -> None:
    """Flush the staged files to disk, and write and flush `writes` (path, bytes), before the
    manifest commits them."""
    if len(staged) + len(writes) >= _SYNC_ALL_FROM:
        for path, data in writes:
            path.write_bytes(data)
        os.sync()  # one flush for all (an fsync each costs ~0.3 ms per file)
        return
    # os.sync() would also flush every other dirty page of the machine: after a full build
    # that is the whole new site, half a second to wait for files that are not ours. A few
    # threads wait together, and the file system commits their flushes as one: half the time.
    # Each thread writes its own files too, so that one file's write overlaps another's flush.
    failures: list[OSError] = []
    work: list[tuple[Path, bytes | None]] = [(path, None) for path in staged] + list(writes)

    def flush(chunk: list[tuple[Path, bytes | None]]) -> None:
        for path, data in chunk:
            try:
                if data is None:
                    fd = os.open(path, os.O_RDONLY)
                else:
                    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
                try:
                    if data is not None:
                        _write_all(fd, data)
                    os.fsync(fd)
                finally:
                    os.close(fd)
            except OSError as error:
                failures.append(error)
                return

    threads = [
        threading.Thread(target=flush, args=(work[start::_FLUSHERS],))
        for start in range(min(_FLUSHERS, len(work)))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]


def _write_all(fd: int, data: bytes) -> None:
    # Not open() and a buffered file, as write_atomic uses: for a day's 52 small files that
    # layer costs 2 ms (measured), and a plain descriptor is what fsync needs anyway.
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


_FLUSHERS = 8


def recover(root: Path, journal: Path) -> None:
    """Finish a committed transaction that was interrupted; drop an uncommitted one."""
    if not journal.exists():
        return
    if (journal / "manifest.json").is_file():
        _complete(root, journal)
    else:
        _remove(journal)


def _complete(root: Path, journal: Path) -> None:
    manifest = json.loads((journal / "manifest.json").read_text("utf-8"))
    made: set[Path] = set()
    for rel, name in manifest["move"]:
        source = journal / "files" / name
        if source.exists():  # moved already when an earlier completion was interrupted
            target = root / rel
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            source.replace(target)
    for rel in manifest["delete"]:
        target = root / rel
        target.unlink(missing_ok=True)
        _remove_empty_parents(target.parent, root)
    _remove(journal)


def _remove(journal: Path) -> None:
    """Remove a journal: once completed, only its manifest and an empty files/ are left."""
    try:
        (journal / "manifest.json").unlink(missing_ok=True)
        (journal / "files").rmdir()
        journal.rmdir()
    except OSError:  # staged files never moved (an uncommitted transaction), or other debris
        import shutil  # here: its import (zlib, bz2, lzma) is 2 ms of every ingest

        shutil.rmtree(journal)


def _remove_empty_parents(directory: Path, root: Path) -> None:
    # A deleted page leaves its directory (papers/<id>/) behind; an empty one is removed.
    while directory != root and directory.is_relative_to(root):
        try:
            directory.rmdir()
        except OSError:  # not empty, or already gone
            return
        directory = directory.parent
