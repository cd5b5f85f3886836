"""Which content files changed since the last run: the answer of the stat child
(sitegen.file_states, run beside the caller by sitegen.beside) read against the parse cache
and the states kept with it.

A file is changed when its state (inode, size, mtime, ctime) is not the one kept, gone when
only the kept states have it; a file that is not a regular file, or is misnamed, is an error.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

from sitegen import beside, file_states
from sitegen.cache import ParseCache
from sitegen.errors import ContentError, Location
from sitegen.layout import CACHE_DIR, CONTENT_DIR, DAYS_FOLDER, PAPERS_FOLDER

_LISTED = [(PAPERS_FOLDER, ".md"), (DAYS_FOLDER, ".toml")]  # the folders whose files are read
# The content files' states when the parse cache was last saved, and this run's until then.
_KEPT_STATES = f"{CACHE_DIR}/content-states"
_PENDING_STATES = f"{CACHE_DIR}/content-states.new"


def content_states_beside(root: Path, token: str) -> Callable[[], bytes]:
    """The content files' states compared with those kept (sitegen.file_states), worked out by
    a child process while the caller goes on (the rebuild budget, see sitegen.file_states)."""
    content, kept_at, pending = (
        str(root.absolute() / path) for path in (CONTENT_DIR, _KEPT_STATES, _PENDING_STATES)
    )
    listed = (x for pair in _LISTED for x in pair)
    child = beside.started(file_states.__file__, content, kept_at, pending, token, *listed)

    # None when the child could not run: this process stats them (an answer is never empty).
    return lambda: child() or file_states.compared(content, kept_at, pending, token, _LISTED)


def _misnamed(root: Path, directory: str, name: str) -> ContentError:
    path = root / CONTENT_DIR / directory / name
    kind, suffix = ("day", ".toml") if directory == DAYS_FOLDER else ("paper", ".md")
    shape = f"{CONTENT_DIR}/{directory}/" + ("YYYY-MM-DD.toml" if kind == "day" else "<id>.md")
    if path.is_dir():
        return ContentError(
            f"a folder among the {kind} files: only {shape} files are read, so the {kind}s"
            " in it are not on the site",
            location=Location(str(path)),
            hint=f"move its files up into {CONTENT_DIR}/{directory}/, or the folder out of"
            f" {CONTENT_DIR}/",
        )
    stem = name.split(".")[0] if kind == "day" else name.rsplit(".", 1)[0]
    named = f"{CONTENT_DIR}/{directory}/{stem}{suffix}"
    return ContentError(
        f"not read: {kind} files are named {shape}, so this {kind} is not on the site",
        location=Location(str(path)),
        # Not "rename it" over a file that is there: that loses it.
        hint=f"{named} is there too: move what this one adds into it, then delete this one"
        if (root / named).exists()
        else f"rename it {named}, or move it out of {CONTENT_DIR}/",
    )


def changed_content_files(
    root: Path, answer: bytes, cache: ParseCache, token: str
) -> tuple[dict[str, list[str]], dict[str, list[str]], str]:
    """From the answer of sitegen.file_states: the files (by directory, names in order) whose
    state is not the one kept, those gone, and the token of the states now. A file that is not
    a regular file is an error (were it skipped, its paper would silently leave the site:
    issue #19). With states kept that are not the cache's (a crash between their writes, a
    cache lost or ignored), every file is changed, and those only the cache holds are gone."""
    before_token, _, records = answer.partition(b"\n")
    states_token = token if records else before_token.decode()
    matched = bool(before_token) and before_token.decode() == cache.states_token
    if not matched:
        held_token, records = file_states.kept(
            str(root / (_PENDING_STATES if records else _KEPT_STATES))
        )
        if held_token != states_token:  # not kept (a read-only checkout): stat them again
            records = file_states.states(str(root / CONTENT_DIR), _LISTED)
    changed: dict[str, list[str]] = {}
    gone: dict[str, list[str]] = {}
    for record in records.split(b"\0"):
        if not record:
            continue
        directory, name, identity = record.split(b"/", 2)
        if identity == file_states.NOT_A_FILE and not name:
            # A folder, then, that cannot be listed: "remove it" was said of the folder of
            # every paper.
            raise ContentError(
                "cannot list it: a folder without permission, or not a folder",
                location=Location(str(root / CONTENT_DIR / os.fsdecode(directory))),
                hint="check it (ls -ld), then run again",
            )
        if identity == file_states.NOT_A_FILE:
            raise ContentError(
                "not a file: a directory, a device or a broken link where a content file belongs",
                location=Location(str(root / CONTENT_DIR / os.fsdecode(directory + b"/" + name))),
                hint="remove it, or restore it (git checkout), then run again",
            )
        if identity == file_states.MISNAMED:
            raise _misnamed(root, directory.decode(), os.fsdecode(name))
        into = gone if identity == file_states.GONE else changed
        into.setdefault(directory.decode(), []).append(os.fsdecode(name))
    if not matched:
        for folder, held in (
            (PAPERS_FOLDER, cache.papers.keys()),
            (DAYS_FOLDER, cache.days.keys()),
        ):
            gone[folder] = list(held - set(changed.get(folder, ())))
    return changed, gone, states_token


def keep_pending_states(root: Path) -> None:
    """Keep this run's states, pending until now, as the last run's: called once the parse
    cache that matches them is saved (a crash between: the next run is slow, not wrong)."""
    with contextlib.suppress(OSError):
        (root / _PENDING_STATES).replace(root / _KEPT_STATES)
