"""sitegen: Hugging Face Daily Papers as a static site with RSS, Atom and JSON feeds.

The pipeline, one module per stage: listings (parsers) -> ingest (pure merge) -> store_writes
and store (the content store on disk, written and read) -> site (the site model) -> outputs
(every page and feed: pages.py, feeds.py, urls.py) -> render (in worker processes when there
are enough) -> publish (into public/, all or nothing, with the search index's shards that
changed). build.py and cli.py wire them.
"""

from __future__ import annotations

import importlib

__version__ = "0.2.0"

# The public API by module, imported on first use: `sitegen ingest` must not pay for the
# build's and fetch's libraries (the ingest budget, under 1 s at 50,000 papers).
_PUBLIC = {
    "sitegen.build": ("BuildReport", "build_site"),
    "sitegen.config": ("SiteConfig", "parse_config"),
    "sitegen.errors": (
        "BuildError", "ConfigError", "ContentError", "FetchError", "ListingError", "Location",
        "SitegenError", "TemplateError", "UsageError",
    ),
    "sitegen.ingest": ("ingest_listings",),
    "sitegen.listings": ("Listing", "ListingEntry", "parse_listing"),
    "sitegen.model": ("ContentSnapshot", "Day", "DayEntry", "Paper", "Topic"),
    "sitegen.site": ("Site", "assemble_site"),
    "sitegen.store": ("load_content",),
    "sitegen.store_writes": ("IngestReport", "ingest_into_store"),
}  # fmt: skip


def __getattr__(name: str) -> object:
    for module, names in _PUBLIC.items():
        if name in names:
            return getattr(importlib.import_module(module), name)
    raise AttributeError(f"module 'sitegen' has no attribute {name!r}")


__all__ = [
    "BuildError",
    "BuildReport",
    "ConfigError",
    "ContentError",
    "ContentSnapshot",
    "Day",
    "DayEntry",
    "FetchError",
    "IngestReport",
    "Listing",
    "ListingEntry",
    "ListingError",
    "Location",
    "Paper",
    "Site",
    "SiteConfig",
    "SitegenError",
    "TemplateError",
    "Topic",
    "UsageError",
    "__version__",
    "assemble_site",
    "build_site",
    "ingest_into_store",
    "ingest_listings",
    "load_content",
    "parse_config",
    "parse_listing",
]
