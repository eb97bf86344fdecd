"""Page boundaries in a stream of export XML, found in the bytes with bounded memory.

A big single export file cannot be cut into byte ranges before it is read (one gzip or bzip2
stream), so it is read front to back and cut into pages as it goes. :class:`PageScanner` is fed the
decompressed XML a chunk at a time and gives each ``<page>…</page>`` element's bytes (still escaped,
for :mod:`.pagesplit` or the safe reader to read), never holding more than ``max_page_bytes`` of one
page plus a chunk: a bigger page is passed over and reported as :class:`Oversized` with the id,
revision and title from its first bytes. The header (everything before the first page: the
``<mediawiki>`` root and ``<siteinfo>``) is kept, up to :data:`HEADER_LIMIT`.

Only markup that can hide a ``<page>`` or ``</page>`` in well-formed XML is understood: comments,
CDATA sections and processing instructions are passed over whole. Anything MediaWiki never writes
around a page (a ``<page>`` with attributes, one inside another) is a :class:`FormatError`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection
from dataclasses import dataclass

from ..errors import FormatError
from .pagesplit import unescape

HEADER_LIMIT = 16 * 2**20  # a real <siteinfo> is a few KB
HEAD_BYTES = 64 * 1024  # how much of a passed-over page is kept to name it
_TOKEN = re.compile(rb"<(?:page>|/page>|!--|!\[CDATA\[|\?|page\b)")
_TAIL = 9  # a token cut by the end of a chunk is at most this long: <![CDATA[
_ENDS = {b"<!--": b"-->", b"<![CDATA[": b"]]>", b"<?": b"?>"}
_TITLE = re.compile(rb"<title>([^<]*)</title>")
_PAGE_ID = re.compile(rb"<id>\s*(\d+)\s*</id>")
_NAMESPACE = re.compile(rb"<ns>\s*(-?\d+)\s*</ns>")
_MODEL = re.compile(rb"<model>\s*([^<\s]*)\s*</model>")
_REVISION_ID = re.compile(rb"<revision>\s*<id>\s*(\d+)\s*</id>")


@dataclass(frozen=True)
class PageHead:
    """Who a page is, from its first bytes (``None`` where they do not say)."""

    ordinal: int  # 0 for the file's first page
    offset: int  # where the page starts in the decompressed XML
    page_id: int | None
    rev_id: int | None
    title: str | None
    namespace: int | None = None  # from <ns>, when the page says
    model: str | None = None  # of its first revision, when said before the text
    passing: bool = False  # the scanner is passing over it (too long, or skipped): no memory grows

    def wanted(self, namespaces: Collection[int] | None) -> bool:
        """Whether a reader would hand this page on: it has an id, its namespace is wanted and its
        content model is wikitext (or they are not said before the text)."""
        return (
            self.page_id is not None
            and (namespaces is None or self.namespace is None or self.namespace in namespaces)
            and self.model in (None, "wikitext")
        )


@dataclass(frozen=True)
class Oversized:
    """A page whose XML is longer than the scanner's limit: passed over, named by its first bytes."""

    head: PageHead
    size: int  # bytes of XML


@dataclass(frozen=True)
class ScannedPage:
    ordinal: int
    offset: int  # where the page starts in the decompressed XML
    data: bytes


def too_long(max_page_bytes: int) -> str:
    """Why a page longer than ``max_page_bytes`` was passed over, said for a person."""
    mb = max_page_bytes >= 2**20
    return f"its XML is longer than {max_page_bytes / 2 ** (20 if mb else 10):.3g} {'MB' if mb else 'KB'}"


def head_of(ordinal: int, offset: int, data: bytes | bytearray) -> PageHead:
    """The id, revision and title in the first bytes of a page (before its text)."""
    head = bytes(data[:HEAD_BYTES])
    text_at = head.find(b"<text")
    before_text = head if text_at < 0 else head[:text_at]
    title = _TITLE.search(before_text)
    page_part = before_text.split(b"<revision", 1)[0]
    page_id = _PAGE_ID.search(page_part)
    namespace = _NAMESPACE.search(page_part)
    model = _MODEL.search(before_text)
    revision = _REVISION_ID.search(before_text)
    try:
        name = unescape(title[1]) if title else None
    except UnicodeDecodeError:
        name = None
    return PageHead(
        ordinal,
        offset,
        int(page_id[1]) if page_id else None,
        int(revision[1]) if revision else None,
        name,
        int(namespace[1]) if namespace else None,
        model[1].decode("ascii", "replace") if model else None,
    )


class PageScanner:
    """Feed decompressed XML with :meth:`feed`; it returns the pages completed so far.

    Pages with an ordinal up to ``skip_through`` are passed over without being kept or returned (a
    reader resuming after a page it had to give up on). ``header`` is set once the first ``<page>``
    is met; ``current`` names the page being read when a chunk ends inside one."""

    def __init__(self, max_page_bytes: int, *, skip_through: int = -1, source: str = "") -> None:
        self.max_page_bytes = max_page_bytes
        self.skip_through = skip_through
        self.source = source
        self.header: bytes | None = None
        self.offset = 0  # of buffer[0] in the XML
        self.ordinal = -1  # of the page being read, or the last one
        self._buffer = bytearray()
        self._header = bytearray()
        self._position = 0  # where to look next in the buffer
        self._page_start: int | None = None  # in the buffer, while a page is kept whole
        self._page_offset = 0
        self._head = bytearray()  # the first bytes of a page passed over
        self._in_page = False
        self._passing = False  # the page being read is passed over (too big, or skipped)
        self._closing: bytes | None = None  # the end of the comment, CDATA or PI being passed over

    @property
    def current(self) -> PageHead | None:
        """The page a chunk ended in, or ``None`` between pages."""
        if not self._in_page:
            return None
        if self._passing:
            return dataclasses.replace(head_of(self.ordinal, self._page_offset, self._head), passing=True)
        assert self._page_start is not None
        return head_of(
            self.ordinal, self._page_offset, self._buffer[self._page_start : self._page_start + HEAD_BYTES]
        )

    def feed(self, chunk: bytes) -> list[ScannedPage | Oversized]:
        self._buffer += chunk
        found: list[ScannedPage | Oversized] = []
        buffer = self._buffer
        while True:
            if self._closing is not None:
                end = buffer.find(self._closing, self._position)
                if end < 0:
                    self._position = max(self._position, len(buffer) - len(self._closing) + 1)
                    break
                self._position, self._closing = end + len(self._closing), None
                continue
            match = _TOKEN.search(buffer, self._position)
            if match is None:
                self._position = max(self._position, len(buffer) - _TAIL)
                break
            token = match[0]
            if match.end() > len(buffer) - _TAIL and token in (b"<?", b"<page"):
                self._position = match.start()  # "<?" or "<page" may be the start of more: wait
                break
            self._position = match.end()
            if token in _ENDS:
                self._closing = _ENDS[token]
            elif token == b"<page>":
                self._open(match.start())
            elif token == b"</page>":
                found += self._close(match.end())
            else:  # <page with attributes or self-closing: not what MediaWiki writes
                raise FormatError(
                    f"a <page> tag with attributes at XML byte {self.offset + match.start()} "
                    "(not the layout of a MediaWiki export)",
                    subject=self.source,
                )
        self._trim()
        return found

    def finish(self) -> None:
        """The end of the XML: a page still open means the file is cut off."""
        if self._in_page:
            raise FormatError(
                f"the file is cut off inside page {self.ordinal + 1} (XML byte {self._page_offset})",
                subject=self.source,
            )
        if self.header is None:
            self.header = bytes(self._header + self._buffer)

    def _open(self, at: int) -> None:
        if self._in_page:
            raise FormatError(f"a <page> inside a <page> at XML byte {self.offset + at}", subject=self.source)
        if self.header is None:
            self._header += self._buffer[:at]
            self.header = bytes(self._header)
            self._header.clear()
        self.ordinal += 1
        self._in_page = True
        self._page_offset = self.offset + at
        self._passing = self.ordinal <= self.skip_through
        self._head.clear()
        self._page_start = None if self._passing else at

    def _close(self, end: int) -> list[ScannedPage | Oversized]:
        if not self._in_page:
            raise FormatError(
                f"a </page> outside a page at XML byte {self.offset + end}", subject=self.source
            )
        self._in_page = False
        size = self.offset + end - self._page_offset
        if self.ordinal <= self.skip_through:
            return []
        if self._passing:
            return [Oversized(head_of(self.ordinal, self._page_offset, self._head), size)]
        assert self._page_start is not None
        start, self._page_start = self._page_start, None
        if size > self.max_page_bytes:  # begun and ended within one chunk: as big, as oversized
            return [Oversized(head_of(self.ordinal, self._page_offset, self._buffer[start:end]), size)]
        data = bytes(self._buffer[start:end])
        return [ScannedPage(self.ordinal, self._page_offset, data)]

    def _trim(self) -> None:
        """Drop what no page needs any more; pass over a page that grew past the limit."""
        keep = self._position
        if self._in_page and not self._passing:
            assert self._page_start is not None
            if self.offset + len(self._buffer) - self._page_offset > self.max_page_bytes:
                start, self._page_start, self._passing = self._page_start, None, True
                self._head += self._buffer[start : min(keep, start + HEAD_BYTES)]
            else:
                keep = self._page_start
        elif self._in_page and len(self._head) < HEAD_BYTES:  # contiguous: the buffer starts at the last keep
            start = max(0, self._page_offset - self.offset)
            self._head += self._buffer[start : min(keep, start + HEAD_BYTES - len(self._head))]
        if self.header is None and not self._in_page:
            self._header += self._buffer[:keep]
            if len(self._header) > HEADER_LIMIT:
                raise FormatError(
                    f"no <page> in the first {HEADER_LIMIT // 2**20} MB (not a MediaWiki export)",
                    subject=self.source,
                )
        del self._buffer[:keep]
        self.offset += keep
        self._position -= keep
        if self._page_start is not None:
            self._page_start -= keep
