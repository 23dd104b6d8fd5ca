"""Columns of codes read as categoricals, each with categories of its own.

A reader stores each column of codes (ADP names, periods, dates, choices) as a categorical whose
categories belong to that column of that read alone, so the categories are the values read into
it. Parsing then takes a column's distinct values from its categories rather than finding them
again with a pass over every row (a quarter of a second at ten million rows).

The categories hold exactly the values of the column's rows: the CSV reader leaves the header's
cells out of the cast, and tidying re-codes a column when it sets rows aside (a notes block), so
a value no row holds is never parsed (a notes block's thousand lines once used up the "did you
mean" suggestions the data rows needed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeGuard

if TYPE_CHECKING:
    import polars as pl

__all__ = ["as_codes", "read_texts", "read_values", "recoded"]

_NAMESPACE = "mission.cells"


def as_codes(column: pl.Expr) -> pl.Expr:
    """`column` as a categorical with fresh categories of its own."""
    import polars as pl

    return column.cast(pl.Categorical(pl.Categories.random(namespace=_NAMESPACE)))


def read_values(column: pl.Series) -> pl.Series | None:
    """Every value read into a column made by `as_codes`, once each and in the column's own type
    (so their codes are the column's); None for any other column."""

    import polars as pl

    texts = read_texts(column)
    return None if texts is None else pl.Series(texts, dtype=pl.String).cast(column.dtype)


def read_texts(column: pl.Series) -> list[str] | None:
    """Every value read into a column made by `as_codes`, as Python text (for a look at a few
    thousand values without a polars query each); None for any other column."""
    dtype = column.dtype
    if not _made_here(dtype):
        return None
    return [value for value in dtype.categories if isinstance(value, str)]


def recoded(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with each column made by `as_codes` given fresh categories, holding only the
    values its rows still hold (after rows were set aside)."""
    import polars as pl

    return frame.with_columns(
        as_codes(pl.col(name).cast(pl.String))
        for name, dtype in frame.schema.items()
        if _made_here(dtype)
    )


def _made_here(dtype: pl.DataType) -> TypeGuard[pl.Categorical]:
    """Whether `dtype` is a categorical `as_codes` made (its categories are its column's own)."""
    import polars as pl

    return isinstance(dtype, pl.Categorical) and dtype.categories.namespace() == _NAMESPACE
