"""The published report and board papers on the demo set: one pattern per table in every view,
the audit, what each folder records, synthetic data said everywhere, and a real browser."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from mission.publish import build_publication, progress_markdown, write_report
from mission.publish.folder_audit import audit_folders
from mission.returns import Returns, load_returns
from mission.targets import load_targets
from mission.tracker import Progress, progress

from .browser import check_pages
from .conftest import DEMO_AS_OF, FIXTURES, Made

AS_OF = dt.date.fromisoformat(DEMO_AS_OF)
COUNT_SECTIONS = (
    "People in community-based opioid substitution therapy",
    "Publicly funded residential rehabilitation placements a year",
    "Take-home naloxone kits supplied a year",
    "Drug misuse deaths",
)


@pytest.fixture(scope="module")
def demo() -> tuple[Returns, Progress]:
    returns = load_returns([FIXTURES / "demo"])
    return returns, progress(returns, as_of=AS_OF)


@pytest.fixture(scope="module")
def report(demo_report: Made) -> dict[str, Path]:
    """The shared demo report (read-only: see `demo_report`)."""
    assert demo_report.exit_code == 0, demo_report.output
    return demo_report.files()


@pytest.fixture(scope="module")
def papers(demo_papers: Made) -> dict[str, Path]:
    """Every ADP's board paper of the demo, shared (read-only: see `demo_papers`)."""
    assert demo_papers.exit_code == 0, demo_papers.output
    files = demo_papers.files()
    return {"charts": files["charts"], "published": files["published"]}


def _tables(markdown: str, section: str) -> list[list[list[str]]]:
    body = markdown.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    tables: list[list[list[str]]] = []
    for block in re.split(r"\n\s*\n", body):
        lines = [line for line in block.splitlines() if line.startswith("|")]
        if len(lines) > 2:
            tables.append([[c.strip() for c in line.strip("|").split("|")] for line in lines[2:]])
    return tables


def test_no_published_count_from_one_to_four(report: dict[str, Path]) -> None:
    """No count table of the report prints 1–4, and no column hides exactly one cell."""
    markdown = report["markdown"].read_text()
    for section in COUNT_SECTIONS:
        for table in _tables(markdown, section)[:2]:
            for column in (1, 3) if len(table[0]) > 5 else (1,):
                cells = [row[column] for row in table]
                assert not any(re.fullmatch(r"[1-4]", cell) for cell in cells), section
                assert sum(cell == "c" for cell in cells) != 1, section


def test_small_deaths_are_hidden_with_their_rates(report: dict[str, Path]) -> None:
    """Orkney's and Shetland's few deaths are `c` in Markdown and HTML, and so are their rates."""
    markdown = report["markdown"].read_text()
    _, by_adp, rates = _tables(markdown, "Drug misuse deaths")[:3]
    hidden = {row[0] for row in by_adp if row[1] == "c"}
    assert {"Orkney", "Shetland"} <= hidden
    rated = {row[0]: row for row in rates}
    assert rated["Orkney"][1] == rated["Orkney"][3] == rated["Orkney"][4] == "c"
    assert rated["Orkney"][5] == "c"  # its comparison with Scotland goes with its interval
    html = report["html"].read_text()
    assert '<th scope="row">Orkney</th><td class="num">c</td>' in html


def test_every_view_prints_one_pattern(
    demo: tuple[Returns, Progress], report: dict[str, Path]
) -> None:
    """The report, the single-ADP Markdown and the workbook print each count as the same value
    or `c`: the published.json of the report and of a board paper agree cell by cell."""
    returns, result = demo
    recorded = json.loads(report["published"].read_text())["tables"]["deaths"]["cells"]
    national = {(c["row"], c["column"]): c["printed"] for c in recorded}
    text = progress_markdown(result, returns=returns, adp="orkney")
    deaths = _tables(text, "Drug misuse deaths")[0]
    for row in deaths:
        printed = national[("orkney", row[0])]
        assert row[1] == ("c" if printed == "c" else f"{printed:,}")


def test_audit_passes_on_the_report_and_the_papers(
    report: dict[str, Path], papers: dict[str, Path]
) -> None:
    """`mission audit` passes on the report, on the board papers, and on both read together."""
    for folders in (
        [report["html"].parent],
        [papers["published"].parent],
        [report["html"].parent, papers["published"].parent],
    ):
        result = audit_folders(folders)
        assert result.ok, result.problems()[:5]
        assert any(r.ranges for r in result.tables.values())  # there was something to check


def test_published_json_records_tables_charts_and_the_data_set(report: dict[str, Path]) -> None:
    """published.json holds every table as printed, what each chart draws, and the data set."""
    record = json.loads(report["published"].read_text())
    assert record["format"] == "mission-published"
    assert record["dataset"]["synthetic"] is True
    assert {"ost", "rehab", "naloxone", "deaths", "ost-by-medication"} <= set(record["tables"])
    assert any(name.startswith("waiting-times ") for name in record["tables"])
    drawn = record["charts"]["charts/trajectory-ost.png"]
    assert ["ost", "figure", ["total of column 2021/22 Q1"]] in drawn
    assert "report.html" in record["files"] and "report.xlsx" in record["files"]


def test_charts_draw_only_what_the_tables_print(report: dict[str, Path]) -> None:
    """No chart draws a cell or figure its table prints as `c`."""
    record = json.loads(report["published"].read_text())
    for chart, drawn in record["charts"].items():
        for table, what, key in drawn:
            cells = record["tables"][table]["cells"]
            figures = record["tables"][table]["figures"]
            if what == "cell":
                state = next(c["printed"] for c in cells if [c["row"], c["column"]] == key)
            else:
                state = next(f["printed"] for f in figures if f["figure"]["name"] == key[0])
            assert state != "c", (chart, table, key)


def test_report_has_sections_rates_charts_and_sources(report: dict[str, Path]) -> None:
    """The HTML is self-contained: key points, a section per target, rates, charts, sources."""
    html = report["html"].read_text()
    assert html.index("Key points") < html.index('id="target-ost"')
    for target in ("ost", "rehab", "naloxone", "mat-1-5", "mat-6-10", "waiting-times", "deaths"):
        assert f'id="target-{target}"' in html
    assert html.count("data:image/png;base64,") >= 14
    assert "Rates per 100,000 population" in html and "exact Poisson" in html
    assert "National Records of Scotland" in html
    assert 'src="charts/' not in html
    charts = {p.name for p in report["charts"].iterdir()}
    assert {
        "trajectory-ost.png",
        "trajectory-ost.svg",
        "funnel-deaths.png",
        "waiting-times-by-adp.svg",
        "mat-heatmap.png",
    } <= charts


def test_synthetic_data_is_said_on_every_page_and_chart(
    report: dict[str, Path], papers: dict[str, Path]
) -> None:
    """A report from the demo set says SYNTHETIC on every page, file and chart."""
    pages = [
        report["html"],
        report["markdown"],
        *papers["published"].parent.glob("*.html"),
        *papers["published"].parent.glob("*.md"),
    ]
    for page in pages:
        assert "SYNTHETIC DATA" in page.read_text(), page.name
    from PIL import Image

    for chart in [*report["charts"].glob("*.png"), *papers["charts"].glob("*.png")][:40]:
        with Image.open(chart) as image:
            description = image.info.get("Description", "")
        assert description, chart.name  # its alt text, kept in the file
    svg = (report["charts"] / "trajectory-ost.svg").read_text()
    assert "SYNTHETIC DATA" in svg
    import polars as pl

    table = pl.read_csv(report["html"].parent / "report.csv", infer_schema=False)
    assert table.height > 0 and set(table["data"].to_list()) == {"synthetic"}


def test_report_from_unmarked_data_says_nothing_of_synthetic(tmp_path: Path) -> None:
    """Without a dataset.toml, nothing is called synthetic: the flag is read, never guessed."""
    folder = tmp_path / "demo-copy-without-metadata"
    folder.mkdir()
    (folder / "deaths.csv").write_bytes((FIXTURES / "demo" / "deaths.csv").read_bytes())
    returns = load_returns([folder])
    assert returns.dataset is None
    files = write_report(progress(returns, as_of=AS_OF), returns, tmp_path / "out")
    assert "SYNTHETIC" not in files["html"].read_text()
    assert "synthetic" not in (tmp_path / "out" / "report.csv").read_text()


def test_board_paper_has_every_section(papers: dict[str, Path]) -> None:
    """A board paper: position on every target, trends, MAT by year, waiting times with n and
    interval, deaths with a five-year average, rates; no person or other ADP named in its tables."""
    markdown = (papers["published"].parent / "dundee-city.md").read_text()
    for heading in (
        "Position on every target",
        "MAT standards over the years",
        "Waiting times",
        "Drug misuse deaths",
        "Rates per 100,000 population",
    ):
        assert f"## {heading}" in markdown
    assert "| completed waits (n) | within 3 weeks | 95% interval |" in markdown
    assert "Five-year average, 2019–2023" in markdown
    assert "provisional green" in markdown
    positions = _tables(markdown, "Position on every target")[0]
    assert len(positions) == 7


def test_board_paper_hides_what_the_national_report_hides(
    report: dict[str, Path], papers: dict[str, Path]
) -> None:
    """Each ADP's deaths in its board paper are exactly what the national report prints."""
    national = json.loads(report["published"].read_text())["tables"]["deaths"]["cells"]
    papers_record = json.loads(papers["published"].read_text())["tables"]["deaths"]["cells"]
    printed = {(c["row"], c["column"]): c["printed"] for c in national}
    for cell in papers_record:
        if cell["printed"] is not None:
            assert cell["printed"] == printed[(cell["row"], cell["column"])]


def test_every_page_renders_and_meets_wcag_22_aa(
    report: dict[str, Path], papers: dict[str, Path]
) -> None:
    """The report, the index and a board paper for every ADP load in headless Chromium with no
    console error and every image drawn, and axe-core finds no WCAG 2.2 AA violation."""
    folder = papers["published"].parent
    pages = [report["html"], folder / "index.html", *sorted(folder.glob("*.html"))]
    pages = list(dict.fromkeys(pages))
    assert len(pages) == 32
    for page, checked in check_pages(pages).items():
        assert checked.errors == [], page.name
        assert checked.broken_images == 0, page.name
        assert checked.images > 0 or page.name == "index.html", page.name
        assert checked.violations == [], (page.name, checked.violations)


def test_mat_charts_show_their_own_baselines(demo: tuple[Returns, Progress]) -> None:
    """MAT 1-5's chart starts from its 17% baseline in 2021/22; MAT 6-10 has none to show."""
    from mission.charts.base import x_of
    from mission.publish.national_charts import trajectory

    returns, result = demo
    publication = build_publication(result, load_targets(), returns)
    early = trajectory(publication, result.target("mat-1-5"))
    late = trajectory(publication, result.target("mat-6-10"))
    assert early is not None and late is not None
    axes = early.figure.axes[0]
    baseline = next(c for c in axes.collections if c.get_label() == "baseline 2021/22")
    assert list(baseline.get_offsets()[0]) == [x_of(dt.date(2022, 3, 31)), 17.0]
    late_labels = [c.get_label() for c in late.figure.axes[0].collections]
    assert not any(label.startswith("baseline") for label in late_labels)
    assert [label for label in late_labels if label.startswith("judged")] == [
        "judged: 2024/25 (missed)"
    ]
