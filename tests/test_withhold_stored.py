"""A person id already in the store is withheld from a later return's findings, as a run's is."""

from __future__ import annotations

import csv
import subprocess

from typer.testing import CliRunner

from mission.cli.app import app

from .hostile_tools import MISSION
from .officer_tools import EPISODES_HEADER

OST = "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total\n"


def _submit(store, path, *more):
    return CliRunner().invoke(app, ["submit", str(path), "--store", str(store), *more])


def _episodes(path, ids):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(EPISODES_HEADER)
        w.writerows(["Fife", pid, "2024-04-02", "", "self", "drugs", ""] for pid in ids)


def test_an_id_accepted_earlier_is_not_quoted_by_a_later_return(tmp_path):
    """An OST return pasted with an id of an episodes return already accepted (retyped) says
    where the cell is, never the id."""
    store = tmp_path / "store.db"
    _episodes(tmp_path / "episodes.csv", ["SCT-0001234", "P-7F3A91C2"])
    assert _submit(store, tmp_path / "episodes.csv").exit_code == 0
    ost = tmp_path / "ost.csv"
    ost.write_text(OST + "Fife,sct0001234,1,1,1,1,0,4\nFife,p-7f3a91c2 ,1,1,1,1,0,4\n")
    result = _submit(store, ost)
    assert result.exit_code == 1, result.output
    out = result.output.lower()
    assert "0001234" not in out and "7f3a91c2" not in out, result.output
    assert "the value in this cell" in out


def test_a_cell_that_is_no_stored_id_is_still_quoted(tmp_path):
    """A wrong period that is not an id is quoted as ever, with a store of ids beside it."""
    store = tmp_path / "store.db"
    _episodes(tmp_path / "episodes.csv", ["SCT-0001234"])
    assert _submit(store, tmp_path / "episodes.csv").exit_code == 0
    ost = tmp_path / "ost.csv"
    ost.write_text(OST + "Fife,2023/24 Q5,1,1,1,1,0,4\n")
    result = subprocess.run(
        [MISSION, "submit", str(ost), "--store", str(store)], capture_output=True, text=True
    )
    assert result.returncode == 1, result.stderr
    assert "2023/24 Q5" in result.stdout
