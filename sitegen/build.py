"""`sitegen build`: content/ + site.toml + templates/ -> public/, as one visible pipeline.

Rendering is split into jobs (the list pages; slices of the paper pages; slices of the
feeds) that write disjoint files into the staging directory. Large sites run the jobs in a
pool of worker processes, one per core; every job's output is the same wherever it runs, so
the bytes never depend on the split. The pool is started with "spawn", never "fork": a fork
of a process with live threads (the preview server, the progress bar) can deadlock.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import jinja2

from sitegen.config import SiteConfig
from sitegen.content import load_content
from sitegen.errors import ContentError, Location
from sitegen.feeds import count_feeds, render_feeds
from sitegen.pages import (
    AbstractHTML,
    render_list_pages,
    render_paper_pages,
    render_topic_pages,
)
from sitegen.publish import Artifact, PublishReport, publish, write_artifacts
from sitegen.site import Site, assemble_site
from sitegen.urls import Routes

TEMPLATES_DIR = "templates"
PARALLEL_FROM = 2_000  # papers; below this, starting workers costs more than it saves
_PAPERS_PER_JOB = 2_500
_FEEDS_PER_JOB = 250


@dataclass(frozen=True, slots=True)
class BuildReport:
    pages: int
    feeds: int
    published: PublishReport


@dataclass(frozen=True, slots=True)
class _Job:
    kind: str  # "lists", "topic" (start = its index), "papers" or "feeds" (start:stop)
    start: int = 0
    stop: int = 0


@dataclass(frozen=True, slots=True)
class _JobResult:
    written: PublishReport
    pages: int
    feeds: int


@dataclass(frozen=True, slots=True)
class _RenderInputs:
    """What every job needs; sent to each worker once."""

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
    snapshot = load_content(root, known_topics=known_topics, use_cache=not clean)
    site = assemble_site(snapshot, config)
    routes = Routes(config.base_url)
    template_environment(root / TEMPLATES_DIR)  # a missing templates/ fails before any work
    inputs = _RenderInputs(
        site=site,
        templates=root / TEMPLATES_DIR,
        static=tuple(
            Artifact(route.path, _read_template_file(root, route.path))
            for route in (routes.stylesheet(), routes.icon())
        ),
    )
    plan = _plan(site)
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if len(site.papers) < PARALLEL_FROM and jobs is None:
        workers = 1

    def write(staging: Path) -> PublishReport:
        totals = _JobResult(written=PublishReport(files=0, bytes=0), pages=0, feeds=0)
        for result in _run(plan, inputs, staging, workers):
            on_progress(result.written.files)
            totals = _JobResult(
                written=totals.written + result.written,
                pages=totals.pages + result.pages,
                feeds=totals.feeds + result.feeds,
            )
        counts["pages"], counts["feeds"] = totals.pages, totals.feeds
        return totals.written

    counts = {"pages": 0, "feeds": 0}
    published = publish(write, out)
    return BuildReport(pages=counts["pages"], feeds=counts["feeds"], published=published)


def _plan(site: Site) -> list[_Job]:
    papers, feeds = len(site.papers), count_feeds(site)
    return [
        _Job("lists"),
        *(_Job("topic", i) for i in range(len(site.topics))),
        *(
            _Job("papers", i, min(i + _PAPERS_PER_JOB, papers))
            for i in range(0, papers, _PAPERS_PER_JOB)
        ),
        *(
            _Job("feeds", i, min(i + _FEEDS_PER_JOB, feeds))
            for i in range(0, feeds, _FEEDS_PER_JOB)
        ),
    ]


def _run(
    plan: list[_Job], inputs: _RenderInputs, staging: Path, workers: int
) -> Iterator[_JobResult]:
    if workers <= 1:
        renderer = _JobRenderer(inputs)
        for job in plan:
            yield renderer.run(job, staging)
        return
    context = multiprocessing.get_context("spawn")
    payload = pickle.dumps(inputs, pickle.HIGHEST_PROTOCOL)
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_start_worker, initargs=(payload,)
    ) as pool:
        yield from pool.map(_run_in_worker, plan, [staging] * len(plan))


class _JobRenderer:
    def __init__(self, inputs: _RenderInputs) -> None:
        self.inputs = inputs
        self.routes = Routes(inputs.site.config.base_url)
        self.env = template_environment(inputs.templates)
        self.abstracts = AbstractHTML(inputs.site.papers)

    def run(self, job: _Job, staging: Path) -> _JobResult:
        kinds: Counter[str] = Counter()

        def counted(artifacts: Iterator[Artifact]) -> Iterator[Artifact]:
            for artifact in artifacts:
                kinds[_kind(artifact.path)] += 1
                yield artifact

        try:
            written = write_artifacts(counted(self.artifacts(job)), staging)
        except jinja2.TemplateError as error:
            raise _template_error(error) from None
        return _JobResult(written=written, pages=kinds["page"], feeds=kinds["feed"])

    def artifacts(self, job: _Job) -> Iterator[Artifact]:
        site = self.inputs.site
        if job.kind == "lists":
            yield from self.inputs.static
            yield from render_list_pages(site, self.routes, self.env, self.abstracts)
        elif job.kind == "topic":
            listing = site.topics[job.start]
            yield from render_topic_pages(site, self.routes, self.env, self.abstracts, listing)
        elif job.kind == "papers":
            papers = site.papers[job.start : job.stop]
            yield from render_paper_pages(site, self.routes, self.env, self.abstracts, papers)
        else:
            part = slice(job.start, job.stop)
            yield from render_feeds(site, self.routes, self.abstracts, part=part)


def _kind(path: str) -> str:
    if path.endswith(".html"):
        return "page"
    if path.endswith((".xml", ".json")) and path not in ("sitemap.xml", "api/papers.json"):
        return "feed"
    return "other"


_worker: _JobRenderer | None = None


def _start_worker(payload: bytes) -> None:
    global _worker
    _worker = _JobRenderer(pickle.loads(payload))


def _run_in_worker(job: _Job, staging: Path) -> _JobResult:
    assert _worker is not None, "the pool's initializer did not run"
    return _worker.run(job, staging)


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
