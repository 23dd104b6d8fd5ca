"""A hidden sheet named after the kind (last year's copy, put away) is never read in place of
the visible data: the visible sheets come first, with a warning that the hidden one was passed
over; when none of them holds a return, the file is refused, never read from the hidden copy."""

from __future__ import annotations

import json
from pathlib import Path

import xlsxwriter

import mission

HEADER = ["adp", "period", "methadone", "buprenorphine_oral", "buprenorphine_depot",
          "diamorphine", "other", "total"]  # fmt: skip


def _book(path: Path, sheets: list[tuple[str, list[list[object]], bool]]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    for name, rows, hidden in sheets:
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            sheet.write_row(r, 0, row)
        if hidden:
            sheet.hide()
    book.close()
    return path


OLD = [HEADER, ["Moray", "2023/24 Q3", 250, 70, 20, 0, 1, 341]]
NEW = [HEADER, ["Moray", "2024/25 Q1", 253, 73, 19, 0, 1, 999]]


def _told(report: mission.Report) -> list[tuple[str, str]]:
    return [(f.code, f.message) for f in report.findings]


def test_the_visible_sheet_is_read_before_a_hidden_one_named_after_the_kind(
    tmp_path: Path,
) -> None:
    path = _book(tmp_path / "ost.xlsx", [("Data", NEW, False), ("ost", OLD, True)])
    report = mission.validate(path)
    told = _told(report)
    # The visible sheet's mistake is found: its rows were the ones read.
    assert ("total-mismatch", "total is 999 but the medication columns add up to 346") in told
    assert any(
        code == "hidden-kind-sheet" and "'ost', named after a kind of return, is hidden" in message
        for code, message in told
    )
    assert all(f.sheet in (None, "Data") for f in report.findings)


def test_a_hidden_sheet_is_never_read_when_no_visible_sheet_holds_a_return(
    tmp_path: Path,
) -> None:
    """Attack s33b: a visible sheet with no return's header let the hidden copy be read and
    stored. The file is refused instead, and says why; a visible sheet whose header lacks a
    column is read (and told what it lacks), never the hidden copy."""
    cover = [["Moray ADP quarterly return"], ["see the ost sheet"]]
    path = _book(tmp_path / "ost.xlsx", [("Data", cover, False), ("ost", OLD, True)])
    report = mission.validate(path)
    assert not report.valid and report.files[0].rows == 0
    assert [f.code for f in report.findings] == ["hidden-sheet-only"]
    assert "'ost', is hidden" in report.findings[0].message
    partial = [HEADER[:-1], ["Moray", "2024/25 Q1", 253, 73, 19, 0, 1]]
    path = _book(tmp_path / "ost.xlsx", [("Data", partial, False), ("ost", OLD, True)])
    codes = [(f.code, f.sheet) for f in mission.validate(path).findings]
    assert ("hidden-kind-sheet", None) in codes and ("missing-column", None) in codes


def test_a_visible_sheet_named_after_the_kind_is_read_without_a_word(tmp_path: Path) -> None:
    path = _book(tmp_path / "ost.xlsx", [("Notes", [["a note"]], False), ("ost", OLD, False)])
    report = mission.validate(path)
    assert report.valid and report.findings == ()


def test_a_sheet_named_as_an_id_may_be_is_never_named(tmp_path: Path) -> None:
    """Attack s33b: a sheet named `DEMO000777` (or a CHI-like `0101011234`) was quoted in every
    note about the sheet, and as the place of each cell's finding, unless the id was also one of
    the file's rows. Such a name is not said at all; `Sheet1` and `OST Q1 2024` are."""
    for name in ("DEMO000777", "0101011234", "P12345"):
        path = _book(tmp_path / "ost.xlsx", [(name, NEW, False), ("Notes", [["x"]], False)])
        report = mission.validate(path)
        assert name not in json.dumps(report.to_dict()), name
        assert report.findings and all(f.sheet is None for f in report.findings)
    path = _book(tmp_path / "ost.xlsx", [("OST Q1 2024", NEW, False), ("Notes", [["x"]], False)])
    assert "'OST Q1 2024'" in " ".join(f.message for f in mission.validate(path).findings)


def test_a_return_on_another_sheet_than_the_one_named_after_a_kind_is_told(
    tmp_path: Path,
) -> None:
    """Found by an attack: this quarter's OST return on 'Data' (with an error), last year's
    rehab return on a sheet named 'rehab': the workbook was read as the rehab return, valid,
    without a word of 'Data'. The named sheet is still the one read, with a warning naming the
    other; a sheet of notes is no such sheet, nor is a hidden one."""
    rehab = [["adp", "period", "funding_source", "placements_started", "placements_completed"],
             ["Moray", "2023/24 Q3", "adp", 2, 1]]  # fmt: skip
    notes = [["Sent by the ADP lead"]]
    path = _book(tmp_path / "return.xlsx",
                 [("Data", NEW, False), ("rehab", rehab, False), ("Notes", notes, False),
                  ("Old", OLD, True)])  # fmt: skip
    report = mission.validate(path)
    assert report.files[0].kind == "rehab" and report.valid
    assert _told(report) == [
        (
            "other-sheet-not-read",
            "sheet 'Data' holds a return's header too, but only sheet 'rehab', named after a "
            "kind of return, was read",
        )
    ]
    # Asked for the kind on 'Data', that sheet is read, and its error found.
    asked = mission.validate(path, "ost")
    assert asked.files[0].kind == "ost" and not asked.valid
    assert "other-sheet-not-read" not in {f.code for f in asked.findings}
    alone = _book(tmp_path / "alone.xlsx", [("rehab", rehab, False), ("Notes", notes, False)])
    assert _told(mission.validate(alone)) == []


def test_a_hidden_sheet_not_named_after_a_kind_is_never_read_either(tmp_path: Path) -> None:
    """Found by an attack: a visible cover sheet and the return on a hidden sheet 'Data' gave
    `no-data-rows` about the cover, the hidden return unnamed; a workbook whose only sheet is
    hidden (as Excel never saves one) was read without a word, though the README promises a
    warning. The first says the hidden sheet was passed over; the second is refused as
    `hidden-sheet-only`. Hidden sheets not named after a kind are not read to look for a
    return: a template's hidden lists look like one (found by a second attack)."""
    cover = _book(tmp_path / "cover.xlsx",
                  [("Cover", [["Return for Moray"]], False), ("Data", NEW, True)])  # fmt: skip
    report = mission.validate(cover)
    assert not report.valid
    assert (
        "hidden-sheet-passed-over",
        "no visible sheet holds a return's header, and sheet 'Data' is hidden: a hidden sheet "
        "is never read",
    ) in _told(report)
    alone = _book(tmp_path / "alone.xlsx", [("Data", NEW, True)])
    # xlsxwriter hides no only sheet (nor does Excel): the workbook part is written by hand.
    xml = _part(alone, "xl/workbook.xml").replace(
        b'<sheet name="Data"', b'<sheet name="Data" state="hidden"'
    )
    _replace(alone, "xl/workbook.xml", xml)
    assert _told(mission.validate(alone)) == [
        (
            "hidden-sheet-only",
            "the only sheet with a return's header, 'Data', is hidden, and no visible sheet "
            "holds a whole header: a hidden sheet is not read in place of the data",
        )
    ]


def test_two_visible_returns_neither_named_after_a_kind_are_told(tmp_path: Path) -> None:
    """Found by an attack: the second of two visible sheets holding a return was read by no
    one, without a word (only a sheet named after a kind led to the warning)."""
    path = _book(tmp_path / "two.xlsx", [("This quarter", NEW, False), ("Last", OLD, False)])
    assert ("other-sheet-not-read",
            "sheet 'Last' holds a return's header too, but only sheet 'This quarter', the first "
            "with one, was read") in _told(mission.validate(path))  # fmt: skip


def _part(path: Path, name: str) -> bytes:
    import zipfile

    with zipfile.ZipFile(path) as book:
        return book.read(name)


def _replace(path: Path, name: str, data: bytes) -> None:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, data if info.filename == name else source.read(info))
    path.write_bytes(out.getvalue())
