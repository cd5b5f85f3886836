"""The identity of the code that writes a build: sitegen's version, a digest of its source, and
the releases of the libraries it renders with. A cache another code wrote is not reused
(sitegen.cache), and a build of another code renders every page again (sitegen.build)."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import sys
from importlib.util import find_spec
from pathlib import Path

from sitegen import __version__

# The distributions, by their modules, whose code shapes what a build writes besides sitegen's
# own: a release of one (markdown-it-py escaping otherwise, lxml serialising otherwise) must
# render every page again, not leave the pages it did not re-render as the last release made
# them. tests/test_build.py checks that a build imports no other distribution.
RENDERED_WITH = {
    "feedgen": "feedgen",
    "idna": "idna",  # UTS 46's table: which links a page carries (clean.web_url)
    "jinja2": "jinja2",
    "linkify-it-py": "linkify_it",
    "lxml": "lxml",
    "markdown-it-py": "markdown_it",
    "markupsafe": "markupsafe",
    "mdurl": "mdurl",
    "pagefind": "pagefind",
    "pagefind-bin-extended": "pagefind_bin_extended",
    "python-dateutil": "dateutil",
    "uc-micro-py": "uc_micro",  # linkify-it-py before 2.1
}


@functools.cache
def code_version() -> str:
    """sitegen's version, a digest of its source and the versions of the distributions it
    renders with and of Python (its Unicode data folds search words): what another code wrote
    is not reused."""
    package = Path(__file__).parent
    source = hashlib.blake2b(digest_size=12)
    for path in sorted(package.rglob("*.py")):
        source.update(f"{path.relative_to(package).as_posix()}\0".encode())
        source.update(path.read_bytes())
    for distribution, module in RENDERED_WITH.items():
        source.update(f"{distribution}=={installed_version(distribution, module)}\0".encode())
    source.update(f"python {sys.version_info.major}.{sys.version_info.minor}".encode())
    return f"{__version__}/{source.hexdigest()}"


@functools.cache
def installed_version(distribution: str, module: str) -> str:
    """The installed version of `distribution`, read from the name of the dist-info directory
    beside `module`, where pip installs it: importlib.metadata, the fallback, took 0.02 s to
    import, in every rebuild (the rebuild budget, under 2 s at 50k papers)."""
    spec = find_spec(module)
    if spec is None:
        return "missing"
    if spec.origin is not None:
        beside = Path(spec.origin).parent.parent
        wanted = distribution.replace("-", "_").lower()
        releases = []
        with contextlib.suppress(OSError):
            for name in os.listdir(beside):  # noqa: PTH208 (names alone, once per distribution)
                found, _, release = name.removesuffix(".dist-info").partition("-")
                if name.endswith(".dist-info") and found.replace("-", "_").lower() == wanted:
                    releases.append(release)
        if releases:  # several, when an upgrade left the old one's behind: all of them, sorted
            return ",".join(sorted(releases))
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415 (see above)

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "unknown"
