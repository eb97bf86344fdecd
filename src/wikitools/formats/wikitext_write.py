"""Write an :class:`~wikitools.model.Article` as MediaWiki wikitext that reads back as the same article.

Text that would otherwise read as markup (``[[``, ``{{``, ``''``, tags, entities, a line starting with
``=``, ``*``, ``#``, ``:`` ...) is escaped with character references, so that reading the output back
yields exactly the text that was written. A redirect article starts with ``#REDIRECT [[Target]]``; a
table is written as ``{|`` rows with one cell a line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..markup import classify_link
from ..model import Article, Block, Inline, Link, ListBlock, Section, Table

_URL_AFTER_BRACKET = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.\-]*:|//)")
_ENTITY_AFTER_AMPERSAND = re.compile(r"#?[A-Za-z0-9]+;")
_DOUBLED = frozenset("[]{}'~_")
_SPECIAL = re.compile(r"[\[\]{}'~_<&|\r\x7f]")
_LINE_START = frozenset("*#:;= \t-{|!")


def _ref(char: str) -> str:
    return f"&#{ord(char)};"


def escape(text: str, before: str = "\n", after: str = "\n", *, always: str = "") -> str:
    """``text`` as wikitext that reads back as exactly ``text``.

    ``before`` and ``after`` are the characters written around it (``"\\n"`` for a line boundary),
    because markup is made of neighbours: ``[`` next to a link's ``[[`` is markup, alone it is not.
    Characters in ``always`` are markup where the text goes (``|`` in a table cell, ``:`` in a
    definition list's term) and are always escaped.
    """
    if not text:
        return text
    positions = {m.start() for m in _SPECIAL.finditer(text)} | {0, len(text) - 1}
    if always:
        positions |= {i for i, char in enumerate(text) if char in always}
    out: list[str] = []
    done = 0
    for i in sorted(positions):
        if text[i] in always or _needs_reference(text, i, before, after):
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


def _heading(section: Section) -> str:
    """A heading's title as wikitext: its links kept, and no ``=`` at either end to change its level."""
    if section.inlines:
        escaped, _ = _write_inlines(section.inlines)
    else:
        escaped = escape(section.heading, before=" ", after=" ")
    if escaped.startswith("="):
        escaped = _ref("=") + escaped[1:]
    if escaped.endswith("="):
        escaped = escaped[:-1] + _ref("=")
    return escaped


def _link(link: Link) -> str:
    target = link.target
    if not classify_link(target).visible:  # shown as text, so a plain link: the leading colon
        target = ":" + target
    if link.label is None or link.label == link.target:
        return f"[[{target}]]"
    return f"[[{target}|{escape(link.label, before='|', after=']')}]]"


def _write_inlines(
    inlines: tuple[Inline, ...], bold: str | None = None, *, always: str = ""
) -> tuple[str, bool]:
    """The wikitext of one block's inlines; bolds the first occurrence of ``bold`` if given; escapes
    the characters in ``always`` wherever they are (see :func:`escape`).

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
        out.append(escape(value, before=before or "\n", after=after, always=always))
    return "".join(out), bolded


def find_title(text: str, title: str) -> tuple[int, int] | None:
    """Span of the first whole-word occurrence of ``title`` in ``text``, in any case: MOS:BOLDTITLE
    bolds the subject as the lead writes it ("A tidal pool is..." on the page "Tidal Pool")."""
    if not title:
        return None
    match = re.search(rf"(?<!\w){title_regex(title)}(?!\w)", text, re.IGNORECASE)
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
        if isinstance(block, Table):
            yield from _table_lines(block)
        elif isinstance(block, ListBlock):
            for item in block.items:
                text, _ = _write_inlines(item.inlines, always=":" if ";" in item.markers else "")
                yield f"{item.markers} {text}", item.line
        else:
            text, bolded = _write_inlines(block.inlines, pending_bold)
            if bolded:
                pending_bold = None
            yield text, block.line

    if article.redirect is not None:
        yield f"#REDIRECT [[{article.redirect}]]", None
        first = False
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
        yield f"{marks} {_heading(section)} {marks}", section.line
        for block in section.blocks:
            yield "", None
            yield from block_lines(block)


def _table_lines(table: Table) -> Iterator[tuple[str, int | None]]:
    """``{|`` ... ``|}`` with one cell a line, rows separated by ``|-``."""
    yield '{| class="wikitable"', table.line
    for n, row in enumerate(table.rows):
        if n:
            yield "|-", None
        for cell in row:
            text, _ = _write_inlines(cell, always="|")
            yield (f"| {text}" if text else "|"), None
    yield "|}", None


def write(article: Article, *, bold_title: bool = True) -> str:
    """The article as wikitext: ``#REDIRECT [[Target]]`` for a redirect, ``== Heading ==``, ``* item``,
    tables, the title bolded in the lead (MOS:BOLDTITLE) unless ``bold_title`` is false."""
    return "\n".join(line for line, _ in _numbered_lines(article, bold_title=bold_title))


def write_with_lines(article: Article, *, bold_title: bool = True) -> tuple[str, list[int | None]]:
    """Like :func:`write`, also returning, for each wikitext line, the source line it came from
    (``None`` for separator lines or when the article was not read from a file with lines)."""
    pairs = list(_numbered_lines(article, bold_title=bold_title))
    return "\n".join(line for line, _ in pairs), [source for _, source in pairs]
