"""A feed's entries filled into feedgen's templates are the bytes feedgen writes for them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import feedparser
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.feeds import _entries_by_feedgen, _entries_xml, _filled_entries, _Item
from tests.conftest import item_time

# Texts full of what XML escapes or refuses, the marks the templates use, and the rest.
_texts = st.text(
    alphabet=st.one_of(
        st.sampled_from("&<>\"'\t\n\r ;#/=]]>!?-\x00\x0b\ufffe\ue000\ue0010123ab"),
        st.characters(codec="utf-8"),
    ),
    max_size=40,
)
_plain = st.text(
    alphabet=st.sampled_from("ab &<>\"'\t\n\ue000\ue001é漢🙂"), min_size=1, max_size=30
)
_times = st.builds(
    lambda seconds, offset: (
        datetime(2024, 1, 9, 12, tzinfo=timezone(timedelta(minutes=offset)))
        - timedelta(seconds=seconds)
    ),
    st.floats(min_value=0, max_value=10**8, allow_nan=False),
    st.sampled_from([0, 60, -330]),
)


def _items(text: st.SearchStrategy[str]) -> st.SearchStrategy[_Item]:
    return st.builds(
        lambda content, summary, categories, authors, unnamed, when, texts: _Item(
            item_id=texts[0],
            title=texts[1],
            url=texts[2],
            when=when,
            content_html=content,
            summary=summary,
            categories=tuple(categories),
            authors=tuple(authors),
            unnamed=unnamed,
        ),  # fmt: skip
        st.one_of(st.just(""), text),
        text,
        st.lists(text, max_size=3),
        st.lists(text, max_size=4),
        st.one_of(st.just(""), text),
        _times,
        st.tuples(text, text, text),
    )


@settings(max_examples=500)
@given(st.lists(_items(_texts), min_size=1, max_size=4))
def test_entries_are_the_bytes_feedgen_writes(items: list[_Item]) -> None:
    try:
        expected = _entries_by_feedgen(items)
    except ValueError:  # a text XML cannot hold: refused either way
        return
    assert _entries_xml(items) == expected


@settings(max_examples=300)
@given(_items(_plain))
def test_a_plain_item_is_filled_in_not_left_to_feedgen(item: _Item) -> None:
    filled = _filled_entries(item)
    assert filled is not None
    assert [filled] == _entries_by_feedgen([item])


def test_filled_entries_parse_back_to_the_item() -> None:
    item = _Item(
        item_id="tag:sitegen,2023:paper/a&b",
        title='Fish & <Chips> "quoted"',
        url="https://example.org/papers/a?x=1&y=2",
        when=datetime(2024, 1, 9, 11, 59, 58, tzinfo=UTC),
        content_html="<p>1 upvote</p><p>x &lt; y</p>",
        categories=("Computer Vision & Images",),
        authors=("Ada Lovelace", "B. O'Brien"),
    )
    filled = _filled_entries(item)
    assert filled is not None
    atom, rss = filled
    feeds = (
        b'<feed xmlns="http://www.w3.org/2005/Atom">' + atom + b"</feed>",
        b'<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        + rss
        + b"</channel></rss>",
    )
    # Atom names each author; RSS all of them in one dc:creator (readers show one of several).
    names = (list(item.authors), [", ".join(item.authors)])
    for xml, authors in zip(feeds, names, strict=True):
        feed = feedparser.parse(xml)
        assert not feed.bozo, feed.bozo_exception
        (entry,) = feed.entries
        assert (entry.title, entry.link, entry.id) == (item.title, item.url, item.item_id)
        assert entry.summary == item.content_html
        assert [a.name for a in entry.authors] == authors
        assert item_time(entry)[:6] == (2024, 1, 9, 11, 59, 58)
