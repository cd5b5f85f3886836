"""The shell: parse arguments, read the clock and the disk, wire the stages, map errors to exits."""

from __future__ import annotations

import argparse
import ipaddress
import math
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NoReturn

from sitegen import __version__
from sitegen.config import (
    BASE_URL_SHAPE,
    SiteConfig,
    parse_config,
    required_base_url,
    site_url,
    site_url_fault,
)
from sitegen.digest_dates import DigestRules
from sitegen.errors import (
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    ConfigError,
    Location,
    SitegenError,
    UsageError,
    printable,
    reason_of,
)
from sitegen.formats import decode_content
from sitegen.layout import CONFIG_FILE
from sitegen.listing_files import ingest_files
from sitegen.listings.base import FETCH_URL_VARIABLE
from sitegen.model import day_out_of_range
from sitegen.progress import progress_display
from sitegen.reports import (
    actions_annotation,
    papers_to_explain,
    print_ingest_report,
    print_topics_report,
    print_topics_why,
    say_built,
    say_error,
    say_note,
)
from sitegen.store import check_store_folders
from sitegen.transaction import InterruptedAfterCommit
from sitegen.typos import nearest
from sitegen.whole_files import read_regular_file
from sitegen.wording import counted
from sitegen.workers import without_cycle_collection

if TYPE_CHECKING:
    from sitegen.model import Topic

# build, serve and fetch are imported by their commands: `sitegen ingest` runs without the
# libraries they bring (0.2 s of the ingest budget, under 1 s at 50,000 papers).

# fetch: some days were missed (remembered, retried by later runs) and the others written;
# distinct from 1 so that a scheduled job commits and deploys what was had (publish.yml).
EXIT_DAYS_MISSED = 3
# fetch: as 3, and a missed day has failed for days (fetch.FAILING_AFTER_DAYS) or was given up
# on: the workflow still commits and deploys, then fails its run so its owner hears of it.
EXIT_DAYS_FAILING = 4


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        check_store_folders(args.root)  # before any command reads or writes in it
        with sigterm_as_ctrl_c():
            if args.run is _run_serve:
                return int(args.run(args))  # each of its builds runs without_cycle_collection
            with without_cycle_collection():
                return int(args.run(args))
    except SitegenError as error:
        say_error(error)
        return EXIT_BAD_INPUT
    except InterruptedAfterCommit:
        print("sitegen: interrupted after its changes were made, all of them", file=sys.stderr)
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        print("sitegen: interrupted; nothing was half-written", file=sys.stderr)
        return EXIT_INTERRUPTED


@contextmanager
def sigterm_as_ctrl_c() -> Iterator[None]:
    """SIGTERM (a cancelled job, a service manager, `kill`) stops a command as Ctrl-C does:
    said in one line, and a change being made is made whole first. It ended a fetch without a
    word."""
    if threading.current_thread() is not threading.main_thread():  # only it takes signals
        yield
        return
    before = signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


class _Parser(argparse.ArgumentParser):
    command_names: tuple[str, ...] = ()  # sitegen's parser's commands, to say when none is given

    def error(self, message: str) -> NoReturn:
        """A flag's misuse is said with its usage, and on the Actions run's page when run there
        (a review: a `since` typed with a space showed only "exit code 2"). What it quotes is
        escaped, as every error's: argparse names an unknown argument as it was given."""
        if message.endswith("required: COMMAND") and self.command_names:  # a new user's trial
            message += f" (choose from {', '.join(map(repr, self.command_names))})"
        if message.startswith("argument -h/--help: ignored explicit argument"):  # `-help`
            message += " (did you mean --help?)"
        message = printable(message)
        actions_annotation(f"{self.prog}: {message}", level="error")
        super().error(message)


# sitegen's flags as the tools a user comes from spell them (a Hugo user's trial: `build -b URL`,
# `--baseURL`, `-d public` and `serve -p 1313` were refused with nothing to do instead).
_THEIR_SPELLINGS = {
    "-b": "--base-url", "--baseURL": "--base-url", "-d": "--out", "--destination": "--out",
    "-s": "--root", "-p": "--port", "--cleanDestinationDir": "--clean",  # Hugo's
    "--site-dir": "--out",  # MkDocs'
    "-j": "--jobs", "-o": "--out",  # make's and many others'
}  # fmt: skip


def _their_spelling(given: str) -> str | None:
    """The flag of sitegen's that `given` (`-j2`, `--baseURL=...`) is another tool's name for."""
    name = given.split("=", 1)[0]
    if not name.startswith("--"):
        name = name[:2]  # a short flag's value may follow it at once: `-j2`
    return _THEIR_SPELLINGS.get(name)


def _two_dashes(name: str) -> str:
    """`-clean` as `--clean`: a long flag spelt with Go's tools' one dash (a new user's trial)."""
    return f"-{name}" if len(name) > 2 and name[0] == "-" and name[1] != "-" else name


class _CommandParser(_Parser):
    """A command's parser: a flag it does not know, given after it, is said with its usage,
    not sitegen's (`sitegen build --jbos 2` showed the usage without build's flags)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The other commands' flags, each with its commands (set once every one is added).
        self.elsewhere: dict[str, tuple[str, ...]] = {}

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        parsed, unknown = super().parse_known_args(args, namespace)
        if unknown:
            self.error(f"unrecognized arguments: {' '.join(unknown)}{self._did_you_mean(unknown)}")
        return parsed, unknown

    def _did_you_mean(self, unknown: Sequence[str]) -> str:
        """The command a flag is of, or the flag a misspelt one most likely is (a user's
        trial: `build --cleen` got argparse's line alone; a review: `build --port` was
        offered --out, which builds into a folder "8000")."""
        flags = [flag for flag in self._option_string_actions if flag.startswith("--")]
        for given in unknown:
            name = _two_dashes(given.split("=", 1)[0])
            if name == "--version":  # sitegen's own, as --root is (a user's trial)
                return " (the version is sitegen's: sitegen --version, before the command)"
            if name in self.elsewhere:
                return f" ({name} is an option of {self._commands_having(name)})"
            theirs = _their_spelling(given)
            # Not fetch's --base-url, another name of its --source: no site's URL.
            if theirs in flags and self._option_string_actions[theirs].option_strings[0] == theirs:
                return f" (did you mean {theirs}?)"
            if theirs in self.elsewhere:
                return f" (sitegen's is {theirs}, an option of {self._commands_having(theirs)})"
            # A typo: a letter or two off, two swapped counting as one (a review: difflib's
            # ratio offered --root for --prot, and --out for --port).
            most = min(2, max(1, (len(name) - 2) // 3))
            if name.startswith("--") and (close := nearest(name, flags, most)):
                return f" (did you mean {close}?)"
        return ""

    def _commands_having(self, flag: str) -> str:
        """The other commands that take `flag`, as a user types them: "sitegen serve"."""
        return " and ".join(f"sitegen {command}" for command in self.elsewhere[flag])


class _TopParser(_Parser):
    """sitegen's own parser: a flag before the command that is not sitegen's is named (a
    user's trial: `sitegen --bogus` said that COMMAND was missing, `sitegen --out x build`
    that "x" is no command)."""

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        given = list(sys.argv[1:] if args is None else args)
        index = 0
        answered = False  # --version or --help, which argparse answers whatever follows
        while index < len(given) and given[index].startswith("-") and given[index] != "--":
            name = given[index].split("=", 1)[0]
            known = [option for option in self._option_string_actions if option.startswith(name)]
            answered = answered or {"-h", "--help", "--version"}.issuperset(known or ["?"])
            if not known:
                # `-help`, `-root`: a long flag spelt with one dash, as a command's is offered.
                meant = _two_dashes(name)
                flags = [o for o in self._option_string_actions if o.startswith(meant)]
                if _their_spelling(given[index]) == "--root":  # Hugo's -s
                    meant, flags = "--root", ["--root"]
                self.error(
                    f"unrecognized arguments: {given[index]} (did you mean {min(flags)}?)"
                    if meant != name and len(flags) == 1  # `-vers`: --version, as --vers is
                    else f"unrecognized arguments: {given[index]} (before the command, sitegen"
                    " takes --root and --version; a command's options go after it: sitegen"
                    " COMMAND --help lists them)"
                )
            index += 2 if known == ["--root"] and "=" not in given[index] else 1
        commands = [
            name
            for action in self._actions
            if isinstance(action, argparse._SubParsersAction)
            for name in action.choices
        ]
        if index < len(given) and given[index] not in (*commands, "--") and not answered:
            # A misspelt command is offered its spelling, as a flag is (a new user's trial).
            close = nearest(given[index], commands, 2)
            self.error(
                f"argument COMMAND: invalid choice: {given[index]!r} ("
                + (f"did you mean {close}? " if close else "")
                + f"choose from {', '.join(map(repr, commands))})"
            )
        return super().parse_known_args(args, namespace)


def _parser() -> argparse.ArgumentParser:
    parser = _TopParser(
        prog="sitegen", description="Hugging Face Daily Papers as a static site with feeds."
    )
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    root_help = "the site directory (default: the current one)"
    parser.add_argument("--root", type=_root, default=Path(), help=root_help)
    # Also after the command (`sitegen build --root DIR`), where people put it.
    after = _CommandParser(add_help=False)  # a parent only, never parsing
    after.add_argument("--root", type=_root, default=argparse.SUPPRESS, help=root_help)
    commands = parser.add_subparsers(required=True, metavar="COMMAND", parser_class=_CommandParser)

    def command(
        name: str, run: Callable[[argparse.Namespace], int], summary: str, description: str
    ) -> argparse.ArgumentParser:
        added = commands.add_parser(name, parents=[after], help=summary, description=description)
        added.set_defaults(run=run)
        return added

    ingest = command(
        "ingest", _run_ingest, "parse listings into content/", "Merge listings into content/."
    )
    ingest.add_argument(
        "listings",
        nargs="+",
        type=_path,
        metavar="LISTING",
        help="a listing file (API answer, saved page or text capture), or a folder of them",
    )
    ingest.add_argument("--date", type=_iso_date, help="the listing day, YYYY-MM-DD")
    ingest.add_argument(
        "--topic", action="append", default=[], metavar="NAME", help="add a topic (repeatable)"
    )

    build = command(
        "build", _run_build, "render content/ into public/", "Build the site into public/."
    )
    build.add_argument(
        "--out",
        type=_path,
        help="output directory, or NAME.tar for the site as one tar archive, as GitHub Pages "
        "deploys it; a relative path is from the current directory, not ROOT (default: "
        "ROOT/public)",
    )
    build.add_argument(
        "--base-url",
        type=_site_url,
        metavar="URL",
        help="the site's URL, e.g. the Pages URL: overrides base_url of site.toml, which may then"
        " be left out",
    )
    build.add_argument("--clean", action="store_true", help="ignore and replace every cache")
    build.add_argument(
        "--jobs", type=_jobs, help="worker processes (default: one per core for large sites)"
    )
    build.add_argument(
        "--topics-report",
        action="store_true",
        help="also print, per topic, its papers and how many rest on one single-word keyword",
    )
    build.add_argument(
        "--topics-before",
        type=_path,
        metavar="SITE_TOML",
        help="the site.toml of the rules before an edit: the topics report (as --topics-report)"
        " lists the papers each topic gained and lost",
    )
    build.add_argument(
        "--topics-why",
        action="append",
        metavar="PAPER_ID",
        help="also print why a paper has its topics: the keywords found, and other topics'"
        " evidence that was not chosen (repeat for several papers)",
    )

    fetch = command(
        "fetch",
        _run_fetch,
        "fetch days from Hugging Face into content/",
        "Fetch Daily Papers days (default: from the last day in content/ to today).",
    )
    which = fetch.add_mutually_exclusive_group()
    which.add_argument("--date", type=_iso_date, help="fetch this one day")
    which.add_argument("--since", type=_iso_date, help="fetch from this day on")
    fetch.add_argument(
        "--until", type=_iso_date, help="with --since: the last day (default: today)"
    )
    fetch.add_argument(
        "--source",
        "--base-url",  # its first name, kept: build's --base-url is the site's own URL
        dest="base_url",
        metavar="URL",
        help=f"the source, e.g. a mirror (default: ${FETCH_URL_VARIABLE}, else huggingface.co)",
    )
    fetch.add_argument(
        "--timeout", type=_seconds, default=30.0, help="read timeout in seconds (30)"
    )
    fetch.add_argument("--attempts", type=_count, default=5, help="tries per request (5)")

    serve = command(
        "serve",
        _run_serve,
        "build, serve and rebuild on change",
        "Build public/, serve it on 127.0.0.1 and rebuild when content changes.",
    )
    serve.add_argument("--port", type=_port, default=8000, help="port (8000; 0 picks a free one)")
    serve.add_argument(
        "--bind", default="127.0.0.1", type=_address, help="address to listen on (127.0.0.1)"
    )
    serve.add_argument(
        "--base-url",
        type=_site_url,
        metavar="URL",
        help="the site's URL, served at its path: overrides base_url of site.toml (default:"
        " site.toml's, else this preview's own address)",
    )
    for each in commands.choices.values():
        assert isinstance(each, _CommandParser)
        for other_name, other in commands.choices.items():
            for flag in other._option_string_actions:
                if flag.startswith("--") and flag not in each._option_string_actions:
                    each.elsewhere[flag] = (*each.elsewhere.get(flag, ()), other_name)
    parser.command_names = tuple(commands.choices)
    return parser


def _iso_date(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2025-10-31") from None
    if problem := day_out_of_range(day):
        raise argparse.ArgumentTypeError(problem)
    return day


# Flags are checked where they are parsed: a bad one is one line and exit 2 (argparse's own),
# never a traceback from deep inside a command (issue #15).


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 1 or more")
    return value


def _jobs(text: str) -> int:
    value = _count(text)
    if value > _MOST_JOBS:  # each is a process: a typo must not start a million of them
        raise argparse.ArgumentTypeError(f"{text!r} is more than {_MOST_JOBS} worker processes")
    return value


_MOST_JOBS = 256


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    # At most an hour, the scheduled job's: 1e10 failed each day as "a bug in sitegen".
    if not 0 < value <= _MOST_SECONDS:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of seconds above 0 and at most {_MOST_SECONDS}"
        )
    return value


_MOST_SECONDS = 3600


def _port(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) > 65535:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a port number from 0 to 65535 (0 picks a free one)"
        )
    return int(text)


def _address(text: str) -> str:
    # An empty address is every interface to the system ("Serving at http://:8000/").
    if not text.strip():
        raise argparse.ArgumentTypeError(
            "an empty address listens on every network interface: give one, as 127.0.0.1"
        )
    # A name the socket cannot encode (a bidi mark, a byte of no UTF-8 from the shell) was a
    # TypeError traceback from bind(), after the build: an ASCII one is the resolver's to judge.
    if not text.isascii():
        try:
            text.encode("idna")
        except UnicodeError:
            raise argparse.ArgumentTypeError(
                f"'{printable(text)}' is not an IP address or a host name (as 127.0.0.1)"
            ) from None
    # An IPv6 address as URLs write it ("[::1]"): the address is inside the brackets.
    return text[1:-1] if text.startswith("[") and text.endswith("]") else text


def _root(text: str) -> Path:
    if not text:  # `--root "$SITE"` with SITE unset: '.' is what was most likely meant
        raise argparse.ArgumentTypeError("an empty path (an unset variable?): give one, or '.'")
    return _path(text)


def _path(text: str) -> Path:
    # "--out=~/site" reaches us unexpanded: a directory named "~" would be made in the site,
    # and a later `rm -rf ~` meant for it would remove the user's home.
    if text == "~" or text.startswith(("~/", "~" + os.sep)):
        raise argparse.ArgumentTypeError(
            f"{text!r} starts with a '~' the shell did not expand: write $HOME or the whole path"
        )
    if not text:  # Path("") is ".": `--out "$DIR"` with DIR unset meant no current directory
        raise argparse.ArgumentTypeError("an empty path (an unset variable?): give one")
    if not text.strip():  # `--out " "` built the site into a folder `ls` shows as nothing
        raise argparse.ArgumentTypeError(
            f"'{printable(text)}' is only white space (an unset variable?): give a path"
        )
    return Path(text)


def _site_url(text: str) -> str:
    url = site_url(text)  # as site.toml's base_url is checked
    if url is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not {BASE_URL_SHAPE}: {site_url_fault(text)};"
            " e.g. https://you.github.io/repo/"
        )
    return url


def _site_above(root: Path) -> Path | None:
    """The site directory holding `root`, if any: sitegen run from inside a site (its
    content/, a user's trial) is told where the site is. None when that cannot be said."""
    try:
        return next((d for d in root.resolve().parents if (d / CONFIG_FILE).is_file()), None)
    except OSError:  # a working directory deleted, a folder above that may not be read
        return None


MAX_CONFIG_BYTES = 8 * 2**20  # far more than any site.toml; /dev/zero is not read to the end


def load_config(root: Path, *, base_url: str | None = None) -> SiteConfig:
    """site.toml of the site at `root`; `base_url`, --base-url's, wins over its own."""
    path = root / CONFIG_FILE
    try:
        text = _config_text(path)
    except FileNotFoundError:
        if not root.exists():  # a user's trial: the hint said to pass the --root just given
            raise UsageError(
                f"--root {root}: no such directory",
                hint="pass --root the directory that holds site.toml",
            ) from None
        above = _site_above(root)
        if above is not None:
            hint = f"the site is {above}: run sitegen there, or pass --root {above}"
        elif root != Path():  # a new user's trial: told to pass the --root just given
            hint = "pass --root the directory that holds site.toml"
        else:
            hint = "run sitegen from a site directory, or pass --root DIR"
        raise ConfigError("no site.toml here", location=Location(str(path)), hint=hint) from None
    except NotADirectoryError:  # --root names a file
        raise UsageError(
            f"--root {root} is a file, not a site directory",
            hint="pass --root the directory that holds site.toml",
        ) from None
    except OSError as error:  # a directory, or not readable by this user
        raise ConfigError(
            f"cannot read it: {reason_of(error)}",
            location=Location(str(path)),
            hint="site.toml is a text file this user can read",
        ) from None
    return parse_config(text, source=str(path), base_url=base_url)


def _config_text(path: Path) -> str:
    data = read_regular_file(path, limit=MAX_CONFIG_BYTES)
    return decode_content(data, path=str(path), error=ConfigError)


def _run_ingest(args: argparse.Namespace) -> int:
    root: Path = args.root
    config = load_config(root)
    topics = tuple(_topic_slug(config, name) for name in args.topic)
    today = datetime.now(UTC).date()
    latest = today + timedelta(days=1)  # the last day a listing may be of: east of UTC, today
    report, parsed = ingest_files(
        root, args.listings, day=args.date, topics=topics, known_topics=config.topic_slugs(),
        latest=latest,  # a year read from the papers' dates: refused after it
        digests=DigestRules.of(config),
    )  # fmt: skip
    print_ingest_report(report, parsed, today=today, latest=latest)
    return EXIT_OK


def _run_build(args: argparse.Namespace) -> int:
    from sitegen.build import build_site
    from sitegen.search_index import publish_after_pages

    root: Path = args.root
    config = load_config(root, base_url=args.base_url)
    required_base_url(config, source=str(root / CONFIG_FILE))  # before any other work
    out = args.out or root / "public"
    before = None if args.topics_before is None else _topics_before(args.topics_before)
    # Before the build, as --topics-before: a mistyped id is not a site published, then refused.
    explained = papers_to_explain(root, args.topics_why) if args.topics_why else ()
    started = time.perf_counter()
    with progress_display("Building", enabled=sys.stderr.isatty()) as advance:

        def advance_by(files: int) -> None:
            advance(counted(files, "file"), steps=files)

        report = build_site(
            root, config, out=out, on_progress=advance_by, clean=args.clean, jobs=args.jobs
        )
    say_built(report, out, time.perf_counter() - started)
    print(f"  {publish_after_pages(out, report.search_index, indexed=report.search_indexed)}")
    if args.topics_report or args.topics_before:
        print_topics_report(root, config, previous=before)
    if explained:
        print_topics_why(config, explained)
    return EXIT_OK


def _topics_before(before: Path) -> tuple[Topic, ...]:
    """The topic rules of the site.toml `before` an edit: read before the build, so a wrong
    path stops it before anything is published."""
    try:
        return parse_config(_config_text(before), source=str(before)).topics
    except OSError as error:
        raise UsageError(
            f"--topics-before {before}: {reason_of(error)}", hint="give a site.toml to compare"
        ) from None


def _run_serve(args: argparse.Namespace) -> int:
    from sitegen.serve import serve_site

    root: Path = args.root
    if not (root / CONFIG_FILE).exists():
        load_config(root)  # not a site directory: one line, and nothing to serve or watch
    if _every_interface(args.bind):
        say_note(
            f"--bind {args.bind} serves the preview on every network interface: anyone who can"
            " reach this machine can read it"
        )
    serve_site(
        root,
        configured=lambda: _served_config(root, base_url=args.base_url),
        host=args.bind,
        port=args.port,
    )
    return EXIT_OK


def _served_config(root: Path, *, base_url: str | None) -> SiteConfig:
    """`load_config` for serve's rebuilds: a site.toml gone since serve began (a `git checkout`
    of a branch without it) is to be restored; 'run sitegen from a site directory, or pass
    --root' was no way for the serve running in one (a trial)."""
    path = root / CONFIG_FILE
    if not os.path.lexists(path) and root.is_dir():
        raise ConfigError(
            "no site.toml: it was deleted or moved while serving",
            location=Location(str(path)),
            hint="restore it (git checkout site.toml); the last good site is served until then",
        )
    return load_config(root, base_url=base_url)


def _every_interface(address: str) -> bool:
    """Whether `address` is the unspecified one (0.0.0.0, ::), which listens everywhere."""
    try:
        return ipaddress.ip_address(address).is_unspecified
    except ValueError:  # a host name, or IPv4 in a short form
        pass
    import socket  # here: serve's alone, as its other libraries are

    try:  # "0" and "0.0" are 0.0.0.0 to the socket, which reads them as C's inet_aton does
        return socket.inet_aton(address) == bytes(4)
    except OSError:
        return False


def _run_fetch(args: argparse.Namespace) -> int:
    from sitegen.fetch import SCHEDULED, days_asked, run_fetch, source_url
    from sitegen.hf_client import FetchPolicy

    config = load_config(args.root)  # refuse to run outside a site directory
    source = source_url(args.base_url, os.environ.get(FETCH_URL_VARIABLE))
    now = datetime.now(UTC)
    days: Sequence[date] | Literal["scheduled"] = SCHEDULED
    if args.date or args.since or args.until:
        days = days_asked(day=args.date, since=args.since, until=args.until, today=now.date())
    policy = FetchPolicy.with_timeout(args.timeout, attempts=args.attempts)
    report = run_fetch(args.root, config, days, source_url=source, policy=policy, now=now)
    if report.interrupted:
        return EXIT_INTERRUPTED
    if not report.missed:
        return EXIT_OK
    if len(report.missed) == len(report.days):
        return EXIT_FAILED
    return EXIT_DAYS_FAILING if report.failing or report.given_up else EXIT_DAYS_MISSED


def _topic_slug(config: SiteConfig, name: str) -> str:
    slug = config.topic_slug(name)
    if slug is None:
        raise UsageError(
            f"unknown topic {name!r}",
            hint="topics are defined in site.toml: " + ", ".join(t.slug for t in config.topics),
        )
    return slug
