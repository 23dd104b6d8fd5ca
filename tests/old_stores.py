"""Stores as older versions of mission left them, built with SQL, for the upgrade tests."""

from __future__ import annotations

SCHEMA_5 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta VALUES ('schema_version', '5');
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL, file_name TEXT NOT NULL, kind TEXT NOT NULL,
    submitted_by TEXT NOT NULL, submitted_at TEXT NOT NULL, spec_version INTEGER NOT NULL,
    rows INTEGER NOT NULL, errors INTEGER NOT NULL, warnings INTEGER NOT NULL,
    infos INTEGER NOT NULL, submitted_us INTEGER, dataset TEXT);
CREATE INDEX submissions_sha ON submissions(kind, sha256);
CREATE INDEX submissions_time ON submissions(submitted_us);
CREATE TABLE slices (
    submission_id INTEGER NOT NULL REFERENCES submissions(id), kind TEXT NOT NULL,
    adp TEXT NOT NULL, period TEXT NOT NULL, superseded_by INTEGER REFERENCES submissions(id),
    first_row INTEGER, last_row INTEGER,
    PRIMARY KEY (submission_id, adp, period));
CREATE INDEX slices_current ON slices(kind, adp, period, superseded_by);
"""
"""Schema 5's tables other than the rows: meta, submissions and slices (id ranges)."""


def schema_before_4(version: int) -> str:
    """The tables other than the rows as schemas 2 and 3 left them: meta (at `version`),
    submissions, and slices with no id ranges."""
    return (
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"
        f"INSERT INTO meta VALUES ('schema_version', '{version}');\n" + _SUBMISSIONS_AND_SLICES
    )


_SUBMISSIONS_AND_SLICES = """
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL, file_name TEXT NOT NULL, kind TEXT NOT NULL,
    submitted_by TEXT NOT NULL, submitted_at TEXT NOT NULL, spec_version INTEGER NOT NULL,
    rows INTEGER NOT NULL, errors INTEGER NOT NULL, warnings INTEGER NOT NULL,
    infos INTEGER NOT NULL, submitted_us INTEGER);
CREATE INDEX submissions_sha ON submissions(kind, sha256);
CREATE INDEX submissions_time ON submissions(submitted_us);
CREATE TABLE slices (
    submission_id INTEGER NOT NULL REFERENCES submissions(id), kind TEXT NOT NULL,
    adp TEXT NOT NULL, period TEXT NOT NULL, superseded_by INTEGER REFERENCES submissions(id),
    PRIMARY KEY (submission_id, adp, period));
CREATE INDEX slices_current ON slices(kind, adp, period, superseded_by);
"""


def schema_5_row_tables(*, population: bool = True) -> str:
    """Schema 5's table of rows per kind: explicit ids in slice order, the contract's columns."""
    from mission.kinds import Kind
    from mission.store.schema import sql_type

    tables = []
    for kind in Kind:
        if kind is Kind.POPULATION and not population:
            continue
        columns = ", ".join(f"{c.name} {sql_type(c.type)}" for c in kind.spec.columns)
        tables.append(
            f"CREATE TABLE {kind.spec.store_table} (id INTEGER PRIMARY KEY, submission_id INTEGER "
            "NOT NULL REFERENCES submissions(id), source_row INTEGER NOT NULL, slice_period TEXT "
            f"NOT NULL, {columns});"
        )
    return "\n".join(tables)
