"""Every output format renders the same report, conforms to its published schema, survives hostile
text, and never carries a person id."""

from __future__ import annotations

import functools
import json
import re
import shutil
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urljoin
from urllib.request import url2pathname
from xml.etree import ElementTree

import jsonschema
import pytest
import xmlschema
import yaml
from hypothesis import given
from hypothesis import strategies as st

from mission import formats
from mission.findings import CATALOGUE, Finding, Severity, finding
from mission.findings_docs import codes_document
from mission.formats.sarif import artifact_location
from mission.report import FileReport, Report
from mission.validation import validate

from .conftest import INVALID, ROOT, VALID

SCHEMAS = Path(__file__).parent / "schemas"
SARIF_SCHEMA = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
JUNIT_XSD = xmlschema.XMLSchema(SCHEMAS / "junit-10.xsd")
# Every format jsonschema knows, not only draft 4's (the SARIF schema's draft): `uri-reference`
# is checked only by this checker, and only with rfc3986-validator installed.
FORMATS = jsonschema.FormatChecker()


def _report():  # type: ignore[no-untyped-def]
    return validate(
        [INVALID / "episodes-bad-dates.csv", INVALID / "ost-total-mismatch.csv", VALID / "ost.csv"]
    )


@functools.cache
def _invalid_report() -> Report:
    return validate(INVALID)


def _sarif_errors(sarif: object) -> list[str]:
    validator = jsonschema.Draft4Validator(SARIF_SCHEMA, format_checker=FORMATS)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(sarif)]


def _report_of(findings: list[Finding], path: str = "returns/ost.csv", kind: str = "ost") -> Report:
    return Report.of([FileReport.build(path, kind, "csv", 3, findings, strict=False)], strict=False)


class CellFinding(Finding):
    """A finding with the sheet and cell the lead is adding to `Finding` (issue 14)."""

    sheet: str | None = None
    cell: str | None = None


# --- SARIF ------------------------------------------------------------------------------------


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


def test_format_checking_is_really_on() -> None:
    """The checker the tests use refuses a raw path with a space as a SARIF artifact URI."""
    assert "uri-reference" in FORMATS.checkers
    sarif = formats.to_sarif(_report())
    location = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    location["artifactLocation"]["uri"] = "returns dir/ost #1.csv"
    assert any("uri-reference" in e for e in _sarif_errors(sarif))


def _awkward_returns(tmp_path: Path) -> tuple[Path, list[Path]]:
    """Invalid returns under a base folder whose names have spaces, `#`, `%` and `:`."""
    base = tmp_path / "data returns #1"
    folder = base / "glasgow city #2" / "50% done: q1"
    folder.mkdir(parents=True)
    inside = folder / "ost total #3.csv"
    shutil.copy(INVALID / "ost-total-mismatch.csv", inside)
    outside = tmp_path / "elsewhere #4" / "ost bad counts.csv"
    outside.parent.mkdir()
    shutil.copy(INVALID / "ost-bad-counts.csv", outside)
    return base, [inside, outside]


def test_sarif_with_spaces_and_hashes_validates_against_the_official_schema(
    tmp_path: Path,
) -> None:
    """For paths with spaces, `#`, `%` and `:`, SARIF passes the OASIS schema with formats checked."""
    base, paths = _awkward_returns(tmp_path)
    sarif = formats.to_sarif(validate(paths), base=base)
    assert _sarif_errors(sarif) == []
    json.dumps(sarif, allow_nan=False)


def test_sarif_uris_are_relative_to_srcroot_and_resolve_to_the_files(tmp_path: Path) -> None:
    """A file inside the base is a percent-encoded URI under %SRCROOT%; one outside is an
    absolute file: URI; each resolves back to the file it names."""
    base, (inside, outside) = _awkward_returns(tmp_path)
    run = formats.to_sarif(validate([inside, outside]), base=base)["runs"][0]
    root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert root.startswith("file:///") and root.endswith("/") and " " not in root
    locations = {
        json.dumps(r["locations"][0]["physicalLocation"]["artifactLocation"], sort_keys=True)
        for r in run["results"]
    }
    by_file = [json.loads(text) for text in sorted(locations)]
    relative = [loc for loc in by_file if loc.get("uriBaseId") == "%SRCROOT%"]
    absolute = [loc for loc in by_file if "uriBaseId" not in loc]
    assert [loc["uri"] for loc in relative] == [
        "glasgow%20city%20%232/50%25%20done%3A%20q1/ost%20total%20%233.csv"
    ]
    assert [loc["uri"] for loc in absolute] == [outside.as_uri()]
    resolved = urljoin(root, relative[0]["uri"])
    assert Path(url2pathname(resolved.removeprefix("file://"))) == inside


_NAME = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"), min_size=1
).filter(lambda name: name not in (".", ".."))


@given(name=_NAME)
def test_any_file_name_is_a_valid_relative_uri(name: str) -> None:
    """Whatever a file is called, its artifact URI is a valid uri-reference that decodes back."""
    base = Path("/srv/returns")
    location = artifact_location(str(base / "adp" / name), base)
    assert location["uriBaseId"] == "%SRCROOT%"
    assert FORMATS.conforms(location["uri"], "uri-reference")
    assert unquote(location["uri"]) == f"adp/{name}"


def test_sarif_rules_carry_their_codes_explanation() -> None:
    """Every rule carries its code's meaning and fix (text and Markdown) and no link to a page
    whose address is not known: the explanation travels with the SARIF file."""
    sarif = formats.to_sarif(validate(INVALID))
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert len(rules) > 20
    for rule in rules:
        info = CATALOGUE[rule["id"]]
        assert "helpUri" not in rule
        assert rule["help"]["text"] == f"{info.meaning} Fix: {info.fix}"
        assert "**Fix:**" in rule["help"]["markdown"]


def test_docs_codes_is_generated_from_the_catalogue() -> None:
    """`docs/codes.md` is exactly the catalogue's document, with one heading per code."""
    document = (ROOT / "docs" / "codes.md").read_text(encoding="utf-8")
    assert document == codes_document(), "regenerate docs/codes.md (see its first lines)"
    assert re.findall(r"^## (\S+)$", document, re.M) == list(CATALOGUE)


def test_sarif_region_is_a_line_of_a_text_file_only() -> None:
    """A CSV row is a line of the file: its region is that line, with no column (a cell's is a
    field, not a character). A workbook's row and a JSON record are no lines of the file: a
    finding there names the file alone."""
    csv = finding("negative-count", "-1 is negative", "returns/ost.csv", row=3, column="total")
    workbook = finding("negative-count", "-3 is negative", "returns/ost.xlsx", row=2, cell="H2")
    record = finding("negative-count", "-2 is negative", "returns/rehab.json", row=2)
    report = Report.of(
        [
            FileReport.build("returns/ost.csv", "ost", "csv", 3, [csv], strict=False),
            FileReport.build("returns/ost.xlsx", "ost", "xlsx", 3, [workbook], strict=False),
            FileReport.build("returns/rehab.json", "rehab", "json", 3, [record], strict=False),
        ],
        strict=False,
    )
    sarif = formats.to_sarif(report)
    regions = [
        r["locations"][0]["physicalLocation"].get("region") for r in sarif["runs"][0]["results"]
    ]
    assert regions == [{"startLine": 3}, None, None]
    assert _sarif_errors(sarif) == []


# --- JUnit ------------------------------------------------------------------------------------


def test_junit_is_xml_with_a_suite_per_file() -> None:
    """JUnit output parses as XML, one testsuite per file, one failure per error."""
    report = _report()
    root = ElementTree.fromstring(formats.to_junit(report))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [f.path for f in report.files]
    failures = [int(s.get("failures", "0")) for s in suites]
    assert failures == [f.errors for f in report.files]


@pytest.mark.parametrize("strict", [False, True], ids=["loose", "strict"])
def test_junit_validates_against_the_jenkins_xunit_schema(strict: bool) -> None:
    """JUnit output for every invalid fixture is valid against the xUnit plugin's junit-10.xsd."""
    JUNIT_XSD.validate(formats.to_junit(validate(INVALID, strict=strict)))


def test_junit_case_names_are_unique_and_carry_file_and_line() -> None:
    """No two testcases share (classname, name); each names file, row, column and code, and has
    the file and line attributes Jenkins and GitLab read."""
    report = validate(INVALID, strict=True)
    root = ElementTree.fromstring(formats.to_junit(report))
    cases = root.findall("testsuite/testcase")
    pairs = [(c.get("classname"), c.get("name")) for c in cases]
    assert len(pairs) == len(set(pairs))
    failing = [c for c in cases if c.find("failure") is not None]
    assert len(failing) == report.summary["errors"] + report.summary["warnings"]
    for case in failing:
        failure = case.find("failure")
        assert failure is not None
        assert case.get("name", "").startswith(f"{case.get('file')}:")
        assert f" {failure.get('type')}" in case.get("name", "")
        line = case.get("line")
        assert line is None or case.get("name", "").startswith(f"{case.get('file')}:{line}:")


def test_junit_repeated_finding_gets_a_numbered_name() -> None:
    """Two findings at the same file, row, column and code become two distinct testcases."""
    twice = [
        finding("duplicate-row", "same key as row 2", "returns/ost.csv", row=3, column="period"),
        finding("duplicate-row", "same key as row 1", "returns/ost.csv", row=3, column="period"),
    ]
    root = ElementTree.fromstring(formats.to_junit(_report_of(twice)))
    names = [c.get("name") for c in root.iter("testcase")]
    assert names == [
        "returns/ost.csv:3:period duplicate-row",
        "returns/ost.csv:3:period duplicate-row (2)",
    ]


def test_junit_counts_on_every_suite() -> None:
    """Suites carry tests, failures, errors, skipped and time; the totals add up."""
    report = validate(INVALID)
    root = ElementTree.fromstring(formats.to_junit(report))
    suites = root.findall("testsuite")
    for suite in suites:
        assert {"name", "tests", "failures", "errors", "skipped", "time", "file"} <= set(
            suite.keys()
        )
        assert int(suite.get("tests", "")) == len(suite.findall("testcase"))
    for total in ("tests", "failures"):
        assert int(root.get(total, "")) == sum(int(s.get(total, "")) for s in suites)
    assert int(root.get("failures", "")) == report.summary["errors"]


def _hostile_header_returns(tmp_path: Path) -> list[Path]:
    """A JSON return whose header has a lone surrogate, U+FFFF and BEL, and a CSV with U+FFFF
    and BEL in a header and in its name."""
    json_return = tmp_path / "ost.json"
    json_return.write_text(
        '{"kind": "ost", "spec_version": 1, "rows": [{"adp": "Glasgow City", '
        '"period": "2024/25 Q1", "bad\\ud800head\\uffff\\u0007": 1}]}',
        encoding="utf-8",
    )
    csv_return = tmp_path / "ost\uffff\x07.csv"
    csv_return.write_bytes(
        "adp,period,methadone,total\uffff\x07\nGlasgow City,2024/25 Q1,1,1\n".encode()
    )
    return [json_return, csv_return]


def test_hostile_header_still_gives_well_formed_valid_xml(tmp_path: Path) -> None:
    """U+FFFF, a lone surrogate and a C0 control in a header are escaped visibly in JUnit, which
    stays well-formed XML 1.0 and valid against the xUnit schema."""
    report = validate(_hostile_header_returns(tmp_path), strict=True)
    # Neither header is echoed (the JSON one is no contract column, the CSV one is not made of
    # words); the CSV's name, which every finding about it carries, is shown escaped.
    assert not any("\\uffff" in (f.column or "") for f in report.findings)
    assert any("\\uffff\\x07" in f.file for f in report.findings)
    text = formats.to_junit(report)
    data = text.encode("utf-8")
    root = ElementTree.fromstring(data)
    JUNIT_XSD.validate(text)
    shown = ElementTree.tostring(root, encoding="unicode")
    assert "\\uffff" in shown and "\\x07" in shown
    assert "\uffff" not in text and "\x07" not in text and "\ud800" not in text


def test_hostile_header_in_every_text_format(tmp_path: Path) -> None:
    """The same header encodes as UTF-8 in JSON (which reads back as the report), GitHub
    annotations, the step summary and plain lines."""
    report = validate(_hostile_header_returns(tmp_path), strict=True)
    text = formats.to_json(report)
    text.encode("utf-8")
    assert json.loads(text) == report.to_dict()
    for rendered in (
        formats.to_github(report),
        formats.github_step_summary(report),
        *(formats.finding_line(f) for f in report.findings),
    ):
        rendered.encode("utf-8")
        assert "\uffff" not in rendered and "\x07" not in rendered


# --- GitHub -----------------------------------------------------------------------------------


def test_github_annotations_point_at_file_and_line() -> None:
    """GitHub output is one workflow command per finding, with file and line."""
    report = _report()
    lines = formats.to_github(report).splitlines()
    assert len(lines) == len(report.findings)
    assert lines[0].startswith("::error file=")
    assert any(",line=3," in line and "total-mismatch" in line for line in lines)


_LEVEL = {"error": Severity.ERROR, "warning": Severity.WARNING, "notice": Severity.INFO}


@given(limit=st.integers(min_value=1, max_value=12))
def test_github_shows_at_most_limit_per_level_and_counts_the_rest(limit: int) -> None:
    """At most `limit` annotations of each level (the closing notice included), in report order,
    and the closing notice counts exactly the findings left out."""
    report = _invalid_report()
    lines = formats.to_github(report, limit=limit).splitlines()
    levels = Counter(line[2 : line.index(" ")] for line in lines)
    assert all(count <= limit for count in levels.values())
    counts = Counter(f.severity for f in report.findings)
    closing = [line for line in lines if "more finding(s) are not shown" in line]
    annotated = len(lines) - len(closing)
    if all(count <= limit for count in counts.values()):
        assert closing == [] and annotated == len(report.findings)
    else:
        assert len(closing) == 1 and lines[-1] == closing[0]
        assert f"::{len(report.findings) - annotated} more finding(s)" in closing[0]
    for level, severity in _LEVEL.items():
        shown = [line for line in lines if line.startswith(f"::{level} file=")]
        kept = [f for f in report.findings if f.severity is severity][: len(shown)]
        assert len(shown) == min(counts[severity], limit - (level == "notice" and bool(closing)))
        assert [re.search(r"title=([\w-]+)", line)[1] for line in shown] == [  # type: ignore[index]
            f.code for f in kept
        ]


def test_github_keeps_a_place_for_the_closing_notice() -> None:
    """With 15 notes and the default limit, 9 are annotated and the tenth notice counts 6 more."""
    notes = [finding("blank-rows-skipped", f"row {i} blank", "r.csv", row=i) for i in range(15)]
    lines = formats.to_github(_report_of(notes)).splitlines()
    assert len(lines) == 10 and all(line.startswith("::notice ") for line in lines)
    assert lines[-1].startswith("::notice title=mission%3A 6 more finding(s)::6 more")


def test_github_refuses_a_limit_below_one() -> None:
    """A limit of 0 is a ValueError naming the value."""
    with pytest.raises(ValueError, match="0 is not a valid annotation limit"):
        formats.to_github(_report(), limit=0)


def test_github_annotation_has_a_line_where_rows_are_lines_and_never_a_column() -> None:
    """A CSV finding is annotated at its line, a workbook's at the file; neither gets a `col`
    (GitHub would mark that character): the cell is in the title."""
    in_csv = finding("negative-count", "m", "a.csv", row=2, column="total", cell="H2")
    in_workbook = finding("negative-count", "m", "a.xlsx", row=2, column="total", cell="H2")
    report = Report.of(
        [
            FileReport.build("a.csv", "ost", "csv", 3, [in_csv], strict=False),
            FileReport.build("a.xlsx", "ost", "xlsx", 3, [in_workbook], strict=False),
        ],
        strict=False,
    )
    lines = formats.to_github(report).splitlines()
    assert lines[0].startswith("::error file=a.csv,line=2,title=negative-count (total%2C H2)::")
    assert lines[1].startswith("::error file=a.xlsx,title=negative-count (total%2C H2)::")
    assert not any("col=" in line for line in lines)


def test_step_summary_has_verdict_counts_table_and_the_rest() -> None:
    """The step summary gives the verdict and counts, a row per error or warning up to the cap,
    and counts the rest."""
    report = validate(INVALID)
    text = formats.github_step_summary(report, max_findings=5)
    failing = [f for f in report.findings if f.severity is not Severity.INFO]
    assert text.startswith("## mission validate: ❌ invalid\n")
    s = report.summary
    assert f"{s['files']} file(s), {s['rows']:,} rows: {s['errors']} error(s)" in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and "| `" in line]
    assert len(rows) == 5
    assert f"…and {len(failing) - 5} more." in text
    assert formats.github_step_summary(validate(VALID)).startswith("## mission validate: ✅ valid")


# --- Text -------------------------------------------------------------------------------------


def test_finding_line_is_one_line_with_location_code_value_and_hint() -> None:
    """The plain line reads file:row:column, severity, code, message, [value], — hint, on one
    line even when the message has a line break."""
    f = finding(
        "negative-count",
        "-3 is\nnegative",
        "returns/ost.csv",
        row=4,
        column="total",
        value="-3",
        hint="Write 0 or more.",
    )
    assert formats.finding_line(f) == (
        "returns/ost.csv:4:total error negative-count -3 is\\nnegative [-3] — Write 0 or more."
    )
    g = finding("empty-file", "the file is empty", "returns/x.csv")
    assert formats.finding_line(g) == "returns/x.csv:-:- error empty-file the file is empty"


def test_summary_line_counts() -> None:
    """The summary line gives the verdict, strictness and counts."""
    report = validate([INVALID / "ost-total-mismatch.csv"], strict=True)
    s = report.summary
    assert formats.summary_line(report) == (
        f"INVALID (strict): 1 file(s), {s['rows']} rows, {s['errors']} error(s), "
        f"{s['warnings']} warning(s), {s['infos']} note(s); 1 file(s) invalid"
    )


# --- Privacy ----------------------------------------------------------------------------------


def test_no_format_carries_a_person_id() -> None:
    """Known person ids in an episodes return appear in no format at all."""
    report = _report()
    rendered = [
        formats.to_json(report),
        formats.to_junit(report),
        formats.to_github(report),
        formats.github_step_summary(report),
        str(formats.to_sarif(report)),
    ]
    for text in rendered:
        assert "SECRET-ID" not in text


# --- CI files against their published schemas -------------------------------------------------


@pytest.mark.parametrize(
    ("path", "schema"),
    [("action.yml", "github-action.json"), (".pre-commit-hooks.yaml", "pre-commit-hooks.json")],
)
def test_ci_files_match_their_published_schemas(path: str, schema: str) -> None:
    """The Action's metadata and the pre-commit hooks file are valid against SchemaStore's
    schemas, whatever they hold today."""
    document = json.loads((SCHEMAS / schema).read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(document)
    validator_class.check_schema(document)
    validator = validator_class(document, format_checker=FORMATS)
    data = yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []


# What a report's dictionary holds: text (lone surrogates too, from a JSON return), whole numbers
# (past 64 bits too, from a JSON return's huge integer), booleans and None, in dicts and lists.
_JSON_TEXT = st.text(st.characters(codec=None)) | st.sampled_from(["\ud800", "a\udfffb", "é\x00"])
_JSON_DATA = st.recursive(
    st.none() | st.booleans() | st.integers() | st.just(2**70) | _JSON_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(data=_JSON_DATA)
def test_json_report_text_is_what_json_dumps_writes(data: object) -> None:
    """orjson writes reports; the text must be `json.dumps(indent=2, ensure_ascii=False)`'s, a
    lone surrogate escaped, so the JSON format never changes with the library that writes it."""
    from mission.formats.json import indented_json

    expected = re.sub(
        "[\ud800-\udfff]",
        lambda m: f"\\u{ord(m.group()):04x}",
        json.dumps(data, indent=2, ensure_ascii=False),
    )
    assert indented_json(data) == expected
    assert json.loads(indented_json(data)) == data


def test_json_report_without_orjson_is_the_same_text() -> None:
    """An install made before orjson was a dependency writes the same JSON report (json is the
    fallback), not an internal error."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "{block}"
        "from pathlib import Path\n"
        "from mission.formats.json import to_json\n"
        "from mission.validation import validate\n"
        f"print(to_json(validate([Path({str(INVALID / 'episodes-bad-dates.csv')!r})])))\n"
    )
    texts = [
        subprocess.run(
            [sys.executable, "-c", code.format(block=block)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for block in ("", "sys.modules['orjson'] = None\n")
    ]
    assert texts[0] == texts[1]
    assert json.loads(texts[1])["valid"] is False
