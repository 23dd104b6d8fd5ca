"""Hostile stores: a store path that is a folder, a plain SQLite file, a store whose schema version
is not a number, a truncated store, a read-only store and a full disk. What is not a usable store
is refused with exit 2, naming it, and left byte for byte as it was; a read-only store can still
be read; times are compared as instants, whatever offset the user writes.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from .conftest import FIXTURES, VALID
from .hostile_tools import Outcome, run, run_child

STORES = sorted((FIXTURES / "hostile" / "stores").iterdir())


def _store_commands(store: Path, tmp: Path) -> list[list[str]]:
    where = ["--store", str(store)]
    return [
        ["submit", str(VALID / "ost.csv"), *where],
        ["history", *where],
        ["export", "--kind", "ost", *where],
        ["progress", *where],
        ["report", "-o", str(tmp / "report"), *where],
    ]


def _refused(outcome: Outcome, store: Path) -> list[str]:
    problems = outcome.problems()
    if outcome.code != 2:
        problems.append(f"exit {outcome.code}, not 2 (refused)")
    if store.name not in outcome.output:
        problems.append("the message does not name the store")
    return problems


@pytest.mark.parametrize("fixture", STORES, ids=[p.name for p in STORES])
def test_a_store_that_is_not_a_usable_store(fixture: Path, tmp_path: Path) -> None:
    """Each command given a plain SQLite file, a store whose schema_version is 'abc', -1 or
    missing, or a truncated store, exits 2 naming it and leaves it byte for byte unchanged."""
    store = tmp_path / fixture.name
    shutil.copy(fixture, store)
    before = store.read_bytes()
    broken = []
    for args in _store_commands(store, tmp_path):
        outcome = run(args)
        problems = _refused(outcome, store)
        if store.read_bytes() != before:
            problems.append("the store was changed")
        if problems:
            broken.append(f"{args[0]}: {problems} {outcome.output[-300:]!r}")
    assert not broken, "\n".join(broken)


DAMAGES = {
    # Eight bytes zeroed where the Parquet still decodes: only the checksum sees it.
    "bytes-zeroed": "substr(parquet, 1, 20) || zeroblob(8) || substr(parquet, 29)",
    "truncated": "substr(parquet, 1, length(parquet) / 2)",
}


@pytest.mark.parametrize("damage", DAMAGES.values(), ids=DAMAGES.keys())
def test_a_store_whose_rows_are_damaged(damage: str, tmp_path: Path) -> None:
    """A store that SQLite finds sound but whose Parquet rows were changed after they were
    written is refused by export, progress and submit with exit 2 naming it, never read as if it
    were what was accepted, and left byte for byte as it was."""
    store = tmp_path / "national.sqlite"
    assert run(["submit", str(VALID / "ost.csv"), "--store", str(store)]).code == 0
    with sqlite3.connect(store) as db:
        db.execute(f"UPDATE submission_rows SET parquet = CAST({damage} AS BLOB)")
    before = store.read_bytes()
    broken = []
    for args in _store_commands(store, tmp_path):
        if args[0] == "history":
            continue  # who sent what, and when, is still there to read
        outcome = run(args)
        problems = _refused(outcome, store)
        if "damaged" not in outcome.output and "could not be read" not in outcome.output:
            problems.append("the message does not say the rows are damaged")
        if problems:
            broken.append(f"{args[0]}: {problems} {outcome.output[-300:]!r}")
    assert not broken, "\n".join(broken)
    assert store.read_bytes() == before


def test_a_store_path_that_is_a_folder(tmp_path: Path) -> None:
    """A --store path that is a folder is refused by every command with exit 2, naming it."""
    store = tmp_path / "national.sqlite"
    store.mkdir()
    (store / "keep.txt").write_text("mine")
    broken = []
    for args in _store_commands(store, tmp_path):
        outcome = run(args)
        if problems := _refused(outcome, store):
            broken.append(f"{args[0]}: {problems} {outcome.output[-300:]!r}")
    assert not broken, "\n".join(broken)
    assert [p.name for p in store.iterdir()] == ["keep.txt"]


def _mount(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["mount", *args], capture_output=True, text=True, check=False)


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """The folder (mode 0555) and its files (0444) read-only. Root ignores modes, so as root
    the folder also becomes a read-only bind mount of itself (skipped where that is refused)."""
    for path in folder.iterdir():
        path.chmod(0o444)
    folder.chmod(0o555)
    mounted = False
    try:
        if os.geteuid() == 0:
            done = _mount("--bind", str(folder), str(folder))
            mounted = done.returncode == 0
            if mounted:
                done = _mount("-o", "remount,bind,ro", str(folder))
            if done.returncode != 0:
                pytest.skip(f"as root, cannot make a folder read-only: {done.stderr.strip()}")
        yield
    finally:
        if mounted:
            subprocess.run(["umount", "--lazy", str(folder)], check=False)
        folder.chmod(0o755)


def test_a_read_only_store_can_still_be_read(tmp_path: Path) -> None:
    """A store file with mode 0444 in a folder with mode 0555 still answers `history`,
    `export` and `progress --store`, and is not changed."""
    folder = tmp_path / "stores"
    folder.mkdir()
    store = folder / "national.sqlite"
    accepted = run(["submit", str(VALID / "ost.csv"), "--store", str(store)])
    assert accepted.code == 0, accepted.describe()
    before = store.read_bytes()
    where = ["--store", str(store)]
    broken = []
    with read_only(folder):
        for args in (
            ["history", *where],
            ["export", "--kind", "ost", *where],
            ["progress", *where],
        ):
            outcome = run_child(args)
            problems = outcome.problems(codes=(0,))
            if args[0] == "export" and "glasgow-city" not in outcome.output:
                problems.append("the accepted rows are not exported")
            if problems:
                broken.append(f"{args[0]}: {problems} {outcome.output[-300:]!r}")
    assert not broken, "\n".join(broken)
    assert store.read_bytes() == before


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB tmpfs, mounted for the test (root only; skipped where mounting is not allowed)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a 1 MB tmpfs to fill (needs root): {done.stderr.strip()}")
    try:
        yield mount
    finally:
        # Lazily: a connection the failed run left open would keep the mount busy.
        subprocess.run(["umount", "--lazy", str(mount)], check=False)


def _fill(folder: Path, leave: int) -> None:
    """Write until the file system is full, then give back `leave` bytes."""
    descriptor = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(descriptor, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.ftruncate(descriptor, max(os.fstat(descriptor).st_size - leave, 0))
        os.close(descriptor)


@pytest.mark.parametrize("leave_kb", [0, 96], ids=["no-room-to-open", "room-to-open-not-to-write"])
def test_a_full_disk(leave_kb: int, full_disk: Path, tmp_path: Path) -> None:
    """With the disk full (or with room to open the store but not to write 920 rows), submit
    ends with exit 1 or 2 and a message naming the store (never exit 3), and leaves the
    existing store unchanged; creating a new store on the full disk fails the same way."""
    store = full_disk / "national.sqlite"
    assert run(["submit", str(VALID / "ost.csv"), "--store", str(store)]).code == 0
    big = tmp_path / "ost.csv"
    header = "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total"
    adps = ["Fife", "Angus", "Dundee City", "Highland", "Moray", "Orkney", "Shetland", "Falkirk"]
    adps += ["Inverclyde", "Renfrewshire"]
    quarters = [f"{y}/{(y + 1) % 100:02d} Q{q}" for y in range(2001, 2024) for q in (1, 2, 3, 4)]
    rows = [f"{adp},{quarter},1,2,3,4,0,10" for adp in adps for quarter in quarters]
    big.write_text("\n".join([header, *rows]) + "\n")
    _fill(full_disk, leave_kb * 1024)
    before = store.read_bytes()
    broken = []
    for target in (store, full_disk / "new.sqlite"):
        outcome = run(["submit", str(big), "--store", str(target)])
        problems = outcome.problems(codes=(1, 2))
        if target.name not in outcome.output:
            problems.append("the message does not name the store")
        if problems:
            broken.append(f"submit to {target.name}: {problems} {outcome.output[-300:]!r}")
    if store.read_bytes() != before:
        broken.append("the existing store was changed")
    assert not broken, "\n".join(broken)


def _submitted_at(store: Path) -> dt.datetime:
    with sqlite3.connect(store) as db:
        (stamp,) = db.execute("SELECT submitted_at FROM submissions").fetchone()
    return dt.datetime.fromisoformat(stamp)


@pytest.mark.parametrize(
    ("shift", "offset", "sees_it"),
    [
        (dt.timedelta(hours=-1), dt.timedelta(hours=2), False),
        (dt.timedelta(hours=1), dt.timedelta(hours=-5), True),
        (dt.timedelta(minutes=-1), dt.timedelta(0), False),
        (dt.timedelta(minutes=1), dt.timedelta(0), True),
        (dt.timedelta(hours=-1), dt.timedelta(hours=5, minutes=30), False),
    ],
    ids=[
        "hour-before-at-plus-2",
        "hour-after-at-minus-5",
        "minute-before-Z",
        "minute-after-Z",
        "hour-before-at-plus-5:30",
    ],
)
def test_export_as_of_compares_instants(
    shift: dt.timedelta, offset: dt.timedelta, sees_it: bool, tmp_path: Path
) -> None:
    """`export --as-of` judges the moment the user wrote, whatever its offset (`+02:00`,
    `-05:00`, `Z`): a submission is seen exactly when it came before that instant."""
    store = tmp_path / "national.sqlite"
    assert run(["submit", str(VALID / "ost.csv"), "--store", str(store)]).code == 0
    moment = (_submitted_at(store) + shift).astimezone(dt.timezone(offset))
    text = moment.isoformat()
    text = text.replace("+00:00", "Z") if offset == dt.timedelta(0) else text
    outcome = run(["export", "--kind", "ost", "--as-of", text, "--store", str(store)])
    assert outcome.code == 0, outcome.describe()
    assert ("glasgow-city" in outcome.output) is sees_it, (text, outcome.output[-300:])
