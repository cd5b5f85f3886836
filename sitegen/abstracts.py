"""A paper's abstract as safe HTML, and its summary (pure).

Abstracts are Markdown rendered by markdown-it-py with raw HTML and images off, so no listing
can put markup, script or a remote request into a page or a feed; an abstract without markup
is rendered without it, to the same bytes. The abstract's HTML is the one value templates
mark safe; pages (sitegen.pages) and feeds (sitegen.feeds) both carry it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from functools import cache, partial
from typing import TYPE_CHECKING

from markupsafe import escape

from sitegen.clean import WEB_SCHEMES, shows_nothing, web_url, without_unsafe_chars
from sitegen.model import Paper

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_inline import StateInline


@cache
def _markdown(*, addresses: bool = True) -> MarkdownIt:
    # Imported when first used: a build's own process renders no abstract when workers do
    # (the cold-build budget at 1k papers: 0.1 s of CPU before the first page); the workers'
    # fork server imports it (workers._worker_context).
    from markdown_it import MarkdownIt  # noqa: PLC0415
    from markdown_it.rules_inline.linkify import linkify  # noqa: PLC0415

    # The commonmark preset turns raw HTML *on*; images would make readers fetch remote URLs.
    # Abstracts are arXiv's plain text, where the rest of Markdown is other things: a product
    # "O(n*m) to O(n*k)", LaTeX's ``quotes'', "# of samples", an indented line, a "[1]: ..."
    # reference, "&#8238;" (which would bring back a character cleaning took out). Paragraphs,
    # lists, links and backslash escapes stay: arXiv's LaTeX "3.3\%" and "R\&D" read right.
    # With `addresses`, those written out with their scheme are links (a paper's code is
    # often named only so), not names without one: "train.py" and "model.ai" are no sites.
    markdown = MarkdownIt("commonmark", {"html": False, "linkify": addresses}).disable(
        ["image", "emphasis", "backticks", "entity"]
        + ["heading", "lheading", "code", "fence", "blockquote", "hr", "reference"]
    )
    if addresses:
        # The inline rule alone, which finds "scheme://": the core rule searches every text
        # with linkify-it's patterns, 1 ms an abstract (the cold-build budget: 13 s of CPU
        # at 50k papers).
        markdown.inline.ruler.enable("linkify")
        markdown.inline.ruler.at("linkify", partial(_linkify_moving_on, linkify))
    # A link's text is its address as written: decoded, "xn--80ak6aa92e.com" read "аррӏе.com",
    # which a page shows as apple.com.
    markdown.normalizeLinkText = lambda link: link  # type: ignore[method-assign]
    # Only a whole address is a link: a relative one ("code/README.md", "#appendix") pointed
    # into this site, from a paper's page and a feed reader alike (a feed review).
    markdown.validateLink = _is_whole_address  # type: ignore[method-assign]
    markdown.core.ruler.push("named_links", _named_links)
    return markdown


# A label's line ends.
_BREAKS = frozenset({"softbreak", "hardbreak"})


def _named_links(state: StateCore) -> None:
    """A link whose label shows nothing ("[](https://...)", spaces, a word joiner) shows its
    address: a link of no text is one a reader can neither see nor tell the destination of
    (axe's link-name)."""
    from markdown_it.token import Token  # noqa: PLC0415 (see _markdown)

    for block in state.tokens:
        tokens = block.children or []
        for at in range(len(tokens) - 1, -1, -1):
            if tokens[at].type != "link_open":
                continue
            end = at + 1
            while tokens[end].type in _BREAKS or (
                tokens[end].type == "text" and shows_nothing(tokens[end].content)
            ):
                end += 1
            if tokens[end].type == "link_close":
                address = str(tokens[at].attrGet("href"))
                tokens[at + 1 : end] = [Token("text", "", 0, content=address)]


def _linkify_moving_on(
    linkify: Callable[[StateInline, bool], bool], state: StateInline, silent: bool
) -> bool:
    """markdown-it-py's `linkify` rule, but no address where it would not move on: asked within
    a link's label, it takes the scheme from the text before the "[" and may step back, which
    markdown-it-py raises on ("Word2VecWord2Vec[http://a.b3Dhttp://a.b": the build failed)."""
    start = state.pos
    if linkify(state, silent) and state.pos > start:
        return True
    state.pos = start
    return False


def _is_whole_address(url: str) -> bool:
    """A link an abstract may carry: a whole address a browser can follow (a review: an
    address of a bad port or host, or with a user name, was linked)."""
    if url.lower().startswith("mailto:"):
        # A URL has one fragment: the Nu checker refuses a page linking "mailto:a@b#c#d".
        return url.count("#") <= 1
    return web_url(url, schemes=(*WEB_SCHEMES, "ftp")) is not None


# At most this many addresses in an abstract are made links: markdown-it's rule reads the
# text before each again (a review: 20,000 took 28 s); a real abstract names a few.
MOST_ADDRESSES = 20


# An abstract longer is its text in paragraphs, no markup read: markdown-it took up to 7 s for
# one of 100,000 "[" (a fuzzer), 0.3 s at 20,000; arXiv's are at most 1,920 characters.
MOST_MARKDOWN_CHARS = 5_000


def render_abstract(text: str) -> str:
    """The abstract as safe HTML."""
    plain = _plain_paragraphs(text)
    if plain is not None:
        return plain
    if len(text) > MOST_MARKDOWN_CHARS:
        # Markdown's blank line: spaces and tabs alone (a paper file may hold U+00A0 or U+3000).
        paragraphs = (p.strip() for p in re.split(r"\n[ \t]*\n", text))
        return "".join(f"<p>{escape(p)}</p>\n" for p in paragraphs if p)
    # A link's title or address still reads references ("&#12;"): no character XML cannot
    # carry reaches a page or a feed.
    addresses = text.count("://") <= MOST_ADDRESSES
    return without_unsafe_chars(_markdown(addresses=addresses).render(text))


# What can make markup of a text as CommonMark reads it: these characters anywhere (escapes,
# code, emphasis, links, autolinks, entities, fences) or an address ("https://"), and these
# at the start of a line (headings, quotes, lists, rules, setext underlines, indented code).
_INLINE_MARKUP = re.compile(r"[\\`*_\[\]<&~\r\t]|://")
_BLOCK_MARKUP = re.compile(r"^(?:[#>+=|~*_ -]|\d+[.)])", re.MULTILINE)


def _plain_paragraphs(text: str) -> str | None:
    """The HTML markdown-it makes of a text without markup, its paragraphs escaped as it
    escapes them; None when the text may hold markup. Nine abstracts in ten have none, and
    markdown-it took a third of a paper page's rendering (the cold-build budget, no slower
    than Hugo). tests/test_pages.py holds it to markdown-it's output."""
    if _INLINE_MARKUP.search(text) or _BLOCK_MARKUP.search(text):
        return None
    paragraphs: list[list[str]] = [[]]
    for line in text.split("\n"):
        if not line:
            paragraphs.append([])
        # Trailing spaces make a hard break; other whitespace may be stripped as spaces are.
        elif line[-1] == " " or not line.isprintable():
            return None
        else:
            paragraphs[-1].append(line)
    return "".join(
        "<p>" + "\n".join(lines).replace(">", "&gt;").replace('"', "&quot;") + "</p>\n"
        for lines in paragraphs
        if lines
    )


def summarize(text: str, limit: int) -> str:
    """The abstract's first `limit` characters, cut at a word."""
    # Its start first: the words of a text's start, joined, are the start of its words
    # joined. A summary is made for every card and feed item (the cold-build budget, no
    # slower than Hugo at 10k papers: the whole abstract was three quarters of its time).
    if "\\" in text:  # "3.3\%" reads "3.3%", as on the paper's page
        text = _BACKSLASH_ESCAPE.sub(r"\1", text)
    flat = " ".join(text[: 2 * limit].split())
    if len(flat) <= limit:
        flat = " ".join(text.split())
        if len(flat) <= limit:
            return flat
    return _cut_at_a_word(flat[:limit]) + "…"


def _cut_at_a_word(start: str) -> str:
    """`start` to its last whole word; the whole of it when no word ends in its second half
    (a URL, or a script without spaces): "Code: https://github.com/…", not "Code…" (a
    subscriber's trial)."""
    head, space, _ = start.rpartition(" ")
    return (head if space and len(head) >= len(start) // 2 else start).rstrip(",;:.")


# A backslash before ASCII punctuation, which CommonMark (and so the paper's page) drops.
_BACKSLASH_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


class AbstractHTML(Mapping[str, str]):
    """Each paper's abstract as HTML, rendered on first use (a build process renders only the
    abstracts of the pages and feeds it writes)."""

    def __init__(self, papers: Mapping[str, Paper]) -> None:
        self._papers = papers
        self._html: dict[str, str] = {}

    def __getitem__(self, paper_id: str) -> str:
        html = self._html.get(paper_id)
        if html is None:
            html = self._html[paper_id] = render_abstract(self._papers[paper_id].abstract)
        return html

    def __iter__(self) -> Iterator[str]:
        return iter(self._papers)

    def __len__(self) -> int:
        return len(self._papers)
