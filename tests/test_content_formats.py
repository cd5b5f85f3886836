"""The content files' formats at their edges: what a mutation audit of sitegen/formats.py
found no test pinning down. The files are the demo's own, as a user edits them."""

from __future__ import annotations

import dataclasses
import json

import pytest

from sitegen.errors import ContentError
from sitegen.formats import (
    carry_comments,
    parse_day_file,
    parse_digest_dates,
    parse_paper_file,
    render_day_file,
    render_digest_dates,
    render_paper_file,
)
from tests.conftest import REPO

DAY_PATH = "content/days/2026-01-08.toml"
DIGESTS_PATH = "content/digests.toml"


@pytest.mark.parametrize("line_end", ["\n", "\r\n", "\r"], ids=["lf", "windows", "old-mac"])
def test_comments_in_a_real_day_file_stay_where_they_were_written_when_it_is_rewritten(
    line_end: str,
) -> None:
    """Killed mutants: a comment line taken for a comment after a value (`at is None`,
    formats.py line 419: it went to the top of the file); a day file's last line taken out of
    its TOML (`not` dropped in _toml_lines, line 517: a comment at its end lost its newline);
    CRLF not joined first (line 416: a Windows file's comment lines went to the top)."""
    text = (REPO / DAY_PATH).read_text(encoding="utf-8")
    day = parse_day_file(text, path=DAY_PATH)
    lines = text.split("\n")
    bmgq = next(i for i, line in enumerate(lines) if '"bmgq-a-bottom-up-' in line)
    lines[bmgq + 1] += "  # the title as the page shows it"
    lines.insert(bmgq, "# checked by hand against the page")
    edited = ("\n".join(lines) + "# the end\n").replace("\n", line_end)
    raised = dataclasses.replace(
        day, entries=(dataclasses.replace(day.entries[0], upvotes=9), *day.entries[1:])
    )
    rewritten = carry_comments(edited, render_day_file(raised))
    assert parse_day_file(rewritten, path=DAY_PATH) == raised
    out = rewritten.split("\n")
    above = out.index("# checked by hand against the page")
    assert '"bmgq-a-bottom-up-' in out[above + 1]
    assert '"monocular-3d-' in out[above + 2]
    assert out[above + 2].endswith("  # the title as the page shows it")
    assert rewritten.endswith("]\n# the end\n")


def test_the_real_digest_dates_are_written_back_byte_for_byte_in_any_order() -> None:
    """Killed mutant: items of one time ordered by that time again, not by name (formats.py,
    line 300): the demo's 2025-10 and 2025-10-31, both dated 2025-10-31, were written in the
    order a run happened to hold them, and the file churned."""
    text = (REPO / DIGESTS_PATH).read_text(encoding="utf-8")
    dates = parse_digest_dates(text, path=DIGESTS_PATH)
    assert len(set(dates.values())) < len(dates)  # items sharing a time
    for order in (sorted(dates), sorted(dates, reverse=True)):
        assert render_digest_dates({item: dates[item] for item in order}) == text


def test_a_comment_after_a_title_written_over_lines_stays_after_the_title() -> None:
    """Killed mutant: the key a multi-line string opened not kept for its lines (formats.py,
    line 490): a comment after its closing quotes went to the top of the front matter."""
    name = "bottom-up-policy-optimization-your-language-model-policy-4d3682f5.md"
    path = f"content/papers/{name}"
    text = (REPO / path).read_text(encoding="utf-8")
    paper = parse_paper_file(text, path=path)
    by_hand = text.replace(
        'Secretly Contains Internal Policies"',
        'Secretly \\\n    Contains Internal Policies"""  # shortened on the page',
    ).replace('title = "', 'title = """', 1)
    assert parse_paper_file(by_hand, path=path) == paper
    raised = dataclasses.replace(paper, upvotes=12)
    rewritten = carry_comments(by_hand, render_paper_file(raised))
    assert parse_paper_file(rewritten, path=path) == raised
    title = f"title = {json.dumps(paper.title)}  # shortened on the page"
    assert rewritten.split("\n")[:3] == ["+++", title, "upvotes = 12"]


def test_a_comment_on_a_key_written_without_spaces_stays_on_that_key() -> None:
    """Killed mutant: a key's comment anchored to the key as written, spaces and all (`match[0]`
    for `match[1]`, formats.py line 524): `day=...` by hand is `day = ...` rewritten, and the
    comment went to the top of the file."""
    text = (REPO / DAY_PATH).read_text(encoding="utf-8")
    day = parse_day_file(text, path=DAY_PATH)
    edited = text.replace("day = 2026-01-08\n", "day=2026-01-08  # Jan 8 on the page\n")
    raised = dataclasses.replace(day, entries=day.entries[:-1])
    rewritten = carry_comments(edited, render_day_file(raised))
    assert rewritten.startswith("day = 2026-01-08  # Jan 8 on the page\nsources = [")


def test_a_paper_listed_twice_is_named_at_its_lines_when_the_file_starts_with_a_blank_one() -> None:
    """Killed mutant: lines counted from the second character (formats.py, line 397): a day
    file a hand started with a blank line had its lines named one too early."""
    lines = ["", *(REPO / DAY_PATH).read_text(encoding="utf-8").split("\n")]
    bmgq = next(i for i, line in enumerate(lines) if '"bmgq-a-bottom-up-' in line)
    lines.insert(bmgq + 2, lines[bmgq])
    with pytest.raises(ContentError, match=r"\(lines (\d+) and (\d+)\)") as refused:
        parse_day_file("\n".join(lines), path=DAY_PATH)
    assert f"(lines {bmgq + 1} and {bmgq + 3})" in refused.value.message
    assert refused.value.location is not None and refused.value.location.line == bmgq + 3


PAPER_PATH = "content/papers/2606.07867.md"


@pytest.mark.parametrize("fenced", ["both", "closing"])
def test_a_front_matter_fenced_with_yaml_dashes_is_told_to_take_plus_signs(fenced: str) -> None:
    """Found by a maintainer's trial: a paper added by hand with Jekyll's and Hugo's YAML
    fence, `---`, was told to "restore the front matter, from git or a copy" (it had none to
    restore), or, fenced so only at its end, to add a '+++' line, which left the `---` line
    in the TOML. Both errors name the `---` line and say to write '+++' for it."""
    lines = (REPO / PAPER_PATH).read_text(encoding="utf-8").split("\n")
    closing = lines.index("+++", 1)
    lines[closing] = "---"
    if fenced == "both":
        lines[0] = "---"
    with pytest.raises(ContentError) as refused:
        parse_paper_file("\n".join(lines), path=PAPER_PATH)
    line = 1 if fenced == "both" else closing + 1
    assert refused.value.location is not None and refused.value.location.line == line
    assert "'---'" in refused.value.message and "'+++'" in (refused.value.hint or "")
    assert "restore" not in (refused.value.hint or "")


def test_an_authors_count_below_the_names_counts_the_names() -> None:
    """`authors_count` counts every author, named or not (pages and feeds say "and N more"
    of those past the names), so one below the names in `authors` counts the names. A
    sitegen before December 2026 wrote such files itself (a text capture's count kept when a
    later listing named more authors): refusing them stopped a fork's scheduled build at its
    first run of a newer sitegen (a review). A count above the names is authors a listing
    did not name."""
    text = (REPO / PAPER_PATH).read_text(encoding="utf-8")
    named = len(parse_paper_file(text, path=PAPER_PATH).authors)
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("authors_count = "))
    lines[at] = f"authors_count = {named - 1}"
    assert parse_paper_file("\n".join(lines), path=PAPER_PATH).authors_count == named
    lines[at] = f"authors_count = {named + 2}"
    assert parse_paper_file("\n".join(lines), path=PAPER_PATH).authors_count == named + 2


def test_a_rule_in_the_abstract_of_a_front_matter_never_closed_is_not_called_its_fence() -> None:
    """Found by a review: a file whose closing '+++' was lost, with a Markdown rule (`---`) in
    its abstract, was told that its front matter closes with that rule."""
    lines = (REPO / PAPER_PATH).read_text(encoding="utf-8").split("\n")
    closing = lines.index("+++", 1)
    del lines[closing]
    lines.insert(closing + 2, "---")
    with pytest.raises(ContentError) as refused:
        parse_paper_file("\n".join(lines), path=PAPER_PATH)
    assert "never closed by a '+++' line" in refused.value.message
    assert "add a '+++' line after the last front matter field" in (refused.value.hint or "")


@pytest.mark.parametrize(
    "link",
    [
        "http://lilywenglab.github.io/gap/",
        "HTTPS://lilywenglab.github.io/gap/",
        "https://lilywenglab.github.io/gap/?from=http://example.org",
    ],
    ids=["http", "a scheme in capitals", "another address in its query"],
)
def test_a_papers_link_of_either_web_scheme_is_read_as_written(link: str) -> None:
    """docs/content.md: `github` and `project_page` start with `http://` or `https://` (of
    any case), and are kept as written. Killed mutants: `http://` refused, and a link whose
    query holds another address refused by that one's scheme (fields.py, TomlFields.url)."""
    text = (REPO / PAPER_PATH).read_text(encoding="utf-8")
    held = parse_paper_file(text, path=PAPER_PATH).project_url
    assert held is not None
    edited = text.replace(f'project_page = "{held}"', f'project_page = "{link}"')
    assert parse_paper_file(edited, path=PAPER_PATH).project_url == link


@pytest.mark.parametrize("link", ["ftp://github.com/x/y", "github.com/x/y"])
def test_a_papers_link_of_another_scheme_is_an_error_at_its_line(link: str) -> None:
    """docs/content.md: another value than an http(s) address is an error at its line, which
    names the key and what to write. Killed mutants: the link left unread, and the error's
    key lost (a traceback, not the line; fields.py, TomlFields.url)."""
    lines = (REPO / PAPER_PATH).read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("github = "))
    lines[at] = f'github = "{link}"'
    with pytest.raises(ContentError) as refused:
        parse_paper_file("\n".join(lines), path=PAPER_PATH)
    assert refused.value.message == f'`github` must be an http(s) URL, not "{link}"'
    assert refused.value.location is not None and refused.value.location.line == at + 1
    assert refused.value.hint == 'e.g. github = "https://..."'
