"""Offsets into a document's text ⇄ LSP positions (line, character in the client's code units).

Everything in the server works on code point offsets, as the lint scan does; only this module knows
that a client counts UTF-16 units by default (or UTF-8 bytes, or code points when it says so). Lines end
at ``\\n``, as MediaWiki and the lint scan split them.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from lsprotocol import types

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def line_starts(text: str) -> list[int]:
    """The offset at which each line starts."""
    starts = [0]
    position = text.find("\n")
    while position != -1:
        starts.append(position + 1)
        position = text.find("\n", position + 1)
    return starts


def units(text: str, encoding: str) -> int:
    """How many code units of ``encoding`` ``text`` takes."""
    if encoding == UTF32 or text.isascii():
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8"))
    return len(text.encode("utf-16-le")) // 2


class LineIndex:
    """Positions of one version of a document's text."""

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self.text = text
        self.encoding = encoding
        self.starts = line_starts(text)
        # Columns are code point counts when the encoding counts code points, or UTF-16 units and the
        # text has no character outside the Basic Multilingual Plane (most text in any script).
        self.plain = encoding == UTF32 or text.isascii() or (encoding == UTF16 and not _ASTRAL.search(text))

    def line_of(self, offset: int) -> int:
        """The 0-based line of ``offset``."""
        return bisect_right(self.starts, offset) - 1

    def line_end(self, line: int) -> int:
        """The offset of the end of a 0-based line (its newline, or the end of the text)."""
        return self.starts[line + 1] - 1 if line + 1 < len(self.starts) else len(self.text)

    def position(self, offset: int) -> types.Position:
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        if self.plain:
            return types.Position(line, offset - start)
        return types.Position(line, units(self.text[start:offset], self.encoding))

    def columns(self, line: int, offsets: tuple[int, ...]) -> list[int]:
        """The columns of several offsets on one 0-based line (no Position objects: indexing is hot)."""
        start = self.starts[line]
        if self.plain:
            return [offset - start for offset in offsets]
        first = min(offsets)  # counted once from the line start; the rest from there (links are short)
        base = units(self.text[start:first], self.encoding)
        return [base + units(self.text[first:offset], self.encoding) for offset in offsets]

    def range(self, start: int, end: int) -> types.Range:
        return types.Range(self.position(start), self.position(end))

    def offset(self, position: types.Position) -> int:
        """The offset of a client position (clamped to its line, as the specification asks)."""
        if position.line >= len(self.starts):
            return len(self.text)
        start = self.starts[max(position.line, 0)]
        end = self.line_end(max(position.line, 0))
        if self.plain:
            return min(start + position.character, end)
        counted = 0
        for index in range(start, end):
            if counted >= position.character:
                return index
            counted += units(self.text[index], self.encoding)
        return end
