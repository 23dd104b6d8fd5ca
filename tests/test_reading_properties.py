"""Properties of the readers and parsers that messy files found wanting: line endings, stray
quotes, invisible characters, dots in counts, times in dates, zips that are not workbooks."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mission.columns import normalise_header
from mission.readers import NamedBytes, read_table
from mission.validation import validate

TODAY = dt.date(2026, 11, 25)
MAT_HEADER = "adp,year,standard,status,numerical,process,experiential,comment"
_COMMENT = st.text(
    alphabet=st.sampled_from(list("ab ,;\"'\r\n\t-.1")), min_size=0, max_size=12
).filter(lambda t: t.strip() == t)


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _mat(comments: list[str], ending: str) -> bytes:
    rows = [MAT_HEADER] + [
        f"Fife,2024/25,{n + 1},green,met,met,met,{_quoted(c)}" for n, c in enumerate(comments)
    ]
    return (ending.join(rows) + ending).encode()


def _cells(data: bytes, name: str = "mat.csv") -> list[tuple[object, ...]]:
    table = read_table(NamedBytes(name, data))
    assert table.frame is not None, [f.message for f in table.findings]
    return table.frame.rows()


@settings(max_examples=60, deadline=None)
@given(comments=st.lists(_COMMENT, min_size=1, max_size=6))
def test_lines_ending_in_a_carriage_return_read_as_lines_ending_in_a_line_feed(
    comments: list[str],
) -> None:
    """A CSV whose lines end in CR alone (Excel for Mac) reads as the same rows, numbered the
    same, as with CRLF endings, whatever line breaks and quotes its quoted cells hold (a CRLF
    inside a quoted cell is one line break, as a lone CR is)."""
    crlf = _cells(_mat(comments, "\r\n"))
    cr = _cells(_mat(comments, "\r"))
    norm = [tuple(str(v).replace("\r\n", "\n").replace("\r", "\n") for v in row) for row in crlf]
    assert [tuple(str(v).replace("\r", "\n") for v in row) for row in cr] == norm


def test_a_carriage_return_line_end_across_the_read_chunks() -> None:
    """A file of more than one read chunk (1 MiB) whose CR falls at the chunk's last byte, with
    a quoted CRLF split across the boundary elsewhere, keeps every row."""
    filler = "x" * 200
    lines = [MAT_HEADER]
    n = 0
    while sum(len(line) + 1 for line in lines) < (1 << 20) + 5000:
        lines.append(f'Fife,2024/25,{n % 10 + 1},green,met,met,met,"{filler}\r\n{n}"')
        n += 1
    data = "\r".join(lines) + "\r"
    for shift in range(4):
        padded = data.replace(MAT_HEADER, MAT_HEADER + " " * shift, 1).encode()
        assert len(_cells(padded)) == n


@settings(max_examples=60, deadline=None)
@given(
    before=st.text(alphabet="abc ", min_size=1, max_size=5).filter(lambda t: t.strip() == t),
    after=st.text(alphabet="abc ", max_size=5),
    row=st.integers(0, 4),
)
def test_a_stray_quote_is_reported_at_its_row_and_column(before: str, after: str, row: int) -> None:
    """A quote in the middle of an unquoted comment is reported at that row and the comment's
    column (H), in words with no CSV library internals, whatever rows come before it."""
    comments = [f"c{n}" for n in range(6)]
    rows = [f"Fife,2024/25,{n + 1},green,met,met,met,{c}" for n, c in enumerate(comments)]
    rows[row] = rows[row].rsplit(",", 1)[0] + f',{before}"{after}'
    data = (MAT_HEADER + "\n" + "\n".join(rows) + "\n").encode()
    table = read_table(NamedBytes("mat.csv", data))
    if table.frame is not None:  # the CSV library read it after all: nothing to report
        return
    (problem,) = table.findings
    assert (problem.row, problem.cell) == (row + 2, f"H{row + 2}")
    assert "comment" in problem.message and "chunk" not in problem.message


@settings(max_examples=80, deadline=None)
@given(
    name=st.sampled_from(["adp", "Period", "treatment start date", "buprenorphine-oral"]),
    marks=st.lists(st.sampled_from("\ufeff\u200b\u200c\u200d\u2060\u00ad"), max_size=3),
    places=st.lists(st.integers(0, 30), max_size=3),
)
def test_invisible_characters_never_change_a_header(
    name: str, marks: list[str], places: list[int]
) -> None:
    """A header with a BOM, zero-width spaces or soft hyphens anywhere in it means what it
    means without them."""
    text = name
    for mark, place in zip(marks, places, strict=False):
        at = place % (len(text) + 1)
        text = text[:at] + mark + text[at:]
    assert normalise_header(text) == normalise_header(name)


def _ost(folder: Path, cells: str, delimiter: str = ",") -> list[tuple[str, str | None]]:
    header = delimiter.join(
        [
            *("adp", "period", "methadone", "buprenorphine_oral", "buprenorphine_depot"),
            *("diamorphine", "other", "total"),
        ]
    )
    path = folder / "ost.csv"
    path.write_text(f"{header}\n{cells}\n")
    return [(f.code, f.cell) for f in validate(path, today=TODAY).findings]


@settings(max_examples=40, deadline=None)
@given(thousands=st.integers(1, 999))
def test_a_dot_thousands_count_is_never_silent(
    tmp_path_factory: pytest.TempPathFactory, thousands: int
) -> None:
    """In a semicolon file, N.000 in a count is read as the contract says (N, as 12.0 is 12)
    and warned about at its cell; N.500 is an error at its cell: neither passes silently."""
    folder = tmp_path_factory.mktemp("dots")
    found = _ost(folder, f"Fife;2023/24 Q1;{thousands}.000;0;0;0;;{thousands}", ";")
    assert ("dot-thousands", "C2") in found
    assert ("total-mismatch", "H2") not in found
    found = _ost(folder, f"Fife;2023/24 Q1;{thousands}.500;0;0;0;;1", ";")
    assert ("fractional-count", "C2") in found


@settings(max_examples=60, deadline=None)
@given(
    day=st.dates(dt.date(2001, 1, 1), dt.date(2026, 11, 25)),
    time=st.times(),
    form=st.sampled_from(["iso", "iso-t", "uk"]),
)
def test_a_date_with_a_time_of_day_is_that_day(
    tmp_path_factory: pytest.TempPathFactory, day: dt.date, time: dt.time, form: str
) -> None:
    """A referral date written with a time of day (2024-04-02 09:30:00, 2024-04-02T09:30,
    02/04/2024 09:30) is read as its day: no date finding."""
    clock = time.strftime("%H:%M:%S" if time.second else "%H:%M")
    text = {
        "iso": f"{day.isoformat()} {clock}",
        "iso-t": f"{day.isoformat()}T{clock}",
        "uk": f"{day:%d/%m/%Y} {clock}",
    }[form]
    path = tmp_path_factory.mktemp("dates") / "episodes.csv"
    path.write_text(
        "adp,person_id,referral_date,treatment_start_date,referral_source,substance,"
        f"treatment_type\nFife,P-1,{text},,self,drugs,\n"
    )
    report = validate(path, today=TODAY)
    assert not [f.code for f in report.findings if "date" in f.code]


def test_a_date_with_an_offset_is_not_a_date(tmp_path: Path) -> None:
    """A timestamp with an offset (2024-04-02T23:30:00+01:00) could be another day: refused."""
    path = tmp_path / "episodes.csv"
    path.write_text(
        "adp,person_id,referral_date,treatment_start_date,referral_source,substance,"
        "treatment_type\nFife,P-1,2024-04-02T23:30:00+01:00,,self,drugs,\n"
    )
    assert "invalid-date" in [f.code for f in validate(path, today=TODAY).findings]


def _zip(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("parts", "said"),
    [
        ({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}, "OpenDocument"),
        ({"mimetype": "application/vnd.oasis.opendocument.text"}, ".odt"),
        ({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"}, "Word"),
        ({"[Content_Types].xml": "<Types/>", "xl/workbook.bin": "x"}, ".xlsb"),
        ({"Index/Document.iwa": "x"}, "Apple Numbers"),
        ({"notes.txt": "hello"}, "zip archive"),
        ({"xl/styles.xml": "<styleSheet/>"}, "damaged"),
    ],
    ids=["ods", "odt", "docx", "xlsb", "numbers", "zip", "broken-xlsx"],
)
def test_a_zip_is_named_for_what_it_is(parts: dict[str, str], said: str) -> None:
    """A zip that is not an Excel workbook is named for what its parts say it is, with a way
    to save it as .xlsx or CSV; only a zip with Excel's parts but no workbook is 'damaged'."""
    table = read_table(NamedBytes("ost.xlsx", _zip(parts)))
    (problem,) = table.findings
    assert said in problem.message
    assert problem.hint


@settings(max_examples=40, deadline=None)
@given(
    offset=st.integers(-120, 120),
    header_breaks=st.integers(0, 3),
    comments=st.lists(_COMMENT, min_size=1, max_size=4),
)
def test_the_header_reads_the_same_wherever_the_first_64kb_end(
    tmp_path_factory: pytest.TempPathFactory, offset: int, header_breaks: int, comments: list[str]
) -> None:
    """The header row is read from the file's first 64 KB only when a second row starts within
    them: wherever that boundary falls (in the header's quoted cell, in a data row's quoted line
    breaks, between rows), the header and the rows are those of the whole file."""
    title = "Notes for the year\n"
    tail = "x" + "\n" * header_breaks + "y" * 200
    pad = 65536 - len(title) - len(MAT_HEADER) - len(tail) - 4 + offset
    header = f'{MAT_HEADER},"{"z" * pad}{tail}"'
    rows = [
        f"Fife,2024/25,{n + 1},green,met,met,met,{_quoted(c)},x" for n, c in enumerate(comments)
    ]
    data = (title + header + "\n" + "\n".join(rows) + "\n").encode()
    path = tmp_path_factory.mktemp("boundary") / "mat.csv"
    path.write_bytes(data)
    # A lone CR ends lines, as in Excel: the file is then read with every line end a line feed,
    # quoted ones too.
    lone = re.search("\r(?!\n)", data.decode()[:-1]) is not None
    said = [c.replace("\r\n", "\n").replace("\r", "\n") for c in comments] if lone else comments
    for table in (read_table(path), read_table(NamedBytes("mat.csv", data))):
        assert table.frame is not None, [f.message for f in table.findings]
        assert table.headers[-1] == "z" * pad + tail
        assert [row[8] or "" for row in table.frame.rows()] == said


@pytest.mark.parametrize("size", ["small", "first 64 KB ending after a CRLF"])
def test_a_crlf_file_keeps_the_crlf_inside_a_quoted_value(size: str) -> None:
    """A CRLF file holds no lone CR, even where its first 64 KB end just after a CRLF (the CR
    of that last CRLF is not the end of a cut one): a line break inside a quoted value reads as
    written, not made a line feed as in a file whose lines end in lone CRs."""
    from mission.readers.csv import SAMPLE_BYTES

    rows = [MAT_HEADER, 'Fife,2024/25,1,green,met,met,met,"first line\r\nsecond line"']
    if size != "small":
        filler = "Fife,2024/25,2,green,met,met,met,x"
        used = sum(len(r) + 2 for r in rows)
        while used + len(filler) + 2 <= SAMPLE_BYTES - 40:
            rows.append(filler)
            used += len(filler) + 2
        # One row padded so the first 64 KB end exactly on its CRLF.
        rows.append(filler + "y" * (SAMPLE_BYTES - used - len(filler) - 2))
        rows += [filler] * 10
    data = ("\r\n".join(rows) + "\r\n").encode()
    if size != "small":
        assert data[SAMPLE_BYTES - 2 : SAMPLE_BYTES] == b"\r\n"
    assert _cells(data)[0][-1] == "first line\r\nsecond line"
