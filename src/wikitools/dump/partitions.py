"""Partitions of a dump: independent pieces of work that a worker reads on its own.

- a **multistream** dump (``…-multistream.xml.bz2`` and its index) gives one partition per bzip2
  stream: a byte range plus the header stream's XML, so a worker decompresses just its range;
- any other export file (split dump files, ``.xml``, ``.xml.gz``…) is one partition read whole;
- when there are fewer such files than workers, the client reads them and hands out **batches** of
  pages as it reads, so a single big file still keeps every worker busy.

:func:`read_pages` turns any partition into :class:`DumpPage` records (latest revision, wikitext
pages only, namespace filter applied before anything is parsed).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ..errors import InputError
from ..fileio import open_binary
from ..formats.multistream import Stream, index_path_for, open_stream, read_header, read_streams
from ..formats.xml_read import DumpReader, open_decompressed
from ..lint.languages import site_language

BATCH_BYTES = 2 * 2**20
BATCH_PAGES = 100


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
    file (``end`` is ``None``), or pages the client already read (``batch``)."""

    source: str
    start: int = 0
    end: int | None = None
    header: bytes = b""
    pages: int | None = None  # how many pages the index lists, when known
    batch: tuple[DumpPage, ...] | None = None

    @property
    def is_range(self) -> bool:
        return self.end is not None and self.batch is None

    def describe(self) -> str:
        if self.batch is not None:
            return f"{self.source} (pages {self.batch[0].page_id}–{self.batch[-1].page_id})"
        return f"{self.source} (bytes {self.start}–{self.end})" if self.is_range else self.source

    def digest(self, namespaces: Collection[int] | None) -> str | None:
        """A digest of the partition's compressed bytes (and namespace filter): equal digests mean equal
        pages, so a finished partition's results can be reused without decompressing it again.
        ``None`` for partitions that are not byte ranges."""
        if not self.is_range:
            return None
        assert self.end is not None
        digest = hashlib.sha1(self.header)
        digest.update(repr(sorted(namespaces) if namespaces is not None else None).encode("ascii"))
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
    namespaces: Collection[int] | None = None,
) -> Plan:
    """The partitions of ``paths`` in dump order: multistream files (``index`` names the index of a
    single one; otherwise it is looked for beside each) by stream; other files whole, or — when there
    are fewer of them than ``workers`` — in batches of pages this process reads as they are needed."""
    if index is not None and len(paths) != 1:
        raise InputError("--index names the index of one dump; give one dump with it")
    found: list[tuple[str, Path | None]] = []
    for path in paths:
        if not Path(path).is_file():
            raise InputError("no such file", subject=path)
        found.append((str(Path(path).resolve()), Path(index) if index is not None else find_index(path)))
    whole = sum(1 for _, idx in found if idx is None)
    if 0 < whole < workers:
        return Plan(_planned(found, namespaces, batched=True), None)
    planned = list(_planned(found, namespaces, batched=False))
    return Plan(iter(planned), len(planned))


def _planned(
    found: list[tuple[str, Path | None]], namespaces: Collection[int] | None, *, batched: bool
) -> Iterator[Partition]:
    """Streams of the multistream files; the others whole, or read here in batches."""
    for path, idx in found:
        if idx is not None:
            yield from multistream_partitions(path, idx)
        elif batched:
            yield from _batches(path, namespaces)
        else:
            yield Partition(path)


def partitions(
    paths: Sequence[str | Path], *, index: str | Path | None = None, namespaces: Collection[int] | None = None
) -> list[Partition]:
    """Every partition of ``paths`` (multistream dumps by stream, other files whole), for handing to
    your own engine: a Dask bag, Spark ``parallelize`` + ``mapPartitions``…"""
    return list(plan(paths, index=index, namespaces=namespaces).partitions)


def _batches(path: str, namespaces: Collection[int] | None) -> Iterator[Partition]:
    batch: list[DumpPage] = []
    size = 0
    for page in _pages_of(DumpReader(path, latest_only=True, verify=False, on_warning=_ignore), namespaces):
        batch.append(page)
        size += len(page.text)
        if size >= BATCH_BYTES or len(batch) >= BATCH_PAGES:
            yield Partition(path, batch=tuple(batch))
            batch, size = [], 0
    if batch:
        yield Partition(path, batch=tuple(batch))


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


class PageReader:
    """The pages of one partition; ``xml_bytes`` grows as the XML is read."""

    def __init__(self, partition: Partition, namespaces: Collection[int] | None = None) -> None:
        self.partition = partition
        self.namespaces = namespaces
        self._counted: _Counted | None = None
        self._batch_bytes = 0

    @property
    def xml_bytes(self) -> int:
        return self._counted.count if self._counted is not None else self._batch_bytes

    def __iter__(self) -> Iterator[DumpPage]:
        part = self.partition
        if part.batch is not None:
            for page in part.batch:
                self._batch_bytes += len(page.text.encode("utf-8"))
                yield page
            return
        if part.is_range:
            assert part.end is not None
            yield from self._read(open_stream(part.source, part.start, part.end, part.header))
            return
        with open_binary(part.source) as raw, _decompressed(raw) as xml:
            yield from self._read(xml)

    def _read(self, xml: IO[bytes]) -> Iterator[DumpPage]:
        self._counted = _Counted(xml)
        stream = io.BufferedReader(self._counted)
        reader = DumpReader(stream, latest_only=True, verify=False, on_warning=_ignore)
        reader.name = self.partition.source
        yield from _pages_of(reader, self.namespaces)


def read_pages(partition: Partition, namespaces: Collection[int] | None = None) -> Iterator[DumpPage]:
    """The wikitext pages of ``partition`` (latest revision), skipping namespaces not in
    ``namespaces`` before their text is used."""
    return iter(PageReader(partition, namespaces))


@contextlib.contextmanager
def _decompressed(raw: IO[bytes]) -> Iterator[IO[bytes]]:
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


__all__ = ["DumpPage", "PageReader", "Partition", "find_index", "partitions", "read_pages"]
