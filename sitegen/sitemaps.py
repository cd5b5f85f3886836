"""The files for crawlers: robots.txt and the sitemaps, an index of the pages' and of the
papers' (gzipped, 10,000 a file)."""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from html import escape

from sitegen.model import Artifact
from sitegen.site import Site
from sitegen.urls import Route, Routes, page_at


def sitemap_blocks(site: Site, size: int = 10_000) -> list[tuple[str, ...]]:
    """Every paper in blocks of `size`, oldest first (papers never featured last): a new day
    adds to the last block only, so the sitemaps of the others keep their bytes."""
    ordered = site.newest[::-1] + site.unfeatured
    return [ordered[i : i + size] for i in range(0, len(ordered), size)] or [()]


def robots(routes: Routes) -> Artifact:
    """Every page for every crawler but the search page's results, which its script marks
    `noindex` too (a paper page's author links are searches: at 50,000 papers a few million
    result pages holding nothing the papers' pages do not); the sitemap named."""
    searches = routes.root_relative(routes.search()) + "?q="
    sitemap = routes.absolute(routes.sitemap())
    text = f"User-agent: *\nDisallow: {searches}\nAllow: /\nSitemap: {sitemap}\n"
    return Artifact(routes.robots().path, text.encode())


def sitemap_index(routes: Routes, blocks: int) -> Artifact:
    """The sitemap index: the sitemap of pages, and of the papers in `blocks` parts."""
    parts = [routes.pages_sitemap(), *map(routes.papers_sitemap, range(1, blocks + 1))]
    entries = "".join(
        f"<sitemap><loc>{_xml_text(routes.absolute(part))}</loc></sitemap>\n" for part in parts
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}</sitemapindex>\n"
    )
    return Artifact(routes.sitemap().path, xml.encode())


def sitemap_of_pages(routes: Routes, pages: Iterable[str]) -> Artifact:
    """The sitemap of `pages`, by their paths."""
    return Artifact(routes.pages_sitemap().path, _urlset(routes, map(page_at, pages)))


def sitemap_of_papers(routes: Routes, number: int, paper_ids: tuple[str, ...]) -> Artifact:
    """Sitemap part `number` (1-based): the pages of `paper_ids`, gzipped: 10,000 URLs are
    1.3 MB of text, 0.1 MB gzipped (the output size budget, #17). mtime 0 and the OS byte 255
    ("unknown", as Python 3.13's gzip writes it; zlib's header, which gzip.compress gave before
    3.13, names the system: 3 on Linux, 19 on macOS): the same bytes from every build."""
    xml = _urlset(routes, [routes.paper(i) for i in paper_ids])
    gzipped = zlib.compress(xml, 9, wbits=31)  # zlib's header: no name, mtime 0
    return Artifact(routes.papers_sitemap(number).path, gzipped[:9] + b"\xff" + gzipped[10:])


def _urlset(routes: Routes, pages: Iterable[Route]) -> bytes:
    body = "".join(f"<url><loc>{_xml_text(routes.absolute(r))}</loc></url>\n" for r in pages)
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{body}</urlset>\n"
    )
    return xml.encode()


def _xml_text(text: str) -> str:
    return escape(text, quote=False)
