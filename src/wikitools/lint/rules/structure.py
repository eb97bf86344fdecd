"""Page structure the coverage rules share: tags, templates, tables, references and external links.

Everything here is derived from one :class:`~wikitools.lint.scan.PageScan` in linear passes and memoised
in ``scan.memo``, so twenty rules that look at tags pay for one tag pass. The base scan masks ``<ref>``
contents (links in references are not body links); these rules need references, templates and tags
inside them, so they work on their own mask, :func:`code_masked`: comments and the contents of tags
whose content is not wikitext (``<nowiki>``, ``<pre>``, ``<math>``...) become spaces, offsets unchanged.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TypeVar

from ...markup import (
    BUILTIN,
    HTML_TAGS,
    NAMESPACE_FILE,
    NAMESPACE_MEDIA,
    NAMESPACE_TEMPLATE,
    TAGS,
    UNPARSED_TAGS,
)
from ..scan import PageScan, SpanSet

T = TypeVar("T")

#: Extension tags with wikitext content (paired like HTML, content parsed).
WIKI_EXT_TAGS = tuple(name for name, rule in TAGS.items() if rule.parsable)
#: HTML elements that never have content.
VOID_HTML = frozenset({"br", "wbr", "hr", "meta", "link", "img"})
#: HTML elements MediaWiki accepts with a closing tag.
PAIRED_HTML = HTML_TAGS - VOID_HTML
#: Elements whose closing tag HTML lets the parser infer (``<li>``, ``<td>``...).
OPTIONAL_CLOSE = frozenset({"li", "dt", "dd", "td", "th", "tr", "p", "rb", "rp", "rt", "rtc"})

_NOT_NEWLINE = re.compile(r"[^\n]")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)([\s/][^<>]*)?>")
_FILE_TOKEN = re.compile(r"\{\{+|\}\}+|\[\[|\]\]|\|")
#: A pattern tries each alternative at each candidate: the lookahead on the alternatives' first
#: characters (same flags) fails most candidates at once (every "[" of a wikilink): 40 % faster.
_EXT_LINK = re.compile(
    r"\[(?=[hfmni/])((?:https?:|ftp:|ftps:|mailto:|news:|irc:|ircs:|//)[^\s\[\]<>\"]*)((?:\[\[[^\[\]\n]*\]\]|[^\]\n])*)(\]?)",
    re.I,
)
_REF = re.compile(r"<ref\b([^<>]*?)(/?)>", re.IGNORECASE)
_REF_CLOSE = re.compile(r"</ref\s*>", re.IGNORECASE)
_REFERENCES = re.compile(r"<references\b([^<>]*?)(/?)>", re.IGNORECASE)
_REFERENCES_CLOSE = re.compile(r"</references\s*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"?|'([^']*)'?|([^\s"'>]*)))?""")


def _alternatives(names: frozenset[str]) -> str:
    """A regex alternation of namespace names (in ``namespace_key`` form: a space matches ``_`` too)."""
    return "|".join(re.escape(name).replace(r"\ ", "[ _]+") for name in sorted(names, key=len, reverse=True))


def memo(scan: PageScan, key: Hashable, build: Callable[[PageScan], T]) -> T:
    """``build(scan)``, computed once per page and shared by every rule."""
    found = scan.memo.get(key)
    if found is None:
        found = build(scan)
        scan.memo[key] = found
    return found  # type: ignore[return-value]


def _shared(key: str) -> Callable[[Callable[[PageScan], T]], Callable[[PageScan], T]]:
    """Make a builder its own :func:`memo`: the structure accessors are called half a million times on
    the corpus, and a build function defined inside each accessor cost a closure and a call each time."""

    def wrap(build: Callable[[PageScan], T]) -> Callable[[PageScan], T]:
        def shared(scan: PageScan) -> T:
            found = scan.memo.get(key)
            if found is None:
                found = scan.memo[key] = build(scan)
            return found  # type: ignore[return-value]

        return functools.wraps(build)(shared)

    return wrap


def _blanked(text: str) -> str:
    """``text`` as spaces, its newlines kept (most comments hold none: no substitution then)."""
    return _NOT_NEWLINE.sub(" ", text) if "\n" in text else " " * len(text)


def _mask_raw(text: str, spans: list[tuple[int, int]]) -> str:
    pieces: list[str] = []
    kept = 0
    for start, end in spans:
        if not text.startswith("<!--", start):
            opening_end = text.index(">", start) + 1  # a span starts with its element's opening tag
            if opening_end == end:
                continue  # self-closing: no content
            start, end = opening_end, text.rfind("<", start, end)  # keep the tags: rules check they pair
        pieces.append(text[kept:start])
        pieces.append(_blanked(text[start:end]))
        kept = end
    pieces.append(text[kept:])
    return "".join(pieces)


@_shared("code_masked")
def code_masked(scan: PageScan) -> str:
    """The page with comments and raw-tag contents (not the raw tags themselves) blanked."""
    return _mask_raw(scan.text, scan.unparsed) if "<" in scan.text else scan.text


_OPENING_NAME = re.compile(r"<(\w+)")


@_shared("opening_names")
def opening_names(scan: PageScan) -> frozenset[str]:
    """The word after each ``<`` of the raw page, in lower case (tag names ignore case): one pass over
    the page tells every rule whether ``<name`` occurs (some word here starts with ``name``) instead of
    a page scan per question."""
    return frozenset(map(str.lower, _OPENING_NAME.findall(scan.text))) if "<" in scan.text else frozenset()


@_shared("all_targets")
def all_targets(scan: PageScan) -> str:
    """Every link target of the page joined by spaces, built once: a rule looking for a character that
    is rare in targets searches this once instead of every target (a space matches none of those)."""
    return " ".join([link.target for link in scan.links])


# -- tags -----------------------------------------------------------------------------------------
@dataclass(unsafe_hash=True, slots=True)
class Tag:
    """One ``<name ...>``, ``</name>`` or ``<name/>`` in :func:`code_masked` text. Read-only; not
    ``frozen`` because a frozen dataclass is built four times slower (as :class:`~..scan.WikiLink`)."""

    name: str  # lower case
    start: int
    end: int
    closing: bool
    self_closing: bool
    attrs: str
    attrs_start: int


@_shared("tags")
def tags(scan: PageScan) -> list[Tag]:
    """Every tag-shaped ``<...>`` of the page, in order (comments and raw contents excluded)."""
    text = code_masked(scan)
    if "<" not in text:
        return []
    found = []
    for match in _TAG.finditer(text):
        slash, name, attrs = match.groups("")
        self_closing = "/" in attrs and attrs.rstrip().endswith("/")
        if self_closing:
            attrs = attrs.rstrip()[:-1]
        found.append(
            Tag(name.lower(), match.start(), match.end(), slash == "/", self_closing, attrs, match.end(2))
        )
    return found


def attributes(attrs: str) -> list[tuple[str, str | None, int]]:
    """``(name lower-cased, value or None, offset in attrs)`` of each attribute of a tag or table line."""
    found = []
    for match in _ATTRIBUTE.finditer(attrs):
        last = match.lastindex  # the value's group (one of three alternatives), or 1 when there is none
        found.append((match.group(1).lower(), match.group(last) if last != 1 else None, match.start()))
    return found


@dataclass(frozen=True)
class TagBalance:
    """HTML tags that do not pair up: openings never closed and closings never opened."""

    unclosed: list[Tag]
    stray: list[Tag]


@_shared("tag_balance")
def tag_balance(scan: PageScan) -> TagBalance:
    """Pair paired HTML and wikitext extension tags by name, innermost first."""
    open_tags: dict[str, list[Tag]] = {}
    stray: list[Tag] = []
    for tag in tags(scan):
        if tag.name not in PAIRED_HTML and tag.name not in WIKI_EXT_TAGS and tag.name not in UNPARSED_TAGS:
            continue
        if tag.self_closing and not tag.closing:
            continue
        stack = open_tags.setdefault(tag.name, [])
        if not tag.closing:
            stack.append(tag)
        elif stack:
            stack.pop()
        else:
            stray.append(tag)
    unclosed = sorted((t for stack in open_tags.values() for t in stack), key=lambda t: t.start)
    return TagBalance(unclosed, stray)


#: Elements whose content is shown as written (code samples).
CODE_TAGS = frozenset({"code", "tt", "kbd", "samp", "var", "source", "syntaxhighlight", "pre", "math"})


@_shared("code_spans")
def code_element_spans(scan: PageScan) -> SpanSet:
    """Where ``<code>``-like elements are: characters there are examples, not prose."""
    spans = []
    opened: dict[str, int] = {}
    for tag in tags(scan):
        if tag.name in CODE_TAGS:
            if not tag.closing and not tag.self_closing:
                opened.setdefault(tag.name, tag.start)
            elif tag.closing and tag.name in opened:
                spans.append((opened.pop(tag.name), tag.end))
    return SpanSet(spans)


# -- templates ------------------------------------------------------------------------------------
_SIMPLE_TEMPLATE = re.compile(r"\{\{[^{}]*\}\}")
_SIMPLE_LINK = re.compile(r"\[\[[^\[\]]*\]\]")
_MAX_NESTING = 40
#: MediaWiki expands templates 40 levels deep at most; calls nested deeper are not read as calls, which also
#: keeps the work per page linear on pathological nesting.
MAX_EXPANSION_DEPTH = 40


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


@dataclass(slots=True)
class Transclusion:
    """A ``{{...}}`` (``arg`` False) or ``{{{...}}}`` (``arg`` True); ``end`` is past the closing braces."""

    start: int
    end: int
    arg: bool
    depth: int = 0  # how many elements hold this one
    _flat: str | None = field(default=None, repr=False)

    @property
    def inner_start(self) -> int:
        return self.start + (3 if self.arg else 2)

    def flat(self, text: str) -> str:
        """The inner text with nested templates and links blanked (innermost out), so that its top-level
        pipes and equals signs are the only ones left; same length as the inner text."""
        if self._flat is None:
            flat = text[self.inner_start : self.end - (3 if self.arg else 2)]
            for pattern, opening in ((_SIMPLE_TEMPLATE, "{{"), (_SIMPLE_LINK, "[[")):
                for _ in range(_MAX_NESTING):
                    if opening not in flat:
                        break
                    flat, blanked = pattern.subn(_blank, flat)
                    if not blanked:  # an opening that pairs with nothing: another round blanks nothing
                        break
            self._flat = flat
        return self._flat

    def parts(self, text: str) -> list[tuple[int, str]]:
        """``(offset, text)`` of the name and each parameter."""
        parts = []
        offset = self.inner_start
        for piece in self.flat(text).split("|"):
            parts.append((offset, text[offset : offset + len(piece)]))
            offset += len(piece) + 1
        return parts

    def name(self, text: str) -> str:
        inner_end = self.end - (3 if self.arg else 2)
        pipe = text.find("|", self.inner_start, inner_end)
        head = text[self.inner_start : inner_end if pipe == -1 else pipe]
        if "{{" not in head and "[[" not in head:
            return head.strip()  # nothing nested before the first pipe: it is the top-level one
        flat = self.flat(text)
        pipe = flat.find("|")
        return text[self.inner_start : self.inner_start + (len(flat) if pipe == -1 else pipe)].strip()


@dataclass(frozen=True)
class Braces:
    """Every transclusion, and the ``{{``/``}}`` runs that pair with nothing."""

    elements: list[Transclusion]
    unclosed: list[int]
    stray: list[int]

    @property
    def arguments(self) -> list[Transclusion]:
        """The ``{{{...}}}`` elements (template parameters)."""
        return [element for element in self.elements if element.arg]


@_shared("braces")
def braces(scan: PageScan) -> Braces:
    """Every ``{{...}}`` and ``{{{...}}}`` of the page and of its ``<ref>`` contents, as MediaWiki's
    preprocessor pairs brace runs: the scan's :attr:`~..scan.PageScan.braces`, the one model lint's
    scan and these rules share."""
    found = scan.braces
    elements = [Transclusion(start, end, arg, depth) for start, end, arg, depth in found.elements]
    return Braces(elements, found.unclosed, found.stray)


@dataclass(unsafe_hash=True, slots=True)  # read-only; built by the thousand, see Tag
class Parameter:
    """One argument of a template call: ``key`` is the name, or the position of an unnamed argument, or
    None when markup builds the name; ``value_start == start`` for unnamed arguments."""

    key: str | None
    start: int
    value_start: int
    value: str


@dataclass
class TemplateCall:
    """A real template call (not a parser function, variable or magic word); arguments parsed on demand."""

    element: Transclusion
    name: str
    text: str = field(repr=False)
    #: Whether an ``=`` is written anywhere in the call: without one its arguments are all positional, and
    #: the rules about argument names need not flatten it (set once: three rules ask for every call).
    has_equals: bool
    _parameters: list[Parameter] | None = field(default=None, repr=False)

    @property
    def flat(self) -> str:
        flat = self.element._flat  # already flattened: spare the call (rules ask 275,000 times)
        return self.element.flat(self.text) if flat is None else flat

    @property
    def parameters(self) -> list[Parameter]:
        if self._parameters is None:
            found: list[Parameter] = []
            position = 0
            for offset, part in self.element.parts(self.text)[1:]:
                equals = part.find("=")
                if equals == -1 or any(mark in part[:equals] for mark in ("{{", "[[", "<")):
                    position += 1
                    found.append(Parameter(str(position), offset, offset, part))
                    continue
                name = part[:equals].strip()
                found.append(Parameter(name or None, offset, offset + equals + 1, part[equals + 1 :]))
            self._parameters = found
        return self._parameters


@_shared("template_calls")
def template_calls(scan: PageScan) -> list[TemplateCall]:
    """Every template call of the page (arguments are parsed when a rule asks for them)."""
    text = code_masked(scan)
    calls = []
    for element in braces(scan).elements:
        if element.arg or element.depth > MAX_EXPANSION_DEPTH:
            continue
        name = element.name(text)
        if not name or name.startswith("#") or (":" in name and not is_template_prefix(name)):
            continue
        calls.append(TemplateCall(element, name, text, text.find("=", element.start, element.end) != -1))
    return calls


_TEMPLATE_NAMES = BUILTIN.names_of(NAMESPACE_TEMPLATE)
#: Tried on every template: the lookahead on the names' first characters (as :data:`_EXT_LINK`'s)
#: fails most at once instead of trying two dozen names.
TEMPLATE_PREFIX = re.compile(
    rf"\s*(?=[{''.join(sorted({name[0] for name in _TEMPLATE_NAMES}))}])"
    rf"(?:{_alternatives(_TEMPLATE_NAMES)})\s*:\s*",
    re.IGNORECASE,
)


def is_template_prefix(name: str) -> bool:
    return TEMPLATE_PREFIX.match(name) is not None


@_shared("templates")
def templates(scan: PageScan) -> list[Transclusion]:
    """The ``{{...}}`` elements (templates, magic words, parser functions) in order."""
    return [e for e in braces(scan).elements if not e.arg]


@_shared("template_spans")
def template_spans(scan: PageScan) -> SpanSet:
    return SpanSet([(e.start, e.end) for e in braces(scan).elements])


@functools.lru_cache(maxsize=4096)
def canonical_name(name: str) -> str:
    """A template name as MediaWiki looks it up: first letter upper case, spaces for underscores.
    Cached: the same few names (``cite web``, ``reflist``) are looked up 130,000 times on the corpus."""
    name = " ".join(name.replace("_", " ").split())
    return name[:1].upper() + name[1:]


# -- references -----------------------------------------------------------------------------------
@dataclass(unsafe_hash=True, slots=True)  # read-only; built by the thousand, see Tag
class Ref:
    """A ``<ref>`` (``content`` None when self-closing), ``end`` past ``</ref>`` or the tag."""

    start: int
    end: int
    attrs: str
    content: str | None
    content_start: int
    closed: bool = True


@dataclass(frozen=True)
class RefScan:
    refs: list[Ref]
    lists: list[tuple[int, int]]  # spans of <references> tags/elements


@_shared("references")
def references(scan: PageScan) -> RefScan:
    """``<ref>`` elements and ``<references>`` lists, left to right (a ref cannot nest in a ref)."""
    text = code_masked(scan)
    refs: list[Ref] = []
    lists: list[tuple[int, int]] = []
    names = opening_names(scan)  # every <ref> and <references> opens with one of these (any case)
    if "ref" not in names and "references" not in names:
        return RefScan(refs, lists)
    closing_left = True  # once no </references> follows, none follows a later one either
    for match in _REFERENCES.finditer(text):
        close = None
        if not match.group(2) and closing_left:
            close = _REFERENCES_CLOSE.search(text, match.end())
            closing_left = close is not None
        lists.append((match.start(), close.end() if close else match.end()))
    position = 0
    closings = [m.start() for m in _REF_CLOSE.finditer(text)]
    index = 0
    # every opening found once: no match holds a "<" after its first character, so the one after an
    # opening is the next in this list, and a search from any offset finds the first one at or past it
    openings = list(_REF.finditer(text))
    no_opening = len(text)
    for number, match in enumerate(openings):
        opening_start, opening_end = match.span()
        if opening_start < position:
            continue  # inside the ref just read
        if match.group(2):
            refs.append(Ref(opening_start, opening_end, match.group(1), None, opening_end))
            position = opening_end
            continue
        while index < len(closings) and closings[index] < opening_end:
            index += 1
        next_start = openings[number + 1].start() if number + 1 < len(openings) else no_opening
        if index < len(closings) and closings[index] < next_start:
            close = closings[index]
            end = text.index(">", close) + 1
            refs.append(Ref(opening_start, end, match.group(1), text[opening_end:close], opening_end))
            position = end
        else:
            refs.append(Ref(opening_start, opening_end, match.group(1), None, opening_end, closed=False))
            position = opening_end
    return RefScan(refs, lists)


# -- external links -------------------------------------------------------------------------------
@dataclass(unsafe_hash=True, slots=True)  # read-only; built by the thousand, see Tag
class ExternalLink:
    """``[url label]``: ``closed`` is False when the line ends before ``]``."""

    start: int
    end: int
    url: str
    label: str
    closed: bool


@_shared("external_links")
def external_links(scan: PageScan) -> list[ExternalLink]:
    text = code_masked(scan)
    if "[" not in text:
        return []
    return [
        ExternalLink(m.start(), m.end(), m.group(1), m.group(2), bool(m.group(3)))
        for m in _EXT_LINK.finditer(text)
        if not (m.start() > 0 and text[m.start() - 1] == "[")
    ]


# -- tables ---------------------------------------------------------------------------------------
@dataclass
class TableRow:
    start: int  # offset of the |- line, or of the first cell when the row has no |- line
    cells: list[tuple[int, int, int]] = field(default_factory=list)  # (offset, colspan, rowspan)
    generated: bool = False  # a template or parser function line sits in the row


@dataclass
class Table:
    start: int
    end: int | None  # offset past |} or None when never closed
    rows: list[TableRow] = field(default_factory=list)
    fostered: list[int] = field(default_factory=list)  # offsets of lines of text outside any cell
    attr_spans: list[tuple[str, int, str]] = field(default_factory=list)  # (element, offset, attrs)


_TABLE_LINE = re.compile(r"^[ \t]*(:*)[ \t]*(\{\||\|\}|\|-+|\|\+|\||!)?(.*)$", re.MULTILINE)
#: A line that opens a table, matched from the newline before it in ``"\n" + text`` (see
#: :data:`~..scan.TABLE_EDGES_AFTER_NEWLINE`: far faster than a pattern starting with ``^``).
_TABLE_START_AFTER_NEWLINE = re.compile(r"\n[ \t:]*\{\|")
_HEADER_CELL_SEPARATOR = re.compile(r"!!|\|\|")


@_shared("tables")
def tables(scan: PageScan) -> list[Table]:
    """Wiki tables, nested ones included, read line by line as MediaWiki's ``doTableStuff`` does."""
    text = code_masked(scan)
    if "{|" not in text:
        return []
    contexts = template_spans(scan)
    found: list[Table] = []
    stack: list[tuple[Table, list[bool], int]] = []  # table, [row open, before its first cell], context
    # the start of each line that opens a table (a match starts at the newline before its line)
    openings = [match.start() for match in _TABLE_START_AFTER_NEWLINE.finditer("\n" + text)]
    context_starts, context_spans = contexts.starts, contexts.spans
    position = 0
    while position <= len(text):
        if not stack:
            index = bisect_left(openings, position)
            if index == len(openings):
                break
            position = openings[index]
        match = _TABLE_LINE.match(text, position)
        assert match is not None
        position = match.end() + 1
        _, marker, rest = match.groups()
        start = match.start(2) if marker else match.start()
        # which top-level template holds the line (its index, or -1): table lines pair within one
        index = bisect_right(context_starts, start) - 1
        context = index if index >= 0 and start < context_spans[index][1] else -1
        if stack and context != stack[-1][2]:
            if stack[-1][0].rows and match.group().lstrip(" \t:").startswith("{{"):
                stack[-1][0].rows[-1].generated = True  # a template that writes rows
            continue  # a line of a template that started in a cell
        if marker == "{|":
            table = Table(start, None)
            table.attr_spans.append(("table", match.start(3), rest))
            found.append(table)
            stack.append((table, [True], context))
            continue
        if not stack:
            continue
        table, state, _ = stack[-1]
        if marker == "|}":
            table.end = match.start(2) + 2
            stack.pop()
            continue
        if marker is not None and marker.startswith("|-"):
            table.rows.append(TableRow(start))
            table.attr_spans.append(("tr", match.start(3), rest))
            state[0] = True
            continue
        if marker == "|+":
            state[0] = False
            continue
        if marker in ("|", "!"):
            if not table.rows:
                table.rows.append(TableRow(start))
            row = table.rows[-1]
            cell_start = match.start(3)
            if "||" not in rest and "!!" not in rest:
                cells = [rest]
            else:
                cells = rest.split("||") if marker == "|" else _HEADER_CELL_SEPARATOR.split(rest)
            for cell in cells:
                colspan, rowspan = 1, 1
                attrs = _cell_attributes(cell) if "|" in cell else None  # most cells hold no pipe
                if attrs is not None:
                    table.attr_spans.append(("td" if marker == "|" else "th", cell_start, attrs))
                    spans = attributes(attrs) if "span" in attrs.lower() else ()
                    for name, value, _ in spans:
                        if name in ("colspan", "rowspan"):
                            number = _span_number(value)
                            if name == "colspan":
                                colspan = number
                            else:
                                rowspan = number
                row.cells.append((cell_start, colspan, rowspan))
                cell_start += len(cell) + 2
            state[0] = False
            continue
        stripped = rest.strip()
        if state[0] and stripped and not _invisible_line(stripped):
            if stripped.startswith(("{{", "{{{")) or stripped.startswith("{|"):
                if table.rows:
                    table.rows[-1].generated = True
                continue
            table.fostered.append(match.start(3) + len(rest) - len(rest.lstrip()))
    return found


_CATEGORY_OR_SWITCH = re.compile(r"^(?:\[\[[^\[\]]*\]\]|__[A-Z]+__|<[^<>]*>|\s)*$")


def _invisible_line(line: str) -> bool:
    """Lines that put nothing on the page (categories, behaviour switches, bare tags)."""
    return _CATEGORY_OR_SWITCH.fullmatch(line) is not None and ("[[" not in line or ":" in line)


def _cell_attributes(cell: str) -> str | None:
    """The attribute part of a table cell (before its first single ``|``), or None."""
    pipe = cell.find("|")
    if pipe <= 0:
        return None
    head = cell[:pipe]
    if "[[" in head or "{{" in head or "[" in head or cell[pipe : pipe + 2] == "||":
        return None
    return head


def _span_number(value: str | None) -> int:
    digits = re.match(r"\s*(\d+)", value or "")
    return max(1, min(int(digits.group(1)), 1000)) if digits else 1


# -- file links -----------------------------------------------------------------------------------
@dataclass(unsafe_hash=True, slots=True)  # read-only; built by the thousand, see Tag
class FileLink:
    """``[[File:Name|option|...|caption]]`` with captions that hold links; ``parts`` are ``(offset, text)``
    of the name and each option, split on the pipes outside nested links and templates."""

    start: int
    end: int
    parts: list[tuple[int, str]]


_FILE_SCAN_LIMIT = 5000
_FILE_BRACKET = re.compile(
    r"\[\[|\]\]|\n\n"
)  # a caption longer than this is not a caption; stop looking for its end


@_shared("file_links")
def file_links(scan: PageScan) -> list[FileLink]:
    """File links, whole (a caption may hold links and templates)."""
    text = code_masked(scan)
    if "[[" not in text:
        return []
    starts = [match.start() for match in _FILE_OPEN.finditer(text)]
    return [
        FileLink(start, end, _split_file(text, start, end))
        for start, end in zip(starts, _file_ends(text, starts), strict=True)
        if end is not None
    ]


_FILE_NAMESPACES = BUILTIN.names_of(NAMESPACE_FILE) | BUILTIN.names_of(NAMESPACE_MEDIA)
#: The lookahead (a colon before any bracket, pipe or newline; no namespace name holds one) spares most
#: links the trial of every name.
_FILE_OPEN = re.compile(
    rf"\[\[(?=[^\[\]|\n:]*:)[ \t]*(?:{_alternatives(_FILE_NAMESPACES)})[ \t]*:", re.IGNORECASE
)


def _file_ends(text: str, starts: list[int]) -> list[int | None]:
    """Where the link opening at each of ``starts`` (in order) ends: past the ``]]`` that closes it, if
    that is within :data:`_FILE_SCAN_LIMIT` characters and no blank line comes first; else None.

    A link's close depends only on the brackets after it, so one walk from a file link to its close
    also gives the close of every link nested in it, and the text between file links is never read."""
    closes: dict[int, int | None] = {}
    found: list[int | None] = []
    for start in starts:
        if start not in closes:  # not met by an earlier walk (or met out of step with it: "[[[File:")
            _walk_links(text, start, closes)
        close = closes[start]
        found.append(close if close is not None and close - start <= _FILE_SCAN_LIMIT else None)
    return found


def _walk_links(text: str, start: int, closes: dict[int, int | None]) -> None:
    """Pair the brackets from the ``[[`` at ``start`` until it closes (or a blank line or the page ends),
    recording in ``closes`` where each link opened on the way closes (None: never).

    A link an earlier walk paired is stepped over whole, and one it found unclosed leaves every link
    around it unclosed: each part of the page is read about once however many links start in it
    (20,000 file links in one unclosed link, or each out of step with the one before it)."""
    open_starts: list[int] = []
    position: int | None = start
    while position is not None:
        for match in _FILE_BRACKET.finditer(text, position):
            token = match.group()
            if token == "[[":
                if match.start() not in closes:
                    open_starts.append(match.start())
                    continue
                position = closes[match.start()]  # paired before: resume past it; None: it never closes,
                break  # and neither does any link around it
            if token == "\n\n":
                position = None  # a blank line ends every link still open
                break
            closes[open_starts.pop()] = match.end()
            if not open_starts:
                return
        else:
            position = None
    closes.update(dict.fromkeys(open_starts))


def _split_file(text: str, start: int, end: int) -> list[tuple[int, str]]:
    parts: list[tuple[int, str]] = []
    depth = 0
    part_start = start + 2
    for match in _FILE_TOKEN.finditer(text, start + 2, end - 2):
        token = match.group()
        if token in ("[[", "{{", "{{{") or token.startswith("{{"):
            depth += 1
        elif token in ("]]",) or token.startswith("}}"):
            depth = max(0, depth - 1)
        elif depth == 0:
            parts.append((part_start, text[part_start : match.start()]))
            part_start = match.end()
    parts.append((part_start, text[part_start : end - 2]))
    return parts
