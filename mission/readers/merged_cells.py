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
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from mission.columns import ROW
from mission.findings import column_index, column_letter
from mission.readers.sheet_layout import columns_between
from mission.readers.table import Draft

if TYPE_CHECKING:
    import polars as pl

    from mission.readers.sheet_layout import SheetLayout

__all__ = ["MergedRange", "merged_ranges", "tell_merged"]

_REFERENCE = re.compile(r"\$?([A-Z]{1,3})\$?([1-9][0-9]{0,6})")
_RANGE = re.compile(rf"^{_REFERENCE.pattern}:{_REFERENCE.pattern}$")
_UNMERGE = (
    "Unmerge the cells (Home > Merge & Center > Unmerge Cells), then fill in each cell left "
    "blank: every row, and every column's header, holds its own value."
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
    """The ranges of a sheet's `mergeCell` references, each once, in order of their first cell;
    a malformed one (Excel writes none) or one of a single cell is passed over, as it merges
    nothing."""
    ranges: set[MergedRange] = set()
    for ref in refs:
        found = _RANGE.match(ref.strip().upper())
        if found is None:
            continue
        left, top, right, bottom = found.groups()
        rows = sorted((int(top), int(bottom)))
        columns = sorted((column_index(left), column_index(right)))
        if rows[0] != rows[1] or columns[0] != columns[1]:
            ranges.add(MergedRange(rows[0], columns[0], rows[1], columns[1]))
    return sorted(ranges)


def tell_merged(draft: Draft, layout: SheetLayout) -> None:
    """A warning for each merged range that covers a cell of the table (a row of it, or its
    header) other than its first: one Excel shows a value in but that reads as it is saved
    (blank). The first `_TOLD` are told; the rest, and ranges past what the guard noted, are
    counted."""
    if draft.frame is None:
        return
    table = _Table(draft)
    ranges = merged_ranges(layout.merged)
    if draft.second_header_row is not None and table.header_row is not None:
        # Merges within a header of two rows are that header's (told as `two-row-header`).
        top, bottom = table.header_row, draft.second_header_row
        ranges = [m for m in ranges if not (top <= m.first_row and m.last_row <= bottom)]
    frame = draft.frame
    told = 0
    for merged, start, end, names in _meeting(ranges, frame[ROW], table):
        if told == _TOLD or draft.sink.room("merged-cells") == 0:
            draft.sink.count_over("merged-cells", 1)
            continue
        told += 1
        held = frame.slice(start, end - start).select(ROW, *names)
        blank = _others_blank(held, merged, table) and table.header_blank(merged)
        draft.note(
            "merged-cells",
            _words(merged, blank),
            row=merged.first_row,
            cell=merged.first_cell,
            hint=_UNMERGE,
        )
    if layout.merges_unlisted:
        draft.note(
            "merged-cells",
            f"the sheet has {layout.merges_unlisted:,} merged "
            f"range{'' if layout.merges_unlisted == 1 else 's'} beyond the "
            f"{len(layout.merged):,} looked at: any of them may cover cells of the table",
            hint=_UNMERGE,
        )


_TOLD = 100
"""Merged ranges told one by one in a file at most; the rest are counted."""


class _Table:
    """Where the table lies on the sheet: its columns (sheet indexes, sorted, and their names in
    the frame), the span they cover (headless columns dropped between them included), and its
    header row."""

    def __init__(self, draft: Draft) -> None:
        indexes = [column_index(letter) for letter in draft.letters]
        self.names = {x: f"c{i}" for i, x in enumerate(indexes)}
        self.headers = {x: draft.headers[i] for i, x in enumerate(indexes)}
        self.columns = sorted(indexes)
        self.span = (self.columns[0], self.columns[-1]) if self.columns else (0, -1)
        self.header_row = draft.header_row

    def within(self, merged: MergedRange) -> list[int]:
        """The table's columns (sheet indexes) the range spans."""
        return columns_between(self.columns, merged.first_column, merged.last_column)

    def header_cells(self, merged: MergedRange) -> int:
        """How many cells of the header row, its first apart, the range covers."""
        row = self.header_row
        if row is None or not merged.first_row <= row <= merged.last_row:
            return 0
        lo, hi = max(merged.first_column, self.span[0]), min(merged.last_column, self.span[1])
        first = row == merged.first_row and lo == merged.first_column
        return max(hi - lo + 1, 0) - first

    def header_blank(self, merged: MergedRange) -> bool:
        """Whether the header cells the range covers, its first apart, are blank (a headless
        column, dropped from the table, is blank)."""
        row = self.header_row
        if row is None or not merged.first_row <= row <= merged.last_row:
            return True
        first = merged.first_column if row == merged.first_row else None
        return all(not self.headers[x] for x in self.within(merged) if x != first)


def _meeting(
    ranges: list[MergedRange], rows: pl.Series, table: _Table
) -> Iterator[tuple[MergedRange, int, int, list[str]]]:
    """Each range that covers a cell of the table other than its first, with where its rows lie
    in the frame (`start`, `end`) and the table's columns it spans: found by binary search, all
    ranges at once, so a sheet of many merges costs no query each."""
    import polars as pl

    if not ranges or rows.is_empty():
        return
    firsts = pl.Series([m.first_row for m in ranges], dtype=rows.dtype)
    lasts = pl.Series([m.last_row for m in ranges], dtype=rows.dtype)
    starts = rows.search_sorted(firsts, "left")
    ends = rows.search_sorted(lasts, "right").to_list()
    at_start = rows.gather(starts.clip(0, rows.len() - 1)).to_list()
    for merged, start, end, row in zip(ranges, starts.to_list(), ends, at_start, strict=True):
        names = [table.names[x] for x in table.within(merged)]
        cells = (end - start) * len(names)
        if cells and row == merged.first_row and merged.first_column in table.names:
            cells -= 1  # the range's first cell holds its value
        if cells > 0 or table.header_cells(merged) > 0:
            yield merged, start, max(end, start), names


def _others_blank(held: pl.DataFrame, merged: MergedRange, table: _Table) -> bool:
    """Whether every cell the range covers in the table's rows, its first apart, is blank (as
    Excel leaves them): a file made otherwise can hold values under a merge that Excel does not
    show."""
    first = table.names.get(merged.first_column)
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
