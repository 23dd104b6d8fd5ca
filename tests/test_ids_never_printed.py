"""A person id of the run, typed (or retyped) into any cell of any kind of return, is never
printed: every rule's words, values and quotes are checked against the ids, whichever rule
quotes the cell and however (a guard for a new rule that forgets to declare a quote)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mission.cli.app import app

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "valid"
KINDS = ["deaths", "mat", "naloxone", "ost", "population", "rehab", "episodes"]
IDS = [
    ("SCT0001234", "sct-0001234"),
    ("4821", "4,821"),
    ("P-7F3A91C2", "p 7f3a91c2"),
    ("0101851234", "0101 85 1234"),
]
EPISODES = (
    "adp,person_id,referral_date,treatment_start_date,referral_source,substance,treatment_type\n"
)


def _return_with(kind: str, column: int, typed: str) -> str:
    """The valid fixture of `kind`, its first row's `column` holding `typed`."""
    with open(FIXTURES / f"{kind}.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    rows[1][column] = typed
    out = io.StringIO()
    csv.writer(out).writerows(rows[:4])
    return out.getvalue()


@pytest.mark.parametrize("kind", KINDS)
def test_an_id_typed_into_any_cell_is_never_printed(tmp_path: Path, kind: str) -> None:
    with open(FIXTURES / f"{kind}.csv", newline="", encoding="utf-8") as f:
        header = next(csv.reader(f))
    checked = 0
    for column, name in enumerate(header):
        if name == "person_id":
            continue
        for number, (pid, typed) in enumerate(IDS):
            folder = tmp_path / f"{column}-{number}"  # file names are shown: no id in them
            folder.mkdir()
            mine = "mine.csv" if kind == "episodes" else f"{kind}.csv"
            (folder / mine).write_text(_return_with(kind, column, typed), encoding="utf-8")
            (folder / "episodes.csv").write_text(
                EPISODES + f"Fife,{pid},2024-04-02,,self,drugs,\n", encoding="utf-8"
            )
            result = CliRunner().invoke(app, ["validate", str(folder), "--format", "json"])
            assert result.exit_code in (0, 1), result.output
            said = result.output.lower()
            assert pid.lower() not in said and typed.lower() not in said, (name, pid, typed)
            checked += 1
    assert checked >= 4 * (len(header) - 1)
