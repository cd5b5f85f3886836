from __future__ import annotations

import fcntl
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import chdir, redirect_stderr, redirect_stdout
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import settings

from tests.hf_server import FaultyHF, running_hf
from tests.static_host import serving

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

    from sitegen.build import BuildReport
    from sitegen.digest_dates import DigestRules

# No per-example deadline: speed is measured by bench/, not by tests, and a deadline can fail a
# test on a busy machine. (A hypothesis test failed once in a fresh virtual environment and
# passed on every rerun; its output was not kept, so the deadline is a suspect, not a proof.)
settings.register_profile("sitegen", deadline=None)
settings.load_profile("sitegen")

REPO = Path(__file__).resolve().parent.parent
LISTINGS = REPO / "content" / "listings"

# The five real listings, as bundled (name -> listing day).
SEEDS = {
    "2026-01-08.txt": ("full", 42),
    "2026-03-14.txt": ("bare", 59),
    "2025-10-31.txt": ("full", 61),
    "2025-11-03.txt": ("full", 63),
    "2026-11-22.txt": ("compact", 278),
}


# What the tests describe: the bundled demo's content, settings and templates (a fork's edited
# menu or card failed the tests of the bundled pages). Not static/: the tests build without it.
DEMO_PATHS = ("content", "site.toml", "templates")


def demo_digest(root: Path) -> str:
    """The digest of `root`'s DEMO_PATHS, as ci.yml's step takes it (`find content site.toml
    templates -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum`)."""
    found = [*root.glob("content/**/*"), root / "site.toml", *root.glob("templates/**/*")]
    # As bytes, as sort and sha256sum take them: a name that is no UTF-8 too (a review).
    names = sorted(
        os.fsencode(p.relative_to(root)) for p in found if p.is_file() and not p.is_symlink()
    )
    lines = b"".join(
        hashlib.sha256((root / os.fsdecode(name)).read_bytes()).hexdigest().encode()
        + b"  " + name + b"\n"
        for name in names
    )  # fmt: skip
    return hashlib.sha256(lines).hexdigest()


def _changed_in_git(root: Path) -> list[str]:
    """The files of DEMO_PATHS that git has changed, untracked or ignored (a
    .DS_Store the tests would read as a listing: a review); none when no git checkout."""
    # ls-files names them from `root`, as git status would from the top of an outer checkout.
    asked = (["--others"], ["--modified", "--deleted"])  # untracked, ignored ones too; changed
    try:
        said = b"".join(
            subprocess.run(
                ["git", "-C", str(root), "ls-files", "-z", *kinds, "--", *DEMO_PATHS],
                capture_output=True, check=True, timeout=60,
            ).stdout
            for kinds in asked
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return []
    return list(dict.fromkeys(os.fsdecode(name) for name in said.split(b"\0") if name))


def pytest_sessionstart(session: pytest.Session) -> None:
    """The tests describe the bundled demo: on a store fetched into or edited they would fail by
    the dozen on counts of papers (a new user's trial, after the README's offline fetch), and
    on a fork's own templates, on the bundled pages' markup."""
    if hasattr(session.config, "workerinput"):  # an xdist worker: the controller checked
        return
    if demo_digest(REPO) != (REPO / "tests" / "demo-content.sha256").read_text().strip():
        changed = _changed_in_git(REPO)
        named = (
            f" ({', '.join(changed[:3])}{', ...' if len(changed) > 3 else ''})" if changed else ""
        )
        raise pytest.UsageError(
            f"content/, site.toml or templates/ is not the bundled demo the tests describe{named}:"
            " run them on a checkout of the demo, or put it back, if not committed, with"
            f" `git stash --all -- {' '.join(DEMO_PATHS)}`; if it is a new demo, write"
            f" {demo_digest(REPO)} to tests/demo-content.sha256",
        )


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/ from the current output (read the diff before committing)",
    )


# The files whose tests take longest, longest first; the others follow as collected. xdist
# hands out whole files (`--dist loadfile`) in this order, so the long ones start at once and
# short files fill both workers to the end: started last, the acceptance test alone outlasted
# the rest of the suite.
SLOW_FIRST = (
    "test_acceptance.py",
    "test_interrupted.py",
    "test_search.py",
    "test_browser.py",
    "test_restored_site.py",
    "test_incremental.py",
    "test_publish.py",
    "test_robustness.py",
    "test_safety.py",
    "test_build.py",
    "test_scheduled_runs.py",  # one test of 10 s: started last, it would end the run alone
)


# The files that drive Chromium over the served bundled site: one worker runs them all, so the
# browser and the site (`browser`, `served_bundled`) start and build once in a run, not per worker.
BROWSER_FILES = ("test_search.py", "test_browser.py")


@pytest.hookimpl(optionalhook=True)  # xdist's hook: a run with -p no:xdist has none
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """`--dist loadfile`, with the browser files as one unit (xdist's own `loadgroup` is not
    combined with `loadfile`)."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class BrowserFilesTogether(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            file = super()._split_scope(nodeid)
            return "browser files" if Path(file).name in BROWSER_FILES else file

    return BrowserFilesTogether(config, log)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return SLOW_FIRST.index(name) if name in SLOW_FIRST else len(SLOW_FIRST)

    items.sort(key=rank)  # stable: each file's tests keep their order


@pytest.fixture(autouse=True, scope="session")
def _no_flush_to_disk() -> Iterator[None]:
    """sitegen run in the test process writes as it does, without waiting for the disk: a
    flush (os.fsync, os.sync) keeps files through a power cut, which no test makes, and it is
    not what keeps them through a kill (tests/test_interrupted.py kills processes of their
    own, which flush). Waiting on the disk was 17 s of test_incremental.py's and
    test_build.py's 185 s on a shared machine (an os.sync() waits for every process's writes)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "fsync", lambda fd: None)
        patch.setattr(os, "sync", lambda: None)
        yield


@pytest.fixture(autouse=True)
def _outside_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test as run outside GitHub Actions, where ci.yml runs the suite: GITHUB_ACTIONS
    changes what sitegen says (annotations, the empty store's hint: a review found a test
    that failed there alone). A test of what it says there sets it itself."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    update = bool(request.config.getoption("--update-golden"))
    if update and os.environ.get("CI"):
        pytest.fail("CI never refreshes golden files")
    return update


@pytest.fixture
def seed_bytes() -> dict[str, bytes]:
    return {name: (LISTINGS / name).read_bytes() for name in SEEDS}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """An empty site directory: the repo's site.toml and templates, no content yet."""
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(REPO / "site.toml", root / "site.toml")
    if (REPO / "templates").is_dir():
        shutil.copytree(REPO / "templates", root / "templates")
    return root


def digest_rules(root: Path) -> DigestRules:
    """The site's rules for its digests' items, as `sitegen fetch` passes them to fetch_days."""
    from sitegen.config import parse_config
    from sitegen.digest_dates import DigestRules

    return DigestRules.of(parse_config((root / "site.toml").read_text(), source="site.toml"))


def build_report(**fields: Any) -> BuildReport:
    """The report of a build that made nothing, but for `fields`: what the lines a build says
    are tested on."""
    from sitegen.build import BuildReport
    from sitegen.publish import PublishReport

    nothing = {"pages": 0, "feeds": 0, "files": 0, "rendered": 0, "removed": 0, "full": True}
    return BuildReport(
        **{**nothing, "written": PublishReport(0, 0), "search_index": None, **fields}
    )


def item_date(entry: Any) -> str:
    """A feed item's date as readers take it (feedparser's entry): RSS's pubDate, else Atom's
    <updated>, which sitegen's Atom entries carry alone."""
    return str(entry.get("published") or entry["updated"])


def item_time(entry: Any) -> Any:
    """`item_date` parsed (a time.struct_time in UTC)."""
    return entry.get("published_parsed") or entry["updated_parsed"]


def made_once(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """`name`/site, made by `make` once in a run and shared by xdist's workers (the others wait
    for the first): a build of the bundled site is seconds of CPU time on each worker."""
    shared = factory.getbasetemp()
    if "PYTEST_XDIST_WORKER" in os.environ:
        shared = shared.parent  # the run's directory, above each worker's
    root, done = shared / name / "site", shared / f"{name}.done"
    with (shared / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(root.parent, ignore_errors=True)  # what a failed make left
            root.mkdir(parents=True)
            make(root)
            done.touch()
    return root


@pytest.fixture(scope="session")
def bundled_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled site built once per run, never changed: copy it with `copy_site`."""
    from sitegen.cli import main  # as the tests import it: after the conftest is loaded

    def make(root: Path) -> None:
        shutil.copytree(REPO / "templates", root / "templates")
        shutil.copytree(REPO / "content", root / "content")
        shutil.copy(REPO / "site.toml", root / "site.toml")
        assert main(["--root", str(root), "build"]) == 0

    return made_once(tmp_path_factory, "bundled-build", make)


def copy_site(built: Path, root: Path) -> Path:
    """A copy of the built site `built` at `root` (over what is there): real copies, which a test
    may edit in place, with their times, so the build record still holds and the next build
    renders only what changed. (A full build of the bundled site is most of a test's time.)"""
    shutil.copytree(built, root, symlinks=True, dirs_exist_ok=True)
    return root


@pytest.fixture
def bundled_built(site: Path, bundled_build: Path) -> Path:
    """`site` holding the bundled content, built (a copy of `bundled_build`)."""
    return copy_site(bundled_build, site)


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _month_day(day: date) -> str:
    return f"{_MONTHS[day.month - 1]} {day.day}"


def write_text_listing(path: Path, day: date, papers: Iterable[tuple[str, str, date, int]]) -> Path:
    """A text listing (full shape) of `day` at `path`: (title, abstract, published, upvotes)."""
    lines = ["Daily Papers", _month_day(day)]
    for title, abstract, published, upvotes in papers:
        lines += [title, abstract, "\u00b7", f"{_month_day(published)}, {published.year} {upvotes}"]
    path.write_text("\n".join(lines) + "\n")
    return path


# Papers of each bundled listing in the small site: with fewer, some topics have no paper.
SMALL_PER_DAY = 15
# And in the tiny one, for tests whose point holds for any site: its build is mostly the
# pages and feeds every site has (the topics', the periods'), 300 files, not 381.
TINY_PER_DAY = 3


def small_listings(directory: Path, per_day: int = SMALL_PER_DAY) -> list[Path]:
    """The bundled listings cut to their first `per_day` papers, in `directory`: the six
    days across two years (every kind of page, period and feed), the API answer with all its
    fields (authors, organisations, links), real titles and abstracts, and each text day lists
    the previous one's first paper again; 90 papers, not 480 (272 files to render, not 664).
    With TINY_PER_DAY, 18 papers: the same kinds of pages and feeds, fewer of each."""
    from sitegen.listings import parse_listing

    directory.mkdir(parents=True, exist_ok=True)
    listings, again = [], None
    for source in sorted(LISTINGS.iterdir()):
        if source.suffix == ".json":
            answer = json.loads(source.read_bytes())[:per_day]
            listings.append(directory / source.name)
            listings[-1].write_text(json.dumps(answer))
            continue
        listing = parse_listing(source.read_bytes(), origin=source.name)
        papers = [
            (e.title, e.abstract, e.published or listing.day - timedelta(days=2), e.upvotes or 0)
            for e in listing.entries[:per_day]
        ]
        papers += [again] if again else []
        title, abstract, published, upvotes = again = papers[0]
        again = (title, abstract, published, upvotes + 10)
        listings.append(write_text_listing(directory / source.name, listing.day, papers))
    return listings


@pytest.fixture(scope="session")
def small_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small site (`small_listings`) ingested and built once per run, never changed:
    copy it with `copy_site`. For tests whose point holds for any site: it builds in a fraction
    of the bundled site's time."""
    return _built_once(tmp_path_factory, "small-build", SMALL_PER_DAY)


@pytest.fixture
def small_built(site: Path, small_build: Path) -> Path:
    """`site` holding the small site's content, built (a copy of `small_build`)."""
    return copy_site(small_build, site)


@pytest.fixture(scope="session")
def tiny_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny site (`small_listings` of TINY_PER_DAY papers a day) ingested and built once
    per run, never changed: copy it with `copy_site`. For tests whose point holds for any
    site (refusals, the user's files kept, kills, rebuilds, locks): every kind of page and
    feed, the fewest papers."""
    return _built_once(tmp_path_factory, "tiny-build", TINY_PER_DAY)


def _built_once(factory: pytest.TempPathFactory, name: str, per_day: int) -> Path:
    """A site of `small_listings` of `per_day` papers a day, ingested and built once per run."""
    from sitegen.cli import main

    def make(root: Path) -> None:
        shutil.copytree(REPO / "templates", root / "templates")
        shutil.copy(REPO / "site.toml", root / "site.toml")
        listings = small_listings(root.parent / "listings", per_day)
        assert main(["--root", str(root), "ingest", *map(str, listings)]) == 0
        assert main(["--root", str(root), "build"]) == 0

    return made_once(factory, name, make)


@pytest.fixture
def tiny_built(site: Path, tiny_build: Path) -> Path:
    """`site` holding the tiny site's content, built (a copy of `tiny_build`)."""
    return copy_site(tiny_build, site)


@pytest.fixture
def seed_files(tmp_path: Path) -> list[Path]:
    """Copies of the five seeds outside any site, under their original capture names."""
    out = tmp_path / "seeds"
    out.mkdir()
    paths = []
    for name in SEEDS:
        target = out / name
        shutil.copy(LISTINGS / name, target)
        paths.append(target)
    return paths


def ctrl_c_stops() -> None:
    """`preexec_fn` of a process a test stops with SIGINT: Ctrl-C's default action, as at a
    terminal. A runner started in the background (`pytest &`) ignores SIGINT, and its children
    would too: the README's offline server went on after its Ctrl-C in such a run."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def sitegen_here(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`sitegen ARGS...` run in this process by `main` (from `cwd`): its exit status and what it
    printed, as a `sitegen` process gives them (tests/test_cli_ingest.py shows the command exits
    with main()'s status). For what a run says and leaves; a test of the process itself (a
    signal, a kill, a limit, a hang) starts one."""
    from sitegen.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err), chdir(cwd or Path.cwd()):
        try:
            status = main(list(args))
        except SystemExit as refused:  # argparse's exit after a usage error
            status = int(refused.code or 0)
    return subprocess.CompletedProcess(["sitegen", *args], status, out.getvalue(), err.getvalue())


def rename_topic_slug(site_toml: str, old: str, new: str) -> str:
    """site.toml's text with the topic `old` given the slug `new`, its old one kept as
    `formerly`: what else names it (`yields_to`, custom feeds) may go on naming it so."""
    table = f'slug = "{old}"\n'
    assert table in site_toml
    return site_toml.replace(table, f'slug = "{new}"\nformerly = ["{old}"]\n', 1)


def rewrite(path: Path, change: Callable[[str], str]) -> None:
    """Edit the file `path` by hand, as `change` says: a test's edit that changed nothing
    would prove nothing."""
    text = path.read_text()
    changed = change(text)
    assert changed != text, f"the edit of {path.name} changed nothing"
    path.write_text(changed)


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under root, for before/after comparisons."""
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def rebuilt(site: Path, scratch: Path) -> dict[str, bytes]:
    """The site built again, where it is, after a change; checked against a cold build of it
    (into `scratch`/cold)."""
    from sitegen.cli import main

    assert main(["--root", str(site), "build"]) == 0
    cold = scratch / "cold"
    assert main(["--root", str(site), "build", "--clean", "--out", str(cold)]) == 0
    after = tree_bytes(site / "public")
    assert after == tree_bytes(cold)
    return after


@pytest.fixture
def hf() -> Iterator[tuple[FaultyHF, str]]:
    """A programmable, fault-injecting stand-in for huggingface.co on 127.0.0.1."""
    with running_hf() as server:
        yield server


def processes_of_group(group: int) -> dict[int, str]:
    """The live processes of a process group: pid -> command line."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, _, pgrp = stat.read_text().rsplit(")", 1)[1].split()[:3]
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ")
        except (OSError, IndexError):
            continue  # ended meanwhile
        if int(pgrp) == group and state != "Z":
            found[int(stat.parent.name)] = command.decode(errors="replace")
    return found


def _starting_worker(pid: int, command: str) -> bool:
    """A multiprocessing worker still importing, before its initializer (the build's watch of
    its parent) started a second thread."""
    if "--multiprocessing-fork" not in command:
        return False
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False  # ended meanwhile
    return "\nThreads:\t1\n" in status


def assert_group_ends(group: int, *, within: float, start_up: float = 0.0) -> None:
    """Every process of `group` ends within `within` seconds (else they are killed, and the
    test fails). With `start_up`, a worker killed while still importing (seconds on a loaded
    machine) has that long to start watching its parent, and the `within` seconds count from
    the moment the last one does."""
    started = time.monotonic()
    deadline = started + within
    while survivors := processes_of_group(group):
        now = time.monotonic()
        if now < started + start_up and any(_starting_worker(*p) for p in survivors.items()):
            deadline = now + within
        if now > deadline:
            os.killpg(group, signal.SIGKILL)
            raise AssertionError(f"processes outlived their parent: {survivors}")
        time.sleep(0.02)


# ---- the browser tests' Chromium and site (tests/test_browser.py, tests/test_search.py) --------

# Debian's Chromium here; the Chrome that GitHub's runners ship in the ci.yml workflow. Its
# headless shell first where it is installed (.ci/run installs it): the same Blink and V8
# without the browser's user interface: Chromium's CPU time in a run fell from 42 s to 18 s.
BROWSERS = ("chromium-headless-shell", "chromium", "chromium-browser", "google-chrome")
CHROMIUM = next(filter(None, map(shutil.which, BROWSERS)), None)
SUBPATH = "daily-papers"
# How long a browser test's expect() waits for what it expects: each wait ends when the page
# shows it, and this bounds only a failing one. Playwright's own 5 s measured the machine:
# with the page's CPU slowed 4 times (DevTools throttling, as a loaded runner slows it), a
# first search, its index still loading, said nothing in 5 s and five tests of
# tests/test_search.py failed; they pass so within this.
EXPECT_TIMEOUT_MS = 60_000


@pytest.fixture(scope="session")
def served_bundled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """(the bundled site's directory, its URL): built once per worker under a subpath and
    served over HTTP, as GitHub Pages serves a project site. Read both, never change them."""
    from sitegen.cli import main

    root = tmp_path_factory.mktemp("bundled-served") / "site"
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "site.toml", root / "site.toml")
    served = root.parent / "served"
    with serving(served) as server:
        url = f"http://127.0.0.1:{server.server_address[1]}/{SUBPATH}/"
        out = served / SUBPATH
        assert main(["--root", str(root), "build", "--out", str(out), "--base-url", url]) == 0
        yield root, url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium, started once per worker for every browser test."""
    from playwright.sync_api import expect, sync_playwright

    assert CHROMIUM, "chromium is not installed"
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield launched
        launched.close()


# SITEGEN_TEST_CPU_THROTTLE=4 runs every page the tests open 4 times slower (DevTools CPU
# throttling): a loaded CI runner, as found, slows the page's script so, and a test that races
# the page's work or waits a fixed time fails here as it would there (busy loops beside the run
# reproduced fewer of its failures). Off (1) by default. Chromium's throttling costs CPU of
# its own, a third to half a core for each page open, even idle.
CPU_THROTTLE = float(os.environ.get("SITEGEN_TEST_CPU_THROTTLE") or 1)


# A browser context per setting that only a context can hold, shared by the tests: a new
# context starts a new renderer process, most of a short test's CPU time (0.8 s against 0.3 s
# for a page in a context that has one). Each test's pages are its own (`open_page`).
_contexts: dict[tuple[int, bool], BrowserContext] = {}
_pages_opened: list[Page] = []


def open_page(
    browser: Browser, *, width: int, height: int, dark: bool = False, javascript: bool = True
) -> Page:
    """A new page of `width` x `height` CSS px, in a light or dark system scheme, with or
    without JavaScript; closed when its test ends."""
    key = (id(browser), javascript)
    if key not in _contexts or _contexts[key].browser is not browser:
        _contexts[key] = browser.new_context(java_script_enabled=javascript)
    page = _contexts[key].new_page()
    if CPU_THROTTLE != 1:
        _throttle(page, CPU_THROTTLE)
    page.set_viewport_size({"width": width, "height": height})
    page.emulate_media(color_scheme="dark" if dark else "light")
    _pages_opened.append(page)
    return page


def _throttle(page: Page, rate: float) -> None:
    """`page`'s CPU slowed `rate` times, by a DevTools session of its own. Chromium takes the
    emulated media type from that session once it is open, not from Playwright's (a page
    printed showed the screen's colours): the page's emulate_media sends it there too."""
    session = page.context.new_cdp_session(page)
    session.send("Emulation.setCPUThrottlingRate", {"rate": rate})
    emulate_media = page.emulate_media

    def emulate_media_also_in_session(**media: Any) -> None:
        emulate_media(**media)
        if "media" in media:
            session.send("Emulation.setEmulatedMedia", {"media": media["media"] or ""})

    page.emulate_media = emulate_media_also_in_session  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _close_pages(request: pytest.FixtureRequest) -> Iterator[None]:
    """The pages a test opened are closed after it, but for the last, which keeps its context's
    renderer process for the next test (a process started anew costs more than its page)."""
    yield
    for page in _pages_opened[:-1]:
        page.close()
    del _pages_opened[:-1]
    if "browser" in request.fixturenames:
        browser = request.getfixturevalue("browser")
        left = [page.url for context in browser.contexts for page in context.pages]
        assert len(left) <= 1, f"pages left open after the test: {left}"


def api_papers(public: Path) -> list[dict[str, Any]]:
    """Every paper /api/papers.json lists, from each month's file it links, in its order."""
    index = json.loads((public / "api" / "papers.json").read_text())
    papers: list[dict[str, Any]] = []
    for month in index["months"]:
        name = month["url"].rpartition("/api/")[2]
        papers += json.loads((public / "api" / name).read_text())
    return papers
