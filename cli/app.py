"""The root `mission` command: one sub-command or group per job, registered here."""

from __future__ import annotations

from typing import Annotated

import typer

from cli import (
    adps,
    explain,
    measures,
    progress,
    report,
    standards,
    store,
    targets,
    template,
    validate,
)
from cli.errors import MissionGroup

app = typer.Typer(
    cls=MissionGroup,
    name="mission",
    help="Track Scotland's National Drugs Mission: check ADP returns against the data contract "
    "and show progress towards the national targets.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from mission._version import __version__

        typer.echo(f"mission {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show a traceback when mission itself fails.")
    ] = False,
) -> None:
    """Track Scotland's National Drugs Mission.

    Exit codes: 0 valid, 1 invalid (or not found), 2 could not run (bad option, missing file,
    broken target file), 3 internal error.
    """


app.add_typer(targets.app, name="targets", help="The Mission's targets and their sources.")
app.add_typer(adps.app, name="adps", help="The 30 ADPs and the names they go by.")
validate.register(app)
progress.register(app)
report.register(app)
measures.register(app)
store.register(app)
explain.register(app)
template.register(app)
standards.register(app)


def main() -> None:
    """Console-script entry point."""
    app()
