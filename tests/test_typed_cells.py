"""A rule's bad rows shown as typed: `CellContext.typed` finds each row's raw cell, whichever
way it looks it up (a binary search on the raw rows' numbers, or a join when that fails)."""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from mission.cell_codes import as_codes
from mission.columns import ROW
from mission.findings import FindingSink
from mission.parsing import CellContext

_CELLS = st.text(alphabet=" \tab1é", max_size=4)


@st.composite
def _tables(draw: st.DrawFn) -> tuple[pl.DataFrame, list[int], bool]:
    numbers = sorted(draw(st.sets(st.integers(1, 60), max_size=25)))
    if draw(st.booleans()):
        numbers = draw(st.permutations(numbers))  # rows out of order: the search cannot serve
    cells = draw(st.lists(_CELLS, min_size=len(numbers), max_size=len(numbers)))
    raw = pl.DataFrame({ROW: numbers, "c0": cells}, schema={ROW: pl.Int64, "c0": pl.String})
    coded = draw(st.booleans())
    if coded:
        raw = raw.with_columns(as_codes(pl.col("c0")))
    asked = st.sampled_from(numbers) if numbers else st.nothing()
    wanted = draw(st.lists(asked | st.integers(0, 70), max_size=12))
    return raw, wanted, coded


@settings(max_examples=300, deadline=None)
@given(_tables())
def test_typed_is_each_rows_cell_trimmed_or_none(
    table: tuple[pl.DataFrame, list[int], bool],
) -> None:
    """Each asked row gets its own raw cell, trimmed; a row the file does not have gets None."""
    raw, wanted, _ = table
    ctx = CellContext(
        file="f.csv",
        today=dt.date(2026, 1, 1),
        sink=FindingSink("f.csv", 10),
        raw=raw,
        sources={"x": "c0"},
    )
    rows = pl.DataFrame({ROW: wanted}, schema={ROW: pl.Int64})
    cells = dict(zip(raw[ROW].to_list(), raw["c0"].cast(pl.String).to_list(), strict=True))
    expected = [None if (c := cells.get(n)) is None else c.strip() for n in wanted]
    assert ctx.typed(rows, "x").to_list() == expected
