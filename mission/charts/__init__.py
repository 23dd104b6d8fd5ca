"""Charts for reports and board papers, drawn with matplotlib on the Agg backend.

Each chart is drawn from plain values (`ChartPoint`, `Line`, `Stack`, `Area`): the publication
layer (`mission.publish`) hands charts only what its tables print, so a chart can never show a
hidden count. Colours are the Okabe–Ito palette, safe for the common kinds of colour blindness,
and nothing is told by colour alone: roles differ by marker and line style, comparisons by marker
shape, MAT cells by their letter. Every chart has axis labels, thousands separators, a source line,
periods placed at their own end, a marked break when the value axis does not start at zero, and
alt text (kept in the file's metadata) that states its finding.
"""

from __future__ import annotations

from mission.charts.base import OKABE_ITO, ChartFrame, ChartPoint, save
from mission.charts.compare import Area, Reference, funnel, intervals
from mission.charts.parts import MAT_COLOURS, Stack, mat_grid, stacked
from mission.charts.trend import Line, trend

__all__ = [
    "MAT_COLOURS",
    "OKABE_ITO",
    "Area",
    "ChartFrame",
    "ChartPoint",
    "Line",
    "Reference",
    "Stack",
    "funnel",
    "intervals",
    "mat_grid",
    "save",
    "stacked",
    "trend",
]
