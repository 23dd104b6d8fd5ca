"""`mission audit`: check published folders from what they hold, without the returns.

Each folder a report run writes keeps `published.json`: every table as its files print it, and
what each chart draws. The audit reads one or more such folders (published together, or at
several dates, they are checked together: a value printed in any of them is known), and for every
count printed as `c` works out the range a reader can put on it; it fails if any range is
narrower than the protection, if a count of 1 to 4 is printed, or if a chart draws a figure its
tables hide. It vouches for the files only if they are the ones the record describes, so it
fails too if a file the run wrote is changed or missing, or another file is there
(`mission.publish.folder_files`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mission.disclosure import SUPPRESSED, AuditResult, Figure
from mission.disclosure.audit import cell_label
from mission.disclosure.linear import Infeasible
from mission.disclosure.printed import (
    PrintedCell,
    PrintedFigure,
    PrintedTable,
    audit_printed,
    same_count,
)
from mission.errors import FileProblem
from mission.publish.folder_files import FileCheck, UncheckableFolder, check_files
from mission.publish.write import PUBLISHED_FILE

__all__ = ["FolderAudit", "InvalidPublication", "audit_folders"]


class InvalidPublication(FileProblem):
    """A folder that holds no readable `published.json`.

    Attributes:
        path: the folder or file.
        problem: what is wrong, in words.
    """


@dataclass(frozen=True)
class FolderAudit:
    """The audit of one or more published folders, table by table."""

    folders: tuple[str, ...]
    tables: dict[str, AuditResult] = field(default_factory=dict)
    charts: tuple[str, ...] = ()
    """Each chart that draws a figure its tables print as `c`, in words."""
    files: tuple[FileCheck, ...] = ()
    """Each folder's files against its record."""

    @property
    def ok(self) -> bool:
        return (
            not self.charts
            and not any(check.problems for check in self.files)
            and all(result.ok for result in self.tables.values())
        )

    @property
    def notes(self) -> list[str]:
        """Why some folder's files were not checked (a record from before checksums)."""
        return [check.note for check in self.files if check.note]

    def problems(self) -> list[str]:
        """Every failure, in words (never a hidden value)."""
        found = [problem for check in self.files for problem in check.problems]
        found += self.charts
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
            "notes": self.notes,
            "files_checked": {check.folder: check.checked for check in self.files},
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


def _readable(entry: object) -> bool:
    """A drawing as published.json records one: [table, "cell" or "figure", a non-empty key]."""
    if not (isinstance(entry, list) and len(entry) == 3):
        return False
    return isinstance(entry[2], list) and bool(entry[2])


def _as_list(value: object) -> list[list[object]]:
    """A chart's drawings; anything else is one drawing `_readable` refuses."""
    return value if isinstance(value, list) else [[value]]


def _chart_problems(
    charts: Iterable[tuple[str, list[list[object]]]], tables: dict[str, PrintedTable]
) -> list[str]:
    """Charts that draw a cell or figure their tables print as `c` (or not at all)."""
    found = []
    for chart, drawn in charts:
        for entry in drawn:
            if not _readable(entry):
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


_YEAR = re.compile(r"^(\d{4})/\d{2}(?: first)?$")


def _in_progress(column: str, as_of: dt.date) -> bool:
    """A financial year's column (`2025/26`, `2025/26 first`) whose year had not ended."""
    found = _YEAR.match(column)
    if found is None or int(found.group(1)) + 1 > dt.MAXYEAR:
        return False
    return dt.date(int(found.group(1)) + 1, 3, 31) > as_of


def _complete_part(table: PrintedTable, as_of: dt.date) -> PrintedTable:
    """The table less what it prints of years still in progress at `as_of`: those are sums of
    the quarters ended by then, not the cells another date's table calls by the same names, so
    they, and every figure that reads them, are left out (the year-to-date rule is what keeps
    them safe across dates)."""
    gone = {(c.row, c.column) for c in table.cells if _in_progress(c.column, as_of)}
    if not gone:
        return table
    cells = tuple(
        c.model_copy(update={"printed": None}) if (c.row, c.column) in gone else c
        for c in table.cells
    )
    figures = tuple(f for f in table.figures if not (f.figure.cells() & gone))
    return table.model_copy(update={"cells": cells, "figures": figures})


def _across_dates(tables: Sequence[PrintedTable]) -> PrintedTable:
    """What a reader of one table's publications of several dates knows: each cell printed in
    any of them, and every figure each printed (one defined alike at two dates is one figure;
    a five-year window that moved on is another)."""
    cells: dict[tuple[str, str], PrintedCell] = {}
    figures: dict[str, PrintedFigure] = {}
    named: dict[Figure, str] = {}  # a figure's definition (its name left out) -> its name here
    for index, table in enumerate(tables, start=1):
        for cell in table.cells:
            key = (cell.row, cell.column)
            seen = cells.get(key)
            cells[key] = (
                cell
                if seen is None
                else seen.model_copy(
                    update={
                        "printed": same_count(
                            tables[0].name, cell_label(key), seen.printed, cell.printed
                        )
                    }
                )
            )
        for item in table.figures:
            definition = item.figure.model_copy(update={"name": ""})
            same = named.get(definition)
            if same is not None:
                known = same_count(tables[0].name, same, figures[same].printed, item.printed)
                figures[same] = figures[same].model_copy(update={"printed": known})
                continue
            name, again = item.figure.name, 1
            while name in figures:  # a name taken (even by a renamed one): never overwrite
                name, again = f"{item.figure.name} (publication {index}.{again})", again + 1
            named[definition] = name
            figure = item.figure.model_copy(update={"name": name})
            figures[name] = item.model_copy(update={"figure": figure})
    return PrintedTable(
        name=tables[0].name,
        protection=max(t.protection for t in tables),
        cells=tuple(cells.values()),
        figures=tuple(figures.values()),
    )


def _same_date(records: Sequence[tuple[Path, dict[str, object]]]) -> dict[str, PrintedTable]:
    """Folders of one date print the same tables: a value printed in any of them is known."""
    merged: dict[str, PrintedTable] = {}
    for folder, record in records:
        for name, table in _tables(record, _record_path(folder)).items():
            try:
                merged[name] = merged[name].merged(table) if name in merged else table
            except ValueError as error:
                raise InvalidPublication(folder, str(error)) from error
    return merged


def _by_date(
    records: Sequence[tuple[Path, dict[str, object]]],
) -> dict[dt.date, list[tuple[Path, dict[str, object]]]]:
    groups: dict[dt.date, list[tuple[Path, dict[str, object]]]] = {}
    for folder, record in records:
        groups.setdefault(_date(record, folder), []).append((folder, record))
    return dict(sorted(groups.items()))


def _date(record: dict[str, object], folder: Path) -> dt.date:
    try:
        return dt.date.fromisoformat(str(record.get("as_of")))
    except ValueError as error:
        path = _record_path(folder)
        raise InvalidPublication(path, "records no as-of date it was published at") from error


def audit_folders(folders: Sequence[Path | str] | Path | str) -> FolderAudit:
    """Audit published folders, read together (one folder may be given alone).

    Folders of one as-of date print the same tables and are read as one publication. Folders of
    several dates are read for what each printed of complete periods (a year still in progress
    at a folder's date is a sum of different quarters there, and is left out of its part):
    a cell printed at any date is known, and every figure each date printed is a constraint.

    Each folder's files are checked against the SHA-256 its record keeps of each: a file changed,
    missing or not written by its run fails the audit. A record from before checksums were kept
    is audited from its tables alone, with a note (`FolderAudit.notes`).

    Raises:
        InvalidPublication: a folder holds no readable `published.json` (or checksums that cannot
            be read) or no as-of date.
    """
    if isinstance(folders, Path | str):  # a str is a Sequence too: of its characters
        folders = [folders]
    if isinstance(folders, bytes | bytearray) or not folders:  # an audit of nothing passes nothing
        raise InvalidPublication(Path("<no folder>"), "nothing to audit: name one folder or more")
    records = [(Path(given), _read(Path(given))) for given in folders]
    files = tuple(_files(folder, record) for folder, record in records)
    by_date = _by_date(records)
    groups = {date: _same_date(group) for date, group in by_date.items()}
    merged = next(iter(groups.values())) if len(groups) == 1 else _dates_together(groups, folders)
    charts: list[str] = []
    for date, group in by_date.items():
        charts += _chart_problems(_drawn(group), groups[date])
    results = {}
    for name, table in sorted(merged.items()):
        try:
            results[name] = audit_printed(table)
        except Infeasible as error:
            problem = (
                f"table {name!r}: what the publications print cannot all be true (a count "
                "revised between them?); audit each on its own"
            )
            raise InvalidPublication(Path(folders[0]), problem) from error
        except (ValueError, RuntimeError) as error:
            problem = f"table {name!r} cannot be audited ({error})"
            raise InvalidPublication(Path(folders[0]), problem) from error
    return FolderAudit(
        folders=tuple(str(f) for f in folders), tables=results, charts=tuple(charts), files=files
    )


def _files(given: Path, record: dict[str, object]) -> FileCheck:
    """The folder's files against its record (`given` is the folder or its `published.json`)."""
    path = _record_path(given)
    try:
        return check_files(path.parent, path, record)
    except UncheckableFolder as error:
        raise InvalidPublication(error.path, error.problem) from error


def _dates_together(
    groups: Mapping[dt.date, Mapping[str, PrintedTable]], folders: Sequence[Path | str]
) -> dict[str, PrintedTable]:
    names = dict.fromkeys(name for tables in groups.values() for name in tables)
    try:
        return {
            name: _across_dates(
                [_complete_part(t[name], date) for date, t in groups.items() if name in t]
            )
            for name in names
        }
    except ValueError as error:
        raise InvalidPublication(Path(folders[0]), str(error)) from error


def _drawn(group: Sequence[tuple[Path, dict[str, object]]]) -> list[tuple[str, list[list[object]]]]:
    """What each folder's charts draw, named by folder and chart."""
    drawn = []
    for folder, record in group:
        raw = record.get("charts")
        if isinstance(raw, dict):
            # a chart's record that is not a list is one drawing nobody can read, said so
            drawn += [(f"{folder.name}/{c}", _as_list(d)) for c, d in raw.items()]
    return drawn
