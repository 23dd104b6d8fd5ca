"""Readers: any file a stranger sends, read as itself, within limits, into one frozen `Table`.

One module per format (`csv`, `excel` with its guard `workbook`, `json`, `parquet`), behind
`read_table`. What a file's name claims is checked against what its bytes are; every limit is
checked before the work it bounds; nothing a reader says about a file quotes a cell whose column
is unknown (privacy by construction: see `Draft.note`). A file that cannot be read becomes a
`could-not-read` finding, never an exception — except `TimeLimitReached`, which ends the run.
"""

from __future__ import annotations

from pathlib import Path

from mission.findings import FindingSink
from mission.kinds import Kind
from mission.limits import Limits
from mission.readers.source import NamedBytes, Source, describe, sniff
from mission.readers.table import Draft, Table, Unreadable
from mission.readers.tidy import tidy

__all__ = ["SUFFIXES", "NamedBytes", "Table", "read_table", "supported_suffixes"]

SUFFIXES = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".json": "json",
    ".parquet": "parquet",
}

_RENAME = {
    "xlsx": "Rename it to {stem}.xlsx.",
    "csv": "Rename it to {stem}.csv, or save it again from Excel as .xlsx.",
    "json": "Rename it to {stem}.json.",
    "parquet": "Rename it to {stem}.parquet.",
    "xls": "Open it in Excel and save it as an Excel Workbook (.xlsx).",
}
_SAVE_AS = {
    "xls": "Open it in Excel and use File > Save As, choosing 'Excel Workbook (.xlsx)' or "
    "'CSV UTF-8 (Comma delimited) (.csv)'.",
}
"""How to save, from the program that made it, a file of a format mission does not read."""


def supported_suffixes() -> tuple[str, ...]:
    """The file name endings a folder is searched for."""
    return tuple(SUFFIXES)


def read_table(
    item: Source | NamedBytes | Path | str, kind: Kind | None = None, limits: Limits | None = None
) -> Table:
    """Read one file; problems become findings on the table (its frame is then None)."""
    limits = limits or Limits()
    try:
        source = item if isinstance(item, Source) else Source.of(item, limits.max_file_bytes)
    except OSError as error:
        draft = Draft(str(item), "unknown", FindingSink(str(item), limits.max_findings_per_code))
        return draft.freeze(Unreadable(f"the file cannot be opened: {error.strerror or error}"))
    claimed = SUFFIXES.get(source.suffix)
    draft = Draft(
        source.display,
        claimed or "unknown",
        FindingSink(source.display, limits.max_findings_per_code),
    )
    try:
        _read(draft, source, claimed, kind, limits)
    except Unreadable as problem:
        return draft.freeze(problem)
    except OSError as error:
        return draft.freeze(Unreadable(f"the file cannot be read: {error.strerror or error}"))
    except MemoryError:
        return draft.freeze(Unreadable("the file needs more memory than this machine allows"))
    except BaseException as error:
        # A panic inside a reader library (pyo3's PanicException derives from BaseException)
        # means a file it cannot parse: report it, never crash on a stranger's file.
        if type(error).__name__ != "PanicException":
            raise
        return draft.freeze(
            Unreadable(
                "the file could not be parsed (the reader failed on its content)",
                "Save it again as CSV UTF-8 or Excel (.xlsx), and report the file to mission.",
            )
        )
    if draft.frame is not None:
        from mission.readers.two_row_header import read_two_row_header

        read_two_row_header(draft)
        try:
            tidy(draft)
        except Unreadable as problem:
            return draft.freeze(problem)
        if draft.layout is not None:
            from mission.readers.excel import drop_unread_formulas
            from mission.readers.hidden_cells import tell_hidden
            from mission.readers.merged_cells import tell_merged

            tell_merged(draft, draft.layout)
            tell_hidden(draft, draft.layout)
            drop_unread_formulas(draft)
    return draft.freeze()


def _read(
    draft: Draft, source: Source, claimed: str | None, kind: Kind | None, limits: Limits
) -> None:
    if source.size == 0:
        raise Unreadable("the file is empty (0 bytes)", "Export the return again.", "empty-file")
    if source.size > limits.max_file_bytes:
        raise Unreadable(
            f"the file is {source.size:,} bytes, over the limit of {limits.max_file_bytes:,}",
            "Split the return, or raise the limit with --max-file-mb.",
        )
    actual = sniff(source.head(8192))
    if claimed and actual != claimed and not (claimed == "csv" and actual == "json"):
        hint = _RENAME.get(actual, "Export the return again as CSV, Excel (.xlsx) or JSON.")
        raise Unreadable(
            f"the file is named {source.suffix} but is {describe(actual)}",
            hint.format(stem=source.stem),
        )
    draft.format = actual
    if actual == "xlsx":
        from mission.readers.excel import read_excel

        read_excel(draft, source, kind, limits)
    elif actual == "json":
        from mission.readers.json import read_json

        read_json(draft, source, limits)
    elif actual == "parquet":
        from mission.readers.parquet import read_parquet

        read_parquet(draft, source, limits)
    elif actual == "csv":
        from mission.readers.csv import read_csv

        read_csv(draft, source, kind, limits)
    else:
        raise Unreadable(
            f"the file is {describe(actual)}, not a return",
            _SAVE_AS.get(actual, "Save the return as CSV, Excel (.xlsx) or JSON."),
        )
