"""The site's own files: everything in `static/`, beside `templates/`, published as it is at
the same path under the site (a CNAME, a logo, a search engine's verification page, an About
page). A fork's scheduled build starts from a fresh clone, so a file put into `public/` by
hand never reaches its site: this folder is how one does (a fork owner's trial)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sitegen.errors import ContentError, Location
from sitegen.search import INDEX_DIR
from sitegen.transaction import is_plain_relative

STATIC_DIR = "static"


def own_files(root: Path) -> tuple[tuple[str, str, str], ...]:
    """Each file of `root`/static/, sorted: (its path under the site, its file, a digest of
    its bytes). A link, or a name the site cannot hold, is an error naming it."""
    folder = (root / STATIC_DIR).absolute()
    try:
        if not folder.is_dir():
            if folder.is_symlink() or folder.exists():
                raise _refused(folder, "not a folder", "move it away, or make static/ a folder")
            return ()
        found = []
        for path in sorted(folder.rglob("*")):
            name = path.relative_to(folder).as_posix()
            if path.is_symlink():  # it would publish whatever it points at
                raise _refused(path, "a link", "copy the file itself into static/")
            if path.is_dir():
                continue
            if not path.is_file():
                raise _refused(path, "not a regular file", "take it out of static/")
            if not is_plain_relative(name) or name.split("/")[0] == INDEX_DIR:
                raise _refused(
                    path, f"the site cannot publish a file here ({INDEX_DIR}/ is the search's)",
                    "rename it or move it",
                )  # fmt: skip
            digest = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
            found.append((name, str(path.absolute()), digest))
    except OSError as error:
        raise _refused(
            Path(error.filename or folder), f"cannot read it: {error.strerror}",
            "check its permissions",
        ) from None  # fmt: skip
    return tuple(found)


def _refused(path: Path, problem: str, hint: str) -> ContentError:
    return ContentError(problem, location=Location(str(path)), hint=hint)
