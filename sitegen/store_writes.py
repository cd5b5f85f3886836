"""Writing the content store: listings merged into it (`ingest_into_store`), and the files
that changed written all or nothing, with the comments and line ends a user gave them.

Writes are transactions (sitegen.transaction): every file of one run is staged, a manifest is
committed with one atomic rename, then the files are moved into place. A run interrupted after
the commit point is completed by the next run; one interrupted before it changes nothing.

Every command that writes content/ or completes its journal holds the store's lock
(sitegen.store_lock) meanwhile: two ingests, or an ingest and a build, take turns instead of
sharing one journal (issue #19).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sitegen import transaction, whole_files
from sitegen.errors import ContentError, ListingError, Location, reason_of
from sitegen.formats import (
    carry_comments,
    carry_line_ends,
    carry_written_keys,
    render_day_file,
    render_paper_file,
)
from sitegen.ingest import Merged, ingest_listings, repeated_day
from sitegen.layout import CONTENT_DIR, CONTENT_JOURNAL, DAYS_DIR, LISTINGS_DIR, PAPERS_DIR
from sitegen.listings import Listing
from sitegen.model import ContentSnapshot, Day, Paper
from sitegen.store import load_content
from sitegen.store_lock import content_lock
from sitegen.urls import is_plain_relative


@dataclass(frozen=True, slots=True)
class IngestReport:
    new_papers: int
    papers: int  # in the store afterwards
    written: list[str]  # files, relative to the root
    same_title: tuple[tuple[str, str], ...] = ()  # see ContentSnapshot.same_title
    unlinked: tuple[tuple[str, str, str], ...] = ()  # see ContentSnapshot.unlinked
    one_title: tuple[tuple[date, str, str], ...] = ()  # see sitegen.ingest.Merged
    put_back: tuple[tuple[date, str], ...] = ()  # see sitegen.ingest.Merged
    retitled: tuple[tuple[date, str, str, str], ...] = ()  # see sitegen.ingest.Merged


def ingest_into_store(
    root: Path,
    listings: Sequence[tuple[Listing, str | None]],
    *,
    topics: tuple[str, ...] = (),
    files: Mapping[str, bytes] | None = None,
    mark_late: bool = False,
    feed_days: int | None = None,
    added: datetime | None = None,
    known_topics: frozenset[str] | None = None,
    refuse_repeated_day: bool = False,
    more_files: Callable[[ContentSnapshot, Merged], Mapping[str, bytes]] | None = None,
) -> IngestReport:
    """Merge (listing, kept source) pairs into the store under `root` and write the files
    that changed, with `files` (kept listings, fetch state) in the same transaction
    (`mark_late`, `feed_days`, `added`: see sitegen.ingest.ingest_listings). With `known_topics`
    (site.toml's), a paper naming another topic stops it, as it stops a build; with
    `refuse_repeated_day`, so does a listing adding only another day's papers to its day;
    `more_files` makes more files to write from the store before the merge and the merge."""
    with content_lock(root):  # what is read is what the merge is written over
        before = load_content(root, known_topics=known_topics)
        merged = ingest_listings(
            before, listings, topics=topics, mark_late=mark_late, feed_days=feed_days, added=added
        )
        if refuse_repeated_day and (repeated := repeated_day(before, merged)):
            day, other, count = repeated
            origin = next(listing.origin for listing, _ in listings if listing.day == day)
            raise ListingError(
                f"every one of the {count} papers it adds to {day} is on {other}'s listing"
                f" already: is it {other}'s listing, not {day}'s? nothing was written",
                location=Location(origin),
                hint=f"if it is, give --date {other} (or name the file after it); if {other} "
                f"is the wrong day, delete {DAYS_DIR}/{other}.toml and its listing in "
                f"{LISTINGS_DIR}/, then ingest both again",
            )
        papers = [p for p in merged.papers.values() if before.papers.get(p.id) != p]
        days = [d for day, d in merged.days.items() if before.days.get(day) != d]
        rendered = _as_written_by_hand(root, content_files(papers, days))
        more = more_files(before, merged) if more_files else {}
        written = write_files(root, {**(files or {}), **more, **rendered})
    new_ids = merged.papers.keys() - before.papers.keys()
    return IngestReport(
        new_papers=merged.new_papers,
        papers=len(before.papers) + len(new_ids),
        written=written,
        same_title=before.same_title,
        unlinked=before.unlinked,
        one_title=merged.one_title,
        put_back=merged.put_back,
        retitled=merged.retitled,
    )


def _as_written_by_hand(root: Path, files: dict[str, bytes]) -> dict[str, bytes]:
    """`files`, each with the keys as its file on disk writes them, their order and the
    comment lines it holds (formats.carry_written_keys, carry_comments), and its line ends
    and byte-order mark (formats.carry_line_ends)."""
    for rel, data in files.items():
        with contextlib.suppress(OSError, UnicodeDecodeError):
            old = (root / rel).read_bytes()
            text, rest = carry_written_keys(old.decode("utf-8-sig"), data.decode())
            if "#" in rest:
                text = carry_comments(rest, text)
            data = text.encode()
            files[rel] = carry_line_ends(old, data)
    return files


def content_files(papers: Iterable[Paper], days: Iterable[Day]) -> dict[str, bytes]:
    """The files (relative to the root) that hold `papers` and `days`."""
    files = {f"{PAPERS_DIR}/{paper.id}.md": render_paper_file(paper).encode() for paper in papers}
    for day in days:
        files[f"{DAYS_DIR}/{day.day.isoformat()}.toml"] = render_day_file(day).encode()
    return files


def write_files(root: Path, files: Mapping[str, bytes]) -> list[str]:
    """Write files (paths relative to root) all together or not at all; return those written.

    Files whose bytes are already on disk are skipped, so a repeated run changes nothing.
    """
    for rel in files:
        _check_inside(rel)  # before any I/O, so a bad path is never even read
    changed = {
        rel: data for rel, data in sorted(files.items()) if not whole_files.holds(root / rel, data)
    }
    if changed:
        with content_lock(root):  # which completed an interrupted write
            _check_writable(root, changed)
            _commit(root, changed)
    return list(changed)


def _check_writable(root: Path, files: Collection[str]) -> None:
    """Refuse, before anything is committed, a write that could not be completed: a file whose
    place is taken by a directory, or a directory that cannot be written (issue #19: such a
    write was committed, then every later command failed to complete it)."""
    for rel in files:
        target = root / rel
        if target.is_symlink():  # a hostile-input trial: the link became a file, unsaid
            raise ContentError(
                f"a symbolic link (to {target.readlink()}): sitegen replaces a content file"
                " whole, and the file it leads to would stay as it was",
                location=Location(str(target)),
                hint="put the file itself in its place, then run again; nothing was written",
            )
        if target.is_dir():
            raise ContentError(
                "a directory is where this file belongs",
                location=Location(str(target)),
                hint="remove or rename the directory, then run again; nothing was written",
            )
        # A file made read-only by hand was replaced without a word; by
        # its mode, which root's access passes too.
        if target.is_file() and (
            not target.stat().st_mode & 0o222 or not os.access(target, os.W_OK)
        ):
            raise ContentError(
                "read-only: a file made so is not replaced",
                location=Location(str(target)),
                hint="let sitegen update it (chmod u+w), or leave out the listing that changes"
                " it; nothing was written",
            )
    if (found := transaction.unwritable_folder(root, files)) is not None:
        rel, directory = found
        raise ContentError(
            f"cannot write {rel}: its directory is not writable",
            location=Location(str(directory)),
            hint="fix its permissions (chmod u+w), then run again; nothing was written",
        )


def _commit(root: Path, files: Mapping[str, bytes]) -> None:
    journal = root / CONTENT_JOURNAL
    try:
        transaction.commit(root, journal, staged={}, written=files, edited_by_hand=True)
    except OSError as error:
        committed = (journal / "manifest.json").is_file()
        if not committed:  # nothing was changed: leave no staged files behind
            import shutil  # only on this failure: ingest runs without it (and bz2, lzma)

            shutil.rmtree(journal, ignore_errors=True)
        raise ContentError(
            f"cannot write content/: {reason_of(error)}",
            location=Location(str(root / CONTENT_DIR)),
            hint="the write is committed: the next run completes it once that is fixed"
            if committed
            else "nothing was written; free some space or fix the permissions, then run again",
        ) from None


# urls.is_plain_relative, and under content/: the store writes no other folder of the site.
def _check_inside(rel: str) -> None:
    # Paper ids are validated, but this is the last line of defence against writing elsewhere.
    if not rel.startswith(f"{CONTENT_DIR}/") or not is_plain_relative(rel):
        raise ContentError(f"refusing to write outside content/: {rel}")
