"""A hidden sheet named after the kind (last year's copy, put away) is never read in place of
the visible data: the visible sheets come first, and the hidden one is read, with a warning,
only when none of them holds a return."""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

import mission

HEADER = ["adp", "period", "methadone", "buprenorphine_oral", "buprenorphine_depot",
          "diamorphine", "other", "total"]  # fmt: skip


def _book(path: Path, sheets: list[tuple[str, list[list[object]], bool]]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    for name, rows, hidden in sheets:
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            sheet.write_row(r, 0, row)
        if hidden:
            sheet.hide()
    book.close()
    return path


OLD = [HEADER, ["Moray", "2023/24 Q3", 250, 70, 20, 0, 1, 341]]
NEW = [HEADER, ["Moray", "2024/25 Q1", 253, 73, 19, 0, 1, 999]]


def _told(report: mission.Report) -> list[tuple[str, str]]:
    return [(f.code, f.message) for f in report.findings]


def test_the_visible_sheet_is_read_before_a_hidden_one_named_after_the_kind(
    tmp_path: Path,
) -> None:
    path = _book(tmp_path / "ost.xlsx", [("Data", NEW, False), ("ost", OLD, True)])
    report = mission.validate(path)
    told = _told(report)
    # The visible sheet's mistake is found: its rows were the ones read.
    assert ("total-mismatch", "total is 999 but the medication columns add up to 346") in told
    assert any(
        code == "hidden-kind-sheet" and "'ost' is named after the kind but hidden" in message
        for code, message in told
    )
    assert all(f.sheet in (None, "Data") for f in report.findings)


def test_a_hidden_sheet_named_after_the_kind_is_read_when_no_visible_sheet_holds_a_return(
    tmp_path: Path,
) -> None:
    cover = [["Moray ADP quarterly return"], ["see the ost sheet"]]
    path = _book(tmp_path / "ost.xlsx", [("Cover", cover, False), ("ost", OLD, True)])
    report = mission.validate(path)
    assert report.files[0].rows == 1
    assert [f.code for f in report.findings] == ["hidden-kind-sheet"]
    assert "'ost' was read, though hidden" in report.findings[0].message


def test_a_visible_sheet_named_after_the_kind_is_read_without_a_word(tmp_path: Path) -> None:
    path = _book(tmp_path / "ost.xlsx", [("Notes", [["a note"]], False), ("ost", OLD, False)])
    report = mission.validate(path)
    assert report.valid and report.findings == ()
