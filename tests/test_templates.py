"""Templates that prevent mistakes: filled in correctly they validate with no findings at all;
every drop-down offers only what the contract accepts; Excel's own data validation refuses the
common mistakes wherever a rule on one cell can."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from mission.adps import resolve_adp
from mission.columns import Column, ColumnType
from mission.errors import MissionError
from mission.kinds import Kind, kinds
from mission.periods import FinancialYear, InvalidPeriod, Quarter
from mission.templates import InvalidTemplate, plan_template, template_rows, write_template
from mission.validation import validate

TODAY = dt.date(2026, 11, 25)
EXCEL_EPOCH = dt.date(1899, 12, 30)
# The ADP and period each kind's template is laid out for (deaths by calendar year, MAT by year).
OPTIONS: dict[Kind, tuple[str | None, str | None]] = {
    Kind.OST: ("Clackmannanshire and Stirling", "2024/25 Q1"),
    Kind.REHAB: ("Fife", "2024/25 Q2"),
    Kind.NALOXONE: ("Glasgow City", "2024/25 Q3"),
    Kind.MAT: ("Dundee City", "2024/25"),
    Kind.EPISODES: (None, None),
    Kind.DEATHS: ("Orkney", "2023"),
    Kind.POPULATION: ("Orkney", "2023"),
}
MISTAKES: dict[ColumnType, list[str]] = {
    ColumnType.COUNT: ["12.5", "-3", "n/a", "*", "<5", "c", "twelve"],
    ColumnType.PERIOD: ["Q1 24/25", "2024/25", "2024-25 Q1", "2024 Q1", "2024/25 Q5"],
    ColumnType.YEAR: ["24/25", "2024-25", "2023/25", "2024"],
    ColumnType.ADP: ["Edinbrugh", "Lanarkshire", "Clacks/Stirling"],
    ColumnType.CHOICE: ["charity", "partially met", "n/a"],
    ColumnType.STANDARD: ["MAT 11", "11", "0", "retention"],
    ColumnType.CALENDAR_YEAR: ["23", "2023/24", "2099", "1989"],
    ColumnType.DATE: ["05/31/2024", "31st May 2024", "2099-01-01", "1999-12-31"],
}


def _value(column: Column, lists: dict[str, tuple[str, ...]]) -> Any:
    """A value the contract accepts for a column, as an officer would enter it in Excel."""
    if column.name in lists:
        choice = lists[column.name][-1 if column.type is ColumnType.PERIOD else 0]
        return int(choice) if column.type is ColumnType.STANDARD else choice
    return {
        ColumnType.COUNT: 7,
        ColumnType.CALENDAR_YEAR: 2023,
        ColumnType.DATE: dt.date(2024, 5, 2),
        ColumnType.TEXT: "P-0001" if column.private else "Reviewed by the ADP lead",
    }[column.type]


def _filled(
    kind: Kind, laid: list[dict[str, str]], lists: dict[str, tuple[str, ...]]
) -> list[dict[str, Any]]:
    """The laid-out rows (or a fresh set) with every cell given a valid value."""
    spec = kind.spec
    if not laid:
        laid = [{"standard": str(n)} for n in range(1, 11)] if kind is Kind.MAT else [{}]
    rows = []
    for row in laid:
        filled: dict[str, Any] = {}
        for column in spec.columns:
            given = row.get(column.name)
            if given and column.type is ColumnType.STANDARD:
                filled[column.name] = int(given)
            else:
                filled[column.name] = given or _value(column, lists)
        rows.append(filled)
    if kind is Kind.OST:
        for row in rows:
            row["total"] = 35  # five medication columns of 7
    if kind is Kind.EPISODES:
        rows[0]["treatment_start_date"] = dt.date(2024, 5, 9)
    return rows


def _xlsx(tmp_path: Path, kind: Kind, laid_out: bool = True) -> tuple[Path, Any]:
    adp, period = OPTIONS[kind] if laid_out else (None, None)
    path = write_template(
        kind, tmp_path / f"{kind.value}.xlsx", "xlsx", adp, period, today=TODAY, replace=True
    )
    return path, openpyxl.load_workbook(path)


def _lists(book: Any) -> dict[str, tuple[str, ...]]:
    sheet = book["lists"]
    found: dict[str, tuple[str, ...]] = {}
    for column in sheet.iter_cols(values_only=True):
        found[str(column[0])] = tuple(str(v) for v in column[1:] if v is not None)
    return found


@pytest.mark.parametrize("kind", list(Kind), ids=str)
@pytest.mark.parametrize("laid_out", [True, False], ids=["laid-out", "blank"])
def test_filled_workbook_validates_with_no_findings(
    tmp_path: Path, kind: Kind, laid_out: bool
) -> None:
    """Every kind's workbook, filled in Excel with valid values, validates with no findings."""
    path, book = _xlsx(tmp_path, kind, laid_out)
    sheet = book[kind.value]
    header = [c.value for c in sheet[1]]
    assert header == list(kind.spec.names)
    laid = [
        {h: "" if v is None else str(v) for h, v in zip(header, r, strict=True)}
        for r in sheet.iter_rows(min_row=2, values_only=True)
        if any(v is not None for v in r)
    ]
    assert bool(laid) == (laid_out and kind is not Kind.EPISODES)
    for r, row in enumerate(_filled(kind, laid, _lists(book)), start=2):
        for c, name in enumerate(header, start=1):
            sheet.cell(r, c).value = row[name]
    book.save(path)
    report = validate(path, today=TODAY)
    assert report.findings == ()


@pytest.mark.parametrize("kind", list(Kind), ids=str)
def test_filled_csv_validates_with_no_findings(tmp_path: Path, kind: Kind) -> None:
    """Every kind's CSV template, filled with valid values, validates with no findings."""
    adp, period = OPTIONS[kind]
    path = write_template(kind, tmp_path / f"{kind.value}.csv", "csv", adp, period, today=TODAY)
    with path.open() as stream:
        laid = list(csv.DictReader(stream))
    lists = plan_template(kind, adp, period, TODAY).lists
    rows = _filled(kind, laid, lists)
    with path.open("w", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(kind.spec.names))
        writer.writeheader()
        writer.writerows(rows)
    assert validate(path, today=TODAY).findings == ()


def test_layout_of_rows() -> None:
    """The pre-filled rows follow the key: one per funding source, supply×kit, or standard."""
    assert len(template_rows("rehab", "fife", "2024/25 Q1")) == 7
    assert len(template_rows("naloxone", "fife", "2024/25 Q1")) == 12
    mat = template_rows("mat", "fife", "2024/25")
    assert [r["standard"] for r in mat] == [str(n) for n in range(1, 11)]
    assert {r["year"] for r in mat} == {"2024/25"}
    assert template_rows("deaths", "fife", "2023") == [
        {"adp": "Fife", "calendar_year": "2023", "drug_misuse_deaths": ""}
    ]
    assert {r["adp"] for r in template_rows("rehab", None, "2024/25 Q1")} == {""}
    assert template_rows("ost") == []


def _excel_value(typed: str) -> float | str:
    """What Excel (UK settings) makes of typed text: a number, a date's serial, or text."""
    text = typed.strip()
    if re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?|-?\d+(\.\d+)?", text):
        return float(text.replace(",", ""))
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return float((dt.datetime.strptime(text, pattern).date() - EXCEL_EPOCH).days)
        except ValueError:
            continue
    return text


def _formula(text: str | None) -> float:
    value = str(text).lstrip("=")
    if value == "TODAY()":
        return float((TODAY - EXCEL_EPOCH).days)
    if value == "YEAR(TODAY())":
        return float(TODAY.year)
    if value == "YEAR(TODAY())-1":  # the last year over: a year still running is refused
        return float(TODAY.year - 1)
    return float(value)


def _compare(value: float, operator: str | None, low: float, high: float | None) -> bool:
    checks = {
        "greaterThanOrEqual": value >= low,
        "lessThanOrEqual": value <= low,
        "between": high is not None and low <= value <= high,
    }
    return checks[operator or "between"]


def _excel_accepts(rule: Any, typed: str, lists: Any) -> bool:
    """Whether Excel's data validation `rule` lets `typed` into its cell."""
    value = _excel_value(typed)
    if rule.type == "list":
        letters = re.fullmatch(r"lists!\$([A-Z]+)\$2:\$[A-Z]+\$(\d+)", rule.formula1)
        assert letters is not None, rule.formula1
        items = [c.value for c in lists[letters.group(1)][1 : int(letters.group(2))]]
        return any(
            (isinstance(i, int | float) and value == i)
            or (isinstance(i, str) and str(value).lower() == i.lower())
            for i in items
        )
    if rule.type == "textLength":
        return _compare(
            float(len(typed)),
            rule.operator,
            _formula(rule.formula1),
            _formula(rule.formula2) if rule.formula2 else None,
        )
    if not isinstance(value, float):
        return False
    if rule.type == "whole" and value != int(value):
        return False
    high = _formula(rule.formula2) if rule.formula2 else None
    return _compare(value, rule.operator, _formula(rule.formula1), high)


def _rules(sheet: Any) -> dict[str, Any]:
    """Each column's data validation, by header name (the one covering row 2 onwards' start)."""
    header = {c.column_letter: c.value for c in sheet[1]}
    found: dict[str, Any] = {}
    for rule in sheet.data_validations.dataValidation:
        first = str(rule.sqref).split(":")[0]
        letter = re.match(r"[A-Z]+", first)
        assert letter is not None
        found.setdefault(header[letter.group()], rule)
    return found


def _covered(sheet: Any, name: str) -> list[int]:
    """The rows that the data validations of the column headed `name` cover, in order."""
    letter = next(c.column_letter for c in sheet[1] if c.value == name)
    rows: list[int] = []
    for rule in sheet.data_validations.dataValidation:
        for cells in str(rule.sqref).split():
            first, _, last = cells.partition(":")
            if re.sub(r"\d+", "", first) == letter:
                rows += range(int(first[len(letter) :]), int((last or first)[len(letter) :]) + 1)
    return sorted(rows)


@pytest.mark.parametrize("kind", list(Kind), ids=str)
def test_excel_refuses_the_common_mistakes(tmp_path: Path, kind: Kind) -> None:
    """Each column has a stop rule that refuses the common mistakes and lets valid values in."""
    _, book = _xlsx(tmp_path, kind)
    sheet, lists = book[kind.value], book["lists"]
    rules = _rules(sheet)
    assert set(rules) == set(kind.spec.names)
    valid = _filled(kind, [], _lists(book))[0]
    for column in kind.spec.columns:
        rule = rules[column.name]
        assert rule.showErrorMessage and rule.errorStyle in (None, "stop"), column.name
        assert rule.allow_blank
        covered = _covered(sheet, column.name)
        assert covered[0] == 2 and covered[-1] >= 501 and covered == list(range(2, covered[-1] + 1))
        shown = valid[column.name]
        typed = shown.strftime("%d/%m/%Y") if isinstance(shown, dt.date) else str(shown)
        assert _excel_accepts(rule, typed, lists), (column.name, typed)
        mistakes = MISTAKES.get(column.type, [])
        if column.type is ColumnType.TEXT:
            mistakes = ["x" * ((column.max_length or 0) + 1)]
        for mistake in mistakes:
            assert not _excel_accepts(rule, mistake, lists), (column.name, mistake)


@pytest.mark.parametrize("kind", list(Kind), ids=str)
def test_every_drop_down_offers_only_what_the_contract_accepts(tmp_path: Path, kind: Kind) -> None:
    """Every value of every drop-down is one the contract reads, written as it writes it."""
    _, book = _xlsx(tmp_path, kind, laid_out=False)
    offered = _lists(book)
    assert offered
    for name, values in offered.items():
        column = kind.spec.column(name)
        assert values, name
        for value in values:
            if column.type is ColumnType.ADP:
                assert resolve_adp(value).name == value
            elif column.type is ColumnType.PERIOD:
                assert str(Quarter.parse(value)) == value
                assert Quarter.parse(value).start_date <= TODAY
            elif column.type is ColumnType.YEAR:
                assert str(FinancialYear.parse(value)) == value
            elif column.type is ColumnType.STANDARD:
                assert 1 <= int(value) <= 10
            else:
                assert value in column.choices


def test_periods_offered_surround_the_one_asked_for() -> None:
    """The quarter list runs four quarters either side of the one asked for; MAT years two.
    Without one, it ends at the latest quarter ended: one still running is not offered."""
    ost = plan_template(Kind.OST, "Fife", "2024/25 Q1", TODAY).lists["period"]
    assert ost[0] == "2023/24 Q1" and ost[4] == "2024/25 Q1" and ost[-1] == "2025/26 Q1"
    ahead = plan_template(Kind.OST, "Fife", "2026/27 Q2", TODAY).lists["period"]
    assert ahead[-1] == "2026/27 Q2"  # the quarters after it have not ended: not offered
    blank = plan_template(Kind.OST, today=TODAY).lists["period"]
    assert blank[-2] == "2026/27 Q1" and blank[-1] == "2026/27 Q2" and len(blank) == 9
    assert plan_template(Kind.MAT, "Fife", "2024/25", TODAY).lists["year"] == (
        "2022/23",
        "2023/24",
        "2024/25",
        "2025/26",
        "2026/27",
    )


def test_workbook_is_laid_out_for_officers(tmp_path: Path) -> None:
    """The data sheet comes first with a frozen header and widths that fit; text stays text."""
    _, book = _xlsx(tmp_path, Kind.OST)
    assert book.sheetnames == ["ost", "instructions", "lists"]
    assert book.active.title == "ost"
    assert book["lists"].sheet_state == "hidden"
    sheet = book["ost"]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width >= len("Clackmannanshire and Stirling") + 1
    assert sheet["A2"].value == "Clackmannanshire and Stirling"
    assert sheet["B2"].value == "2024/25 Q1"
    assert sheet["A2"].number_format == "@"
    formats = [r.rules[0].formula[0] for r in sheet.conditional_formatting]
    assert any("SUM($C2:$G2)" in f for f in formats)
    _, episodes = _xlsx(tmp_path, Kind.EPISODES)
    columns = episodes["episodes"].column_dimensions
    assert columns["B"].number_format == "@"  # an id `00123` keeps its zeros
    assert columns["C"].number_format == "yyyy-mm-dd"


def test_input_messages_carry_the_rule_within_excels_limits(tmp_path: Path) -> None:
    """Each column's input message states its rule, within Excel's 32/255-character limits."""
    for kind in Kind:
        _, book = _xlsx(tmp_path, kind)
        for rule in book[kind.value].data_validations.dataValidation:
            assert rule.showInputMessage
            assert 0 < len(rule.promptTitle) <= 32 and 0 < len(rule.prompt) <= 255
            assert 0 < len(rule.errorTitle) <= 32 and 0 < len(rule.error) <= 255
    rules = _rules(_xlsx(tmp_path, Kind.OST)[1]["ost"])
    assert "0 for none" in rules["methadone"].prompt
    assert "Must equal the sum of the medication columns." in rules["total"].prompt
    assert rules["other"].prompt.endswith("Blank means 0.")


def test_mat_standards_are_numbers_with_their_names_beside_them(tmp_path: Path) -> None:
    """MAT standards are numbers; each laid-out cell shows its standard's name when selected,
    and a read-only standards sheet lists them all."""
    _, book = _xlsx(tmp_path, Kind.MAT)
    assert book.sheetnames == ["mat", "instructions", "standards", "lists"]
    sheet = book["mat"]
    assert [sheet.cell(r, 3).value for r in range(2, 12)] == list(range(1, 11))
    prompts = {str(r.sqref): r.prompt for r in sheet.data_validations.dataValidation}
    assert prompts["C4"].startswith("MAT 3: Assertive outreach and anticipatory care.")
    assert "10 Trauma informed care" in prompts["C12:C511"]
    standards = book["standards"]
    assert standards.protection.sheet
    assert [standards.cell(r, 2).value for r in (2, 11)] == [
        "Same day access",
        "Trauma informed care",
    ]
    assert any('"green"' in r.rules[0].formula[0] for r in sheet.conditional_formatting)


@pytest.mark.parametrize("kind", list(Kind), ids=str)
def test_instructions_read_well(tmp_path: Path, kind: Kind) -> None:
    """The instructions name the key, repeat no sentence, and never say "a adp"."""
    _, book = _xlsx(tmp_path, kind)
    sheet = book["instructions"]
    text = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v]
    prose = [str(c.value) for c in sheet["A"] if c.value and str(c.value).endswith(".")]
    sentences = [s.strip() for cell in prose for s in re.split(r"(?<=[.!?])\s+", cell)]
    assert len(sentences) >= 6
    assert len(sentences) == len(set(sentences))
    assert not [t for t in text if re.search(r"\ba [aeiou]", t, re.IGNORECASE)]
    assert any(f"one row for each {w}" in t for t in text for w in ("ADP",))
    assert any("mission validate" in t for t in text)


@pytest.mark.parametrize(
    ("kind", "period", "said"),
    [
        ("episodes", "2024/25 Q1", "episodes returns have no period column"),
        ("deaths", "2024/25 Q1", "give --period 2024"),
        ("mat", "2024/25 Q3", "give --period 2024/25"),
        ("ost", "2024/25", "give --period 2024/25 Q1 (or Q2, Q3, Q4)"),
        ("ost", "Q1 24/25", "did you mean --period 2024/25 Q1?"),
    ],
)
def test_a_period_the_kind_cannot_take_is_refused_clearly(
    cli, tmp_path: Path, kind: str, period: str, said: str
) -> None:  # type: ignore[no-untyped-def]
    """A period of the wrong type, or for a kind without one, stops with exit 2 and says why."""
    out = tmp_path / "out.xlsx"
    result = cli("template", kind, "--period", period, "--format", "xlsx", "-o", out)
    assert result.exit_code == 2
    assert said in " ".join(result.stderr.split())
    assert not out.exists()


def test_template_options_in_the_library() -> None:
    """The library raises the same refusals as values: InvalidTemplate and InvalidPeriod."""
    with pytest.raises(InvalidTemplate):
        plan_template("episodes", period="2024/25 Q1")
    with pytest.raises(InvalidPeriod):
        plan_template("deaths", "Fife", "2024/25 Q1")


def test_record_level_adp_narrows_the_list_and_csv_says_it_cannot(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Episodes with --adp: the workbook's ADP list offers only it; a CSV has no rows, so no."""
    result = cli(
        "template", "episodes", "--adp", "Fife", "--format", "xlsx", "-o", tmp_path / "e.xlsx"
    )
    assert result.exit_code == 0
    assert _lists(openpyxl.load_workbook(tmp_path / "e.xlsx"))["adp"] == ("Fife",)
    result = cli("template", "episodes", "--adp", "Fife", "-o", tmp_path / "e.csv")
    assert result.exit_code == 2
    assert "no rows" in " ".join(result.stderr.split())


def test_the_output_name_says_the_format(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`-o mat.xlsx` without --format writes a workbook (it wrote CSV text into `mat.xlsx`, which
    validate then refused); a name that says the other format than --format is refused, and
    nothing is written; a name that says neither takes --format's default, CSV."""
    result = cli(
        "template", "mat", "--adp", "Fife", "--period", "2024/25", "-o", tmp_path / "m.XLSX"
    )
    assert result.exit_code == 0
    assert (tmp_path / "m.XLSX").read_bytes()[:2] == b"PK"
    result = cli("template", "mat", "-f", "xlsx", "-o", tmp_path / "mat.csv")
    assert result.exit_code == 2
    assert "its name says csv, but --format is xlsx" in " ".join(result.stderr.split())
    assert not (tmp_path / "mat.csv").exists()
    result = cli("template", "ost", "-o", tmp_path / "ost.txt")
    assert result.exit_code == 0
    assert (tmp_path / "ost.txt").read_text().startswith("adp,period,")


def test_deaths_take_a_calendar_year(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`template deaths --period 2023` fills in the calendar year."""
    out = tmp_path / "deaths.csv"
    result = cli("template", "deaths", "--adp", "Orkney", "--period", "2023", "-o", out)
    assert result.exit_code == 0
    assert out.read_text().splitlines() == ["adp,calendar_year,drug_misuse_deaths", "Orkney,2023,"]


@pytest.mark.parametrize("kind", [k.name for k in kinds()])
def test_blank_templates_have_the_contract_header(tmp_path: Path, kind: str) -> None:
    """A blank template's header is the contract's column list, in order."""
    path = write_template(kind, tmp_path / f"{kind}.csv")
    from mission.kinds import kind_spec

    assert path.read_text().splitlines()[0] == ",".join(kind_spec(kind).names)


def test_the_library_leaves_a_file_already_there_unless_told_to_replace(tmp_path: Path) -> None:
    """`write_template` over an officer's filled-in return leaves it as it is, as the CLI does;
    `replace=True` writes over it."""
    mine = tmp_path / "ost.csv"
    mine.write_text("my return\n")
    with pytest.raises(FileExistsError) as refused:
        write_template("ost", mine)
    assert isinstance(refused.value, MissionError)
    assert "replace=True to write over it" in str(refused.value)
    assert mine.read_text() == "my return\n"
    write_template("ost", mine, replace=True)
    assert mine.read_text().startswith("adp,period,")


def test_a_deaths_template_for_a_year_still_running_is_refused() -> None:
    """Found by an attack: the template for this year's deaths was written, and validation then
    refused what it made (a year not ended). A population estimate for this year is a year's
    own figure: its template is still written."""
    import datetime as dt

    from mission.periods import InvalidPeriod
    from mission.templates import plan_template

    today = dt.date(2026, 11, 27)
    with pytest.raises(
        InvalidPeriod, match="has not ended: a deaths return is for 2025 or earlier"
    ):
        plan_template("deaths", period="2026", today=today)
    assert plan_template("deaths", period="2025", today=today).rows
    assert plan_template("population", period="2026", today=today).period is not None


@pytest.mark.parametrize("kind", [Kind.DEATHS, Kind.POPULATION], ids=str)
def test_excel_takes_the_calendar_years_validation_takes(tmp_path: Path, kind: Kind) -> None:
    """Found last session: the population template refused this year (its cell's rule was the
    deaths one, last year at the latest), which validation takes, and told a population year as
    a year of registration. Each kind's Excel rule now takes this year exactly when validation
    does, and says what the year is of."""
    _, book = _xlsx(tmp_path, kind, laid_out=False)
    rule = _rules(book[kind.value])["calendar_year"]
    header = ",".join(kind.spec.names)
    for year, in_excel in ((TODAY.year - 1, True), (TODAY.year, kind is Kind.POPULATION)):
        assert _excel_accepts(rule, str(year), book["lists"]) is in_excel, year
        rows = {"adp": "Fife", "calendar_year": str(year)}
        line = ",".join(
            rows.get(name, "1000") if name != "source" else "" for name in kind.spec.names
        )
        path = tmp_path / f"{kind.value}-{year}.csv"
        path.write_text(f"{header}\n{line}\n")
        assert validate(path, today=TODAY).valid is in_excel, year
    meaning = kind.spec.column("calendar_year").description
    assert meaning and meaning in rule.error and meaning[1:] in rule.prompt
