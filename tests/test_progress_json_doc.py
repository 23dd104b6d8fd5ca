"""docs/progress-json.md documents every field of the progress JSON, and nothing else."""

from __future__ import annotations

import re

import pytest
from pydantic import BaseModel

from mission.tracker import (
    Assessment,
    Coverage,
    MatMatrix,
    MatRow,
    Point,
    Progress,
    Related,
    SdgCategory,
    SdgGrade,
    Status,
    TargetProgress,
)
from mission.tracker.rules import RULES, SDG_STATUS

from .conftest import ROOT

DOC = (ROOT / "docs" / "progress-json.md").read_text(encoding="utf-8")


def _tables(heading: str) -> list[list[str]]:
    """The first-column names of each table in the section whose heading names `heading`."""
    sections = re.split(r"^## ", DOC, flags=re.MULTILINE)
    section = next(
        s for s in sections if f"`{heading}`" in s.splitlines()[0] or s.startswith(heading)
    )
    tables: list[list[str]] = []
    for block in re.split(r"\n\s*\n", section):
        rows = [line for line in block.splitlines() if line.startswith("| `")]
        if rows:
            tables.append([re.match(r"\| `([^`]+)`", row)[1] for row in rows])  # type: ignore[index]
    return tables


def _fields(model: type[BaseModel]) -> list[str]:
    # A field excluded from the JSON (Point.quarters, for publication only) is not documented.
    shown = [name for name, info in model.model_fields.items() if not info.exclude]
    return [*shown, *model.model_computed_fields]


@pytest.mark.parametrize(
    ("model", "heading", "table"),
    [
        (Progress, "Progress", 0),
        (Assessment, "Assessment", 0),
        (Coverage, "Coverage", 0),
        (Point, "Point", 0),
        (Related, "Related", 0),
        (SdgGrade, "SdgGrade", 0),
        (MatMatrix, "MatMatrix", 0),
        (MatRow, "MatMatrix", 1),
    ],
    ids=lambda v: getattr(v, "__name__", str(v)),
)
def test_every_field_is_documented_in_order(
    model: type[BaseModel], heading: str, table: int
) -> None:
    """The doc's table for a model lists exactly its fields, in the order the JSON has them."""
    assert _tables(heading)[table] == _fields(model)


def test_target_progress_adds_its_own_fields() -> None:
    """TargetProgress is documented as Assessment's fields plus its own, listed in order."""
    own = [f for f in _fields(TargetProgress) if f not in Assessment.model_fields]
    assert _tables("TargetProgress")[0] == own


def test_enumerations_are_documented() -> None:
    """Every status, every rule (in the order tried) and every Open SDG category is listed."""
    statuses, rules, categories = _tables("Enumerations")
    assert statuses == [s.value for s in Status]
    assert rules == [r.name for r in RULES]
    assert categories == [c.value for c in SdgCategory]
    for category, status in SDG_STATUS.items():
        expected = status.value if status else "decided by the following rules"
        assert f"| `{category.value}` | " + (f"`{expected}`" if status else expected) in DOC
