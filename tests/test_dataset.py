"""What a data set says about itself: dataset.toml read beside the returns, never guessed."""

from __future__ import annotations

from pathlib import Path

import pytest

from mission.dataset import Dataset, InvalidDataset, find_dataset, read_dataset
from mission.returns import load_returns

from .conftest import FIXTURES


def test_the_demo_set_says_it_is_synthetic() -> None:
    """The demo folder's dataset.toml marks it synthetic, read with the returns, file or folder."""
    for given in (FIXTURES / "demo", FIXTURES / "demo" / "deaths.csv"):
        dataset = load_returns([given]).dataset
        assert dataset is not None and dataset.synthetic and dataset.title == "National demo set"


def test_a_folder_without_one_says_nothing(tmp_path: Path) -> None:
    """No dataset.toml: no data set, whatever the folder is called."""
    folder = tmp_path / "synthetic-demo"
    folder.mkdir()
    (folder / "deaths.csv").write_bytes((FIXTURES / "valid" / "deaths.csv").read_bytes())
    assert load_returns([folder]).dataset is None


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("synthetic = 'yes'", "synthetic must be true or false"),
        ("synthetic = true\nsynthtic = true", "unknown key 'synthtic'"),
        ("title = [1]", "title must be text"),
        ("synthetic = ", "cannot be read as TOML"),
    ],
    ids=["not-a-bool", "typo", "not-text", "not-toml"],
)
def test_a_bad_dataset_file_is_refused(tmp_path: Path, text: str, problem: str) -> None:
    """A wrong type, an unknown key or broken TOML is refused, naming the file and the problem."""
    path = tmp_path / "dataset.toml"
    path.write_text(text)
    with pytest.raises(InvalidDataset, match=problem) as caught:
        read_dataset(path)
    assert caught.value.path == path


def test_data_sets_read_together_are_synthetic_if_either_is(tmp_path: Path) -> None:
    """Returns from two folders: synthetic if either says so; both titles kept."""
    real, fake = tmp_path / "real", tmp_path / "fake"
    for folder, text in ((real, 'title = "Real"'), (fake, 'title = "Demo"\nsynthetic = true')):
        folder.mkdir()
        (folder / "dataset.toml").write_text(text)
    assert find_dataset([real, fake]) == Dataset(title="Real + Demo", synthetic=True)


def test_control_characters_in_the_note_are_escaped(tmp_path: Path) -> None:
    """A note is text shown on every page: escapes in it are never raw."""
    (tmp_path / "dataset.toml").write_text('note = "a\\u001b[31m red"\nsynthetic = true')
    dataset = read_dataset(tmp_path / "dataset.toml")
    assert "\x1b" not in dataset.note
