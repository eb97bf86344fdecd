"""Convert and lint read a page the same way: the same headings and the same visible links, because
both take what a tag or a link is from wikitools.markup (issue 9 item 7). The corpus check is
``benchmarks/lint_agreement.py``."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wikitools.formats.wikitext_read import read
from wikitools.lint.scan import PageScan
from wikitools.titles import normalize_title

WORDS = st.sampled_from(["Tokyo", "Osaka", "river", "Kyoto", "old town", "Nara"])
TARGETS = st.sampled_from(["Japan", "Okinawa", "mount Fuji", "Sea_of_Japan", "Ainu people"])


#: Shapes where lint read the corpus differently from MediaWiki (checked on a dev wiki; issue 9).
MEDIAWIKI_SHAPES = [
    "[[Alpha|[1]]] and [[Beta|[b]]\n",
    "{|\n|-| [[Alpha]] || [[Beta]]\n|}\n",
    "[[File:A.jpg|thumb|[[Alpha|a]] caption\n\nText [[Beta]].\n",
    "== Tail&nbsp; ==\n== Ideo\u3000==\n== A&nbsp;— b ==\n",
    "== Links[http://example.org Site] ==\n== [[Category:X]] See ==\n",
    "== [[File:Flag.png|35px]] Days ==\n=== <nowiki>খনিজ লবণ</nowiki>===\n",
]


@pytest.mark.parametrize("text", MEDIAWIKI_SHAPES)
def test_convert_and_lint_agree_where_lint_read_the_corpus_wrong(text: str) -> None:
    assert PageScan(text).outline() == convert_view(text)


@st.composite
def inline(draw: st.DrawFn) -> str:
    word, target = draw(WORDS), draw(TARGETS)
    return draw(
        st.sampled_from(
            [
                word,
                f"[[{target}]]",
                f"[[{target}|{word}]]",
                f"[[:Category:{word}]]",
                f"[[Category:{word}]]",
                f"[[En:{target}]]",
                f"[[de:{target}]]",
                f"[[File:{word}.jpg|thumb|A [[{target}]] view]]",
                # a file link never closed, whose caption may run into a later file link's (mrwiki चंद्र)
                f"[[File:{word}.jpg|thumb|[[{target}]] left open",
                f"[[File:{word}.jpg|thumb|[[{target}]] a\n[[File:B.jpg|thumb|[[{draw(TARGETS)}]] b]]",
                f"{{{{Infobox|place=[[{target}]]}}}}",
                f"<ref>[[{target}]] in a note</ref>",
                f"<!-- [[{target}]] -->",
                f"[[{target}|[{word}]]]",  # a label may hold brackets and span lines (MediaWiki links both)
                f"[[{target}|two\n{word}]]",
                f"<nowiki>[[{target}]]</nowiki>",
                "<math>[[x]]</math>",
                f"'''{word}'''",
            ]
        )
    )


@st.composite
def block(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["heading", "paragraph", "list", "gallery", "table"]))
    if kind == "heading":
        marks = "=" * draw(st.integers(2, 4))
        extra = draw(
            st.sampled_from(
                ["", "<!-- note -->", "<ref>[[Japan]]</ref>", f" [[{draw(TARGETS)}]]", " [[Nara|old]]"]
            )
        )
        return f"{marks} {draw(WORDS).capitalize()}{extra} {marks}"
    if kind == "gallery":
        return f"<gallery>\nFile:a.jpg|[[{draw(TARGETS)}]]\n</gallery>"
    text = " ".join(draw(st.lists(inline(), min_size=1, max_size=5)))
    if kind == "table":  # a cell, or a cell of a table nested in a cell
        nested = draw(st.booleans())
        return f"{{|\n|\n{{|\n| {text}\n|}}\n|}}" if nested else f"{{|\n| {text} || [[{draw(TARGETS)}]]\n|}}"
    return f"* {text}" if kind == "list" else text


#: What real pages end with when a template or a table is never closed: both sides must agree on what
#: stays visible after it.
UNCLOSED_TAILS = ["", "{{Infobox|place=[[Japan]]\n", "{|\n| [[Japan]] || Nara\n", "{{Navbox|\n== Later ==\n"]


def convert_view(text: str) -> tuple[list[tuple[int, str]], list[str]]:
    article = read(text, "Test page")
    headings = [(section.level, section.heading) for section in article.sections]
    return headings, [normalize_title(link.target.lstrip(":")) for link in article.links()]


def lint_view(text: str) -> tuple[list[tuple[int, str]], list[str]]:
    """Lint's headings, and every visible link, those inside headings included (convert keeps them)."""
    scan = PageScan(text)
    headings, _ = scan.outline()
    return headings, [normalize_title(link.target.strip().lstrip(":")) for link in scan.visible_links]


@settings(max_examples=100, deadline=None)
@given(st.lists(block(), min_size=1, max_size=8), st.sampled_from(UNCLOSED_TAILS))
def test_convert_and_lint_see_the_same_headings_and_links(blocks: list[str], tail: str) -> None:
    text = "\n\n".join(blocks) + "\n" + tail
    assert lint_view(text) == convert_view(text)


def test_links_in_headings_are_counted_by_both() -> None:
    text = "== [[Tokyo]] and [[Nara|old town]] ==\nText [[Kyoto]].\n"
    assert lint_view(text) == convert_view(text) == ([(2, "Tokyo and old town")], ["Tokyo", "Nara", "Kyoto"])
