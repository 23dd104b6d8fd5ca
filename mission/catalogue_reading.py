"""The catalogue's codes for reading a file (`catalogue`): what can stop a file being read, and
what reading it found in its layout (titles, notes, sheets, cells Excel shows otherwise)."""

from __future__ import annotations

from mission.code_info import CodeInfo, Severity

__all__ = ["READING_CODES"]

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

READING_CODES = (
    # Reading the file
    CodeInfo(
        "could-not-read",
        E,
        "File could not be read",
        "The file is not what its name says, or is damaged, so no rows could be read.",
        "returns/ost.xlsx is really a CSV file renamed to .xlsx",
        "Open the file in the program that made it and save it again as CSV, Excel (.xlsx) or JSON.",
    ),
    CodeInfo(
        "empty-file",
        E,
        "File is empty",
        "The file has no content, or only blank rows.",
        "a 0-byte ost.csv left by a failed export",
        "Export the return again; check the file opens and shows the data.",
    ),
    CodeInfo(
        "no-data-rows",
        E,
        "No data rows",
        "The header is there but no row below it holds data.",
        "a template saved before it was filled in",
        "Fill in at least one row below the header, or do not send this return.",
    ),
    CodeInfo(
        "non-utf8-encoding",
        I,
        "Text encoding converted",
        "The file is not UTF-8 (Excel on Windows saves Windows-1252); it was read correctly.",
        "a CSV with 'Na h-Eileanan Siar' saved from Excel on Windows",
        "Nothing to do. To avoid it, save as 'CSV UTF-8' in Excel.",
    ),
    CodeInfo(
        "delimiter-not-comma",
        W,
        "Delimiter is not a comma",
        "The file uses semicolons or tabs between values; it was read, but the contract says commas.",
        "adp;period;methadone;...",
        "Save as 'CSV (Comma delimited)', or set your system's list separator to a comma.",
    ),
    CodeInfo(
        "title-rows-skipped",
        I,
        "Title rows skipped",
        "Rows above the header (titles, blank rows) were skipped.",
        "row 1 'OST return for Glasgow City, 2023/24 Q1' above the header in row 3",
        "Nothing to do; the data below the header was read.",
    ),
    CodeInfo(
        "blank-rows-skipped",
        I,
        "Blank rows skipped",
        "Fully blank rows inside the table were skipped.",
        "an empty row between two ADPs",
        "Nothing to do.",
    ),
    CodeInfo(
        "notes-block",
        I,
        "Notes below the table ignored",
        "Rows after the data whose first cell is text and the rest blank were read as notes.",
        "'Notes: figures are provisional' two rows below the last ADP",
        "Nothing to do; make sure no data rows were meant to follow the notes.",
    ),
    CodeInfo(
        "header-repeated",
        W,
        "Header repeated",
        "A row below the header repeats it, as a second table pasted below the first, or "
        "files joined end to end, leave it; the row was skipped and the rows below it read as "
        "data.",
        "the header again in row 40, above the second quarter's rows",
        "Delete the repeated header row: a return has one header, at the top.",
    ),
    CodeInfo(
        "note-in-table",
        E,
        "Note inside the table",
        "A row whose first cell alone is filled sits above rows of data: a note or a "
        "sub-heading typed among the rows. It is left out of the checks; the rows below it "
        "are checked as data.",
        "'Q2 figures below' in A6, between two ADPs' rows",
        "Move the note below the last row of data, or delete it; if the row is data, fill in "
        "its other cells.",
    ),
    CodeInfo(
        "hidden-kind-sheet",
        W,
        "Hidden sheet named after the kind",
        "A sheet named after a kind of return is hidden: it was passed over, and the visible "
        "sheet with a return's header was read, so an old copy put away is never sent in "
        "place of the data.",
        "a hidden sheet 'ost' with last year's figures beside the visible sheet 'Data'",
        "Delete the hidden sheet if it is an old copy; else unhide it, and rename or delete the "
        "other.",
    ),
    CodeInfo(
        "hidden-sheet-only",
        E,
        "Only a hidden sheet holds a return",
        "No visible sheet holds a whole header of a return, and the sheet named after the kind "
        "(or the workbook's only sheet) is hidden: it is not read in place of the data, since it "
        "is as often an old copy.",
        "the visible 'Data' sheet's header lacks 'total'; the hidden 'ost' sheet is last year's",
        "Unhide the sheet if it is the return to send; else complete the visible sheet's header.",
    ),
    CodeInfo(
        "hidden-sheet-passed-over",
        W,
        "Hidden sheets passed over",
        "No visible sheet holds a return's header, and the workbook has hidden sheets: a hidden "
        "sheet is never read, so a return put on one is passed over (what the visible sheet "
        "lacks is told beside this).",
        "a visible cover sheet, and the return on a hidden sheet 'Data'",
        "If the return is on a hidden sheet, unhide it; else complete the visible sheet's header.",
    ),
    CodeInfo(
        "other-sheet-not-read",
        W,
        "Another sheet holds a return",
        "One sheet is read (the one named after a kind of return, else the first visible one "
        "with a return's header); another visible sheet of the workbook holds a return's "
        "header too, and was not read, checked or sent.",
        "a workbook with this quarter's OST return on 'Data' and last year's rehab return on a "
        "sheet named 'rehab'",
        "Send one return per workbook: delete or move the other sheet, or name the sheet to read "
        "after its kind (or pass --kind).",
    ),
    CodeInfo(
        "two-row-header",
        E,
        "Header of two rows",
        "The header takes two rows (a group name over its columns' names, merged or not): the "
        "contract's header is one row, so the return is refused, but it is read as the one row "
        "it stands for (each column under the group named by both names: 'Buprenorphine oral' "
        "is buprenorphine_oral) and the rows below are checked, so their own mistakes are told "
        "in the same run.",
        "'Buprenorphine' over D3:E3 with 'oral' and 'depot' in D4 and E4, the other header "
        "cells blank or merged down A3:A4",
        "Make the header one row: unmerge it, write the contract's column names in it "
        "(`mission template` writes them), and delete the second row.",
    ),
    CodeInfo(
        "first-sheet-used",
        I,
        "Sheet chosen",
        "No sheet is named after the kind of return, so mission read the first visible sheet "
        "whose header is a return's (else the first visible sheet); hidden sheets were passed "
        "over.",
        "a workbook whose sheets are 'Sheet1' and 'Notes'",
        "Name the data sheet after the kind (ost, rehab, naloxone, mat, episodes, deaths, population).",
    ),
    CodeInfo(
        "extra-cells",
        E,
        "More cells than headers",
        "A row has values beyond the last header column; they cannot be matched to a column.",
        "row 7 has 9 values but the header has 8 columns",
        "Remove the stray values, or add the missing column header.",
    ),
    CodeInfo(
        "unknown-kind",
        E,
        "Kind of return not recognised",
        "The header does not match any kind of return, so the file cannot be checked.",
        "a file whose header is 'area, quarter, clients'",
        "Use the column names of the contract (see `mission template KIND`), or pass --kind.",
    ),
    CodeInfo(
        "name-kind-mismatch",
        W,
        "File named for another kind",
        "The file's name names one kind of return but its header is another kind's: it is read, "
        "and counted, as the kind its header says. The wrong template filled in, or the wrong "
        "file attached.",
        "ost-highland.csv whose header is the rehab return's",
        "Check it is the file you meant: send the return its name says, or rename the file.",
    ),
    CodeInfo(
        "kind-mismatch",
        E,
        "Kind does not match",
        "The kind the file declares, or the kind its header is, differs from the kind asked "
        "for with --kind.",
        '{"kind": "rehab", ...} validated with --kind ost',
        "Pass the right --kind, or correct the file's kind.",
    ),
    CodeInfo(
        "unsupported-spec-version",
        E,
        "Unsupported contract version",
        "The JSON file declares a spec_version this version of mission does not know.",
        '{"kind": "ost", "spec_version": 2, "rows": [...]}',
        "Write spec_version 1, or upgrade mission.",
    ),
    CodeInfo(
        "missing-column",
        E,
        "Required column missing",
        "A column the contract requires for this kind is not in the header.",
        "an OST return with no 'total' column",
        "Add the column with the exact name (case and spacing do not matter).",
    ),
    CodeInfo(
        "duplicate-column",
        E,
        "Column appears twice",
        "Two header cells mean the same column; only the first was read.",
        "'Period' in column B and 'period ' in column F",
        "Delete or rename one of the two columns.",
    ),
    CodeInfo(
        "unknown-column",
        W,
        "Column not in the contract",
        "A header is not a column of this kind; it was ignored. It may be a typo.",
        "'methadon' (did you mean 'methadone'?)",
        "Rename it to the contract's name, or delete the column if it is not needed.",
    ),
)
