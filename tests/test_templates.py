"""Templates: ready to fill, and a filled-in template validates."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from mission.kinds import kinds
from mission.templates import template_rows, write_template
from mission.validation import validate

FILL = {"count": "7", "date": "2024-05-02"}


def _fill(kind: str, row: dict[str, str]) -> dict[str, str]:
    """Fill every blank figure with a plausible value."""
    from mission.columns import ColumnType
    from mission.kinds import kind_spec

    spec = kind_spec(kind)
    filled = dict(row)
    for column in spec.columns:
        if filled.get(column.name):
            continue
        if column.type is ColumnType.COUNT:
            filled[column.name] = "7"
        elif column.type is ColumnType.CHOICE and column.required:
            filled[column.name] = column.choices[0]
    if kind == "ost":
        filled["other"] = "0"
        filled["total"] = "28"
    return filled


@pytest.mark.parametrize("kind", ["ost", "rehab", "naloxone", "mat", "deaths"])
def test_filled_csv_template_validates(tmp_path: Path, kind: str) -> None:
    """A CSV template for an ADP and period, with its figures filled in, is a valid return."""
    path = write_template(kind, tmp_path / f"{kind}.csv", "csv", "Glasgow City", "2024/25 Q1")
    with path.open() as stream:
        rows = list(csv.DictReader(stream))
    assert rows, "the rows to fill are laid out"
    filled = [_fill(kind, r) for r in rows]
    if kind == "deaths":
        filled = [{**r, "calendar_year": "2023"} for r in filled]
    with path.open("w", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(filled)
    report = validate(path)
    assert report.valid, [f.message for f in report.findings]


def test_layout_of_rows() -> None:
    """The pre-filled rows follow the key: one per funding source, supply×kit, or standard."""
    assert len(template_rows("rehab", "fife", "2024/25 Q1")) == 7
    assert len(template_rows("naloxone", "fife", "2024/25 Q1")) == 12
    mat = template_rows("mat", "fife", "2024/25 Q3")
    assert [r["standard"] for r in mat] == [str(n) for n in range(1, 11)]
    assert {r["year"] for r in mat} == {"2024/25"}
    assert template_rows("ost") == []


def test_excel_template_has_header_lists_and_notes(tmp_path: Path) -> None:
    """The Excel template has a frozen header, drop-downs and a notes sheet; filled, it validates."""
    path = write_template("naloxone", tmp_path / "naloxone.xlsx", "xlsx", "Fife", "2024/25 Q1")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["naloxone", "lists", "notes"]
    sheet = book["naloxone"]
    assert sheet.freeze_panes == "A2"
    validated = {str(v.sqref).split(":")[0] for v in sheet.data_validations.dataValidation}
    assert {"A2", "C2", "D2"} <= validated
    assert book["notes"].cell(2, 1).value == "adp"
    for row in sheet.iter_rows(min_row=2, max_row=sheet.max_row):
        row[4].value = 3
        row[5].value = 1
    book.save(path)
    report = validate(path)
    assert report.valid, [f.message for f in report.findings]


@pytest.mark.parametrize("kind", [k.name for k in kinds()])
def test_blank_templates_have_the_contract_header(tmp_path: Path, kind: str) -> None:
    """A blank template's header is the contract's column list, in order."""
    path = write_template(kind, tmp_path / f"{kind}.csv")
    from mission.kinds import kind_spec

    assert path.read_text().splitlines()[0] == ",".join(kind_spec(kind).names)
