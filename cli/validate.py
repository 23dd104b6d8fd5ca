"""`mission validate`: check returns against the data contract and say exactly what to fix."""

from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from . import console
from .exit_codes import ExitCode
from .options import (
    ExcludeOption,
    KindOption,
    OutputOption,
    PathsArgument,
    SarifOption,
    emit,
    inputs,
    output_format,
)

if TYPE_CHECKING:
    from pathlib import Path

    from mission.kinds import Kind
    from mission.readers import NamedBytes
    from mission.report import Report


class ValidateFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    JUNIT = "junit"
    GITHUB = "github"
    SARIF = "sarif"
    HTML = "html"


_PROGRESS_FILES = 5
_PROGRESS_BYTES = 20_000_000


def validate(
    ctx: typer.Context,
    paths: PathsArgument,
    kind: KindOption = None,
    format: Annotated[
        ValidateFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="How to write the report. Default: as the -o file is named (.json, .sarif, "
            ".xml for junit, .html), else text.",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too.")] = False,
    max_findings: Annotated[
        int,
        typer.Option("--max-findings", min=0, help="Text output: list at most this many findings."),
    ] = 200,
    output: OutputOption = None,
    exclude: ExcludeOption = None,
    sarif: SarifOption = None,
    annotate: Annotated[
        str | None,
        typer.Option(
            "--annotate",
            metavar="OUT.xlsx",
            help="Also write a copy of the return with each finding marked at its cell (fill "
            "and comment) and a first sheet listing the findings with links. One return only; "
            "the return itself is never changed.",
        ),
    ] = None,
) -> None:
    """Check return files against the data contract.

    Every problem is reported with its file, row, column, value and a hint. Exit code 0 when
    every file is valid, 1 when any has errors (or warnings, with --strict), 2 when mission could
    not run (missing path, bad option).

    Examples:

      mission validate fixtures/valid

      mission validate returns/ --format github --strict

      mission validate ost.xlsx --format html -o findings.html

      cat ost.csv | mission validate - --kind ost

      mission validate ost.xlsx --annotate ost-checked.xlsx
    """
    format = output_format(output, format, ValidateFormat.TEXT)
    from mission.validation import validate as run

    from .context import protect, run_context

    limits = run_context(ctx).limits
    if annotate is not None:
        _check_annotate(paths, annotate)
    items = inputs(paths, limits.max_file_bytes)
    report = _with_progress(
        items,
        lambda on_file: run(
            items, kind, strict=strict, limits=limits, on_file=on_file, exclude=exclude or ()
        ),
    )
    protect(f.path for f in report.files)
    from .ci_outputs import outputs_target, summary_target
    from .options import refuse_read_files

    github = format is ValidateFormat.GITHUB
    refuse_read_files(
        output, sarif, summary_target(github=github), outputs_target(github=github), annotate
    )
    if format is ValidateFormat.TEXT and output in (None, "-"):
        from .render import validation_parts

        console.show(validation_parts(report, max_findings))
    else:
        emit(_render(report, format, max_findings), output)
    from .ci_outputs import write_sarif

    write_sarif(report, sarif)
    if format is ValidateFormat.GITHUB:
        from mission.formats import github_step_summary

        from .ci_outputs import append_step_summary, write_github_outputs

        append_step_summary(github_step_summary(report), github=True)
        write_github_outputs(report)
    if annotate is not None:
        _annotate(items[0], report, annotate, kind, ctx)
    raise typer.Exit(int(ExitCode.OK if report.valid else ExitCode.INVALID))


def _check_annotate(paths: list[str], output: str) -> None:
    """--annotate needs one return file, and a path that is not the return itself."""
    from pathlib import Path

    from mission.annotate import check_output

    from .errors import fail

    if len(paths) != 1 or (paths[0] != "-" and Path(paths[0]).is_dir()):
        raise fail("--annotate takes one return file, not several or a folder", ExitCode.USAGE)
    if paths[0] != "-":
        check_output(paths[0], output)


def _annotate(
    item: "Path | NamedBytes",
    report: "Report",
    output: str,
    kind: "Kind | None",
    ctx: typer.Context,
) -> None:
    from mission.annotate import annotate_return

    from .context import run_context
    from .render import line

    if len(report.files) != 1:
        return
    written = annotate_return(
        item, report.files[0], output, kind=kind, limits=run_context(ctx).limits
    )
    said = [
        line(
            f"Wrote {written.path}: {written.marked_cells} cell(s) marked, {written.listed} "
            "finding(s) listed. Your return is unchanged."
        )
    ]
    if written.lost:
        said.append(
            line(
                "The copy could not keep: " + "; ".join(written.lost) + " (they are still in "
                "your return)."
            )
        )
    console.show(said, "err")


def _with_progress(
    items: "list[Path | NamedBytes]", work: "Callable[[Callable[[str], None] | None], Report]"
) -> "Report":
    """Run `work(on_file)`, with a progress bar on stderr when it is a terminal and work is big."""
    from pathlib import Path

    if not console.stderr_is_terminal():
        return work(None)
    paths = [i for i in items if isinstance(i, Path)]
    size = sum(p.stat().st_size for p in paths if p.is_file())
    if len(items) < _PROGRESS_FILES and size <= _PROGRESS_BYTES:
        return work(None)
    from rich.progress import Progress

    with Progress(console=console.err(), transient=True) as progress:
        task = progress.add_task("Validating", total=None)

        def on_file(name: str) -> None:
            progress.update(task, advance=1, description="Validating")

        return work(on_file)


def _render(report: "Report", format: ValidateFormat, max_findings: int) -> str:
    """The report in a machine format, or as plain lines for a file."""
    import json

    from mission import formats

    if format is ValidateFormat.JSON:
        return formats.to_json(report)
    if format is ValidateFormat.JUNIT:
        return formats.to_junit(report)
    if format is ValidateFormat.GITHUB:
        return formats.to_github(report)
    if format is ValidateFormat.SARIF:
        return json.dumps(formats.to_sarif(report), indent=2)
    if format is ValidateFormat.HTML:
        return formats.to_html(report)
    lines = [formats.finding_line(f) for f in report.findings[:max_findings]]
    return "\n".join([*lines, formats.summary_line(report)])


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
