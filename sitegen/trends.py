"""Topic trends: papers per month, drawn at build time as inline SVG (pure).

The drawings are numbers for the templates (bar boxes, a polyline's points): no script, no
markup made here, so the templates escape every text they show.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sitegen.dates import short_month
from sitegen.wording import counted, thousands

TREND_MONTHS = 24  # months a chart shows, the newest last
RECENT_MONTHS = 3  # "rising" compares this many closed months with as many before them
RISING_SHARE = 1.5  # ... and needs this many times as many papers
RISING_LEAST = 3  # ... and at least this many papers in the recent months
RISING_RULE = (
    f"Rising: at least {RISING_LEAST} papers in the last {RECENT_MONTHS} full months, and at "
    f"least {RISING_SHARE:g} times as many as in the {RECENT_MONTHS} months before them."
)


class Trend(NamedTuple):
    """A topic's papers per month, each counted in the month that first featured it."""

    last_month: date  # the first day of the newest month, which is still open
    # Per month, oldest first, ending with `last_month`; None for a month the site holds no
    # day of: no data, not no papers (the bundled content's gaps read as a topic dying).
    counts: tuple[int | None, ...]

    def months(self) -> tuple[date, ...]:
        first = _month_index(self.last_month) - len(self.counts) + 1
        return tuple(_month(first + i) for i in range(len(self.counts)))

    @property
    def rising(self) -> bool:
        """Its last RECENT_MONTHS closed months against the as many before (see RISING_RULE)."""
        closed = self.counts[:-1]
        # A site younger than that has nothing to compare; its first month, mostly partial,
        # is never compared (a review: one day of October counted as a month).
        if len(closed) <= 2 * RECENT_MONTHS:
            return False
        compared = closed[-2 * RECENT_MONTHS :]
        if None in compared:  # a month without data says nothing either way
            return False
        recent = sum(c or 0 for c in compared[RECENT_MONTHS:])
        before = sum(c or 0 for c in compared[:RECENT_MONTHS])
        return recent >= RISING_LEAST and recent >= RISING_SHARE * before


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _month(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def trend(
    per_month: Mapping[date, int],
    newest: date,
    oldest: date | None = None,
    held: Collection[date] | None = None,
) -> Trend:
    """The trend of a topic with `per_month` papers (by the first day of the month that first
    featured them) over the TREND_MONTHS up to `newest`'s month, from `oldest`'s at the
    earliest (the site's first day: months before it are no data, not a topic's nothing, which
    a reader's trial took for interest collapsing). Given the months the site holds days of
    (`held`, by their first days), the others are None."""
    last = _month_index(newest)
    first = last - TREND_MONTHS + 1
    if oldest is not None:  # a site of one month: one month, a bar and a dot
        first = max(first, _month_index(oldest))
    months = (_month(index) for index in range(first, last + 1))
    return Trend(
        _month(last),
        tuple(
            per_month.get(month, 0) if held is None or month in held else None for month in months
        ),
    )


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    height: float
    month: str  # "Nov 2026"
    count: int | None  # None: no day of the month is held


@dataclass(frozen=True, slots=True)
class BarChart:
    """A bar per month: the SVG's boxes, and the same numbers as a table's rows."""

    width: int
    height: int
    bar_width: int
    bars: tuple[Bar, ...]
    summary: str  # what the chart shows, in words: its caption, after "Papers per month:"

    @property
    def baseline(self) -> int:
        return self.height - 1


_BAR, _GAP, _CHART_HEIGHT = 10, 3, 60


def _peak(trend: Trend) -> int:
    """The busiest month's count, what drawings are scaled to (1 for none, not a division by 0)."""
    return max((c for c in trend.counts if c is not None), default=0) or 1


def bar_chart(trend: Trend) -> BarChart:
    """`trend` as bars scaled to the busiest month; none for a month without data."""
    peak = _peak(trend)
    bars = []
    for i, (month, count) in enumerate(zip(trend.months(), trend.counts, strict=True)):
        height = round((_CHART_HEIGHT - 2) * (count or 0) / peak, 1)
        y = round(_CHART_HEIGHT - 1 - height, 1)
        bars.append(Bar(i * (_BAR + _GAP), y, height, month=short_month(month), count=count))
    total = sum(c or 0 for c in trend.counts)
    busiest = max(bars, key=lambda b: b.count or 0)
    said = counted(total, "paper") if total else "none"
    if len(bars) == 1:  # a site's first month: no range, and no busiest of one
        summary = f"{said} in {bars[0].month}{' (so far)' if total else ''}."
    elif total:
        summary = (
            f"{said} from {bars[0].month} to {bars[-1].month} (so far); the busiest month"
            f" was {busiest.month} with {thousands(busiest.count or 0)}."
        )
    else:
        summary = f"none from {bars[0].month} to {bars[-1].month}."
    if None in trend.counts:
        summary += " Months the site holds no day of are left blank."
    return BarChart(
        width=len(bars) * (_BAR + _GAP) - _GAP,
        height=_CHART_HEIGHT,
        bar_width=_BAR,
        bars=tuple(bars),
        summary=summary,
    )


_SPARK_STEP, _SPARK_HEIGHT = 4, 20


@dataclass(frozen=True, slots=True)
class Sparkline:
    width: int
    height: int
    lines: tuple[str, ...]  # SVG polylines' points, numbers only: broken where data is missing
    dots: tuple[tuple[float, float], ...]  # a month alone between gaps: its point


def sparkline(trend: Trend) -> Sparkline:
    """`trend` as a small line, scaled to its busiest month, with a gap for a month without
    data."""
    peak = _peak(trend)
    runs: list[list[tuple[float, float]]] = [[]]
    for i, count in enumerate(trend.counts):
        if count is None:
            runs.append([])
        else:
            y = round(_SPARK_HEIGHT - 1 - (_SPARK_HEIGHT - 2) * count / peak, 1)
            runs[-1].append((i * _SPARK_STEP, y))
    return Sparkline(
        width=(len(trend.counts) - 1) * _SPARK_STEP,
        height=_SPARK_HEIGHT,
        lines=tuple(" ".join(f"{x},{y:g}" for x, y in run) for run in runs if len(run) > 1),
        dots=tuple(run[0] for run in runs if len(run) == 1),
    )
