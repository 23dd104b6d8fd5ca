"""Rows that repeat the header: a second table pasted below the first, or files joined end to
end (`cat q1.csv q2.csv`), each of which brings its own header along."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mission.cell_codes import read_texts, recoded
from mission.columns import ROW, normalise_header
from mission.readers.table import Draft

if TYPE_CHECKING:
    import polars as pl

__all__ = ["skip_repeated_headers"]


def skip_repeated_headers(draft: Draft, frame: pl.DataFrame, cells: list[str]) -> pl.DataFrame:
    """`frame` without the rows that repeat the header, each told as a warning: such a row holds
    no figure (`methadone` is no count), and told as data it was an error for every cell."""
    import polars as pl

    headers = [normalise_header(h) for h in draft.headers]
    if len(headers) != len(cells):  # not a table this reader has set (every reader sets one)
        return frame
    repeats = _repeats(frame, cells, headers)
    if not repeats:
        return frame
    room = draft.sink.room("header-repeated")
    draft.sink.count_over("header-repeated", len(repeats) - room)
    for row in repeats[:room]:
        draft.note(
            "header-repeated",
            "this row repeats the header (a second table below the first, or files joined end "
            "to end): it was skipped, and the rows below it were read as data",
            row=row,
            hint="Delete the repeated header row: a return has one header, at the top.",
        )
    # Its cells leave the columns' categories too (see `cell_codes`).
    return recoded(frame.filter(~pl.col(ROW).is_in(repeats)))


def _repeats(frame: pl.DataFrame, cells: list[str], headers: list[str]) -> list[int]:
    """The rows each of whose cells reads as its column's header does (compared as headers are:
    `Period` is `period`). The first column of codes is asked first, by its few distinct
    values, so a return without such a row costs no pass over its rows; a table with no column
    of codes (a JSON return's) is not asked."""
    import polars as pl

    coded = ((c, h, read_texts(frame[c])) for c, h in zip(cells, headers, strict=True) if h)
    probe = next(((c, h, texts) for c, h, texts in coded if texts is not None), None)
    if probe is None:
        return []
    name, wanted, texts = probe
    # Normalising takes characters away, never adds them: a shorter cell cannot be the header.
    alike = [t for t in texts if len(t) >= len(wanted) and normalise_header(t) == wanted]
    if not alike:
        return []
    codes = pl.Series(alike, dtype=pl.String).cast(frame[name].dtype).implode()
    candidates = frame.filter(pl.col(name).is_in(codes)).select(ROW, *cells)
    return [
        row[0]
        for row in candidates.iter_rows()
        if all(normalise_header(cell or "") == h for cell, h in zip(row[1:], headers, strict=True))
    ]
