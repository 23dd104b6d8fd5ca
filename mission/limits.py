"""Resource limits on what one file may cost to read, so a hostile or broken file cannot exhaust
the machine. Every limit is documented in the README and can be set from the CLI (before or after
the command) or a `MISSION_*` environment variable."""

from __future__ import annotations

from dataclasses import dataclass, fields

__all__ = ["Limits"]


@dataclass(frozen=True, slots=True)
class Limits:
    """Upper bounds per file; a file over one is refused with a `could-not-read` finding.

    Raises:
        ValueError: a limit is not a positive whole number.
    """

    max_file_bytes: int = 1024**3
    """1 GiB: a national episodes extract of ten million rows is about 700 MB as CSV."""
    max_unzipped_bytes: int = 1024**3
    """1 GiB: what an Excel workbook may expand to (a zip bomb expands to far more)."""
    max_rows: int = 20_000_000
    max_columns: int = 1_000
    max_cells: int = 20_000_000
    """Rows times columns an Excel sheet may span: its reader allocates the whole grid, about
    32 bytes a cell, so 20 million cells (Excel's full height by 19 columns) is some 640 MB."""
    max_findings_per_code: int = 10_000
    """Per file and code; past this the rest are counted in one `too-many-findings` finding."""

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ValueError(f"{item.name} must be a whole number above 0, not {value!r}")
