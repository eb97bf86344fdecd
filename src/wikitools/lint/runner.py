"""A whole ``wikitools lint`` run as one library call: inputs, parallel lint, fixes, target checks, report.

:func:`lint_paths` writes findings through a reporter and diffs to a stream it is given, and returns a
:class:`RunSummary` from which the caller picks the exit code; it prints and exits nothing itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TextIO

from ..errors import ExitCode
from ..fileio import read_text
from ..titles import check_title
from .config import LintConfig
from .engine import LintOptions, PageResult, Resolver, check_targets, known_titles_resolver
from .finding import Severity
from .inputs import check_paths, discover
from .jobs import run
from .reporters import Reporter


@dataclass
class RunSummary:
    """What a run found and did. ``errors`` are inputs that could not be linted (one line each)."""

    pages: int = 0
    findings: int = 0
    worst: Severity | None = None
    fixed: int = 0
    files_fixed: int = 0
    diffs: int = 0
    errors: list[str] = field(default_factory=list)

    def exit_code(self, fail_on: Severity, *, diff: bool = False) -> ExitCode:
        """2 when an input was unusable, else 1 for findings at or above ``fail_on`` (with ``--diff``:
        for pending fixes), else 0."""
        if self.errors:
            return ExitCode.USAGE
        if diff:
            return ExitCode.FINDINGS if self.diffs else ExitCode.OK
        if self.worst is not None and self.worst >= fail_on:
            return ExitCode.FINDINGS
        return ExitCode.OK


def titles_file_resolver(path: str) -> Resolver:
    """A resolver that treats the titles in ``path`` (one per line) as every page that exists."""
    return known_titles_resolver(read_text(path, allow_empty=True).splitlines())


def lint_paths(
    paths: Sequence[str],
    config: LintConfig,
    reporter: Reporter,
    *,
    title: str | None = None,
    processes: int = 1,
    fix: bool = False,
    diff: bool = False,
    diff_stream: TextIO | None = None,
    resolver: Resolver | None = None,
) -> RunSummary:
    """Lint ``paths`` (files, directories, ``.xml`` exports, ``-`` for stdin) with ``config``.

    Link targets are checked when a ``resolver`` is given (a wiki, a title list) or when
    ``config.check_targets`` is set, in which case the pages being linted are the known universe.
    """
    check_paths(paths)
    if title is not None:
        title = check_title(title)
    if resolver is None and config.titles:
        resolver = titles_file_resolver(config.titles)
    wants_targets = resolver is not None or config.check_targets
    options = LintOptions(
        selection=config.selection,
        severities=dict(config.severity),
        collect_links=wants_targets,
        fix=fix and not diff,
        diff=diff,
    )
    summary = RunSummary()
    results: Iterable[PageResult] = run(discover(paths, title=title), options, processes)
    if wants_targets:
        collected = list(results)
        if resolver is None:
            resolver = known_titles_resolver(
                (r.title for r in collected if not r.error),
                {r.title: r.redirect_to for r in collected if r.redirect_to},
            )
        results = check_targets(collected, resolver, options)
    reporter.start()
    for result in _counted(results, summary):
        if result.diff and diff_stream is not None:
            diff_stream.write(result.diff)
        if not diff:
            reporter.handle(result.findings)
    reporter.finish()
    return summary


def _counted(results: Iterable[PageResult], summary: RunSummary) -> Iterator[PageResult]:
    for result in results:
        if result.error:
            summary.errors.append(result.error)
            continue
        summary.pages += 1
        summary.findings += len(result.findings)
        for finding in result.findings:
            if summary.worst is None or finding.severity > summary.worst:
                summary.worst = finding.severity
        summary.fixed += result.fixed
        if result.fixed and not result.diff:
            summary.files_fixed += 1
        summary.diffs += bool(result.diff)
        yield result
