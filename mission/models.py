"""The one base every public model derives from, and the text type that is safe to show anywhere.

Models are frozen (a result cannot be changed after the fact) and forbid unknown fields (a typo in
a target file is an error, not a silent default). Text that can come from a stranger — a file
name, a cell, a target title — is `SafeText`: control characters, terminal escapes and bidi
overrides are escaped on the way in, so no output format ever carries them raw.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict

from mission.text import safe_text

__all__ = ["Frozen", "SafeText"]


class Frozen(BaseModel):
    """A frozen pydantic model that refuses unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


SafeText = Annotated[str, AfterValidator(lambda text: safe_text(text, limit=2000))]
"""A string shown to people: escaped on the way in, whatever output it reaches."""
