"""Stat work in a child process beside a build: the other core, and none of the build's GIL.

The rebuild budget (a new day at 50,000 papers under 2 s) needs it: a build stats every file
of public/ (55,000) for hand edits, and a thread doing so fought the build's own work for the
GIL (1.5 s of the thread's time at 50k). A child is this interpreter with -I -S and a
stdlib-only script: it starts in about 20 ms.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path


def started(script: str, *args: str | Path) -> Callable[[], bytes | None]:
    """Run the file `script` (Python, stdlib only) in a child process with `args` as its argv;
    what this returns waits for the child and gives what it wrote to stdout, or None if it
    could not start or failed: then the caller does the work itself."""
    if not sys.executable:
        return lambda: None
    try:
        child = subprocess.Popen(  # noqa: S603 (this interpreter, our script, our paths)
            [sys.executable, "-I", "-S", script, *map(str, args)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
    except OSError:
        return lambda: None

    # Read by a thread of its own, so the child is reaped and its pipe closed even when the
    # caller fails before it asks (a content error, say).
    outcome: list[bytes | None] = [None]

    def collect() -> None:
        output, _ = child.communicate()
        outcome[0] = output if child.returncode == 0 else None

    reader = threading.Thread(target=collect, name="sitegen-beside", daemon=True)
    reader.start()

    def result() -> bytes | None:
        reader.join()
        return outcome[0]

    return result
