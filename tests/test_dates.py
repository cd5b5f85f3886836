"""Dates as the site reads them from names and keys: a day is written YYYY-MM-DD, and only so."""

from __future__ import annotations

from datetime import date

from sitegen.dates import iso_day


def test_a_day_is_read_only_from_its_iso_name() -> None:
    """A day file, a digest item or a fetch's record is named by its day as date.isoformat
    writes it; another spelling Python would read ("20261122", "2026-W47-7") names no day, so
    that one day never has two names (a record kept twice, a file the store does not read)."""
    assert iso_day("2026-11-22") == date(2026, 11, 22)
    assert [iso_day(name) for name in ("20261122", "2026-W47-7", "2026-11-31", "")] == [None] * 4
