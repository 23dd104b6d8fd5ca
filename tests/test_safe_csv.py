"""CSV for spreadsheets: a text cell a spreadsheet would run as a formula is quoted, and only such."""

from __future__ import annotations

import re

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from mission.files import safe_csv, write_safe_csv

cells = st.one_of(st.none(), st.text(alphabet="=+-@\t\r.0123456789ab ,\"'", max_size=6))


def _quoted(cell: str | None) -> str | None:
    if cell is None or not re.match(r"[=+\-@\t\r]", cell):
        return cell
    return cell if re.fullmatch(r"[+-]?\d+(\.\d+)?", cell) else "'" + cell


@given(columns=st.lists(st.lists(cells, min_size=3, max_size=3), min_size=1, max_size=4))
def test_every_formula_cell_is_quoted_in_any_column(columns: list[list[str | None]]) -> None:
    """Whichever columns hold a cell starting like a formula (and not a signed number), exactly
    those cells gain a leading quote; every other cell, and a column of numbers, is as given."""
    frame = pl.DataFrame(
        {f"c{n}": pl.Series(values, dtype=pl.String) for n, values in enumerate(columns)}
    ).with_columns(count=pl.Series([1, -2, 3]))
    expected = frame.with_columns(
        pl.col(f"c{n}").map_elements(_quoted, return_dtype=pl.String) for n in range(len(columns))
    )
    assert safe_csv(frame) == expected.write_csv()


def test_the_bytes_are_the_text_in_utf8() -> None:
    """`write_safe_csv` (what export writes to a file) writes `safe_csv`'s text as UTF-8,
    quoting and all."""
    import io

    frame = pl.DataFrame({"adp": ["Fife", "=1+1", "Na h-Eileanan Siar ü"], "n": [1, 2, None]})
    stream = io.BytesIO()
    write_safe_csv(frame, stream)
    assert stream.getvalue() == safe_csv(frame).encode("utf-8")
    assert safe_csv(frame).splitlines()[2] == "'=1+1,2"
