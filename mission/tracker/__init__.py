"""Progress against the targets, nationally and per ADP: pure, typed, and honest about gaps.

For each target the engine cuts the returns at the as-of date (only periods that had ended count),
builds each ADP's series (`series`), adds ADPs up per period (`points`: a missing ADP is never a
zero; the national point says who reported), and judges one point of each series (`metrics`)
with a small table of status rules (`rules`), by the straight-line path or Open SDG's progress
measure (`sdg`). `assemble` does this nationally and per ADP; `matrix` gives the all-ten MAT
matrix; `output` and `wording` give the flat rows and the words every view shares.

    >>> from mission.tracker import progress, Progress, Status
"""

from __future__ import annotations

from mission.tracker.assemble import SCOTLAND, assess
from mission.tracker.engine import progress
from mission.tracker.matrix import mat_matrix
from mission.tracker.metrics import Goal
from mission.tracker.model import (
    Assessment,
    Coverage,
    MatMatrix,
    MatRow,
    Method,
    Point,
    Progress,
    Related,
    SdgCategory,
    SdgGrade,
    Status,
    TargetProgress,
)
from mission.tracker.series import PUBLICLY_FUNDED, returns_as_of

__all__ = [
    "PUBLICLY_FUNDED",
    "SCOTLAND",
    "Assessment",
    "Coverage",
    "Goal",
    "MatMatrix",
    "MatRow",
    "Method",
    "Point",
    "Progress",
    "Related",
    "SdgCategory",
    "SdgGrade",
    "Status",
    "TargetProgress",
    "assess",
    "mat_matrix",
    "progress",
    "returns_as_of",
]
