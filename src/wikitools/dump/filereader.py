"""A big single export file, read for the workers under the watchdog.

A gzip, bzip2 or xz export (or a plain ``.xml``) cannot be cut into byte ranges before it is read,
so when there are no more such files than workers one child process reads each front to back
(:func:`.worker.scan`) and the client hands the pages it cuts out to the workers in batches: all
cores lint while one reads, and memory stays flat.

The reader is watched like a worker: a page that takes longer than ``page_timeout`` to read, makes
the reader grow past ``max_memory`` or kills it (a decompression bomb, a ``<text>`` of hundreds of
MB) is set aside with the reason, and a new reader goes on after it — reading the file again from
the start, without keeping any of it, up to that page. A page whose XML is longer than an eighth of
``max_memory`` is passed over without being kept. Passing over a page costs its decompression only:
it is watched for progress (a chunk of XML within ``page_timeout``) within :data:`PASS_OVER` page
timeouts in all. Only when the same page stops the reader twice, or it stops where no page can be
named, is the rest of the file set aside.
"""

from __future__ import annotations

import math
import time
from collections.abc import Generator, Iterator

from .pagestream import Oversized, PageHead, ScannedPage, too_long
from .partitions import BATCH_BYTES, BATCH_PAGES, Partition
from .results import DumpSettings, PageOutcome
from .watchdog import DIED, POLL_SECONDS, GuardedWorker, death, while_reading

PASS_OVER = 20  # passing over a page set aside may take this many page timeouts, if it keeps moving


def page_limit(settings: DumpSettings) -> int:
    """The longest page XML the reader keeps: an eighth of a worker's memory limit (the client and a
    worker hold a page a few times over while it travels)."""
    return settings.max_memory * 2**20 // 8


def read_batches(path: str, settings: DumpSettings) -> Iterator[Partition]:
    """The pages of the export file ``path`` in batches of :data:`BATCH_PAGES` pages or
    :data:`BATCH_BYTES` of XML, read by a watched child process as they are needed."""
    reader = _Reader(path, settings)
    try:
        yield from reader.batches()
    finally:
        reader.close()


class _Reader(GuardedWorker):
    """The reader process of one file and its supervision, with the batch being filled."""

    def __init__(self, path: str, settings: DumpSettings) -> None:
        super().__init__()
        self.path, self.settings = path, settings
        self.header = b""
        self.pages: list[ScannedPage] = []
        self.size = 0
        self.aside: list[PageOutcome] = []
        self.read_to = 0  # the end of the last page received, in the XML
        self.finished = False

    def batches(self) -> Iterator[Partition]:
        skip = -1
        while True:
            self._start()
            self._send(("scan", self.path, page_limit(self.settings), skip))
            stopped = yield from self._follow()
            if stopped is None:
                self.finished = True
                return
            head, reason = stopped
            if head is None or head.page_id is None or head.ordinal <= skip:
                yield from self._flush()  # nothing to resume after: the rest of the file is set aside
                start = head.offset if head is not None else self.read_to
                yield Partition(self.path, start, header=self.header, body=b"", stopped=reason)
                return
            self._set_aside(head, reason)
            skip = head.ordinal

    def _follow(self) -> Generator[Partition, None, tuple[PageHead | None, str] | None]:
        """Batches as one reader cuts them; returns (the page it stopped in, why) when it had to be
        stopped, ``None`` when it read to the end."""
        settings = self.settings
        current: PageHead | None = None
        started, deadline = time.monotonic(), math.inf  # the clock starts with the child's first word
        while True:
            message = self._receive(min(POLL_SECONDS, deadline - time.monotonic()))
            if message is DIED:
                return current, while_reading(death(self._reap()))
            reason = self.overdue(deadline, settings)
            if reason is not None:
                return current, while_reading(reason)
            if message is None:
                continue
            kind = message[0]
            if kind == "header":
                self.header = message[1]
            elif kind == "pages":
                _, found, now = message
                for item in found:
                    if self._add(item):
                        yield self._batch()
                        started = time.monotonic()  # the reader waited on us meanwhile
                        deadline = started + settings.page_timeout
                if now is None or current is None or now.ordinal != current.ordinal:
                    started = time.monotonic()  # a new page (or none): its own clock
                    deadline = started + settings.page_timeout
                elif now.passing:  # as long as it moves on, within the budget of passing over a page
                    budget = started + PASS_OVER * settings.page_timeout
                    deadline = min(time.monotonic() + settings.page_timeout, budget)
                current = now
            elif kind == "whole":  # not a layout the reader cuts: one worker reads it whole
                yield Partition(self.path)
                return None
            else:  # "end", or "error" after the pages before it
                yield from self._flush()
                if kind == "error":
                    yield Partition(self.path, message[2], header=self.header, body=b"", error=message[1])
                return None

    def close(self) -> None:
        """End the reader: it waits for its next task once it has read the file; a run that ends
        before that (an error elsewhere) kills it rather than leave it writing into a closed pipe."""
        if self.finished:
            super().close()
        else:
            self._kill()

    def _add(self, item: ScannedPage | Oversized) -> bool:
        """Take one page; whether the batch is full."""
        if isinstance(item, Oversized):
            head = item.head
            self.read_to = head.offset + item.size
            self._set_aside(head, too_long(page_limit(self.settings)))
            return False
        self.pages.append(item)
        self.size += len(item.data)
        self.read_to = item.offset + len(item.data)
        return len(self.pages) >= BATCH_PAGES or self.size >= BATCH_BYTES

    def _set_aside(self, head: PageHead, reason: str) -> None:
        """Record a page the reader could not hand on, unless no reader would have linted it."""
        if head.wanted(self.settings.namespaces):
            assert head.page_id is not None
            title = head.title if head.title is not None else ""
            self.aside.append(PageOutcome(head.page_id, head.rev_id, title, set_aside=reason))

    def _batch(self) -> Partition:
        first, last = self.pages[0], self.pages[-1]
        body = b"".join(page.data for page in self.pages)
        batch = Partition(
            self.path, first.offset, last.offset + len(last.data), self.header, len(self.pages), body,
            tuple(self.aside),
        )  # fmt: skip
        self.pages, self.size, self.aside = [], 0, []
        return batch

    def _flush(self) -> Iterator[Partition]:
        if self.pages:
            yield self._batch()
        if self.aside:
            yield Partition(self.path, header=self.header, body=b"", set_aside=tuple(self.aside))
            self.aside = []
