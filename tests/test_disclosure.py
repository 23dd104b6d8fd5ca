"""Disclosure control: the table model, the suppression pattern and the audit that checks it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from mission.disclosure import (
    SUPPRESSED,
    CellKey,
    CountTable,
    Figure,
    Pattern,
    apportioned,
    audit,
    interval,
    of_the_way,
    percent,
    publish,
    rate,
    suppress_group,
    suppression_pattern,
    total,
)
from mission.disclosure.audit import Knowledge, Witnesses, is_protected, sensitive_items
from mission.disclosure.linear import all_bounds

# --- the table model -------------------------------------------------------------------------


def test_table_from_mapping_keeps_order_and_margins() -> None:
    """Rows and columns keep first-seen order; margins become named totals; None is no figure."""
    table = CountTable.from_mapping(
        {("A", "p1"): 3, ("A", "p2"): None, ("B", "p1"): 10, ("B", "p2"): 7},
        row_totals=True,
        column_totals=True,
        grand_total=True,
    )
    assert table.rows == ("A", "B") and table.columns == ("p1", "p2")
    assert table.value("A", "p2") is None
    values = {f.name: f.value(table.counts_by_cell) for f in table.published_figures}
    assert values == {
        "total of row A": 3,
        "total of row B": 17,
        "total of column p1": 13,
        "total of column p2": 7,
        "grand total": 20,
    }


@pytest.mark.parametrize(
    ("counts", "figures", "message"),
    [
        ({("A", "p"): -1}, (), "negative"),
        ({("A", "p"): 1}, (total("t", [("B", "p")]),), "no count"),
        ({("A", "p"): 1}, (total("t", [("A", "p")]), total("t", [("A", "p")])), "unique"),
    ],
    ids=["negative-count", "unknown-cell", "duplicate-name"],
)
def test_table_rejects_bad_input(
    counts: dict[CellKey, int], figures: tuple[Figure, ...], message: str
) -> None:
    """A negative count, a figure reading a missing cell, or a repeated name is refused."""
    with pytest.raises(ValidationError, match=message):
        CountTable.from_mapping(counts, figures=figures)


def test_figure_kinds_are_checked() -> None:
    """A total is a plain exact sum; a derived figure must name the cells it describes."""
    with pytest.raises(ValidationError, match="plain sum"):
        Figure(name="t", kind="total", numerator=((("A", "p"), 2.0),))
    with pytest.raises(ValidationError, match="names the cells"):
        Figure(name="d", kind="derived", numerator=((("A", "p"), 1.0),))


def test_derived_figure_values() -> None:
    """Percent, rate, apportioned target and percent of the way print what the report prints."""
    counts = {("Moray", "2021/22"): 4, ("Rest", "2021/22"): 507, ("Moray", "2023/24"): 9}
    basis = [("Moray", "2021/22"), ("Rest", "2021/22")]
    assert apportioned("t", ("Moray", "2021/22"), basis, 1000).value(counts) == 8
    assert percent("p", ("Moray", "2021/22"), basis).value(counts) == 0.8
    assert rate("r", [("Moray", "2023/24")], 95_000).value(counts) == 9.5
    way = of_the_way("w", ("Moray", "2023/24"), ("Moray", "2021/22"), factor=1000 / 511)
    assert way.value(counts) == 131
    assert of_the_way("w", ("Moray", "2023/24"), ("Moray", "2021/22"), target=14).value(
        counts
    ) == pytest.approx(50)
    assert interval("i", [("Moray", "2021/22")]).value(counts) is None


# --- primary suppression ---------------------------------------------------------------------


def test_primary_hides_one_to_four_and_shows_zero() -> None:
    """With nothing else printed, exactly the counts 1–4 are hidden; 0 and 5 are shown."""
    table = CountTable.from_mapping({("A", "p"): 0, ("B", "p"): 1, ("C", "p"): 4, ("D", "p"): 5})
    pattern = suppression_pattern(table)
    assert pattern.hidden == pattern.primary == {("B", "p"), ("C", "p")}
    assert publish(table, pattern).cells == ((0,), (SUPPRESSED,), (SUPPRESSED,), (5,))
    assert audit(table, pattern).ok


def test_audit_flags_a_printed_small_count() -> None:
    """A count of 1–4 printed as it is (cell or total) fails the audit."""
    table = CountTable.from_mapping({("A", "p"): 3, ("B", "p"): 0}, column_totals=True)
    result = audit(table, Pattern())
    assert not result.ok
    assert result.exposed == ("A × p", "total of column p")


def test_secondary_prefers_the_small_cell() -> None:
    """A lone hidden cell takes the smallest cell that protects it, not a large one."""
    table = CountTable.from_mapping(
        {("A", "p"): 3, ("B", "p"): 5, ("C", "p"): 100}, column_totals=True
    )
    pattern = suppression_pattern(table)
    assert pattern.hidden == {("A", "p"), ("B", "p")}
    assert pattern.hidden_figures == frozenset()
    ranges = {r.cell: (r.low, r.high) for r in audit(table, pattern).ranges}
    assert ranges == {("A", "p"): (0, 8), ("B", "p"): (0, 8)}


def test_a_small_pair_is_widened_by_a_third_cell() -> None:
    """Two hidden cells that sum to less than 5 take a third cell with them."""
    table = CountTable.from_mapping(
        {("A", "p"): 3, ("B", "p"): 1, ("C", "p"): 40, ("D", "p"): 6}, column_totals=True
    )
    pattern = suppression_pattern(table)
    assert pattern.hidden == {("A", "p"), ("B", "p"), ("D", "p")}
    assert audit(table, pattern).ok


def test_no_total_is_hidden_when_cells_suffice() -> None:
    """In a table whose totals are all 5 or more, only cells are hidden."""
    counts = {
        ("A", "p1"): 3, ("A", "p2"): 12, ("A", "p3"): 40,
        ("B", "p1"): 25, ("B", "p2"): 2, ("B", "p3"): 31,
        ("C", "p1"): 18, ("C", "p2"): 22, ("C", "p3"): 4,
    }  # fmt: skip
    table = CountTable.from_mapping(counts, row_totals=True, column_totals=True, grand_total=True)
    pattern = suppression_pattern(table)
    assert pattern.hidden_figures == frozenset()
    assert pattern.primary == {("A", "p1"), ("B", "p2"), ("C", "p3")}
    assert audit(table, pattern).ok


def test_a_total_is_hidden_only_when_nothing_else_protects() -> None:
    """One row [3, 7] with every margin: any way to protect the 3 costs one more total."""
    table = CountTable.from_mapping(
        {("A", "p1"): 3, ("A", "p2"): 7}, row_totals=True, column_totals=True
    )
    pattern = suppression_pattern(table)
    # The column total of 3 is a small count; the row total is the one other figure to go
    # (hiding the 7 instead would also cost its column total, a second one).
    assert pattern.hidden_figures == {"total of column p1", "total of row A"}
    assert pattern.hidden == {("A", "p1")}
    assert pattern.shows("total of column p2")
    assert audit(table, pattern).ok


def test_pattern_is_deterministic() -> None:
    """The same table gives the same pattern every time."""
    counts = {(f"r{i}", f"c{j}"): (i * 7 + j * 3) % 9 for i in range(5) for j in range(4)}
    table = CountTable.from_mapping(counts, row_totals=True, column_totals=True)
    assert len({suppression_pattern(table) for _ in range(3)}) == 1


# --- tables that beat naive secondary suppression --------------------------------------------


def _naive(table: CountTable, by: str) -> Pattern:
    """The old rule: one group at a time (each column, or each row), one secondary per group."""
    hidden: set[CellKey] = set()
    if by == "column":
        for column in table.columns:
            group = {row: table.value(row, column) for row in table.rows}
            hidden |= {(row, column) for row in suppress_group(group)}
    else:
        for row in table.rows:
            group = {column: table.value(row, column) for column in table.columns}
            hidden |= {(row, column) for column in suppress_group(group)}
    return Pattern(hidden=frozenset(hidden))


CROSSED = {
    ("A", "p1"): 3, ("A", "p2"): 10, ("A", "p3"): 14,
    ("B", "p1"): 6, ("B", "p2"): 20, ("B", "p3"): 9,
    ("C", "p1"): 30, ("C", "p2"): 40, ("C", "p3"): 50,
}  # fmt: skip


@pytest.mark.parametrize("by", ["column", "row"])
def test_naive_pair_is_recovered_through_the_other_margin(by: str) -> None:
    """A hidden pair in one column (row) is recovered through the row (column) totals."""
    counts = CROSSED if by == "column" else {(c, r): v for (r, c), v in CROSSED.items()}
    table = CountTable.from_mapping(counts, row_totals=True, column_totals=True)
    naive = _naive(table, by)
    assert len(naive.hidden) == 2
    leaks = {r.cell: (r.low, r.high) for r in audit(table, naive).leaks}
    small = ("A", "p1") if by == "column" else ("p1", "A")
    assert leaks[small] == (3, 3)
    pattern = suppression_pattern(table)
    assert audit(table, pattern).ok
    assert pattern.hidden_figures == frozenset()


# --- the three leaks of issue 13 -------------------------------------------------------------

WITHIN, OVER = "within 3 weeks", "over 3 weeks"


def _waiting_times() -> CountTable:
    waits = {"Moray": (4, 1), "Outer Hebrides": (1, 0), "Aberdeen City": (120, 15),
             "Highland": (80, 9)}  # fmt: skip
    counts = {
        (adp, col): n
        for adp, pair in waits.items()
        for col, n in zip((WITHIN, OVER), pair, strict=True)
    }
    figures = []
    for adp in waits:
        both = [(adp, WITHIN), (adp, OVER)]
        figures += [percent(f"percent {adp}", (adp, WITHIN), both), interval(f"chart {adp}", both)]
    return CountTable.from_mapping(counts, row_totals=True, column_totals=True, figures=figures)


def test_leak_chart_interval_pins_a_hidden_cell() -> None:
    """The waiting-times chart drew Moray's interval (4 of 5) beside a table that hid it."""
    table = _waiting_times()
    pattern = suppression_pattern(table)
    assert audit(table, pattern).ok
    assert not pattern.shows("chart Moray") and not pattern.shows("chart Outer Hebrides")
    assert not pattern.shows("percent Moray")
    assert pattern.shows("chart Aberdeen City") or ("Aberdeen City", WITHIN) in pattern.hidden
    naive = pattern.revealing(figures=["chart Moray", "chart Outer Hebrides"])
    leaks = {r.item: (r.low, r.high) for r in audit(table, naive).leaks}
    assert leaks["Moray × within 3 weeks"] == (4, 4)
    assert leaks["Outer Hebrides × within 3 weeks"] == (1, 1)


def _rehab(with_latest: bool) -> CountTable:
    base = {"Moray": 4, "Highland": 40, "Glasgow City": 200, "Fife": 267}  # Scotland: 511
    counts: dict[CellKey, int] = {(adp, "2021/22"): n for adp, n in base.items()}
    basis = list(counts)
    figures = [apportioned(f"target {adp}", (adp, "2021/22"), basis, 1000) for adp in base]
    if with_latest:
        counts |= {("Moray", "2023/24"): 9, ("Highland", "2023/24"): 70,
                   ("Glasgow City", "2023/24"): 380, ("Fife", "2023/24"): 481}  # fmt: skip
        figures += [
            of_the_way(f"of the way {adp}", (adp, "2023/24"), (adp, "2021/22"), factor=1000 / 511)
            for adp in base
        ]
    return CountTable.from_mapping(counts, column_totals=True, figures=figures)


def test_leak_apportioned_target_gives_the_count_away() -> None:
    """A target of 8 beside a published total of 511 means the hidden 2021/22 count was 4."""
    table = _rehab(with_latest=False)
    assert publish(table, Pattern()).figures["target Moray"] == 8
    assert publish(table, Pattern()).figures["total of column 2021/22"] == 511
    pattern = suppression_pattern(table)
    assert audit(table, pattern).ok
    assert not pattern.shows("target Moray")
    leaks = {
        r.item: (r.low, r.high)
        for r in audit(table, pattern.revealing(figures=["target Moray"])).leaks
    }
    assert leaks["Moray × 2021/22"] == (4, 4)


def test_leak_percent_of_the_way_gives_the_baseline_away() -> None:
    """Moray's "percent of the way" (131%) with its 2023/24 count pins its hidden baseline too."""
    table = _rehab(with_latest=True)
    pattern = suppression_pattern(table)
    assert audit(table, pattern).ok
    assert not pattern.shows("of the way Moray")
    naive = pattern.revealing(figures=["of the way Moray"])
    assert ("Moray", "2023/24") not in naive.hidden
    leaks = {r.item: (r.low, r.high) for r in audit(table, naive).leaks}
    assert leaks["Moray × 2021/22"] == (4, 4)


def test_leak_single_adp_view_prints_the_secondary_cell() -> None:
    """A single-ADP view that decides its own pattern prints the national secondary cell."""
    counts = {
        ("Orkney", "2022"): 3, ("Orkney", "2023"): 6,
        ("Shetland", "2022"): 7, ("Shetland", "2023"): 5,
        ("Fife", "2022"): 60, ("Fife", "2023"): 58,
        ("Angus", "2022"): 12, ("Angus", "2023"): 15,
    }  # fmt: skip
    national = CountTable.from_mapping(counts, column_totals=True)
    pattern = suppression_pattern(national)
    assert audit(national, pattern).ok
    (adp, _), *_ = pattern.hidden - pattern.primary
    own = {key: value for key, value in counts.items() if key[0] == adp}
    single = CountTable.from_mapping(own)
    naive = pattern.revealing(suppression_pattern(single).shown_cells(single))
    leaks = {r.item: (r.low, r.high) for r in audit(national, naive).leaks}
    assert leaks["Orkney × 2022"] == (3, 3)
    # Printed through the national pattern, the single-ADP view adds nothing.
    assert audit(national, pattern.revealing(pattern.shown_cells(single))).ok


# --- derived figures -------------------------------------------------------------------------


def test_derived_figures_follow_their_cell() -> None:
    """A rate of a hidden count is hidden, even one too coarse to pin it; others are printed."""
    counts = {("Orkney", "2023"): 2, ("Fife", "2023"): 60, ("Angus", "2023"): 9}
    figures = [rate(f"rate {adp}", [(adp, "2023")], 22_000) for adp, _ in counts]
    figures.append(rate("coarse Orkney", [("Orkney", "2023")], 10_000_000, decimals=0))
    table = CountTable.from_mapping(counts, column_totals=True, figures=figures)
    pattern = suppression_pattern(table)
    printed = publish(table, pattern).figures
    assert printed["rate Orkney"] == printed["coarse Orkney"] == SUPPRESSED
    assert printed["rate Fife"] == pytest.approx(272.7)
    assert audit(table, pattern).ok


def test_a_coarse_rate_that_does_not_pin_passes_the_audit() -> None:
    """A shown derived figure counts in the audit: coarse enough, it leaves the range wide."""
    counts = {("Orkney", "2023"): 2, ("Fife", "2023"): 60}
    coarse = rate("rate Orkney", [("Orkney", "2023")], 10_000_000, decimals=0)  # 0.02 → 0
    fine = rate("fine Orkney", [("Orkney", "2023")], 100_000, decimals=1)  # 2.0 → pins it
    table = CountTable.from_mapping(counts, figures=[coarse, fine])
    hide_cell = Pattern(
        hidden=frozenset({("Orkney", "2023")}), hidden_figures=frozenset({"fine Orkney"})
    )
    ranges = audit(table, hide_cell).ranges
    assert [(r.low, r.high) for r in ranges] == [(0, 50)]
    assert audit(table, hide_cell).ok
    assert not audit(table, hide_cell.revealing(figures=["fine Orkney"])).ok


# --- properties over random tables -----------------------------------------------------------

VALUES = st.one_of(st.just(0), st.integers(1, 4), st.integers(5, 40), st.integers(41, 400))


@st.composite
def tables(draw: st.DrawFn) -> CountTable:
    """Small tables with random margins, some missing cells, percentages, rates and subtotals."""
    rows = [f"r{i}" for i in range(draw(st.integers(1, 4)))]
    columns = [f"c{j}" for j in range(draw(st.integers(1, 4)))]
    counts: dict[CellKey, int | None] = {
        (r, c): draw(st.one_of(VALUES, VALUES, st.none())) for r in rows for c in columns
    }
    present = [cell for cell, value in counts.items() if value is not None]
    figures: list[Figure] = []
    for cell in (
        draw(st.lists(st.sampled_from(present), unique=True, max_size=3)) if present else []
    ):
        same_row = [k for k in present if k[0] == cell[0]]
        figures.append(percent(f"percent {cell}", cell, same_row, decimals=draw(st.integers(0, 2))))
        population = draw(st.integers(1_000, 2_000_000))
        figures.append(rate(f"rate {cell}", [cell], population, decimals=draw(st.integers(0, 2))))
    if len(present) > 1 and draw(st.booleans()):
        figures.append(
            total("subtotal", draw(st.lists(st.sampled_from(present), min_size=2, unique=True)))
        )
    return CountTable.from_mapping(
        counts,
        row_totals=draw(st.booleans()),
        column_totals=draw(st.booleans()),
        grand_total=draw(st.booleans()),
        figures=figures,
    )


@settings(max_examples=40)
@given(tables())
def test_pattern_always_passes_its_own_audit(table: CountTable) -> None:
    """Every pattern hides all counts of 1–4, and its audit finds nothing narrower than 5."""
    pattern = suppression_pattern(table)
    result = audit(table, pattern)
    assert result.ok, result.leaks
    small = {cell for cell, value in table.counts_by_cell.items() if 1 <= value <= 4}
    assert pattern.primary == small <= pattern.hidden


def _any_pattern(table: CountTable, data: st.DataObject) -> Pattern:
    """Any cells and figures of `table` hidden, drawn by hypothesis."""
    cells = list(table.counts_by_cell)
    names = [f.name for f in table.published_figures]
    return Pattern(
        hidden=frozenset(data.draw(st.lists(st.sampled_from(cells), unique=True)) if cells else []),
        hidden_figures=frozenset(
            data.draw(st.lists(st.sampled_from(names), unique=True)) if names else []
        ),
    )


@settings(max_examples=40)
@given(tables(), st.data())
def test_audit_ranges_contain_the_truth(table: CountTable, data: st.DataObject) -> None:
    """Whatever is hidden, each hidden count's range holds its true value."""
    pattern = _any_pattern(table, data)
    totals = {f.name: f.value(table.counts_by_cell) for f in table.published_figures}
    for r in audit(table, pattern).ranges:
        truth = table.counts_by_cell[r.cell] if r.cell else totals[r.item]
        assert truth is not None
        assert r.low <= truth and (r.high is None or truth <= r.high), r


@settings(max_examples=40)
@given(tables(), st.data())
def test_points_kept_from_a_pattern_that_hid_less_never_change_a_verdict(
    table: CountTable, data: st.DataObject
) -> None:
    """`suppression_pattern` keeps the LPs' points through its repairs (`Witnesses`), each of
    which hides more: whatever a pattern hid first, a count is judged protected, with the points
    kept, exactly when its own LP says so."""
    first = _any_pattern(table, data)
    more = _any_pattern(table, data)
    later = Pattern(
        hidden=first.hidden | more.hidden, hidden_figures=first.hidden_figures | more.hidden_figures
    )
    bounds = all_bounds(table)
    kept = Witnesses()
    earlier = Knowledge(table, first, bounds, kept)
    for item in sensitive_items(table, first):
        earlier.range_of(item.coefficients)
    knowing = Knowledge(table, later, bounds, kept)
    alone = Knowledge(table, later, bounds)
    for item in sensitive_items(table, later):
        truly = is_protected(*alone.range_of(item.coefficients), 5)
        assert knowing.protects(item.coefficients, 5) == truly, item


@settings(max_examples=30)
@given(tables())
def test_shown_cells_are_the_true_values(table: CountTable) -> None:
    """Printed through its pattern, a cell is its true count or `c`, and figures follow."""
    pattern = suppression_pattern(table)
    printed = publish(table, pattern)
    for (row, column), value in table.counts_by_cell.items():
        expected = SUPPRESSED if pattern.hides(row, column) else value
        assert printed.cell(row, column) == expected
    for figure in table.published_figures:
        if not pattern.shows(figure.name):
            assert printed.figures[figure.name] == SUPPRESSED
        else:
            assert printed.figures[figure.name] == figure.value(table.counts_by_cell)


def test_an_unbounded_range_is_reported_as_unbounded() -> None:
    """A range that HiGHS's presolve calls infeasible (it is unbounded) has no upper end."""
    row = [("r0", c) for c in ("c0", "c1", "c2", "c3")]
    table = CountTable.from_mapping(
        dict(zip(row, (0, 0, 1, 1), strict=True)),
        figures=[
            percent("percent c0", row[0], row, decimals=0),
            rate("rate c0", [row[0]], 1000, decimals=0),
            percent("percent c3", row[3], row, decimals=0),
        ],
    )
    pattern = Pattern(hidden=frozenset({row[0], row[1], row[3]}))
    ranges = {r.cell: (r.low, r.high) for r in audit(table, pattern).ranges}
    assert ranges == {row[0]: (0, 0), row[1]: (0, None), row[3]: (1, None)}


# --- the audit of a table as printed ---------------------------------------------------------


@settings(max_examples=40)
@given(tables(), st.data())
def test_printed_audit_agrees_with_the_audit(table: CountTable, data: st.DataObject) -> None:
    """Audited from what is printed alone (as `mission audit` does), every hidden count gets the
    same range as the audit with the true counts, whatever is hidden."""
    from mission.disclosure.printed import PrintedTable, audit_printed, printed_table

    pattern = _any_pattern(table, data)
    printed = printed_table("t", table, pattern)
    again = PrintedTable.model_validate_json(printed.model_dump_json())
    truth = {(r.item, r.low, r.high) for r in audit(table, pattern).ranges}
    assert {(r.item, r.low, r.high) for r in audit_printed(again).ranges} == truth
    assert audit_printed(again).exposed == audit(table, pattern).exposed


def test_a_printed_pattern_passes_and_its_leak_fails() -> None:
    """The apportioned-target leak, printed: through its pattern it passes; with the target
    printed it fails; merged with a view that prints it, it fails too."""
    from mission.disclosure.printed import audit_printed, printed_table

    table = _rehab(with_latest=False)
    pattern = suppression_pattern(table)
    safe = printed_table("rehab", table, pattern)
    assert audit_printed(safe).ok
    leak = printed_table("rehab", table, pattern.revealing(figures=["target Moray"]))
    assert not audit_printed(leak).ok
    only_target = printed_table(
        "rehab",
        table,
        pattern.revealing(figures=["target Moray"]),
        cells=[],
        figures=["target Moray"],
    )
    merged = safe.merged(only_target)
    leaks = {r.item: (r.low, r.high) for r in audit_printed(merged).leaks}
    assert leaks["Moray × 2021/22"] == (4, 4)
