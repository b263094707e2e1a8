"""The iCalendar invitation's text rules (RFC 5545): escaping and folding, for any text."""

from hypothesis import given
from hypothesis import strategies as st

from hct.conversations.ics import escape, fold


def unfold(text: str) -> str:
    return text.replace("\r\n ", "")


def test_special_characters_are_escaped():
    assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


@given(st.text(max_size=400))
def test_folded_lines_are_short_and_unfold_to_the_original(text):
    line = "DESCRIPTION:" + escape(text)
    folded = fold(line)
    assert unfold(folded) == line
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert "\n" not in folded.replace("\r\n", "")
