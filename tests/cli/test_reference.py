"""`mission targets`, `adps`, `standards`: JSON equals the library's own data."""

from __future__ import annotations

import json

from mission.adps import all_adps, match_adp
from mission.standards import mat_standards
from mission.targets import load_targets


def test_targets_json_equals_library(cli) -> None:  # type: ignore[no-untyped-def]
    """`mission targets --format json` is the library's target summaries, dumped."""
    result = cli("targets", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data == [t.summary().model_dump(mode="json") for t in load_targets().values()]
    by_id = {t["id"]: t for t in data}
    assert len(by_id) == 7
    assert (
        by_id["ost"]["target_value"],
        by_id["ost"]["baseline_value"],
        by_id["ost"]["deadline"],
    ) == (
        32000,
        29500,
        "2024-04-01",
    )
    assert by_id["naloxone"]["baseline_value"] == 28852
    assert by_id["deaths"]["direction"] == "decrease"
    assert all(t["source"] for t in data)


def test_targets_table_and_show(cli) -> None:  # type: ignore[no-untyped-def]
    """The table lists every target; `show` gives one in full; an unknown id exits 1."""
    table = cli("targets")
    assert all(i in table.stdout for i in ("ost", "rehab", "waiting-times", "32,000"))
    assert all(i in table.stdout for i in ("mat-1-5", "mat-6-10", "17.0% (2021/22)"))
    shown = cli("targets", "show", "mat-6-10")
    assert "MAT 6, 7, 8, 9, 10" in shown.stdout
    assert "2023/24 (provisional green): 91" in shown.stdout
    assert json.loads(cli("targets", "show", "rehab", "--format", "json").stdout) == load_targets()[
        "rehab"
    ].model_dump(mode="json")
    missing = cli("targets", "show", "nope")
    assert missing.exit_code == 1
    assert "the targets are ost" in missing.stderr


def test_adps_json_equals_library(cli) -> None:  # type: ignore[no-untyped-def]
    """`mission adps --format json` lists the 30 ADPs, each with its board's S08 code."""
    result = cli("adps", "--format", "json")
    data = json.loads(result.stdout)
    assert data == [a.to_dict() for a in all_adps()]
    assert len(data) == 30
    assert all(a["board"]["code"].startswith("S08") for a in data)


def test_adps_show_resolves_aliases(cli) -> None:  # type: ignore[no-untyped-def]
    """MELDAP, Western Isles and an old S12 code all resolve."""
    for text, name in (
        ("meldap", "Midlothian and East Lothian"),
        ("Western Isles", "Outer Hebrides"),
        ("S12000046", "Glasgow City"),
    ):
        result = cli("adps", "show", text)
        assert result.exit_code == 0
        assert name in result.stdout
    data = json.loads(cli("adps", "show", "Stirling", "--format", "json").stdout)
    assert data == match_adp("Stirling").to_dict()
    assert "part of the Clackmannanshire and Stirling ADP" in data["note"]


def test_adps_show_unknown_suggests(cli) -> None:  # type: ignore[no-untyped-def]
    """`mission adps show Glasgo` exits 1 and suggests Glasgow City."""
    result = cli("adps", "show", "Glasgo")
    assert result.exit_code == 1
    assert "Glasgow City" in result.stderr
    ambiguous = cli("adps", "show", "Lanarkshire")
    assert ambiguous.exit_code == 1
    assert "North Lanarkshire" in ambiguous.stderr


def test_standards_json_equals_library(cli) -> None:  # type: ignore[no-untyped-def]
    """`mission standards --format json` is the ten standards with deadlines, statuses, streams."""
    data = json.loads(cli("standards", "--format", "json").stdout)
    deadlines = load_targets().standard_deadlines()
    assert data["standards"] == [s.to_dict() for s in mat_standards(deadlines)]
    assert [s["status"] for s in data["statuses"]] == [
        "not_assessed",
        "red",
        "amber",
        "provisional_green",
        "green",
        "blue",
    ]
    assert data["evidence_streams"] == ["numerical", "process", "experiential"]


def test_broken_user_targets_exit_2(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A broken --targets file is a could-not-run error naming file and key, exit 2."""
    (tmp_path / "ost.toml").write_text('id = "ost"\ndirection = "up"\n')
    result = cli("targets", "--targets", tmp_path)
    assert result.exit_code == 2
    assert "ost.toml: direction" in result.stderr.replace("\n", "")
    assert "Traceback" not in result.stderr


def test_version(cli) -> None:  # type: ignore[no-untyped-def]
    """`mission --version` prints the package version."""
    from mission import __version__

    result = cli("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"mission {__version__}"
