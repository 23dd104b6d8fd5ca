"""What every chart shares: its frame (title, alt text, source line, the synthetic mark), its
canvas, period axes that put each period at its own end, thousands separators, a marked axis
break, and saving with the alt text kept in the file.

Charts are drawn with matplotlib's object API on an explicit Agg canvas: the caller's backend is
never changed. They draw only what they are given; the publication layer gives them only what its
tables print.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mission.files import write_with

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "OKABE_ITO",
    "ChartFrame",
    "ChartPoint",
    "canvas",
    "finish",
    "legend",
    "period_axis",
    "save",
    "value_axis",
    "x_of",
]

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
GREY = "#767676"
SYNTHETIC_MARK = "SYNTHETIC DATA — not real figures"
MAX_LABELS = 9
"""At most this many period labels on an axis; the other periods keep a tick of their own."""


@dataclass(frozen=True)
class ChartFrame:
    """The words around a chart: its title, axis labels, the finding (alt text) and source."""

    title: str
    alt: str
    source: str
    ylabel: str = ""
    xlabel: str = ""
    synthetic: bool = False
    percent: bool = False


@dataclass(frozen=True)
class ChartPoint:
    """One period's value (and interval) at the period's own end."""

    period: str
    end: dt.date
    value: float
    low: float | None = None
    high: float | None = None


def x_of(day: dt.date) -> float:
    """Where a date sits on a time axis (matplotlib's date number)."""
    from matplotlib import dates

    return float(dates.date2num(day))  # type: ignore[no-untyped-call]


def canvas(width: float = 10.0, height: float = 5.0) -> tuple[Figure, Any]:
    """A figure on its own Agg canvas, with one axes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=110, layout="constrained")
    FigureCanvasAgg(figure)
    return figure, figure.subplots()


def finish(figure: Figure, axes: Any, frame: ChartFrame) -> Figure:
    """Title, labels, the source line and (for synthetic data) the mark, on every chart."""
    axes.set_title(frame.title, fontsize=10, loc="left")
    if frame.ylabel:
        axes.set_ylabel(frame.ylabel, fontsize=9)
    if frame.xlabel:
        axes.set_xlabel(frame.xlabel, fontsize=9)
    if frame.synthetic:
        figure.suptitle(
            SYNTHETIC_MARK, fontsize=10, fontweight="bold", color="#8A1C00", x=0.01, ha="left"
        )
    source = f"Source: {frame.source}" + (f" {SYNTHETIC_MARK}." if frame.synthetic else "")
    # The source line sits in a strip the layout keeps free, below the legend.
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    strip = 0.32 / figure.get_figheight()
    engine = figure.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):
        engine.set(rect=(0, strip, 1, 1 - strip))
    figure.text(0.01, strip * 0.35, source, fontsize=7, color="#333333", ha="left", va="bottom")
    return figure


def legend(figure: Figure, axes: Any) -> None:
    """The legend beside the plot, never over the data."""
    handles, labels = axes.get_legend_handles_labels()
    if handles:
        figure.legend(handles, labels, loc="outside right upper", fontsize=8, frameon=False)


def _formatter(axes: Any, percent: bool) -> Any:
    """Thousands separators, with as many decimals as the tick spacing needs (101.5, not 102)."""
    import math

    from matplotlib.ticker import FuncFormatter

    low, high = axes.get_ylim()
    ticks = axes.yaxis.get_major_locator().tick_values(low, high)
    step = min((b - a for a, b in pairwise(ticks) if b > a), default=1.0)
    decimals = max(0, math.ceil(-math.log10(step))) if 0 < step < 1 else 0
    suffix = "%" if percent else ""
    return FuncFormatter(lambda v, _: f"{v:,.{decimals}f}{suffix}")


def value_axis(axes: Any, frame: ChartFrame, values: Sequence[float], zero: bool) -> None:
    """Thousands separators (or %); from 0, or from near the data with the break marked."""
    if values:
        _limits(axes, values, zero)
    axes.yaxis.set_major_formatter(_formatter(axes, frame.percent))


def _limits(axes: Any, values: Sequence[float], zero: bool) -> None:
    low, high = min(values), max(values)
    top = high + 0.08 * (high - min(low, 0) or 1)
    if zero or low <= 0 or low < 0.4 * high:
        axes.set_ylim(0, top)
        return
    span = high - low or abs(high) * 0.1 or 1
    axes.set_ylim(low - 0.25 * span, high + 0.15 * span)
    _mark_break(axes)


def _mark_break(axes: Any) -> None:
    """Two short slanted strokes across the foot of the value axis: it does not start at 0."""
    kwargs = {"transform": axes.transAxes, "color": "black", "clip_on": False, "linewidth": 1}
    for offset in (0.0, 0.025):
        axes.plot([-0.015, 0.015], [offset - 0.012, offset + 0.012], **kwargs)
    axes.text(
        0.03,
        0.012,
        "axis does not start at 0",
        transform=axes.transAxes,
        fontsize=7,
        va="bottom",
        color="#333333",
    )


def period_axis(axes: Any, periods: Sequence[tuple[str, dt.date]], xlabel: str = "") -> None:
    """Each period at its own end date, labelled with its own name (thinned when crowded)."""
    ordered = sorted(dict(periods).items(), key=lambda item: item[1])
    if not ordered:
        return
    step = max(1, -(-len(ordered) // MAX_LABELS))
    gaps = sorted((b[1] - a[1]).days for a, b in pairwise(ordered))
    labelled = ordered[::-1][::step][::-1]
    if step > 1 and gaps and gaps[len(gaps) // 2] < 100:
        # Quarters: label each financial year's last (a March end), tick every quarter.
        labelled = [(p, end) for p, end in ordered if end.month == 3] or labelled
    axes.set_xticks([x_of(end) for _, end in labelled], [p for p, _ in labelled])
    axes.set_xticks([x_of(end) for _, end in ordered], minor=True)
    axes.tick_params(axis="x", labelsize=8, labelrotation=30 if len(labelled) > 5 else 0)
    first, last = ordered[0][1], ordered[-1][1]
    margin = dt.timedelta(days=max(45, (last - first).days // 25))
    axes.set_xlim(x_of(first - margin), x_of(last + margin))
    if xlabel:
        axes.set_xlabel(xlabel, fontsize=9)


def save(figure: Figure, folder: Path, name: str, alt: str, formats: Sequence[str]) -> list[Path]:
    """Write the chart in each format, atomically, with its alt text in the file's metadata."""
    paths = []
    for extension in formats:
        path = folder / f"{name}.{extension}"
        metadata = {"Title": name, "Description": alt} if extension in ("png", "svg") else {}

        def draw(temporary: Path, extension: str = extension, metadata: Any = metadata) -> None:
            figure.savefig(temporary, format=extension, metadata=metadata)

        write_with(path, draw)
        paths.append(path)
    return paths
