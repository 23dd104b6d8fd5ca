"""Guards for the plain-first-line header fast path (b810c60): differential testing against
b810c60^ found no difference; these pin the cases where the sniffed split and polars' own
reading of the first line could most plausibly part (a BOM, CRLF, a lone CR ending the file),
since columns of codes are not compared by `_Read._agrees`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mission.cli.app import app

OST = "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total"
ROW = "Glasgow City,2023/24 Q1,5210,1320,410,30,12,6982"


def _report(path: Path) -> tuple[int, list[tuple[str, str | None]]]:
    result = CliRunner().invoke(app, ["validate", "-f", "json", "--strict", str(path)])
    findings = json.loads(result.output)["files"][0]["findings"]
    return result.exit_code, [(f["code"], f.get("column")) for f in findings]


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbf" + f"{OST}\n{ROW}\n".encode(),
        f"{OST}\r\n{ROW}\r\n".encode(),
        f"{OST}\n{ROW}\r".encode(),
    ],
)
def test_a_plain_header_reads_as_the_same_header_whatever_its_line_end_or_bom(
    tmp_path: Path, data: bytes
) -> None:
    """A plain header after a BOM, ending in CRLF, or above a row ending the file in a lone CR,
    is read as the contract's header: the return is valid with no finding."""
    odd = tmp_path / "ost.csv"
    odd.write_bytes(data)
    assert _report(odd) == (0, [])


def test_a_header_only_file_ending_in_a_lone_cr_is_told_as_with_a_line_feed(tmp_path: Path) -> None:
    """A file of only a header ending in a lone CR (Excel for Mac) gets the report one ending in
    a line feed gets."""
    cr = tmp_path / "ost.csv"
    cr.write_bytes(f"{OST}\r".encode())
    lf = tmp_path / "lf" / "ost.csv"
    lf.parent.mkdir()
    lf.write_bytes(f"{OST}\n".encode())
    assert _report(cr) == _report(lf)
