"""The workbook guard's extent against the Excel library's grid: where the guard says a sheet's
cells start is where fastexcel starts its grid, whatever the empty cells above and left of them
(formulas whose result is "", styled blanks, empty inline strings), so every finding names the
right cell; and the grid never reaches beyond the extent the guard checked."""

from __future__ import annotations

import fastexcel
from hypothesis import given, settings
from hypothesis import strategies as st

from mission.findings import column_letter
from mission.limits import Limits
from mission.readers.workbook import examine

from .workbooks import MAIN, one_sheet_workbook

# Cells the Excel library reads as nothing: they must not move where its grid starts.
_BLANK = (
    "<c r='{r}'><f>1</f><v></v></c>",
    "<c r='{r}'><f>1</f><v/></c>",
    "<c r='{r}' t='n'><v></v></c>",
    "<c r='{r}' t='s'><v></v></c>",
    "<c r='{r}' t='b'><v/></c>",
    "<c r='{r}' t='e'><f>1/0</f><v></v></c>",
    "<c r='{r}' s='3'/>",
    "<c r='{r}'><f>1</f></c>",
    "<c r='{r}' t='str'><f>1</f></c>",
    "<c r='{r}'>\n  <f>1</f>\n  <v></v>\n</c>",
    "<c r='{r}' t='inlineStr'>\n<v/>\n</c>",
    "<c r='{r}'><v><!-- element by element --></v></c>",
)
# Cells it reads as a value, though an empty one: they are where its grid starts.
_EMPTY_VALUES = (
    "<c r='{r}' t='str'><f>1</f><v></v></c>",
    "<c r='{r}' t='str'><v/></c>",
    "<c r='{r}' t='inlineStr'><is><t/></is></c>",
    "<c r='{r}' t='inlineStr'><is></is></c>",
    "<c r='{r}' t='e'><v>#REF!</v></c>",
    "<c r='{r}'><v>0</v></c>",
    "<c r='{r}' t='b'><v>0</v></c>",
    "<c r='{r}'><v> </v></c>",
    "<c r='{r}' t='d'>\n<v/>\n</c>",
    "<c r='{r}' t='str'><v><!-- element by element --></v></c>",
)
_MARK = "<c r='{r}' t='inlineStr'><is><t>m{n}</t></is></c>"


def _workbook(cells: dict[tuple[int, int], str]) -> bytes:
    rows: dict[int, list[str]] = {}
    for (row, _), xml in sorted(cells.items()):
        rows.setdefault(row, []).append(xml)
    data = "".join(f"<row r='{r}'>{''.join(c)}</row>" for r, c in sorted(rows.items()))
    return one_sheet_workbook(
        f"<worksheet xmlns='{MAIN}'><sheetData>{data}</sheetData></worksheet>"
    )


_PLACES = st.tuples(st.integers(1, 6), st.integers(0, 4))


@settings(max_examples=150, deadline=None)
@given(
    blanks=st.dictionaries(_PLACES, st.sampled_from(_BLANK), max_size=8),
    empties=st.dictionaries(_PLACES, st.sampled_from(_EMPTY_VALUES), max_size=3),
    marks=st.lists(_PLACES, min_size=1, max_size=4, unique=True),
)
def test_the_guard_starts_where_the_excel_library_starts(
    blanks: dict[tuple[int, int], str],
    empties: dict[tuple[int, int], str],
    marks: list[tuple[int, int]],
) -> None:
    """Each marked cell sits in fastexcel's grid where the guard's extent puts it, and the grid
    is no larger than the extent, whatever blank or empty-valued cells lie around the table."""
    cells = blanks | empties
    cells |= {place: _MARK.replace("{n}", str(n)) for n, place in enumerate(marks)}
    filled = {
        place: xml.replace("{r}", f"{column_letter(place[1])}{place[0]}")
        for place, xml in cells.items()
    }
    data = _workbook(filled)
    extent = examine(data, lambda names, _: names[:1], Limits()).extent
    grid = (
        fastexcel.read_excel(data).load_sheet("ost", header_row=None, dtypes="string").to_polars()
    )
    assert extent is not None
    assert grid.height <= extent.rows and grid.width <= extent.columns
    for n, (row, column) in enumerate(marks):
        y, x = row - extent.first_row, column - extent.first_column
        assert grid.to_series(x)[y] == f"m{n}"
