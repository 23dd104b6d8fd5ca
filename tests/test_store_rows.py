"""How the store keeps rows: by slice, in id ranges, read back typed, migrated from schema 2."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mission.store import SCHEMA_VERSION, InvalidStore, Store, StoreFailed

from .old_stores import SCHEMA_5, schema_5_row_tables, schema_before_4

OST_HEADER = "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,total\n"
ADPS = ["Fife", "Glasgow City", "Dundee City", "Highland"]
PERIODS = ["2024/25 Q1", "2024/25 Q2", "2024/25 Q3"]
SLUGS = {a: a.lower().replace(" ", "-") for a in ADPS}


def test_a_column_empty_for_thousands_of_rows_reads_back_typed(tmp_path: Path) -> None:
    """Rows are read back as Arrow, typed from the first rows read: a date missing from the first
    1,500 rows (and present later) still comes back as dates, every row intact."""
    header = "adp,person_id,referral_date,treatment_start_date,referral_source,substance"
    lines = [f"{header},treatment_type"]
    for n in range(2000):
        start, kind = ("", "") if n < 1500 else ("2024-06-03", "ost")
        lines.append(f"Fife,P{n:05d},2024-06-01,{start},gp,drugs,{kind}")
    path = tmp_path / "episodes.csv"
    path.write_text("\n".join(lines) + "\n")
    with Store(tmp_path / "store.sqlite") as store:
        assert store.submit([path])[0].status == "accepted"
        rows = store.export("episodes", include_person_ids=True)
    assert rows.height == 2000
    assert rows["treatment_start_date"].dtype == pl.Date
    assert rows["treatment_start_date"].null_count() == 1500
    assert rows["person_id"].to_list() == [f"P{n:05d}" for n in range(2000)]
    assert rows["treatment_type"].dtype == pl.String
    assert rows["treatment_type"].null_count() == 1500


submissions = st.lists(
    st.dictionaries(
        st.tuples(st.sampled_from(ADPS), st.sampled_from(PERIODS)),
        st.integers(0, 5000),
        min_size=1,
        max_size=6,
    ),
    min_size=1,
    max_size=5,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batches=submissions)
def test_export_is_the_latest_submission_of_every_slice(
    tmp_path_factory: object, batches: list[dict[tuple[str, str], int]]
) -> None:
    """Whatever the order of submissions, export holds, for each (ADP, period), the figures of
    the last submission that covered it, and as-of an earlier instant, what stood then."""
    folder = Path(tmp_path_factory.mktemp("store"))  # type: ignore[attr-defined]
    expected: dict[tuple[str, str], int] = {}
    seen: list[tuple[dt.datetime, dict[tuple[str, str], int]]] = []
    with Store(folder / "store.sqlite") as store:
        for n, batch in enumerate(batches):
            body = "".join(f"{a},{p},{v},0,0,0,{v}\n" for (a, p), v in batch.items())
            path = folder / f"return-{n}.csv"
            path.write_text(OST_HEADER + body)
            moment = dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(hours=n)
            outcome = store.submit([path], now=moment)[0]
            assert outcome.status in {"accepted", "unchanged"}
            expected.update(batch)
            seen.append((moment, dict(expected)))
        for moment, then in seen:
            frame = store.export("ost", as_of=moment)
            got = {(a, p): t for a, p, t in frame.select("adp", "period", "total").iter_rows()}
            want = {(SLUGS[a], p): v for (a, p), v in then.items()}
            assert got == want
            assert frame.select("adp", "period").rows() == sorted(want)


def test_a_schema_2_store_is_migrated_in_place(tmp_path: Path) -> None:
    """A store made by mission 0.1 (schema 2: rows in file order, an index per slice) opens,
    is rewritten in slice order, each submission's rows one Parquet file with each slice's run
    in it, and reads back the same rows."""
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:
        db.executescript(schema_2())
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        rows = store.export("ost")
        assert rows.select("adp", "period", "total").rows() == [
            ("fife", "2024/25 Q1", 100),
            ("glasgow-city", "2024/25 Q1", 7100),
        ]
        assert store.integrity_check() == "ok"
        assert [h.status for h in store.history()] == ["current", "partly superseded"]
    with sqlite3.connect(path) as db:
        ranges = db.execute(
            "SELECT submission_id, adp, row_offset, row_count FROM slices ORDER BY 1, 2"
        ).fetchall()
        assert ranges == [(1, "fife", 0, 1), (1, "glasgow-city", 1, 1), (2, "glasgow-city", 0, 1)]
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert not {t for t in tables if t.startswith("rows_")}


def schema_2() -> str:
    """A store as mission 0.1 left it: schema 2, a table of rows per kind it knew (all but
    population), in file order with an index; two OST submissions, the second a revision."""
    from mission.kinds import Kind
    from mission.store.schema import sql_type

    tables = []
    for kind in Kind:
        spec = kind.spec
        if kind in (Kind.OST, Kind.POPULATION):
            continue
        columns = ", ".join(f"{c.name} {sql_type(c.type)}" for c in spec.columns)
        tables.append(
            f"CREATE TABLE {spec.store_table} (submission_id INTEGER NOT NULL REFERENCES "
            f"submissions(id), source_row INTEGER NOT NULL, slice_period TEXT NOT NULL, "
            f"{columns});\nCREATE INDEX {spec.store_table}_slice ON {spec.store_table}"
            "(submission_id, adp, slice_period);"
        )
    return _SCHEMA_2 + "\n".join(tables)


_SCHEMA_2 = (
    schema_before_4(2)
    + """
CREATE TABLE rows_ost (
    submission_id INTEGER NOT NULL REFERENCES submissions(id), source_row INTEGER NOT NULL,
    slice_period TEXT NOT NULL, adp TEXT, period TEXT, methadone INTEGER,
    buprenorphine_oral INTEGER, buprenorphine_depot INTEGER, diamorphine INTEGER,
    other INTEGER, total INTEGER);
CREATE INDEX rows_ost_slice ON rows_ost(submission_id, adp, slice_period);
INSERT INTO submissions VALUES
    (1, 'a', 'q1.csv', 'ost', 'officer', '2025-07-01T09:00:00.000000+00:00', 1, 2, 0, 0, 0,
     1751360400000000),
    (2, 'b', 'q1-v2.csv', 'ost', 'analyst', '2025-07-02T09:00:00.000000+00:00', 1, 1, 0, 0, 0,
     1751446800000000);
INSERT INTO slices VALUES
    (1, 'ost', 'glasgow-city', '2024/25 Q1', 2),
    (1, 'ost', 'fife', '2024/25 Q1', NULL),
    (2, 'ost', 'glasgow-city', '2024/25 Q1', NULL);
INSERT INTO rows_ost VALUES
    (1, 2, '2024/25 Q1', 'glasgow-city', '2024/25 Q1', 7000, 0, 0, 0, NULL, 7000),
    (1, 3, '2024/25 Q1', 'fife', '2024/25 Q1', 100, 0, 0, 0, NULL, 100),
    (2, 2, '2024/25 Q1', 'glasgow-city', '2024/25 Q1', 7100, 0, 0, 0, NULL, 7100);
"""
)


def test_a_synthetic_data_set_stays_marked_in_the_store(tmp_path: Path) -> None:
    """Returns sent from a folder whose dataset.toml says synthetic are marked synthetic when
    read back from the store (so a publication from --store says SYNTHETIC DATA too), until
    real returns replace every slice they gave."""
    demo = tmp_path / "demo"
    demo.mkdir()
    (demo / "dataset.toml").write_text('title = "Demo"\nsynthetic = true\n')
    (demo / "ost.csv").write_text(OST_HEADER + "Fife,2024/25 Q1,100,0,0,0,100\n")
    real = tmp_path / "real"
    real.mkdir()
    (real / "ost.csv").write_text(OST_HEADER + "Fife,2024/25 Q1,120,0,0,0,120\n")
    with Store(tmp_path / "store.sqlite") as store:
        first = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        store.submit([demo], now=first)
        store.submit([real], now=first + dt.timedelta(days=1))
        then = store.returns(as_of=first + dt.timedelta(hours=1)).dataset
        assert then is not None and then.synthetic and then.title == "Demo"
        assert store.returns().dataset is None
    from typer.testing import CliRunner

    from mission.cli.app import app

    marked = CliRunner().invoke(
        app,
        ["progress", "--store", str(tmp_path / "store.sqlite"), "--as-of", "2026-01-01",
         "--format", "markdown"],
    )  # fmt: skip
    assert marked.exit_code == 0, marked.output
    assert "SYNTHETIC DATA" in marked.stdout


def test_a_schema_5_store_is_migrated_to_parquet_rows(tmp_path: Path) -> None:
    """A store of schema 5 (rows as SQL tables, each slice an id range) opens as schema 6: each
    submission's rows become one Parquet file, typed as export gives them, every revision and
    every as-of view reading back as before, and the tables of rows are gone."""
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:
        db.executescript(schema_5())
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.integrity_check() == "ok"
        assert store.export("ost").select("adp", "total").rows() == [
            ("fife", 100),
            ("glasgow-city", 7100),
        ]
        before = dt.datetime(2025, 7, 1, 12, tzinfo=dt.UTC)
        assert store.export("ost", as_of=before).select("adp", "total").rows() == [
            ("fife", 100),
            ("glasgow-city", 7000),
        ]
        episodes = store.export("episodes", include_person_ids=True)
        assert episodes.rows() == [
            ("fife", "P2", dt.date(2024, 4, 9), None, "gp", "drugs", None),
            ("fife", "P1", dt.date(2024, 4, 2), dt.date(2024, 4, 3), "self", "both", "ost"),
            ("highland", "P3", dt.date(2024, 5, 1), dt.date(2024, 5, 2), "gp", "drugs", "ost"),
        ]
        assert [h.status for h in store.history()] == ["current", "current", "partly superseded"]
    with sqlite3.connect(path) as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert tables == {"meta", "submissions", "slices", "submission_rows"}
        ranges = db.execute(
            "SELECT submission_id, adp, row_offset, row_count FROM slices ORDER BY 1, 2"
        ).fetchall()
        assert ranges == [
            (1, "fife", 0, 1),
            (1, "glasgow-city", 1, 1),
            (2, "glasgow-city", 0, 1),
            (3, "fife", 0, 2),
            (3, "highland", 2, 1),
        ]


def schema_5() -> str:
    """A store as schema 5 left it: a table of rows per kind with explicit ids in slice order,
    each slice an id range; two OST submissions (the second a revision) and one of episodes,
    whose rows of a slice are not in id order of their source rows' dates."""
    return SCHEMA_5 + schema_5_row_tables() + _SCHEMA_5_ROWS


_SCHEMA_5_ROWS = """
INSERT INTO submissions VALUES
    (1, 'a', 'q1.csv', 'ost', 'officer', '2025-07-01T09:00:00.000000+00:00', 1, 2, 0, 0, 0,
     1751360400000000, NULL),
    (2, 'b', 'q1-v2.csv', 'ost', 'analyst', '2025-07-02T09:00:00.000000+00:00', 1, 1, 0, 0, 0,
     1751446800000000, NULL),
    (3, 'c', 'episodes.csv', 'episodes', 'analyst', '2025-07-02T10:00:00.000000+00:00', 1, 3,
     0, 0, 0, 1751450400000000, '{"title": "Old", "synthetic": true}');
INSERT INTO slices VALUES
    (1, 'ost', 'fife', '2024/25 Q1', NULL, 1, 1),
    (1, 'ost', 'glasgow-city', '2024/25 Q1', 2, 2, 2),
    (2, 'ost', 'glasgow-city', '2024/25 Q1', NULL, 3, 3),
    (3, 'episodes', 'fife', '2024/25 Q1', NULL, 1, 2),
    (3, 'episodes', 'highland', '2024/25 Q1', NULL, 3, 3);
INSERT INTO rows_ost VALUES
    (1, 1, 3, '2024/25 Q1', 'fife', '2024/25 Q1', 100, 0, 0, 0, NULL, 100),
    (2, 1, 2, '2024/25 Q1', 'glasgow-city', '2024/25 Q1', 7000, 0, 0, 0, NULL, 7000),
    (3, 2, 2, '2024/25 Q1', 'glasgow-city', '2024/25 Q1', 7100, 0, 0, 0, NULL, 7100);
INSERT INTO rows_episodes VALUES
    (1, 3, 2, '2024/25 Q1', 'fife', 'P2', '2024-04-09', NULL, 'gp', 'drugs', NULL),
    (2, 3, 4, '2024/25 Q1', 'fife', 'P1', '2024-04-02', '2024-04-03', 'self', 'both', 'ost'),
    (3, 3, 3, '2024/25 Q1', 'highland', 'P3', '2024-05-01', '2024-05-02', 'gp', 'drugs', 'ost');
"""


def test_a_schema_5_store_is_not_read_without_its_upgrade(tmp_path: Path) -> None:
    """Opened only to read, an older store is refused with a message saying how to upgrade it,
    and left byte for byte as it was (a read never migrates)."""
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:
        db.executescript(schema_5())
    before = path.read_bytes()
    with pytest.raises(InvalidStore, match=r"older mission \(schema 5.*mission upgrade --store"):
        Store(path, read_only=True)
    assert path.read_bytes() == before


def test_upgrade_brings_an_older_store_up_and_then_it_reads(tmp_path: Path) -> None:
    """`mission upgrade` migrates a schema-5 store in place, says from which schema, and the
    refused read then works; a second upgrade has nothing to do."""
    from typer.testing import CliRunner

    from mission.cli.app import app

    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:
        db.executescript(schema_5())
    runner = CliRunner()
    refused = runner.invoke(app, ["export", "--kind", "ost", "--store", str(path)])
    assert refused.exit_code == 2
    assert "mission upgrade --store" in refused.output
    done = runner.invoke(app, ["upgrade", "--store", str(path)])
    assert done.exit_code == 0, done.output
    assert f"upgraded from schema 5 to {SCHEMA_VERSION}" in done.output
    exported = runner.invoke(app, ["export", "--kind", "ost", "--store", str(path)])
    assert exported.exit_code == 0, exported.output
    assert "fife" in exported.output.lower()
    again = runner.invoke(app, ["upgrade", "--store", str(path)])
    assert again.exit_code == 0 and "nothing to do" in again.output


def test_upgrade_does_not_create_a_store(tmp_path: Path) -> None:
    """Upgrading a store that is not there is refused (exit 2) and creates no file."""
    from typer.testing import CliRunner

    from mission.cli.app import app

    path = tmp_path / "none.sqlite"
    result = CliRunner().invoke(app, ["upgrade", "--store", str(path)])
    assert result.exit_code == 2
    assert not path.exists()


def _two_adp_store(tmp_path: Path) -> Path:
    """One OST submission holding Fife (row 0) and Highland (row 1) for 2024/25 Q1."""
    path = tmp_path / "ost.csv"
    path.write_text(OST_HEADER + "Fife,2024/25 Q1,100,0,0,0,100\nHighland,2024/25 Q1,50,0,0,0,50\n")
    store = tmp_path / "store.sqlite"
    with Store(store) as opened:
        assert opened.submit([path])[0].status == "accepted"
    return store


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("row_offset", None),
        ("row_offset", "one"),
        ("row_offset", 0.5),
        ("row_offset", -1),
        ("row_count", 0),
        ("row_count", 1.5),
        ("row_count", b"\x01"),
    ],
    ids=["null", "text", "float", "negative", "zero-count", "fractional", "blob"],
)
def test_a_slice_position_that_is_not_a_whole_number_is_damage(
    tmp_path: Path, column: str, value: object
) -> None:
    """A slice whose row_offset or row_count is not a whole number in range (NULL, text, a
    float, a blob, below 0 or a count of 0) makes export refuse the store as damaged."""
    store = _two_adp_store(tmp_path)
    with sqlite3.connect(store) as db:
        db.execute(f"UPDATE slices SET {column} = ? WHERE adp = 'highland'", (value,))
    with Store(store, read_only=True) as opened, pytest.raises(StoreFailed, match=column):
        opened.export("ost")


def test_slices_whose_rows_hold_another_adp_are_damage(tmp_path: Path) -> None:
    """Slices that tile their Parquet but name the wrong ADP for its rows (Fife's and
    Highland's labels swapped) are refused as damage (the digest binds the slices as written),
    not exported under the wrong ADP."""
    store = _two_adp_store(tmp_path)
    with sqlite3.connect(store) as db:
        db.execute("UPDATE slices SET row_offset = 1 - row_offset")
    with Store(store, read_only=True) as opened, pytest.raises(StoreFailed, match="damaged"):
        opened.export("ost")


def test_slices_that_leave_rows_out_are_damage(tmp_path: Path) -> None:
    """A submission whose slices leave some of its Parquet's rows out (a slice dropped) is
    refused as damage, not read as fewer rows."""
    store = _two_adp_store(tmp_path)
    with sqlite3.connect(store) as db:
        db.execute("DELETE FROM slices WHERE adp = 'fife'")
    with Store(store, read_only=True) as opened, pytest.raises(StoreFailed, match="damaged"):
        opened.export("ost")


def test_a_blob_digest_binds_its_submission_and_its_slices() -> None:
    """The same bytes kept for two submissions, or with one slice moved, widened or renamed, have
    different digests, none the bare SHA-256 of the bytes; the order slices are listed in does
    not matter."""
    import hashlib

    from mission.store.rows import blob_digest

    blob = b"PAR1 rows PAR1"
    laid = [("fife", "2024/25 Q1", 0, 2), ("moray", "2024/25 Q1", 2, 1)]
    digests = {
        blob_digest(1, blob, laid),
        blob_digest(2, blob, laid),
        blob_digest(1, blob, [("fife", "2024/25 Q1", 0, 3), laid[1]]),
        blob_digest(1, blob, [("fife", "2024/25 Q2", 0, 2), laid[1]]),
        blob_digest(1, blob, [laid[0], ("moray", "2024/25 Q1", 1, 1)]),
        hashlib.sha256(blob).hexdigest(),
    }
    assert len(digests) == 6
    assert blob_digest(1, blob, laid) == blob_digest(1, blob, laid[::-1])


UPGRADE_DAMAGE = {
    "bad-date": ("UPDATE rows_episodes SET referral_date = '2024-13-45' WHERE id = 1", 3),
    "text-count": ("UPDATE rows_ost SET total = 'lots' WHERE id = 3", 2),
    "float-count": ("UPDATE rows_ost SET methadone = 1.5 WHERE id = 1", 1),
    "row-lost": ("DELETE FROM rows_ost WHERE id = 1", 1),
    "no-range": ("UPDATE slices SET first_row = NULL WHERE submission_id = 3 AND adp = 'fife'", 3),
    "ranges-overlap": (
        "UPDATE slices SET last_row = 2 WHERE submission_id = 1 AND adp = 'fife'",
        1,
    ),
    "row-of-another-adp": ("UPDATE rows_episodes SET adp = 'highland' WHERE id = 1", 3),
}


@pytest.mark.parametrize(("damage", "submission"), UPGRADE_DAMAGE.values(), ids=UPGRADE_DAMAGE)
def test_a_damaged_schema_5_store_is_refused_before_its_upgrade(
    tmp_path: Path, damage: str, submission: int
) -> None:
    """A schema-5 store with a cell the upgrade cannot read as its type, or a slice whose id
    range is missing, overlaps, lost a row or holds another ADP's rows, is refused as damaged,
    naming the submission, and left byte for byte as it was (its tables of rows still there)."""
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:
        db.executescript(schema_5())
        db.execute(damage)
    db.close()
    before = path.read_bytes()
    with pytest.raises(InvalidStore, match=rf"cannot be upgraded: .*submission {submission}\b"):
        Store(path)
    assert path.read_bytes() == before


def test_opening_a_current_store_does_not_compact_it(tmp_path: Path) -> None:
    """Only an upgrade compacts the store: opening a current store for writing leaves its free
    pages alone (a VACUUM on every submit would rewrite the whole file each time)."""
    path = tmp_path / "store.sqlite"
    Store(path).close()
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE filler AS SELECT zeroblob(100000) AS b FROM submissions")
        db.executemany("INSERT INTO filler VALUES (zeroblob(100000))", [()] * 20)
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE filler")
    with sqlite3.connect(path) as db:
        free = db.execute("PRAGMA freelist_count").fetchone()[0]
    assert free > 0
    with Store(path) as opened:
        assert opened.upgraded_from is None
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA freelist_count").fetchone()[0] == free
