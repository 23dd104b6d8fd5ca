"""Text from strangers is shown escaped: the fast way out for plain text changes nothing."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mission.text import has_unsafe_characters, safe_text


@settings(max_examples=500)
@given(text=st.text(), limit=st.integers(1, 40))
def test_safe_text_is_at_most_the_limit_and_never_unsafe(text: str, limit: int) -> None:
    """Whatever the text, what is shown has no unsafe character and at most `limit` of them,
    and text that is short and safe is shown as it is."""
    shown = safe_text(text, limit)
    assert len(shown) <= limit
    assert not has_unsafe_characters(shown)
    if len(text) <= limit and not has_unsafe_characters(text):
        assert shown == text


def test_every_ascii_control_is_escaped() -> None:
    """Each ASCII control character (tab and newline too) is shown as an escape."""
    for code in [*range(32), 127]:
        assert safe_text(f"a{chr(code)}b") in ("a\\tb", "a\\nb", "a\\rb", f"a\\x{code:02x}b")


_WORD = st.text(st.characters(codec="utf-8", categories=("L", "N")), min_size=1, max_size=6)


@given(
    value=_WORD,
    before=st.lists(_WORD, max_size=4),
    after=st.lists(_WORD, max_size=4),
)
def test_without_quotes_leaves_no_quotation_and_keeps_other_words(
    value: str, before: list[str], after: list[str]
) -> None:
    """Withheld words never keep the value, quoted or standing alone in any case, and a word
    that merely contains it is left as it was."""
    import re

    from mission.text import WITHHELD_WORDS, without_quotes

    words = " ".join([*before, repr(value), value.upper(), *after, f"x{value}x"])
    result = without_quotes(value, words)
    assert result is not None
    rest = result.replace(WITHHELD_WORDS, " ")
    assert repr(value) not in rest
    assert not re.search(rf"(?<!\w){re.escape(value)}(?!\w)", rest, re.IGNORECASE)
    if result != WITHHELD_WORDS:
        assert f"x{value}x" in result
