"""Excel (.xlsx): the sheet named after the kind (else the first), title rows and notes skipped,
Excel's own row numbers kept, and formulas that were never calculated told apart from blanks.

The workbook is examined first (`workbook.py`); only then does fastexcel read the very same bytes.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from mission.cell_codes import as_codes, read_texts
from mission.columns import ROW, normalise_header
from mission.excel_errors import told_error
from mission.findings import Quoted, column_letter, named, sheet_name
from mission.kinds import Kind
from mission.limits import Limits
from mission.readers.error_cells import error_values
from mission.readers.header import HEADER_SEARCH_ROWS, find_header, first_non_blank, holds_codes
from mission.readers.source import Source
from mission.readers.table import Draft, Unreadable
from mission.readers.tidy import note_title_rows, set_frame
from mission.readers.workbook import Examined, SheetExtent, examine

if TYPE_CHECKING:
    import polars as pl

__all__ = ["read_excel"]

_CORRECT = "Correct the formula, or type the figure, so the cell shows a value."
_RENAME = "Type the column's name in the cell (mission template writes the whole header)."
_RECALCULATE = (
    "Open the file in Excel and save it again, so the formula's value is saved with it; or type "
    "the figure itself."
)


class _SheetChoice:
    """Which sheets to examine, best first (a `Chooser`): the visible sheet named after the
    kind; else every visible sheet, in order, then a hidden one named after the kind. A hidden
    sheet is an old copy put away as often as the data: it is read only when no visible sheet
    holds a return. Remembers which sheets were hidden, for what is told (`_tell_sheet`)."""

    def __init__(self, kind: Kind | None) -> None:
        self.wanted = [kind.value] if kind else [k.value for k in Kind]
        self.hidden: frozenset[str] = frozenset()

    def named(self, names: tuple[str, ...]) -> list[str]:
        """The sheets named after the kind (any kind, when none is given)."""
        return [n for n in names if normalise_header(n) in self.wanted]

    def __call__(self, names: tuple[str, ...], hidden: frozenset[str]) -> tuple[str, ...]:
        self.hidden = hidden
        named = self.named(names)
        shown = [n for n in named if n not in hidden]
        if shown:
            # The others visible are examined too, only to say if one holds a return as well.
            return (shown[0], *(n for n in names if n not in hidden and n != shown[0]))
        visible = [n for n in names if n not in hidden]
        # Then a hidden one named after the kind: never read (refused, with why:
        # `_tell_sheet`), but a return found on it says why the visible ones are not. Other
        # hidden sheets are not examined: a template's hidden lists look like a return.
        return tuple(visible + named[:1]) or names


def read_excel(draft: Draft, source: Source, kind: Kind | None, limits: Limits) -> None:
    """Read a workbook into `draft`."""
    data = source.read()
    examined, grid, header_index = _read_sheet(draft, data, kind, limits)
    assert examined.extent is not None
    _tell_unsure_places(draft, examined.extent, grid, limits)
    first_row = examined.extent.first_row
    draft.first_column = examined.extent.first_column
    note_title_rows(draft, first_row - 1 + header_index)
    header_row = first_row + header_index
    _formulas(draft, examined, grid, header_row)
    _errors(draft, data, examined, header_row, limits)
    draft.layout = examined.layout
    set_frame(draft, grid.slice(header_index), header_row, limits)
    _as_codes(draft)


def _read_sheet(
    draft: Draft, data: bytes, kind: Kind | None, limits: Limits
) -> tuple[Examined, pl.DataFrame, int]:
    """The sheet to read (`_SheetChoice`, `_pick`), its cells and its header's index, with what
    is told of the others: a visible one holding a return too, hidden ones passed over."""
    choice = _SheetChoice(kind)
    examined = examine(data, choice, limits)
    everyone = (examined, *examined.alternatives)
    by_name = (
        examined.sheet in choice.named(examined.sheets) and examined.sheet not in choice.hidden
    )
    read, grid, header_index, found = _pick(
        draft, data, dataclasses.replace(examined, alternatives=()) if by_name else examined,
        kind, limits,
    )  # fmt: skip
    _tell_sheet(draft, read, choice)
    if found:
        # The sheets before the one read were loaded by `_pick`, and hold no header of `kind`.
        after = [s.sheet for s in everyone].index(read.sheet) + 1
        others = [s for s in everyone[after:] if s.sheet not in choice.hidden]
        _tell_other_returns(draft, data, read, others, (limits, kind), by_name)
    else:
        _tell_hidden_passed_over(draft, read, choice)
    return read, grid, header_index


def _tell_hidden_passed_over(draft: Draft, read: Examined, choice: _SheetChoice) -> None:
    """No visible sheet holds a return's header, and some sheets are hidden: a hidden sheet is
    never read, so a return put on one (a cover sheet shown, the data hidden) is said to be
    passed over, beside what the visible sheet lacks."""
    hidden = [name for name in read.sheets if name in choice.hidden]
    if hidden:
        draft.note(
            "hidden-sheet-passed-over",
            f"no visible sheet holds a return's header, and sheet {_listed_sheets(hidden)} "
            f"{'is' if len(hidden) == 1 else 'are'} hidden: a hidden sheet is never read",
            hint="If the return is on a hidden sheet, unhide it (and delete or hide the "
            "others); else complete the visible sheet's header.",
            quotes=_quoted_sheets(hidden),
        )


def _listed_sheets(names: Sequence[str]) -> str:
    return ", ".join(sheet_name(name) for name in names)


def _quoted_sheets(names: Sequence[str]) -> tuple[Quoted, ...]:
    """Sheets' names as a message quotes them: typed, so withheld if one is a person id."""
    return tuple(q for name in names for q in named(name))


def drop_unread_formulas(draft: Draft) -> None:
    """`formula-value-unsure` only where a cell is read: rows set aside (notes below the data,
    blank rows) are no part of the return, whatever their formulas' saved values."""
    import polars as pl

    told = {f.row for f in draft.sink.findings() if f.code == _UNSURE and f.row is not None}
    if not told or draft.frame is None:
        return
    read = set(draft.frame.filter(pl.col(ROW).is_in(sorted(told)))[ROW].to_list())
    draft.sink.drop_where(_UNSURE, lambda f: f.row not in read)


_UNSURE = "formula-value-unsure"


def _tell_unsure_places(
    draft: Draft, extent: SheetExtent, grid: pl.DataFrame, limits: Limits
) -> None:
    """Rows and cells are named from the guard's extent; when the grid the Excel library read
    is not that size, something in the XML was a cell to one and not to the other (a crafted
    or odd file), and every place named may be shifted: say so rather than name them silently."""
    rows = extent.last_row - extent.first_row + 1
    columns = extent.last_column - extent.first_column + 1
    whole = rows <= _rows_read(limits)
    if grid.width != columns or (whole and grid.height != rows):
        draft.note(
            "cell-places-unsure",
            f"the guard found cells over {rows:,} rows and {columns:,} columns, the Excel "
            f"library {grid.height:,} and {grid.width:,}: the rows and cells named below may "
            "be shifted",
            hint="Open the workbook in Excel and save it again, then check the saved copy.",
        )


def _rows_read(limits: Limits) -> int:
    return limits.max_rows + 2 + HEADER_SEARCH_ROWS


def _as_codes(draft: Draft) -> None:
    """Columns of codes as categoricals, as the CSV reader gives them (the header row is not
    in the frame, so no header value joins their categories). A date cell, which the Excel
    library reads as `2024-04-01 00:00:00`, reads as its date, `2024-04-01`: as Excel shows it,
    as a CSV holds it, and so a finding may quote it."""
    import polars as pl

    assert draft.frame is not None
    coded = [f"c{i}" for i, header in enumerate(draft.headers) if holds_codes(header)]
    frame = draft.frame.with_columns(as_codes(pl.col(name)) for name in coded)
    timed = [
        name for name in coded if any(_MIDNIGHT.search(v) for v in read_texts(frame[name]) or ())
    ]
    draft.frame = frame.with_columns(
        as_codes(pl.col(name).cast(pl.String).str.replace(_MIDNIGHT.pattern, "${1}"))
        for name in timed
    )


_MIDNIGHT = re.compile(r"^(\d{4}-\d{2}-\d{2}) 00:00:00$")
"""A date cell as the Excel library reads it (a time of day other than midnight is kept)."""


class _Picked(NamedTuple):
    sheet: Examined
    grid: pl.DataFrame
    header_index: int
    found: bool
    """Whether the header is a return's (else the sheet's first row with anything in it)."""


def _pick(
    draft: Draft, data: bytes, examined: Examined, kind: Kind | None, limits: Limits
) -> _Picked:
    """The sheet to read, its cells and its header's index: the first sheet examined whose
    header is a return's, else the first. A sheet named after the kind is the only one examined;
    otherwise the visible sheets are (a hidden lookup sheet, or the Findings sheet of an
    annotated copy, is passed over)."""
    chosen: _Picked | None = None
    for candidate in (examined, *examined.alternatives):
        if candidate.extent is None:
            continue
        grid = _load(data, candidate, limits)
        rows = grid.head(HEADER_SEARCH_ROWS).rows()
        header_index = find_header(rows, kind)
        if header_index is not None:
            chosen = _Picked(candidate, grid, header_index, True)
            break
        if chosen is None:
            chosen = _Picked(candidate, grid, first_non_blank(rows), False)
        if not examined.alternatives:
            break
    if chosen is None:
        draft.sheet = examined.sheet
        raise Unreadable(
            f"sheet {sheet_name(examined.sheet)} holds no cells",
            code="empty-file",
            quotes=named(examined.sheet),
        )
    draft.sheet = chosen[0].sheet
    return chosen


def _tell_other_returns(
    draft: Draft,
    data: bytes,
    read: Examined,
    others: Sequence[Examined],
    asked: tuple[Limits, Kind | None],
    by_name: bool,
) -> None:
    """A visible sheet other than the one read that holds a return's header too: only one
    sheet is read (the one named after its kind, else the first with a header), so a return on
    another (this quarter's, say, beside last year's kept under the kind's name) would go
    unread, unchecked and unsent. With a kind asked for, only a return of that kind is said."""
    limits, kind = asked
    holding = [
        other.sheet
        for other in others
        if other.extent is not None
        and find_header(_load(data, other, limits, HEADER_SEARCH_ROWS).rows(), kind) is not None
    ]
    if not holding:
        return
    draft.note(
        "other-sheet-not-read",
        f"sheet {_listed_sheets(holding)} {'holds' if len(holding) == 1 else 'hold'} a return's "
        "header too, but "
        f"only sheet {sheet_name(read.sheet)}, "
        f"{'named after a kind of return' if by_name else 'the first with one'}, was read",
        hint="Send one return per workbook: delete or move the other sheet, or name the sheet "
        "to read after its kind (or pass --kind).",
        quotes=_quoted_sheets([*holding, read.sheet]),
    )


def _tell_sheet(draft: Draft, examined: Examined, choice: _SheetChoice) -> None:
    names = examined.sheets
    if examined.sheet in choice.hidden:
        # Read, it would be sent: an old copy put away as often as the data. Refused, with why.
        raise Unreadable(
            f"the only sheet with a return's header, {sheet_name(examined.sheet)}, is hidden, "
            "and no visible sheet holds a whole header: a hidden sheet is not read in place of "
            "the data",
            "Unhide the sheet if it is the return to send; else complete the header of the "
            "visible sheet (mission template writes one).",
            code="hidden-sheet-only",
            quotes=named(examined.sheet),
        )
    if len(names) < 2:
        return
    named_after = choice.named(names)
    hidden = [n for n in named_after if n in choice.hidden]
    if hidden:
        draft.note(
            "hidden-kind-sheet",
            f"sheet {sheet_name(hidden[0])}, named after a kind of return, is hidden, so it was "
            f"passed over; sheet {sheet_name(examined.sheet)} was read",
            hint="Delete the hidden sheet if it is an old copy; else unhide it, and rename or "
            "delete the other.",
            quotes=named(hidden[0]) + named(examined.sheet),
        )
        return
    if examined.sheet in named_after:
        return
    if examined.sheet == names[0]:
        said = f"read the first sheet, {sheet_name(names[0])}"
    else:
        said = (
            f"read sheet {sheet_name(examined.sheet)}, the first visible sheet with a return's "
            "header (hidden sheets, and sheets without one, were passed over)"
        )
    draft.note(
        "first-sheet-used",
        f"no sheet is named after the kind; {said}",
        hint="Name the data sheet after the kind, e.g. 'ost'.",
        quotes=named(examined.sheet),
    )


def _load(data: bytes, examined: Examined, limits: Limits, rows: int | None = None) -> pl.DataFrame:
    """The sheet's cells as text (its first `rows`, if given)."""
    import fastexcel

    try:
        reader = fastexcel.read_excel(data)
        return reader.load_sheet(
            examined.sheet,
            header_row=None,
            dtypes="string",
            n_rows=rows if rows is not None else _rows_read(limits),
        ).to_polars()
    except fastexcel.FastExcelError as error:
        # Not the library's words: they name its internals, and may quote a cell.
        raise Unreadable(
            f"sheet {sheet_name(examined.sheet)} cannot be read: a cell in it is not as Excel "
            "writes cells (the file was made by another program, or is damaged)",
            "Open it in Excel and save it again as an Excel Workbook (.xlsx).",
            quotes=named(examined.sheet),
        ) from error


def _formulas(draft: Draft, examined: Examined, grid: pl.DataFrame, header_row: int) -> None:
    """A formula with no saved value reads as blank: say so, cell by cell (capped). A formula
    whose saved value is an Excel error reads as blank too, but is told as the error it is
    (`_errors`)."""
    assert examined.extent is not None
    first_row, first_column = examined.extent.first_row, examined.extent.first_column
    by_column: dict[int, list[int]] = {}
    errors = set(examined.errors)
    for row, column in examined.formulas:
        y, x = row - first_row, column - first_column
        if (row, column) in errors:
            continue
        if row > header_row and 0 <= y < grid.height and 0 <= x < grid.width:
            by_column.setdefault(x, []).append(y)
    blank: list[tuple[int, int]] = []
    saved: list[tuple[int, int]] = []
    for x, ys in by_column.items():
        # A formula saved as empty text (`IF(...,"",...)`, as Excel writes it) has a value, "";
        # the Excel library gives None only where no value was saved.
        empty = grid.to_series(x).gather(ys).is_null().to_list()
        for y, hole in zip(ys, empty, strict=True):
            (blank if hole else saved).append((first_row + y, first_column + x))
    if examined.recalculate:
        _tell(
            draft,
            sorted(saved),
            _UNSURE,
            _RECALCULATE,
            lambda cell: (
                f"cell {cell} holds a formula whose saved value may not be what Excel "
                "shows: the workbook asks Excel to work its formulas out again when it is opened "
                "(it was written by a program, not saved from Excel)"
            ),
        )
    _tell(
        draft,
        sorted(blank),
        "formula-without-value",
        _RECALCULATE,
        lambda cell: f"cell {cell} holds a formula but no saved value, so it reads as blank",
    )


def _errors(draft: Draft, data: bytes, examined: Examined, header_row: int, limits: Limits) -> None:
    """Each cell of the header and below that holds an Excel error (capped), named with the
    error it shows and what that means, when it is one of Excel's own. A header cell is told as
    one (it names no column, so the column reads as missing, and its cells as extra)."""
    cells = [(row, column) for row, column in examined.errors if row >= header_row]
    told = [
        f"{column_letter(column)}{row}" for row, column in cells[: draft.sink.room("error-cell")]
    ]
    shown = error_values(data, examined.part, told, limits)

    def words(cell: str, what: str = "cell", instead: str = "a value") -> str:
        general = (
            f"{what} {cell} holds an Excel error (such as #DIV/0! or #REF!) instead of {instead}"
        )
        return told_error(f"{what} {cell}", shown.get(cell)) or general

    heads = [cell for cell in cells if cell[0] == header_row]
    _tell(draft, heads, "error-cell", _RENAME, lambda c: words(c, "the header cell", "a name"))
    _tell(draft, [cell for cell in cells if cell[0] > header_row], "error-cell", _CORRECT, words)


def _tell(
    draft: Draft,
    cells: list[tuple[int, int]],
    code: str,
    hint: str,
    words: Callable[[str], str],
) -> None:
    """A finding for each cell, up to the code's cap (the rest counted); `words` says what is
    wrong with the cell it is given by name."""
    for row, column in cells:
        if draft.sink.room(code) == 0:
            draft.sink.count_over(code, 1)
            continue
        cell = f"{column_letter(column)}{row}"
        draft.note(code, words(cell), row=row, cell=cell, hint=hint)
