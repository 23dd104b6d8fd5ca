"""A sheet's true extent held to Excel's own bounds and to our limits, before the Excel library
sizes a grid from it (`workbook.examine`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mission.findings import column_letter
from mission.readers.header import HEADER_SEARCH_ROWS
from mission.readers.table import Unreadable

if TYPE_CHECKING:
    from mission.limits import Limits
    from mission.readers.workbook import SheetExtent

__all__ = ["EXCEL_MAX_COLUMNS", "EXCEL_MAX_ROWS", "check_extent", "within_limits"]

EXCEL_MAX_ROWS, EXCEL_MAX_COLUMNS = 1_048_576, 16_384


def check_extent(extent: SheetExtent | None, limits: Limits) -> None:
    """Raises Unreadable when the sheet is beyond Excel's bounds or over a limit."""
    if extent is None:
        return
    if extent.last_row > EXCEL_MAX_ROWS or extent.last_column >= EXCEL_MAX_COLUMNS:
        raise Unreadable(
            f"the sheet claims a cell at {column_letter(extent.last_column)}{extent.last_row}: "
            "beyond what Excel allows",
            "Save the workbook again from Excel.",
        )
    if extent.columns > limits.max_columns:
        raise Unreadable(
            f"the sheet spans {extent.columns:,} columns (to column "
            f"{column_letter(extent.last_column)}), over the limit of {limits.max_columns:,}",
            "Delete stray cells far to the right of the table, or raise the limit with "
            "--max-columns.",
        )
    if extent.rows > limits.max_rows + HEADER_SEARCH_ROWS + 2:
        raise Unreadable(
            f"the sheet has {extent.rows:,} rows, over the limit of {limits.max_rows:,}",
            "Split the return, or raise the limit with --max-rows.",
        )
    if extent.rows * extent.columns > limits.max_cells:
        raise Unreadable(
            f"the sheet spans {extent.rows:,} rows by {extent.columns:,} columns, over the limit "
            f"of {limits.max_cells:,} cells",
            "Remove stray cells far below or right of the table, or raise --max-cells.",
        )


def within_limits(extent: SheetExtent | None, limits: Limits) -> bool:
    """Whether a sheet passes `check_extent` (an alternative sheet over a limit is left out)."""
    try:
        check_extent(extent, limits)
    except Unreadable:
        return False
    return True
