"""The reporter lifecycle every output format shares: ``start``, ``handle`` each page's result,
``finish``. Reporters are consumers of the stream :func:`~wikitools.lint.lint_paths` yields."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from ..engine import LintResult
from ..finding import Finding


def location(finding: Finding) -> str:
    """Where a finding is, as a person reads it: the file, and the page inside an XML file."""
    return finding.path if finding.title is None else f"{finding.path}[{finding.title}]"


class Reporter:
    """Writes findings to ``stream`` as they arrive. Subclasses override :meth:`write_finding` and, when
    the format has a frame around the findings, :meth:`start` and :meth:`finish`."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.count = 0
        self.fixable = 0

    def start(self) -> None:
        """Called once before any finding."""

    def handle(self, result: LintResult) -> None:
        """Called once per page with its result; writes its findings in order."""
        for finding in result.findings:
            self.write_finding(finding)
            self.count += 1
            self.fixable += finding.fixable

    def write_finding(self, finding: Finding) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """Called once after the last page."""

    def report(self, results: Iterable[LintResult]) -> None:
        """The whole lifecycle over a stream of results."""
        self.start()
        for result in results:
            self.handle(result)
        self.finish()
