"""A progress display for long runs (rich) on a terminal; in a log, a line now and then."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Advance = Callable[..., None]  # advance(status="", steps=1): once per unit of work done


def _ignore(status: str = "", steps: int = 1) -> None:
    pass


@contextmanager
def progress_display(label: str, *, enabled: bool, total: int | None = None) -> Iterator[Advance]:
    """Yield a function to call once per unit of work; it draws only when `enabled`, and else,
    of a known `total`, says how far it is in a line every LOG_EVERY seconds."""
    if not enabled:
        yield _ignore if total is None else _in_a_log(label, total, every=LOG_EVERY)
        return
    # Imported here: rich takes 30 ms to import, a third of a one-day ingest.
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[status]}"),
    )
    from rich.console import Console

    # On standard error, which tells whether it draws: on standard output it put a blank line
    # at the head of a log (`sitegen fetch > log` on a terminal) and into a pipe (a review).
    with Progress(*columns, transient=True, console=Console(stderr=True)) as progress:
        task = progress.add_task(label, total=total, status="")

        def advance(status: str = "", steps: int = 1) -> None:
            progress.update(task, advance=steps, status=status)

        yield advance


# A year's backfill in a log (the Publish job's) said nothing for minutes;
# a run shorter than this, as the daily one, says nothing more.
LOG_EVERY = 30.0  # seconds


def _in_a_log(label: str, total: int, *, every: float) -> Advance:
    started = said = time.monotonic()
    done = 0
    lock = threading.Lock()  # called from the fetch's threads

    def advance(status: str = "", steps: int = 1) -> None:
        nonlocal done, said
        with lock:
            done += steps
            now = time.monotonic()
            if now - said < every or done >= total:
                return
            said = now
        print(f"{label}: {done} of {total} ({now - started:.0f} s)", file=sys.stderr, flush=True)

    return advance
