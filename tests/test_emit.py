"""`CellContext.emit` words a finding once per distinct bad cell (a value in a thousand rows
costs one wording), so nothing a finding says may depend on what that key leaves out."""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from mission.columns import ROW
from mission.findings import FindingSink
from mission.kinds import Kind, kind_spec
from mission.parsing import CellContext
from mission.parsing.context import Also

_EPISODES = kind_spec(Kind.EPISODES)


def _context() -> CellContext:
    return CellContext(
        file="episodes.csv",
        today=dt.date(2026, 1, 1),
        sink=FindingSink("episodes.csv", 1000),
        letters={"adp": "A", "person_id": "B", "referral_date": "C"},
        record_level=True,
    )


def test_a_cell_mentioned_by_place_is_placed_at_each_rows_own_row() -> None:
    """The same bad value in three rows, each quoting a person's id cell of its own row: each
    finding points at its own row's cell (B2, B3, B4), never at the first row's."""
    ctx = _context()
    bad = pl.DataFrame(
        {
            ROW: [2, 3, 4],
            "value": ["Fyfe", "Fyfe", "Fyfe"],
            "message": ["'Fyfe' sent with P-7F3A91C2"] * 3,
            "other": ["P-7F3A91C2"] * 3,
        }
    )
    ctx.emit(
        "unknown-adp",
        bad,
        _EPISODES.column("adp"),
        also=[Also("other", _EPISODES.column("person_id"), None, "with {}")],
    )
    messages = [f.message for f in ctx.sink.findings()]
    assert [m.endswith(f"with B{row}") for m, row in zip(messages, (2, 3, 4), strict=True)] == [
        True
    ] * 3, messages
    assert not any("P-7F3A91C2" in m for m in messages)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Fife", "Fyfe", "P-7F3A91C2", "2024-13-01", None]),
            st.sampled_from(["said {}", "no such ADP", None]),
            st.sampled_from(["C2", "C9", None]),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_each_finding_is_what_its_row_alone_would_give(
    rows: list[tuple[str | None, str | None, str | None]],
) -> None:
    """Emitting many rows at once gives, row by row, the finding that row gets when it is
    emitted alone: the shared wording never carries one row's words to another."""
    frame = pl.DataFrame(
        {
            ROW: list(range(2, len(rows) + 2)),
            "value": [v for v, _, _ in rows],
            "message": [None if m is None else m.format(v) for v, m, _ in rows],
            "first": [c for _, _, c in rows],
        },
        schema={ROW: pl.Int64, "value": pl.String, "message": pl.String, "first": pl.String},
    )
    also = [Also("first", _EPISODES.column("referral_date"), None, "the date in {}")]
    together = _context()
    together.emit("unknown-adp", frame, _EPISODES.column("adp"), also=also)
    for index, found in enumerate(together.sink.findings()):
        alone = _context()
        alone.emit("unknown-adp", frame.slice(index, 1), _EPISODES.column("adp"), also=also)
        assert list(alone.sink.findings()) == [found]
