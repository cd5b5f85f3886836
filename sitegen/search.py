"""Search: a lean record per paper, indexed by Pagefind into a static bundle under public/.

Pagefind (https://pagefind.app) writes an index of content-named chunks that the browser
fetches as a query needs them, so the site needs no server. It is fed one custom record per
paper built from the content, never the rendered pages: crawling 50,000 full pages took 55 s
and 5.9 GB (issue #16). A record holds what a reader searches by (title, authors,
organisation, keywords and the abstract's distinct words, capped: see `ABSTRACT_WORDS`) and
what a result shows (title, day, upvotes, topics) as metadata.

`search_record` is pure; `write_search_index` runs the Pagefind binary (the edge).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import re
import subprocess
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from sitegen.errors import BuildError, Location
from sitegen.site import Site
from sitegen.urls import Routes

INDEX_DIR = "pagefind"  # under public/; every file in it is the index's
# Pagefind's memory grows with (word, paper) pairs: at 50,000 papers whole abstracts took
# 5 GB to index, their first 30 distinct words 1.8 GB (the 2 GiB budget, bench/README.md).
ABSTRACT_WORDS = 24
_WORD = re.compile(r"\w{4,}")  # shorter words are mostly stop words


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchRecord:
    """One paper as the index holds it."""

    url: str  # the paper page, from the site root: "/papers/<id>/" (the search page resolves it)
    content: str  # the words a query matches
    title: str
    day: str  # the first day that featured it, ISO; "" if none
    upvotes: str  # "" when never reported
    topics: str  # names, ", "-separated

    def encoded(self) -> str:
        """The record as one JSON line: what is cached, and what the index key digests."""
        return json.dumps(
            [self.url, self.content, self.title, self.day, self.upvotes, self.topics],
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def decoded(cls, line: str) -> SearchRecord:
        url, content, title, day, upvotes, topics = json.loads(line)
        return cls(url=url, content=content, title=title, day=day, upvotes=upvotes, topics=topics)


def search_record(site: Site, routes: Routes, paper_id: str) -> SearchRecord:
    """What the index holds of a paper: its searchable words and what a result shows."""
    paper = site.papers[paper_id]
    names = {t.slug: t.name for t in site.config.topics}
    appearances = site.appearances.get(paper_id, ())
    abstract_words = dict.fromkeys(w.lower() for w in _WORD.findall(paper.abstract))
    content = ". ".join(
        part
        for part in (
            paper.title,
            ", ".join(paper.authors),
            paper.organization.name if paper.organization else "",
            ", ".join(paper.keywords),
            " ".join(list(abstract_words)[:ABSTRACT_WORDS]),
        )
        if part
    )
    return SearchRecord(
        url="/" + routes.paper(paper_id).url,
        content=content,
        title=paper.title,
        day=min(a.day for a in appearances).isoformat() if appearances else "",
        upvotes="" if paper.upvotes is None else str(paper.upvotes),
        topics=", ".join(names[slug] for slug in site.paper_topics[paper_id] if slug in names),
    )


def index_key(encoded_records: Iterable[str]) -> str:
    """A digest of everything the index is made from: its records and Pagefind's version."""
    digest = hashlib.blake2b(f"pagefind {pagefind_version()}".encode(), digest_size=12)
    for line in encoded_records:
        digest.update(b"\n" + line.encode())
    return digest.hexdigest()


def pagefind_version() -> str:
    try:
        return version("pagefind")
    except PackageNotFoundError:
        return "missing"


def write_search_index(records: Sequence[SearchRecord], directory: Path) -> None:
    """Index `records` with Pagefind into `directory`, which it creates."""
    executable = _pagefind_executable()
    process = subprocess.Popen(
        [str(executable), "--service"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    service = _Service(process)
    try:
        answer = service.ask({"type": "NewIndex", "config": {"force_language": "en"}})
        index = answer["index_id"]
        for record in records:
            service.tell(
                {
                    "type": "AddRecord",
                    "index_id": index,
                    "url": record.url,
                    "content": record.content,
                    "language": "en",
                    "meta": {
                        "title": record.title,
                        "day": record.day,
                        "upvotes": record.upvotes,
                        "topics": record.topics,
                    },
                    "filters": None,
                    "sort": None,
                }
            )
        files = service.ask({"type": "GetFiles", "index_id": index})["files"]
    finally:
        service.close()
    # Written here, not by Pagefind's WriteFiles: it answers before its writes are done, and
    # a service stopped then leaves files empty or cut short (seen in the tests).
    for file in files:
        path = _safe_path(file["path"])
        target = directory / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(file["content"]))


def _safe_path(path: str) -> str:
    """A path Pagefind names, inside the index directory (never trusted blindly)."""
    parts = path.split("/")
    if not path or "" in parts or "." in parts or ".." in parts or "\\" in path:
        raise BuildError(
            f"Pagefind named a file outside its directory: {path!r}",
            location=Location(INDEX_DIR),
            hint="reinstall with pip install 'pagefind[extended]'",
        )
    return path


def _pagefind_executable() -> Path:
    try:
        from pagefind.service import get_executable
    except ImportError:
        executable = None
    else:
        executable = get_executable()
    if executable is None:
        raise BuildError(
            "cannot build the search index: the Pagefind binary is missing",
            location=Location(INDEX_DIR),
            hint="pip install 'pagefind[extended]' (a dependency of sitegen)",
        )
    return executable


class _Service:
    """Pagefind's service protocol (what its Python API speaks): base64 JSON messages, each
    followed by a comma, on stdin and stdout.

    Spoken directly because the Python API reads one answer per 0.1 s: 50,000 records would
    take 83 minutes (the 30 s indexing budget). Records are streamed without waiting; a thread
    drains the answers so neither pipe fills up, and the first error is kept.
    """

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process
        self.sent = 0
        self.answers: dict[int, dict[str, Any]] = {}  # of the messages asked, not told
        self.asked: set[int] = set()
        self.error: str | None = None
        self.done = threading.Condition()
        self.reader = threading.Thread(target=self._read, name="pagefind-answers", daemon=True)
        self.reader.start()

    def tell(self, payload: dict[str, Any], *, asked: bool = False) -> int:
        assert self.process.stdin is not None
        self.sent += 1
        if asked:
            with self.done:
                self.asked.add(self.sent)
        message = {"message_id": self.sent, "payload": payload}
        try:
            self.process.stdin.write(base64.b64encode(json.dumps(message).encode()) + b",")
        except BrokenPipeError:
            self._fail("Pagefind stopped")
        return self.sent

    def ask(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Send `payload` and wait for its answer (and so for every answer before it)."""
        message_id = self.tell(payload, asked=True)
        assert self.process.stdin is not None
        try:
            self.process.stdin.flush()
        except BrokenPipeError:
            self._fail("Pagefind stopped")
        with self.done:
            self.done.wait_for(lambda: message_id in self.answers or self.error is not None)
        if self.error is not None:
            self._fail(self.error)
        return self.answers.pop(message_id)

    def _read(self) -> None:
        assert self.process.stdout is not None
        pending: list[bytes] = []  # of a message: the files of an index are one of 100 MB
        while chunk := os.read(self.process.stdout.fileno(), 1 << 20):
            *ends, rest = chunk.split(b",")
            messages = []
            for end in ends:
                messages.append(b"".join([*pending, end]))
                pending = []
            pending.append(rest)
            for message in messages:
                answer = json.loads(base64.b64decode(message))
                payload = answer.get("payload", {})
                with self.done:
                    if payload.get("type") == "Error" and self.error is None:
                        self.error = str(payload.get("message", "an error"))
                    elif answer.get("message_id") in self.asked:
                        self.answers[answer["message_id"]] = payload
                    self.done.notify_all()
        with self.done:
            self.error = self.error or "Pagefind stopped"
            self.done.notify_all()

    def _fail(self, reason: str) -> None:
        raise BuildError(
            f"cannot build the search index: {reason}",
            location=Location(INDEX_DIR),
            hint="check the disk space; reinstall with pip install 'pagefind[extended]'",
        )

    def close(self) -> None:
        if self.process.stdin is not None:
            with contextlib.suppress(BrokenPipeError):
                self.process.stdin.close()
        self.process.wait()  # at the end of its input, Pagefind exits
        self.reader.join()
        if self.process.stdout is not None:
            self.process.stdout.close()
