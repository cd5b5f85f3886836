"""`sitegen build`: content/ + site.toml + templates/ -> public/, as one visible pipeline.

read content (parse cache) -> assemble the site (topics, cached) -> plan every output with the
key of its inputs -> render the outputs whose key changed -> swap in, or update in place.

The first build, and `--clean`, render everything into a fresh directory and swap it in. Later
builds render only the outputs whose key differs from the last build's record and write only
the files whose bytes differ; the bytes are the same either way (tests compare them).

Large amounts of work are spread over one worker process per core: parsing the files the cache
does not hold, matching topics, and rendering. A unit's output does not depend on where it
runs, so the bytes never depend on the split. Workers are started with "spawn", never "fork":
forking a process with live threads (the preview server, the progress bar) can deadlock.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import jinja2

from sitegen.config import SiteConfig
from sitegen.content import BuildCache, code_fingerprint, load_content, parse_paper_files
from sitegen.errors import ContentError, Location
from sitegen.feeds import FeedSpecs, render_feed, render_json_feed, render_opml
from sitegen.model import Paper, Topic
from sitegen.pages import AbstractHTML, SitePages
from sitegen.plan import Unit, plan_site
from sitegen.publish import (
    Artifact,
    PublishReport,
    changed_files,
    exclusive,
    previous_build,
    publish,
    read_record,
    update,
    write_artifacts,
)
from sitegen.site import Site, TopicAssigner, assemble_site, assign_all_topics
from sitegen.urls import Routes

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

TEMPLATES_DIR = "templates"
PARALLEL_FROM = 2_000  # files to parse, papers to match or units to render: workers cost ~1 s
_FEEDS = frozenset({"all-feed", "json-feed", "digest-feed", "topic-feed", "day-feed"})
_T = TypeVar("_T")


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


@dataclass(frozen=True, slots=True)
class _RenderInputs:
    """What every render job needs; it reaches each worker once."""

    site: Site
    templates: Path
    compare_with: Path | None  # write only files whose bytes differ from this directory's
    paper_keys: Mapping[str, str]  # paper id -> its page's key, which also keys its API record
    cache_root: Path  # the site root, where build caches are kept
    reuse: bool  # False: read no cache, only replace them (--clean)


def build_site(
    root: Path,
    config: SiteConfig,
    *,
    out: Path,
    on_progress: Callable[[int], None] = lambda files: None,
    clean: bool = False,
    jobs: int | None = None,
) -> BuildReport:
    """Read the content, render what changed since the last build, and publish it as `out`.

    `clean` ignores and replaces every cache: a true cold build. `jobs` is the number of
    worker processes (default: one per core when there is enough work to repay starting them).
    """
    templates = root / TEMPLATES_DIR
    template_environment(templates)  # a missing templates/ fails before any work
    setup = _setup_key(templates, config)
    with exclusive(out), _Workers(jobs) as workers:
        record = None if clean else read_record(out)
        # Noticing files changed by hand in public/ takes a stat of each: 0.2 s at 50k papers,
        # which a large site's build spends in a helper process, beside the work below.
        changed = None
        if record is not None:
            changed = workers.beside(functools.partial(changed_files, out), work=len(record))
        snapshot = load_content(
            root,
            known_topics=frozenset(t.slug for t in config.topics),
            use_cache=not clean,
            parse_papers=functools.partial(_parse_in_pool, workers),
        )
        site = assemble_site(
            snapshot,
            config,
            assign=_cached_topics(root, config, snapshot.fingerprints, workers, reuse=not clean),
        )
        routes = Routes(config.base_url)
        planned = list(plan_site(site, routes, snapshot.fingerprints, setup=setup))
        outputs = {path: p.key for p in planned for path in p.paths}
        previous = None if record is None or changed is None else previous_build(record, changed())
        if previous is None:
            dirty = planned
        else:
            known = previous.files
            dirty = [p for p in planned if any(_key(known, f) != p.key for f in p.paths)]
        inputs = _RenderInputs(
            site=site,
            templates=templates,
            compare_with=None if previous is None else out,
            paper_keys={
                site.papers[p.unit.position].id: p.key for p in planned if p.unit.kind == "paper"
            },
            cache_root=root,
            reuse=not clean,
        )
        units = [p.unit for p in dirty]

        def write(staging: Path) -> PublishReport:
            written = PublishReport(files=0, bytes=0)
            for rendered, report in _render(units, inputs, staging, workers):
                on_progress(rendered)
                written += report
            return written

        if previous is None:
            written, removed = publish(write, out, outputs), 0
        else:
            rendered = [path for p in dirty for path in p.paths]
            written, removed = update(write, out, outputs, previous=previous, rendered=rendered)
    return BuildReport(
        pages=sum(1 for path in outputs if path.endswith(".html")),
        feeds=sum(len(p.paths) for p in planned if p.unit.kind in _FEEDS),
        files=len(outputs),
        rendered=sum(len(p.paths) for p in dirty),
        written=written,
        removed=removed,
        full=previous is None,
    )


def _key(files: Mapping[str, tuple[str, int, int]], path: str) -> str | None:
    entry = files.get(path)
    return entry[0] if entry else None


def _setup_key(templates: Path, config: SiteConfig) -> str:
    """What every output depends on: sitegen's code, the templates, the whole of site.toml."""
    digest = hashlib.blake2b(code_fingerprint().encode(), digest_size=12)
    for path in sorted(templates.rglob("*")):
        if path.is_file():
            digest.update(f"\0{path.relative_to(templates).as_posix()}\0".encode())
            digest.update(path.read_bytes())
    digest.update(repr(config).encode())
    return digest.hexdigest()


class _Workers:
    """Worker processes, started only when a stage has enough work to repay starting them."""

    def __init__(self, jobs: int | None) -> None:
        self.count = jobs if jobs is not None else (os.cpu_count() or 1)
        self.threshold = 1 if jobs is not None else PARALLEL_FROM
        self._pool: ProcessPoolExecutor | None = None
        self._helper: ProcessPoolExecutor | None = None

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        for pool in (self._pool, self._helper):
            if pool is not None:
                pool.shutdown(cancel_futures=True)

    def _repays(self, work: int) -> bool:
        return self.count > 1 and work >= self.threshold

    def beside(self, job: Callable[[], _T], *, work: int) -> Callable[[], _T]:
        """Start `job` in a helper process when `work` repays starting it; returns what waits
        for its result (or, without a helper, computes it)."""
        if not self._repays(work):
            return job
        if self._helper is None:
            self._helper = _spawn_pool(1)
        return self._helper.submit(job).result

    def pool(self, work: int) -> ProcessPoolExecutor | None:
        if not self._repays(work):
            return None
        if self._pool is None:
            self._pool = _spawn_pool(self.count)
        return self._pool

    def chunks(self, items: Sequence[_T], *, most: int | None = None) -> list[Sequence[_T]]:
        """A few chunks per worker even out their speeds."""
        size = max(1, -(-len(items) // (4 * self.count)))
        if most is not None:
            size = min(size, most)
        return [items[i : i + size] for i in range(0, len(items), size)]


def _spawn_pool(workers: int) -> ProcessPoolExecutor:
    # Imported here: 10 ms that a small build, which starts no process, does without.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))


def _parse_in_pool(
    workers: _Workers, files: list[tuple[str, str]], known: frozenset[str] | None
) -> list[tuple[Paper, str]]:
    pool = workers.pool(len(files))
    if pool is None:
        return parse_paper_files(files, known)
    chunks = workers.chunks(files)
    parts = pool.map(parse_paper_files, chunks, [known] * len(chunks))
    return [parsed for part in parts for parsed in part]


def _cached_topics(
    root: Path,
    config: SiteConfig,
    fingerprints: Mapping[str, str],
    workers: _Workers,
    *,
    reuse: bool,
) -> TopicAssigner:
    """Topic matching for the papers whose file or the rules changed since the last build."""
    rules = hashlib.blake2b(repr(config.topics).encode(), digest_size=12).hexdigest()

    def assign(papers: list[Paper], taxonomy: tuple[Topic, ...]) -> list[tuple[str, ...]]:
        kept = BuildCache(root, "topics", rules)
        (known,) = kept.load() if reuse else ({},)
        prints = [fingerprints[p.id] for p in papers]
        missing = [p for p, f in zip(papers, prints, strict=True) if f not in known]
        pool = workers.pool(len(missing))
        if pool is None:
            found = assign_all_topics(missing, taxonomy)
        else:
            chunks = workers.chunks(missing)
            parts = pool.map(assign_all_topics, chunks, [taxonomy] * len(chunks))
            found = [topics for part in parts for topics in part]
        fresh = {fingerprints[p.id]: t for p, t in zip(missing, found, strict=True)}
        cached = {f: known[f] if f in known else fresh[f] for f in prints}
        kept.save(cached)
        return [cached[f] for f in prints]

    return assign


def _render(
    units: list[Unit], inputs: _RenderInputs, staging: Path, workers: _Workers
) -> Iterator[tuple[int, PublishReport]]:
    """(files rendered, files written) of each job, as the jobs finish."""
    pool = workers.pool(len(units))
    if pool is None:
        renderer = _UnitRenderer(inputs)
        for chunk in workers.chunks(units, most=200):
            yield renderer.run(chunk, staging)
        return
    # The inputs reach each worker once, through a file, not once per job through a pipe.
    shared = staging.with_name(f"{staging.name}.inputs.pickle")
    shared.write_bytes(pickle.dumps(inputs, pickle.HIGHEST_PROTOCOL))
    try:
        chunks = workers.chunks(units, most=500)
        n = len(chunks)
        yield from pool.map(_run_in_worker, chunks, [staging] * n, [shared] * n)
    finally:
        shared.unlink(missing_ok=True)


class _UnitRenderer:
    def __init__(self, inputs: _RenderInputs) -> None:
        self.inputs = inputs
        site = inputs.site
        self.routes = Routes(site.config.base_url)
        self.abstracts = AbstractHTML(site.papers)
        self.env = template_environment(inputs.templates)
        self.feeds = FeedSpecs(site, self.routes)

    def run(self, units: Sequence[Unit], staging: Path) -> tuple[int, PublishReport]:
        # Cards are shared by the pages of one job; kept across jobs they would hold every
        # paper at every depth and rank (hundreds of MB per worker at 50k papers).
        pages = SitePages(self.inputs.site, self.routes, self.env, self.abstracts)
        rendered = 0

        def counted() -> Iterator[Artifact]:
            nonlocal rendered
            for unit in units:
                for artifact in self.artifacts(unit, pages):
                    rendered += 1
                    yield artifact

        try:
            written = write_artifacts(counted(), staging, unless_in=self.inputs.compare_with)
        except jinja2.TemplateError as error:
            raise _template_error(error) from None
        return rendered, written

    def artifacts(self, unit: Unit, pages: SitePages) -> Iterator[Artifact]:
        site, routes, feeds = self.inputs.site, self.routes, self.feeds
        match unit.kind:
            case "static":
                route = (routes.stylesheet(), routes.icon())[unit.position]
                yield Artifact(route.path, _read_template_file(self.inputs.templates, route.path))
            case "home":
                yield pages.home()
            case "day":
                yield pages.day(unit.position)
            case "days-index":
                yield pages.days_index()
            case "topics-index":
                yield pages.topics_index()
            case "topic":
                yield pages.topic(unit.position, unit.page)
            case "paper":
                yield pages.paper(unit.position)
            case "feeds-page":
                yield pages.feeds_page()
            case "not-found":
                yield pages.not_found()
            case "robots":
                yield pages.robots()
            case "sitemap":
                yield pages.sitemap()
            case "sitemap-pages":
                yield pages.sitemap_of_pages()
            case "sitemap-papers":
                yield pages.sitemap_of_papers(unit.position)
            case "papers-api":
                yield self._papers_api(pages)
            case "all-feed":
                yield from render_feed(feeds.all_papers(), site, routes, self.abstracts)
            case "digest-feed":
                yield from render_feed(feeds.digest(), site, routes, self.abstracts)
            case "topic-feed":
                yield from render_feed(feeds.topic(unit.position), site, routes, self.abstracts)
            case "day-feed":
                yield from render_feed(feeds.day(unit.position), site, routes, self.abstracts)
            case "json-feed":
                yield render_json_feed(feeds.all_papers(), site, routes, self.abstracts)
            case "opml":
                yield render_opml(site, routes, feeds.standing())
            case _:
                raise ValueError(f"no renderer for {unit}")

    def _papers_api(self, pages: SitePages) -> Artifact:
        # Its 50,000 records cost half a second; those of unchanged papers are kept.
        keys, root = self.inputs.paper_keys, self.inputs.cache_root
        kept = BuildCache(root, "api-records", _API_RECORDS)
        (saved,) = kept.load() if self.inputs.reuse else ({},)
        known = {paper_id: saved[key] for paper_id, key in keys.items() if key in saved}
        artifact, records = pages.papers_api(known)
        kept.save({keys[paper_id]: record for paper_id, record in records.items()})
        return artifact


_API_RECORDS = "1"  # the version of the kept API records
_worker_renderers: dict[Path, _UnitRenderer] = {}  # in a worker: the current build's renderer


def _run_in_worker(units: Sequence[Unit], staging: Path, shared: Path) -> tuple[int, PublishReport]:
    renderer = _worker_renderers.get(shared)
    if renderer is None:
        _worker_renderers.clear()
        renderer = _worker_renderers[shared] = _UnitRenderer(pickle.loads(shared.read_bytes()))
    return renderer.run(units, staging)


def template_environment(directory: Path) -> jinja2.Environment:
    if not directory.is_dir():
        raise ContentError(
            f"no {TEMPLATES_DIR}/ directory",
            location=Location(str(directory)),
            hint="restore the templates directory from the sitegen repository",
        )
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(directory),
        autoescape=True,  # every template is HTML; only the rendered abstract is marked safe
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _read_template_file(templates: Path, name: str) -> bytes:
    path = templates / name
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ContentError(
            f"missing {TEMPLATES_DIR}/{name}",
            location=Location(str(path)),
            hint="restore the templates directory from the sitegen repository",
        ) from None


def _template_error(error: jinja2.TemplateError) -> ContentError:
    if isinstance(error, jinja2.TemplateSyntaxError):
        where = Location(error.filename or error.name or TEMPLATES_DIR, error.lineno)
        return ContentError(
            f"template syntax: {error.message}", location=where, hint="fix the template"
        )
    if isinstance(error, jinja2.TemplateNotFound):
        return ContentError(
            f"missing template {error.name}", location=Location(TEMPLATES_DIR), hint="restore it"
        )
    return ContentError(
        f"template error: {error}", location=Location(TEMPLATES_DIR), hint="fix the template"
    )
