"""Attacks on the workbook guard and its bulk path (helper attack-xlsx): one test per problem
found, each failing on today's code. Crafted workbooks are built at test time and the dangerous
ones are run only in a child under `ulimit -v` (see `hostile_tools.run_child`)."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest

from mission.findings import column_letter

from .hostile_tools import (
    CRASH_MARKERS,
    FEW_SECONDS,
    raw_deflate,
    repeated_deflate,
    run,
    run_child,
    write_zip,
)
from .workbooks import MAIN, one_sheet_workbook, package_parts


def _workbook(path: Path, sheet: str, strings: str | None = None) -> Path:
    path.write_bytes(one_sheet_workbook(sheet, strings))
    return path


def _sheet(rows: str, before: str = "", after: str = "") -> str:
    return f"<worksheet xmlns='{MAIN}'>{before}<sheetData>{rows}</sheetData>{after}</worksheet>"


_HEADER = "<row r='1'><c r='A1' t='inlineStr'><is><t>adp</t></is></c></row>"
_CORNER = "<row r='1048576'><c r='XFD1048576'><v>1</v></c></row>"
_DECOY = "<c r='XFD1048576'><v/></c>"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (f"<!--{_DECOY}-->", ""),
        ("", f"<!--{_DECOY}-->"),
        (f"<sheetPr><![CDATA[{_DECOY}]]></sheetPr>", ""),
        ("", f"<?note {_DECOY}?>"),
    ],
    ids=["comment-before", "comment-after", "cdata", "processing-instruction"],
)
def test_an_empty_cell_written_in_a_comment_does_not_hide_a_real_cell(
    before: str, after: str, tmp_path: Path
) -> None:
    """A cell that looks empty inside a comment, CDATA section or processing instruction is no
    cell: it must not take a real far-corner cell off the checked extent, so the workbook is
    refused (exit 1) instead of aborting the process when the Excel library builds its grid."""
    path = _workbook(tmp_path / "decoy.xlsx", _sheet(_HEADER + _CORNER, before, after))
    outcome = run_child(["validate", str(path)], timeout=30)
    assert outcome.code in (0, 1, 2), outcome.describe()
    assert not outcome.problems(), (outcome.problems(), outcome.describe())
    assert "decoy.xlsx" in outcome.output


def test_a_sheet_within_the_default_cell_limit_does_not_abort_under_ulimit(
    tmp_path: Path,
) -> None:
    """A 1.3 KB workbook with two cells (A1 and ALL100000: exactly the default 100,000,000-cell
    limit) ends with 0, 1 or 2 under `ulimit -v 4000000`, never a SIGABRT from the grid the Excel
    library allocates."""
    rows = _HEADER + "<row r='100000'><c r='ALL100000'><v>1</v></c></row>"
    path = _workbook(tmp_path / "wide.xlsx", _sheet(rows))
    outcome = run_child(["validate", str(path)], timeout=60)
    assert outcome.code in (0, 1, 2), outcome.describe()
    assert not [m for m in CRASH_MARKERS if m in outcome.output], outcome.describe()


@pytest.mark.parametrize(
    "where",
    ["row-attribute", "cell-attribute", "shared-string-attribute"],
)
def test_a_noncharacter_in_an_attribute_is_refused_as_the_element_pass_refuses_it(
    where: str, tmp_path: Path
) -> None:
    """U+FFFF is not allowed in XML: a sheet or shared-strings table carrying it in an attribute
    value is refused as damaged (could-not-read), exactly as the element-by-element pass refuses
    it, not accepted by the bulk path's grammar (which bars it in text but not in attributes)."""
    strings = None
    if where == "row-attribute":
        rows = "<row r='1' spans='\uffff'><c r='A1' t='inlineStr'><is><t>adp</t></is></c></row>"
    elif where == "cell-attribute":
        rows = "<row r='1'><c r='A1' s='\uffff' t='inlineStr'><is><t>adp</t></is></c></row>"
    else:
        rows = "<row r='1'><c r='A1' t='s'><v>0</v></c></row>"
        strings = (
            f"<sst xmlns='{MAIN}' count='1' uniqueCount='1'>"
            "<si><r><rPr><b val='\uffff'/></rPr><t>adp</t></r></si></sst>"
        )
    path = _workbook(tmp_path / "nonchar.xlsx", _sheet(rows), strings)
    outcome = run(["validate", str(path)])
    assert outcome.code == 1, outcome.describe()
    assert "could-not-read" in outcome.output, outcome.describe()
    assert "not well-formed" in outcome.output, outcome.describe()


def test_self_closed_shared_strings_do_not_force_the_slow_pass(tmp_path: Path) -> None:
    """A 1 MB workbook whose shared-strings table holds 25 million `<si/>` (no `</si>` for the
    bulk path to cut at) is decided within a few seconds of CPU, not tens of seconds in the
    element-by-element fallback."""
    count = 25 * (1 << 20)
    per = 1 << 16
    pad = base64.b64encode(os.urandom(700_000))
    parts = package_parts(_sheet("<row r='1'><c r='A1' t='s'><v>0</v></c></row>"), "")
    members = {name: raw_deflate(text.encode()) for name, text in parts.items()}
    members |= {
        "xl/sharedStrings.xml": repeated_deflate(
            f"<sst xmlns='{MAIN}' count='{count + 1}' uniqueCount='{count + 1}'>".encode(),
            b"<si/>" * per,
            count // per,
            b"<si><t>" + pad + b"</t></si></sst>",
        ),
    }
    path = tmp_path / "empties.xlsx"
    write_zip(path, members)
    outcome = run_child(["validate", str(path)], timeout=120)
    # Its own work is inflating and scanning 125 MB of XML: 3 s of CPU alone, 6 s beside the
    # rest of the suite on two cores; the element-by-element fallback takes tens of seconds.
    said = outcome.problems(seconds=2 * FEW_SECONDS)
    assert not said, (said, outcome.describe())


def test_an_indented_empty_value_does_not_shift_every_finding(tmp_path: Path) -> None:
    """A cell at A1 whose only value is an empty `<v></v>` written on its own line (indented XML,
    which the Excel library reads as no cell) must not move where the guard thinks the grid
    starts: the bad methadone value at E5 is reported at ost!E5, as for the same sheet without
    that cell, not at ost!C3 (the header cell `adp`)."""
    header = "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total"
    table = [
        header.split(","),
        ["Glasgow City", "2023/24 Q1", "5210", "1320", "410", "30", "12", "6982"],
    ]
    table.append(["Glasgow City", "2023/24 Q2", "lots", "1345", "470", "31", "10", "7006"])
    rows = "".join(
        f"<row r='{i + 3}'>"
        + "".join(
            f"<c r='{column_letter(j + 2)}{i + 3}' t='inlineStr'><is><t>{v}</t></is></c>"
            for j, v in enumerate(values)
        )
        + "</row>"
        for i, values in enumerate(table)
    )
    plain = _workbook(tmp_path / "plain.xlsx", _sheet(rows))
    shifted = _workbook(
        tmp_path / "indented.xlsx", _sheet("<row r='1'><c r='A1'>\n<v></v>\n</c></row>" + rows)
    )
    assert "ost!E5" in run(["validate", str(plain)]).output
    outcome = run(["validate", str(shifted)])
    assert "ost!E5" in outcome.output, outcome.describe()
    assert "ost!C3" not in outcome.output, outcome.describe()
