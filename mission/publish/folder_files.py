"""The files of a published folder against the record its run kept of them.

A report run records in `published.json` each file it wrote with its SHA-256 and size
(`checksums`). `mission audit` reads the tables from `published.json`, so it can vouch for the
folder only if the folder still holds exactly those files, unchanged: a cell retyped in
report.csv or report.xlsx after the run, a chart deleted or a file added beside them is a
difference, and fails the audit.

A `published.json` written before checksums were kept (record version 1) cannot be checked:
its folder is audited from the tables as before, with a note. One of version 2 or later without
them has been edited, and fails.

OS litter (`.DS_Store`, `Thumbs.db`, `desktop.ini`: folder settings and thumbnails a file
browser leaves; `._report.md`, the resource forks a Mac writes to a shared drive; `~$report.xlsx`
and `.~lock.report.xlsx#`, the lock files Excel and LibreOffice leave while a page is open; never
a page) is left out on both sides: a run may write into a folder holding it, and the audit does
not count it. Every other file is counted, hidden ones too (a
`.orkney.csv` is served by a web server like any other).
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from mission.errors import FileProblem

__all__ = [
    "CHECKSUMS",
    "RECORD_VERSION",
    "FileCheck",
    "UncheckableFolder",
    "check_files",
    "checksums",
    "folder_files",
    "os_litter",
]

CHECKSUMS = "checksums"
"""The key of `published.json` that maps each file written (relative, `/`-separated) to
`{"sha256": ..., "size": ...}`."""
RECORD_VERSION = 2
"""`published.json`'s version: 2 records `checksums`; 1 (before 0.2.0) did not."""
_OS_LITTER = frozenset({".ds_store", "thumbs.db", "desktop.ini"})
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_CHUNK = 1 << 20


class UncheckableFolder(FileProblem):
    """A `published.json` whose `checksums` are not what a run writes, or a folder that cannot
    be listed.

    Attributes:
        path: the record or the folder.
        problem: what is wrong, in words.
    """


def os_litter(name: str) -> bool:
    """Whether a file (a relative path) is what a file browser or an office program leaves in a
    folder, not a page."""
    base = PurePosixPath(name).name.lower()
    return base in _OS_LITTER or base.startswith(_LITTER_PREFIXES)


_LITTER_PREFIXES = ("._", "~$", ".~lock.")


def checksums(files: Mapping[str, bytes]) -> dict[str, dict[str, object]]:
    """Each file's SHA-256 and size, by name, as `published.json` records them."""
    return {
        name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        for name, data in sorted(files.items())
    }


def folder_files(folder: Path) -> list[str]:
    """Every file under `folder` (relative, `/`-separated), OS litter left out.

    Walked without recursion and without following links to folders: a link, to a folder or
    anything else, is one entry, as a file is.
    """
    found: list[str] = []
    pending = [folder]
    while pending:
        directory = pending.pop()
        with os.scandir(directory) as entries:
            for entry in entries:
                path = Path(entry.path)
                if entry.is_dir(follow_symlinks=False):
                    pending.append(path)
                else:
                    found.append(path.relative_to(folder).as_posix())
    return sorted(name for name in found if not os_litter(name))


@dataclass(frozen=True)
class FileCheck:
    """One folder's files against its record."""

    folder: str
    checked: bool
    """False when the record keeps no checksums (a run before 0.2.0): nothing was compared."""
    problems: tuple[str, ...] = ()
    """Each difference, in words: a file changed, missing, or not written by the run."""
    note: str = ""
    """Why the files were not checked, when they were not."""


def _expected(raw: object, record: Path) -> dict[str, tuple[str, int]]:
    """The record's checksums, each name a plain relative path inside the folder.

    Raises:
        UncheckableFolder: they are not a map of such names to a SHA-256 and a size.
    """
    if not isinstance(raw, dict):
        raise UncheckableFolder(record, f"has {CHECKSUMS} that are not a map of files")
    expected = {}
    for name, entry in raw.items():
        parts = PurePosixPath(name).parts
        if not parts or name.startswith("/") or "\0" in name or ".." in parts:
            raise UncheckableFolder(record, f"records a file outside its folder: {name!r:.80}")
        digest = entry.get("sha256") if isinstance(entry, dict) else None
        size = entry.get("size") if isinstance(entry, dict) else None
        if not isinstance(digest, str) or not _SHA256.match(digest):
            raise UncheckableFolder(record, f"records no SHA-256 for {name!r:.80}")
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise UncheckableFolder(record, f"records no size for {name!r:.80}")
        expected[str(PurePosixPath(name))] = (digest, size)
    return expected


def _same(path: Path, digest: str, size: int) -> bool | None:
    """Whether the file at `path` has this size and SHA-256; None if there is no regular file
    there (a link is followed; a folder, a FIFO or a device is no file the run wrote)."""
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            return None
        if status.st_size != size:
            return False
        hashed = hashlib.sha256()
        with path.open("rb") as stream:
            while chunk := stream.read(_CHUNK):
                hashed.update(chunk)
    except OSError:
        return None
    return hashed.hexdigest() == digest


def _unlisted(present: list[str], listed: set[str]) -> list[str]:
    """The files present that the record does not list, in words; a folder holding no listed
    file is named once (`old/`, `.git/`), not file by file."""
    folders = {"."} | {str(p) for name in listed for p in PurePosixPath(name).parents}
    words: dict[str, int] = {}
    for name in present:
        if name in listed:
            continue
        top = name
        for parent in reversed(PurePosixPath(name).parents):
            if str(parent) not in folders:
                top = f"{parent}/"
                break
        words[top] = words.get(top, 0) + 1
    return [
        f"{top} is not a file this run wrote"
        if not top.endswith("/")
        else f"{top} is not a folder this run wrote ({count} file{'s' * (count != 1)})"
        for top, count in words.items()
    ]


def check_files(folder: Path, record: Path, kept: Mapping[str, object]) -> FileCheck:
    """Compare the files of `folder` with what its record `kept` (the parsed `published.json`
    at `record`): each listed file there and unchanged, and no other file there.

    Raises:
        UncheckableFolder: the record's checksums cannot be read, or the folder listed.
    """
    shown = folder.as_posix()
    raw = kept.get(CHECKSUMS)
    if raw is None:
        version = kept.get("version")
        if isinstance(version, int) and not isinstance(version, bool) and version >= 2:
            problem = (
                f"{shown}/{record.name} keeps no checksums of its files, though a record of "
                f"version {version} always does: it was edited after it was written"
            )
            return FileCheck(shown, checked=False, problems=(problem,))
        made_by = kept.get("made_by")
        note = (
            f"{shown}: its files could not be checked: {record.name} was written by "
            f"{made_by if isinstance(made_by, str) else 'an older mission'}, before files were "
            "recorded with checksums (make the report again to record them)"
        )
        return FileCheck(shown, checked=False, note=note)
    expected = _expected(raw, record)
    problems = []
    for name, (digest, size) in expected.items():
        same = _same(folder / name, digest, size)
        if same is None:
            problems.append(f"{shown}/{name} is missing")
        elif not same:
            problems.append(f"{shown}/{name} was changed after it was written")
    own = record.relative_to(folder).as_posix()
    try:
        present = [name for name in folder_files(folder) if name != own]
    except OSError as error:
        raise UncheckableFolder(folder, f"cannot be listed ({error.strerror})") from error
    problems += [f"{shown}/{words}" for words in _unlisted(present, set(expected))]
    return FileCheck(shown, checked=True, problems=tuple(problems))
