"""Where what Excel shows differs from what a sheet's cells hold: a merged range shows one value
across cells that hold nothing; a hidden row or column (one a filter hides too) holds cells that
are read but not seen. The workbook guard notes them as it parses the sheet (`workbook.py`,
`bulk.py`, which must note the same whichever pass reads the sheet); the reader tells those that
meet the table once its rows are known (`merged_cells`, `hidden_cells`). Only where they are is
noted, never what a cell holds.

Attributes are read as Excel writes them: unprefixed, numbers in ASCII digits, booleans `1` or
`true` with XML's own spaces (space, tab, CR, LF) around them, nothing else.
"""

from __future__ import annotations

import bisect
import re
import string
from dataclasses import dataclass, field

from mission.readers.sheet_limits import EXCEL_MAX_ROWS

__all__ = [
    "HIDDEN_ATTRIBUTE",
    "MERGES_LISTED",
    "RUNS_LISTED",
    "ZERO_HEIGHT",
    "LayoutNotes",
    "SheetLayout",
    "attribute",
    "columns_between",
    "is_true",
    "row_number",
]

MERGES_LISTED = 100_000
"""Distinct merged ranges noted from a sheet at most; more are counted (`merges_unlisted`)."""
RUNS_LISTED = 10_000
"""Runs of hidden rows, and ranges of hidden columns, noted at most; more rows are counted."""
_XML_SPACE = " \t\r\n"
_S = "[ \t\r\n]"
_NOTHING = (
    r"(?:[+-]?(?:0+(?:\.0*)?|\.0+)(?:[eE][+-]?[0-9]+)?"
    r"|\+?0*\.[0-9]+(?:[eE](?:-[0-9]+|\+?0+))?"
    r"|\+?[0-9](?:\.[0-9]*)?[eE]-0*[1-9][0-9]*)"
)
"""A row height under one point (`ht="0"`, `0.0`, `.0`, and zero as XML writes any number:
`-0`, `+0`, `0e0`, `0E-3`; `0.01`, `.5`; and one digit times a negative power of ten, `5e-1`,
`1E-5`: a row a pixel high at most): the row shows nothing, hidden as surely as by
`hidden="1"`."""
ZERO_HEIGHT = re.compile(rf"{_S}*{_NOTHING}{_S}*\Z")
"""An `ht` value of nothing, as the element-by-element pass reads it."""
HIDDEN_ATTRIBUTE = (
    rf"(?:hidden{_S}*={_S}*[\"']{_S}*(?:1|true){_S}*[\"']"
    rf"|ht{_S}*={_S}*[\"']{_S}*{_NOTHING}{_S}*[\"'])"
)
"""A row's attribute that hides it, as the bulk reading finds it in a row's tag (the same
values `is_true` and `ZERO_HEIGHT` take, so both passes note the same rows)."""


@dataclass(frozen=True)
class SheetLayout:
    """What a sheet shows otherwise than it holds (see the module docstring)."""

    merged: tuple[str, ...] = ()
    """The `ref` of each merged range (`A2:A10`), as the sheet gives it, in its order."""
    merges_unlisted: int = 0
    """Merged ranges past `MERGES_LISTED`, counted, not noted."""
    hidden_rows: tuple[tuple[int, int], ...] = ()
    """Each run of hidden rows, first and last, numbered as the Excel library numbers them."""
    hidden_rows_unlisted: int = 0
    """Hidden rows past `RUNS_LISTED` runs, counted, not noted."""
    hidden_columns: tuple[tuple[int, int], ...] = ()
    """Each range of hidden columns, first and last, 0-based."""
    filtered: bool = False
    """The sheet has a filter (`autoFilter`): rows it hides are among its hidden ones."""


@dataclass
class LayoutNotes:
    """Collects a `SheetLayout` from a sheet's elements, as a parser meets them."""

    merged: dict[str, None] = field(default_factory=dict)
    merges_unlisted: int = 0
    hidden_rows: list[tuple[int, int]] = field(default_factory=list)
    hidden_rows_unlisted: int = 0
    hidden_columns: list[tuple[int, int]] = field(default_factory=list)
    filtered: bool = False
    _row: int = 0
    """The number of the last row met (element by element): a row written without one follows."""

    def element(self, local: str, attrs: list[str]) -> None:
        """Note an element (by local name, with expat's ordered attributes) if it is one of
        these: `mergeCell`, a `row` (numbered, noted if hidden), a hidden `col`, `autoFilter`."""
        if local == "row":
            self._row = row_number(attribute(attrs, "r"), self._row)
            if is_true(attribute(attrs, "hidden")) or ZERO_HEIGHT.match(attribute(attrs, "ht")):
                self.hide_row(self._row)
        elif local == "mergeCell":
            self._merge(attribute(attrs, "ref"))
        elif local == "col" and (
            is_true(attribute(attrs, "hidden")) or ZERO_HEIGHT.match(attribute(attrs, "width"))
        ):
            # A column under a character wide shows nothing, as a row under a point high.
            self._hide_columns(attribute(attrs, "min"), attribute(attrs, "max"))
        elif local == "autoFilter":
            self.filtered = True

    def hide_row(self, number: int) -> None:
        runs = self.hidden_rows
        if runs and runs[-1][0] <= number <= runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], max(number, runs[-1][1]))
        elif len(runs) < RUNS_LISTED:
            runs.append((number, number))
        else:
            self.hidden_rows_unlisted += 1

    def _merge(self, ref: str) -> None:
        if ref in self.merged:
            return  # the same range twice is one range
        if len(self.merged) < MERGES_LISTED:
            self.merged[ref] = None
        else:
            self.merges_unlisted += 1

    def _hide_columns(self, first: str, last: str) -> None:
        bounds = [_number(first), _number(last)]
        if 1 <= bounds[0] <= bounds[1] and len(self.hidden_columns) < RUNS_LISTED:
            self.hidden_columns.append((bounds[0] - 1, bounds[1] - 1))

    def layout(self) -> SheetLayout:
        return SheetLayout(
            tuple(self.merged),
            self.merges_unlisted,
            tuple(self.hidden_rows),
            self.hidden_rows_unlisted,
            tuple(self.hidden_columns),
            self.filtered,
        )


def attribute(attrs: list[str], name: str) -> str:
    """An element's unprefixed attribute (expat's ordered list of names and values); the last of
    several, "" for none. A prefixed one (`x:hidden`) is another namespace's, which Excel
    ignores."""
    found = [attrs[i + 1] for i in range(0, len(attrs) - 1, 2) if attrs[i] == name]
    return found[-1] if found else ""


def is_true(value: str) -> bool:
    """Whether an XML boolean attribute's value is true (`1` or `true`, XML's spaces around)."""
    return value.strip(_XML_SPACE) in ("1", "true")


def row_number(text: str, previous: int) -> int:
    """A row's number, as the Excel library reads its `r` (the digits after any letters: `A3` is
    row 3); the next row when it has none. One too long for a row is taken as one past Excel's
    last (so the extent refuses it): calamine would wrap it round a 32-bit number, to a row the
    guard never checked."""
    text = text.lstrip(string.ascii_letters)
    if not (text.isascii() and text.isdigit()):
        return previous + 1
    digits = text.lstrip("0") or "0"
    return int(digits) if len(digits) <= len(str(EXCEL_MAX_ROWS)) else EXCEL_MAX_ROWS + 1


def _number(text: str) -> int:
    """A column bound (`min`, `max`): ASCII digits, XML's spaces around; 0 for anything else."""
    text = text.strip(_XML_SPACE)
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 6 else 0


def columns_between(columns: list[int], first: int, last: int) -> list[int]:
    """The table's columns (sorted sheet indexes) from `first` to `last`: those a merged range
    or a range of hidden columns covers."""
    return columns[bisect.bisect_left(columns, first) : bisect.bisect_right(columns, last)]
