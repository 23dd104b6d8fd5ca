"""The one base every public model derives from, and the text type that is safe to show anywhere.

Models are frozen (a result cannot be changed after the fact) and forbid unknown fields (a typo in
a target file is an error, not a silent default). Text that can come from a stranger — a file
name, a cell, a target title — is `SafeText`: control characters, terminal escapes and bidi
overrides are escaped on the way in, so no output format ever carries them raw.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from mission.text import safe_text

__all__ = ["Figure", "Frozen", "Prose", "SafeText", "SaneDate"]


class Frozen(BaseModel):
    """A frozen pydantic model that refuses unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


SafeText = Annotated[str, AfterValidator(lambda text: safe_text(text, limit=2000))]
"""A string shown to people: escaped on the way in, whatever output it reaches."""

Prose = Annotated[str, AfterValidator(lambda text: safe_text(" ".join(text.split()), limit=4000))]
"""Sentences written in a data file (a target's note or title): line breaks and runs of spaces
become one space, then the text is made safe like any other."""


Figure = Annotated[float, Field(ge=0, le=1e9, allow_inf_nan=False)]
"""A figure of the Mission (a count, a rate, a percentage): finite, not negative, not absurd."""


def _sane_date(day: dt.date) -> dt.date:
    if not dt.date(1990, 1, 1) <= day <= dt.date(2100, 12, 31):
        raise ValueError(f"{day} is outside 1990–2100: is the year right?")
    return day


SaneDate = Annotated[dt.date, AfterValidator(_sane_date)]
"""A date a target can mean: from 1990 to 2100."""
