"""Templates: the Jinja environment sitegen renders with, its compiled templates kept between
builds, and template errors said with their file and line."""

from __future__ import annotations

import dataclasses
import linecache
import traceback
from collections.abc import Callable, MutableMapping
from pathlib import Path
from typing import Any

import jinja2
import markupsafe
from jinja2 import nodes
from jinja2.bccache import Bucket

from sitegen.cache import KeyedCache, digest
from sitegen.errors import NAMES_GIVEN, Location, TemplateError
from sitegen.formats import decode_content
from sitegen.layout import TEMPLATES_DIR
from sitegen.wording import thousands


class CompiledTemplates(jinja2.BytecodeCache):
    """Each template as Python code, compiled by an earlier build, kept in .sitegen-cache/ by
    its source's digest. Compiling the dozen templates a new day's pages use took a fifth of
    their rendering (the rebuild budget, under 2 s at 50k papers); every worker of a full
    build compiled them again too. `reuse` False: compiled again, and kept."""

    def __init__(self, root: Path, reuse: bool) -> None:
        self.root, self.reuse = root, reuse

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        # By name alone, not the file's path: a site copied or cloned elsewhere keeps them.
        return digest(name.encode())

    def _cache(self, bucket: Bucket, *, reuse: bool) -> KeyedCache:
        return KeyedCache(self.root, f"template-{bucket.key}", reuse=reuse)

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._cache(bucket, reuse=self.reuse).values.get(bucket.checksum)
        if code is not None:
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._cache(bucket, reuse=False).save({bucket.checksum: bucket.code})


class _StrictUndefined(jinja2.StrictUndefined):
    """Jinja's StrictUndefined, whose error for a field a value lacks names the fields it has:
    a fork owner's `{{ paper.titel }}` was said with the page's names alone, and what a paper
    or a card holds is written nowhere else. Only an error reads it: rendering costs nothing."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        said: str = super()._undefined_message
        value = self._undefined_obj
        if self._undefined_hint or not dataclasses.is_dataclass(value):
            return said
        properties = (n for n in dir(value) if isinstance(getattr(type(value), n, None), property))
        names = sorted({*(f.name for f in dataclasses.fields(value)), *properties})
        return f"{said} (it has {', '.join(names)})"


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
    env = _Environment(
        loader=_TemplateFiles(directory),
        autoescape=True,  # every template is HTML; only the rendered abstract is marked safe
        undefined=_StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # A build reads each template once: no stat of it at each of 50,000 pages to see
        # whether it changed (the cold-build budget: a tenth of a page's rendering).
        auto_reload=False,
        bytecode_cache=compiled,
    )
    env.filters["thousands"] = thousands  # counts in templates, as `counted` says them
    return env


def check_template_blocks(env: jinja2.Environment) -> None:
    """Refuse a template that fills a block its parents lack: Jinja drops such a block without
    a word, as a base.html kept from an older sitegen through a merge would (an upgrade trial:
    the search page lost its head script, the feed folders their noindex)."""
    trees = {name: _parsed(env, name) for name in env.list_templates(extensions=["html"])}

    def blocks_of(name: str, seen: frozenset[str]) -> frozenset[str] | None:
        tree = trees[name] if name in trees else _parsed(env, name)
        if tree is None:
            return None
        own = frozenset(block.name for block in tree.find_all(nodes.Block))
        parent = _parent_name(tree)
        if parent is None or parent in seen:  # a loop is said when rendered
            return own
        inherited = blocks_of(parent, seen | {name})
        return None if inherited is None else own | inherited

    # Every block a parent lacks, said at once: a base.html kept from 0.2.0 lacks three, which
    # took three builds to learn one by one (an upgrade trial). By parent, then where filled.
    lacking: dict[str, dict[str, Location]] = {}
    for name, tree in sorted(trees.items()):
        if tree is None or (parent := _parent_name(tree)) is None:
            continue
        inherited = blocks_of(parent, frozenset({name}))
        if inherited is None:
            continue
        for block in tree.body:  # a child's blocks are at its top level
            if isinstance(block, nodes.Block) and block.name not in inherited:
                where = Location(f"{TEMPLATES_DIR}/{name}", block.lineno)
                lacking.setdefault(parent, {}).setdefault(block.name, where)
    if not lacking:
        return
    parent, blocks = min(lacking.items())
    (first, location), *others = sorted(blocks.items(), key=lambda b: (b[1].path, b[1].line or 0))
    nor = "".join(f", nor {block} ({where})" for block, where in others)
    tags = [f"{{% block {block} %}}{{% endblock %}}" for block in (first, *dict(others))]
    its, goes = ("their", "they go") if others else ("its", "it goes")
    raise TemplateError(
        f"block {first} is filled here but {TEMPLATES_DIR}/{parent} has no such block{nor}:"
        f" {its} content would be dropped",
        location=location,
        hint=f"add {_listed(tags)} to {parent} where {goes} (a template kept from an older"
        " sitegen: docs/building.md#your-own-templates says where)",
    )


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _parsed(env: jinja2.Environment, name: str) -> nodes.Template | None:
    """Its syntax tree; None when it does not read or parse, said by the render that uses it."""
    try:
        source, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        return env.parse(source, name, filename)
    except (jinja2.TemplateError, UnicodeDecodeError):
        return None


def _parent_name(tree: nodes.Template) -> str | None:
    extends = tree.find(nodes.Extends)
    if extends is None or not isinstance(extends.template, nodes.Const):
        return None  # a parent chosen at render time is not checked
    return str(extends.template.value)


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


def template_error(error: jinja2.TemplateError) -> TemplateError:
    if isinstance(error, jinja2.TemplateSyntaxError):
        # By its name under templates/, as other template errors are; not the loader's path.
        named = f"{TEMPLATES_DIR}/{error.name}" if error.name else error.filename
        where = Location(named or TEMPLATES_DIR, error.lineno)
        return TemplateError(
            f"template syntax: {error.message}", location=where, hint="fix the template"
        )
    if isinstance(error, jinja2.TemplateNotFound):
        # Named by a template (an include, an extends), said at its line: "restore it" was
        # the hint for a file a fork owner was about to make (their trial).
        if (named_at := template_line(error)) is not None:
            return TemplateError(
                f"no template {error.name}",
                location=named_at,
                hint=f"make {TEMPLATES_DIR}/{error.name}, or correct the name",
            )
        return TemplateError(
            f"missing template {error.name}",
            location=Location(f"{TEMPLATES_DIR}/{error.name}"),
            hint="restore it from the sitegen repository",
        )
    return TemplateError(
        f"template error: {error}",
        location=template_line(error) or Location(TEMPLATES_DIR),
        hint=kept_template_hint(error),
    )


def kept_template_hint(error: BaseException) -> str:
    """What to do about an error of rendering, with the names the template was given (the note
    `pages` adds): a name no longer given, or a value of another shape (`for month, days in
    months` over triples), is what a template kept whole through a fork's update meets."""
    notes = getattr(error, "__notes__", ())
    given = [n.removeprefix(NAMES_GIVEN) for n in notes if n.startswith(NAMES_GIVEN)]
    fix = f"fix the template ({_KEPT_THROUGH_AN_UPDATE})"
    return f"{fix}; it was given {given[0]}" if given else fix


_KEPT_THROUGH_AN_UPDATE = (
    "one you kept through an update of sitegen: merge the update's into it, docs/publishing.md"
)


def template_line(error: BaseException) -> Location | None:
    """The template and line an error of rendering was raised in (Jinja gives a template's
    frames its file and lines), or by Jinja for it (a filter); None when the code that
    raised it is sitegen's, called by a template: a bug, not the template's."""
    found = _template_frame(error)
    if found is None:
        return None
    name, line = found
    at = len(name.parts) - 1 - name.parts[::-1].index(TEMPLATES_DIR)
    return Location("/".join(name.parts[at:]), line)


def template_statement(error: BaseException) -> str:
    """The text of the template's line an error of rendering was raised at, shortened; "" if
    none. `ValueError: too many values to unpack` names no value: the line does."""
    found = _template_frame(error)
    text = linecache.getline(str(found[0]), found[1]).strip() if found else ""
    return text if len(text) <= _STATEMENT_CHARS else text[: _STATEMENT_CHARS - 1] + "…"


_STATEMENT_CHARS = 120


def _template_frame(error: BaseException) -> tuple[Path, int] | None:
    frames = list(traceback.walk_tb(error.__traceback__))
    for frame, line in reversed(frames):  # from where it was raised
        name = Path(frame.f_code.co_filename)
        # Jinja's, and MarkupSafe's, which escapes what a template prints: an undefined
        # name fails in it (a new user's trial: `{{ site_titel }}` was said without a line).
        if name.is_relative_to(_JINJA) or name.is_relative_to(_MARKUPSAFE) or name == _LOADER:
            continue
        # In a folder of templates/ too (`templates/partials/promo.html`: a fork owner's
        # trial, whose mistakes there were said without a file and line, or as a traceback).
        if name.suffix in _TEMPLATE_SUFFIXES and TEMPLATES_DIR in name.parent.parts:
            return name, line
        return None
    return None


_JINJA = Path(jinja2.__file__).parent
_MARKUPSAFE = Path(markupsafe.__file__).parent
_LOADER = Path(__file__)  # _TemplateFiles: it raises what an include names and is not there


_TEMPLATE_SUFFIXES = frozenset({".html", ".xml", ".txt", ".css", ".js", ".svg"})
