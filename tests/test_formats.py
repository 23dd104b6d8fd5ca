"""Every output format renders the same report; none ever carries a person id."""

from __future__ import annotations

from xml.etree import ElementTree

from mission import formats
from mission.validation import validate

from .conftest import INVALID, VALID


def _report():  # type: ignore[no-untyped-def]
    return validate(
        [INVALID / "episodes-bad-dates.csv", INVALID / "ost-total-mismatch.csv", VALID / "ost.csv"]
    )


def test_junit_is_xml_with_a_suite_per_file() -> None:
    """JUnit output parses as XML, one testsuite per file, one failure per error."""
    report = _report()
    root = ElementTree.fromstring(formats.to_junit(report))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [f.path for f in report.files]
    failures = [int(s.get("failures", "0")) for s in suites]
    assert failures == [f.errors for f in report.files]


def test_sarif_has_the_2_1_0_shape() -> None:
    """SARIF has version 2.1.0, one run, a rule per code used and a result per finding."""
    report = _report()
    sarif = formats.to_sarif(report)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert sorted(r["id"] for r in rules) == sorted({f.code for f in report.findings})
    assert len(run["results"]) == len(report.findings)
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]


def test_github_annotations_point_at_file_and_line() -> None:
    """GitHub output is one workflow command per finding, with file and line."""
    report = _report()
    lines = formats.to_github(report).splitlines()
    assert len(lines) == len(report.findings)
    assert lines[0].startswith("::error file=")
    assert any(",line=3," in line and "total-mismatch" in line for line in lines)


def test_no_format_carries_a_person_id() -> None:
    """Known person ids in an episodes return appear in no format at all."""
    report = _report()
    rendered = [
        formats.to_json(report),
        formats.to_junit(report),
        formats.to_github(report),
        str(formats.to_sarif(report)),
    ]
    for text in rendered:
        assert "SECRET-ID" not in text
