"""A header of two rows, read as the one row it stands for.

The usual officer's layout names a group of columns once and the columns under it in the row
below: `Buprenorphine` over `oral` and `depot`, the other header cells blank (or merged down)
beside them. Read as written, only the first row is the header: the group's columns past its
first have no name (their figures told as stray values, to be removed), the group's first is
an unknown column, the contract's two columns are missing, and the second row is a row of data
with every cell wrong. Eight findings, none naming the cause, and one telling the officer to
delete real figures.

So such a header is told once, as what it is (`two-row-header`, an error: the contract's header
is one row), and read as the one row it stands for: each column under a group is named by the
group's name and its own (`Buprenorphine oral`, which is `buprenorphine_oral`), and the second
row is not read as data. The rows below are then checked as any others, so the officer learns
of their own mistakes in the same run.

A header of two rows is one whose first row names a group followed by columns with no name,
and whose second row names every column under each group and holds nothing else: no number, no
cell under any other column. A first record never looks so (it names an ADP, a period or a
person, in columns no group spans), whether or not header cells are merged.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from mission.cell_codes import recoded
from mission.columns import HEADER_SYNONYMS, ROW, normalise_header
from mission.readers.table import Draft
from mission.text import listed

if TYPE_CHECKING:
    import polars as pl

__all__ = ["read_two_row_header"]

_NUMBER = re.compile(r"^\s*[-+]?[0-9][0-9,. ]*\s*$")
_UNMERGE = ", unmerge any merged header cells"


def read_two_row_header(draft: Draft) -> None:
    """If the table's header takes two rows (see the module docstring), tell it and read it as
    one: the group's columns named anew, the second row taken out of the rows."""
    import polars as pl

    frame, row = draft.frame, draft.header_row
    if frame is None or row is None:
        return
    spans = _groups(draft.headers)
    named = _names(draft.headers, spans, frame, row) if spans else None
    if named is None:
        return
    for position, name in named.items():
        draft.headers[position] = name
    draft.note(
        "two-row-header",
        f"the header takes two rows, {row} and {row + 1}: the columns under "
        f"{_cells(draft, spans, row)} are named in row {row + 1}, and were read by those names "
        f"(after the group's, where they need it: `Buprenorphine` `oral`); row {row + 1} is no "
        "row of data",
        row=row + 1,
        cell=f"{draft.letter(spans[0][0])}{row + 1}",
        hint=f"Make the header one row: write each column's own name in row {row} (`mission "
        f"template` writes them){_UNMERGE if draft.format == 'xlsx' else ''}, and delete row "
        f"{row + 1}.",
    )
    draft.frame = recoded(frame.filter(pl.col(ROW) != row + 1))
    draft.second_header_row = row + 1


def _names(
    headers: list[str], spans: list[tuple[int, int]], frame: pl.DataFrame, row: int
) -> dict[int, str] | None:
    """The group's columns' names, by position, when the row below the header names them (and
    holds nothing else); None when it is no header's second row."""
    import polars as pl

    second = frame.filter(pl.col(ROW) == row + 1)
    if second.height != 1:
        return None
    cells = [_text(value) for value in second.drop(ROW).row(0)]
    inside = {p for first, last in spans for p in range(first, last + 1)}
    if not _names_under(cells, inside):
        return None
    taken = {normalise_header(h) for p, h in enumerate(headers) if p not in inside}
    named = {
        position: _name(headers[first].strip(), str(cells[position]), taken)
        for first, last in spans
        for position in range(first, last + 1)
    }
    # A group names one of the contract's columns at least (`Buprenorphine` `oral`, beside a
    # `Comments` group of the officer's): a notes line under the last columns (`Notes:` under
    # `total`) names none, and is no header's second row.
    return named if any(normalise_header(n) in _known() for n in named.values()) else None


def _name(group: str, under: str, taken: set[str]) -> str:
    """A column's name from its group's and its own: the first of its own alone, both, or both
    the other way round that is a column of the contract (`buprenorphine_oral` under
    `Buprenorphine`; `Buprenorphine oral`; `first` under `Supply`, `first_supply`) and no other
    column's already (`ADP` under `Comments` beside the real `adp`), else both."""
    both = f"{group} {under}"
    for name in (under, both, f"{under} {group}"):
        normal = normalise_header(name)
        if normal in _known() and normal not in taken:
            return name
    return both


@cache
def _known() -> frozenset[str]:
    """Every column name of every kind, and the other names the contract's headers go by."""
    from mission.kinds import kinds

    return frozenset({n for spec in kinds() for n in spec.names} | set(HEADER_SYNONYMS))


def _groups(headers: list[str]) -> list[tuple[int, int]]:
    """Each group name's columns, first and last: a name followed by headers with none, or
    written again over each (`Buprenorphine`, `Buprenorphine`). A name that is a column of the
    contract (`treatment_type` beside a blank header) is that column, no group."""
    spans = []
    position = 0
    while position < len(headers):
        name, end = headers[position].strip(), position
        while end + 1 < len(headers) and headers[end + 1].strip() in ("", name):
            end += 1
        if name and end > position and normalise_header(name) not in _known():
            spans.append((position, end))
        position = end + 1
    return spans


def _names_under(cells: list[str | None], inside: set[int]) -> bool:
    """Whether a row names every column of the groups (`inside`, by position), none by a number,
    and holds nothing under any other column."""
    named = all(cells[p] is not None and not _NUMBER.match(str(cells[p])) for p in inside)
    return named and all(cell is None for p, cell in enumerate(cells) if p not in inside)


def _text(value: object) -> str | None:
    text = "" if value is None else str(value).strip()
    return text or None


def _cells(draft: Draft, spans: list[tuple[int, int]], row: int) -> str:
    return listed([f"{draft.letter(first)}{row}" for first, _ in spans])
