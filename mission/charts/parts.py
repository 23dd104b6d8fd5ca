"""Wholes and their parts: stacked breakdowns over periods, and grids of MAT statuses.

A stacked bar draws only the parts its table prints. Where parts are hidden and the period's total
is printed, the rest of the bar is drawn hatched as "hidden (c)": its height is the total less the
printed parts, which the printed total already tells. Every MAT cell carries its status's letter,
so the grid reads without colour.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mission.charts.base import OKABE_ITO, ChartFrame, canvas, finish, legend, value_axis

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["MAT_COLOURS", "Stack", "mat_grid", "stacked"]

MAT_COLOURS = {
    "blue": "#0072B2",
    "green": "#009E73",
    "provisional_green": "#8FD3BD",
    "amber": "#E69F00",
    "red": "#D55E00",
    "not_assessed": "#DDDDDD",
}
_HATCHES = ("", "//", "..", "xx", "\\\\", "oo", "++", "--")


@dataclass(frozen=True)
class Stack:
    """One part over the periods: its printed value per period (None: hidden)."""

    label: str
    values: tuple[float | None, ...]


def stacked(
    frame: ChartFrame,
    periods: Sequence[str],
    stacks: Sequence[Stack],
    totals: Sequence[float | None],
) -> Figure | None:
    """Stacked bars of the printed parts, each part with its own colour and hatching."""
    if not periods or not stacks:
        return None
    figure, axes = canvas()
    bottom = [0.0] * len(periods)
    for index, stack in enumerate(stacks):
        heights = [v or 0.0 for v in stack.values]
        axes.bar(
            periods,
            heights,
            bottom=bottom,
            label=stack.label,
            color=OKABE_ITO[index % len(OKABE_ITO)],
            hatch=_HATCHES[index % len(_HATCHES)],
            edgecolor="white",
            linewidth=0.5,
        )
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    rest = [
        max(0.0, total - b) if total is not None and any(s.values[i] is None for s in stacks) else 0
        for i, (total, b) in enumerate(zip(totals, bottom, strict=True))
    ]
    if any(rest):
        axes.bar(
            periods,
            rest,
            bottom=bottom,
            label="hidden (c): small counts",
            color="white",
            hatch="////",
            edgecolor="#555555",
            linewidth=0.5,
        )
    value_axis(axes, frame, [b + r for b, r in zip(bottom, rest, strict=True)], zero=True)
    axes.tick_params(axis="x", labelrotation=45, labelsize=7)
    axes.grid(axis="y", alpha=0.3)
    legend(figure, axes)
    return finish(figure, axes, frame)


def mat_grid(
    frame: ChartFrame,
    rows: Sequence[str],
    statuses: Sequence[Sequence[str]],
    letters: Mapping[str, str],
) -> Figure | None:
    """Rows (ADPs, or years) by the ten standards, each cell coloured and lettered."""
    if not rows:
        return None
    from matplotlib.colors import to_rgb

    figure, axes = canvas(8, max(2.6, 0.28 * len(rows) + 1.6))
    image = [[to_rgb(MAT_COLOURS[s]) for s in line] for line in statuses]
    axes.imshow(image, aspect="auto")
    for i, line in enumerate(statuses):
        for j, status in enumerate(line):
            dark = status in ("blue", "red", "green")
            axes.text(
                j,
                i,
                letters[status],
                ha="center",
                va="center",
                fontsize=7,
                color="white" if dark else "black",
            )
    axes.set_xticks(range(10), [str(n) for n in range(1, 11)])
    axes.set_yticks(range(len(rows)), list(rows), fontsize=7)
    axes.set_xlabel("MAT standard", fontsize=9)
    return finish(figure, axes, ChartFrame(**{**frame.__dict__, "xlabel": ""}))
