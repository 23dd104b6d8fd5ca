"""The contract as Table Schema and JSON Schema: generated from the kinds, usable by other tools."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from mission.kinds import Kind, kinds
from mission.schemas import json_schema, table_schema
from mission.templates import write_template

from .conftest import FIXTURES

KINDS = [k.kind for k in kinds()]


@pytest.mark.parametrize("kind", KINDS, ids=[k.value for k in KINDS])
def test_table_schema_describes_every_column(kind: Kind) -> None:
    """Every column of the kind is a field, with its requiredness, and the key is the primary key."""
    schema = table_schema(kind)
    assert [f["name"] for f in schema["fields"]] == list(kind.spec.names)
    assert [f["name"] for f in schema["fields"] if f["constraints"]["required"]] == list(
        kind.spec.required
    )
    assert schema["primaryKey"] == list(kind.spec.key)


@pytest.mark.parametrize("kind", KINDS, ids=[k.value for k in KINDS])
def test_frictionless_accepts_our_template_and_the_demo(kind: Kind, tmp_path: Path) -> None:
    """The frictionless library, given our schema, passes our blank template and the demo set."""
    from frictionless import Resource, Schema

    schema = Schema.from_descriptor(table_schema(kind))
    template = write_template(kind, tmp_path / f"{kind.value}.csv")
    report = Resource(path=template.name, basepath=str(tmp_path), schema=schema).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    demo = FIXTURES / "demo" / f"{kind.value}.csv"
    # The demo leaves optional columns out, as a return may (the schema's fieldsMatch says so).
    report = Resource(path=demo.name, basepath=str(demo.parent), schema=schema).validate(
        limit_rows=2000
    )
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


def test_frictionless_refuses_what_mission_refuses(tmp_path: Path) -> None:
    """A negative count and an unknown choice break the schema, as they break the contract."""
    from frictionless import Resource, Schema

    path = tmp_path / "rehab.csv"
    path.write_text(
        "adp,period,funding_source,placements_started,placements_completed\n"
        "Fife,2024/25 Q1,charity,-3,\n"
    )
    schema = Schema.from_descriptor(table_schema("rehab"))
    report = Resource(path=path.name, basepath=str(tmp_path), schema=schema).validate()
    assert {e[1] for e in report.flatten(["rowNumber", "fieldName"])} == {
        "funding_source",
        "placements_started",
    }


def test_json_schema_accepts_both_shapes_and_refuses_a_bad_row() -> None:
    """A JSON return as an array or as the wrapper object passes; a negative count does not."""
    schema = json_schema(Kind.OST)
    jsonschema.Draft202012Validator.check_schema(schema)
    row = {
        "adp": "Fife",
        "period": "2024/25 Q1",
        "methadone": 1,
        "buprenorphine_oral": 2,
        "buprenorphine_depot": 3,
        "diamorphine": 0,
        "total": 6,
    }
    jsonschema.validate([row], schema)
    jsonschema.validate({"kind": "ost", "spec_version": 1, "rows": [row]}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{**row, "total": -1}], schema)


def test_schema_command_prints_the_library_schema(cli) -> None:  # type: ignore[no-untyped-def]
    """`mission schema KIND` prints exactly the library's schema."""
    result = cli("schema", "mat", "--format", "json-schema")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json_schema(Kind.MAT)
