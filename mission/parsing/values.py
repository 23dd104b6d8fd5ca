"""Parsers for each type of cell, run on the distinct values of a column (see `frame.py`).

Each parser takes a table of (row, value) — the value stripped but otherwise as typed — emits
findings for the bad ones, and returns the parsed values in the same order.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from mission.adps import AmbiguousAdp, UnknownAdp, match_adp
from mission.columns import CONTROL, TOTAL_LABELS, Column, ColumnType, normalise_choice
from mission.parsing.context import SAID_SAFELY, CellContext, Words
from mission.parsing.date_words import US_ORDER_HINT, date_hint, date_message
from mission.periods import (
    ASSESSED_YEAR_BEGUN,
    FinancialYear,
    InvalidPeriod,
    Quarter,
    not_begun_words,
    not_over_words,
    over_by,
)

if TYPE_CHECKING:
    import polars as pl

__all__ = ["EARLIEST_DATE", "PARSERS", "missing", "near_choices", "text_checks"]

EARLIEST_DATE = dt.date(2000, 1, 1)


def missing(values: pl.DataFrame, column: Column, ctx: CellContext) -> None:
    import polars as pl

    if not column.required:
        return
    missing = values.filter(pl.col("value").is_null())
    if missing.height:
        ctx.emit(
            "missing-value",
            missing,
            column,
            lambda _: f"{column.name} is required but blank",
            hint=MISSING_HINTS.get(column.type, f"Fill in {column.name}."),
        )


MISSING_HINTS = {
    ColumnType.COUNT: "Write the figure, 0 for none; if it is not known, ask the national team "
    "what to send (a return is not accepted with it blank).",
    ColumnType.ADP: "Name the ADP on every row.",
}


def _count(values: pl.DataFrame, column: Column, ctx: CellContext) -> pl.Series:
    import polars as pl

    text = pl.col("value")
    thousands = text.str.contains(r"^\d{1,3}(,\d{3})+$")
    cleaned = (
        pl.when(thousands)
        .then(text.str.replace_all(",", ""))
        .when(text.str.contains(r"^-0+(\.0*)?$"))  # minus zero (a formula's -0.0) is zero
        .then(pl.lit("0"))
        .when(text.str.contains(r"^\d+\.0*$"))
        .then(text.str.replace(r"\.0*$", ""))
        .otherwise(text)
    )
    parsed = values.with_columns(
        number=pl.when(cleaned.str.contains(r"^\d{1,18}$")).then(
            cleaned.str.to_integer(strict=False)
        ),
        thousands=thousands,
    )
    sep = parsed.filter(pl.col("thousands") & pl.col("number").is_not_null())
    if sep.height:
        ctx.emit(
            "thousands-separator",
            sep,
            column,
            lambda v: f"{v!r} read as {str(v).replace(',', '')}",
        )
    dots = parsed.filter(text.str.contains(_DOT_THOUSANDS) & pl.col("number").is_not_null())
    if dots.height:
        ctx.emit(
            "dot-thousands",
            dots,
            column,
            lambda v: (
                f"{v!r} was read as {str(v).split('.')[0]}; it may mean "
                f"{str(v).replace('.', '')}, with a dot between the thousands"
            ),
            hint=lambda v: (
                f"Write {str(v).split('.')[0]} or {str(v).replace('.', '')}, without a separator."
            ),
        )
    bad = parsed.filter(pl.col("value").is_not_null() & pl.col("number").is_null())
    if bad.height:
        lowered = pl.col("value").str.to_lowercase()
        kinds = bad.with_columns(
            kind=pl.when(
                lowered.str.contains(r"^(\*+|c|\[c\]|x|\[x\]|<\s*\d+|n/?a|\.\.|-|suppressed)$")
            )
            .then(pl.lit("suppressed-count"))
            .when(lowered.str.contains(r"^-\s*\d+(\.\d+)?$"))
            .then(pl.lit("negative-count"))
            .when(lowered.str.contains(r"^\d*\.\d+$|^\d+,\d+$"))
            .then(pl.lit("fractional-count"))
            .otherwise(pl.lit("not-a-count"))
        )
        messages: dict[str, tuple[Words, Words | str]] = {
            "suppressed-count": (
                lambda v: (
                    f"{v!r} marks a figure not given (suppressed or not available), not a count"
                ),
                "Send the true figure (0 for none), or the return once it is known: mission "
                "suppresses small numbers itself when it publishes.",
            ),
            "negative-count": (
                lambda v: f"{v!r} is negative: a count cannot be below 0",
                "Write the true count, 0 or more.",
            ),
            "fractional-count": (
                lambda v: f"{v!r} is not a whole number",
                _or_thousands("Write a whole number of people, kits or placements."),
            ),
            "not-a-count": (
                lambda v: f"{v!r} is not a count",
                _or_thousands("Write a whole number, e.g. 12."),
            ),
        }
        for code, (message, hint) in messages.items():
            rows = kinds.filter(pl.col("kind") == code)
            if rows.height:
                ctx.emit(code, rows, column, message, hint=hint)
    return parsed["number"]


_DOT_THOUSANDS = r"^\d{1,3}(\.\d{3})+$"
"""1.000 or 12.500 or 1.234.567: a dot between thousands, as a European-locale Excel writes."""


_SPACE_THOUSANDS = re.compile(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+")
"""`1 000`: thousands apart by spaces (a no-break space as some spreadsheets write it)."""
_SPACES = re.compile(r"[ \u00a0\u202f]")


def _or_thousands(hint: str) -> Callable[[str | None], str]:
    """The hint for a count that is not one; for 12.500 or 1.234.567, the thousands reading."""

    def words(value: str | None) -> str:
        if value is not None and re.match(_DOT_THOUSANDS, value):
            return f"If the dots separate thousands, write {value.replace('.', '')}. {hint}"
        if value is not None and _SPACE_THOUSANDS.fullmatch(value):
            return f"If the spaces separate thousands, write {_SPACES.sub('', value)}. {hint}"
        return hint

    return words


def _lookup(
    values: pl.DataFrame,
    column: Column,
    ctx: CellContext,
    resolve: Callable[[str], tuple[str | None, str | None, str | None, str | None]],
    dtype: pl.DataType,
) -> pl.Series:
    """Resolve each distinct value once in Python, then join the answers back on."""
    import polars as pl

    distinct = values["value"].drop_nulls().unique(maintain_order=True).to_list()
    answers = {v: resolve(v) for v in distinct}
    mapping = pl.DataFrame(
        {"value": list(answers), "parsed": [a[0] for a in answers.values()]},
        schema={"value": pl.String, "parsed": dtype},
    )
    joined = values.join(mapping, on="value", how="left", maintain_order="left")
    for code in sorted({a[1] for a in answers.values() if a[1]}):
        bad_values = [v for v, a in answers.items() if a[1] == code]
        rows = joined.filter(pl.col("value").is_in(bad_values))
        notes = {v: answers[v] for v in bad_values}
        if code == "adp-combined":
            # Tell once per name, not once per row.
            rows = rows.unique(subset="value", keep="first", maintain_order=True)
        words = rows.with_columns(
            message=pl.col("value").replace_strict(
                {v: a[2] or repr(v) for v, a in notes.items()}, return_dtype=pl.String
            ),
            hint=pl.col("value").replace_strict(
                {v: a[3] for v, a in notes.items()}, return_dtype=pl.String
            ),
        )
        ctx.emit(code, words, column)
    return joined["parsed"]


SUGGESTIONS = 200
"""Distinct bad values per column that get a "did you mean": each costs a fuzzy match, and a file
with thousands of different bad names gets the plain hint for the rest."""


_TOTALS_HINT = "Remove the totals row: mission adds up the ADPs' figures itself."


def _resolve_adp(
    text: str, suggest: bool = True
) -> tuple[str | None, str | None, str | None, str | None]:
    try:
        found = match_adp(text, suggest=suggest)
    except AmbiguousAdp as error:
        return None, "ambiguous-adp", str(error), "Name one ADP per row."
    except UnknownAdp as error:
        hint = "Use a name or code from `mission adps`."
        if normalise_choice(text) in TOTAL_LABELS:
            message = f"{text!r} is not an ADP: this looks like a totals row"
            return None, "totals-row", message, _TOTALS_HINT
        if error.reason:
            hint = f"{error.reason[0].upper()}{error.reason[1:]}."
        elif error.candidates:
            hint = f"Did you mean {' or '.join(repr(c) for c in error.candidates)}?"
        return None, "unknown-adp", f"{text!r} is not a known ADP", hint
    if found.note:
        return found.adp.code, "adp-combined", found.note, None
    return found.adp.code, None, None, None


def _adp(values: pl.DataFrame, column: Column, ctx: CellContext) -> pl.Series:
    import polars as pl

    asked = [0]

    def resolve(text: str) -> tuple[str | None, str | None, str | None, str | None]:
        answer = _resolve_adp(text, suggest=asked[0] < SUGGESTIONS)
        asked[0] += answer[1] == "unknown-adp"
        return answer

    return _lookup(values, column, ctx, resolve, pl.String())


_EXAMPLE = re.compile(r"write (?:the years it spans|its financial year, then Q1 to Q4), e\.g\. .*$")
"""The end of the parser's refusal that shows the form by an example: it gives way to what the
officer most likely meant, when that is one period."""


def _period_parser(
    parse: Callable[[str], Quarter | FinancialYear],
    suggest: Callable[[str], tuple[Quarter, ...] | tuple[FinancialYear, ...]],
    code: str,
    hint: str,
) -> Callable[[str], tuple[str | None, str | None, str | None, str | None]]:
    def resolve(text: str) -> tuple[str | None, str | None, str | None, str | None]:
        try:
            return str(parse(text)), None, None, None
        except InvalidPeriod as error:
            near = [str(p) for p in suggest(text)]
            if not near:
                return None, code, str(error), hint
            message = str(error)
            if len(near) == 1:
                # The generic example gives way to what the officer meant.
                message = _EXAMPLE.sub(f"write it as {near[0]}", message)
            return None, code, message, f"Did you mean {' or '.join(near)}?"

    return resolve


def _period(values: pl.DataFrame, column: Column, ctx: CellContext) -> pl.Series:
    import polars as pl

    def resolve(text: str) -> tuple[str | None, str | None, str | None, str | None]:
        found = _quarters(text)
        if found[0] is not None:
            return _ended(Quarter.parse(found[0]), text, found, ctx.today)
        if found[1] is not None and found[3] == _QUARTER_HINT:
            try:
                year = FinancialYear.parse(text)
            except InvalidPeriod:
                return found
            every = ", ".join(str(q) for q in year.quarters[:3]) + f" or {year.quarters[3]}"
            message = f"{text!r} is a financial year, not a quarter"
            return None, found[1], message, f"A period is one quarter of the year: write {every}."
        return found

    return _lookup(values, column, ctx, resolve, pl.String())


def _ended(
    quarter: Quarter,
    text: str,
    found: tuple[str | None, str | None, str | None, str | None],
    today: dt.date,
) -> tuple[str | None, str | None, str | None, str | None]:
    """A quarter as parsed, with an error if it has not ended: its census day (OST) or its last
    count has not happened, so a return for it is a mistyped year, or sent too early; stored, its
    part would later be counted as the whole quarter."""
    if over_by(quarter, today):
        return found
    said = str(quarter) if text == str(quarter) else f"{text!r} is {quarter}, which"
    message = f"{said} {not_over_words(quarter, today)}: returns are for quarters that have ended"
    return found[0], "period-not-ended", message, "Check the year; send it once it has ended."


def _suggest_quarters(text: str) -> tuple[Quarter, ...]:
    # Imported when a period is wrong: its patterns cost a millisecond to compile, every run.
    from mission.period_suggestions import suggest_quarters

    return suggest_quarters(text)


def _suggest_years(text: str) -> tuple[FinancialYear, ...]:
    from mission.period_suggestions import suggest_years

    return suggest_years(text)


_QUARTER_HINT = "Write the quarter as 2023/24 Q1 (Q1 = April–June)."
_quarters = _period_parser(Quarter.parse, _suggest_quarters, "invalid-period", _QUARTER_HINT)


def _year(values: pl.DataFrame, column: Column, ctx: CellContext) -> pl.Series:
    import polars as pl

    parse = _period_parser(
        FinancialYear.parse, _suggest_years, "invalid-year", "Write the year as 2023/24."
    )

    def resolve(text: str) -> tuple[str | None, str | None, str | None, str | None]:
        found = parse(text)
        if found[0] is None:
            return found
        year = FinancialYear.parse(found[0])
        # An assessment of a year not yet begun is a mistyped year (2027/28 for 2026/27).
        later = not_begun_words(year, ctx.today)
        if later is None:
            return found
        said = str(year) if text == str(year) else f"{text!r} is {year}, which"
        message = f"{said} {later}: {ASSESSED_YEAR_BEGUN}"
        return None, "invalid-year", message, "Check the year."

    return _lookup(values, column, ctx, resolve, pl.String())


def _calendar_year(values: pl.DataFrame, column: Column, ctx: CellContext) -> pl.Series:
    import polars as pl

    year = (
        pl.when(pl.col("value").str.contains(r"^\d{4}(\.0+)?$"))
        .then(pl.col("value").str.slice(0, 4).str.to_integer(strict=False))
        .cast(pl.Int64)
    )
    parsed = values.with_columns(year=pl.when(year.is_between(1990, ctx.today.year)).then(year))
    bad = parsed.filter(pl.col("value").is_not_null() & pl.col("year").is_null())
    ctx.emit(
        "invalid-calendar-year",
        bad,
        column,
        lambda v: f"{v!r} is not a calendar year from 1990 to {ctx.today.year}",
        hint=f"Write the four-digit {(column.description or 'the year').removeprefix('the ')}, "
        "e.g. 2023.",
    )
    return parsed["year"]


def _date(values: pl.DataFrame, column: Column, ctx: CellContext) -> pl.Series:
    import polars as pl

    # A date with a time of day is that day: an Excel date cell can hold a time it does not
    # show (fastexcel gives 2024-04-02 09:30:00 for a cell shown as 02/04/2024), and systems
    # export a timestamp; the time is dropped. An offset (Z, +01:00) could move the day: no.
    text = pl.col("value").str.replace(_TIME_OF_DAY, "")
    iso = text.str.extract(r"^(\d{4}-\d{1,2}-\d{1,2})$", 1)
    uk_shape = text.str.contains(r"^\d{1,2}/\d{1,2}/\d{4}$")
    uk = pl.when(uk_shape).then(text.str.to_date("%d/%m/%Y", strict=False))
    us = pl.when(uk_shape).then(text.str.to_date("%m/%d/%Y", strict=False))
    date = pl.col("date")
    parsed = values.with_columns(
        date=pl.coalesce(iso.str.to_date("%Y-%m-%d", strict=False), uk), us=us
    ).with_columns(
        # Each value's one problem, if any, so a column of good dates costs no filter at all.
        problem=pl.when(text.is_not_null() & date.is_null())
        .then(
            pl.when(pl.col("us").is_not_null())
            .then(pl.lit("us-date-order"))
            .otherwise(pl.lit("invalid-date"))
        )
        .when(date > ctx.today)
        .then(pl.lit("future-date"))
        .when(date < EARLIEST_DATE)
        .then(pl.lit("date-too-early")),
        kept=pl.when(date.is_between(EARLIEST_DATE, ctx.today)).then(date),
    )
    if parsed["problem"].null_count() == parsed.height:
        return parsed["kept"].alias("date")
    problem = pl.col("problem")
    ctx.emit(
        "us-date-order",
        parsed.filter(problem == "us-date-order"),
        column,
        lambda v: f"{v!r} is month/day/year (US order); dates are never swapped silently",
        hint=US_ORDER_HINT,
    )
    serial = pl.col("value").str.extract(r"^\s*(\d{5})(?:\.0+)?\s*$", 1).cast(pl.Int64)
    ctx.emit(
        "invalid-date",
        parsed.filter(problem == "invalid-date").with_columns(
            # Said of the cell's shape, never of its figures (so said safely: no word of them is
            # searched for the cell): 45443 is a date Excel keeps as a number when the cell is
            # formatted General.
            hint=pl.when(serial.is_between(*_EXCEL_SERIALS)).then(pl.lit(_SERIAL_HINT)),
            **{SAID_SAFELY: pl.lit(True)},
        ),
        column,
        date_message,
        hint=date_hint,
    )
    ctx.emit(
        "future-date",
        parsed.filter(problem == "future-date"),
        column,
        lambda v: f"{v!r} is in the future (today is {ctx.today})",
        hint="Check the year.",
    )
    ctx.emit(
        "date-too-early",
        parsed.filter(problem == "date-too-early"),
        column,
        lambda v: f"{v!r} is before 2000-01-01",
        hint="Check the year.",
    )
    return parsed["kept"].alias("date")


_SERIAL_HINT = (
    "Excel may be keeping a date here as a number (the cell is formatted as General or Number): "
    "format the cell as a Date, or type it as 2024-05-31."
)
_EXCEL_SERIALS = (32_874, 73_050)
"""Excel's day numbers from 1990-01-01 to 2099-12-31."""

_TIME_OF_DAY = r"(?:[ T](?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?)$"
"""A time of day after a date (09:30, 09:30:00, 09:30:00.000), with no offset."""


def _choice(values: pl.DataFrame, column: Column, ctx: CellContext) -> pl.Series:
    import polars as pl

    normal = pl.col("value").str.to_lowercase().str.strip_chars().str.replace_all(r"[\s\-]+", "_")
    if column.aliases:  # `replace` costs a tenth of a millisecond even with nothing to replace
        normal = normal.replace(column.aliases)
    parsed = values.with_columns(
        choice=normal, c=pl.when(normal.is_in(column.choices)).then(normal)
    )
    if parsed["c"].null_count() == parsed["choice"].null_count():
        return parsed["c"]  # every value is allowed (or blank): no query for the bad ones
    bad = parsed.filter(pl.col("choice").is_not_null() & pl.col("c").is_null())
    allowed = ", ".join(column.choices)
    asked = [0]

    def hint(value: str | None) -> str:
        asked[0] += 1
        if asked[0] > SUGGESTIONS:
            return f"Use one of {allowed}."
        near = near_choices((value or "")[:64], column.choices)
        if not near:
            return f"Use one of {allowed}."
        return f"Did you mean {' or '.join(repr(n) for n in near)}? Allowed: {allowed}."

    ctx.emit(
        "invalid-choice",
        bad,
        column,
        lambda v: f"{v!r} is not an allowed {column.name}",
        hint=hint,
    )
    return parsed["c"]


def near_choices(text: str, choices: Sequence[str]) -> list[str]:
    """The allowed values a value that is not one most likely means (at most two, nearest first):
    a misspelling (`localauthority`, `Intra nasal`), a start (`provisional`) or a value inside a
    longer phrase (`GP practice`, `partially met`)."""
    typed = normalise_choice(text)
    if not typed:
        return []
    parts = typed.split("_")
    scored: list[tuple[float, str]] = []
    for choice in choices:
        score = difflib.SequenceMatcher(None, typed, choice).ratio()
        if len(typed) >= 3 and choice.startswith(typed):
            score = max(score, 0.9)
        if choice in parts or (len(choice) >= 4 and choice in typed):
            score = max(score, 0.85)
        scored.append((score, choice))
    scored.sort(key=lambda item: (-item[0], -len(item[1])))
    best = scored[0][0]
    return [c for score, c in scored[:2] if score >= max(0.6, best - 0.1)]


def _standard(values: pl.DataFrame, column: Column, ctx: CellContext) -> pl.Series:
    import polars as pl

    number = (
        pl.col("value")
        .str.to_lowercase()
        .str.extract(r"^(?:mat)?[\s_\-]*(\d{1,2})(?:\.0+)?$", 1)
        .str.to_integer(strict=False)
    )
    parsed = values.with_columns(standard=pl.when(number.is_between(1, 10)).then(number))
    bad = parsed.filter(pl.col("value").is_not_null() & pl.col("standard").is_null())
    ctx.emit(
        "invalid-standard",
        bad,
        column,
        lambda v: f"{v!r} is not a MAT standard (1 to 10)",
        hint="Write the standard's number, 1 to 10.",
    )
    return parsed["standard"]


def text_checks(values: pl.DataFrame, column: Column, ctx: CellContext) -> pl.Series:
    import polars as pl

    if column.max_length is not None:
        # No more characters than bytes: the bytes (a cheap count) pick the few to count.
        longer = values.filter(pl.col("value").str.len_bytes() > column.max_length)
        long = longer.filter(pl.col("value").str.len_chars() > column.max_length)
        ctx.emit(
            "text-too-long",
            long,
            column,
            lambda _: f"{column.name} is longer than {column.max_length:,} characters",
            hint=f"Shorten it to {column.max_length:,} characters or fewer.",
        )
    if not column.private:
        unsafe = values.filter(pl.col("value").str.contains(CONTROL))
        ctx.emit(
            "control-characters",
            unsafe,
            column,
            lambda _: f"{column.name} holds control characters (shown escaped)",
            hint="Retype the value without pasted control codes.",
        )
    return values["value"]


PARSERS: dict[ColumnType, Callable[[pl.DataFrame, Column, CellContext], pl.Series]] = {
    ColumnType.ADP: _adp,
    ColumnType.PERIOD: _period,
    ColumnType.YEAR: _year,
    ColumnType.CALENDAR_YEAR: _calendar_year,
    ColumnType.COUNT: _count,
    ColumnType.DATE: _date,
    ColumnType.CHOICE: _choice,
    ColumnType.STANDARD: _standard,
    ColumnType.TEXT: text_checks,
}
