"""Markdown files with TOML front matter (`+++` fences, as Hugo reads them).

tomllib reads; this module writes the small, fixed subset sitegen emits (strings, integers,
dates, arrays of those, arrays of inline tables) in a stable order, so files diff cleanly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sitegen.errors import ContentError, Location
from sitegen.fields import load_toml

FENCE = "+++"
TomlValue = str | int | bool | date | Sequence[Any] | Mapping[str, Any]


def split_front_matter(text: str, *, path: str) -> tuple[dict[str, Any], str, int]:
    """Split a content file into (front matter, body, 1-based line where the body starts)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        raise ContentError(
            f"the file must start with a '{FENCE}' line that opens its TOML front matter",
            location=Location(path, 1),
            hint="restore the front matter, or delete the file and ingest its listing again",
        )
    try:
        closing = next(i for i in range(1, len(lines)) if lines[i].strip() == FENCE)
    except StopIteration:
        raise ContentError(
            f"the front matter is never closed by a '{FENCE}' line",
            location=Location(path, 1),
            hint=f"add a '{FENCE}' line after the last front matter field",
        ) from None
    fields = load_toml(
        "\n".join(lines[1:closing]),
        source=path,
        error=ContentError,
        first_line=2,
        hint="fix the TOML syntax (strings need double quotes, dates are YYYY-MM-DD)",
    )
    return fields, "\n".join(lines[closing + 1 :]), closing + 2


def join_front_matter(fields: Sequence[tuple[str, TomlValue | None]], body: str) -> str:
    """Render front matter (fields in the given order, None values left out) and a body."""
    out = [FENCE]
    for key, value in fields:
        if value is None:
            continue
        out.append(f"{key} = {_value(value, multiline=True)}")
    out.append(FENCE)
    text = "\n".join(out) + "\n"
    return text + (body.strip() + "\n" if body.strip() else "")


def dump_toml(fields: Sequence[tuple[str, TomlValue | None]]) -> str:
    """A TOML document of top-level keys, in order."""
    return "".join(
        f"{key} = {_value(value, multiline=True)}\n" for key, value in fields if value is not None
    )


_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t"}


def toml_string(text: str) -> str:
    if not _NEEDS_ESCAPE.search(text):  # the common case: nothing to escape
        return f'"{text}"'
    escaped = _NEEDS_ESCAPE.sub(lambda m: _ESCAPES.get(m[0]) or f"\\u{ord(m[0]):04x}", text)
    return f'"{escaped}"'


def _value(value: TomlValue, *, multiline: bool = False) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        inner = ", ".join(f"{k} = {_value(v)}" for k, v in value.items() if v is not None)
        return "{ " + inner + " }"
    items = [_value(item) for item in value]
    if multiline and any(isinstance(item, Mapping) for item in value):
        return "[\n" + "".join(f"  {item},\n" for item in items) + "]"
    return "[" + ", ".join(items) + "]"
