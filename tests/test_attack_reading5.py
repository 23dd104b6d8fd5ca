"""Attacks on the CSV reader after b8176d8 ("a lone CR ends a line wherever it is, as in Excel"):
each test states what should hold, and fails on the code it was written against.

Past the first 64 KB a lone CR is noticed only when polars reads a row wider than the header.
A lone CR that does not make a row wider (inside a cell, or right after a line feed) is never
seen: the rows either side of it are one row, and every row number below it is one too low."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from .officer_tools import run, validate_report

OST = "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total"
EPISODES = (
    "adp,person_id,referral_date,treatment_start_date,referral_source,substance,treatment_type"
)


def _episode(i: int) -> str:
    return f"Fife,P00{i:05d},2024-04-02,,self,drugs,"


def _ost_row(i: int) -> str:
    return f"Fife,20{10 + i % 14}/{11 + i % 14} Q{1 + i % 4},{i},1,1,1,,{i + 3}"


def _over_64kb(header: str, row: Callable[[int], str]) -> str:
    text = header + "\n" + "".join(row(i) + "\n" for i in range(2500))
    assert len(text) > 70_000
    return text


def _episodes_over_64kb() -> str:
    return _over_64kb(EPISODES, _episode)


def _ost_over_64kb() -> str:
    return _over_64kb(OST, _ost_row)


def _findings(path: Path, *args: object) -> tuple[int, int, list[dict[str, object]]]:
    result, report = validate_report(str(path), *args)
    [file] = report["files"]
    return result.exit_code, file["rows"], file["findings"]


def test_a_lone_cr_inside_a_cell_past_64kb_is_not_accepted_silently(tmp_path: Path) -> None:
    """A record cut in two by a lone CR (two rows in Excel) is read the same past the first
    64 KB as within it: the file is invalid, never valid and stored with one row fewer."""
    line = "Fife,P00123\r45,2024-04-02,,self,drugs,\n"
    early = tmp_path / "early.csv"
    early.write_bytes((EPISODES + "\n" + _episode(1) + "\n" + line).encode())
    assert _findings(early)[0] == 1  # within 64 KB: two rows, with errors, as in Excel
    late = tmp_path / "late.csv"
    late.write_bytes((_episodes_over_64kb() + line).encode())
    code, rows, findings = _findings(late)
    assert code == 1, (rows, findings)
    stored = run("submit", late, "--store", tmp_path / "store.sqlite")
    assert stored.exit_code == 1, stored.output


def test_rows_below_a_late_lone_cr_keep_their_excel_row_numbers(tmp_path: Path) -> None:
    """A LF then a lone CR past 64 KB is a blank row in Excel: the bad row two lines below it
    is told at its Excel row (2505), not one row higher."""
    path = tmp_path / "ost.csv"
    path.write_bytes(
        (
            _ost_over_64kb()
            + _ost_row(5000)
            + "\n\r"
            + _ost_row(5001)
            + "\n"
            + "Fife,2024/25 Q1,-5,1,1,1,,-2\n"
        ).encode()
    )
    _, _, findings = _findings(path, "--kind", "ost")
    rows = {f["row"] for f in findings if f["code"] == "negative-count"}
    assert rows == {2505}, rows


def test_a_merged_row_past_64kb_does_not_shift_later_row_numbers(tmp_path: Path) -> None:
    """After a lone CR inside a cell past 64 KB, a bad value on the next line is told at its
    Excel row (2504: header, 2,500 rows, the two halves of the cut record, then it)."""
    path = tmp_path / "episodes.csv"
    path.write_bytes(
        (
            _episodes_over_64kb()
            + "Fife,P00123\r45,2024-04-02,,self,drugs,\n"
            + "Fife,P0077777,2024-04-02,,self,heroin,\n"
        ).encode()
    )
    _, _, findings = _findings(path)
    # `heroin` itself is not quoted: an episodes return quotes only cells near the vocabulary.
    rows = {
        f["row"] for f in findings if f["code"] == "invalid-choice" and f["column"] == "substance"
    }
    assert rows == {2504}, [(f["code"], f["row"], f["value"]) for f in findings]


def test_a_stray_quote_below_a_late_lone_cr_is_told_at_its_excel_row(tmp_path: Path) -> None:
    """A stray quote on the line after a row ending in a lone CR (past 64 KB) is told at the
    row and cell Excel shows it in (C2504), not at the row above, whatever the number of
    polars threads (one thread finds the wide row first; two or four find the quote first)."""
    path = tmp_path / "ost.csv"
    path.write_bytes(
        (
            _ost_over_64kb()
            + _ost_row(9001)
            + "\r"
            + _ost_row(9002)
            + "\n"
            + 'Fife,2024/25 Q1,1"2,1,1,1,,4\n'
        ).encode()
    )
    mission = str(Path(sys.executable).with_name("mission"))
    for threads in ("2", "4"):
        done = subprocess.run(
            [mission, "validate", str(path), "--kind", "ost", "-f", "json"],
            capture_output=True,
            text=True,
            env=dict(os.environ, POLARS_MAX_THREADS=threads),
        )
        [file] = json.loads(done.stdout)["files"]
        [unread] = [f for f in file["findings"] if f["code"] == "could-not-read"]
        assert (unread["row"], unread["cell"]) == (2504, "C2504"), (threads, unread)


def test_a_windows_1252_file_with_a_late_lone_cr_is_read(tmp_path: Path) -> None:
    """A Windows-1252 file (its first accented byte past 64 KB) whose row ends in a lone CR is
    read as Excel shows it, as the same file in UTF-8 is: not refused as 'rows not separated'."""
    text = (
        _ost_over_64kb()
        + "Fife,2023/24 Q1,1,1,1,1,,4\n"
        + "Caf\u00e9 row,2023/24 Q2,1,1,1,1,,4\r"
        + "Fife,2023/24 Q3,1,1,1,1,,4\n"
    )
    utf8 = tmp_path / "utf8.csv"
    utf8.write_bytes(text.encode("utf-8"))
    assert _findings(utf8, "--kind", "ost")[1] == 2503
    path = tmp_path / "cp1252.csv"
    path.write_bytes(text.encode("cp1252"))
    _, rows, findings = _findings(path, "--kind", "ost")
    assert rows == 2503, [(f["code"], f["message"]) for f in findings]


_PEAK = """
import sys
from mission.readers import read_table
table = read_table(sys.argv[1])
assert table.frame is not None, table.findings
status = open("/proc/self/status").read().split("VmHWM:")[1]
print(int(status.split()[0]))
"""


def _peak_kb(path: Path) -> int:
    env = dict(os.environ, POLARS_MAX_THREADS="2")
    done = subprocess.run(
        [sys.executable, "-c", _PEAK, str(path)], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return int(done.stdout.split()[-1])


def test_a_late_lone_cr_does_not_multiply_the_memory_a_file_needs(tmp_path: Path) -> None:
    """A 50 MB CRLF file with one emoji and one lone CR near its end needs no more than about
    3x the memory (over an empty read) of the same file without the CR: it is not decoded
    into a str of 4 bytes a character and copied again to find and replace the CR."""
    rows = b"".join(
        b"Fife,20%02d/%02d Q%d,%d,1,1,1,,%d\r\n"
        % (10 + i % 14, 11 + i % 14, 1 + i % 4, i % 5000, i % 5000 + 3)
        for i in range(1_300_000)
    )
    head = OST.encode() + b"\r\n" + "Fife \U0001f600".encode() + b",2023/24 Q1,1,1,1,1,,4\r\n"
    base = head + rows
    cut = base.rfind(b"\r\n", 0, len(base) - 200)
    tiny, plain, late = tmp_path / "tiny.csv", tmp_path / "plain.csv", tmp_path / "late.csv"
    tiny.write_bytes(base[:2000])
    plain.write_bytes(base)
    late.write_bytes(base[:cut] + b"\r" + base[cut + 2 :])
    del rows, base
    floor = _peak_kb(tiny)
    without, with_cr = _peak_kb(plain) - floor, _peak_kb(late) - floor
    assert with_cr <= 3 * without, (floor, without, with_cr)
