"""Partitions of a dump: independent pieces of work that a worker reads on its own.

- a **multistream** dump (``…-multistream.xml.bz2`` and its index) gives one partition per bzip2
  stream: a byte range plus the header stream's XML, so a worker decompresses just its range;
- any other export file (split dump files, ``.xml``, ``.xml.gz``…) is one partition read whole;
- when there are no more such files than workers, a watched reader process cuts them into **batches** of
  pages as it reads, so a single big file still keeps every worker busy.

:func:`read_pages` turns any partition into :class:`DumpPage` records (latest revision, wikitext
pages only, namespace filter applied before anything is parsed).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import re
import warnings
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ..errors import FormatError, InputError, WikitoolsError
from ..fileio import open_binary
from ..formats.multistream import (
    CLOSING,
    Stream,
    decompress_range,
    index_path_for,
    open_stream,
    read_header,
    read_streams,
)
from ..formats.xml_common import SiteInfo
from ..formats.xml_read import DumpReader, open_decompressed
from ..lint.languages import site_language
from .memory import status_mb
from .pagesplit import RawPage, split_pages
from .pagestream import Oversized, PageScanner, ScannedPage, too_long
from .results import PageOutcome

BATCH_BYTES = 2 * 2**20
BATCH_PAGES = 100
MAX_PAGE_BYTES = 64 * 2**20  # read_pages' bound on one page's XML
MEMORY_CHECK_BYTES = 8 * 2**20  # decompressed bytes between two looks at this process's memory
_ENCODING = re.compile(rb"<\?xml[^>]*?\sencoding=[\"']([^\"']*)[\"']")


@dataclass(frozen=True)
class DumpPage:
    """The latest revision of one wikitext page, as much as linting and reporting need."""

    page_id: int
    rev_id: int | None
    title: str
    namespace: int
    text: str
    redirect: str | None = None
    language: str | None = None  # the wiki's, from the export's <siteinfo>, when it says

    @property
    def key(self) -> str:
        """A digest of everything linting this page depends on (text, title, namespace, redirect,
        language).

        Computed from the text rather than taken from the dump's ``<sha1>``, which real dumps
        sometimes get wrong."""
        digest = hashlib.sha1(self.text.encode("utf-8"))
        digest.update(f"\0{self.namespace}\0{self.title}\0{self.redirect}\0{self.language}".encode())
        return digest.hexdigest()


@dataclass(frozen=True)
class Partition:
    """A piece of a dump: bytes ``start``–``end`` of a multistream ``source`` (with ``header``), a whole
    file (``end`` is ``None``), or pages the client already cut out of a big file (``body``: their XML,
    bytes ``start``–``end`` of the file's decompressed XML, read with ``header``).

    A batch also carries what the client's reader could not hand on: pages it ``set_aside`` (too
    big, or reading them hung or blew up), and, on the file's last batch, why it ``stopped`` reading
    the rest or the ``error`` that ended it."""

    source: str
    start: int = 0
    end: int | None = None
    header: bytes = b""
    pages: int | None = None  # how many pages the index lists, when known
    body: bytes | None = None
    set_aside: tuple[PageOutcome, ...] = ()
    stopped: str | None = None
    error: str | None = None

    @property
    def is_range(self) -> bool:
        return self.end is not None and self.body is None

    def describe(self) -> str:
        if self.body is not None:
            span = (
                f"XML bytes {self.start}–{self.end}"
                if self.end is not None
                else f"from XML byte {self.start}"
            )
            return f"{self.source} ({span})"
        return f"{self.source} (bytes {self.start}–{self.end})" if self.is_range else self.source

    def digest(self, namespaces: Collection[int] | None) -> str | None:
        """A digest of the partition's compressed bytes, or a batch's XML (and namespace filter): equal
        digests mean equal pages, so a finished partition's results can be reused without reading it
        again. ``None`` for whole files, and batches with pages the reader set aside."""
        digest = hashlib.sha1(self.header)
        digest.update(repr(sorted(namespaces) if namespaces is not None else None).encode("ascii"))
        if self.body is not None:
            if self.set_aside or self.stopped is not None or self.error is not None:
                return None
            digest.update(self.body)
            return digest.hexdigest()
        if not self.is_range:
            return None
        assert self.end is not None
        with open_binary(self.source) as raw:
            raw.seek(self.start)
            left = self.end - self.start
            while left > 0:
                chunk = raw.read(min(1 << 20, left))
                if not chunk:
                    break
                digest.update(chunk)
                left -= len(chunk)
        return digest.hexdigest()


def find_index(path: str | Path) -> Path | None:
    """The index beside a multistream dump (``X.xml.bz2`` → ``X-index.txt.bz2``), when there is one."""
    if not str(path).endswith(".bz2") or not Path(path).is_file():
        return None
    index = index_path_for(path)
    return index if index.is_file() else None


def multistream_partitions(dump: str | Path, index: str | Path) -> list[Partition]:
    """One partition per page stream of a multistream dump, in file order."""
    streams, first = read_streams(dump, index)
    header = read_header(dump, first)
    return [_range(str(dump), stream, header) for stream in streams]


def _range(source: str, stream: Stream, header: bytes) -> Partition:
    return Partition(source, stream.start, stream.end, header, stream.pages)


@dataclass
class Plan:
    """The partitions of a run as they will be produced, and how many there are when that is known
    before reading (multistream dumps and whole files; not batches of a file read as it goes)."""

    partitions: Iterator[Partition]
    total: int | None


def plan(
    paths: Sequence[str | Path],
    *,
    index: str | Path | None = None,
    workers: int = 1,
    batches: Callable[[str], Iterator[Partition]] | None = None,
) -> Plan:
    """The partitions of ``paths`` in dump order: multistream files (``index`` names the index of a
    single one; otherwise it is looked for beside each) by stream; other files whole, or — when there
    are no more of them than ``workers`` and ``batches`` cuts a file into batches of pages as it is
    read (:func:`.filereader.read_batches`) — in those batches, produced as they are needed."""
    if index is not None and len(paths) != 1:
        raise InputError("--index names the index of one dump; give one dump with it")
    found: list[tuple[str, Path | None]] = []
    for path in paths:
        if not Path(path).is_file():
            raise InputError("no such file", subject=path)
        found.append((str(Path(path).resolve()), Path(index) if index is not None else find_index(path)))
    whole = sum(1 for _, idx in found if idx is None)
    if 0 < whole <= workers and batches is not None:
        return Plan(_planned(found, batches), None)
    planned = list(_planned(found, None))
    return Plan(iter(planned), len(planned))


def _planned(
    found: list[tuple[str, Path | None]], batches: Callable[[str], Iterator[Partition]] | None
) -> Iterator[Partition]:
    """Streams of the multistream files; the others whole, or in ``batches``."""
    for path, idx in found:
        if idx is not None:
            yield from multistream_partitions(path, idx)
        elif batches is not None:
            yield from batches(path)
        else:
            yield Partition(path)


def partitions(paths: Sequence[str | Path], *, index: str | Path | None = None) -> list[Partition]:
    """Every partition of ``paths`` (multistream dumps by stream, other files whole), for handing to
    your own engine: a Dask bag, Spark ``parallelize`` + ``mapPartitions``…"""
    return list(plan(paths, index=index).partitions)


class _Counted(io.RawIOBase):
    """A stream that counts the bytes read through it (the XML, after decompression)."""

    def __init__(self, inner: IO[bytes]) -> None:
        super().__init__()
        self.inner = inner
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.inner.read(len(buffer))
        buffer[: len(data)] = data
        self.count += len(data)
        return len(data)


class MemoryLimitExceeded(Exception):
    """Decompressing a partition made this process grow past its memory limit."""


class PageEntry:
    """A page as a worker first meets it: enough to report it and to look it up in the cache. Its
    text is decoded and unescaped only by :meth:`page`, when the page is linted."""

    __slots__ = ("_language", "_namespace", "_page", "_raw", "_source", "page_id", "rev_id", "title")

    def __init__(
        self,
        page: DumpPage | None = None,
        raw: RawPage | None = None,
        *,
        namespace: int = 0,
        language: str | None = None,
        source: str = "",
    ) -> None:
        found = page if page is not None else raw
        assert found is not None
        self.page_id, self.rev_id, self.title = found.page_id, found.rev_id, found.title
        self._page, self._raw = page, raw
        self._namespace, self._language, self._source = namespace, language, source

    @property
    def key(self) -> str:
        """The digest cached findings are filed under (see :attr:`DumpPage.key`); for a page found
        by the splitter, over its still-escaped text."""
        if self._raw is None:
            assert self._page is not None
            return self._page.key
        raw = self._raw
        return raw.key(f"{self._namespace}\0{raw.title}\0{raw.redirect}\0{self._language}")

    def page(self) -> DumpPage:
        if self._raw is None:
            assert self._page is not None
            return self._page
        raw = self._raw
        text = raw.text(self._source)
        return DumpPage(
            raw.page_id, raw.rev_id, raw.title, self._namespace, text, raw.redirect, self._language
        )


class PageReader:
    """The pages of one partition; ``xml_bytes`` grows as the XML is read.

    A multistream partition is decompressed whole (a stream is ~100 pages), with this process's
    memory checked against ``max_memory`` MB as it grows, then split by :mod:`.pagesplit`, or read by
    the safe XML reader when it is not the plain layout. ``streaming`` is true while pages are read
    as they are linted (whole files, and partitions the safe reader reads).

    With ``max_page_bytes`` a multistream partition is instead read a chunk at a time and cut into
    pages as it goes (:mod:`.pagestream`): a page whose XML is longer is passed over without being
    kept and handed to ``on_set_aside``, so memory is bounded by that, not by the stream."""

    def __init__(
        self,
        partition: Partition,
        namespaces: Collection[int] | None = None,
        max_memory: float | None = None,
        *,
        max_page_bytes: int | None = None,
        on_set_aside: Callable[[PageOutcome], None] | None = None,
    ) -> None:
        self.partition = partition
        self.namespaces = namespaces
        self.max_memory = max_memory
        self.max_page_bytes = max_page_bytes
        self.on_set_aside = on_set_aside or _warn_set_aside
        self.streaming = partition.body is None and not partition.is_range
        self._counted: _Counted | None = None
        self._bytes = 0

    @property
    def xml_bytes(self) -> int:
        return self._counted.count if self._counted is not None else self._bytes

    def __iter__(self) -> Iterator[DumpPage]:
        for entry in self.entries():
            yield entry.page()

    def entries(self) -> Iterator[PageEntry]:
        part = self.partition
        if part.body is not None:
            self._bytes = len(part.body)
            if part.body:  # an empty batch only carries what the client's reader set aside
                yield from self._split(part.body)
        elif part.is_range and self.max_page_bytes is not None:
            yield from self._scanned(self.max_page_bytes)
        elif part.is_range:
            yield from self._range()
        else:
            with open_binary(part.source) as raw, decompressed(raw) as xml:
                yield from map(PageEntry, self._read(xml))

    def _range(self) -> Iterator[PageEntry]:
        part = self.partition
        assert part.end is not None
        try:
            body = self._decompress()
        except FormatError:  # a damaged stream: read it as it comes, for the pages before the damage
            self.streaming = True
            yield from map(PageEntry, self._read(open_stream(part.source, part.start, part.end, part.header)))
            return
        self._bytes = len(part.header) + len(body) + len(CLOSING)
        yield from self._split(body)

    def _scanned(self, max_page_bytes: int) -> Iterator[PageEntry]:
        """The pages of a multistream partition, cut out a chunk of XML at a time and split a group
        at a time; pages longer than ``max_page_bytes`` set aside."""
        part = self.partition
        assert part.end is not None
        scanner = PageScanner(max_page_bytes, source=part.source)
        scanner.feed(part.header)
        group: list[bytes] = []
        size = 0
        damage: list[FormatError] = []
        for chunk in _until_damaged(
            decompress_range(part.source, part.start, part.end, skip_closing=True), damage
        ):
            self._bytes += len(chunk)
            for item in scanner.feed(chunk):
                if isinstance(item, ScannedPage):
                    group.append(item.data)
                    size += len(item.data)
                    if size < BATCH_BYTES:
                        continue
                yield from self._split(b"".join(group))  # in order: the pages before a page set aside
                group, size = [], 0
                if isinstance(item, Oversized) and item.head.wanted(self.namespaces):
                    head = item.head
                    assert head.page_id is not None
                    reason = too_long(max_page_bytes)
                    self.on_set_aside(
                        PageOutcome(head.page_id, head.rev_id, head.title or "", set_aside=reason)
                    )
        if not damage:
            scanner.finish()
        yield from self._split(b"".join(group))
        if damage:  # reported after the pages before it, as the safe reader does
            raise damage[0]

    def _split(self, body: bytes | bytearray) -> Iterator[PageEntry]:
        """The pages of ``body`` read with the partition's header: split in the bytes when it is the
        plain layout, by the safe reader otherwise."""
        part = self.partition
        info = _header(part.header)
        raws = split_pages(body) if info is not None else None
        if raws is None or info is None:
            self.streaming = True
            document = io.BytesIO(b"".join((part.header, body, CLOSING)))
            yield from map(PageEntry, self._read(document, count=False))
            return
        siteinfo, language = info
        for raw in raws:
            namespace = raw.namespace if raw.namespace is not None else siteinfo.namespace_of(raw.title)
            if self.namespaces is None or namespace in self.namespaces:
                yield PageEntry(raw=raw, namespace=namespace, language=language, source=part.source)

    def _decompress(self) -> bytearray:
        part = self.partition
        assert part.end is not None
        body, checked = bytearray(), 0
        for chunk in decompress_range(part.source, part.start, part.end, skip_closing=True):
            body += chunk
            if self.max_memory is not None and len(body) - checked >= MEMORY_CHECK_BYTES:
                checked = len(body)
                if (status_mb("self", "VmRSS") or 0.0) > self.max_memory:
                    raise MemoryLimitExceeded
        return body

    def _read(self, xml: IO[bytes], *, count: bool = True) -> Iterator[DumpPage]:
        stream: IO[bytes] = xml
        if count:
            self._counted = _Counted(xml)
            stream = io.BufferedReader(self._counted)
        reader = DumpReader(stream, latest_only=True, verify=False, on_warning=_ignore)
        reader.name = self.partition.source
        yield from _pages_of(reader, self.namespaces)


def _until_damaged(chunks: Iterator[bytes], damage: list[FormatError]) -> Iterator[bytes]:
    """``chunks`` until one cannot be decompressed; the error is kept in ``damage``."""
    try:
        yield from chunks
    except FormatError as error:
        damage.append(error)


@functools.lru_cache(maxsize=4)
def _header(header: bytes) -> tuple[SiteInfo, str | None] | None:
    """The ``<siteinfo>`` and language of a multistream header read by the safe reader, or ``None``
    when the splitter must not be used (not UTF-8, not a plain header, or one the reader refuses)."""
    head = header.removeprefix(b"\xef\xbb\xbf").lstrip()
    declared = _ENCODING.match(head)
    if not head.startswith(b"<") or (declared is not None and declared[1].lower() not in (b"utf-8", b"utf8")):
        return None
    reader = DumpReader(io.BytesIO(header + CLOSING), latest_only=True, verify=False, on_warning=_ignore)
    try:
        if next(iter(reader), None) is not None:
            return None  # pages in the header: the safe reader gives them to every partition
    except WikitoolsError:
        return None  # the safe reader reports it for each partition
    return reader.siteinfo or SiteInfo(), site_language(reader.siteinfo)


def read_pages(
    partition: Partition,
    namespaces: Collection[int] | None = None,
    *,
    max_page_bytes: int | None = MAX_PAGE_BYTES,
    on_set_aside: Callable[[PageOutcome], None] | None = None,
) -> Iterator[DumpPage]:
    """The wikitext pages of ``partition`` (latest revision), skipping namespaces not in
    ``namespaces`` before their text is used.

    A page whose XML is longer than ``max_page_bytes`` (64 MB; MediaWiki's own limit is 2 MB of
    wikitext) is never held whole: it is passed over, and ``on_set_aside`` is called with a
    :class:`PageOutcome` naming it and saying why — without one, a :class:`DumpPageWarning` is
    issued — and reading goes on with the next page. ``None`` lifts the bound: a multistream
    stream is then decompressed whole, as ``lint_dump``'s watched workers do. (A whole export
    file is read by the safe XML reader, which refuses any text over 10 MB with a
    :class:`~wikitools.errors.FormatError`.)"""
    return iter(PageReader(partition, namespaces, max_page_bytes=max_page_bytes, on_set_aside=on_set_aside))


class DumpPageWarning(UserWarning):
    """A page :func:`read_pages` passed over (its XML is longer than ``max_page_bytes``)."""


def _warn_set_aside(outcome: PageOutcome) -> None:
    warnings.warn(
        f"page {outcome.page_id} (revision {outcome.rev_id}) {outcome.title!r}: {outcome.set_aside}; "
        "passed over (max_page_bytes sets the bound)",
        DumpPageWarning,
        stacklevel=4,
    )


@contextlib.contextmanager
def decompressed(raw: IO[bytes]) -> Iterator[IO[bytes]]:
    """The XML bytes of an export file, decompressed by the XML reader's own sniffing of its first bytes."""
    with open_decompressed(raw, getattr(raw, "name", "<stream>")) as (xml, _compression):
        yield xml


def _pages_of(reader: DumpReader, namespaces: Collection[int] | None) -> Iterator[DumpPage]:
    language: str | None = None
    for number, page in enumerate(reader):
        if number == 0:
            language = site_language(reader.siteinfo)  # read with the header, before the first page
        if namespaces is not None and page.namespace not in namespaces:
            continue
        revision = page.latest
        if revision is None or revision.model != "wikitext" or page.id is None:
            continue
        yield DumpPage(
            page.id, revision.id, page.title, page.namespace, revision.text, page.redirect, language
        )


def _ignore(_message: str) -> None:
    """Dumps often carry a wrong ``<sha1>`` (not checked here) or ``bytes``: not the linter's business."""


__all__ = [
    "DumpPage",
    "DumpPageWarning",
    "MemoryLimitExceeded",
    "PageEntry",
    "PageReader",
    "Partition",
    "decompressed",
    "find_index",
    "partitions",
    "read_pages",
]
