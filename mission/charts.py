"""Charts for progress and the report, drawn with matplotlib on the Agg backend.

Colours are the Okabe–Ito palette, safe for the common kinds of colour blindness, and every MAT
cell carries its letter so the heatmap reads without colour at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mission.files import write_with
from mission.kinds import Kind
from mission.returns import Returns
from mission.tracker import PUBLICLY_FUNDED, Point, Progress, TargetProgress, returns_as_of

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["MAT_COLOURS", "write_charts"]

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
MAT_COLOURS = {
    "blue": "#0072B2",
    "green": "#009E73",
    "provisional_green": "#8FD3BD",
    "amber": "#E69F00",
    "red": "#D55E00",
    "not_assessed": "#DDDDDD",
}


def _figure(width: float = 8, height: float = 4.5) -> tuple[Figure, Any]:
    """A figure on its own Agg canvas: the caller's matplotlib backend is never changed."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=110, layout="constrained")
    FigureCanvasAgg(figure)
    return figure, figure.subplots()


def _save(figure: Figure, folder: Path, name: str, formats: Sequence[str]) -> list[Path]:
    paths = []
    for extension in formats:
        path = folder / f"{name}.{extension}"

        def draw(temporary: Path, extension: str = extension) -> None:
            figure.savefig(temporary, format=extension)

        write_with(path, draw)
        paths.append(path)
    return paths


def _mark_judged(axes: Any, target: TargetProgress) -> Point | None:
    """Ring the point the status is judged on; returns it (None when nothing was judged)."""
    judged = next((p for p in target.series if p.period == target.judged_period), None)
    if judged is not None:
        axes.scatter(
            [judged.end],
            [judged.value],
            s=160,
            marker="D",
            facecolors="none",
            edgecolors=OKABE_ITO[7],
            linewidths=1.5,
            zorder=5,
            label=f"judged: {judged.period} ({target.status.label})",
        )
    return judged


def trajectory(target: TargetProgress) -> Figure | None:
    """Actuals, the straight-line path from baseline to target, the target and the projection."""
    if not target.series:
        return None
    figure, axes = _figure()
    x = [p.end for p in target.series]
    y = [p.value for p in target.series]
    axes.plot(x, y, marker="o", color=OKABE_ITO[0], label="reported (Scotland)")
    incomplete = [p for p in target.series if not p.coverage.complete]
    if incomplete:
        axes.scatter(
            [p.end for p in incomplete],
            [p.value for p in incomplete],
            s=80,
            facecolors="none",
            edgecolors=OKABE_ITO[3],
            zorder=3,
            label="not every ADP reported",
        )
    judged = _mark_judged(axes, target)
    if target.baseline_value is not None and target.baseline_end is not None:
        start = target.baseline_end
        axes.scatter(
            [start],
            [target.baseline_value],
            marker="s",
            color=OKABE_ITO[7],
            label=f"baseline {target.baseline_period}",
        )
        if target.target_value is not None and target.deadline is not None:
            axes.plot(
                [start, target.deadline],
                [target.baseline_value, target.target_value],
                linestyle="--",
                color=OKABE_ITO[1],
                label="straight-line path",
            )
    if target.target_value is not None:
        when = target.deadline or x[-1]
        axes.scatter(
            [when],
            [target.target_value],
            marker="*",
            s=220,
            color=OKABE_ITO[2],
            zorder=4,
            label=f"target {target.target_value:,.0f}",
        )
        if target.deadline is None:
            axes.axhline(target.target_value, color=OKABE_ITO[2], linestyle=":")
    if target.projected_value is not None and judged is not None:
        axes.plot(
            [judged.end, target.deadline],
            [judged.value, target.projected_value],
            linestyle=":",
            color=OKABE_ITO[4],
            label="projection (recent trend)",
        )
    axes.set_title(f"{target.title}: {target.status.label}")
    axes.set_ylabel(target.unit)
    axes.grid(alpha=0.3)
    axes.legend(fontsize=8, loc="best")
    return figure


def _stacked(title: str, periods: list[str], stacks: dict[str, list[float]], ylabel: str) -> Figure:
    figure, axes = _figure()
    bottom = [0.0] * len(periods)
    for colour, (label, values) in zip(OKABE_ITO, stacks.items(), strict=False):
        axes.bar(periods, values, bottom=bottom, label=label.replace("_", " "), color=colour)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axes.set_title(title)
    axes.set_ylabel(ylabel)
    axes.tick_params(axis="x", labelrotation=45, labelsize=7)
    axes.legend(fontsize=7, ncols=2)
    axes.grid(axis="y", alpha=0.3)
    return figure


def _breakdown(
    returns: Returns, kind: Kind, by: str, value: Any, yearly: bool
) -> tuple[list[str], dict[str, list[float]]] | None:
    import polars as pl

    frame = returns.get(kind)
    if frame is None:
        return None
    period = pl.col("period").str.slice(0, 7) if yearly else pl.col("period")
    table = frame.group_by(period.alias("p"), pl.col(by)).agg(v=value.sum()).sort("p")
    periods = table["p"].unique().sort().to_list()
    stacks: dict[str, list[float]] = {}
    for key in table[by].unique().sort().to_list():
        part = dict(table.filter(pl.col(by) == key).select("p", "v").iter_rows())
        stacks[str(key)] = [float(part.get(p, 0)) for p in periods]
    return periods, stacks


def ost_by_medication(returns: Returns) -> Figure | None:
    import polars as pl

    frame = returns.get(Kind.OST)
    if frame is None:
        return None
    medications = ["methadone", "buprenorphine_oral", "buprenorphine_depot", "diamorphine", "other"]
    table = (
        frame.group_by("period")
        .agg(pl.col(m).fill_null(0).sum() for m in medications)
        .sort("period")
    )
    periods = table["period"].to_list()
    return _stacked(
        "People on OST by medication (Scotland, reporting ADPs)",
        periods,
        {m: [float(v) for v in table[m]] for m in medications},
        "people",
    )


def naloxone_by_source(returns: Returns) -> Figure | None:
    import polars as pl

    found = _breakdown(
        returns,
        Kind.NALOXONE,
        "supply_source",
        pl.col("first_supply") + pl.col("repeat_supply"),
        yearly=True,
    )
    return (
        None
        if found is None
        else _stacked("Take-home naloxone kits by supply source", *found, "kits")
    )


def rehab_by_funding(returns: Returns) -> Figure | None:
    import polars as pl

    found = _breakdown(
        returns, Kind.REHAB, "funding_source", pl.col("placements_started"), yearly=True
    )
    if found is None:
        return None
    periods, stacks = found
    ordered = {k: stacks[k] for k in sorted(stacks, key=lambda k: (k not in PUBLICLY_FUNDED, k))}
    return _stacked(
        "Residential rehab placements started, by funding source", periods, ordered, "placements"
    )


def mat_heatmap(result: Progress) -> Figure | None:
    matrix = result.mat_matrix
    if matrix is None:
        return None
    from matplotlib.colors import to_rgb

    rows = matrix.rows
    figure, axes = _figure(8, max(3.0, 0.26 * len(rows) + 1.2))
    image = [[to_rgb(MAT_COLOURS[s.value]) for s in row.statuses] for row in rows]
    axes.imshow(image, aspect="auto")
    for i, row in enumerate(rows):
        for j, status in enumerate(row.statuses):
            dark = status.value in ("blue", "red", "green")
            axes.text(
                j,
                i,
                status.letter,
                ha="center",
                va="center",
                fontsize=7,
                color="white" if dark else "black",
            )
    axes.set_xticks(range(10), [str(n) for n in range(1, 11)])
    axes.set_yticks(range(len(rows)), [r.name for r in rows], fontsize=7)
    axes.set_xlabel("MAT standard")
    axes.set_title(
        f"MAT standards, {matrix.year}: B blue, G green, PG provisional green, A amber, R red",
        fontsize=9,
    )
    return figure


def waiting_by_adp(result: Progress) -> Figure | None:
    """Each ADP's judged share with its interval, for Scotland's judged quarter."""
    target = next((t for t in result.targets if t.id == "waiting-times"), None)
    if target is None or not target.adps or target.judged_period is None:
        return None
    latest = [a for a in target.adps if a.judged_period == target.judged_period and a.interval]
    latest.sort(key=lambda a: a.judged_value or 0)
    if not latest:
        return None
    figure, axes = _figure(8, max(3.0, 0.24 * len(latest) + 1.2))
    ys = range(len(latest))
    values = [a.judged_value or 0 for a in latest]
    lows = [
        max(0.0, v - a.interval[0]) if a.interval else 0.0
        for a, v in zip(latest, values, strict=True)
    ]
    highs = [
        max(0.0, a.interval[1] - v) if a.interval else 0.0
        for a, v in zip(latest, values, strict=True)
    ]
    colours = [
        {"better": OKABE_ITO[0], "worse": OKABE_ITO[3]}.get(a.comparison or "", "#777777")
        for a in latest
    ]
    axes.errorbar(values, list(ys), xerr=[lows, highs], fmt="none", ecolor="#999999", capsize=2)
    axes.scatter(values, list(ys), c=colours, zorder=3)
    axes.axvline(90, color=OKABE_ITO[2], linestyle="--", label="standard: 90%")
    if target.judged_value is not None:
        axes.axvline(
            target.judged_value,
            color=OKABE_ITO[7],
            linestyle=":",
            label=f"Scotland {target.judged_value:.1f}%",
        )
    axes.set_yticks(list(ys), [a.name for a in latest], fontsize=7)
    axes.set_xlabel("% of completed waits within 21 days (95% Wilson interval)")
    axes.set_title(
        f"Waiting times by ADP, {target.judged_period} (blue better, vermillion worse "
        "than Scotland)",
        fontsize=9,
    )
    axes.legend(fontsize=7, loc="lower right")
    return figure


def write_charts(
    result: Progress, returns: Returns, folder: Path, formats: Sequence[str] = ("png", "svg")
) -> dict[str, list[Path]]:
    """Draw every chart that has data; returns chart name -> files written.

    The breakdowns draw only periods that had ended by the progress's as-of date.
    """
    folder.mkdir(parents=True, exist_ok=True)
    returns = returns_as_of(returns, result.as_of)
    figures: dict[str, Figure | None] = {
        f"trajectory-{t.id}": trajectory(t) for t in result.targets
    }
    figures |= {
        "ost-by-medication": ost_by_medication(returns),
        "naloxone-by-source": naloxone_by_source(returns),
        "rehab-by-funding": rehab_by_funding(returns),
        "mat-heatmap": mat_heatmap(result),
        "waiting-times-by-adp": waiting_by_adp(result),
    }
    written = {}
    for name, figure in figures.items():
        if figure is not None:
            written[name] = _save(figure, folder, name, formats)
    return written
