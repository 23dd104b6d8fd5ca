"""Attacks from an ADP officer's deadline day: messy workbooks, the officer's loop (template,
validate, --annotate, the findings page), did-you-mean, and person ids in odd places.

Every test here states the behaviour that should hold and failed on the code it was written
against. Inputs are built at test time in `tmp_path`.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from .officer_tools import EPISODES_HEADER, OST_CSV, run, validate_findings

# --- data loss ------------------------------------------------------------------------------------


def test_template_never_overwrites_an_existing_return(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`mission template ost` (no -o, or `-o -`, which the help calls standard output) never
    replaces an officer's existing ost.csv in the current folder."""
    monkeypatch.chdir(tmp_path)
    mine = tmp_path / "ost.csv"
    mine.write_text(OST_CSV)
    run("template", "ost", "--adp", "Fife")
    run("template", "ost", "-o", "-")
    assert mine.read_text() == OST_CSV


def test_step_one_again_never_wipes_a_filled_in_return(tmp_path: Path) -> None:
    """Running the officer's loop's first step again (`template ... -o ost.xlsx`) leaves the
    filled-in return as it is (exit 2, naming --replace); --replace writes over it."""
    mine = tmp_path / "ost.xlsx"
    mine.write_bytes(b"a filled-in return")
    again = run("template", "ost", "--adp", "Fife", "-f", "xlsx", "-o", mine)
    assert again.exit_code == 2 and "--replace" in again.output
    assert mine.read_bytes() == b"a filled-in return"
    assert run("template", "ost", "-f", "xlsx", "-o", mine, "--replace").exit_code == 0
    assert mine.read_bytes().startswith(b"PK")


def test_report_output_never_overwrites_the_return(tmp_path: Path) -> None:
    """`validate X -o X` (or `--sarif X`) refuses, as --annotate does, instead of writing the
    report over the return it checks."""
    ret = tmp_path / "ost.csv"
    ret.write_text(OST_CSV)
    first = run("validate", ret, "-f", "json", "-o", ret)
    assert ret.read_text() == OST_CSV
    assert first.exit_code == 2
    second = run("validate", ret, "--sarif", ret)
    assert ret.read_text() == OST_CSV
    assert second.exit_code == 2


# --- privacy --------------------------------------------------------------------------------------


def test_person_ids_in_a_swapped_column_are_never_shown(tmp_path: Path) -> None:
    """An episodes return whose adp and person_id columns were pasted the wrong way round shows
    no person id in any output format, nor in the annotated copy's comments or Findings sheet."""
    ids = ["P-7F3A91C2", "P-19BB02D4", "P-88D2F0B6"]
    ret = tmp_path / "episodes.csv"
    lines = [",".join(EPISODES_HEADER)]
    lines += [f"{pid},Fife,2024-04-0{i + 2},,self,drugs," for i, pid in enumerate(ids)]
    ret.write_text("\n".join(lines) + "\n")
    seen = []
    for fmt in ("text", "json", "junit", "github", "sarif", "html"):
        seen.append(run("validate", ret, "-f", fmt, "--max-findings", "1000").output)
    copy = tmp_path / "checked.xlsx"
    run("validate", ret, "--annotate", copy)
    book = openpyxl.load_workbook(copy)
    seen += [c.comment.text for s in book.worksheets for r in s.iter_rows() for c in r if c.comment]
    seen += [str(v) for r in book["Findings"].iter_rows(values_only=True) for v in r if v]
    leaks = [pid for pid in ids for text in seen if pid in text]
    assert not leaks


# --- wrong places -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "wrong"),
    [("Scotland", "Shetland"), ("S08000029", "South Lanarkshire")],
)
def test_adp_suggestions_are_never_unrelated(tmp_path: Path, typed: str, wrong: str) -> None:
    """'Scotland' (the national total) and 'S08000029' (NHS Fife's board code) are not met
    with 'did you mean Shetland / South Lanarkshire': a suggestion must be a likely meaning."""
    path = tmp_path / "ost.csv"
    path.write_text(OST_CSV.splitlines()[0] + f"\n{typed},2023/24 Q1,1,1,1,1,,4\n")
    _, findings = validate_findings(path)
    hints = [f.get("hint") or "" for f in findings if f["code"] in ("unknown-adp", "totals-row")]
    assert hints and not any(wrong in h for h in hints)


def test_a_notes_column_is_not_suggested_as_other(tmp_path: Path) -> None:
    """An officer's 'notes' column is not met with "Did you mean 'other'?" (a count column):
    renaming it so would turn the notes into count errors."""
    path = tmp_path / "ost.csv"
    path.write_text(OST_CSV.splitlines()[0] + ",notes\nFife,2023/24 Q1,1,1,1,1,,4,late\n")
    _, findings = validate_findings(path)
    hints = [f.get("hint") or "" for f in findings if f["code"] == "unknown-column"]
    assert hints and not any("'other'" in h for h in hints)


# --- templates --------------------------------------------------------------------------------


def test_a_template_is_never_written_for_a_period_validation_refuses(tmp_path: Path) -> None:
    """`mission template deaths --period 2099` either refuses (as validation refuses a future
    year) or writes a template that, filled in, validates."""
    path = tmp_path / "deaths.csv"
    made = run("template", "deaths", "--adp", "Fife", "--period", "2099", "-o", path)
    if made.exit_code != 0:
        return
    path.write_text(path.read_text().replace("2099,", "2099,5"))
    result = run("validate", path)
    assert result.exit_code == 0, result.output
