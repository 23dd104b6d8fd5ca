"""The retyping key: an id retyped keeps its key, and the narrowing of ids never loses one."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from mission.retyped import keys_among, keys_of

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


@settings(max_examples=300, deadline=None)
@given(retyped())
def test_a_retyped_text_keeps_its_key(pair: tuple[str, str]) -> None:
    original, again = pair
    keys = keys_of([original, again])
    assert keys[original] == keys[again]


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
    assert wanted in keys_among(ids, {wanted, "zz9"})


def test_pseudonyms_of_one_letter_are_never_worked_out_for_dates_or_names() -> None:
    """Ids that all start with `P` cannot have a key starting with a digit or another letter."""
    ids = pl.Series([f"P-{n:08X}" for n in range(1000)], dtype=pl.String)
    wanted = set(keys_of(["2024-05-31", "Glasgo", "05/31/2024"]).values())
    assert keys_among(ids, wanted) == set()


def test_a_number_and_a_date_share_no_key_only_by_their_zeros() -> None:
    """`31/2/2024` and `31/02/2024` share a key; `3/12/2024` is the same digits, and shares it
    too (retyping may move a separator), but `31/12/2024` does not."""
    keys = keys_of(["31/2/2024", "31/02/2024", "3/12/2024", "31/12/2024"])
    assert keys["31/2/2024"] == keys["31/02/2024"] == keys["3/12/2024"]
    assert keys["31/12/2024"] != keys["31/2/2024"]
