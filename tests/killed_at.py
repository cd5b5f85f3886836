"""`python -m tests.killed_at POINT SITEGEN-ARGS...`: `sitegen SITEGEN-ARGS...`, killed with
SIGKILL by itself at POINT, a moment of its run (tests/test_interrupted.py). A kill -9 from
outside lands wherever the run happens to be; this one lands in the phase it names, every time.

POINT is `MODULE.FUNCTION:N:WHEN`: at the Nth call of that function, WHEN `enter` (before it
runs), `leave` (after it returns), `yielded` (when the iterator it returned has given its first
item: worker processes' first results) or `halfway` (a `sitegen.transaction._complete` that
has moved in half of the files it still has to move). FUNCTION may be a class's method."""

from __future__ import annotations

import importlib
import json
import os
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any


def _die() -> None:
    # The run's own process only, as `kill -9 PID` does: its workers must notice and exit.
    os.kill(os.getpid(), signal.SIGKILL)


def _at_call(point: str) -> None:
    target, number, when = point.rsplit(":", 2)
    owner_name, name = target.rsplit(".", 1)
    owner: Any = None
    for part in owner_name.split("."):  # the module, then a class in it
        owner = getattr(owner, part, None) or importlib.import_module(
            f"{owner.__name__}.{part}" if owner else part
        )
    real: Callable[..., Any] = getattr(owner, name)  # a renamed function fails here, loudly
    calls = 0

    def hooked(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls != int(number):
            return real(*args, **kwargs)
        if when == "enter":
            _die()
        if when == "halfway":
            _moving_half_then_dying(*args)
        if when == "yielded":
            return _dying_after_the_first(real(*args, **kwargs))
        result = real(*args, **kwargs)
        _die()
        return result

    setattr(owner, name, hooked)


def _dying_after_the_first(results: Iterator[Any]) -> Iterator[Any]:
    yield next(results)
    _die()


def _moving_half_then_dying(root: Path, journal: Path) -> None:
    """Make the next file moves (`Path.replace`) die after half of those the journal holds."""
    moves = json.loads((journal / "manifest.json").read_text("utf-8"))["move"]
    left = sum((journal / "files" / name).exists() for _, name in moves) // 2
    real_replace = Path.replace

    def replace(self: Path, target: Any) -> Path:
        nonlocal left
        if left == 0:
            _die()
        left -= 1
        return real_replace(self, target)

    Path.replace = replace  # type: ignore[method-assign]


def main(point: str, args: list[str]) -> None:
    _at_call(point)
    from sitegen.cli import main as sitegen

    sys.exit(sitegen(args))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
