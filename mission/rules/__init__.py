"""The rules of each kind that span columns, rows or files.

A *rule* is a polars query over one file's parsed table that emits findings for the offending
rows only. A *cross rule* sees every file of a run (and, when submitting, the rows already in the
store) and returns findings as values: it never changes a file's report after the fact. Each kind's
`KindSpec` lists its rules and cross rules (`mission.kinds`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

    from mission.findings import Finding, FindingSink
    from mission.kinds import KindSpec
    from mission.parsing import CellContext

__all__ = ["CrossRule", "Parsed", "Rule"]

Rule = Callable[["pl.DataFrame", "KindSpec", "CellContext"], None]
"""Checks one parsed table of a kind; findings go to the context."""


@dataclass(frozen=True)
class Parsed:
    """One file's parsed rows as a cross rule sees them: which file, and where its columns are."""

    index: int
    file: str
    frame: pl.DataFrame
    """The rows as the checks read them: a CSV's ADP codes, periods and choices are categoricals,
    a workbook's are text. A rule that sets files side by side, or beside the store's rows,
    selects the columns it needs and passes them through `mission.parsing.as_text` first, so
    text is made only of those columns and only when there is something to compare."""
    letters: Mapping[str, str] = field(default_factory=dict)
    sheet: str | None = None
    sink: FindingSink | None = None
    """The file's findings so far. A cross rule that may find every row (two copies of one file)
    builds only the findings the file keeps (`room`) and counts the rest (`count_over`)."""

    def room(self, code: str) -> int:
        """How many more findings of `code` the file keeps."""
        return self.sink.room(code) if self.sink is not None else sys.maxsize

    def count_over(self, code: str, more: int) -> None:
        """Count `more` findings of `code` that were not built: the file keeps no more."""
        if self.sink is not None:
            self.sink.count_over(code, more)

    def cell(self, column: str, row: int | None) -> dict[str, str | None]:
        """The `sheet` and `cell` of a finding at this column and row."""
        letter = self.letters.get(column)
        if letter is None or row is None:
            return {"sheet": None, "cell": None}
        return {"sheet": self.sheet, "cell": f"{letter}{row}"}


CrossRule = Callable[
    [Sequence[Parsed], "pl.DataFrame | None", "KindSpec"], list[tuple[int, "Finding"]]
]
"""Checks every file of a kind in a run, with the rows accepted earlier (or None).

Returns (file index, finding) pairs; the caller adds them to the files' reports.
"""
