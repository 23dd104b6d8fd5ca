"""The library takes what a caller would naturally hand it, and refuses anything else with a
`MissionError` that says what it takes: never an AttributeError from inside."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import mission

from .conftest import FIXTURES, VALID

DEMO = FIXTURES / "demo"


def test_progress_takes_a_date_an_instant_or_text_as_of() -> None:
    returns = mission.load_returns(DEMO)
    day = mission.progress(returns, as_of=dt.date(2026, 3, 31)).model_dump_json()
    assert mission.progress(returns, as_of="2026-03-31").model_dump_json() == day
    assert mission.progress(returns, as_of="31/03/2026").model_dump_json() == day
    # Noon on 1 April: the last day wholly ended is 31 March.
    noon = dt.datetime(2026, 4, 1, 12, tzinfo=dt.UTC)
    assert mission.progress(returns, as_of=noon).model_dump_json() == day
    with pytest.raises(mission.MissionError, match="is not a date"):
        mission.progress(returns, as_of="last Tuesday")
    with pytest.raises(mission.MissionError, match="is not a date"):
        mission.progress(returns, as_of=20260331)  # type: ignore[arg-type]


def test_store_export_takes_a_date_an_instant_or_text_as_of(tmp_path: Path) -> None:
    with mission.Store(tmp_path / "store.sqlite") as store:
        store.submit([VALID / "ost.csv"])
        now = store.export(mission.Kind.OST)
        tomorrow = dt.date.today() + dt.timedelta(days=1)
        assert store.export(mission.Kind.OST, as_of=tomorrow).equals(now)
        assert store.export(mission.Kind.OST, as_of=tomorrow.isoformat()).equals(now)
        # The end of a day before anything was submitted: nothing yet.
        assert store.export(mission.Kind.OST, as_of=dt.date(2020, 1, 1)).height == 0
        assert store.returns(as_of="2020-01-01").frames == {}
        with pytest.raises(mission.MissionError, match="is not a date"):
            store.export(mission.Kind.OST, as_of="soon")


def test_a_path_given_as_bytes_or_a_number_is_refused_with_what_to_give() -> None:
    with pytest.raises(mission.InvalidPath, match="is bytes, not a path"):
        mission.validate(b"fixtures/valid/ost.csv")  # type: ignore[arg-type]
    with pytest.raises(mission.InvalidPath, match="is not a path"):
        mission.validate([VALID / "ost.csv", 7])  # type: ignore[list-item]


def test_an_adp_that_is_not_text_is_refused_without_a_guess() -> None:
    with pytest.raises(mission.UnknownAdp) as raised:
        mission.resolve_adp(None)  # type: ignore[arg-type]
    assert "did you mean" not in str(raised.value)
    assert "named by text" in str(raised.value)


def test_audit_folders_takes_one_folder_given_alone(tmp_path: Path) -> None:
    """A folder given as text is one folder, not a list of its characters."""
    returns = mission.load_returns(VALID / "deaths.csv")
    result = mission.progress(returns, as_of=dt.date(2024, 6, 30))
    mission.write_report(result, returns, tmp_path / "report")
    alone = mission.audit_folders(str(tmp_path / "report"))
    assert alone.ok and alone.to_dict() == mission.audit_folders([tmp_path / "report"]).to_dict()


def test_audit_and_progress_refuse_what_they_cannot_read() -> None:
    """Attack s33b: an audit of nothing, or of bytes, is refused (it passed, or raised a
    TypeError); `progress` given a path says what it takes (it raised an AttributeError); an
    `as_of` past the calendar's range is refused (it overflowed)."""
    for nothing in ([], b"report"):
        with pytest.raises(mission.InvalidPublication, match="nothing to audit"):
            mission.audit_folders(nothing)  # type: ignore[arg-type]
    with pytest.raises(mission.MissionError, match="progress takes the returns"):
        mission.progress("fixtures/demo")  # type: ignore[arg-type]
    returns = mission.load_returns(VALID / "ost.csv")
    with pytest.raises(mission.InvalidPeriod, match="is not a date from 1990 to 2100"):
        mission.progress(returns, as_of="9999-12-31")
    with pytest.raises(mission.InvalidPeriod, match="is not a date from 1990 to 2100"):
        mission.progress(returns, as_of=dt.date(9999, 12, 31))
