"""Linting whole dumps: partitions, engines (local processes, Dask), a per-page watchdog, a cache.

The pieces, for use outside the command line (a Dask bag, Spark ``mapPartitions``)::

    from wikitools import dump
    for partition in dump.partitions(["enwiki-…-pages-articles-multistream.xml.bz2"]):
        for page in dump.read_pages(partition):
            for finding in dump.lint_page(page):
                ...

:func:`lint_dump` is the whole ``wikitools lint DUMP`` run.
"""

from __future__ import annotations

from .lintpage import DumpFinding, fingerprint, lint_page
from .partitions import DumpPage, DumpPageWarning, Partition, partitions, plan, read_pages
from .results import DumpSettings, PageOutcome, PartitionResult
from .run import DumpSummary, Progress, lint_dump

__all__ = [
    "DumpFinding",
    "DumpPage",
    "DumpPageWarning",
    "DumpSettings",
    "DumpSummary",
    "PageOutcome",
    "Partition",
    "PartitionResult",
    "Progress",
    "fingerprint",
    "lint_dump",
    "lint_page",
    "partitions",
    "plan",
    "read_pages",
]
