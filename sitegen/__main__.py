"""`python -m sitegen`, and the `sitegen` command."""

import os
import sys

from sitegen.cli import main

EXIT_BROKEN_PIPE = 141  # what a shell reports for a command its reader stopped (128 + SIGPIPE)


def run() -> None:
    try:
        status = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`sitegen build | head -1`): what the command did stands, and
        # the rest of what it says has nowhere to go; no traceback, nor one at exit's flush.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        status = EXIT_BROKEN_PIPE
    sys.exit(status)


if __name__ == "__main__":
    run()
