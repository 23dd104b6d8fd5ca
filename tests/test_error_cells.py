"""An Excel error cell is told with the error it shows and what that means (#REF!: the formula
refers to deleted cells), in a workbook and in a CSV saved from one; anything else a cell marked
as an error holds is never repeated."""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from mission.excel_errors import EXCEL_ERRORS, error_meaning
from mission.limits import Limits
from mission.readers.error_cells import error_values

from .hostile_tools import MISSION
from .officer_tools import OST_HEADER, validate_findings

SHEET = "xl/worksheets/sheet1.xml"


def _workbook(path: Path, errors: dict[int, str]) -> Path:
    """An OST return whose row 2 has an error, saved as Excel saves it, in each given column."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("ost")
    sheet.write_row(0, 0, OST_HEADER)
    sheet.write_row(1, 0, ["Fife", "2023/24 Q1", 1480, 520, 160, 0, 0, 2160])
    for column, error in errors.items():
        sheet.write_formula(1, column, "=C2/0", None, error)
    book.close()
    return path


def _rewritten(path: Path, old: bytes, new: bytes) -> Path:
    """The workbook with `old` replaced by `new` in its sheet's XML (a crafted or odd file)."""
    source = zipfile.ZipFile(path)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, data.replace(old, new) if info.filename == SHEET else data)
    path.write_bytes(out.getvalue())
    return path


@pytest.mark.parametrize(
    ("error", "meaning"),
    [
        ("#DIV/0!", "divides by zero"),
        ("#REF!", "refers to cells that were deleted"),
        ("#N/A", "looks up a value that is not there"),
        ("#NAME?", "a name Excel does not know"),
        ("#VALUE!", "uses text where it needs a number"),
    ],
)
def test_a_workbook_error_cell_names_its_error_and_what_it_means(
    tmp_path: Path, error: str, meaning: str
) -> None:
    path = _workbook(tmp_path / "ost.xlsx", {3: error})
    _, findings = validate_findings(path)
    [told] = [f for f in findings if f["code"] == "error-cell"]
    assert told["cell"] == "D2"
    assert f"shows the Excel error {error} instead of a value" in told["message"]
    assert meaning in told["message"]


def test_each_error_cell_is_named_with_its_own_error(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "ost.xlsx", {3: "#DIV/0!", 7: "#REF!"})
    _, findings = validate_findings(path)
    told = {f["cell"]: f["message"] for f in findings if f["code"] == "error-cell"}
    assert "#DIV/0!" in told["D2"] and "#REF!" not in told["D2"]
    assert "#REF!" in told["H2"] and "#DIV/0!" not in told["H2"]


def test_an_error_cell_holding_other_text_is_never_quoted(tmp_path: Path) -> None:
    """A cell marked as an error whose value is not one of Excel's (a crafted file): the Excel
    library refuses the sheet, and what the cell holds is repeated neither there nor by the
    lookup, which keeps only Excel's own errors."""
    path = _rewritten(_workbook(tmp_path / "ost.xlsx", {3: "#REF!"}), b"#REF!", b"P-7F3A91C2")
    result = subprocess.run(
        [MISSION, "validate", str(path), "-f", "json"], capture_output=True, text=True
    )
    assert result.returncode == 1, result.stderr
    assert "P-7F3A91C2" not in result.stdout + result.stderr
    part = zipfile.ZipFile(path).read(SHEET)
    assert b"<v>P-7F3A91C2</v>" in part
    assert error_values(path.read_bytes(), SHEET, ["D2"], Limits()) == {}


def test_an_error_cell_in_another_quoting_is_still_told(tmp_path: Path) -> None:
    """Single quotes around the reference are XML too: the cell is still told (by where it is),
    in general words if its element is not found by the lookup."""
    path = _rewritten(_workbook(tmp_path / "ost.xlsx", {3: "#REF!"}), b'r="D2"', b"r='D2'")
    _, findings = validate_findings(path)
    [told] = [f for f in findings if f["code"] == "error-cell"]
    assert told["cell"] == "D2"
    assert "Excel error" in told["message"]


def test_a_reference_in_another_cells_text_is_not_taken_for_the_cell(tmp_path: Path) -> None:
    """`r="D2" t="e"` typed into an earlier cell's text is not the error cell D2."""
    part = (
        b'<worksheet><sheetData><row r="2"><c r="A2" t="inlineStr"><is><t>r="D2" t="e" #NUM!'
        b'</t></is></c><c r="D2" t="e"><f>1/0</f><v>#DIV/0!</v></c></row></sheetData>'
        b"</worksheet>"
    )
    assert error_values(_zip(part), SHEET, ["D2"], Limits()) == {"D2": "#DIV/0!"}


def test_a_csv_cell_showing_an_excel_error_is_told_what_it_means() -> None:
    _, findings = validate_findings("fixtures/invalid/ost-excel-errors-as-text.csv")
    told = {f["value"]: f["message"] for f in findings if f["code"] == "error-cell"}
    assert "refers to cells that were deleted" in told["#REF!"]
    assert "divides by zero" in told["#DIV/0!"]


def test_every_error_excel_writes_has_a_meaning() -> None:
    for error in EXCEL_ERRORS:
        assert error_meaning(error) == (error, error_meaning(error)[1])  # type: ignore[index]
    assert error_meaning("#ref!") is None
    assert error_meaning(" #REF!") is None


def _zip(part: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(SHEET, part)
    return out.getvalue()


_PIECES = st.sampled_from(
    [
        b'<c r="D2" t="e">',
        b'<c r="D2">',
        b"<c ",
        b'r="D2"',
        b"</c>",
        b"<v>",
        b"</v>",
        b"<f>1/0</f>",
        b"#REF!",
        b"#DIV/0!",
        b"P-7F3A91C2",
        b"<!DOCTYPE x>",
        b"&amp;",
        b'<x:c r="D2" t="e">',
        b"\x00\xff",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=24))
def test_the_lookup_never_fails_and_says_only_excels_own_errors(pieces: list[bytes]) -> None:
    found = error_values(_zip(b"".join(pieces)), SHEET, ["D2"], Limits())
    assert set(found) <= {"D2"}
    assert set(found.values()) <= set(EXCEL_ERRORS)


def test_thousands_of_error_cells_are_each_named(tmp_path: Path) -> None:
    """Every error cell of a sheet with thousands of them is named with its own error, in one
    pass over the sheet (not one search of it per cell)."""
    path = tmp_path / "ost.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("ost")
    sheet.write_row(0, 0, OST_HEADER)
    errors = ["#DIV/0!", "#REF!", "#N/A"]
    for row in range(1, 3001):
        sheet.write_row(row, 0, ["Fife", "2023/24 Q1", 1480, 520, 160, 0, 0])
        sheet.write_formula(row, 7, "=C2/0", None, errors[row % 3])
    book.close()
    _, findings = validate_findings(path)
    told = {f["cell"]: f["message"] for f in findings if f["code"] == "error-cell"}
    assert len(told) == 3000
    assert all(f"Excel error {errors[(int(c[1:]) - 1) % 3]} " in m for c, m in told.items())


def test_a_medication_cell_showing_an_error_is_not_also_a_total_mismatch(tmp_path: Path) -> None:
    """`other` showing #NAME? reads as blank, which the total check counts as 0: the total is
    then not told as wrong (the officer would "fix" it); a real mismatch on another row is."""
    path = tmp_path / "ost.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("ost")
    sheet.write_row(0, 0, OST_HEADER)
    sheet.write_row(1, 0, ["Dundee", "2024/25 Q1", 1, 1, 1, 1])
    sheet.write_formula(1, 6, "=FOO()", None, "#NAME?")
    sheet.write_number(1, 7, 5)
    sheet.write_row(2, 0, ["Angus", "2024/25 Q1", 1, 1, 1, 1, 0, 9])
    book.close()
    _, findings = validate_findings(path)
    by_row = sorted((f["row"], f["code"]) for f in findings)
    assert by_row == [(2, "error-cell"), (3, "total-mismatch")]


def test_a_csv_medication_cell_showing_an_error_is_not_also_a_total_mismatch(
    tmp_path: Path,
) -> None:
    path = tmp_path / "ost.csv"
    path.write_text(",".join(OST_HEADER) + "\nDundee,2024/25 Q1,1,1,1,1,#NAME?,5\n")
    _, findings = validate_findings(path)
    assert [f["code"] for f in findings] == ["error-cell"]


_CELL = b'<c r="D2" t="e"><f>1/0</f><v>#DIV/0!</v></c>'


@pytest.mark.parametrize(
    ("part", "expected"),
    [
        # The cell's own element, in the sheet's data.
        (b"<worksheet><sheetData><row>" + _CELL + b"</row></sheetData></worksheet>", "#DIV/0!"),
        # A lookalike in the sheet's properties, before its data, is not the cell.
        (
            b'<worksheet><sheetPr><c r="D2" t="e"><v>#NUM!</v></c></sheetPr><sheetData><row>'
            + _CELL
            + b"</row></sheetData></worksheet>",
            "#DIV/0!",
        ),
        # A lookalike in a comment, CDATA or a processing instruction: none is taken at its word.
        (
            b'<worksheet><sheetData><!-- <c r="D2" t="e"><v>#NUM!</v></c> --><row>'
            + _CELL
            + b"</row></sheetData></worksheet>",
            None,
        ),
        (
            b"<worksheet><sheetData><?x "
            + _CELL.replace(b"DIV/0!", b"NUM!")
            + b"?><row>"
            + _CELL
            + b"</row></sheetData></worksheet>",
            None,
        ),
        # The same cell twice, showing two errors: which one Excel shows is not known.
        (
            b"<worksheet><sheetData><row>"
            + _CELL
            + _CELL.replace(b"#DIV/0!", b"#REF!")
            + b"</row></sheetData></worksheet>",
            None,
        ),
        # A prefixed sheet: its cells are not found by the search, and are told generally.
        (
            b'<x:worksheet xmlns:x="s"><x:sheetData><x:row><x:c r="D2" t="e"><x:v>#REF!</x:v>'
            b"</x:c></x:row></x:sheetData></x:worksheet>",
            None,
        ),
    ],
)
def test_only_the_cells_own_element_names_its_error(part: bytes, expected: str | None) -> None:
    found = error_values(_zip(b'<?xml version="1.0"?>' + part), SHEET, ["D2"], Limits())
    assert found.get("D2") == expected


def test_a_cell_of_a_prefixed_sheet_with_many_errors_is_looked_up_in_one_pass() -> None:
    """Ten thousand error cells of a sheet whose elements are prefixed (`<x:c>`, as the .NET
    OpenXML SDK writes them) are told in general words (each search stays within a cell's
    reach: run to the end of the chunk for each of them, this took minutes)."""
    cells = b"".join(b'<x:c r="H%d" t="e"><x:v>#N/A</x:v></x:c>' % row for row in range(2, 10_002))
    part = b'<x:worksheet xmlns:x="s"><x:sheetData>' + cells + b"</x:sheetData></x:worksheet>"
    found = error_values(_zip(part), SHEET, [f"H{row}" for row in range(2, 10_002)], Limits())
    assert found == {}


def test_a_header_cell_showing_an_error_is_told_as_one(tmp_path: Path) -> None:
    """Found by an attack: B1 showing #REF! was told as `period` missing and an extra cell on
    every row, never as the error the officer sees in it. It is told first, at B1."""
    path = tmp_path / "ost.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("ost")
    sheet.write_row(0, 0, OST_HEADER)
    sheet.write_formula(0, 1, "=#REF!", None, "#REF!")
    sheet.write_row(1, 0, ["Fife", "2023/24 Q1", 1480, 520, 160, 0, 0, 2160])
    book.close()
    from .workbooks import saved_by_excel

    _, findings = validate_findings(saved_by_excel(path))
    told = [f for f in findings if f["code"] == "error-cell"]
    assert [(f["cell"], f["row"]) for f in told] == [("B1", 1)]
    assert told[0]["message"].startswith("the header cell B1 shows the Excel error #REF!")
    assert told[0]["hint"].startswith("Type the column's name in the cell")
