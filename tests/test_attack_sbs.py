"""Differential attacks on the read-once tidy check and the side-by-side rules (attack-sbs).

Each test states what the release candidate before the change (72553bd) did, which the contract
says is right; they fail on the code after it.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mission.cli.app import app
from mission.rules.side_by_side import SIDE_BY_SIDE_FROM

HEADER = "adp,person_id,referral_date,treatment_start_date,referral_source,substance,treatment_type"


def _run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.stdout


def _findings(output: str) -> list[dict[str, object]]:
    return [f for file in json.loads(output)["files"] for f in file["findings"]]


def _headless_then_comment(path: Path, filler_rows: int) -> Path:
    """An episodes return with an empty, headless column and an extra `comment` column before
    person_id; person_id has a repeat spaced around and a cell of spaces only."""
    rows = [
        "adp,,comment,person_id,referral_date,treatment_start_date,"
        "referral_source,substance,treatment_type"
    ]
    rows += [f"Fife,,ok,P-{i:06d},2024-04-02,2024-04-03,self,drugs,ost" for i in range(filler_rows)]
    rows += [
        "Fife,,ok,P-7F3A91C2,2024-04-02,2024-04-03,self,drugs,ost",
        "Fife,,ok, P-7F3A91C2 ,2024-04-02,2024-04-29,police,drugs,psychosocial",
        "Fife,,ok,   ,2024-05-01,2024-05-23,gp,alcohol,detox",
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("filler_rows", [0, 2000], ids=["small", "over-64KB"])
def test_headless_column_does_not_hide_untidy_person_ids(tmp_path: Path, filler_rows: int) -> None:
    """A blank person_id and a repeat differing only by spaces are errors even when an empty
    headless column and an extra text column sit before person_id."""
    path = _headless_then_comment(tmp_path / "episodes.csv", filler_rows)
    code, out = _run("validate", path, "-f", "json")
    codes = {(f["code"], f["column"]) for f in _findings(out)}
    assert ("missing-value", "person_id") in codes
    assert any(c == "duplicate-row" for c, _ in codes)
    assert code == 1


def test_submit_rejects_return_with_blank_person_id_behind_headless_column(tmp_path: Path) -> None:
    """A return with a blank person_id is rejected by `submit`, so nothing is stored."""
    path = _headless_then_comment(tmp_path / "episodes.csv", 0)
    store = tmp_path / "national.sqlite"
    code, out = _run("submit", path, "--store", store)
    assert code == 1, out
    assert "nothing was stored" in out


@pytest.mark.parametrize("filler_rows", [0, SIDE_BY_SIDE_FROM], ids=["in-turn", "side-by-side"])
def test_rule_quoting_budget_is_shared_with_the_parse(tmp_path: Path, filler_rows: int) -> None:
    """A file's 200 fuzzy quoting judgements are one budget for the parse's findings and every
    rule's, as when the rules ran one after another: past it, a rule quotes no more cells."""
    letters = "bcdfghjkmnpqrstvwxz"
    names = ["".join(t) for t in itertools.product(letters, repeat=3)][:230]
    rows = [HEADER]
    # 230 distinct unknown ADP names, each a fuzzy judgement in the parse's findings.
    rows += [
        f"{w} {w},P-{i:05d}X,2024-04-02,2024-04-03,self,drugs,ost" for i, w in enumerate(names)
    ]
    rows.append("Clackmannanshire,P-DUPE1,2024-05-01,2024-05-02,self,drugs,ost")
    # The same person under other spellings of Stirling: duplicate-row quotes each name.
    for mask in range(1, 20):
        name = "".join(c.upper() if (mask >> k) & 1 else c for k, c in enumerate("stirling"))
        rows.append(f"{name},P-DUPE1,2024-05-01,2024-05-02,self,drugs,ost")
    rows += [f"Fife,F{i},2024-04-02,2024-04-03,self,drugs,ost" for i in range(filler_rows)]
    path = tmp_path / "episodes.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    _, out = _run("validate", path, "-f", "json")
    duplicates = [f for f in _findings(out) if f["code"] == "duplicate-row"]
    assert duplicates
    assert all(f["value"] is None for f in duplicates), [f["value"] for f in duplicates][:5]


def test_same_file_same_report_with_many_unknown_adps(tmp_path: Path) -> None:
    """Checking the same file twice gives the same report, even with over 200 distinct unknown
    ADP names (which of them get a "did you mean" must not vary between runs)."""
    letters = "bcdfghjkmnpqrstvwxz"
    names = ["".join(t) for t in itertools.product(letters, repeat=3)][:1500]
    rows = [HEADER]
    rows += [
        f"{w} {w},P-{i:05d}X,2024-04-02,2024-04-03,self,drugs,ost" for i, w in enumerate(names)
    ]
    path = tmp_path / "episodes.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    outputs = {_run("validate", path, "-f", "json")[1] for _ in range(6)}
    assert len(outputs) == 1
