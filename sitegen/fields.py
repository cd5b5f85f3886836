"""Typed reads of TOML tables (site.toml, front matter, day files) whose errors name the line.

One checker for every TOML file sitegen reads, so each refuses unknown keys and wrong types
the same way: the error names the file, the key's line, what was expected, and what to write.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Collection, Iterator, Mapping, Sequence
from datetime import date, time
from typing import Any

from sitegen.clean import BIDI_CONTROLS, clean_line
from sitegen.dates import iso_day
from sitegen.errors import ConfigError, Location, SitegenError
from sitegen.model import MAX_COUNT


def describe_toml_error(error: tomllib.TOMLDecodeError) -> tuple[str, int | None, int | None]:
    """(message, 1-based line, 1-based column) of a TOML error; Python < 3.14 has the line and
    column only in the text."""
    message = str(error)
    match = re.search(r" \(at line (\d+), column (\d+)\)$", message)
    line = getattr(error, "lineno", None) or (int(match[1]) if match else None)
    column = getattr(error, "colno", None) or (int(match[2]) if match else None)
    return (message[: match.start()] if match else message), line, column


# A key given what looks like a date but is none ("2026-13-45", "2026-2-30", or another
# country's way, "06/04/2026", "4.6.2026": a maintainer's trial): TOML reads an invalid date
# as another token, so the parser's message says nothing of dates.
_NO_DATE = re.compile(
    r"\s*([A-Za-z0-9_-]+)\s*=\s*(\d{4}-\d{1,2}-\d{1,2}\b|\d{1,4}([./])\d{1,2}\3\d{1,4}(?![\w.]))"
)
# Or a date written in words, with its day ("June 4, 2026", "4 Jun. 2026", "Dec 4"), as arXiv
# and Hugging Face show one: the hint for a bare word (`_bare_value`) quoted it, a string the
# next run refused for its quotes (a review of a381843).
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATE_IN_WORDS = re.compile(
    rf"\s*([A-Za-z0-9_-]+)\s*=\s*({_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?(?:\s+\d{{4}})?"
    rf"|\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?)\s*(?:#.*)?$",
    re.IGNORECASE,
)
_KEY = re.compile(r"\s*([A-Za-z0-9_.-]+)\s*=")
# A string closed by a double quote meant inside it: `title = "See "What" I See"` (a quote
# after a `#` is a comment's, unless the `#` ends a word: `"Why "C#" Matters"`; no quoted
# word starts with a `;`, a slip before the next key: `{ id = "1"; title = "A" }`).
_QUOTE_INSIDE = re.compile(
    r'([A-Za-z0-9_-]+)\s*=\s*"(?:[^"\\\n]|\\.)*"(?=[^\s,;}\]#](?:[^\n#]|(?<=\w)#)*")'
)
_COMMA_BEFORE_BRACE = re.compile(r",\s*}")
# The end of a line inside a one-line string, basic ("...") or literal ('...').
_NEWLINE_IN_STRING = frozenset({"Illegal character '\\n'", "Found invalid character '\\n'"})


def _key_given(lines: Sequence[str], line: int | None) -> tuple[int, str] | None:
    """(line, key) of the `key =` statement the parser stopped at: on `line`, or with none
    (the end of the text), the last statement, which the end of the text follows."""
    numbers = [line] if line else range(len(lines), 0, -1)
    for number in numbers:
        if number <= len(lines) and (key := _KEY.match(lines[number - 1])):
            return number, key[1]
    return None


# A table's header on its own line: `[feeds]`, `[[topics]]` (a comment may follow).
_HEADER = re.compile(r"^[ \t]*(\[\[?[^\[\]\n]+\]\]?)[ \t]*(?:#.*)?$", re.MULTILINE)
_BELOW_A_HEADER = "a key written after a [table] header belongs to that table"


def _header_above(lines: Sequence[str], line: int) -> str | None:
    """The header of the table whose keys the statement on `line` is among, if any."""
    for number in range(line - 1, 0, -1):
        if header := _HEADER.match(lines[number - 1]):
            return header[1]
    return None


def _above_the_first_header(text: str) -> str:
    """Where a key of the top-level table goes: "above the first [table] header (line 9)"."""
    first = _HEADER.search(text)
    if first is None:
        return "above the first [table] header"
    line = text.count("\n", 0, first.start()) + 1
    return f"above the first [table] header (line {line})"


def _given_twice(
    key: str, lines: Sequence[str], line: int, top_keys: Collection[str]
) -> tuple[str, str]:
    """The message and hint of `key` given a second time on `line`, naming its table: a key of
    the top-level table written at the end of the file is the last table's (found by a trial:
    a site's `description` there was the last topic's second one)."""
    table = _header_above(lines, line)
    if table is None:
        return f"`{key}` is given a second time", "keep one of its two lines"
    if key not in top_keys:
        return f"`{key}` is given a second time in {table}", "keep one of its two lines"
    where = _above_the_first_header("\n".join(lines))
    return (
        f"`{key}` is given a second time in {table}: {_BELOW_A_HEADER}",
        f"if it is the site's, move it {where}; else keep one of its two lines",
    )


def _declared_twice(
    header: str,
    lines: Sequence[str],
    line: int,
    first_line: int = 1,
    headers: Mapping[str, str] | None = None,
) -> tuple[str, str]:
    """The message and hint of a table's header written a second time, on `line` (the
    parser's words, "Cannot declare ('content',) twice", are unlike every other message;
    `first_line`: where `lines` start in the file, for front matter; `headers`: the file's
    tables, each as its header is written, `[feeds]` or `[[topics]]`)."""
    name = _header_name(header)
    first = next(
        (
            n
            for n, said in enumerate(lines[: line - 1], first_line)
            if (other := _HEADER.match(said)) and _header_name(other[1]) == name
        ),
        None,
    )
    is_array = header.startswith("[[")
    if first is not None and lines[first - first_line].strip().startswith("[[") != is_array:
        # A table and an array of tables of one name, either first.
        before = f"[[{name}]]" if not is_array else f"[{name}]"
        message = (
            f"`{header}` is declared after `{before}` on line {first}: a name is a table or"
            " an array of tables, not both"
        )
        # The file's own shape, where the caller knows it: a trial's third custom feed
        # written `[custom_feeds]` was told that `[name]` serves for one, which it refuses.
        if (taken := (headers or {}).get(name)) is None:
            return message, f"write `[[{name}]]` for each of several, `[{name}]` once for one"
        if taken.startswith("[["):
            return message, f"write `{taken}` above each one, a single one too"
        return message, f"`{name}` is one table: write its header once, as `{taken}`"
    where = f" (the first is on line {first})" if first else ""
    return f"`{header}` is declared a second time", f"merge the two tables into one{where}"


def _header_name(header: str) -> str:
    """A header's table name: `[ content ]` and `[[content]]` are both "content"."""
    return header.strip("[] \t").replace(" ", "")


# A [table] header, a key's name alone in its brackets: not an array on a line of its own
# ("[3, 4]", '["c", "d"]': reviews).
_TABLE_NAMED = re.compile(
    r"""[ \t]*\[\[?[ \t]*(?:[A-Za-z_][\w.-]*|"[^"\n]*"|'[^'\n]*')[ \t]*\]\]?[ \t]*(?:\#.*)?$"""
)


def _unclosed_array(
    lines: list[str], line: int | None, column: int | None
) -> tuple[int, str, str] | None:
    """(line, message, hint) of what the parser's "Unclosed array" at `line` and `column` most
    likely is: a comma left out after an entry (on that line or the one before), or an array
    whose "]" was left out before the next key (the parser names where it stopped, the line
    after the entry, or the next key's)."""
    if not line or not column or line > len(lines):
        return None
    said = lines[line - 1]
    before, at = said[: column - 1], said[column - 1 :]
    if not before.strip() and (_KEY.match(said) or _TABLE_NAMED.match(said)):
        # Stopped at the next key or [table] (a review: the header's "[" was no entry).
        if opened := _key_given(lines[: line - 1], None):
            return opened[0], f"`{opened[1]}`'s array is not closed", "close it with ]"
        return None
    if at[:1] in ("{", '"', "'", "[") or at[:1].isdigit():  # an entry starts where it stopped
        entry = line if before.strip() else _line_before(lines, line)
        ended = lines[entry - 1][: column - 1 if entry == line else None].split("#")[0].rstrip()
        if entry and (ended.endswith(("}", '"', "'", "]")) or ended[-1:].isdigit()):
            return entry, "an entry of the array is not followed by a comma", "add the comma"
    return None


def _line_before(lines: list[str], line: int) -> int:
    """The last line before `line` (1-based) with more than a comment, or 0."""
    return next((n for n in range(line - 1, 0, -1) if lines[n - 1].split("#")[0].strip()), 0)


def load_toml(
    text: str,
    *,
    source: str,
    error: type[SitegenError],
    first_line: int = 1,
    hint: str,
    top_keys: Collection[str] = (),
    numbers: Mapping[str, int] | None = None,
    headers: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Parse TOML, or raise `error` naming the line (`first_line`: where `text` starts in
    the file, for front matter; `top_keys`: keys of the top-level table, said to be misplaced
    when one is given twice in a table; `numbers`: the keys whose value is a whole number,
    each to an example of one, for a hint; `headers`: the tables the file takes, each as its
    header is written, `[feeds]` or `[[topics]]`, for the hint of one written both ways)."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        message, line, column = describe_toml_error(problem)
        lines = text.split("\n")  # as TOML counts lines: not at U+2028 and the like
        said = lines[line - 1] if line and line <= len(lines) else ""
        date_like = _NO_DATE.match(said) or _DATE_IN_WORDS.match(said)
        if date_like and iso_day(date_like[2]) is None:
            # The parser's own words ("Expected newline ...") miss it: found by a trial.
            message = f"`{date_like[1]}` = {date_like[2]} is not a day (YYYY-MM-DD)"
            hint = f"write a day of the calendar, {date_like[1]} = 2025-10-31"
        elif counted := _count_not_in_digits(said, column, numbers or {}):
            message, hint = counted
        elif quoted := _QUOTE_INSIDE.search(said):
            # The parser's words ("Unclosed inline table", "Expected newline") miss it: a
            # title with quotes is a common hand edit (a new user's trial).
            message = f"`{quoted[1]}`'s string ends at a double quote meant inside it"
            hint = (
                f'write that quote as \\" ({quoted[1]} = "a \\"quoted\\" word"), or put the'
                f" string in single quotes ({quoted[1]} = 'a \"quoted\" word')"
            )
        elif message == "Unclosed array" and (slip := _unclosed_array(lines, line, column)):
            line, message, hint = slip
        elif message.startswith("Invalid initial character") and _COMMA_BEFORE_BRACE.search(said):
            message = "a comma before an inline table's closing }"
            hint = "take the comma out: TOML allows none there"
        elif message.startswith("Cannot overwrite a value") and (twice := _key_given(lines, line)):
            # The parser's words say neither which key nor that it is given twice, and at
            # the end of the text no line either.
            line, key = twice
            message, hint = _given_twice(key, lines, line, top_keys)
        elif (
            message.startswith(("Cannot declare", "Cannot overwrite"))
            and line
            and (header := _HEADER.match(said))
        ):
            message, hint = _declared_twice(header[1], lines, line, first_line, headers)
        elif message in _NEWLINE_IN_STRING:
            # The parser's words ("Illegal character '\\n'") miss it: a closing quote
            # forgotten is a common hand edit (a fork owner's trial).
            named = _KEY.match(said)
            whose = f"`{named[1]}`'s" if named else "a"
            message = f"{whose} string is not closed on its line"
            hint = (
                "close it with the quote that opened it (a string of several lines is written"
                ' in triple quotes, """...""")'
            )
        elif message == "Invalid value" and (bare := _bare_value(said, column)):
            message, hint = bare
        elif message.endswith("(at end of document)") and (opened := _key_given(lines, None)):
            # No line in the parser's words: the last statement's, which
            # opened what the end of the text leaves open.
            line, key = opened
            # A literal string's end is said as `Expected "'"`, as if a quote were due.
            string = "string" in message or message.startswith("Expected \"'")
            what = "string" if string else "array"
            message = f"`{key}`'s {what} is never closed: the file ends inside it"
            hint = f"close it with {'the quotes that opened it' if what == 'string' else ']'}"
        where = Location(source, line + first_line - 1 if line else None)
        raise error(f"bad TOML: {message}", location=where, hint=hint) from None
    except ValueError as problem:  # an integer of more than 4,300 digits (int's own limit)
        raise error(
            f"bad TOML: {str(problem)[:80]}", location=Location(source), hint=hint
        ) from None
    except RecursionError:
        raise error("bad TOML: nested too deeply", location=Location(source), hint=hint) from None


# A count as written after its key's "=": up to a comment, the end of an inline table or an
# array, or a comma (one before a digit is the count's own: "1,204"); not a string, an array
# or a table, whose own slips are told otherwise.
_COUNT_AS_WRITTEN = r"[ \t]*([^\s\"'\[{#][^#}\]]*?)[ \t]*(?=$|#|[}\]]|,(?!\d))"


def _count_not_in_digits(
    said: str, column: int | None, numbers: Mapping[str, int]
) -> tuple[str, str] | None:
    """(message, hint) for a key of `numbers` on the line `said` whose value, as written, is
    no TOML value, where the parser stopped at it or after it (`column`): a count in words
    (`items = fifty`) or as people write one (`3k`, `1.2k`, `1,204`, `12 000`, `~40`), which
    the parser's words ("Invalid value", "Expected newline or end of document after a
    statement", "Unclosed inline table") do not tell. One rule for them all: a new user's
    trial hinted `items = "fifty"`, refused next as no whole number."""
    if not numbers:
        return None
    keys = "|".join(map(re.escape, numbers))
    for found in re.finditer(rf"(?<![\w-])({keys})\s*={_COUNT_AS_WRITTEN}", said):
        if column and found.start(2) >= column:
            break  # the parser stopped before it: something else is wrong
        key, value = found[1], found[2]
        if not _is_toml_value(value):
            return (
                f"`{key}`'s value {value} is not a number: TOML writes numbers in digits",
                f"{key} = {numbers[key]}",
            )
    return None


def _is_toml_value(written: str) -> bool:
    try:
        tomllib.loads(f"value = {written}")
    except tomllib.TOMLDecodeError:
        return False
    return True


def _bare_value(said: str, column: int | None) -> tuple[str, str] | None:
    """(message, hint) for a value written as a bare word on the line `said`, where the parser
    says only "Invalid value": text without its quotes (`kind = facet`), or True for true."""
    if not column or not said[column - 1 : column].isalpha():
        return None
    before, at = said[: column - 1], said[column - 1 :]
    named = _KEY.match(said)
    whose = f"`{named[1]}`'s value" if named else "the value"
    # An array's item (on the key's line, or on a line of its own) ends at a comma or "]".
    key = named[1] if named and "[" not in before else None
    value = at.split("#")[0].strip() if key else re.split(r"[,\]\s#]", at)[0]
    if value.casefold() in ("true", "false"):
        lower = value.casefold()
        return (
            f"{whose} {value} is not TOML's: it writes true and false in lower case",
            f"{key} = {lower}" if key else f"write {lower}",
        )
    # Its closing quote kept: quoting it again would write that quote twice. Only an unpaired
    # one: a text's own quotes come in pairs (`A "B"`), and an apostrophe is no quote.
    unpaired = {'"': value.count('"') % 2 == 1, "'": value.count("'") == 1}
    if key and unpaired.get(value[-1], False):
        return f"{whose} {value} has no opening quote", f"{key} = {toml_value(value[:-1])}"
    return (
        f"{whose} {value} is not quoted: TOML writes text in quotes",
        f"{key} = {toml_value(value)}"
        if key
        else 'write each text of the array in quotes: ["a", "b"]',
    )


class TomlFields:
    """A TOML table of `source` whose values are read by type; a wrong one raises `error`
    pointing at the key's line in `text` (the file's text, to find the line)."""

    def __init__(
        self,
        table: dict[str, Any],
        *,
        text: str,
        source: str,
        error: type[SitegenError],
        start: int = 0,
        header: str = "",
        top_keys: frozenset[str] = frozenset(),
        top_lacks: frozenset[str] = frozenset(),
        is_top: bool = False,
        table_keys: Mapping[str, str] | None = None,
    ) -> None:
        self.table, self.text, self.source, self.error = table, text, source, error
        self.start = start  # where the table starts in `text`: its keys are looked for after it
        self.header = header  # its header as written ("[content]", "[[topics]]"), if it has one
        # The keys of the file's top-level table: one found in a table that does not take it
        # was written below that table's header, which TOML then puts it in; when the top has
        # it too (`top_lacks` does not hold it), it may be the table's own key, misnamed
        # (`title` for a feed's `name`: found by a review).
        self.top_keys, self.top_lacks = top_keys, top_lacks
        self.is_top = is_top  # the file's top-level table (an inline table has no header either)
        # The keys of the file's named tables, each to its header: one found in another table
        # was written below that table's header (`hidden` after the last [[custom_feeds]]).
        self.table_keys = table_keys or {}

    def where(self, key: str) -> Location:
        match = self._key(key)
        return Location(self.source, self._line(match.start()) if match else None)

    def where_value(self, key: str, value: str) -> Location:
        """The line of the string `value` given under `key` (an item of a multi-line array
        has its own line), not of the same text in a description or another key."""
        match = self._key(key)
        if match is None:
            return Location(self.source)
        # The key's value ends where the next key or table header starts.
        after = _NEXT_KEY.search(self.text, match.end())
        end = after.start() if after else len(self.text)
        quoted = re.compile(rf"""(["']){re.escape(value)}\1""")
        found = quoted.search(self.text, match.end(), end) if value else None
        return Location(self.source, self._line((found or match).start()))

    def _key(self, key: str) -> re.Match[str] | None:
        """Where `key` (or its table header) is written, at or after the table's start: bare,
        quoted (`"title" = ...`) or the first part of a dotted key (`feeds.items = ...`)."""
        name = re.escape(key)
        # [ \t], not \s: \s also matches the newline of a blank line above the key, whose
        # line would be named instead of the key's.
        pattern = re.compile(
            rf"""^[ \t]*(?:\[+[ \t]*{name}[ \t]*\]+|(["']?){name}\1[ \t]*[=.])""", re.MULTILINE
        )
        return pattern.search(self.text, self.start)

    def _line(self, index: int) -> int:
        return self.text.count("\n", 0, index) + 1

    def fail(self, key: str, expected: str, example: str, *, because: str = "") -> SitegenError:
        """The error of `key`'s value, which is not `expected` (`example`: one that is;
        `because`: the part of `expected` it is not)."""
        message = must_be(key, expected, self.table[key]) + (f": {because}" if because else "")
        return self.error(message, location=self.where(key), hint=f"e.g. {example}")

    def only(
        self, known: frozenset[str], where: str, *, hints: Mapping[str, str] | None = None
    ) -> None:
        """Refuse keys not in `known` (`hints`: what to do about a key no longer used)."""
        for key in self.table:
            if key in known:
                continue
            if key in self.top_lacks and self.header:
                raise self._below_the_header(key)
            hint = (hints or {}).get(key, f"known keys: {', '.join(sorted(known))}")
            if key in self.top_keys and self.header:
                hint += f"; the site's own `{key}` goes {_above_the_first_header(self.text)}"
            elif (header := self.table_keys.get(key)) and header != self.header:
                hint += f"; `{key}` goes in the {header} table"
            raise self.error(f"unknown key `{key}` in {where}", location=self.where(key), hint=hint)

    def _below_the_header(self, key: str) -> SitegenError:
        """`key` of the top-level table, found in this one: found by a trial, `base_url` below
        `[content]` was said to be missing, and adding it gave a second error."""
        return self.error(
            f"`{key}` is inside {self.header}: {_BELOW_A_HEADER}",
            location=self.where(key),
            hint=f"move it {_above_the_first_header(self.text)}",
        )

    def required_text(self, key: str) -> str:
        if key not in self.table:
            raise self._missing(key)
        value = self.text_or_none(key)
        if not value:
            raise self.fail(key, "a non-empty string", f'{key} = "..."')
        return value

    def _missing(self, key: str) -> SitegenError:
        """The error of a required `key` this table lacks."""
        if self.is_top:
            return self._missing_at_the_top(key)
        # The line of the table that lacks it (of the third [[topics]], say), else the file's.
        line = self._line(self.start) if self.start else None
        return self.error(
            f"the required key `{key}` is missing" + (f" in {self.header}" if self.header else ""),
            location=Location(self.source, line or (2 if self.source.endswith(".md") else None)),
            hint=f'add `{key} = "..."`',
        )

    def _missing_at_the_top(self, key: str) -> SitegenError:
        """The error of a key of the top-level table it lacks, pointing at the last table below
        that has it as its last key: added at the end of the file, where TOML makes it the last
        table's (a topic or a custom feed may have a `description` of its own)."""
        where = _above_the_first_header(self.text)
        holding = [
            table
            for table in self._tables_below()
            if table.header and list(table.table)[-1:] == [key]
        ]
        if not holding:
            return self.error(
                f"the required key `{key}` is missing",
                location=Location(self.source),
                hint=f'add `{key} = "..."` {where}',
            )
        last = max(holding, key=lambda table: table.start)
        return self.error(
            f"the required key `{key}` is missing: the one here is inside {last.header} "
            f"({_BELOW_A_HEADER})",
            location=last.where(key),
            hint=f"if it is the site's, move it {where}; else add the site's own there",
        )

    def _tables_below(self) -> Iterator[TomlFields]:
        """The tables of this one (a header of their own or not)."""
        for key, value in self.table.items():
            if isinstance(value, dict):
                yield self._subtable(key, value)
            elif isinstance(value, list) and all(isinstance(item, dict) for item in value):
                yield from self.tables(key)

    def text_or_none(self, key: str) -> str | None:
        value = self.table.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.fail(key, "a string", f'{key} = "..."')
        return clean_line(value)

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(key, "an array of strings", f'{key} = ["...", "..."]')
        return tuple(text for item in value if (text := clean_line(item)))

    def count(self, key: str) -> int | None:
        value = self.table.get(key)
        if value is not None and not is_count(value):
            raise self.fail(key, COUNT, f"{key} = 12")
        return value

    def positive(self, key: str, default: int) -> int:
        value = self.table.get(key, default)
        if not is_count(value) or value < 1:
            raise self.fail(key, f"a whole number from 1 to {MAX_COUNT:,}", f"{key} = {default}")
        return int(value)

    def date(self, key: str) -> date | None:
        value = self.table.get(key)
        # A datetime is a date too, but no day.
        if value is not None and (not isinstance(value, date) or hasattr(value, "hour")):
            raise self.fail(key, "a date written YYYY-MM-DD (no quotes)", f"{key} = 2026-01-31")
        return value

    def url(self, key: str) -> str | None:
        """An http(s) address; kept as written (pages link it only if it is a URL: web_url),
        since files earlier versions wrote hold some that are not, and must still build. ""
        is no link, given by hand: a listing fills a deleted field, never an emptied one."""
        value = self.text_or_none(key)
        if value and value.partition("://")[0].lower() not in ("http", "https"):
            raise self.fail(key, "an http(s) URL", f'{key} = "https://..."')
        return value

    def strings_table(self, key: str, names: tuple[str, ...]) -> dict[str, str] | None:
        """An inline table of exactly `names`, each a non-empty string."""
        value = self.table.get(key)
        if value is None:
            return None
        example = "{ " + ", ".join(f'{n} = "..."' for n in names) + " }"
        if isinstance(value, dict) and (odd := sorted(set(value) - set(names))):
            # Named (found by a review: `nme = "..."` was refused as the whole table).
            raise self.error(
                f"`{key}` has an unknown key `{odd[0]}`",
                location=self.where(key),
                hint=f"e.g. {key} = {example}",
            )
        if (
            not isinstance(value, dict)
            or set(value) != set(names)
            or not all(isinstance(v, str) and clean_line(v) for v in value.values())
        ):
            raise self.fail(key, example, f"{key} = {example}")
        return {name: clean_line(value[name]) for name in names}

    def subtable(self, key: str, known: frozenset[str]) -> TomlFields:
        """The table under `key` (empty when absent), its keys checked against `known`."""
        value = self.table.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(key, "a table", f"[{key}]")
        fields = self._subtable(key, value)
        fields.only(known, f"[{key}]")
        return fields

    def _subtable(self, key: str, value: dict[str, Any]) -> TomlFields:
        written = self._key(key)  # its keys are looked for under its own header
        return self._table_at(value, written.start() if written else None)

    def _table_at(self, value: dict[str, Any], start: int | None) -> TomlFields:
        """The table `value`, written from `start` on (None: not found, looked for as this
        one's keys are), under its header if one is there."""
        header = _HEADER.match(self.text, start) if start is not None else None
        return TomlFields(
            value,
            text=self.text,
            source=self.source,
            error=self.error,
            start=self.start if start is None else start,
            header=header[1] if header else "",
            top_keys=self.top_keys,
            top_lacks=self.top_lacks,
            table_keys=self.table_keys,
        )

    def tables(self, key: str) -> list[TomlFields]:
        """An array of tables (`[[key]]`), each checked when read."""
        value = self.table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise self.fail(key, "an array of tables", f"[[{key}]]")
        # Each table's keys are looked for after its own `[[key]]` header, so an error in the
        # third table names the third table's line.
        starts: list[int | None] = [
            m.start()
            for m in re.finditer(
                rf"^[ \t]*\[\[[ \t]*{re.escape(key)}[ \t]*\]\]", self.text, re.MULTILINE
            )
        ]
        if len(starts) != len(value):
            starts = [None] * len(value)  # not found: looked for as this table's keys are
        return [self._table_at(item, start) for item, start in zip(value, starts, strict=True)]


# A line that starts a key (bare or quoted) or a table header.
_NEXT_KEY = re.compile(r"""^[ \t]*(?:\[|[\w-]+[ \t]*=|(["'])[^"'\n]*\1[ \t]*=)""", re.MULTILINE)


_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_SLUG = 100  # a URL's folder name: a file name has at most 255 bytes


def is_slug(text: str) -> bool:
    """A lowercase-hyphenated name of a folder of the site: "small-models"."""
    return len(text) <= MAX_SLUG and bool(_SLUG.fullmatch(text))


# Letters NFKD does not take apart, as English writes them ("Łódź" is lodz, not odz).
_LATIN_LETTERS = str.maketrans({"æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d",
                                "þ": "th", "ı": "i"})  # fmt: skip


def slug_of(name: str) -> str:
    """A URL name made from `name`: its words in ASCII, accents dropped ("Réseaux" is reseaux,
    not r-seaux: found by a trial), letters of other scripts left out ("" if all are)."""
    latin = name.casefold().translate(_LATIN_LETTERS)
    ascii_name = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_name))[:MAX_SLUG].rstrip("-")


def check_slug(
    slug: str,
    where: Location,
    taken: dict[str, int | None],
    *,
    table: str,
    example: str,
    made_from: str | None = None,
) -> None:
    """Refuse `slug` (said at `where`, or made from the name `made_from`) of a `[[table]]`
    unless it is a slug and none of `taken` (slug -> its line), which it then joins."""
    what, other, url = _SLUGGED_TABLES[table]
    if not is_slug(slug):
        raise ConfigError(
            f"{what} slug {slug[:60]!r} is not a lowercase-hyphenated slug of at most "
            f"{MAX_SLUG} characters",
            location=where,
            hint=f'e.g. slug = "{slug_of(slug) or example}"',
        )
    made = f" (made from its name {made_from[:60]!r})" if made_from else ""
    _claim(slug, where, taken, f"{what} slug {slug!r}{made} is another {other}'s",
           hint=f"give each [[{table}]] its own slug (its URL: /{url}/<slug>/)")  # fmt: skip


def check_name(name: str, where: Location, taken: dict[str, int | None], *, table: str) -> None:
    """Refuse `name` (said at `where`) of a `[[table]]` if one of `taken` (name -> its line) is
    the same in any case, else add it: found by a trial, two custom feeds of one name were two
    same entries on the feeds page."""
    what, other, _ = _SLUGGED_TABLES[table]
    _claim(name.casefold(), where, taken, f"{what} name {name[:60]!r} is another {other}'s",
           hint=f"give each [[{table}]] its own name")  # fmt: skip


def _claim(
    key: str, where: Location, taken: dict[str, int | None], message: str, *, hint: str
) -> None:
    """Add `key` (said at `where`) to `taken` (key -> its line), or refuse it with `message`
    and the line of the table that took it first."""
    if key in taken:
        first_use = taken[key]
        raise ConfigError(
            message + (f", on line {first_use}" if first_use else ""), location=where, hint=hint
        )
    taken[key] = where.line


# Of each kind of table with a slug: what its errors call it, and its URL's folder.
_SLUGGED_TABLES = {
    "topics": ("topic", "topic", "topics"),
    "custom_feeds": ("custom feed", "feed", "feeds"),
}


def must_be(key: str, expected: str, value: TomlValue) -> str:
    """How every error says a value is of the wrong type or range: "`upvotes` must be ..., not
    -1", the value as TOML writes it."""
    return f"`{key}` must be {expected}, not {as_toml(value):.60}"


COUNT = f"a whole number from 0 to {MAX_COUNT:,}"  # what a count must be (is_count)


def is_count(value: object) -> bool:
    """A whole number from 0 to MAX_COUNT (TOML booleans are not numbers)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT


TomlValue = str | int | float | bool | date | time | Sequence[Any] | Mapping[str, Any]
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t"}


def toml_value(value: TomlValue, *, multiline: bool = False) -> str:
    """A value as TOML writes it: a content file's (sitegen.formats) or one a message shows."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        if _NEEDS_ESCAPE.search(value):  # not the common case
            value = _NEEDS_ESCAPE.sub(lambda m: _ESCAPES.get(m[0]) or f"\\u{ord(m[0]):04x}", value)
        return f'"{value}"'
    if isinstance(value, date | time):  # a datetime is a date: `2026-06-04T10:00:00Z`
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, Mapping):
        inner = ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items() if v is not None)
        return "{ " + inner + " }"
    items = [toml_value(item) for item in value]
    if multiline and any(isinstance(item, Mapping) for item in value):
        return "[\n" + "".join(f"  {item},\n" for item in items) + "]"
    return "[" + ", ".join(items) + "]"


def as_toml(value: TomlValue) -> str:
    """A value as TOML writes it, for messages: `"13"`, `true`, `2026-06-04T10:00:00Z`, a
    table as `{ name = "x" }` (not Python's `'13'` or `datetime.datetime(...)`), a bidi
    control escaped too: it would reverse the line."""
    return BIDI_CONTROLS.sub(lambda c: f"\\u{ord(c[0]):04x}", toml_value(value))
