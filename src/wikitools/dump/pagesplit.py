"""A bytes-level reader for the pages of a dump partition, for the layout MediaWiki itself writes.

lxml (the safe reader, :mod:`wikitools.formats.xml_read`) builds every element and decodes every text,
and a dump lint throws almost all of it away. This splitter finds the few fields a dump lint uses by
walking the tags in the bytes (character data cannot hold a ``<``), and leaves each text escaped and
undecoded: the cache key of a page is a digest of those raw bytes, so an unchanged page of an
incremental run is never decoded, unescaped or parsed.

It reads only the plain layout: UTF-8, unprefixed element names, attribute values in double quotes,
no comments, CDATA sections, processing instructions or DTD, no references but the five XML entities
and numeric references to legal characters, no control characters or literal carriage returns
(which XML would normalize), nothing but whitespace between pages, no ``<content>`` slots and every
``<redirect>`` with its ``title``. For anything else :func:`split_pages` returns ``None`` and the
caller reads the partition with the safe reader, which gives the same pages (or reports the error).
Nothing is expanded: there is no DTD to define an entity, and no network or file is ever read.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from ..errors import FormatError

_PAGE_OPEN = b"<page>"
_PAGE_CLOSE = b"</page>"
_TAG = re.compile(rb'<(/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.:-]*="[^"<]*")*)\s*(/?)>')
_ATTRIBUTE = re.compile(rb'([A-Za-z_][\w.:-]*)="([^"<]*)"')
_BAD_REFERENCE = re.compile(rb"&(?!(?:amp|lt|gt|quot|apos|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});)")
_CHAR_REFERENCE = re.compile(rb"&#(x?)([0-9a-fA-F]+);")
_REFERENCE = re.compile(rb"&(?:amp|lt|gt|quot|apos|#x?[0-9a-fA-F]+);")
_ENTITIES = {b"&amp;": b"&", b"&lt;": b"<", b"&gt;": b">", b"&quot;": b'"', b"&apos;": b"'"}
_CDATA_END = re.compile(rb"\]\]>")
# bytes XML forbids, and the carriage return it would turn into a line feed: all mapped to 0
_CONTROL = bytes(0 if (b < 0x20 and b not in (0x09, 0x0A)) else 1 for b in range(256))
# elements the safe reader handles wherever they are: inside a page they are not the plain layout
_NOT_IN_PAGE = frozenset((b"mediawiki", b"siteinfo", b"page", b"logitem", b"upload", b"content"))
_PAGE_FIELDS = frozenset((b"title", b"ns", b"id"))
_REVISION_FIELDS = frozenset((b"id", b"model", b"text"))
_SKIP = object()
_WINDOW = 1 << 20


@dataclass(frozen=True)
class RawPage:
    """One page as found in the bytes: the fields a dump lint reports, and the escaped text."""

    page_id: int
    rev_id: int | None
    title: str
    namespace: int | None  # None: the page has no <ns>; its title's prefix decides
    redirect: str | None
    raw_text: bytes | memoryview  # a view into the partition's bytes: no copy until it is linted

    def key(self, extra: str) -> str:
        """A digest of the escaped text and ``extra`` (title, namespace…): equal keys, equal input."""
        digest = hashlib.sha1(b"raw\0")  # unlike any key over decoded text, which holds no NUL
        digest.update(self.raw_text)
        digest.update(b"\0" + extra.encode("utf-8"))
        return digest.hexdigest()

    def text(self, source: str) -> str:
        """The unescaped text (character references were checked when the page was split)."""
        try:
            return unescape(bytes(self.raw_text))
        except UnicodeDecodeError as error:
            raise FormatError(
                f"the text of page {self.title!r} (id {self.page_id}) is not UTF-8 ({error.reason} "
                f"at byte {error.start} of the text)",
                subject=source,
            ) from None


def unescape(raw: bytes) -> str:
    """Escaped XML character data → text: the five entities and numeric character references, in
    one pass (so that ``&amp;lt;`` is ``&lt;`` and ``&#38;amp;`` is ``&amp;``)."""
    if b"&" in raw:
        raw = _REFERENCE.sub(_character, raw)
    return raw.decode("utf-8")


def _character(match: re.Match[bytes]) -> bytes:
    reference = match[0]
    entity = _ENTITIES.get(reference)
    if entity is not None:
        return entity
    hexadecimal = reference[2:3] == b"x"
    return chr(int(reference[3:-1], 16) if hexadecimal else int(reference[2:-1])).encode("utf-8")


def _legal(code: int) -> bool:
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def plain(body: bytes | bytearray) -> bool:
    """Whether ``body`` is free of what the splitter leaves to the safe reader at the character
    level: control characters, carriage returns, ``]]>``, references other than the five entities
    and legal numeric ones. (Comments, CDATA and the like are caught where their ``<`` is.)"""
    view = memoryview(body)
    for at in range(0, len(body), _WINDOW):  # a window at a time: no second copy of a big partition
        if b"\0" in bytes(view[at : at + _WINDOW]).translate(_CONTROL):
            return False
    if _CDATA_END.search(body) or _BAD_REFERENCE.search(body):
        return False
    return all(_legal(int(m[2], 16 if m[1] else 10)) for m in _CHAR_REFERENCE.finditer(body))


def split_pages(body: bytes | bytearray) -> list[RawPage] | None:
    """The pages of ``body`` (the XML between a dump's header and its end: ``<page>`` elements and
    whitespace), in order, with an id, a revision and the wikitext model; ``None`` when anything in
    it is not the plain layout (see the module docstring)."""
    if not plain(body):
        return None
    pages: list[RawPage] = []
    view = memoryview(body)
    position = 0
    while True:
        start = body.find(_PAGE_OPEN, position)
        if body[position : start if start >= 0 else len(body)].strip():
            return None  # something other than whitespace between pages
        if start < 0:
            return pages
        end = body.find(_PAGE_CLOSE, start)
        if end < 0:
            return None
        try:
            page = _page(body, view, start + len(_PAGE_OPEN), end)
        except (ValueError, UnicodeDecodeError):
            page = None  # a field that is not a number or not UTF-8: the safe reader says where
        if page is None:
            return None
        if page is not _SKIP:
            pages.append(page)  # type: ignore[arg-type]
        position = end + len(_PAGE_CLOSE)


def _page(body: bytes | bytearray, view: memoryview, start: int, end: int) -> RawPage | object | None:
    """The page whose content is ``body[start:end]``; ``_SKIP`` for one the safe reader would not
    yield to a dump lint (no id, no revision, another content model), ``None`` when unusual."""
    stack: list[bytes] = []
    fields: dict[bytes, bytes] = {}  # the page's title, ns, id: raw character data
    revision: dict[bytes, bytes | memoryview] | None = None  # the last revision's id, model, text
    redirect: str | None = None
    leaf_start = -1  # where the character data of the element opened last starts
    position = start
    while (lt := body.find(b"<", position, end)) >= 0:
        match = _TAG.match(body, lt, end)
        if match is None:
            return None
        closing, name, attributes, empty = match.groups()
        position = match.end()
        if closing:
            if attributes or empty or not stack or stack.pop() != name:
                return None
            leaf, leaf_start = leaf_start, -1
            if not stack:
                target, wanted = fields, _PAGE_FIELDS
                if name == b"revision" and revision is not None and b"id" in revision:
                    _integer(bytes(revision[b"id"]))  # the safe reader checks every revision's id
            elif len(stack) == 1 and stack[0] == b"revision" and revision is not None:
                target, wanted = revision, _REVISION_FIELDS
            else:
                continue
            if name in wanted:
                if leaf < 0:
                    return None  # a field with elements inside
                target[name] = view[leaf:lt] if name == b"text" else bytes(body[leaf:lt])
            continue
        if name in _NOT_IN_PAGE or (name == b"revision" and stack):
            return None
        found = _ATTRIBUTE.findall(attributes) if attributes else []
        if len({key for key, _ in found}) != len(found):
            return None  # a repeated attribute: not well-formed
        if name == b"redirect" and not stack:
            target = dict(found).get(b"title")
            if target is None or b"\t" in target or b"\n" in target:
                return None  # an old schema's flag, or a value XML would normalize
            redirect = unescape(target)
        if name == b"revision":
            revision = {}
        if empty:
            if not stack and name in _PAGE_FIELDS:
                fields[name] = b""
            elif (
                len(stack) == 1
                and stack[0] == b"revision"
                and revision is not None
                and name in _REVISION_FIELDS
            ):
                revision[name] = b""
            leaf_start = -1
        else:
            stack.append(name)
            leaf_start = position
    if stack:
        return None
    return _build(fields, revision, redirect)


def _build(
    fields: dict[bytes, bytes], revision: dict[bytes, bytes | memoryview] | None, redirect: str | None
) -> RawPage | object | None:
    title = unescape(fields.get(b"title", b""))
    namespace = _integer(fields[b"ns"]) if b"ns" in fields else None
    page_id = _integer(fields[b"id"]) if b"id" in fields else None
    rev_id = _integer(bytes(revision[b"id"])) if revision is not None and b"id" in revision else None
    model = unescape(bytes(revision.get(b"model", b""))).strip() if revision is not None else ""
    if not title:
        return None
    if revision is None or page_id is None or (model or "wikitext") != "wikitext":
        return _SKIP
    return RawPage(page_id, rev_id, title, namespace, redirect, revision.get(b"text", b""))


def _integer(raw: bytes) -> int:
    return int(unescape(raw).strip())
