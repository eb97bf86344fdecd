"""Hypothesis strategies for articles in the plain-text format (the canonical form the writer emits)."""

from __future__ import annotations

from hypothesis import strategies as st

from wikitools.formats.plaintext import _ITEM, is_heading, split_title
from wikitools.model import Article, Link, ListBlock, ListItem, Paragraph, Section, Text

#: Letters, digits and every character that means something in wikitext.
ALPHABET = "abcXYZ019 é•’—[]{}'<>&=*#:;|~_-!/.%?\"\t"

words = st.text(alphabet=ALPHABET, min_size=1, max_size=30).map(lambda s: " ".join(s.split()))
line = words.filter(lambda s: bool(s) and not _ITEM.match(s))
sentence = line.map(lambda s: s + ".")
heading = line.filter(is_heading)
title = line.filter(lambda s: split_title(s) == (s, False))


@st.composite
def paragraphs(draw: st.DrawFn) -> Paragraph:
    lines = draw(st.lists(line, min_size=1, max_size=3))
    if len(lines) == 1 and is_heading(lines[0]):
        lines[0] += "."
    return Paragraph((Text("\n".join(lines)),))


@st.composite
def lists(draw: st.DrawFn) -> ListBlock:
    items, markers = [], ""
    for _ in range(draw(st.integers(1, 4))):
        depth = draw(st.integers(1, len(markers) + 1 if markers else 1))
        markers = markers[: depth - 1] + draw(st.sampled_from("*#"))
        items.append(ListItem((Text(draw(line)),), markers))
    return ListBlock(tuple(items))


blocks = st.one_of(paragraphs(), lists())


@st.composite
def sections(draw: st.DrawFn) -> Section:
    name = draw(heading)
    content = draw(st.lists(blocks, max_size=3))
    if name.lower() == "see also":
        content = [ListBlock(tuple(ListItem((Link(draw(title)),)) for _ in range(draw(st.integers(0, 2)))))]
        content = [b for b in content if b.items]
    return Section(name, 2, tuple(_merge_lists(content)))


def _merge_lists(content: list) -> list:
    """Adjacent lists read back as one list; build them that way."""
    merged: list = []
    for block in content:
        if isinstance(block, ListBlock) and merged and isinstance(merged[-1], ListBlock):
            merged[-1] = ListBlock(merged[-1].items + block.items)
        else:
            merged.append(block)
    return merged


@st.composite
def articles(draw: st.DrawFn) -> Article:
    lead = _merge_lists(draw(st.lists(blocks, max_size=3)))
    return Article(draw(title), tuple(lead), tuple(draw(st.lists(sections(), max_size=4))))
