"""Attack final3: the last hour's fixes (person ids, judged points and targets, outputs)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner, Result

from mission.cli.app import app

from .officer_tools import EPISODES_HEADER, OST_HEADER

REPO = Path(__file__).resolve().parent.parent
EPISODES = ",".join(EPISODES_HEADER) + "\n"
OST = ",".join(OST_HEADER) + "\n"


def _run(args: list[str]) -> str:
    result = CliRunner().invoke(app, args)
    assert result.exit_code in (0, 1), result.output
    return result.output


def test_ids_of_a_person_id_file_of_unknown_kind_are_still_withheld(tmp_path: Path) -> None:
    """A person id in a file headed `person_id` is withheld from another file's findings even
    when that file's kind cannot be inferred (it is withheld when the kind is inferred)."""
    (tmp_path / "episodes.csv").write_text(
        "person_id,referral_date\nP-7F3A91C2,2024-04-02\n", encoding="utf-8"
    )
    (tmp_path / "ost.csv").write_text(OST + "P-7F3A91C2,2024/25 Q1,1,2,3,0,,6\n", encoding="utf-8")
    said = _run(["validate", str(tmp_path / "episodes.csv"), str(tmp_path / "ost.csv")])
    assert "7F3A91C2" not in said


def test_report_never_publishes_a_source_that_is_an_id_of_an_unreadable_episodes_file(
    tmp_path: Path,
) -> None:
    """A population `source` that is a person id of an episodes file in the folder is never
    published, even when that file's kind cannot be inferred (it is left out)."""
    given = tmp_path / "in"
    given.mkdir()
    (given / "ost.csv").write_text(
        (REPO / "fixtures" / "valid" / "ost.csv").read_text("utf-8"), encoding="utf-8"
    )
    (given / "population.csv").write_text(
        "adp,calendar_year,population,source\nGlasgow City,2023,631970,John Smith\n",
        encoding="utf-8",
    )
    (given / "episodes.csv").write_text(
        "person_id,referral_date\nJOHN SMITH,2024-04-02\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    said = _run(["report", str(given), "-o", str(out)])
    assert "john smith" not in said.lower()
    leaked = [
        p.name for p in out.rglob("*") if p.is_file() and b"john smith" in p.read_bytes().lower()
    ]
    assert not leaked, leaked


def test_a_withheld_episodes_cell_keeps_the_rules_words(tmp_path: Path) -> None:
    """A cell of an episodes return that is not quoted (its shape could be an id's) leaves the
    rule's own words whole: `date` in a date column reads "... is not a date", never "is not a
    the value in this cell", and `known` in the adp column still says "is not a known ADP" or what the code means."""
    (tmp_path / "episodes.csv").write_text(
        EPISODES
        + "Fife,P-1,date,,self,drugs,\n"
        + "Fife,P-2,2024-04-02,not a date,self,drugs,\n"
        + "known,P-3,2024-04-02,,self,drugs,\n"
        + "ADP,P-4,2024-04-02,,self,drugs,\n",
        encoding="utf-8",
    )
    said = _run(["validate", str(tmp_path / "episodes.csv")])
    lines = [line for line in said.splitlines() if " error " in line]
    assert len(lines) == 4, said
    assert not [line for line in lines if "the value in this cell is the value" in line], lines
    assert not [line for line in lines if "a the value in this cell" in line], lines
    assert not [line for line in lines if "the the value" in line], lines
    # Words built from the cell itself (`'known' is not a known ADP`) would still show it, as
    # its word: they give way to what the code means, whole.
    unknown = [line for line in lines if "unknown-adp" in line]
    meaning = "names no Alcohol and Drug Partnership"
    assert all("is not a known ADP" in line or meaning in line for line in unknown), unknown


def _overlay(tmp_path: Path, target_period: str) -> Path:
    folder = tmp_path / "targets"
    folder.mkdir()
    (folder / "ost.toml").write_text(
        f'id = "ost"\ntarget_period = "{target_period}"\n', encoding="utf-8"
    )
    return folder


def _ost_progress(targets: Path, *extra: str) -> Result:
    """`mission progress` of the demo's OST target as of 2024-06-30, with `targets` laid on."""
    demo = str(REPO / "fixtures" / "demo")
    args = ["progress", demo, "--target", "ost", "--as-of", "2024-06-30", "--targets"]
    return CliRunner().invoke(app, [*args, str(targets), *extra])


def test_a_quarterly_target_is_not_given_a_year_it_can_never_judge(tmp_path: Path) -> None:
    """A target file giving the quarterly OST target a financial year as `target_period` is
    refused (exit 2), or judged; it never loads and reports `no data` ("no figure yet for
    2023/24") when every ADP reported every quarter of 2023/24."""
    result = _ost_progress(_overlay(tmp_path, "2023/24"), "--format", "json")
    if result.exit_code == 2:
        return
    assert result.exit_code == 0, result.output
    assert "no figure yet for 2023/24" not in result.output
    assert '"status": "no_data"' not in result.output.split('"adps"')[0]


def test_the_shipped_ost_target_may_be_given_its_judging_quarter(tmp_path: Path) -> None:
    """A target file giving the shipped quarterly OST target a quarter as its `target_period`
    (`2023/24 Q4`, the quarter its measure reads) loads: the baseline being a year is the
    shipped file's, not the user's mistake."""
    result = _ost_progress(_overlay(tmp_path, "2023/24 Q4"))
    assert result.exit_code == 0, result.output
