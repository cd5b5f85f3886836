"""Paper files deleted by hand, their day entries left, and a file named after an arXiv id whose
arxiv_id was deleted, through the store's real files (found by a review of the first mend)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from sitegen.errors import ContentError
from sitegen.listings import Listing, ListingEntry
from sitegen.model import arxiv_identity
from sitegen.store import PAPERS_DIR, ingest_into_store, load_content
from tests.listing_steps import listing

DAY, NEXT_DAY = date(2026, 1, 5), date(2026, 1, 6)
TITLE = "Agents: A Survey"


def _text(title: str = TITLE) -> ListingEntry:
    """A text capture's entry: no arXiv id, the abstract in one paragraph."""
    return ListingEntry(title=title, abstract="About agents. In one paragraph.", line=1)


def _api(arxiv_id: str, title: str = TITLE, abstract: str = "") -> ListingEntry:
    return ListingEntry(
        title=title,
        abstract=abstract or "About agents.\n\nIn one paragraph.",
        line=1,
        arxiv_id=arxiv_id,
    )


def _kept(day: date, name: str, *entries: ListingEntry) -> tuple[Listing, str]:
    return listing(day, list(entries)), f"listings/{name}"


def _slug_file(root: Path) -> str:
    (slug,) = [p.stem for p in (root / PAPERS_DIR).glob("agents-*.md")]
    return slug


def _arxiv_id_in_file(root: Path, paper_id: str) -> str | None:
    """The arxiv_id a paper file holds, read from its text (not through load_content, whose
    check of day entries naming no file is another finding's)."""
    path = root / PAPERS_DIR / f"{paper_id}.md"
    if not path.exists():
        return None
    found = re.search(r'(?m)^arxiv_id = "([^"]*)"', path.read_text())
    return found.group(1) if found else None


def test_a_deleted_slug_file_is_not_made_again_by_another_arxiv_id_of_its_title(
    tmp_path: Path,
) -> None:
    """A text capture made the slug file of "Agents: A Survey", which the API answer of its day
    gave 2501.00002; its file deleted by hand (its day entry left), the next day's API answer
    lists another paper of that title, 2501.00001. 6c1f62b made 2501.00001 under the deleted
    file's slug: Jan 5 now lists 2501.00001, a paper it never had, and 2501.00002 is lost for
    good (a replay of Jan 5's listings finds its title taken by 2501.00001 and the day already
    taken, and makes nothing). docs/content.md: two arXiv ids are two papers, whatever their
    titles; a deleted file is made again by a listing that has it, under the id its days list
    (Jan 6's listing does not have it)."""
    first = [
        _kept(DAY, "2026-01-05.txt", _text()),
        _kept(DAY, "2026-01-05-2.json", _api("2501.00002")),
    ]
    ingest_into_store(tmp_path, first)
    slug = _slug_file(tmp_path)
    assert load_content(tmp_path).papers[slug].arxiv_id == "2501.00002"
    (tmp_path / PAPERS_DIR / f"{slug}.md").unlink()
    other = _kept(NEXT_DAY, "2026-01-06.json", _api("2501.00001", abstract="Another paper."))
    ingest_into_store(tmp_path, [other])
    # Jan 5 lists the slug: made again, it is 2501.00002, or it is not made by Jan 6's listing.
    assert _arxiv_id_in_file(tmp_path, slug) in (None, "2501.00002"), "Jan 5 lists 2501.00001"


def test_a_deleted_slug_file_is_not_made_again_by_a_later_listing_of_its_day_with_another_id(
    tmp_path: Path,
) -> None:
    """As above within one day, as while a day fills: its text capture made the slug file, its
    API answer gave it 2501.00005, its file was deleted by hand, and a later listing of the day
    brings the other paper of the title, 2501.00004. 6c1f62b made 2501.00004 under the slug
    the day lists for 2501.00005, so the day loses 2501.00005 (no replay gives it back) and
    lists 2501.00004 once, where two papers were (docs/content.md: two arXiv ids are two
    papers; a deleted file is made again under the id its days list, by a listing that has
    it). Requiring only that the listing's day list the slug would not mend this one."""
    first = [
        _kept(DAY, "2026-01-05.txt", _text()),
        _kept(DAY, "2026-01-05-2.json", _api("2501.00005")),
    ]
    ingest_into_store(tmp_path, first)
    slug = _slug_file(tmp_path)
    (tmp_path / PAPERS_DIR / f"{slug}.md").unlink()
    later = _kept(DAY, "2026-01-05-3.json", _api("2501.00004", abstract="Another paper."))
    ingest_into_store(tmp_path, [later])
    made = _arxiv_id_in_file(tmp_path, slug)
    assert made in (None, "2501.00005"), "the slug the day lists for 2501.00005 is 2501.00004"


def test_a_deleted_slug_file_whose_title_another_arxiv_id_has_is_made_again_by_a_replay(
    tmp_path: Path,
) -> None:
    """The slug file a text capture made, which its day's API answer gave 2501.00001, deleted
    by hand (its day entry left), while 2501.00002, another paper of the title, is on another
    day. docs/content.md: the file is made again, under the id the days list, by the next
    ingest of a listing that has it, one the days have taken included (`sitegen ingest
    content/listings/*`); the hint names a paper of the title only if it is not of another
    arXiv id. Ingest refused the store instead ("no paper has the id ...", hint: write id =
    "2501.00002", which would merge two papers), so nothing makes the paper again; the
    store's property test was loosened in 6c1f62b to accept this refusal (no more)."""
    listings = [
        _kept(DAY, "2026-01-05.txt", _text()),
        _kept(DAY, "2026-01-05-2.json", _api("2501.00001")),
        _kept(NEXT_DAY, "2026-01-06.json", _api("2501.00002", "Agents: a survey", "Another.")),
    ]
    ingest_into_store(tmp_path, listings)
    slug = _slug_file(tmp_path)
    (tmp_path / PAPERS_DIR / f"{slug}.md").unlink()
    ingest_into_store(tmp_path, listings)  # the replay the docs give
    store = load_content(tmp_path, every_entry_a_paper=True)  # as the build reads it
    assert store.papers[slug].arxiv_id == "2501.00001"
    assert store.papers["2501.00002"].abstract == "Another."


def test_a_file_named_after_its_arxiv_id_its_arxiv_id_deleted_is_found_by_that_id_retitled(
    tmp_path: Path,
) -> None:
    """2501.00001.md, its arxiv_id line deleted by hand (a field deleted counts as unknown,
    and a later listing may fill it again), then a listing of 2501.00001 whose title the
    source fixed ("Survy" to "Survey"): a second file was made, a slug one carrying arxiv_id
    2501.00001 beside 2501.00001.md, one arXiv id on two papers. docs/content.md: "one whose
    file is named after its arXiv id [is still found] by that id", and a new title a listing
    gives is a note, the file's kept; 6c1f62b's model.arxiv_identity says such a file is
    still that id's paper, but _RunIndex.find asks it only when the titles agree."""
    ingest_into_store(
        tmp_path, [_kept(DAY, "2026-01-05.json", _api("2501.00001", "Agents: A Survy"))]
    )
    path = tmp_path / PAPERS_DIR / "2501.00001.md"
    path.write_text(re.sub(r"(?m)^arxiv_id = .*\n", "", path.read_text()))
    assert load_content(tmp_path).papers["2501.00001"].arxiv_id is None
    ingest_into_store(tmp_path, [_kept(NEXT_DAY, "2026-01-06.json", _api("2501.00001"))])
    store = load_content(tmp_path)
    holders = sorted(
        p.id for p in store.papers.values() if arxiv_identity(p.id, p.arxiv_id) == "2501.00001"
    )
    assert holders == ["2501.00001"], "2501.00001 is on two papers"
    assert [e.paper_id for e in store.days[NEXT_DAY].entries] == ["2501.00001"]


def test_a_replay_brings_back_no_paper_taken_off_the_site_under_a_deleted_files_slug(
    tmp_path: Path,
) -> None:
    """2501.00001 taken off the site as docs/content.md says (its file and its day entry
    deleted); on the next day a text capture and the API answer made the slug file of
    "Agents: a survey", 2501.00002, whose file was then deleted too (its day entry left). A
    replay of the kept listings (`sitegen ingest content/listings/*`) made 2501.00001 again,
    from the Jan 5 listing the day has taken, under 2501.00002's slug: Jan 6 lists 2501.00001,
    and 2501.00002 is lost. docs/content.md: a listing the day has taken before does not bring
    back a paper taken off so; a file deleted with its day entries left is made again under the
    id they list (here 2501.00002's, from Jan 6's listings). Before 6c1f62b the replay gave
    this store back right."""
    removed = _kept(DAY, "2026-01-05.json", _api("2501.00001", abstract="Taken off."))
    ingest_into_store(tmp_path, [removed])
    (tmp_path / PAPERS_DIR / "2501.00001.md").unlink()
    day_file = tmp_path / "content" / "days" / f"{DAY}.toml"
    day_file.write_text(re.sub(r"(?ms)^papers = \[.*", "papers = []\n", day_file.read_text()))
    next_day = [
        _kept(NEXT_DAY, "2026-01-06.txt", _text("Agents: a survey")),
        _kept(NEXT_DAY, "2026-01-06-2.json", _api("2501.00002", "Agents: a survey")),
    ]
    ingest_into_store(tmp_path, next_day)
    slug = _slug_file(tmp_path)
    assert _arxiv_id_in_file(tmp_path, slug) == "2501.00002"
    (tmp_path / PAPERS_DIR / f"{slug}.md").unlink()
    ingest_into_store(tmp_path, [removed, *next_day])  # the replay the docs give
    assert _arxiv_id_in_file(tmp_path, slug) == "2501.00002", "Jan 6 lists 2501.00001"
    assert not (tmp_path / PAPERS_DIR / "2501.00001.md").exists()


def _entry_renamed(root: Path, old: str, new: str) -> None:
    """A day entry's id edited by hand."""
    day_file = root / "content" / "days" / f"{DAY}.toml"
    day_file.write_text(day_file.read_text().replace(f'id = "{old}"', f'id = "{new}"'))


def test_a_mistyped_id_in_a_day_file_is_refused_by_ingest_and_named_with_the_paper_meant(
    tmp_path: Path,
) -> None:
    """A typo (an id sitegen gives no such title) stops ingest before it writes, naming the
    paper of the entry's title; a mistyped arXiv id may be a deleted file as well: the build's
    hint says both."""
    ingest_into_store(tmp_path, [_kept(DAY, "2026-01-05.json", _api("2501.00001"))])
    _entry_renamed(tmp_path, "2501.00001", "2501.0001")  # a digit lost: no arXiv id
    with pytest.raises(ContentError) as refused:
        ingest_into_store(tmp_path, [_kept(NEXT_DAY, "2026-01-06.txt", _text("Another"))])
    assert (
        refused.value.hint
        == 'write id = "2501.00001" (the paper of that title), or delete this entry'
    )
    assert not (tmp_path / "content" / "days" / f"{NEXT_DAY}.toml").exists()
    _entry_renamed(tmp_path, "2501.0001", "2501.00011")  # a digit mistyped, or a deleted file
    with pytest.raises(ContentError) as named:
        load_content(tmp_path, every_entry_a_paper=True)
    assert named.value.hint == (
        'write id = "2501.00001" if you meant the paper of that title; if'
        " content/papers/2501.00011.md was deleted, restore it (`git checkout"
        " content/papers/2501.00011.md`) or delete its day entries too"
    )
