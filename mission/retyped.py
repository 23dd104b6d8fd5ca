"""What retyping keeps of a text: its key, the same for a person id however an officer typed it.

An officer who copies a person id into another cell may change its case, its width (`Ｆｙｆｅ`),
its spacing and separators (`12/05`, `12-05`, `Glas goo`), add an invisible character, or lose
a number's leading zeros (`31/2/2024` for `31/02/2024`). The key undoes all of these on both
sides: the text in compatibility form (NFKD: width and accents apart), lower case, each number's
leading zeros gone, a dot between numbers that stood apart, and nothing else but ASCII letters
and digits. It is worked out by one polars expression (`key`), for the few cells a run quotes
and for a file's ids alike, so the two sides can never disagree.

Working out the key of a million ids costs more than the check it protects (60-150 ms), and
even the cheapest regular expression costs 14 ms a million ids in polars. So the ids are
narrowed first, by steps no id with a wanted key can fail:
- when every id starts with the same letter or digit (`lead_of`; the caller asks whether all
  do in a pass it makes anyway), its key starts with it too, and a wanted key that does not is
  out: most often every one is, and nothing more is done;
- the rest go through one regular expression made from the shapes of the wanted keys
  (`_shapes`), which pseudonyms whose letters and digits alternate seldom pass.
Only the ids let through have their keys worked out (`keys_among`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import TYPE_CHECKING

from mission.engines import engine_for

if TYPE_CHECKING:
    import polars as pl

__all__ = ["key", "keys_among", "keys_of", "lead_of"]

_NOT_ALNUM = r"\x00-/:-@\[-`{-\x7f"
"""The ASCII characters that are neither letters nor digits, as the inside of a class."""
_SEPARATOR = f"[{_NOT_ALNUM}]"
_APART = f"[{_NOT_ALNUM}0]*"
"""What may stand between two characters of a key in an ASCII id: anything that is not a
letter or a digit, and zeros (a number's leading zeros are not in its key)."""


def key(text: pl.Expr, joined: bool = False) -> pl.Expr:
    """The retyping key of each text: compatibility form, lower case, no leading zeros on a
    number, only ASCII letters and digits, and a dot between two numbers that stood apart. A
    number's zeros are leading when a letter, a separator or an invisible character comes
    before them (`SCT-0001234`, `SCT0001234` and `SCT\u200b0001234` share `sct1234`;
    `31/02/2024` and `31-2-2024` are `31.2.2024`). `joined` runs the text's
    letters and digits together first (`12/05` as `1205`): a cell and an id each get both keys,
    for either may have lost its separators."""
    folded = text.str.normalize("NFKD").str.to_lowercase()
    if joined:
        folded = folded.str.replace_all(r"[^a-z0-9]+", "")
    unpadded = folded.str.replace_all(r"(^|[^0-9])0+([0-9])", "${1}${2}")
    if joined:  # nothing stands apart any more
        return unpadded
    apart = unpadded.str.replace_all(r"[^a-z0-9]+", " ")
    # Numbers apart stay apart (`12-05` is `12.5`, never the id `125`); twice, as each pass
    # takes the digit after a mark with it (`1 2 3` is `1.2 3`, then `1.2.3`).
    for _ in range(2):
        apart = apart.str.replace_all(r"([0-9]) ([0-9])", "${1}.${2}")
    return apart.str.replace_all(" ", "", literal=True)


def keys_of(texts: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Each text's keys: its own, and with its letters and digits run together first (an
    id's are both too, so `12/05` and `1205`, `FIFE-2024-000123` and `FIFE2024000123` meet)."""
    import polars as pl

    wanted = sorted(set(texts))
    if not wanted:
        return {}
    t = pl.col("t")
    found = (
        pl.Series("t", wanted, dtype=pl.String)
        .to_frame()
        .select(key(t).alias("own"), key(t, joined=True).alias("joined"))
    )
    return {
        text: (own, joined)
        for text, own, joined in zip(wanted, found["own"], found["joined"], strict=True)
    }


def keys_among(ids: pl.Series, wanted: set[str], lead: str | None = None) -> set[str]:
    """Which of the `wanted` keys are keys of `ids`; `lead`, when given, is a letter or digit
    every id starts with (`lead_of`, asked in the caller's own pass over the ids)."""
    import polars as pl

    if lead is not None:
        # An id that starts with it has a key that starts with it too (never a zero: `007`).
        wanted = {k for k in wanted if k.startswith(lead.lower())}
    if not wanted:
        return set()
    frame = ids.cast(pl.String).alias("t").to_frame()
    shape = _shapes(wanted)
    maybe = frame if shape is None else frame.select(_candidates(pl.col("t"), shape))
    if not maybe.height:
        return set()
    keys = pl.Series(sorted(wanted), dtype=pl.String).implode()
    t = pl.col("t")
    # An id of digits alone (`0101851234`) has its leading zeros as its whole key: a third of
    # the cost of working the key out, for ids that, numbered, may all be candidates.
    split = maybe.lazy().with_columns(digits=t.str.contains(r"^[0-9]+$"))
    numbers = split.filter("digits").select(t.str.strip_chars_start("0").replace("", "0"))
    others = split.filter(~pl.col("digits"))
    # Both of an id's keys: `FIFE-2024-000123` is `fife2024123` and, joined, `fife2024000123`.
    keyed = [numbers, others.select(key(t)), others.select(key(t, joined=True))]
    hits = pl.concat(keyed).filter(t.is_in(keys)).unique()
    return set(hits.collect(engine=engine_for(maybe.height))["t"].to_list())


def lead_of(ids: pl.Series) -> str | None:
    """The letter or non-zero digit the first id starts with, if every id may start with it
    (whether all do is for the caller to ask, in a pass it makes anyway)."""
    # The first id among the first thousand (a copy of a column's non-null ids costs more
    # than the rest of the narrowing); a file whose first thousand are blank is not narrowed.
    first = ids.head(1000).drop_nulls().head(1).cast(str).to_list()
    lead = first[0][:1] if first else ""
    return lead if lead.isascii() and lead.isalnum() and lead != "0" else None


def _shapes(keys: Iterable[str]) -> str | None:
    """One regular expression that every ASCII text whose key is one of `keys` matches: each
    key as its runs of letters and digits (`fyfe` is four letters, `5312024` seven digits), with
    anything that is not a letter or a digit, or is a zero, allowed between them. None when
    the keys have too many shapes for one expression (polars caps its size): then every id's
    key is worked out."""
    forms = sorted({_shape(k) for k in keys})
    if len(forms) > _MOST_SHAPES or sum(map(len, forms)) > _LONGEST_SHAPES:
        return None
    return f"^{_APART}(?:{'|'.join(forms)})$"


_MOST_SHAPES = 200
_LONGEST_SHAPES = 120_000
"""Bounds well inside polars' 10 MB for a compiled expression: 300 shapes of 64 alternating
letters and digits (355,000 characters) still compile, and 200 shapes cost a million ids
20-40 ms, as a few do."""


def _shape(wanted: str) -> str:
    # A key's dot stands for the separators between two numbers: at least one is there, so a
    # date's key is never looked for among ids of digits alone (`0101851234`).
    classes = {"digit": "[0-9]", "letter": "[A-Za-z]"}
    parts = []
    for kind, run in itertools.groupby(wanted, _kind):
        if kind == "dot":
            parts.append(f"{_SEPARATOR}+{_APART}")
        else:
            parts.append(f"(?:{classes[kind]}{_APART}){{{len(list(run))}}}")
    return "".join(parts)


def _kind(character: str) -> str:
    return "dot" if character == "." else "digit" if character.isdigit() else "letter"


def _candidates(ids: pl.Expr, shape: str) -> pl.Expr:
    """The ids that may have one of the keys `shape` was made from: those of that shape, and
    every id with a character outside ASCII (its key is only known once worked out)."""
    return ids.filter(ids.str.contains(shape) | (ids.str.len_bytes() != ids.str.len_chars()))
