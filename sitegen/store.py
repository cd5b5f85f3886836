"""The content store on disk, read whole (`load_content`): the ContentSnapshot that ingest
merges into and a build renders, refused where its files disagree (two files of one paper, a
day naming a paper no file holds: sitegen.orphan_entries says what to do).

Layout under the site root (file formats in sitegen.formats):
    content/papers/<id>.md        one file per paper
    content/days/YYYY-MM-DD.toml  what each day featured
    content/listings/...          the raw listings the days came from (sitegen.listing_files)

Only the files changed since the last run (sitegen.changed_content) are parsed again; of the
others the parse cache (sitegen.cache) holds what a run needs, and a paper is read from its
file when first looked up (StoredPapers). The store is read under its lock (sitegen.store_lock)
and written by sitegen.store_writes.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path

from sitegen.cache import (
    PaperFacts,
    ParseCache,
    PlainDay,
    day_of,
    digest,
    holds,
    paper_facts,
    plain_day,
)
from sitegen.changed_content import (
    changed_content_files,
    content_states_beside,
    keep_pending_states,
)
from sitegen.clean import web_url
from sitegen.dates import iso_day
from sitegen.errors import ContentError, ContentErrors, Location, reason_of
from sitegen.formats import (
    decode_content,
    front_matter_line,
    parse_day_file,
    parse_paper_file,
)
from sitegen.layout import (
    CONTENT_DIR,
    DAYS_DIR,
    DAYS_FOLDER,
    LISTINGS_DIR,
    PAPERS_DIR,
    PAPERS_FOLDER,
)
from sitegen.model import (
    ContentSnapshot,
    Day,
    Paper,
    PaperKeys,
    arxiv_identity,
)
from sitegen.orphan_entries import check_day_entries
from sitegen.store_lock import content_lock

PaperFiles = list[tuple[str, str]]  # (path to read, path shown in errors)
# A paper file parsed: what the parse cache keeps of it, and the Paper for this run (pickled
# when parsed in a build worker, see sitegen.build).
ParsedPaper = tuple[PaperFacts, Paper | bytes]
PaperParser = Callable[[PaperFiles, frozenset[str] | None], Sequence[ParsedPaper]]


def parse_paper_files(
    files: PaperFiles, known_topics: frozenset[str] | None
) -> list[tuple[PaperFacts, Paper]]:
    """Read and parse paper files (a build spreads this over processes)."""
    parsed = []
    for path, shown in files:
        data = read_found(Path(path), shown)
        paper = _parse_paper(data, shown, known_topics)
        parsed.append((paper_facts(paper, data), paper))
    return parsed


MOST_ERRORS_SAID = 20  # broken files said at once: a screen of them


def read_found(
    path: Path,
    shown: str,
    *,
    gone: str = "content/ changed while it was read (a deletion, a checkout): run again",
) -> bytes:
    """The bytes of a file a build found before it read it (a content file, a file of static/),
    or one line naming it, `shown`, with the hint `gone` when it is gone: a content file gone or
    replaced since the store was listed (a `git rm`, a checkout under serve) was a traceback (a
    review)."""
    try:
        return path.read_bytes()
    except OSError as error:
        raise ContentError(
            f"cannot read it: {reason_of(error)}",
            location=Location(shown),
            hint=gone
            if isinstance(error, FileNotFoundError)
            else "fix its permissions (sitegen reads it to build the site), then run again",
        ) from None


def _parse_paper(data: bytes, shown: str, known_topics: frozenset[str] | None) -> Paper:
    return parse_paper_file(decode_content(data, path=shown), path=shown, known_topics=known_topics)


class StoredPapers(Mapping[str, Paper]):
    """The store's papers by id: those this run parsed, the others read from their file when
    first looked up.

    The rebuild budget (a new day at 50,000 papers under 2 s) needs it: a rebuild reads the
    fields of a few hundred papers, and reading them all takes seconds.
    """

    def __init__(self, root: Path, ids: Collection[str], parsed: dict[str, Paper | bytes]) -> None:
        # `ids` is a dict's keys (or a dict), which answers `in` as a set does: no copy of
        # 50,000 ids (the ingest budget, under 1 s at 50k papers).
        self._root, self._ids, self._papers = root, ids, parsed

    def __getitem__(self, paper_id: str) -> Paper:
        held = self._papers.get(paper_id)
        if held is None:
            if paper_id not in self._ids:
                raise KeyError(paper_id)
            shown = f"{PAPERS_DIR}/{paper_id}.md"
            data = read_found(self._root / shown, shown)
            held = self._papers[paper_id] = _parse_paper(data, shown, None)
        elif isinstance(held, bytes):  # pickled: unpickled again when asked again (memory)
            import pickle  # only in a build's workers: ingest runs without it

            paper: Paper = pickle.loads(held)
            return paper
        return held

    def held(self, paper_ids: Iterable[str]) -> dict[str, Paper | bytes]:
        """Those of `paper_ids` in memory already, to hand to a build worker with its share."""
        return {i: self._papers[i] for i in paper_ids if i in self._papers}

    def hold_only(self, papers: dict[str, Paper | bytes]) -> None:
        """In a build worker: hold `papers` (its next share's), and no other. Holding every
        paper in each worker passed the memory budget (all processes under 1 GiB at 50k)."""
        self._papers = papers

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, paper_id: object) -> bool:
        return paper_id in self._ids

    def __reduce__(self) -> tuple[object, ...]:
        # The ids as a dict (keys are not picklable); papers go with each share.
        return (StoredPapers, (self._root, dict.fromkeys(self._ids), {}))


def load_content(
    root: Path,
    *,
    known_topics: frozenset[str] | None = None,
    use_cache: bool = True,
    parse_papers: PaperParser = parse_paper_files,
    meanwhile: Callable[[], None] | None = None,
) -> ContentSnapshot:
    """Read the whole content store (completing an interrupted write first).

    With `known_topics`, a paper naming a topic not in that set is an error. A day entry
    whose id no paper file has is an error (a typo, or a file deleted without its entries):
    nothing is merged into, nor built from, a store that names a paper it does not have.
    Files parsed before are taken from the parse cache; `use_cache=False` parses every file
    again. `meanwhile` is called while a child process stats the files: the caller's own work
    in the time it would wait for them."""
    with content_lock(root):
        return _read_store(root, known_topics, use_cache, parse_papers, meanwhile)


def _errors_of(files: PaperFiles, known_topics: frozenset[str] | None) -> list[ContentError]:
    """The error of each of `files` that does not parse."""
    errors = []
    for file in files:
        try:
            parse_paper_files([file], known_topics)
        except ContentError as error:
            errors.append(error)
    return errors


def _read_store(
    root: Path,
    known_topics: frozenset[str] | None,
    use_cache: bool,
    parse_papers: PaperParser,
    meanwhile: Callable[[], None] | None,
) -> ContentSnapshot:
    check_store_folders(root)
    token = os.urandom(8).hex()  # of the states now, should they differ from those kept
    stating = content_states_beside(root, token)
    if meanwhile is not None:
        meanwhile()
    cache = ParseCache.load(root, reuse=use_cache)
    changed, gone, states_token = changed_content_files(root, stating(), cache, token)
    papers_dir, days_dir = root / PAPERS_DIR, root / DAYS_DIR
    for name in gone.get(PAPERS_FOLDER, ()):
        cache.drop_paper(name)
    for name in gone.get(DAYS_FOLDER, ()):
        cache.drop_day(name)
    to_parse = [
        name
        for name in changed.get(PAPERS_FOLDER, ())
        if (held := cache.papers.get(name)) is None or not holds(papers_dir / name, held[0])
    ]
    if known_topics is not None:  # parsed again if it names a topic no longer known: the error
        # Most papers name no topic: no call for them (0.05 s of the rebuild budget).
        to_parse += [
            n for n, f in cache.papers.items() if f[3] and not known_topics.issuperset(f[3])
        ]
        to_parse = list(dict.fromkeys(to_parse))
    files = [(str(papers_dir / name), f"{PAPERS_DIR}/{name}") for name in to_parse]
    errors: list[ContentError] = []
    try:
        parsed = parse_papers(files, known_topics)
    except ContentError as error:
        # Every broken file said, not one a run: parsed again one by one, on this path alone.
        # None broken now (a file gone and back, as a checkout does): the first error stands.
        errors = _errors_of(files, known_topics) or [error]
        parsed = []
    if not errors:
        unsorted = any(name not in cache.papers for name in to_parse)
        for name, (facts, _) in zip(to_parse, parsed, strict=True):
            cache.set_paper(name, facts)
        if unsorted:
            cache.in_name_order()
    for name in changed.get(DAYS_FOLDER, ()):
        held_day = cache.days.get(name)
        if held_day is None or not holds(days_dir / name, held_day[0]):
            shown = f"{DAYS_DIR}/{name}"
            try:  # one that cannot be read is said with the others (a maintainer's trial)
                data = read_found(root / shown, shown)
                day = parse_day_file(decode_content(data, path=shown), path=shown)
            except ContentError as error:
                errors.append(error)
                continue
            cache.set_day(name, digest(data), plain_day(day))
    if len(errors) > MOST_ERRORS_SAID:  # said, not cut in silence
        more = len(errors) - MOST_ERRORS_SAID
        errors[MOST_ERRORS_SAID:] = [ContentError(f"and {more} more broken content files")]
    if errors:
        raise errors[0] if len(errors) == 1 else ContentErrors(errors)
    same_title = _check_changed_papers(root, cache.papers, to_parse)
    cache.save(states_token)
    if states_token == token:  # kept after the cache that matches them
        keep_pending_states(root)
    days = StoredDays(sorted((date.fromordinal(p[0]), p) for _, p in cache.days.values()))
    by_id = {name.removesuffix(".md"): facts for name, facts in cache.papers.items()}
    entries = {day: plain[2] for day, plain in days.plain.items()}
    late = {day: date.fromordinal(p[3]) for day, p in days.plain.items() if p[3]}
    added = {day: dict(p[4]) for day, p in days.plain.items() if p[4]}
    check_day_entries(root, days, entries, by_id)
    return ContentSnapshot(
        papers=StoredPapers(
            root.absolute(),
            by_id.keys(),
            {
                name.removesuffix(".md"): paper
                for name, (_, paper) in zip(to_parse, parsed, strict=True)
            },
        ),
        days=days,
        day_entries=entries,
        late_days=late,
        entries_added=added,
        keys=_KeysOfFacts(by_id),
        digests={paper_id: f[0] for paper_id, f in by_id.items()},
        titles={paper_id: f[4] for paper_id, f in by_id.items()},
        upvotes={paper_id: f[5] for paper_id, f in by_id.items()},
        same_title=tuple((f"{PAPERS_DIR}/{a}", f"{PAPERS_DIR}/{b}") for a, b in same_title),
        # A build's workers hand back unpickled the papers `unlinked` finds.
        unlinked=tuple(
            (f"{PAPERS_DIR}/{name}", key, value)
            for name, (_, paper) in zip(to_parse, parsed, strict=True)
            if isinstance(paper, Paper)
            for key, value in unlinked(paper)
        ),
    )


def check_store_folders(root: Path) -> None:
    """A file where content/ or a folder of it belongs, said as such: else the first file read
    in it was blamed, or the folder said not writable (a new user's trial, a review)."""
    for folder in (CONTENT_DIR, PAPERS_DIR, DAYS_DIR, LISTINGS_DIR):
        path = root / folder
        try:
            # One look, not two: another command making the folder between an is_dir and an
            # exists was taken for a file (four ingests at once on a new site, a test run).
            mode = path.lstat().st_mode
            # A link to nothing too: a write into it failed half-way.
            if stat.S_ISDIR(mode) or (stat.S_ISLNK(mode) and path.is_dir()):
                continue
        except (FileNotFoundError, NotADirectoryError):  # none yet, or --root is a file
            continue
        except OSError as error:  # no permission, a name too long: Python 3.11 raises them
            raise ContentError(
                f"cannot read it: {reason_of(error)}",
                location=Location(str(path)),
                hint="check its permissions and the path given to --root",
            ) from None
        raise ContentError(
            "not a folder: a file or a broken link where a folder of the store belongs",
            location=Location(str(path)),
            hint=f"move it away or restore {folder}/ (git checkout)",
        )


class StoredDays(Mapping[date, Day]):
    """The store's days by date, in date order, each made a Day when first looked up: a
    build and an ingest read all days' entries as plain values (ContentSnapshot.day_entries),
    and making 1,000 days of 50 entries each run cost the rebuild and ingest budgets (at 50k
    papers) 0.07 s."""

    def __init__(self, plain: Iterable[tuple[date, PlainDay]]) -> None:
        self.plain = dict(plain)
        self._made: dict[date, Day] = {}

    def __getitem__(self, day: date) -> Day:
        made = self._made.get(day)
        if made is None:
            made = self._made[day] = day_of(self.plain[day])
        return made

    def __iter__(self) -> Iterator[date]:
        return iter(self.plain)

    def __len__(self) -> int:
        return len(self.plain)

    def __contains__(self, day: object) -> bool:
        return day in self.plain


def unlinked(paper: Paper) -> list[tuple[str, str]]:
    """The paper's links (front matter key, value) that are no web address: no page has them."""
    links = (("github", paper.github_url), ("project_page", paper.project_url))
    return [(key, value) for key, value in links if value and web_url(value) is None]


def _check_changed_papers(
    root: Path, papers: Mapping[str, PaperFacts], changed: list[str]
) -> tuple[tuple[str, str], ...]:
    """Another paper file of a changed file's arXiv id is an error naming both: a file copied,
    or given another's id, would be two pages of one paper, and a later listing would merge
    into either. A file's arXiv id is its `arxiv_id`, else its name when that is one
    (model.arxiv_identity): a file of notes given the id of one named after it, its arxiv_id
    deleted, took that paper's next listing in silence, the day then listing it twice (a
    maintainer's trial). Another of its title, but not two arXiv ids, is returned as a pair of
    names: most likely one paper that two clones each took as new (a text capture and the
    API), their content merged by git; which to keep is the user's call. Only a changed file
    can make either, so one pass looks for the changed files' ids and titles."""
    by_arxiv_id = {
        arxiv_id: name for name in changed if (arxiv_id := _arxiv_id_of(name, papers[name]))
    }
    by_title: dict[str, list[str]] = {}
    for name in changed:
        by_title.setdefault(papers[name][2], []).append(name)
    if not by_title:
        return ()
    pairs: set[tuple[str, str]] = set()
    for name, facts in papers.items():
        # Its name is its id when it has no arxiv_id: a name equal to an arXiv id is one (no
        # is_arxiv_id per file, of 50,000 at each run).
        other = by_arxiv_id.get(facts[1] or name.removesuffix(".md"))
        if other is not None and other != name:
            raise _one_paper_two_files(root, facts[1] or name.removesuffix(".md"), name, other)
        for other in by_title.get(facts[2], ()):
            # Two arXiv ids are two papers, a name's as well as an arxiv_id's (as ingest finds
            # them): said as one paper twice, they were a note no edit could settle.
            if other != name and not (
                _arxiv_id_of(name, facts) and _arxiv_id_of(other, papers[other])
            ):
                first, second = sorted((name, other))
                pairs.add((first, second))
    return tuple(sorted(pairs))


def _arxiv_id_of(name: str, facts: PaperFacts) -> str | None:
    return arxiv_identity(name.removesuffix(".md"), facts[1])


def _one_paper_two_files(root: Path, arxiv_id: str, name: str, other: str) -> ContentError:
    """The error of two paper files of `arxiv_id`, at the line of the `arxiv_id` that gives it
    to one not named after it (the file a person made or edited, most likely)."""
    named = next((n for n in (name, other) if n.removesuffix(".md") == arxiv_id), None)
    claiming, also = sorted((name, other), key=lambda n: (n == named, n))
    line = _arxiv_id_line(root, claiming, arxiv_id)
    if named is not None:
        said_also = f"{PAPERS_DIR}/{named}, its name"
        hint = (
            f"if they are one paper, keep {PAPERS_DIR}/{named} (its name is the paper's address"
            " and feed id): merge into it what this file adds, delete this file and point its"
            f' day entries at it (id = "{arxiv_id}"); if not, correct this arxiv_id'
        )
    else:
        also_line = _arxiv_id_line(root, also, arxiv_id)
        said_also = f"{PAPERS_DIR}/{also}" + (f" (line {also_line})" if also_line else "")
        hint = (
            "if they are one paper, keep one file (merge into it what the other adds), delete"
            " the other and point its day entries at the one kept; if not, correct the"
            " arxiv_id of the one that is not this id's paper"
        )
    return ContentError(
        f"the arXiv id {arxiv_id} is also the one of {said_also}: one paper, two files",
        location=Location(f"{PAPERS_DIR}/{claiming}", line),
        hint=hint,
    )


def _arxiv_id_line(root: Path, name: str, arxiv_id: str) -> int | None:
    shown = f"{PAPERS_DIR}/{name}"
    text = decode_content(read_found(root / shown, shown), path=shown)
    return front_matter_line(text, "arxiv_id", arxiv_id)


class _KeysOfFacts(Mapping[str, PaperKeys]):
    """Each paper's keys, from the parse cache's facts, made when asked: ingest asks, a build
    does not (making 50,000 at each build cost the rebuild budget, under 2 s, 0.1 s)."""

    def __init__(self, facts: Mapping[str, PaperFacts]) -> None:
        self._facts = facts

    def __getitem__(self, paper_id: str) -> PaperKeys:
        facts = self._facts[paper_id]
        return PaperKeys(facts[1], facts[2])

    def __iter__(self) -> Iterator[str]:
        return iter(self._facts)

    def __len__(self) -> int:
        return len(self._facts)

    def __contains__(self, paper_id: object) -> bool:
        # Without making its keys: ingest asks for each of 50,000 day entries (its budget, < 1 s).
        return paper_id in self._facts


def stored_days(root: Path) -> list[date]:
    """The days the store holds, oldest first, from the day files' names."""
    try:
        names = sorted(n for n in os.listdir(root / DAYS_DIR) if n.endswith(".toml"))  # noqa: PTH208
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as error:  # no permission: a traceback at fetch's start
        raise ContentError(
            f"cannot list it: {reason_of(error)}",
            location=Location(str(root / DAYS_DIR)),
            hint="check its permissions (ls -ld), then run again",
        ) from None
    # A name the store refuses (20301116.toml, read by date.fromisoformat as 2030-11-16) is
    # no day held: it is the store's error to report.
    return [day for name in names if (day := iso_day(name.removesuffix(".toml"))) is not None]
