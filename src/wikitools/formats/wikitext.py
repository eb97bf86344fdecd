"""MediaWiki wikitext: read it into an :class:`~wikitools.model.Article`, write an article as wikitext.

Reading renders what a reader of the page sees: headings, paragraphs, lists, links by their label,
bold and italic as plain text; templates, ``<ref>``s, comments, categories and files are dropped, tables
become one line per row. It parses with mwparserfromhell's ``skip_style_tags``: MediaWiki applies
``''`` and ``'''`` line by line, while mwparserfromhell's tree lets an unclosed ``''`` swallow every
heading after it; leaving quotes to this module keeps every heading.

Writing escapes text that would otherwise read as markup (``[[``, ``{{``, ``''``, tags, entities, a
line starting with ``=``, ``*``, ``#``, ``:`` ...) with character references, so that reading the output
back yields exactly the text that was written.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import mwparserfromhell
from mwparserfromhell.nodes import (
    Argument,
    Comment,
    ExternalLink,
    Heading,
    HTMLEntity,
    Tag,
    Template,
    Wikilink,
)
from mwparserfromhell.nodes import Text as TextNode
from mwparserfromhell.wikicode import Wikicode

from ..errors import InputError
from ..model import Article, Block, Inline, Link, ListBlock, ListItem, Paragraph, Section, Text
from ..titles import CATEGORY_NAMESPACES, FILE_NAMESPACES, INTERWIKI_PREFIXES

# --------------------------------------------------------------------------------------------------
# Reading

#: Link prefixes whose links do not show in the text: they place a file or file the page in a category.
HIDDEN_LINK_NAMESPACES = FILE_NAMESPACES | CATEGORY_NAMESPACES
#: Tags whose content a reader does not see in running text.
DROPPED_TAGS = frozenset(
    {
        "ref", "references", "gallery", "timeline", "imagemap", "templatedata", "templatestyles",
        "score", "graph", "mapframe", "maplink", "categorytree", "inputbox", "indicator", "section",
        "includeonly",
    }
)  # fmt: skip
#: Tags whose content is shown literally, without parsing.
LITERAL_TAGS = frozenset({"nowiki", "pre", "syntaxhighlight", "source", "math", "chem", "ce", "code"})
LIST_MARKUP = frozenset("*#:;")
_INTERLANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[a-z]{2,8})*$")
_QUOTE_RUN = re.compile(r"'{2,}")
_HEADING_LINE = re.compile(r"^=.*=[ \t]*$", re.M)
#: The longest wikitext parsed into a tree. The tree costs about 50 bytes of memory and 2 microseconds per
#: character, so without a bound a 50 MB page takes 2 GB and minutes; MediaWiki itself refuses pages over
#: 2 MB ($wgMaxArticleSize) unless told otherwise.
MAX_PARSE_CHARS = 16 * 1024 * 1024


@dataclass(frozen=True)
class _HeadingMark:
    level: int
    title: str


@dataclass(frozen=True)
class _ListMark:
    markup: str


class _Break:
    """A ``<br>``: a line break inside a block."""


class _Protected(str):
    """Text from a character reference: kept even where unescaped whitespace is trimmed."""

    __slots__ = ()


_BREAK = _Break()
_Piece = str | Link | _HeadingMark | _ListMark | _Break


def _strip_quotes(text: str) -> str:
    """Remove bold/italic apostrophe runs as MediaWiki's doQuotes would show them."""

    def replace(match: re.Match[str]) -> str:
        n = len(match.group())
        if n == 4:
            return "'"
        return "'" * (n - 5) if n > 5 else ""

    return _QUOTE_RUN.sub(replace, text) if "''" in text else text


def is_hidden_link(target: str) -> bool:
    """Whether a link to ``target`` shows no text: it files the page in a category, places a file,
    or links another language's version of the page (unless a leading ``:`` makes it a plain link)."""
    if target.startswith(":"):
        return False
    prefix, colon, _ = target.partition(":")
    if not colon:
        return False
    prefix = " ".join(prefix.replace("_", " ").split()).lower()
    if prefix in HIDDEN_LINK_NAMESPACES:
        return True
    return bool(_INTERLANGUAGE.match(prefix)) and prefix not in INTERWIKI_PREFIXES


class _Renderer:
    """Walks a node tree once and emits the pieces a reader would see, in order."""

    def __init__(self) -> None:
        self.pieces: list[_Piece] = []
        self.dropped = False  # the last node was hidden: do not let its spaces double up

    def render(self, code: Wikicode) -> list[_Piece]:
        for node in code.nodes:
            self.node(node)
        return self.pieces

    def node(self, node: object) -> None:
        emit = self.pieces.append
        dropped, self.dropped = self.dropped, False
        if isinstance(node, TextNode):
            text = _strip_quotes(node.value)
            last = self.pieces[-1] if self.pieces else None
            if dropped and text[:1] == " " and isinstance(last, str) and last[-1:] in (" ", "\n"):
                text = text[1:]
            emit(text)
        elif isinstance(node, Wikilink):
            self.wikilink(node)
        elif isinstance(node, HTMLEntity):
            emit(_Protected(node.normalize()))
        elif isinstance(node, Tag):
            self.tag(node)
        elif isinstance(node, Heading):
            emit(_HeadingMark(node.level, _flat(node.title)))
        elif isinstance(node, ExternalLink):
            if node.title is not None:
                self.render(node.title)
            else:
                emit(str(node.url))
        elif isinstance(node, Template):
            self.template(node)
        elif isinstance(node, Comment | Argument):
            self.dropped = True
        else:  # Text-like nodes of future parser versions: show their source
            emit(str(node))

    def wikilink(self, node: Wikilink) -> None:
        target = str(node.title).strip()
        if is_hidden_link(target):
            self.dropped = True
            return
        if node.text is not None and _holds(node.text, (Heading, Wikilink)):
            # A label with a heading or another link inside is no label: MediaWiki shows the
            # brackets as text, and so do we, keeping what is inside.
            self.pieces.append(f"[[{target}|")
            self.render(node.text)
            self.pieces.append("]]")
            return
        label = None if node.text is None else _flat(node.text)
        if not target:
            self.pieces.append(label or str(node))
            return
        if "\n" in target:  # not a link to MediaWiki either
            self.pieces.append(str(node))
            return
        self.pieces.append(Link(target, None if label == target else label))

    def tag(self, node: Tag) -> None:
        name = str(node.tag).strip().lower()
        markup = node.wiki_markup
        if markup and markup in LIST_MARKUP and name in ("li", "dt", "dd"):
            self.pieces.append(_ListMark(markup))
        elif name == "table":
            self.table(node)
        elif name == "hr":
            self.pieces.append("\n\n")
        elif name == "br":
            self.pieces.append(_BREAK)
        elif name in DROPPED_TAGS:
            self.dropped = True
        elif name in LITERAL_TAGS:
            if node.contents is not None:
                self.pieces.append(_Protected(html.unescape(str(node.contents))))
        elif node.contents is not None:
            self.render(node.contents)

    def template(self, node: Template) -> None:
        """Templates are dropped, except the arguments that hold headings: those are page layout
        (column templates and the like) and MediaWiki shows them."""
        if "\n=" not in str(node):
            self.dropped = True
            return
        for param in node.params:
            value = str(param.value)
            if _HEADING_LINE.search(value):  # named arguments keep headings as text: parse again
                self.pieces.append("\n")
                self.render(parse(value))
                self.pieces.append("\n")

    def table(self, node: Tag) -> None:
        """A table as one paragraph per row (and caption), cells separated by `` | ``; a row whose
        cells hold headings is shown cell by cell, as blocks."""
        self.pieces.append("\n\n")
        for cells in _table_rows(node):
            if any(_holds(cell.contents, Heading) for cell in cells):
                for cell in cells:
                    self.render(cell.contents)
                    self.pieces.append("\n\n")
            elif row := " | ".join(t for cell in cells if (t := _flat(cell.contents).lstrip("+ "))):
                self.pieces.append(row + "\n\n")


def _table_rows(table: Tag) -> list[list[Tag]]:
    """The cells of a table row by row; the caption is a row of its own, and cells before the first
    ``|-`` form the implicit first row."""
    rows: list[list[Tag]] = [[]]
    for child in table.contents.nodes if table.contents is not None else ():
        if not isinstance(child, Tag) or child.contents is None:
            continue
        name = str(child.tag).lower()
        if name == "tr":
            rows.append([c for c in child.contents.nodes if _is_cell(c)])
        elif name == "caption" or str(child.contents).startswith("+"):  # `|+ caption`
            rows.insert(0, [child])
        elif _is_cell(child):
            rows[-1].append(child)
    return [row for row in rows if row]


def _is_cell(node: object) -> bool:
    return isinstance(node, Tag) and node.contents is not None and str(node.tag).lower() in ("td", "th")


def _holds(code: Wikicode, kinds: type | tuple[type, ...]) -> bool:
    """Whether a fragment holds a node of one of ``kinds`` at any depth."""
    return any(isinstance(n, kinds) for n in code.ifilter(recursive=True))


def _flat(code: Wikicode) -> str:
    """The one-line plain text of a fragment (a heading title, a link label, a table cell)."""
    out = []
    for piece in _Renderer().render(code):
        if isinstance(piece, Link):
            out.append(piece.plain)
        elif isinstance(piece, str):
            out.append(piece)
        elif isinstance(piece, _Break | _ListMark):
            out.append(" ")
    return " ".join("".join(out).split())


@dataclass
class _Line:
    pieces: list[str | Link | _Break] = field(default_factory=list)
    markers: str = ""
    heading: _HeadingMark | None = None

    def is_blank(self) -> bool:
        return (
            self.heading is None
            and not self.markers
            and not any(isinstance(p, Link) or (isinstance(p, str) and p.strip()) for p in self.pieces)
        )


def _lines(pieces: list[_Piece]) -> Iterator[_Line]:
    """Split the piece stream into source lines; a heading is always a line of its own."""
    line = _Line()
    for piece in pieces:
        if isinstance(piece, _HeadingMark):
            yield line
            yield _Line(heading=piece)
            line = _Line()
        elif isinstance(piece, _ListMark):
            if line.pieces:  # the colon of `;term:definition` starts the definition's line
                yield line
                line = _Line()
            line.markers += piece.markup
        elif isinstance(piece, str) and "\n" in piece:
            first, *rest = piece.split("\n")
            line.pieces.append(type(piece)(first) if isinstance(piece, _Protected) else first)
            for part in rest:
                yield line
                line = _Line(pieces=[part] if part else [])
        else:
            line.pieces.append(piece)
    yield line


def _inlines(pieces: list[str | Link | _Break]) -> tuple[Inline, ...]:
    """Merged inlines of one block: unescaped whitespace and breaks at both ends trimmed,
    repeated breaks made one."""
    items = _trim_end(_trim_end(list(pieces), 0), -1)
    out: list[Inline] = []
    text: list[str] = []
    for item in items:
        if isinstance(item, Link):
            if text:
                out.append(Text("".join(text)))
                text = []
            out.append(item)
        elif isinstance(item, _Break):
            if not text or text[-1] != "\n":
                text.append("\n")
        else:
            text.append(item)
    if text:
        out.append(Text("".join(text)))
    return tuple(out)


def _trim_end(
    items: list[str | Link | _Break], end: int, *, breaks: bool = True
) -> list[str | Link | _Break]:
    """Drop unescaped whitespace (and breaks, if ``breaks``) from the start (``end=0``) or the
    end (``end=-1``) of ``items``."""
    while items:
        item = items[end]
        if isinstance(item, _Break) and breaks:
            items.pop(end)
        elif isinstance(item, str) and not isinstance(item, _Protected):
            trimmed = item.lstrip() if end == 0 else item.rstrip()
            if trimmed:
                items[end] = trimmed
                break
            items.pop(end)
        else:
            break
    return items


def parse(source: str) -> Wikicode:
    """mwparserfromhell's tree of ``source``, with quotes left as text (see the module docstring).

    Raises :class:`InputError` for wikitext longer than :data:`MAX_PARSE_CHARS`.
    """
    if len(source) > MAX_PARSE_CHARS:
        raise InputError(
            f"the wikitext is too long to parse ({len(source):,} characters, at most {MAX_PARSE_CHARS:,})",
            hint="split the page; MediaWiki refuses pages over 2 MB by default",
        )
    return mwparserfromhell.parse(source, skip_style_tags=True)


def read(source: str, title: str) -> Article:
    """The article a reader sees in ``source``, the wikitext of the page ``title``."""
    lead: list[Block] = []
    sections: list[Section] = []
    blocks = lead
    heading: _HeadingMark | None = None
    paragraph: list[str | Link | _Break] = []
    items: list[ListItem] = []

    def flush() -> None:
        if paragraph:
            inlines = _inlines(paragraph)
            if inlines:
                blocks.append(Paragraph(inlines))
            paragraph.clear()
        if items:
            blocks.append(ListBlock(tuple(items)))
            items.clear()

    def close_section() -> None:
        flush()
        if heading is not None:
            sections.append(Section(heading.title, heading.level, tuple(blocks)))

    for line in _lines(_Renderer().render(parse(source))):
        list_markers = "".join(c for c in line.markers if c in "*#")
        if line.heading is not None:
            close_section()
            heading, blocks = line.heading, []
        elif line.is_blank():
            flush()
        elif list_markers:
            if paragraph:
                flush()
            inlines = _inlines(line.pieces)
            if inlines:
                items.append(ListItem(inlines, list_markers))
        else:
            if items or (line.markers and paragraph):
                flush()
            if paragraph and not isinstance(paragraph[-1], _Break):
                paragraph.append(" ")
            paragraph.extend(_trim_end(_trim_end(list(line.pieces), 0, breaks=False), -1, breaks=False))
    close_section()
    return Article(title, tuple(lead), tuple(sections))


def render_text(source: str) -> str:
    """Wikitext as the plain text a reader sees, blocks separated by blank lines (no title line)."""
    from .plaintext import write_blocks

    return write_blocks(read(source, ""))


# --------------------------------------------------------------------------------------------------
# Writing

_URL_AFTER_BRACKET = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.\-]*:|//)")
_ENTITY_AFTER_AMPERSAND = re.compile(r"#?[A-Za-z0-9]+;")
_DOUBLED = frozenset("[]{}'~_")
_SPECIAL = re.compile(r"[\[\]{}'~_<&|\r\x7f]")
_LINE_START = frozenset("*#:;= \t-{|!")


def _ref(char: str) -> str:
    return f"&#{ord(char)};"


def escape(text: str, before: str = "\n", after: str = "\n") -> str:
    """``text`` as wikitext that reads back as exactly ``text``.

    ``before`` and ``after`` are the characters written around it (``"\\n"`` for a line boundary),
    because markup is made of neighbours: ``[`` next to a link's ``[[`` is markup, alone it is not.
    """
    if not text:
        return text
    positions = {m.start() for m in _SPECIAL.finditer(text)} | {0, len(text) - 1}
    out: list[str] = []
    done = 0
    for i in sorted(positions):
        if _needs_reference(text, i, before, after):
            out += [text[done:i], _ref(text[i])]
            done = i + 1
    out.append(text[done:])
    return "".join(out)


def _needs_reference(text: str, i: int, before: str, after: str) -> bool:
    """Whether ``text[i]`` would be read as markup (or lost) if written as itself."""
    char = text[i]
    prev = text[i - 1] if i else before
    nxt = text[i + 1] if i + 1 < len(text) else after
    return (
        (char in _DOUBLED and (prev == char or nxt == char))
        or (char == "<" and not nxt.isspace())
        or (char == "&" and _ENTITY_AFTER_AMPERSAND.match(text, i + 1) is not None)
        or (char == "[" and _URL_AFTER_BRACKET.match(text, i + 1) is not None)
        or (char == "|" and before != "\n")
        or (char.isspace() and (prev == "\n" or nxt == "\n"))
        or (prev == "\n" and char in _LINE_START)
        or char in "\r\x7f"
    )


def _escape_heading(text: str) -> str:
    escaped = escape(text, before=" ", after=" ")
    if escaped.startswith("="):
        escaped = _ref("=") + escaped[1:]
    if escaped.endswith("="):
        escaped = escaped[:-1] + _ref("=")
    return escaped


def _link(link: Link) -> str:
    target = link.target
    if is_hidden_link(target):
        target = ":" + target
    if link.label is None or link.label == link.target:
        return f"[[{target}]]"
    return f"[[{target}|{escape(link.label, before='|', after=']')}]]"


def _write_inlines(inlines: tuple[Inline, ...], bold: str | None = None) -> tuple[str, bool]:
    """The wikitext of one block's inlines; bolds the first occurrence of ``bold`` if given.

    Returns the wikitext and whether the bolding happened.
    """
    parts: list[tuple[str, str]] = []  # (kind, text): kind "text" is unescaped, "raw" is markup
    bolded = False
    for inline in inlines:
        if isinstance(inline, Link):
            parts.append(("raw", _link(inline)))
            continue
        for n, segment in enumerate(inline.text.split("\n")):
            if n:
                parts.append(("raw", "<br />"))
            if bold and not bolded and (span := find_title(segment, bold)) is not None:
                start, end = span
                parts += [("text", segment[:start]), ("raw", "'''")]
                parts += [("text", segment[start:end]), ("raw", "'''"), ("text", segment[end:])]
                bolded = True
            else:
                parts.append(("text", segment))
    out: list[str] = []
    for i, (kind, value) in enumerate(parts):
        if kind == "raw":
            out.append(value)
            continue
        before = out[-1][-1:] if out and out[-1] else "\n"
        after = next((v[:1] for k, v in parts[i + 1 :] if v), "\n")
        out.append(escape(value, before=before or "\n", after=after))
    return "".join(out), bolded


def find_title(text: str, title: str) -> tuple[int, int] | None:
    """Span of the first whole-word occurrence of ``title`` in ``text``; the first letter of the
    title matches either case, as MediaWiki titles do."""
    if not title:
        return None
    match = title_pattern(title).search(text)
    return None if match is None else match.span()


def title_pattern(title: str) -> re.Pattern[str]:
    """A regex for ``title`` as a whole word (see :func:`title_regex`)."""
    return re.compile(rf"(?<!\w){title_regex(title)}(?!\w)")


def title_regex(title: str) -> str:
    """Regex source matching ``title`` with its first letter in either case and ``_`` for spaces."""
    first, rest = title[0], title[1:]
    head = f"[{re.escape(first.upper())}{re.escape(first.lower())}]" if first.isalpha() else re.escape(first)
    return head + r"[ _]".join(re.escape(word) for word in rest.split(" "))


def _numbered_lines(article: Article, *, bold_title: bool) -> Iterator[tuple[str, int | None]]:
    """Yield (wikitext line, source line) pairs; blocks are separated by one blank line."""
    pending_bold = article.title if bold_title else None
    first = True

    def block_lines(block: Block) -> Iterator[tuple[str, int | None]]:
        nonlocal pending_bold
        if isinstance(block, ListBlock):
            for item in block.items:
                text, _ = _write_inlines(item.inlines)
                yield f"{item.markers} {text}", item.line
        else:
            text, bolded = _write_inlines(block.inlines, pending_bold)
            if bolded:
                pending_bold = None
            yield text, block.line

    for block in article.lead:
        if not first:
            yield "", None
        first = False
        yield from block_lines(block)
    pending_bold = None
    for section in article.sections:
        if not first:
            yield "", None
        first = False
        marks = "=" * max(1, min(6, section.level))
        yield f"{marks} {_escape_heading(section.heading)} {marks}", section.line
        for block in section.blocks:
            yield "", None
            yield from block_lines(block)


def write(article: Article, *, bold_title: bool = True) -> str:
    """The article as wikitext: ``== Heading ==``, ``* item``, the title bolded in the lead
    (MOS:BOLDTITLE) unless ``bold_title`` is false."""
    return "\n".join(line for line, _ in _numbered_lines(article, bold_title=bold_title))


def write_with_lines(article: Article, *, bold_title: bool = True) -> tuple[str, list[int | None]]:
    """Like :func:`write`, also returning, for each wikitext line, the source line it came from
    (``None`` for separator lines or when the article was not read from a file with lines)."""
    pairs = list(_numbered_lines(article, bold_title=bold_title))
    return "\n".join(line for line, _ in pairs), [source for _, source in pairs]
