"""The grammar a sheet's rows (and a shared-strings table) must match, whole, to be read in bulk
(`bulk.py`): a regular language for Rust's linear-time regex engine, accepting only the elements
Excel writes there, each with its own attributes in the schema's order; and the searches run in
content that matched it, where every `<` starts one of its tags."""

from __future__ import annotations

__all__ = [
    "ANY_ERROR",
    "ANY_FORMULA",
    "A_REF",
    "CELL",
    "ERROR",
    "NO_CHILD",
    "PARTS",
    "PLAIN_ROWS",
    "ROWS",
    "SI_TAG",
    "STRINGS",
    "VALUED",
    "WITH_FORMULA",
    "plain_cell",
    "with_content",
]

_S = r"[ \t\r\n]"
_TEXT = r"(?:[^<&>\x00-\x08\x0B\x0C\x0E-\x1F\x{FFFE}\x{FFFF}]|&(?:amp|lt|gt|quot|apos);)*"
_REF = "[A-Z]{1,3}[0-9]{1,7}"


def _quoted(value: str) -> str:
    return f"""(?:"{value}"|'{value}')"""


_VALUE = _quoted("[^\"'<&>\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x{FFFE}\\x{FFFF}]*")


def _attributes(*names: str) -> str:
    """Each attribute at most once, in this order (the schema's)."""
    return "".join(f"(?:{_S}+{name}{_S}*={_S}*{_VALUE})?" for name in names)


def _element(name: str, attributes: str, content: str) -> str:
    return f"<{name}{attributes}{_S}*(?:/>|>{content}</{name}{_S}*>)"


_T = _element("t", f"(?:{_S}+xml:space{_S}*={_S}*{_quoted('preserve')})?", _TEXT)
_F = _element(
    "f",
    _attributes("t", "aca", "ref", "dt2D", "dtr", "del1", "del2", "r1", "r2", "ca", "si", "bx"),
    _TEXT,
)
_V = _element("v", "", _TEXT)
_IS = _element("is", "", f"(?:{_S}|{_T})*")


def _head(reference: str) -> str:
    """A cell's start tag, up to its `>`, with a reference `reference` matches."""
    return f"<c{_S}+r{_S}*={_S}*{reference}{_attributes('s', 't', 'cm', 'vm', 'ph')}{_S}*"


_CELL_HEAD = _head(_quoted(_REF))
CELL = f"{_CELL_HEAD}(?:/>|>{_S}*(?:{_F}{_S}*)?(?:{_V}{_S}*)?(?:{_IS}{_S}*)?</c{_S}*>)"
_PLAIN_TYPE = f"(?:{_S}+t{_S}*={_S}*{_quoted('(?:s|n|b|str|inlineStr|d)')})?"


_PLAIN_CHILDREN = f"(?:{_V}{_S}*)?(?:{_IS}{_S}*)?"


def plain_cell(reference: str, children: str = _PLAIN_CHILDREN) -> str:
    """A cell without a formula or an error, with a reference `reference` matches, holding
    what `children` matches."""
    head = (
        f"<c{_S}+r{_S}*={_S}*{reference}{_attributes('s')}{_PLAIN_TYPE}"
        f"{_attributes('cm', 'vm', 'ph')}{_S}*"
    )
    return f"{head}(?:/>|>{_S}*{children}</c{_S}*>)"


_PLAIN_CELL = plain_cell(_quoted(_REF))
NO_CHILD = plain_cell(_quoted(_REF), children="")
"""A cell with nothing in it (no value, so it may lie anywhere)."""
_ROW = _element(
    "row",
    _attributes(
        "r",
        "spans",
        "s",
        "customFormat",
        "ht",
        "hidden",
        "customHeight",
        "outlineLevel",
        "collapsed",
        "thickTop",
        "thickBot",
        "ph",
        "x14ac:dyDescent",
    ),
    f"(?:{_S}|{CELL})*",
)
ROWS = f"^(?:{_S}|{_ROW})*$"
"""What `sheetData` may hold for its rows to be read in bulk."""
PLAIN_ROWS = ROWS.replace(CELL, _PLAIN_CELL)
"""The same, without a formula or an error cell (one search then shows there is none)."""

_RUN_PROPERTY = (
    f"<(?:b|i|strike|condense|extend|outline|shadow|u|vertAlign|sz|rFont|family|charset|scheme)"
    f"{_attributes('val')}{_S}*/>"
    f"|<color{_attributes('auto', 'indexed', 'rgb', 'theme', 'tint')}{_S}*/>"
)
_RUN = _element(
    "r", "", f"{_S}*(?:{_element('rPr', '', f'(?:{_S}|{_RUN_PROPERTY})*')}{_S}*)?{_T}{_S}*"
)
_PHONETIC = _element("rPh", _attributes("sb", "eb"), f"{_S}*{_T}{_S}*")
_PHONETIC_PR = f"<phoneticPr{_attributes('fontId', 'type', 'alignment')}{_S}*/>"
_SI = _element("si", "", f"(?:{_S}|{_T}|{_RUN})*(?:{_PHONETIC}{_S}*)*(?:{_PHONETIC_PR}{_S}*)?")
STRINGS = f"^(?:{_S}|{_SI})*$"
"""What the shared-strings table (`sst`) may hold to be counted in bulk."""

# Only ever searched in content that matched the grammar above, where every `<` starts one of
# its tags (text holds none) and a cell holds at most one `<v>` and one `<is>`.
_FORMULA_FIRST = f">{_S}*(?:{_F}{_S}*)?"


def with_content(reference: str) -> str:
    """A cell (with a reference `reference` matches) that the Excel library reads as holding
    something: a `<v>` with text, an `<is>`, or a `<v>` even empty in a text or date cell (an
    empty `<v>` in any other cell is nothing to it). The match starts at the cell's `<c`."""
    kept = (
        f"<c{_S}+r{_S}*={_S}*{reference}{_attributes('s')}{_S}+t{_S}*={_S}*"
        f"{_quoted('(?:str|d)')}{_attributes('cm', 'vm', 'ph')}{_S}*"
    )
    return (
        f"(?:{_head(reference)}{_FORMULA_FIRST}(?:<v{_S}*>[^<]|(?:{_V}{_S}*)?<is[ \\t\\r\\n/>])"
        f"|{kept}{_FORMULA_FIRST}<v[ \\t\\r\\n/>])"
    )


VALUED = with_content(_quoted(_REF))
WITH_FORMULA = f"{_CELL_HEAD}>{_S}*<f[ \\t\\r\\n/>]"
ERROR = f"<c{_S}+r{_S}*={_S}*{_quoted(_REF)}{_attributes('s')}{_S}+t{_S}*={_S}*{_quoted('e')}"
ANY_FORMULA = "<f[ \t\r\n/>]"
ANY_ERROR = f"{_S}t{_S}*={_S}*{_quoted('e')}"
A_REF = f"({_REF})"
PARTS = f"<c{_S}+r{_S}*={_S}*[\"']([A-Z]{{1,3}})([0-9]{{1,7}})"
SI_TAG = "<si[ \\t\\r\\n/>]"
