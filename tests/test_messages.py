"""Messages that finish the job: "did you mean", the value as typed, the stream not met, merges."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mission.adps import UnknownAdp, match_adp
from mission.kinds import Kind, UnknownKind, suggest_kinds
from mission.parsing.values import near_choices
from mission.period_suggestions import suggest_quarters, suggest_years
from mission.periods import (
    FinancialYear,
    InvalidPeriod,
    Quarter,
)
from mission.validation import validate

OST_HEADER = "adp,period,methadone,buprenorphine_oral,buprenorphine_depot,diamorphine,other,total"


def _findings(
    tmp_path: Path, name: str, text: str
) -> list[tuple[str, str | None, str, str | None]]:
    path = tmp_path / name
    path.write_text(text)
    return [(f.code, f.value, f.message, f.hint) for f in validate(path).findings]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Q1 24/25", ["2024/25 Q1"]),
        ("24/25 Q1", ["2024/25 Q1"]),
        ("2024-25 Quarter 1", ["2024/25 Q1"]),
        ("Quarter 1 2024/25", ["2024/25 Q1"]),
        ("1st quarter 2024/25", ["2024/25 Q1"]),
        ("FY24/25 Q2", ["2024/25 Q2"]),
        ("Q1 FY25", ["2024/25 Q1"]),
        ("2024/25 Q5", ["2024/25 Q4", "2025/26 Q1"]),
        ("2024/25 Q0", ["2024/25 Q1"]),
        ("2023/25 Q1", ["2023/24 Q1", "2024/25 Q1"]),
        ("2024 Q1", ["2023/24 Q4", "2024/25 Q1"]),
        ("Apr-Jun 2024", ["2024/25 Q1"]),
        ("January to March 2025", ["2024/25 Q4"]),
        ("2024.25 Q3", ["2024/25 Q3"]),
        ("Apr-24", ["2024/25 Q1"]),
        ("Jan 25", ["2024/25 Q4"]),
        ("2024-04-01 00:00:00", ["2024/25 Q1"]),  # a period Excel turned into a date cell
        ("15/11/2024", ["2024/25 Q3"]),
        ("2024-02-30", []),
        ("hello", []),
        ("Q3", []),
    ],
)
def test_near_miss_periods_suggest_the_quarter_meant(typed: str, meant: list[str]) -> None:
    """A near-miss period suggests the quarters it most likely means, and is still refused."""
    assert [str(q) for q in suggest_quarters(typed)] == meant
    with pytest.raises(InvalidPeriod):
        Quarter.parse(typed)


_SPELLINGS = [
    "Q{n} {y2}/{z2}",
    "{y2}/{z2} Q{n}",
    "{y4}-{z2} Quarter {n}",
    "Quarter {n} {y4}/{z2}",
    "FY{y4}/{z2} Q{n}",
    "{y4}/{z4} qtr {n}",
    "{y2}-{z2} q{n}",
]


def test_a_period_stored_as_a_date_suggests_the_quarter_it_is_in(tmp_path: Path) -> None:
    """A period Excel turned into a date cell is refused with the quarter the date falls in, and
    a refusal with nothing to suggest shows the form by an example, never as a correction."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "ost"
    sheet.append(OST_HEADER.split(","))
    sheet.append(["Fife", dt.datetime(2024, 4, 1), 1, 1, 1, 1, 0, 4])
    sheet.append(["Fife", "Q3", 1, 1, 1, 1, 0, 4])
    sheet.append(["Fife", "Apr-24", 1, 1, 1, 1, 0, 4])
    path = tmp_path / "ost.xlsx"
    book.save(path)
    said = {f.cell: (f.message, f.hint) for f in validate(path).findings if f.column == "period"}
    assert said["B2"] == (
        "'2024-04-01' is not a quarter: write it as 2024/25 Q1",
        "Did you mean 2024/25 Q1?",
    )
    assert "e.g. 2024/25 Q1" in said["B3"][0] and "write it as" not in said["B3"][0]
    assert said["B4"][0] == "'Apr-24' is not a quarter: write it as 2024/25 Q1"


@given(
    st.integers(2000, 2088),
    st.integers(1, 4),
    st.sampled_from(_SPELLINGS),
)
def test_every_near_miss_spelling_suggests_its_quarter_first(
    start: int, number: int, spelling: str
) -> None:
    """Whatever the near-miss spelling, the first suggestion is the quarter it spells."""
    text = spelling.format(
        n=number,
        y2=f"{start % 100:02d}",
        z2=f"{(start + 1) % 100:02d}",
        y4=start,
        z4=start + 1,
    )
    assert suggest_quarters(text)[0] == Quarter(FinancialYear(start), number)


@given(st.text(max_size=40))
def test_suggestions_never_fail_and_are_real_quarters(text: str) -> None:
    """Any text at all gives at most three suggestions, each a quarter that parses back."""
    found = suggest_quarters(text)
    assert len(found) <= 3
    assert all(Quarter.parse(str(q)) == q for q in found)
    assert all(FinancialYear.parse(str(y)) == y for y in suggest_years(text))


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("24/25", ["2024/25"]), ("FY 2024-25", ["2024/25"]), ("2023/25", ["2023/24", "2024/25"])],
)
def test_near_miss_years(typed: str, meant: list[str]) -> None:
    """A near-miss financial year suggests the year it most likely means."""
    assert [str(y) for y in suggest_years(typed)] == meant


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Edinbrugh", ("Edinburgh",)),
        ("Clackmannan", ("Clackmannanshire and Stirling",)),
        ("Clacks/Stirling", ("Clackmannanshire and Stirling",)),
        ("Glasgo", ("Glasgow City",)),
        ("E Lothian", ("Midlothian and East Lothian",)),
        ("Lanark", ("North Lanarkshire", "South Lanarkshire")),
        ("West Dunbarton", ("West Dunbartonshire",)),
        ("Inverclide", ("Inverclyde",)),
        ("xyz", ()),
    ],
)
def test_near_miss_adps_suggest_the_adp_meant(typed: str, meant: tuple[str, ...]) -> None:
    """An unknown ADP suggests the nearest ADPs, and only those within reach of the best."""
    with pytest.raises(UnknownAdp) as raised:
        match_adp(typed)
    assert raised.value.candidates == meant


def test_clacks_is_read_as_the_adp() -> None:
    """`Clacks`, the everyday name, is an alias: it is read, not refused."""
    assert match_adp("Clacks").adp.name == "Clackmannanshire and Stirling"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("opiods", [Kind.OST]),
        ("nalaxone", [Kind.NALOXONE]),
        ("episode", [Kind.EPISODES]),
        ("deths", [Kind.DEATHS]),
        ("rehabilitaton", [Kind.REHAB]),
        ("referals", [Kind.EPISODES]),
        ("xyz", []),
    ],
)
def test_near_miss_kinds(typed: str, meant: list[Kind]) -> None:
    """A misspelt kind suggests the kind it most likely means, in the library's error too."""
    assert list(suggest_kinds(typed)) == meant
    with pytest.raises(UnknownKind) as raised:
        Kind.parse(typed)
    if meant:
        assert f"did you mean '{meant[0].value}'?" in str(raised.value)


def test_cli_kind_near_miss_says_did_you_mean(cli) -> None:  # type: ignore[no-untyped-def]
    """`--kind opiods` stops with exit 2 and suggests ost."""
    result = cli("validate", "fixtures/valid/ost.csv", "--kind", "opiods")
    assert result.exit_code == 2
    assert "did you mean 'ost'?" in result.stderr


@pytest.mark.parametrize(
    ("typed", "choices", "meant"),
    [
        ("localauthority", Kind.REHAB.spec.column("funding_source").choices, ["local_authority"]),
        (
            "Scottish Govt",
            Kind.REHAB.spec.column("funding_source").choices,
            ["scottish_government"],
        ),
        ("Intra nasal", Kind.NALOXONE.spec.column("kit_type").choices, ["intranasal"]),
        ("provisional", Kind.MAT.spec.column("status").choices, ["provisional_green"]),
        ("partially met", Kind.MAT.spec.column("process").choices, ["partial", "met"]),
        ("GP practice", Kind.EPISODES.spec.column("referral_source").choices, ["gp"]),
        ("charity", Kind.REHAB.spec.column("funding_source").choices, []),
    ],
)
def test_near_miss_choices(typed: str, choices: tuple[str, ...], meant: list[str]) -> None:
    """A value that is not an allowed choice suggests the choices it most likely means."""
    assert near_choices(typed, choices) == meant


def test_findings_name_what_was_meant(tmp_path: Path) -> None:
    """A near-miss period's finding says which quarter; an unknown ADP's says which ADP."""
    found = _findings(
        tmp_path,
        "ost.csv",
        f"{OST_HEADER}\nEdinbrugh,Q1 24/25,1,1,1,1,0,4\nFife,2024/25,1,1,1,1,0,4\n",
    )
    assert (
        "invalid-period",
        "Q1 24/25",
        "'Q1 24/25' is not a quarter: write it as 2024/25 Q1",
        "Did you mean 2024/25 Q1?",
    ) in found
    assert ("unknown-adp", "Edinbrugh") in [(c, v) for c, v, _, _ in found]
    assert "Did you mean 'Edinburgh'?" in [h for c, _, _, h in found if c == "unknown-adp"]
    year = next(f for f in found if f[1] == "2024/25")
    assert year[2] == "'2024/25' is a financial year, not a quarter"
    assert year[3] == (
        "A period is one quarter of the year: write 2024/25 Q1, 2024/25 Q2, 2024/25 Q3 or "
        "2024/25 Q4."
    )


def test_status_mismatch_names_the_stream_and_shows_the_status_as_typed(tmp_path: Path) -> None:
    """Green with weak evidence names each stream not met, and shows `G` as the officer typed."""
    rows = "\n".join(f"Fife,2024/25,{n},not_assessed,,," for n in range(2, 11))
    found = _findings(
        tmp_path,
        "mat.csv",
        "adp,year,standard,status,numerical,process,experiential\n"
        f"Fife,2024/25,1,G,met,partial,Not Met\n{rows}\n",
    )
    assert found == [
        (
            "status-evidence-mismatch",
            "G",
            "status is green but the process evidence is partial and the experiential evidence "
            "is not met",
            "Green or blue means the numerical, process and experiential evidence are all met: "
            "check the status, or the evidence.",
        )
    ]


def test_total_mismatch_shows_the_total_as_typed(tmp_path: Path) -> None:
    """A total written `1,116` is shown as `1,116`, not as the number it was read as."""
    found = _findings(tmp_path, "ost.csv", f'{OST_HEADER}\nFife,2024/25 Q1,1000,10,5,0,0,"1,116"\n')
    assert ("total-mismatch", "1,116") in [(c, v) for c, v, _, _ in found]


@pytest.mark.parametrize(
    ("first", "second", "hint"),
    [
        ("Clackmannanshire", "Stirling", "Add the two rows together, one row per ADP"),
        ("Midlothian", "East Lothian", "Add the two rows together, one row per ADP"),
    ],
)
def test_council_areas_of_one_adp_are_told_to_merge(
    tmp_path: Path, first: str, second: str, hint: str
) -> None:
    """Two council areas of one ADP sent as two rows get a merge hint, not just `duplicate-row`."""
    found = _findings(
        tmp_path,
        "ost.csv",
        f"{OST_HEADER}\n{first},2024/25 Q1,1,1,1,1,0,4\n{second},2024/25 Q1,2,1,1,1,0,5\n",
    )
    duplicate = next(f for f in found if f[0] == "duplicate-row")
    assert duplicate[1] == second
    assert f"'{first}' (row 2) and '{second}' are both part of the" in duplicate[2]
    assert duplicate[3] is not None and duplicate[3].startswith(hint)


def test_council_areas_of_one_adp_are_told_at_the_adp_cell(tmp_path: Path) -> None:
    """The merge is about the ADP, so the finding points at the second area's ADP cell (A3),
    not at its period; a plain repeat still points at the key's last cell (B5)."""
    path = tmp_path / "ost.csv"
    path.write_text(
        f"{OST_HEADER}\nClackmannanshire,2024/25 Q1,1,1,1,1,0,4\nStirling,2024/25 Q1,2,1,1,1,0,5\n"
        "Fife,2024/25 Q1,1,1,1,1,0,4\nFife,2024/25 Q1,1,1,1,1,0,4\n"
    )
    found = [f for f in validate(path).findings if f.code == "duplicate-row"]
    assert [(f.cell, f.column) for f in found] == [("A3", "adp"), ("B5", "period")]


def test_a_plain_repeat_keeps_the_plain_hint(tmp_path: Path) -> None:
    """The same ADP twice is a plain duplicate: no merge hint."""
    found = _findings(
        tmp_path,
        "ost.csv",
        f"{OST_HEADER}\nFife,2024/25 Q1,1,1,1,1,0,4\nfife,2024/25 Q1,1,1,1,1,0,4\n",
    )
    duplicate = next(f for f in found if f[0] == "duplicate-row")
    assert duplicate[2] == "same adp and period as row 2"
    assert duplicate[3] == "Keep one row per adp and period: merge or delete the repeat."
