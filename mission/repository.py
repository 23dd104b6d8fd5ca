"""Check a repository of returns, as CI does on every pull request.

Everything under the returns folder is validated; each file's place in the layout
(`returns/<adp>/<kind>/<period>.<ext>` by default, set in `mission.toml`) is checked against what
it holds; links that lead out of the repository are refused, never followed; and completeness says
which ADPs have not sent which kind for the latest period.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import Field, ValidationError, field_validator

from mission.adps import InvalidAdp, adp_by_code, all_adps, resolve_adp
from mission.checking import CheckedReturn, check_files
from mission.columns import ROW
from mission.errors import FileProblem, MissionError
from mission.findings import Finding, finding
from mission.kinds import Kind
from mission.limits import Limits
from mission.models import Frozen
from mission.periods import FinancialYear, Quarter, over_by
from mission.readers import supported_suffixes
from mission.report import FileReport, Report
from mission.text import safe_text
from mission.walk import ExcludedEverything, InvalidPath

if TYPE_CHECKING:
    import polars as pl

__all__ = ["CheckReport", "Completeness", "InvalidConfig", "Layout", "check_repository"]

CONFIG_FILE = "mission.toml"
_FIELDS = {"adp", "kind", "period", "ext"}


class InvalidConfig(FileProblem):
    """A `mission.toml` that cannot be used."""


class Layout(Frozen):
    """Where returns live in a repository, and which kinds every ADP must send."""

    returns: str = "returns"
    pattern: str = "{adp}/{kind}/{period}.{ext}"
    kinds: tuple[Kind, ...] = (Kind.OST, Kind.REHAB, Kind.NALOXONE, Kind.MAT, Kind.DEATHS)
    period: str | None = Field(default=None, description="the quarter to check completeness for")

    @field_validator("pattern")
    @classmethod
    def _known_fields(cls, pattern: str) -> str:
        named = re.findall(r"{(\w+)}", pattern)
        repeated = sorted({n for n in named if named.count(n) > 1})
        if repeated:
            raise ValueError(f"{{{repeated[0]}}} appears twice: name each field once")
        unknown = set(named) - _FIELDS
        if unknown:
            raise ValueError(
                f"unknown field {{{sorted(unknown)[0]}}}: use {{adp}}, {{kind}}, "
                "{period} and {ext}"
            )
        steps = pattern.split("/")
        if (
            pattern != pattern.strip()
            or "\\" in pattern
            or any(step in ("", ".", "..") or step.startswith(".") for step in steps)
        ):
            raise ValueError(
                f"{pattern!r} must be a path below the returns folder, its steps parted by '/', "
                "none empty, hidden ('.x') or '..', with no spaces around it"
            )
        ending = steps[-1].rpartition(".")[2] if "." in steps[-1] else None
        if ending is None:
            raise ValueError(
                f"{pattern!r} names files without an ending: end it with .{{ext}} (or .csv)"
            )
        if ending != "{ext}" and f".{ending}" not in supported_suffixes():
            raise ValueError(
                f"{pattern!r} names files ending .{ending}, which mission does not read: end it "
                "with .{ext}, or one of " + ", ".join(supported_suffixes())
            )
        return pattern

    @field_validator("kinds", mode="before")
    @classmethod
    def _known_kinds(cls, names: object) -> tuple[Kind, ...]:
        if not isinstance(names, list | tuple):
            raise ValueError('must be a list of kinds, e.g. ["ost", "mat"]')
        return tuple(dict.fromkeys(Kind.parse(str(name)) for name in names))  # each once

    @field_validator("period")
    @classmethod
    def _quarter(cls, text: str | None) -> str | None:
        return None if text is None else str(Quarter.parse(text))

    def regex(self) -> re.Pattern[str]:
        parts = re.split(r"({\w+})", self.pattern)
        body = "".join(
            f"(?P<{p[1:-1]}>[^/]+?)" if p[1:-1] in _FIELDS else re.escape(p) for p in parts if p
        )
        return re.compile(f"^{body}$")


class Completeness(Frozen):
    """Which ADPs have sent a kind of return for a period (counting valid returns only)."""

    kind: Kind
    period: str | None
    expected: int
    reported: int
    missing: tuple[str, ...]
    refused: tuple[str, ...] = ()
    """ADPs that sent a return for the period that was refused: not missing, not reported."""

    def missing_text(self) -> str:
        """The ADPs missing, as a table cell says them: every ADP, when the repository holds
        no return of the kind at all, is said so in one line rather than thirty names (it may
        be a repository of some kinds only)."""
        refused = f"{', '.join(self.refused)}: refused" if self.refused else ""
        if not self.missing:
            return refused or "none"
        if self.reported == 0 and not self.refused and len(self.missing) > 1:
            period = f" for {self.period}" if self.period else ""
            return (
                f"every ADP: no valid {self.kind.value} return{period} is in the repository (if "
                "it holds only some kinds, name them in mission.toml: kinds = [...])"
            )
        return "; ".join(p for p in (", ".join(self.missing), refused) if p)


@dataclass(frozen=True, slots=True)
class CheckReport:
    """Validation of the whole repository, plus completeness."""

    root: str
    valid: bool
    layout: Layout
    report: Report
    completeness: tuple[Completeness, ...]

    def to_dict(self) -> dict[str, object]:
        """The check as plain JSON-ready data: what `mission check --format json` prints."""
        return {
            "root": safe_text(self.root, limit=2000),
            "valid": self.valid,
            "layout": self.layout.model_dump(mode="json"),
            "report": self.report.to_dict(),
            "completeness": [c.model_dump(mode="json") for c in self.completeness],
        }


def load_layout(root: Path) -> Layout:
    """The layout from `mission.toml` (section `[check]`), or the default one.

    Raises:
        InvalidConfig: the file is not valid TOML or has an unknown or bad key.
    """
    path = root / CONFIG_FILE
    if not path.is_file():
        if os.path.lexists(path):  # a link to nothing, or a folder: never the defaults
            raise InvalidConfig(path, "is not a file (a link to nothing, or a folder)")
        return Layout()
    try:
        data = tomllib.loads(path.read_text("utf-8-sig"))  # Notepad's byte order mark
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise InvalidConfig(path, f"is not valid TOML: {error}") from error
    except RecursionError as error:
        raise InvalidConfig(path, "is nested too deeply to be a configuration") from error
    except OSError as error:
        raise InvalidConfig(path, f"cannot be read: {error.strerror or error}") from error
    unknown = sorted(set(data) - {"check"})
    if unknown:
        raise InvalidConfig(path, f"has an unknown table [{unknown[0]}]: settings go in [check]")
    section: Any = data.get("check", {})
    if not isinstance(section, dict):
        raise InvalidConfig(path, "[check] must be a table of settings")
    try:
        return Layout.model_validate(section)
    except (ValidationError, MissionError) as error:
        if isinstance(error, ValidationError):
            first = error.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            message = first["msg"].removeprefix("Value error, ")
            raise InvalidConfig(path, f"[check] {where}: {message}") from error
        raise InvalidConfig(path, f"[check]: {error}") from error


def _first_row_unlike(frame: pl.DataFrame, column: str, expected: str) -> tuple[int, str] | None:
    import polars as pl

    other = frame.filter(
        pl.col(column).is_not_null() & (pl.col(column).cast(pl.String) != expected)
    )
    if other.height == 0:
        return None
    return int(other[ROW][0]), str(other[column][0])


def _mismatch(item: CheckedReturn, message: str, hint: str, **where: Any) -> Finding:
    return finding("name-mismatch", message, item.file, hint=hint, **where)


def _kind_named(item: CheckedReturn, named: dict[str, str]) -> list[Finding]:
    kind = named.get("kind")
    if kind is None or item.kind is None or kind.lower() == item.kind.value:
        return []
    return [
        _mismatch(
            item,
            f"the file holds a {item.kind.value} return but sits under {kind}/",
            f"Move it to the {item.kind.value} folder.",
            value=kind,
        )
    ]


def _adp_named(item: CheckedReturn, named: dict[str, str]) -> list[Finding]:
    adp_text = named.get("adp")
    if adp_text is None:
        return []
    try:
        adp = resolve_adp(adp_text.replace("-", " "))
    except InvalidAdp as error:
        return [
            _mismatch(
                item,
                f"the folder {adp_text!r} names no ADP: {error}",
                "Name the folder with the ADP's code (mission adps).",
                value=adp_text,
            )
        ]
    other = None if item.frame is None else _first_row_unlike(item.frame, "adp", adp.code)
    if other is None:
        return []
    row, code = other
    return [
        _mismatch(
            item,
            f"the file says {adp_by_code(code).name} but sits under {adp_text}/",
            f"Move it to the {code} folder, or correct the ADP in the file.",
            row=row,
            column="adp",
            value=adp_by_code(code).name,
        )
    ]


def _period_named(item: CheckedReturn, named: dict[str, str]) -> list[Finding]:
    period_text = named.get("period")
    if period_text is None or item.kind is None or item.frame is None:
        return []
    spec = item.kind.spec
    if spec.period_column is None:
        return []
    period = spec.name_period(period_text)
    if period is None:
        return [
            _mismatch(
                item,
                f"the file name {period_text!r} is not a {spec.period_type.noun}",
                "Name the file after its period, e.g. 2024-25-q1.",
                value=period_text,
            )
        ]
    other = _first_row_unlike(item.frame, spec.period_column, period)
    if other is None:
        return []
    row, value = other
    return [
        _mismatch(
            item,
            f"the file is named for {period} but holds {value}",
            "Rename the file, or correct the period in it.",
            row=row,
            column=spec.period_column,
            value=value,
        )
    ]


def _names_against_content(item: CheckedReturn, relative: str, layout: Layout) -> list[Finding]:
    """Where the file sits (ADP folder, kind folder, period in the name) against what it holds."""
    match = layout.regex().match(relative)
    if match is None:
        return [
            finding(
                "unexpected-path",
                f"not laid out as {layout.returns}/{layout.pattern}",
                item.file,
                hint="Move the file, or set the pattern in mission.toml.",
            )
        ]
    named = match.groupdict()
    return [*_kind_named(item, named), *_adp_named(item, named), *_period_named(item, named)]


def _latest_quarter(frames: dict[Kind, list[pl.DataFrame]], layout: Layout) -> str | None:
    """The quarter completeness is judged for: the layout's, else the latest the returns hold
    that has ended (one ADP's return for a quarter still to come, a typo for an earlier one,
    does not make every other ADP's return for it "missing")."""
    if layout.period:
        return layout.period
    today = dt.date.today()
    quarters = [
        quarter
        for kind, parts in frames.items()
        if kind.spec.period_type is Quarter and kind.spec.period_column
        for frame in parts
        for p in frame[kind.spec.period_column].drop_nulls().unique().to_list()
        if over_by(quarter := Quarter.parse(p), today)
    ]
    return str(max(quarters)) if quarters else None


def _period_for(kind: Kind, table: pl.DataFrame | None, latest: str | None) -> str | None:
    """The period a kind is judged complete for: the latest quarter, its financial year, or the
    latest year the returns hold."""
    import polars as pl

    spec = kind.spec
    if spec.period_column is None or spec.period_type is Quarter:
        return latest
    column = None if table is None else table[spec.period_column].drop_nulls().cast(pl.String)
    if spec.period_type is FinancialYear and latest is not None:
        year = str(Quarter.parse(latest).year)
        if column is None or year in column.to_list():
            return year
    return None if column is None or column.is_empty() else str(column.max())


def _completeness(
    checked: Sequence[CheckedReturn], layout: Layout, refused: Sequence[CheckedReturn] = ()
) -> tuple[Completeness, ...]:
    """Per kind, which ADPs sent a valid return for the period judged, and which sent one that
    was refused (`refused`, the invalid files): neither of those is missing."""
    import polars as pl

    frames = _frames_by_kind(checked)
    left = _frames_by_kind(refused)
    # The quarter judged is the latest sent, valid or not: every return for it refused is
    # 30 refused for it, not a judgement of the quarter before.
    latest = _latest_quarter(
        {k: [*frames.get(k, []), *left.get(k, [])] for k in {*frames, *left}}, layout
    )
    adps = sorted(all_adps(), key=lambda a: a.name)  # named A to Z, as a reader looks for one
    result = []
    for kind in layout.kinds:
        spec = kind.spec
        table = pl.concat(frames[kind]) if kind in frames else None
        period = _period_for(kind, table, latest)
        reported = _adps_in(table, spec.period_column, period)
        invalid = _adps_in(
            pl.concat(left[kind], how="diagonal_relaxed") if kind in left else None,
            spec.period_column,
            period,
        )
        result.append(
            Completeness(
                kind=kind,
                period=period,
                expected=len(adps),
                reported=len(reported),
                missing=tuple(a.name for a in adps if a.code not in reported | invalid),
                refused=tuple(a.name for a in adps if a.code in invalid - reported),
            )
        )
    return tuple(result)


def _frames_by_kind(checked: Sequence[CheckedReturn]) -> dict[Kind, list[pl.DataFrame]]:
    frames: dict[Kind, list[pl.DataFrame]] = {}
    for item in checked:
        if item.frame is not None and item.kind:
            frames.setdefault(item.kind, []).append(item.frame)
    return frames


def _adps_in(table: pl.DataFrame | None, column: str | None, period: str | None) -> set[str]:
    """The ADPs (by code) with rows in `table` for `period` (any period, for a kind without a
    period column); none when there is no period to judge (rows only of quarters not ended: a
    refusal of one read `Fife: refused` beside no period)."""
    import polars as pl

    if table is None or (column is not None and period is None):
        return set()
    if column is not None:
        table = table.filter(pl.col(column).cast(pl.String) == period)
    return set(table["adp"].cast(pl.String).drop_nulls().to_list())


def _returns_folder(root: Path, layout: Layout) -> Path:
    """Where the repository keeps its returns.

    Raises:
        InvalidConfig: there is none, or it lies outside the repository.
    """
    folder = root / layout.returns
    if not (root / CONFIG_FILE).is_file() and not folder.is_dir():
        raise InvalidConfig(
            root,
            f"is not a repository of returns: there is no {layout.returns}/ folder here (run "
            f"mission check from the repository's root, or name the folder in {CONFIG_FILE}: "
            '[check] returns = "...")',
        )
    if not folder.is_dir() or not folder.resolve().is_relative_to(root.resolve()):
        raise InvalidConfig(
            root / CONFIG_FILE, f"the returns folder {folder} is missing or outside the repository"
        )
    return folder


def check_repository(
    root: Path | str,
    *,
    strict: bool = False,
    require_complete: bool = False,
    limits: Limits | None = None,
    exclude: Sequence[str] = (),
) -> CheckReport:
    """Validate every return in a repository, check names against content, and completeness.

    Raises:
        InvalidConfig: `mission.toml` is broken, or the returns folder is missing or outside.
        InvalidPath: the returns folder holds no returns (unless `require_complete`: then each
            ADP's missing returns are the report's errors), or `exclude` leaves none.
    """
    root = Path(root)
    layout = load_layout(root)
    folder = _returns_folder(root, layout)
    try:
        checked = check_files([folder], strict=strict, limits=limits, exclude=exclude)
    except ExcludedEverything:
        raise  # a gate that checks nothing must not pass
    except InvalidPath:
        if not require_complete:
            raise  # a gate that checks nothing must not pass, as `mission validate` does not
        checked = ()  # no returns yet: completeness says who has not sent what, and fails
    reports: list[FileReport] = []
    for item in checked:
        if isinstance(item.source, Path) and item.report.format != "link":
            relative = item.source.relative_to(folder).as_posix()
            named = _names_against_content(item, relative, layout)
            done = item.report
            reports.append(
                FileReport.build(
                    done.path,
                    done.kind,
                    done.format,
                    done.rows,
                    [*done.findings, *named],
                    strict,
                    done.line_breaks,
                    done.source,
                    done.covers,
                )
            )
        else:
            reports.append(item.report)
    valid = [r.errors == 0 for r in reports]
    completeness = _completeness(
        [c for c, ok in zip(checked, valid, strict=True) if ok],
        layout,
        [c for c, ok in zip(checked, valid, strict=True) if not ok],
    )
    if require_complete and any(c.missing for c in completeness):
        reports.append(_missing_returns(completeness, layout, root, str(folder), strict))
    report = Report.of(reports, strict)
    return CheckReport(
        root=str(root),
        valid=report.valid,
        layout=layout,
        report=report,
        completeness=completeness,
    )


def _missing_returns(
    completeness: Sequence[Completeness], layout: Layout, root: Path, where: str, strict: bool
) -> FileReport:
    """Each return an ADP has not sent, as an error of the returns folder (`where`, named as
    the files in it are): so every format (the text verdict, JUnit, SARIF, annotations) fails
    the run for the same reason."""
    found = [
        finding(
            "return-missing",
            f"no {c.kind.value} return{f' for {c.period}' if c.period else ''} from {adp}",
            where,
            hint=_missing_hint(layout, root, c, adp),
        )
        for c in completeness
        for adp in c.missing
    ]
    return FileReport.build(where, None, "folder", 0, found, strict)


def _missing_hint(layout: Layout, root: Path, completeness: Completeness, adp: str) -> str:
    """Where the missing return goes; or, when a file is there already (holding another ADP's
    return, or none it can read), to look at that file's own findings (it said to add it)."""
    places = _expected(layout, completeness, adp)
    if not places:
        return (
            f"Add it where {layout.returns}/{layout.pattern} says, or check without "
            "--require-complete."
        )
    held = _held(root, places[0])
    if held is not None:
        return (
            f"{held} is there but is not read as this return: see its own findings (it may "
            "hold another ADP's or period's rows)."
        )
    more = " (or .xlsx)" if len(places) > 1 else ""
    return f"Add it as {places[0]}{more}, or check without --require-complete."


def _held(root: Path, place: str) -> str | None:
    """A file already at a missing return's place under any ending, in any case (`.JSON`, an
    `.xls` mission tells how to save): its path as the layout names it, or None."""
    wanted = root / place
    try:
        found = sorted(
            entry.name
            for entry in wanted.parent.iterdir()
            if entry.is_file() and entry.stem.casefold() == wanted.stem.casefold()
        )
    except OSError:  # no such folder (yet), or one that cannot be listed
        return None
    return (Path(place).parent / found[0]).as_posix() if found else None


def _expected(layout: Layout, completeness: Completeness, adp: str) -> list[str]:
    """Where the missing return goes: the layout's pattern filled in (`returns/fife/ost/
    2024-25-q1.csv`, then `.xlsx` when the pattern leaves the extension open); none when it
    names a field this cannot fill."""
    period = completeness.period
    if period is None and "{period}" in layout.pattern:
        return []
    fields = {
        "adp": resolve_adp(adp).code,
        "kind": completeness.kind.value,
        "period": (period or "").lower().replace("/", "-").replace(" ", "-"),
    }
    try:
        return list(
            dict.fromkeys(
                f"{layout.returns}/{layout.pattern.format(**fields, ext=ext)}"
                for ext in ("csv", "xlsx")
            )
        )
    except (KeyError, IndexError, ValueError):
        return []
