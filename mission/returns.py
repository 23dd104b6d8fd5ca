"""A set of validated returns, ready for progress: one parsed table per kind.

Only valid files are used; a file with errors is left out, and the fact is kept as a data note,
so progress never silently computes from a return that failed its checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mission.limits import Limits
from mission.reading import ROW
from mission.report import Report

if TYPE_CHECKING:
    import polars as pl

__all__ = ["Returns", "load_returns"]


@dataclass
class Returns:
    """Parsed rows of every valid return, by kind, with what was left out and why."""

    frames: dict[str, pl.DataFrame] = field(default_factory=dict)
    report: Report | None = None
    notes: list[str] = field(default_factory=list)

    def get(self, kind: str) -> pl.DataFrame | None:
        return self.frames.get(kind)

    @classmethod
    def from_frames(cls, frames: dict[str, pl.DataFrame]) -> Returns:
        """Returns built from already-parsed tables (the store, or tests)."""
        return cls(frames=dict(frames))


def load_returns(
    paths: Iterable[Path | str], *, today: dt.date | None = None, limits: Limits | None = None
) -> Returns:
    """Validate files and folders and keep the rows of the valid ones.

    Raises:
        InvalidPath: a path does not exist or a folder holds no returns.
    """
    import polars as pl

    from mission.validation import _check_all

    checked = _check_all(list(paths), None, limits, today, None)
    reports = tuple(c.report(False) for c in checked)
    returns = Returns(report=Report.of(reports, strict=False))
    parts: dict[str, list[pl.DataFrame]] = {}
    for item, file_report in zip(checked, reports, strict=True):
        if item.frame is None or item.kind is None or not file_report.valid:
            returns.notes.append(
                f"{item.path} was left out: it has {file_report.errors} error(s) "
                "(run `mission validate` on it)"
            )
            continue
        parts.setdefault(item.kind, []).append(item.frame.drop(ROW))
    returns.frames = {kind: pl.concat(frames) for kind, frames in parts.items()}
    return returns
