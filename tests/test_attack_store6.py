"""Attacks on store schema 6 (rows as a checked Parquet blob per submission), its migrations and
the start-up pruning of the CLI. Each test states what SHOULD hold; they fail on the code they
were written against."""

from __future__ import annotations

import io
import sqlite3
import subprocess
import sys
from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from mission.cli.app import app

from .old_stores import SCHEMA_5, schema_5_row_tables

OST_HEADER = "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total\n"
NALOXONE_HEADER = "adp,period,supply_source,kit_type,first_supply,repeat_supply\n"


def _mission(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def _store_with_two_ost_revisions(tmp_path: Path) -> Path:
    """Fife 2024/25 Q1: 100, then a revision to 200 (submissions 1 and 2); Highland: 50."""
    first = tmp_path / "ost-v1.csv"
    first.write_text(
        OST_HEADER + "Fife,2024/25 Q1,100,0,0,0,0,100\nHighland,2024/25 Q1,50,0,0,0,0,50\n"
    )
    second = tmp_path / "ost-v2.csv"
    second.write_text(OST_HEADER + "Fife,2024/25 Q1,200,0,0,0,0,200\n")
    store = tmp_path / "store.sqlite"
    for path in (first, second):
        code, output = _mission("submit", str(path), "--store", str(store))
        assert code == 0, output
    return store


def _sql(store: Path, statement: str, args: tuple[object, ...] = ()) -> None:
    with sqlite3.connect(store) as db:
        db.execute(statement, args)


# --- 1. two files of one submit for the same slice ---------------------------------------------


def test_files_accepted_together_all_count_in_the_store(tmp_path: Path) -> None:
    """Two valid naloxone files of one submit for the same ADP and quarter (community and
    pharmacy rows, no shared key) are both refused (exit 1), each naming the other file and the
    slice, rather than both 'accepted' with one silently replacing the other; the submit's
    other files land as usual."""
    # Adapted to the decision of issue 16: the attack allowed "both count" or "refused"; the
    # store keeps one return per (kind, ADP, period), so such files are refused.
    folder = tmp_path / "returns"
    folder.mkdir()
    (folder / "fife-community.csv").write_text(
        NALOXONE_HEADER + "Fife,2024/25 Q1,community,intranasal,100,10\n"
    )
    (folder / "fife-pharmacy.csv").write_text(
        NALOXONE_HEADER + "Fife,2024/25 Q1,pharmacy,intranasal,50,5\n"
    )
    (folder / "ost.csv").write_text(OST_HEADER + "Fife,2024/25 Q1,100,0,0,0,0,100\n")
    store = tmp_path / "store.sqlite"
    code, output = _mission(
        "submit",
        str(folder / "fife-community.csv"),
        str(folder / "fife-pharmacy.csv"),
        str(folder / "ost.csv"),
        "--store",
        str(store),
    )
    assert code == 1, output
    lines = " ".join(output.split())
    assert "accepted " in lines and "ost.csv" in lines, output
    for here, other in (("community", "pharmacy"), ("pharmacy", "community")):
        assert f"rejected {folder / f'fife-{here}.csv'}" in lines, output
        assert f"is also in {folder / f'fife-{other}.csv'}" in lines, output
    assert "naloxone for fife 2024/25 Q1" in lines, output
    assert "combine them into one file" in lines, output
    code, exported = _mission("export", "--kind", "naloxone", "--store", str(store))
    assert code == 0, exported
    assert [line for line in exported.splitlines()[1:] if line] == []
    code, exported = _mission("export", "--kind", "ost", "--store", str(store))
    assert code == 0 and "fife,2024/25 Q1,100" in exported, exported


# --- 2. slices and blobs are trusted as written -----------------------------------------------


def test_a_slice_without_an_offset_is_refused_not_an_internal_error(tmp_path: Path) -> None:
    """A slice whose row_offset is NULL (a damaged store) makes export refuse the store (exit 2),
    not crash with an internal error (exit 3)."""
    store = _store_with_two_ost_revisions(tmp_path)
    _sql(store, "UPDATE slices SET row_offset = NULL WHERE adp = 'highland'")
    code, output = _mission("export", "--kind", "ost", "--store", str(store))
    assert code == 2, output


def test_a_slice_with_a_text_offset_is_refused_not_an_internal_error(tmp_path: Path) -> None:
    """A slice whose row_offset is text is a damaged store: refused with exit 2, not exit 3."""
    store = _store_with_two_ost_revisions(tmp_path)
    _sql(store, "UPDATE slices SET row_offset = 'abc' WHERE adp = 'highland'")
    code, output = _mission("export", "--kind", "ost", "--store", str(store))
    assert code == 2, output


def test_a_negative_row_count_is_refused_not_read_as_fewer_rows(tmp_path: Path) -> None:
    """A slice with a negative row_count is damage: export refuses it rather than silently
    giving back a different set of rows."""
    store = _store_with_two_ost_revisions(tmp_path)
    _sql(store, "UPDATE slices SET row_count = -1 WHERE submission_id = 1 AND adp = 'highland'")
    code, output = _mission("export", "--kind", "ost", "--store", str(store))
    assert code == 2, output


def test_overlapping_slices_are_refused_not_exported_twice(tmp_path: Path) -> None:
    """A slice whose row_count reaches into its neighbour's rows is damage: export refuses it
    rather than giving a row twice."""
    store = _store_with_two_ost_revisions(tmp_path)
    # Submission 1 holds fife (offset 0, superseded) then highland (offset 1): widen highland's
    # slice back over the superseded fife row, which then comes out beside the current one.
    _sql(store, "UPDATE slices SET row_offset = 0, row_count = 2 WHERE adp = 'highland'")
    code, output = _mission("export", "--kind", "ost", "--store", str(store))
    assert code == 2, output


def test_a_blob_moved_to_another_submission_is_not_served_as_it(tmp_path: Path) -> None:
    """Each blob's checksum covers only its own bytes: a blob (and its sha) moved from one
    submission to another must not be exported as that submission's rows (here: the superseded
    figure 100 coming back as the current one)."""
    store = tmp_path / "store.sqlite"
    for n, total in enumerate((100, 200)):
        path = tmp_path / f"fife-v{n}.csv"
        path.write_text(OST_HEADER + f"Fife,2024/25 Q1,{total},0,0,0,0,{total}\n")
        code, output = _mission("submit", str(path), "--store", str(store))
        assert code == 0, output
    with sqlite3.connect(store) as db:
        one = db.execute(
            "SELECT parquet, sha256 FROM submission_rows WHERE submission_id = 1"
        ).fetchone()
        two = db.execute(
            "SELECT parquet, sha256 FROM submission_rows WHERE submission_id = 2"
        ).fetchone()
        db.execute(
            "UPDATE submission_rows SET parquet = ?, sha256 = ? WHERE submission_id = 2", one
        )
        db.execute(
            "UPDATE submission_rows SET parquet = ?, sha256 = ? WHERE submission_id = 1", two
        )
    code, output = _mission("export", "--kind", "ost", "--store", str(store))
    assert code == 2 or "fife,2024/25 Q1,200" in output, output


def test_a_blob_of_the_wrong_types_is_refused_not_an_internal_error(tmp_path: Path) -> None:
    """A blob whose columns are not the types the store writes (total as text), kept with the
    digest the store would give it, is refused as damaged (exit 2) by progress --store, not an
    internal error (exit 3)."""
    from mission.store.rows import blob_digest

    store = _store_with_two_ost_revisions(tmp_path)
    with sqlite3.connect(store) as db:
        blob = db.execute("SELECT parquet FROM submission_rows WHERE submission_id = 2").fetchone()[
            0
        ]
        frame = pl.read_parquet(io.BytesIO(blob)).with_columns(pl.col("total").cast(pl.String))
        buffer = io.BytesIO()
        frame.write_parquet(buffer)
        new = buffer.getvalue()
        laid = db.execute(
            "SELECT kind, adp, period, row_offset, row_count FROM slices WHERE submission_id = 2"
        ).fetchall()
        db.execute(
            "UPDATE submission_rows SET parquet = ?, sha256 = ? WHERE submission_id = 2",
            (new, blob_digest(2, new, laid)),
        )
    code, output = _mission("progress", "--store", str(store))
    assert code == 2, output
    assert "total is String, not Int64" in output, output


# --- 3. migrations ------------------------------------------------------------------------------

_SUBMISSIONS_5 = """
INSERT INTO submissions VALUES
    (1, 'a', 'q1.csv', 'ost', 'officer', '2025-07-01T09:00:00.000000+00:00', 1, 2, 0, 0, 0,
     1751360400000000, NULL),
    (2, 'c', 'episodes.csv', 'episodes', 'analyst', '2025-07-02T10:00:00.000000+00:00', 1, 2,
     0, 0, 0, 1751450400000000, NULL);
INSERT INTO slices VALUES
    (1, 'ost', 'fife', '2024/25 Q1', NULL, 1, 1),
    (1, 'ost', 'glasgow-city', '2024/25 Q1', NULL, 2, 2),
    (2, 'episodes', 'fife', '2024/25 Q1', NULL, 1, 2);
"""

_ROWS_5 = """
INSERT INTO rows_ost VALUES
    (1, 1, 2, '2024/25 Q1', 'fife', '2024/25 Q1', 100, 0, 0, 0, NULL, 100),
    (2, 1, 3, '2024/25 Q1', 'glasgow-city', '2024/25 Q1', 7000, 0, 0, 0, NULL, 7000);
INSERT INTO rows_episodes VALUES
    (1, 2, 2, '2024/25 Q1', 'fife', 'P1', '2024-04-02', NULL, 'gp', 'drugs', NULL),
    (2, 2, 3, '2024/25 Q1', 'fife', 'P2', '2024-04-03', '2024-04-04', 'self', 'both', 'ost');
"""


def _schema_5_store(path: Path, *, population: bool = True, dataset: bool = True) -> Path:
    tables = schema_5_row_tables(population=population)
    with sqlite3.connect(path) as db:
        db.executescript(SCHEMA_5 + _SUBMISSIONS_5 + tables + _ROWS_5)
        if not dataset:
            db.execute("ALTER TABLE submissions DROP COLUMN dataset")
    return path


def test_upgrading_a_store_with_an_unreadable_old_cell_is_refused_not_a_crash(
    tmp_path: Path,
) -> None:
    """`mission upgrade` of a schema-5 store holding a date it cannot convert refuses the store
    as damaged (exit 2, naming the submission), not an internal error (exit 3)."""
    store = _schema_5_store(tmp_path / "old.sqlite")
    _sql(store, "UPDATE rows_episodes SET referral_date = '2024-13-45' WHERE id = 1")
    code, output = _mission("upgrade", "--store", str(store))
    assert code == 2, output


def test_upgrade_refuses_a_slice_without_its_rows_rather_than_carry_it_over(
    tmp_path: Path,
) -> None:
    """A schema-5 slice with no row range is not carried into schema 6 as NULLs that later crash
    every export of its kind: either the upgrade refuses the store, or export still works."""
    store = _schema_5_store(tmp_path / "old.sqlite")
    _sql(store, "UPDATE slices SET first_row = NULL, last_row = NULL WHERE kind = 'episodes'")
    code, output = _mission("upgrade", "--store", str(store))
    if code == 2:
        return
    code, output = _mission("export", "--kind", "episodes", "--store", str(store))
    assert code in (0, 2), output


def test_upgrade_refuses_rows_that_no_longer_match_their_slices(tmp_path: Path) -> None:
    """A schema-5 submission whose id range has a gap (a row lost) is refused by the upgrade,
    which would otherwise shift every later slice of it onto its neighbour's rows and drop the
    table that could tell them apart."""
    store = _schema_5_store(tmp_path / "old.sqlite")
    _sql(store, "DELETE FROM rows_ost WHERE id = 1")
    code, output = _mission("upgrade", "--store", str(store))
    assert code == 2, output


def test_an_upgraded_store_is_not_left_mostly_free_pages(tmp_path: Path) -> None:
    """After `mission upgrade` the dropped row tables do not stay in the file as free pages
    (schema 6 exists to make the store smaller; nothing else ever shrinks it)."""
    store = _schema_5_store(tmp_path / "old.sqlite")
    with sqlite3.connect(store) as db:
        rows = [
            (
                10 + n,
                3,
                n + 2,
                "2024/25 Q2",
                "highland",
                f"P{n:07d}",
                "2024-07-01",
                "2024-07-02",
                "gp",
                "drugs",
                "ost",
            )
            for n in range(30_000)
        ]
        db.executemany("INSERT INTO rows_episodes VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
        db.execute(
            "INSERT INTO submissions VALUES (3, 'd', 'e2.csv', 'episodes', 'x', "
            "'2025-07-03T10:00:00.000000+00:00', 1, 30000, 0, 0, 0, 1751536800000000, NULL)"
        )
        db.execute(
            "INSERT INTO slices VALUES (3, 'episodes', 'highland', '2024/25 Q2', NULL, 10, 30009)"
        )
    code, output = _mission("upgrade", "--store", str(store))
    assert code == 0, output
    with sqlite3.connect(store) as db:
        free = db.execute("PRAGMA freelist_count").fetchone()[0]
        pages = db.execute("PRAGMA page_count").fetchone()[0]
    assert free < pages / 2, f"{free} of {pages} pages are free after the upgrade"


# --- 4. start-up pruning ------------------------------------------------------------------------


def _installed(*args: str) -> subprocess.CompletedProcess[str]:
    """The console-script entry point (the pruning happens in `main`, not in `app`)."""
    return subprocess.run(
        [sys.executable, "-c", "from mission.cli.app import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_root_help_lists_every_command_whatever_follows_it() -> None:
    """`mission --help export` prints the root help, and the root help lists every command, not
    only the one named after --help."""
    result = _installed("--help", "export")
    assert result.returncode == 0
    assert "validate" in result.stdout and "submit" in result.stdout, result.stdout


def test_a_typo_still_gets_its_suggestion_when_a_file_is_named_like_a_command() -> None:
    """`mission valdate export` (a typo, and a file called export) still suggests `validate`,
    as `mission valdate` does."""
    result = _installed("valdate", "export")
    assert result.returncode == 2
    assert "validate" in result.stderr, result.stderr
