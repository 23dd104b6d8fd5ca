"""`mission check`: gate a repository of returns in CI."""

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from . import console
from .exit_codes import ExitCode
from .options import ExcludeOption, OutputOption, SarifOption, emit, output_format

if TYPE_CHECKING:
    from mission.repository import CheckReport


class CheckFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"
    MARKDOWN = "markdown"
    SARIF = "sarif"
    JUNIT = "junit"


def check(
    ctx: typer.Context,
    folder: Annotated[
        str, typer.Argument(help="The repository (holding mission.toml and returns/).")
    ] = ".",
    format: Annotated[
        CheckFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="text, json, github, markdown, sarif or junit. Default: as the -o file is named "
            "(.json, .md, .sarif, .xml for junit), else text.",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too.")] = False,
    require_complete: Annotated[
        bool, typer.Option("--require-complete", help="Fail when an ADP has not sent a return.")
    ] = False,
    summary: Annotated[
        str | None,
        typer.Option(
            "--summary",
            help="Also write a Markdown summary here (default with "
            "--format github: $GITHUB_STEP_SUMMARY, when set).",
        ),
    ] = None,
    output: OutputOption = None,
    exclude: ExcludeOption = None,
    sarif: SarifOption = None,
) -> None:
    """Validate every return in a repository, check file names against content, and report
    which ADPs have not sent which kind for the latest period.

    The layout defaults to returns/<adp>/<kind>/<period>.<ext>; set it in mission.toml:

    \b
      [check]
      returns = "returns"
      pattern = "{adp}/{kind}/{period}.{ext}"
      kinds = ["ost", "rehab", "naloxone", "mat", "deaths"]

    Exit codes as for validate: 0 valid, 1 invalid, 2 could not run.

    Examples:

      mission check .

      mission check . --format github --strict
    """
    format = output_format(output, format, CheckFormat.TEXT)
    from mission import formats
    from mission.repository import check_repository

    from .context import protect, run_context

    if not Path(folder).is_dir():
        raise typer.BadParameter(f"{folder} is not a folder")
    result = check_repository(
        folder,
        strict=strict,
        require_complete=require_complete,
        limits=run_context(ctx).limits,
        exclude=exclude or (),
    )
    protect([*(f.path for f in result.report.files), Path(folder) / "mission.toml"])
    from .ci_outputs import outputs_target, summary_target, write_sarif
    from .options import refuse_read_files

    github = format is CheckFormat.GITHUB
    refuse_read_files(
        output,
        sarif,
        summary_target(Path(summary) if summary else None, github=github),
        outputs_target(github=github),
    )

    write_sarif(result.report, sarif, sarif_base(folder))
    from mission.formats.github import SUMMARY_FINDINGS

    from .ci_outputs import append_step_summary

    append_step_summary(
        formats.check_markdown(result, SUMMARY_FINDINGS),
        Path(summary) if summary else None,
        github=format is CheckFormat.GITHUB,
    )
    _write(result, format, output, Path(folder))
    raise typer.Exit(int(ExitCode.OK if result.valid else ExitCode.INVALID))


def _write(result: "CheckReport", format: CheckFormat, output: str | None, folder: Path) -> None:
    """The report in `format` (a return --require-complete misses is one of its errors)."""
    from mission import formats

    if format is CheckFormat.JSON:
        from .options import echo_json

        echo_json(result.to_dict(), output)
    elif format is CheckFormat.GITHUB:
        _github(result, output)
    elif format is CheckFormat.SARIF:
        import json

        emit(json.dumps(formats.to_sarif(result.report, sarif_base(folder)), indent=2), output)
    elif format is CheckFormat.JUNIT:
        emit(formats.to_junit(result.report, "mission check"), output)
    elif format is CheckFormat.MARKDOWN:
        emit(formats.check_markdown(result), output)
    else:
        _print_text(result, output)


def _github(result: "CheckReport", output: str | None) -> None:
    """Annotations, and the step's outputs (valid, errors, warnings, complete)."""
    from mission import formats

    from .ci_outputs import write_github_outputs

    complete = not any(c.missing for c in result.completeness)
    write_github_outputs(result.report, complete=complete)
    annotations = formats.to_github(result.report)
    if annotations or output not in (None, "-"):
        emit(annotations, output)


def _print_text(result: "CheckReport", output: str | None) -> None:
    from .render import table, validation_parts

    completeness = table(
        "Completeness",
        ("kind", "period", "reported", "missing"),
        (
            (
                c.kind.value,
                c.period or "—",
                f"{c.reported} of {c.expected}",
                c.missing_text(),
            )
            for c in result.completeness
        ),
    )
    parts = [*validation_parts(result.report, 200), completeness]
    if output not in (None, "-"):
        from mission.formats import finding_line, summary_line

        lines = [finding_line(f) for f in result.report.findings]
        lines.append(summary_line(result.report))
        lines += [
            f"{c.kind.value} {c.period or '-'}: {c.reported} of {c.expected} reported"
            for c in result.completeness
        ]
        emit("\n".join(lines), output)
        return
    console.show(parts)


def sarif_base(folder: str | Path) -> Path:
    """Where a SARIF log's paths start: in GitHub Actions the checkout (code scanning reads every
    path from the repository's root, whatever folder was checked: a path from `returns-repo/`
    would name a file that is not there), else the folder checked."""
    import os

    checked = Path(os.path.abspath(folder))
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if workspace and checked.is_relative_to(os.path.abspath(workspace)):
        return Path(os.path.abspath(workspace))
    return checked


def register(app: typer.Typer) -> None:
    app.command("check")(check)
