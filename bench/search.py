#!/usr/bin/env python3
"""Benchmark of the search index at 50,000 papers (method: bench/README.md; figures: HISTORY.md).

    python bench/search.py                          # work directory /tmp/search-bench
    python bench/search.py --work DIR --days 1000 --queries "rare word:gaussian,two words:a b"
    python bench/search.py --work DIR --names --queries-only   # authors and ids too, no new day
    python bench/search.py --work DIR --names --doubled --queries-only --rounds 3  # 100k papers
    python bench/search.py --work DIR --next-day LISTING   # WORK/site ingested already

Uses the sitegen on PATH (this checkout, installed). The corpus is the shared synthetic one
(../shared/bench/gen_corpus.py, 50 papers a day; the listings of /tmp/sitegen-bench are reused
when present, never changed). It ingests the days (unless WORK/site holds content), builds
the site once (cold) unless it has an index, then measures:

- indexing alone, cold: a fresh process makes every shard of the index into a scratch
  directory, on one Pagefind process per core (wall and CPU time, and the peak RSS of all
  its processes together, sampled every 100 ms);
- the first query in headless Chromium, from a fresh browser profile, on the built site
  served over HTTP: every byte of the index fetched from the page's load (it starts loading
  the index as it opens) to the first results shown,
  and each query's time from typing to results shown (the first page's cards: the page
  shows them at once), then the next page's, from a click on "Show more";
- the refresh after a month's end: the closed months' shard alone (made once a month);
- the refresh after one new day: `sitegen build` after ingesting day D+1 (pages, feeds and
  the index's changed shards in one publish), then the open shard's index alone.

With --names the search page served is WORK/site's, as built (its script carries the site's
values: delete WORK/site/public to measure a page changed since). With --doubled (and
--names) the index holds every record twice, the copy three years earlier: a site of six
years, 100,000 papers.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import replace
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED_BENCH = REPO.parent / "shared" / "bench"
KEPT_LISTINGS = Path("/tmp/sitegen-bench")

# Runs in a fresh process: the records as a build makes them, then the index alone: every
# shard ("all", cold), the open month's ("open", as a build after a new day makes) or the
# closed months' ("closed", as the first build after a month's end makes), on as many Pagefind
# processes as a build uses (one per core).
_INDEX_ONLY = r"""
import os, sys, time
from pathlib import Path
from sitegen.search_index import _search_records
from sitegen.cli import load_config
from sitegen.output_keys import paper_states
from sitegen.search import (
    CLOSED_DIRECTORY, OPEN_DIRECTORY, first_day, make_shard, search_topics, shard_layout,
    warm_up_shard, write_search_shards
)
from sitegen.site import assemble_site, papers_by_month
from sitegen.store import load_content
from sitegen.urls import Routes
root, scratch, which, names, doubled = (
    Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5] == "doubled"
)
config = load_config(root)
site = assemble_site(load_content(root), config)
records = _search_records(
    root, site, Routes(config.base_url), paper_states(site), papers_by_month(site), reuse=True
)
lines = [(first_day(site, i), records[i]) for i in site.ids]
if names == "names":
    import json
    sys.path.insert(0, str(Path(sys.argv[6])))
    from search import doubled_records, name_samples, with_names
    lines = with_names(lines)
    (scratch.parent / "names.json").write_text(json.dumps(name_samples(lines)))
    if doubled:
        lines = doubled_records(lines)
started, times = time.perf_counter(), os.times()
kept = {"open": OPEN_DIRECTORY, "closed": CLOSED_DIRECTORY}.get(which)
topics = search_topics(site, Routes(config.base_url))
layout = shard_layout({day[:7] for day, _ in lines})  # as search_index.pending_index does
shards = [warm_up_shard([directory for _, directory, _ in layout], topics)] + [
    make_shard(period, directory, [line for day, line in lines if day[:7] in months])
    for period, directory, months in layout
]
shards = [s for s in shards if kept is None or s.directory == kept]
write_search_shards(shards, scratch, jobs=os.cpu_count() or 1)
cpu = sum(os.times()[:4]) - sum(times[:4])  # this process's and Pagefind's
print(time.perf_counter() - started, cpu, len(shards), sum(len(s.records) for s in shards))
"""


# The bench corpus's listings are text captures: no author names, no arXiv ids. With
# --names, the index the queries run on is made from the same records, each given a made-up
# arXiv id (numbered within its first day's month, as arXiv numbers them) and one to eight
# made-up authors, so that a query for an author or an id is measured too.
FIRST_NAMES = (
    "Wei Li Ana Maria Jun Yuki Omar Sara David Elena Hao Priya Lukas Chen Mateo Aisha "
    "Jonas Mei Ivan Fatima Noah Lin Rafael Ines Kenji Zara Tomas Yan Olga Amir Clara Min "
    "Diego Hana Felix Rosa Arjun Lea Bo Nadia Pavel Sofia Karim Julia Tao Marta Samuel "
    "Yara Leon"
)  # one space-separated string each
LAST_NAMES = (
    "Wang Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Luo Gao Liang "
    "Smith Johnson Garcia Martinez Rossi Muller Schmidt Dubois Kim Park Lee Choi Tanaka "
    "Suzuki Sato Ito Kumar Singh Patel Sharma Ivanov Petrov Novak Silva Santos Costa "
    "Alvarez Moreno Romero Jensen Nielsen Larsen Cohen Levi Okafor Mensah Nguyen Tran Pham "
    "Kowalski Nowak Horvat Popescu Yilmaz Demir Haddad Rahman Hossain Ali Khan Ahmed "
    "Fischer Weber Becker Wagner Bauer Richter Klein Wolf Neumann Schwarz Zimmermann "
    "Kruger Hartmann"
)  # one space-separated string each


def with_names(lines: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The encoded search records, each with a made-up arXiv id and authors (see above)."""
    import random

    from sitegen.search import SearchRecord, name_words

    first_names, last_names = FIRST_NAMES.split(), LAST_NAMES.split()
    numbers: dict[str, int] = {}
    named = []
    for day, line in lines:
        record = SearchRecord.decoded(line)
        month = (day or "2026-01")[2:7].replace("-", "")
        numbers[month] = numbers.get(month, 0) + 1
        rng = random.Random(record.url)
        names = [
            f"{rng.choice(first_names)} {rng.choice(last_names)}" for _ in range(rng.randint(1, 8))
        ]
        authors = ", ".join(names)
        # As search_record holds them: the id, the names, then each as one word. The record
        # replaced, not spelt field by field: a field added to SearchRecord (`arxiv_id`)
        # broke a copy that named the others.
        arxiv_id = f"{month}.{numbers[month]:05d}"
        text = f"{arxiv_id}. {authors}. {name_words(names)}. {record.text}"
        named.append((day, replace(record, text=text, authors=authors, arxiv_id=arxiv_id)))
    return [(day, record.encoded()) for day, record in named]


def name_samples(lines: list[tuple[str, str]]) -> list[dict[str, str]]:
    """The arXiv id and first author of three papers spread over the shards: the queries of
    those kinds."""
    from sitegen.search import SearchRecord

    samples = []
    for at in (len(lines) // 10, len(lines) // 2, len(lines) * 9 // 10):
        arxiv_id, authors, _ = SearchRecord.decoded(lines[at][1]).text.split(". ", 2)
        samples.append({"id": arxiv_id, "author": authors.split(", ")[0]})
    return samples


def doubled_records(lines: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The records of --names twice: the copy three years earlier, at other addresses and
    arXiv ids (a site of six years, 100,000 papers at the bench's 50 a day)."""
    from sitegen.search import SearchRecord

    earlier = []
    for day, line in lines:
        record = SearchRecord.decoded(line)
        moved = f"{int(day[:4]) - 3}{day[4:]}" if day else day
        copy = replace(
            record,
            url=record.url.rstrip("/") + "-earlier/",
            text="9" + record.text[1:],  # the arXiv id: 2406.00143 is 9406.00143
            day=moved,
            arxiv_id=record.arxiv_id and "9" + record.arxiv_id[1:],
        )
        earlier.append((moved, copy.encoded()))
    return earlier + lines


# Queries of each kind (--queries): words in a few papers, in most, two words.
QUERIES = (
    "rare word:gaussian,rare word:hallucination,rare word:watermarking,"
    "common word:learning,common word:model,common word:language,"
    "two words:diffusion models,two words:reinforcement learning,two words:large language"
)


def run(command: list[str], *, cwd: Path | None = None) -> tuple[float, float, int, str]:
    """Wall seconds, CPU seconds, peak RSS (KiB) of all its processes together (sampled every
    100 ms: the cold index runs two Pagefind processes at once), and stdout of `command`."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, text=True)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.1):
            peak[0] = max(peak[0], _tree_rss_kib(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    done.set()
    sampler.join()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(command)}\n{out}")
    cpu = usage.ru_utime + usage.ru_stime  # its children's too: Pagefind is waited for
    return time.perf_counter() - started, cpu, max(peak[0], usage.ru_maxrss), out


def _tree_rss_kib(root: int) -> int:
    """The resident memory of `root` and every process under it, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError, ValueError, IndexError):
            stat = (entry / "stat").read_text()
            children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry.name))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        with contextlib.suppress(OSError, ValueError, IndexError):
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1])
        stack.extend(children.get(pid, ()))
    return total * os.sysconf("SC_PAGE_SIZE") // 1024


def listings(days: int, work: Path) -> list[Path]:
    """D+1 days of listings: the shared bench's when kept, else generated here."""
    for kept in (KEPT_LISTINGS / f"listing-{days + 3}", work / "listings"):
        files = sorted(kept.glob("*.txt"))
        if len(files) > days:
            return files[: days + 1]
    subprocess.run(
        [sys.executable, str(SHARED_BENCH / "gen_corpus.py"), "-D", str(days + 1), "-P", "50",
         "-f", "listing", "-o", str(work / "listings")],
        check=True,
    )  # fmt: skip
    return sorted((work / "listings").glob("*.txt"))[: days + 1]


def site_with(work: Path, days: list[Path]) -> Path:
    site = work / "site"
    fresh = not (site / "content" / "days").is_dir()
    if fresh:
        shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "site.toml", site / "site.toml")  # this checkout's, every run
    shutil.rmtree(site / "templates", ignore_errors=True)
    shutil.copytree(REPO / "templates", site / "templates")
    if fresh:
        run(["sitegen", "--root", str(site), "ingest", *map(str, days)])
    return site


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def browse(public: Path, queries: list[tuple[str, str]]) -> list[dict[str, object]]:
    """Per (kind, query), in a fresh browser: bytes fetched until its results show, and its
    time, first and warm: from typing to results shown, and the page's main thread's CPU
    time meanwhile (Chromium's ThreadTime: steadier than wall time on a loaded machine)."""
    from playwright.sync_api import sync_playwright

    chromium = next(filter(None, map(shutil.which, ("chromium", "chromium-browser"))))
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=public))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/search/"
    found = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for kind, query in queries:
            page = browser.new_context().new_page()
            devtools = page.context.new_cdp_session(page)
            devtools.send("Performance.enable")

            def thread_time(devtools: object = devtools) -> float:
                metrics = devtools.send("Performance.getMetrics")["metrics"]  # type: ignore[attr-defined]
                return next(m["value"] for m in metrics if m["name"] == "ThreadTime")

            fetched: dict[str, int] = {}
            page.on("requestfinished", functools.partial(_count, fetched))
            page.goto(url)
            page.wait_for_load_state("networkidle")
            # The page starts loading the index as it opens: those bytes are the first query's.
            page_bytes = sum(v for u, v in fetched.items() if "/pagefind/" not in u)
            for u in [u for u in fetched if "/pagefind/" not in u]:
                del fetched[u]
            times, cpu = [], []
            for attempt in range(3):  # the first is cold: it loads the index's start
                page.fill("#search-query", "")
                page.wait_for_timeout(300)
                cpu_before = thread_time()
                started = page.evaluate("performance.now()")
                page.fill("#search-query", query)
                page.wait_for_function(
                    "document.querySelector('#search-status').textContent.includes('match')"
                )
                ended = page.evaluate("performance.now()")
                cpu.append(1000 * (thread_time() - cpu_before))
                times.append(ended - started - 120)  # the page waits 120 ms for more typing
                if attempt == 0:
                    page.wait_for_load_state("networkidle")
                    first = dict(fetched)
            status = page.inner_text("#search-status")
            cards = page.locator("#search-results article").count()
            # The next page, where the page shows results in pages (templates/search.html):
            # from the click on "Show more" to its results shown, and the bytes it fetched.
            more_ms = more_bytes = None
            if page.locator("#search-more").is_visible():
                fetched.clear()
                started = page.evaluate("performance.now()")
                page.click("#search-more")
                page.wait_for_function(
                    f"document.querySelectorAll('#search-results article').length > {cards}"
                )
                more_ms = round(page.evaluate("performance.now()") - started, 1)
                page.wait_for_load_state("networkidle")
                more_bytes = sum(fetched.values())
            found.append(
                {
                    "kind": kind,
                    "query": query,
                    "status": status,
                    "page_bytes": page_bytes,
                    "first_query_bytes": sum(first.values()),
                    "first_query_files": len(first),
                    # Pagefind documents opened: a full name opened 30 to 35 before
                    "first_query_fragments": sum("/fragment/" in u for u in first),
                    "largest": sorted(first.items(), key=lambda kv: -kv[1]),
                    "ms": [round(t, 1) for t in times],
                    "main_thread_cpu_ms": [round(t) for t in cpu],
                    "cards": cards,  # results on screen when "ms" is taken
                    "more_ms": more_ms,
                    "more_bytes": more_bytes,
                }
            )
            page.context.close()
        browser.close()
    server.shutdown()
    return found


def _count(fetched: dict[str, int], request: object) -> None:
    from playwright.sync_api import Error

    # A request may end as its page is closed, after the measurements: it has no body then.
    with contextlib.suppress(Error):
        fetched[request.url] = _wire(request)  # type: ignore[attr-defined]


def _wire(request: object) -> int:
    """Bytes as GitHub Pages sends them: Pagefind's chunks are gzipped already; scripts and
    JSON it compresses on the way (gzip -6 stands in for it)."""
    response = request.response()  # type: ignore[attr-defined]
    body = response.body() if response else b""
    if body[:2] == b"\x1f\x8b":
        return len(body)
    return len(gzip.compress(body, 6))


def index_alone(
    site: Path, scratch: Path, *, shards: str, names: bool = False, doubled: bool = False
) -> dict[str, object]:
    """Make the index's `shards` ("all": a cold index; "open": the refresh after a new day;
    "closed": after a month's end) in a fresh process, into `scratch`; with `names`, of the
    records `with_names` (`doubled_records` too with `doubled`), and kept."""
    shutil.rmtree(scratch, ignore_errors=True)
    records = ["names" if names else "as built", "doubled" if doubled else "once"]
    command = [sys.executable, "-c", _INDEX_ONLY, str(site), str(scratch), shards, *records]
    command.append(str(Path(__file__).parent))
    wall, cpu, rss, out = run(command)
    seconds, index_cpu, made, papers = out.split()
    sizes = [p.stat().st_size for p in scratch.rglob("*") if p.is_file()]
    if not names:
        shutil.rmtree(scratch)
    return {
        "seconds": round(float(seconds), 1),  # the index alone, once the records are read
        "cpu_seconds": round(float(index_cpu), 1),
        "process_seconds": round(wall, 1),  # reading the content and the records too
        "process_cpu_seconds": round(cpu, 1),
        "peak_rss_mib": round(rss / 1024),  # all processes together
        "shards": int(made),
        "papers": int(papers),
        "files": len(sizes),
        "mb": round(sum(sizes) / 1e6, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/search-bench"))
    parser.add_argument("--days", type=int, default=1000)
    parser.add_argument(
        "--queries",
        default=QUERIES,
        help="kind:query,... (with --names, the author and arXiv id queries are added)",
    )
    parser.add_argument(
        "--names",
        action="store_true",
        help="query an index of the same records with made-up authors and arXiv ids",
    )
    parser.add_argument(
        "--next-day", type=Path, help="the new day's listing (default: the one after the days)"
    )
    parser.add_argument(
        "--doubled",
        action="store_true",
        help="with --names: every record twice, the copy three years earlier (six years)",
    )
    parser.add_argument(
        "--rounds", type=int, default=1, help="rounds of the queries, each in a fresh browser"
    )
    parser.add_argument("--queries-only", action="store_true", help="no new day's refresh")
    args = parser.parse_args()
    if args.doubled and not args.names:
        parser.error("--doubled needs --names")
    args.work.mkdir(parents=True, exist_ok=True)
    files = listings(args.days, args.work)
    site = site_with(args.work, files[: args.days])
    next_day = args.next_day or (files[args.days] if len(files) > args.days else None)
    results: dict[str, object] = {"load": os.getloadavg()}
    public = site / "public"
    if not (public / "pagefind" / "pagefind-entry.json").exists():
        seconds, cpu, rss, out = run(["sitegen", "--root", str(site), "build"])
        results["cold build"] = {
            "seconds": round(seconds, 1),
            "cpu_seconds": round(cpu, 1),
            "peak_rss_mib": round(rss / 1024),
            "out": out.strip(),
        }
    scratch = args.work / "index-scratch"
    named = {"names": args.names, "doubled": args.doubled}
    results["index alone"] = index_alone(site, scratch, shards="all", **named)
    queries = []
    for asked in args.queries.split(","):
        kind, _, query = asked.rpartition(":")  # "rare word:gaussian", or a query alone
        queries.append((kind or "word", query))
    served = public
    if args.names:  # the built search page, on the index with names
        served = args.work / "named-site"
        shutil.rmtree(served, ignore_errors=True)
        shutil.copytree(public / "search", served / "search")
        for name in ("style.css", "favicon.svg"):
            shutil.copy(public / name, served / name)
        scratch.rename(served / "pagefind")
        for sample in json.loads((args.work / "names.json").read_text()):
            queries += [("author", sample["author"]), ("arXiv id", sample["id"])]
    results["queries"] = [
        {"round": number + 1, **found}
        for number in range(args.rounds)
        for found in browse(served, queries)
    ]
    # The first build after a month's end makes the closed months' shard again (once a month).
    month_end = args.work / "index-closed"
    results["month's end, index alone"] = index_alone(site, month_end, shards="closed", **named)
    shutil.rmtree(month_end, ignore_errors=True)
    if next_day is not None and not args.queries_only:
        run(["sitegen", "--root", str(site), "ingest", str(next_day)])
        seconds, cpu, rss, out = run(["sitegen", "--root", str(site), "build"])
        build = re.search(r"in ([\d.]+) s\n", out)
        results["new day"] = {
            "seconds": round(seconds, 1),
            "cpu_seconds": round(cpu, 1),
            "peak_rss_mib": round(rss / 1024),
            "build_s": build and float(build.group(1)),  # pages, feeds and index: one publish
            "out": out.strip(),
        }
        results["new day, index alone"] = index_alone(site, scratch, shards="open")
    results["load after"] = os.getloadavg()
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
