"""Where what Excel shows differs from what a sheet's cells hold: a merged range shows one value
across cells that hold nothing; a hidden row or column (one a filter hides too) holds cells that
are read but not seen. The workbook guard notes them as it parses the sheet (`workbook.py`,
`bulk.py`); the reader tells those that meet the table once its rows are known (`merged_cells`,
`hidden_cells`). Only where they are is noted, never what a cell holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["LISTED", "LayoutNotes", "SheetLayout", "attribute", "hidden"]

LISTED = 10_000
"""Merged ranges, hidden rows and hidden column ranges noted from a sheet at most, each."""


@dataclass(frozen=True)
class SheetLayout:
    """What a sheet shows otherwise than it holds (see the module docstring)."""

    merged: tuple[str, ...] = ()
    """The `ref` of each merged range (`A2:A10`), as the sheet gives it."""
    hidden_rows: tuple[int, ...] = ()
    """The numbers of the hidden rows, in the sheet's order (0 for one written without)."""
    hidden_columns: tuple[tuple[int, int], ...] = ()
    """Each range of hidden columns, first and last, 0-based."""
    filtered: bool = False
    """The sheet has a filter (`autoFilter`): its hidden rows are mostly the ones it hides."""


@dataclass
class LayoutNotes:
    """Collects a `SheetLayout` from a sheet's elements, as a parser meets them."""

    merged: list[str] = field(default_factory=list)
    hidden_rows: list[int] = field(default_factory=list)
    hidden_columns: list[tuple[int, int]] = field(default_factory=list)
    filtered: bool = False

    def element(self, local: str, attrs: list[str]) -> None:
        """Note an element (by local name, with expat's ordered attributes) if it is one of
        these: `mergeCell`, a hidden `row` or `col`, `autoFilter`."""
        if local == "mergeCell" and len(self.merged) < LISTED:
            self.merged.append(attribute(attrs, "ref"))
        elif local == "row" and hidden(attribute(attrs, "hidden")):
            self.hide_row(attribute(attrs, "r"))
        elif local == "col" and hidden(attribute(attrs, "hidden")):
            self._hide_columns(attribute(attrs, "min"), attribute(attrs, "max"))
        elif local == "autoFilter":
            self.filtered = True

    def hide_row(self, number: str) -> None:
        if len(self.hidden_rows) < LISTED:
            number = number.strip()
            self.hidden_rows.append(int(number) if number.isdigit() and len(number) < 8 else 0)

    def _hide_columns(self, first: str, last: str) -> None:
        bounds = [int(n) for n in (first.strip(), last.strip()) if n.isdigit() and len(n) < 6]
        if len(bounds) == 2 and 1 <= bounds[0] <= bounds[1] and len(self.hidden_columns) < LISTED:
            self.hidden_columns.append((bounds[0] - 1, bounds[1] - 1))

    def layout(self) -> SheetLayout:
        return SheetLayout(
            tuple(self.merged), tuple(self.hidden_rows), tuple(self.hidden_columns), self.filtered
        )


def attribute(attrs: list[str], name: str) -> str:
    """An element's attribute by local name (expat's ordered list of names and values); the last
    of several, "" for none."""
    found = [
        attrs[i + 1] for i in range(0, len(attrs) - 1, 2) if attrs[i].rpartition(":")[2] == name
    ]
    return found[-1] if found else ""


def hidden(value: str) -> bool:
    """Whether an XML boolean attribute's value is true (`1` or `true`)."""
    return value.strip() in ("1", "true")
