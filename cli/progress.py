"""`mission progress`: where Scotland, and each ADP, stands against every target."""

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from . import console
from .completion import complete_targets
from .exit_codes import ExitCode
from .options import (
    AdpOption,
    AsOfOption,
    OptionalPathsArgument,
    OutputOption,
    StoreOption,
    TargetsOption,
    as_of_moment,
    days_judged,
    emit,
    gather_returns,
    load_targets,
    output_format,
    resolve_adp,
    show,
    write_bytes,
)

if TYPE_CHECKING:
    from mission.tracker import Assessment, Progress, TargetProgress

    from .render import Grid, Span


class ProgressFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"
    XLSX = "xlsx"


class MethodChoice(StrEnum):
    STRAIGHT_LINE = "straight-line"
    SDG = "sdg"


STATUS_STYLE = {
    "achieved": "bold green",
    "on_track": "green",
    "off_track": "yellow",
    "deteriorating": "bold red",
    "missed": "red",
    "no_target": "dim",
    "no_data": "dim",
}
MAT_STYLE = {
    "blue": "white on blue",
    "green": "black on green",
    "provisional_green": "black on dark_sea_green",
    "amber": "black on orange3",
    "red": "white on red",
    "not_assessed": "dim",
}


def _bar(percent: float | None, width: int = 12) -> str:
    if percent is None:
        return ""
    from mission.tracker.wording import short_percent

    filled = round(max(0.0, min(percent, 100.0)) / 100 * width)
    return "█" * filled + "░" * (width - filled) + f" {short_percent(percent)}"


def _status(a: "Assessment") -> "Span":
    from mission.tracker.wording import status_text

    from .render import text

    return text(status_text(a), STATUS_STYLE[a.status.value])


def _targets_table(result: "Progress") -> "Grid":
    from mission.tracker.wording import judged_text, latest_text, number

    from .render import table

    return table(
        f"Progress against the National Mission targets, as of {result.as_of}",
        ("target", "status", "judged", "of the way", "latest", "target value", "deadline"),
        (
            (
                t.title,
                _status(t),
                judged_text(t, t.unit),
                _bar(t.percent_of_way),
                latest_text(t, t.unit),
                number(t.target_value, t.unit),
                str(t.deadline or "—"),
            )
            for t in result.targets
        ),
        right=("target value",),
    )


def _adps_table(target: "TargetProgress") -> "Grid":
    from mission.tracker.wording import judged_text, latest_text, target_number

    from .render import table

    return table(
        f"{target.title}: by ADP",
        ("ADP", "status", "judged", "of the way", "target", "target from", "latest", "vs Scotland"),
        (
            (
                a.name,
                _status(a),
                judged_text(a, target.unit),
                _bar(a.percent_of_way),
                target_number(a.target_value, a.judged_value, target.unit),
                a.target_source or "—",
                latest_text(a, target.unit),
                a.comparison or "",
            )
            for a in target.adps
        ),
        right=("target",),
    )


def _mat_matrix(result: "Progress") -> "Grid | None":
    """ADP x standard, letters in colour: readable without colour too."""
    from .render import table, text

    matrix = result.mat_matrix
    if matrix is None:
        return None
    return table(
        f"MAT standards by ADP, {matrix.year} (B blue, G green, PG provisional "
        "green, A amber, R red, - not assessed)",
        ("ADP", *(str(n) for n in range(1, 11))),
        (
            (row.name, *(text(f"{s.letter:^3}", MAT_STYLE[s.value]) for s in row.statuses))
            for row in matrix.rows
        ),
        center=[str(n) for n in range(1, 11)],
    )


def progress(
    ctx: typer.Context,
    paths: OptionalPathsArgument = None,
    store: StoreOption = None,
    target: Annotated[
        str | None,
        typer.Option(
            "--target",
            "-t",
            help="Show one target, ADP by ADP.",
            autocompletion=complete_targets,
        ),
    ] = None,
    adp: AdpOption = None,
    as_of: AsOfOption = None,
    method: Annotated[
        MethodChoice,
        typer.Option("--method", help="straight-line path to the deadline, or Open SDG's growth."),
    ] = MethodChoice.STRAIGHT_LINE,
    format: Annotated[
        ProgressFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="text, json, csv, markdown or xlsx (with -o FILE). Default: as the -o file is "
            "named (.json, .csv, .md, .xlsx), else text.",
            show_default=False,
        ),
    ] = None,
    output: OutputOption = None,
    targets: TargetsOption = None,
) -> None:
    """Show progress against every target, nationally and per ADP.

    A national figure built from fewer than all 30 ADPs says so; a missing ADP is never a zero.
    Markdown (with --adp, the ADP's board paper) and xlsx are for publication: they print
    through the same suppression patterns as `mission report`. Text, JSON and CSV are for
    analysts and are not suppressed.

    Examples:

      mission progress fixtures/demo

      mission progress fixtures/demo --target ost --as-of 2024-04-01

      mission progress fixtures/demo --adp "Dundee City" --format markdown

      mission progress fixtures/demo --format xlsx -o progress.xlsx
    """
    format = output_format(output, format, ProgressFormat.TEXT)
    from mission.tracker import Method
    from mission.tracker import progress as compute

    from .context import run_context
    from .errors import fail

    target_set = load_targets(targets)
    if target is not None and target not in target_set:
        known = ", ".join(target_set)
        raise fail(
            f"{target!r} is not a target: the targets are {known}", ExitCode.INVALID, "Not found"
        )
    adp_code = resolve_adp(adp)
    moment = as_of_moment(as_of)
    limit = run_context(ctx).limits.max_file_bytes
    if format is ProgressFormat.XLSX and (output is None or output == "-"):
        raise fail("--format xlsx writes a workbook: give its file name with -o", ExitCode.USAGE)
    returns = gather_returns(paths, store, limit, ctx, moment)
    whole = compute(
        returns,
        target_set,
        days_judged(moment),
        method=Method(method.value),
    )
    result = whole.only(target=target, adp=adp_code)
    if format is ProgressFormat.JSON:
        emit(result.model_dump_json(indent=2), output)
    elif format is ProgressFormat.CSV:
        from mission.formats import rows_csv

        emit(rows_csv(result.rows()), output)
    elif format is ProgressFormat.MARKDOWN:
        from mission.publish import progress_markdown

        # Printed through the publication's suppression (seconds, silent without a spinner).
        with console.working("Suppressing small counts for publication"):
            text = progress_markdown(
                whole, target_set, returns=returns, target=target, adp=adp_code
            )
        emit(text, output)
    elif format is ProgressFormat.XLSX:
        from mission.publish import progress_workbook

        assert output is not None
        with console.working("Suppressing small counts for publication"):
            workbook = progress_workbook(
                whole, target_set, returns=returns, target=target, adp=adp_code
            )
        write_bytes(workbook, output)
    else:
        _print(result, target, adp_code, output)


def _print(
    result: "Progress", target: str | None, adp_code: str | None, output: str | None
) -> None:
    from mission.tracker.wording import related_text

    from .render import Part, line, text

    parts: list[Part] = []
    if adp_code is None:
        parts.append(_targets_table(result))
    for t in result.targets:
        if target is not None or adp_code is not None:
            parts.append(_adps_table(t))
        parts += [line(f"{t.id}: {related_text(related)}") for related in t.related]
        parts += [line(text(f"{t.id}: {note}", "dim")) for note in t.notes]
    if target is not None:
        matrix = _mat_matrix(result)
        if matrix is not None:
            parts.append(matrix)
    parts += [line(text(note, "yellow")) for note in result.notes]
    show(parts, output)


def register(app: typer.Typer) -> None:
    app.command("progress")(progress)
