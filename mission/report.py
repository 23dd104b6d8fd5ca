"""The result of validation: one `Report` that every output format renders."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, computed_field, field_validator

from mission.findings import Finding, Severity, safe_text

__all__ = ["FileReport", "Report"]


class FileReport(BaseModel):
    """What validation found in one file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str
    kind: str | None
    format: str
    rows: int
    valid: bool
    errors: int
    warnings: int
    infos: int
    findings: tuple[Finding, ...]

    @field_validator("path")
    @classmethod
    def _safe_path(cls, path: str) -> str:
        """File names come from strangers too: never let one carry a terminal escape."""
        return safe_text(path, limit=2000)

    @classmethod
    def build(
        cls,
        path: str,
        kind: str | None,
        format: str,
        rows: int,
        findings: list[Finding],
        strict: bool,
    ) -> FileReport:
        counts = Counter(f.severity for f in findings)
        errors, warnings = counts[Severity.ERROR], counts[Severity.WARNING]
        ordered = sorted(findings, key=lambda f: (f.row or 0, f.severity.rank))
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
        )


class Report(BaseModel):
    """Validation of a set of files. `valid` is true when no file has an error
    (with `strict`, nor a warning)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    valid: bool
    strict: bool
    spec_version: int
    files: tuple[FileReport, ...]

    @classmethod
    def of(cls, files: Iterable[FileReport], strict: bool) -> Report:
        """The report of these files: valid when every file is."""
        from mission.spec import SPEC_VERSION

        reports = tuple(files)
        return cls(
            valid=all(f.valid for f in reports),
            strict=strict,
            spec_version=SPEC_VERSION,
            files=reports,
        )

    @computed_field  # type: ignore[prop-decorator]
    @property
    def summary(self) -> dict[str, int]:
        return {
            "files": len(self.files),
            "invalid_files": sum(not f.valid for f in self.files),
            "rows": sum(f.rows for f in self.files),
            "errors": sum(f.errors for f in self.files),
            "warnings": sum(f.warnings for f in self.files),
            "infos": sum(f.infos for f in self.files),
        }

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every finding of every file, in file order."""
        return tuple(f for file in self.files for f in file.findings)
