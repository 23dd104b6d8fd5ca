"""The published report: disclosure control, both formats, and a real browser."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import pytest

from mission.disclosure import suppress_group
from mission.publish import progress_markdown, write_report
from mission.returns import load_returns
from mission.tracker import progress

from .conftest import FIXTURES

AS_OF = dt.date(2026, 11, 25)
COUNT_SECTIONS = (
    "People in community-based opioid substitution therapy",
    "Publicly funded residential rehabilitation placements a year",
    "Take-home naloxone kits supplied a year",
    "Drug misuse deaths",
)


def test_suppress_group_primary_and_secondary() -> None:
    """Counts of 1–4 are hidden; a lone hidden cell takes the next smallest with it."""
    assert suppress_group({"a": 3, "b": 40, "c": 12, "d": 0}) == {"a", "c"}
    assert suppress_group({"a": 3, "b": 2, "c": 12}) == {"a", "b"}
    assert suppress_group({"a": 0, "b": 5}) == set()
    assert suppress_group({"a": 3, "b": 40}, total_shown=False) == {"a"}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    returns = load_returns([FIXTURES / "demo"])
    result = progress(returns, as_of=AS_OF)
    return dict(write_report(result, returns, tmp_path_factory.mktemp("report")))


def _tables(markdown: str, section: str) -> list[list[list[str]]]:
    body = markdown.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    tables: list[list[list[str]]] = []
    for block in re.split(r"\n\s*\n", body):
        lines = [line for line in block.splitlines() if line.startswith("|")]
        if len(lines) > 2:
            tables.append([[c.strip() for c in line.strip("|").split("|")] for line in lines[2:]])
    return tables


def test_no_published_count_from_one_to_four(report: dict[str, Path]) -> None:
    """No count table shows 1–4, and no table hides exactly one cell of a column."""
    markdown = report["markdown"].read_text()
    for section in COUNT_SECTIONS:
        for table in _tables(markdown, section):
            # Counts: column 1 (Scotland by period; each ADP's judged figure) and, in the ADP
            # table, column 3 (each ADP's latest figure).
            for column in (1, 3) if len(table[0]) > 5 else (1,):
                cells = [row[column] for row in table]
                for cell in cells:
                    assert not re.fullmatch(r"[1-4]", cell), (section, cell)
                assert sum(cell == "c" for cell in cells) != 1, section


def test_demo_small_areas_are_suppressed(report: dict[str, Path]) -> None:
    """Orkney's and Shetland's few deaths are hidden, in Markdown and HTML alike."""
    markdown = report["markdown"].read_text()
    deaths = _tables(markdown, "Drug misuse deaths")[-1]
    hidden = {row[0] for row in deaths if row[1] == "c"}
    assert {"Orkney", "Shetland"} <= hidden
    html = report["html"].read_text()
    assert '<td>Orkney</td><td class="num">c</td>' in html


def test_report_has_key_points_sections_charts_and_sources(report: dict[str, Path]) -> None:
    """The HTML is self-contained with key points first, a section per target, and sources."""
    html = report["html"].read_text()
    assert html.index("Key points") < html.index('id="target-ost"')
    for target in ("ost", "rehab", "naloxone", "mat-1-5", "mat-6-10", "waiting-times", "deaths"):
        assert f'id="target-{target}"' in html
    assert html.count("data:image/png;base64,") >= 10
    assert "National Records of Scotland" in html
    assert 'src="charts/' not in html
    charts = {p.name for p in report["charts"].iterdir()}
    assert {
        "trajectory-ost.png",
        "trajectory-ost.svg",
        "mat-heatmap.png",
        "waiting-times-by-adp.svg",
    } <= charts
    assert "![trajectory ost](charts/trajectory-ost.png)" in report["markdown"].read_text()


def test_progress_markdown_matches_report_tables() -> None:
    """The board-paper Markdown has the same suppressed ADP tables, without chart links."""
    result = progress(load_returns([FIXTURES / "demo"]), as_of=AS_OF)
    text = progress_markdown(result)
    assert "## Key points" in text
    assert "charts/" not in text
    assert _tables(text, "Drug misuse deaths")[-1][0][0] == "Aberdeen City"


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def test_report_in_a_real_browser(report: dict[str, Path]) -> None:
    """The HTML loads in headless Chromium with no console errors, and every image renders."""
    browser_path = _chromium()
    if browser_path is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's chromium (see .ci/run)")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=browser_path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(report["html"].resolve().as_uri())
        images = page.evaluate(
            "Array.from(document.images).map(i => i.complete && i.naturalWidth > 0)"
        )
        browser.close()
    assert errors == []
    assert len(images) >= 10
    assert all(images)


def test_mat_charts_show_their_own_baselines() -> None:
    """MAT 1-5's chart starts from its 17% baseline in 2021/22; MAT 6-10 has none to show."""
    from mission.charts import trajectory

    result = progress(load_returns([FIXTURES / "demo"]), as_of=AS_OF)
    early = trajectory(result.target("mat-1-5"))
    late = trajectory(result.target("mat-6-10"))
    assert early is not None
    assert late is not None
    baseline = next(c for c in early.axes[0].collections if c.get_label() == "baseline 2021/22")
    from matplotlib.dates import date2num

    assert list(baseline.get_offsets()[0]) == [date2num(dt.date(2022, 3, 31)), 17.0]
    late_labels = [c.get_label() for c in late.axes[0].collections]
    assert not any(label.startswith("baseline") for label in late_labels)
    judged = [label for label in late_labels if label.startswith("judged")]
    assert judged == ["judged: 2024/25 (missed)"]
