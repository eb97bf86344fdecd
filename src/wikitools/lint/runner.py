"""A whole ``wikitools lint`` run as one library call: a stream of per-page results.

:func:`lint_paths` finds the pages under the paths it is given, lints them (in N processes if asked),
applies or diffs the safe fixes, checks link targets, and yields one :class:`LintResult` per page in
input order. It prints nothing and decides no exit code: a caller consumes the stream (a reporter,
:class:`RunSummary`, a program of its own)::

    from wikitools.lint import LintConfig, lint_paths

    for result in lint_paths(["articles/"], LintConfig()):
        for finding in result.findings:
            print(result.path, finding.line, finding.code, finding.message)
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from ..fileio import read_text
from ..titles import check_title
from .config import LintConfig, LintOptions
from .engine import LintResult, Resolver, check_targets, known_titles_resolver
from .finding import Severity
from .inputs import check_paths, discover
from .jobs import run


@dataclass
class RunSummary:
    """Counts over a stream of results: :meth:`add` each one. ``errors`` are inputs that could not be
    linted (one line each); ``warnings`` problems of inputs that were linted anyway."""

    pages: int = 0
    findings: int = 0
    worst: Severity | None = None
    fixed: int = 0
    files_fixed: int = 0
    diffs: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add(self, result: LintResult) -> None:
        self.warnings.extend(result.warnings)
        if result.error:
            self.errors.append(result.error)
            return
        self.pages += 1
        self.findings += len(result.findings)
        for finding in result.findings:
            if self.worst is None or finding.severity > self.worst:
                self.worst = finding.severity
        self.fixed += result.fixed
        if result.fixed and not result.diff:
            self.files_fixed += 1
        self.diffs += bool(result.diff)


def titles_file_resolver(path: str) -> Resolver:
    """A resolver that treats the titles in ``path`` (one per line) as every page that exists."""
    return known_titles_resolver(read_text(path, allow_empty=True).splitlines())


def lint_paths(
    paths: Sequence[str],
    config: LintConfig | None = None,
    *,
    title: str | None = None,
    processes: int | None = 1,
    fix: bool = False,
    diff: bool = False,
    resolver: Resolver | None = None,
    verify_xml: bool = False,
    language: str | None = None,
) -> Iterator[LintResult]:
    """Lint ``paths`` (files, directories, ``.xml`` exports, ``-`` for stdin) with ``config``, yielding
    one :class:`LintResult` per page, in input order.

    Bad paths raise :class:`~wikitools.errors.InputError` before anything is yielded; an input that
    fails later (unreadable file, broken XML, a directory with nothing to lint) is a result with
    ``error`` set. ``processes`` is how many processes lint (``None``: every usable core when the
    inputs hold 1 MB or more, else this one). ``fix`` rewrites wikitext files with the safe fixes;
    ``diff`` puts them in each result's ``diff`` instead. Link targets are checked when a ``resolver``
    is given (a wiki, a title list) or ``config.check_targets`` is set (the pages being linted are then
    every page that exists); results then come once every page is linted. ``verify_xml`` compares XML
    revisions with their sha1 (mismatches become the results' ``warnings``). ``language`` is the
    wiki's language when the config and the export do not name one.
    """
    config = (config or LintConfig()).override(language=(config and config.language) or language)
    check_paths(paths)
    if title is not None:
        title = check_title(title)
    if resolver is None and config.titles:
        resolver = titles_file_resolver(config.titles)
    wants_targets = resolver is not None or config.check_targets
    options = config.options(
        collect_links=wants_targets, fix=fix and not diff, diff=diff, verify_xml=verify_xml
    )
    return _stream(paths, options, title, processes, resolver, wants_targets)


def _stream(
    paths: Sequence[str],
    options: LintOptions,
    title: str | None,
    processes: int | None,
    resolver: Resolver | None,
    wants_targets: bool,
) -> Iterator[LintResult]:
    """The results, lazily (so bad paths fail at the call, not at the first ``next``)."""
    results = run(discover(paths, title=title), options, processes)
    if not wants_targets:
        yield from results
        return
    collected = list(results)
    if resolver is None:
        resolver = known_titles_resolver(
            (r.title for r in collected if not r.error),
            {r.title: r.redirect_to for r in collected if r.redirect_to},
        )
    yield from check_targets(collected, resolver, options)
