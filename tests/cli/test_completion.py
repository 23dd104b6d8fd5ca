"""Shell completion offers the contract's own words: kinds, ADPs, finding codes, targets."""

from __future__ import annotations

import os
import subprocess
import sysconfig
from pathlib import Path

import pytest

MISSION = str(Path(sysconfig.get_path("scripts")) / "mission")


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("mission validate --kind o", "ost"),
        ("mission progress --adp Gla", "Glasgow City"),
        ("mission explain tot", "total-mismatch"),
        ("mission progress --target mat-6", "mat-6-10"),
    ],
)
def test_completion_offers_the_contracts_words(words: str, expected: str) -> None:
    """Tab after a partial word offers the kind, ADP, code or target it starts."""
    env = {
        **os.environ,
        "_MISSION_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - 1),
    }
    done = subprocess.run([MISSION], env=env, capture_output=True, text=True, timeout=60)
    assert expected in done.stdout.splitlines(), done.stdout
