"""Checked rows are held as codes until someone asks for text: one copy of a file per run."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import xlsxwriter

from mission.checking import check_files

from .officer_tools import OST_CSV, OST_HEADER, validate_findings

EPISODES = Path(__file__).parent.parent / "fixtures" / "valid" / "episodes.csv"


def test_the_checks_read_codes_and_callers_get_text() -> None:
    """A CSV's ADP codes and choices are categoricals in `coded` and text in `frame`."""
    (checked,) = check_files(EPISODES)
    assert checked.coded is not None and checked.frame is not None
    assert checked.coded.schema["adp"] == pl.Categorical
    assert checked.coded.schema["treatment_type"] == pl.Categorical
    assert checked.frame.schema["adp"] == pl.String
    assert checked.frame.schema["treatment_type"] == pl.String
    assert checked.frame.equals(checked.coded.with_columns(pl.col(pl.Categorical).cast(pl.String)))


def test_text_is_made_only_when_asked_for() -> None:
    """Checking a file does not build its text copy; the first `frame` does, and keeps it."""
    (checked,) = check_files(EPISODES)
    assert "frame" not in vars(checked)
    first = checked.frame
    assert vars(checked)["frame"] is first
    assert checked.frame is first


def test_a_csv_and_a_workbook_with_one_key_are_both_told(tmp_path: Path) -> None:
    """One run of a CSV (codes) and a workbook (text) of the same ADP and quarter reports the
    repeat in both files: the cross-file rules compare the two as text."""
    csv = tmp_path / "ost-fife.csv"
    csv.write_text(OST_CSV, encoding="utf-8")
    book_path = tmp_path / "ost-fife.xlsx"
    book = xlsxwriter.Workbook(str(book_path))
    sheet = book.add_worksheet("ost")
    sheet.write_row(0, 0, OST_HEADER)
    sheet.write_row(1, 0, ["Fife", "2023/24 Q1", 1480, 520, 160, 0, None, 2160])
    book.close()
    _, findings = validate_findings(csv, book_path)
    repeats = sorted(
        Path(f["file"]).name for f in findings if f["code"] == "duplicate-across-files"
    )
    assert repeats == ["ost-fife.csv", "ost-fife.xlsx"]


def test_measures_of_a_csv_and_a_workbook_are_the_measures_of_both(tmp_path: Path) -> None:
    """Episodes split between a CSV (codes) and a workbook (text) measure as the whole file does."""
    from mission.measures import measure_files

    lines = EPISODES.read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], lines[1:]
    half = len(rows) // 2
    csv = tmp_path / "episodes-a.csv"
    csv.write_text("\n".join([header, *rows[:half]]) + "\n", encoding="utf-8")
    book_path = tmp_path / "episodes-b.xlsx"
    book = xlsxwriter.Workbook(str(book_path))
    sheet = book.add_worksheet("episodes")
    sheet.write_row(0, 0, header.split(","))
    for number, line in enumerate(rows[half:], start=1):
        sheet.write_row(number, 0, [cell if cell else None for cell in line.split(",")])
    book.close()
    assert measure_files([csv, book_path]).equals(measure_files([EPISODES]))


def test_a_columns_categories_are_what_its_rows_hold(tmp_path: Path) -> None:
    """A CSV's coded columns carry categories of their own, which parsing reads as the distinct
    values: never the header's, nor a notes block's once it is set aside, so nothing is parsed
    (or said) about a value no row holds."""
    from mission.cell_codes import read_values
    from mission.readers import read_table

    path = tmp_path / "ost-fife.csv"
    path.write_text(OST_CSV + "\nSource: Nowhere Shire council\n", encoding="utf-8")
    table = read_table(path)
    assert table.frame is not None
    values = read_values(table.frame["c0"])
    assert values is not None
    assert values.to_list() == ["Fife"]
    _, findings = validate_findings(path)
    assert [f["code"] for f in findings] == ["notes-block"]


def test_a_column_not_read_as_codes_is_searched_for_its_values() -> None:
    """A categorical made elsewhere (global categories, shared by every frame in the process)
    does not stand for its column's values."""
    from mission.cell_codes import read_values

    assert read_values(pl.Series(["Fife", "Angus"]).cast(pl.Categorical)) is None
    assert read_values(pl.Series(["Fife"])) is None
