"""Attacks on the vocabulary rule for quoting cells of episodes returns (helper vocab)."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from mission.cli.app import app

from .officer_tools import EPISODES_HEADER as HEADER


def _episodes(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        w.writerows(rows)


def _report(*paths) -> str:
    result = CliRunner().invoke(app, ["validate", *map(str, paths), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return result.output


@pytest.mark.parametrize(
    ("pid", "row"),
    [
        ("FyFe", ["Fyfe", "2024-01-02", "", "self", "drugs", ""]),  # mixed case, ADP cell
        ("GlasGo", ["Glasgo", "2024-01-02", "", "self", "drugs", ""]),
        ("GpS", ["Fife", "2024-01-02", "", "gpS", "drugs", ""]),  # near choice
        ("gPss", ["Fife", "2024-01-02", "", "GPSS", "drugs", ""]),
        ("12/05", ["Fife", "12-05", "", "self", "drugs", ""]),  # separators swapped
        ("31/2/2024", ["Fife", "31/02/2024", "", "self", "drugs", ""]),  # zero added
        ("Ｆｙｆｅ", ["Fyfe", "2024-01-02", "", "self", "drugs", ""]),  # full-width id
        ("Fyfee\u200b", ["Fyfee", "2024-01-02", "", "self", "drugs", ""]),  # invisible in id
        ("Glas goo", ["Glasgoo", "2024-01-02", "", "self", "drugs", ""]),  # spacing
    ],
)
def test_retyped_id_in_vocab_cell_is_withheld(tmp_path, pid, row):
    """A cell that is a person id of the run, retyped (case, separators, zeros, width, spacing), is never quoted."""
    cell = next(c for c in row if c and c not in ("Fife", "2024-01-02", "self", "drugs"))
    _episodes(tmp_path / "episodes.csv", [[row[0], pid, *row[1:]]])
    out = json.loads(_report(tmp_path / "episodes.csv"))
    text = json.dumps(out, ensure_ascii=False)
    assert repr(cell) not in text and f'"{cell}"' not in text


def test_us_date_hint_is_the_rules_own_words(tmp_path):
    """The US-order hint is the same whatever the cell: its example date is the rule's own
    words, so an id that happens to be that date is not shown by it (as `ADP` is not)."""
    hints = set()
    for pid, cell in (("2024-05-31", "05/31/2024"), ("P-1", "12/13/2023")):
        _episodes(tmp_path / "episodes.csv", [["Fife", pid, cell, "", "self", "drugs", ""]])
        found = json.loads(_report(tmp_path / "episodes.csv"))["files"][0]["findings"]
        hints |= {f["hint"] for f in found if f["code"] == "us-date-order"}
    assert len(hints) == 1


def test_other_column_value_in_message_is_checked_against_ids(tmp_path):
    """A message that quotes a second cell (the referral date) never shows a person id of the run."""
    _episodes(
        tmp_path / "episodes.csv",
        [
            ["Fife", "2024-03-05", "2024-03-01", "", "self", "drugs", ""],
            ["Fife", "x2", "2024-03-05", "2024-03-01", "self", "drugs", "ost"],
        ],
    )
    assert "2024-03-05" not in _report(tmp_path / "episodes.csv")


def test_id_pasted_into_ost_in_other_case_is_withheld(tmp_path):
    """An episodes person id pasted into an OST return in another case is not quoted."""
    _episodes(tmp_path / "episodes.csv", [["Fife", "QbZx", "2024-03-01", "", "self", "drugs", ""]])
    (tmp_path / "ost.csv").write_text(
        "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total\n"
        "QBZX,2023/24 Q1,1,1,1,1,0,4\n"
    )
    assert "QBZX" not in _report(tmp_path)


def test_a_withheld_second_cell_is_named_by_its_place(tmp_path):
    """A referral date that may not be quoted is pointed at (`in C3`), as typed ones are quoted."""
    _episodes(
        tmp_path / "episodes.csv",
        [
            ["Fife", "2024-03-05", "2024-03-01", "", "self", "drugs", ""],
            ["Fife", "x2", "2024-03-05", "2024-03-01", "self", "drugs", "ost"],
            ["Fife", "x3", "05/03/2024", "01/03/2024", "self", "drugs", "ost"],
        ],
    )
    found = json.loads(_report(tmp_path / "episodes.csv"))["files"][0]["findings"]
    said = sorted(f["message"] for f in found if f["code"] == "start-before-referral")
    assert said == [
        "treatment started 01/03/2024, before the referral date 05/03/2024",
        "treatment started 2024-03-01, before the referral date in C3",
    ]
