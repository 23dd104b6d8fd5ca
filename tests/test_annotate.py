"""Annotated workbooks: the officer's own return back, each finding filled and commented at its
cell, listed on a first sheet with links; the original never changed."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter

from mission.annotate import InvalidAnnotation, annotate_return
from mission.findings import Severity
from mission.report import FileReport
from mission.validation import validate

from .conftest import INVALID, VALID
from .workbooks import saved_by_excel

TODAY = dt.date(2026, 11, 25)
OST_HEADER = ["adp", "period", "methadone", "buprenorphine_oral", "buprenorphine_depot"]
OST_HEADER += ["diamorphine", "other", "total"]
FILL = {Severity.ERROR: "D9534F", Severity.WARNING: "FFC000", Severity.INFO: "9DC3E6"}


def _checked(path: Path) -> FileReport:
    report = validate(path, today=TODAY)
    assert len(report.files) == 1
    return report.files[0]


def _annotated(path: Path, out: Path) -> tuple[FileReport, Any]:
    """Validate `path`, annotate it to `out`, and open the copy."""
    report = _checked(path)
    annotate_return(path, report, out)
    return report, openpyxl.load_workbook(out)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _rows(sheet: Any) -> list[tuple[Any, ...]]:
    return [r for r in sheet.iter_rows(min_row=4, values_only=True) if any(r)]


def _luminance(rgb: str) -> float:
    red, green, blue = (int(rgb[-6:][i : i + 2], 16) for i in (0, 2, 4))
    return 0.299 * red + 0.587 * green + 0.114 * blue


def _officer_workbook(path: Path) -> None:
    """A workbook as an officer keeps it: a title, a formula, formats, a comment, a second
    sheet, a chart and a picture, and a text box that openpyxl cannot keep."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("ost")
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0"})
    sheet.write(0, 0, "Fife ADP: OST census", bold)
    sheet.write_row(2, 0, OST_HEADER, bold)
    sheet.write_row(3, 0, ["Fife", "2024/25 Q1"])
    sheet.write_row(3, 2, [1200, 640, 210, 0, 10], money)
    sheet.write_formula(3, 7, "=SUM(C4:G4)", money, 2060)
    sheet.write_row(4, 0, ["Angus", "Q1 24/25", 410, 120, 0, 0, 0, 531])
    sheet.write_comment(4, 7, "Checked with the pharmacy team")
    sheet.set_column(0, 0, 28)
    sheet.insert_textbox(8, 1, "Sent by the ADP lead")
    chart = book.add_chart({"type": "column"})
    chart.add_series({"values": "=ost!$C$4:$C$5"})
    sheet.insert_chart(12, 1, chart)
    notes = book.add_worksheet("notes")
    notes.write(0, 0, "Figures are provisional until the board signs them off.")
    book.close()
    saved_by_excel(path)  # as the officer's Excel saved it: the formula's value is its own


def test_workbook_cells_are_filled_commented_and_linked(tmp_path: Path) -> None:
    """Each finding's cell has its severity's fill and a comment; the first sheet links to it."""
    source = tmp_path / "ost.xlsx"
    shutil.copy(INVALID / "ost-formulas-not-calculated.xlsx", source)
    before = _digest(source)
    report, book = _annotated(source, tmp_path / "ost-checked.xlsx")
    assert _digest(source) == before
    assert book.sheetnames == ["Findings", "ost"]
    assert book.active.title == "Findings"
    sheet = book["ost"]
    for cell, code, verb in (
        ("H2", "formula-without-value", "holds"),
        ("E3", "error-cell", "shows"),
    ):
        assert sheet[cell].fill.fgColor.rgb.endswith(FILL[Severity.ERROR])
        assert sheet[cell].fill.patternType == "solid"
        assert sheet[cell].comment.text.startswith(f"Error ({code}): cell {cell} {verb}")
        assert "\nFix: " in sheet[cell].comment.text
    assert sheet["H2"].value == "=SUM(C2:G2)"
    assert sheet["A2"].fill.patternType is None
    rows = _rows(book["Findings"])
    assert [(r[0], r[1], r[7]) for r in rows] == [
        ("Error", "ost!H2", "formula-without-value"),
        ("Error", "ost!E3", "error-cell"),
    ]
    links = [book["Findings"].cell(row, 2).hyperlink for row in (4, 5)]
    assert [link.location for link in links] == ["'ost'!H2", "'ost'!E3"]
    assert len(rows) == len(report.findings)


def test_officers_workbook_survives_and_what_is_lost_is_said(tmp_path: Path) -> None:
    """Formulas, formats, comments, other sheets and charts survive; a text box is said lost."""
    source = tmp_path / "fife-ost.xlsx"
    _officer_workbook(source)
    report = _checked(source)
    written = annotate_return(source, report, tmp_path / "checked.xlsx")
    assert written.lost == ("text boxes and shapes",)
    book = openpyxl.load_workbook(tmp_path / "checked.xlsx")
    assert book.sheetnames == ["Findings", "ost", "notes"]
    sheet = book["ost"]
    assert sheet["H4"].value == "=SUM(C4:G4)"
    assert sheet["C4"].number_format == "#,##0"
    assert sheet.column_dimensions["A"].width > 27
    assert sheet["A1"].font.bold
    assert len(sheet._charts) == 1
    assert book["notes"]["A1"].value.startswith("Figures are provisional")
    assert book.calculation.fullCalcOnLoad
    # The period typed wrong, and the total that no longer adds up, are marked where they are.
    assert sheet["B5"].comment.text.startswith("Error (invalid-period): 'Q1 24/25'")
    assert sheet["H5"].comment.text.startswith("Checked with the pharmacy team\n\nError (")
    assert {f.cell for f in report.findings if f.cell} == {"B5", "H5"}


def test_every_severity_has_its_own_fill_that_reads_in_greyscale(tmp_path: Path) -> None:
    """Errors dark, warnings light, notes striped: each cell takes its worst finding's fill."""
    source = tmp_path / "ost.csv"
    source.write_text(
        ",".join(OST_HEADER) + ",methadon\n"
        'Fife,2024/25 Q1,"1,200",640,210,0,10,2060,\n'
        "Fife,2024/25 Q2,100,640,210,0,10,961,\n"
    )
    report, book = _annotated(source, tmp_path / "checked.xlsx")
    sheet = book["ost"]
    by_cell: dict[str, Severity] = {}
    for f in report.findings:
        if f.cell:
            worst = by_cell.get(f.cell, Severity.INFO)
            by_cell[f.cell] = min(worst, f.severity, key=lambda s: s.rank)
    assert set(by_cell.values()) == set(Severity)
    for cell, severity in by_cell.items():
        assert sheet[cell].fill.fgColor.rgb.endswith(FILL[severity]), cell
    error = _luminance(FILL[Severity.ERROR])
    warning = _luminance(FILL[Severity.WARNING])
    assert warning - error > 60
    assert sheet[next(c for c, s in by_cell.items() if s is Severity.INFO)].fill.patternType == (
        "lightUp"
    )


def test_csv_becomes_a_workbook_with_cells_where_the_findings_say(tmp_path: Path) -> None:
    """A CSV's copy keeps its values as typed (a formula stays text) in the cells findings name."""
    source = tmp_path / "ost.csv"
    source.write_text(",".join(OST_HEADER) + "\nGlasgo,2024/25 Q1,=1+1,640,210,0,10,2060\n")
    report, book = _annotated(source, tmp_path / "checked.xlsx")
    sheet = book["ost"]
    assert [c.value for c in sheet[1]] == OST_HEADER
    assert sheet["A2"].value == "Glasgo"
    assert sheet["C2"].value == "=1+1" and sheet["C2"].data_type == "s"
    assert sheet["A2"].comment.text == (
        "Error (unknown-adp): 'Glasgo' is not a known ADP\nFix: Did you mean 'Glasgow City'?"
    )
    assert sheet.freeze_panes == "A2"
    assert {f.cell for f in report.findings} == {"A2", "C2"}


def test_a_csv_copy_holds_whole_numbers_as_numbers(tmp_path: Path) -> None:
    """Counts in the copy of a CSV are numbers (Excel sums them and flags none as "number stored
    as text"); a value Excel would show otherwise than typed (`007`, `+5`, `1,200`, `4.0`, a
    16-digit id) stays text."""
    source = tmp_path / "ost.csv"
    source.write_text(
        ",".join(OST_HEADER) + '\nFife,2024/25 Q1,007,+5,"1,200",4.0,1234567890123456,-3\n'
        "Fife,2024/25 Q2,10,20,30,40,0,100\n"
    )
    _, book = _annotated(source, tmp_path / "checked.xlsx")
    sheet = book["ost"]
    assert [sheet.cell(3, c).value for c in range(3, 9)] == [10, 20, 30, 40, 0, 100]
    assert [sheet.cell(2, c).value for c in range(3, 9)] == [
        "007", "+5", "1,200", "4.0", "1234567890123456", -3
    ]  # fmt: skip


def test_json_records_sit_one_row_below_their_header(tmp_path: Path) -> None:
    """JSON records are numbered from 1; in the copy record 1 is on row 2, under the header."""
    source = tmp_path / "deaths.json"
    source.write_text(
        '[{"adp": "Fife", "calendar_year": "23", "drug_misuse_deaths": 40},'
        ' {"adp": "Angus", "calendar_year": 2023, "drug_misuse_deaths": 12}]'
    )
    report, book = _annotated(source, tmp_path / "checked.xlsx")
    finding = next(f for f in report.findings if f.code == "invalid-calendar-year")
    assert (finding.row, finding.cell) == (1, "B1")
    sheet = book["deaths"]
    assert sheet["B1"].value == "calendar_year"
    assert sheet["B2"].comment.text.startswith("Error (invalid-calendar-year): '23'")
    row = _rows(book["Findings"])[0]
    assert (row[1], row[2]) == ("deaths!B2", "1")


def test_file_level_findings_are_only_listed(tmp_path: Path) -> None:
    """A finding about the whole file has no cell: it is listed, with no link and no mark."""
    source = tmp_path / "mat.csv"
    shutil.copy(VALID / "mat-windows-1252-semicolons.csv", source)
    _, book = _annotated(source, tmp_path / "checked.xlsx")
    rows = _rows(book["Findings"])
    assert [(r[1], r[7]) for r in rows] == [
        ("whole file", "non-utf8-encoding"),
        ("row 1", "delimiter-not-comma"),
    ]
    assert book["Findings"]["B4"].hyperlink is None
    assert book["Findings"]["B5"].hyperlink.location == "'mat'!A1"
    assert not any(c.comment for row in book["mat"].iter_rows() for c in row)


def test_person_ids_stay_in_the_data_but_never_in_what_mission_writes(tmp_path: Path) -> None:
    """Person ids are in the copy's data as typed, never in a comment or on the Findings sheet."""
    ids = ["P-SECRET-001", "P-SECRET-002", "X" * 70]
    source = tmp_path / "episodes.csv"
    source.write_text(
        "adp,person_id,referral_date,treatment_start_date,referral_source,substance,"
        "treatment_type\n"
        f"Fife,{ids[0]},2024-05-01,2024-05-03,gp,drugs,ost\n"
        f"Fife,{ids[0]},2024-05-01,,gp,drugs,\n"
        f"Fife,{ids[1]},2024-05-01,2024-04-03,police,drugs,ost\n"
        f"Fife,{ids[2]},2024-05-01,,family,drugs,\n"
    )
    report, book = _annotated(source, tmp_path / "checked.xlsx")
    assert {f.code for f in report.findings} >= {
        "duplicate-row",
        "start-before-referral",
        "text-too-long",
    }
    data = book["episodes"]
    assert [data.cell(r, 2).value for r in range(2, 6)] == [ids[0], ids[0], ids[1], ids[2]]
    written = [c.comment.text for row in data.iter_rows() for c in row if c.comment]
    written += [str(v) for row in book["Findings"].iter_rows(values_only=True) for v in row if v]
    assert written
    for text in written:
        assert not any(person in text for person in ids), text
    assert data["B5"].comment.text.startswith("Error (text-too-long): person_id is longer")


def test_refuses_to_overwrite_the_return(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """The return itself is never the output: refused with exit 2, the file unchanged."""
    source = tmp_path / "ost.xlsx"
    shutil.copy(INVALID / "ost-formulas-not-calculated.xlsx", source)
    before = _digest(source)
    with pytest.raises(InvalidAnnotation):
        annotate_return(source, _checked(source), source)
    result = cli("validate", source, "--annotate", source)
    assert result.exit_code == 2
    assert "is never changed" in result.stderr
    assert _digest(source) == before
    result = cli("validate", VALID, "--annotate", tmp_path / "out.xlsx")
    assert result.exit_code == 2
    assert not (tmp_path / "out.xlsx").exists()


def test_cli_writes_the_copy_and_keeps_the_verdict(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """`validate FILE --annotate OUT` writes OUT, says what it did, and exits as validation does."""
    out = tmp_path / "checked.xlsx"
    result = cli("validate", INVALID / "ost-total-mismatch.csv", "--annotate", out)
    assert result.exit_code == 1
    assert f"Wrote {out}" in result.stderr
    assert openpyxl.load_workbook(out)["ost"]["H3"].comment is not None


def test_an_unreadable_workbook_gets_the_findings_alone(tmp_path: Path) -> None:
    """A file the readers refused is never opened: the copy holds the Findings sheet only."""
    source = tmp_path / "ost.xlsx"
    shutil.copy(INVALID / "not-really-excel.xlsx", source)
    report = _checked(source)
    written = annotate_return(source, report, tmp_path / "checked.xlsx")
    book = openpyxl.load_workbook(tmp_path / "checked.xlsx")
    assert book.sheetnames == ["Findings"]
    assert [r[7] for r in _rows(book["Findings"])] == ["could-not-read"]
    assert written.marked_cells == 0


def test_a_return_too_big_to_copy_is_refused(tmp_path: Path) -> None:
    """Over a million cells the copy is refused with a pointer to the findings page."""
    source = tmp_path / "episodes.csv"
    rows = (f"Fife,P{i:07d},2024-05-01,,gp,drugs,\n" for i in range(150_000))
    source.write_text(
        "adp,person_id,referral_date,treatment_start_date,referral_source,substance,"
        "treatment_type\n" + "".join(rows)
    )
    with pytest.raises(InvalidAnnotation, match="use --format html"):
        annotate_return(source, _checked(source), tmp_path / "checked.xlsx")
    assert not (tmp_path / "checked.xlsx").exists()


def test_a_finding_inside_merged_cells_marks_the_merged_range(tmp_path: Path) -> None:
    """A finding at A3 of merged A2:A3 (one ADP over two rows) is marked on A2, the range's
    top-left cell, with a comment that names A3 and the range."""
    path = tmp_path / "ost.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "ost"
    sheet.append(OST_HEADER)
    sheet.append(["Fife", "2023/24 Q1", 1480, 520, 160, 0, None, 2160])
    sheet.append([None, "2023/24 Q2", 1466, 530, 181, 0, 3, 2180])
    sheet.merge_cells("A2:A3")
    book.save(path)
    report, copy = _annotated(path, tmp_path / "checked.xlsx")
    assert [f.cell for f in report.findings if f.code == "missing-value"] == ["A3"]
    comment = copy["ost"]["A2"].comment
    assert comment is not None
    assert "At A3 (merged into A2:A3)" in comment.text
    assert "ost!A3" in [row[1] for row in _rows(copy["Findings"])]
