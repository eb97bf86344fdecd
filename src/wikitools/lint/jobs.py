"""Running page jobs, in this process or in N worker processes, with results in input order."""

from __future__ import annotations

import codecs
import contextlib
import functools
import os
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import replace

from ..errors import InputError
from ..fileio import STDIO, atomic_write
from .config import LintOptions
from .engine import LintResult, PageInput, lint_input
from .fixes import fix_text, unified_diff
from .inputs import FailedInput, FileJob, Job, Source, XmlFile, expand, page_from_file

_BATCH_BYTES = 1 << 20
_BATCH_PAGES = 64
#: With ``processes=None``, inputs smaller than this are linted in this process: starting a pool (a fork
#: per worker) and sending the results back cost more than a second core saves on a few pages (lint
#: reads about 8 MB a second on one core).
POOL_MIN_BYTES = 1 << 20


def usable_cores() -> int:
    """The cores this process may run on: its CPU affinity where the system tells it (a container or
    ``taskset`` may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_job(job: Job, options: LintOptions) -> LintResult:
    """Read (if needed), lint and, with ``options.fix``/``options.diff``, fix one page."""
    if isinstance(job, FailedInput):
        return LintResult(job.path, "", error=job.message)
    if isinstance(job, FileJob):
        try:
            page = page_from_file(job.path, job.title)
        except InputError as error:
            shown = "<stdin>" if job.path == STDIO else job.path
            return LintResult(shown, job.title or "", error=str(error))
    else:
        page = job
    if (options.fix or options.diff) and page.fix_path is not None and page.redirect_to is None:
        try:
            return _fix_page(page, options)
        except InputError as error:  # the fixed file could not be written
            return LintResult(page.path, page.title, error=str(error))
    return lint_input(page, options)


def _fix_page(page: PageInput, options: LintOptions) -> LintResult:
    """Fix a page round by round; each distinct text is linted once, and the result reported is the
    one of the text that stays (the fixed text, or with ``--diff`` the original)."""
    linted: dict[str, LintResult] = {}

    def result_of(text: str) -> LintResult:
        if text not in linted:
            linted[text] = lint_input(replace(page, text=text), options)
        return linted[text]

    fixed_text, applied = fix_text(page.text, lambda text: result_of(text).findings)
    if options.diff:
        result = result_of(page.text)
        if fixed_text != page.text:
            result.diff = unified_diff(page.path, page.text, fixed_text)
    else:
        if fixed_text != page.text:
            assert page.fix_path is not None
            write_fixed(page.fix_path, fixed_text)
        result = result_of(fixed_text)
    result.fixed = applied
    return result


def write_fixed(path: str, text: str) -> None:
    """Replace the file at ``path`` with ``text`` atomically, through a symbolic link to the file it
    names (the link stays a link) and keeping a UTF-8 byte order mark the file started with."""
    target = os.path.realpath(path) if os.path.islink(path) else path
    with contextlib.suppress(OSError), open(target, "rb") as handle:
        if handle.read(3) == codecs.BOM_UTF8:
            text = "\ufeff" + text
    atomic_write(target, text)


def _run_batch(batch: list[Job | XmlFile], options: LintOptions) -> list[LintResult]:
    """What a worker does: every job of the batch; a whole XML file is read and linted here too."""
    results: list[LintResult] = []
    for job in batch:
        if isinstance(job, XmlFile):
            results.extend(run_job(page, options) for page in expand([job], verify=options.verify_xml))
        else:
            results.append(run_job(job, options))
    return results


def _batches(jobs: Iterable[Job | XmlFile]) -> Iterator[list[Job | XmlFile]]:
    batch: list[Job | XmlFile] = []
    size = 0
    for job in jobs:
        batch.append(job)
        size += _BATCH_BYTES if isinstance(job, XmlFile) else _size(job)  # an XML file: a batch of its own
        if size >= _BATCH_BYTES or len(batch) >= _BATCH_PAGES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def run(sources: Iterable[Source], options: LintOptions, processes: int | None = 1) -> Iterator[LintResult]:
    """Lint every source, yielding one result per page in input order whatever ``processes`` is.

    ``processes=None`` uses every usable core when the sources hold at least :data:`POOL_MIN_BYTES`
    (file sizes), else this process alone.

    With several processes, XML files are handed whole to the workers when there are at least as many
    as processes (biggest first; the parent only collects results, which hold findings, not texts).
    Otherwise the parent reads the sources and sends their pages in batches with a bounded number in
    flight. Either way memory stays flat however many pages an XML file holds.
    """
    if processes is None:
        sources = list(sources)
        processes = usable_cores() if _holds_at_least(sources, POOL_MIN_BYTES) else 1
    if processes <= 1:
        for job in expand(sources, verify=options.verify_xml):
            yield run_job(job, options)
        return
    import multiprocessing  # here: a lint in one process (one page, an editor's save) does without it

    sources = list(sources)
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with multiprocessing.get_context(method).Pool(processes) as pool:
        worker = functools.partial(_run_batch, options=options)
        if sum(isinstance(s, XmlFile) for s in sources) >= processes:
            # Whole files: start the biggest first so no big file runs alone at the end; the results
            # (findings, not texts) wait for their turn.
            batches = list(_batches(sources))
            handles: list = [None] * len(batches)
            for index in sorted(range(len(batches)), key=lambda i: -_cost(batches[i])):
                handles[index] = pool.apply_async(worker, (batches[index],))
            for handle in handles:
                yield from handle.get()
            return
        pending: deque = deque()
        for batch in _batches(expand(sources, verify=options.verify_xml)):
            pending.append(pool.apply_async(worker, (batch,)))
            if len(pending) >= processes * 2:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def _cost(batch: list[Job | XmlFile]) -> int:
    """A batch's expected work: bytes to read."""
    return sum(_size(job) for job in batch)


def _holds_at_least(sources: list[Source], size: int) -> bool:
    """Whether the sources hold ``size`` bytes or more (stops counting there: a folder of many files)."""
    total = 0
    for source in sources:
        total += _size(source)
        if total >= size:
            return True
    return False


def _size(source: Source) -> int:
    if isinstance(source, PageInput):
        return len(source.text)
    if isinstance(source, XmlFile | FileJob) and source.path != STDIO:
        with contextlib.suppress(OSError):
            return os.path.getsize(source.path)
    return 0
