"""`mission measures`: waiting-times and same-day measures from record-level episodes."""

from enum import StrEnum
from typing import Annotated, Any

import typer

from .options import (
    AsOfOption,
    OutputOption,
    PathsArgument,
    as_of_moment,
    days_judged,
    echo_json,
    emit,
    inputs,
    output_format,
    protect_inputs,
    show,
    write_bytes,
)


class MeasuresFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    CSV = "csv"
    PARQUET = "parquet"


_BY = {"adp": "by ADP", "board": "by NHS board", "scotland": "for Scotland"}


class Level(StrEnum):
    ADP = "adp"
    BOARD = "board"
    SCOTLAND = "scotland"


_FIGURES = (
    "waits",
    "≤21 days",
    "95% CI",
    "median days",
    "waiting >6 weeks",
    "same-day OST",
    "referrals",
    "of which police",
)


def measures(
    ctx: typer.Context,
    paths: PathsArgument,
    by: Annotated[Level, typer.Option("--by", help="adp, board or scotland.")] = Level.ADP,
    format: Annotated[
        MeasuresFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="text, json, csv or parquet. Default: as the -o file is named, else text.",
            show_default=False,
        ),
    ] = None,
    output: OutputOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Waiting times (share within 21 days, median wait, people still waiting past 6 weeks),
    same-day OST starts and referrals, per area and quarter: the table shows police referrals,
    and --format csv or json every source. Person ids never appear in the output.

    Examples:

      mission measures fixtures/demo/episodes.csv --by board

      mission measures extract.parquet --format parquet -o measures.parquet
    """
    format = output_format(output, format, MeasuresFormat.TEXT)
    from mission.measures import measure_files
    from mission.validation import InvalidReturn

    from .context import run_context
    from .errors import fail
    from .exit_codes import ExitCode

    limits = run_context(ctx).limits
    protect_inputs(paths)
    try:
        moment = as_of_moment(as_of)
        table = measure_files(
            inputs(paths, limits.max_file_bytes),
            by.value,
            limits,
            days_judged(moment),
        )
    except InvalidReturn as error:
        message = f"{error}. Run `mission validate` on it for every finding."
        raise fail(message, ExitCode.INVALID, "Invalid return") from None
    if format is MeasuresFormat.PARQUET:
        if output is None or output == "-":
            raise fail("--format parquet needs --output FILE", ExitCode.USAGE)
        import io

        buffer = io.BytesIO()
        table.write_parquet(buffer)
        write_bytes(buffer.getvalue(), output)
        return
    if format is MeasuresFormat.JSON:
        import json

        # polars writes the rows (dates as ISO text); indented as every other command's JSON.
        echo_json(json.loads(table.write_json()), output)
        return
    if format is MeasuresFormat.CSV:
        emit(table.write_csv(), output)
        return
    from .render import table as draw

    view = draw(
        f"Waiting times and same-day access {_BY[by.value]}"
        + (f", as of {table['as_of'][0]}" if table.height else ""),
        ("area", "quarter", *_FIGURES),
        (
            (
                _area(row),
                row["quarter"] if row["complete"] else f"{row['quarter']} (to date)",
                f"{row['completed']:,}",
                _share(row["share_within_21_days"]),
                "—" if row["ci_low"] is None else f"{row['ci_low']:.1%}–{row['ci_high']:.1%}",
                "—" if row["median_wait_days"] is None else f"{row['median_wait_days']:.0f}",
                f"{row['waiting_over_6_weeks']:,}",
                _share(row["same_day_share"]),
                f"{row['referrals']:,}",
                f"{row['referrals_police']:,}",
            )
            for row in table.iter_rows(named=True)
        ),
        right=_FIGURES,
    )
    show([view], output)


def _area(row: dict[str, Any]) -> str:
    """The area's name, with the part of its ADPs the figures come from when not all."""
    sent, every = row["adps_sent"], row["adps_in_area"]
    return row["area_name"] if sent == every else f"{row['area_name']} ({sent} of {every} ADPs)"


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def register(app: typer.Typer) -> None:
    app.command("measures")(measures)
