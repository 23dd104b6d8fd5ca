"""Validate returns against the data contract: `validate` for a report, `read_return` for rows.

Both are thin uses of `mission.checking.check_files`, the one seam every caller goes through.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from mission.checking import check_files
from mission.errors import MissionError
from mission.findings import Severity
from mission.kinds import Kind
from mission.limits import Limits
from mission.readers import NamedBytes
from mission.report import Report
from mission.walk import InvalidPath, given_paths

if TYPE_CHECKING:
    import polars as pl

__all__ = ["InvalidPath", "InvalidReturn", "read_return", "validate"]


class InvalidReturn(MissionError, ValueError):
    """`read_return` was asked for a return that has errors; `report` says which."""

    def __init__(self, report: Report) -> None:
        self.report = report
        errors = [f for f in report.findings if f.severity is Severity.ERROR]
        first = errors[0] if errors else None
        where = ""
        if first is not None:
            place = f"{first.file}" + (f" row {first.row}" if first.row else "")
            where = f" (first: {place}: {first.message})"
        files = {f.file for f in errors}
        what = "the return has" if len(files) <= 1 else f"{len(files)} of the returns have"
        super().__init__(f"{what} {len(errors)} error(s){where}")


def validate(
    paths: Iterable[Path | str | NamedBytes] | Path | str | NamedBytes,
    kind: Kind | str | None = None,
    *,
    strict: bool = False,
    limits: Limits | None = None,
    today: dt.date | None = None,
    on_file: Callable[[str], None] | None = None,
    exclude: Sequence[str] = (),
) -> Report:
    """Validate files and folders of returns against the data contract.

    Args:
        paths: files, folders (searched for .csv, .xlsx, .json and .parquet files) and
            in-memory `NamedBytes`.
        kind: the kind of every file; by default each file's kind is inferred from its header.
        strict: warnings make a file invalid too.
        limits: resource limits per file.
        today: the date "future" is judged against (for reproducible runs).
        on_file: called with each file's name before it is read (for progress bars).
        exclude: glob patterns of files to leave out (matched below each folder, or by name).

    Raises:
        InvalidPath: no path is given, a path does not exist or a folder holds no returns.
        UnknownKind: `kind` is not a kind of return.
    """
    paths = given_paths(paths)
    if not paths:  # a pattern that matched nothing: a check of nothing must not pass
        raise InvalidPath("", "no file or folder was given: name the returns to check")
    checked = check_files(
        paths, kind, strict=strict, limits=limits, today=today, on_file=on_file, exclude=exclude
    )
    return Report.of((c.report for c in checked), strict)


def read_return(
    path: Path | str | NamedBytes,
    kind: Kind | str | None = None,
    *,
    today: dt.date | None = None,
    limits: Limits | None = None,
) -> pl.DataFrame:
    """A valid return as a table with the contract's columns, ADP codes and canonical periods.

    Raises:
        InvalidReturn: the return has errors; the exception carries the full report.
        InvalidPath: the path does not exist.
    """
    checked = check_files([path], kind, limits=limits, today=today)
    report = Report.of((c.report for c in checked), strict=False)
    rows = checked[0].rows() if len(checked) == 1 else None
    if not report.valid or rows is None:
        raise InvalidReturn(report)
    return rows
