"""The site's own files: everything in `static/`, beside `templates/`, published as it is at
the same path under the site (a CNAME, a logo, a search engine's verification page, an About
page). A fork's scheduled build starts from a fresh clone, so a file put into `public/` by
hand never reaches its site: this folder is how one does."""

from __future__ import annotations

import os
import time
from pathlib import Path
from stat import S_ISREG

from sitegen.errors import ContentError, Location, reason_of
from sitegen.file_states import may_change_unseen
from sitegen.layout import STATIC_DIR
from sitegen.urls import SEARCH_INDEX_DIR

# Never published: a submodule's or a clone's .git (a build would then take public/ for a
# git working tree, and refuse it: a review), and the files systems and editors leave.
_SKIPPED = frozenset({".git", ".DS_Store", "Thumbs.db", "Icon\r"})  # Icon\r: macOS Finder's
_SKIPPED_ENDS = ("~", ".swp", ".swo")
# Emacs's, beside a file being edited: its lock (`.#name`, a link to nowhere, which stopped the
# build as a link) and its auto-save (`#name#`).
_EMACS_LOCK = ".#"
_EMACS_AUTO_SAVE = "#"


def own_files(root: Path) -> tuple[tuple[str, str, str], ...]:
    """Each file of `root`/static/, sorted: (its path under the site, its file, its size and
    time, which change with its bytes). A link, or a name the site cannot hold, is an error
    naming it; so is a folder that cannot be read (its files would leave the site)."""
    folder = (root / STATIC_DIR).absolute()
    if not folder.is_dir():
        if folder.is_symlink() or folder.exists():
            raise _refused(folder, folder, "not a folder", "move it away, or make static/ a folder")
        return ()

    def unreadable(error: OSError) -> None:
        raise _refused(
            folder, Path(error.filename or folder), f"cannot read it: {reason_of(error)}"
        )

    found = []
    stated_at = time.time_ns()
    for at, folders, files in os.walk(folder, onerror=unreadable):
        folders[:] = sorted(name for name in folders if not _skipped(name))
        for name in [*folders, *files]:
            path = Path(at, name)
            if path.is_symlink() and not _skipped(name):  # it would publish whatever it points at
                raise _refused(folder, path, "a link", "copy the file itself into static/")
        for name in sorted(files):
            if _skipped(name):
                continue
            path = Path(at, name)
            shown = path.relative_to(folder).as_posix()
            if problem := _unpublishable(shown):
                raise _refused(folder, path, problem, "rename it or move it")
            try:
                stat = path.stat()
            except OSError as error:
                raise _refused(folder, path, f"cannot read it: {reason_of(error)}") from None
            if not S_ISREG(stat.st_mode):  # a FIFO: reading it hung the build
                raise _refused(folder, path, "not a regular file", "take it out of static/")
            if not os.access(path, os.R_OK):
                raise _refused(folder, path, "cannot read it: Permission denied")
            # Its ctime too, which every write moves and no tool sets back (a review: an edit
            # of the same size with its mtime kept, cp -p, was not published).
            stamp = f"{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}"
            if may_change_unseen(stat, stated_at):  # saved again within its tick: a new stamp
                stamp += f":{stated_at}"
            found.append((shown, str(path), stamp))
    return tuple(sorted(found))


def _skipped(name: str) -> bool:
    return (
        name in _SKIPPED
        or name.endswith(_SKIPPED_ENDS)
        or name.startswith(_EMACS_LOCK)
        or (len(name) > 2 and name.startswith(_EMACS_AUTO_SAVE) and name.endswith(_EMACS_AUTO_SAVE))
    )


def _unpublishable(path: str) -> str:
    """What keeps the site from publishing a file at `path`, if anything."""
    try:
        path.encode()
    except UnicodeEncodeError:  # a name of bytes that are no UTF-8 (a review: a traceback)
        return "a name that is not UTF-8, which no address can hold"
    if "\\" in path:
        return "a name with a backslash, which browsers read as a folder's /"
    if any(ord(c) < 32 or ord(c) == 127 for c in path):  # a newline broke the build record
        return "a name with a control character (a newline, a tab), which no address holds"
    if path.split("/")[0] == SEARCH_INDEX_DIR:
        return f"a file in {SEARCH_INDEX_DIR}/, where the site's search index is"
    return ""


def _refused(
    folder: Path, path: Path, problem: str, hint: str = "check its permissions"
) -> ContentError:
    """`path` of static/ (`folder`) named from the site's folder, as content/'s files are (a
    new user's trial: by their whole path)."""
    try:
        shown = Path(STATIC_DIR, path.relative_to(folder)).as_posix()
    except ValueError:
        shown = str(path)
    return ContentError(problem, location=Location(shown), hint=hint)
