"""Finding the return files under folders: safely, without following links out, never globbing.

Folders are walked without recursion (a folder 10,000 deep costs a loop, not a crash), links to
folders are never followed, and a link to a file outside the folder given is refused rather than
read — a repository of returns cannot make `mission` read `/etc/passwd` or a file elsewhere.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from mission.errors import MissionError
from mission.readers import NamedBytes, supported_suffixes

__all__ = [
    "MAX_DEPTH",
    "ExcludedEverything",
    "InvalidPath",
    "Refused",
    "collect_files",
    "given_paths",
    "walk_folder",
]

MAX_DEPTH = 64
"""How deep below a folder returns are looked for."""
PUBLISHED_RECORD = "published.json"
"""The record `mission report` keeps in each folder it writes: such a folder is not searched."""


class InvalidPath(MissionError, ValueError):
    """A path given to validate that does not exist or holds no returns."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = Path(path)
        super().__init__(f"{str(path) or chr(34) * 2}: {problem}")


class ExcludedEverything(InvalidPath):
    """Every file given was left out by `exclude`: nothing would be checked."""


@dataclass(frozen=True)
class Refused:
    """A path under a folder that was not read, and why."""

    path: Path
    reason: str
    """`outside` (a link out of the folder), `linked-folder`, `broken-link` (to no file, or a
    loop), `package` (a spreadsheet saved as a folder), `too-deep`, `publication` (a folder
    `mission report` wrote: its report.csv and report.xlsx are not returns) or `annotated` (a
    workbook `validate --annotate` marked up: a copy of a return, not a return)."""


_NOT_RETURNS = frozenset({"linked-folder", "publication", "annotated"})
"""Refused paths that hold no return: a folder with nothing else holds no returns."""


_TOLD_ABOUT = frozenset({".xls", ".xlsb", ".ods", ".fods", ".numbers"})
"""Spreadsheets mission cannot read: found in a folder all the same, so the reader says how to
save the return (a gate never passes a return it skipped)."""


def _is_return(name: str) -> bool:
    suffix = Path(name).suffix.lower()
    return not name.startswith((".", "~$")) and (
        suffix in supported_suffixes() or suffix in _TOLD_ABOUT
    )


def _package(folder: Path) -> bool:
    """Whether a folder named like a spreadsheet is one saved as a package (Numbers keeps its
    `Index.zip`, or an `Index` folder, inside); a folder of returns merely named so is walked."""
    return (folder / "Index.zip").exists() or (folder / "Index").is_dir()


def _entries(directory: Path) -> Iterator[os.DirEntry[str]]:
    try:
        with os.scandir(directory) as listing:
            yield from sorted(listing, key=lambda entry: entry.name)
    except OSError:
        return


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def walk_folder(root: Path, *, max_depth: int = MAX_DEPTH) -> tuple[list[Path], list[Refused]]:
    """Every return file under `root` (sorted), and the paths refused on the way."""
    real_root = _real(root)
    files: list[Path] = []
    refused: list[Refused] = []
    stack: list[tuple[Path, int]] = [(root, 0)]
    while stack:
        directory, depth = stack.pop()
        folders: list[Path] = []
        for entry in _entries(directory):
            path = directory / entry.name
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                if _is_return(entry.name) and _package(path):  # a Numbers document, a folder
                    refused.append(Refused(path, "package"))
                elif depth + 1 > max_depth:
                    refused.append(Refused(path, "too-deep"))
                elif (path / PUBLISHED_RECORD).is_file():
                    refused.append(Refused(path, "publication"))
                else:
                    folders.append(path)
            elif entry.is_symlink():
                _link(path, real_root, files, refused)
            elif entry.is_file(follow_symlinks=False) and _is_return(entry.name):
                if _annotated(path):
                    refused.append(Refused(path, "annotated"))
                else:
                    files.append(path)
        stack.extend((folder, depth + 1) for folder in reversed(folders))
    return sorted(files), refused


def _annotated(path: Path) -> bool:
    """Whether a workbook in a folder is a copy `validate --annotate` marked up, not a return
    (named on its own, it is read as the return it copies)."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return False
    from mission.readers.marked_copies import is_annotated_copy

    return is_annotated_copy(path)


def _link(path: Path, real_root: Path, files: list[Path], refused: list[Refused]) -> None:
    target = _real(path)
    if not target.is_relative_to(real_root):
        refused.append(Refused(path, "outside"))
    elif target.is_dir():
        refused.append(Refused(path, "linked-folder"))
    elif _is_return(path.name) and target.is_file():
        files.append(path)
    elif _is_return(path.name):
        # A link to a file not there (committed without it), or links that loop: a return
        # that cannot be read, as when it is named on its own.
        refused.append(Refused(path, "broken-link"))


def excluded(path: Path, folder: Path | None, patterns: Sequence[str]) -> bool:
    """Whether `path` matches one of the `--exclude` glob patterns: against its path below the
    folder searched (`archive/*`), its path as given, or its name (`*-draft.xlsx`)."""
    if not patterns:
        return False
    forms = {path.as_posix(), path.name}
    if folder is not None and path.is_relative_to(folder):
        forms.add(path.relative_to(folder).as_posix())
    return any(fnmatch.fnmatchcase(form, pattern) for form in forms for pattern in patterns)


def _collect_one(
    item: Path | str, exclude: Sequence[str]
) -> tuple[list[Path | NamedBytes], list[Refused]]:
    """One path given: the file itself, or the return files under a folder, less exclusions."""
    if item == "":  # an unset variable; Path("") would be the current folder
        raise InvalidPath(item, "is an empty path (an unset variable?): name a file or folder")
    path = Path(item)
    if not os.path.lexists(path):
        raise InvalidPath(path, "no such file or folder")
    if not path.is_dir():
        return ([] if excluded(path, None, exclude) else [path]), []
    inside, skipped = walk_folder(path)
    if not inside and all(r.reason in _NOT_RETURNS for r in skipped):
        endings = ", ".join(supported_suffixes())
        raise InvalidPath(path, f"the folder holds no return: no file ending {endings}")
    return (
        [p for p in inside if not excluded(p, path, exclude)],
        [r for r in skipped if not excluded(r.path, path, exclude)],
    )


def given_paths(paths: object) -> list[Path | str | NamedBytes]:
    """What a library call was given to read, as a list: one path, or an iterable of them.

    Raises:
        InvalidPath: it is bytes (iterable, but of numbers), or neither a path nor an iterable
            (`validate(123)` raised Python's own TypeError), or an item is not a path.
    """
    if isinstance(paths, Path | str | NamedBytes):
        return [paths]
    if isinstance(paths, bytes | bytearray):
        raise InvalidPath(
            repr(paths)[:80], "is bytes, not a path: name it as text, or give NamedBytes"
        )
    if not isinstance(paths, Iterable):
        raise InvalidPath(
            repr(paths)[:80], "is not a path: name a file or folder as text or a Path, or a list"
        )
    return _paths(paths)


def _paths(items: Iterable[object]) -> list[Path | str | NamedBytes]:
    """The items as given, each a path or a file's content.

    Raises:
        InvalidPath: an item is neither (a number, a file object, bytes).
    """
    given: list[Path | str | NamedBytes] = []
    for item in items:
        if not isinstance(item, Path | str | NamedBytes):
            raise InvalidPath(
                repr(item)[:80],
                "is not a path: name a file or folder as text or a Path, or give a file's "
                "content as NamedBytes(name, data)",
            )
        given.append(item)
    return given


def collect_files(
    items: Iterable[Path | str | NamedBytes], exclude: Sequence[str] = ()
) -> tuple[list[Path | NamedBytes], list[Refused]]:
    """The files to check: each file as given, and every return file under each folder, less
    those the `exclude` glob patterns match.

    Raises:
        InvalidPath: a path does not exist, or a folder holds no return files.
        ExcludedEverything: `exclude` leaves no file to check in the folders given.
    """
    exclude = (exclude,) if isinstance(exclude, str) else tuple(exclude)
    items = _paths(items)
    found: list[Path | NamedBytes] = []
    refused: list[Refused] = []
    for item in items:
        if isinstance(item, NamedBytes):
            found.append(item)
            continue
        inside, skipped = _collect_one(item, exclude)
        found += inside
        refused += skipped
    # Files named one by one and all left out were left out as asked (pre-commit hands a hook
    # only the files a commit changed); a folder with nothing left to check is refused.
    searched = any(not isinstance(i, NamedBytes) and Path(i).is_dir() for i in items)
    if exclude and searched and not found and not refused:
        raise ExcludedEverything(
            ", ".join(str(i) for i in items if not isinstance(i, NamedBytes)),
            f"--exclude {' '.join(exclude)} leaves no file to check; nothing was checked",
        )
    # One file named twice (`x.csv` and `$PWD/x.csv`, or through `..`) is checked once; a link
    # is a name of its own (it may say another period than its file).
    unique: dict[object, Path | NamedBytes] = {}
    for item in found:
        unique.setdefault(_same(item), item)
    told: dict[str, Refused] = {}
    for refusal in refused:
        told.setdefault(os.path.abspath(refusal.path), refusal)
    return list(unique.values()), list(told.values())


def _same(item: Path | NamedBytes) -> object:
    return item if isinstance(item, NamedBytes) else os.path.abspath(item)
