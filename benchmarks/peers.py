"""The peers, given the same checks as `mission validate` on episodes (as far as each can express
them), so `episodes.py` can time them as whole processes. Also `clean`, which drops the planted
errors so `mission measures` has a valid extract to measure.

    python benchmarks/peers.py pandera FILE
    python benchmarks/peers.py frictionless FILE
    python benchmarks/peers.py clean FILE OUT
"""

from __future__ import annotations

import sys
from pathlib import Path

from mission.kinds import Kind

EPISODES = Kind.EPISODES.spec
SOURCES = list(EPISODES.column("referral_source").choices)
SUBSTANCES = list(EPISODES.column("substance").choices)
TREATMENTS = list(EPISODES.column("treatment_type").choices)
KEY = ["adp", "person_id", "referral_date"]


def _adp_names() -> list[str]:
    from mission.adps import all_adps

    names: list[str] = []
    for adp in all_adps():
        names += [adp.code, adp.name, *adp.aliases]
        names += [c.name for c in adp.council_areas]
    return names


def pandera(path: Path) -> int:
    """pandera's polars backend: read, coerce dates, then a lazy schema with the same checks."""
    import pandera.polars as pa
    import polars as pl

    if path.suffix == ".xlsx":
        raw = pl.read_excel(path, sheet_name="episodes", infer_schema_length=0)
    else:
        raw = pl.read_csv(path, infer_schema=False, glob=False)
    frame = raw.with_columns(
        pl.col("referral_date", "treatment_start_date").str.to_date("%Y-%m-%d", strict=False)
    )
    schema = pa.DataFrameSchema(
        {
            "adp": pa.Column(str, pa.Check.isin(_adp_names())),
            "person_id": pa.Column(str, pa.Check.str_length(1, 64)),
            "referral_date": pa.Column(pl.Date, nullable=False),
            "treatment_start_date": pa.Column(pl.Date, nullable=True),
            "referral_source": pa.Column(str, pa.Check.isin(SOURCES)),
            "substance": pa.Column(str, pa.Check.isin(SUBSTANCES)),
            "treatment_type": pa.Column(str, pa.Check.isin(TREATMENTS), nullable=True),
        },
        checks=[
            pa.Check(
                lambda data: data.lazyframe.select(
                    pl.col("treatment_start_date").is_null()
                    | (pl.col("treatment_start_date") >= pl.col("referral_date"))
                )
            ),
        ],
        unique=KEY,
    )
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        print(f"pandera: {len(errors.failure_cases)} failure cases")
        return 1
    return 0


def frictionless(path: Path) -> int:
    """frictionless: a Table Schema with the same constraints and a primary key."""
    from frictionless import Resource, Schema

    schema = Schema.from_descriptor(
        {
            "fields": [
                {
                    "name": "adp",
                    "type": "string",
                    "constraints": {"required": True, "enum": _adp_names()},
                },
                {
                    "name": "person_id",
                    "type": "string",
                    "constraints": {"required": True, "maxLength": 64},
                },
                {"name": "referral_date", "type": "date", "constraints": {"required": True}},
                {"name": "treatment_start_date", "type": "date"},
                {
                    "name": "referral_source",
                    "type": "string",
                    "constraints": {"required": True, "enum": SOURCES},
                },
                {
                    "name": "substance",
                    "type": "string",
                    "constraints": {"required": True, "enum": SUBSTANCES},
                },
                {"name": "treatment_type", "type": "string", "constraints": {"enum": TREATMENTS}},
            ],
            "primaryKey": KEY,
        }
    )
    resource = Resource(path.name, basepath=str(path.parent), schema=schema)
    report = resource.validate(limit_errors=10**9)
    if report.flatten(["type"]) and report.flatten(["type"])[0] == ["resource-error"]:
        print(report.flatten(["note"]))
        return 2
    print(f"frictionless: valid={report.valid}, {report.stats['errors']} errors")
    return 0 if report.valid else 1


def clean(path: Path, out: Path) -> int:
    """Drop the planted errors (for measures, which refuses an invalid extract)."""
    import polars as pl

    frame = pl.read_csv(path, infer_schema=False, glob=False)
    frame = frame.filter(
        (pl.col("adp") != "Glasgo")
        & (pl.col("referral_source") != "postman")
        & ~pl.col("referral_date").str.contains("/")
        & (
            pl.col("treatment_start_date").is_null()
            | (pl.col("treatment_start_date") >= pl.col("referral_date"))
        )
    )
    frame.write_csv(out)
    return 0


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    if command == "clean":
        sys.exit(clean(Path(rest[0]), Path(rest[1])))
    sys.exit({"pandera": pandera, "frictionless": frictionless}[command](Path(rest[0])))
