"""The returns store: revisions, no-ops, rejections, refusal of bad stores, crashes, concurrency."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
import subprocess
import sysconfig
import time
from pathlib import Path

import polars as pl
import pytest

from mission.kinds import Kind
from mission.store import SCHEMA_VERSION, InvalidStore, Store
from mission.tracker import progress

from .conftest import FIXTURES, INVALID
from .test_store_rows import schema_2

OST_HEADER = "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,total\n"


def _ost(path: Path, rows: str) -> Path:
    path.write_text(OST_HEADER + rows)
    return path


def test_revision_supersedes_and_history_keeps_both(tmp_path: Path) -> None:
    """A corrected return supersedes the old one; both stay in history; export --as-of sees the old."""
    first = _ost(
        tmp_path / "glasgow-q2.csv",
        "Glasgow City,2024/25 Q2,7000,0,0,0,7000\nFife,2024/25 Q2,2000,0,0,0,2000\n",
    )
    with Store(tmp_path / "store.sqlite") as store:
        [accepted] = store.submit([first], by="officer")
        assert (accepted.status, accepted.submission_id) == ("accepted", 1)
        between = dt.datetime.now(dt.UTC)
        time.sleep(0.01)
        corrected = _ost(
            tmp_path / "glasgow-q2-v2.csv", "Glasgow City,2024/25 Q2,7100,0,0,0,7100\n"
        )
        [revision] = store.submit([corrected], by="analyst")
        assert (revision.status, revision.superseded) == ("accepted", (1,))
        glasgow = store.history(adp="glasgow-city")
        assert [(h.id, h.status, h.submitted_by) for h in glasgow] == [
            (2, "current", "analyst"),
            (1, "superseded", "officer"),
        ]
        assert [h.status for h in store.history()] == ["current", "partly superseded"]
        # Asked for Glasgow, the first file is still the whole file (Fife's rows too); only its
        # status is Glasgow's.
        assert (glasgow[1].adps, glasgow[1].rows) == (("fife", "glasgow-city"), 2)
        assert store.history()[1].superseded_by == (2,)
        now = store.export("ost")
        assert dict(now.select("adp", "total").iter_rows()) == {"fife": 2000, "glasgow-city": 7100}
        before = store.export("ost", as_of=between)
        assert dict(before.select("adp", "total").iter_rows()) == {
            "fife": 2000,
            "glasgow-city": 7000,
        }
        result = progress(store.returns(), as_of=dt.date(2026, 11, 25))
        assert result.target("ost").latest_value == 9100


def test_same_content_is_a_no_op(tmp_path: Path) -> None:
    """Sending the same file twice stores it once and says so."""
    path = FIXTURES / "valid" / "ost.csv"
    with Store(tmp_path / "store.sqlite") as store:
        assert store.submit([path])[0].status == "accepted"
        again = store.submit([path])[0]
        assert (again.status, again.submission_id) == ("unchanged", 1)
        assert len(store.history()) == 1


def test_invalid_return_is_rejected_and_changes_nothing(tmp_path: Path) -> None:
    """An invalid return, or one with warnings under --strict, is rejected and stores nothing."""
    with Store(tmp_path / "store.sqlite") as store:
        store.submit([FIXTURES / "valid" / "ost.csv"])
        before = store.export("ost")
        rejected = store.submit([INVALID / "ost-total-mismatch.csv"])[0]
        assert rejected.status == "rejected"
        assert [f.code for f in rejected.report.findings] == ["total-mismatch"]
        warned = store.submit([INVALID / "ost-large-change.csv"], strict=True)[0]
        assert warned.status == "rejected"
        assert store.export("ost").equals(before)
        assert len(store.history()) == 1


def test_large_change_against_the_store(tmp_path: Path) -> None:
    """A jump of over 25% on a quarter already in the store is a warning on the new return."""
    with Store(tmp_path / "store.sqlite") as store:
        store.submit([_ost(tmp_path / "q1.csv", "Fife,2023/24 Q1,100,0,0,0,100\n")])
        outcome = store.submit([_ost(tmp_path / "q2.csv", "Fife,2023/24 Q2,140,0,0,0,140\n")])[0]
        assert outcome.status == "accepted"
        assert [f.code for f in outcome.report.findings] == ["large-change"]


def test_a_drop_to_almost_nothing_is_not_said_to_be_all_gone(tmp_path: Path) -> None:
    """Found by an attack: 2 people where there had been 1,000 was told as -100%."""
    with Store(tmp_path / "store.sqlite") as store:
        store.submit([_ost(tmp_path / "q1.csv", "Fife,2023/24 Q1,1000,0,0,0,1000\n")])
        outcome = store.submit([_ost(tmp_path / "q2.csv", "Fife,2023/24 Q2,2,0,0,0,2\n")])[0]
        (said,) = [f.message for f in outcome.report.findings if f.code == "large-change"]
        assert said == "Fife's total in 2023/24 Q2, 2, is -99.8% on 1,000 the quarter before"


def test_episodes_export_leaves_person_ids_out(tmp_path: Path) -> None:
    """Episodes exports drop person ids unless they are asked for."""
    with Store(tmp_path / "store.sqlite") as store:
        store.submit([FIXTURES / "valid" / "episodes.csv"])
        assert "person_id" not in store.export("episodes").columns
        full = store.export("episodes", include_person_ids=True)
        assert full["person_id"].n_unique() == 5
        assert full["referral_date"].dtype == pl.Date


def test_corrupt_store_is_refused_and_kept(tmp_path: Path) -> None:
    """A file that is not a store is refused with a clear message and never overwritten."""
    path = tmp_path / "store.sqlite"
    path.write_bytes(b"this is not a database at all" * 100)
    before = path.read_bytes()
    with pytest.raises(InvalidStore, match="not a mission store"):
        Store(path)
    assert path.read_bytes() == before
    damaged = tmp_path / "damaged.sqlite"
    with Store(damaged) as store:
        store.submit([FIXTURES / "valid" / "ost.csv"])
    data = bytearray(damaged.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)
    damaged.write_bytes(bytes(data))
    with pytest.raises(InvalidStore):
        Store(damaged).export("ost")


def test_newer_store_is_refused(tmp_path: Path) -> None:
    """A store from a newer mission is refused and left as it was, with nothing new beside it."""
    path = tmp_path / "store.sqlite"
    Store(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    before = path.read_bytes()
    files = sorted(tmp_path.iterdir())
    for read_only in (False, True):
        with pytest.raises(InvalidStore, match="newer mission"):
            Store(path, read_only=read_only)
    assert path.read_bytes() == before
    assert sorted(tmp_path.iterdir()) == files


def test_a_schema_2_store_gains_the_population_table(tmp_path: Path) -> None:
    """A store made before the population kind (schema 2) is migrated when opened: the table is
    created by the migration, and population returns are then kept like any other."""
    path = tmp_path / "store.sqlite"
    with sqlite3.connect(path) as db:
        db.executescript(schema_2())
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        [kept] = store.submit([FIXTURES / "valid" / "population.csv"], by="analyst")
        assert kept.status == "accepted"
        rows = store.export("population")
        assert rows.height == 4
        assert set(store.returns().frames) >= {Kind.OST, Kind.POPULATION}


def _mission() -> str:
    return str(Path(sysconfig.get_path("scripts")) / "mission")


def test_two_submits_in_parallel_both_land(tmp_path: Path) -> None:
    """Two processes submitting at once both land (one waits for the other)."""
    store = tmp_path / "store.sqlite"
    Store(store).close()
    files = [FIXTURES / "demo" / "naloxone.csv", FIXTURES / "demo" / "episodes.csv"]
    runs = [
        subprocess.Popen(
            [_mission(), "submit", str(f), "--store", str(store)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for f in files
    ]
    for run in runs:
        _, errors = run.communicate(timeout=120)
        assert run.returncode == 0, errors
    with Store(store) as opened:
        assert sorted(h.kind for h in opened.history()) == ["episodes", "naloxone"]


def test_killed_submits_never_damage_the_store(tmp_path: Path) -> None:
    """Killing `mission submit` at random moments, 50 times, leaves the store sound and intact."""
    store = tmp_path / "store.sqlite"
    with Store(store) as opened:
        opened.submit([FIXTURES / "demo" / "ost.csv"])
        accepted = opened.export("ost")
    source = (FIXTURES / "demo" / "episodes.csv").read_text()
    rng = random.Random(7)
    landed = 0
    for attempt in range(50):
        variant = tmp_path / f"episodes-{attempt}.csv"
        variant.write_text(source.replace("DEMO000", f"K{attempt:03d}"))
        run = subprocess.Popen(
            [_mission(), "submit", str(variant), "--store", str(store)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:  # kill it at a random moment (a run that ended before it is not waited out)
            run.wait(timeout=rng.uniform(0.1, 1.0))
        except subprocess.TimeoutExpired:
            run.kill()
        landed += run.wait() == 0
    with Store(store) as opened:
        assert opened.integrity_check() == "ok"
        assert opened.export("ost").equals(accepted)
        episodes = opened.history(kind="episodes")
        assert all(h.rows == 12_000 for h in episodes)
        current = opened.export("episodes")
        assert current.height in (0, 12_000)
    print(f"{landed} of 50 submits finished before the kill")


def test_store_path_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """$MISSION_STORE names the store when --store is not given."""
    from mission.store import store_path

    monkeypatch.setenv("MISSION_STORE", str(tmp_path / "env.sqlite"))
    assert store_path(None) == tmp_path / "env.sqlite"
    monkeypatch.delenv("MISSION_STORE")
    with pytest.raises(InvalidStore, match="--store PATH"):
        store_path(None)


def test_store_is_plain_sqlite_with_rows_as_parquet(tmp_path: Path) -> None:
    """The store is plain SQLite that other tools can read: submissions and slices as tables,
    a submission's rows as a Parquet file any Parquet reader opens, holding what export gives."""
    import io

    store = tmp_path / "store.sqlite"
    with Store(store) as opened:
        opened.submit([FIXTURES / "valid" / "ost.csv"])
        exported = opened.export("ost")
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT sum(row_count) FROM slices").fetchone()[0] == 6
        [(blob,)] = db.execute("SELECT parquet FROM submission_rows").fetchall()
    rows = pl.read_parquet(io.BytesIO(blob))
    assert rows.height == 6
    assert rows.drop("source_row").sort("adp", "period").equals(exported.sort("adp", "period"))


def test_files_of_one_submit_for_the_same_slice_are_both_rejected(tmp_path: Path) -> None:
    """Of one submit, every valid file sharing a (kind, ADP, period) slice with another (rows
    with no key in common: naloxone by supply source) is rejected with one slice-in-two-files
    error per other file, naming it and the slice; a file for other slices lands, and the same
    files sent apart each land (the later superseding the slice they share)."""
    header = "adp,period,supply_source,kit_type,first_supply,repeat_supply\n"

    def naloxone(name: str, *rows: str) -> Path:
        path = tmp_path / name
        path.write_text(header + "".join(f"{row}\n" for row in rows))
        return path

    a = naloxone("a.csv", "Fife,2024/25 Q1,community,intranasal,1,0")
    b = naloxone(
        "b.csv",
        "Fife,2024/25 Q1,pharmacy,intranasal,2,0",
        "Fife,2024/25 Q2,pharmacy,intranasal,2,0",
    )
    c = naloxone("c.csv", "Fife,2024/25 Q2,prison,intranasal,3,0")
    d = naloxone("d.csv", "Highland,2024/25 Q1,community,intranasal,4,0")
    shared = ": the store keeps one return per kind, ADP and period; combine them into one file"
    with Store(tmp_path / "store.sqlite") as store:
        outcomes = store.submit([a, b, c, d])
        assert [o.status for o in outcomes] == ["rejected", "rejected", "rejected", "accepted"]
        found = {
            Path(o.path).name: [
                f.message for f in o.report.findings if f.code == "slice-in-two-files"
            ]
            for o in outcomes
        }
        assert found == {
            "a.csv": [f"naloxone for fife 2024/25 Q1 is also in {b}{shared}"],
            "b.csv": [
                f"naloxone for fife 2024/25 Q1 is also in {a}{shared}",
                f"naloxone for fife 2024/25 Q2 is also in {c}{shared}",
            ],
            "c.csv": [f"naloxone for fife 2024/25 Q2 is also in {b}{shared}"],
            "d.csv": [],
        }
        assert [(o.report.errors, o.report.valid) for o in outcomes] == [
            (1, False),
            (2, False),
            (1, False),
            (0, True),
        ]
        assert store.export("naloxone").select("adp", "first_supply").rows() == [("highland", 4)]
        assert [o.status for o in store.submit([a])] == ["accepted"]
        assert [o.status for o in store.submit([b])] == ["accepted"]
        assert store.export("naloxone").select("period", "first_supply").rows() == [
            ("2024/25 Q1", 2),
            ("2024/25 Q2", 2),
            ("2024/25 Q1", 4),
        ]
