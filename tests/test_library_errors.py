"""Every problem a library call cannot go on from is a `mission.MissionError` (a developer who
catches only that never meets Python's own TypeError), and keeps the built-in type it always
was (`KeyError` for a target id, `ValueError` for a format). Found by an attack."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import mission

from .conftest import FIXTURES

CALLS: dict[str, tuple[Callable[[Path], Any], type[Exception] | None]] = {
    "validate(123)": (lambda _: mission.validate(123), ValueError),  # type: ignore[arg-type]
    "validate(None)": (lambda _: mission.validate(None), ValueError),  # type: ignore[arg-type]
    "load_returns(bytes)": (lambda _: mission.load_returns(b"fixtures"), ValueError),  # type: ignore[arg-type]
    "Store(42)": (lambda _: mission.Store(42), None),  # type: ignore[arg-type]
    "write_template(pdf)": (
        lambda tmp: mission.write_template("ost", tmp / "t.pdf", "pdf"),
        ValueError,
    ),
    "load_targets()[nope]": (lambda _: mission.load_targets()["nope"], KeyError),
    "progress().target(nope)": (
        lambda _: mission.progress(mission.load_returns(FIXTURES / "demo" / "ost.csv")).target(
            "nope"
        ),
        KeyError,
    ),
}


@pytest.mark.parametrize("name", list(CALLS))
def test_a_call_that_cannot_go_on_raises_a_mission_error(name: str, tmp_path: Path) -> None:
    call, builtin = CALLS[name]
    with pytest.raises(mission.MissionError) as raised:
        call(tmp_path)
    if builtin is not None:
        assert isinstance(raised.value, builtin)
    said = str(raised.value)  # words, not KeyError's quoted repr of them
    assert ("is not" in said or "not a path" in said) and not said.startswith(('"', "\"'"))


def test_a_template_is_written_in_the_format_its_name_says(tmp_path: Path) -> None:
    """Found by an attack: `write_template("ost", "ost.xlsx")` wrote CSV text into a file named
    .xlsx, which validation then refused; a format the name contradicts is refused."""
    made = mission.write_template("ost", tmp_path / "ost.xlsx")
    assert made.read_bytes()[:2] == b"PK"
    assert mission.validate(made).files[0].format == "xlsx"  # read as a workbook
    with pytest.raises(mission.InvalidTemplate, match="named for csv"):
        mission.write_template("ost", tmp_path / "ost.csv", "xlsx")


def test_wrong_arguments_say_what_they_take(tmp_path: Path) -> None:
    """Found by an attack: a kind of 5 was a KeyError from inside the reader, limits of text an
    AttributeError, an unknown level of measures read as Scotland, a template named .docx got
    CSV."""
    ost = FIXTURES / "demo" / "ost.csv"
    with pytest.raises(mission.UnknownKind):
        mission.validate(ost, kind=5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"limits must be a mission\.Limits"):
        mission.validate(ost, limits="x")  # type: ignore[arg-type]
    episodes = mission.read_return(FIXTURES / "demo" / "episodes.csv")
    with pytest.raises(ValueError, match="is not a level"):
        mission.episode_measures(episodes, "x")  # type: ignore[arg-type]
    for name in ("t.docx", "t.tsv", "t.xlsm"):  # a .tsv got commas
        with pytest.raises(mission.InvalidTemplate, match=r"written as \.csv or \.xlsx"):
            mission.write_template("ost", tmp_path / name)
