"""`mission report`: a self-contained HTML report and a Markdown twin, ready to publish."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from . import console
from .exit_codes import ExitCode
from .options import (
    AsOfOption,
    OptionalPathsArgument,
    StoreOption,
    TargetsOption,
    as_of_moment,
    gather_returns,
    load_targets,
)


def report(
    ctx: typer.Context,
    paths: OptionalPathsArgument = None,
    store: StoreOption = None,
    output: Annotated[
        str,
        typer.Option(
            "--output", "-o", help="Folder to write report.html, report.md and charts/ into."
        ),
    ] = "report",
    as_of: AsOfOption = None,
    targets: TargetsOption = None,
) -> None:
    """Write the progress report: key points, a section per target, charts, coverage, sources.

    Small counts (1 to 4) are suppressed, with a secondary cell where a total would reveal them.
    A report writes several files, so --output names a folder.

    Example:

      mission report fixtures/demo -o report
    """
    from mission.publish import write_report
    from mission.tracker import progress as compute

    from .context import run_context
    from .errors import fail

    folder = Path(output)
    if output == "-" or (folder.exists() and not folder.is_dir()):
        raise fail(f"{output} is not a folder: a report writes several files", ExitCode.USAGE)
    target_set = load_targets(targets)
    moment = as_of_moment(as_of)
    returns = gather_returns(paths, store, run_context(ctx).limits.max_file_bytes, ctx, moment)
    result = compute(returns, target_set, moment.date() if moment else None)
    files = write_report(result, returns, folder, target_set)
    from .render import line

    console.show(
        [line(f"Wrote {files['html']}, {files['markdown']} and {files['charts']}/")], "err"
    )


def register(app: typer.Typer) -> None:
    app.command("report")(report)
