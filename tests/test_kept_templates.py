"""A fork's own templates survive an update of sitegen (docs/building.md, "What a template may
rely on"): the templates of the last release, kept whole through an update, build the bundled
site with today's code, every page kind holding its papers.

`tests/fixtures/templates-0.2.0/` is templates/ as sitegen 0.2.0 shipped it: there is no tag,
so it is the commit that set the version to 0.2.0 (3297d50). A fork that kept all of them
through a merge has the templates that release did not have (top.html, search.html, ...)
from the update, as the merge brings them."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from jinja2 import meta, nodes

from sitegen.cli import main
from sitegen.templating import template_environment
from tests.conftest import REPO, rewrite, sitegen_here

KEPT = REPO / "tests" / "fixtures" / "templates-0.2.0"
# A card's or a list's link to a paper's page, from any depth (a paper's own page links none).
_PAPER_LINK = re.compile(r'href="(?:\.\./)*papers/([^/"#]+)/[#"]')


def _keep_release_templates(root: Path) -> None:
    """templates/ as a fork that kept 0.2.0's whole has it after the update, its base.html
    given the blocks today's templates fill, as the build's error says to (a kept base.html
    without them is refused, every block named: the last test here)."""
    for template in KEPT.iterdir():
        shutil.copy(template, root / "templates" / template.name)
    charset = '<meta charset="utf-8">\n'
    rewrite(
        root / "templates" / "base.html",
        lambda text: (
            text.replace(charset, charset + "{% block head_first %}{% endblock %}\n")
            .replace("</head>", "{% block head %}{% endblock %}\n</head>")
            .replace("  </nav>\n", "  </nav>\n  {% block header_search %}{% endblock %}\n")
        ),
    )


def _papers_linked(public: Path) -> dict[str, set[str]]:
    """Each HTML page's papers, by the links to their pages."""
    return {
        page.relative_to(public).as_posix(): set(_PAPER_LINK.findall(page.read_text()))
        for page in public.rglob("*.html")
    }


def test_the_last_release_templates_build_every_page_with_its_papers(bundled_built: Path) -> None:
    """What every page of today's templates lists, the same page of the kept templates lists
    too; the home page all the latest day's papers, as 0.2.0's day.html was given them."""
    public = bundled_built / "public"
    listed_today = _papers_linked(public)
    _keep_release_templates(bundled_built)

    assert main(["--root", str(bundled_built), "build"]) == 0

    listed_kept = _papers_linked(public)
    assert listed_kept.keys() == listed_today.keys()
    lost = {page: listed_today[page] - papers for page, papers in listed_kept.items()}
    assert {page: papers for page, papers in lost.items() if papers} == {}
    latest_day = max((bundled_built / "content" / "days").glob("*.toml")).stem
    assert listed_kept["index.html"] == listed_kept[f"days/{latest_day}/index.html"]
    papers = sorted((bundled_built / "content" / "papers").glob("*.md"))
    assert len(papers) == 480
    # Each paper's page, by 0.2.0's paper.html: its title, and the pages that list it.
    listing = {paper for page, linked in listed_kept.items() for paper in linked}
    assert listing == {p.stem for p in papers}
    for paper in papers:
        page = (public / "papers" / paper.stem / "index.html").read_text()
        assert '<section class="abstract" aria-labelledby="abstract">' in page, paper.stem
        assert "<h1>" in page and '<dl class="facts">' in page, paper.stem
    # The stylesheet and the icon are the kept ones too.
    assert (public / "style.css").read_bytes() == (KEPT / "style.css").read_bytes()


def test_the_last_release_templates_build_an_empty_site(site: Path) -> None:
    """empty.html, the one template the bundled site does not use: a fork started empty."""
    _keep_release_templates(site)

    assert main(["--root", str(site), "build"]) == 0

    home = (site / "public" / "index.html").read_text()
    assert "<p>No papers yet." in home


def test_a_base_template_of_the_last_release_kept_whole_is_told_every_block_it_lacks_at_once(
    site: Path,
) -> None:
    """An upgrade trial: 0.2.0's base.html kept whole was refused three times, a build each,
    one block at a time (head in folder.html, then header_search, then head_first in
    search.html), "where it goes" said nowhere: every block it lacks is said at once."""
    shutil.copy(KEPT / "base.html", site / "templates" / "base.html")
    result = sitegen_here("--root", str(site), "build")
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    said, hint = result.stderr.splitlines()
    assert said == (
        "sitegen: error: templates/folder.html:5: block head is filled here but"
        " templates/base.html has no such block, nor header_search (templates/search.html:4),"
        " nor head_first (templates/search.html:16): their content would be dropped"
    ), said
    assert hint == (
        "  hint: add {% block head %}{% endblock %}, {% block header_search %}{% endblock %}"
        " and {% block head_first %}{% endblock %} to base.html where they go (a template kept"
        " from an older sitegen: docs/building.md#your-own-templates says where)"
    ), hint
    assert not (site / "public").exists()


def _names_row(templates: str) -> str:
    """The row of docs/building.md's table of names that is for `templates` (its first cell)."""
    (row,) = (
        line
        for line in (REPO / "docs" / "building.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("|") and templates in line.split("|")[1]
    )
    return row


def test_every_name_a_bundled_page_uses_is_in_the_table_of_what_templates_are_given() -> None:
    """docs/building.md's table of the names each template is given is what a fork reads to
    edit its own: every name a bundled page template uses is in its row or in every page's.
    search.html's `own_letters` (db81e31) was given and used but not listed (a review), and so
    was paper.html's `unnamed` (the authors a listing counted but did not name, 3814c6b: a
    newcomer's reading)."""
    environment = template_environment(REPO / "templates")

    def parsed(name: str) -> nodes.Template:
        return environment.parse((REPO / "templates" / name).read_text(encoding="utf-8"))

    def made_in(template: nodes.Template) -> set[str]:
        """Names a template makes itself: its macros, what it imports and what it sets (Jinja
        counts one set under an `if` as undeclared too)."""
        stored = {name.name for name in template.find_all(nodes.Name) if name.ctx == "store"}
        imported = {
            name if isinstance(name, str) else name[1]
            for from_import in template.find_all(nodes.FromImport)
            for name in from_import.names
        }
        return stored | imported | {macro.name for macro in template.find_all(nodes.Macro)}

    every_page = _names_row("every page")
    made_by_base = made_in(parsed("base.html")) | environment.globals.keys()
    unlisted = {}
    for path in sorted((REPO / "templates").glob("*.html")):
        if path.name.startswith("_"):
            continue  # a partial's names are its includer's
        template = parsed(path.name)
        used = meta.find_undeclared_variables(template) - made_by_base - made_in(template)
        row = _names_row(f"`{path.name}`") + every_page
        missing = sorted(name for name in used if f"`{name}`" not in row)
        if missing:
            unlisted[path.name] = missing
    assert unlisted == {}
