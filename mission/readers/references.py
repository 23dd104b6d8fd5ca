"""Regexes for cell references (`B12`) by where they lie against bounds: the workbook guard's
bulk reading (`bulk.py`) proves a piece's cells lie within the bounds its two ends give, with
`within` in the grammar itself (one pass), or with a search for one `outside` them.

Row numbers and column letters are ordered by length, then symbol by symbol (`9 < 10`,
`Z < AA`); a row number with a leading zero is never within bounds, as the bounds have none.
"""

from __future__ import annotations

import re

__all__ = ["outside", "within"]

_DIGITS, _LETTERS = "0123456789", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _lead(alphabet: str) -> str:
    """The symbols a token may start with: no leading zero."""
    return alphabet[1:] if alphabet == _DIGITS else alphabet


def _beyond(bound: str, alphabet: str, longest: int, below: bool) -> list[str]:
    """Regexes for the tokens over `alphabet` (the first symbol never leading, if it is a digit)
    of at most `longest` symbols that come before `bound` (`below`) or after it."""
    lead = _lead(alphabet)
    found = []
    lengths = range(1, len(bound)) if below else range(len(bound) + 1, longest + 1)
    found += [f"[{lead}][{alphabet}]{{{n - 1}}}" for n in lengths]
    for i, symbol in enumerate(bound):
        allowed = lead if i == 0 else alphabet
        others = [a for a in allowed if (a < symbol if below else a > symbol)]
        if others:
            rest = len(bound) - i - 1
            found.append(f"{re.escape(bound[:i])}[{''.join(others)}][{alphabet}]{{{rest}}}")
    return found


def outside(rows: tuple[str, str], letters: tuple[str, str]) -> str:
    """A regex for a reference (quotes included) whose row or column lies outside the bounds
    given (row numbers without a leading zero); any with a leading zero counts as outside."""
    out_rows = _beyond(rows[0], _DIGITS, 7, True) + _beyond(rows[1], _DIGITS, 7, False)
    out_rows.append("0[0-9]{0,6}")
    out_letters = _beyond(letters[0], _LETTERS, 3, True) + _beyond(letters[1], _LETTERS, 3, False)
    either = [f"[A-Z]{{1,3}}(?:{'|'.join(out_rows)})"]
    if out_letters:
        either.append(f"(?:{'|'.join(out_letters)})[0-9]{{1,7}}")
    return f"[\"'](?:{'|'.join(either)})[\"']"


def _one_of(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"(?:{'|'.join(parts)})"


def _side(bound: str, alphabet: str, first: str, above: bool) -> str:
    """The tokens of `bound`'s length from `bound` up (`above`) or down to it, the first symbol
    drawn from `first`."""
    if not bound:
        return ""
    parts = [re.escape(bound[0]) + _side(bound[1:], alphabet, alphabet, above)]
    others = "".join(a for a in first if (a > bound[0] if above else a < bound[0]))
    if others:
        parts.append(f"[{others}][{alphabet}]{{{len(bound) - 1}}}")
    return _one_of(parts)


def _span(low: str, high: str, alphabet: str) -> str:
    """The tokens from `low` to `high`, both of one length (low <= high)."""
    if not low:
        return ""
    if low[0] == high[0]:
        return re.escape(low[0]) + _span(low[1:], high[1:], alphabet)
    middle = "".join(a for a in alphabet if low[0] < a < high[0])
    parts = [re.escape(low[0]) + _side(low[1:], alphabet, alphabet, above=True)]
    if middle:
        parts.append(f"[{middle}][{alphabet}]{{{len(low) - 1}}}")
    parts.append(re.escape(high[0]) + _side(high[1:], alphabet, alphabet, above=False))
    return _one_of(parts)


def _between(low: str, high: str, alphabet: str) -> str:
    """The tokens from `low` to `high` (no leading zero in either, low <= high)."""
    if len(low) == len(high):
        return _span(low, high, alphabet)
    lead = _lead(alphabet)
    # The first symbol of a token from `low` up is no leading zero, as `low`'s is none.
    parts = [_side(low, alphabet, alphabet, above=True)]
    parts += [f"[{lead}][{alphabet}]{{{n - 1}}}" for n in range(len(low) + 1, len(high))]
    parts.append(_side(high, alphabet, lead, above=False))
    return _one_of(parts)


def within(rows: tuple[str, str], letters: tuple[str, str]) -> str:
    """A regex for a reference (quotes included, the same on both sides) whose row and column
    lie within the bounds given (row numbers without a leading zero)."""
    inside = f"{_between(*letters, _LETTERS)}{_between(*rows, _DIGITS)}"
    return f"(?:\"{inside}\"|'{inside}')"
