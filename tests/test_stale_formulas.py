"""A workbook written by a program (xlsxwriter, and pandas through it) saves 0 as every
formula's value and asks Excel to work the formulas out again when it is opened
(`fullCalcOnLoad`): the officer sees the true figure, the file holds 0. Found by an attack: a
deaths return whose cell was `=40+50` was valid and stored as 0. Such a formula's value is now
an error (`formula-value-unsure`); once Excel has saved the workbook, it is read as saved."""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

from tests.officer_tools import run, validate_findings
from tests.workbooks import saved_by_excel

_HEADER = ["adp", "calendar_year", "drug_misuse_deaths"]


def _deaths(path: Path, formula: str | None, saved: int | None = None) -> Path:
    """A deaths return by xlsxwriter: Fife's count a formula (with `saved` as its value, else
    xlsxwriter's 0), Angus's typed."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("deaths")
    sheet.write_row(0, 0, _HEADER)
    sheet.write_row(1, 0, ["Fife", 2023])
    if formula is None:
        sheet.write_number(1, 2, 90)
    else:
        sheet.write_formula(1, 2, formula, None, saved if saved is not None else 0)
    sheet.write_row(2, 0, ["Angus", 2023, 12])
    book.close()
    return path


def test_a_formula_saved_by_a_program_that_asks_excel_to_recalculate_is_refused(
    tmp_path: Path,
) -> None:
    path = _deaths(tmp_path / "deaths.xlsx", "=40+50")
    result, findings = validate_findings(path)
    assert result.exit_code == 1
    told = [(f["code"], f["cell"], f["severity"]) for f in findings]
    assert told == [("formula-value-unsure", "C2", "error")]
    assert "asks Excel to work its formulas out again" in findings[0]["message"]
    store = tmp_path / "store.sqlite"
    assert run("submit", path, "--store", store).exit_code == 1  # never stored as 0


def test_once_excel_has_saved_it_the_formulas_value_is_read(tmp_path: Path) -> None:
    path = saved_by_excel(_deaths(tmp_path / "deaths.xlsx", "=40+50", saved=90))
    result, findings = validate_findings(path)
    assert result.exit_code == 0, findings
    out = tmp_path / "deaths.csv"
    store = tmp_path / "store.sqlite"
    assert run("submit", path, "--store", store).exit_code == 0
    assert run("export", "--kind", "deaths", "--store", store, "-o", out).exit_code == 0
    assert "fife,2023,90" in out.read_text()


def test_a_program_written_workbook_without_formulas_is_read_as_it_is(tmp_path: Path) -> None:
    """Typed values are what they are, whatever the workbook asks of Excel."""
    result, findings = validate_findings(_deaths(tmp_path / "deaths.xlsx", None))
    assert result.exit_code == 0 and findings == []


def test_formulas_no_check_reads_are_not_told(tmp_path: Path) -> None:
    """Found by an attack: a formula in a notes row below the data, or in a column of no
    contract's, made the file invalid though no check reads it."""
    path = tmp_path / "deaths.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("deaths")
    sheet.write_row(0, 0, [*_HEADER, "check"])
    sheet.write_row(1, 0, ["Fife", 2023, 90])
    sheet.write_formula(1, 3, '=IF(C2>0,"ok","check")', None, "ok")
    sheet.write_formula(3, 0, '="Generated "&TEXT(TODAY(),"dd/mm/yyyy")', None, "Generated")
    book.close()
    result, findings = validate_findings(path)
    assert result.exit_code == 0, findings
    assert "formula-value-unsure" not in {f["code"] for f in findings}
