"""What a return was read as (`FileReport.covers`): the ADPs and periods of its rows, so an
officer sees which quarter `Q2 2025/26` was taken for (a newcomer's `valid` never said)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

import mission
from mission.cli.app import app

from .officer_tools import EPISODES_HEADER, OST_HEADER

OST = ",".join(OST_HEADER) + "\n"


def test_one_adps_quarter_as_typed_is_said_as_read(tmp_path: Path) -> None:
    path = tmp_path / "ost.csv"
    path.write_text(OST + "Fife ADP,Q2 2025/26,1466,530,181,0,3,2180\n")
    (report,) = mission.validate(path).files
    assert report.covers == "Fife; 2025/26 Q2"
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert "Fife; 2025/26 Q2" in result.output


def test_many_adps_and_periods_are_counted_and_spanned(tmp_path: Path) -> None:
    rows = [
        f"{adp},{period},1,0,0,0,0,1"
        for adp in ("Fife", "Angus", "Moray", "Orkney")
        for period in ("2024/25 Q4", "2023/24 Q1", "nonsense")
    ]
    path = tmp_path / "ost.csv"
    path.write_text(OST + "\n".join(rows) + "\n")
    (report,) = mission.validate(path).files
    assert not report.valid  # `nonsense` is no period, and is not said
    assert report.covers == "4 ADPs; 2023/24 Q1, 2024/25 Q4"  # two quarters, not a range


def test_a_return_of_records_is_dated_by_its_referrals(tmp_path: Path) -> None:
    path = tmp_path / "episodes.csv"
    path.write_text(
        ",".join(EPISODES_HEADER)
        + "\nFife,P1,2024-04-02,,self,drugs,\nAngus,P2,2025-03-31,2025-04-01,gp,drugs,ost\n"
    )
    (report,) = mission.validate(path).files
    assert report.covers == "Angus, Fife; referred 2024/25 Q1 to 2024/25 Q4"
    assert "P1" not in report.covers


def test_a_file_with_no_row_read_covers_nothing(tmp_path: Path) -> None:
    path = tmp_path / "ost.csv"
    path.write_text("not,a,return\n1,2,3\n")
    (report,) = mission.validate(path).files
    assert report.covers is None


def test_a_name_read_as_no_adp_is_counted_never_quoted(tmp_path: Path) -> None:
    """Found by a newcomer: `Fiffe` left `read as` saying the quarter alone, as if the file named
    no ADP; it is counted, and not quoted (it may be anything typed)."""
    path = tmp_path / "ost.csv"
    path.write_text(OST + "Fiffe,2025/26 Q2,1,0,0,0,0,1\nAngus,2025/26 Q2,1,0,0,0,0,1\n")
    (report,) = mission.validate(path).files
    assert report.covers == "Angus; 1 name not read as an ADP; 2025/26 Q2"
