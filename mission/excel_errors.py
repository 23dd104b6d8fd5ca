"""The errors Excel shows in a cell whose formula failed, and what each means.

An officer who is told only that a cell "holds an Excel error" still has to work out why; told
that #REF! means the formula points at cells that were deleted, they know where to look. The
words are ours, looked up by the error's exact text: a cell that shows anything else is told in
general terms, so nothing a file holds is ever repeated by this lookup.
"""

from __future__ import annotations

__all__ = ["EXCEL_ERRORS", "error_meaning", "told_error"]

_MEANINGS = {
    "#NULL!": "its formula names two ranges that do not meet (a space where a comma or colon "
    "belongs)",
    "#DIV/0!": "its formula divides by zero, or by an empty cell",
    "#VALUE!": "its formula uses text where it needs a number",
    "#REF!": "its formula refers to cells that were deleted or moved",
    "#NAME?": "its formula uses a name Excel does not know (a misspelt function or range name)",
    "#NUM!": "its formula gives a number Excel cannot show",
    "#N/A": "its formula looks up a value that is not there (VLOOKUP, XLOOKUP or MATCH)",
    "#GETTING_DATA": "it was still fetching data when the file was saved",
    "#SPILL!": "its formula's results would cover cells already in use",
    "#CALC!": "its formula cannot be worked out (an array with nothing in it)",
    "#FIELD!": "its formula asks for a field its linked data does not have",
    "#BLOCKED!": "its formula needs something Excel has blocked (a link or an add-in)",
    "#UNKNOWN!": "it holds a kind of data this version of Excel does not know",
    "#CONNECT!": "its formula could not reach the service it reads from",
    "#BUSY!": "it was still being worked out when the file was saved",
}

EXCEL_ERRORS = tuple(_MEANINGS)
"""What Excel shows in a cell whose formula failed."""


_KNOWN = {error: (error, meaning) for error, meaning in _MEANINGS.items()}


def error_meaning(shown: str | None) -> tuple[str, str] | None:
    """The error a cell shows, as our own copy of its text, and what it means; None for text
    that is not exactly one of Excel's errors."""
    return _KNOWN.get(shown) if shown is not None else None


def told_error(cell: str, shown: str | None) -> str | None:
    """What a cell that shows one of Excel's errors is told (`cell` says which: "cell D2", "the
    cell"): the error, in our own copy of its text, and what it means; None for anything else,
    which the caller tells in general words."""
    known = error_meaning(shown)
    if known is None:
        return None
    error, meaning = known
    return f"{cell} shows the Excel error {error} instead of a value: {meaning}"
