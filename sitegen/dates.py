"""Dates, each rule written once: a day read from its ISO name, and a day or a month written
as the site shows it ("Dec 4, 2026", "Nov 16", "November 2026", "Nov 2026", "2026-11").

Every date is a calendar day in UTC; the time a day's items are dated is
sitegen.site.day_moment, and the clock is read only by the CLI.
"""

from __future__ import annotations

from datetime import date
from functools import cache


def iso_day(text: str) -> date | None:
    """The day `text` writes as YYYY-MM-DD, and only so; None for anything else."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if day.isoformat() == text else None


def iso_month(day: date) -> str:
    """ "2026-11": the month of `day` as a URL, an anchor and the JSON API name it."""
    return f"{day.year}-{day.month:02d}"


@cache  # a day is on every card of its papers (the cold-build budget: strftime is slow)
def human_date(day: date) -> str:
    """ "Dec 4, 2026"."""
    return f"{month_day(day)}, {day.year}"


def month_day(day: date) -> str:
    """ "Dec 4": a day within a year the reader knows."""
    return f"{day:%b} {day.day}"


def month_name(day: date) -> str:
    """ "November 2026": the month of `day`, as a heading names it."""
    return f"{day:%B %Y}"


def month_abbreviation(day: date) -> str:
    """ "Nov": the month of `day` in a line of a year's months (the days index)."""
    return f"{day:%b}"


def short_month(day: date) -> str:
    """ "Nov 2026": the month of `day`, as a chart's label names it."""
    return f"{day:%b %Y}"
