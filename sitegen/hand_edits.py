"""The files of the last build changed or removed by hand since: their size or mtime differs
from the build record's.

Standard library only: a build imports it, and runs it as a script in a child process
beside the reading of the content (sitegen.beside, the rebuild budget), where it reads the
record itself: `python -I -S hand_edits.py RECORD PUBLIC` writes the paths, NUL-separated.
"""

from __future__ import annotations

import marshal
import os
import sys
from collections.abc import Mapping


def changed(public: str, record: Mapping[str, tuple[str, int, int]]) -> list[str]:
    """The paths of `record` (key, size, mtime in ns) whose file under `public` differs."""
    found = []
    for path, (_, size, mtime) in record.items():
        try:
            now = os.stat(f"{public}/{path}")  # noqa: PTH116 (a Path each: 0.1 s at 50k)
        except OSError:
            found.append(path)
            continue
        if now.st_size != size or now.st_mtime_ns != mtime:
            found.append(path)
    return found


if __name__ == "__main__":
    with open(sys.argv[1], "rb") as file:  # noqa: PTH123 (no pathlib: it starts in 20 ms)
        files = marshal.loads(file.read())["files"]
    sys.stdout.buffer.write("\0".join(changed(sys.argv[2], files)).encode("utf-8", "surrogatepass"))
