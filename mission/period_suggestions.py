"""What a period that could not be read most likely meant: "did you mean 2024/25 Q1?".

Not the parser's strictness: a near miss is still refused. These only say what the officer most
likely meant, so the message can finish the job.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TypeVar

from mission.periods import MAX_YEAR, MIN_YEAR, FinancialYear, Quarter

__all__ = ["suggest_quarters", "suggest_years"]

_P = TypeVar("_P", Quarter, FinancialYear)
_MONTH_NAMES = {
    m: i
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for m in names
}
_NEAR_WORDS = re.compile(r"\b(?:quarter|qtr|qu)\s*", re.IGNORECASE)
_NEAR_NOISE = re.compile(r"\b(?:fy|financial\s+year|fin\s+year|year)\b", re.IGNORECASE)
_NEAR_PAIR = re.compile(r"(?<!\d)(\d{2}|\d{4})\s*[/\\\-–—_.]\s*(\d{2}|\d{4})(?!\d)")
_NEAR_FY = re.compile(r"\bfy\s*(\d{2}|\d{4})(?!\s*[/\-–—])(?!\d)", re.IGNORECASE)
_NEAR_SINGLE = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_NEAR_QUARTER = re.compile(
    r"(?<![a-z])q\s*(\d{1,2})(?!\d)|\b(\d)(?:st|nd|rd|th)?\s*q(?![a-z])", re.IGNORECASE
)
_NEAR_MONTH = re.compile(r"[a-z]+", re.IGNORECASE)
_NEAR_DATE = re.compile(
    r"(?<!\d)(?P<y1>\d{4})-(?P<m1>\d{1,2})-(?P<d1>\d{1,2})(?!\d)"
    r"|(?<!\d)(?P<d2>\d{1,2})[/.](?P<m2>\d{1,2})[/.](?P<y2>\d{4})(?!\d)"
)
"""A date (`2024-04-01`, as Excel's date cells read; `01/04/2024`, day first)."""
_NEAR_SHORT_YEAR = re.compile(r"(?<!\d)(\d{2})(?!\d)")


def _full_year(text: str) -> int:
    """`24` is 2024 and `98` is 1998; four digits stand as written."""
    number = int(text)
    if len(text) == 4:
        return number
    return 2000 + number if number < 90 else 1900 + number


def _near_years(text: str) -> list[FinancialYear]:
    """The financial years a text most likely names, nearest first."""
    years: list[FinancialYear] = []
    pair = _NEAR_PAIR.search(text)
    if pair is not None:
        start = _full_year(pair[1])
        end_text = pair[2]
        end = _full_year(end_text) if len(end_text) == 4 or len(pair[1]) == 2 else None
        if end is None:  # 2024/25: the end year's century follows the start's
            end = start - start % 100 + int(end_text)
            end += 100 if end < start else 0
        if end == start + 1:
            years.append(FinancialYear(start))
        else:
            years += [FinancialYear(start), FinancialYear(end - 1)]
    else:
        fiscal = _NEAR_FY.search(text)
        if fiscal is not None:
            # "FY25" is usually the year that ends in 2025.
            years.append(FinancialYear(_full_year(fiscal[1]) - 1))
        for single in _NEAR_SINGLE.findall(text):
            years += [FinancialYear(int(single)), FinancialYear(int(single) - 1)]
    return [y for y in years if MIN_YEAR <= y.start < MAX_YEAR]


def _near_date(text: str) -> dt.date | None:
    found = _NEAR_DATE.search(text)
    if found is None:
        return None
    year, month, day = (
        (found["y1"], found["m1"], found["d1"])
        if found["y1"]
        else (found["y2"], found["m2"], found["d2"])
    )
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _near_month(text: str) -> int | None:
    for word in _NEAR_MONTH.findall(text.lower()):
        if word in _MONTH_NAMES:
            return _MONTH_NAMES[word]
    return None


def _unique(items: list[_P], most: int = 3) -> tuple[_P, ...]:
    seen: list[_P] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return tuple(seen[:most])


def suggest_quarters(text: str) -> tuple[Quarter, ...]:
    """The quarters a period that could not be read most likely means, nearest first (at most 3).

    `Q1 24/25` and `2024-25 Quarter 1` suggest 2024/25 Q1; `2024/25 Q5` suggests 2024/25 Q4 and
    2025/26 Q1; `Apr-Jun 2024`, `Apr-24` and a date in the quarter (`2024-04-01 00:00:00`, as an
    Excel date cell reads) suggest 2024/25 Q1; `2024 Q1` both of its readings. A suggestion is
    never a reading: the text is still refused.
    """
    value = _NEAR_WORDS.sub("q ", " ".join(str(text).split()))
    day = _near_date(value)
    if day is not None:  # a date, often a period Excel turned into one: the quarter it is in
        return (Quarter.containing(day),) if MIN_YEAR <= day.year < MAX_YEAR - 1 else ()
    quarter = _NEAR_QUARTER.search(value)
    number = int(quarter[1] or quarter[2]) if quarter else None
    rest = _NEAR_QUARTER.sub(" ", value) if quarter else value
    month = _near_month(rest)
    calendar = _calendar_year(rest, month)
    found: list[Quarter] = []
    if calendar is not None and MIN_YEAR < calendar < MAX_YEAR - 1:
        found += _in_calendar_year(calendar, month, number)
    for year_found in [] if calendar is not None else _near_years(rest):
        found += _in_financial_year(year_found, month, number)
    return _unique([q for q in found if MIN_YEAR <= q.year.start < MAX_YEAR - 1])


def _calendar_year(text: str, month: int | None) -> int | None:
    """The one calendar year a text names (`2024`; `24` beside a month, `Apr-24`), when it names
    no pair of years (`24/25`)."""
    if _NEAR_PAIR.search(text) is not None:
        return None
    single = _NEAR_SINGLE.search(text)
    if single is not None:
        return int(single[1])
    short = _NEAR_SHORT_YEAR.search(text) if month is not None else None
    return _full_year(short[1]) if short is not None else None


def _in_calendar_year(year: int, month: int | None, number: int | None) -> list[Quarter]:
    if month is not None:
        return [Quarter.containing(dt.date(year, month, 1))]
    if number is not None and 1 <= number <= 4:
        # A calendar year and a quarter: both readings, in the order the refusal gives them.
        return [
            Quarter.containing(dt.date(year, 3 * number - 2, 1)),
            Quarter(FinancialYear(year), number),
        ]
    return []


def _in_financial_year(year: FinancialYear, month: int | None, number: int | None) -> list[Quarter]:
    if month is not None:
        calendar_year = year.start if month >= 4 else year.start + 1
        return [Quarter.containing(dt.date(calendar_year, month, 1))]
    if number == 0:
        return [Quarter(year, 1)]
    if number is not None and number > 4:
        return [Quarter(year, 4), Quarter(year.next(), 1)]
    return [Quarter(year, number)] if number is not None else []


def suggest_years(text: str) -> tuple[FinancialYear, ...]:
    """The financial years a year that could not be read most likely means (at most 3).

    `24/25` and `FY 2024-25` suggest 2024/25; `2023/25` suggests 2023/24 and 2024/25; a quarter
    (`2024/25 Q3`) suggests its year.
    """
    value = _NEAR_QUARTER.sub(" ", _NEAR_WORDS.sub("q ", " ".join(str(text).split())))
    return _unique(_near_years(value))
