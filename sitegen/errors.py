"""The error hierarchy: every error says where (file and line, or day) and what to do."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# Control characters and bidirectional overrides, shown escaped: a message quotes the source's
# text (an id, a key), and a terminal or an Actions log must not take it for commands
# (escape sequences, "\n::error ...": found by a review).
# And lone surrogates: a file name of bytes that are no UTF-8 (no terminal could be sent them).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]")


def printable(text: str) -> str:
    """`text` on one line, every control character written as its escape, and a byte of a file
    name that is not UTF-8 (held as a surrogate) as that byte: caf\\xe9, not caf\\udce9."""
    return _UNPRINTABLE.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else ascii(match[0])[1:-1]


# What a command exits with (`sitegen.__main__` and `sitegen.cli`, which the former may not
# import before it has checked where it runs).
EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130


# The start of the note a page's render adds to an undefined name's error: the names its
# template was given, which the error's hint lists (sitegen.templating.template_error).
NAMES_GIVEN = "the template was given: "


def reason_of(error: OSError) -> str:
    """What went wrong, in the system's words: its strerror, else its text, else its type."""
    return error.strerror or str(error) or type(error).__name__


@dataclass(frozen=True, slots=True)
class Location:
    """Where a problem is: a file, optionally a 1-based line in it."""

    path: str
    line: int | None = None

    def __str__(self) -> str:
        return self.path if self.line is None else f"{self.path}:{self.line}"


class OutputLost(Exception):
    """Standard output could not be written (`sitegen build > /dev/full`): sitegen's command
    (sitegen.__main__) says so in one line."""


class SitegenError(Exception):
    """Base of every error sitegen reports to a user (never shown as a traceback)."""

    def __init__(self, message: str, *, location: Location | None = None, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only arguments: the default pickling would drop the location and the hint
        # of an error raised in a build worker.
        return (_rebuild, (type(self), self.message, self.location, self.hint))

    def __str__(self) -> str:
        where = f"{printable(str(self.location))}: " if self.location else ""
        hint = f"\n  hint: {printable(self.hint)}" if self.hint else ""
        return f"{where}{printable(self.message)}{hint}"


def _rebuild(
    cls: type[SitegenError], message: str, location: Location | None, hint: str
) -> SitegenError:
    return cls(message, location=location, hint=hint)


def first_of(texts: Sequence[str], most: int) -> str:
    """The first `most` of `texts`, and how many more, for a message: "a, b and 3 more"."""
    shown = ", ".join(texts[:most])
    return shown + (f" and {len(texts) - most} more" if len(texts) > most else "")


class UsageError(SitegenError):
    """A command-line flag or argument is wrong."""


class ConfigError(SitegenError):
    """site.toml is broken."""


class ListingError(SitegenError):
    """A listing (text capture, API answer or HTML page) cannot be parsed."""


class OtherDayListing(ListingError):
    """A listing that reads, but of another day than the one asked for: what Hugging Face
    shows for a day without papers is the page of the day before (issue #14)."""


class ContentError(SitegenError):
    """A file of the content store is broken, or cannot be written."""


class ContentErrors(ContentError):
    """Several files of the content store broken, each said: one a run took a run to mend
    each."""

    def __init__(self, errors: Sequence[ContentError]) -> None:
        super().__init__(f"{len(errors)} content files are broken")
        self.errors = tuple(errors)

    def __reduce__(self) -> tuple[object, ...]:
        return (ContentErrors, (self.errors,))

    def __str__(self) -> str:
        return "\n".join(map(str, self.errors))


class TemplateError(SitegenError):
    """A template is missing or broken."""


class BuildError(SitegenError):
    """The site cannot be built into the output asked for."""


class FetchError(SitegenError):
    """The live source could not be fetched or answered something unusable."""
