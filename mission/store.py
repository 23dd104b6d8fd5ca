"""The returns store: accepted returns and every earlier revision, safely, in one SQLite file.

Each submit is one transaction (WAL mode, `BEGIN IMMEDIATE`), so a crash or a kill leaves the store
as it was before or after, never between, and two people submitting at once both land, one after
the other. Only valid returns are accepted. A return is split into slices, one per (kind, ADP,
period); a later submission with the same slice supersedes the earlier one, which is kept for
audit. Progress reads the latest revision of every slice; `export --as-of` reads them as they
stood at a moment.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, field_validator

from mission.errors import MissionError
from mission.findings import safe_text
from mission.limits import Limits
from mission.reading import ROW
from mission.report import FileReport
from mission.returns import Returns
from mission.spec import SPEC_VERSION, ColumnType, KindSpec, kind_spec, kinds

if TYPE_CHECKING:
    import polars as pl

__all__ = ["HistoryEntry", "InvalidStore", "Store", "SubmitOutcome", "store_path"]

SCHEMA_VERSION = 1
STORE_ENV = "MISSION_STORE"
BUSY_TIMEOUT_MS = 60_000
_SQL_TYPES = {
    ColumnType.COUNT: "INTEGER",
    ColumnType.STANDARD: "INTEGER",
    ColumnType.CALENDAR_YEAR: "INTEGER",
}
_SLICE_PERIOD = {"mat": "year", "deaths": "calendar_year"}


class InvalidStore(MissionError):
    """A store file that cannot be used: corrupt, not a store, or made by a newer mission."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        super().__init__(f"{path}: {problem}")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SubmitOutcome(_Frozen):
    """What happened to one submitted file."""

    path: str
    status: Literal["accepted", "unchanged", "rejected"]
    message: str
    submission_id: int | None = None
    kind: str | None = None
    rows: int = 0
    superseded: tuple[int, ...] = ()
    report: FileReport

    @field_validator("path", "message")
    @classmethod
    def _safe(cls, text: str) -> str:
        return safe_text(text, limit=2000)


class HistoryEntry(_Frozen):
    """One submission, with the slices it holds and whether each is still current."""

    id: int
    submitted_at: dt.datetime
    submitted_by: str
    file_name: str
    sha256: str
    kind: str
    spec_version: int
    rows: int
    errors: int
    warnings: int
    adps: tuple[str, ...]
    periods: tuple[str, ...]
    current_slices: int
    superseded_slices: int
    superseded_by: tuple[int, ...]

    @field_validator("file_name", "submitted_by")
    @classmethod
    def _safe(cls, text: str) -> str:
        return safe_text(text, limit=500)

    @property
    def status(self) -> str:
        if self.superseded_slices == 0:
            return "current"
        if self.current_slices == 0:
            return "superseded"
        return "partly superseded"


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
    raise InvalidStore(Path("."), f"no store given: pass --store PATH or set {STORE_ENV}")


def _columns(spec: KindSpec) -> list[str]:
    return list(spec.names)


def _table_sql(spec: KindSpec) -> str:
    columns = ",\n    ".join(f"{c.name} {_SQL_TYPES.get(c.type, 'TEXT')}" for c in spec.columns)
    return f"""CREATE TABLE IF NOT EXISTS rows_{spec.name} (
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    source_row INTEGER NOT NULL,
    slice_period TEXT NOT NULL,
    {columns}
);
CREATE INDEX IF NOT EXISTS rows_{spec.name}_slice
    ON rows_{spec.name}(submission_id, adp, slice_period);"""


_MIGRATIONS: dict[int, str] = {
    1: """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL,
    file_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    submitted_by TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    spec_version INTEGER NOT NULL,
    rows INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    warnings INTEGER NOT NULL,
    infos INTEGER NOT NULL
);
CREATE INDEX submissions_sha ON submissions(kind, sha256);
CREATE TABLE slices (
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    kind TEXT NOT NULL,
    adp TEXT NOT NULL,
    period TEXT NOT NULL,
    superseded_by INTEGER REFERENCES submissions(id),
    PRIMARY KEY (submission_id, adp, period)
);
CREATE INDEX slices_current ON slices(kind, adp, period, superseded_by);
"""
    + "\n".join(_table_sql(spec) for spec in kinds()),
}


class Store:
    """An SQLite store of accepted returns. Use as a context manager, or call `close()`.

    Raises:
        InvalidStore: the file is corrupt, not a store, or from a newer mission.
    """

    def __init__(self, path: Path | str, *, create: bool = True) -> None:
        self.path = Path(path)
        if not create and not self.path.exists():
            raise InvalidStore(self.path, "no store here yet: `mission submit` creates one")
        self._check_header()
        try:
            self._db = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
            )
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._db.execute("PRAGMA foreign_keys = ON")
            mode = self._db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise InvalidStore(self.path, f"cannot use write-ahead logging (mode {mode})")
            self._db.execute("PRAGMA synchronous = FULL")
            self._migrate()
        except sqlite3.DatabaseError as error:
            raise InvalidStore(self.path, f"is not a usable store: {error}") from error

    def _check_header(self) -> None:
        if not self.path.exists() or self.path.stat().st_size == 0:
            return
        with self.path.open("rb") as handle:
            header = handle.read(16)
        if header != b"SQLite format 3\x00":
            raise InvalidStore(
                self.path, "is not a mission store (not an SQLite database); it was not changed"
            )

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _version(self) -> int:
        exists = self._db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
        ).fetchone()
        if not exists:
            tables = self._db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if tables:
                raise InvalidStore(self.path, "is an SQLite database but not a mission store")
            return 0
        row = self._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    def _migrate(self) -> None:
        with self._transaction() as db:
            version = self._version()
            if version > SCHEMA_VERSION:
                raise InvalidStore(
                    self.path,
                    f"was made by a newer mission (schema {version}; this one knows "
                    f"{SCHEMA_VERSION}): upgrade mission. The store was not changed.",
                )
            for step in range(version + 1, SCHEMA_VERSION + 1):
                for statement in _MIGRATIONS[step].split(";"):
                    if statement.strip():
                        db.execute(statement)
            db.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)",
                (str(SCHEMA_VERSION),),
            )

    @property
    def schema_version(self) -> int:
        return self._version()

    def integrity_check(self) -> str:
        """SQLite's own check of the whole file: 'ok' when sound."""
        return str(self._db.execute("PRAGMA integrity_check").fetchone()[0])

    # --- submit ------------------------------------------------------------------------------

    def submit(
        self,
        paths: Iterable[Path | str],
        *,
        by: str | None = None,
        strict: bool = False,
        limits: Limits | None = None,
        now: dt.datetime | None = None,
    ) -> list[SubmitOutcome]:
        """Validate and accept each file; invalid ones are rejected and change nothing."""
        from mission.validation import _check_all, add_changes_against, collect_files

        by = by or _user()
        outcomes = []
        for path in collect_files(Path(p) for p in paths):
            checked = _check_all([path], None, limits, None, None)[0]
            if checked.kind == "ost" and checked.frame is not None:
                add_changes_against(checked, self.export("ost").select("adp", "period", "total"))
            report = checked.report(strict)
            if not report.valid or checked.frame is None or checked.kind is None:
                outcomes.append(
                    SubmitOutcome(
                        path=str(path),
                        status="rejected",
                        kind=checked.kind,
                        message=f"rejected: {report.errors} error(s), "
                        f"{report.warnings} warning(s); nothing was stored",
                        report=report,
                    )
                )
                continue
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            outcomes.append(
                self._accept(path, checked.kind, checked.frame, digest, report, by, now)
            )
        return outcomes

    def _accept(
        self,
        path: Path,
        kind: str,
        frame: pl.DataFrame,
        digest: str,
        report: FileReport,
        by: str,
        now: dt.datetime | None,
    ) -> SubmitOutcome:
        import polars as pl

        spec = kind_spec(kind)
        frame = frame.with_columns(slice_period=_slice_period(spec, frame))
        slices = frame.select("adp", "slice_period").unique().sort("adp", "slice_period")
        with self._transaction() as db:
            same = db.execute(
                "SELECT s.id FROM submissions s WHERE s.kind = ? AND s.sha256 = ? AND EXISTS "
                "(SELECT 1 FROM slices c WHERE c.submission_id = s.id AND c.superseded_by IS NULL)",
                (kind, digest),
            ).fetchone()
            if same:
                return SubmitOutcome(
                    path=str(path),
                    status="unchanged",
                    kind=kind,
                    submission_id=int(same[0]),
                    rows=frame.height,
                    message=f"unchanged: the same content is already accepted "
                    f"as submission {same[0]}",
                    report=report,
                )
            stamp = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="microseconds")
            cursor = db.execute(
                "INSERT INTO submissions(sha256, file_name, kind, submitted_by, submitted_at, "
                "spec_version, rows, errors, warnings, infos) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    digest,
                    path.name,
                    kind,
                    by,
                    stamp,
                    SPEC_VERSION,
                    frame.height,
                    report.errors,
                    report.warnings,
                    report.infos,
                ),
            )
            submission = int(cursor.lastrowid or 0)
            keys = list(slices.iter_rows())
            superseded = sorted(
                {
                    int(row[0])
                    for adp, period in keys
                    for row in db.execute(
                        "SELECT submission_id FROM slices WHERE kind = ? AND adp = ? "
                        "AND period = ? AND superseded_by IS NULL",
                        (kind, adp, period),
                    )
                }
            )
            db.executemany(
                "UPDATE slices SET superseded_by = ? WHERE kind = ? AND adp = ? AND period = ? "
                "AND superseded_by IS NULL",
                [(submission, kind, adp, period) for adp, period in keys],
            )
            db.executemany(
                "INSERT INTO slices(submission_id, kind, adp, period) VALUES (?,?,?,?)",
                [(submission, kind, adp, period) for adp, period in keys],
            )
            columns = ["submission_id", "source_row", "slice_period", *_columns(spec)]
            stored = frame.select(
                pl.lit(submission).alias("submission_id"),
                pl.col(ROW).alias("source_row"),
                "slice_period",
                *(
                    pl.col(c.name).cast(pl.String) if c.type is ColumnType.DATE else pl.col(c.name)
                    for c in spec.columns
                ),
            )
            marks = ", ".join("?" for _ in columns)
            db.executemany(
                f"INSERT INTO rows_{kind}({', '.join(columns)}) VALUES ({marks})",
                stored.iter_rows(),
            )
        replaced = f"; supersedes {', '.join(f'#{s}' for s in superseded)}" if superseded else ""
        return SubmitOutcome(
            path=str(path),
            status="accepted",
            kind=kind,
            submission_id=submission,
            rows=frame.height,
            superseded=tuple(superseded),
            message=f"accepted as submission {submission}: {frame.height:,} "
            f"row(s) in {len(keys)} slice(s){replaced}",
            report=report,
        )

    # --- reading -----------------------------------------------------------------------------

    def history(
        self, *, adp: str | None = None, kind: str | None = None, period: str | None = None
    ) -> list[HistoryEntry]:
        """Every submission (newest first) touching the ADP, kind and period given."""
        where, args = ["1 = 1"], []
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
                   group_concat(DISTINCT c.adp), group_concat(DISTINCT c.period),
                   sum(c.superseded_by IS NULL), sum(c.superseded_by IS NOT NULL),
                   group_concat(DISTINCT c.superseded_by)
            FROM submissions s JOIN slices c ON c.submission_id = s.id
            WHERE {" AND ".join(where)}
            GROUP BY s.id ORDER BY s.id DESC""",
            args,
        ).fetchall()
        return [
            HistoryEntry(
                id=r[0],
                submitted_at=dt.datetime.fromisoformat(r[1]),
                submitted_by=r[2],
                file_name=r[3],
                sha256=r[4],
                kind=r[5],
                spec_version=r[6],
                rows=r[7],
                errors=r[8],
                warnings=r[9],
                adps=tuple(sorted((r[10] or "").split(","))),
                periods=tuple(sorted((r[11] or "").split(","))),
                current_slices=r[12],
                superseded_slices=r[13],
                superseded_by=tuple(sorted(int(x) for x in (r[14] or "").split(",") if x)),
            )
            for r in rows
        ]

    def export(
        self,
        kind: str,
        *,
        as_of: dt.datetime | None = None,
        include_person_ids: bool = False,
    ) -> pl.DataFrame:
        """The accepted rows of a kind as they stood at `as_of` (now by default).

        For each (ADP, period) slice, the rows of the latest submission made by then. Person ids
        are left out of episodes unless asked for.
        """
        import polars as pl

        spec = kind_spec(kind)
        stamp = (as_of or dt.datetime.now(dt.UTC)).isoformat(timespec="microseconds")
        columns = [c for c in _columns(spec) if include_person_ids or not spec.column(c).private]
        query = f"""
            WITH chosen AS (
                SELECT c.adp, c.period, max(c.submission_id) AS submission_id
                FROM slices c JOIN submissions s ON s.id = c.submission_id
                WHERE c.kind = ? AND s.submitted_at <= ?
                GROUP BY c.adp, c.period
            )
            SELECT {", ".join(f"r.{c}" for c in columns)}
            FROM rows_{spec.name} r JOIN chosen ch
              ON r.submission_id = ch.submission_id AND r.adp = ch.adp
             AND r.slice_period = ch.period
            ORDER BY r.adp, r.slice_period, r.source_row"""
        rows = self._db.execute(query, (spec.name, stamp)).fetchall()
        schema = {c: _polars_type(spec, c) for c in columns}
        frame = pl.DataFrame(rows, schema=schema, orient="row")
        dates = [c.name for c in spec.columns if c.type is ColumnType.DATE and c.name in columns]
        return frame.with_columns(pl.col(d).str.to_date() for d in dates)

    def returns(self, as_of: dt.datetime | None = None) -> Returns:
        """The latest accepted revision of every return, ready for `progress`."""
        frames = {}
        for spec in kinds():
            frame = self.export(spec.name, as_of=as_of, include_person_ids=True)
            if frame.height:
                frames[spec.name] = frame
        return Returns.from_frames(frames)


def _polars_type(spec: KindSpec, name: str) -> pl.DataType:
    import polars as pl

    column = spec.column(name)
    if column.type in _SQL_TYPES:
        return pl.Int64()
    return pl.String()


def _slice_period(spec: KindSpec, frame: pl.DataFrame) -> pl.Expr:
    """The period a row belongs to, for supersession: its quarter, year, or referral quarter."""
    import polars as pl

    from mission.measures import quarter_index_expr, quarter_label_expr

    if spec.name == "episodes":
        return quarter_label_expr(quarter_index_expr(pl.col("referral_date")))
    return pl.col(_SLICE_PERIOD.get(spec.name, "period")).cast(pl.String)


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
