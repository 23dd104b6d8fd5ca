"""`mission measures`: waiting-times and same-day measures from record-level episodes."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cli import console


class MeasuresFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    CSV = "csv"
    PARQUET = "parquet"


class Level(StrEnum):
    ADP = "adp"
    BOARD = "board"
    SCOTLAND = "scotland"


def measures(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Episodes returns (CSV, Excel, JSON or Parquet).", show_default=False),
    ],
    by: Annotated[Level, typer.Option("--by", help="adp, board or scotland.")] = Level.ADP,
    format: Annotated[
        MeasuresFormat, typer.Option("--format", "-f", help="text, json, csv or parquet.")
    ] = MeasuresFormat.TEXT,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file (needed for parquet).")
    ] = None,
) -> None:
    """Waiting times (share within 21 days, median wait, waits over 6 weeks), same-day OST starts
    and referrals by source, per area and quarter. Person ids never appear in the output.

    Examples:

      mission measures fixtures/demo/episodes.csv --by board

      mission measures extract.parquet --format parquet -o measures.parquet
    """
    from cli.errors import fail
    from cli.exit_codes import ExitCode
    from cli.options import current_limits
    from mission.measures import measure_files
    from mission.validation import InvalidReturn

    try:
        table = measure_files(paths, by.value, current_limits())
    except InvalidReturn as error:
        message = f"{error}. Run `mission validate` on it for every finding."
        raise fail(message, ExitCode.INVALID, "Invalid return") from None
    if format is MeasuresFormat.PARQUET:
        if output is None:
            raise fail("--format parquet needs --output FILE", ExitCode.USAGE)
        from mission.files import write_with

        write_with(output, lambda temporary: table.write_parquet(temporary))
        return
    if format in (MeasuresFormat.JSON, MeasuresFormat.CSV):
        text = table.write_json() if format is MeasuresFormat.JSON else table.write_csv()
        if output is not None:
            from mission.files import write_text_atomic

            write_text_atomic(output, text)
        else:
            typer.echo(text.rstrip("\n"))
        return
    from rich.table import Table

    view = Table(title=f"Waiting times and same-day access by {by.value}", title_justify="left")
    headers = (
        "area",
        "quarter",
        "waits",
        "≤21 days",
        "95% CI",
        "median days",
        ">6 weeks",
        "same-day OST",
        "referrals",
        "police",
    )
    for header in headers:
        view.add_column(header, justify="left" if header in ("area", "quarter") else "right")
    for row in table.iter_rows(named=True):
        interval = "—" if row["ci_low"] is None else f"{row['ci_low']:.1%}–{row['ci_high']:.1%}"
        view.add_row(
            row["area_name"],
            row["quarter"],
            f"{row['completed']:,}",
            _share(row["share_within_21_days"]),
            interval,
            "—" if row["median_wait_days"] is None else f"{row['median_wait_days']:.0f}",
            f"{row['waiting_over_6_weeks']:,}",
            _share(row["same_day_share"]),
            f"{row['referrals']:,}",
            f"{row['referrals_police']:,}",
        )
    console.out().print(view)


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def register(app: typer.Typer) -> None:
    app.command("measures")(measures)
