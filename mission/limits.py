"""Resource limits on what one file may cost to read, so a hostile or broken file cannot exhaust
the machine. Every limit is documented in the README and can be raised from the CLI."""

from __future__ import annotations

from pydantic import Field

from mission.models import Frozen

__all__ = ["Limits"]


class Limits(Frozen):
    """Upper bounds per file; a file over one is refused with a `could-not-read` finding."""

    max_file_bytes: int = Field(default=1024**3, gt=0)
    """1 GiB: a national episodes extract of ten million rows is about 700 MB as CSV."""
    max_unzipped_bytes: int = Field(default=1024**3, gt=0)
    """1 GiB: what an Excel workbook may expand to (a zip bomb expands to far more)."""
    max_rows: int = Field(default=20_000_000, gt=0)
    max_columns: int = Field(default=1_000, gt=0)
    max_cells: int = Field(default=100_000_000, gt=0)
    """Rows times columns an Excel sheet may span (its reader allocates the whole grid)."""
    max_findings_per_code: int = Field(default=10_000, gt=0)
    """Per file and code; past this the rest are counted in one `too-many-findings` finding."""
