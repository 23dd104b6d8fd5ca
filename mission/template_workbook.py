"""The Excel template: a data sheet whose every column carries the contract's rule as an input
message and a data validation, an instructions sheet written for officers, the MAT standards by
number and name, and the lists the drop-downs offer.

Excel refuses, as it is typed, what the contract refuses wherever it can: a value not in a list,
a count that is not a whole number of 0 or more, a date before 2000 or after today, a calendar
year out of range, text too long. What spans cells (a total, evidence against a status) cannot be
refused by a rule on one cell; it is shaded as soon as it disagrees.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mission.columns import Column, ColumnType
from mission.files import write_with
from mission.kinds import Kind
from mission.standards import FULLY_IMPLEMENTED, mat_standards
from mission.templates import (
    EARLIEST_CALENDAR_YEAR,
    EARLIEST_DATE,
    TemplateSpec,
    key_in_words,
)

__all__ = ["EXTRA_ROWS", "input_message", "write_workbook"]

EXTRA_ROWS = 500
"""Rows below those laid out that still carry the rules (record-level returns: many more)."""
_RECORD_ROWS = 20_000
_TITLE, _MESSAGE = 32, 255  # Excel's limits on a validation's titles and messages
_SUPPRESSION = "Send the true figure, never * or <5."


def _count_rule(column: Column) -> str:
    blank = (
        "Write 0 for none. A blank is refused: if a figure is not known, ask before sending."
        if column.required
        else ""
    )
    extra = f"{_capitalised(column.description)}." if column.description else ""
    return " ".join(p for p in ("A whole number, 0 or more.", blank, _SUPPRESSION, extra) if p)


def input_message(column: Column, choices: tuple[str, ...]) -> str:
    """The contract's rule for a column, as the cell shows it when selected (at most 255)."""
    rules = {
        ColumnType.ADP: "Choose the ADP from the list.",
        ColumnType.PERIOD: "Choose the quarter from the list, written like 2024/25 Q1 "
        "(Q1 is April to June, Q4 is January to March).",
        ColumnType.YEAR: "Choose the financial year from the list, written like 2024/25.",
        ColumnType.CALENDAR_YEAR: f"{_capitalised(_year_meaning(column))}, four digits, e.g. 2023.",
        ColumnType.DATE: "A date from 1 January 2000 up to today, e.g. 31/05/2024.",
        ColumnType.STANDARD: _standards_message(),
    }
    if column.type is ColumnType.COUNT:
        text = _count_rule(column)
    elif column.type is ColumnType.CHOICE:
        text = "Choose from the list: " + ", ".join(choices) + "."
    elif column.type is ColumnType.TEXT:
        text = _text_rule(column)
    else:
        text = rules[column.type]
    if column.type is ColumnType.DATE and column.description:
        text += f" Blank means {column.description.removeprefix('blank means ')}."
    if column.type is ColumnType.CHOICE and column.description:
        text += f" {_capitalised(column.description)}."
    return text[:_MESSAGE]


def _text_rule(column: Column) -> str:
    if column.private:
        return (
            f"The pseudonymised person id, 1 to {column.max_length} characters: never a name. "
            "It is never shown in any output."
        )
    return f"Free text, at most {column.max_length or 32_767:,} characters."


def _standards_message() -> str:
    names = "; ".join(f"{s.number} {s.name}" for s in mat_standards())
    for intro in ("The MAT standard's number: ", "Number: "):
        if len(intro + names) + 1 <= _MESSAGE:
            return f"{intro}{names}."
    return "The MAT standard's number, 1 to 10 (see the standards sheet)."


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _year_meaning(column: Column) -> str:
    """What a calendar year column's year is of (`the year of registration`), as its contract
    column says."""
    return column.description or "the year"


def _error_message(column: Column, choices: tuple[str, ...], whole_years: bool) -> str:
    words = {
        ColumnType.ADP: "Choose the ADP from the list (mission adps lists every name).",
        ColumnType.PERIOD: "Choose the quarter from the list; quarters are written like "
        "2024/25 Q1.",
        ColumnType.YEAR: "Choose the financial year from the list, e.g. 2024/25.",
        ColumnType.CALENDAR_YEAR: f"Write {_year_meaning(column)}, four digits, from "
        f"{EARLIEST_CALENDAR_YEAR} to {'last year' if whole_years else 'this year'}.",
        ColumnType.COUNT: "Write a whole number, 0 or more (0 for none). Suppression marks such "
        "as * or <5 do not belong in a return.",
        ColumnType.DATE: "Write a date from 1 January 2000 up to today, e.g. 31/05/2024.",
        ColumnType.STANDARD: "Choose the standard's number, 1 to 10.",
        ColumnType.TEXT: f"Write at most {column.max_length or 32_767:,} characters.",
    }
    if column.type is ColumnType.CHOICE:
        return f"Choose one of: {', '.join(choices)}."[:_MESSAGE]
    return words[column.type]


def _rule(column: Column, source: str | None, whole_years: bool) -> dict[str, Any]:
    """The data validation of a column (xlsxwriter's options), without its messages."""
    if source is not None:
        return {"validate": "list", "source": source}
    if column.type is ColumnType.COUNT:
        return {"validate": "integer", "criteria": ">=", "value": 0}
    if column.type is ColumnType.CALENDAR_YEAR:
        return {
            "validate": "integer",
            "criteria": "between",
            "minimum": EARLIEST_CALENDAR_YEAR,
            # A year still running is refused where validation refuses it (deaths).
            "maximum": "=YEAR(TODAY())-1" if whole_years else "=YEAR(TODAY())",
        }
    if column.type is ColumnType.DATE:
        return {
            "validate": "date",
            "criteria": "between",
            "minimum": EARLIEST_DATE,
            "maximum": "=TODAY()",
        }
    low = 1 if column.required else 0
    return {
        "validate": "length",
        "criteria": "between",
        "minimum": low,
        "maximum": column.max_length or 32_767,
    }


def _width(column: Column, values: tuple[str, ...]) -> int:
    longest = max([len(column.name), *(len(v) for v in values)])
    if column.type is ColumnType.DATE:
        longest = max(longest, 12)
    return min(max(longest + 3, 12), 60)


class _Formats:
    def __init__(self, book: Any) -> None:
        self.header = book.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": False}
        )
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.bold = book.add_format({"bold": True})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.text = book.add_format({"num_format": "@"})
        self.date = book.add_format({"num_format": "yyyy-mm-dd"})
        self.whole = book.add_format({"num_format": "0"})
        self.mismatch = book.add_format({"bg_color": "#F4B6B6", "font_color": "#7A0000"})


def _column_format(column: Column, formats: _Formats) -> Any:
    """Text columns stay text (a person id `00123` keeps its zeros); dates show as dates."""
    if column.type is ColumnType.DATE:
        return formats.date
    if column.type in (ColumnType.COUNT, ColumnType.CALENDAR_YEAR):
        return formats.whole
    if column.type is ColumnType.STANDARD:
        return None
    return formats.text


def write_workbook(path: Path, plan: TemplateSpec) -> None:
    """Write the Excel template of `plan` to `path`, atomically."""
    import xlsxwriter

    def write(temporary: Path) -> None:
        book = xlsxwriter.Workbook(
            str(temporary), {"strings_to_formulas": False, "strings_to_numbers": False}
        )
        formats = _Formats(book)
        sheet = book.add_worksheet(plan.spec.name)
        instructions = book.add_worksheet("instructions")
        has_standards = any(c.type is ColumnType.STANDARD for c in plan.spec.columns)
        standards = book.add_worksheet("standards") if has_standards else None
        lists = book.add_worksheet("lists")
        sources = _write_lists(lists, plan, formats)
        _data_sheet(sheet, plan, sources, formats)
        _instructions(instructions, plan, formats, path.name)
        if standards is not None:
            _standards(standards, formats)
        lists.hide()
        sheet.activate()
        book.close()

    write_with(path, write)


def _write_lists(lists: Any, plan: TemplateSpec, formats: _Formats) -> dict[str, str]:
    """One column per drop-down on the hidden lists sheet; the validation source of each."""
    from xlsxwriter.utility import xl_col_to_name

    sources: dict[str, str] = {}
    for index, (name, values) in enumerate(plan.lists.items()):
        lists.write_string(0, index, name, formats.bold)
        numeric = plan.spec.column(name).type is ColumnType.STANDARD
        for row, value in enumerate(values, start=1):
            if numeric:
                lists.write_number(row, index, int(value))
            else:
                lists.write_string(row, index, value)
        letter = xl_col_to_name(index)
        sources[name] = f"=lists!${letter}$2:${letter}${len(values) + 1}"
        lists.set_column(index, index, _width(plan.spec.column(name), values))
    return sources


def _data_sheet(sheet: Any, plan: TemplateSpec, sources: dict[str, str], formats: _Formats) -> None:
    spec = plan.spec
    laid = len(plan.rows)
    last = laid + (_RECORD_ROWS if spec.period_column is None else EXTRA_ROWS)
    for index, column in enumerate(spec.columns):
        values = plan.lists.get(column.name, ())
        sheet.write_string(0, index, column.name, formats.header)
        sheet.set_column(index, index, _width(column, values), _column_format(column, formats))
        rule = _rule(column, sources.get(column.name), spec.whole_years_only)
        required = "required" if column.required else "optional"
        messages = {
            "input_title": f"{column.name} ({required})"[:_TITLE],
            "input_message": input_message(column, values),
            "error_title": f"Not a valid {column.name}"[:_TITLE],
            "error_message": _error_message(column, values, spec.whole_years_only),
        }
        first = 1
        if column.type is ColumnType.STANDARD and laid:
            first = laid + 1
            for row, fixed in enumerate(plan.rows, start=1):
                named = {**messages, "input_message": _standard_message(fixed[column.name])}
                sheet.data_validation(row, index, row, index, {**rule, **named})
        sheet.data_validation(first, index, last, index, {**rule, **messages})
    for row, fixed in enumerate(plan.rows, start=1):
        for index, column in enumerate(spec.columns):
            value = fixed.get(column.name, "")
            if value and column.type is ColumnType.STANDARD:
                sheet.write_number(row, index, int(value))
            elif value:
                sheet.write_string(row, index, value, _column_format(column, formats))
    sheet.freeze_panes(1, 0)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    _shade_disagreements(sheet, plan, formats, last)


def _standard_message(number: str) -> str:
    standard = next(s for s in mat_standards() if s.number == int(number))
    text = f"MAT {standard.number}: {standard.name}. {standard.statement}"
    return text if len(text) <= _MESSAGE else text[: _MESSAGE - 1].rsplit(" ", 1)[0] + "…"


def _shade_disagreements(sheet: Any, plan: TemplateSpec, formats: _Formats, last: int) -> None:
    """Shade what no one-cell rule can refuse: a total that is not the sum of its parts, a
    status of green or blue with evidence not met."""
    from xlsxwriter.utility import xl_col_to_name

    spec = plan.spec
    letter = {c.name: xl_col_to_name(i) for i, c in enumerate(spec.columns)}
    if spec.kind is Kind.OST:
        from mission.rules.ost import MEDICATIONS

        parts = [m for m in MEDICATIONS if spec.column(m).required]
        first, final = letter[MEDICATIONS[0]], letter[MEDICATIONS[-1]]
        filled = ",".join(f"ISNUMBER(${letter[p]}2)" for p in parts)
        formula = (
            f"=AND({filled},ISNUMBER(${letter['total']}2),"
            f"${letter['total']}2<>SUM(${first}2:${final}2))"
        )
        target = f"{letter['total']}2:{letter['total']}{last + 1}"
    elif spec.kind is Kind.MAT:
        status = f"${letter['status']}2"
        full = ",".join(f'{status}="{s}"' for s in FULLY_IMPLEMENTED)
        weak = ",".join(
            f'${letter[s]}2="{level}"'
            for s in ("numerical", "process", "experiential")
            for level in ("partial", "not_met")
        )
        formula = f"=AND(OR({full}),OR({weak}))"
        target = f"{letter['status']}2:{letter['status']}{last + 1}"
    else:
        return
    sheet.conditional_format(
        target, {"type": "formula", "criteria": formula, "format": formats.mismatch}
    )


def _instructions(sheet: Any, plan: TemplateSpec, formats: _Formats, file_name: str) -> None:
    """The instructions, in words an officer reads once: steps, then each column's rule."""
    spec = plan.spec
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 12)
    sheet.set_column(2, 2, 90)
    sheet.write_string(0, 0, f"{spec.title}: how to fill in this return", formats.title)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    row = 2
    for step in _steps(plan, file_name):
        sheet.merge_range(row, 0, row, 2, step, formats.wrap)
        sheet.set_row(row, 15 * (1 + len(step) // 120))
        row += 1
    row += 1
    sheet.write_row(row, 0, ["column", "required?", "what to write"], formats.header)
    for column in spec.columns:
        row += 1
        sheet.write_string(row, 0, column.name)
        sheet.write_string(row, 1, "required" if column.required else "optional")
        sheet.write_string(row, 2, _column_words(column, plan), formats.wrap)


def _column_words(column: Column, plan: TemplateSpec) -> str:
    """What is particular to a column: its type in a word or two, and its own rule."""
    values = plan.lists.get(column.name, ())
    kinds = {
        ColumnType.ADP: "the ADP, from the list",
        ColumnType.PERIOD: "the quarter, from the list",
        ColumnType.YEAR: "the financial year, from the list",
        ColumnType.CALENDAR_YEAR: _year_meaning(column),
        ColumnType.COUNT: "a count",
        ColumnType.DATE: "a date",
        ColumnType.STANDARD: "the standard's number, 1 to 10",
        ColumnType.TEXT: "text",
    }
    if column.type is ColumnType.CHOICE:
        what = "one of " + ", ".join(values)
    elif column.private:
        what = f"the pseudonymised person id, at most {column.max_length} characters"
    elif column.type is ColumnType.TEXT and column.max_length:
        what = f"text, at most {column.max_length:,} characters"
    else:
        what = kinds[column.type]
    own = column.description if column.type is not ColumnType.ADP else ""
    if column.type in (ColumnType.PERIOD, ColumnType.YEAR, ColumnType.STANDARD, ColumnType.TEXT):
        own = ""
    return f"{what}: {own}" if own else what


def _steps(plan: TemplateSpec, file_name: str) -> list[str]:
    spec = plan.spec
    types = {c.type for c in spec.columns}
    steps = []
    if plan.adp is not None or plan.period is not None:
        parts = [p for p in (plan.adp.name if plan.adp else None, plan.period) if p]
        steps.append(
            f"This return is for {' for '.join(str(p) for p in parts)}: those cells are filled "
            "in already."
        )
    steps.append(f"Fill in the {spec.name} sheet: one row for each {key_in_words(spec)}.")
    if plan.rows:
        steps.append("The rows are laid out already: fill in their empty cells.")
    steps.append(
        "Where a column has a drop-down list, choose from it: Excel refuses what the return "
        "does not accept, and shows each column's rule when you select one of its cells."
    )
    if ColumnType.COUNT in types:
        steps.append(
            "Counts are whole numbers. Write 0 for none, and leave a cell blank only when the "
            "figure is not known. Send true figures, never * or <5: small numbers are hidden "
            "when figures are published."
        )
    if ColumnType.DATE in types:
        steps.append("Dates run from 1 January 2000 up to today; type them as 31/05/2024.")
    if ColumnType.STANDARD in types:
        steps.append(
            "The standards sheet lists the ten MAT standards: the standard column takes the "
            "number, and shows the standard's name when you select the cell."
        )
    if spec.kind is Kind.OST:
        steps.append("A total that is not the sum of the medication columns turns red.")
    if spec.kind is Kind.MAT:
        steps.append(
            "A status of green or blue turns red while an evidence stream is partial or not met."
        )
    steps += [
        f"Keep the column headings as they are, and keep titles and notes off the {spec.name} "
        "sheet: write them here instead.",
        f"Before you send it, check it: mission validate {file_name}. Add --annotate "
        "checked.xlsx for a copy with each problem marked at its cell.",
    ]
    return steps


def _standards(sheet: Any, formats: _Formats) -> None:
    """The ten MAT standards by number, name and statement; read-only."""
    sheet.write_row(0, 0, ["standard", "name", "what it means"], formats.header)
    for row, standard in enumerate(mat_standards(), start=1):
        sheet.write_number(row, 0, standard.number)
        sheet.write_string(row, 1, standard.name)
        sheet.write_string(row, 2, standard.statement, formats.wrap)
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, 1, 40)
    sheet.set_column(2, 2, 100)
    sheet.protect()
