"""`mission check`: gate a repository of returns in CI."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli import console
from cli.exit_codes import ExitCode

if TYPE_CHECKING:
    from mission.check import CheckReport


class CheckFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"
    MARKDOWN = "markdown"


def check(
    folder: Annotated[
        Path, typer.Argument(help="The repository (holding mission.toml and returns/).")
    ] = Path("."),
    format: Annotated[
        CheckFormat, typer.Option("--format", "-f", help="text, json, github or markdown.")
    ] = CheckFormat.TEXT,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too.")] = False,
    require_complete: Annotated[
        bool, typer.Option("--require-complete", help="Fail when an ADP has not sent a return.")
    ] = False,
    summary: Annotated[
        Path | None,
        typer.Option(
            "--summary",
            help="Also write a Markdown summary here (default with "
            "--format github: $GITHUB_STEP_SUMMARY, when set).",
        ),
    ] = None,
) -> None:
    """Validate every return in a repository, check file names against content, and report
    which ADPs have not sent which kind for the latest period.

    The layout defaults to returns/<adp>/<kind>/<period>.<ext>; set it in mission.toml:

    \b
      [check]
      returns = "returns"
      pattern = "{adp}/{kind}/{period}.{ext}"
      kinds = ["ost", "rehab", "naloxone", "mat", "deaths"]

    Exit codes as for validate: 0 valid, 1 invalid, 2 could not run.

    Examples:

      mission check .

      mission check . --format github --strict
    """
    from mission import formats
    from mission.check import check_repository

    if not folder.is_dir():
        raise typer.BadParameter(f"{folder} is not a folder")
    from cli.options import current_limits

    result = check_repository(
        folder, strict=strict, require_complete=require_complete, limits=current_limits()
    )
    from cli.render import append_step_summary

    markdown = formats.check_markdown(result)
    append_step_summary(markdown, summary, github=format is CheckFormat.GITHUB)
    if format is CheckFormat.JSON:
        typer.echo(result.model_dump_json(indent=2))
    elif format is CheckFormat.GITHUB:
        annotations = formats.to_github(result.report)
        if annotations:
            typer.echo(annotations)
    elif format is CheckFormat.MARKDOWN:
        typer.echo(markdown.rstrip("\n"))
    else:
        _print_text(result)
    raise typer.Exit(int(ExitCode.OK if result.valid else ExitCode.INVALID))


def _print_text(result: CheckReport) -> None:
    from rich.markup import escape
    from rich.table import Table

    from cli.validate import _print_text as print_validation

    print_validation(result.report, 200)
    table = Table(title="Completeness", title_justify="left")
    for column in ("kind", "period", "reported", "missing"):
        table.add_column(column)
    for c in result.completeness:
        missing = ", ".join(c.missing) if c.missing else "none"
        table.add_row(c.kind, c.period or "—", f"{c.reported} of {c.expected}", escape(missing))
    console.out().print(table)


def register(app: typer.Typer) -> None:
    app.command("check")(check)
