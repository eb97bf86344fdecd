"""Where partitions run: local worker processes, or tasks on a Dask distributed cluster.

Both take the partitions as an iterator (batches of a big single file are read as they are needed),
keep a bounded number in flight, and yield ``(position, result)`` as partitions finish; putting the
results back in dump order is the caller's business. Every partition runs under a
:class:`~.watchdog.GuardedWorker`, locally or inside the Dask worker, so the per-page watchdog is the
same everywhere.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any, Protocol

from ..errors import InputError, WikitoolsError
from .partitions import Partition
from .results import DumpSettings, PartitionResult
from .watchdog import GuardedWorker

IN_FLIGHT_PER_WORKER = 3


class Engine(Protocol):
    workers: int

    def run(
        self, partitions: Iterable[Partition], settings: DumpSettings
    ) -> Iterator[tuple[int, PartitionResult]]: ...

    def close(self) -> None: ...


class LocalEngine:
    """``jobs`` worker processes on this machine, each supervised by a thread of this process."""

    def __init__(self, jobs: int) -> None:
        self.workers = jobs
        self._idle: queue.Queue[GuardedWorker] = queue.Queue()
        self._all = [GuardedWorker() for _ in range(jobs)]
        for worker in self._all:
            self._idle.put(worker)

    def _one(self, partition: Partition, settings: DumpSettings) -> PartitionResult:
        worker = self._idle.get()
        try:
            return worker.run(partition, settings)
        finally:
            self._idle.put(worker)

    def run(
        self, partitions: Iterable[Partition], settings: DumpSettings
    ) -> Iterator[tuple[int, PartitionResult]]:
        with ThreadPoolExecutor(self.workers, thread_name_prefix="wikitools-dump") as pool:
            yield from _windowed(
                partitions, lambda p: pool.submit(self._one, p, settings), self.workers, _future_result
            )

    def close(self) -> None:
        for worker in self._all:
            worker.close()


def _future_result(future: Future[PartitionResult]) -> PartitionResult:
    return future.result()


def _windowed(
    partitions: Iterable[Partition], submit: Any, workers: int, result_of: Any
) -> Iterator[tuple[int, PartitionResult]]:
    """Submit partitions keeping ``IN_FLIGHT_PER_WORKER`` per worker in flight; yield as they end."""
    pending: dict[Any, int] = {}
    feed = enumerate(partitions)
    limit = max(2, workers * IN_FLIGHT_PER_WORKER)
    try:
        for position, partition in feed:
            pending[submit(partition)] = position
            if len(pending) >= limit:
                break
        while pending:
            done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
            for future in done:
                yield pending.pop(future), result_of(future)
                for position, partition in feed:
                    pending[submit(partition)] = position
                    break
    finally:
        for future in pending:
            future.cancel()


class DaskEngine:
    """Partitions as tasks on a Dask distributed scheduler (``pip install wikitools[dask]``).

    The workers read their byte ranges from the dump's path, so it (and a ``--cache``) must be on a
    file system they all see under the same name."""

    def __init__(self, address: str) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise InputError(
                "the Dask scheduler needs the distributed package", hint="pip install 'wikitools[dask]'"
            ) from None
        try:
            # how long to try connecting is Dask's own setting, distributed.comm.timeouts.connect
            self.client = Client(address, set_as_default=False)
        except (OSError, TimeoutError) as error:
            raise InputError(
                f"cannot reach the Dask scheduler ({error})",
                subject=address,
                hint="is `dask scheduler` running?",
            ) from None
        self.workers = max(1, sum(self.client.nthreads().values()))

    def run(
        self, partitions: Iterable[Partition], settings: DumpSettings
    ) -> Iterator[tuple[int, PartitionResult]]:
        from distributed import as_completed

        tasks = as_completed(loop=self.client.loop)
        positions: dict[str, int] = {}
        window = max(2, self.workers * IN_FLIGHT_PER_WORKER)
        feed = enumerate(partitions)

        def submit() -> bool:
            for position, partition in feed:
                future = self.client.submit(run_partition, partition, settings, pure=False)
                positions[future.key] = position
                tasks.add(future)
                return True
            return False

        while len(positions) < window and submit():
            pass
        for future in tasks:
            position = positions.pop(future.key)
            try:
                result = future.result()
            except WikitoolsError:
                raise
            except Exception as error:  # a task lost with its workers, or a worker-side failure
                raise InputError(f"a Dask task failed ({type(error).__name__}: {error})") from None
            submit()
            yield position, result

    def close(self) -> None:
        self.client.close()


_local = threading.local()


def run_partition(partition: Partition, settings: DumpSettings) -> PartitionResult:
    """A Dask task: lint one partition under this worker thread's own guarded child process."""
    worker = getattr(_local, "worker", None)
    if worker is None:
        worker = _local.worker = GuardedWorker()
    return worker.run(partition, settings)
