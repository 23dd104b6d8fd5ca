"""Rich renderables from the library's plain rows and strings: the only place tables are drawn.

Data is never read as rich markup: every cell is a `Text`, so a file named `[link=...]x[/]` or
`[/]` is shown as written (its control characters were already escaped by the library).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.table import Table
    from rich.text import Text

    from mission.findings import Finding
    from mission.report import Report

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def text(value: object, style: str = "") -> Text:
    """A value as plain text (never markup), optionally styled."""
    from rich.text import Text

    return Text("" if value is None else str(value), style=style)


def table(
    title: str | None,
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    right: Iterable[str] = (),
) -> Table:
    """A table of plain-text cells; a cell may also be a ready-made `Text`."""
    from rich.table import Table
    from rich.text import Text

    aligned = set(right)
    view = Table(title=None if title is None else text(title), title_justify="left")
    for column in columns:
        view.add_column(column, justify="right" if column in aligned else "left")
    for row in rows:
        view.add_row(*(c if isinstance(c, Text) else text(c) for c in row))
    return view


def key_value_grid(rows: Iterable[tuple[str, str]]) -> Table:
    """A borderless two-column grid (bold key, plain value) for `show`-style commands."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    for key, value in rows:
        grid.add_row(text(key), text(value))
    return grid


def finding_text(f: Finding) -> Text:
    """One finding as a styled line: location, severity, code, message, [value], hint."""
    from rich.text import Text

    from mission.formats.text import finding_location

    line = Text("  ")
    line.append(f"{finding_location(f)} ")
    line.append(f.severity.value, style=SEVERITY_STYLE[f.severity.value])
    line.append(" ")
    line.append(f.code, style="bold")
    line.append(f" {f.message}")
    if f.value is not None:
        line.append(f" [{f.value}]", style="dim")
    if f.hint:
        line.append(f" — {f.hint}")
    return line


def validation_tables(report: Report, max_findings: int) -> list[object]:
    """The validate view: a table of files, then each file's findings, then the verdict."""
    from mission.formats import summary_line

    files = table(
        "Validation",
        ("file", "kind", "rows", "errors", "warnings", "verdict"),
        (
            (
                file.path,
                file.kind or "?",
                f"{file.rows:,}",
                file.errors,
                file.warnings,
                text("valid", "green") if file.valid else text("invalid", "bold red"),
            )
            for file in report.files
        ),
        right=("rows", "errors", "warnings"),
    )
    parts: list[object] = [files]
    shown = 0
    for file in report.files:
        if not file.findings or shown >= max_findings:
            continue
        parts.append(text(f"\n{file.path}", "bold"))
        for f in file.findings[: max_findings - shown]:
            parts.append(finding_text(f))
            shown += 1
    total = len(report.findings)
    if total > shown:
        parts.append(
            text(f"\n… and {total - shown} more finding(s): use --max-findings or --format json.")
        )
    parts.append(text(f"\n{summary_line(report)}", "bold green" if report.valid else "bold red"))
    return parts


def append_step_summary(markdown: str, path: Path | None = None, *, github: bool = False) -> None:
    """Append a Markdown summary to `path`; without one, with `github`, to $GITHUB_STEP_SUMMARY
    when it is set (validate and check both write their job summary here)."""
    target = path
    if target is None and github and os.environ.get("GITHUB_STEP_SUMMARY"):
        target = Path(os.environ["GITHUB_STEP_SUMMARY"])
    if target is not None:
        with target.open("a", encoding="utf-8") as stream:
            stream.write(markdown)


def write_github_outputs(report: Report) -> None:
    """In GitHub Actions, set the step's outputs: valid, errors and warnings."""
    target = os.environ.get("GITHUB_OUTPUT")
    if not target:
        return
    summary = report.summary
    with Path(target).open("a", encoding="utf-8") as stream:
        stream.write(
            f"valid={str(report.valid).lower()}\nerrors={summary['errors']}\n"
            f"warnings={summary['warnings']}\n"
        )


def write_sarif(report: Report, path: str | None, base: Path | None = None) -> None:
    """Write the report as SARIF to `path` too, when one is given."""
    if path is None:
        return
    import json

    from mission.formats import to_sarif

    from .options import write_bytes

    write_bytes(json.dumps(to_sarif(report, base), indent=2).encode("utf-8"), path)
