"""Incremental builds: after each kind of change, the same bytes as a cold build, and only the
files whose bytes change are written (issue #6)."""

from __future__ import annotations

import calendar
import json
import marshal
import os
import re
import shutil
import subprocess
import sys
import zlib
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from time import time_ns
from typing import Any

import feedparser
import pytest

from sitegen import publish, serve
from sitegen.cli import load_config, main
from tests.conftest import (
    REPO,
    api_papers,
    copy_site,
    item_time,
    rebuilt,
    rename_topic_slug,
    rewrite,
    small_listings,
    tree_bytes,
)

NEWEST = "2026-11-22.txt"


@pytest.fixture(scope="module")
def older_seeds_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small site's text listings but the newest (`small_listings`: the bundled seeds cut
    short; every change below holds for any size), ingested and built once for this file."""
    site = tmp_path_factory.mktemp("older-seeds") / "site"
    site.mkdir()
    shutil.copy(REPO / "site.toml", site / "site.toml")
    shutil.copytree(REPO / "templates", site / "templates")
    listings = small_listings(site.parent / "listings")
    older = sorted(p for p in listings if p.suffix == ".txt" and p.name != NEWEST)
    assert main(["--root", str(site), "ingest", *map(str, older)]) == 0
    assert main(["--root", str(site), "build"]) == 0
    return site


@pytest.fixture
def built_site(site: Path, older_seeds_built: Path) -> Path:
    """The bundled seeds but the newest, ingested and built (a copy, for this test to change)."""
    return copy_site(older_seeds_built, site)


def _files(public: Path) -> dict[str, tuple[int, int]]:
    """Each file's identity: a file written again gets a new inode (it is moved into place)."""
    return {
        p.relative_to(public).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in public.rglob("*")
        if p.is_file()
    }


def _new_day(site: Path) -> None:
    (newest,) = (p for p in small_listings(site.parent / "listings") if p.name == NEWEST)
    assert main(["--root", str(site), "ingest", str(newest)]) == 0


def _two_new_papers_on(site: Path, day: date, published: tuple[date, date]) -> None:
    """A listing of `day` holding two papers no day held before, ingested."""
    first, second = (f"{d:%b} {d.day}, {d.year}" for d in published)
    lines = [
        "Daily Papers", f"{day:%b} {day.day}",
        "Sparse Mixtures of Tiny Experts", "Many tiny experts, routed sparsely.",
        "\u00b7", f"{first} 7",
        "Reward Models Without Rewards", "Reinforcement learning from no feedback.",
        "\u00b7", f"{second} 3",
    ]  # fmt: skip
    listing = site.parent / f"{day.isoformat()}.txt"
    listing.write_text("\n\n".join(lines) + "\n")
    assert main(["--root", str(site), "ingest", str(listing)]) == 0


def _day_of_new_papers(site: Path) -> None:
    # No paper seen before: old days change only through their links to the new one.
    _two_new_papers_on(site, date(2026, 11, 23), (date(2026, 11, 20), date(2026, 11, 21)))


def _day_in_the_open_month(site: Path) -> None:
    # New papers on a day of the newest day's month (2026-06): the search index's shard of
    # the months before stays as it is.
    _two_new_papers_on(site, date(2026, 6, 13), (date(2026, 6, 11), date(2026, 6, 12)))


def _newest_days_paper_listed_first_on_an_old_day(site: Path) -> None:
    # An old day file now names a paper of the newest day first: the paper's first day moves
    # from the open month to the months before, and the old day's ranks move.
    days = sorted((site / "content" / "days").glob("*.toml"))
    entry = re.search(r"(?m)^  \{.*\n", days[-1].read_text())
    assert entry is not None
    rewrite(days[0], lambda t: t.replace("papers = [\n", "papers = [\n" + entry[0], 1))


def _paper_featured_again_much_upvoted(site: Path) -> None:
    # The oldest day's last paper featured again on the newest day with 100,000 upvotes, as
    # an ingest would record it: the newest day and its periods rank it first, the oldest
    # day and its closed periods by the upvotes they recorded.
    days = sorted((site / "content" / "days").glob("*.toml"))
    last = re.findall(r"(?m)^  \{ id = .*\},$", days[0].read_text())[-1]
    entry = re.sub(r"(, upvotes = \d+)? \},$", ", upvotes = 100000 },", last)
    rewrite(days[-1], lambda t: t.replace("papers = [\n", f"papers = [\n{entry}\n", 1))
    paper_id = re.search(r'id = "([^"]+)"', last)
    assert paper_id is not None
    paper = site / "content" / "papers" / f"{paper_id[1]}.md"
    rewrite(paper, lambda t: "+++\nupvotes = 100000\n" + re.sub(r"(?m)^upvotes = .*\n", "", t[4:]))


def _edited_paper_of_the_open_month(site: Path) -> None:
    newest = max((site / "content" / "days").glob("*.toml"))
    paper_id = re.search(r'(?m)^  \{ id = "([^"]+)"', newest.read_text())
    assert paper_id is not None
    rewrite(
        site / "content" / "papers" / f"{paper_id[1]}.md",
        lambda t: re.sub(r'(?m)^title = ".*"$', 'title = "Edited in the open month"', t, count=1),
    )


def _deleted_newest_day(site: Path) -> None:
    max((site / "content" / "days").glob("*.toml")).unlink()


def _deleted_oldest_day(site: Path) -> None:
    min((site / "content" / "days").glob("*.toml")).unlink()


def _edited_paper(site: Path) -> None:
    paper = sorted((site / "content" / "papers").glob("*.md"))[7]
    text = paper.read_text()
    paper.write_text(
        re.sub(r'(?m)^title = ".*"$', 'title = "A title edited by hand"', text, count=1)
    )


def _changed_topic_rules(site: Path) -> None:
    # "Benchmark" made a keyword of the first two topics (Language Models and Reasoning).
    rewrite(site / "site.toml", lambda t: t.replace("keywords = [", 'keywords = ["benchmark", ', 2))


def _renamed_topic(site: Path) -> None:
    # Search records show the topics' names: a shard of unchanged papers is made again.
    name = 'name = "Large Language Models"'
    rewrite(site / "site.toml", lambda t: t.replace(name, name[:-1] + ', renamed"', 1))


def _topic_slug_renamed(site: Path) -> None:
    # Its old slug kept as `formerly`: its old pages and feeds lead to the new ones, and a
    # paper file naming it in `topics` needs no edit.
    rewrite(site / "site.toml", lambda t: rename_topic_slug(t, "graphs", "graph-learning"))


def _changed_template(site: Path) -> None:
    card = site / "templates" / "_card.html"
    card.write_text(card.read_text().replace('class="card', 'class="card edited', 1))


def _edited_stylesheet_and_icon(site: Path) -> None:
    # Files the site publishes as they are: pages only link them.
    rewrite(site / "templates" / "style.css", lambda t: t + "\n.card { outline: 0; }\n")
    rewrite(site / "templates" / "favicon.svg", lambda t: t.replace("<svg ", '<svg data-v="2" ', 1))


def _stylesheet_inlined_by_a_template(site: Path) -> None:
    # A template may include the stylesheet, as any template: its pages then show its bytes.
    link = '<link rel="stylesheet" href="{{ css }}">'
    rewrite(
        site / "templates" / "base.html",
        lambda t: t.replace(link, '<style>\n{% include "style.css" %}</style>', 1),
    )


def _deleted_paper(site: Path) -> None:
    paper = sorted((site / "content" / "papers").glob("*.md"))[3]
    paper.unlink()
    for day in (site / "content" / "days").glob("*.toml"):  # its entries too, or it is an error
        entry = f'id = "{paper.stem}"'
        day.write_text("\n".join(line for line in day.read_text().split("\n") if entry not in line))


def _renamed_paper(site: Path) -> None:
    # A paper file renamed by hand, and its day entries with it: the same bytes, a new id.
    paper = sorted((site / "content" / "papers").glob("*.md"))[3]
    paper.rename(paper.with_name("renamed-by-hand.md"))
    entry = f'id = "{paper.stem}"'
    for day in (site / "content" / "days").glob("*.toml"):
        if entry in day.read_text():
            rewrite(day, lambda t: t.replace(entry, 'id = "renamed-by-hand"'))


def _edited_day(site: Path) -> None:
    # The newest day's first two papers swapped by hand: their ranks change, no paper file.
    newest = max((site / "content" / "days").glob("*.toml"))
    rewrite(newest, lambda t: re.sub(r"(?m)^(  \{.*\n)(  \{.*\n)", r"\2\1", t, count=1))


def _day_that_came_late(site: Path) -> None:
    # 2025-10-31 came late, with 2026-03-14 (fetched then): its papers are new to the feeds.
    day = site / "content" / "days" / "2025-10-31.toml"
    late = "day = 2025-10-31\narrived_after = 2026-03-14\n"
    rewrite(day, lambda t: t.replace("day = 2025-10-31\n", late))


def _time_added_by_hand(site: Path) -> None:
    # The newest day's first entry says when a fetch brought it: its feed items take that date.
    newest = max((site / "content" / "days").glob("*.toml"))
    stamp = ", added = 2026-03-15T09:17:00+02:00 }"
    rewrite(newest, lambda t: re.sub(r"(?m)^(  \{.*) \},$", rf"\1{stamp},", t, count=1))


def _digest_dated_by_hand(site: Path) -> None:
    # When the oldest day's digest item, its week's and its month's came out, as a fetch
    # records it: those items take that date.
    oldest = date.fromisoformat(min((site / "content" / "days").glob("*.toml")).stem)
    week, month = "{}-W{:02d}".format(*oldest.isocalendar()[:2]), f"{oldest:%Y-%m}"
    at = f"{oldest + timedelta(days=8)}T06:30:00Z"
    dates = f"{oldest} = {at}\n{week} = {at}\n{month} = {at}\n"
    (site / "content" / "digests.toml").write_text(dates)


def _newest_day_had_whole(site: Path) -> None:
    # A fetch had the newest day after it ended: the daily digest gives it its item.
    newest = max((site / "content" / "days").glob("*.toml")).stem
    (site / "content" / "fetch-state.json").write_text(f'{{"{newest}": {{"whole": "yes"}}}}\n')


def _own_files_added(site: Path) -> None:
    # The site's own files (static/): a domain's name, a logo, a verification page.
    (site / "static" / "img").mkdir(parents=True)
    (site / "static" / "CNAME").write_text("papers.example.org\n")
    (site / "static" / "img" / "logo.png").write_bytes(bytes(range(256)) * 4)
    (site / "static" / ".nojekyll").write_bytes(b"")
    # A robots.txt of one's own is the site's instead of sitegen's (a fork owner's trial).
    (site / "static" / "robots.txt").write_text("User-agent: *\nDisallow: /drafts/\n")


def _own_files_edited_and_removed(site: Path) -> None:
    if not (site / "static").exists():
        _own_files_added(site)
    (site / "static" / "img" / "logo.png").write_bytes(bytes(range(255, -1, -1)) * 4)
    (site / "static" / "CNAME").unlink()
    (site / "static" / "robots.txt").unlink()  # sitegen's comes back


def _own_files_made_folders_and_files(site: Path) -> None:
    # A file of static/ made a folder, and a folder made a file (a review: every later
    # incremental build was refused, as if a user's file were in the way).
    if not (site / "static").exists():
        _own_files_added(site)
    static = site / "static"
    (static / "CNAME").unlink(missing_ok=True)
    (static / "CNAME").mkdir()
    (static / "CNAME" / "index.html").write_text("<!doctype html><title>A folder now</title>\n")
    shutil.rmtree(static / "img")
    (static / "img").write_bytes(b"a file now\n")


CHANGES: dict[str, Callable[[Path], None]] = {
    "new day": _new_day,
    "day of new papers": _day_of_new_papers,
    "edited paper": _edited_paper,
    "changed topic rules": _changed_topic_rules,
    "changed template": _changed_template,
    "edited stylesheet and icon": _edited_stylesheet_and_icon,
    "stylesheet inlined by a template": _stylesheet_inlined_by_a_template,
    "renamed topic": _renamed_topic,
    "topic slug renamed": _topic_slug_renamed,
    "deleted paper": _deleted_paper,
    "renamed paper": _renamed_paper,
    "edited day file": _edited_day,
    "time added by hand": _time_added_by_hand,
    "digest dated by hand": _digest_dated_by_hand,
    "day in the open month": _day_in_the_open_month,
    "paper featured again, much upvoted": _paper_featured_again_much_upvoted,
    "old day names a newest day's paper": _newest_days_paper_listed_first_on_an_old_day,
    "edited paper of the open month": _edited_paper_of_the_open_month,
    "deleted newest day": _deleted_newest_day,
    "deleted oldest day": _deleted_oldest_day,
    "a day that came late": _day_that_came_late,
    "newest day had whole": _newest_day_had_whole,
    "own files added": _own_files_added,
    "own files edited and removed": _own_files_edited_and_removed,
    "own files made folders and files": _own_files_made_folders_and_files,
}


@pytest.fixture(scope="module")
def cold_bytes(
    older_seeds_built: Path, tmp_path_factory: pytest.TempPathFactory
) -> Callable[..., dict[str, bytes]]:
    """`cold_bytes(*changes)`: the files of a cold build (`--clean`) of `older_seeds_built`
    after the CHANGES named, in order: built once for this file for each such state, which
    several tests reach."""
    made: dict[tuple[str, ...], dict[str, bytes]] = {}

    def cold(*changes: str) -> dict[str, bytes]:
        if changes not in made:
            root = copy_site(older_seeds_built, tmp_path_factory.mktemp("cold") / "site")
            for change in changes:
                CHANGES[change](root)
            out = root.parent / "cold"
            assert main(["--root", str(root), "build", "--clean", "--out", str(out)]) == 0
            made[changes] = tree_bytes(out)
        return made[changes]

    return cold


@pytest.mark.parametrize("change", CHANGES)
def test_an_incremental_build_gives_the_bytes_of_a_cold_one(
    built_site: Path,
    change: str,
    capsys: pytest.CaptureFixture[str],
    cold_bytes: Callable[..., dict[str, bytes]],
) -> None:
    public = built_site / "public"
    before, identities = tree_bytes(public), _files(public)
    CHANGES[change](built_site)
    capsys.readouterr()
    assert main(["--root", str(built_site), "build"]) == 0
    assert "a full build" not in capsys.readouterr().out

    after = tree_bytes(public)
    assert after == cold_bytes(change)
    assert after != before
    # Only the files whose bytes changed were written; every other file is untouched.
    now = _files(public)
    rewritten = {path for path in now.keys() & identities.keys() if now[path] != identities[path]}
    changed = {path for path in after.keys() & before.keys() if after[path] != before[path]}
    assert rewritten == changed


def test_an_edit_of_the_stylesheet_or_icon_renders_those_files_alone(
    built_site: Path,
    capsys: pytest.CaptureFixture[str],
    cold_bytes: Callable[..., dict[str, bytes]],
) -> None:
    """Review h5: an edit of templates/style.css under `sitegen serve` rendered every page
    again (10.5 s at 10k papers), though the site copies it as it is and pages only link it:
    every file of templates/ was in the key of every output."""
    _edited_stylesheet_and_icon(built_site)
    capsys.readouterr()
    assert main(["--root", str(built_site), "build"]) == 0
    said = capsys.readouterr().out
    assert re.search(r"\b2 of \d+ files rendered", said), said
    assert tree_bytes(built_site / "public") == cold_bytes("edited stylesheet and icon")


def test_an_edit_of_a_stylesheet_a_template_includes_renders_its_pages_again(
    built_site: Path, cold_bytes: Callable[..., dict[str, bytes]]
) -> None:
    changes = ("stylesheet inlined by a template", "edited stylesheet and icon")
    for change in changes:
        CHANGES[change](built_site)
        assert main(["--root", str(built_site), "build"]) == 0
    public = tree_bytes(built_site / "public")
    assert b".card { outline: 0; }" in public["index.html"]
    assert public == cold_bytes(*changes)


def test_a_renamed_paper_built_into_a_new_out_is_a_cold_build(
    built_site: Path, tmp_path: Path, cold_bytes: Callable[..., dict[str, bytes]]
) -> None:
    """Found by a review: the API and search records kept by a paper's bytes still named its
    old id in a build into a new folder, whose search results then led to a 404."""
    _renamed_paper(built_site)
    assert main(["--root", str(built_site), "build", "--out", str(tmp_path / "new")]) == 0
    assert tree_bytes(tmp_path / "new") == cold_bytes("renamed paper")


def test_a_new_day_rewrites_only_what_lists_its_papers(built_site: Path) -> None:
    public = built_site / "public"
    before = tree_bytes(public)
    _new_day(built_site)
    assert main(["--root", str(built_site), "build"]) == 0
    after = tree_bytes(public)
    changed = {p for p in after.keys() & before.keys() if after[p] != before[p]}
    added = after.keys() - before.keys()
    assert "days/2026-11-22/index.html" in added and "atom.xml" in changed
    # The older days' own pages keep their bytes (the newest old day gains a link).
    assert not {p for p in changed if p.startswith("days/2025-")}
    assert "days/2026-03-14/index.html" in changed
    # Most paper pages are untouched: only papers featured again gain the new day.
    papers_changed = {p for p in changed if p.startswith("papers/")}
    assert 0 < len(papers_changed) < 40


def test_a_day_of_new_papers_rewrites_the_api_file_of_its_month_alone(built_site: Path) -> None:
    public = built_site / "public"
    before = tree_bytes(public / "api")
    assert max(before) == "papers/2026-03.json"  # the open month
    _two_new_papers_on(built_site, date(2026, 3, 15), (date(2026, 3, 12), date(2026, 3, 13)))
    assert main(["--root", str(built_site), "build"]) == 0
    after = tree_bytes(public / "api")
    assert after.keys() == before.keys()
    changed = {path for path in after if after[path] != before[path]}
    assert changed == {"papers.json", "papers/2026-03.json"}


def test_a_day_before_the_newest_moves_its_papers_into_its_months_api_file(
    built_site: Path,
) -> None:
    """docs/building.md, for a mirror of /api/papers/: a day added before the newest (a
    backfill, a day that came late) files the papers it featured first in its own month,
    out of a later month's file, and a month left with none leaves the index and its file
    is deleted: each paper stays in exactly one file the index links."""
    public = built_site / "public"
    before = tree_bytes(public / "api")
    days = built_site / "content" / "days"
    january = (days / "2026-01-08.toml").read_text()
    (days / "2025-12-31.toml").write_text(january.replace("day = 2026-01-08", "day = 2025-12-31"))
    assert main(["--root", str(built_site), "build"]) == 0
    after = tree_bytes(public / "api")
    assert before.keys() - after.keys() == {"papers/2026-01.json"}
    assert after.keys() - before.keys() == {"papers/2025-12.json"}
    months = json.loads(after["papers.json"])["months"]
    assert [m["month"] for m in months] == ["2026-03", "2025-12", "2025-11", "2025-10"]
    moved = json.loads(after["papers/2025-12.json"])
    assert [p["id"] for p in moved] == [p["id"] for p in json.loads(before["papers/2026-01.json"])]
    assert all(p["days"][:2] == ["2025-12-31", "2026-01-08"] for p in moved)
    # A paper of an earlier month the day features again gains it, as any new day's do.
    changed = {path for path in after.keys() & before.keys() if after[path] != before[path]}
    assert changed == {"papers.json", "papers/2025-11.json"}
    again = {p["id"]: p["days"] for p in json.loads(after["papers/2025-11.json"])}
    for paper in json.loads(before["papers/2025-11.json"]):
        gained = set(again[paper["id"]]) - set(paper["days"])
        assert gained in (set(), {"2025-12-31"}), paper["id"]
    ids = [p["id"] for p in api_papers(public)]
    assert len(ids) == len(set(ids))


def test_the_caches_of_every_paper_in_one_file_are_removed(built_site: Path) -> None:
    """Earlier versions kept the API and search records in one file each (55 MB at 50k)."""
    cache = built_site / ".sitegen-cache"
    stale = [cache / "api-records.marshal", cache / "search-records.marshal"]
    for path in stale:
        path.write_bytes(b"an earlier version's cache")
    _new_day(built_site)
    assert main(["--root", str(built_site), "build"]) == 0
    assert not any(path.exists() for path in stale)
    assert (cache / "api-records-2026-11.marshal").is_file()


@pytest.mark.parametrize("jobs", [[], ["--jobs", "2"]], ids=["one process", "workers"])
def test_files_changed_by_hand_in_public_are_made_again(
    built_site: Path, jobs: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    public = built_site / "public"
    before = tree_bytes(public)
    capsys.readouterr()
    assert main(["--root", str(built_site), "build", *jobs]) == 0
    assert _said_by_hand(capsys.readouterr().out) == []  # nothing changed: nothing said
    (public / "index.html").write_text("edited by hand")
    (public / "topics" / "llm" / "atom.xml").unlink()
    shutil.rmtree(public / "papers")
    assert main(["--root", str(built_site), "build", *jobs]) == 0
    assert tree_bytes(public) == before
    # Said, not in silence (a user's trial edited a page in public/ and saw it put back).
    papers = sum(1 for path in before if path.startswith("papers/"))
    (said,) = _said_by_hand(capsys.readouterr().out)
    assert said.startswith(
        f"  made again {papers + 2} files changed or deleted by hand in {public}: index.html,"
        " papers/"
    )
    assert said.endswith(
        f" and {papers + 2 - 5} more (edit content/, templates/ or static/ instead)"
    )


def test_a_page_edited_by_hand_to_the_size_it_had_is_made_again(
    built_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """docs/building.md: a file changed by hand in public/ is noticed by its size and mtime,
    made again and named: either one differing is a change (a letter changed keeps the size).
    Found by mutation testing: only a file whose size and mtime both differed was made again,
    and the tests edited files only to another size."""
    public = built_site / "public"
    before = tree_bytes(public)
    edited = before["index.html"].replace(b"<html", b"<HTML", 1)
    assert len(edited) == len(before["index.html"]) and edited != before["index.html"]
    (public / "index.html").write_bytes(edited)
    capsys.readouterr()
    assert main(["--root", str(built_site), "build"]) == 0
    assert tree_bytes(public) == before
    (said,) = _said_by_hand(capsys.readouterr().out)
    assert said.strip().startswith("made again 1 file changed or deleted by hand in"), said


def _a_directory_for_a_page(public: Path) -> Path:
    (public / "topics" / "index.html").unlink()
    (public / "topics" / "index.html").mkdir()
    return public / "topics" / "index.html"


def _a_file_for_a_directory(public: Path) -> Path:
    shutil.rmtree(public / "topics" / "llm")
    (public / "topics" / "llm").write_text("mine")
    return public / "topics" / "llm"


def _a_dangling_link_for_a_directory(public: Path) -> Path:
    shutil.rmtree(public / "days")
    (public / "days").symlink_to("/nonexistent")
    return public / "days"


@pytest.mark.parametrize(
    "put", [_a_directory_for_a_page, _a_file_for_a_directory, _a_dangling_link_for_a_directory]
)
def test_what_was_put_where_a_page_was_is_refused_before_anything_changes(
    built_site: Path, put: Callable[[Path], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by a review: the build moved half its pages in, then failed on the directory
    where a page was, after its commit point; and so did every later build, --clean too."""
    public = built_site / "public"
    cold = tree_bytes(public)
    in_the_way = put(public)
    before = tree_bytes(public)
    config = built_site / "site.toml"  # every page changes
    config.write_text(config.read_text().replace('title = "', 'title = "New ', 1))
    assert main(["--root", str(built_site), "build"]) == 2
    err = capsys.readouterr().err
    assert f"{in_the_way}: a directory, link or file was put where" in err
    assert tree_bytes(public) == before and os.path.lexists(in_the_way)  # what was put, kept
    assert not any(p.name.startswith(".public.") for p in built_site.iterdir() if p.is_dir())
    if in_the_way.is_dir() and not in_the_way.is_symlink():
        in_the_way.rmdir()
    else:
        in_the_way.unlink()
    assert main(["--root", str(built_site), "build"]) == 0
    after = tree_bytes(public)
    assert after.keys() == cold.keys() and b"New " in after["index.html"]


@pytest.mark.parametrize(
    "interpreter", ["/nonexistent/python", "/bin/false"], ids=["no child", "a failing child"]
)
def test_files_changed_by_hand_are_seen_without_the_child_that_looks_for_them(
    built_site: Path,
    monkeypatch: pytest.MonkeyPatch,
    interpreter: str,
    cold_bytes: Callable[..., dict[str, bytes]],
) -> None:
    # A child process stats public/ (sitegen.beside); when it cannot, the build does it itself.
    public = built_site / "public"
    (public / "index.html").write_text("edited by hand")
    (public / "topics" / "llm" / "atom.xml").unlink()
    _edited_paper(built_site)
    monkeypatch.setattr(sys, "executable", interpreter)
    assert main(["--root", str(built_site), "build"]) == 0
    after = tree_bytes(public)
    assert after == cold_bytes("edited paper")
    assert b"A title edited by hand" in b"".join(after.values())


@pytest.mark.parametrize("jobs", [[], ["--jobs", "2"]], ids=["one process", "workers"])
def test_a_paper_edited_by_hand_is_noticed(
    built_site: Path, jobs: list[str], cold_bytes: Callable[..., dict[str, bytes]]
) -> None:
    _edited_paper(built_site)
    edited = sorted((built_site / "content" / "papers").glob("*.md"))[7].stem
    assert main(["--root", str(built_site), "build", *jobs]) == 0
    page = built_site / "public" / "papers" / edited / "index.html"
    assert "A title edited by hand" in page.read_text()
    assert tree_bytes(built_site / "public") == cold_bytes("edited paper")


def test_a_build_with_nothing_to_do_touches_nothing_and_sees_the_next_change(
    built_site: Path, cold_bytes: Callable[..., dict[str, bytes]]
) -> None:
    public, record = built_site / "public", built_site / ".public.outputs"
    before, identities = tree_bytes(public), _files(public)
    recorded = (record.stat().st_ino, record.stat().st_mtime_ns)
    assert main(["--root", str(built_site), "build"]) == 0
    assert _files(public) == identities and tree_bytes(public) == before
    assert (record.stat().st_ino, record.stat().st_mtime_ns) == recorded  # not even the record
    (public / "index.html").write_text("edited by hand")
    _edited_paper(built_site)
    assert main(["--root", str(built_site), "build"]) == 0
    assert tree_bytes(public) == cold_bytes("edited paper")


def test_an_emptied_public_directory_is_built_whole(built_site: Path) -> None:
    public = built_site / "public"
    before = tree_bytes(public)
    shutil.rmtree(public)
    public.mkdir()
    assert main(["--root", str(built_site), "build"]) == 0
    assert tree_bytes(public) == before


def test_builds_at_the_same_time_take_turns(
    built_site: Path, cold_bytes: Callable[..., dict[str, bytes]]
) -> None:
    _changed_template(built_site)  # every page to write again: long enough to overlap
    command = [sys.executable, "-m", "sitegen", "--root", str(built_site), "build"]
    runs = [subprocess.Popen(command, stdout=subprocess.DEVNULL) for _ in range(3)]
    assert [run.wait(timeout=120) for run in runs] == [0, 0, 0]
    assert tree_bytes(built_site / "public") == cold_bytes("changed template")


@pytest.mark.parametrize(
    "record",
    [
        b"{not marshal",
        marshal.dumps({"version": 3, "files": {"../evil.txt": ("k", 1, 1)}}),
        marshal.dumps({"version": 3, "files": {"/evil.txt": ("k", 1, 1)}}),
        marshal.dumps({"version": 3, "files": {"index.html": "k"}}),
        marshal.dumps({"version": 3, "files": {"index.html": (1, 2, 3)}}),
        marshal.dumps({"version": 3, "files": ["index.html"]}),
        marshal.dumps({"version": 3, "files": {"index.html": ("k", 1, 1)}})[:-5],
    ],
)
def test_a_damaged_record_means_a_full_build_that_touches_nothing_else(
    built_site: Path, record: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    public = built_site / "public"
    before = tree_bytes(public)
    (built_site / ".public.outputs").write_bytes(record)
    (built_site / "evil.txt").write_text("still here")
    capsys.readouterr()
    assert main(["--root", str(built_site), "build"]) == 0
    assert "a full build" in capsys.readouterr().out
    assert tree_bytes(public) == before
    assert (built_site / "evil.txt").read_text() == "still here"


@pytest.mark.parametrize("in_place", [False, True], ids=["replaced", "in place"])
def test_a_paper_edited_with_its_old_size_and_mtime_is_noticed(
    built_site: Path, tmp_path: Path, in_place: bool
) -> None:
    """An edit with the size and mtime of the old file: saved by renaming a new file over it
    (as editors and `cp -p` do), only its inode tells; written into the file itself (a
    hostile-input trial: built as nothing changed), its ctime, which no one sets."""
    assert main(["--root", str(built_site), "build"]) == 0  # its files' states, as copied
    paper = sorted((built_site / "content" / "papers").glob("*.md"))[7]
    text, old = paper.read_text(), paper.stat()
    page = built_site / "public" / "papers" / paper.stem / "index.html"
    shown = page.read_bytes()
    edited = re.sub(r'(?m)^title = "(.)', lambda m: f'title = "{m[1].swapcase()}', text, count=1)
    assert edited != text and len(edited.encode()) == old.st_size
    if in_place:
        with paper.open("r+") as file:
            file.write(edited)
        os.utime(paper, ns=(old.st_atime_ns, old.st_mtime_ns))
        assert paper.stat().st_ino == old.st_ino
    else:
        replacement = paper.with_suffix(".tmp")
        replacement.write_text(edited)
        os.utime(replacement, ns=(old.st_atime_ns, old.st_mtime_ns))
        replacement.replace(paper)
    rebuilt(built_site, tmp_path)
    assert page.read_bytes() != shown


def test_a_paper_edited_again_within_its_timestamps_tick_is_noticed(
    built_site: Path, tmp_path: Path
) -> None:
    """Where file times tick by the second or two (a Mac's HFS+ disk, a FAT or exFAT stick, a
    network share), a file saved, built and saved again in place with its size within that
    tick has the state the build kept: a trial on a 1-second file system built the first
    edit's upvotes for good. Simulated: the states kept say the second edit's times."""
    paper = sorted((built_site / "content" / "papers").glob("*.md"))[7]
    page = built_site / "public" / "papers" / paper.stem / "index.html"

    def edit(title_start: str) -> None:
        text = paper.read_text()
        edited = re.sub(r'(?m)^title = "(.)', f'title = "{title_start}', text, count=1)
        assert len(edited.encode()) == len(text.encode())
        with paper.open("r+") as file:
            file.write(edited)
        whole = time_ns() // 10**9 * 10**9  # as a file system of 1-second times keeps it
        os.utime(paper, ns=(whole, whole))

    edit("X")
    assert main(["--root", str(built_site), "build"]) == 0  # its state kept, just written
    assert 'title = "X' in paper.read_text() and ">X" in page.read_text()
    edit("Y")
    states = built_site / ".sitegen-cache" / "content-states"
    head, _, body = states.read_bytes().partition(b"\n")
    now = paper.stat()
    name = f"papers/{paper.name}/".encode()
    records = [
        re.sub(rb"^(.*?/.*?/)\d+/\d+/\d+/\d+", rb"\g<1>%d/%d/%d/%d" % (
            now.st_ino, now.st_size, now.st_mtime_ns, now.st_ctime_ns), r)
        if r.startswith(name) else r
        for r in body.split(b"\0")
    ]  # fmt: skip
    body = b"\0".join(records)
    states.write_bytes(b"%s %d\n%s" % (head.split(b" ")[0], zlib.crc32(body), body))
    rebuilt(built_site, tmp_path)
    assert ">Y" in page.read_text()


def test_a_file_of_static_edited_again_within_its_timestamps_tick_is_published(
    built_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As a paper file above: a file of static/ saved, built and saved again in place with its
    size within its tick had the stamp the build kept, and the first edit stayed published.
    Simulated: static/'s files are stated as a FAT stick states them, ctime its mtime."""
    notice = built_site / "static" / "notice.txt"
    notice.parent.mkdir()
    real_stat = os.stat

    def one_second(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        found = real_stat(path, *args, **kwargs)
        if not isinstance(path, os.PathLike) or "static" not in Path(path).parts:
            return found
        whole = found.st_mtime_ns // 10**9 * 10**9
        times = {"st_atime_ns": whole, "st_mtime_ns": whole, "st_ctime_ns": whole}
        return os.stat_result(found[:10], times)

    monkeypatch.setattr(os, "stat", one_second)
    whole = time_ns() // 10**9 * 10**9
    for text in ("notice: A\n", "notice: B\n"):
        with notice.open("r+" if notice.exists() else "w") as file:
            file.write(text)
        os.utime(notice, ns=(whole, whole))
        assert main(["--root", str(built_site), "build"]) == 0
        assert (built_site / "public" / "notice.txt").read_text() == text


def test_files_touched_but_unchanged_write_nothing(built_site: Path) -> None:
    public = built_site / "public"
    identities = _files(public)
    for path in [
        sorted((built_site / "content" / "papers").glob("*.md"))[5],
        max((built_site / "content" / "days").glob("*.toml")),
    ]:
        path.write_bytes(path.read_bytes())  # a new mtime, the same bytes
    assert main(["--root", str(built_site), "build"]) == 0
    assert _files(public) == identities


def test_changes_build_after_build_give_the_bytes_of_a_cold_build(
    built_site: Path, cold_bytes: Callable[..., dict[str, bytes]]
) -> None:
    # Each build below starts from the caches and record the ones before it left; each cold
    # build is of the changes so far, made to a copy of the site as it was (`cold_bytes`).
    changes = [
        "day in the open month",
        "edited paper of the open month",
        "old day names a newest day's paper",
        "new day",
        "edited paper",
        "deleted paper",
        "edited day file",
        "own files added",
        "deleted oldest day",
        "own files edited and removed",
        "own files made folders and files",
    ]
    for number, change in enumerate(changes):
        CHANGES[change](built_site)
        assert main(["--root", str(built_site), "build"]) == 0
        assert tree_bytes(built_site / "public") == cold_bytes(*changes[: number + 1]), change


def test_a_late_days_mark_deleted_by_hand_gives_the_bytes_of_a_cold_build(
    built_site: Path, tmp_path: Path
) -> None:
    """Found by a review: custom feeds chose among their papers by the late days, which their
    key did not hold, and kept the late day's papers after its mark was deleted (seen where
    a feed admits more than [feeds] items papers of its 30 days: 5 here)."""
    config = built_site / "site.toml"
    wide = '\n[[custom_feeds]]\nname = "Models"\nslug = "models"\nmatch = ["model"]\n'
    # A window of 3 days (site.toml's is 4), which the late day's mark is the way into.
    rewrite(
        config,
        lambda t: (
            t.replace("items = 50", "items = 5", 1).replace("\ndays = 4", "\ndays = 3", 1) + wide
        ),
    )

    def cold() -> dict[str, bytes]:
        copy = copy_site(built_site, tmp_path / f"cold-{len(list(tmp_path.iterdir()))}")
        out = copy.parent / (copy.name + "-public")
        assert main(["--root", str(copy), "build", "--clean", "--out", str(out)]) == 0
        return tree_bytes(out)

    def items() -> int:
        return (built_site / "public" / "feeds" / "models" / "rss.xml").read_text().count("<item>")

    assert main(["--root", str(built_site), "build"]) == 0
    before = items()
    _day_that_came_late(built_site)
    assert main(["--root", str(built_site), "build"]) == 0
    assert tree_bytes(built_site / "public") == cold() and items() > before
    day = built_site / "content" / "days" / "2025-10-31.toml"
    rewrite(day, lambda t: t.replace("arrived_after = 2026-03-14\n", ""))
    assert main(["--root", str(built_site), "build"]) == 0
    assert tree_bytes(built_site / "public") == cold() and items() == before


def test_a_directory_among_the_paper_files_is_refused(
    built_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (built_site / "content" / "papers" / "2601.99999.md").mkdir()
    capsys.readouterr()
    assert main(["--root", str(built_site), "build"]) != 0
    error = capsys.readouterr().err
    assert "not a file" in error and "2601.99999.md" in error


@pytest.mark.parametrize("log", ["lost", "of another base"])
def test_a_cache_log_lost_or_of_another_base_gives_the_bytes_of_a_cold_build(
    built_site: Path, tmp_path: Path, log: str
) -> None:
    # The parse and topic caches are a base and a log of the changes since (sitegen.cache
    # LoggedDicts): without its own log, a base is an older save, whose files changed since
    # are read again.
    cache = built_site / ".sitegen-cache"
    _new_day(built_site)
    assert main(["--root", str(built_site), "build"]) == 0
    logs = {path: path.read_bytes() for path in cache.glob("*-log.marshal")}
    assert {path.name for path in logs} == {"parsed-log.marshal", "topics-log.marshal"}
    if log == "lost":
        for path in logs:
            path.unlink()
    else:  # a build killed after it wrote a new base, before it removed the old log
        assert main(["--root", str(built_site), "build", "--clean"]) == 0
        for path, data in logs.items():
            path.write_bytes(data)
    _edited_paper(built_site)
    _deleted_oldest_day(built_site)
    rebuilt(built_site, tmp_path)


# Appended to markdown-it's main module by the made-up release below: paragraphs it renders
# carry a mark (an abstract with markup is rendered by markdown-it; see sitegen.pages).
_OTHER_RENDERING = """
_released_render = MarkdownIt.render
MarkdownIt.render = lambda self, src, env=None: _released_render(self, src, env).replace(
    "<p>", '<p data-release="99">'
)
"""


def _markdown_it_release(directory: Path) -> None:
    """A release of markdown-it-py that renders paragraphs otherwise, in `directory` as pip
    leaves a distribution (its package and its dist-info), to be put first on PYTHONPATH."""
    import markdown_it

    package = Path(markdown_it.__file__).parent
    shutil.copytree(package, directory / "markdown_it", ignore=shutil.ignore_patterns("*.pyc"))
    with (directory / "markdown_it" / "main.py").open("a", encoding="utf-8") as module:
        module.write(_OTHER_RENDERING)
    info = directory / "markdown_it_py-99.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: markdown-it-py\nVersion: 99.0\n")


def test_a_new_release_of_a_library_it_renders_with_renders_every_page_again(
    built_site: Path, tmp_path: Path
) -> None:
    """Found by a review of the scheduled workflow, which installs the newest releases on each
    run and keeps the last build: a release that renders otherwise left every page the new day
    did not change as the old release made it, for good."""
    release = tmp_path / "release"
    _markdown_it_release(release)
    env = {**os.environ, "PYTHONPATH": str(release)}
    cold = tmp_path / "cold"
    for args in (["build"], ["build", "--clean", "--out", str(cold)]):
        build = subprocess.run(
            [sys.executable, "-m", "sitegen", "--root", str(built_site), *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert build.returncode == 0, build.stderr
    made = tree_bytes(cold)
    assert any(b'<p data-release="99">' in data for data in made.values()), "rendered otherwise"
    assert tree_bytes(built_site / "public") == made


def test_a_feed_is_dated_by_its_newest_days_end_once_that_day_was_had_whole(
    built_site: Path,
) -> None:
    """A feed review: the rest of a day comes with the next morning's run, dated by that day,
    so the feed's own time (Atom's updated, RSS's lastBuildDate) did not move, and readers
    that go by it (Brief) skipped the feed. Once a fetch had the day whole it is the day's
    end: never after the run that had it, as no run has a day whole before it ends."""
    newest_day = date.fromisoformat(max((built_site / "content" / "days").glob("*.toml")).stem)
    start = datetime.combine(newest_day, time(0), tzinfo=UTC)
    public = built_site / "public"
    feeds = [
        public / "atom.xml",
        public / "rss.xml",
        public / "days" / str(newest_day) / "atom.xml",
    ]

    def newest_item_and_feed_time(feed: Path) -> tuple[datetime, datetime]:
        parsed = feedparser.parse(feed.read_bytes())
        newest = max(calendar.timegm(item_time(e)) for e in parsed.entries)
        return (
            datetime.fromtimestamp(newest, UTC),
            datetime.fromtimestamp(calendar.timegm(parsed.feed.updated_parsed), UTC),
        )

    assert [newest_item_and_feed_time(f) for f in feeds] == [(start, start)] * len(feeds)
    _newest_day_had_whole(built_site)
    assert main(["--root", str(built_site), "build"]) == 0
    end = start + timedelta(days=1)
    assert [newest_item_and_feed_time(f) for f in feeds] == [(start, end)] * len(feeds)
    # The next day had whole: content/fetch-state.json keeps its mark alone, and the day's
    # own feed keeps its end (found by a review: it went back to the day's start).
    _new_day(built_site)
    _newest_day_had_whole(built_site)
    rebuilt(built_site, built_site.parent)
    assert newest_item_and_feed_time(feeds[-1]) == (start, end)


def _said_by_hand(out: str) -> list[str]:
    return [line for line in out.splitlines() if "by hand" in line]


def test_a_page_edited_by_hand_while_serving_is_named_when_a_rebuild_puts_it_back(
    built_site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The user's trial the note was made for (a page of public/ edited, put back in silence),
    under `sitegen serve`, the preview a new user runs: its rebuild line is its own, without
    say_built's note, so the next rebuild puts index.html back in silence still. It should say
    `made again 1 file changed or deleted by hand in public: index.html (...)`, as a build
    does (docs/building.md: "made again, and named in a note")."""
    public = built_site / "public"
    preview = serve._Preview(built_site, public, lambda: load_config(built_site))
    monkeypatch.setattr(preview, "_index_in_background", lambda report: None)
    (public / "index.html").write_text("edited by hand")
    paper = sorted((built_site / "content" / "papers").glob("*.md"))[0]
    rewrite(paper, lambda text: text.replace("upvotes = ", "upvotes = 1", 1))
    capsys.readouterr()
    outcome = preview.rebuild((paper,))
    assert outcome.failure is None
    outcome.say()
    assert b"edited by hand" not in (public / "index.html").read_bytes()
    said = _said_by_hand(capsys.readouterr().out)
    assert said and said[0].strip().startswith("made again 1 file changed or deleted by hand in"), (
        said
    )


@pytest.mark.parametrize("how", ["copied as cp -r does", "touched"])
def test_files_of_public_whose_bytes_no_one_changed_are_not_said_changed_by_hand(
    built_site: Path, tmp_path: Path, how: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A site folder copied without its files' times (`cp -r site site-copy`, scp -r, an
    unzip), or a file of public/ touched: the build said `made again 813 files changed or
    deleted by hand in public: 404.html, ... (edit content/, ... instead)` (or 1 file,
    index.html, written 0), files no one changed, whose bytes it wrote none of. It should
    name only the files it found changed or missing, by their bytes, not their mtime."""
    site = built_site
    if how == "touched":
        os.utime(site / "public" / "index.html")
    else:
        site = tmp_path / "copy"
        shutil.copytree(built_site, site, symlinks=True, copy_function=shutil.copy)
    before = tree_bytes(site / "public")
    capsys.readouterr()
    assert main(["--root", str(site), "build"]) == 0
    assert tree_bytes(site / "public") == before
    assert _said_by_hand(capsys.readouterr().out) == []


def test_a_build_after_a_clean_build_interrupted_says_no_file_was_changed_by_hand(
    built_site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`sitegen build --clean` stopped by Ctrl-C as it swaps the new site in (its record then
    lists the last site's files as unknown, ("", -1, -1)): the next build said every file of
    the site was `changed or deleted by hand`, when no one touched public/ (docs/building.md:
    a build killed at any moment leaves the previous site or the new one). It should name
    none: a file the record does not know is not one changed by hand."""

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:
        patched.setattr(publish, "_swap", interrupted)
        assert main(["--root", str(built_site), "build", "--clean"]) == 130
    capsys.readouterr()
    assert main(["--root", str(built_site), "build"]) == 0
    assert _said_by_hand(capsys.readouterr().out) == []
