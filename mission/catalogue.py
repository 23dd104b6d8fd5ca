"""The catalogue of finding codes: one stable code, one severity, one meaning and one fix each.

`mission explain`, the README's list of codes and `docs/codes.md` are all generated from it, and a
finding's severity always comes from here, so one code always means one thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["CATALOGUE", "CodeInfo", "Severity"]


class Severity(StrEnum):
    """How much a finding matters: an error makes a return invalid."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True)
class CodeInfo:
    """What a finding code means and how to fix it."""

    code: str
    severity: Severity
    title: str
    meaning: str
    example: str
    fix: str


E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

_CODES = (
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
        "is hidden: it is not read in place of the data, since it is as often an old copy.",
        "the visible 'Data' sheet's header lacks 'total'; the hidden 'ost' sheet is last year's",
        "Unhide the sheet if it is the return to send; else complete the visible sheet's header.",
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
    # Cells
    CodeInfo(
        "cell-places-unsure",
        W,
        "Cell references may be off",
        "The sheet's XML holds cells the Excel library does not read as cells (elements Excel never writes), so the grid read starts or ends elsewhere than the cells the XML names, and the rows and cells this report names may be shifted.",
        "a value written inside an inline-string cell at A1, above a table that starts at B3",
        "Open the workbook in Excel and save it again, then check the saved copy.",
    ),
    CodeInfo(
        "formula-without-value",
        E,
        "Formula with no saved value",
        "The cell holds a formula but the file carries no value for it, so it reads as blank (the workbook was made by a program that does not calculate, or never opened in Excel).",
        "H5 holds =SUM(C5:G5) but no saved total",
        "Open the file in Excel and save it again so the value is saved with it, or type the figure itself.",
    ),
    CodeInfo(
        "merged-cells",
        W,
        "Merged cells in the table",
        "Cells among the table's rows are merged: Excel shows the first cell's value across "
        "them, but only that cell holds it, so the others read as blank (or as values the merge "
        "hides). Each row must hold its own values.",
        "A3:A5 merged so that 'Fife' shows beside three quarters, but rows 4 and 5 name no ADP",
        "Unmerge the cells (Home > Merge & Center > Unmerge Cells), then give each cell its own "
        "value: select the range and fill down (Ctrl+D).",
    ),
    CodeInfo(
        "error-cell",
        E,
        "Excel error in a cell",
        "The cell holds an Excel error such as #DIV/0! or #REF! instead of a value.",
        "the total in H5 shows #REF! after a column was deleted",
        "Correct the formula (or type the figure) so the cell shows a number.",
    ),
    CodeInfo(
        "missing-value",
        E,
        "Required value missing",
        "A required cell is blank.",
        "an OST row with no total",
        "Fill in the cell. Send 0 for none; blank means 'not known'.",
    ),
    CodeInfo(
        "not-a-count",
        E,
        "Not a count",
        "A count must be a whole number of zero or more.",
        "'twelve' or '12 people' in methadone",
        "Write the number only, e.g. 12.",
    ),
    CodeInfo(
        "negative-count",
        E,
        "Negative count",
        "A count cannot be below zero.",
        "-3 in placements_started",
        "Write the true count; corrections to earlier quarters go in a revised return.",
    ),
    CodeInfo(
        "fractional-count",
        E,
        "Count is not whole",
        "A count must be a whole number.",
        "12.5 in methadone",
        "Write a whole number; check for an averaging or formula error.",
    ),
    CodeInfo(
        "suppressed-count",
        E,
        "Suppressed value in a return",
        "Suppression markers belong in published tables, not in a return.",
        "'*', 'c' or '<5' in diamorphine",
        "Send the true figure: mission suppresses small numbers when it publishes.",
    ),
    CodeInfo(
        "dot-thousands",
        W,
        "Count may be in thousands",
        "A count such as 1.000 was read as 1, as the contract reads 12.0 as 12; but a dot "
        "followed by three digits is how a European-locale Excel (the one that saves CSV with "
        "semicolons) writes a thousand.",
        "'1.000' in methadone, read as 1",
        "Write the count without any separator: 1 if it is one, 1000 if it is a thousand.",
    ),
    CodeInfo(
        "thousands-separator",
        I,
        "Thousands separator read",
        "A count written with thousands separators was read as a number.",
        "'1,234' read as 1234",
        "Nothing to do.",
    ),
    CodeInfo(
        "totals-row",
        E,
        "A totals row",
        "The row's ADP cell reads as a total (Total, Scotland, All ADPs): it is not an ADP's row, so it is told once, as the totals row it is, and its other cells are not checked.",
        "'Total' in the adp column below the ADPs' rows",
        "Remove the totals row: mission adds up the ADPs' figures itself.",
    ),
    CodeInfo(
        "unknown-adp",
        E,
        "Unknown ADP",
        "The value names no Alcohol and Drug Partnership.",
        "'Glasgo' (did you mean 'Glasgow City'?)",
        "Use the ADP's name or code as `mission adps` lists it.",
    ),
    CodeInfo(
        "ambiguous-adp",
        E,
        "Ambiguous ADP",
        "The value could mean more than one ADP.",
        "'Lanarkshire' could be North or South Lanarkshire",
        "Name one ADP per row.",
    ),
    CodeInfo(
        "adp-combined",
        I,
        "Council area mapped to its ADP",
        "A council area that shares an ADP with another was read as that ADP.",
        "'Stirling' read as Clackmannanshire and Stirling",
        "Nothing to do, unless you meant to report the council area alone (the contract is per ADP).",
    ),
    CodeInfo(
        "invalid-period",
        E,
        "Not a quarter",
        "A period must be one financial-year quarter, e.g. 2023/24 Q1 (Q1 = April–June).",
        "'2023/25 Q1' (years not consecutive) or '2023 Q1' (could mean two quarters)",
        "Write the quarter as 2023/24 Q1.",
    ),
    CodeInfo(
        "period-not-ended",
        W,
        "Period not ended",
        "The quarter (or, for deaths, the calendar year) has not ended yet: its census day or its "
        "last count has not happened, so a return for it is a mistyped year, or sent too early. "
        "Progress counts it only once it has ended, and `mission check` judges completeness for "
        "ended quarters.",
        "'2030/31 Q1', the quarter now running, or deaths for this year",
        "Check the year; send the quarter's return once it has ended.",
    ),
    CodeInfo(
        "invalid-year",
        E,
        "Not a financial year",
        "A year must be a financial year, e.g. 2023/24.",
        "'2023' or '2023/25'",
        "Write the financial year as 2023/24.",
    ),
    CodeInfo(
        "invalid-calendar-year",
        E,
        "Not a calendar year",
        "A calendar year is four digits, not in the future.",
        "'23' or '2023/24'",
        "Write the year of registration, e.g. 2023.",
    ),
    CodeInfo(
        "invalid-date",
        E,
        "Not a date",
        "A date must be ISO (2024-05-31) or UK order (31/05/2024).",
        "'31st May' or '2024-02-30'",
        "Write dates as year-month-day (2024-05-31) or day/month/year (31/05/2024).",
    ),
    CodeInfo(
        "us-date-order",
        E,
        "Date in US order",
        "The date only makes sense as month/day/year; it is never silently swapped.",
        "'05/31/2024'",
        "Write it as 31/05/2024 or 2024-05-31.",
    ),
    CodeInfo(
        "future-date",
        E,
        "Date in the future",
        "A date after today cannot have happened yet.",
        "a referral_date next year",
        "Check the year; correct the date.",
    ),
    CodeInfo(
        "date-too-early",
        E,
        "Date before 2000",
        "Dates before 2000-01-01 are outside the data collection.",
        "'1924-05-31'",
        "Check the year; correct the date.",
    ),
    CodeInfo(
        "invalid-choice",
        E,
        "Value not allowed",
        "The column takes one of a fixed list of values.",
        "'Pharmacy supply' in supply_source",
        "Use one of the listed values (case and spacing do not matter).",
    ),
    CodeInfo(
        "invalid-standard",
        E,
        "Not a MAT standard",
        "A standard is a number from 1 to 10 (MAT 3 and MAT3 are read as 3).",
        "'MAT 11' or 'retention'",
        "Write the standard's number, 1 to 10.",
    ),
    CodeInfo(
        "text-too-long",
        E,
        "Text too long",
        "The value is longer than the column allows.",
        "a comment of 2,500 characters",
        "Shorten it.",
    ),
    CodeInfo(
        "control-characters",
        W,
        "Control characters in text",
        "The value holds control characters or terminal escape sequences; they are never shown raw.",
        "an ESC sequence pasted into a comment",
        "Retype the value.",
    ),
    # Rules of a kind
    CodeInfo(
        "duplicate-row",
        E,
        "Row repeated",
        "Another row has the same key (for example the same ADP and period).",
        "Fife, 2023/24 Q1 twice in an OST return",
        "Keep one row per key: merge or delete the repeat.",
    ),
    CodeInfo(
        "total-mismatch",
        E,
        "Total does not add up",
        "An OST total must equal methadone + buprenorphine_oral + buprenorphine_depot + "
        "diamorphine + other.",
        "total 100 but the medications add up to 98",
        "Correct the total or the medication counts.",
    ),
    CodeInfo(
        "zero-population",
        E,
        "Population of 0",
        "A population estimate is the denominator of a rate, so it cannot be 0.",
        "Orkney, 2023, 0",
        "Write the mid-year estimate for the whole area, all ages.",
    ),
    CodeInfo(
        "council-area-missing",
        E,
        "Council area missing from an ADP's population",
        "An ADP made of several council areas is given by some of them for a year, not all: "
        "its population would be too small, and every rate on it too large.",
        "Midlothian, 2023 (East Lothian has no row for 2023)",
        "Add the missing council area's estimate, or give one row for the whole ADP.",
    ),
    CodeInfo(
        "missing-standard",
        E,
        "MAT standard missing",
        "Each ADP and year must list all ten MAT standards.",
        "Fife 2023/24 lists standards 1–9 but not 10",
        "Add a row for the missing standard (use not_assessed if it was not assessed).",
    ),
    CodeInfo(
        "status-evidence-mismatch",
        W,
        "Status stronger than its evidence",
        "A standard assessed green or blue has an evidence stream that is not met.",
        "status green with experiential = partial",
        "Check the status, or the evidence streams.",
    ),
    CodeInfo(
        "provisional-green-early",
        W,
        "Provisional green on MAT 1–5",
        "Provisional green is only used for MAT 6–10.",
        "standard 3 assessed provisional_green",
        "Assess MAT 1–5 as red, amber, green or blue.",
    ),
    CodeInfo(
        "start-before-referral",
        E,
        "Treatment before referral",
        "A treatment start date cannot be before the referral date.",
        "referred 2024-05-31, started 2024-05-01",
        "Check both dates.",
    ),
    CodeInfo(
        "missing-treatment-type",
        E,
        "Treatment type missing",
        "treatment_type is required when treatment has started.",
        "a treatment_start_date with a blank treatment_type",
        "Fill in the treatment type.",
    ),
    # Across files
    CodeInfo(
        "duplicate-across-files",
        E,
        "Same row in two files",
        "The same key (e.g. ADP and period) is in two files of this run.",
        "Fife 2023/24 Q1 in both ost-q1.csv and ost-q1-final.csv",
        "Send one file per return; remove the older one.",
    ),
    CodeInfo(
        "slice-in-two-files",
        E,
        "Same return split over two files",
        "Two valid files of one submit hold rows for the same kind, ADP and period. The store "
        "keeps one return per kind, ADP and period (a later one replaces it whole), so neither "
        "file is stored; the other files of the submit are.",
        "naloxone for Fife 2024/25 Q1 in fife-community.csv and fife-pharmacy.csv",
        "Combine them into one file for that kind, ADP and period, and submit it again.",
    ),
    CodeInfo(
        "large-change",
        W,
        "Large change on the previous quarter",
        "A value moved by more than 25% against the same ADP's previous quarter.",
        "total 1,000 in Q1 and 1,400 in Q2",
        "Check the figure; if it is right, nothing to do.",
    ),
    # A repository of returns (mission check)
    CodeInfo(
        "outside-folder",
        E,
        "Link outside the repository",
        "A symbolic link in the returns folder leads outside the checked folder; it is never followed.",
        "returns/fife/ost/2024-25-q1.csv -> /etc/passwd",
        "Commit the return itself, not a link to a file elsewhere.",
    ),
    CodeInfo(
        "name-mismatch",
        E,
        "File name and content disagree",
        "Where a file sits (ADP folder, kind folder, period in the name) does not match what it holds.",
        "returns/fife/ost/2024-25-q1.csv holds Glasgow City's rows",
        "Move or rename the file, or correct its content.",
    ),
    CodeInfo(
        "return-missing",
        E,
        "Return not sent",
        "With --require-complete, an ADP has sent no valid return of a kind for the period judged.",
        "no ost return for 2024/25 Q1 from Dundee City",
        "Add the ADP's return where the layout says, or check without --require-complete.",
    ),
    CodeInfo(
        "annotated-copy",
        W,
        "A marked-up copy, not a return",
        "A workbook in the folder checked is a copy of a return that `mission validate --annotate` marked up: it is passed over, so the return and its copy are never counted twice (named on its own, it is read as the return it copies).",
        "ost-checked.xlsx beside ost.xlsx in the folder checked",
        "Make your fixes in the return itself; keep the copy outside the folder of returns, or leave it out with --exclude.",
    ),
    CodeInfo(
        "unexpected-path",
        W,
        "File not where the layout expects",
        "The file is not laid out as the repository's pattern says, so its name cannot be checked.",
        "returns/ost-final-v2.csv when the pattern is {adp}/{kind}/{period}.{ext}",
        "Move the file, or set the pattern in mission.toml.",
    ),
    CodeInfo(
        "too-many-findings",
        W,
        "Too many findings",
        "So many findings of one code that the rest were counted, not listed.",
        "100,000 rows with an unknown ADP",
        "Fix the first ones listed: the rest usually share the cause.",
    ),
)

CATALOGUE: dict[str, CodeInfo] = {c.code: c for c in _CODES}
