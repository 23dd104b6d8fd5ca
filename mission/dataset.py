"""What a data set is, said by the data set itself: `dataset.toml` beside the returns.

A folder of returns may carry a `dataset.toml` that says what the returns are. A report built
from a data set marked `synthetic = true` says so on every page and every chart; nothing is ever
guessed from a folder's name.

    title = "National demo set"
    synthetic = true
    note = "Made by build_demo.py from published national figures; not real ADP data."
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from mission.errors import FileProblem
from mission.text import safe_text

__all__ = ["DATASET_FILE", "Dataset", "InvalidDataset", "find_dataset", "read_dataset"]

DATASET_FILE = "dataset.toml"
_KEYS = {"title": str, "synthetic": bool, "note": str}
_LONGEST = 2000


class InvalidDataset(FileProblem, ValueError):
    """A `dataset.toml` that cannot be used: not TOML, an unknown key, or a value of a wrong type.

    Attributes:
        path: the file.
        problem: what is wrong, in words.
    """


@dataclass(frozen=True)
class Dataset:
    """What a data set says about itself."""

    title: str = ""
    synthetic: bool = False
    note: str = ""

    def to_dict(self) -> dict[str, object]:
        return {"title": self.title, "synthetic": self.synthetic, "note": self.note}

    def joined(self, other: Dataset) -> Dataset:
        """Two data sets read together: synthetic if either is, titles and notes both kept."""
        titles = " + ".join(t for t in dict.fromkeys((self.title, other.title)) if t)
        notes = " ".join(n for n in dict.fromkeys((self.note, other.note)) if n)
        return Dataset(titles, self.synthetic or other.synthetic, notes)


def read_dataset(path: Path) -> Dataset:
    """Read one `dataset.toml`.

    Raises:
        InvalidDataset: the file is not TOML, or holds an unknown key or a value of a wrong type.
    """
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise InvalidDataset(path, f"cannot be read as TOML ({error})") from error
    unknown = sorted(set(data) - set(_KEYS))
    if unknown:
        known = ", ".join(_KEYS)
        raise InvalidDataset(path, f"unknown key {safe_text(unknown[0], limit=60)!r}: use {known}")
    for key, kind in _KEYS.items():
        if key in data and not isinstance(data[key], kind):
            raise InvalidDataset(
                path, f"{key} must be {'true or false' if kind is bool else 'text'}"
            )
    texts = {k: safe_text(str(data.get(k, "")), limit=_LONGEST) for k in ("title", "note")}
    return Dataset(synthetic=bool(data.get("synthetic", False)), **texts)


def find_dataset(paths: Iterable[Path]) -> Dataset | None:
    """The data set the given files and folders belong to: each folder's `dataset.toml` (a
    file's own folder's), read together; None when none has one.

    Raises:
        InvalidDataset: a `dataset.toml` cannot be used.
    """
    found: Dataset | None = None
    seen: set[Path] = set()
    for path in paths:
        folder = path if path.is_dir() else path.parent
        candidate = folder / DATASET_FILE
        if candidate in seen or not candidate.is_file():
            continue
        seen.add(candidate)
        dataset = read_dataset(candidate)
        found = dataset if found is None else found.joined(dataset)
    return found
