"""The year-to-date rule: publications of one year at different dates, read together."""

from __future__ import annotations

import itertools

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
    """Moray's 3 placements a quarter: hidden from Q1 on, so 6 after Q2 and 9 after Q3 are
    never printed beside each other (the attacker's case)."""
    quarters = {"moray": [3, 3, 3, 2], "glasgow": [50, 48, 47, 51], "fife": [16, 17, 15, 16]}
    for ended in (2, 3, 4):
        rule = year_to_date(quarters, ended)
        assert "moray" in rule.hidden
        assert len(rule.hidden) >= 2, "a lone hidden ADP is Scotland's total less the rest"


def test_an_adp_once_hidden_stays_hidden_for_the_rest_of_the_year() -> None:
    """The ADPs hidden at one date are hidden at every later date of the year (so dates never
    subtract to one ADP's quarter), and one with every quarter 0 or 5 or more that no hidden ADP needs is printed."""
    quarters = {"x": [10, 2, 10, 10], "y": [0, 0, 0, 0], "z": [9, 9, 9, 9], "w": [7, 8, 9, 10]}
    hidden = [year_to_date(quarters, ended).hidden for ended in (1, 2, 3, 4)]
    assert hidden[0] == frozenset()
    assert all(earlier <= later for earlier, later in itertools.pairwise(hidden))
    assert "x" in hidden[1] and "z" not in hidden[3]


def test_a_small_quarter_for_scotland_hides_its_year_to_date_total() -> None:
    """Scotland's year-to-date total is hidden once a quarter of Scotland's of 1–4 is in: two
    dates' totals would subtract to it."""
    assert not year_to_date({"x": [10, 0], "y": [10, 0]}, 1).total_hidden
    assert year_to_date({"x": [10, 1], "y": [10, 2]}, 2).total_hidden
