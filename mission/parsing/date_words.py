"""What is said of a cell that is not a date: why not, when its shape tells (a day the month
does not have, a month over 12, a two-digit year), and how dates are written.

Said in the rule's own words, never with a figure made from the cell (a date swapped into the
order meant, a month's name): the cell is quoted only where it may be (`CellContext.may_show`),
and words made from it would show what withholding does not look for.
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["DATE_HINT", "US_ORDER_HINT", "date_hint", "date_message"]

DATE_HINT = "Write dates as year-month-day (e.g. 2024-05-31) or day/month/year (31/05/2024)."
US_ORDER_HINT = "Write it day first, as day/month/year (e.g. 31/05/2024), or as 2024-05-31."
_SHORT_YEAR_HINT = "Write the year in four digits, as day/month/year (e.g. 31/05/2024)."

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_FIRST = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})")


def date_message(said: str | None) -> str:
    """`'2024-06-31' is not a date: the month has no such day`; `'1/6/24' is not a date: the
    year needs four digits`; else `... is not a date`."""
    why = _why(said or "")
    return f"{said!r} is not a date" + (f": {why}" if why else "")


def date_hint(said: str | None) -> str:
    """How to write the date: the year in full when it was two digits, else both forms."""
    found = _DAY_FIRST.fullmatch((said or "").strip())
    return _SHORT_YEAR_HINT if found and len(found[3]) == 2 else DATE_HINT


def _why(text: str) -> str | None:
    text = text.strip()
    iso = _ISO.fullmatch(text)
    if iso:
        return _impossible(int(iso[1]), int(iso[2]), int(iso[3]))
    day_first = _DAY_FIRST.fullmatch(text)
    if day_first is None:
        return None
    if len(day_first[3]) == 2:
        return "the year needs four digits"
    return _impossible(int(day_first[3]), int(day_first[2]), int(day_first[1]))


def _impossible(year: int, month: int, day: int) -> str | None:
    """Why a year, month and day make no date (None if they do, or the year is out of range)."""
    if not 1 <= month <= 12:
        return "a month is 1 to 12"
    if day == 0:
        return "a day is 1 or more"
    if dt.MINYEAR <= year <= dt.MAXYEAR and not _real(year, month, day):
        return "the month has no such day"
    return None


def _real(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True
