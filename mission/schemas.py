"""The data contract as data other tools can use: a Frictionless Table Schema and a JSON Schema
for each kind, generated from `mission.kinds` so they can never drift from what we validate.

Both describe a return in its canonical form (canonical periods, choice values as the contract
spells them, whole numbers as numbers). `mission` itself reads more than that — `Q1 2023/24`,
`Provisional Green`, `1,234`, council names for ADPs — and says so in each field's description.
"""

from __future__ import annotations

from typing import Any

from mission.columns import Column, ColumnType
from mission.kinds import SPEC_VERSION, Kind, KindSpec, kind_spec

__all__ = ["json_schema", "table_schema"]

_QUARTER = r"^\d{4}/\d{2} Q[1-4]$"
_YEAR = r"^\d{4}/\d{2}$"

_TYPE_WORDS = {
    ColumnType.ADP: "An ADP's code or name as `mission adps` lists them (mission also reads "
    "aliases, council names and S12 codes, case and punctuation aside).",
    ColumnType.PERIOD: "A financial-year quarter, canonically `2023/24 Q1` (Q1 = April–June); "
    "mission also reads `2023-24 Q1`, `2023/2024 Q1` and `Q1 2023/24`.",
    ColumnType.YEAR: "A financial year, canonically `2023/24`; mission also reads `2023-24`.",
    ColumnType.CALENDAR_YEAR: "A four-digit calendar year.",
    ColumnType.COUNT: "A whole number, 0 or more; never a suppression marker.",
    ColumnType.DATE: "A date, ISO `2024-05-31` (mission also reads `31/05/2024`).",
    ColumnType.CHOICE: "One of the listed values (case and spacing do not matter to mission).",
    ColumnType.STANDARD: "A MAT standard's number, 1 to 10 (mission also reads `MAT 3`).",
    ColumnType.TEXT: "Text.",
}


def _description(column: Column) -> str:
    words = _TYPE_WORDS[column.type]
    # An ADP column's own words say again what the type's say (as the template leaves them out).
    own = column.description if column.type is not ColumnType.ADP else ""
    extra = f" {own[0].upper()}{own[1:]}." if own else ""
    return f"{words}{extra}"


def _table_field(column: Column) -> dict[str, Any]:
    constraints: dict[str, Any] = {"required": column.required}
    field: dict[str, Any] = {"name": column.name, "description": _description(column)}
    if column.type in (ColumnType.COUNT, ColumnType.STANDARD, ColumnType.CALENDAR_YEAR):
        field["type"] = "integer"
        constraints["minimum"] = {ColumnType.STANDARD: 1, ColumnType.CALENDAR_YEAR: 1990}.get(
            column.type, 0
        )
        if column.type is ColumnType.STANDARD:
            constraints["maximum"] = 10
    elif column.type is ColumnType.DATE:
        field["type"] = "date"
    else:
        field["type"] = "string"
        if column.type is ColumnType.CHOICE:
            constraints["enum"] = list(column.choices)
        elif column.type is ColumnType.PERIOD:
            constraints["pattern"] = _QUARTER[1:-1]
        elif column.type is ColumnType.YEAR:
            constraints["pattern"] = _YEAR[1:-1]
        if column.max_length is not None:
            constraints["maxLength"] = column.max_length
    field["constraints"] = constraints
    return field


def table_schema(kind: Kind | str) -> dict[str, Any]:
    """The kind as a Frictionless Table Schema (for CSV and Excel returns)."""
    spec = kind_spec(kind)
    return {
        "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
        "title": spec.title,
        "description": f"mission data contract, spec_version {SPEC_VERSION}, kind {spec.name}",
        "fields": [_table_field(c) for c in spec.columns],
        "primaryKey": list(spec.key),
        "missingValues": [""],
        # Optional columns may be left out and unknown ones added (they are warnings), in any
        # order: Table Schema v2's loosest match; `required` still marks what must be filled.
        "fieldsMatch": "partial",
    }


def _json_property(column: Column) -> dict[str, Any]:
    field = _table_field(column)
    constraints = field["constraints"]
    value: dict[str, Any] = {"description": field["description"]}
    if field["type"] == "integer":
        value["type"] = "integer"
        value["minimum"] = constraints["minimum"]
        if "maximum" in constraints:
            value["maximum"] = constraints["maximum"]
    elif field["type"] == "date":
        value |= {"type": "string", "format": "date"}
    else:
        value["type"] = "string"
        for key in ("enum", "maxLength"):
            if key in constraints:
                value[key] = constraints[key]
        if "pattern" in constraints:
            value["pattern"] = f"^{constraints['pattern']}$"
    if not column.required:
        value = {"anyOf": [value, {"type": "null"}], "description": value["description"]}
    return value


def _row_schema(spec: KindSpec) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {c.name: _json_property(c) for c in spec.columns},
        "required": list(spec.required),
    }


def json_schema(kind: Kind | str) -> dict[str, Any]:
    """The kind as a JSON Schema (draft 2020-12) for JSON returns: an array of rows, or
    `{"kind", "spec_version", "rows"}`."""
    spec = kind_spec(kind)
    rows = {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/row"}}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": spec.title,
        "description": f"mission data contract, spec_version {SPEC_VERSION}, kind {spec.name}",
        "$defs": {"row": _row_schema(spec)},
        "oneOf": [
            rows,
            {
                "type": "object",
                "properties": {
                    "kind": {"const": spec.name},
                    "spec_version": {"const": SPEC_VERSION},
                    "rows": rows,
                },
                "required": ["rows"],
            },
        ],
    }
