"""What the officer's-loop attack tests share: the headers and a small OST return they build
inputs from, and the CLI run in-process."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner

OST_HEADER = [
    "adp",
    "period",
    "methadone",
    "buprenorphine_oral",
    "buprenorphine_depot",
    "diamorphine",
    "other",
    "total",
]
EPISODES_HEADER = [
    "adp",
    "person_id",
    "referral_date",
    "treatment_start_date",
    "referral_source",
    "substance",
    "treatment_type",
]
OST_CSV = "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total\n"
OST_CSV += "Fife,2023/24 Q1,1480,520,160,0,,2160\nFife,2023/24 Q2,1466,530,181,0,3,2180\n"


def run(*args: object) -> Any:
    from mission.cli.app import app

    return CliRunner().invoke(app, [str(a) for a in args])


def validate_report(*args: object) -> tuple[Any, dict[str, Any]]:
    """Run `validate ... -f json`; the result (exit 0 or 1) and the report it printed."""
    result = run("validate", *args, "-f", "json", "--max-findings", "10000")
    assert result.exit_code in (0, 1), result.output
    return result, json.loads(result.stdout)


def validate_findings(*args: object) -> tuple[Any, list[dict[str, Any]]]:
    """Run `validate ... -f json`; the result and every finding of every file."""
    result, report = validate_report(*args)
    return result, [f for file in report["files"] for f in file["findings"]]
