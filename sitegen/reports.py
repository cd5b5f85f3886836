"""What the commands say: their reports, notes and warnings, as the lines they print.

The commands (`cli.py`, `fetch.run_fetch`) run the stages and hand what they returned here; a
line a user reads is written in one place, beside the others of its command. The topic reports
of `sitegen build` read the papers they speak of themselves: they are no part of the build.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import sys
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.errors import (
    ContentErrors,
    FetchError,
    SitegenError,
    UsageError,
    first_of,
    printable,
)
from sitegen.layout import DAYS_DIR, PAPERS_DIR
from sitegen.listings.base import FETCH_URL_VARIABLE
from sitegen.model import is_arxiv_id
from sitegen.store import load_content
from sitegen.store_writes import IngestReport
from sitegen.topics import topic_report, why_topics
from sitegen.wording import counted, thousands

if TYPE_CHECKING:
    from sitegen.build import BuildReport, PapersWithoutArea
    from sitegen.config import SiteConfig
    from sitegen.custom_feeds import EmptyFeed
    from sitegen.fetch import FetchReport
    from sitegen.listings import Listing
    from sitegen.model import Paper, Topic


def say_error(error: SitegenError) -> None:
    """`error` in a line of its own (each of several, its hint below it), on stderr; and on
    the Actions run's page when run there (a review: a failed run showed "exit code 1", its
    cause only in the log)."""
    for each in error.errors if isinstance(error, ContentErrors) else (error,):
        print(f"sitegen: error: {each}", file=sys.stderr, flush=True)
        actions_annotation(str(each), level="error")


def say_built(report: BuildReport, out: Path, elapsed: float, *, index: str = "") -> None:
    """What a build (`sitegen build`, serve's first) made, changed and kept."""
    # Names as errors write them: an escape sequence in a folder's or file's name reached the
    # terminal (a flag driver's `--out`), to clear or retitle it.
    shown = printable(str(out))
    made = f"{counted(report.pages, 'page')} and {counted(report.feeds, 'feed')}"
    print(f"built {made} into {shown} in {elapsed:.2f} s")
    print(f"  {build_changes(report)}{index}", flush=True)
    if report.kept:  # files of the output sitegen did not make, which every build keeps (a CNAME)
        print(
            f"  kept {counted(len(report.kept), 'file')} sitegen did not make:"
            f" {printable(first_of(report.kept, 5))}",
            flush=True,
        )
    say_remade(report, out)
    say_build_notes(report)


def say_remade(report: BuildReport, out: Path) -> None:
    """The files of `out` changed or deleted by hand that a build (or serve's rebuild) put
    back (a user's trial: a page edited in public/ was put back in silence)."""
    if report.remade:
        print(
            f"  made again {counted(len(report.remade), 'file')} changed or deleted by hand in"
            f" {printable(str(out))}: {printable(first_of(report.remade, 5))} (edit content/,"
            " templates/ or static/ instead)",
            flush=True,
        )


def say_build_notes(report: BuildReport) -> None:
    """What the operator should know of the content a build (or serve's rebuild) read."""
    if report.newest_day is None:  # the site's pages say "No papers yet" to its readers
        print(
            "  no day in content/ yet: `sitegen fetch`, or `sitegen ingest LISTING`, brings one",
            flush=True,
        )
    # What holds a week back, said where the operator looks.
    _say_waiting(
        report.awaited,
        "missed by a fetch while new, tried again by the next runs; its week, month and"
        " digest item stay open until it is had or given up",
        "missed by a fetch while new, tried again by the next runs; their weeks, months and"
        " digest items stay open until each is had or given up",
    )
    _say_waiting(  # a run before 09:00 UTC (docs/fetching.md, "overtaken")
        report.overtaken,
        "had before it ended, asked again by the next runs; its week, month and digest item"
        " stay open until a run has it whole",
        "had before they ended, asked again by the next runs; their weeks, months and digest"
        " items stay open until a run has each whole",
    )
    _say_same_title(report.same_title)
    _say_unlinked(report.unlinked)
    _say_times_to_come(report)
    _say_feeds_gone(report.feeds_gone)
    for slug in report.topics_without_rules:  # its pages and feeds would stay empty in silence
        say_note(
            f"topic {slug} has no paper, and no `keywords` to give it one (`generic` words"
            " never give a topic alone: docs/topics.md); add keywords, or name it in papers'"
            " `topics`"
        )
    _say_empty_feeds(report.empty_feeds)
    _say_without_area(report.without_area)
    for paper_id, where in report.hidden_unknown:  # a typo would leave the paper on the site
        say_note(
            f"{where}: [content] hidden names {paper_id}, which no file of {PAPERS_DIR}/ is:"
            " check the id (its file's name without .md)"
        )


def _say_waiting(days: Sequence[date], one: str, many: str) -> None:
    """The days a build's periods wait for, and why (`one` of a day, `many` of several), cut
    as a fetch cuts its lists: a source failing some days for two weeks leaves as many."""
    if days:
        print(f"  waiting for {day_list(days)}: {one if len(days) == 1 else many}", flush=True)


def _say_empty_feeds(feeds: Sequence[EmptyFeed]) -> None:
    """A fork owner's trial: an organization's handle misspelt, an author's name spelt otherwise
    than listings spell it, gave a feed whose page said "No paper matches this feed yet", in
    silence."""
    for feed in feeds:
        why = [_said_unmatched(how, value, near) for how, value, near in feed.unmatched] or [
            "its rules together admit none of them"
        ]
        days = "day" if feed.days == 1 else f"{feed.days} days"
        say_note(
            f"custom feed {feed.slug} admits none of the {counted(feed.looked_at, 'paper')} of"
            f" the site's newest {days}: {'; '.join(why)}; its page says \"No paper matches this"
            ' feed yet": check its rules in site.toml (docs/configuration.md)'
        )


def _said_unmatched(how: str, value: str, near: Sequence[str]) -> str:
    """A rule of an empty custom feed that none of its papers meets, and what is near it."""
    if how == "mentioning":  # a phrase no paper mentions: respelled, as the search page does
        nearest = f"the nearest phrase they do: “{near[0]}”" if near else "no phrase near it"
        return f"none mentions “{value}” ({nearest})"
    kind = {"from": "handle", "by": "name"}[how]
    nearest = (
        f"the nearest {kind}{'s' if len(near) > 1 else ''}: {', '.join(near)}"
        if near
        else f"no {kind} near it"
    )
    return f"none is {how} “{value}” ({nearest})"


def _say_without_area(found: PapersWithoutArea | None) -> None:
    """A forker's trial: a taxonomy kept without its `fallback` area left 432 of 483 papers
    with no area, which only --topics-report counted."""
    if found is None:
        return
    one = len(found.ids) == 1
    if found.fallback:  # given to every paper no other area is, but to one that refuses it
        why, fix = (
            f"{'it' if one else 'each'} refuses the fallback area, {found.fallback}, in its"
            " `not_topics`",
            "name an area in its `topics`",
        )
    else:
        why = "site.toml has no `fallback` area, given to a paper no other area is"
        fix = f"mark an area `fallback = true` to file {'it' if one else 'them'} there"
    say_note(
        f"{thousands(len(found.ids))} of {counted(found.of, 'paper')}"
        f" {'has' if one else 'have'} no area ({why}), {'' if one else 'the newest '}"
        f"{first_of(found.ids, 3)}: `sitegen build --topics-why ID` shows the evidence one has;"
        f" {fix} (docs/topics.md)"
    )


def _say_feeds_gone(paths: Sequence[str]) -> None:
    """A hostile-input trial: a custom feed renamed, or a topic's slug changed, took feeds
    readers follow away, said only as "4 removed"."""
    if not paths:
        return
    folders = sorted({path.rpartition("/")[0] + "/" for path in paths})
    say_note(
        f"this build removed the feeds of {first_of(folders, 5)}: whoever follows them gets"
        " nothing more. A topic's former slug keeps its feeds with `formerly`, a renamed custom"
        " feed its address with `slug` (docs/topics.md, docs/configuration.md)",
        warning="sitegen: feeds removed",
    )


def _say_times_to_come(report: BuildReport) -> None:
    """Found by reviews: a day file's year mistyped (2099) was the home page's newest day and
    the head of every feed without a word; an entry's `added` so, every feed's newest item."""
    now = datetime.now(UTC)
    if report.newest_day and report.newest_day > now.date() + timedelta(days=1):  # east of UTC
        say_note(
            f"{DAYS_DIR}/{report.newest_day}.toml is a day to come (today is {now.date()}, UTC),"
            " the site's newest day: is its year right?"
        )
    if report.latest_added and report.latest_added[0] > now + timedelta(hours=1):
        at, day = report.latest_added
        say_note(
            f"{DAYS_DIR}/{day}.toml has an entry added at {at:%Y-%m-%dT%H:%M:%SZ}, a time to"
            " come: feeds date its item so, above every other; is it right?"
        )


def build_changes(report: BuildReport) -> str:
    size = f"{report.written.bytes / 1e6:.1f} MB"
    # The search index's files are written with the pages, not rendered: say why they add up.
    indexed = ", the search index's included" if report.search_indexed else ""
    written = f"{thousands(report.written.files)} written ({size}{indexed})"
    files, removed = thousands(report.files), thousands(report.removed)
    if report.full:
        return f"all {files} files rendered and {written}: a full build"
    if report.rendered == report.files:
        return f"all {files} files rendered, {written}, {removed} removed"
    return (
        f"{thousands(report.rendered)} of {files} files rendered (the rest were up to date), "
        f"{written}, {removed} removed"
    )


def paths_said(paths: Sequence[Path], root: Path) -> str:
    """The files a rebuild is for, from the site's root, the first few, as errors name them."""
    base = root.resolve()
    resolved = dict.fromkeys(p.resolve() for p in paths)  # a file by two names: once
    shown = [p.relative_to(base).as_posix() if p.is_relative_to(base) else str(p) for p in resolved]
    return printable(first_of(shown, 3)) if shown else "a watched file"


def index_note(report: BuildReport) -> str:
    """What a line of `sitegen serve` says of the search index after a build."""
    if report.search_index is None:
        return "; the search index is up to date"
    return "; the search index follows"


def say_fetch_waits(line: str) -> None:
    # A log (not a terminal) would otherwise show nothing for minutes.
    print(f"sitegen: {line}", file=sys.stderr, flush=True)


def say_scheduled_days(retried: Sequence[date], *, held: bool, today: date) -> None:
    """What a scheduled fetch (no --date or --since) asks for besides the days since the last
    one held: the days missed before, and, on an empty store, that only yesterday and today
    are asked."""
    if retried:
        print(f"retrying {counted(len(retried), 'day')} missed before: {day_list(retried)}")
    if not held and not retried:  # a new user's trial read "fetched 1 of 1 day(s)" as
        # the whole history; under the workflow, its Publish run takes `since`.
        since = today - timedelta(days=7)
        how = (
            "run Publish with since"
            if os.environ.get("GITHUB_ACTIONS") == "true"
            else f"sitegen fetch --since {since}"
        )
        print(
            "content/ holds no day yet: only yesterday and today are asked; to fill in the"
            f" days before, {how}"
        )


def say_wrong_source(url: str) -> None:
    """A source that answered every request with 404 (a mistyped --source) is not Daily Papers:
    said besides the days that failed."""
    wrong_source = FetchError(
        f"{url} answered every request with 404 Not Found: it is not Daily Papers",
        hint=f"check --source (or ${FETCH_URL_VARIABLE})",
    )
    print(f"sitegen: {wrong_source}", file=sys.stderr)


# What is said of a day with nothing new, alone and in a run of days.
_NOTHING_NEW = {
    "empty": ("no papers that day", "no papers those days"),
    "unchanged": ("unchanged",) * 2,
}


def print_fetch_report(report: FetchReport, *, held: frozenset[date], scheduled: bool) -> None:
    # Days in a row with nothing new are one line (a user's trial: a backfill's weekends and
    # holidays were 126 lines of "no papers that day").
    nothing_new: list[tuple[date, str]] = []

    def print_nothing_new() -> None:
        if nothing_new:
            (first, status), last = nothing_new[0], nothing_new[-1][0]
            one, many = _NOTHING_NEW[status]
            print(f"{first}: {one}" if first == last else f"{first} to {last}: {many}")
            nothing_new.clear()

    for outcome in report.days:
        day = outcome.day.isoformat()
        if outcome.notes:  # after the days before it
            print_nothing_new()
        for note in outcome.notes:
            print(f"{day}: note: {note}", file=sys.stderr)
        status = outcome.status
        if status in _NOTHING_NEW and not (status == "empty" and outcome.day in held):
            if nothing_new and (
                nothing_new[-1][1] != status or (outcome.day - nothing_new[-1][0]).days != 1
            ):
                print_nothing_new()
            nothing_new.append((outcome.day, status))
            continue
        print_nothing_new()
        if status == "failed":
            print(f"{day}: FAILED: {outcome.problem}", file=sys.stderr)
        elif status == "papers":
            print(f"{day}: {outcome.papers} papers")
        elif status == "empty":
            print(f"{day}: the source listed none; content/ keeps the papers it holds for that day")
    print_nothing_new()
    if report.stopped:
        print(f"sitegen: fetch stopped: {report.stopped}", file=sys.stderr)
    failed = [outcome.day for outcome in report.days if outcome.status == "failed"]
    not_fetched = [outcome.day for outcome in report.days if outcome.status == "not fetched"]
    summary = (
        f"fetched {thousands(len(report.days) - len(report.missed))} of"
        f" {counted(len(report.days), 'day')}; "
        f"{counted(report.stored.new_papers, 'new paper')};"
        f" {counted(len(report.stored.written), 'file')} written"
    )
    if failed:
        summary += f"; {counted(len(failed), 'day')} FAILED and skipped: {day_list(failed)}"
    if not_fetched:
        summary += f"; {counted(len(not_fetched), 'day')} not fetched: {day_list(not_fetched)}"
    remembered = 0 < len(report.missed) < len(report.days)  # see fetch_days
    given_up = {outcome.day for outcome in report.given_up}
    retried = (
        [o.day for o in report.missed if o.day not in given_up and o.day not in report.not_asked]
        if remembered
        else []
    )
    if retried:  # the days just listed are not listed again (a new user's trial)
        same = set(retried) == {*failed, *not_fetched}
        # After two lists, "them" read as the second's days alone (a review).
        them = f"all {thousands(len(retried))}" if failed and not_fetched else "them"
        again = ("it" if len(retried) == 1 else them) if same else day_list(retried)
        summary += f"; the next runs ask again for {again}"
    print(summary)
    if report.had_at_last:  # the outage is over: its red runs are not left the last word
        days = report.had_at_last
        print(f"had {counted(len(days), 'day')} missed by the runs before: {day_list(days)}")
    from sitegen.fetch import RETRY_WINDOW_DAYS

    _annotate_missed_days(report, retried=retried, scheduled=scheduled)
    # Said in the log and, in the same words, on the Actions run's page.
    for outcome, since in report.failing:
        _say_warning(
            f"{outcome.day} has FAILED on every run since {since} (last: "
            f"{outcome.problem or 'not asked'}); runs ask again until "
            f"{since + timedelta(days=RETRY_WINDOW_DAYS)}, then give up on it"
        )
    for outcome in report.given_up:
        _say_warning(
            f"GAVE UP on {outcome.day} after {RETRY_WINDOW_DAYS} days of failures "
            f"(last: {outcome.problem or 'not asked'}); later runs no longer ask for it: "
            f"sitegen fetch --date {outcome.day} asks again"
        )


def _say_warning(text: str) -> None:
    print(f"sitegen: {text}", file=sys.stderr, flush=True)
    actions_annotation(text, title="sitegen fetch")


def _annotate_missed_days(report: FetchReport, *, retried: list[date], scheduled: bool) -> None:
    """Warnings on the Actions run's summary page: a run that commits what it had still shows
    the days it missed; one that had none says whether its owner has anything to do (a
    replay of a day Hugging Face was down: the page named each URL that failed, no more)."""
    if report.missed and len(report.missed) == len(report.days):  # the run fails: exit 1
        why, _, hint = (report.stopped or report.missed[-1].problem or "not asked").partition("\n")
        # A scheduled run asks from the last day held, which this run did not move: the next
        # one asks for these days again. A backfill's range is asked by hand alone.
        what_now = (
            ", and the next run asks for these days again"
            if scheduled
            else ": run this fetch again once the source answers"
        )
        actions_annotation(
            f"sitegen fetch had none of the {counted(len(report.days), 'day')} it asked for: {why}"
            f"; nothing was written{what_now}" + (f"\n{hint}" if hint else ""),
            title="sitegen fetch",
            level="error",
        )
    elif report.missed:
        days = [outcome.day for outcome in report.missed]
        actions_annotation(
            f"sitegen fetch missed {counted(len(days), 'day')}: {day_list(days)}"
            + (f"; the next runs ask again for {day_list(retried)}" if retried else ""),
            title="sitegen fetch",
        )


def say_merge_notes(report: IngestReport) -> None:
    """What an ingest or a fetch merged that its user should check (sitegen.ingest.Merged)."""
    _say_put_back(report.put_back)
    _say_one_title(report.one_title)
    _say_retitled(report.retitled)
    _say_same_title(report.same_title)
    _say_unlinked(report.unlinked)


def _say_put_back(pairs: Sequence[tuple[date, str]]) -> None:
    """Papers on no day that a listing put on one: taken off by hand, maybe. Many of one day
    are one line: a day file deleted and ingested again put back its 270 papers, a line each."""
    by_day: dict[date, list[str]] = {}
    for day, paper_id in pairs:
        by_day.setdefault(day, []).append(paper_id)
    for day, ids in by_day.items():
        if len(ids) > _NAMED_ONE_BY_ONE:
            put = f"{len(ids)} papers on no day ({', '.join(ids[:2])} and {len(ids) - 2} more)"
            say_note(
                f"{day}'s listing put {put} on {DAYS_DIR}/{day}.toml, as after its day file"
                " was deleted; to keep a paper off the site, name it in site.toml's [content]"
                " hidden"
            )
            continue
        for paper_id in ids:
            say_note(
                f"{day}'s listing put {paper_id} on {DAYS_DIR}/{day}.toml, where no day listed"
                " it: if it was taken off by hand, the next listing of the day brings it back"
                " too; to keep it off the site, name it in site.toml's [content] hidden"
            )


_NAMED_ONE_BY_ONE = 3  # papers a day puts back, each said on a line of its own


def _say_retitled(papers: Sequence[tuple[date, str, str, str]]) -> None:
    """Papers a listing titles otherwise than their files (see sitegen.ingest.Merged)."""
    for day, paper_id, listed, kept in papers:
        note = (
            f"{day}'s listing titles {paper_id} {listed!r}, its file {kept!r}: the file's is"
            " kept; to take the listing's (a correction of the source's), edit the title in"
            f" {PAPERS_DIR}/{paper_id}.md"
        )
        say_note(note, warning="sitegen: a title changed at the source")


def _say_one_title(pairs: Sequence[tuple[date, str, str]]) -> None:
    """Two titles of one listing taken as one paper (found by a review: in silence)."""
    for day, first, other in pairs:
        say_note(
            f"{day} lists {first!r} and then {other!r}: titles that differ only in case or"
            " punctuation are one paper's, so the second was filed as the first; if they are"
            f" two papers, add a file for the second to {PAPERS_DIR}/ and its entry to"
            f" {DAYS_DIR}/{day}.toml"
        )


def _say_same_title(pairs: Sequence[tuple[str, str]]) -> None:
    """Paper files of one title, said by the first run that reads one of them new or edited
    (a scheduled fetch after the merge, a build after a pull), on the Actions run's summary
    page too, since a scheduled run's log is seldom read."""
    for first, second in pairs:
        note = (
            f"{first} and {second} have the same title: if they are one paper (two clones"
            " each took it as new), keep one file, move what the other adds into it (its higher"
            " upvotes too), point the other's day entries at the kept id and delete the other"
        )
        say_note(note, warning="sitegen: one paper twice?")


def _say_unlinked(links: Sequence[tuple[str, str, str]]) -> None:
    """Links no page carries, said by the first run that reads their file new or edited."""
    for path, key, value in links:
        say_note(
            f"{path}: {key} = {json.dumps(value, ensure_ascii=False)} is not a web address"
            " (one http(s) URL, no space or quote in it): no page links it"
        )


def say_note(text: str, *, warning: str = "") -> None:
    """`text` as a note on stderr; with a `warning` title, also a warning on the Actions run's
    page when run there, since a scheduled run's log is seldom read."""
    print(f"sitegen: note: {text}", file=sys.stderr, flush=True)
    if warning:
        actions_annotation(text, title=warning)


def actions_annotation(text: str, *, title: str = "sitegen", level: str = "warning") -> None:
    """`text` as a warning or an error on the GitHub Actions run's page, when run there."""
    if os.environ.get("GITHUB_ACTIONS") != "true":
        return
    # A workflow command is one line: its message escaped as the runner expects.
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    print(f"::{level} title={title}::{escaped}", flush=True)


def day_list(days: Sequence[date]) -> str:
    return first_of([day.isoformat() for day in days], 10)


def print_ingest_report(
    report: IngestReport, parsed: list[tuple[Listing, str]], *, today: date, latest: date
) -> None:
    """What `sitegen ingest` did, the notes of each listing (entries left out: of another day,
    or listed twice), and what its user should check of the merge."""
    entries = sum(len(listing.entries) for listing, _ in parsed)
    # The days they were filed under, which may have come from the text alone.
    days = sorted({listing.day.isoformat() for listing, _ in parsed})
    of_days = (
        " and ".join([", ".join(days[:-1]), days[-1]] if len(days) > 1 else days)
        if len(days) <= 3
        else f"{counted(len(days), 'day')}, {days[0]} to {days[-1]}"
    )
    print(
        f"ingested {counted(len(parsed), 'listing')} of {of_days},"
        f" {counted(entries, 'entry', 'entries')}: {counted(report.new_papers, 'new paper')},"
        f" {thousands(report.papers)} in all; {counted(len(report.written), 'file')} written"
    )
    for listing, _ in parsed:
        notes = list(listing.notes)
        if listing.day > latest:  # given by --date or the file's name: noted, not refused
            # Found by a trial: --date 2030-01-01 became the site's latest day without a word.
            notes.append(f"filed under {listing.day}, a day to come (today is {today}, UTC):"
                         " is its year right?")  # fmt: skip
        for note in notes:
            print(f"{printable(listing.origin)}: note: {note}", file=sys.stderr)
    say_merge_notes(report)


def print_topics_report(
    root: Path, config: SiteConfig, *, previous: tuple[Topic, ...] | None
) -> None:
    """`sitegen build --topics-report`: what the topic rules of site.toml do to the papers,
    and, with the rules before an edit (--topics-before), the papers each topic gained and
    lost (it matches every paper again)."""
    papers = [p for p in load_content(root).papers.values() if p.id not in config.hidden]
    print("\n".join(topic_report(papers, config.topics, previous=previous).lines()))


def papers_to_explain(root: Path, paper_ids: Sequence[str]) -> list[Paper]:
    """The papers `--topics-why` names, as their files say them now; an id no paper has is a
    UsageError (asked before the build: a mistyped id is not a site published, then refused)."""
    papers = load_content(root).papers
    found = []
    for named in paper_ids:
        paper_id = named if named in papers else _paper_of_arxiv_id(papers, named)
        if paper_id is None:
            close = difflib.get_close_matches(named, papers, n=1, cutoff=0.9)
            raise UsageError(
                f"--topics-why {named}: no such paper"
                + (f" (did you mean {close[0]}?)" if close else ""),
                hint=f"give a paper's id (its file's name in {PAPERS_DIR}/ without .md) or its"
                " arXiv id",
            )
        found.append(papers[paper_id])
    return found


# An arXiv id as arXiv's pages write it: `arXiv:2606.10896v2` is the paper 2606.10896.
_ARXIV_AS_WRITTEN = re.compile(r"(?:arxiv:)?(?P<id>.*?)(?:v\d+)?", re.IGNORECASE)


def _paper_of_arxiv_id(papers: Mapping[str, Paper], named: str) -> str | None:
    written = _ARXIV_AS_WRITTEN.fullmatch(named)
    if written is None or not is_arxiv_id(arxiv_id := written["id"]):
        return None
    if arxiv_id in papers:
        return arxiv_id
    # A paper first had from a text capture is named after its title; read only on a miss.
    return next((p.id for p in papers.values() if p.arxiv_id == arxiv_id), None)


def print_topics_why(config: SiteConfig, papers: Sequence[Paper]) -> None:
    """`sitegen build --topics-why`: why each of `papers` has its topics."""
    for paper in papers:
        print("\n".join(why_topics(paper, config.topics)))
        if paper.id in config.hidden:
            print("  (hidden by site.toml's [content] hidden: on no page or feed)")
