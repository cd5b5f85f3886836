"""An abstract without markup is rendered without markdown-it (abstracts._plain_paragraphs): its
HTML must be exactly markdown-it's, or pages would change with the abstract's wording. A
summary is made of the abstract's start (abstracts.summarize): exactly what the whole makes."""

import json
import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.abstracts import (
    MOST_ADDRESSES,
    _markdown,
    _plain_paragraphs,
    render_abstract,
    summarize,
)
from sitegen.bylines import authors_line, card_links, paper_links
from sitegen.clean import clean_block, without_unsafe_chars
from sitegen.formats import parse_paper_file
from sitegen.model import Paper

FIXTURES = Path(__file__).parent / "fixtures"

# Plain words and every character that can make markup, at a line's start or anywhere, and
# whitespace markdown-it treats as a space or strips.
_PIECES = [
    "word", "Word2Vec", "3D", " ", " ", "  ", "\n", "\n\n", "\n \n", "1.", "10)", "2024.",
    "-", "+", "=", "#", ">", "<", "&", "&amp;", '"', "'", "*", "_", "`", "~", "[", "]", "!",
    "|", "\\", ":", "(", ")", "$x$", "\t", "\r", "\x00", "\x1f", "\x85", "\xa0", "\u2028",
    "\u3000", "é", "http://a.b", "https://github.com/a/b", "//", "/", "mailto:a@b.org",
    "MAILTO:", "www.a.org", "train.py", ".",
]  # fmt: skip
_texts = st.lists(st.sampled_from(_PIECES), max_size=24).map("".join)


@settings(max_examples=1000, deadline=None)
@given(_texts)
def test_an_abstract_renders_as_markdown_it_renders_it(text: str) -> None:
    markdown = _markdown(addresses=text.count("://") <= MOST_ADDRESSES)
    assert render_abstract(text) == without_unsafe_chars(markdown.render(text))


def test_an_address_in_brackets_after_a_long_word_renders() -> None:
    """Found by the property test above on a run under Python 3.13: markdown-it-py's linkify
    rule, asked in a link's label whether an address starts there, reads the scheme from text
    before the "[" and may not move on: RuntimeError ("inline rule didn't increment
    state.pos"), which failed the whole build on one abstract."""
    html = render_abstract("Word2VecWord2Vec[http://a.b3Dhttp://a.b")
    assert html == '<p>Word2VecWord2Vec[<a href="http://a.b3Dhttp">http://a.b3Dhttp</a>://a.b</p>\n'


def test_an_abstract_far_longer_than_arxivs_is_its_text_in_paragraphs() -> None:
    """A fuzzer of the renderers (h7): markdown-it took 4 to 7 s for one abstract of 100,000
    characters such as "[" * 100000 (the most a listing may give), so a hostile listing of a
    few hundred held a build for half an hour. arXiv's abstracts are at most 1,920 characters:
    one past MOST_MARKDOWN_CHARS is its text, escaped, in paragraphs, with no markup read."""
    from sitegen.abstracts import MOST_MARKDOWN_CHARS

    long = "[" * MOST_MARKDOWN_CHARS + " <b>&amp; https://a.b/ *x*\n\nnext"
    assert render_abstract(long) == (
        "<p>"
        + "[" * MOST_MARKDOWN_CHARS
        + " &lt;b&gt;&amp;amp; https://a.b/ *x*</p>\n<p>next</p>\n"
    )
    assert MOST_MARKDOWN_CHARS >= 2 * 1920  # far past any real abstract


@pytest.mark.parametrize("line", ["", " \t", "\u00a0", "\u2028", "\u3000"], ids=ascii)
def test_a_long_abstracts_paragraphs_are_markdowns(line: str) -> None:
    """A paragraph of an abstract past MOST_MARKDOWN_CHARS ends where Markdown's does: at a
    line blank or of spaces and tabs alone, not at one of another space (U+00A0, U+2028 or
    U+3000, which a paper file may hold: clean_block keeps them), which markdown-it reads as
    text and the long path, splitting at any regex whitespace, read as a paragraph's end."""
    from sitegen.abstracts import MOST_MARKDOWN_CHARS, _markdown

    text = clean_block(f"one\n{line}\ntwo " + "&" * MOST_MARKDOWN_CHARS)
    paragraphs = _markdown().render(text).count("<p>")
    assert paragraphs == (2 if line.strip(" \t") == "" else 1)
    assert render_abstract(text).count("<p>") == paragraphs


def _real_abstracts() -> list[str]:
    found = []
    for listing in [*FIXTURES.glob("hf/api-*.json"), *FIXTURES.glob("hf-real/api-*.json")]:
        for entry in json.loads(listing.read_bytes()):
            found.append(entry["paper"]["summary"])
    return found


def test_many_real_abstracts_have_no_markup_and_all_render_as_markdown_it_renders_them() -> None:
    abstracts = _real_abstracts()
    plain = [text for text in abstracts if _plain_paragraphs(text) is not None]
    # The reason for the shortcut: most hold no markup, and half not even an address (27 of
    # the 36 before addresses became links, 17 since; 68% of the bench corpus's).
    assert len(plain) >= len(abstracts) * 2 // 5
    for text in abstracts:
        assert render_abstract(text) == _markdown().render(text)  # none names 20 addresses


def test_arxiv_plain_text_is_not_taken_for_emphasis_or_code() -> None:
    """Found by a reader's trial: "O(n*m) to O(n*k)" showed "m) to O(n" in italics, and
    LaTeX's ``quotes'' (13 of the 480 bundled abstracts have such) became code spans."""
    for text in [
        "Cost drops from O(n*m) to O(n*k) per step.",
        "data of ``textbook quality'' and a ``stepping-stone''",
        "**not bold** and _not italic_ and `not code`",
    ]:
        html = render_abstract(text)
        assert "<em>" not in html and "<strong>" not in html and "<code>" not in html, html
        assert html == f"<p>{text}</p>\n", html
    assert render_abstract("See [the code](https://example.org/x).") == (
        '<p>See <a href="https://example.org/x">the code</a>.</p>\n'
    )


def test_an_address_written_out_is_a_link_and_a_name_without_a_scheme_is_not() -> None:
    """Found by a user's trial: "Our code is available at https://github.com/..." was plain
    text, and a paper of a text capture has no other link to its code."""
    assert render_abstract("Code: https://github.com/Trae1ounG/BuPO.") == (
        '<p>Code: <a href="https://github.com/Trae1ounG/BuPO">'
        "https://github.com/Trae1ounG/BuPO</a>.</p>\n"
    )
    assert render_abstract("(see https://x.org/a_(b)), and more") == (
        '<p>(see <a href="https://x.org/a_(b)">https://x.org/a_(b)</a>), and more</p>\n'
    )
    for text in [
        "We release train.py and model.ai weights at www.example.org, or mailto:a@b.org.",
        "javascript:alert(1) and data:text/html,<b>x</b> stay text",
        "javascript://%0aalert(1) and data://text/html stay text",  # a review: these have ://
    ]:
        assert "<a " not in render_abstract(text), text
    # A link to a relative address is none: it would point into the site, from the paper's
    # page and from a feed reader alike (a feed review).
    for text in ["[our code](code/README.md)", "[the appendix](#appendix)", "[up](../x)"]:
        assert render_abstract(f"See {text}.") == f"<p>See {text}.</p>\n"
    # An address cannot carry markup out of its link.
    html = render_abstract('https://x.org/"><script>alert(1)</script>')
    assert "<script>" not in html and html.startswith('<p><a href="https://x.org/">'), html
    # Its text is the address as written, not decoded (a review: "xn--80ak6aa92e.com" read
    # "аррӏе.com", which a browser shows as apple.com).
    assert render_abstract("see https://xn--80ak6aa92e.com/") == (
        '<p>see <a href="https://xn--80ak6aa92e.com/">https://xn--80ak6aa92e.com/</a></p>\n'
    )
    # Past MOST_ADDRESSES, none is a link: markdown-it's rule reads the text before each
    # address again (a review: 20,000 of them took 28 s to render).
    many = " ".join(f"https://x.org/{n}" for n in range(MOST_ADDRESSES))
    assert render_abstract(many).count("<a ") == MOST_ADDRESSES
    assert "<a " not in render_abstract(many + " https://x.org/more")


def test_the_rest_of_markdown_shows_as_written() -> None:
    r"""Found by a review: "# of samples" became a heading, "[1]: https://..." vanished and
    made a later "[1]" a link, "&#8238;" (a right-to-left override) came back as the character
    that cleaning takes out. Backslash escapes stay: arXiv's LaTeX "3.3\%" reads "3.3%"."""
    for text, html in [
        ("# of samples", "# of samples"),
        ("Setup\n===", "Setup\n==="),
        (
            "[1]: https://evil.example\n\nsee [1]",
            '[1]: <a href="https://evil.example">https://evil.example</a></p>\n<p>see [1]',
        ),
        ("x\\_i, 3.3\\% and R\\&D", "x_i, 3.3% and R&amp;D"),
        ("&ZeroWidthSpace;a &#8238;b &amp; c", "&amp;ZeroWidthSpace;a &amp;#8238;b &amp;amp; c"),
        ("> 90% of them", "&gt; 90% of them"),
        ("```\nfenced\n```", "```\nfenced\n```"),
    ]:
        assert render_abstract(text) == f"<p>{html}</p>\n", text
    assert render_abstract("Steps:\n\n    indented") == "<p>Steps:</p>\n<p>indented</p>\n"
    assert render_abstract("- one\n- two") == "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"


def test_markup_is_left_to_markdown_it() -> None:
    for text in ["a *b*", "a\n- b", "# a", "a  \nb", "    code", "1. a", "a &amp; b", "a\tb"]:
        assert _plain_paragraphs(text) is None
    assert _plain_paragraphs('a > "b"\nc\n\nd') == "<p>a &gt; &quot;b&quot;\nc</p>\n<p>d</p>\n"


def _unescaped(text: str) -> str:
    """`text` with CommonMark's backslash escapes read: a backslash before ASCII punctuation."""
    out, index = [], 0
    while index < len(text):
        escaped = text[index] == "\\" and text[index + 1 : index + 2] in set(string.punctuation)
        out.append(text[index + 1] if escaped else text[index])
        index += 2 if escaped else 1
    return "".join(out)


def _summary_of_the_whole(text: str, limit: int) -> str:
    flat = " ".join(_unescaped(text).split())
    if len(flat) <= limit:
        return flat
    start = flat[:limit]
    head, space, _ = start.rpartition(" ")
    return (head if space and len(head) >= len(start) // 2 else start).rstrip(",;:.") + "…"


def test_a_summary_cut_in_a_long_word_keeps_what_it_can_show() -> None:
    """A subscriber's trial: an abstract opening with a link was summed up as "Code…", a
    Chinese one was cut at a word only where it had a space."""
    url = "https://github.com/an-organisation/a-repository-with-a-long-name/tree/main/src"
    assert summarize(f"Code: {url} and more words after it.", 60) == f"Code: {url[:54]}…"
    assert summarize("本文 提出了一种新的方法来训练大型语言模型并评估其推理能力", 20) == (
        "本文 提出了一种新的方法来训练大型语言模…"
    )
    assert summarize("We train a model with a method, and evaluate it", 40) == (
        "We train a model with a method, and…"
    )


@settings(max_examples=1000, deadline=None)
@given(_texts, st.integers(min_value=0, max_value=40))
def test_a_summary_is_what_the_whole_abstract_makes(text: str, limit: int) -> None:
    assert summarize(text, limit) == _summary_of_the_whole(text, limit)


def test_a_summary_reads_latex_escapes_as_the_paper_s_page_does() -> None:
    """Found by a subscriber: cards and brief items showed "3.3\\%" where the page shows "3.3%"."""
    text = "We cut the error by 3.3\\% and R\\&D cost by half; a \\\\ stays one, \\a too."
    assert (
        summarize(text, 200)
        == "We cut the error by 3.3% and R&D cost by half; a \\ stays one, \\a too."
    )
    assert render_abstract(text) == f"<p>{summarize(text, 200).replace('&', '&amp;')}</p>\n"


def test_real_summaries_are_what_the_whole_abstracts_make() -> None:
    for text in _real_abstracts():
        for limit in (1, 40, 120, 280, 2000):
            assert summarize(text, limit) == _summary_of_the_whole(text, limit)


def test_a_byline_counts_the_authors_a_listing_did_not_name() -> None:
    """A trial of the real shapes: an author whose name showed nothing is counted, not named;
    the card said "A, B" of four authors."""
    paper = Paper(id="p", title="T", abstract="", authors=("A", "B"), authors_count=4)
    assert authors_line(paper) == "A, B and 2 more"
    five = Paper(id="q", title="T", abstract="", authors=tuple("ABCDE"), authors_count=5)
    assert authors_line(five) == "A, B, C and 2 more"


def test_a_paper_without_arxiv_id_links_arxivs_search_of_its_title() -> None:
    """Found by a reader's trial: 450 of the 480 bundled papers (plain-text listings carry no
    arXiv id) had no link out at all, on their page or anywhere."""
    text = '+++\ntitle = "Diffusion & <Flow> Matching"\n+++\nAbstract.\n'
    paper = parse_paper_file(text, path="content/papers/diffusion.md")
    assert [(link.text, link.href) for link in paper_links(paper)] == [
        (
            "Find it on arXiv",
            "https://arxiv.org/search/?query=Diffusion+%26+%3CFlow%3E+Matching&searchtype=title",
        )
    ]
    assert list(card_links(paper)) == []  # a card keeps links to the paper itself
    known = parse_paper_file(
        text.replace("+++\nA", 'arxiv_id = "2606.07867"\n+++\nA', 1), path="x.md"
    )
    assert "Find it on arXiv" not in [link.text for link in paper_links(known)]
