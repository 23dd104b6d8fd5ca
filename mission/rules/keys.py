"""Keys: one row per key in a file, and one file per key in a run."""

from __future__ import annotations

import functools
import operator
from collections.abc import Sequence
from typing import TYPE_CHECKING

from mission.adps import all_adps, council_area_code
from mission.columns import ROW
from mission.engines import engine_for
from mission.findings import Finding, finding
from mission.parsing.context import Also
from mission.rules import Parsed
from mission.text import listed

if TYPE_CHECKING:
    import polars as pl

    from mission.kinds import KindSpec
    from mission.parsing import CellContext

__all__ = ["duplicate_rows", "duplicates_across_files", "key_description"]


def key_description(spec: KindSpec) -> str:
    """The key in words, never naming a private value: 'adp, period and funding_source'."""
    return listed([("person" if spec.column(k).private else k) for k in spec.key])


def _shown_key(spec: KindSpec) -> list[str]:
    return [k for k in spec.key if not spec.column(k).private]


def duplicate_rows(frame: pl.DataFrame, spec: KindSpec, ctx: CellContext) -> None:
    """A key repeated within the file: every repeat after the first is an error."""
    import polars as pl

    key = list(spec.key)
    # A 64-bit hash of each key, sorted, finds repeated keys in one fast pass; the exact
    # comparison then runs on the few candidate rows alone (a hash collision is weeded out there).
    combined = _key_hash([pl.col(name) for name in key])
    # Lazily: polars then splits the hashing between threads (eagerly it does not).
    hashes = frame.lazy().select(combined.alias("h")).collect(engine=engine_for(frame.height))["h"]
    ordered = hashes.sort()
    after = ordered.slice(1)  # each hash beside the one before it (slices share the memory)
    repeated = after.filter(after == ordered.slice(0, len(after))).unique()
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
    shown = _shown_key(spec)
    described = key_description(spec)
    typed = candidates.select(
        ROW, *(ctx.typed(candidates, k).fill_null("").alias(f"typed_{k}") for k in shown)
    )
    said = repeats.join(typed, on=ROW, how="left").join(
        typed.select(pl.col(ROW).alias("first"), pl.col("typed_adp").alias("first_adp")),
        on="first",
        how="left",
    )
    # Two council areas that share an ADP (Clackmannanshire, Stirling) sent as two rows. Each
    # name as typed is normalised once: a file pasted in three times repeats two million rows.
    # Only two different council areas are to be added together: one ADP under two of its
    # names (`Glasgow City`, `Glasgow`) is a plain repeat.
    typed_names = pl.concat([said["typed_adp"], said["first_adp"]]).drop_nulls().unique()
    areas = {name: council_area_code(name) for name in typed_names.to_list()}

    def area(column: str) -> pl.Expr:
        return pl.col(column).replace_strict(areas, default=None, return_dtype=pl.String)

    shared = (area("typed_adp") != area("first_adp")).fill_null(False)
    merge = _merge_words(spec)
    findings = said.select(
        ROW,
        # Two council areas are told at the second's ADP cell, by its name; any other repeat
        # at the key's last cell, by the key as typed.
        pl.when(shared)
        .then(pl.col("typed_adp"))
        .otherwise(pl.concat_str([pl.col(f"typed_{k}") for k in shown], separator=", "))
        .alias("value"),
        pl.when(shared)
        .then(
            pl.format(
                "same {} as row {}: '{}' (row {}) and '{}' are both part of the {} ADP",
                pl.lit(described),
                pl.col("first"),
                pl.col("first_adp"),
                pl.col("first"),
                pl.col("typed_adp"),
                pl.col("adp").replace_strict(_ADP_NAMES, return_dtype=pl.String),
            )
        )
        .otherwise(pl.format("same {} as row {}", pl.lit(described), pl.col("first")))
        .alias("message"),
        pl.when(shared)
        .then(pl.lit(merge))
        .otherwise(pl.lit(f"Keep one row per {described}: merge or delete the repeat."))
        .alias("hint"),
        # The two names as typed are cells too: each is judged, and withheld if an id.
        pl.when(shared).then(pl.col("first_adp")).alias("first_adp"),
        pl.when(shared).then(pl.col("typed_adp")).alias("typed_adp"),
        "first",
        shared.alias("shared"),
    )
    for two_areas, column in ((True, "adp"), (False, shown[-1])):
        ctx.emit(
            "duplicate-row",
            findings.filter(pl.col("shared") == two_areas).drop("shared"),
            spec.column(column),
            also=[
                Also("first_adp", spec.column("adp"), "first", "the name in {}"),
                Also("typed_adp", spec.column("adp"), None, "the name in {}"),
            ],
        )


_ADP_NAMES = {a.code: a.name for a in all_adps()}


def _merge_words(spec: KindSpec) -> str:
    """What to do with two rows of one ADP: add counts together; otherwise keep one row."""
    from mission.columns import ColumnType

    if any(c.type is ColumnType.COUNT for c in spec.columns):
        return "Add the two rows together, one row per ADP, and name the ADP (see `mission adps`)."
    return "Keep one row per ADP for the whole partnership, named as `mission adps` lists it."


def duplicates_across_files(
    files: Sequence[Parsed], earlier: pl.DataFrame | None, spec: KindSpec
) -> list[tuple[int, Finding]]:
    """The same key in two files of one run: an error in every file that holds it, so which
    file wins never depends on the order the files were given in."""
    import polars as pl

    from mission.parsing import as_text

    if len(files) < 2:
        return []
    key = list(spec.key)
    complete = pl.all_horizontal(pl.col(k).is_not_null() for k in key)
    # Only keys whose hash is in two files or more are compared exactly: the files' rows are
    # never all put side by side (30 files of 100,000 episodes once took a gigabyte).
    shared = (
        pl.concat(
            [
                f.frame.lazy().filter(complete).select(_text_hash(f.frame, key).unique())
                for f in files
            ]
        )
        .group_by("__hash")
        .len()
        .filter(pl.col("len") > 1)
        .collect(engine=engine_for(sum(f.frame.height for f in files)))["__hash"]
    )
    if shared.is_empty():
        return []
    combined = pl.concat(
        [
            as_text(
                f.frame.filter(complete & _text_hash(f.frame, key).is_in(shared.implode())).select(
                    ROW, *key
                )
            ).with_columns(pl.lit(i).alias("__file"))
            for i, f in enumerate(files)
        ]
    )
    # Per key, the first row in each of the first two files that hold it.
    holders = (
        combined.group_by([*key, "__file"])
        .agg(pl.col(ROW).min().alias("__first"))
        .sort("__file")
        .group_by(key, maintain_order=True)
        .agg(pl.col("__file").head(2).alias("__files"), pl.col("__first").head(2).alias("__rows"))
        .filter(pl.col("__files").list.len() > 1)
    )
    elsewhere = pl.col("__file") == pl.col("__files").list.get(0)
    repeats = combined.join(holders, on=key, nulls_equal=False).with_columns(
        first_file=pl.when(elsewhere)
        .then(pl.col("__files").list.get(1))
        .otherwise(pl.col("__files").list.get(0)),
        first_row=pl.when(elsewhere)
        .then(pl.col("__rows").list.get(1))
        .otherwise(pl.col("__rows").list.get(0)),
    )
    shown = _shown_key(spec)
    code = "duplicate-across-files"
    # Findings are built only for the rows each file keeps: two copies of a file of a million
    # rows repeat every row, and a finding is tens of microseconds of Python.
    ordered = repeats.sort("__file", ROW).with_columns(
        __room=pl.col("__file").replace_strict(
            {i: f.room(code) for i, f in enumerate(files)}, return_dtype=pl.Int64
        ),
        __n=pl.int_range(pl.len()).over("__file"),
    )
    over = ordered.filter(pl.col("__n") >= pl.col("__room")).group_by("__file").len()
    for number, more in over.iter_rows():
        files[number].count_over(code, more)
    found: list[tuple[int, Finding]] = []
    for row in ordered.filter(pl.col("__n") < pl.col("__room")).iter_rows(named=True):
        other, here = files[row["first_file"]], files[row["__file"]]
        found.append(
            (
                here.index,
                finding(
                    code,
                    f"same {key_description(spec)} as {other.file} row {row['first_row']}",
                    here.file,
                    row=row[ROW],
                    column=shown[-1],
                    value=", ".join(_said(k, row[k]) for k in shown),
                    hint="Send one file per return: keep the right one and leave the other out.",
                    **here.cell(shown[-1], row[ROW]),
                ),
            )
        )
    return found


def _said(column: str, value: object) -> str:
    """A key's value as a finding shows it: an ADP by its name (the rows hold its code)."""
    return _ADP_NAMES.get(str(value), str(value)) if column == "adp" else str(value)


def _text_hash(frame: pl.DataFrame, key: Sequence[str]) -> pl.Expr:
    """A 64-bit hash of each row's key in `frame`, the same in every file: a code or period is
    hashed as text, whether a reader gave it as a categorical or as text."""
    import polars as pl

    columns = [
        pl.col(name).cast(pl.String) if _textual(frame.schema[name]) else pl.col(name)
        for name in key
    ]
    return _key_hash(columns).alias("__hash")


def _key_hash(columns: Sequence[pl.Expr]) -> pl.Expr:
    """A 64-bit hash of each row's key: its columns' hashes, each seeded by its place, XORed."""
    hashes = [column.hash(seed=seed) for seed, column in enumerate(columns)]
    return functools.reduce(operator.xor, hashes)


def _textual(dtype: pl.DataType) -> bool:
    import polars as pl

    return dtype == pl.String or isinstance(dtype, pl.Categorical)
