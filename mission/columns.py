"""Columns of the data contract: their value types, and how headers and choices are compared.

`ROW` is the extra column every table read from a file carries: each row's number as the user
sees it in their editor, so every finding can point at the row to fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "CONTROL",
    "INVISIBLE",
    "ROW",
    "TOTAL_LABELS",
    "UNTIDY",
    "Column",
    "ColumnType",
    "normalise_choice",
    "normalise_header",
]

ROW = "__row"
"""The column holding each row's number as the user sees it in their editor."""


class ColumnType(StrEnum):
    """The type of a column's values, which decides how its cells are parsed."""

    ADP = "adp"
    PERIOD = "period"
    YEAR = "year"
    CALENDAR_YEAR = "calendar_year"
    COUNT = "count"
    DATE = "date"
    CHOICE = "choice"
    STANDARD = "standard"
    TEXT = "text"


@dataclass(frozen=True)
class Column:
    """One column of a kind: its type, whether it is required, and the values it allows."""

    name: str
    type: ColumnType
    required: bool = True
    choices: tuple[str, ...] = ()
    aliases: dict[str, str] = field(default_factory=dict)
    max_length: int | None = None
    description: str = ""
    private: bool = False
    """Never echo this column's values anywhere (pseudonymised person ids)."""
    blank: int | None = None
    """What a blank cell of an optional column means, when the contract says (ost `other`:
    blank = 0); None: a blank is missing."""


INVISIBLE = "[\ufeff\u200b\u200c\u200d\u2060\u00ad]"
"""Characters that show as nothing, so the officer cannot see them to delete them: a byte order
mark an import carried into a cell, zero-width spaces and joiners, the soft hyphen. Headers and
coded values (ADPs, periods, counts, dates, choices) are read without them."""

UNTIDY = r"^\s|\s$|^$"
"""A free-text cell that is blank or has spaces around it: trimmed, blank as missing, before it
is checked (`mission.parsing.frame`); a reader that finds no such cell says so
(`Table.tidy_texts`), with this pattern, so that the two never disagree."""

CONTROL = r"[\x00-\x08\x0b-\x1f\x7f]"
"""Control characters no typed value holds (a tab or line break may sit in a cell): a cell that
holds one is said to, as a `control-characters` warning."""

_HEADER_JUNK = re.compile(r"[\s\-]+")
_INVISIBLE = re.compile(INVISIBLE)


def normalise_header(text: object) -> str:
    """`Period`, ` period `, `PERIOD` and `treatment-start date` all mean the canonical name;
    so does `\ufeffperiod` (see `INVISIBLE`)."""
    return _HEADER_JUNK.sub("_", _INVISIBLE.sub("", str(text)).strip().lower()).strip("_")


def normalise_choice(text: str) -> str:
    """Choice values are compared like headers: `Provisional Green` is `provisional_green`."""
    return normalise_header(text)


TOTAL_LABELS = frozenset(
    {"total", "totals", "grand_total", "sum", "scotland", "all", "all_adps", "scotland_total"}
    | {"total_scotland", "national", "national_total", "overall"}
)
"""What an officer writes in the first cell of a totals row (compared as headers are): not an
ADP, and not data — mission adds the ADPs up itself."""


HEADER_SYNONYMS = {
    **dict.fromkeys(
        ("quarter", "qtr", "reporting_quarter", "reporting_period", "financial_quarter",
         "quarter_ending", "quarter_end", "fy_quarter"),
        "period",
    ),
    **dict.fromkeys(("fy", "financial_year", "reporting_year", "fin_year"), "year"),
    **dict.fromkeys(
        ("adp_name", "partnership", "alcohol_and_drug_partnership", "area", "adp_area"), "adp"
    ),
    **dict.fromkeys(("client_id", "patient_id", "person", "individual_id"), "person_id"),
    **dict.fromkeys(("date_of_referral", "referred", "referred_on"), "referral_date"),
    **dict.fromkeys(("start_date", "date_started", "treatment_start"), "treatment_start_date"),
    **dict.fromkeys(("deaths", "drug_deaths", "drug_related_deaths"), "drug_misuse_deaths"),
    **dict.fromkeys(("mat_standard", "standard_number"), "standard"),
    **dict.fromkeys(("rag", "rag_status", "ragb", "assessment"), "status"),
}  # fmt: skip
"""Headers officers use for a contract column under another name (compared as headers are):
never read as that column (the contract names its columns), but named in the hint, so `Quarter`
is told to be `period` rather than to be deleted."""
