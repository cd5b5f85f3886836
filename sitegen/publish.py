"""The output edge: write artifacts into a fresh directory beside public/, then swap it in.

A build that fails or is interrupted before the swap leaves the previous public/ whole; the
swap itself is two renames on one filesystem.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath


@dataclass(frozen=True, slots=True)
class Artifact:
    path: str  # relative to public/, POSIX separators
    data: bytes


@dataclass(frozen=True, slots=True)
class PublishReport:
    files: int
    bytes: int

    def __add__(self, other: PublishReport) -> PublishReport:
        return PublishReport(files=self.files + other.files, bytes=self.bytes + other.bytes)


def publish(write: Callable[[Path], PublishReport], public: Path) -> PublishReport:
    """Have `write` fill a fresh directory beside `public`, then swap it in as `public`."""
    public = public.absolute()
    staging = public.with_name(f".{public.name}.staging-{os.getpid()}")
    _remove_leftovers(public)
    staging.mkdir(parents=True)
    try:
        report = write(staging)
        _swap(staging, public)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return report


def write_artifacts(artifacts: Iterable[Artifact], directory: Path) -> PublishReport:
    """Write artifacts under `directory` (several writers may share it: disjoint paths)."""
    files = total = 0
    made_dirs: set[Path] = set()
    for artifact in artifacts:
        target = directory / _safe_relative(artifact.path)
        if target.parent not in made_dirs:
            target.parent.mkdir(parents=True, exist_ok=True)
            made_dirs.add(target.parent)
        target.write_bytes(artifact.data)
        files += 1
        total += len(artifact.data)
    return PublishReport(files=files, bytes=total)


def _swap(staging: Path, public: Path) -> None:
    old = public.with_name(f".{public.name}.old-{os.getpid()}")
    if public.exists():
        public.rename(old)
    staging.rename(public)
    shutil.rmtree(old, ignore_errors=True)


def _remove_leftovers(public: Path) -> None:
    # Directories of builds that were killed before they could clean up.
    for stale in public.parent.glob(f".{public.name}.staging-*"):
        shutil.rmtree(stale, ignore_errors=True)
    for stale in public.parent.glob(f".{public.name}.old-*"):
        if public.exists():
            shutil.rmtree(stale, ignore_errors=True)
        else:  # killed between the two renames: the old site is the last good one
            stale.rename(public)


def _safe_relative(path: str) -> PurePosixPath:
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise ValueError(f"artifact path escapes the output directory: {path!r}")
    return relative
