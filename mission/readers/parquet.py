"""Parquet (episodes extracts): the schema is checked before a single row is read."""

from __future__ import annotations

from mission.cell_codes import as_codes
from mission.columns import ROW
from mission.limits import Limits
from mission.readers.header import holds_codes
from mission.readers.source import Source
from mission.readers.table import Draft, Unreadable

__all__ = ["read_parquet"]


def read_parquet(draft: Draft, source: Source, limits: Limits) -> None:
    """Read a Parquet file into `draft`."""
    import polars as pl

    try:
        schema = pl.read_parquet_schema(source.for_polars())
        if len(schema) > limits.max_columns:
            raise Unreadable(
                f"the file has {len(schema):,} columns, over {limits.max_columns:,}",
                "Delete stray columns, or raise the limit with --max-columns.",
            )
        nested = [name for name, dtype in schema.items() if dtype.is_nested()]
        if nested:
            raise Unreadable(
                "a column holds lists or records, not plain values",
                "Write one plain value per cell.",
            )
        frame = pl.read_parquet(source.for_polars(), n_rows=limits.max_rows + 1, glob=False)
    except (pl.exceptions.PolarsError, OSError, ValueError) as error:
        # The library's words can quote the file's own names (a column's): mission's instead.
        raise Unreadable(
            "the Parquet file cannot be read (damaged, or columns named twice)",
            "Write the Parquet file again, one column per name.",
        ) from error
    if frame.height > limits.max_rows:
        raise Unreadable(f"the file has more than {limits.max_rows:,} rows")
    draft.headers = list(frame.columns)
    names = {c: f"c{i}" for i, c in enumerate(frame.columns)}
    try:
        frame = frame.rename(names).with_columns(
            as_codes(pl.col(names[c]).cast(pl.String))
            if holds_codes(c)
            else pl.col(names[c]).cast(pl.String)
            for c in draft.headers
        )
    except pl.exceptions.PolarsError as error:
        raise Unreadable("the Parquet columns cannot be read as values") from error
    draft.letters = [draft.letter(i) for i in range(len(draft.headers))]
    draft.frame = frame.with_row_index(ROW, offset=1).with_columns(pl.col(ROW).cast(pl.Int64))
