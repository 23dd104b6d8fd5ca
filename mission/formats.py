"""Machine-readable renderings of a `Report`: JSON, JUnit XML, GitHub annotations and SARIF 2.1.0.

Each is a pure function of the report, so every output says the same thing; the CLI only writes
the text. (The terminal view, which needs rich, lives in the CLI.)
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

from mission._version import __version__
from mission.catalogue import CATALOGUE, Severity
from mission.findings import Finding
from mission.report import Report

if TYPE_CHECKING:
    from mission.repository import CheckReport

__all__ = [
    "check_markdown",
    "finding_line",
    "rows_csv",
    "summary_line",
    "to_github",
    "to_json",
    "to_junit",
    "to_sarif",
]


def to_json(report: Report) -> str:
    """The report as JSON: exactly the library model, dumped."""
    return json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False)


def _line(f: Finding) -> str:
    where = f"row {f.row}" if f.row else "file"
    column = f", column {f.column}" if f.column else ""
    value = f" (value {f.value!r})" if f.value is not None else ""
    hint = f" — {f.hint}" if f.hint else ""
    return f"{where}{column}: {f.message}{value}{hint}"


def to_junit(report: Report) -> str:
    """JUnit XML: a testsuite per file, a failing testcase per error (and warning, if strict)."""
    suites = ElementTree.Element("testsuites", name="mission validate")
    for file in report.files:
        failing = [
            f
            for f in file.findings
            if f.severity is Severity.ERROR or (report.strict and f.severity is Severity.WARNING)
        ]
        suite = ElementTree.SubElement(
            suites,
            "testsuite",
            name=file.path,
            tests=str(max(len(failing), 1)),
            failures=str(len(failing)),
            errors="0",
        )
        if not failing:
            ElementTree.SubElement(
                suite, "testcase", name=f"{file.kind or 'return'} is valid", classname=file.path
            )
        for f in failing:
            case = ElementTree.SubElement(
                suite, "testcase", name=f"{f.code} at row {f.row or '-'}", classname=file.path
            )
            failure = ElementTree.SubElement(case, "failure", type=f.code, message=f.message)
            failure.text = _line(f)
        notes = [f for f in file.findings if f not in failing]
        if notes:
            ElementTree.SubElement(suite, "system-out").text = "\n".join(
                f"{f.severity}: {f.code}: {_line(f)}" for f in notes
            )
    return ElementTree.tostring(suites, encoding="unicode", xml_declaration=True)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def to_github(report: Report) -> str:
    """GitHub Actions workflow commands: `::error file=...,line=...,title=...::message`."""
    lines = []
    for f in report.findings:
        properties = [f"file={_escape_property(f.file)}"]
        if f.row:
            properties.append(f"line={f.row}")
        properties.append(f"title={_escape_property(f'{f.code} ({f.column or f.file})')}")
        message = f.message + (f" — {f.hint}" if f.hint else "")
        lines.append(
            f"::{_GITHUB_LEVEL[f.severity]} {','.join(properties)}::{_escape_data(message)}"
        )
    return "\n".join(lines)


_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def to_sarif(report: Report) -> dict[str, Any]:
    """SARIF 2.1.0: one rule per finding code used, one result per finding."""
    codes = sorted({f.code for f in report.findings})
    rules = [
        {
            "id": code,
            "name": CATALOGUE[code].title,
            "shortDescription": {"text": CATALOGUE[code].title},
            "fullDescription": {"text": CATALOGUE[code].meaning},
            "help": {"text": CATALOGUE[code].fix},
            "defaultConfiguration": {"level": _SARIF_LEVEL[CATALOGUE[code].severity]},
        }
        for code in codes
    ]
    results = []
    for f in report.findings:
        region: dict[str, Any] = {"startLine": f.row} if f.row else {}
        location: dict[str, Any] = {"artifactLocation": {"uri": f.file}}
        if region:
            location["region"] = region
        result: dict[str, Any] = {
            "ruleId": f.code,
            "ruleIndex": codes.index(f.code),
            "level": _SARIF_LEVEL[f.severity],
            "message": {"text": f.message + (f" — {f.hint}" if f.hint else "")},
            "locations": [{"physicalLocation": location}],
        }
        if f.column:
            result["properties"] = {"column": f.column}
        results.append(result)
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mission",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def check_markdown(result: CheckReport, max_findings: int = 50) -> str:
    """A pull-request comment or job summary: verdict, files with problems, completeness."""
    report = result.report
    summary = report.summary
    verdict = "✅ valid" if result.valid else "❌ invalid"
    lines = [
        f"## mission check: {verdict}",
        "",
        f"{summary['files']} file(s), {summary['rows']:,} rows: {summary['errors']} error(s), "
        f"{summary['warnings']} warning(s).",
        "",
    ]
    failing = [f for f in report.findings if f.severity is not Severity.INFO]
    if failing:
        lines += [
            "| file | row | column | severity | code | message |",
            "|---|---|---|---|---|---|",
        ]
        for f in failing[:max_findings]:
            hint = f" — {f.hint}" if f.hint else ""
            lines.append(
                f"| `{_cell(f.file)}` | {f.row or ''} | {_cell(f.column or '')} | {f.severity} | "
                f"`{f.code}` | {_cell(f.message + hint)} |"
            )
        if len(failing) > max_findings:
            lines.append(f"\n…and {len(failing) - max_findings} more.")
        lines.append("")
    lines += ["### Completeness", "", "| kind | period | reported | missing |", "|---|---|---|---|"]
    for c in result.completeness:
        missing = ", ".join(c.missing) if c.missing else "none"
        lines.append(
            f"| {c.kind} | {c.period or '—'} | {c.reported} of {c.expected} | {_cell(missing)} |"
        )
    return "\n".join(lines) + "\n"


def rows_csv(rows: list[dict[str, object]]) -> str:
    """Rows as CSV, with every cell a spreadsheet would run as a formula quoted."""
    import csv
    import io

    from mission.files import neutralise_formula

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


def finding_line(f: Finding) -> str:
    """One finding as one plain line: `file:row:column severity code message [value] — hint`."""
    location = f"{f.file}:{f.row or '-'}:{f.column or '-'}"
    value = f" [{f.value}]" if f.value is not None else ""
    hint = f" — {f.hint}" if f.hint else ""
    return f"{location} {f.severity.value} {f.code} {f.message}{value}{hint}"


def summary_line(report: Report) -> str:
    """The verdict in one line: valid or INVALID, with the counts."""
    s = report.summary
    verdict = "valid" if report.valid else "INVALID"
    strict = " (strict)" if report.strict else ""
    return (
        f"{verdict}{strict}: {s['files']} file(s), {s['rows']:,} rows, {s['errors']} error(s), "
        f"{s['warnings']} warning(s), {s['infos']} note(s); {s['invalid_files']} file(s) invalid"
    )
