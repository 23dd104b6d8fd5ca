"""Markdown for people: a job summary or pull-request comment with the verdict and the findings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mission.findings import Severity
from mission.formats.text import cell_reference, visible
from mission.text import escape_markdown

if TYPE_CHECKING:
    from mission.report import Report
    from mission.repository import CheckReport

__all__ = ["check_markdown", "report_markdown"]


def _cell(text: str) -> str:
    """A stranger's text as inert Markdown: no link, image, HTML tag or code span survives."""
    return escape_markdown(visible(text).replace("\r", " ").replace("\n", " "))


def report_markdown(report: Report, title: str, valid: bool, max_findings: int = 50) -> str:
    """`## title: verdict`, the counts, and a table of the errors and warnings, the rest counted."""
    summary = report.summary
    verdict = "✅ valid" if valid else "❌ invalid"
    lines = [
        f"## {title}: {verdict}",
        "",
        f"{summary['files']} file(s), {summary['rows']:,} rows: {summary['errors']} error(s), "
        f"{summary['warnings']} warning(s).",
        "",
    ]
    failing = [f for f in report.findings if f.severity is not Severity.INFO]
    if failing:
        lines += [
            "| file | row | column | severity | code | message |",
            "|---|---|---|---|---|---|",
        ]
        for f in failing[:max_findings]:
            hint = f" — {f.hint}" if f.hint else ""
            column = f.column or ""
            cell = cell_reference(f)
            if cell:
                column = f"{column} ({cell})" if column else cell
            lines.append(
                f"| {_cell(f.file)} | {f.row or ''} | {_cell(column)} | {f.severity} | "
                f"`{f.code}` | {_cell(f.message + hint)} |"
            )
        if len(failing) > max_findings:
            lines.append(f"\n…and {len(failing) - max_findings} more.")
        lines.append("")
    return "\n".join(lines) + "\n"


def check_markdown(result: CheckReport, max_findings: int = 50) -> str:
    """A pull-request comment or job summary: verdict, files with problems, completeness."""
    lines = [
        report_markdown(result.report, "mission check", result.valid, max_findings).rstrip("\n"),
        "",
        "### Completeness",
        "",
        "| kind | period | reported | missing |",
        "|---|---|---|---|",
    ]
    for c in result.completeness:
        missing = c.missing_text()
        lines.append(
            f"| {c.kind} | {c.period or '—'} | {c.reported} of {c.expected} | {_cell(missing)} |"
        )
    return "\n".join(lines) + "\n"
