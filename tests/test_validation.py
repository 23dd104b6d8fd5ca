"""Validation of every fixture, property checks on the readers, and the library API."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mission
from mission.findings import CATALOGUE, Severity
from mission.kinds import kind_spec
from mission.limits import Limits
from mission.periods import InvalidPeriod
from mission.readers import NamedBytes
from mission.validation import InvalidPath, InvalidReturn, read_return, validate
from mission.walk import collect_files

from .conftest import INVALID, VALID

EXPECTED = [
    ("binary-junk.csv", [("could-not-read", None)]),
    (
        "deaths-bad-year.csv",
        [("invalid-calendar-year", 2), ("invalid-calendar-year", 3), ("invalid-calendar-year", 4)],
    ),
    ("empty.csv", [("empty-file", None)]),
    (
        "episodes-bad-dates.csv",
        [
            ("us-date-order", 2),
            ("future-date", 3),
            ("date-too-early", 4),
            ("invalid-date", 5),
            ("start-before-referral", 6),
            ("missing-treatment-type", 7),
            ("duplicate-row", 9),
        ],
    ),
    ("excel-named-csv.csv", [("could-not-read", None)]),
    ("header-only.csv", [("no-data-rows", 1)]),
    ("json-future-spec-version.json", [("unsupported-spec-version", None)]),
    ("json-not-valid.json", [("could-not-read", None)]),
    (
        "mat-bad-standard.csv",
        [("invalid-standard", 12), ("invalid-standard", 13), ("invalid-choice", 13)],
    ),
    ("mat-bad-year.csv", [("invalid-year", row) for row in range(2, 12)]),
    ("mat-comment-problems.csv", [("text-too-long", 5), ("control-characters", 6)]),
    ("mat-missing-standard.csv", [("missing-standard", 2)]),
    ("mat-repeated-standard.csv", [("duplicate-row", 12)]),
    ("mat-status-evidence.csv", [("status-evidence-mismatch", 2), ("provisional-green-early", 3)]),
    (
        "naloxone-missing-values.csv",
        [("missing-value", 2), ("missing-value", 3), ("missing-value", 4)],
    ),
    ("not-a-return.csv", [("unknown-kind", 1)]),
    ("not-really-excel.xlsx", [("could-not-read", None)]),
    ("only-blank-lines.csv", [("empty-file", None)]),
    (
        "ost-bad-counts.csv",
        [
            ("fractional-count", 2),
            ("negative-count", 3),
            ("suppressed-count", 4),
            ("suppressed-count", 5),
            ("suppressed-count", 5),
            ("not-a-count", 6),
            ("thousands-separator", 7),
        ],
    ),
    ("ost-bad-period.csv", [("invalid-period", 2), ("invalid-period", 3), ("invalid-period", 4)]),
    ("ost-duplicate-column.csv", [("duplicate-column", 1)]),
    ("ost-duplicate-row.csv", [("duplicate-row", 4)]),
    ("ost-extra-cells.csv", [("extra-cells", 2)]),
    ("ost-excel-errors-as-text.csv", [("error-cell", 2), ("error-cell", 3)]),
    ("ost-formulas-not-calculated.xlsx", [("formula-without-value", 2), ("error-cell", 3)]),
    ("ost-large-change.csv", [("large-change", 3)]),
    ("ost-missing-total-column.csv", [("missing-column", 1)]),
    ("ost-total-mismatch.csv", [("total-mismatch", 3)]),
    ("ost-typo-column.csv", [("missing-column", 1), ("unknown-column", 1)]),
    ("ost-unknown-adp.csv", [("unknown-adp", 2), ("ambiguous-adp", 3), ("missing-value", 4)]),
    (
        "population-repeats-and-zero.csv",
        [
            ("zero-population", 2),
            ("adp-combined", 3),
            ("duplicate-row", 4),
            ("duplicate-row", 5),
            ("adp-combined", 6),
            ("adp-combined", 7),
        ],
    ),
    (
        "population-council-area-missing.csv",
        [("council-area-missing", 2), ("adp-combined", 2)],
    ),
    ("rehab-bad-funding-source.csv", [("invalid-choice", 4), ("invalid-choice", 5)]),
    # A sub-heading among the rows is one error each, not a missing value per cell; the rows
    # below it are still data, and a note at the foot is still a note.
    ("ost-note-inside-table.csv", [("note-in-table", 4), ("notes-block", 7)]),
    (
        "ost-note-inside-table.xlsx",
        [("note-in-table", 2), ("note-in-table", 4), ("notes-block", 7)],
    ),
    (
        "ost-semicolons-dot-thousands.csv",
        [
            ("delimiter-not-comma", 1),
            ("fractional-count", 2),
            ("fractional-count", 2),
            ("fractional-count", 3),
            ("dot-thousands", 3),
        ],
    ),
]

VALID_NOTES = {
    "deaths-sheet1.xlsx": [("first-sheet-used", None)],
    "deaths.csv": [],
    "episodes.csv": [("adp-combined", 2), ("adp-combined", 3)],
    "episodes.parquet": [],
    "mat-windows-1252-semicolons.csv": [("non-utf8-encoding", None), ("delimiter-not-comma", 1)],
    "mat.csv": [],
    "naloxone.csv": [],
    "ost-excel-title-rows-notes.xlsx": [
        ("title-rows-skipped", 1),
        ("blank-rows-skipped", 7),
        ("thousands-separator", 8),
        ("notes-block", 12),
    ],
    "ost.csv": [],
    "ost-two-tables.csv": [
        ("blank-rows-skipped", 4),
        ("header-repeated", 5),
        ("header-repeated", 8),
    ],
    "population.csv": [("adp-combined", 3), ("adp-combined", 4)],
    "rehab-wrapper.json": [],
    "rehab.csv": [],
}


def _codes(report: mission.Report) -> list[tuple[str, int | None]]:
    return [(f.code, f.row) for f in report.findings]


@pytest.mark.parametrize(("name", "expected"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_invalid_fixture_findings(name: str, expected: list[tuple[str, int | None]]) -> None:
    """Each invalid fixture gives exactly its findings, at the rows the user sees."""
    report = validate(INVALID / name)
    assert _codes(report) == expected
    assert not validate(INVALID / name, strict=True).valid


@pytest.mark.parametrize("name", sorted(VALID_NOTES), ids=sorted(VALID_NOTES))
def test_valid_fixture_is_valid_with_its_notes(name: str) -> None:
    """Each valid fixture is valid alone, with exactly the notes its messiness earns."""
    report = validate(VALID / name)
    assert report.valid
    assert _codes(report) == VALID_NOTES[name]


def test_valid_folder_is_valid_together() -> None:
    """The valid folder is valid as one run: no key repeats across its files."""
    report = validate(VALID)
    assert report.valid
    assert {f.kind for f in report.files} == {
        "ost",
        "rehab",
        "naloxone",
        "mat",
        "episodes",
        "deaths",
        "population",
    }


def test_excel_rows_are_excel_row_numbers() -> None:
    """Findings in an Excel file use Excel's own row numbers, title rows included."""
    report = validate(VALID / "ost-excel-title-rows-notes.xlsx")
    thousands = next(f for f in report.findings if f.code == "thousands-separator")
    assert (thousands.row, thousands.column, thousands.value) == (8, "methadone", "1,040")


def test_same_key_in_two_files() -> None:
    """A key sent in two files of one run is an error in both, each naming the other, so which
    file is kept never depends on the order the files were given in."""
    report = validate(INVALID / "across")
    found = sorted(
        (Path(f.file).name, f.message)
        for f in report.findings
        if f.code == "duplicate-across-files"
    )
    assert [name for name, _ in found] == ["ost-q1-resent.csv", "ost-q1.csv"]
    assert "ost-q1.csv row 2" in found[0][1]
    assert "ost-q1-resent.csv row 2" in found[1][1]
    reverse = validate(
        [INVALID / "across" / "ost-q1.csv", INVALID / "across" / "ost-q1-resent.csv"]
    )
    assert {(f.file, f.message) for f in reverse.findings} == {
        (f.file, f.message) for f in report.findings
    }


def test_large_change_across_files(tmp_path: Path) -> None:
    """A jump of over 25% on the previous quarter is found when the quarters are in two files."""
    header = "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,total\n"
    (tmp_path / "q1.csv").write_text(header + "Fife,2023/24 Q1,100,0,0,0,100\n")
    (tmp_path / "q2.csv").write_text(header + "Fife,2023/24 Q2,126,0,0,0,126\n")
    report = validate(tmp_path)
    assert [(Path(f.file).name, f.code) for f in report.findings] == [("q2.csv", "large-change")]
    assert report.valid and not validate(tmp_path, strict=True).valid


def test_kind_mismatch_with_declared_json() -> None:
    """A JSON file declaring one kind, validated as another, is an error."""
    report = validate(VALID / "rehab-wrapper.json", kind="ost")
    assert "kind-mismatch" in [f.code for f in report.findings]


def test_too_many_findings_are_counted() -> None:
    """Past the cap per code, findings are counted in one too-many-findings finding."""
    report = validate(INVALID / "mat-bad-year.csv", limits=Limits(max_findings_per_code=3))
    assert _codes(report) == [
        ("too-many-findings", None),
        ("invalid-year", 2),
        ("invalid-year", 3),
        ("invalid-year", 4),
    ]
    counted = report.findings[0]
    assert counted.value == "invalid-year"
    assert "7 more" in counted.message


def test_missing_path_raises() -> None:
    """A path that does not exist is a "cannot go on" error, not a finding."""
    with pytest.raises(InvalidPath, match="no such file"):
        validate("no/such/file.csv")


def test_collect_skips_hidden_and_lock_files(tmp_path: Path) -> None:
    """Folders are searched recursively, skipping hidden files and Excel lock files."""
    (tmp_path / "sub").mkdir()
    for name in ("a.csv", "sub/b.xlsx", ".hidden.csv", "~$lock.xlsx", "notes.md"):
        (tmp_path / name).write_text("x")
    files, refused = collect_files([tmp_path])
    assert [getattr(p, "name", "") for p in files] == ["a.csv", "b.xlsx"]
    assert refused == []


def test_a_total_mismatch_says_blank_other_counts_as_zero_only_when_it_is_blank() -> None:
    """The fix for a total that is not the sum names the blank-`other` rule only on a row
    whose `other` is blank."""
    header = "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total"
    rows = [
        "Fife,2023/24 Q1,100,20,5,0,1,130",
        "Angus,2023/24 Q1,100,20,5,0,,130",
        "Moray,2023/24 Q1,100,20,5,0,0,130",  # a 0 typed is no blank (a newcomer was told so)
    ]
    data = "\n".join([header, *rows]).encode()
    report = validate(NamedBytes("ost.csv", data))
    hints = {f.row: f.hint for f in report.findings if f.code == "total-mismatch"}
    assert hints == {
        2: "Correct the total or the medication counts.",
        3: "Correct the total or the medication counts (a blank 'other' counts as 0).",
        4: "Correct the total or the medication counts.",
    }


def test_read_return_gives_canonical_columns() -> None:
    """read_return gives the contract's columns, ADP codes and canonical periods."""
    frame = read_return(VALID / "ost-excel-title-rows-notes.xlsx")
    assert frame.columns == list(kind_spec("ost").names)
    assert frame["adp"].unique().sort().to_list() == ["aberdeen-city", "aberdeenshire"]
    assert frame["period"].unique().sort().to_list() == ["2023/24 Q1", "2023/24 Q2"]
    assert frame["methadone"].dtype == pl.Int64
    assert frame.filter(pl.col("adp") == "aberdeenshire")["methadone"].to_list() == [1040, 1001]


def test_read_return_refuses_invalid() -> None:
    """read_return raises with the report when the return has errors."""
    with pytest.raises(InvalidReturn) as caught:
        read_return(INVALID / "ost-total-mismatch.csv")
    assert [f.code for f in caught.value.report.findings] == ["total-mismatch"]


def test_person_ids_never_appear() -> None:
    """No finding carries a person_id, even when the person's rows are at fault."""
    report = validate(INVALID / "episodes-bad-dates.csv")
    dumped = json.dumps(report.to_dict())
    assert "SECRET-ID" not in dumped


def test_every_finding_has_a_hint_where_the_catalogue_has_a_fix() -> None:
    """Every error in the invalid fixtures names its row or file, and carries a hint."""
    for name, _ in EXPECTED:
        for f in validate(INVALID / name).findings:
            if f.severity is Severity.ERROR and f.code not in ("json-not-valid",):
                assert f.file
                assert f.hint or f.code in ("could-not-read", "empty-file"), (name, f)


# --- properties ------------------------------------------------------------------------------


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.binary(max_size=400),
    suffix=st.sampled_from([".csv", ".xlsx", ".json", ".parquet", ".txt"]),
)
def test_arbitrary_bytes_end_in_a_report(tmp_path: Path, data: bytes, suffix: str) -> None:
    """Any bytes under any supported name end in a report, never an exception."""
    path = tmp_path / f"return{suffix}"
    path.write_bytes(data)
    report = validate(path)
    assert len(report.files) == 1


_cell = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=12)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    header=st.lists(
        st.sampled_from(["adp", "period", "total", "methadone", "x", "", "Period"]), max_size=6
    ),
    rows=st.lists(st.lists(_cell, max_size=7), max_size=5),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_csv_like_text_ends_in_a_report(
    tmp_path: Path, header: list[str], rows: list[list[str]], delimiter: str
) -> None:
    """CSV-like text with any header and cells ends in a report, never an exception."""
    lines = [delimiter.join(header)] + [delimiter.join(r) for r in rows]
    path = tmp_path / "return.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    validate(path)


# What a hostile CSV is made of: quotes, delimiters, every kind of line break, a BOM, zero-width
# and combining characters, astral characters, NUL.
_PIECES = st.sampled_from(
    [
        *('"', '"', ",", ";", "\r", "\r", "\n", "\r\n", " ", "a", "1", "Fife", "2021-04-01"),
        *("é", "𝄞", "\u200b", "\ufeff", "\u00a0", "\x00", "\\", "İ", "\u0301", "😀"),
    ]
)


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(st.lists(_PIECES, max_size=8).map("".join), max_size=6))
def test_any_text_under_a_header_ends_in_a_report(lines: list[str]) -> None:
    """Whatever follows a return's header (stray quotes beside lone CRs, say) ends in a report,
    never an exception: 9,000 such files once found a crash in telling where a quote was."""
    data = ("adp,period,total\n" + "\n".join(lines)).encode()
    validate(NamedBytes("ost.csv", data))


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=_json)
def test_arbitrary_json_ends_in_a_report(tmp_path: Path, document: object) -> None:
    """Any JSON document ends in a report, never an exception."""
    path = tmp_path / "return.json"
    path.write_text(json.dumps(document))
    validate(path)


_adps = st.sampled_from([a.name for a in mission.all_adps()])
_quarter_texts = st.builds(
    lambda y, q, style: [
        f"{y}/{(y + 1) % 100:02d} Q{q}",
        f"Q{q} {y}/{(y + 1) % 100:02d}",
        f"{y}-{(y + 1) % 100:02d} q{q}",
    ][style],
    st.integers(2015, 2025),
    st.integers(1, 4),
    st.integers(0, 2),
)


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.tuples(_adps, _quarter_texts, st.lists(st.integers(0, 5000), min_size=5, max_size=5)),
        min_size=1,
        max_size=8,
        unique_by=lambda r: (r[0], str(mission.Quarter.parse(r[1]))),
    )
)
def test_generated_valid_ost_rows_validate(
    tmp_path: Path, rows: list[tuple[str, str, list[int]]]
) -> None:
    """Any well-formed OST rows (any ADP, any quarter spelling) validate without errors."""
    header = "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total"
    lines = [header] + [f'"{a}",{p},{",".join(map(str, n))},{sum(n)}' for a, p, n in rows]
    path = tmp_path / "ost.csv"
    path.write_text("\n".join(lines) + "\n")
    report = validate(path, today=dt.date(2026, 11, 25))
    errors = [f for f in report.findings if f.severity is Severity.ERROR]
    assert errors == []


def test_catalogue_codes_are_kebab_case() -> None:
    """Finding codes are stable kebab-case identifiers with a fix."""
    for code, info in CATALOGUE.items():
        assert code == info.code
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code)
        assert info.fix and info.meaning and info.example


def test_cells_are_trimmed_and_blank_means_missing(tmp_path: Path) -> None:
    """Surrounding spaces are trimmed; a cell of spaces alone is blank, so a required one is missing."""
    path = tmp_path / "deaths.csv"
    path.write_text(
        "adp,calendar_year,drug_misuse_deaths\n  Fife  , 2022 ,40\n   ,2023,41\nAngus,2023,   \n"
    )
    report = validate(path, today=dt.date(2026, 11, 25))
    assert _codes(report) == [("missing-value", 3), ("missing-value", 4)]
    assert [f.column for f in report.findings] == ["adp", "drug_misuse_deaths"]


def test_large_categorical_file_matches_small_parse(tmp_path: Path) -> None:
    """Values read as categoricals (CSV) and as text (JSON) parse to the same table."""
    rows = [
        {"adp": "Glasgow City", "calendar_year": "2022", "drug_misuse_deaths": "250"},
        {"adp": " fife ", "calendar_year": "2022", "drug_misuse_deaths": "1,040"},
    ]
    (tmp_path / "deaths.json").write_text(json.dumps(rows))
    (tmp_path / "deaths.csv").write_text(
        'adp,calendar_year,drug_misuse_deaths\nGlasgow City,2022,250\n fife ,2022,"1,040"\n'
    )
    assert read_return(tmp_path / "deaths.csv").equals(read_return(tmp_path / "deaths.json"))


def test_json_saved_by_powershell_as_utf16_is_read(tmp_path: Path) -> None:
    """PowerShell's `Out-File` writes JSON as UTF-16 with a BOM: it is read, with a note."""
    original = (VALID / "rehab-wrapper.json").read_text("utf-8")
    path = tmp_path / "rehab.json"
    path.write_bytes(original.encode("utf-16"))
    report = mission.validate(path)
    assert report.valid, [f.code for f in report.files[0].findings]
    assert "non-utf8-encoding" in [f.code for f in report.files[0].findings]


_KEYED_ADPS = {"Fife": "Fife", " fife ": "Fife", "Highland": "Highland", "HIGHLAND": "Highland"}


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    keys=st.lists(
        st.tuples(
            st.sampled_from(sorted(_KEYED_ADPS)), st.sampled_from(["2023/24 Q1", "2023/24 Q2"])
        ),
        min_size=1,
        max_size=14,
    )
)
def test_every_repeat_of_a_key_and_only_a_repeat_is_a_duplicate_row(
    tmp_path: Path, keys: list[tuple[str, str]]
) -> None:
    """A row is a `duplicate-row` exactly when an earlier row has the same ADP (however it is
    written) and period, and it names that first row."""
    lines = ["adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total"]
    lines += [f"{adp},{period},1,1,1,1,1,5" for adp, period in keys]
    path = tmp_path / "ost.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first: dict[tuple[str, str], int] = {}
    expected: dict[int, int] = {}
    for row, (adp, period) in enumerate(keys, start=2):
        key = (_KEYED_ADPS[adp], period)
        if key in first:
            expected[row] = first[key]
        else:
            first[key] = row
    found = [f for f in validate(path).files[0].findings if f.code == "duplicate-row"]
    assert {f.row for f in found} == set(expected)
    for f in found:
        assert f.row is not None and f"as row {expected[f.row]}" in f.message


@pytest.mark.parametrize(
    ("column", "cell", "errors"),
    [("adp", "Glas\x01gow City", 0), ("period", "2024/25\x1b Q1", 1)],
)
def test_a_coded_cell_with_a_control_character_is_said(column: str, cell: str, errors: int) -> None:
    """A control character pasted into an ADP or period is said, as a warning of its own (a
    comment's always was), whether or not the value around it can be read."""
    header = "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total"
    row = {"adp": "Fife", "period": "2024/25 Q1"} | {column: cell}
    text = f"{header}\n{row['adp']},{row['period']},1,1,1,1,1,5\n"
    report = validate([NamedBytes("ost.csv", text.encode("utf-8"))])
    found = [f for f in report.files[0].findings if f.code == "control-characters"]
    assert [(f.row, f.column, f.severity) for f in found] == [(2, column, Severity.WARNING)]
    assert report.files[0].errors == errors
    assert "\x01" not in (found[0].value or "") and "\x1b" not in (found[0].value or "")


def test_a_treatment_type_typed_but_not_allowed_is_not_also_missing(tmp_path: Path) -> None:
    """A started treatment whose type is misspelt has one finding (`invalid-choice`), not a
    second saying the type is missing; a blank type is still `missing-treatment-type`."""
    path = tmp_path / "episodes.csv"
    path.write_text(
        "adp,person_id,referral_date,treatment_start_date,referral_source,substance,treatment_type\n"
        "Fife,P1,2024-04-02,2024-04-03,self,drugs,ostt\n"
        "Fife,P2,2024-04-02,2024-04-03,self,drugs,\n",
        encoding="utf-8",
    )
    (report,) = validate([path]).files
    said = sorted((f.code, f.row) for f in report.findings)
    assert said == [("invalid-choice", 2), ("missing-treatment-type", 3)]


def test_a_note_inside_the_table_leaves_the_rows_around_it_checked(tmp_path: Path) -> None:
    """A sub-heading among the rows is left out alone: the four rows of data around it are still
    read and checked (one of them made wrong here is still told), and nothing else is said of
    the sub-heading's row."""
    report = validate(INVALID / "ost-note-inside-table.csv")
    assert report.files[0].rows == 4
    text = (INVALID / "ost-note-inside-table.csv").read_text(encoding="utf-8")
    path = tmp_path / "ost.csv"
    path.write_text(text.replace("29,10,3,0,1,43", "29,10,3,0,1,44"), encoding="utf-8")
    assert _codes(validate(path)) == [
        ("note-in-table", 4),
        ("total-mismatch", 6),
        ("notes-block", 7),
    ]


def test_returns_joined_end_to_end_are_read_whole(tmp_path: Path) -> None:
    """Two episodes extracts joined with `cat` (the second's header and byte order mark along):
    every row of both is read, and the second header is one warning, not an error per cell."""
    episodes = (VALID / "episodes.csv").read_bytes()
    joined = tmp_path / "episodes.csv"
    joined.write_bytes(episodes + b"\xef\xbb\xbf" + episodes)
    report = validate(joined)
    rows = episodes.decode("utf-8").strip().count("\n")
    header_row = rows + 2
    assert report.files[0].rows == 2 * rows
    assert ("header-repeated", header_row) in _codes(report)
    assert [f.code for f in report.findings if f.severity == "error"] == ["duplicate-row"] * rows


def test_a_second_table_in_a_workbook_is_read_below_its_header(tmp_path: Path) -> None:
    """A workbook with the second quarter pasted below the first, header and all: read whole."""
    import xlsxwriter

    path = tmp_path / "ost.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("ost")
    header = ["ADP", "Period", "Methadone", "Buprenorphine oral", "Buprenorphine depot",
              "Diamorphine", "Other", "Total"]  # fmt: skip
    sheet.write_row(0, 0, header)
    sheet.write_row(1, 0, ["Moray", "2023/24 Q1", 253, 73, 19, 0, 1, 346])
    sheet.write_row(3, 0, header)
    sheet.write_row(4, 0, ["Moray", "2023/24 Q2", 250, 75, 20, 0, 1, 346])
    book.close()
    report = validate(path)
    assert report.valid and report.files[0].rows == 2
    assert _codes(report) == [("blank-rows-skipped", 3), ("header-repeated", 4)]


def test_a_quarter_that_has_not_ended_is_an_error_until_its_last_day_is_over(
    tmp_path: Path,
) -> None:
    """A quarter is a return's once its last day is over: on that day, an error that says when
    it ends (stored, the part of the quarter would later count as the whole); the day after,
    none."""
    path = tmp_path / "ost.csv"
    path.write_text(
        "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total\n"
        "Moray,Q1 2024/25,253,73,19,0,1,346\n",
        encoding="utf-8",
    )
    early = validate(path, today=dt.date(2024, 6, 30))
    assert not early.valid
    assert [(f.code, f.row, f.message) for f in early.findings] == [
        (
            "period-not-ended",
            2,
            "'Q1 2024/25' is 2024/25 Q1, which ends on 30 June 2024, today (30 June 2024): "
            "returns are for quarters that have ended",
        )
    ]
    assert validate(path, today=dt.date(2024, 7, 1)).findings == ()


def test_deaths_for_a_year_still_running_are_an_error_until_it_is_over(tmp_path: Path) -> None:
    """A year's deaths are a whole count once the year is over: until then, 31 December too, a
    row for it is refused (a mistyped year, or a count sent early, that would later count as
    the whole year); on 1 January, not."""
    path = tmp_path / "deaths.csv"
    path.write_text("adp,calendar_year,drug_misuse_deaths\nFife,2023,80\nFife,2024,70\n")
    early = validate(path, today=dt.date(2024, 12, 31))
    assert not early.valid
    assert [(f.code, f.row, f.cell, f.value, f.message) for f in early.findings] == [
        (
            "period-not-ended",
            3,
            "B3",
            "2024",
            "2024 ends on 31 December 2024, today (31 December 2024): a year's count is "
            "sent once the year has ended",
        )
    ]
    assert validate(path, today=dt.date(2025, 1, 1)).findings == ()


def test_progress_as_of_a_day_to_come_is_refused() -> None:
    """Judged as of a day to come, a quarter or year still running would count as whole: the
    run is refused as a usage error (exit 2), naming today; today itself is accepted."""
    from typer.testing import CliRunner

    from mission.cli.app import app

    result = CliRunner().invoke(app, ["progress", "fixtures/demo", "--as-of", "2099-01-01"])
    assert result.exit_code == 2
    assert "is after today" in result.output
    today = dt.datetime.now(dt.UTC).date().isoformat()
    assert CliRunner().invoke(app, ["progress", "fixtures/demo", "--as-of", today]).exit_code == 0


def test_a_mat_assessment_of_a_year_not_begun_is_refused(tmp_path: Path) -> None:
    """Found last session: a MAT return for 2027/28 (a slip for 2026/27) was valid, though no
    assessment can be of a year that has not begun; the year running is taken. The template
    neither offers nor lays out a year not begun."""
    from mission.templates import plan_template

    today = dt.date(2026, 11, 27)
    header = "adp,year,standard,status\n"
    for year, valid in (("2026/27", True), ("2027-28", False), ("2027/28", False)):
        path = tmp_path / f"mat-{year.replace('/', '-')}.csv"
        path.write_text(header + "".join(f"Fife,{year},{n},green\n" for n in range(1, 11)))
        report = validate(path, today=today)
        assert report.valid is valid, year
        if not valid:
            said = {f.message for f in report.findings if f.code == "invalid-year"}
            assert said == {
                f"{year if '/' in year else repr(year) + ' is 2027/28, which'} begins on "
                "1 April 2027, after today (27 November 2026): an assessment is of a year "
                "that has begun"
            }
    with pytest.raises(InvalidPeriod, match="begins on 1 April 2027, after today"):
        plan_template("mat", period="2027/28", today=today)
    offered = plan_template("mat", period="2026/27", today=today).lists["year"]
    assert offered == ("2024/25", "2025/26", "2026/27")


def test_a_file_named_for_one_kind_with_another_kinds_header_is_told(tmp_path: Path) -> None:
    """Found by an attack: `ost-highland.csv` holding the rehab return's header was read, and
    counted, as rehab without a word (its rows then clashed with the national rehab file). It
    is read as its header says, with a warning naming both kinds; a name that names no kind,
    or two, or the header's own, is no such warning."""
    rehab = "adp,period,funding_source,placements_started,placements_completed\n"
    rehab += "Highland,2024/25 Q1,adp,2,1\n"
    told = {}
    for name in ("ost-highland.csv", "highland.csv", "ost-and-rehab.csv", "rehab-ost.csv",
                 "Highland OST Q1.csv", "rehab_highland.csv"):  # fmt: skip
        path = tmp_path / name
        path.write_text(rehab)
        report = validate(path)
        assert report.files[0].kind == "rehab" and report.valid, name
        told[name] = [f.message for f in report.findings if f.code == "name-kind-mismatch"]
    said = "the file is named for an ost return, but its header is a rehab return's: it is "
    assert told == {
        "ost-highland.csv": [said + "read as rehab"],
        "highland.csv": [],
        "ost-and-rehab.csv": [],
        "rehab-ost.csv": [],
        "Highland OST Q1.csv": [said + "read as rehab"],
        "rehab_highland.csv": [],
    }
    # Asked for a kind, the header is judged against it instead (`kind-mismatch`).
    assert "name-kind-mismatch" not in {
        f.code for f in validate(tmp_path / "ost-highland.csv", "rehab").findings
    }


@pytest.mark.parametrize(
    "last", ["Orkney Islands,,,,,,,", "Shetland,,,,,,,", " orkney ,,,,,,,", "S12000023,,,,,,,"]
)
def test_a_last_row_naming_an_adp_alone_is_a_row_begun_not_a_note(
    tmp_path: Path, last: str
) -> None:
    """Found by an attack: `Orkney Islands,,,,,,,` below the data (an ADP typed, its figures
    forgotten) was set aside as a notes block, and the return was valid without it. A row that
    names an ADP alone is data, told what it lacks, below the data or among it; a note is
    still a note, and a totals row a totals row."""
    header = "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total\n"
    fife = "Fife,2024/25 Q1,100,50,10,0,0,160\n"
    for name, text in (("below", fife + last + "\n"), ("among", last + "\n" + fife)):
        path = tmp_path / f"{name}.csv"
        path.write_text(header + text)
        report = validate(path)
        assert not report.valid, name
        codes = {f.code for f in report.findings}
        assert "missing-value" in codes and not codes & {"notes-block", "note-in-table"}, name
    notes = tmp_path / "notes.csv"
    notes.write_text(header + fife + "Source: ADP records,,,,,,,\nTotal,,,,,,,\n")
    assert {f.code for f in validate(notes).findings} >= {"notes-block"}
    # Found by an attack: a notes block signed with the ADP's name is notes, all of it.
    signed = tmp_path / "signed.csv"
    signed.write_text(header + fife + ",,,,,,,\nNotes: Q2 includes transfers.,,,,,,,\n"
                      "Prepared on behalf of,,,,,,,\nFife ADP,,,,,,,\n")  # fmt: skip
    report = validate(signed)
    assert report.valid and [f.code for f in report.findings] == ["notes-block"]
