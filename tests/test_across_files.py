"""The same key in two files of one run, whatever the files: every row holding a key that
another file holds is told, and no other row (checked against a plain Python oracle)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from mission.checking import check_files

HEADER = "adp,person_id,referral_date,treatment_start_date,referral_source,substance,treatment_type"
TODAY = dt.date(2026, 11, 25)
_ROW = st.tuples(
    st.sampled_from(["Fife", "Angus", "fife", "Dundee City"]),
    st.sampled_from(["P0000001", "P0000002", "P0000003"]),
    st.sampled_from(["2024-04-01", "2024-04-02", "02/04/2024"]),
)
_FILES = st.lists(st.lists(_ROW, min_size=1, max_size=6), min_size=2, max_size=4)


def _line(adp: str, person: str, referral: str) -> str:
    return f"{adp},{person},{referral},,self,drugs,"


def _key(adp: str, person: str, referral: str) -> tuple[str, str, dt.date]:
    day = dt.date(2024, 4, 2) if referral in ("2024-04-02", "02/04/2024") else dt.date(2024, 4, 1)
    return ("dundee" if adp == "Dundee City" else adp.lower(), person, day)


@settings(max_examples=40, deadline=None)
@given(files=_FILES, workbook=st.booleans())
def test_rows_whose_key_another_file_holds_are_told_and_no_others(
    tmp_path_factory: pytest.TempPathFactory,
    files: list[list[tuple[str, str, str]]],
    workbook: bool,
) -> None:
    folder = tmp_path_factory.mktemp("across")
    paths = []
    for number, rows in enumerate(files):
        if workbook and number == 0:  # a workbook's codes are text, a CSV's categoricals
            path = folder / f"episodes-{number}.xlsx"
            book = xlsxwriter.Workbook(str(path))
            sheet = book.add_worksheet("episodes")
            for y, line in enumerate([HEADER, *(_line(*r) for r in rows)]):
                sheet.write_row(y, 0, [c or None for c in line.split(",")])
            book.close()
        else:
            path = folder / f"episodes-{number}.csv"
            path.write_text("\n".join([HEADER, *(_line(*r) for r in rows)]) + "\n")
        paths.append(path)
    holders: dict[tuple[str, str, dt.date], set[int]] = {}
    for number, rows in enumerate(files):
        for row in rows:
            holders.setdefault(_key(*row), set()).add(number)
    expected = {
        (paths[number].name, y)
        for number, rows in enumerate(files)
        for y, row in enumerate(rows, start=2)
        if len(holders[_key(*row)]) > 1
    }
    told = {
        (Path(f.file).name, f.row)
        for checked in check_files(paths, today=TODAY)
        for f in checked.report.findings
        if f.code == "duplicate-across-files"
    }
    assert told == expected


def test_two_copies_of_a_file_keep_the_cap_and_count_the_rest(tmp_path: Path) -> None:
    """Two copies of one file repeat every row: each file keeps as many findings as its cap and
    counts the rest, as a file's own findings are capped (none are lost from the count)."""
    from mission.limits import Limits

    rows = [f"Fife,P{n:07d},2024-04-01,,self,drugs," for n in range(40)]
    for name in ("a.csv", "b.csv"):
        (tmp_path / name).write_text("\n".join([HEADER, *rows]) + "\n")
    checked = check_files([tmp_path], today=TODAY, limits=Limits(max_findings_per_code=7))
    for one in checked:
        found = one.report.findings
        assert len([f for f in found if f.code == "duplicate-across-files"]) == 7
        (more,) = [f for f in found if f.code == "too-many-findings"]
        assert more.message.startswith("33 more duplicate-across-files"), more.message
