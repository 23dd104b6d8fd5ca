"""Hidden rows and columns in a workbook's table, told: they are read as every other row is.

An officer who hides last quarter's rows rather than delete them, or filters a national sheet
down to their own ADP, sees a return that is not the one in the file. Every hidden row among the
table's rows, and every hidden column of the table, is named (by number and letter only, never
what it holds), so the officer can unhide them and delete what is not part of the return.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mission.columns import ROW
from mission.findings import column_index
from mission.readers.table import Draft

if TYPE_CHECKING:
    from mission.readers.sheet_layout import SheetLayout

__all__ = ["spans", "tell_hidden"]

_SHOWN_SPANS = 8
"""Runs of rows (or columns) a message names before it counts the rest."""


def tell_hidden(draft: Draft, layout: SheetLayout) -> None:
    """A warning for the table's hidden rows, and one for its hidden columns (if any)."""
    import polars as pl

    frame = draft.frame
    if frame is None:
        return
    numbers = sorted({n for n in layout.hidden_rows if n > 0})
    if numbers:
        rows = frame[ROW]
        hidden = rows.filter(rows.is_in(pl.Series(numbers, dtype=rows.dtype).implode()))
        if len(hidden):
            how = " by a filter" if layout.filtered else ""
            draft.note(
                "hidden-rows",
                f"{_counted(len(hidden), 'row')} of the table {_are(len(hidden))} hidden in "
                f"Excel{how}, but read as part of the return: {_named(hidden.to_list(), 'row')}",
                row=int(hidden[0]),
                hint="Unhide them (or clear the filter) and check each: delete the rows that are "
                "not part of this return, as every row in the file is read.",
            )
    _tell_columns(draft, layout.hidden_columns)


def _tell_columns(draft: Draft, ranges: tuple[tuple[int, int], ...]) -> None:
    if not ranges:
        return
    positions = {column_index(letter): letter for letter in draft.letters}
    hidden = sorted(x for x in positions if any(first <= x <= last for first, last in ranges))
    if not hidden:
        return
    names = [positions[x] for x in hidden]
    draft.note(
        "hidden-columns",
        f"{_counted(len(names), 'column')} of the table {_are(len(names))} hidden in Excel, but "
        f"read as part of the return: {_named_letters(hidden, names)}",
        row=draft.header_row,
        cell=f"{names[0]}{draft.header_row}" if draft.header_row else None,
        hint="Unhide them (select the columns either side, right-click, Unhide) and check what "
        "they hold: delete a column that is not part of the return.",
    )


def spans(numbers: list[int]) -> list[tuple[int, int]]:
    """Sorted numbers as runs: [4, 5, 6, 9] -> [(4, 6), (9, 9)]."""
    runs: list[tuple[int, int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


def _named(numbers: list[int], noun: str) -> str:
    runs = spans(numbers)
    said = [f"{a}" if a == b else f"{a}–{b}" for a, b in runs[:_SHOWN_SPANS]]
    return _listed(said, runs, noun)


def _named_letters(indexes: list[int], letters: list[str]) -> str:
    at = dict(zip(indexes, letters, strict=True))
    runs = spans(indexes)
    said = [at[a] if a == b else f"{at[a]}–{at[b]}" for a, b in runs[:_SHOWN_SPANS]]
    return _listed(said, runs, "column")


def _listed(said: list[str], runs: list[tuple[int, int]], noun: str) -> str:
    more = sum(b - a + 1 for a, b in runs[_SHOWN_SPANS:])
    if more:
        said.append(f"{_counted(more, noun)} more")
    words = said[0] if len(said) == 1 else ", ".join(said[:-1]) + f" and {said[-1]}"
    plural = sum(b - a + 1 for a, b in runs) > 1
    return f"{noun}{'s' if plural else ''} {words}"


def _counted(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _are(n: int) -> str:
    return "is" if n == 1 else "are"
