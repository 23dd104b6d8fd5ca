"""Person ids pasted where a finding would quote them: looked for among the run's ids, withheld.

A cell a finding quotes in a return of people's records is first judged by its shape
(`CellContext.may_show`), but an id can look like a word or a short number (`4821`, `JOHN
SMITH`), and an officer who retypes one changes its case, spacing or digits. So once every file
of a run is checked, each quoted cell is looked for among the person ids of every record-level
return of the run, in each form retyping could have given it (`cell_forms`), and a cell found
is withheld from its findings' value, message and hint (`FindingSink.withhold`). The ids are
passed over once per file, whatever the number of quoted cells.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

    from mission.findings import FindingSink

__all__ = ["cell_forms", "withhold_person_ids"]

# What `safe_text` writes for a character it will not show (`\t`, `\x1f`, `\u200b`).
_ESCAPE = re.compile(r"\\(?:[nrt]|x[0-9a-f]{2}|u[0-9a-f]{4})")
_TOKEN_SPLIT = re.compile(r"[\s/\-.,:;&'()_|]+")
_NUMBER = re.compile(r"[+-]?\d+(?:\.0*)?")
_MOST_WORDS = 4


def cell_forms(value: str) -> set[str]:
    """The forms an id typed into a cell shown as `value` may have in the id column: without
    what `safe_text` escaped (a pasted tab, a zero-width space), trimmed, in each Unicode form,
    in upper, lower and title case, with its spaces collapsed or gone, without Excel's leading
    `'` or `=`, as a whole number (`4821.0`, `4,821`), and each run of up to four of its words
    (`Fife 4821` holds `4821`)."""
    bare = _ESCAPE.sub("", value)
    forms: set[str] = set()
    for text in {value, bare, bare.lstrip("'=")}:
        for normal in {text, *(unicodedata.normalize(f, text) for f in ("NFC", "NFD", "NFKC"))}:
            words = [w for w in _TOKEN_SPLIT.split(normal.strip()) if w]
            runs = {
                " ".join(words[i : i + n])
                for n in range(1, _MOST_WORDS + 1)
                for i in range(len(words) - n + 1)
            }
            for form in {normal.strip(), " ".join(words), "".join(words), *runs}:
                forms |= {form, form.upper(), form.lower(), form.title()}
    for form in list(forms):
        number = form.replace(",", "")
        if _NUMBER.fullmatch(number):
            whole = number.split(".")[0].lstrip("+")
            forms |= {whole, f"{whole}.0", whole.lstrip("0") or "0"}
    return {form for form in forms if form}


def withhold_person_ids(
    sinks: Sequence[FindingSink], people: Sequence[tuple[pl.DataFrame, Sequence[str]]]
) -> None:
    """Withhold, in the findings of every file of a run, each quoted cell that is a person id
    of any return of people's records in the run.

    Args:
        sinks: the findings of every file of the run (an id pasted into an OST return counts).
        people: each return of people's records: its parsed rows and its private columns.
    """
    shown = set().union(*(sink.shown_values() for sink in sinks))
    if not shown or not people:
        return
    forms = {value: cell_forms(value) for value in shown}
    wanted = sorted(set().union(*forms.values()))
    found: set[str] = set()
    for frame, private in people:
        found |= _ids_among(frame, private, wanted)
    held = {value for value in shown if forms[value] & found}
    if held:
        for sink in sinks:
            sink.withhold(held)


def _ids_among(frame: pl.DataFrame, private: Sequence[str], wanted: list[str]) -> set[str]:
    """Which of `wanted` are ids of `frame`'s private columns, as written or without leading
    zeros (Excel drops them: id `04821` typed into a number cell reads `4821`)."""
    import polars as pl

    names = [name for name in private if name in frame.columns]
    if not names:
        return set()
    # The ids as parsed (trimmed); those starting with a zero also without their zeros.
    texts = [pl.col(name).cast(pl.String) for name in names]
    columns = [*texts]
    if any(form.isdigit() for form in wanted):
        columns += [t.filter(t.str.starts_with("0")).str.strip_chars_start("0") for t in texts]
    matches = (c.filter(c.is_in(wanted)).implode().alias(f"c{i}") for i, c in enumerate(columns))
    found = frame.lazy().select(matches).collect().row(0)
    return {value for values in found for value in values}
