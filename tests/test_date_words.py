"""What is said of a cell that is not a date: checked against the calendar itself, and in the
rule's own words (no figure made from the cell)."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from hypothesis import given
from hypothesis import strategies as st

from mission.parsing.date_words import DATE_HINT, date_hint, date_message


@given(st.integers(2000, 2099), st.integers(0, 14), st.integers(0, 31))
def test_why_a_date_is_not_one_follows_the_calendar(year: int, month: int, day: int) -> None:
    for text in (f"{year}-{month:02d}-{day:02d}", f"{day:02d}/{month:02d}/{year}"):
        message = date_message(text)
        if not 1 <= month <= 12:
            assert message.endswith(": a month is 1 to 12")
        elif day == 0:
            assert message.endswith(": a day is 1 or more")
        elif day > calendar.monthrange(year, month)[1]:
            assert message.endswith(": the month has no such day")
        else:  # a real date is never told why it is not one
            assert message == f"{text!r} is not a date"


@given(st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)))
def test_a_two_digit_year_is_told_in_words_that_quote_no_figure_of_it(day: dt.date) -> None:
    text = f"{day.day}/{day.month}/{day.year % 100:02d}"
    assert date_message(text) == f"{text!r} is not a date: the year needs four digits"
    hint = date_hint(text)
    assert "four digits" in hint
    # Only the rule's example date: nothing made from the cell.
    assert set(re.findall(r"\d+", hint)) == {"31", "05", "2024"}


@given(st.text(max_size=20))
def test_any_text_gets_the_rules_words(text: str) -> None:
    assert date_message(text).startswith(f"{text!r} is not a date")
    assert set(re.findall(r"\d+", date_hint(text))) <= {"31", "05", "2024"}


def test_a_cell_not_shown_gets_the_general_hint() -> None:
    assert date_hint(None) == DATE_HINT
