"""Hidden rows and columns in a workbook's table, told: they are read as every other row is.

An officer who hides last quarter's rows rather than delete them, or filters a national sheet
down to their own ADP, sees a return that is not the one in the file, and a stale quarter hidden
there would replace a newer one already in the store. So hidden rows among the table's rows are
an error (`hidden-rows`), and hidden columns of the table a warning; both are named by number
and letter only, never what they hold, so the officer can unhide them and delete what is not
part of the return.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mission.columns import ROW
from mission.findings import column_index
from mission.readers.sheet_layout import columns_between
from mission.readers.table import Draft
from mission.text import listed

if TYPE_CHECKING:
    import polars as pl

    from mission.readers.sheet_layout import SheetLayout

__all__ = ["spans", "tell_hidden"]

_SHOWN_SPANS = 8
"""Runs of rows (or columns) a message names before it counts the rest."""


def tell_hidden(draft: Draft, layout: SheetLayout) -> None:
    """A warning for the table's hidden rows, and one for its hidden columns (if any)."""
    if draft.frame is None:
        return
    if layout.hidden_rows:
        _tell_rows(draft, draft.frame[ROW], layout)
    _tell_columns(draft, layout.hidden_columns)


def _tell_rows(draft: Draft, rows: pl.Series, layout: SheetLayout) -> None:
    """The table's rows within the hidden runs, found by binary search, in runs of their own."""
    import polars as pl

    firsts = pl.Series([a for a, _ in layout.hidden_rows], dtype=rows.dtype)
    lasts = pl.Series([b for _, b in layout.hidden_rows], dtype=rows.dtype)
    bounds = zip(
        rows.search_sorted(firsts, "left").to_list(),
        rows.search_sorted(lasts, "right").to_list(),
        strict=True,
    )
    pieces = [rows.slice(start, end - start) for start, end in bounds if end > start]
    if not pieces:
        return
    hidden = pl.concat(pieces)
    starts_run = hidden.diff().fill_null(0) != 1
    runs = list(
        zip(
            hidden.filter(starts_run).head(_SHOWN_SPANS).to_list(),
            hidden.filter(starts_run.shift(-1, fill_value=True)).head(_SHOWN_SPANS).to_list(),
            strict=True,
        )
    )
    total = hidden.len()
    words = _named(runs, total, "row")
    if layout.hidden_rows_unlisted:
        words += f" (and {layout.hidden_rows_unlisted:,} hidden rows more, not looked at)"
    filtered = " (the sheet has a filter on)" if layout.filtered else ""
    draft.note(
        "hidden-rows",
        f"{_counted(total, 'row')} of the table {_are(total)} hidden in Excel{filtered}, but "
        f"read as part of the return: {words}",
        row=runs[0][0],
        # At a cell (the first hidden row's first column), so the sheet is named with it.
        cell=f"{draft.letters[0]}{runs[0][0]}" if draft.letters else None,
        hint="Unhide them (or clear the filter) and check each: delete the rows that are not "
        "part of this return and keep the rest unhidden, as every row in the file is sent.",
    )


def _tell_columns(draft: Draft, ranges: tuple[tuple[int, int], ...]) -> None:
    if not ranges:
        return
    positions = {column_index(letter): letter for letter in draft.letters}
    table = sorted(positions)
    hidden = sorted({x for first, last in ranges for x in columns_between(table, first, last)})
    if not hidden:
        return
    letters = [positions[x] for x in hidden]
    draft.note(
        "hidden-columns",
        f"{_counted(len(hidden), 'column')} of the table {_are(len(hidden))} hidden in Excel, "
        f"but read as part of the return: {_named_letters(hidden, letters)}",
        row=draft.header_row,
        cell=f"{letters[0]}{draft.header_row}" if draft.header_row else None,
        hint="Unhide them (select the columns either side, right-click, Unhide) and check what "
        "they hold: each is read as part of the return.",
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


def _named(runs: list[tuple[int, int]], total: int, noun: str) -> str:
    """The first runs by number (`rows 4–6 and 9`), the rest of `total` counted."""
    said = [f"{a}" if a == b else f"{a}–{b}" for a, b in runs]
    return _listed(said, total > 1, total - sum(b - a + 1 for a, b in runs), noun)


def _named_letters(indexes: list[int], letters: list[str]) -> str:
    at = dict(zip(indexes, letters, strict=True))
    runs = spans(indexes)
    said = [at[a] if a == b else f"{at[a]}–{at[b]}" for a, b in runs[:_SHOWN_SPANS]]
    more = sum(b - a + 1 for a, b in runs[_SHOWN_SPANS:])
    return _listed(said, len(indexes) > 1, more, "column")


def _listed(said: list[str], plural: bool, more: int, noun: str) -> str:
    if more:
        said = [*said, f"{_counted(more, noun)} more"]
    return f"{noun}{'s' if plural else ''} {listed(said)}"


def _counted(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _are(n: int) -> str:
    return "is" if n == 1 else "are"
