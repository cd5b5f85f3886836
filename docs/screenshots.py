"""Take the README's screenshots again, from the bundled content, in headless Chromium.

    python docs/screenshots.py [--chromium PATH]

Builds a copy of this checkout's site under a subpath, as GitHub Pages serves a project site,
serves it on 127.0.0.1 and writes docs/screenshots/*.png. Needs the test extras (playwright)
and Chromium (`apt-get install chromium`). Run it after a change to what the pages show, so the
README shows the site as it is.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from tests.static_host import serving  # noqa: E402  (a static host as GitHub Pages: its 404 page)

SHOTS = REPO / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
RICH_PAPER = "2606.06113"  # from the real answer of 2026-06-12: authors, upvotes, every link


def _search(page: Page) -> None:
    page.locator("#search-query").press_sequentially("diffusion", delay=20)
    expect(page.locator("#search-status")).to_contain_text("diffusion", timeout=20_000)


def _offered(page: Page) -> None:
    expect(page.locator("#nearest a")).to_be_visible(timeout=20_000)


# (file, path under the site, viewport, what to do before the shot)
SHOTS_TAKEN: tuple[tuple[str, str, dict[str, int], Callable[[Page], None] | None], ...] = (
    ("home.png", "", DESKTOP, None),
    ("topic.png", "topics/agents/", DESKTOP, None),
    ("paper-phone.png", f"papers/{RICH_PAPER}/", PHONE, None),
    ("top-week.png", "top/week/2026-W24/", DESKTOP, None),  # the real answer's week: upvotes
    ("custom-feed.png", "feeds/upvoted-llm/", DESKTOP, None),
    ("topics-trends.png", "topics/", DESKTOP, None),
    ("search.png", "search/", DESKTOP, _search),
    ("404-phone.png", f"papers/{RICH_PAPER}v2/", PHONE, _offered),
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
        served.mkdir()
        with serving(served) as server, sync_playwright() as playwright:
            base = f"http://127.0.0.1:{server.server_address[1]}/daily-papers/"
            out = served / "daily-papers"
            if sitegen(["--root", str(site), "build", "--out", str(out), "--base-url", base]) != 0:
                return 1
            browser = playwright.chromium.launch(executable_path=args.chromium)
            for name, path, viewport, before in SHOTS_TAKEN:
                page = browser.new_page(viewport=viewport)  # type: ignore[arg-type]
                url = base + path
                response = page.goto(url)
                status = 0 if response is None else response.status
                if status != (404 if name.startswith("404") else 200):  # not a shot of an error
                    sys.exit(f"{url} answered {status}: no screenshot {name} taken")
                if before is not None:
                    before(page)
                page.screenshot(path=SHOTS / name)
                page.close()
                print(f"docs/screenshots/{name}")
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
