"""What every edge does with one file, whole: replace it atomically (`write_atomic`), read it
only if it is a regular file of bounded size (`read_regular_file`: never a FIFO or a device),
and tell whether it holds given bytes (`holds`). Changes to many files at once, all or
nothing, are sitegen.transaction's.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


def write_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Replace one file with `data`: readers see the old bytes or the new, never a part.

    `durable` also waits until the bytes are on disk; a cache, which is checked when read and
    only saves time, need not."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(6).hex()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def holds(path: Path, data: bytes) -> bool:
    """Whether `path` is a file with exactly these bytes (then writing it again is no change).
    Never a FIFO's or a device's, whose size is 0: reading one for empty bytes (an empty file
    of static/) would wait for a writer, or read on."""
    try:
        return read_regular_file(path, limit=len(data)) == data
    except OSError:
        return False


def read_regular_file(path: Path, *, limit: int) -> bytes:
    """The bytes of `path`, which must be a regular file of at most `limit` bytes, else an
    OSError: a FIFO would wait for a writer, /dev/zero be read until memory runs out."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO opens without waiting
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise OSError(errno.EINVAL, "not a regular file (a directory, a FIFO or a device)", path)
    with os.fdopen(fd, "rb") as handle:
        # As many bytes as it has, and one more: read(limit + 1) took the limit's memory at
        # once, 32 MB for each listing read (found by a memory test); a file growing meanwhile
        # is read on, to one past the limit.
        data = handle.read(min(info.st_size, limit) + 1)
        if info.st_size < len(data) <= limit:
            data += handle.read(limit + 1 - len(data))
    if len(data) > limit:
        raise OSError(errno.EFBIG, f"larger than {limit:,} bytes", path)
    return data
