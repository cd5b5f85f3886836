"""`python -m sitegen`, and the `sitegen` command."""

import contextlib
import gc
import os
import platform
import sys
from pathlib import Path
from typing import Any, NoReturn

from sitegen.errors import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_INTERRUPTED, OutputLost

EXIT_BROKEN_PIPE = 141  # what a shell reports for a command its reader stopped (128 + SIGPIPE)


class _StandardOutput:
    """sys.stdout, whose failures to write are told apart from the command's own."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return int(self._stream.write(text))
        except BrokenPipeError:
            raise
        except OSError as error:
            raise OutputLost(error) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as error:
            raise OutputLost(error) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def run() -> None:
    _closed_streams_to_devnull()
    _in_utf8_mode()
    if sys.platform == "win32":  # the store's lock is fcntl's: a traceback at the first import
        print(
            "sitegen: error: sitegen runs on Linux and macOS, not on Windows\n"
            "  hint: run it in WSL (Windows Subsystem for Linux), on a clone in WSL's own"
            " file system",
            file=sys.stderr,
        )
        sys.exit(EXIT_BAD_INPUT)
    # `python3.10 -m sitegen` in the clone (pip never installs it there): a traceback at import.
    if sys.version_info < (3, 11):  # noqa: UP036 -- a Python older than pyproject.toml allows
        print(
            f"sitegen: error: sitegen needs Python 3.11 or newer, not {platform.python_version()}\n"
            "  hint: make its virtual environment with a newer Python (python3.11 -m venv .venv),"
            " then pip install -e . in it",
            file=sys.stderr,
        )
        sys.exit(EXIT_BAD_INPUT)
    try:
        # Imported here: Ctrl-C while the libraries load (the first 0.2 s) printed a traceback.
        from sitegen.cli import main
    except KeyboardInterrupt:
        print("sitegen: interrupted; nothing was done", file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)
    except ModuleNotFoundError as missing:
        _library_missing(missing)
    sys.stdout = _StandardOutput(sys.stdout)
    try:
        status = main()
        sys.stdout.flush()
    except ModuleNotFoundError as missing:
        _library_missing(missing)  # one a command imports only when it needs it (feedgen)
    except BrokenPipeError:
        # The reader went away (`sitegen build | head -1`): what the command did stands, and
        # the rest of what it says has nowhere to go; no traceback, nor one at exit's flush.
        _output_dropped()
        status = EXIT_BROKEN_PIPE
    except OutputLost as lost:
        # A hostile-input trial: a traceback once what the command said could not be written
        # (a full disk); it stopped there, as at an error.
        print(f"sitegen: error: cannot write to standard output: {lost}", file=sys.stderr)
        _output_dropped()
        status = EXIT_FAILED
    # What the command made lives until the process ends: kept out of the collection the
    # interpreter makes as it exits, which walked every object of the site (the rebuild
    # budget, under 2 s at 50k papers: the exit took 0.09 to 0.31 s, now 0.03 s).
    gc.freeze()
    sys.exit(status)


def _library_missing(missing: ModuleNotFoundError) -> NoReturn:
    """`python3 -m sitegen` in the clone, from a shell whose virtual environment is not active:
    a library sitegen needs is not there, which is said in one line, not a traceback."""
    library = (missing.name or "").partition(".")[0]
    if not library or library == "sitegen":
        raise missing
    print(
        f"sitegen: error: {library}, a library sitegen needs, is not installed for"
        f" {sys.executable}\n"
        "  hint: activate the virtual environment sitegen was installed in (. .venv/bin/activate),"
        " or pip install -e . in a new one",
        file=sys.stderr,
    )
    sys.exit(EXIT_BAD_INPUT)


def _in_utf8_mode() -> None:
    """A site's names are UTF-8, as its addresses are: under a locale that is not (LC_ALL=C with
    PYTHONUTF8=0, a Latin-1 one), a file of static/ named in UTF-8 was refused as not UTF-8 or
    recorded under another name, and `sitegen serve` in a folder with such a name stopped with
    a traceback (watchfiles takes paths as UTF-8). The command runs again in Python's UTF-8
    mode, as Python itself does under the C locale unless told not to."""
    if sys.flags.utf8_mode or sys.getfilesystemencoding() == "utf-8" or not sys.executable:
        return
    command = [sys.executable, "-X", "utf8", *sys.orig_argv[1:]]  # its own bytes, as given
    with contextlib.suppress(OSError):  # cannot: it runs on as it is
        os.execv(sys.executable, command)


def _closed_streams_to_devnull() -> None:
    """A standard stream closed (`sitegen build >&-`) would be the next file opened, and what
    a child process prints (Pagefind's) would go into it: it is /dev/null instead."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            os.open(os.devnull, os.O_RDWR)  # the lowest free descriptor: `fd`
    # Python made them None, on which sitegen's own use fails (stderr's isatty()).
    if sys.stdout is None:
        sys.stdout = Path(os.devnull).open("w")  # noqa: SIM115 -- for the process's life
    if sys.stderr is None:
        sys.stderr = Path(os.devnull).open("w")  # noqa: SIM115


def _output_dropped() -> None:
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)


if __name__ == "__main__":
    run()
