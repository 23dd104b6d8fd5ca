"""`mission check` on a repository of returns: names against content, links, completeness."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from mission.formats import check_markdown
from mission.repository import InvalidConfig, check_repository

from .conftest import FIXTURES

REPOSITORY = FIXTURES / "repository"


def _codes(result) -> list[tuple[str, str, int | None]]:  # type: ignore[no-untyped-def]
    root = str(REPOSITORY / "returns") + "/"
    return [(f.file.replace(root, ""), f.code, f.row) for f in result.report.findings]


def test_sample_repository() -> None:
    """The sample repository fails on the misplaced file, warns on the loose one, and says who is missing."""
    result = check_repository(REPOSITORY)
    assert not result.valid
    assert _codes(result) == [
        ("dundee-city/ost/2024-25-q1.csv", "name-mismatch", 2),
        ("orkney-ost-final.csv", "unexpected-path", None),
    ]
    completeness = {c.kind: (c.period, c.reported) for c in result.completeness}
    assert completeness == {
        "ost": ("2024/25 Q1", 3),
        "rehab": ("2024/25 Q1", 1),
        "naloxone": ("2024/25 Q1", 1),
        "mat": ("2024/25", 1),
        "deaths": ("2023", 1),
    }
    ost = next(c for c in result.completeness if c.kind == "ost")
    # Angus's rows sit in the misplaced file, refused: it sent one, so it is not missing.
    assert ost.refused == ("Angus",) and "Angus" not in ost.missing and "Fife" not in ost.missing


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(REPOSITORY, target)
    return target


def test_clean_repository_is_valid_until_completeness_is_required(tmp_path: Path) -> None:
    """Without the broken files the check passes; --require-complete then fails on gaps."""
    root = _copy(tmp_path)
    (root / "returns" / "dundee-city" / "ost" / "2024-25-q1.csv").unlink()
    (root / "returns" / "orkney-ost-final.csv").unlink()
    assert check_repository(root).valid
    assert check_repository(root, strict=True).valid
    assert not check_repository(root, require_complete=True).valid


def test_kind_and_period_in_the_name(tmp_path: Path) -> None:
    """A file under the wrong kind folder, or named for another period, is a name mismatch."""
    root = _copy(tmp_path)
    fife = root / "returns" / "fife"
    (fife / "ost" / "2024-25-q1.csv").rename(fife / "ost" / "2024-25-q2.csv")
    (fife / "naloxone" / "2024-25-q1.csv").rename(fife / "ost" / "2024-25-q1.csv")
    messages = [
        f.message for f in check_repository(root).report.findings if f.code == "name-mismatch"
    ]
    assert "the file is named for 2024/25 Q2 but holds 2024/25 Q1" in messages
    assert "the file holds a naloxone return but sits under ost/" in messages


def test_link_outside_the_folder_is_refused(tmp_path: Path) -> None:
    """A symlink leading out of the repository is never read, and is an error."""
    root = _copy(tmp_path)
    secret = tmp_path / "secret.csv"
    secret.write_text((FIXTURES / "valid" / "ost.csv").read_text())
    os.symlink(secret, root / "returns" / "fife" / "ost" / "2024-25-q3.csv")
    os.symlink(tmp_path, root / "returns" / "escape")
    found = sorted(
        (f.file.replace(f"{root}/", ""), f.code)
        for f in check_repository(root).report.findings
        if f.code == "outside-folder"
    )
    assert found == [
        ("returns/escape", "outside-folder"),
        ("returns/fife/ost/2024-25-q3.csv", "outside-folder"),
    ]


def test_markdown_summary() -> None:
    """The summary gives the verdict, the findings and the completeness table."""
    text = check_markdown(check_repository(REPOSITORY))
    assert text.startswith("## mission check: ❌ invalid")
    assert "| ost | 2024/25 Q1 | 3 of 30 |" in text
    assert "`name-mismatch`" in text


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("[check]\npattern = '{region}/{kind}.{ext}'", "unknown field {region}"),
        ("[check]\nkinds = ['opioids']", "is not a kind of return"),
        ("[check]\nperiod = '2024'", "is not a quarter"),
        ("[check\n", "is not valid TOML"),
        ("[check]\nreturns = '../elsewhere'", "missing or outside"),
    ],
)
def test_bad_config(tmp_path: Path, config: str, message: str) -> None:
    """A broken mission.toml is refused naming the file and the problem."""
    root = _copy(tmp_path)
    (root / "mission.toml").write_text(config)
    with pytest.raises(InvalidConfig, match=message.replace("{", r"\{").replace("}", r"\}")):
        check_repository(root)


def test_a_quarter_still_to_come_does_not_move_completeness(tmp_path: Path) -> None:
    """One ADP's return for a quarter that has not ended (a typo for an ended one) is an
    error, and completeness is still judged for the latest ended quarter: not a "missing"
    return from every other ADP for a quarter that has not happened."""
    import datetime as dt

    from mission.periods import Quarter

    root = _copy(tmp_path)
    (root / "returns" / "dundee-city" / "ost" / "2024-25-q1.csv").unlink()
    (root / "returns" / "orkney-ost-final.csv").unlink()
    coming = Quarter.containing(dt.date.today()).next()
    fife = root / "returns" / "fife" / "ost"
    text = (fife / "2024-25-q1.csv").read_text(encoding="utf-8")
    name = str(coming).replace("/", "-").replace(" ", "-").lower()
    (fife / f"{name}.csv").write_text(text.replace("2024/25 Q1", str(coming)), encoding="utf-8")
    result = check_repository(root)
    assert not result.valid
    assert [f.code for f in result.report.findings] == ["period-not-ended"]
    assert {c.kind: c.period for c in result.completeness}["ost"] == "2024/25 Q1"


def test_a_missing_return_is_told_where_it_goes(tmp_path: Path) -> None:
    """The fix names the file to add, the layout's pattern filled in for that ADP and period."""
    root = _copy(tmp_path)
    (root / "returns" / "dundee-city" / "ost" / "2024-25-q1.csv").unlink()
    (root / "returns" / "orkney-ost-final.csv").unlink()
    result = check_repository(root, require_complete=True)
    hints = {f.message: f.hint for f in result.report.findings if f.code == "return-missing"}
    assert hints["no ost return for 2024/25 Q1 from Aberdeen City"] == (
        "Add it as returns/aberdeen-city/ost/2024-25-q1.csv (or .xlsx), or check without "
        "--require-complete."
    )


def test_a_kind_no_return_of_which_is_in_the_repository_is_said_once(tmp_path: Path) -> None:
    """Found by a newcomer: a repository of OST returns alone listed all 30 ADPs under each of
    the four other kinds, the step summary too, and the findings were lost in it. A kind with
    no valid return for its period says so in one line, with how to name the kinds held; a
    kind with some names the ADPs missing, as before."""
    folder = tmp_path / "returns" / "fife" / "ost"
    folder.mkdir(parents=True)
    (folder / "2024-25-q1.csv").write_text(
        "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total\n"
        "Fife,2024/25 Q1,100,50,10,0,0,160\n"
    )
    result = check_repository(tmp_path)
    said = {c.kind.value: c.missing_text() for c in result.completeness}
    assert said["ost"].startswith("Aberdeen City, Aberdeenshire") and "Fife" not in said["ost"]
    assert said["rehab"] == (
        "every ADP: no valid rehab return for 2024/25 Q1 is in the repository (if it holds "
        "only some kinds, name them in mission.toml: kinds = [...])"
    )
    summary = check_markdown(result)
    assert "| rehab | 2024/25 Q1 | 0 of 30 | every ADP: no valid rehab return" in summary
    assert summary.count("Aberdeen City") == 1


def test_an_adp_whose_return_was_refused_is_not_called_missing(tmp_path: Path) -> None:
    """Found by an attack: check called an ADP whose return was refused `missing` (progress says
    `no valid return`), and with every file of a kind refused gave the mission.toml hint."""
    folder = tmp_path / "returns" / "fife" / "ost"
    folder.mkdir(parents=True)
    (folder / "2024-25-q1.csv").write_text(
        "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total\n"
        "Fife,2024/25 Q1,100,50,10,0,0,999\n"
    )
    (ost,) = [c for c in check_repository(tmp_path).completeness if c.kind.value == "ost"]
    assert "Fife" not in ost.missing and ost.refused == ("Fife",)
    assert ost.missing_text().endswith("; Fife: refused")
    assert "mission.toml" not in ost.missing_text()


def test_a_quarter_whose_every_return_was_refused_is_still_the_quarter_judged(
    tmp_path: Path,
) -> None:
    """Found by an attack: every return for 2025/26 Q2 refused, check judged 2025/26 Q1 (the
    latest valid) as complete. The latest quarter sent is judged: every ADP refused for it."""
    header = "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total\n"
    for quarter, total in (("2025-26-q1", "160"), ("2025-26-q2", "999")):
        folder = tmp_path / "returns" / "fife" / "ost"
        folder.mkdir(parents=True, exist_ok=True)
        label = quarter[:4] + "/" + quarter[5:7] + " Q" + quarter[-1]
        (folder / f"{quarter}.csv").write_text(header + f"Fife,{label},100,50,10,0,0,{total}\n")
    (ost,) = [c for c in check_repository(tmp_path).completeness if c.kind.value == "ost"]
    assert (ost.period, ost.reported, ost.refused) == ("2025/26 Q2", 0, ("Fife",))
