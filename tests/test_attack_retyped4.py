"""Attacks on person-id withholding: date-shaped retypings, sheet names in reading errors (helper retyped4)."""

from __future__ import annotations

import csv

import openpyxl
import pytest
from typer.testing import CliRunner

from mission.adps import all_adps
from mission.cli.app import app

EP = ["adp", "person_id", "referral_date", "treatment_start_date", "referral_source",
      "substance", "treatment_type"]  # fmt: skip


def _write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def _validate_json(*paths):
    result = CliRunner().invoke(app, ["validate", *map(str, paths), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return result.output


@pytest.mark.parametrize(
    ("person_id", "typed"),
    [
        ("0101851234", "01 01 85 1234"),  # a ten-digit id typed in pairs, as a CHI often is
        ("0101851234", "0101 85 1234"),
        ("12345678", "1234 5678"),  # an eight-digit id typed in two halves
        ("12345678", "1234-5678"),
        ("12345", "12 345"),  # a numbered id with a space as thousands separator
    ],
)
def test_numbered_id_typed_with_spaces_into_a_date_cell_is_withheld(tmp_path, person_id, typed):
    """A numbered person id retyped with spaces or hyphens into a date cell, which no date reads as, is not quoted (997800d withheld it)."""
    _write(tmp_path / "episodes.csv", EP, [
        ["Fife", person_id, "2024-04-02", "", "self", "drugs", ""],
        ["Fife", "P-1", typed, "", "self", "drugs", ""],
    ])  # fmt: skip
    out = _validate_json(tmp_path / "episodes.csv")
    assert "invalid-date" in out
    assert typed not in out


def test_population_source_holding_a_retyped_numbered_id_is_not_published(tmp_path):
    """A person id of the run retyped in pairs of digits inside a population `source` is not printed in the report."""
    src = tmp_path / "in"
    src.mkdir()
    _write(src / "episodes.csv", EP, [["Fife", "0101851234", "2024-04-02", "2024-04-03", "self",
                                       "drugs", "ost"]])  # fmt: skip
    names = [a.name for a in all_adps()]
    _write(src / "population.csv", ["adp", "calendar_year", "population", "source"],
           [[n, 2023, 100000, "NRS 2023 estimates ref 01 01 85 1234"] for n in names])  # fmt: skip
    _write(src / "deaths.csv", ["adp", "calendar_year", "drug_misuse_deaths"],
           [[n, 2023, 20] for n in names])  # fmt: skip
    result = CliRunner().invoke(app, ["report", str(src), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    printed = "\n".join(
        p.read_text("utf-8", errors="replace")
        for p in (tmp_path / "out").rglob("*")
        if p.suffix in {".html", ".md", ".csv", ".json"}
    )
    assert "01 01 85 1234" not in printed


def test_empty_sheet_named_after_a_person_id_is_not_quoted(tmp_path):
    """A workbook whose only sheet is empty and named after a person id of the run does not quote that name in its empty-file finding."""
    _write(tmp_path / "episodes.csv", EP, [["Fife", "SCT0001234", "2024-04-02", "", "self",
                                            "drugs", ""]])  # fmt: skip
    wb = openpyxl.Workbook()
    wb.active.title = "SCT0001234"
    wb.save(tmp_path / "ost.xlsx")
    out = _validate_json(tmp_path / "episodes.csv", tmp_path / "ost.xlsx")
    assert "empty-file" in out
    assert "SCT0001234" not in out
