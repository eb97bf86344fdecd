"""``markup.match_braces``: brace runs paired as MediaWiki's preprocessor pairs them, and the one brace
model that lint's scan and its template rules share.

The expected answers come from ``Preprocessor_Hash::buildDomTreeArrayFromText`` (MediaWiki 1.43,
``includes/parser/Preprocessor_Hash.php``) and the "Preprocessor precedence" cases of MediaWiki's
``tests/parser/preprocessor.txt``; :func:`_preprocessor` below transcribes that loop character by
character, as the reference the fast walk must agree with.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from wikitools.lint.rules.structure import braces
from wikitools.lint.scan import PageScan, SpanSet
from wikitools.markup import match_braces

# The preprocessor's rules (Preprocessor::getRules): what closes an opening, and which lengths of a
# match make an element ("{": 2 a template, 3 a parameter; "[" and "-{" make none).
_CLOSE = {"{": "}", "[": "]", "-{": "}-"}
_NAMES = {"{": (2, 3), "[": (2,), "-{": (2,)}


def _run(text: str, char: str, at: int) -> int:
    end = at
    while end < len(text) and text[end] == char:
        end += 1
    return end - at


def _preprocessor(text: str) -> tuple[list[tuple[int, int, bool]], list[int]]:
    """``(elements, unclosed)`` of ``text`` by the PHP loop, one character at a time: only the current
    innermost piece's closing is looked for; an opening run of at least two is pushed whole; a closing
    matches min(run, piece count), capped at the rule's maximum (3 for braces, 2 otherwise), else the
    largest length that names an element; a piece with characters left stays pushed if two are left,
    turns into ``-{`` if one is left after a ``-``, else is text."""
    stack: list[dict[str, object]] = []
    elements: list[tuple[int, int, bool]] = []
    i = 0
    while i < len(text):
        top = stack[-1] if stack else None
        closing = str(top["close"]) if top else ""
        char, two = text[i], text[i : i + 2]
        if closing and (two == closing or char == closing):
            assert top is not None
            current = two if two == closing else char
            count = len(current) if len(current) > 1 else min(_run(text, char, i), int(top["count"]))
            opening = str(top["open"])
            matching = max((n for n in _NAMES[opening] if n <= count), default=0)
            if not matching:
                i += count
                continue
            left = int(top["count"]) - matching
            if opening == "{":
                elements.append((int(top["start"]) + left, i + matching, matching == 3))
            i += matching
            stack.pop()
            if left >= 2:
                top["count"] = left
                stack.append(top)
            elif left == 1 and opening == "{" and top["prefix"] == "-":
                stack.append({"open": "-{", "close": "}-", "count": 2, "start": int(top["start"]) - 1})
        elif two == "-{" or char in "{[":
            prefix = ""
            if two == "-{":
                count = _run(text, "{", i + 1) + 1
                opening = "-{"
                if count > 2:  # "-{{": the rightmost opening wins, a template
                    prefix, opening, count = "-", "{", count - 1
                    i += 1
            else:
                opening, count = char, _run(text, char, i)
            if count >= 2:
                stack.append(
                    {"open": opening, "close": _CLOSE[opening], "count": count, "start": i, "prefix": prefix}
                )
            i += count
        else:
            i += 1
    return sorted(elements), sorted(int(p["start"]) for p in stack if p["open"] == "{")


def _found(text: str) -> tuple[list[tuple[int, int, bool]], list[int]]:
    match = match_braces(text)
    return [(start, end, parameter) for start, end, parameter, _ in match.elements], match.unclosed


@pytest.mark.parametrize(
    ("text", "elements", "unclosed"),
    [
        # precedence 9: "{{{{1}}}}" shows "{Four}": a brace, a parameter, a brace
        ("{{{{a}}}}", [(1, 8, True)], []),
        # precedence 9: five make a template around a parameter, six a parameter around one, seven
        # a brace, a parameter around a parameter, a brace
        ("{{{{{a}}}}}", [(0, 11, False), (2, 9, True)], []),
        ("{{{{{{a}}}}}}", [(0, 13, True), (3, 10, True)], []),
        ("{{{{{{{a}}}}}}}", [(1, 14, True), (4, 11, True)], []),
        # a closing run pairs only with the innermost opening: "}}}" closes "{{" with two, one left
        ("{{a}}}", [(0, 5, False)], []),
        ("{{b|{{a}}}", [(4, 9, False)], [0]),
        # Bản mẫu:Hoa Kỳ (viwiki): two nested parameters, the six braces close both
        ("{{{a|{{{b|c}}}}}}", [(0, 17, True), (5, 14, True)], []),
        ("{{x|{{{a|{{{b|c}}}}}}|d}}", [(0, 25, False), (4, 21, True), (9, 18, True)], []),
        # precedence 1: in a link the "}}" is text, so the template runs to the last "}}"
        ("{{1x|[[Foo}}|bar]]|bat}}", [(0, 24, False)], []),
        ("{{[[Foo|bar}}]]", [], [0]),
        # precedence 6: a link never closed hides the template's closing
        ("{{1x|[[Foo}}", [], [0]),
        # precedence 7: "]]" closes nothing while a template is the innermost opening
        ("[[Foo|{{1x|Bar]]-x}}-y]]-z", [(6, 20, False)], []),
        # precedence 12: a language variant never closed breaks the template around it
        ("{{1x|foo-{bar}bat}}", [], [0]),
        # precedence 2 and 16: "-{{" is a template; a brace left after "-" opens a variant
        ("-{{1x|foo}-}}-", [(1, 13, False)], []),
        ("-{{{1x|foo}}bar}-", [(2, 12, False)], []),
    ],
)
def test_brace_runs_pair_as_the_preprocessor_pairs_them(
    text: str, elements: list[tuple[int, int, bool]], unclosed: list[int]
) -> None:
    assert _found(text) == (elements, unclosed)
    assert _preprocessor(text) == (elements, unclosed)


_PIECES = ["{{", "{{{", "}}", "}}}", "{", "}", "[[", "]]", "[", "]", "-{", "}-", "-", "a", "|", "\n"]


@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
@example("{{a|[[b [[c]] }} ]] }}")  # a closing inside a nested link waits for the outer "]]"
@example("[[a {{b| ]] }}")  # a link opened with nothing open hides nothing
@example("{{a|[[[[b]] }} ]] }}")  # four brackets: two left open after the first "]]"
def test_the_walk_pairs_every_run_as_the_preprocessor_loop_does(text: str) -> None:
    # the walk reads bracket runs only where a brace run is open: it must still agree everywhere
    assert _found(text) == _preprocessor(text)
    found = match_braces(text)
    assert all(text[offset : offset + 2] == "}}" for offset in found.stray)


def _template(name: st.SearchStrategy[str], inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda n, args: "{{" + n + "".join("|" + a for a in args) + "}}", name, st.lists(inner, max_size=3)
    )


_WORD = st.sampled_from(["a", "b c", "x=y", "Ab", " "])
_SHAPES = st.recursive(
    _WORD,
    lambda inner: st.one_of(
        _template(_WORD, inner),  # {{a|...}}
        st.builds(lambda n, d: "{{{" + n + "|" + d + "}}}", _WORD, inner),  # {{{a|default}}}
        st.builds(lambda t, label: "[[" + t + "|" + label + "]]", _WORD, inner),  # [[a|label]]
        st.builds(lambda body: "<ref>" + body + "</ref>", inner),
        st.builds(lambda body: "<!--" + body + "-->", inner),
        st.builds(lambda body: "<nowiki>" + body + "</nowiki>", inner),
        st.builds(lambda a, b: a + b, inner, inner),
    ),
    max_leaves=12,
)
_BREAKS = st.sampled_from(["", "{{", "}}", "[[", "]]", "{{{", "}}}", "<ref>", "</ref>"])


@given(_SHAPES, _BREAKS, st.integers(min_value=0, max_value=400))
@example("{{a|{{{b|{{c}}}}}}}", "", 0)
@example("{{a|<ref>{{b}}</ref>}}", "}}", 11)  # a stray in a reference closes nothing outside it
def test_the_scan_and_the_template_rules_share_one_brace_model(shape: str, damage: str, at: int) -> None:
    text = shape[:at] + damage + shape[at:]  # the shapes real pages have, sometimes unbalanced
    scan = PageScan(text)
    found = scan.braces
    # the rules' elements are the scan's, and the scan's template spans are those outside a <ref>
    assert [(e.start, e.end, e.arg, e.depth) for e in braces(scan).elements] == found.elements
    assert scan.templates.spans == SpanSet([(start, end) for start, end, _, _ in found.page]).spans
    # outside a <ref>, pairing the masked page (references, comments and nowiki blanked) gives the same
    assert found.page == match_braces(scan.masked).elements
    for start, end, parameter, _ in found.elements:
        width = 3 if parameter else 2
        assert text[start : start + width] == "{" * width and text[end - width : end] == "}" * width


def test_a_reference_is_paired_apart_and_a_comment_holds_no_braces() -> None:
    text = "{{a|<ref>}}{{b</ref><!--}}-->}}"
    found = PageScan(text).braces
    assert found.page == [(0, len(text), False, 0)]  # the "}}" in the reference closes nothing outside
    assert (found.unclosed, found.stray) == ([11], [9])
    # <includeonly> joins the page where it is transcluded: the subst check pairs across its tags
    subst = "<includeonly>{{subst:</includeonly><includeonly>substcheck}}</includeonly>"
    assert PageScan(subst).braces.unclosed == PageScan(subst).braces.stray == []


def test_a_template_ends_where_mediawiki_ends_it_so_its_links_are_not_the_pages() -> None:
    # Bản mẫu:Hoa Kỳ: pairing "{{" and "}}" two at a time ended the navbox at "}}}}}}" and showed its
    # list as the page's own links
    text = "{{Navbox|state={{{trạng thái|{{{state|autocollapse}}}}}}|list1=[[Alabama]]}}"
    scan = PageScan(text)
    assert scan.templates.spans == [(0, len(text))]
    assert scan.visible_links == []


@pytest.mark.parametrize("tag", ["ref", "references", "indicator", "REF", "ref name=a"])
def test_an_extension_elements_content_is_paired_apart(tag: str) -> None:
    # the preprocessor parses an extension tag's content as a document of its own: its braces do not
    # close the page's template, however the tag is spelled
    name = tag.split()[0]
    text = f"{{{{a|<{tag}>}}}}</{name}>}}}}"
    assert PageScan(text).templates.spans == [(0, len(text))]


def test_includeonly_content_joins_the_page_and_a_comment_hides_braces() -> None:
    text = "<includeonly>{{subst:</includeonly>a}}"
    assert [(s, e) for s, e, _, _ in PageScan(text).braces.page] == [(13, len(text))]
    text = "{{a|<!-- }} -->b}}"
    assert PageScan(text).templates.spans == [(0, len(text))]
