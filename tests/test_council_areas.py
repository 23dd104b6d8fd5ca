"""A return of ADP figures that names one council area of an ADP of two is read as the ADP (as
the contract says) with a warning that its figure is stored as the whole ADP's. Found by an
attack: `Stirling`'s OST figure was stored as Clackmannanshire and Stirling's, and a later file
naming `Clackmannanshire` replaced it, both accepted with a note `submit` did not show."""

from __future__ import annotations

from pathlib import Path

import mission
from tests.officer_tools import OST_HEADER, run

_ROW = "2024/25 Q1,200,30,10,0,0,240"


def _ost(path: Path, *names: str) -> Path:
    path.write_text(",".join(OST_HEADER) + "\n" + "".join(f"{n},{_ROW}\n" for n in names))
    return path


def _said(path: Path) -> list[tuple[str, int | None]]:
    return [(f.code, f.row) for f in mission.validate(path).findings]


def test_one_council_area_of_a_shared_adp_is_warned_of(tmp_path: Path) -> None:
    assert _said(_ost(tmp_path / "a.csv", "Fife", "Stirling")) == [("adp-council-area", 3)]
    assert _said(_ost(tmp_path / "b.csv", "Clackmannanshire and Stirling", "MELDAP")) == []
    (message,) = [f.message for f in mission.validate(tmp_path / "a.csv").findings]
    assert message == (
        "'Stirling' is one council area of the Clackmannanshire and Stirling ADP: its figure is "
        "read, and stored, as the whole ADP's"
    )
    # Both council areas in one file: a repeated key, which says to add them, as before.
    both = _said(_ost(tmp_path / "c.csv", "Midlothian", "East Lothian"))
    assert ("duplicate-row", 3) in both and ("adp-council-area", 2) in both


def test_population_and_peoples_records_name_council_areas_without_a_warning(
    tmp_path: Path,
) -> None:
    population = tmp_path / "population.csv"
    population.write_text("adp,calendar_year,population\nStirling,2023,90000\n"
                          "Clackmannanshire,2023,50000\n")  # fmt: skip
    assert {code for code, _ in _said(population)} == {"adp-combined"}
    episodes = tmp_path / "episodes.csv"
    episodes.write_text(
        "adp,person_id,referral_date,treatment_start_date,referral_source,substance,"
        "treatment_type\nStirling,P1,2024-04-02,2024-04-03,gp,drugs,ost\n"
    )
    assert "adp-council-area" not in {code for code, _ in _said(episodes)}


def test_submit_shows_the_warning(tmp_path: Path) -> None:
    result = run("submit", _ost(tmp_path / "stirling.csv", "Stirling"), "--store",
                 tmp_path / "store.sqlite")  # fmt: skip
    assert result.exit_code == 0
    assert "adp-council-area" in result.output and "one council area" in result.output
