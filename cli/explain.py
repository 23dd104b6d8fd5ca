"""`mission explain`: what each finding code means and how to fix it."""

from __future__ import annotations

import difflib
from enum import StrEnum
from typing import Annotated

import typer

from cli import console
from cli.exit_codes import ExitCode


class ExplainFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"


def explain(
    code: Annotated[
        str | None, typer.Argument(help="A finding code, e.g. total-mismatch.", show_default=False)
    ] = None,
    format: Annotated[
        ExplainFormat,
        typer.Option("--format", "-f", help="table, json, or markdown (the README's list)."),
    ] = ExplainFormat.TABLE,
) -> None:
    """Explain finding codes: severity, meaning, an example and the fix.

    Examples:

      mission explain

      mission explain total-mismatch
    """
    from mission.findings import CATALOGUE
    from mission.findings_docs import catalogue_markdown

    if code is not None and code not in CATALOGUE:
        from cli.errors import fail

        near = difflib.get_close_matches(code, list(CATALOGUE), n=3)
        hint = f": did you mean {', '.join(near)}?" if near else ": run `mission explain` for all"
        raise fail(f"{code!r} is not a finding code{hint}", ExitCode.INVALID, "Not found")
    infos = [CATALOGUE[code]] if code else list(CATALOGUE.values())
    if format is ExplainFormat.MARKDOWN:
        typer.echo(catalogue_markdown(infos))
        return
    if format is ExplainFormat.JSON:
        from cli.options import echo_json

        echo_json([{**vars(i), "severity": i.severity.value} for i in infos])
        return
    from rich.table import Table

    out = console.out()
    if code is None:
        table = Table(title="Finding codes", title_justify="left")
        for column in ("code", "severity", "what it means"):
            table.add_column(column)
        for info in infos:
            table.add_row(info.code, info.severity.value, info.title)
        out.print(table)
        out.print("Run `mission explain CODE` for an example and the fix.")
        return
    from cli.render import key_value_grid

    info = infos[0]
    rows = [
        ("code", info.code),
        ("severity", info.severity.value),
        ("title", info.title),
        ("meaning", info.meaning),
        ("example", info.example),
        ("fix", info.fix),
    ]
    out.print(key_value_grid(rows))


def register(app: typer.Typer) -> None:
    app.command("explain")(explain)
