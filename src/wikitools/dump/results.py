"""What linting a partition produces: one outcome per page, findings or the reason it was set aside."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from ..lint.config import LintOptions
from .lintpage import DumpFinding


@dataclass(frozen=True)
class DumpSettings:
    """How a dump is linted; the same object reaches every worker, local or on a Dask cluster.

    ``page_timeout`` (seconds) and ``max_memory`` (MB per worker) bound each page; ``cache`` is the
    SQLite file workers read cached findings from (see :mod:`.cache`), ``fingerprint`` the digest of
    the rules and settings that decides whether they still hold."""

    options: LintOptions = field(default_factory=LintOptions)
    namespaces: Collection[int] | None = None
    page_timeout: float = 5.0
    max_memory: int = 1024
    cache: str | None = None
    fingerprint: str = ""


@dataclass(frozen=True)
class PageOutcome:
    """One page's result. ``set_aside`` is the reason a page was not linted (too slow, too big, its
    worker died); ``key`` the page's content digest; ``linted`` is false when the findings came from
    the cache."""

    page_id: int
    rev_id: int | None
    title: str
    findings: tuple[DumpFinding, ...] = ()
    set_aside: str | None = None
    key: str | None = None
    linted: bool = True


@dataclass
class PartitionResult:
    """The outcomes of one partition in reading order, the XML bytes read, and the partition digest
    (``reused``: the whole partition came from the cache). ``error`` ends a partition whose data is
    broken; the pages before the break are kept; ``set_aside`` likewise, when reading it hung or grew
    too big. ``peak_memory`` is the peak resident memory of the
    worker process that ran it, as of the end of the partition."""

    pages: list[PageOutcome]
    xml_bytes: int = 0
    digest: str | None = None
    reused: bool = False
    error: str | None = None
    peak_memory: float = 0.0  # MB: the worker process's peak so far
    cpu_seconds: float = 0.0  # the worker's CPU time on this partition (the last attempt's)
    set_aside: str | None = None  # why the rest of the partition was not read (after ``pages``)
    where: str = ""  # the partition, said for a person, when it was set aside
