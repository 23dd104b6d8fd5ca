"""`mission submit`, `history`, `export`, and progress from a store, through the real CLI."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import polars as pl

from ..conftest import FIXTURES, INVALID

HEADER = "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,total\n"


def test_submit_history_export_progress(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Submit, resubmit corrected: history shows both, progress uses the new, --as-of the old."""
    store = tmp_path / "national.sqlite"
    first = tmp_path / "glasgow.csv"
    first.write_text(HEADER + "Glasgow City,2024/25 Q2,7000,0,0,0,7000\n")
    assert cli("submit", first, "--store", store, "--by", "officer").exit_code == 0
    between = dt.datetime.now(dt.UTC).isoformat()
    time.sleep(0.01)
    fixed = tmp_path / "glasgow-fixed.csv"
    fixed.write_text(HEADER + "Glasgow City,2024/25 Q2,7100,0,0,0,7100\n")
    resubmitted = cli("submit", fixed, "--store", store)
    assert "supersedes #1" in resubmitted.stdout
    history = cli("history", "--store", store, "--adp", "Glasgow")
    assert "superseded by #2" in " ".join(history.stdout.split())
    assert "glasgow-fixed.csv" in history.stdout
    now = cli("export", "--kind", "ost", "--store", store)
    assert "7100" in now.stdout and "7000" not in now.stdout
    old = cli("export", "--kind", "ost", "--store", store, "--as-of", between)
    assert "7000" in old.stdout and "7100" not in old.stdout
    progress = cli("progress", "--store", store, "--format", "json")
    assert '"latest_value": 7100.0' in progress.stdout


def test_submit_exit_codes_and_same_content(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A rejected file exits 1 with its findings; the same content again is a no-op."""
    store = tmp_path / "s.sqlite"
    assert cli("submit", FIXTURES / "valid" / "ost.csv", "--store", store).exit_code == 0
    again = cli("submit", FIXTURES / "valid" / "ost.csv", "--store", store)
    assert again.exit_code == 0
    assert "unchanged" in again.stdout
    bad = cli("submit", INVALID / "ost-total-mismatch.csv", "--store", store)
    assert bad.exit_code == 1
    assert "total-mismatch" in bad.stdout


def test_store_from_environment_and_export_parquet(cli, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """MISSION_STORE stands in for --store; Parquet export writes the accepted rows."""
    monkeypatch.setenv("MISSION_STORE", str(tmp_path / "env.sqlite"))
    assert cli("submit", FIXTURES / "valid" / "naloxone.csv").exit_code == 0
    out = tmp_path / "naloxone.parquet"
    assert cli("export", "--kind", "naloxone", "-f", "parquet", "-o", out).exit_code == 0
    assert pl.read_parquet(out).height == 6


def test_bad_store_exits_2(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A corrupt or missing store is a could-not-run error that names the file."""
    junk = tmp_path / "junk.sqlite"
    junk.write_text("hello")
    result = cli("submit", FIXTURES / "valid" / "ost.csv", "--store", junk)
    assert result.exit_code == 2
    assert "not a mission store" in result.stderr
    assert junk.read_text() == "hello"
    missing = cli("history", "--store", tmp_path / "nope.sqlite")
    assert missing.exit_code == 2
    assert cli("progress").exit_code == 2


def test_reading_a_store_leaves_nothing_beside_it(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`history`, `export` and `progress --store` leave the store's folder as they found it:
    the same bytes, and no write-ahead log or index beside the store (a repository of returns
    would show them as new files)."""
    store = tmp_path / "national.sqlite"
    assert cli("submit", FIXTURES / "valid" / "ost.csv", "--store", store).exit_code == 0
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert sorted(before) == ["national.sqlite"]
    assert cli("history", "--store", store).exit_code == 0
    assert cli("export", "--kind", "ost", "--store", store).exit_code == 0
    assert cli("progress", "--store", store, "--format", "json").exit_code == 0
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_reading_a_store_another_process_has_open_keeps_its_log(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """While another connection holds the store (a submit in progress), a read leaves the
    write-ahead log and its index alone: SQLite removes them only when the last one closes."""
    import sqlite3

    store = tmp_path / "national.sqlite"
    assert cli("submit", FIXTURES / "valid" / "ost.csv", "--store", store).exit_code == 0
    other = sqlite3.connect(store, isolation_level=None)
    try:
        other.execute("SELECT count(*) FROM sqlite_master").fetchone()
        assert cli("history", "--store", store).exit_code == 0
        assert Path(f"{store}-wal").exists() and Path(f"{store}-shm").exists()
    finally:
        other.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["national.sqlite"]


def test_an_accepted_return_shows_its_warnings(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Without --strict a return with warnings is accepted, and its warnings are shown: a
    European-locale file read a thousand times too small must not land in silence."""
    store = tmp_path / "national.sqlite"
    first = tmp_path / "glasgow.csv"
    first.write_text(HEADER + "Glasgow City,2024/25 Q1,5070,0,0,0,5070\n")
    assert cli("submit", first, "--store", store).exit_code == 0
    european = tmp_path / "glasgow-eu.csv"
    european.write_text(
        HEADER.replace(",", ";") + "Glasgow City;2024/25 Q2;3.000;1.000;0;0;4.000\n"
    )
    result = cli("submit", european, "--store", store)
    assert result.exit_code == 0
    assert "accepted" in result.stdout
    assert "warning dot-thousands '3.000' was read as 3" in result.stdout
    assert "warning large-change" in result.stdout
    assert "info" not in result.stdout.replace("supersedes", "")
