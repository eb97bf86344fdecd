"""GitHub Actions workflow commands (``::warning file=...``), which annotate the pull request."""

from __future__ import annotations

from ..codes import get_rule
from ..finding import Finding, Severity
from .base import Reporter

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter(Reporter):
    def write_finding(self, finding: Finding) -> None:
        title = f"{finding.code} {get_rule(finding.code).name}"
        message = finding.message if finding.title is None else f"[[{finding.title}]] {finding.message}"
        properties = ",".join(
            f"{key}={_escape_property(str(value))}"
            for key, value in (
                ("file", finding.path),
                ("line", finding.line),
                ("col", finding.column),
                ("title", title),
            )
        )
        self.stream.write(f"::{_LEVELS[finding.severity]} {properties}::{_escape_data(message)}\n")
