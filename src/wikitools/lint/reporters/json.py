"""A JSON array of findings, written as they arrive (so memory stays flat on big runs)."""

from __future__ import annotations

import json

from ..codes import get_rule
from ..finding import Finding
from .base import Reporter


def finding_to_dict(finding: Finding) -> dict[str, object]:
    """A finding as JSON data, with the rule's name and what other linters call it."""
    rule = get_rule(finding.code)
    data: dict[str, object] = {
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "code": finding.code,
        "severity": finding.severity.label,
        "message": finding.message,
        "fixable": finding.fixable,
        "name": rule.name,
        "checkwiki": list(rule.checkwiki),
        "wikilint": list(rule.wikilint),
        "parsoid": list(rule.parsoid),
    }
    if finding.end is not None:
        data["end_line"], data["end_column"] = finding.end
    if finding.title is not None:
        data["title"] = finding.title
    return data


class JsonReporter(Reporter):
    def start(self) -> None:
        self.stream.write("[")

    def write_finding(self, finding: Finding) -> None:
        separator = ",\n  " if self.count else "\n  "
        self.stream.write(separator + json.dumps(finding_to_dict(finding), ensure_ascii=False))

    def finish(self) -> None:
        self.stream.write("\n]\n" if self.count else "]\n")
