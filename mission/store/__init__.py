"""The returns store: accepted returns and every revision, in one SQLite file (see `store.py`).

The outcome and history types are imported when first asked for: reading a store (export)
needs neither them nor pydantic, which they are built on.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from mission.store.schema import SCHEMA_VERSION, InvalidStore
from mission.store.store import STORE_ENV, Store, StoreFailed, store_path

if TYPE_CHECKING:
    from mission.store.models import HistoryEntry, SubmitOutcome

__all__ = [
    "SCHEMA_VERSION",
    "STORE_ENV",
    "HistoryEntry",
    "InvalidStore",
    "Store",
    "StoreFailed",
    "SubmitOutcome",
    "store_path",
]


def __getattr__(name: str) -> Any:
    if name not in ("HistoryEntry", "SubmitOutcome"):
        raise AttributeError(f"module 'mission.store' has no attribute {name!r}")
    value = getattr(import_module("mission.store.models"), name)
    globals()[name] = value
    return value
