"""Text captures of Daily Papers pages: the full, bare and compact shapes (issue #2).

full     header, day line ("Jan 8"), then per paper: title, abstract, [• N authors], [org line],
         "·", date line ("Jul 18, 2025" | "Apr 3", optionally followed by upvotes)
bare     header without "Daily Papers", day line, then title and abstract only
compact  no blank lines, no day line, "Subscribe" glued onto the first title
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sitegen.clean import clean_line
from sitegen.dates import human_date, month_day
from sitegen.errors import ListingError, Location
from sitegen.listings.base import Listing, ListingEntry, latex_escapes_read
from sitegen.model import MAX_COUNT, Organization, day_out_of_range

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH = r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_DAY_LINE = re.compile(rf"{_MONTH} (\d{{1,2}})(?:, (\d{{4}}))?")  # the year: copied from elsewhere
# A word and a day of the month, either way round: what a mistyped day line looks like.
_LOOSE_DAY_LINE = re.compile(
    r"(?P<word>[^\W\d]{3,12})\.?,? ?\d{1,2}\S{0,3}|\d{1,2}\S{0,3} ?(?P<after>[^\W\d]{3,12})\.?"
)
_DATE_LINE = re.compile(rf"{_MONTH} (\d{{1,2}})(?:, (\d{{4}}))?(?: (\d+))?")
# The bullet is optional: a copy without it made an organisation "4" named "authors".
_AUTHORS_LINE = re.compile(r"(?:[•·*-]\s*)?(\d+)\s+authors?", re.IGNORECASE)
_SEPARATOR = "·"
# Compared without spaces or case: "byAK and ..." is "by AK and ..." in some copies.
_HEADER_LINES = frozenset(
    {
        "new",
        "gettrendingpapersinyouremailinbox!",
        "gettrendingpapersinyouremailinboxonceaday!",
        "subscribe",
        "dailypapers",
        "byakandtheresearchcommunity",
    }
)
# Header lines no paper's title or abstract is: seen among the papers, the page is there twice.
_PAGE_HEADER_LINES = _HEADER_LINES - {"new", "subscribe", "dailypapers"}
_GLUED_SUBSCRIBE = "Subscribe"


@dataclass(frozen=True, slots=True)
class _Line:
    number: int  # 1-based, in the original file
    text: str


@dataclass(frozen=True, slots=True)
class _PaperDate:
    month: int
    day: int
    year: int | None  # None: the listing's own year
    line: int


def parse_text_listing(
    text: str,
    *,
    origin: str,
    day: date | None,
    day_from: str = "--date",
    latest: date | None = None,
) -> Listing:
    """Parse a text capture; `day` (from `day_from`: --date or the file name) gives the day
    line its year, and must be the day that line shows. A year found from the papers' dates
    may not make a day after `latest`."""
    lines = _content_lines(text)
    if not lines:
        raise ListingError(
            "the file has no non-blank lines", location=Location(origin), hint="give a listing"
        )
    body, saw_header, saw_daily_papers = _strip_header(lines)
    # Copied from the day line down, the page is no less a listing, when its
    # papers' lines say so too (below): a day line alone starts many a text of paragraphs.
    if not saw_header and not _DAY_LINE.fullmatch(lines[0].text):
        raise _not_a_listing(lines[0], origin)
    day_line: _Line | None = None
    if body and _DAY_LINE.fullmatch(body[0].text):
        day_line, body = body[0], body[1:]
    if not body:
        raise ListingError(
            f"the listing has {'a header' if saw_header else 'a day line'} but no papers",
            location=Location(origin, lines[-1].number),
            hint="the capture was probably cut off; capture the page again",
        )
    drafts = _read_papers_after(day_line, body, origin=origin)
    if not saw_header and not any(d.authors_count or d.organization or d.date for d in drafts):
        raise ListingError(
            "not a Daily Papers listing, or one without the lines that tell it from other text:"
            f" a day line ({lines[0].text[:20]!r}) without the page's header, over papers"
            " without authors or dates",
            location=Location(origin, lines[0].number),
            hint="copy the huggingface.co/papers page from its top, down to its last paper",
        )
    given_by = day_from if day else None  # what said the day, unless the listing says it too
    if day and day_line and (shown := _DAY_LINE.fullmatch(day_line.text)):
        given_by = None if shown[3] else given_by
        month, day_of_month = _MONTHS.index(shown[1]) + 1, int(shown[2])
        year = int(shown[3]) if shown[3] else day.year
        if (year, month, day_of_month) != (day.year, day.month, day.day):
            # As an API answer of another day is refused: the papers of Oct 31 were filed
            # under Oct 30 without a word (found by a new user).
            raise ListingError(
                f"the listing shows {day_line.text},"
                f" not {human_date(day) if shown[3] else month_day(day)} ({day_from} says"
                f" {day.isoformat()}): it is not that day's listing",
                location=Location(origin, day_line.number),
                hint="give the day it shows, --date "
                + (
                    f"{year}-{month:02}-{day_of_month:02}"
                    if shown[3]
                    else f"{_shown_day(month, day_of_month, drafts, near=day)}"
                )
                + (", or name the file after it" if day_from != "--date" else ""),
            )
    listing_day = day or _infer_day(day_line, drafts, origin=origin, latest=latest)
    entries = tuple(_finish(d, listing_day, origin=origin, given_by=given_by) for d in drafts)
    has_metadata = day_line is not None and saw_daily_papers
    shape = "full" if has_metadata else ("bare" if day_line is not None else "compact")
    return Listing(day=listing_day, entries=entries, origin=origin, shape=shape)


def _not_a_listing(first: _Line, origin: str) -> ListingError:
    return ListingError(
        "not a Daily Papers listing: expected its header ('new', 'Get trending papers in your"
        f" email inbox!', ...) or its day line ('Oct 31'), but found {first.text[:60]!r}",
        location=Location(origin, first.number),
        hint="copy the huggingface.co/papers page from its top, or from its day line, down to"
        " its last paper",
    )


def _shown_day(month: int, day_of_month: int, drafts: list[_Draft], *, near: date) -> date:
    """The day a year-less day line shows, given as `near`: of the days its papers' dates
    allow, the one nearest `near` but not after its year (Mar 14 given as Nov 22 is the Mar 14
    before: found by a trial; given as Mar 15, the one a day before: found by a review); else
    the nearest date."""
    dates = [draft.date for draft in drafts if draft.date is not None]
    after = max((d.year for d in dates if d.year is not None), default=near.year - 5)
    candidates = _days_allowed(month, day_of_month, dates, range(after + 1, near.year + 1))
    if not candidates:
        return _nearest(near, month, day_of_month)
    return min(candidates, key=lambda candidate: abs(candidate - near))


def _days_allowed(
    month: int, day_of_month: int, dates: list[_PaperDate], years: Iterable[int]
) -> list[date]:
    """The listing days of `month` and `day_of_month` in `years`, oldest first, that no paper
    date falls after (Feb 29 only in a leap year)."""
    allowed = []
    for year in years:
        with contextlib.suppress(ValueError):
            listing_day = date(year, month, day_of_month)
            if all(_fits(d, year, listing_day) for d in dates):
                allowed.append(listing_day)
    return allowed


def _nearest(day: date, month: int, day_of_month: int) -> date:
    """The date of `month` and `day_of_month` nearest `day` (Dec 31 for Jan 1 is the year
    before; Feb 29 is a leap year's): a hint's day, found by a review."""
    candidates = []
    for year in range(day.year - 4, day.year + 5):
        with contextlib.suppress(ValueError):
            candidates.append(date(year, month, day_of_month))
    return min(candidates, key=lambda candidate: abs(candidate - day))


def _content_lines(text: str) -> list[_Line]:
    # Only LF, CRLF and CR end a line. str.splitlines() also ends lines at \x0b, \x0c,
    # \x1c-\x1e, \x85, U+2028 and U+2029, and one of those inside an abstract made a paper
    # of half of it (issue #15); clean_line turns them into spaces.
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [
        _Line(number, cleaned)
        for number, raw in enumerate(lines, start=1)
        if (cleaned := clean_line(raw))
    ]


def _strip_header(lines: list[_Line]) -> tuple[list[_Line], bool, bool]:
    index, saw_header, saw_daily_papers, last = 0, False, False, ""
    while index < len(lines) and _header_key(lines[index].text) in _HEADER_LINES:
        saw_header = True
        last = _header_key(lines[index].text)
        saw_daily_papers |= last == "dailypapers"
        index += 1
    body = lines[index:]
    # The compact capture glues the Subscribe button onto the first title ("SubscribeOneRec: ...").
    # Right after the e-mail line that the button follows, the button it is, whatever the
    # title's first letter ("Subscribes1: ...", "Subscribe(...)"); elsewhere only before a
    # capital or a digit, so that a title such as "Subscriber churn ..." is left whole.
    if body and body[0].text.startswith(_GLUED_SUBSCRIBE) and len(body[0].text) > 9:
        rest = body[0].text[len(_GLUED_SUBSCRIBE) :]
        after_inbox = last.startswith("gettrendingpapersinyouremailinbox")
        if after_inbox or rest[0].isupper() or rest[0].isdigit():
            saw_header = True
            body = [_Line(body[0].number, rest), *body[1:]]
    return body, saw_header, saw_daily_papers


def _header_key(text: str) -> str:
    return text.casefold().replace(" ", "")


@dataclass(frozen=True, slots=True)
class _Draft:
    title: _Line
    abstract: str
    authors_count: int | None
    organization: Organization | None
    date: _PaperDate | None
    upvotes: int | None


def _read_papers(body: list[_Line], *, origin: str) -> list[_Draft]:
    drafts: list[_Draft] = []
    index = 0
    end = len(body)

    def cut_off(at: _Line, what: str) -> ListingError:
        return ListingError(
            f"the listing is cut off: {what}",
            location=Location(origin, at.number),
            hint="the capture is incomplete; capture the page again or remove the partial paper",
        )

    while index < end:
        title = body[index]
        _expect_text(title, "a paper title", origin=origin)
        if _reads_as_prose(title.text):
            raise _split_abstract(title, "a paragraph", origin=origin)
        # A lowercase name before a subtitle is a title where only a title may be: first, or
        # after a paper's metadata. Elsewhere it may be an abstract's middle line (a review:
        # accepted second, or in a capture without metadata, 6 of 45 such splits made papers):
        # then the hint says how to have it read as a title.
        named = not drafts or drafts[-1].date is not None or drafts[-1].authors_count is not None
        if _goes_on(title.text, may_be_named=named):
            raise _split_abstract(title, "a sentence going on", origin=origin)
        if index + 1 >= end:
            raise cut_off(title, f"the paper {title.text[:60]!r} has no abstract")
        abstract = body[index + 1]
        if _LOWERCASE_START.match(title.text) and _is_metadata(abstract.text):  # "via MFC."
            raise _split_abstract(title, "a sentence going on", origin=origin)
        _expect_text(abstract, "an abstract", origin=origin)
        index += 2
        authors_count: int | None = None
        organization: Organization | None = None
        paper_date: _PaperDate | None = None
        upvotes: int | None = None
        if index < end and (match := _AUTHORS_LINE.fullmatch(body[index].text)):
            authors_count = _count(match[1], "authors", body[index], origin=origin)
            index += 1
            if index >= end:
                raise cut_off(body[index - 1], "an authors line is not followed by '·' and a date")
        next_is_separator = index + 1 < end and body[index + 1].text == _SEPARATOR
        if next_is_separator and body[index].text != _SEPARATOR:
            if body[index].text.startswith("•"):  # a mistyped authors line, not an organisation
                raise ListingError(
                    f"expected '• N authors', found {body[index].text[:60]!r}",
                    location=Location(origin, body[index].number),
                    hint="write the authors line as '• 4 authors', or remove it",
                )
            organization = _organization(body[index].text)
            index += 1
        if index < end and body[index].text == _SEPARATOR:
            if index + 1 >= end:
                raise cut_off(body[index], "'·' is not followed by the paper's date")
            paper_date, upvotes = _date_line(body[index + 1], origin=origin)
            index += 2
            if _stray_number(body, index):  # else read as the next paper's title
                raise ListingError(
                    f"expected a paper title, found the number {body[index].text!r} alone",
                    location=Location(origin, body[index].number),
                    hint="upvotes go on the date's line, after the date: 'Apr 3 12'",
                )
        elif authors_count is not None:
            raise ListingError(
                f"expected '·' after the authors line, found {body[index].text[:60]!r}",
                location=Location(origin, body[index].number),
                hint="the metadata of this paper is malformed; fix or remove that line",
            )
        drafts.append(
            _Draft(
                title=title,
                abstract=abstract.text,
                authors_count=authors_count,
                organization=organization,
                date=paper_date,
                upvotes=upvotes,
            )
        )
    # A capture cut inside the last abstract ends in a paper without the date line that
    # (nearly) every other paper has: a real page drops one here and there, not the last.
    # At most one other undated (the first paper of 2026-01-08's page has none), or a tenth.
    dated = sum(1 for d in drafts[:-1] if d.date)
    undated = len(drafts) - 1 - dated
    if dated and drafts[-1].date is None and undated <= max(1, (len(drafts) - 1) // 10):
        last = drafts[-1].title
        raise cut_off(last, f"the last paper {last.text[:60]!r} has no '·' and date line")
    return drafts


def _read_papers_after(day_line: _Line | None, body: list[_Line], *, origin: str) -> list[_Draft]:
    """The papers of `body`; a mistyped day line ("Jam 8") is named as the error, not the
    line far below it where the papers, read one line off, stopped making sense."""
    try:
        return _read_papers(body, origin=origin)
    except ListingError as error:
        if day_line is not None or not _is_mistyped_day_line(body[0].text):
            raise
        try:
            _read_papers(body[1:], origin=origin)
        except ListingError:
            raise error from None
        raise ListingError(
            f"expected the listing's day, like 'Jan 8', found {body[0].text!r}",
            location=Location(origin, body[0].number),
            hint="fix the day line: a month's first three letters, a space, the day of the month",
        ) from None


def _is_mistyped_day_line(text: str) -> bool:
    """A word whose first three letters are a month's but for one ("Jam", "oct", "Mär") and a
    day of the month: not a title such as "Genie 3"."""
    match = _LOOSE_DAY_LINE.fullmatch(text)
    if not match:
        return False
    # Cased before it is cut: a letter may case into two ("ß" into "Ss").
    word = (match["word"] or match["after"]).title()[:3]
    return len(word) == 3 and any(
        sum(a != b for a, b in zip(word, month, strict=True)) <= 1 for month in _MONTHS
    )


# A title ends without a period (none of 1,217 real ones does) and holds no sentence break.
_SENTENCE_BREAK = re.compile(r"[a-z0-9)%]\. [A-Z]")


# A sentence going on ("and cost.", "models trained this way are better than"): a line that
# starts with a word of lowercase letters only, as no real title of 1,187 does, and has few
# capitalised words after it, as "van der Waals Materials for Optical Computing" has many,
# or no abstract after it ("via MFC."). Found by a trial: an abstract split before its last
# words made them a paper, and the paper above it lost its date; a review: and one wrapped
# over three lines.
_LOWERCASE_START = re.compile(r"(?:[a-z]+ )+")
_WORD = re.compile(r"[^\W_][\w'’-]*")
# But a name of one to three lowercase words, a colon and a capitalised subtitle is a title
# ("simple diffusion: End-to-end diffusion for high resolution images", a new user's trial)
# where a title may start.
_LOWERCASE_NAME = re.compile(r"(?:[a-z0-9]+ ){0,2}[a-z0-9]+: [A-Z0-9]")


def _goes_on(text: str, *, may_be_named: bool) -> bool:
    start = _LOWERCASE_START.match(text)
    if start is None or (may_be_named and _LOWERCASE_NAME.match(text)):
        return False
    rest = _WORD.findall(text[start.end() :])
    return not rest or sum(word[0].isupper() or word[0].isdigit() for word in rest) * 2 < len(rest)


def _split_abstract(title: _Line, found: str, *, origin: str) -> ListingError:
    named = found == "a sentence going on" and _LOWERCASE_NAME.match(title.text) is not None
    return ListingError(
        f"expected a paper title, found {found}: {title.text[:60]!r}"
        + ("..." if len(title.text) > 60 else ""),
        location=Location(origin, title.number),
        hint="an abstract split over several lines? join them into one line"
        + ("; if it is a paper's title, capitalise its first letter" if named else ""),
    )


def _stray_number(body: list[_Line], index: int) -> bool:
    """Whether the line at `index`, after a paper's date, is a number that is no title: the
    upvotes put on a line of their own. A title of digits alone ("2048") has an abstract and
    then its own metadata; the upvotes have a title and an abstract after them."""
    if index >= len(body) or not body[index].text.isdecimal():
        return False
    # A title's metadata starts two lines on (its authors, its '·'), or three (after an
    # organisation's line).
    after = [line.text for line in body[index + 2 : index + 4]]
    return not (after and (_is_metadata(after[0]) or after[1:] == [_SEPARATOR]))


def _is_metadata(text: str) -> bool:
    return text == _SEPARATOR or bool(_AUTHORS_LINE.fullmatch(text) or _DATE_LINE.fullmatch(text))


def _reads_as_prose(text: str) -> bool:
    return text.endswith(".") and bool(_SENTENCE_BREAK.search(text))


def _expect_text(line: _Line, what: str, *, origin: str) -> None:
    if _header_key(line.text) in _PAGE_HEADER_LINES:
        raise ListingError(
            f"expected {what}, found the page's header line {line.text!r} again",
            location=Location(origin, line.number),
            hint="the capture holds the page twice (or two pages); keep one copy",
        )
    if _is_metadata(line.text):
        raise ListingError(
            f"expected {what}, found the metadata line {line.text!r}",
            location=Location(origin, line.number),
            hint="a paper is cut off or has lost its title or abstract before this line",
        )


def _organization(text: str) -> Organization:
    handle, _, name = text.partition(" ")
    return Organization(handle=handle, name=name.strip() or handle)


def _date_line(line: _Line, *, origin: str) -> tuple[_PaperDate, int | None]:
    match = _DATE_LINE.fullmatch(line.text)
    if not match:
        raise ListingError(
            f"expected a date like 'Jul 18, 2025' or 'Apr 3 12' after '·', found {line.text!r}",
            location=Location(origin, line.number),
            hint="fix the date line of this paper",
        )
    paper_date = _PaperDate(
        month=_MONTHS.index(match[1]) + 1,
        day=int(match[2]),
        year=int(match[3]) if match[3] else None,
        line=line.number,
    )
    return paper_date, _count(match[4], "upvotes", line, origin=origin) if match[4] else None


def _count(digits: str, what: str, line: _Line, *, origin: str) -> int:
    """A count as the listing writes it, refused past MAX_COUNT: no real paper has that many,
    and int() itself refuses more than 4,300 digits (issue #19)."""
    if len(digits) > len(str(MAX_COUNT)) or int(digits) > MAX_COUNT:
        raise ListingError(
            f"{what} count {digits[:20]}{'...' if len(digits) > 20 else ''} is out of range "
            f"(at most {MAX_COUNT:,})",
            location=Location(origin, line.number),
            hint="the capture is damaged; fix or remove that number",
        )
    return int(digits)


def _infer_day(
    day_line: _Line | None, drafts: list[_Draft], *, origin: str, latest: date | None
) -> date:
    """The listing's year: the first one after every explicit paper year in which no paper date
    falls after the listing day. HF omits the year of dates in the listing's own year."""
    hint = "pass --date YYYY-MM-DD, or name the file after its day (2025-10-31.txt)"
    if day_line is None:
        raise ListingError(
            "the listing has no day line and its file name carries no YYYY-MM-DD",
            location=Location(origin, 1),
            hint=hint,
        )
    match = _DAY_LINE.fullmatch(day_line.text)
    assert match is not None
    month, day_of_month = _MONTHS.index(match[1]) + 1, int(match[2])
    if match[3]:  # the day line's own year
        try:
            return date(int(match[3]), month, day_of_month)
        except ValueError:
            raise ListingError(
                f"the listing day {day_line.text!r} is not a calendar date",
                location=Location(origin, day_line.number),
                hint=hint,
            ) from None
    dates = [draft.date for draft in drafts if draft.date is not None]
    explicit_years = [d.year for d in dates if d.year is not None]
    if not dates or not explicit_years:
        raise ListingError(
            f"the listing day {day_line.text!r} has no year, and no paper date gives one",
            location=Location(origin, day_line.number),
            hint=hint,
        )
    years = range(max(explicit_years) + 1, max(explicit_years) + 3)
    if not _days_allowed(month, day_of_month, [], years):  # Feb 30, or 29 in no leap year
        raise ListingError(
            f"the listing day {day_line.text!r} is no calendar date in {years[0]} or"
            f" {years[-1]}, the years its papers' dates allow",
            location=Location(origin, day_line.number),
            hint=hint,
        )
    if allowed := _days_allowed(month, day_of_month, dates, years):
        # A page shows no year for its viewer's own: papers dated with this year's are a
        # hand's (a trial's). A day no site can hold is said to be so (parse_listing).
        if latest and latest < allowed[0] and not day_out_of_range(allowed[0]):
            raise ListingError(
                f"the listing day {day_line.text!r} has no year, and its papers' dates make it"
                f" {allowed[0]}, a day still to come",
                location=Location(origin, day_line.number),
                hint=hint,
            )
        return allowed[0]
    raise ListingError(
        f"cannot tell the year of the listing day {day_line.text!r}: a paper date falls after it",
        location=Location(origin, day_line.number),
        hint=hint,
    )


def _fits(paper_date: _PaperDate, year: int, listing_day: date) -> bool:
    try:
        return date(paper_date.year or year, paper_date.month, paper_date.day) <= listing_day
    except ValueError:
        return False


def _finish(draft: _Draft, listing_day: date, *, origin: str, given_by: str | None) -> ListingEntry:
    """The entry of `draft`; `given_by` names what gave `listing_day` (--date, the file's
    name), None when the listing's own lines did."""
    published: date | None = None
    if draft.date is not None:
        year = draft.date.year or listing_day.year
        if not draft.date.year and (draft.date.month, draft.date.day) > (
            listing_day.month,
            listing_day.day,
        ):
            year -= 1  # "Dec 30" on Jan 1's page: the viewer's year, not yet the listing's
        try:
            published = date(year, draft.date.month, draft.date.day)
        except ValueError:
            raise ListingError(
                f"{draft.date.month}/{draft.date.day}/{year} is not a calendar date",
                location=Location(origin, draft.date.line),
                hint="fix the date line of this paper",
            ) from None
        if published > listing_day:  # a year typed or cut wrong: a date in the future
            # A day given with a wrong year is the likelier mistake (found by a new user's
            # trial: the hint blamed the listing's right line for --date's wrong year).
            check = (
                f"is {given_by}'s day, {listing_day.isoformat()}, right? if so, "
                if given_by
                else ""
            )
            raise ListingError(
                f"the paper's date {published.isoformat()} is after the listing's day, "
                f"{listing_day.isoformat()}" + (f" ({given_by} says)" if given_by else ""),
                location=Location(origin, draft.date.line),
                hint=f"{check}the date line is cut off or wrong; fix it, or capture the page again",
            )
    return ListingEntry(
        title=latex_escapes_read(draft.title.text),
        abstract=draft.abstract,
        line=draft.title.number,
        authors_count=draft.authors_count,
        organization=draft.organization,
        published=published,
        upvotes=draft.upvotes,
    )
