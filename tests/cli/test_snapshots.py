"""Every command's output on the shipped fixtures, pinned: a refactor must not change a byte.

A change that is meant to change output regenerates the snapshots with
`MISSION_UPDATE_SNAPSHOTS=1 pytest tests/cli/test_snapshots.py`, and the diff is reviewed in git.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ..conftest import ROOT

SNAPSHOTS = Path(__file__).parent / "snapshots"
AS_OF = "2025-05-01"

COMMANDS: dict[str, list[str]] = {
    "validate-valid-text": ["validate", "fixtures/valid"],
    # The same views as a terminal shows them (rich tables); plain text is what a pipe gets.
    "validate-invalid-rich": ["validate", "fixtures/invalid/ost-bad-counts.csv"],
    "progress-demo-rich": ["progress", "fixtures/demo", "--as-of", AS_OF, "--target", "mat-1-5"],
    "validate-invalid-text": ["validate", "fixtures/invalid", "--max-findings", "1000"],
    "validate-invalid-json": ["validate", "fixtures/invalid", "--format", "json"],
    "validate-invalid-junit": ["validate", "fixtures/invalid", "--format", "junit"],
    "validate-invalid-github": ["validate", "fixtures/invalid", "--format", "github"],
    "validate-invalid-sarif": ["validate", "fixtures/invalid", "--format", "sarif"],
    "validate-valid-json": ["validate", "fixtures/valid", "--format", "json"],
    "validate-demo-text": ["validate", "fixtures/demo"],
    "progress-demo-text": ["progress", "fixtures/demo", "--as-of", AS_OF],
    "progress-demo-text-late": ["progress", "fixtures/demo", "--as-of", "2026-11-25"],
    "progress-demo-json": ["progress", "fixtures/demo", "--as-of", AS_OF, "--format", "json"],
    "progress-demo-csv": ["progress", "fixtures/demo", "--as-of", AS_OF, "--format", "csv"],
    "progress-demo-markdown": [
        "progress",
        "fixtures/demo",
        "--as-of",
        AS_OF,
        "--format",
        "markdown",
    ],
    "progress-demo-ost": ["progress", "fixtures/demo", "--as-of", AS_OF, "--target", "ost"],
    "progress-demo-mat": ["progress", "fixtures/demo", "--as-of", AS_OF, "--target", "mat-6-10"],
    "progress-demo-sdg": ["progress", "fixtures/demo", "--as-of", "2023-04-01", "--method", "sdg"],
    "progress-demo-adp": [
        "progress",
        "fixtures/demo",
        "--as-of",
        AS_OF,
        "--adp",
        "Dundee City",
        "--format",
        "markdown",
    ],
    "measures-demo-csv": ["measures", "fixtures/demo/episodes.csv", "--format", "csv"],
    "measures-board-text": ["measures", "fixtures/valid/episodes.csv", "--by", "board"],
    "check-repository-text": ["check", "fixtures/repository"],
    "check-repository-json": ["check", "fixtures/repository", "--format", "json"],
    "check-repository-markdown": ["check", "fixtures/repository", "--format", "markdown"],
    "check-repository-github": ["check", "fixtures/repository", "--format", "github"],
    "targets": ["targets"],
    "targets-json": ["targets", "--format", "json"],
    "targets-show-mat": ["targets", "show", "mat-6-10"],
    "adps": ["adps"],
    "adps-show-meldap": ["adps", "show", "meldap"],
    "standards": ["standards"],
    "explain": ["explain"],
    "explain-total-mismatch": ["explain", "total-mismatch"],
}


def _run(args: list[str], name: str = "") -> str:
    from mission.cli.app import app

    env = {"COLUMNS": "160", "MISSION_RICH": "1" if name.endswith("-rich") else "0"}
    result = CliRunner().invoke(app, args, catch_exceptions=False, env=env)
    text = f"exit {result.exit_code}\n--- stdout\n{result.stdout}"
    if result.stderr_bytes:
        text += f"--- stderr\n{result.stderr}"
    # The version moves with every release; nothing else may.
    from mission._version import __version__

    text = re.sub(re.escape(__version__), "<version>", text)
    # "today is 2026-11-25", "a calendar year from 1990 to 2026": the day the suite runs moves too.
    today = dt.date.today()
    text = text.replace(today.isoformat(), "<today>")
    text = text.replace(f"from 1990 to {today.year}", "from 1990 to <this year>")
    # SARIF names the folder it ran in (its %SRCROOT%); the snapshot must not depend on where the
    # repository is checked out.
    return text.replace(Path.cwd().as_uri() + "/", "file:///<root>/")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_output_is_unchanged(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command prints exactly what its snapshot holds."""
    monkeypatch.chdir(ROOT)
    output = _run(COMMANDS[name], name)
    path = SNAPSHOTS / f"{name}.txt"
    if os.environ.get("MISSION_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(output, encoding="utf-8")
    assert path.exists(), f"no snapshot for {name}: run with MISSION_UPDATE_SNAPSHOTS=1"
    assert output == path.read_text(encoding="utf-8")
