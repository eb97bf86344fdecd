"""The derived page structures of ``lint/rules/structure.py``: their fast paths give what the plain
definitions give."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from wikitools.lint.rules.structure import (
    _FILE_SCAN_LIMIT,
    _TEMPLATE_NAMES,
    _file_ends,
    braces,
    code_masked,
    external_links,
    is_template_prefix,
)
from wikitools.lint.scan import PageScan
from wikitools.markup import UNPARSED_TAGS


def _file_end(text: str, start: int) -> int | None:
    """The end of the link at ``start`` by definition: the ``]]`` that brings the bracket depth back to
    zero, within the limit and before any blank line."""
    depth = 0
    for match in re.compile(r"\[\[|\]\]|\n\n").finditer(text, start, start + _FILE_SCAN_LIMIT):
        if match.group() == "\n\n":
            return None
        depth += 1 if match.group() == "[[" else -1
        if depth == 0:
            return match.end()
    return None


_PIECES = ["[[", "]]", "[[File:a|", "[[[File:a|", "\n\n", "\n", "x", "[", "]", "|"]


@given(st.lists(st.sampled_from(_PIECES), max_size=60))
@example(["[[File:a|", "x" * 4990, "]]", "[[File:a|", "x" * 4989, "]]"])  # just past, just within the limit
@example(["[[File:a|", "[[File:a|", "x" * 4990, "]]", "]]"])  # the inner link ends in time, the outer not
@example(["[[[File:a|", "[[", "x", "]]", "[[[File:a|", "]]", "]]"])  # out of step with the one before
@example(["[[File:a|", "[[[File:a|", "\n\n", "[[File:a|", "]]"])  # a blank line closes nothing, ends both
def test_file_link_ends_found_in_one_walk_are_those_each_link_finds_alone(pieces: list[str]) -> None:
    text = "".join(pieces)
    starts = [match.start() for match in re.finditer(r"(?=\[\[)", text)]  # every "[[", overlapping ones too
    assert _file_ends(text, starts) == [_file_end(text, start) for start in starts]


@given(st.lists(st.sampled_from(["{{", "{{{", "}}", "}}}", "{", "}", "x", "|", "\n"]), max_size=40))
@example(["{{", "{{{", "x", "}}}", "}}"])
def test_braces_pair_runs_into_properly_nested_elements(pieces: list[str]) -> None:
    text = "".join(pieces)
    found = braces(PageScan(text))
    for element in found.elements:
        width = 3 if element.arg else 2
        assert text[element.start : element.start + width] == "{" * width
        assert text[element.end - width : element.end] == "}" * width
    spans = [(e.start, e.end) for e in found.elements]
    assert [start for start, _ in spans] == sorted(start for start, _ in spans)
    for index, (_, end) in enumerate(spans):
        assert all(later_start >= end or later_end <= end for later_start, later_end in spans[index + 1 :])
    assert all(text[offset] == "{" for offset in found.unclosed)
    assert all(text[offset : offset + 2] == "}}" for offset in found.stray)


@pytest.mark.parametrize(
    ("text", "elements", "unclosed", "stray"),
    [
        ("{{a|{{{b}}}}}", [(0, 13, False), (4, 11, True)], [], []),
        ("{{{{a}}}}", [(1, 8, True)], [], []),  # the closing run takes three; one brace left pairs nothing
        ("{{a}} }} {{b", [(0, 5, False)], [9], [6]),
        ("}}{{a}}{{", [(2, 7, False)], [7], [0]),
    ],
)
def test_braces_as_the_preprocessor_pairs_them(
    text: str, elements: list[tuple[int, int, bool]], unclosed: list[int], stray: list[int]
) -> None:
    found = braces(PageScan(text))
    assert [(e.start, e.end, e.arg) for e in found.elements] == elements
    assert (found.unclosed, found.stray) == (unclosed, stray)


@pytest.mark.parametrize(
    "scheme", ["http:", "HTTPS:", "Ftp:", "ftps:", "MAILTO:", "news:", "irc:", "İrcs:", "//"]
)
def test_external_link_first_character_lookahead_lets_every_scheme_through(scheme: str) -> None:
    # the lookahead before the schemes is a shortcut, and must not narrow what the schemes match
    text = f"see [{scheme}//example.org label] here"
    assert [link.url for link in external_links(PageScan(text))] == [f"{scheme}//example.org"]


@pytest.mark.parametrize("name", UNPARSED_TAGS)
def test_code_masked_blanks_the_content_of_every_raw_tag(name: str) -> None:
    text = f"a <{name.upper()} x=1>[[b]]</{name}> c"
    assert code_masked(PageScan(text)) == f"a <{name.upper()} x=1>     </{name}> c"


@pytest.mark.parametrize("name", sorted(_TEMPLATE_NAMES))
def test_template_prefix_first_character_lookahead_lets_every_name_through(name: str) -> None:
    for spelling in (name, name.upper(), name.capitalize()):
        assert is_template_prefix(f" {spelling} : Infobox")
