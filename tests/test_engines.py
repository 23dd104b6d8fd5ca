"""Which polars engine runs a query (`mission.engines`)."""

from __future__ import annotations

import pytest

from mission.engines import SMALL_ROWS, engine_for


def test_a_small_frame_runs_in_memory_and_a_large_or_unknown_one_as_polars_would(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("POLARS_ENGINE_AFFINITY", raising=False)
    assert engine_for(0) == "in-memory"
    assert engine_for(SMALL_ROWS - 1) == "in-memory"
    assert engine_for(SMALL_ROWS) == "auto"
    assert engine_for(None) == "auto"


@pytest.mark.parametrize("affinity", ["streaming", "in-memory", "gpu"])
def test_an_engine_the_user_chose_decides_every_query(
    monkeypatch: pytest.MonkeyPatch, affinity: str
) -> None:
    """polars reads POLARS_ENGINE_AFFINITY for a query left to "auto": a small frame is left to
    it too, so a user's choice (a GPU engine, the streaming one) holds whatever the file's size."""
    monkeypatch.setenv("POLARS_ENGINE_AFFINITY", affinity)
    assert engine_for(10) == "auto"
