"""What a newcomer following the README met (helper 58): the wrong --kind for a header, an
empty folder and an old .xls each say what to do, in words that name the way out."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mission.cli.app import app
from mission.readers import supported_suffixes

from .hostile_tools import MISSION

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
MAT = FIXTURES / "valid" / "mat-windows-1252-semicolons.csv"


def _codes(stdout: str) -> list[str]:
    return [f["code"] for file in json.loads(stdout)["files"] for f in file["findings"]]


def test_a_header_of_another_kind_says_which_kind_to_pass() -> None:
    """A MAT return validated with --kind ost is told its header is a mat return's and to pass
    --kind mat, not only that six ost columns are missing."""
    result = CliRunner().invoke(app, ["validate", str(MAT), "--kind", "ost"])
    assert result.exit_code == 1
    assert "the header is a mat return's, but --kind is ost" in result.stdout
    assert "Pass --kind mat" in result.stdout


@pytest.mark.parametrize("kind", ["mat", None])
def test_the_right_kind_or_none_is_no_mismatch(kind: str | None) -> None:
    """The right --kind, or none, says nothing of the kind."""
    args = ["validate", str(MAT), "-f", "json"] + (["--kind", kind] if kind else [])
    result = CliRunner().invoke(app, args)
    assert "kind-mismatch" not in _codes(result.stdout)


def test_a_return_missing_a_column_of_its_own_kind_is_no_mismatch(tmp_path: Path) -> None:
    """An OST return without its total column, validated with --kind ost, lacks a column: its
    header is still an OST return's, so no other kind is suggested."""
    lines = (FIXTURES / "demo" / "ost.csv").read_text(encoding="utf-8").splitlines()[:5]
    header = lines[0].split(",")
    at = header.index("total")
    cut = [",".join(c for i, c in enumerate(line.split(",")) if i != at) for line in lines]
    path = tmp_path / "ost.csv"
    path.write_text("\n".join(cut) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(path), "--kind", "ost", "-f", "json"])
    codes = _codes(result.stdout)
    assert "missing-column" in codes
    assert "kind-mismatch" not in codes


def test_an_empty_folder_names_every_ending_read(tmp_path: Path) -> None:
    """A folder with no return says which endings were looked for: all of them (.tsv and .txt
    too), so an officer whose file ends otherwise knows why it was not found."""
    result = subprocess.run(
        [MISSION, "validate", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    for ending in supported_suffixes():
        assert ending in result.stderr + result.stdout


def test_an_old_excel_file_is_told_how_to_save_it(tmp_path: Path) -> None:
    """An Excel 97-2003 workbook is told the steps to save it as .xlsx or CSV, as an .ods is."""
    path = tmp_path / "ost.xls"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504))
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert "File > Save As" in result.stdout
    assert "Excel Workbook (.xlsx)" in result.stdout


def test_sarif_paths_start_at_the_checkout_in_github_actions(tmp_path: Path) -> None:
    """In GitHub Actions, `mission check sub/` writes SARIF paths from the checkout's root
    (`sub/returns/...`), which is where code scanning looks for them; elsewhere, from the folder
    checked, as before."""
    shutil.copytree(FIXTURES / "repository", tmp_path / "sub")
    sarif = tmp_path / "out.sarif"

    def uris(env: dict[str, str]) -> set[str]:
        result = CliRunner().invoke(
            app, ["check", str(tmp_path / "sub"), "--sarif", str(sarif)], env=env
        )
        assert result.exit_code in (0, 1), result.output
        run = json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]
        return {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
        }

    in_actions = uris({"GITHUB_WORKSPACE": str(tmp_path)})
    assert in_actions and all(u.startswith("sub/returns/") for u in in_actions)
    local = uris({"GITHUB_WORKSPACE": ""})
    assert local and all(u.startswith("returns/") for u in local)
