"""A whole dump lint as one library call: plan partitions, run them on an engine, put the results
back in dump order, write them, keep the cache and the figures. It prints and exits nothing."""

from __future__ import annotations

import functools
import time
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TextIO

from ..lint.config import LintOptions
from ..lint.finding import Severity
from .cache import DumpCache
from .engines import DaskEngine, Engine, LocalEngine
from .filereader import read_batches
from .lintpage import fingerprint
from .output import outcome_lines, partition_line
from .partitions import plan
from .results import DumpSettings, PageOutcome, PartitionResult


@dataclass(frozen=True)
class Progress:
    """Where a run is: partitions done (of ``total`` when known), pages and seconds so far."""

    done: int
    total: int | None
    pages: int
    seconds: float


@dataclass
class DumpSummary:
    """What a dump lint did and found."""

    partitions: int = 0
    pages: int = 0
    linted: int = 0
    from_cache: int = 0
    xml_bytes: int = 0
    seconds: float = 0.0
    peak_memory: float = 0.0  # MB, the largest peak of any worker process
    cpu_seconds: float = (
        0.0  # worker CPU time: MB per CPU second is the one-core rate however busy the machine
    )
    findings: Counter[str] = field(default_factory=Counter)
    worst: Severity | None = None
    set_aside: list[PageOutcome] = field(default_factory=list)
    partitions_set_aside: list[str] = field(default_factory=list)  # "<partition>: <reason>"
    errors: list[str] = field(default_factory=list)

    def add(self, result: PartitionResult) -> None:
        self.partitions += 1
        self.xml_bytes += result.xml_bytes
        self.peak_memory = max(self.peak_memory, result.peak_memory)
        self.cpu_seconds += result.cpu_seconds
        if result.error is not None:
            self.errors.append(result.error)
        if result.set_aside is not None:
            self.partitions_set_aside.append(f"{result.where}: {result.set_aside}")
        for outcome in result.pages:
            self.pages += 1
            if outcome.set_aside is not None:
                self.set_aside.append(outcome)
                continue
            if outcome.linted:
                self.linted += 1
            else:
                self.from_cache += 1
            for finding in outcome.findings:
                self.findings[finding.rule] += 1
                severity = Severity.parse(finding.severity)
                if self.worst is None or severity > self.worst:
                    self.worst = severity

    def lines(self) -> list[str]:
        """The summary a person reads at the end of a run."""
        seconds = max(self.seconds, 1e-9)
        cached = f" ({self.from_cache:,} from the cache)" if self.from_cache else ""
        lines = [
            f"{self.pages:,} pages{cached} in {self.partitions:,} {_plural(self.partitions, 'partition')}, "
            f"{self.xml_bytes / 1e6:,.1f} MB of XML in {self.seconds:.1f} s: "
            f"{self.pages / seconds:,.0f} pages/s, {self.xml_bytes / 1e6 / seconds:,.1f} MB/s; "
            f"{self.cpu_seconds:,.1f} s of worker CPU; worker peak memory {self.peak_memory:,.0f} MB"
        ]
        total = sum(self.findings.values())
        per_rule = ", ".join(f"{rule} {count:,}" for rule, count in sorted(self.findings.items()))
        lines.append(f"{total:,} findings" + (f": {per_rule}" if per_rule else ""))
        if self.set_aside:
            lines.append(f"{len(self.set_aside):,} {_plural(len(self.set_aside), 'page')} set aside:")
            lines += [
                f"  page {o.page_id} (revision {o.rev_id}) {o.title!r}: {o.set_aside}" for o in self.set_aside
            ]
        if self.partitions_set_aside:
            count = len(self.partitions_set_aside)
            lines.append(f"{count:,} {_plural(count, 'partition')} set aside (the pages after those listed):")
            lines += [f"  {entry}" for entry in self.partitions_set_aside]
        return lines


def lint_dump(
    paths: Sequence[str | Path],
    out: TextIO,
    *,
    options: LintOptions | None = None,
    output_format: str = "jsonl",
    jobs: int = 1,
    scheduler: str | None = None,
    index: str | Path | None = None,
    namespaces: Collection[int] | None = None,
    page_timeout: float = 5.0,
    max_memory: int = 1024,
    cache: str | Path | None = None,
    on_progress: Callable[[Progress], None] | None = None,
) -> DumpSummary:
    """Lint every page of the dumps ``paths`` and write the findings to ``out`` ordered by partition
    (dump order) and page id, whatever the number of workers.

    ``jobs`` local worker processes, or the Dask cluster at ``scheduler``; ``cache`` a folder whose
    SQLite file lets a killed run resume and a later run re-lint only changed pages."""
    started = time.monotonic()
    options = options or LintOptions()
    settings = DumpSettings(
        options,
        frozenset(namespaces) if namespaces else None,
        page_timeout,
        max_memory,
        None,
        fingerprint(options),
    )
    store = DumpCache(cache, settings.fingerprint) if cache is not None else None
    if store is not None:
        settings = replace(settings, cache=str(store.path))
    engine: Engine = DaskEngine(scheduler) if scheduler else LocalEngine(jobs)
    summary = DumpSummary()
    try:
        work = plan(
            paths,
            index=index,
            workers=engine.workers,
            batches=functools.partial(read_batches, settings=settings),
        )
        waiting: dict[int, PartitionResult] = {}
        next_position = 0
        for position, result in engine.run(work.partitions, settings):
            if store is not None:
                store.store(result)
            summary.add(result)
            waiting[position] = result
            while next_position in waiting:
                done = waiting.pop(next_position)
                for outcome in sorted(done.pages, key=_page_order):
                    out.writelines(outcome_lines(outcome, output_format))
                if done.set_aside is not None:
                    out.write(partition_line(done.where, done.set_aside, output_format))
                next_position += 1
            if on_progress is not None:
                on_progress(
                    Progress(summary.partitions, work.total, summary.pages, time.monotonic() - started)
                )
    finally:
        engine.close()
        if store is not None:
            store.close()
    summary.seconds = time.monotonic() - started
    return summary


def _plural(count: int, word: str) -> str:
    return word if count == 1 else f"{word}s"


def _page_order(outcome: PageOutcome) -> int:
    return outcome.page_id
