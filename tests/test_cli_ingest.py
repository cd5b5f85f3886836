"""`sitegen ingest` end to end: from listings on disk to committed content files."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from contextlib import chdir
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from sitegen.cli import main
from sitegen.listings import parse_listing
from sitegen.model import title_key
from sitegen.store import load_content
from tests.conftest import REPO, sitegen_here, tree_bytes, write_text_listing


def _notes(capsys: pytest.CaptureFixture[str]) -> list[str]:
    """The notes a command said on stderr since the last capture."""
    return [line for line in capsys.readouterr().err.splitlines() if "note:" in line]


def test_the_bundled_content_is_what_ingesting_the_bundled_listings_gives(site: Path) -> None:
    listings = sorted((REPO / "content" / "listings").iterdir())
    assert main(["--root", str(site), "ingest", *map(str, listings)]) == 0
    built = {k: v for k, v in tree_bytes(site / "content").items()}
    committed = tree_bytes(REPO / "content")
    assert built == committed, "run `sitegen ingest content/listings/*` and commit"


def test_a_folder_of_listings_is_taken_as_its_files(site: Path, tmp_path: Path) -> None:
    """`sitegen ingest ~/captures`: every listing directly in it; a hidden file (an editor's
    swap file, .DS_Store) and a subfolder are not listings and are left."""
    folder = tmp_path / "captures"
    shutil.copytree(REPO / "content" / "listings", folder)
    (folder / ".DS_Store").write_bytes(b"\0\1")
    (folder / "old").mkdir()
    (folder / "old" / "notes.txt").write_text("not a listing\n")
    assert main(["--root", str(site), "ingest", str(folder)]) == 0
    assert tree_bytes(site / "content") == tree_bytes(REPO / "content")


def test_a_folder_holding_something_else_is_refused_by_that_files_name_and_writes_nothing(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "captures"
    shutil.copytree(REPO / "content" / "listings", folder)
    (folder / "zz-notes.md").write_text("what I read today\n")
    assert main(["--root", str(site), "ingest", str(folder)]) == 2
    (error, hint) = capsys.readouterr().err.splitlines()
    assert error.startswith(
        f"sitegen: error: {folder / 'zz-notes.md'}:1: not a Daily Papers listing"
    )
    assert hint.startswith("  hint: ")
    assert not (site / "content").exists()
    assert main(["--root", str(site), "ingest", str(REPO / "content")]) == 2  # meant listings/
    assert capsys.readouterr().err == (
        f"sitegen: error: {REPO / 'content'}: a site's content folder, not a folder of listings\n"
        f"  hint: give {REPO / 'content' / 'listings'}, where its listings are kept\n"
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["--root", str(site), "ingest", str(empty)]) == 2
    assert capsys.readouterr().err == (
        f"sitegen: error: {empty}: a folder without listings in it\n"
        "  hint: give listing files (.txt, .json, .html), or a folder holding them\n"
    )


def test_a_listing_without_papers_writes_nothing_as_a_fetch_of_its_day_would(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A new user's trial: a weekend's API answer (`[]`) made an empty day file and a kept
    listing, and the day the store's newest."""
    weekend = tmp_path / "2026-06-13.json"
    weekend.write_text("[]\n")
    friday = REPO / "content" / "listings" / "2026-06-12.json"
    assert main(["--root", str(site), "ingest", str(friday), str(weekend)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("ingested 2 listings of 2026-06-12 and 2026-06-13, 30 entries")
    assert err == f"{weekend}: note: no papers in it: nothing of it was written\n"
    assert [p.name for p in (site / "content" / "days").iterdir()] == ["2026-06-12.toml"]
    assert [p.name for p in (site / "content" / "listings").iterdir()] == ["2026-06-12.json"]
    assert main(["--root", str(site), "ingest", str(weekend)]) == 0
    assert "0 files written" in capsys.readouterr().out


def test_ingesting_twice_changes_no_byte(site: Path, seed_files: list[Path]) -> None:
    (day_less,) = [p for p in seed_files if p.name == "2026-11-22.txt"]
    assert main(["--root", str(site), "ingest", *map(str, seed_files)]) == 0
    # The content store and the settings; .sitegen-cache/ is a derived, ignored speed-up.
    before = {**tree_bytes(site / "content"), "site.toml": (site / "site.toml").read_bytes()}
    assert main(["--root", str(site), "ingest", *map(str, seed_files)]) == 0
    assert main(["--root", str(site), "ingest", "--date", "2026-11-22", str(day_less)]) == 0
    assert {
        **tree_bytes(site / "content"),
        "site.toml": (site / "site.toml").read_bytes(),
    } == before
    kept = sorted(p.name for p in (site / "content" / "listings").iterdir())
    assert kept == sorted(p.name for p in seed_files)


def test_a_day_edited_by_hand_stays_so_when_its_listings_are_ingested_again(site: Path) -> None:
    shutil.copytree(REPO / "content", site / "content")
    day = site / "content" / "days" / "2026-06-12.toml"
    lines = day.read_text().splitlines(keepends=True)
    (taken_off,) = [line for line in lines if 'id = "2606.12730"' in line]
    counted = [(line, m[1]) for line in lines if (m := re.search(r"upvotes = ([1-9]\d*)", line))]
    lowered, count = next((line, n) for line, n in counted if line != taken_off)
    edited = "".join(
        line.replace(f"upvotes = {count}", "upvotes = 0") if line == lowered else line
        for line in lines
        if line != taken_off
    )
    day.write_text(edited)
    listings = sorted((site / "content" / "listings").iterdir())
    before = tree_bytes(site / "content")
    assert main(["--root", str(site), "ingest", *map(str, listings)]) == 0
    assert tree_bytes(site / "content") == before

    # A paper file deleted too stays deleted; one the day still lists stops the ingest (made
    # again from a listing, another paper of its title could take its place: tests/
    # test_deleted_files.py), naming the entry left.
    papers = site / "content" / "papers"
    (papers / "2606.12730.md").unlink()
    assert main(["--root", str(site), "ingest", *map(str, listings)]) == 0
    assert not (papers / "2606.12730.md").exists() and day.read_text() == edited
    (papers / "2606.12282.md").unlink()
    before = tree_bytes(site / "content")
    refused = sitegen_here("--root", str(site), "ingest", *map(str, listings))
    assert refused.returncode == 2
    assert "no paper has the id '2606.12282'" in refused.stderr.splitlines()[0]
    assert tree_bytes(site / "content") == before


def test_a_paper_taken_off_a_day_by_hand_and_put_back_by_a_new_listing_is_said(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by a review: a new listing of the day (a fetch of a day still filling) put the
    entry back in silence; [content] hidden is what keeps a paper off."""
    shutil.copytree(REPO / "content", site / "content")
    day = site / "content" / "days" / "2026-06-12.toml"
    lines = day.read_text().splitlines(keepends=True)
    day.write_text("".join(line for line in lines if "2606.12730" not in line))
    answer = json.loads((site / "content" / "listings" / "2026-06-12.json").read_bytes())
    again = tmp_path / "2026-06-12.json"

    def later_answer() -> None:  # the same papers, a count raised: a new listing of the day
        answer[0]["paper"]["upvotes"] += 1
        again.write_text(json.dumps(answer))

    later_answer()
    capsys.readouterr()
    assert main(["--root", str(site), "ingest", str(again)]) == 0
    assert 'id = "2606.12730"' in day.read_text()
    err = capsys.readouterr().err
    assert (
        "sitegen: note: 2026-06-12's listing put 2606.12730 on content/days/2026-06-12.toml" in err
    )
    assert "[content] hidden" in err and err.count("sitegen: note:") == 1
    later_answer()  # the paper on its day now: nothing to say
    assert main(["--root", str(site), "ingest", str(again)]) == 0
    assert "note" not in capsys.readouterr().err


def test_a_title_the_source_corrected_is_said_once_and_the_files_kept(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by a subscriber's trial: the next morning's answer fixed a typo in a title, and
    the fix was dropped in silence (a paper file's title is never replaced: it may be a hand
    edit). Now it is said, with what to edit, by each new listing that titles it so (a day
    has one or two: the morning's while it fills, the next morning's), not by a replay."""
    shutil.copytree(REPO / "content", site / "content")
    kept = site / "content" / "listings" / "2026-06-12.json"
    answer = json.loads(kept.read_text())
    title = answer[0]["paper"]["title"]
    answer[0]["title"] = answer[0]["paper"]["title"] = title.replace("Limits", "Bounds")
    fixed = tmp_path / "2026-06-12.json"
    fixed.write_text(json.dumps(answer))
    paper = site / "content" / "papers" / "2606.00467.md"
    before = paper.read_bytes()
    capsys.readouterr()
    assert main(["--root", str(site), "ingest", str(fixed)]) == 0
    notes = _notes(capsys)
    assert notes == [
        "sitegen: note: 2026-06-12's listing titles 2606.00467 'On the Bounds of LLM"
        " Adaptability: Impact of Model-Internalized Priors on Annotation Task Performance', its"
        " file 'On the Limits of LLM Adaptability: Impact of Model-Internalized Priors on"
        " Annotation Task Performance': the file's is kept; to take the listing's (a correction"
        " of the source's), edit the title in content/papers/2606.00467.md"
    ]
    assert paper.read_bytes() == before
    # Replayed from content/listings/ (`sitegen ingest content/listings/*`): said already.
    replay = sorted((site / "content" / "listings").glob("2026-06-12*.json"))
    assert len(replay) == 2
    assert main(["--root", str(site), "ingest", *map(str, replay)]) == 0
    assert "note" not in capsys.readouterr().err


def test_a_day_file_deleted_and_ingested_again_is_one_note(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A fork owner's trial: a day file deleted, its listing ingested again, said a note for
    each of its papers put back on it (270 lines)."""
    shutil.copytree(REPO / "content", site / "content")
    (site / "content" / "days" / "2026-06-12.toml").unlink()
    again = tmp_path / "2026-06-12.json"
    again.write_bytes((site / "content" / "listings" / "2026-06-12.json").read_bytes() + b"\n")
    capsys.readouterr()
    assert main(["--root", str(site), "ingest", str(again)]) == 0
    notes = _notes(capsys)
    assert len(notes) == 1, notes
    assert "2026-06-12's listing put 30 papers on no day (2606." in notes[0]
    assert "and 28 more) on content/days/2026-06-12.toml" in notes[0]


def test_a_replay_after_a_kept_listing_was_renamed_says_it_takes_it_as_new(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by a review: a kept listing renamed by hand was kept again as a new listing of
    its day by the README's replay, and put back what was taken off the day, in silence."""
    shutil.copytree(REPO / "content", site / "content")
    listings = site / "content" / "listings"
    (listings / "2026-11-22.txt").rename(listings / "2026-11-22-capture.txt")
    capsys.readouterr()
    assert main(["--root", str(site), "ingest", *map(str, sorted(listings.iterdir()))]) == 0
    notes = [line for line in capsys.readouterr().err.splitlines() if ": note: " in line]
    assert notes == [
        f"{listings / '2026-11-22-capture.txt'}: note: 2026-11-22's day file names"
        " listings/2026-11-22.txt, which is gone: this listing is taken as a new one of the"
        " day, and puts back any paper it lists that was taken off the day"
    ]


def test_an_arxiv_id_or_a_title_corrected_by_hand_is_still_the_same_paper(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(REPO / "content", site / "content")
    content = site / "content"

    def edit(path: Path, old: str, new: str) -> None:
        text = path.read_text()
        assert old in text
        path.write_text(text.replace(old, new))

    # The arXiv id of a paper named after it, and a title in its file and its day's entry too.
    edit(content / "papers" / "2606.12282.md", 'arxiv_id = "2606.12282"', 'arxiv_id = "2606.12283"')
    retitled = content / "papers" / "the-consciousness-prior-6e03d686.md"
    edit(retitled, 'title = "The Consciousness Prior"', 'title = "The Consciousness Prior, again"')
    edit(
        content / "days" / "2025-10-31.toml",
        'title = "The Consciousness Prior"',
        'title = "The Consciousness Prior, again"',
    )
    before = tree_bytes(content)
    listings = sorted((content / "listings").iterdir())
    assert main(["--root", str(site), "ingest", *map(str, listings)]) == 0
    assert tree_bytes(content) == before
    assert "0 new papers" in capsys.readouterr().out


def test_ingest_says_as_many_new_papers_as_the_paper_files_it_adds(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The summary's count of new papers is the papers the listing brought that the store did
    not hold: a paper a day listed before is not new again. Found by mutation testing: any count
    passed, as only "0 new papers" was checked."""
    papers = site / "content" / "papers"
    said = []
    for listing in sorted((REPO / "content" / "listings").iterdir()):
        before = set(papers.glob("*.md"))
        assert main(["--root", str(site), "ingest", str(listing)]) == 0
        found = re.search(r"(\d+) entries: (\d+) new papers?,", capsys.readouterr().out)
        assert found, listing.name
        entries, new = int(found[1]), int(found[2])
        assert new == len(set(papers.glob("*.md")) - before), listing.name
        said.append((entries, new))
    assert any(0 < new < entries for entries, new in said)  # some papers were listed before


def _answer(entries: list[dict[str, object]], path: Path) -> Path:
    path.write_text(json.dumps(entries))
    return path


def test_titles_apart_by_a_plus_or_a_hash_are_two_papers(site: Path, tmp_path: Path) -> None:
    """A review: a capture's "Fuzzing C++ Compilers with LLMs" took the next day's API paper
    "Fuzzing C# Compilers with LLMs" for itself, its arXiv id, authors and count with it."""
    capture = write_text_listing(
        tmp_path / "2026-06-10.txt",
        date(2026, 6, 10),
        [("Fuzzing C++ Compilers with LLMs", "An abstract of C++.", date(2026, 6, 9), 12)],
    )
    real = json.loads((REPO / "content" / "listings" / "2026-06-12.json").read_text())
    entry = real[0]
    entry["title"] = entry["paper"]["title"] = "Fuzzing C# Compilers with LLMs"
    assert main(["--root", str(site), "ingest", str(capture)]) == 0
    assert (
        main(["--root", str(site), "ingest", str(_answer([entry], tmp_path / "2026-06-12.json"))])
        == 0
    )
    titles = sorted(paper.title for paper in load_content(site).papers.values())
    assert titles == ["Fuzzing C# Compilers with LLMs", "Fuzzing C++ Compilers with LLMs"]
    # The title's key is the same however it is written, in ASCII or not.
    assert title_key("Fuzzing  c++ compilers, with LLMs!") == title_key(titles[1])
    assert title_key("Füzzing C# Compilers") == "füzzingc#compilers"
    # A paper without an arXiv id keeps the id sitegen gave it before (its URL, its feed items'
    # ids), as a replay of the listings gives it (a review: the digest moved with the key).
    (made,) = [p for p in (site / "content" / "papers").glob("*.md") if "C++" in p.read_text()]
    assert made.stem == "fuzzing-c-compilers-with-llms-e0a0c30b"
    # Both without an arXiv id: two ids, though their slugs are alike, each found again.
    sharp = write_text_listing(
        tmp_path / "2026-06-13.txt",
        date(2026, 6, 13),
        [("Fuzzing C# Compilers with LLMs", "An abstract of C#.", date(2026, 6, 9), 3)],
    )
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(site / "site.toml", other / "site.toml")
    for _ in range(2):
        assert main(["--root", str(other), "ingest", str(capture), str(sharp)]) == 0
    ids = sorted(p.stem for p in (other / "content" / "papers").glob("*.md"))
    assert len(ids) == 2 and "fuzzing-c-compilers-with-llms-e0a0c30b" in ids, ids
    # A "+" corrected by hand into a title is still that paper when its listed title comes
    # again (a review: it made a second paper).
    third = tmp_path / "third"
    third.mkdir()
    shutil.copy(site / "site.toml", third / "site.toml")
    plain = [("Fuzzing C Compilers with LLMs", "An abstract.", date(2026, 6, 9), 12)]
    day = write_text_listing(tmp_path / "2026-06-10.txt", date(2026, 6, 10), plain)
    assert main(["--root", str(third), "ingest", str(day)]) == 0
    (paper,) = (third / "content" / "papers").glob("*.md")
    paper.write_text(paper.read_text().replace("Fuzzing C Compilers", "Fuzzing C++ Compilers"))
    later = write_text_listing(tmp_path / "2026-06-11.txt", date(2026, 6, 11), plain)
    assert main(["--root", str(third), "ingest", str(later)]) == 0
    assert list((third / "content" / "papers").glob("*.md")) == [paper]
    # Sixteen titles apart by their "+" alone: as many papers (a review: the sixteenth found
    # every length of their shared digest taken, a traceback).
    pluses = [  # the title without "+" last: the exact tier is its too (a review)
        (f"Fuzzing C{'+' * n} Compilers", "An abstract.", date(2026, 3, 2), 1)
        for n in (*range(1, 16), 0)
    ]
    many = write_text_listing(tmp_path / "2026-03-03.txt", date(2026, 3, 3), pluses)
    assert main(["--root", str(other), "ingest", str(many)]) == 0
    made = [p.name for p in (other / "content" / "papers").iterdir()]
    assert sum(1 for n in made if re.fullmatch(r"fuzzing-c-compilers-[0-9a-f]+\.md", n)) == 16


def test_papers_sharing_a_title_or_an_old_id_are_not_merged(site: Path) -> None:
    """Found by a review of the mend above: two arXiv ids are two papers, whatever else they
    share, unless the paper's file is named after the listed id (its listing made it)."""
    real = json.loads((REPO / "content" / "listings" / "2026-06-12.json").read_text())
    first = json.loads(json.dumps(real[:3]))
    first[0]["title"] = first[0]["paper"]["title"] = "Technical Report"
    other = json.loads(json.dumps(real[3]))
    other["title"] = other["paper"]["title"] = "Technical Report"
    ingest = ["--root", str(site), "ingest"]
    assert main([*ingest, str(_answer(first, site / "2026-06-12.json"))]) == 0
    # The same title on the same day, from a later answer of it: another paper.
    assert main([*ingest, str(_answer([*first, other], site / "2026-06-12.json"))]) == 0
    papers = load_content(site).papers
    assert {first[0]["paper"]["id"], other["paper"]["id"]} <= papers.keys()
    assert papers[first[0]["paper"]["id"]].upvotes == first[0]["paper"]["upvotes"]

    # An id corrected by hand, whose old id then comes with another paper: another paper.
    corrected = site / "content" / "papers" / f"{real[1]['paper']['id']}.md"
    corrected.write_text(corrected.read_text().replace(real[1]["paper"]["id"], "2606.99999", 1))
    newcomer = json.loads(json.dumps(real[7]))
    newcomer["paper"]["id"] = real[1]["paper"]["id"]
    newcomer["paper"]["submittedOnDailyAt"] = "2026-06-13T00:00:00.000Z"
    assert main([*ingest, str(_answer([newcomer], site / "2026-06-13.json"))]) == 0
    day = (site / "content" / "days" / "2026-06-13.toml").read_text()
    (listed,) = load_content(site).days[date(2026, 6, 13)].entries
    assert listed.paper_id != real[1]["paper"]["id"], day
    assert load_content(site).papers[listed.paper_id].title == newcomer["title"]


def test_a_new_listing_of_a_day_whose_kept_listing_was_deleted_is_merged(site: Path) -> None:
    """Its name is free on disk but the day names it as a source: not taken for a known one."""
    real = json.loads((REPO / "content" / "listings" / "2026-06-12.json").read_text())
    ingest = ["--root", str(site), "ingest"]
    assert main([*ingest, str(_answer(real[:3], site / "2026-06-12.json"))]) == 0
    (site / "content" / "listings" / "2026-06-12.json").unlink()
    assert main([*ingest, str(_answer(real[:6], site / "2026-06-12.json"))]) == 0
    assert len(load_content(site).days[date(2026, 6, 12)].entries) == 6
    kept = sorted(p.name for p in (site / "content" / "listings").iterdir())
    assert kept == ["2026-06-12-2.json"]


def test_an_arxiv_id_with_its_version_is_refused_with_its_line(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(REPO / "content", site / "content")
    paper = site / "content" / "papers" / "2606.12282.md"
    paper.write_text(paper.read_text().replace('"2606.12282"', '"hep-th/9901001"'))
    assert (
        main(
            ["--root", str(site), "ingest", str(REPO / "content" / "listings" / "2026-06-12.json")]
        )
        == 0
    ), "an old-style id is an id"
    paper.write_text(paper.read_text().replace('"hep-th/9901001"', '"2606.12282v2"'))
    line = paper.read_text().splitlines().index('arxiv_id = "2606.12282v2"') + 1
    assert main(["--root", str(site), "build"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        f"sitegen: error: content/papers/2606.12282.md:{line}: `arxiv_id` must be an arXiv id"
    )
    assert 'arxiv_id = "2606.12282"' in err and "Traceback" not in err


def test_a_day_answered_again_replays_in_the_order_its_answers_came(
    site: Path, tmp_path: Path
) -> None:
    """The scheduled run asks for the last day again: its second answer was kept under a name
    (a digest) that the shell lists before the first one's, so replaying content/listings/*
    gave the day another order; and ingesting the first answer again reordered the day."""
    answer = json.loads((REPO / "content" / "listings" / "2026-06-12.json").read_bytes())
    first, second, third = (tmp_path / n for n in ("a", "b", "c"))
    first.write_text(json.dumps(answer[1:20]))  # early: fewer papers
    second.write_text(json.dumps(answer[::-1]))  # later: every paper, another order
    third.write_text(json.dumps(answer[5:]))  # later still
    for listing in (first, second, third):
        assert main(["--root", str(site), "ingest", "--date", "2026-06-12", str(listing)]) == 0
    kept = sorted(p.name for p in (site / "content" / "listings").iterdir())
    assert kept == ["2026-06-12-2.json", "2026-06-12-3.json", "2026-06-12.json"]
    day = load_content(site).days[date(2026, 6, 12)]
    order = [e.paper_id for e in day.entries]
    assert len(order) == 30 and order[:25] == [p["paper"]["id"] for p in answer[5:]]
    content = tree_bytes(site / "content")
    assert main(["--root", str(site), "ingest", str(first)]) == 0  # an old answer, again
    assert tree_bytes(site / "content") == content
    replayed = tmp_path / "replayed"
    replayed.mkdir()
    shutil.copy(site / "site.toml", replayed / "site.toml")
    shell_order = sorted(map(str, (site / "content" / "listings").iterdir()))
    assert main(["--root", str(replayed), "ingest", *shell_order]) == 0
    assert tree_bytes(replayed / "content") == content


def test_a_replay_keeps_each_kept_listing_though_two_read_the_same(
    site: Path, tmp_path: Path
) -> None:
    """Found by a review: a store whose day took two answers that differ only in a comment
    count (as fetches kept them before a5dcb09) replayed with one source: the second was taken
    for the first. Neither fetch nor ingest keeps such a listing now (it is the one the day
    has: see the next test); a replay keeps each listing the store kept."""
    answer = json.loads((REPO / "content" / "listings" / "2026-06-12.json").read_bytes())
    first = tmp_path / "a.json"
    first.write_text(json.dumps(answer))
    assert main(["--root", str(site), "ingest", "--date", "2026-06-12", str(first)]) == 0
    answer[0]["numComments"] += 1
    listings = site / "content" / "listings"
    (listings / "2026-06-12-2.json").write_text(json.dumps(answer))
    day = site / "content" / "days" / "2026-06-12.toml"
    one = 'sources = ["listings/2026-06-12.json"]'
    assert one in day.read_text()
    day.write_text(day.read_text().replace(one, one[:-1] + ', "listings/2026-06-12-2.json"]'))
    before = tree_bytes(site / "content")
    # Into a new site (a review: the second was taken for the first there), and in place.
    replayed = tmp_path / "replayed"
    replayed.mkdir()
    shutil.copy(site / "site.toml", replayed / "site.toml")
    kept = sorted(map(str, listings.iterdir()))
    assert main(["--root", str(replayed), "ingest", *kept]) == 0
    assert tree_bytes(replayed / "content") == before
    for kind in ("days", "papers"):
        shutil.rmtree(site / "content" / kind)
    assert main(["--root", str(site), "ingest", *kept]) == 0
    assert tree_bytes(site / "content") == before


def test_a_copy_of_a_listing_saved_again_is_the_one_the_day_has_and_undoes_no_edit(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A new user's trial: the day's listing saved again reindented (the saved answer of a
    day fetched before, say) was taken as a new listing, which put back a paper taken off the
    day by hand and raised a count lowered by hand, and was kept beside the first."""
    shutil.copytree(REPO / "content", site / "content")
    kept = site / "content" / "listings" / "2026-06-12.json"
    day = site / "content" / "days" / "2026-06-12.toml"
    lines = day.read_text().splitlines(keepends=True)
    day.write_text("".join(lines[:3] + lines[4:]).replace("upvotes = 103 }", "upvotes = 1 }"))
    assert day.read_text() != "".join(lines)
    copy = tmp_path / "2026-06-12.json"
    copy.write_text(json.dumps(json.loads(kept.read_bytes()), indent=4))
    before = tree_bytes(site / "content")
    capsys.readouterr()
    assert main(["--root", str(site), "ingest", str(copy)]) == 0
    out, err = capsys.readouterr()
    assert tree_bytes(site / "content") == before and "0 files written" in out
    assert err == (
        f"{copy}: note: it reads the same as listings/2026-06-12.json, which 2026-06-12 has"
        " taken: nothing new\n"
    )
    # Named as the day's next kept listing would be, but not from a store's listings/ (a
    # review: taken for a replay, it put the paper back).
    for folder in ("copies", "listings"):  # a folder of the user's named so too (a review)
        (tmp_path / folder).mkdir()
        named = copy.rename(tmp_path / folder / "2026-06-12-2.json")
        assert main(["--root", str(site), "ingest", str(named)]) == 0
        assert tree_bytes(site / "content") == before and "nothing new" in capsys.readouterr().err
        copy = named


def test_an_abstract_whose_paragraphs_were_joined_by_hand_stays_so(
    site: Path, tmp_path: Path
) -> None:
    """A review: ingesting the same listing again, or a new one of the day (a fetch while it
    fills), split a hand-joined abstract into its listed paragraphs again. A text capture's
    abstract takes the paragraphs of the API answer that brings its arXiv id: see
    test_an_api_answer_gives_a_text_capture_s_abstract_its_paragraphs."""
    shutil.copytree(REPO / "content", site / "content")
    papers = sorted((site / "content" / "papers").glob("2606.*.md"))
    paper = next(p for p in papers if "\n\n" in p.read_text().rpartition("+++\n")[2].strip())
    head, _, abstract = paper.read_text().rpartition("+++\n")
    joined = f"{head}+++\n{' '.join(abstract.split())}\n"
    paper.write_text(joined)
    before = tree_bytes(site / "content")
    listings = sorted((site / "content" / "listings").iterdir())
    assert main(["--root", str(site), "ingest", *map(str, listings)]) == 0
    assert tree_bytes(site / "content") == before
    answer = json.loads((site / "content" / "listings" / "2026-06-12.json").read_bytes())
    for entry in answer:
        entry["paper"]["upvotes"] += 1
    assert (
        main(["--root", str(site), "ingest", str(_answer(answer, tmp_path / "2026-06-12.json"))])
        == 0
    )
    assert paper.read_text().rpartition("+++\n")[2] == joined.rpartition("+++\n")[2]


def test_a_day_kept_as_text_then_json_and_under_old_names_replays_in_the_order_it_came(
    site: Path, tmp_path: Path
) -> None:
    """Found by a review: a day's text capture and its API answer were both kept as its first
    listing (the shell lists .json before .txt), and names of sitegen 0.2 with a digest sorted
    before the first one's: replays merged them backwards."""
    answer = json.loads((REPO / "content" / "listings" / "2026-06-12.json").read_bytes())
    capture = tmp_path / "2026-06-12.txt"  # the day's first ten, as a bare text capture
    capture.write_text(
        "new\n\nSubscribe\n\nDaily Papers\n\nJun 12\n\n"
        + "".join(f"{e['title']}\n\n{e['summary']}\n\n" for e in answer[:10][::-1])
    )
    later = tmp_path / "later.json"
    later.write_text(json.dumps(answer))
    assert main(["--root", str(site), "ingest", str(capture)]) == 0
    assert main(["--root", str(site), "ingest", "--date", "2026-06-12", str(later)]) == 0
    listings = site / "content" / "listings"
    assert sorted(p.name for p in listings.iterdir()) == ["2026-06-12-2.json", "2026-06-12.txt"]
    content = tree_bytes(site / "content")

    def replayed(names: dict[str, Path]) -> dict[str, bytes]:
        root = tmp_path / f"replay-{len(list(tmp_path.iterdir()))}"
        (root / "given").mkdir(parents=True)
        shutil.copy(site / "site.toml", root / "site.toml")
        for name, source in names.items():
            shutil.copy(source, root / "given" / name)
        given = sorted(map(str, (root / "given").iterdir()))  # as the shell lists them
        assert main(["--root", str(root), "ingest", *given]) == 0
        return {k: v for k, v in tree_bytes(root / "content").items() if "listings" not in k}

    wanted = {k: v for k, v in content.items() if "listings" not in k}
    assert replayed({p.name: p for p in listings.iterdir()}) == wanted
    # As sitegen 0.2 kept them: the second under a digest of its bytes.
    old = {"2026-06-12.txt": capture, "2026-06-12-0123abcd.json": later}
    assert replayed(old) == wanted


def test_a_capture_without_a_day_is_kept_under_its_day(
    site: Path, seed_files: list[Path], tmp_path: Path
) -> None:
    capture = tmp_path / "capture.txt"
    capture.write_bytes(seed_files[0].read_bytes())  # the 2026-01-08 listing, day from its text
    assert main(["--root", str(site), "ingest", str(capture)]) == 0
    assert (site / "content" / "listings" / "2026-01-08.txt").read_bytes() == capture.read_bytes()
    assert len(load_content(site).papers) == 42


def test_bad_input_exits_2_says_where_and_writes_nothing(
    site: Path, seed_files: list[Path], tmp_path: Path
) -> None:
    assert main(["--root", str(site), "ingest", str(seed_files[0])]) == 0
    before = tree_bytes(site)
    broken = tmp_path / "2026-02-02.txt"
    broken.write_text("new\nSubscribe\nDaily Papers\nFeb 2\nA title with no abstract\n")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sitegen",
            "--root",
            str(site),
            "ingest",
            str(seed_files[2]),
            str(broken),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert (
        f"{broken}:5" in result.stderr and "cut off" in result.stderr and "hint:" in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert tree_bytes(site) == before, "one bad listing means the whole run writes nothing"


def test_unknown_topic_is_refused(site: Path, seed_files: list[Path]) -> None:
    assert main(["--root", str(site), "ingest", "--topic", "astrology", str(seed_files[0])]) == 2
    assert not (site / "content").exists()


def test_topic_by_name_is_stored_as_slug(site: Path, seed_files: list[Path]) -> None:
    assert (
        main(
            [
                "--root",
                str(site),
                "ingest",
                "--topic",
                "Robotics and Embodied AI",
                str(seed_files[0]),
            ]
        )
        == 0
    )
    assert all(p.topics == ("robotics",) for p in load_content(site).papers.values())


def _a_paper_with_authors(site: Path, *, named_by: Path, named: bool) -> Path:
    """A paper file with an authors_count, that the listing `named_by` names or does not."""
    listing = parse_listing(named_by.read_bytes(), origin=named_by.name)
    titles = {title_key(entry.title) for entry in listing.entries}
    papers = load_content(site).papers
    return next(
        path
        for path in sorted((site / "content" / "papers").iterdir())
        if (title_key(papers[path.stem].title) in titles) == named
        and "authors_count" in path.read_text()
    )


def _break(paper: Path) -> None:
    paper.write_text(paper.read_text().replace("authors_count = ", "authors_count = -"))


@pytest.mark.parametrize("named", [True, False])
def test_a_broken_paper_stops_ingest_with_its_line_and_writes_nothing(
    site: Path, seed_files: list[Path], capsys, named: bool
) -> None:  # type: ignore[no-untyped-def]
    """Whether or not the listing names it: ingest reads the whole store, as a build does."""
    first, second = seed_files[0], seed_files[1]
    assert main(["--root", str(site), "ingest", str(first)]) == 0
    victim = _a_paper_with_authors(site, named_by=second, named=named)
    _break(victim)  # in place: only reading the file tells
    before = tree_bytes(site / "content")
    assert main(["--root", str(site), "ingest", str(second)]) == 2
    err = capsys.readouterr().err
    assert f"content/papers/{victim.name}:" in err and "authors_count" in err
    assert tree_bytes(site / "content") == before


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (b'topics = ["nope"]\n', ":{line}: unknown topic 'nope' in `topics`"),
        (b'title = "caf\xe9"\n', ":{line}: not UTF-8 text"),
    ],
)
def test_what_a_build_refuses_in_a_paper_ingest_refuses_with_its_line(
    site: Path, seed_files: list[Path], capsys: pytest.CaptureFixture[str], damage: bytes, said: str
) -> None:
    assert main(["--root", str(site), "ingest", str(seed_files[0])]) == 0
    paper = next((site / "content" / "papers").iterdir())
    lines = paper.read_bytes().splitlines(keepends=True)
    title = next(n for n, line in enumerate(lines) if line.startswith(b"title = "))
    lines[title] = damage
    paper.write_bytes(b"".join(lines))
    before = tree_bytes(site / "content")
    assert main(["--root", str(site), "ingest", str(seed_files[1])]) == 2
    err = capsys.readouterr().err
    assert f"content/papers/{paper.name}" + said.format(line=title + 1) in err
    assert tree_bytes(site / "content") == before
    assert main(["--root", str(site), "build"]) == 2
    assert said.format(line=title + 1) in capsys.readouterr().err


def test_sitegen_is_a_command_on_path(tmp_path: Path) -> None:
    result = subprocess.run(["sitegen", "--version"], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and result.stdout.startswith("sitegen ")
    # The command ends through the same exit as `python -m sitegen`, with main()'s status.
    missing = ["sitegen", "--root", str(tmp_path), "build"]
    result = subprocess.run(missing, capture_output=True, text=True, check=False)
    assert result.returncode == 2 and "no site.toml here" in result.stderr


def test_a_root_that_does_not_exist_is_said_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A user's trial: `--root /nonexistent` said "no site.toml here", with the hint to pass
    --root DIR, which they had just done."""
    missing = tmp_path / "no-such-site"
    assert main(["--root", str(missing), "build"]) == 2
    first, hint = capsys.readouterr().err.splitlines()
    assert first == f"sitegen: error: --root {missing}: no such directory"
    assert hint == "  hint: pass --root the directory that holds site.toml"
    assert not missing.exists()


def test_a_root_without_site_toml_is_told_which_root_to_pass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A new user's trial: `--root` at a folder of their own said "no site.toml here", with
    the hint to "run sitegen from a site directory, or pass --root DIR", which they had just
    done (as a --root that does not exist once did)."""
    folder = tmp_path / "my-notes"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine\n")
    for command in (["build"], ["fetch"], ["serve"]):
        assert main(["--root", str(folder), *command]) == 2, command
        first, hint = capsys.readouterr().err.splitlines()
        assert first == f"sitegen: error: {folder / 'site.toml'}: no site.toml here"
        assert hint == "  hint: pass --root the directory that holds site.toml"
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_run_from_inside_a_site_the_error_names_the_site(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A user's trial ran `sitegen build` from content/: "no site.toml here" said nothing of
    the site one folder up."""
    inside = site / "content" / "papers"
    inside.mkdir(parents=True)
    with chdir(inside):
        assert main(["build"]) == 2
    err = capsys.readouterr().err
    assert "no site.toml here" in err and f"pass --root {site.resolve()}" in err
    assert not (site / "public").exists()


def test_a_root_that_is_a_file_is_one_line_and_touches_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    afile = tmp_path / "README.md"
    afile.write_text("# not a site\n")
    for command in (["build"], ["ingest", str(afile)], ["fetch"], ["serve"]):
        assert main(["--root", str(afile), *command]) == 2, command
        err = capsys.readouterr().err
        assert f"--root {afile} is a file, not a site directory" in err, command
        assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md"]
    assert afile.read_text() == "# not a site\n"


def test_two_listings_of_one_day_in_one_run_are_both_kept_and_stay_idempotent(
    site: Path, tmp_path: Path
) -> None:
    lines = (REPO / "content" / "listings" / "2026-03-14.txt").read_text().split("\n")
    early, late = tmp_path / "early.txt", tmp_path / "late.txt"
    early.write_text("\n".join(lines[:21]) + "\n")  # a capture taken before the day filled up
    late.write_text("\n".join(lines[:41]) + "\n")
    run = ["--root", str(site), "ingest", "--date", "2026-03-14", str(early), str(late)]
    assert main(run) == 0
    kept = sorted((site / "content" / "listings").iterdir())
    assert len(kept) == 2
    assert {p.read_bytes() for p in kept} == {early.read_bytes(), late.read_bytes()}
    before = tree_bytes(site / "content")
    assert main(run) == 0
    assert tree_bytes(site / "content") == before


def test_two_titles_of_a_listing_taken_for_one_paper_are_said(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by a review: "C++" and "C#" titles, otherwise the same, were one paper, and the
    second was gone from the day without a word (they are two papers now: see above). Titles
    apart only in case or punctuation are said; the same title listed twice is no news."""
    listing = tmp_path / "2026-06-24.txt"
    listing.write_text(
        "new\n\nGet trending papers in your email inbox!\n\nDaily Papers\n\nJun 24\n\n"
        "Compiling C++ Templates Faster\n\nAn abstract about C++ templates.\n\n"
        "Compiling C# Templates Faster\n\nAn abstract about C# generics.\n\n"
        "Compiling C++ Templates, Faster\n\nThe first paper, its title retyped.\n\n"
        "Compiling C++ Templates Faster\n\nThe first paper, listed again.\n"
    )
    assert main(["--root", str(site), "ingest", str(listing)]) == 0
    notes = _notes(capsys)
    assert notes == [
        "sitegen: note: 2026-06-24 lists 'Compiling C++ Templates Faster' and then 'Compiling C++"
        " Templates, Faster': titles that differ only in case or punctuation are one paper's, so"
        " the second was filed as the first; if they are two papers, add a file for the second"
        " to content/papers/ and its entry to content/days/2026-06-24.toml"
    ]
    assert len(load_content(site).papers) == 2


def test_the_second_of_two_titles_apart_by_a_plus_listed_again_retyped_is_that_paper(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A "C#" title whose slug file the "C++" one took, listed again with a comma, is the "C#"
    paper, which keeps the abstract first listed: two new papers, not three. Found by mutation
    testing: a paper made by the listing was not looked up by its title within it, and the
    second place made the "C#" paper anew, its abstract over the first's."""
    listing = tmp_path / "2026-06-24.txt"
    listing.write_text(
        "new\n\nGet trending papers in your email inbox!\n\nDaily Papers\n\nJun 24\n\n"
        "Compiling C++ Templates Faster\n\nAn abstract about C++ templates.\n\n"
        "Compiling C# Templates Faster\n\nAn abstract about C# generics.\n\n"
        "Compiling C# Templates, Faster\n\nThe second paper, its title retyped.\n"
    )
    assert main(["--root", str(site), "ingest", str(listing)]) == 0
    assert "3 entries: 2 new papers," in capsys.readouterr().out
    abstracts = sorted(paper.abstract for paper in load_content(site).papers.values())
    assert abstracts == ["An abstract about C# generics.", "An abstract about C++ templates."]


def test_a_replay_past_an_entry_taken_off_its_day_by_hand_fills_the_papers_after_it(
    site: Path,
) -> None:
    """A listing ingested again, its day's first paper taken off the day by hand and a later
    paper's link deleted: the day stays as edited, and the link comes back. Found by mutation
    testing: the replay stopped at the entry taken off, and filled no paper listed after it."""
    shutil.copytree(REPO / "content", site / "content")
    day = site / "content" / "days" / "2026-06-12.toml"
    taken_off = next(line for line in day.read_text().split("\n") if '"2606.00467"' in line)
    day.write_text(day.read_text().replace(taken_off + "\n", ""))
    paper = site / "content" / "papers" / "2606.12282.md"
    link = 'github = "https://github.com/realfolkcode/pianokontext"\n'
    paper.write_text(paper.read_text().replace(link, ""))
    edited_day = day.read_text()
    listing = site / "content" / "listings" / "2026-06-12.json"
    assert main(["--root", str(site), "ingest", str(listing)]) == 0
    assert day.read_text() == edited_day
    assert link in paper.read_text()


def test_comments_written_by_hand_stay_where_they_were_when_ingest_rewrites_a_file(
    site: Path,
) -> None:
    """Found by a review: a comment a person wrote in a paper's front matter or a day file
    was dropped without a word when a later listing raised the paper's upvotes."""
    real = json.loads((REPO / "content" / "listings" / "2026-06-12.json").read_text())
    first = _answer(real[:3], site / "2026-06-12.json")
    assert main(["--root", str(site), "ingest", str(first)]) == 0
    paper_id = real[0]["paper"]["id"]
    paper = site / "content" / "papers" / f"{paper_id}.md"
    day = site / "content" / "days" / "2026-06-12.toml"
    paper.write_text(
        paper.read_text()
        .replace("\ntitle = ", "\n# Title checked against the PDF. Keep it.\ntitle = ", 1)
        .replace("\n+++\n", "\n# the end of the fields\n+++\n", 1)
    )
    entry = next(line for line in day.read_text().split("\n") if f'id = "{paper_id}"' in line)
    day.write_text(
        "# Day notes\n" + day.read_text().replace(entry, f"  # first\n{entry}  # read it")
    )
    with_comments = paper.read_text(), day.read_text()
    for entry in real:
        entry["paper"]["upvotes"] = entry["paper"]["upvotes"] + 10
    (site / "raised").mkdir()
    raised = _answer(real[:3], site / "raised" / "2026-06-12.json")
    assert main(["--root", str(site), "ingest", str(raised)]) == 0
    upvotes = real[0]["paper"]["upvotes"]
    assert f"upvotes = {upvotes}" in paper.read_text(), "the file was rewritten"
    assert paper.read_text() == with_comments[0].replace(
        f"upvotes = {upvotes - 10}", f"upvotes = {upvotes}"
    )
    assert day.read_text().startswith("# Day notes\nday = 2026-06-12\n")
    assert f'  # first\n  {{ id = "{paper_id}"' in day.read_text()
    assert f"upvotes = {upvotes} }},  # read it\n" in day.read_text()
    before = tree_bytes(site / "content")
    assert main(["--root", str(site), "ingest", str(raised)]) == 0
    assert tree_bytes(site / "content") == before, "ingesting again changes no byte"


def _paragraphed(real: list[dict[str, Any]]) -> tuple[dict[str, Any], str]:
    """The first entry of `real` whose abstract has paragraphs, and that abstract as a
    listing gives it."""
    listing = parse_listing(json.dumps(real).encode(), origin="2026-06-12.json")
    entry = next(e for e in listing.entries if "\n\n" in e.abstract)
    return next(r for r in real if r["paper"]["id"] == entry.arxiv_id), entry.abstract


@pytest.mark.parametrize("text_first", [True, False])
def test_an_api_answer_gives_a_text_capture_s_abstract_its_paragraphs(
    site: Path, text_first: bool
) -> None:
    """Found by a review: a capture's abstract (one line) ingested first kept the paper's
    abstract without the paragraphs the API answer brought later."""
    real = json.loads((REPO / "content" / "listings" / "2026-06-12.json").read_text())
    raw, paragraphs = _paragraphed(real)
    capture = site / "capture" / "2026-06-12.txt"
    capture.parent.mkdir()
    capture.write_text(
        f"new\nDaily Papers\nJun 12\n{raw['title']}\n{' '.join(paragraphs.split())}\n"
    )
    answer = _answer([raw], site / "2026-06-12.json")
    for listing in (capture, answer) if text_first else (answer, capture):
        assert main(["--root", str(site), "ingest", str(listing)]) == 0
    (paper,) = load_content(site).papers.values()
    assert paper.abstract == paragraphs and paper.arxiv_id == raw["paper"]["id"]


def test_entries_an_answer_leaves_out_are_said_by_ingest_as_by_fetch(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by a review: 12 papers of the next day in an answer were left out in silence."""
    real = json.loads((REPO / "content" / "listings" / "2026-06-12.json").read_text())
    for entry in real[:12]:
        entry["paper"]["submittedOnDailyAt"] = "2026-06-13T00:00:00.000Z"
    answer = _answer(real, site / "2026-06-12.json")
    assert main(["--root", str(site), "ingest", str(answer)]) == 0
    captured = capsys.readouterr()
    assert "18 entries" in captured.out
    assert f"{answer}: note: 12 papers of 2026-06-13 left out" in captured.err


def test_ingest_says_the_days_it_filed_and_notes_a_day_to_come(
    site: Path, seed_files: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by a trial: a capture was filed under a day read from its text without a word,
    and one given --date 2030-01-01 (a typo of a year) became the site's latest day."""
    (day_less,) = [p for p in seed_files if p.name == "2026-11-22.txt"]
    (march,) = [p for p in seed_files if p.name == "2026-03-14.txt"]
    (october,) = [p for p in seed_files if p.name == "2025-10-31.txt"]
    assert main(["--root", str(site), "ingest", str(march), str(october)]) == 0
    said = capsys.readouterr()
    assert said.out.startswith("ingested 2 listings of 2025-10-31 and 2026-03-14, 120 entries")
    assert said.err == ""
    assert main(["--root", str(site), "ingest", "--date", "2999-01-01", str(day_less)]) == 0
    said = capsys.readouterr()
    assert said.out.startswith("ingested 1 listing of 2999-01-01, 278 entries")
    assert f"{day_less}: note: filed under 2999-01-01, a day to come (today is " in said.err
    assert said.err.rstrip().endswith("UTC): is its year right?")
    # Tomorrow, UTC, is today east of it: no note.
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    papers = [("A paper of tomorrow", "Its abstract.", tomorrow - timedelta(days=3), 1)]
    listing = write_text_listing(site.parent / f"{tomorrow}.txt", tomorrow, papers)
    assert main(["--root", str(site), "ingest", str(listing)]) == 0
    assert capsys.readouterr().err == ""


def test_a_year_read_from_the_papers_dates_that_makes_a_day_to_come_is_refused(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by a reader's trial: a hand-made capture of yesterday whose papers' dates carry
    this year (a page shows no year for its own) was filed a year ahead, with a note, exit 0,
    and became the site's latest day."""
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    if (yesterday.month, yesterday.day) == (2, 29):  # a day no next year has
        yesterday -= timedelta(days=1)
    papers = [("A paper of yesterday", "Its abstract.", yesterday, 3)]
    capture = write_text_listing(site.parent / "capture.txt", yesterday, papers)
    assert main(["--root", str(site), "ingest", str(capture)]) == 2
    err = capsys.readouterr().err
    shown = f"{yesterday:%b} {yesterday.day}"
    assert err.startswith(
        f"sitegen: error: {capture}:2: the listing day {shown!r} has no year, and its papers'"
        f" dates make it {yesterday.replace(year=yesterday.year + 1)}, a day still to come\n"
    )
    assert "hint: pass --date YYYY-MM-DD" in err and not (site / "content").exists()
    assert main(["--root", str(site), "ingest", "--date", str(yesterday), str(capture)]) == 0


def test_a_listing_given_another_days_date_is_refused_and_writes_nothing(
    site: Path, seed_files: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by a new user's trial: the day-less capture of 2026-11-22 ingested again with
    --date 2026-11-24 filed the same 278 papers under a second day, without a word (and one
    given the year before moved its 59 papers' first day back a year)."""
    (day_less,) = [p for p in seed_files if p.name == "2026-11-22.txt"]
    (march,) = [p for p in seed_files if p.name == "2026-03-14.txt"]
    held = [("A paper of Nov 25", "Its abstract.", date(2026, 11, 25), 3)]
    nov_25 = write_text_listing(site.parent / "2026-11-25.txt", date(2026, 11, 25), held)
    assert main(["--root", str(site), "ingest", str(day_less), str(march), str(nov_25)]) == 0
    before = tree_bytes(site / "content")
    capsys.readouterr()
    for listing, wrong, right, count in (
        (day_less, "2026-11-24", "2026-11-22", 278),
        (march, "2025-03-14", "2026-03-14", 59),
        # Found by the next trial: given a day held, the papers were merged into it.
        (day_less, "2026-11-25", "2026-11-22", 278),
    ):
        assert main(["--root", str(site), "ingest", "--date", wrong, str(listing)]) == 2
        said = capsys.readouterr().err
        assert (
            f"every one of the {count} papers it adds to {wrong} is on {right}'s listing"
            f" already: is it {right}'s listing, not {wrong}'s? nothing was written"
        ) in said
        assert f"hint: if it is, give --date {right} (or name the file after it); if" in said
        assert tree_bytes(site / "content") == before
    # A new day listing papers of another day again (all of them, but one of its own
    # beside them) is a day like any other.
    again = [(e.title, e.abstract, date(2026, 3, 10), 5) for e in parse_listing(
        march.read_bytes(), origin=march.name
    ).entries]  # fmt: skip
    own = ("A paper of its own", "Its abstract.", date(2026, 3, 15), 1)
    later = write_text_listing(site.parent / "2026-03-16.txt", date(2026, 3, 16), [*again, own])
    assert main(["--root", str(site), "ingest", str(later)]) == 0
    assert len(load_content(site).days[date(2026, 3, 16)].entries) == 60


def test_a_topic_refused_in_a_paper_file_leaves_its_pages_and_stays_through_ingest(
    tiny_built: Path,
) -> None:
    """Found by a reader's trial: an editor could not take one wrong topic off one paper; a
    paper's `not_topics` does, and a listing ingested again keeps it."""
    public = tiny_built / "public"
    months = json.loads((public / "api" / "papers.json").read_text())["months"]
    records = [
        record
        for month in months
        for record in json.loads((public / month["url"].split("/daily-papers/")[-1]).read_text())
    ]
    record = next(r for r in records if len(r["topics"]) >= 2)
    paper_id, (refused, *kept) = record["id"], record["topics"]
    path = tiny_built / "content" / "papers" / f"{paper_id}.md"
    path.write_text(path.read_text().replace("+++\n", f'+++\nnot_topics = ["{refused}"]\n', 1))
    assert main(["--root", str(tiny_built), "build"]) == 0
    month = next(m for m in months if m["month"] == record["days"][0][:7])
    rebuilt = json.loads((public / month["url"].split("/daily-papers/")[-1]).read_text())
    topics = next(r for r in rebuilt if r["id"] == paper_id)["topics"]
    assert refused not in topics and set(kept) <= set(topics)  # another may take its place
    assert paper_id not in (public / "topics" / refused / "index.html").read_text()
    listings = sorted((tiny_built / "content" / "listings").iterdir())
    assert main(["--root", str(tiny_built), "ingest", *map(str, listings)]) == 0
    assert f'not_topics = ["{refused}"]' in path.read_text()
    # Nor does --topic give it that topic (a review: it wrote both, and every build stopped).
    ingest = ["--root", str(tiny_built), "ingest", "--topic", refused, *map(str, listings)]
    assert main(ingest) == 0
    assert f'not_topics = ["{refused}"]' in path.read_text()
    assert "\ntopics = " not in path.read_text()
    assert main(["--root", str(tiny_built), "build"]) == 0


def test_a_link_emptied_by_hand_stays_off_whatever_listing_comes_again(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A maintainer's trial: a wrong code link could not be taken off. A deleted `github` line
    is filled again by the next listing (as docs/content.md says of a deleted field), and
    `github = ""` stopped every command as no http(s) URL."""
    friday = REPO / "content" / "listings" / "2026-06-12.json"
    assert main(["--root", str(site), "ingest", str(friday)]) == 0
    paper = site / "content" / "papers" / "2606.06113.md"
    text = paper.read_text()
    (link,) = re.findall(r'^github = "(.+)"$', text, re.MULTILINE)
    paper.write_text(text.replace(f'github = "{link}"', 'github = ""'))
    capsys.readouterr()
    assert main(["--root", str(site), "ingest", str(friday)]) == 0
    assert 'github = ""\n' in paper.read_text()
    assert main(["--root", str(site), "build"]) == 0
    assert _notes(capsys) == []
    page = (site / "public" / "papers" / "2606.06113" / "index.html").read_text()
    assert link not in page and ">Code<" not in page
