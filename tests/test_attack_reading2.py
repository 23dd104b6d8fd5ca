"""Attacks on the reading and checking changes after a0bf1ce (cell codes, CSV header read on its
own, Excel categoricals, threaded workbook guard): each test states what should hold."""

from __future__ import annotations

import zipfile
from pathlib import Path

from typer.testing import CliRunner

from mission.cli.app import app

from .officer_tools import validate_findings, validate_report

OST = "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total"
EPISODES = (
    "adp,person_id,referral_date,treatment_start_date,referral_source,substance,treatment_type"
)


def test_notes_block_does_not_take_the_data_rows_adp_suggestions(tmp_path: Path) -> None:
    """A notes block below the data (set aside, told as one `notes-block` note) must not change
    what the data rows are told: a misspelt ADP still gets its 'Did you mean' hint."""
    lines = [OST, "Fyfe,2024/25 Q1,10,2,1,0,0,13", "Dundee Cty,2024/25 Q1,5,1,1,0,0,7"]
    lines += [f"Note {i}: see guidance" for i in range(3000)]
    path = tmp_path / "ost.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, findings = validate_findings(str(path))
    hints = {f["row"]: f["hint"] for f in findings if f["code"] == "unknown-adp"}
    assert hints == {2: "Did you mean 'Fife'?", 3: "Did you mean 'Dundee City'?"}


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="ost" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def _workbook(path: Path, sheet_data: str) -> None:
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{sheet_data}</sheetData></worksheet>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES)
        book.writestr("_rels/.rels", _RELS)
        book.writestr("xl/workbook.xml", _WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        book.writestr("xl/worksheets/sheet1.xml", sheet)


def test_sheet_broken_early_is_refused_as_broken_whatever_follows(tmp_path: Path) -> None:
    """The bulk reading never changes what is refused or why: a sheet whose XML breaks in its
    first megabyte is refused as not well-formed (as element by element), even when the bytes
    after the break would inflate past the zip-bomb ratio."""
    cells = "".join(
        f'<c r="{letter}1" t="inlineStr"><is><t>{name}</t></is></c>'
        for letter, name in zip("ABCDEFGH", OST.split(","), strict=True)
    )
    broken = '<row r="2"><c r=A2><v>1</v></c></row>'  # an unquoted attribute: not XML
    padding = '<row r="3"/>' * 1_100_000  # ~14 MB that deflates to a few KB
    path = tmp_path / "ost.xlsx"
    _workbook(path, f'<row r="1">{cells}</row>{broken}{padding}')
    _, findings = validate_findings(str(path))
    messages = [f["message"] for f in findings if f["code"] == "could-not-read"]
    assert len(messages) == 1
    assert "not well-formed" in messages[0], messages


def test_person_id_in_a_header_near_a_column_name_is_never_echoed(tmp_path: Path) -> None:
    """A person's id in an episodes return's header cell is never shown, even when the rest of
    the cell is (nearly) a contract column's name."""
    path = tmp_path / "episodes.csv"
    path.write_text(
        f"{EPISODES},substance P0012345\nFife,X0000001,2024-04-02,2024-04-03,self,drugs,ost,\n",
        encoding="utf-8",
    )
    for fmt in ("json", "text", "sarif"):
        result = CliRunner().invoke(app, ["validate", str(path), "--format", fmt])
        assert result.exit_code in (0, 1)
        assert "0012345" not in result.stdout, fmt


def test_stray_quote_in_header_is_told_not_called_empty(tmp_path: Path) -> None:
    """A header with a stray quote is reported as that quote (row 1, its column), never as a
    file that 'holds no rows' when it holds a header and two rows."""
    path = tmp_path / "ost.csv"
    path.write_text(
        'adp,per"iod,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total\n'
        "Fife,2024/25 Q1,10,2,1,0,0,13\nDundee City,2024/25 Q1,5,1,1,0,0,7\n",
        encoding="utf-8",
    )
    _, findings = validate_findings(str(path))
    codes = {f["code"] for f in findings}
    assert "empty-file" not in codes
    assert any(f["row"] == 1 and f["code"] == "could-not-read" for f in findings)


def test_line_separator_in_a_title_row_does_not_hide_the_header(tmp_path: Path) -> None:
    """A title row holding a U+2028 line separator is one title row: the header below it is
    still found and the return reads as episodes (the title is skipped, the rows kept)."""
    path = tmp_path / "episodes.csv"
    path.write_text(
        "Episodes return\u2028Fife\n"
        f"{EPISODES}\n"
        "Fife,X0000001,2024-04-02,2024-04-03,self,drugs,ost\n"
        "Fife,X0000002,2024-04-03,2024-04-04,gp,drugs,ost\n",
        encoding="utf-8",
    )
    result, report = validate_report(str(path))
    assert report["files"][0]["kind"] == "episodes"
    assert report["files"][0]["rows"] == 2
    assert result.exit_code == 0


def test_stray_quote_column_counts_cells_before_a_quoted_line_break(tmp_path: Path) -> None:
    """A stray quote's column counts every cell of its row, including those before a quoted
    line break earlier in the same row (here the quote is in column C, methadone)."""
    path = tmp_path / "ost.csv"
    path.write_text(
        f'{OST}\nFife,2024/25 Q1,10,2,1,0,0,13\nFife,"2024/25\nQ2",1"1,1,1,0,0,3\n',
        encoding="utf-8",
    )
    _, findings = validate_findings(str(path))
    unreadable = [f for f in findings if f["code"] == "could-not-read"]
    assert len(unreadable) == 1
    assert "column C (methadone)" in unreadable[0]["message"], unreadable[0]["message"]


def test_excel_error_text_in_an_episodes_choice_reads_as_a_sentence(tmp_path: Path) -> None:
    """An Excel error shown in an episodes return's choice column is told in words that read
    (the error's name, or a sentence without it), never 'the Excel error the value in this
    cell'."""
    path = tmp_path / "episodes.csv"
    path.write_text(
        f"{EPISODES}\nFife,X0000001,2024-04-02,2024-04-03,#N/A,drugs,ost\n", encoding="utf-8"
    )
    _, findings = validate_findings(str(path))
    errors = [f for f in findings if f["code"] == "error-cell"]
    assert len(errors) == 1
    assert "Excel error the value in this cell" not in errors[0]["message"], errors[0]["message"]
