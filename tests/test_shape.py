"""The package's shape (issue #13): a pure core of listings, merge, site model and rendering,
which imports no module of the edges around it (the store, caches, the network, processes,
the output directory) and touches no file itself. Rendering reads what it is given to read:
the papers' files through the site's mapping, and the files published as they are through
the function the renderer is given (`Renderers.read_file`)."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

SITEGEN = Path(__file__).resolve().parent.parent / "sitegen"

# What a listing becomes, through the site model, to a page or a feed's bytes.
PURE_CORE = (
    "sitegen.listings", "sitegen.clean", "sitegen.dates", "sitegen.ingest", "sitegen.model",
    "sitegen.topics", "sitegen.periods", "sitegen.trends", "sitegen.custom_feeds", "sitegen.config",
    "sitegen.fields", "sitegen.formats", "sitegen.site", "sitegen.urls", "sitegen.pages",
    "sitegen.bylines", "sitegen.abstracts", "sitegen.feeds", "sitegen.parts", "sitegen.sitemaps",
    "sitegen.api", "sitegen.output_keys", "sitegen.outputs", "sitegen.feed_papers",
    "sitegen.layout", "sitegen.wording", "sitegen.letters", "sitegen.typos",
)  # fmt: skip
# What any module may import: the package, and the errors every stage raises.
SHARED = ("sitegen", "sitegen.errors")


def _modules() -> Iterator[tuple[str, Path]]:
    """Every module of the package, by name, with its file."""
    for path in sorted(SITEGEN.rglob("*.py")):
        parts = path.relative_to(SITEGEN.parent).with_suffix("").parts
        yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


def _in_core(name: str) -> bool:
    return name in SHARED or any(name == m or name.startswith(f"{m}.") for m in PURE_CORE)


def test_the_pure_core_imports_no_module_of_the_edges() -> None:
    # The edges are every other module, so a new one is an edge until the core lists it.
    edges = {name for name, _ in _modules() if not _in_core(name)}
    assert {"sitegen.store", "sitegen.render", "sitegen.fetch", "sitegen.cli"} <= edges
    # In a new interpreter: this one has imported everything already.
    code = (
        "import importlib, json, sys\n"
        f"for name in {PURE_CORE!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('sitegen'))))"
    )
    loaded = json.loads(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, check=True, text=True
        ).stdout
    )
    assert set(PURE_CORE) <= set(loaded)
    assert sorted(set(loaded) & edges) == []


# Modules and methods that reach files, processes or threads (PurePath's name and stem do not;
# any module's open(), gzip's too, is found below as a call named open).
_IO_MODULES = {
    "os", "io", "shutil", "tempfile", "subprocess", "threading", "multiprocessing",
    "concurrent", "socket", "mmap", "pickle", "sqlite3", "fcntl", "tarfile", "zipfile", "glob",
}  # fmt: skip
_FILE_METHODS = {
    "read_bytes", "read_text", "write_bytes", "write_text", "iterdir", "glob", "rglob",
    "mkdir", "rmdir", "unlink", "touch", "stat", "lstat", "exists", "is_file", "is_dir",
}  # fmt: skip


def test_the_pure_core_touches_no_file_itself() -> None:
    """Found by a review: the stylesheet, the icon and the files of static/ were read by
    `outputs.py`, which the import test above could not see."""
    found = []
    for name, path in _modules():
        if not _in_core(name) or name in SHARED:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            where = f"{path.relative_to(SITEGEN.parent)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Import | ast.ImportFrom):
                modules = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                if isinstance(node, ast.ImportFrom):
                    modules.append(node.module or "")
                found += [f"{where} imports {m}" for m in modules if m.split(".")[0] in _IO_MODULES]
            elif isinstance(node, ast.Attribute) and node.attr in _FILE_METHODS:
                found.append(f"{where} calls .{node.attr}")
            elif isinstance(node, ast.Call) and "open" in (
                getattr(node.func, "id", None),
                getattr(node.func, "attr", None),  # Path(...).open(); a period's `open` is no call
            ):
                found.append(f"{where} calls open()")
    assert found == []


# The public API, as `import sitegen` offers it (httpx-style): a change to it is deliberate.
PUBLIC_API = {
    "BuildError", "BuildReport", "ConfigError", "ContentError", "ContentSnapshot", "Day",
    "DayEntry", "FetchError", "IngestReport", "Listing", "ListingEntry", "ListingError",
    "Location", "Paper", "Site", "SiteConfig", "SitegenError", "TemplateError", "Topic",
    "UsageError", "__version__", "assemble_site", "build_site", "ingest_into_store",
    "ingest_listings", "load_content", "parse_config", "parse_listing",
}  # fmt: skip


def test_the_public_api_is_exactly_all_and_import_sitegen_loads_none_of_it() -> None:
    """`__all__` is the API, each name resolves to sitegen's own object, and a star import
    gives exactly those names; `import sitegen` alone imports no stage (the ingest budget:
    `sitegen ingest` must not pay for the build's libraries)."""
    program = """
import json, sys
import sitegen
loaded = sorted(m for m in sys.modules if m.startswith("sitegen.") or m in ("jinja2", "httpx"))
names = {}
exec("from sitegen import *", names)
owners = {n: getattr(getattr(sitegen, n), "__module__", "sitegen") for n in sitegen.__all__}
try:
    sitegen.no_such_name
    missing = "resolved"
except AttributeError as error:
    missing = str(error)
starred = sorted(set(names) - {"__builtins__"})
print(json.dumps([sitegen.__all__, loaded, starred, owners, missing]))
"""
    run = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    public, loaded, starred, owners, missing = json.loads(run.stdout)
    assert set(public) == PUBLIC_API and len(public) == len(PUBLIC_API)
    assert loaded == []
    assert set(starred) == PUBLIC_API
    assert all(owner.startswith("sitegen") for owner in owners.values()), owners
    assert missing == "module 'sitegen' has no attribute 'no_such_name'"


def test_the_readme_names_every_module_and_the_whole_pure_core() -> None:
    """Found by a review: of the seven modules one day's moves added, the README's map of the
    package named six; `wording.py`, of the pure core, was in neither the map nor its list of
    the core (PURE_CORE above), and `errors.py` and `progress.py` had never been named."""
    readme = (SITEGEN.parent / "README.md").read_text()
    named = set(re.findall(r"`((?:listings/)?\w+\.py|listings/)`", readme))
    unnamed = [
        path.relative_to(SITEGEN).as_posix()
        for path in sorted(SITEGEN.glob("*.py"))
        if path.stem not in ("__init__", "__main__")
        and path.relative_to(SITEGEN).as_posix() not in named
    ]
    assert unnamed == [], "modules the README's map of the package does not name"
    core_sentence = readme[readme.index("The pure core (") :].split(")", 1)[0]
    in_sentence = set(re.findall(r"`([\w/]+(?:\.py)?)`", core_sentence))
    helpers = {"sitegen.periods", "sitegen.trends", "sitegen.custom_feeds"}  # site.py's
    listed = {"sitegen." + name.removesuffix(".py").rstrip("/") for name in in_sentence}
    assert sorted(set(PURE_CORE) - helpers - listed) == []
    assert sorted(listed - set(PURE_CORE)) == []
