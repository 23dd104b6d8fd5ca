"""Parse and check every column of a table, vectorised: polars expressions over whole columns,
with Python only for the few distinct values of a column and for the rows that are bad.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

from mission.cell_codes import read_values
from mission.columns import CONTROL, INVISIBLE, ROW, UNTIDY, Column, ColumnType
from mission.engines import engine_for
from mission.excel_errors import EXCEL_ERRORS, told_error
from mission.findings import FindingSink, finding
from mission.parsing.context import MOST_JUDGED, SAID_SAFELY, CellContext
from mission.parsing.values import PARSERS, SUGGESTIONS, missing, text_checks

if TYPE_CHECKING:
    import polars as pl

__all__ = ["ParsedColumns", "as_text", "empty_column", "parse_columns"]

MAX_CODED_CHARS = 200
"""No ADP name, period, date, choice, count or standard is longer: a longer cell is refused
before any parsing or fuzzy matching runs on it."""


def empty_column(column: Column, height: int) -> pl.Series:
    """A column the file does not have: all null (or what the contract says a blank means), of
    the type parsing would give."""
    import polars as pl

    numeric = column.type in (ColumnType.COUNT, ColumnType.STANDARD, ColumnType.CALENDAR_YEAR)
    dtype = pl.Int64 if numeric else pl.Date if column.type is ColumnType.DATE else pl.String
    return pl.Series(column.name, [column.blank] * height, dtype=dtype)


def as_text(frame: pl.DataFrame) -> pl.DataFrame:
    """A parsed frame with its coded columns as text, as every step after checking reads it."""
    import polars as pl

    return frame.with_columns(pl.col(pl.Categorical).cast(pl.String))


class ParsedColumns(NamedTuple):
    """A file's columns parsed, and the findings still to tell about them."""

    frame: pl.DataFrame
    tell: Callable[[CellContext], None]
    """Tells the findings that need the parsed rows or a pass over the file's rows: each free-text
    column's checks and, row by row, what was found of each distinct value. Apart from parsing,
    so that it can run beside the rules (`mission.rules.side_by_side`)."""
    values: dict[str, pl.Series]
    """Each coded column's parsed distinct values (null for those that did not parse): what the
    rows hold, known without a pass over them (`mission.covers`)."""


def parse_columns(
    frame: pl.DataFrame,
    sources: dict[str, str],
    columns: Sequence[Column],
    ctx: CellContext,
    tidy: Collection[str] = (),
) -> ParsedColumns:
    """Every column parsed to its type (null where missing or bad); findings go to `ctx`, those
    about rows once `tell` is called.

    ADPs, periods, dates and choices come from a small set of distinct values, so each distinct
    value is parsed once and the answers are mapped back to the rows — by categorical code where
    the reader stored the column as a categorical, else by value. A reader's categorical knows
    its values (`read_values`); the distinct values of other columns are found in one query and
    all are mapped back in another, so polars runs the columns side by side: the cost is a pass
    or two over the file, whatever the checks. A text answer (an ADP code, a period, a choice)
    mapped by code stays a categorical through the rules; `as_text` turns it into text for what
    comes after. The free-text columns of `frame` named in `tidy` are known to need no tidying
    (`Table.tidy_texts`): they are not looked at again.
    """
    present = [c for c in columns if c.name in sources]
    coded = [c for c in present if c.type is not ColumnType.TEXT]
    texts = [c for c in present if c.type is ColumnType.TEXT]
    distinct, untidy = _distinct_values(frame, sources, coded, texts, tidy)
    mapped: list[pl.Expr] = []
    pending: list[_Pending] = []
    for column, prepared in zip(coded, _each_prepared(distinct), strict=True):
        expression, later = _parse_distinct(frame, sources[column.name], prepared, column, ctx)
        mapped.append(expression)
        pending.append(later)
    mapped += [_tidied(sources[c.name], untidy[c.name]).alias(c.name) for c in texts]
    # Eagerly: a lazy select maps the columns side by side, but held 800 MB more at ten million
    # rows (and took longer) in a whole run.
    result = frame.select(ROW, *mapped)

    def tell(told: CellContext) -> None:
        _check_texts(result, texts, told)
        for later in pending:
            _expand(later, frame, told)

    absent = [empty_column(c, frame.height) for c in columns if c.name not in sources]
    whole = result.with_columns(absent).select(ROW, *(c.name for c in columns))
    return ParsedColumns(whole, tell, {p.column.name: p.parsed for p in pending})


def _distinct_values(
    frame: pl.DataFrame,
    sources: dict[str, str],
    coded: list[Column],
    texts: list[Column],
    tidy: Collection[str],
) -> tuple[dict[str, pl.Series], dict[str, bool]]:
    """Each coded column's distinct values (a reader's categorical knows its own), and whether
    each free-text column needs tidying (unless known to be tidy): what other columns need is
    found in one query, and none is made when nothing is asked."""
    import polars as pl

    known = {c.name: read_values(frame[sources[c.name]]) for c in coded}
    asked = [c for c in texts if sources[c.name] not in tidy]
    queries = [
        *(
            pl.col(sources[name]).drop_nulls().unique().implode().alias(name)
            for name, values in known.items()
            if values is None
        ),
        *(_untidy(sources[c.name]).alias(c.name) for c in asked),
    ]
    # Lazily: polars then splits each column's pass between threads (eagerly it does not).
    found = (
        frame.lazy().select(queries).collect(engine=engine_for(frame.height))
        if queries
        else pl.DataFrame()
    )
    distinct = {
        name: found[name][0] if values is None else values for name, values in known.items()
    }
    return distinct, {c.name: c in asked and bool(found[c.name].item()) for c in texts}


def _untidy(source: str) -> pl.Expr:
    """Whether any cell of a free-text column is blank or has spaces around it (asked in the
    same pass as the coded columns' distinct values)."""
    import polars as pl

    return pl.col(source).cast(pl.String).str.contains(UNTIDY).any()


def _tidied(source: str, untidy: bool) -> pl.Expr:
    """A free-text column trimmed, blank as missing: the column itself (no copy of a million
    person ids) when no cell needs either."""
    import polars as pl

    column = pl.col(source).cast(pl.String)
    return column.str.strip_chars().replace("", None) if untidy else column


def _check_texts(result: pl.DataFrame, texts: Sequence[Column], ctx: CellContext) -> None:
    import polars as pl

    for column in texts:
        values = result.select(ROW, pl.col(column.name).alias("value"))
        if result[column.name].null_count():
            missing(values, column, ctx)
        text_checks(values, column, ctx)


class _Pending(NamedTuple):
    """Findings about a column's distinct values, waiting to be told row by row."""

    column: Column
    local: CellContext
    keys: pl.Series
    distinct: pl.Series
    row_key: pl.Expr
    parsed: pl.Series


def _parse_distinct(
    frame: pl.DataFrame, source: str, prepared: pl.DataFrame, column: Column, ctx: CellContext
) -> tuple[pl.Expr, _Pending]:
    """Parse a column's distinct values once (as `_prepared` gives them); the expression maps
    the answers onto the rows."""
    import polars as pl

    categorical = isinstance(frame[source].dtype, pl.Categorical)
    distinct, stripped = prepared["distinct"], prepared["stripped"]
    shown_errors, too_long = prepared["shown_error"], prepared["too_long"]
    local = CellContext(
        file=ctx.file,
        today=ctx.today,
        sink=FindingSink(ctx.file, len(distinct) + 1),
        record_level=ctx.record_level,
    )
    table = pl.DataFrame(
        {ROW: range(len(distinct)), "value": stripped},
        schema={ROW: pl.Int64, "value": pl.String},
    )
    if shown_errors.any() or too_long.any():
        table = table.with_columns(
            value=pl.when(pl.Series(shown_errors | too_long)).then(None).otherwise(pl.col("value"))
        )
    parsed = PARSERS[column.type](table, column, local)
    lengths = prepared["length"]
    for index in _where(too_long):
        local.sink.add(
            finding(
                "text-too-long",
                f"{column.name} holds {lengths[index]:,} characters: no {column.type.value} "
                "is that long",
                ctx.file,
                row=index,
                value=stripped.str.slice(0, MAX_CODED_CHARS)[index],
                hint="Check the cell: a paste may have gone into the wrong place.",
            )
        )
    for index in _where(shown_errors):
        local.sink.add(
            finding(
                "error-cell",
                _error_words(stripped[index] if local.may_show(column, stripped[index]) else None),
                ctx.file,
                row=index,
                value=stripped[index],
                hint="Correct the formula, or type the figure, so the cell shows a value.",
            )
        )
    for index in _where(prepared["control"]):
        # Read all the same (`Glas\x01gow` is Glasgow City), but never without a word.
        local.sink.add(
            finding(
                "control-characters",
                f"{column.name} holds control characters (shown escaped)",
                ctx.file,
                row=index,
                value=stripped[index],
                hint="Retype the value without pasted control codes.",
            )
        )
    if categorical:
        codes = prepared["code"]
        size = int(str(codes.max() or 0)) + 1 if len(codes) else 1
        lookup = pl.Series([None] * size, dtype=parsed.dtype).scatter(codes, parsed)
        if lookup.dtype == pl.String:
            # Codes again (ADP codes, periods, choices): four bytes a row through the rules, not
            # a string each; `as_text` turns them back into text once the file is checked.
            lookup = lookup.cast(pl.Categorical)
        keys, row_key = codes, pl.col(source).to_physical()
        expression = pl.lit(lookup).gather(row_key).alias(column.name)
    else:
        keys, row_key = distinct, pl.col(source)
        expression = (
            pl.col(source)
            .replace_strict(distinct, parsed, default=None, return_dtype=parsed.dtype)
            .alias(column.name)
        )
    blank_keys = keys.filter(prepared["blank"])
    is_blank = row_key.is_null() | row_key.is_in(blank_keys.implode())
    if column.blank is not None:  # the contract says what a blank means (ost `other`: 0)
        expression = pl.when(is_blank).then(pl.lit(column.blank)).otherwise(expression)
        expression = expression.cast(parsed.dtype).alias(column.name)
    if column.required and (len(blank_keys) or frame[source].null_count()):
        missing(
            frame.filter(is_blank).select(ROW, pl.lit(None, pl.String).alias("value")),
            column,
            ctx,
        )
    return expression, _Pending(column, local, keys, distinct, row_key, parsed)


_PREPARED_TOGETHER = 10_000
"""Up to this many distinct values in all a file's coded columns, they are prepared in one
query; beyond it a column at a time (all at once held 13% more of a 200,000-row file of junk)."""

_IN_ORDER_FROM = min(SUGGESTIONS, MOST_JUDGED)
"""Distinct values from which their order decides what is said: only the first so many get a
"did you mean" (`SUGGESTIONS`) or are judged for quoting (`MOST_JUDGED`)."""


def _each_prepared(distinct: dict[str, pl.Series]) -> Iterator[pl.DataFrame]:
    """Each column's distinct values as `_prepared` gives them, in `distinct`'s order. A
    return's codes are a few thousand values, prepared in one query; more (a file of junk) are
    prepared a column at a time, so that only one column's are held at once."""
    together = sum(len(values) for values in distinct.values()) <= _PREPARED_TOGETHER
    batched = _prepared(distinct) if together else {}
    for name, values in distinct.items():
        prepared = batched.pop(name, None)
        yield prepared if prepared is not None else _prepared({name: values})[name]


def _prepared(uniques: dict[str, pl.Series]) -> dict[str, pl.DataFrame]:
    """What parsing needs to know of each column's distinct values, for every column in one
    query (a query costs a tenth of a millisecond or more, whatever its size: the two steps a
    column once took were a tenth of a small file's run): each value as text, its code (a
    categorical's), the value without invisible characters and surrounding spaces (blank as
    missing), whether that is an Excel error, too long for any code, or blank; past
    `_IN_ORDER_FROM` values, in order of their text."""
    import polars as pl

    text = pl.col("unique").cast(pl.String)
    parts: list[pl.LazyFrame] = []
    for unique in uniques.values():
        part = unique.to_frame("unique").lazy()
        if len(unique) > _IN_ORDER_FROM:
            # In order of their text: what is done for the first values only (a "did you mean"
            # for the first 200 bad names, a judgement of whether the first 200 may be quoted)
            # is then the same on every run, whatever order the reader's threads met them in.
            # Fewer values are all done, in any order (a sort of a 50 MB cell's copies costs
            # 150 MB).
            part = part.sort(text)
        categorical = isinstance(unique.dtype, pl.Categorical)
        parts.append(
            part.select(
                text.alias("distinct"),
                (pl.col("unique").to_physical() if categorical else pl.lit(None))
                .cast(pl.UInt32)
                .alias("code"),
            )
        )
    if not parts:
        return {}
    trimmed = pl.col("distinct").str.replace_all(INVISIBLE, "").str.strip_chars()
    stripped = pl.col("stripped")
    every = (
        pl.concat(parts)
        .with_columns(
            # Blank as missing: by `when`, as `replace("", None)` costs half a millisecond.
            pl.when(trimmed != "").then(trimmed).alias("stripped"),
        )
        .with_columns(
            stripped.is_in(EXCEL_ERRORS).fill_null(False).alias("shown_error"),
            stripped.str.len_chars().alias("length"),
            stripped.is_null().alias("blank"),
            pl.col("distinct").str.contains(CONTROL).fill_null(False).alias("control"),
            (stripped.str.len_chars() > MAX_CODED_CHARS).fill_null(False).alias("too_long"),
        )
        .collect(engine=engine_for(sum(len(u) for u in uniques.values())))
    )
    # Each column's rows are a slice of the one answer (no copy, no query).
    found: dict[str, pl.DataFrame] = {}
    offset = 0
    for name, unique in uniques.items():
        found[name] = every.slice(offset, len(unique))
        offset += len(unique)
    return found


def _error_words(shown: str | None) -> str:
    """What a cell that shows an Excel error is told: the error and what it means, when the
    cell may be quoted (`CellContext.may_show`: in a return of people's records, a cell of
    most columns may not, whatever it holds); in general words otherwise."""
    return told_error("the cell", shown) or "the cell shows an Excel error instead of a value"


def _where(flags: pl.Series) -> list[int]:
    """The indexes of the true values (no query when there are none, as there mostly are not)."""
    return flags.arg_true().to_list() if flags.any() else []


# Findings said once per distinct value rather than once per row.
_ONCE = frozenset({"thousands-separator", "adp-combined"})


def _expand(later: _Pending, frame: pl.DataFrame, ctx: CellContext) -> None:
    """Turn findings about distinct values into findings about the rows that hold them, in as
    few polars queries as the findings need: each query has a fixed cost, paid by every file
    with a finding."""
    import polars as pl

    found = later.local.sink.findings()
    if not found:
        return
    column, keys, distinct = later.column, later.keys, later.distinct
    indexes = [f.row or 0 for f in found]
    problems = pl.DataFrame(
        {
            "key": keys.gather(indexes),
            "value": distinct.gather(indexes).str.slice(0, MAX_CODED_CHARS + 1),
            "code": [f.code for f in found],
            "message": [f.message for f in found],
            "hint": [f.hint for f in found],
            # Worded by the column's own context, which judged each distinct value already.
            SAID_SAFELY: [True] * len(found),
            "order": range(len(found)),
        }
    )
    # The rows are found in one pass; the few found are joined eagerly (a lazy join of them
    # costs half a millisecond more).
    rows = (
        frame.lazy()
        .select(ROW, later.row_key.alias("key"))
        .filter(pl.col("key").is_in(problems["key"].unique().implode()))
        .collect(engine=engine_for(frame.height))
    )
    hits = rows.join(problems, on="key").sort(ROW, "order")
    if any(f.code in _ONCE for f in found):
        hits = _told_once(hits)
    codes = hits["code"].unique(maintain_order=True).to_list()
    for code in codes:
        ctx.emit(code, hits if len(codes) == 1 else hits.filter(pl.col("code") == code), column)


def _told_once(hits: pl.DataFrame) -> pl.DataFrame:
    """`hits` with each finding said once per distinct value (`_ONCE`) kept at its first row."""
    import polars as pl

    once = hits.filter(pl.col("code").is_in(list(_ONCE))).unique(
        ["code", "key"], keep="first", maintain_order=True
    )
    # Thousands separators are told once per column, at the first row, with a count of the rest.
    separators = once.filter(pl.col("code") == "thousands-separator")
    if separators.height > 1:
        more = hits.filter(pl.col("code") == "thousands-separator").height - 1
        first = separators.head(1).with_columns(
            pl.format("{} (and {} more like it)", pl.col("message"), pl.lit(more)).alias("message")
        )
        once = pl.concat([once.filter(pl.col("code") != "thousands-separator"), first])
    return pl.concat([hits.filter(~pl.col("code").is_in(list(_ONCE))), once]).sort(ROW, "order")
