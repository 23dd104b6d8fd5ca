"""Which columns of a file hold person ids: the contract's own (`person_id`), and the columns
it does not name whose header says they hold ids, so that no finding or publication quotes one.

Privacy by construction: a column headed `client_id` beside an episodes return, or a list of
clients dropped among the returns, holds people's ids whatever the contract calls it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from mission.columns import ROW, normalise_header

if TYPE_CHECKING:
    from collections.abc import Mapping

    import polars as pl

    from mission.kinds import KindSpec
    from mission.readers import Table

__all__ = ["headed_ids", "holds_unnamed", "ids_of", "one_frame"]


def ids_of(
    spec: KindSpec | None, frame: pl.DataFrame | None, headed: pl.DataFrame | None
) -> list[pl.DataFrame]:
    """The person ids a file holds: a return of people's records' id columns (of its parsed
    `frame`), and whatever its kind, the cells of the other columns headed as ids (`headed`,
    from `headed_ids`)."""
    frames = [] if headed is None else [headed]
    if spec is not None and spec.record_level and frame is not None:
        frames.insert(0, frame.select(c for c in spec.private if c in frame.columns))
    return frames


def one_frame(frames: list[pl.DataFrame]) -> pl.DataFrame | None:
    """A file's id frames as the one frame `CheckedReturn.people` holds: each alone as it is,
    several as one column of every id."""
    import polars as pl

    if len(frames) < 2:
        return frames[0] if frames else None
    return pl.concat(
        f.unpivot(value_name="person_ids").select(pl.col("person_ids").cast(pl.String))
        for f in frames
    )


def holds_unnamed(people: pl.DataFrame | None, spec: KindSpec) -> bool:
    """Whether a file's ids, as `one_frame` gave them, hold any beyond its kind's own id columns
    (those its parsed rows keep): ids of columns headed as ids."""
    own = set(spec.private) if spec.record_level else set()
    return people is not None and set(people.columns) != own


def headed_ids(
    table: Table, letters: Mapping[str, str], spec: KindSpec | None
) -> pl.DataFrame | None:
    """The cells of the columns headed as person ids that the checks did not read as a contract
    column, as one column (however many such columns): `person_id` however written
    (`PersonID`, `person ids`) and other people's ids by name (`client_id`, `CHI number`) in a
    file of any kind, and any ids (`ID`) in a return of people's records or a file of no known
    kind. In a file of no known kind the header may be any of the first rows (a title above
    it). Their cells are withheld wherever a finding would quote one, as the contract's ids are.
    """
    import polars as pl

    frame = table.frame
    if frame is None:
        return None
    people = spec is None or spec.record_level
    read = set(letters.values())
    found = [
        frame[f"c{position}"].cast(pl.String)
        for position, text in enumerate(table.headers)
        if table.letter(position) not in read
        and f"c{position}" in frame.columns
        and _names_ids(str(text or ""), people)
    ]
    if spec is None:
        found += _ids_below_a_title(frame)
    if not found:
        return None
    return pl.concat(c.rename("ids") for c in found).drop_nulls().to_frame()


_TITLE_ROWS = 10
"""How far down a file of no known kind a header of ids is looked for."""


def _ids_below_a_title(frame: pl.DataFrame) -> list[pl.Series]:
    """In a file of no known kind, each column with a cell among its first rows that heads ids
    (`client_id` below a title): its cells below that one."""
    import polars as pl

    below = []
    for name in (c for c in frame.columns if c != ROW):
        cells = frame[name].head(_TITLE_ROWS).cast(pl.String).to_list()
        at = next((i for i, cell in enumerate(cells) if cell and _names_ids(cell, True)), None)
        if at is not None:
            below.append(frame[name].slice(at + 1).cast(pl.String))
    return below


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_ID_WORDS = frozenset({"id", "ids", "identifier", "identifiers"})
"""Words that say a column identifies something: people, in a return of people's records."""
_PEOPLE_WORDS = frozenset({"chi", "upi", "pseudonym", "pseudonymised"})
"""Words that say a column identifies people, in a return of any kind (`CHI number`)."""
_HOLDERS = frozenset({"person", "client", "patient", "user", "serviceuser", "individual", "nhs"})
_NUMBERS = frozenset({*_ID_WORDS, "number", "no", "ref", "reference"})
"""A holder and a number name people's ids (`client_id`, `NHS Number`, `ClientID`)."""


def _names_ids(text: str, people: bool) -> bool:
    """Whether a header says its column holds person ids (`headed_ids`): people's ids by name
    (`person_id` however written, `client_id`, `CHI number`) in a return of any kind; any ids
    (`ID`, `id#`) in a return of people's records (`people`), where a row is a person."""
    name = _NOT_WORD.sub("_", normalise_header(_CAMEL.sub("_", text))).strip("_")
    words = set(name.split("_"))
    joined = name.replace("_", "")
    holder = any(joined.startswith(h) and joined[len(h) :] in _NUMBERS for h in _HOLDERS)
    if holder or not words.isdisjoint(_PEOPLE_WORDS) or joined in ("personid", "personids"):
        return True
    if not words.isdisjoint(_HOLDERS) and not words.isdisjoint(_NUMBERS):
        return True
    return people and not words.isdisjoint(_ID_WORDS)
