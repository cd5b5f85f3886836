"""The state of each content file (inode, size, mtime, ctime), compared with the last run's.

Standard library only: a build or ingest imports it, and runs it as a script in a child
process beside the reading of the parse cache (sitegen.beside): the rebuild budget (a new day
at 50,000 papers under 2 s) needs it, the stat of 51,000 files took 0.23 s of the build's own
time, and their 5.5 MB of states passed through a pipe and the parse cache's log took 0.1-0.4 s
more. `python -I -S file_states.py CONTENT KEPT PENDING TOKEN DIR SUFFIX [DIR SUFFIX]...`
writes the answer of `compared`.
"""

from __future__ import annotations

import os
import re
import sys
import time
import zlib
from stat import S_ISDIR, S_ISREG

NOT_A_FILE = b"!"  # in place of a file's identity: a directory or a device where one belongs
GONE = b"-"  # in place of a file's identity: a file of the kept states that is no more
# In place of an identity: a folder, or a name a content file was given by mistake (`.TOML`,
# a day's `2026-06-12.md`), which would not be read: its papers or day would leave the site in
# silence. Hidden names and editors' leftovers (`x.toml~`) are no mistake.
MISNAMED = b"?"
# A file changed this recently when stated may change again with the same state where file
# times tick by the second or two (HFS+: 1 s, FAT: 2 s; exFAT and network shares coarse too):
# its state is kept with the time it was stated, which no later state has, so the next run
# checks its bytes (a trial on a 1-second file system: an edit saved in place within the
# second of the build before it was never built). Only a time of whole seconds is so coarse:
# a fresh clone's files, all just made, keep their states on ext4 or APFS (the scheduled run).
RECENT_NS = 3_000_000_000
_SECOND_NS = 1_000_000_000
_DAY_NAME = re.compile(r"\d{4}-\d{2}-\d{2}(-\d+)?\.[A-Za-z0-9]+")
_BACKUPS = (".bak", ".orig", ".old", ".rej", ".tmp", ".swp")  # kept by hand or by tools
# Markdown's other names: a paper saved so was left off the site in silence.
_MARKDOWN = (".markdown", ".mdown", ".mkd", ".mkdn", ".mdwn")


def states(content: str, listed: list[tuple[str, str]]) -> bytes:
    """A record `dir/name/inode/size/mtime/ctime` (then `/now` for a file changed in the
    last RECENT_NS: no later record equals it; `dir/name/!` for what is not a regular file)
    for each file of each (dir, suffix) of `listed` under `content` whose name ends in the
    suffix, NUL-terminated, sorted by directory then name. A missing directory has none."""
    records = []
    stated_at = time.time_ns()
    for directory, suffix in listed:
        encoded = os.fsencode(directory)
        folder_path = os.path.join(content, directory)  # noqa: PTH118
        try:
            handle = os.open(folder_path, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            # A link to nowhere or to itself, or a file, where the folder belongs: an error,
            # not a store without papers (found by a review: a traceback).
            if os.path.lexists(folder_path):  # noqa: PTH110
                records.append(b"%s//%s\0" % (encoded, NOT_A_FILE))
            continue
        try:
            # Names, then a stat of each by the directory's descriptor: a quarter less time
            # than os.scandir's entries over 50,000 paper files.
            for name in sorted(os.listdir(handle)):  # noqa: PTH208
                if is_hidden(name):
                    continue
                try:
                    stat = os.stat(name, dir_fd=handle)
                except OSError:
                    if not os.path.lexists(os.path.join(folder_path, name)):  # noqa: PTH110, PTH118
                        continue  # removed meanwhile
                    # A link to nowhere or to itself: no file, and no paper left off in silence.
                    records.append(b"%s/%s/%s\0" % (encoded, os.fsencode(name), NOT_A_FILE))
                    continue
                if not name.endswith(suffix):
                    folder = S_ISDIR(stat.st_mode)
                    if not _misnamed(name, suffix, folder and _holds(handle, name, suffix)):
                        continue
                    identity = MISNAMED
                elif S_ISREG(stat.st_mode):
                    # The ctime too, which no one sets: a file rewritten in place with its
                    # size and mtime put back was built as unchanged (a hostile-input trial).
                    identity = b"%d/%d/%d/%d" % (
                        stat.st_ino,
                        stat.st_size,
                        stat.st_mtime_ns,
                        stat.st_ctime_ns,
                    )
                    if may_change_unseen(stat, stated_at):
                        identity += b"/%d" % stated_at
                else:
                    identity = NOT_A_FILE
                records.append(b"%s/%s/%s\0" % (encoded, os.fsencode(name), identity))
        finally:
            os.close(handle)
    return b"".join(records)


def may_change_unseen(stat: os.stat_result, stated_at: int) -> bool:
    """Whether a file stated at `stated_at` (ns) may change again with this same state: its
    time is of whole seconds and it changed in the last RECENT_NS (see RECENT_NS)."""
    return (
        stat.st_mtime_ns % _SECOND_NS == 0
        and max(stat.st_mtime_ns, stat.st_ctime_ns) > stated_at - RECENT_NS
    )


def is_content_file(name: str, suffix: str) -> bool:
    """Whether a file `name` of a content folder is one of its `suffix` the build reads."""
    return name.endswith(suffix) and not is_hidden(name)


def is_hidden(name: str) -> bool:
    """Whether a file or folder of content/ is one the build does not read (and serve does
    not watch). No paper id or day starts with a dot, and editors and systems leave such
    files, some even as links to nowhere: Emacs's `.#x.md` lock, macOS's `._x.md` (a user's
    trial: each stopped the build). Nor has one `git mergetool`'s copies of a file it merges
    (`x_REMOTE_4242.md`, and `_BASE_`, `_LOCAL_`, `_BACKUP_`), left while the tool is open."""
    # No id or day has a "_": the pattern is tried on these names alone.
    return name.startswith(".") or ("_" in name and _MERGETOOL_COPY.search(name) is not None)


_MERGETOOL_COPY = re.compile(r"_(?:BACKUP|BASE|LOCAL|REMOTE)_\d+(?:\.[^.]*)?\Z")


def _holds(handle: int, folder: str, suffix: str) -> bool:
    """Whether `folder` (in the directory open as `handle`) holds a content file: an empty
    one, or one an archive tool made (`__MACOSX`), is no content put away."""
    try:
        inner = os.open(folder, os.O_RDONLY | os.O_DIRECTORY, dir_fd=handle)
    except OSError:
        return False
    try:
        return any(is_content_file(n, suffix) for n in os.listdir(inner))  # noqa: PTH208
    finally:
        os.close(inner)


def _misnamed(name: str, suffix: str, is_folder: bool) -> bool:
    if name.lower().endswith(_BACKUPS):
        return False
    day_file = suffix == ".toml"  # content/days/ is the folder of .toml files
    return (
        is_folder
        or name.casefold().endswith(suffix)
        or (not day_file and name.casefold().endswith(_MARKDOWN))
        or (day_file and bool(_DAY_NAME.fullmatch(name)))
    )


def kept(path: str) -> tuple[str, bytes]:
    """The token and the states that `compared` wrote at `path`; none ("", b"") if it is
    missing, cut off or garbled."""
    try:
        with open(path, "rb") as file:  # noqa: PTH123 (no pathlib: it starts in 20 ms)
            data = file.read()
    except OSError:
        return "", b""
    head, _, body = data.partition(b"\n")
    token, _, checksum = head.partition(b" ")
    if not token or checksum != b"%d" % zlib.crc32(body):
        return "", b""
    return token.decode("ascii", "replace"), body


def compared(
    content: str, kept_at: str, pending: str, token: str, listed: list[tuple[str, str]]
) -> bytes:
    """The token of the states kept at `kept_at`, a newline, then a NUL-terminated record for
    each file whose state now is not the kept one: its state now, or `dir/name/-` if it is
    gone. When any differ, the states now are written to `pending` under `token`, to be kept
    once what was read of the files is saved (sitegen.changed_content)."""
    now = states(content, listed)
    before_token, before = kept(kept_at)
    if now == before:  # a comparison of bytes: nothing else is done for 51,000 unchanged files
        return before_token.encode() + b"\n"
    try:
        os.makedirs(os.path.dirname(pending), exist_ok=True)  # noqa: PTH103, PTH120
        # A new file renamed over it: a symbolic link put there is replaced, what it points at
        # left alone (found by a review: a user's file was overwritten through one).
        temporary = f"{pending}.{os.getpid()}"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(fd, "wb") as file:
            file.write(b"%s %d\n%s" % (token.encode(), zlib.crc32(now), now))
        os.replace(temporary, pending)  # noqa: PTH105
    except OSError:
        pass  # a read-only checkout: nothing is kept, the next run compares with older states
    held, records = set(before.split(b"\0")), now.split(b"\0")
    changed = [record for record in records if record and record not in held]
    held.difference_update(records)  # the kept states of files changed or gone since
    changed_files = set(map(_file, changed))
    gone = sorted(f + b"/" + GONE for f in map(_file, held) if f not in changed_files)
    return b"%s\n%s" % (before_token.encode(), b"".join(r + b"\0" for r in changed + gone))


def _file(record: bytes) -> bytes:
    """`dir/name` of a record."""
    directory, name, _ = record.split(b"/", 2)
    return directory + b"/" + name


if __name__ == "__main__":
    content, kept_at, pending, token, *pairs = sys.argv[1:]
    listed = list(zip(pairs[::2], pairs[1::2], strict=True))
    sys.stdout.buffer.write(compared(content, kept_at, pending, token, listed))
