"""sitegen: Hugging Face Daily Papers as a static site with RSS, Atom and JSON feeds.

The pipeline, one module per stage: listings (parsers) -> ingest (pure merge) -> store (the
content store on disk) -> site (the site model) -> outputs (every page and feed: pages.py,
feeds.py, urls.py) -> publish (into public/, all or nothing). build.py and cli.py wire them.
"""

from __future__ import annotations

__version__ = "0.2.0"

from sitegen.build import BuildReport, build_site
from sitegen.config import SiteConfig, parse_config
from sitegen.errors import (
    BuildError,
    ConfigError,
    ContentError,
    FetchError,
    ListingError,
    Location,
    SitegenError,
    TemplateError,
    UsageError,
)
from sitegen.ingest import ingest_listings
from sitegen.listings import Listing, ListingEntry, parse_listing
from sitegen.model import ContentSnapshot, Day, DayEntry, Paper, Topic
from sitegen.site import Site, assemble_site
from sitegen.store import IngestReport, ingest_into_store, load_content

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
