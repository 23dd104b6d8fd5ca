"""JSON: an array of row objects, or `{"kind": ..., "spec_version": 1, "rows": [...]}`.

Every number is kept as the text it was written as (a 5,000-digit integer is just a bad count,
not a crash), lone surrogates are replaced, and a key repeated in one object is refused.
"""

from __future__ import annotations

import json
import re
from typing import Any

from mission.columns import ROW
from mission.limits import Limits
from mission.readers.decode import decode_text
from mission.readers.source import Source
from mission.readers.table import Draft, Unreadable

__all__ = ["read_json"]

_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean(text: str) -> str:
    """Text with lone surrogates (which no encoder accepts) replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        key = _clean(key)
        if key in seen:
            raise Unreadable(
                "an object has the same key twice", "Keep one value per key.", "duplicate-column"
            )
        seen[key] = value
    return seen


def _cell(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _clean(value)
    try:
        return _clean(json.dumps(value, ensure_ascii=False))[:1000]
    except (RecursionError, ValueError):
        return "[nested value]"


def _load(text: str) -> Any:
    try:
        return json.loads(
            text,
            object_pairs_hook=_no_duplicate_keys,
            parse_int=str,
            parse_float=str,
            parse_constant=str,
        )
    except json.JSONDecodeError as error:
        raise Unreadable(
            f"the JSON is not valid: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from error
    except RecursionError as error:
        raise Unreadable("the JSON is nested too deeply to be a return") from error


def _rows(draft: Draft, data: Any) -> Any:
    if not isinstance(data, dict):
        return data
    if "rows" not in data:
        raise Unreadable(
            "a JSON object must hold the rows under 'rows'",
            'Write {"kind": "ost", "spec_version": 1, "rows": [...]}, or an array of rows.',
        )
    kind = data.get("kind")
    draft.declared_kind = _cell(kind) if kind is not None else None
    version = data.get("spec_version", "1")
    if str(version).strip() != "1":
        draft.note(
            "unsupported-spec-version",
            f"this mission reads spec_version 1, not {_cell(version)}",
            hint="Write spec_version 1, or upgrade mission.",
            metadata=_cell(version),
        )
    return data["rows"]


def read_json(draft: Draft, source: Source, limits: Limits) -> None:
    """Read a JSON return into `draft`."""
    import polars as pl

    rows = _rows(draft, _load(decode_text(draft, source.read(), fix="Save it as UTF-8.")))
    if not isinstance(rows, list):
        raise Unreadable("the rows must be a JSON array of objects")
    if not rows:
        raise Unreadable("the JSON holds no rows", code="no-data-rows")
    if len(rows) > limits.max_rows:
        raise Unreadable(f"the file has more than {limits.max_rows:,} rows")
    headers: dict[str, None] = {}
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise Unreadable(f"row {number} is not a JSON object", "Write each row as {...}.")
        headers.update(dict.fromkeys(row))
        if len(headers) > limits.max_columns:
            raise Unreadable(
                f"the rows have more than {limits.max_columns:,} different keys",
                "Give every row the same keys, or raise the limit with --max-columns.",
            )
    draft.headers = list(headers)
    columns = {f"c{i}": [_cell(row.get(h)) for row in rows] for i, h in enumerate(draft.headers)}
    frame = pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))
    draft.letters = [draft.letter(i) for i in range(len(draft.headers))]
    draft.frame = frame.with_row_index(ROW, offset=1).with_columns(pl.col(ROW).cast(pl.Int64))
