"""The shared page scan: masking keeps offsets, headings and links are found line by line."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from wikitools.lint import scan as scan_module
from wikitools.lint.scan import PageScan, classify, mask
from wikitools.markup import LINK_BRACKETS

HIDING_TAGS = [
    ("<!-- ", " -->"),
    ("<nowiki>", "</nowiki>"),
    ("<pre>", "</pre>"),
    ('<syntaxhighlight lang="python">', "</syntaxhighlight>"),
    ("<source>", "</source>"),
    ("<math>", "</math>"),
    ('<ref name="x">', "</ref>"),
    ("<REF>", "</ref >"),
]


@pytest.mark.parametrize(("opening", "closing"), HIDING_TAGS)
def test_nothing_inside_hiding_tags_is_a_heading_or_a_link(opening: str, closing: str) -> None:
    text = f"Lead [[Japan]].\n{opening}\n== Hidden ==\n[[Hidden link]]\n{closing}\n== Shown ==\nText.\n"
    scan = PageScan(text)
    assert [h.text for h in scan.headings] == ["Shown"]
    assert [link.title for link in scan.links] == ["Japan"]


def test_unclosed_comment_hides_the_rest_but_unclosed_ref_does_not() -> None:
    assert PageScan("A\n<!-- open\n== H ==\n").headings == []
    assert [h.text for h in PageScan("A<ref>open\n== H ==\n").headings] == ["H"]


def test_self_closing_ref_is_masked_without_hiding_what_follows() -> None:
    scan = PageScan('A<ref name="x" />\n== H ==\n[[B]]\n')
    assert [h.text for h in scan.headings] == ["H"] and [link.title for link in scan.links] == ["B"]


def test_headings_survive_an_unclosed_italic() -> None:
    text = "''unclosed italic\n== One ==\nText ''again\n=== Two ===\n== Three ==\n"
    assert [(h.level, h.text, h.line) for h in PageScan(text).headings] == [
        (2, "One", 2),
        (3, "Two", 4),
        (2, "Three", 5),
    ]


def test_headings_keep_their_raw_line() -> None:
    [heading] = PageScan("x\n== A <!-- c --> ==  \ny").headings
    assert (heading.raw, heading.text, heading.line, heading.column) == ("== A <!-- c --> ==  ", "A", 2, 1)


def test_heading_levels_columns_and_broken_kinds() -> None:
    scan = PageScan("== A ==\n=== B ==\n== C\n== D == x\nE ==\n  == F ==\n====== G ======\n")
    assert [(h.level, h.text, h.opening, h.closing) for h in scan.headings] == [
        (2, "A", 2, 2),
        (2, "B", 3, 2),
        (6, "G", 6, 6),
    ]
    assert [(b.kind, b.text, b.line) for b in scan.broken_headings] == [
        ("unclosed", "C", 3),
        ("trailing-text", "D", 4),
        ("no-opening", "E", 5),
        ("indented", "F", 6),
    ]


def test_sections_know_their_body_and_extent() -> None:
    scan = PageScan("Lead\n== A ==\na\n=== A1 ===\nb\n== B ==\nc")
    a, a1, b = scan.sections
    assert scan.body(a).strip() == "a" and scan.text[a.heading.start : a.end].endswith("b\n")
    assert a1.end == b.heading.start and b.end == len(scan.text)
    assert scan.lead_end == 5


def test_links_targets_labels_and_kinds() -> None:
    scan = PageScan(
        "[[Japan|Nippon]] [[:Category:X]] [[Category:Y]] [[File:a.jpg|thumb|A [[Tokyo]] view]] "
        "[[de:Japan]] [[wikt:word]] [[#Sec]] [[japan_Sea#Part]] [[{{PAGENAME}}]] [[https://x.org]] "
        "[[En:Foo]] [[:fr:Paris]] [[Bild:b.png]] [[Κατηγορία:Z]]"
    )
    assert [(link.kind, link.title, link.label) for link in scan.links] == [
        ("article", "Japan", "Nippon"),
        ("article", "Category:X", None),
        ("category", "Category:Y", None),
        ("article", "Tokyo", None),
        ("interlanguage", "de:Japan", None),
        ("interwiki", "wikt:word", None),
        ("section", "", None),
        ("article", "Japan Sea", None),
        ("template", "", None),
        ("external", "", None),
        ("interlanguage", "en:Foo", None),  # the same model as convert (markup.py)
        ("interwiki", "fr:Paris", None),
        ("file", "Bild:b.png", None),
        ("category", "Κατηγορία:Z", None),
    ]
    tokyo = scan.links[3]
    assert tokyo.nested and scan.links[7].fragment == "Part"


def test_unbalanced_brackets_and_links_in_templates() -> None:
    scan = PageScan("a [[b\nc]] d ]] e [[f]] {{Infobox|x=[[g]]}}\n{|\n| [[h]]\n|}\n[[i")
    assert len(scan.unclosed_brackets) == 2 and len(scan.stray_brackets) == 2
    assert [(link.title, link.in_template) for link in scan.links] == [("F", False), ("G", True), ("H", True)]


def test_classify_keeps_a_leading_colon_link_an_article() -> None:
    assert classify(":File:a.jpg") == ("article", "File:a.jpg", None)


@given(st.text(alphabet="ab=\n<>!-/[]|refnowikipr' ", max_size=200))
def test_mask_keeps_length_and_newlines(text: str) -> None:
    masked = mask(text)
    assert len(masked) == len(text)
    assert [i for i, c in enumerate(masked) if c == "\n"] == [i for i, c in enumerate(text) if c == "\n"]
    # the structure fills the same spans: a comment keeps its newlines, an element fills them too
    structure = scan_module.masks(text)[1]
    assert len(structure) == len(text)
    for kept, filled in zip(masked, structure, strict=True):
        blank = " " if filled in scan_module._FILLS else filled
        assert blank == kept or (kept == "\n" and filled == scan_module.ELEMENT_FILL)


@given(st.text(alphabet="{}|: \na", max_size=120))
def test_literal_token_searches_find_what_the_alternations_find(text: str) -> None:
    # the scan finds table edges by a literal search (faster in re); same spans
    reference = scan_module.balanced_spans(text, scan_module.TABLE_EDGES, "{|")
    assert scan_module.table_spans(text) == reference


bracket_pieces = st.sampled_from(["[[", "]]", "[", "]", "|", "\n", "a", "File:x", "&#91;", " ", "[[a]]"])


@example("[[File:x|a [[b]] c]] [[d]] [[e\n]] [[File:y|[[f]]")
@example("[[[a]] [[b]]]")
@given(st.lists(bracket_pieces, max_size=30).map("".join))
def test_bracket_pairing_that_skips_one_line_links_records_what_a_full_walk_does(text: str) -> None:
    scan = PageScan(text)
    full = PageScan(text)  # the same page, its brackets paired again one token at a time
    full.unclosed_brackets, full.stray_brackets, full.nested_targets = [], [], []
    nested: set[int] = set()
    tokens = LINK_BRACKETS.finditer(full.masked)
    full._pair_brackets(nested, [(match.start(), -1) for match in tokens])
    assert scan.unclosed_brackets == full.unclosed_brackets
    assert scan.stray_brackets == full.stray_brackets
    assert scan.nested_targets == full.nested_targets
    assert {link.start for link in scan.links if link.nested} == {link.start for link in full.links} & nested
    # and the links: a page whose brackets are all one-line links skips pairing and the spanning read
    full.links = []
    full._add_links(list(scan_module._LINK_SPANNING.finditer(full.masked)), nested)
    assert scan.links == full.links


headings_strategy = st.lists(
    st.tuples(st.integers(2, 5), st.text(alphabet="abc xyz", min_size=1, max_size=12).filter(str.strip)),
    max_size=8,
)
noise = st.sampled_from(["''", "'''", "[[", "{{", "<b>", "text", "''x'''", "|", "}}"])


@given(headings_strategy, st.lists(noise, min_size=1, max_size=8))
def test_every_heading_is_found_whatever_inline_noise_precedes_it(
    headings: list[tuple[int, str]], junk: list[str]
) -> None:
    lines = []
    for index, (level, text) in enumerate(headings):
        lines.append(" ".join(junk[: index + 1]))
        lines.append(f"{'=' * level} {text} {'=' * level}")
    scan = PageScan("\n".join(lines) + "\n")
    assert [(h.level, h.text) for h in scan.headings] == [(level, text.strip()) for level, text in headings]
    assert [h.line for h in scan.headings] == [2 * i + 2 for i in range(len(headings))]


@pytest.mark.parametrize("piece", ["<ref>", "<nowiki>x", "<h2>", "<!--", "[[", "{{", "== a\n", "a ==\n"])
def test_scan_time_is_linear_on_repeated_unclosed_constructs(piece: str) -> None:
    import time

    from wikitools.lint import lint_text

    start = time.perf_counter()
    lint_text(piece * 20_000, "T")
    assert time.perf_counter() - start < 5  # quadratic scanning took 10-30 s here


def test_tags_close_case_insensitively_and_elements_do_not_nest() -> None:
    masked = mask("a<REF>x</Ref >b<nowiki><ref></nowiki>c</ref>d")
    assert masked == "a" + " " * len("<REF>x</Ref >") + "b" + " " * len("<nowiki><ref></nowiki>") + "c</ref>d"


# What MediaWiki makes of headings and links (each case checked on a dev wiki; issue 9).
def visible_targets(text: str) -> list[str]:
    return [link.title for link in PageScan(text).visible_links]


@pytest.mark.parametrize(
    ("text", "targets"),
    [
        ("[[Alpha|[1]]] and [[Beta|[b]]", ["Alpha", "Beta"]),  # a label may hold single brackets
        ("[[Alpha|two\nlines]]", ["Alpha"]),  # a label may span lines, a target not
        ("[[Al\npha]] [[Alpha|a [[Beta]] c]]", ["Beta"]),
        # an unclosed file link holds no caption: the links after its [[ are plain links
        ("[[File:A.jpg|thumb|[[Alpha|a]] caption\n\nText [[Beta]].", ["Alpha", "Beta"]),
        ("[[File:A.jpg|thumb|[[Alpha|a]] caption]] [[Beta]]", ["Beta"]),
        # a caption's link may hold no [[: the file link stays text, what follows is read anew
        ("[[File:A.jpg|a [[B]] [[File:C.jpg|c [[D]] e]] [[F]]", ["B", "D", "F"]),
        ("[[<ref>[[Alpha]]</ref>x|y]] [[Beta<!-- c -->|z]]", ["Beta"]),  # an element in a target: no title
        # an argument that holds a heading (a column template's) shows in place, its links with it
        ("{{Columns|[[Alpha]]|\n== H ==\n* [[Beta|b]]\n* {{Flag|[[Gamma]]}}\n|x=[[Delta]]}}", ["Beta"]),
        ("{{Columns|\n== H ==\n{{Box|\n=== I ===\n[[Alpha]]|[[Beta]]}}\n}}", ["Alpha"]),
        # text after |- (and after {|) is the row's (the table's) attributes: no link
        ("{|\n|-| [[Alpha]] || [[Beta]]\n| [[Gamma]]\n|}", ["Gamma"]),
        ("{| [[Alpha]]\n| [[Beta]]\n|}\n|- [[Gamma]]", ["Beta", "Gamma"]),
    ],
)
def test_links_as_mediawiki_makes_them(text: str, targets: list[str]) -> None:
    assert visible_targets(text) == targets


def test_a_label_ending_in_a_bracket_keeps_it_and_the_link_its_end() -> None:
    [link] = PageScan("[[Alpha|[1]]] x").links
    assert (link.label, link.end) == ("[1]", 13)


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ("== Tail&nbsp; ==", "Tail\xa0"),  # only ASCII whitespace is trimmed and collapsed
        ("== Ideo\u3000==", "Ideo\u3000"),
        ("== A&nbsp;— b ==", "A\xa0— b"),
        ("== A \t  b ==", "A b"),
        ("== Links[http://example.org Site] ==", "LinksSite"),
        ("== See: [[:Category:X]] ==", "See: Category:X"),
        ("== [[File:Flag.png|35px]] Days ==", "Days"),
        ("== Filed [[Category:X]] here ==", "Filed here"),
        ("=== <nowiki>খনিজ লবণ</nowiki>===", "খনিজ লবণ"),
        ("== A<ref>[[B]]</ref> <!-- c -->==", "A"),
    ],
)
def test_heading_text_as_mediawiki_shows_it(line: str, shown: str) -> None:
    [heading] = PageScan(line + "\ntext\n").headings
    assert heading.display == shown


def test_a_heading_keeps_its_no_break_space_but_its_anchor_does_not() -> None:
    scan = PageScan("== A&nbsp;b\u3000c ==\n[[#A b c]]\n")
    assert scan.headings[0].display == "A\xa0b\u3000c" and "A b c" in scan.anchors  # MediaWiki's id: A_b_c
