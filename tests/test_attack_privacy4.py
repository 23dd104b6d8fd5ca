"""Attack privacy4 (helper 81): a sheet's name is said only when it is made of what sheets of
returns are named with, so an id that names a hidden or unreadable sheet (whose ids are never
read) is not shown; a hint made from a withheld cell goes with it; the annotated copy names and
opens only what validation may show."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

import mission
from mission.cli.app import app
from mission.sheet_words import may_say_sheet

from .officer_tools import EPISODES_HEADER, OST_HEADER


@pytest.mark.parametrize(
    "name",
    ["ost", "Data", "Sheet1", "Cover", "OST Q1 2024/25", "Highland ADP", "2025Q1", "FY2024",
     "Notes (2)", "Glasgow City Q3", "Perth & Kinross", "---", "lists", "Qtr1", "OST census",
     "Methadone", "DRD 2023", "Stats", "Feuille1", "Q2 2025/26", "OST 2024-2025", "Q1 24-25",
     "Res Rehab", "2024/25", "Argyll and Bute"],
)  # fmt: skip
def test_names_sheets_are_given_are_said(name: str) -> None:
    assert may_say_sheet(name)


@pytest.mark.parametrize(
    "name",
    ["QBZXKW", "4821", "John Smith", "CHI 010190 1234", "P12345", "P-7F3A91C2", "AB12CD",
     "SCT0001234", "X9Y", "0101901234", "QQ 12 34 56 C", "AB-12-34", "31-05-1980", "2045",
     "H7", "AB", "2020", "ID 2020", "Angus Stirling", "2003-04-15", "12/05"],
)  # fmt: skip
def test_names_that_may_be_ids_are_not(name: str) -> None:
    assert not may_say_sheet(name)


def _cover_and_hidden(path: Path, hidden: str) -> None:
    """A visible cover sheet, and an episodes return on a hidden sheet named after its id."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Cover"
    book.active.append(["Return for Fife ADP"])
    data = book.create_sheet(hidden)
    data.append(EPISODES_HEADER)
    data.append(["Fife", hidden, dt.date(2024, 4, 2), None, "self", "drugs", None])
    data.sheet_state = "hidden"
    book.save(path)


def test_a_hidden_sheet_named_after_an_id_it_holds_is_never_named(tmp_path: Path) -> None:
    """Its ids are never read (a hidden sheet is not examined), so withholding by the run's ids
    cannot find them, and an id of letters alone was said by the rule for an id's shape: in
    every output and in the finding's `quotes`."""
    source = tmp_path / "return.xlsx"
    _cover_and_hidden(source, "QBZXKW")
    for form in ("text", "json", "sarif", "github"):
        result = CliRunner().invoke(app, ["validate", str(source), "--format", form])
        assert result.exit_code == 1, result.output
        assert "hidden-sheet-passed-over" in result.output
        assert "QBZXKW" not in result.output, form
    report = mission.validate(source)
    assert "QBZXKW" not in repr(dataclasses.asdict(report.files[0]))


def test_a_hint_made_from_a_withheld_cell_is_withheld_with_it(tmp_path: Path) -> None:
    """An OST adp cell `Orkny` is one of the run's person ids: the finding quotes it not, and
    its hint no longer says `Did you mean 'Orkney'?` (which spells most of the id back)."""
    episodes = ",".join(EPISODES_HEADER) + "\nFife,Orkny,2024-04-02,,self,drugs,\n"
    (tmp_path / "episodes.csv").write_text(episodes)
    ost = ",".join(OST_HEADER) + "\nOrkny,2024/25 Q1,10,0,0,0,0,10\n"
    (tmp_path / "ost.csv").write_text(ost)
    result = CliRunner().invoke(app, ["validate", str(tmp_path), "--format", "json"])
    assert result.exit_code == 1, result.output
    assert "unknown-adp" in result.output
    assert "Orkn" not in result.output


def test_the_annotated_copy_opens_on_the_sheet_read_never_a_hidden_one(tmp_path: Path) -> None:
    """With the read sheet's name withheld and no finding at a cell, the copy marked and linked
    the first sheet, a hidden one named after an id; now the visible one."""
    import openpyxl

    source = tmp_path / "return.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "QBZXKW"
    book.active.append(EPISODES_HEADER)
    book.active.sheet_state = "hidden"
    shown = book.create_sheet("Data")
    shown.append(["Return for Fife ADP"])
    book.active = 1
    book.save(source)
    copy = tmp_path / "copy.xlsx"
    result = CliRunner().invoke(app, ["validate", str(source), "--annotate", str(copy)])
    assert result.exit_code == 1, result.output
    findings = openpyxl.load_workbook(copy)["Findings"]
    links = [c.hyperlink.location for c in findings["B"] if c.hyperlink]
    assert links, "a finding links to the sheet read"
    assert not [link for link in links if "QBZXKW" in link]
