"""Progress as flat rows: the CSV view, one row per target, series and area."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mission.tracker.model import Assessment, Progress, Related, TargetProgress
from mission.tracker.wording import coverage_text

if TYPE_CHECKING:
    import polars as pl

__all__ = ["ROW_COLUMNS", "progress_frame", "progress_rows"]

ROW_COLUMNS = (
    "target",
    "series",
    "area",
    "name",
    "status",
    "rule",
    "open_sdg",
    "judged_value",
    "judged_period",
    "percent_of_way",
    "expected_value",
    "projected_value",
    "latest_value",
    "latest_period",
    "reported",
    "expected",
    "coverage",
    "gap",
    "target_value",
    "target_source",
    "deadline",
    "baseline_value",
    "baseline_period",
    "comparison",
    "as_of",
)


_FLOATS = frozenset(
    {
        "judged_value",
        "percent_of_way",
        "expected_value",
        "projected_value",
        "latest_value",
        "target_value",
        "baseline_value",
    }
)
_INTEGERS = frozenset({"reported", "expected"})


def progress_frame(progress: Progress) -> pl.DataFrame:
    """The rows as a frame with a fixed schema (the same columns and types when it is empty)."""
    import polars as pl

    def dtype(name: str) -> pl.DataType:
        if name in _FLOATS:
            return pl.Float64()
        if name in _INTEGERS:
            return pl.Int64()
        return pl.Date() if name in ("deadline", "as_of") else pl.String()

    schema = {name: dtype(name) for name in ROW_COLUMNS}
    return pl.DataFrame(progress_rows(progress), schema=schema, orient="row")


def _target_row(t: TargetProgress, a: Assessment) -> dict[str, object]:
    return {
        "target": t.id,
        "series": "",
        "area": a.area,
        "name": a.name,
        "status": a.status.value,
        "rule": a.rule,
        "open_sdg": a.sdg.category.value if a.sdg else None,
        "judged_value": a.judged_value,
        "judged_period": a.judged_period,
        "percent_of_way": a.percent_of_way,
        "expected_value": a.expected_value,
        "projected_value": a.projected_value,
        "latest_value": a.latest_value,
        "latest_period": a.latest_period,
        "reported": a.coverage.reported,
        "expected": a.coverage.expected,
        "coverage": coverage_text(a.coverage),
        "gap": a.gap,
        "target_value": a.target_value,
        "target_source": a.target_source,
        "deadline": a.deadline,
        "baseline_value": a.baseline_value,
        "baseline_period": a.baseline_period,
        "comparison": a.comparison,
    }


def _related_row(t: TargetProgress, a: Assessment, r: Related) -> dict[str, object]:
    row: dict[str, object] = dict.fromkeys(ROW_COLUMNS)
    row.update(
        {
            "target": t.id,
            "series": r.name,
            "area": a.area,
            "name": a.name,
            "latest_value": r.latest_value,
            "latest_period": r.latest_period,
            "reported": r.coverage.reported,
            "expected": r.coverage.expected,
            "coverage": coverage_text(r.coverage),
        }
    )
    return row


def progress_rows(result: Progress) -> list[dict[str, object]]:
    """Scotland first, then each ADP; a target's related series follow its own rows."""
    rows: list[dict[str, object]] = []
    for t in result.targets:
        areas: tuple[Assessment, ...] = (t, *t.adps)
        rows.extend(_target_row(t, a) for a in areas)
        rows.extend(_related_row(t, a, r) for a in areas for r in a.related)
    # Every status depends on the date it was judged at: each row says it.
    return [{**row, "as_of": result.as_of} for row in rows]
