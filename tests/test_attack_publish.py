"""Attacks on publications and progress numbers (black box: the installed CLI).

Each test states the behaviour that should hold; each failed on the code it was written against.
The demo set (synthetic, all 30 ADPs) is the base; odd inputs are built in tmp_path.
"""

from __future__ import annotations

import math
import shutil
import subprocess
import sys
from pathlib import Path

MISSION = str(Path(sys.executable).with_name("mission"))
DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "demo"


def _run(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [MISSION, *(str(a) for a in args)], capture_output=True, text=True, timeout=300
    )


def _copy(tmp_path: Path, *kinds: str, name: str = "returns") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for kind in kinds:
        shutil.copy(DEMO / f"{kind}.csv", folder / f"{kind}.csv")
    return folder


def _md_rows(markdown: str, first_cell: str) -> list[list[str]]:
    """Every Markdown table row whose first cell is `first_cell`, as a list of cells."""
    rows = []
    for line in markdown.splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if cells and cells[0] == first_cell:
                rows.append(cells)
    return rows


def _number(text: str) -> float:
    return float(text.replace(",", "").rstrip("%"))


# --- disclosure ------------------------------------------------------------------------------


def test_status_is_hidden_beside_a_hidden_apportioned_target(tmp_path: Path) -> None:
    """An ADP whose apportioned target is printed as c has its status hidden too, so 'achieved' cannot bound (and, with the column total, pin) the hidden basis count."""
    folder = _copy(tmp_path, "rehab")
    result = _run(
        "progress", folder, "--target", "rehab", "--as-of", "2026-03-31", "--format", "markdown"
    )
    assert result.returncode == 0, result.stderr
    # ADP | judged | judged period | latest | latest period | target | target from | status | ...
    leaks = []
    for line in result.stdout.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 9 and cells[5] == "c" and cells[7] != "c":
            leaks.append((cells[0], cells[1], cells[7]))
    # East Dunbartonshire: judged 8 'achieved' means 1000 * x / 511 <= 8, so x <= 4; with East
    # Renfrewshire the same and the printed column total (x_ED + x_ER = 511 - 503 = 8), both are 4.
    assert not leaks, f"status printed beside a hidden target: {leaks}"


def test_year_to_date_figures_at_two_as_of_dates_do_not_give_away_a_quarter(
    tmp_path: Path,
) -> None:
    """Two publications of the same year in progress (as of the end of Q2 and of Q3) must not let a reader work out one ADP's placements in a quarter to a single count of 1 to 4."""
    folder = _copy(tmp_path, "rehab")
    raw: dict[str, set[int]] = {}
    for as_of, quarters in (("2025-09-30", 2), ("2025-12-31", 3)):
        result = _run(
            "progress", folder, "--target", "rehab", "--as-of", as_of, "--format", "markdown"
        )
        assert result.returncode == 0, result.stderr
        row = next(r for r in _md_rows(result.stdout, "Moray") if r[2] == "2025/26")
        if row[1] == "c":  # hidden: any count is possible (a parse the attacker left out)
            raw[as_of] = set(range(200))
            continue
        printed = _number(row[1])  # the year pro-rated: raw * 4 / quarters, rounded
        raw[as_of] = {n for n in range(200) if round(n * 4 / quarters) == printed}
    q3 = {b - a for a in raw["2025-09-30"] for b in raw["2025-12-31"]}
    # Moray: 12 from 2 quarters (raw 6), then 12 from 3 quarters (raw 9): Q3 was 3.
    assert not (len(q3) == 1 and 1 <= next(iter(q3)) <= 4), f"Moray's 2025/26 Q3 is {q3}"


# --- numbers ----------------------------------------------------------------------------------


def test_scotland_rate_is_not_the_count_when_an_adp_has_no_population(tmp_path: Path) -> None:
    """When one ADP has no population estimate, Scotland's rate per 100,000 is either a real rate or '—', never the raw count printed as a rate."""
    folder = _copy(tmp_path, "deaths")
    with (DEMO / "population.csv").open() as f:
        lines = [line for line in f if "orkney" not in line.lower()]
    (folder / "population.csv").write_text("".join(lines))
    result = _run("progress", folder, "--as-of", "2026-03-31", "--format", "markdown")
    assert result.returncode == 0, result.stderr
    # | area | count | population | rate per 100,000 | 95% interval | vs Scotland | note |
    rows = [r for r in _md_rows(result.stdout, "Scotland") if len(r) == 7]
    assert rows, result.stdout
    for row in rows:
        if row[3] not in ("—", "c"):
            assert _number(row[3]) != _number(row[1]), f"Scotland's rate is its count: {row}"
            assert _number(row[3]) < 1000, f"deaths per 100,000 of {row[3]}: {row}"


def test_a_target_equal_to_its_baseline_is_not_an_internal_error(tmp_path: Path) -> None:
    """A target file whose target equals the baseline (a 'hold the line' target) publishes, and no ADP is 'of the way' by a huge number."""
    folder = _copy(tmp_path, "rehab")
    targets = tmp_path / "targets"
    targets.mkdir()
    (targets / "rehab.toml").write_text('id = "rehab"\ntarget_value = 250\n')
    md = _run(
        "progress", folder, "--targets", targets, "--as-of", "2026-03-31", "--format", "markdown"
    )
    assert md.returncode in (0, 1, 2), md.stderr  # never 3, an internal error
    js = _run("progress", folder, "--targets", targets, "--as-of", "2026-03-31", "--format", "json")
    assert js.returncode == 0, js.stderr
    import json

    ways = [
        a["percent_of_way"]
        for t in json.loads(js.stdout)["targets"]
        for a in t["adps"]
        if a["percent_of_way"] is not None
    ]
    assert all(math.isfinite(w) and abs(w) < 1e6 for w in ways), max(ways, key=abs)


def test_a_national_figure_says_when_an_adp_sent_only_half_the_year(tmp_path: Path) -> None:
    """When an ADP stops sending rehab rows half way through a year, Scotland's yearly figure does not read as complete: its row names the ADP's gap beside the number."""
    folder = tmp_path / "returns"
    folder.mkdir()
    with (DEMO / "rehab.csv").open() as f:
        kept = [
            line
            for line in f
            if not line.startswith(("Glasgow City,2025/26 Q3", "Glasgow City,2025/26 Q4"))
        ]
    (folder / "rehab.csv").write_text("".join(kept))
    result = _run(
        "progress", folder, "--target", "rehab", "--as-of", "2026-11-25", "--format", "markdown"
    )
    assert result.returncode == 0, result.stderr
    # | period | Scotland | published figure | ADPs reported | note |
    row = next(r for r in _md_rows(result.stdout, "2025/26") if len(r) == 5)
    assert "Glasgow" in row[4] or "Glasgow" in row[3], (
        f"Scotland's 2025/26 ({row[1]}) counts Glasgow City's missing Q3 and Q4 as zero "
        f"and says only {row[3]!r} {row[4]!r}"
    )


# --- what a folder records --------------------------------------------------------------------


def test_audit_reads_every_board_paper_in_a_folder(tmp_path: Path) -> None:
    """A second board paper written into a folder that holds another run's paper is refused (exit
    2, nothing written), so published.json records every page in the folder; the same paper
    written again is allowed, and a stray file beside a publication is refused too."""
    # Changed from the attacker's version, which also let both runs pass if the records were
    # merged: we refuse instead (see the report), so the second run must fail and write nothing.
    folder = _copy(tmp_path, "rehab")
    papers = tmp_path / "papers"
    first = (
        "report",
        folder,
        "--adp",
        "East Dunbartonshire",
        "-o",
        papers,
        "--as-of",
        "2026-03-31",
    )
    assert _run(*first).returncode == 0
    second = _run("report", folder, "--adp", "Moray", "-o", papers, "--as-of", "2026-03-31")
    assert second.returncode == 2, second.stderr
    assert "east-dunbartonshire" in second.stderr
    assert not (papers / "moray.md").exists()
    import json

    recorded = json.loads((papers / "published.json").read_text())["files"]
    assert "east-dunbartonshire.md" in recorded and "east-dunbartonshire.html" in recorded
    assert _run(*first).returncode == 0, "the same paper written again"
    (papers / "old-draft.md").write_text("a page nobody audited\n")
    assert _run(*first).returncode == 2, "a stray file beside the publication"


# --- strangers' text --------------------------------------------------------------------------


def test_a_file_name_is_inert_in_the_published_markdown(tmp_path: Path) -> None:
    """A return's file name (strangers' text in a repository of returns) is shown inert in the published Markdown: no raw HTML tag and no image link that a Markdown viewer would load."""
    folder = _copy(tmp_path, "rehab")
    name = "<img src=x onerror=alert(1)> ![t](https:evil.example!t.png).csv"
    (folder / name).write_text("adp,period\nFife,2023/24 Q1\n")  # invalid: left out, named
    for extra in ((), ("--adp", "Fife")):
        result = _run("progress", folder, "--as-of", "2026-03-31", "--format", "markdown", *extra)
        assert result.returncode == 0, result.stderr
        assert "onerror" in result.stdout, "the left-out file is named (names may be shown)"
        assert "<img" not in result.stdout, "a raw HTML tag from a file name"
        assert "![t](" not in result.stdout, "an image link from a file name"


def test_a_huge_count_that_validates_does_not_crash_publishing(tmp_path: Path) -> None:
    """A count that `mission validate` accepts (here 99,999,999,999,999,999 placements) never makes publishing an internal error: either validation refuses it, or progress publishes."""
    folder = tmp_path / "returns"
    folder.mkdir()
    text = (DEMO / "rehab.csv").read_text()
    lines = text.splitlines(keepends=True)
    i = next(n for n, line in enumerate(lines) if line.startswith("Glasgow City,2021/22 Q1,adp,"))
    parts = lines[i].split(",")
    parts[3] = "99999999999999999"
    lines[i] = ",".join(parts)
    (folder / "rehab.csv").write_text("".join(lines))
    valid = _run("validate", folder)
    if valid.returncode == 0:
        result = _run(
            "progress",
            folder,
            "--target",
            "rehab",
            "--as-of",
            "2026-03-31",
            "--format",
            "markdown",
        )
        assert result.returncode != 3, result.stderr
