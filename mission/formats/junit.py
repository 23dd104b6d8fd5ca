"""JUnit XML as the Jenkins xUnit plugin's `junit-10.xsd` defines it, which GitLab reads too.

A testsuite per file; a failing testcase per error (and warning, with strict), named by file, row,
column and code so that no two cases share a (classname, name) pair; a passing case for a clean
file. Other findings go to the suite's system-out. Every string is made valid XML 1.0 first.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING
from xml.etree import ElementTree

from mission.findings import Severity
from mission.formats.text import finding_line, finding_location, visible

if TYPE_CHECKING:
    from mission.findings import Finding
    from mission.report import FileReport, Report

__all__ = ["to_junit"]


def _failing(report: Report, file: FileReport) -> list[Finding]:
    return [
        f
        for f in file.findings
        if f.severity is Severity.ERROR or (report.strict and f.severity is Severity.WARNING)
    ]


def _case(
    suite: ElementTree.Element, classname: str, name: str, file: str, row: int | None
) -> ElementTree.Element:
    case = ElementTree.SubElement(
        suite, "testcase", classname=classname, name=visible(name), file=visible(file), time="0"
    )
    if row:
        case.set("line", str(row))
    return case


def _unique(seen: Counter[tuple[str, str]], classname: str, name: str) -> str:
    """`name`, or `name (2)`, `name (3)`… when the same case name comes again."""
    seen[classname, name] += 1
    count = seen[classname, name]
    return name if count == 1 else f"{name} ({count})"


def to_junit(report: Report, title: str = "mission validate") -> str:
    """JUnit XML: a testsuite per file, a failing testcase per error (and warning, if strict);
    `title` names the whole run (`mission check` for a repository)."""
    failing = {id(file): _failing(report, file) for file in report.files}
    tests = sum(max(len(failing[id(f)]), 1) for f in report.files)
    failures = sum(len(failing[id(f)]) for f in report.files)
    suites = ElementTree.Element(
        "testsuites",
        name=title,
        tests=str(tests),
        failures=str(failures),
        errors="0",
        time="0",
    )
    seen: Counter[tuple[str, str]] = Counter()
    for file in report.files:
        bad = failing[id(file)]
        suite = ElementTree.SubElement(
            suites,
            "testsuite",
            name=visible(file.path),
            tests=str(max(len(bad), 1)),
            failures=str(len(bad)),
            errors="0",
            skipped="0",
            time="0",
            file=visible(file.path),
        )
        classname = f"mission.{file.kind or 'unknown'}"
        if not bad:
            name = _unique(seen, classname, f"{file.path} is a valid {file.kind or 'return'}")
            _case(suite, classname, name, file.path, None)
        for f in bad:
            # A finding with no row (a file's, a folder's) is told apart by what it says: a
            # folder's returns not sent are one case each, not `return-missing (2)`, `(3)`...
            said = f"{finding_location(f)} {f.code}" + ("" if f.row else f": {f.message}")
            name = _unique(seen, classname, said)
            case = _case(suite, classname, name, f.file, f.row)
            failure = ElementTree.SubElement(
                case, "failure", type=f.code, message=visible(f.message)
            )
            failure.text = finding_line(f)
        notes = [f for f in file.findings if f not in bad]
        if notes:
            ElementTree.SubElement(suite, "system-out").text = "\n".join(
                finding_line(f) for f in notes
            )
    return ElementTree.tostring(suites, encoding="unicode", xml_declaration=True)
