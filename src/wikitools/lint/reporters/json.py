"""A JSON array of findings, written as they arrive (so memory stays flat on big runs)."""

from __future__ import annotations

import json

from ..finding import Finding
from .base import Reporter


def finding_to_dict(finding: Finding) -> dict[str, object]:
    data: dict[str, object] = {
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "code": finding.code,
        "severity": finding.severity.label,
        "message": finding.message,
        "fixable": finding.fixable,
    }
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
