"""`mission validate`: exit codes, every format, and the text an officer reads."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
from pathlib import Path
from xml.etree import ElementTree

import pytest

from mission import formats
from mission.validation import validate

from ..conftest import INVALID, VALID
from ..test_validation import EXPECTED


def test_valid_folder_exits_0(cli) -> None:  # type: ignore[no-untyped-def]
    """The valid fixtures pass, with a table and a summary line."""
    result = cli("validate", VALID)
    assert result.exit_code == 0
    assert "valid: 13 file(s)" in result.stdout
    assert "ost-excel-title-rows-notes.xlsx" in result.stdout


def test_invalid_exits_1_and_strict_fails_warnings(cli) -> None:  # type: ignore[no-untyped-def]
    """Errors exit 1; warnings alone pass unless --strict."""
    assert cli("validate", INVALID / "ost-total-mismatch.csv").exit_code == 1
    assert cli("validate", INVALID / "ost-large-change.csv").exit_code == 0
    assert cli("validate", INVALID / "ost-large-change.csv", "--strict").exit_code == 1


def test_usage_errors_exit_2(cli) -> None:  # type: ignore[no-untyped-def]
    """A missing path, an unknown kind or a bad option exit 2 without a traceback."""
    for args in (
        ("validate", "no/such.csv"),
        ("validate", VALID, "--kind", "opioids"),
        ("validate", VALID, "--format", "pdf"),
        ("validate",),
    ):
        result = cli(*args)
        assert result.exit_code == 2, args
        assert "Traceback" not in result.output


@pytest.mark.parametrize(("name", "expected"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_text_names_row_column_and_hint(cli, name: str, expected) -> None:  # type: ignore[no-untyped-def]
    """Every invalid fixture's text output names each finding's row, column and hint."""
    result = cli("validate", INVALID / name, "--strict")
    assert result.exit_code == 1
    text = " ".join(result.stdout.split())
    for finding in validate(INVALID / name).findings:
        location = f"{finding.file}:{finding.row or '-'}:{finding.column or '-'}"
        assert location in text.replace(" ", "") or location in result.stdout.replace("\n", ""), (
            location
        )
        assert finding.code in text
        if finding.hint:
            assert " ".join(finding.hint.split())[:40] in text


def test_json_equals_library_report(cli) -> None:  # type: ignore[no-untyped-def]
    """`--format json` is exactly the library's report, dumped."""
    paths = [INVALID / "ost-bad-counts.csv", VALID / "mat.csv"]
    result = cli("validate", *paths, "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == validate(paths).to_dict()
    data = json.loads(result.stdout)
    assert set(data["files"][0]) >= {"path", "kind", "rows", "valid", "findings"}
    assert set(data["files"][0]["findings"][0]) >= {
        "code",
        "severity",
        "message",
        "row",
        "column",
        "value",
        "hint",
    }


def test_machine_formats(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """JUnit, GitHub and SARIF outputs equal the library renderings; -o writes a file."""
    path = INVALID / "ost-total-mismatch.csv"
    report = validate(path)
    assert cli("validate", path, "-f", "junit").stdout.strip() == formats.to_junit(report)
    ElementTree.fromstring(cli("validate", path, "-f", "junit").stdout)
    assert cli("validate", path, "-f", "github").stdout.strip() == formats.to_github(report)
    out = tmp_path / "report.sarif"
    assert cli("validate", path, "-f", "sarif", "-o", out).exit_code == 1
    assert json.loads(out.read_text()) == formats.to_sarif(report)


def test_github_format_appends_the_step_summary(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """`--format github` appends the library's step summary to $GITHUB_STEP_SUMMARY; other
    formats leave it alone."""
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    path = INVALID / "ost-total-mismatch.csv"
    assert cli("validate", path, "-f", "github").exit_code == 1
    expected = "earlier step\n" + formats.github_step_summary(validate(path))
    assert summary.read_text(encoding="utf-8") == expected
    assert cli("validate", path, "-f", "json").exit_code == 1
    assert summary.read_text(encoding="utf-8") == expected


def test_max_findings_caps_text(cli) -> None:  # type: ignore[no-untyped-def]
    """--max-findings caps the text listing and says how many more there are."""
    result = cli("validate", INVALID / "mat-bad-year.csv", "--max-findings", "2")
    assert "and 8 more finding(s)" in result.stdout


def test_person_ids_never_in_any_output(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Planted person ids appear in no output format of validate."""
    path = INVALID / "episodes-bad-dates.csv"
    for fmt in ("text", "json", "junit", "github", "sarif"):
        result = cli("validate", path, "-f", fmt, "--max-findings", "1000")
        assert "SECRET-ID" not in result.output, fmt


def test_control_characters_never_reach_the_terminal(cli) -> None:  # type: ignore[no-untyped-def]
    """An escape sequence in a cell is shown escaped, never raw."""
    result = cli("validate", INVALID / "mat-comment-problems.csv")
    assert "\x1b" not in result.output
    assert "\\x1b[31m" in result.output


def test_explain(cli) -> None:  # type: ignore[no-untyped-def]
    """`explain` lists every code, explains one, and refuses an unknown one with suggestions."""
    listing = cli("explain")
    assert "total-mismatch" in listing.stdout
    one = cli("explain", "total-mismatch")
    assert "fix" in one.stdout and "medication" in one.stdout
    wrong = cli("explain", "total-mismatc")
    assert wrong.exit_code == 1
    assert "total-mismatch" in wrong.stderr


def test_template_writes_a_file(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`template` writes the file asked for; an ADP that does not exist exits 1, as everywhere."""
    out = tmp_path / "ost.xlsx"
    assert (
        cli(
            "template", "ost", "-f", "xlsx", "--adp", "fife", "--period", "2024/25 Q1", "-o", out
        ).exit_code
        == 0
    )
    assert out.stat().st_size > 0
    bad = cli("template", "ost", "--adp", "Glasgo", "-o", tmp_path / "x.csv")
    assert bad.exit_code == 1
    assert "Glasgow City" in bad.stderr


OST_HEADER = "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,total\n"


def _entry_point() -> str:
    return str(Path(sysconfig.get_path("scripts")) / "mission")


def test_installed_entry_point_runs() -> None:
    """The installed `mission` script validates the fixtures in a real process."""
    done = subprocess.run(
        [_entry_point(), "validate", str(VALID)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "valid: 13 file(s)" in done.stdout
    bad = subprocess.run(
        [_entry_point(), "validate", str(INVALID / "empty.csv")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 1
    assert "empty-file" in bad.stdout


def test_output_closed_early_stops_quietly(tmp_path: Path) -> None:
    """`mission validate big.csv | head -1`: the reader leaves; mission stops with 2 (it could
    not deliver its report) and no traceback, as other command-line tools do."""
    rows = "".join(f"Atlantis,2024/25 Q{n % 4 + 1},1,0,0,0,1\n" for n in range(3000))
    path = tmp_path / "ost.csv"
    path.write_text(OST_HEADER + rows)
    with subprocess.Popen(
        [_entry_point(), "validate", "--max-findings", "100000", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.readline()
        process.stdout.close()
        error = process.stderr.read().decode()
        assert process.wait(timeout=60) == 2
    assert error == "", error


def test_help_does_not_import_heavy_libraries() -> None:
    """`mission --help` loads neither polars nor matplotlib (it must stay instant)."""
    code = (
        "import sys\n"
        "from mission.cli.app import app\n"
        "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('polars', 'matplotlib', 'pydantic') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"
