"""Financial years and quarters, the calendar every return is written in.

Scottish public bodies report by financial year (1 April to 31 March) and its quarters
(Q1 = April–June ... Q4 = January–March). Officers write them in many ways; we read every
variant the data contract lists and always write the canonical form (`2023/24`, `2023/24 Q1`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import total_ordering
from typing import Any

from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

from mission.errors import MissionError

__all__ = ["FinancialYear", "InvalidPeriod", "Quarter"]

_QUARTER_MONTHS = {1: "April–June", 2: "July–September", 3: "October–December", 4: "January–March"}
_YEAR = r"(?P<start>\d{4})\s*[/-]\s*(?P<end>\d{4}|\d{2})"
_YEAR_RE = re.compile(rf"^{_YEAR}$")
_QUARTER_TOKEN = re.compile(r"\bq\s*(?P<q>\d)\b", re.IGNORECASE)
_YEAR_FIRST = re.compile(rf"^{_YEAR}\s*,?\s*q\s*(?P<q>\d)$", re.IGNORECASE)
_QUARTER_FIRST = re.compile(rf"^q\s*(?P<q>\d)\s*,?\s*{_YEAR}$", re.IGNORECASE)
_CALENDAR_QUARTER = re.compile(
    r"^(?:(?P<y1>\d{4})\s*-?\s*q\s*(?P<q1>\d)|q\s*(?P<q2>\d)\s*-?\s*(?P<y2>\d{4}))$", re.IGNORECASE
)
_MIN_YEAR, _MAX_YEAR = 1990, 2100


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
    if not _MIN_YEAR <= start < _MAX_YEAR:
        raise InvalidPeriod(value, f"is not a {what}: {start} is outside {_MIN_YEAR}–{_MAX_YEAR}")
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
            raise InvalidPeriod(value, "is not a financial year: write it as 2023/24")
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
                if 1 <= q <= 4 and _MIN_YEAR < year < _MAX_YEAR:
                    calendar_reading = Quarter.containing(dt.date(year, 3 * q - 2, 1))
                    financial_reading = Quarter(FinancialYear(year), q)
                    raise InvalidPeriod(
                        value,
                        f"could mean {calendar_reading} ({calendar_reading.months}) or "
                        f"{financial_reading} ({financial_reading.months}): "
                        "write the financial year, e.g. 2023/24 Q1",
                    )
            raise InvalidPeriod(value, "is not a quarter: write it as 2023/24 Q1")
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


def _string_schema(cls: type[Any], parse: Any) -> core_schema.CoreSchema:
    """Let pydantic models hold periods: read from their text, write their canonical text."""
    from_text = core_schema.no_info_after_validator_function(parse, core_schema.str_schema())
    return core_schema.json_or_python_schema(
        json_schema=from_text,
        python_schema=core_schema.union_schema([core_schema.is_instance_schema(cls), from_text]),
        serialization=core_schema.plain_serializer_function_ser_schema(str),
    )
