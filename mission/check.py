"""Check a repository of returns, as CI does on every pull request.

Everything under the returns folder is validated; each file's place in the layout
(`returns/<adp>/<kind>/<period>.<ext>` by default, set in `mission.toml`) is checked against what
it holds; links that lead out of the repository are refused, never followed; and completeness says
which ADPs have not sent which kind for the latest period.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from mission.adps import InvalidAdp, adp_by_code, all_adps, resolve_adp
from mission.errors import MissionError
from mission.findings import Finding, finding
from mission.limits import Limits
from mission.periods import FinancialYear, InvalidPeriod, Quarter
from mission.reading import ROW, supported_suffixes
from mission.report import Report
from mission.spec import kind_spec

if TYPE_CHECKING:
    import polars as pl

    from mission.validation import CheckedFile

__all__ = ["CheckReport", "Completeness", "InvalidConfig", "Layout", "check_repository"]

CONFIG_FILE = "mission.toml"
_FIELDS = {"adp", "kind", "period", "ext"}


class InvalidConfig(MissionError):
    """A `mission.toml` that cannot be used."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        super().__init__(f"{path}: {problem}")


class Layout(BaseModel):
    """Where returns live in a repository, and which kinds every ADP must send."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    returns: str = "returns"
    pattern: str = "{adp}/{kind}/{period}.{ext}"
    kinds: tuple[str, ...] = ("ost", "rehab", "naloxone", "mat", "deaths")
    period: str | None = Field(default=None, description="the quarter to check completeness for")

    @field_validator("pattern")
    @classmethod
    def _known_fields(cls, pattern: str) -> str:
        unknown = set(re.findall(r"{(\w+)}", pattern)) - _FIELDS
        if unknown:
            raise ValueError(
                f"unknown field {{{sorted(unknown)[0]}}}: use {{adp}}, {{kind}}, "
                "{period} and {ext}"
            )
        return pattern

    @field_validator("kinds")
    @classmethod
    def _known_kinds(cls, names: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(kind_spec(name).name for name in names)

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


class Completeness(BaseModel):
    """Which ADPs have sent a kind of return for a period (counting valid returns only)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str
    period: str | None
    expected: int
    reported: int
    missing: tuple[str, ...]


class CheckReport(BaseModel):
    """Validation of the whole repository, plus completeness."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    root: str
    valid: bool
    layout: Layout
    report: Report
    completeness: tuple[Completeness, ...]


def load_layout(root: Path) -> Layout:
    """The layout from `mission.toml` (section `[check]`), or the default one.

    Raises:
        InvalidConfig: the file is not valid TOML or has an unknown or bad key.
    """
    path = root / CONFIG_FILE
    if not path.is_file():
        return Layout()
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise InvalidConfig(path, f"is not valid TOML: {error}") from error
    try:
        return Layout.model_validate(data.get("check", {}))
    except (ValidationError, MissionError) as error:
        if isinstance(error, ValidationError):
            first = error.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            message = first["msg"].removeprefix("Value error, ")
            raise InvalidConfig(path, f"[check] {where}: {message}") from error
        raise InvalidConfig(path, f"[check]: {error}") from error


def _walk(root: Path, folder: Path) -> tuple[list[Path], list[Finding]]:
    """Return files under `folder`; a link or path that leads outside `root` is refused."""
    files: list[Path] = []
    refused: list[Finding] = []
    real_root = root.resolve()
    suffixes = set(supported_suffixes())
    for directory, subdirectories, names in os.walk(folder, followlinks=False):
        here = Path(directory)
        for name in sorted(subdirectories):
            if (here / name).is_symlink():
                refused.append(_outside(root, here / name, real_root))
        subdirectories[:] = sorted(
            d for d in subdirectories if not d.startswith(".") and not (here / d).is_symlink()
        )
        for name in sorted(names):
            path = here / name
            if name.startswith((".", "~$")) or path.suffix.lower() not in suffixes:
                continue
            target = path.resolve()
            if not target.is_relative_to(real_root):
                refused.append(_outside(root, path, real_root))
            elif target.is_file():
                files.append(path)
    return files, [f for f in refused if f.code == "outside-folder"]


def _outside(root: Path, path: Path, real_root: Path) -> Finding:
    target = path.resolve()
    if target.is_relative_to(real_root):
        return finding(
            "unexpected-path",
            "a linked folder inside the repository was not followed",
            str(path.relative_to(root)),
            hint="Put returns in real folders.",
        )
    return finding(
        "outside-folder",
        "this link leads outside the checked folder; it was not read",
        str(path.relative_to(root)),
        hint="Commit the return itself, not a link to a file elsewhere.",
    )


def _name_period(text: str, kind: str) -> str | None:
    """The period a file name gives, in canonical form (`2024-25-q1` -> `2024/25 Q1`)."""
    cleaned = re.sub(r"[_\-\s]*(q\d)$", r" \1", text, flags=re.IGNORECASE)
    try:
        if kind == "mat":
            return str(FinancialYear.parse(cleaned))
        if kind == "deaths":
            return text if re.fullmatch(r"\d{4}", text) else None
        return str(Quarter.parse(cleaned))
    except InvalidPeriod:
        return None


def _period_column(kind: str) -> str | None:
    return {"mat": "year", "deaths": "calendar_year", "episodes": None}.get(kind, "period")


def _first_row_unlike(frame: pl.DataFrame, column: str, expected: str) -> tuple[int, str] | None:
    import polars as pl

    other = frame.filter(
        pl.col(column).is_not_null() & (pl.col(column).cast(pl.String) != expected)
    )
    if other.height == 0:
        return None
    return int(other[ROW][0]), str(other[column][0])


def _names_against_content(item: CheckedFile, relative: str, layout: Layout) -> list[Finding]:
    match = layout.regex().match(relative)
    if match is None:
        return [
            finding(
                "unexpected-path",
                f"not laid out as {layout.returns}/{layout.pattern}",
                str(item.path),
                hint="Move the file, or set the pattern in mission.toml.",
            )
        ]
    named = match.groupdict()
    problems: list[Finding] = []
    kind = named.get("kind")
    if kind is not None and item.kind is not None and kind.lower() != item.kind:
        problems.append(
            finding(
                "name-mismatch",
                f"the file holds a {item.kind} return but sits under {kind}/",
                str(item.path),
                value=kind,
                hint=f"Move it to the {item.kind} folder.",
            )
        )
    frame = item.frame
    adp_text = named.get("adp")
    if adp_text is not None:
        try:
            adp = resolve_adp(adp_text.replace("-", " "))
        except InvalidAdp as error:
            problems.append(
                finding(
                    "name-mismatch",
                    f"the folder {adp_text!r} names no ADP: {error}",
                    str(item.path),
                    value=adp_text,
                    hint="Name the folder with the ADP's code (mission adps).",
                )
            )
            adp = None
        if adp is not None and frame is not None:
            other = _first_row_unlike(frame, "adp", adp.code)
            if other is not None:
                row, code = other
                problems.append(
                    finding(
                        "name-mismatch",
                        f"the file says {adp_by_code(code).name} but sits under {adp_text}/",
                        str(item.path),
                        row=row,
                        column="adp",
                        value=adp_by_code(code).name,
                        hint=f"Move it to the {code} folder, or correct the ADP in the file.",
                    )
                )
    period_text, column = named.get("period"), _period_column(item.kind or "")
    if period_text is not None and column is not None and frame is not None and item.kind:
        period = _name_period(period_text, item.kind)
        if period is None:
            problems.append(
                finding(
                    "name-mismatch",
                    f"the file name {period_text!r} is not a period",
                    str(item.path),
                    value=period_text,
                    hint="Name the file after its period, e.g. 2024-25-q1.",
                )
            )
        else:
            other = _first_row_unlike(frame, column, period)
            if other is not None:
                row, value = other
                problems.append(
                    finding(
                        "name-mismatch",
                        f"the file is named for {period} but holds {value}",
                        str(item.path),
                        row=row,
                        column=column,
                        value=value,
                        hint="Rename the file, or correct the period in it.",
                    )
                )
    return problems


def _completeness(checked: Sequence[CheckedFile], layout: Layout) -> tuple[Completeness, ...]:
    import polars as pl

    frames: dict[str, list[pl.DataFrame]] = {}
    for item in checked:
        if item.frame is not None and item.kind and item.report(False).valid:
            frames.setdefault(item.kind, []).append(item.frame)
    quarters = [
        Quarter.parse(p)
        for kind in ("ost", "rehab", "naloxone")
        for frame in frames.get(kind, [])
        for p in frame["period"].drop_nulls().unique().to_list()
    ]
    latest = layout.period or (str(max(quarters)) if quarters else None)
    adps = all_adps()
    result = []
    for kind in layout.kinds:
        column = _period_column(kind)
        table = pl.concat(frames[kind]) if kind in frames else None
        period = latest
        if kind == "mat":
            period = str(Quarter.parse(latest).year) if latest else None
            if table is not None and (period is None or period not in table["year"].to_list()):
                period = max(table["year"].drop_nulls().to_list(), default=period)
        elif kind == "deaths":
            period = str(table["calendar_year"].max()) if table is not None else None
        reported: set[str] = set()
        if table is not None and column is not None and period is not None:
            reported = set(
                table.filter(pl.col(column).cast(pl.String) == period)["adp"].drop_nulls().to_list()
            )
        elif table is not None:
            reported = set(table["adp"].drop_nulls().to_list())
        missing = tuple(a.name for a in adps if a.code not in reported)
        result.append(
            Completeness(
                kind=kind,
                period=period,
                expected=len(adps),
                reported=len(reported),
                missing=missing,
            )
        )
    return tuple(result)


def check_repository(
    root: Path | str,
    *,
    strict: bool = False,
    require_complete: bool = False,
    limits: Limits | None = None,
) -> CheckReport:
    """Validate every return in a repository, check names against content, and completeness.

    Raises:
        InvalidConfig: `mission.toml` is broken, or the returns folder is missing or outside.
    """
    from mission.validation import _cross_file, check_file

    root = Path(root)
    layout = load_layout(root)
    folder = root / layout.returns
    if not folder.is_dir() or not folder.resolve().is_relative_to(root.resolve()):
        raise InvalidConfig(
            root / CONFIG_FILE, f"the returns folder {folder} is missing or outside the repository"
        )
    files, refused = _walk(root, folder)
    checked = [check_file(path, None, limits or Limits()) for path in files]
    _cross_file(checked)
    for item in checked:
        relative = item.path.relative_to(folder).as_posix()
        item.extra.extend(_names_against_content(item, relative, layout))
    reports = [item.report(strict) for item in checked]
    if refused:
        from mission.report import FileReport

        for f in refused:
            reports.append(FileReport.build(f.file, None, "link", 0, [f], strict))
    report = Report.of(reports, strict)
    completeness = _completeness(checked, layout)
    complete = all(not c.missing for c in completeness)
    return CheckReport(
        root=str(root),
        valid=report.valid and (complete or not require_complete),
        layout=layout,
        report=report,
        completeness=completeness,
    )
