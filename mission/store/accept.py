"""Writing one valid return into the store, inside the submit's transaction, all through Arrow.

A return becomes a `submissions` row, one `slices` row per (ADP, period) it covers (marking the
slices it replaces as superseded), and its rows: one Parquet file in slice order (`rows.py`), so
each slice is a run of rows in it that export reads without a scattered walk.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from mission.checking import CheckedReturn
from mission.columns import ROW
from mission.dataset import Dataset
from mission.findings import CATALOGUE, Finding, finding
from mission.kinds import SPEC_VERSION, KindSpec
from mission.readers import NamedBytes
from mission.store.bulk import Bulk
from mission.store.models import SubmitOutcome
from mission.store.rows import SOURCE_ROW, blob_digest, per_distinct, to_parquet
from mission.store.schema import microseconds
from mission.text import safe_text

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    import polars as pl

__all__ = ["Sending", "accept", "one_return_per_slice", "rejected"]


@dataclass(frozen=True)
class Sending:
    """Who sent a submit's returns, when, and what data set they say they belong to."""

    by: str
    moment: dt.datetime
    dataset: Dataset | None = None


def accept(bulk: Bulk, item: CheckedReturn, sending: Sending) -> SubmitOutcome | None:
    """Store one valid return (None when it is not valid and must be rejected)."""
    import polars as pl

    frame = item.frame
    if not item.valid or frame is None or item.kind is None or item.source is None:
        return None
    spec = item.kind.spec
    digest = _digest(item.source)
    same = bulk.query(
        # The same bytes are a no-op only while every slice they gave is still current: once
        # a later return replaced any of them, sending these again restores them.
        "SELECT s.id FROM submissions s WHERE s.kind = ? AND s.sha256 = ? AND NOT EXISTS "
        "(SELECT 1 FROM slices c WHERE c.submission_id = s.id AND c.superseded_by IS NOT NULL) "
        "LIMIT 1",
        pl.DataFrame({"kind": [spec.name], "sha256": [digest]}),
    )
    if same.height:
        earlier = int(same.item(0, 0))
        return SubmitOutcome(
            path=item.file,
            status="unchanged",
            kind=spec.name,
            submission_id=earlier,
            rows=frame.height,
            message=f"the same content is already accepted as submission {earlier}",
            report=item.report,
        )
    rows = _in_slice_order(spec, frame)
    slices = (
        rows.group_by("adp", "slice_period")
        .agg(row_offset=pl.col("position").min(), row_count=pl.len().cast(pl.Int64))
        .sort("adp", "slice_period")
    )
    submission = _insert_submission(bulk, item, spec, digest, sending, frame.height)
    superseded = _supersede(bulk, spec, submission, slices)
    blob = to_parquet(spec, rows)
    bulk.execute(
        "INSERT INTO submission_rows(submission_id, sha256, parquet) VALUES (?, ?, ?)",
        pl.DataFrame(
            {
                "submission_id": [submission],
                "sha256": [
                    blob_digest(
                        submission,
                        blob,
                        slices.select(
                            pl.lit(spec.name), "adp", "slice_period", "row_offset", "row_count"
                        ).rows(),
                    )
                ],
                "parquet": [blob],
            },
            schema={"submission_id": pl.Int64, "sha256": pl.String, "parquet": pl.Binary},
        ),
    )
    replaced = f"; supersedes {', '.join(f'#{s}' for s in superseded)}" if superseded else ""
    return SubmitOutcome(
        path=item.file,
        status="accepted",
        kind=spec.name,
        submission_id=submission,
        rows=frame.height,
        superseded=tuple(superseded),
        message=f"as submission {submission}: {frame.height:,} "
        f"row(s) in {slices.height} slice(s){replaced}",
        report=item.report,
    )


def one_return_per_slice(checked: Sequence[CheckedReturn]) -> list[CheckedReturn]:
    """The files of one submit, each valid one that shares a (kind, ADP, period) slice with
    another valid one made invalid by an error naming that file and the slice.

    The store keeps one return per slice and a later one replaces it whole, so of two files of
    one submit for the same slice (a return split by supply source, say) only the second would
    count, though both were said to be accepted: neither is stored, and the rest land as usual.
    """
    holders: defaultdict[tuple[str, str, str], list[int]] = defaultdict(list)
    for index, item in enumerate(checked):
        for key in _slices(item):
            holders[key].append(index)
    shared: defaultdict[int, defaultdict[int, list[tuple[str, str, str]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for key, indexes in sorted(holders.items()):
        for index in indexes:
            for other in indexes:
                if other != index:
                    shared[index][other].append(key)
    found = list(checked)
    for index, others in shared.items():
        item = found[index]
        extra = tuple(
            _same_slice(item.file, checked[other].file, keys) for other, keys in others.items()
        )
        report = item.report
        found[index] = replace(
            item,
            report=replace(
                report,
                valid=False,
                errors=report.errors + len(extra),
                findings=extra + report.findings,
            ),
        )
    return found


def _slices(item: CheckedReturn) -> list[tuple[str, str, str]]:
    """The (kind, ADP, period) slices a valid return would be stored as (none if invalid)."""
    import polars as pl

    frame = item.frame
    if not item.valid or frame is None or item.kind is None:
        return []
    spec = item.kind.spec
    keys = frame.select(
        pl.col("adp").cast(pl.String), _slice_period(spec, frame).alias("period")
    ).unique()
    return [(spec.name, str(adp), str(period)) for adp, period in keys.iter_rows()]


def _same_slice(file: str, other: str, keys: list[tuple[str, str, str]]) -> Finding:
    kind, adp, period = keys[0]
    more = f" (and {len(keys) - 1} more slice(s) they share)" if len(keys) > 1 else ""
    return finding(
        "slice-in-two-files",
        f"{kind} for {adp} {period} is also in {other}{more}: the store keeps one return per "
        "kind, ADP and period; combine them into one file",
        file,
        value=f"{adp}, {period}",
        hint=CATALOGUE["slice-in-two-files"].fix,
    )


def rejected(item: CheckedReturn) -> SubmitOutcome:
    """The outcome of a return that was not valid: nothing of it is stored."""
    report = item.report
    return SubmitOutcome(
        path=item.file,
        status="rejected",
        kind=item.kind.value if item.kind else None,
        message=f"{report.errors} error(s), {report.warnings} warning(s); nothing was stored",
        report=report,
    )


def _insert_submission(
    bulk: Bulk,
    item: CheckedReturn,
    spec: KindSpec,
    digest: str,
    sending: Sending,
    rows: int,
) -> int:
    import polars as pl

    report = item.report
    values = {
        "sha256": digest,
        "file_name": _file_name(item),
        "kind": spec.name,
        "submitted_by": sending.by,
        "submitted_at": sending.moment.isoformat(timespec="microseconds"),
        "submitted_us": microseconds(sending.moment),
        "spec_version": SPEC_VERSION,
        "rows": rows,
        "errors": report.errors,
        "warnings": report.warnings,
        "infos": report.infos,
        "dataset": json.dumps(sending.dataset.to_dict()) if sending.dataset else None,
    }
    bulk.execute(
        f"INSERT INTO submissions({', '.join(values)}) VALUES ({_marks(len(values))})",
        pl.DataFrame(
            {name: [value] for name, value in values.items()},
            schema_overrides={"dataset": pl.String},
        ),
    )
    return int(bulk.query("SELECT last_insert_rowid()").item(0, 0))


def _in_slice_order(spec: KindSpec, frame: pl.DataFrame) -> pl.DataFrame:
    """The rows as stored: in slice order, each with its `position` in that order."""
    import polars as pl

    rows = frame.select(
        pl.col(ROW).alias(SOURCE_ROW),
        _slice_period(spec, frame).alias("slice_period"),
        *(pl.col(c.name) for c in spec.columns),
    )
    # Sorting text compares strings; the same order as categories sorted by name compares codes.
    order = [
        pl.col(c)
        .cast(pl.String)
        .cast(pl.Enum(rows[c].cast(pl.String).unique().drop_nulls().sort()))
        for c in _SLICE
    ]
    return rows.sort(*order, maintain_order=True).with_columns(
        position=pl.int_range(0, rows.height, dtype=pl.Int64)
    )


_SLICE = ("adp", "slice_period")


def _slice_period(spec: KindSpec, frame: pl.DataFrame) -> pl.Expr:
    """The period of the slice each row is stored in, as text: one definition for storing rows
    and for finding two files of one submit that would fill the same slice."""
    import polars as pl

    return per_distinct(frame, spec.slice_period().cast(pl.String))


def _supersede(bulk: Bulk, spec: KindSpec, submission: int, slices: pl.DataFrame) -> list[int]:
    """Mark the current slices with these keys as replaced by `submission`, and add its own."""
    import polars as pl

    rows = slices.select(
        pl.lit(submission).alias("submission_id"),
        pl.lit(spec.name).alias("kind"),
        "adp",
        pl.col("slice_period").alias("period"),
        "row_offset",
        "row_count",
    )
    bulk.execute("CREATE TEMP TABLE IF NOT EXISTS incoming (adp TEXT, period TEXT)")
    bulk.execute("DELETE FROM incoming")
    bulk.execute("INSERT INTO incoming(adp, period) VALUES (?, ?)", rows.select("adp", "period"))
    current = (
        "kind = ?1 AND superseded_by IS NULL "
        "AND (adp, period) IN (SELECT adp, period FROM incoming)"
    )
    kind = pl.DataFrame({"kind": [spec.name]})
    superseded = bulk.query(f"SELECT DISTINCT submission_id FROM slices WHERE {current}", kind)
    bulk.execute(
        f"UPDATE slices SET superseded_by = ?2 WHERE {current}",
        pl.DataFrame({"kind": [spec.name], "submission_id": [submission]}),
    )
    bulk.execute(
        "INSERT INTO slices(submission_id, kind, adp, period, row_offset, row_count) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )
    return sorted(int(s) for s in superseded.to_series())


def _marks(count: int) -> str:
    return ", ".join("?" for _ in range(count))


def _digest(source: Path | NamedBytes) -> str:
    """The SHA-256 of what was submitted: the bytes given, or the file's bytes."""
    if isinstance(source, NamedBytes):
        return hashlib.sha256(source.data).hexdigest()
    digest = hashlib.sha256()
    with source.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _file_name(item: CheckedReturn) -> str:
    """The file's name as the store keeps it: a byte that is not UTF-8 (an old Windows share's
    name) as its visible escape (`caf\\udce9.csv`), as every report shows it."""
    source = item.source
    name = source.name if isinstance(source, NamedBytes) else getattr(source, "name", item.file)
    return safe_text(name, limit=2000)
