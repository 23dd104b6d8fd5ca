"""Checks of a store made before schema 6, made read-only before it is upgraded.

Schemas 1 to 5 kept rows as SQL tables; the upgrade to schema 6 turns each submission's rows into
one Parquet file and drops those tables, so what it cannot carry over as it is must be found
first, while the file is still untouched: a cell the Parquet cannot hold as its type (a date that
is no date, text where a count goes), a row no slice names (schemas 1 to 3), or (schemas 4 and 5)
a slice whose id range is missing, or whose rows are not there, not that submission's, or not
that slice's ADP and period. Such a store
is refused as damaged and left byte for byte as it was.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from mission.columns import ColumnType
from mission.kinds import KindSpec, kinds
from mission.store.schema import InvalidStore, sql_type

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["check_upgradable"]


def check_upgradable(db: sqlite3.Connection, path: Path, version: int) -> None:
    """Refuse an older store whose rows the upgrade could not carry over as they are.

    Raises:
        InvalidStore: a cell or a slice's id range is damaged (the message names the
            submission).
    """
    for spec in kinds():
        table = spec.store_table
        if not db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone():
            continue
        _check_cells(db, path, spec)
        if version >= 4:
            _check_ranges(db, path, spec)
        else:
            _check_sliced(db, path, spec)


def _check_sliced(db: sqlite3.Connection, path: Path, spec: KindSpec) -> None:
    """Raises InvalidStore at the first row (schemas 1 to 3, before rows had id ranges) whose
    submission, ADP and period have no slice: the upgrade would give it a place in no slice, and
    every slice after it in that submission the wrong rows."""
    row = db.execute(
        f"""SELECT r.submission_id, r.source_row FROM {spec.store_table} r
        WHERE NOT EXISTS (SELECT 1 FROM slices c WHERE c.submission_id = r.submission_id
            AND c.kind = ? AND c.adp = r.adp AND c.period = r.slice_period)
        LIMIT 1""",
        (spec.name,),
    ).fetchone()
    if row is not None:
        raise _damaged(
            path,
            f"submission {row[0]} holds a {spec.name} row (from row {row[1]}) that no slice names",
        )


def _damaged(path: Path, problem: str) -> InvalidStore:
    return InvalidStore(path, f"cannot be upgraded: {problem}; the store was not changed")


def _unreadable(name: str, column_type: ColumnType | None) -> str:
    """SQL true when a cell is not what the upgrade reads it as (NULL is always readable)."""
    if column_type is ColumnType.DATE:
        return f"({name} IS NOT NULL AND (typeof({name}) != 'text' OR date({name}) IS NOT {name}))"
    wanted = "integer" if column_type is None or sql_type(column_type) == "INTEGER" else "text"
    return f"typeof({name}) NOT IN ('{wanted}', 'null')"


def _check_cells(db: sqlite3.Connection, path: Path, spec: KindSpec) -> None:
    """Raises InvalidStore at the first cell the upgrade could not read as its type."""
    columns: list[tuple[str, ColumnType | None]] = [("source_row", None)]
    columns += [(c.name, c.type) for c in spec.columns]
    tests = [_unreadable(name, column_type) for name, column_type in columns]
    row = db.execute(
        f"SELECT submission_id, source_row, {', '.join(tests)} FROM {spec.store_table} "
        f"WHERE {' OR '.join(tests)} LIMIT 1"
    ).fetchone()
    if row is not None:
        name = next(name for (name, _), bad in zip(columns, row[2:], strict=True) if bad)
        raise _damaged(
            path,
            f"submission {row[0]} has a damaged {name} in its {spec.name} rows (source row "
            f"{row[1]!r})",
        )


def _check_ranges(db: sqlite3.Connection, path: Path, spec: KindSpec) -> None:
    """Raises InvalidStore unless each submission's slices tile one run of ids, every id of it
    a row of that submission holding its slice's ADP and period."""
    table = spec.store_table
    missing = db.execute(
        "SELECT submission_id FROM slices WHERE kind = ? AND (typeof(first_row) != 'integer' "
        "OR typeof(last_row) != 'integer' OR last_row < first_row) LIMIT 1",
        (spec.name,),
    ).fetchone()
    if missing is not None:
        raise _damaged(path, f"a slice of submission {missing[0]} has no valid range of rows")
    ranges = db.execute(
        "SELECT submission_id, min(first_row), max(last_row), sum(last_row - first_row + 1) "
        "FROM slices WHERE kind = ? GROUP BY submission_id",
        (spec.name,),
    ).fetchall()
    held = {
        submission: (low, high, count)
        for submission, low, high, count in db.execute(
            f"SELECT submission_id, min(id), max(id), count(*) FROM {table} GROUP BY submission_id"
        )
    }
    for submission, low, high, count in ranges:
        # Slices that neither overlap nor leave a gap cover high - low + 1 ids; the submission
        # holds exactly those ids when it has that many rows, from low to high.
        if count != high - low + 1 or held.get(submission) != (low, high, count):
            raise _damaged(
                path,
                f"the {spec.name} rows of submission {submission} no longer match its slices "
                f"(ids {low} to {high})",
            )
    wrong = db.execute(
        f"SELECT c.submission_id, c.adp, c.period FROM slices c JOIN {table} r "
        "ON r.id BETWEEN c.first_row AND c.last_row WHERE c.kind = ? "
        "AND (r.adp IS NOT c.adp OR r.slice_period IS NOT c.period) LIMIT 1",
        (spec.name,),
    ).fetchone()
    if wrong is not None:
        raise _damaged(
            path,
            f"the {spec.name} rows of submission {wrong[0]} do not all hold the ADP and period "
            f"of its slice {wrong[1]} {wrong[2]}",
        )
