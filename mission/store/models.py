"""What the store says back: the outcome of each submitted file, and each submission's history."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from mission.models import Frozen, SafeText
from mission.report import FileReport

__all__ = ["HistoryEntry", "SubmitOutcome"]


class SubmitOutcome(Frozen):
    """What happened to one submitted file."""

    path: SafeText
    status: Literal["accepted", "unchanged", "rejected"]
    message: SafeText
    submission_id: int | None = None
    kind: str | None = None
    rows: int = 0
    superseded: tuple[int, ...] = ()
    report: FileReport


class HistoryEntry(Frozen):
    """One submission, with the slices it holds and whether each is still current."""

    id: int
    submitted_at: dt.datetime
    submitted_by: SafeText
    file_name: SafeText
    sha256: str
    kind: str
    spec_version: int
    rows: int
    errors: int
    warnings: int
    adps: tuple[str, ...]
    periods: tuple[str, ...]
    current_slices: int
    superseded_slices: int
    superseded_by: tuple[int, ...]

    @property
    def status(self) -> str:
        if self.superseded_slices == 0:
            return "current"
        if self.current_slices == 0:
            return "superseded"
        return "partly superseded"
