"""The catalogue of finding codes: one stable code, one severity, one meaning and one fix each.

`mission explain`, the README's list of codes and `docs/codes.md` are all generated from it, and a
finding's severity always comes from here, so one code always means one thing.
"""

from __future__ import annotations

from mission.catalogue_reading import READING_CODES
from mission.code_info import CodeInfo, Severity

__all__ = ["CATALOGUE", "CodeInfo", "Severity"]


E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

_CODES = (
    *READING_CODES,
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
        "formula-value-unsure",
        E,
        "Formula value may be stale",
        "The workbook asks Excel to work its formulas out again when it is opened (it was "
        "written by a program such as pandas or xlsxwriter, and never saved from Excel), so the "
        "value saved with a formula is the program's (often 0), not what Excel shows.",
        "H5 holds =SUM(C5:G5); Excel shows 6982, but the file saves 0",
        "Open the file in Excel and save it again so the value is saved with it, or type the "
        "figure itself.",
    ),
    CodeInfo(
        "merged-cells",
        W,
        "Merged cells in the table",
        "Cells among the table's rows (or in its header) are merged: Excel shows the first "
        "cell's value across them, but only that cell holds it, so the others read as blank (or "
        "as values the merge hides). Each row must hold its own values.",
        "A3:A5 merged so that 'Fife' shows beside three quarters, but rows 4 and 5 name no ADP",
        "Unmerge the cells (Home > Merge & Center > Unmerge Cells), then fill in each cell left "
        "blank: every row, and every column's header, holds its own value.",
    ),
    CodeInfo(
        "hidden-rows",
        E,
        "Hidden rows in the table",
        "Rows among the table's rows are hidden in Excel (or by a filter), but every row in the "
        "file is read: rows hidden rather than deleted, or a sheet filtered down to one ADP, "
        "would send rows the officer does not see (and an old quarter hidden there would replace "
        "a newer one already accepted), so the return is refused until they are dealt with.",
        "last quarter's rows 5–6 hidden above this quarter's",
        "Unhide them (or clear the filter) and check each: delete the rows that are not part of "
        "this return, and keep the rest unhidden.",
    ),
    CodeInfo(
        "hidden-columns",
        W,
        "Hidden columns in the table",
        "Columns of the table are hidden in Excel, but every column in the file is read.",
        "a hidden helper column G with a header and figures",
        "Unhide them and check what they hold: every column in the file is read.",
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
        "Fill in the cell (0 for none). If a figure is not known, ask the national team what to send: a return is not accepted with it blank.",
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
        "adp-council-area",
        W,
        "ADP named by one council area",
        "A return of ADP figures names one council area of an ADP of two (Clackmannanshire "
        "and Stirling; Midlothian and East Lothian): it is read as the ADP, and its figure "
        "stored as the whole ADP's. If it is the council area's alone, the ADP's figure is part "
        "of itself, and a later return naming the other council area replaces it.",
        "'Stirling,2024/25 Q1,240,...' in an OST return",
        "If the figure is that council area's alone, add the other's to it and name the ADP.",
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
        E,
        "Period not ended",
        "The quarter (or, for deaths, the calendar year) has not ended yet: its census day or its "
        "last count has not happened, so a return for it is a mistyped year, or sent too early. "
        "It is refused: stored, a part of a period would be counted as the whole of it once the "
        "period ended. `mission check` judges completeness for ended quarters.",
        "'2030/31 Q1', the quarter now running, or deaths for this year",
        "Check the year; send the quarter's return once it has ended.",
    ),
    CodeInfo(
        "invalid-year",
        E,
        "Not a financial year",
        "A year must be a financial year that has begun, e.g. 2023/24.",
        "'2023' or '2023/25'",
        "Write the financial year as 2023/24.",
    ),
    CodeInfo(
        "invalid-calendar-year",
        E,
        "Not a calendar year",
        "A calendar year is four digits, not in the future.",
        "'23' or '2023/24'",
        "Write the four-digit year (of registration for deaths), e.g. 2023.",
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
