"""Waiting times as a publication speaks of them: a quarter with no completed waits is a count.

Progress (the analyst's view) says in words which ADPs had no completed waits in a quarter
(`Shetland: no completed waits`, `no completed waits in 2025/26 Q4`), and judges each ADP on its
own newest quarter with a figure. Printed beside a table whose small counts are `c`, those words
are numbers: every ADP they do not name had at least one completed wait, and an ADP judged on an
earlier quarter than Scotland had none since. A reader could narrow a hidden count with them.

A publication instead prints a quarter's zero as a row of its table (`tables.waiting_tables`),
through the pattern like any other count, and speaks of it in no other way:

- Scotland's coverage names no ADP for a zero: every such detail is about an ADP that returned
  for the quarter, so a row of that quarter's table (the ADPs that sent nothing are still named:
  they are no count at all, never a zero).
- Every ADP that returned for Scotland's judged (and latest) quarter is judged on that quarter.
  One with no completed waits in it has nothing to judge there (`no data`): its figure, status
  and comparison are the table's, `c` when its zero is hidden, as they are for a hidden count.
"""

from __future__ import annotations

from mission.kinds import Kind
from mission.publish.tables import in_waiting_table
from mission.tracker import Assessment, Point, Progress, TargetProgress
from mission.tracker.model import Coverage, Status

__all__ = ["published_progress"]


def published_progress(result: Progress) -> Progress:
    """`result` as a publication prints it: waiting times without zeros in words."""
    targets = tuple(_published_waiting(t) if t.kind is Kind.EPISODES else t for t in result.targets)
    return result.model_copy(update={"targets": targets})


def _plain(coverage: Coverage) -> Coverage:
    # The details name returning ADPs with no figure: for waiting times, rows of zeros.
    return coverage.model_copy(update={"details": ()})


def _published_waiting(t: TargetProgress) -> TargetProgress:
    series = tuple(p.model_copy(update={"coverage": _plain(p.coverage)}) for p in t.series)
    judged = next((p for p in series if p.period == t.judged_period), None)
    latest = next((p for p in series if p.period == t.latest_period), None)
    return t.model_copy(
        update={
            "series": series,
            "coverage": _plain(t.coverage),
            "judged_coverage": _plain(t.judged_coverage) if t.judged_coverage else None,
            "adps": tuple(_published_adp(a, judged, latest) for a in t.adps),
        }
    )


def _returned(a: Assessment, point: Point | None) -> bool:
    return point is not None and in_waiting_table(a, point)


def _has(a: Assessment, point: Point) -> bool:
    return any(p.period == point.period for p in a.series)


def _published_adp(a: Assessment, judged: Point | None, latest: Point | None) -> Assessment:
    """The ADP judged on Scotland's quarter; with no completed waits in it, on nothing."""
    update: dict[str, object] = {}
    if judged is not None and _returned(a, judged) and not _has(a, judged):
        update |= {
            "status": Status.NO_DATA,
            "rule": "no-data",
            "sdg": None,
            "judged_value": None,
            "judged_period": judged.period,
            "judged_coverage": None,
            "percent_of_way": None,
            "expected_value": None,
            "projected_value": None,
            "trend_per_year": None,
            "interval": None,
            "comparison": None,
            "notes": (),
        }
    if latest is not None and _returned(a, latest) and not _has(a, latest):
        update |= {"latest_value": None, "latest_period": latest.period, "gap": None}
    return a.model_copy(update=update) if update else a
