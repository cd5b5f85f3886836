"""The package's shape (issue #13): a pure core of listings, merge, site model and rendering,
which imports no module of the edges around it (the store, caches, the network, processes,
the output directory). Rendering reads what it is given to read: the papers' files through the
site's mapping, and templates/."""

from __future__ import annotations

import json
import subprocess
import sys

# What a listing becomes, through the site model, to a page or a feed's bytes.
PURE_CORE = (
    "sitegen.listings", "sitegen.ingest", "sitegen.model", "sitegen.topics", "sitegen.periods",
    "sitegen.trends", "sitegen.custom_feeds", "sitegen.config", "sitegen.fields",
    "sitegen.formats", "sitegen.site", "sitegen.urls", "sitegen.pages", "sitegen.feeds",
    "sitegen.parts", "sitegen.outputs",
)  # fmt: skip
# The edges: the store, caches, the network, processes, the output directory.
EDGES = (
    "sitegen.store", "sitegen.cache", "sitegen.transaction", "sitegen.publish", "sitegen.fetch",
    "sitegen.hf_client", "sitegen.fetch_state", "sitegen.build", "sitegen.render",
    "sitegen.workers", "sitegen.search", "sitegen.search_index", "sitegen.serve",
    "sitegen.archive", "sitegen.beside", "sitegen.hand_edits", "sitegen.file_states",
    "sitegen.templating", "sitegen.listing_files", "sitegen.cli",
)  # fmt: skip


def test_the_pure_core_imports_no_module_of_the_edges() -> None:
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
    assert not set(loaded) & set(EDGES)
