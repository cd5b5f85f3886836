"""Review h10 of a8cb5b4, 935d6ec, c650f70, b183f86: failing tests."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sitegen.fetch_state import load_fetch_state
from sitegen.model import web_url
from tests.conftest import ctrl_c_stops
from tests.hf_server import FaultyHF, Reply
from tests.test_fetch import _day_answer, _fetch


def _ctrl_c_once_asked(site: Path, url: str, source: FaultyHF, asked: set[str]) -> str:
    """A plain `sitegen fetch`, stopped by Ctrl-C once `asked` days were asked (and answered)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "--root", str(site), "fetch", "--source", url],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, preexec_fn=ctrl_c_stops,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while not asked <= {p.split("date=")[-1][:10] for p, _ in source.requests}:
            assert time.monotonic() < deadline, source.requests
            time.sleep(0.05)
        time.sleep(1.0)  # the fast days merged into the answers
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, output
    return output


def test_a_retried_day_being_asked_when_ctrl_c_came_keeps_its_note(
    hf: tuple[FaultyHF, str], site: Path
) -> None:
    """a8cb5b4 notes a day "not fetched" before the newest day had as missed again, as no
    later run would ask for it. A scheduled run asks the days to retry first (they are the
    oldest), and a day that keeps failing is the slow one a user presses Ctrl-C on while the
    newer days come in: it already has a note (days_to_retry asks for it anyway), and noting
    it again brings back what 1ccb614 mended: its problem replaced by "not asked", said
    FAILING, and on its window's last day given up on for good, because the user stopped."""
    source, url = hf
    today = datetime.now(UTC).date()
    retried, held = today - timedelta(days=20), today - timedelta(days=1)
    source.other_api_days = [Reply(200, b"[]")]  # today: no papers
    source.set(held.isoformat(), [Reply(200, _day_answer(held.isoformat()))])
    assert _fetch(site, url, "--date", held.isoformat()) == 0
    state_file = site / "content" / "fetch-state.json"
    state = json.loads(state_file.read_text())
    note = {
        "failed_on": (today - timedelta(days=14)).isoformat(),  # its window ends today
        "problem": "HTTP 503 from the source",
    }
    state[retried.isoformat()] = dict(note)
    state_file.write_text(json.dumps(state, indent=1, sort_keys=True) + "\n")
    source.set(retried.isoformat(), [Reply(delay=25.0)])  # slow: the user gives up waiting

    output = _ctrl_c_once_asked(
        site, url, source, {retried.isoformat(), held.isoformat(), today.isoformat()}
    )

    after = load_fetch_state(site).get(retried.isoformat(), {})
    assert "gave_up_on" not in after, (after, output)  # lost for good by a Ctrl-C
    assert after == note, (after, output)  # the note stays as it was (1ccb614)


@pytest.mark.parametrize(
    "url",
    [
        "https://xn--ab-cja0003a.com/",  # "a\u200dbé": ZERO WIDTH JOINER after no virama
        "https://xn--b-9fa720v.com/",  # "é\u200cb": ZERO WIDTH NON-JOINER in no joining context
        "https://xn--1uga80807abag.com/",  # an emoji ZWJ sequence (a family)
    ],
)
def test_a_punycode_host_with_a_joiner_out_of_its_context_is_no_link(url: str) -> None:
    """a8cb5b4 checks a decoded "xn--" label by UTS 46's table alone. U+200C and U+200D are
    "deviation" characters there, kept by nontransitional processing, and the URL Standard
    takes them only where CheckJoiners (RFC 5892's CONTEXTJ rules: after a virama, or ZWNJ
    between joining letters) allows them: node's `new URL(...)` throws ERR_INVALID_URL for
    each of these. The code before refused them (format characters, Cf); these are links
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
    """The guard for the mend of the test above (passes now): browsers take these (node's
    `new URL(...)` does), so refusing every joiner, as the code before did, is no mend."""
    assert web_url(url) == url
