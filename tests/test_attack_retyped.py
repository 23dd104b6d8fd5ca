"""Attacks on the retyping key and the second quoted cell (helper retyped)."""

from __future__ import annotations

import csv
import random

from typer.testing import CliRunner

from mission.cli.app import app

from .officer_tools import EPISODES_HEADER as HEADER

OST_HEADER = [
    "adp", "period", "methadone", "buprenorphine_oral", "buprenorphine_depot",
    "diamorphine", "other", "total",
]  # fmt: skip


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
    _write(path, HEADER, rows)


def _ost_periods(path, periods):
    _write(path, OST_HEADER, [["Fife", p, 1, 1, 1, 1, 0, 4] for p in periods])


def _run(*args):
    return CliRunner().invoke(app, ["validate", *map(str, args)])


def _report(tmp_path, fmt="json"):
    result = _run(tmp_path, "--format", fmt)
    assert result.exit_code in (0, 1), result.output
    return result.output


def test_id_with_invisible_character_not_quoted_in_message(tmp_path):
    """An id pasted into another return with a zero-width character is withheld from the message too, not only from the value."""
    _episodes(tmp_path / "episodes.csv", ["SCT0001234", "P-7F3A91C2"])
    _ost_periods(tmp_path / "ost.csv", ["SCT0001234\u200b", "P-7F3A91C2\u2060"])
    for fmt in ("json", "text"):
        out = _report(tmp_path, fmt)
        assert "SCT0001234" not in out
        assert "P-7F3A91C2" not in out


def test_id_retyped_without_separator_before_zeros_is_withheld(tmp_path):
    """An id typed without its separator (`SCT0001234` for `SCT-0001234`, `P07F3A91C` for `P-07F3A91C`) is withheld: the key does not depend on separators."""
    _episodes(tmp_path / "episodes.csv", ["SCT-0001234", "P-07F3A91C"])
    _ost_periods(tmp_path / "ost.csv", ["SCT0001234", "P07F3A91C"])
    out = _report(tmp_path)
    assert "SCT0001234" not in out
    assert "P07F3A91C" not in out


def test_id_with_invisible_character_before_zeros_is_withheld(tmp_path):
    """An id `SCT0001234` typed with a zero-width space before its digits is withheld: invisible characters do not change the key."""
    _episodes(tmp_path / "episodes.csv", ["SCT0001234"])
    _ost_periods(tmp_path / "ost.csv", ["SCT\u200b0001234"])
    out = _report(tmp_path)
    assert "SCT0001234" not in out.replace("\\u200b", "").replace("\u200b", "")


def test_many_distinct_quoted_cells_do_not_crash(tmp_path):
    """However many distinct cells a run quotes, withholding ids never ends in an internal error (exit 3)."""
    _episodes(tmp_path / "episodes.csv", ["A1", "B2"])
    rng = random.Random(1)
    seen: set[str] = set()
    while len(seen) < 1200:
        seen.add("".join(rng.choice("a1") for _ in range(60)))
    _ost_periods(tmp_path / "ost.csv", sorted(seen))
    result = _run(tmp_path, "--format", "json")
    assert result.exit_code == 1, result.output[:500]


def test_duplicate_row_does_not_quote_an_adp_cell_that_is_a_person_id(tmp_path):
    """The duplicate-row message's quoted ADP cells are judged like the value: one that is a person id is not shown."""
    rows = [
        ["Stirling", "P-7F3A91C2", "2024-04-02", "", "self", "drugs", ""],
        ["Clackmannanshire", "P-7F3A91C2", "2024-04-02", "", "self", "drugs", ""],
        ["Fife", "Clackmannanshire", "2024-04-03", "", "self", "drugs", ""],
    ]
    _write(tmp_path / "episodes.csv", HEADER, rows)
    out = _report(tmp_path, "text")
    assert "'Clackmannanshire'" not in out


def test_withheld_adp_cell_leaves_the_adp_name_readable(tmp_path):
    """Withholding an ADP cell never rewrites the rule's own words (the ADP's name) into 'the the value in this cell and Stirling ADP'."""
    rows = [
        ["Clackmannanshire", "P-7F3A91C2", "2024-04-02", "", "self", "drugs", ""],
        ["Fife", "Clackmannanshire", "2024-04-03", "", "self", "drugs", ""],
    ]
    _write(tmp_path / "episodes.csv", HEADER, rows)
    out = _report(tmp_path, "text")
    assert "the the value in this cell" not in out


def test_total_mismatch_does_not_quote_parsed_id(tmp_path):
    """A total typed `4,821` that is a person id (`4821`) is withheld from the message as parsed too, not only as typed."""
    _episodes(tmp_path / "episodes.csv", ["4821", "P-7F3A91C2"])
    _write(tmp_path / "ost.csv", OST_HEADER, [["Fife", "2023/24 Q1", 1, 1, 1, 1, 0, "4,821"]])
    out = _report(tmp_path, "text")
    assert "4821" not in out
