"""`mission report`: the national report, or a board paper per ADP, ready to publish."""

from collections.abc import Mapping
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
    days_judged,
    gather_returns,
    load_targets,
    resolve_adp,
)


def report(
    ctx: typer.Context,
    paths: OptionalPathsArgument = None,
    store: StoreOption = None,
    output: Annotated[
        str,
        typer.Option("--output", "-o", help="Folder to write the report (or board papers) into."),
    ] = "report",
    adp: Annotated[
        str | None,
        typer.Option(
            "--adp",
            "-a",
            help="Write this ADP's board paper instead of the national report; 'all' writes "
            "one per ADP (with an index).",
        ),
    ] = None,
    as_of: AsOfOption = None,
    targets: TargetsOption = None,
) -> None:
    """Write the progress report: key points, a section per target, rates, charts, sources.

    The national report is report.html (self-contained), report.md, report.csv and report.xlsx,
    with charts/. With --adp, a board paper for the ADP (ADP.html, ADP.md); --adp all writes one
    per ADP. Every view prints through one suppression pattern per table, and the run is audited
    before anything is written; published.json records what was published (`mission audit`).

    Examples:

      mission report fixtures/demo -o report

      mission report fixtures/demo --adp "Dundee City" -o papers

      mission report fixtures/demo --adp all -o papers
    """
    from mission.publish import DisclosureRefused, write_board_papers, write_report
    from mission.tracker import progress as compute

    from .context import run_context
    from .errors import fail

    folder = Path(output)
    if output == "-" or (folder.exists() and not folder.is_dir()):
        raise fail(f"{output} is not a folder: a report writes several files", ExitCode.USAGE)
    target_set = load_targets(targets)
    wanted = None if adp is None or adp.strip().lower() == "all" else resolve_adp(adp)
    moment = as_of_moment(as_of)
    with console.working("Reading the returns") as say:
        returns = gather_returns(paths, store, run_context(ctx).limits.max_file_bytes, ctx, moment)
        say("Judging progress")
        result = compute(returns, target_set, days_judged(moment))
        try:
            if adp is None:
                say("Writing the report: suppressing small counts, auditing, drawing charts")
                files = write_report(result, returns, folder, target_set)
            else:
                codes = [wanted] if wanted else _every_adp(result)
                say(
                    f"Writing {len(codes)} board paper{'s' if len(codes) > 1 else ''}: "
                    "suppressing small counts, auditing, drawing charts"
                )
                files = write_board_papers(result, returns, folder, codes, target_set)
        except DisclosureRefused as error:
            raise fail(str(error), ExitCode.INVALID, "Not published") from error
    _say_written(files, papers=adp is not None)


def _say_written(files: Mapping[str, Path], *, papers: bool) -> None:
    """Every file a report run wrote; each board paper is HTML and Markdown."""
    from .render import line

    pages = [p for key, p in files.items() if key not in ("charts", "published")]
    if papers:
        pages = [q for p in pages for q in (p, p.with_suffix(".md")) if q.exists()]
    written = ", ".join(str(p) for p in pages)
    console.show([line(f"Wrote {written}, {files['charts']}/ and {files['published']}")], "err")


def _every_adp(result: object) -> list[str]:
    from mission.tracker import Progress

    assert isinstance(result, Progress)
    return sorted({a.area for t in result.targets for a in t.adps})


def register(app: typer.Typer) -> None:
    app.command("report")(report)
