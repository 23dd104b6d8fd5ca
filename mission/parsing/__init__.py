"""Cells to typed values: every column of a table parsed and checked against the contract."""

from mission.parsing.context import CellContext
from mission.parsing.frame import as_text, empty_column, parse_columns
from mission.parsing.values import EARLIEST_DATE

__all__ = ["EARLIEST_DATE", "CellContext", "as_text", "empty_column", "parse_columns"]
