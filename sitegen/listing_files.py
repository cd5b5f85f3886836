"""Listings as files: those `sitegen ingest` is given, and the raw copies kept in
content/listings/ (replayable: `sitegen ingest content/listings/*` rebuilds the same content),
each under a name its day file lists among its sources.

A day's first kept listing is `<day>.<kind>`, the next `<day>-2.<kind>`, in the order they
came; a listing that reads the same as one the day has taken is that one (keep_answer).
"""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import os
import sys
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path, PurePosixPath

from sitegen.digest_dates import DigestDates, DigestRules
from sitegen.errors import ContentError, ListingError, Location, reason_of
from sitegen.formats import decode_content, parse_day_file
from sitegen.layout import (
    CONFIG_FILE,
    CONTENT_DIR,
    DAYS_DIR,
    DAYS_FOLDER,
    LISTINGS_DIR,
    LISTINGS_FOLDER,
)
from sitegen.listings import Listing, ListingEntry, parse_listing
from sitegen.listings.base import MAX_LISTING_BYTES, listing_too_large
from sitegen.model import kept_order
from sitegen.store_lock import content_lock
from sitegen.store_writes import IngestReport, ingest_into_store
from sitegen.whole_files import read_regular_file


def ingest_files(
    root: Path,
    paths: Sequence[Path],
    *,
    day: date | None = None,
    topics: tuple[str, ...] = (),
    known_topics: frozenset[str] | None = None,
    latest: date | None = None,
    digests: DigestRules | None = None,
) -> tuple[IngestReport, list[tuple[Listing, str]]]:
    """`sitegen ingest`: the listings at `paths` (`day`: the day they are of, when they do not
    say; `latest`: the last day their papers' dates may make theirs), each kept in
    content/listings/ and merged into the store, all in one write or none, with the digest
    items that have no date recorded, by `digests`' rules (digest_dates.DigestDates). Returns
    what was written and each listing with the name it is kept under."""
    parsed: list[tuple[Listing, str]] = []
    kept: dict[str, bytes] = {}
    # The names listings are kept under depend on what the store holds: decided under its lock.
    with content_lock(root):
        read = []
        for path in listing_paths(paths):
            raw = read_listing_file(path)
            read.append((path, raw, parse_listing(raw, origin=str(path), day=day, latest=latest)))
        # By day, and a day's kept listings in the order they came (_kept_listing_name): as
        # ingested one by one, whatever order the shell gives content/listings/* in.
        read.sort(key=lambda item: (item[2].day, kept_order(Path(item[0]).name)))
        for path, raw, listing in read:
            if not listing.entries:
                # A day without papers (a weekend's API answer): as a fetch of it, nothing is
                # written; it made an empty day file and a kept listing.
                nothing = "no papers in it: nothing of it was written"
                parsed.append((dataclasses.replace(listing, notes=(*listing.notes, nothing)), ""))
                continue
            sources = _sources_of(root, listing.day)
            given = Path(path).name if _in_a_store(Path(path)) else None
            name, alike = _kept_or_alike(root, listing, raw, sources, pending=kept, given_as=given)
            if alike:  # a copy saved again, reindented: the day's hand edits stay (a trial)
                taken = f"it reads the same as {name}, which {listing.day} has taken: nothing new"
                listing = dataclasses.replace(listing, notes=(*listing.notes, taken))
            parsed.append((_noting_sources_gone(root, listing, name, sources, kept), name))
        # Every listing parses before the store is read, so a bad one writes nothing at all.
        report = ingest_into_store(
            root, [(listing, name) for listing, name in parsed if name], topics=topics, files=kept,
            known_topics=known_topics,
            refuse_repeated_day=True,
            more_files=DigestDates(root, digests).files if digests else None,
        )  # fmt: skip
    return report, parsed


def _in_a_store(path: Path) -> bool:
    """Whether `path` is a kept listing of a site's store (content/listings/ beside its
    site.toml): one given again is a replay (a review: a user's own folder named listings/
    was taken for one)."""
    folder = path.resolve().parent  # through a link to a store's folder too
    root = folder.parent.parent
    return folder == root / LISTINGS_DIR and (root / CONFIG_FILE).is_file()


def _noting_sources_gone(
    root: Path, listing: Listing, name: str, sources: Sequence[str], kept: Mapping[str, bytes]
) -> Listing:
    """`listing`, with a note when its day names kept listings (`sources`) that are gone and it
    is not one of them: a replay after one was renamed or deleted took its bytes as a new
    listing, which put back what was taken off the day by hand, in silence."""
    gone = [
        source
        for source in sources
        if f"{CONTENT_DIR}/{source}" not in kept and not (root / CONTENT_DIR / source).exists()
    ]
    if not gone or name in sources:
        return listing
    note = (
        f"{listing.day}'s day file names {gone[0]}, which is gone: this listing is taken as a new"
        " one of the day, and puts back any paper it lists that was taken off the day"
    )
    return dataclasses.replace(listing, notes=(*listing.notes, note))


def listing_paths(paths: Sequence[Path]) -> list[Path]:
    """`paths`, each folder among them as the files directly in it, by name (its hidden files
    and subfolders left: `public/` beside listings holds pages, not listings). A file in it
    that is not a listing is refused by name, as one given alone: nothing is skipped in
    silence."""
    files: list[Path] = []
    for path in paths:
        # os.path: Path.is_dir raised on a name too long (Python 3.11), a traceback; the read
        # below says it, as it says any listing that cannot be read.
        if not os.path.isdir(path):  # noqa: PTH112
            files.append(path)
            continue
        if (path / LISTINGS_FOLDER).is_dir() and (path / DAYS_FOLDER).is_dir():  # `ingest content`
            raise ListingError(
                "a site's content folder, not a folder of listings",
                location=Location(str(path)),
                hint=f"give {path / LISTINGS_FOLDER}, where its listings are kept",
            )
        try:
            held = sorted(
                entry
                for entry in path.iterdir()
                if not entry.name.startswith(".") and not entry.is_dir()
            )
        except OSError as error:
            raise ListingError(
                f"cannot read the folder: {reason_of(error)}",
                location=Location(str(path)),
                hint="check its permissions (ls -ld), then run again",
            ) from None
        if not held:
            raise ListingError(
                "a folder without listings in it",
                location=Location(str(path)),
                hint="give listing files (.txt, .json, .html), or a folder holding them",
            )
        files.extend(held)
    return files


def read_listing_file(path: Path) -> bytes:
    """The bytes of the listing file `path`; an error naming it when it cannot be read."""
    try:
        return read_regular_file(path, limit=MAX_LISTING_BYTES)
    except OSError as error:
        if error.errno == errno.EFBIG:
            raise listing_too_large(str(path)) from None
        raise ListingError(
            f"cannot read the listing: {reason_of(error)}",
            location=Location(str(path)),
            hint=_unread_listing_hint(error.errno),
        ) from None


def _unread_listing_hint(number: int | None) -> str:
    """What to do about a listing file that could not be read (errno `number`): a kept
    listing of mode 000 was told to be saved as a file, which it was (a maintainer's trial)."""
    if number in (errno.ENOENT, errno.ENOTDIR):
        return "check the path"
    if number in (errno.EACCES, errno.EPERM):
        return "fix its permissions (sitegen reads it to ingest it), then run again"
    return "give a listing saved as a file"


def keep_answer(root: Path, listing: Listing, raw: bytes, *, pending: dict[str, bytes]) -> str:
    """Add the listing read from `raw` to the `pending` files of this run, under the name it is
    kept by (_kept_listing_name); that name relative to content/ (as a day file lists its
    sources). One that reads the same as a listing its day has taken, entry by entry and field
    by field, is that one: its name is given back and nothing is added (other bytes that differ
    only in what sitegen does not read: a comment count, the page asked while the API failed,
    a copy saved again reindented: found by reviews and a trial, a page a day was kept for
    nothing, and a day's hand edits undone)."""
    return _kept_or_alike(root, listing, raw, _sources_of(root, listing.day), pending=pending)[0]


def _kept_or_alike(
    root: Path,
    listing: Listing,
    raw: bytes,
    sources: Sequence[str],
    *,
    pending: dict[str, bytes],
    given_as: str | None = None,
) -> tuple[str, bool]:
    """keep_answer, given the day's `sources`, and whether it was a listing the day had taken
    that reads the same. Bytes kept already are theirs, and so are bytes `given_as` the name
    they would be kept under: a replay of kept listings, in place or into a new site, keeps
    each (a review: an older store's two alike listings replayed as one)."""
    suffix = {"hf-json": ".json", "hf-html": ".html", "hf-cards": ".html"}.get(
        listing.shape, ".txt"
    )
    try:
        name = _kept_listing_name(root, listing.day, raw, suffix, sources, pending=pending)
        replayed = given_as == PurePosixPath(name).name
        if not replayed and name not in pending and not (root / name).exists():  # not kept
            alike = _taken_alike(root, listing, sources, pending=pending)
            if alike is not None:
                return alike, True
    # A folder without permission (Python 3.11 raises), or a kept listing that is no file:
    # one line, for ingest and for fetch, which was a traceback (a hostile-input trial).
    except OSError as error:
        raise ContentError(
            f"cannot read it: {reason_of(error)}",
            location=Location(os.fsdecode(error.filename or root / LISTINGS_DIR)),
            hint="check its permissions (ls -ld), then run again"
            if error.errno in (errno.EACCES, errno.EPERM)
            else "remove it, or restore it (git checkout), then run again",
        ) from None
    pending[name] = raw  # under the name found above: not looked for again
    return name.removeprefix(f"{CONTENT_DIR}/"), False


def _taken_alike(
    root: Path, listing: Listing, sources: Sequence[str], *, pending: Mapping[str, bytes]
) -> str | None:
    """The listing the day of `listing` has taken (its `sources`), or this run keeps, that
    reads the same."""
    stem = f"{LISTINGS_DIR}/{listing.day.isoformat()}"
    names = [f"{CONTENT_DIR}/{source}" for source in sources]
    names += [name for name in pending if name.startswith(stem)]
    wanted = _as_read(listing)
    for name in names:
        try:
            raw = pending.get(name) or read_regular_file(root / name, limit=MAX_LISTING_BYTES)
            taken = parse_listing(raw, origin=name, day=listing.day)
        except (OSError, ListingError):  # gone, or unreadable to this version: not alike
            continue
        if _as_read(taken) == wanted:
            return name.removeprefix(f"{CONTENT_DIR}/")
    return None


def _as_read(listing: Listing) -> tuple[ListingEntry, ...]:
    """What sitegen reads of a listing's papers, wherever in its bytes each one stood."""
    return tuple(dataclasses.replace(entry, line=0) for entry in listing.entries)


def _kept_listing_name(
    root: Path,
    day: date,
    raw: bytes,
    suffix: str,
    sources: Sequence[str],
    *,
    pending: Mapping[str, bytes],
) -> str:
    """Where a raw listing for `day` is kept: `<day><suffix>` for the day's first one (of any
    kind: text, JSON, HTML), then `<day>-2<suffix>`, `<day>-3<suffix>`... in the order they come
    (the order `sitegen ingest` gives them back: kept_order), on disk or among the `pending`
    files of this run. The same bytes always get the same name; a name of sitegen 0.2 (a
    digest of the bytes) stays. A name the day file lists as a source (`sources`) is never
    given to other bytes, even when its file is gone: a source the day names is one it has
    taken (ingest)."""
    stem = f"{LISTINGS_DIR}/{day.isoformat()}"
    legacy = f"{stem}-{hashlib.sha256(raw).hexdigest()[:8]}{suffix}"
    if legacy in pending or (root / legacy).exists():
        return legacy
    number = 1
    while True:
        base = stem if number == 1 else f"{stem}-{number}"
        held = pending.get(base + suffix)
        if held is None and (root / (base + suffix)).exists():
            # A regular file's bytes: a FIFO there waited for a writer forever, a link to
            # /dev/zero was read until memory ran out (a hostile-input trial).
            held = read_regular_file(root / (base + suffix), limit=MAX_LISTING_BYTES)
        if held == raw or not any(
            base + kind in pending
            or (root / (base + kind)).exists()
            or (base + kind).removeprefix(f"{CONTENT_DIR}/") in sources
            for kind in _KINDS
        ):
            return base + suffix
        number += 1


def _sources_of(root: Path, day: date) -> tuple[str, ...]:
    """The kept listings the stored day names (content/days/DAY.toml's `sources`)."""
    shown = f"{DAYS_DIR}/{day.isoformat()}.toml"
    try:
        # A regular file of any size the store reads: a FIFO there waited for a writer
        # forever, before the store's read would have refused it (a hostile-input trial).
        data = read_regular_file(root / shown, limit=sys.maxsize)
    except OSError:  # missing, or a store broken so, which reading it later refuses in one line
        return ()
    try:
        return parse_day_file(decode_content(data, path=shown), path=shown).sources
    except ContentError:  # said by the store's read next, with every other broken file
        return ()


_KINDS = (".txt", ".json", ".html")  # what a kept listing's name ends in
