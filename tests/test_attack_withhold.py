"""Attacks on the person-id withholding (ec49e71) and the fixes after helpers 39 and 40.

Each test builds its odd input in tmp_path and runs the CLI as a user would. Each should fail
on the code it was written against and pass once the problem is fixed.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mission.cli.app import app

from .hostile_tools import MISSION

HEADER = "adp,person_id,referral_date,treatment_start_date,referral_source,substance,treatment_type"


def _row(adp: str, person: str, source: str = "self", substance: str = "drugs") -> str:
    return f"{adp},{person},2024-04-02,2024-04-02,{source},{substance},ost"


def _episodes(path: Path, *rows: str) -> Path:
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8", newline="")
    return path


def _run(*args: str):
    return CliRunner().invoke(app, list(args))


def _quoted(output: str, person_id: str) -> bool:
    """Whether `person_id` appears as a quoted value in the output, or as a [value]."""
    return any(form in output for form in (f"'{person_id}'", f"[{person_id}]", f'"{person_id}"'))


@pytest.mark.parametrize("invisible", ["\u200b", "\ufeff", "\u00ad", "\u2060"])
def test_invisible_character_beside_an_id_does_not_reveal_it_in_the_message(
    tmp_path: Path, invisible: str
) -> None:
    """A cell that is one of the file's person ids plus an invisible character is never quoted,
    in the message any more than in the value."""
    path = _episodes(
        tmp_path / "episodes.csv",
        _row("Fife", "4821"),
        _row(f"4821{invisible}", "X1"),
    )
    result = _run("validate", str(path), "--kind", "episodes", "-f", "json")
    assert result.exit_code == 1, result.output
    for item in json.loads(result.output)["files"][0]["findings"]:
        assert "4821" not in (item["message"] or "") + (item["hint"] or ""), item
        assert "4821" not in (item["value"] or ""), item


@pytest.mark.parametrize("trail", ["\t", "\n", "\u2028", "\x85", "\x1f"])
def test_a_pasted_line_end_or_tab_after_an_id_does_not_reveal_it(
    tmp_path: Path, trail: str
) -> None:
    """A quoted cell holding a person id and a trailing tab or line break (what a copy from
    Excel leaves) is withheld like the bare id."""
    path = _episodes(
        tmp_path / "episodes.csv",
        _row("Fife", "4821"),
        _row(f'"4821{trail}"', "X1"),
    )
    result = _run("validate", str(path), "--kind", "episodes", "-f", "json")
    assert result.exit_code == 1, result.output
    for item in json.loads(result.output)["files"][0]["findings"]:
        shown = (item["message"] or "") + (item["hint"] or "") + (item["value"] or "")
        assert "4821" not in shown, item


def test_json_wrapper_spec_version_holding_a_person_id_is_not_quoted(tmp_path: Path) -> None:
    """A JSON episodes return whose spec_version holds one of its own person ids never has it
    quoted (reader findings are withheld too, not only the parser's)."""
    record = {
        "adp": "Fife",
        "person_id": "JOHN SMITH",
        "referral_date": "2024-04-02",
        "treatment_start_date": "2024-04-02",
        "referral_source": "self",
        "substance": "drugs",
        "treatment_type": "ost",
    }
    path = tmp_path / "episodes.json"
    path.write_text(
        json.dumps({"kind": "episodes", "spec_version": "JOHN SMITH", "rows": [record]})
    )
    result = _run("validate", str(path), "--kind", "episodes")
    assert result.exit_code == 1, result.output
    assert "JOHN SMITH" not in result.output
    # And the words still read: the cell is said by where it is, not left as a gap.
    assert "reads spec_version 1, not the value in this cell" in " ".join(result.output.split())


def test_an_id_of_one_file_is_not_quoted_from_another_file_of_the_run(tmp_path: Path) -> None:
    """A person id of one episodes return in a run is not quoted when it is pasted into another
    return of the same run."""
    first = _episodes(tmp_path / "a-episodes.csv", _row("Fife", "JOHN SMITH"))
    second = _episodes(tmp_path / "b-episodes.csv", _row("JOHN SMITH", "X1"))
    result = _run("validate", str(first), str(second), "--kind", "episodes")
    assert result.exit_code == 1, result.output
    assert not _quoted(result.output, "JOHN SMITH"), result.output


@pytest.mark.parametrize(
    ("person", "cell"),
    [
        ("JOHN SMITH", "john smith"),  # case only
        ("JOHN SMITH", "JOHN\u00a0SMITH"),  # no-break space
        ("JOHN SMITH", "JOHN  SMITH"),  # two spaces
        ("4821", "\uff14\uff18\uff12\uff11"),  # full-width digits
        ("4821", "'4821"),  # Excel's text marker
        ("JOS\u00c9 DIAZ", "JOS\u00c9 DIAZ"),  # NFC cell, NFD id (below)
    ],
)
def test_a_near_equal_form_of_an_id_is_not_quoted(tmp_path: Path, person: str, cell: str) -> None:
    """A cell that is one of the file's person ids in another case, spacing, digit width or
    Unicode form (what an officer retyping the id produces) is withheld like the id itself."""
    import unicodedata

    if person.startswith("JOS"):
        person = unicodedata.normalize("NFD", person)
    path = _episodes(tmp_path / "episodes.csv", _row("Fife", person), _row(cell, "X1"))
    result = _run("validate", str(path), "--kind", "episodes", "-f", "json")
    assert result.exit_code == 1, result.output
    for item in json.loads(result.output)["files"][0]["findings"]:
        assert item["value"] is None, item


def test_an_id_inside_a_longer_cell_is_not_quoted(tmp_path: Path) -> None:
    """A cell that holds one of the file's person ids beside other words (`Fife 4821`) is not
    quoted: the id would be shown."""
    path = _episodes(tmp_path / "episodes.csv", _row("Fife", "4821"), _row("Fife 4821", "X1"))
    result = _run("validate", str(path), "--kind", "episodes", "-f", "json")
    assert result.exit_code == 1, result.output
    assert "4821" not in result.output


def test_a_float_typed_id_in_parquet_is_withheld_from_a_text_cell(tmp_path: Path) -> None:
    """A Parquet episodes return whose person_id column is a float (4821.0) still has the id
    withheld when it is typed (4821) into a choice column."""
    import datetime as dt

    import polars as pl

    day = dt.date(2024, 4, 2)
    path = tmp_path / "episodes.parquet"
    pl.DataFrame(
        {
            "adp": ["Fife", "Fife"],
            "person_id": [4821.0, 1.0],
            "referral_date": [day, day],
            "treatment_start_date": [day, day],
            "referral_source": ["self", "4821"],
            "substance": ["drugs", "drugs"],
            "treatment_type": ["ost", "ost"],
        }
    ).write_parquet(path)
    result = _run("validate", str(path), "--kind", "episodes")
    assert result.exit_code == 1, result.output
    assert "4821" not in result.output


def test_a_long_person_id_pasted_elsewhere_is_not_shown_in_part(tmp_path: Path) -> None:
    """A person_id cell longer than 200 characters, pasted into a choice column too, is not
    shown there, not even its first 199 characters."""
    long = " ".join(["SMITH"] * 45)
    path = _episodes(tmp_path / "episodes.csv", _row("Fife", long), _row("Fife", "X1", source=long))
    result = _run("validate", str(path), "--kind", "episodes")
    assert result.exit_code == 1, result.output
    assert "SMITH SMITH SMITH" not in result.output


@pytest.mark.parametrize("person", ["d", "e", "o"])
def test_withholding_a_short_id_does_not_garble_the_words(tmp_path: Path, person: str) -> None:
    """Withholding a short id replaces the quotation of it, not every letter of the message
    and hint that happens to match it ('allowethe value in this cell substance')."""
    path = _episodes(
        tmp_path / "episodes.csv",
        _row("Fife", person),
        _row("Fife", "X1", substance=person),
    )
    result = _run("validate", str(path), "--kind", "episodes", "-f", "json")
    assert result.exit_code == 1, result.output
    (item,) = json.loads(result.output)["files"][0]["findings"]
    assert item["message"] == "the value in this cell is not an allowed substance", item
    assert "drugs, alcohol, both" in item["hint"], item


@pytest.mark.skipif(sys.platform != "linux", reason="needs a file system that takes any bytes")
def test_submit_takes_a_return_whose_name_is_not_utf8(tmp_path: Path) -> None:
    """`submit` of a valid return whose file name holds a byte that is not UTF-8 stores it (or
    refuses it in words), never exit 3."""
    import subprocess

    source = Path(__file__).parents[1] / "fixtures" / "valid" / "ost.csv"
    name = os.path.join(os.fsencode(tmp_path), b"caf\xe9-ost.csv")
    with open(name, "wb") as handle:
        handle.write(source.read_bytes())
    store = tmp_path / "store.sqlite"
    done = subprocess.run(
        [MISSION, "submit", os.fsdecode(name), "--store", str(store)],
        capture_output=True,
        check=False,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert done.returncode in (0, 1), done.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in done.stderr
    assert b"internal error" not in done.stderr
