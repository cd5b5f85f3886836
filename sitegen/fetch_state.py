"""content/fetch-state.json: what `sitegen fetch` remembers between runs, per day.

The HTTP validators of a day's last answer (for a conditional request next time), whether it
was had after it ended (whole: the daily digest gives it its item) or only before (filling: it
is asked again), and, for a day a run could not have, since when it fails and why, so that
later runs retry it; committed with the content. A build reads it too: a week or month with
a day still to be retried is not closed, so its top papers are not published short of that
day's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path

from sitegen.dates import iso_day
from sitegen.errors import ContentError, Location, reason_of
from sitegen.ingest import LATE_WITHIN_DAYS
from sitegen.layout import CONTENT_DIR
from sitegen.whole_files import read_regular_file

FETCH_STATE = f"{CONTENT_DIR}/fetch-state.json"
MAX_FETCH_STATE_BYTES = 64 * 2**20  # ~100 bytes a day: far more than centuries of days

# Of a day missed: since when, why, and when it was given up on; "new_when_missed" (a run missed
# it when it was the newest day held, or one after it) keeps its week open.
FAILURE_KEYS = ("failed_on", "problem", "gave_up_on", "new_when_missed")
# Of the newest day held, had by a run after it ended: the daily digest has given it its item.
WHOLE = "whole"
# Of a day had by a run before it ended: its late papers are still to come.
FILLING = "filling"
# Of a day a run asked before it ended (with papers so far or none) and that run had a later
# day with papers: a run before 09:00 UTC, when yesterday is still going on in California. It
# is asked again, and its digest item, week and month wait for a run that has it after it
# ended (held_open_days), as the later day would close them.
OVERTAKEN = "overtaken"
# The marks a day may hold, each "yes" when it holds it.
_MARKS = (WHOLE, FILLING, OVERTAKEN, "new_when_missed")


def scheduled_days(
    held: Sequence[date], today: date, state: Mapping[str, Mapping[str, str]]
) -> tuple[list[date], list[date]]:
    """The days a fetch without --date or --since asks for, oldest first, and of them those
    missed by earlier runs (retried); on an empty store, yesterday and today. The last day
    held is asked again, so its late papers are had, unless a run had it after it ended
    (WHOLE); a day held past today (ingested where the day starts before it does in UTC) asks
    for today. A day given up on is never asked again,
    even in that range (found by a review: it failed again and was said to be retried, after
    GAVE UP said no later run would ask)."""
    # An empty store asks for yesterday too: a run asks early in today (the workflow's 09:17
    # UTC), when its list may hold nothing, which stores nothing; asked alone, each run's
    # today left the day before, listed in full since, to no run (a fork owner's trial).
    start = min(held[-1], today) if held else today - timedelta(days=1)
    if held and state.get(held[-1].isoformat(), {}).get(WHOLE) == "yes":
        # Had after it ended, its digest item is out: asked again, a new upvote would reorder
        # that item's papers under the id readers marked read.
        start = min(held[-1] + timedelta(days=1), today)
    days = [date.fromordinal(n) for n in range(start.toordinal(), today.toordinal() + 1)]
    days = [day for day in days if "gave_up_on" not in state.get(day.isoformat(), {})]
    # A day had while filling that a later day overtook (fetched by --date, or ingested by
    # hand), asked again on its own: its late papers were never had.
    filling = [d for d in filling_to_ask(state, today) if d in held and d < today and d not in days]
    # A day a run overtook before it ended, asked again, held or not: one that listed nothing
    # yet, before the later day, was never asked again (a trial of a run at 07:30 on a Monday).
    overtaken = [d for d, _ in _marked(state, OVERTAKEN, missed_too=False) if d < today]
    retried = [day for day in days_to_retry(state) if day not in days]
    return sorted({*days, *filling, *overtaken, *retried}), retried


def filling_to_ask(state: Mapping[str, Mapping[str, str]], today: date) -> list[date]:
    """The days a run had before they ended (FILLING) and none has had since, of the last
    LATE_WITHIN_DAYS, oldest first: their late papers are still to come. Not one a run
    missed since: the days to retry have their own rules (days_to_retry, awaited_days), and
    counted here too, each miss made every later run ask more."""
    oldest = today - timedelta(days=LATE_WITHIN_DAYS)
    return sorted(day for day, _ in _marked(state, FILLING, missed_too=False) if oldest <= day)


def filling_shown(state: Mapping[str, Mapping[str, str]], newest: date | None) -> frozenset[date]:
    """The days a run had before they ended (FILLING) and none has had whole since, of the
    LATE_WITHIN_DAYS before the `newest` day held: their pages say more papers may come. A
    build reads no clock: a fetch takes the mark off the days past its own window, counted
    from today (forget_filling), and this one holds where no fetch runs (days ingested by
    hand: a review found "so far" on a page a year on, either way)."""
    if newest is None:
        return frozenset()
    oldest = newest - timedelta(days=LATE_WITHIN_DAYS)
    return frozenset(day for day, _ in _marked(state, FILLING, missed_too=True) if oldest <= day)


def forget_filling(state: dict[str, dict[str, str]], today: date) -> None:
    """Take the FILLING and OVERTAKEN marks off the days older than filling_to_ask's window,
    which scheduled runs no longer ask for as filling (but the newest day held, asked from,
    which is then shown as it is). Not off a day still retried: giving it up takes its marks
    off (fetch._remember_missed)."""
    oldest = today - timedelta(days=LATE_WITHIN_DAYS)
    for mark in (FILLING, OVERTAKEN):
        for day, key in list(_marked(state, mark, missed_too=False)):
            if day < oldest:
                del state[key][mark]
                if not state[key]:
                    del state[key]


def _marked(
    state: Mapping[str, Mapping[str, str]], mark: str, *, missed_too: bool
) -> Iterator[tuple[date, str]]:
    """Each day holding `mark`, with its key; `missed_too`: one a run missed since as well."""
    for key, entry in state.items():
        day = iso_day(key)
        missed = "failed_on" in entry
        if day is not None and entry.get(mark) == "yes" and (missed_too or not missed):
            yield day, key


def days_to_retry(state: Mapping[str, Mapping[str, str]]) -> list[date]:
    """The days earlier runs missed and have not given up on, oldest first."""
    return sorted(day for day, _ in _missed(state))


def awaited_days(state: Mapping[str, Mapping[str, str]]) -> frozenset[date]:
    """The days to retry that a run missed while they were new (the newest day held then, or
    one after it), so no build has shown their week or month closed without them, and none
    should until they are had (sitegen.periods). A day older than the newest held when missed
    (history asked for again) may be of a week published long ago: it is not awaited; nor is
    one had whole before (its digest item would go, then come back: found by a review)."""
    return frozenset(
        day
        for day, e in _missed(state)
        if e.get("new_when_missed") == "yes" and e.get(WHOLE) != "yes"
    )


def held_open_days(state: Mapping[str, Mapping[str, str]]) -> frozenset[date]:
    """The days whose digest item waits, and whose week and month stay open (sitegen.periods),
    until a run has them: those awaited (awaited_days), and those a run overtook before they
    ended (OVERTAKEN), missed since or not. A day given up on holds nothing back."""
    overtaken = (day for day, _ in _marked(state, OVERTAKEN, missed_too=True))
    return awaited_days(state) | frozenset(overtaken)


def whole_days(state: Mapping[str, Mapping[str, str]]) -> frozenset[date]:
    """The days a fetch had after they ended, so with every paper they will list."""
    days = (iso_day(key) for key, entry in state.items() if entry.get(WHOLE) == "yes")
    return frozenset(day for day in days if day is not None)


def _missed(state: Mapping[str, Mapping[str, str]]) -> Iterator[tuple[date, Mapping[str, str]]]:
    for key, entry in state.items():
        day = iso_day(key)  # a key of another shape ("20261107") is not one a fetch keeps
        if day is not None and "failed_on" in entry and "gave_up_on" not in entry:
            yield day, entry


def load_fetch_state(root: Path) -> dict[str, dict[str, str]]:
    """day (YYYY-MM-DD) -> {"etag": ..., "last_modified": ..., "whole", "filling" or
    "overtaken": "yes"} and, for a day missed, {"failed_on": ..., "problem": ...,
    "gave_up_on": ..., "new_when_missed": "yes"}; empty when never fetched."""
    problem, line = "", None
    try:
        text = read_regular_file(root / FETCH_STATE, limit=MAX_FETCH_STATE_BYTES).decode("utf-8")
        state = json.loads(text)
    except FileNotFoundError:
        return {}
    except OSError as error:  # a directory, a FIFO, a device
        problem = f"cannot read it: {reason_of(error)}"
    except json.JSONDecodeError as error:
        problem, line = f"not valid JSON: {error.msg}", error.lineno
    except UnicodeDecodeError:
        problem = "not UTF-8 text"
    except (ValueError, RecursionError):  # a number of 4,300 digits, arrays nested too deep
        problem = "not what sitegen writes"
    # Refused, not thrown away: the days missed before would never be asked for again.
    hint = (
        "mend it (did a merge leave conflict markers?) or delete it: it holds the HTTP "
        "validators and the days to retry; without it a fetch asks for each day whole, and "
        "no week or month waits for a day missed"
    )
    if problem:
        raise ContentError(problem, location=Location(FETCH_STATE, line), hint=hint)
    if not isinstance(state, dict):
        raise ContentError("not a JSON object", location=Location(FETCH_STATE), hint=hint)
    for day, entry in state.items():
        # Not dropped in silence: the next fetch would write the file without it.
        if iso_day(day) is None or not isinstance(entry, dict):
            problem = f"{json.dumps(day)} is not a day (YYYY-MM-DD) holding an object"
        elif strange := [k for k, v in entry.items() if not isinstance(v, str)]:
            problem = f"{json.dumps(day)}: {json.dumps(strange[0])} is not a string"
        elif unsure := [k for k in _MARKS if entry.get(k, "yes") != "yes"]:
            # Read as "no" in silence, a mark edited by hand made a day whole or not.
            problem = f'{json.dumps(day)}: {json.dumps(unsure[0])} is "yes" or absent'
        else:
            continue
        # The key's line: its text followed by a colon (a value may hold the same day).
        key = re.search(re.escape(json.dumps(day, ensure_ascii=False)) + r"\s*:", text)
        line = text.count("\n", 0, key.start()) + 1 if key else None
        raise ContentError(
            f"not what sitegen writes: {problem}",
            location=Location(FETCH_STATE, line),
            hint='mend or delete that entry: a fetch writes strings, and "yes" for a mark',
        )
    return state


def render_fetch_state(state: Mapping[str, Mapping[str, str]]) -> bytes:
    return (json.dumps(state, sort_keys=True, indent=1, ensure_ascii=False) + "\n").encode()
