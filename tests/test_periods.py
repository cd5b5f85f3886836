"""Weeks, months and their top papers; topic trends (the pure core of /top/ and /topics/)."""

from __future__ import annotations

import itertools
from datetime import date

from sitegen.model import Papers
from sitegen.periods import (
    MONTH,
    WEEK,
    Period,
    period_of,
    periods,
    rank_by_upvotes,
    top_papers,
)
from sitegen.trends import TREND_MONTHS, Trend, bar_chart, sparkline, trend


def test_a_week_runs_monday_to_sunday_and_is_named_by_its_iso_year() -> None:
    week = period_of(date(2026, 1, 1), WEEK)  # a Thursday: ISO week 1 of 2026 starts in 2025
    assert week == Period(WEEK, date(2025, 12, 29), date(2026, 1, 4))
    assert week.slug == "2026-W01"
    assert week.name == "Week 1 of 2026 (Dec 29 to Jan 4)"
    assert period_of(date(2026, 11, 22), WEEK).name == "Week 47 of 2026 (Nov 16 to 22)"


def test_a_month_holds_its_last_day() -> None:
    february = period_of(date(2028, 2, 10), MONTH)
    assert february == Period(MONTH, date(2028, 2, 1), date(2028, 2, 29))
    assert (february.slug, february.name) == ("2028-02", "February 2028")
    assert period_of(date(2026, 12, 31), MONTH).last == date(2026, 12, 31)


def test_only_the_period_of_the_newest_day_is_open() -> None:
    days = [
        (date(2026, 11, 23), Papers(("c", "a")), ()),  # Monday: a new week, same month
        (date(2026, 11, 22), Papers(("a", "b")), ()),
        (date(2026, 11, 16), Papers(("d",)), ()),
    ]
    weeks = periods(days, WEEK)
    assert [(p.period.slug, p.open) for p in weeks] == [("2026-W48", True), ("2026-W47", False)]
    assert weeks[1].papers == ("d", "a", "b")  # featured order: first day first, then rank
    (month,) = periods(days, MONTH)
    assert month.open and month.papers == ("d", "a", "b", "c")  # each paper once


def test_a_period_stays_open_through_its_last_day_and_while_a_missed_day_is_awaited() -> None:
    """A week whose newest day is its Sunday may still change; so may an older week whose day
    a fetch missed while it was new and will try again (fetch_state.awaited_days): its top
    papers are not final until that day comes."""
    days = [
        (date(2026, 11, 29), Papers(("c",)), ()),  # a Sunday, the last of November
        (date(2026, 11, 18), Papers(("b",)), ()),
        (date(2026, 11, 10), Papers(("a",)), ()),
    ]
    weeks = periods(days, WEEK, awaited={date(2026, 11, 19)})
    assert [(p.period.slug, p.open) for p in weeks] == [
        ("2026-W48", True), ("2026-W47", True), ("2026-W46", False),
    ]  # fmt: skip
    assert [p.open for p in periods(days, WEEK)] == [True, False, False]


def test_a_period_ranks_a_paper_featured_again_by_the_upvotes_its_own_days_recorded() -> None:
    """A paper featured again later with more upvotes leaves a closed week as it was."""
    upvotes = {"a": 500, "b": 3, "c": None}
    days = [  # "a" again the next week, much upvoted; its days before ranked it lower
        (date(2026, 11, 23), Papers(("a",)), ()),
        (date(2026, 11, 22), Papers(("b", "a")), (("a", 0),)),
        (date(2026, 11, 21), Papers(("a", "c")), (("a", 1),)),
    ]
    newer, older = periods(days, WEEK)
    assert (older.papers, older.again) == (("a", "c", "b"), (("a", 1),))  # its days' most
    assert top_papers(WEEK, older.papers, older.again, upvotes) == ("b", "a", "c")
    assert (newer.again, top_papers(WEEK, newer.papers, newer.again, upvotes)) == ((), ("a",))
    (month,) = periods(days, MONTH)  # a day ranked "a" by its own: the most
    assert month.again == () and top_papers(MONTH, month.papers, (), upvotes) == ("a", "b", "c")
    # No count recorded for "a" up to its closed week's days: it ranks last there.
    unrecorded = [days[0], *((day, papers, (("a", None),)) for day, papers, _ in days[1:])]
    older = periods(unrecorded, WEEK)[1]
    assert older.again == (("a", None),)
    assert top_papers(WEEK, older.papers, older.again, upvotes) == ("b", "a", "c")  # "a" ties "c"


def test_ranking_is_by_upvotes_ties_in_featured_order_and_unknown_counts_last() -> None:
    upvotes = {"a": 5, "b": None, "c": 9, "d": 5, "e": 0}
    assert rank_by_upvotes(("a", "b", "c", "d", "e"), upvotes) == ("c", "a", "d", "e", "b")
    assert rank_by_upvotes(("d", "b", "a"), upvotes) == ("d", "a", "b")


def test_a_trend_counts_each_paper_in_the_month_that_first_featured_it() -> None:
    per_month = {date(2026, 11, 1): 2, date(2026, 9, 1): 1, date(2020, 1, 1): 1}
    found = trend(per_month, date(2026, 11, 22))
    assert found.last_month == date(2026, 11, 1) and len(found.counts) == TREND_MONTHS
    assert found.counts[-1] == 2 and found.counts[-3] == 1 and sum(found.counts) == 3
    assert found.months()[0] == date(2024, 12, 1) and found.months()[-1] == date(2026, 11, 1)
    # From the site's first day's month: before it, no data, not no papers (a reader's trial).
    young = trend(per_month, date(2026, 11, 22), date(2026, 8, 30))
    assert young.months() == tuple(date(2026, month, 1) for month in (8, 9, 10, 11))
    assert young.counts == (0, 1, 0, 2) and not young.rising  # too young to compare
    # A site of one month: that month alone, a bar and a dot; no month before the site began
    # charted as a gap (a review).
    alone = trend(per_month, date(2026, 11, 22), date(2026, 11, 3), {date(2026, 11, 1)})
    assert alone.counts == (2,) and sparkline(alone).dots == ((0, 1),)


def test_rising_compares_the_last_three_closed_months_with_the_three_before() -> None:
    def rising(counts: tuple[int, ...]) -> bool:
        return Trend(date(2026, 11, 1), counts).rising

    # The first month, mostly partial, is never compared; the open month does not count.
    assert rising((9, 1, 1, 1, 2, 2, 2, 0))  # 6 against 3
    assert not rising((9, 2, 2, 1, 2, 2, 2, 50))  # 6 against 5: not half again as many
    assert not rising((9, 0, 0, 0, 1, 0, 1, 0))  # from nothing, but only 2 papers
    assert rising((9, 0, 0, 0, 0, 0, 3, 0))
    assert not rising((0, 0, 0, 0, 0, 3, 0))  # six closed months and the first: too young
    # RISING_RULE, as the topics page says it: "at least 1.5 times as many" holds at 1.5.
    assert rising((9, 1, 1, 0, 1, 1, 1, 0))  # 3 against 2
    assert not rising((9, 2, 2, 1, 3, 2, 2, 0))  # 7 against 5: 1.4 times, short of 1.5


def test_charts_are_scaled_to_the_busiest_month_and_say_it_in_words() -> None:
    counts = (0,) * (TREND_MONTHS - 3) + (4, 2, 1)
    chart = bar_chart(Trend(date(2026, 11, 1), counts))
    assert len(chart.bars) == TREND_MONTHS and chart.bars[-3].height == chart.height - 2
    assert chart.bars[-2].height == (chart.height - 2) / 2
    assert all(b.y + b.height == chart.baseline for b in chart.bars)
    # Side by side, oldest first, each inside the drawing: no bar hides another.
    assert chart.bars[0].x == 0 and chart.bars[-1].x + chart.bar_width == chart.width
    assert all(b.x + chart.bar_width < c.x for b, c in itertools.pairwise(chart.bars))
    assert chart.summary == (
        "7 papers from Dec 2024 to Nov 2026 (so far); the busiest month was Sep 2026 with 4."
    )
    empty = bar_chart(Trend(date(2026, 11, 1), (0,) * TREND_MONTHS))
    assert empty.summary == "none from Dec 2024 to Nov 2026."  # "Papers per month: none from ..."
    line = sparkline(Trend(date(2026, 11, 1), counts))
    ((points,), dots) = line.lines, line.dots
    assert len(points.split()) == TREND_MONTHS and dots == ()
    assert points.startswith("0,19 ") and points.endswith(" 84,1 88,10 92,14.5")


def test_a_chart_draws_each_month_to_a_tenth_of_a_pixel_and_none_for_no_papers() -> None:
    """What a topic's page draws: a month of no papers has no bar (its baseline alone), a
    month of a seventh of the busiest's papers a bar of a seventh of the height, to a tenth of
    a pixel; the sparkline spans its drawing; the busiest month named is the busiest, not a
    month of none before it."""
    seventh = Trend(date(2026, 11, 1), (0, 7, 1))
    chart = bar_chart(seventh)
    assert [(b.y, b.height) for b in chart.bars] == [(59, 0), (1, 58), (50.7, 8.3)]
    assert chart.summary.endswith("the busiest month was Oct 2026 with 7.")
    assert bar_chart(Trend(date(2026, 11, 1), (0, 1))).summary == (
        "1 paper from Oct 2026 to Nov 2026 (so far); the busiest month was Nov 2026 with 1."
    )
    line = sparkline(seventh)
    assert line.lines == ("0,19 4,1 8,16.4",)
    assert (line.width, line.height) == (8, 20)  # the last month at the right edge


def test_a_month_the_site_holds_no_day_of_is_a_gap_not_a_month_of_no_papers() -> None:
    """A reader's trial read the bundled content's months without days, charted as 0, as a
    topic dying; the "rising" mark compared them too."""
    per_month = {date(2026, 6, 1): 4, date(2026, 11, 1): 2}
    held = {date(2026, m, 1) for m in (1, 3, 6, 11)}
    found = trend(per_month, date(2026, 11, 22), date(2026, 1, 8), held)
    assert found.counts == (0, None, 0, None, None, 4, None, None, None, None, 2)
    assert not Trend(date(2026, 11, 1), (9, 0, 0, 0, None, 0, 3, 0)).rising
    chart = bar_chart(found)
    assert [b.count for b in chart.bars] == list(found.counts)
    assert chart.summary.endswith("with 4. Months the site holds no day of are left blank.")
    line = sparkline(found)
    assert line.lines == () and len(line.dots) == 4  # each month alone between gaps: a dot
    assert sparkline(Trend(date(2026, 3, 1), (1, 2, None))).lines == ("0,10 4,1",)
