"""`python -m sitegen`, and the `sitegen` command."""

import gc
import sys
from typing import NoReturn

from sitegen.cli import main


def run() -> NoReturn:
    code = main()
    # Python's last act is a cycle collection over every object left, those of the imports
    # included: 8 ms of a day's `sitegen ingest`. Whatever sitegen wrote is closed by now, so
    # nothing needs it; frozen objects are skipped, and the process exits without it.
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    run()
