"""What every reader returns: a frozen table of text cells with editor row numbers.

Reading is where messy files are forgiven (encodings, delimiters, title rows, notes blocks,
Excel's cell types). What comes out is uniform — one column per header cell, named `c0`, `c1`, ...
in header order (header texts can repeat or be blank, so they cannot be column names yet), and a
`__row` column with the row number the user sees in their editor — so validation has one shape to
check. A file that cannot be read is a table with no frame and a finding that says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mission.findings import Finding, FindingSink, Quoted, column_letter, finding

if TYPE_CHECKING:
    import polars as pl

    from mission.readers.sheet_layout import SheetLayout

__all__ = ["Draft", "Table", "Unreadable"]


@dataclass(frozen=True)
class Table:
    """One file as read: its header cells, its rows as text, and what reading it found."""

    file: str
    """The file as findings name it."""
    format: str
    headers: tuple[str, ...] = ()
    frame: pl.DataFrame | None = None
    findings: tuple[Finding, ...] = ()
    declared_kind: str | None = None
    header_row: int | None = None
    sheet: str | None = None
    """The worksheet read, for a workbook."""
    letters: tuple[str, ...] = ()
    """The spreadsheet column letters of `c0`, `c1`, ...: cells are named from them."""
    line_breaks: tuple[tuple[int, int], ...] = ()
    """Rows whose cells hold line breaks, and how many (a CSV's rows and lines then part)."""
    tidy_texts: frozenset[str] = frozenset()
    """Columns read as text whose every cell is known to be tidy (none blank, spaced or broken
    over lines): parsing then need not look (a reader's pass that looked anyway says so)."""

    def letter(self, position: int) -> str:
        """The column letters of the table's column at `position` (0-based)."""
        if position < len(self.letters):
            return self.letters[position]
        return column_letter(position)


class Unreadable(Exception):
    """Reading this file cannot go on: the message becomes its `could-not-read` finding."""

    def __init__(
        self,
        message: str,
        hint: str | None = None,
        code: str = "could-not-read",
        *,
        row: int | None = None,
        cell: str | None = None,
        quotes: tuple[Quoted, ...] = (),
    ):
        self.message = message
        self.hint = hint
        self.code = code
        self.row = row
        """Where in the file reading stopped, when that is known."""
        self.cell = cell
        self.quotes = quotes
        """What else the message names that someone typed (a sheet's name)."""
        super().__init__(message)


@dataclass
class Draft:
    """A table being read: readers fill it in, then `freeze` it."""

    file: str
    format: str
    sink: FindingSink
    headers: list[str] = field(default_factory=list)
    frame: pl.DataFrame | None = None
    declared_kind: str | None = None
    header_row: int | None = None
    sheet: str | None = None
    first_column: int = 0
    """The sheet column (0-based) of the grid's first column, for a workbook."""
    letters: list[str] = field(default_factory=list)
    line_breaks: tuple[tuple[int, int], ...] = ()
    line_feeds: bool | None = None
    """Whether a cell holds a line feed, when a reader's pass has already counted them."""
    tidy_texts: frozenset[str] = frozenset()
    layout: SheetLayout | None = None
    """A workbook sheet's merged ranges, hidden rows and columns: told once the table's rows
    are known (`merged_cells`, `hidden_cells`)."""
    second_header_row: int | None = None
    """The header's second row, when it takes two (`two_row_header`): no row of data."""

    def note(
        self,
        code: str,
        message: str,
        *,
        row: int | None = None,
        hint: str | None = None,
        cell: str | None = None,
        metadata: str | None = None,
        quotes: tuple[Quoted, ...] = (),
    ) -> None:
        """A reader's finding: never a cell's text, only where it is (privacy by construction).

        `metadata` is what the file says about itself (a declared kind or spec version), never
        a cell of the table; `quotes` what else the message names that someone typed (a sheet's
        name), withheld if it is a person id.
        """
        self.sink.add(
            finding(
                code,
                message,
                self.file,
                row=row,
                value=metadata,
                hint=hint,
                sheet=self.sheet if cell else None,
                cell=cell,
                quotes=quotes,
            )
        )

    def letter(self, position: int) -> str:
        if position < len(self.letters):
            return self.letters[position]
        return column_letter(self.first_column + position)

    def freeze(self, problem: Unreadable | None = None) -> Table:
        if problem is not None:
            self.note(
                problem.code,
                problem.message,
                hint=problem.hint,
                row=problem.row,
                cell=problem.cell,
                quotes=problem.quotes,
            )
            self.frame = None
        return Table(
            file=self.file,
            format=self.format,
            headers=tuple(self.headers),
            frame=self.frame,
            findings=self.sink.findings(),
            declared_kind=self.declared_kind,
            header_row=self.header_row,
            sheet=self.sheet,
            letters=tuple(self.letters),
            line_breaks=self.line_breaks,
            tidy_texts=self.tidy_texts,
        )
