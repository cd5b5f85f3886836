"""Review h11 of 89af11a: failing tests."""

from __future__ import annotations

import json
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from idna import uts46_remap

from sitegen.fetch_state import days_to_retry, load_fetch_state
from sitegen.listings import parse_listing
from sitegen.model import web_url
from tests.hf_server import FaultyHF, Reply
from tests.test_fetch import FIXTURES, _day_answer, _fetch, _interrupt_a_fetch

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
    """89af11a calls idna's valid_contextj, which raises ValueError ("no such name", from
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


def test_a_retried_day_left_noted_by_ctrl_c_is_said_to_be_asked_again(
    hf: tuple[FaultyHF, str], site: Path
) -> None:
    """89af11a leaves a day noted before as it was when Ctrl-C came while it was asked, and
    puts it in FetchReport.not_asked, which the summary takes for "not noted to retry": the
    next runs do ask for it (days_to_retry), but the summary no longer says so ("the next runs
    ask again for ...", as it said before 89af11a), and the stop line says the days not asked
    are not noted to retry (run the fetch again for them)."""
    source, url = hf
    today = datetime.now(UTC).date()
    retried, held = today - timedelta(days=5), today - timedelta(days=1)
    source.other_api_days = [Reply(200, b"[]")]  # today: no papers
    source.set(held.isoformat(), [Reply(200, _day_answer(held.isoformat()))])
    assert _fetch(site, url, "--date", held.isoformat()) == 0
    state_file = site / "content" / "fetch-state.json"
    state = json.loads(state_file.read_text())
    state[retried.isoformat()] = {
        "failed_on": (today - timedelta(days=2)).isoformat(),
        "problem": "HTTP 503 from the source",
    }
    state_file.write_text(json.dumps(state, indent=1, sort_keys=True) + "\n")
    source.set(retried.isoformat(), [Reply(delay=25.0)])  # slow: the user gives up waiting

    output = _interrupt_a_fetch(
        site, url, source, waiting={retried.isoformat(), held.isoformat(), today.isoformat()}
    )

    assert retried in days_to_retry(load_fetch_state(site)), output  # still noted: asked
    assert f"the next runs ask again for {retried}" in output, output
