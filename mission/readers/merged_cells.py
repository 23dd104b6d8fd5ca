"""Merged cells in a workbook's table, told where they meet its rows.

Excel shows a merged range's value across all its cells, but only the first (top-left) cell
holds it: the others are blank in the file. An officer who merged A3:A5 to write `Fife` once
beside three quarters sees Fife on every row, and is then told that rows 4 and 5 name no ADP.
So a range that covers a cell of the table's rows is named, with how to unmerge it, beside the
findings about those blanks. A merged title above the header or a merged notes row set aside
below the data covers no row of the table, and is not told. Only cell references are said,
never what a cell holds.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from mission.columns import ROW
from mission.findings import column_index, column_letter
from mission.readers.table import Draft

if TYPE_CHECKING:
    import polars as pl

__all__ = ["MergedRange", "merged_ranges", "tell_merged"]

_REFERENCE = re.compile(r"\$?([A-Z]{1,3})\$?([1-9][0-9]{0,6})")
_RANGE = re.compile(rf"^{_REFERENCE.pattern}:{_REFERENCE.pattern}$")
_UNMERGE = (
    "Unmerge the cells (Home > Merge & Center > Unmerge Cells), then give each cell its own "
    "value: select the range and fill down (Ctrl+D)."
)


class MergedRange(NamedTuple):
    """A merged range: rows 1-based, columns 0-based, as the workbook guard counts them."""

    first_row: int
    first_column: int
    last_row: int
    last_column: int

    @property
    def first_cell(self) -> str:
        return f"{column_letter(self.first_column)}{self.first_row}"

    @property
    def reference(self) -> str:
        return f"{self.first_cell}:{column_letter(self.last_column)}{self.last_row}"


def merged_ranges(refs: tuple[str, ...]) -> list[MergedRange]:
    """The ranges of a sheet's `mergeCell` references, in order of their first cell; a malformed
    one (Excel writes none) or one of a single cell is passed over, as it merges nothing."""
    ranges = []
    for ref in refs:
        found = _RANGE.match(ref.strip().upper())
        if found is None:
            continue
        left, top, right, bottom = found.groups()
        rows = sorted((int(top), int(bottom)))
        columns = sorted((column_index(left), column_index(right)))
        if rows[0] != rows[1] or columns[0] != columns[1]:
            ranges.append(MergedRange(rows[0], columns[0], rows[1], columns[1]))
    return sorted(ranges)


def tell_merged(draft: Draft, refs: tuple[str, ...]) -> None:
    """A warning for each merged range (capped) that covers a cell of the table's rows other than
    its first: one that Excel shows a value in but that reads as it is saved (blank)."""
    frame = draft.frame
    if frame is None:
        return
    columns = {column_index(letter): f"c{i}" for i, letter in enumerate(draft.letters)}
    rows = frame[ROW]
    for merged in merged_ranges(refs):
        within = range(merged.first_column, merged.last_column + 1)
        names = [name for x, name in columns.items() if x in within]
        start = rows.search_sorted(merged.first_row, "left")
        end = rows.search_sorted(merged.last_row, "right")
        if not names or end <= start:
            continue
        held = frame.slice(start, end - start).select(ROW, *names)
        first_held = held[ROW][0] == merged.first_row and merged.first_column in columns
        if held.height * len(names) - first_held == 0:
            continue  # the range meets the table at its first cell alone
        if draft.sink.room("merged-cells") == 0:
            draft.sink.count_over("merged-cells", 1)
            continue
        draft.note(
            "merged-cells",
            _words(merged, _others_blank(held, merged, columns)),
            row=merged.first_row,
            cell=merged.first_cell,
            hint=_UNMERGE,
        )


def _others_blank(held: pl.DataFrame, merged: MergedRange, columns: dict[int, str]) -> bool:
    """Whether every cell the range covers in the table, its first apart, is blank (as Excel
    leaves them): a file made otherwise can hold values under a merge that Excel does not show."""
    first = columns.get(merged.first_column)
    filled = 0
    for name in held.columns[1:]:
        values = held[name]
        if name == first:
            values = values.filter(held[ROW] != merged.first_row)
        filled += len(values) - values.null_count()
    return filled == 0


def _words(merged: MergedRange, blank: bool) -> str:
    first = merged.first_cell
    if blank:
        return (
            f"cells {merged.reference} are merged: Excel shows {first}'s value across them, but "
            f"only {first} holds it, so the other cells read as blank"
        )
    return (
        f"cells {merged.reference} are merged: Excel shows only {first}'s value across them, "
        "but the other cells hold values of their own that it does not show, and those are read"
    )
