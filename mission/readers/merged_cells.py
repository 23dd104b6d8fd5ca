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

from mission.cell_codes import recoded
from mission.columns import ROW
from mission.findings import column_index, column_letter
from mission.readers.sheet_layout import columns_between
from mission.readers.table import Draft
from mission.text import listed

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
    ranges = _two_row_header(draft, merged_ranges(layout.merged), table)
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

_NUMBER = r"^\s*[-+]?[0-9][0-9,. ]*\s*$"


def _two_row_header(draft: Draft, ranges: list[MergedRange], table: _Table) -> list[MergedRange]:
    """A header of two rows, its cells merged down into the second (`Buprenorphine` over `oral`
    and `depot`, the rest merged down beside them): only the first is read as the header, so
    the second would be read as a row of data, every cell of it wrong. It is told once, as
    what it is, and set aside with the merges that make it (its names are no figures); the
    ranges left are returned."""
    import polars as pl

    row, frame = table.header_row, draft.frame
    down = _merged_down(draft, ranges, table)
    if not down or row is None or frame is None:
        return ranges
    merged = listed(
        [m.reference for m in down[:4]] + ([f"{len(down) - 4} more"] if len(down) > 4 else [])
    )
    draft.note(
        "two-row-header",
        f"the header takes two rows, {row} and {row + 1} (cells {merged} are merged down into "
        f"row {row + 1}): only row {row} is read as the header, so row {row + 1} was set aside",
        row=row + 1,
        cell=f"{column_letter(down[0].first_column)}{row + 1}",
        hint=f"Make the header one row: unmerge it, write the contract's column names in row "
        f"{row} (`mission template` writes them), and delete row {row + 1}.",
    )
    draft.frame = recoded(frame.filter(pl.col(ROW) != row + 1))
    draft.sink.drop_row("extra-cells", row + 1)  # told of the row before it was set aside
    return [m for m in ranges if m not in down]


def _merged_down(draft: Draft, ranges: list[MergedRange], table: _Table) -> list[MergedRange]:
    """The ranges merged down from the header into the row below it, when the two rows are a
    header of two (else none): a group name merged across columns in the header row, the
    others merged down beside it, and the second row holding names under the group alone, none
    a number. A first record under a header cell merged down (an episodes row, a row of
    figures still blank) fills cells beside the group, or there is no group: it is data."""
    import polars as pl

    row, frame = table.header_row, draft.frame
    if row is None or frame is None:
        return []
    down, groups = _header_merges(ranges, table, row)
    if not (down and groups):
        return []  # a pass over the rows only for a sheet merged so (not for every workbook)
    second = frame.filter(pl.col(ROW) == row + 1).drop(ROW)
    if second.height == 0:
        return []
    under = {table.names[x] for g in groups for x in table.within(g)}
    beside = [c for c in second.columns if c not in under]
    numbers = second.select(
        pl.col(c).cast(pl.String).str.contains(_NUMBER).any() for c in second.columns
    )
    blank_beside = second.select(beside).null_count().row(0) == (1,) * len(beside)
    return down if blank_beside and not any(numbers.row(0)) else []


def _header_merges(
    ranges: list[MergedRange], table: _Table, row: int
) -> tuple[list[MergedRange], list[MergedRange]]:
    """The table's ranges merged down from header row `row` into the next, and those merged
    across columns in it (a group name). A group's columns past its first may have no header
    (dropped from the table, their cells told as extra): the range, not the table, says it
    spans columns."""
    meeting = [m for m in ranges if table.within(m)]
    down = [m for m in meeting if (m.first_row, m.last_row) == (row, row + 1)]
    groups = [m for m in meeting if m.first_row == m.last_row == row]
    return down, [m for m in groups if m.last_column > m.first_column]


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
