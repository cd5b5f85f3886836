"""Worker processes, one per core, for the large amounts of work of a build: parsing the
files the cache does not hold, matching topics, and rendering (the cold-build budget, no slower
than Hugo at 50,000 papers, needs them). They start only when a stage has enough work to repay
their start. A full build's workers, started at its beginning, are forked from the build itself
when it runs no other thread; others from a fork server (where there is one: spawned
otherwise): forking a process with live threads (the preview server, the progress bar) can
deadlock. A worker ends itself when the build that started it dies, even by kill -9.

Papers reach the workers pickled as their fields' values (`pickled_paper`)."""

from __future__ import annotations

import copyreg
import dataclasses
import gc
import io
import os
import pickle
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

from sitegen.errors import UsageError
from sitegen.model import Paper

if TYPE_CHECKING:
    import multiprocessing.context
    from concurrent.futures import ProcessPoolExecutor

PARALLEL_FROM = 2_000  # files to parse, papers to match or outputs to render: workers cost ~1 s
# Papers from which a full render starts the workers at the beginning of the build, and
# papers to match or outputs to render from which they are used then: their start (the fork
# server's imports, 0.4 s) overlaps the reading of the content, so matching and rendering
# 1,000 papers in them repays it (the cold-build budget, no slower than Hugo at 1k papers).
# Parsing 1,000 papers would wait for them: that takes less than their start.
START_EARLY_FROM = 500
_T = TypeVar("_T")
_R = TypeVar("_R")


class Workers:
    """Worker processes, started only when a stage has enough work to repay starting them."""

    def __init__(self, jobs: int | None) -> None:
        if jobs is not None and jobs < 1:
            raise UsageError(f"--jobs {jobs}: the number of worker processes is 1 or more")
        self.count = jobs if jobs is not None else (os.cpu_count() or 1)
        self.threshold = 1 if jobs is not None else PARALLEL_FROM
        self.started_threshold = self.threshold  # lower once they are started early
        self._pool: ProcessPoolExecutor | None = None
        self._fork = False  # forked from this process (see start_early)

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start_early(self, *, papers: int, warm_up: Callable[[], None]) -> None:
        """Start the workers now, if a build of this many papers will use them: they get
        ready (`warm_up`) while this process reads the content."""
        early = min(self.threshold, START_EARLY_FROM)
        if self.count > 1 and papers >= early:
            self.started_threshold = early
            # Forked from this process, when it runs no other thread and holds no lock of the
            # content yet (a forked worker would hold it too), not from a fork server: the
            # server's start imported sitegen again (the cold-build budget, no slower than
            # Hugo at 1k papers: 0.35 CPU-s, before any worker could start).
            self._fork = _can_fork()
            for _ in range(self.count):  # the pool starts a process per call it is given
                self._started().submit(warm_up)

    def stop(self) -> None:
        """End the worker processes, giving their memory back; a later map starts new ones."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
            self._fork = False  # a later start: the build runs threads by then
            _stop_fork_server()

    def map(
        self,
        function: Callable[[Sequence[_T]], _R],
        items: Sequence[_T],
        *,
        if_started: bool = False,
    ) -> Iterator[_R]:
        """`function` of chunks of `items`, in order: in the workers when there are enough
        (fewer with `if_started`, when they were started early), else of all of them here.
        A few chunks per worker even out their speeds."""
        if not self.worth_it(items, if_started=if_started):
            return map(function, [items] if items else [])
        size = self.chunk_size(items, len(items))
        return self.map_chunks(function, [items[i : i + size] for i in range(0, len(items), size)])

    def worth_it(self, items: Sequence[object], *, if_started: bool = False) -> bool:
        threshold = self.started_threshold if if_started else self.threshold
        return self.count > 1 and len(items) >= threshold

    def map_chunks(self, function: Callable[[_T], _R], chunks: Sequence[_T]) -> Iterator[_R]:
        """`function` of each chunk, in order, in the workers."""
        return self._started().map(function, chunks)

    def _started(self) -> ProcessPoolExecutor:
        if self._pool is None:
            from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415 (_worker_context)

            self._pool = ProcessPoolExecutor(
                max_workers=self.count,
                mp_context=_worker_context(fork=self._fork),
                initializer=_worker_started,
            )
        return self._pool

    def chunk_size(self, items: Sequence[object], most: int) -> int:
        return max(1, min(most, -(-len(items) // (4 * self.count))))


@contextmanager
def without_cycle_collection() -> Iterator[None]:
    """Run a batch of work without the cyclic garbage collector.

    Ingest and build make millions of objects that live until the run ends and hold almost
    no cycles; the collector would walk them over and over for nothing (a fifth to half of
    the run at 50,000 papers). The block's survivors, its cycles among them, are aged into
    the oldest generation, which the collector's own threshold then seldom reaches: a process
    that goes on after the block (`sitegen serve`) collects them itself.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # Age the survivors without a scan, or the first collection would walk them all.
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()


def return_freed_memory() -> None:
    """Give the memory this process has freed back to the system, which glibc keeps otherwise
    (each thread that read from the workers or Pagefind has an arena of its own). The memory
    budget: a cold 50k build's main process peaks at about 400 MiB with it, 450 without."""
    if sys.platform.startswith("linux"):
        import ctypes  # noqa: PLC0415 (see _worker_context)

        trim = getattr(ctypes.CDLL(None), "malloc_trim", None)  # glibc's; musl has none
        if trim is not None:
            trim(0)


def _can_fork() -> bool:
    """Whether workers can be forked from this process: on Linux (where fork is the default,
    and safe), with no other thread running."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


def _worker_context(*, fork: bool) -> multiprocessing.context.BaseContext:
    """Workers forked from this process (`fork`: see Workers.start_early), else from a
    server process that imported sitegen once, not each started as a new interpreter that
    imports it (the cold-build budget, no slower than Hugo at 1k papers: 0.3 s of CPU per
    worker). The server is started like a spawned worker, never forked from this process
    and its threads. Spawn where there is no fork (Windows). multiprocessing is imported
    here, when workers are first needed: a rebuild starts none (the rebuild budget, under
    2 s at 50k papers: its import took 0.03 s of CPU)."""
    import multiprocessing  # noqa: PLC0415

    if fork:
        return multiprocessing.get_context("fork")
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # sitegen.build imports everything a worker runs but what a render imports only when it
    # first renders an abstract or a feed.
    context.set_forkserver_preload(["sitegen.build", "markdown_it", "feedgen.feed"])
    return context


def _stop_fork_server() -> None:
    """End the fork server, if one runs, and wait for it: its memory is given back (the
    memory budget), and its workers' CPU time is counted in this process's children's, as a
    spawned worker's is. The next pool starts a new one."""
    module = sys.modules.get("multiprocessing.forkserver")  # imported when one was started
    server = getattr(module, "_forkserver", None)
    stop = getattr(server, "_stop", None)  # private, but in every Python since 3.8
    if stop is not None:
        stop()


def _worker_started() -> None:
    """In a worker, first: exit as soon as the build that started it is gone. A build killed
    with -9 cannot stop its workers, and they would keep rendering for nothing (issue #15)."""
    gc.enable()  # off in the command it was forked from (without_cycle_collection)
    # The end of a pipe the build holds open, which reads as closed once the build is gone:
    # whether the worker was spawned, forked from the build or from the fork server (which
    # outlives the build while a worker does). prctl(PR_SET_PDEATHSIG) is Linux-only and
    # fires when the thread that started the worker ends, not the build.
    import multiprocessing.connection  # noqa: PLC0415 (see _worker_context)

    build = multiprocessing.parent_process()
    if build is None:
        return  # not a worker

    def watch() -> None:
        multiprocessing.connection.wait([build.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="sitegen-parent-watch", daemon=True).start()


_PAPER_FIELDS = tuple(field.name for field in dataclasses.fields(Paper))
_BY_FIELDS = {
    **copyreg.dispatch_table,
    Paper: lambda p: (_paper, tuple(getattr(p, name) for name in _PAPER_FIELDS)),
}


def pickled_paper(paper: Paper) -> bytes:
    """`paper` pickled as its fields' values, which unpickle twice as fast as the dataclass's
    own state (the cold-build budget: 4% of a cold build's CPU at 10k papers was unpickling)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _BY_FIELDS
    pickler.dump(paper)
    return buffer.getvalue()


def _paper(*values: object) -> Paper:
    return Paper(**dict(zip(_PAPER_FIELDS, values, strict=True)))  # type: ignore[arg-type]
