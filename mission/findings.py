"""Findings: what validation says about a return, each with a stable code from the catalogue.

Data problems are values, not exceptions. Every finding names its file, the row as the user sees
it in their editor, the column, the cell (`H2`, and the sheet for a workbook), the offending value
as it was typed, and a hint. A finding's text is escaped on the way in (see `mission.text`).

Findings are collected in a `FindingSink`, which holds the per-code cap for the whole file: past
`max_per_code` findings of one code, the rest are counted in one `too-many-findings` finding, so no
file can make a report grow without bound, whatever the code.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

from mission.catalogue import CATALOGUE, CodeInfo, Severity
from mission.sheet_words import may_say_sheet
from mission.text import (
    MAX_VALUE_LENGTH,
    WITHHELD_WORDS,
    has_unsafe_characters,
    safe_text,
    spoken_forms,
    without_quotes,
)

__all__ = [
    "CATALOGUE",
    "FINDING_FIELDS",
    "CodeInfo",
    "Finding",
    "FindingSink",
    "Quoted",
    "Severity",
    "column_letter",
    "finding",
    "has_unsafe_characters",
    "meant",
    "named",
    "safe_text",
]


class Quoted(NamedTuple):
    """Another cell a finding's message quotes, and how to mention it if it is withheld
    (`in C16`)."""

    text: str
    mention: str


def named(sheet: str) -> tuple[Quoted, ...]:
    """A sheet's name as a message quotes it (`sheet_name`): typed content, withheld if it is one
    of the run's ids. A name never said leaves nothing to quote (and nothing in `quotes`)."""
    return (Quoted(sheet, _UNNAMED),) if may_say_sheet(sheet) else ()


def sheet_name(sheet: str) -> str:
    """A sheet's name as a message says it (`'Data'`), when it is made of what sheets of returns
    are named with (`mission.sheet_words`: `Sheet1`, `OST Q1 2024`, `Highland ADP`); any other
    (`QBZXKW`, `4821`, `John Smith`) is not said, whether or not it is one of the run's ids
    (withholding finds only the ids it read, and a hidden sheet's are never read)."""
    return repr(sheet) if may_say_sheet(sheet) else _UNNAMED


_UNNAMED = "(its name not shown)"


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing validation says about a return.

    `row` is the row the user sees in their editor (Excel's row number in a workbook); `cell` is
    the A1 reference of the cell when its column is known (`H2`), and `sheet` the worksheet it is
    on. `value` is the cell as it was typed, never a person id. Every text field is escaped when
    the finding is made, so no output can carry a control character from a stranger's file.
    """

    code: str
    severity: Severity
    message: str
    file: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    hint: str | None = None
    sheet: str | None = None
    cell: str | None = None
    quotes: tuple[Quoted, ...] = field(default=(), compare=False, repr=False)
    """Other cells, or figures made of them, that the message quotes (the referral date beside
    a start date). Never a field of any output: they are withheld like the value when one is a
    person id (`FindingSink.withhold`)."""

    def __post_init__(self) -> None:
        for name, limit in _TEXT_LIMITS:
            text = getattr(self, name)
            # Short printable ASCII is safe as it is (most text): no call, no new string.
            plain = type(text) is str and len(text) <= limit and text.isascii()
            if text is not None and not (plain and text.isprintable()):
                object.__setattr__(self, name, safe_text(str(text), limit))
        if self.quotes:  # as the message shows them, so they are found in it
            quotes = tuple(Quoted(safe_text(q.text, 2000), q.mention) for q in self.quotes)
            object.__setattr__(self, "quotes", quotes)
        if type(self.severity) is not Severity:
            object.__setattr__(self, "severity", Severity(self.severity))
        if self.sheet is not None and not may_say_sheet(self.sheet):
            object.__setattr__(self, "sheet", None)  # named as `sheet_name` names it: not at all

    @property
    def location(self) -> str:
        """Where the finding is, for people: `ost!H2`, `H2`, `row 7` or `file`."""
        if self.cell:
            return f"{self.sheet}!{self.cell}" if self.sheet else self.cell
        return f"row {self.row}" if self.row else "file"

    def replace(self, **changes: object) -> Finding:
        """The same finding with some fields changed (findings are immutable)."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, object]:
        """The finding as plain JSON-ready data, field by field."""
        return {name: getattr(self, name) for name in FINDING_FIELDS}


FINDING_FIELDS = tuple(f.name for f in dataclasses.fields(Finding) if f.name != "quotes")
_TEXT_LIMITS = (
    ("message", 2000),
    ("file", 2000),
    ("column", 2000),
    ("value", MAX_VALUE_LENGTH),
    ("hint", 2000),
    ("sheet", 2000),
    ("cell", 2000),
)


def column_index(letters: str) -> int:
    """Excel's column letters as a 0-based index: A -> 0, AA -> 26 (`column_letter` undone)."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number - 1


def column_letter(index: int) -> str:
    """Excel's letters for a 0-based column index: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    number = index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def finding(
    code: str,
    message: str,
    file: str,
    *,
    row: int | None = None,
    column: str | None = None,
    value: object = None,
    hint: str | None = None,
    sheet: str | None = None,
    cell: str | None = None,
    quotes: tuple[Quoted, ...] = (),
) -> Finding:
    """A finding whose severity comes from the catalogue, so one code always means one severity."""
    info = CATALOGUE[code]
    return Finding(
        code=code,
        severity=info.severity,
        message=message,
        file=file,
        row=row,
        column=column,
        value=None if value is None else str(value)[: MAX_VALUE_LENGTH + 1],
        hint=hint,
        sheet=sheet,
        cell=cell,
        quotes=quotes,
    )


def meant(words: str, code: str) -> str:
    """The words, or what the code means when all they would say is a withheld cell."""
    return CATALOGUE[code].meaning if words == WITHHELD_WORDS else words


def _unnamed(item: Finding, cells: set[str]) -> tuple[Finding, list[Quoted]]:
    """The finding without a sheet or column name that is a held cell: a sheet's name is typed
    content (the cell is then named alone, `H2`), and so is an unknown column's header (the
    contract's own column names are the rule's words, never withheld)."""
    quotes = []
    if item.sheet is not None and item.sheet in cells:
        quotes.append(Quoted(item.sheet, _UNNAMED))
        item = item.replace(sheet=None)
    if item.column is not None and item.column in cells and item.column not in _contract():
        item = item.replace(column=None)
    return item, quotes


@cache
def _contract() -> frozenset[str]:
    """Every column name the contract has (a finding's `column` is then the rule's word)."""
    from mission.kinds import kinds

    return frozenset(c.name for spec in kinds() for c in spec.columns)


class FindingSink:
    """The findings of one file, capped per code; what is over the cap is counted, not kept."""

    def __init__(self, file: str, max_per_code: int) -> None:
        self.file = file
        self.max_per_code = max_per_code
        self._kept: list[Finding] = []
        self._per_code: Counter[str] = Counter()
        self._over: Counter[str] = Counter()

    def room(self, code: str) -> int:
        """How many more findings of `code` will be kept."""
        return max(self.max_per_code - self._per_code[code], 0)

    def add(self, item: Finding) -> None:
        if self._per_code[item.code] >= self.max_per_code:
            self._over[item.code] += 1
            return
        self._per_code[item.code] += 1
        self._kept.append(item)

    def extend(self, items: Iterable[Finding]) -> None:
        for item in items:
            self.add(item)

    def quiet(self, code: str) -> None:
        """On each row with a finding of `code`, keep only those: a row that is not data (a
        totals row) is told once, as what it is, not once for each of its cells."""
        rows = {f.row for f in self._kept if f.code == code and f.row}
        self._drop(lambda item: item.row in rows and item.code != code)

    def drop_beside(self, code: str, cause: str, columns: Collection[str]) -> None:
        """Drop the findings of `code` on each row where a finding of `cause` is about one of
        `columns`: what follows from a cell already told (a total that cannot add up because a
        medication cell shows an Excel error, which read as blank) would send the officer to
        the wrong cell."""
        rows = {f.row for f in self._kept if f.code == cause and f.column in columns and f.row}
        self._drop(lambda item: item.code == code and item.row in rows)

    def drop_row(self, code: str, row: int) -> None:
        """Drop the findings of `code` at `row`: a row set aside after they were told."""
        self.drop_where(code, lambda item: item.row == row)

    def drop_where(self, code: str, unwanted: Callable[[Finding], bool]) -> None:
        """Drop the findings of `code` that `unwanted` picks: about cells found, once the table
        is known, to be no part of it."""
        self._drop(lambda item: item.code == code and unwanted(item))

    def _drop(self, unwanted: Callable[[Finding], bool]) -> None:
        kept = []
        for item in self._kept:
            if unwanted(item):
                self._per_code[item.code] -= 1
            else:
                kept.append(item)
        self._kept = kept

    def count_over(self, code: str, more: int) -> None:
        """Record `more` findings of `code` that were never built because there was no room."""
        if more > 0:
            self._over[code] += more

    def shown_values(self) -> set[str]:
        """Every cell a kept finding quotes: its value, other cells its message quotes, the
        name of its sheet and of its column."""
        values = {item.value for item in self._kept if item.value is not None}
        sheets = {item.sheet for item in self._kept if item.sheet is not None}
        # A column a finding names may be a header as typed (an unknown column's).
        columns = {item.column for item in self._kept if item.column is not None}
        return values | sheets | columns | {q.text for item in self._kept for q in item.quotes}

    def withhold(self, held: Iterable[str]) -> None:
        """Quote none of the cells `held` names any more: each kept finding whose value is one
        loses it, and its message and hint every quotation of it or of another cell it quotes
        that is held (the rule's own words stay: `is not a known ADP` is no id's, even when an
        id is `ADP`)."""
        cells = set(held)
        for index, item in enumerate(self._kept):
            quotes = [q for q in item.quotes if q.text in cells]
            if item.value is not None and item.value in cells:
                quotes.insert(0, Quoted(item.value, WITHHELD_WORDS))
            item, named = _unnamed(item, cells)
            quotes += named
            if not quotes:
                continue
            message, hint = item.message, item.hint
            for quote in quotes:
                said = spoken_forms(quote.text)
                message = without_quotes(said, message, quote.mention) or item.code
                hint = without_quotes(said, hint, quote.mention)
            message = meant(message, item.code)
            if item.value is not None and item.value in cells:
                # The row's own hint was made from the cell (`Did you mean 'Orkney'?` for an id
                # `Orkny`, the two quarters an id `2025Q1` could mean): the rule's own instead.
                hint = CATALOGUE[item.code].fix
            value = None if item.value in cells else item.value
            kept = tuple(q for q in item.quotes if q.text not in cells)
            self._kept[index] = item.replace(value=value, message=message, hint=hint, quotes=kept)

    def findings(self) -> tuple[Finding, ...]:
        """The kept findings, then one `too-many-findings` per code that overflowed."""
        told = [
            finding(
                "too-many-findings",
                f"{more:,} more {code} finding(s) were counted but not listed",
                self.file,
                value=code,
                hint="Fix the first ones listed: the rest usually share the cause.",
            )
            for code, more in self._over.items()
        ]
        return (*self._kept, *told)
