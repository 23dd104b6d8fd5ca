"""What every column check and rule needs: where findings go, and how to point at a cell."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mission.columns import ROW, Column
from mission.findings import FindingSink, finding
from mission.text import MAX_VALUE_LENGTH

if TYPE_CHECKING:
    import polars as pl

__all__ = ["CellContext", "Words"]

Words = Callable[[str | None], str | None]
"""What a finding says about a value (its message or hint), from the value as shown."""


@dataclass
class CellContext:
    """The file being checked, its findings (capped per code) and where each column sits.

    `letters` maps a contract column to its Excel letters in the file (`total` -> `H`), so every
    finding names its cell; `raw` is the table as read, so a rule judged on parsed values can
    still show the value as the officer typed it (`typed`).
    """

    file: str
    today: dt.date
    sink: FindingSink
    letters: Mapping[str, str] = field(default_factory=dict)
    sheet: str | None = None
    raw: pl.DataFrame | None = None
    sources: Mapping[str, str] = field(default_factory=dict)

    def emit(
        self,
        code: str,
        bad: pl.DataFrame,
        column: Column,
        message: Words | None = None,
        hint: Words | str | None = None,
    ) -> None:
        """One finding per bad row, up to the cap per code; the rest are counted.

        `bad` has ROW and `value`, and may carry `message` and `hint` columns when the words
        depend on more than the value (a total and the sum it should equal). A private column's
        value is never shown, whatever the words.
        """
        room = self.sink.room(code)
        self.sink.count_over(code, bad.height - room)
        if room == 0 or bad.height == 0:
            return
        import polars as pl

        words = [c for c in ("message", "hint") if c in bad.columns]
        # Only what a finding can show leaves polars: a 50 MB cell costs no Python copy.
        shown_part = pl.col("value").cast(pl.String).str.slice(0, MAX_VALUE_LENGTH + 1)
        letter = self.letters.get(column.name)
        rows = bad.head(room).select(ROW, shown_part.alias("value"), *words)
        for record in rows.iter_rows(named=True):
            value = record["value"]
            shown = None if column.private or value is None else str(value)
            text = str(record.get("message") or (message(shown) if message else code))
            row = record[ROW]
            self.sink.add(
                finding(
                    code,
                    text,
                    self.file,
                    row=row,
                    column=column.name,
                    value=shown,
                    hint=record.get("hint") or (hint(shown) if callable(hint) else hint),
                    sheet=self.sheet if letter else None,
                    cell=f"{letter}{row}" if letter and row else None,
                )
            )

    def typed(self, rows: pl.DataFrame, name: str) -> pl.Series:
        """The cells of column `name` as typed (trimmed), for the rows of `rows` in order."""
        import polars as pl

        source = self.sources.get(name)
        if self.raw is None or source is None:
            return rows[name].cast(pl.String) if name in rows.columns else pl.Series([None] * 0)
        wanted = rows.select(ROW)
        # Only the rows asked for are cast to text: a rule's few bad rows, not the whole file.
        typed = self.raw.filter(pl.col(ROW).is_in(wanted[ROW].implode())).select(
            ROW, pl.col(source).cast(pl.String).str.strip_chars().alias("t")
        )
        return wanted.join(typed, on=ROW, how="left", maintain_order="left")["t"]
