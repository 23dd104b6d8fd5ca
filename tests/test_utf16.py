"""A return saved as UTF-16 without a byte order mark (some database and reporting exports) is
read as UTF-16, with a note, instead of being refused as a binary file."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mission.readers.decode import utf16_order

from .hostile_tools import MISSION
from .officer_tools import OST_CSV, validate_findings


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_a_csv_in_utf16_without_a_byte_order_mark_is_read(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "ost.csv"
    path.write_bytes(OST_CSV.replace("\n", "\r\n").encode(codec))
    result, findings = validate_findings(path)
    assert result.exit_code == 0, result.output
    assert [(f["code"], f["severity"]) for f in findings] == [("non-utf8-encoding", "info")]
    assert "no byte order mark" in findings[0]["message"]


def test_a_return_with_letters_beyond_latin1_in_utf16_is_read(tmp_path: Path) -> None:
    """A note with Ā (U+0100, a zero low byte in UTF-16) and Gaelic letters reads whole."""
    text = OST_CSV.replace("total\n", "total,notes\n").replace("2160\n", "2160,Ā Eilean Siar à\n")
    path = tmp_path / "ost.csv"
    path.write_bytes(text.encode("utf-16-le"))
    result = subprocess.run([MISSION, "validate", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "read as UTF-16 text" in result.stdout


def test_json_in_utf16_without_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    rows = [
        {"adp": "Fife", "period": "2023/24 Q1", "methadone": 1480, "buprenorphine_oral": 520,
         "buprenorphine_depot": 160, "diamorphine": 0, "other": 0, "total": 2160}
    ]  # fmt: skip
    path = tmp_path / "ost.json"
    path.write_bytes(json.dumps(rows).encode("utf-16-le"))
    result, findings = validate_findings(path, "--kind", "ost")
    assert result.exit_code == 0, result.output
    assert [f["code"] for f in findings] == ["non-utf8-encoding"]


def test_a_binary_file_is_still_a_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "ost.csv"
    path.write_bytes(bytes(range(256)) * 8)
    result, findings = validate_findings(path)
    assert result.exit_code == 1
    assert "binary file" in findings[0]["message"]


_LATIN = st.characters(min_codepoint=0x20, max_codepoint=0xFF).filter(str.isprintable)


@given(st.text(_LATIN | st.sampled_from("\r\n\t,"), min_size=4, max_size=300))
def test_latin_text_in_utf16_is_told_by_its_byte_order(text: str) -> None:
    assert utf16_order(text.encode("utf-16-le")) == "utf-16-le"
    assert utf16_order(text.encode("utf-16-be")) == "utf-16-be"


@given(st.binary(max_size=600))
def test_the_byte_order_guess_never_fails(data: bytes) -> None:
    assert utf16_order(data) in (None, "utf-16-le", "utf-16-be")


@given(st.text(min_size=1, max_size=300))
def test_utf8_text_is_never_taken_for_utf16(text: str) -> None:
    """Text without NUL characters, in UTF-8, has no zero bytes: never UTF-16 to the guess."""
    assert utf16_order(text.replace("\x00", "").encode("utf-8")) is None


@pytest.mark.parametrize("odd", ["\u00a0", "\u2028", "\f", "\x1a"])
def test_utf16_holding_a_no_break_space_or_a_form_feed_is_read(tmp_path: Path, odd: str) -> None:
    """A no-break space, a line separator, a form feed or Ctrl-Z in a cell is text, not a sign
    of a binary file."""
    text = OST_CSV.replace("total\n", "total,notes\n").replace("2160\n", f"2160,see{odd}note\n")
    path = tmp_path / "ost.csv"
    path.write_bytes(text.encode("utf-16-le"))
    result, _ = validate_findings(path)
    assert result.exit_code == 0, result.output
    assert "binary" not in result.stdout


@pytest.mark.parametrize("share", [0.05, 0.4, 0.9, 0.99])
def test_a_file_that_starts_as_utf16_and_goes_on_otherwise_is_refused(
    tmp_path: Path, share: float
) -> None:
    """Its first part UTF-16, the rest UTF-8 (two exports pasted together): the rest would read
    as long lines of nonsense, set aside with the rows in them as notes. It is refused."""
    rows = "".join(
        f"{adp},20{y:02d}/{y + 1:02d} Q{q},1,1,1,0,,3\n"
        for adp in ("Fife", "Angus", "Moray")
        for y in range(10, 99)
        for q in (1, 2, 3, 4)
    )
    whole = (OST_CSV.splitlines(keepends=True)[0] + rows).encode("utf-16-le")
    cut = int(len(whole) * share) // 2 * 2
    path = tmp_path / "ost.csv"
    path.write_bytes(whole[:cut] + whole[cut:].decode("utf-16-le").encode("utf-8"))
    result, findings = validate_findings(path)
    assert result.exit_code == 1
    assert [f["code"] for f in findings] == ["could-not-read"]
    # Within the first 4 KB, the file is not taken for UTF-16 at all; an odd number of bytes
    # is not UTF-16 either.
    said = ("is a binary file",) if cut < 4096 else ("not go on as UTF-16", "not valid UTF-16")
    assert any(words in findings[0]["message"] for words in said)


@pytest.mark.parametrize("codec", ["utf-32", "utf-32-be"])
def test_a_csv_in_utf32_with_its_mark_is_read_as_utf32(tmp_path: Path, codec: str) -> None:
    """Found by an attack: UTF-32's little-endian mark starts as UTF-16's does, so the file
    was read as UTF-16 (an unknown kind, a bogus notes block). Its mark is looked for first."""
    path = tmp_path / "ost.csv"
    data = OST_CSV.encode(codec)
    path.write_bytes(data if codec == "utf-32" else b"\x00\x00\xfe\xff" + data)
    result, findings = validate_findings(path)
    assert result.exit_code == 0, result.output
    assert [(f["code"], f["message"]) for f in findings] == [
        ("non-utf8-encoding", "read as UTF-32 text")
    ]
