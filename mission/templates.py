"""Ready-to-fill returns that prevent mistakes: a CSV, or an Excel workbook that refuses what the
contract refuses wherever Excel can.

With an ADP and a period the rows an officer must fill are laid out already (one per funding
source, per supply source and kit type, or per MAT standard), so only the figures are left to
type. The workbook adds, for every column, the contract's rule as an input message and a data
validation: drop-downs for the ADP, the period (the quarters around the one asked for) and every
choice; whole numbers of 0 or more for counts; dates from 2000 up to today; the MAT standard by
number, its name shown beside it. An instructions sheet says the rest in words, and a template
filled in correctly validates with no findings at all.

Each kind reads `--period` as its own period type (a quarter, a financial year for MAT, a
calendar year for deaths); a kind with no such column, or a period of the wrong type, is refused
with a message that says what to give instead.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from dataclasses import dataclass
from pathlib import Path

from mission.adps import Adp, all_adps, resolve_adp
from mission.columns import Column, ColumnType
from mission.errors import MissionError
from mission.files import neutralise_formula, write_text_atomic
from mission.kinds import Kind, KindSpec, kind_spec
from mission.period_suggestions import suggest_quarters, suggest_years
from mission.periods import (
    ASSESSED_YEAR_BEGUN,
    CalendarYear,
    FinancialYear,
    InvalidPeriod,
    Period,
    Quarter,
    not_begun_words,
    over_by,
)
from mission.text import listed, with_article

__all__ = [
    "InvalidTemplate",
    "TemplateExists",
    "TemplateSpec",
    "plan_template",
    "template_rows",
    "write_template",
]

EARLIEST_CALENDAR_YEAR = 1990
EARLIEST_DATE = dt.date(2000, 1, 1)

_NOUNS = {
    "adp": "ADP",
    "period": "quarter",
    "year": "financial year",
    "calendar_year": "calendar year",
    "standard": "MAT standard",
    "person_id": "person",
}


class TemplateExists(MissionError, FileExistsError):
    """A file is already where a template was to be written (an officer's filled-in return?):
    it was left as it is."""


class InvalidTemplate(MissionError, ValueError):
    """A template option the kind cannot use (`--period` for episodes).

    Attributes:
        kind: the kind asked for.
        option: the option refused.
    """

    def __init__(self, kind: Kind, option: str, message: str) -> None:
        self.kind = kind
        self.option = option
        super().__init__(message)


def noun(name: str) -> str:
    """A column's name in words: `ADP`, `quarter`, `funding source`."""
    return _NOUNS.get(name, name.replace("_", " "))


def key_in_words(spec: KindSpec) -> str:
    """One row for each `ADP, quarter and funding source`."""
    return listed([noun(k) for k in spec.key])


@dataclass(frozen=True)
class TemplateSpec:
    """A template's plan: the kind, what the options fix, the rows laid out, and the values each
    drop-down offers (by column name)."""

    spec: KindSpec
    adp: Adp | None
    period: Period | None
    rows: tuple[dict[str, str], ...]
    lists: dict[str, tuple[str, ...]]


def _wrong_type(spec: KindSpec, text: str, error: InvalidPeriod) -> InvalidPeriod:
    """A period the kind cannot read: of another type (say which to give), or a near miss."""
    wanted = spec.period_type
    found: list[str] = []
    for other in (Quarter, FinancialYear, CalendarYear):
        if other is wanted:
            continue
        try:
            period = other.parse(text)
        except InvalidPeriod:
            continue
        found += _as_type(period, wanted)
    if found:
        return InvalidPeriod(
            text,
            f"is a {_type_of(text)}, but {spec.name} returns are by {wanted.noun}: give "
            f"--period {' or '.join(found)}",
        )
    near: tuple[Period, ...] = ()
    if wanted is Quarter:
        near = suggest_quarters(text)
    elif wanted is FinancialYear:
        near = suggest_years(text)
    if near:
        return InvalidPeriod(
            text,
            f"is not a {wanted.noun} as the contract writes it: did you mean --period "
            f"{' or '.join(str(p) for p in near)}?",
        )
    return error


def _type_of(text: str) -> str:
    for other in (Quarter, FinancialYear, CalendarYear):
        try:
            other.parse(text)
        except InvalidPeriod:
            continue
        return other.noun
    return "period"


def _as_type(period: Period, wanted: type[Period]) -> list[str]:
    """What a period of one type most likely means as another type."""
    if wanted is CalendarYear:
        first, last = period.start_date.year, period.end_date.year
        return [str(first)] if first == last else [str(first), str(last)]
    if wanted is FinancialYear:
        if isinstance(period, Quarter):
            return [str(period.year)]
        return [
            str(FinancialYear(period.start_date.year)),
            str(FinancialYear.containing(period.start_date)),
        ]
    if isinstance(period, FinancialYear):
        return [f"{period} Q1 (or Q2, Q3, Q4)"]
    return [str(FinancialYear(period.start_date.year).quarters[0])]


def _parse_period(spec: KindSpec, text: str | None) -> Period | None:
    if text is None:
        return None
    if spec.period_column is None:
        raise InvalidTemplate(
            spec.kind,
            "--period",
            f"{spec.name} returns have no period column: each row is one record, dated by its "
            f"{noun(spec.period_from or 'date')}. Leave out --period",
        )
    try:
        return spec.period_type.parse(text)
    except InvalidPeriod as error:
        raise _wrong_type(spec, text, error) from None


def _spread(spec: KindSpec) -> list[dict[str, str]]:
    """One row per value of each key column with a fixed list (funding source, standard...)."""
    fixed = [spec.column(k) for k in spec.key if k not in ("adp", spec.period_column)]
    lists = [_values(c) for c in fixed if c.type in (ColumnType.CHOICE, ColumnType.STANDARD)]
    names = [c.name for c in fixed if c.type in (ColumnType.CHOICE, ColumnType.STANDARD)]
    return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*lists)]


def _values(column: Column) -> tuple[str, ...]:
    if column.type is ColumnType.STANDARD:
        return tuple(str(n) for n in range(1, 11))
    return column.choices


def _around(period: Period | None, spec: KindSpec, today: dt.date) -> tuple[str, ...]:
    """The periods a drop-down offers: around the one asked for, else the latest ended and
    those before it (a quarter still running is not offered: a return for it is warned of)."""
    if spec.period_type is Quarter:
        center = period if isinstance(period, Quarter) else Quarter.containing(today).previous()
        before, after = (4, 4) if period is not None else (8, 0)
        around = (Quarter.from_index(center.index + i) for i in range(-before, after + 1))
        return tuple(str(q) for q in around if q == center or over_by(q, today))
    if spec.period_type is FinancialYear:
        year = period if isinstance(period, FinancialYear) else FinancialYear.containing(today)
        before, after = (2, 2) if period is not None else (3, 0)
        years = (FinancialYear(year.start + i) for i in range(-before, after + 1))
        return tuple(str(y) for y in years if not_begun_words(y, today) is None)
    return ()


def plan_template(
    kind: Kind | str,
    adp: str | None = None,
    period: str | None = None,
    today: dt.date | None = None,
) -> TemplateSpec:
    """What a template of `kind` holds, for an ADP and a period if given.

    Raises:
        UnknownKind, InvalidAdp: the kind or the ADP is not known.
        InvalidPeriod: the period is not one of the kind's type (the message says what to give).
        InvalidTemplate: the kind has no period column and a period was given.
    """
    spec = kind_spec(kind)
    today = today or dt.date.today()
    chosen = resolve_adp(adp) if adp is not None else None
    when = _parse_period(spec, period)
    # Validation refuses a year not yet over for deaths (a part of its count), and a year to
    # come for any kind: so does this.
    latest = today.year - 1 if spec.whole_years_only else today.year
    if isinstance(when, CalendarYear) and when.year > latest:
        raise InvalidPeriod(
            str(period),
            f"{'is in the future' if when.year > today.year else 'has not ended'}: "
            f"{with_article(spec.name)} return is for {latest} or earlier",
        )
    later = not_begun_words(when, today) if isinstance(when, FinancialYear) else None
    if later is not None:
        raise InvalidPeriod(str(period), f"{later}: {ASSESSED_YEAR_BEGUN}")
    rows: list[dict[str, str]] = []
    if spec.period_column is not None and (chosen is not None or when is not None):
        fixed = {"adp": chosen.name if chosen else ""}
        fixed[spec.period_column] = "" if when is None else str(when)
        rows = [{**dict.fromkeys(spec.names, ""), **fixed, **extra} for extra in _spread(spec)]
    return TemplateSpec(spec, chosen, when, tuple(rows), _lists(spec, chosen, when, today))


def _lists(
    spec: KindSpec, chosen: Adp | None, when: Period | None, today: dt.date
) -> dict[str, tuple[str, ...]]:
    """The values each column's drop-down offers."""
    lists: dict[str, tuple[str, ...]] = {}
    for column in spec.columns:
        if column.type is ColumnType.ADP:
            lists[column.name] = (chosen.name,) if chosen else tuple(a.name for a in all_adps())
        elif column.type in (ColumnType.PERIOD, ColumnType.YEAR):
            lists[column.name] = _around(when, spec, today)
        elif column.type in (ColumnType.CHOICE, ColumnType.STANDARD):
            lists[column.name] = _values(column)
    return lists


def template_rows(
    kind: Kind | str, adp: str | None = None, period: str | None = None
) -> list[dict[str, str]]:
    """The pre-filled rows of a template (figures empty); none without an ADP or a period.

    Raises:
        UnknownKind, InvalidAdp, InvalidPeriod, InvalidTemplate: see `plan_template`.
    """
    return [dict(r) for r in plan_template(kind, adp, period).rows]


def _write_csv(path: Path, plan: TemplateSpec) -> None:
    if plan.adp is not None and not plan.rows:
        raise InvalidTemplate(
            plan.spec.kind,
            "--adp",
            f"{plan.spec.name} returns have one row per record, so a CSV template has no rows "
            "to fill the ADP in: write it on each row, or use --format xlsx, whose ADP list "
            "then offers only this ADP",
        )
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(plan.spec.names), lineterminator="\n")
    writer.writeheader()
    for row in plan.rows:
        writer.writerow({k: neutralise_formula(v) for k, v in row.items()})
    write_text_atomic(path, buffer.getvalue())


def write_template(
    kind: Kind | str,
    path: Path | str,
    format: str | None = None,
    adp: str | None = None,
    period: str | None = None,
    *,
    today: dt.date | None = None,
    replace: bool = False,
) -> Path:
    """Write a ready-to-fill return of `kind` to `path` (atomically) and return the path; a
    file already there (an officer's filled-in return?) is left as it is unless `replace`.

    Args:
        kind: the kind of return.
        path: where to write it.
        format: `csv`, or `xlsx` for a workbook with drop-downs, rules and instructions;
            by default as `path` is named (`.xlsx`, else csv).
        adp: lay out the rows for this ADP.
        period: ... and this period (a quarter; a financial year for MAT; a calendar year for
            deaths).
        today: the day the drop-downs and date rules are centred on (default: today).
        replace: write over a file already at `path`.

    Raises:
        UnknownKind, InvalidAdp, InvalidPeriod, InvalidTemplate: see `plan_template`; also
            InvalidTemplate for `--adp` on a record-level CSV, which has no rows to fill.
        InvalidTemplate: `format` is not csv or xlsx, or not what `path` is named for (a
            workbook named `.csv`: mission would refuse it), a `ValueError` too.
        TemplateExists: a file is already at `path` and `replace` is not set.
    """
    plan = plan_template(kind, adp, period, today)
    path = Path(path)
    named = {".xlsx": "xlsx", ".csv": "csv"}.get(path.suffix.lower())
    if format is None and named is None and path.suffix:
        raise InvalidTemplate(
            plan.spec.kind,
            "format",
            f"{path.name}: a template is written as .csv or .xlsx; name it so",
        )
    format = format or named or "csv"
    if format not in ("csv", "xlsx"):
        raise InvalidTemplate(
            plan.spec.kind, "format", f"{format!r} is not a template format: use csv or xlsx"
        )
    if named is not None and named != format:
        raise InvalidTemplate(
            plan.spec.kind,
            "format",
            f"{path.name} is named for {named}, but the format asked for is {format}: name it "
            f".{format}, or leave the format out",
        )
    if path.is_dir():
        raise InvalidTemplate(kind_spec(kind).kind, "path", f"{path} is a folder: give a file name")
    if path.exists() and not replace:
        raise TemplateExists(
            f"{path} is already here: it was left as it is. Write the template under another "
            "name, or pass replace=True to write over it."
        )
    if format == "csv":
        _write_csv(path, plan)
    else:
        from mission.template_workbook import write_workbook

        write_workbook(path, plan)
    return path
