"""The site as one tar archive, the file GitHub Pages deploys (issue #17).

actions/upload-pages-artifact tars the site's directory with GNU tar into `artifact.tar` and
uploads that one file; `sitegen build --out artifact.tar` writes that archive itself. The
scheduled workflow keeps it between runs in place of public/'s 100,000 files (the scheduled
run's budget, under 10 s at 50,000 papers, needs it: restoring those files took 17 s), and
each build writes the next archive from the last one, copying the members it keeps as byte
ranges and adding the ones it rendered.

Members come in one fixed order (a directory, then its entries by name, as `tar` lists a
directory tree) with fixed metadata, so the same site gives the same bytes.
"""

from __future__ import annotations

import errno
import os
import tarfile
from collections.abc import Iterable, Mapping
from pathlib import Path

Member = tuple[int, int]  # where a member lies in its archive: bytes [start, end), header included
_BLOCK = tarfile.BLOCKSIZE
_RECORD = tarfile.RECORDSIZE  # GNU tar pads an archive to whole records of 20 blocks
_FLUSH_AT = 1 << 20


def write_archive(
    target: Path,
    paths: Iterable[str],
    *,
    staged: Path,
    old: Path | None = None,
    kept: Mapping[str, Member] = {},
) -> dict[str, Member]:
    """Write the archive of the files `paths` (relative, '/'-separated) to `target`: each from
    `staged` when it is there, else copied from the `old` archive at its `kept` place. A
    directory is written before its entries and named with a trailing '/' ('' is the root).

    Returns where each file and directory lies in the new archive."""
    members: dict[str, Member] = {}
    in_staging = {
        f"{folder}/{name}".removeprefix(f"{staged}/")
        for folder, _, names in os.walk(staged)
        for name in names
    }
    directory = None
    with _Writer(target, old) as writer:
        for path in sorted(paths, key=lambda p: p.split("/")):
            parent = path.rpartition("/")[0]
            if parent != directory:  # the first file of its directory
                directory = parent
                for name in _directories(directory):
                    if name not in members:
                        place = kept.get(name)
                        members[name] = writer.copy(place) if place else writer.add(name, None)
            if path in in_staging:
                members[path] = writer.add(path, (staged / path).read_bytes())
            else:
                members[path] = writer.copy(kept[path])
    return members


def _directories(directory: str) -> list[str]:
    """Names of `directory` ('a/b') and its ancestors, root first: '', 'a/', 'a/b/'."""
    names = [""]
    for part in directory.split("/") if directory else ():
        names.append(f"{names[-1]}{part}/")
    return names


class _Writer:
    """Appends members to an archive, copying runs of old members in one call each."""

    def __init__(self, target: Path, old: Path | None) -> None:
        self.target = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        self.old = os.open(old, os.O_RDONLY) if old is not None else None
        self.position = 0  # of the next member in the new archive
        self.buffer: list[bytes] = []
        self.buffered = 0
        self.run: list[int] | None = None  # [start, end) of old bytes still to copy

    def __enter__(self) -> _Writer:
        return self

    def __exit__(self, kind: object, *_: object) -> None:
        try:
            if kind is None:
                end = self.position + 2 * _BLOCK  # two zero blocks end an archive
                self._write(bytes(-end % _RECORD + 2 * _BLOCK))
                self._write_buffer()
        finally:
            os.close(self.target)
            if self.old is not None:
                os.close(self.old)

    def add(self, path: str, data: bytes | None) -> Member:
        """A new member: the file `path` with `data`, or the directory `path` when None."""
        info = tarfile.TarInfo(f"./{path}")  # as `tar -C public/ -c .` names it
        info.mtime = 0  # GitHub Pages serves its own (the deployment's) times
        if data is None:
            info.type, info.mode = tarfile.DIRTYPE, 0o755
            data = b""
        else:
            info.size, info.mode = len(data), 0o644
        member = info.tobuf(tarfile.GNU_FORMAT) + data + bytes(-len(data) % _BLOCK)
        self._write(member)
        return self._advance(len(member))

    def copy(self, place: Member) -> Member:
        """An old member unchanged: its bytes [start, end) of the old archive."""
        start, end = place
        if self.run is not None and self.run[1] == start:
            self.run[1] = end
        else:
            self._write_buffer()
            self._copy_run()
            self.run = [start, end]
        return self._advance(end - start)

    def _advance(self, length: int) -> Member:
        start, self.position = self.position, self.position + length
        return start, self.position

    # Bytes reach the archive in order: a pending run of old bytes is copied before anything
    # is buffered after it, and the buffer is written before a new run starts.
    def _write(self, data: bytes) -> None:
        self._copy_run()
        self.buffer.append(data)
        self.buffered += len(data)
        if self.buffered >= _FLUSH_AT:
            self._write_buffer()

    def _write_buffer(self) -> None:
        view = memoryview(b"".join(self.buffer))
        self.buffer.clear()
        self.buffered = 0
        while view:
            view = view[os.write(self.target, view) :]

    def _copy_run(self) -> None:
        if self.run is None:
            return
        if self.old is None:
            raise ValueError("a member kept without the archive that holds it")
        (start, end), self.run = self.run, None
        _copy(self.old, self.target, start, end - start)


def _copy(source: int, target: int, start: int, length: int) -> None:
    """Copy bytes [start, start + length) of `source` to the end of `target`: in the kernel
    (copy_file_range: no pass through Python, shared blocks where the file system can)."""
    in_kernel = hasattr(os, "copy_file_range")  # Linux only
    while length > 0:
        done = 0
        if in_kernel:
            try:
                done = os.copy_file_range(source, target, length, start)
            except OSError as error:  # a file system or kernel without it
                if error.errno not in (errno.EXDEV, errno.ENOSYS, errno.EOPNOTSUPP, errno.EINVAL):
                    raise
                in_kernel = False
        if not in_kernel:
            done = os.write(target, os.pread(source, min(length, _FLUSH_AT), start))
        if done == 0:
            raise OSError(errno.EIO, "the archive is shorter than its record says")
        start += done
        length -= done
