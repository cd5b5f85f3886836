"""`sitegen build`: content/ + site.toml + templates/ -> public/, as one visible pipeline.

read content (parse cache) -> assemble the site (topics) -> render jobs -> staged, swapped in.

Large sites spread the work over one worker process per core: parsing the files the cache
does not hold, matching topics, and rendering, which is split into jobs writing disjoint files
(the list pages, each topic's pages, slices of the paper pages and of the feeds). A job's
output does not depend on where it runs, so the bytes never depend on the split. Workers are
started with "spawn", never "fork": forking a process with live threads (the preview server,
the progress bar) can deadlock.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import pickle
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import jinja2

from sitegen.config import SiteConfig
from sitegen.content import PAPERS_DIR, load_content, parse_paper_files
from sitegen.errors import ContentError, Location
from sitegen.feeds import count_feeds, render_feeds
from sitegen.model import Paper, Topic
from sitegen.pages import (
    AbstractHTML,
    render_list_pages,
    render_paper_pages,
    render_topic_pages,
)
from sitegen.publish import Artifact, PublishReport, publish, write_artifacts
from sitegen.site import Site, assemble_site, assign_all_topics
from sitegen.urls import Routes

TEMPLATES_DIR = "templates"
PARALLEL_FROM = 2_000  # papers; starting workers costs about a second
_PAPERS_PER_JOB = 2_500
_FEEDS_PER_JOB = 250
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What a build, or one of its jobs, wrote."""

    pages: int
    feeds: int
    published: PublishReport

    def __add__(self, other: BuildReport) -> BuildReport:
        return BuildReport(
            pages=self.pages + other.pages,
            feeds=self.feeds + other.feeds,
            published=self.published + other.published,
        )


@dataclass(frozen=True, slots=True)
class _Job:
    kind: str  # "lists", "topic" (start = its index), "papers" or "feeds" (start:stop)
    start: int = 0
    stop: int | None = 0  # None: to the end


@dataclass(frozen=True, slots=True)
class _RenderInputs:
    """What every job needs; it reaches each worker once."""

    site: Site
    templates: Path
    static: tuple[Artifact, ...]


def build_site(
    root: Path,
    config: SiteConfig,
    *,
    out: Path,
    on_progress: Callable[[int], None] = lambda files: None,
    clean: bool = False,
    jobs: int | None = None,
) -> BuildReport:
    """Read the content, render every page and feed, and swap the result in as `out`.

    `clean` ignores and replaces every cache: a true cold build. `jobs` is the number of
    worker processes (default: one per core for large sites, none for small ones).
    """
    known_topics = frozenset(t.slug for t in config.topics)
    template_environment(root / TEMPLATES_DIR)  # a missing templates/ fails before any work
    routes = Routes(config.base_url)
    static = tuple(
        Artifact(route.path, _read_template_file(root, route.path))
        for route in (routes.stylesheet(), routes.icon())
    )
    workers = jobs if jobs is not None else _default_workers(root)
    with _worker_pool(workers) as pool:
        if pool is None:
            snapshot = load_content(root, known_topics=known_topics, use_cache=not clean)
            site = assemble_site(snapshot, config)
        else:
            parse = functools.partial(_parse_in_pool, pool, workers)
            snapshot = load_content(
                root, known_topics=known_topics, use_cache=not clean, parse_papers=parse
            )
            site = assemble_site(
                snapshot, config, assign=functools.partial(_topics_in_pool, pool, workers)
            )
        inputs = _RenderInputs(site=site, templates=root / TEMPLATES_DIR, static=static)
        total = BuildReport(pages=0, feeds=0, published=PublishReport(files=0, bytes=0))

        def write(staging: Path) -> PublishReport:
            nonlocal total
            for result in _render(_plan(site), inputs, staging, pool):
                on_progress(result.published.files)
                total += result
            return total.published

        publish(write, out)
    return total


def _default_workers(root: Path) -> int:
    try:
        with os.scandir(root / PAPERS_DIR) as entries:
            many = sum(1 for _ in zip(entries, range(PARALLEL_FROM), strict=False))
    except FileNotFoundError:
        return 1
    return (os.cpu_count() or 1) if many >= PARALLEL_FROM else 1


@contextmanager
def _worker_pool(workers: int) -> Iterator[ProcessPoolExecutor | None]:
    if workers <= 1:
        yield None
        return
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=spawn) as pool:
        yield pool


def _chunks(items: list[_T], workers: int) -> list[list[_T]]:
    size = max(1, -(-len(items) // (4 * workers)))  # a few chunks per worker even out speeds
    return [items[i : i + size] for i in range(0, len(items), size)]


def _parse_in_pool(
    pool: ProcessPoolExecutor,
    workers: int,
    files: list[tuple[Path, str]],
    known: frozenset[str] | None,
) -> list[Paper]:
    chunks = _chunks(files, workers)
    parts = pool.map(parse_paper_files, chunks, [known] * len(chunks))
    return [paper for part in parts for paper in part]


def _topics_in_pool(
    pool: ProcessPoolExecutor, workers: int, papers: list[Paper], taxonomy: tuple[Topic, ...]
) -> list[tuple[str, ...]]:
    chunks = _chunks(papers, workers)
    parts = pool.map(assign_all_topics, chunks, [taxonomy] * len(chunks))
    return [topics for part in parts for topics in part]


def _plan(site: Site) -> list[_Job]:
    papers, feeds = len(site.papers), count_feeds(site)
    return [
        _Job("lists"),
        *(_Job("topic", i) for i in range(len(site.topics))),
        *(
            _Job("papers", i, min(i + _PAPERS_PER_JOB, papers))
            for i in range(0, papers, _PAPERS_PER_JOB)
        ),
        # The last slice runs to the end: feeds the count does not foresee are still written.
        *(
            _Job("feeds", i, i + _FEEDS_PER_JOB if i + _FEEDS_PER_JOB < feeds else None)
            for i in range(0, feeds, _FEEDS_PER_JOB)
        ),
    ]


def _render(
    plan: list[_Job], inputs: _RenderInputs, staging: Path, pool: ProcessPoolExecutor | None
) -> Iterator[BuildReport]:
    if pool is None:
        renderer = _JobRenderer(inputs)
        for job in plan:
            yield renderer.run(job, staging)
        return
    # The inputs reach each worker once, through a file, not once per job through a pipe.
    shared = staging.with_name(f"{staging.name}.inputs.pickle")
    shared.write_bytes(pickle.dumps(inputs, pickle.HIGHEST_PROTOCOL))
    try:
        n = len(plan)
        yield from pool.map(_run_in_worker, plan, [staging] * n, [shared] * n)
    finally:
        shared.unlink(missing_ok=True)


class _JobRenderer:
    def __init__(self, inputs: _RenderInputs) -> None:
        self.inputs = inputs
        self.routes = Routes(inputs.site.config.base_url)
        self.env = template_environment(inputs.templates)
        self.abstracts = AbstractHTML(inputs.site.papers)
        # XML and JSON files that are not feeds, for counting.
        self.not_feeds = frozenset((self.routes.sitemap().path, self.routes.papers_api().path))

    def run(self, job: _Job, staging: Path) -> BuildReport:
        kinds: Counter[str] = Counter()

        def counted(artifacts: Iterator[Artifact]) -> Iterator[Artifact]:
            for artifact in artifacts:
                kinds[_kind(artifact.path, self.not_feeds)] += 1
                yield artifact

        try:
            written = write_artifacts(counted(self.artifacts(job)), staging)
        except jinja2.TemplateError as error:
            raise _template_error(error) from None
        return BuildReport(pages=kinds["page"], feeds=kinds["feed"], published=written)

    def artifacts(self, job: _Job) -> Iterator[Artifact]:
        site, routes, env, abstracts = self.inputs.site, self.routes, self.env, self.abstracts
        if job.kind == "lists":
            yield from self.inputs.static
            yield from render_list_pages(site, routes, env, abstracts)
        elif job.kind == "topic":
            yield from render_topic_pages(site, routes, env, abstracts, site.topics[job.start])
        elif job.kind == "papers":
            papers = site.papers[job.start : job.stop]
            yield from render_paper_pages(site, routes, env, abstracts, papers)
        else:
            yield from render_feeds(site, routes, abstracts, part=slice(job.start, job.stop))


def _kind(path: str, not_feeds: frozenset[str]) -> str:
    if path.endswith(".html"):
        return "page"
    if path.endswith((".xml", ".json")) and path not in not_feeds:
        return "feed"
    return "other"


_worker_renderers: dict[Path, _JobRenderer] = {}  # in a worker: the current build's renderer


def _run_in_worker(job: _Job, staging: Path, shared: Path) -> BuildReport:
    renderer = _worker_renderers.get(shared)
    if renderer is None:
        _worker_renderers.clear()
        renderer = _worker_renderers[shared] = _JobRenderer(pickle.loads(shared.read_bytes()))
    return renderer.run(job, staging)


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


def _read_template_file(root: Path, name: str) -> bytes:
    path = root / TEMPLATES_DIR / name
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
