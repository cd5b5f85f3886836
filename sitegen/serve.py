"""`sitegen serve`: build, serve public/ on 127.0.0.1, rebuild on change, reload the browser.

The served files are exactly what `sitegen build` writes (pages link relatively, so they work
at "/"); the reload script is added to HTML responses on the way out, never to the files.
Missing paths get 404.html with status 404, and "about" is about.html, as GitHub Pages does.
A build that fails keeps the last good site served; with none yet, every page says why the
build failed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import functools
import gc
import html
import ipaddress
import re
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import watchfiles

from sitegen.build import BuildReport, build_site
from sitegen.config import SiteConfig, required_base_url, site_url
from sitegen.errors import ContentError, OutputLost, SitegenError, UsageError, printable, reason_of
from sitegen.file_states import is_hidden
from sitegen.layout import CONFIG_FILE, CONTENT_DIR, STATIC_DIR, TEMPLATES_DIR
from sitegen.output_folder import check_output, output_directory
from sitegen.reports import (
    build_changes,
    index_note,
    paths_said,
    say_build_notes,
    say_built,
    say_error,
    say_remade,
)
from sitegen.search_index import publish_after_pages
from sitegen.transaction import no_more_changes
from sitegen.workers import without_cycle_collection

# What tells a watched file's new version from its old: inode, mtime and size (None: gone).
Stamp = tuple[int, int, int] | None

RELOAD_PATH = "/__sitegen__/generation"
# The build a page is of is written into it, read before its file: a rebuild that ended before
# the first poll was taken for the page's own and never shown.
_RELOAD_SCRIPT = """<script>
(() => {  // sitegen serve: reload when a rebuild finishes
  const built = "%s";
  setInterval(async () => {
    try {
      const answer = await fetch("%s", {cache: "no-store"});
      const now = answer.ok ? (await answer.text()).trim() : "";
      // A build's number only: behind a proxy the path may answer a page of its own.
      if (/^[0-9]+-[0-9]+$/.test(now) && now !== built) location.reload();
    } catch (error) {}
  }, 700);
})();
</script>
"""
# Over the last good site while the last build failed, which only the terminal said.
_FAILED_BANNER = """<div id="sitegen-serve-failed" role="alert" style="position:fixed;\
inset:auto 0 0 0;z-index:2147483647;max-height:40vh;overflow:auto;margin:0;padding:.75em 1em;\
background:#fff0f0;color:#8a1111;border-top:3px solid #c00;font:14px/1.45 system-ui,sans-serif;\
white-space:pre-wrap">\
<strong>The last build failed</strong>: this is the last good site. Fix it and save.
%s</div>
"""


@dataclass(frozen=True, slots=True)
class Rebuilt:
    """A rebuild's outcome: the error that failed it, or None, and what to say of it, said once
    the pages served are of this build (said before, a page fetched on reading "rebuilt" could
    still carry the last failure's banner: a full test run under load)."""

    failure: str | None
    say: Callable[[], None]


class Generation:
    """A counter of builds, with the error of the last one if it failed, shared by the watcher
    and the request handlers."""

    def __init__(self) -> None:
        # Numbered within this run of serve: a page left open across a restart is of another
        # run's build 0, not of this one's.
        self._run = time.time_ns()
        self._value = 0
        self._failure: str | None = None
        self._lock = threading.Lock()

    def bump(self, failure: str | None = None) -> None:
        with self._lock:
            self._value += 1
            self._failure = failure

    @property
    def value(self) -> str:
        """The build served now, as pages and the reload poll name it: `<run>-<build>`."""
        with self._lock:
            return f"{self._run}-{self._value}"

    @property
    def failure(self) -> str | None:
        with self._lock:
            return self._failure


# Every kind of file sitegen writes, typed as GitHub Pages types it, not by this machine's
# /etc/mime.types (which has no .opml: feeds.opml went out as application/octet-stream).
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".opml": "text/x-opml; charset=utf-8",
    ".svg": "image/svg+xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".gz": "application/gzip",
    # Pagefind's index: binary (compressed) files its script fetches.
    ".pagefind": "application/octet-stream",
    ".pf_meta": "application/octet-stream",
    ".pf_index": "application/octet-stream",
    ".pf_fragment": "application/octet-stream",
}


class PreviewHandler(SimpleHTTPRequestHandler):
    extensions_map = CONTENT_TYPES
    generation: Generation
    # The site's own path on its host ("/repo/" for a GitHub Pages project site): the site is
    # served there alone, as its host serves it; "/" leads there.
    subpath: Callable[[], str]  # read at each request: an edit of site.toml may change it
    # Its paths before an edit of base_url moved it (decoded; never "/", under which every
    # address is): a page open there follows it (a trial).
    moved_from: list[str]

    def handle(self) -> None:
        try:
            super().handle()
        except ConnectionError:  # the browser went away mid-answer (a reload): not an error
            self.close_connection = True

    head_only = False  # a HEAD request: the headers a GET would send, no body

    def do_HEAD(self) -> None:
        self.head_only = True
        self.do_GET()

    def end_headers(self) -> None:
        # Every answer asked again before it is used: a stylesheet edited was kept fresh by its
        # Last-Modified and not shown at the reload. Not no-store, which
        # kept Back from showing a page as it was left.
        self.send_header("Cache-Control", "no-cache")
        # As GitHub Pages answers every file: a script of another origin may read the API and
        # the feeds (its fetch() was blocked here and not there).
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()

    def do_GET(self) -> None:
        built = self.generation.value  # before the file is read: see _RELOAD_SCRIPT
        requested = self.path
        outside = False  # of the site's path: a 404, as on GitHub Pages
        site = unquote(self.subpath())  # compared as asked: "/caf%C3%A9/" is "/café/"
        if site != "/" and self.path != RELOAD_PATH:
            asked = urlsplit(self.path)
            within = unquote(asked.path)
            if within + "/" == site:
                self._redirect_to_directory(requested)  # as GitHub Pages: /repo to /repo/
                return
            if within == "/":  # the address one types: to the site's (for a while: browsers
                self._redirect(HTTPStatus.FOUND, quote(site))  # keep a 301 past an edit)
                return
            # The site at its path alone: served at "/" as well, a page's relative link to
            # "papers/" of a site at "/papers/" named two pages, and a
            # link climbing out of the site worked here and not on GitHub Pages.
            outside = not within.startswith(site)
            if not outside:  # its path taken off, as many segments as asked
                rest = asked.path.split("/", site.count("/"))[-1]
                self.path = urlunsplit(asked._replace(path="/" + rest))
        if self.path == RELOAD_PATH:
            self._send(HTTPStatus.OK, built.encode(), "text/plain")
            return
        failure = self.generation.failure
        if failure is not None and not _is(Path(self.directory) / "index.html", Path.is_file):
            # No site to fall back on (the first build failed): say why, wherever one looks.
            page = _FAILURE_PAGE % _utf8(html.escape(failure))
            reloading = _reloading(page, built, None)
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, reloading, CONTENT_TYPES[".html"])
            return
        path = Path(self.translate_path(self.path))  # a trailing slash dropped by Path
        as_folder = urlsplit(self.path).path.endswith("/")
        if not outside and _is(path, Path.is_dir):
            if not as_folder:
                self._redirect_to_directory(requested)
                return
            path, as_folder = path / "index.html", False
        # A page asked without its ".html" ("about" for static/about.html) is that page, as
        # GitHub Pages serves it: a link that works there was a 404 here (a forker's trial).
        if not (outside or as_folder or _is(path, Path.is_file)):
            with_suffix = path.with_name(path.name + ".html")
            path = with_suffix if _is(with_suffix, Path.is_file) else path
        # A file asked as a folder ("atom.xml/") is none, as on GitHub Pages: it was Python's
        # bare error page, or a page whose relative links were a folder too deep (a trial).
        if outside or as_folder or not _is(path, Path.is_file):
            if moved := self._moved(requested):  # a page open before base_url's path changed
                self._redirect(HTTPStatus.FOUND, moved)
                return
            path, status = Path(self.directory) / "404.html", HTTPStatus.NOT_FOUND
        else:
            status = HTTPStatus.OK
        if path.suffix != ".html":
            # Sent whole, as pages are: Last-Modified counts whole seconds, and a stylesheet
            # saved twice within one was answered 304, the first save's kept (a review).
            del self.headers["If-Modified-Since"]
            if self.head_only:
                super().do_HEAD()
            else:
                super().do_GET()
            return
        body = path.read_bytes() if path.is_file() else b"Not found"
        self._send(status, _reloading(body, built, failure), CONTENT_TYPES[".html"])

    def _moved(self, requested: str) -> str | None:
        """Where `requested`, which is no page of the site, is now, if it was asked under a
        path the site was served at before an edit of base_url (a trial: such a page reloaded
        into a 404); its query kept (a search's). Only to a page the site has: a missing one
        led into the site again and again (a review), and is a 404."""
        asked = urlsplit(requested)
        within = unquote(asked.path)
        site = unquote(self.subpath())
        for old in self.moved_from:
            # An old root typed without its slash ("/old") is that root too.
            rest = "" if within + "/" == old else within.removeprefix(old)
            # Within public/ alone: "/old//etc/passwd" left an absolute path (a review).
            if old == site or rest == within or rest.startswith("/") or ".." in rest.split("/"):
                continue
            there = Path(self.directory, rest)
            if _is(there, Path.is_file) or _is(there / "index.html", Path.is_file):
                return urlunsplit(("", "", quote(site + rest), asked.query, ""))
        return None

    def _redirect_to_directory(self, requested: str) -> None:
        """301 to the slash-terminated URL, under the subpath it was asked under (the standard
        redirect would name the path with the subpath taken off)."""
        parts = urlsplit(requested)
        self._redirect(
            HTTPStatus.MOVED_PERMANENTLY, urlunsplit(parts._replace(path=parts.path + "/"))
        )

    def _redirect(self, status: HTTPStatus, location: str) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: HTTPStatus, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not self.head_only:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # the terminal shows builds, not every request


_FAILURE_PAGE = b"""<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>The build failed - sitegen serve</title>
<body>
<h1>The build failed</h1>
<pre>%s</pre>
<p>Fix it and save: this page reloads when the site is built.</p>
</body>
</html>
"""


class _Server(ThreadingHTTPServer):
    # Connections the system holds until the server takes them: socketserver's 5 dropped the
    # rest of a burst (a page's files, the search page's index chunks, each browser's reload
    # poll), and a dropped connection waits a second for the system to try again.
    request_queue_size = 128


class _IPv6Server(_Server):
    address_family = socket.AF_INET6


def _reloading(page: bytes, built: str, failure: str | None) -> bytes:
    """`page`, of the build numbered `built`, with the script that reloads it after a rebuild,
    and the `failure` of the last build, if it failed, over it."""
    added = _RELOAD_SCRIPT % (built, RELOAD_PATH)
    if failure is not None:
        added = _FAILED_BANNER % html.escape(failure) + added
    # Before the body's end tag, in any case; at the end of a page without one (HTML lets a
    # template leave it out), which browsers read as the body's too: a page with no script
    # never reloaded again, nor showed a failed build (a trial).
    end = _BODY_END.search(page)
    at = end.start() if end else len(page)
    return page[:at] + _utf8(added) + page[at:]


_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


def _utf8(text: str) -> bytes:
    # An error may name a file whose name is not UTF-8 ("caf\udce9.md", as Python reads it):
    # said as such, where encoding it failed the answer.
    return text.encode(errors="backslashreplace")


def _is(path: Path, test: Callable[[Path], bool]) -> bool:
    """`test(path)`, False for a path the system refuses (5,000 characters: issue #19)."""
    try:
        return test(path)
    except OSError:  # a name too long, say: no such page
        return False


def serve_site(root: Path, *, configured: Callable[[], SiteConfig], host: str, port: int) -> None:
    """Build the site at `root` into its public/, serve it on host:port and build it again on
    every change to its content, templates, static files or site.toml (`configured` reads it),
    until interrupted."""
    out = root / "public"
    # An output no build may replace (another's files) is no fix away: one line, nothing served.
    check_output(output_directory(out), root=root)
    preview = _Preview(root, out, configured)
    try:
        serve(
            public=out,
            watch=(root / CONTENT_DIR, root / TEMPLATES_DIR, root / STATIC_DIR, root / CONFIG_FILE),
            skip_hidden_in=(root / CONTENT_DIR,),  # as the content's reading does
            build=preview.build,
            rebuild=preview.rebuild,
            host=host,
            port=port,
            announce=lambda line: print(line, flush=True),
            subpath=lambda: preview.site_path,
            bound=preview.listening_at,
        )
    except KeyboardInterrupt:
        if not preview.serving.is_set():
            raise  # the first build was interrupted: said as for `sitegen build`
        no_more_changes()  # the search index its thread is publishing, if any, is whole
        print("stopped", flush=True)


class _Preview:
    """The builds of `sitegen serve`, each said as it ends. The search index is made after the
    pages, in the background, the newest build's only: an edit shows as soon as its pages are
    published (issue #16)."""

    def __init__(self, root: Path, out: Path, configured: Callable[[], SiteConfig]) -> None:
        self.root, self.out, self.configured = root, out, configured
        self.site_path = "/"  # base_url's path, where the site is served: the last good one's
        self.base_url = ""
        # The preview's own address (http://127.0.0.1:8000/), the base URL of a site.toml
        # without one, as `hugo server`'s and `mkdocs serve`'s: a site whose URL only the
        # publish workflow gives (--base-url) is previewed at / and its feeds link the preview.
        self.own_url = ""
        self.at_own_url = False  # whether the last good build was built for it
        self.serving = threading.Event()  # set once the first build has ended
        self.builds = 0
        self.one_index_at_a_time = threading.Lock()

    def listening_at(self, origin: str) -> None:
        """Told the address the server listens at, before the first build."""
        self.own_url = site_url(origin) or origin

    def build(self) -> str | None:
        """The first build, once the port is taken: the error that failed it, or None. Ctrl-C
        meanwhile stops serve as it stops `sitegen build` (`serving` is not set)."""
        started = time.perf_counter()
        try:
            report = self._built()
        except SitegenError as error:  # serve the last good site, or why there is none
            say_error(error)
            served = (
                "the last good site is served"
                # _is: a public/ listed but not entered (mode 444) has no page to serve;
                # Path.is_file raised PermissionError, a traceback (a review).
                if _is(self.out / "index.html", Path.is_file)
                else "each page says why the build failed"
            )
            print(f"  {served}; saving a fix rebuilds it", file=sys.stderr, flush=True)
            self.serving.set()
            return str(error)
        say_built(report, self.out, time.perf_counter() - started, index=index_note(report))
        # The pages link each other relatively; the feeds name the site's own URL, as a reader
        # needs (a new user's trial: a reader subscribed to the preview left for that URL).
        print(
            f"  the feeds and their items link base_url, {self.base_url}, not this preview"
            if not self.at_own_url
            else f"  no base_url in site.toml: the feeds and their items link this preview,"
            f" {self.base_url}",
            flush=True,
        )
        self._index_in_background(report)
        self.serving.set()
        return None

    def rebuild(self, changed: tuple[Path, ...]) -> Rebuilt:
        print(f"changed: {paths_said(changed, self.root)}", flush=True)
        started = time.perf_counter()
        try:
            report = self._built()
        except SitegenError as error:  # keep serving the last good site
            return Rebuilt(str(error), functools.partial(say_error, error))
        elapsed = time.perf_counter() - started

        def say() -> None:
            changes = f"{build_changes(report)}{index_note(report)}"
            print(f"rebuilt in {elapsed:.2f} s: {changes}", flush=True)
            say_remade(report, self.out)
            say_build_notes(report)  # a typo in site.toml's hidden ids, saved while serving
            self._index_in_background(report)

        return Rebuilt(None, say)

    def _built(self) -> BuildReport:
        try:
            with without_cycle_collection():
                config = self.configured()
                at_own_url = config.base_url is None
                if at_own_url:
                    config = dataclasses.replace(config, base_url=self.own_url or None)
                base_url = required_base_url(config, source=str(self.root / CONFIG_FILE))
                site_path = urlsplit(base_url).path or "/"
                if not self.serving.is_set():
                    # The first build's path stands for the site left in public/ (its own
                    # base_url unknown) should the build fail.
                    self.site_path = site_path
                report = build_site(self.root, config, out=self.out, search=False)
                # The site moves with the build that makes it: one that failed left the last
                # good site, built for its path (a trial: it was served at the new one, its
                # 404 page's stylesheet and links leading back to the old).
                self.base_url, self.site_path = base_url, site_path  # feeds name it
                self.at_own_url = at_own_url
                return report
        finally:
            # The build's cycles, aged into the oldest generation, which Python's own heuristic
            # never collected: serve grew by every build (a review: 217 MiB to 1.3 GiB in a
            # day of edits at 10,000 papers). A command's process ends; serve's goes on.
            gc.collect()

    def _index_in_background(self, report: BuildReport) -> None:
        self.builds += 1
        if report.search_index is not None:
            # A daemon thread: Ctrl-C never waits for an index (its leftovers are cleared next
            # time).
            args = (report, self.builds)
            threading.Thread(target=self._publish_index, args=args, daemon=True).start()

    def _publish_index(self, report: BuildReport, build: int) -> None:
        with self.one_index_at_a_time:
            if build != self.builds:
                return  # a newer build's index is on its way
            # A lost terminal stops the saying, not the serving: the index is published anyway.
            with contextlib.suppress(BrokenPipeError, OutputLost):
                try:
                    said = publish_after_pages(self.out, report.search_index, indexed=None)
                except SitegenError as error:
                    say_error(error)
                else:
                    print(said, flush=True)


def serve(
    *,
    public: Path,
    watch: Iterable[Path],
    skip_hidden_in: Iterable[Path] = (),
    build: Callable[[], str | None],
    rebuild: Callable[[tuple[Path, ...]], Rebuilt],
    host: str,
    port: int,
    announce: Callable[[str], None],
    subpath: Callable[[], str] = lambda: "/",
    bound: Callable[[str], None] = lambda origin: None,
) -> None:
    """Take host:port, call `build`, then serve `public` until interrupted, calling `rebuild`
    with the paths that changed whenever a watched path changes, but for hidden ones below the
    folders `skip_hidden_in`. `build` returns the error that failed it, or None; `rebuild`
    its outcome, said once its pages (or its failure) are the ones served.
    The site is served at `subpath` (the base URL's path) alone, as on its host. A busy port is an
    error before the build, not after it; `bound` is told the address it listens at
    (http://127.0.0.1:8000/) before the build."""
    generation = Generation()
    moved_from: list[str] = []
    shared = {"generation": generation, "subpath": staticmethod(subpath), "moved_from": moved_from}
    handler = type("Handler", (PreviewHandler,), shared)
    server = _listening_server(host, port, functools.partial(handler, directory=str(public)))
    watch = tuple(watch)
    files = {p.resolve() for p in watch if p.is_file()}
    # Before the first build: a file saved while it runs is built next (a review). A folder's
    # edit then is seen with the next change: the watch begins after the build, which serves
    # the site at once (a watch first, whose first yield waits for a quiet moment, kept a busy
    # folder's site unbuilt and unserved for as long as it was busy: a review).
    seen = file_stamps(files)
    to_open = _address_to_open(host, server)
    bound_port = server.server_address[1]
    bound(f"http://{_in_url(to_open)}:{bound_port}/")
    try:
        failure = build()
    except BaseException:  # Ctrl-C: let the port go (nothing serves it yet)
        server.server_close()
        raise
    if failure is not None:
        generation.bump(failure)
    thread = threading.Thread(target=server.serve_forever, name="sitegen-serve", daemon=True)
    thread.start()
    stop = threading.Event()
    watching = False

    def address() -> str:
        return f"http://{_in_url(to_open)}:{bound_port}{quote(unquote(subpath()))}"

    shown = printable(str(public))  # as errors name it: a folder's name may hold an escape

    # Whether the last build left a site: its deletion (rm -rf public) is a change to build,
    # once (a trial: every page was a bare "Not found" until another file was saved).
    site_left = _site_left(public, failure)

    def rebuilt(paths: tuple[Path, ...]) -> None:
        nonlocal site_left
        before = subpath()
        outcome = rebuild(paths)
        site_left = _site_left(public, outcome.failure)  # before it is said: see _site_left
        generation.bump(outcome.failure)
        outcome.say()
        if subpath() != before:  # base_url's path edited: the site moved, and so do its pages
            now, was = unquote(subpath()), unquote(before)
            moved_from[:] = [p for p in ([was] if was != "/" else []) + moved_from if p != now]
            announce(f"Serving {shown} at {address()} now")

    # Changes found as a watch ended, built once the next watch runs: a build before it
    # lost every edit made while it ran (a site.toml edit, then a paper's: never built).
    pending: tuple[Path, ...] = ()
    try:
        while not stop.is_set():
            # A watched path made after serve began (a fork started empty: content/ comes with
            # its first ingest) is looked for at each timeout, then watched.
            missing = [p for p in watch if not p.exists()]
            folders = {p: _identity(p) for p in watch if p.is_dir()}
            resolved = {p.resolve(): p for p in folders}
            # The watcher starts on the first iteration; its first (timed-out) yield proves it
            # runs, so the address is announced only when no edit can be missed any more.
            try:
                for changes in watchfiles.watch(
                    *[p for p in watch if p.exists()],
                    watch_filter=_NotHidden(skip_hidden_in),
                    stop_event=stop,
                    yield_on_timeout=True,
                    rust_timeout=200,
                ):
                    if not watching:
                        watching = True
                        announce(f"Serving {shown} at {address()} (Ctrl-C to stop)")
                    # A file replaced while its watch was made anew (below) sends no event: its
                    # stamp says it changed (a full test run under load missed a second save).
                    stamps = file_stamps(files)
                    changed = set(pending)
                    if changes or stamps != seen:
                        changed |= changed_paths(changes, files, seen, stamps)
                    if site_left and not _is(public, Path.is_dir):
                        changed.add(public)
                    seen = stamps  # before the build: an edit during it is seen
                    pending = ()
                    # The watch is made anew when what it watches was replaced: a file saved
                    # by an editor (sed -i, vim write a new file over the old), a watched
                    # path made, or a folder deleted (the README's `git rm -r content/...`) or
                    # made again while a build ran, even under its old inode (reused at
                    # once): known by the event naming it, or by its identity.
                    appeared = [p for p in missing if p.exists()]
                    named = {resolved.get(Path(path)) for _, path in changes}
                    replaced = [
                        p for p, was in folders.items() if p in named or _identity(p) != was
                    ]
                    if (
                        appeared
                        or replaced
                        or any(Path(path).resolve() in files for _, path in changes)
                    ):
                        pending = tuple(sorted({*changed, *appeared, *replaced}))
                        break
                    if changed:
                        rebuilt(tuple(sorted(changed)))
                else:
                    return
            except PermissionError as error:
                # A folder this user may not read (mode 000): a traceback after the first
                # build. watchfiles' message names it; a fix made now would go unseen.
                raise ContentError(
                    f"cannot watch the site for changes: {error}",
                    hint="fix the folder's permissions (ls -ld), then run sitegen serve again",
                ) from None
            except RuntimeError as error:
                # watchfiles' own, on a file whose name is not UTF-8 ("Unable to decode path"):
                # serve stopped with a traceback. The build names the file.
                if type(error).__name__ != "WatchfilesRustInternalError":
                    raise
                rebuilt(())
    finally:
        stop.set()
        server.shutdown()
        server.server_close()


def _site_left(public: Path, failure: str | None) -> bool:
    """Whether the build that ended with `failure` left a site in `public`. One that succeeded
    did, whatever public/ holds by now: looked at after the build was said, a public/ deleted
    on reading "built" or "rebuilt in" was taken for one no build had left, and never built
    again (a hunt for races under load). One that failed left the last good site, if any."""
    return failure is None or _is(public, Path.is_dir)


def _identity(path: Path) -> tuple[int, int] | None:
    """A folder's device and inode, None once it is gone: one made again is another."""
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_dev, found.st_ino


class _NotHidden(watchfiles.DefaultFilter):
    """watchfiles' filter (editors' swap files, `.git`), and no path hidden below `folders`,
    where the build reads none (a review: macOS's `._x.md` in content/ rebuilt the site for
    nothing; templates/ may include a hidden file, and a second review found it unwatched)."""

    def __init__(self, folders: Iterable[Path]) -> None:
        super().__init__()
        self.folders = [p.absolute() for p in folders]

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        if not super().__call__(change, path):
            return False
        changed = Path(path).absolute()
        for folder in self.folders:
            if changed.is_relative_to(folder):
                return not any(is_hidden(part) for part in changed.relative_to(folder).parts)
        return True


def changed_paths(
    changes: set[tuple[watchfiles.Change, str]],
    files: set[Path],
    seen: list[Stamp],
    stamps: list[Stamp],
) -> set[Path]:
    """What a batch of `changes` changed since the last build: the watched `files` whose stamps
    differ from those `seen` when it started, whatever their events say (a save seen by its stamp
    came again as events after its build, and was built twice: found by CI), and the other paths
    the events name, but an editor's temporary files."""
    by_stamp = {f for f, a, b in zip(sorted(files), seen, stamps, strict=True) if a != b}
    by_event = {Path(path) for _, path in changes if Path(path).resolve() not in files}
    return by_stamp | (by_event - transient_files(changes))


def transient_files(changes: set[tuple[watchfiles.Change, str]]) -> set[Path]:
    """Files made and deleted within one batch of changes and gone now: an editor's
    temporary file (sed -i's), which a "changed:" line named."""
    made = {path for change, path in changes if change == watchfiles.Change.added}
    gone = {path for change, path in changes if change == watchfiles.Change.deleted}
    return {Path(path) for path in made & gone if not Path(path).exists()}


def file_stamps(files: Iterable[Path]) -> list[Stamp]:
    """The stamps of `files`, in their sorted order."""
    stamps: list[Stamp] = []
    for path in sorted(files):
        try:
            info = path.stat()
        except OSError:
            stamps.append(None)
        else:
            stamps.append((info.st_ino, info.st_mtime_ns, info.st_size))
    return stamps


def _address_to_open(host: str, server: ThreadingHTTPServer) -> str:
    """The host of the address said to open: an unspecified one (0.0.0.0, ::, "0") listens on
    every interface and is no address to open (a trial: "at http://0.0.0.0:8000/"), so the
    loopback address of its family."""
    bound = str(server.server_address[0])
    with contextlib.suppress(ValueError):
        if ipaddress.ip_address(bound).is_unspecified:
            return "::1" if ":" in bound else "127.0.0.1"
    return host


def _in_url(host: str) -> str:
    """`host` as a URL writes it: an IPv6 address in brackets (http://[::1]:8000/)."""
    return f"[{host}]" if ":" in host else host


def _listening_server(
    host: str, port: int, handler: Callable[..., SimpleHTTPRequestHandler]
) -> ThreadingHTTPServer:
    """A server bound to host:port, or a UsageError that says why it cannot be (a busy port,
    an address this machine does not have)."""
    server = _IPv6Server if ":" in host else _Server  # --bind ::1
    try:
        return server((host, port), handler)
    except OSError as error:
        reason = reason_of(error)
        # The flag at fault first (a trial: a bad --bind was told to pick another port).
        if error.errno == errno.EADDRINUSE:
            hint = "pick another --port (0 picks a free one)"
        elif error.errno == errno.EACCES:
            hint = "pick a --port above 1023, or 0 for a free one"
        else:
            hint = "check --bind: an address of this machine, such as 127.0.0.1 or 0.0.0.0"
        raise UsageError(f"cannot serve on {_in_url(host)}:{port}: {reason}", hint=hint) from None
