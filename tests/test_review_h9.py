"""Review h9 of 1ccb614, 43e2de0 and 774a130: each test fails on the code reviewed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sitegen.errors import ConfigError
from sitegen.fetch_state import load_fetch_state, scheduled_days
from sitegen.fields import load_toml
from sitegen.model import web_url
from sitegen.store import stored_days
from tests.conftest import ctrl_c_stops
from tests.hf_server import FaultyHF, Reply
from tests.test_fetch import _day_answer, _fetch


def test_a_day_asked_but_not_had_when_ctrl_c_came_is_asked_again_by_the_next_plain_fetch(
    hf: tuple[FaultyHF, str], site: Path
) -> None:
    """1ccb614: Ctrl-C leaves the days "not fetched" unnoted, "run the fetch again for them".
    But a day still being asked (a slow answer, retries: what a user presses Ctrl-C on) while
    later days came in is older than the newest day then held: a plain `sitegen fetch`, which
    asks from the newest day held, never asks for it again, and no note says it is missed (nor
    holds its week open). Before 1ccb614 it was noted, and retried."""
    source, url = hf
    today = datetime.now(UTC).date()
    first, slow, later, last = (today - timedelta(days=n) for n in (4, 3, 2, 1))
    source.other_api_days = [Reply(200, b"[]")]  # any other day (today): no papers
    for day in (first, later, last):
        source.set(day.isoformat(), [Reply(200, _day_answer(day.isoformat()))])
    source.set(slow.isoformat(), [Reply(delay=25.0)])
    assert _fetch(site, url, "--date", first.isoformat()) == 0  # had after it ended: whole
    process = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "--root", str(site), "fetch", "--source", url],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, preexec_fn=ctrl_c_stops,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        asked = {slow.isoformat(), later.isoformat(), last.isoformat(), today.isoformat()}
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
    held = stored_days(site)
    assert later in held and last in held and slow not in held, (held, output)
    # "run the fetch again for them": the next plain fetch's days.
    asked_next, _ = scheduled_days(held, today, load_fetch_state(site))
    assert slow in asked_next, (asked_next, output)


def test_the_empty_store_hint_s_test_passes_where_ci_runs_it_under_github_actions() -> None:
    """43e2de0: under GitHub Actions (GITHUB_ACTIONS=true, as ci.yml's `python -m pytest` runs)
    the hint says "run Publish with since", but the suite's own test of the hint, left as it
    was, asserts "sitegen fetch --since ..." and does not unset the variable: CI fails."""
    repo = Path(__file__).resolve().parents[1]
    env = {**os.environ, "GITHUB_ACTIONS": "true"}
    ran = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-n0", "-q",
         "tests/test_fetch.py", "-k", "plain_fetch_on_an_empty_store"],
        cwd=repo, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stdout[-3000:]


def test_a_comma_left_out_between_arrays_of_strings_is_said_as_such() -> None:
    """43e2de0 tells a [table] header from an array on its own line by the first character
    after "[": a quote or a letter is a header's. `["c", "d"]` (and `[true]`) are arrays too:
    a comma left out after `["a", "b"]` is still said to be `pairs`'s array not closed, on
    line 1, as `[3, 4]` was before the mend, not the comma left out on line 2."""
    text = 'pairs = [\n  ["a", "b"]\n  ["c", "d"]\n]\n'
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
    """43e2de0: a decoded "xn--" label "is refused only for what UTS 46 refuses", by Unicode
    category; but UTS #46 refuses by its own table, and these (punctuation and symbols, which
    the category rule before refused) it refuses: node's `new URL(...)` throws
    ERR_INVALID_URL for each, as the URL Standard says. They became links no browser follows."""
    assert web_url(url) is None
