"""Ready-to-fill returns: a CSV or an Excel workbook with drop-down lists and a notes sheet.

With an ADP and a period, the rows an officer must fill are laid out already (one per funding
source, supply source and kit type, or MAT standard), so only the figures are left to type.
"""

from __future__ import annotations

import csv
import io
import itertools
from pathlib import Path

from mission.adps import all_adps, resolve_adp
from mission.columns import Column, ColumnType
from mission.files import neutralise_formula, write_text_atomic, write_with
from mission.kinds import Kind, KindSpec, kind_spec
from mission.periods import FinancialYear, InvalidPeriod, Quarter

__all__ = ["template_rows", "write_template"]


def _period_values(spec: KindSpec, period: str | None) -> dict[str, str]:
    if period is None:
        return {}
    if spec.kind is Kind.MAT:
        try:
            return {"year": str(FinancialYear.parse(period))}
        except InvalidPeriod:
            return {"year": str(Quarter.parse(period).year)}
    if spec.kind is Kind.DEATHS:
        return {}
    if spec.kind is Kind.EPISODES:
        Quarter.parse(period)  # checked, though record-level rows carry dates instead
        return {}
    return {"period": str(Quarter.parse(period))}


def template_rows(
    kind: Kind | str, adp: str | None = None, period: str | None = None
) -> list[dict[str, str]]:
    """The pre-filled rows of a template (empty figures), or none without an ADP.

    Raises:
        UnknownKind, InvalidAdp, InvalidPeriod: the arguments do not name a kind, ADP or period.
    """
    spec = kind_spec(kind)
    fixed = _period_values(spec, period)
    if adp is None or spec.kind is Kind.EPISODES:
        return []
    fixed["adp"] = resolve_adp(adp).name
    if spec.kind is Kind.REHAB:
        spread = [{"funding_source": s} for s in spec.column("funding_source").choices]
    elif spec.kind is Kind.NALOXONE:
        spread = [
            {"supply_source": s, "kit_type": k}
            for s, k in itertools.product(
                spec.column("supply_source").choices, spec.column("kit_type").choices
            )
        ]
    elif spec.kind is Kind.MAT:
        spread = [{"standard": str(n)} for n in range(1, 11)]
    else:
        spread = [{}]
    return [{**dict.fromkeys(spec.names, ""), **fixed, **extra} for extra in spread]


def _describe(column: Column) -> str:
    parts = ["required" if column.required else "optional"]
    kinds = {
        ColumnType.ADP: "ADP name or code (see the lists sheet)",
        ColumnType.PERIOD: "financial-year quarter, e.g. 2023/24 Q1 (Q1 = April–June)",
        ColumnType.YEAR: "financial year, e.g. 2023/24",
        ColumnType.CALENDAR_YEAR: "calendar year, e.g. 2023",
        ColumnType.COUNT: "whole number, 0 or more; send true figures, never suppressed",
        ColumnType.DATE: "date, 2024-05-31 or 31/05/2024",
        ColumnType.STANDARD: "MAT standard number, 1 to 10",
        ColumnType.TEXT: "text",
    }
    if column.type is ColumnType.CHOICE:
        parts.append("one of: " + ", ".join(column.choices))
    else:
        parts.append(kinds[column.type])
    if column.max_length:
        parts.append(f"at most {column.max_length:,} characters")
    if column.description:
        parts.append(column.description)
    return "; ".join(parts)


def _write_csv(path: Path, spec: KindSpec, rows: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(spec.names), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: neutralise_formula(v) for k, v in row.items()})
    write_text_atomic(path, buffer.getvalue())


def _write_xlsx(path: Path, spec: KindSpec, rows: list[dict[str, str]]) -> None:
    import xlsxwriter

    def write(temporary: Path) -> None:
        workbook = xlsxwriter.Workbook(str(temporary), {"strings_to_formulas": False})
        bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        sheet = workbook.add_worksheet(spec.name)
        lists = workbook.add_worksheet("lists")
        notes = workbook.add_worksheet("notes")
        adp_names = [a.name for a in all_adps()]
        lists.write_string(0, 0, "adp", bold)
        for i, name in enumerate(adp_names, start=1):
            lists.write_string(i, 0, name)
        list_column = 1
        last_row = max(len(rows), 1) + 500
        for index, column in enumerate(spec.columns):
            sheet.write_string(0, index, column.name, bold)
            sheet.set_column(index, index, max(len(column.name) + 4, 14))
            source: str | None = None
            if column.type is ColumnType.ADP:
                source = f"=lists!$A$2:$A${len(adp_names) + 1}"
            elif column.type is ColumnType.CHOICE:
                letter = xlsxwriter.utility.xl_col_to_name(list_column)
                lists.write_string(0, list_column, column.name, bold)
                for i, choice in enumerate(column.choices, start=1):
                    lists.write_string(i, list_column, choice)
                source = f"=lists!${letter}$2:${letter}${len(column.choices) + 1}"
                list_column += 1
            if source:
                sheet.data_validation(
                    1,
                    index,
                    last_row,
                    index,
                    {
                        "validate": "list",
                        "source": source,
                        "error_title": column.name,
                        "error_message": f"Choose a {column.name} from the list.",
                    },
                )
        for r, row in enumerate(rows, start=1):
            for index, name in enumerate(spec.names):
                if row.get(name):
                    sheet.write_string(r, index, row[name])
        sheet.freeze_panes(1, 0)
        notes.write_row(0, 0, ["column", "how to fill it"], bold)
        for r, column in enumerate(spec.columns, start=1):
            notes.write_string(r, 0, column.name)
            notes.write_string(r, 1, _describe(column))
        notes.write_string(
            len(spec.columns) + 2, 0, f"{spec.title}. One row per {', '.join(spec.key)}."
        )
        notes.set_column(0, 0, 24)
        notes.set_column(1, 1, 100)
        lists.hide()
        workbook.close()

    write_with(path, write)


def write_template(
    kind: Kind | str,
    path: Path | str,
    format: str = "csv",
    adp: str | None = None,
    period: str | None = None,
) -> Path:
    """Write a ready-to-fill return of `kind` to `path` (atomically) and return the path.

    Raises:
        UnknownKind, InvalidAdp, InvalidPeriod: the arguments do not name a kind, ADP or period.
        ValueError: `format` is not csv or xlsx.
    """
    spec = kind_spec(kind)
    path = Path(path)
    rows = template_rows(spec.kind, adp, period)
    if format == "csv":
        _write_csv(path, spec, rows)
    elif format == "xlsx":
        _write_xlsx(path, spec, rows)
    else:
        raise ValueError(f"{format!r} is not a template format: use csv or xlsx")
    return path
