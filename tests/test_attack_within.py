"""Attacks on the workbook guard's extent and on inflating with ISA-L (helper 33): one test per
problem found. The ISA-L inflating was taken back (zlib again); a row number too long for a row
is refused. Cells the guard counts and the Excel library does not are told (a warning that the
places named may be shifted), not yet placed right: those tests are strict xfails. Crafted workbooks are built at test time;
the one that makes the Excel library ask for tens of gigabytes runs only in a child under
`ulimit -v` (`hostile_tools.run_child`)."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from .hostile_tools import CRASH_MARKERS, raw_deflate, run, run_child, write_zip
from .workbooks import MAIN, one_sheet_workbook, package_parts

_HEAD = ("adp", "period", "methadone", "buprenorphine_oral", "buprenorphine_depot",
         "diamorphine", "other", "total")  # fmt: skip
_DATA = ("Fife", "2024/25 Q1", "1", "2", "3", "4", "0", "99")  # total is wrong: 1+2+3+4 = 10


def _cell(ref: str, value: str) -> str:
    if value.isdigit():
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def _return_sheet(stray_row: str = "", before: str = "", after: str = "") -> str:
    """An ost return whose header is B3:I3 and data B4:I4 (the total, I4, is wrong)."""
    rows = [stray_row]
    for number, values in ((3, _HEAD), (4, _DATA)):
        cells = "".join(_cell(f"{'BCDEFGHI'[i]}{number}", v) for i, v in enumerate(values))
        rows.append(f'<row r="{number}">{cells}</row>')
    return (
        f"<worksheet xmlns='{MAIN}'>{before}<sheetData>{''.join(rows)}</sheetData>"
        f"{after}</worksheet>"
    )


# --- 1. a row number the guard reads as "the next row" but the Excel library wraps -----------


def test_a_row_number_of_twenty_digits_is_refused_not_an_abort(tmp_path: Path) -> None:
    """A 1.3 KB sheet whose cells leave out their references, in a row numbered
    99999999999999999999, is refused (or read where the guard placed it), never handed to the
    Excel library, which wraps the number to row 1,661,992,959 and aborts the process."""
    rows = (
        "<row r='1'><c r='A1' t='inlineStr'><is><t>adp</t></is></c></row>"
        "<row r='99999999999999999999'><c><v>1</v></c></row>"
    )
    path = tmp_path / "ost.xlsx"
    path.write_bytes(one_sheet_workbook(f"<worksheet xmlns='{MAIN}'><sheetData>{rows}"
                                        "</sheetData></worksheet>"))  # fmt: skip
    outcome = run_child(["validate", path])
    assert not outcome.problems(), outcome.describe()


# --- 2. ISA-L inflates what zlib refuses; the annotated copy then crashes -------------------


class _Bits:
    def __init__(self) -> None:
        self.out, self.acc, self.count = bytearray(), 0, 0

    def put(self, value: int, count: int) -> None:
        self.acc |= value << self.count
        self.count += count
        while self.count >= 8:
            self.out.append(self.acc & 255)
            self.acc >>= 8
            self.count -= 8

    def code(self, code: int, length: int) -> None:  # Huffman codes go most significant first
        self.put(int(f"{code:0{length}b}"[::-1], 2), length)

    def done(self) -> bytes:
        return bytes(self.out) + (bytes([self.acc]) if self.count else b"")


def _canonical(lengths: list[int]) -> list[int]:
    counts = [0] * 17
    for length in lengths:
        counts[length] += 1
    counts[0], code, following = 0, 0, [0] * 17
    for bits in range(1, 17):
        code = (code + counts[bits - 1]) << 1
        following[bits] = code
    codes = []
    for length in lengths:
        codes.append(following[length] if length else 0)
        following[length] += bool(length)
    return codes


def _incomplete_distances(data: bytes) -> bytes:
    """A raw deflate stream of `data`: one dynamic block of literals whose (unused) distance
    code set is one code of length 2, an incomplete set: zlib (and the Excel library's zlib-rs)
    refuse the stream as 'invalid distances set'; ISA-L inflates it."""
    literals = [8] * 255 + [9, 9]  # 0..254: 8 bits, 255 and end-of-block: 9 bits (complete)
    distances = [2]
    lengths_code = [4] * 16 + [0, 0, 0]  # the code-length alphabet: 0..15 at 4 bits
    order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
    bits = _Bits()
    bits.put(1, 1)
    bits.put(2, 2)
    bits.put(len(literals) - 257, 5)
    bits.put(len(distances) - 1, 5)
    bits.put(19 - 4, 4)
    for symbol in order:
        bits.put(lengths_code[symbol], 3)
    code_lengths = _canonical(lengths_code)
    for length in literals + distances:
        bits.code(code_lengths[length], 4)
    literal_codes = _canonical(literals)
    for byte in data:
        bits.code(literal_codes[byte], literals[byte])
    bits.code(literal_codes[256], literals[256])
    return bits.done()


def test_a_part_only_isal_inflates_is_a_damaged_workbook_even_when_annotating(
    tmp_path: Path,
) -> None:
    """A workbook with a part that zlib refuses to inflate (an incomplete distance code set,
    which ISA-L accepts) is told as damaged, with or without --annotate: never exit 3."""
    parts = package_parts(_return_sheet())
    members = {name: raw_deflate(text.encode()) for name, text in parts.items()}
    core = b"<cp:coreProperties xmlns:cp='urn:x'/>"
    stream = _incomplete_distances(core)
    with pytest.raises(zlib.error):
        zlib.decompress(stream, -15)
    members["docProps/core.xml"] = (stream, zlib.crc32(core), len(core))
    path = tmp_path / "ost.xlsx"
    write_zip(path, members)
    outcome = run(["validate", path, "--annotate", tmp_path / "checked.xlsx"])
    assert outcome.code == 1 and not outcome.problems(), outcome.describe()


# --- 3. cells the guard counts but the Excel library does not: every cell named wrongly -----

_NOT_CELLS_TO_THE_LIBRARY = {
    "value in an inline-string cell": ('<row r="1"><c r="A1" t="inlineStr"><v>x</v></c></row>',
                                       "", ""),
    "CDATA space as the value": ('<row r="1"><c r="A1"><v><![CDATA[ ]]></v></c></row>', "", ""),
    "character reference space": ('<row r="1"><c r="A1"><v>&#32;</v></c></row>', "", ""),
    "cell in the sheet properties": ("", '<sheetPr><c r="A1"><v>1</v></c></sheetPr>', ""),
    "cell in the extensions": ("", "", '<extLst><ext uri="x"><c r="A1"><v>1</v></c></ext>'
                                       "</extLst>"),
    "value after an empty cell": ('<row r="1"><c r="A1"/><v>1</v></row>', "", ""),
}  # fmt: skip


@pytest.mark.parametrize(
    "stray", _NOT_CELLS_TO_THE_LIBRARY.values(), ids=_NOT_CELLS_TO_THE_LIBRARY.keys()
)
def test_a_sheet_the_library_reads_smaller_is_told(
    tmp_path: Path, stray: tuple[str, str, str]
) -> None:
    """A stray element the Excel library does not read as a cell makes the grid it reads smaller
    than the guard's extent: the report says the places it names may be shifted."""
    path = tmp_path / "ost.xlsx"
    path.write_bytes(one_sheet_workbook(_return_sheet(*stray)))
    outcome = run(["validate", path])
    assert not any(marker in outcome.output for marker in CRASH_MARKERS), outcome.describe()
    assert "cell-places-unsure" in outcome.output, outcome.describe()


def test_a_sheet_read_alike_is_not_told(tmp_path: Path) -> None:
    """The same return without the stray element names the wrong total at ost!I4, unwarned."""
    path = tmp_path / "ost.xlsx"
    path.write_bytes(one_sheet_workbook(_return_sheet()))
    outcome = run(["validate", path])
    assert "ost!I4" in outcome.output, outcome.describe()
    assert "cell-places-unsure" not in outcome.output, outcome.describe()


@pytest.mark.xfail(
    strict=True,
    reason="the guard counts cells the Excel library does not; placing them as it does is open",
)
@pytest.mark.parametrize(
    "stray", _NOT_CELLS_TO_THE_LIBRARY.values(), ids=_NOT_CELLS_TO_THE_LIBRARY.keys()
)
def test_findings_name_the_cell_they_are_about(tmp_path: Path, stray: tuple[str, str, str]) -> None:
    """A stray element at A1 that the Excel library does not read as a cell leaves the wrong
    total where it is: the finding names ost!I4, not a cell shifted by the guard's wider
    extent."""
    path = tmp_path / "ost.xlsx"
    path.write_bytes(one_sheet_workbook(_return_sheet(*stray)))
    outcome = run(["validate", path])
    assert not any(marker in outcome.output for marker in CRASH_MARKERS), outcome.describe()
    assert "total-mismatch" in outcome.output, outcome.describe()
    assert "ost!I4" in outcome.output, outcome.describe()
