"""A submission's rows, kept as one Parquet file (a blob in `submission_rows`), and read back.

Schemas 1 to 5 kept rows as plain SQL tables. Reading a million of them back, cell by cell,
took over a second however they were typed (ADBC's decode of `SELECT *` alone was 0.96 s) and
the table made the store ten times its Parquet size, so every open's `quick_check` and every
submit's `fsync` paid for it too. Since schema 6 a submission's rows are one Parquet file
(zstd), typed as export gives them (dates as dates, counts as integers, choices as text), in
slice order: each `slices` row records where its rows sit in it (`row_offset`, `row_count`).
Export reads one blob per submission it needs and slices it, with no per-row work in SQLite.
Each blob is kept with a SHA-256 of its submission's id, its slices as written and its bytes,
checked when read: SQLite's `quick_check` sees the pages but not what is in them, a damaged
Parquet page can still decode, a blob moved to another submission must not pass as that one's
rows, and a slice edited afterwards would name rows it does not hold (binding the slices proves
each run of rows is its slice's ADP and period without reading them). What is read is also
checked against what the store writes: its columns of the stored types, and its slices tiling
it (no gap, no overlap).

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
    from collections.abc import Callable, Iterable, Sequence

    import polars as pl

__all__ = [
    "SOURCE_ROW",
    "DamagedRows",
    "Kept",
    "Piece",
    "assemble",
    "blob_digest",
    "from_parquet",
    "per_distinct",
    "pieces",
    "stored_types",
    "to_parquet",
    "verified",
]

SOURCE_ROW = "source_row"


class DamagedRows(Exception):
    """A submission's Parquet could not be read, or does not hold the rows its slices name."""


@dataclass(frozen=True)
class Kept:
    """What the store keeps of one submission: its Parquet (already checked against its
    digest) and every slice of it as read from `slices`: (adp, period, row_offset, row_count),
    not yet trusted."""

    blob: bytes
    slices: list[tuple[object, ...]]


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


def blob_digest(submission: int, blob: bytes, slices: Iterable[Sequence[object]]) -> str:
    """The SHA-256 a submission's blob is kept with: of the submission's id, its slices as the
    `slices` table holds them (kind, adp, period, row_offset, row_count; one line each, sorted),
    then the blob's bytes. Binding the id means a blob copied onto another submission no longer
    matches there; binding the slices means a slice moved, widened or renamed no longer
    matches, so their rows need not be read to prove they are what the slices say."""
    digest = hashlib.sha256(f"{submission}\n".encode())
    for line in sorted("\t".join(str(value) for value in item) for item in slices):
        digest.update(f"{line}\n".encode())
    digest.update(b"\n")
    digest.update(blob)
    return digest.hexdigest()


def verified(submission: int, blob: bytes, slices: list[tuple[object, ...]], kept: str) -> bytes:
    """The blob, once it and the submission's slices match the digest they were kept with.

    Raises:
        DamagedRows: they do not: the bytes or a slice changed after they were written, or the
            blob was written for another submission.
    """
    if blob_digest(submission, blob, slices) != kept:
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


def _position(submission: object, what: str, value: object, *, least: int) -> int:
    """A slice's row_offset (at least 0) or row_count (at least 1), as the store wrote it.

    Raises:
        DamagedRows: it is not a whole number that large (NULL, text, a float): damage.
    """
    if type(value) is not int or value < least:
        raise DamagedRows(
            f"a slice of submission {submission} has a damaged {what} ({str(value)[:20]!r})"
        )
    return value


def _bounds(chosen: tuple[object, ...]) -> tuple[int, int, int]:
    submission, offset, count = chosen
    if type(submission) is not int:
        raise DamagedRows(f"a slice names a damaged submission ({str(submission)[:20]!r})")
    return (
        submission,
        _position(submission, "row_offset", offset, least=0),
        _position(submission, "row_count", count, least=1),
    )


def per_distinct(frame: pl.DataFrame, expr: pl.Expr) -> pl.Expr:
    """`expr`, worked out once per distinct value of the one column it reads (a return's dates
    repeat: a million episodes have a few thousand distinct days)."""
    import polars as pl

    inputs = sorted(set(expr.meta.root_names()))
    if len(inputs) != 1:
        return expr
    (source,) = inputs
    table = frame.select(source).unique().with_columns(value=expr)
    return pl.col(source).replace_strict(
        table[source].alias("old"), table["value"].alias("new"), return_dtype=table["value"].dtype
    )


def _checked_types(spec: KindSpec, submission: int, rows: pl.DataFrame) -> None:
    """Raises DamagedRows unless every column read is of the type the store writes."""
    types = stored_types(spec)
    for name, dtype in rows.schema.items():
        if dtype != types[name]:
            raise DamagedRows(
                f"the rows of submission {submission} are damaged ({name} is {dtype}, not "
                f"{types[name]})"
            )


def _checked_layout(submission: int, rows: pl.DataFrame, slices: list[tuple[object, ...]]) -> None:
    """Raises DamagedRows unless the submission's slices tile its rows in order, with no gap or
    overlap. (That each run holds its slice's ADP and period the digest proves: it binds the
    slices as they were written with the rows.)"""
    laid = sorted(
        (
            _position(submission, "row_offset", offset, least=0),
            _position(submission, "row_count", count, least=1),
            adp,
            period,
        )
        for adp, period, offset, count in slices
    )
    end = 0
    for offset, count, adp, period in laid:
        if offset != end:
            raise DamagedRows(
                f"the slices of submission {submission} overlap or leave a gap (the slice of "
                f"{adp} {period} starts at row {offset:,}, not {end:,})"
            )
        end += count
    if end != rows.height:
        raise DamagedRows(
            f"submission {submission} holds {rows.height:,} row(s), not the {end:,} its slices name"
        )


def _read(spec: KindSpec, submission: int, kept: Kept, columns: list[str]) -> pl.DataFrame:
    """The columns asked for of one submission's rows, once they are what the store wrote."""
    rows = from_parquet(kept.blob, columns)
    _checked_types(spec, submission, rows)
    _checked_layout(submission, rows, kept.slices)
    return rows


def assemble(
    spec: KindSpec,
    slices: Iterable[tuple[object, ...]],
    columns: list[str],
    kept: Callable[[int], Kept],
) -> pl.DataFrame:
    """The rows of the slices given as (submission, row_offset, row_count), in that order,
    each submission's Parquet read once and checked against every slice the store records of
    it (`kept`).

    Raises:
        DamagedRows: a slice's position is not a whole number, a Parquet could not be read, is
            not of the types the store writes, or does not hold the rows its slices name.
    """
    import polars as pl

    found: dict[int, pl.DataFrame] = {}
    parts = []
    for piece in pieces([_bounds(chosen) for chosen in slices]):
        if piece.submission not in found:
            found[piece.submission] = _read(spec, piece.submission, kept(piece.submission), columns)
        rows = found[piece.submission]
        if piece.offset + piece.count > rows.height:
            raise DamagedRows(
                f"submission {piece.submission} holds {rows.height:,} row(s), not the "
                f"{piece.offset + piece.count:,} its slices name"
            )
        parts.append(rows.slice(piece.offset, piece.count))
    if not parts:
        types = stored_types(spec)
        return pl.DataFrame(schema={name: types[name] for name in columns})
    rows = pl.concat(parts) if len(parts) > 1 else parts[0]
    # What the contract says a blank means (ost `other`: 0), for rows stored before it was read
    # that way too (a store upgraded from schema 5, or written by an earlier 0.2).
    blanks = [c for c in spec.columns if c.blank is not None and c.name in rows.columns]
    return rows.with_columns(pl.col(c.name).fill_null(c.blank) for c in blanks) if blanks else rows
