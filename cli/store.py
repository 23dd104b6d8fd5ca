"""`mission submit`, `history`, `export` and `upgrade`: the returns store."""

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mission.kinds import Kind

from . import console
from .errors import Stopped
from .exit_codes import ExitCode
from .options import (
    KIND_METAVAR,
    AdpOption,
    AsOfOption,
    FormatOption,
    KindFilterOption,
    ListFormat,
    OutputOption,
    PathsArgument,
    StoreOption,
    as_of_moment,
    echo_json,
    emit,
    inputs,
    output_format,
    parse_kind,
    resolve_adp,
    write_file,
)

if TYPE_CHECKING:
    from mission.store import HistoryEntry, Store

    from .render import Part


def submit(
    ctx: typer.Context,
    paths: PathsArgument,
    store: StoreOption = None,
    by: Annotated[
        str | None, typer.Option("--by", help="Who submits (default: your user name).")
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Reject returns with warnings too.")
    ] = False,
) -> None:
    """Validate returns and keep the valid ones in the store; invalid ones change nothing.

    The valid files of one submit land together, in one transaction. Sending the same content
    again is a no-op; a return for the same kind, ADP and period as an accepted one supersedes
    it (the old revision is kept); two files of one submit for the same kind, ADP and period are
    both rejected (combine them into one). Exit 0 when every file was accepted or unchanged, 1
    when any was rejected.

    Example:

      mission submit returns/glasgow-ost-2024-q2.xlsx --store national.sqlite
    """
    from mission.formats import finding_line
    from mission.store import Store, store_path

    from .context import run_context
    from .render import line, text

    limits = run_context(ctx).limits
    moment = dt.datetime.now(dt.UTC)
    with Store(store_path(store)) as opened:
        try:
            outcomes = opened.submit(
                inputs(paths, limits.max_file_bytes),
                by=by,
                strict=strict,
                limits=limits,
            )
        except (KeyboardInterrupt, Stopped):
            _tell_kept(opened, moment)
            raise
    styles = {"accepted": "green", "unchanged": "cyan", "rejected": "bold red"}
    parts: list[Part] = []
    for outcome in outcomes:
        parts.append(
            line(
                text(outcome.status, styles[outcome.status]), f" {outcome.path}: {outcome.message}"
            )
        )
        # A rejected return's errors and warnings say why; an accepted one's warnings are
        # shown too (a -100% change, a number read a thousand times too small), or only
        # --strict would ever show them.
        parts += [
            line(f"  {finding_line(f)}")
            for f in outcome.report.findings
            if f.severity.value == "warning"
            or (outcome.status == "rejected" and f.severity.value != "info")
        ]
    console.show(parts)
    rejected = any(o.status == "rejected" for o in outcomes)
    raise typer.Exit(int(ExitCode.INVALID if rejected else ExitCode.OK))


def _tell_kept(store: "Store", moment: dt.datetime) -> None:
    """A stop that came after the store committed (a Ctrl-C in the instant after it): say what
    it kept, so the run's 130 is not read as "nothing was submitted"."""
    kept = [entry for entry in store.history() if entry.submitted_at >= moment]
    if kept:
        numbers = ", ".join(f"#{entry.id}" for entry in kept)
        console.err().print(
            f"mission: stopped after the store had kept {len(kept)} return(s) (submission "
            f"{numbers}): see `mission history`",
            markup=False,
            highlight=False,
        )


def history(
    store: StoreOption = None,
    adp: AdpOption = None,
    kind: KindFilterOption = None,
    period: Annotated[str | None, typer.Option("--period", help="Only this period.")] = None,
    format: FormatOption = ListFormat.TEXT,
) -> None:
    """List submissions, newest first, with who sent them and what superseded what.

    Example:

      mission history --adp "Glasgow City" --kind ost --store national.sqlite
    """
    from mission.periods import canonical_period
    from mission.store import Store, store_path

    from .render import table

    adp_code = resolve_adp(adp)
    canonical = canonical_period(period) if period else None
    with Store(store_path(store), read_only=True) as opened:
        entries = opened.history(adp=adp_code, kind=kind, period=canonical)
    if format is ListFormat.JSON:
        echo_json([{**e.model_dump(mode="json"), "status": e.status} for e in entries])
        return
    view = table(
        "Submissions",
        ("#", "submitted (UTC)", "by", "file", "kind", "ADPs", "periods", "rows", "status"),
        (
            (
                e.id,
                e.submitted_at.strftime("%Y-%m-%d %H:%M:%S"),
                e.submitted_by,
                e.file_name,
                e.kind,
                _short(e.adps),
                _short(e.periods),
                f"{e.rows:,}",
                e.status
                + (f" by #{', #'.join(map(str, e.superseded_by))}" if e.superseded_by else ""),
            )
            for e in entries
        ),
    )
    parts: list[Part] = [view]
    if entries and (adp_code or canonical):
        from .render import line

        asked = " and ".join(filter(None, (adp, canonical)))
        parts.append(
            line(
                f"ADPs, periods and rows are each whole file's; the status is that of {asked}'s "
                "slices."
            )
        )
    console.show(parts)


def upgrade(store: StoreOption = None) -> None:
    """Bring a store made by an older mission up to this one, in place and in one transaction.

    Commands that only read (export, history, progress --store) refuse an older store rather
    than rewrite it; submit upgrades it before it writes. An older mission cannot read the store
    once it is upgraded. Exit 0 when the store is current (upgraded now or already).

    Example:

      mission upgrade --store national.sqlite
    """
    from mission.store import SCHEMA_VERSION, Store, store_path

    path = store_path(store)
    with Store(path, create=False) as opened:
        was, not_compacted = opened.upgraded_from, opened.not_compacted
    if was is None:
        typer.echo(f"{path}: already schema {SCHEMA_VERSION}, this mission's; nothing to do")
    else:
        typer.echo(f"{path}: upgraded from schema {was} to {SCHEMA_VERSION}")
    if not_compacted:
        typer.echo(
            f"{path}: could not be compacted ({not_compacted}): the upgrade stands, and the "
            "space the old tables took is reused by later submits"
        )


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
    kind: Annotated[
        Kind,
        typer.Option(
            "--kind",
            "-k",
            help="The kind of return to export.",
            parser=parse_kind,
            metavar=KIND_METAVAR,
            show_default=False,
        ),
    ],
    store: StoreOption = None,
    format: Annotated[
        ExportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="csv or parquet. Default: as the -o file is named, else csv.",
            show_default=False,
        ),
    ] = None,
    as_of: AsOfOption = None,
    output: OutputOption = None,
    include_person_ids: Annotated[
        bool,
        typer.Option("--include-person-ids", help="Episodes only: keep the pseudonymised ids."),
    ] = False,
) -> None:
    """Export the accepted rows of a kind, latest revisions (or as they stood at --as-of).

    Examples:

      mission export --kind ost --store national.sqlite > ost.csv

      mission export --kind ost --as-of 2024-07-31T17:00+01:00 -f parquet -o ost-july.parquet
    """
    format = output_format(output, format, ExportFormat.CSV)
    from mission.files import safe_csv, write_safe_csv
    from mission.store import Store, store_path

    from .context import protect_store
    from .errors import fail

    path = store_path(store)
    protect_store(path)
    moment = as_of_moment(as_of)
    with Store(path, read_only=True) as opened:
        frame = opened.export(kind, as_of=moment, include_person_ids=include_person_ids)
        if frame.height == 0 and moment is not None:
            _say_nothing_stood(opened.history(kind=kind), moment)
    if output is None or output == "-":
        if format is ExportFormat.PARQUET:
            raise fail("--format parquet needs --output FILE", ExitCode.USAGE)
        emit(safe_csv(frame), output)
        return

    def write(path: Path) -> None:
        # polars writes straight into the file: a large export is never copied in memory first.
        with path.open("wb") as stream:
            if format is ExportFormat.PARQUET:
                frame.write_parquet(stream)
            else:
                write_safe_csv(frame, stream)

    write_file(output, write)


def _say_nothing_stood(history: "list[HistoryEntry]", moment: "dt.datetime") -> None:
    """An empty export at --as-of: say that --as-of is when returns were stored, not a period."""
    from .render import line

    if not history:
        return
    first = min(h.submitted_at for h in history)
    # To the second when they share a minute (`by 11:14 ... the first was on 11:14` read as
    # if the first stood by then).
    shown = "%Y-%m-%d %H:%M" + (":%S" if f"{moment:%Y%m%d%H%M}" == f"{first:%Y%m%d%H%M}" else "")
    console.show(
        [
            line(
                f"Nothing of this kind had been accepted by {moment:{shown}} UTC: --as-of "
                f"is when returns were stored (the first was on {first:{shown}}), not the "
                "period they cover."
            )
        ],
        "err",
    )


def register(app: typer.Typer) -> None:
    app.command("submit")(submit)
    app.command("history")(history)
    app.command("export")(export)
    app.command("upgrade")(upgrade)
