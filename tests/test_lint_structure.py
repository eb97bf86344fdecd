"""The derived page structures of ``lint/rules/structure.py``: their fast paths give what the plain
definitions give."""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from wikitools.lint.rules.structure import _file_end, _file_ends

_PIECES = ["[[", "]]", "[[File:a|", "[[[File:a|", "\n\n", "\n", "x", "[", "]", "|"]


@given(st.lists(st.sampled_from(_PIECES), max_size=60))
@example(["[[File:a|", "x" * 4990, "]]", "[[File:a|", "x" * 4989, "]]"])  # just past, just within the limit
@example(["[[File:a|", "[[File:a|", "x" * 4990, "]]", "]]"])  # the inner link ends in time, the outer not
def test_file_link_ends_found_in_one_walk_are_those_each_link_finds_alone(pieces: list[str]) -> None:
    text = "".join(pieces)
    starts = [match.start() for match in re.finditer(r"(?=\[\[)", text)]  # every "[[", overlapping ones too
    assert _file_ends(text, starts) == [_file_end(text, start) for start in starts]
