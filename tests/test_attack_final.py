"""Attacks on the last changes of the session: export written straight to disk, formula
protection skipping worded columns, slices bound by the blob digest, upgrades of old stores and
measures from mixed files. Each test states what SHOULD hold; they fail on the code they were
written against."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mission.cli.app import app

from .old_stores import SCHEMA_5, schema_5_row_tables, schema_before_4

OST_HEADER = "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total\n"
EPISODES_HEADER = (
    "adp,person_id,referral_date,treatment_start_date,referral_source,substance,treatment_type\n"
)
MISSION = str(Path(sys.executable).parent / "mission")


def _mission(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def _ost_store(tmp_path: Path) -> Path:
    """Fife 2023/24 Q1: 30 (submission 1), then a revision to 60 (submission 2)."""
    old = tmp_path / "old.csv"
    old.write_text(OST_HEADER + "Fife,2023/24 Q1,10,10,10,0,0,30\n")
    new = tmp_path / "new.csv"
    new.write_text(OST_HEADER + "Fife,2023/24 Q1,20,20,20,0,0,60\n")
    store = tmp_path / "store.sqlite"
    for path in (old, new):
        code, output = _mission("submit", str(path), "--store", str(store))
        assert code == 0, output
    return store


def _sql(store: Path, statement: str) -> None:
    with sqlite3.connect(store) as db:
        db.execute(statement)


# --- 1. export -o --------------------------------------------------------------------------------


@pytest.mark.skipif(not Path("/dev/stdout").exists(), reason="needs /dev/stdout")
def test_output_to_dev_stdout_appended_to_a_file_keeps_what_the_file_held(tmp_path: Path) -> None:
    """`mission export -o /dev/stdout >> log.txt` appends the CSV to log.txt; it never replaces
    the file standard output is sent to (its earlier lines are kept)."""
    store = _ost_store(tmp_path)
    log = tmp_path / "log.txt"
    log.write_text("EARLIER LINE THAT MUST SURVIVE\n")
    with log.open("ab") as stdout:
        done = subprocess.run(
            [MISSION, "export", "-k", "ost", "--store", str(store), "-o", "/dev/stdout"],
            stdout=stdout,
            stderr=subprocess.PIPE,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    text = log.read_text()
    assert text.startswith("EARLIER LINE THAT MUST SURVIVE\n"), text
    assert "fife,2023/24 Q1" in text, text


def test_an_output_that_is_a_symlink_loop_is_refused_not_an_internal_error(
    tmp_path: Path,
) -> None:
    """`-o` naming a link that loops ends the run with exit 2 (could not write), not exit 3."""
    store = _ost_store(tmp_path)
    (tmp_path / "a.csv").symlink_to(tmp_path / "b.csv")
    (tmp_path / "b.csv").symlink_to(tmp_path / "a.csv")
    code, output = _mission(
        "export", "-k", "ost", "--store", str(store), "-o", str(tmp_path / "a.csv")
    )
    assert code == 2, output


def test_a_store_path_that_is_a_symlink_loop_is_refused_not_an_internal_error(
    tmp_path: Path,
) -> None:
    """`--store` naming a link that loops ends the run with exit 2, not an internal error."""
    (tmp_path / "a.sqlite").symlink_to(tmp_path / "b.sqlite")
    (tmp_path / "b.sqlite").symlink_to(tmp_path / "a.sqlite")
    code, output = _mission("export", "-k", "ost", "--store", str(tmp_path / "a.sqlite"))
    assert code == 2, output


def test_output_with_a_trailing_slash_is_not_written_as_a_file(tmp_path: Path) -> None:
    """`-o results/` (a folder that is not there) is refused or written inside a folder; it is
    never written as a plain file called `results`."""
    store = _ost_store(tmp_path)
    _mission("export", "-k", "ost", "--store", str(store), "-o", str(tmp_path / "results") + "/")
    assert not (tmp_path / "results").is_file()


# --- 2. formula protection of worded columns ---------------------------------------------------


_SUBMISSIONS_5 = """
INSERT INTO submissions VALUES
    (2, 'c', 'episodes.csv', 'episodes', 'analyst', '2025-07-02T10:00:00.000000+00:00', 1, 2,
     0, 0, 0, 1751450400000000, NULL);
INSERT INTO slices VALUES (2, 'episodes', 'fife', '2024/25 Q1', NULL, 1, 2);
INSERT INTO rows_episodes VALUES
    (1, 2, 2, '2024/25 Q1', 'fife', 'P1', '2024-04-02', NULL,
     '=HYPERLINK("http://evil.example","x")', 'drugs', NULL),
    (2, 2, 3, '2024/25 Q1', 'fife', 'P2', '2024-04-03', '2024-04-04', 'self', 'both', 'ost');
"""


def test_a_formula_carried_over_from_an_old_store_is_quoted_in_the_export(tmp_path: Path) -> None:
    """A schema-5 store's choice cell that starts a formula is either refused by `mission
    upgrade` or quoted by `mission export` as CSV: never written as a live formula."""
    store = tmp_path / "old.sqlite"
    with sqlite3.connect(store) as db:
        db.executescript(SCHEMA_5 + schema_5_row_tables() + _SUBMISSIONS_5)
    code, output = _mission("upgrade", "--store", str(store))
    if code == 2:
        return
    code, output = _mission("export", "-k", "episodes", "--store", str(store))
    assert code == 0, output
    assert '\n"=HYPERLINK' not in output and ',"=HYPERLINK' not in output, output


# --- 3. slices and the digest ------------------------------------------------------------------


def test_a_slice_moved_to_another_kind_does_not_bring_back_the_revision_it_superseded(
    tmp_path: Path,
) -> None:
    """A slice whose `kind` was edited is damage: export refuses the store (exit 2) instead of
    serving the revision it superseded as the current figure with exit 0."""
    store = _ost_store(tmp_path)
    _sql(store, "UPDATE slices SET kind = 'rehab' WHERE submission_id = 2")
    code, output = _mission("export", "-k", "ost", "--store", str(store))
    assert code == 2 or ",60" in output, output


def test_a_submission_whose_slices_were_deleted_does_not_bring_back_the_old_revision(
    tmp_path: Path,
) -> None:
    """A submission that lost its slices rows is damage (it is in `submissions`, and a slice
    still says it was superseded by it): export does not quietly serve the old revision."""
    store = _ost_store(tmp_path)
    _sql(store, "DELETE FROM slices WHERE submission_id = 2")
    code, output = _mission("export", "-k", "ost", "--store", str(store))
    assert code == 2 or ",60" in output, output


# --- 3b. upgrade of older stores ---------------------------------------------------------------


_SCHEMA_3 = (
    schema_before_4(3)
    + """
INSERT INTO submissions VALUES (1, 'a', 'q1.csv', 'ost', 'officer',
    '2025-07-01T09:00:00.000000+00:00', 1, 3, 0, 0, 0, 1751360400000000);
INSERT INTO slices VALUES (1, 'ost', 'fife', '2024/25 Q1', NULL),
    (1, 'ost', 'highland', '2024/25 Q1', NULL);
"""
)


def test_upgrading_a_schema_3_store_never_leaves_a_store_that_cannot_be_read(
    tmp_path: Path,
) -> None:
    """A schema-3 store holding a row of no slice is either refused by `mission upgrade` (exit 2,
    store unchanged) or upgraded into a store that exports; never upgraded (exit 0, old tables
    dropped) into one whose every ost export fails."""
    from mission.kinds import Kind
    from mission.store.schema import _rows_table_v1, _statements

    store = tmp_path / "old3.sqlite"
    with sqlite3.connect(store) as db:
        db.executescript(_SCHEMA_3)
        for kind in Kind:
            for statement in _statements(_rows_table_v1(kind.spec)):
                db.execute(statement)
        db.executescript(
            "INSERT INTO rows_ost VALUES "
            "(1, 2, '2024/25 Q1', 'fife', '2024/25 Q1', 100, 0, 0, 0, NULL, 100), "
            "(1, 3, '2024/25 Q1', 'glasgow-city', '2024/25 Q1', 7000, 0, 0, 0, NULL, 7000), "
            "(1, 4, '2024/25 Q1', 'highland', '2024/25 Q1', 50, 0, 0, 0, NULL, 50);"
        )
    code, output = _mission("upgrade", "--store", str(store))
    if code == 2:
        return
    assert code == 0, output
    code, output = _mission("export", "-k", "ost", "--store", str(store))
    assert code == 0, output


# --- 4. measures -------------------------------------------------------------------------------


def test_an_empty_file_among_several_is_named_in_the_measures_error(tmp_path: Path) -> None:
    """When one of several episodes files is invalid, `mission measures` names that file and a
    real row (never `row None`)."""
    good = tmp_path / "good.csv"
    good.write_text(EPISODES_HEADER + "Fife,P1,2024-04-02,2024-04-03,self,drugs,ost\n")
    empty = tmp_path / "empty-return.json"
    empty.write_text(json.dumps({"kind": "episodes", "spec_version": 1, "rows": []}))
    code, output = _mission("measures", str(good), str(empty))
    assert code == 1, output
    assert "row None" not in output, output
    assert "empty-return.json" in output, output


def test_a_return_read_from_standard_input_is_not_overwritten_by_the_output(
    tmp_path: Path,
) -> None:
    """`mission measures - -o F < F` is refused like `mission measures F -o F`: the return read
    is never replaced by the output."""
    episodes = tmp_path / "episodes.csv"
    original = EPISODES_HEADER + "Fife,P1,2024-04-02,2024-04-03,self,drugs,ost\n"
    episodes.write_text(original)
    with episodes.open("rb") as stdin:
        subprocess.run(
            [MISSION, "measures", "-", "-f", "csv", "-o", str(episodes)],
            stdin=stdin,
            capture_output=True,
            check=False,
            env={**os.environ},
        )
    assert episodes.read_text() == original
