"""Figures over time: a series, what it is compared with, and the path to its target.

One chart function draws every trend in a report or a board paper from a list of `Line`s, each
with a role that decides how it looks. Roles differ by marker and line style as well as colour,
so no role is told apart by colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Any, Literal

from mission.charts.base import (
    GREY,
    OKABE_ITO,
    ChartFrame,
    ChartPoint,
    canvas,
    finish,
    legend,
    period_axis,
    value_axis,
    x_of,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["Line", "Role", "trend"]

Role = Literal[
    "series",
    "compare",
    "path",
    "projection",
    "target",
    "baseline",
    "published",
    "judged",
    "incomplete",
    "standard",
]

_STYLE: dict[str, dict[str, Any]] = {
    "series": {"color": OKABE_ITO[0], "marker": "o", "linestyle": "-", "linewidth": 2},
    "compare": {"color": OKABE_ITO[7], "marker": "s", "linestyle": "--", "linewidth": 1.5},
    "path": {"color": OKABE_ITO[1], "marker": "", "linestyle": "--", "linewidth": 1.5},
    "projection": {"color": OKABE_ITO[4], "marker": "", "linestyle": ":", "linewidth": 2},
    "standard": {"color": OKABE_ITO[2], "marker": "", "linestyle": "-.", "linewidth": 1.5},
}
_MARKERS: dict[str, dict[str, Any]] = {
    "target": {"marker": "*", "s": 220, "color": OKABE_ITO[2], "zorder": 5},
    "baseline": {"marker": "s", "s": 50, "color": OKABE_ITO[7], "zorder": 5},
    "published": {
        "marker": "^",
        "s": 70,
        "facecolors": "none",
        "edgecolors": OKABE_ITO[3],
        "linewidths": 1.5,
        "zorder": 6,
    },
    "judged": {
        "marker": "D",
        "s": 170,
        "facecolors": "none",
        "edgecolors": OKABE_ITO[7],
        "linewidths": 1.5,
        "zorder": 6,
    },
    "incomplete": {
        "marker": "o",
        "s": 90,
        "facecolors": "none",
        "edgecolors": GREY,
        "linewidths": 1.5,
        "zorder": 4,
    },
}


@dataclass(frozen=True)
class Line:
    """A labelled run of points drawn in one role; `band` shades its intervals."""

    label: str
    points: tuple[ChartPoint, ...]
    role: Role = "series"
    band: bool = False


def _runs(points: Sequence[ChartPoint], cadence: int) -> list[list[ChartPoint]]:
    """Consecutive periods together: a line is broken where periods are missing (hidden)."""
    runs: list[list[ChartPoint]] = []
    for point in points:
        if runs and (point.end - runs[-1][-1].end).days <= cadence * 1.5:
            runs[-1].append(point)
        else:
            runs.append([point])
    return runs


def _band(axes: Any, run: Sequence[ChartPoint], colour: str, label: str | None) -> bool:
    """Shade a run's intervals (a lone point gets an error bar); True if anything was drawn."""
    banded = [p for p in run if p.low is not None and p.high is not None]
    if len(banded) == 1:
        only = banded[0]
        below = max(0.0, only.value - (only.low or 0.0))
        above = max(0.0, (only.high or 0.0) - only.value)
        axes.errorbar(
            [x_of(only.end)],
            [only.value],
            yerr=[[below], [above]],
            fmt="none",
            ecolor=colour,
            alpha=0.6,
            capsize=4,
            label=label,
        )
    elif banded:
        axes.fill_between(
            [x_of(p.end) for p in banded],
            [p.low or 0.0 for p in banded],
            [p.high or 0.0 for p in banded],
            color=colour,
            alpha=0.18,
            linewidth=0,
            label=label,
        )
    return bool(banded)


def _draw(axes: Any, line: Line, cadence: int) -> None:
    if line.role in _MARKERS:
        xs = [x_of(p.end) for p in line.points]
        axes.scatter(xs, [p.value for p in line.points], label=line.label, **_MARKERS[line.role])
        return
    style = _STYLE[line.role]
    runs = _runs(line.points, cadence) if line.role in ("series", "compare") else [line.points]
    band_label: str | None = f"{line.label}: 95% interval"
    for index, run in enumerate(runs):
        xs = [x_of(p.end) for p in run]
        label = line.label if index == 0 else None
        axes.plot(xs, [p.value for p in run], label=label, markersize=5, **style)
        if line.band and _band(axes, run, style["color"], band_label):
            band_label = None


def _cadence(lines: Sequence[Line]) -> int:
    """The usual number of days between periods (a quarter, a year)."""
    ends = sorted(
        {p.end for line in lines if line.role in ("series", "compare") for p in line.points}
    )
    gaps = [(b - a).days for a, b in pairwise(ends) if b > a]
    return min(gaps) if gaps else 366


def _values(lines: Sequence[Line]) -> list[float]:
    values: list[float] = []
    for line in lines:
        for p in line.points:
            values.append(p.value)
            if line.band:
                values += [v for v in (p.low, p.high) if v is not None]
    return values


def trend(frame: ChartFrame, lines: Sequence[Line], *, zero: bool = False) -> Figure | None:
    """A chart of figures over time; None when no line has a point.

    Each period sits at its own end (quarters at quarter ends, years at year ends), labelled
    with its name. `zero` starts the value axis at 0; otherwise an axis that does not is marked.
    """
    drawn = [line for line in lines if line.points]
    if not any(line.role in ("series", "compare") for line in drawn):
        return None
    figure, axes = canvas()
    cadence = _cadence(drawn)
    for line in drawn:
        _draw(axes, line, cadence)
    periods = [
        (p.period, p.end)
        for line in drawn
        if line.role in ("series", "compare")
        for p in line.points
    ]
    period_axis(axes, periods, frame.xlabel)
    value_axis(axes, frame, _values(drawn), zero)
    axes.grid(alpha=0.3)
    legend(figure, axes)
    return finish(figure, axes, frame)
