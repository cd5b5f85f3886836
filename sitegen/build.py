"""`sitegen build`: content/ + site.toml + templates/ -> public/, as one visible pipeline.

read the content (sitegen.store, its parse cache) -> assemble the site (sitegen.site; topics
kept by paper) -> list every output with the key of its inputs (sitegen.outputs) -> render
those whose key changed (sitegen.render, in sitegen.workers when there are enough) -> publish
them (sitegen.publish) with the search index's shards that changed (sitegen.search_index).

The first build, and `--clean`, render everything into a fresh directory and swap it in. Later
builds render only the outputs whose key differs from the last build's record and write only
the files whose bytes differ; the bytes are the same either way (tests compare them).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, suppress
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path, PurePosixPath

from sitegen.api import api_record
from sitegen.build_record import (
    PreviousBuild,
    changed_files_beside,
    has_record,
    previous_build,
    read_record,
)
from sitegen.cache import KeyedCache, LoggedDicts, digest, kept_by_month
from sitegen.config import SiteConfig, required_base_url
from sitegen.custom_feeds import EmptyFeed, find_empty_feeds
from sitegen.digest_dates import load_digest_dates
from sitegen.errors import ContentError, Location, reason_of
from sitegen.feed_papers import custom_feed_candidates, custom_feed_days
from sitegen.fetch_state import (
    awaited_days,
    filling_shown,
    held_open_days,
    load_fetch_state,
    whole_days,
)
from sitegen.file_states import is_content_file
from sitegen.layout import CACHE_DIR, CONFIG_FILE, PAPERS_DIR, TEMPLATES_DIR
from sitegen.model import ContentSnapshot, Paper, Topic, utc_moment
from sitegen.others_files import others_files
from sitegen.output_folder import check_output, exclusive, output_directory
from sitegen.output_keys import paper_states, papers_named
from sitegen.outputs import (
    NEWEST_LISTS,
    Output,
    PaperOutputs,
    PapersApiMonth,
    StaticFile,
    plan_keyed,
)
from sitegen.own_files import own_files
from sitegen.parts import PaperParts
from sitegen.publish import (
    PublishReport,
    publish,
    remove_leftovers,
    update,
    write_errors_reported,
)
from sitegen.render import Render, RenderJob, WarmUp, forget_warm_up
from sitegen.search_index import (
    IN_INDEX,
    INDEX_BESIDE_UP_TO,
    PendingIndex,
    made_search_index,
    pending_index,
    stage_search_index,
)
from sitegen.site import Site, TopicAssigner, assemble_site, assign_all_topics
from sitegen.store import (
    PaperFiles,
    ParsedPaper,
    StoredPapers,
    load_content,
    parse_paper_files,
    read_found,
    unlinked,
)
from sitegen.store_lock import content_lock
from sitegen.templating import CompiledTemplates, check_template_blocks, template_environment
from sitegen.urls import CUSTOM_FEEDS_FOLDER, TOPICS_FOLDER, Routes, is_feed
from sitegen.versions import code_version
from sitegen.workers import Workers, pickled_paper, return_freed_memory


@dataclass(frozen=True, slots=True, kw_only=True)
class PapersWithoutArea:
    """The site's papers the topic rules left with no area."""

    ids: tuple[str, ...]  # newest first
    of: int  # the site's papers
    fallback: str | None  # the fallback area, which each of them refuses (`not_topics`), if any


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
    remade: tuple[str, ...] = ()  # its files changed or deleted by hand, made again
    same_title: tuple[tuple[str, str], ...] = ()  # see ContentSnapshot.same_title
    unlinked: tuple[tuple[str, str, str], ...] = ()  # see ContentSnapshot.unlinked
    awaited: tuple[date, ...] = ()  # days to fetch again that hold their periods open
    overtaken: tuple[date, ...] = ()  # days a run had before they ended, holding them too
    # Ids of site.toml's [content] hidden with no file, each where it is written
    hidden_unknown: tuple[tuple[str, Location], ...] = ()
    newest_day: date | None = None  # of content/days/: the CLI notes one after today
    latest_added: tuple[datetime, date] | None = None  # the latest `added` and its day: as well
    feeds_gone: tuple[str, ...] = ()  # topics' and custom feeds' files the last build had
    # Slugs of topics without papers that no rule can give one: no `keywords`, not the fallback.
    topics_without_rules: tuple[str, ...] = ()
    # Custom feeds new or changed since the last build (all of them in a full build) that admit
    # none of the papers they choose among.
    empty_feeds: tuple[EmptyFeed, ...] = ()
    # Papers with no area, after the topic rules are new or changed (in a full build too).
    without_area: PapersWithoutArea | None = None


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
    # Every page and feed is built for it: a site.toml without it, and no --base-url, is
    # refused before any work.
    routes = Routes(required_base_url(config, source=str(root / CONFIG_FILE)))
    templates = root / TEMPLATES_DIR
    environment = template_environment(templates)  # a missing templates/ fails before any work
    setup, copied = _setup_key(templates, config, routes)
    out = output_directory(out)  # through a link to a web root
    check_output(out, root=root)  # before the lock: a refused output is not touched
    # A block its parent lacks fails before any work too; checked once per setup: parsing
    # every template takes 40 ms, a fiftieth of the rebuild budget (under 2 s at 50k papers).
    checked = KeyedCache(root, "template-blocks", reuse=not clean)
    if setup not in checked.values:
        check_template_blocks(environment)
        checked.save({setup: True})
    with (
        exclusive(out),
        Workers(jobs) as workers,
        ThreadPoolExecutor(1) as beside,
        ExitStack() as indexing,
        ExitStack() as store_held,
    ):
        remove_leftovers(out)  # of builds killed before they could clear them
        forget_warm_up(templates)
        warm_up = WarmUp(templates, CompiledTemplates(root, not clean))
        last = _LastBuild(out, warm_up)
        full = clean or not has_record(out)
        if full:  # every page to render: the workers start while the content is read
            workers.start_early(papers=_paper_files(root), warm_up=warm_up)
        # The store's lock, taken once the workers are forked (a forked worker would hold it
        # too), is held until the site is published, not only while the store is read: the
        # papers this build did not parse are read from their files as they are rendered, and
        # an ingest let in meanwhile made it publish pages of two stores (a maintainer's
        # trial). And the state and the content are read as one fetch wrote them (a fetch
        # between two reads closed a week short of a day: found by a review).
        store_held.enter_context(content_lock(root))
        fetch_state = load_fetch_state(root)
        held_open, whole = held_open_days(fetch_state), whole_days(fetch_state)
        awaited = awaited_days(fetch_state)  # of held_open, the days missed (said apart)
        digest_dates = load_digest_dates(root)
        snapshot = load_content(
            root,
            known_topics=config.topic_slugs(),
            use_cache=not clean,
            parse_papers=lambda files, known: _parse_in_pool(workers, files, known),
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
            awaited=held_open,
            whole=whole,
            filling=filling_shown(fetch_state, newest=max(snapshot.days, default=None)),
            digest_dates=digest_dates,
            own_files=own_files(root),
            copied=copied,
        )
        states = paper_states(site)
        previous = None
        by_hand: list[str] = []  # files of the last build changed or deleted by hand since
        if changed is not None and record is not None:
            by_hand = changed()
            previous = previous_build(record, by_hand)
        pending: PendingIndex | None = None
        index: Callable[[], Path] | None = None

        def index_beside(stack: ExitStack) -> None:
            nonlocal pending, index
            pending = pending_index(
                root, site, routes, states, previous, clean=clean, jobs=workers.count
            )
            if search and pending is not None and pending.papers <= INDEX_BESIDE_UP_TO:
                index = stack.enter_context(made_search_index(pending, out, beside=beside))

        if previous is not None:  # made while the site is planned and rendered (the rebuild
            index_beside(indexing)  # budget: the 0.3 s of Pagefind, waited for at the end)
        planned, outputs, dirty = _plan(site, routes, setup, states, previous)
        counted = len(outputs)
        if previous is not None:  # the index's files stay as they are until it is published
            outputs |= {p: e[0] for p, e in previous.files.items() if p.startswith(IN_INDEX)}
        job = RenderJob(
            site, routes, templates, None if previous is None else out, warm_up.compiled
        )
        parts_cache, parts = _paper_parts(root, setup, states, reuse=not clean)

        def write(staging: Path) -> PublishReport:
            nonlocal index
            written = PublishReport(files=0, bytes=0)
            with ExitStack() as stack:
                rendering = Render(dirty, job, parts, staging, workers)
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
                        return_freed_memory()
                        index = stack.enter_context(made_search_index(pending, out))
                    made = index()
                    written += stage_search_index(made, pending, out, staging, outputs, previous)
            return written

        published = _published_before(out, previous, clean=clean)
        remade: tuple[str, ...] = ()
        with write_errors_reported(out):
            if previous is None:
                (written, kept), removed = publish(write, out, outputs), 0
            elif not dirty and pending is None and previous.recorded == outputs.keys():
                # Every file is as the record says, which stays true: no transaction, no new
                # record (the rebuild budget: writing the record of 55,000 files took 0.2 s).
                written, removed = PublishReport(files=0, bytes=0), 0
                kept = others_files(out, outputs)
            else:
                rendered = [path for o in dirty for path in o.paths]
                written, removed, moved = update(
                    write, out, outputs, previous=previous, rendered=rendered
                )
                # Those of its files changed or deleted by hand whose bytes it put back (not
                # those only touched, copied with new mtimes, or of a build cut short).
                remade = tuple(sorted(path for path in by_hand if path in moved))
                kept = others_files(out, outputs)
        standing = papers_named(o for o, _ in planned if isinstance(o.inputs, NEWEST_LISTS))
        parts_cache.save(
            {
                i: (_parts_made_of(setup, states[i]), held)
                for i, held in parts.held.items()
                if i in standing
            }
        )
        empty_feeds = _empty_feeds(root, site, full=previous is None, reuse=not clean)
        without_area = _papers_without_area(root, site, full=previous is None, reuse=not clean)
    return BuildReport(
        pages=sum(1 for path in outputs if path.endswith(".html")),
        feeds=sum(1 for path in outputs if is_feed(path)),
        files=counted,
        rendered=sum(len(o.paths) for o in dirty),
        written=written,
        removed=removed,
        full=previous is None,
        search_index=None if search else pending,
        search_indexed=pending.papers if search and pending is not None else None,
        kept=kept,
        remade=remade,
        # A paper hidden is not one to merge with its twin (a review: hiding one of the two).
        same_title=tuple(
            pair
            for pair in snapshot.same_title
            if not any(PurePosixPath(path).stem in config.hidden for path in pair)
        ),
        unlinked=snapshot.unlinked,
        awaited=tuple(sorted(awaited)),  # said: a day to see to
        overtaken=tuple(sorted(held_open - awaited)),
        hidden_unknown=tuple(  # an id written twice is said once, at its first line
            (paper_id, where)
            for paper_id, where in sorted(dict(reversed(config.hidden_where)).items())
            if paper_id not in snapshot.titles
        ),
        newest_day=max(snapshot.days, default=None),
        latest_added=_latest_added(snapshot),
        feeds_gone=tuple(
            sorted(p for p in published - outputs.keys() if is_feed(p) and p.startswith(_FOLLOWED))
        ),
        topics_without_rules=tuple(
            listed.topic.slug
            for listed in site.topics
            if not listed.papers and not listed.topic.keywords and not listed.topic.fallback
        ),
        empty_feeds=empty_feeds,
        without_area=without_area,
    )


def _empty_feeds(root: Path, site: Site, *, full: bool, reuse: bool) -> tuple[EmptyFeed, ...]:
    """The custom feeds that admit none of the papers they choose among, of those whose rules
    are new or changed since the last build, or of all in a full build: reading the newest
    days' papers at every build would cost a new day's rebuild (budget: under 2 s at 50k
    papers), and an owner who edits a feed builds once at least."""
    config = site.config
    checked = KeyedCache(root, "custom-feeds-checked", reuse=reuse)
    # A feed of topics is checked again when the topic rules change: its papers may go.
    rules = {
        digest(repr((feed, config.topics if feed.topics else ())).encode()): feed
        for feed in config.custom_feeds
    }
    changed = [feed for key, feed in rules.items() if full or key not in checked.values]
    empty: tuple[EmptyFeed, ...] = ()
    candidates: list[Paper] = []
    if changed:
        candidates = [site.papers[paper_id] for paper_id in custom_feed_candidates(site)]
        days = custom_feed_days(site)
        empty = find_empty_feeds(changed, candidates, site.paper_topics, days=days)
    # Checked only against papers: a fork started empty, its feeds recorded checked while it
    # had none, never heard of a misspelt handle once its first fetch brought some (a review).
    if candidates or not changed:
        checked.save(dict.fromkeys(rules, True))
    return empty


def _papers_without_area(
    root: Path, site: Site, *, full: bool, reuse: bool
) -> PapersWithoutArea | None:
    """The papers left with no area, when the topic rules are new or changed since the last
    build, or in a full build: said once after an edit, as an empty custom feed is, not at
    every build (a fork may keep no fallback area on purpose)."""
    topics = site.config.topics
    checked = KeyedCache(root, "areas-checked", reuse=reuse)
    rules = digest(repr(topics).encode())
    if not full and rules in checked.values:
        return None
    if site.ids:  # checked only against papers, as _empty_feeds records its feeds
        checked.save({rules: True})
    areas = {topic.slug for topic in topics if topic.kind == "area"}
    ids = tuple(
        paper_id
        for paper_id in (*site.newest, *site.unfeatured)
        if areas.isdisjoint(site.paper_topics[paper_id])
    )
    if not ids:
        return None
    fallback = next((topic.slug for topic in topics if topic.fallback), None)
    return PapersWithoutArea(ids=ids, of=len(site.ids), fallback=fallback)


# The feeds readers follow for good, a topic's and a custom feed's; not a day's or a period's,
# which go when their papers do (a day deleted from content/).
_FOLLOWED = (TOPICS_FOLDER, CUSTOM_FEEDS_FOLDER)


def _published_before(out: Path, previous: PreviousBuild | None, *, clean: bool) -> frozenset[str]:
    """The files the last build published, as far as its record says: a --clean build reads
    it too, for the feeds it removes (a review: it removed a renamed feed's in silence)."""
    if previous is not None:
        return previous.recorded
    if clean and has_record(out):
        return frozenset(read_record(out) or ())
    return frozenset()


def _latest_added(snapshot: ContentSnapshot) -> tuple[datetime, date] | None:
    """The latest time a day entry says a fetch brought it, and its day."""
    latest = max(
        ((at, day) for day, added in snapshot.entries_added.items() for at in added.values()),
        default=None,
    )
    return (utc_moment(latest[0]), latest[1]) if latest else None


@dataclass
class _LastBuild:
    """The last build's record, read with the render made ready (`warm_up`) while a child
    process stats the content's files, which the build waits for (the rebuild budget, under
    2 s at 50k papers: 0.2 s of the build's time, then spent waiting)."""

    out: Path
    warm_up: WarmUp
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
    api_records = kept_by_month(
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
        if previous is None or any(previous.key(p) != key for p in output.paths):
            dirty.append(output)
    return planned, outputs, dirty


_TEMPLATES_GONE = "templates/ changed while it was read (a checkout, an edit): run again"


def _setup_key(templates: Path, config: SiteConfig, routes: Routes) -> tuple[str, dict[str, str]]:
    """What every output depends on: sitegen's code, the templates, the whole of site.toml;
    and a digest of each file of templates/ published as it is, the key of its own output.
    Those are in the setup only when a template names one (an include that inlines it)."""
    setup = hashlib.blake2b(code_version().encode(), digest_size=12)
    files = {  # one of mode 000 was a PermissionError traceback: said in one line
        path.relative_to(templates).as_posix(): read_found(path, str(path), gone=_TEMPLATES_GONE)
        for path in sorted(_template_files(templates))
        if path.is_file()
    }
    names = [route.path for route in StaticFile.copied(routes)]
    copied = {name: digest(files[name]) for name in names if name in files}
    named = {n for n in copied for o, data in files.items() if o != n and n.encode() in data}
    for name, data in files.items():
        if name not in copied or name in named:
            setup.update(f"\0{name}\0".encode())
            setup.update(data)
    # `hidden` in order: a set prints in an order each process draws anew, and every second
    # run rendered the whole site again.
    setup.update(repr(dataclasses.replace(config, hidden=frozenset())).encode())
    setup.update(repr(sorted(config.hidden)).encode())
    return setup.hexdigest(), copied


def _template_files(templates: Path) -> Iterator[Path]:
    """Every file under templates/, as rglob lists them (links to folders not followed); a
    folder that cannot be read stops the build naming it: rglob left it out in silence, and a
    template in it was "missing", to be restored from the sitegen repository (a flag driver)."""

    def refuse(error: OSError) -> None:
        raise ContentError(
            f"cannot read it: {reason_of(error)}",
            location=Location(os.fsdecode(error.filename or templates)),
            hint="check its permissions (ls -ld), then run again",
        )

    for folder, _, names in os.walk(templates, onerror=refuse):
        yield from (Path(folder, name) for name in names)


def _paper_files(root: Path) -> int:
    try:
        names = os.listdir(root / PAPERS_DIR)  # noqa: PTH208 (no Path for each of 50,000)
        return sum(1 for name in names if is_content_file(name, ".md"))
    except OSError:
        return 0  # no content: the read reports it


def _parse_in_pool(
    workers: Workers, files: PaperFiles, known: frozenset[str] | None
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
        # But a paper with a link no page carries, rare, for the note the store makes of it.
        return [
            (facts, paper if unlinked(paper) else pickled_paper(paper)) for facts, paper in parsed
        ]


@dataclass(frozen=True, slots=True)
class _AssignChunk:
    taxonomy: tuple[Topic, ...]

    def __call__(self, papers: Sequence[Paper | bytes]) -> list[tuple[str, ...]]:
        unpickled = [pickle.loads(p) if isinstance(p, bytes) else p for p in papers]
        return assign_all_topics(unpickled, self.taxonomy)


def _cached_topics(root: Path, workers: Workers, *, reuse: bool) -> TopicAssigner:
    """Topic matching, kept by the paper's digest under the rules: only new or edited papers,
    or all of them after the rules changed, are matched again."""

    def assign(
        snapshot: ContentSnapshot, ids: list[str], taxonomy: tuple[Topic, ...]
    ) -> list[tuple[str, ...]]:
        rules = digest(repr(taxonomy).encode())
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
        for unused in sorted(topics.keys() - digests):  # the log's bytes: not in a set's order
            cache.drop(0, unused)
        cache.save(rules)
        return [topics[d] for d in digests]

    return assign


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
