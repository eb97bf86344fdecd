"""The plain-text article format: what a rendered wiki page looks like when copied out as text.

The exact rules are in ``docs/formats.md``. In short: the first line is the title, optionally followed
by the rendered word ``Edit``; blocks are separated by one blank line; a block is a list item when it
starts with ``"  • "`` (or ``"  1. "``; two more spaces per nesting level), a heading when it is one
line that :func:`is_heading` accepts, and a paragraph otherwise. A paragraph's extra lines are line
breaks. Items under a "See also" heading are page names, so they read as links. No trailing newline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import InputError
from ..model import Article, Block, Inline, Link, ListBlock, ListItem, Paragraph, Section, Text
from ..titles import title_problem

EDIT_SUFFIX = "Edit"
SEE_ALSO = "see also"
BULLET = "•"
MAX_HEADING_LENGTH = 120
#: A heading does not end like a sentence or a lead-in does.
SENTENCE_END = frozenset(".!?,;:…")
CLOSERS = "\"'”’»)]"

_ITEM = re.compile(r"^((?:  )+)(•|\d+\.) (.*)$")


def is_heading(line: str) -> bool:
    """Whether a one-line block is a heading.

    It is when it has no whitespace at either end, is at most 120 characters long, has a letter or
    digit, is not a list item, and does not end (before closing quotes or brackets) with sentence
    or lead-in punctuation: ``. ! ? , ; : …``.
    """
    if not line or line != line.strip() or len(line) > MAX_HEADING_LENGTH:
        return False
    if not any(c.isalnum() for c in line) or _ITEM.match(line):
        return False
    core = line.rstrip(CLOSERS)
    return bool(core) and core[-1] not in SENTENCE_END


def split_title(first_line: str) -> tuple[str, bool]:
    """The title, and whether the rendered word "Edit" followed it (glued, as a page copy shows it)."""
    if first_line.endswith(EDIT_SUFFIX) and len(first_line) > len(EDIT_SUFFIX):
        head = first_line[: -len(EDIT_SUFFIX)]
        if not head[-1].isspace():
            return head, True
    return first_line, False


@dataclass
class _Builder:
    """Collects blocks into the lead and sections as the reader walks the file."""

    lead: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    heading: tuple[str, int] | None = None
    blocks: list[Block] = field(default_factory=list)

    def add_block(self, block: Block) -> None:
        target = self.blocks if self.heading else self.lead
        if isinstance(block, ListBlock) and target and isinstance(target[-1], ListBlock):
            target[-1] = ListBlock(target[-1].items + block.items)
        else:
            target.append(block)

    def start_section(self, heading: str, line: int) -> None:
        self.close_section()
        self.heading = (heading, line)

    def close_section(self) -> None:
        if self.heading:
            text, line = self.heading
            self.sections.append(Section(text, 2, tuple(self.blocks), line=line))
            self.blocks = []

    def open_list_markers(self) -> str:
        """Markers of the last item when the current block run ends in a list, for nesting."""
        target = self.blocks if self.heading else self.lead
        return target[-1].items[-1].markers if target and isinstance(target[-1], ListBlock) else ""

    def in_see_also(self) -> bool:
        return self.heading is not None and self.heading[0].strip().lower() == SEE_ALSO


def read(text: str) -> Article:
    """The article in plain-text form ``text``; raises :class:`InputError` when it has no title."""
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    title, _ = split_title(lines[0].strip())
    if not title:
        raise InputError("the first line, the title, is empty")
    builder = _Builder()
    for start, block_lines in _blocks(lines):
        if _ITEM.match(block_lines[0]):
            parents = builder.open_list_markers()
            builder.add_block(_list_block(block_lines, start, parents, links=builder.in_see_also()))
        elif len(block_lines) == 1 and is_heading(block_lines[0]):
            builder.start_section(block_lines[0], start)
        else:
            builder.add_block(Paragraph((Text("\n".join(block_lines)),), line=start))
    builder.close_section()
    return Article(title, tuple(builder.lead), tuple(builder.sections))


def _blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Runs of non-blank lines after the title, each with its 1-based first line number."""
    found: list[tuple[int, list[str]]] = []
    current: list[str] = []
    for number, line in enumerate(lines[1:], start=2):
        if line.strip():
            if not current:
                found.append((number, current))
            current.append(line)
        else:
            current = []
    return found


def _list_block(lines: list[str], start: int, parents: str, *, links: bool) -> ListBlock:
    """The list items in ``lines``; ``parents`` are the markers of the item before them."""
    items: list[ListItem] = []
    for offset, line in enumerate(lines):
        match = _ITEM.match(line)
        if match is None:  # a continuation line: a line break inside the previous item
            last = items[-1]
            items[-1] = ListItem((*last.inlines, Text("\n" + line)), last.markers, last.line)
            continue
        indent, marker, text = match.groups()
        depth = len(indent) // 2
        own = "*" if marker == BULLET else "#"
        markers = (parents + own * depth)[: depth - 1] + own
        parents = markers
        inline: Inline = Link(text) if links and not title_problem(text) else Text(text)
        items.append(ListItem((inline,), markers, line=start + offset))
    return ListBlock(tuple(items))


def _item_prefix(item: ListItem, counters: list[int]) -> str:
    del counters[item.depth :]
    counters.extend([0] * (item.depth - len(counters)))
    counters[-1] += 1
    mark = f"{counters[-1]}." if item.ordered else BULLET
    return "  " * item.depth + mark + " "


def _block_texts(block: Block) -> list[str]:
    if isinstance(block, ListBlock):
        counters: list[int] = []
        return [_item_prefix(item, counters) + item.plain for item in block.items]
    return [block.plain]


def write_blocks(article: Article) -> str:
    """The body of the article in plain-text form, without the title line."""
    texts: list[str] = []
    for block in article.lead:
        texts += _block_texts(block)
    for section in article.sections:
        if section.heading.strip():
            texts.append(section.heading)
        for block in section.blocks:
            texts += _block_texts(block)
    return "\n\n".join(t for t in texts if t.strip())


def write(article: Article, *, edit_suffix: bool = False) -> str:
    """The article in plain-text form; ``edit_suffix`` appends the rendered word "Edit" to the title."""
    title = article.title + (EDIT_SUFFIX if edit_suffix else "")
    body = write_blocks(article)
    return f"{title}\n\n{body}" if body else title
