"""The returns store: accepted returns and every earlier revision, safely, in one SQLite file.

Each submit is one transaction (WAL mode, `BEGIN IMMEDIATE`) for all the files it accepts, so a
crash or a kill leaves the store as it was before or after the whole submit, never between, and
two people submitting at once both land, one after the other. Only valid returns are accepted. A
return is split into slices, one per (kind, ADP, period); a later submission with the same slice
supersedes the earlier one, which is kept for audit. Progress reads the latest revision of every
slice; `export(as_of=...)` reads them as they stood at an instant.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from mission.adps import match_adp
from mission.dataset import Dataset
from mission.errors import MissionError
from mission.files import resolved
from mission.kinds import Kind, kind_spec, kinds
from mission.limits import Limits
from mission.periods import canonical_period, moment_of
from mission.returns import Returns
from mission.store.bulk import Bulk, BulkError
from mission.store.legacy import check_upgradable
from mission.store.rows import DamagedRows, Kept, assemble, verified
from mission.store.schema import (
    SCHEMA_VERSION,
    InvalidStore,
    existing_database,
    microseconds,
    migrate,
    schema_version,
)

if TYPE_CHECKING:
    import polars as pl

    from mission.kinds import KindSpec
    from mission.readers import NamedBytes
    from mission.store.models import HistoryEntry, SubmitOutcome

__all__ = ["STORE_ENV", "Store", "StoreFailed", "store_path"]

STORE_ENV = "MISSION_STORE"
BUSY_TIMEOUT_MS = 60_000


class StoreFailed(MissionError):
    """The store could not be written (a full disk, a read-only file); nothing was stored."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        super().__init__(f"{path}: {problem}; nothing was stored and the store is unchanged")


def store_path(path: Path | str | None) -> Path:
    """The store to use: the given path, else $MISSION_STORE.

    Raises:
        InvalidStore: neither is set.
    """
    if path is not None:
        return Path(path)
    env = os.environ.get(STORE_ENV)
    if env:
        return Path(env)
    raise NoStoreGiven


class NoStoreGiven(InvalidStore):
    """Neither `--store` nor `MISSION_STORE` names a store: said without a path (there is none;
    it read `.: no store given`)."""

    def __init__(self) -> None:
        super().__init__(Path("."), f"no store given: pass --store PATH or set {STORE_ENV}")
        self.args = (self.problem,)


def _uri(path: Path, **options: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in options.items())
    return f"{resolved(path).as_uri()}?{query}"


class Store:
    """An SQLite store of accepted returns. Use as a context manager, or call `close()`.

    Args:
        path: the store file; created on first use unless `create` is false.
        create: make the store if it does not exist.
        read_only: only read (works on a store in a read-only folder, too).

    Raises:
        InvalidStore: the file is a folder, corrupt, not a store, or from a newer mission; it
            is left exactly as it was.
    """

    def __init__(self, path: Path | str, *, create: bool = True, read_only: bool = False) -> None:
        if not isinstance(path, Path | str):  # Python's own TypeError names no store
            raise InvalidStore(Path(repr(path)[:80]), "is not a path: name the store file")
        self.path = Path(path)
        self.read_only = read_only
        self.upgraded_from: int | None = None
        """The schema this open brought the store up from (None: it was current, or new)."""
        self.not_compacted: str | None = None
        """Why the store could not be compacted after its upgrade (None: it was, or needed not
        be); the upgrade stands and later submits reuse the free pages."""
        self._bulk_connection: Bulk | None = None
        try:
            self._uri = _uri(self.path, mode="ro" if read_only else "rw")
        except OSError as error:
            raise InvalidStore(self.path, "is a loop of links, not a store file") from error
        exists = existing_database(self.path)
        if not exists and (read_only or not create):
            raise InvalidStore(self.path, "no store here yet: `mission submit` creates one")
        beside = [self.path.with_name(f"{self.path.name}-{end}") for end in ("wal", "shm")]
        there = [p.exists() for p in beside]
        try:
            if exists:
                self._check_readable()
            self._db = self._open_read_only() if read_only else self._open_for_writing()
        except sqlite3.DatabaseError as error:
            _tidy(beside, there)
            raise InvalidStore(self.path, f"is not a usable store: {error}") from error
        except InvalidStore:
            _tidy(beside, there)
            raise

    def _check_readable(self) -> None:
        """Read the file without changing a byte, and refuse it unless it is a store we know."""
        db = self._open_read_only()
        try:
            version = schema_version(db, self.path)
            if version > SCHEMA_VERSION:
                raise InvalidStore(
                    self.path,
                    f"was made by a newer mission (schema {version}; this one knows "
                    f"{SCHEMA_VERSION}): upgrade mission. The store was not changed.",
                )
            if version and db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise InvalidStore(self.path, "is damaged (SQLite's check failed); not changed")
            if self.read_only and version == 0:
                raise InvalidStore(
                    self.path,
                    "holds no store's tables (an SQLite file mission did not make, or an empty "
                    "one): `mission submit` makes a store; the file was not changed",
                )
            if self.read_only and 0 < version < SCHEMA_VERSION:
                # Reading needs the current tables, and a read must not rewrite the file.
                raise InvalidStore(
                    self.path,
                    f"was made by an older mission (schema {version}; this one reads "
                    f"{SCHEMA_VERSION}): upgrade it in place with `mission upgrade --store "
                    f"{self.path}` (any `mission submit` does too). The store was not changed.",
                )
            if not self.read_only and 0 < version < SCHEMA_VERSION:
                check_upgradable(db, self.path, version)
        finally:
            db.close()

    def _open_read_only(self) -> sqlite3.Connection:
        try:
            db = self._connect_for_reading()
        except sqlite3.OperationalError:
            # A store in a folder we may not write to cannot make its WAL index: read the file
            # as it is, trusting no one else writes to it meanwhile. Commits still in the
            # write-ahead log would be missed that way: refuse rather than show old rows.
            wal = self.path.with_name(f"{self.path.name}-wal")
            if wal.exists() and wal.stat().st_size > 0:
                raise InvalidStore(
                    self.path,
                    f"has accepted returns still in {wal.name}, which only someone who can "
                    "write to its folder can read in: open the store once with write access "
                    "(any mission command), or copy it with `sqlite3 STORE '.backup COPY'`; "
                    "nothing was read",
                ) from None
            self._uri = _uri(self.path, immutable="1")
            db = sqlite3.connect(self._uri, uri=True, isolation_level=None)
        return db

    def _connect_for_reading(self) -> sqlite3.Connection:
        """A connection that cannot write (`query_only`), opened read-write where the file and
        its folder allow it: SQLite itself then removes the write-ahead log and its index
        that reading made, when the last connection to the store closes (an `ro` connection
        may not, and left them beside the store after every `history` and `export`)."""
        writable = os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK)
        mode = "rw" if writable else "ro"
        db = sqlite3.connect(_uri(self.path, mode=mode), uri=True, isolation_level=None)
        try:
            db.execute("PRAGMA query_only = ON")
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error:
            db.close()
            raise
        return db

    def _open_for_writing(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            db.execute("PRAGMA foreign_keys = ON")
            mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise InvalidStore(self.path, f"cannot use write-ahead logging (mode {mode})")
            db.execute("PRAGMA synchronous = FULL")
            db.execute("BEGIN IMMEDIATE")
            try:
                version = schema_version(db, self.path)
                if version < SCHEMA_VERSION:
                    migrate(db, version)
                    self.upgraded_from = version or None
            except DamagedRows as error:
                db.execute("ROLLBACK")
                raise InvalidStore(
                    self.path, f"cannot be upgraded: {error}; the store was not changed"
                ) from error
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
            if self.upgraded_from is not None:
                self._compact(db)
        except sqlite3.OperationalError as error:
            db.close()
            raise StoreFailed(self.path, f"cannot be written ({error})") from error
        except BaseException:
            db.close()
            raise
        return db

    def _compact(self, db: sqlite3.Connection) -> None:
        """Give back the pages the upgrade freed (the old tables of rows, most of the file):
        after the upgrade has committed, so a failure here leaves it upgraded, only larger."""
        try:
            db.execute("VACUUM")
        except sqlite3.OperationalError as error:
            self.not_compacted = str(error)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        if self._bulk_connection is not None:
            self._bulk_connection.close()
            self._bulk_connection = None
        self._db.close()

    def _bulk(self) -> Bulk:
        """The ADBC connection that moves rows in and out, opened on first use."""
        if self._bulk_connection is None:
            try:
                self._bulk_connection = Bulk(self._uri, read_only=self.read_only)
            except BulkError as error:
                raise StoreFailed(self.path, f"cannot be opened ({error})") from error
        return self._bulk_connection

    @contextmanager
    def _writing(self) -> Iterator[Bulk]:
        """One write transaction: everything in the block lands, or none of it does."""
        bulk = self._bulk()
        try:
            with bulk.transaction():
                yield bulk
        except BulkError as error:
            raise StoreFailed(self.path, f"could not be written ({error})") from error

    @property
    def schema_version(self) -> int:
        return schema_version(self._db, self.path)

    def integrity_check(self) -> str:
        """SQLite's own check of the whole file: 'ok' when sound."""
        return str(self._db.execute("PRAGMA integrity_check").fetchone()[0])

    # --- submit ------------------------------------------------------------------------------

    def submit(
        self,
        paths: Iterable[Path | str | NamedBytes] | Path | str | NamedBytes,
        *,
        by: str | None = None,
        strict: bool = False,
        limits: Limits | None = None,
        now: dt.datetime | None = None,
    ) -> list[SubmitOutcome]:
        """Validate the files together and accept the valid ones in one transaction.

        Invalid files are rejected and change nothing, and so are valid files of this call
        that share a (kind, ADP, period) slice: the store keeps one return per slice. A crash
        leaves either every file this call accepted in the store, or none of them.
        """
        # Imported here: reading a store (export, history) needs none of validation.
        from mission.checking import check_files
        from mission.dataset import find_dataset
        from mission.readers import NamedBytes
        from mission.store.accept import Sending, accept, one_return_per_slice, rejected

        if self.read_only:
            raise StoreFailed(self.path, "was opened read-only")
        items = [paths] if isinstance(paths, Path | str | NamedBytes) else list(paths)
        earlier = {Kind.OST: self.export(Kind.OST).select("adp", "period", "total")}
        checked = one_return_per_slice(
            check_files(
                items,
                strict=strict,
                limits=limits,
                earlier=earlier,
                people_elsewhere=self._stored_people,
            )
        )
        moment = now or dt.datetime.now(dt.UTC)
        sending = Sending(by or _user(), moment, find_dataset(_local(items)))
        outcomes: list[SubmitOutcome | None] = []
        with self._writing() as bulk:
            for item in checked:
                outcomes.append(accept(bulk, item, sending))
        return [o if o is not None else rejected(c) for o, c in zip(outcomes, checked, strict=True)]

    # --- reading -----------------------------------------------------------------------------

    def first_submitted(self) -> dt.datetime | None:
        """When the store accepted its first submission (None: it holds none)."""
        (first,) = self._db.execute("SELECT min(submitted_us) FROM submissions").fetchone()
        if first is None:
            return None
        return dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=int(first))

    def history(
        self,
        *,
        adp: str | None = None,
        kind: Kind | str | None = None,
        period: str | None = None,
    ) -> list[HistoryEntry]:
        """Every submission (newest first) touching the ADP (any name it goes by), kind and
        period given: its ADPs, periods and rows are the whole file's; its slice counts (and so
        its status) are those of the ADP and period asked for.

        Raises:
            InvalidAdp: the ADP is unknown or ambiguous.
            InvalidPeriod: the period is none the contract knows.
        """
        where, args = ["1 = 1"], []
        if adp:
            adp = match_adp(adp, suggest=False).adp.code  # a name as the CLI takes it
        if period:
            period = canonical_period(period)
        if kind:
            where.append("s.kind = ?")
            args.append(kind_spec(kind).name)
        if adp:
            where.append("c.adp = ?")
            args.append(adp)
        if period:
            where.append("c.period = ?")
            args.append(period)
        rows = self._db.execute(
            f"""SELECT s.id, s.submitted_at, s.submitted_by, s.file_name, s.sha256, s.kind,
                   s.spec_version, s.rows, s.errors, s.warnings,
                   (SELECT group_concat(DISTINCT a.adp) FROM slices a
                    WHERE a.submission_id = s.id),
                   (SELECT group_concat(DISTINCT a.period) FROM slices a
                    WHERE a.submission_id = s.id),
                   sum(c.superseded_by IS NULL), sum(c.superseded_by IS NOT NULL),
                   group_concat(DISTINCT c.superseded_by)
            FROM submissions s JOIN slices c ON c.submission_id = s.id
            WHERE {" AND ".join(where)}
            GROUP BY s.id ORDER BY s.id DESC""",
            args,
        ).fetchall()
        return [_history_entry(r) for r in rows]

    def export(
        self,
        kind: Kind | str,
        *,
        as_of: dt.datetime | dt.date | str | None = None,
        include_person_ids: bool = False,
    ) -> pl.DataFrame:
        """The accepted rows of a kind as they stood at the instant `as_of` (now by default).

        For each (ADP, period) slice, the rows of the latest submission made by then. A naive
        `as_of` is taken as UTC, a date as the end of that day (UTC), text as `--as-of` takes
        it. Person ids are left out of episodes unless asked for.

        Raises:
            InvalidPeriod: `as_of` is not a date, a date and time, or text naming one.
        """
        spec = kind_spec(kind)
        columns = [c.name for c in spec.columns if include_person_ids or not c.private]
        return self._latest(spec, columns, None if as_of is None else moment_of(as_of))

    def _stored_people(self) -> list[tuple[pl.DataFrame, Sequence[str]]]:
        """The person ids of every return of people's records accepted so far (a cell a new
        return's finding quotes is withheld if it is one of them): their columns alone."""
        kinds = [kind.spec for kind in Kind if kind.spec.record_level]
        return [(self._every_revision(spec, list(spec.private)), spec.private) for spec in kinds]

    def _every_revision(self, spec: KindSpec, columns: list[str]) -> pl.DataFrame:
        """The `columns` of every row the store holds of a kind, superseded revisions too: an
        id that left the latest returns is still a person's, and still in the store."""
        try:
            chosen = self._db.execute(
                """SELECT c.submission_id, c.row_offset, c.row_count FROM slices c
                WHERE c.kind = ? ORDER BY c.submission_id, c.row_offset""",
                (spec.name,),
            ).fetchall()
            return assemble(spec, chosen, columns, self._kept)
        except (sqlite3.Error, DamagedRows) as error:
            raise StoreFailed(self.path, f"could not be read ({error})") from error

    def _latest(
        self, spec: KindSpec, columns: list[str], as_of: dt.datetime | None
    ) -> pl.DataFrame:
        """The `columns` of the accepted rows of a kind as they stood at `as_of`."""
        instant = microseconds(as_of or dt.datetime.now(dt.UTC))
        try:
            # For each slice the row of its latest submission by then (SQLite gives a bare
            # column the values of the row that holds the max), in the order export sorts by.
            chosen = self._db.execute(
                """SELECT max(c.submission_id), c.row_offset, c.row_count
                FROM slices c JOIN submissions s ON s.id = c.submission_id
                WHERE c.kind = ? AND s.submitted_us <= ?
                GROUP BY c.adp, c.period ORDER BY c.adp, c.period""",
                (spec.name, instant),
            ).fetchall()
            self._check_every_submission_has_slices(spec.name)
            return assemble(spec, chosen, columns, self._kept)
        except (sqlite3.Error, DamagedRows) as error:
            raise StoreFailed(self.path, f"could not be read ({error})") from error

    def _check_every_submission_has_slices(self, kind: str) -> None:
        """Raises DamagedRows when a submission of `kind` kept rows but has no slice of that kind
        left: its slices were lost or moved, and an earlier revision would be served in their
        place."""
        lost = self._db.execute(
            """SELECT r.submission_id FROM submission_rows r
            JOIN submissions s ON s.id = r.submission_id
            WHERE s.kind = ? AND NOT EXISTS
                (SELECT 1 FROM slices c WHERE c.submission_id = r.submission_id
                 AND c.kind = s.kind)
            LIMIT 1""",
            (kind,),
        ).fetchone()
        if lost is not None:
            raise DamagedRows(f"submission {lost[0]} keeps rows but none of its slices")

    def _kept(self, submission: int) -> Kept:
        """A submission's Parquet, checked against its digest, and every slice of it."""
        row = self._db.execute(
            "SELECT parquet, sha256 FROM submission_rows WHERE submission_id = ?", (submission,)
        ).fetchone()
        if row is None or not isinstance(row[0], bytes):
            raise DamagedRows(f"the rows of submission {submission} are missing")
        laid = self._db.execute(
            "SELECT kind, adp, period, row_offset, row_count FROM slices WHERE submission_id = ?",
            (submission,),
        ).fetchall()
        blob = verified(submission, row[0], laid, str(row[1]))
        return Kept(blob, [tuple(item[1:]) for item in laid])

    def returns(self, as_of: dt.datetime | dt.date | str | None = None) -> Returns:
        """The latest accepted revision of every return (as they stood at `as_of`, read as
        `export` reads it), ready for `progress`, with what their data sets said of themselves
        (synthetic or not)."""
        as_of = None if as_of is None else moment_of(as_of)
        frames = {}
        for spec in kinds():
            frame = self.export(spec.kind, as_of=as_of, include_person_ids=True)
            if frame.height:
                frames[spec.kind] = frame
        return Returns(frames=frames, dataset=self._dataset(as_of))

    def _dataset(self, as_of: dt.datetime | None) -> Dataset | None:
        """The data sets of the submissions whose slices stood at `as_of`, read together."""
        instant = microseconds(as_of or dt.datetime.now(dt.UTC))
        rows = self._db.execute(
            """SELECT DISTINCT s.dataset FROM submissions s WHERE s.dataset IS NOT NULL
               AND s.id IN (SELECT max(c.submission_id) FROM slices c
                            JOIN submissions t ON t.id = c.submission_id
                            WHERE t.submitted_us <= ? GROUP BY c.kind, c.adp, c.period)""",
            (instant,),
        ).fetchall()
        found: Dataset | None = None
        for (text,) in rows:
            dataset = Dataset(**json.loads(text))
            found = dataset if found is None else found.joined(dataset)
        return found


def _local(items: list[Path | str | NamedBytes]) -> list[Path]:
    from mission.readers import NamedBytes

    return [Path(i) for i in items if not isinstance(i, NamedBytes)]


def _tidy(files: list[Path], there: list[bool]) -> None:
    """Remove the log files SQLite made while a refused store was read (an empty log, and its
    index): a refused file is left as it was found, with nothing new beside it."""
    wal, shm = files
    made_wal, made_shm = (not existed for existed in there)
    if made_wal and wal.exists() and wal.stat().st_size == 0:
        wal.unlink(missing_ok=True)
    if made_shm and not wal.exists():
        shm.unlink(missing_ok=True)


def _history_entry(r: tuple[object, ...]) -> HistoryEntry:
    from mission.store.models import HistoryEntry

    return HistoryEntry(
        id=r[0],
        submitted_at=dt.datetime.fromisoformat(str(r[1])),
        submitted_by=r[2],
        file_name=r[3],
        sha256=r[4],
        kind=r[5],
        spec_version=r[6],
        rows=r[7],
        errors=r[8],
        warnings=r[9],
        adps=tuple(sorted(str(r[10] or "").split(","))),
        periods=tuple(sorted(str(r[11] or "").split(","))),
        current_slices=r[12],
        superseded_slices=r[13],
        superseded_by=tuple(sorted(int(x) for x in str(r[14] or "").split(",") if x)),
    )


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
