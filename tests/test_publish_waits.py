"""A quarter with no completed waits is a count of its waiting-times table, never a word.

Attack s33, bug 1: the Scotland table's note ("Shetland: no completed waits") and an ADP's row
("latest 2025/26 Q3 — no completed waits in 2025/26 Q4") named every ADP with no completed
waits, so every ADP they did not name had at least one. On the shipped demo the three islands'
hidden waits in 2023/24 Q3 add up to 5, so each was 1-3, and `mission audit` said PASSED.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from mission.adps import all_adps
from mission.publish import build_publication, write_board_papers, write_report
from mission.publish.board_write import write_papers
from mission.publish.folder_audit import audit_folders
from mission.publish.write import write_national
from mission.returns import load_returns
from mission.targets import load_targets
from mission.tracker import progress

from .conftest import FIXTURES

AS_OF = dt.date(2026, 3, 31)
ISLANDS = ("orkney", "shetland", "outer-hebrides")
WAITING = "## Treatment starts within three weeks of referral"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The shipped demo's national report and the islands' board papers, as of 2026-03-31, of
    its waiting times: the demo's episodes (and dataset.toml) alone. The waiting-times tables
    are made from episodes only, so they are the whole demo's cell for cell, hidden for hidden
    (checked when this was changed), in about half the time; the other kinds' sections never
    speak of waits."""
    source = tmp_path_factory.mktemp("waits-returns")
    for name in ("episodes.csv", "dataset.toml"):
        shutil.copy(FIXTURES / "demo" / name, source / name)
    returns = load_returns([source])
    result = progress(returns, as_of=AS_OF)
    root = tmp_path_factory.mktemp("waits-demo")
    report = write_report(result, returns, root / "report")["published"].parent
    papers = write_board_papers(result, returns, root / "papers", list(ISLANDS))
    return report, papers["published"].parent


def _words(folder: Path) -> str:
    """Every word a folder publishes: its pages, its CSV and its workbook's strings."""
    texts = [p.read_text() for p in folder.iterdir() if p.suffix in (".md", ".html", ".csv")]
    for book in folder.glob("*.xlsx"):
        with zipfile.ZipFile(book) as z:
            texts.append(z.read("xl/sharedStrings.xml").decode())
    return "\n".join(texts)


def _waiting_section(page: str) -> str:
    section = page[page.index(WAITING) :]
    return section[: section.index("\n## ", 1)]


def test_no_published_word_says_which_adps_had_no_completed_waits(demo: tuple[Path, Path]) -> None:
    for folder in demo:
        assert "no completed waits" not in _words(folder), folder
    section = _waiting_section((demo[0] / "report.md").read_text())
    assert "gaps:" not in section  # Scotland's figure named them too ("gaps: Orkney, Shetland")
    # Every ADP is judged on Scotland's quarter: "latest 2025/26 Q3" said Q4 had none.
    rows = re.findall(
        r"^\| ([A-Z][^|]+?) \| [^|]* \| (\S+ Q\d) \|.*\| (\S+ Q\d)[^|]* \|", section, re.M
    )
    assert len(rows) == len(all_adps())
    assert {(judged, latest) for _, judged, latest in rows} == {("2025/26 Q4", "2025/26 Q4")}


def test_a_quarter_with_no_completed_waits_is_a_row_of_its_table(demo: tuple[Path, Path]) -> None:
    """The zero is a cell, hidden through the pattern like a count of 1-4, so the audit counts
    it and a `c` may be 0."""
    report, papers = demo
    record = json.loads((report / "published.json").read_text())
    waiting = {k: v for k, v in record["tables"].items() if k.startswith("waiting-times ")}
    assert len(waiting) == 12
    for name, table in waiting.items():
        assert {c["row"] for c in table["cells"]} == {a.code for a in all_adps()}, name
    shetland = {
        c["column"]: c["printed"]
        for c in waiting["waiting-times 2023/24 Q1"]["cells"]
        if c["row"] == "shetland"
    }
    # The demo's Shetland had none: its zero is hidden as a small count is (were zeros always
    # printed, every `c` would be known to be 1 or more).
    assert shetland == {"within": "c", "over": "c"}
    paper = (papers / "shetland.md").read_text()
    assert "| 2023/24 Q1 | c | c | c | 96.5% | c |" in paper


def test_the_demo_report_and_papers_pass_the_audit_together(demo: tuple[Path, Path]) -> None:
    result = audit_folders(list(demo))
    assert result.ok
    q3 = result.tables["waiting-times 2023/24 Q3"]
    hidden = [r for r in q3.ranges if r.item.startswith(ISLANDS)]
    assert hidden and all(r.high is None or r.high - r.low >= 5 for r in hidden)


# --- a hidden zero reads as any hidden count -----------------------------------------------------


def _episodes() -> str:
    """2025/26 Q1: Shetland referred someone but completed no wait; every other ADP has waits."""
    lines = [
        "adp,person_id,referral_date,treatment_start_date,referral_source,substance,treatment_type"
    ]
    number = 0
    for i, adp in enumerate(all_adps()):
        waits = [] if adp.code == "shetland" else [7] * (10 + i) + [30] * (5 + i % 4)
        for wait in waits:
            number += 1
            start = dt.date(2025, 4, 1) + dt.timedelta(days=wait)
            lines.append(f"{adp.name},P{number:05d},2025-04-01,{start},self,drugs,ost")
    number += 1
    lines.append(f"Shetland,P{number:05d},2025-04-02,,self,drugs,ost")
    return "\n".join(lines) + "\n"


def test_a_hidden_zero_is_printed_as_a_hidden_count_is(tmp_path: Path) -> None:
    """Were the pattern to hide a quarter's zero, every view prints it as `c`, as it prints a
    hidden count: the judged figure, n, status and comparison, the paper's row and the chart."""
    (tmp_path / "returns").mkdir()
    (tmp_path / "returns" / "episodes.csv").write_text(_episodes())
    returns = load_returns([tmp_path / "returns"], today=dt.date(2026, 11, 25))
    result = progress(returns, as_of=dt.date(2025, 8, 1))
    publication = build_publication(result, load_targets(), returns)
    name = "waiting-times 2025/26 Q1"
    entry = publication.tables[name]
    assert entry.table.value("shetland", "within") == 0
    figures = [f.name for f in entry.table.published_figures if f.name.endswith(" shetland")]
    hidden = entry.pattern.hiding([("shetland", "within"), ("shetland", "over")], figures)
    hidden = hidden.hiding([("orkney", "within"), ("orkney", "over")])  # its company
    hidden = hidden.hiding(
        figures=[f.name for f in entry.table.published_figures if "orkney" in f.name]
    )
    tables = dict(publication.tables) | {name: dataclasses.replace(entry, pattern=hidden)}
    publication = dataclasses.replace(publication, tables=tables, printed_by={})
    write_national(publication, tmp_path / "report")
    write_papers(publication, tmp_path / "papers", ["shetland", "orkney"])
    page = (tmp_path / "report" / "report.md").read_text()
    section = _waiting_section(page)
    rows = {
        line.split(" | ")[0].lstrip("| "): line
        for line in section.splitlines()
        if line.startswith(("| Shetland ", "| Orkney "))
    }
    hidden_row = "| c | 2025/26 Q1 | c | c | 2025/26 Q1 | 90.0% | national standard | c | — | c |"
    assert rows["Shetland"].endswith(hidden_row)
    assert rows["Orkney"].endswith(hidden_row)
    for adp in ("shetland", "orkney"):
        paper = (tmp_path / "papers" / f"{adp}.md").read_text()
        assert re.search(r"^\| 2025/26 Q1 \| c \| c \| c \| [^|]+ \| c \|$", paper, re.M), adp
    # The chart of ADPs counts the hidden zero among those withheld, as it counts Orkney.
    withheld = sum(
        not (hidden.shows(f"percent {a.code}") and hidden.shows(f"interval {a.code}"))
        for a in all_adps()
    )
    assert withheld >= 2  # the two hidden here, and any company the pattern hides for them
    alt = re.search(r"Completed waits within three weeks by ADP[^\]]*", page)
    assert alt is not None and f"{withheld} ADP(s) not drawn" in alt.group(0)
    assert audit_folders([tmp_path / "report", tmp_path / "papers"]).ok


def test_zeros_and_small_counts_of_waits_print_alike(tmp_path: Path) -> None:
    """Attack s33b: three islands' completed waits adding up to Scotland's 5 print the same
    whatever the split, a zero among them too: were zeros printed as 0, three `c`s would each be
    known to be 1-3. Each split's table prints the islands' cells identically."""
    seen = set()
    for split in ((2, 1, 2), (0, 1, 4), (4, 1, 0)):
        lines = [
            "adp,person_id,referral_date,treatment_start_date,referral_source,substance,"
            "treatment_type"
        ]
        number = 0
        islands = dict(zip(("orkney", "shetland", "outer-hebrides"), split, strict=True))
        for adp in all_adps():
            for _ in range(islands.get(adp.code, 0)):
                number += 1
                lines.append(f"{adp.name},P{number:05d},2024-07-01,2024-07-08,self,drugs,ost")
            number += 1  # every ADP referred someone in the quarter, and so returned for it
            lines.append(f"{adp.name},P{number:05d},2024-07-02,,self,drugs,ost")
        folder = tmp_path / "-".join(map(str, split))
        folder.mkdir()
        (folder / "episodes.csv").write_text("\n".join(lines) + "\n")
        returns = load_returns([folder], today=dt.date(2026, 11, 25))
        publication = build_publication(
            progress(returns, as_of=dt.date(2025, 1, 31)), load_targets(), returns
        )
        entry = publication.tables["waiting-times 2024/25 Q2"]
        seen.add(tuple((row, "within") in entry.pattern.hidden for row in sorted(islands)))
    assert seen == {(True, True, True)}
