"""Paper files deleted by hand, their day entries left, and files named after an arXiv id whose
arxiv_id was deleted, through the store's real files. Reviews found that making a deleted file
again from a listing merged two papers of one title (which arXiv id a file named after its
title had is kept nowhere else): such a store is refused, with the way out."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from sitegen.cli import main
from sitegen.errors import ContentError
from sitegen.layout import PAPERS_DIR
from sitegen.listings import Listing, ListingEntry
from sitegen.model import arxiv_identity
from sitegen.store import load_content
from sitegen.store_writes import ingest_into_store
from tests.conftest import REPO, tree_bytes
from tests.listing_steps import listing

DAY, NEXT_DAY = date(2026, 1, 5), date(2026, 1, 6)
TITLE = "Agents: A Survey"


def _text(title: str = TITLE) -> ListingEntry:
    """A text capture's entry: no arXiv id, the abstract in one paragraph."""
    return ListingEntry(title=title, abstract="About agents. In one paragraph.", line=1)


def _api(arxiv_id: str, title: str = TITLE, abstract: str = "") -> ListingEntry:
    return ListingEntry(
        title=title,
        abstract=abstract or "About agents.\n\nIn one paragraph.",
        line=1,
        arxiv_id=arxiv_id,
    )


def _kept(day: date, name: str, *entries: ListingEntry) -> tuple[Listing, str]:
    return listing(day, list(entries)), f"listings/{name}"


def _slug_file(root: Path) -> str:
    (slug,) = [p.stem for p in (root / PAPERS_DIR).glob("agents-*.md")]
    return slug


def _refused(root: Path, listings: list[tuple[Listing, str]]) -> ContentError:
    """The error ingest stops with, having written nothing."""
    before = tree_bytes(root / "content")
    with pytest.raises(ContentError) as refused:
        ingest_into_store(root, listings)
    assert tree_bytes(root / "content") == before
    return refused.value


@pytest.mark.parametrize("named_after", ["its title", "its arXiv id"])
def test_a_deleted_file_stops_ingest_before_another_paper_of_its_title_takes_its_place(
    tmp_path: Path, named_after: str
) -> None:
    """The file of 2501.00005 deleted by hand, its Jan 5 entry left; the next day lists a text
    capture and the API answer of another paper of its title, 2501.00004. Made again from them,
    the file took 2501.00004's text and id (a review): Jan 5 listed a paper it never had, and
    2501.00005 was lost for good. Ingest now stops, naming the entry, and writes nothing."""
    made = [_kept(DAY, "2026-01-05.json", _api("2501.00005"))]
    if named_after == "its title":  # a text capture came first: the file is named after it
        made.insert(0, _kept(DAY, "2026-01-05.txt", _text()))
    ingest_into_store(tmp_path, made)
    paper_id = _slug_file(tmp_path) if named_after == "its title" else "2501.00005"
    (tmp_path / PAPERS_DIR / f"{paper_id}.md").unlink()
    other = "Another paper.\n\nOf the same title."
    next_day = [
        _kept(NEXT_DAY, "2026-01-06.txt", _text()),
        _kept(NEXT_DAY, "2026-01-06-2.json", _api("2501.00004", abstract=other)),
    ]
    refused = _refused(tmp_path, next_day)
    assert refused.message == f"no paper has the id '{paper_id}' (no {PAPERS_DIR}/{paper_id}.md)"
    assert refused.location is not None and refused.location.path == f"content/days/{DAY}.toml"
    assert refused.hint is not None and f"if {PAPERS_DIR}/{paper_id}.md was deleted" in refused.hint
    _refused(tmp_path, made)  # a replay of its own day's listings, too


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
        + ["-c", "commit.gpgsign=false", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr.strip()}"
    return done.stdout.strip()


def _shell(command: str, cwd: Path | None = None) -> None:
    """`command` as a user runs it, where sitegen ran unless `cwd` says."""
    done = subprocess.run(command, shell=True, cwd=cwd, capture_output=True, text=True)
    assert done.returncode == 0, f"{command}: {done.stderr.strip()}"


def _committed(root: Path) -> None:
    _git(root, "init", "-q")
    _git(root, "add", "content")
    _git(root, "commit", "-q", "-m", "the store")


def test_the_git_command_the_hint_gives_restores_a_deleted_file_committed_or_not(
    tmp_path: Path,
) -> None:
    """A review and a user's trial: `git checkout PATH` fails once the deletion is staged or
    committed ("pathspec ... did not match"), as it is whenever a scheduled build on GitHub
    reports it. The hint gives the one command that restores the file, run as written."""
    ingest_into_store(tmp_path, [_kept(DAY, "2026-01-05.json", _api("2501.00001"))])
    path = f"{PAPERS_DIR}/2501.00001.md"
    kept = (tmp_path / path).read_bytes()
    _committed(tmp_path)
    for deleted in ("by hand", "and committed"):
        if deleted == "by hand":
            (tmp_path / path).unlink()
        else:
            _git(tmp_path, "rm", "-q", path)
            _git(tmp_path, "commit", "-q", "-m", "deleted by mistake")
        hint = _refused(tmp_path, []).hint or ""
        (command,) = re.findall(r"`(git [^`]+)`", hint)
        assert hint == (
            f"{path} was deleted: restore it (`{command}`), or, to take the paper off the site,"
            " delete its day entries too"
        )
        _shell(command)  # where sitegen ran
        assert (tmp_path / path).read_bytes() == kept, deleted
        assert sorted(load_content(tmp_path).papers) == ["2501.00001"]


def test_an_entry_left_of_a_file_deleted_as_a_duplicate_is_pointed_at_the_file_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two files of one paper (docs/content.md: two clones, one from a text capture, one from
    the API); the slug one deleted and its day's entry pointed at the other, but not its entry
    on a second day: the hint names the file the paper is in now (a review: it said only to
    restore the deleted one, which two files of one id refuse, or to delete the entries)."""
    ingest_into_store(tmp_path, [_kept(DAY, "2026-01-05.txt", _text())])
    slug = _slug_file(tmp_path)
    ingest_into_store(tmp_path, [_kept(NEXT_DAY, "2026-01-06.txt", _text())])
    _committed(tmp_path)
    monkeypatch.chdir(tmp_path)  # run in the site's folder: the command says no -C
    (tmp_path / PAPERS_DIR / f"{slug}.md").rename(tmp_path / PAPERS_DIR / "2501.00005.md")
    day_file = tmp_path / "content" / "days" / f"{DAY}.toml"
    day_file.write_text(day_file.read_text().replace(slug, "2501.00005"))
    refused = _refused(tmp_path, [])
    assert refused.location is not None and refused.location.path == f"content/days/{NEXT_DAY}.toml"
    assert refused.hint == (
        f'write id = "2501.00005" if the paper is in {PAPERS_DIR}/2501.00005.md now;'
        f" {PAPERS_DIR}/{slug}.md was deleted: restore it (`git checkout HEAD --"
        f" {PAPERS_DIR}/{slug}.md`), or, to take the paper off the site, delete its day entries"
        " too"
    )


@pytest.mark.parametrize("named_after", ["its arXiv id", "its title"])
@pytest.mark.parametrize("renamed", ["git mv", "mv", "git mv, committed"])
def test_a_paper_file_renamed_by_hand_is_hinted_to_be_renamed_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, named_after: str, renamed: str
) -> None:
    """A maintainer's trial: `git mv content/papers/2606.13594.md .../dense-latent.md`, then a
    build. The hint's first way out was `write id = "dense-latent"`, which gave the paper a
    new address and new feed items (the old ones gone), and its other, the `git checkout`
    of the old file, made one paper two files, refused. The file name is the paper's id: the
    hint says so, and gives the command that renames the file back, which, run as written,
    gives the store back."""
    first = _api("2501.00001") if named_after == "its arXiv id" else _text()
    ingest_into_store(tmp_path, [_kept(DAY, "2026-01-05.json", first)])
    _committed(tmp_path)
    monkeypatch.chdir(tmp_path)  # run in the site's folder
    (name,) = [p.name for p in (tmp_path / PAPERS_DIR).iterdir()]
    old, new = f"{PAPERS_DIR}/{name}", f"{PAPERS_DIR}/dense-latent.md"
    kept = tree_bytes(tmp_path / "content")
    if renamed == "mv":
        (tmp_path / old).rename(tmp_path / new)
    else:
        _git(tmp_path, "mv", old, new)
        if renamed == "git mv, committed":
            _git(tmp_path, "commit", "-q", "-m", "renamed")
    hint = _refused(tmp_path, []).hint or ""
    assert "write id" not in hint and "checkout" not in hint, hint
    assert "the file name is the paper's id" in hint, hint
    (command,) = re.findall(r"`([^`]+)`", hint)
    assert command.startswith("git mv " if "git" in renamed else "mv "), hint
    _shell(command)
    assert tree_bytes(tmp_path / "content") == kept
    assert sorted(load_content(tmp_path).papers) == [name.removesuffix(".md")]


def test_a_mistyped_id_in_a_day_file_is_refused_naming_the_paper_meant(tmp_path: Path) -> None:
    """A typo names the paper of the entry's title, whether the id has an arXiv id's shape or
    not: git never had such a file (a user's trial: the hint also gave a git command to
    restore a file that never was, which failed)."""
    ingest_into_store(tmp_path, [_kept(DAY, "2026-01-05.json", _api("2501.00001"))])
    _committed(tmp_path)
    day_file = tmp_path / "content" / "days" / f"{DAY}.toml"
    text = day_file.read_text()
    for typo in ("2501.0001", "2501.00010"):  # a digit lost, two swapped
        day_file.write_text(text.replace('id = "2501.00001"', f'id = "{typo}"'))
        refused = _refused(tmp_path, [_kept(NEXT_DAY, "2026-01-06.txt", _text("Another"))])
        assert refused.hint == (
            'write id = "2501.00001" (the paper of that title), or delete this entry'
        ), typo


def test_a_file_named_after_its_arxiv_id_its_arxiv_id_deleted_is_found_by_that_id_retitled(
    tmp_path: Path,
) -> None:
    """2501.00001.md, its arxiv_id line deleted by hand (a field deleted counts as unknown,
    and a later listing may fill it again), then a listing of 2501.00001 whose title the
    source fixed ("Survy" to "Survey"): a second file was made (a review), a slug one carrying
    arxiv_id 2501.00001 beside 2501.00001.md, one arXiv id on two papers. docs/content.md: "one
    whose file is named after its arXiv id [is still found] by that id", and a new title a
    listing gives is a note, the file's kept."""
    ingest_into_store(
        tmp_path, [_kept(DAY, "2026-01-05.json", _api("2501.00001", "Agents: A Survy"))]
    )
    path = tmp_path / PAPERS_DIR / "2501.00001.md"
    path.write_text(re.sub(r"(?m)^arxiv_id = .*\n", "", path.read_text()))
    assert load_content(tmp_path).papers["2501.00001"].arxiv_id is None
    ingest_into_store(tmp_path, [_kept(NEXT_DAY, "2026-01-06.json", _api("2501.00001"))])
    store = load_content(tmp_path)
    holders = sorted(
        p.id for p in store.papers.values() if arxiv_identity(p.id, p.arxiv_id) == "2501.00001"
    )
    assert holders == ["2501.00001"], "2501.00001 is on two papers"
    assert [e.paper_id for e in store.days[NEXT_DAY].entries] == ["2501.00001"]


@pytest.mark.parametrize("other", [False, True], ids=["alone", "another paper of its title"])
def test_in_the_workflows_shallow_clone_the_hint_still_gives_the_git_command_that_restores(
    tmp_path: Path, other: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """publish.yml checks out one commit (actions/checkout's fetch-depth 1): there `git log`
    sees no commit that deleted the file, so the hint of a file deleted and committed said
    "restore it from a copy", no git command, in the very case the command was made for (a
    scheduled or push run's log, read by a maintainer with a full clone). It should give a
    git command that restores the file when run as written in a full clone of the
    repository (one that finds the deleting commit itself, say
    `git checkout "$(git rev-list -1 HEAD -- PATH)^" -- PATH`). With another paper of its
    title (2501.00004) the hint there is the typo's, `write id = "2501.00004" (the paper of
    that title)`, the hint 7d694c4 took off deleted files: followed, it merges two papers."""
    full = tmp_path / "full"
    full.mkdir()
    ingest_into_store(full, [_kept(DAY, "2026-01-05.json", _api("2501.00001"))])
    if other:
        other_paper = _api("2501.00004", abstract="Another paper.\n\nOf the same title.")
        ingest_into_store(full, [_kept(NEXT_DAY, "2026-01-06.json", other_paper)])
    path = f"{PAPERS_DIR}/2501.00001.md"
    kept = (full / path).read_bytes()
    _committed(full)
    _git(full, "rm", "-q", path)
    _git(full, "commit", "-q", "-m", "deleted by mistake")
    clone = tmp_path / "clone"  # as actions/checkout makes it
    _git(tmp_path, "clone", "-q", "--depth", "1", f"file://{full}", str(clone))
    monkeypatch.chdir(clone)  # the workflow runs sitegen in its checkout
    hint = _refused(clone, []).hint or ""
    commands = re.findall(r"`([^`]*\bgit [^`]+)`", hint)
    assert commands, f"no git command in the hint: {hint}"
    done = subprocess.run(
        commands[0], shell=True, cwd=full, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"{commands[0]}: {done.stderr.strip()}"
    assert (full / path).read_bytes() == kept


def test_the_git_command_of_the_hint_works_where_sitegen_was_run_with_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The site in a folder of its repository ("my site"), sitegen run from the repository's
    top with `--root "my site"`: the hint's `git checkout C^ -- content/papers/...md` is
    relative to the site, so run as written where the user is it fails ("pathspec ... did
    not match"). It should work from where sitegen ran: `git -C 'my site' checkout ...`, or
    the path as seen from there, quoted for the shell."""
    repo = tmp_path / "repo"
    root = repo / "my site"
    root.mkdir(parents=True)
    (root / "site.toml").write_bytes((REPO / "site.toml").read_bytes())
    shutil.copytree(REPO / "templates", root / "templates")
    ingest_into_store(root, [_kept(DAY, "2026-01-05.json", _api("2501.00001"))])
    path = f"{PAPERS_DIR}/2501.00001.md"
    kept = (root / path).read_bytes()
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "the site")
    _git(repo, "rm", "-q", f"my site/{path}")
    _git(repo, "commit", "-q", "-m", "deleted by mistake")
    monkeypatch.chdir(repo)
    capsys.readouterr()
    assert main(["--root", "my site", "build"]) == 2
    err = capsys.readouterr().err
    commands = re.findall(r"`([^`]*\bgit [^`]+)`", err)
    assert len(commands) == 1, err
    (command,) = commands
    done = subprocess.run(
        command, shell=True, cwd=repo, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"{command}: {done.stderr.strip()}"
    assert (root / path).read_bytes() == kept


def test_a_paper_file_an_editor_emptied_is_not_hinted_to_be_deleted(tmp_path: Path) -> None:
    """A user's trial: a paper file an editor left empty (or saved with `---` front matter)
    was hinted "delete the file and ingest its listing again", which the next ingest refused:
    a file deleted while its day entries are left is not made again."""
    kept = _kept(DAY, "2026-01-05.json", _api("2501.00001"))
    ingest_into_store(tmp_path, [kept])
    path = tmp_path / PAPERS_DIR / "2501.00001.md"
    path.write_text("")
    hint = _refused(tmp_path, [kept]).hint or ""
    # Restored, from git or a copy (an emptied file: "the file is empty"), never deleted.
    assert hint.startswith("restore it, from git") and "delete" not in hint, hint
    path.unlink()  # as it said: stopped again, the paper not made again
    assert "no paper has the id '2501.00001'" in str(_refused(tmp_path, [kept]))
