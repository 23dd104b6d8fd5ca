"""What a CI run reads besides the report: GitHub's job summary and step outputs, and a SARIF
file for code scanning (validate and check both write them)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mission.report import Report


def summary_target(path: Path | None = None, *, github: bool = False) -> Path | None:
    """Where a Markdown summary goes: `path`; without one, with `github`, $GITHUB_STEP_SUMMARY
    when it is set (validate and check both write their job summary here)."""
    if path is None and github and os.environ.get("GITHUB_STEP_SUMMARY"):
        return Path(os.environ["GITHUB_STEP_SUMMARY"])
    return path


def outputs_target(*, github: bool = False) -> Path | None:
    """Where GitHub's step outputs go: $GITHUB_OUTPUT, with `github`, when it is set."""
    found = os.environ.get("GITHUB_OUTPUT") if github else None
    return Path(found) if found else None


def append_step_summary(markdown: str, path: Path | None = None, *, github: bool = False) -> None:
    """Append a Markdown summary to `summary_target(path, github=github)`, if any."""
    target = summary_target(path, github=github)
    if target is not None:
        with target.open("a", encoding="utf-8") as stream:
            stream.write(markdown)


def write_github_outputs(report: Report, *, complete: bool | None = None) -> None:
    """In GitHub Actions, set the step's outputs: valid, errors and warnings (and complete, for
    `check`)."""
    target = os.environ.get("GITHUB_OUTPUT")
    if not target:
        return
    summary = report.summary
    lines = [f"valid={str(report.valid).lower()}", f"errors={summary['errors']}"]
    lines.append(f"warnings={summary['warnings']}")
    if complete is not None:
        lines.append(f"complete={str(complete).lower()}")
    with Path(target).open("a", encoding="utf-8") as stream:
        stream.write("\n".join(lines) + "\n")


def write_sarif(report: Report, path: str | None, base: Path | None = None) -> None:
    """Write the report as SARIF to `path` too, when one is given."""
    if path is None:
        return
    import json

    from mission.formats import to_sarif

    from .options import write_bytes

    write_bytes(json.dumps(to_sarif(report, base), indent=2).encode("utf-8"), path)
