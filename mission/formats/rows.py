"""Plain rows (a list of dicts) as CSV, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

from mission.files import neutralise_formula

__all__ = ["rows_csv"]


def rows_csv(rows: list[dict[str, object]]) -> str:
    """Rows as CSV, with every cell a spreadsheet would run as a formula quoted."""
    if not rows:
        return ""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {k: neutralise_formula("" if v is None else str(v)) for k, v in row.items()}
        )
    return buffer.getvalue()
