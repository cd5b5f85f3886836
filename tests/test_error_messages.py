"""Errors a new user met: each names the right line and the one thing to do, and a browser
that goes away is no error at all."""

from __future__ import annotations

import os
import pty
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from sitegen.cli import main
from sitegen.config import parse_config
from sitegen.errors import ConfigError, ContentError
from sitegen.formats import parse_day_file, parse_paper_file
from sitegen.listings.base import HF_URL
from tests.conftest import REPO, rewrite, sitegen_here, tree_bytes
from tests.test_fetch import _read_all
from tests.test_publish import _line_with, _serving

SITE_TOML = (REPO / "site.toml").read_text()
_BASE = (REPO / "templates" / "base.html").read_text()
# The lines of base.html that tests break: where its head ends, and its main block.
HEAD_END = _BASE[: _BASE.index("</head>")].count("\n") + 1
MAIN_BLOCK = _BASE[: _BASE.index("{% block main %}{% endblock %}")].count("\n") + 1


def _config_error(text: str) -> tuple[str, str]:
    """(the message, the line of `text` the error names)."""
    with pytest.raises(ConfigError) as error:
        parse_config(text, source="site.toml")
    location = error.value.location
    assert location is not None and location.line is not None, str(error.value)
    return error.value.message, text.split("\n")[location.line - 1]


# ---- site.toml: the line of the key, and of the value -----------------------------------------


def test_a_key_after_a_blank_line_is_named_at_its_own_line() -> None:
    """`^\\s*` let the blank line above a key stand for it: "site.toml:8" for line 9."""
    message, line = _config_error(SITE_TOML.replace("[feeds]", "[feed]"))
    assert "unknown key `feed`" in message and line == "[feed]"
    message, line = _config_error(SITE_TOML.replace("[pages]\n", "[pages]\n\nhome_paper = 3\n"))
    assert "unknown key `home_paper`" in message and line == "home_paper = 3"


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ('title = "Daily Papers"', '"title" = 3', "`title` must be a string, not 3"),
        ('language = "en"', "'language' = 3", "`language` must be a string, not 3"),
        ('language = "en"', 'language = "en"\nfeed.items = 3', "unknown key `feed`"),
    ],
)
def test_a_quoted_or_dotted_key_is_named_at_its_line(old: str, new: str, says: str) -> None:
    """Found by a maintainer (h8): such a key was said without its line; only
    content/digests.toml looked for one."""
    message, line = _config_error(SITE_TOML.replace(old, new, 1))
    assert says in message and line == new.split("\n")[-1]


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ('language = "en"', 'language = "english!"', 'a language tag such as "en" or "pt-BR"'),
        ('language = "en"', 'language = "en us"', 'not "en us"'),
        ("summary_chars = 120", "summary_chars = true", "from 1 to 1,000,000,000, not true"),
        ("items = 50", "items = 100000000000000", "a whole number from 1 to 1,000,000,000"),
        ("home_papers = 20", "home_papers = 0", "a whole number from 1 to 1,000,000,000, not 0"),
        ('title = "Daily Papers"', 'title = " "', '`title` must be a non-empty string, not " "'),
    ],
)
def test_a_value_of_the_wrong_kind_says_what_it_must_be(old: str, new: str, says: str) -> None:
    for tag in ("zh-Hant-TW", "es-419", "x-klingon", "i-klingon", "de-CH-x-phonebk"):
        text = SITE_TOML.replace('language = "en"', f'language = "{tag}"')
        assert parse_config(text, source="site.toml").language == tag
    """Found by a maintainer: a language of any text went into every page's lang (the HTML
    checker refused them all); `true` was said as "True"; a count over the limit was told
    to be "1 or more"."""
    assert old in SITE_TOML
    message, line = _config_error(SITE_TOML.replace(old, new, 1))
    assert says in message and line.startswith(new)


def test_a_count_of_one_is_taken() -> None:
    # The least a count of papers or days may be (0 is refused above).
    text = SITE_TOML.replace("home_papers = 20", "home_papers = 1").replace("days = 4", "days = 1")
    config = parse_config(text, source="site.toml")
    assert config.pages.home_papers == 1 and config.feeds.days == 1


@pytest.mark.parametrize(
    ("old", "new"), [("home_papers = 20", "home_papers = 0"), ("days = 4", "days = -1")]
)
def test_a_count_refused_is_told_the_default_to_write(old: str, new: str) -> None:
    """Errors say what to write: a count of papers or days out of its range is given the
    setting's default as its example (docs/configuration.md lists the same). Found by
    mutation testing: the hint dropped passed every test of site.toml."""
    assert old in SITE_TOML
    with pytest.raises(ConfigError) as refused:
        parse_config(SITE_TOML.replace(old, new, 1), source="site.toml")
    assert refused.value.hint == f"e.g. {old}"


@pytest.mark.parametrize("written", ['custom_feeds = ["agents"]', 'custom_feeds = "agents"'])
def test_custom_feeds_written_as_a_value_are_told_to_be_tables_at_their_line(written: str) -> None:
    """Custom feeds are tables, `[[custom_feeds]]` one per feed (docs/configuration.md): a
    list of names or a name in their place is an error at its line saying so, not a
    traceback. Found by mutation testing: a list of strings let through (to fail reading its
    items), and the error's key lost, passed every test of site.toml."""
    feeds = SITE_TOML[SITE_TOML.index("[[custom_feeds]]") : SITE_TOML.index("[[topics]]")]
    text = written + "\n" + SITE_TOML.replace(feeds, "")
    with pytest.raises(ConfigError) as refused:
        parse_config(text, source="site.toml")
    assert refused.value.message.startswith("`custom_feeds` must be an array of tables, not ")
    assert refused.value.location is not None and refused.value.location.line == 1
    assert refused.value.hint == "e.g. [[custom_feeds]]"


def test_the_feeds_settings_written_as_a_value_are_told_to_be_a_table_at_their_line() -> None:
    """`[feeds]` is a table of settings (docs/configuration.md): a number in its place is an
    error at its line saying so, not a traceback. Found by mutation testing: the error's key,
    wording or example lost passed every test of site.toml."""
    settings = SITE_TOML[SITE_TOML.index("[feeds]") : SITE_TOML.index("[pages]")]
    with pytest.raises(ConfigError) as refused:
        parse_config("feeds = 50\n" + SITE_TOML.replace(settings, ""), source="site.toml")
    assert refused.value.message == "`feeds` must be a table, not 50"
    assert refused.value.location is not None and refused.value.location.line == 1
    assert refused.value.hint == "e.g. [feeds]"


def test_a_bad_yields_to_is_named_at_its_line_not_where_its_text_first_appears() -> None:
    """The llm topic's description says "code" three lines above its `yields_to`."""
    good = next(
        line for line in SITE_TOML.splitlines() if line.startswith('yields_to = ["reasoning"')
    )
    message, line = _config_error(SITE_TOML.replace(good, good.replace('"code"', '"cod"')))
    assert "`yields_to` names 'cod'" in message and line == good.replace('"code"', '"cod"')
    # An item of an array written one per line is named at its own line.
    multiline = 'yields_to = [\n  "reasoning",\n  "agent",\n  "code",\n]'
    message, line = _config_error(SITE_TOML.replace(good, multiline))
    assert "names 'agent'" in message and line == '  "agent",'


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        # Found by a fork owner's trial: each was built without a word, and did not work.
        (
            'kind = "facet"\ndescription = "Making models cheaper',
            'kind = "facet"\nfallback = true\ndescription = "Making models cheaper',
            "`fallback` is for an area",
        ),
        (
            'slug = "efficiency"\nname = "Efficiency and Systems"\nkind = "facet"',
            'slug = "efficiency"\nname = "Efficiency and Systems"\nkind = "area"\nfallback = true',
            "a second fallback area: 'machine-learning' is the fallback already",
        ),
        (
            '"theory-optimization"]\nfallback = true',
            '"theory-optimization", "machine-learning"]\nfallback = true',
            "`yields_to` names 'machine-learning', the topic itself",
        ),
        ('"quantization", "pruning",', '"quantization", "--",', "`keywords` holds '--'"),
        # A topic's former slugs (`formerly`): each leads to one topic, and none has it now.
        (
            'slug = "efficiency"\n',
            'slug = "efficiency"\nformerly = ["robotics"]\n',
            "`formerly` holds 'robotics', a topic's slug now",
        ),
        (
            'slug = "efficiency"\n',
            'slug = "efficiency"\nformerly = ["Fast Models"]\n',
            "`formerly` holds 'Fast Models', which is no slug",
        ),
        (
            'slug = "efficiency"\n',
            'slug = "efficiency"\nformerly = ["fast", "fast"]\n',
            "`formerly` holds 'fast' twice",
        ),
        (  # `--topic reasoning` would name two topics (a review)
            'slug = "efficiency"\n',
            'slug = "efficiency"\nformerly = ["reasoning"]\n',
            "`formerly` holds 'reasoning', the name of the topic 'reasoning'",
        ),
        ('generic = ["efficient",', 'generic = ["...", "efficient",', "`generic` holds '...'"),
        # A fork owner's trial: an empty phrase was dropped in silence, while "--" was refused.
        ('"quantization", "pruning",', '"quantization", "",', "`keywords` holds '', which"),
        ('generic = ["efficient",', 'generic = ["  ", "efficient",', "`generic` holds '  '"),
    ],
)
def test_topic_rules_that_cannot_work_are_refused_at_their_line(
    old: str, new: str, says: str
) -> None:
    assert SITE_TOML.count(old) == 1
    message, line = _config_error(SITE_TOML.replace(old, new))
    assert says in message, message
    assert line.split(" = ")[0] in ("fallback", "yields_to", "keywords", "generic", "formerly")


def test_topics_that_yield_to_each_other_are_refused_at_the_yields_to_closing_the_circle() -> None:
    """A fork owner's trial: Code made to yield to Agents, which yields to Code, was built
    without a word; the topic first in site.toml gave way, and a paper with a little evidence
    for both (no area qualified) got neither, but the fallback area."""
    code = 'generic = ["code", "software", "program", "repository", "compiler", "coding"]\n'
    assert SITE_TOML.count(code) == 1 and 'yields_to = ["code"]' in SITE_TOML
    message, line = _config_error(SITE_TOML.replace(code, code + 'yields_to = ["agents"]\n'))
    assert message == (
        "`yields_to` names 'agents', which gives way to this topic in turn (code -> agents ->"
        " code): topics in a circle cannot all give way"
    ), message
    assert line == 'yields_to = ["agents"]'
    # A longer circle, through a topic between, is named whole.
    reasoning = 'slug = "reasoning"\n'
    circle = SITE_TOML.replace(reasoning, reasoning + 'yields_to = ["agents"]\n').replace(
        code, code + 'yields_to = ["reasoning"]\n'
    )
    message, line = _config_error(circle)
    assert "(code -> reasoning -> agents -> code)" in message, message
    assert line == 'yields_to = ["reasoning"]'


def test_a_topic_merged_in_by_formerly_and_still_yielded_to_is_named_as_such() -> None:
    """Found by a fork owner's trial: merging representation-learning into machine-learning
    as docs/topics.md says, its slug left in machine-learning's `yields_to` was said to be
    "'machine-learning', the topic itself", at a line that did not say it."""
    merged = re.sub(
        r'\[\[topics\]\]\nslug = "representation-learning"\n(.+\n)+?\n', "", SITE_TOML, count=1
    )
    assert 'slug = "representation-learning"' not in merged
    kept = 'slug = "machine-learning"\n'
    merged = merged.replace(kept, f'{kept}formerly = ["representation-learning"]\n')
    message, line = _config_error(merged)
    assert "`yields_to` names 'representation-learning', a former slug of this topic" in message
    assert line.startswith("yields_to = [") and '"representation-learning"' in line
    # Renamed without `formerly`, a slug yielded to is told where the old slug goes.
    renamed = SITE_TOML.replace('slug = "graphs"\n', 'slug = "graph-learning"\n')
    with pytest.raises(ConfigError) as error:
        parse_config(renamed, source="site.toml")
    assert "names 'graphs', which is no topic's slug" in error.value.message
    assert "a slug renamed goes in its topic's `formerly`" in error.value.hint
    # One former slug of two topics: said with the first's slug, not as "'robotics''s".
    twice = SITE_TOML.replace('slug = "efficiency"\n', 'slug = "efficiency"\nformerly = ["fast"]\n')
    twice = twice.replace('slug = "robotics"\n', 'slug = "robotics"\nformerly = ["fast"]\n')
    message, line = _config_error(twice)
    assert message == "`formerly` holds 'fast', a former slug of 'robotics' too", message


def test_a_custom_feed_naming_no_topic_is_named_at_its_topics_line() -> None:
    feed = 'topics = ["llm", "reasoning", "agents"]'
    bad = SITE_TOML.replace(feed, 'topics = ["llm", "upvoted"]')
    message, line = _config_error(bad)  # "upvoted" is in the feed's name and description first
    assert "names 'upvoted'" in message and line == 'topics = ["llm", "upvoted"]'


def _refusal(text: str) -> str:
    """The error site.toml `text` is refused with, as the command line shows it: file:line,
    the message, and the hint on a line of its own."""
    with pytest.raises(ConfigError) as error:
        parse_config(text, source="site.toml")
    return str(error.value)


def _with_last_line(text: str, line: str) -> tuple[str, int]:
    """`text` with `line` added at its end, and that line's number."""
    return f"{text}{line}\n", text.count("\n") + 1


_BELOW = "a key written after a [table] header belongs to that table"
_MOVE = "move it above the first [table] header"


def test_an_array_left_open_at_the_end_of_site_toml_is_named_at_its_line() -> None:
    """Found by a new user's trial: "site.toml: bad TOML: Unclosed array (at end of document)",
    with no line."""
    text, line = _with_last_line(SITE_TOML + "[content]\n", 'hidden = ["2606.06113",')
    assert _refusal(text) == (
        f"site.toml:{line}: bad TOML: `hidden`'s array is never closed: the file ends inside"
        " it\n  hint: close it with ]"
    )


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('title = "Daily Papers"', 'title = "Daily Papers', "title"),
        ('slug = "llm"', "slug = 'llm", "slug"),
        (
            'match = ["diffusion model", "flow matching"]',
            'match = [\n  "diffusion model,\n  "flow matching"]',
            "",
        ),
    ],
    ids=["a title", "a literal string", "a string of an array, below its key"],
)
def test_a_string_left_open_at_its_line_end_says_so(old: str, new: str, key: str) -> None:
    """A fork owner's trial: `title = "My Papers` (the closing quote forgotten) was said in the
    parser's words, "bad TOML: Illegal character '\\n'", with "fix the syntax" for a hint."""
    lines = SITE_TOML.split("\n")
    line = next(n for n, said in enumerate(lines, 1) if said.startswith(old))
    whose = f"`{key}`'s" if key else "a"
    assert _refusal(SITE_TOML.replace(old, new, 1)) == (
        f"site.toml:{line if key else line + 1}: bad TOML: {whose} string is not closed on its"
        " line\n  hint: close it with the quote that opened it (a string of several lines is"
        ' written in triple quotes, """...""")'
    )


def test_a_literal_string_left_open_at_the_end_of_site_toml_is_a_string() -> None:
    """`x = 'abc` on the last line is "Expected "'" (at end of document)" in the parser's words:
    it was said to be an array never closed, with "close it with ]"."""
    text, line = _with_last_line(SITE_TOML + "[content]\n", "hidden = ['2606.06113")
    assert _refusal(text) == (
        f"site.toml:{line}: bad TOML: `hidden`'s string is never closed: the file ends inside"
        " it\n  hint: close it with the quotes that opened it"
    )


def test_an_array_left_open_before_the_next_key_is_named_at_its_own_key() -> None:
    """The parser stops at the key after the array ("Unclosed array" there): the array left
    open is the statement before it, named by its key at its line (h14: mutants naming the
    next key, or none when the array is on the line just above it, survived)."""
    lines = SITE_TOML.split("\n")
    last = max(n for n, line in enumerate(lines) if line.startswith("keywords = ["))
    assert lines[last + 1].startswith("generic = [")  # the next key, on the line below
    lines[last] = lines[last].removesuffix("]")
    assert _refusal("\n".join(lines)) == (
        f"site.toml:{last + 1}: bad TOML: `keywords`'s array is not closed\n  hint: close it with ]"
    )


@pytest.mark.parametrize(
    ("file", "old", "new", "says"),
    [
        (
            "content/days/2026-06-12.toml",
            'title = "See What I See,',
            'title = "See "What" I See,',
            "content/days/2026-06-12.toml:6: bad TOML: `title`'s string ends at a double quote"
            ' meant inside it\n  hint: write that quote as \\" (title = "a \\"quoted\\" word")',
        ),
        (
            "content/papers/2606.13594.md",
            'title = "See What I See,',
            'title = "See "What" I See,',
            "content/papers/2606.13594.md:2: bad TOML: `title`'s string ends at a double quote",
        ),
        (
            "content/days/2026-06-12.toml",
            'Heterogeneous Agents", upvotes = 3 },',
            'Heterogeneous Agents", upvotes = 3 }',
            "content/days/2026-06-12.toml:6: bad TOML: an entry of the array is not followed by"
            " a comma\n  hint: add the comma",
        ),
        (
            "content/days/2026-06-12.toml",
            'Heterogeneous Agents", upvotes = 3 },',
            'Heterogeneous Agents", upvotes = 3, },',
            "content/days/2026-06-12.toml:6: bad TOML: a comma before an inline table's closing }"
            "\n  hint: take the comma out",
        ),
        (  # hinted `upvotes = "three"`, which is refused as no whole number
            "content/papers/2606.13594.md",
            "upvotes = 3\n",
            "upvotes = three\n",
            "content/papers/2606.13594.md:8: bad TOML: `upvotes`'s value three is not a number:"
            " TOML writes numbers in digits\n  hint: upvotes = 12\n",
        ),
        (  # hinted to quote "each text of the array", in an inline table's count
            "content/days/2026-06-12.toml",
            'Heterogeneous Agents", upvotes = 3 },',
            'Heterogeneous Agents", upvotes = three },',
            "content/days/2026-06-12.toml:6: bad TOML: `upvotes`'s value three is not a number:"
            " TOML writes numbers in digits\n  hint: upvotes = 12\n",
        ),
        (  # as people write a count: "Expected newline or end of document after a statement"
            "content/papers/2606.13594.md",
            "upvotes = 3\n",
            "upvotes = 1.2k\n",
            "content/papers/2606.13594.md:8: bad TOML: `upvotes`'s value 1.2k is not a number:"
            " TOML writes numbers in digits\n  hint: upvotes = 12\n",
        ),
    ],
    ids=[
        "quote in a day's title",
        "quote in a paper's title",
        "comma left out",
        "comma before }",
        "a paper's upvotes in words",
        "a day entry's upvotes in words",
        "a paper's upvotes as people write them",
    ],
)
def test_a_slip_in_a_hand_edited_content_file_is_named_at_its_line(
    bundled_built: Path, file: str, old: str, new: str, says: str
) -> None:
    """A new user's trial of the docs: a title given quotes by hand was "Unclosed inline
    table" or "Expected newline or end of document", a comma left out was named on the line
    after, and a comma before a "}" was "Invalid initial character for a key part", each with
    the hint "fix the TOML syntax"."""
    rewrite(bundled_built / file, lambda text: text.replace(old, new, 1))
    result = sitegen_here("--root", str(bundled_built), "build")
    assert result.returncode == 2
    assert result.stderr.startswith(f"sitegen: error: {says}"), result.stderr


@pytest.mark.parametrize(
    ("file", "old", "new", "at", "not_said"),
    [
        (  # two keywords on one line with no comma between them: named on the line above
            "content/papers/2606.13594.md",
            '["KV-cache communication", ',
            '["KV-cache communication" ',
            "content/papers/2606.13594.md:9:",
            "",
        ),
        (  # the array's "]" left out: the comma it says to add makes another error
            "content/days/2026-06-12.toml",
            'sources = ["listings/2026-06-12.json"]',
            'sources = ["listings/2026-06-12.json"',
            "content/days/2026-06-12.toml:",
            "add the comma",
        ),
        (  # a stray semicolon after a string: no quote is meant inside it
            "content/papers/2606.13594.md",
            'Across Heterogeneous Agents"\n',
            'Across Heterogeneous Agents";\n',
            "content/papers/2606.13594.md:2:",
            "a double quote meant inside it",
        ),
        (  # the same, with a comment that quotes a word: the comment's quotes are no string's
            "content/papers/2606.13594.md",
            'Across Heterogeneous Agents"\n',
            'Across Heterogeneous Agents"; # the "short" title\n',
            "content/papers/2606.13594.md:2:",
            "a double quote meant inside it",
        ),
        (  # a semicolon between two keys of an inline table: the next key's string is no quote
            "content/days/2026-06-12.toml",
            '{ id = "2606.13594", title',
            '{ id = "2606.13594"; title',
            "content/days/2026-06-12.toml:6:",
            "a double quote meant inside it",
        ),
    ],
    ids=[
        "comma left out on one line",
        "] left out",
        "semicolon after a string",
        "semicolon, then a comment with quotes",
        "semicolon between two keys",
    ],
)
def test_a_toml_slip_is_not_said_as_another_slip_or_at_another_line(
    bundled_built: Path, file: str, old: str, new: str, at: str, not_said: str
) -> None:
    """The slips `fields.load_toml` names (a quote inside a string, a comma left out) are
    guessed from the line the parser stopped at, and the guesses fire where they are wrong:
    a comma left out within one line was named on the line before it (the parser stops on the
    same line, and `_without_comma` looks only above), an array never closed was said to lack
    a comma (the parser's "Unclosed array" was right), and any character after a string's
    closing quote was said to be a quote meant inside it (review h4)."""
    rewrite(bundled_built / file, lambda text: text.replace(old, new, 1))
    result = sitegen_here("--root", str(bundled_built), "build")
    assert result.returncode == 2
    assert result.stderr.startswith(f"sitegen: error: {at}"), result.stderr
    if not_said:
        assert not_said not in result.stderr, result.stderr


@pytest.mark.parametrize("title", ['"Why "C#" Matters"', '"The "F#" Way" # ours'])
def test_a_quote_meant_inside_a_string_around_a_hash_is_still_named(title: str) -> None:
    """Review h6: the guess that skips a comment's quotes (`"x"; # the "short" title`) took
    the `#` of C# or F# inside a quoted word for a comment, and the slip was said in the
    parser's words again ("Expected newline or end of document after a statement")."""
    text = SITE_TOML.replace('title = "Daily Papers"', f"title = {title}", 1)
    assert _refusal(text).startswith(
        "site.toml:2: bad TOML: `title`'s string ends at a double quote meant inside it"
    )


def test_a_tables_key_written_below_another_table_says_where_it_goes() -> None:
    """A new user's trial: `hidden` added at the end of site.toml (below the last table, a
    [[custom_feeds]]) was said to be unknown there, with that table's keys and no word of
    [content]."""
    text, line = _with_last_line(SITE_TOML + '[[custom_feeds]]\nname = "A"\n', "hidden = []")
    assert _refusal(text) == (
        f"site.toml:{line}: unknown key `hidden` in a [[custom_feeds]] table\n  hint: known"
        " keys: authors, description, exclude, match, min_upvotes, name, organizations, slug,"
        " topics;"
        " `hidden` goes in the [content] table"
    )
    text = SITE_TOML.replace("[pages]\n", "[pages]\nitems = 20\n")
    assert _refusal(text).endswith("; `items` goes in the [feeds] table")


def test_another_toml_file_is_named_in_its_errors_not_site_toml() -> None:
    """A new user's trial: `--topics-before README.md` was refused with "fix the syntax of
    site.toml"."""
    with pytest.raises(ConfigError) as error:
        parse_config("# Title\nnot toml\n", source="docs/README.md")
    assert str(error.value).endswith("\n  hint: fix the syntax of README.md")
    with pytest.raises(ConfigError) as error:
        parse_config("bogus = 1\n" + SITE_TOML, source="old/site-before.toml")
    assert "unknown key `bogus` in site-before.toml" in str(error.value)


def test_a_site_key_written_below_a_table_header_is_said_to_be_inside_that_table() -> None:
    """Found by a trial: `base_url` below a `[content]` put above it (line 5) is [content]'s
    (TOML's rule), and was said to be missing, with no line and a hint to add it: a second
    error. The bundled site.toml's first table is [feeds], on line 9."""
    content = '\n[content]\nhidden = ["2606.06113"]\n'
    text = SITE_TOML.replace('language = "en"', 'language = "en"' + content)
    assert _refusal(text) == (
        f"site.toml:10: `base_url` is inside [content]: {_BELOW}\n  hint: {_MOVE} (line 5)"
    )
    # Where the site has the key too, it may be the table's own key misnamed (found by a
    # review: a feed's `name` written `title` was sent to the top): both are said.
    text = SITE_TOML.replace("[pages]\n", '[pages]\ntitle = "Papers"\n')
    assert _refusal(text) == (
        "site.toml:15: unknown key `title` in [pages]\n  hint: known keys: day_papers, "
        "home_papers, summary_chars, topic_page_size; the site's own `title` goes above the "
        "first [table] header (line 9)"
    )
    text, line = _with_last_line(SITE_TOML, '[[custom_feeds]]\ntitle = "Agents"')
    assert _refusal(text).startswith(
        f"site.toml:{line + 1}: unknown key `title` in a [[custom_feeds]] table\n"
        "  hint: known keys: authors, description, exclude, match, min_upvotes, name,"
    )
    without = SITE_TOML.replace('language = "en"', "# was", 1)
    text, line = _with_last_line(without, 'language = "de"')  # the last table is a topic
    assert _refusal(text) == (
        f"site.toml:{line}: `language` is inside [[topics]]: {_BELOW}\n  hint: {_MOVE} (line 9)"
    )
    # Saved with CRLF line ends, the same (found by a review: every table was unnamed).
    text = SITE_TOML.replace('language = "en"', 'language = "en"' + content)
    assert _refusal(text.replace("\n", "\r\n")) == (
        f"site.toml:10: `base_url` is inside [content]: {_BELOW}\n  hint: {_MOVE} (line 5)"
    )


def test_a_site_key_a_table_takes_too_is_named_in_the_table_it_went_to() -> None:
    """A topic and a custom feed have a `description` too: at the end of the file the site's
    was the last topic's second one, said of no table; or the last feed's, and the site's was
    said to be missing, with a hint to add it (at the end again)."""
    text, line = _with_last_line(SITE_TOML, 'description = "Papers."')
    assert _refusal(text) == (
        f"site.toml:{line}: bad TOML: `description` is given a second time in [[topics]]: "
        f"{_BELOW}\n  hint: if it is the site's, {_MOVE} (line 9); else keep one of its two lines"
    )
    without = SITE_TOML.replace('description = "Machine learning papers', "# was", 1)
    assert _refusal(without) == (
        "site.toml: the required key `description` is missing\n"
        '  hint: add `description = "..."` above the first [table] header (line 9)'
    )
    feed = '[[custom_feeds]]\nname = "Agents"\nmatch = ["agent"]\n'
    text, line = _with_last_line(without + feed, 'description = "Papers."')
    assert _refusal(text) == (
        f"site.toml:{line}: the required key `description` is missing: the one here is inside "
        f"[[custom_feeds]] ({_BELOW})\n"
        f"  hint: if it is the site's, {_MOVE} (line 9); else add the site's own there"
    )


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        (
            'slug = "code"',
            "slug = code",
            "site.toml:{line}: bad TOML: `slug`'s value code is not quoted: TOML writes text in"
            ' quotes\n  hint: slug = "code"',
        ),
        (
            'name = "Large Language Models"',
            "name = Large Language Models",
            "site.toml:{line}: bad TOML: `name`'s value Large Language Models is not quoted:"
            ' TOML writes text in quotes\n  hint: name = "Large Language Models"',
        ),
        (
            'name = "Large Language Models"',
            'name = Large Language Models"',
            "site.toml:{line}: bad TOML: `name`'s value Large Language Models\" has no opening"
            ' quote\n  hint: name = "Large Language Models"',
        ),
        (
            'name = "Large Language Models"',
            'name = The "Large" Models"',
            'site.toml:{line}: bad TOML: `name`\'s value The "Large" Models" has no opening'
            ' quote\n  hint: name = "The \\"Large\\" Models"',
        ),
        (  # its quotes the text's own, in pairs: no opening quote lost
            'name = "Large Language Models"',
            'name = Large Language "Models"',
            'site.toml:{line}: bad TOML: `name`\'s value Large Language "Models" is not quoted:'
            ' TOML writes text in quotes\n  hint: name = "Large Language \\"Models\\""',
        ),
        (  # an apostrophe is no quote
            'name = "Large Language Models"',
            "name = Large Language's 'Models'",
            "site.toml:{line}: bad TOML: `name`'s value Large Language's 'Models' is not quoted:"
            " TOML writes text in quotes\n  hint: name = \"Large Language's 'Models'\"",
        ),
        (
            'yields_to = ["code"]',
            'yields_to = ["code", agents]',
            "site.toml:{line}: bad TOML: `yields_to`'s value agents is not quoted: TOML writes"
            ' text in quotes\n  hint: write each text of the array in quotes: ["a", "b"]',
        ),
        (
            "fallback = true",
            "fallback = True",
            "site.toml:{line}: bad TOML: `fallback`'s value True is not TOML's: it writes true"
            " and false in lower case\n  hint: fallback = true",
        ),
    ],
)
def test_a_value_written_without_its_quotes_is_said_so(old: str, new: str, says: str) -> None:
    """A re-topicing trial: `slug = code` and `kind = facet` were refused as "bad TOML:
    Invalid value" with the hint "fix the syntax of site.toml", which named neither the
    quotes nor the value. A maintainer's trial: a value whose opening quote alone was lost
    (`title = The Title"`) was hinted `title = "The Title""`, which TOML refuses again. A
    review: one ending in its own quoted word (`title = A "B"`) was said to lack its opening
    quote, and hinted without the word's closing quote."""
    assert SITE_TOML.count(old) == 1
    text = SITE_TOML.replace(old, new)
    line = text.split("\n").index(new) + 1
    assert _refusal(text) == says.format(line=line)


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        (
            "items = 50 ",
            "items = fifty ",
            "site.toml:{line}: bad TOML: `items`'s value fifty is not a number: TOML writes"
            " numbers in digits\n  hint: items = 50",
        ),
        (
            "min_upvotes = 3",
            "min_upvotes = three",
            "site.toml:{line}: bad TOML: `min_upvotes`'s value three is not a number: TOML writes"
            " numbers in digits\n  hint: min_upvotes = 12",
        ),
    ],
)
def test_a_number_written_in_words_is_told_to_be_digits(old: str, new: str, says: str) -> None:
    """A new user's trial: `items = fifty` was hinted `items = "fifty"`, which the next run
    refuses as no whole number: a number's key is told to write digits."""
    assert SITE_TOML.count(old) == 1
    text = SITE_TOML.replace(old, new)
    line = next(n for n, said in enumerate(text.split("\n"), 1) if said.startswith(new))
    assert _refusal(text) == says.format(line=line)


# Counts as people write them, which TOML reads as no value: each is told to be digits.
COUNTS_AS_WRITTEN = ["3k", "1.2k", "1,204", "12 000", "~40"]


@pytest.mark.parametrize("written", COUNTS_AS_WRITTEN)
def test_a_number_written_as_people_write_it_is_told_to_be_digits(written: str) -> None:
    """`items = fifty` was told to write digits, `items = 1k` got the parser's own words
    ("Expected newline or end of document after a statement") and the hint to fix the syntax."""
    text = SITE_TOML.replace("items = 50 ", f"items = {written} ", 1)
    line = next(n for n, said in enumerate(text.split("\n"), 1) if said.startswith("items = "))
    assert _refusal(text) == (
        f"site.toml:{line}: bad TOML: `items`'s value {written} is not a number: TOML writes"
        " numbers in digits\n  hint: items = 50"
    )


@pytest.mark.parametrize("written", COUNTS_AS_WRITTEN)
@pytest.mark.parametrize(
    ("file", "old", "line"),
    [
        ("content/papers/2606.13594.md", "upvotes = 3\n", 8),
        ("content/days/2026-06-12.toml", 'Heterogeneous Agents", upvotes = 3 }', 6),
    ],
    ids=["a paper's upvotes", "a day entry's upvotes"],
)
def test_a_content_files_count_written_as_people_write_it_is_told_to_be_digits(
    file: str, old: str, line: int, written: str
) -> None:
    """As `upvotes = three` is: `upvotes = 3k`, `1,204` or `~40` in a hand-edited file got the
    parser's own words ("Unclosed inline table", "Expected '=' after a key") and no hint of
    digits."""
    text = (REPO / file).read_text()
    assert text.count(old) == 1
    text = text.replace(old, old.replace("= 3", f"= {written}"))
    parse = parse_paper_file if file.endswith(".md") else parse_day_file
    with pytest.raises(ContentError) as error:
        parse(text, path=file)
    assert str(error.value) == (
        f"{file}:{line}: bad TOML: `upvotes`'s value {written} is not a number: TOML writes"
        " numbers in digits\n  hint: upvotes = 12"
    )


def test_a_tables_own_key_given_twice_is_not_sent_to_the_top() -> None:
    """A topic's own key (one the site has not) given a second time at the end of the file
    is that topic's: "keep one", with no word of moving it above the first table (h14: a
    mutation of `_given_twice` that sent every key in a table to the top survived)."""
    text, line = _with_last_line(SITE_TOML, 'generic = ["x"]')
    assert _refusal(text) == (
        f"site.toml:{line}: bad TOML: `generic` is given a second time in [[topics]]\n"
        "  hint: keep one of its two lines"
    )


def test_a_site_key_missing_from_a_site_toml_of_no_table_is_said_without_a_line() -> None:
    """A site.toml of the site's own keys alone (no [table] at all) that lacks one is told
    to add it, not a traceback (h14: the branch for a file of no header was never run)."""
    text = 'title = "T"\nbase_url = "https://example.org/"\n'
    assert _refusal(text) == (
        "site.toml: the required key `description` is missing\n"
        '  hint: add `description = "..."` above the first [table] header'
    )


def test_a_key_an_inline_table_lacks_is_not_sent_to_the_top() -> None:
    """Found by a review: a topic written inline, without its `name`, was hinted to add one
    above the first [table] header, as the site's own keys are."""
    text = (
        'title = "T"\ndescription = "D"\nbase_url = "https://example.org/"\n'
        'topics = [{ slug = "a", keywords = ["alpha"] }]\n'
    )
    assert _refusal(text) == (
        'site.toml: the required key `name` is missing\n  hint: add `name = "..."`'
    )


def test_a_table_declared_twice_is_said_in_words_like_the_others() -> None:
    """The parser's own words were "Cannot declare ('content',) twice"."""
    text, first = _with_last_line(SITE_TOML, "[content]")
    text, second = _with_last_line(text + "hidden = []\n\n", "[content]")
    assert _refusal(text) == (
        f"site.toml:{second}: bad TOML: `[content]` is declared a second time\n"
        f"  hint: merge the two tables into one (the first is on line {first})"
    )
    # A table and an array of tables of one name, either first (a review: the raw words, or
    # "merge" with no line). The bundled site.toml's [[topics]] start on line 49.
    text, line = _with_last_line(SITE_TOML, "[topics]")
    assert _refusal(text) == (
        f"site.toml:{line}: bad TOML: `[topics]` is declared after `[[topics]]` on line 49: a "
        "name is a table or an array of tables, not both\n"
        "  hint: write `[[topics]]` above each one, a single one too"
    )
    text, first = _with_last_line(SITE_TOML, "[content]")
    text, line = _with_last_line(text, "[[content]]")
    assert _refusal(text) == (
        f"site.toml:{line}: bad TOML: `[[content]]` is declared after `[content]` on line "
        f"{first}: a name is a table or an array of tables, not both\n"
        "  hint: `content` is one table: write its header once, as `[content]`"
    )
    # The first header with a comment after it, and a table first written inline (no header
    # to name): h14, mutants that named neither, or the second header as the first, survived.
    head = 'title = "T"\ndescription = "D"\nbase_url = "https://example.org/"\n'
    text = head + "[content] # papers kept off\nhidden = []\n\n[content]\n"
    assert _refusal(text) == (
        "site.toml:7: bad TOML: `[content]` is declared a second time\n"
        "  hint: merge the two tables into one (the first is on line 4)"
    )
    assert _refusal(head + "content = { hidden = [] }\n[content]\n") == (
        "site.toml:5: bad TOML: `[content]` is declared a second time\n"
        "  hint: merge the two tables into one"
    )


def test_a_table_written_both_ways_is_hinted_the_one_way_site_toml_takes() -> None:
    """Found by a new user's trial: a third custom feed written `[custom_feeds]` was hinted
    "`[custom_feeds]` once for one", which site.toml refuses (custom feeds and topics are
    arrays of tables, even one; [feeds], [pages] and [content] tables, never arrays)."""
    third = '[custom_feeds]\nname = "Robots"\ntopics = ["robotics"]'
    text, line = _with_last_line(SITE_TOML, third)
    assert _refusal(text) == (
        f"site.toml:{line}: bad TOML: `[custom_feeds]` is declared after `[[custom_feeds]]` on"
        " line 25: a name is a table or an array of tables, not both\n"
        "  hint: write `[[custom_feeds]]` above each one, a single one too"
    )
    text, line = _with_last_line(SITE_TOML, "[[feeds]]")
    assert _refusal(text) == (
        f"site.toml:{line}: bad TOML: `[[feeds]]` is declared after `[feeds]` on line 9: a "
        "name is a table or an array of tables, not both\n"
        "  hint: `feeds` is one table: write its header once, as `[feeds]`"
    )


def test_a_language_is_two_or_three_letters_and_a_singleton_is_followed_by_a_subtag() -> None:
    """Found by a trial: "english", "English", "chinese" and "en-US-x" were taken (a language
    of up to 8 letters; BCP 47 has none of more than 3 but reserved and registered ones)."""
    for tag in ("english", "English", "chinese", "en-US-x"):
        text = SITE_TOML.replace('language = "en"', f'language = "{tag}"')
        assert _refusal(text) == (
            f'site.toml:4: `language` must be a language tag such as "en" or "pt-BR", not '
            f'"{tag}"\n  hint: e.g. language = "en"'
        )
    for tag in ("en", "pt-BR", "zh-Hans", "zh-Hant-TW", "es-419", "sr-Latn-RS", "de-CH-1996",
                "x-klingon", "en-US-x-twain"):  # fmt: skip
        text = SITE_TOML.replace('language = "en"', f'language = "{tag}"')
        assert parse_config(text, source="site.toml").language == tag


def test_an_empty_language_or_kind_is_refused_not_read_as_its_default() -> None:
    """Found by a fork owner's trial: `language = ""` built every page as English and
    `kind = ""` made an area, in silence, while `title = ""` was refused. Left out, they are
    "en" and "area" (docs/configuration.md); given, an empty one is a value forgotten."""
    text = SITE_TOML.replace('language = "en"', 'language = ""')
    assert _refusal(text) == (
        'site.toml:4: `language` must be a language tag such as "en" or "pt-BR", not ""\n'
        '  hint: e.g. language = "en"'
    )
    reasoning = 'slug = "reasoning"\nname = "Reasoning"\n'
    assert f'{reasoning}kind = "area"\n' in SITE_TOML
    text = SITE_TOML.replace(f'{reasoning}kind = "area"', f'{reasoning}kind = ""')
    assert _refusal(text) == (
        'site.toml:61: `kind` must be "area" or "facet", not ""\n  hint: e.g. kind = "facet"'
    )
    left_out = SITE_TOML.replace('language = "en"\n', "")
    left_out = left_out.replace(f'{reasoning}kind = "area"\n', reasoning)
    config = parse_config(left_out, source="site.toml")
    assert config.language == "en" and config.topic("reasoning").kind == "area"


def test_a_topic_named_as_another_is_refused_at_its_name() -> None:
    """Two topics of one name (any case) were two same entries of /topics/; "Reasoning" is
    named on line 60, "Large Language Models" on line 51."""
    text = SITE_TOML.replace('name = "Reasoning"', 'name = "large language models"')
    assert _refusal(text) == (
        "site.toml:60: topic name 'large language models' is another topic's, on line 51\n"
        "  hint: give each [[topics]] its own name"
    )


# ---- day files: every key of an entry is checked, and named at its line ----------------------


def _day_file_error(
    root: Path, capsys: pytest.CaptureFixture[str], old: str, new: str
) -> tuple[str, str]:
    """Replace `old` by `new` in the first entry of a day file, build: (stderr, that line)."""
    day_file = sorted((root / "content" / "days").glob("*.toml"))[0]
    lines = day_file.read_text().split("\n")
    number = next(n for n, line in enumerate(lines, start=1) if line.startswith("  { id = "))
    number += 1  # the second paper of the day
    assert old in lines[number - 1]
    lines[number - 1] = lines[number - 1].replace(old, new, 1)
    day_file.write_text("\n".join(lines))
    assert main(["--root", str(root), "build"]) == 2
    return capsys.readouterr().err, f"content/days/{day_file.name}:{number}: "


@pytest.mark.parametrize("written", ["draft = true", "hidden = true"])
def test_a_paper_hidden_in_its_own_file_is_told_where_hiding_is_written(written: str) -> None:
    """A maintainer's trial: `draft = true` (Hugo's way) or `hidden = true` written in a
    paper's front matter to take it off the site was refused with the list of known keys
    alone, which says nothing of how to hide a paper."""
    path = "content/papers/2606.13594.md"
    text = (REPO / path).read_text().replace("+++\n", f"+++\n{written}\n", 1)
    with pytest.raises(ContentError) as error:
        parse_paper_file(text, path=path)
    key = written.split(" ")[0]
    assert str(error.value) == (
        f"{path}:2: unknown key `{key}` in the front matter\n  hint: a paper is kept off the"
        ' site by site.toml: [content] hidden = ["2606.13594"] (its file stays, so later'
        " listings merge into it); delete this line"
    )


@pytest.mark.parametrize(
    ("old", "new", "key"), [("upvotes = ", "upvotez = ", "upvotez"), ("{ id = ", "{ idd = ", "idd")]
)
def test_an_unknown_or_misspelt_key_in_a_day_entry_is_refused_at_its_line(
    tiny_built: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, key: str
) -> None:
    """`upvotez = 5` was ignored; `{ idd = "..." }` was refused without a line."""
    err, where = _day_file_error(tiny_built, capsys, old, new)
    assert f"{where}unknown key `{key}` in an entry of `papers`" in err
    assert "hint: known keys: added, id, title, upvotes" in err


@pytest.mark.parametrize(
    ("added", "says"),
    [
        ("2026-12-05T09:17:00", "must be a time with its zone, such as"),
        ("2026-12-05", "must be a time with its zone, such as"),
        ('"yesterday"', "must be a time with its zone, such as"),
        # Past year 9999 in UTC (a review: a traceback).
        ("9999-12-31T23:00:00-01:00", "is no time a site can hold in UTC"),
    ],
)
def test_a_time_added_that_is_no_moment_is_refused_at_its_line(
    tiny_built: Path, capsys: pytest.CaptureFixture[str], added: str, says: str
) -> None:
    """A local time is no moment: readers would each take it in their own zone."""
    err, where = _day_file_error(tiny_built, capsys, "{ id = ", f"{{ added = {added}, id = ")
    assert f"{where}an entry of `papers`: `added` {says}" in err


def test_a_digest_date_that_is_no_moment_is_refused_at_its_line(
    tiny_built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tiny_built / "content" / "digests.toml").write_text(
        "2026-11-13 = 2026-11-14T09:47:00Z\n2026-W46 = 2026-11-16T09:47:00\n"
    )
    assert main(["--root", str(tiny_built), "build"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        "sitegen: error: content/digests.toml:2: the time of 2026-W46 must be a time with its zone"
    ), err


def test_a_day_file_with_the_line_ends_of_an_old_mac_builds_as_with_newlines(
    tiny_built: Path, tmp_path: Path
) -> None:
    """Found by a review: a day file's CR-only line ends were "bad TOML: Expected newline",
    where a paper file's build as any other."""
    cold = tmp_path / "cold"
    assert main(["--root", str(tiny_built), "build", "--out", str(cold)]) == 0
    for day_file in (tiny_built / "content" / "days").glob("*.toml"):
        day_file.write_bytes(day_file.read_bytes().replace(b"\n", b"\r"))
    assert main(["--root", str(tiny_built), "build"]) == 0
    assert tree_bytes(tiny_built / "public") == tree_bytes(cold)


def test_every_broken_content_file_is_said_at_once(
    tiny_built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by a review: with three files broken, each run said the first, so mending them
    took three runs."""
    papers = sorted((tiny_built / "content" / "papers").glob("*.md"))
    day = sorted((tiny_built / "content" / "days").glob("*.toml"))[0]
    rewrite(papers[0], lambda t: t.replace("+++\n", '+++\ncolour = "red"\n', 1))
    rewrite(papers[1], lambda t: t.replace("+++\n", "+++\nupvotez = 3\n", 1))
    rewrite(day, lambda t: t.replace("papers = [", "paperz = [", 1))
    # A build, changed files and every file; an ingest of the broken day's kept listing, which
    # said that day file alone (read first for its sources), then the papers on the next run.
    kept = sorted((tiny_built / "content" / "listings").glob(f"{day.stem}.*"))
    for run in (["build"], ["build", "--clean"], ["ingest", *map(str, kept)]):
        capsys.readouterr()
        assert main(["--root", str(tiny_built), *run]) == 2
        said = [line for line in capsys.readouterr().err.splitlines() if line.startswith("sitegen")]
        assert said == [
            f"sitegen: error: content/papers/{papers[0].name}:2: unknown key `colour` in the"
            " front matter",
            f"sitegen: error: content/papers/{papers[1].name}:2: unknown key `upvotez` in the"
            " front matter",
            f"sitegen: error: content/days/{day.name}:3: unknown key `paperz` in a day file",
        ], said


def test_a_root_whose_name_is_too_long_is_one_line(tmp_path: Path) -> None:
    """Found by a review: the store's check at every command's start raised a traceback."""
    root = tmp_path / ("a" * 300)
    refused = sitegen_here("--root", str(root), "build")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    # Where it is met depends on the Python (3.14's pathlib no longer raises): one line anyway.
    (line, hint) = refused.stderr.splitlines()
    assert line.startswith(f"sitegen: error: {root}/") and "File name too long" in line
    assert hint.startswith("  hint: ")
    if line.startswith(f"sitegen: error: {root / 'content'}: "):  # met by the store's check
        assert hint == "  hint: check its permissions and the path given to --root"


def test_sitegen_on_windows_says_where_it_runs_in_one_line(tmp_path: Path) -> None:
    """A collaborator's Windows laptop: sitegen locks the store with fcntl, which Windows has
    not, and every command was a traceback (`No module named 'fcntl'`). Simulated: Windows'
    platform name, and no fcntl to import."""
    code = (
        "import sys; sys.platform = 'win32'; sys.modules['fcntl'] = None;"
        "from sitegen.__main__ import run; sys.argv = ['sitegen', 'build']; run()"
    )
    refused = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert refused.returncode == 2 and "Traceback" not in refused.stderr, refused.stderr
    (line, hint) = refused.stderr.splitlines()
    assert line == "sitegen: error: sitegen runs on Linux and macOS, not on Windows"
    assert hint.startswith("  hint: ") and "WSL" in hint


def _site_packages_but(tmp_path: Path, left_out: str) -> Path:
    """A folder holding every library this venv's Python has but `left_out`: the Python a user
    runs when the virtual environment is not active, where some of sitegen's libraries are."""
    import feedgen

    site_packages = Path(feedgen.__file__).parent.parent
    partial = tmp_path / "site-packages"
    partial.mkdir()
    for entry in site_packages.iterdir():
        if not entry.name.startswith(left_out):
            (partial / entry.name).symlink_to(entry)
    return partial


@pytest.mark.parametrize(
    ("args", "left_out", "missing"),
    [
        (["--version"], "", r"\w+"),  # no library at all: whichever is imported first
        (["build"], "feedgen", "feedgen"),  # one a build imports only when it renders
    ],
)
def test_sitegen_without_its_libraries_says_to_activate_the_venv(
    tmp_path: Path, args: list[str], left_out: str, missing: str
) -> None:
    """`python3 -m sitegen build` in the clone, in a new terminal whose virtual environment is
    not active: a traceback ending in `No module named 'feedgen'`, halfway through a build.
    `-S` leaves out this Python's own site-packages, and PYTHONPATH gives back what it has."""
    site = tmp_path / "site"
    shutil.copytree(REPO / "content", site / "content")
    shutil.copytree(REPO / "templates", site / "templates")
    shutil.copy(REPO / "site.toml", site)
    path = [str(REPO)] + ([str(_site_packages_but(tmp_path, left_out))] if left_out else [])
    refused = subprocess.run(
        [sys.executable, "-S", "-m", "sitegen", *args],
        cwd=site,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(path)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode == 2 and "Traceback" not in refused.stderr, refused.stderr
    (line, hint) = refused.stderr.splitlines()
    needs = f"{missing}, a library sitegen needs, is not installed for {re.escape(sys.executable)}"
    assert re.fullmatch(f"sitegen: error: {needs}", line), line
    assert hint.startswith("  hint: ") and "activate" in hint and "pip install -e ." in hint
    assert not (site / "public").exists()


def _python_3_10() -> str | None:
    """A Python 3.10 on this machine, if there is one (pyenv's, say)."""
    pyenv = Path.home().glob(".pyenv/versions/3.10*/bin/python3.10")
    candidates = [shutil.which("python3.10"), *map(str, pyenv)]
    for candidate in filter(None, candidates):
        answer = subprocess.run([candidate, "-c", "pass"], capture_output=True, check=False)
        if answer.returncode == 0:
            return candidate
    return None


def test_sitegen_under_python_3_10_says_which_python_it_needs(tmp_path: Path) -> None:
    """`python3.10 -m sitegen build` in the clone (pip refuses to install sitegen there, but the
    package is importable from the clone's root): a traceback, `cannot import name 'UTC'`."""
    python = _python_3_10()
    if python is None:
        pytest.skip("no Python 3.10 on this machine")
    refused = subprocess.run(
        [python, "-m", "sitegen", "build"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode == 2 and "Traceback" not in refused.stderr, refused.stderr
    (line, hint) = refused.stderr.splitlines()
    assert line.startswith("sitegen: error: sitegen needs Python 3.11 or newer, not 3.10.")
    assert hint.startswith("  hint: ") and "python3.11 -m venv" in hint


def test_every_broken_day_file_is_said_at_once(
    small_built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two day files mistyped by hand (docs/content.md: files that do not read are said at
    once): each is named, not the first alone, to be mended in one go."""
    days = sorted((small_built / "content" / "days").glob("*.toml"))[:2]
    for day in days:
        rewrite(day, lambda t: t + "this line is not TOML\n")
    assert main(["--root", str(small_built), "build"]) == 2
    said = [line for line in capsys.readouterr().err.splitlines() if line.startswith("sitegen")]
    assert len(said) == 2, said
    for day, line in zip(days, said, strict=True):
        assert line.startswith(f"sitegen: error: content/days/{day.name}:"), said


@pytest.mark.parametrize("past_a_screen", [0, 5])
def test_more_broken_files_than_a_screen_says_how_many_more(
    small_built: Path, capsys: pytest.CaptureFixture[str], past_a_screen: int
) -> None:
    """A screen of broken files is each said; past it, the rest are counted (with a screen's
    worth exactly, nothing is cut: no "and 0 more")."""
    from sitegen.store import MOST_ERRORS_SAID

    broken = MOST_ERRORS_SAID + past_a_screen
    papers = sorted((small_built / "content" / "papers").glob("*.md"))[:broken]
    assert len(papers) == broken
    for paper in papers:
        rewrite(paper, lambda t: t.replace("+++\n", '+++\ncolour = "red"\n', 1))
    assert main(["--root", str(small_built), "build"]) == 2
    said = [line for line in capsys.readouterr().err.splitlines() if line.startswith("sitegen")]
    named = [line for line in said if "colour" in line]
    if past_a_screen:
        assert len(said) == MOST_ERRORS_SAID + 1 and len(named) == MOST_ERRORS_SAID
        assert said[-1] == f"sitegen: error: and {past_a_screen} more broken content files"
    else:
        assert len(said) == len(named) == broken, said


@pytest.mark.parametrize(
    ("name", "offered"), [("My Paper", "my-paper"), ("Über Étude", "uber-etude")]
)
def test_a_paper_file_named_as_no_id_is_offered_a_name(
    tiny_built: Path, capsys: pytest.CaptureFixture[str], name: str, offered: str
) -> None:
    papers = tiny_built / "content" / "papers"
    sorted(papers.glob("*.md"))[0].rename(papers / f"{name}.md")
    assert main(["--root", str(tiny_built), "build"]) == 2
    err = capsys.readouterr().err
    assert f"content/papers/{name}.md: '{name}' is not a valid paper id" in err
    assert f"hint: rename it to {offered}.md, say, and its day entries' ids with it" in err


def test_a_paper_file_named_as_a_page_is_refused_at_its_file(
    tiny_built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A review: `index.html.md`'s page was /papers/index.html/, where the papers' index page
    is, and the build said "cannot write the site: Is a directory"."""
    paper = tiny_built / "content" / "papers" / "index.html.md"
    paper.write_text('+++\ntitle = "An index paper"\n+++\nIts abstract.\n')
    assert main(["--root", str(tiny_built), "build"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        "sitegen: error: content/papers/index.html.md: 'index.html' is not a valid paper id"
    ), err
    assert "not ending in .html" in err


def test_an_organization_with_a_misspelt_key_names_it(
    tiny_built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paper = sorted((tiny_built / "content" / "papers").glob("*.md"))[0]
    rewrite(
        paper,
        lambda t: re.sub(r"(?m)^organization = .*\n", "", t).replace(
            "+++\n", '+++\norganization = { handle = "x", nme = "X" }\n', 1
        ),
    )
    assert main(["--root", str(tiny_built), "build"]) == 2
    assert ":2: `organization` has an unknown key `nme`" in capsys.readouterr().err


def test_a_hidden_entry_that_is_no_id_is_named(
    tiny_built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = ", ".join(f'"2606.{n:05}"' for n in range(12))  # longer than a message shows
    rewrite(tiny_built / "site.toml", lambda t: f'{t}\n[content]\nhidden = [{ids}, "Some Title"]\n')
    assert main(["--root", str(tiny_built), "build"]) == 2
    err = capsys.readouterr().err
    assert '`hidden` must be an array of paper ids: "Some Title" is not one' in err


def test_a_day_entry_without_an_id_is_refused_at_its_line(
    tiny_built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    day_file = sorted((tiny_built / "content" / "days").glob("*.toml"))[0]
    day_file.write_text(
        day_file.read_text().replace("papers = [\n", 'papers = [\n  { title = "Mine" },\n', 1)
    )
    assert main(["--root", str(tiny_built), "build"]) == 2
    err = capsys.readouterr().err
    assert f"content/days/{day_file.name}:4: an entry of `papers` has no `id`" in err
    assert 'hint: add the paper\'s id: { id = "<paper id>"' in err


# ---- build: a public/ whose record is gone --------------------------------------------------


def test_a_public_dir_without_its_record_says_so_and_what_to_do(
    tiny_built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tiny_built / ".public.outputs").unlink()
    assert main(["--root", str(tiny_built), "build"]) == 2
    err = capsys.readouterr().err
    assert "has no build record (.public.outputs) beside it" in err
    assert "sitegen cannot tell its own files from others" in err
    assert "hint: if public/ is an old build, delete it or move it away, then build again" in err
    assert "--out" not in err, "no --out was given"


def test_an_out_of_ones_own_files_is_never_offered_for_deletion(
    tiny_built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by a new user's trial: `--out ~` was refused, rightly, with the hint "if root/ is
    an old build, delete it": deleting a home directory, or a folder of one's notes."""
    home = tmp_path / "home"
    (home / ".config").mkdir(parents=True)
    (home / "notes.txt").write_text("mine")
    assert main(["--root", str(tiny_built), "build", "--out", str(home)]) == 2
    err = capsys.readouterr().err
    assert f"refusing to build into {home}/: it holds" in err
    assert "delete" not in err
    assert "hint: give --out a new or empty directory" in err
    assert sorted(p.name for p in home.iterdir()) == [".config", "notes.txt"]


# ---- fetch: the source named where it was given -----------------------------------------------


def test_a_bad_fetch_url_from_the_environment_names_the_variable(
    site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SITEGEN_FETCH_URL", "bogus")
    assert main(["--root", str(site), "fetch", "--date", "2025-10-31"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("sitegen: error: $SITEGEN_FETCH_URL 'bogus' is not an http(s) URL")
    assert "--base-url" not in err.split("\n")[0]


def test_an_empty_fetch_url_in_the_environment_is_no_url(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found by a maintainer: `SITEGEN_FETCH_URL: ${{ vars.X }}` of an undefined variable is
    set but empty, and was refused as no URL; it means the default, as an unset one does."""
    monkeypatch.setenv("SITEGEN_FETCH_URL", "")
    seen: list[str] = []

    class Stop(Exception):
        pass

    def source(client: object, *, base_url: str, **kwargs: object) -> object:
        seen.append(base_url)
        raise Stop

    monkeypatch.setattr("sitegen.fetch.DayFetcher", source)  # asked of no network
    with pytest.raises(Stop):
        main(["--root", str(site), "fetch", "--date", "2025-10-31"])
    assert seen == [HF_URL]


# ---- serve -----------------------------------------------------------------------------------


def _abort(url: str, path: str) -> float:
    """Ask for `path` and go away at once, with a reset (a browser closing its tab); the
    seconds the connection took to be made."""
    parts = urlsplit(url)
    started = time.perf_counter()
    with socket.create_connection((parts.hostname, parts.port)) as connection:
        connected = time.perf_counter() - started
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        connection.sendall(f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode())
    return connected


def test_a_reader_that_goes_away_leaves_the_build_done_and_no_traceback(tiny_built: Path) -> None:
    """`sitegen build | head -1`: found by a check, a BrokenPipeError traceback once head had
    its line; the build itself had published."""
    config = tiny_built / "site.toml"
    config.write_text(config.read_text().replace('title = "', 'title = "Piped ', 1))
    process = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "--root", str(tiny_built), "build"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before the first line
    with process.stderr:
        err = process.stderr.read()
    assert process.wait(timeout=120) == 141, err
    assert err == ""
    assert "Piped " in (tiny_built / "public" / "index.html").read_text()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_output_that_cannot_be_written_is_one_line_not_a_traceback(tiny_built: Path) -> None:
    """A hostile-input trial: `sitegen build > /dev/full` ended in a traceback."""
    config = tiny_built / "site.toml"
    config.write_text(config.read_text().replace('title = "', 'title = "Full ', 1))
    with Path("/dev/full").open("w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "sitegen", "--root", str(tiny_built), "build"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert done.returncode == 1
    assert done.stderr == (
        "sitegen: error: cannot write to standard output: [Errno 28] No space left on device\n"
    )
    assert "Full " in (tiny_built / "public" / "index.html").read_text()  # said after it


@pytest.mark.parametrize("closed", [">&-", "2>&-", ">&- 2>&-"])
def test_a_build_with_its_output_closed_builds(tiny_built: Path, closed: str) -> None:
    """A review: `sitegen build 2>&-` failed with exit status 1 and not a word (stderr was
    None to Python), and a closed stream was the next file sitegen opened."""
    config = tiny_built / "site.toml"
    config.write_text(config.read_text().replace('title = "', 'title = "Closed ', 1))
    command = f'exec "$@" {closed}'
    done = subprocess.run(
        ["sh", "-c", command, "sh", sys.executable, "-m", "sitegen", "--root", str(tiny_built),
         "build"],
        timeout=120,
    )  # fmt: skip
    assert done.returncode == 0
    assert "Closed " in (tiny_built / "public" / "index.html").read_text()


def test_the_progress_display_draws_on_standard_error_alone(tiny_built: Path) -> None:
    """A review: it was on when standard error was a terminal, and drew on standard output:
    `sitegen build > log` on a terminal put its drawing at the head of the log."""
    controller, terminal = pty.openpty()  # a terminal: the progress display is on
    shown: list[bytes] = []
    reader = threading.Thread(target=_read_all, args=(controller, shown), daemon=True)
    reader.start()
    log = tiny_built.parent / "log"
    with log.open("w") as out:
        done = subprocess.run(
            [sys.executable, "-m", "sitegen", "--root", str(tiny_built), "build", "--clean"],
            stdout=out,
            stderr=terminal,
            timeout=120,
        )
    os.close(terminal)
    reader.join(timeout=10)
    assert done.returncode == 0
    lines = log.read_text().splitlines()
    assert lines[0].startswith("built ") and len(lines) == 3, lines


def test_serve_says_nothing_when_a_browser_goes_away_early(tiny_built: Path) -> None:
    with _serving(tiny_built) as (process, url, _):
        waits = [
            _abort(url, path)
            for _ in range(30)
            for path in ("/__sitegen__/generation", "/", "/daily-papers/atom.xml")
        ]
        # None of the burst dropped: the system makes a connection to 127.0.0.1 at once while
        # the server's queue has room, and tries a dropped one again only after a second
        # (socketserver's queue of 5 dropped 12 of these 90, found by the test's 12 s).
        assert max(waits) < 0.9, sorted(waits)[-5:]
        assert httpx.get(url, timeout=30).status_code == 200, "still serving"
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 0
        assert process.stderr is not None
        err = process.stderr.read()
    assert err == "", err


def test_serve_keeps_the_subpath_when_it_adds_a_directorys_slash(tiny_built: Path) -> None:
    with _serving(tiny_built) as (_, url, _):
        host = url.removesuffix("/daily-papers/")
        for path in ("/daily-papers/days", "/daily-papers/days?x=1"):
            answer = httpx.get(host + path, timeout=30, follow_redirects=True)
            assert [r.status_code for r in answer.history] == [301], path
            assert answer.url.path == "/daily-papers/days/"
            assert answer.url.query == (b"x=1" if "?" in path else b"")
            assert answer.status_code == 200 and "All days ·" in answer.text


def test_serve_at_a_subpath_of_other_letters_serves_the_site_there(tiny_built: Path) -> None:
    """Found by a review: with base_url ".../café/", the browser asks "/caf%C3%A9/", which
    never matched "/café/": each answer sent it one level further down, without end."""
    config = tiny_built / "site.toml"
    config.write_text(
        re.sub(
            r"(?m)^base_url = .*$", 'base_url = "https://you.github.io/café/"', config.read_text()
        )
    )
    with _serving(tiny_built) as (_, url, _):
        assert url.endswith("/caf%C3%A9/")
        home = httpx.get(url.removesuffix("caf%C3%A9/"), timeout=30, follow_redirects=True)
        assert home.status_code == 200 and home.url.path == "/café/" and "<h1" in home.text
        assert httpx.get(url + "days/", timeout=30).status_code == 200
        assert httpx.head(url + "atom.xml", timeout=30).status_code == 200


def test_serve_at_a_subpath_named_as_a_site_folder_serves_its_pages_and_answers_head(
    tiny_built: Path,
) -> None:
    """With base_url ".../papers/" (a repository named "papers"), the site is served under
    "/papers/" alone, as on GitHub Pages. Found by a new user's trial: served at "/" as well,
    a link "../papers/" one level down was the home page; before that, by a
    maintainer, every paper's link was a 404. A HEAD request (a feed reader's, a link
    checker's) answers as GET does (a subscriber's trial)."""
    config = tiny_built / "site.toml"
    config.write_text(
        re.sub(
            r"(?m)^base_url = .*$", 'base_url = "https://you.github.io/papers/"', config.read_text()
        )
    )
    paper = next((tiny_built / "content" / "papers").iterdir()).stem
    with _serving(tiny_built) as (_, url, _):
        assert url.endswith("/papers/")
        assert "<h1" in httpx.get(url, timeout=30).text  # the home page
        # The papers' index, as a page one level down links it.
        assert "<title>Papers ·" in httpx.get(urljoin(url + "search/", "../papers/")).text
        assert paper in httpx.get(f"{url}papers/{paper}/", timeout=30).text
        for path in ("atom.xml", "", f"papers/{paper}/", "papers/"):
            head = httpx.head(url + path, timeout=30)
            assert head.status_code == 200 and not head.content, path
            assert int(head.headers["content-length"]) > 0
        assert httpx.head(url + "nowhere/", timeout=30).status_code == 404
        # An address outside the site's path is no page of it, as on GitHub Pages.
        assert httpx.get(url.removesuffix("papers/") + "search/", timeout=30).status_code == 404
    # At a subpath named as a page of the site, that page's address is the home page's, as
    # on GitHub Pages (found by a review: "/topics/" showed the topics' index).
    config.write_text(config.read_text().replace("/papers/", "/topics/"))
    with _serving(tiny_built) as (_, url, _):
        assert "Topics ·" not in httpx.get(url, timeout=30).text.split("</title>")[0]
        assert "Topics ·" in httpx.get(url + "topics/", timeout=30).text.split("</title>")[0]
        assert httpx.get(url + "style.css", timeout=30).status_code == 200


# ---- the command line: where people put options -------------------------------------------


def test_a_web_root_named_after_its_domain_is_built_into(tiny_built: Path, tmp_path: Path) -> None:
    """A new directory named site.zip is refused (a user wanted an archive), but a web root
    that has its domain's name already is built into."""
    root = tmp_path / "example.zip"
    root.mkdir()
    assert main(["--root", str(tiny_built), "build", "--out", str(root)]) == 0
    assert (root / "index.html").is_file()


def test_root_may_follow_the_command(tiny_built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    elsewhere = tiny_built.parent / "elsewhere"
    elsewhere.mkdir()
    assert main(["build", "--root", str(tiny_built)]) == 0
    assert "0 written" in capsys.readouterr().out  # the site at --root, built already
    assert main(["--root", str(elsewhere), "build", "--root", str(tiny_built)]) == 0


@pytest.mark.parametrize("url", ["https://you.github.io/repo//", "https://you.github.io//repo/"])
def test_a_base_url_with_two_slashes_makes_urls_with_one(tiny_built: Path, url: str) -> None:
    """A review found the second: the 404 page's links were "//repo/style.css", another host."""
    out = tiny_built / "elsewhere"
    args = ["--root", str(tiny_built), "build", "--out", str(out)]
    assert main([*args, "--base-url", url]) == 0
    feed = (out / "rss.xml").read_text()
    assert "https://you.github.io/repo/papers/" in feed and "//repo" not in feed
    assert "repo//" not in feed
    assert 'href="/repo/style.css' in (out / "404.html").read_text()


@pytest.mark.parametrize(
    "url",
    [
        "https://",
        "https://x.example/?q=1",
        "https://x.example/#top",
        "https://x.example/\\e.example/",
        "https://me.github.io/papers feed/",  # a user's trial: the message named no space
        # A fork owner's trial: links were made under it ("index.html/rss.xml").
        "https://me.github.io/papers/index.html",
        # A review: in every feed's links, or a preview address that redirected to itself.
        "https://@/a/",
        "https://x:notaport/",
        "https://me.github.io:99999/x/",
        "https://me.github.io/a/../",
        "https://me.github.io/a/%2e%2e/",  # as browsers read it
    ],
)
def test_a_base_url_without_a_host_or_with_a_query_is_one_line(
    tiny_built: Path, capsys: pytest.CaptureFixture[str], url: str
) -> None:
    """Every URL of the site is the base URL and a path: a query or fragment would send
    every link of the feeds and the sitemap to the home page."""
    with pytest.raises(SystemExit) as refused:
        main(["--root", str(tiny_built), "build", "--base-url", url])
    assert refused.value.code == 2
    (line,) = [x for x in capsys.readouterr().err.splitlines() if "error" in x]
    assert f"{url!r} is not an absolute http(s) URL without spaces, ?, # or \\" in line
    config = tiny_built / "site.toml"
    kept = config.read_text()
    config.write_text(re.sub(r"(?m)^base_url = .*$", lambda _: f"base_url = '{url}'", kept))
    try:
        assert main(["--root", str(tiny_built), "build"]) == 2
        assert "an absolute http(s) URL without spaces, ?, # or \\" in capsys.readouterr().err
    finally:
        config.write_text(kept)


def test_a_rebuild_of_every_file_does_not_say_the_rest_were_up_to_date(
    tiny_built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A template every page is made with (an edit of the stylesheet, only copied, renders it
    # alone).
    base = tiny_built / "templates" / "base.html"
    base.write_text(base.read_text() + "{# edited #}\n")
    assert main(["--root", str(tiny_built), "build"]) == 0
    out = capsys.readouterr().out
    assert "files rendered, " in out and "the rest were up to date" not in out


def test_a_day_a_site_cannot_hold_is_refused_in_one_line(tiny_built: Path, tmp_path: Path) -> None:
    """Found by a review: a capture whose papers are of 9998 was filed under 9999-12-31, and
    every later build stopped on an OverflowError (its week runs past the calendar); a day of
    year 1 stopped them on a ValueError."""
    listing = tmp_path / "capture.txt"
    listing.write_text(
        "Daily Papers\n\nDec 31\n\nA title here\n\nAn abstract here.\n\n"
        "  \u2022 4 authors\n\u00b7\nDec 30, 9998\n"
    )
    content = tree_bytes(tiny_built / "content")
    refused = sitegen_here("--root", str(tiny_built), "ingest", str(listing))
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert refused.stderr.startswith(
        f"sitegen: error: {listing}: the listing's day: 9999-12-31 is not a day a site can hold"
        " (years 1991 to 2999)\n  hint: give its day with --date YYYY-MM-DD"
    )
    for day in ("0001-01-01", "9999-12-31"):
        flag = sitegen_here("--root", str(tiny_built), "ingest", "--date", day, str(listing))
        assert flag.returncode == 2 and "Traceback" not in flag.stderr
        assert f"argument --date: {day} is not a day a site can hold" in flag.stderr
    assert tree_bytes(tiny_built / "content") == content
    by_hand = tiny_built / "content" / "days" / "9999-12-31.toml"
    by_hand.write_text("day = 9999-12-31\nsources = []\npapers = []\n")
    build = sitegen_here("--root", str(tiny_built), "build")
    assert build.returncode == 2 and "Traceback" not in build.stderr
    assert "content/days/9999-12-31.toml:1: 9999-12-31 is not a day a site can hold" in build.stderr


@pytest.mark.parametrize(
    ("file", "edit", "says"),
    [
        (
            "templates/base.html",
            b'{{ "x" + 1 }}</head>',
            f"templates/base.html:{HEAD_END}: template error:",
        ),
        (
            "templates/base.html",
            b"{{ nothing.x }}</head>",
            f"templates/base.html:{HEAD_END}: template error:",
        ),
        # A name mistyped, printed: said without a line (a new user's trial).
        (
            "templates/base.html",
            b"{{ site_titel }}</head>",
            f"templates/base.html:{HEAD_END}: template",
        ),
        # Said as missing, with no line, and "restore it" (a fork owner's trial).
        (
            "templates/base.html",
            b'{% include "_note.html" %}</head>',
            f"templates/base.html:{HEAD_END}: no template _note.html",
        ),
        # A review: a traceback (RecursionError).
        (
            "templates/base.html",
            b'{% extends "base.html" %}</head>',
            "a template calls itself without end",
        ),
        ("templates/_card.html", b"\xe9</head>", "templates/_card.html:1: not UTF-8 text"),
        ("site.toml", b"\xe9</head>", "site.toml:1: not UTF-8 text"),
    ],
)
def test_a_broken_template_or_site_toml_is_one_line_naming_its_file_and_line(
    tiny_built: Path, file: str, edit: bytes, says: str
) -> None:
    """Found by a fork's maintainer: `{{ "x" + 1 }}` in a template, a template or site.toml
    saved as Latin-1, gave a traceback, and took `sitegen serve` down with it."""
    path = tiny_built / file
    kept = path.read_bytes()
    path.write_bytes(kept.replace(b"</head>", edit, 1) if b"</head>" in kept else edit + kept)
    public = tree_bytes(tiny_built / "public")
    result = sitegen_here("--root", str(tiny_built), "build")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith("sitegen: error: ") and says in first, result.stderr
    assert tree_bytes(tiny_built / "public") == public


@pytest.mark.parametrize(
    ("edit", "says"),
    [
        ("{{ promo_text }}", "template error: 'promo_text' is undefined"),
        ('{{ "x" + 1 }}', "template error: TypeError: can only concatenate str"),
    ],
)
def test_a_mistake_in_a_template_of_a_subfolder_is_said_at_its_line(
    tiny_built: Path, edit: str, says: str
) -> None:
    """A fork owner's trial: their own `templates/partials/promo.html`, included from
    base.html, said an undefined name as "templates: template error" (no file, no line), and
    `{{ "x" + 1 }}` in it was a traceback: only a template directly in templates/ was taken
    for one."""
    partials = tiny_built / "templates" / "partials"
    partials.mkdir()
    (partials / "promo.html").write_text(f'<p class="promo">\n{edit}</p>\n')
    rewrite(
        tiny_built / "templates" / "base.html",
        lambda text: text.replace("</main>", '{% include "partials/promo.html" %}</main>', 1),
    )
    result = sitegen_here("--root", str(tiny_built), "build")
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"sitegen: error: templates/partials/promo.html:2: {says}"), first


def _break_base_template(root: Path) -> None:
    """A Jinja syntax error in templates/base.html, at its line MAIN_BLOCK (`{% endblok %}`)."""
    rewrite(
        root / "templates" / "base.html",
        lambda text: text.replace(
            "{% block main %}{% endblock %}", "{% block main %}{% endblok %}", 1
        ),
    )


def test_a_template_syntax_error_after_a_build_that_rendered_nothing_is_said(
    tiny_built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A new user's trial of the docs: in one process (as `sitegen serve` rebuilds), a build
    that rendered nothing kept the templates it compiled, and the next, whose templates no
    longer compiled, rendered every page with those: no error, and the record said the pages
    were of the broken template, so a later `sitegen build` said nothing either."""
    root = str(tiny_built)
    assert main(["--root", root, "build"]) == 0  # up to date: renders nothing
    capsys.readouterr()
    _break_base_template(tiny_built)
    status = main(["--root", root, "build"])
    err = capsys.readouterr().err
    assert status == 2, f"a broken template built (exit {status}): {err!r}"
    # Named from the site's folder, as other template errors are (a fork owner's trial: a
    # syntax error alone was named by its whole path, or from the folder the command ran in).
    assert f"sitegen: error: templates/base.html:{MAIN_BLOCK}: template syntax" in err, err


@pytest.mark.parametrize("full", ["--clean", "public/ deleted"])
def test_a_template_syntax_error_in_a_full_build_after_one_that_rendered_nothing_is_said(
    tiny_built: Path, capsys: pytest.CaptureFixture[str], full: str
) -> None:
    """The trial above, when the next build in the process is a full one (`--clean`, or its
    output and record deleted): such a build warms up no templates in this process (only in
    the workers it starts early, and a tiny site starts none), so the templates the first
    build left were still taken for the templates now, and the broken one built (review h4)."""
    root = str(tiny_built)
    assert main(["--root", root, "build"]) == 0  # up to date: renders nothing
    capsys.readouterr()
    if full == "--clean":
        args = ["--root", root, "build", "--clean"]
    else:
        args = ["--root", root, "build"]
        shutil.rmtree(tiny_built / "public")
        (tiny_built / ".public.outputs").unlink()
    _break_base_template(tiny_built)
    status = main(args)
    err = capsys.readouterr().err
    assert status == 2, f"a broken template built (exit {status}): {err!r}"
    assert f"templates/base.html:{MAIN_BLOCK}: template syntax" in err


def test_serve_says_a_template_syntax_error_made_after_it_started(tiny_built: Path) -> None:
    """The same trial: `sitegen serve` on a built site (its first build renders nothing), then
    `{% endblok %}` saved: it said "rebuilt" and served the old pages without a banner."""
    with _serving(tiny_built) as (process, _url, _):
        _break_base_template(tiny_built)
        assert process.stdout is not None and process.stderr is not None
        _line_with(process.stdout, "changed: templates/base.html", timeout=60)
        said = _line_with(process.stderr, "sitegen: error:", timeout=30)
        assert f"templates/base.html:{MAIN_BLOCK}: template syntax" in said, said


def test_a_name_a_template_is_not_given_is_said_with_the_page_and_the_names_it_is(
    tiny_built: Path,
) -> None:
    """A fork owner's trial: `{{ base_url }}` in the footer said "'base_url' is undefined" and
    "fix the template", and a paper's data that failed a template named no paper."""
    base = tiny_built / "templates" / "base.html"
    base.write_text(base.read_text().replace("</footer>", "{{ base_url }}</footer>"))
    result = sitegen_here("--root", str(tiny_built), "build")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    said, hint = result.stderr.splitlines()
    assert re.fullmatch(
        r"sitegen: error: templates/base\.html:\d+: template error: 'base_url' is undefined"
        r" \(rendering [a-z0-9/.-]+\.html\)",
        said,
    ), said
    assert hint.startswith(
        "  hint: fix the template (one you kept through an update of sitegen: merge the update's"
        " into it, docs/publishing.md); it was given "
    )
    assert "site_title" in hint


def test_a_field_a_value_lacks_is_said_with_the_fields_it_has(tiny_built: Path) -> None:
    """A fork owner's trial: `{{ paper.titel }}` in templates/paper.html said "'Paper object' has
    no attribute 'titel'" with a hint listing the page's names (`paper` among them), and a
    paper's fields are written nowhere in the docs: what to write instead was not said."""
    page = tiny_built / "templates" / "paper.html"
    page.write_text(page.read_text().replace("{{ paper.title }}", "{{ paper.titel }}", 1))
    result = sitegen_here("--root", str(tiny_built), "build")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    said, _ = result.stderr.splitlines()
    assert re.fullmatch(
        r"sitegen: error: templates/paper\.html:\d+: template error: .*Paper object'? has no"
        r" attribute 'titel' \(it has abstract, (\w+, )+title, (\w+, )*upvotes\)"
        r" \(rendering papers/[a-z0-9/.-]+\.html\)",
        said,
    ), said
    assert "organization_name" in said  # a property a template may use, as the cards do


def test_a_name_the_card_template_is_not_given_is_said_with_the_names_it_is(
    tiny_built: Path,
) -> None:
    """A fork owner's trial: `{{ site_title }}` in templates/_card.html said "'site_title' is
    undefined" and "fix the template" alone, though the docs promise every name the template
    was given: a card is given `card` only, and what `card` holds."""
    card = tiny_built / "templates" / "_card.html"
    card.write_text(card.read_text().replace("</h2>", "</h2>{{ site_title }}", 1))
    result = sitegen_here("--root", str(tiny_built), "build")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    said, hint = result.stderr.splitlines()
    assert said.startswith(
        "sitegen: error: templates/_card.html:13: template error: 'site_title' is undefined"
    ), said
    assert hint.startswith("  hint: fix the template (one you kept through an update") and (
        "; it was given card (" in hint and "summary" in hint
    )


def test_a_value_a_kept_template_unpacks_otherwise_is_said_with_its_statement_and_names(
    tiny_built: Path,
) -> None:
    """An upgrade trial: a days.html kept from before `months` were pairs again (its loop
    `for month, anchor, days in months`) said "ValueError: not enough values to unpack
    (expected 3, got 2)" and "fix the template": which name, and that it was the update's
    doing, were not said, though an undefined name says both."""
    days = tiny_built / "templates" / "days.html"
    loop = "{% for month, anchor, days in months %}"
    days.write_text(re.sub(r"\{% for month, days in months %\}", loop, days.read_text()))
    line = days.read_text().splitlines().index(loop) + 1
    result = sitegen_here("--root", str(tiny_built), "build")
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    said, hint = result.stderr.splitlines()
    assert said == (
        f"sitegen: error: templates/days.html:{line}: template error: ValueError: not enough values"
        f" to unpack (expected 3, got 2), in {loop} (rendering days/index.html)"
    ), said
    assert hint.startswith("  hint: fix the template (one you kept through an update") and (
        "; it was given " in hint and "months" in hint
    ), hint


def test_site_toml_with_a_byte_order_mark_or_as_a_directory(tiny_built: Path) -> None:
    config = tiny_built / "site.toml"
    config.write_bytes(b"\xef\xbb\xbf" + config.read_bytes())  # as Windows editors save
    assert sitegen_here("--root", str(tiny_built), "build").returncode == 0
    config.unlink()
    config.mkdir()
    result = sitegen_here("--root", str(tiny_built), "build")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith(
        f"sitegen: error: {config}: cannot read it: not a regular file (a directory"
    )


def test_a_bug_in_code_a_template_calls_is_not_said_to_be_the_templates(
    tiny_built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found by a review: an error raised by sitegen's own code, called from a template, was
    reported as "template error ... fix the template", hiding the bug."""

    def broken(self: object) -> int:
        raise TypeError("a bug in sitegen")

    monkeypatch.setattr("sitegen.trends.BarChart.baseline", property(broken))
    with pytest.raises(TypeError, match="a bug in sitegen"):
        main(["--root", str(tiny_built), "build", "--clean", "--jobs", "1"])


def test_ctrl_c_while_sitegen_loads_is_one_line_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by a review: Ctrl-C in the first 0.2 s, while the command's libraries load,
    printed 10 to 30 lines of traceback."""
    import builtins

    from sitegen import __main__ as entry

    real_import = builtins.__import__

    def interrupted(name: str, *args: object, **kwargs: object) -> object:
        if name == "sitegen.cli":
            raise KeyboardInterrupt
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", interrupted)
    with pytest.raises(SystemExit) as exited:
        entry.run()
    assert exited.value.code == 130
    assert capsys.readouterr().err == "sitegen: interrupted; nothing was done\n"


def test_a_base_template_kept_from_an_older_sitegen_says_the_block_it_lacks(
    tiny_built: Path,
) -> None:
    """An upgrade trial (h10): a fork owner who kept their own base.html through a merge
    ("keep mine" on the conflict) had one without the blocks the new search.html and
    folder.html fill; Jinja drops a block its parent lacks, so the build went through and the
    search page lost its head script and showed two search boxes, the feed folders their
    noindex, and nothing said so."""
    rewrite(
        tiny_built / "templates" / "base.html",
        lambda text: text.replace("{% block head_first %}{% endblock -%}\n", "", 1),
    )
    public = tree_bytes(tiny_built / "public")
    result = sitegen_here("--root", str(tiny_built), "build")
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith("sitegen: error: templates/search.html:"), first
    assert "head_first" in first and "base.html" in first, first
    assert tree_bytes(tiny_built / "public") == public
    # Checked once per setup (of a build that went through): a refused one is refused again.
    again = sitegen_here("--root", str(tiny_built), "build")
    assert again.returncode == 2 and again.stderr.splitlines()[0] == first, again.stderr


@pytest.mark.parametrize(
    ("slug", "hint"),
    [
        ("Mixture of Experts", 'e.g. slug = "mixture-of-experts"'),
        ("Réseaux_Neuronaux", 'e.g. slug = "reseaux-neuronaux"'),
        ("ロボット", 'e.g. slug = "robotics"'),  # nothing to make one from: an example
    ],
)
def test_a_topic_slug_that_is_no_slug_is_offered_the_one_made_from_it(slug: str, hint: str) -> None:
    """A topic owner's trial: `slug = "Mixture of Experts"` was hinted `slug = "robotics"`."""
    with pytest.raises(ConfigError) as error:
        parse_config(SITE_TOML.replace('slug = "efficiency"', f'slug = "{slug}"'), source="x")
    assert "is not a lowercase-hyphenated slug" in error.value.message
    assert error.value.hint == hint
