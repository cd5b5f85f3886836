"""A count with its noun, as pages, feeds and messages say it: "1 day", "3 days" (pure).
The command line said "1 day(s)", "1 new paper(s)", as a report written for no number."""

from __future__ import annotations


def counted(number: int, noun: str, plural: str = "") -> str:
    """`number` and its `noun`, plural unless one: `plural` if given, else the noun and "s"."""
    return f"{thousands(number)} {noun if number == 1 else plural or noun + 's'}"


def thousands(number: int) -> str:
    """A number as a reader reads it, grouped by thousands: "27,387" (a topic of a site six
    years old said "27387 papers")."""
    return f"{number:,}"
