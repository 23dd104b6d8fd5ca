"""Finding the header row: the first row that holds the required column names of a kind."""

from __future__ import annotations

from collections.abc import Sequence

from mission.columns import ColumnType, normalise_header
from mission.kinds import Kind, kinds

__all__ = [
    "CONTRACT_NAMES",
    "FREE_TEXT",
    "HEADER_SEARCH_ROWS",
    "find_header",
    "first_non_blank",
    "header_score",
    "holds_codes",
]

HEADER_SEARCH_ROWS = 200
"""How far down a file the header may be (title rows and instructions above it are skipped)."""

FREE_TEXT = frozenset(c.name for k in kinds() for c in k.columns if c.type is ColumnType.TEXT)
"""Columns whose values are free text (ids, comments): not worth storing as categoricals."""


def holds_codes(header: str) -> bool:
    """Whether the column under `header` is read as codes (a categorical, `cell_codes`): every
    column but a contract column of free text. One rule for every reader."""
    return normalise_header(header) not in FREE_TEXT


CONTRACT_NAMES = frozenset(c.name for k in kinds() for c in k.columns)
"""Every contract column's name: a reader names a column by its header only when the header is
one of these (the first row may be a person's record, not a header)."""


_REQUIRED = {spec.kind: frozenset(spec.required) for spec in kinds()}
_FEWEST = min(len(required) + 1 for required in _REQUIRED.values()) // 2
"""The fewest cells a header can have: half the required columns of the kind needing fewest."""


def header_score(cells: Sequence[object], kind: Kind | None) -> int:
    """How many required columns of the best-matching kind a row holds (0 = not a header)."""
    filled = [c for c in cells if c is not None and str(c).strip()]
    if len(filled) < _FEWEST:  # an instruction line, or a line split on the wrong delimiter
        return 0
    names = {normalise_header(c) for c in filled}
    best = 0
    for required in [_REQUIRED[kind]] if kind else _REQUIRED.values():
        hits = len(names & required)
        if hits * 2 >= len(required):
            best = max(best, hits)
    return best


def find_header(rows: Sequence[Sequence[object]], kind: Kind | None) -> int | None:
    """Index of the first row that holds the required columns of a kind."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if header_score(row, kind):
            return index
    return None


def first_non_blank(rows: Sequence[Sequence[object]]) -> int:
    for index, row in enumerate(rows):
        if any(c is not None and str(c).strip() for c in row):
            return index
    return 0
