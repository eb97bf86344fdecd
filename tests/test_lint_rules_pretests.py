"""The cheap pre-tests some rules run before their exact check (for speed) never skip a page or a line
the exact check would report: each is checked against the exact computation on generated text made
of the characters it is about."""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from wikitools.lint.rules.external import _lonely_closings, _may_close_nothing
from wikitools.lint.rules.formatting import _may_hold_arrow
from wikitools.lint.rules.links import _may_equal
from wikitools.lint.rules.structure import _REF, _REFERENCES, Table, TableRow, code_masked, opening_names
from wikitools.lint.rules.tables import _extents, _layout
from wikitools.lint.rules.tags import _STYLE, _style_attributes
from wikitools.lint.rules.templates import (
    _BRACE_PROGRAMMING,
    _NUMBERED_KEY,
    _NUMBERED_NAME,
    _ODD_KEY,
    _SWITCH_PROGRAMMING,
    _TOP_LEVEL_TRAILING_BR,
    _URL_NAME,
    _all_argument_names,
    _calls_with_equals,
    _may_have_odd_name,
)
from wikitools.lint.scan import PageScan
from wikitools.titles import normalize_title


def _text(*pieces: str, max_size: int = 12) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(pieces), max_size=max_size).map("".join)


# Titles: spaces MediaWiki folds, underscores, colons, and letters whose upper case is longer ('ß').
_TITLE_PIECES = (
    "a",
    "A",
    "ß",
    "SS",
    "S",
    "s",
    "ŉ",
    "ʼN",
    "ﬁ",
    "FI",
    " ",
    "_",
    ":",
    "\xa0",
    "\u3000",
    "\u2009",
    "\x1c",
)


# What MediaWiki's normalization ignores: the case of the first letter, underscores, trailing spaces.
_SAME_TITLE = (str, lambda s: s[:1].upper() + s[1:], lambda s: s.replace(" ", "_"), lambda s: s + "_ ")


@given(_text(*_TITLE_PIECES, max_size=5), st.sampled_from(_SAME_TITLE), _text(*_TITLE_PIECES, max_size=5))
def test_l104_last_character_test_keeps_every_equal_pair(label: str, same: object, other: str) -> None:
    for target in (same(label), other):  # type: ignore[operator]
        if normalize_title(label) == normalize_title(target):
            assert _may_equal(label, target)


@given(_text("[", "]", "[[", "]]", "]]]", "&#91;", "&", "#91;", "a", " "))
def test_e109_line_test_keeps_every_line_with_a_lone_bracket(line: str) -> None:
    if any(True for _ in _lonely_closings(line, 0)):
        assert _may_close_nothing(line)


@given(_text("-", "=", "<", ">", "a", " ", "\n"))
def test_f105_arrow_test_is_the_four_searches(text: str) -> None:
    assert _may_hold_arrow(text) == any(a in text for a in ("->", "<-", "=>", "<="))


_PROGRAMMING = re.compile(  # M105's one pattern before it was split for speed
    r"\{\{\s*(?:#if|#ifeq|#switch|#ifexist)\s*:|\{\{\s*subst\s*:|__(?:NOINDEX|INDEX|NONEWSECTIONLINK)__",
    re.IGNORECASE,
)


@given(_text("{{", "{", " ", "#if", "#IFEQ", "#switch", "subst", "SUBST", ":", "__", "INDEX", "noindex", "x"))
def test_m105_split_patterns_find_what_the_one_pattern_found(text: str) -> None:
    split = sorted(
        [*_BRACE_PROGRAMMING.finditer(text), *_SWITCH_PROGRAMMING.finditer(text)], key=re.Match.start
    )
    assert [(m.start(), m.group()) for m in split] == [
        (m.start(), m.group()) for m in _PROGRAMMING.finditer(text)
    ]


@given(st.lists(st.lists(st.integers(1, 4), min_size=1, max_size=5), min_size=2, max_size=6))
def test_b102_widths_without_row_spans_match_the_grid(colspans: list[list[int]]) -> None:
    rows = [TableRow(index, [(index, span, 1) for span in spans]) for index, spans in enumerate(colspans)]
    table = Table(0, None, rows)
    grid = [(len(line), line.index(line[-1]) + 1) for line in _layout(table)]
    assert _extents(table, rows) == grid


@given(_text("style", "StYlE", "\u017ftyle", "x", "a", " ", "\xa0", "\n", "=", '"', "'", max_size=16))
@example("<p style=\"a style='b'\" style = 'c'>")  # a match inside a match's value does not count
def test_t114_style_search_from_equals_finds_what_the_pattern_finds(text: str) -> None:
    assert [m.span() for m in _style_attributes(text)] == [m.span() for m in _STYLE.finditer(text)]


@given(st.lists(_text("|", "=", "[", "]", "*", ":", "://", " ", "1", "a", "{{b}}", max_size=8), max_size=3))
@example(["|a*=1"])
@example(["|x=1", "| :y=2"])
@example(["|x=1|2=b"])
def test_m104_m107_m110_name_tests_keep_every_call_the_patterns_find(arguments: list[str]) -> None:
    scan = PageScan("".join(f"{{{{t{text}}}}}" for text in arguments))
    flats = [call.flat for call in _calls_with_equals(scan)]
    names = _all_argument_names(scan)
    if any(_ODD_KEY.search(flat) for flat in flats):
        assert _may_have_odd_name(names)
    if any(_URL_NAME.search(flat) for flat in flats):
        assert "://" in names
    if any(_NUMBERED_KEY.search(flat) for flat in flats):
        assert _NUMBERED_NAME.search(names)


@given(
    _text("<", "ref", "REF", "Ref", "erences", "br", "bR", ">", "/", " ", "-", "_", "1", "<!--", "-->", "|")
)
def test_opening_names_hold_every_ref_references_and_br_tag(text: str) -> None:
    # references() and M106 look at the page only when opening_names has the tag's name
    scan = PageScan(text)
    names, masked = opening_names(scan), code_masked(scan)
    if _REF.search(masked) or _REFERENCES.search(masked):
        assert "ref" in names or "references" in names
    if _TOP_LEVEL_TRAILING_BR.search(masked):
        assert "br" in names
