"""The rules of each kind that span columns or rows: keys, totals, MAT completeness, date order.

Each rule is a polars query over the parsed table that returns only the offending rows; findings
are made from those rows alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from mission.adps import adp_by_code
from mission.cells import CellContext
from mission.reading import ROW
from mission.spec import KindSpec

if TYPE_CHECKING:
    import polars as pl

__all__ = ["apply_rules", "key_description"]

OST_MEDICATIONS = ("methadone", "buprenorphine_oral", "buprenorphine_depot", "diamorphine", "other")


def key_description(spec: KindSpec) -> str:
    """The key in words, never naming a private value: 'adp, period and funding_source'."""
    names = [("person" if spec.column(k).private else k) for k in spec.key]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _duplicates(frame: pl.DataFrame, spec: KindSpec, ctx: CellContext) -> None:
    import polars as pl

    key = list(spec.key)
    # A 64-bit hash of each key, sorted, finds repeated keys in one fast pass; the exact
    # comparison then runs on the few candidate rows alone (a hash collision is weeded out there).
    combined = pl.col(key[0]).hash(seed=0)
    for seed, name in enumerate(key[1:], start=1):
        combined = combined ^ pl.col(name).hash(seed=seed)
    hashes = frame.select(combined.alias("h"))["h"]
    ordered = hashes.sort()
    repeated = ordered.filter(ordered == ordered.shift(1)).unique()
    if repeated.is_empty():
        return
    candidates = frame.filter(hashes.is_in(repeated.implode())).filter(
        pl.all_horizontal(pl.col(k).is_not_null() for k in key)
    )
    repeats = candidates.with_columns(first=pl.col(ROW).min().over(key)).filter(
        pl.col(ROW) != pl.col("first")
    )
    if not repeats.height:
        return
    shown = [k for k in key if not spec.column(k).private]
    described = key_description(spec)
    ctx.emit(
        "duplicate-row",
        repeats.select(
            ROW,
            pl.concat_str([pl.col(k).cast(pl.String) for k in shown], separator=", ").alias(
                "value"
            ),
            pl.format("same {} as row {}", pl.lit(described), pl.col("first")).alias("message"),
        ),
        spec.column(shown[-1]),
        hint=f"Keep one row per {described}: merge or delete the repeat.",
    )


def _ost(frame: pl.DataFrame, spec: KindSpec, ctx: CellContext) -> None:
    import polars as pl

    parts = [pl.col(m).fill_null(0) if m == "other" else pl.col(m) for m in OST_MEDICATIONS]
    medications = pl.sum_horizontal(parts)
    complete = pl.all_horizontal(pl.col(c).is_not_null() for c in (*OST_MEDICATIONS[:-1], "total"))
    bad = frame.filter(complete & (medications != pl.col("total")))
    ctx.emit(
        "total-mismatch",
        bad.select(
            ROW,
            pl.col("total").cast(pl.String).alias("value"),
            pl.format(
                "total is {} but the medication columns add up to {}", pl.col("total"), medications
            ).alias("message"),
        ),
        spec.column("total"),
        hint="Correct the total or the medication counts (blank 'other' counts as 0).",
    )


def _mat(frame: pl.DataFrame, spec: KindSpec, ctx: CellContext) -> None:
    import polars as pl

    groups = (
        frame.filter(pl.col("adp").is_not_null() & pl.col("year").is_not_null())
        .group_by("adp", "year", maintain_order=True)
        .agg(pl.col(ROW).min().alias(ROW), pl.col("standard").drop_nulls().unique().alias("seen"))
    )
    missing: list[tuple[int, str, str]] = []
    for adp, year, row, seen in groups.iter_rows():
        absent = sorted(set(range(1, 11)) - set(seen))
        if absent:
            listed = ", ".join(str(s) for s in absent)
            name = adp_by_code(adp).name
            missing.append((row, listed, f"{name} {year} has no row for standard(s) {listed}"))
    ctx.emit(
        "missing-standard",
        pl.DataFrame(
            missing, schema={ROW: pl.Int64, "value": pl.String, "message": pl.String}, orient="row"
        ),
        spec.column("standard"),
        hint="Add a row for each missing standard (not_assessed if it was not assessed).",
    )
    streams = ("numerical", "process", "experiential")
    weak = frame.filter(
        pl.col("status").is_in(["green", "blue"])
        & pl.any_horizontal(pl.col(s).is_in(["partial", "not_met"]) for s in streams)
    )
    ctx.emit(
        "status-evidence-mismatch",
        weak.select(ROW, pl.col("status").alias("value")),
        spec.column("status"),
        lambda v: f"status is {v} but an evidence stream is not met",
        hint="Check the status against the numerical, process and experiential evidence.",
    )
    early = frame.filter((pl.col("status") == "provisional_green") & (pl.col("standard") <= 5))
    ctx.emit(
        "provisional-green-early",
        early.select(
            ROW,
            pl.col("status").alias("value"),
            pl.format("provisional_green is for MAT 6–10, not standard {}", "standard").alias(
                "message"
            ),
        ),
        spec.column("status"),
        hint="Assess MAT 1–5 as red, amber, green or blue.",
    )


def _episodes(frame: pl.DataFrame, spec: KindSpec, ctx: CellContext) -> None:
    import polars as pl

    backwards = frame.filter(pl.col("treatment_start_date") < pl.col("referral_date"))
    ctx.emit(
        "start-before-referral",
        backwards.select(ROW, pl.col("treatment_start_date").cast(pl.String).alias("value")),
        spec.column("treatment_start_date"),
        lambda v: f"treatment started {v}, before the referral date",
        hint="Check both dates.",
    )
    untyped = frame.filter(
        pl.col("treatment_start_date").is_not_null() & pl.col("treatment_type").is_null()
    )
    ctx.emit(
        "missing-treatment-type",
        untyped.select(ROW, pl.col("treatment_type").alias("value")),
        spec.column("treatment_type"),
        lambda _: "treatment_type is required when treatment has started",
        hint="Fill in the treatment type (ost, psychosocial, residential_rehab, detox, other).",
    )


_KIND_RULES: dict[str, Callable[[pl.DataFrame, KindSpec, CellContext], None]] = {
    "ost": _ost,
    "mat": _mat,
    "episodes": _episodes,
}


def apply_rules(frame: pl.DataFrame, spec: KindSpec, ctx: CellContext) -> None:
    """Every cross-column and cross-row rule of the kind; findings go to `ctx`."""
    _duplicates(frame, spec, ctx)
    rule = _KIND_RULES.get(spec.name)
    if rule is not None:
        rule(frame, spec, ctx)
