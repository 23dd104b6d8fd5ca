"""Attacks from an ADP officer's deadline day, the reading part: messy workbooks and CSVs that
were read wrongly (shifted cells, hidden sheets, odd line endings, merged cells, zips that are
not Excel).

Every test here states the behaviour that should hold and failed on the code it was written
against. Inputs are built at test time in `tmp_path`.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import xlsxwriter

from .officer_tools import EPISODES_HEADER, OST_CSV, OST_HEADER, run, validate_findings

# --- wrong places -------------------------------------------------------------------------------


def test_an_empty_formula_cell_above_the_table_keeps_cell_references(tmp_path: Path) -> None:
    """A formula whose saved value is empty (`<v></v>`, as xlsxwriter and openpyxl write it) in
    A1, above a table that starts at B3, does not shift the row and cell of every finding: the
    bad value typed in D4 is reported at D4, and the annotated copy marks D4."""
    path = tmp_path / "ost.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("ost")
    sheet.write_formula("A1", '=IF(B4="","","Return for "&B4)', None, "")
    sheet.write_row(2, 1, OST_HEADER)
    sheet.write_row(3, 1, ["Fife", "2023/24 Q1", "bad", 520, 160, 0, None, 2160])
    book.close()
    _, findings = validate_findings(path)
    bad = [f for f in findings if f["code"] == "not-a-count"]
    assert [(f["row"], f["cell"]) for f in bad] == [(4, "D4")]
    copy = tmp_path / "checked.xlsx"
    run("validate", path, "--annotate", copy)
    marked = openpyxl.load_workbook(copy)["ost"]
    assert marked["D4"].comment is not None
    assert marked["C2"].comment is None


def test_annotate_survives_a_finding_inside_merged_cells(tmp_path: Path) -> None:
    """A workbook where the officer merged A2:A3 (one ADP over two rows) gets an annotated copy,
    the finding at A3 listed, not an internal error (exit 3)."""
    path = tmp_path / "ost.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "ost"
    sheet.append(OST_HEADER)
    sheet.append(["Fife", "2023/24 Q1", 1480, 520, 160, 0, None, 2160])
    sheet.append([None, "2023/24 Q2", 1466, 530, 181, 0, 3, 2180])
    sheet.merge_cells("A2:A3")
    book.save(path)
    copy = tmp_path / "checked.xlsx"
    result = run("validate", path, "--annotate", copy)
    assert result.exit_code in (0, 1), result.output
    assert copy.exists()


def test_a_header_below_thirty_rows_of_instructions_is_found_or_explained(
    tmp_path: Path,
) -> None:
    """On a sheet named 'ost' whose header sits under 32 rows of instructions, the bad value is
    reported at its cell, or the report says how far down the header may be; it is not blamed
    on row 1 as 'the header matches no kind of return'."""
    path = tmp_path / "ost.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "ost"
    for n in range(32):
        sheet.append([f"Instruction {n + 1}: fill in every row"])
    sheet.append(OST_HEADER)
    sheet.append(["Fife", "2023/24 Q1", "bad", 520, 160, 0, None, 2160])
    book.save(path)
    _, findings = validate_findings(path)
    at_cell = [f for f in findings if f.get("cell") == "C34" and f["code"] == "not-a-count"]
    explained = [f for f in findings if "30" in f["message"] or "30" in (f.get("hint") or "")]
    assert at_cell or explained, [f["message"][:80] for f in findings]


def test_a_byte_order_mark_in_an_excel_header_cell_is_ignored(tmp_path: Path) -> None:
    """A header cell '\ufeffadp' (a BOM carried into Excel by an import, invisible there) is
    read as adp, as a BOM at the start of a CSV is."""
    path = tmp_path / "ost.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "ost"
    sheet.append(["\ufeffadp", *OST_HEADER[1:]])
    sheet.append(["Fife", "2023/24 Q1", 1480, 520, 160, 0, None, 2160])
    book.save(path)
    result, findings = validate_findings(path)
    assert result.exit_code == 0, [f["message"] for f in findings]


# --- wrong numbers ------------------------------------------------------------------------------


def test_a_dot_thousands_separator_in_a_semicolon_file_is_not_read_as_units(
    tmp_path: Path,
) -> None:
    """In a semicolon-delimited CSV (the European-locale Excel export) a count written `1.000`
    is not silently read as 1: it gets a finding at its cell."""
    path = tmp_path / "ost.csv"
    header = ";".join(OST_HEADER)
    path.write_text(f"{header}\nFife;2023/24 Q1;1.000;0;0;0;;1.000\n")
    _, findings = validate_findings(path)
    assert any(f["row"] == 2 and f["column"] == "methadone" for f in findings)


# --- crashes that end in a report, but the wrong one --------------------------------------------


def test_an_excel_date_cell_with_a_time_is_a_date(tmp_path: Path) -> None:
    """An Excel date cell that also carries a time of day (shown as 02/04/2024) is read as the
    date, not refused as 'is not a date'."""
    path = tmp_path / "episodes.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("episodes")
    date = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, EPISODES_HEADER)
    sheet.write_row(1, 0, ["Fife", "P-1"])
    sheet.write_datetime(1, 2, dt.datetime(2024, 4, 2, 9, 30), date)
    sheet.write_datetime(1, 3, dt.datetime(2024, 4, 9, 14, 0), date)
    sheet.write_row(1, 4, ["self", "drugs", "ost"])
    book.close()
    result, findings = validate_findings(path)
    assert [f["code"] for f in findings] == []
    assert result.exit_code == 0


def test_an_error_cell_is_not_also_a_formula_without_value(tmp_path: Path) -> None:
    """A formula whose saved value is #REF! is one error-cell finding; it is not also told it
    'holds a formula but no saved value' (it has one: #REF!)."""
    path = tmp_path / "ost.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("ost")
    sheet.write_row(0, 0, OST_HEADER)
    sheet.write_row(1, 0, ["Fife", "2023/24 Q1", 1480, 520, 160, 0])
    sheet.write_formula(1, 7, "=SUM(C2:G2)", None, "#REF!")
    book.close()
    _, findings = validate_findings(path)
    at_h2 = sorted(f["code"] for f in findings if f.get("cell") == "H2")
    assert at_h2 == ["error-cell"]


def test_a_stray_quote_inside_a_field_names_its_row(tmp_path: Path) -> None:
    """A CSV whose comment holds a stray quote mid-field (`the "No11 hub`) gets a report that
    names the row, never the CSV library's internals (`row_offset`, `chunk`)."""
    rows = [f"Fife,2024/25,{n},green,met,met,met,fine" for n in range(1, 11)]
    rows[0] = 'Fife,2024/25,1,green,met,met,met,the "No11 hub'
    path = tmp_path / "mat.csv"
    path.write_text("adp,year,standard,status,numerical,process,experiential,comment\n")
    with path.open("a") as out:
        out.write("\n".join(rows) + "\n")
    result, findings = validate_findings(path)
    text = result.stdout
    assert "row_offset" not in text and "chunk" not in text
    assert any(f.get("row") == 2 for f in findings)


def test_a_stray_quote_after_a_lone_carriage_return_is_reported(tmp_path: Path) -> None:
    """A stray quote beside a lone CR (in a file of LFs) is reported at its row and cell (the
    lone CR ends a line, as in Excel: row 3 is blank, the quote is on row 4); finding its column
    once crashed the run (the CSV module refuses a CR mid-line)."""
    path = tmp_path / "ost.csv"
    path.write_bytes(b'adp,period,total\nFife,2023/24 Q1,5\n\rAngus;"; \r\n1\n')
    result, findings = validate_findings(path)
    assert result.exit_code == 1, result.output
    (problem,) = [f for f in findings if f["code"] == "could-not-read"]
    assert (problem["row"], problem["cell"]) == (4, "A4")


def test_an_ods_file_is_not_called_a_damaged_excel_file(tmp_path: Path) -> None:
    """A LibreOffice .ods spreadsheet is reported as an OpenDocument file to save as .xlsx or
    CSV, not as 'the Excel file is damaged'."""
    path = tmp_path / "ost.ods"
    with zipfile.ZipFile(path, "w") as ods:
        ods.writestr(
            "mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
        )
        ods.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
            'opendocument:xmlns:manifest:1.0"/>',
        )
        ods.writestr("content.xml", '<?xml version="1.0"?><office:document-content/>')
    _, findings = validate_findings(path)
    messages = " ".join(f["message"] for f in findings)
    assert "damaged" not in messages
    assert "OpenDocument" in messages or ".ods" in messages


def test_a_csv_with_old_mac_line_endings_is_not_called_header_only(tmp_path: Path) -> None:
    """A CSV saved with CR-only line endings (Excel for Mac's 'CSV (Macintosh)') is either read
    or refused for its line endings; it is never 'the header is there but no row holds data'."""
    path = tmp_path / "ost.csv"
    path.write_bytes(OST_CSV.replace("\n", "\r").encode())
    _, findings = validate_findings(path)
    assert "no-data-rows" not in [f["code"] for f in findings]


def test_a_hidden_first_sheet_is_not_read_instead_of_the_visible_data(tmp_path: Path) -> None:
    """With no sheet named after the kind, a hidden lookup sheet that comes first is not read in
    place of the one visible sheet that holds the return."""
    path = tmp_path / "return.xlsx"
    book = openpyxl.Workbook()
    lookup = book.active
    lookup.title = "lookup"
    lookup.append(["code", "name"])
    lookup.sheet_state = "hidden"
    data = book.create_sheet("Data")
    data.append(OST_HEADER)
    data.append(["Fife", "2023/24 Q1", 1480, 520, 160, 0, None, 2160])
    book.save(path)
    result, findings = validate_findings(path)
    assert result.exit_code == 0, [f["message"] for f in findings]


def test_an_annotated_copy_validates_as_the_return_it_copies(tmp_path: Path) -> None:
    """Validating the annotated copy of a workbook whose data sheet is 'Sheet1' reads that
    sheet, not mission's own Findings sheet (which the copy puts first)."""
    path = tmp_path / "return.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(OST_HEADER)
    sheet.append(["Fife", "2023/24 Q1", "bad", 520, 160, 0, None, 2160])
    book.save(path)
    copy = tmp_path / "checked.xlsx"
    run("validate", path, "--annotate", copy)
    _, original = validate_findings(path)
    _, again = validate_findings(copy)
    assert [f["code"] for f in again if f["severity"] == "error"] == [
        f["code"] for f in original if f["severity"] == "error"
    ]
