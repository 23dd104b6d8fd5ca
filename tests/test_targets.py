"""Target files: the shipped set, a user's set on top, and clear errors for broken files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mission.standards import MatStatus, mat_standards
from mission.targets import InvalidTargetFile, load_targets, shipped_targets_dir


def test_shipped_targets_have_the_published_values() -> None:
    """The seven targets carry the values of the domain brief."""
    targets = load_targets()
    assert list(targets) == [
        "ost",
        "rehab",
        "naloxone",
        "mat-1-5",
        "mat-6-10",
        "waiting-times",
        "deaths",
    ]
    ost = targets["ost"]
    assert (ost.target_value, ost.deadline, ost.baseline and ost.baseline.value) == (
        32000,
        dt.date(2024, 4, 1),
        29500,
    )
    assert targets["rehab"].target_value == 1000
    assert targets["rehab"].target_period == "2025/26"
    assert targets["naloxone"].target_value is None
    assert targets["naloxone"].baseline is not None
    assert targets["naloxone"].baseline.value == 28852
    assert targets["waiting-times"].target_value == 90
    assert targets["deaths"].direction == "decrease"
    assert targets["deaths"].baseline is not None
    assert targets["deaths"].baseline.value == 1330
    early, late = targets["mat-1-5"], targets["mat-6-10"]
    assert (early.deadline, early.measure.standards) == (dt.date(2022, 4, 1), (1, 2, 3, 4, 5))
    assert early.baseline is not None
    assert (early.baseline.value, early.baseline.period) == (17, "2021/22")
    assert [(p.period, p.value) for p in early.published] == [
        ("2021/22", 17),
        ("2023/24", 90),
        ("2024/25", 91),
    ]
    assert (late.deadline, late.measure.standards, late.baseline) == (
        dt.date(2025, 4, 1),
        (6, 7, 8, 9, 10),
        None,
    )
    assert [(p.period, p.value, p.series) for p in late.published] == [
        ("2023/24", 91, "provisional_green"),
        ("2024/25", 75, None),
    ]


def test_every_shipped_file_loads_and_names_an_outcome() -> None:
    """Every TOML file in targets/ loads, and each target serves a Mission outcome."""
    files = sorted(shipped_targets_dir().glob("*.toml"))
    assert len(files) == 7
    for target in load_targets().values():
        assert 1 <= target.outcome <= 6
        assert target.provenance


def test_mat_deadlines_come_from_the_target() -> None:
    """MAT 1–5 are due April 2022 and MAT 6–10 April 2025, from the two MAT targets."""
    deadlines = load_targets().standard_deadlines()
    standards = mat_standards(deadlines)
    assert [s.number for s in standards] == list(range(1, 11))
    assert {s.deadline for s in standards[:5]} == {dt.date(2022, 4, 1)}
    assert {s.deadline for s in standards[5:]} == {dt.date(2025, 4, 1)}
    assert [s.value for s in sorted(MatStatus, key=lambda s: s.rank)][-2:] == ["green", "blue"]


def test_user_directory_merges_local_targets(tmp_path: Path) -> None:
    """A user's file with a shipped id is merged: just local targets need be given."""
    (tmp_path / "ost.toml").write_text(
        'id = "ost"\n[[local_targets]]\nadp = "Glasgow City ADP"\ntarget_value = 7200\n'
    )
    (tmp_path / "extra.toml").write_text(
        (shipped_targets_dir() / "deaths.toml")
        .read_text()
        .replace('id = "deaths"', 'id = "local-deaths"')
    )
    targets = load_targets([tmp_path])
    assert targets["ost"].target_value == 32000
    local = targets["ost"].local_target("glasgow-city")
    assert local is not None
    assert local.target_value == 7200
    assert "local-deaths" in targets


@pytest.mark.parametrize(
    ("content", "key", "problem"),
    [
        ("id = [", None, "is not valid TOML"),
        ('title = "no id"', "id", "is missing"),
        (
            'id = "ost"\ndirection = "sideways"',
            "direction",
            "Input should be 'increase' or 'decrease'",
        ),
        (
            'id = "ost"\nbaseline = { value = "lots", period = "2021/22" }',
            "baseline.value",
            "valid number",
        ),
        (
            'id = "ost"\nbaseline = { value = 1, period = "2021/23" }',
            "baseline.period",
            "is not a period",
        ),
        ('id = "ost"\ncolour = "blue"', "colour", "is not a target key"),
        (
            'id = "ost"\n[[local_targets]]\nadp = "Glasgo"\ntarget_value = 1',
            "local_targets.0.adp",
            "did you mean 'Glasgow City'",
        ),
        ('id = "new"\ntitle = "t"', "outcome", "is required"),
    ],
)
def test_broken_file_names_file_key_and_problem(
    tmp_path: Path, content: str, key: str | None, problem: str
) -> None:
    """Each kind of broken target file is refused naming the file, the key and the problem."""
    path = tmp_path / "broken.toml"
    path.write_text(content)
    with pytest.raises(InvalidTargetFile) as caught:
        load_targets([tmp_path])
    assert caught.value.path == path
    assert caught.value.key == key
    assert problem in caught.value.problem
    assert str(path) in str(caught.value)


def test_not_a_directory(tmp_path: Path) -> None:
    """--targets must name a directory."""
    with pytest.raises(InvalidTargetFile, match="is not a directory"):
        load_targets([tmp_path / "missing"])


def test_every_statistic_a_target_may_name_is_one_the_tracker_builds() -> None:
    """The statistics a target file may name (`STATISTICS`) are exactly those the tracker
    computes, so a target file is refused on loading, never judged 'no data' for a typo."""
    from mission.targets import STATISTICS
    from mission.tracker.series import _BUILDERS

    named = {(kind, name) for kind, names in STATISTICS.items() for name in names}
    assert named == set(_BUILDERS)
