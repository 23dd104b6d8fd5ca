"""What a reader learns of a column in the pass it makes anyway (`Table.tidy_texts`) is true, so
parsing may skip its own look; and a file's rules, run side by side, tell the same findings in
the same order on every run."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from mission.cli.app import app
from mission.limits import Limits
from mission.readers import NamedBytes, read_table
from mission.rules.side_by_side import SIDE_BY_SIDE_FROM
from mission.validation import validate

EPISODES = (
    "adp,person_id,referral_date,treatment_start_date,referral_source,substance,treatment_type"
)
_ODD = re.compile(r"^\s|\s$|^$|[\r\n]")
_ID = st.text(alphabet=st.sampled_from(list('P07 \t\u00a0\r\n"x')), min_size=0, max_size=6)


def _episodes(ids: list[str], filler_rows: int) -> bytes:
    """An episodes return whose first `filler_rows` rows hold plain ids, then `ids` (quoted, so
    any cell reads as typed): past the first 64 KB when the filler is long."""
    rows = [EPISODES]
    rows += [f"Fife,F{n},2024-04-01,,gp,drugs," for n in range(filler_rows)]
    quoted = ('"' + i.replace('"', '""') + '"' for i in ids)
    rows += [f"Fife,{q},2024-04-02,,gp,drugs," for q in quoted]
    return ("\r\n".join(rows) + "\r\n").encode()


@settings(max_examples=40, deadline=None)
@given(ids=st.lists(_ID, min_size=1, max_size=2), far=st.booleans())
@example(ids=["P0 "], far=True)
@example(ids=["P0\u00a0"], far=False)
@example(ids=["P0", ""], far=True)
@example(ids=["P\n0"], far=True)
def test_a_column_said_to_be_tidy_holds_no_blank_spaced_or_broken_cell(
    ids: list[str], far: bool
) -> None:
    """Whether the ids sit in the first 64 KB (read from the sample) or past them (the reader's
    own pass), a text column the table calls tidy has no cell that is blank, spaced or holds a
    line break, and a column with such a cell is never called tidy."""
    table = read_table(NamedBytes("episodes.csv", _episodes(ids, 3000 if far else 2)))
    assert table.frame is not None
    cells = table.frame["c1"].to_list()
    odd = any(cell is not None and _ODD.search(cell) for cell in cells)
    assert ("c1" in table.tidy_texts) == (not odd)


def test_spaced_ids_past_the_first_64kb_are_read_trimmed() -> None:
    """An id with spaces around it, far down a large file, is still trimmed before it is checked:
    the same id typed twice, once spaced, is one person's repeated referral."""
    data = _episodes([" F7 "], 3000)
    data = data.replace(b'Fife," F7 ",2024-04-02', b'Fife," F7 ",2024-04-01')
    report = validate([NamedBytes("episodes.csv", data)])
    assert [f.code for f in report.findings] == ["duplicate-row"]


def test_side_by_side_rules_tell_the_same_report_every_run(tmp_path: Path) -> None:
    """Repeated keys, starts before referral and missing treatment types, found by rules that
    run side by side beside the parse's own findings, come out the same on every run, row by
    row, each code capped as when the rules ran one after another: the first rows kept, the
    rest counted."""
    rows = [EPISODES]
    for n in range(300):
        rows.append(f"Fife,P{n},2024-05-01,2024-04-01,postman,drugs,")
        rows.append(f"Fife,P{n},2024-05-01,2024-04-01,postman,drugs,")
    # Enough rows that the rules run side by side.
    rows += [f"Fife,F{n},2024-05-01,2024-05-02,gp,drugs,ost" for n in range(SIDE_BY_SIDE_FROM)]
    path = tmp_path / "episodes.csv"
    path.write_text("\n".join(rows) + "\n")
    runner = CliRunner()
    outputs = []
    for _ in range(3):
        result = runner.invoke(app, ["validate", str(path), "-f", "json"])
        assert result.exit_code == 1, result.output
        outputs.append(json.loads(result.stdout))
    assert all(o == outputs[0] for o in outputs)
    told = outputs[0]["files"][0]["findings"]
    assert [f["row"] for f in told] == sorted(f["row"] for f in told)
    codes = [f["code"] for f in told]
    first_row = ["invalid-choice", "start-before-referral", "missing-treatment-type"]
    assert codes[:4] == [*first_row, "invalid-choice"]
    capped = validate(path, limits=Limits(max_findings_per_code=100))
    kept = [f for f in capped.findings if f.code == "duplicate-row"]
    assert [f.row for f in kept] == list(range(3, 203, 2))
    over = {f.value: f.message for f in capped.findings if f.code == "too-many-findings"}
    assert over["duplicate-row"].startswith("200 more duplicate-row")
    assert over["start-before-referral"].startswith("500 more start-before-referral")


_HEADER_CELL = st.text(alphabet=st.sampled_from(list('ab _-.1,"\u00e9\t')), max_size=6)


@settings(max_examples=60, deadline=None)
@given(cells=st.lists(_HEADER_CELL, min_size=1, max_size=5), far=st.booleans())
@example(cells=["adp", "", "person id ", "a,b"], far=False)
@example(cells=["adp", 'say "hi"', "caf\u00e9"], far=True)
def test_a_header_taken_as_sniffed_is_the_one_polars_reads(cells: list[str], far: bool) -> None:
    """However the header is written (quoted cells, commas or quotes inside, spaces, tabs,
    accents, empty cells), the header the table holds is the grid's first row as polars reads
    it (less its blank cells' columns, set aside), whether the sniffing's split of a plain
    header line is taken or the row is read on its own."""
    import csv
    import io

    import polars as pl

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(cells)
    for n in range(3000 if far else 2):
        writer.writerow([f"{n}"] * len(cells))
    data = out.getvalue().encode("utf-8")
    table = read_table(NamedBytes("grid.csv", data))
    if table.frame is None or table.header_row is None:
        return  # refused as a whole (a header of nothing but blanks): no header to compare
    said = " ".join(f.message for f in table.findings if f.code == "delimiter-not-comma")
    separator = "\t" if "tabs" in said else ";" if "semicolons" in said else ","
    row = pl.read_csv(
        io.BytesIO(data),
        separator=separator,
        has_header=False,
        infer_schema=False,
        skip_rows=table.header_row - 1,
        n_rows=1,
        truncate_ragged_lines=True,
    ).row(0)
    # A column with a blank header is set aside (its values cannot be matched): so here too.
    assert list(table.headers) == [cell for cell in row if cell is not None and cell.strip()]
