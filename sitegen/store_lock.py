"""The store's lock: one sitegen command at a time writes content/ or reads it whole, and the
write a killed command committed is completed by the next to take it (`content_lock`).

The lock is a file in the site root, `.sitegen-lock`, held with flock(2) and naming the
process that holds it, so a command that gives up waiting can say which one to wait for. An
ingest, a fetch and a build take it (`sitegen serve` through its builds).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sitegen import transaction
from sitegen.errors import ContentError, Location, reason_of
from sitegen.layout import CONTENT_DIR, CONTENT_JOURNAL, LOCK_FILE

# Seconds a command waits for another to finish with the store: a build holds it until it has
# published, and a cold build of six years of papers (100k) takes over a minute.
LOCK_WAIT = 600.0

# Held by this process: the lock is taken again by the functions a holder calls (an ingest
# reads the store, then writes it), and a thread waits for another as a process does.
_held_here: dict[Path, tuple[threading.RLock, list[int]]] = {}
_held_here_guard = threading.Lock()


@contextmanager
def content_lock(root: Path) -> Iterator[None]:
    """Hold the content store under `root` alone (`held`), with the write a killed command
    committed completed first.

    Waits up to LOCK_WAIT seconds for another command to finish with it, then gives up with a
    ContentError naming that command's process. A process that dies lets go at once.
    """
    with held(root) as taken:
        if taken:
            # A write a killed run committed is completed before anything is read under the
            # lock: a kept listing's name chosen before load_content completed it was the
            # killed run's, and the next listing, taken for it, was lost (a review).
            _recover_interrupted_write(root)
        yield


@contextmanager
def held(root: Path) -> Iterator[bool]:
    """Hold the lock of the store under `root`; give True when this call took it, False when
    this thread held it already.

    Waits up to LOCK_WAIT seconds for another command to let go, then gives up with a
    ContentError naming that command's process. A process that dies lets go at once.
    """
    path = (root / LOCK_FILE).absolute()
    wait = LOCK_WAIT
    deadline = time.monotonic() + wait
    with _held_here_guard:
        local, depth = _held_here.setdefault(path, (threading.RLock(), [0]))
    if not local.acquire(timeout=wait):
        raise _store_busy(path, wait)
    try:
        if depth[0]:  # this thread holds it already
            depth[0] += 1
            try:
                yield False
            finally:
                depth[0] -= 1
            return
        handle = _open_lock_file(path)
        if handle is not None:
            try:
                _wait_for_lock(handle, path, deadline, wait)
            except BaseException:
                os.close(handle)
                raise
        depth[0] = 1
        try:
            yield True
        finally:
            depth[0] = 0
            if handle is not None:
                # Emptied again: the file says who holds the store only while someone does.
                with contextlib.suppress(OSError):
                    os.ftruncate(handle, 0)
                os.close(handle)  # lets go of the lock
    finally:
        local.release()


def _open_lock_file(path: Path) -> int | None:
    """The lock file, opened; None where no lock can be taken: in a read-only site (which no
    one writes either) or one that does not exist yet."""
    try:  # not through a link: the lock is written to (found by a review: a link to a
        # user's file emptied it)
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise ContentError(
                "the store's lock file is a symbolic link, which sitegen does not write through",
                location=Location(str(path)),
                hint="delete the link: sitegen makes the lock file itself",
            ) from None
        if error.errno not in (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOENT):
            raise ContentError(
                f"cannot create the store's lock file: {reason_of(error)}",
                location=Location(str(path)),
                hint="free some space or fix the permissions of the site directory",
            ) from None
    try:
        return os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None


def _wait_for_lock(handle: int, path: Path, deadline: float, wait: float) -> None:
    said = False
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise _store_busy(path, wait) from None
            if not said:  # a second build waited without a word (a new user's trial)
                print(f"sitegen: waiting for {holder_of(path)} to finish with content/ (up to"
                      f" {wait:g} s)", file=sys.stderr, flush=True)  # fmt: skip
                said = True
            time.sleep(0.05)
    say_holder(handle)


def say_holder(handle: int) -> None:
    """Write this process's id into the lock file open as `handle`, which it holds, for the
    message of a command that waits for it (opened read-only, it cannot say: the message
    says "another sitegen")."""
    with contextlib.suppress(OSError):
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"{os.getpid()}\n".encode(), 0)


def holder_of(path: Path) -> str:
    """Who holds the lock file `path`, as a waiting command says it."""
    try:
        holder = path.read_text("ascii").strip()
    except (OSError, UnicodeDecodeError):
        holder = ""
    return f"another sitegen (pid {holder})" if holder.isdigit() else "another sitegen"


def _store_busy(path: Path, wait: float) -> ContentError:
    return ContentError(
        f"content/ is in use by {holder_of(path)}; gave up after waiting {wait:g} s",
        location=Location(str(path)),
        hint="let that command finish (an ingest, fetch, build or serve), then run this again",
    )


def _recover_interrupted_write(root: Path) -> None:
    try:
        transaction.recover(root, root / CONTENT_JOURNAL)
        transaction.remove_probes(root / CONTENT_DIR)
    except OSError as error:
        raise ContentError(
            f"cannot complete the interrupted write of content/: {reason_of(error)}",
            location=Location(str(root / CONTENT_JOURNAL)),
            hint="fix that (space, permissions), then run again: the write is completed then",
        ) from None
