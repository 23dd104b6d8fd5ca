"""A submission's rows, kept as one Parquet file (a blob in `submission_rows`), and read back.

Schemas 1 to 5 kept rows as plain SQL tables. Reading a million of them back, cell by cell,
took over a second however they were typed (ADBC's decode of `SELECT *` alone was 0.96 s) and
the table made the store ten times its Parquet size, so every open's `quick_check` and every
submit's `fsync` paid for it too. Since schema 6 a submission's rows are one Parquet file
(zstd), typed as export gives them (dates as dates, counts as integers, choices as text), in
slice order: each `slices` row records where its rows sit in it (`row_offset`, `row_count`).
Export reads one blob per submission it needs and slices it, with no per-row work in SQLite.
Each blob is kept with its SHA-256 and checked when read: SQLite's `quick_check` sees the pages
but not what is in them, and a damaged Parquet page can still decode.

What this costs: the rows are no longer SQL rows. `submissions` and `slices` stay plain tables
(who sent what, when, what superseded what), but reading the rows themselves takes a Parquet
reader: `mission export`, or the blob written to a file (`sqlite3 STORE "SELECT writefile(
'rows.parquet', parquet) FROM submission_rows WHERE submission_id = 7"`) opened by polars,
DuckDB or pandas. Still one SQLite file, still one transaction per submit.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mission.columns import ColumnType
from mission.kinds import KindSpec

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    import polars as pl

__all__ = [
    "SOURCE_ROW",
    "DamagedRows",
    "Piece",
    "assemble",
    "blob_digest",
    "from_parquet",
    "pieces",
    "stored_types",
    "to_parquet",
    "verified",
]

SOURCE_ROW = "source_row"


class DamagedRows(Exception):
    """A submission's Parquet could not be read, or does not hold the rows its slices name."""


@dataclass(frozen=True)
class Piece:
    """Rows `offset` to `offset + count` of a submission's Parquet: one slice, or a run of
    slices that sit next to each other in it."""

    submission: int
    offset: int
    count: int


def stored_types(spec: KindSpec) -> dict[str, pl.DataType]:
    """Each column's type in the Parquet: what export gives (dates, 64-bit integers, text)."""
    import polars as pl

    from mission.store.schema import sql_type

    types: dict[str, pl.DataType] = {SOURCE_ROW: pl.Int64()}
    for column in spec.columns:
        if column.type is ColumnType.DATE:
            types[column.name] = pl.Date()
        elif sql_type(column.type) == "INTEGER":
            types[column.name] = pl.Int64()
        else:
            types[column.name] = pl.String()
    return types


def to_parquet(spec: KindSpec, frame: pl.DataFrame) -> bytes:
    """A submission's rows (in slice order, with `source_row`) as the bytes of a Parquet file."""
    import polars as pl

    types = stored_types(spec)
    typed = frame.select(pl.col(name).cast(dtype) for name, dtype in types.items())
    buffer = io.BytesIO()
    # Without statistics: nothing reads by predicate, and they cost a quarter of the write.
    typed.write_parquet(buffer, compression="zstd", statistics=False)
    return buffer.getvalue()


def blob_digest(blob: bytes) -> str:
    """The SHA-256 a blob is kept with."""
    return hashlib.sha256(blob).hexdigest()


def verified(submission: int, blob: bytes, kept: str) -> bytes:
    """The blob, once it matches the digest it was kept with.

    Raises:
        DamagedRows: it does not: its bytes changed after it was written.
    """
    if blob_digest(blob) != kept:
        raise DamagedRows(f"the rows of submission {submission} are damaged (checksum differs)")
    return blob


def from_parquet(blob: bytes, columns: list[str]) -> pl.DataFrame:
    """The columns asked for, from a submission's Parquet.

    Raises:
        DamagedRows: the bytes are not a Parquet file holding those columns.
    """
    import polars as pl

    try:
        return pl.read_parquet(io.BytesIO(blob), columns=columns)
    except (pl.exceptions.PolarsError, OSError, ValueError) as error:
        raise DamagedRows(str(error).splitlines()[0] if str(error) else repr(error)) from error


def pieces(slices: Iterable[tuple[int, int, int]]) -> list[Piece]:
    """(submission, offset, count) of each slice, in the order given, with neighbours that
    follow on in the same submission joined: a return read back whole is one piece."""
    joined: list[Piece] = []
    for submission, offset, count in slices:
        last = joined[-1] if joined else None
        if last and last.submission == submission and last.offset + last.count == offset:
            joined[-1] = Piece(submission, last.offset, last.count + count)
        else:
            joined.append(Piece(submission, offset, count))
    return joined


def assemble(
    spec: KindSpec,
    slices: Iterable[tuple[int, int, int]],
    columns: list[str],
    blob: Callable[[int], bytes],
) -> pl.DataFrame:
    """The rows of the slices given, in that order, each submission's Parquet read once.

    Raises:
        DamagedRows: a Parquet could not be read, or is shorter than its slices say.
    """
    import polars as pl

    found: dict[int, pl.DataFrame] = {}
    parts = []
    for piece in pieces(slices):
        if piece.submission not in found:
            found[piece.submission] = from_parquet(blob(piece.submission), columns)
        rows = found[piece.submission]
        if piece.offset < 0 or piece.offset + piece.count > rows.height:
            raise DamagedRows(
                f"submission {piece.submission} holds {rows.height:,} row(s), not the "
                f"{piece.offset + piece.count:,} its slices name"
            )
        parts.append(rows.slice(piece.offset, piece.count))
    if not parts:
        types = stored_types(spec)
        return pl.DataFrame(schema={name: types[name] for name in columns})
    return pl.concat(parts) if len(parts) > 1 else parts[0]
