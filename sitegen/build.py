"""`sitegen build`: content/ + site.toml + templates/ -> public/, as one visible pipeline."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import jinja2

from sitegen.config import SiteConfig
from sitegen.content import load_content
from sitegen.errors import ContentError, Location
from sitegen.feeds import render_feeds
from sitegen.pages import render_abstract, render_pages
from sitegen.publish import Artifact, PublishReport, publish
from sitegen.site import assemble_site
from sitegen.urls import Routes

TEMPLATES_DIR = "templates"


@dataclass(frozen=True, slots=True)
class BuildReport:
    pages: int
    feeds: int
    published: PublishReport


def build_site(
    root: Path,
    config: SiteConfig,
    *,
    out: Path,
    on_artifact: Callable[[Artifact], None] = lambda artifact: None,
    clean: bool = False,
) -> BuildReport:
    """Read the content, render every page and feed, and swap the result in as `out`.

    `clean` ignores and replaces every cache: a true cold build.
    """
    known_topics = frozenset(t.slug for t in config.topics)
    snapshot = load_content(root, known_topics=known_topics, use_cache=not clean)
    site = assemble_site(snapshot, config)
    routes = Routes(config.base_url)
    env = template_environment(root / TEMPLATES_DIR)
    abstracts = {paper.id: render_abstract(paper.abstract) for paper in site.papers}
    static = [
        Artifact(route.path, _read_template_file(root, route.path))
        for route in (routes.stylesheet(), routes.icon())
    ]
    counts = {"pages": 0, "feeds": 0}

    def counted(artifacts: Iterable[Artifact]) -> Iterator[Artifact]:
        for artifact in artifacts:
            if artifact.path.endswith(".html"):
                counts["pages"] += 1
            elif artifact.path.endswith((".xml", ".json")) and artifact.path != "sitemap.xml":
                counts["feeds"] += artifact.path not in ("api/papers.json",)
            on_artifact(artifact)
            yield artifact

    artifacts = itertools.chain(
        static,
        render_pages(site, routes, env, abstracts),
        render_feeds(site, routes, abstracts),
    )
    try:
        published = publish(counted(artifacts), out)
    except jinja2.TemplateError as error:
        raise _template_error(error) from None
    return BuildReport(pages=counts["pages"], feeds=counts["feeds"], published=published)


def template_environment(directory: Path) -> jinja2.Environment:
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
        where = Location(error.filename or error.name or "templates", error.lineno)
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
