"""The plain-text article format: what a rendered wiki page looks like when copied out as text.

The exact rules are in ``docs/formats.md``. In short: the first line is the title, optionally followed
by the rendered word ``Edit``; blocks are separated by one blank line. A block is, in this order:

- a paragraph when it starts with ``\\``: the writer's mark for a paragraph that would read as
  something else; the ``\\`` is not part of the text when what follows needs it, and is otherwise;
- a heading when its second and last line underlines it with ``=``, one per character (at least
  three): the writer's form for a heading that ends like a sentence or is otherwise no heading line;
  ``===`` alone is a heading with no text (``==  ==`` in wikitext);
- a table when every line holds a tab: one row a line, cells separated by tabs (a trailing tab ends
  a row of one cell), as a browser copies a table;
- a list item when it starts with ``"  • "``, ``"  1. "``, ``"  ; "`` (a term) or ``"  : "`` (a
  definition or indented line), two more spaces per nesting level;
- a redirect when it is the first block and reads ``Redirect to:`` then the target on the next line;
- a heading when it is one line that :func:`is_heading` accepts;
- a paragraph otherwise; its extra lines are line breaks.

Items under a "See also" heading are page names, so they read as links. No trailing newline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import InputError
from ..model import Article, Block, Inline, Link, ListBlock, ListItem, Paragraph, Section, Table, Text
from ..titles import title_problem

EDIT_SUFFIX = "Edit"
SEE_ALSO = "see also"
BULLET = "•"
PARAGRAPH_MARK = "\\"
REDIRECT_LINE = "Redirect to:"
MAX_HEADING_LENGTH = 120
#: A heading does not end like a sentence or a lead-in does.
SENTENCE_END = frozenset(".!?,;:…")
CLOSERS = "\"'”’»)]"

_ITEM = re.compile(r"^((?:  )+)(•|\d+\.|;|:) (.*)$")
_OWN_MARKER = {BULLET: "*", ";": ";", ":": ":"}
_BLANK = " \t\r"


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


def split_title(first_line: str, body: str = "") -> tuple[str, bool]:
    """The title, and whether the rendered word "Edit" followed it (glued, as a page copy shows it).

    A title that itself ends in "Edit" (``TextEdit``) keeps it when the ``body`` names it so.
    """
    if first_line.endswith(EDIT_SUFFIX) and len(first_line) > len(EDIT_SUFFIX):
        head = first_line[: -len(EDIT_SUFFIX)]
        if not head[-1].isspace() and not _names(body, first_line):
            return head, True
    return first_line, False


def _names(body: str, title: str) -> bool:
    """Whether ``body`` holds ``title`` as a whole word, in any case."""
    return re.search(rf"(?<!\w){re.escape(title)}(?!\w)", body, re.IGNORECASE) is not None


@dataclass
class _Builder:
    """Collects blocks into the lead and sections as the reader walks the file."""

    lead: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    heading: tuple[str, int] | None = None
    blocks: list[Block] = field(default_factory=list)

    def add_block(self, block: Block, *, new_list: bool = False) -> None:
        target = self.blocks if self.heading else self.lead
        if isinstance(block, ListBlock) and not new_list and target and isinstance(target[-1], ListBlock):
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

    def open_list(self) -> ListBlock | None:
        """The list the current block run ends in, for nesting and numbering."""
        target = self.blocks if self.heading else self.lead
        return target[-1] if target and isinstance(target[-1], ListBlock) else None

    def in_see_also(self) -> bool:
        return self.heading is not None and self.heading[0].strip().lower() == SEE_ALSO


def read(text: str) -> Article:
    """The article in plain-text form ``text``; raises :class:`InputError` when it has no title."""
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    title, _ = split_title(lines[0].strip(), text[len(lines[0]) :])
    if not title:
        raise InputError("the first line, the title, is empty")
    builder = _Builder()
    redirect = None
    for n, (start, block_lines) in enumerate(_blocks(lines)):
        first = block_lines[0]
        if first.startswith(PARAGRAPH_MARK):
            unmarked = [first[1:], *block_lines[1:]]
            builder.add_block(_paragraph(unmarked if _needs_mark(unmarked, n == 0) else block_lines, start))
        elif _is_underlined(block_lines):
            builder.start_section(first, start)
        elif _is_empty_heading(block_lines):
            builder.start_section("", start)
        elif all("\t" in line for line in block_lines):
            builder.add_block(Table(tuple(_row(line) for line in block_lines), line=start))
        elif _ITEM.match(first):
            _read_items(builder, block_lines, start)
        elif n == 0 and _is_redirect(block_lines):
            redirect = block_lines[1]
        elif len(block_lines) == 1 and is_heading(first):
            builder.start_section(first, start)
        else:
            builder.add_block(_paragraph(block_lines, start))
    builder.close_section()
    return Article(title, tuple(builder.lead), tuple(builder.sections), redirect=redirect)


def _underline(heading: str) -> str:
    return "=" * max(3, len(heading))


def _is_underlined(lines: list[str]) -> bool:
    first = lines[0]
    return len(lines) == 2 and lines[1] == _underline(first) and bool(first.strip()) and first[0] != "\\"


def _is_empty_heading(lines: list[str]) -> bool:
    """An underline with nothing above it: a heading with no text (``==  ==``, which MediaWiki shows
    as an empty section heading)."""
    return lines == [_underline("")]


def _heading_text(heading: str) -> str:
    """A heading as a line, underlined when the line alone would read as a paragraph; an empty heading
    is the underline alone."""
    if not heading:
        return _underline(heading)
    return (
        heading
        if is_heading(heading) and not heading.startswith(PARAGRAPH_MARK)
        else (f"{heading}\n{_underline(heading)}")
    )


def _paragraph(lines: list[str], start: int) -> Paragraph:
    return Paragraph((Text("\n".join(lines)),), line=start)


def _is_redirect(lines: list[str]) -> bool:
    return len(lines) == 2 and lines[0] == REDIRECT_LINE and bool(lines[1].strip())


def _row(line: str) -> tuple[tuple[Inline, ...], ...]:
    cells = line.split("\t")
    if line.endswith("\t"):
        cells.pop()
    return tuple((Text(cell),) if cell else () for cell in cells)


def _blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Runs of non-blank lines after the title, each with its 1-based first line number. A line of
    spaces and tabs is blank; a no-break space is text."""
    found: list[tuple[int, list[str]]] = []
    current: list[str] = []
    for number, line in enumerate(lines[1:], start=2):
        if line.strip(_BLANK):
            if not current:
                found.append((number, current))
            current.append(line)
        else:
            current = []
    return found


def _read_items(builder: _Builder, lines: list[str], start: int) -> None:
    """The list items in ``lines``, joined to the list before them unless their numbering restarts."""
    links = builder.in_see_also()
    open_list = builder.open_list()
    parents = open_list.items[-1].markers if open_list else ""
    numbering = _Numbering(open_list.items if open_list else ())
    items: list[ListItem] = []
    new_list = False
    for offset, line in enumerate(lines):
        match = _ITEM.match(line)
        if match is None:  # a continuation line: a line break inside the previous item
            last = items[-1]
            items[-1] = ListItem((*last.inlines, Text("\n" + line)), last.markers, last.line)
            continue
        indent, marker, text = match.groups()
        depth = len(indent) // 2
        own = _OWN_MARKER.get(marker, "#")
        if depth == 1 and own == "#" and int(marker[:-1]) == 1 and numbering.next(own) != 1:
            if items:  # "1." again: the writer's mark of a new numbered list
                builder.add_block(ListBlock(tuple(items)), new_list=new_list)
            items, new_list, numbering = [], True, _Numbering(())
        markers = (parents + own * depth)[: depth - 1] + own
        numbering.mark(markers)
        parents = markers
        inline: Inline = Link(text) if links and not title_problem(text) else Text(text)
        items.append(ListItem((inline,), markers, line=start + offset))
    if items:
        builder.add_block(ListBlock(tuple(items)), new_list=new_list)


class _Numbering:
    """The numbers MediaWiki shows in a list: one counter per level, restarting when the list kind
    along the path to an item changes (a numbered list after a bulleted one starts at 1)."""

    def __init__(self, items: tuple[ListItem, ...] | list[ListItem]) -> None:
        self.counters: list[tuple[str, int]] = []
        for item in items:
            self.mark(item.markers)

    def next(self, markers: str) -> int:
        depth = len(markers)
        if len(self.counters) >= depth and self.counters[depth - 1][0] == markers:
            return self.counters[depth - 1][1] + 1
        return 1

    def mark(self, markers: str) -> int:
        number = self.next(markers)
        del self.counters[len(markers) - 1 :]
        self.counters.extend([("", 0)] * (len(markers) - 1 - len(self.counters)))
        self.counters.append((markers, number))
        return number


def _item_text(item: ListItem, numbering: _Numbering) -> str:
    number = numbering.mark(item.markers)
    mark = {"*": BULLET, ";": ";", ":": ":"}.get(item.kind, f"{number}.")
    return "  " * item.depth + mark + " " + item.plain


def _needs_mark(lines: list[str], first: bool) -> bool:
    """Whether a paragraph of ``lines`` is written with the paragraph mark: it would read as another
    block, or it starts with ``\\`` and would lose that character to the mark's rule."""
    other = (
        _is_underlined(lines)
        or _is_empty_heading(lines)
        or all("\t" in line for line in lines)
        or _ITEM.match(lines[0]) is not None
        or (first and _is_redirect(lines))
        or (len(lines) == 1 and is_heading(lines[0]))
    )
    if other:
        return True
    return lines[0].startswith(PARAGRAPH_MARK) and _needs_mark([lines[0][1:], *lines[1:]], first)


def _paragraph_text(paragraph: Paragraph, *, first: bool) -> str:
    """A paragraph's text, marked with a leading ``\\`` when it would otherwise read as another block."""
    text = paragraph.plain
    return PARAGRAPH_MARK + text if _needs_mark(text.split("\n"), first) else text


def _table_text(table: Table) -> str:
    rows = []
    for row in table.rows:
        cells = ["".join(i.plain for i in cell) for cell in row]
        if len(cells) == 1 or not cells[-1]:
            cells.append("")
        rows.append("\t".join(cells))
    return "\n".join(row for row in rows if row.strip(_BLANK))


def _block_texts(block: Block, *, first: bool) -> list[str]:
    if isinstance(block, ListBlock):
        numbering = _Numbering(())
        return [_item_text(item, numbering) for item in block.items]
    if isinstance(block, Table):
        return [_table_text(block)]
    return [_paragraph_text(block, first=first)]


def write_blocks(article: Article) -> str:
    """The body of the article in plain-text form, without the title line."""
    texts: list[str] = []
    if article.redirect is not None:
        texts.append(f"{REDIRECT_LINE}\n{article.redirect}")
    for block in article.lead:
        texts += _block_texts(block, first=not texts)
    for section in article.sections:
        texts.append(_heading_text(section.heading))
        for block in section.blocks:
            texts += _block_texts(block, first=not texts)
    return "\n\n".join(t for t in texts if t.strip(_BLANK))


def write(article: Article, *, edit_suffix: bool = False) -> str:
    """The article in plain-text form; ``edit_suffix`` appends the rendered word "Edit" to the title."""
    title = article.title + (EDIT_SUFFIX if edit_suffix else "")
    body = write_blocks(article)
    return f"{title}\n\n{body}" if body else title
