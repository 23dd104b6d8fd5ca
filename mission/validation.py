"""Validate returns against the data contract: headers, kind, every cell, the rules of each kind,
and the rules that span files (the same row twice; a jump of over 25% on the previous quarter).
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mission.adps import adp_by_code
from mission.cells import CellContext, parse_columns
from mission.errors import MissionError
from mission.findings import Finding, Severity, finding
from mission.limits import Limits
from mission.periods import Quarter
from mission.reading import ROW, RawTable, read_table, supported_suffixes
from mission.report import FileReport, Report
from mission.rules import apply_rules, key_description
from mission.spec import KindSpec, kind_spec, kinds, normalise_header

if TYPE_CHECKING:
    import polars as pl

__all__ = ["InvalidPath", "InvalidReturn", "collect_files", "read_return", "validate"]

LARGE_CHANGE = 0.25


class InvalidPath(MissionError, ValueError):
    """A path given to validate that does not exist or holds no returns."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        super().__init__(f"{path}: {problem}")


class InvalidReturn(MissionError, ValueError):
    """`read_return` was asked for a return that has errors; `report` says which."""

    def __init__(self, report: Report) -> None:
        self.report = report
        errors = [f for f in report.findings if f.severity is Severity.ERROR]
        first = errors[0] if errors else None
        where = f" (first: row {first.row}, {first.message})" if first else ""
        super().__init__(f"the return has {len(errors)} error(s){where}")


@dataclass
class CheckedFile:
    """One file after validation: its report parts and the parsed rows (None when unreadable)."""

    path: Path
    kind: str | None
    format: str
    findings: list[Finding]
    frame: pl.DataFrame | None = None
    rows: int = 0
    extra: list[Finding] = field(default_factory=list)

    def report(self, strict: bool) -> FileReport:
        return FileReport.build(
            str(self.path), self.kind, self.format, self.rows, self.findings + self.extra, strict
        )


def collect_files(paths: Iterable[Path]) -> list[Path]:
    """Files to validate: each file as given, and every return file under each folder.

    Raises:
        InvalidPath: a path does not exist, or a folder holds no return files.
    """
    found: list[Path] = []
    suffixes = set(supported_suffixes())
    for path in paths:
        if not path.exists():
            raise InvalidPath(path, "no such file or folder")
        if path.is_dir():
            inside = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in suffixes
                and not any(part.startswith((".", "~$")) for part in p.relative_to(path).parts)
            )
            if not inside:
                raise InvalidPath(path, "the folder holds no .csv, .xlsx, .json or .parquet files")
            found.extend(inside)
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def _infer_kind(headers: set[str], path: Path) -> str | None:
    scores = {s.name: len(headers & set(s.required)) / len(s.required) for s in kinds()}
    best = max(scores.values())
    if best < 0.5:
        return None
    candidates = [k for k, v in scores.items() if v == best]
    if len(candidates) > 1:
        named = [k for k in candidates if k in path.stem.lower()]
        if len(named) == 1:
            return named[0]
        # Prefer the kind whose columns the header covers most completely.
        candidates.sort(key=lambda k: -len(headers & set(kind_spec(k).names)))
    return candidates[0]


def _unknown_kind(table: RawTable) -> Finding:
    needs = "; ".join(f"{s.name} needs {', '.join(s.required)}" for s in kinds())
    return finding(
        "unknown-kind",
        f"the header matches no kind of return. {needs}",
        table.display,
        row=table.header_row,
        hint="Rename the columns as the contract does (see `mission template KIND`), "
        "or pass --kind.",
    )


def _map_headers(table: RawTable, spec: KindSpec) -> tuple[dict[str, str], list[Finding]]:
    """Canonical column name -> source column (`c3`), and the header findings."""
    findings: list[Finding] = []
    mapping: dict[str, str] = {}
    known = spec.names
    for position, text in enumerate(table.headers):
        name = normalise_header(text)
        source = f"c{position}"
        if not name:
            continue
        if name in mapping:
            findings.append(
                finding(
                    "duplicate-column",
                    f"{text!r} is the same column as an earlier header; only the first was read",
                    table.display,
                    row=table.header_row,
                    column=name,
                    value=text,
                    hint="Delete or rename one of the two columns.",
                )
            )
        elif name in known:
            mapping[name] = source
        else:
            near = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            hint = f"Did you mean {near[0]!r}?" if near else "Delete it if it is not needed."
            findings.append(
                finding(
                    "unknown-column",
                    f"{text!r} is not a column of the {spec.name} return; it was ignored",
                    table.display,
                    row=table.header_row,
                    column=name,
                    value=text,
                    hint=hint,
                )
            )
            mapping.setdefault(f"__unknown_{position}", source)
    for column in spec.columns:
        if column.required and column.name not in mapping:
            findings.append(
                finding(
                    "missing-column",
                    f"the required column {column.name!r} is not in the header",
                    table.display,
                    row=table.header_row,
                    column=column.name,
                    hint=f"Add a column headed {column.name}"
                    + (f" ({column.description})." if column.description else "."),
                )
            )
    return {k: v for k, v in mapping.items() if not k.startswith("__unknown_")}, findings


def _check_file(path: Path, kind: str | None, limits: Limits, today: dt.date) -> CheckedFile:

    table = read_table(path, kind, limits)
    findings = list(table.findings)
    declared = table.declared_kind
    if declared is not None:
        try:
            declared = kind_spec(declared).name
        except MissionError:
            findings.append(
                finding(
                    "unknown-kind",
                    f"the file declares kind {declared!r}, which is not a kind of return",
                    table.display,
                    value=declared,
                    hint="Use one of " + ", ".join(k.name for k in kinds()) + ".",
                )
            )
            declared = None
    if kind and declared and kind != declared:
        findings.append(
            finding(
                "kind-mismatch",
                f"the file declares kind {declared!r} but --kind is {kind!r}",
                table.display,
                value=declared,
                hint="Pass the right --kind, or correct the file's kind.",
            )
        )
    checked = CheckedFile(path, kind or declared, table.format, findings)
    if table.frame is None:
        return checked
    frame = table.frame
    checked.rows = frame.height
    if checked.kind is None:
        checked.kind = _infer_kind({normalise_header(h) for h in table.headers}, path)
        if checked.kind is None:
            findings.append(_unknown_kind(table))
            return checked
    spec = kind_spec(checked.kind)
    mapping, header_findings = _map_headers(table, spec)
    findings.extend(header_findings)
    ctx = CellContext(file=table.display, today=today, max_per_code=limits.max_findings_per_code)
    parsed = parse_columns(frame, mapping, spec.columns, ctx)
    if all(c.name in mapping for c in spec.columns if c.required):
        apply_rules(parsed, spec, ctx)
    findings.extend(ctx.findings)
    for code, more in ctx.overflow.items():
        findings.append(
            finding(
                "too-many-findings",
                f"{more:,} more {code} finding(s) were counted but not listed",
                table.display,
                value=code,
                hint="Fix the first ones listed: the rest usually share the cause.",
            )
        )
    checked.frame = parsed
    return checked


def check_file(
    path: Path, kind: str | None = None, limits: Limits | None = None, today: dt.date | None = None
) -> CheckedFile:
    """Read and check one file on its own (cross-file rules are `_cross_file`'s job)."""
    return _check_file(path, kind, limits or Limits(), today or dt.date.today())


def _cross_file(checked: Sequence[CheckedFile]) -> None:
    """Rules that need every file of the run: the same key twice, and large quarterly changes."""
    import polars as pl

    by_kind: dict[str, list[tuple[int, CheckedFile]]] = {}
    for index, item in enumerate(checked):
        if item.frame is not None and item.kind is not None:
            by_kind.setdefault(item.kind, []).append((index, item))
    for kind, items in by_kind.items():
        spec = kind_spec(kind)
        key = list(spec.key)
        if len(items) > 1:
            frames = [
                item.frame.select(ROW, *key).with_columns(pl.lit(index).alias("__file"))
                for index, item in items
                if item.frame is not None
            ]
            combined = pl.concat(frames).filter(
                pl.all_horizontal(pl.col(k).is_not_null() for k in key)
            )
            _duplicates_across(combined, spec, checked)
        if kind == "ost":
            totals = pl.concat(
                [
                    item.frame.select(ROW, "adp", "period", "total").with_columns(
                        pl.lit(index).alias("__file")
                    )
                    for index, item in items
                    if item.frame is not None
                ]
            )
            _large_changes(totals, checked)


def _duplicates_across(
    combined: pl.DataFrame, spec: KindSpec, checked: Sequence[CheckedFile]
) -> None:
    import polars as pl

    key = list(spec.key)
    firsts = combined.group_by(key).agg(
        pl.col("__file").first().alias("first_file"), pl.col(ROW).first().alias("first_row")
    )
    repeats = combined.join(firsts, on=key, nulls_equal=False).filter(
        pl.col("__file") != pl.col("first_file")
    )
    shown = [k for k in key if not spec.column(k).private]
    for row in repeats.iter_rows(named=True):
        other = checked[row["first_file"]]
        target = checked[row["__file"]]
        target.extra.append(
            finding(
                "duplicate-across-files",
                f"same {key_description(spec)} as {other.path} row {row['first_row']}",
                str(target.path),
                row=row[ROW],
                column=shown[-1],
                value=", ".join(str(row[k]) for k in shown),
                hint="Send one file per return; remove the older one.",
            )
        )


def _large_changes(totals: pl.DataFrame, checked: Sequence[CheckedFile]) -> None:
    import polars as pl

    totals = totals.filter(pl.col("total").is_not_null() & pl.col("period").is_not_null())
    if totals.height == 0:
        return
    periods = totals["period"].unique().to_list()
    index = pl.DataFrame(
        {"period": periods, "q": [Quarter.parse(p).index for p in periods]},
        schema={"period": pl.String, "q": pl.Int64},
    )
    totals = totals.join(index, on="period").unique(["adp", "q"], keep="first")
    previous = totals.select("adp", (pl.col("q") + 1).alias("q"), pl.col("total").alias("before"))
    jumps = (
        totals.filter(pl.col("__file") >= 0)
        .join(previous, on=["adp", "q"])
        .filter(
            (pl.col("before") > 0)
            & (((pl.col("total") - pl.col("before")).abs() / pl.col("before")) > LARGE_CHANGE)
        )
    )
    for row in jumps.iter_rows(named=True):
        change = (row["total"] - row["before"]) / row["before"]
        target = checked[row["__file"]]
        target.extra.append(
            finding(
                "large-change",
                f"{adp_by_code(row['adp']).name} total {row['total']:,} in {row['period']} is "
                f"{change:+.0%} on "
                f"{row['before']:,} the quarter before",
                str(target.path),
                row=row[ROW],
                column="total",
                value=row["total"],
                hint="Check the figure; if it is right, nothing to do.",
            )
        )


def add_changes_against(item: CheckedFile, earlier: pl.DataFrame) -> None:
    """Large-change warnings for an OST return against quarters already accepted elsewhere
    (the store): `earlier` has adp, period and total."""
    import polars as pl

    if item.kind != "ost" or item.frame is None or earlier.height == 0:
        return
    mine = item.frame.select(ROW, "adp", "period", "total").with_columns(pl.lit(0).alias("__file"))
    known = set(mine.select("adp", "period").iter_rows())
    others = earlier.filter(
        ~pl.struct("adp", "period").is_in([{"adp": a, "period": p} for a, p in known])
    ).select(
        pl.lit(0, dtype=pl.Int64).alias(ROW), "adp", "period", "total", pl.lit(-1).alias("__file")
    )
    _large_changes(pl.concat([mine, others], how="vertical_relaxed"), [item])


def _check_all(
    paths: Iterable[Path | str],
    kind: str | None,
    limits: Limits | None,
    today: dt.date | None,
    on_file: Callable[[Path], None] | None,
) -> list[CheckedFile]:
    kind = kind_spec(kind).name if kind else None
    files = collect_files(Path(p) for p in paths)
    today = today or dt.date.today()
    limits = limits or Limits()
    checked = []
    for path in files:
        if on_file is not None:
            on_file(path)
        checked.append(_check_file(path, kind, limits, today))
    _cross_file(checked)
    return checked


def validate(
    paths: Iterable[Path | str] | Path | str,
    kind: str | None = None,
    *,
    strict: bool = False,
    limits: Limits | None = None,
    today: dt.date | None = None,
    on_file: Callable[[Path], None] | None = None,
) -> Report:
    """Validate files and folders of returns against the data contract.

    Args:
        paths: files, and folders searched recursively for .csv, .xlsx, .json and .parquet.
        kind: the kind of every file; by default each file's kind is inferred from its header.
        strict: warnings make a file invalid too.
        limits: resource limits per file.
        today: the date "future" is judged against (for reproducible runs).
        on_file: called with each path before it is read (for progress bars).

    Raises:
        InvalidPath: a path does not exist or a folder holds no returns.
        UnknownKind: `kind` is not a kind of return.
    """
    if isinstance(paths, Path | str):
        paths = [paths]
    checked = _check_all(paths, kind, limits, today, on_file)
    return Report.of((c.report(strict) for c in checked), strict)


def read_return(
    path: Path | str,
    kind: str | None = None,
    *,
    today: dt.date | None = None,
    limits: Limits | None = None,
) -> pl.DataFrame:
    """A valid return as a table with the contract's columns, ADP codes and canonical periods.

    Raises:
        InvalidReturn: the return has errors; the exception carries the full report.
    """
    checked = _check_all([path], kind, limits, today, None)
    item = checked[0]
    report = Report.of([item.report(False)], strict=False)
    if not report.valid or item.frame is None:
        raise InvalidReturn(report)
    return item.frame.drop(ROW)
