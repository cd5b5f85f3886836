"""A progress display for long runs (rich), silent when the output is not a terminal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

Advance = Callable[..., None]  # advance(status="", steps=1): once per unit of work done


def _ignore(status: str = "", steps: int = 1) -> None:
    pass


@contextmanager
def progress_display(label: str, *, enabled: bool, total: int | None = None) -> Iterator[Advance]:
    """Yield a function to call once per unit of work; it draws only when `enabled`."""
    if not enabled:
        yield _ignore
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
    with Progress(*columns, transient=True) as progress:
        task = progress.add_task(label, total=total, status="")

        def advance(status: str = "", steps: int = 1) -> None:
            progress.update(task, advance=steps, status=status)

        yield advance
