"""The plain-text line for a finding and the one-line verdict of a report, and the escaping every
text format needs: one home for each, so the CLI, JUnit and the store all say the same thing."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mission.findings import Finding
    from mission.report import Report

__all__ = [
    "cell_reference",
    "finding_line",
    "finding_location",
    "summary_line",
    "visible",
]

# What no text format can carry: C0 controls other than tab, newline and carriage return, lone
# surrogates (a JSON return can spell one as "\ud800") and the noncharacters U+FFFE and U+FFFF,
# which XML 1.0 forbids and UTF-8 encoders refuse or mangle.
_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = str.maketrans({"\n": "\\n", "\r": "\\r"})
# An A1 cell reference, optionally absolute (`$H$2`).


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with every character a text format cannot carry shown as an escape (`\\uffff`)."""
    return _INVISIBLE.sub(_escape, text)


def cell_reference(f: Finding) -> str | None:
    """The finding's spreadsheet cell as `sheet!H2` (or `H2`), when it has one."""
    cell = getattr(f, "cell", None)
    if not cell:
        return None
    sheet = getattr(f, "sheet", None)
    return f"{sheet}!{cell}" if sheet else str(cell)


def finding_location(f: Finding) -> str:
    """`file:row:column` as an editor reads it (`-` where there is none), then the cell if any."""
    location = f"{f.file}:{f.row or '-'}:{f.column or '-'}"
    cell = cell_reference(f)
    return f"{location} ({cell})" if cell else location


def finding_line(f: Finding) -> str:
    """The one plain-text line for a finding: location, severity, code, message, value, hint."""
    value = f" [{f.value}]" if f.value is not None else ""
    hint = f" — {f.hint}" if f.hint else ""
    line = f"{finding_location(f)} {f.severity.value} {f.code} {f.message}{value}{hint}"
    return visible(line).translate(_LINE_BREAKS)


def summary_line(report: Report) -> str:
    """The verdict and counts of a report on one line."""
    s = report.summary
    verdict = "valid" if report.valid else "INVALID"
    strict = " (strict)" if report.strict else ""
    return (
        f"{verdict}{strict}: {s['files']} file(s), {s['rows']:,} rows, {s['errors']} error(s), "
        f"{s['warnings']} warning(s), {s['infos']} note(s); {s['invalid_files']} file(s) invalid"
    )
