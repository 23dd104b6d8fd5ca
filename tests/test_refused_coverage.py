"""An ADP whose return was left out as invalid sent one: it is never called missing, and what it
sent is never taken for the whole (found by an attack on this session's coverage words). A
refused quarter of a year leaves that ADP's year a part; a refused extract is said of the
quarters it holds; a refusal of a period after `--as-of` says nothing as of then; the notes
name every ADP a figure lacks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mission

from .conftest import FIXTURES

DEMO = FIXTURES / "demo"
AS_OF = "2026-11-25"


def _split(folder: Path, kind: str, adp: str, keep: str | None = None) -> list[str]:
    """The demo's `kind` file in `folder` without `adp`'s rows (or those of period `keep` only
    moved); the rows taken out, with the header first."""
    lines = (DEMO / f"{kind}.csv").read_text().splitlines()
    header, rows = lines[0], lines[1:]
    moved = [r for r in rows if r.startswith(f"{adp},") and (keep is None or f",{keep}," in r)]
    rest = [r for r in rows if r not in moved]
    (folder / f"{kind}.csv").write_text("\n".join([header, *rest]) + "\n")
    return [header, *moved]


def _refused_file(path: Path, rows: list[str]) -> None:
    """`rows` (header first) with the first row's last figure made -1: the file is refused."""
    first = rows[1].rsplit(",", 1)[0] + ",-1"
    path.write_text("\n".join([rows[0], first, *rows[2:]]) + "\n")


def test_a_refused_quarter_leaves_the_adps_year_a_part_never_the_whole(tmp_path: Path) -> None:
    """Fife's 2025/26 Q2 rehab return refused: the year was 30 of 30 ADPs, judged on 943 with
    Fife's Q2 as none started. Fife's three quarters are not Scotland's whole year now: 29 of
    30, Fife refused, not judged."""
    moved = _split(tmp_path, "rehab", "Fife", keep="2025/26 Q2")
    _refused_file(tmp_path / "rehab-fife-q2.csv", moved)
    rehab = mission.progress(mission.load_returns(tmp_path), as_of=AS_OF).target("rehab")
    year = next(p for p in rehab.series if p.period == "2025/26")
    assert (year.coverage.reported, year.coverage.refused, year.coverage.complete) == (
        29, ("Fife",), False,
    )  # fmt: skip
    assert rehab.judged_period != "2025/26"
    # Fife's three quarters are not its year either: its row says the year has no valid return
    # (a published table's rows add up to Scotland's, which leaves them out).
    fife = next(a for a in rehab.adps if a.name == "Fife")
    assert (fife.latest_period, fife.gap) == ("2024/25", "no valid return for 2025/26")


def test_every_adp_refused_is_said_so_for_scotland_too(tmp_path: Path) -> None:
    (tmp_path / "ost.csv").write_text((DEMO / "ost.csv").read_text())
    (tmp_path / "ost-again.csv").write_text((DEMO / "ost.csv").read_text())
    ost = mission.progress(mission.load_returns(tmp_path), as_of=AS_OF).target("ost")
    assert (ost.coverage.missing, len(ost.coverage.refused)) == ((), 30)


def test_a_deadline_period_every_return_of_which_was_refused_says_so(tmp_path: Path) -> None:
    """OST's deadline judges 2023/24 Q4. Its rows in a file of their own, refused: the target
    read `no figure yet for 2023/24 Q4`, as if the returns were still to come. Now Scotland says
    the returns of all 30 ADPs for it were refused, and an ADP's row that its own was."""
    lines = (DEMO / "ost.csv").read_text().splitlines()
    quarter = [r for r in lines[1:] if ",2023/24 Q4," in r]
    rest = [r for r in lines[1:] if r not in quarter]
    (tmp_path / "ost.csv").write_text("\n".join([lines[0], *rest]) + "\n")
    _refused_file(tmp_path / "ost-2023-24-q4.csv", [lines[0], *quarter])
    ost = mission.progress(mission.load_returns(tmp_path), as_of=AS_OF).target("ost")
    said = "not judged: no valid figure for 2023/24 Q4, the period the deadline judges: "
    assert f"{said}the returns for it from 30 ADPs were refused (`mission validate` says why)" in (
        ost.notes
    )
    # Half refused, half never sent: both are said.
    half = [r for r in quarter if r.split(",")[0] < "G"]
    (tmp_path / "ost-2023-24-q4.csv").unlink()
    _refused_file(tmp_path / "ost-2023-24-q4.csv", [lines[0], *half])
    some = mission.progress(mission.load_returns(tmp_path), as_of=AS_OF).target("ost")
    assert any(
        n.endswith(f"(`mission validate` says why); {30 - len(half)} sent none") for n in some.notes
    ), some.notes
    fife = next(a for a in ost.adps if a.name == "Fife")
    assert f"{said}a return for it was refused (`mission validate` says why)" in fife.notes
    assert not any("no figure yet" in note for note in (*ost.notes, *fife.notes))


def test_a_refused_extract_is_said_of_the_quarters_it_holds(tmp_path: Path) -> None:
    """Fife's referrals of 2025 in a refused file of their own, the earlier ones in no file:
    Fife is `no valid return` for the quarters of 2025 and missing from those before, never
    refused for every quarter (a record-level return has no period column: its rows are dated
    by referral)."""

    def quarter(line: str) -> str:
        return str(mission.Quarter.containing(dt.date.fromisoformat(line.split(",")[2])))

    lines = (DEMO / "episodes.csv").read_text().splitlines()
    fife = [r for r in lines[1:] if r.startswith("Fife,")]
    late = [r for r in fife if r.split(",")[2] >= "2025-01-01"]
    kept = [r for r in lines[1:] if r not in fife]
    (tmp_path / "episodes.csv").write_text("\n".join([lines[0], *kept]) + "\n")
    # The first row twice: a repeated key, so the file is refused.
    (tmp_path / "episodes-fife.csv").write_text("\n".join([lines[0], *late, late[0]]) + "\n")
    held = {quarter(line) for line in late}
    waits = mission.progress(mission.load_returns(tmp_path), as_of=AS_OF).target("waiting-times")
    said = {
        p.period: ("Fife" in p.coverage.refused, "Fife" in p.coverage.missing) for p in waits.series
    }
    assert said["2023/24 Q2"] == (False, True)
    assert all(said[q] == (True, False) for q in held if q in said)


def test_a_refusal_after_as_of_says_nothing_as_of_then(tmp_path: Path) -> None:
    """Outer Hebrides' 2025/26 Q4 rehab return refused, judged as of 2025-12-31: the year is
    not over, so the ADP is missing from 2025/26 as it would be with the return valid."""
    moved = _split(tmp_path, "rehab", "Outer Hebrides", keep="2025/26 Q4")
    if len(moved) > 1:
        _refused_file(tmp_path / "rehab-oh-q4.csv", moved)
    rehab = mission.progress(mission.load_returns(tmp_path), as_of="2025-12-31").target("rehab")
    assert all("Outer Hebrides" not in p.coverage.refused for p in rehab.series)


def test_the_notes_name_every_adp_a_figure_lacks(tmp_path: Path) -> None:
    lines = (DEMO / "ost.csv").read_text().splitlines()
    gone = ("Moray", "Angus", "Highland", "Inverclyde", "Falkirk", "Fife", "Orkney")
    kept = [r for r in lines[1:] if not (r.startswith(gone) and ",2025/26 Q4," in r)]
    (tmp_path / "ost.csv").write_text("\n".join([lines[0], *kept]) + "\n")
    ost = mission.progress(mission.load_returns(tmp_path), as_of=AS_OF).target("ost")
    note = next(n for n in ost.notes if n.startswith("2025/26 Q4:"))
    assert all(name in note for name in (*gone, "Shetland"))


def test_the_workbook_gives_the_gap_words_the_other_views_give(tmp_path: Path) -> None:
    """Found by an attack: in the progress workbook (and report.xlsx) a refused or missing ADP's
    row was blank beside `no data`, where text, JSON, CSV and Markdown say `no valid return`."""
    import openpyxl
    from typer.testing import CliRunner

    from mission.cli.app import app

    (tmp_path / "ost.csv").write_text((DEMO / "ost.csv").read_text())
    (tmp_path / "ost-again.csv").write_text((DEMO / "ost.csv").read_text())
    out = tmp_path / "progress.xlsx"
    done = CliRunner().invoke(app, ["progress", str(tmp_path), "--target", "ost", "-o", str(out),
                                    "--as-of", AS_OF])  # fmt: skip
    assert done.exit_code == 0, done.output
    sheet = openpyxl.load_workbook(out)["ost"]
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert sum(1 for c in cells if c == "no valid return") == 30


def test_a_report_is_written_when_a_quarter_of_one_adp_was_refused(tmp_path: Path) -> None:
    """Found by an attack on the fix above: Scotland's year left Fife's part out, Fife's row
    still printed it, and the disclosure check (the rows must add up to the total) refused to
    publish anything. Fife's part is in no table now: the report is written and audited."""
    from typer.testing import CliRunner

    from mission.cli.app import app

    moved = _split(tmp_path, "rehab", "Fife", keep="2025/26 Q2")
    _refused_file(tmp_path / "rehab-fife-q2.csv", moved)
    out = tmp_path / "out"
    runner = CliRunner()
    done = runner.invoke(app, ["report", str(tmp_path / "rehab.csv"), str(tmp_path / "rehab-fife-q2.csv"),
                               "-o", str(out), "--as-of", AS_OF])  # fmt: skip
    assert done.exit_code == 0, done.output
    assert runner.invoke(app, ["audit", str(out)]).exit_code == 0
    assert "| Fife |" in (out / "report.md").read_text()


def test_a_refused_quarter_of_episodes_is_no_part_of_scotlands_quarter(tmp_path: Path) -> None:
    """Found by an attack: Fife's 2025/26 Q2 referrals in a refused file, the rest valid: the
    quarter was 30 of 30 (an extract counts for every quarter it spans), Fife's Q2 lost."""
    lines = (DEMO / "episodes.csv").read_text().splitlines()
    q2 = [
        r
        for r in lines[1:]
        if r.startswith("Fife,") and "2025-07-01" <= r.split(",")[2] <= "2025-09-30"
    ]
    (tmp_path / "episodes.csv").write_text(
        "\n".join([lines[0], *(r for r in lines[1:] if r not in q2)]) + "\n"
    )
    (tmp_path / "episodes-fife-q2.csv").write_text("\n".join([lines[0], *q2, q2[0]]) + "\n")
    waits = mission.progress(mission.load_returns(tmp_path), as_of=AS_OF).target("waiting-times")
    quarter = next(p for p in waits.series if p.period == "2025/26 Q2")
    assert (quarter.coverage.reported, quarter.coverage.refused) == (29, ("Fife",))


def test_a_return_refused_for_a_period_that_cannot_be_read_explains_the_gap(tmp_path: Path) -> None:
    """Found by an attack: Fife's Q2 rehab return with its period typed `2025/26 Q5` was dated
    to no period, so Fife's Q2 read as none started and the year was judged whole on 943."""
    moved = _split(tmp_path, "rehab", "Fife", keep="2025/26 Q2")
    (tmp_path / "rehab-fife-q2.csv").write_text(
        "\n".join([moved[0], *(r.replace("2025/26 Q2", "2025/26 Q5") for r in moved[1:])]) + "\n"
    )
    rehab = mission.progress(mission.load_returns(tmp_path), as_of=AS_OF).target("rehab")
    year = next(p for p in rehab.series if p.period == "2025/26")
    assert (year.coverage.reported, year.coverage.refused) == (29, ("Fife",))
    assert rehab.judged_period != "2025/26"


_ADPS = ("Fife", "Angus", "Highland", "Orkney", "Glasgow City")
_QUARTERS = ("2024/25 Q3", "2025/26 Q1", "2025/26 Q2", "2025/26 Q4")


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(refused=st.sets(st.tuples(st.sampled_from(_ADPS), st.sampled_from(_QUARTERS)), max_size=4))
def test_no_figure_counts_what_was_refused(tmp_path: Path, refused: set[tuple[str, str]]) -> None:
    """Whichever ADPs' quarters are refused: Scotland's figure for a period is the sum of the
    ADPs' own figures for it (a published table adds up); an ADP refused for a period (or a
    quarter of its year) has no figure for it and is never counted as reported; every ADP is
    reported, missing or refused, once."""
    folder = tmp_path / str(abs(hash(frozenset(refused))))
    folder.mkdir()
    lines = (DEMO / "rehab.csv").read_text().splitlines()
    moved = [r for r in lines[1:] if any(r.startswith(f"{a},{q},") for a, q in refused)]
    (folder / "rehab.csv").write_text(
        "\n".join([lines[0], *(r for r in lines[1:] if r not in moved)]) + "\n"
    )
    if moved:
        _refused_file(folder / "rehab-refused.csv", [lines[0], *moved])
    rehab = mission.progress(mission.load_returns(folder), as_of=AS_OF).target("rehab")
    hit = {(a, q[:7]) for a, q in refused if any(r.startswith(f"{a},{q},") for r in moved)}
    for point in rehab.series:
        own = [next((p for p in a.series if p.period == point.period), None) for a in rehab.adps]
        assert point.value == pytest.approx(sum(p.value for p in own if p is not None))
        cover = point.coverage
        assert cover.reported + len(cover.missing) + len(cover.refused) == cover.expected
        for adp, year in hit:
            if point.period == year:
                assert adp in cover.refused, (adp, year)
                mine = next(a for a in rehab.adps if a.name == adp)
                assert all(p.period != year for p in mine.series)


def test_a_judgement_on_a_year_with_quarters_of_no_rows_says_it_counts_them_as_none() -> None:
    """The demo's rehab 2025/26 is judged `missed` with quarters Orkney, Shetland and Outer
    Hebrides sent no rows for counted as none started (a newcomer saw no word of them): the
    notes say so, Scotland's and each such ADP's; a target without such quarters says nothing."""
    found = mission.progress(mission.load_returns(DEMO), as_of=AS_OF)
    rehab = found.target("rehab")
    assert (
        "2025/26 counts the quarters Orkney, Shetland and Outer Hebrides sent no rows for as none "
        "started: a return still to come for one would add to the figure"
    ) in rehab.notes
    orkney = next(a for a in rehab.adps if a.name == "Orkney")
    assert any("its quarters with no rows as none started" in n for n in orkney.notes)
    fife = next(a for a in rehab.adps if a.name == "Fife")
    assert not any("none started" in n for n in (*fife.notes, *found.target("ost").notes))
