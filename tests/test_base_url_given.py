"""base_url given by `--base-url` alone, as the publish workflow gives the Pages URL: a fork
owner who deleted it from site.toml (the README's "base_url only matters for local builds")
was refused by every command, fetch and ingest too, which never use it. As Hugo's --baseURL,
the flag wins and site.toml may leave the key out; with neither, what renders says both ways."""

from __future__ import annotations

import re
from pathlib import Path

import feedparser
import pytest

from sitegen.config import parse_config
from sitegen.errors import ConfigError
from tests.conftest import REPO, sitegen_here, tree_bytes
from tests.hf_server import FaultyHF, Reply
from tests.test_fetch import API_ANSWER

_WITHOUT_BASE_URL = re.sub(r"(?m)^base_url = .*\n", "", (REPO / "site.toml").read_text())
_PAGES_URL = "https://me.github.io/fork/"


def _without_base_url(root: Path) -> Path:
    """`root`'s site.toml with its base_url line deleted, as a fork owner deletes it."""
    config = root / "site.toml"
    config.write_text(_WITHOUT_BASE_URL)
    return config


def test_a_site_toml_without_base_url_is_read_and_the_flag_wins_over_one_it_has() -> None:
    assert "base_url" not in _WITHOUT_BASE_URL
    assert parse_config(_WITHOUT_BASE_URL, source="site.toml").base_url is None
    given = parse_config(_WITHOUT_BASE_URL, source="site.toml", base_url=_PAGES_URL)
    assert given.base_url == _PAGES_URL
    with_its_own = (REPO / "site.toml").read_text()
    assert parse_config(with_its_own, source="site.toml", base_url=_PAGES_URL).base_url == (
        _PAGES_URL
    )


def test_a_bad_base_url_in_site_toml_is_refused_even_when_the_flag_overrides_it() -> None:
    """A mistake in site.toml is one for every command (ingest and fetch read it too)."""
    bad = _WITHOUT_BASE_URL.replace("language", 'base_url = "me.github.io/fork"\nlanguage', 1)
    with pytest.raises(ConfigError, match="does not start with https://"):
        parse_config(bad, source="site.toml", base_url=_PAGES_URL)


def test_a_build_given_the_pages_url_needs_no_base_url_in_site_toml(tiny_built: Path) -> None:
    _without_base_url(tiny_built)
    out = tiny_built / "elsewhere"
    built = sitegen_here("--root", str(tiny_built), "build", "--out", str(out), "--base-url",
                         _PAGES_URL)  # fmt: skip
    assert built.returncode == 0, built.stderr
    feed = feedparser.parse((out / "rss.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.link == _PAGES_URL
    assert feed.entries and all(e.link.startswith(f"{_PAGES_URL}papers/") for e in feed.entries)


def test_a_build_with_no_base_url_anywhere_names_both_ways_and_touches_nothing(
    tiny_built: Path,
) -> None:
    _without_base_url(tiny_built)
    before = tree_bytes(tiny_built)
    refused = sitegen_here("--root", str(tiny_built), "build")
    assert refused.returncode == 2
    assert refused.stderr == (
        f"sitegen: error: {tiny_built / 'site.toml'}: base_url is missing, and no --base-url"
        " was given\n"
        '  hint: add base_url = "https://you.github.io/repo/" above the first [table] header,'
        " or pass --base-url with the site's URL\n"
    )
    assert tree_bytes(tiny_built) == before


@pytest.mark.parametrize("command", ["fetch", "ingest", "topics-before"])
def test_the_commands_that_do_not_render_need_no_base_url(
    tiny_built: Path, tmp_path: Path, hf: tuple[FaultyHF, str], command: str
) -> None:
    """The scheduled run's first step is `sitegen fetch`, which read site.toml and stopped
    at the missing key: the day was never fetched. Ingest (and fetch, which reads site.toml
    alike) need no URL; nor does the old site.toml of --topics-before."""
    if command == "fetch":
        _without_base_url(tiny_built)
        source, url = hf
        source.set("2025-10-31", [Reply(200, API_ANSWER)])
        ran = sitegen_here("--root", str(tiny_built), "fetch", "--source", url, "--date",
                           "2025-10-31")  # fmt: skip
        assert (tiny_built / "content" / "days" / "2025-10-31.toml").is_file()
    elif command == "ingest":
        _without_base_url(tiny_built)
        listing = REPO / "content" / "listings" / "2025-10-31.txt"
        ran = sitegen_here("--root", str(tiny_built), "ingest", str(listing))
    else:
        old = tmp_path / "old-site.toml"
        old.write_text(_WITHOUT_BASE_URL)
        ran = sitegen_here("--root", str(tiny_built), "build", "--topics-before", str(old))
    assert ran.returncode == 0, ran.stderr
    assert "base_url" not in ran.stderr


def test_a_base_url_blanked_for_the_workflow_to_fill_is_told_to_be_deleted() -> None:
    """A fork owner's trial: `base_url = ""`, left for --base-url to fill, was told only
    'e.g. base_url = "..."'."""
    blank = _WITHOUT_BASE_URL.replace("language", 'base_url = ""\nlanguage', 1)
    line = blank[: blank.index('base_url = ""')].count("\n") + 1
    with pytest.raises(ConfigError) as refused:
        parse_config(blank, source="site.toml", base_url=_PAGES_URL)
    assert str(refused.value) == (
        f"site.toml:{line}: `base_url` may not be empty\n"
        "  hint: delete the line to take --base-url's (the publish workflow gives your Pages"
        ' URL), or give the site\'s URL: base_url = "https://you.github.io/repo/"'
    )
