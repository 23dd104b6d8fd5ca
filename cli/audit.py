"""`mission audit`: check published folders for hidden counts a reader could work out."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .exit_codes import ExitCode
from .options import OutputOption, echo_json, output_format, show


class AuditFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


def audit(
    folders: Annotated[
        list[str],
        typer.Argument(help="Folders `mission report` wrote, read together (one date or several)."),
    ],
    format: Annotated[
        AuditFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="text or json. Default: as the -o file is named, else text.",
            show_default=False,
        ),
    ] = None,
    output: OutputOption = None,
) -> None:
    """Audit published folders: can any count printed as c be worked out?

    Reads each folder's published.json (what its pages, charts and tables print) — not the
    returns. For every hidden count, the range of values consistent with everything published in
    the folders is worked out (linear programming over the tables' totals and figures); the audit
    fails (exit 1) if a range is narrower than 5, a count of 1 to 4 is printed, or a chart draws
    a figure its table hides. Folders are read together: published at one date, or at several
    (then each for its complete periods: a year in progress is a different sum at each date).

    It fails (exit 1) too if a folder's files are not the ones its run wrote: one changed after
    it was written (a cell retyped in report.xlsx), missing, or not written by the run.
    A published.json from before mission 0.2.0 keeps no checksums: its files are not checked,
    and a note says so.

    Examples:

      mission audit report

      mission audit report papers
    """
    format = output_format(output, format, AuditFormat.TEXT)
    from mission.publish.folder_audit import InvalidPublication, audit_folders

    from .context import protect
    from .errors import fail
    from .options import refuse_read_files

    # Every file of a folder audited is read (published.json and the pages it records).
    protect(p for folder in folders if Path(folder).is_dir() for p in Path(folder).rglob("*"))
    refuse_read_files(output)
    try:
        result = audit_folders(folders)
    except InvalidPublication as error:
        raise fail(str(error), ExitCode.USAGE, "Could not audit") from error
    if format is AuditFormat.JSON:
        echo_json(result.to_dict(), output)
    else:
        _print(result, output)
    if not result.ok:
        raise typer.Exit(ExitCode.INVALID)


def _print(result: object, output: str | None) -> None:
    from mission.publish.folder_audit import FolderAudit

    from .render import Part, line, table, text

    assert isinstance(result, FolderAudit)
    parts: list[Part] = [
        table(
            "Disclosure audit of " + ", ".join(result.folders),
            ("table", "hidden counts", "narrowest range", "counts of 1-4 printed", "verdict"),
            (
                (
                    name,
                    str(len(r.ranges)),
                    _narrowest(r),
                    str(len(r.exposed)),
                    text("protected", "green") if r.ok else text("LEAK", "bold red"),
                )
                for name, r in result.tables.items()
            ),
            right=("hidden counts", "counts of 1-4 printed"),
        )
    ]
    parts += [line(text(problem, "red")) for problem in result.problems()]
    parts += [line(text(f"Note: {note}", "yellow")) for note in result.notes]
    verdict = "PASSED: every hidden count is protected" if result.ok else "FAILED"
    if result.ok:
        verdict += _files_verdict(result)
    parts.append(line(text(verdict, "bold green" if result.ok else "bold red")))
    show(parts, output)


def _files_verdict(result: object) -> str:
    from mission.publish.folder_audit import FolderAudit

    assert isinstance(result, FolderAudit)
    unchecked = sum(not check.checked for check in result.files)
    if not unchecked:
        return ", and every file is as its run wrote it"
    return f" (the files of {unchecked} folder{'s' * (unchecked != 1)} could not be checked)"


def _narrowest(result: object) -> str:
    from mission.disclosure import AuditResult

    assert isinstance(result, AuditResult)
    widths = [r.width for r in result.ranges if r.width is not None]
    if not result.ranges:
        return "—"
    return "unbounded" if not widths else str(min(widths))


def register(app: typer.Typer) -> None:
    app.command("audit")(audit)
