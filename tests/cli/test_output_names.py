"""`-o FILE` without `--format` writes what the file's name says; a name that says another
format than `--format` is refused, and nothing is written (text in `progress.xlsx` is a file
nothing opens)."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest


def test_progress_named_xlsx_is_a_workbook(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`progress -o progress.xlsx` writes the workbook (it wrote the text table into it)."""
    out = tmp_path / "progress.xlsx"
    result = cli("progress", "fixtures/demo", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert "about" in openpyxl.load_workbook(out).sheetnames


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("report.json", lambda text: json.loads(text)["valid"] is True),
        ("report.sarif.json", lambda text: json.loads(text)["version"] == "2.1.0"),
        ("report.sarif", lambda text: json.loads(text)["version"] == "2.1.0"),
        ("report.xml", lambda text: text.lstrip().startswith("<?xml")),
        ("report.html", lambda text: "<html" in text.lower()),
        ("report.txt", lambda text: text.startswith("valid: 1 file(s)")),
    ],
)
def test_validate_writes_what_the_name_says(cli, tmp_path: Path, name: str, check) -> None:  # type: ignore[no-untyped-def]
    """Each name a format is known by gets that format; `.txt` is the text report."""
    out = tmp_path / name
    result = cli("validate", "fixtures/valid/ost.csv", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert check(out.read_text(encoding="utf-8"))


def test_a_name_against_the_format_asked_is_refused(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`-f json -o report.html` exits 2 and writes nothing; the same format by name is fine."""
    out = tmp_path / "report.html"
    result = cli("validate", "fixtures/valid/ost.csv", "-f", "json", "-o", out)
    assert result.exit_code == 2
    assert "its name says html, but --format is json" in " ".join(result.stderr.split())
    assert not out.exists()
    result = cli("validate", "fixtures/valid/ost.csv", "-f", "html", "-o", out)
    assert result.exit_code == 0


def test_measures_and_export_take_parquet_by_name(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`measures -o m.parquet` and `export -o e.parquet` write Parquet, not CSV text."""
    import polars as pl

    out = tmp_path / "m.parquet"
    result = cli("measures", "fixtures/demo/episodes.csv", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert pl.read_parquet(out).height > 0
    store = tmp_path / "s.sqlite"
    assert cli("submit", "fixtures/demo/ost.csv", "--store", store).exit_code == 0
    out = tmp_path / "e.parquet"
    result = cli("export", "--kind", "ost", "--store", store, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert pl.read_parquet(out).height == 599


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit"])
def test_a_written_report_is_what_stdout_shows(cli, tmp_path: Path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    """`-o FILE` holds the same bytes as standard output, final line end included (files
    written with -o had none)."""
    out = tmp_path / "report.out"
    shown = cli("validate", "fixtures/valid/ost.csv", "-f", fmt)
    written = cli("validate", "fixtures/valid/ost.csv", "-f", fmt, "-o", out)
    assert shown.exit_code == written.exit_code == 0, written.stderr
    assert out.read_text(encoding="utf-8") == shown.stdout
    assert shown.stdout.endswith("\n") and not shown.stdout.endswith("\n\n")


def test_history_and_measures_speak_json_as_the_other_listings(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`history -f json` lists the submissions as data (it had no --format), and `measures -f
    json` is indented as every other command's JSON (it was one line)."""
    store = tmp_path / "s.sqlite"
    assert cli("submit", "fixtures/valid/ost.csv", "--store", store).exit_code == 0
    history = cli("history", "--store", store, "-f", "json")
    assert history.exit_code == 0, history.stderr
    [entry] = json.loads(history.stdout)
    assert (entry["kind"], entry["rows"], entry["status"]) == ("ost", 6, "current")
    measures = cli("measures", "fixtures/demo/episodes.csv", "--by", "board", "-f", "json")
    assert measures.exit_code == 0, measures.stderr
    assert measures.stdout.startswith("[\n  {\n")
    assert json.loads(measures.stdout)[0]["level"] == "board"
