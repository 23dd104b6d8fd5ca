"""SARIF 2.1.0 as GitHub code scanning reads it.

Artifact URIs are relative to the `%SRCROOT%` base (given in `originalUriBaseIds` as a `file:`
URI ending in a slash) and percent-encoded per RFC 3986, so a path with spaces or `#` is still a
valid `uri-reference`; a file outside the base gets an absolute `file:` URI. Each rule carries
its code's explanation (`help`, text and Markdown). A region is a line of a text file: a CSV
row's (rows are numbered as lines); a workbook's rows, a JSON file's records and a cell's column
(a field, not a character) are no lines or columns of the file, so a finding in them names the
file and, in its message, the cell.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote_from_bytes

from mission._version import __version__
from mission.findings import CATALOGUE, Severity
from mission.text import escape_markdown

if TYPE_CHECKING:
    from mission.findings import Finding
    from mission.report import FileReport, Report

__all__ = ["SRCROOT", "artifact_location", "to_sarif"]

SRCROOT = "%SRCROOT%"
_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _path_bytes(text: str) -> bytes:
    """The bytes of a path as the file system has them: an undecodable byte that Python carried as
    a surrogate becomes that byte again; any other lone surrogate is kept as its UTF-8 form."""
    try:
        return os.fsencode(text)
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def _file_uri(path: Path) -> str:
    try:
        return path.as_uri()
    except UnicodeEncodeError:
        return "file://" + quote_from_bytes(_path_bytes(path.as_posix()), safe="/")


def _base_uri(base: Path) -> str:
    uri = _file_uri(base)
    return uri if uri.endswith("/") else uri + "/"


def artifact_location(path: str, base: Path) -> dict[str, str]:
    """The SARIF `artifactLocation` of `path`: relative to `base` under `%SRCROOT%` when inside it,
    an absolute `file:` URI otherwise. `base` must be absolute; a relative `path` is taken from
    the current directory, as the user typed it."""
    absolute = Path(os.path.abspath(path))
    try:
        relative = absolute.relative_to(base)
    except ValueError:
        return {"uri": _file_uri(absolute)}
    # Only unreserved characters and "/" are left as they are, so a space, "#", "%" or ":" in a
    # name is escaped and the result is a relative reference whatever the file is called.
    return {
        "uri": quote_from_bytes(_path_bytes(relative.as_posix()), safe="/"),
        "uriBaseId": SRCROOT,
    }


def _rule(code: str) -> dict[str, Any]:
    info = CATALOGUE[code]
    return {
        "id": code,
        "name": info.title,
        "shortDescription": {"text": info.title},
        "fullDescription": {"text": info.meaning},
        # The explanation travels with the rule (code scanning shows `help.markdown`), rather
        # than a link to a page whose address depends on where this project is published.
        "help": {
            "text": f"{info.meaning} Fix: {info.fix}",
            "markdown": f"{escape_markdown(info.meaning)}\n\n**Fix:** {escape_markdown(info.fix)}",
        },
        "defaultConfiguration": {"level": _LEVEL[info.severity]},
    }


def _where(f: Finding, lined: dict[str, FileReport]) -> str:
    """Where a finding without a line is, at the head of its message (`ost!H2: `)."""
    return f"{f.location}: " if f.row and f.file not in lined else ""


def _result(
    f: Finding, rule_index: int, base: Path, lined: dict[str, FileReport], paths: dict[str, str]
) -> dict[str, Any]:
    opened = paths.get(f.file, f.file)
    location: dict[str, Any] = {"artifactLocation": artifact_location(opened, base)}
    if f.row and f.file in lined:
        location["region"] = {"startLine": lined[f.file].line(f.row)}
    result: dict[str, Any] = {
        "ruleId": f.code,
        "ruleIndex": rule_index,
        "level": _LEVEL[f.severity],
        "message": {"text": _where(f, lined) + f.message + (f" — {f.hint}" if f.hint else "")},
        "locations": [{"physicalLocation": location}],
    }
    if f.column:
        result["properties"] = {"column": f.column}
    return result


def opened_paths(report: Report) -> dict[str, str]:
    """Each file's path as given (`FileReport.source`), by the path its findings show: a name
    holding a line break is shown escaped (`a\\rb.csv`), which names no file."""
    return {r.path: r.source for r in report.files if r.source is not None}


def lined_files(report: Report) -> dict[str, FileReport]:
    """The files whose findings' rows are on lines of the file (CSV: text), by path: a row's
    line is `FileReport.line` (a cell holding line breaks moves the rows below it)."""
    return {r.path: r for r in report.files if r.format == "csv"}


def to_sarif(report: Report, base: str | Path | None = None) -> dict[str, Any]:
    """SARIF 2.1.0: one rule per finding code used, one result per finding, URIs relative to
    `base` (default: the current directory), which the log names as `%SRCROOT%`."""
    root = Path(os.path.abspath(base if base is not None else Path.cwd()))
    codes = sorted({f.code for f in report.findings})
    index = {code: i for i, code in enumerate(codes)}
    lined, paths = lined_files(report), opened_paths(report)
    return {
        "$schema": _SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mission",
                        "version": __version__,
                        "rules": [_rule(code) for code in codes],
                    }
                },
                "originalUriBaseIds": {SRCROOT: {"uri": _base_uri(root)}},
                "results": [_result(f, index[f.code], root, lined, paths) for f in report.findings],
            }
        ],
    }
