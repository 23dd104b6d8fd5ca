"""`mission explain`: what each finding code means and how to fix it."""

import difflib
from enum import StrEnum
from typing import Annotated

import typer

from . import console
from .exit_codes import ExitCode


class ExplainFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"


def _complete_codes(incomplete: str) -> list[str]:
    from mission.catalogue import CATALOGUE

    return [code for code in CATALOGUE if code.startswith(incomplete)]


def explain(
    code: Annotated[
        str | None,
        typer.Argument(
            help="A finding code, e.g. total-mismatch.",
            show_default=False,
            autocompletion=_complete_codes,
        ),
    ] = None,
    format: Annotated[
        ExplainFormat,
        typer.Option("--format", "-f", help="text, json, or markdown (the README's list)."),
    ] = ExplainFormat.TEXT,
) -> None:
    """Explain finding codes: severity, meaning, an example and the fix.

    Examples:

      mission explain

      mission explain total-mismatch
    """
    from mission.catalogue import CATALOGUE
    from mission.findings_docs import catalogue_markdown

    from .render import key_value_grid, line, table

    if code is not None and code not in CATALOGUE:
        from .errors import fail

        near = difflib.get_close_matches(code[:64], list(CATALOGUE), n=3)
        hint = f": did you mean {', '.join(near)}?" if near else ": run `mission explain` for all"
        raise fail(f"{code!r} is not a finding code{hint}", ExitCode.INVALID, "Not found")
    infos = [CATALOGUE[code]] if code else list(CATALOGUE.values())
    if format is ExplainFormat.MARKDOWN:
        typer.echo(catalogue_markdown(infos))
        return
    if format is ExplainFormat.JSON:
        from .options import echo_json

        echo_json([{**vars(i), "severity": i.severity.value} for i in infos])
        return
    if code is None:
        codes = table(
            "Finding codes",
            ("code", "severity", "what it means"),
            ((i.code, i.severity.value, i.title) for i in infos),
        )
        console.show([codes, line("Run `mission explain CODE` for an example and the fix.")])
        return
    info = infos[0]
    rows = [
        ("code", info.code),
        ("severity", info.severity.value),
        ("title", info.title),
        ("meaning", info.meaning),
        ("example", info.example),
        ("fix", info.fix),
    ]
    console.show([key_value_grid(rows)])


def register(app: typer.Typer) -> None:
    app.command("explain")(explain)
