"""`mission template`: write a ready-to-fill return."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cli import console


class TemplateFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


def template(
    kind: Annotated[
        str,
        typer.Argument(help="ost, rehab, naloxone, mat, episodes or deaths.", show_default=False),
    ],
    format: Annotated[
        TemplateFormat, typer.Option("--format", "-f", help="csv, or xlsx with drop-down lists.")
    ] = TemplateFormat.CSV,
    adp: Annotated[
        str | None, typer.Option("--adp", help="Pre-fill the rows for this ADP.")
    ] = None,
    period: Annotated[
        str | None,
        typer.Option("--period", help="Pre-fill this quarter (or year), e.g. 2024/25 Q1."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: KIND.csv/.xlsx).")
    ] = None,
) -> None:
    """Write a ready-to-fill return for KIND.

    With --adp and --period the rows to fill are laid out already. The Excel template has a
    frozen header, drop-down lists for ADPs and every fixed-choice column, and a notes sheet.

    Examples:

      mission template ost --adp "Glasgow City" --period "2024/25 Q1"

      mission template naloxone --format xlsx -o naloxone.xlsx
    """
    from mission.spec import kind_spec
    from mission.templates import write_template

    spec = kind_spec(kind)
    target = output or Path(f"{spec.name}.{format.value}")
    write_template(spec.name, target, format.value, adp, period)
    console.err().print(f"Wrote {target}")


def register(app: typer.Typer) -> None:
    app.command("template")(template)
