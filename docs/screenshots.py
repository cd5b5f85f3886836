"""Take the README's screenshots again, from the bundled content, in headless Chromium.

    python docs/screenshots.py [--chromium PATH]

Builds a copy of this checkout's site under a subpath, as GitHub Pages serves a project site,
serves it on 127.0.0.1 and writes docs/screenshots/*.png. Needs the test extras (playwright)
and Chromium (`apt-get install chromium`). Run it after a change to what the pages show, so the
README shows the site as it is.
"""

from __future__ import annotations

import argparse
import functools
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

REPO = Path(__file__).resolve().parent.parent
SHOTS = REPO / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
RICH_PAPER = "2606.06113"  # from the real answer of 2026-06-12: authors, upvotes, every link


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass  # a line per request would bury the list of screenshots taken


def _search(page: Page) -> None:
    page.locator("#search-query").press_sequentially("diffusion", delay=20)
    expect(page.locator("#search-status")).to_contain_text("diffusion", timeout=20_000)


# (file, path under the site, viewport, what to do before the shot)
SHOTS_TAKEN: tuple[tuple[str, str, dict[str, int], Callable[[Page], None] | None], ...] = (
    ("home.png", "", DESKTOP, None),
    ("topic.png", "topics/agents/", DESKTOP, None),
    ("paper-phone.png", f"papers/{RICH_PAPER}/", PHONE, None),
    ("top-week.png", "top/week/{newest_week}/", DESKTOP, None),
    ("custom-feed.png", "feeds/upvoted-llm/", DESKTOP, None),
    ("topics-trends.png", "topics/", DESKTOP, None),
    ("search.png", "search/", DESKTOP, _search),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    args = parser.parse_args()
    from sitegen.cli import main as sitegen

    with tempfile.TemporaryDirectory() as work:
        site = Path(work, "site")
        for part in ("templates", "content"):
            shutil.copytree(REPO / part, site / part)
        shutil.copy(REPO / "site.toml", site / "site.toml")
        served = Path(work, "served")
        handler = functools.partial(_QuietHandler, directory=str(served))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/daily-papers/"
        out = served / "daily-papers"
        if sitegen(["--root", str(site), "build", "--out", str(out), "--base-url", base]) != 0:
            return 1
        newest_week = max(p.name for p in (out / "top" / "week").iterdir())
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium)
            for name, path, viewport, before in SHOTS_TAKEN:
                page = browser.new_page(viewport=viewport)  # type: ignore[arg-type]
                page.goto(base + path.format(newest_week=newest_week))
                if before is not None:
                    before(page)
                page.screenshot(path=SHOTS / name)
                page.close()
                print(f"docs/screenshots/{name}")
            browser.close()
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
