"""Linting pages: a pure :func:`lint_page`, the file/XML/stdin inputs around it, parallel runs, fixes
and link-target checks.

The flow is one way: inputs become :class:`PageInput` objects (wikitext plus where its lines came
from), :func:`lint_page` scans each once and runs every selected rule over the shared
:class:`~wikitools.lint.scan.PageScan`, and :func:`check_targets` adds the findings that need a wiki
or a title list once every page's links are known. :func:`run` does all of it, in N processes when
asked, yielding results in input order.
"""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
import os
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import InputError, WikitoolsError
from ..fileio import STDIO, atomic_write, read_text
from ..formats.xml_common import redirect_target
from ..titles import WIKITEXT_SUFFIXES, filename_to_title, normalize_title
from .config import Selection
from .finding import Finding, Severity
from .fixes import fix_text, unified_diff
from .registry import LinkUse, PageContext, Rule, TargetInfo, TargetRule, all_rules
from .rules.appendix import see_also_spans
from .scan import PageScan

TEXT_SUFFIXES = (".txt",)
XML_SUFFIXES = (".xml", ".xml.bz2", ".xml.gz", ".xml.xz")
LINTABLE_SUFFIXES = (*WIKITEXT_SUFFIXES, *TEXT_SUFFIXES, *XML_SUFFIXES)
_DIRECTIVE = re.compile(r"<!--\s*wikitools:\s*(disable(?:-next-line|-file)?)\s*=\s*([A-Za-z0-9_,\s]+?)\s*-->")
_BATCH_BYTES = 1 << 20
_BATCH_PAGES = 64


@dataclass(frozen=True)
class LintOptions:
    """What to check and how to report it."""

    selection: Selection = field(default_factory=Selection)
    severities: Mapping[str, Severity] = field(default_factory=dict)
    collect_links: bool = False  # keep each page's links for :func:`check_targets`
    fix: bool = False  # rewrite wikitext files with the safe fixes
    diff: bool = False  # compute the fixes' diff instead of writing


@dataclass(frozen=True)
class PageInput:
    """One page to lint. ``text`` is wikitext; ``source_lines`` maps each wikitext line (0-based) to the
    line of the file the user wrote (1-based) when that file was not wikitext; ``source_text`` is that
    file's text (inline directives are read from it); ``fix_path`` is the file ``--fix`` may rewrite."""

    path: str
    text: str
    title: str
    namespace: int = 0
    source_lines: tuple[int | None, ...] | None = None
    source_text: str | None = None
    fix_path: str | None = None
    redirect_to: str | None = None
    in_archive: bool = False  # one page of an XML file: findings name the page


@dataclass(frozen=True)
class FileJob:
    """A file to read (in the worker, so reading is parallel too)."""

    path: str
    title: str | None = None


@dataclass(frozen=True)
class FailedInput:
    """An input that failed while it was being opened (a broken XML file); reported, not linted."""

    path: str
    message: str


@dataclass(frozen=True)
class XmlFile:
    """A MediaWiki export to lint page by page."""

    path: str


Job = FileJob | PageInput | FailedInput
Source = FileJob | XmlFile | PageInput


@dataclass
class PageResult:
    """What linting one page produced. ``error`` is set (and nothing else) when the input was unusable."""

    path: str
    title: str
    findings: list[Finding] = field(default_factory=list)
    links: list[LinkUse] = field(default_factory=list)
    directives: Directives | None = None
    redirect_to: str | None = None
    in_archive: bool = False
    fixed: int = 0
    diff: str = ""
    error: str | None = None


@dataclass(frozen=True)
class Directives:
    """Inline ``<!-- wikitools: disable=CODE -->`` comments of one page."""

    whole_file: tuple[str, ...] = ()
    by_line: Mapping[int, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def parse(cls, text: str) -> Directives:
        if "wikitools:" not in text:
            return cls()
        whole: list[str] = []
        by_line: dict[int, list[str]] = {}
        for match in _DIRECTIVE.finditer(text):
            codes = [c.strip().upper() for c in match.group(2).replace(",", " ").split() if c.strip()]
            line = text.count("\n", 0, match.start()) + 1
            if match.group(1) == "disable-file":
                whole.extend(codes)
            else:
                target = line + 1 if match.group(1) == "disable-next-line" else line
                by_line.setdefault(target, []).extend(codes)
        return cls(tuple(whole), {line: tuple(codes) for line, codes in by_line.items()})

    def silences(self, code: str, line: int) -> bool:
        codes = (*self.whole_file, *self.by_line.get(line, ()))
        return any(c == "ALL" or code.startswith(c) for c in codes)


# -- one page ------------------------------------------------------------------------------------
def lint_page(page: PageInput, options: LintOptions = LintOptions()) -> PageResult:
    """Lint one page: every selected page rule over one shared scan. Pure: reads and writes nothing."""
    redirect = page.redirect_to or redirect_target(page.text)
    result = PageResult(page.path, page.title, redirect_to=redirect, in_archive=page.in_archive)
    if redirect is not None:
        return result
    scan = PageScan(page.text)
    context = PageContext(scan, page.title, page.namespace, page.source_lines)
    directives = Directives.parse(page.source_text if page.source_text is not None else page.text)
    result.directives = directives
    for rule in _page_rules(options.selection, page.path):
        severity = options.severities.get(rule.code, rule.severity)
        for violation in rule.check(context):
            line, column = _place(context, violation.offset)
            if directives.silences(rule.code, line):
                continue
            fix = violation.fix if page.fix_path is not None else None
            result.findings.append(
                Finding(
                    page.path, line, column, rule.code, severity, violation.message, fix,
                    page.title if page.in_archive else None,
                )
            )  # fmt: skip
    result.findings.sort(key=Finding.sort_key)
    if options.collect_links:
        result.links = _link_uses(context)
    return result


@functools.lru_cache(maxsize=256)
def _rules_for(selection: Selection, path: str | None) -> tuple[Rule, ...]:
    return tuple(r for r in all_rules() if not r.needs_targets and selection.enabled(r.code, path))


def _page_rules(selection: Selection, path: str) -> tuple[Rule, ...]:
    return _rules_for(selection, path if selection.per_path_ignores else None)


def _place(context: PageContext, offset: int) -> tuple[int, int]:
    """1-based (line, column) in the file the user wrote (column 1 when that file was not wikitext)."""
    if context.source_lines is None:
        return context.scan.position(offset)
    return context.line_of(offset), 1


def _link_uses(context: PageContext) -> list[LinkUse]:
    scan = context.scan
    see_also = see_also_spans(scan)
    uses: list[LinkUse] = []
    own = normalize_title(context.title)
    seen = {(own, False), (own, True)}  # self-links are L105's business, not a target to look up
    for link in scan.article_links:
        in_see_also = link.start in see_also
        key = (link.title, in_see_also)
        if key in seen or not link.title:
            continue
        seen.add(key)
        line, column = _place(context, link.start)
        uses.append(LinkUse(link.title, line, column, in_see_also))
    return uses


# -- inputs --------------------------------------------------------------------------------------
def check_paths(paths: Sequence[str]) -> None:
    """Raise :class:`InputError` for a named path that does not exist or cannot be linted, before any
    work starts (files found inside directories are filtered by suffix instead)."""
    for path in paths:
        p = Path(path)
        if path == STDIO or p.is_dir():
            continue
        if not p.exists():
            raise InputError("no such file or directory", subject=path)
        if not _is_xml(p.name) and not p.name.endswith(LINTABLE_SUFFIXES):
            raise InputError(
                "not a file wikitools can lint",
                subject=path,
                hint="lintable: " + ", ".join(LINTABLE_SUFFIXES),
            )


def discover(paths: Sequence[str], *, title: str | None = None) -> Iterator[FileJob | XmlFile]:
    """Files to lint, in a stable order: each path as given, directories walked in sorted order for
    lintable suffixes (hidden entries skipped). Call :func:`check_paths` first."""
    for path in paths:
        if path == STDIO:
            yield FileJob(STDIO, title)
        elif Path(path).is_dir():
            for found in _walk(Path(path)):
                yield XmlFile(str(found)) if _is_xml(found.name) else FileJob(str(found))
        else:
            yield XmlFile(path) if _is_xml(path) else FileJob(path, title)


def _walk(directory: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and name.endswith(LINTABLE_SUFFIXES):
                yield Path(root) / name


def _is_xml(name: str) -> bool:
    return name.lower().endswith(XML_SUFFIXES)


def page_from_file(path: str, title: str | None = None) -> PageInput:
    """Read a ``.wiki``/``.mediawiki`` file (or stdin) as wikitext, or a ``.txt`` file through the
    plain-text reader, keeping the map back to the ``.txt`` lines."""
    text = read_text(path, allow_empty=True)
    shown = "<stdin>" if path == STDIO else path
    page_title = title or _title_of(path)
    if path != STDIO and path.endswith(TEXT_SUFFIXES):
        from ..formats import plaintext, wikitext

        try:
            article = plaintext.read(text)
        except WikitoolsError as error:
            raise InputError(error.message, subject=shown, hint=error.hint) from None
        wiki, lines = wikitext.write_with_lines(article)
        return PageInput(shown, wiki, page_title, source_lines=tuple(lines), source_text=text)
    return PageInput(
        shown, text, page_title, fix_path=None if path == STDIO else path, redirect_to=redirect_target(text)
    )


def _title_of(path: str) -> str:
    if path == STDIO:
        raise InputError("reading stdin needs --title to name the page", subject="<stdin>")
    try:
        return filename_to_title(path)
    except UnicodeDecodeError:
        return normalize_title(Path(path).stem.replace("_", " "))


def pages_from_xml(path: str) -> Iterator[PageInput]:
    """Each wikitext page of an XML export, latest revision."""
    from ..formats.xml_read import iter_pages

    for page in iter_pages(path, latest_only=True, on_warning=lambda _message: None):
        revision = page.latest
        if revision is None or revision.model != "wikitext":
            continue
        yield PageInput(
            path, revision.text, page.title, page.namespace, redirect_to=page.redirect, in_archive=True
        )


def expand(sources: Iterable[Source]) -> Iterator[Job]:
    """Each source as a page job: XML files opened into their pages (a broken file ends in a
    :class:`FailedInput` after its complete pages)."""
    for source in sources:
        if isinstance(source, XmlFile):
            try:
                yield from pages_from_xml(source.path)
            except WikitoolsError as error:
                yield FailedInput(source.path, str(error))
        else:
            yield source


# -- running -------------------------------------------------------------------------------------
def run_job(job: Job, options: LintOptions) -> PageResult:
    """Read (if needed), lint and, with ``options.fix``/``options.diff``, fix one page."""
    if isinstance(job, FailedInput):
        return PageResult(job.path, "", error=job.message)
    if isinstance(job, FileJob):
        try:
            page = page_from_file(job.path, job.title)
        except InputError as error:
            shown = "<stdin>" if job.path == STDIO else job.path
            return PageResult(shown, job.title or "", error=str(error))
    else:
        page = job
    if (options.fix or options.diff) and page.fix_path is not None and page.redirect_to is None:
        try:
            return _fix_page(page, options)
        except InputError as error:  # the fixed file could not be written
            return PageResult(page.path, page.title, error=str(error))
    return lint_page(page, options)


def _fix_page(page: PageInput, options: LintOptions) -> PageResult:
    def findings_of(text: str) -> list[Finding]:
        return lint_page(replace(page, text=text), replace(options, collect_links=False)).findings

    fixed_text, applied = fix_text(page.text, findings_of)
    if options.diff:
        result = lint_page(page, options)
        result.fixed = applied
        if fixed_text != page.text:
            result.diff = unified_diff(page.path, page.text, fixed_text)
        return result
    if fixed_text != page.text:
        assert page.fix_path is not None
        atomic_write(page.fix_path, fixed_text)
    result = lint_page(replace(page, text=fixed_text), options)
    result.fixed = applied
    return result


def _run_batch(batch: list[Job | XmlFile], options: LintOptions) -> list[PageResult]:
    """What a worker does: every job of the batch; a whole XML file is read and linted here too."""
    results: list[PageResult] = []
    for job in batch:
        if isinstance(job, XmlFile):
            results.extend(run_job(page, options) for page in expand([job]))
        else:
            results.append(run_job(job, options))
    return results


def _batches(jobs: Iterable[Job | XmlFile]) -> Iterator[list[Job | XmlFile]]:
    batch: list[Job | XmlFile] = []
    size = 0
    for job in jobs:
        batch.append(job)
        size += (
            len(job.text)
            if isinstance(job, PageInput)
            else _BATCH_BYTES
            if isinstance(job, XmlFile)
            else 4096
        )
        if size >= _BATCH_BYTES or len(batch) >= _BATCH_PAGES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def run(sources: Iterable[Source], options: LintOptions, processes: int = 1) -> Iterator[PageResult]:
    """Lint every source, yielding one result per page in input order whatever ``processes`` is.

    With several processes, XML files are handed whole to the workers when there are at least as many
    as processes (biggest first; the parent only collects results, which hold findings, not texts).
    Otherwise the parent reads the sources and sends their pages in batches with a bounded number in
    flight. Either way memory stays flat however many pages an XML file holds.
    """
    if processes <= 1:
        for job in expand(sources):
            yield run_job(job, options)
        return
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
        for batch in _batches(expand(sources)):
            pending.append(pool.apply_async(worker, (batch,)))
            if len(pending) >= processes * 2:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def _cost(batch: list[Job | XmlFile]) -> int:
    """A batch's expected work: bytes to read."""
    total = 0
    for job in batch:
        if isinstance(job, PageInput):
            total += len(job.text)
        elif isinstance(job, XmlFile | FileJob) and job.path != STDIO:
            with contextlib.suppress(OSError):
                total += os.path.getsize(job.path)
    return total


# -- link targets --------------------------------------------------------------------------------
@dataclass(frozen=True)
class KnownTarget:
    """What an offline title list says about a target: it exists or not; redirects when known."""

    exists: bool
    redirect_to: str | None = None
    disambiguation: bool = False


Resolver = Callable[[Iterable[str]], Mapping[str, TargetInfo]]


def known_titles_resolver(titles: Iterable[str], redirects: Mapping[str, str] | None = None) -> Resolver:
    """A resolver for a fixed universe of pages (a ``--titles`` file or the pages being linted)."""
    universe = {normalize_title(t) for t in titles if t.strip()}
    redirect_map = {normalize_title(k): v for k, v in (redirects or {}).items()}
    universe.update(redirect_map)

    def resolve(wanted: Iterable[str]) -> dict[str, TargetInfo]:
        return {t: KnownTarget(t in universe, redirect_map.get(t)) for t in wanted}

    return resolve


def check_targets(results: Sequence[PageResult], resolve: Resolver, options: LintOptions) -> list[PageResult]:
    """Add the target rules' findings to each result, resolving every distinct target once."""
    wanted = sorted({link.title for result in results for link in result.links})
    targets = resolve(wanted) if wanted else {}
    rules = [r for r in all_rules() if isinstance(r, TargetRule)]
    for result in results:
        if result.error or not result.links:
            continue
        directives = result.directives or Directives()
        added = []
        for rule in rules:
            if not options.selection.enabled(rule.code, result.path):
                continue
            severity = options.severities.get(rule.code, rule.severity)
            for link, message in rule.check_targets(result.links, targets):
                if not directives.silences(rule.code, link.line):
                    title = result.title if result.in_archive else None
                    added.append(
                        Finding(
                            result.path, link.line, link.column, rule.code, severity, message, None, title
                        )
                    )
        if added:
            result.findings = sorted(result.findings + added, key=Finding.sort_key)
    return results
