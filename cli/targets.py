"""`mission targets`: the Mission's targets, their figures and where they come from."""

from __future__ import annotations

from typing import Annotated

import typer

from cli import console
from cli.options import FormatOption, ListFormat, TargetsOption, echo_json, load_targets

app = typer.Typer(no_args_is_help=False)


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


@app.callback(invoke_without_command=True)
def list_targets(
    ctx: typer.Context,
    format: FormatOption = ListFormat.TABLE,
    targets: TargetsOption = None,
) -> None:
    """List the Mission's targets: baseline, target value, deadline and direction.

    Example: mission targets --format json
    """
    if ctx.invoked_subcommand is not None:
        return
    target_set = load_targets(targets)
    summaries = [t.summary() for t in target_set.values()]
    if format is ListFormat.JSON:
        echo_json([s.model_dump(mode="json") for s in summaries])
        return
    from rich.table import Table

    table = Table(title="National Drugs Mission targets", title_justify="left")
    for column in ("id", "title", "baseline", "target", "deadline", "direction"):
        table.add_column(column, justify="right" if column in ("baseline", "target") else "left")
    for s in summaries:
        baseline = (
            f"{_number(s.baseline_value)} ({s.baseline_period})" if s.baseline_period else "—"
        )
        table.add_row(
            s.id,
            s.title,
            baseline,
            _number(s.target_value),
            str(s.deadline or "—"),
            s.direction.value,
        )
    console.out().print(table)


@app.command("show")
def show_target(
    target_id: Annotated[str, typer.Argument(help="The target's id, e.g. ost.", metavar="ID")],
    format: FormatOption = ListFormat.TABLE,
    targets: TargetsOption = None,
) -> None:
    """Show one target in full: measure, baseline, milestones, local targets, sources.

    Example: mission targets show rehab
    """
    from cli.errors import fail
    from cli.exit_codes import ExitCode

    target_set = load_targets(targets)
    if target_id not in target_set:
        known = ", ".join(target_set)
        raise fail(f"{target_id!r} is not a target: the targets are {known}", ExitCode.INVALID)
    target = target_set[target_id]
    if format is ListFormat.JSON:
        echo_json(target.model_dump(mode="json"))
        return
    from cli.render import key_value_grid
    from mission.targets import mission_outcomes

    rows: list[tuple[str, str]] = [
        ("id", target.id),
        ("title", target.title),
        ("outcome", f"{target.outcome}: {mission_outcomes()[target.outcome]}"),
        ("measure", f"{target.measure.kind} return — {target.measure.description}"),
        ("unit", target.unit),
        ("direction", target.direction.value),
        ("target", _number(target.target_value)),
        ("deadline", str(target.deadline or "—")),
    ]
    if target.baseline:
        b = target.baseline
        rows.append(("baseline", f"{_number(b.value)} in {b.period}. {b.note}".strip()))
    for m in target.milestones:
        rows.append(("milestone", f"{m.label}: {_number(m.target_value)} by {m.deadline}"))
    for p in target.published:
        rows.append(("published", f"{p.period}: {_number(p.value)}. {p.note}".strip()))
    for local in target.local_targets:
        rows.append(("local target", f"{local.adp}: {_number(local.target_value)}"))
    for source in target.provenance:
        line = f"{source.publisher}, {source.document}"
        line += f" ({source.date})" if source.date else ""
        line += f" {source.url}" if source.url else ""
        rows.append(("source", line))
    if target.confidence:
        rows.append(("confidence", " ".join(target.confidence.split())))
    console.out().print(key_value_grid(rows))
