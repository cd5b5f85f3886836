"""Others' files in the output: what a user put in a site sitegen built (a CNAME, a
.nojekyll), which no build overwrites. A full build finds them (`others_in`) and carries
them over into its fresh copy (`carry_over`); an incremental one refuses to put a file the
site now has where one of them is (`refuse_others`), or to replace a file of the last build
that something else has taken the place of (`refuse_in_the_way`). sitegen.publish calls
them; the record of which files are sitegen's is its.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Collection, Iterable
from pathlib import Path

from sitegen.errors import BuildError, Location
from sitegen.output_folder import is_archive
from sitegen.urls import slash_places


def others_files(public: Path, recorded: Iterable[str]) -> tuple[str, ...]:
    """Files of `public` that a user put there (the `recorded` ones are sitegen's): those at
    its top level and in directories the site does not have. Those inside the site's own
    directories are kept too, but found only by a full build: the rebuild budget (under 2 s
    at 50k papers) has no room for a walk of public/ (0.5 s)."""
    if is_archive(public) or not public.is_dir():
        return ()  # an archive holds what sitegen wrote in it, and nothing else
    files = []
    for path in others_in(public, frozenset(recorded), deep=False):
        whole = public / path
        if whole.is_dir() and not whole.is_symlink():  # its files, one by one
            files += [
                f"{path}/{inner.relative_to(whole).as_posix()}"
                for inner in whole.rglob("*")
                if inner.is_symlink() or not inner.is_dir()
            ]
        else:
            files.append(path)
    return tuple(sorted(files))


def others_in(public: Path, recorded: frozenset[str] | None, *, deep: bool) -> list[str]:
    """The files and directories of `public` that no `recorded` path is or lies in; `deep`
    looks into the site's own directories, else only at the top level."""
    recorded = recorded or frozenset()
    if deep:
        holding = {path[:i] for path in recorded for i in slash_places(path)}
    else:
        holding = {path.partition("/")[0] for path in recorded}
    found: list[str] = []

    def visit(directory: str) -> None:
        with os.scandir(f"{public}/{directory}") as entries:
            for entry in entries:
                path = f"{directory}{entry.name}"
                if path in holding and entry.is_dir(follow_symlinks=False):
                    if deep:
                        visit(f"{path}/")
                elif path not in recorded:
                    found.append(path)

    visit("")
    return sorted(found)


def carry_over(path: str, public: Path, staging: Path, *, overwrite: bool) -> list[str]:
    """Give `staging` the file or directory `path` of `public` as it is: a second name of
    each file (a hard link), or a copy where the file system has none. Returns the files
    given; `overwrite` skips those `staging` has (else a collision is an error)."""
    source, target = public / path, staging / path
    if source.is_dir() and not source.is_symlink():
        with os.scandir(source) as entries:
            inner = [entry.name for entry in entries]
        made = not os.path.lexists(target)
        if not made and (target.is_symlink() or not target.is_dir()):
            raise _others_collide(public, path)  # the site renders a file there
        _make_directory(target, public=public, path=path)
        given = [
            file
            for name in inner
            for file in carry_over(f"{path}/{name}", public, staging, overwrite=overwrite)
        ]
        if made:
            shutil.copystat(source, target)  # its mode and times, as it was
        return given
    if os.path.lexists(target):
        if not overwrite:
            raise _others_collide(public, path)
        return []  # the site renders it: taken as sitegen's own
    _make_directory(target.parent, public=public, path=path)
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, target, follow_symlinks=False)
    return [path]


def _make_directory(target: Path, *, public: Path, path: str) -> None:
    try:
        target.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):  # the site renders a file on its way
        raise _others_collide(public, path) from None


def refuse_others(public: Path, path: str, removed: Collection[str], ways: set[str]) -> None:
    """Refuse to put a file the site now has at `path` of `public` where a user's file is, or
    on its way (a file where the path needs a directory). What the last build wrote and this
    one `removed` is no user's: a file of static/ made a folder, or a folder made a file (a
    review: every later build was refused). `ways`: as for `_blocked_way`."""
    if os.path.lexists(f"{public}/{path}") and not _all_removed(public, path, removed):
        raise _others_collide(public, path)
    if (blocked := _blocked_way(public, path, ways)) is not None and blocked not in removed:
        raise _others_collide(public, blocked)


def _all_removed(public: Path, path: str, removed: Collection[str]) -> bool:
    """Whether `path` of `public` is a folder (no link) of files that are all `removed`."""
    folder = public / path
    if folder.is_symlink() or not folder.is_dir():
        return False
    unreadable: list[OSError] = []  # a user's folder it cannot list is not all removed
    for at, folders, files in os.walk(folder, onerror=unreadable.append):
        if not folders and not files:  # an empty folder: no removal takes it away
            return False
        if any(Path(at, name).is_symlink() for name in folders):  # a user's: walk does not
            return False  # go into it
        inside = Path(at).relative_to(public).as_posix()
        if any(f"{inside}/{name}" not in removed for name in files):
            return False
    return not unreadable


def refuse_in_the_way(public: Path, path: str, ways: set[str]) -> None:
    """Refuse to replace or remove a file of the last build at `path` of `public` that is no
    longer a file (a directory or a link made in its place), or whose way is no longer made of
    directories (a file or a link where one was); `ways`: the directories found fine so far."""
    target = public / path
    if target.is_symlink() or (target.exists() and not target.is_file()):
        raise _in_the_way(public, path)
    if (blocked := _blocked_way(public, path, ways)) is not None:
        raise _in_the_way(public, blocked)


def _blocked_way(public: Path, path: str, ways: set[str]) -> str | None:
    """The first directory on `path`'s way under `public` that is a link or not a directory;
    None when the way is clear (up to where it does not exist yet). `ways`: directories found
    clear before, skipped, and added to."""
    for index in slash_places(path):
        way = path[:index]
        if way in ways:
            continue
        ancestor = public / way
        if ancestor.is_symlink() or (ancestor.exists() and not ancestor.is_dir()):
            return way
        if not ancestor.exists():
            return None
        ways.add(way)
    return None


def _in_the_way(public: Path, path: str) -> BuildError:
    return BuildError(
        "a directory, link or file was put where the last build wrote a page or feed",
        location=Location(str(public / path)),
        hint="move or remove it, then build again (a build never replaces what you made)",
    )


def _others_collide(public: Path, path: str) -> BuildError:
    return BuildError(
        "sitegen did not make this file, and the site now has a page, a feed or a file of"
        " static/ here",
        location=Location(str(public / path)),
        hint="move or rename it, then build again (a build never overwrites your files); a copy"
        " you now keep in static/: delete this one",
    )
