"""A day entry that names a paper no file has, refused with what to do: restore the file
deleted by hand (the git command that gives it back), rename back a file renamed by hand, or
write the id of the paper meant. git is asked, where there is one; sitegen.store refuses the
store with this error.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from sitegen.cache import PaperFacts
from sitegen.errors import ContentError, Location
from sitegen.formats import day_entry_line, decode_content
from sitegen.layout import DAYS_DIR, PAPERS_DIR
from sitegen.model import Day, DayEntry, PlainEntry, is_arxiv_id, is_own_id, title_key


def check_day_entries(
    root: Path,
    days: Mapping[date, Day],
    entries: Mapping[date, Sequence[PlainEntry]],
    facts: Mapping[str, PaperFacts],
) -> None:
    """Refuse a day entry that names a paper by an id no paper file has: a typo, or a file
    deleted without its entries. Ingest refuses it too: reviews found that making such a file
    again from a listing merged two papers of one title (which arXiv id a file named after its
    title had is kept nowhere else)."""
    unknown = {e[0] for listed in entries.values() for e in listed}.difference(facts.keys())
    if not unknown:
        return
    orphans = [
        (days[day], entry)
        for day, listed in entries.items()
        if not unknown.isdisjoint(e[0] for e in listed)
        for entry in days[day].entries
        if entry.paper_id in unknown
    ]

    def place(day: Day, paper_id: str) -> tuple[str, int | None]:
        shown = f"{DAYS_DIR}/{day.day.isoformat()}.toml"
        text = decode_content((root / shown).read_bytes(), path=shown)
        return shown, day_entry_line(text, {"id": paper_id})

    day, entry = orphans[0]
    shown, line = place(day, entry.paper_id)
    gone = f"{PAPERS_DIR}/{entry.paper_id}.md"
    hint = _orphan_hint(root, day, entry, gone, facts)
    # Every other entry at once, so that one build names them all (at most ten).
    others = ["{}:{} ({})".format(*place(d, e.paper_id), e.paper_id) for d, e in orphans[1:11]]
    if others:
        more = f" and {len(orphans) - 11} more" if len(orphans) > 11 else ""
        hint += f"; also naming no paper: {', '.join(others)}{more}"
    raise ContentError(
        f"no paper has the id {entry.paper_id!r} (no {gone})",
        location=Location(shown, line),
        hint=hint,
    )


def _orphan_hint(
    root: Path, day: Day, entry: DayEntry, gone: str, facts: Mapping[str, PaperFacts]
) -> str:
    """What to do of a day entry whose paper file (`gone`) is not there: restore the file
    deleted by hand, or take the paper off, or write the id of the paper meant."""
    listed = {e.paper_id for e in day.entries}
    key = title_key(entry.title) if entry.title else None
    # The paper of its title that the day does not list already: the id meant, or the file
    # the paper is in now.
    meant = min((p for p, f in facts.items() if f[2] == key and p not in listed), default=None)
    deleted = bool(entry.title) and is_own_id(entry.paper_id, entry.title)
    if meant is not None and deleted and _renamed(meant, entry.paper_id, facts[meant]):
        # Not `write id = "<new name>"`: a new address and new feed items, the old gone (a
        # maintainer's trial); nor a restore of the old file: one paper, two files.
        renamed = f"{PAPERS_DIR}/{meant}.md"
        return (
            f"{renamed} is this paper's file renamed, and the file name is the paper's id: its"
            " page's address and its feed items' id, which never change; rename it back"
            f" (`{_rename_command(root, renamed, gone)}`)"
        )
    restore, told = _restore_command(root, gone)
    # A duplicate deleted, this entry missed: the file the paper is in now.
    in_another = f'write id = "{meant}" if the paper is in {PAPERS_DIR}/{meant}.md now; '
    prefix = in_another if meant else ""
    off = "to take the paper off the site, delete its day entries too"
    if restore is not None:  # a file deleted by hand (git had it)
        return f"{prefix}{gone} was deleted: restore it (`{restore}`), or, {off}"
    if deleted and not (told and meant):  # git cannot tell a deleted file from a typo
        return f"{prefix}if {gone} was deleted, restore it from a copy; {off}"
    if meant is None:
        return (
            f"write the id of a paper (a file name in {PAPERS_DIR}/ without '.md'), or delete"
            " this entry (to take a paper off the site, delete its file and its day entries)"
        )
    return f'write id = "{meant}" (the paper of that title), or delete this entry'


def _renamed(name: str, paper_id: str, facts: PaperFacts) -> bool:
    """Whether the paper file `name` (without '.md') is the file of `paper_id`, a day entry's,
    renamed by hand: a name sitegen never gives its paper, and no arXiv id but that one."""
    arxiv_id, title = facts[1], facts[4]
    same_paper = arxiv_id is None or arxiv_id == paper_id or not is_arxiv_id(paper_id)
    return same_paper and not is_own_id(name, title)


def _rename_command(root: Path, path: str, to: str) -> str:
    """The command that renames the file `path` to `to` (both relative to `root`), as run
    from here: `git mv` for a file git tracks, so that git sees no rename at all."""
    site = _elsewhere(root)
    if _git(root, "ls-files", "--error-unmatch", "--", path) is not None:
        there = f"-C {shlex.quote(site)} " if site else ""
        return f"git {there}mv {shlex.quote(path)} {shlex.quote(to)}"
    return "mv " + " ".join(shlex.quote(str(Path(site or "", p))) for p in (path, to))


def _git(root: Path, *args: str) -> str | None:
    """What `git -C root ARGS` prints, or None when it fails or there is no git."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):  # no git here
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _elsewhere(root: Path) -> str | None:
    """The site's folder as seen from where sitegen runs, or None when it runs there (a
    review: a command for --root given from the repository's top failed run as written)."""
    try:
        if root.resolve() == Path.cwd():
            return None
    except OSError:  # a working directory deleted
        pass
    return os.path.relpath(root)


def _restore_command(root: Path, path: str) -> tuple[str | None, bool]:
    """The git command that gives back `path` (relative to `root`) as it was last committed,
    as run from here: from HEAD while its deletion is not committed, else from the commit
    before the one that deleted it (a user's trial: one hint for both failed in one); in a
    shallow clone (the workflow's), one that finds that commit in a full clone (a review).
    With whether git could tell (False: no git, no commit): a command of None, told, is a
    file git never had, a typo."""
    if _git(root, "rev-parse", "--verify", "-q", "HEAD") is None:
        return None, False
    # In the site's folder, wherever sitegen ran (a review: --root from the repository's top).
    site = _elsewhere(root)
    there = f"-C {shlex.quote(site)} " if site else ""
    if _git(root, "cat-file", "-e", f"HEAD:./{path}") is not None:
        return f"git {there}checkout HEAD -- {path}", True
    if _git(root, "rev-parse", "--is-shallow-repository") == "true":
        return f'git {there}checkout "$(git {there}rev-list -1 HEAD -- {path})^" -- {path}', True
    deleted = _git(root, "log", "-1", "--format=%h", "--diff-filter=D", "--", path)
    return (f"git {there}checkout {deleted}^ -- {path}" if deleted else None), True
