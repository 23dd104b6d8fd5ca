"""`mission validate`: check returns against the data contract and say exactly what to fix."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli import console
from cli.exit_codes import ExitCode

if TYPE_CHECKING:
    from collections.abc import Callable

    from mission.report import Report


class ValidateFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    JUNIT = "junit"
    GITHUB = "github"
    SARIF = "sarif"


_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
_PROGRESS_FILES = 5
_PROGRESS_BYTES = 20_000_000


def validate(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Return files, or folders to search for them.", show_default=False),
    ],
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            "-k",
            help="The kind of every file: ost, rehab, naloxone, mat, episodes or deaths. "
            "By default each file's kind is read from its header.",
        ),
    ] = None,
    format: Annotated[
        ValidateFormat, typer.Option("--format", "-f", help="How to write the report.")
    ] = ValidateFormat.TEXT,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too.")] = False,
    max_findings: Annotated[
        int,
        typer.Option("--max-findings", min=0, help="Text output: list at most this many findings."),
    ] = 200,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the report to this file instead of stdout."),
    ] = None,
) -> None:
    """Check return files against the data contract.

    Every problem is reported with its file, row, column, value and a hint. Exit code 0 when
    every file is valid, 1 when any has errors (or warnings, with --strict), 2 when mission could
    not run (missing path, bad option).

    Examples:

      mission validate fixtures/valid

      mission validate returns/ --format github --strict
    """
    from mission.validation import collect_files
    from mission.validation import validate as run

    files = collect_files(paths)
    from cli.options import current_limits

    limits = current_limits()
    report = _with_progress(
        files, lambda on_file: run(files, kind, strict=strict, limits=limits, on_file=on_file)
    )
    if output is not None:
        from mission.files import write_text_atomic

        write_text_atomic(output, _render(report, format, max_findings) + "\n")
    elif format is ValidateFormat.TEXT:
        _print_text(report, max_findings)
    else:
        typer.echo(_render(report, format, max_findings))
    if format is ValidateFormat.GITHUB:
        from cli.render import append_step_summary
        from mission.formats import github_step_summary

        append_step_summary(github_step_summary(report), github=True)
    raise typer.Exit(int(ExitCode.OK if report.valid else ExitCode.INVALID))


def _with_progress(
    files: list[Path], work: Callable[[Callable[[Path], None] | None], Report]
) -> Report:
    """Run `work(on_file)`, with a progress bar on stderr when it is a terminal and work is big."""
    if not console.stderr_is_terminal():
        return work(None)
    big = len(files) >= _PROGRESS_FILES or sum(f.stat().st_size for f in files) > _PROGRESS_BYTES
    if not big:
        return work(None)
    from rich.progress import Progress

    with Progress(console=console.err(), transient=True) as progress:
        task = progress.add_task("Validating", total=len(files))

        def on_file(path: Path) -> None:
            progress.update(task, advance=1, description=f"Validating {path.name}")

        return work(on_file)


def _render(report: Report, format: ValidateFormat, max_findings: int) -> str:
    """The report in a machine format; the text view is printed by `_print_text` instead."""
    import json

    from mission import formats

    if format is ValidateFormat.JSON:
        return formats.to_json(report)
    if format is ValidateFormat.JUNIT:
        return formats.to_junit(report)
    if format is ValidateFormat.GITHUB:
        return formats.to_github(report)
    if format is ValidateFormat.SARIF:
        return json.dumps(formats.to_sarif(report), indent=2)
    return _plain_text(report, max_findings)


def _plain_text(report: Report, max_findings: int) -> str:
    """Only used for -o FILE with text format: the findings as plain lines."""
    from mission import formats

    lines = [formats.finding_line(f) for f in report.findings[:max_findings]]
    lines.append(formats.summary_line(report))
    return "\n".join(lines)


def _print_text(report: Report, max_findings: int) -> None:
    from rich.markup import escape
    from rich.table import Table

    from mission import formats

    out = console.out()
    table = Table(title="Validation", title_justify="left")
    for column in ("file", "kind", "rows", "errors", "warnings", "verdict"):
        numeric = column in ("rows", "errors", "warnings")
        table.add_column(column, justify="right" if numeric else "left")
    for file in report.files:
        verdict = "[green]valid[/]" if file.valid else "[bold red]invalid[/]"
        table.add_row(
            escape(file.path),
            file.kind or "?",
            f"{file.rows:,}",
            str(file.errors),
            str(file.warnings),
            verdict,
        )
    out.print(table)
    shown = 0
    total = len(report.findings)
    for file in report.files:
        if not file.findings or shown >= max_findings:
            continue
        out.print(f"\n[bold]{escape(file.path)}[/]")
        for f in file.findings:
            if shown >= max_findings:
                break
            shown += 1
            style = _SEVERITY_STYLE[f.severity.value]
            location = f"{f.file}:{f.row or '-'}:{f.column or '-'}"
            value = f" [dim]\\[{escape(f.value)}][/]" if f.value is not None else ""
            hint = f" — {escape(f.hint)}" if f.hint else ""
            out.print(
                f"  {escape(location)} [{style}]{f.severity.value}[/] [bold]{f.code}[/] "
                f"{escape(f.message)}{value}{hint}",
                soft_wrap=True,
            )
    if total > shown:
        out.print(f"\n… and {total - shown} more finding(s): use --max-findings or --format json.")
    style = "bold green" if report.valid else "bold red"
    out.print(f"\n[{style}]{escape(formats.summary_line(report))}[/]")


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
