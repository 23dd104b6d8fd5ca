"""`mission report`: a self-contained HTML report and a Markdown twin, ready to publish."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from cli import console
from cli.options import TargetsOption, gather_returns, load_targets


def report(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Return files or folders.", show_default=False)
    ] = None,
    store: Annotated[
        Path | None, typer.Option("--store", help="Use the latest revisions in this store instead.")
    ] = None,
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="Folder to write report.html, report.md, charts/."),
    ] = Path("report"),
    as_of: Annotated[
        dt.datetime | None,
        typer.Option(
            "--as-of", formats=["%Y-%m-%d"], help="Judge as at this date (default today)."
        ),
    ] = None,
    targets: TargetsOption = None,
) -> None:
    """Write the progress report: key points, a section per target, charts, coverage, sources.

    Small counts (1 to 4) are suppressed, with a secondary cell where a total would reveal them.

    Example:

      mission report fixtures/demo -o report
    """
    from mission.progress import progress as compute
    from mission.publish import write_report

    target_set = load_targets(targets)
    returns = gather_returns(paths, store)
    result = compute(returns, target_set, as_of.date() if as_of else None)
    files = write_report(result, returns, output, target_set)
    console.err().print(f"Wrote {files['html']}, {files['markdown']} and {files['charts']}/")


def register(app: typer.Typer) -> None:
    app.command("report")(report)
