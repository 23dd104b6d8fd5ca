"""The root `mission` command: one sub-command or group per job, registered here."""

from __future__ import annotations

from typing import Annotated

import typer

from cli import (
    adps,
    check,
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
    max_file_mb: Annotated[
        int | None,
        typer.Option("--max-file-mb", min=1, help="Largest file to read (default 1024)."),
    ] = None,
    max_rows: Annotated[
        int | None,
        typer.Option("--max-rows", min=1, help="Most rows per file (default 20,000,000)."),
    ] = None,
    max_cells: Annotated[
        int | None,
        typer.Option(
            "--max-cells", min=1, help="Most cells an Excel sheet may span (default 100M)."
        ),
    ] = None,
    time_limit: Annotated[
        int | None,
        typer.Option("--time-limit", min=1, help="Stop (exit 2) after this many seconds."),
    ] = None,
) -> None:
    """Track Scotland's National Drugs Mission.

    Exit codes: 0 valid, 1 invalid (or not found), 2 could not run (bad option, missing file,
    broken target file, a resource limit), 3 internal error.
    """
    from cli.errors import start_time_limit
    from cli.options import set_limits

    set_limits(
        max_file_bytes=max_file_mb * 1024 * 1024 if max_file_mb else None,
        max_rows=max_rows,
        max_cells=max_cells,
    )
    if time_limit:
        start_time_limit(time_limit)


app.add_typer(targets.app, name="targets", help="The Mission's targets and their sources.")
app.add_typer(adps.app, name="adps", help="The 30 ADPs and the names they go by.")
validate.register(app)
progress.register(app)
report.register(app)
measures.register(app)
store.register(app)
check.register(app)
explain.register(app)
template.register(app)
standards.register(app)


def main() -> None:
    """Console-script entry point."""
    app()
