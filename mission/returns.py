"""A set of validated returns, ready for progress: one parsed table per kind.

Only valid files are used; a file with errors is left out, and the fact is kept as a note, so
progress never silently computes from a return that failed its checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from mission.dataset import Dataset, find_dataset
from mission.kinds import Kind
from mission.limits import Limits
from mission.readers import NamedBytes
from mission.report import Report
from mission.walk import given_paths

if TYPE_CHECKING:
    import polars as pl

__all__ = ["Returns", "load_returns"]


@dataclass(frozen=True)
class Returns:
    """Parsed rows of every valid return, by kind, with what was left out and why."""

    frames: Mapping[Kind, pl.DataFrame] = field(default_factory=dict)
    report: Report | None = None
    notes: tuple[str, ...] = ()
    dataset: Dataset | None = None
    """What the data set says about itself (`dataset.toml`): synthetic or not."""
    people_left_out: tuple[pl.DataFrame, ...] = ()
    """The person ids of record-level returns left out as invalid: still people's, so a
    publication never prints one (a population source), though their rows are not counted."""
    people_unnamed: tuple[pl.DataFrame, ...] = ()
    """The person ids valid returns hold in columns the contract does not name (headed as ids,
    `client_id`): not in `frames`, yet people's, so a publication never prints one either."""
    refused: Mapping[Kind, frozenset[tuple[str, str | None]]] = field(default_factory=dict)
    """The ADPs (by code) and periods of the rows of a kind in files left out as invalid (a
    record's period is its date's quarter; None where the period could not be read): an ADP
    that sent a return for a period is never said to have sent none (`no valid return` rather
    than `no return`)."""

    def __post_init__(self) -> None:
        # Frozen all the way down: the mapping of frames cannot be changed either.
        object.__setattr__(self, "frames", MappingProxyType(dict(self.frames)))
        object.__setattr__(self, "refused", MappingProxyType(dict(self.refused)))

    def __repr__(self) -> str:
        """Each kind's rows counted, never shown: rows of people's records hold person ids."""
        rows = ", ".join(
            f"{kind.value}: {frame.height:,} rows" for kind, frame in self.frames.items()
        )
        left = sum(1 for n in self.notes if "was left out" in n)
        return f"Returns({{{rows}}}, {len(self.notes)} note(s), {left} file(s) left out)"

    def get(self, kind: Kind) -> pl.DataFrame | None:
        return self.frames.get(kind)

    @classmethod
    def from_frames(cls, frames: Mapping[Kind, pl.DataFrame]) -> Returns:
        """Returns built from already-parsed tables (the store, or tests)."""
        return cls(frames=dict(frames))


def load_returns(
    paths: Iterable[Path | str | NamedBytes] | Path | str | NamedBytes,
    *,
    today: dt.date | None = None,
    limits: Limits | None = None,
) -> Returns:
    """Validate files and folders and keep the rows of the valid ones.

    A folder (or a file's folder) may hold a `dataset.toml` saying what the data set is
    (`mission.dataset`): it becomes `Returns.dataset`.

    Raises:
        InvalidPath: a path does not exist or a folder holds no returns.
        InvalidDataset: a `dataset.toml` beside the returns cannot be used.
    """
    import polars as pl

    from mission.checking import check_files
    from mission.id_columns import holds_unnamed

    checked = check_files(given_paths(paths), limits=limits, today=today)
    notes = []
    parts: dict[Kind, list[pl.DataFrame]] = {}
    people: list[pl.DataFrame] = []
    unnamed: list[pl.DataFrame] = []
    refused: dict[Kind, set[tuple[str, str | None]]] = {}
    for item in checked:
        rows = item.rows()
        if rows is None or item.kind is None or not item.valid:
            notes.append(_left_out(item.file, item.report.errors, rows))
            if item.people is not None:
                people.append(item.people)
            if rows is not None and item.kind is not None:
                refused.setdefault(item.kind, set()).update(_sent(rows, item.kind))
            continue
        parts.setdefault(item.kind, []).append(rows)
        if item.people is not None and holds_unnamed(item.people, item.kind.spec):
            unnamed.append(item.people)
    return Returns(
        frames={kind: pl.concat(frames) for kind, frames in parts.items()},
        report=Report.of((c.report for c in checked), strict=False),
        notes=tuple(notes),
        dataset=find_dataset(_local_paths(paths)),
        people_left_out=tuple(people),
        people_unnamed=tuple(unnamed),
        refused={kind: frozenset(codes) for kind, codes in refused.items()},
    )


def _left_out(file: str, errors: int, rows: pl.DataFrame | None) -> str:
    """The note on a file left out as invalid. A file whose every row names no ADP that can be
    read (a misspelt name) is whose return nobody can say: its ADP's row reads `no return`, so
    the note says why."""
    unknown = rows is not None and 0 < rows.height == rows["adp"].null_count()
    whose = ", and no row names an ADP that could be read, so whose return it is cannot be said"
    return (
        f"{file} was left out: it has {errors} error(s){whose if unknown else ''} "
        "(run `mission validate` on it)"
    )


def _local_paths(paths: Iterable[Path | str | NamedBytes] | Path | str | NamedBytes) -> list[Path]:
    if isinstance(paths, Path | str | NamedBytes):
        paths = [paths]
    return [Path(p) for p in paths if not isinstance(p, NamedBytes)]


def _sent(rows: pl.DataFrame, kind: Kind) -> set[tuple[str, str | None]]:
    """The (ADP, period) pairs a file's rows name, where both could be read: a record's period
    is its date's quarter (the store's slice), so a refused extract is said of the quarters it
    holds, not of every one."""
    import polars as pl

    spec = kind.spec
    period = spec.slice_period() if spec.period_column or spec.period_from else None
    if period is None:
        period = pl.lit(None, pl.String)
    pairs = rows.select(pl.col("adp").cast(pl.String), period.alias("period")).unique()
    # A row whose period cannot be read (`2025/26 Q5`) is a return for a period unknown: kept
    # as None, which explains the ADP's gaps, never spoils a figure it has (`points.spoiled`).
    return {(a, p) for a, p in pairs.iter_rows() if a is not None}
