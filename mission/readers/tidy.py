"""After reading, whatever the format: the header split off, blank rows and notes set aside,
values under a blank header refused, every row numbered as the editor shows it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from mission.cell_codes import read_texts, recoded
from mission.columns import ROW, TOTAL_LABELS
from mission.limits import Limits
from mission.readers.repeated_header import skip_repeated_headers
from mission.readers.table import Draft, Unreadable

if TYPE_CHECKING:
    import polars as pl

__all__ = ["note_title_rows", "set_frame", "set_table", "tidy"]

_FILLED = "__filled"
_EMPTY = "__empty"
_TOTAL = "__total"
_BEGUN = "__begun"


def note_title_rows(draft: Draft, skipped: int) -> None:
    if skipped > 0:
        draft.note(
            "title-rows-skipped",
            f"{skipped} row(s) above the header (row {skipped + 1}) were skipped",
            row=1,
        )


def set_frame(draft: Draft, grid: pl.DataFrame, first_row_number: int, limits: Limits) -> None:
    """Split `grid`'s first row off as the header and number the rows below it.

    `first_row_number` is the editor's number of the header row.
    """
    if grid.height == 0:
        raise Unreadable("the file holds no rows", code="empty-file")
    set_table(draft, grid.row(0), grid.slice(1), first_row_number, limits)


def set_table(
    draft: Draft,
    header: Sequence[object],
    body: pl.DataFrame,
    first_row_number: int,
    limits: Limits,
) -> None:
    """Take `header` as the header's cells and number the rows of `body` below it (columns by
    position: their names are not read).

    `first_row_number` is the editor's number of the header row.
    """
    import polars as pl

    if body.height > limits.max_rows:
        raise Unreadable(
            f"the file has more than {limits.max_rows:,} rows",
            "Split the return, or raise the limit with --max-rows.",
        )
    if body.width > limits.max_columns:
        raise Unreadable(
            f"the file has {body.width:,} columns, over {limits.max_columns:,}",
            "Delete stray columns, or raise the limit with --max-columns.",
        )
    draft.headers = ["" if h is None else str(h) for h in header]
    draft.header_row = first_row_number
    draft.letters = [draft.letter(i) for i in range(body.width)]
    names = [f"c{i}" for i in range(body.width)]
    body = body.rename(dict(zip(body.columns, names, strict=True)))
    body = body.with_columns(
        pl.col(c).cast(pl.String)
        for c, dtype in body.schema.items()
        if not isinstance(dtype, (pl.String, pl.Categorical))
    )
    # The row numbers made as 64-bit integers at once, not made and then cast.
    first = first_row_number + 1
    numbers = pl.int_range(first, first + body.height, dtype=pl.Int64).alias(ROW)
    draft.frame = body.select(numbers, pl.all())


def tidy(draft: Draft) -> None:
    """Refuse values under blank headers, skip rows that repeat the header, drop blank rows,
    set aside a notes block.

    Cells are not trimmed here: each column's parser trims its distinct values, which costs far
    less than trimming every cell of a large file. A table with two full columns has no blank
    row and no notes block, so the row-by-row count is skipped.
    """
    assert draft.frame is not None
    _refuse_headless_values(draft)
    frame = draft.frame
    cells = [c for c in frame.columns if c != ROW]
    if not cells:
        draft.frame = None
        draft.note("empty-file", "the file has no columns")
        return
    frame = draft.frame = skip_repeated_headers(draft, frame, cells)
    # A blank row or a notes row has at most one cell filled: if two columns are full, no row
    # can be either, and the row-by-row count is not needed.
    if frame.height and _two_full(frame, cells):
        return
    _set_aside(draft, frame, cells)


def _refuse_headless_values(draft: Draft) -> None:
    """A value in a column whose header is blank cannot be matched to a column: an error per
    row (capped), and the column is dropped. Wholly empty headless columns are dropped quietly."""
    import polars as pl

    assert draft.frame is not None
    frame = draft.frame
    blank = [i for i, h in enumerate(draft.headers) if not h.strip()]
    if not blank:
        return
    width = len(draft.headers) - len(blank)
    for position in blank:
        column = f"c{position}"
        rows = frame.filter(pl.col(column).cast(pl.String).str.strip_chars().str.len_bytes() > 0)
        room = draft.sink.room("extra-cells")
        draft.sink.count_over("extra-cells", rows.height - room)
        for row in rows[ROW].head(room).to_list():
            draft.note(
                "extra-cells",
                f"a value in column {draft.letter(position)} has no header, so it cannot be "
                f"matched to a column (the header has {width} named columns)",
                row=row,
                cell=f"{draft.letter(position)}{row}",
                hint="Remove the stray value, or add the missing column header.",
            )
    keep = [i for i in range(len(draft.headers)) if i not in blank]
    draft.frame = frame.select(ROW, *(pl.col(f"c{i}").alias(f"c{n}") for n, i in enumerate(keep)))
    # The columns are numbered anew: what the reader learnt of each follows it to its new name.
    kept = {f"c{i}": f"c{n}" for n, i in enumerate(keep)}
    draft.tidy_texts = frozenset(kept[c] for c in draft.tidy_texts if c in kept)
    draft.letters = [draft.letter(i) for i in keep]
    draft.headers = [draft.headers[i] for i in keep]


def _two_full(frame: pl.DataFrame, cells: list[str]) -> bool:
    """Whether two columns (one, in a table of one) have a value in every row. A cell of
    spaces is blank too (it looks blank in Excel): a column of codes is known to hold none by
    its few distinct values (`_spaces_among`), a column of text by a pass, made only when the
    codes do not settle it."""
    import polars as pl

    nulls = dict(zip(cells, frame.select(cells).null_count().row(0), strict=True))
    # Codes (and numbers) first: a text column is passed over only when needed.
    candidates = sorted(
        (c for c in cells if nulls[c] == 0), key=lambda c: frame[c].dtype == pl.String
    )
    enough, found = min(2, len(cells)), 0
    for name in candidates:
        column = frame[name]
        if column.dtype == pl.String:
            found += not frame.select(_blank(column).any()).item()
        else:
            found += not _spaces_among(column)
        if found >= enough:
            return True
    return False


def _blank(column: pl.Series) -> pl.Expr:
    """Whether each cell of a column is blank: missing, or spaces alone. A column of codes is
    asked by its few distinct values (its codes compared, no text made of a million cells)."""
    import polars as pl

    cell = pl.col(column.name)
    if column.dtype == pl.String:
        return cell.is_null() | (cell.str.strip_chars() == "")
    spaces = _spaces_among(column)
    if not spaces:
        return cell.is_null()
    return cell.is_null() | cell.is_in(
        pl.Series(spaces, dtype=pl.String).cast(column.dtype).implode()
    )


def _spaces_among(column: pl.Series) -> list[str]:
    """The values of a column of codes that are spaces alone (none for a column of numbers)."""
    return [text for text in read_texts(column) or () if not text.strip()]


def _set_aside(draft: Draft, frame: pl.DataFrame, cells: list[str]) -> None:
    """Blank rows and a notes block below the data set aside. A totals row (`Total`,
    `Scotland`...) under the notes is not data that makes the notes data too: it stays, to be
    told as the totals row it is, and the notes above it are still notes."""
    import polars as pl

    first = pl.coalesce(pl.col(c).cast(pl.String) for c in cells)
    label = first.str.to_lowercase().str.strip_chars().str.replace_all(r"[\s\-]+", "_")
    frame = frame.with_columns(
        pl.sum_horizontal(pl.col(c).is_not_null().cast(pl.Int32) for c in cells).alias(_FILLED),
        pl.all_horizontal(_blank(frame[c]) for c in cells).alias(_EMPTY),
        label.is_in(list(TOTAL_LABELS)).fill_null(False).alias(_TOTAL),
    )
    alone = (pl.col(_FILLED) == 1) & ~pl.col(_EMPTY) & ~pl.col(_TOTAL)
    begun = _adp_names(frame.filter(alone).select(first.alias("first"))["first"])
    frame = frame.with_columns((alone & first.is_in(begun)).alias(_BEGUN))
    frame = _begun_before_notes(frame)
    # A row with two cells filled is data, even with spaces in them (a row an officer began,
    # to be told what it lacks), and so is one that names an ADP alone (`Orkney Islands,,,`);
    # a row of spaces alone looks blank in Excel, and is blank.
    data_like = frame.filter(
        (((pl.col(_FILLED) >= 2) & ~pl.col(_EMPTY)) | pl.col(_BEGUN)) & ~pl.col(_TOTAL)
    )
    if data_like.height:
        last_data_row = int(data_like.select(pl.col(ROW).max()).item())
        frame = _refuse_notes_inside(draft, frame, cells, last_data_row)
        below = pl.col(ROW) > last_data_row
        tail = frame.filter(below & ~pl.col(_EMPTY) & ~pl.col(_TOTAL))
        if tail.height:
            draft.note(
                "notes-block",
                f"{tail.height} row(s) of notes below the data were ignored",
                row=int(tail[ROW][0]),
            )
            # The notes' values leave the columns' categories too (see `cell_codes`).
            frame = recoded(frame.filter(~below | pl.col(_TOTAL)))
    frame = frame.drop(_TOTAL, _BEGUN)
    blank = frame.filter(pl.col(_EMPTY))
    if blank.height:
        draft.note(
            "blank-rows-skipped",
            f"{blank.height} blank row(s) were skipped",
            row=int(blank[ROW][0]),
        )
    draft.frame = frame.filter(~pl.col(_EMPTY)).drop(_FILLED, _EMPTY)
    nulls = sum(blank.select(cells).null_count().row(0)) if blank.height else 0
    if nulls < blank.height * len(cells):
        # Rows of spaces set aside: their spaces leave the columns' categories too.
        draft.frame = recoded(draft.frame)
    if draft.frame.height == 0:
        draft.note(
            "no-data-rows",
            "the header is there but no row below it holds data",
            row=draft.header_row,
            hint="Fill in at least one row below the header.",
        )
        draft.frame = None


_TYPED_GRIDS = frozenset({"csv", "xlsx"})
"""Formats an officer types into as a grid, where a note or sub-heading may sit among the rows."""


def _begun_before_notes(frame: pl.DataFrame) -> pl.DataFrame:
    """An ADP named alone is a row begun among the data or right below it; one below a note
    (a notes block signed `Fife ADP`) is part of the notes."""
    import polars as pl

    if not frame[_BEGUN].any():
        return frame
    filled = (pl.col(_FILLED) >= 2) & ~pl.col(_EMPTY) & ~pl.col(_TOTAL)
    last = frame.filter(filled)[ROW].max()
    after = pl.col(ROW) > (last if last is not None else -1)
    note = after & ~pl.col(_EMPTY) & ~pl.col(_TOTAL) & ~pl.col(_BEGUN)
    cut = frame.filter(note)[ROW].min()
    if cut is None:
        return frame
    return frame.with_columns((pl.col(_BEGUN) & (pl.col(ROW) < cut)).alias(_BEGUN))


def _adp_names(values: pl.Series) -> list[str]:
    """Which of these cells name an ADP exactly (as `match_adp` knows it), each once: a row that
    holds one alone is a row of data begun, never a note."""
    from mission.adps import InvalidAdp, match_adp

    named = []
    for value in values.drop_nulls().unique().to_list():
        try:
            match_adp(str(value), suggest=False)
        except InvalidAdp:
            continue
        named.append(value)
    return named


def _refuse_notes_inside(
    draft: Draft, frame: pl.DataFrame, cells: list[str], last_data_row: int
) -> pl.DataFrame:
    """A row shaped as a note (its first cell alone filled) with rows of data below it: one
    error that says what it looks like and both ways to fix it, and the row left out of the
    checks, which would otherwise tell every other cell of it as missing and its first cell as
    a bad value. It does not end the table, as a notes block below the data does: the rows
    below it are data, and are checked."""
    import polars as pl

    if draft.format not in _TYPED_GRIDS:
        return frame
    inside = (
        (pl.col(ROW) < last_data_row)
        & (pl.col(_FILLED) == 1)
        & pl.col(cells[0]).is_not_null()
        & ~pl.col(_EMPTY)
        & ~pl.col(_TOTAL)
        & ~pl.col(_BEGUN)
    )
    notes = frame.filter(inside)[ROW]
    if notes.is_empty():
        return frame
    room = draft.sink.room("note-in-table")
    draft.sink.count_over("note-in-table", len(notes) - room)
    letter = draft.letters[0] if draft.letters else "A"
    for row in notes.head(room).to_list():
        draft.note(
            "note-in-table",
            "only the first cell is filled, with rows of data below: a note or sub-heading "
            "inside the table",
            row=row,
            cell=f"{letter}{row}",
            hint="Move the note below the last row of data (notes there are ignored), or "
            "delete it; if the row is data, fill in its other cells.",
        )
    # Its value leaves the columns' categories too (see `cell_codes`).
    return recoded(frame.filter(~inside))
