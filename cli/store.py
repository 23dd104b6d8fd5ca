"""`mission submit`, `history` and `export`: the returns store."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cli import console
from cli.exit_codes import ExitCode

StoreOption = Annotated[
    Path | None,
    typer.Option("--store", help="The store file (default: $MISSION_STORE).", show_default=False),
]


def parse_moment(text: str | None) -> dt.datetime | None:
    """A date means the end of that day (UTC); a datetime is taken as given (UTC if naive)."""
    if text is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date (2024-05-31) or datetime") from None
    if len(text) <= 10:
        moment = moment.replace(hour=23, minute=59, second=59, microsecond=999999)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def submit(
    paths: Annotated[
        list[Path], typer.Argument(help="Return files or folders.", show_default=False)
    ],
    store: StoreOption = None,
    by: Annotated[
        str | None, typer.Option("--by", help="Who submits (default: your user name).")
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Reject returns with warnings too.")
    ] = False,
) -> None:
    """Validate returns and keep the valid ones in the store; invalid ones change nothing.

    Sending the same content again is a no-op; a return for the same kind, ADP and period as an
    accepted one supersedes it (the old revision is kept). Exit 0 when every file was accepted
    or unchanged, 1 when any was rejected.

    Example:

      mission submit returns/glasgow-ost-2024-q2.xlsx --store national.sqlite
    """
    from cli.options import current_limits
    from mission.store import Store, store_path

    with Store(store_path(store)) as opened:
        outcomes = opened.submit(paths, by=by, strict=strict, limits=current_limits())
    out = console.out()
    from rich.markup import escape

    from mission.formats import finding_line

    styles = {"accepted": "green", "unchanged": "cyan", "rejected": "bold red"}
    for outcome in outcomes:
        out.print(
            f"[{styles[outcome.status]}]{outcome.status}[/] {escape(outcome.path)}: "
            f"{escape(outcome.message)}",
            soft_wrap=True,
        )
        if outcome.status == "rejected":
            for f in outcome.report.findings:
                if f.severity.value != "info":
                    out.print(f"  {escape(finding_line(f))}", soft_wrap=True)
    rejected = any(o.status == "rejected" for o in outcomes)
    raise typer.Exit(int(ExitCode.INVALID if rejected else ExitCode.OK))


def history(
    store: StoreOption = None,
    adp: Annotated[str | None, typer.Option("--adp", help="Only this ADP.")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="Only this kind.")] = None,
    period: Annotated[str | None, typer.Option("--period", help="Only this period.")] = None,
) -> None:
    """List submissions, newest first, with who sent them and what superseded what.

    Example:

      mission history --adp "Glasgow City" --kind ost --store national.sqlite
    """
    from rich.markup import escape
    from rich.table import Table

    from mission.adps import resolve_adp
    from mission.store import Store, store_path

    adp_code = resolve_adp(adp).code if adp else None
    canonical = _canonical_period(period)
    with Store(store_path(store), create=False) as opened:
        entries = opened.history(adp=adp_code, kind=kind, period=canonical)
    table = Table(title="Submissions", title_justify="left")
    for column in (
        "#",
        "submitted (UTC)",
        "by",
        "file",
        "kind",
        "ADPs",
        "periods",
        "rows",
        "status",
    ):
        table.add_column(column)
    for e in entries:
        status = e.status + (
            f" by #{', #'.join(map(str, e.superseded_by))}" if e.superseded_by else ""
        )
        table.add_row(
            str(e.id),
            e.submitted_at.strftime("%Y-%m-%d %H:%M:%S"),
            escape(e.submitted_by),
            escape(e.file_name),
            e.kind,
            _short(e.adps),
            _short(e.periods),
            f"{e.rows:,}",
            status,
        )
    console.out().print(table)


def _canonical_period(period: str | None) -> str | None:
    if period is None:
        return None
    from mission.periods import FinancialYear, InvalidPeriod, Quarter

    try:
        return str(Quarter.parse(period))
    except InvalidPeriod:
        if period.strip().isdigit():
            return period.strip()
        return str(FinancialYear.parse(period))


def _short(values: tuple[str, ...]) -> str:
    return (
        ", ".join(values)
        if len(values) <= 3
        else f"{', '.join(values[:2])} and {len(values) - 2} more"
    )


class ExportFormat(StrEnum):
    CSV = "csv"
    PARQUET = "parquet"


def export(
    kind: Annotated[str, typer.Option("--kind", "-k", help="The kind of return to export.")],
    store: StoreOption = None,
    format: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="csv or parquet.")
    ] = ExportFormat.CSV,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="As the store stood then: a date (end of day) or datetime, UTC."
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File (CSV goes to stdout without it).")
    ] = None,
    include_person_ids: Annotated[
        bool,
        typer.Option("--include-person-ids", help="Episodes only: keep the pseudonymised ids."),
    ] = False,
) -> None:
    """Export the accepted rows of a kind, latest revisions (or as they stood at --as-of).

    Examples:

      mission export --kind ost --store national.sqlite > ost.csv

      mission export --kind ost --as-of 2024-07-31 -f parquet -o ost-july.parquet
    """
    from mission.files import safe_csv, write_text_atomic, write_with
    from mission.store import Store, store_path

    with Store(store_path(store), create=False) as opened:
        frame = opened.export(
            kind, as_of=parse_moment(as_of), include_person_ids=include_person_ids
        )
    if format is ExportFormat.PARQUET:
        if output is None:
            from cli.errors import fail

            raise fail("--format parquet needs --output FILE", ExitCode.USAGE)
        write_with(output, lambda temporary: frame.write_parquet(temporary))
        return
    text = safe_csv(frame)
    if output is not None:
        write_text_atomic(output, text)
    else:
        typer.echo(text.rstrip("\n"))


def register(app: typer.Typer) -> None:
    app.command("submit")(submit)
    app.command("history")(history)
    app.command("export")(export)
