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
