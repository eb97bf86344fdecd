"""Read MediaWiki wikitext into an :class:`~wikitools.model.Article`: what a reader of the page sees.

Headings, paragraphs, lists (``*``, ``#``, ``;``, ``:``, nested), tables (rows of cells), links by their
label, bold and italic as plain text; templates, ``<ref>``s, comments, categories, files and interlanguage
links are dropped; ``#REDIRECT [[Target]]`` makes a redirect article. What a tag or link is comes from
:mod:`wikitools.markup`, the table lint uses too.

It parses with mwparserfromhell's ``skip_style_tags``: MediaWiki applies ``''`` and ``'''`` line by
line, while mwparserfromhell's tree lets an unclosed ``''`` swallow every heading after it; leaving
quotes to this module keeps every heading. Unclosed templates, tags and tables are neutralized first
(:func:`bound_unclosed`), as MediaWiki shows them, because the tokenizer's backtracking over them is
quadratic.
"""

from __future__ import annotations

import functools
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
from ..markup import (
    BUILTIN,
    HTML_TAGS,
    TAGS,
    LinkKind,
    Markup,
    classify_link,
    link_text,
    masked_spans,
    pair_link_brackets,
    parse_redirect,
    pipe_trick,
    tag_rule,
)
from ..model import (
    Article,
    Block,
    Inline,
    Link,
    ListBlock,
    ListItem,
    Paragraph,
    Section,
    Table,
    Text,
    plain_text,
)

LIST_MARKUP = frozenset("*#:;")
#: Tags whose literal content is a block of lines (code), kept line by line.
CODE_BLOCK_TAGS = frozenset({"pre", "syntaxhighlight", "source"})
_QUOTE_RUN = re.compile(r"'{2,}")
_HEADING_LINE = re.compile(r"^=.*=[ \t]*$", re.M)
_ASCII_SPACES = re.compile(r"[ \t\n\r]+")
_ASCII_WHITESPACE = " \t\n\r"
_BLANK_LINES = re.compile(r"\n(?:[ \t\r]*\n)+")
_BLANK_START = re.compile(r"^(?:[ \t\r]*\n)+")
_BLANK_END = re.compile(r"(?:\n[ \t\r]*)+$")
_STRAY_HTML_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)\b[^<>]*?/?>")
_INDENTED_TABLE = re.compile(r"^:+[ \t]*(?=\{\|)", re.M)
#: The longest wikitext parsed into a tree. The tree costs about 50 bytes of memory and 2 microseconds per
#: character, so without a bound a 50 MB page takes 2 GB and minutes; MediaWiki itself refuses pages over
#: 2 MB ($wgMaxArticleSize) unless told otherwise.
MAX_PARSE_CHARS = 16 * 1024 * 1024


@dataclass(frozen=True)
class _HeadingMark:
    level: int
    title: str
    inlines: tuple[Inline, ...] = ()  # set when the heading holds a link


@dataclass(frozen=True)
class _ListMark:
    markup: str


@dataclass(frozen=True)
class _TableMark:
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]


class _Break:
    """A ``<br>``: a line break inside a block."""


class _Protected(str):
    """Text from a character reference or a literal tag: kept even where unescaped whitespace is
    trimmed."""

    __slots__ = ()


_BREAK = _Break()
_Piece = str | Link | _HeadingMark | _ListMark | _TableMark | _Break


def _strip_quotes(text: str) -> str:
    """Remove bold/italic apostrophe runs as MediaWiki's doQuotes would show them."""

    def replace(match: re.Match[str]) -> str:
        n = len(match.group())
        if n == 4:
            return "'"
        return "'" * (n - 5) if n > 5 else ""

    return _QUOTE_RUN.sub(replace, text) if "''" in text else text


def _strip_stray_tags(text: str) -> str:
    """Drop HTML tags the tree left as text (an unclosed ``<small>``, a ``<p>``): a reader sees none."""
    if "<" not in text:
        return text
    return _STRAY_HTML_TAG.sub(lambda m: "" if m.group(1).lower() in HTML_TAGS else m.group(), text)


def is_hidden_link(target: str, markup: Markup = BUILTIN) -> bool:
    """Whether a link to ``target`` shows no text: it files the page in a category, places a file,
    or links another language's version of the page (unless a leading ``:`` makes it a plain link)."""
    return not classify_link(target, markup).visible


class _Renderer:
    """Walks a node tree once and emits the pieces a reader would see, in order."""

    def __init__(self, markup: Markup) -> None:
        self.markup = markup
        self.pieces: list[_Piece] = []
        self.dropped = False  # the last node was hidden: do not let its spaces double up

    def render(self, code: Wikicode) -> list[_Piece]:
        nodes = code.nodes
        for n, node in enumerate(nodes):
            if isinstance(node, Heading) and not _ends_line(nodes, n + 1):
                self.pieces.append(_strip_quotes(str(node)))  # `== A == text`: no heading to MediaWiki
            else:
                self.node(node)
        return self.pieces

    def child(self) -> _Renderer:
        return _Renderer(self.markup)

    def node(self, node: object) -> None:
        emit = self.pieces.append
        dropped, self.dropped = self.dropped, False
        if isinstance(node, TextNode):
            text = _strip_stray_tags(_strip_quotes(node.value))
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
            # A title made only of templates shows their output, which we cannot know: their source
            inlines = self.flat_inlines(node.title)
            source = _without_comments(node.title)
            title = plain_text(inlines) or _ASCII_SPACES.sub(" ", source).strip(_ASCII_WHITESPACE)
            linked = any(isinstance(i, Link) for i in inlines)
            emit(_HeadingMark(node.level, title, inlines if linked else ()))
        elif isinstance(node, ExternalLink):
            if node.title is not None:
                self.render(node.title)
            else:  # a free URL shows decoded, as a browser shows it
                emit(_Protected(html.unescape(str(node.url))))
        elif isinstance(node, Template):
            self.template(node)
        elif isinstance(node, Comment | Argument):
            self.dropped = True
        else:  # Text-like nodes of future parser versions: show their source
            emit(str(node))

    def wikilink(self, node: Wikilink) -> None:
        target = _without_comments(node.title).strip()  # MediaWiki drops comments before links
        kind = classify_link(target, self.markup)
        if not kind.visible:
            self.dropped = True
            return
        if node.text is not None and _holds(node.text, (Heading, Wikilink)):
            # A label with a heading or another link inside is no label: MediaWiki shows the
            # brackets as text, and so do we, keeping what is inside.
            self.pieces.append(f"[[{target}|")
            self.render(node.text)
            self.pieces.append("]]")
            return
        if kind.kind in (LinkKind.INVALID, LinkKind.EXTERNAL) or "\n" in target:
            self.pieces.append(str(node))  # no link to MediaWiki either: the brackets show
            return
        if kind.kind is LinkKind.TEMPLATED:
            if node.text is not None:
                self.render(node.text)
            else:
                self.dropped = True
            return
        shown = link_text(target)
        if node.text is None:  # the target as written shows, its character references decoded
            label = html.unescape(shown) if "&" in shown else None
        elif not str(node.text).strip():
            label = pipe_trick(target)  # ``[[Help:Contents|]]`` shows "Contents"
        else:  # a label made only of templates shows their output, which we cannot know: the target
            label = self.flat(node.text) or shown
        self.pieces.append(Link(shown, None if label == shown else label))

    def tag(self, node: Tag) -> None:
        name = str(node.tag).strip().lower()
        markup = node.wiki_markup
        rule = tag_rule(name)
        if markup and markup in LIST_MARKUP and name in ("li", "dt", "dd"):
            self.pieces.append(_ListMark(markup))
        elif name == "table":
            self.table(node)
        elif name == "hr":
            self.pieces.append("\n\n")
        elif name == "br":
            self.pieces.append(_BREAK)
        elif not rule.visible:
            self.dropped = True
        elif not rule.parsable:
            if node.contents is not None:
                self.literal(name, node, html.unescape(str(node.contents)))
        elif node.contents is not None:
            self.render(node.contents)

    def literal(self, name: str, node: Tag, content: str) -> None:
        """Content shown as it is; a code block keeps its lines, as a paragraph of its own."""
        block = name == "pre" or (name in CODE_BLOCK_TAGS and not node.has("inline"))
        if not block:
            self.pieces.append(_Protected(content))
            return
        lines = content.strip("\n").split("\n")
        self.pieces.append("\n\n")
        for n, line in enumerate(lines):
            if n:
                self.pieces.append(_BREAK)
            self.pieces.append(_Protected(line))
        self.pieces.append("\n\n")

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
        """A table as a :class:`Table` block; a row whose cells hold headings is shown cell by cell,
        as blocks (layout tables), splitting the table there."""
        rows: list[tuple[tuple[Inline, ...], ...]] = []

        def flush() -> None:
            if rows:
                self.pieces += ["\n\n", _TableMark(tuple(rows)), "\n\n"]
                rows.clear()

        for cells in _table_rows(node):
            if isinstance(cells, _Loose):  # MediaWiki shows it (before the table): here, in place
                shown = self.child().render(Wikicode(cells.nodes))
                if any(not isinstance(p, str) or _shows(p) for p in shown if not isinstance(p, _Break)):
                    flush()
                    self.pieces += ["\n\n", *shown, "\n\n"]
                continue
            if any(_holds(cell.contents, Heading) for cell in cells):
                flush()
                for cell in cells:
                    self.pieces.append("\n\n")
                    self.render(cell.contents)
                    self.pieces.append("\n\n")
                continue
            row = tuple(self.cell(cell) for cell in cells)
            if any(row):
                rows.append(row)
        flush()

    def cell(self, cell: Tag) -> tuple[Inline, ...]:
        """A cell's inlines on one line: line breaks, list marks and nested tables become spaces."""
        items: list[str | Link | _Break] = []
        for piece in self.child().render(_cell_contents(cell)):
            if isinstance(piece, Link):
                items.append(piece)
            elif isinstance(piece, str):
                flat = piece.replace("\n", " ").replace("\t", " ")
                items.append(_Protected(flat) if isinstance(piece, _Protected) else flat)
            elif isinstance(piece, _TableMark):  # a nested table: its cells in a row, links kept
                for inner in (c for row in piece.rows for c in row):
                    items += [" ", *(i if isinstance(i, Link) else _Protected(i.text) for i in inner), " "]
            else:
                items.append(" ")
        inlines = _inlines(items)
        caption = str(cell.wiki_markup or "") == "|" and str(cell.contents).startswith("+")
        if caption and inlines and isinstance(inlines[0], Text):  # `|+ caption` parses as a cell "+ ..."
            first = inlines[0].text[1:].lstrip(_ASCII_WHITESPACE)
            inlines = ((Text(first),) if first else ()) + inlines[1:]
        return inlines

    def flat(self, code: Wikicode) -> str:
        """The one-line plain text of a fragment (a link label)."""
        return plain_text(self.flat_inlines(code))

    def flat_inlines(self, code: Wikicode) -> tuple[Inline, ...]:
        """The one-line inlines of a fragment (a heading title): links kept, ASCII whitespace runs made
        one space and trimmed at both ends."""
        out: list[Inline] = []
        for piece in self.child().render(code):
            if isinstance(piece, Link):
                out.append(piece)
                continue
            if isinstance(piece, str):
                text = piece
            elif isinstance(piece, _TableMark):
                text = " ".join(_plain(c) for row in piece.rows for c in row)
            elif isinstance(piece, _Break | _ListMark):
                text = " "
            else:
                continue
            if out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text + text)
            else:
                out.append(Text(text))
        out = [Text(_ASCII_SPACES.sub(" ", i.text)) if isinstance(i, Text) else i for i in out]
        if out and isinstance(out[0], Text):
            out[0] = Text(out[0].text.lstrip(_ASCII_WHITESPACE))
        if out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text.rstrip(_ASCII_WHITESPACE))
        return tuple(i for i in out if not isinstance(i, Text) or i.text)


def _without_comments(code: Wikicode) -> str:
    """The source of a fragment with its comments left out."""
    return "".join(str(node) for node in code.nodes if not isinstance(node, Comment))


def _ends_line(nodes: list[object], start: int) -> bool:
    """Whether nothing but comments and spaces follows ``nodes[start - 1]`` on its line."""
    for node in nodes[start:]:
        if isinstance(node, Comment):
            continue
        if isinstance(node, TextNode):
            rest, newline, _ = node.value.partition("\n")
            if rest.strip(" \t"):
                return False
            if newline:
                return True
            continue
        return False
    return True


def _plain(inlines: tuple[Inline, ...]) -> str:
    return "".join(i.plain for i in inlines)


@dataclass
class _Loose:
    """Nodes of a table outside any cell, in a row: MediaWiki moves them out of the table."""

    nodes: list[object] = field(default_factory=list)


def _table_rows(table: Tag) -> list[list[Tag] | _Loose]:
    """The cells of a table row by row; the caption is a row of its own, and cells before the first
    ``|-`` form the implicit first row. Nodes outside any cell come as :class:`_Loose` runs."""
    rows: list[list[Tag] | _Loose] = [[]]

    def add(node: object) -> None:
        if _is_cell(node):
            if not isinstance(rows[-1], list):
                rows.append([])
            row = rows[-1]
            assert isinstance(row, list)
            row.append(node)  # type: ignore[arg-type]
        else:
            if not isinstance(rows[-1], _Loose):
                rows.append(_Loose())
            last = rows[-1]
            assert isinstance(last, _Loose)
            last.nodes.append(node)

    for child in table.contents.nodes if table.contents is not None else ():
        name = str(child.tag).lower() if isinstance(child, Tag) and child.contents is not None else ""
        if name == "tr":
            rows.append([])
            for node in child.contents.nodes:
                add(node)
        elif name == "caption" or (name and str(child.contents).startswith("+")):  # `|+ caption`
            rows.insert(0, [child])
        else:
            add(child)
    return [row for row in rows if row and not (isinstance(row, _Loose) and not row.nodes)]


def _cell_contents(cell: Tag) -> Wikicode:
    """What a cell shows. MediaWiki reads ``| a | b`` as attributes ``a`` and content ``b``, unless the
    part before the ``|`` holds a link: then it is all content (``| [[A]]|`` shows the link and a ``|``);
    mwparserfromhell takes the link for attributes."""
    if not cell.attributes or not any("[[" in str(attribute) for attribute in cell.attributes):
        return cell.contents
    return parse(str(cell)[len(str(cell.wiki_markup or "")) :])


def _is_cell(node: object) -> bool:
    return isinstance(node, Tag) and node.contents is not None and str(node.tag).lower() in ("td", "th")


def _holds(code: Wikicode, kinds: type | tuple[type, ...]) -> bool:
    """Whether a fragment holds a node of one of ``kinds`` at any depth."""
    return any(isinstance(n, kinds) for n in code.ifilter(recursive=True))


@dataclass
class _Line:
    pieces: list[str | Link | _Break] = field(default_factory=list)
    markers: str = ""
    heading: _HeadingMark | None = None
    table: _TableMark | None = None
    starts_line: bool = False  # the first piece is the start of a source line

    def is_blank(self) -> bool:
        return (
            self.heading is None
            and self.table is None
            and not self.markers
            and not any(isinstance(p, Link) or (isinstance(p, str) and _shows(p)) for p in self.pieces)
        )

    def is_preformatted(self) -> bool:
        """A line that starts with a space (as written, not from a character reference) and shows
        something: MediaWiki shows it preformatted, one line of a code block."""
        first = self.pieces[0] if self.pieces else None
        return (
            self.starts_line
            and not self.markers
            and isinstance(first, str)
            and not isinstance(first, _Protected)
            and first.startswith(" ")
            and not self.is_blank()
        )


def _shows(text: str) -> bool:
    """Whether ``text`` shows something: anything but ASCII whitespace (a no-break space shows)."""
    return bool(text.strip(_ASCII_WHITESPACE))


def _lines(pieces: list[_Piece]) -> Iterator[_Line]:
    """Split the piece stream into source lines; a heading or a table is always a line of its own."""
    line = _Line(starts_line=True)
    for piece in pieces:
        if isinstance(piece, _HeadingMark | _TableMark):
            yield line
            yield _Line(heading=piece) if isinstance(piece, _HeadingMark) else _Line(table=piece)
            line = _Line()
        elif isinstance(piece, _ListMark):
            if line.pieces:  # the colon of `;term:definition` starts the definition's line
                markers = line.markers
                yield line
                line = _Line(markers=markers[:-1])
            line.markers += piece.markup
        elif isinstance(piece, str) and "\n" in piece:
            first, *rest = piece.split("\n")
            line.pieces.append(type(piece)(first) if isinstance(piece, _Protected) else first)
            for part in rest:
                yield line
                part_piece = _Protected(part) if isinstance(piece, _Protected) else part
                line = _Line(pieces=[part_piece] if part else [], starts_line=bool(part))
        else:
            line.pieces.append(piece)
    yield line


def _inlines(pieces: list[str | Link | _Break]) -> tuple[Inline, ...]:
    """Merged inlines of one block: unescaped whitespace and breaks at both ends trimmed, repeated
    breaks (and breaks around nothing but spaces) made one."""
    items = _trim_end(_trim_end(list(pieces), 0), -1)
    out: list[Inline] = []
    text: list[str] = []

    def close_text() -> None:
        joined = _BLANK_LINES.sub("\n", "".join(text))  # a text block has no blank line inside
        if joined:
            out.append(Text(joined))
        text.clear()

    for item in items:
        if isinstance(item, Link):
            close_text()
            out.append(item)
        elif isinstance(item, _Break):
            text.append("\n")
        else:
            text.append(item)
    close_text()
    if out and isinstance(out[0], Text):  # nor a line of nothing but spaces at either end
        out[0] = Text(_BLANK_START.sub("", out[0].text))
    if out and isinstance(out[-1], Text):
        out[-1] = Text(_BLANK_END.sub("", out[-1].text))
    return tuple(i for i in out if not isinstance(i, Text) or i.text)


def _untabbed(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """A list item's inlines with tabs as spaces: a browser shows a tab as a space, and a line of
    plain text with a tab is a table row."""
    return tuple(Text(i.text.replace("\t", " ")) if isinstance(i, Text) else i for i in inlines)


def _trim_end(
    items: list[str | Link | _Break], end: int, *, breaks: bool = True
) -> list[str | Link | _Break]:
    """Drop unescaped ASCII whitespace (and breaks, if ``breaks``) from the start (``end=0``) or the
    end (``end=-1``) of ``items``; a no-break space is text, as in MediaWiki."""
    while items:
        item = items[end]
        if (isinstance(item, _Break) and breaks) or item == "":
            items.pop(end)
        elif isinstance(item, str) and not isinstance(item, _Protected):
            trimmed = item.lstrip(_ASCII_WHITESPACE) if end == 0 else item.rstrip(_ASCII_WHITESPACE)
            if trimmed:
                items[end] = trimmed
                break
            items.pop(end)
        else:
            break
    return items


# --------------------------------------------------------------------------------------------------
# Bounding the parser on unclosed markup

_RUNS = {"{": re.compile(r"\{\{+|\}\}+"), "[": re.compile(r"\[\[+|\]\]+")}
_STRUCTURE_OR_TAG = re.compile(
    r"^[ \t:]*(?P<edge>\{\||\|\}|\||!)|\{\{+|\}\}+"
    r"|<(?P<closing>/?)(?P<name>[A-Za-z][A-Za-z0-9]*)\b[^<>]*?(?P<self>/?)>",
    re.M,
)
_TABLE_EDGE = re.compile(r"^[ \t]*(\{\||\|\})", re.M)
_VOID_TAGS = frozenset({"br", "wbr", "hr", "meta", "link", "img"})
_COMMENT_AT_LINE_START = re.compile(r"^<!--", re.M)
#: A ``</`` that starts no closing tag (``</refname=x`` with no ``>``): text to MediaWiki, while
#: mwparserfromhell gives up the ``<ref>`` around it.
_BROKEN_CLOSING = re.compile(r"</(?![A-Za-z][A-Za-z0-9]*\b[^<>]*>)")
#: Tags whose closing tag may be left out: one left open is no error, one that closes nothing is.
_OPTIONAL_END_TAGS = frozenset({"li", "dt", "dd", "th", "td", "tr", "p"})


#: What an unclosed ``{``, ``[`` or ``<`` becomes while parsing: a private-use character the tokenizer
#: takes for text (one text node, where a character reference is a node of its own), put back after.
_STAND_INS = {"{": "\ue000", "[": "\ue001", "<": "\ue002", "}": "\ue003"}
#: How far into a template to look for its name's end: MediaWiki titles are at most 255 bytes.
_MAX_NAME_CHARS = 256
_PUT_BACK = str.maketrans({stand_in: char for char, stand_in in _STAND_INS.items()})


def bound_unclosed(source: str, markup: Markup = BUILTIN) -> str:
    """``source`` with its unclosed constructs made harmless, in linear time: each ``{`` or ``[`` of a
    ``{{`` or ``[[`` that nothing closes and the ``<`` of an extension tag never closed become text (a
    stand-in character that :func:`put_back` turns back, or a character reference when the page holds
    stand-ins itself), an unclosed HTML tag is dropped (as MediaWiki renders them), and an unclosed
    table is closed at the end (``markup`` says which links are file links, whose captions hold links).
    mwparserfromhell retries each unclosed construct to the end of the page,
    which is quadratic: 40 KB of ``{{t|`` took 30 s, of ``[[a|`` 7 s."""
    edits: list[tuple[int, int, str]] = []
    edits += _unmatched_pairs(source, "{")
    edits += _unmatched_pairs(source, "[", markup)
    edits += _unclosed_tags(source)
    edits += _linked_template_names(source)
    edits += _comments_before_headings(source)
    edits += _unclosed_comment(source)
    if not edits and "{|" not in source:
        return source
    own_stand_ins = any(c in source for c in _STAND_INS.values())
    out, done = [], 0
    for start, end, replacement in sorted(edits):
        if start < done:
            continue
        if replacement in _STAND_INS and own_stand_ins:
            replacement = f"&#{ord(replacement)};"
        out += [source[done:start], _STAND_INS.get(replacement, replacement)]
        done = end
    out.append(source[done:])
    opened = sum(1 if m.group(1) == "{|" else -1 for m in _TABLE_EDGE.finditer(source))
    return "".join(out) + "\n|}" * max(0, opened)


def put_back(text: str) -> str:
    """``text`` with the stand-ins of :func:`bound_unclosed` turned back into the characters they hold."""
    return text.translate(_PUT_BACK)


def _unmatched_pairs(source: str, opener: str, markup: Markup = BUILTIN) -> list[tuple[int, int, str]]:
    """Edits marking as text each ``{`` (or ``[``) of a ``{{`` (``[[``) run that no closing run closes.
    A ``[[`` is text too where MediaWiki's pairing makes it text
    (:func:`~wikitools.markup.pair_link_brackets`: a ``[[`` inside a link other than a file caption's,
    or inside a link in a caption, leaves the links still open as text). A link never holds a heading
    (MediaWiki finds headings first), so a ``[[`` still open at a heading line is unclosed too."""
    if opener * 2 not in source:
        return []
    unmatched: list[int] = []
    text_openers = set()
    if opener == "[":
        text_openers = set(pair_link_brackets(_set_aside(source), markup=markup).unclosed)
    stack: list[int] = []  # offsets of the opening characters not closed yet
    headings = iter(m.start() for m in _HEADING_LINE.finditer(source)) if opener == "[" else iter(())
    next_heading = next(headings, None)
    for match in _RUNS[opener].finditer(source):
        while next_heading is not None and next_heading < match.start():
            unmatched += stack
            stack.clear()
            next_heading = next(headings, None)
        run = match.group()
        if run[0] != opener:
            del stack[max(0, len(stack) - len(run)) :]
        else:
            offsets = iter(range(match.start(), match.end()))
            for offset in offsets:
                if offset in text_openers:  # this ``[[`` is text: both its brackets
                    unmatched += (offset, next(offsets))
                else:
                    stack.append(offset)
    return [(offset, offset + 1, opener) for offset in unmatched + stack]


def _set_aside(source: str) -> str:
    """``source`` with its comments and the elements lint masks too (:func:`~wikitools.markup.masked_spans`:
    ``<nowiki>``, ``<ref>``, ...; not ``<poem>``, whose links show in place) blanked, offsets kept: what
    MediaWiki sets aside before it reads the page's links, so their brackets pair with nothing."""
    out, kept = [], 0
    for start, end in masked_spans(source):
        out += [source[kept:start], " " * (end - start)]
        kept = end
    out.append(source[kept:])
    return "".join(out)


def _comments_before_headings(source: str) -> list[tuple[int, int, str]]:
    """Edits removing each comment that starts a line and ends right before a heading's ``=``
    (``<!-- old categories -->== References ==``): MediaWiki, which drops comments first, sees a heading
    there, and mwparserfromhell sees text."""
    edits: list[tuple[int, int, str]] = []
    for match in _COMMENT_AT_LINE_START.finditer(source):
        end = source.find("-->", match.end())
        if end < 0:
            break  # unclosed: every later one is inside it
        if source.startswith("=", end + 3) and (not edits or match.start() >= edits[-1][1]):
            edits.append((match.start(), end + 3, ""))
    return edits


def _unclosed_comment(source: str) -> list[tuple[int, int, str]]:
    """An edit removing a comment never closed, to the end of the page, as MediaWiki hides it
    (mwparserfromhell shows what follows it)."""
    start = source.find("<!--")
    while start >= 0:
        end = source.find("-->", start + 4)
        if end < 0:
            return [(start, len(source), "")]
        start = source.find("<!--", end + 3)
    return []


def _linked_template_names(source: str) -> list[tuple[int, int, str]]:
    """Edits marking as text both brace pairs of a template whose name holds a link (``{{Hlist`` then
    ``[[A]]`` on the next line, an editor's slip): MediaWiki shows such a template as its text, while
    mwparserfromhell, refusing it, lets its ``}}`` close the template around it."""
    if "{{" not in source or "[[" not in source:
        return []
    edits: list[tuple[int, int, str]] = []
    stack: list[int] = []  # offsets of the opening characters not closed yet
    for match in _RUNS["{"].finditer(source):
        run, at = match.group(), match.start()
        if run[0] == "{":
            stack.extend(range(at, match.end()))
            continue
        for _ in range(len(run) // 2):  # the innermost pair closes first
            if len(stack) < 2:
                break
            second, first = stack.pop(), stack.pop()
            name_end = min(at, first + 2 + _MAX_NAME_CHARS)
            bar = source.find("|", first + 2, name_end)
            if second == first + 1 and source.find("[[", first + 2, name_end if bar < 0 else bar) >= 0:
                edits += [(first, first + 1, "{"), (second, second + 1, "{")]
                edits += [(at, at + 1, "}"), (at + 1, at + 2, "}")]
            at += 2
        if len(run) % 2 and stack:
            stack.pop()
    return edits


def _unclosed_tags(source: str) -> list[tuple[int, int, str]]:
    """Edits for tags mwparserfromhell cannot place where MediaWiki can:

    - a tag opened and never closed: an extension tag's ``<`` is marked as text (MediaWiki shows it as
      text), an HTML tag is removed (MediaWiki's tidying closes it invisibly; a tag whose end may be
      left out, ``<td>``, only inside a template, where mwparserfromhell gives the template up);
    - an HTML closing tag that closes nothing is removed (MediaWiki drops it), and the ``<`` of a closing
      tag of no known name (``</refname=x>``) or of a ``</`` that starts no tag is text, as MediaWiki
      shows it, not the end of a ``<ref>``;
    - an HTML tag pair that straddles the edge of a template or a table cell
      (``{{nowrap|<small>a}}</small>``) is removed: MediaWiki finds templates and tables before any
      HTML tag, while mwparserfromhell gives up the whole template or table over it.
    """
    if "<" not in source:
        return []
    edits = [(m.start(), m.start() + 1, "<") for m in _BROKEN_CLOSING.finditer(source)]
    open_tags: dict[str, list[tuple[re.Match[str], tuple[int, int]]]] = {}
    braces: list[int] = []  # offsets of the ``{`` not closed yet: the last one names the template
    tables: list[tuple[int, int]] = []  # (brace depth, offset of the current cell) of each open table
    opaque_until = 0  # the end of the extension tag being skipped: its content holds no markup
    closings = _FirstClosing(source)
    for match in _STRUCTURE_OR_TAG.finditer(source):
        if match.start() < opaque_until:  # inside an extension tag: only what would end it too early
            if match.group("closing") and _names_no_tag(match.group("name")):
                edits.append((match.start(), match.start() + 1, "<"))
            continue
        token = match.group()
        if match.group("edge"):  # a line of table markup
            edge = match.group("edge")
            if edge == "{|":
                tables.append((len(braces), match.start()))
            elif edge == "|}":
                if tables:
                    tables.pop()
            elif tables and tables[-1][0] == len(braces):  # a row or a cell of this table
                tables[-1] = (len(braces), match.start())
            continue
        if token[0] in "{}":
            if token[0] == "{":
                braces.extend(range(match.start(), match.end()))
            else:
                del braces[max(0, len(braces) - len(token)) :]
            continue
        closing, name, self_closing = match.group("closing"), match.group("name").lower(), match.group("self")
        if self_closing or name in _VOID_TAGS:
            continue
        html_tag = name in HTML_TAGS and name not in TAGS
        inside = (braces[-1] if braces else -1, tables[-1][1] if tables else -1)
        if not closing and name in TAGS and (end := closings.after(name, match.end())) is not None:
            opaque_until = end  # as MediaWiki: the first </ref> after <ref> closes it, whatever is between
            continue
        if not closing:
            open_tags.setdefault(name, []).append((match, inside))
        elif open_tags.get(name):
            opening, opened_inside = open_tags[name].pop()
            if opened_inside != inside and html_tag:
                edits += [(opening.start(), opening.end(), ""), (match.start(), match.end(), "")]
        elif html_tag:
            edits.append((match.start(), match.end(), ""))
        elif _names_no_tag(name):  # `</refname=x>`: no tag, text to MediaWiki
            edits.append((match.start(), match.start() + 1, "<"))
    for name, matches in open_tags.items():
        for match, (template, _) in matches:
            if name in _OPTIONAL_END_TAGS:
                if template != -1:
                    edits.append((match.start(), match.end(), ""))
            elif name in HTML_TAGS and name not in TAGS:
                edits.append((match.start(), match.end(), ""))
            else:  # an extension tag, or no tag MediaWiki knows: text
                edits.append((match.start(), match.start() + 1, "<"))
    return edits


def _names_no_tag(name: str) -> bool:
    """Whether MediaWiki knows no tag of this name (``</refname=x>`` is text to it)."""
    name = name.lower()
    return name not in TAGS and name not in HTML_TAGS


@functools.cache
def _closing_tag(name: str) -> re.Pattern[str]:
    return re.compile(rf"</{re.escape(name)}\s*>", re.IGNORECASE)


class _FirstClosing:
    """Where the first ``</name>`` after an offset ends, in linear time over a page: the searches for
    one name go forward, and a name with no closing tag left is never searched again."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.none_after: dict[str, int] = {}  # name -> an offset after which it is never closed

    def after(self, name: str, start: int) -> int | None:
        if start >= self.none_after.get(name, len(self.source) + 1):
            return None
        found = _closing_tag(name).search(self.source, start)
        if found is None:
            self.none_after[name] = start
            return None
        return found.end()


# --------------------------------------------------------------------------------------------------
# Reading


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


def read(source: str, title: str, markup: Markup = BUILTIN) -> Article:
    """The article a reader sees in ``source``, the wikitext of the page ``title``; ``markup`` names the
    wiki's namespaces and prefixes (the built-in table by default)."""
    redirect = parse_redirect(source, markup)
    if redirect is not None:
        source = source[source.index("]]") + 2 :]
    stand_ins_free = not any(c in source for c in _STAND_INS.values())
    source = bound_unclosed(_INDENTED_TABLE.sub("", source), markup)
    lead: list[Block] = []
    sections: list[Section] = []
    blocks = lead
    heading: _HeadingMark | None = None
    paragraph: list[str | Link | _Break] = []
    items: list[ListItem] = []
    preformatted = False

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
            sections.append(Section(heading.title, heading.level, tuple(blocks), inlines=heading.inlines))

    pieces = _Renderer(markup).render(parse(source))
    if stand_ins_free and any(c in source for c in _STAND_INS.values()):
        pieces = [_put_back_piece(piece) for piece in pieces]
    for line in _lines(pieces):
        was_preformatted, preformatted = preformatted, line.is_preformatted()
        if line.heading is not None:
            close_section()
            heading, blocks = line.heading, []
        elif line.table is not None:
            flush()
            blocks.append(Table(line.table.rows))
        elif line.is_blank():
            flush()
        elif line.markers:
            if paragraph:
                flush()
            inlines = _untabbed(_inlines(line.pieces))
            if inlines:
                items.append(ListItem(inlines, line.markers))
        elif preformatted:
            if items or (paragraph and not was_preformatted):
                flush()
            if paragraph:
                paragraph.append(_BREAK)
            first = line.pieces[0]
            assert isinstance(first, str)
            paragraph.extend([_Protected(first[1:]), *line.pieces[1:]])
        else:
            if items or was_preformatted:
                flush()
            if paragraph and not isinstance(paragraph[-1], _Break):
                paragraph.append(" ")
            paragraph.extend(_trim_end(_trim_end(list(line.pieces), 0, breaks=False), -1, breaks=False))
    close_section()
    return Article(title, tuple(lead), tuple(sections), redirect=None if redirect is None else redirect.link)


def _put_back_piece(piece: _Piece) -> _Piece:
    """A rendered piece with the stand-ins of :func:`bound_unclosed` turned back."""

    def inline(item: Inline) -> Inline:
        if isinstance(item, Link):
            return Link(put_back(item.target), None if item.label is None else put_back(item.label))
        return Text(put_back(item.text))

    if isinstance(piece, _Protected):
        return _Protected(put_back(piece))
    if isinstance(piece, str):
        return put_back(piece)
    if isinstance(piece, Link):
        return inline(piece)
    if isinstance(piece, _HeadingMark):
        return _HeadingMark(piece.level, put_back(piece.title), tuple(inline(i) for i in piece.inlines))
    if isinstance(piece, _TableMark):
        return _TableMark(tuple(tuple(tuple(inline(i) for i in cell) for cell in row) for row in piece.rows))
    return piece


def render_text(source: str) -> str:
    """Wikitext as the plain text a reader sees, blocks separated by blank lines (no title line)."""
    from .plaintext import write_blocks

    return write_blocks(read(source, ""))
