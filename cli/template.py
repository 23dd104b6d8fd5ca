"""`mission template`: write a ready-to-fill return."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from mission.kinds import Kind

from . import console
from .options import AdpOption, output_format, parse_kind


class TemplateFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


def template(
    kind: Annotated[
        Kind,
        typer.Argument(
            help="The kind of return.", show_default=False, parser=parse_kind, metavar="KIND"
        ),
    ],
    format: Annotated[
        TemplateFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="csv, or xlsx with drop-downs and rules. Default: what the -o file's name "
            "ends in (.csv, .xlsx), else csv.",
            show_default=False,
        ),
    ] = None,
    adp: AdpOption = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            help="Fill in the period: a quarter (2024/25 Q1); a financial year for mat "
            "(2024/25); a calendar year for deaths (2023). Episodes have no period column.",
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to this file ('-' for stdout). Without it: KIND.csv or KIND.xlsx in "
            "this folder. Never over a file already there (a filled-in return?) without "
            "--replace.",
        ),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Write over the file if it is already there."),
    ] = False,
) -> None:
    """Write a ready-to-fill return for KIND (ost, rehab, naloxone, mat, episodes, deaths or
    population).

    With --adp or --period the rows to fill are laid out already. The Excel template refuses
    what the contract refuses wherever Excel can: drop-downs for the ADP, the period and every
    choice, whole numbers of 0 or more for counts, dates up to today; each column shows its
    rule when selected, and an instructions sheet explains the rest.

    Examples:

      mission template ost --adp "Glasgow City" --period "2024/25 Q1" --format xlsx

      mission template mat --adp Fife --period 2024/25 -f xlsx -o mat.xlsx

      mission template ost -o ost.csv --replace

      mission template deaths --adp Orkney --period 2023
    """
    from mission.templates import write_template

    from .errors import fail
    from .exit_codes import ExitCode
    from .options import resolve_adp
    from .render import line

    resolve_adp(adp)  # an ADP that does not exist ends the run with exit 1, as everywhere
    format = output_format(output, format, TemplateFormat.CSV)
    if output == "-":
        _to_stdout(kind, format, adp, period)
        return
    target = Path(output) if output is not None else Path(f"{kind.value}.{format.value}")
    if target.is_dir():
        raise fail(f"{target} is a folder: give a file name for --output", ExitCode.USAGE)
    if target.exists() and not replace:
        raise fail(
            f"{target} is already here (your return?): it was left as it is. Give the "
            "template another name with -o, or add --replace to write over it.",
            ExitCode.USAGE,
        )
    write_template(kind, target, format.value, adp, period, replace=replace)
    console.show([line(f"Wrote {target}")], "err")


def _to_stdout(kind: Kind, format: TemplateFormat, adp: str | None, period: str | None) -> None:
    """`-o -`: the template on standard output (a workbook only into a pipe or a file)."""
    import sys
    import tempfile

    from mission.templates import write_template

    from .errors import fail
    from .exit_codes import ExitCode

    if format is TemplateFormat.XLSX and sys.stdout.isatty():
        raise fail("a workbook is not for a terminal: redirect it (> ost.xlsx)", ExitCode.USAGE)
    with tempfile.TemporaryDirectory() as folder:
        made = write_template(
            kind, Path(folder) / f"{kind.value}.{format.value}", format.value, adp, period
        )
        data = made.read_bytes()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def register(app: typer.Typer) -> None:
    app.command("template")(template)
