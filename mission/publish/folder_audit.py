"""`mission audit`: check published folders from what they hold, without the returns.

Each folder a report run writes keeps `published.json`: every table as its files print it, and
what each chart draws. The audit reads one or more such folders (published together, they are
checked together: a value printed in any of them is known), and for every count printed as `c`
works out the range a reader can put on it; it fails if any range is narrower than the protection,
if a count of 1 to 4 is printed, or if a chart draws a figure its tables hide.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mission.disclosure import SUPPRESSED, AuditResult
from mission.disclosure.printed import PrintedTable, audit_printed
from mission.errors import MissionError
from mission.publish.write import PUBLISHED_FILE

__all__ = ["FolderAudit", "InvalidPublication", "audit_folders"]


class InvalidPublication(MissionError):
    """A folder that holds no readable `published.json`.

    Attributes:
        path: the folder or file.
        problem: what is wrong, in words.
    """

    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


@dataclass(frozen=True)
class FolderAudit:
    """The audit of one or more published folders, table by table."""

    folders: tuple[str, ...]
    tables: dict[str, AuditResult] = field(default_factory=dict)
    charts: tuple[str, ...] = ()
    """Each chart that draws a figure its tables print as `c`, in words."""

    @property
    def ok(self) -> bool:
        return not self.charts and all(result.ok for result in self.tables.values())

    def problems(self) -> list[str]:
        """Every failure, in words (never a hidden value)."""
        found = list(self.charts)
        for name, result in self.tables.items():
            found += [f"{name}: {item} is printed although it is 1 to 4" for item in result.exposed]
            found += [
                f"{name}: {r.item} can be narrowed to {r.low}–{r.high}"
                + f" (narrower than {result.protection})"
                for r in result.leaks
            ]
        return found

    def to_dict(self) -> dict[str, object]:
        return {
            "folders": list(self.folders),
            "ok": self.ok,
            "problems": self.problems(),
            "tables": {
                name: result.model_dump(mode="json") for name, result in self.tables.items()
            },
        }


def _record_path(folder: Path) -> Path:
    return folder / PUBLISHED_FILE if folder.is_dir() else folder


def _read(folder: Path) -> dict[str, object]:
    path = _record_path(folder)
    if not path.is_file():
        raise InvalidPublication(folder, f"holds no {PUBLISHED_FILE}: it is not a published folder")
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise InvalidPublication(path, f"cannot be read as JSON ({error})") from error
    if not isinstance(record, dict) or record.get("format") != "mission-published":
        raise InvalidPublication(path, "is not a record of what mission published")
    return record


def _tables(record: dict[str, object], path: Path) -> dict[str, PrintedTable]:
    from pydantic import ValidationError

    raw = record.get("tables")
    if not isinstance(raw, dict):
        raise InvalidPublication(path, "has no tables")
    try:
        return {str(n): PrintedTable.model_validate(t) for n, t in raw.items()}
    except ValidationError as error:
        problem = f"has a table that cannot be read ({error.errors()[0]['msg']})"
        raise InvalidPublication(path, problem) from error


def _chart_problems(
    charts: Iterable[tuple[str, list[list[object]]]], tables: dict[str, PrintedTable]
) -> list[str]:
    """Charts that draw a cell or figure their tables print as `c` (or not at all)."""
    found = []
    for chart, drawn in charts:
        for entry in drawn:
            if not (isinstance(entry, list) and len(entry) == 3 and isinstance(entry[2], list)):
                found.append(f"{chart} records a drawing mission cannot read: {entry!r:.80}")
                continue
            table, what, key = entry
            printed = tables.get(str(table))
            if printed is None:
                found.append(f"{chart} draws from {table}, which is not published")
                continue
            state: object
            if what == "cell" and isinstance(key, list):
                state = next((c.printed for c in printed.cells if [c.row, c.column] == key), None)
            else:
                name = key[0] if isinstance(key, list) else key
                state = next((f.printed for f in printed.figures if f.figure.name == name), None)
            if state == SUPPRESSED:
                found.append(f"{chart} draws {table}: {key}, which its table prints as c")
    return found


def _one_date(records: Sequence[tuple[Path, dict[str, object]]]) -> None:
    """Folders read together are publications of one as-of date.

    Raises:
        InvalidPublication: they are of different dates. Their tables are not the same tables: a
            year in progress is a sum of the quarters ended by each date, and `published.json`
            records the sums, not the quarters, so this audit cannot model one date's table
            beside another's. What keeps them safe together is the year-to-date rule applied
            when each was published (`mission.disclosure.year_to_date`); each folder can be
            audited alone, and folders of the same date together.
    """
    dates = {str(record.get("as_of")) for _, record in records}
    if len(dates) > 1:
        first, *_ = records
        named = ", ".join(f"{folder} (as of {record.get('as_of')})" for folder, record in records)
        raise InvalidPublication(
            first[0],
            f"is one of several publications of different dates: {named}. mission audit reads "
            "folders of one date together; across dates, a year in progress is a sum of "
            "different quarters, which published.json does not record, so it cannot be "
            "audited here (the year-to-date rule keeps such publications safe when they are "
            "made). Audit each date's folders on their own",
        )


def audit_folders(folders: Sequence[Path | str]) -> FolderAudit:
    """Audit published folders, read together.

    Raises:
        InvalidPublication: a folder holds no readable `published.json`, or the folders are
            publications of different dates (which this audit cannot read together).
    """
    merged: dict[str, PrintedTable] = {}
    charts: list[tuple[str, list[list[object]]]] = []
    records = [(Path(given), _read(Path(given))) for given in folders]
    _one_date(records)
    for folder, record in records:
        for name, table in _tables(record, _record_path(folder)).items():
            try:
                merged[name] = merged[name].merged(table) if name in merged else table
            except ValueError as error:
                raise InvalidPublication(folder, str(error)) from error
        raw_charts = record.get("charts")
        if isinstance(raw_charts, dict):
            charts += [(f"{folder.name}/{c}", list(d)) for c, d in raw_charts.items()]
    results = {}
    for name, table in sorted(merged.items()):
        try:
            results[name] = audit_printed(table)
        except (ValueError, RuntimeError) as error:
            problem = f"table {name!r} cannot be audited ({error})"
            raise InvalidPublication(Path(folders[0]), problem) from error

    return FolderAudit(
        folders=tuple(str(f) for f in folders),
        tables=results,
        charts=tuple(_chart_problems(charts, merged)),
    )
