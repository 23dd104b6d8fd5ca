"""`mission progress`: where Scotland, and each ADP, stands against every target."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli import console
from cli.options import TargetsOption, gather_returns, load_targets

if TYPE_CHECKING:
    from rich.table import Table

    from mission.progress import Assessment, Progress, TargetProgress


class ProgressFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"


class MethodChoice(StrEnum):
    STRAIGHT_LINE = "straight-line"
    SDG = "sdg"


STATUS_STYLE = {
    "achieved": "bold green",
    "on_track": "green",
    "off_track": "yellow",
    "deteriorating": "bold red",
    "missed": "red",
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


def _number(value: float | None, unit: str = "") -> str:
    if value is None:
        return "—"
    if "percent" in unit:
        return f"{value:.1f}%"
    return f"{value:,.0f}"


def _bar(percent: float | None, width: int = 12) -> str:
    if percent is None:
        return ""
    filled = round(max(0.0, min(percent, 100.0)) / 100 * width)
    return "█" * filled + "░" * (width - filled) + f" {percent:.0f}%"


def _coverage(a: Assessment) -> str:
    return f"{a.coverage.reported}/{a.coverage.expected}"


def _targets_table(result: Progress) -> Table:
    from rich.table import Table

    table = Table(
        title=f"Progress against the National Mission targets, as of {result.as_of}",
        title_justify="left",
    )
    for column in (
        "target",
        "status",
        "latest",
        "period",
        "target value",
        "deadline",
        "progress",
        "ADPs",
    ):
        table.add_column(
            column, justify="right" if column in ("latest", "target value") else "left"
        )
    for t in result.targets:
        style = STATUS_STYLE[t.status.value]
        table.add_row(
            t.title,
            f"[{style}]{t.status.label}[/]",
            _number(t.latest_value, t.unit),
            t.latest_period or "—",
            _number(t.target_value, t.unit),
            str(t.deadline or "—"),
            _bar(t.percent_of_way),
            _coverage(t),
        )
    return table


def _adps_table(target: TargetProgress, only: str | None) -> Table:
    from rich.table import Table

    table = Table(title=f"{target.title}: by ADP", title_justify="left")
    for column in (
        "ADP",
        "status",
        "latest",
        "period",
        "target",
        "target from",
        "progress",
        "vs Scotland",
    ):
        table.add_column(column, justify="right" if column in ("latest", "target") else "left")
    for a in target.adps:
        if only and a.area != only:
            continue
        table.add_row(
            a.name,
            f"[{STATUS_STYLE[a.status.value]}]{a.status.label}[/]",
            _number(a.latest_value, target.unit),
            a.latest_period or "—",
            _number(a.target_value, target.unit),
            a.target_source or "—",
            _bar(a.percent_of_way),
            a.comparison or "",
        )
    return table


def _mat_matrix(result: Progress) -> Table | None:
    """ADP x standard, letters in colour: readable without colour too."""
    from rich.table import Table

    matrix = result.mat_matrix
    if matrix is None:
        return None
    table = Table(
        title=f"MAT standards by ADP, {matrix.year} (B blue, G green, PG provisional "
        "green, A amber, R red, - not assessed)",
        title_justify="left",
    )
    table.add_column("ADP")
    for n in range(1, 11):
        table.add_column(str(n), justify="center")
    for row in matrix.rows:
        cells = [f"[{MAT_STYLE[s.value]}]{s.letter:^3}[/]" for s in row.statuses]
        table.add_row(row.name, *cells)
    return table


def _rows(result: Progress) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for t in result.targets:
        for a in (t, *t.adps):
            rows.append(
                {
                    "target": t.id,
                    "area": a.area,
                    "name": a.name,
                    "status": a.status.value,
                    "latest_value": a.latest_value,
                    "latest_period": a.latest_period,
                    "target_value": a.target_value,
                    "target_source": a.target_source,
                    "deadline": a.deadline,
                    "expected_value_now": a.expected_value_now,
                    "projected_value": a.projected_value,
                    "percent_of_way": a.percent_of_way,
                    "reported": a.coverage.reported,
                    "expected": a.coverage.expected,
                    "comparison": a.comparison,
                }
            )
    return rows


def progress(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Return files or folders (invalid files are left out, and said so).",
            show_default=False,
        ),
    ] = None,
    store: Annotated[
        Path | None, typer.Option("--store", help="Use the latest revisions in this store instead.")
    ] = None,
    target: Annotated[
        str | None, typer.Option("--target", "-t", help="Show one target, ADP by ADP.")
    ] = None,
    adp: Annotated[str | None, typer.Option("--adp", help="Show one ADP on every target.")] = None,
    as_of: Annotated[
        dt.datetime | None,
        typer.Option(
            "--as-of", formats=["%Y-%m-%d"], help="Judge as at this date (default today)."
        ),
    ] = None,
    method: Annotated[
        MethodChoice,
        typer.Option("--method", help="straight-line path to the deadline, or Open SDG's growth."),
    ] = MethodChoice.STRAIGHT_LINE,
    format: Annotated[
        ProgressFormat, typer.Option("--format", "-f", help="text, json, csv or markdown.")
    ] = ProgressFormat.TEXT,
    targets: TargetsOption = None,
) -> None:
    """Show progress against every target, nationally and per ADP.

    A national figure built from fewer than all 30 ADPs says so; a missing ADP is never a zero.

    Examples:

      mission progress fixtures/demo

      mission progress fixtures/demo --target ost --as-of 2024-04-01

      mission progress fixtures/demo --adp "Dundee City" --format markdown
    """
    from mission.adps import resolve_adp
    from mission.progress import Method
    from mission.progress import progress as compute

    target_set = load_targets(targets)
    if target is not None and target not in target_set:
        from cli.errors import fail
        from cli.exit_codes import ExitCode

        known = ", ".join(target_set)
        raise fail(f"{target!r} is not a target: the targets are {known}", ExitCode.USAGE)
    adp_code = resolve_adp(adp).code if adp else None
    result = compute(
        gather_returns(paths, store),
        target_set,
        as_of.date() if as_of else None,
        method=Method(method.value),
    )
    if target is not None:
        result = result.model_copy(update={"targets": (result.target(target),)})
    if adp_code is not None:
        chosen = tuple(
            t.model_copy(update={"adps": tuple(a for a in t.adps if a.area == adp_code)})
            for t in result.targets
        )
        result = result.model_copy(update={"targets": chosen})
    if format is ProgressFormat.JSON:
        typer.echo(result.model_dump_json(indent=2))
        return
    if format is ProgressFormat.CSV:
        import csv
        import io

        from mission.files import neutralise_formula

        rows = _rows(result)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {k: neutralise_formula("" if v is None else str(v)) for k, v in row.items()}
            )
        typer.echo(buffer.getvalue().rstrip("\n"))
        return
    if format is ProgressFormat.MARKDOWN:
        from mission.publish import progress_markdown

        typer.echo(progress_markdown(result))
        return
    out = console.out()
    if adp_code is None:
        out.print(_targets_table(result))
    for t in result.targets:
        if target is not None or adp_code is not None:
            out.print(_adps_table(t, adp_code))
        for note in t.notes:
            out.print(f"[dim]{t.id}: {note}[/]", soft_wrap=True)
    if target == "mat":
        matrix = _mat_matrix(result)
        if matrix is not None:
            out.print(matrix)
    for note in result.notes:
        out.print(f"[yellow]{note}[/]", soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.command("progress")(progress)
