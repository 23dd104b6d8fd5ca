"""Attacks on person-id withholding after helper 44's fixes (helper retyped2)."""

from __future__ import annotations

import csv

from typer.testing import CliRunner

from mission.cli.app import app

EP = ["adp", "person_id", "referral_date", "treatment_start_date", "referral_source",
      "substance", "treatment_type"]  # fmt: skip
OST = ["adp", "period", "methadone", "buprenorphine_oral", "buprenorphine_depot",
       "diamorphine", "other", "total"]  # fmt: skip
MAT = ["adp", "year", "standard", "status", "numerical", "process", "experiential", "comment"]


def _write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def _episodes(path, ids):
    rows = [
        ["Fife", pid, f"2024-04-{i % 27 + 1:02d}", "", "self", "drugs", ""]
        for i, pid in enumerate(ids)
    ]
    _write(path, EP, rows)


def _outputs(*args):
    outs = []
    for fmt in ("text", "json", "sarif", "html", "junit", "github"):
        result = CliRunner().invoke(app, ["validate", *map(str, args), "--format", fmt])
        assert result.exit_code in (0, 1), result.output
        outs.append(result.output)
    return "\n".join(outs)


def test_hyphenated_id_beside_other_words_is_withheld(tmp_path):
    """A person id with a hyphen (`P-7F3A91C2`, `SCT-0001234`) typed beside other words in another return's cell is never shown."""
    _episodes(tmp_path / "episodes.csv", ["P-7F3A91C2", "SCT-0001234"])
    _write(
        tmp_path / "ost.csv",
        OST,
        [
            ["Fife P-7F3A91C2", "2023/24 Q1", 1, 1, 1, 1, 0, 4],
            ["Fife", "SCT-0001234 Q1", 1, 1, 1, 1, 0, 4],
        ],
    )
    out = _outputs(tmp_path)
    assert "7F3A91C2" not in out
    assert "0001234" not in out


def test_id_in_long_mat_comment_is_withheld(tmp_path):
    """A person id mentioned in a MAT comment that is too long or holds a control character is not shown in the quoted value."""
    _episodes(tmp_path / "episodes.csv", ["P-7F3A91C2"])
    rows = [["Fife", "2023/24", s, "green", "met", "met", "met", ""] for s in range(1, 11)]
    rows[1][7] = "Reviewed case " * 13 + "P-7F3A91C2 " + "and more words " * 150
    rows[2][7] = "Reviewed case P-7F3A91C2\x07 and more"
    _write(tmp_path / "mat.csv", MAT, rows)
    assert "7F3A91C2" not in _outputs(tmp_path)


def test_id_retyped_without_separator_between_digits_and_zeros(tmp_path):
    """An id whose separator stands between a digit and zeros (`FIFE-2024-000123`, CHI `010185 0234`) is withheld when typed without it."""
    _episodes(tmp_path / "episodes.csv", ["FIFE-2024-000123", "010185 0234"])
    _write(
        tmp_path / "ost.csv",
        OST,
        [
            ["FIFE2024000123", "2023/24 Q1", 1, 1, 1, 1, 0, 4],
            ["Fife", "0101850234", 1, 1, 1, 1, 0, 4],
        ],
    )
    out = _outputs(tmp_path)
    assert "2024000123" not in out
    assert "0101850234" not in out


def test_total_mismatch_sum_does_not_show_a_pasted_id(tmp_path):
    """A person id pasted into a medication count is not shown as the sum in the total-mismatch message."""
    _episodes(tmp_path / "episodes.csv", ["1234567"])
    _write(tmp_path / "ost.csv", OST, [["Fife", "2023/24 Q1", 1234567, 0, 0, 0, 0, 5]])
    assert "1234567" not in _outputs(tmp_path)


def test_large_change_does_not_show_a_withheld_total_with_commas(tmp_path):
    """A total withheld as a person id is not shown in the large-change message as `1,234,567`, nor as the quarter before."""
    _episodes(tmp_path / "episodes.csv", ["1234567", "0101851234"])
    _write(
        tmp_path / "ost.csv",
        OST,
        [
            ["Fife", "2023/24 Q1", 5, 0, 0, 0, 0, 5],
            ["Fife", "2023/24 Q2", 1234567, 0, 0, 0, 0, 1234567],
            ["Glasgow City", "2023/24 Q1", 101851234, 0, 0, 0, 0, 101851234],
            ["Glasgow City", "2023/24 Q2", 5, 0, 0, 0, 0, 5],
        ],
    )
    out = _outputs(tmp_path)
    assert "1,234,567" not in out
    assert "101,851,234" not in out


def test_submit_withholds_ids_already_in_the_store(tmp_path):
    """`submit` of a return quoting a person id of episodes already accepted in the store does not show it."""
    _episodes(tmp_path / "episodes.csv", ["P-7F3A91C2"])
    _write(tmp_path / "ost.csv", OST, [["P-7F3A91C2", "2023/24 Q1", 1, 1, 1, 1, 0, 4]])
    store = tmp_path / "s.sqlite"
    runner = CliRunner()
    first = runner.invoke(app, ["submit", str(tmp_path / "episodes.csv"), "--store", str(store)])
    assert first.exit_code == 0, first.output
    second = runner.invoke(app, ["submit", str(tmp_path / "ost.csv"), "--store", str(store)])
    assert second.exit_code == 1, second.output
    assert "P-7F3A91C2" not in second.output


def test_population_duplicate_names_the_whole_adp_row(tmp_path):
    """A council-area population row repeated by a whole-ADP row points at the whole-ADP row, not at another council area's row."""
    _write(
        tmp_path / "population.csv",
        ["adp", "calendar_year", "population"],
        [
            ["Clackmannanshire", 2023, 100],
            ["Stirling", 2023, 100],
            ["Clackmannanshire and Stirling", 2023, 200],
        ],
    )
    result = CliRunner().invoke(app, ["validate", str(tmp_path), "--format", "text"])
    line = next(
        x for x in result.output.splitlines() if "population.csv:3:" in x and "duplicate" in x
    )
    assert "row 2 already counts the whole ADP" not in line
