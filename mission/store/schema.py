"""The store's tables and their migrations, and the checks made before a file is trusted as one.

A file is opened for writing only after it has been read (read-only) and found to be a mission
store of a schema this version knows: a foreign SQLite file, a damaged one or one from a newer
`mission` is refused and left byte-for-byte as it was (even switching a file to write-ahead
logging would change its header).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from mission.columns import ColumnType
from mission.errors import FileProblem
from mission.kinds import Kind, KindSpec, kinds
from mission.store.rows import (
    SOURCE_ROW,
    DamagedRows,
    blob_digest,
    stored_types,
    to_parquet,
)

if TYPE_CHECKING:
    import polars as pl

__all__ = [
    "SCHEMA_VERSION",
    "InvalidStore",
    "existing_database",
    "microseconds",
    "migrate",
    "schema_version",
    "sql_type",
]

SCHEMA_VERSION = 6
_SQLITE_HEADER = b"SQLite format 3\x00"
_SQL_TYPES = {
    ColumnType.COUNT: "INTEGER",
    ColumnType.STANDARD: "INTEGER",
    ColumnType.CALENDAR_YEAR: "INTEGER",
}


class InvalidStore(FileProblem):
    """A store file that cannot be used: corrupt, not a store, or made by a newer mission."""


def sql_type(column_type: ColumnType) -> str:
    return _SQL_TYPES.get(column_type, "TEXT")


def existing_database(path: Path) -> bool:
    """Whether `path` holds a database already (False: there is nothing there yet).

    Raises:
        InvalidStore: it is a folder, or a file that is not an SQLite database.
    """
    if path.is_dir():
        raise InvalidStore(path, "is a folder, not a store file; give the path of a file")
    if not path.exists() or path.stat().st_size == 0:
        return False
    with path.open("rb") as handle:
        header = handle.read(16)
    if header != _SQLITE_HEADER:
        raise InvalidStore(
            path, "is not a mission store (not an SQLite database); it was not changed"
        )
    return True


def schema_version(db: sqlite3.Connection, path: Path) -> int:
    """The schema of an open database: 0 when empty.

    Raises:
        InvalidStore: the database is not a mission store, or its version is not a number.
    """
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "meta" not in tables:
        if tables:
            raise InvalidStore(path, "is an SQLite database but not a mission store; not changed")
        return 0
    row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    text = str(row[0]).strip() if row else ""
    if not text.isdigit() or len(text) > 6:
        raise InvalidStore(path, f"has a damaged schema version ({text[:20]!r}); not changed")
    return int(text)


def _rows_table_v1(spec: KindSpec) -> str:
    """A kind's rows as schemas 1 to 3 kept them (in file order, found through an index)."""
    columns = ",\n    ".join(f"{c.name} {sql_type(c.type)}" for c in spec.columns)
    return f"""CREATE TABLE {spec.store_table} (
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    source_row INTEGER NOT NULL,
    slice_period TEXT NOT NULL,
    {columns}
);
CREATE INDEX {spec.store_table}_slice ON {spec.store_table}(submission_id, adp, slice_period)"""


def _rows_table(spec: KindSpec, name: str | None = None) -> str:
    """A kind's rows. `id` is an explicit row id (VACUUM keeps it) and a submission's rows are
    written in slice order, so each slice is the id range its `slices` row records: read by
    range, with no index to keep up on every insert."""
    columns = ",\n    ".join(f"{c.name} {sql_type(c.type)}" for c in spec.columns)
    return f"""CREATE TABLE {name or spec.store_table} (
    id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    source_row INTEGER NOT NULL,
    slice_period TEXT NOT NULL,
    {columns}
)"""


_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL,
    file_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    submitted_by TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    spec_version INTEGER NOT NULL,
    rows INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    warnings INTEGER NOT NULL,
    infos INTEGER NOT NULL
);
CREATE INDEX submissions_sha ON submissions(kind, sha256);
CREATE TABLE slices (
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    kind TEXT NOT NULL,
    adp TEXT NOT NULL,
    period TEXT NOT NULL,
    superseded_by INTEGER REFERENCES submissions(id),
    PRIMARY KEY (submission_id, adp, period)
);
CREATE INDEX slices_current ON slices(kind, adp, period, superseded_by);
"""


def _statements(script: str) -> list[str]:
    return [s for s in script.split(";") if s.strip()]


def microseconds(moment: dt.datetime) -> int:
    """An instant as whole microseconds since 1970 UTC: times compare as instants, whatever
    offset they were written with."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    delta = moment - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _v2(db: sqlite3.Connection) -> None:
    """Submission times as instants (microseconds since 1970 UTC), filled from the text."""
    db.execute("ALTER TABLE submissions ADD COLUMN submitted_us INTEGER")
    rows = db.execute("SELECT id, submitted_at FROM submissions").fetchall()
    db.executemany(
        "UPDATE submissions SET submitted_us = ? WHERE id = ?",
        [(microseconds(dt.datetime.fromisoformat(text)), key) for key, text in rows],
    )
    db.execute("CREATE INDEX submissions_time ON submissions(submitted_us)")


def _v3(db: sqlite3.Connection) -> None:
    """The population kind (reference data for rates) gets its table of rows."""
    for statement in _statements(_rows_table_v1(Kind.POPULATION.spec)):
        db.execute(statement)


def _v4(db: sqlite3.Connection) -> None:
    """Rows rewritten in slice order with explicit ids; each slice records its id range."""
    db.execute("ALTER TABLE slices ADD COLUMN first_row INTEGER")
    db.execute("ALTER TABLE slices ADD COLUMN last_row INTEGER")
    for spec in kinds():
        table = spec.store_table
        if not db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone():
            continue
        names = ", ".join(["submission_id", "source_row", "slice_period", *spec.names])
        db.execute(_rows_table(spec, f"{table}_v4"))
        db.execute(
            f"INSERT INTO {table}_v4({names}) SELECT {names} FROM {table} "
            "ORDER BY submission_id, adp, slice_period, source_row"
        )
        db.execute(f"DROP TABLE {table}")
        db.execute(f"ALTER TABLE {table}_v4 RENAME TO {table}")
        db.execute(
            f"""UPDATE slices SET first_row = g.low, last_row = g.high
            FROM (SELECT submission_id, adp, slice_period, min(id) AS low, max(id) AS high
                  FROM {table} GROUP BY submission_id, adp, slice_period) AS g
            WHERE slices.kind = ? AND g.submission_id = slices.submission_id
              AND g.adp = slices.adp AND g.slice_period = slices.period""",
            (spec.name,),
        )


def _v5(db: sqlite3.Connection) -> None:
    """Each submission keeps what its data set said of itself (`dataset.toml`, as JSON)."""
    db.execute("ALTER TABLE submissions ADD COLUMN dataset TEXT")


def _v6(db: sqlite3.Connection) -> None:
    """Each submission's rows as one Parquet file in `submission_rows` (see `rows.py`), each
    slice as the run of rows it is in that file; the tables of rows go."""
    db.execute(
        "CREATE TABLE submission_rows (submission_id INTEGER PRIMARY KEY "
        "REFERENCES submissions(id), sha256 TEXT NOT NULL, parquet BLOB NOT NULL)"
    )
    for spec in kinds():
        table = spec.store_table
        if not db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone():
            continue
        ranges = db.execute(
            "SELECT submission_id, min(first_row), max(last_row) FROM slices WHERE kind = ? "
            "GROUP BY submission_id",
            (spec.name,),
        ).fetchall()
        for submission, low, high in ranges:
            blob = _parquet_v5(db, spec, submission, low, high)
            # A submission's ids were one run in slice order: its position is id - low.
            db.execute(
                "UPDATE slices SET first_row = first_row - ?, last_row = last_row - first_row + 1 "
                "WHERE kind = ? AND submission_id = ?",
                (low, spec.name, submission),
            )
            laid = db.execute(
                "SELECT kind, adp, period, first_row, last_row FROM slices "
                "WHERE kind = ? AND submission_id = ?",
                (spec.name, submission),
            ).fetchall()
            db.execute(
                "INSERT INTO submission_rows(submission_id, sha256, parquet) VALUES (?, ?, ?)",
                (submission, blob_digest(submission, blob, laid), blob),
            )
        db.execute(f"DROP TABLE {table}")
    db.execute("ALTER TABLE slices RENAME COLUMN first_row TO row_offset")
    db.execute("ALTER TABLE slices RENAME COLUMN last_row TO row_count")


def _parquet_v5(
    db: sqlite3.Connection, spec: KindSpec, submission: int, low: int, high: int
) -> bytes:
    """A submission's schema-5 rows as its Parquet.

    Raises:
        DamagedRows: a cell cannot be read as its type (`legacy.py` looks for such cells before
            the upgrade starts: this is the last guard, inside its transaction).
    """
    import polars as pl

    try:
        return to_parquet(spec, _rows_v5(db, spec, low, high))
    except (pl.exceptions.PolarsError, TypeError, ValueError, OverflowError) as error:
        raise DamagedRows(
            f"submission {submission}'s {spec.name} rows cannot be read ({error})"
        ) from error


def _rows_v5(db: sqlite3.Connection, spec: KindSpec, low: int, high: int) -> pl.DataFrame:
    """Rows `low` to `high` of a kind's schema-5 table, in id order, typed as Parquet keeps
    them (read a batch at a time: Python holds a row as a tuple of objects)."""
    import polars as pl

    types = stored_types(spec)
    read = {name: pl.Int64() if t == pl.Int64() else pl.String() for name, t in types.items()}
    cursor = db.execute(
        f"SELECT {', '.join(types)} FROM {spec.store_table} WHERE id BETWEEN ? AND ? ORDER BY id",
        (low, high),
    )
    parts = [pl.DataFrame(schema=read)]
    while batch := cursor.fetchmany(100_000):
        parts.append(pl.DataFrame(batch, schema=read, orient="row"))
    return pl.concat(parts).with_columns(
        pl.col(name).str.to_date("%Y-%m-%d")
        for name, t in types.items()
        if t == pl.Date() and name != SOURCE_ROW
    )


def migrate(db: sqlite3.Connection, version: int) -> None:
    """Bring a store of `version` to `SCHEMA_VERSION`, inside the caller's transaction.

    Each version adds what it brought: a kind added to the contract gets its table of rows from
    the migration of the version that added it, never from a `CREATE ... IF NOT EXISTS` run on
    every open.
    """
    if version < 1:
        for statement in _statements(_V1):
            db.execute(statement)
        for spec in kinds():
            if spec.kind is not Kind.POPULATION:
                for statement in _statements(_rows_table_v1(spec)):
                    db.execute(statement)
    if version < 2:
        _v2(db)
    if version < 3:
        _v3(db)
    if version < 4:
        _v4(db)
    if version < 5:
        _v5(db)
    if version < 6:
        _v6(db)
    db.execute(
        "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)",
        (str(SCHEMA_VERSION),),
    )
