"""Financial years and quarters: every variant the contract lists, and the refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mission.periods import CalendarYear, FinancialYear, InvalidPeriod, Quarter, over_by

quarters = st.builds(Quarter, st.builds(FinancialYear, st.integers(1990, 2098)), st.integers(1, 4))


@given(quarters)
def test_quarter_parse_inverts_format(quarter: Quarter) -> None:
    """Parsing the canonical text of any quarter gives that quarter back."""
    assert Quarter.parse(str(quarter)) == quarter


@given(st.integers(1990, 2098))
def test_year_parse_inverts_format(start: int) -> None:
    """Parsing the canonical text of any financial year gives that year back."""
    year = FinancialYear(start)
    assert FinancialYear.parse(str(year)) == year


@given(quarters)
def test_quarter_dates_are_contiguous(quarter: Quarter) -> None:
    """Each quarter runs from its start to the day before the next one starts, inside its year."""
    assert quarter.next().start_date == quarter.end_date + dt.timedelta(days=1)
    assert quarter.year.start_date <= quarter.start_date < quarter.end_date <= quarter.year.end_date
    assert Quarter.containing(quarter.start_date) == quarter
    assert Quarter.containing(quarter.end_date) == quarter
    assert quarter.next().previous() == quarter


@pytest.mark.parametrize(
    "text",
    ["2023/24 Q1", "2023-24 Q1", "2023/2024 Q1", "Q1 2023/24", "2023/24 q1", " 2023/24  Q1 "],
)
def test_quarter_variants(text: str) -> None:
    """Every spelling the contract lists reads as the same quarter."""
    assert str(Quarter.parse(text)) == "2023/24 Q1"


def test_quarter_months() -> None:
    """Q1 is April–June and Q4 is January–March of the following calendar year."""
    q1, q4 = Quarter.parse("2023/24 Q1"), Quarter.parse("2023/24 Q4")
    assert (q1.start_date, q1.end_date) == (dt.date(2023, 4, 1), dt.date(2023, 6, 30))
    assert (q4.start_date, q4.end_date) == (dt.date(2024, 1, 1), dt.date(2024, 3, 31))
    assert q4.next() == Quarter.parse("2024/25 Q1")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2023/25", "the years must be consecutive"),
        ("2023", "write the years it spans, e.g. 2024/25"),
        ("23/24", "write the years it spans, e.g. 2024/25"),
    ],
)
def test_year_refusals(text: str, reason: str) -> None:
    """A bad financial year is refused with the value and the reason."""
    with pytest.raises(InvalidPeriod) as caught:
        FinancialYear.parse(text)
    assert caught.value.value == text
    assert reason in str(caught.value)


def test_year_error_message_reads_well() -> None:
    """The message names the value and says why, as the foundation issue shows."""
    with pytest.raises(
        InvalidPeriod, match=r"'2023/25' is not a financial year: the years must be consecutive"
    ):
        FinancialYear.parse("2023/25")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2023 Q1", "could mean 2022/23 Q4"),
        ("2023/24 Q5", "Q5 does not exist"),
        ("2023/24 Q1 Q2", "more than one quarter"),
        ("2023/25 Q1", "consecutive"),
        ("Q1", "then Q1 to Q4, e.g. 2024/25 Q1"),
        ("", "then Q1 to Q4, e.g. 2024/25 Q1"),
    ],
)
def test_quarter_refusals(text: str, reason: str) -> None:
    """Ambiguous, impossible or incomplete quarters are refused, saying why."""
    with pytest.raises(InvalidPeriod, match=reason):
        Quarter.parse(text)


@given(st.text(max_size=30))
def test_quarter_parser_never_crashes(text: str) -> None:
    """Any text either parses to a quarter whose canonical form round-trips, or is refused cleanly."""
    try:
        quarter = Quarter.parse(text)
    except InvalidPeriod:
        return
    assert Quarter.parse(str(quarter)) == quarter


def test_ordering() -> None:
    """Quarters and years sort in time order."""
    texts = ["2024/25 Q1", "2023/24 Q4", "2023/24 Q1"]
    assert [str(q) for q in sorted(Quarter.parse(t) for t in texts)] == sorted(texts)
    assert FinancialYear(2021) < FinancialYear(2022)


@pytest.mark.parametrize(
    ("text", "day"),
    [("31/05/2024", dt.date(2024, 5, 31)), ("1/4/2024", dt.date(2024, 4, 1))],
)
def test_an_as_of_date_may_be_written_day_first(text: str, day: dt.date) -> None:
    """`--as-of 31/05/2024` is the end of 31 May, as returns write dates; month first
    (05/31/2024) is refused, never swapped."""
    from mission.periods import parse_moment, whole_days_by

    assert whole_days_by(parse_moment(text)) == day
    with pytest.raises(InvalidPeriod, match="is not a date"):
        parse_moment("05/31/2024")


@pytest.mark.parametrize(
    "period", [Quarter(FinancialYear(2025), 2), FinancialYear(2025), CalendarYear(2025)]
)
def test_ended_by_is_deprecated_for_over_by(period: Quarter | FinancialYear | CalendarYear) -> None:
    """`ended_by` still answers as it did (the last day counts), with a warning naming this
    caller's line and `over_by`, which judges every period in `mission` (the last day does not)."""
    last = period.end_date
    with pytest.warns(DeprecationWarning, match=r"over_by") as caught:
        assert period.ended_by(last)
    assert caught[0].filename == __file__
    assert not over_by(period, last)
    assert over_by(period, last + dt.timedelta(days=1))
