"""Periods: financial years, their quarters and calendar years — one `Period` type for all.

Scottish public bodies report by financial year (1 April to 31 March) and its quarters
(Q1 = April–June ... Q4 = January–March); deaths are counted by calendar year. Officers write
periods in many ways; we read every variant the data contract lists and always write the canonical
form (`2023/24`, `2023/24 Q1`, `2023`).

Each period type has a start and an end date, and a *vectorised twin* for polars: expressions
that compute the same dates from a column of canonical labels (`Quarter.end_expr`), proven equal
to the scalar ones by a hypothesis test. No code guesses a period's type from its label: the kind
of return says which type its period column holds.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from dataclasses import dataclass
from functools import total_ordering
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias

from mission.errors import MissionError

if TYPE_CHECKING:
    import polars as pl
    from pydantic import GetCoreSchemaHandler
    from pydantic_core import core_schema

__all__ = [
    "ASSESSED_YEAR_BEGUN",
    "MAX_YEAR",
    "MIN_YEAR",
    "CalendarYear",
    "FinancialYear",
    "InvalidPeriod",
    "Period",
    "PeriodType",
    "Quarter",
    "canonical_period",
    "day_of",
    "moment_of",
    "not_begun_words",
    "not_over_words",
    "over_by",
    "parse_moment",
    "quarter_end_expr",
    "quarter_index_expr",
    "quarter_label_expr",
    "whole_days_by",
]

_QUARTER_MONTHS = {1: "April–June", 2: "July–September", 3: "October–December", 4: "January–March"}
_YEAR = r"(?P<start>\d{4})\s*[/-]\s*(?P<end>\d{4}|\d{2})"
_YEAR_RE = re.compile(rf"^{_YEAR}$")
_QUARTER_TOKEN = re.compile(r"\bq\s*(?P<q>\d)\b", re.IGNORECASE)
_YEAR_FIRST = re.compile(rf"^{_YEAR}\s*,?\s*q\s*(?P<q>\d)$", re.IGNORECASE)
_QUARTER_FIRST = re.compile(rf"^q\s*(?P<q>\d)\s*,?\s*{_YEAR}$", re.IGNORECASE)
_CALENDAR_QUARTER = re.compile(
    r"^(?:(?P<y1>\d{4})\s*-?\s*q\s*(?P<q1>\d)|q\s*(?P<q2>\d)\s*-?\s*(?P<y2>\d{4}))$", re.IGNORECASE
)
MIN_YEAR, MAX_YEAR = 1990, 2100
"""The years a period may start in: outside them it is a typo, not a period."""


class InvalidPeriod(MissionError, ValueError):
    """A period string that names no single financial year or quarter.

    Attributes:
        value: the text as given.
        reason: why it was refused, in words an officer can act on.
    """

    def __init__(self, value: str, reason: str) -> None:
        self.value = value
        self.reason = reason
        super().__init__(f"{value!r} {reason}")


def _parse_year_parts(value: str, start_text: str, end_text: str, what: str) -> int:
    start = int(start_text)
    end = int(end_text)
    expected_end = start + 1 if len(end_text) == 4 else (start + 1) % 100
    if end != expected_end:
        raise InvalidPeriod(
            value, f"is not a {what}: the years must be consecutive (e.g. {FinancialYear(start)})"
        )
    if not MIN_YEAR <= start < MAX_YEAR:
        raise InvalidPeriod(value, f"is not a {what}: {start} is outside {MIN_YEAR}–{MAX_YEAR}")
    return start


@total_ordering
@dataclass(frozen=True, slots=True)
class FinancialYear:
    """A financial year, 1 April of `start` to 31 March of `start + 1`."""

    start: int

    @classmethod
    def parse(cls, text: str) -> FinancialYear:
        """Read `2023/24`, `2023-24` or `2023/2024`.

        Raises:
            InvalidPeriod: the text is not one financial year.
        """
        value = str(text).strip()
        match = _YEAR_RE.match(value)
        if match is None:
            raise InvalidPeriod(
                value, "is not a financial year: write the years it spans, e.g. 2024/25"
            )
        return cls(_parse_year_parts(value, match["start"], match["end"], "financial year"))

    @classmethod
    def containing(cls, day: dt.date) -> FinancialYear:
        """The financial year a date falls in."""
        return cls(day.year if day.month >= 4 else day.year - 1)

    @property
    def start_date(self) -> dt.date:
        return dt.date(self.start, 4, 1)

    @property
    def end_date(self) -> dt.date:
        return dt.date(self.start + 1, 3, 31)

    @property
    def quarters(self) -> tuple[Quarter, Quarter, Quarter, Quarter]:
        return (Quarter(self, 1), Quarter(self, 2), Quarter(self, 3), Quarter(self, 4))

    def ended_by(self, day: dt.date) -> bool:
        """Deprecated (removed in 0.3): whether `day` is the period's last day or later. Every
        judgement in `mission` uses `over_by(period, day)`, which holds only once the last day
        has passed; two tests of "over" that disagree on that day are a trap."""
        return _ended_by(self, day)

    def next(self) -> FinancialYear:
        return FinancialYear(self.start + 1)

    def previous(self) -> FinancialYear:
        return FinancialYear(self.start - 1)

    def __str__(self) -> str:
        return f"{self.start}/{(self.start + 1) % 100:02d}"

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, FinancialYear):
            return NotImplemented
        return self.start < other.start

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return _string_schema(cls, cls.parse)

    noun: ClassVar[str] = "financial year"

    @staticmethod
    def start_expr(label: pl.Expr) -> pl.Expr:
        """The first day of each financial year in a column of canonical labels (`2023/24`)."""
        import polars as pl

        return pl.date(_leading_year(label), 4, 1)

    @staticmethod
    def end_expr(label: pl.Expr) -> pl.Expr:
        """The last day of each financial year in a column of canonical labels."""
        import polars as pl

        return pl.date(_leading_year(label) + 1, 3, 31)


def _leading_year(label: pl.Expr) -> pl.Expr:
    import polars as pl

    return label.cast(pl.String).str.slice(0, 4).cast(pl.Int32)


@total_ordering
@dataclass(frozen=True, slots=True)
class Quarter:
    """A quarter of a financial year: Q1 = April–June, ..., Q4 = January–March."""

    year: FinancialYear
    number: int

    def __post_init__(self) -> None:
        if self.number not in (1, 2, 3, 4):
            raise InvalidPeriod(str(self.number), "is not a quarter: quarters are Q1 to Q4")

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Read `2023/24 Q1`, `2023-24 Q1`, `2023/2024 Q1`, `Q1 2023/24` or `2023/24 q1`.

        Raises:
            InvalidPeriod: the text names no quarter, or could mean two.
        """
        value = " ".join(str(text).split())
        if len(_QUARTER_TOKEN.findall(value)) > 1:
            raise InvalidPeriod(value, "names more than one quarter: give exactly one")
        match = _YEAR_FIRST.match(value) or _QUARTER_FIRST.match(value)
        if match is None:
            calendar = _CALENDAR_QUARTER.match(value)
            if calendar is not None:
                year = int(calendar["y1"] or calendar["y2"])
                q = int(calendar["q1"] or calendar["q2"])
                if 1 <= q <= 4 and MIN_YEAR < year < MAX_YEAR:
                    calendar_reading = Quarter.containing(dt.date(year, 3 * q - 2, 1))
                    financial_reading = Quarter(FinancialYear(year), q)
                    raise InvalidPeriod(
                        value,
                        f"could mean {calendar_reading} ({calendar_reading.months}) or "
                        f"{financial_reading} ({financial_reading.months}): "
                        "write the financial year, e.g. 2023/24 Q1",
                    )
            raise InvalidPeriod(
                value, "is not a quarter: write its financial year, then Q1 to Q4, e.g. 2024/25 Q1"
            )
        number = int(match["q"])
        if number not in (1, 2, 3, 4):
            raise InvalidPeriod(value, f"is not a quarter: Q{number} does not exist (Q1 to Q4)")
        start = _parse_year_parts(value, match["start"], match["end"], "quarter")
        return cls(FinancialYear(start), number)

    @classmethod
    def containing(cls, day: dt.date) -> Quarter:
        """The quarter a date falls in."""
        year = FinancialYear.containing(day)
        return cls(year, (day.month - 4) % 12 // 3 + 1)

    @property
    def months(self) -> str:
        first = self.start_date
        return f"{_QUARTER_MONTHS[self.number]} {first.year}"

    @property
    def start_date(self) -> dt.date:
        month = (3 + 3 * (self.number - 1)) % 12 + 1
        year = self.year.start + (1 if self.number == 4 else 0)
        return dt.date(year, month, 1)

    @property
    def end_date(self) -> dt.date:
        return self.next().start_date - dt.timedelta(days=1)

    @property
    def index(self) -> int:
        """A running count of quarters: consecutive quarters differ by one."""
        return self.year.start * 4 + self.number - 1

    @classmethod
    def from_index(cls, index: int) -> Quarter:
        return cls(FinancialYear(index // 4), index % 4 + 1)

    def ended_by(self, day: dt.date) -> bool:
        """Deprecated (removed in 0.3): whether `day` is the period's last day or later. Every
        judgement in `mission` uses `over_by(period, day)`, which holds only once the last day
        has passed; two tests of "over" that disagree on that day are a trap."""
        return _ended_by(self, day)

    def next(self) -> Quarter:
        return Quarter.from_index(self.index + 1)

    def previous(self) -> Quarter:
        return Quarter.from_index(self.index - 1)

    def __str__(self) -> str:
        return f"{self.year} Q{self.number}"

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Quarter):
            return NotImplemented
        return self.index < other.index

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return _string_schema(cls, cls.parse)

    noun: ClassVar[str] = "quarter"

    @staticmethod
    def start_expr(label: pl.Expr) -> pl.Expr:
        """The first day of each quarter in a column of canonical labels (`2023/24 Q1`)."""
        return quarter_start_expr(_label_index(label))

    @staticmethod
    def end_expr(label: pl.Expr) -> pl.Expr:
        """The last day of each quarter in a column of canonical labels."""
        return quarter_end_expr(_label_index(label))

    @staticmethod
    def index_expr(label: pl.Expr) -> pl.Expr:
        """The running index (`Quarter.index`) of each quarter in a column of canonical labels."""
        return _label_index(label)


def _label_index(label: pl.Expr) -> pl.Expr:
    import polars as pl

    text = label.cast(pl.String)
    return text.str.slice(0, 4).cast(pl.Int64) * 4 + text.str.slice(-1).cast(pl.Int64) - 1


_CALENDAR_YEAR_RE = re.compile(r"^(\d{4})(?:\.0+)?$")


@total_ordering
@dataclass(frozen=True, slots=True)
class CalendarYear:
    """A calendar year, 1 January to 31 December: deaths are counted by year of registration."""

    year: int

    @classmethod
    def parse(cls, text: str | int) -> CalendarYear:
        """Read `2023` (an Excel number `2023.0` too).

        Raises:
            InvalidPeriod: the text is not a four-digit year from 1990 to 2099.
        """
        value = str(text).strip()
        match = _CALENDAR_YEAR_RE.match(value)
        if match is None:
            raise InvalidPeriod(
                value, "is not a calendar year: write the four-digit year, e.g. 2024"
            )
        year = int(match.group(1))
        if not MIN_YEAR <= year < MAX_YEAR:
            raise InvalidPeriod(value, f"is not a calendar year: {year} is outside 1990–2099")
        return cls(year)

    @classmethod
    def containing(cls, day: dt.date) -> CalendarYear:
        return cls(day.year)

    @property
    def start_date(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end_date(self) -> dt.date:
        return dt.date(self.year, 12, 31)

    def ended_by(self, day: dt.date) -> bool:
        """Deprecated (removed in 0.3): whether `day` is the period's last day or later. Every
        judgement in `mission` uses `over_by(period, day)`, which holds only once the last day
        has passed; two tests of "over" that disagree on that day are a trap."""
        return _ended_by(self, day)

    def next(self) -> CalendarYear:
        return CalendarYear(self.year + 1)

    def previous(self) -> CalendarYear:
        return CalendarYear(self.year - 1)

    def __str__(self) -> str:
        return str(self.year)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, CalendarYear):
            return NotImplemented
        return self.year < other.year

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return _string_schema(cls, cls.parse)

    noun: ClassVar[str] = "calendar year"

    @staticmethod
    def start_expr(label: pl.Expr) -> pl.Expr:
        """The first day of each calendar year in a column of labels (`2023`, or integers)."""
        import polars as pl

        return pl.date(_leading_year(label), 1, 1)

    @staticmethod
    def end_expr(label: pl.Expr) -> pl.Expr:
        """The last day of each calendar year in a column of labels."""
        import polars as pl

        return pl.date(_leading_year(label), 12, 31)


Period: TypeAlias = Quarter | FinancialYear | CalendarYear
"""Any period a return or a target is written in."""

PeriodType: TypeAlias = type[Quarter] | type[FinancialYear] | type[CalendarYear]
"""The type of a kind's period column: the kind says which, nothing guesses it from a label."""


def quarter_index_expr(date: pl.Expr) -> pl.Expr:
    """The quarter a date falls in, as a running count (year * 4 + quarter - 1), vectorised."""
    import polars as pl

    year = date.dt.year() - (date.dt.month() < 4).cast(pl.Int32)
    return year * 4 + ((date.dt.month() + 8) % 12) // 3


def quarter_label_expr(index: pl.Expr) -> pl.Expr:
    """The canonical label (`2023/24 Q1`) of each running quarter index, vectorised."""
    import polars as pl

    year = index // 4
    return pl.format(
        "{}/{} Q{}",
        year,
        ((year + 1) % 100).cast(pl.String).str.zfill(2),
        index % 4 + 1,
    )


def quarter_start_expr(index: pl.Expr) -> pl.Expr:
    """The first day of the quarter with this running index, vectorised."""
    import polars as pl

    year = index // 4 + (index % 4 == 3).cast(pl.Int64)
    month = ((index % 4) * 3 + 3) % 12 + 1
    return pl.date(year, month, 1)


def quarter_end_expr(index: pl.Expr) -> pl.Expr:
    """The last day of the quarter with this running index, vectorised."""
    import polars as pl

    return quarter_start_expr(index + 1) - pl.duration(days=1)


def _string_schema(cls: type[Any], parse: Any) -> core_schema.CoreSchema:
    """Let pydantic models hold periods: read from their text, write their canonical text."""
    from pydantic_core import core_schema

    from_text = core_schema.no_info_after_validator_function(parse, core_schema.str_schema())
    return core_schema.json_or_python_schema(
        json_schema=from_text,
        python_schema=core_schema.union_schema([core_schema.is_instance_schema(cls), from_text]),
        serialization=core_schema.plain_serializer_function_ser_schema(str),
    )


def parse_moment(text: str) -> dt.datetime:
    """An `--as-of` value as an instant: a date (2024-05-31, or day first as returns may write it,
    31/05/2024) means the end of that day (UTC); a date and time is taken as written, with its
    offset (UTC if it has none).

    Raises:
        InvalidPeriod: the text is neither.
    """
    value = str(text).strip()
    day_first = _DAY_FIRST.fullmatch(value)
    if day_first is not None:  # 31/05/2024, as returns may write a date
        value = f"{day_first[3]}-{int(day_first[2]):02d}-{int(day_first[1]):02d}"
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise InvalidPeriod(
            str(text).strip(), "is not a date (2024-05-31 or 31/05/2024) or a date and time"
        ) from None
    _within_years(moment, str(text).strip())
    if len(value) <= 10:
        moment = moment.replace(hour=23, minute=59, second=59, microsecond=999999)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


_DAY_FIRST = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def moment_of(value: dt.datetime | dt.date | str) -> dt.datetime:
    """An `as_of` given to the library as an instant: a date and time as given (UTC if it has
    no offset), a date as the end of that day (UTC), text as `parse_moment` reads it.

    Raises:
        InvalidPeriod: the value is none of them.
    """
    if isinstance(value, dt.date):
        _within_years(value, str(value))
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time.max, tzinfo=dt.UTC)
    if isinstance(value, str):
        return parse_moment(value)
    raise InvalidPeriod(repr(value), "is not a date, a date and time, or text naming one")


def day_of(value: dt.datetime | dt.date | str) -> dt.date:
    """An `as_of` given to the library as the day figures are judged at: a date as it is; an
    instant (or text) as the last day wholly ended by it (`whole_days_by`).

    Raises:
        InvalidPeriod: the value is not a date, a date and time, or text naming one.
    """
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        _within_years(value, str(value))
        return value
    return whole_days_by(moment_of(value))


def _within_years(day: dt.date, said: str) -> None:
    """Refuse an as-of outside MIN_YEAR-MAX_YEAR (9999-12-31 overflows a day's arithmetic)."""
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise InvalidPeriod(said, f"is not a date from {MIN_YEAR} to {MAX_YEAR}")


def _ended_by(period: Quarter | FinancialYear | CalendarYear, day: dt.date) -> bool:
    warnings.warn(
        f"{type(period).__name__}.ended_by is deprecated and will be removed in mission 0.3: "
        "use mission.periods.over_by(period, day), which holds once the last day has passed",
        DeprecationWarning,
        stacklevel=3,
    )
    return period.end_date <= day


def over_by(period: Quarter | FinancialYear | CalendarYear, today: dt.date) -> bool:
    """Whether a period is over on `today`: its last day has passed, so its return can be whole.
    On its last day it has not (that day's count is not in), as a run without `--as-of` judges
    figures as of the last whole day (`whole_days_by`)."""
    return period.end_date < today


def not_over_words(period: Quarter | FinancialYear | CalendarYear, today: dt.date) -> str:
    """When a period not over (`over_by`) ends, beside today, in words: `ends on 31 December
    2026, after today (27 November 2026)`, or `..., today (...)` on its last day."""
    when = "today" if period.end_date == today else "after today"
    return f"ends on {_day(period.end_date)}, {when} ({_day(today)})"


ASSESSED_YEAR_BEGUN = "an assessment is of a year that has begun"
"""Why a financial year not yet begun is refused where a year's assessment is given (a MAT
return, its template): it is a mistyped year (2027/28 for 2026/27)."""


def not_begun_words(year: FinancialYear, today: dt.date) -> str | None:
    """When a financial year not yet begun begins, beside today, in words (`begins on 1 April
    2027, after today (27 November 2026)`); None once it has begun."""
    if year.start_date <= today:
        return None
    return f"begins on {_day(year.start_date)}, after today ({_day(today)})"


def _day(date: dt.date) -> str:
    return f"{date.day} {date:%B %Y}"


def whole_days_by(moment: dt.datetime) -> dt.date:
    """The last day wholly ended by `moment` (days end at midnight UTC): the date figures are
    as of. `2024-05-31` (the end of that day) gives 31 May; noon on 31 May gives 30 May, as a
    period ending on 31 May had not yet ended then."""
    utc = moment.astimezone(dt.UTC) if moment.tzinfo else moment
    return (utc + dt.timedelta(microseconds=1)).date() - dt.timedelta(days=1)


def canonical_period(text: str) -> str:
    """Any period as its canonical label: a quarter, a financial year or a calendar year.

    Raises:
        InvalidPeriod: the text is none of them.
    """
    for period_type in (Quarter, FinancialYear, CalendarYear):
        try:
            return str(period_type.parse(text))
        except InvalidPeriod:
            continue
    raise InvalidPeriod(str(text), "is not a quarter (2024/25 Q1), a financial year or a year")
