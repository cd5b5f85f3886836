"""The build record: what each file of an output was rendered from, kept beside it.

`.X.outputs` beside the output X lists every file a build wrote in X, with the key it was
rendered from, its size and its mtime: the next build keeps a file whose key is unchanged and
that was not changed since (`changed_files`), and takes no file it lists for a user's. An
archive's record lists where each member lies in it, with the archive's size and mtime. Like a
cache, the record is for sitegen alone: one it cannot read means a full build. sitegen.publish
writes it with the files; the build and the search index read it.
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Callable, Collection, Iterable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen import beside, hand_edits, transaction, whole_files
from sitegen.output_folder import is_archive, journal_file, record_file, safe_relative

if TYPE_CHECKING:
    from sitegen.archive import Member

Outputs = Mapping[str, str]  # path under public/ -> the key of what it was rendered from
# A file's key, size and mtime in ns; in an archive's record its key and its member's place.
Entry = tuple[str, int, int]
_RECORD_VERSION = 3
_ARCHIVE_RECORD_VERSION = 1


@dataclass(frozen=True, slots=True)
class PreviousBuild:
    """What the last build recorded of public/: each file with the key it was rendered from."""

    files: Mapping[str, Entry]  # the files still as that build left them
    recorded: frozenset[str]  # every file it wrote, changed since or not

    def key(self, path: str) -> str | None:
        """The key the file at `path` was rendered from, if it is as that build left it."""
        entry = self.files.get(path)
        return entry[0] if entry else None


def read_record(public: Path) -> dict[str, Entry] | None:
    """The last build's record of `public`: path -> (key, size, mtime in ns) of each file it
    wrote; None without one (then only a full build will do)."""
    public = public.absolute()
    if is_archive(public):
        archive = read_archive_record(public)
        return None if archive is None else archive[0]
    transaction.recover(public.parent, journal_file(public))
    if not public.is_dir():
        return None
    return _record_files(public, any_version=False)


def has_record(public: Path) -> bool:
    """Whether the last build left its record beside `public` (it may not be readable)."""
    return record_file(public.absolute()).is_file()


def recorded_paths(public: Path) -> frozenset[str] | None:
    """Every file the last record of `public` lists, of an older version too; None without
    a record it can read."""
    listed = _record_files(public, any_version=True)
    return None if listed is None else frozenset(listed)


def _record_files(public: Path, *, any_version: bool) -> dict[str, Entry] | None:
    """The files the record of `public` lists, checked as they are read: it may be damaged,
    or name a path outside public/ (the build deletes what it names: never trust it
    blindly). None without a record it can read, or of another version unless `any_version`."""
    try:
        record = marshal.loads(record_file(public).read_bytes())
        if not any_version and record["version"] != _RECORD_VERSION:
            return None
        files: dict[str, Entry] = record["files"]
        _all_safe_relative(files)
        for key, size, mtime in files.values():
            if not (isinstance(key, str) and isinstance(size, int) and isinstance(mtime, int)):
                return None
    except (OSError, EOFError, ValueError, TypeError, KeyError, AttributeError):
        return None
    return files


def changed_files(public: Path, record: Mapping[str, Entry]) -> list[str]:
    """The files of `record` changed or removed by hand since: their size or mtime differs."""
    if is_archive(public):
        return []  # an archive is checked whole as its record is read
    return hand_edits.changed(os.fspath(public), record)


def changed_files_beside(public: Path, record: Mapping[str, Entry]) -> Callable[[], list[str]]:
    """`changed_files`, worked out by a child process while the caller goes on (the rebuild
    budget, see sitegen.beside); what it returns waits for them."""
    public = public.absolute()
    if is_archive(public):
        return lambda: []  # an archive is checked whole as its record is read
    child = beside.started(hand_edits.__file__, record_file(public), public)

    def result() -> list[str]:
        output = child()
        if output is None:
            return changed_files(public, record)
        changed = output.decode("utf-8", "surrogatepass").split("\0") if output else []
        return [path for path in changed if path in record]

    return result


def previous_build(record: Mapping[str, Entry], changed: Iterable[str]) -> PreviousBuild:
    """What the last build left in public/ as it left it: its record but the `changed` files,
    so that those are made again."""
    files = dict(record)
    for path in changed:
        files.pop(path, None)
    return PreviousBuild(files=files, recorded=frozenset(record))


UNKNOWN: Entry = ("", -1, -1)  # a file that may be there or not: made again, or removed


def entries(
    outputs: Outputs,
    kept: Mapping[str, Entry],
    *,
    directory: Path,
    staged: Path | None = None,
) -> dict[str, Entry]:
    """Each file's key, size and mtime; `kept` entries are known, the rest are read from
    `staged` when it holds the file (a rename keeps the mtime), else from `directory`."""
    files: dict[str, Entry] = {}
    # Strings and os calls, not a Path per file, as publish.write_artifacts (the rebuild budget).
    for path, key in outputs.items():
        entry = kept.get(path)
        if entry is None or entry[0] != key:
            stat = None
            if staged is not None:
                with suppress(FileNotFoundError):  # not staged: its bytes were already there
                    stat = os.stat(f"{staged}/{path}")  # noqa: PTH116 (see above)
            stat = stat or os.stat(f"{directory}/{path}")  # noqa: PTH116
            entry = (key, stat.st_size, stat.st_mtime_ns)
        files[path] = entry
    return files


def record_bytes(files: Mapping[str, Entry]) -> bytes:
    # marshal: five times faster than JSON both ways at 55,000 entries. Like a cache, the
    # record is for sitegen alone; one it cannot read means a full build.
    return marshal.dumps({"version": _RECORD_VERSION, "files": dict(files)})


def write_record(public: Path, files: Mapping[str, Entry]) -> None:
    # Not flushed: it is checked against the files when read, like a cache.
    whole_files.write_atomic(record_file(public), record_bytes(files), durable=False)


def write_archive_record(archive: Path, outputs: Outputs, members: Mapping[str, Member]) -> None:
    """Record where each file of `outputs` and each directory lies in `archive`, just written.

    Written after the archive, with its size and mtime: an archive that is not the one it
    describes (a build killed between the two, a restore cut short) is built again whole."""
    stat = archive.stat()
    record = {
        "version": _ARCHIVE_RECORD_VERSION,
        "archive": (stat.st_size, stat.st_mtime_ns),
        "files": {path: (key, *members[path]) for path, key in outputs.items()},
        "dirs": {name: place for name, place in members.items() if name not in outputs},
    }
    whole_files.write_atomic(record_file(archive), marshal.dumps(record), durable=False)


def read_archive_record(
    archive: Path,
) -> tuple[dict[str, Entry], dict[str, Member]] | None:
    """The record of `archive` (its files with their keys and places, its directories' places)
    when the archive is the one it describes, its size and mtime unchanged; else None."""
    try:
        record = marshal.loads(record_file(archive).read_bytes())
        stat = archive.stat()
        if record["version"] != _ARCHIVE_RECORD_VERSION or tuple(record["archive"]) != (
            stat.st_size,
            stat.st_mtime_ns,
        ):
            return None
        files: dict[str, Entry] = record["files"]
        dirs: dict[str, Member] = record["dirs"]
        for path, (key, start, end) in files.items():
            safe_relative(path)
            if not (isinstance(key, str) and 0 <= start < end <= stat.st_size):
                return None
        for start, end in dirs.values():
            if not 0 <= start < end <= stat.st_size:
                return None
    except (OSError, EOFError, ValueError, TypeError, KeyError, AttributeError):
        return None
    return files, dirs


# What may put a path of a record, one per line, outside the output directory: a part that is
# empty or starts with a dot (then each path is tested by safe_relative: the site's paths
# have none), a backslash or a NUL: eight scans of 4 MB at 55,000 paths, not twelve.
_UNSAFE = ("\n/", "/\n", "//", "\n\n", "\n.", "/.", "\\", "\0")


def _all_safe_relative(paths: Collection[str]) -> None:
    """A ValueError unless every one of `paths` is `safe_relative`: tested in one string, not
    one at a time (the rebuild budget, under 2 s at 50k papers: 0.1 s for 55,000 paths)."""
    lines = "\n".join(["", *paths, ""])
    if lines.count("\n") != len(paths) + 1 or any(u in lines for u in _UNSAFE):
        for path in paths:
            if "\n" in path:
                raise ValueError(f"artifact path escapes the output directory: {path!r}")
            safe_relative(path)
