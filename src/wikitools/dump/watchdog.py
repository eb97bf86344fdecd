"""The per-page watchdog: a supervisor that runs partitions in a child process it can kill.

A page that runs past ``page_timeout``, or makes the child grow past ``max_memory``, is set aside
(recorded with its id, revision and the reason) and the child is killed and replaced; the partition
resumes after that page. A child that dies on its own (SIGKILL from the OOM killer or a user) is
handled the same way: the page it was linting is set aside with the signal that ended it.

Reading is watched too: a stream that takes longer than ``page_timeout`` to decompress and split,
or makes the child grow past ``max_memory`` or die (a bzip2 bomb, a page of hundreds of MB), has
the rest of its partition set aside, and the run goes on. A partition never hangs a run, and no page
before the bad one is linted twice or lost.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from ..errors import WikitoolsError
from .memory import status_mb
from .partitions import Partition
from .results import DumpSettings, PageOutcome, PartitionResult
from .worker import FRAME_LENGTH as _LENGTH
from .worker import write_frame

POLL_SECONDS = 0.1
_CHILD = "import sys; from wikitools.dump.worker import main; sys.exit(main())"
MAX_DEATHS = 3  # deaths in a row without a page started: the worker cannot run here at all


class WorkerError(WikitoolsError):
    """A worker process that cannot be started or kept alive."""


class GuardedWorker:
    """One child process and its supervision; started on first use, replaced when it dies."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self._buffer = bytearray()

    def run(self, partition: Partition, settings: DumpSettings) -> PartitionResult:
        """Lint ``partition`` in the child; the outcomes of its pages in reading order (with the pages
        the client's reader set aside, and why it stopped, for a batch of a big file)."""
        outcomes: list[PageOutcome] = list(partition.set_aside)
        resume_after = -1
        deaths = 0
        while True:
            self._start()
            self._send((partition, settings, resume_after))
            ended = self._watch(settings, outcomes)
            if isinstance(ended, str):  # reading the partition went wrong: the rest is set aside
                return PartitionResult(outcomes, set_aside=ended, where=partition.describe())
            if isinstance(ended, PartitionResult):
                if partition.stopped is not None:
                    ended.set_aside, ended.where = partition.stopped, partition.describe()
                ended.error = ended.error or partition.error
                return ended
            if ended is None:  # died before it began the task
                deaths += 1
                if deaths >= MAX_DEATHS:
                    raise WorkerError(
                        f"the worker process died {deaths} times without linting a page",
                        subject=partition.describe(),
                        hint="look for memory limits or a broken installation",
                    )
            else:
                deaths = 0
                resume_after = ended

    def _watch(
        self, settings: DumpSettings, outcomes: list[PageOutcome]
    ) -> PartitionResult | int | str | None:
        """Follow the child through one task: a finished result; the index of the page set aside after
        killing or losing the child; the reason the rest of the partition is set aside when that
        happened while reading; ``None`` when it died before it began."""
        current: tuple[int, int, int | None, str] | None = None
        reading = False
        deadline = 0.0
        while True:
            busy = reading or current is not None
            message = self._receive(min(POLL_SECONDS, deadline - time.monotonic()) if busy else POLL_SECONDS)
            if message is DIED:
                reason = death(self._reap())
                if current is not None:
                    return _set_aside(outcomes, current, reason)
                return while_reading(reason) if reading else None
            if message is None:
                if not busy:
                    continue
                reason = self.overdue(deadline, settings)
                if reason is None:
                    continue
                return _set_aside(outcomes, current, reason) if current is not None else while_reading(reason)
            kind = message[0]
            if kind == "reading":
                outcomes.extend(message[1])
                current, reading = None, True
                deadline = time.monotonic() + settings.page_timeout
            elif kind == "start":
                _, index, page_id, rev_id, title, pending = message
                outcomes.extend(pending)
                current, reading = (index, page_id, rev_id, title), False
                deadline = time.monotonic() + settings.page_timeout
            elif kind == "memory":
                self._reap()
                reason = f"used more than {settings.max_memory} MB"
                return _set_aside(outcomes, current, reason) if current is not None else while_reading(reason)
            elif kind == "done":
                _, pending, xml_bytes, digest, reused, peak, cpu = message
                outcomes.extend(pending)
                return PartitionResult(outcomes, xml_bytes, digest, reused, None, peak, cpu)
            else:  # "error": the partition's data is broken
                _, error, pending, xml_bytes = message
                outcomes.extend(pending)
                return PartitionResult(outcomes, xml_bytes, error=error)

    def overdue(self, deadline: float, settings: DumpSettings) -> str | None:
        """Past ``deadline`` or over the memory limit: the child is killed and this says why."""
        if time.monotonic() >= deadline:
            reason = f"took longer than {settings.page_timeout:g} s"
        elif _rss_mb(self.process) > settings.max_memory:
            reason = f"used more than {settings.max_memory} MB"
        else:
            return None
        self._kill()
        return reason

    # -- the child process ---------------------------------------------------------------------
    def _start(self) -> None:
        if self.process is not None:
            return
        env = dict(os.environ)
        package_root = str(Path(__file__).resolve().parents[2])  # the wikitools this process runs
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
        try:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    "import sys; from wikitools.dump.worker import main; sys.exit(main())",
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=env,
            )
        except OSError as error:
            raise WorkerError(f"cannot start a worker process ({error})") from None
        self._buffer.clear()

    def _send(self, message: Any) -> None:
        assert self.process is not None and self.process.stdin is not None
        with contextlib.suppress(BrokenPipeError):  # it died; _receive notices
            write_frame(self.process.stdin, message)

    def _receive(self, timeout: float) -> Any:
        """The next message, ``None`` after ``timeout`` seconds without one, or ``DIED``."""
        assert self.process is not None and self.process.stdout is not None
        fd = self.process.stdout.fileno()
        end = time.monotonic() + max(timeout, 0)
        while True:
            if len(self._buffer) >= _LENGTH.size:
                (size,) = _LENGTH.unpack_from(self._buffer)
                if len(self._buffer) >= _LENGTH.size + size:
                    data = bytes(self._buffer[_LENGTH.size : _LENGTH.size + size])
                    del self._buffer[: _LENGTH.size + size]
                    return pickle.loads(data)
            left = end - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                return None
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return DIED
            self._buffer += chunk

    def _kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self._reap()

    def _reap(self) -> int:
        assert self.process is not None
        process, self.process = self.process, None
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                with contextlib.suppress(BrokenPipeError):
                    stream.close()
        return process.wait()

    def close(self) -> None:
        """End the child: it finishes reading its input and exits."""
        if self.process is not None:
            self._reap()


DIED = object()


def while_reading(reason: str) -> str:
    """A page's reason to be set aside, said of reading: ``reading took longer than 5 s``."""
    return f"{reason} while reading" if reason.startswith("the worker") else f"reading {reason}"


def _set_aside(outcomes: list[PageOutcome], current: tuple[int, int, int | None, str], reason: str) -> int:
    index, page_id, rev_id, title = current
    outcomes.append(PageOutcome(page_id, rev_id, title, set_aside=reason))
    return index


def death(code: int) -> str:
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"the worker died ({name})"
    return f"the worker exited with status {code}"


def _rss_mb(process: subprocess.Popen[bytes] | None) -> float:
    """The child's resident memory now (0 where that cannot be read)."""
    return (status_mb(process.pid, "VmRSS") or 0.0) if process is not None else 0.0
