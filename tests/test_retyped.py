"""The retyping key: an id retyped keeps its key, and the narrowing of ids never loses one."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mission.retyped import key, keys_among, keys_of, lead_of
from mission.text import cited

_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_TOKEN = st.one_of(
    st.text(alphabet=_LETTERS, min_size=1, max_size=6),
    st.integers(min_value=0, max_value=99_999).map(str),
)
_SEPARATORS = [" ", "-", "/", ".", "_", "  ", "\u200b", "'", " - "]


@st.composite
def retyped(draw: st.DrawFn) -> tuple[str, str]:
    """A text of words and numbers, and the same text as an officer might retype it: other
    case, other separators, zeros before a number, full-width letters, an invisible character
    or separator between letters, spaces around it."""
    tokens = draw(st.lists(_TOKEN, min_size=1, max_size=4))
    original = " ".join(tokens)
    out = []
    for token in tokens:
        if token.isdigit():
            token = "0" * draw(st.integers(0, 3)) + token
        else:
            split = draw(st.integers(0, len(token)))
            gap = draw(st.sampled_from(["", *_SEPARATORS]))
            token = token[:split] + gap + token[split:]
        token = "".join(draw(st.sampled_from([c.lower(), c.upper()])) for c in token)
        if draw(st.booleans()):
            token = "".join(
                chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in token
            )
        out.append(token)
    joined = "".join(f"{draw(st.sampled_from(_SEPARATORS))}{t}" for t in out)
    return original, draw(st.sampled_from(["", " ", "'"])) + joined.strip() + draw(
        st.sampled_from(["", " \t"])
    )


def _among(ids: pl.Series, wanted: set[str]) -> set[str]:
    """`keys_among` as the withholding asks it: narrowed by the ids' lead when all share it."""
    lead = lead_of(ids)
    shared = lead is not None and bool(ids.str.starts_with(lead).all())
    return keys_among(ids, wanted, lead if shared else None)


def _id_key(text: str) -> str:
    """The key an id gets (its own; a cell's keys also include its joined one)."""
    return str(pl.Series("t", [text]).to_frame().select(key(pl.col("t"))).item())


@settings(max_examples=300, deadline=None)
@given(retyped())
def test_a_retyped_text_keeps_its_key(pair: tuple[str, str]) -> None:
    """Whichever of the two is the id and which the cell, the id's key is among the cell's."""
    original, again = pair
    keys = keys_of([original, again])
    assert _id_key(again) in keys[original]
    assert _id_key(original) in keys[again]


@settings(max_examples=200, deadline=None)
@given(retyped(), st.lists(st.integers(0, 10**8), max_size=30))
def test_narrowing_the_ids_never_loses_a_wanted_key(
    pair: tuple[str, str], others: list[int]
) -> None:
    """Among any other ids (sharing a first letter or not), a retyped id's key is found."""
    original, again = pair
    wanted = keys_of([original])[original]
    lead = again.strip(" '")[:1]
    ids = pl.Series([again, *(f"{lead}{n:08d}" for n in others)], dtype=pl.String)
    assert _id_key(again) in _among(ids, {*wanted, "zz9"})


def test_pseudonyms_of_one_letter_are_never_worked_out_for_dates_or_names() -> None:
    """Ids that all start with `P` cannot have a key starting with a digit or another letter."""
    ids = pl.Series([f"P-{n:08X}" for n in range(1000)], dtype=pl.String)
    wanted = set().union(*keys_of(["2024-05-31", "Glasgo", "05/31/2024"]).values())
    assert _among(ids, wanted) == set()


def test_zeros_lead_after_a_letter_a_separator_or_an_invisible_character() -> None:
    """`31/2/2024`, `31-02-2024` and `31/02/2024` share a key; `3/12/2024`, `31/12/2024` and the
    number `3122024` do not (numbers apart stay apart); `SCT-0001234`, `SCT0001234` and
    `SCT\u200b0001234` share one; a cell `12/05` is also looked for as an id typed `1205`."""
    assert _id_key("31/2/2024") == _id_key("31-02-2024") == _id_key("31/02/2024")
    others = {_id_key(t) for t in ("3/12/2024", "31/12/2024", "3122024")}
    assert _id_key("31/2/2024") not in others and len(others) == 3
    assert _id_key("SCT-0001234") == _id_key("SCT0001234") == _id_key("SCT\u200b0001234")
    assert _id_key("1205") in keys_of(["12/05"])["12/05"]


def test_ids_of_digits_alone_are_keyed_by_their_zeros() -> None:
    """A numbered id's key is the number without its zeros (`000123` is `123`, `000` is `0`)."""
    ids = pl.Series(["000123", "4", "000", "x7"], dtype=pl.String)
    assert _among(ids, {"123", "0", "7", "x7", "44"}) == {"123", "0", "x7"}


@pytest.mark.parametrize(
    ("source", "printed"),
    [
        ("NRS mid-2023 population estimates", True),
        ("National Records of Scotland, Mid-Year Population Estimates 2023", True),
        ("SYNTHETIC: made by build_demo.py for the demo set, not NRS estimates", True),
        ("NRS mid-2023 estimates P-7F3A91C2", False),
        ("NRS estimates SCT0001234", False),
        ("NRS 1234567", False),
        ("P-0042", False),
    ],
)
def test_a_publication_prints_a_source_only_when_it_reads_as_a_citation(
    source: str, printed: bool
) -> None:
    assert cited(source) is printed


def test_numbers_apart_are_found_by_one_separator_and_never_among_bare_numbers() -> None:
    """An id with one separator between numbers has their dotted key; a number alone never."""
    ids = pl.Series(["12-05", "31/2/2024", "7 7", "1205", "3122024"], dtype=pl.String)
    wanted = {"12.5", "31.2.2024", "7.7", "1205"}
    assert keys_among(ids, wanted) == wanted
    assert keys_among(pl.Series(["1205", "3122024", "77"]), {"12.5", "31.2.2024", "7.7"}) == set()
