"""Hypothesis strategies for articles in the plain-text format (the canonical form the writer emits).

They generate the shapes real pages have and earlier strategies missed: URLs followed by markup
characters (``<``, ``&``, ``{{``, ``__``), no-break and other special spaces, tabs, backslashes, markup
look-alikes, one-line paragraphs that look like headings, headings that end like sentences, tables,
definition lists and continuations, numbered lists that restart, empty headings, and redirects.
"""

from __future__ import annotations

import re

from hypothesis import strategies as st

from wikitools.formats.plaintext import _ITEM, split_title
from wikitools.model import Article, Link, ListBlock, ListItem, Paragraph, Section, Table, Text

#: Letters, digits, special spaces and every character that means something in wikitext.
ALPHABET = "abcXYZ019 é•’—[]{}'<>&=*#:;|~_-!/.%?\"\\\t\u00a0\u2009\u3000"
#: Pieces real text is made of that a random alphabet rarely assembles.
SHAPES = (
    "http://example.org/a",
    "https://example.org/p?q=1&amp;r",
    "<ref>",
    "</ref>",
    "&amp;",
    "&nbsp;",
    "{{",
    "}}",
    "__TOC__",
    "[[",
    "]]",
    "''",
    "~~~~",
    "TextEdit",
    "Edit",
    "Redirect to:",
    "#REDIRECT",
    "{|",
    "|}",
    "  • ",
    "  1. ",
    "  ; ",
    "  : ",
    "\\",
)
_RUNS_OF_SPACES = re.compile(" +")

fragment = st.one_of(st.text(alphabet=ALPHABET, min_size=1, max_size=12), st.sampled_from(SHAPES))
words = st.lists(fragment, min_size=1, max_size=5).map(
    lambda parts: _RUNS_OF_SPACES.sub(" ", "".join(parts)).strip(" ")
)
line = words.filter(lambda s: bool(s.strip(" \t")))
heading = (
    line.map(lambda s: s.strip(" \t"))
    .filter(lambda s: bool(s.strip()) and "\t" not in s)
    .filter(lambda s: s[0] != "\\")  # a heading cannot start with the paragraph mark (docs/formats.md)
)
title = (
    st.text(alphabet="abcXYZ019 é-", min_size=1, max_size=20)
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: bool(s) and split_title(s) == (s, False))
)
cell_text = st.text(alphabet=ALPHABET.replace("\t", ""), max_size=12)


@st.composite
def paragraphs(draw: st.DrawFn) -> Paragraph:
    lines = draw(st.lists(line, min_size=1, max_size=3))
    return Paragraph((Text("\n".join(lines)),))


@st.composite
def lists(draw: st.DrawFn) -> ListBlock:
    items, markers = [], ""
    for _ in range(draw(st.integers(1, 4))):
        depth = draw(st.integers(1, len(markers) + 1 if markers else 1))
        markers = markers[: depth - 1] + draw(st.sampled_from("*#:;"))
        text = draw(line.filter(lambda s: not _ITEM.match(s) and s == s.strip(" \t") and "\t" not in s))
        items.append(ListItem((Text(text),), markers))
    return ListBlock(tuple(items))


@st.composite
def tables(draw: st.DrawFn) -> Table:
    rows = []
    for _ in range(draw(st.integers(1, 3))):
        cells = draw(st.lists(cell_text, min_size=1, max_size=3))
        if not any(c.strip(" \t\r") for c in cells):
            cells[0] = "x"
        if not rows and cells[0].startswith("\\"):  # that is the paragraph mark (docs/formats.md)
            cells[0] = "x" + cells[0]
        rows.append(tuple((Text(c),) if c else () for c in cells))
    return Table(tuple(rows))


blocks = st.one_of(paragraphs(), lists(), tables())


@st.composite
def sections(draw: st.DrawFn) -> Section:
    name = draw(heading | st.just(""))  # `==  ==`: MediaWiki shows an empty heading
    content = draw(st.lists(blocks, max_size=3))
    if name.lower() == "see also":
        content = [ListBlock(tuple(ListItem((Link(draw(title)),)) for _ in range(draw(st.integers(0, 2)))))]
        content = [b for b in content if b.items]
    return Section(name, 2, tuple(_merge_lists(content)))


def _merge_lists(content: list) -> list:
    """Adjacent lists read back as one list, unless the second restarts numbering; build them that way."""
    merged: list = []
    for block in content:
        adjacent = isinstance(block, ListBlock) and merged and isinstance(merged[-1], ListBlock)
        if adjacent and not _restarts(merged[-1], block):
            merged[-1] = ListBlock(merged[-1].items + block.items)
        else:
            merged.append(block)
    return merged


def _restarts(before: ListBlock, after: ListBlock) -> bool:
    """Whether the text of ``after`` shows "1." where continuing ``before`` would not."""
    first = after.items[0]
    if first.markers != "#":
        return False
    top = [item.markers for item in before.items if item.depth == 1]
    return bool(top) and top[-1] == "#"


@st.composite
def articles(draw: st.DrawFn) -> Article:
    lead = _merge_lists(draw(st.lists(blocks, max_size=3)))
    redirect = draw(st.none() | st.builds(lambda t, s: t + s, title, st.sampled_from(["", "#History"])))
    return Article(draw(title), tuple(lead), tuple(draw(st.lists(sections(), max_size=4))), redirect=redirect)
