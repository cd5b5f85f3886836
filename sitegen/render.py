"""Rendering the outputs a build planned into a staging directory: in this process, or in the
worker processes (sitegen.workers) when there are enough outputs to repay them. An output does
not depend on where it is rendered, so the bytes never depend on the split.

A worker reads the job (the site without its papers) once, from a file, and the papers each
share of outputs shows from another file, where the build pickled each once."""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from sitegen.abstracts import AbstractHTML
from sitegen.errors import Location, TemplateError
from sitegen.layout import TEMPLATES_DIR
from sitegen.model import Artifact, Paper
from sitegen.output_keys import papers_named
from sitegen.outputs import Output, PapersApiMonth, Renderers, renderers
from sitegen.parts import PaperParts
from sitegen.publish import PublishReport, write_artifacts
from sitegen.site import Site
from sitegen.store import StoredPapers, read_found
from sitegen.templating import (
    CompiledTemplates,
    kept_template_hint,
    template_environment,
    template_error,
    template_line,
    template_statement,
)
from sitegen.urls import Routes
from sitegen.workers import Workers, pickled_paper, return_freed_memory

# In a worker: the templates it compiled as it started, for its render (WarmUp).
_warm_environments: dict[Path, jinja2.Environment] = {}


@dataclass(frozen=True, slots=True)
class WarmUp:
    """In a worker, as it starts, while the build reads the content: import what
    a render imports only when it first renders an abstract or a feed, and compile the
    templates (the cold-build budget, no slower than Hugo at 1k papers: 0.15 CPU-s of each
    worker's render, which the workers' wait for the content now holds)."""

    templates: Path
    compiled: CompiledTemplates

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


def forget_warm_up(templates: Path) -> None:
    """Drop what a build before in this process warmed (serve's, whose builds share it): a
    render took it for the templates now, and a syntax error since was never said (a trial)."""
    _warm_environments.pop(templates, None)


@dataclass(frozen=True, slots=True)
class RenderJob:
    """What every render job needs; it reaches each worker once (without the papers)."""

    site: Site
    routes: Routes  # for the site's base URL, which its config may lack (--base-url gave it)
    templates: Path
    compare_with: Path | None  # write only files whose bytes differ from this directory's
    compiled: CompiledTemplates  # the templates' compiled code, kept between builds


class Render:
    """The render of `outputs` into `staging`: in the workers, started at once, when there
    are enough outputs; else in this process, as `results` is read."""

    def __init__(
        self,
        outputs: list[Output],
        job: RenderJob,
        parts: PaperParts,
        staging: Path,
        workers: Workers,
    ) -> None:
        self.job, self.parts, self.staging = job, parts, staging
        self.in_process = outputs  # all, or with workers the API's months
        self.in_workers: Iterator[_Rendered] | None = None
        self.job_file = staging.with_name(f"{staging.name}.job.pickle")
        self.papers_file = staging.with_name(f"{staging.name}.job.papers")
        if not workers.worth_it(outputs, if_started=True):
            return
        return_freed_memory()  # of reading and parsing 50,000 papers, before the workers grow
        # The API records (30 MB at 50k papers) stay here, with the month files that show
        # them: the memory budget (all processes under 1 GiB at 50k papers).
        self.in_process = [o for o in outputs if isinstance(o.inputs, PapersApiMonth)]
        shares = [o for o in outputs if not isinstance(o.inputs, PapersApiMonth)]
        chunks = list(_render_chunks(shares, workers.chunk_size(shares, 100)))
        papers = job.site.papers
        assert isinstance(papers, StoredPapers)  # a build's: sitegen.store.load_content
        held = papers.held(set().union(*(n for _, n in chunks)))
        # The job reaches each worker once, through a file, not once per chunk through a pipe;
        # and the papers this process holds through another, each pickled once, not with each
        # chunk that shows it (the cold-build budget, no slower than Hugo at 10k papers: a
        # paper was in six chunks, 159 MB through the pipes, 0.5 CPU-s pickled and unpickled).
        at = _write_papers(held, self.papers_file)
        with self.job_file.open("wb") as file:
            pickle.dump((job, at), file, pickle.HIGHEST_PROTOCOL)
        render = _RenderInWorker(staging, self.job_file, self.papers_file)
        self.in_workers = workers.map_chunks(render, chunks)

    def remove_files(self) -> None:
        """Remove the files the workers read."""
        self.job_file.unlink(missing_ok=True)
        self.papers_file.unlink(missing_ok=True)

    def results(self, api_records: Mapping[str, str]) -> Iterator[tuple[int, PublishReport]]:
        """(files rendered, files written) of each chunk, as the chunks finish."""
        here = _Renderer(self.job, api_records, self.parts)
        if self.in_workers is None:
            for i in range(0, len(self.in_process), 200):
                yield here.run(self.in_process[i : i + 200], self.staging)
            return
        yield here.run(self.in_process, self.staging)
        for rendered, written, made in self.in_workers:
            self.parts.add(made)  # the papers' parts the workers made
            yield rendered, written


def _write_papers(papers: Mapping[str, Paper | bytes], path: Path) -> dict[str, tuple[int, int]]:
    """Write each of `papers` pickled into the file `path`; where each is (offset, size)."""
    at: dict[str, tuple[int, int]] = {}
    offset = 0
    with path.open("wb") as file:
        for paper_id, paper in papers.items():
            data = paper if isinstance(paper, bytes) else pickled_paper(paper)
            file.write(data)
            at[paper_id] = (offset, len(data))
            offset += len(data)
    return at


_Share = tuple[Sequence[Output], tuple[str, ...]]  # outputs, with the ids of the papers they show
# Of a share rendered in a worker: files rendered, files written, the papers' parts it made.
_Rendered = tuple[int, PublishReport, dict[str, dict[str, Any]]]

# Papers the outputs of a render chunk show at most (a hundred day pages show 5,000): a worker
# holds one chunk's papers, and the main process pickles them for it. The memory budget (all
# processes under 1 GiB at 50k papers): a chunk of 100 top-papers pages showed all 50,000
# papers, 80 MB pickled, and took a cold build's peak to 1,141 MiB (bench/HISTORY.md).
_CHUNK_PAPERS = 5_000


def _render_chunks(outputs: Sequence[Output], size: int) -> Iterator[_Share]:
    """`outputs` in chunks of at most `size`, each with the papers it shows, which are at most
    `_CHUNK_PAPERS` but for an output that shows more alone."""
    chunk: list[Output] = []
    named: set[str] = set()
    for output in outputs:
        shown = papers_named([output])
        if chunk and (len(chunk) >= size or len(named) + len(shown - named) > _CHUNK_PAPERS):
            yield chunk, tuple(named)
            chunk, named = [], set()
        chunk.append(output)
        named |= shown
    if chunk:
        yield chunk, tuple(named)


class _Renderer:
    def __init__(self, job: RenderJob, api_records: Mapping[str, str], parts: PaperParts) -> None:
        self.job, self.api_records, self.parts = job, api_records, parts
        warm: jinja2.Environment | None = _warm_environments.pop(job.templates, None)
        self.env = warm or template_environment(job.templates, compiled=job.compiled)
        self.routes = job.routes
        # Each abstract rendered once in a process: pages and feeds of any chunk show it.
        self.abstracts = AbstractHTML(job.site.papers)

    def run(self, outputs: Sequence[Output], staging: Path) -> tuple[int, PublishReport]:
        # Cards are shared by the pages of one chunk; kept across chunks they would hold every
        # paper at every depth and rank (hundreds of MB per worker at 50k papers).
        r = renderers(
            self.job.site, self.routes, self.env,
            templates=str(self.job.templates), read_file=_read_file, api_records=self.api_records,
            abstracts=self.abstracts, parts=self.parts,
        )  # fmt: skip
        artifacts = [a for output in outputs for a in _rendered(output, r)]
        return len(artifacts), write_artifacts(artifacts, staging, unless_in=self.job.compare_with)


def _read_file(path: str) -> bytes:
    """A file published as it is: the stylesheet or the icon of templates/, a file of static/."""
    gone = "restore it, or run again if it was moved while the build ran"  # as under serve
    return read_found(Path(path), path, gone=gone)


def _rendered(output: Output, r: Renderers) -> list[Artifact]:
    # Which page it was: an error of one paper's data (`paper.authors[9]`) names it (a fork
    # owner's trial).
    rendering = f" (rendering {output.paths[0]})" if output.paths else ""
    try:
        return list(output.inputs.render(r))
    except jinja2.TemplateError as error:
        said = template_error(error)
        if isinstance(error, jinja2.TemplateSyntaxError | jinja2.TemplateNotFound):
            raise said from None  # of the template, whatever page it renders
        raise TemplateError(
            said.message + rendering, location=said.location, hint=said.hint
        ) from None
    except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError) as error:
        # `{{ "x" + 1 }}` fails in Python, inside the template: said with its file and line.
        # The same error raised by sitegen's own code is a bug, and is not hidden.
        where = template_line(error)
        if where is None:
            raise
        statement = f", in {line}" if (line := template_statement(error)) else ""
        raise TemplateError(
            f"template error: {type(error).__name__}: {error}{statement}{rendering}",
            location=where,
            hint=kept_template_hint(error),
        ) from None
    except RecursionError as error:  # `{% extends "base.html" %}` in base.html (a traceback)
        raise TemplateError(
            "a template calls itself without end: an extends, an include or a macro that"
            " comes back to itself, directly or through another",
            location=template_line(error) or Location(TEMPLATES_DIR),
            hint="check the {% extends %}, {% include %} and macro calls you edited",
        ) from None


_worker_renderers: dict[Path, _Renderer] = {}  # in a worker: the current build's renderer
# In a worker: the papers of the shares it rendered, unpickled, for its next shares, in sites
# of up to this many papers: a paper is shown by six shares at 10k papers, and unpickling
# each share's papers was a tenth of the workers' CPU (the cold-build budget, no slower than
# Hugo at 10k papers). Not above: the memory budget (2 KB a paper in each worker at 50k).
_KEEP_UNPICKLED_UP_TO = 20_000
_worker_papers: dict[str, Paper] = {}
_worker_papers_at: dict[str, tuple[int, int]] = {}  # in the build's file (_write_papers)


@dataclass(frozen=True, slots=True)
class _RenderInWorker:
    staging: Path
    job_file: Path
    papers_file: Path  # the papers the build held (_write_papers)

    def __call__(self, share: _Share) -> _Rendered:
        renderer = _worker_renderers.get(self.job_file)
        if renderer is None:
            _worker_renderers.clear()
            _worker_papers.clear()
            with self.job_file.open("rb") as file:
                job, at = pickle.load(file)
            _worker_papers_at.clear()
            _worker_papers_at.update(at)
            renderer = _worker_renderers[self.job_file] = _Renderer(job, {}, PaperParts())
        outputs, named = share
        site_papers = renderer.job.site.papers
        assert isinstance(site_papers, StoredPapers)  # as Render found it
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
        with self.papers_file.open("rb") as file:
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
