"""Attacks on the speed changes since 9b6a184 (and what they turned up alongside). Each test
states the behaviour that should hold; each fails on the code it was written against."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mission.cli.app import app

from .officer_tools import EPISODES_HEADER as HEADER


def _episodes(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


@pytest.mark.parametrize("person", ["KXQWPLMZ", "4821", "deadbeef", "1234-5678"])
@pytest.mark.parametrize("column", [0, 2, 4])
def test_a_person_id_pasted_into_another_column_is_never_shown(
    tmp_path: Path, person: str, column: int
) -> None:
    """A value that is one of the file's own person ids, pasted into an adp, date or choice
    column, never appears in the JSON or text report, whatever its shape."""
    row = ["Fife", person, "2024-05-01", "2024-05-02", "gp", "drugs", "ost"]
    row[column] = person
    path = _episodes(tmp_path / "episodes.csv", [row])
    runner = CliRunner()
    for args in (["-f", "json"], []):
        result = runner.invoke(app, ["validate", str(path), *args])
        assert result.exit_code == 1, result.output
        assert person not in result.stdout


@pytest.mark.skipif(sys.platform != "linux", reason="needs a file system that takes any bytes")
@pytest.mark.parametrize("command", ["validate", "check"])
def test_a_csv_whose_name_is_not_utf8_is_read_not_a_crash(tmp_path: Path, command: str) -> None:
    """A CSV return whose file name holds a byte that is not UTF-8 (as copied from an old
    Windows share) is validated like any other, never exit 3 ("internal error")."""
    returns = tmp_path / "returns"
    returns.mkdir()
    source = Path(__file__).resolve().parents[1] / "fixtures" / "valid" / "ost.csv"
    name = os.path.join(os.fsencode(returns), b"ost-\xff.csv")
    with open(name, "wb") as handle:
        handle.write(source.read_bytes())
    mission = Path(sys.executable).with_name("mission")
    args = [str(mission), command, *(["returns"] if command == "validate" else ["."])]
    done = subprocess.run(
        [*args, "-f", "json"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode in (0, 1), done.stderr
    assert "internal error" not in done.stderr.lower()
