"""The output folder: where a build writes the site, and whether it may.

`output_directory` finds the folder through a link to a web root; `check_output` refuses,
before anything is touched, an output a build must not replace (the site, its sources, a git
working tree, a mount point, a folder of a user's files, a compressed archive's name);
`exclusive` holds its lock, so one build at a time writes it. What sitegen writes beside an
output X is named here too (`.X.lock`, `.X.outputs`, `.X.staging-<pid>`, ...), so that no
output is named like one of them. sitegen.publish writes into the folder.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from sitegen.errors import BuildError, Location, reason_of
from sitegen.layout import CACHE_DIR, CONTENT_DIR, CONTENT_JOURNAL, STATIC_DIR, TEMPLATES_DIR
from sitegen.mounts import mount_points, mounts_under
from sitegen.store_lock import holder_of, say_holder
from sitegen.urls import is_plain_relative

# A tar archive's names, compressed or in capitals.
_ARCHIVE_LOOKING = (".tar", ".tgz", ".tar.gz", ".tar.bz2", ".tar.xz", ".tar.zst")
# Archives' names too, unless a directory has it already: a web root may be named after its
# domain ("example.zip" is one), and a new user's trial had a new directory named site.zip.
_ARCHIVE_NAMES = (".zip", ".7z")


def is_archive(out: Path) -> bool:
    """Whether the output `out` is the site as one tar archive rather than a directory."""
    return out.suffix == ".tar"


def record_file(public: Path) -> Path:
    """The record of what each file of `public` was rendered from (sitegen.build_record)."""
    return public.with_name(f".{public.name}.outputs")


def journal_file(public: Path) -> Path:
    """The journal of an incremental build's change to `public` (sitegen.transaction)."""
    return public.with_name(f".{public.name}.journal")


@contextmanager
def exclusive(public: Path) -> Iterator[None]:
    """Hold the lock of `public` beside it: two builds (a `serve` and a `build`, say) take
    turns instead of interleaving their changes."""
    public = public.absolute()
    lock_file = public.with_name(f".{public.name}.lock")
    if file := next((p for p in public.parents if p.exists() and not p.is_dir()), None):
        raise BuildError(  # not "cannot create the lock file ...: File exists"
            f"{file} is a file, so no directory can be made inside it",
            location=Location(str(public)),
            hint="give --out a directory in a place you can write to",
        )
    try:
        public.parent.mkdir(parents=True, exist_ok=True)
        lock = lock_file.open("a")
    except OSError as error:
        raise BuildError(
            f"cannot create the lock file {lock_file} beside the output: {reason_of(error)}",
            location=Location(str(public)),
            hint="give --out a directory in a place you can write to",
        ) from None
    with lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released when the file is closed
        except BlockingIOError:
            # Said, as the store's lock says it: a build that waited here without a word,
            # then said "0 rendered", looked hung, then idle (a new user's trial).
            print(f"sitegen: waiting for {holder_of(lock_file)} to finish building into"
                  f" {public}", file=sys.stderr, flush=True)  # fmt: skip
            fcntl.flock(lock, fcntl.LOCK_EX)
        say_holder(lock.fileno())
        try:
            yield
        finally:
            with suppress(OSError):  # it says who holds the output only while someone does
                os.ftruncate(lock.fileno(), 0)


def safe_relative(path: str) -> str:
    """`path` when it names a file inside the output directory, in the one way routes spell
    paths; else a ValueError."""
    if not is_plain_relative(path):
        raise ValueError(f"artifact path escapes the output directory: {path!r}")
    return path


def output_directory(out: Path) -> Path:
    """Where a build publishes `out`: its target when `out` is a symbolic link (public/ linked
    to a web root), so the link stays and what it points at is updated (issue #19)."""
    try:
        if not out.is_symlink():
            try:
                out.stat()  # a loop on the way to it (--out LOOP/www) raises ELOOP
            except OSError as error:
                if error.errno == errno.ELOOP:
                    raise
            # `--out .` or `..` names a folder without its name, which what a build makes
            # beside it is named after (its lock, staging copy, search index): a traceback.
            return out if out.name not in ("", "..") else Path(os.path.abspath(out))  # noqa: PTH100
        target = out.resolve()
        with suppress(FileNotFoundError):  # a link to a directory yet to be made
            out.stat()  # a loop raises ELOOP: resolve() says so only before Python 3.13
    except (OSError, RuntimeError) as error:  # a name too long, a link to itself
        if isinstance(error, OSError) and error.errno != errno.ELOOP:
            reason = reason_of(error)
        else:
            reason = "a symbolic link loop"
        raise BuildError(
            f"cannot build into it: {reason}",
            location=Location(str(out)),
            hint="give --out a directory in a place you can write to",
        ) from None
    if target.exists() and not target.is_dir():
        raise BuildError(
            f"{out} links to {target}, which is not a directory",
            location=Location(str(out)),
            hint="point the link at a directory, or pass --out DIR",
        )
    return target


# What a site directory holds that no build may replace (the output is replaced whole).
_SOURCES = (CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR, CACHE_DIR)
# What a build killed leaves beside an output X: .X.<kind>-<pid>, and beside a staging copy its
# workers' job files or an archive's half-written next one (remove_leftovers clears them).
_LEFTOVER_KINDS = ("staging", "old", "search")
STAGING_FILES = r"(?:\.job\.pickle|\.job\.papers|\.tar)?"
# What sitegen writes beside an output X (.X.lock, .X.outputs, .X.journal, and the leftovers
# above) and in a site (its content's journal)
_OWN_NAME = re.compile(
    rf"\..+\.(?:lock|outputs|journal|(?:{'|'.join(_LEFTOVER_KINDS)})-\d+{STAGING_FILES})"
    rf"|{re.escape(CONTENT_JOURNAL)}"
)


def check_output(out: Path, *, root: Path) -> None:
    """Refuse an output a build must not replace: anything but a missing or empty directory,
    or one sitegen built (its record is beside it). Never the site, an ancestor of it, its
    sources or a git working tree. Nothing is touched: this only looks."""
    where = Location(str(out))
    name = out.name.lower()
    if not is_archive(out) and (
        name.endswith(_ARCHIVE_LOOKING) or (name.endswith(_ARCHIVE_NAMES) and not out.is_dir())
    ):
        # Else a directory named so: "site.tar.gz" and "site.TAR" were built as directories.
        raise BuildError(
            "sitegen writes the site as a directory or as one uncompressed NAME.tar archive",
            location=where,
            hint="give --out a NAME.tar (GitHub Pages deploys it as is) or a directory name",
        )
    # The next build would take it, or a folder it is in, for its own leftover and remove it
    # (a hostile-input trial; reviews: `--out .public.staging-1/www`, and through a link).
    target, site = out.resolve(), root.resolve()
    if owns := [p for p in (*out.absolute().parts, *target.parts) if _OWN_NAME.fullmatch(p)]:
        raise BuildError(
            f"{owns[0]} is named as sitegen names its own files beside a site (a lock, a"
            " record, a journal, a staged or old copy): another build would take it for one",
            location=where,
            hint="build into a folder of another name, outside it",
        )
    default_out = target == (site / "public").resolve()  # no --out was given (or serve's)
    # Not "leave out --out" to one who gave none (a trial: public/ a file, or a clone of the
    # pages branch as Hugo's guides once made it, was told to do what they did).
    hint = (
        "move public/ away, or build elsewhere with sitegen build --out DIR"
        if default_out
        else "build into a new or empty directory, or leave out --out to build into public/"
    )
    if target == site or site.is_relative_to(target):
        what = "the site directory" if target == site else "a directory that holds the site"
        raise BuildError(
            f"refusing to build into {what}: a build replaces everything in its output",
            location=where,
            hint=hint,
        )
    for source in _SOURCES:
        if target.is_relative_to((site / source).resolve()):
            raise BuildError(
                f"refusing to build into {source}/: it holds the site's "
                + ("caches" if source == CACHE_DIR else "sources"),
                location=where,
                hint=hint,
            )
    for outer in target.parents:  # a site inside a site would be published with it
        if outer.name and record_file(outer).exists():
            raise BuildError(
                f"refusing to build into a site sitegen built ({outer.name}/): the inner site"
                " would be published as part of it",
                location=where,
                hint="build into a directory outside it",
            )
    # Linux's list of mounts names a bind mount of a folder of the same disk too, which
    # os.path.ismount does not see (a review: a Docker volume's `-v /srv/www:/site/public`).
    points = mount_points()
    if mounts := mounts_under(str(target), points):
        # A full build removes the folder it replaces, and so what a mount inside it holds (a
        # review: a volume mounted at public/media was emptied).
        raise BuildError(
            f"a filesystem is mounted inside it ({target / mounts[0]}): a build replaces its"
            " output whole",
            location=where,
            hint="unmount it, or build into another folder and mount that",
        )
    if os.path.ismount(target) or str(target) in points:  # a Docker volume, a mounted web root
        raise BuildError(
            "a mount point: a build swaps its output in whole, which a mount point cannot be",
            location=where,
            hint="build into a folder inside it (--out /mnt/www/site), or mount its parent",
        )
    # os.path.exists: a folder that cannot be read is no working tree known, and is said below
    # ("cannot look into the output"); Path.exists raised PermissionError (a review).
    if ".git" in target.parts or os.path.exists(target / ".git"):  # noqa: PTH110
        raise BuildError(
            "refusing to build into a git working tree: a build replaces everything in its output",
            location=where,
            hint=hint,
        )
    if not os.path.lexists(target):
        return
    if is_archive(out):
        if target.is_dir():  # never sitegen's: "remove it" was said of a folder of one's files
            raise BuildError(
                "a folder, and sitegen writes NAME.tar as one archive file",
                location=where,
                hint="give --out a new NAME.tar, or a folder whose name does not end in .tar",
            )
        if target.is_file() and record_file(out.absolute()).exists():
            return  # written by sitegen
        raise BuildError(
            f"refusing to replace {out.name}: sitegen did not write it (no {record_file(out).name}"
            " beside it)",
            location=where,
            hint="remove it if it is an old site, or give --out a new NAME.tar",
        )
    if not target.is_dir():
        raise BuildError(
            "refusing to build into a file: a build would replace it with the site's directory",
            location=where,
            hint=hint,
        )
    if record_file(out.absolute()).exists():
        return  # built by sitegen: its files are the site's
    try:
        with os.scandir(target) as entries:
            first = next((entry.name for entry in entries), None)
    except OSError as error:
        raise BuildError(
            f"cannot look into the output: {reason_of(error)}", location=where, hint=hint
        ) from None
    if first is not None:
        record = record_file(out.absolute()).name
        shown = "public/" if default_out else f"{str(out).rstrip('/')}/"
        elsewhere = "give --out a new or empty directory"
        # Deleting is offered for a site, never a home. os.path.isfile: a folder listed but not
        # entered (mode 444) holds none known; Path.is_file raised PermissionError (a review).
        if os.path.isfile(target / "index.html"):  # noqa: PTH113
            hint = f"if {shown} is an old build, delete it or move it away, then build again"
            hint += "" if default_out else f"; or {elsewhere}"
        else:
            hint = (
                f"move what {shown} holds elsewhere, or {elsewhere}" if default_out else elsewhere
            )
        raise BuildError(
            f"refusing to build into {shown}: it holds {first!r} but has no build record"
            f" ({record}) beside it, so sitegen cannot tell its own files from others",
            location=where,
            hint=hint,
        )
