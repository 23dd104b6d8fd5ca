"""Options shared by several commands, declared once, and the helpers that read and write them."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO, TypeVar

import typer

from mission.kinds import Kind

from .completion import complete_adps, complete_kinds
from .exit_codes import ExitCode

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Iterable

    from mission.readers import NamedBytes
    from mission.returns import Returns
    from mission.targets import TargetSet

    from .render import Part


class ListFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


FormatOption = Annotated[
    ListFormat, typer.Option("--format", "-f", help="text for people, json for programs.")
]


def parse_kind(value: str | Kind) -> Kind:
    """A kind named on the command line; a near miss is refused with "did you mean"."""
    if isinstance(value, Kind):
        return value
    from mission.kinds import UnknownKind

    try:
        return Kind.parse(value)
    except UnknownKind as error:
        raise typer.BadParameter(str(error)) from None


KIND_METAVAR = "[" + "|".join(k.value for k in Kind) + "]"


def _kind_option(help: str) -> Any:
    return typer.Option(
        "--kind",
        "-k",
        help=help,
        parser=parse_kind,
        metavar=KIND_METAVAR,
        autocompletion=complete_kinds,
    )


KindOption = Annotated[
    Kind | None,
    _kind_option("The kind of every file. By default each file's kind is read from its header."),
]
KindFilterOption = Annotated[Kind | None, _kind_option("Only submissions of this kind.")]

PathsArgument = Annotated[
    list[str],
    typer.Argument(
        help="Return files, or folders to search for them; '-' reads standard input.",
        show_default=False,
        metavar="PATHS...",
    ),
]

OptionalPathsArgument = Annotated[
    list[str] | None,
    typer.Argument(
        help="Return files or folders (invalid files are left out, and said so).",
        show_default=False,
        metavar="PATHS...",
    ),
]

OutputOption = Annotated[
    str | None,
    typer.Option(
        "--output", "-o", help="Write to this file instead of standard output ('-' for stdout)."
    ),
]

_NAMED_FORMATS = {
    ".json": "json",
    ".markdown": "markdown",
    ".sarif": "sarif",
    ".html": "html",
    ".htm": "html",
    ".xml": "junit",
    ".md": "markdown",
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".parquet": "parquet",
}
"""What a file's name says it holds (`.txt` says nothing: text or GitHub annotations alike)."""

_OTHER_FORMATS = frozenset(
    {".toml", ".yaml", ".yml", ".ini", ".cfg", ".sqlite", ".sqlite3", ".db", ".py", ".sh"}
    | {".xls", ".xlsm", ".xlsb", ".ods", ".fods", ".numbers", ".tsv", ".doc", ".docx", ".odt"}
    | {".pdf", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".zip", ".gz"}
)
"""Endings that say a format no command writes: refused, so `-o mission.toml` never overwrites
a configuration with a report. An ending that says nothing (`.txt`, `.log`, `.out`) is free."""

_Format = TypeVar("_Format", bound=StrEnum)


def refuse_other_name(output: str | None, written: str) -> None:
    """End the run with exit 2 when `output`'s name says a format other than `written` (for a
    command that writes one format only)."""
    said = _said(output)
    if said is not None and said != written:
        from .errors import fail

        raise fail(
            f"{output}: its name says {said}, which this command does not write ({written})",
            ExitCode.USAGE,
        )


def _said(output: str | None) -> str | None:
    """The format an output's name says, if any (`.txt`, `.log`, `.out` say none)."""
    if output is None or output == "-":
        return None
    name = Path(output).name.lower()
    suffix = Path(name).suffix
    said = "sarif" if name.endswith(".sarif.json") else _NAMED_FORMATS.get(suffix)
    if said is None and suffix in _OTHER_FORMATS:
        said = f"a {suffix} file"  # mission.toml, a .yaml: nothing this command writes
    return said


def output_format(output: str | None, asked: _Format | None, default: _Format) -> _Format:
    """The format to write: as asked (`--format`), else as the `-o` file is named
    (`progress.xlsx`), else `default`. A name that says another format than the one written is
    refused: text in `progress.xlsx`, or a workbook in `ost.csv`, is a file nothing opens, and
    `validate` refuses it. (A SARIF log is JSON: `-f sarif -o findings.json` is fine.)

    Raises:
        typer.Exit: exit 2, said on stderr.
    """
    said = _said(output)
    formats = {f.value: f for f in type(default)}
    chosen = asked or formats.get(said or "") or default
    if said is None or said == chosen.value or (said, chosen.value) == ("json", "sarif"):
        return chosen
    from .errors import fail

    if said in formats:
        words = f"but --format is {chosen.value}: name the file for {chosen.value}, or leave out"
        words += " --format"
    else:
        written = ", ".join(formats)
        words = f"which this command does not write ({written}): name the file for one of those"
    raise fail(f"{output}: its name says {said}, {words}", ExitCode.USAGE)


ExcludeOption = Annotated[
    list[str] | None,
    typer.Option(
        "--exclude",
        help="Leave out files matching this glob pattern (below the folder, or by name: "
        "'archive/*', '*-draft.xlsx'); repeatable.",
    ),
]

SarifOption = Annotated[
    str | None,
    typer.Option(
        "--sarif", help="Also write the findings as SARIF to this file (for code scanning)."
    ),
]

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        help="The returns store file (default: $MISSION_STORE).",
        show_default=False,
    ),
]

AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Judge as at this date (2024-05-31, meaning the end of that day, UTC) or instant "
        "(2024-05-31T12:00+01:00). Default: now.",
    ),
]

AdpOption = Annotated[
    str | None,
    typer.Option("--adp", help="One ADP, by any name it goes by.", autocompletion=complete_adps),
]

TargetsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--targets",
        help="A directory of your own target TOML files, laid on top of the shipped ones "
        "(repeatable). A file with a shipped id is merged into it, e.g. to add local targets.",
    ),
]


def load_targets(extra: list[str] | None) -> TargetSet:
    """The targets in force for this run (shipped, then --targets on top)."""
    from mission.targets import load_targets as load

    return load(Path(p) for p in extra or ())


def as_of_moment(text: str | None) -> dt.datetime | None:
    """The `--as-of` option as an instant.

    Raises:
        typer.BadParameter: the text is not a date or an ISO instant.
    """
    if text is None:
        return None
    import datetime

    from mission.periods import InvalidPeriod, parse_moment, whole_days_by

    try:
        moment = parse_moment(text)
    except InvalidPeriod as error:
        raise typer.BadParameter(str(error), param_hint="--as-of") from None
    # Today where the run is, or in UTC if that is later (validation's "today" is the local date).
    today = max(datetime.date.today(), datetime.datetime.now(datetime.UTC).date())
    day = whole_days_by(moment)
    if day > today:
        # Judged as of a day to come, a quarter or year still running would count as whole.
        read = "" if text.strip() == day.isoformat() else f" (read as {day.isoformat()})"
        raise typer.BadParameter(
            f"{text!r}{read} is after today ({today.isoformat()}): figures are judged as of a "
            "day that has come; give today or an earlier date",
            param_hint="--as-of",
        )
    return moment


def days_judged(moment: dt.datetime | None) -> dt.date | None:
    """The last day wholly past at `moment` (`--as-of`): figures are as of its end. None without
    an `--as-of` (today, as the library decides)."""
    if moment is None:
        return None
    from mission.periods import whole_days_by

    return whole_days_by(moment)


def resolve_adp(text: str | None) -> str | None:
    """The code of the ADP an --adp option names; an unknown one ends the run with exit 1."""
    if text is None:
        return None
    from mission.adps import InvalidAdp
    from mission.adps import resolve_adp as resolve

    from .errors import fail

    try:
        return resolve(text).code
    except InvalidAdp as error:
        raise fail(str(error), ExitCode.INVALID, "Not found") from None


def inputs(paths: list[str], limit: int) -> list[Path | NamedBytes]:
    """Paths as given, with '-' read from standard input once (at most `limit` + 1 bytes).

    Raises:
        InvalidPath: a path is empty (an unset variable: `mission validate "$RETURNS"`), which
            would otherwise mean the current folder.
    """
    from mission.readers import NamedBytes
    from mission.walk import InvalidPath

    from .context import protect

    items: list[Path | NamedBytes] = []
    for text in paths:
        if text == "":
            raise InvalidPath(text, "is an empty path (an unset variable?): name a file or folder")
        if text != "-":
            items.append(Path(text))
        elif not any(isinstance(item, NamedBytes) for item in items):
            protect([0])  # the file behind standard input, when it is one
            items.append(NamedBytes("<stdin>", _read_at_most(sys.stdin.buffer, limit + 1)))
    return items


def _read_at_most(stream: BinaryIO, size: int) -> bytes:
    """Up to `size` bytes of `stream`, a megabyte at a time: one read of `size` would set aside
    that much memory first (a limit of 100 GB is no file of 100 GB)."""
    chunks: list[bytes] = []
    while size > 0 and (chunk := stream.read(min(size, 1 << 20))):
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def emit(text: str, output: str | None) -> None:
    """Write `text` to standard output, or atomically to the file `--output` names: as UTF-8
    either way. What `emit` writes is for programs (JSON, SARIF, JUnit, CSV, annotations), so
    its bytes are the format's whatever the terminal's encoding (`PYTHONIOENCODING=cp1252`
    would make JSON's escapes invalid and JUnit's declared UTF-8 a lie)."""
    data = (text.rstrip("\n") + "\n").encode("utf-8")  # one line end, on stdout or in a file
    if output is not None and output != "-":
        write_bytes(data, output)
        return
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a stream with no bytes underneath (a test's capture)
        typer.echo(text.rstrip("\n"))
        return
    sys.stdout.flush()
    buffer.write(data)
    buffer.flush()


def show(parts: Iterable[Part], output: str | None) -> None:
    """Tables and lines for people: on the terminal, or as plain text in the file `-o` names."""
    from . import console

    if output is None or output == "-":
        console.show(parts)
        return
    from .render import plain

    emit("\n".join(plain(part) for part in parts) + "\n", output)


def protect_inputs(paths: Iterable[str]) -> None:
    """Keep the files given, and the return files in the folders given, from `-o`."""
    from mission.walk import walk_folder

    from .context import protect

    for text in paths:
        path = Path(text)
        if path.is_dir():
            protect(walk_folder(path)[0])
        else:
            protect([path])


def refuse_read_files(*outputs: str | Path | None) -> None:
    """End the run with exit 2, before anything is written, when an output (`-o`, `--sarif`,
    `--summary`, `--annotate`, the job summary and step outputs) names a file this command
    read (a return, the store or its logs, mission.toml, a publication record), a folder, or
    the same file as another output: a refused run leaves every file as it was."""
    from .context import was_read
    from .errors import fail

    named: dict[str, str] = {}
    for output in outputs:
        if output is None or str(output) == "-":
            continue
        text, path = str(output), Path(output)
        if was_read(path):
            raise fail(
                f"{text} is a file this command reads (a return, the store, mission.toml or a "
                "publication record): writing there would destroy it. Give another file name; "
                "nothing was written.",
                ExitCode.USAGE,
            )
        if path.is_dir() or text.endswith(("/", os.sep)):
            raise fail(f"{text} is a folder: give a file name; nothing was written", ExitCode.USAGE)
        blocked = next((p for p in path.absolute().parents if p.exists() and not p.is_dir()), None)
        if blocked is not None:
            raise fail(
                f"{text} cannot be written: {blocked} is a file, not a folder; nothing was written",
                ExitCode.USAGE,
            )
        if path.exists() and not path.is_file():
            continue  # /dev/null, /dev/stdout: a stream, never a file one output overwrites
        key = os.path.realpath(path)
        if key in named:
            raise fail(
                f"{text} is named for two outputs ({named[key]} and {text}): one would overwrite "
                "the other. Give each its own file; nothing was written.",
                ExitCode.USAGE,
            )
        named[key] = text


def write_bytes(data: bytes, output: str) -> None:
    """Write `data` atomically to `output` and say so on stderr, as every command that writes a
    file does; a folder there ends the run with exit 2."""
    write_file(output, lambda path: path.write_bytes(data))


def write_file(output: str, writer: Callable[[Path], object]) -> None:
    """Let `writer` write the file at a temporary path, move it over `output` once it is whole,
    and say so on stderr (a large table is written by its library straight to disk, not first
    into memory); a folder there, or a file this command reads, ends the run with exit 2."""
    from mission.files import write_with

    from . import console
    from .errors import fail
    from .render import line

    path = Path(output)
    if path.is_dir() or output.endswith(("/", os.sep)):
        raise fail(f"{output} is a folder: give a file name for --output", ExitCode.USAGE)
    refuse_read_files(output)
    write_with(path, writer)
    console.show([line(f"Wrote {output}")], "err")


def echo_json(data: object, output: str | None = None) -> None:
    """Data as indented JSON: the library's models, dumped, nothing added."""
    import json

    emit(json.dumps(data, indent=2, ensure_ascii=False), output)


def gather_returns(
    paths: list[str] | None,
    store: str | None,
    limit: int,
    ctx: typer.Context,
    as_of: dt.datetime | None = None,
) -> Returns:
    """Returns from files and folders, or from a store (--store/$MISSION_STORE) the revisions
    accepted by `as_of` (the latest, without one). Every file read is kept from `-o`.

    Raises:
        typer.BadParameter: neither paths nor a store were given.
    """
    import os

    from .context import protect, protect_store, run_context

    run = run_context(ctx)
    if paths:
        from mission.returns import load_returns

        returns = load_returns(inputs(paths, limit), limits=run.limits)
        if returns.report is not None:
            protect(f.path for f in returns.report.files)
        _warn_left_out(returns)
        return returns
    if store is None and not os.environ.get("MISSION_STORE"):
        raise typer.BadParameter("give return files or folders, or --store PATH")
    from mission.store import Store, store_path

    path = store_path(store)
    protect_store(path)
    with Store(path, read_only=True) as opened:
        returns = opened.returns(as_of)
        first = opened.first_submitted()
    if as_of is not None and first is not None and first > as_of and not returns.frames:
        from . import console
        from .render import line

        console.show(
            [
                line(
                    f"Note: the store had accepted no return by {as_of.isoformat()}: its first "
                    f"was accepted {first.isoformat(timespec='seconds')} (--as-of reads the "
                    "store as it stood then)."
                )
            ],
            "err",
        )
    return returns


def _warn_left_out(returns: Returns) -> None:
    """Say first, on stderr, when invalid files were left out: their figures are missing from
    every target they feed (a national file with one bad row leaves a target with no data),
    which the notes at the end of the table are too late to tell."""
    from . import console
    from .render import line, text

    left = returns.report.summary["invalid_files"] if returns.report is not None else 0
    if left:
        console.show(
            [
                line(
                    text(
                        f"mission: {left} invalid file(s) left out; their figures are not counted "
                        "(the notes at the end name them; `mission validate` says why)",
                        "yellow",
                    )
                )
            ],
            "err",
        )
