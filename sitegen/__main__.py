"""`python -m sitegen`, and the `sitegen` command."""

import os
import sys

EXIT_BROKEN_PIPE = 141  # what a shell reports for a command its reader stopped (128 + SIGPIPE)
EXIT_INTERRUPTED = 130


def run() -> None:
    try:
        # Imported here: Ctrl-C while the libraries load (the first 0.2 s) printed a traceback.
        from sitegen.cli import main
    except KeyboardInterrupt:
        print("sitegen: interrupted; nothing was done", file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)
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
