"""Attacks on the session's last fixes: return-missing findings, the editions' contradiction check,
-o names and the escaped standard output. Each test states what should hold; each fails today."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from mission.cli.app import app
from mission.disclosure.table import percent

ROOT = Path(__file__).resolve().parent.parent
REPOSITORY = ROOT / "fixtures" / "repository"
MISSION = shutil.which("mission") or str(Path(sys.executable).parent / "mission")

OST = (
    "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total\n"
    "Fife,2024/25 Q1,1,2,3,0,0,6\n"
)


def _cli(*args: object, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False, env=env)


def _repository(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(REPOSITORY, repo)
    return repo


# 1. return-missing names the returns folder relative to the repository, not as given ------


def test_return_missing_names_the_returns_folder_as_the_other_findings_do(tmp_path: Path) -> None:
    """`mission check repo --require-complete` (the Action's `path:`, run from elsewhere) names
    the returns folder of a return-missing finding as it names the files: under repo/, so SARIF
    and annotations point inside the checked folder (they point at the current folder's
    `returns`, SARIF `file:///<cwd>/returns`, outside %SRCROOT%)."""
    repo = _repository(tmp_path)
    out = tmp_path / "check.sarif"
    result = _cli("check", repo, "--require-complete", "-f", "sarif", "-o", out)
    assert result.exit_code == 1, result.output
    run = json.loads(out.read_text())["runs"][0]
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in run["results"]
        if r["ruleId"] == "return-missing"
    }
    assert uris, run["results"][:2]
    for uri in uris:
        assert "://" not in uri or uri.startswith(base), (uri, base)

    data = json.loads(_cli("check", repo, "--require-complete", "-f", "json").output)
    paths = [f["path"] for f in data["report"]["files"]]
    folder = [p for p in paths if not p.endswith(".csv")]
    assert folder and all(Path(p).parent == Path(str(repo)) for p in folder), paths


# 2. a job summary the notice sends readers to --------------------------------------------


def test_job_summary_lists_every_finding_the_annotations_leave_out(tmp_path: Path) -> None:
    """The GitHub notice says "N more finding(s) are not shown as annotations: see the job
    summary" and docs/ci.md says the job summary lists them all; with --require-complete's 144
    errors the summary lists 50 and "…and 95 more"."""
    repo = _repository(tmp_path)
    summary = tmp_path / "summary.md"
    outputs = tmp_path / "outputs"
    env = {"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(outputs)}
    result = _cli("check", repo, "--require-complete", "-f", "github", env=env)
    assert result.exit_code == 1
    assert "see the job summary" in result.output
    text = summary.read_text()
    rows = [line for line in text.splitlines() if "`return-missing`" in line]
    # 143 returns missing, less Angus's: its return is in the misplaced file, refused, not
    # missing (the file's own error says why).
    assert "more." not in text and len(rows) == 142, (len(rows), text[-300:])


# 3. the folder is not a file ----------------------------------------------------------------


def test_require_complete_does_not_count_the_returns_folder_as_a_file(tmp_path: Path) -> None:
    """With --require-complete the summary counts the return files checked (8 in the fixture),
    not the returns folder too (it says 9 files, 2 invalid, where 8 files were read)."""
    repo = _repository(tmp_path)
    plain = json.loads(_cli("check", repo, "-f", "json").output)["report"]["summary"]
    complete = json.loads(_cli("check", repo, "--require-complete", "-f", "json").output)
    assert complete["report"]["summary"]["files"] == plain["files"], (plain, complete["report"])


# 4. audit: two editions contradicting through a derived figure ---------------------------


def _published(folder: Path, as_of: str, cells: dict[str, object], share: object) -> Path:
    folder.mkdir()
    rows = ["orkney", "shetland", "fife", "moray"]
    figure = percent("fife share", ("fife", "2023"), [(r, "2023") for r in rows])
    table = {
        "name": "deaths",
        "protection": 5,
        "cells": [{"row": r, "column": "2023", "printed": v} for r, v in cells.items()],
        "figures": [
            {"figure": figure.model_dump(mode="json"), "printed": share, "negative": False}
        ],
    }
    record = {
        "format": "mission-published",
        "version": 1,
        "as_of": as_of,
        "charts": {},
        "tables": {"deaths": table},
    }
    (folder / "published.json").write_text(json.dumps(record))
    return folder


def test_audit_refuses_editions_contradicting_through_a_percent(tmp_path: Path) -> None:
    """Two editions whose cells, all printed between them (7, 10, 20, 6), contradict a printed
    percent (Fife 51.3% of the total: 20/39, Orkney revised from 7 to 3) are refused or fail, as
    a contradicting total is: the percent gives the revised Orkney count of 3 away."""
    first = _published(
        tmp_path / "first",
        "2026-01-01",
        {"orkney": 7, "shetland": 10, "fife": 20, "moray": "c"},
        "c",
    )
    second = _published(
        tmp_path / "second",
        "2026-02-01",
        {"orkney": "c", "shetland": "c", "fife": 20, "moray": 6},
        51.3,  # 100 * 20 / (3 + 10 + 20 + 6)
    )
    for alone in (first, second):  # each edition passes on its own
        assert _cli("audit", alone).exit_code == 0
    result = _cli("audit", first, second)
    assert result.exit_code != 0, result.output


def test_editions_no_counts_can_satisfy_are_said_to_contradict(tmp_path: Path) -> None:
    """Editions whose printed figures no counts can give at once (a share of 70% that would need
    a negative Shetland count) are refused as contradicting each other, not with the solver's
    own words."""
    first = _published(
        tmp_path / "first",
        "2026-01-01",
        {"orkney": 7, "shetland": "c", "fife": 20, "moray": "c"},
        "c",
    )
    second = _published(
        tmp_path / "second",
        "2026-02-01",
        {"orkney": "c", "shetland": "c", "fife": 20, "moray": 6},
        70.0,
    )
    result = _cli("audit", first, second)
    said = " ".join(result.output.split())
    assert result.exit_code == 2, result.output
    assert "cannot all be true" in said and "HiGHS" not in said


# 5. JSON on a narrow standard output -------------------------------------------------------


def test_json_on_a_cp1252_stdout_is_still_json(tmp_path: Path) -> None:
    """`mission validate --format json > out.json` with stdout in cp1252 (Windows redirecting to
    a file) writes JSON a parser reads: the emoji in the bad value is written `\\U0001f600`,
    an escape JSON does not have."""
    bad = tmp_path / "bad.csv"
    bad.write_text(OST.replace("Fife,2024/25 Q1,1,", "Fife,2024/25 Q1,1\U0001f600,"), "utf-8")
    env = {k: v for k, v in os.environ.items() if k != "MISSION_DEBUG"}
    env["PYTHONIOENCODING"] = "cp1252"
    done = subprocess.run(
        [MISSION, "validate", str(bad), "-f", "json"],
        capture_output=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr.decode("utf-8", "replace")
    data = json.loads(done.stdout.decode("cp1252", "replace"))
    assert data["valid"] is False


def test_junit_on_a_cp1252_stdout_is_well_formed_xml(tmp_path: Path) -> None:
    """`mission validate --format junit` to a cp1252 stdout is XML a parser reads (it declares
    encoding utf-8 and then writes é as the cp1252 byte 0xE9: not well-formed)."""
    import xml.etree.ElementTree as ET

    bad = tmp_path / "bad.csv"
    bad.write_text(OST.replace("Fife,2024/25 Q1,1,", "Fife,2024/25 Q1,1é,"), "utf-8")
    env = {k: v for k, v in os.environ.items() if k != "MISSION_DEBUG"}
    env["PYTHONIOENCODING"] = "cp1252"
    done = subprocess.run(
        [MISSION, "validate", str(bad), "-f", "junit"],
        capture_output=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr.decode("utf-8", "replace")
    ET.fromstring(done.stdout)
