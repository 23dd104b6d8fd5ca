"""Person ids pasted where a finding would quote them: looked for among the ids, withheld.

A cell a finding quotes in a return of people's records is first judged by its shape
(`CellContext.may_show`), but an id can look like a word or a short number (`4821`, `JOHN
SMITH`), and an officer who retypes one changes its case, spacing or digits. So once every file
of a run is checked, each cell any finding quotes (its value, and the other cells or figures in
its `quotes`) is looked for among the person ids of every return of people's records of the run
and of the store: in each form retyping could have given the cell (`cell_forms`), and by the
retyping keys of both sides (`mission.retyped`). A cell found is withheld from its findings'
value, message and hint (`FindingSink.withhold`). The ids are passed over once per file for the
forms, and narrowed before any of their keys are worked out.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from mission.engines import engine_for
from mission.retyped import keys_among, keys_of, lead_of
from mission.text import date_shaped, whole_number, without_escapes

if TYPE_CHECKING:
    import polars as pl

    from mission.findings import FindingSink
    from mission.kinds import KindSpec

__all__ = [
    "People",
    "cell_forms",
    "ids_held",
    "person_ids_among",
    "records_of_people",
    "withhold_person_ids",
]

_TOKEN_SPLIT = re.compile(r"[\s/\-.,:;&'()_|]+")
_MOST_WORDS = 4
_MOST_ZEROS = 10
"""The widest zero-padded number an id typed without its zeros is looked for as."""


def cell_forms(value: str) -> set[str]:
    """The forms an id typed into a cell shown as `value` may have in the id column: without
    what `safe_text` escaped (a pasted tab, a zero-width space), trimmed, in each Unicode form,
    in upper, lower and title case, with its spaces collapsed or gone, without Excel's leading
    `'` or `=`, as a whole number (`4821.0`, `4,821`, `04821`), and each run of up to four of
    its words (`Fife 4821` holds `4821`)."""
    bare = without_escapes(value)
    forms: set[str] = set()
    for text in {value, bare, bare.lstrip("'=")}:
        for normal in {text} if text.isascii() else _unicode_forms(text):
            forms |= _date_forms(normal) if _a_date(normal) else _word_forms(normal)
    for form in list(forms):
        forms |= _number_forms(form)
    return {form for form in forms if form}


@lru_cache(maxsize=8192)
def _a_date(text: str) -> bool:
    """Whether a cell reads as one date, and so is looked for whole: shaped as a date, with at
    most three numbers, none of three digits and at most one wider than two (a year).
    `1234 5678` and `01 01 85 1234` are shaped as dates too, but are numbers apart."""
    if not date_shaped(text):
        return False
    widths = [len(n) for n in _DIGITS.findall(text)]
    return (
        len(widths) <= 3 and all(w in (1, 2, 4) for w in widths) and sum(w > 2 for w in widths) <= 1
    )


_DIGITS = re.compile(r"\d+")


def _date_forms(text: str) -> set[str]:
    """A date's forms are of it whole (`2024-03-01` holds no id `01` or `20240301`: its
    numbers are a date's, and numbered ids would hide every date)."""
    return _cased(text.strip())


def _word_forms(text: str) -> set[str]:
    """`text` trimmed, its words run together or one space apart, each run of up to four of
    them (words apart at spaces, or at any separator: `Fife P-7F3A91C2` holds `P-7F3A91C2`
    and `P`), each in upper, lower and title case."""
    words = [w for w in _TOKEN_SPLIT.split(text.strip()) if w]
    forms: set[str] = set()
    for form in {text.strip(), " ".join(words), "".join(words), *_runs(words), *runs(text)}:
        forms |= _cased(form)
    return forms


def _cased(form: str) -> set[str]:
    """`form` as typed and in upper, lower and title case."""
    return {form} if form.isdigit() else {form, form.upper(), form.lower(), form.title()}


def runs(text: str) -> set[str]:
    """Each run of up to four of the words of `text` apart at spaces (`Fife P-7F3A91C2` holds
    `P-7F3A91C2`), the whole text among them; a date whole alone."""
    whole = {text.strip()}
    return whole if _a_date(text) else _runs(text.split()) | whole


def _runs(words: Sequence[str]) -> set[str]:
    spans = ((i, n) for n in range(1, _MOST_WORDS + 1) for i in range(len(words) - n + 1))
    return {" ".join(words[i : i + n]) for i, n in spans}


def _number_forms(form: str) -> set[str]:
    """A whole number's other spellings: without `+` or thousands commas, as `4821.0`, without
    its leading zeros and padded with them (Excel drops an id's zeros: `04821` reads 4821)."""
    whole = whole_number(form)
    if whole is None:
        return set()
    digits = whole.lstrip("0") or "0"
    padded = {digits.zfill(width) for width in range(len(digits), _MOST_ZEROS + 1)}
    return {whole, f"{whole}.0", digits, *padded}


def _unicode_forms(text: str) -> set[str]:
    return {text, *(unicodedata.normalize(form, text) for form in ("NFC", "NFD", "NFKC"))}


People = Sequence[tuple["pl.DataFrame", Sequence[str]]]
"""Returns of people's records: each one's rows and the columns holding its person ids."""


def ids_held(frames: Iterable[pl.DataFrame | None]) -> People:
    """Frames of person ids alone, each with the columns that hold them (all of its own)."""
    return [(frame, tuple(frame.columns)) for frame in frames if frame is not None]


def records_of_people(returns: Iterable[tuple[KindSpec | None, pl.DataFrame | None]]) -> People:
    """Of returns given as their kind and their rows (either may be missing), the ones of
    people's records, with the columns holding their person ids."""
    return [
        (frame, spec.private)
        for spec, frame in returns
        if spec is not None and frame is not None and spec.record_level
    ]


def withhold_person_ids(
    sinks: Sequence[FindingSink],
    people: People,
    elsewhere: Callable[[], People] | None = None,
) -> None:
    """Withhold, in the findings of every file of a run, each quoted cell that is a person id
    of any return of people's records in the run, or accepted before it, as typed
    (`cell_forms`) or retyped (`mission.retyped`: other case, width, spacing or zeros).

    Args:
        sinks: the findings of every file of the run (an id pasted into an OST return counts).
        people: each return of people's records in the run.
        elsewhere: the ones accepted before (the store's), asked for only when a finding
            quotes a cell.
    """
    shown = set().union(*(sink.shown_values() for sink in sinks))
    if not shown:
        return
    people = [*people, *(elsewhere() if elsewhere else ())]
    held = person_ids_among(shown, people)
    if held:
        for sink in sinks:
            sink.withhold(held)


def person_ids_among(texts: Iterable[str], people: People) -> set[str]:
    """Which of `texts` are person ids of `people`, as typed or retyped, whole or as a run of
    their words (`Fife P-7F3A91C2`)."""
    shown = set(texts)
    if not shown or not people:
        return set()
    forms = {value: cell_forms(value) for value in shown}
    spans = {value: runs(without_escapes(value)) for value in shown}
    keyed = keys_of(set().union(*spans.values()))
    keys = {value: set().union(*(_keys(span, keyed) for span in spans[value])) for value in shown}
    wanted = _Wanted(sorted(set().union(*forms.values())), set().union(*keys.values()))
    found = _Found(set(), set())
    for frame, private in people:
        _ids_among(frame, private, wanted, found)
    return {value for value in shown if forms[value] & found.forms or keys[value] & found.keys}


def _keys(text: str, keyed: dict[str, tuple[str, str]]) -> set[str]:
    """The keys a text is looked for by: a date's own alone (`2024-03-01` is `2024.3.1`, never
    the numbered id `20240301`), both otherwise."""
    own, joined = keyed[text]
    return {own} if _a_date(text) else {own, joined}


class _Wanted(NamedTuple):
    forms: list[str]
    keys: set[str]


class _Found(NamedTuple):
    forms: set[str]
    keys: set[str]


def _ids_among(frame: pl.DataFrame, private: Sequence[str], wanted: _Wanted, found: _Found) -> None:
    """Add to `found` which of the wanted forms are ids of `frame`'s private columns (one pass
    asks whether any is, and only then are they picked out), and which wanted keys are keys of
    its ids (`retyped.keys_among`)."""
    import polars as pl

    names = [name for name in private if name in frame.columns]
    if not names:
        return
    # As a Series: polars probes a list of Python strings at half the speed.
    forms = pl.Series(wanted.forms, dtype=pl.String).implode()
    ids = [pl.col(name).cast(pl.String) for name in names]
    leads = {name: lead_of(frame[name]) for name in names}
    # One pass asks whether any id is a wanted form, and whether every id starts as the first.
    asked = frame.lazy().select(
        pl.any_horizontal(i.is_in(forms).any() for i in ids).alias("held"),
        *(
            i.str.starts_with(lead).all().alias(f"lead {name}")
            for name, i in zip(names, ids, strict=True)
            if (lead := leads[name]) is not None
        ),
    )
    said = asked.collect(engine=engine_for(frame.height)).row(0, named=True)
    if said["held"]:
        picked = (
            frame.lazy()
            .select(i.filter(i.is_in(forms)).implode() for i in ids)
            .collect(engine=engine_for(frame.height))
        )
        found.forms.update(value for values in picked.row(0) for value in values)
    for name in names:
        lead = leads[name] if said.get(f"lead {name}") else None
        found.keys.update(keys_among(frame[name], wanted.keys, lead))
