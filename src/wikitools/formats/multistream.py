"""Multistream dumps: the ``…-multistream.xml.bz2`` + ``…-multistream-index.txt.bz2`` pairs Wikimedia
publishes, read stream by stream and written page group by page group.

A multistream file is a concatenation of independent bzip2 streams: the first holds the XML prolog
and ``<siteinfo>``, each following one (usually) 100 ``<page>`` elements, the last the closing
``</mediawiki>``. The index (itself bzip2-compressed) has one line per page, ``offset:page_id:title``,
where ``offset`` is the byte at which the page's stream starts. So any stream can be decompressed on
its own: :func:`open_stream` gives back a complete, small XML document (the first stream's header, the
stream's pages, a closing tag) that :class:`~wikitools.formats.xml_read.DumpReader` reads as usual —
with all its safety settings.

:func:`write_multistream` produces such a pair from pages (``wikitools export --multistream``).
"""

from __future__ import annotations

import bz2
import contextlib
import io
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import IO

from ..errors import FormatError, InputError
from ..fileio import atomic_stream, open_binary
from ..model import Page
from .xml_common import SiteInfo
from .xml_write import write_pages

PAGES_PER_STREAM = 100
READ_CHUNK = 256 * 1024
OUT_CHUNK = 1024 * 1024
_CLOSING = b"</mediawiki>"
CLOSING = _CLOSING + b"\n"  # what ends the document a partition is read as
_PAGE_END = b"</page>\n"
_PAGE_ID = re.compile(rb"<id>(\d+)</id>")
_TITLE = re.compile(rb"<title>(.*?)</title>", re.DOTALL)


@dataclass(frozen=True)
class Stream:
    """One bzip2 stream of pages: bytes ``start`` to ``end`` of the dump, the first page id the index
    lists for it and how many pages it lists."""

    start: int
    end: int
    first_page_id: int
    pages: int


def index_path_for(dump: str | Path) -> Path:
    """Where Wikimedia puts a multistream file's index: ``X-multistream.xml.bz2`` →
    ``X-multistream-index.txt.bz2``."""
    path = Path(dump)
    name = path.name
    for suffix in (".xml.bz2", ".bz2", ".xml"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return path.with_name(f"{name}-index.txt.bz2")


def read_streams(dump: str | Path, index: str | Path) -> tuple[list[Stream], int]:
    """The page streams the index lists, in file order, and the offset where the first one starts
    (everything before it is the header stream). Memory is one record per stream, not per page."""
    size = _size(dump)
    offsets: dict[int, list[int]] = {}  # offset -> [first page id, page count]
    with open_binary(index) as raw, _bz2_or_plain(raw) as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            offset, page_id = _index_line(line, number, index)
            entry = offsets.get(offset)
            if entry is None:
                offsets[offset] = [page_id, 1]
            else:
                entry[0] = min(entry[0], page_id)
                entry[1] += 1
    if not offsets:
        raise FormatError("the index lists no page", subject=index)
    starts = sorted(offsets)
    if starts[-1] >= size:
        raise FormatError(
            f"the index points at byte {starts[-1]} but the dump has {size} bytes",
            subject=index,
            hint="is this the index of another dump?",
        )
    ends = [*starts[1:], size]
    streams = [Stream(s, e, *offsets[s]) for s, e in zip(starts, ends, strict=True)]
    return streams, starts[0]


def read_header(dump: str | Path, first_stream: int) -> bytes:
    """The XML before the first page (prolog, root element, ``<siteinfo>``): the first stream."""
    data = b"".join(decompress_range(dump, 0, first_stream, skip_closing=False))
    if b"<mediawiki" not in data:
        raise FormatError(
            "the first stream holds no <mediawiki> element; not a multistream dump", subject=dump
        )
    return data


def open_stream(dump: str | Path, start: int, end: int, header: bytes) -> IO[bytes]:
    """A complete XML document holding the pages of bytes ``start`` to ``end`` of ``dump``: ``header``,
    the decompressed streams (a closing ``</mediawiki>`` stream among them dropped), a closing tag."""
    return io.BufferedReader(_Chain(_document(dump, start, end, header)), READ_CHUNK)


def _document(dump: str | Path, start: int, end: int, header: bytes) -> Iterator[bytes]:
    yield header
    yield from decompress_range(dump, start, end, skip_closing=True)
    yield CLOSING


def decompress_range(dump: str | Path, start: int, end: int, *, skip_closing: bool) -> Iterator[bytes]:
    """The decompressed bytes of the bzip2 streams in ``[start, end)``, chunk by chunk; with
    ``skip_closing``, a stream holding only ``</mediawiki>`` is left out."""
    with open_binary(dump) as raw:
        raw.seek(start)
        left = end - start
        pending = b""
        while pending or left > 0:
            decompressor = bz2.BZ2Decompressor()
            # a stream's first bytes wait until it is known not to be the closing tag
            head, holding = b"", skip_closing
            while not decompressor.eof:
                data = b""
                if decompressor.needs_input:
                    if not pending:
                        pending = raw.read(min(READ_CHUNK, left)) if left > 0 else b""
                        left -= len(pending)
                        if not pending:
                            raise FormatError(f"the bzip2 stream at byte {start} is cut off", subject=dump)
                    data, pending = pending, b""
                try:  # at most OUT_CHUNK at a time: a highly compressed stream never makes one huge chunk
                    out = decompressor.decompress(data, max_length=OUT_CHUNK)
                except (OSError, EOFError) as error:
                    raise FormatError(
                        f"the bzip2 stream at byte {start} is damaged ({error})", subject=dump
                    ) from None
                if decompressor.eof:
                    pending = decompressor.unused_data
                if holding:
                    head += out
                    if len(head) > 2 * len(_CLOSING) or decompressor.eof:
                        holding = False
                        if not (decompressor.eof and head.strip() == _CLOSING):
                            yield head
                elif out:
                    yield out


class _Chain(io.RawIOBase):
    """A read-only stream over an iterator of byte chunks."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        super().__init__()
        self._chunks = iter(chunks)
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._pending = chunk
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def _index_line(line: bytes, number: int, index: str | Path) -> tuple[int, int]:
    offset, sep, rest = line.partition(b":")
    page_id, sep2, _title = rest.partition(b":")
    try:
        if not (sep and sep2):
            raise ValueError
        return int(offset), int(page_id)
    except ValueError:
        raise FormatError(
            f"line {number} is not offset:page_id:title ({line[:60]!r})", subject=index
        ) from None


@contextlib.contextmanager
def _bz2_or_plain(raw: IO[bytes]) -> Iterator[IO[bytes]]:
    """Index lines from a bzip2-compressed (as Wikimedia publishes it) or plain index."""
    if raw.peek(3)[:3] == b"BZh":  # type: ignore[attr-defined]
        with bz2.BZ2File(raw) as lines:
            try:
                yield lines
            except (OSError, EOFError) as error:
                raise FormatError(f"the bzip2 data is damaged ({error})", subject=raw.name) from None
    else:
        yield raw


def _size(path: str | Path) -> int:
    try:
        return os.path.getsize(path)
    except OSError as error:
        raise InputError(error.strerror or "cannot be read", subject=path) from None


# -- writing ------------------------------------------------------------------------------------
def write_multistream(
    pages: Iterable[Page],
    path: str | Path,
    index: str | Path | None = None,
    *,
    siteinfo: SiteInfo | None = None,
    pages_per_stream: int = PAGES_PER_STREAM,
) -> int:
    """Write ``pages`` as a multistream dump at ``path`` and its index (default: beside it, named as
    Wikimedia names it), both atomically; returns the page count. The XML is exactly what
    :func:`~wikitools.formats.xml_write.write_pages` writes, cut into streams between pages."""
    index = Path(index) if index is not None else index_path_for(path)
    with atomic_stream(path) as out, atomic_stream(index) as index_out:
        index_writer = bz2.BZ2Compressor(9)
        sink = _StreamSink(out, pages_per_stream, index_writer, index_out)
        count = write_pages(pages, sink, siteinfo=siteinfo)
        sink.close()
        index_out.write(index_writer.flush())
    return count


class _StreamSink(io.RawIOBase):
    """Receives the XML writer's bytes and compresses them as Wikimedia does: the header, then one
    stream per ``pages_per_stream`` pages, then the closing tag; each page gets an index line."""

    def __init__(self, out: IO[bytes], pages_per_stream: int, index: bz2.BZ2Compressor, index_out: IO[bytes]):
        super().__init__()
        self.out = out
        self.per_stream = pages_per_stream
        self.index = index
        self.index_out = index_out
        self.buffer = bytearray()
        self.header_done = False
        self.group: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.buffer += data
        if not self.header_done:
            start = self.buffer.find(b"  <page>")
            if start < 0:
                return len(data)
            self._emit([bytes(self.buffer[:start])])
            del self.buffer[:start]
            self.header_done = True
        while (end := self.buffer.find(_PAGE_END)) >= 0:
            self.group.append(bytes(self.buffer[: end + len(_PAGE_END)]))
            del self.buffer[: end + len(_PAGE_END)]
            if len(self.group) >= self.per_stream:
                self._flush_group()
        return len(data)

    def close(self) -> None:
        if not self.closed:
            if not self.header_done:
                self._emit([bytes(self.buffer.split(_CLOSING)[0])])
                self.buffer = bytearray(self.buffer[self.buffer.find(_CLOSING) :])
            self._flush_group()
            if self.buffer:
                self._emit([bytes(self.buffer)])
        super().close()

    def _flush_group(self) -> None:
        if not self.group:
            return
        offset = self.out.tell()
        lines = []
        for page in self.group:
            page_id = _PAGE_ID.search(page)
            title = _TITLE.search(page)
            assert page_id is not None and title is not None  # the writer always writes both
            lines.append(f"{offset}:{int(page_id.group(1))}:{unescape(title.group(1).decode('utf-8'))}\n")
        self.index_out.write(self.index.compress("".join(lines).encode("utf-8")))
        self._emit(self.group)
        self.group = []

    def _emit(self, parts: list[bytes]) -> None:
        self.out.write(bz2.compress(b"".join(parts), 9))


__all__ = [
    "CLOSING",
    "Stream",
    "decompress_range",
    "index_path_for",
    "open_stream",
    "read_header",
    "read_streams",
    "write_multistream",
]
