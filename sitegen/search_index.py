"""The site's search index (sitegen.search) kept up to date by builds: which of its shards a
build makes again (those whose papers changed: after a new day, the open month's), and moving
them into the site, in the build's own transaction or, for `sitegen serve`, in one of their own
after the pages (`publish_search_index`)."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future, wait
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sitegen import whole_files
from sitegen.build_record import PreviousBuild, changed_files, previous_build, read_record
from sitegen.cache import KeyedCache, kept_by_month
from sitegen.output_folder import exclusive, output_directory
from sitegen.publish import PublishReport, update, write_errors_reported
from sitegen.search import (
    SearchShard,
    make_shard,
    search_record,
    search_topics,
    shard_directory,
    shard_layout,
    warm_up_shard,
    write_search_shards,
)
from sitegen.site import Site, papers_by_month
from sitegen.urls import SEARCH_INDEX_DIR, Routes
from sitegen.wording import counted


@dataclass(frozen=True, slots=True)
class PendingIndex:
    """Shards of the search index to make and publish (`publish_search_index`) after the
    pages; the others the site holds already."""

    shards: tuple[SearchShard, ...]  # to make
    directories: frozenset[str]  # of every shard of the site's index (search.shard_directory)
    jobs: int  # Pagefind processes at once

    @property
    def papers(self) -> int:
        """How many papers the shards to make index."""
        return sum(len(shard.records) for shard in self.shards)


def publish_search_index(out: Path, pending: PendingIndex) -> None:
    """Make the search index and move it into the site `out` as one transaction of its own,
    replacing the previous index's files; the pages are not touched. It is made outside the
    site's lock (`sitegen serve`: an edit shows without waiting for the index, issue #16)."""
    out = output_directory(out).absolute()
    with made_search_index(pending, out) as index, exclusive(out), write_errors_reported(out):
        made = index()
        record = read_record(out)
        if record is None:
            return  # the site is gone or was never built: nothing to index
        previous = previous_build(record, changed_files(out, record))
        outputs = {p: entry[0] for p, entry in record.items()}
        paths: list[str] = []

        def write(staging: Path) -> PublishReport:
            written = stage_search_index(made, pending, out, staging, outputs, previous)
            paths.extend(p for p in outputs if p.startswith(IN_INDEX))
            return written

        update(write, out, outputs, previous=previous, rendered=paths)


def publish_after_pages(out: Path, pending: PendingIndex | None, *, indexed: int | None) -> str:
    """Publish the shards a build left to make after its pages, if any (`pending`; `indexed`:
    the papers of an index the build published with its pages): the line that says so."""
    if indexed is not None:
        return f"search index: {_indexed(indexed)}, published with the pages"
    if pending is None:
        return "search index: up to date"
    started = time.perf_counter()
    publish_search_index(out, pending)
    elapsed = time.perf_counter() - started
    return f"search index: {_indexed(pending.papers)} in {elapsed:.2f} s"


def _indexed(papers: int) -> str:
    if papers:
        return f"{counted(papers, 'paper')} indexed"
    # Its list of topics and shards alone: "0 papers indexed" was read as a fault (a trial).
    return "only its list of topics and shards (no paper to index)"


# Papers to index up to which Pagefind runs while the pages render, on the core the render
# leaves free at 1k papers (the cold-build budget, no slower than Hugo's). Not above: the
# memory budget (all processes under 1 GiB at 50k papers; Pagefind's alone take 593 MiB).
INDEX_BESIDE_UP_TO = 20_000


@contextmanager
def made_search_index(
    pending: PendingIndex, out: Path, *, beside: Executor | None = None
) -> Iterator[Callable[[], Path]]:
    """The index of `pending`, made in a directory beside `out` that is removed afterwards;
    what it yields waits for the index and returns that directory. With `beside`, the index
    is made there while the caller goes on."""
    work = out.with_name(f".{out.name}.search-{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    made: Future[None] | None = None
    try:
        if beside is None:
            write_search_shards(pending.shards, work, jobs=pending.jobs)
        else:  # each Pagefind on one thread, leaving the build its core (the rebuild budget,
            # under 2 s at 50k papers: Pagefind's threads took turns with the plan)
            made = beside.submit(
                write_search_shards, pending.shards, work, jobs=pending.jobs, one_thread=True
            )

        def index() -> Path:
            if made is not None:
                made.result()
            return work

        yield index
    finally:
        if made is not None:
            wait([made])  # not removed under Pagefind's feet when the render failed
        shutil.rmtree(work, ignore_errors=True)


def stage_search_index(
    made: Path,
    pending: PendingIndex,
    out: Path,
    staging: Path,
    outputs: dict[str, str],
    previous: PreviousBuild | None,
) -> PublishReport:
    """Move the shards `made` into `staging` (but the files `out` holds already) and put their
    files in `outputs` in place of the previous index's same shards and its shards now gone."""
    remade = {shard.directory: shard.key for shard in pending.shards}
    for path in [p for p in outputs if p.startswith(IN_INDEX)]:
        shard = _shard_of(path)
        if shard in remade or shard not in pending.directories:
            del outputs[path]
    written = PublishReport(files=0, bytes=0)
    for source in sorted(p for p in made.rglob("*") if p.is_file()):
        path = IN_INDEX + source.relative_to(made).as_posix()
        outputs[path] = remade[_shard_of(path)]
        if previous is not None and _already_published(source, out / path, previous, path):
            continue
        target = staging / path
        target.parent.mkdir(parents=True, exist_ok=True)
        written += PublishReport(files=1, bytes=source.stat().st_size)
        source.replace(target)
    return written


# What the path of each file of the search index starts with; tested inline, not by a call
# per file (55,000 at 50k papers: 0.05 s of the rebuild budget, under 2 s).
IN_INDEX = f"{SEARCH_INDEX_DIR}/"


def _shard_of(path: str) -> str:
    """The directory of the shard a file of the index belongs to."""
    return shard_directory(path.removeprefix(IN_INDEX))


_CONTENT_NAMED = (".pf_fragment", ".pf_index", ".pf_meta", ".pf_filter")


def _already_published(made: Path, published: Path, previous: PreviousBuild, path: str) -> bool:
    """Whether the site holds these bytes at this path. Pagefind names its chunks by a digest
    of their content, so for those the name tells, while the last build's file is as it left
    it: after a new day most of 50,000 fragments are unchanged, and are neither read nor moved
    again. Another, or one changed by hand since (only touched, perhaps), is read."""
    if path not in previous.recorded:
        return False
    if path in previous.files and path.endswith(_CONTENT_NAMED):
        return True
    return whole_files.holds(published, made.read_bytes())  # not a file in a .tar output


def pending_index(
    root: Path,
    site: Site,
    routes: Routes,
    states: Mapping[str, str],
    previous: PreviousBuild | None,
    *,
    clean: bool,
    jobs: int,
) -> PendingIndex | None:
    """The shards of the index to make: those the site does not hold whole and untouched
    (after a new day, the open month's). None when there are none and none to remove."""
    by_month = papers_by_month(site)
    layout = shard_layout(by_month.keys())
    directories = [directory for _, directory, _ in layout]
    published: dict[str, list[str]] = {}
    for path in previous.recorded if previous is not None else ():
        if path.startswith(IN_INDEX):
            published.setdefault(_shard_of(path), []).append(path)

    def up_to_date(directory: str, key: str | None) -> bool:
        paths = published.get(directory, [])
        return previous is not None and bool(paths) and all(previous.key(p) == key for p in paths)

    warm_up = warm_up_shard(directories, search_topics(site, routes))
    to_make = [] if up_to_date("", warm_up.key) else [warm_up]
    # A shard's key is a digest of its records, which read the papers' files; the key is
    # kept by what the records are made of, so that a shard whose papers did not change
    # (the closed months', after a new day) is known up to date without making its 50,000
    # records (the rebuild budget, under 2 s at 50k papers). Pagefind's release is not in
    # that: the cache is another code's, not reused, once it changes (versions.RENDERED_WITH).
    taxonomy = _taxonomy_digest(site)
    kept_keys = KeyedCache(root, "search-shards", reuse=not clean)
    keys: dict[str, str] = {}
    for period, directory, months in layout:
        # In the site's order: each month's is, and the site's is sorted.
        papers = sorted(i for month in months for i in by_month.get(month, ()))
        made_of = hashlib.blake2b(
            f"{directory}\0{taxonomy}\0".encode()
            + ";".join(map(states.__getitem__, papers)).encode(),
            digest_size=12,
        ).hexdigest()
        key = kept_keys.values.get(made_of)
        if key is None or not up_to_date(directory, key):
            shown = {month: by_month[month] for month in months if month in by_month}
            records = _search_records(root, site, routes, states, shown, reuse=not clean)
            shard = make_shard(period, directory, [records[i] for i in papers])
            key = shard.key
            if not up_to_date(directory, key):
                to_make.append(shard)
        keys[made_of] = key
    kept_keys.save(keys)
    if not to_make and published.keys() <= {"", *directories}:
        return None
    return PendingIndex(shards=tuple(to_make), directories=frozenset(["", *directories]), jobs=jobs)


def _search_records(
    root: Path,
    site: Site,
    routes: Routes,
    states: Mapping[str, str],
    months: Mapping[str, Sequence[str]],
    *,
    reuse: bool,
) -> dict[str, str]:
    """The search record, encoded, of each paper of `months` (by month, see cache.kept_by_month),
    kept by the paper's state and the topics' rules, as the API records are (a record
    reads the paper's file)."""
    taxonomy = _taxonomy_digest(site)
    return kept_by_month(
        root,
        "search-records",
        months,
        key=lambda paper_id: f"{taxonomy}:{states[paper_id]}",
        make=lambda paper_id: search_record(site, routes, paper_id).encoded(),
        reuse=reuse,
    )


def _taxonomy_digest(site: Site) -> str:
    """A digest of site.toml's topics, rules and all: they decide which topics' slugs a record
    lists (its names are in the manifest, which has a key of its own)."""
    return hashlib.blake2b(repr(site.config.topics).encode(), digest_size=8).hexdigest()
