"""The report as JSON: exactly the library model, dumped."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mission.report import Report

__all__ = ["to_json"]

# A lone surrogate (from a JSON return's "\ud800") cannot be written as UTF-8; as a JSON escape it
# can, and it reads back as the same string.
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def to_json(report: Report) -> str:
    """The report as JSON: exactly the library model, dumped (non-ASCII text kept readable)."""
    text = json.dumps(report.to_dict(), indent=2, ensure_ascii=False)
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
