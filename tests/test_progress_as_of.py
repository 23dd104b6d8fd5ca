"""Acceptance: as of a date, no figure or period that ended after it appears, in any format."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mission.periods import CalendarYear, FinancialYear, Quarter
from mission.publish import write_report
from mission.returns import load_returns
from mission.tracker import progress

from .conftest import FIXTURES

DEMO = FIXTURES / "demo"
DAYS = [dt.date(2023, 4, 1), dt.date(2024, 4, 1), dt.date(2025, 5, 1)]
YEAR_OR_QUARTER = re.compile(r"\b\d{4}/\d{2}(?: Q[1-4])?")
CALENDAR_YEAR = re.compile(r"(?<![\d/\-–.,])(?:19|20)\d{2}(?![\d/\-–])")
PERIOD_KEYS = {"period", "judged_period", "latest_period", "baseline_period", "base_period", "year"}


def _end(label: str) -> dt.date:
    for period_type in (Quarter, FinancialYear, CalendarYear):
        try:
            return period_type.parse(label).end_date  # type: ignore[attr-defined]
        except ValueError:
            continue
    raise AssertionError(f"{label!r} is not a period")


def _late_in_text(text: str, day: dt.date, calendar_years: bool = True) -> set[str]:
    # A target's sources and confidence note name documents and deadlines, not figures: skip them.
    text = "\n".join(line for line in text.splitlines() if "Sources: " not in line)
    found = set(YEAR_OR_QUARTER.findall(text))
    if calendar_years:
        found |= set(CALENDAR_YEAR.findall(text))
    return {label for label in found if _end(label) > day}


def _late_in_json(data: Any, day: dt.date, key: str = "") -> set[str]:
    if isinstance(data, dict):
        return set().union(*(_late_in_json(v, day, k) for k, v in data.items()))
    if isinstance(data, list):
        return set().union(*(_late_in_json(v, day, key) for v in data))
    if key in PERIOD_KEYS and data is not None and _end(str(data)) > day:
        return {f"{key}={data}"}
    if key == "end" and dt.date.fromisoformat(str(data)) > day:
        return {f"end={data}"}
    return set()


def _cli(*args: str) -> str:
    from mission.cli.app import app

    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "250"}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("day", DAYS, ids=str)
@pytest.mark.parametrize("view", ["text", "csv", "markdown", "text-per-adp", "sdg"])
def test_cli_views_show_nothing_later(day: dt.date, view: str) -> None:
    """Every period the text, CSV and Markdown views name had ended by the as-of date."""
    args = ["progress", str(DEMO), "--as-of", str(day)]
    extra = {
        "text": [],
        "csv": ["--format", "csv"],
        "markdown": ["--format", "markdown"],
        "text-per-adp": ["--target", "mat-6-10"],
        "sdg": ["--method", "sdg"],
    }[view]
    assert _late_in_text(_cli(*args, *extra), day) == set()


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_json_shows_nothing_later(day: dt.date) -> None:
    """Every period and period end in the JSON had ended by the as-of date."""
    data = json.loads(_cli("progress", str(DEMO), "--as-of", str(day), "--format", "json"))
    assert _late_in_json(data, day) == set()
    assert data["as_of"] == str(day)


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_report_shows_nothing_later(day: dt.date, tmp_path: Path) -> None:
    """The HTML and Markdown report, and the text of every SVG chart, name no later period."""
    import matplotlib

    returns = load_returns([DEMO])
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        files = write_report(progress(returns, as_of=day), returns, tmp_path)
    assert _late_in_text(files["markdown"].read_text(), day) == set()
    html = re.sub(r"data:image/png;base64,[^\"]+", "", files["html"].read_text())
    assert _late_in_text(html, day) == set()
    for svg in sorted(files["charts"].glob("*.svg")):
        labels = " ".join(re.findall(r">([^<>]+)</text>", svg.read_text()))
        # A trajectory's time axis runs to the deadline, so its ticks are plain years: only the
        # periods a chart names (labels, legends, titles) are checked.
        assert _late_in_text(labels, day, calendar_years=False) == set(), svg.name


def test_a_year_in_progress_says_it_is_pro_rated() -> None:
    """As of 1 November 2025, 2025/26 is pro-rated from the two quarters that had ended."""
    text = _cli("progress", str(DEMO), "--as-of", "2025-11-01", "--target", "rehab")
    assert "2025/26 is pro-rated from the 2 quarter(s) any ADP sent rows for" in " ".join(
        text.split()
    )


def test_a_pro_rated_year_says_so_beside_its_figure() -> None:
    """Found by a newcomer: naloxone's `30,400 (2025/26)` as of 1 December 2025 is scaled up from
    two quarters, and read as the whole year; the figure now says so where it is printed."""
    from mission.tracker.wording import latest_text

    found = progress(load_returns(DEMO), as_of="2025-12-01").target("naloxone")
    assert latest_text(found, found.unit).endswith("pro-rated from 2 of 4 quarters")
