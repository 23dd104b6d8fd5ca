"""`mission template`: write a ready-to-fill return."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from mission.kinds import Kind

from . import console
from .options import AdpOption, OutputOption


class TemplateFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


def template(
    kind: Annotated[
        Kind,
        typer.Argument(help="The kind of return.", show_default=False, case_sensitive=False),
    ],
    format: Annotated[
        TemplateFormat, typer.Option("--format", "-f", help="csv, or xlsx with drop-down lists.")
    ] = TemplateFormat.CSV,
    adp: AdpOption = None,
    period: Annotated[
        str | None,
        typer.Option("--period", help="Pre-fill this quarter (or year), e.g. 2024/25 Q1."),
    ] = None,
    output: OutputOption = None,
) -> None:
    """Write a ready-to-fill return for KIND.

    With --adp and --period the rows to fill are laid out already. The Excel template has a
    frozen header, drop-down lists for ADPs and every fixed-choice column, and a notes sheet.

    Examples:

      mission template ost --adp "Glasgow City" --period "2024/25 Q1"

      mission template naloxone --format xlsx -o naloxone.xlsx
    """
    from mission.templates import write_template

    from .errors import fail
    from .exit_codes import ExitCode
    from .render import text

    target = Path(output) if output not in (None, "-") else Path(f"{kind.value}.{format.value}")
    if target.is_dir():
        raise fail(f"{target} is a folder: give a file name for --output", ExitCode.USAGE)
    write_template(kind, target, format.value, adp, period)
    console.err().print(text(f"Wrote {target}"))


def register(app: typer.Typer) -> None:
    app.command("template")(template)
