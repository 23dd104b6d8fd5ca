"""The year-to-date rule: publications of one year at different dates, read together."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mission.disclosure import SMALLEST_SHOWN, CountTable, Pattern, is_small, total
from mission.disclosure.audit import Knowledge
from mission.disclosure.year_to_date import year_to_date

# Quarter counts as they come: mostly small, some zero, some large.
QUARTER = st.one_of(st.integers(0, 6), st.integers(0, 60))


def _reader(quarters: dict[str, list[int]], dates: list[int]) -> Knowledge:
    """What a reader of the year's publications at `dates` (quarters ended) knows about the
    quarter counts: each printed year-to-date count and Scotland's, as sums of quarters."""
    cells = {(row, f"Q{k + 1}"): q[k] for row, q in quarters.items() for k in range(max(dates))}
    figures = []
    for ended in dates:
        rule = year_to_date(quarters, ended)
        upto = [f"Q{k + 1}" for k in range(ended)]
        for row in quarters:
            if row not in rule.hidden:
                figures.append(total(f"{row} to Q{ended}", [(row, q) for q in upto]))
        if not rule.total_hidden:
            everyone = [(row, q) for row in quarters for q in upto]
            figures.append(total(f"Scotland to Q{ended}", everyone))
    table = CountTable.from_mapping(cells, figures=figures)
    return Knowledge(table, Pattern(hidden=frozenset(cells)))


@settings(max_examples=80, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["a", "b", "c", "d", "e", "f"]),
        st.lists(QUARTER, min_size=4, max_size=4),
        min_size=1,
        max_size=6,
    ),
    st.lists(st.integers(1, 4), min_size=2, max_size=4, unique=True),
)
def test_no_quarter_of_one_to_four_is_pinned_by_publications_of_different_dates(
    quarters: dict[str, list[int]], dates: list[int]
) -> None:
    """Whatever the quarter counts, a reader holding the year's publications at any set of dates
    (every year-to-date count printed, and Scotland's) cannot narrow any quarter count of 1–4 to
    a range narrower than 5, let alone pin it."""
    reader = _reader(quarters, sorted(dates))
    for row, q in quarters.items():
        for k in range(max(dates)):
            if is_small(q[k]):
                low, high = reader.range_of({(row, f"Q{k + 1}"): 1.0})
                assert high is None or high - low >= SMALLEST_SHOWN, (
                    f"{row} Q{k + 1} = {q[k]} narrowed to {low}–{high}"
                )


def test_moray_after_q2_and_q3_gives_nothing_away() -> None:
    """The attacker's case (Moray: 6 after Q2, 9 after Q3, so Q3 was 3): no ADP's year to date
    is printed while the year is in progress, so the two are never printed at all; the whole
    year (11) is, beside two others."""
    quarters = {"moray": [3, 3, 3, 2], "glasgow": [50, 48, 47, 51], "fife": [16, 17, 15, 16]}
    for ended in (1, 2, 3):
        assert year_to_date(quarters, ended).hidden == frozenset(quarters)
    assert year_to_date(quarters, 4).hidden == frozenset()


def test_a_complete_year_is_hidden_only_as_any_count_would_be() -> None:
    """At the year's end a row is hidden when its year is 1–4, with company so Scotland's total
    less the rest does not give it; a row whose quarters were small but whose year is not is
    printed (nothing partial of it was ever printed to subtract it from)."""
    quarters = {"x": [1, 0, 1, 1], "y": [0, 0, 0, 0], "z": [9, 9, 9, 9], "w": [2, 3, 2, 4]}
    rule = year_to_date(quarters, 4)
    assert "x" in rule.hidden and len(rule.hidden) >= 2
    assert sum(sum(quarters[row]) for row in rule.hidden) >= 5
    assert year_to_date({"w": [2, 3, 2, 4], "z": [9, 9, 9, 9]}, 4).hidden == frozenset()


def test_a_small_national_quarter_hides_scotland_and_a_row_at_the_year_end() -> None:
    """Scotland's quarters 0, 0, 5, 1: Scotland's year to date after Q3 (5) may be printed, so
    at the year's end Scotland is hidden and so is the one row, or 6 − 5 would give Q4 = 1."""
    rule = year_to_date({"a": [0, 0, 5, 1]}, 4)
    assert rule.total_hidden and rule.hidden == {"a"}


def test_a_small_quarter_for_scotland_hides_its_year_to_date_total() -> None:
    """Scotland's year-to-date total is hidden once a quarter of Scotland's of 1–4 is in: two
    dates' totals would subtract to it."""
    assert not year_to_date({"x": [10, 0], "y": [10, 0]}, 1).total_hidden
    assert year_to_date({"x": [10, 1], "y": [10, 2]}, 2).total_hidden
