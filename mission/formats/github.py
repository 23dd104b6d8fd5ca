"""GitHub Actions: workflow-command annotations, capped as GitHub shows them, and a step summary.

GitHub shows at most 10 annotations of each level (error, warning, notice) per step and drops the
rest silently, so the first `limit` of each level are emitted and one notice says how many more
there are and where to read them.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from mission.findings import Severity
from mission.formats.markdown import report_markdown
from mission.formats.sarif import lined_files, opened_paths
from mission.formats.text import visible
from mission.text import safe_text

if TYPE_CHECKING:
    from mission.findings import Finding
    from mission.report import FileReport, Report

__all__ = ["ANNOTATION_LIMIT", "github_step_summary", "to_github"]

ANNOTATION_LIMIT = 10
"""How many annotations of each level GitHub shows for one step."""

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return visible(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _path_property(path: str) -> str:
    """A file's path as GitHub reads a `file=` property back: its line breaks as the escapes
    GitHub decodes (`%0D`), not as the text shows them (`\\r`, which names no file); any other
    unsafe character is shown escaped (no escape of GitHub's brings it back, and a log must not
    carry it)."""
    text = path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return visible(safe_text(text, limit=4000)).replace(":", "%3A").replace(",", "%2C")


def _annotation(f: Finding, lined: dict[str, FileReport], paths: dict[str, str]) -> str:
    # A line only where rows are lines (a CSV); never a column: a cell's is a field, and GitHub
    # would mark that character. The cell is in the title instead.
    properties = [f"file={_path_property(paths.get(f.file, f.file))}"]
    if f.row and f.file in lined:
        properties.append(f"line={lined[f.file].line(f.row)}")
    where = ", ".join(part for part in (f.column, f.location if f.row else None) if part)
    properties.append(f"title={_escape_property(f'{f.code} ({where or f.file})')}")
    message = f.message + (f" — {f.hint}" if f.hint else "")
    return f"::{_LEVEL[f.severity]} {','.join(properties)}::{_escape_data(message)}"


def to_github(report: Report, limit: int = ANNOTATION_LIMIT) -> str:
    """GitHub workflow commands (`::error file=...,line=...,title=...::message`), at most `limit`
    per level, then one `::notice` counting the findings left out.

    Raises:
        ValueError: `limit` is less than 1.
    """
    if limit < 1:
        raise ValueError(f"{limit!r} is not a valid annotation limit: it must be at least 1")
    counts = Counter(f.severity for f in report.findings)
    left_out = any(count > limit for count in counts.values())
    # The closing notice is a notice too: keep a place for it among the notices GitHub shows.
    caps = dict.fromkeys(Severity, limit)
    if left_out:
        caps[Severity.INFO] = limit - 1
    shown: Counter[Severity] = Counter()
    lines = []
    lined, paths = lined_files(report), opened_paths(report)
    for f in report.findings:
        if shown[f.severity] < caps[f.severity]:
            shown[f.severity] += 1
            lines.append(_annotation(f, lined, paths))
    rest = len(report.findings) - len(lines)
    if rest:
        lines.append(
            f"::notice title={_escape_property(f'mission: {rest} more finding(s)')}::"
            f"{rest} more finding(s) are not shown as annotations (GitHub shows {limit} of each "
            f"level per step): see the job summary (it lists up to {SUMMARY_FINDINGS:,}), or run "
            "mission with --format text or json."
        )
    return "\n".join(lines)


SUMMARY_FINDINGS = 1_000
"""Findings a job summary lists before counting the rest: GitHub takes 1 MiB of summary, and a
finding's row is a few hundred bytes at most."""


def github_step_summary(report: Report, max_findings: int = SUMMARY_FINDINGS) -> str:
    """Markdown for `$GITHUB_STEP_SUMMARY`: verdict, counts, a table of findings, the rest
    counted."""
    return report_markdown(report, "mission validate", report.valid, max_findings)
