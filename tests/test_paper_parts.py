"""The papers' parts a build keeps for the next (a card on a topic's page, a feed item, a
custom feed's choice; sitegen.parts.PaperParts): a change to a paper, a template or site.toml
shows everywhere, as a cold build shows it, and never the part of before."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.cli import main
from tests.conftest import REPO, rebuilt, rewrite, tree_bytes


@pytest.fixture(scope="module")
def built_by_workers(small_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small site, built by worker processes: they make the parts the build keeps."""
    site = tmp_path_factory.mktemp("parts") / "site"
    shutil.copytree(REPO / "templates", site / "templates")
    shutil.copy(REPO / "site.toml", site / "site.toml")
    shutil.copytree(small_build / "content", site / "content")  # as ingested, not built
    assert main(["--root", str(site), "build", "--jobs", "2"]) == 0
    return site


@pytest.fixture
def built(built_by_workers: Path, tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(built_by_workers, site, symlinks=True)  # times kept: the record holds
    return site


def _newest_paper(site: Path) -> tuple[Path, dict[str, object]]:
    """The newest paper's file and its item in the all-papers feed: it is on every list of
    newest papers (its topics' pages and feeds, the all-papers feed)."""
    item = json.loads((site / "public" / "feed.json").read_text())["items"][0]
    paper_id = str(item["id"]).rsplit("/", 1)[1]
    return site / "content" / "papers" / f"{paper_id}.md", item


def _showing(files: dict[str, bytes], text: str) -> set[str]:
    return {path for path, data in files.items() if text.encode() in data}


def test_an_edited_paper_changes_on_every_list_that_shows_it(built: Path, tmp_path: Path) -> None:
    paper, item = _newest_paper(built)
    old_title = str(item["title"])
    before = _showing(tree_bytes(built / "public"), old_title)
    topics = [str(tag) for tag in item.get("tags", [])]
    assert {"index.html", "atom.xml", "rss.xml", "feed.json"} <= before and topics

    text = paper.read_text()
    edited = re.sub(r'(?m)^title = ".*"$', 'title = "An Edited Title"', text, count=1)
    paper.write_text(edited.replace("\n+++\n", "\n+++\nAn edited first sentence. ", 1))
    after = rebuilt(built, tmp_path)

    assert not _showing(after, old_title)
    assert _showing(after, "An Edited Title") >= before
    # Its card on its topics' pages and its item in their feeds, abstracts too.
    on_topics = {p for p in _showing(after, "An edited first sentence") if p.startswith("topics/")}
    assert any(p.endswith("/index.html") for p in on_topics)
    assert any(p.endswith("/atom.xml") for p in on_topics)


def _edited_card(site: Path) -> None:
    card = site / "templates" / "_card.html"
    card.write_text(card.read_text().replace('<li class="card"', '<li class="card edited"', 1))


def _renamed_topics(site: Path) -> None:
    rewrite(
        site / "site.toml", lambda t: re.sub(r'(?m)^name = "(.*)"$', r'name = "\1 (renamed)"', t)
    )


def _stricter_custom_feed(site: Path) -> None:
    rewrite(site / "site.toml", lambda t: t.replace("min_upvotes = 3", "min_upvotes = 30", 1))


_TOPIC_PAGES = r"topics/[^/]+/index\.html"
_TOPIC_FEEDS = r"topics/[^/]+/(atom|rss)\.xml"
SETUP_CHANGES: dict[str, tuple[Callable[[Path], None], str, str]] = {
    # the change, the lists of newest papers it changes (every one: a custom feed's by the
    # papers it admits), a text their pages then show
    "card template": (_edited_card, rf"{_TOPIC_PAGES}|feeds/[^/]+/index\.html", "card edited"),
    "topic names": (_renamed_topics, rf"{_TOPIC_PAGES}|{_TOPIC_FEEDS}|atom\.xml", "(renamed)"),
    "custom feed rules": (_stricter_custom_feed, r"feeds/upvoted-llm/.*", "at least 30 upvotes"),
}


@pytest.mark.parametrize("change", SETUP_CHANGES)
def test_a_change_of_templates_or_site_toml_renders_the_parts_again(
    built: Path, tmp_path: Path, change: str
) -> None:
    before = tree_bytes(built / "public")
    edit, lists, shown = SETUP_CHANGES[change]
    edit(built)
    after = rebuilt(built, tmp_path)
    # Each of those lists shows the change: none kept a card or an item of before.
    changed = {p for p in before.keys() & after.keys() if before[p] != after[p]}
    newest_lists = {p for p in after if re.fullmatch(lists, p)}
    assert len(newest_lists) > 3 and newest_lists <= changed
    assert all(shown.encode() in after[p] for p in newest_lists if p.endswith(".html"))


def test_the_new_day_after_an_edit_gives_the_bytes_of_a_cold_build(
    built: Path, tmp_path: Path
) -> None:
    paper, _ = _newest_paper(built)
    paper.write_text(re.sub(r"(?m)^upvotes = \d+$", "upvotes = 999", paper.read_text(), count=1))
    rebuilt(built, tmp_path)
    listing = tmp_path / "2026-11-30.txt"
    lines = [
        "Daily Papers",
        "Nov 30",
        "A Paper of a Later Day",
        "Its abstract.",
        "·",
        "Nov 28, 2026 5",
    ]
    listing.write_text("\n\n".join(lines) + "\n")
    assert main(["--root", str(built), "ingest", str(listing)]) == 0
    after = rebuilt(built, tmp_path / "again")
    assert _showing(after, "A Paper of a Later Day") and _showing(after, "999 upvotes")
