"""Counts said as a reader says them: the command line printed "1 day(s)", "1 new paper(s)"."""

from sitegen.wording import counted


def test_a_count_of_one_is_singular_and_any_other_plural() -> None:
    assert [counted(n, "day") for n in (0, 1, 2)] == ["0 days", "1 day", "2 days"]
    assert counted(1, "entry", "entries") == "1 entry"
    assert counted(3, "entry", "entries") == "3 entries"
    assert counted(1, "new paper") == "1 new paper"
