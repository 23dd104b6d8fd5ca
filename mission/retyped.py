"""What retyping keeps of a text: its key, the same for a person id however an officer typed it.

An officer who copies a person id into another cell may change its case, its width (`Ｆｙｆｅ`),
its spacing and separators (`12/05`, `12-05`, `Glas goo`), add an invisible character, or lose
a number's leading zeros (`31/2/2024` for `31/02/2024`). The key undoes all of these on both
sides: the text in compatibility form (NFKD: width and accents apart), lower case, each number's
leading zeros gone, and nothing left but ASCII letters and digits. It is worked out by one polars
expression (`key`), for the few cells a run quotes and for a file's ids alike, so the two sides
can never disagree.

Working out the key of a million ids costs more than the check it protects (60-150 ms), and
even the cheapest regular expression costs 14 ms a million ids in polars. So the ids are
narrowed in two steps (`keys_among`), neither of which an id with a wanted key can fail:
- when every id starts with the same letter or digit (`P-7F3A91C2`, as pseudonyms do), its key
  starts with it too, and a wanted key that does not is out (2 ms a million ids; most often
  every one is, and nothing more is done);
- the rest go through one regular expression made from the shapes of the wanted keys
  (`_shapes`), which pseudonyms whose letters and digits alternate seldom pass.
Only the ids let through have their keys worked out.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

__all__ = ["key", "keys_among", "keys_of"]

_APART = r"[\x00-/:-@\[-`{-\x7f0]*"
"""What may stand between two characters of a key in an ASCII id: anything that is not a
letter or a digit, and zeros (a number's leading zeros are not in its key)."""


def key(text: pl.Expr) -> pl.Expr:
    """The retyping key of each text: compatibility form, lower case, no leading zeros on a
    number, only ASCII letters and digits."""
    return (
        text.str.normalize("NFKD")
        .str.to_lowercase()
        .str.replace_all(r"(^|[^a-z0-9])0+([0-9])", "${1}${2}")
        .str.replace_all(r"[^a-z0-9]+", "")
    )


def keys_of(texts: Iterable[str]) -> dict[str, str]:
    """Each text's retyping key."""
    import polars as pl

    wanted = sorted(set(texts))
    if not wanted:
        return {}
    found = pl.Series("t", wanted, dtype=pl.String).to_frame().select(key(pl.col("t")))
    return dict(zip(wanted, found["t"], strict=True))


def keys_among(ids: pl.Series, wanted: set[str]) -> set[str]:
    """Which of the `wanted` keys are keys of `ids`."""
    import polars as pl

    wanted = _possible(ids, wanted)
    if not wanted:
        return set()
    frame = ids.cast(pl.String).alias("t").to_frame()
    maybe = frame.select(_candidates(pl.col("t"), _shapes(wanted)))
    if not maybe.height:
        return set()
    keys = pl.Series(sorted(wanted), dtype=pl.String).implode()
    hits = maybe.lazy().select(key(pl.col("t"))).filter(pl.col("t").is_in(keys)).unique()
    return set(hits.collect()["t"].to_list())


def _possible(ids: pl.Series, wanted: set[str]) -> set[str]:
    """The wanted keys an id may have: those starting with the letter or digit every id starts
    with, when there is one (a zero is not: `007` has the key `7`)."""
    first = ids.drop_nulls().head(1).cast(str).to_list() if wanted else []
    lead = first[0][:1] if first else ""
    if not (lead.isascii() and lead.isalnum() and lead != "0"):
        return wanted
    if not ids.cast(str).str.starts_with(lead).all():
        return wanted
    return {k for k in wanted if k.startswith(lead.lower())}


def _shapes(keys: Iterable[str]) -> str:
    """One regular expression that every ASCII text whose key is one of `keys` matches: each
    key as its runs of letters and digits (`fyfe` is four letters, `5312024` seven digits), with
    anything that is not a letter or a digit, or is a zero, allowed between them."""
    forms = sorted({_shape(k) for k in keys})
    return f"^{_APART}(?:{'|'.join(forms)})$"


def _shape(wanted: str) -> str:
    runs = itertools.groupby(wanted, str.isdigit)
    return "".join(
        f"(?:{'[0-9]' if digits else '[A-Za-z]'}{_APART}){{{len(list(run))}}}"
        for digits, run in runs
    )


def _candidates(ids: pl.Expr, shape: str) -> pl.Expr:
    """The ids that may have one of the keys `shape` was made from: those of that shape, and
    every id with a character outside ASCII (its key is only known once worked out)."""
    return ids.filter(ids.str.contains(shape) | (ids.str.len_bytes() != ids.str.len_chars()))
