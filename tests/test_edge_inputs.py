"""Inputs at the edges of what each check takes, found by a review of the mends of the
hostile values (tests/test_hostile_values.py) and odd answers (tests/test_odd_answers.py):

- web_url and base_url: a bracketed host took what is no URL a browser follows;
- fields: an array whose "]" was left out before a [table] header was "add the comma";
- hf_client: a redirect to a host idna refuses was no status, so 404s elsewhere were "every
  request";
- cli: a transposition of --port was offered --root;
- config: a base_url refused for its host or an escape was said to have spaces, ?, # or \\.
"""

from __future__ import annotations

import json
import unicodedata
from datetime import date
from pathlib import Path

import httpx
import pytest
from idna import uts46_remap

from sitegen.clean import web_url
from sitegen.cli import main
from sitegen.config import site_url
from sitegen.errors import ConfigError, FetchError
from sitegen.fields import load_toml
from sitegen.listings import parse_listing
from tests.hf_server import mock_fetcher
from tests.test_fetch import API_ANSWER, FAST

FIXTURES = Path(__file__).parent / "fixtures" / "hf"

# Each is no URL to the URL Standard (node's `new URL(...)` throws, as Chromium's parser does).
NOT_URLS = [
    "https://github.com[::1]/owner/repo",  # "[" is a forbidden host code point
    "http://[::1]x/",  # an IPv6 host not closed where the host ends
    "http://[v1.example]/",  # IPvFuture: browsers take no such host
    "http://[fe80::1%25eth0]:8000/",  # a zone id: the URL Standard has none
]


@pytest.mark.parametrize("text", NOT_URLS)
def test_a_bracketed_host_a_browser_refuses_is_no_link(text: str) -> None:
    """0475028 let "[" and "]" into web_url for an IPv6 host, and checks only that none comes
    after the host: `urlsplit` takes the text around the brackets, and `ipaddress` a zone id.
    A listing's project_page "https://github.com[::1]/owner/repo" was dropped at ingest
    before it; now it is a paper page's link (the Nu checker refuses the page)."""
    assert web_url(text) is None


@pytest.mark.parametrize("text", [*NOT_URLS[1:], "http://x[::1]/"])
def test_a_base_url_with_a_bracketed_host_a_browser_refuses_is_refused(text: str) -> None:
    """base_url is 'a URL a browser follows by web_url's rules' (0475028), but these were
    every feed item's, sitemap entry's and canonical link's base."""
    assert site_url(text.rstrip("/") + "/") is None


@pytest.mark.parametrize(
    "text",
    [
        "https://xn--a.example/",  # punycode that decodes to U+0080: hf_client's own "xn--a"
        "https://09.1.1.1/",  # ends in a number; "09" is no octal number, so no IPv4 address
    ],
)
def test_a_host_the_url_standard_refuses_is_no_link(text: str) -> None:
    """Left by 12ec3df ("hosts checked as IDNA writes them, by the URL Standard's rule"):
    Python's idna codec passes an ASCII "xn--" label as it is, and _is_host reads "09" as 9.
    Both are no URL to a browser, and db485c2 treats http://xn--a/ as unreachable."""
    assert web_url(text) is None


def test_the_ipv4_hosts_people_use_still_pass() -> None:
    for url in ("https://30.1.1.1/", "http://192.168.0.1:8080/x", "http://127.0.0.1:8000/"):
        assert web_url(url) == url


def test_the_ipv6_base_urls_people_use_still_pass() -> None:
    """The sound half of the mend, kept by whatever fix is made of the above."""
    assert site_url("http://[::1]:8000/x/") == "http://[::1]:8000/x/"
    assert web_url("https://[2001:db8::1]/a") == "https://[2001:db8::1]/a"


def test_a_base_url_with_its_scheme_in_capitals_is_taken_in_lower_case() -> None:
    """A fork owner's trial: `base_url = "HTTPS://you.github.io/repo/"` was refused as "not an
    absolute http(s) URL", which it is (a scheme is of any case, and web_url takes a paper's
    link so); the site's links carry it as browsers write it."""
    assert site_url("HTTPS://you.github.io/repo") == "https://you.github.io/repo/"
    assert site_url("Http://127.0.0.1:8000/x/") == "http://127.0.0.1:8000/x/"
    assert site_url("HTTPS:/you.github.io/repo/") is None  # a slash short: still no URL
    assert site_url("FTP://you.github.io/repo/") is None


def test_a_base_url_builds_the_same_site_whatever_the_case_of_its_host() -> None:
    """A trial of deterministic output: `--base-url https://Me.GitHub.io/Repo/` built other
    bytes than `https://me.github.io/Repo/` (127 files: every link, each feed's self link),
    though a host is the same in any case; the path's case is kept (a server may tell it)."""
    assert site_url("https://Me.GitHub.io/Repo") == "https://me.github.io/Repo/"
    assert site_url("HTTP://LOCALHOST:8000/Daily-Papers/") == "http://localhost:8000/Daily-Papers/"
    assert site_url("https://Example.ORG") == "https://example.org/"


def test_a_base_urls_host_of_other_letters_is_lowered_as_a_browser_maps_it() -> None:
    """A review: the host was lowered by str.lower, whose capital sigma at a word's end is a
    final sigma, "ς": `https://ΟΔΟΣ:8000/` gave links to "οδος" (xn--pxavbm), where a browser
    (UTS 46: Σ is σ) reaches "οδοσ" (xn--pxavbq), another host. Accented letters are lowered
    as before, and a host of the same letters in another case builds the same site."""
    assert site_url("https://ΟΔΟΣ:8000/Repo/") == "https://οδοσ:8000/Repo/"
    assert site_url("https://example.ΟΔΟΣ/") == "https://example.οδοσ/"
    assert site_url("https://Bücher.Example/") == site_url("https://bücher.example/")
    assert site_url("https://Bücher.Example/") == "https://bücher.example/"


def test_an_array_left_open_before_a_table_header_is_not_told_to_take_a_comma() -> None:
    """a12d1ad meant an array whose "]" was left out to be said as such, "not told to add a
    comma (following it made the next error)". Before the next key it is; before the next
    [[topics]] header, the way every topic of site.toml ends, the header's "[" is taken for an
    entry: "an entry of the array is not followed by a comma", hint "add the comma", and with
    the comma added the next run says "line 5: Invalid value"."""
    text = (
        '[[topics]]\nslug = "a"\nname = "A"\nkeywords = ["x", "y"\n\n'
        '[[topics]]\nslug = "b"\nname = "B"\nkeywords = ["z"]\n'
    )
    with pytest.raises(ConfigError) as raised:
        load_toml(text, source="site.toml", error=ConfigError, hint="fix the syntax")
    error = raised.value
    assert error.location is not None and error.location.line == 4
    assert "not closed" in error.message, error.message
    assert "comma" not in f"{error.message} {error.hint}"


@pytest.mark.parametrize(
    ("base_url", "named"),
    [("https://1.2.3.999/", "host"), ("https://x..org/", "host"), ("https://x.org/%zz/", "%")],
)
def test_a_base_url_refused_for_its_host_or_escape_is_said_so(
    base_url: str, named: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """0475028 refuses these now, with the message written for the old checks: "not an
    absolute http(s) URL without spaces, ?, # or \\, of the site's folder, not a page", all
    of which each is; the reason (a host no browser reaches, a "%" that is no escape) is
    said nowhere."""
    with pytest.raises(SystemExit):
        main(["build", "--base-url", base_url])
    said = capsys.readouterr().err.split("error: ", 1)[1]
    assert named in said.replace(base_url, ""), said


def test_a_transposed_port_is_not_offered_root(capsys: pytest.CaptureFixture[str]) -> None:
    """10da322 raised the cutoff so that a flag is offered only for "a letter or two off";
    `serve --prot 8000` (two letters swapped) still got "did you mean --root?", a flag that
    takes a directory, as difflib's ratio puts --root (0.83) above --port (0.67)."""
    with pytest.raises(SystemExit):
        main(["serve", "--prot", "8000"])
    err = capsys.readouterr().err
    assert "did you mean --root" not in err, err


@pytest.mark.parametrize(
    "url",
    [
        "http://xn--n3h.net/",  # ☃.net, the snowman domain
        "http://☃.net/",
        "https://xn--ls8h.la/",  # 💩.la
        "https://i❤.ws/",  # xn--i-7iq.ws
    ],
)
def test_a_host_of_symbols_the_url_standard_takes_is_still_a_link(url: str) -> None:
    """Review h8 of cc18af2: `_is_punycode` takes only letters, marks, digits and "-" in a
    decoded label, "as the URL Standard asks"; the URL Standard's UTS #46 takes symbols and
    emoji too (node's `new URL("http://xn--n3h.net/")` and browsers follow them), which every
    release before took. Only what UTS #46 disallows (controls, "xn--a"'s U+0080) is no host."""
    assert web_url(url) == url


def test_the_api_s_pages_are_counted_from_1_in_every_message() -> None:
    """Review h8 of cc18af2: "the 304 message counts pages from 1 as the others do", but the
    message of a source that ignores paging still counts from 0: the second page answered
    with the first's bytes is "page 1 with page 0's bytes again", while invalid JSON on that
    same second page is "(page 2)" and a 304 on the first is "page 1"."""

    def alike(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200 if "/api/" in request.url.path else 500, content=API_ANSWER)

    def broken_second(request: httpx.Request) -> httpx.Response:
        if "/api/" not in request.url.path:
            return httpx.Response(500)
        second = request.url.params.get("p") == "1"
        return httpx.Response(200, content=b"[{" if second else API_ANSWER)

    day = date(2025, 10, 31)
    with pytest.raises(FetchError) as invalid:
        mock_fetcher(broken_second, policy=FAST)[0].fetch_day(day)
    assert "(page 2)" in str(invalid.value), invalid.value
    with pytest.raises(FetchError) as repeated:
        mock_fetcher(alike, policy=FAST)[0].fetch_day(day)
    assert "page 2 with page 1's bytes again" in str(repeated.value), repeated.value


@pytest.mark.parametrize(
    "arrays",
    ["[1, 2]\n  [3, 4]", '["a", "b"]\n  ["c", "d"]', "1\n  2, 3"],
    # h14: the last, numbers alone, an entry of one digit: a mutant that read two characters
    # where the parser stopped (a digit then a comma) survived.
    ids=["numbers", "strings", "numbers alone"],
)
def test_a_comma_left_out_between_arrays_of_an_array_is_said_as_such(arrays: str) -> None:
    """Reviews: a line the parser stopped at was taken for a [table] header, first by
    `_HEADER`, which any array on its own line matches ("  [3, 4]"), then by the first
    character after "[" (a quote): a comma left out after the first array was said to be
    `pairs`'s array not closed, on line 1, not the comma left out on line 2."""
    text = f"pairs = [\n  {arrays}\n]\n"
    with pytest.raises(ConfigError) as raised:
        load_toml(text, source="site.toml", error=ConfigError, hint="fix the syntax")
    error = raised.value
    assert "not followed by a comma" in error.message, error.message
    assert error.location is not None and error.location.line == 2


@pytest.mark.parametrize(
    "url",
    [
        "https://xn--zn7c.com/",  # U+FFFD, disallowed by UTS #46
        "https://xn--pvg.com/",  # U+2024 ONE DOT LEADER, disallowed
        "https://xn--rvg.com/",  # U+2026 HORIZONTAL ELLIPSIS, disallowed
        "https://xn--y2g.com/",  # U+2122 TRADE MARK SIGN, mapped to "tm": invalid in xn--
        "https://xn--5g7c.com/",  # U+FF0E FULLWIDTH FULL STOP, mapped to ".": invalid in xn--
        "https://xn--r6j.com/",  # U+3002 IDEOGRAPHIC FULL STOP, mapped to "."
    ],
)
def test_a_punycode_host_uts46_refuses_is_no_link(url: str) -> None:
    """A review: a decoded "xn--" label "is refused only for what UTS 46 refuses", by Unicode
    category; but UTS #46 refuses by its own table, and these (punctuation and symbols, which
    the category rule before refused) it refuses: node's `new URL(...)` throws
    ERR_INVALID_URL for each, as the URL Standard says. They were links no browser follows."""
    assert web_url(url) is None


@pytest.mark.parametrize(
    "url",
    [
        "https://xn--ab-cja0003a.com/",  # "a\u200dbé": ZERO WIDTH JOINER after no virama
        "https://xn--b-9fa720v.com/",  # "é\u200cb": ZERO WIDTH NON-JOINER in no joining context
        "https://xn--1uga80807abag.com/",  # an emoji ZWJ sequence (a family)
    ],
)
def test_a_punycode_host_with_a_joiner_out_of_its_context_is_no_link(url: str) -> None:
    """A review: a decoded "xn--" label was checked by UTS 46's table alone. U+200C and U+200D are
    "deviation" characters there, kept by nontransitional processing, and the URL Standard
    takes them only where CheckJoiners (RFC 5892's CONTEXTJ rules: after a virama, or ZWNJ
    between joining letters) allows them: node's `new URL(...)` throws ERR_INVALID_URL for
    each of these. The code before refused them (format characters, Cf); these were links
    again, to hosts no browser follows."""
    assert web_url(url) is None


@pytest.mark.parametrize(
    "url",
    [
        "https://xn--11b2ezcw70k.com/",  # "क्\u200dष": ZWJ after a virama
        "https://xn--11b2ezcs70k.com/",  # "क्\u200cष": ZWNJ after a virama
    ],
)
def test_a_punycode_host_with_a_joiner_after_a_virama_is_a_link(url: str) -> None:
    """The guard for the mend of the test above: browsers take these (node's
    `new URL(...)` does), so refusing every joiner, as the code before did, is no mend."""
    assert web_url(url) == url


# "\U00011f04\u200da": KAWI LETTER A (Unicode 15.0, a letter: combining class 0), a ZERO WIDTH
# JOINER after it (no virama), "a". node 20 (Unicode 17): `new URL(...)` throws ERR_INVALID_URL.
KAWI_ZWJ = "https://xn--a-tgnx136i.com/"


def _unknown_to_python() -> str | None:
    """A character UTS 46's table (idna's data) takes as is that this Python's unicodedata
    does not name: idna's data is newer than the interpreter's."""
    for cp in range(0x80, 0x110000):
        c = chr(cp)
        if unicodedata.name(c, None) is None and unicodedata.combining(c) == 0:
            try:
                if uts46_remap(c + "a", std3_rules=False) == c + "a":
                    return c
            except Exception:  # noqa: BLE001
                continue
    return None


def test_a_joiner_after_a_character_python_does_not_name_is_no_crash() -> None:
    """A review: idna's valid_contextj, which raises ValueError ("no such name", from
    unicodedata.name in idna.core._combining_class) for a joiner after a character the
    interpreter's Unicode data does not know; idna's UTS 46 table, newer, takes it. The
    `except (UnicodeError, IDNAError)` misses it (ValueError is UnicodeError's base), so
    web_url raises instead of answering."""
    if unicodedata.name("\U00011f04", None) is None:
        assert web_url(KAWI_ZWJ) is None  # raised ValueError
    unknown = _unknown_to_python()
    if unknown is None:
        pytest.skip("this Python's Unicode data is as new as idna's")
    for joiner in "\u200c\u200d":
        label = (unknown + joiner + "a").encode("punycode").decode("ascii")
        web_url(f"https://xn--{label}.com/")  # raised ValueError


def test_a_listing_linking_such_a_host_is_still_read() -> None:
    """What the crash costs: a paper's githubRepo of such a host made parse_listing raise;
    in a fetch the whole day fails ("unexpected ValueError ... a bug in sitegen") on every
    run, and is given up on after 14 days: the day is lost for one link (before 89af11a it
    was read, the link kept)."""
    raw = json.loads((FIXTURES / "api-2025-10-31.json").read_text())
    raw[0]["paper"]["githubRepo"] = KAWI_ZWJ
    listing = parse_listing(json.dumps(raw).encode(), origin="2025-10-31.json")  # raised
    assert len(listing.entries) == 3


@pytest.mark.parametrize(
    "url",
    [
        "https://a\u200db.com/",  # the host of "xn--ab-m1t", which 89af11a refuses
        "https://\u00e9\u200cb.com/",  # "xn--b-9fa720v", in 89af11a's own test
    ],
)
def test_a_unicode_host_with_a_joiner_out_of_its_context_is_no_link(url: str) -> None:
    """89af11a refuses a joiner out of its context in an "xn--" label only. The same host
    written in Unicode is still a link: Python's "idna" codec (IDNA 2003's nameprep) maps
    U+200C and U+200D to nothing, so the check sees "ab.com", and the page links the text as
    written, which node's `new URL(...)` refuses (ERR_INVALID_URL: UTS 46 nontransitional keeps
    the joiner, CheckJoiners refuses it)."""
    assert web_url(url) is None


def test_a_unicode_host_with_a_joiner_after_a_virama_is_a_link() -> None:
    """The guard for the mend of the test above (passes now): node takes it
    (https://xn--11b2ezcw70k.com/)."""
    url = "https://\u0915\u094d\u200d\u0937.com/"
    assert web_url(url) == url


@pytest.mark.parametrize(
    ("base_url", "fault"),
    [
        ("example.com", "does not start with https://"),
        ("you.github.io/repo/", "does not start with https://"),
        ("ftp://you.github.io/repo/", "does not start with https://"),
        ("https://you.github.io/my repo/", "holds a space"),
        ("https://you.github.io/repo/?x=1", "holds '?'"),
        ("https://you.github.io/repo/index.html", "names a page"),
        ("https://you.github.io/a/../", "'..' folder"),
    ],
)
def test_a_base_url_refused_is_told_what_is_wrong_with_it(
    base_url: str, fault: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A new user's trial: `--base-url example.com` was answered with every rule a base URL
    keeps ("not an absolute http(s) URL without spaces, ?, # or \\, of a host a browser
    reaches, with % only as an escape, of the site's folder, not a page"), the one it broke
    not named among them. The flag and site.toml's `base_url` now say which."""
    with pytest.raises(SystemExit):
        main(["build", "--base-url", base_url])
    said = capsys.readouterr().err.split("error: ", 1)[1]
    assert fault in said, said
    site = tmp_path / "site.toml"
    site.write_text(f'title = "T"\ndescription = "D"\nbase_url = "{base_url}"\n')
    assert main(["--root", str(tmp_path), "build"]) == 2
    said = capsys.readouterr().err
    assert fault in said, said
