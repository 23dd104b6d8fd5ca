"""A submit's writes, as Arrow: SQLite through ADBC's SQLite driver (rows travel as Parquet,
see `rows.py`; this binds the frames of submissions, slices and blobs).

Python's sqlite3 binds a row at a time from Python objects; a million episodes took seconds.
ADBC binds a whole polars frame (Arrow, through the C stream interface: no pyarrow needed) in
one statement, and reads a query's result straight into a frame. Everything a submit writes goes
through one ADBC connection in one `BEGIN IMMEDIATE` transaction, so it all lands or none does.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import polars as pl

__all__ = ["Bulk", "BulkError"]


class BulkError(Exception):
    """The database refused a statement (a full disk, a locked file, a read-only folder)."""


def _first_line(error: BaseException) -> str:
    lines = str(error).splitlines()
    return lines[0] if lines else type(error).__name__


def _driver() -> tuple[Any, Any]:
    import adbc_driver_manager
    import adbc_driver_sqlite

    return adbc_driver_sqlite, adbc_driver_manager


class Bulk:
    """One ADBC connection to a store file."""

    def __init__(self, uri: str, *, read_only: bool = False, busy_ms: int = 60_000) -> None:
        sqlite, manager = _driver()
        try:
            self._database = sqlite.connect(uri)
            self._connection = manager.AdbcConnection(self._database)
        except manager.Error as error:
            raise BulkError(_first_line(error)) from error
        self._manager = manager
        self.execute(f"PRAGMA busy_timeout = {busy_ms}")
        if not read_only:
            self.execute("PRAGMA foreign_keys = ON")
            self.execute("PRAGMA synchronous = FULL")

    def close(self) -> None:
        self._connection.close()
        self._database.close()

    def _statement(self, sql: str, frame: pl.DataFrame | None) -> Any:
        statement = self._manager.AdbcStatement(self._connection)
        statement.set_sql_query(sql)
        if frame is not None:
            statement.bind_stream(frame.__arrow_c_stream__())
        return statement

    def execute(self, sql: str, frame: pl.DataFrame | None = None) -> int:
        """Run a statement, once per row of `frame` when given (its columns bind the `?`s)."""
        if frame is not None and frame.height == 0:
            return 0
        statement = self._statement(sql, frame)
        try:
            return int(statement.execute_update())
        except self._manager.Error as error:
            raise BulkError(_first_line(error)) from error
        finally:
            statement.close()

    def query(self, sql: str, frame: pl.DataFrame | None = None) -> pl.DataFrame:
        """A query's result as a frame (one row of parameters from `frame`, when given)."""
        import polars as pl

        statement = self._statement(sql, frame)
        try:
            handle, _ = statement.execute_query()
            return pl.DataFrame(handle)
        except self._manager.Error as error:
            raise BulkError(_first_line(error)) from error
        finally:
            statement.close()

    @contextmanager
    def transaction(self) -> Iterator[Bulk]:
        """One write transaction, taken at once (`BEGIN IMMEDIATE`): committed when the block
        ends, rolled back if it raises."""
        self.execute("BEGIN IMMEDIATE")
        try:
            yield self
            self.execute("COMMIT")
        except BaseException:
            with suppress(BulkError):  # SQLite may have undone it already (a full disk does)
                self.execute("ROLLBACK")
            raise
