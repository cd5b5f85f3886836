"""Safety (issue #15): no command destroys what sitegen did not make, no input invents or loses a
paper, no worker outlives its build, every error a user can cause is one line, and there is no
moment without a site. The kill -9 campaign is in test_interrupted.py."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import tracemalloc
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import feedparser
import pytest

import sitegen.build
from sitegen import whole_files
from sitegen.cli import main
from sitegen.errors import ListingError
from sitegen.listings import parse_listing
from sitegen.store import load_content
from tests.conftest import (
    REPO,
    assert_group_ends,
    copy_site,
    processes_of_group,
    rewrite,
    sitegen_here,
    tree_bytes,
)
from tests.hf_server import FaultyHF, Reply
from tests.test_fetch import API_ANSWER


@pytest.fixture
def bundled(site: Path) -> Path:
    """`site` holding the bundled content, not built."""
    shutil.copytree(REPO / "content", site / "content")
    return site


@pytest.fixture
def small(site: Path, tiny_build: Path) -> Path:
    """`site` holding the tiny site's content (`tiny_build`), not built: for the tests
    that refuse before building or fetch beside it."""
    shutil.copytree(tiny_build / "content", site / "content")
    return site


@pytest.fixture(scope="module")
def built_without_a_day(tiny_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny site built without its first day: its day file deleted, the site built again
    (once for this file: read it, copy it with `copy_site`)."""
    root = copy_site(tiny_build, tmp_path_factory.mktemp("without-a-day") / "site")
    min((root / "content" / "days").glob("*.toml")).unlink()
    assert main(["--root", str(root), "build"]) == 0
    return root


@pytest.fixture
def small_without_a_day(
    site: Path, tiny_build: Path, built_without_a_day: Path
) -> tuple[Path, Path, bytes]:
    """`site` holding a copy of `built_without_a_day`; the day file it lacks, and its bytes:
    written back, the next build makes the day's pages again."""
    copy_site(built_without_a_day, site)
    held = min((tiny_build / "content" / "days").glob("*.toml"))
    assert not (site / "content" / "days" / held.name).exists()
    return site, site / "content" / "days" / held.name, held.read_bytes()


def _sitegen(
    *args: str, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sitegen", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _one_error(stderr: str) -> str:
    """The error a user sees: one line (after argparse's usage, or before a hint), never a
    traceback."""
    assert "Traceback" not in stderr, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("sitegen")]
    assert len(errors) == 1 and "error:" in errors[0], stderr
    return errors[0]


def _everything(root: Path) -> dict[str, bytes | None]:
    """Every path under `root`: a file's bytes, None for a directory (and the rest)."""
    return {
        str(path.relative_to(root)): path.read_bytes() if path.is_file() else None
        for path in sorted(root.rglob("*"))
    }


# ---- 1. `--out` replaces only what sitegen made -------------------------------------------------


@pytest.mark.parametrize(
    "out",
    [
        ".",
        "..",
        "content",
        "content/papers",
        "templates",
        ".sitegen-cache",
        "content/new",
        "static",
    ],
)
def test_build_never_replaces_the_site_or_its_sources(
    small: Path, tmp_path: Path, out: str
) -> None:
    (small / ".sitegen-cache").mkdir()
    (small / "static").mkdir()  # empty: a build into it would publish the site's own output
    before = _everything(tmp_path)
    result = sitegen_here("build", "--out", out, cwd=small)
    assert result.returncode == 2
    assert "refusing to build into" in _one_error(result.stderr)
    assert _everything(tmp_path) == before, "nothing is touched, not even a lock beside it"
    assert not list(tmp_path.parent.glob(f".{tmp_path.name}.*")), "nor beside the parent"


def test_build_never_replaces_a_git_working_tree(small: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    (clone / ".git").mkdir(parents=True)
    (clone / "notes.md").write_text("mine")
    before = _everything(tmp_path)
    result = sitegen_here("--root", str(small), "build", "--out", str(clone))
    assert result.returncode == 2
    assert "git working tree" in _one_error(result.stderr)
    assert _everything(tmp_path) == before


@pytest.mark.parametrize("public", ["file", "clone of the pages branch"])
def test_a_public_in_the_way_of_a_build_given_no_out_is_not_told_to_leave_out_out(
    small: Path, public: str
) -> None:
    """A Hugo user's trial: public/ a clone of the pages branch (as Hugo's guides once made
    it), or a file, was refused with the hint to leave out --out, which they had."""
    if public == "file":
        (small / "public").write_text("mine")
    else:
        (small / "public" / ".git").mkdir(parents=True)
    before = _everything(small)
    for command in (["build"], ["serve", "--port", "0"]):
        result = sitegen_here(*command, cwd=small)
        assert result.returncode == 2
        _one_error(result.stderr)
        assert result.stderr.endswith(
            "  hint: move public/ away, or build elsewhere with sitegen build --out DIR\n"
        ), result.stderr
        assert _everything(small) == before


def test_build_never_puts_a_site_inside_a_site_it_built(tiny_built: Path) -> None:
    before = _everything(tiny_built / "public")
    for out in ("public/inner", "public/papers/inner"):
        result = sitegen_here("build", "--out", out, cwd=tiny_built)
        assert result.returncode == 2
        assert "refusing to build into a site sitegen built (public/)" in _one_error(result.stderr)
    assert _everything(tiny_built / "public") == before


def test_build_never_replaces_files_a_user_made(small: Path, tmp_path: Path) -> None:
    thesis = tmp_path / "d" / "thesis.tex"
    thesis.parent.mkdir()
    thesis.write_text("\\documentclass{article}")
    somefile = tmp_path / "somefile"
    somefile.write_text("keep me")
    before = _everything(tmp_path)
    for out, why in ((thesis.parent, "it holds 'thesis.tex'"), (somefile, "build into a file")):
        result = sitegen_here("--root", str(small), "build", "--out", str(out))
        assert result.returncode == 2
        assert why in _one_error(result.stderr)
    assert _everything(tmp_path) == before, "no lock file, no staging, no .old directory"


def test_build_replaces_a_new_or_empty_directory_or_one_it_built(
    site: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    for out in (tmp_path / "new" / "site", empty, empty):  # the last: one it built
        assert main(["--root", str(site), "build", "--out", str(out)]) == 0
        assert (out / "index.html").is_file()
    assert main(["--root", str(site), "build", "--clean", "--out", str(empty)]) == 0
    (tmp_path / ".empty.outputs").write_bytes(b"damaged")  # still the record of a site it built
    assert main(["--root", str(site), "build", "--out", str(empty)]) == 0


# A user's own files in a site sitegen built: a GitHub Pages custom domain, a .nojekyll, a
# verification file, one beside the site's pages.
USERS_FILES = {
    "CNAME": b"papers.example.org\n",
    ".nojekyll": b"",
    ".well-known/security.txt": b"Contact: mailto:me@example.org\n",
    "days/notes.txt": b"mine, in a directory of the site",
}


def _put_users_files(public: Path) -> dict[str, int]:
    """USERS_FILES written into `public`; their mtimes in ns."""
    for name, data in USERS_FILES.items():
        (public / name).parent.mkdir(parents=True, exist_ok=True)
        (public / name).write_bytes(data)
        os.utime(public / name, ns=(1_000_000_000, 1_000_000_000))
    return {name: (public / name).stat().st_mtime_ns for name in USERS_FILES}


def _without_users_files(public: Path) -> dict[str, bytes]:
    site = tree_bytes(public)
    for name in USERS_FILES:
        assert site.pop(name) == USERS_FILES[name], f"{name} was changed"
    return site


@pytest.mark.parametrize("out", ["public", "elsewhere"])
def test_every_build_keeps_the_files_a_user_put_in_the_site_and_says_so(
    tiny_built: Path, tiny_build: Path, tmp_path: Path, out: str
) -> None:
    public = tiny_built / "public" if out == "public" else tmp_path / "elsewhere"
    flags = [] if out == "public" else ["--out", str(public)]
    if out == "elsewhere":
        assert main(["--root", str(tiny_built), "build", *flags]) == 0
    mtimes = _put_users_files(public)
    top_level = ".nojekyll, .well-known/security.txt, CNAME"
    for build, says in (
        ([], f"kept 3 files sitegen did not make: {top_level}\n"),
        (["--clean"], f"kept 4 files sitegen did not make: {top_level}, days/notes.txt\n"),
        ([], f"kept 3 files sitegen did not make: {top_level}\n"),
    ):
        result = sitegen_here("--root", str(tiny_built), "build", *build, *flags)
        assert result.returncode == 0, result.stderr
        assert f"\n  {says}" in result.stdout
        # untouched (the same bytes and times), and the rest is the site a cold build makes
        assert {name: (public / name).stat().st_mtime_ns for name in USERS_FILES} == mtimes
        assert _without_users_files(public) == tree_bytes(tiny_build / "public")


@pytest.mark.parametrize("clean", [False, True])
@pytest.mark.parametrize("where", ["index.html", ""])  # the page itself, or its directory
def test_a_build_never_overwrites_a_users_file_where_the_site_now_has_a_page(
    small_without_a_day: tuple[Path, Path, bytes], clean: bool, where: str
) -> None:
    tiny_built, day_file, held = small_without_a_day  # the day's page is gone
    public = tiny_built / "public"
    users = public / "days" / day_file.stem / where
    users.parent.mkdir(parents=True, exist_ok=True)
    users.write_bytes(b"my own notes")
    day_file.write_bytes(held)  # the day is back: its page would go where the user's file is
    record = tiny_built / ".public.outputs"
    before = _everything(public), record.read_bytes()
    result = sitegen_here("--root", str(tiny_built), "build", *(["--clean"] if clean else []))
    assert result.returncode == 2
    assert _one_error(result.stderr) == (
        f"sitegen: error: {users}: sitegen did not make this file, and the site now has a"
        " page, a feed or a file of static/ here"
    )
    assert "move or rename it, then build again" in result.stderr
    assert (_everything(public), record.read_bytes()) == before, "the user's file as it was"


def test_a_build_killed_at_any_step_keeps_the_users_files_and_the_next_one_ends_the_job(
    small_without_a_day: tuple[Path, Path, bytes],
    tiny_build: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Killed before the swap of a full build, after it, or after an update's commit point
    (its record is moved in with its files): the user's files are whole, and the next build
    neither loses them nor takes the files of the killed build for a user's (and refuses to
    overwrite them)."""
    tiny_built, day_file, held = small_without_a_day
    public = tiny_built / "public"
    _put_users_files(public)
    day_file.write_bytes(held)  # new pages for the killed builds
    real_write_record = __import__("sitegen.build_record").build_record.write_record
    for kill, build in (
        ("sitegen.publish._swap", ["--clean"]),
        ("sitegen.transaction.commit", []),
        ("the record after the swap", ["--clean"]),
        ("sitegen.transaction._complete", []),
    ):
        records = []

        def write_record(public: Path, files: object, records: list[object] = records) -> None:
            records.append(files)
            if len(records) == 2:  # the one after the swap
                raise _Killed
            real_write_record(public, files)

        def killed(*args: object, **kwargs: object) -> None:
            raise _Killed

        if kill.startswith("the record"):
            monkeypatch.setattr("sitegen.build_record.write_record", write_record)
        else:
            monkeypatch.setattr(kill, killed)
        with pytest.raises(_Killed):
            main(["--root", str(tiny_built), "build", *build])
        monkeypatch.undo()
        _without_users_files(public)
        assert main(["--root", str(tiny_built), "build"]) == 0, kill
        assert _without_users_files(public) == tree_bytes(tiny_build / "public"), kill
        day_file.unlink()
        assert main(["--root", str(tiny_built), "build"]) == 0
        day_file.write_bytes(held)


# ---- 2. only \n, \r\n and \r end a line of a text listing ---------------------------------------

SEPARATORS = ["\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", "\x85", "\u2028", "\u2029"]


def _listing(
    abstract: str, *, title: str = "Sparse Mixtures of Tiny Experts", shown: str = "Nov 23"
) -> bytes:
    lines = [
        "Daily Papers", shown,
        title, abstract, "\u00b7", "Nov 20, 2026 7",
        "Reward Models Without Rewards", "Reinforcement learning from no feedback.",
        "\u00b7", "Nov 21, 2026 3",
    ]  # fmt: skip
    return "\n".join(lines).encode()


@pytest.mark.parametrize("separator", SEPARATORS, ids=ascii)
def test_a_separator_inside_an_abstract_is_a_space_never_a_new_paper(separator: str) -> None:
    raw = _listing(f"a{separator}b holds and c{separator}d")
    entries = parse_listing(raw, origin="2026-11-23.txt").entries
    assert [e.title for e in entries] == [
        "Sparse Mixtures of Tiny Experts",
        "Reward Models Without Rewards",
    ]
    assert entries[0].abstract == "a b holds and c d"


@pytest.mark.parametrize("separator", SEPARATORS, ids=ascii)
def test_a_separator_never_makes_a_metadata_line(separator: str) -> None:
    raw = _listing(
        f"Our method{separator}\u00b7{separator}is fast",
        title=f"Tiny{separator}Experts",
    )
    first, second = parse_listing(raw, origin="2026-11-23.txt").entries
    assert (first.title, first.abstract) == ("Tiny Experts", "Our method \u00b7 is fast")
    assert second.upvotes == 3


def test_line_numbers_count_only_real_line_ends() -> None:
    raw = _listing("a\u2028b").replace(b"Nov 21, 2026 3", b"Nov 21, 2026 x")
    with pytest.raises(ListingError, match=r"^2026-11-23\.txt:10: "):
        parse_listing(raw, origin="2026-11-23.txt")


def test_text_that_xml_cannot_carry_never_reaches_a_page_or_feed(
    site: Path, tmp_path: Path
) -> None:
    entries = json.loads(API_ANSWER)
    # "\u202e" shows the rest reversed: a spoof in pages and feed readers (found by a review)
    # Noncharacters: the Nu checker refused every page showing one (a reader's review).
    hostile = (
        "Lone \ud800 surrogate\x01 and\x0bseparated\u2028words \ufffe<b>&amp;\u202e"
        "\ufdd0\U0001fffe\U0005ffff\U0010fffe"
    )
    entries[0]["paper"]["title"] = entries[0]["title"] = hostile
    # References would bring such characters back (found by a review: "&#12;" stopped every
    # build from then on), in the text and in a link's title.
    entries[0]["paper"]["summary"] = entries[0]["summary"] = (
        f"{hostile}\n\nSecond\x1fparagraph, &#12; &#xFFFE; &#xFDEF; and"
        " [a link](https://a.example '&#12;&#8238;')"
    )
    listing = tmp_path / "2025-10-31.json"
    listing.write_bytes(json.dumps(entries).encode())  # ensure_ascii: "\ud800" as an escape
    assert main(["--root", str(site), "ingest", str(listing)]) == 0
    assert main(["--root", str(site), "build"]) == 0
    title = "Lone surrogate and separated words <b>&amp;"
    assert title in {p.title for p in load_content(site).papers.values()}
    public = site / "public"
    for feed in [*public.rglob("*.xml"), public / "feeds.opml"]:
        ET.fromstring(feed.read_bytes())  # strict XML: raises on any character it cannot carry
    atom = feedparser.parse((public / "atom.xml").read_bytes())
    assert not atom.bozo and title in [entry.title for entry in atom.entries]
    json.loads((public / "feed.json").read_bytes())
    noncharacter = re.compile("[\ufdd0-\ufdef\ufffe\uffff\U0001fffe\U0005ffff\U0010fffe]")
    for path in public.rglob("*"):
        if path.suffix in (".html", ".xml", ".json", ".opml"):
            text = path.read_text()
            assert "\u202e" not in text and not noncharacter.search(text), path


# ---- 3. no worker outlives its build; a killed build's debris goes --------------------------


@pytest.fixture
def killed_group() -> Iterator[list[int]]:
    """Process groups a test started; whatever of them is left is killed at the end."""
    groups: list[int] = []
    yield groups
    for group in groups:
        if processes_of_group(group):
            os.killpg(group, signal.SIGKILL)


def _wait_for_workers(build: subprocess.Popen[bytes], count: int) -> None:
    deadline = time.monotonic() + 60
    while _workers(build.pid) < count:
        assert build.poll() is None, "the build ended before its workers were seen"
        assert time.monotonic() < deadline, "no workers within 60 s"
        time.sleep(0.005)


def _workers(build: int) -> int:
    """A spawned worker runs spawn_main; one forked from a fork server the server's command;
    one forked from the build (a full build's, sitegen.workers.Workers.start_early) the build's."""
    group = processes_of_group(build)
    own = group.get(build)
    return sum(
        pid != build
        and ("spawn_main" in command or "multiprocessing.forkserver" in command or command == own)
        for pid, command in group.items()
    )


def test_workers_exit_when_their_build_is_killed(
    site: Path, small_build: Path, killed_group: list[int]
) -> None:
    # The small site, not the tiny one: its pages keep the workers rendering long enough to
    # be seen at it (and not the bundled one: four times the pages prove nothing more).
    shutil.copytree(small_build / "content", site / "content")
    build = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "--root", str(site), "build", "--jobs", "2"],
        start_new_session=True,  # its own process group: the build, its workers, their helper
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    killed_group.append(build.pid)
    _wait_for_workers(build, 2)
    # Killed while its workers render: a worker still starting up (seconds, on a loaded machine)
    # cannot watch its parent yet, and the 3 s below would measure the machine's load.
    deadline = time.monotonic() + 120
    while not any(site.glob(".public.staging-*/papers/*/index.html")):
        assert build.poll() is None, "the build ended before its workers rendered a page"
        assert time.monotonic() < deadline, "no page rendered within 120 s"
        time.sleep(0.01)
    build.kill()
    build.wait()
    assert_group_ends(build.pid, within=3)
    assert main(["--root", str(site), "build"]) == 0
    assert not [p.name for p in site.iterdir() if ".staging-" in p.name or ".old-" in p.name]
    # the bytes of a cold build of the same site (small_build, made with no cache)
    assert tree_bytes(site / "public") == tree_bytes(small_build / "public")


def test_the_next_build_clears_what_a_killed_build_left(tiny_built: Path) -> None:
    staging = tiny_built / ".public.staging-4242"
    (staging / "papers").mkdir(parents=True)
    (staging / "papers" / "index.html").write_text("half a site")
    (tiny_built / ".public.staging-4242.job.pickle").write_bytes(b"a job for the workers")
    assert main(["--root", str(tiny_built), "build"]) == 0  # incremental: nothing to render
    assert sorted(p.name for p in tiny_built.iterdir() if p.name.startswith(".public")) == [
        ".public.lock",
        ".public.outputs",
    ]


def test_the_next_build_clears_what_a_killed_build_left_beside_an_output_named_with_brackets(
    tiny_built: Path,
) -> None:
    """An output named `site[1]` (or with `*`, `?`): its name was read as a glob pattern, so the
    next builds never cleared what a killed one left, a whole site's copy each time."""
    out = tiny_built / "site[1]"
    assert main(["--root", str(tiny_built), "build", "--out", str(out)]) == 0
    # The killed build's process id: one that ended (4242 was a live process's under a busy
    # suite, and a search index being made by a live process is rightly kept).
    killed = subprocess.Popen(["true"])
    killed.wait()
    for kind in ("staging", "search", "old"):
        (tiny_built / f".site[1].{kind}-{killed.pid}" / "papers").mkdir(parents=True)
    assert main(["--root", str(tiny_built), "build", "--out", str(out)]) == 0
    assert sorted(p.name for p in tiny_built.iterdir() if p.name.startswith(".site[1]")) == [
        ".site[1].lock",
        ".site[1].outputs",
    ]


def test_a_clean_build_first_completes_an_update_killed_past_its_commit_point(
    tiny_built: Path, tiny_build: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = tiny_built / "templates" / "_card.html"
    template.write_text(template.read_text().replace('class="card', 'class="card edited', 1))

    def killed_after_the_commit(root: Path, journal: Path) -> None:
        raise _Killed

    monkeypatch.setattr("sitegen.transaction._complete", killed_after_the_commit)
    with pytest.raises(_Killed):
        main(["--root", str(tiny_built), "build"])
    monkeypatch.undo()
    assert (tiny_built / ".public.journal" / "manifest.json").is_file()
    template.write_text(template.read_text().replace("card edited", "card", 1))
    assert main(["--root", str(tiny_built), "build", "--clean"]) == 0
    assert not (tiny_built / ".public.journal").exists()
    assert main(["--root", str(tiny_built), "build"]) == 0
    # the bytes of a cold build of the same site (tiny_build, made with no cache)
    assert tree_bytes(tiny_built / "public") == tree_bytes(tiny_build / "public")


class _Killed(BaseException):
    """The build dies here, as under kill -9 (nothing after it runs)."""


# ---- 4. every error a user can cause is one line ------------------------------------------------


NOWHERE = ["--base-url", "http://127.0.0.1:9"]  # nothing listens: never the real source


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["build", "--jobs", "0"], "argument --jobs: '0' is not a whole number of 1 or more"),
        (["build", "--jobs", "-3"], "argument --jobs: '-3' is not a whole number of 1 or more"),
        (["build", "--base-url", "example.org"], "argument --base-url: 'example.org' is not"),
        # found by the flag driver: a byte of no UTF-8 from the shell, a traceback from lxml
        (["build", "--base-url", os.fsdecode(b"https://x.org/caf\xe9/")], "--base-url: 'https://x"),
        (["fetch", *NOWHERE, "--attempts", "0"], "argument --attempts: '0' is not a whole"),
        (["fetch", *NOWHERE, "--timeout", "nan"], "argument --timeout: 'nan' is not a number"),
        (["fetch", *NOWHERE, "--timeout", "-1"], "argument --timeout: '-1' is not a number"),
        (["serve", "--port", "70000"], "argument --port: '70000' is not a port number"),
        (["serve", "--port", "-1"], "argument --port: '-1' is not a port number"),
        # found by a trial: every interface, announced as "http://:8000/"
        (["serve", "--bind", ""], "argument --bind: an empty address listens on every"),
        # found by the flag driver: a TypeError traceback from the socket, after a build
        (["serve", "--bind", "\u202e"], "argument --bind: '\\u202e' is not an IP address or a"),
        (["serve", "--bind", os.fsdecode(b"\xff")], "--bind: '\\xff' is not an IP address or"),
        # the shell leaves "~" after "=" as it is: no directory named "~" is made in the site
        (["build", "--out=~/site"], "argument --out: '~/site' starts with a '~' the shell did"),
        # read before the build: a wrong path publishes nothing
        (["build", "--topics-before", "nope.toml"], "--topics-before nope.toml: No such file"),
        # found by a maintainer: each was built as a directory of that name
        (["build", "--out", "site.tar.gz"], "site.tar.gz: sitegen writes the site as a directory"),
        (["build", "--out", "site.TAR"], "one uncompressed NAME.tar archive"),
        (["build", "--out", "site.tar.xz"], "one uncompressed NAME.tar archive"),
        (["build", "--out", "site.zip"], "one uncompressed NAME.tar archive"),  # a user's trial
        (["build", "--out", "site.toml/sub"], "site.toml is a file, so no directory can be"),
        # found by a trial: said as "refusing to build into the site directory"
        (["build", "--out", ""], "argument --out: an empty path (an unset variable?)"),
        (
            ["build", "--root", ""],
            "argument --root: an empty path (an unset variable?): give one, or '.'",
        ),
        (["build", "--topics-before", ""], "argument --topics-before: an empty path"),
        (["ingest", ""], "argument LISTING: an empty path"),  # said "." (the current directory)
        # found by the flag driver: a site built into a folder named " ", hidden in `ls`
        (["build", "--out", " "], "argument --out: ' ' is only white space (an unset variable?)"),
        (["build", "--out", "\t"], "argument --out: '\\t' is only white space"),
        (["--root", " ", "build"], "argument --root: ' ' is only white space"),
        (["ingest", "\n"], "argument LISTING: '\\n' is only white space"),
        # found by a trial: said with sitegen's usage, not build's, whose flags it lacks
        (["build", "--jbos", "2"], "sitegen build: error: unrecognized arguments: --jbos 2"),
        # a user's trial: argparse's line alone, as git or pip would not
        (["build", "--cleen"], "unrecognized arguments: --cleen (did you mean --clean?)"),
        (["fetch", "--sourse=x"], "unrecognized arguments: --sourse=x (did you mean --source?)"),
        # a new user's trial: a flag with one dash, as Go's tools spell them, was offered none
        (["build", "-clean"], "unrecognized arguments: -clean (did you mean --clean?)"),
        (["serve", "-port", "8001"], "unrecognized arguments: -port 8001 (did you mean --port?)"),
        (["build", "-port", "8001"], "-port 8001 (--port is an option of sitegen serve)"),
        (["build", "--version"], "--version (the version is sitegen's: sitegen --version, before"),
        # a Hugo user's trial: its own flags were refused with nothing to do instead
        (["build", "-b", "https://x.example/"], "-b https://x.example/ (did you mean --base-url?)"),
        (["build", "--baseURL=https://x.example/"], "(did you mean --base-url?)"),
        (["build", "-d", "out"], "unrecognized arguments: -d out (did you mean --out?)"),
        (["build", "--site-dir", "out"], "--site-dir out (did you mean --out?)"),  # MkDocs'
        (["build", "-j2"], "unrecognized arguments: -j2 (did you mean --jobs?)"),
        (["serve", "-p", "1313"], "unrecognized arguments: -p 1313 (did you mean --port?)"),
        (["build", "-p", "1313"], "-p 1313 (sitegen's is --port, an option of sitegen serve)"),
        (["-s", ".", "build"], "sitegen: error: unrecognized arguments: -s (did you mean --root?)"),
        # a review: --out was offered, which builds into a folder "8000"
        (["build", "--port", "8000"], "--port 8000 (--port is an option of sitegen serve)"),
        (["build", "--date=x"], "(--date is an option of sitegen ingest and sitegen fetch)"),
        (["--jobs=2", "build"], "sitegen: error: unrecognized arguments: --jobs=2"),
        # found by a user's trial: said that COMMAND was missing, or that "x" is no command
        (["--bogus"], "sitegen: error: unrecognized arguments: --bogus (before the command,"),
        (["--out", "x", "build"], "--out (before the command, sitegen takes --root and --version;"),
        # valid short forms still pass it: a build with an unknown flag after its command
        (["--ro", ".", "build", "--x"], "sitegen build: error: unrecognized arguments: --x"),
        (["--root=.", "build", "--x"], "sitegen build: error: unrecognized arguments: --x"),
        (["--ro=.", "build", "--x"], "sitegen build: error: unrecognized arguments: --x"),
        # a new user's trial: a misspelt flag was offered its spelling, a command was not
        (["fetc"], "invalid choice: 'fetc' (did you mean fetch? choose from 'ingest', 'build'"),
        (["--root", ".", "biuld"], "invalid choice: 'biuld' (did you mean build?"),
        (["publish"], "invalid choice: 'publish' (choose from 'ingest', 'build', 'fetch'"),
        # a new user's trial: argparse read `-help` as -h given "elp"
        (["build", "-help"], "ignored explicit argument 'elp' (did you mean --help?)"),
        # a review: before the command, the same spelling was told where options go
        (["-help"], "sitegen: error: unrecognized arguments: -help (did you mean --help?)"),
        (["-root", ".", "build"], "unrecognized arguments: -root (did you mean --root?)"),
        (["-version"], "unrecognized arguments: -version (did you mean --version?)"),
        (["-vers"], "unrecognized arguments: -vers (did you mean --version?)"),
        (["-clean", "build"], "unrecognized arguments: -clean (before the command, sitegen"),
        # a new user's trial: `sitegen` alone named no command
        (["--root", "."], "required: COMMAND (choose from 'ingest', 'build', 'fetch', 'serve')"),
    ],
)
def test_a_bad_flag_is_refused_where_it_is_parsed(small: Path, args: list[str], says: str) -> None:
    # From the site: a sitegen that took such a flag would write there, not in the checkout.
    result = sitegen_here("--root", str(small), *args, cwd=small)
    assert result.returncode == 2
    assert says in _one_error(result.stderr)
    if "usage:" in result.stderr:  # argparse's: the usage of the parser that reads the flag
        command = f"{args[0]} " if args[0] in ("ingest", "build", "fetch", "serve") else ""
        assert result.stderr.startswith(f"usage: sitegen {command}")
    assert not (small / "public").exists()


@pytest.mark.parametrize("first", ["--version", "--vers", "-h"])
def test_version_and_help_before_a_misspelt_command_still_answer(small: Path, first: str) -> None:
    """A review of the command's "did you mean": `sitegen --version fetc` printed the version
    before it, as argparse does, and then said the command was misspelt."""
    result = sitegen_here(first, "fetc", cwd=small)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: sitegen" if first == "-h" else "sitegen ")


@pytest.mark.parametrize(
    ("args", "suggested"),
    [
        (["build", "--port", "8000"], "--out"),  # serve's flag: `--out 8000` builds into 8000/
        (["serve", "--out", "x"], "--root"),  # build's flag: `--root x` takes x for the site
        (["fetch", "--out", "x"], "--root"),
    ],
)
def test_a_flag_of_another_command_is_not_said_to_be_a_misspelling(
    small: Path, args: list[str], suggested: str
) -> None:
    """`_did_you_mean` takes difflib's closest long flag of the command (cutoff 0.6, which any
    two short flags sharing "--" and a letter or two pass): a flag sitegen has, given to the
    wrong command, was said to be a misspelling of an unrelated one, whose advice does harm
    (review h4)."""
    result = sitegen_here("--root", str(small), *args, cwd=small)
    assert result.returncode == 2
    assert f"did you mean {suggested}?" not in result.stderr, _one_error(result.stderr)


def test_serve_on_a_busy_port_is_one_line_before_any_build(small: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _sitegen("--root", str(small), "serve", "--port", str(port), timeout=60)
    assert result.returncode == 2
    assert f"cannot serve on 127.0.0.1:{port}: Address already in use" in _one_error(result.stderr)
    assert "hint: pick another --port (0 picks a free one)" in result.stderr
    assert "--bind" not in result.stderr, "the flag at fault only"
    assert result.stdout == "" and not (small / "public").exists(), "the port is checked first"


@pytest.mark.parametrize("everywhere", ["0.0.0.0", "0", "0.0"])
def test_serve_on_every_interface_says_so_however_the_address_is_written(
    small: Path, everywhere: str
) -> None:
    """Found by the flag driver: `--bind 0`, which the socket takes for 0.0.0.0 as C's
    inet_aton does, served on every interface without the note 0.0.0.0 gets. The port is
    taken: the note comes first, then the run stops before serving anything."""
    with socket.socket() as busy:
        busy.bind(("0.0.0.0", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        result = sitegen_here("--root", str(small), "serve", "--bind", everywhere, "--port", port)
    assert result.returncode == 2
    note = f"sitegen: note: --bind {everywhere} serves the preview on every network interface"
    assert result.stderr.startswith(note), result.stderr


def test_serve_on_an_address_this_machine_lacks_names_bind_not_port(small: Path) -> None:
    # TEST-NET-1, no address of a machine (a process: were it bound, serve would not return).
    result = _sitegen("--root", str(small), "serve", "--bind", "192.0.2.1", timeout=60)
    assert result.returncode == 2
    assert "cannot serve on 192.0.2.1:8000: " in _one_error(result.stderr)
    assert "hint: check --bind: an address of this machine" in result.stderr
    assert "--port" not in result.stderr and not (small / "public").exists()


def test_an_output_where_no_lock_can_be_made_is_one_line(site: Path) -> None:
    result = sitegen_here("--root", str(site), "build", "--out", "/proc/x")
    assert result.returncode == 2
    assert "cannot create the lock file /proc/.x.lock" in _one_error(result.stderr)


# ---- 5. a hostile answer cannot crash fetch or fill the memory ----------------------------------


def _day_answer(day: str) -> bytes:
    return API_ANSWER.replace(b"2025-10-31", day.encode())


def _gzip_bomb(size: int) -> bytes:
    """`[`, `size` spaces, `]`, gzipped: a few hundred KB that inflate to `size` bytes."""
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    spaces = b" " * 2**20
    parts = [packer.compress(b"[")]
    parts += [packer.compress(spaces) for _ in range(size // len(spaces))]
    return b"".join([*parts, packer.compress(b"]"), packer.flush()])


GZIP, TWICE = (("Content-Encoding", "gzip"),), (("Content-Encoding", "gzip, gzip"),)
# Made when a test asks: tens of MB each.
HOSTILE_ANSWERS: dict[str, tuple[Callable[[], Reply], str]] = {
    "deeply nested": (lambda: Reply(200, b"[" * 200_000 + b"]" * 200_000), "nested too deeply"),
    "40 MB": (lambda: Reply(200, b"[" + b" " * (40 * 2**20) + b"]"), "larger than 16 MB"),
    "gzip bomb": (lambda: Reply(200, _gzip_bomb(64 * 2**20), GZIP), "larger than 16 MB"),
    "gzip, gzip": (
        lambda: Reply(200, gzip.compress(gzip.compress(b"[]")), TWICE),
        "encoded as 'gzip, gzip', which sitegen did not ask for",
    ),
    # Its Content-Length true: the gzip stream was cut before the server sent it. It was
    # said to be invalid JSON, or a page without papers (changed markup): a maintainer's trial.
    "gzip cut short": (
        lambda: Reply(200, gzip.compress(_day_answer("2025-11-02"))[:-500], GZIP),
        "the answer's gzip encoding is cut short",
    ),
    # A whole gzip stream, then bytes without end: they were held past the cap (zlib keeps
    # what follows a stream's end, unread), the day taken as the stream alone.
    "bytes after the gzip stream": (
        lambda: Reply(200, gzip.compress(_day_answer("2025-11-02")) + bytes(64 * 2**20), GZIP),
        "the answer's gzip encoding is broken",
    ),
}


@pytest.mark.parametrize("answer", HOSTILE_ANSWERS)
def test_a_hostile_answer_fails_its_day_only_and_is_never_read_whole(
    hf: tuple[FaultyHF, str],
    small: Path,
    capsys: pytest.CaptureFixture[str],
    answer: str,
) -> None:
    source, url = hf
    make_reply, says = HOSTILE_ANSWERS[answer]
    reply = make_reply()
    source.set("2025-11-01", [Reply(200, _day_answer("2025-11-01"))])
    source.set("2025-11-02", [reply], [reply])
    source.set("2025-11-03", [Reply(200, _day_answer("2025-11-03"))])
    tracemalloc.start()
    try:
        status = main(
            [
                "--root", str(small), "fetch", "--base-url", url, "--attempts", "1",
                "--since", "2025-11-01", "--until", "2025-11-03",
            ]
        )  # fmt: skip
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    out, err = capsys.readouterr()
    assert status == 3, "one day failed, the others were written"
    assert "2025-11-02: FAILED:" in err and says in err
    assert "fetched 2 of 3 days" in out
    days = load_content(small).days
    assert {"2025-11-01", "2025-11-03"} <= {d.isoformat() for d in days}
    assert "2025-11-02" not in {d.isoformat() for d in days}
    # The cap (16 MB) held once at most, not twice: the pieces of an answer past it stayed in
    # the error's frames while the day's page was read next (40 MB, flaky against 40 MB alone).
    assert peak < 24 * 2**20, f"{peak / 2**20:.0f} MB held at once"


# ---- 6. there is always a public/ ---------------------------------------------------------------


def test_there_is_a_site_at_every_step_of_a_full_build(
    tiny_built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    public = tiny_built / "public"
    replaced = public.stat().st_ino
    real_rename = Path.rename
    site_after_each_rename = []

    def rename(self: Path, target: str | Path) -> Path:
        moved = real_rename(self, target)
        site_after_each_rename.append((public / "index.html").is_file())
        return moved

    monkeypatch.setattr(Path, "rename", rename)
    assert main(["--root", str(tiny_built), "build", "--clean"]) == 0
    assert all(site_after_each_rename), "a server reading public/ would have answered 404"
    assert public.stat().st_ino != replaced, "the new site was swapped in"


def test_without_an_atomic_exchange_the_next_build_restores_the_site_first(
    tiny_built: Path, monkeypatch: pytest.MonkeyPatch, tiny_build: Path
) -> None:
    monkeypatch.setattr("sitegen.publish._exchange", lambda a, b: False)  # macOS, old kernels
    real_rename = Path.rename

    def rename(self: Path, target: str | Path) -> Path:
        if self.name.startswith(".public.staging-"):  # the second of the two renames
            raise _Killed
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(_Killed):
        main(["--root", str(tiny_built), "build", "--clean"])
    monkeypatch.undo()
    assert not (tiny_built / "public").exists(), "the window this fallback leaves open"
    assert main(["--root", str(tiny_built), "build"]) == 0
    # the bytes of a cold build of the same site (tiny_build, made with no cache)
    assert tree_bytes(tiny_built / "public") == tree_bytes(tiny_build / "public")
    assert not [p.name for p in tiny_built.iterdir() if ".old-" in p.name]


# ---- hostile listings: ingested intact or refused in one line, nothing made elsewhere ----------

# The store's lock (.sitegen-lock, issue #19) is sitegen's own, like the output's.
SITE_FILES = {
    "site.toml", "templates", "content", ".sitegen-cache", ".sitegen-lock", "public",
    ".public.lock", ".public.outputs",
}  # fmt: skip


def test_hostile_listings_are_ingested_intact_or_refused_in_one_line(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    markup = "<script>alert(1)</script> ]]> &amp; {{ 7*7 }} {% raw %} <!-- x"
    long = "word " * 19_000  # 95,000 characters on one line: as long as an abstract may be
    huge = "word " * 1_000_000  # 5 MB: a hostile-input trial's was copied into every feed
    ingested = {
        "2026-11-23.txt": _listing("An abstract with <b>markup</b> &lt;", title=markup),
        "2026-11-24.txt": _listing(
            "no\x01 con\x7ftrol\x9f characters", title="Controls", shown="Nov 24"
        ),
        "2026-11-25.txt": _listing("a\u2028b\x0bc\x85d", title="Separators", shown="Nov 25"),
        "2026-11-26.txt": _listing(long, title="A " * 990 + "long title", shown="Nov 26"),
    }
    refused = {
        "binary.txt": (b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)), "binary file"),
        "latin-1.txt": (_listing("caf\u00e9").decode().encode("latin-1"), "not UTF-8"),
        "empty.txt": (b"\n \n", "the file is empty"),
        "2026-11-27.txt": (
            _listing(huge, shown="Nov 27"),
            ":3: a paper's abstract of 4,999,999 characters: no real one is longer than 100,000",
        ),
        "2026-11-28.txt": (
            _listing("x", title="A " * 1000 + "long title", shown="Nov 28"),
            "a paper's title of 2,010 characters: no real one is longer than 2,000",
        ),
    }
    for name, raw in ingested.items():
        (inputs / name).write_bytes(raw)
    for name, (raw, _) in refused.items():
        (inputs / name).write_bytes(raw)
    # Named with its day: without one, its papers' dates (this year's, with their year) would
    # make it Nov 23 of next year, which ingest refuses (it filed it so before).
    (inputs / "2026-11-23-link.txt").symlink_to(inputs / "2026-11-23.txt")
    (inputs / "dangling.txt").symlink_to(inputs / "nowhere.txt")
    os.mkfifo(inputs / "fifo.txt")
    (inputs / "folder.txt").mkdir()

    for name in [*ingested, "2026-11-23-link.txt"]:
        assert main(["--root", str(site), "ingest", str(inputs / name)]) == 0, name
    capsys.readouterr()
    for name, (_, says) in refused.items():
        assert main(["--root", str(site), "ingest", str(inputs / name)]) == 2
        assert says in _one_error(capsys.readouterr().err)
    # A folder stands for the listings in it (`sitegen ingest DIR`): this one holds none.
    for name, says in (
        ("dangling.txt", "cannot read"),
        ("folder.txt", "a folder without listings"),
    ):
        assert main(["--root", str(site), "ingest", str(inputs / name)]) == 2
        assert says in _one_error(capsys.readouterr().err)
    fifo = _sitegen("--root", str(site), "ingest", str(inputs / "fifo.txt"), timeout=30)
    assert fifo.returncode == 2 and "not a regular file" in _one_error(fifo.stderr)

    abstracts = {p.title: p.abstract for p in load_content(site).papers.values()}
    assert abstracts[markup] == "An abstract with <b>markup</b> &lt;"
    assert abstracts["Controls"] == "no control characters"
    assert abstracts["Separators"] == "a b c d"
    assert abstracts["A " * 990 + "long title"] == long.strip()
    assert main(["--root", str(site), "build"]) == 0
    for feed in site.joinpath("public").rglob("*.xml"):
        ET.fromstring(feed.read_bytes())
    page = next(site.joinpath("public", "papers").glob("script-alert-1-script*/index.html"))
    assert "<script>alert" not in page.read_text()
    made = {path.name for path in site.iterdir()}
    assert made <= SITE_FILES, "nothing made outside content/, the cache and public/"
    assert {path.name for path in tmp_path.iterdir()} == {"site", "inputs"}


def test_an_abstract_holding_gits_conflict_markers_is_filed_so_that_it_builds(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A review: a listing whose abstract had <<<<<<< and >>>>>>> lines was filed as a paper
    file every later run refused as a merge left unresolved, the scheduled one too."""
    # A line break and an indent: a paragraph of its own, as arXiv's abstracts mark them.
    summary = "A diff:\n  <<<<<<< A\n  ours\n  =======\n  theirs\n  >>>>>>> B\n  It works."
    answer = [
        {
            "title": "Diffing Model Weights",
            "paper": {
                "id": "2612.00042", "title": "Diffing Model Weights", "summary": summary,
                "authors": [{"name": "Ada Lovelace"}], "upvotes": 4,
                "submittedOnDailyAt": "2026-12-03T00:00:00.000Z",
            },
        }
    ]  # fmt: skip
    listing = tmp_path / "2026-12-03.json"
    listing.write_text(json.dumps(answer))
    assert main(["--root", str(site), "ingest", str(listing)]) == 0
    assert main(["--root", str(site), "build"]) == 0
    page = (site / "public" / "papers" / "2612.00042" / "index.html").read_text()
    assert "<p>&lt;&lt;&lt;&lt;&lt;&lt;&lt; A</p>" in page and "<p>theirs</p>" in page
    capsys.readouterr()
    assert main(["--root", str(site), "ingest", str(listing)]) == 0  # nothing to write again
    assert "0 files written" in capsys.readouterr().out


# ---- files sitegen did not write are never written through ----------------------------------


@pytest.mark.parametrize(
    "manifest",
    [
        b'{"move": [["../made.txt", "x"]], "delete": []}',
        b'{"move": [], "delete": ["../victim.txt"]}',
        b'{"move": [["content/a.md", "../../victim.txt"]], "delete": []}',
        b'{"move": [], "delete": ["/etc/hostname"]}',
        b"not json",
        b'{"move": 1}',
    ],
)
def test_a_journal_sitegen_did_not_write_is_refused_in_one_line(
    tiny_built: Path, manifest: bytes
) -> None:
    """Found by a review: a journal committed to a fork (.sitegen-txn/) was completed as
    found, making and deleting files outside the site; a broken one was a traceback."""
    outside = tiny_built.parent
    (outside / "victim.txt").write_text("mine")
    journal = tiny_built / ".sitegen-txn"
    (journal / "files").mkdir(parents=True)
    (journal / "files" / "x").write_text("theirs")
    (journal / "manifest.json").write_bytes(manifest)
    result = sitegen_here("--root", str(tiny_built), "build")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith(
        f"sitegen: error: {journal}/manifest.json: not a journal sitegen wrote"
    )
    assert (outside / "victim.txt").read_text() == "mine"
    assert not (outside / "made.txt").exists()


def test_the_half_written_archive_of_a_killed_build_is_cleared(tiny_built: Path) -> None:
    """A review: the next archive a killed `--out x.tar` build was writing beside it was never
    removed (the pattern of leftovers had no `.tar`)."""
    out = tiny_built.parent / "x.tar"
    assert sitegen_here("--root", str(tiny_built), "build", "--out", str(out)).returncode == 0
    left = out.with_name(".x.tar.staging-99999.tar")
    left.write_bytes(b"half an archive")
    # Not a staging directory's: a name no leftover has (its pid was read as a number).
    other = out.with_name(".x.tar.search-99999.job.pickle")
    other.write_bytes(b"mine")
    assert sitegen_here("--root", str(tiny_built), "build", "--out", str(out)).returncode == 0
    assert not left.exists() and other.read_bytes() == b"mine"


def test_an_archive_another_program_writes_during_a_build_is_one_clear_error(
    tiny_built: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A review: `--out site.tar` rewritten by another program while a build of it ran (its
    record no longer matched it) stopped the build with a ValueError, reported as a bug in
    sitegen. It is one line naming the archive, left as the other program wrote it."""
    out = tiny_built.parent / "site.tar"
    assert main(["--root", str(tiny_built), "build", "--out", str(out)]) == 0
    capsys.readouterr()
    rewrite(tiny_built / "templates" / "day.html", lambda text: text + "\n")  # pages to write
    publish_update = sitegen.build.update

    def written_meanwhile(*args: Any, **kwargs: Any) -> Any:
        # As the build writes, another program writes the archive (its mtime moves on).
        later = out.stat().st_mtime_ns + 10**9
        os.utime(out, ns=(later, later))
        return publish_update(*args, **kwargs)

    monkeypatch.setattr(sitegen.build, "update", written_meanwhile)
    theirs = out.read_bytes(), out.stat().st_mtime_ns + 10**9
    assert main(["--root", str(tiny_built), "build", "--out", str(out)]) == 2
    assert capsys.readouterr().err == (
        f"sitegen: error: {out}: another program wrote it during the build, so its files"
        " could not be kept\n  hint: run the build again\n"
    )
    assert (out.read_bytes(), out.stat().st_mtime_ns) == theirs
    assert sorted(p.name for p in out.parent.glob(".site.tar.staging-*")) == []


def test_a_journal_left_with_the_probe_of_a_run_killed_is_cleared(tiny_built: Path) -> None:
    """A review: a run killed while it probed the journal's filesystem left its probe there,
    which the check for a user's files took for one: every later command stopped."""
    journal = tiny_built / ".sitegen-txn"
    (journal / "files").mkdir(parents=True)
    (journal / "files" / "w0").write_text("staged")
    (journal / ".sitegen-probe-4242-deadbeef").touch()
    result = sitegen_here("--root", str(tiny_built), "build")
    assert result.returncode == 0, result.stderr
    assert not journal.exists()


@pytest.mark.parametrize("journal", [".sitegen-txn", ".public.journal"])
def test_a_folder_of_a_journals_name_holding_a_users_files_is_left_alone(
    tiny_built: Path, journal: str
) -> None:
    """A hostile-input trial: `.sitegen-txn/notes.txt` was deleted as an interrupted write's
    journal, without a word. A journal holds files/ and its manifest alone."""
    notes = tiny_built / journal / "notes.txt"
    notes.parent.mkdir()
    notes.write_text("mine")
    # The content's journal is every command's; public/'s, a build's.
    for command in ("ingest", "build") if journal == ".sitegen-txn" else ("build",):
        args = [str(tiny_built / "content" / "listings" / "2026-06-12.json")] * (
            command == "ingest"
        )
        result = sitegen_here("--root", str(tiny_built), command, *args)
        assert result.returncode == 2, command
        assert _one_error(result.stderr) == (
            f"sitegen: error: {notes.parent}: not a journal sitegen wrote: it holds notes.txt"
        )
        assert notes.read_text() == "mine"


@pytest.mark.parametrize(
    "name",
    [
        ".sitegen-txn",
        ".public.staging-1",
        ".www.old-7",
        ".x.lock",
        ".public.search-9",
        ".public.staging-1/www",
        ".sitegen-txn/www",  # in one (a review: the next removed it)
        ".x.tar.staging-1.tar",  # an archive's half-written next one
    ],
)
def test_an_output_named_as_sitegen_names_its_own_files_is_refused(
    tiny_built: Path, name: str
) -> None:
    """A hostile-input trial: `--out .sitegen-txn` was built, then wiped by the next command
    as its journal; `--out .public.staging-1` likewise."""
    out = tiny_built / name
    result = sitegen_here("--root", str(tiny_built), "build", "--out", str(out))
    assert result.returncode == 2
    said = f"{name.split('/')[0]} is named as sitegen names its own files beside a site"
    assert said in _one_error(result.stderr)
    assert not (tiny_built / name.split("/")[0]).exists()  # nor its lock beside it


def test_an_output_reached_through_a_link_into_sitegens_own_name_is_refused(
    tiny_built: Path,
) -> None:
    """A review: `w` linked to `.public.staging-9`, `--out w/www` was built, and the next
    build removed `.public.staging-9` as its leftover, with the site in it."""
    (tiny_built / ".public.staging-9").mkdir()
    (tiny_built / "w").symlink_to(".public.staging-9")
    result = sitegen_here("--root", str(tiny_built), "build", "--out", str(tiny_built / "w/www"))
    assert result.returncode == 2
    assert ".public.staging-9 is named as sitegen names" in _one_error(result.stderr)


def test_a_content_file_that_is_a_link_is_not_replaced_by_a_file(
    tiny_built: Path, tmp_path: Path
) -> None:
    """A hostile-input trial: a paper file linked to one outside content/ became a file of
    its own when a listing updated it, the file it led to left with the old values."""
    listing = json.loads((tiny_built / "content" / "listings" / "2026-06-12.json").read_text())
    paper_id = listing[0]["paper"]["id"]
    listing[0]["paper"]["upvotes"] += 100
    newer = tmp_path / "2026-06-12.json"
    newer.write_text(json.dumps(listing))
    paper = tiny_built / "content" / "papers" / f"{paper_id}.md"
    kept = tmp_path / "kept.md"
    paper.rename(kept)
    paper.symlink_to(kept)
    before = kept.read_bytes()
    result = sitegen_here("--root", str(tiny_built), "ingest", str(newer))
    assert result.returncode == 2
    assert _one_error(result.stderr) == (
        f"sitegen: error: {paper}: a symbolic link (to {kept}): sitegen replaces a content file"
        " whole, and the file it leads to would stay as it was"
    )
    assert paper.is_symlink() and kept.read_bytes() == before


def test_the_store_lock_is_never_written_through_a_link(tiny_built: Path) -> None:
    """Found by a review: a link put where the lock file goes emptied the file it named."""
    precious = tiny_built.parent / "precious.txt"
    precious.write_text("notes")
    lock = tiny_built / ".sitegen-lock"
    lock.unlink(missing_ok=True)
    lock.symlink_to(precious)
    result = sitegen_here("--root", str(tiny_built), "build")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "lock file is a symbolic link" in result.stderr
    assert precious.read_text() == "notes"


@pytest.mark.parametrize(
    "headers",
    [
        (("X-Note", "caf\xe9"), ("ETag", '"caf\xe9"')),  # Latin-1 text, as a server may send
        (("RateLimit", '"api";r=' + "9" * 5000 + ";t=1"),),
    ],
    ids=["latin-1", "huge count"],
)
def test_a_header_of_odd_text_is_read_as_sent(
    hf: tuple[FaultyHF, str],
    small: Path,
    capsys: pytest.CaptureFixture[str],
    headers: tuple[tuple[str, str], ...],
) -> None:
    """Found by a review: a non-ASCII byte in any header failed every day as "a bug in
    sitegen"; a RateLimit count of 5,000 digits was a ValueError."""
    source, url = hf
    source.set("2025-11-01", [Reply(200, _day_answer("2025-11-01"), headers)])
    args = ["--root", str(small), "fetch", "--base-url", url, "--date", "2025-11-01"]
    assert main(args) == 0, capsys.readouterr().err
    assert "2025-11-01: 3 papers" in capsys.readouterr().out


def test_a_retry_after_date_of_unknown_zone_is_waited_for(
    hf: tuple[FaultyHF, str], small: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by a review: `Retry-After: <date> -0000` (UTC, RFC 5322) was a TypeError."""
    source, url = hf
    past = (("Retry-After", "Wed, 21 Oct 2015 07:28:00 -0000"),)
    source.set("2025-11-01", [Reply(503, b"", past), Reply(200, _day_answer("2025-11-01"))])
    args = ["--root", str(small), "fetch", "--base-url", url, "--date", "2025-11-01"]
    assert main(args) == 0, capsys.readouterr().err
    assert "2025-11-01: 3 papers" in capsys.readouterr().out


def test_an_update_of_an_output_with_a_backslash_in_its_name_completes(
    tiny_built: Path, tmp_path: Path
) -> None:
    """Found by a review: the journal check refused a backslash, which is a character of a
    name here, so every build after the first into 'out\\site' failed."""
    out = tmp_path / "out\\site"
    args = ["--root", str(tiny_built), "build", "--out", str(out)]
    assert sitegen_here(*args).returncode == 0
    paper = next((tiny_built / "content" / "papers").iterdir())
    paper.write_text(paper.read_text().replace('title = "', 'title = "Edited: ', 1))
    again = sitegen_here(*args)
    assert again.returncode == 0, again.stderr


# ---- found by a security review: each one line, nothing of the user's touched ------------------


def test_whether_a_fifo_holds_empty_bytes_is_answered_without_waiting_for_a_writer(
    tmp_path: Path,
) -> None:
    """A review: the check that spares writing a file again (an empty file of static/, its
    copy in the last build's public/) read whatever was at the path once its size matched,
    and a FIFO's size is 0: it waited for a writer forever."""
    fifo = tmp_path / ".nojekyll"
    os.mkfifo(fifo)
    answers: list[bool] = []
    asking = threading.Thread(target=lambda: answers.append(whole_files.holds(fifo, b"")))
    asking.daemon = True  # a thread that hangs must not hold the test run open
    asking.start()
    asking.join(timeout=5)
    assert answers == [False], "no answer in 5 s: it waits on the FIFO"
    assert whole_files.holds(Path("/dev/null"), b"") is False


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_site_toml_or_topics_before_that_is_no_file_is_one_line(small: Path, kind: str) -> None:
    """A FIFO as site.toml waited for a writer forever, /dev/zero was read until memory ran
    out (the test gives it no time to)."""
    other = small / "other.toml"
    if kind == "fifo":
        os.mkfifo(other)
    else:
        other.symlink_to("/dev/zero")
    result = _sitegen("--root", str(small), "build", "--topics-before", str(other), timeout=30)
    assert result.returncode == 2
    assert "cannot read it: not a regular file" in _one_error(result.stderr) or (
        "not a regular file" in _one_error(result.stderr)
    )
    (small / "site.toml").unlink()
    (small / "site.toml").symlink_to(other)
    result = _sitegen("--root", str(small), "build", timeout=30)
    assert result.returncode == 2
    assert "site.toml: cannot read it: not a regular file" in _one_error(result.stderr)
    assert not (small / "public").exists()


@pytest.mark.parametrize("kind", ["fifo", "device"])
@pytest.mark.parametrize("where", ["listings/2025-11-01.json", "days/2025-11-01.toml"])
@pytest.mark.parametrize("command", ["ingest", "fetch"])
def test_a_kept_listing_or_day_file_that_is_no_file_is_one_line(
    hf: tuple[FaultyHF, str], small: Path, tmp_path: Path, kind: str, where: str, command: str
) -> None:
    """A hostile-input trial: a FIFO where the day's kept listing or day file goes made
    `sitegen ingest` and `sitegen fetch` (a scheduled run, which keeps its answer there) wait
    for a writer forever; a link to /dev/zero was read until memory ran out (the test caps it
    at 2 GB). The build refused both in one line already."""
    placed = small / "content" / where
    placed.parent.mkdir(exist_ok=True)
    if kind == "fifo":
        os.mkfifo(placed)
    else:
        placed.symlink_to("/dev/zero")
    source, url = hf
    source.set("2025-11-01", [Reply(200, _day_answer("2025-11-01"))])
    listing = tmp_path / "2025-11-01.json"
    listing.write_bytes(_day_answer("2025-11-01"))
    args = {
        "ingest": ["ingest", str(listing)],
        "fetch": ["fetch", "--base-url", url, "--attempts", "1", "--date", "2025-11-01"],
    }[command]
    capped = "import resource, runpy; resource.setrlimit(resource.RLIMIT_AS, (2**31, 2**31)); "
    result = subprocess.run(
        [sys.executable, "-c", capped + "runpy.run_module('sitegen', run_name='__main__')"]
        + ["--root", str(small), *args],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2, result.stderr[-600:]
    said = _one_error(result.stderr)
    assert f"{where}: " in said and ("not a regular file" in said or "not a file" in said)
    assert placed.is_fifo() if kind == "fifo" else placed.is_symlink()
    assert not list((small / "content" / "listings").glob("2025-11-01*.*[!n]"))  # none kept


def test_folders_beside_the_output_named_like_sitegen_s_are_left_alone(
    small: Path, tmp_path: Path
) -> None:
    """`.www.old-backup` was renamed into the site, `.www.staging-notes` deleted."""
    beside = tmp_path / "o"
    for folder in (".www.old-mybackup", ".www.staging-notes", ".www.search-x"):
        (beside / folder).mkdir(parents=True)
        (beside / folder / "mine.txt").write_text("precious\n")
    before = _everything(beside)
    assert sitegen_here("--root", str(small), "build", "--out", str(beside / "www")).returncode == 0
    after = _everything(beside)
    assert {path: after.get(path) for path in before} == before
    assert not any(path.startswith("www/.www") for path in after)


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda p: p.symlink_to(p), "loop.md: not a file: a directory, a device or a broken link"),
        (lambda p: p.symlink_to("/nonexistent"), "loop.md: not a file"),
    ],
)
def test_a_link_to_nowhere_in_content_is_one_line_not_a_traceback_or_a_paper_lost(
    small: Path, make: Callable[[Path], None], says: str
) -> None:
    make(small / "content" / "papers" / "loop.md")
    result = sitegen_here("--root", str(small), "build")
    assert result.returncode == 2 and says in _one_error(result.stderr)
    papers = small / "content" / "papers"
    (papers / "loop.md").unlink()
    papers.rename(small / "content" / "kept")
    papers.symlink_to(papers)
    result = sitegen_here("--root", str(small), "build")
    assert result.returncode == 2
    assert "content/papers: not a folder: a file or a broken link" in _one_error(result.stderr)


@pytest.mark.parametrize("base_url", ["http://[::1/", "https://[oops/daily/"])
def test_a_base_url_with_an_unclosed_host_is_one_line(small: Path, base_url: str) -> None:
    result = sitegen_here("--root", str(small), "build", "--base-url", base_url)
    assert result.returncode == 2 and "is not an absolute http(s) URL" in _one_error(result.stderr)
    config = small / "site.toml"
    config.write_text(
        re.sub(r"(?m)^base_url = .*$", f'base_url = "{base_url}"', config.read_text())
    )
    result = sitegen_here("--root", str(small), "build")
    assert result.returncode == 2 and "`base_url` must be an absolute" in _one_error(result.stderr)


def test_an_output_that_cannot_be_a_folder_is_one_line(small: Path, tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    result = sitegen_here("--root", str(small), "build", "--out", str(tmp_path / "a"))
    assert result.returncode == 2 and "a symbolic link loop" in _one_error(result.stderr)
    # A loop on the way to it (a review: a traceback under 3.11, under 3.13 "cannot create
    # the lock file ...: File exists").
    result = sitegen_here("--root", str(small), "build", "--out", str(tmp_path / "a" / "www"))
    assert result.returncode == 2 and "a symbolic link loop" in _one_error(result.stderr)
    result = sitegen_here("--root", str(small), "build", "--out", str(tmp_path / ("b" * 300)))
    assert result.returncode == 2 and "File name too long" in _one_error(result.stderr)


@pytest.mark.skipif(os.geteuid() == 0, reason="root lists any folder")
@pytest.mark.parametrize(
    ("mode", "said"),
    [
        (0, "cannot look into the output: Permission denied"),
        (0o444, "it holds 'notes.txt' but has no build record"),
    ],
    ids=["not read", "listed, not entered"],
)
def test_an_output_folder_that_cannot_be_read_is_one_line(
    small: Path, tmp_path: Path, mode: int, said: str
) -> None:
    """Reviews: --out a folder of mode 000 (a web root of another user's) was a traceback,
    PermissionError from looking for a .git inside it, under Python 3.11 and 3.13 alike; one
    of mode 444 holding a file (its names listed, none looked at), from asking whether its
    index.html is a file."""
    out = tmp_path / "www"
    out.mkdir()
    (out / "notes.txt").write_text("mine\n")
    out.chmod(mode)
    try:
        result = sitegen_here("--root", str(small), "build", "--out", str(out))
    finally:
        out.chmod(0o755)
    assert result.returncode == 2
    assert said in _one_error(result.stderr)
    assert (out / "notes.txt").read_text() == "mine\n"


def test_a_slug_too_long_for_a_file_name_is_refused_at_its_line(small: Path) -> None:
    config = small / "site.toml"
    text = (
        config.read_text()
        + f'\n[[custom_feeds]]\nname = "Long"\nslug = "{"a" * 300}"\nmatch = ["x"]\n'
    )
    config.write_text(text)
    result = sitegen_here("--root", str(small), "build")
    line = text.count("\n", 0, text.index('slug = "aaa')) + 1
    assert result.returncode == 2
    assert f"site.toml:{line}: custom feed slug" in _one_error(result.stderr)


def test_a_link_put_where_the_cache_writes_is_replaced_not_written_through(
    tiny_built: Path, tmp_path: Path
) -> None:
    """A symbolic link at .sitegen-cache/content-states.new made a build overwrite the
    user's file it pointed at."""
    victim = tmp_path / "victim.txt"
    victim.write_text("MY NOTES\n")
    (tiny_built / ".sitegen-cache" / "content-states.new").symlink_to(victim)
    paper = next((tiny_built / "content" / "papers").glob("*.md"))
    paper.write_text(paper.read_text() + "\nMore.\n")
    assert sitegen_here("--root", str(tiny_built), "build").returncode == 0
    assert victim.read_text() == "MY NOTES\n"
    assert not (tiny_built / ".sitegen-cache" / "content-states").is_symlink()


def test_a_key_a_person_typed_is_shown_escaped_on_one_line(small: Path) -> None:
    """An unknown key with a line break and an escape sequence printed them as they were:
    an Actions log took "::error ..." for a command, a terminal the escape for one."""
    paper = next((small / "content" / "papers").glob("*.md"))
    lines = paper.read_text().split("\n")
    lines.insert(1, '"x\\n::error title=from-content::injected\\u001b[31m" = 1')
    paper.write_text("\n".join(lines))
    result = sitegen_here("--root", str(small), "build")
    assert result.returncode == 2
    error = _one_error(result.stderr)
    assert "\\n::error title=from-content::injected\\x1b[31m" in error
    assert "\x1b" not in result.stderr and "\n::error" not in result.stderr
