"""Attacks on person-id withholding in other outputs, and its cost to officers (helper retyped3)."""

from __future__ import annotations

import csv

import openpyxl
from typer.testing import CliRunner

from mission.adps import all_adps
from mission.cli.app import app

EP = ["adp", "person_id", "referral_date", "treatment_start_date", "referral_source",
      "substance", "treatment_type"]  # fmt: skip
OST = ["adp", "period", "methadone", "buprenorphine_oral", "buprenorphine_depot",
       "diamorphine", "other", "total"]  # fmt: skip
MAT = ["adp", "year", "standard", "status", "numerical", "process", "experiential", "comment"]


def _write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def _numbered_episodes(path, n=40, extra=()):
    """An episodes return whose pseudonymised ids are numbered 1..n, as many extracts are."""
    rows = [["Fife", str(i), f"2024-04-{i % 27 + 1:02d}", "", "self", "drugs", ""]
            for i in range(1, n + 1)]  # fmt: skip
    _write(path, EP, [*rows, *extra])


def _validate_text(*paths):
    result = CliRunner().invoke(app, ["validate", *map(str, paths), "--format", "text"])
    assert result.exit_code in (0, 1), result.output
    return result.output


def _small_run(folder, source):
    folder.mkdir()
    _write(folder / "episodes.csv", EP, [["Fife", "P-7F3A91C2", "2024-04-02", "2024-04-03",
                                          "self", "drugs", "ost"]])  # fmt: skip
    names = [a.name for a in all_adps()]
    _write(folder / "population.csv", ["adp", "calendar_year", "population", "source"],
           [[n, 2023, 100000, source] for n in names])  # fmt: skip
    _write(folder / "deaths.csv", ["adp", "calendar_year", "drug_misuse_deaths"],
           [[n, 2023, 20] for n in names])  # fmt: skip


def _all_text(folder):
    return "\n".join(
        p.read_text("utf-8", errors="replace")
        for p in folder.rglob("*")
        if p.is_file() and p.suffix in {".html", ".md", ".csv", ".json"}
    )


def test_population_source_holding_a_person_id_is_not_published(tmp_path):
    """A person id of the run's episodes return typed into a population row's `source` is not printed in the national report."""
    _small_run(tmp_path / "in", "NRS mid-2023 estimates P-7F3A91C2")
    result = CliRunner().invoke(app, ["report", str(tmp_path / "in"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "7F3A91C2" not in _all_text(tmp_path / "out")


def test_population_source_holding_a_person_id_is_not_in_board_papers(tmp_path):
    """A person id typed into a population row's `source` is not printed in an ADP's board paper."""
    _small_run(tmp_path / "in", "NRS mid-2023 estimates P-7F3A91C2")
    args = ["report", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--adp", "Fife"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "7F3A91C2" not in _all_text(tmp_path / "out")


def test_sheet_name_holding_a_person_id_is_not_quoted(tmp_path):
    """A workbook whose first sheet is named after a person id of the run is not quoted by name in first-sheet-used."""
    _write(tmp_path / "episodes.csv", EP, [["Fife", "SCT0001234", "2024-04-02", "", "self",
                                            "drugs", ""]])  # fmt: skip
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "SCT0001234"
    ws.append(OST)
    ws.append(["Fife", "2023/24 Q1", 1, 1, 1, 1, 0, 4])
    wb.create_sheet("notes").append(["filled in by the team"])
    wb.save(tmp_path / "ost.xlsx")
    for fmt in ("text", "json", "sarif", "html", "junit", "github"):
        result = CliRunner().invoke(app, ["validate", str(tmp_path), "--format", fmt])
        assert "0001234" not in result.output, fmt


def test_start_before_referral_shows_well_formed_dates_beside_numbered_ids(tmp_path):
    """With numbered person ids in the run, start-before-referral still says both well-formed dates (as it did at 997800d)."""
    _numbered_episodes(tmp_path / "episodes.csv",
                       extra=[["Fife", "X1", "2024-03-05", "2024-03-01", "self", "drugs", "ost"]])  # fmt: skip
    line = next(x for x in _validate_text(tmp_path).splitlines() if "start-before-referral" in x)
    assert "2024-03-01" in line or "01/03/2024" in line, line
    assert "2024-03-05" in line or "05/03/2024" in line, line


def test_thousands_separator_message_still_says_something_when_withheld(tmp_path):
    """A thousands-separator note whose number is withheld still says what it found, not the bare words `the value in this cell`."""
    _numbered_episodes(tmp_path / "episodes.csv", n=1300)
    _write(tmp_path / "ost.csv", OST, [["Fife", "2023/24 Q1", "1,234", 0, 0, 0, 0, 1234]])
    line = next(x for x in _validate_text(tmp_path).splitlines() if "thousands-separator" in x)
    message = line.split("thousands-separator", 1)[1].strip()
    assert message != "the value in this cell", line


def test_missing_standard_does_not_call_the_standard_the_cells_value(tmp_path):
    """A missing MAT standard is not described as `the value in this cell` (the cell holds another standard)."""
    _numbered_episodes(tmp_path / "episodes.csv")
    rows = [["Fife", "2023/24", s, "green", "met", "met", "met", ""] for s in range(1, 11)]
    rows[1][2] = "MAT 11"
    _write(tmp_path / "mat.csv", MAT, rows)
    line = next(x for x in _validate_text(tmp_path).splitlines() if "missing-standard" in x)
    assert "the value in this cell" not in line, line
