"""Areas compared: each ADP's figure with its interval against Scotland's, and funnel plots.

An area is marked as better, similar or worse (or higher, similar, lower) by the shape of its
marker as well as its colour, and the legend says which is which.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mission.charts.base import GREY, OKABE_ITO, ChartFrame, canvas, finish, legend, value_axis

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["Area", "Reference", "funnel", "intervals"]

# A comparison's marker: colour and shape, so it reads without colour too.
_VERDICT: dict[str, tuple[str, str]] = {
    "better": (OKABE_ITO[0], "^"),
    "higher": (OKABE_ITO[0], "^"),
    "worse": (OKABE_ITO[3], "v"),
    "lower": (OKABE_ITO[3], "v"),
    "similar": (GREY, "o"),
}


@dataclass(frozen=True)
class Area:
    """One area's figure (and interval, and population for a funnel) and how it compares."""

    name: str
    value: float
    low: float | None = None
    high: float | None = None
    verdict: str = "similar"
    population: float | None = None
    highlight: bool = False


@dataclass(frozen=True)
class Reference:
    """A vertical (or, in a funnel, horizontal) line: Scotland's figure or a standard."""

    label: str
    value: float
    style: str = ":"
    colour: str = OKABE_ITO[7]


def _verdict_legend(axes: Any, verdicts: set[str], words: dict[str, str]) -> list[Any]:
    handles = []
    for verdict in ("better", "higher", "similar", "worse", "lower"):
        if verdict in verdicts:
            colour, marker = _VERDICT[verdict]
            handles.append(
                axes.scatter([], [], color=colour, marker=marker, label=words.get(verdict, verdict))
            )
    return handles


def intervals(
    frame: ChartFrame, areas: Sequence[Area], references: Sequence[Reference], words: dict[str, str]
) -> Figure | None:
    """Each area's figure with its 95% interval, one row each, against reference lines."""
    if not areas:
        return None
    ordered = sorted(areas, key=lambda a: a.value)
    figure, axes = canvas(8, max(3.2, 0.26 * len(ordered) + 1.8))
    for y, area in enumerate(ordered):
        colour, marker = _VERDICT.get(area.verdict, (GREY, "o"))
        if area.low is not None and area.high is not None:
            axes.plot([area.low, area.high], [y, y], color="#999999", linewidth=1.5)
        axes.scatter([area.value], [y], color=colour, marker=marker, s=45, zorder=3)
    for ref in references:
        axes.axvline(ref.value, color=ref.colour, linestyle=ref.style, label=ref.label)
    axes.set_yticks(range(len(ordered)), [a.name for a in ordered], fontsize=7)
    _verdict_legend(axes, {a.verdict for a in ordered}, words)
    axes.set_xlabel(frame.xlabel, fontsize=9)
    axes.grid(axis="x", alpha=0.3)
    legend(figure, axes)
    return finish(figure, axes, ChartFrame(**{**frame.__dict__, "xlabel": ""}))


def _funnel_point(axes: Any, area: Area) -> None:
    """One area in a funnel; the highlighted one larger, outlined and named."""
    colour, marker = _VERDICT.get(area.verdict, (GREY, "o"))
    axes.scatter(
        [area.population],
        [area.value],
        color=colour,
        marker=marker,
        s=110 if area.highlight else 40,
        edgecolors="black" if area.highlight else colour,
        linewidths=1.5 if area.highlight else 0.5,
        zorder=3,
    )
    if area.highlight:
        axes.annotate(
            area.name,
            (area.population or 0, area.value),
            xytext=(8, 8),
            textcoords="offset points",
            fontsize=9,
            fontweight="bold",
        )


def funnel(
    frame: ChartFrame,
    areas: Sequence[Area],
    centre: Reference,
    limits: Sequence[tuple[str, Sequence[float], Sequence[float], Sequence[float]]],
    words: dict[str, str],
) -> Figure | None:
    """Rates against population, with Scotland's rate and its control limits (a funnel plot).

    `limits` holds (label, populations, lower limits, upper limits) per level.
    """
    if not areas:
        return None
    figure, axes = canvas(8, 5)
    for (label, xs, lows, highs), style in zip(limits, ("--", ":"), strict=False):
        axes.plot(xs, lows, color=GREY, linestyle=style, label=label)
        axes.plot(xs, highs, color=GREY, linestyle=style)
    axes.axhline(centre.value, color=centre.colour, linestyle="-", linewidth=1, label=centre.label)
    for area in areas:
        _funnel_point(axes, area)
    _verdict_legend(axes, {a.verdict for a in areas}, words)
    from matplotlib.ticker import FuncFormatter

    axes.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    axes.set_xlim(0, max(a.population or 0 for a in areas) * 1.05)
    values = [a.value for a in areas] + [v for _, _, lows, highs in limits for v in (*lows, *highs)]
    value_axis(axes, frame, [v for v in values if v == v], zero=True)
    axes.grid(alpha=0.3)
    legend(figure, axes)
    return finish(figure, axes, frame)
