"""The output edge: artifacts -> public/, whole or in part, never leaving it half-written.

A full build fills a fresh directory beside public/ and swaps it in (two renames on one
filesystem). An incremental build stages only the files whose bytes change and moves them in
as one transaction (see `transaction`). Either way a build that fails leaves the previous
public/ whole, and a record of what each file was rendered from (`.public.outputs`
beside it) tells the next build what it may keep.
"""

from __future__ import annotations

import fcntl
import marshal
import os
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sitegen import transaction
from sitegen.errors import BuildError, Location
from sitegen.model import Artifact


@dataclass(frozen=True, slots=True)
class PublishReport:
    files: int
    bytes: int

    def __add__(self, other: PublishReport) -> PublishReport:
        return PublishReport(files=self.files + other.files, bytes=self.bytes + other.bytes)


Outputs = Mapping[str, str]  # path under public/ -> the key of what it was rendered from
_RECORD_VERSION = 3


@dataclass(frozen=True, slots=True)
class PreviousBuild:
    """What the last build recorded of public/: each file with the key it was rendered from."""

    # path -> (key, size, mtime in ns), for the files still as that build left them
    files: Mapping[str, tuple[str, int, int]]
    recorded: frozenset[str]  # every file it wrote, changed since or not


def output_directory(out: Path) -> Path:
    """Where a build publishes `out`: its target when `out` is a symbolic link (public/ linked
    to a web root), so the link stays and what it points at is updated (issue #19)."""
    if not out.is_symlink():
        return out
    target = out.resolve()
    if target.exists() and not target.is_dir():
        raise BuildError(
            f"{out} links to {target}, which is not a directory",
            location=Location(str(out)),
            hint="point the link at a directory, or pass --out DIR",
        )
    return target


@contextmanager
def exclusive(public: Path) -> Iterator[None]:
    """Hold the lock of `public` beside it: two builds (a `serve` and a `build`, say) take
    turns instead of interleaving their changes."""
    public = public.absolute()
    public.parent.mkdir(parents=True, exist_ok=True)
    with public.with_name(f".{public.name}.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        yield


def read_record(public: Path) -> dict[str, tuple[str, int, int]] | None:
    """The last build's record of `public`: path -> (key, size, mtime in ns) of each file it
    wrote; None without one (then only a full build will do)."""
    public = public.absolute()
    transaction.recover(public.parent, _journal(public))
    if not public.is_dir():
        return None
    # The record is checked as it is read: it may be damaged, or name a path outside public/
    # (the build deletes what it names: never trust it blindly).
    try:
        record = marshal.loads(_record_file(public).read_bytes())
        if record["version"] != _RECORD_VERSION:
            return None
        files: dict[str, tuple[str, int, int]] = record["files"]
        for path, (key, size, mtime) in files.items():
            _safe_relative(path)
            if not (isinstance(key, str) and isinstance(size, int) and isinstance(mtime, int)):
                return None
    except (OSError, EOFError, ValueError, TypeError, KeyError, AttributeError):
        return None
    return files


def changed_files(public: Path, record: Mapping[str, tuple[str, int, int]]) -> list[str]:
    """The files of `record` changed or removed by hand since: their size or mtime differs."""
    changed = []
    for path, (_, size, mtime) in record.items():
        try:
            stat = os.stat(f"{public}/{path}")  # noqa: PTH116 (a Path each: 0.1 s at 50k)
        except OSError:
            changed.append(path)
            continue
        if stat.st_size != size or stat.st_mtime_ns != mtime:
            changed.append(path)
    return changed


def previous_build(
    record: Mapping[str, tuple[str, int, int]], changed: Iterable[str]
) -> PreviousBuild:
    """What the last build left in public/ as it left it: its record but the `changed` files,
    so that those are made again."""
    files = dict(record)
    for path in changed:
        files.pop(path, None)
    return PreviousBuild(files=files, recorded=frozenset(record))


def publish(
    write: Callable[[Path], PublishReport], public: Path, outputs: Outputs
) -> PublishReport:
    """Have `write` fill a fresh directory beside `public`, then swap it in as `public`."""
    public = public.absolute()
    staging = public.with_name(f".{public.name}.staging-{os.getpid()}")
    _remove_leftovers(public)
    staging.mkdir(parents=True)
    try:
        report = write(staging)
        # Dropped only now: a build that fails leaves the last record, and the next build
        # need not be a full one (issue #19).
        _record_file(public).unlink(missing_ok=True)
        _swap(staging, public)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _save_record(public, outputs, {})
    return report


def update(
    write: Callable[[Path], PublishReport],
    public: Path,
    outputs: Outputs,
    *,
    previous: PreviousBuild,
    rendered: Iterable[str],
) -> tuple[PublishReport, int]:
    """Have `write` stage the `rendered` files whose bytes change, then move them into
    `public` and remove the files the site no longer has, all or nothing.

    Returns what was written and how many files were removed.
    """
    public = public.absolute()
    journal = _journal(public)
    transaction.recover(public.parent, journal)
    staging = journal / "files" / public.name
    staging.mkdir(parents=True)
    try:
        report = write(staging)
    except BaseException:
        shutil.rmtree(journal, ignore_errors=True)
        raise
    staged = {
        f"{public.name}/{path.relative_to(staging).as_posix()}": path
        for path in staging.rglob("*")
        if path.is_file()
    }
    removed = sorted(previous.recorded - outputs.keys())
    delete = [f"{public.name}/{_safe_relative(path)}" for path in removed]
    transaction.commit(public.parent, journal, staged=staged, delete=delete)
    fresh = set(rendered)
    kept = {path: entry for path, entry in previous.files.items() if path not in fresh}
    # Written after the files: were it lost, the files it misses would just be made again.
    _save_record(public, outputs, kept)
    return report, len(removed)


def write_artifacts(
    artifacts: Iterable[Artifact], directory: Path, *, unless_in: Path | None = None
) -> PublishReport:
    """Write artifacts under `directory` (several writers may share it: disjoint paths),
    except those whose bytes `unless_in` already holds at the same path."""
    files = total = 0
    made_dirs: set[Path] = set()
    for artifact in artifacts:
        relative = _safe_relative(artifact.path)
        if unless_in is not None and transaction.holds(unless_in / relative, artifact.data):
            continue
        target = directory / relative
        if target.parent not in made_dirs:
            target.parent.mkdir(parents=True, exist_ok=True)
            made_dirs.add(target.parent)
        target.write_bytes(artifact.data)
        files += 1
        total += len(artifact.data)
    return PublishReport(files=files, bytes=total)


def _journal(public: Path) -> Path:
    return public.with_name(f".{public.name}.journal")


def _record_file(public: Path) -> Path:
    return public.with_name(f".{public.name}.outputs")


def _save_record(public: Path, outputs: Outputs, kept: Mapping[str, tuple[str, int, int]]) -> None:
    """Record each file's key, size and mtime; `kept` entries are known, the rest are read."""
    files: dict[str, tuple[str, int, int]] = {}
    for path, key in outputs.items():
        entry = kept.get(path)
        if entry is None or entry[0] != key:
            stat = os.stat(f"{public}/{path}")  # noqa: PTH116 (as above)
            entry = (key, stat.st_size, stat.st_mtime_ns)
        files[path] = entry
    # marshal: five times faster than JSON both ways at 55,000 entries. Like a cache, the
    # record is for sitegen alone; one it cannot read means a full build.
    data = marshal.dumps({"version": _RECORD_VERSION, "files": files})
    # Not flushed: it is checked against the files when read, like a cache.
    transaction.write_atomic(_record_file(public), data, durable=False)


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


def _safe_relative(path: str) -> str:
    """`path` when it names a file inside the output directory, in the one way routes spell
    paths; else a ValueError. String tests: a PurePosixPath each took 0.15 s at 50k files."""
    parts = path.split("/")
    if "" in parts or "." in parts or ".." in parts or "\\" in path or "\0" in path:
        raise ValueError(f"artifact path escapes the output directory: {path!r}")
    return path
