"""Outline and structure of one document: sections as a symbol tree, folding ranges, selection ranges."""

from __future__ import annotations

import re
from collections.abc import Sequence

from lsprotocol import types

from .document import Document

_WORD = re.compile(r"\w+")


def _trim(text: str, end: int) -> int:
    """``end`` moved back over the newlines that close a span."""
    while end > 0 and text[end - 1] == "\n":
        end -= 1
    return end


def document_symbols(doc: Document) -> list[types.DocumentSymbol]:
    """The sections as a tree: each heading holds the headings of deeper level that follow it."""
    roots: list[types.DocumentSymbol] = []
    stack: list[tuple[int, types.DocumentSymbol]] = []
    for section in doc.scan.sections:
        heading = section.heading
        symbol = types.DocumentSymbol(
            name=heading.display or "(empty heading)",
            detail=f"level {heading.level}",
            kind=types.SymbolKind.String,
            range=doc.lines.range(heading.start, max(_trim(doc.text, section.end), heading.end)),
            selection_range=doc.lines.range(heading.start, heading.end),
            children=[],
        )
        while stack and stack[-1][0] >= heading.level:
            stack.pop()
        (stack[-1][1].children if stack else roots).append(symbol)  # type: ignore[union-attr]
        stack.append((heading.level, symbol))
    return roots


def folding_ranges(doc: Document) -> list[types.FoldingRange]:
    """Sections, templates, tables, comments and references that span more than one line."""
    lines = doc.lines
    found: list[types.FoldingRange] = []

    def add(start: int, end: int, kind: str | None = None) -> None:
        first, last = lines.line_of(start), lines.line_of(max(start, end - 1))
        if last > first:
            found.append(types.FoldingRange(start_line=first, end_line=last, kind=kind))

    for section in doc.scan.sections:
        add(section.heading.start, _trim(doc.text, section.end), types.FoldingRangeKind.Region)
    for template in doc.templates:
        add(template.start, template.end)
    for start, end in doc.tables:
        add(start, end)
    for start, end in doc.refs:
        add(start, end)
    for start, end in doc.comments:
        add(start, end, types.FoldingRangeKind.Comment)
    return sorted(found, key=lambda r: (r.start_line, -r.end_line))


def selection_ranges(doc: Document, positions: Sequence[types.Position]) -> list[types.SelectionRange]:
    """For each position, the ranges around it from the smallest up: word, link, template, table,
    reference, line, sections, the whole document."""
    return [_selection_chain(doc, doc.lines.offset(position)) for position in positions]


def _selection_chain(doc: Document, offset: int) -> types.SelectionRange:
    text = doc.text
    spans: set[tuple[int, int]] = {(0, len(text))}
    line = doc.lines.line_of(offset)
    line_start, line_end = doc.lines.starts[line], doc.lines.line_end(line)
    spans.add((line_start, line_end))
    for word in _WORD.finditer(text, line_start, line_end):
        if word.start() <= offset <= word.end():
            spans.add(word.span())
    link = doc.link_at(offset)
    if link is not None:
        spans.add((link.start, link.end))
    for start, end in (*((t.start, t.end) for t in doc.templates), *doc.tables, *doc.refs, *doc.comments):
        if start <= offset < end:
            spans.add((start, end))
    for section in doc.scan.sections:
        if section.heading.start <= offset < section.end:
            spans.add((section.heading.start, _trim(text, section.end)))
    chain: types.SelectionRange | None = None
    outer = (0, len(text))
    for start, end in sorted(spans, key=lambda span: (span[1] - span[0], -span[0]), reverse=True):
        if outer[0] <= start and end <= outer[1]:  # each range must hold the next one
            chain = types.SelectionRange(range=doc.lines.range(start, end), parent=chain)
            outer = (start, end)
    assert chain is not None
    return chain
