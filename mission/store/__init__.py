"""The returns store: accepted returns and every revision, in one SQLite file (see `store.py`)."""

from mission.store.models import HistoryEntry, SubmitOutcome
from mission.store.schema import SCHEMA_VERSION, InvalidStore
from mission.store.store import STORE_ENV, Store, StoreFailed, store_path

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
