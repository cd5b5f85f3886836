"""Robust under real conditions (issue #19): concurrent runs, hostile sources, broken disks,
damaged caches. Each test names the case of the issue it proves; the README's promises ("one
clear line, exit 2", "a failed run writes nothing", "a bad day is skipped, the others written",
"a damaged cache is ignored") each have a test named after them.

Runs that race or need a full disk or a read-only directory are real `sitegen` processes, and
so is a run that could hang; the others run `main` in this process (`sitegen_here`).
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from sitegen import store_lock
from sitegen.build import build_site
from sitegen.cli import main
from sitegen.config import parse_config
from sitegen.errors import FetchError, ListingError
from sitegen.hf_client import DayFetcher, FetchPolicy, make_client
from sitegen.listings import parse_listing
from sitegen.store import load_content
from tests.conftest import (
    LISTINGS,
    REPO,
    api_papers,
    rewrite,
    sitegen_here,
    tree_bytes,
    write_text_listing,
)
from tests.hf_server import FaultyHF, Reply
from tests.test_fetch import API_ANSWER

FIRST, SECOND = LISTINGS / "2025-10-31.txt", LISTINGS / "2025-11-03.txt"


def _sitegen(
    root: Path, *args: str, prefix: list[str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """`sitegen --root ROOT ARGS...` in a process of its own (started by `prefix`)."""
    return subprocess.run(
        [*(prefix or []), sys.executable, "-m", "sitegen", "--root", str(root), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )


def _start(root: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "sitegen", "--root", str(root), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@contextlib.contextmanager
def without_permissions(path: Path) -> Iterator[None]:
    """`path` of mode 000 inside the block, its mode given back after (unless a command
    removed it)."""
    mode = path.stat().st_mode
    path.chmod(0)
    try:
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.chmod(mode)


def _one_clear_line(result: subprocess.CompletedProcess[str], *words: str) -> None:
    """Exit 2, and an error line (with its hint) that says `words`, never a traceback."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    first, *rest = result.stderr.strip().split("\n")
    assert first.startswith("sitegen: error: "), result.stderr
    assert all(word in first for word in words), result.stderr
    assert all(line.startswith("  hint: ") for line in rest), result.stderr


# ---- 1, 2: concurrent runs take turns --------------------------------------------------------


# Four days of at most 63 papers: an ingest writes its files one by one (an fsync each), and as
# long as it writes, another run could interleave with it. Merged in any order, they give the
# same store.
FOUR_DAYS = [LISTINGS / f"{day}.txt" for day in ("2026-01-08", "2025-10-31", "2026-03-14")]
FOUR_DAYS.append(SECOND)


@pytest.fixture(scope="module")
def one_after_the_other(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """content/ of FOUR_DAYS ingested one after the other, in either order (the same store):
    made once for the seeds below, which race the same four ingests."""
    stores = []
    for listings in (FOUR_DAYS, FOUR_DAYS[::-1]):
        root = tmp_path_factory.mktemp("sequential")
        shutil.copy(REPO / "site.toml", root / "site.toml")
        for listing in listings:
            assert main(["--root", str(root), "ingest", str(listing)]) == 0
        stores.append(tree_bytes(root / "content"))
    assert stores[0] == stores[1]
    return stores[0]


@pytest.mark.parametrize("seed", range(3))
def test_ingests_at_once_give_what_one_after_the_other_gives(
    site: Path, seed: int, one_after_the_other: dict[str, bytes]
) -> None:
    """Case 1: two ingests shared one journal and took no lock; the store ended unlike either
    order. Here four run at once."""
    expected = one_after_the_other
    delays = random.Random(seed)
    runs = []
    for listing in delays.sample(FOUR_DAYS, len(FOUR_DAYS)):
        runs.append(_start(site, "ingest", str(listing)))
        time.sleep(delays.uniform(0, 0.03))  # all write the store at about the same time
    errors = [run.communicate(timeout=120)[1] for run in runs]
    assert [run.returncode for run in runs] == [0] * len(runs), errors
    assert tree_bytes(site / "content") == expected
    assert not (site / ".sitegen-txn").exists()


@pytest.fixture(scope="module")
def second_then_two_days(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """content/ of SECOND ingested, then FOUR_DAYS[:2] by one ingest: made once for the seeds
    below, which run that ingest beside a build."""
    root = tmp_path_factory.mktemp("expected")
    shutil.copy(REPO / "site.toml", root / "site.toml")
    assert main(["--root", str(root), "ingest", str(SECOND)]) == 0
    assert main(["--root", str(root), "ingest", *map(str, FOUR_DAYS[:2])]) == 0
    return tree_bytes(root / "content")


@pytest.mark.parametrize("seed", range(3))
def test_an_ingest_beside_a_build_loses_nothing(
    site: Path, seed: int, second_then_two_days: dict[str, bytes]
) -> None:
    """Case 2: the build's start-up recovery completed or deleted the ingest's journal while
    the ingest still wrote it (as `serve` rebuilding during a `fetch`). Beside the ingest, a
    build starts at a seeded moment, and this process reads the store as a build begins to,
    over and over, until the ingest is done. Each read is followed by a pause of up to 20 ms:
    read back to back, they kept the ingest, which tries the lock every 50 ms, waiting for
    up to 20 s (a real build reads the store once)."""
    assert main(["--root", str(site), "ingest", str(SECOND)]) == 0
    ingest = _start(site, "ingest", *map(str, FOUR_DAYS[:2]))
    moments = random.Random(seed)
    build_at = time.monotonic() + moments.uniform(0, 0.3)
    build = None
    failed_reads = []
    while ingest.poll() is None:
        if build is None and time.monotonic() >= build_at:
            build = _start(site, "build", "--jobs", "1")
        try:
            load_content(site)
        except Exception as error:  # noqa: BLE001 (what a build would have met)
            failed_reads.append(error)
        time.sleep(moments.uniform(0, 0.02))
    runs = [ingest, build or _start(site, "build", "--jobs", "1")]
    errors = [run.communicate(timeout=120)[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], errors
    assert failed_reads == []
    assert tree_bytes(site / "content") == second_then_two_days
    assert main(["--root", str(site), "build"]) == 0


def test_an_ingest_during_a_rebuilds_render_is_not_in_what_it_publishes(
    bundled_built: Path, tmp_path: Path
) -> None:
    """A maintainer's trial: a build held the store's lock only while it read the store, but
    a rebuild reads the papers it did not parse from their files as it renders them; an
    ingest that waited for the lock wrote during the render, and the build published pages
    of two stores (docs/content.md: every command holds the lock meanwhile). Here a paper on
    no day, whose page a rebuild of every page (a template edited) renders late, and an
    ingest that starts once that rebuild has rendered its first files, of a listing that
    puts the paper back on its day with its date and upvotes: the build publishes the site
    of the store it read, and the ingest waits for it."""
    site = bundled_built
    paper_id = "wide-and-deep-neural-networks-achieve-optimality-for-85e90fd8"
    day_file = site / "content" / "days" / "2026-11-22.toml"
    rewrite(day_file, lambda text: re.sub(f'(?m)^.*"{paper_id}".*\n', "", text))
    assert main(["--root", str(site), "build"]) == 0
    published = tree_bytes(site / "public")
    title = load_content(site).titles[paper_id]
    listing = write_text_listing(
        tmp_path / "2026-11-22.txt",
        date(2026, 11, 22),
        [(title, "An abstract.", date(2026, 11, 20), 42)],
    )
    rewrite(site / "templates" / "base.html", lambda text: text + "{# edited #}\n")
    ingests: list[subprocess.Popen[str]] = []

    def ingest_once(rendered: int) -> None:
        if not ingests:
            ingests.append(_start(site, "ingest", str(listing)))
            assert ingests[0].stderr is not None
            ingests[0].stderr.readline()  # "waiting for ...", or nothing once it is done

    config = parse_config((site / "site.toml").read_text(), source="site.toml")
    build_site(site, config, out=site / "public", on_progress=ingest_once, jobs=1)
    assert tree_bytes(site / "public") == published  # the edit renders the same bytes
    (ingest,) = ingests
    ingest.communicate(timeout=120)
    assert ingest.returncode == 0
    assert load_content(site).upvotes[paper_id] == 42  # written, after the build


@pytest.fixture
def store_held(site: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process that holds the store's lock until it is killed."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path\n"
            "from sitegen.store_lock import content_lock\n"
            "with content_lock(Path(sys.argv[1])):\n"
            "    print('held', flush=True); time.sleep(60)",
            str(site),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    yield holder
    holder.kill()
    holder.communicate()


def test_a_writer_that_waits_too_long_names_the_holder_and_writes_nothing(
    site: Path,
    store_held: subprocess.Popen[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Cases 1, 2: a second writer waits a bounded time, then says who holds the store."""
    monkeypatch.setattr(store_lock, "LOCK_WAIT", 0.3)
    before = tree_bytes(site)
    assert main(["--root", str(site), "ingest", str(FIRST)]) == 2
    waited, err = capsys.readouterr().err.split("\n", 1)  # said while it waits, then the error
    assert (
        waited == f"sitegen: waiting for another sitegen (pid {store_held.pid}) to finish"
        " with content/ (up to 0.3 s)"
    )
    assert err.startswith("sitegen: error: ") and f"(pid {store_held.pid})" in err
    assert "gave up after waiting 0.3 s" in err
    assert tree_bytes(site) == before
    assert main(["--root", str(site), "build"]) == 2, "a build reads the store: it waits too"


def test_a_writer_waits_for_the_holder_to_finish(
    site: Path, store_held: subprocess.Popen[str]
) -> None:
    """A new user's trial: two builds at once, the second waited without a word, then said
    "0 rendered": it says what it waits for, once."""
    ingest = _start(site, "ingest", str(FIRST))
    assert ingest.stderr is not None
    said_first = ingest.stderr.readline()  # said as it starts to wait, however slow its start
    assert ingest.poll() is None, "it waits while the store is held"
    store_held.kill()  # a holder that dies lets go
    _, err = ingest.communicate(timeout=60)
    err = said_first + err
    assert ingest.returncode == 0, err
    waiting = f"sitegen: waiting for another sitegen (pid {store_held.pid}) to finish with content/"
    assert err.count(waiting) == 1 and said_first.startswith(waiting), err
    assert len(load_content(site).papers) == 61


def test_a_build_waiting_for_another_into_the_same_output_says_so(site: Path) -> None:
    """A new user's trial: two builds at once, the second waited on the output's lock without
    a word, then said "0 rendered": it says what it waits for, once, as for the store."""
    holder = subprocess.Popen(  # another build into public/, until it is killed
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from sitegen.output_folder import"
            " exclusive\n"
            "with exclusive(Path(sys.argv[1]) / 'public'):\n"
            "    print('held', flush=True); time.sleep(60)",
            str(site),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    build = None
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        build = _start(site, "build")
        assert build.stderr is not None
        # A line said while it waits, which it does until the holder lets go: not a fixed
        # time, which a busy machine's start of Python may take.
        assert select.select([build.stderr], [], [], 30)[0], "it says so while it waits"
        waited = build.stderr.readline()
        assert build.poll() is None, "it waits while the output is held"
        holder.kill()  # a holder that dies lets go
        _, err = build.communicate(timeout=120)
    finally:
        for process in (holder, build):
            if process is not None:
                process.kill()
                process.communicate()
    assert build.returncode == 0, err
    assert waited == (
        f"sitegen: waiting for another sitegen (pid {holder.pid}) to finish building into"
        f" {site / 'public'}\n"
    )
    assert "waiting" not in err, "said once"


def test_the_repository_ignores_the_lock_file() -> None:
    assert "/.sitegen-lock" in (REPO / ".gitignore").read_text().split("\n")


def test_what_a_build_keeps_beside_an_output_of_its_own_is_left_out_of_commits(
    tiny_built: Path,
) -> None:
    """A new user's trial: `--out dist`, with /dist/ ignored, left `.dist.lock` and
    `.dist.outputs` (which changes with every build) to be committed by accident."""
    shutil.copy(REPO / ".gitignore", tiny_built / ".gitignore")
    subprocess.run(["git", "init", "-q", str(tiny_built)], check=True)
    assert main(["--root", str(tiny_built), "build", "--out", str(tiny_built / "dist")]) == 0
    assert (tiny_built / ".dist.outputs").is_file() and (tiny_built / ".dist.lock").is_file()
    leftovers = [".dist.journal/m", ".dist.staging-12/a", ".dist.old-12/a", ".dist.search-12/a"]
    for name in leftovers:  # a killed build's, cleared by the next
        (tiny_built / name).parent.mkdir()
        (tiny_built / name).write_text("")
    status = subprocess.run(
        ["git", "-C", str(tiny_built), "status", "--porcelain", "--untracked-files=all"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert not [line for line in status.splitlines() if line.startswith("?? .d")], status
    assert "?? dist/index.html" in status  # the output itself is the user's to ignore, or not


# ---- 3: counts past range ----------------------------------------------------------------------


def _text_listing(tmp_path: Path, upvotes: str) -> Path:
    path = tmp_path / "2026-02-02.txt"
    path.write_text(
        f"new\n\nDaily Papers\n\nFeb 2\n\nA Title\n\nAn abstract.\n\n· \n\nFeb 1, 2026 {upvotes}\n"
    )
    return path


def _api_listing(tmp_path: Path, upvotes: str) -> Path:
    path = tmp_path / "2026-02-02.json"
    path.write_text(
        '[{"title": "A Title", "paper": {"id": "2602.00001", "title": "A Title", '
        f'"summary": "An abstract.", "upvotes": {upvotes}}}}}]'
    )
    return path


@pytest.mark.parametrize("upvotes", [str(2**63), "9" * 5000])
@pytest.mark.parametrize("kind", ["text", "api"])
def test_a_count_past_range_is_one_clear_line_exit_2_and_writes_nothing(
    site: Path, tmp_path: Path, kind: str, upvotes: str
) -> None:
    """Case 3 (README: one clear line, exit 2): 2**63 was stored, then crashed every later
    run; more than 4,300 digits raised ValueError."""
    listing = (_text_listing if kind == "text" else _api_listing)(tmp_path, upvotes)
    result = sitegen_here("--root", str(site), "ingest", str(listing))
    _one_clear_line(result, str(listing))
    assert "out of range" in result.stderr or "unusable JSON" in result.stderr
    assert not (site / "content").exists()
    fine = (_text_listing if kind == "text" else _api_listing)(tmp_path, str(10**9))
    assert sitegen_here("--root", str(site), "ingest", str(fine)).returncode == 0


@pytest.mark.parametrize("upvotes", [str(2**63), "9" * 5000])
def test_a_day_file_holding_a_count_past_range_names_itself(site: Path, upvotes: str) -> None:
    """Case 3: a store poisoned by an older sitegen, or by hand, is one line to fix."""
    assert main(["--root", str(site), "ingest", str(FIRST)]) == 0
    day = site / "content" / "days" / "2025-10-31.toml"
    day.write_text(day.read_text().replace("upvotes = ", f"upvotes = {upvotes}", 1))
    for command in (["ingest", str(SECOND)], ["build"]):
        _one_clear_line(sitegen_here("--root", str(site), *command), "content/days/2025-10-31.toml")


# ---- 4, 5, 7: hostile sources ------------------------------------------------------------------


def _answer(day: str) -> bytes:
    return API_ANSWER.replace(b"2025-10-31", day.encode())


def _fetch(root: Path, url: str, *args: str) -> int:
    return main(["--root", str(root), "fetch", "--base-url", url, "--timeout", "2", *args])


def test_a_bad_day_is_skipped_and_the_others_written(
    hf: tuple[FaultyHF, str], site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Case 4 (README: a bad day is skipped, the others written): malformed entries,
    undecodable answers and redirect loops raised tracebacks, and killed the whole run."""
    source, url = hf
    entries = json.loads(_answer("2025-11-02"))
    entries[0]["paper"]["authors"] = 5
    source.set("2025-11-01", [Reply(200, _answer("2025-11-01"))])
    source.set("2025-11-02", [Reply(200, json.dumps(entries).encode())])
    lone_surrogate = _answer("2025-11-03").replace(b"Agentic", b"Agentic \\ud800", 1)
    source.set("2025-11-03", [Reply(200, lone_surrogate)])
    source.set("2025-11-04", [Reply(200, b'[{"title": "\xff\xfe"}]')])
    loop = "/api/daily_papers?date=2025-11-05&p=0&limit=100"
    source.set("2025-11-05", [Reply(302, headers=(("Location", loop),))])
    source.set("2025-11-06", [Reply(302, headers=(("Location", "file:///etc/passwd"),))])
    source.set("2025-11-07", [Reply(200, _answer("2025-11-07"))])

    status = _fetch(site, url, "--since", "2025-11-01", "--until", "2025-11-07", "--attempts", "1")
    out, err = capsys.readouterr()
    assert status == 3 and "Traceback" not in err
    for day, words in (("04", "invalid JSON"), ("05", "redirects"), ("06", "outside the source")):
        assert f"2025-11-{day}: FAILED" in err and words in err, err
    written = [d.isoformat() for d in load_content(site).days]
    assert written == ["2025-11-01", "2025-11-02", "2025-11-03", "2025-11-07"]
    titles = {p.title for p in load_content(site).papers.values()}
    assert "Agentic Reinforcement Learning for Tool Use" in titles, "the surrogate is dropped"


@pytest.mark.parametrize("where", ["headers", "body"])
def test_a_request_has_a_deadline_however_slowly_the_answer_comes(
    hf: tuple[FaultyHF, str], where: str
) -> None:
    """Case 5: one byte (or one header line) a second held the read timeout off for minutes."""
    source, url = hf
    slow = Reply(
        200, _answer("2025-11-01"), drip=0.1, drip_headers=100 if where == "headers" else 0
    )
    source.set("2025-11-01", [slow], [slow])
    policy = FetchPolicy(read_timeout=1, attempts=1, attempt_deadline=1.0)
    started = time.monotonic()
    with make_client(policy) as client:
        fetcher = DayFetcher(client, base_url=url, policy=policy)
        with pytest.raises(FetchError, match="took over 1 s in all"):
            fetcher.fetch_day(date(2025, 11, 1))
    assert time.monotonic() - started < 5, "the API and then the page, a second each"


def test_a_redirect_is_followed_only_within_the_source(
    hf: tuple[FaultyHF, str], site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Case 7: a redirect to another host was followed and its data ingested."""
    source, url = hf
    elsewhere = url.replace("127.0.0.1", "localhost")  # the same server, another host
    for day, target in (("2025-11-01", ""), ("2025-11-02", elsewhere)):
        moved = f"{target}/api/daily_papers?date={day}&p=0&limit=100&moved=1"
        source.set(day, [Reply(302, headers=(("Location", moved),)), Reply(200, _answer(day))])
    status = _fetch(site, url, "--since", "2025-11-01", "--until", "2025-11-02", "--attempts", "1")
    assert status == 3, "one day failed, the other was written"
    err = capsys.readouterr().err
    assert "2025-11-02: FAILED" in err and f"{elsewhere}/api" in err
    assert [d.isoformat() for d in load_content(site).days] == ["2025-11-01"]


# ---- 6, 14: what a listing may be --------------------------------------------------------------


def test_a_deeply_nested_page_is_refused_before_it_is_parsed() -> None:
    """Case 6: 200,000 nested elements took the HTML parser 108 s to reject."""
    page = b"<html><body>" + b"<div>" * 200_000 + b"</div>" * 200_000 + b"</body></html>"
    started = time.monotonic()
    with pytest.raises(ListingError, match="nests its elements over 1,000 deep"):
        parse_listing(page, origin="2025-10-31.html")
    assert time.monotonic() - started < 2


def test_a_listing_is_read_no_further_than_a_listing_may_be(site: Path, tmp_path: Path) -> None:
    """Case 14: `ingest /dev/zero` read until MemoryError."""
    _one_clear_line(_sitegen(site, "ingest", "/dev/zero"), "/dev/zero", "not a regular file")
    huge = tmp_path / "2026-01-08.txt"
    with huge.open("wb") as handle:  # sparse: 33 MB that take no room
        handle.truncate(33 * 2**20)
    # Run here: a 33 MB file read whole is no danger to this process, as /dev/zero is.
    _one_clear_line(sitegen_here("--root", str(site), "ingest", str(huge)), str(huge), "32 MB")


# ---- 8, 9, 10: broken disks --------------------------------------------------------------------


def test_a_paper_file_replaced_by_a_directory_is_one_line_and_nothing_is_lost(
    site: Path,
) -> None:
    """Case 8: the build dropped the paper silently; an ingest naming it crashed after its
    commit, and every command after it."""
    assert main(["--root", str(site), "ingest", str(FIRST)]) == 0
    paper = next((site / "content" / "papers").glob("*.md"))
    paper.unlink()
    paper.mkdir()
    before = tree_bytes(site / "content")
    for command in (["build"], ["ingest", str(FIRST)], ["ingest", str(SECOND)]):
        _one_clear_line(sitegen_here("--root", str(site), *command), str(paper), "not a file")
    assert tree_bytes(site / "content") == before and not (site / ".sitegen-txn").exists()
    paper.rmdir()  # its day entries left: named, with how to restore the file
    refused = sitegen_here("--root", str(site), "ingest", str(FIRST))
    _one_clear_line(refused, f"no paper has the id '{paper.stem}'")
    assert f"hint: if {paper.relative_to(site)} was deleted, restore it" in refused.stderr
    assert tree_bytes(site / "content") == before


@pytest.mark.parametrize(
    ("moved", "said"),
    [
        ("days/2025/2025-10-31.toml", "a folder among the day files"),
        ("days/2025-10-31.TOML", "rename it content/days/2025-10-31.toml"),
        ("days/2025-10-31.md", "rename it content/days/2025-10-31.toml"),
        ("papers/old/{paper}.md", "a folder among the paper files"),
        ("papers/{paper}.MD", "rename it content/papers/{paper}.md"),
        ("papers/{paper}.markdown", "rename it content/papers/{paper}.md"),
    ],
)
def test_a_content_file_moved_or_misnamed_by_hand_is_one_line_not_a_silent_loss(
    site: Path, moved: str, said: str
) -> None:
    """Found by a review: a day file moved into a folder or renamed `.TOML` or `.md` was not
    read, and the build took the day off the site without a word (a paper file the same; a
    user's trial, one saved as `.markdown`)."""
    assert main(["--root", str(site), "ingest", str(FIRST)]) == 0
    content = site / "content"
    paper = next((content / "papers").glob("*.md")).stem
    source = content / (
        "days/2025-10-31.toml" if moved.startswith("days") else f"papers/{paper}.md"
    )
    target = content / moved.format(paper=paper)
    target.parent.mkdir(exist_ok=True)
    source.rename(target)
    before = tree_bytes(content)
    for command in (["build"], ["ingest", str(SECOND)]):
        result = sitegen_here("--root", str(site), *command)
        _one_clear_line(result, str(target if "folder" not in said else target.parent))
        assert said.format(paper=paper) in result.stderr, result.stderr
    assert tree_bytes(content) == before and not (site / "public").exists()
    (content / "days" / "2025-10-31.toml~").write_text("an editor's backup is no mistake")
    # Nor the copies `git mergetool` leaves of a file it merged (a user's trial: each was an
    # error whose hint, to rename it to a paper id or day, made a second paper or day file).
    for side in ("BACKUP", "BASE", "LOCAL", "REMOTE"):
        shutil.copy(target, content / "papers" / f"{paper}_{side}_4242.md")
        (content / "days" / f"2025-10-31_{side}_4242.toml").write_text("a merge's side\n")
    target.rename(source)
    if "folder" in said:
        target.parent.rmdir()
    assert main(["--root", str(site), "build"]) == 0


@pytest.mark.parametrize("folder", ["days", "papers"])
def test_a_content_folder_replaced_by_a_file_is_one_line_and_nothing_is_lost(
    site: Path, folder: str
) -> None:
    """A traceback (NotADirectoryError) from every command that read the store."""
    assert main(["--root", str(site), "ingest", str(FIRST)]) == 0
    moved = site / "content" / folder
    moved.rename(site / "kept")
    moved.write_text("not a folder\n")
    before = tree_bytes(site / "content")
    for command in (["build"], ["ingest", str(SECOND)]):
        _one_clear_line(sitegen_here("--root", str(site), *command), str(moved), "not a folder")
    assert tree_bytes(site / "content") == before


@pytest.mark.parametrize(("folder", "kind"), [("content", "file"), ("content/listings", "file"),
                                            ("content/listings", "link to nothing")])  # fmt: skip
@pytest.mark.parametrize("command", [["build"], ["ingest", str(FIRST)], ["fetch"], ["serve"]])
def test_a_file_where_content_goes_is_named_not_the_first_file_read_in_it(
    tmp_path: Path, command: list[str], folder: str, kind: str
) -> None:
    """Found by a new user's trial: a file named content said "content/fetch-state.json:
    cannot read it: Not a directory", and told to mend or delete fetch-state.json; and by
    reviews, a file named content/listings "its directory is not writable", and a link to
    nothing there left an ingest's write half-done."""
    shutil.copy(REPO / "site.toml", tmp_path)
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    (tmp_path / folder).parent.mkdir(exist_ok=True)
    if kind == "file":
        (tmp_path / folder).write_text("my notes\n")
    else:
        (tmp_path / folder).symlink_to(tmp_path / "gone")
    # A process, with a deadline: without the check, serve went on serving.
    refused = _sitegen(tmp_path, *command, timeout=60)
    assert refused.returncode == 2
    assert refused.stderr.splitlines() == [
        f"sitegen: error: {tmp_path / folder}: not a folder: a file or a broken link where a"
        " folder of the store belongs",
        f"  hint: move it away or restore {folder}/ (git checkout)",
    ]
    assert kind != "file" or (tmp_path / folder).read_text() == "my notes\n"
    assert not (tmp_path / "public").exists() and not (tmp_path / ".sitegen-txn").exists()


def test_a_change_of_public_that_cannot_be_completed_is_one_line_and_a_probe_left_is_cleared(
    tiny_built: Path,
) -> None:
    """A review: a committed change of public/ that could not be completed (a permission, a
    file put in its way) was a traceback at every later build; and a probe a kill left in
    public/ was kept and published as a file of the user's."""
    public = tiny_built / "public"
    journal = tiny_built / ".public.journal"
    (journal / "files").mkdir(parents=True)
    (journal / "files" / "new.html").write_text("<p>new</p>\n")
    manifest = {"move": [["public/index.html/x", "new.html"]], "delete": []}  # under a file
    (journal / "manifest.json").write_text(json.dumps(manifest))
    result = sitegen_here("--root", str(tiny_built), "build")
    _one_clear_line(result, "cannot complete the interrupted change of public/", "index.html")
    shutil.rmtree(journal)  # what the hint says to fix, fixed
    (public / ".sitegen-probe-123-abcd1234").write_bytes(b"")
    assert main(["--root", str(tiny_built), "build"]) == 0
    assert not list(public.glob(".sitegen-probe-*"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root lists any folder")
def test_a_folder_of_static_that_cannot_be_read_stops_the_build_and_keeps_its_files(
    tiny_built: Path,
) -> None:
    """A review: a folder of static/ of mode 000 was passed over in silence, and its files
    were removed from the site."""
    folder = tiny_built / "static" / "sub"
    folder.mkdir(parents=True)
    (folder / "secret.txt").write_text("mine\n")
    assert main(["--root", str(tiny_built), "build"]) == 0
    published = tiny_built / "public" / "sub" / "secret.txt"
    with without_permissions(folder):
        result = sitegen_here("--root", str(tiny_built), "build")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"sitegen: error: {folder}: cannot read it"), result.stderr
    assert published.read_text() == "mine\n"


def test_a_template_that_cannot_be_read_is_one_line_and_the_site_is_kept(
    tiny_built: Path, unprivileged: list[str]
) -> None:
    """Found by a driver of every path without permission: a file of templates/ of mode 000
    stopped the build with a PermissionError traceback (read for the build's setup key)."""
    template = tiny_built / "templates" / "base.html"
    before = tree_bytes(tiny_built / "public")
    with without_permissions(template):
        result = _sitegen(tiny_built, "build", prefix=unprivileged)
    _one_clear_line(result, str(template), "cannot read it: Permission denied")
    assert tree_bytes(tiny_built / "public") == before


def test_a_templates_folder_that_cannot_be_read_is_one_line_not_a_missing_template(
    tiny_built: Path, unprivileged: list[str]
) -> None:
    """Found by a driver of every path without permission: a folder of templates/ of mode 000
    was left out in silence, and a template in it said to be missing ("restore it from the
    sitegen repository"), which it is not."""
    partials = tiny_built / "templates" / "partials"
    partials.mkdir()
    (partials / "_note.html").write_text("<p>mine</p>\n")
    base = tiny_built / "templates" / "base.html"
    rewrite(base, lambda t: t.replace("</footer>", '{% include "partials/_note.html" %}</footer>'))
    before = tree_bytes(tiny_built / "public")
    with without_permissions(partials):
        result = _sitegen(tiny_built, "build", prefix=unprivileged)
    _one_clear_line(result, str(partials), "cannot read it: Permission denied")
    assert tree_bytes(tiny_built / "public") == before


def test_a_fetch_with_a_days_folder_that_cannot_be_listed_is_one_line(
    tiny_built: Path, unprivileged: list[str]
) -> None:
    """Found by a driver of every path without permission: content/days/ of mode 000 stopped
    `sitegen fetch` with a PermissionError traceback (the days held, read before any request)."""
    days = tiny_built / "content" / "days"
    before = tree_bytes(tiny_built / "content")
    # Nothing listens at port 9: no request may be answered, none is needed.
    with without_permissions(days):
        result = _sitegen(
            tiny_built, "fetch", "--source", "http://127.0.0.1:9", prefix=unprivileged
        )
    _one_clear_line(result, str(days), "Permission denied")
    assert tree_bytes(tiny_built / "content") == before


def test_serve_with_a_folder_it_cannot_watch_is_one_line_not_a_traceback(
    tiny_built: Path, unprivileged: list[str]
) -> None:
    """Found by a driver of every path without permission: content/papers/ of mode 000 failed
    serve's first build, said so, and then watchfiles' PermissionError ended it in a traceback."""
    papers = tiny_built / "content" / "papers"
    with without_permissions(papers):
        result = _sitegen(tiny_built, "serve", "--port", "0", prefix=unprivileged, timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("sitegen: error:")]
    assert "cannot watch the site for changes" in errors[-1] and str(papers) in errors[-1]
    assert "Serving" not in result.stdout


def test_a_digests_file_without_permission_is_not_said_to_be_in_the_way(
    tiny_built: Path, unprivileged: list[str]
) -> None:
    """Found by a driver of every path without permission: content/digests.toml of mode 000
    was told to be moved away, the hint for a folder or a FIFO in its place."""
    digests = tiny_built / "content" / "digests.toml"
    with without_permissions(digests):
        result = _sitegen(tiny_built, "build", prefix=unprivileged)
    _one_clear_line(result, "content/digests.toml: cannot read it: Permission denied")
    assert "hint: fix its permissions" in result.stderr and "move" not in result.stderr


def test_a_kept_listing_without_permission_is_said_so_not_to_be_saved_as_a_file(
    site: Path, unprivileged: list[str]
) -> None:
    """Found by a maintainer's trial: `ingest content/listings/*` with a kept listing of mode
    000 was told to "give a listing saved as a file", which it is; its permissions are what
    to fix."""
    assert main(["--root", str(site), "ingest", str(FIRST)]) == 0
    kept = site / "content" / "listings" / FIRST.name
    before = tree_bytes(site / "content")
    with without_permissions(kept):
        result = _sitegen(site, "ingest", str(kept), prefix=unprivileged)
    _one_clear_line(result, str(kept), "cannot read the listing: Permission denied")
    assert "hint: fix its permissions" in result.stderr, result.stderr
    assert "saved as a file" not in result.stderr
    assert tree_bytes(site / "content") == before


def test_a_day_file_without_permission_is_said_with_the_broken_paper_files(
    tiny_built: Path, unprivileged: list[str]
) -> None:
    """Found by a maintainer's trial (docs/content.md: files that do not read are said at
    once): a day file of mode 000 was said alone, the paper file broken beside it only at the
    next run."""
    content = tiny_built / "content"
    paper = next((content / "papers").glob("*.md"))
    rewrite(paper, lambda text: re.sub(r"(?m)^upvotes = .*$", "upvotes = 'ten'", text, count=1))
    day = next((content / "days").glob("*.toml"))
    with without_permissions(day):
        result = _sitegen(tiny_built, "build", prefix=unprivileged)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("sitegen: error:")]
    assert len(errors) == 2, result.stderr
    assert any(f"content/papers/{paper.name}:" in line and "ten" in line for line in errors)
    assert any(
        f"content/days/{day.name}: cannot read it: Permission denied" in line for line in errors
    )


def test_a_paper_file_without_permission_is_said_with_its_permissions_to_fix(
    tiny_built: Path, unprivileged: list[str]
) -> None:
    """A maintainer's paper file of mode 000 (a copy from another user's checkout): the build
    names it and says to fix its permissions, not that content/ changed while it was read."""
    paper = next((tiny_built / "content" / "papers").glob("*.md"))
    with without_permissions(paper):
        result = _sitegen(tiny_built, "build", prefix=unprivileged)
    _one_clear_line(result, f"content/papers/{paper.name}: cannot read it: Permission denied")
    assert "  hint: fix its permissions (sitegen reads it to build the site), then run again" in (
        result.stderr.splitlines()
    ), result.stderr


def test_a_fetch_whose_days_folder_cannot_be_listed_says_so_before_asking_anything(
    site: Path, unprivileged: list[str]
) -> None:
    """content/days/ of mode 000 (the days a fetch goes on from): one line naming the folder,
    with its permissions to check, and nothing asked of the source (none answers here)."""
    assert main(["--root", str(site), "ingest", str(FIRST)]) == 0
    days = site / "content" / "days"
    before = tree_bytes(site / "content")
    with without_permissions(days):
        result = _sitegen(
            site,
            "fetch",
            "--source",
            "http://127.0.0.1:9",
            "--attempts",
            "1",
            prefix=unprivileged,
        )
    _one_clear_line(result, f"{days}: cannot list it: Permission denied")
    assert "  hint: check its permissions (ls -ld), then run again" in result.stderr.splitlines()
    assert tree_bytes(site / "content") == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root lists any folder")
def test_a_content_folder_that_cannot_be_listed_is_said_so_and_not_to_be_removed(
    site: Path,
) -> None:
    """Found by a review: a folder of mode 000 was "a file or a broken link", and the hint said
    to remove it: the folder of every paper."""
    assert main(["--root", str(site), "ingest", str(FIRST)]) == 0
    days = site / "content" / "days"
    with without_permissions(days):
        result = sitegen_here("--root", str(site), "build")
    _one_clear_line(result, str(days), "cannot list it")
    assert "remove" not in result.stderr
    # And the kept listings' folder, which an ingest reads (a traceback: found by a review).
    listings = site / "content" / "listings"
    with without_permissions(listings):
        result = sitegen_here("--root", str(site), "ingest", str(SECOND))
    _one_clear_line(result, str(listings), "cannot read it: Permission denied")


def test_a_committed_write_that_cannot_be_completed_says_why_until_it_can(site: Path) -> None:
    """Case 8: a store left so by an older sitegen made every command crash."""
    assert main(["--root", str(site), "ingest", str(FIRST)]) == 0
    journal = site / ".sitegen-txn"
    (journal / "files").mkdir(parents=True)
    (journal / "files" / "w0").write_text('+++\ntitle = "Late"\n+++\nAn abstract.\n')
    manifest = {"move": [["content/papers/late.md", "w0"]], "delete": []}
    (journal / "manifest.json").write_text(json.dumps(manifest))
    (site / "content" / "papers" / "late.md").mkdir()
    for command in (["build"], ["ingest", str(SECOND)]):
        _one_clear_line(
            sitegen_here("--root", str(site), *command), "cannot complete the interrupted write"
        )
    (site / "content" / "papers" / "late.md").rmdir()
    assert main(["--root", str(site), "build"]) == 0
    assert load_content(site).papers["late"].title == "Late" and not journal.exists()


@pytest.fixture(params=["tmpfs", "bind mount"])
def other_filesystem(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Path]:
    """A folder on another filesystem or mount than `tmp_path`'s: a tmpfs, or a bind mount of
    a folder of the same disk (which st_dev does not tell apart: a review), mounted for the
    test (as root); else, for the tmpfs, one in /dev/shm when that is another filesystem."""
    if os.geteuid() == 0 and shutil.which("mount"):
        mounted = tmp_path / "mnt"
        mounted.mkdir()
        if request.param == "tmpfs":
            mount = ["mount", "-t", "tmpfs", "none", str(mounted)]
        else:
            (tmp_path / "elsewhere").mkdir()
            mount = ["mount", "--bind", str(tmp_path / "elsewhere"), str(mounted)]
        subprocess.run(mount, check=True)
        try:
            yield mounted
        finally:
            subprocess.run(["umount", str(mounted)], check=True)
        return
    shm = Path("/dev/shm")
    if request.param != "tmpfs" or not shm.is_dir() or shm.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("no other filesystem to reach")
    folder = Path(tempfile.mkdtemp(dir=shm))
    try:
        yield folder
    finally:
        shutil.rmtree(folder)


def test_content_on_another_filesystem_is_one_line_and_nothing_is_half_done(
    site: Path, other_filesystem: Path
) -> None:
    """A review: content/ a link to another disk. The change was committed, then could not be
    moved in (a rename cannot cross filesystems), and every later run stopped on it."""
    assert main(["--root", str(site), "ingest", str(FIRST)]) == 0
    shutil.move(site / "content", other_filesystem / "content")
    (site / "content").symlink_to(other_filesystem / "content")
    before = tree_bytes(other_filesystem / "content")
    result = sitegen_here("--root", str(site), "ingest", str(SECOND))
    _one_clear_line(result, "on another filesystem or mount than the site folder")
    assert tree_bytes(other_filesystem / "content") == before
    assert main(["--root", str(site), "build"]) == 0  # nothing was left to complete


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting needs root")
def test_an_output_that_is_a_mount_point_is_refused_untouched(
    tiny_built: Path, other_filesystem: Path
) -> None:
    """A review: the swap of the output failed (a mount point cannot be replaced) and left its
    record, after which every build ended in a traceback."""
    result = sitegen_here("--root", str(tiny_built), "build", "--out", str(other_filesystem))
    _one_clear_line(result, "a mount point")
    assert list(other_filesystem.iterdir()) == []
    assert not list(other_filesystem.parent.glob(f".{other_filesystem.name}.*"))


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting needs root")
def test_a_mount_named_in_bytes_that_are_not_utf_8_stops_no_run(tiny_built: Path) -> None:
    """A review: Linux lists mounts' names as bytes; one of Latin-1 anywhere on the machine made
    every ingest and build a traceback."""
    mounted = Path(os.fsdecode(bytes(tiny_built.parent) + b"/m\xe9dia"))
    mounted.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "none", str(mounted)], check=True)
    try:
        assert main(["--root", str(tiny_built), "ingest", str(SECOND)]) == 0
        assert main(["--root", str(tiny_built), "build"]) == 0
    finally:
        subprocess.run(["umount", str(mounted)], check=True)


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting needs root")
def test_a_build_with_a_filesystem_mounted_inside_its_output_is_refused_untouched(
    tiny_built: Path,
) -> None:
    """A review: a full build removed the folder it replaced, and with it what a volume mounted
    at public/media held; an incremental one moved files across the mount after its commit."""
    media = tiny_built / "public" / "media"
    media.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "none", str(media)], check=True)
    try:
        (media / "mine.txt").write_text("mine\n")
        for clean in ([], ["--clean"]):
            result = sitegen_here("--root", str(tiny_built), "build", *clean)
            _one_clear_line(result, "a filesystem is mounted inside it", str(media))
            assert (media / "mine.txt").read_text() == "mine\n"
    finally:
        subprocess.run(["umount", str(media)], check=True)


@pytest.fixture
def unprivileged() -> list[str]:
    """The command prefix that runs a process without the right to write anywhere: root may,
    so as root it runs without that capability (setpriv, util-linux)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("as root, a read-only directory needs setpriv to be read-only")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner"]


def test_a_read_only_directory_is_named_and_the_store_is_not_half_applied(
    site: Path, unprivileged: list[str]
) -> None:
    """Case 9 (README: a failed run writes nothing): the day file and listing were written, the
    papers not, and every command crashed until the permissions were fixed."""
    assert main(["--root", str(site), "ingest", str(FIRST)]) == 0
    papers = site / "content" / "papers"
    papers.chmod(0o555)
    before = tree_bytes(site / "content")
    try:
        result = _sitegen(site, "ingest", str(SECOND), prefix=unprivileged)
    finally:
        papers.chmod(0o755)
    _one_clear_line(result, "not writable", str(papers))
    assert "nothing was written" in result.stderr
    assert tree_bytes(site / "content") == before and not (site / ".sitegen-txn").exists()
    assert main(["--root", str(site), "ingest", str(SECOND)]) == 0
    assert main(["--root", str(site), "build"]) == 0


def test_a_read_only_folder_deep_in_the_site_is_refused_before_anything_changes(
    site: Path, unprivileged: list[str]
) -> None:
    """Found after the thirty-ninth session: the build probed the first two levels of public/
    only, so a week's folder of /top/ made read-only was found after the commit, and every
    later build stopped on completing it."""
    assert main(["--root", str(site), "ingest", str(FIRST)]) == 0
    assert main(["--root", str(site), "build"]) == 0
    week = next((site / "public" / "top" / "week").iterdir())
    assert week.is_dir() and (week / "index.html").is_file()
    config = site / "site.toml"
    config.write_text(config.read_text().replace('"Daily Papers"', '"Papers of the Day"', 1))
    before = tree_bytes(site / "public")
    week.chmod(0o555)
    try:
        result = _sitegen(site, "build", prefix=unprivileged)
    finally:
        week.chmod(0o755)
    _one_clear_line(result, "cannot write in it", str(week))
    assert "nothing was changed" in result.stderr
    assert tree_bytes(site / "public") == before and not (site / ".public.journal").exists()
    assert main(["--root", str(site), "build"]) == 0
    assert "Papers of the Day" in (week / "index.html").read_text()


def test_a_clean_build_removes_the_old_site_a_read_only_folder_and_all(
    site: Path, unprivileged: list[str]
) -> None:
    """Found by a fork owner's trial: the old site, swapped out by `--clean`, could not be
    removed for a folder made read-only in it, and stayed beside the site after every build."""
    assert main(["--root", str(site), "ingest", str(FIRST)]) == 0
    assert main(["--root", str(site), "build"]) == 0
    week = next((site / "public" / "top" / "week").iterdir())
    week.chmod(0o555)
    try:
        result = _sitegen(site, "build", "--clean", prefix=unprivileged)
    finally:
        with contextlib.suppress(FileNotFoundError):
            week.chmod(0o755)
    assert result.returncode == 0, result.stderr
    beside = sorted(p.name for p in site.iterdir() if p.name.startswith(".public"))
    assert beside == [".public.lock", ".public.outputs"]


def test_a_leftover_beside_the_site_with_an_unreadable_folder_is_removed_and_nothing_else(
    site: Path, unprivileged: list[str]
) -> None:
    """Found by a review: removing an old site killed mid-swap, whose folder could not be read,
    failed on a TypeError in every later build; and the fix before it made the site's own
    folder 700 when something in the tree could not be removed."""
    assert main(["--root", str(site), "ingest", str(FIRST)]) == 0
    assert main(["--root", str(site), "build"]) == 0
    unreadable = site / ".public.old-99999" / "a" / "b"
    unreadable.mkdir(parents=True)
    (unreadable / "f").write_text("left by a killed build\n")
    mode = site.stat().st_mode
    with without_permissions(unreadable):  # a build removes it
        result = _sitegen(site, "build", prefix=unprivileged)
    assert result.returncode == 0, result.stderr
    assert not (site / ".public.old-99999").exists()
    assert site.stat().st_mode == mode


def test_a_link_named_as_a_leftover_beside_the_site_leads_to_nothing_changed(
    site: Path, tmp_path: Path
) -> None:
    """Found by rereading and a review: the removal that makes folders writable followed such
    a link, and made the folders it leads to 700; with no public/ (as after a kill between a
    swap's two renames) the link was taken for the old site and made public/, and the files
    it led to were published as the user's."""
    assert main(["--root", str(site), "ingest", str(FIRST)]) == 0
    mine = tmp_path / "mine"
    (mine / "inside").mkdir(parents=True)
    (mine / "inside" / "f").write_text("mine\n")
    for folder in (mine, mine / "inside"):
        folder.chmod(0o755)

    def untouched() -> None:
        assert [oct(f.stat().st_mode & 0o777) for f in (mine, mine / "inside")] == ["0o755"] * 2
        assert sorted(p.name for p in mine.iterdir()) == ["inside"]
        assert (mine / "inside" / "f").read_text() == "mine\n"

    for _ in ("no public/ yet", "public/ built"):
        (site / ".public.old-99999").symlink_to(mine)
        assert main(["--root", str(site), "build"]) == 0
        untouched()
        public = site / "public"
        assert not public.is_symlink() and (public / "index.html").is_file()
        assert not (public / "inside").exists()
        assert sorted(p.name for p in site.glob(".public.*-*")) == [".public.old-99999"]
        (site / ".public.old-99999").unlink()


def _sitegen_on_a_full_disk(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`sitegen` in a process that cannot write a file past 2 kB (EFBIG), as on a full disk."""
    run = (
        "import resource, runpy, sys\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))\n"
        "sys.argv = ['sitegen', *sys.argv[1:]]\n"
        "runpy.run_module('sitegen', run_name='__main__', alter_sys=True)\n"
    )
    return subprocess.run(
        [sys.executable, "-c", run, "--root", str(root), *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )


def test_a_failed_run_writes_nothing_even_on_a_full_disk(site: Path) -> None:
    """Case 10 (README: a failed run writes nothing; one clear line, exit 2): a traceback, and
    a full .sitegen-txn left behind."""
    assert main(["--root", str(site), "ingest", str(FIRST)]) == 0
    before = tree_bytes(site / "content")
    result = _sitegen_on_a_full_disk(site, "ingest", str(SECOND))
    _one_clear_line(result, "cannot write content/", "File too large")
    assert "nothing was written" in result.stderr
    assert tree_bytes(site / "content") == before and not (site / ".sitegen-txn").exists()


def test_a_build_on_a_full_disk_keeps_the_site_and_its_record(site: Path) -> None:
    """Case 10: a failed `--clean` deleted the build record first, so every later build was
    a full one, and failed again."""
    assert main(["--root", str(site), "ingest", str(FIRST)]) == 0
    assert main(["--root", str(site), "build"]) == 0
    built = tree_bytes(site / "public")
    assert main(["--root", str(site), "ingest", str(SECOND)]) == 0
    for args in (["build"], ["build", "--clean"]):
        result = _sitegen_on_a_full_disk(site, *args)
        _one_clear_line(result, "cannot write the site", "File too large")
        assert tree_bytes(site / "public") == built, "the previous site is whole"
    result = sitegen_here("--root", str(site), "build")  # with room again
    assert result.returncode == 0 and "the rest were up to date" in result.stdout, result.stdout


# ---- 11: damaged caches ------------------------------------------------------------------------


def test_a_damaged_cache_is_ignored(site: Path) -> None:
    """Case 11 (README: a damaged cache is ignored): garbled, not cut off, a cache crashed the
    next ingest in 13 of 16 trials."""
    assert main(["--root", str(site), "ingest", str(FIRST)]) == 0
    load_content(site)  # which keeps what it parsed
    cache = site / ".sitegen-cache" / "parsed.marshal"
    good = cache.read_bytes()
    expected = tree_bytes(site / "content")
    garble = random.Random(19)
    for _ in range(16):
        damaged = bytearray(good)
        for _ in range(garble.randint(1, 4)):
            damaged[garble.randrange(len(damaged))] = garble.randrange(256)
        cache.write_bytes(bytes(damaged))
        assert main(["--root", str(site), "ingest", str(FIRST)]) == 0
        assert tree_bytes(site / "content") == expected


def test_a_value_rewritten_inside_a_cache_is_never_rendered(site: Path) -> None:
    """Case 11: a title rewritten in a cache was rendered silently, unlike `--clean`."""
    assert main(["--root", str(site), "ingest", str(FIRST)]) == 0
    assert main(["--root", str(site), "build"]) == 0
    api = tree_bytes(site / "public" / "api")
    title = next(
        p["title"] for p in api_papers(site / "public") if p["title"].replace(" ", "").isalnum()
    )
    forged = "X" * len(title.encode())
    for cache in (site / ".sitegen-cache").iterdir():
        cache.write_bytes(cache.read_bytes().replace(title.encode(), forged.encode()))
    shutil.rmtree(site / "public")
    assert main(["--root", str(site), "build"]) == 0
    assert tree_bytes(site / "public" / "api") == api


# ---- 12: titles of symbols alone ---------------------------------------------------------------


def test_titles_without_letters_or_digits_stay_apart(site: Path, tmp_path: Path) -> None:
    """Case 12: `???`, `!!!` and `— · —` all had the empty key and merged into one paper."""
    titles = ["???", "!!!", "— · —"]
    listing = tmp_path / "2026-02-01.txt"
    listing.write_text(
        "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\n"
        "byAK and the research community\n\nFeb 1\n\n"
        + "".join(f"{title}\n\nThe abstract of {title}.\n\n" for title in titles)
    )
    assert main(["--root", str(site), "ingest", str(listing)]) == 0
    papers = load_content(site).papers
    assert sorted(p.title for p in papers.values()) == sorted(titles)
    assert all(p.abstract == f"The abstract of {p.title}." for p in papers.values())
    assert main(["--root", str(site), "ingest", str(listing)]) == 0
    assert len(load_content(site).papers) == 3, "and each is found again"


# ---- 13: public/ as a symbolic link -------------------------------------------------------------


def test_a_public_directory_linked_to_a_web_root_is_published_through_the_link(
    site: Path, tmp_path: Path
) -> None:
    """Case 13: the link was replaced by a directory and left as .public.old-PID for good;
    the web root was never updated."""
    web_root = tmp_path / "www" / "html"
    web_root.mkdir(parents=True)
    (site / "public").symlink_to(web_root)
    assert main(["--root", str(site), "ingest", str(FIRST)]) == 0
    assert main(["--root", str(site), "build"]) == 0
    assert (site / "public").is_symlink() and (web_root / "index.html").is_file()
    assert main(["--root", str(site), "ingest", str(SECOND)]) == 0
    assert main(["--root", str(site), "build"]) == 0
    assert (site / "public").is_symlink()
    assert "Nov 3, 2025" in (web_root / "index.html").read_text()
    assert not list(site.glob(".public.old-*")) and not list(web_root.parent.glob(".*.old-*"))


def test_hidden_files_editors_locks_and_macos_leftovers_in_content_are_skipped(
    site: Path,
) -> None:
    """Found by a user's trial: Emacs's lock of a paper being edited (`.#x.md`, a link to
    nowhere) stopped every build and ingest with a hint to restore it from git, and macOS's
    `._x.md`, a `.hidden.md` or a day folder's `.notes.toml` were refused as misnamed."""
    assert main(["--root", str(site), "ingest", str(FIRST)]) == 0
    assert main(["--root", str(site), "build"]) == 0
    built = tree_bytes(site / "public")
    papers, days = site / "content" / "papers", site / "content" / "days"
    paper = next(papers.glob("*.md")).name
    (papers / f".#{paper}").symlink_to("user@laptop.4242:1733300000")  # as Emacs makes it
    (days / ".#2025-10-31.toml").symlink_to("user@laptop.4242:1733300000")
    (papers / f"._{paper}").write_bytes(b"\0\5\26\7 AppleDouble")
    (papers / ".hidden.md").write_text("+++\ntitle = 1\n+++\n")
    (days / ".notes.toml").write_text("not a day\n")
    (days / ".drafts").mkdir()
    (days / ".drafts" / "2025-11-01.toml").write_text("day = 2025-11-01\n")
    before = tree_bytes(site / "content")
    assert main(["--root", str(site), "build"]) == 0
    assert tree_bytes(site / "public") == built
    assert main(["--root", str(site), "build", "--clean"]) == 0
    assert tree_bytes(site / "public") == built
    assert main(["--root", str(site), "ingest", str(FIRST)]) == 0
    assert tree_bytes(site / "content") == before


def test_backups_empty_folders_and_archive_leftovers_in_content_are_no_mistake(site: Path) -> None:
    """Found by a review of the check above: a day's `.bak` or `.orig`, an empty folder and a
    zip's `__MACOSX` were refused; and the hint said to rename a `.TOML` over its `.toml`."""
    assert main(["--root", str(site), "ingest", str(FIRST)]) == 0
    days = site / "content" / "days"
    (days / "2025-10-31.bak").write_bytes((days / "2025-10-31.toml").read_bytes())
    (days / "2025-10-31.ORIG").write_text("a merge tool's")
    (days / "empty").mkdir()
    (days / "__MACOSX").mkdir()
    (days / "__MACOSX" / "._2025-10-31.toml").write_bytes(b"\0\5\26\7")
    assert main(["--root", str(site), "build"]) == 0
    (days / "2025-10-31.TOML").write_bytes((days / "2025-10-31.toml").read_bytes())
    result = sitegen_here("--root", str(site), "build")
    _one_clear_line(result, str(days / "2025-10-31.TOML"))
    assert (
        "content/days/2025-10-31.toml is there too: move what this one adds into it"
        in result.stderr
    )
