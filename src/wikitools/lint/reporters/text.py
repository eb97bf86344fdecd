"""``path:line:col: CODE message``, as compilers print, then a one-line count."""

from __future__ import annotations

from ..finding import Finding
from .base import Reporter, location


class TextReporter(Reporter):
    def write_finding(self, finding: Finding) -> None:
        self.stream.write(
            f"{location(finding)}:{finding.line}:{finding.column}: {finding.code} {finding.message}\n"
        )

    def finish(self) -> None:
        if self.count:
            plural = "" if self.count == 1 else "s"
            fixable = f" ({self.fixable} fixable with --fix)" if self.fixable else ""
            self.stream.write(f"Found {self.count} problem{plural}{fixable}.\n")
