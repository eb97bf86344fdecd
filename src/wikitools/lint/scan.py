"""One cheap, line-based pass over a page's wikitext that every rule shares.

Why not mwparserfromhell: building its node tree costs most of a parse, and the tree loses headings
that follow an unclosed ``''``. MediaWiki itself finds headings line by line, so we do the same: first
*mask* comments and the tags whose content is not wikitext (their characters become spaces, newlines
stay, so every offset and line number is still valid), then find headings, links, template and table
spans with regular expressions over the masked text.
"""

from __future__ import annotations

import functools
import html
import operator
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import unquote

from ..markup import (
    BRACKET_REFERENCE,
    BUILTIN,
    LINK_BRACKETS,
    MASKED_OPENER,
    ONE_LINE_LINK,
    TAGS,
    BraceMatch,
    LinkKind,
    Markup,
    bracket_tokens,
    brackets_to_walk,
    element_spans,
    is_masked,
    is_parsable,
    link_text,
    masked_spans,
    match_braces,
    pair_link_brackets,
    tag_rule,
    unparsed_spans,
)
from ..titles import normalize_title

_HEADING_LINE = re.compile(r"\n[ \t\x01]*=[^\n]*")  # searched in "\n" + text: a literal prefix is fast
# A run of 2-6 '=' ending its line, not preceded by '=': written to start with a literal '=' (the
# lookbehind comes after it) so the regex engine skips to each '=' instead of trying every position.
_CLOSING_RUN = re.compile(r"(=(?<!==)={1,5})[ \t\x01]*$", re.MULTILINE)
_OPENLESS_TEXT = re.compile(r"[^=|{}!*#:; \t<][^=]*")
_HTML_HEADING_OPEN = re.compile(r"<h([1-6])\b[^<>]*>", re.IGNORECASE)
_HTML_HEADING_CLOSE = {level: re.compile(rf"</h{level}\s*>", re.IGNORECASE) for level in "123456"}
#: A link as MediaWiki's ``handleInternalLinks2`` reads one: a one-line target, then a label that may
#: span lines and hold single brackets but no ``[[``, up to the first ``]]``.
_LINK_SPANNING = re.compile(r"\[\[([^\[\]|\n]*(?:\|[^\[\]]*(?:(?:\[(?!\[)|\](?!\]))[^\[\]]*)*)?)\]\]")
#: Table edges (``{|``/``|}`` opening a line), for :func:`balanced_spans`.
TABLE_EDGES = re.compile(r"^[ \t:]*(\{\||\|\})", re.MULTILINE)
#: :data:`TABLE_EDGES` from the newline before the line, in ``"\n" + text``: a pattern that starts with a
#: literal is searched for, where one that starts with ``^`` is tried at every offset (8x slower).
TABLE_EDGES_AFTER_NEWLINE = re.compile(r"\n[ \t:]*(\{\||\|\})")
_ANCHOR_TEMPLATE = re.compile(r"\{\{\s*(?:[Aa]nchors?|[Vv]anchor)\s*\|([^{}]*)\}\}")
_ID_ATTRIBUTE = re.compile(r"""\bid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>'"]+))""", re.IGNORECASE)
_TEMPLATE_ARGUMENT = re.compile(r"\|([^|{}\[\]\n]+?)(?=\s*(?:\||\}\}))")
_SIMPLE_TEMPLATE = re.compile(r"\{\{[^{}]*\}\}")
_MARKUP = re.compile(r"'{2,}|<[^<>]*>")
_HEADING_LINK = re.compile(r"\[\[([^\[\]|]*)(?:\|([^\[\]]*))?\]\]")
_EXTERNAL_LINK = re.compile(
    r"\[(?:(?:[a-z][a-z0-9+.\-]*:)?//|(?:mailto|news|urn|tel|sip|sips|xmpp|geo|magnet):)[^\s\[\]<>\"]+"
    r"[ \t]+([^\]\n]*)\]",
    re.IGNORECASE,
)  # with a label: the label shows (one without shows a number, like a reference)
_ASCII_SPACES = re.compile(r"[ \t\n\r]+")  # what MediaWiki collapses and trims in a heading (not nbsp)
#: Row and table attribute lines: text after ``|-`` (in a table) or ``{|`` is attributes, not content.
_ARGUMENT_TOKENS = re.compile(r"\{\{|\}\}|\[\[|\]\]|\|")  # what splits a template's arguments, and what nests
_TABLE_LINE = re.compile(r"\n[ \t]*(:*[ \t]*\{\||\|\}|\|-)[^\n]*")
_SPACES = re.compile(r"[\s_]+")  # in an anchor, a no-break or ideographic space is one too


#: What an element (``<ref>...</ref>``, ``<pre>...</pre>``...) becomes in :attr:`PageScan.structure`:
#: visible content that is one token, so a heading around a ``<ref>`` that spans lines stays one line.
ELEMENT_FILL = "\ufffc"
#: What a comment becomes in :attr:`PageScan.structure`: nothing MediaWiki sees, but not a space
#: either (a line that starts with the end of a comment is not indented).
COMMENT_FILL = "\x01"
_FILLS = ELEMENT_FILL + COMMENT_FILL
_TRAILING = " \t\r\f\v" + COMMENT_FILL  # what may surround a heading's '=' runs on its line
_ASCII_WHITESPACE = " \t\n\r\f\v"
_BLANK = str.maketrans(_FILLS, "  ")
_CONFLICT_MARKER = re.compile(r"^(?:<{7}|>{7}|\|{7})(?:[ \t][^\n]*)?$|^={7}[ \t]*$", re.MULTILINE)


def _blank(text: str) -> str:
    """Structure text as masked text: fills become spaces."""
    return text.translate(_BLANK)


def mask(text: str) -> str:
    """``text`` with comments and non-wikitext tag contents replaced by spaces (newlines kept).

    An unclosed comment runs to the end of the text; an unclosed tag is plain text (both as in
    MediaWiki). Linear time: once a tag has no closing tag after some point, later openings of that
    tag are not searched again.
    """
    return masks(text)[0]


def masks(text: str, spans: Iterable[tuple[int, int]] | None = None) -> tuple[str, str]:
    """``(masked, structure)``: :func:`mask`, and the same spans filled the way MediaWiki's
    preprocessor sees them: a comment as :data:`COMMENT_FILL` (newlines kept), an element as one run of
    :data:`ELEMENT_FILL`, newlines included. Both have the length and offsets of ``text``. ``spans`` are
    the text's :func:`~wikitools.markup.masked_spans`, if the caller has them."""
    if "<" not in text:
        return text, text
    masked: list[str] = []
    structure: list[str] = []
    kept = 0
    for start, end in masked_spans(text) if spans is None else spans:
        kept_text = text[kept:start]
        masked.append(kept_text)
        structure.append(kept_text)
        fill = COMMENT_FILL if text.startswith("<!--", start) else ELEMENT_FILL
        if text.find("\n", start, end) == -1:
            masked.append(" " * (end - start))
            structure.append(fill * (end - start))
        else:  # newlines kept, but in the structure only a comment's: an element is one token
            lengths = [len(line) for line in text[start:end].split("\n")]
            masked.append("\n".join([" " * length for length in lengths]))
            if fill == ELEMENT_FILL:
                structure.append(fill * (end - start))
            else:
                structure.append("\n".join([fill * length for length in lengths]))
        kept = end
    masked.append(text[kept:])
    structure.append(text[kept:])
    return "".join(masked), "".join(structure)


def anchor_key(text: str) -> str:
    """How MediaWiki compares section anchors: underscores and any whitespace (``== A&nbsp;b ==`` has
    the id ``A_b``) are spaces, runs collapse, case matters."""
    return _SPACES.sub(" ", text).strip()


def heading_display(text: str) -> str:
    """A heading's text as a reader sees it (as MediaWiki's table of contents has it): link labels,
    nothing for files and categories, no quote or HTML markup, no templates (an ``{{anchor}}`` shows
    nothing), character references resolved, runs of ASCII whitespace as one space and trimmed (a
    no-break or ideographic space stays, as MediaWiki keeps it)."""
    shown = text
    if "[" in shown:
        if "[[" in shown:
            shown = _HEADING_LINK.sub(_shown_link, shown)
            if "[[" in shown:  # a file caption's links are gone: now the file link itself
                shown = _HEADING_LINK.sub(_shown_link, shown)
        shown = _EXTERNAL_LINK.sub(r"\1", shown)
    shown = _MARKUP.sub("", shown)
    if "{{" in shown:
        shown = _SIMPLE_TEMPLATE.sub("", shown)
    if "&" in shown:
        shown = html.unescape(shown)
    return _ASCII_SPACES.sub(" ", shown).strip(" \t\n\r")


def _shown_link(match: re.Match[str]) -> str:
    """What a ``[[...]]`` in a heading shows: its label, or its target without a leading colon;
    nothing for a file, a category or an interlanguage link."""
    target, label = match.group(1), match.group(2)
    if _classify_builtin(target)[0] in HIDDEN_KINDS:
        return ""
    return label if label is not None else link_text(target)


def _shown_elements(source: str) -> str:
    """``source`` with comments and elements as a reader sees them: the content of a literal tag
    (``<nowiki>``, ``<math>``...) stays, other elements (``<ref>``...) and comments show nothing."""
    shown: list[str] = []
    kept = 0
    for start, end in masked_spans(source):
        shown.append(source[kept:start])
        opening = MASKED_OPENER.match(source, start)
        if opening is not None and opening.group(1) and not opening.group().endswith("/>"):
            rule = tag_rule(opening.group(1))
            if rule.visible and not rule.parsable:
                shown.append(source[opening.end() : source.rfind("<", start, end)])
        kept = end
    shown.append(source[kept:])
    return "".join(shown)


@dataclass(unsafe_hash=True)
class Heading:
    """A line MediaWiki renders as a heading. ``text`` is between the ``=`` runs (stripped);
    ``opening``/``closing`` are the lengths of the ``=`` runs.

    Treat it as read-only. It is not ``frozen`` because a frozen dataclass is built four times
    slower and every page has headings by the dozen; it hashes and compares by value."""

    level: int
    text: str
    line: int
    start: int  # offset of the line start
    end: int  # offset of the line end (the newline, or the end of the text)
    opening: int
    closing: int
    text_start: int  # offset of the first character of ``text``
    close_start: int  # offset of the closing ``=`` run
    raw: str = ""  # the whole line as written (comments included)
    hidden: bool = False  # the text holds an element (<nowiki>, <ref>, <math>...) the mask blanks
    source: str = ""  # when ``hidden``: what is between the '=' runs as written

    @property
    def column(self) -> int:
        """Always 1: MediaWiki only renders a heading that starts its line."""
        return 1

    @cached_property
    def display(self) -> str:
        """What a reader sees: :func:`heading_display`, with what a ``<nowiki>`` holds shown."""
        return heading_display(_shown_elements(self.source) if self.hidden else self.text)

    @cached_property
    def key(self) -> str:
        """A case-insensitive name for comparing headings (See also, References...)."""
        return anchor_key(self.display).casefold()


@dataclass(frozen=True)
class BrokenHeading:
    """A line that looks meant as a heading but that MediaWiki does not render as one.

    ``kind`` is ``unclosed`` (``== Foo``), ``trailing-text`` (``== Foo == bar``), ``no-opening``
    (``Foo ==``) or ``indented`` (`` == Foo ==``, which renders as preformatted text)."""

    kind: str
    line: int
    start: int
    end: int
    level: int
    text: str


@dataclass(unsafe_hash=True, slots=True)
class WikiLink:
    """A ``[[...]]`` link. ``target`` is the raw text before the first ``|``; ``label`` the rest (``None``
    without a pipe); ``kind`` is ``article``, ``section`` (``[[#x]]``), ``file``, ``category``,
    ``interwiki``, ``interlanguage`` (``[[de:...]]``, not shown in the text), ``external``
    (``[[http://...]]``), ``template`` (built by a template) or ``empty``.

    Treat it as read-only. It is not ``frozen`` only because pages hold links by the hundred and a
    frozen dataclass is built four times slower (a tenth of a lint); it hashes and compares by value."""

    start: int
    end: int
    target: str
    label: str | None
    pipes: int
    kind: str
    title: str  # normalized page title without fragment ('' for section links)
    fragment: str | None
    nested: bool = False  # inside another link, such as a file caption
    in_template: bool = False  # inside {{...}} or a table

    @property
    def target_start(self) -> int:
        return self.start + 2


@dataclass(frozen=True)
class Section:
    """A heading and what follows it. ``body_end`` is where its own text stops (the next heading of
    any level); ``end`` is where the section with its subsections stops."""

    index: int
    heading: Heading
    body_end: int
    end: int


class SpanSet:
    """A set of ``[start, end)`` spans that answers "is this offset inside one?" in log time."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        merged: list[tuple[int, int]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        self.spans = merged
        self.starts = [start for start, _ in merged]

    def __contains__(self, offset: int) -> bool:
        index = bisect_right(self.starts, offset) - 1
        return index >= 0 and offset < self.spans[index][1]


#: Link kinds that do not show in the running text: they place a file, file the page in a category or
#: name this article in another language.
HIDDEN_KINDS = frozenset({"file", "category", "interlanguage"})
_KINDS = {
    LinkKind.TEMPLATED: "template",
    LinkKind.EXTERNAL: "external",
    LinkKind.SECTION: "section",
    LinkKind.FILE: "file",
    LinkKind.MEDIA: "file",
    LinkKind.CATEGORY: "category",
    LinkKind.INTERWIKI: "interwiki",
    LinkKind.INTERLANGUAGE: "interlanguage",
}


def classify(target: str, markup: Markup = BUILTIN) -> tuple[str, str, str | None]:
    """``(kind, title, fragment)`` of a link target, as :class:`WikiLink` describes, by the shared
    markup model (:mod:`wikitools.markup`): ``[[En:Foo]]`` is an interlanguage link, ``[[:Category:X]]``
    an ordinary link to the category page."""
    if markup is BUILTIN:
        return _classify_builtin(target)
    return _classify(target, markup)


@functools.lru_cache(maxsize=1 << 16)
def _classify_builtin(target: str) -> tuple[str, str, str | None]:
    """:func:`classify` with the built-in table, remembered: pages link the same targets again."""
    return _classify(target, BUILTIN)


def _classify(target: str, markup: Markup) -> tuple[str, str, str | None]:
    raw = target.strip()
    if not raw:
        return "empty", "", None
    # Most targets: an article whatever the table holds, with no prefix, fragment, template or
    # protocol-relative URL (see ``Markup.classify``). `in` tests: faster than one regex here.
    if ":" not in raw and "#" not in raw and "{" not in raw and not raw.startswith("//"):
        return "article", normalize_title(_decoded(raw) if "%" in raw else raw), None
    found = markup.classify(raw)
    if found.colon and found.kind in (LinkKind.FILE, LinkKind.CATEGORY):
        return "article", normalize_title(found.title), found.fragment
    if found.colon and found.kind is LinkKind.INTERLANGUAGE:
        return "interwiki", f"{found.prefix}:{found.title}", found.fragment
    kind = _KINDS.get(found.kind)
    if kind in ("file", "category"):
        return kind, normalize_title(found.title), found.fragment
    if kind == "section":
        return kind, "", found.fragment
    if kind is not None:
        title = f"{found.prefix}:{found.title}" if found.prefix else found.title
        return kind, title if kind.startswith("inter") else "", found.fragment
    # An article, or a target MediaWiki rejects (forbidden characters): L106 reports those.
    name = raw[1:].lstrip() if raw.startswith(":") else raw
    page, hash_sign, fragment = name.partition("#")
    if not page.strip() and not hash_sign:
        return "empty", "", None
    if "%" in page:
        page = _decoded(page)
    return "article", normalize_title(page), fragment.strip() if hash_sign else None


def _decoded(page: str) -> str:
    """A percent-encoded title as MediaWiki reads it (``Anpo%20protests`` is ``Anpo protests``)."""
    try:
        return unquote(page, errors="strict")
    except UnicodeDecodeError:
        return page


class PageScan:
    """The structure of one page, computed once and shared by every rule."""

    def __init__(self, text: str) -> None:
        self.text = text
        #: What MediaWiki sets aside before it reads structure (:func:`~wikitools.markup.masked_spans`).
        self.set_aside: list[tuple[int, int]] = list(masked_spans(text)) if "<" in text else []
        self.masked, self.structure = masks(text, self.set_aside)
        starts = [0]
        position = text.find("\n")
        while position != -1:
            starts.append(position + 1)
            position = text.find("\n", position + 1)
        self.line_starts = starts
        self.headings: list[Heading] = []
        self.broken_headings: list[BrokenHeading] = []
        self._find_headings()
        self.links: list[WikiLink] = []
        self.unclosed_brackets: list[int] = []
        self.stray_brackets: list[int] = []
        self.nested_targets: list[tuple[int, int]] = []  # spans of links whose target holds a [[
        self._find_links()
        self.memo: dict[object, object] = {}  # derived data rules share (see rules/appendix.py)

    # -- positions -------------------------------------------------------------------------------
    def line_of(self, offset: int) -> int:
        """The 1-based line number of ``offset``."""
        return bisect_right(self.line_starts, offset)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based ``(line, column)`` of ``offset``."""
        line = bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def line_span(self, line: int) -> tuple[int, int]:
        """``(start, end)`` offsets of a 1-based line, without its newline."""
        start = self.line_starts[line - 1]
        end = self.line_starts[line] - 1 if line < len(self.line_starts) else len(self.text)
        return start, end

    # -- headings --------------------------------------------------------------------------------
    def _find_headings(self) -> None:
        """Headings as MediaWiki's preprocessor finds them: on the structure text, where an element
        such as a ``<ref>`` is one token even across lines and comments are neither text nor
        indentation; a heading's ``text`` is then read from the masked text (elements blanked)."""
        structure = self.structure
        markers = set(self.conflict_markers)
        for match in _HEADING_LINE.finditer("\n" + structure):
            start, end = match.start(), match.end() - 1  # the match starts at the newline before the line
            if start in markers:
                continue
            stripped = match.group()[1:].rstrip(_TRAILING)
            body = stripped.lstrip(_TRAILING)
            lead = len(stripped) - len(body)
            indent = lead != 0 and (" " in stripped[:lead] or "\t" in stripped[:lead])
            line = bisect_right(self.line_starts, start)
            opening = len(body) - len(body.lstrip("="))
            if opening == len(body):  # a line of only '='
                if opening >= 2:
                    level = min(opening // 2, 6)
                    marks_end = start + lead + level
                    self.headings.append(
                        Heading(
                            level, "", line, start, end, opening, opening, marks_end, marks_end,
                            self.text[start:end],
                        )
                    )  # fmt: skip
                continue
            closing = len(body) - len(body.rstrip("="))
            inner_start = start + lead + opening
            written = body[opening : len(body) - closing]
            inner = _blank(written)
            text = inner.strip(_ASCII_WHITESPACE)  # MediaWiki keeps a no-break or ideographic space
            text_start = inner_start + (len(inner) - len(inner.lstrip(_ASCII_WHITESPACE)))
            if indent:
                if closing:
                    level = min(opening, closing, 6)
                    self.broken_headings.append(BrokenHeading("indented", line, start, end, level, text))
                continue
            if closing == 0:
                last_run = re.search(r"(=+)([^=]*)$", inner)
                if last_run and last_run.group(2).strip() and last_run.start() > 0:
                    level = min(opening, len(last_run.group(1)), 6)
                    text = inner[: last_run.start()].strip()
                    self.broken_headings.append(BrokenHeading("trailing-text", line, start, end, level, text))
                else:
                    self.broken_headings.append(BrokenHeading("unclosed", line, start, end, opening, text))
                continue
            level = min(opening, closing, 6)
            close_start = start + len(stripped) - closing
            hidden = ELEMENT_FILL in written
            self.headings.append(
                Heading(
                    level, text, line, start, end, opening, closing, text_start, close_start,
                    self.text[start:end], hidden, self.text[inner_start:close_start] if hidden else "",
                )
            )  # fmt: skip
        if "==" in structure:
            for match in _CLOSING_RUN.finditer(structure):
                start = structure.rfind("\n", 0, match.start()) + 1
                if structure.startswith("=", start) or start in markers:
                    continue  # a line that opens with '=' has its opening: read above
                text = structure[start : match.start()]
                openless = _OPENLESS_TEXT.fullmatch(text) and text.strip(_TRAILING)
                if openless and not text.rstrip().endswith(">"):
                    level = len(match.group(1))
                    self.broken_headings.append(
                        BrokenHeading(
                            "no-opening", self.line_of(start), start, match.end(), level, _blank(text).strip()
                        )
                    )
        self.broken_headings.sort(key=lambda b: b.start)

    @cached_property
    def conflict_markers(self) -> list[int]:
        """Offsets of the lines of version-control conflict markers (``<<<<<<<``, ``=======``,
        ``>>>>>>>``, ``|||||||``), when the page has both an opening and a closing marker."""
        text = self.text
        if "<<<<<<<" not in text or ">>>>>>>" not in text:
            return []
        found = [m.start() for m in _CONFLICT_MARKER.finditer(text)]
        kinds = {text[offset] for offset in found}
        return found if {"<", ">"} <= kinds else []

    @cached_property
    def html_headings(self) -> list[tuple[int, int, int, str]]:
        """``(start, end, level, inner text)`` of every ``<h1>``..``<h6>`` element."""
        masked = self.masked
        if "<h" not in masked and "<H" not in masked:
            return []
        found = []
        for start, end in element_spans(
            masked, _HTML_HEADING_OPEN, lambda m: _HTML_HEADING_CLOSE[m.group(1)]
        ):
            opening = _HTML_HEADING_OPEN.match(masked, start)
            assert opening is not None
            close_start = masked.rfind("<", start, end)
            found.append((start, end, int(opening.group(1)), masked[opening.end() : close_start]))
        return found

    @cached_property
    def sections(self) -> list[Section]:
        headings = self.headings
        ends = [len(self.text)] * len(headings)
        open_sections: list[int] = []  # indexes of headings whose section has not ended yet
        for index, heading in enumerate(headings):
            while open_sections and headings[open_sections[-1]].level >= heading.level:
                ends[open_sections.pop()] = heading.start
            open_sections.append(index)
        return [
            Section(
                index,
                heading,
                headings[index + 1].start if index + 1 < len(headings) else len(self.text),
                end,
            )
            for index, (heading, end) in enumerate(zip(headings, ends, strict=True))
        ]

    @property
    def lead_end(self) -> int:
        return self.headings[0].start if self.headings else len(self.text)

    def body(self, section: Section) -> str:
        """The masked text of a section's own body (after its heading line, before the next heading)."""
        return self.masked[section.heading.end : section.body_end]

    @cached_property
    def anchors(self) -> set[str]:
        """Every anchor a ``[[#...]]`` link can reach: headings (with MediaWiki's ``_2`` suffixes for
        repeats), ``{{anchor}}`` templates and ``id`` attributes."""
        found: set[str] = set()
        counts: dict[str, int] = {}
        for heading in self.headings:
            key = anchor_key(heading.display)
            counts[key] = counts.get(key, 0) + 1
            found.add(key if counts[key] == 1 else f"{key} {counts[key]}")
        for match in _ANCHOR_TEMPLATE.finditer(self.text):
            found.update(anchor_key(name) for name in match.group(1).split("|") if "=" not in name)
        for match in _ID_ATTRIBUTE.finditer(self.text):
            found.add(anchor_key(next(g for g in match.groups() if g is not None)))
        return found

    @cached_property
    def template_arguments(self) -> set[str]:
        """Every argument value of a ``{{template|...}}`` on the page, as anchor keys: templates such as
        ``{{Visible anchor|X}}``, ``{{якір|X}}`` or a glossary's term template make anchors of them,
        in whatever language the template is named."""
        masked = self.masked
        if "{{" not in masked:
            return set()
        found: set[str] = set()
        for match in _TEMPLATE_ARGUMENT.finditer(masked):
            value = match.group(1)
            found.add(anchor_key(value))
            if "=" in value:
                found.add(anchor_key(value.partition("=")[2]))
        return found

    # -- links -----------------------------------------------------------------------------------
    @property
    def containers(self) -> SpanSet:
        """Top-level templates and tables (see :meth:`in_container`)."""
        return self._container_spans

    @cached_property
    def braces(self) -> BraceMatch:
        """How the page's brace runs pair, in the page and in each ``<ref>`` (and other extension
        element with wikitext content) apart, by :func:`~wikitools.markup.match_braces`: read once, for
        :attr:`templates` and for the template rules.

        It reads the page's own text with :attr:`unparsed` skipped and each ``<ref>`` read apart,
        not :attr:`masked`, which blanks a ``<ref>``'s content, where the template rules need the
        templates; and not the rules' ``code_masked``, which keeps that content but would let its
        braces pair with the page's (``{{a|<ref>}}</ref>}}`` is one template to MediaWiki, whose
        preprocessor parses a ``<ref>``'s content apart)."""
        return match_braces(self.text, *self._regions)

    @property
    def unparsed(self) -> list[tuple[int, int]]:
        """Where MediaWiki finds no markup at all: comments and the elements whose content is not
        wikitext (``<nowiki>``, ``<math>``...), in the page and inside a ``<ref>``, sorted."""
        return self._regions[0]

    @cached_property
    def _regions(self) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """:attr:`unparsed`, and the spans of the elements MediaWiki parses as documents of their own
        (``<ref>``...). Inside a set-aside element with wikitext content the comments and unparsed
        elements are found within that element only, as MediaWiki's preprocessor does when it parses
        the content apart (a ``<nowiki>`` opened in a ``<ref>`` ends with it)."""
        text = self.text
        unparsed: list[tuple[int, int]] = []
        documents: list[tuple[int, int]] = []
        for start, end in self.set_aside:
            opening = MASKED_OPENER.match(text, start)  # where masked_spans found the element
            name = opening[1].lower() if opening is not None and opening[1] else ""  # "": a comment
            if name not in _WIKITEXT_ELEMENTS:
                unparsed.append((start, end))
                continue
            if name in _OWN_DOCUMENTS:
                documents.append((start, end))
            content, closing = text.find(">", start) + 1, text.rfind("<", start, end)
            if text.find("<", content, closing) != -1:
                unparsed += [(content + a, content + b) for a, b in unparsed_spans(text[content:closing])]
        return unparsed, documents

    @cached_property
    def templates(self) -> SpanSet:
        """Spans of ``{{...}}`` (templates, parser functions, parameters) in the page itself (not in a
        ``<ref>``): text a template writes."""
        return SpanSet([(start, end) for start, end, _, _ in self.braces.page])

    @cached_property
    def _container_spans(self) -> SpanSet:
        """Spans of top-level templates and tables, where links are data rather than prose."""
        return SpanSet(self.templates.spans + table_spans(self.masked))

    def in_container(self, offset: int) -> bool:
        return offset in self._container_spans

    def _find_links(self) -> None:
        masked = self.masked
        if "[[" not in masked and "]]" not in masked:
            return
        found = list(ONE_LINE_LINK.finditer(masked))  # one-line links with no bracket inside
        nested_starts: set[int] = set()
        if "[[[" in masked or BRACKET_REFERENCE.search(masked):
            # Rare: every bracket (a reference may sit inside a link match) walked one by one.
            tokens = [(match.start(), -1) for match in LINK_BRACKETS.finditer(masked)]
            self._pair_brackets(nested_starts, tokens)
            found = list(_LINK_SPANNING.finditer(masked))
        # Without "[[[", no two [[ overlap, and every [[ and ]] is either part of one of ``found``
        # or on its own. When each link holds one of each and none is left (most pages), pairing
        # would find nothing and the spanning read gives the same links: both are skipped.
        elif masked.count("[[") != len(found) or masked.count("]]") != len(found):
            tokens = bracket_tokens(masked, found)
            self._pair_brackets(nested_starts, tokens)
            # a link whose label spans lines or holds single brackets starts at a lone [[
            spanning = [_LINK_SPANNING.match(masked, start) for start, end in tokens if end == -1]
            if any(spanning):
                found += [match for match in spanning if match is not None]
                found.sort(key=_START)
        self._add_links(found, nested_starts)

    def _pair_brackets(self, nested_starts: set[int], tokens: list[tuple[int, int]]) -> None:
        """Pair ``[[`` with ``]]`` by the markup model's rule (:func:`~wikitools.markup.pair_link_brackets`,
        which convert follows too): unclosed and stray brackets, and the links a file caption nests
        (into ``nested_starts``); then what lint reports of the pairs: a target across lines, a link
        nested in a target. ``tokens`` are ``(start, end)`` of the page's one-line links and
        ``(start, -1)`` of each other bracket (see :func:`~wikitools.markup.bracket_tokens`)."""
        masked = self.masked
        paired = pair_link_brackets(masked, brackets_to_walk(masked, tokens))
        nested_starts.update(paired.in_captions)
        self.unclosed_brackets += paired.unclosed
        self.stray_brackets += paired.stray
        for opened, position in paired.pairs:
            pipe = masked.find("|", opened + 2, position)
            target_end = position if pipe == -1 else pipe
            inner_link = masked.find("[[", opened + 2, target_end)
            if inner_link == -1:
                if masked.find("\n", opened + 2, target_end) != -1:
                    self.unclosed_brackets.append(opened)
                    self.stray_brackets.append(position)
            elif classify(masked[opened + 2 : inner_link])[0] not in ("file", "category"):
                self.nested_targets.append((opened, position + 2))
        self.unclosed_brackets.sort()
        self.stray_brackets.sort()

    def _add_links(self, found: list[re.Match[str]], nested_starts: set[int]) -> None:
        containers = self._container_spans.spans  # merged and sorted; links come in order: one walk
        index, count = 0, len(containers)
        append = self.links.append
        for match in found:
            target, pipe, label = match.group(1).partition("|")
            kind, title, fragment = _classify_builtin(target)  # classify() by the built-in table
            start, end = match.span()
            if "  " in target and ELEMENT_FILL in self.structure[start:end]:
                continue  # [[<ref>...</ref>x]]: a target holding an element is no title to MediaWiki
            if pipe:
                pipes = label.count("|") + 1
                if "[" in label and self.masked.startswith("]", end):  # [[A|[1]]]: the label is [1]
                    label += "]"
                    end += 1
            else:
                pipes, label = 0, None
            while index < count and containers[index][1] <= start:
                index += 1
            append(
                WikiLink(
                    start, end, target, label, pipes, kind, title, fragment,
                    start in nested_starts, index < count and containers[index][0] <= start,
                )
            )  # fmt: skip

    @cached_property
    def _link_starts(self) -> list[int]:
        return [link.start for link in self.links]

    def links_between(self, start: int, end: int) -> list[WikiLink]:
        """The links that start in ``[start, end)``, in order."""
        starts = self._link_starts
        return self.links[bisect_left(starts, start) : bisect_left(starts, end)]

    @cached_property
    def visible_links(self) -> list[WikiLink]:
        """Links a reader sees in the running text (what convert keeps): not files, categories or
        interlanguage links, not a file's caption, not text a template writes."""
        templates, attributes = self.templates, self.table_attributes
        return [
            link
            for link in self.links
            if link.kind in ("article", "section", "interwiki")
            and not link.nested
            and (link.start not in templates or self._in_layout_argument(link.start))
            and link.start not in attributes
        ]

    @cached_property
    def _layout_arguments(self) -> tuple[list[tuple[int, int]], dict[int, list[tuple[int, int]]]]:
        """The page's ``{{...}}`` pairs sorted by start, and for those that hold a heading the spans of
        the arguments that do: column and layout templates, whose arguments a page shows in place."""
        templates = self.templates
        inside = [heading.start for heading in self.headings if heading.start in templates]
        if not inside:
            return [], {}
        masked = self.masked
        pairs = [(start, end) for start, end, _, _ in self.braces.page]
        layout: dict[int, list[tuple[int, int]]] = {}
        for start, end in pairs:
            heads = inside[bisect_left(inside, start) : bisect_left(inside, end)]
            if heads:
                arguments = argument_spans(masked, start, end)
                layout[start] = [
                    (a, b) for a, b in arguments if bisect_left(heads, b) > bisect_left(heads, a)
                ]
        return pairs, layout

    def _in_layout_argument(self, offset: int) -> bool:
        """Whether ``offset`` (inside a template) is in a layout argument of the innermost template
        around it (an outer one then holds the same heading in the argument around that one)."""
        pairs, layout = self._layout_arguments
        if not layout:
            return False
        index = bisect_right(pairs, (offset, len(self.masked)))
        while index > 0:
            index -= 1
            start, end = pairs[index]
            if offset < end:
                return any(a <= offset < b for a, b in layout.get(start, ()))
        return False

    @cached_property
    def table_attributes(self) -> SpanSet:
        """What follows ``{|`` on its line, and ``|-`` in a table: attributes, where MediaWiki makes
        no link (``|-| [[A]]`` is a row with a bad attribute, not a cell)."""
        masked = self.masked
        if "{|" not in masked:
            return SpanSet([])
        spans: list[tuple[int, int]] = []
        depth = 0
        for match in _TABLE_LINE.finditer("\n" + masked):
            token = match.group(1)
            if token == "|}":
                depth = max(depth - 1, 0)
                continue
            if token != "|-":
                depth += 1
            elif not depth:
                continue
            spans.append((match.end(1) - 1, match.end() - 1))
        return SpanSet(spans)

    def outline(self) -> tuple[list[tuple[int, str]], list[str]]:
        """What a reader of the page sees of its structure: ``(level, text)`` of each heading, and the
        normalized target of each visible link outside headings, in order (what convert keeps)."""
        in_headings = SpanSet([(h.start, h.end) for h in self.headings])
        links = [link for link in self.visible_links if link.start not in in_headings]
        return (
            [(h.level, h.display) for h in self.headings],
            [normalize_title(link.target.strip().lstrip(":")) for link in links],
        )

    @cached_property
    def article_links(self) -> list[WikiLink]:
        """Links to pages (articles and other namespaces), not files, categories or interwikis."""
        return [link for link in self.links if link.kind == "article"]


#: The set-aside elements with wikitext content (``<ref>``, ``<references>``, ``<indicator>``,
#: ``<includeonly>``).
_WIKITEXT_ELEMENTS = frozenset(name for name in TAGS if is_parsable(name) and is_masked(name))
#: Of those, the ones MediaWiki parses as a document of their own (extension tags). Not ``<includeonly>``:
#: the preprocessor drops its tags where the page is transcluded, and its content joins the page's
#: (``<includeonly>{{subst:</includeonly>`` pairs).
_OWN_DOCUMENTS = _WIKITEXT_ELEMENTS - {"includeonly"}


def table_spans(masked: str) -> list[tuple[int, int]]:
    """:func:`balanced_spans` of :data:`TABLE_EDGES` (tables, nested ones included), found faster."""
    if "{|" not in masked:
        return []
    spans = balanced_spans("\n" + masked, TABLE_EDGES_AFTER_NEWLINE, "{|")
    return [(start - 1, end - 1) for start, end in spans]


def balanced_spans(masked: str, pattern: re.Pattern[str], opening: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each balanced pair of the tokens ``pattern`` finds in ``masked`` (its last
    group is the token; ``opening`` opens a pair, anything else closes the innermost open one), inner
    pairs included, in the order they close. Unmatched tokens are ignored."""
    if opening not in masked:
        return []
    return pair_tokens(pattern.finditer(masked), pattern.groups, opening)


_START = operator.methodcaller("start")


def pair_tokens(matches: Iterable[re.Match[str]], token: int, opening: str) -> list[tuple[int, int]]:
    """:func:`balanced_spans` of these token matches (group ``token`` is the token)."""
    spans: list[tuple[int, int]] = []
    stack: list[int] = []
    for match in matches:
        if match[token] == opening:
            stack.append(match.start(token))
        elif stack:
            spans.append((stack.pop(), match.end()))
    return spans


def argument_spans(masked: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of the arguments of the template ``masked[start:end]`` (``{{name|a|b}}``): split at
    each ``|`` outside nested templates and links."""
    spans: list[tuple[int, int]] = []
    depth, argument = 0, -1  # -1: still in the name
    for match in _ARGUMENT_TOKENS.finditer(masked, start + 2, end - 2):
        token = match.group()
        if token in ("{{", "[["):
            depth += 1
        elif token != "|":
            depth = max(depth - 1, 0)
        elif not depth:
            if argument != -1:
                spans.append((argument, match.start()))
            argument = match.end()
    if argument != -1:
        spans.append((argument, end - 2))
    return spans
