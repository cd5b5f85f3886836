"""Search: papers indexed by Pagefind into a static bundle under public/, in shards by date.

Pagefind (https://pagefind.app) writes an index of content-named chunks that the browser
fetches as a query needs them, so the site needs no server. It is fed documents built from the
content, never the rendered pages: crawling 50,000 full pages took 55 s and 5.9 GB (issue #16).
A paper is what a reader searches by (title, arXiv id, authors, each full name also as one word:
`name_words`, organisation, keywords, the abstract's first distinct words: `ABSTRACT_WORDS`)
and what a result shows (title, day, upvotes, authors, organisation, topics).

Three choices meet the search budgets at 50,000 papers (the figures are in bench/README.md):
- A Pagefind document holds `PAPERS_PER_DOCUMENT` papers, each under a heading whose id carries
  what its result shows (Pagefind makes a sub-result of each heading; the search page maps it
  back to the paper). At a document per paper, Pagefind's list of documents (`pf_meta`), which
  a first query loads, was 286 KB of the 300 KB budget. A query searched as words opens first
  the documents where they stand in a row (a phrase, a name: one paper's).
- Two shards, each an index of its own that the search page merges (Pagefind's mergeIndex):
  the papers first featured in the open (newest) month, in `OPEN_DIRECTORY`, and the closed
  months', in `CLOSED_DIRECTORY`, both listed in `SEARCH_MANIFEST`. A new day re-indexes the open
  month alone (under a second). Two, not more: each merged shard costs every query word one
  more index chunk (20 to 30 KB gzipped), and a shard a year took a first query past 300 KB.
- The primary index, at the index's root with Pagefind's script and wasm, holds no paper:
  documents of one made-up word (`WARM_UP_WORD`), under 1 KB, that the search page searches as
  it opens, so the browser has optimised Pagefind's wasm before the first query, which took
  twice the CPU without it (the first query's 200 ms budget).

`search_record`, `shard_layout` and `make_shard` are pure; `write_search_shards` runs
Pagefind (the edge).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import html
import json
import os
import re
import subprocess
import threading
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sitegen.bylines import authors_line
from sitegen.errors import BuildError, Location
from sitegen.letters import OWN_LETTERS
from sitegen.model import Paper
from sitegen.site import Site
from sitegen.urls import (
    SEARCH_INDEX_DIR,
    SEARCH_MANIFEST,
    SEARCH_WORDS,
    Routes,
    is_plain_relative,
)
from sitegen.versions import installed_version

# In SEARCH_INDEX_DIR, SEARCH_MANIFEST: the directories of the merged shards. In each shard's
# directory, SEARCH_WORDS: its titles' words, from which the search page respells a query that
# finds nothing ("Did you mean", `title_words`), fetched only then.
# Pagefind's memory grows with (word, paper) pairs: at 50,000 papers whole abstracts took
# 5 GB to index, their first 30 distinct words 1.8 GB (the 2 GiB budget, bench/README.md).
ABSTRACT_WORDS = 24
# The first query's 300 KB budget: fewer documents shrink Pagefind's page list, larger ones
# cost more bytes per result shown (bench/README.md has the figures that chose 20).
PAPERS_PER_DOCUMENT = 20
# In every shard's key: bump its number when the documents' markup changes.
_FORMAT = f"documents of {PAPERS_PER_DOCUMENT} papers, 6, with {SEARCH_WORDS}"
OPEN_DIRECTORY = "open/"  # under SEARCH_INDEX_DIR: the open month's shard
CLOSED_DIRECTORY = "closed/"  # under SEARCH_INDEX_DIR: the shard of the months before it
_PAGEFIND_DIRECTORIES = ("index", "fragment", "filter")  # of each index, the warm-up's at the root
# The warm-up index's word, in no paper: its documents have no heading, so the search page
# shows nothing of them should a query find them; and it starts with zeros, so that only a
# query of zeros does (Pagefind also answers a word's prefixes and the words it prefixes).
# Its size is what optimising needs: 100 documents of 50 locations, searched 20 times as the
# page opens (bench/HISTORY.md).
WARM_UP_WORD = "0000warmup"
_WARM_UP_DOCUMENTS = 100
_WARM_UP_REPEATS = 50
_WORD = re.compile(r"\w{4,}")  # shorter words are mostly stop words
# Acronyms, from anywhere in an abstract: how researchers search ("MoE", "RAG", "DPO": three
# letters, or past the first words, were in no record: a reader's review). A capital, then
# letters and digits with another capital; found as capitalised words, then checked, which
# costs a third of one pattern that says it all (the cold-build budget: records are made in
# the build's own process, and that pattern took 3.5 s of CPU at 50k papers).
# Or a digit first: "3D", "7B" (a reader's trial: "3D" found 10 of the 15 papers naming it).
_CAPITALISED = re.compile(r"[A-Z0-9][A-Za-z0-9]*")
ACRONYMS = 12  # at most, a paper, and as many of a digit first; an abstract names two on
# average, a few a dozen
_EDGES = re.compile(r"^\W+|\W+$")  # a word's punctuation, as split from the text
_CAMEL = re.compile(r"(?<=[a-z])[A-Z]")  # where "MaskMoE" joins "Mask" and "MoE"
_PART = re.compile(r"[^\W_]+")  # a word's letters and digits (as the search page splits words)
# Between the parts of an author's name as one word ("Maria Suzuki" is "maria0suzuki"), which
# the search page looks a query of two or three words up as, exactly (Pagefind's quoted
# search: no longer word, no shorter one, so a query that is no name finds nothing). A digit,
# so that no word of a title or an abstract is one; after the first name, so that the word
# is in the index chunk of its first part, which the query's words need when it is no name
# (a chunk of its own cost two words' first query 63 to 70 KB of the 300 KB budget).
NAME_JOINT = "0"
# What the search page loads of the warm-up index's bundle: not Pagefind's own UIs, nor its
# worker (templates/search.html says why), nor the wasm of other languages. The search page
# asks for both by name as it opens, with SEARCH_MANIFEST and the entry file (names fixed).
_LIBRARY = ("pagefind.js", "wasm.en.pagefind")
_DATA = re.compile(r"pagefind-entry\.json|pagefind\.[^/]+\.pf_meta|(index|fragment|filter)/[^/]+")


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchRecord:
    """One paper as the index holds it."""

    url: str  # the paper page, from the site root: "/papers/<id>/" (the search page resolves it)
    title: str
    text: str  # the other words a query matches: arXiv id, authors, organisation, keywords,
    # abstract
    day: str  # the first day that featured it, ISO; "" if none
    upvotes: str  # "" when never reported
    topics: tuple[str, ...]  # slugs: the search page has their names and pages (`warm_up_shard`)
    authors: str  # as a card shows them: three names, else the count (bylines.authors_line)
    organization: str  # its name; "" if none
    arxiv_id: str  # "" if none: the search page links its arXiv, PDF and Hugging Face pages

    def encoded(self) -> str:
        """The record as one JSON line: what is cached, and what the index key digests."""
        return json.dumps(
            [self.url, self.title, self.text, self.day, self.upvotes, list(self.topics),
             self.authors, self.organization, self.arxiv_id],
            ensure_ascii=False,
            separators=(",", ":"),
        )  # fmt: skip

    @classmethod
    def decoded(cls, line: str) -> SearchRecord:
        url, title, text, day, upvotes, topics, authors, organization, arxiv_id = json.loads(line)
        return cls(
            url=url, title=title, text=text, day=day, upvotes=upvotes, topics=tuple(topics),
            authors=authors, organization=organization, arxiv_id=arxiv_id,
        )  # fmt: skip

    def section(self) -> str:
        """The paper in a Pagefind document: a heading Pagefind makes a sub-result of, whose
        id carries what the result shows, '|'-separated and percent-encoded (templates/search.html
        reads it back; topics are ','-separated slugs), then the rest of its words. The arXiv id
        is in both: a query finds it in the words, a result links it from the heading."""
        anchor = "|".join(
            [
                quote(self.url, safe="/"),
                *map(_quoted, (self.day, self.upvotes, ",".join(self.topics))),
                quote(self.authors, safe="/"),
                _quoted(self.organization),
                quote(self.arxiv_id),
            ]
        )
        return (
            f'<h2 id="{html.escape(anchor)}">{html.escape(self.title)}</h2>'
            f"<p>{html.escape(self.text)}</p>\n"
        )


@lru_cache(maxsize=4096)
def _quoted(field: str) -> str:
    """A field many papers share (a day, upvotes, topics) percent-encoded, once: quote took
    half of the documents' making, in the build's own process while the workers render (the
    cold-build budget, no slower than Hugo at 10k papers)."""
    return quote(field, safe="/")


def search_record(site: Site, routes: Routes, paper_id: str) -> SearchRecord:
    """What the index holds of a paper: its searchable words and what a result shows."""
    paper = site.papers[paper_id]
    abstract_words = _first_words(paper.abstract, ABSTRACT_WORDS)
    abstract_words += [a for a in _acronyms(paper.abstract) if a not in abstract_words]
    # Each word once a paper: the title and keywords already hold theirs. A word in most
    # papers costs a query a location per paper and per time it is held (the first
    # query's 200 ms budget: about two a paper for "learning" before, bench/HISTORY.md).
    held = {w.lower() for w in _WORD.findall(" ".join([paper.title, *paper.keywords]))}
    text = ". ".join(
        part
        for part in (
            paper.arxiv_id or "",  # readers paste ids (templates/search.html finds them whole)
            ", ".join(paper.authors),
            name_words(paper.authors),
            _organization(paper),
            ", ".join(paper.keywords),
            " ".join(w for w in abstract_words if w not in held),
            " ".join(_title_parts(paper.title)),
        )
        if part
    )
    # And its words as a query folds them where Pagefind folds them otherwise ("Eﬃcient").
    text = " ".join(filter(None, [text, *folded_words(f"{paper.title} {text}")]))
    return SearchRecord(
        url="/" + routes.paper(paper_id).url,
        title=paper.title,
        text=text,
        day=first_day(site, paper_id),
        upvotes="" if paper.upvotes is None else str(paper.upvotes),
        topics=tuple(site.paper_topics[paper_id]),
        authors=authors_line(paper),
        organization=paper.organization_name,
        arxiv_id=paper.arxiv_id or "",
    )


def search_topics(site: Site, routes: Routes) -> dict[str, tuple[str, str]]:
    """Each topic's name and page from its slug, as the search page shows a result's topics."""
    return {t.slug: (t.name, routes.topic(t.slug).html.url) for t in site.config.topics}


def _organization(paper: Paper) -> str:
    """Its name, and its Hugging Face handle too ("SJTU", in the organisation's URL)."""
    if paper.organization is None:
        return ""
    name, handle = paper.organization.name, paper.organization.handle
    return name if handle.lower() in name.lower() else f"{name} ({handle})"


def _first_words(text: str, most: int) -> list[str]:
    """The first `most` distinct words of `text`, lower-case, in order. Read no further: the
    whole abstract's words were three quarters of a record's time (the cold-build budget:
    records are made in the build's own process, 1.5 s of CPU at 10k papers)."""
    found: dict[str, None] = {}
    end = len(text)
    for match in _WORD.finditer(text):
        found[match[0].lower()] = None
        if len(found) == most:
            end = match.end()
            break
    # And the hyphenated words among them whole, which Pagefind indexes joined and a reader
    # types so ("multi-agent": its parts alone were found by "multi agent" only).
    if "-" in (head := text[:end]):
        joined = (_EDGES.sub("", word).lower() for word in head.split() if "-" in word)
        found.update(dict.fromkeys(word for word in joined if "-" in word.strip("-")))
    return list(found)


def _acronyms(text: str) -> list[str]:
    """The first `ACRONYMS` distinct acronyms of `text` (a capital or a digit, then another
    capital: "MoE", "3D"), lower-case."""
    found: dict[str, None] = {}
    sizes: dict[str, None] = {}  # a digit first ("7B", "3D"): apart, so that an abstract's
    # model sizes never push out its acronyms (found by a review: "13B", "70B" took CoT's place)
    for word in _CAPITALISED.findall(text):
        # Most are a sentence's first word: `islower` rules them out before the loop.
        if len(word) <= 8 and not word[1:].islower() and any(c.isupper() for c in word[1:]):
            held = sizes if word[0].isdigit() else found
            if len(held) < ACRONYMS:
                held[word.lower()] = None
            if len(found) == ACRONYMS:
                break
    return [*found, *sizes]


def name_words(authors: Sequence[str]) -> str:
    """Each author's name of two parts or more as one word (its letters and digits, lower
    case, without diacritics, as the search page folds a query, joined by `NAME_JOINT`),
    space-separated. A full name's first query then opens only the documents holding that
    name, as a rare word's does: its words apart ("Maria", "Suzuki") are in 1,400 of the 2,500
    documents at 50,000 papers, and searching them took over the first query's 200 ms budget
    (bench/HISTORY.md)."""
    return " ".join(
        NAME_JOINT.join(parts) for name in authors if len(parts := _PART.findall(_folded(name))) > 1
    )


def title_words(records: Iterable[str]) -> bytes:
    """The words of four letters or more of the titles of `records` (encoded), folded as the
    search page folds a query, each with the number of titles holding it, the most held first:
    what the search page offers for a query word that finds nothing ("Did you mean")."""
    held: Counter[str] = Counter()
    for line in records:
        title = SearchRecord.decoded(line).title
        held.update({w for w in _PART.findall(_folded(title)) if len(w) >= 4 and w.isalpha()})
    ranked = sorted(held.items(), key=lambda item: (-item[1], item[0]))
    return "".join(f"{word} {count}\n" for word, count in ranked).encode()


# The letters as an English keyboard types them, for `_folded` (the search page folds a query
# with the same table, which the build writes into it).
_TYPED_AS = str.maketrans(OWN_LETTERS)


def _folded(text: str) -> str:
    """`text` in lower case without diacritics ("Raphaël" is "raphael"), its compatibility
    forms as the letters they stand for (a PDF's ligature "ﬁ" is "fi", a full-width "Ｇ" is
    "g": NFKD), and `OWN_LETTERS` as English types them, as the search page folds a query."""
    if text.isascii():
        return text.lower()
    return _without_marks(unicodedata.normalize("NFKD", text)).lower().translate(_TYPED_AS)


def _without_marks(decomposed: str) -> str:
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def folded_words(text: str) -> list[str]:
    """The words of `text` as the search page folds them (`_folded`) where Pagefind indexes
    them otherwise: it drops accents but keeps compatibility forms and `OWN_LETTERS`, so a
    query's "efficient" found no "Eﬃcient", "grpo" no "ＧＲＰＯ", "yilmaz" no "Yılmaz" and "pi0"
    no "π0". Empty for most text (ASCII, accents)."""
    if text.isascii():
        return []
    indexed = set(_PART.findall(_without_marks(unicodedata.normalize("NFD", text)).lower()))
    return list(dict.fromkeys(w for w in _PART.findall(_folded(text)) if w not in indexed))


def _title_parts(title: str) -> list[str]:
    """The parts of the title's hyphenated words: Pagefind indexes some only ("Sim2Real" of
    "Stable-Sim2Real", not "3D" of "Text-to-3D"), and a reader searches them; and of its
    joined names ("MoE" of "MaskMoE", "RAG" of "GraphRAG")."""
    parts = [part for word in title.split() if "-" in word for part in _PART.findall(word)]
    for word in _PART.findall(title):
        joins = [match.start() for match in _CAMEL.finditer(word)]
        if joins:  # the first name, and what follows each join ("MoE", not "Mo" and "E"): a
            # short rest only, so a title of one 80 KB word makes no square of it
            parts += [word[: joins[0]], *(word[at:] for at in joins if 1 < len(word) - at <= 12)]
    return parts


def first_day(site: Site, paper_id: str) -> str:
    """The first day that featured the paper, ISO; "" if none: what places it in a shard."""
    appearances = site.appearances.get(paper_id)
    return appearances[0].day.isoformat() if appearances else ""  # oldest first


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchShard:
    """Papers first featured in one period: an index of its own, made only when they change."""

    period: str  # the open month ("2026-06", with the papers of no day), the months before it
    # ("before-2026-06"), or "" for the warm-up index
    directory: str  # under SEARCH_INDEX_DIR, "/"-terminated; "" for the warm-up index
    records: tuple[str, ...]  # encoded SearchRecords, in the site's order
    key: str  # what its files are made from: its records, place, format and Pagefind
    manifest: bytes  # the warm-up index's: its shards' directories (SEARCH_MANIFEST); else b""

    def documents(self) -> list[str]:
        """Its Pagefind documents, `PAPERS_PER_DOCUMENT` papers each (the warm-up index's:
        `WARM_UP_WORD` only)."""
        if not self.directory:
            words = " ".join([WARM_UP_WORD] * _WARM_UP_REPEATS)
            return [f'<html lang="en"><body><p>{words}</p></body></html>\n'] * _WARM_UP_DOCUMENTS
        return [
            '<html lang="en"><body>\n'
            + "".join(SearchRecord.decoded(line).section() for line in block)
            + "</body></html>\n"
            for block in (
                self.records[start : start + PAPERS_PER_DOCUMENT]
                for start in range(0, len(self.records), PAPERS_PER_DOCUMENT)
            )
        ]


def shard_layout(months: Collection[str]) -> list[tuple[str, str, frozenset[str]]]:
    """The shards of papers first featured in `months` ("YYYY-MM"; "" for no day), each as
    (period, directory, its months): the open (newest) month's, with the papers of no day,
    then the closed months', if any; none for no paper (the search page then says the site
    has none, not that its index failed to load: a fork starting empty, found by a trial)."""
    if not months:
        return []
    newest = max(months)
    closed = frozenset(months) - {newest, ""}
    layout = [(newest, OPEN_DIRECTORY, frozenset({newest, ""}))]
    if closed:
        layout.append((f"before-{newest}", CLOSED_DIRECTORY, closed))
    return layout


def warm_up_shard(directories: Sequence[str], topics: Mapping[str, tuple[str, str]]) -> SearchShard:
    """The warm-up index, whose SEARCH_MANIFEST is what the search page reads of the index's shape:
    the shards it merges (their `directories`), how many papers a Pagefind document holds at
    most, the word it searches the warm-up index for as it opens, and each topic's name and
    page from its slug (`topics`: slug -> (name, URL from the site root)): a result's topics
    are slugs, as names held commas ("Safety, Alignment")."""
    shape = {
        "shards": list(directories),
        "papers_per_document": PAPERS_PER_DOCUMENT,
        "warm_up": WARM_UP_WORD,
        "name_joint": NAME_JOINT,
        "topics": {slug: list(shown) for slug, shown in topics.items()},
    }
    return make_shard("", "", [], json.dumps(shape, separators=(",", ":")).encode() + b"\n")


def shard_directory(path: str) -> str:
    """The shard a file of the index (a path under SEARCH_INDEX_DIR) belongs to: "" for the warm-up
    index's (at the root), else its first directory (an earlier layout's too, such as a
    year's: its files are removed as those of a shard gone)."""
    head, _, rest = path.partition("/")
    return f"{head}/" if rest and head not in _PAGEFIND_DIRECTORIES else ""


def make_shard(
    period: str, directory: str, records: list[str], manifest: bytes = b""
) -> SearchShard:
    """A shard of `records` (encoded, in the site's order), with its key."""
    digest = hashlib.blake2b(digest_size=12)
    for part in (f"pagefind {pagefind_version()}", _FORMAT, directory, manifest.decode()):
        digest.update(part.encode() + b"\n")
    for line in records:
        digest.update(b"\n" + line.encode())
    return SearchShard(
        period=period,
        directory=directory,
        records=tuple(records),
        key=digest.hexdigest(),
        manifest=manifest,
    )


def pagefind_version() -> str:
    """The installed Pagefind's version (of its package and of the binary that writes the
    index): its index format and what it makes of a record."""
    package = installed_version("pagefind", "pagefind")
    return f"{package}/{installed_version('pagefind-bin-extended', 'pagefind_bin_extended')}"


def write_search_shards(
    shards: Sequence[SearchShard], directory: Path, *, jobs: int, one_thread: bool = False
) -> None:
    """Index each of `shards` with Pagefind, `jobs` at a time, into `directory` (laid out as
    SEARCH_INDEX_DIR is), which it creates. `one_thread`: each Pagefind on one thread (its pools
    take a thread per core otherwise)."""
    executable = _pagefind_executable()
    limit = {"RAYON_NUM_THREADS": "1", "TOKIO_WORKER_THREADS": "1"} if one_thread else {}
    environment = {**os.environ, **limit}
    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(lambda s: _write_shard(executable, s, directory, environment), shards))


def _write_shard(
    executable: Path, shard: SearchShard, directory: Path, environment: dict[str, str]
) -> None:
    process = subprocess.Popen(
        [str(executable), "--service"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=environment,
    )
    service = _Service(process)
    try:
        answer = service.ask({"type": "NewIndex", "config": {"force_language": "en"}})
        index = answer["index_id"]
        for number, document in enumerate(shard.documents()):
            service.tell(
                {
                    "type": "AddFile",
                    "index_id": index,
                    # never shown: results are its headings
                    "url": f"/{shard.period or 'warm-up'}/{number}",
                    "file_path": None,
                    "file_contents": document,
                }
            )
        files = service.ask({"type": "GetFiles", "index_id": index})["files"]
    finally:
        service.close()
    # Written here, not by Pagefind's WriteFiles: it answers before its writes are done, and
    # a service stopped then leaves files empty or cut short (seen in the tests).
    for file in files:
        path = file["path"]
        if not is_plain_relative(path):  # never trusted blindly
            raise BuildError(
                f"Pagefind named a file outside its directory: {path!r}",
                location=Location(SEARCH_INDEX_DIR),
                hint="reinstall with pip install 'pagefind[extended]'",
            )
        if not (_DATA.fullmatch(path) or (not shard.directory and path in _LIBRARY)):
            continue
        target = directory / shard.directory / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(file["content"]))
    if shard.directory:
        (directory / shard.directory / SEARCH_WORDS).write_bytes(title_words(shard.records))
    else:
        (directory / SEARCH_MANIFEST).write_bytes(shard.manifest)


def _pagefind_executable() -> Path:
    # The binary package asked first, as Pagefind's own lookup does: that lookup's module
    # imports asyncio, 0.02 to 0.03 s of the GIL taken from a rebuild's render (the rebuild
    # budget, under 2 s at 50k papers).
    executable = None
    try:
        if "PAGEFIND_BINARY_PATH" not in os.environ:
            executable = _binary_package_executable()
        if executable is None:
            from pagefind.service import get_executable

            executable = get_executable()
    except (ImportError, FileNotFoundError):  # not installed, or its binary deleted
        executable = None
    if executable is None:
        raise BuildError(
            "cannot build the search index: the Pagefind binary is missing",
            location=Location(SEARCH_INDEX_DIR),
            hint="pip install 'pagefind[extended]' (a dependency of sitegen)",
        )
    return executable


def _binary_package_executable() -> Path | None:
    try:
        from pagefind_bin_extended import (  # type: ignore[import-untyped]  # noqa: PLC0415
            get_executable,
        )
    except ImportError:
        return None
    return Path(get_executable())


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
            for end in ends:
                answer = json.loads(base64.b64decode(b"".join([*pending, end])))
                pending = []
                payload = answer.get("payload", {})
                with self.done:
                    if payload.get("type") == "Error" and self.error is None:
                        self.error = str(payload.get("message", "an error"))
                    elif answer.get("message_id") in self.asked:
                        self.answers[answer["message_id"]] = payload
                    self.done.notify_all()
            pending.append(rest)
        with self.done:
            self.error = self.error or "Pagefind stopped"
            self.done.notify_all()

    def _fail(self, reason: str) -> None:
        raise BuildError(
            f"cannot build the search index: {reason}",
            location=Location(SEARCH_INDEX_DIR),
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
