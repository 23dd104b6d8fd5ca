"""Attacks on the CI gate and file finding after the 0.2.0 fixes (helper 53, `gate2`):
outputs that land on what a run read or on each other, folder walks, `mission.toml`
patterns, SARIF/GitHub locations and reading a store.

Every test runs the installed console script in a subprocess and builds its inputs in
`tmp_path`. Each should FAIL on the code it was written against.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sysconfig
import zipfile
from pathlib import Path
from typing import IO, Any

import openpyxl

MISSION = str(Path(sysconfig.get_path("scripts")) / "mission")
ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
OST_HEADER = "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total\n"
FIFE_OST = OST_HEADER + "Fife,2024/25 Q1,1466,530,181,0,3,2180\n"
ANGUS_OST = OST_HEADER + "Angus,2024/25 Q1,100,50,10,0,0,160\n"
CONFIG = '[check]\nreturns = "returns"\npattern = "{adp}/{kind}/{period}.{ext}"\n'


def _run(
    cwd: Path, *args: str, env: dict[str, str] | None = None, stdin: IO[Any] | None = None
) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "MISSION_"))}
    full.update(env or {})
    return subprocess.run(
        [MISSION, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env=full,
        stdin=stdin,
    )


def _repo(tmp_path: Path, config: str = CONFIG) -> Path:
    """A repository with mission.toml and one valid return, returns/fife/ost/2024-25-q1.csv."""
    root = tmp_path / "repo"
    (root / "returns" / "fife" / "ost").mkdir(parents=True)
    (root / "mission.toml").write_text(config, encoding="utf-8")
    (root / "returns" / "fife" / "ost" / "2024-25-q1.csv").write_text(FIFE_OST)
    return root


# --- outputs landing on what the run read, or on each other -------------------------------


def test_export_never_writes_over_the_stores_write_ahead_log(tmp_path: Path) -> None:
    """`mission export -o STORE-wal` is refused (exit 2): the write-ahead log is part of the
    store the run reads, and replacing it while a submit or a library user holds the store
    open loses returns already accepted."""
    root = _repo(tmp_path)
    store = root / "s.sqlite"
    assert _run(root, "submit", "returns", "--store", str(store)).returncode == 0
    done = _run(root, "export", "--kind", "ost", "--store", str(store), "-o", "s.sqlite-wal")
    assert done.returncode == 2, done.stderr
    assert not (root / "s.sqlite-wal").exists()


def test_annotate_never_writes_over_the_return_read_on_standard_input(tmp_path: Path) -> None:
    """`mission validate - --annotate ost.xlsx < ost.xlsx` is refused (exit 2) and leaves the
    return byte for byte as it was: the annotated copy is never the return itself."""
    source = tmp_path / "ost.xlsx"
    source.write_bytes((FIXTURES / "valid" / "ost-excel-title-rows-notes.xlsx").read_bytes())
    before = source.read_bytes()
    with source.open("rb") as stdin:
        done = _run(tmp_path, "validate", "-", "--annotate", "ost.xlsx", stdin=stdin)
    assert source.read_bytes() == before
    assert done.returncode == 2, done.stderr


def test_schema_output_name_rules_protect_mission_toml(tmp_path: Path) -> None:
    """`mission schema ost -o mission.toml` is refused (exit 2) like every other `-o` naming
    a format the command does not write, and the repository's configuration is unchanged."""
    root = _repo(tmp_path)
    before = (root / "mission.toml").read_bytes()
    done = _run(root, "schema", "ost", "-o", "mission.toml")
    assert (root / "mission.toml").read_bytes() == before
    assert done.returncode == 2, done.stderr


def test_audit_never_writes_over_the_publication_record_it_read(tmp_path: Path) -> None:
    """`mission audit DIR -o DIR/published.json` is refused (exit 2): it is the record the
    audit read, and overwriting it makes the publication unauditable."""
    report = tmp_path / "rep"
    # A report of the demo's deaths (one target): any publication has a published.json to
    # protect, and this one is made in a tenth of the whole demo's time.
    sources = [str(FIXTURES / "demo" / name) for name in ("deaths.csv", "population.csv")]
    made = _run(tmp_path, "report", *sources, "-o", str(report), "--as-of", "2025-06-01")
    assert made.returncode == 0, made.stderr
    record = report / "published.json"
    before = record.read_bytes()
    done = _run(tmp_path, "audit", str(report), "-o", str(record))
    assert record.read_bytes() == before
    assert done.returncode == 2, done.stderr


def test_github_output_never_appends_to_a_return_the_run_read(tmp_path: Path) -> None:
    """With $GITHUB_OUTPUT naming a return the run read, `mission check --format github`
    is refused (exit 2) and the return is unchanged, as for $GITHUB_STEP_SUMMARY."""
    root = _repo(tmp_path)
    ret = root / "returns" / "fife" / "ost" / "2024-25-q1.csv"
    before = ret.read_bytes()
    done = _run(root, "check", ".", "--format", "github", env={"GITHUB_OUTPUT": str(ret)})
    assert ret.read_bytes() == before
    assert done.returncode == 2, done.stderr


def test_sarif_and_summary_naming_one_file_are_refused(tmp_path: Path) -> None:
    """`--sarif X --summary X` (two outputs naming one file) is refused with exit 2 and
    nothing written, instead of Markdown appended to the SARIF log (an invalid upload)."""
    root = _repo(tmp_path)
    done = _run(root, "check", ".", "--sarif", "out.sarif", "--summary", "out.sarif")
    assert done.returncode == 2, done.stderr
    assert not (root / "out.sarif").exists()


def test_a_refused_output_means_nothing_was_written(tmp_path: Path) -> None:
    """A run that ends with exit 2 because `-o` names a folder writes none of its other
    outputs (`--sarif`, `--summary`): a refused run leaves no half of its results."""
    root = _repo(tmp_path)
    (root / "out").mkdir()
    done = _run(root, "check", ".", "--sarif", "s.sarif", "--summary", "sum.md", "-o", "out/")
    assert done.returncode == 2, done.stderr
    assert not (root / "s.sarif").exists()
    assert not (root / "sum.md").exists()


def test_output_named_as_a_spreadsheet_the_walk_finds_is_refused(tmp_path: Path) -> None:
    """`-o findings.xlsb` (or .fods, .numbers) is refused (exit 2) as `-o findings.ods` is: the
    name says a spreadsheet, and the next walk of the folder finds it as one."""
    (tmp_path / "ost.csv").write_text(FIFE_OST)
    for ending in ("xlsb", "fods", "numbers"):
        done = _run(tmp_path, "validate", "ost.csv", "-o", f"findings.{ending}")
        assert done.returncode == 2, ending
        assert not (tmp_path / f"findings.{ending}").exists()


# --- mission.toml --------------------------------------------------------------------------


def test_backslash_pattern_is_refused_not_every_file_unchecked(tmp_path: Path) -> None:
    """A Windows-style pattern (`{adp}\\{kind}\\{period}.{ext}`) can name no file a walk
    finds, so `mission.toml` is refused (exit 2); it must not switch the name checks off and
    let an Angus return under dundee-city/ pass."""
    config = '[check]\nreturns = "returns"\npattern = "{adp}\\\\{kind}\\\\{period}.{ext}"\n'
    root = _repo(tmp_path, config)
    (root / "returns" / "dundee-city" / "ost").mkdir(parents=True)
    (root / "returns" / "dundee-city" / "ost" / "2024-25-q1.csv").write_text(ANGUS_OST)
    done = _run(root, "check", ".")
    assert done.returncode == 2, done.stdout


def test_mission_toml_saved_with_a_bom_is_read(tmp_path: Path) -> None:
    """A `mission.toml` saved by Notepad with a UTF-8 byte-order mark is read as the same
    configuration (exit 0 here), not refused as 'Invalid statement at line 1, column 1'."""
    root = _repo(tmp_path)
    (root / "mission.toml").write_bytes(b"\xef\xbb\xbf" + CONFIG.encode())
    done = _run(root, "check", ".")
    assert done.returncode == 0, done.stderr


def test_a_kind_listed_twice_is_one_completeness_row(tmp_path: Path) -> None:
    """`kinds = ["ost", "OST"]` gives one completeness row for ost (or is refused, exit 2),
    never the same kind counted twice."""
    root = _repo(tmp_path, CONFIG + 'kinds = ["ost", "OST"]\n')
    done = _run(root, "check", ".", "--format", "json")
    if done.returncode == 2:
        return
    kinds = [c["kind"] for c in json.loads(done.stdout)["completeness"]]
    assert kinds == ["ost"]


# --- folder walks ----------------------------------------------------------------------------


def test_returns_folder_holding_only_a_publication_is_not_a_pass(tmp_path: Path) -> None:
    """A returns folder whose only content is a publication folder holds no returns, so
    `mission check` exits 2 as for an empty one, not 0 ("valid") with nothing checked."""
    root = _repo(tmp_path)
    (root / "returns" / "fife" / "ost" / "2024-25-q1.csv").unlink()
    (root / "returns" / "pub").mkdir()
    (root / "returns" / "pub" / "published.json").write_text("{}")
    done = _run(root, "check", ".")
    assert done.returncode == 2, done.stdout


def test_broken_link_in_a_folder_named_twice_is_one_finding(tmp_path: Path) -> None:
    """A folder named two ways (`returns`, `./returns`) reports a link to no file once, as
    its real files are: 2 files, 1 error, not the link counted per spelling."""
    root = _repo(tmp_path)
    (root / "returns" / "fife" / "ost" / "2024-25-q2.csv").symlink_to("gone.csv")
    done = _run(root, "validate", "returns", "./returns", "--format", "json")
    report = json.loads(done.stdout)
    assert len(report["files"]) == 2
    assert report["summary"]["errors"] == 1


def test_fods_is_told_how_to_save_not_read_as_csv(tmp_path: Path) -> None:
    """A flat OpenDocument spreadsheet (`.fods`) is a `could-not-read` telling how to save it,
    not read as CSV text and told to add columns it already has."""
    (tmp_path / "ost.fods").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'office:mimetype="application/vnd.oasis.opendocument.spreadsheet">'
        "<office:body><office:spreadsheet/></office:body></office:document>\n"
    )
    done = _run(tmp_path, "validate", "ost.fods", "--format", "json")
    report = json.loads(done.stdout)
    codes = [f["code"] for file in report["files"] for f in file["findings"]]
    assert codes == ["could-not-read"], codes


def test_numbers_package_folder_is_not_skipped(tmp_path: Path) -> None:
    """A Numbers document saved as a package (a folder `2024-25-q1.numbers/`) is found and
    told how to save the return, not walked into and silently skipped by the gate."""
    root = _repo(tmp_path)
    package = root / "returns" / "fife" / "rehab" / "2024-25-q1.numbers"
    (package / "Data").mkdir(parents=True)
    with zipfile.ZipFile(package / "Index.zip", "w") as z:
        z.writestr("Index/Document.iwa", b"\x00\x01")
    (package / "preview.jpg").write_bytes(b"\xff\xd8\xff")
    done = _run(root, "check", ".", "--format", "json")
    paths = [f["path"] for f in json.loads(done.stdout)["report"]["files"]]
    assert any(p.endswith(".numbers") for p in paths), paths
    assert done.returncode == 1


# --- SARIF and GitHub annotations ------------------------------------------------------------


def test_sarif_names_the_cell_of_a_workbook_finding(tmp_path: Path) -> None:
    """A SARIF result for a workbook finding (no line region) names its cell (`OST!E2`) in its
    message, so code scanning shows where it is."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "OST"
    sheet.append(OST_HEADER.strip().split(","))
    sheet.append(["Fife", "2024/25 Q1", 10, 5, "x", 0, 0, 20])
    book.save(tmp_path / "ost.xlsx")
    done = _run(tmp_path, "validate", "ost.xlsx", "--format", "sarif")
    results = json.loads(done.stdout)["runs"][0]["results"]
    depot = [r for r in results if r.get("properties", {}).get("column") == "buprenorphine_depot"]
    assert depot
    assert "E2" in depot[0]["message"]["text"]


def test_annotation_line_is_the_files_line_when_a_cell_spans_lines(tmp_path: Path) -> None:
    """In a CSV whose earlier cell holds line breaks, a GitHub annotation's `line=` (and
    SARIF's startLine) is the line the row starts on (6), not its row number (3)."""
    (tmp_path / "ost.csv").write_text(
        OST_HEADER.rstrip("\n") + ",notes\n"
        'Fife,2024/25 Q3,1,1,1,1,0,4,"a\nb\nc\nd"\n'
        "Fife,2024/25 Q4,1,1,1,1,0,9,x\n"
    )
    done = _run(tmp_path, "validate", "ost.csv", "--format", "github")
    mismatch = [line for line in done.stdout.splitlines() if "total-mismatch" in line]
    assert mismatch, done.stdout
    assert "line=6," in mismatch[0], mismatch[0]


# --- reading a store -----------------------------------------------------------------------


def test_history_of_an_empty_sqlite_file_is_not_an_internal_error(tmp_path: Path) -> None:
    """`mission history` on an SQLite file with no tables (a store whose first submit never
    landed) exits 2 saying so, as `export` does, never 3."""
    path = tmp_path / "e.sqlite"
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.close()
    done = _run(tmp_path, "history", "--store", str(path))
    assert done.returncode == 2, done.stderr
