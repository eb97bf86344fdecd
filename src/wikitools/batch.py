"""Converting many articles in one call: files and folders in, a mirrored tree of outputs out.

The library behind ``wikitools convert PATH... -d OUTDIR``::

    from wikitools.batch import Outcome, convert_paths
    for result in convert_paths(["articles"], target_format="wikitext", out_dir="wiki"):
        if result.outcome is Outcome.FAILED:
            print(result.error)

Every file is converted by :func:`wikitools.convert.convert_file`, exactly as it would be alone, so a
batch output is byte for byte the single-file output. Folders are walked as ``lint`` walks them (sorted,
hidden entries skipped) for the extensions of the formats being converted; an output keeps its input's
place below the folder. A wikitext output is named by its page title as pull names files (a folder per
namespace, ``Help:Contents`` -> ``Help/Contents.wiki``; see :class:`~wikitools.titles.Layout`), so the
title survives and a converted folder can be pushed as it is; other outputs keep the input's
name with the target's extension. Results come one per input, in input order, whatever ``jobs`` is.

Nothing is written for an input that fails, an existing output is replaced only when asked
(``overwrite``), an output that already holds the converted bytes is left untouched, and every write
is atomic.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from .convert import (
    COMPRESSION_SUFFIXES,
    DEFAULT_TARGET,
    EXTENSIONS,
    FORMATS,
    Conversion,
    convert_file,
    format_of,
    read_article,
)
from .errors import InputError, WikitoolsError
from .fileio import IS_A_DIRECTORY, NO_SUCH_FILE, atomic_write, read_text, walk_files
from .markup import BUILTIN, Markup
from .titles import Layout, title_of_file

#: Files sent to a worker process at a time, and chunks in flight per process: enough to keep the
#: workers busy while the parent writes, few enough that memory does not grow with the folder.
_CHUNK_FILES = 4
_CHUNKS_IN_FLIGHT = 3
#: Converted outputs waiting for the writer thread, at most.
_WRITES_IN_FLIGHT = 8


class Outcome(Enum):
    """What became of one input's output. Without writing (``write=False``), ``CREATED`` and
    ``UPDATED`` say what writing would do."""

    CREATED = "created"  # the output did not exist
    UPDATED = "updated"  # the output held other bytes, and may be replaced
    UNCHANGED = "unchanged"  # the output already holds the converted bytes
    REFUSED = "refused"  # the output holds other bytes and overwriting was not allowed
    FAILED = "failed"  # the input could not be converted or its output written: see ``error``

    @property
    def changes(self) -> bool:
        """Whether the output is (or would be) written."""
        return self in (Outcome.CREATED, Outcome.UPDATED)


@dataclass(frozen=True)
class FileResult:
    """One input: where its output goes (``None`` when that could not be decided) and what happened."""

    source: Path
    output: Path | None
    outcome: Outcome
    error: WikitoolsError | None = None


@dataclass(frozen=True)
class Job:
    """One input file and the folder its output goes to (named after the page, or the input)."""

    source: Path
    folder: Path


@dataclass(frozen=True)
class Options:
    """How to convert every input: formats (``None``: from each file's extension, and each source
    format's default target) and the options of :class:`~wikitools.convert.Conversion`."""

    source_format: str | None = None
    target_format: str | None = None
    title: str | None = None
    known_titles: tuple[str, ...] = ()
    edit_suffix: bool = False
    #: Namespace and interwiki names: the built-in ones, or a wiki's (``BUILTIN.with_siteinfo(reply)``).
    markup: Markup = field(default=BUILTIN, compare=False)

    def __post_init__(self) -> None:
        for given in (self.source_format, self.target_format):
            if given is not None:
                format_of("", given)  # InputError naming the formats there are

    def conversion(self, path: Path) -> Conversion:
        """The conversion of the file at ``path``; :class:`InputError` when its format is unknown."""
        source = format_of(path, self.source_format)
        target = format_of(path, self.target_format or DEFAULT_TARGET[source])
        return Conversion(source, target, self.title, self.known_titles, self.edit_suffix, markup=self.markup)

    def suffixes(self) -> tuple[str, ...]:
        """The file name endings a folder walk picks: the source format's, or, without one, every
        format's except the target's (a folder of wikitext asked for wikitext has nothing to do)."""
        everything_else = [f for f in FORMATS if f != self.target_format]
        wanted = [self.source_format] if self.source_format else everything_else
        found = [ext for ext, fmt in EXTENSIONS.items() if fmt in wanted]
        if "xml" in wanted:
            found += [".xml" + compressed for compressed in COMPRESSION_SUFFIXES]
        return tuple(found)


def find_jobs(paths: Iterable[str | Path], options: Options, out_dir: str | Path | None = None) -> list[Job]:
    """The inputs ``paths`` name, in order: files as given, folders walked for :meth:`Options.suffixes`.

    An output goes to ``out_dir`` (below it, at the place the file has below the folder given), or
    without ``out_dir`` next to its input. ``out_dir`` itself is not walked when it lies in a folder.
    """
    target = None if out_dir is None else Path(out_dir)
    skip = None if target is None else target.resolve()
    jobs: list[Job] = []
    for given in map(Path, paths):
        if not given.is_dir():
            jobs.append(Job(given, given.parent if target is None else target))
            continue
        for found in walk_files(given, options.suffixes()):
            if skip is not None and skip in found.resolve().parents:
                continue
            below = found.parent.relative_to(given)
            jobs.append(Job(found, found.parent if target is None else target / below))
    return jobs


def convert_paths(
    paths: Iterable[str | Path],
    options: Options | None = None,
    *,
    out_dir: str | Path | None = None,
    overwrite: bool = False,
    write: bool = True,
    processes: int = 1,
) -> Iterator[FileResult]:
    """Convert every file ``paths`` name (folders walked), yielding one result per file in order.

    See :func:`find_jobs` for where outputs go and :func:`convert_jobs` for the rest.
    """
    options = options or Options()
    jobs = find_jobs(paths, options, out_dir)
    yield from convert_jobs(jobs, options, overwrite=overwrite, write=write, processes=processes)


def convert_jobs(
    jobs: Sequence[Job], options: Options, *, overwrite: bool = False, write: bool = True, processes: int = 1
) -> Iterator[FileResult]:
    """Convert each job's input, yielding its result in order; ``processes`` > 1 converts in that
    many worker processes (the outputs are the same).

    ``write=False`` only compares: nothing is written and the results say what writing would do. An
    output that would be another job's output (ignoring case), or one of the inputs, is a failure.
    Outputs are compared and written by one thread while the next inputs convert (each atomic write
    waits for its fsync); a result comes once its output is settled.
    """
    from concurrent.futures import Future, ThreadPoolExecutor  # here: a single-file convert needs none

    outputs = _Outputs(jobs, options)
    with ThreadPoolExecutor(1, thread_name_prefix="wikitools-write") as writer:
        pending: deque[Future[FileResult]] = deque()
        for job, (data, title, error) in zip(jobs, _convert_all(jobs, options, processes), strict=True):
            failed = None if error is None else FileResult(job.source, None, Outcome.FAILED, error)
            placed = failed or outputs.place(job, title)
            if isinstance(placed, FileResult):
                pending.append(Future())
                pending[-1].set_result(placed)
            else:
                pending.append(writer.submit(_settle, job.source, placed, data, overwrite, write))
            while pending and (pending[0].done() or len(pending) > _WRITES_IN_FLIGHT):
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


class _Outputs:
    """The outputs of one run, named in input order: a wikitext output by its page title, in its
    namespace's folder (a title met twice in a folder gets ``~2``), any other by its input's name
    with the target's extension.
    An output that is an input of the run, or another input's output already, is a failure."""

    def __init__(self, jobs: Sequence[Job], options: Options) -> None:
        self.options = options
        self.inputs = {_key(job.source) for job in jobs}
        self.claimed: dict[str, Path] = {}  # output key -> the input whose output it is
        self.taken: dict[Path, set[str]] = {}  # folder -> page paths (below it) given out in this run
        self.layout = Layout()

    def place(self, job: Job, title: str | None) -> Path | FileResult:
        output = self._path(job, title)
        key = _key(output)
        if key in self.inputs:
            return _failed(
                job, output, "would overwrite an input of this run", "choose another output folder"
            )
        if key in self.claimed:
            return _failed(
                job, output, f"is also the output of {self.claimed[key]}", "convert them separately"
            )
        self.claimed[key] = job.source
        return output

    def _path(self, job: Job, title: str | None) -> Path:
        if title is not None:
            names = self.taken.setdefault(job.folder, set())
            name = self.layout.path_for(title, taken=names)
            names.add(name)
            return job.folder / name
        target = self.options.conversion(job.source).target_format
        stem = job.source.name
        for compressed in COMPRESSION_SUFFIXES:
            stem = stem.removesuffix(compressed)
        extension = next(ext for ext, fmt in EXTENSIONS.items() if fmt == target)
        return job.folder / (Path(stem).stem + extension)


def _key(path: Path) -> str:
    """A path's identity for collisions: absolute and case-folded (case-insensitive file systems)."""
    return os.path.abspath(path).casefold()


def _failed(job: Job, output: Path, message: str, hint: str) -> FileResult:
    return FileResult(job.source, output, Outcome.FAILED, InputError(message, subject=output, hint=hint))


def _settle(source: Path, output: Path, data: bytes, overwrite: bool, write: bool) -> FileResult:
    """Compare ``data`` with what ``output`` holds, and write it when that is allowed and changes it."""
    try:
        existing = _differs(output, data)
        if existing is False:
            return FileResult(source, output, Outcome.UNCHANGED)
        outcome = Outcome.CREATED if existing is None else Outcome.UPDATED
        if not write:
            return FileResult(source, output, outcome)
        if outcome is Outcome.UPDATED and not overwrite:
            return FileResult(source, output, Outcome.REFUSED)
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(exc.strerror or "cannot create the folder", subject=output.parent) from None
        atomic_write(output, data)
    except InputError as error:
        return FileResult(source, output, Outcome.FAILED, error)
    return FileResult(source, output, outcome)


def _differs(output: Path, data: bytes) -> bool | None:
    """Whether ``output`` holds bytes other than ``data``; ``None`` when it does not exist. Reads the
    file only when its size matches, so a huge file in the way costs nothing."""
    try:
        if output.is_dir():
            raise InputError(IS_A_DIRECTORY, subject=output, hint="choose another output folder")
        if output.stat().st_size != len(data):
            return True
        return output.read_bytes() != data
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InputError(exc.strerror or "cannot be read", subject=output) from None


_Converted = tuple[bytes | None, str | None, WikitoolsError | None]


def _convert_one(job: Job, options: Options) -> _Converted:
    """The converted bytes of one input and, when the output is named by its page, the page title."""
    try:
        if not job.source.exists():
            raise InputError(NO_SUCH_FILE, subject=job.source)
        if job.source.is_dir():
            raise InputError(IS_A_DIRECTORY, subject=job.source)
        how = options.conversion(job.source)
        data = convert_file(job.source, how)
        return data, _page_title(job.source, how) if how.target_format == "wikitext" else None, None
    except WikitoolsError as error:
        error.subject = error.subject or str(job.source)
        return None, None, error


def _page_title(path: Path, how: Conversion) -> str:
    """The title a wikitext output is named by: ``how.title``, else the page's own title (text, JSON,
    XML), else the wikitext file's name, as :func:`convert_file` titles the page."""
    if how.title:
        return how.title
    if how.source_format == "xml":
        from .formats.xml_read import read_single_page  # lxml: only for XML inputs

        return read_single_page(path).title
    if how.source_format == "wikitext":
        return title_of_file(path)
    return read_article(read_text(path), how.source_format, None).title or title_of_file(path)


def _convert_chunk(chunk: list[Job], options: Options) -> list[_Converted]:
    """What a worker process does: convert a few inputs."""
    return [_convert_one(job, options) for job in chunk]


def _convert_all(jobs: Sequence[Job], options: Options, processes: int) -> Iterator[_Converted]:
    """Each job converted, in order: here, or in ``processes`` worker processes with a bounded
    number of chunks in flight."""
    if processes <= 1 or len(jobs) <= _CHUNK_FILES:
        for job in jobs:
            yield _convert_one(job, options)
        return
    import multiprocessing  # here, not at the top: ~10 ms that a one-process run does not pay
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context(method)) as pool:
        pending: deque = deque()
        for start in range(0, len(jobs), _CHUNK_FILES):
            pending.append(pool.submit(_convert_chunk, list(jobs[start : start + _CHUNK_FILES]), options))
            if len(pending) >= processes * _CHUNKS_IN_FLIGHT:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
