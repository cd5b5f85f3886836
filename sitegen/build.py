"""`sitegen build`: content/ + site.toml + templates/ -> public/, as one visible pipeline.

read the content (parse cache) -> assemble the site (topics, cached) -> list every output with
the key of its inputs (sitegen.outputs) -> render those whose key changed -> publish them.

The first build, and `--clean`, render everything into a fresh directory and swap it in. Later
builds render only the outputs whose key differs from the last build's record and write only
the files whose bytes differ; the bytes are the same either way (tests compare them).

Large amounts of work are spread over one worker process per core: parsing the files the cache
does not hold, matching topics, and rendering; the cold-build budget (no slower than Hugo at
50,000 papers) needs them. An output does not depend on where it is rendered, so the bytes never
depend on the split. A full build's workers, started at its beginning, are forked from the
build itself when it runs no other thread; others from a fork server (where there is one:
spawned otherwise): forking a process with live threads (the preview server, the progress
bar) can deadlock. A worker ends itself when the build that started it dies, even by kill -9.
"""

from __future__ import annotations

import copyreg
import dataclasses
import gc
import hashlib
import io
import os
import pickle
import shutil
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Mapping, MutableMapping, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor, wait
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import jinja2
from jinja2.bccache import Bucket

from sitegen import transaction
from sitegen.cache import CACHE_DIR, KeyedCache, LoggedDicts, PaperParts, code_version
from sitegen.config import SiteConfig
from sitegen.errors import BuildError, Location, TemplateError, UsageError
from sitegen.fetch_state import awaited_days, load_fetch_state
from sitegen.formats import decode_content
from sitegen.model import Artifact, ContentSnapshot, Paper, Topic
from sitegen.outputs import (
    FEEDS,
    AllPapersFeed,
    CustomFeedFeed,
    CustomFeedPage,
    Output,
    PaperOutputs,
    PapersApiMonth,
    Renderers,
    TopicFeed,
    TopicPage,
    paper_states,
    papers_by_month,
    papers_named,
    plan_keyed,
    renderers,
)
from sitegen.pages import AbstractHTML, api_record
from sitegen.publish import (
    PreviousBuild,
    PublishReport,
    changed_files,
    changed_files_beside,
    check_output,
    exclusive,
    has_record,
    others_files,
    output_directory,
    previous_build,
    publish,
    read_record,
    remove_leftovers,
    update,
    write_artifacts,
)
from sitegen.search import (
    INDEX_DIR,
    SearchShard,
    make_shard,
    pagefind_version,
    search_record,
    shard_directory,
    shard_layout,
    warm_up_shard,
    write_search_shards,
)
from sitegen.site import Site, TopicAssigner, assemble_site, assign_all_topics
from sitegen.store import (
    PAPERS_DIR,
    PaperFiles,
    ParsedPaper,
    StoredPapers,
    content_lock,
    load_content,
    parse_paper_files,
)
from sitegen.urls import Routes

if TYPE_CHECKING:
    import multiprocessing.context
    from concurrent.futures import ProcessPoolExecutor

TEMPLATES_DIR = "templates"
PARALLEL_FROM = 2_000  # files to parse, papers to match or outputs to render: workers cost ~1 s
# Papers from which a full render starts the workers at the beginning of the build, and
# papers to match or outputs to render from which they are used then: their start (the fork
# server's imports, 0.4 s) overlaps the reading of the content, so matching and rendering
# 1,000 papers in them repays it (the cold-build budget, no slower than Hugo at 1k papers).
# Parsing 1,000 papers would wait for them: that takes less than their start.
START_EARLY_FROM = 500
USED_WHEN_STARTED_FROM = 500
_T = TypeVar("_T")
_R = TypeVar("_R")


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What a build made of the site, and what it had to change on disk."""

    pages: int  # HTML pages of the whole site
    feeds: int  # RSS, Atom and JSON feed files of the whole site
    files: int  # every file of the site
    rendered: int  # files rendered (the others were kept: their inputs had not changed)
    written: PublishReport  # files whose bytes changed
    removed: int  # files of the last build that the site no longer has
    full: bool  # rendered into a fresh directory and swapped in
    search_index: PendingIndex | None  # to make and publish; None: up to date or made
    search_indexed: int | None = None  # papers of the index made in this build, if one was
    kept: tuple[str, ...] = ()  # files of the output sitegen did not make (a CNAME), kept
    same_title: tuple[tuple[str, str], ...] = ()  # see ContentSnapshot.same_title
    awaited: tuple[date, ...] = ()  # days to fetch again that hold their periods open


@dataclass(frozen=True, slots=True)
class PendingIndex:
    """Shards of the search index to make and publish (`publish_search_index`) after the
    pages; the others the site holds already."""

    shards: tuple[SearchShard, ...]  # to make
    directories: frozenset[str]  # of every shard of the site's index (search.shard_directory)
    jobs: int  # Pagefind processes at once

    @property
    def records(self) -> tuple[str, ...]:
        """The papers to index."""
        return tuple(line for shard in self.shards for line in shard.records)


def build_site(
    root: Path,
    config: SiteConfig,
    *,
    out: Path,
    on_progress: Callable[[int], None] = lambda files: None,
    clean: bool = False,
    jobs: int | None = None,
    search: bool = True,
) -> BuildReport:
    """Read the content, render what changed since the last build, and publish it as `out`.

    `clean` ignores and replaces every cache: a true cold build. `jobs` is the number of
    worker processes (default: one per core when there is enough work to repay starting them).
    `search` makes the search index too, when it is out of date, in the same publish; without
    it the report says which index to make (`publish_search_index`).
    """
    templates = root / TEMPLATES_DIR
    template_environment(templates)  # a missing templates/ fails before any work
    setup = _setup_key(templates, config)
    out = output_directory(out)  # through a link to a web root
    check_output(out, root=root)  # before the lock: a refused output is not touched
    with (
        exclusive(out),
        _Workers(jobs) as workers,
        ThreadPoolExecutor(1) as beside,
        ExitStack() as indexing,
    ):
        remove_leftovers(out)  # of builds killed before they could clear them
        with _no_cycle_collection():
            warm_up = _WarmUp(templates, _CompiledTemplates(root, not clean))
            last = _LastBuild(out, warm_up)
            full = clean or not has_record(out)
            if full:  # every page to render: the workers start while the content is read
                workers.start_early(papers=_paper_files(root), warm_up=warm_up)
            # The state and the content as one fetch wrote them, under the store's lock (a
            # fetch between two reads closed a week short of a day: found by a review).
            with content_lock(root):
                awaited = awaited_days(load_fetch_state(root))
                snapshot = load_content(
                    root,
                    known_topics=config.topic_slugs(),
                    use_cache=not clean,
                    parse_papers=lambda files, known: _parse_in_pool(workers, files, known),
                    every_entry_a_paper=True,  # a mistyped id is never skipped in silence
                    meanwhile=None if full else last.read,
                )
            record = last.record
            # A stat of each file of public/, to notice hand edits, runs beside the assembling
            # of the site, in a child process (see changed_files_beside); not beside the
            # content's own stat child, which the build waits for (the rebuild budget, under
            # 2 s at 50k papers: the two children shared the other core).
            changed = None if record is None else changed_files_beside(out, record)
            site = assemble_site(
                snapshot,
                config,
                assign=_cached_topics(root, workers, reuse=not clean),
                awaited=awaited,
            )
            routes = Routes(config.base_url)
            states = paper_states(site)
            previous = None
            if changed is not None and record is not None:
                previous = previous_build(record, changed())
            pending: PendingIndex | None = None
            index: Callable[[], Path] | None = None

            def index_beside(stack: ExitStack) -> None:
                nonlocal pending, index
                pending = _pending_index(
                    root, site, routes, states, previous, clean=clean, jobs=workers.count
                )
                if search and pending is not None and len(pending.records) <= _INDEX_BESIDE_UP_TO:
                    index = stack.enter_context(_made_search_index(pending, out, beside=beside))

            if previous is not None:  # made while the site is planned and rendered (the rebuild
                index_beside(indexing)  # budget: the 0.3 s of Pagefind, waited for at the end)
            planned, outputs, dirty = _plan(site, routes, setup, states, previous)
        counted = len(outputs)
        if previous is not None:  # the index's files stay as they are until it is published
            outputs |= {p: e[0] for p, e in previous.files.items() if p.startswith(_IN_INDEX)}
        job = _RenderJob(site, templates, None if previous is None else out, warm_up.compiled)
        parts_cache, parts = _paper_parts(root, setup, states, reuse=not clean)

        def write(staging: Path) -> PublishReport:
            nonlocal index
            written = PublishReport(files=0, bytes=0)
            with ExitStack() as stack:
                rendering = _Render(dirty, job, parts, staging, workers)
                stack.callback(rendering.remove_files)
                # A full build's are made while the workers render the pages (the cold-build
                # budget: 1.5 s of CPU at 10k papers that left both workers idle when made before).
                api_records = _api_records(root, site, routes, states, dirty, clean=clean)
                if previous is None:
                    index_beside(stack)
                for rendered, report in rendering.results(api_records):
                    on_progress(rendered)
                    written += report
                if search and pending is not None:  # in the same transaction as the pages
                    if index is None:
                        workers.stop()  # before Pagefind's processes: all under 1 GiB at 50k
                        _return_freed_memory()
                        index = stack.enter_context(_made_search_index(pending, out))
                    made = index()
                    written += _stage_search_index(made, pending, out, staging, outputs, previous)
            return written

        with _write_errors_reported(out):
            if previous is None:
                (written, kept), removed = publish(write, out, outputs), 0
            elif not dirty and pending is None and previous.recorded == outputs.keys():
                # Every file is as the record says, which stays true: no transaction, no new
                # record (the rebuild budget: writing the record of 55,000 files took 0.2 s).
                written, removed = PublishReport(files=0, bytes=0), 0
                kept = others_files(out, outputs)
            else:
                rendered = [path for o in dirty for path in o.paths]
                written, removed = update(write, out, outputs, previous=previous, rendered=rendered)
                kept = others_files(out, outputs)
        standing = papers_named(o for o, _ in planned if isinstance(o.inputs, _NEWEST_LISTS))
        parts_cache.save(
            {
                i: (_parts_made_of(setup, states[i]), held)
                for i, held in parts.held.items()
                if i in standing
            }
        )
    return BuildReport(
        pages=sum(1 for path in outputs if path.endswith(".html")),
        feeds=sum(len(o.paths) for o, _ in planned if isinstance(o.inputs, FEEDS)),
        files=counted,
        rendered=sum(len(o.paths) for o in dirty),
        written=written,
        removed=removed,
        full=previous is None,
        search_index=None if search else pending,
        search_indexed=len(pending.records) if search and pending is not None else None,
        kept=kept,
        same_title=snapshot.same_title,
        awaited=tuple(sorted(awaited)),
    )


@dataclass
class _LastBuild:
    """The last build's record, read with the render made ready (`warm_up`) while a child
    process stats the content's files, which the build waits for (the rebuild budget, under
    2 s at 50k papers: 0.2 s of the build's time, then spent waiting)."""

    out: Path
    warm_up: _WarmUp
    record: dict[str, tuple[str, int, int]] | None = None

    def read(self) -> None:
        self.record = read_record(self.out)
        if self.record is not None:
            self.warm_up()


def _api_records(
    root: Path,
    site: Site,
    routes: Routes,
    states: Mapping[str, str],
    dirty: Sequence[Output],
    *,
    clean: bool,
) -> Mapping[str, str]:
    """The API records of the papers of the `dirty` months of /api/papers/."""
    # A record shows what its paper's page does, so it is kept by the same state (50,000
    # records take a second to make).
    api_records = _by_month(
        root,
        "api-records",
        {o.inputs.month: o.inputs.papers for o in dirty if isinstance(o.inputs, PapersApiMonth)},
        key=lambda paper_id: f"{routes.base_url}:{states[paper_id]}",
        make=lambda paper_id: api_record(site, routes, paper_id),
        reuse=not clean,
    )
    # What earlier versions kept in one file for every paper (55 MB at 50k papers, which a
    # scheduled run restores and saves), never read again.
    for stale in ("api-records", "search-records"):
        with suppress(OSError):
            (root / CACHE_DIR / f"{stale}.marshal").unlink(missing_ok=True)
    return api_records


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector off while the site is planned: it went over the 50,000 papers'
    values again and again as they were made, and planning leaves no cycles behind (the
    rebuild budget, under 2 s at 50k papers: 0.5 s of CPU)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _plan(
    site: Site,
    routes: Routes,
    setup: str,
    states: Mapping[str, str],
    previous: PreviousBuild | None,
) -> tuple[list[tuple[Output, str]], dict[str, str], list[Output]]:
    """Every output but the one-paper ones with its key, every file's key, and the outputs
    to render: all without a previous build, else those a file of which it did not leave
    with the same key."""
    planned: list[tuple[Output, str]] = []
    outputs: dict[str, str] = {}
    dirty: list[Output] = []
    known = {} if previous is None else previous.files
    for item in plan_keyed(site, routes, setup=setup, paper_states=states):
        if isinstance(item, PaperOutputs):
            outputs.update(zip(item.paths, item.keys, strict=True))
            dirty += [
                item.output(i, routes)
                for i, (path, key) in enumerate(zip(item.paths, item.keys, strict=True))
                if (entry := known.get(path)) is None or entry[0] != key
            ]
            continue
        output, key = item
        planned.append(item)
        outputs.update(dict.fromkeys(output.paths, key))
        if previous is None or any(_key(known, p) != key for p in output.paths):
            dirty.append(output)
    return planned, outputs, dirty


def publish_search_index(out: Path, pending: PendingIndex) -> None:
    """Make the search index and move it into the site `out` as one transaction of its own,
    replacing the previous index's files; the pages are not touched. It is made outside the
    site's lock (`sitegen serve`: an edit shows without waiting for the index, issue #16)."""
    out = output_directory(out).absolute()
    with _made_search_index(pending, out) as index, exclusive(out), _write_errors_reported(out):
        made = index()
        record = read_record(out)
        if record is None:
            return  # the site is gone or was never built: nothing to index
        previous = previous_build(record, changed_files(out, record))
        outputs = {p: entry[0] for p, entry in record.items()}
        paths: list[str] = []

        def write(staging: Path) -> PublishReport:
            written = _stage_search_index(made, pending, out, staging, outputs, previous)
            paths.extend(p for p in outputs if p.startswith(_IN_INDEX))
            return written

        update(write, out, outputs, previous=previous, rendered=paths)


# Papers to index up to which Pagefind runs while the pages render, on the core the render
# leaves free at 1k papers (the cold-build budget, no slower than Hugo's). Not above: the
# memory budget (all processes under 1 GiB at 50k papers; Pagefind's alone take 593 MiB).
_INDEX_BESIDE_UP_TO = 20_000


@contextmanager
def _made_search_index(
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


def _stage_search_index(
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
    for path in [p for p in outputs if p.startswith(_IN_INDEX)]:
        shard = _shard_of(path)
        if shard in remade or shard not in pending.directories:
            del outputs[path]
    written = PublishReport(files=0, bytes=0)
    for source in sorted(p for p in made.rglob("*") if p.is_file()):
        path = _IN_INDEX + source.relative_to(made).as_posix()
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
_IN_INDEX = f"{INDEX_DIR}/"


def _shard_of(path: str) -> str:
    """The directory of the shard a file of the index belongs to."""
    return shard_directory(path.removeprefix(_IN_INDEX))


_CONTENT_NAMED = (".pf_fragment", ".pf_index", ".pf_meta", ".pf_filter")


def _already_published(made: Path, published: Path, previous: PreviousBuild, path: str) -> bool:
    """Whether the site holds these bytes at this path as the last build left them. Pagefind
    names its chunks by a digest of their content, so for those the name tells: after a new
    day most of 50,000 fragments are unchanged, and are neither read nor moved again."""
    if path not in previous.files:
        return False
    if path.endswith(_CONTENT_NAMED):
        return True
    return transaction.holds(published, made.read_bytes())  # not a file in a .tar output


def _pending_index(
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
    known = previous.files if previous is not None else {}
    published: dict[str, list[str]] = {}
    for path in previous.recorded if previous is not None else ():
        if path.startswith(_IN_INDEX):
            published.setdefault(_shard_of(path), []).append(path)

    def up_to_date(directory: str, key: str | None) -> bool:
        paths = published.get(directory, [])
        return bool(paths) and all(_key(known, path) == key for path in paths)

    warm_up = warm_up_shard(directories)
    to_make = [] if up_to_date("", warm_up.key) else [warm_up]
    # A shard's key is a digest of its records, which read the papers' files; the key is
    # kept by what the records are made of, so that a shard whose papers did not change
    # (the closed months', after a new day) is known up to date without making its 50,000
    # records (the rebuild budget, under 2 s at 50k papers).
    names = _topic_names(site)
    kept_keys = KeyedCache(root, "search-shards", reuse=not clean)
    keys: dict[str, str] = {}
    for period, directory, months in layout:
        # In the site's order: each month's is, and the site's is sorted.
        papers = sorted(i for month in months for i in by_month.get(month, ()))
        made_of = hashlib.blake2b(
            f"{pagefind_version()}\0{directory}\0{names}\0".encode()
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
    """The search record, encoded, of each paper of `months` (by month, see `_by_month`),
    kept by the paper's state and the topics' names, as the API records are (a record
    reads the paper's file)."""
    names = _topic_names(site)
    return _by_month(
        root,
        "search-records",
        months,
        key=lambda paper_id: f"{names}:{states[paper_id]}",
        make=lambda paper_id: search_record(site, routes, paper_id).encoded(),
        reuse=reuse,
    )


def _topic_names(site: Site) -> str:
    """A digest of the topics' names, which search records show."""
    return hashlib.blake2b(repr(site.config.topics).encode(), digest_size=8).hexdigest()


def _by_month(
    root: Path,
    name: str,
    months: Mapping[str, Sequence[str]],
    *,
    key: Callable[[str], str],
    make: Callable[[str], str],
    reuse: bool,
) -> dict[str, str]:
    """`make` of each paper of `months` (paper ids by the month that first featured them),
    kept by `key` in a cache file a month: a new day reads and writes the open month's alone,
    where one file of 50,000 was read and written whole (the rebuild budget, under 2 s at
    50k papers: 0.4 s)."""
    made: dict[str, str] = {}
    for month, papers in months.items():
        cache = KeyedCache(root, f"{name}-{month or 'unfeatured'}", reuse=reuse)
        keys = [key(paper_id) for paper_id in papers]
        values = [cache.values.get(k) or make(i) for i, k in zip(papers, keys, strict=True)]
        cache.save(dict(zip(keys, values, strict=True)))
        made.update(zip(papers, values, strict=True))
    return made


@contextmanager
def _write_errors_reported(out: Path) -> Iterator[None]:
    """A site that cannot be written (a full disk, say) is one line, not a traceback; the
    previous site is whole either way (issue #19)."""
    try:
        yield
    except OSError as error:
        reason = error.strerror or str(error) or type(error).__name__
        raise BuildError(
            f"cannot write the site: {reason}",
            location=Location(str(error.filename or out)),
            hint="free some space or fix the permissions; the previous site is unchanged",
        ) from None


def _key(files: Mapping[str, tuple[str, int, int]], path: str) -> str | None:
    entry = files.get(path)
    return entry[0] if entry else None


def _setup_key(templates: Path, config: SiteConfig) -> str:
    """What every output depends on: sitegen's code, the templates, the whole of site.toml."""
    digest = hashlib.blake2b(code_version().encode(), digest_size=12)
    for path in sorted(templates.rglob("*")):
        if path.is_file():
            digest.update(f"\0{path.relative_to(templates).as_posix()}\0".encode())
            digest.update(path.read_bytes())
    digest.update(repr(config).encode())
    return digest.hexdigest()


class _Workers:
    """Worker processes, started only when a stage has enough work to repay starting them."""

    def __init__(self, jobs: int | None) -> None:
        if jobs is not None and jobs < 1:
            raise UsageError(f"--jobs {jobs}: the number of worker processes is 1 or more")
        self.count = jobs if jobs is not None else (os.cpu_count() or 1)
        self.threshold = 1 if jobs is not None else PARALLEL_FROM
        self.started_threshold = self.threshold  # lower once they are started early
        self._pool: ProcessPoolExecutor | None = None
        self._fork = False  # forked from this process (see start_early)

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start_early(self, *, papers: int, warm_up: _WarmUp) -> None:
        """Start the workers now, if a build of this many papers will use them: they get
        ready (`warm_up`) while this process reads the content."""
        if self.count > 1 and papers >= min(self.threshold, START_EARLY_FROM):
            self.started_threshold = min(self.threshold, USED_WHEN_STARTED_FROM)
            # Forked from this process, when it runs no other thread and holds no lock of the
            # content yet (a forked worker would hold it too), not from a fork server: the
            # server's start imported sitegen again (the cold-build budget, no slower than
            # Hugo at 1k papers: 0.35 CPU-s, before any worker could start).
            self._fork = _can_fork()
            for _ in range(self.count):  # the pool starts a process per call it is given
                self._started().submit(warm_up)

    def stop(self) -> None:
        """End the worker processes, giving their memory back; a later map starts new ones."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
            self._fork = False  # a later start: the build runs threads by then
            _stop_fork_server()

    def map(
        self,
        function: Callable[[Sequence[_T]], _R],
        items: Sequence[_T],
        *,
        if_started: bool = False,
    ) -> Iterator[_R]:
        """`function` of chunks of `items`, in order: in the workers when there are enough
        (fewer with `if_started`, when they were started early), else of all of them here.
        A few chunks per worker even out their speeds."""
        if not self.worth_it(items, if_started=if_started):
            return map(function, [items] if items else [])
        size = self.chunk_size(items, len(items))
        return self.map_chunks(function, [items[i : i + size] for i in range(0, len(items), size)])

    def worth_it(self, items: Sequence[object], *, if_started: bool = False) -> bool:
        threshold = self.started_threshold if if_started else self.threshold
        return self.count > 1 and len(items) >= threshold

    def map_chunks(self, function: Callable[[_T], _R], chunks: Sequence[_T]) -> Iterator[_R]:
        """`function` of each chunk, in order, in the workers."""
        return self._started().map(function, chunks)

    def _started(self) -> ProcessPoolExecutor:
        if self._pool is None:
            from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415 (_worker_context)

            self._pool = ProcessPoolExecutor(
                max_workers=self.count,
                mp_context=_worker_context(fork=self._fork),
                initializer=_worker_started,
            )
        return self._pool

    def chunk_size(self, items: Sequence[object], most: int) -> int:
        return max(1, min(most, -(-len(items) // (4 * self.count))))


def _return_freed_memory() -> None:
    """Give the memory this process has freed back to the system, which glibc keeps otherwise
    (each thread that read from the workers or Pagefind has an arena of its own). The memory
    budget: a cold 50k build's main process peaks at about 400 MiB with it, 450 without."""
    if sys.platform.startswith("linux"):
        import ctypes  # noqa: PLC0415 (see _worker_context)

        trim = getattr(ctypes.CDLL(None), "malloc_trim", None)  # glibc's; musl has none
        if trim is not None:
            trim(0)


def _can_fork() -> bool:
    """Whether workers can be forked from this process: on Linux (where fork is the default,
    and safe), with no other thread running."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


# In a worker: the templates it compiled as it started, for its render (_WarmUp).
_warm_environments: dict[Path, jinja2.Environment] = {}


@dataclass(frozen=True, slots=True)
class _WarmUp:
    """In a worker, as it starts, while the build reads the content: import what
    sitegen.build imports only when it first renders an abstract or a feed, and compile the
    templates (the cold-build budget, no slower than Hugo at 1k papers: 0.15 CPU-s of each
    worker's render, which the workers' wait for the content now holds)."""

    templates: Path
    compiled: _CompiledTemplates

    def __call__(self) -> None:
        import feedgen.feed  # noqa: F401, PLC0415
        import markdown_it  # noqa: F401, PLC0415

        try:
            env = template_environment(self.templates, compiled=self.compiled)
            for name in env.list_templates(extensions=["html"]):
                env.get_template(name)
        except jinja2.TemplateError:
            return  # the render reports it
        _warm_environments[self.templates] = env


def _worker_context(*, fork: bool = False) -> multiprocessing.context.BaseContext:
    """Workers forked from this process (`fork`: see _Workers.start_early), else from a
    server process that imported sitegen once, not each started as a new interpreter that
    imports it (the cold-build budget, no slower than Hugo at 1k papers: 0.3 s of CPU per
    worker). The server is started like a spawned worker, never forked from this process
    and its threads. Spawn where there is no fork (Windows). multiprocessing is imported
    here, when workers are first needed: a rebuild starts none (the rebuild budget, under
    2 s at 50k papers: its import took 0.03 s of CPU)."""
    import multiprocessing  # noqa: PLC0415

    if fork:
        return multiprocessing.get_context("fork")
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # And what sitegen.build imports only when it first renders an abstract or a feed.
    context.set_forkserver_preload(["sitegen.build", "markdown_it", "feedgen.feed"])
    return context


def _stop_fork_server() -> None:
    """End the fork server, if one runs, and wait for it: its memory is given back (the
    memory budget), and its workers' CPU time is counted in this process's children's, as a
    spawned worker's is. The next pool starts a new one."""
    module = sys.modules.get("multiprocessing.forkserver")  # imported when one was started
    server = getattr(module, "_forkserver", None)
    stop = getattr(server, "_stop", None)  # private, but in every Python since 3.8
    if stop is not None:
        stop()


def _worker_started() -> None:
    """In a worker, first."""
    gc.enable()  # off in a build forked while it planned (_no_cycle_collection)
    _exit_with_parent()


def _exit_with_parent() -> None:
    """In a worker: exit as soon as the build that started it is gone. A build killed with -9
    cannot stop its workers, and they would keep rendering for nothing (issue #15)."""
    # The end of a pipe the build holds open, which reads as closed once the build is gone:
    # whether the worker was spawned, forked from the build or from the fork server (which
    # outlives the build while a worker does). prctl(PR_SET_PDEATHSIG) is Linux-only and
    # fires when the thread that started the worker ends, not the build.
    import multiprocessing.connection  # noqa: PLC0415 (see _worker_context)

    build = multiprocessing.parent_process()
    if build is None:
        return  # not a worker

    def watch() -> None:
        multiprocessing.connection.wait([build.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="sitegen-parent-watch", daemon=True).start()


def _paper_files(root: Path) -> int:
    try:
        names = os.listdir(root / PAPERS_DIR)  # noqa: PTH208 (no Path for each of 50,000)
        return sum(1 for name in names if name.endswith(".md"))
    except OSError:
        return 0  # no content: the read reports it


def _parse_in_pool(
    workers: _Workers, files: PaperFiles, known: frozenset[str] | None
) -> list[ParsedPaper]:
    if not workers.worth_it(files):  # kept unpickled: nothing hands them on to the workers
        return list(parse_paper_files(list(files), known))
    parse = _ParseChunk(known)
    return [parsed for chunk in workers.map(parse, files) for parsed in chunk]


@dataclass(frozen=True, slots=True)
class _ParseChunk:
    known: frozenset[str] | None

    def __call__(self, files: Sequence[tuple[str, str]]) -> list[ParsedPaper]:
        # Pickled once, here: the main process hands each paper on to the workers that render
        # it, several times, and unpickles it only when it reads it itself (the cold-build
        # budget: pickling 200,000 Papers there instead took 15 s of CPU at 50k papers).
        parsed = parse_paper_files(list(files), self.known)
        return [(facts, _pickled(paper)) for facts, paper in parsed]


_PAPER_FIELDS = tuple(field.name for field in dataclasses.fields(Paper))
_BY_FIELDS = {**copyreg.dispatch_table, Paper: lambda p: (_paper, _fields_of(p))}


def _pickled(paper: Paper) -> bytes:
    """`paper` pickled as its fields' values, which unpickle twice as fast as the dataclass's
    own state (the cold-build budget: 4% of a cold build's CPU at 10k papers was unpickling)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _BY_FIELDS
    pickler.dump(paper)
    return buffer.getvalue()


def _fields_of(paper: Paper) -> tuple[object, ...]:
    return tuple(getattr(paper, name) for name in _PAPER_FIELDS)


def _paper(*values: object) -> Paper:
    return Paper(**dict(zip(_PAPER_FIELDS, values, strict=True)))  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class _AssignChunk:
    taxonomy: tuple[Topic, ...]

    def __call__(self, papers: Sequence[Paper | bytes]) -> list[tuple[str, ...]]:
        unpickled = [pickle.loads(p) if isinstance(p, bytes) else p for p in papers]
        return assign_all_topics(unpickled, self.taxonomy)


def _cached_topics(root: Path, workers: _Workers, *, reuse: bool) -> TopicAssigner:
    """Topic matching, kept by the paper's digest under the rules: only new or edited papers,
    or all of them after the rules changed, are matched again."""

    def assign(
        snapshot: ContentSnapshot, ids: list[str], taxonomy: tuple[Topic, ...]
    ) -> list[tuple[str, ...]]:
        rules = hashlib.blake2b(repr(taxonomy).encode(), digest_size=12).hexdigest()
        cache = LoggedDicts.load(root, "topics", 1) if reuse else None
        if cache is None or cache.extra != rules:
            cache = LoggedDicts(root, "topics", 1)
        topics, digests = cache.dicts[0], [snapshot.digests[i] for i in ids]
        missing = [i for i, d in zip(ids, digests, strict=True) if d not in topics]
        # Papers the workers parsed go back to them as they came, pickled: not unpickled here
        # and pickled again (the cold-build budget: an unpickle and a pickle a paper).
        papers = snapshot.papers
        held = papers.held(missing) if isinstance(papers, StoredPapers) else {}
        chosen = [held.get(i) or papers[i] for i in missing]
        matched = workers.map(_AssignChunk(taxonomy), chosen, if_started=True)
        for paper_id, paper_topics in zip(missing, (t for c in matched for t in c), strict=True):
            cache.set(0, snapshot.digests[paper_id], paper_topics)
        for unused in topics.keys() - digests:
            cache.drop(0, unused)
        cache.save(rules)
        return [topics[d] for d in digests]

    return assign


# The lists of newest papers, which a new day changes: their papers' parts are kept.
_NEWEST_LISTS = (TopicPage, TopicFeed, AllPapersFeed, CustomFeedPage, CustomFeedFeed)


def _paper_parts(
    root: Path, setup: str, states: Mapping[str, str], *, reuse: bool
) -> tuple[KeyedCache, PaperParts]:
    """The papers' parts kept by the last build, of the papers whose state and setup are the
    same (see PaperParts)."""
    cache = KeyedCache(root, "paper-parts", reuse=reuse)
    held = {
        paper_id: parts
        for paper_id, (made_of, parts) in cache.values.items()
        if paper_id in states and made_of == _parts_made_of(setup, states[paper_id])
    }
    return cache, PaperParts(held)


def _parts_made_of(setup: str, state: str) -> str:
    """What a paper's parts are kept by: the build's setup and the paper's state."""
    return f"{setup}:{state}"


@dataclass(frozen=True, slots=True)
class _RenderJob:
    """What every render job needs; it reaches each worker once (without the papers)."""

    site: Site
    templates: Path
    compare_with: Path | None  # write only files whose bytes differ from this directory's
    compiled: _CompiledTemplates | None = None


class _Render:
    """The render of `outputs` into `staging`: in the workers, started at once, when there
    are enough outputs; else in this process, as `results` is read."""

    def __init__(
        self,
        outputs: list[Output],
        job: _RenderJob,
        parts: PaperParts,
        staging: Path,
        workers: _Workers,
    ) -> None:
        self.outputs, self.job, self.parts, self.staging = outputs, job, parts, staging
        self.in_workers: Iterator[tuple[int, PublishReport, dict[str, dict[str, Any]]]] | None = (
            None
        )
        self.shared = staging.with_name(f"{staging.name}.job.pickle")
        self.papers = staging.with_name(f"{staging.name}.job.papers")
        if not workers.worth_it(outputs, if_started=True):
            return
        _return_freed_memory()  # of reading and parsing 50,000 papers, before the workers grow
        # The API records (30 MB at 50k papers) stay here, with the month files that show
        # them: the memory budget (all processes under 1 GiB at 50k papers).
        self.outputs = [o for o in outputs if isinstance(o.inputs, PapersApiMonth)]
        shares = [o for o in outputs if not isinstance(o.inputs, PapersApiMonth)]
        chunks = list(_render_chunks(shares, workers.chunk_size(shares, 100)))
        papers = job.site.papers
        held = (
            papers.held(set().union(*(n for _, n in chunks)))
            if isinstance(papers, StoredPapers)
            else {}
        )
        # The job reaches each worker once, through a file, not once per chunk through a pipe;
        # and the papers this process holds through another, each pickled once, not with each
        # chunk that shows it (the cold-build budget, no slower than Hugo at 10k papers: a
        # paper was in six chunks, 159 MB through the pipes, 0.5 CPU-s pickled and unpickled).
        at = _write_papers(held, self.papers)
        with self.shared.open("wb") as file:
            pickle.dump((job, at), file, pickle.HIGHEST_PROTOCOL)
        shares_named = [(chunk, tuple(named)) for chunk, named in chunks]
        render = _RenderInWorker(staging, self.shared, self.papers)
        self.in_workers = workers.map_chunks(render, shares_named)

    def remove_files(self) -> None:
        """Remove the files the workers read."""
        self.shared.unlink(missing_ok=True)
        self.papers.unlink(missing_ok=True)

    def results(self, api_records: Mapping[str, str]) -> Iterator[tuple[int, PublishReport]]:
        """(files rendered, files written) of each chunk, as the chunks finish."""
        here = _Renderer(self.job, api_records, self.parts)
        if self.in_workers is None:
            chunks = [self.outputs[i : i + 200] for i in range(0, len(self.outputs), 200)]
            yield from (here.run(chunk, self.staging) for chunk in chunks)
            return
        yield here.run(self.outputs, self.staging)
        for rendered, written, made in self.in_workers:
            self.parts.add(made)  # the papers' parts the workers made
            yield rendered, written


def _write_papers(papers: Mapping[str, Paper | bytes], path: Path) -> dict[str, tuple[int, int]]:
    """Write each of `papers` pickled into the file `path`; where each is (offset, size)."""
    at: dict[str, tuple[int, int]] = {}
    offset = 0
    with path.open("wb") as file:
        for paper_id, paper in papers.items():
            data = paper if isinstance(paper, bytes) else _pickled(paper)
            file.write(data)
            at[paper_id] = (offset, len(data))
            offset += len(data)
    return at


# Papers the outputs of a render chunk show at most (a hundred day pages show 5,000): a worker
# holds one chunk's papers, and the main process pickles them for it. The memory budget (all
# processes under 1 GiB at 50k papers): a chunk of 100 top-papers pages showed all 50,000
# papers, 80 MB pickled, and took a cold build's peak to 1,141 MiB (bench/README.md).
_CHUNK_PAPERS = 5_000


def _render_chunks(outputs: Sequence[Output], size: int) -> Iterator[tuple[list[Output], set[str]]]:
    """`outputs` in chunks of at most `size`, each with the papers it shows, which are at most
    `_CHUNK_PAPERS` but for an output that shows more alone."""
    chunk: list[Output] = []
    named: set[str] = set()
    for output in outputs:
        shown = papers_named([output])
        if chunk and (len(chunk) >= size or len(named) + len(shown - named) > _CHUNK_PAPERS):
            yield chunk, named
            chunk, named = [], set()
        chunk.append(output)
        named |= shown
    if chunk:
        yield chunk, named


class _Renderer:
    def __init__(self, job: _RenderJob, api_records: Mapping[str, str], parts: PaperParts) -> None:
        self.job, self.api_records, self.parts = job, api_records, parts
        warm: jinja2.Environment | None = _warm_environments.pop(job.templates, None)
        self.env = warm or template_environment(job.templates, compiled=job.compiled)
        self.routes = Routes(job.site.config.base_url)
        # Each abstract rendered once in a process: pages and feeds of any chunk show it.
        self.abstracts = AbstractHTML(job.site.papers)

    def run(self, outputs: Sequence[Output], staging: Path) -> tuple[int, PublishReport]:
        # Cards are shared by the pages of one chunk; kept across chunks they would hold every
        # paper at every depth and rank (hundreds of MB per worker at 50k papers).
        r = renderers(
            self.job.site, self.routes, self.env,
            templates=self.job.templates, api_records=self.api_records,
            abstracts=self.abstracts, parts=self.parts,
        )  # fmt: skip
        artifacts = [a for output in outputs for a in _rendered(output, r)]
        return len(artifacts), write_artifacts(artifacts, staging, unless_in=self.job.compare_with)


def _rendered(output: Output, r: Renderers) -> list[Artifact]:
    try:
        return list(output.inputs.render(r))
    except jinja2.TemplateError as error:
        raise _template_error(error) from None
    except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError) as error:
        # `{{ "x" + 1 }}` fails in Python, inside the template: said with its file and line.
        # The same error raised by sitegen's own code is a bug, and is not hidden.
        where = _template_line(error)
        if where is None:
            raise
        raise TemplateError(
            f"template error: {type(error).__name__}: {error}",
            location=where,
            hint="fix the template",
        ) from None
    except FileNotFoundError as error:  # a static file of templates/
        raise TemplateError(
            f"missing {TEMPLATES_DIR}/{Path(str(error.filename)).name}",
            hint="restore the templates directory from the sitegen repository",
        ) from None


_worker_renderers: dict[Path, _Renderer] = {}  # in a worker: the current build's renderer
# In a worker: the papers of the shares it rendered, unpickled, for its next shares, in sites
# of up to this many papers: a paper is shown by six shares at 10k papers, and unpickling
# each share's papers was a tenth of the workers' CPU (the cold-build budget, no slower than
# Hugo at 10k papers). Not above: the memory budget (2 KB a paper in each worker at 50k).
_KEEP_UNPICKLED_UP_TO = 20_000
_worker_papers: dict[str, Paper] = {}
_worker_papers_at: dict[str, tuple[int, int]] = {}  # in the build's file (_write_papers)
_Share = tuple[Sequence[Output], tuple[str, ...]]  # outputs, with the ids of the papers they show


@dataclass(frozen=True, slots=True)
class _RenderInWorker:
    staging: Path
    shared: Path
    papers: Path  # the papers the build held (_write_papers)

    def __call__(self, share: _Share) -> tuple[int, PublishReport, dict[str, dict[str, Any]]]:
        renderer = _worker_renderers.get(self.shared)
        if renderer is None:
            _worker_renderers.clear()
            _worker_papers.clear()
            with self.shared.open("rb") as file:
                job, at = pickle.load(file)
            _worker_papers_at.clear()
            _worker_papers_at.update(at)
            renderer = _worker_renderers[self.shared] = _Renderer(job, {}, PaperParts())
        outputs, named = share
        site_papers = renderer.job.site.papers
        if isinstance(site_papers, StoredPapers):
            site_papers.hold_only(self._held(named, keep=len(site_papers) <= _KEEP_UNPICKLED_UP_TO))
        rendered, written = renderer.run(outputs, self.staging)
        return rendered, written, renderer.parts.take_made()

    def _held(self, named: tuple[str, ...], *, keep: bool) -> dict[str, Paper | bytes]:
        """The papers of a share the build held, read from its file; those the build did not
        hold are read from their own file when shown (StoredPapers)."""
        # Unpickled once for the share, not at each page, card and feed that shows the paper
        # (the cold-build budget: 60,000 unpickles of 10,000 papers at 10k), and kept for the
        # next shares with `keep`; but for an output that shows more papers alone (the memory
        # budget: 2 KB each unpickled).
        whole = len(named) <= _CHUNK_PAPERS
        known, at = _worker_papers, _worker_papers_at
        held: dict[str, Paper | bytes] = {}
        unpickled: dict[str, Paper] = {}
        with self.papers.open("rb") as file:
            for paper_id in named:
                paper = known.get(paper_id)
                if paper is not None:
                    held[paper_id] = paper
                elif (where := at.get(paper_id)) is not None:
                    data = os.pread(file.fileno(), where[1], where[0])
                    if whole:
                        held[paper_id] = unpickled[paper_id] = pickle.loads(data)
                    else:
                        held[paper_id] = data
        if keep:
            known.update(unpickled)
        return held


class _CompiledTemplates(jinja2.BytecodeCache):
    """Each template as Python code, compiled by an earlier build, kept in .sitegen-cache/ by
    its source's digest. Compiling the dozen templates a new day's pages use took a fifth of
    their rendering (the rebuild budget, under 2 s at 50k papers); every worker of a full
    build compiled them again too. `reuse` False: compiled again, and kept."""

    def __init__(self, root: Path, reuse: bool) -> None:
        self.root, self.reuse = root, reuse

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        # By name alone, not the file's path: a site copied or cloned elsewhere keeps them.
        return hashlib.blake2b(name.encode(), digest_size=12).hexdigest()

    def _cache(self, bucket: Bucket, *, reuse: bool) -> KeyedCache:
        return KeyedCache(self.root, f"template-{bucket.key}", reuse=reuse)

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._cache(bucket, reuse=self.reuse).values.get(bucket.checksum)
        if code is not None:
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._cache(bucket, reuse=False).save({bucket.checksum: bucket.code})


class _Environment(jinja2.Environment):
    """Jinja's environment, each template's globals one dict. Jinja chains them to the
    environment's (a ChainMap), which each render copies twice, key by key: a third of a
    card's rendering (the cold-build budget, no slower than Hugo at 10k papers). Nothing
    changes the globals once a template is loaded."""

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}


def template_environment(
    directory: Path, *, compiled: jinja2.BytecodeCache | None = None
) -> jinja2.Environment:
    if not directory.is_dir():
        raise TemplateError(
            f"no {TEMPLATES_DIR}/ directory at {directory}",
            hint="restore the templates directory from the sitegen repository",
        )
    return _Environment(
        loader=_TemplateFiles(directory),
        autoescape=True,  # every template is HTML; only the rendered abstract is marked safe
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # A build reads each template once: no stat of it at each of 50,000 pages to see
        # whether it changed (the cold-build budget: a tenth of a page's rendering).
        auto_reload=False,
        bytecode_cache=compiled,
    )


class _TemplateFiles(jinja2.FileSystemLoader):
    """Templates read as UTF-8: one that is not is an error naming its file and line."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError:  # read again, to say which line
            data = (Path(self.searchpath[0]) / template).read_bytes()
            decode_content(data, path=f"{TEMPLATES_DIR}/{template}", error=TemplateError)
            raise


def _template_error(error: jinja2.TemplateError) -> TemplateError:
    if isinstance(error, jinja2.TemplateSyntaxError):
        where = Location(error.filename or error.name or TEMPLATES_DIR, error.lineno)
        return TemplateError(
            f"template syntax: {error.message}", location=where, hint="fix the template"
        )
    if isinstance(error, jinja2.TemplateNotFound):
        return TemplateError(
            f"missing template {error.name}", location=Location(TEMPLATES_DIR), hint="restore it"
        )
    return TemplateError(
        f"template error: {error}",
        location=_template_line(error) or Location(TEMPLATES_DIR),
        hint="fix the template",
    )


def _template_line(error: BaseException) -> Location | None:
    """The template and line an error of rendering was raised in (Jinja gives a template's
    frames its file and lines), or by Jinja for it (a filter); None when the code that
    raised it is sitegen's, called by a template: a bug, not the template's."""
    frames = list(traceback.walk_tb(error.__traceback__))
    for frame, line in reversed(frames):  # from where it was raised
        name = Path(frame.f_code.co_filename)
        if name.is_relative_to(_JINJA):
            continue
        if name.suffix in _TEMPLATE_SUFFIXES and name.parent.name == TEMPLATES_DIR:
            return Location(f"{TEMPLATES_DIR}/{name.name}", line)
        return None
    return None


_JINJA = Path(jinja2.__file__).parent


_TEMPLATE_SUFFIXES = frozenset({".html", ".xml", ".txt", ".css", ".js", ".svg"})
