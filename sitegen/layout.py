"""The site directory's names, spelled once: what `sitegen` reads and writes under the root.

    site.toml               the configuration (sitegen.config)
    content/                the content store (sitegen.store): papers/, days/, listings/
    templates/, static/     the site's templates and own files, published as they are
    .sitegen-cache/         what a run may reuse, only ever a speed-up (sitegen.cache)
    .sitegen-lock           the store's lock (sitegen.store_lock)
    .sitegen-txn/           the journal of a write to content/ under way (sitegen.transaction)

The pages' addresses under public/ are sitegen.urls'.
"""

from __future__ import annotations

CONFIG_FILE = "site.toml"
CONTENT_DIR = "content"
# The store's folders by their names in content/ (the file states and the parse cache are kept
# by them), and by their paths from the root.
PAPERS_FOLDER, DAYS_FOLDER, LISTINGS_FOLDER = "papers", "days", "listings"
PAPERS_DIR = f"{CONTENT_DIR}/{PAPERS_FOLDER}"
DAYS_DIR = f"{CONTENT_DIR}/{DAYS_FOLDER}"
LISTINGS_DIR = f"{CONTENT_DIR}/{LISTINGS_FOLDER}"
TEMPLATES_DIR = "templates"
STATIC_DIR = "static"
CACHE_DIR = ".sitegen-cache"
LOCK_FILE = ".sitegen-lock"
CONTENT_JOURNAL = ".sitegen-txn"
