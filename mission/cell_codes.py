"""Columns of codes read as categoricals, each with categories of its own.

A reader stores each column of codes (ADP names, periods, dates, choices) as a categorical whose
categories belong to that column of that read alone, so the categories are the values read into
it. Parsing then takes a column's distinct values from its categories rather than finding them
again with a pass over every row (a quarter of a second at ten million rows).

The categories may hold a few values no longer in the column (a notes block's, set aside by
tidying): each value is parsed on its own, and what is found about a value reaches only the rows
that hold it, so a value no row holds costs a parse and says nothing. The header's cells are kept
out (the CSV reader does not cast them): every column would otherwise hold one such value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

__all__ = ["as_codes", "read_values"]

_NAMESPACE = "mission.cells"


def as_codes(column: pl.Expr) -> pl.Expr:
    """`column` as a categorical with fresh categories of its own."""
    import polars as pl

    return column.cast(pl.Categorical(pl.Categories.random(namespace=_NAMESPACE)))


def read_values(column: pl.Series) -> pl.Series | None:
    """Every value read into a column made by `as_codes`, once each and in the column's own type
    (so their codes are the column's); None for any other column."""
    import polars as pl

    dtype = column.dtype
    if not isinstance(dtype, pl.Categorical) or dtype.categories.namespace() != _NAMESPACE:
        return None
    return dtype.categories.to_series().drop_nulls().cast(dtype)
