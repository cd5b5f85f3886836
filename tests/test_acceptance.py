"""The small site through the independent acceptance harness (../shared/tools/check_site): the
Nu HTML checker, feedparser, sfeed, newsboat, two npm feed readers, linkinator, axe and a real
Chromium at 390 and 1280 px. None of it uses sitegen's code. The small site (`small_listings`:
every bundled listing cut short, real titles and abstracts, the API answer with all its fields)
has every kind of page and feed the bundled one has, and one topic no paper has; the harness's
browser checks take the same pages of both, and its other checks grow with the files (368 here,
1,153 in the bundled site) for no page of another kind."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from sitegen.cli import main
from tests.conftest import REPO
from tests.test_outputs import EMPTY_TOPIC

CHECK_SITE = REPO.parent / "shared" / "tools" / "check_site"
INSTALLED = Path(os.environ.get("CHECKERS_HOME", "/opt/checkers")).is_dir()
pytestmark = pytest.mark.acceptance

# The harness lives beside the repository, not in it: a fork's CI on GitHub has none, and
# skips. Where it is, CI must run it (.ci/run installs its checkers); elsewhere it is skipped
# until they are installed.
if not CHECK_SITE.exists():
    pytest.skip(
        "needs the harness ../shared/tools/check_site beside the repository",
        allow_module_level=True,
    )
if not INSTALLED and not os.environ.get("CI"):
    pytest.skip(
        "needs the checkers of ../shared/tools installed (.ci/run installs them)",
        allow_module_level=True,
    )


# The harness runs its checks one after another, and its browser checks (Chromium and axe) take
# half of its time: they run in a harness of their own beside the others, on the other core.
HALVES = {"browser": ["--only", "browser"], "the rest": ["--skip", "browser"]}


def test_the_site_passes_every_independent_check(small_built: Path, tmp_path: Path) -> None:
    # And a topic no paper has yet: readers refused its Atom feed (no <entry>).
    config = small_built / "site.toml"
    config.write_text(config.read_text() + EMPTY_TOPIC)
    assert main(["--root", str(small_built), "build"]) == 0
    runs = {
        half: subprocess.Popen(
            [str(CHECK_SITE), str(small_built / "public"), "--out", str(tmp_path / half)]
            + ["--details", "20", *options],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for half, options in HALVES.items()
    }
    stdout = ""
    try:
        for run in runs.values():
            out, err = run.communicate(timeout=600)
            summary = out.strip().splitlines()[-1] if out.strip() else err
            assert run.returncode == 0, out + err
            assert " 0 failed" in summary
            stdout += out
    finally:  # a half left running when the other failed stops its own processes on SIGTERM
        for run in runs.values():
            if run.poll() is None:
                run.terminate()
                run.communicate()
    for check in (
        "feeds/feedparser",
        "feeds/newsboat",
        "html/vnu",
        "browser/axe",
        "browser/mobile-overflow",
        "links/internal",
    ):
        assert f"PASS  {check}" in stdout, check
