"""The process that lints partitions for a :class:`~.watchdog.GuardedWorker` (:func:`main`): tasks on
stdin, per-page messages on stdout.

Before each page it lints, the worker sends ``start`` with the page's id, revision and title (and
the outcomes of the pages since the last ``start``), so that its supervisor knows which page to set
aside should this one hang, grow past the memory limit or die, and everything before it is already
safe. It sends ``reading`` when a task begins and, where pages are read as they are linted, after
each page: decompressing and parsing run under the supervisor's clock and memory limit too, and
what is set aside then is the rest of the partition. A task can resume after a given page index: the
pages before it are read again but not linted.

The other task, ``scan``, cuts a big export file into pages for the client
(:mod:`.filereader`): ``header`` once, then ``pages`` after each chunk of XML with the pages
completed in it and the page the chunk ended in, so that the client knows which page to set aside
should reading it hang, grow past the memory limit or die; ``whole`` when the file is not a
MediaWiki export this way can read (a worker reads it whole with the safe reader), ``error`` when
it is broken part way, ``end`` at its end.
"""

from __future__ import annotations

import io
import lzma
import pickle
import struct
import sys
import time
import zlib
from typing import IO, Any

from ..errors import FormatError, WikitoolsError
from ..fileio import open_binary
from ..formats.multistream import CLOSING
from ..formats.xml_read import DumpReader
from .cache import CacheReader
from .lintpage import lint_page
from .memory import peak_mb
from .pagestream import PageScanner
from .partitions import MemoryLimitExceeded, PageEntry, PageReader, Partition, decompressed
from .results import DumpSettings, PageOutcome

SCAN_CHUNK = 1 << 20  # decompressed XML between two messages of a scan
_DECOMPRESSION_ERRORS = (EOFError, OSError, lzma.LZMAError, zlib.error)

FRAME_LENGTH = struct.Struct("<I")


def write_frame(out: IO[bytes], message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(FRAME_LENGTH.pack(len(data)) + data)
    out.flush()


def read_frame(inp: IO[bytes]) -> Any:
    """The next message, or ``None`` at the end of the stream."""
    head = inp.read(FRAME_LENGTH.size)
    if len(head) < FRAME_LENGTH.size:
        return None
    (size,) = FRAME_LENGTH.unpack(head)
    return pickle.loads(inp.read(size))


class Worker:
    """Runs tasks; keeps a read-only cache handle open between them."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.readers: dict[tuple[str, str], CacheReader] = {}

    def task(self, partition: Partition, settings: DumpSettings, resume_after: int) -> bool:
        """Lint one partition, streaming messages; ``False`` when this process must end (memory)."""
        started = time.process_time()
        write_frame(self.out, ("reading", []))  # the supervisor's clock for reading starts
        cache = self._reader(settings)
        pages = PageReader(partition, settings.namespaces, settings.max_memory)
        pending: list[PageOutcome] = []
        digest = None
        try:
            digest = partition.digest(settings.namespaces) if cache is not None else None
            hit = cache.partition(digest) if cache is not None and digest is not None else None
            if hit is not None:
                self._done(hit.pages, hit.xml_bytes, digest, True, started)
                return True
            for index, entry in enumerate(pages.entries()):
                if index > resume_after and not self._page(index, entry, settings, cache, pending, pages):
                    return False
        except MemoryLimitExceeded:
            write_frame(self.out, ("memory", peak_mb()))
            return False
        except WikitoolsError as error:
            write_frame(self.out, ("error", str(error), pending, pages.xml_bytes))
            return True
        self._done(pending, pages.xml_bytes, digest, False, started)
        return True

    def _done(
        self, pages: list[PageOutcome], xml_bytes: int, digest: str | None, reused: bool, started: float
    ) -> None:
        cpu = time.process_time() - started
        write_frame(self.out, ("done", pages, xml_bytes, digest, reused, peak_mb(), cpu))

    def _page(
        self,
        index: int,
        entry: PageEntry,
        settings: DumpSettings,
        cache: CacheReader | None,
        pending: list[PageOutcome],
        reader: PageReader,
    ) -> bool:
        """Reuse or lint one page; ``False`` when it left this process too big to go on."""
        key = entry.key if cache is not None else None
        cached = cache.findings(entry.page_id, key) if cache is not None and key is not None else None
        if cached is not None:
            pending.append(
                PageOutcome(entry.page_id, entry.rev_id, entry.title, cached, key=key, linted=False)
            )
            return True
        write_frame(self.out, ("start", index, entry.page_id, entry.rev_id, entry.title, list(pending)))
        pending.clear()
        findings = lint_page(entry.page(), settings.options)
        if peak_mb() > settings.max_memory:
            write_frame(self.out, ("memory", peak_mb()))
            return False
        pending.append(PageOutcome(entry.page_id, entry.rev_id, entry.title, findings, key=key))
        if reader.streaming:  # what comes next is reading again, under its own clock
            write_frame(self.out, ("reading", list(pending)))
            pending.clear()
        return True

    def _reader(self, settings: DumpSettings) -> CacheReader | None:
        if settings.cache is None:
            return None
        key = (settings.cache, settings.fingerprint)
        if key not in self.readers:
            self.readers[key] = CacheReader(settings.cache, settings.fingerprint)
        return self.readers[key]


def scan(out: IO[bytes], path: str, max_page_bytes: int, skip_through: int) -> None:
    """Cut the export file ``path`` into pages for the client (see the module docstring), passing over
    pages up to ``skip_through`` and pages whose XML is longer than ``max_page_bytes``."""
    scanner = PageScanner(max_page_bytes, skip_through=skip_through, source=path)
    sent_header = False
    write_frame(out, ("pages", [], None))  # started: the supervisor's clock runs from here
    try:
        with open_binary(path) as raw, decompressed(raw) as xml:
            while chunk := xml.read(SCAN_CHUNK):
                found = scanner.feed(chunk)
                if scanner.header is not None and not sent_header:
                    if not _readable_header(scanner.header):
                        break  # whole, below
                    write_frame(out, ("header", scanner.header))
                    sent_header = True
                write_frame(out, ("pages", found, scanner.current))
            else:
                scanner.finish()
    except (WikitoolsError, *_DECOMPRESSION_ERRORS) as error:
        if sent_header:
            if not isinstance(error, WikitoolsError):
                error = FormatError(f"the compressed data is damaged ({error})", subject=path)
            write_frame(out, ("error", str(error), scanner.offset))
            return
    write_frame(out, ("end",) if sent_header else ("whole",))


def _readable_header(header: bytes) -> bool:
    """Whether the safe reader takes ``header`` as the start of a MediaWiki export."""
    try:
        for _ in DumpReader(io.BytesIO(header + CLOSING), latest_only=True, verify=False, on_warning=_quiet):
            return False  # pages the scanner did not see: not a layout it can cut
    except WikitoolsError:
        return False
    return True


def _quiet(_message: str) -> None:
    """Warnings about the header are the workers' business, when they read it."""


def main() -> int:
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing else may write into the message stream
    worker = Worker(out)
    while (task := read_frame(inp)) is not None:
        if task[0] == "scan":
            scan(out, *task[1:])
        elif not worker.task(*task):
            break
    return 0
