"""The result of validation: one `Report` that every output format renders.

Reports are plain frozen dataclasses, not pydantic models: validation builds thousands of
findings and must start in a blink, and a report is made by the library, never parsed from a
stranger, so there is nothing for a validator to earn. `to_dict` is the JSON every format uses.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mission.findings import FINDING_FIELDS, Finding, Severity
from mission.text import safe_text

if TYPE_CHECKING:
    import polars as pl

__all__ = ["FileReport", "Report"]

# A cell whose own finding says why it is empty or wrong (a formula never calculated) is not
# also reported as blank or as a bad count: one cell, one reason.
_CELL_REASONS = frozenset({"formula-without-value", "error-cell"})


def _one_reason_per_cell(findings: Iterable[Finding]) -> list[Finding]:
    items = list(findings)
    explained = {(f.sheet, f.cell) for f in items if f.code in _CELL_REASONS and f.cell}
    if not explained:
        return items
    return [
        f
        for f in items
        if f.code in _CELL_REASONS or not f.cell or (f.sheet, f.cell) not in explained
    ]


@dataclass(frozen=True, slots=True)
class FileReport:
    """What validation found in one file."""

    path: str
    kind: str | None
    format: str
    rows: int
    valid: bool
    errors: int
    warnings: int
    infos: int
    findings: tuple[Finding, ...]
    line_breaks: tuple[tuple[int, int], ...] = ()
    """For a text file whose cells hold line breaks: each such row and how many lines more it
    takes, so a row's line in the file can be told (`line`). Not printed."""
    covers: str | None = None
    """What the rows are of, in words: the ADPs and periods they were read as (`Fife; 2025/26
    Q2`, `30 ADPs; 2021/22 Q1 to 2025/26 Q4`); None when no row was read."""
    source: str | None = field(default=None, repr=False, compare=False)
    """The path as given, before `path` was made safe to show (a name may hold a line break):
    what a tool that opens the file is pointed at (SARIF, GitHub annotations). Not printed."""

    def __post_init__(self) -> None:
        if self.source is None:
            object.__setattr__(self, "source", self.path)
        object.__setattr__(self, "path", safe_text(self.path, limit=2000))

    def line(self, row: int) -> int:
        """The line of the file that row `row` starts on (rows are lines but for cells holding
        line breaks above it)."""
        return row + sum(more for at, more in self.line_breaks if at < row)

    @classmethod
    def build(
        cls,
        path: str,
        kind: str | None,
        format: str,
        rows: int,
        findings: list[Finding],
        strict: bool,
        line_breaks: tuple[tuple[int, int], ...] = (),
        source: str | None = None,
        covers: str | None = None,
    ) -> FileReport:
        """The report of one file: counts, validity, findings in row order."""
        kept = _one_reason_per_cell(findings)
        counts = Counter(f.severity for f in kept)
        errors, warnings = counts[Severity.ERROR], counts[Severity.WARNING]
        ordered = sorted(kept, key=lambda f: (f.row or 0, f.severity.rank))
        return cls(
            path=path,
            kind=kind,
            format=format,
            rows=rows,
            valid=errors == 0 and not (strict and warnings),
            errors=errors,
            warnings=warnings,
            infos=counts[Severity.INFO],
            findings=tuple(ordered),
            line_breaks=line_breaks,
            covers=covers,
            source=source,
        )

    def to_dict(self) -> dict[str, object]:
        """The file's report as plain JSON-ready data."""
        return {
            "path": self.path,
            "kind": self.kind,
            "format": self.format,
            "rows": self.rows,
            "covers": self.covers,
            "valid": self.valid,
            "errors": self.errors,
            "warnings": self.warnings,
            "infos": self.infos,
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass(frozen=True, slots=True)
class Report:
    """Validation of a set of files. `valid` is true when no file has an error
    (with `strict`, nor a warning)."""

    valid: bool
    strict: bool
    spec_version: int
    files: tuple[FileReport, ...]

    @classmethod
    def of(cls, files: Iterable[FileReport], strict: bool) -> Report:
        """The report of these files: valid when every file is."""
        from mission.kinds import SPEC_VERSION

        reports = tuple(files)
        return cls(
            valid=all(f.valid for f in reports),
            strict=strict,
            spec_version=SPEC_VERSION,
            files=reports,
        )

    @property
    def summary(self) -> dict[str, int]:
        """Counts over every file: files, invalid files, rows, errors, warnings, notes. A
        folder's own findings (a return not sent) count, but the folder is no file."""
        files = [f for f in self.files if f.format != "folder"]
        return {
            "files": len(files),
            "invalid_files": sum(not f.valid for f in files),
            "rows": sum(f.rows for f in self.files),
            "errors": sum(f.errors for f in self.files),
            "warnings": sum(f.warnings for f in self.files),
            "infos": sum(f.infos for f in self.files),
        }

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every finding of every file, in file order."""
        return tuple(f for file in self.files for f in file.findings)

    def to_dict(self) -> dict[str, object]:
        """The report as plain JSON-ready data: what `--format json` prints."""
        return {
            "valid": self.valid,
            "strict": self.strict,
            "spec_version": self.spec_version,
            "files": [f.to_dict() for f in self.files],
            "summary": self.summary,
        }

    def to_polars(self) -> pl.DataFrame:
        """Every finding as a row: kind, code, severity, file, row, column, value, cell..."""
        import polars as pl

        rows = [{"kind": file.kind, **f.to_dict()} for file in self.files for f in file.findings]
        schema = {
            "kind": pl.String,
            **{n: pl.Int64 if n == "row" else pl.String for n in FINDING_FIELDS},
        }
        return pl.DataFrame(rows, schema=schema, orient="row")
