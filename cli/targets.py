"""`mission targets`: the Mission's targets, their figures and where they come from."""

from typing import Annotated

import typer

from . import console
from .completion import complete_targets
from .options import (
    FormatOption,
    ListFormat,
    TargetsOption,
    echo_json,
    load_targets,
)

app = typer.Typer(no_args_is_help=False)


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


@app.callback(invoke_without_command=True)
def list_targets(
    ctx: typer.Context,
    format: FormatOption = ListFormat.TEXT,
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
    from mission.tracker.wording import number

    from .render import table

    units = {t.id: t.unit for t in target_set.values()}
    view = table(
        "National Drugs Mission targets",
        ("id", "title", "baseline", "target", "deadline", "direction"),
        (
            (
                s.id,
                s.title,
                f"{number(s.baseline_value, units[s.id])} ({s.baseline_period})"
                if s.baseline_period
                else "—",
                number(s.target_value, units[s.id]) if s.target_value is not None else "—",
                str(s.deadline or "—"),
                s.direction.value,
            )
            for s in summaries
        ),
        right=("baseline", "target"),
    )
    console.show([view])


@app.command("show")
def show_target(
    target_id: Annotated[
        str,
        typer.Argument(
            help="The target's id, e.g. ost.", metavar="ID", autocompletion=complete_targets
        ),
    ],
    format: FormatOption = ListFormat.TEXT,
    targets: TargetsOption = None,
) -> None:
    """Show one target in full: measure, baseline, published figures, local targets, sources.

    Example: mission targets show rehab
    """
    from .errors import fail
    from .exit_codes import ExitCode

    target_set = load_targets(targets)
    if target_id not in target_set:
        known = ", ".join(target_set)
        raise fail(
            f"{target_id!r} is not a target: the targets are {known}", ExitCode.INVALID, "Not found"
        )
    target = target_set[target_id]
    if format is ListFormat.JSON:
        echo_json(target.model_dump(mode="json"))
        return
    from mission.targets import mission_outcomes

    from .render import key_value_grid

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
    if target.measure.standards:
        numbers = ", ".join(str(n) for n in target.measure.standards)
        rows.append(("standards", f"MAT {numbers}"))
    for p in target.published:
        series = f" ({p.series.replace('_', ' ')})" if p.series else ""
        rows.append(("published", f"{p.period}{series}: {_number(p.value)}. {p.note}".strip()))
    for local in target.local_targets:
        rows.append(("local target", f"{local.adp}: {_number(local.target_value)}"))
    for source in target.provenance:
        line = f"{source.publisher}, {source.document}"
        line += f" ({source.date})" if source.date else ""
        line += f" {source.url}" if source.url else ""
        rows.append(("source", line))
    if target.confidence:
        rows.append(("confidence", " ".join(target.confidence.split())))
    console.show([key_value_grid(rows)])
